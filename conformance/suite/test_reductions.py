"""Bespoke reduction tests: what the generic tests cannot say.

* Long rows, fixed. The generic strategies draw long rows from the size classes now and then; the rows below are
  always checked, on every floating dtype (half types included) and complex64: rows of thousands of elements
  (cancelling N(0, 1) values, ties, NaN-heavy rows, in every fill; 20,000 and 4,096 elements for sum), through
  the catalogue entry itself (:func:`conformance.check.forward`: its reference, its known divergences and its
  derived bound), so the bounds that grow with the reduced length are exercised where they matter.
* The in-place cumulative sum and product, whose dtype rules the generic in-place check (NumPy's ``out=``
  casting) cannot state: the known divergences ``cumsum_-dtype-raises`` and ``cumsum_-bool-raises``.
"""
from __future__ import annotations

import numpy as np
import pytest

from conformance import catalogue, check, compare, dtypes, support
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
