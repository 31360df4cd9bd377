"""Argument strategies for reductions, comparisons and sorting: ``dim`` (absent, an int, a tuple), ``keepdim``,
the ``dtype=`` argument, extra keyword arguments, and tie-heavy values.

Every strategy here draws structure only (a shape, the arguments, a value domain and a seed): values come from
the case's seeded fills, as everywhere in the suite.

* ``dim`` is drawn among the kinds an op accepts: absent (``none``: reduce everything), ``None`` given
  explicitly (``None``), an int (negative ones included; ``-1`` and ``0`` on 0-d inputs), a tuple of distinct dims
  (the empty tuple included), and, rarely, an invalid one (out of range, or the same dim twice as
  ``(0, -ndim)``), on which torch and NumPy must both raise. ``keepdim`` is absent, False or True, whatever the
  ``dim`` (NumPy accepts ``keepdims`` without ``axis``).
* :data:`TIES` is a value domain with five distinct values and :data:`NANS` one with three NaNs in ten values;
  :func:`value_domains` mixes them with the ordinary fills, so that ties (for ``argmax``, ``max(dim)``,
  ``sort(stable=True)``, ``unique``) and NaNs are frequent, while infinities and signed zeros still come from
  the ``special`` fill.
* ``dtype=`` is drawn as a ``torch.dtype`` (the reference maps it to NumPy's), absent most of the time.
"""
from __future__ import annotations

import torch
from hypothesis import strategies as st

from conformance import dtypes as D
from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import MAX_DIMS, MAX_SIDE, dim_tuples, seeds, shapes

#: integers -2..2 (in any dtype): few distinct values, so every reduced row has ties
TIES = ("int", -2, 3)

#: marks a keyword argument that is left out of the call (the op's default applies)
OMIT = object()

DIM_KINDS = ("none", "None", "int", "tuple")


#: the fills' own values, three in ten of them NaN in the special and extreme fills (floating and complex dtypes)
NANS = ("nan", 0.3, 0)


def value_domains(ties: bool = True, nans: bool = True):
    """The value domain of an input: the ordinary fills, :data:`TIES` (with ``ties``) or :data:`NANS` (with
    ``nans``), in equal shares."""
    return st.sampled_from((None,) + ((TIES,) if ties else ()) + ((NANS,) if nans else ()))


def dim_args(ndim: int, kinds=DIM_KINDS, invalid: bool = True):
    """A ``dim`` argument for an input of ``ndim`` dims: ``OMIT`` (kind ``none``), ``None`` (kind ``None``), an int
    or a tuple of distinct dims; with ``invalid``, now and then one that both libraries must reject."""
    n = max(ndim, 1)
    options = []
    if "none" in kinds:
        options.append(st.just(OMIT))
    if "None" in kinds:
        options.append(st.none())
    if "int" in kinds:
        options.append(st.integers(-n, n - 1))
    if "tuple" in kinds:
        options.append(dim_tuples(ndim) if ndim else st.sampled_from(((), (0,), (-1,))))
    valid = st.one_of(*options)
    if not invalid:
        return valid
    bad = [st.sampled_from((n, -n - 1))] if "int" in kinds else []
    if "tuple" in kinds and ndim >= 1:
        bad.append(st.just((0, -ndim)))  # the same dim twice
    if not bad:
        return valid
    return st.one_of(valid, valid, valid, valid, valid, valid, valid, valid, valid, st.one_of(*bad))


def dtype_args(names):
    """A ``dtype=`` argument: ``OMIT`` two times in three, else one of ``names`` (as ``torch.dtype``)."""
    if not names:
        return st.just(OMIT)
    return st.one_of(st.just(OMIT), st.just(OMIT), st.sampled_from(tuple(getattr(torch, n) for n in names)))


def dtype_targets(dtype: str, floating=("float32", "float64"), integral=("int64",)):
    """The ``dtype=`` targets that make sense for an input of ``dtype``: those it casts to under NumPy's
    ``same_kind`` rule (an integer input may go to a float, never a float to an integer)."""
    if D.is_complex(dtype):
        return ("complex128",)
    if D.is_floating(dtype):
        return floating
    return integral + floating


@st.composite
def _reduction(draw, dtype, dim_kinds, keepdim, dtypes_arg, extra, ties, nans, min_dims, max_dims, min_side,
               dim_name, invalid):
    shape = tuple(draw(shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=MAX_SIDE)))
    x = ArraySpec(shape, dtype, domain=draw(value_domains(ties, nans)))
    kwargs = []
    if dim_kinds:
        dim = draw(dim_args(len(shape), dim_kinds, invalid))
        if dim is not OMIT:
            kwargs.append((dim_name, dim))
    if keepdim:
        keep = draw(st.sampled_from((OMIT, False, True)))
        if keep is not OMIT:
            kwargs.append(("keepdim", keep))
    if dtypes_arg:
        dt = draw(dtype_args(dtypes_arg))
        if dt is not OMIT:
            kwargs.append(("dtype", dt))
    for name, strategy in extra:
        value = draw(strategy)
        if value is not OMIT:
            kwargs.append((name, value))
    return Case((x,), tuple(kwargs), draw(seeds))


def reduction(dtype: str, *, dims=DIM_KINDS, keepdim: bool = True, dtypes_arg=(), ties: bool = False,
              nans: bool | None = None, min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 0,
              dim_name: str = "dim", invalid: bool = True, **extra):
    """A Case strategy for ``op(x, dim=..., keepdim=..., dtype=..., **extra)``: the keyword arguments are drawn
    (``dims``: the kinds of ``dim``, empty for none; ``extra``: strategies, ``OMIT`` leaves one out); tie-heavy
    values with ``ties``, NaN-heavy ones with ``nans`` (by default: with ``ties``)."""
    return _reduction(dtype, tuple(dims), keepdim, tuple(dtypes_arg), tuple(extra.items()), ties,
                      ties if nans is None else nans, min_dims, max_dims, min_side, dim_name, invalid)


# ---- comparison -------------------------------------------------------------------------------------------

#: Python ints outside the narrow integer types' ranges: torch converts them to the tensor's dtype
OUT_OF_RANGE_INTS = (-1, -129, 128, 255, 256, 300, -40000, 70000, 2 ** 31, -(2 ** 40))


def comparison_scalars(dtype: str, complex_ok: bool = True):
    """A Python scalar to compare a tensor of ``dtype`` with: bool, small ints, ints out of the narrow integer
    ranges, floats (infinities and NaN included) and, with ``complex_ok``, complex numbers."""
    from conformance.strategies.pointwise import COMPLEX_SCALARS, FLOAT_SCALARS, int_range

    options = [st.booleans(), st.integers(*int_range(dtype)), st.sampled_from(OUT_OF_RANGE_INTS),
               st.sampled_from(FLOAT_SCALARS)]
    if complex_ok and dtype != "float16":  # float16 with a Python complex gives complex32, outside the suite
        options.append(st.sampled_from(COMPLEX_SCALARS))
    return st.one_of(*options)


def comparison(dtype: str, partners, complex_ok: bool = True, scalars: bool = True):
    """``op(x, y)``: ``y`` a broadcastable tensor of ``dtype`` or of a partner dtype, or a Python scalar; half
    the cases draw both tensors' values from :data:`TIES` (so equal elements are frequent)."""
    from conformance.strategies.pointwise import mixed_binary

    kinds = ("bool", "int", "float", "complex")
    plain = mixed_binary(dtype, partners, kinds=kinds, scalars=comparison_scalars(dtype, complex_ok))
    tied = mixed_binary(dtype, partners, kinds=kinds, domain=TIES, other_domain=TIES,
                        scalars=comparison_scalars(dtype, complex_ok))
    nans = mixed_binary(dtype, partners, kinds=kinds, domain=NANS, other_domain=NANS,
                        scalars=comparison_scalars(dtype, complex_ok))
    if scalars:
        return st.one_of(plain, tied, nans)
    # Python scalars one time in six (where the op rejects them)
    arrays = mixed_binary(dtype, partners, kinds=())
    tied_arrays = mixed_binary(dtype, partners, kinds=(), domain=TIES, other_domain=TIES)
    nan_arrays = mixed_binary(dtype, partners, kinds=(), domain=NANS, other_domain=NANS)
    return st.one_of(plain, arrays, tied_arrays, tied_arrays, nan_arrays, nan_arrays)


RTOLS = (OMIT, 0.0, 1e-5, 0.25, 1.0, float("inf"), -1.0)
ATOLS = (OMIT, 0.0, 1e-8, 0.5, 1.0, 1.5, float("inf"), -1.0)
EQUAL_NAN = (OMIT, False, True)
#: the offsets of :func:`near`'s second operand: none at all, or a few units
OFFSETS = (("int", 0, 1), ("int", -1, 2), TIES)


def closeness(dtype: str, partners=()):
    """``isclose``/``allclose(x, y, rtol=, atol=, equal_nan=)`` with broadcastable tensors, ``y`` of ``dtype`` or
    (now and then) of a partner dtype; tolerances include 0, infinity and a negative value."""
    from conformance.strategies.pointwise import shape_pairs

    @st.composite
    def _closeness(draw):
        s0, s1 = draw(shape_pairs())
        dom = draw(value_domains(True))
        other = draw(st.sampled_from((dtype,) * 5 + tuple(partners))) if partners else dtype
        kwargs = []
        for name, pool in (("rtol", RTOLS), ("atol", ATOLS), ("equal_nan", EQUAL_NAN)):
            # the invalid (negative) tolerance one time in about twelve
            v = draw(st.sampled_from(pool[:-1] * 2 + pool[-1:]) if name != "equal_nan" else st.sampled_from(pool))
            if v is not OMIT:
                kwargs.append((name, v))
        return Case((ArraySpec(s0, dtype, domain=dom), ArraySpec(s1, other, domain=dom)), tuple(kwargs),
                    draw(seeds))
    return _closeness()


def near(dtype: str):
    """``(x, d)`` for ``isclose(x, x + d)``: ``x`` from every fill (NaN and infinities included), ``d`` a small
    integer offset (often 0 everywhere), so that the two operands share NaNs and infinities."""
    from conformance.strategies.pointwise import shape_pairs

    @st.composite
    def _near(draw):
        s0, s1 = draw(shape_pairs())
        d = ArraySpec(s1, dtype, domain=draw(st.sampled_from(OFFSETS)))
        x = ArraySpec(s0, dtype, domain=draw(st.sampled_from((None, NANS))))
        kwargs = []
        for name, pool in (("rtol", RTOLS[:-2]), ("atol", ATOLS[:-2]), ("equal_nan", EQUAL_NAN)):
            v = draw(st.sampled_from(pool))
            if v is not OMIT:
                kwargs.append((name, v))
        return Case((x, d), tuple(kwargs), draw(seeds))
    return _near()


def equality(dtype: str, partners=()):
    """``torch.equal(x, y)``: same shapes most of the time, values often all equal (domains with one or two
    values), ``y`` of ``dtype`` or of a partner dtype."""
    from conformance.strategies.pointwise import shape_pairs, shapes as pool_shapes

    @st.composite
    def _equality(draw):
        if draw(st.integers(0, 3)):
            s0 = draw(pool_shapes())
            s1 = s0
        else:
            s0, s1 = draw(shape_pairs())
        dom = draw(st.sampled_from((None, ("int", 0, 1), ("int", 0, 2), NANS)))
        other = draw(st.sampled_from((dtype, dtype) + tuple(partners)))
        return Case((ArraySpec(s0, dtype, domain=dom), ArraySpec(s1, other, domain=dom)), (), draw(seeds))
    return _equality()


# ---- sorting and searching ------------------------------------------------------------------------------

@st.composite
def _along_dim(draw, dtype, extra, ties, k_arg, keepdim, descending):
    from conformance.strategies.pointwise import shapes as pool_shapes

    shape = tuple(draw(pool_shapes()))
    x = ArraySpec(shape, dtype, domain=draw(value_domains(ties)))
    n_dims = max(len(shape), 1)
    dim = draw(st.sampled_from((OMIT,) + tuple(range(-n_dims, n_dims))))
    args = [x]
    kwargs = []
    if k_arg is not None:
        side = shape[dim if dim is not OMIT else -1] if shape else 1
        valid = st.integers(k_arg, side) if side >= k_arg else st.nothing()
        # mostly valid; now and then one below or one above the valid range
        args.append(draw(st.one_of(valid, valid, valid, valid, st.sampled_from((k_arg - 1, side + 1)))))
    if dim is not OMIT:
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
    """``op(x, [k,] dim=..., ...)`` for sort-like ops: ``dim`` absent or any valid one, ``k`` (when ``k_arg``,
    its smallest valid value, 0 or 1, is given) from one below to one above its valid range; tie-heavy values
    half the time."""
    return _along_dim(dtype, tuple(extra.items()), ties, k_arg, keepdim, descending)


BOOLS = (OMIT, False, True)


@st.composite
def _unique(draw, dtype):
    from conformance.strategies.pointwise import shapes as pool_shapes

    shape = tuple(draw(pool_shapes()))
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
    from conformance.strategies.pointwise import shapes as pool_shapes

    dom = draw(st.sampled_from((TIES, None, NANS)))
    n = draw(st.integers(0, 6))
    if draw(st.integers(0, 2)):  # one sequence for every value
        seq = ArraySpec((n,), dtype, domain=dom)
        values = draw(st.one_of(pool_shapes().map(lambda s: ArraySpec(tuple(s), dtype, domain=dom)),
                                st.integers(-3, 3)))
    else:  # one sequence per row of values
        lead = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=2)))
        seq = ArraySpec(lead + (n,), dtype, domain=dom)
        values = ArraySpec(lead + (draw(st.integers(0, 4)),), dtype, domain=dom)
    kwargs = []
    for name, pool in (("right", BOOLS), ("side", (OMIT, "left", "right")), ("out_int32", (OMIT, False, True))):
        v = draw(st.sampled_from(pool))
        if v is not OMIT:
            kwargs.append((name, v))
    return Case((seq, values), tuple(kwargs), draw(seeds))


def searchsorted_args(dtype: str):
    """``searchsorted(boundaries, values, right=, side=, out_int32=)``: a 1-D sequence (values of any shape, or
    a Python int) or one sequence per row of ``values``; tie-heavy values half the time."""
    return _searchsorted(dtype)


@st.composite
def _bincount(draw, dtype):
    n = draw(st.integers(0, 8))
    shape = (n,) if draw(st.integers(0, 9)) else (n, 2)
    dom = draw(st.sampled_from((("int", 0, 6),) * 4 + (("int", 0, 2),) * 3 + (("int", -1, 3),)))
    args = (ArraySpec(shape, dtype, domain=dom),)
    kwargs = []
    w = draw(st.sampled_from((OMIT, "float32", "float64", "int32")))
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


HISTC_RANGES = ((OMIT, OMIT), (0, 0), (-1.0, 1.0), (-2, 2), (0.5, 3.0), (1.0, 1.0), (2.0, -2.0))


@st.composite
def _histc(draw, dtype):
    from conformance.strategies.pointwise import shapes as pool_shapes

    shape = tuple(draw(pool_shapes()))
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
    ranges with values outside, an empty range and an inverted one."""
    return _histc(dtype)
