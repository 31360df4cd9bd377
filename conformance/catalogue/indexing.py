"""Indexing: index_select, take, take_along_dim, gather, scatter (src, value, reduce), scatter_add,
scatter_reduce, index_add, index_copy, index_fill, index_put (with and without accumulate), masked_fill,
masked_select, masked_scatter, and tensor ``__getitem__``.

Index arrays are drawn by :mod:`conformance.strategies.indices`: int64 and int32, every valid value (negative
ones where the op takes them), and on purpose narrow ranges that repeat indices. Accumulating ops (scatter_add,
scatter with ``reduce``, scatter_reduce, index_add, index_put with ``accumulate``) must apply every duplicate;
ops whose result with duplicates is unspecified (scatter with ``src`` and no reduction, index_copy, index_put
without ``accumulate``) get indices that cannot repeat here, and a bespoke property for duplicates
(``suite/test_scatter.py``). Generic strategies never give an out-of-range index (on CUDA it would trip a
device-side assert): the error cases are bespoke, CPU-only tests (``suite/test_indexing.py``).

Tolerance of accumulated float results (``tol_fn``)
---------------------------------------------------
An accumulating op adds (or multiplies) ``m`` terms into one element — the element itself when it takes part,
and each value an index sends there — in an order and a precision torch does not document: CPU kernels of
``scatter_add`` accumulate half-precision types in float32, ``index_add`` and ``index_put`` add in the tensor's
own dtype one term at a time, CUDA kernels use atomics in any order. The reference is the exact result rounded
once. With ``u`` the unit roundoff of the dtype (plus 2**-53 for the float64 reference) and
``gamma(k) = k u / (1 - k u)``, recursive summation in any order satisfies ``|err| <= gamma(m - 1) S`` with
``S = sum |t_i|`` (Higham, *Accuracy and Stability of Numerical Algorithms*, ch. 4); one more rounding for the
product ``alpha * source`` and one for a mean's division give the bound used, ``gamma(m + 1) S`` (``/ m`` for a
mean), added to the table's ``atol`` at the written elements only (the others must hold their old value). A
product of ``m`` terms has relative error ``gamma(m)``, valid while no partial product leaves the normal range.
Where a partial sum may exceed the largest finite value (``S (1 + gamma) >`` it), or a partial product may leave
the normal range (or meets a term with an infinite component, whose other partial products may overflow in the
working precision: inf - inf is NaN), the element is marked ``may_overflow`` (see :mod:`conformance.compare`)
with no bound: the rounded reference may be an infinity where torch's partial sums stay at the largest finite
value, or the other way round. Max and min select: they are compared exactly.
"""
from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import torch

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import indexing as R
from conformance.strategies import ArraySpec
from conformance.strategies import indices as I

F = "indexing"
INF = math.inf

#: dtypes of the ops that only move values: bool, a 4-byte and a 16-byte element
MOVE = ("bool", "float32", "complex128")
#: dtypes of the ops that compute: bool (or/and), integers (wrap-around), the half-precision floats (accumulation
#: precision), float32 and complex
ACCUMULATE = ("bool", "int8", "float16", "bfloat16", "float32", "complex64")

DOCS = "https://docs.pytorch.org/docs/stable/generated/"

# ---- tolerance of accumulating ops --------------------------------------------------------------------------

EPS = {"float16": 2.0 ** -11, "bfloat16": 2.0 ** -8, "float32": 2.0 ** -24, "float64": 2.0 ** -53,
       "complex64": 2.0 ** -24, "complex128": 2.0 ** -53}
BIGGEST = {"float16": 65504.0, "bfloat16": float(ml_dtypes.finfo(ml_dtypes.bfloat16).max),
           "float32": float(np.finfo(np.float32).max), "float64": float(np.finfo(np.float64).max)}
BIGGEST["complex64"], BIGGEST["complex128"] = BIGGEST["float32"], BIGGEST["float64"]
TINY = {"float16": float(np.finfo(np.float16).tiny), "bfloat16": float(ml_dtypes.finfo(ml_dtypes.bfloat16).tiny),
        "float32": float(np.finfo(np.float32).tiny), "float64": float(np.finfo(np.float64).tiny)}
TINY["complex64"], TINY["complex128"] = TINY["float32"], TINY["float64"]


def gamma(k, u):
    ku = np.asarray(k, dtype=np.float64) * u
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ku < 1, ku / np.where(ku < 1, 1 - ku, 1), INF)


def _mag(a) -> np.ndarray:
    a = np.abs(np.asarray(a).astype(np.complex128 if np.asarray(a).dtype.kind == "c" else np.float64))
    return np.where(np.isfinite(a), a, 0.0)


def _finite(a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind == "c":
        return np.isfinite(a.real) & np.isfinite(a.imag)
    return np.isfinite(a.astype(np.float64))


def _bound(name, out_shape, sel, self_vals, vals, include_self=True, mean=False, prod=False, scale=1.0):
    """The tolerance of one accumulated result: see the module docstring."""
    from conformance.compare import TOLERANCES

    rtol, atol = TOLERANCES[name]
    u = EPS[name] + EPS["float64"]
    written = np.zeros(out_shape, dtype=bool)
    written[sel] = True
    count = np.where(written & include_self, 1.0, 0.0)
    np.add.at(count, sel, 1.0)
    if prod:
        with np.errstate(divide="ignore"):
            def lg(a):
                m = _mag(a)
                return np.where(m > 0, np.log2(np.where(m > 0, m, 1.0)), 0.0)
            hi = np.where(include_self, np.maximum(lg(self_vals), 0), 0.0).astype(np.float64)
            lo = np.where(include_self, np.minimum(lg(self_vals), 0), 0.0).astype(np.float64)
            np.add.at(hi, sel, np.maximum(lg(vals), 0))
            np.add.at(lo, sel, np.minimum(lg(vals), 0))
        # a complex product rounds each of its components after two products and a sum: sqrt(2) * gamma(2)
        # per multiplication (Higham, Lemma 3.5), below 3u
        g = gamma(count * (3 if name in D.COMPLEX else 1), u)
        over = written & ((hi + 1 > math.log2(BIGGEST[name])) | (lo - 1 < math.log2(TINY[name])))
        # a term with an infinite component: the finite partial products of the component formula (ac - bd)
        # may overflow in the working precision (inf - inf is NaN) where the reference's do not
        special = np.where(include_self, ~_finite(self_vals), False)
        np.logical_or.at(special, sel, ~_finite(vals))
        over |= written & special & (count >= 2)
        with np.errstate(over="ignore"):
            magnitude = np.exp2(hi + lo)  # |product| = product of |terms|: the relative bound as an absolute one
        return {name: (rtol, np.where(over, INF, atol + np.where(written, g * magnitude, 0.0)), over)}
    s = np.where(written & include_self, _mag(self_vals), 0.0)
    np.add.at(s, sel, _mag(vals) * abs(scale))
    g = gamma(count + 1, u)
    bound = np.where(written, g * s / (np.maximum(count, 1) if mean else 1), 0.0)
    over = written & (s * (1 + g) > BIGGEST[name])
    # where a partial sum may leave the range, no bound holds: the reference (the exact sum rounded) may be an
    # infinity while torch's rounded partial sums stay finite at the largest value, or the other way round
    return {name: (rtol, np.where(over, INF, atol + bound), over)}


def _inexact(dtype):
    return D.is_inexact(dtype)


def scatter_tol(sample, dtype):
    """scatter with ``reduce``, scatter_add, scatter_reduce: the bound of their accumulation."""
    if not _inexact(dtype):
        return None
    args, kw = sample.args, sample.kwargs
    x, dim, index, src = args[:4]
    reduce = kw.get("reduce") or (args[4] if len(args) > 4 else "sum")
    if reduce in ("amax", "amin"):
        return None
    try:
        out, sel, vals = R._scatter_targets(x, dim, index, src)
    except (ValueError, IndexError):
        return None
    return _bound(dtype, out.shape, sel, out, vals, include_self=kw.get("include_self", True),
                  mean=reduce == "mean", prod=reduce in ("multiply", "prod"))


def index_add_tol(sample, dtype):
    if not _inexact(dtype):
        return None
    x, dim, index, source = sample.args[:4]
    alpha = sample.kwargs.get("alpha", 1)
    try:
        out, d, sel = R._index_targets(x, dim, index)
        src = R._source(source, out, d, sel[-1].size)
    except (ValueError, IndexError):
        return None
    rtol, atol, may = _bound(dtype, out.shape, sel, out, src, scale=alpha)[dtype]
    if dtype in D.COMPLEX:
        # torch multiplies each complex term by alpha (1 included) on its scalar path, which turns the other
        # component of a term with an infinite component into NaN (pytorch#82510; the divergence
        # index_add-complex-inf-nan pins it): a non-finite value is accepted where such a term lands
        bad = ~np.isfinite(src.real) | ~np.isfinite(src.imag)
        hit = np.zeros(out.shape, dtype=bool)
        np.logical_or.at(hit, sel, bad)
        may = may | hit
    return {dtype: (rtol, np.asarray(atol).reshape(x.shape) if np.ndim(atol) else atol, may.reshape(x.shape))}


def index_put_tol(sample, dtype):
    if not _inexact(dtype):
        return None
    x, indices, values = sample.args[:3]
    try:
        target = np.zeros(x.shape)[tuple(indices)]
        vals = np.broadcast_to(values, target.shape)
    except (ValueError, IndexError):
        return None
    return _bound(dtype, x.shape, tuple(indices), x, vals)


# ---- strategies (one draw per case: see conformance.strategies.indices) ------------------------------------

def _index_select(rng, dtype):
    if rng.random() < 0.08:  # a 0-d input: torch takes it as a 1-element 1-D one
        idx = I.index_array(rng, rng.choice(((1,), ())), 1, I.index_dtype(rng))
        return ArraySpec((), dtype), rng.choice((0, -1)), idx
    return I.index_args(rng, dtype, source=False, zero_d_index=True)


def _take(rng, dtype):
    shp = I.shape(rng)
    n = math.prod(shp)
    ishape = I.shape(rng, 0, 3)
    if n == 0 and math.prod(ishape) > 0:
        ishape = (0,) + ishape[1:] if ishape else (0,)
    return ArraySpec(shp, dtype), I.index_array(rng, ishape, n, I.index_dtype(rng), negative=True)


def _take_along_dim(rng, dtype):
    if rng.random() < 0.2:  # no dim: both flattened
        shp = I.shape(rng)
        n = math.prod(shp)
        ishape = I.shape(rng, 0, 2)
        if n == 0 and math.prod(ishape) > 0:
            ishape = (0,)
        # no negative index here: without dim torch rejects them (take_along_dim-flat-negative-index)
        return ArraySpec(shp, dtype), I.index_array(rng, ishape, n, I.index_dtype(rng))
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    k = d % len(shp)
    ishape = []
    for j, s in enumerate(shp):
        if j == k:
            ishape.append(rng.randint(0, 4) if s > 0 else 0)
        elif s == 1:
            ishape.append(rng.choice((1, 1, 0, 2, 3)))  # the input broadcasts along j
        else:
            ishape.append(rng.choice((s, s, 1)))  # the indices broadcast along j
    size = shp[k] if shp[k] > 0 or math.prod(ishape) == 0 else 1
    return ArraySpec(shp, dtype), I.index_array(rng, ishape, size, I.index_dtype(rng), negative=True), d


def _scatter_reduce_arg(rng, dtype):
    return I.scatter_args(rng, dtype, value=rng.random() < 0.4), {"reduce": rng.choice(("add", "multiply"))}


REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _scatter_reduce(rng, dtype):
    return I.scatter_args(rng, dtype) + (rng.choice(REDUCTIONS),), {"include_self": rng.random() < 0.5}


def _alpha(rng, dtype):
    if dtype in D.INTEGRAL:
        return rng.choice((2, -3)) if dtype != "uint8" else rng.choice((2, 3))
    if dtype in D.COMPLEX:
        return rng.choice((2.0, -0.5, 1.5j))
    return rng.choice((2.0, -0.5, 3.25))


def _index_add(rng, dtype):
    args = I.index_args(rng, dtype)
    if dtype == "bool" or rng.random() < 0.3:
        return args, {}
    return args, {"alpha": _alpha(rng, dtype)}


def _index_fill(rng, dtype):
    return I.index_args(rng, dtype, source=False, negative=True) + (I.scalar(rng, dtype),)


def _masked(rng, dtype, value=False, source=False):
    xs, ms = I.broadcastable(rng, 2)
    args = [ArraySpec(xs, dtype), ArraySpec(ms, "bool")]
    if value:
        args.append(ArraySpec((), dtype) if rng.random() < 0.25 else I.scalar(rng, dtype))
    if source:
        full = I.broadcast((xs, ms))
        n = math.prod(full)
        args.append(ArraySpec(rng.choice(((n,), (n + 2,), full)), dtype))
    return tuple(args)


def _getitem(rng, dtype):
    shp = I.shape(rng)
    return ArraySpec(shp, dtype), I.mixed_index(rng, shp)


def index_select_cases(dtype):
    return I.case(_index_select, dtype)


def take_cases(dtype):
    return I.case(_take, dtype)


def take_along_dim_cases(dtype):
    return I.case(_take_along_dim, dtype)


def gather_cases(dtype):
    return I.case(I.gather_args, dtype)


def scatter_src_cases(dtype):
    return I.case(I.scatter_args, dtype, unique=True)


def scatter_value_cases(dtype):
    return I.case(I.scatter_args, dtype, value=True)


def scatter_reduce_arg_cases(dtype):
    return I.case(_scatter_reduce_arg, dtype)


def scatter_add_cases(dtype):
    return I.case(I.scatter_args, dtype)


def scatter_reduce_cases(dtype):
    return I.case(_scatter_reduce, dtype)


def index_add_cases(dtype):
    return I.case(_index_add, dtype)


def index_copy_cases(dtype):
    return I.case(I.index_args, dtype, unique=True)


def index_fill_cases(dtype):
    return I.case(_index_fill, dtype)


def index_put_cases(dtype):
    return I.case(I.put_args, dtype, unique=True)


def index_put_accumulate_cases(dtype):
    return I.case(lambda rng, dt: (I.put_args(rng, dt), {"accumulate": True}), dtype)


def masked_fill_cases(dtype):
    return I.case(_masked, dtype, value=True)


def masked_select_cases(dtype):
    return I.case(_masked, dtype)


def masked_scatter_cases(dtype):
    return I.case(_masked, dtype, source=True)


def getitem_cases(dtype):
    return I.case(_getitem, dtype)


# ---- torch callables that need more than a dotted path ------------------------------------------------------

def getitem(x, index):
    return x[index]


def index_put(x, indices, values, accumulate=False):
    return torch.index_put(x, indices, values, accumulate=accumulate)


# ---- divergences --------------------------------------------------------------------------------------------

def _index_dtype(sample, position):
    return D.name_of(sample.args[position].dtype)


def _int32_index(position):
    return lambda sample, dtype: _index_dtype(sample, position) == "int32"


def _long_only(op, position, doc, example, applies=None, condition="an int32 index tensor"):
    return Divergence(
        id=f"{op}-int32-index", op=op,
        condition=condition,
        torch_behaviour="raises RuntimeError/IndexError: the index must be int64 (LongTensor)",
        numpy_behaviour="takes any integer index array",
        reference=DOCS + doc, kind="intended",
        applies=applies or _int32_index(position), raises=(RuntimeError, IndexError), example=example,
        dtypes=("float32",))


def _take_along_flat_view(sample, dtype):
    """No dim, and the input or the indices cannot be viewed as 1-D (torch flattens both with view(-1))."""
    return len(sample.args) == 2 and not all(
        I.viewable(a, lay, -1) for a, lay in zip(sample.arrays[:2], sample.layouts[:2]))


def _take_along_int32(sample, dtype):
    return len(sample.args) == 3 and _index_dtype(sample, 1) == "int32"


def _reduce_of(sample):
    return sample.args[4] if len(sample.args) > 4 else None


def _arr(values, dtype):
    return np.array(values).astype(D.NUMPY[dtype])


def _index_select_0d(sample, dtype):
    x, _, index = sample.args[:3]
    return x.ndim == 0 or index.ndim == 0


def _take_along_flat(sample, dtype):
    return len(sample.args) == 2 and sample.args[1].ndim != 1


def _negative_step(index):
    return any(isinstance(p, slice) and p.step is not None and p.step < 0 for p in index)


def _adjacent(positions):
    return not positions or positions[-1] - positions[0] == len(positions) - 1


def _is_int(part):
    return isinstance(part, (int, np.integer)) or (isinstance(part, np.ndarray) and not R._is_array_index(part))


def _slots(x, index, drop_ints: bool, spell_ellipsis: bool):
    """Whether the advanced indices of ``index`` are adjacent, counting index parts as NumPy does, or with the
    integers gone (torch selects them first), and/or with an Ellipsis spelled as the slices it stands for."""
    parts = [p for p in index if not (drop_ints and _is_int(p))]
    used = sum(p.ndim if isinstance(p, np.ndarray) and p.dtype.kind == "b" else (0 if p is None else 1)
               for p in index if p is not Ellipsis)
    slots = []
    for p in parts:
        if p is Ellipsis and spell_ellipsis:
            slots += ["slice"] * max(x.ndim - used, 0)
        else:
            slots.append("adv" if R._is_array_index(p) or (not drop_ints and _is_int(p)) else "other")
    return _adjacent([i for i, k in enumerate(slots) if k == "adv"])


def _index_parts(sample):
    x, index = sample.args[0], sample.args[1]
    if _negative_step(index) or not any(R._is_array_index(p) for p in index):
        return None
    return x, index


def _ints_move_advanced_dims(sample, dtype):
    """NumPy counts integers (and 0-d integer arrays) among the advanced indices when an array index is
    present; torch applies them first, as basic indexing: the results differ in layout when that changes
    whether the advanced indices are adjacent."""
    found = _index_parts(sample)
    if found is None:
        return False
    x, index = found
    return _slots(x, index, False, False) != _slots(x, index, True, False)


def _empty_ellipsis_joins(sample, dtype):
    """An Ellipsis that stands for no dim separates advanced indices in NumPy, not in torch."""
    found = _index_parts(sample)
    if found is None:
        return False
    x, index = found
    return _slots(x, index, True, False) != _slots(x, index, True, True)


INDEX_SELECT_NEGATIVE = Divergence(
    id="index_select-negative-index", op="index_select", family=F,
    condition="a negative index (also index_add and index_copy)",
    torch_behaviour="raises IndexError ('index out of range in self'); on CUDA a device-side assert",
    numpy_behaviour="np.take counts a negative index from the end",
    reference=DOCS + "torch.index_select.html", kind="intended")

GATHER_NEGATIVE = Divergence(
    id="gather-negative-index", op="gather", family=F,
    condition="a negative index (also scatter, scatter_add and scatter_reduce)",
    torch_behaviour="raises RuntimeError ('index -1 is out of bounds'): the documented range of index values "
                    "is 0 to self.size(dim) - 1; on CUDA a device-side assert",
    numpy_behaviour="np.take_along_axis / np.put_along_axis count a negative index from the end",
    reference=DOCS + "torch.gather.html", kind="intended")

SCATTER_DUPLICATES = Divergence(
    id="scatter-duplicate-winner", op="scatter", family=F,
    condition="scatter/scatter_ with a tensor src and no reduce, an index that names one position twice",
    torch_behaviour="one of the values written there is kept; which one is unspecified ('When indices are not "
                    "unique, the behavior is non-deterministic (one of the values from src will be picked "
                    "arbitrarily)')",
    numpy_behaviour="np.put_along_axis / fancy assignment: no guarantee of the iteration order either (NumPy's "
                    "indexing guide); in practice the last value",
    reference=DOCS + "torch.Tensor.scatter_.html", kind="unspecified")

INDEX_COPY_DUPLICATES = Divergence(
    id="index_copy-duplicate-winner", op="index_copy", family=F,
    condition="an index that names one position twice",
    torch_behaviour="one of the copied slices is kept; 'The result is nondeterministic since it depends on which "
                    "copy occurs last'",
    numpy_behaviour="fancy assignment: 'if an element is set more than once, it is not possible to predict the "
                    "final result' (NumPy's indexing guide)",
    reference=DOCS + "torch.Tensor.index_copy_.html", kind="unspecified")

INDEX_PUT_DUPLICATES = Divergence(
    id="index_put-duplicate-winner", op="index_put", family=F,
    condition="accumulate=False (and tensor __setitem__) with integer indices that name one position twice",
    torch_behaviour="one of the values is kept: 'If accumulate is False, the behavior is undefined if indices "
                    "contain duplicate elements'",
    numpy_behaviour="fancy assignment: 'if an element is set more than once, it is not possible to predict the "
                    "final result' (NumPy's indexing guide)",
    reference=DOCS + "torch.Tensor.index_put_.html", kind="unspecified")

INDEX_ADD_COMPLEX_INF = Divergence(
    id="index_add-complex-inf-nan", op="index_add", family=F,
    condition="complex tensors, a source element with an infinite component, on torch's scalar (non-vectorized) "
              "path, e.g. a 1-element slice: torch.zeros(1, dtype=torch.complex64).index_add(0, "
              "torch.tensor([0]), torch.tensor([complex(-64.8, inf)]))",
    torch_behaviour="nan+infj: the term is multiplied by alpha (1+0j) as complex numbers, and 0 * inf is NaN "
                    "(the same as torch.add on such tensors); the vectorized path gives -64.8+infj",
    numpy_behaviour="np.add.at adds the term as it is: -64.8+infj",
    reference="https://github.com/pytorch/pytorch/issues/82510", kind="bug")

TAKE_ALONG_FLAT_NEGATIVE = Divergence(
    id="take_along_dim-flat-negative-index", op="take_along_dim", family=F,
    condition="no dim, a negative index (with a dim, negative indices count from the end)",
    torch_behaviour="raises RuntimeError ('index -1 is out of bounds'); on CUDA a device-side assert",
    numpy_behaviour="np.take_along_axis(axis=None) counts a negative index from the end",
    reference="https://github.com/pytorch/pytorch/issues/146211 (closed, still raising without dim)",
    kind="bug")

TAKE_ALONG_WRAPS = Divergence(
    id="take_along_dim-out-of-range-wraps", op="take_along_dim", family=F,
    condition="a dim and an index out of range (9 or -4 for a dim of size 3)",
    torch_behaviour="no error: the index is taken modulo the size (torch.take_along_dim(x, tensor([9]), dim=0) "
                    "returns x[0]); without dim the same index raises",
    numpy_behaviour="np.take_along_axis raises IndexError",
    reference="https://github.com/pytorch/pytorch/issues/196106", kind="bug")

GETITEM_0D_VIEW = Divergence(
    id="getitem-0d-index-view", op="getitem", family=F,
    condition="a 0-d integer tensor as the index (x[torch.tensor(1)])",
    torch_behaviour="taken as the Python integer: a view sharing x's storage",
    numpy_behaviour="a 0-d integer array is an advanced index: a copy",
    reference="https://github.com/pytorch/pytorch/issues/6217 (indexing by a zero-dim tensor made a view on "
              "purpose)", kind="intended")

GETITEM_0D_RESULT_VIEW = Divergence(
    id="getitem-0d-result-view", op="getitem", family=F,
    condition="basic indexing down to a single element (x[1] of a 1-D tensor, x[()] of a 0-d one)",
    torch_behaviour="a 0-d tensor that is a view of x (writes through it show in x)",
    numpy_behaviour="an array scalar: a copy ('If N = 1 then the returned object is an array scalar'); "
                    "x[1, ...] would give a 0-d view",
    reference="https://numpy.org/doc/stable/user/basics.indexing.html#single-element-indexing", kind="intended")

DIVERGENCES = [GETITEM_0D_VIEW, GETITEM_0D_RESULT_VIEW, INDEX_SELECT_NEGATIVE, GATHER_NEGATIVE, SCATTER_DUPLICATES,
               INDEX_COPY_DUPLICATES, INDEX_PUT_DUPLICATES, INDEX_ADD_COMPLEX_INF, TAKE_ALONG_FLAT_NEGATIVE,
               TAKE_ALONG_WRAPS]


# ---- entries ------------------------------------------------------------------------------------------------

def _div_index_select_0d():
    return Divergence(
        id="index_select-0d", op="index_select",
        condition="a 0-d index, or a 0-d input",
        torch_behaviour="a 0-d index selects like a 1-element index (the dim stays, size 1); a 0-d input takes "
                        "dim 0 with one index and gives a 0-d result",
        numpy_behaviour="np.take with a 0-d index drops the dim; a 0-d input has no axis 0 (AxisError)",
        reference=DOCS + "torch.index_select.html (index: 'the 1-D tensor containing the indices'); dims of a "
                  "0-d tensor wrap as for a 1-D one",
        kind="intended", applies=_index_select_0d, torch_ref=R.index_select_torch, dtypes=("float32",),
        example=lambda dt: ((_arr([[1, 2], [3, 4]], dt), 0, np.array(1)), {}))


#: Accumulations do not keep the sign of a zero result: a sum that cancels exactly is +0.0 (round to nearest)
#: where the exact result the reference rounds may be a tiny value of either sign that underflows to -0.0 or
#: +0.0, and amax/amin may pick either of -0.0 and 0.0 (IEEE 754 maxNum/minNum leave it open); their zeros are
#: compared without their sign. Ops that only move values keep it.
ACCUMULATION = dict(signed_zero=False)

ENTRIES = [
    OpEntry("index_select", F, "torch.index_select", R.index_select, index_select_cases, MOVE,
            method="index_select", grad=True, divergences=(_div_index_select_0d(),)),
    OpEntry("take", F, "torch.take", np.take, take_cases, MOVE, method="take", grad=True,
            divergences=(_long_only("take", 1, "torch.take.html",
                                    lambda dt: ((_arr([1, 2, 3], dt), np.array([2, -1], np.int32)), {})),)),
    OpEntry("take_along_dim", F, "torch.take_along_dim", R.take_along_dim, take_along_dim_cases, MOVE,
            method="take_along_dim", grad=True,
            divergences=(
                _long_only("take_along_dim", 1, "torch.take_along_dim.html",
                           lambda dt: ((_arr([[1, 2], [3, 4]], dt), np.array([[1], [0]], np.int32), 1), {}),
                           applies=_take_along_int32,
                           condition="an int32 index tensor and a dim (without dim int32 is taken)"),
                Divergence(
                    id="take_along_dim-no-dim-noncontiguous", op="take_along_dim",
                    condition="no dim, and an input or indices whose strides do not allow a 1-D view, e.g. "
                              "torch.take_along_dim(torch.zeros(3, 2).t(), torch.tensor([0]))",
                    torch_behaviour="raises RuntimeError ('view size is not compatible with input tensor's size "
                                    "and stride'): both are flattened with view(-1) instead of reshape(-1)",
                    numpy_behaviour="np.take_along_axis(axis=None) flattens any layout",
                    reference=DOCS + "torch.take_along_dim.html ('the input array is treated as if it has been "
                              "flattened to 1d'; no word of contiguity)",
                    kind="bug", applies=_take_along_flat_view, raises=RuntimeError),
                Divergence(
                    id="take_along_dim-no-dim", op="take_along_dim",
                    condition="no dim and indices of other than one dim",
                    torch_behaviour="input and indices are both flattened (any indices shape); the result is 1-D",
                    numpy_behaviour="np.take_along_axis(axis=None) requires 1-D indices (ValueError)",
                    reference=DOCS + "torch.take_along_dim.html ('If dim is None, the input array is treated as "
                              "if it has been flattened to 1d')",
                    kind="intended", applies=_take_along_flat, torch_ref=R.take_along_dim_flat_torch,
                    dtypes=("float32",),
                    example=lambda dt: ((_arr([[1, 2], [3, 4]], dt), np.array([[3, 0], [1, 2]])), {})),
            )),
    OpEntry("gather", F, "torch.gather", R.gather, gather_cases, MOVE, method="gather", grad=True,
            notes="own reference: index may be smaller than the input along the other dims"),
    OpEntry("scatter", F, "torch.scatter", R.scatter, scatter_src_cases, MOVE, method="scatter",
            inplace="scatter_", grad=True,
            notes="at most one index along dim here: with duplicates the winner is unspecified (test_scatter)"),
    OpEntry("scatter_value", F, "torch.scatter", R.scatter, scatter_value_cases, MOVE, method="scatter",
            inplace="scatter_", grad=True),
    OpEntry("scatter_reduce_arg", F, "torch.scatter", R.scatter, scatter_reduce_arg_cases, ACCUMULATE,
            method="scatter", inplace="scatter_", tol_fn=scatter_tol, **ACCUMULATION,
            notes="scatter(..., reduce='add'|'multiply') with a tensor src or a scalar value"),
    OpEntry("scatter_add", F, "torch.scatter_add", R.scatter_add, scatter_add_cases, ACCUMULATE,
            method="scatter_add", inplace="scatter_add_", grad=True, tol_fn=scatter_tol, **ACCUMULATION),
    OpEntry("scatter_reduce", F, "torch.scatter_reduce", R.scatter_reduce, scatter_reduce_cases, ACCUMULATE,
            method="scatter_reduce", inplace="scatter_reduce_", grad=True, tol_fn=scatter_tol, **ACCUMULATION,
            divergences=(
                Divergence(
                    id="scatter_reduce-complex-amax", op="scatter_reduce",
                    condition="complex tensors with reduce 'amax' or 'amin'",
                    torch_behaviour="raises NotImplementedError: complex numbers are not ordered",
                    numpy_behaviour="np.maximum.at / np.minimum.at order complex numbers lexicographically",
                    reference=DOCS + "torch.maximum.html ('maximum() is not supported for tensors with complex "
                              "dtypes')",
                    kind="intended", raises=NotImplementedError, dtypes=("complex64",),
                    applies=lambda s, dt: dt in D.COMPLEX and _reduce_of(s) in ("amax", "amin") and
                    s.args[2].size > 0,
                    example=lambda dt: ((_arr([1, 2], dt), 0, np.array([0]), _arr([3], dt), "amax"), {})),
                Divergence(
                    id="scatter_reduce-bool-mean", op="scatter_reduce",
                    condition="bool tensors with reduce 'mean'",
                    torch_behaviour="raises NotImplementedError (no bool kernel for 'mean')",
                    numpy_behaviour="no counterpart: the reference's sum-then-floor-divide of booleans is not a "
                                    "NumPy definition either",
                    reference=DOCS + "torch.Tensor.scatter_reduce_.html", kind="unspecified",
                    raises=NotImplementedError, dtypes=("bool",),
                    applies=lambda s, dt: dt == "bool" and _reduce_of(s) == "mean",
                    example=lambda dt: ((_arr([True, False], dt), 0, np.array([0]), _arr([True], dt), "mean"),
                                        {})),
            )),
    OpEntry("index_add", F, "torch.index_add", R.index_add, index_add_cases, ACCUMULATE, method="index_add",
            inplace="index_add_", grad=True, tol_fn=index_add_tol, **ACCUMULATION),
    OpEntry("index_copy", F, "torch.index_copy", R.index_copy, index_copy_cases, MOVE, method="index_copy",
            inplace="index_copy_", grad=True,
            divergences=(_long_only("index_copy", 2, "torch.Tensor.index_copy_.html",
                                    lambda dt: ((_arr([1, 2, 3], dt), 0, np.array([2], np.int32),
                                                 _arr([7], dt)), {})),)),
    OpEntry("index_fill", F, "torch.index_fill", R.index_fill, index_fill_cases, MOVE, method="index_fill",
            inplace="index_fill_", grad=True,
            divergences=(_long_only("index_fill", 2, "torch.Tensor.index_fill_.html",
                                    lambda dt: ((_arr([1, 2, 3], dt), 0, np.array([-1], np.int32), True), {})),)),
    OpEntry("index_put", F, index_put, R.index_put, index_put_cases, MOVE, method="index_put",
            inplace="index_put_", grad=True),
    OpEntry("index_put_accumulate", F, index_put, R.index_put, index_put_accumulate_cases, ACCUMULATE,
            method="index_put", inplace="index_put_", grad=True, tol_fn=index_put_tol, **ACCUMULATION),
    OpEntry("masked_fill", F, "torch.masked_fill", R.masked_fill, masked_fill_cases, MOVE, method="masked_fill",
            inplace="masked_fill_", grad=True),
    OpEntry("masked_select", F, "torch.masked_select", R.masked_select, masked_select_cases, MOVE,
            method="masked_select", grad=True),
    OpEntry("masked_scatter", F, "torch.masked_scatter", R.masked_scatter, masked_scatter_cases, MOVE,
            method="masked_scatter", inplace="masked_scatter_", grad=True),
    OpEntry("getitem", F, getitem, R.getitem, getitem_cases, MOVE, grad=True,
            divergences=(
                Divergence(
                    id="getitem-negative-step", op="getitem",
                    condition="a slice with a negative step",
                    torch_behaviour="raises ValueError ('step must be greater than zero')",
                    numpy_behaviour="walks the dim backwards (a view)",
                    reference="https://github.com/pytorch/pytorch/issues/59786 (negative strides are not "
                              "supported)",
                    kind="intended", applies=lambda s, dt: _negative_step(s.args[1]), raises=ValueError,
                    dtypes=("float32",),
                    example=lambda dt: ((_arr([1, 2, 3], dt), (slice(None, None, -1),)), {})),
                Divergence(
                    id="getitem-int-with-array-placement", op="getitem",
                    condition="an integer (or 0-d integer tensor) and an array index separated by a slice, None "
                              "or Ellipsis, or an integer between two array indices",
                    torch_behaviour="the integer selects first, like basic indexing; only the array indices "
                                    "count as advanced, and their dims stay in place when those are adjacent",
                    numpy_behaviour="the integer is an advanced index too: the advanced indices are not "
                                    "adjacent, so their dims go first",
                    reference="https://github.com/pytorch/pytorch/issues/158134 (and the comments of "
                              "https://github.com/pytorch/pytorch/issues/157569: meant to match NumPy)",
                    kind="bug", applies=_ints_move_advanced_dims, torch_ref=R.getitem_torch, dtypes=("float32",),
                    example=lambda dt: ((_arr(np.arange(24).reshape(2, 3, 4), dt),
                                         (0, slice(None), np.array([0, 1]))), {})),
                Divergence(
                    id="getitem-empty-ellipsis", op="getitem",
                    condition="array indices separated only by an Ellipsis that stands for no dim",
                    torch_behaviour="the array indices are adjacent: their dims stay in place",
                    numpy_behaviour="an Ellipsis always separates advanced indices: their dims go first",
                    reference="https://github.com/pytorch/pytorch/issues/141563",
                    kind="bug", applies=_empty_ellipsis_joins, torch_ref=R.getitem_torch, dtypes=("float32",),
                    example=lambda dt: ((_arr(np.arange(60).reshape(3, 4, 5), dt),
                                         (slice(None), np.array([0, 1]), Ellipsis, np.array([0, 1]))), {})),
            )),
]
