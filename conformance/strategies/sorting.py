"""Argument strategies for sorting and searching: sort-like ops along a dim (``sort``, ``argsort``, ``topk``,
``kthvalue``), ``unique``, ``searchsorted``, ``bincount`` and ``histc``.

Strategies are written for the kind representatives (bool, uint8, int16, float32, complex64); the drawn case is
retargeted to every dtype of the kind. Shapes come from the size classes of :mod:`conformance.strategies.shapes`
(rows of thousands included: torch sorts long rows with other algorithms than short ones), values are tie-heavy or
NaN-heavy half of the time (:data:`~conformance.strategies.reductions.TIES`, ``NANS``). Index-like arguments are
drawn in the forms a user writes: ``dim`` absent, positive or negative, keyword or positional; ``k`` from one
below to one above its valid range.
"""
from __future__ import annotations

from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.reductions import NANS, OMIT, TIES, value_domains
from conformance.strategies.shapes import pool, seeds, uniform_from

_SHAPES = uniform_from(pool())
#: 1-D lengths from the size classes (the last side of a pooled shape; 0-d shapes give 1)
_LENGTHS = uniform_from(tuple(sorted({s[-1] if s else 1 for s in pool()})))

BOOLS = (OMIT, False, True)


@st.composite
def _along_dim(draw, dtype, extra, ties, k_arg, keepdim, descending):
    shape = tuple(draw(_SHAPES))
    x = ArraySpec(shape, dtype, domain=draw(value_domains(ties)))
    n_dims = max(len(shape), 1)
    dim = draw(st.sampled_from((OMIT, -1) + tuple(range(-n_dims, n_dims))))
    args = [x]
    kwargs = []
    if k_arg is not None:
        side = shape[dim if dim is not OMIT else -1] if shape else 1
        valid = st.integers(k_arg, side) if side >= k_arg else st.nothing()
        small = st.integers(k_arg, min(side, k_arg + 8)) if side >= k_arg else st.nothing()
        # mostly valid (small k often: the partial-sort paths); now and then one below or above the valid range
        args.append(draw(st.one_of(valid, small, valid, small, st.sampled_from((k_arg - 1, side + 1)))))
    if dim is not OMIT:
        if k_arg is None and draw(st.integers(0, 3)) == 0:
            args.append(dim)  # positional: sort(x, 0)
        else:
            kwargs.append(("dim", dim))
    if descending:
        d = draw(st.sampled_from((OMIT, False, True)))
        if d is not OMIT:
            kwargs.append(("descending", d))
    if keepdim:
        kd = draw(st.sampled_from((OMIT, False, True)))
        if kd is not OMIT:
            kwargs.append(("keepdim", kd))
    for name, strategy in extra:
        v = draw(strategy)
        if v is not OMIT:
            kwargs.append((name, v))
    return Case(tuple(args), tuple(kwargs), draw(seeds))


def along_dim(dtype: str, *, k_arg: int | None = None, keepdim: bool = False, descending: bool = False,
              ties: bool = True, **extra):
    """``op(x, [k,] dim=..., ...)`` for sort-like ops: ``dim`` absent or any valid one (given positionally one
    time in four where there is no ``k``), ``k`` (when ``k_arg``, its smallest valid value, 0 or 1, is given)
    from one below to one above its valid range; tie-heavy values half the time."""
    return _along_dim(dtype, tuple(extra.items()), ties, k_arg, keepdim, descending)


def sort_inputs(dtype):
    return along_dim(dtype, descending=True, stable=st.just(True))


def sort_unstable_inputs(dtype):
    return along_dim(dtype, descending=True)


def argsort_inputs(dtype):
    return along_dim(dtype, descending=True, stable=st.sampled_from(BOOLS))


def topk_inputs(dtype):
    return along_dim(dtype, k_arg=0, largest=st.sampled_from(BOOLS), sorted=st.sampled_from(BOOLS))


def kthvalue_inputs(dtype):
    return along_dim(dtype, k_arg=1, keepdim=True)


@st.composite
def _unique(draw, dtype):
    shape = tuple(draw(_SHAPES))
    dom = draw(st.sampled_from((TIES, TIES, ("int", 0, 2), None, NANS)))
    kwargs = []
    for name in ("sorted", "return_inverse", "return_counts"):
        v = draw(st.sampled_from(BOOLS))
        if v is not OMIT:
            kwargs.append((name, v))
    if shape and draw(st.booleans()):
        kwargs.append(("dim", draw(st.integers(-len(shape), len(shape) - 1))))
    return Case((ArraySpec(shape, dtype, domain=dom),), tuple(kwargs), draw(seeds))


def unique_args(dtype: str):
    """``unique(x, sorted=, return_inverse=, return_counts=, dim=)``: values with many duplicates."""
    return _unique(dtype)


@st.composite
def _searchsorted(draw, dtype):
    dom = draw(st.sampled_from((TIES, None, NANS)))
    n = draw(st.one_of(st.integers(0, 6), _LENGTHS))
    if draw(st.integers(0, 2)):  # one sequence for every value
        seq = ArraySpec((n,), dtype, domain=dom)
        values = draw(st.one_of(_SHAPES.map(lambda s: ArraySpec(tuple(s), dtype, domain=dom)),
                                st.integers(-3, 3)))
    else:  # one sequence per row of values
        lead = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=2)))
        seq = ArraySpec(lead + (n,), dtype, domain=dom)
        values = ArraySpec(lead + (draw(st.one_of(st.integers(0, 4), _LENGTHS)),), dtype, domain=dom)
    kwargs = []
    for name, pool_ in (("right", BOOLS), ("side", (OMIT, "left", "right")), ("out_int32", (OMIT, False, True))):
        v = draw(st.sampled_from(pool_))
        if v is not OMIT:
            kwargs.append((name, v))
    return Case((seq, values), tuple(kwargs), draw(seeds))


def searchsorted_args(dtype: str):
    """``searchsorted(boundaries, values, right=, side=, out_int32=)``: a 1-D sequence (values of any shape, or
    a Python int) or one sequence per row of ``values``; tie-heavy values half the time."""
    return _searchsorted(dtype)


@st.composite
def _bincount(draw, dtype):
    n = draw(st.one_of(st.integers(0, 8), _LENGTHS))
    shape = (n,) if draw(st.integers(0, 9)) else (n, 2)
    dom = draw(st.sampled_from((("int", 0, 6),) * 3 + (("int", 0, 40),) + (("int", 0, 2),) * 3 + (("int", -1, 3),)))
    args = (ArraySpec(shape, dtype, domain=dom),)
    kwargs = []
    w = draw(st.sampled_from((OMIT, "float32", "float64", "float16", "int32", "int64")))
    if w is not OMIT:
        wn = n if draw(st.integers(0, 9)) else n + 1
        kwargs.append(("weights", ArraySpec((wn,), w)))
    m = draw(st.sampled_from((OMIT, 0, 3, 8)))
    if m is not OMIT:
        kwargs.append(("minlength", m))
    return Case(args, tuple(kwargs), draw(seeds))


def bincount_args(dtype: str):
    """``bincount(x, weights=, minlength=)``: small non-negative integers (now and then a -1, a 2-D input or
    weights of the wrong length, which both libraries reject)."""
    return _bincount(dtype)


HISTC_RANGES = ((OMIT, OMIT), (0, 0), (-1.0, 1.0), (-2, 2), (0.5, 3.0), (1.0, 1.0), (2.0, -2.0), (-0.3, 0.7))


@st.composite
def _histc(draw, dtype):
    shape = tuple(draw(_SHAPES))
    x = ArraySpec(shape, dtype, domain=draw(value_domains(True)))
    kwargs = []
    bins = draw(st.sampled_from((OMIT, 1, 2, 4, 7)))
    if bins is not OMIT:
        kwargs.append(("bins", bins))
    lo, hi = draw(st.sampled_from(HISTC_RANGES))
    if lo is not OMIT:
        kwargs += [("min", lo), ("max", hi)]
    return Case((x,), tuple(kwargs), draw(seeds))


def histc_args(dtype: str):
    """``histc(x, bins=, min=, max=)``: tie-heavy values (on the bin edges) half the time; the data's range,
    ranges with values outside, an empty range, an inverted one, and one whose ends no binary format holds."""
    return _histc(dtype)


# ---- argwhere, nonzero, isin -----------------------------------------------------------------------------

@st.composite
def _nonzero(draw, dtype, as_tuple):
    shape = tuple(draw(_SHAPES))
    x = ArraySpec(shape, dtype, domain=draw(st.sampled_from((("int", 0, 2), ("int", 0, 2), TIES, None))))
    kwargs = []
    if as_tuple:
        v = draw(st.sampled_from(BOOLS))
        if v is not OMIT:
            kwargs.append(("as_tuple", v))
    return Case((x,), tuple(kwargs), draw(seeds))


def argwhere_inputs(dtype):
    """``argwhere(x)``: zeros half of the time (values 0 and 1), every size class."""
    return _nonzero(dtype, False)


def nonzero_inputs(dtype):
    """``nonzero(x, as_tuple=)``."""
    return _nonzero(dtype, True)


@st.composite
def _isin(draw, dtype):
    shape = tuple(draw(_SHAPES))
    dom = draw(st.sampled_from((TIES, TIES, ("int", 0, 5), NANS)))
    elements = ArraySpec(shape, dtype, domain=dom)
    form = draw(st.sampled_from(("tensor", "tensor", "tensor", "scalar_test", "scalar_elements")))
    if form == "scalar_elements":
        return Case((draw(st.integers(-2, 2)), ArraySpec(tuple(draw(_SHAPES)), dtype, domain=dom)), (), draw(seeds))
    test = draw(st.integers(-2, 2)) if form == "scalar_test" else ArraySpec(
        (draw(st.one_of(st.integers(0, 6), _LENGTHS)),), draw(st.sampled_from((dtype, dtype, "int64", "float32"))),
        domain=dom)
    kwargs = []
    for name in ("assume_unique", "invert"):
        v = draw(st.sampled_from(BOOLS))
        if v is not OMIT:
            kwargs.append((name, v))
    return Case((elements, test), tuple(kwargs), draw(seeds))


def isin_inputs(dtype):
    """``isin(elements, test_elements, assume_unique=, invert=)``: tensors of few distinct values (a partner
    test tensor of another dtype now and then), or a Python int on either side."""
    return _isin(dtype)
