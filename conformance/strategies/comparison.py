"""Argument strategies for comparisons: ``op(x, y)`` with ``y`` a broadcastable tensor (of the same or another
dtype, zero-dim ones included) or a scalar of any kind a user writes; ``isclose``/``allclose`` with their
tolerances; ``torch.equal``.

Strategies are written for the kind representatives (bool, uint8, int16, float32, complex64): the drawn case is
retargeted to every dtype of the kind, so an array of the representative's dtype takes the cell's dtype, while a
partner array keeps its own (``PARTNERS``: every kind and width, so torch's promotion is exercised on each cell;
a partner of the representative's own dtype would be retargeted with it, so the representatives are not
partners: a float16 cell meets float64, bfloat16 and integer partners, not float32 ones).

Scalars: Python bools, ints (small ones, and ones outside the range of the narrow integer types, of int64 and of
uint64), floats (infinities, NaN and -0.0 included, and values no binary format holds exactly), complex numbers,
and NumPy scalars (``np.float64(1.5)``, ``np.int64(300)``, ``np.bool_(True)``, ...), which torch takes as it takes
the Python number of the same kind while NumPy takes them as typed values (NEP 50).

Half of the cases draw both tensors' values from :data:`~conformance.strategies.reductions.TIES` (so equal
elements, and exact boundaries of ``isclose`` such as ``|x - y| == atol``, are frequent) or NaN-heavy ones.
Shapes and broadcastable pairs come from the size classes of :mod:`conformance.strategies.shapes`.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.reductions import NANS, OMIT, TIES, value_domains
from conformance.strategies.shapes import broadcast_pool, pool, seeds, uniform_from

_SHAPES = uniform_from(pool())
_PAIRS = uniform_from(broadcast_pool(2))

#: the dtypes of a second tensor operand (besides the cell's own): every kind and width that promotes
PARTNERS = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64")
C_PARTNERS = PARTNERS + ("complex64", "complex128")

#: Python ints outside the narrow integer types' ranges, and outside int64's and uint64's
OUT_OF_RANGE_INTS = (-1, -129, 128, 255, 256, 300, -40000, 70000, 2 ** 31, -(2 ** 40), 2 ** 63, 2 ** 64,
                     -(2 ** 63) - 1)
FLOAT_SCALARS = (0.0, -0.0, 1.0, -1.5, 0.5, 2.0, 3.25, -7.0, 1e3, 1e-3, 0.1, 70000.0, 1e39, float("inf"),
                 float("-inf"), float("nan"))
COMPLEX_SCALARS = (1j, 1.5 - 1j, -0.5 + 2j, complex(0.0, -0.0), 3 + 0j, complex(-2.0, 0.5))
#: NumPy scalars: typed values in NumPy (NEP 50), numbers of their kind in torch
NUMPY_SCALARS = (np.float64(1.5), np.float64(0.1), np.float32(0.1), np.float16(2.0), np.int64(300), np.int64(-1),
                 np.int8(2), np.uint8(200), np.bool_(True), np.complex64(1 - 1j), np.complex128(1 - 1j))


def small_ints(dtype: str):
    """Python ints that a tensor of the representative ``dtype``'s kind holds (non-negative for unsigned)."""
    return st.integers(0, 20) if dtype == "uint8" else st.integers(-20, 20)


def scalars(dtype: str, complex_ok: bool = True):
    """A scalar to compare a tensor of ``dtype`` with: Python bools, ints in and out of range, floats, complex
    numbers (with ``complex_ok``) and NumPy scalars."""
    options = [st.booleans(), small_ints(dtype), st.sampled_from(OUT_OF_RANGE_INTS), st.sampled_from(FLOAT_SCALARS),
               st.sampled_from(NUMPY_SCALARS if complex_ok else NUMPY_SCALARS[:-2])]
    if complex_ok:
        options.append(st.sampled_from(COMPLEX_SCALARS))
    return st.one_of(*options)


@st.composite
def _binary(draw, dtype, partners, domain, scalar_st):
    if scalar_st is not None and draw(st.integers(0, 2)) == 0:
        return Case((ArraySpec(draw(_SHAPES), dtype, domain=domain), draw(scalar_st)), (), draw(seeds))
    s0, s1 = draw(_PAIRS)
    other = draw(st.sampled_from((dtype,) * 4 + tuple(p for p in partners if p != dtype)))
    return Case((ArraySpec(s0, dtype, domain=domain), ArraySpec(s1, other, domain=domain)), (), draw(seeds))


def comparison(dtype: str, partners=C_PARTNERS, complex_ok: bool = True, scalars_: bool = True):
    """``op(x, y)``: ``y`` a broadcastable tensor of ``dtype`` or of a partner dtype, or a scalar (one time in
    three; with ``scalars_=False`` for ops that take tensors only, still one time in nine, which they reject);
    values ordinary, tie-heavy or NaN-heavy in equal shares."""
    sc = scalars(dtype, complex_ok)
    rare = st.one_of(st.none(), st.none(), sc)  # scalars a third as often
    return st.one_of(*[_binary(dtype, tuple(partners), dom, sc if scalars_ else rare)
                       for dom in (None, TIES, NANS)])


RTOLS = (OMIT, 0.0, 1e-5, 0.25, 1.0, float("inf"), -1.0)
ATOLS = (OMIT, 0.0, 1e-8, 0.5, 1.0, 1.5, float("inf"), -1.0)
EQUAL_NAN = (OMIT, False, True)
#: the offsets of :func:`near`'s second operand: none at all, or a few units
OFFSETS = (("int", 0, 1), ("int", -1, 2), TIES)


def _tolerances(draw, with_invalid: bool):
    kwargs = []
    for name, pool_ in (("rtol", RTOLS), ("atol", ATOLS), ("equal_nan", EQUAL_NAN)):
        if name == "equal_nan":
            v = draw(st.sampled_from(pool_))
        elif with_invalid:  # the invalid (negative) tolerance one time in about twelve
            v = draw(st.sampled_from(pool_[:-1] * 2 + pool_[-1:]))
        else:
            v = draw(st.sampled_from(pool_[:-2]))
        if v is not OMIT:
            kwargs.append((name, v))
    return tuple(kwargs)


def closeness(dtype: str, partners=()):
    """``isclose``/``allclose(x, y, rtol=, atol=, equal_nan=)`` with broadcastable tensors, ``y`` of ``dtype`` or
    (now and then) of a partner dtype; tolerances include 0, infinity and a negative value."""
    @st.composite
    def _closeness(draw):
        s0, s1 = draw(_PAIRS)
        dom = draw(value_domains(True))
        other = draw(st.sampled_from((dtype,) * 5 + tuple(partners))) if partners else dtype
        return Case((ArraySpec(s0, dtype, domain=dom), ArraySpec(s1, other, domain=dom)),
                    _tolerances(draw, True), draw(seeds))
    return _closeness()


def near(dtype: str):
    """``(x, d)`` for ``isclose(x, x + d)``: ``x`` from every fill (NaN and infinities included), ``d`` a small
    integer offset (often 0 everywhere), so that the two operands share NaNs and infinities."""
    @st.composite
    def _near(draw):
        s0, s1 = draw(_PAIRS)
        d = ArraySpec(s1, dtype, domain=draw(st.sampled_from(OFFSETS)))
        x = ArraySpec(s0, dtype, domain=draw(st.sampled_from((None, NANS))))
        return Case((x, d), _tolerances(draw, False), draw(seeds))
    return _near()


def equality(dtype: str, partners=("int64", "float32")):
    """``torch.equal(x, y)``: same shapes most of the time, values often all equal (domains with one or two
    values), ``y`` of ``dtype`` or of a partner dtype."""
    @st.composite
    def _equality(draw):
        if draw(st.integers(0, 3)):
            s0 = draw(_SHAPES)
            s1 = s0
        else:
            s0, s1 = draw(_PAIRS)
        dom = draw(st.sampled_from((None, ("int", 0, 1), ("int", 0, 2), NANS)))
        other = draw(st.sampled_from((dtype, dtype) + tuple(partners)))
        return Case((ArraySpec(s0, dtype, domain=dom), ArraySpec(s1, other, domain=dom)), (), draw(seeds))
    return _equality()
