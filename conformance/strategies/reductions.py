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
TORCH_NORM_PS = st.sampled_from(("fro", 2, 1, math.inf, 3))


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
    """dim is required by torch.logsumexp: an int or a tuple three times in four (a gradient test needs samples
    that compute), any kind of dim (absent and None included, which torch rejects) otherwise."""
    given = reduction(dtype, dims=("int", "tuple"))
    return st.one_of(given, given, given, reduction(dtype))


def count_inputs(dtype):
    return reduction(dtype, keepdim=False, ties=True)


def vector_norm_inputs(dtype):
    targets = ("float64",) if D.is_floating(dtype) else ("complex128",) if D.is_complex(dtype) else ()
    return reduction(dtype, ord=NORM_ORDS, dtypes_arg=targets, positional=False)


def norm_inputs(dtype):
    return reduction(dtype, p=TORCH_NORM_PS, positional=False)


# ---- wave 2: diff, trapezoid, gradient, quantile, cov ------------------------------------------------------

def _int_dim(draw, ndim: int):
    """``dim`` for ops along one dim: OMIT (the default, the last dim) half the time, else any valid one."""
    n = max(ndim, 1)
    return draw(st.sampled_from((OMIT, OMIT, -1) + tuple(range(-n, n))))


def _side(shape, dim):
    return shape[dim if dim is not OMIT else -1] if shape else 1


@st.composite
def _diff(draw, dtype):
    shape = tuple(draw(shapes(min_dims=1)))
    x = ArraySpec(shape, dtype, domain=draw(value_domains()))
    dim = _int_dim(draw, len(shape))
    kwargs = []
    n = draw(st.sampled_from((OMIT, OMIT, 0, 1, 2, 3)))
    if n is not OMIT:
        kwargs.append(("n", n))
    if dim is not OMIT:
        kwargs.append(("dim", dim))
    axis = (dim if dim is not OMIT else -1) % len(shape)
    for name in ("prepend", "append"):
        if draw(st.integers(0, 2)) == 0:
            side = draw(st.sampled_from((1, 2, 5)))
            other = tuple(side if i == axis else s for i, s in enumerate(shape))
            kwargs.append((name, ArraySpec(other, dtype)))
    return Case((x,), tuple(kwargs), draw(seeds))


def diff_inputs(dtype):
    """``diff(x, n=, dim=, prepend=, append=)``: inputs of every size class (the differences run along the
    long last dim), n from 0 to 3, prepend / append tensors of a few slices (of the input's dtype)."""
    return _diff(dtype)


@st.composite
def _trapezoid(draw, dtype):
    shape = tuple(draw(shapes(min_dims=1)))
    y = ArraySpec(shape, dtype, domain=draw(value_domains(nans=False)))
    dim = _int_dim(draw, len(shape))
    args = [y]
    kwargs = []
    form = draw(st.sampled_from(("none", "dx", "dx", "x", "x_full")))
    axis = (dim if dim is not OMIT else -1) % len(shape)
    if form == "dx":
        kwargs.append(("dx", draw(st.sampled_from((0.5, 2, -1.5, 3.25)))))
    elif form == "x":  # sample points along dim, 1-D, increasing integers (exact differences in every dtype)
        args.append(ArraySpec((shape[axis],), dtype, domain=("int", 0, 4)))
    elif form == "x_full":  # sample points of y's shape
        args.append(ArraySpec(shape, dtype, domain=("int", -3, 4)))
    if dim is not OMIT:
        kwargs.append(("dim", dim))
    return Case(tuple(args), tuple(kwargs), draw(seeds))


def trapezoid_inputs(dtype):
    """``trapezoid(y[, x], dx=, dim=)``: no spacing, a Python scalar ``dx``, 1-D sample points along dim, or
    sample points of y's shape."""
    return _trapezoid(dtype)


@st.composite
def _gradient(draw, dtype):
    shape = tuple(draw(shapes(min_dims=1, max_dims=3)))
    x = ArraySpec(shape, dtype, domain=draw(value_domains(nans=False)))
    kwargs = []
    nd = len(shape)
    dim = draw(st.sampled_from((OMIT, "int", "tuple")))
    dims = tuple(range(nd))
    if dim == "int":
        d = draw(st.integers(-nd, nd - 1))
        kwargs.append(("dim", d))
        dims = (d % nd,)
    elif dim == "tuple":
        ds = draw(dim_tuples(nd, min_size=1))
        kwargs.append(("dim", list(ds)))
        dims = tuple(d % nd for d in ds)
    spacing = draw(st.sampled_from((OMIT, "scalar", "scalars", "coordinates")))
    if spacing == "scalar":
        kwargs.append(("spacing", draw(st.sampled_from((2, 0.5, -1.5)))))
    elif spacing == "scalars":
        kwargs.append(("spacing", [draw(st.sampled_from((1, 2.0, 0.25, -3))) for _ in dims]))
    elif spacing == "coordinates":  # strictly increasing integer coordinates, one tensor per dim
        kwargs.append(("spacing", [ArraySpec((shape[d],), "float64", domain=("int", 0, 1)) for d in dims]))
    order = draw(st.sampled_from((OMIT, 1, 2)))
    if order is not OMIT:
        kwargs.append(("edge_order", order))
    return Case((x,), tuple(kwargs), draw(seeds))


def gradient_inputs(dtype):
    """``gradient(x, spacing=, dim=, edge_order=)``: spacing absent, a scalar, one scalar per dim or coordinate
    tensors (their values are made increasing by the entry's callables), dim absent, an int or a list."""
    return _gradient(dtype)


QS = (0.0, 0.25, 0.5, 0.9, 1.0, 0.3333)
INTERPOLATIONS = (OMIT, "linear", "lower", "higher", "nearest", "midpoint")


@st.composite
def _quantile(draw, dtype, nan):
    shape = tuple(draw(shapes()))
    x = ArraySpec(shape, dtype, domain=draw(value_domains(nans=nan)))
    q = draw(st.one_of(st.sampled_from(QS), st.just("tensor")))
    if q == "tensor":
        q = ArraySpec((draw(st.integers(0, 4)),), dtype, domain=("float", 0.0, 1.0))
    kwargs = []
    dim = draw(st.sampled_from((OMIT, None, "int")))
    if dim == "int":
        kwargs.append(("dim", draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))))
    elif dim is None:
        kwargs.append(("dim", None))
    keep = draw(st.sampled_from((OMIT, False, True)))
    if keep is not OMIT:
        kwargs.append(("keepdim", keep))
    how = draw(st.sampled_from(INTERPOLATIONS))
    if how is not OMIT:
        kwargs.append(("interpolation", how))
    return Case((x, q), tuple(kwargs), draw(seeds))


def quantile_inputs(dtype):
    """``quantile(x, q, dim=, keepdim=, interpolation=)``: q a Python float or a 1-D tensor of the input's dtype
    (of up to 4 values), every interpolation mode."""
    return _quantile(dtype, False)


def nanquantile_inputs(dtype):
    return _quantile(dtype, True)


@st.composite
def _cov(draw, dtype, weights):
    rows = draw(st.sampled_from((None, 1, 2, 3)))
    n = draw(st.sampled_from((0, 1, 2, 3, 5, 17, 64, 257)))
    shape = (n,) if rows is None else (rows, n)
    x = ArraySpec(shape, dtype, domain=draw(value_domains(nans=False)))
    kwargs = []
    if weights:
        c = draw(st.sampled_from((OMIT, 0, 1, 2)))
        if c is not OMIT:
            kwargs.append(("correction", c))
        if draw(st.integers(0, 2)) == 0:
            kwargs.append(("fweights", ArraySpec((n,), draw(st.sampled_from(("int64", "int32"))), domain=("int", 0, 4))))
        if draw(st.integers(0, 2)) == 0:
            # torch requires aweights of the input's floating dtype
            aw = dtype if dtype == "float32" else "float32"
            kwargs.append(("aweights", ArraySpec((n,), aw, domain=("float", 0.0, 2.0))))
    return Case((x,), tuple(kwargs), draw(seeds))


def cov_inputs(dtype):
    """``cov(x, correction=, fweights=, aweights=)``: 1-D (one variable) or 2-D (rows are variables) inputs of up
    to 257 observations (rows longer than that repeat the same sums), integer and float weights."""
    return _cov(dtype, True)


def corrcoef_inputs(dtype):
    return _cov(dtype, False)
