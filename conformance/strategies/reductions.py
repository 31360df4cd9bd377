"""Argument strategies for reductions: ``dim`` (absent, an int, a tuple; keyword or positional), ``keepdim``, the
``dtype=`` argument, extra keyword arguments, and tie-heavy or NaN-heavy values; and the inputs of each reduction
of the catalogue (``sum_inputs`` ...).

Every strategy here draws structure only (a shape, the arguments, a value domain and a seed): values come from
the case's seeded fills, as everywhere in the suite. Strategies are written for the kind representatives (bool,
uint8, int16, float32, complex64); the drawn case is retargeted to every dtype of the kind.

* Shapes come from the size classes of :mod:`conformance.strategies.shapes` (0-d, size-0 and size-1 edges, small,
  medium with a vector tail, long rows of thousands): the reduced dim is the last one more often than not, so the
  blocked and vectorized reduction kernels are reached on every dtype, half types included.
* ``dim`` is drawn among the kinds an op accepts: absent (``none``: reduce everything), ``None`` given
  explicitly (``None``), an int (negative ones included; ``-1`` and ``0`` on 0-d inputs), a tuple of distinct dims
  (the empty tuple included), and, rarely, an invalid one (out of range, or the same dim twice as
  ``(0, -ndim)``), on which torch and NumPy must both raise. An int ``dim`` is given positionally one time in four
  where the op takes it second (``torch.sum(x, 1)``). ``keepdim`` is absent, False or True, whatever the
  ``dim`` (NumPy accepts ``keepdims`` without ``axis``).
* :data:`TIES` is a value domain with five distinct values and :data:`NANS` one with three NaNs in ten values;
  :func:`value_domains` mixes them with the ordinary fills, so that ties (for ``argmax``, ``max(dim)``) and NaNs
  are frequent, while infinities and signed zeros still come from the ``special`` fill.
* ``dtype=`` is drawn as a ``torch.dtype`` (the reference maps it to NumPy's), absent most of the time.
"""
from __future__ import annotations

import math

import torch
from hypothesis import strategies as st

from conformance import dtypes as D
from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import MAX_DIMS, dim_tuples, seeds, shapes

#: integers -2..2 (in any dtype): few distinct values, so every reduced row has ties
TIES = ("int", -2, 3)

#: marks a keyword argument that is left out of the call (the op's default applies)
OMIT = object()

DIM_KINDS = ("none", "None", "int", "tuple")

#: the fills' own values, three in ten of them NaN in the special and extreme fills (floating and complex dtypes)
NANS = ("nan", 0.3, 0)

#: values near 1, so that long products stay in range (and their rounding errors are what is measured)
NEAR_ONE = ("float", 0.9, 1.1)

#: the name of the positional-``dim`` marker in a Case's keyword arguments is never passed: a positional dim is
#: the Case's second positional argument
POSITIONAL = st.sampled_from((False, False, False, True))


def value_domains(ties: bool = True, nans: bool = True, extra=()):
    """The value domain of an input: the ordinary fills, :data:`TIES` (with ``ties``) or :data:`NANS` (with
    ``nans``), in equal shares, and any ``extra`` domains."""
    return st.sampled_from((None,) + ((TIES,) if ties else ()) + ((NANS,) if nans else ()) + tuple(extra))


def dim_args(ndim: int, kinds=DIM_KINDS, invalid: bool = True):
    """A ``dim`` argument for an input of ``ndim`` dims: ``OMIT`` (kind ``none``), ``None`` (kind ``None``), an int
    or a tuple of distinct dims; with ``invalid``, now and then one that both libraries must reject. An int dim is
    the last dim half of the time (the one the size classes make long)."""
    n = max(ndim, 1)
    options = []
    if "none" in kinds:
        options.append(st.just(OMIT))
    if "None" in kinds:
        options.append(st.none())
    if "int" in kinds:
        options.append(st.one_of(st.sampled_from((-1, n - 1)), st.integers(-n, n - 1)))
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
def _reduction(draw, dtype, dim_kinds, keepdim, dtypes_arg, extra, domains, min_dims, max_dims, min_side,
               dim_name, invalid, positional):
    shape = tuple(draw(shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side)))
    x = ArraySpec(shape, dtype, domain=draw(domains))
    args = [x]
    kwargs = []
    if dim_kinds:
        dim = draw(dim_args(len(shape), dim_kinds, invalid))
        if dim is not OMIT:
            if positional and isinstance(dim, int) and draw(POSITIONAL):
                args.append(dim)
            else:
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
    return Case(tuple(args), tuple(kwargs), draw(seeds))


def reduction(dtype: str, *, dims=DIM_KINDS, keepdim: bool = True, dtypes_arg=(), ties: bool = False,
              nans: bool | None = None, domains=(), min_dims: int = 0, max_dims: int = MAX_DIMS,
              min_side: int = 0, dim_name: str = "dim", invalid: bool = True, positional: bool = True, **extra):
    """A Case strategy for ``op(x, dim=..., keepdim=..., dtype=..., **extra)``: the keyword arguments are drawn
    (``dims``: the kinds of ``dim``, empty for none; ``extra``: strategies, ``OMIT`` leaves one out); tie-heavy
    values with ``ties``, NaN-heavy ones with ``nans`` (by default: with ``ties``), and the value ``domains``
    given. ``positional``: the op takes ``dim`` as its second positional argument."""
    doms = value_domains(ties, ties if nans is None else nans, domains)
    return _reduction(dtype, tuple(dims), keepdim, tuple(dtypes_arg), tuple(extra.items()), doms, min_dims,
                      max_dims, min_side, dim_name, invalid, positional and dim_name == "dim")


# ---- the catalogue's reductions ----------------------------------------------------------------------------

CORRECTIONS = st.sampled_from((OMIT, 0, 1, 2))
NORM_ORDS = st.sampled_from((2, 1, math.inf, -math.inf, 0, 3, 0.5, -1))
TORCH_NORM_PS = st.sampled_from(("fro", 2, 1, math.inf))


def sum_inputs(dtype):
    return reduction(dtype, dtypes_arg=dtype_targets(dtype))


def prod_inputs(dtype):
    return reduction(dtype, dtypes_arg=dtype_targets(dtype), domains=(NEAR_ONE,))


def mean_inputs(dtype):
    return reduction(dtype, dtypes_arg=("float32", "float64") if not D.is_complex(dtype) else ("complex128",))


def nan_inputs(dtype):
    """nansum / nanmean: NaN-heavy inputs half of the time."""
    return reduction(dtype, nans=True, dtypes_arg=dtype_targets(dtype))


def var_inputs(dtype):
    return reduction(dtype, correction=CORRECTIONS)


def with_dim(dtype):
    """max(dim) / min(dim) / median(dim): an int dim, tie-heavy values."""
    return reduction(dtype, dims=("int",), ties=True)


def whole(dtype):
    """max / min / median of every element."""
    return reduction(dtype, dims=(), keepdim=False, ties=True)


def amax_inputs(dtype):
    return reduction(dtype, ties=True)


def argmax_inputs(dtype):
    return reduction(dtype, dims=("none", "None", "int"), ties=True)


def all_inputs(dtype):
    return reduction(dtype, ties=True)


def cum_inputs(dtype):
    return reduction(dtype, dims=("int",), keepdim=False, dtypes_arg=dtype_targets(dtype))


def cumprod_inputs(dtype):
    return reduction(dtype, dims=("int",), keepdim=False, dtypes_arg=dtype_targets(dtype), domains=(NEAR_ONE,))


def logsumexp_inputs(dtype):
    return reduction(dtype)


def count_inputs(dtype):
    return reduction(dtype, keepdim=False, ties=True)


def vector_norm_inputs(dtype):
    targets = ("float64",) if D.is_floating(dtype) else ("complex128",) if D.is_complex(dtype) else ()
    return reduction(dtype, ord=NORM_ORDS, dtypes_arg=targets, positional=False)


def norm_inputs(dtype):
    return reduction(dtype, p=TORCH_NORM_PS, positional=False)
