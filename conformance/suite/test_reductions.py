"""Bespoke reduction tests: what the generic tests cannot say.

* Long rows, fixed. The generic strategies draw long rows from the size classes now and then; the rows below are
  always checked, on every floating dtype (half types included) and complex64: rows of thousands of elements
  (cancelling N(0, 1) values, ties, NaN-heavy rows, in every fill; 20,000 and 4,096 elements for sum), through
  the catalogue entry itself (:func:`conformance.check.forward`: its reference, its known divergences and its
  derived bound), so the bounds that grow with the reduced length are exercised where they matter.
* Two torch bugs whose inputs a record's pinned example cannot hold (a pinned example is contiguous): the
  record ``median_dim-zero-stride-garbage`` (on the entry: the generic tests leave those elements out) and
  ``nansum-noncontiguous-half-accumulation``; the tests below reproduce them (and fail once torch is fixed).
* The in-place cumulative sum and product, whose dtype rules the generic in-place check (NumPy's ``out=``
  casting) cannot state: the known divergences ``cumsum_-dtype-raises`` and ``cumsum_-bool-raises``.
"""
from __future__ import annotations

import numpy as np
import pytest

from conformance import catalogue, check, compare, dtypes, support
from conformance import tolerance as T
from conformance.strategies import FILLS, ArraySpec, Case
from conformance.strategies.reductions import NANS, TIES

pytestmark = pytest.mark.reductions

#: (entry, shape, keyword arguments, value domain): rows long enough for the vectorised and blocked kernels
LONG = [
    ("sum", (3, 4099), {"dim": -1}, None),
    ("sum", (20000,), {}, None),
    ("sum", (4096,), {}, None),
    ("sum", (5, 5, 5, 5), {}, None),
    ("mean", (64,), {}, None),
    ("mean", (2, 5000), {"dim": (0, 1)}, None),
    ("nansum", (2, 3001), {"dim": 1}, NANS),
    ("cumsum", (2, 3001), {"dim": 1}, None),
    ("var", (4, 1000), {"dim": 1, "correction": 0}, None),
    ("std", (1000, 3), {"dim": 0}, None),
    ("logsumexp", (3, 2000), {"dim": 1}, None),
    ("vector_norm", (5000,), {}, None),
    ("prod", (2, 300), {"dim": 1}, ("float", 0.95, 1.05)),
    ("cumprod", (2, 1000), {"dim": 1}, ("float", 0.95, 1.05)),
    ("logsumexp", (625,), {"dim": 0}, None),
    ("argmax", (3, 1025), {"dim": 1}, TIES),
    ("argmax", (4097,), {}, NANS),
    ("max_dim", (1025, 3), {"dim": 0}, TIES),
    ("amin", (3, 1025, 2), {"dim": (0, 2)}, TIES),
    ("median_dim", (3, 1001), {"dim": 1}, TIES),
    ("all", (2, 4099), {"dim": 1}, ("int", 0, 2)),
    ("count_nonzero", (3, 4099), {"dim": 1}, TIES),
]


def _params():
    for name, shape, kwargs, domain in LONG:
        yield pytest.param(name, shape, kwargs, domain, id=f"{name}-{'x'.join(map(str, shape))}",
                           marks=pytest.mark.op(name))


@pytest.mark.dtypes("float16", "bfloat16", "float32", "float64", "complex64")
@pytest.mark.parametrize(("name", "shape", "kwargs", "domain"), list(_params()))
def test_long_rows(name, shape, kwargs, domain, device, dtype):
    """The entry's forward check on long rows, in every fill."""
    op = catalogue.by_name(name)
    support.skip_if_known_unsupported(op, device, dtype)
    case = Case((ArraySpec(shape, dtype, domain=domain),), tuple(kwargs.items()), seed=20240)
    for i, fill in enumerate(FILLS):
        try:
            check.forward(op, case.sample(fill, i), device, dtype)
        except check.Mismatch as exc:
            if exc.torch_exc is not None:
                support.skip_if_unsupported(op, device, dtype, exc.torch_exc)
            raise


@pytest.mark.op("cumsum")
@pytest.mark.divergence("cumsum_-dtype-raises")
@pytest.mark.dtypes("float32")
def test_cumsum_inplace_dtype(device, dtype):
    """``x.cumsum_(dim, dtype=d)`` with d other than x's dtype raises; NumPy's out= casts the result into x."""
    import torch

    x = np.array([1.0, 2.0, 4.0], dtype=dtypes.NUMPY[dtype])
    expected = np.cumsum(x, dtype=np.float64, out=x.copy())  # NumPy: computed in float64, cast into x
    assert expected.dtype == x.dtype
    t = dtypes.to_torch(x, device)
    with pytest.raises(RuntimeError):
        t.cumsum_(0, dtype=torch.float64)
    # the same dtype is accepted, and agrees with NumPy
    t.cumsum_(0, dtype=t.dtype)
    diff = compare.compare(t, expected)
    if diff is not None:
        raise check.Mismatch(f"cumsum_ [{device}, {dtype}] with its own dtype: {diff.summary}")


@pytest.mark.op("cumsum")
@pytest.mark.divergence("cumsum_-bool-raises")
@pytest.mark.dtypes("bool")
def test_cumsum_inplace_bool(device, dtype):
    """``x.cumsum_(0)`` / ``x.cumprod_(0)`` on a bool tensor raise; NumPy's cumsum(out=x) casts into bool."""
    x = np.array([True, True, False])
    expected = np.cumsum(x, out=x.copy())
    assert expected.dtype == np.bool_
    for method in ("cumsum_", "cumprod_"):
        t = dtypes.to_torch(x, device)
        with pytest.raises((NotImplementedError, RuntimeError)):
            getattr(t, method)(0)


@pytest.mark.op("median_dim")
@pytest.mark.divergence("median_dim-zero-stride-garbage")
@pytest.mark.dtypes("float32")
def test_median_dim_zero_stride(device, dtype):
    """torch.median(x, dim) reads outside an expanded input; without dim, and on a contiguous copy, it is right."""
    import torch

    base = torch.arange(4, dtype=dtypes.TORCH[dtype], device=device).reshape(1, 4)
    x = base.expand(3, 4)
    expected = np.median(dtypes.to_numpy(x), axis=0)
    got = torch.median(x.contiguous(), 0).values
    if compare.compare(got, expected.astype(dtypes.NUMPY[dtype])) is not None:
        raise check.Mismatch("median of a contiguous tensor differs from NumPy's")
    wrong = torch.median(x, 0).values
    if compare.compare(wrong, expected.astype(dtypes.NUMPY[dtype])) is None:
        raise check.Mismatch("median_dim-zero-stride-garbage no longer holds: torch.median of an expanded tensor "
                             "along a dim is right now; remove the record")


@pytest.mark.op("nansum")
@pytest.mark.divergence("nansum-noncontiguous-half-accumulation")
@pytest.mark.dtypes("float16", "bfloat16")
def test_nansum_noncontiguous_half(device, dtype):
    """nansum of a non-contiguous half tensor accumulates in the half type; sum of the same view does not."""
    import torch

    t = torch.full((4, 8, 8, 16), 0.1, dtype=dtypes.TORCH[dtype], device=device)
    big = torch.zeros(tuple(2 * n for n in t.shape), dtype=t.dtype, device=device)
    view = big[::2, ::2, ::2, ::2]
    view.copy_(t)
    exact = float(np.sum(dtypes.to_numpy(t).astype(np.float64)))
    tol = T.summation(dtype, np.float64(exact), t.numel())
    good = float(torch.sum(view).float())
    if abs(good - exact) > tol.atol + tol.rtol * exact:
        raise check.Mismatch(f"sum of a non-contiguous {dtype} view is {good}, not within the bound of {exact}")
    bad = float(torch.nansum(view).float())
    if abs(bad - exact) <= tol.atol + tol.rtol * exact:
        raise check.Mismatch("nansum-noncontiguous-half-accumulation no longer holds: nansum of a non-contiguous "
                             f"{dtype} view is {bad}, within the bound of {exact}; remove the record")


@pytest.mark.op("mean")
@pytest.mark.dtypes("complex64")
def test_mean_complex_part_overflow(device, dtype):
    """A complex term with one infinite part still adds its finite part to the accumulator, which may overflow
    there: the mean of 3 x (-3.4e38 + inf j) in complex64 sums to (-inf + inf j) and torch gives NaN + NaN j (so
    does NumPy in complex64). The bound accepts a non-finite value on that element (the sum overflows the
    accumulation type) and on no other: for 3 x (-1e38 + inf j) the finite parts do not overflow, and torch is
    held to NumPy's NaN + inf j."""
    from conformance.strategies.cases import Sample

    op = catalogue.by_name("mean")
    big = np.finfo(np.float32).max
    x = np.array([[complex(-big, np.inf), complex(-1e38, np.inf)]] * 3, dtype=dtypes.NUMPY[dtype])
    for layout in ("contiguous", "expanded"):
        sample = Sample(args=(x, 0), kwargs={}, arrays=[x], layouts=[layout], fill="special")
        tol = op.tolerance(sample, dtype)
        assert np.asarray(tol.nonfinite, dtype=bool).tolist() == [True, False]
        check.forward(op, sample, device, dtype)


@pytest.mark.op("nansum")
@pytest.mark.divergence("nansum-dim-empty-tuple")
@pytest.mark.dtypes("float16", "bfloat16")
def test_nansum_empty_tuple_noncontiguous_half(device, dtype):
    """dim=() on a half input in several runs of memory: the record nansum-dim-empty-tuple (every dim reduced)
    applies, with the bound of nansum-noncontiguous-half-accumulation (torch's sum of every dim of a step-2
    view of (2, 2) values is 0.078125 in float16, exact 0.0778198, as with dim=None); a contiguous input keeps the
    pairwise bound."""
    from conformance.catalogue.reductions import nansum_split_tol
    from conformance.strategies.cases import Sample

    op = catalogue.by_name("nansum")
    x = np.array([[-0.132080078125, 0.640625], [0.10491943359375, -0.53564453125]], dtype=dtypes.NUMPY[dtype])
    strided = Sample(args=(x,), kwargs={"dim": ()}, arrays=[x], layouts=["strided"], fill="ordinary")
    contiguous = Sample(args=(x,), kwargs={"dim": ()}, arrays=[x], layouts=["contiguous"], fill="ordinary")
    assert op.divergence_for(strided, dtype, device)[0].id == "nansum-dim-empty-tuple"
    split, tol = nansum_split_tol()(strided, dtype), op.tolerance(strided, dtype)
    assert (tol.rtol, float(tol.atol)) == (split.rtol, float(split.atol))
    assert float(op.tolerance(contiguous, dtype).atol) < float(tol.atol)
    for sample in (strided, contiguous):
        check.forward(op, sample, device, dtype)


@pytest.mark.op("std")
@pytest.mark.dtypes("complex64")
def test_std_complex_variances_underflow(device, dtype):
    """torch's complex std is ``sqrt(var(real) + var(imag))`` with each variance rounded to float32 first, where
    one of magnitude 1e-58 is 0: the std of complex64 [-5.742642e-39+1.8366034e-39j, -1.234264e-41+1.6700214e-29j]
    is 0 in torch, exactly 1.18e-29. The bound adds what underflow can do to a variance
    (:func:`conformance.tolerance.variance`, up to ``sqrt(13 eta_32 / 2) = 9.5e-23`` here), which the bound of the
    roundings alone (relative to ``sum |x_i|^2``) does not cover; for ordinary magnitudes the addition is
    negligible."""
    from conformance import tolerance as T
    from conformance.strategies.cases import Sample

    op = catalogue.by_name("std")
    x = np.array([-5.742642e-39 + 1.8366034e-39j, -1.234264e-41 + 1.6700214e-29j], dtype=dtypes.NUMPY[dtype])
    for kwargs in ({}, {"dim": 0}):
        sample = Sample(args=(x,), kwargs=kwargs, arrays=[x], layouts=["contiguous"], fill="extreme")
        tol = op.tolerance(sample, dtype)
        exact = float(np.std(x.astype(np.complex128), ddof=1))
        assert exact <= float(tol.atol) + tol.rtol * exact
        check.forward(op, sample, device, dtype)
    # without the underflow term (sum |x|^2 alone) the bound would not cover the zero; ordinary sizes: negligible
    q = float(np.sum(np.abs(x.astype(np.complex128)) ** 2))
    k = 3 * 2 + 6
    rounding_only = (T.gamma(k, T.unit("float32")) + T.gamma(k, T.U64)) * q / 1
    assert np.sqrt(rounding_only) + 2 * T.eta("float32") < exact
    one = T.variance("float32", 1.0, 1000, 1)
    assert float(one.atol) - float((T.gamma(3 * 1000 + 5, T.unit("float32")) + T.gamma(3 * 1000 + 5, T.U64))
                                   / 999) - 2 * T.eta("float32") < 1e-40
