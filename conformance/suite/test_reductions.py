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
