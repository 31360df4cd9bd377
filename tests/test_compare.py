"""The one comparison: what it accepts, what it rejects, and what its messages say."""
import ml_dtypes
import numpy as np
import pytest
import torch

from conformance import tolerance as T
from conformance.compare import Carried, compare


def t(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype)


def test_equal_values_pass():
    assert compare(t([1.0, 2.0]), np.array([1.0, 2.0], dtype=np.float32)) is None


def test_tolerance_rule_is_atol_plus_rtol_times_expected():
    rtol, atol = T.TABLE["float32"]
    e = np.array([1000.0], dtype=np.float32)
    inside = float(e[0]) + 0.9 * (atol + rtol * 1000.0)
    outside = float(e[0]) + 3.0 * (atol + rtol * 1000.0)
    assert compare(t([inside]), e) is None
    assert compare(t([outside]), e).kind == "values"


def test_shape_dtype_and_structure_are_reported():
    assert compare(t([1.0]), np.array(1.0, dtype=np.float32)).kind == "shape"
    assert compare(t([1.0]), np.array([1.0], dtype=np.float64)).kind == "dtype"
    assert compare((t([1.0]),), (np.array([1.0], np.float32), np.array([1.0], np.float32))).kind == "length"
    assert compare(t([1.0]), (np.array([1.0], np.float32),)).kind == "type"


def test_nan_positions_and_infinities_must_match():
    e = np.array([np.nan, np.inf, 1.0], dtype=np.float32)
    assert compare(t([np.nan, np.inf, 1.0]), e) is None
    assert compare(t([0.0, np.inf, 1.0]), e).kind == "values"
    assert compare(t([np.nan, -np.inf, 1.0]), e).kind == "values"
    assert compare(t([np.nan, np.inf, np.nan]), e).kind == "values"


def test_signed_zero_checked_unless_opted_out():
    e = np.array([-0.0, 1.0], dtype=np.float32)
    diff = compare(t([0.0, 1.0]), e)
    assert diff.kind == "signed_zero"
    assert compare(t([0.0, 1.0]), e, signed_zero=False) is None


def test_integers_and_bools_are_exact():
    assert compare(t([3], torch.int64), np.array([3])) is None
    assert compare(t([3], torch.int64), np.array([4])).kind == "values"
    assert compare(t([True], torch.bool), np.array([False])).kind == "values"


def test_complex_parts_compared_separately():
    e = np.array([complex(1.0, np.inf)], dtype=np.complex64)
    assert compare(torch.tensor([complex(1.0, np.inf)], dtype=torch.complex64), e) is None
    assert compare(torch.tensor([complex(np.nan, np.nan)], dtype=torch.complex64), e).kind == "values"


def test_bfloat16_maps_to_ml_dtypes():
    e = np.array([1.5], dtype=ml_dtypes.bfloat16)
    assert compare(t([1.5], torch.bfloat16), e) is None
    assert compare(t([1.5], torch.float16), e).kind == "dtype"


def test_message_names_counts_first_index_and_errors():
    e = np.zeros((2, 3), dtype=np.float32)
    a = torch.zeros(2, 3)
    a[1, 2] = 0.5
    a[0, 1] = 0.25
    diff = compare(a, e)
    text = str(diff)
    assert "2 of 6 elements" in text
    assert "first mismatch at index (0, 1): torch 0.25, NumPy 0.0" in text
    assert "greatest absolute difference: 0.5 at index (1, 2)" in text
    assert "worst element at index (1, 2)" in text and "allowed)" in text, "the bound at the worst element"


def test_python_results():
    assert compare(3, np.int64(3)) is None
    assert compare(True, np.True_) is None
    assert compare(3, 4).kind == "values"
    assert compare(True, 1).kind == "type"


def test_a_tolerance_by_dtype():
    assert compare(t([1.05]), np.array([1.0], np.float32), tol={"float32": T.Tolerance(0.1)}) is None
    assert compare(t([1.05]), np.array([1.0], np.float32), tol=T.Tolerance(0.01)).kind == "values"


def test_legacy_tuples_are_refused():
    with pytest.raises(TypeError):
        compare(t([1.0]), np.array([1.0], np.float32), tol=(0.1, 0.0))


def test_elementwise_atol_bounds_each_element():
    e = np.array([1.0, 1.0], dtype=np.float32)
    tol = T.Tolerance(0.0, np.array([0.5, 1e-6]))
    assert compare(t([1.4, 1.0]), e, tol=tol) is None
    diff = compare(t([1.0, 1.4]), e, tol=tol)
    assert diff.kind == "values" and diff.tol is tol


def test_nonfinite_accepted_only_where_marked():
    e = np.array([1.0, 1.0], dtype=np.float32)
    tol = T.Tolerance(1e-6, 1e-6, nonfinite=np.array([True, False]))
    assert compare(t([np.inf, 1.0]), e, tol=tol) is None
    assert compare(t([1.0, np.inf]), e, tol=tol).kind == "values"
    assert compare(t([3.0, 1.0]), e, tol=tol).kind == "values", "a finite value must still be within the bound"


def test_signed_zero_mask_relaxes_only_its_elements():
    e = np.array([-0.0, -0.0], dtype=np.float32)
    assert compare(t([0.0, -0.0]), e, signed_zero=np.array([False, True])) is None
    assert compare(t([-0.0, 0.0]), e, signed_zero=np.array([False, True])).kind == "signed_zero"


def test_a_complex32_result_is_compared_through_its_carrier():
    values = np.array([1.5 + 2j], dtype=np.complex64)
    assert compare(torch.tensor([1.5 + 2j], dtype=torch.complex32), Carried(values, "complex32")) is None
    assert compare(torch.tensor([1.5 + 2j], dtype=torch.complex64), Carried(values, "complex32")).kind == "dtype"
    assert compare(torch.tensor([1.5 + 2j], dtype=torch.complex32), values).kind == "dtype"


# ---- the derived bounds ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
@pytest.mark.parametrize("n", [1, 2, 256, 2048, 4096, 100_000])
def test_sum_bounds_stay_finite_and_use_the_accumulation_precision(dtype, n):
    tol = T.summation(dtype, np.array([float(n)]), n)
    assert np.isfinite(tol.atol).all() and tol.free is None
    acc = T.accumulation(dtype)
    # the half types accumulate in float32: their bound is float32's, not their own roundoff times n
    # (plus the float64 reference's own error, gamma_64(n) S)
    want = (T.gamma(T.depth(n), T.unit(acc)) + T.gamma(n, T.U64)) * n * (1 + T.unit(dtype)) + 2 * T.eta(dtype)
    assert float(tol.atol[0]) <= want * (1 + 1e-12)


def test_a_wrong_half_sum_fails_the_derived_bound():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(4096).astype(np.float16)
    exact = float(np.sum(x.astype(np.float64)))
    tol = T.summation("float16", np.array(float(np.sum(np.abs(x.astype(np.float64))))), x.size)
    for wrong in (0.0, np.nan, exact * 1.25 + 1.0):
        assert compare(torch.tensor(wrong, dtype=torch.float16), np.asarray(exact, dtype=np.float16),
                       tol=tol) is not None, wrong
    assert compare(torch.from_numpy(x).sum(), np.asarray(exact, dtype=np.float16), tol=tol) is None


def test_a_long_float32_sum_dropping_a_term_or_biased_fails():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(20_000).astype(np.float32)
    exact = np.asarray(np.sum(x.astype(np.float64)), dtype=np.float32)
    tol = T.summation("float32", np.array(float(np.sum(np.abs(x.astype(np.float64))))), x.size)
    right = torch.from_numpy(x).sum()
    assert compare(right, exact, tol=tol) is None
    dropped = right - float(x[np.argmax(np.abs(x))])
    assert compare(dropped, exact, tol=tol) is not None
    biased = right + x.size * float(np.spacing(np.float32(abs(float(right)))))
    assert compare(biased, exact, tol=tol) is not None


def test_depth_is_pairwise_above_the_leaf():
    assert T.depth(1) == 0 and T.depth(T.LEAF) == T.LEAF - 1
    assert T.depth(2 ** 20) == T.LEAF - 1 + 15


def test_unbounded_elements_are_found():
    tol = T.Tolerance(1e-6, np.array([1.0, np.inf]), free=np.array([False, False]))
    assert T.check_bounded(tol, (2,), True, np.array([True, True])).tolist() == [False, True]
    assert not T.check_bounded(tol, (2,), False, np.array([True, True])).any(), "non-finite inputs: no rule"
