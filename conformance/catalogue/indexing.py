"""Indexing: index_select, take, take_along_dim, gather, scatter (src, value, reduce), scatter_add,
scatter_reduce, index_add, index_copy, index_fill, index_put (with and without accumulate), masked_fill,
masked_select, masked_scatter, tensor ``__getitem__``, put (with and without accumulate) and unravel_index
(tril_indices / triu_indices take no tensor: ``suite/test_indexing.py``). Every dtype runs (what torch has no
kernel for is reported unsupported); the strategies are :mod:`conformance.strategies.indexing`.

Index arrays are int64, int32 and now and then int8 (a dtype torch rejects: the ``*-index-dtype`` records), with
every valid value, narrow ranges that repeat indices, Python lists where NumPy takes them, and, for the ops that
reject them, negative values (torch raises on CPU; off CPU such a sample would be a device-side assert, so each
entry marks it ``unsafe_off_cpu`` and it runs on CPU only). Accumulating ops (scatter_add, scatter with
``reduce``, scatter_reduce, index_add, index_put with ``accumulate``) must apply every duplicate; ops whose
result with duplicates is unspecified (scatter with ``src`` and no reduction, index_copy, index_put without
``accumulate``) get indices that cannot repeat here, and a bespoke property for duplicates
(``suite/test_scatter.py``: on CUDA, which of the duplicates wins is not even deterministic). Out-of-range
indices are bespoke, CPU-only tests (``suite/test_indexing.py``), but for take_along_dim, which wraps them
(a recorded bug).

Tolerance of accumulated float results (``tol_fn``)
---------------------------------------------------
An accumulating op adds (or multiplies) ``m`` terms into one element — the element itself when it takes part,
and each value an index sends there — one at a time, in an order torch does not document (CUDA kernels use
atomics). The precision, measured on CPU (torch 2.13) and assumed the same elsewhere:

* scatter_add, scatter(reduce=...) and scatter_reduce compute the half and float8 types in float32 (opmath) and
  round once: :func:`conformance.tolerance.summation` with ``pairwise=False`` (any order), and
  :func:`conformance.tolerance.product` for products, both in the accumulation type;
* index_add (on its one-slice path) and index_put with ``accumulate`` round every partial sum to the tensor's
  own dtype (float16 ``2048 + 1 + ... + 1`` stays 2048), as NumPy's ``np.add.at`` does on a float16 array:
  :func:`conformance.tolerance.sequential_sum` in the result dtype, which also holds for the float32 paths.

The reference is the exact result (float64) rounded once. Elements no index writes must keep their value
exactly: the bound is folded into an elementwise ``atol`` that is zero there (``rtol * |exact|`` included at the
written ones). A complex product with a non-finite factor has no defined value in either library (``inf * x``
gives NaN components depending on the formula): such elements are ``free``. amax and amin select: exact.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import indexing as R
from conformance.strategies import indexing as S

F = "indexing"
DOCS = "https://docs.pytorch.org/docs/stable/generated/"

# ---- tolerance of accumulating ops --------------------------------------------------------------------------


def _wide(a):
    a = np.asarray(a)
    return a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)


def _mag(a) -> np.ndarray:
    """The magnitude of each element's finite parts (for complex, ``|re| + |im|`` of the finite ones: a bound
    on each part, which the comparison applies the bound to)."""
    w = _wide(a)
    if np.iscomplexobj(w):
        re, im = np.abs(w.real), np.abs(w.imag)
        return np.where(np.isfinite(re), re, 0.0) + np.where(np.isfinite(im), im, 0.0)
    m = np.abs(w)
    return np.where(np.isfinite(m), m, 0.0)


def _finite(a) -> np.ndarray:
    w = _wide(a)
    return np.isfinite(w.real) & np.isfinite(w.imag)


def _accumulation(out, sel, vals, include_self=True):
    """(written, count, S, exact): which elements a term reaches, how many terms each adds (itself included
    when it takes part), the sum of the terms' finite magnitudes and the exact (float64) sum."""
    written = np.zeros(out.shape, dtype=bool)
    written[sel] = True
    own = written & include_self | ~written
    count = np.where(own, 1.0, 0.0)
    np.add.at(count, sel, 1.0)
    s = np.where(own, _mag(out), 0.0)
    np.add.at(s, sel, _mag(vals))
    exact = np.where(own, _wide(out), 0)
    np.add.at(exact, sel, _wide(np.broadcast_to(vals, np.shape(exact[sel]))))
    return written, count, s, exact


def _unrepresentable(exact, dtype):
    """Elements whose finite exact value rounds past the largest finite value of ``dtype`` (to an infinity, or
    to NaN in a format without infinities): no rounded reference exists there."""
    w = _wide(exact)
    parts = (w.real, w.imag) if np.iscomplexobj(w) else (w,)
    info = D.finfo(dtype)
    biggest = np.float64(info.max)
    # the rounding threshold: the largest finite value plus half its ulp (infinite for float64)
    with np.errstate(over="ignore"):
        limit = biggest + np.float64(info.eps) * np.exp2(np.floor(np.log2(biggest))) / 2
    with np.errstate(invalid="ignore"):
        return np.logical_or.reduce([np.isfinite(p) & (np.abs(p) >= limit) for p in parts])


def _fold(tol: T.Tolerance, written, exact, dtype, free=None, nonfinite=None) -> T.Tolerance:
    """The bound at the written elements (its rtol taken on ``|exact|``), exact equality elsewhere; ``free``
    where the exact result is not representable in ``dtype``; ``nonfinite`` more elements where an intermediate
    of the working precision may leave its range."""
    with np.errstate(invalid="ignore", over="ignore"):
        atol = np.where(written, tol.atol_at(written.shape) + tol.rtol * np.nan_to_num(np.abs(exact)), 0.0)
    more = False if nonfinite is None else nonfinite
    nonfinite = written & (tol.mask("nonfinite", written.shape) | more)
    loose = written & _unrepresentable(exact, dtype)
    if free is not None:
        loose |= written & free
    why = tol.why
    if dtype == "float8_e4m3fn" and nonfinite.any():
        # no infinity: torch's conversion saturates at +-448 (float8-e4m3fn-conversion-saturates), so a partial
        # sum past the range becomes a finite value that nothing bounds (-448 + -448 + 448 + 0.47 gives 0.47)
        loose, nonfinite, why = loose | nonfinite, np.zeros_like(nonfinite), why + " (a partial sum saturates)"
    return T.Tolerance(0.0, atol, nonfinite, loose if loose.any() else None, why)


def _sum_bound(dtype, out, sel, vals, include_self=True, mean=False):
    written, count, s, exact = _accumulation(out, sel, vals, include_self)
    if mean:
        tol = T.summation(dtype, s / count, count, pairwise=False, extra_roundings=1, why="scatter mean")
        exact = exact / count
    else:
        tol = T.summation(dtype, s, count, pairwise=False, why="scatter sum")
    return _fold(tol, written, exact, dtype)


def _log2(a):
    m = _mag(a)
    with np.errstate(divide="ignore"):
        return np.where(m > 0, np.log2(np.where(m > 0, m, 1.0)), 0.0)


def _log2_modulus(a):
    """log2 |a| of each complex element with finite parts (0 elsewhere), without overflowing: log2 of the larger
    part plus half log2(1 + ratio**2)."""
    w = _wide(a)
    re, im = np.abs(w.real), np.abs(w.imag)
    big, small = np.maximum(re, im), np.minimum(re, im)
    ok = np.isfinite(big) & np.isfinite(small) & (big > 0)
    b = np.where(ok, big, 1.0)
    return np.where(ok, np.log2(b) + 0.5 * np.log2(1 + (np.where(ok, small, 0.0) / b) ** 2), 0.0)


def _product_bound(dtype, out, sel, vals, include_self=True):
    written = np.zeros(out.shape, dtype=bool)
    written[sel] = True
    own = written & include_self | ~written
    count = np.where(own, 1.0, 0.0)
    np.add.at(count, sel, 1.0)
    lg_self, lg_vals = _log2(out), _log2(vals)
    hi = np.where(own, np.maximum(lg_self, 0), 0.0)
    lo = np.where(own, np.minimum(lg_self, 0), 0.0)
    np.add.at(hi, sel, np.maximum(lg_vals, 0))
    np.add.at(lo, sel, np.minimum(lg_vals, 0))
    zero = np.where(own, _mag(out) == 0, False)
    np.logical_or.at(zero, sel, _mag(vals) == 0)
    # the exact product as the reference computes it (real: mantissas and exponents kept apart, rounded once), not
    # a plain float64 np.multiply.at, whose partial products may overflow where the product is in range
    exact = np.where(own, _wide(out), 1)
    R._multiply_at(exact, sel, _wide(vals))
    tol = T.product(dtype, hi, lo, count, zero, why="scatter product")
    special = np.where(own, ~_finite(out), False)
    np.logical_or.at(special, sel, ~_finite(vals))
    # a real exact product past the result dtype's range is found by _fold (_unrepresentable), or below (inf in
    # float64). A complex one, in complex128, may itself have overflowed or underflowed on the way, in its own
    # order: its modulus is the product of the factors' moduli (2**(hi + lo) bounds |re| + |im| only, which may
    # pass the largest value while both parts are in range). A modulus past sqrt(2) biggest (1 + u) has a part
    # past biggest (1 + u), beyond the rounding threshold biggest + ulp/2: not representable
    free = np.zeros(exact.shape, dtype=bool)
    if D.is_complex(dtype):
        modulus = np.where(own, _log2_modulus(out), 0.0)
        np.add.at(modulus, sel, _log2_modulus(vals))
        limit = math.log2(T.biggest(dtype)) + 0.5 + math.log2(1 + T.unit(dtype)) + 1e-9
        free = ~special & ~zero & (modulus > limit) | special
    # where a partial product may overflow, a complex float64 reference may have overflowed too, in its own order
    # (inf - inf gives NaN): a non-finite reference there is no value to hold torch to
    free |= ~special & tol.mask("nonfinite", exact.shape) & ~_finite(exact)
    # a partial product that underflows to zero in the accumulation type before an infinite factor gives NaN
    # (0 * inf) in place of the exact infinity
    acc = T.accumulation(dtype)
    underflow = special & (lo < math.log2(T.eta(acc)))
    return _fold(tol, written, exact, dtype, free, nonfinite=underflow)


def _reduce_of(sample):
    args, kw = sample.args, sample.kwargs
    if "reduce" in kw:
        return kw["reduce"]
    return args[4] if len(args) > 4 else None


def scatter_tol(sample, dtype):
    """scatter with ``reduce``, scatter_add, scatter_reduce: the bound of their accumulation (float32 for the
    half types)."""
    if not D.is_inexact(dtype):
        return None
    x, dim, index, src = sample.args[:4]
    reduce = _reduce_of(sample) or "sum"
    if reduce in ("amax", "amin"):
        return None
    try:
        out, sel, vals = R._scatter_targets(x, dim, index, src)
    except (ValueError, IndexError, TypeError):
        return None
    include_self = sample.kwargs.get("include_self", True)
    if reduce in ("multiply", "prod"):
        tol = _product_bound(dtype, out, sel, vals, include_self)
    else:
        tol = _sum_bound(dtype, out, sel, vals, include_self, mean=reduce == "mean")
    return _reshaped(tol, x.shape)


def _reshaped(tol, shape):
    """The tolerance of a result computed on a 1-element 1-D stand-in for a 0-d input, in the input's shape."""
    def r(a):
        return np.reshape(a, shape) if a is not None and np.ndim(a) else a
    return T.Tolerance(tol.rtol, r(tol.atol), r(tol.nonfinite), r(tol.free), tol.why)


def _sequential_bound(dtype, out, sel, vals, extra=0):
    written, count, s, exact = _accumulation(out, sel, vals)
    tol = T.sequential_sum(dtype, s, count, extra_roundings=extra, why="index accumulation")
    return _fold(tol, written, exact, dtype)


def index_add_tol(sample, dtype):
    """index_add: ``x + alpha * source`` summed one slice at a time in the tensor's dtype (see the docstring)."""
    if not D.is_inexact(dtype):
        return None
    x, dim, index, source = sample.args[:4]
    alpha = sample.kwargs.get("alpha", 1)
    try:
        out, d, sel = R._index_targets(x, dim, index)
        src = R._source(source, out, d, sel[-1].size)
    except (ValueError, IndexError, TypeError):
        return None
    with np.errstate(all="ignore"):
        terms = _wide(src)
        if np.iscomplexobj(terms) and not isinstance(alpha, complex):
            # part by part: a complex product with alpha + 0j would turn an infinite part into a NaN other part
            scaled = np.empty_like(terms)
            scaled.real, scaled.imag = terms.real * alpha, terms.imag * alpha
            terms = scaled
        else:
            terms = terms * alpha
    extra = 0 if alpha == 1 else (3 if D.is_complex(dtype) else 1)
    return _reshaped(_sequential_bound(dtype, out, sel, terms, extra), x.shape)


def index_put_tol(sample, dtype):
    if not D.is_inexact(dtype):
        return None
    x, indices, values = sample.args[:3]
    try:
        target = np.zeros(x.shape)[tuple(indices)]
        vals = np.broadcast_to(values, target.shape)
    except (ValueError, IndexError, TypeError):
        return None
    return _sequential_bound(dtype, x, tuple(indices), vals)


# ---- torch callables that need more than a dotted path ------------------------------------------------------

def getitem(x, index):
    return x[index]


def index_put(x, indices, values, accumulate=False):
    return torch.index_put(x, indices, values, accumulate=accumulate)


# ---- conditions ---------------------------------------------------------------------------------------------

def _arr(values, dtype):
    return np.array(values).astype(D.NUMPY[dtype])


def _int_arrays(obj):
    """The integer index arrays in an argument (an array, a tuple/list of index parts)."""
    if isinstance(obj, np.ndarray):
        return [obj] if obj.dtype.kind in "iu" else []
    if isinstance(obj, (tuple, list)):
        return [a for p in obj if isinstance(p, np.ndarray) for a in _int_arrays(p)]
    return []


def _int_past_64_bits(sample):
    """A Python int argument outside ``[-2**63, 2**64)``: torch's argument parser raises OverflowError on it
    before the op checks anything else (as NumPy raises OverflowError writing it into an integer array)."""
    values = list(sample.args) + list(sample.kwargs.values())
    return any(isinstance(v, int) and not isinstance(v, bool) and not -2 ** 63 <= v < 2 ** 64 for v in values)


def _index_dtype_outside(position, accepted, skip_empty=False, valid=None, zero_d_ok=False):
    """An index array of a dtype outside ``accepted`` (``skip_empty``: a non-empty one: the ops that check the
    dtype only when there is an index to read; ``zero_d_ok``: not 0-d, which ``__getitem__`` takes as a Python
    integer whatever its dtype); ``valid(sample)``: the call is otherwise well formed. Not with a Python int
    past 64 bits, which torch rejects first (:func:`_int_past_64_bits`)."""
    def applies(sample, dtype):
        if valid is not None and not valid(sample):
            return False
        if _int_past_64_bits(sample):
            return False
        return any(D.name_of(a.dtype) not in accepted and (a.size > 0 or not skip_empty)
                   and (a.ndim > 0 or not zero_d_ok) for a in _int_arrays(sample.args[position]))
    return applies


def _has_negative(position, touches=None):
    """A negative value in the index array at ``position`` (``touches(sample)``: and the op reads or writes an
    element with it: the ops that check indices only then)."""
    def applies(sample, dtype):
        a = sample.args[position]
        if touches is not None and not touches(sample):
            return False
        return isinstance(a, np.ndarray) and a.dtype.kind in "iu" and a.size > 0 and bool((a < 0).any())
    return applies


def _slices_hold_elements(sample):
    """index_add / index_copy: the slices along dim hold elements (else no index is checked)."""
    x, dim = sample.args[0], sample.args[1]
    if x.ndim == 0:
        return True
    k = dim % x.ndim
    return math.prod(s for j, s in enumerate(x.shape) if j != k) > 0


def _index_nonempty(sample):
    a = sample.args[2]
    return not isinstance(a, np.ndarray) or a.size > 0


def _is_list(position):
    return lambda sample, dtype: isinstance(sample.args[position], list)


def _float_value_overflows(position, touches=None):
    """A Python or NumPy float value past the largest finite value of a floating tensor dtype (``touches``: and
    the op writes an element with it)."""
    def applies(sample, dtype):
        if len(sample.args) <= position or not D.is_floating(dtype):
            return False
        if touches is not None and not touches(sample):
            return False
        v = sample.args[position]
        if isinstance(v, (bool, np.bool_, int, np.integer, complex, np.complexfloating, np.ndarray)):
            return False
        return math.isfinite(float(v)) and abs(float(v)) > D.finfo(dtype).max
    return applies


def _index_dtype(op, position, accepted, example, counterexample, exc=(RuntimeError, IndexError), skip_empty=False,
                 valid=None, zero_d_ok=False):
    names = " or ".join(accepted)
    exc = exc if isinstance(exc, tuple) else (exc,)
    return Divergence(
        id=f"{op}-index-dtype", op=op,
        condition=f"an index tensor of another integer dtype than {names} (int8 here)"
                  + (", not empty (an empty one is not checked)" if skip_empty else "")
                  + (", not 0-d (a 0-d one is taken as a Python integer, whatever its dtype)" if zero_d_ok else "")
                  + "; no Python int argument past [-2**63, 2**64) (torch's argument parser raises OverflowError "
                    "on it first, as NumPy raises OverflowError writing it)",
        torch_behaviour=f"raises {' / '.join(e.__name__ for e in exc)}: the index must be {names}",
        numpy_behaviour="takes an index array of any integer dtype",
        reference=DOCS + f"torch.{op}.html", kind="intended",
        applies=_index_dtype_outside(position, accepted, skip_empty, valid, zero_d_ok), raises=exc, example=example,
        counterexample=counterexample, dtypes=("float32",))


def _negative(op, position, example, counterexample, why, touches=None):
    return Divergence(
        id=f"{op}-negative-index", op=op,
        condition="a negative index" + (" into slices that hold elements" if touches else ""),
        torch_behaviour="raises IndexError / RuntimeError ('index -1 is out of bounds') on CPU; on CUDA a "
                        "device-side assert (the sample runs on CPU only)",
        numpy_behaviour="counts a negative index from the end (" + why + ")",
        reference=DOCS + f"torch.{op}.html (index values in [0, size - 1])", kind="intended",
        applies=_has_negative(position, touches), raises=(IndexError, RuntimeError), example=example,
        counterexample=counterexample, dtypes=("float32",), devices=("cpu",))


def _python_list(op, position, example, counterexample):
    return Divergence(
        id=f"{op}-python-list-index", op=op,
        condition="the index given as a Python list of ints",
        torch_behaviour="raises TypeError: the index argument must be a Tensor",
        numpy_behaviour="takes any array-like as the indices",
        reference=DOCS + f"torch.{op}.html (index (Tensor))", kind="intended",
        applies=_is_list(position), raises=TypeError, example=example, counterexample=counterexample,
        dtypes=("float32",))


def _value_overflow(op, position, example, counterexample, touches=None):
    return Divergence(
        id=f"{op}-value-overflow", op=op,
        condition="a Python float value past the largest finite value of the floating tensor dtype (1e300 into "
                  "float32, 1e5 into float16)",
        torch_behaviour="raises RuntimeError ('value cannot be converted to type float without overflow')",
        numpy_behaviour="casts it: the element becomes an infinity (with an overflow warning)",
        reference="https://github.com/pytorch/pytorch/blob/main/c10/util/TypeCast.h (checked_convert of a "
                  "Scalar)", kind="intended",
        applies=_float_value_overflows(position, touches), raises=RuntimeError, example=example,
        counterexample=counterexample, dtypes=("float16", "float32"))


def _is_complex64_scalar(position):
    def applies(sample, dtype):
        return len(sample.args) > position and isinstance(sample.args[position], np.complex64) and \
            D.is_complex(dtype)
    return applies


def _complex64_value(op, position, model, example, counterexample):
    return Divergence(
        id=f"{op}-numpy-complex64-value", op=op,
        condition="the value given as a NumPy complex64 scalar (np.complex64(0.5 + 2j)) for a complex tensor",
        torch_behaviour="the imaginary part is dropped (with NumPy's ComplexWarning): torch reads the scalar "
                        "through float(); a Python complex or np.complex128 keeps it. torch.full((1,), "
                        "np.complex64(0.5 + 2j)) is even a float32 tensor",
        numpy_behaviour="the complex value is written as it is",
        reference="no upstream issue found; torch documents NumPy scalars as accepted Python numbers "
                  "(https://docs.pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc)",
        kind="bug", applies=_is_complex64_scalar(position), torch_ref=model, example=example,
        counterexample=counterexample, dtypes=("complex64",))


WIDE_UNSIGNED = ("uint16", "uint32", "uint64")


def _wide_unsigned(op, condition, applies, example, counterexample, torch_versions=""):
    return Divergence(
        torch_versions=torch_versions,
        id=f"{op}-wide-unsigned", op=op, condition=condition,
        torch_behaviour="raises NotImplementedError (no uint16/uint32/uint64 kernel on that path), where other "
                        "inputs of the same dtype work",
        numpy_behaviour="computes it",
        reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (uint16, uint32, "
                  "uint64: 'limited support'); no upstream issue found for this op",
        kind="bug", applies=lambda s, dt: dt in WIDE_UNSIGNED and applies(s), raises=NotImplementedError,
        example=example, counterexample=counterexample, dtypes=("uint16",))


def _float8_mask_fill(sample, dtype):
    """index_put without accumulate on a float8 format: one boolean mask and a one-element value, which torch
    writes with masked_fill (no float8 kernel)."""
    if not dtype.startswith("float8_") or sample.kwargs.get("accumulate") or len(sample.args) < 3:
        return False
    indices, values = sample.args[1], sample.args[2]
    return len(indices) == 1 and indices[0].dtype == np.bool_ and values.size == 1


def _unchecked_int_value(sample, dtype):
    """An empty index and an integer value that NumPy refuses to assign to the integer dtype: a Python int
    outside its range, or a NumPy integer scalar where NumPy's assignment checks it too (np.int64(200) into int8
    raises; into uint8, np.int64(300) wraps to 44 and nothing differs)."""
    if len(sample.args) < 4 or not D.is_integral(dtype) or sample.args[2].size > 0:
        return False
    v = sample.args[3]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        return False
    if isinstance(v, int) and _int_past_64_bits(sample):
        return False  # torch's argument parser raises OverflowError, as NumPy does
    try:
        np.empty((), dtype=D.NUMPY[dtype])[()] = v  # the reference's own assignment rule
    except OverflowError:
        return True
    return False


def _nothing_written(op, kwargs=None):
    kw = dict(kwargs or {})
    return Divergence(
        id=f"{op}-empty-index-value-unchecked", op=op,
        condition="an empty index and an integer value NumPy does not assign to the integer dtype: a Python int "
                  "out of its range, within [-2**63, 2**64) (past it torch's argument parser raises OverflowError, "
                  "as NumPy does), or a NumPy integer scalar NumPy's assignment checks (np.int64(-129) into int8)",
        torch_behaviour="returns the input: the value is converted (and checked) only when an element is written",
        numpy_behaviour="raises OverflowError: the value is converted to the array's dtype before the assignment, "
                        "whatever it writes",
        reference=DOCS + "torch.Tensor.scatter_.html (no word on an empty index)", kind="unspecified",
        applies=_unchecked_int_value, torch_ref=R.scatter_nothing_written_torch, dtypes=("int8",),
        example=lambda dt: ((_v(dt), 0, np.zeros(0, np.int64), 300), dict(kw)),
        counterexample=lambda dt: ((_v(dt), 0, np.zeros(0, np.int64), 100), dict(kw)))


def _int_value(sample, position):
    """The fill value at ``position`` when it is an integer scalar (Python or NumPy, not bool), else None."""
    if len(sample.args) <= position:
        return None
    v = sample.args[position]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        return None
    return v


def _torch_window(dtype):
    """The integers torch converts into an integer dtype without raising: its range, and for an unsigned dtype
    the negatives down to -max as well (they wrap around)."""
    info = D.iinfo(dtype)
    return (-int(info.max), int(info.max)) if D.KIND[dtype] == "unsigned" else (int(info.min), int(info.max))


def _negative_python_int(position):
    def applies(sample, dtype):
        v = _int_value(sample, position)
        if v is None or isinstance(v, np.integer) or D.KIND[dtype] != "unsigned":
            return False
        return _torch_window(dtype)[0] <= v < 0
    return applies


def _numpy_int_outside(position, touches=None):
    def applies(sample, dtype):
        v = _int_value(sample, position)
        if not isinstance(v, np.integer) or not D.is_integral(dtype):
            return False
        if touches is not None and not touches(sample):
            return False
        lo, hi = _torch_window(dtype)
        return not lo <= int(v) <= hi
    return applies


def _negative_into_unsigned(op, position, model, example, counterexample):
    return Divergence(
        id=f"{op}-negative-int-into-unsigned", op=op,
        condition="an unsigned integer tensor and a negative Python int value down to minus the dtype's largest "
                  "value (-1 .. -255 for uint8)",
        torch_behaviour="the value wraps around: -1 is written as 255 into uint8 (torch's checked conversion "
                        "accepts negative values for unsigned types, so that torch.tensor([-1]).to(torch.uint8) "
                        "style wraparound works); -256 raises RuntimeError",
        numpy_behaviour="raises OverflowError ('Python integer -1 out of bounds for uint8', NEP 50); a NumPy "
                        "integer scalar wraps",
        reference="https://github.com/pytorch/pytorch/blob/main/c10/util/TypeCast.h (c10::overflows allows "
                  "negative values for unsigned types) ; https://numpy.org/neps/nep-0050-scalar-promotion.html",
        kind="intended", applies=_negative_python_int(position), torch_ref=model, dtypes=("uint8",),
        example=example, counterexample=counterexample)


def _numpy_int_out_of_range(op, position, example, counterexample, touches=None):
    return Divergence(
        id=f"{op}-numpy-int-value-out-of-range", op=op,
        condition="an integer tensor and a NumPy integer scalar value outside what torch converts into its dtype "
                  "(np.int64(300) for uint8 or int8)" + (", with an element to write" if touches else ""),
        torch_behaviour="raises RuntimeError ('value cannot be converted to type uint8_t without overflow'), as for "
                        "a Python int",
        numpy_behaviour="casts the NumPy scalar (it wraps around: 300 becomes 44); only a Python int out of range "
                        "raises (NEP 50)",
        reference="https://github.com/pytorch/pytorch/blob/main/c10/util/TypeCast.h (checked_convert of a Scalar) "
                  "; https://numpy.org/neps/nep-0050-scalar-promotion.html", kind="intended",
        applies=_numpy_int_outside(position, touches), raises=RuntimeError, dtypes=("uint8",),
        example=example, counterexample=counterexample)


def _mean_count_wraps(sample, dtype):
    """Integer scatter_reduce 'mean' where a position reduces more values than the dtype's largest value (a
    count that wraps to 0 included: torch then divides by 1). Elementwise."""
    if not D.is_integral(dtype) or _reduce_of(sample) != "mean":
        return False
    x, dim, index, src = sample.args[:4]
    try:
        out, sel, _ = R._scatter_targets(x, dim, index, src)
    except (ValueError, IndexError, TypeError):
        return False
    written = np.zeros(out.shape, dtype=bool)
    written[sel] = True
    count = np.where(written, 1 if sample.kwargs.get("include_self", True) else 0, 1).astype(np.int64)
    np.add.at(count, sel, 1)
    info = D.iinfo(dtype)
    if info.bits >= 63:  # no count reaches int64's range (and 2**64 is no int64 to take a modulus by)
        return False
    over = written & (count > int(info.max))
    return over.reshape(x.shape)


def _negative_any(positions):
    """unsafe_off_cpu: a negative value in one of the index arrays at these argument positions."""
    def unsafe(sample):
        return any(isinstance(sample.args[p], np.ndarray) and sample.args[p].size > 0 and
                   sample.args[p].dtype.kind == "i" and bool((sample.args[p] < 0).any())
                   for p in positions if p < len(sample.args))
    return unsafe


# ---- take_along_dim -----------------------------------------------------------------------------------------

def _take_along_flat_view(sample, dtype):
    """No dim, and the input or the indices cannot be viewed as 1-D (torch flattens both with view(-1))."""
    return len(sample.args) == 2 and not all(
        S.viewable(a, lay, -1) for a, lay in zip(sample.arrays[:2], sample.layouts[:2]))


def _take_along_flat(sample, dtype):
    return len(sample.args) == 2 and sample.args[1].ndim != 1


def _take_along_flat_negative(sample, dtype):
    return len(sample.args) == 2 and _has_negative(1)(sample, dtype)


def _take_along_out_of_range(sample, dtype):
    """A dim, and an index outside ``[-size, size)`` of the input's (broadcast) size along it."""
    if len(sample.args) < 3:
        return False
    x, idx, dim = sample.args[:3]
    if x.ndim == 0 or idx.size == 0 or idx.ndim != x.ndim:
        return False
    n = x.shape[dim % x.ndim]
    return n > 0 and bool(((idx < -n) | (idx >= n)).any())


def _take_along_unsafe(sample):
    return _take_along_flat_negative(sample, None) or _take_along_out_of_range(sample, None)


# ---- index_select -------------------------------------------------------------------------------------------

def _index_select_0d(sample, dtype):
    x, _, index = sample.args[:3]
    return isinstance(index, np.ndarray) and (x.ndim == 0 or index.ndim == 0)


# ---- getitem ------------------------------------------------------------------------------------------------

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


# ---- records pinned by bespoke tests ------------------------------------------------------------------------

SCATTER_DUPLICATES = Divergence(
    id="scatter-duplicate-winner", op="scatter", family=F,
    condition="scatter/scatter_ with a tensor src and no reduce, an index that names one position twice",
    torch_behaviour="one of the values written there is kept; which one is unspecified ('When indices are not "
                    "unique, the behavior is non-deterministic (one of the values from src will be picked "
                    "arbitrarily)'): on CPU in practice the last, on CUDA any, and not the same from run to run",
    numpy_behaviour="np.put_along_axis / fancy assignment: no guarantee of the iteration order either (NumPy's "
                    "indexing guide); in practice the last value",
    reference=DOCS + "torch.Tensor.scatter_.html", kind="unspecified")

INDEX_COPY_DUPLICATES = Divergence(
    id="index_copy-duplicate-winner", op="index_copy", family=F,
    condition="an index that names one position twice",
    torch_behaviour="one of the copied slices is kept; 'The result is nondeterministic since it depends on which "
                    "copy occurs last' (on CUDA not the same from run to run)",
    numpy_behaviour="fancy assignment: 'if an element is set more than once, it is not possible to predict the "
                    "final result' (NumPy's indexing guide)",
    reference=DOCS + "torch.Tensor.index_copy_.html", kind="unspecified")

INDEX_PUT_DUPLICATES = Divergence(
    id="index_put-duplicate-winner", op="index_put", family=F,
    condition="accumulate=False (and tensor __setitem__) with integer indices that name one position twice",
    torch_behaviour="one of the values is kept: 'If accumulate is False, the behavior is undefined if indices "
                    "contain duplicate elements' (on CUDA not the same from run to run)",
    numpy_behaviour="fancy assignment: 'if an element is set more than once, it is not possible to predict the "
                    "final result' (NumPy's indexing guide)",
    reference=DOCS + "torch.Tensor.index_put_.html", kind="unspecified")

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

SETITEM_NUMPY_FLOAT32 = Divergence(
    id="setitem-numpy-float32-value", op="setitem", family=F,
    condition="x[index] = v with v a NumPy float32 (or float16) scalar",
    torch_behaviour="raises TypeError (\"can't assign a numpy.float32 to a torch.FloatTensor\"); NumPy float64 "
                    "and integer scalars (subclasses of Python's float and int, or taken as such) are accepted",
    numpy_behaviour="assigns the value, cast to the array's dtype",
    reference="https://github.com/pytorch/pytorch/issues/40908 (arrays and other NumPy objects must be turned "
              "into tensors first)", kind="intended")

TRIL_INDICES_NEGATIVE = Divergence(
    id="tril_indices-negative-size", op="tril_indices", family=F,
    condition="tril_indices / triu_indices with a negative row or col",
    torch_behaviour="raises RuntimeError ('row must be non-negative, got-1')",
    numpy_behaviour="np.tril_indices(-1, 0, 3) returns two empty arrays",
    reference=DOCS + "torch.tril_indices.html", kind="intended")

DIVERGENCES = [TRIL_INDICES_NEGATIVE, GETITEM_0D_VIEW, GETITEM_0D_RESULT_VIEW, SCATTER_DUPLICATES,
               INDEX_COPY_DUPLICATES,
               INDEX_PUT_DUPLICATES, SETITEM_NUMPY_FLOAT32]


# ---- entries ------------------------------------------------------------------------------------------------

#: Accumulations do not keep the sign of a zero result: a sum that cancels exactly is +0.0 (round to nearest)
#: where the exact result the reference rounds may be a tiny value of either sign that underflows to -0.0 or
#: +0.0, and amax/amin may pick either of -0.0 and 0.0 (IEEE 754 maxNum/minNum leave it open); their zeros are
#: compared without their sign. Ops that only move values keep it.
ACCUMULATION = dict(signed_zero=False)

_I64, _I32, _I8 = np.int64, np.int32, np.int8


def _m(dt):  # a 2 x 3 input
    return _arr([[1, 2, 3], [4, 5, 6]], dt)


def _v(dt):  # a 1-D input
    return _arr([1, 2, 3], dt)


def _fill_value_gradient_negative(sample, dtype):
    """index_fill with a negative index and the value given as a floating or complex tensor (differentiated)."""
    if len(sample.args) < 4 or not isinstance(sample.args[3], np.ndarray):
        return False
    index, value = sample.args[2], sample.args[3]
    return D.is_inexact(D.name_of(value.dtype)) and index.size > 0 and bool((index < 0).any())


INDEX_FILL_VALUE_GRADIENT = Divergence(
    id="index_fill-value-gradient-negative-index", op="index_fill", about="gradient",
    condition="a negative index and the value given as a 0-d tensor that requires grad",
    torch_behaviour="backward raises IndexError ('index out of range in self'; RuntimeError 'INDICES element is "
                    "out of DATA bounds' for bfloat16): the value's gradient gathers the "
                    "cotangent at the index without wrapping it (x = torch.ones(3, requires_grad=True); v = "
                    "torch.tensor(5., requires_grad=True); torch.index_fill(x, 0, torch.tensor([-1]), v).sum()"
                    ".backward()); the forward wraps the index, and index 2 in its place works",
    numpy_behaviour="the value's gradient is the sum of the cotangent over the filled positions (the last one)",
    reference=DOCS + "torch.Tensor.index_fill_.html (negative indices are accepted); no upstream issue found",
    kind="bug", applies=_fill_value_gradient_negative, raises=(IndexError, RuntimeError))


INDEX_ADD_COMPLEX_INF = Divergence(
    id="index_add-complex-inf-nan", op="index_add",
    condition="complex tensors, no alpha, and a source element with an infinite or NaN component added into a "
              "position (torch's scalar path multiplies it by alpha = 1+0j)",
    torch_behaviour="may give nan+infj: the term is multiplied by alpha (1+0j) as complex numbers, and 0 * inf is "
                    "NaN (torch.zeros(1, dtype=torch.complex64).index_add(0, torch.tensor([0]), "
                    "torch.tensor([complex(-64.8, inf)])) is nan+infj; the vectorized path gives -64.8+infj); a NaN "
                    "component spreads to the other one the same way (nan+100.7j gives nan+nanj)",
    numpy_behaviour="np.add.at adds the term as it is: -64.8+infj",
    reference="https://github.com/pytorch/pytorch/issues/82510", kind="bug",
    applies=lambda s, dt: _complex_inf_terms(s, dt), accept_nonfinite=True, dtypes=("complex64",),
    devices=("cpu",),
    example=lambda dt: ((np.zeros(1, D.NUMPY[dt]), 0, np.array([0]), np.array([complex(-64.8, np.inf)],
                                                                             D.NUMPY[dt])), {}),
    counterexample=lambda dt: ((np.zeros(1, D.NUMPY[dt]), 0, np.array([0]), np.array([complex(-64.8, 2.0)],
                                                                                    D.NUMPY[dt])), {}))


def _complex_inf_terms(sample, dtype):
    """The elements of a complex index_add without alpha that a term with an infinite component reaches."""
    if not D.is_complex(dtype) or "alpha" in sample.kwargs or len(sample.args) != 4:
        return False
    x, dim, index, source = sample.args
    try:
        out, d, sel = R._index_targets(x, dim, index)
        src = R._source(source, out, d, sel[-1].size)
    except (ValueError, IndexError, TypeError):
        return False
    hit = np.zeros(out.shape, dtype=bool)
    np.logical_or.at(hit, sel, ~(np.isfinite(src.real) & np.isfinite(src.imag)))
    return hit.reshape(x.shape)


def _mean_sum_overflows(sample, dtype):
    """scatter_reduce 'mean' of a floating or complex tensor: the written elements whose sum of magnitudes (the
    position's own value included when include_self) passes the dtype's largest value."""
    if not D.is_inexact(dtype) or _reduce_of(sample) != "mean":
        return False
    x, dim, index, src = sample.args[:4]
    try:
        out, sel, vals = R._scatter_targets(x, dim, index, src)
    except (ValueError, IndexError, TypeError):
        return False
    written, _, s, _ = _accumulation(out, sel, vals, sample.kwargs.get("include_self", True))
    return (written & ~(s < T.biggest(dtype))).reshape(x.shape)


MEAN_SUM_OVERFLOWS = Divergence(
    id="scatter_reduce-mean-sum-overflows", op="scatter_reduce",
    condition="reduce 'mean' of a floating or complex tensor, a position whose values' magnitudes add up past the "
              "dtype's largest value",
    torch_behaviour="the sum is stored in the tensor's own dtype before it is divided by the count, so it may "
                    "overflow there: torch.zeros(1, dtype=torch.float16).scatter_reduce(0, torch.zeros(4, "
                    "dtype=torch.long), torch.full((4,), 60000., dtype=torch.float16), 'mean', include_self=False) "
                    "is inf (float32: 3.4e38 twice gives inf too); the sum itself is accumulated in float32 for "
                    "half types, and torch.mean of the same values gives 60000",
    numpy_behaviour="the mean of the values: 60000 (np.mean of float16 accumulates in float32)",
    reference=DOCS + "torch.Tensor.scatter_reduce_.html (no word on the precision of 'mean'); no upstream issue found",
    kind="bug", applies=_mean_sum_overflows, accept_nonfinite=True, dtypes=("float16", "float32"),
    example=lambda dt: ((np.zeros(1, D.NUMPY[dt]), 0, np.zeros(4, np.int64),
                         np.full(4, 0.75 * float(D.finfo(dt).max), D.NUMPY[dt]), "mean"), {"include_self": False}),
    counterexample=lambda dt: ((np.zeros(1, D.NUMPY[dt]), 0, np.zeros(1, np.int64),
                                np.full(1, 0.75 * float(D.finfo(dt).max), D.NUMPY[dt]), "mean"),
                               {"include_self": False}))


#: the real floating dtypes that take torch's expanded-index path of scatter_add / scatter_reduce on CPU
_EXPANDED_PATH_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _expanded_int32_index(sample, dtype):
    """scatter_add / scatter_reduce: the call takes the expanded-index path: a real floating tensor, dim 0, an
    int32 index of stride 1 along dim 0 and 0 along every other dim longer than 1 (the suite's expanded layout of a
    (1, n) index), at least 16 elements per index row, and src of the index's sizes along those dims, contiguous
    (for 'mean', whose count is scattered from a new contiguous tensor, in any layout)."""
    from conformance.strategies import layouts as L

    if dtype not in _EXPANDED_PATH_DTYPES or len(sample.args) < 4:
        return False
    x, dim, index, src = sample.args[:4]
    if not all(isinstance(a, np.ndarray) for a in (x, index, src)) or index.dtype != np.int32:
        return False
    if index.ndim < 2 or index.ndim != x.ndim or src.ndim != index.ndim or index.size == 0 or src.size == 0:
        return False
    if not isinstance(dim, (int, np.integer)) or not -index.ndim <= dim < index.ndim or dim % index.ndim != 0:
        return False
    if math.prod(index.shape[1:]) < 16 or src.shape[1:] != index.shape[1:]:
        return False
    layout = {id(a): lay for a, lay in zip(sample.arrays, sample.layouts)}
    strides = L.strides(index.shape, layout[id(index)])
    if strides[0] != 1 or any(st != 0 for side, st in zip(index.shape[1:], strides[1:]) if side > 1):
        return False
    if _reduce_of(sample) == "mean":
        return True
    src_strides = L.strides(src.shape, layout[id(src)])
    return all(st == want for side, st, want in zip(src.shape, src_strides, L.strides(src.shape, "contiguous"))
               if side > 1)


def _expanded_index_example(op, reduce=(), src_layout="contiguous"):
    def example(dt):
        x = np.zeros((1, 16), D.NUMPY[dt])
        return ((x, 0, np.zeros((1, 16), np.int32), np.ones((1, 16), D.NUMPY[dt])) + tuple(reduce), {},
                ("contiguous", "expanded", src_layout))
    return example


def _expanded_int32_index_record(op, reduce=()):
    call = f"torch.{op}(torch.zeros(1, 16), 0, torch.zeros(1, 1, dtype=torch.int32).expand(1, 16), " \
           f"torch.ones(1, 16){''.join(f', {r!r}' for r in reduce)})"
    return Divergence(
        id=f"{op}-expanded-int32-index-raises", op=op,
        condition="CPU, a real floating tensor, dim 0, an int32 index whose stride is 0 along every dim but the "
                  "first (an index expanded from (1, 1) to (1, n)), n >= 16, src of the index's size past dim 0 "
                  "and contiguous (any src with reduce 'mean')",
        torch_behaviour=f"raises RuntimeError 'expected scalar type Long but found Int': {call}. The same call "
                        "with n = 15, an int64 index, a contiguous int32 index or dim 1 succeeds: the vectorized "
                        "expanded-index path (taken from 16 elements per row) reads the index as int64 only",
        numpy_behaviour="np.add.at (and the other ufuncs' .at) take an index array of any integer dtype and any "
                        "strides",
        reference=DOCS + f"torch.{op}.html (int32 indices are accepted elsewhere); no upstream issue found",
        kind="bug", applies=_expanded_int32_index, raises=RuntimeError, dtypes=("float32",), devices=("cpu",),
        root_cause="scatter-expanded-index-int64-only",
        example=_expanded_index_example(op, reduce),
        # one element fewer per row: the scalar path, which takes int32
        counterexample=lambda dt: ((np.zeros((1, 15), D.NUMPY[dt]), 0, np.zeros((1, 15), np.int32),
                                    np.ones((1, 15), D.NUMPY[dt])) + tuple(reduce), {},
                                   ("contiguous", "expanded", "contiguous")))


def _alpha_term_overflows(sample, dtype):
    """index_add with alpha: the elements a finite source element reaches whose alpha * source leaves float64's
    range (the reference's own precision for float64 and complex128 results)."""
    if not D.is_inexact(dtype) or "alpha" not in sample.kwargs or len(sample.args) != 4:
        return False
    x, dim, index, source = sample.args
    try:
        out, d, sel = R._index_targets(x, dim, index)
        src = R._source(source, out, d, sel[-1].size)
    except (ValueError, IndexError, TypeError):
        return False
    with np.errstate(all="ignore"):
        term = _wide(src) * sample.kwargs["alpha"]
    hit = np.zeros(out.shape, dtype=bool)
    np.logical_or.at(hit, sel, _finite(src) & ~_finite(term))
    return hit.reshape(x.shape)


INDEX_ADD_FUSED_ALPHA = Divergence(
    id="index_add-alpha-term-overflow", op="index_add",
    condition="alpha, and a finite source element whose alpha * source is past float64's largest value (float64 "
              "and complex128 tensors)",
    torch_behaviour="depends on the kernel path: adding slices of a dim with a fused multiply-add, alpha * source "
                    "is never rounded, so torch.zeros(1, 2, dtype=torch.float64).index_add(1, torch.tensor([0, 0]), "
                    "torch.tensor([[1e308, -1e308]], dtype=torch.float64), alpha=3.25) is [[inf, 0]] (inf + the "
                    "fused -3.25e308); the 1-D path rounds the product and gives NaN (inf - inf); the exact "
                    "result is 0",
    numpy_behaviour="np.add.at(out, index, alpha * source): the products overflow to +-inf and the sum is NaN",
    reference=DOCS + "torch.Tensor.index_add_.html; no upstream issue found", kind="bug",
    applies=_alpha_term_overflows, accept_any=True, dtypes=("float64",), devices=("cpu",),
    example=lambda dt: ((np.zeros((1, 2), D.NUMPY[dt]), 1, np.array([0, 0]),
                         np.array([[1e308, -1e308]], D.NUMPY[dt])), {"alpha": 3.25}),
    counterexample=lambda dt: ((np.zeros((1, 2), D.NUMPY[dt]), 1, np.array([0, 0]),
                                np.array([[1e307, -1e307]], D.NUMPY[dt])), {"alpha": 3.25}))


def put_tol(sample, dtype):
    """put with accumulate: the flat positions' sums, every partial sum rounded to the tensor's dtype (as
    index_put with accumulate: :func:`conformance.tolerance.sequential_sum`)."""
    accumulate = sample.kwargs.get("accumulate", sample.args[3] if len(sample.args) > 3 else False)
    if not accumulate or not D.is_inexact(dtype):
        return None
    x, index, source = sample.args[:3]
    if index.size != source.size:
        return None
    flat = x.reshape(-1)
    tol = _sequential_bound(dtype, flat, (index.reshape(-1),), source.reshape(-1))
    return _reshaped(tol, x.shape)


def _put_numel_differs(sample, dtype):
    index, source = sample.args[1], sample.args[2]
    return isinstance(index, np.ndarray) and isinstance(source, np.ndarray) and index.size != source.size


def _put_numel(op, example, counterexample):
    return Divergence(
        id=f"{op}-source-numel", op=op,
        condition="a source with another number of elements than the index",
        torch_behaviour="raises IndexError ('Expected source and index to have the same number of elements')",
        numpy_behaviour="np.put repeats a shorter source and ignores the rest of a longer one; np.add.at broadcasts "
                        "a one-element source (and raises for other counts)",
        reference=DOCS + "torch.Tensor.put_.html ('source (Tensor): the tensor containing values to copy')",
        kind="intended", applies=_put_numel_differs, raises=IndexError, dtypes=("float32",),
        example=example, counterexample=counterexample)


def _unravel_outside(sample, dtype):
    indices, shape = sample.args[0], sample.args[1]
    if not D.is_integral(dtype) or indices.size == 0:
        return False
    size = math.prod([shape] if isinstance(shape, int) else shape)
    wide = indices.astype(np.int64) if D.KIND[dtype] == "signed" else indices.astype(np.uint64)
    return size > 0 and bool(((wide < 0) | (wide >= size)).any())


ENTRIES = [
    OpEntry("index_select", F, "torch.index_select", R.index_select, S.index_select_cases,
            method="index_select", grad=True, unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _python_list("index_select", 2, lambda dt: ((_m(dt), 0, [1, 0]), {}),
                             lambda dt: ((_m(dt), 0, np.array([1, 0])), {})),
                _index_dtype("index_select", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([1, 0], _I8)), {}),
                             lambda dt: ((_m(dt), 0, np.array([1, 0], _I32)), {})),
                _wide_unsigned("index_select", "uint16/uint32/uint64 input of 0 or 1 dims",
                               lambda s: s.args[0].ndim <= 1 and isinstance(s.args[2], np.ndarray),
                               lambda dt: ((_v(dt), 0, np.array([1, 0])), {}),
                               lambda dt: ((_m(dt), 0, np.array([1, 0])), {}), torch_versions="<2.14"),
                _negative("index_select", 2, lambda dt: ((_m(dt), 0, np.array([-1])), {}),
                          lambda dt: ((_m(dt), 0, np.array([1])), {}), "np.take"),
                Divergence(
                    id="index_select-0d", op="index_select",
                    condition="a 0-d index, or a 0-d input",
                    torch_behaviour="a 0-d index selects like a 1-element index (the dim stays, size 1); a 0-d "
                                    "input takes dim 0 with one index and gives a 0-d result",
                    numpy_behaviour="np.take with a 0-d index drops the dim; a 0-d input has no axis 0 "
                                    "(AxisError)",
                    reference=DOCS + "torch.index_select.html (index: 'the 1-D tensor containing the indices'); "
                              "dims of a 0-d tensor wrap as for a 1-D one",
                    kind="intended", applies=_index_select_0d, torch_ref=R.index_select_torch,
                    dtypes=("float32",),
                    example=lambda dt: ((_m(dt), 0, np.array(1)), {}),
                    counterexample=lambda dt: ((_m(dt), 0, np.array([1])), {})),
            )),
    OpEntry("take", F, "torch.take", np.take, S.take_cases, method="take", grad=True,
            divergences=(
                _python_list("take", 1, lambda dt: ((_v(dt), [2, -1]), {}),
                             lambda dt: ((_v(dt), np.array([2, -1])), {})),
                _index_dtype("take", 1, ("int64",), lambda dt: ((_v(dt), np.array([2, -1], _I32)), {}),
                             lambda dt: ((_v(dt), np.array([2, -1], _I64)), {})),
            )),
    OpEntry("take_along_dim", F, "torch.take_along_dim", R.take_along_dim, S.take_along_dim_cases,
            method="take_along_dim", grad=True, unsafe_off_cpu=_take_along_unsafe,
            divergences=(
                Divergence(
                    id="take_along_dim-index-dtype", op="take_along_dim",
                    condition="an index tensor of another integer dtype than int64 with a dim (int32 too), or "
                              "a non-empty one of another dtype than int64 or int32 without one",
                    torch_behaviour="raises RuntimeError: the index must be int64 (with a dim: gather of "
                                    "broadcast indices)",
                    numpy_behaviour="np.take_along_axis takes an index array of any integer dtype",
                    reference=DOCS + "torch.take_along_dim.html", kind="intended",
                    applies=lambda s, dt: (_index_dtype_outside(1, ("int64",))(s, dt) if len(s.args) > 2 else
                                           _index_dtype_outside(1, ("int64", "int32"), skip_empty=True)(s, dt)),
                    raises=(RuntimeError, IndexError), dtypes=("float32",),
                    example=lambda dt: ((_m(dt), np.array([[1], [0]], _I32), 1), {}),
                    counterexample=lambda dt: ((_m(dt), np.array([[1], [0]], _I64), 1), {})),
                Divergence(
                    id="take_along_dim-flat-negative-index", op="take_along_dim",
                    condition="no dim, a negative index (with a dim, negative indices count from the end)",
                    torch_behaviour="raises RuntimeError ('index -1 is out of bounds') on CPU; on CUDA a "
                                    "device-side assert (the sample runs on CPU only)",
                    numpy_behaviour="np.take_along_axis(axis=None) counts a negative index from the end",
                    reference="https://github.com/pytorch/pytorch/issues/146211 (closed, still raising without "
                              "dim)", kind="bug", applies=_take_along_flat_negative, raises=RuntimeError,
                    dtypes=("float32",), devices=("cpu",),
                    example=lambda dt: ((_v(dt), np.array([-1])), {}),
                    counterexample=lambda dt: ((_v(dt), np.array([2])), {})),
                Divergence(
                    id="take_along_dim-out-of-range-wraps", op="take_along_dim",
                    condition="a dim and an index outside [-size, size) of the input's size along it",
                    torch_behaviour="no error: the index is taken modulo the size (torch.take_along_dim(x, "
                                    "tensor([9]), dim=0) returns x[0] for 3 elements); without dim the same index "
                                    "raises. Measured on CPU; off CPU the sample is not run",
                    numpy_behaviour="np.take_along_axis raises IndexError",
                    reference="https://github.com/pytorch/pytorch/issues/196106", kind="bug",
                    applies=_take_along_out_of_range, torch_ref=R.take_along_dim_wrapped_torch,
                    dtypes=("float32",), devices=("cpu",),
                    example=lambda dt: ((_v(dt), np.array([9, -4, 1]), 0), {}),
                    counterexample=lambda dt: ((_v(dt), np.array([2, -3, 1]), 0), {})),
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
                    example=lambda dt: ((_m(dt), np.array([[3, 0], [1, 2]])), {}),
                    counterexample=lambda dt: ((_m(dt), np.array([3, 0, 1])), {})),
            )),
    OpEntry("gather", F, "torch.gather", R.gather, S.gather_cases, method="gather", grad=True,
            unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _index_dtype("gather", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I8)), {}),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I32)), {}), skip_empty=True),
                _negative("gather", 2, lambda dt: ((_m(dt), 0, np.array([[-1, 0]])), {}),
                          lambda dt: ((_m(dt), 0, np.array([[1, 0]])), {}), "np.take_along_axis"),
            ),
            notes="own reference: index may be smaller than the input along the other dims"),
    OpEntry("scatter", F, "torch.scatter", R.scatter, S.scatter_src_cases, method="scatter",
            inplace="scatter_", grad=True, unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _index_dtype("scatter", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I8), _m(dt)), {}),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I32), _m(dt)), {}), skip_empty=True),
                _negative("scatter", 2, lambda dt: ((_m(dt), 0, np.array([[-1, 0]]), _m(dt)), {}),
                          lambda dt: ((_m(dt), 0, np.array([[1, 0]]), _m(dt)), {}), "np.put_along_axis"),
            ),
            notes="at most one index along dim here: with duplicates the winner is unspecified (test_scatter)"),
    OpEntry("scatter_value", F, "torch.scatter", R.scatter, S.scatter_value_cases, method="scatter",
            inplace="scatter_", grad=True,
            divergences=(
                _index_dtype("scatter_value", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I8), 2.0), {}),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I32), 2.0), {}), skip_empty=True),
                _nothing_written("scatter_value"),
                _negative_into_unsigned("scatter_value", 3, R.scatter_wrapped_value_torch,
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), -1), {}),
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.int64(-1)), {})),
                _numpy_int_out_of_range("scatter_value", 3,
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.int64(300)), {}),
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.int64(200)), {}),
                                        touches=_index_nonempty),
                _value_overflow("scatter_value", 3, lambda dt: ((_m(dt), 0, np.array([[1, 0]]), 1e300), {}),
                                lambda dt: ((_m(dt), 0, np.array([[1, 0]]), 1e3), {}), touches=_index_nonempty),
                _complex64_value("scatter_value", 3, R.scatter_complex64_value_torch,
                                 lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.complex64(0.5 + 2j)), {}),
                                 lambda dt: ((_m(dt), 0, np.array([[1, 0]]), 0.5 + 2j), {})),
            )),
    OpEntry("scatter_reduce_arg", F, "torch.scatter", R.scatter, S.scatter_reduce_arg_cases,
            method="scatter", inplace="scatter_", tol_fn=scatter_tol, **ACCUMULATION,
            divergences=(
                _index_dtype("scatter_reduce_arg", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I8), _m(dt)), {"reduce": "add"}),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I32), _m(dt)), {"reduce": "add"}),
                             skip_empty=True),
                _nothing_written("scatter_reduce_arg", {"reduce": "add"}),
                _negative_into_unsigned("scatter_reduce_arg", 3, R.scatter_wrapped_value_torch,
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), -1), {"reduce": "add"}),
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.int64(-1)),
                                                    {"reduce": "add"})),
                _numpy_int_out_of_range("scatter_reduce_arg", 3,
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.int64(300)),
                                                    {"reduce": "add"}),
                                        lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.int64(200)),
                                                    {"reduce": "add"}),
                                        touches=_index_nonempty),
                _value_overflow("scatter_reduce_arg", 3,
                                lambda dt: ((_m(dt), 0, np.array([[1, 0]]), 1e300), {"reduce": "add"}),
                                lambda dt: ((_m(dt), 0, np.array([[1, 0]]), 1e3), {"reduce": "add"}),
                                touches=_index_nonempty),
                _complex64_value("scatter_reduce_arg", 3, R.scatter_complex64_value_torch,
                                 lambda dt: ((_m(dt), 0, np.array([[1, 0]]), np.complex64(0.5 + 2j)),
                                             {"reduce": "add"}),
                                 lambda dt: ((_m(dt), 0, np.array([[1, 0]]), 0.5 + 2j), {"reduce": "add"})),
            ),
            notes="scatter(..., reduce='add'|'multiply') with a tensor src or a scalar value"),
    OpEntry("scatter_add", F, "torch.scatter_add", R.scatter_add, S.scatter_add_cases,
            method="scatter_add", inplace="scatter_add_", grad=True, tol_fn=scatter_tol,
            **ACCUMULATION,
            unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _index_dtype("scatter_add", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I8), _m(dt)), {}),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I32), _m(dt)), {}), skip_empty=True),
                _negative("scatter_add", 2, lambda dt: ((_m(dt), 0, np.array([[-1, 0]]), _m(dt)), {}),
                          lambda dt: ((_m(dt), 0, np.array([[1, 0]]), _m(dt)), {}), "np.add.at"),
                _expanded_int32_index_record("scatter_add"),
            )),
    OpEntry("scatter_reduce", F, "torch.scatter_reduce", R.scatter_reduce, S.scatter_reduce_cases,
            method="scatter_reduce", inplace="scatter_reduce_", grad=True, tol_fn=scatter_tol,
            **ACCUMULATION,
            unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _index_dtype("scatter_reduce", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I8), _m(dt), "sum"), {}),
                             lambda dt: ((_m(dt), 0, np.array([[1, 0]], _I32), _m(dt), "sum"), {}),
                             skip_empty=True),
                # before the records of dtypes without a kernel: torch checks the indices first
                _negative("scatter_reduce", 2,
                          lambda dt: ((_m(dt), 0, np.array([[-1, 0]]), _m(dt), "sum"), {}),
                          lambda dt: ((_m(dt), 0, np.array([[1, 0]]), _m(dt), "sum"), {}), "np.add.at"),
                _expanded_int32_index_record("scatter_reduce", ("sum",)),
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
                    example=lambda dt: ((_arr([1, 2], dt), 0, np.array([0]), _arr([3], dt), "amax"), {}),
                    counterexample=lambda dt: ((_arr([1, 2], dt), 0, np.array([0]), _arr([3], dt), "sum"), {})),
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
                                        {}),
                    counterexample=lambda dt: ((_arr([True, False], dt), 0, np.array([0]), _arr([True], dt),
                                                "amax"), {})),
                Divergence(
                    id="scatter_reduce-integer-mean-count-wraps", op="scatter_reduce",
                    condition="integer tensors, reduce 'mean', a position that reduces more values than the "
                              "dtype's largest value (more than 255 into one uint8 element)",
                    torch_behaviour="the count is kept in the tensor's dtype and wraps around: 514 values of 100 "
                                    "into one uint8 element (sum 51300, which wraps to 100 as the sum does in "
                                    "NumPy's uint8 add.at) are divided by 514 mod 256 = 2, giving 50; a count "
                                    "that wraps to 0 (512 values) is replaced by 1, giving the wrapped sum",
                    numpy_behaviour="the reference counts in int64: 100 // 514 = 0",
                    reference=DOCS + "torch.Tensor.scatter_reduce_.html (no word on the count's type); no "
                              "upstream issue found", kind="bug",
                    applies=_mean_count_wraps, torch_ref=R.scatter_reduce_mean_count_wraps_torch,
                    dtypes=("uint8",),
                    example=lambda dt: ((np.zeros(1, D.NUMPY[dt]), 0, np.zeros(513, np.int64),
                                         np.full(513, 100, D.NUMPY[dt]), "mean"), {}),
                    counterexample=lambda dt: ((np.zeros(1, D.NUMPY[dt]), 0, np.zeros(200, np.int64),
                                                np.full(200, 100, D.NUMPY[dt]), "mean"), {})),
                MEAN_SUM_OVERFLOWS,
            )),
    OpEntry("index_add", F, "torch.index_add", R.index_add, S.index_add_cases, method="index_add",
            inplace="index_add_", grad=True, tol_fn=index_add_tol, **ACCUMULATION,
            unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _index_dtype("index_add", 2, ("int64", "int32"),
                             lambda dt: ((_m(dt), 0, np.array([1], _I8), _arr([[7, 8, 9]], dt)), {}),
                             lambda dt: ((_m(dt), 0, np.array([1], _I32), _arr([[7, 8, 9]], dt)), {}),
                             valid=lambda s: len(s.args) == 4),
                _negative("index_add", 2, lambda dt: ((_m(dt), 0, np.array([-1]), _arr([[7, 8, 9]], dt)), {}),
                          lambda dt: ((_m(dt), 0, np.array([1]), _arr([[7, 8, 9]], dt)), {}), "np.add.at",
                          touches=lambda s: len(s.args) == 4 and _slices_hold_elements(s)),
                INDEX_ADD_COMPLEX_INF,
                INDEX_ADD_FUSED_ALPHA,
            )),
    OpEntry("index_copy", F, "torch.index_copy", R.index_copy, S.index_copy_cases, method="index_copy",
            inplace="index_copy_", grad=True, unsafe_off_cpu=_negative_any((2,)),
            divergences=(
                _index_dtype("index_copy", 2, ("int64",),
                             lambda dt: ((_v(dt), 0, np.array([2], _I32), _arr([7], dt)), {}),
                             lambda dt: ((_v(dt), 0, np.array([2], _I64), _arr([7], dt)), {})),
                _negative("index_copy", 2, lambda dt: ((_v(dt), 0, np.array([-1]), _arr([7], dt)), {}),
                          lambda dt: ((_v(dt), 0, np.array([2]), _arr([7], dt)), {}), "fancy assignment",
                          touches=_slices_hold_elements),
            )),
    OpEntry("index_fill", F, "torch.index_fill", R.index_fill, S.index_fill_cases, method="index_fill",
            inplace="index_fill_", grad=True,
            divergences=(
                _index_dtype("index_fill", 2, ("int64",),
                             lambda dt: ((_v(dt), 0, np.array([-1], _I32), 5), {}),
                             lambda dt: ((_v(dt), 0, np.array([-1], _I64), 5), {})),
                _value_overflow("index_fill", 3, lambda dt: ((_v(dt), 0, np.array([-1]), 1e300), {}),
                                lambda dt: ((_v(dt), 0, np.array([-1]), 1e3), {})),
                _negative_into_unsigned("index_fill", 3, R.index_fill_wrapped_value_torch,
                                        lambda dt: ((_v(dt), 0, np.array([-1]), -1), {}),
                                        lambda dt: ((_v(dt), 0, np.array([-1]), np.int64(-1)), {})),
                _numpy_int_out_of_range("index_fill", 3, lambda dt: ((_v(dt), 0, np.array([-1]), np.int64(300)), {}),
                                        lambda dt: ((_v(dt), 0, np.array([-1]), np.int64(200)), {})),
                INDEX_FILL_VALUE_GRADIENT,
                _complex64_value("index_fill", 3, R.index_fill_complex64_value_torch,
                                 lambda dt: ((_v(dt), 0, np.array([-1]), np.complex64(0.5 + 2j)), {}),
                                 lambda dt: ((_v(dt), 0, np.array([-1]), 0.5 + 2j), {})),
            )),
    OpEntry("index_put", F, index_put, R.index_put, S.index_put_cases, method="index_put",
            inplace="index_put_", grad=True,
            divergences=(
                _index_dtype("index_put", 1, ("int64", "int32"),
                             lambda dt: ((_v(dt), (np.array([2], _I8),), _arr([7], dt)), {}),
                             lambda dt: ((_v(dt), (np.array([2], _I32),), _arr([7], dt)), {}),
                             exc=IndexError),
                Divergence(
                    id="index_put-float8-mask-fill", op="index_put",
                    condition="a float8 format, one boolean mask as the index and a one-element value, without "
                              "accumulate",
                    torch_behaviour="raises NotImplementedError ('\"masked_fill\" not implemented for "
                                    "\'Float8_e4m3fn\''): that case is written with masked_fill, which has no "
                                    "float8 kernel; a value of as many elements as the mask selects works",
                    numpy_behaviour="writes the value at every selected position",
                    reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (float8: "
                              "limited support); no upstream issue found",
                    kind="bug", applies=_float8_mask_fill, raises=NotImplementedError, dtypes=("float8_e4m3fn",),
                    example=lambda dt: ((_v(dt), (np.array([True, False, True]),), _arr([7], dt)), {}),
                    counterexample=lambda dt: ((_v(dt), (np.array([True, False, True]),), _arr([7, 8], dt)), {})),
            )),
    OpEntry("index_put_accumulate", F, index_put, R.index_put, S.index_put_accumulate_cases,
            method="index_put", inplace="index_put_", grad=True, tol_fn=index_put_tol, **ACCUMULATION,
            divergences=(
                _index_dtype("index_put_accumulate", 1, ("int64", "int32"),
                             lambda dt: ((_v(dt), (np.array([2], _I8),), _arr([7], dt)), {"accumulate": True}),
                             lambda dt: ((_v(dt), (np.array([2], _I32),), _arr([7], dt)), {"accumulate": True}),
                             exc=IndexError),
            )),
    OpEntry("masked_fill", F, "torch.masked_fill", R.masked_fill, S.masked_fill_cases, method="masked_fill",
            inplace="masked_fill_", grad=True,
            divergences=(
                _value_overflow("masked_fill", 2, lambda dt: ((_v(dt), np.array([True, False, True]), 1e300), {}),
                                lambda dt: ((_v(dt), np.array([True, False, True]), 1e3), {})),
                _negative_into_unsigned("masked_fill", 2, R.masked_fill_wrapped_value_torch,
                                        lambda dt: ((_v(dt), np.array([True, False, True]), -1), {}),
                                        lambda dt: ((_v(dt), np.array([True, False, True]), np.int64(-1)), {})),
                _numpy_int_out_of_range("masked_fill", 2,
                                        lambda dt: ((_v(dt), np.array([True, False, True]), np.int64(300)), {}),
                                        lambda dt: ((_v(dt), np.array([True, False, True]), np.int64(200)), {})),
                _complex64_value("masked_fill", 2, R.masked_fill_complex64_value_torch,
                                 lambda dt: ((_v(dt), np.array([True, False, True]), np.complex64(0.5 + 2j)), {}),
                                 lambda dt: ((_v(dt), np.array([True, False, True]), 0.5 + 2j), {})),
            )),
    OpEntry("masked_select", F, "torch.masked_select", R.masked_select, S.masked_select_cases,
            method="masked_select", grad=True,
            divergences=(
                _wide_unsigned("masked_select", "uint16/uint32/uint64 and a mask that selects an element",
                               lambda s: bool(np.broadcast_to(s.args[1], np.broadcast_shapes(
                                   s.args[0].shape, s.args[1].shape)).any()) and s.args[0].size > 0,
                               lambda dt: ((_v(dt), np.array([True, False, True])), {}),
                               lambda dt: ((_v(dt), np.array([False, False, False])), {})),
            )),
    OpEntry("masked_scatter", F, "torch.masked_scatter", R.masked_scatter, S.masked_scatter_cases,
            method="masked_scatter", inplace="masked_scatter_", grad=True),
    OpEntry("getitem", F, getitem, R.getitem, S.getitem_cases, grad=True,
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
                    example=lambda dt: ((_v(dt), (slice(None, None, -1),)), {}),
                    counterexample=lambda dt: ((_v(dt), (slice(None, None, 2),)), {})),
                _index_dtype("getitem", 1, ("int64", "int32"),
                             lambda dt: ((_v(dt), (np.array([2, 0], _I8),)), {}),
                             lambda dt: ((_v(dt), (np.array(2, _I8),)), {}), exc=IndexError, zero_d_ok=True),
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
                                         (0, slice(None), np.array([0, 1]))), {}),
                    counterexample=lambda dt: ((_arr(np.arange(24).reshape(2, 3, 4), dt),
                                                (0, np.array([0, 1]), slice(None))), {})),
                Divergence(
                    id="getitem-empty-ellipsis", op="getitem",
                    condition="array indices separated only by an Ellipsis that stands for no dim",
                    torch_behaviour="the array indices are adjacent: their dims stay in place",
                    numpy_behaviour="an Ellipsis always separates advanced indices: their dims go first",
                    reference="https://github.com/pytorch/pytorch/issues/141563",
                    kind="bug", applies=_empty_ellipsis_joins, torch_ref=R.getitem_torch, dtypes=("float32",),
                    example=lambda dt: ((_arr(np.arange(60).reshape(3, 4, 5), dt),
                                         (slice(None), np.array([0, 1]), Ellipsis, np.array([0, 1]))), {}),
                    counterexample=lambda dt: ((_arr(np.arange(60).reshape(3, 4, 5), dt),
                                                (np.array([0, 1]), Ellipsis, np.array([0, 1]))), {})),
            )),
    OpEntry("put", F, "torch.put", R.put, S.put_cases, method="put", inplace="put_", grad=True,
            divergences=(
                _index_dtype("put", 1, ("int64",), lambda dt: ((_v(dt), np.array([2, -1], _I32), _arr([7, 8], dt)), {}),
                             lambda dt: ((_v(dt), np.array([2, -1], _I64), _arr([7, 8], dt)), {})),
                _put_numel("put", lambda dt: ((_v(dt), np.array([2, 0]), _arr([7], dt)), {}),
                           lambda dt: ((_v(dt), np.array([2, 0]), _arr([7, 8], dt)), {})),
            )),
    OpEntry("put_accumulate", F, "torch.put", R.put, S.put_accumulate_cases, method="put", inplace="put_",
            grad=True, tol_fn=put_tol, **ACCUMULATION,
            divergences=(
                _index_dtype("put_accumulate", 1, ("int64",),
                             lambda dt: ((_v(dt), np.array([2, 2], _I32), _arr([7, 8], dt)), {"accumulate": True}),
                             lambda dt: ((_v(dt), np.array([2, 2], _I64), _arr([7, 8], dt)), {"accumulate": True})),
                _put_numel("put_accumulate",
                           lambda dt: ((_v(dt), np.array([2, 0]), _arr([7], dt)), {"accumulate": True}),
                           lambda dt: ((_v(dt), np.array([2, 0]), _arr([7, 8], dt)), {"accumulate": True})),
            )),
    OpEntry("unravel_index", F, "torch.unravel_index", R.unravel_index, S.unravel_index_cases,
            divergences=(
                Divergence(
                    id="unravel_index-0d-shape", op="unravel_index",
                    condition="the shape () and indices of one or more dims",
                    torch_behaviour="returns an empty tuple (no coordinate tensors: a 0-d tensor has no dims)",
                    numpy_behaviour="raises ValueError ('multiple indices are not supported for 0d arrays'); a 0-d "
                                    "index 0 gives the empty tuple",
                    reference=DOCS + "torch.unravel_index.html ('Each i-th tensor in the output corresponds with "
                              "dimension i of shape')", kind="unspecified",
                    applies=lambda s, dt: tuple(np.atleast_1d(s.args[1])) == () and s.args[0].ndim > 0 and
                    D.is_integral(dt), torch_ref=R.unravel_index_0d_shape_torch, dtypes=("int64",),
                    example=lambda dt: ((np.array([0, 0], D.NUMPY[dt]), ()), {}),
                    counterexample=lambda dt: ((np.array(0, D.NUMPY[dt]), ()), {})),
                Divergence(
                    id="unravel_index-out-of-range-wraps", op="unravel_index",
                    condition="an index outside [0, prod(shape)), negative ones included",
                    torch_behaviour="no error: the index is taken modulo prod(shape) (torch.unravel_index("
                                    "torch.tensor([6, -1]), (2, 3)) is (tensor([0, 1]), tensor([0, 2]))), although "
                                    "the documentation requires indices in [0, prod(shape) - 1]",
                    numpy_behaviour="np.unravel_index raises ValueError ('index 6 is out of bounds for array with "
                                    "size 6')",
                    reference="https://github.com/pytorch/pytorch/issues/136736", kind="bug",
                    applies=_unravel_outside, torch_ref=R.unravel_index_wrapped_torch, dtypes=("int64", "uint8"),
                    example=lambda dt: ((np.array([6, 255 if dt.startswith("u") else -1], D.NUMPY[dt]), (2, 3)), {}),
                    counterexample=lambda dt: ((np.array([5, 0], D.NUMPY[dt]), (2, 3)), {})),
                Divergence(
                    id="unravel_index-bool-indices", op="unravel_index", condition="bool indices",
                    torch_behaviour="raises TypeError ('expected 'indices' to be integer dtype, but got torch.bool')",
                    numpy_behaviour="np.unravel_index takes False and True as 0 and 1",
                    reference=DOCS + "torch.unravel_index.html (indices: 'An integer tensor')", kind="intended",
                    applies=lambda s, dt: s.args[0].dtype == np.bool_, raises=TypeError, dtypes=("bool",),
                    example=lambda dt: ((np.array([True, False]), (2, 3)), {}),
                    counterexample=lambda dt: ((np.array([1, 0]), (2, 3)), {})),
            )),
]
