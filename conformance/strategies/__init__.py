"""Hypothesis strategies for the suite: shapes, dtypes, layouts, value fills, and op argument cases.

Building blocks (re-exported here):

* :func:`shapes`, :func:`broadcastable_shapes`, :func:`dims`, :func:`dim_tuples` — structure;
* :func:`arrays` — an :class:`ArraySpec` strategy (shape, dtype, value domain) whose values come later,
  from the case's seed, in several fills (:mod:`.values`) and layouts (:mod:`.layouts`);
* :func:`case` — a :class:`Case` strategy from argument strategies; :func:`unary`, :func:`binary`,
  :func:`nary` — the common pointwise forms, with broadcasting and Python-scalar operands.
"""
from __future__ import annotations

from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case, Sample, specs_in
from conformance.strategies.layouts import LAYOUTS, NONCONTIGUOUS, WRITABLE
from conformance.strategies.shapes import broadcastable_shapes, dim_tuples, dims, seeds, shapes
from conformance.strategies.values import FILLS, fill, specials

__all__ = [
    "ArraySpec", "Case", "Sample", "specs_in", "LAYOUTS", "NONCONTIGUOUS", "WRITABLE", "FILLS", "fill",
    "specials", "shapes", "broadcastable_shapes", "dims", "dim_tuples", "seeds", "arrays", "case",
    "unary", "binary", "nary", "scalars",
]


def arrays(dtype: str, shape=None, domain=None):
    """ArraySpec strategy: ``shape`` may be a tuple or a strategy (default: :func:`shapes`)."""
    shape_st = shapes() if shape is None else (shape if isinstance(shape, st.SearchStrategy) else st.just(shape))
    return shape_st.map(lambda s: ArraySpec(tuple(s), dtype, "contiguous", domain))


def case(*args, **kwargs):
    """A Case strategy: each positional/keyword argument is a strategy (or a plain value)."""
    def _st(x):
        return x if isinstance(x, st.SearchStrategy) else st.just(x)
    return st.builds(Case, st.tuples(*map(_st, args)), _kwargs(kwargs), seeds)


def _kwargs(kwargs: dict):
    """A strategy of (name, value) pairs: a Case's frozen keyword arguments."""
    return st.tuples(*[st.tuples(st.just(k), v if isinstance(v, st.SearchStrategy) else st.just(v))
                       for k, v in kwargs.items()])


def scalars(dtype: str):
    """A Python scalar of the kind that goes with ``dtype`` (bool, int, float or complex), specials included."""
    if dtype == "bool":
        return st.booleans()
    if dtype in ("uint8",):
        return st.integers(0, 20)
    if dtype in ("int8", "int16", "int32", "int64"):
        return st.integers(-20, 20)
    if dtype in ("complex64", "complex128"):
        return st.complex_numbers(max_magnitude=1e3, allow_nan=False, allow_infinity=False)
    return st.sampled_from([0.0, -0.0, 1.0, -1.5, 0.5, 2.0, 3.25, 1e3, float("inf"), float("nan")])


def unary(dtype: str, domain=None, **kwargs):
    """One array of any shape, plus fixed or drawn keyword arguments."""
    return case(arrays(dtype, domain=domain), **kwargs)


def binary(dtype: str, other: str | None = None, scalar: bool = True, domain=None, other_domain=None, **kwargs):
    """Two broadcastable arrays (the second of dtype ``other``), or an array and a Python scalar."""
    other = other or dtype
    pair = broadcastable_shapes(2).flatmap(
        lambda shp: st.tuples(st.just(ArraySpec(shp[0], dtype, domain=domain)),
                              st.just(ArraySpec(shp[1], other, domain=other_domain))))
    if scalar:
        pair = pair | st.tuples(arrays(dtype, domain=domain), scalars(other))
    return st.builds(Case, pair, _kwargs(kwargs), seeds)


def nary(dtypes_: tuple, domains: tuple | None = None, **kwargs):
    """``len(dtypes_)`` mutually broadcastable arrays, of the given dtypes."""
    domains = domains or (None,) * len(dtypes_)
    return broadcastable_shapes(len(dtypes_)).flatmap(
        lambda shp: case(*[ArraySpec(s, d, domain=dom) for s, d, dom in zip(shp, dtypes_, domains)], **kwargs))
