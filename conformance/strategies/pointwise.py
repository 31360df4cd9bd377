"""Strategies for pointwise ops: cheap structure, mixed-dtype operands, Python scalars of every kind, and the
arguments of particular ops (``pow`` exponents, ``clamp`` bounds, ``round`` decimals, ``div`` rounding modes).

Cost. Hypothesis' own engine dominates the cost of a pointwise test (the op and its reference take a fraction of a
millisecond), and drawing a shape with ``hnp.array_shapes`` or ``mutually_broadcastable_shapes`` costs two to three
times more than one ``sampled_from`` draw. So shapes, broadcastable pairs and triples are drawn from the fixed pools
of :mod:`conformance.strategies.shapes` (size classes from 0-d and size-0 to rows of thousands, simplest first, so
that shrinking still goes to the simplest shape); pairs and triples broadcast with dims dropped on the left and
dims of size 1 on either side, 0-d operands included.

Promotion. :func:`mixed_binary` gives the first operand the dtype under test (strategies are drawn for the
representative of each kind and retargeted to every dtype of it) and the second one the same dtype, any other
dtype (``partners``), a Python number of any kind (bool, int, float, complex) or a NumPy scalar of any kind
(``np.float32(1.5)``, ``np.int64(-3)``, ``np.bool_(True)``, ...). Python ints come in and out of the range of
the first operand's dtype (small ones, and 300, -1, 40000, 2**31, 2**40, -2**63...: a value drawn for uint8 or
int16 is out of range for some dtypes of the kind and in range for others once retargeted). Every pair happens,
float16 with a complex operand (complex32 in torch) included.
"""
from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st

from conformance import dtypes as D
from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import seeds

from conformance.strategies.shapes import broadcast_pool, pool, uniform_from

SHAPES = pool()
PAIRS = broadcast_pool(2)
TRIPLES = broadcast_pool(3)


# Strategies are built once: a sampled_from over a long list costs a pass over it whenever a new one is labelled.
_SHAPES_ST = uniform_from(SHAPES)
_PAIRS_ST = uniform_from(PAIRS)
_TRIPLES_ST = uniform_from(TRIPLES)


def shapes():
    """One array shape from :data:`SHAPES`."""
    return _SHAPES_ST


def shape_pairs():
    return _PAIRS_ST


def shape_triples():
    return _TRIPLES_ST


# ---- Python scalars -----------------------------------------------------------------------------------------

FLOAT_SCALARS = (0.0, 1.0, -1.5, 0.5, 2.0, -0.0, 3.25, -7.0, 1e3, 1e-3, 1e5, -1e40, float("inf"), float("-inf"),
                 float("nan"))
COMPLEX_SCALARS = (1j, 1.5 - 1j, -0.5 + 2j, complex(0.0, -0.0), 3 + 0j, complex(-2.0, 0.5))
#: Python ints outside the range of some integer dtype (and of float16's): torch casts them, wrapping around
WIDE_INTS = (300, -1, 255, 256, 40000, -40000, 2 ** 31, -2 ** 31 - 1, 2 ** 40, 2 ** 63 - 1, -2 ** 63)
#: NumPy scalars of every kind (torch takes them as Python numbers of their kind; NumPy 2 as their own dtype)
NUMPY_SCALARS = (np.float64(2.5), np.float32(-1.5), np.float16(0.5), np.int64(-3), np.int8(7), np.uint8(200),
                 np.int32(40000), np.bool_(True), np.complex128(1 - 2j), np.complex64(0.5 + 1j))
SCALAR_KINDS = ("bool", "int", "float", "complex", "numpy")


def int_range(dtype: str) -> tuple[int, int]:
    """Python ints that a tensor of ``dtype`` holds (small ones: results stay readable)."""
    if dtype in ("bool", "uint8") or dtype in D.UNSIGNED:
        return 0, 20
    return -20, 20


@functools.lru_cache(maxsize=None)
def python_scalars(dtype: str, kinds=SCALAR_KINDS, wide_ints: bool = True):
    """A scalar to combine with a tensor of ``dtype``: of each kind in ``kinds`` ("numpy": a NumPy scalar);
    ``wide_ints``: Python ints out of the dtype's range too (a fifth of them)."""
    options = []
    for kind in kinds:
        if kind == "bool":
            options.append(st.booleans())
        elif kind == "int":
            ints = st.integers(*int_range(dtype))
            options.append(st.one_of(ints, ints, ints, ints, st.sampled_from(WIDE_INTS)) if wide_ints else ints)
        elif kind == "float":
            options.append(st.sampled_from(FLOAT_SCALARS))
        elif kind == "complex":
            options.append(st.sampled_from(COMPLEX_SCALARS))
        elif kind == "numpy":
            options.append(st.sampled_from(NUMPY_SCALARS))
    return st.one_of(*options)


def _kw(pairs):
    return tuple((k, v) for k, v in pairs if v is not _OMIT)


_OMIT = object()


@functools.lru_cache(maxsize=None)
def _other_dtypes(dtype: str, partners) -> st.SearchStrategy:
    """The dtype of a second operand: the same one three times as often as each partner."""
    others = tuple(p for p in partners if p != dtype)
    return st.sampled_from((dtype,) * max(1, len(others) // 3) + others)


_FORMS = st.sampled_from(("arrays", "arrays", "scalar"))
_ARRAYS_ONLY = st.just("arrays")


@st.composite
def _mixed_binary(draw, dtype, partners, kinds, domain, other_domain, scalar_domain, kwargs):
    form = draw(_FORMS if kinds else _ARRAYS_ONLY)
    if form == "arrays":
        s0, s1 = draw(shape_pairs())
        other = draw(_other_dtypes(dtype, partners))
        dom = other_domain(other) if callable(other_domain) else other_domain
        args = (ArraySpec(s0, dtype, domain=domain), ArraySpec(s1, other, domain=dom))
    else:
        scal = draw(scalar_domain if scalar_domain is not None else python_scalars(dtype, kinds))
        args = (ArraySpec(draw(shapes()), dtype, domain=domain), scal)
    kw = [(k, draw(v) if isinstance(v, st.SearchStrategy) else v) for k, v in kwargs]
    return Case(args, _kw(kw), draw(seeds))


def mixed_binary(dtype: str, partners=D.ALL, kinds=SCALAR_KINDS, domain=None, other_domain=None,
                 scalars=None, **kwargs):
    """``op(x, y, **kwargs)``: ``x`` of ``dtype``; ``y`` a broadcastable array of ``dtype`` or of one of
    ``partners``, or a Python scalar of one of ``kinds`` (or drawn from ``scalars``). ``other_domain`` may be a
    function of ``y``'s dtype. A keyword strategy drawing :data:`OMIT` leaves the keyword out."""
    return _mixed_binary(dtype, tuple(partners), tuple(kinds), domain, other_domain, scalars,
                         tuple(kwargs.items()))


OMIT = _OMIT


def unary(dtype: str, domain=None, **kwargs):
    """``op(x, **kwargs)`` with ``x`` of any shape from :data:`SHAPES`."""
    kw = tuple(kwargs.items())
    return st.builds(lambda shape, seed, *vals: Case((ArraySpec(shape, dtype, domain=domain),),
                                                       _kw(zip([k for k, _ in kw], vals)), seed),
                     shapes(), seeds, *[v if isinstance(v, st.SearchStrategy) else st.just(v) for _, v in kw])


# ---- op-specific arguments ----------------------------------------------------------------------------------

def rounding_modes():
    """``div``'s ``rounding_mode``: left out, None, 'trunc' or 'floor'."""
    return st.sampled_from((OMIT, None, "trunc", "floor"))


def alphas(dtype: str):
    """``add``/``sub``'s ``alpha``: left out, else an int, a float or (complex) a complex. The floats include
    ones with a full significand (1.1, -0.3), whose product with y is inexact in every float dtype: only they show
    a product rounded in the wrong precision."""
    values = [OMIT, OMIT, 1, 2, -1, 0, 3]
    if D.is_inexact(dtype):
        values += [0.5, -2.5, 1.1, -0.3]
    if D.is_complex(dtype):
        values += [1j]
    if dtype in D.INTEGRAL:
        values += [0.5]  # a float alpha with integer tensors: torch refuses it (a recorded divergence)
    return st.sampled_from(tuple(values))


_DECIMALS = st.sampled_from((_OMIT, _OMIT, 0, 1, 2, 3, -1, -2, -3))


def decimals():
    """``round``'s ``decimals``: left out a third of the time, else -3..3."""
    return _DECIMALS


#: pow exponents as Python scalars: integers (negative ones included), fractions, and special values
POW_SCALARS = (2, 0, 1, 3, -1, -2, 5, 0.5, 2.0, -0.5, 1.5, -1.5, 0.0, 1 / 3, -3.0, float("inf"), float("-inf"),
               float("nan"))


_POW_FORMS = st.sampled_from(("tensor", "scalar", "negative"))
_POW_SCALARS_ST = st.sampled_from(POW_SCALARS)
_SIGNED_ST = st.sampled_from(D.SIGNED)
_CLAMP_FORMS = st.sampled_from(("scalars", "scalars", "tensors", "tensors", "mixed", "neither"))
_CLAMP_WHICH = st.sampled_from(("min", "max", "both"))
_QUARTER = st.integers(0, 3)
_HALF = st.booleans()


def _pow_exponent_domain(other: str):
    """Integer exponent tensors hold 0..7 (NumPy refuses negative integer powers of integers, see the divergence
    on the ``neg_exponents`` strategy); other exponents come from the ordinary fills (specials included)."""
    return ("int", 0, 8) if other in D.INTEGRAL else None


@st.composite
def _pow_case(draw, dtype, partners):
    form = draw(_POW_FORMS)
    if form == "scalar":
        s = draw(shapes())
        e = draw(_POW_SCALARS_ST)
        return Case((ArraySpec(s, dtype), e), (), draw(seeds))
    s0, s1 = draw(shape_pairs())
    other = draw(_other_dtypes(dtype, partners))
    if form == "negative":  # integer exponent tensors with negative entries
        other = draw(_SIGNED_ST)
        dom = ("int", -3, 3)
    else:
        dom = _pow_exponent_domain(other)
    return Case((ArraySpec(s0, dtype), ArraySpec(s1, other, domain=dom)), (), draw(seeds))


def pow_args(dtype: str, partners=D.ALL):
    """``pow(x, e)``: ``e`` a broadcastable tensor (of ``dtype`` or a partner dtype; integer exponents 0..7), a
    Python scalar from :data:`POW_SCALARS`, or a signed integer tensor with negative entries (-3..2)."""
    return _pow_case(dtype, tuple(partners))


@st.composite
def _clamp_case(draw, dtype, partners):
    form = draw(_CLAMP_FORMS)
    which = draw(_CLAMP_WHICH)
    if form == "neither":
        return Case((ArraySpec(draw(shapes()), dtype),), (), draw(seeds))
    if form == "scalars":
        kinds = ("int", "float") if dtype != "bool" else ("bool",)
        x = ArraySpec(draw(shapes()), dtype)
        lo = draw(python_scalars(dtype, kinds, False)) if which != "max" else _OMIT
        hi = draw(python_scalars(dtype, kinds, False)) if which != "min" else _OMIT
    else:
        s0, s1, s2 = draw(shape_triples())
        x = ArraySpec(s0, dtype)
        lo = ArraySpec(s1, draw(_other_dtypes(dtype, partners))) if which != "max" else _OMIT
        hi = ArraySpec(s2, draw(_other_dtypes(dtype, partners))) if which != "min" else _OMIT
        if form == "mixed":  # one tensor bound and one Python number
            hi = draw(python_scalars(dtype, ("int",), False))
            if lo is _OMIT:
                lo = ArraySpec(s1, dtype)
    return Case((x,), _kw([("min", lo), ("max", hi)]), draw(seeds))


def clamp_args(dtype: str, partners=D.REAL):
    """``clamp(x, min=..., max=...)``: min only, max only or both; Python numbers (NaN and infinities included
    for floats), broadcastable tensors (of ``dtype`` or a partner dtype), a tensor with a number, or neither."""
    return _clamp_case(dtype, tuple(partners))


@st.composite
def _where_case(draw, dtype, partners, kinds):
    s0, s1, s2 = draw(shape_triples())
    if draw(_HALF):  # half of the time the condition has the fewest dims: it is the one broadcast
        s0, s1, s2 = sorted((s0, s1, s2), key=len)
    cond = ArraySpec(s0, "bool")
    x = ArraySpec(s1, dtype)
    if kinds and draw(_QUARTER) == 3:
        y = draw(python_scalars(dtype, kinds))
    else:
        other = draw(_other_dtypes(dtype, partners))
        x = ArraySpec(s1, dtype)
        y = ArraySpec(s2, other)
    return Case((cond, x, y), (), draw(seeds))


def where_args(dtype: str, partners=D.ALL, kinds=SCALAR_KINDS):
    """``where(cond, x, y)``: a bool condition and two operands, all three mutually broadcastable; ``y`` of
    ``dtype``, a partner dtype, or a Python scalar."""
    return _where_case(dtype, tuple(partners), tuple(kinds))


# ---- arguments of the further pointwise ops (catalogue/pointwise_more.py) ----------------------------------

_NAN_TO_NUM_VALUES = st.sampled_from((_OMIT, _OMIT, _OMIT, 0.0, -1.5, 7.0, 1e5, -1e40, None))


def nan_to_num_args(dtype: str):
    """``nan_to_num(x, nan=..., posinf=..., neginf=...)``: each replacement left out (the defaults: 0 and the
    dtype's largest finite values), None (the default, spelled), or a Python float in and out of the half types'
    ranges."""
    return unary(dtype, nan=_NAN_TO_NUM_VALUES.filter(lambda v: v is not None), posinf=_NAN_TO_NUM_VALUES,
                 neginf=_NAN_TO_NUM_VALUES)


def _int_exponent_domain(other: str):
    """Integer exponent / shift-amount tensors hold -3..69 (past every bit width, a few negative); floating ones
    come from the fills."""
    return ("int", -3, 70) if other in D.INTEGRAL else None


def exponent_binary(dtype: str, partners=D.ALL, kinds=SCALAR_KINDS):
    """``op(x, n)`` where ``n`` is an exponent or a shift amount: integer tensors of -3..69, other partners from the
    fills, Python scalars of ``kinds``."""
    return mixed_binary(dtype, partners, kinds, other_domain=_int_exponent_domain)
