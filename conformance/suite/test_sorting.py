"""Bespoke sorting tests: long inputs.

The generic strategies keep arrays small (at most 5 per side); torch sorts long rows with other algorithms
(a stable sort must stay stable there, with thousands of ties, NaN and both zeros). Each entry below is checked
once on long rows through the catalogue entry itself (:func:`conformance.check.forward`: its reference and its
known divergences), in every fill.
"""
from __future__ import annotations

import pytest

from conformance import catalogue, check
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


@pytest.mark.dtypes("float32")
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
