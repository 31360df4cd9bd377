"""References compute NumPy's value without their own intermediate overflow: the semantics, not the limits of
NumPy's algorithm (np.var squares deviations from a rounded mean; complex integer powers multiply repeatedly)."""
from __future__ import annotations

import numpy as np
import pytest

from conformance.references import linalg as L
from conformance.references import pointwise as P
from conformance.references import reductions as R


def test_variance_of_equal_huge_values_is_zero():
    x = np.full((5, 3), complex(-2.37e226, 8.29e270))
    with np.errstate(all="ignore"):
        assert np.all(np.isinf(np.var(x, axis=0)))  # NumPy's own algorithm overflows
    assert np.all(R.var_ref(x, 0) == 0)
    assert R.std_ref(np.array([1e200, -1e200]), 0) == 1e200


def test_variance_agrees_with_numpy_where_numpy_does_not_overflow():
    rng = np.random.default_rng(0)
    for shape, axis in (((5, 4), 0), ((5, 4), None), ((3, 4, 5), (0, 2)), ((3, 4), -1), ((4,), 0)):
        x = rng.standard_normal(shape) * 1e3 + 7 + 1j * rng.standard_normal(shape)
        for ddof in (0, 1):
            for mine, theirs in ((R.var_ref, np.var), (R.std_ref, np.std)):
                got, want = mine(x, axis, ddof), theirs(x, axis=axis, ddof=ddof)
                assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
                assert np.allclose(got, want, rtol=1e-12)


def test_complex_power_of_a_huge_modulus_underflows_to_zero():
    z = np.array([complex(2.3e-298, 1.256e164)])
    with np.errstate(all="ignore"):
        assert np.isnan(np.power(z, -57.0)).all()  # NumPy's repeated products overflow first
    assert np.asarray(P.power(z, np.array([-57.0], dtype=np.float16)))[0] == 0


def test_einsum_with_an_empty_operand_is_exact_zeros_without_widening():
    # widened to clongdouble, NumPy 2.4's outer product with an empty operand aborts the process
    a, empty = np.ones(2, np.complex128), np.zeros((0, 3), np.complex128)
    got = L.einsum(a, [2], empty, [1, 0], [2, 1, 0])
    assert got.shape == (2, 0, 3) and got.dtype == np.complex128
    assert L.einsum(a, [0], np.zeros((0,), np.complex128), [1], [0]).tolist() == [0, 0]


def test_einsum_diagonal_of_mismatched_sizes_raises_where_numpy_returns_a_view():
    # NumPy's single-operand view path reads a first dim of size 0 as "no size yet": (0, 1) gives a view of one
    # element into the empty operand's memory, where (1, 0) raises
    a = np.zeros((0, 1), np.int64)
    assert np.einsum("ii->i", a).shape == (1,)
    for dtype in (np.int64, np.float64):
        for args in (("ii->i", a.astype(dtype)), ("YYb->bY", np.zeros((0, 1, 2), dtype)),
                     (a.astype(dtype), [0, 0], [0]), ("i...i->i...", np.zeros((0, 2, 1), dtype))):
            for fn in (L.einsum, L.einsum_summing_ellipsis, L.einsum_left_to_right):
                for optimize in (False, True):
                    with pytest.raises(ValueError, match="collapsing index"):
                        fn(*args, optimize=optimize)
    assert L.einsum("ii->i", np.eye(2)).tolist() == [1, 1]
    assert L.einsum("...ii->...i", np.ones((3, 0, 0))).shape == (3, 0)
    assert L.einsum("i...i->i", np.ones((2, 0, 2)), optimize=True).shape == (2,)


def test_cumprod_has_no_intermediate_overflow():
    # the running product climbs to 2**1028 (inf in float64) and comes back to 2**97
    x = np.array([2.0 ** -76] * 2 + [2.0 ** 118] * 10 + [2.0 ** -133] * 7)
    assert R.cumprod_ref(x, 0)[-1] == 2.0 ** 97
    rows = np.random.default_rng(0).uniform(-2, 2, (3, 1500))
    np.testing.assert_array_equal(R.cumprod_ref(rows, 1), np.cumprod(rows, axis=1))  # NumPy's roundings


def test_variance_whose_scale_squared_overflows_is_finite():
    # deviations near 1e154 are scaled by 2**512; 2**1024 alone is inf, the variance 5.47e307 is not
    x = np.array([-1.04629572e-83, -1.04550082e154])
    assert R.var_ref(x, 0, 1) == np.var(x, ddof=1)


def test_product_has_no_intermediate_overflow():
    x = np.array([[1e300, 1e300, 1e-300, 1e-300], [2.0, 3.0, 0.5, 4.0]])
    with np.errstate(all="ignore"):
        assert np.isinf(np.prod(x[0]))  # float64's running product passes 2**1024 and stays inf
    assert np.allclose(R.prod_ref(x, 1), [1.0, 12.0], rtol=1e-15)
    assert R.prod_ref(x, 1, keepdim=True).shape == (2, 1)
    rng = np.random.default_rng(1)
    for shape, axis, keep in (((1000,), None, False), ((3, 511), 1, False), ((3, 5), 0, True), ((3, 4), None, True)):
        y = rng.standard_normal(shape)
        got, want = R.prod_ref(y, axis, keep), np.prod(y, axis=axis, keepdims=keep)
        assert np.shape(got) == np.shape(want) and np.array_equal(got, want)  # NumPy's roundings where it is in range


def test_quantile_of_finite_neighbours_beyond_the_range_apart_is_finite():
    big = np.finfo(np.float64).max
    x = np.array([[big, 0.5], [-big, np.nan], [0.25, np.inf]])
    with np.errstate(all="ignore"):
        assert np.isnan(np.nanquantile(x[:2, :1], 0.0, axis=0, method="midpoint")).all()  # b - a overflowed, * 0
    with np.errstate(all="ignore"):
        got = R.nanquantile_ref(x, [0.0, 0.25], dim=0, interpolation="midpoint")
    assert got.shape == (2, 2) and got[0, 0] == -big and got[1, 0] == -big / 2
    assert np.isnan(got[0, 1])  # 0.5 and +inf: weight 0 on an infinity (the sample-before-inf record's case)
    assert R.quantile_ref(np.array([big, -big]), 0.0, interpolation="linear") == -big
    assert R.quantile_ref(np.array([big, -big]), 0.25) == -big / 2
    # a slice with an infinity (or NaN, for quantile) keeps NumPy's answer: that is no overflow of finite values
    with np.errstate(all="ignore"):
        assert np.isnan(R.quantile_ref(np.array([0.5, np.inf, np.inf]), 0.0))
        assert np.isnan(R.quantile_ref(np.array([-big, big, np.nan]), 0.0))
    assert R.nanquantile_ref(np.array([-big, big, np.nan]), 0.0) == -big


def test_quantile_agrees_with_numpy_where_numpy_does_not_overflow():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 5))
    x[2, 1] = np.nan
    for method in ("linear", "midpoint", "lower", "nearest"):
        for q in (0.3, [0.0, 0.5, 1.0]):
            for mine, theirs in ((R.quantile_ref, np.quantile), (R.nanquantile_ref, np.nanquantile)):
                for dim, keepdim in ((None, False), (0, True), (-1, False)):
                    got = mine(x, q, dim, keepdim, method)
                    want = theirs(x, q, axis=dim, keepdims=keepdim, method=method)
                    assert np.shape(got) == np.shape(want) and type(got) is type(want)
                    np.testing.assert_array_equal(got, want)
