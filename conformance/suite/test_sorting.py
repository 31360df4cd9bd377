"""Bespoke sorting tests: long inputs, and the dtype of histc's counts.

The generic strategies draw long rows from the size classes now and then; torch sorts long rows with other
algorithms (a stable sort must stay stable there, with thousands of ties, NaN and both zeros). Each entry below is
checked on long rows, always, through the catalogue entry itself (:func:`conformance.check.forward`: its
reference and its known divergences), in every fill, on every floating dtype.

``histc`` returns its counts in the input's floating dtype on every call (the divergence ``histc-float-counts``):
no input lies outside that condition, so the catalogue's torch callable hands the generic tests the counts as
int64 and :func:`test_histc_float_counts` pins the dtype.
"""
from __future__ import annotations

import numpy as np
import pytest

from conformance import catalogue, check, compare, dtypes
from conformance.strategies import FILLS, ArraySpec, Case
from conformance.strategies.reductions import NANS, TIES

pytestmark = pytest.mark.sorting

#: (entry, first array's shape, other arguments, keyword arguments, value domain)
LONG = [
    ("sort", (5000,), (), {"stable": True}, TIES),
    ("sort", (5000,), (), {"stable": True, "descending": True}, TIES),
    ("sort", (2001, 3), (), {"dim": 0, "stable": True, "descending": True}, NANS),
    ("argsort", (3, 4000), (), {"stable": True}, NANS),
    ("argsort", (4000,), (), {"stable": True, "descending": True}, TIES),
    ("topk", (3, 4000), (50,), {"largest": False}, TIES),
    ("kthvalue", (2, 3001), (1500,), {}, NANS),
    ("unique", (10000,), (), {"return_inverse": True, "return_counts": True}, TIES),
    ("unique", (4000, 2), (), {"return_counts": True, "dim": 0}, TIES),
]


def _params():
    for i, (name, shape, args, kwargs, domain) in enumerate(LONG):
        yield pytest.param(name, shape, args, kwargs, domain, id=f"{name}-{i}", marks=pytest.mark.op(name))


@pytest.mark.dtypes("float16", "bfloat16", "float32", "float64")
@pytest.mark.parametrize(("name", "shape", "args", "kwargs", "domain"), list(_params()))
def test_long_rows(name, shape, args, kwargs, domain, device, dtype):
    """The entry's forward check on long rows, in every fill."""
    op = catalogue.by_name(name)
    case = Case((ArraySpec(shape, dtype, domain=domain),) + args, tuple(kwargs.items()), seed=20240)
    for i, fill in enumerate(FILLS):
        check.forward(op, case.sample(fill, i), device, dtype)


@pytest.mark.op("searchsorted")
@pytest.mark.dtypes("float32", "int64")
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_long(side, device, dtype):
    """searchsorted with 3000 tie-heavy boundaries and 500 values, on both sides."""
    op = catalogue.by_name("searchsorted")
    case = Case((ArraySpec((3000,), dtype, domain=TIES), ArraySpec((500,), dtype, domain=TIES)),
                (("side", side),), seed=20240)
    for i, fill in enumerate(FILLS):
        check.forward(op, case.sample(fill, i), device, dtype)


@pytest.mark.op("histc")
@pytest.mark.divergence("histc-float-counts")
@pytest.mark.dtypes("float16", "bfloat16", "float32", "float64")
def test_histc_float_counts(device, dtype):
    """torch.histc's counts have the input's dtype; np.histogram's are int64 (the values agree)."""
    import torch

    x = np.array([0.0, 1.0, 2.0, 3.0, 3.0], dtype=dtypes.NUMPY[dtype])
    expected = np.histogram(x.astype(np.float64), bins=3)[0]
    if expected.dtype != np.int64:
        raise check.Mismatch(f"np.histogram now gives {expected.dtype} counts: histc-float-counts no longer holds")
    got = torch.histc(dtypes.to_torch(x, device), bins=3)
    if got.dtype != dtypes.TORCH[dtype]:
        raise check.Mismatch(f"histc [{device}, {dtype}] gives {got.dtype} counts, recorded as {dtype} "
                             "(histc-float-counts)")
    diff = compare.compare(got, expected.astype(dtypes.NUMPY[dtype]))
    if diff is not None:
        raise check.Mismatch(f"histc [{device}, {dtype}] counts differ from NumPy's: {diff.summary}")


@pytest.mark.op("unique")
@pytest.mark.divergence("unique-dim-nan-duplicates")
@pytest.mark.dtypes("float32")
def test_unique_dim_nan_duplicates(device, dtype):
    """torch.unique(x, dim=0) on an input with NaN leaves equal slices unmerged; without NaN they are merged."""
    import torch

    x = np.array([1.0, np.nan, 1.0, 2.0, np.nan, 2.0, 1.0], dtype=dtypes.NUMPY[dtype])
    values, counts = torch.unique(dtypes.to_torch(x, device), dim=0, return_counts=True)
    got = dtypes.to_numpy(values)
    if np.sum(got == 1.0) < 2:
        raise check.Mismatch(f"unique-dim-nan-duplicates no longer holds: torch.unique(dim=0) gives {got.tolist()}, "
                             "with 1.0 once; remove the record and the merging in the catalogue's unique")
    # just outside the condition (no NaN) the slices are unique, as np.unique's
    clean = np.where(np.isnan(x), 3.0, x).astype(x.dtype)
    values, counts = torch.unique(dtypes.to_torch(clean, device), dim=0, return_counts=True)
    want, want_counts = np.unique(clean, axis=0, return_counts=True)
    for got_, exp in ((values, want), (counts, want_counts)):
        diff = compare.compare(got_, exp)
        if diff is not None:
            raise check.Mismatch(f"unique(dim=0) [{device}, {dtype}] without NaN: {diff.summary}")
