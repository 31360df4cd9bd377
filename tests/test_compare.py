"""The one comparison: what it accepts, what it rejects, and what its messages say."""
import ml_dtypes
import numpy as np
import pytest
import torch

from conformance.compare import TOLERANCES, compare


def t(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype)


def test_equal_values_pass():
    assert compare(t([1.0, 2.0]), np.array([1.0, 2.0], dtype=np.float32)) is None


def test_tolerance_rule_is_atol_plus_rtol_times_expected():
    rtol, atol = TOLERANCES["float32"]
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


def test_python_results():
    assert compare(3, np.int64(3)) is None
    assert compare(True, np.True_) is None
    assert compare(3, 4).kind == "values"
    assert compare(True, 1).kind == "type"


@pytest.mark.parametrize("override", [{"float32": (0.1, 0.0)}])
def test_per_op_override(override):
    assert compare(t([1.05]), np.array([1.0], np.float32), tol=override) is None


def test_elementwise_atol_bounds_each_element():
    e = np.array([1.0, 1.0], dtype=np.float32)
    atol = np.array([0.5, 1e-6])
    assert compare(t([1.4, 1.0]), e, tol={"float32": (0.0, atol)}) is None
    diff = compare(t([1.0, 1.4]), e, tol={"float32": (0.0, atol)})
    assert diff.kind == "values" and diff.atol == 1e-6


def test_may_overflow_accepts_only_non_finite_values_where_marked():
    e = np.array([1.0, 1.0], dtype=np.float32)
    marked = np.array([True, False])
    tol = {"float32": (1e-6, 1e-6, marked)}
    assert compare(t([np.inf, 1.0]), e, tol=tol) is None
    assert compare(t([1.0, np.inf]), e, tol=tol).kind == "values"
    assert compare(t([3.0, 1.0]), e, tol=tol).kind == "values", "a finite value must still be within the bound"
