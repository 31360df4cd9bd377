"""Reductions: sum, prod, mean, nansum, nanmean, var, std, max/min (whole and with ``dim``), amax/amin,
argmax/argmin, all/any, cumsum/cumprod, logsumexp, median, vector_norm/norm, count_nonzero.

Each entry draws ``dim`` as it accepts it (absent, an int, negative ones included, a tuple, the empty tuple, and
now and then an invalid one that both libraries must reject), ``keepdim``, the ``dtype=`` argument, inputs with
size-0 dims and, for the ops that return an index, tie-heavy values (see :mod:`conformance.strategies.reductions`).
Result dtypes for bool and integer inputs are compared like everything else.

Dtypes are chosen per op for what differs between them (integer promotion, bool, the half types' accumulation,
complex), not all at once: the family has a time budget. Tensor-method variants are declared for sum, var, max,
max(dim), argmax, cumsum and median; the other methods bind the same ATen functions.

Tolerance of float results (``tol_fn``): a bound derived per output element
---------------------------------------------------------------------------
The inputs are exact in their dtype; the reference computes in float64 from the same values and is rounded once
to the result dtype, which the table tolerance of :mod:`conformance.compare` covers (its ``rtol`` is at least
twice the unit roundoff of every dtype). What remains is the error of torch's own evaluation. Let ``u`` be the unit
roundoff of the result dtype (2**-11 float16, 2**-8 bfloat16, 2**-24 float32 and complex64, 2**-53 float64 and
complex128) plus 2**-53 for the float64 reference's own error, ``n`` the number of reduced elements, and
``gamma(k) = k u / (1 - k u)`` (infinite once ``k u >= 1``). Computing in at least the result precision, in any
order (naive, pairwise, blocked or vectorised), the standard forward error bounds (Higham, *Accuracy and
Stability of Numerical Algorithms*, ch. 3-4) are, per output element:

* ``sum``, ``nansum``, ``cumsum``: ``|err| <= gamma(n) * S`` with ``S = sum |x_i|`` over the finite (non-NaN)
  terms of that element — relative to ``S``, not to ``|sum|``: with cancellation (N(0, 1) values) the relative
  error of the sum itself is unbounded, so a relative tolerance would be unsound;
* ``mean``, ``nanmean``: the same divided by the count, with one more rounding: ``gamma(n + 1) * S / n``;
* ``prod``, ``cumprod``: relative, ``gamma(n) * |prod|`` (applied as an absolute bound, ``|prod|`` from the sum of
  the factors' log-magnitudes) — valid while no partial product leaves the normal range
  (and, for complex inputs, while every factor is finite: the usual complex product turns inf * 0 into NaN, so
  with an infinite factor the result depends on the order of the factors);
* ``var`` (any ``correction`` c): textbook, two-pass and Welford algorithms all satisfy
  ``|err| <= gamma(2n + 4) * Q / (n - c)`` with ``Q = sum |x_i|^2`` (>= the sum of squared deviations);
  ``std``: ``|sqrt(a) - sqrt(b)| <= min(sqrt(d), d / sqrt(b))`` for ``|a - b| <= d``, with ``b`` the exact variance;
* ``logsumexp`` = ``m + log(sum exp(x_i - m))``: the sum is in ``[1, n]`` and its terms are positive, so its
  relative error is at most ``gamma(n) + u + u n / e`` (``exp`` of the rounded difference) ``<= gamma(2n + 1)``,
  which the logarithm turns into an absolute error ``<= gamma(2n + 2)``, plus ``u ln n`` for the logarithm itself;
* ``vector_norm``/``norm`` of order p: positive terms ``|x|^p`` (each within 2u), summed (``gamma(n)``), then the
  1/p-th power divides the relative error by ``|p|`` and adds 2u: ``rtol + (gamma(n + 2) + 2u) * max(1, 1/|p|)``;
  orders 0 and +-inf are exact for real inputs (a count, a selection; complex moduli keep the table's tolerance).

For float16 and bfloat16 these bounds allow accumulation in the result's own precision. torch accumulates them
in float32 on CPU, which is tighter, but no documentation promises it, so the bound does not assume it: a kernel
that summed half values in half precision would pass, a wrong value would not. The long-row tests of
``suite/test_reductions.py`` apply the same bounds to rows of thousands of elements.

These bounds are added to the table's ``atol`` / ``rtol``, elementwise. They assume no intermediate result leaves
the range of the result dtype. Where one may (``S * (1 + gamma) >`` the largest finite value for sums,
``(2 max|x|)^2 n`` for var/std, ``max|x|^p n`` for norms, a partial product above the largest or below the
smallest normal value for products), the element is marked ``may_overflow`` (see :mod:`conformance.compare`):
there torch may return inf or NaN; where even the float64 reference or the relative bound is void (float64
overflow, a partial product that may underflow), any value is accepted. Max, min, argmax, median, all, any and
count_nonzero select or count, so their results are compared exactly.
"""
from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import torch
from hypothesis import strategies as st

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import reductions as R
from conformance.strategies.reductions import OMIT, reduction

F = "reductions"
INF = math.inf

# ---- tolerance ------------------------------------------------------------------------------------------

EPS = {"float16": 2.0 ** -11, "bfloat16": 2.0 ** -8, "float32": 2.0 ** -24, "float64": 2.0 ** -53,
       "complex64": 2.0 ** -24, "complex128": 2.0 ** -53}
BIGGEST = {"float16": 65504.0, "bfloat16": float(ml_dtypes.finfo(ml_dtypes.bfloat16).max),
           "float32": float(np.finfo(np.float32).max), "float64": float(np.finfo(np.float64).max)}
BIGGEST["complex64"], BIGGEST["complex128"] = BIGGEST["float32"], BIGGEST["float64"]
TINY = {"float16": float(np.finfo(np.float16).tiny), "bfloat16": float(ml_dtypes.finfo(ml_dtypes.bfloat16).tiny),
        "float32": float(np.finfo(np.float32).tiny), "float64": float(np.finfo(np.float64).tiny)}
TINY["complex64"], TINY["complex128"] = TINY["float32"], TINY["float64"]
REAL_OF = {"complex64": "float32", "complex128": "float64"}


def gamma(k, u):
    """``k u / (1 - k u)``, elementwise; infinite where ``k u >= 1``."""
    ku = np.asarray(k, dtype=np.float64) * u
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ku < 1, ku / np.where(ku < 1, 1 - ku, 1), INF)


def _result_dtype(sample, dtype: str, real: bool = False) -> str | None:
    """The floating result dtype of a reduction of ``sample`` (None for integer and bool results)."""
    dt = sample.kwargs.get("dtype")
    name = str(dt).rpartition(".")[2] if dt is not None else dtype
    if real:
        name = REAL_OF.get(name, name)
    return name if D.is_inexact(name) else None


def _axis(x, dim):
    """torch's reduced dims for ``x`` as a NumPy axis, or a ValueError when the call must raise anyway."""
    try:
        axis = R.torch_dim(x, dim)
    except (IndexError, RuntimeError) as exc:
        raise ValueError from exc
    if axis is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    if any(not -x.ndim <= a < x.ndim for a in axes) or len({a % x.ndim for a in axes}) != len(axes):
        raise ValueError(f"invalid dim {dim} for {x.ndim} dims")
    return tuple(a % x.ndim for a in axes) if isinstance(axis, tuple) else axis % x.ndim


def _count(x, axis) -> int:
    if axis is None:
        return int(x.size)
    return int(math.prod(x.shape[a] for a in (axis if isinstance(axis, tuple) else (axis,))))


def _table(name):
    from conformance.compare import TOLERANCES

    return TOLERANCES[name]


def _magnitudes(sample, skip_nan=True):
    x = sample.arrays[0]
    a = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
    return np.where(np.isfinite(a), a, 0.0) if skip_nan else a


def sum_tol(mean: bool = False, nan: bool = False):
    """tol_fn of sum / nansum (and of mean / nanmean with ``mean``)."""
    def tol(sample, dtype):
        name = _result_dtype(sample, dtype)
        if name is None:
            return None
        x = sample.arrays[0]
        try:
            axis = _axis(x, sample.kwargs.get("dim"))
        except ValueError:
            return None
        keep = sample.kwargs.get("keepdim", False)
        u = EPS[name] + EPS["float64"]
        rtol, atol = _table(name)
        a = _magnitudes(sample)
        with np.errstate(all="ignore"):
            s = np.sum(a, axis=axis, keepdims=keep)
            n = np.sum(~np.isnan(x), axis=axis, keepdims=keep) if nan else _count(x, axis)
            g = gamma(np.asarray(n) + (1 if mean else 0), u)
            bound = g * s / np.maximum(n, 1) if mean else g * s
            may = s * (1 + g) > BIGGEST[name]
        return {name: (rtol, atol + bound, may)}
    return tol


def cumsum_tol(sample, dtype):
    name = _result_dtype(sample, dtype)
    if name is None:
        return None
    x = sample.arrays[0]
    dim = sample.kwargs.get("dim")
    if x.ndim == 0:
        return None
    u = EPS[name] + EPS["float64"]
    rtol, atol = _table(name)
    try:
        with np.errstate(all="ignore"):
            a = np.cumsum(_magnitudes(sample), axis=dim)
        k = np.cumsum(np.ones(x.shape), axis=dim)
    except Exception:  # noqa: BLE001 - an invalid dim: the call raises
        return None
    g = gamma(k, u)
    with np.errstate(all="ignore"):
        return {name: (rtol, atol + g * a, a * (1 + g) > BIGGEST[name])}


def _log2_partial_products(x, axis, keep, cumulative=False):
    """log2 of the largest and of the smallest partial product of the finite nonzero |x| along ``axis``."""
    a = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
    ok = np.isfinite(a) & (a > 0)
    with np.errstate(divide="ignore"):
        lg = np.where(ok, np.log2(np.where(ok, a, 1.0)), 0.0)
    big, small = np.maximum(lg, 0.0), np.minimum(lg, 0.0)
    if cumulative:
        return np.cumsum(big, axis=axis), np.cumsum(small, axis=axis)
    return np.sum(big, axis=axis, keepdims=keep), np.sum(small, axis=axis, keepdims=keep)


def prod_tol(cumulative: bool = False):
    def tol(sample, dtype):
        name = _result_dtype(sample, dtype)
        if name is None:
            return None
        x = sample.arrays[0]
        keep = sample.kwargs.get("keepdim", False)
        try:
            if cumulative:
                if x.ndim == 0:
                    return None
                axis = sample.kwargs["dim"]
                n = np.cumsum(np.ones(x.shape), axis=axis)
            else:
                axis = _axis(x, sample.kwargs.get("dim"))
                n = _count(x, axis)
            hi, lo = _log2_partial_products(x, axis, keep, cumulative)
        except Exception:  # noqa: BLE001 - an invalid dim: the call raises
            return None
        u = EPS[name] + EPS["float64"]
        g = gamma(n, u)
        rtol, atol = _table(name)
        with np.errstate(all="ignore"):
            over = hi + np.log2(1 + g) > math.log2(BIGGEST[name])
            under = lo + np.log2(np.maximum(1 - g, 1e-300)) < math.log2(TINY[name])
            if x.dtype.kind == "c":
                # a complex product with an infinite factor: (inf + 0j) * (0 + 1j) is NaN + inf j by the usual
                # formula, so the result depends on the order of the factors; so do the signs of the parts of a
                # product that overflows
                nonfinite = (~np.isfinite(x)).astype(np.int64)
                under = under | over | ((np.cumsum(nonfinite, axis=axis) if cumulative else
                                         np.sum(nonfinite, axis=axis, keepdims=keep)) > 0)
            # the relative bound as an absolute one: g |prod|, |prod| = 2 ** (hi + lo) (0 with a zero factor)
            x_abs = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
            zero = (x_abs == 0).astype(np.int64)
            zero = (np.cumsum(zero, axis=axis) if cumulative else np.sum(zero, axis=axis, keepdims=keep)) > 0
            bound = np.where(zero, 0.0, g * np.exp2(np.minimum(hi + lo, 1100.0)))
        # a partial product that may underflow loses relative precision: no bound at all there
        return {name: (rtol, np.where(under, INF, atol + bound), over | under)}
    return tol


def var_tol(std: bool = False):
    def tol(sample, dtype):
        name = _result_dtype(sample, dtype, real=True)
        if name is None:
            return None
        x = sample.arrays[0]
        try:
            axis = _axis(x, sample.kwargs.get("dim"))
        except ValueError:
            return None
        keep = sample.kwargs.get("keepdim", False)
        c = sample.kwargs.get("correction", 1)
        n = _count(x, axis)
        if n - c <= 0:
            return None  # NaN or inf, compared exactly
        u = EPS[name] + EPS["float64"]
        rtol, atol = _table(name)
        a = _magnitudes(sample)
        with np.errstate(all="ignore"):
            q = np.sum(a * a, axis=axis, keepdims=keep)
            d = gamma(2 * n + 4, u) * q / (n - c)
            may = 4 * np.max(a, axis=axis, keepdims=keep, initial=0.0) ** 2 * n * (1 + gamma(n, u)) > BIGGEST[name]
            if std:
                wide = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
                v = np.var(wide, axis=axis, ddof=c, keepdims=keep)
                d = np.where(v > 0, np.minimum(np.sqrt(d), d / np.sqrt(np.where(v > 0, v, 1.0))), np.sqrt(d))
        return {name: (rtol, atol + d, may)}
    return tol


def logsumexp_tol(sample, dtype):
    name = _result_dtype(sample, dtype)
    if name is None:
        name = "float32"  # integer inputs give the default float dtype
    x = sample.arrays[0]
    try:
        n = _count(x, _axis(x, sample.kwargs.get("dim")))
    except ValueError:
        return None
    u = EPS[name] + EPS["float64"]
    rtol, atol = _table(name)
    return {name: (rtol, atol + float(gamma(2 * n + 2, u)) + u * math.log(max(n, 1)))}


def norm_tol(ord_name: str):
    def tol(sample, dtype):
        name = _result_dtype(sample, dtype, real=True)
        if name is None:
            return None
        p = sample.kwargs.get(ord_name, 2)
        p = 2 if p == "fro" else p
        if p in (0, INF, -INF):
            # a count or a selection of magnitudes: exact for real inputs; the modulus of a complex number is
            # rounded (within the table's tolerance)
            return None if D.is_complex(dtype) else {name: (0.0, 0.0)}
        x = sample.arrays[0]
        dim = sample.kwargs.get("dim")
        try:
            axis = _axis(x, (dim,) if isinstance(dim, int) else dim)
        except ValueError:
            return None
        keep = sample.kwargs.get("keepdim", False)
        n = _count(x, axis)
        u = EPS[name] + EPS["float64"]
        rtol, atol = _table(name)
        a = _magnitudes(sample)
        with np.errstate(all="ignore"):
            top = np.max(a, axis=axis, keepdims=keep, initial=0.0)
            may = p * np.log2(np.where(top > 0, top, 1.0)) + math.log2(max(n, 1)) + 1 > math.log2(BIGGEST[name])
        extra = (float(gamma(n + 2, u)) + 2 * u) * max(1.0, 1.0 / abs(p))
        return {name: (rtol + extra, atol, may if p > 0 else None)}
    return tol


# ---- torch callables that need more than a dotted path ---------------------------------------------------

def median_dim(x, dim, keepdim=False):
    """``torch.median(x, dim)``, returning its values and the input's elements at its indices (an index is
    not unique when the median value repeats: it must point at an element equal to the median)."""
    values, indices = torch.median(x, dim, keepdim=keepdim)
    if x.dim() == 0:
        return values, x.reshape(1)[indices.reshape(1)].reshape(())
    idx = indices if keepdim else indices.unsqueeze(dim)
    picked = torch.take_along_dim(x, idx, dim)
    return values, picked if keepdim else picked.squeeze(dim)


# ---- divergences shared by several reductions ------------------------------------------------------------

EMPTY_TUPLE_SOURCE = "https://github.com/pytorch/pytorch/issues/29137"
ZERO_D_SOURCE = "https://github.com/zdevito/ATen/issues/157"
UINT8_SOURCE = "https://pytorch.org/docs/stable/generated/torch.sum.html"


def _arr(values, dtype):
    return np.array(values, dtype=D.NUMPY[dtype])


def _empty_tuple(op: str, torch_ref, dtype: str = "float32", applies_empty_only: bool = False, **kw):
    if applies_empty_only:
        return Divergence(
            id=f"{op}-dim-empty-tuple-empty-input", op=op,
            condition="dim=() on an empty input of one or more dims",
            torch_behaviour="reduces over every dim, as dim=None does (-inf)",
            numpy_behaviour="axis=() reduces over no axis: the result is the (empty) input",
            reference=EMPTY_TUPLE_SOURCE, kind="bug",
            applies=lambda s, d: s.kwargs.get("dim") == () and s.arrays[0].ndim > 0 and s.arrays[0].size == 0,
            torch_ref=torch_ref,
            example=lambda d: ((np.zeros((2, 0), dtype=D.NUMPY[d]),), {"dim": (), **kw}),
            dtypes=(dtype,))
    return Divergence(
        id=f"{op}-dim-empty-tuple", op=op,
        condition="dim=() (an empty tuple of dims)",
        torch_behaviour="reduces over every dim, as dim=None does",
        numpy_behaviour="axis=() reduces over no axis (each element alone)",
        reference=EMPTY_TUPLE_SOURCE, kind="bug",
        applies=lambda s, d: s.kwargs.get("dim") == () and s.arrays[0].ndim > 0,
        torch_ref=torch_ref,
        example=lambda d: ((_arr([[1, 2, 3], [4, 5, 7]], d),), {"dim": (), **kw}),
        dtypes=(dtype,))


def _zero_d(op: str, torch_ref, dtype: str = "float32", ints: bool = False, **kw):
    """A dim on a 0-d input: torch reduces the single element; NumPy rejects a tuple axis there (and, for the
    functions that are not plain ufunc reductions — ``ints`` — an int axis too)."""
    return Divergence(
        id=f"{op}-0d-dim", op=op,
        condition="a 0-d input with dim " + ("0, -1, (0,) or (-1,)" if ints else "(0,) or (-1,)"),
        torch_behaviour="reduces the single element (a 0-d tensor has one implicit dim for dim arguments)",
        numpy_behaviour="raises AxisError" + (" (axis 0 is out of bounds for array of dimension 0)" if ints else
                                              " for a tuple axis on a 0-d array (an int axis 0 or -1 is accepted)"),
        reference=ZERO_D_SOURCE, kind="intended",
        applies=lambda s, d: s.arrays[0].ndim == 0 and s.kwargs.get("dim") is not None and (
            (ints and not isinstance(s.kwargs["dim"], tuple)) or
            (isinstance(s.kwargs["dim"], tuple) and len(s.kwargs["dim"]) > 0)),
        torch_ref=torch_ref,
        example=lambda d: ((_arr(3, d),), {"dim": 0 if ints else (0,), **kw}),
        dtypes=(dtype,))


def _uint8_int64(op: str, torch_ref, **kw):
    return Divergence(
        id=f"{op}-uint8-int64", op=op,
        condition="uint8 input without dtype=",
        torch_behaviour="accumulates and returns int64, as for every integer and bool input",
        numpy_behaviour="accumulates unsigned integers in uint64",
        reference=UINT8_SOURCE, kind="intended",
        applies=lambda s, d: d == "uint8" and "dtype" not in s.kwargs,
        torch_ref=torch_ref,
        example=lambda d: ((_arr([200, 100, 7], d),), kw),
        dtypes=("uint8",))


def _keepdim_without_dim(op: str, dtype: str = "float32", extra: str = ""):
    return Divergence(
        id=f"{op}-keepdim-without-dim", op=op,
        condition="keepdim given without dim" + extra,
        torch_behaviour="raises TypeError (no overload takes keepdim alone)",
        numpy_behaviour="keepdims without axis reduces everything and keeps every dim with size 1",
        reference="https://github.com/pytorch/pytorch/issues/71209", kind="bug",
        applies=lambda s, d: "keepdim" in s.kwargs and "dim" not in s.kwargs,
        raises=TypeError,
        example=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"keepdim": True}),
        dtypes=(dtype,))


def _raises_for_integers(op: str, what: str, source: str, dtype: str, exc=RuntimeError, even_with_dtype=False,
                         **kw):
    return Divergence(
        id=f"{op}-integer-input-raises", op=op,
        condition="a bool or integer input" + ("" if even_with_dtype else " without a floating dtype="),
        torch_behaviour=f"raises {exc.__name__} ({what})",
        numpy_behaviour="computes in float64",
        reference=source, kind="intended",
        applies=lambda s, d: not D.is_inexact(d) and (even_with_dtype or s.kwargs.get("dtype") is None),
        raises=exc,
        example=lambda d: ((_arr([1, 2, 4], d),), kw),
        dtypes=(dtype,))


def _cum_0d(op: str, torch_ref):
    return Divergence(
        id=f"{op}-0d-shape", op=op,
        condition="a 0-d input (dim 0 or -1)",
        torch_behaviour="returns a 0-d tensor (the output has the input's size)",
        numpy_behaviour="returns a 1-D array of one element",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
        applies=lambda s, d: s.arrays[0].ndim == 0,
        torch_ref=torch_ref,
        example=lambda d: ((_arr(3, d),), {"dim": 0}),
        dtypes=("float32",))


def _has_negative_zero(s) -> bool:
    x = s.arrays[0]
    if x.dtype.kind == "c":
        return bool(((x.real == 0) & np.signbit(x.real)).any() or ((x.imag == 0) & np.signbit(x.imag)).any())
    if not D.is_floating(D.name_of(x.dtype)):
        return False
    x = x.astype(np.float64)
    return bool(((x == 0) & np.signbit(x)).any())


def _no_dof_complex(op: str, torch_ref):
    return Divergence(
        id=f"{op}-complex-no-degrees-of-freedom", op=op,
        condition="a complex input with correction >= the number of reduced elements",
        torch_behaviour="NaN where the real or the imaginary part is constant (it adds the variances of the two "
                        "parts, one of which is then 0/0)",
        numpy_behaviour="inf (the sum of squared moduli divided by 0), NaN only when every element is equal",
        reference="https://pytorch.org/docs/stable/generated/torch.var.html", kind="unspecified",
        applies=lambda s, d: D.is_complex(d) and 0 <= _count_of(s) <= s.kwargs.get("correction", 1),
        torch_ref=torch_ref,
        example=lambda d: ((_arr([1, 2], d),), {"correction": 2}),
        dtypes=("complex64",))


def _count_of(s) -> int:
    """The number of elements reduced into each output element (-1 for an invalid dim)."""
    x = s.arrays[0]
    try:
        return _count(x, _axis(x, s.kwargs.get("dim")))
    except ValueError:
        return -1


def _on(**kw):
    """Keyword arguments of a strategy: booleans / sampled values / OMIT."""
    return kw


CORRECTIONS = st.sampled_from((OMIT, 0, 1, 2))
NORM_ORDS = st.sampled_from((2, 1, INF, -INF, 0, 3, 0.5, -1))
TORCH_NORM_PS = st.sampled_from(("fro", 2, 1, INF))


def _sum_inputs(dtype):
    return reduction(dtype, dtypes_arg=_dtype_targets(dtype))


def _dtype_targets(dtype):
    from conformance.strategies.reductions import dtype_targets

    return dtype_targets(dtype)


def _prod_inputs(dtype):
    return reduction(dtype, dtypes_arg=_dtype_targets(dtype))


def _mean_inputs(dtype):
    return reduction(dtype, dtypes_arg=("float32", "float64") if not D.is_complex(dtype) else ("complex128",))


def _nan_inputs(dtype):
    """nansum / nanmean: NaN-heavy inputs half of the time."""
    return reduction(dtype, nans=True, dtypes_arg=_dtype_targets(dtype))


def _var_inputs(dtype):
    return reduction(dtype, correction=CORRECTIONS)


def _with_dim(dtype):
    return reduction(dtype, dims=("int",), ties=True)


def _whole(dtype):
    return reduction(dtype, dims=(), keepdim=False, ties=True)


def _amax_inputs(dtype):
    return reduction(dtype, ties=True)


def _argmax_inputs(dtype):
    return reduction(dtype, dims=("none", "None", "int"), ties=True)


def _all_inputs(dtype):
    return reduction(dtype, ties=True)


def _cum_inputs(dtype):
    return reduction(dtype, dims=("int",), keepdim=False, dtypes_arg=_dtype_targets(dtype))


def _lse_inputs(dtype):
    return reduction(dtype)


def _count_inputs(dtype):
    return reduction(dtype, keepdim=False, ties=True)


def _vector_norm_inputs(dtype):
    return reduction(dtype, ord=NORM_ORDS,
                     dtypes_arg=("float64",) if D.is_floating(dtype) else ("complex128",) if D.is_complex(dtype)
                     else ())


def _norm_inputs(dtype):
    return reduction(dtype, dim_name="dim", p=TORCH_NORM_PS)


def _reduced_dims(s) -> int:
    x, dim = s.arrays[0], s.kwargs.get("dim")
    if dim is None or dim == ():
        return x.ndim
    return len(dim) if isinstance(dim, tuple) else 1


ENTRIES = [
    OpEntry("sum", F, "torch.sum", R.sum_ref, _sum_inputs, ("uint8", "bfloat16", "float32", "complex64"),
            method="sum", tol_fn=sum_tol(),
            grad=True, divergences=(
                _keepdim_without_dim("sum"),
                _uint8_int64("sum", R.sum_torch),
                _empty_tuple("sum", R.sum_torch),
                _zero_d("sum", R.sum_torch),
            )),
    OpEntry("prod", F, "torch.prod", R.prod_ref, _prod_inputs,
            ("int8", "complex64"),
            tol_fn=prod_tol(), grad=True, divergences=(
                Divergence(
                    id="prod-dim-tuple-raises", op="prod",
                    condition="dim given as a tuple",
                    torch_behaviour="raises TypeError: torch.prod reduces over one int dim or over everything",
                    numpy_behaviour="reduces over every axis of the tuple",
                    reference="https://github.com/pytorch/pytorch/issues/56586", kind="intended",
                    applies=lambda s, d: isinstance(s.kwargs.get("dim"), tuple), raises=TypeError,
                    example=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"dim": (0, 1)}),
                    dtypes=("float32",)),
                Divergence(
                    id="prod-dim-none-raises", op="prod",
                    condition="dim=None given explicitly, or keepdim without dim",
                    torch_behaviour="raises TypeError (no overload takes dim=None or keepdim alone)",
                    numpy_behaviour="axis=None reduces over everything; keepdims keeps every dim with size 1",
                    reference="https://github.com/pytorch/pytorch/issues/71209", kind="bug",
                    applies=lambda s, d: ("dim" in s.kwargs and s.kwargs["dim"] is None) or
                    ("keepdim" in s.kwargs and "dim" not in s.kwargs), raises=TypeError,
                    example=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"dim": None}),
                    dtypes=("float32",)),
                _uint8_int64("prod", R.prod_torch),
                Divergence(
                    id="prod-complex-signed-zero", op="prod",
                    condition="a complex input whose product has a real or imaginary part that underflows to zero",
                    torch_behaviour="the sign of that zero depends on how torch's reduction evaluates the complex "
                                    "products (+0.0 where the exact value is a tiny negative number)",
                    numpy_behaviour="multiplies left to right with the usual formula: the zero keeps the sign of "
                                    "the exact value",
                    reference="https://pytorch.org/docs/stable/generated/torch.prod.html", kind="unspecified",
                    applies=lambda s, d: D.is_complex(d), relax_signed_zero=True,
                    example=lambda d: ((_arr([1.825989e-39 + 9.5345254e-26j, -3.339294e-42 - 6.4356076e-10j,
                                              1, 1, 1], d),), {}),
                    dtypes=("complex64",)),
            )),
    OpEntry("mean", F, "torch.mean", R.mean_ref, _mean_inputs,
            ("bfloat16", "float64"),
            tol_fn=sum_tol(mean=True), grad=True, divergences=(
                _keepdim_without_dim("mean"),
                _raises_for_integers("mean", "mean(): could not infer output dtype: give a floating dtype=",
                                     "https://pytorch.org/docs/stable/generated/torch.mean.html", "int64"),
                _empty_tuple("mean", R.mean_torch),
                _zero_d("mean", R.mean_torch, ints=True),
            )),
    OpEntry("nansum", F, "torch.nansum", R.nansum_ref, _nan_inputs,
            ("int32", "float16"),
            tol_fn=sum_tol(nan=True), grad=True, divergences=(
                _uint8_int64("nansum", R.nansum_torch),
                _empty_tuple("nansum", R.nansum_torch),
                _zero_d("nansum", R.nansum_torch),
            )),
    OpEntry("nanmean", F, "torch.nanmean", R.nanmean_ref, _nan_inputs,
            ("float32",),
            tol_fn=sum_tol(mean=True, nan=True), grad=True, divergences=(
                _raises_for_integers("nanmean", "nanmean(): expected input to have floating point dtype",
                                     "https://pytorch.org/docs/stable/generated/torch.nanmean.html", "int32",
                                     even_with_dtype=True),
                _empty_tuple("nanmean", R.nanmean_torch),
                _zero_d("nanmean", R.nanmean_torch),
            )),
    OpEntry("var", F, "torch.var", R.var_ref, _var_inputs,
            ("float32", "complex64"), method="var",
            tol_fn=var_tol(), grad=True, divergences=(
                _no_dof_complex("var", R.var_torch),
                _raises_for_integers("var", "std and var only support floating point and complex dtypes",
                                     "https://pytorch.org/docs/stable/generated/torch.var.html", "int32"),
                Divergence(
                    id="var-default-correction", op="var",
                    condition="correction not given",
                    torch_behaviour="correction=1 by default (Bessel's correction: divides by N - 1)",
                    numpy_behaviour="ddof=0 by default (divides by N)",
                    reference="https://pytorch.org/docs/stable/generated/torch.var.html",
                    applies=lambda s, d: "correction" not in s.kwargs,
                    torch_ref=R.var_torch,
                    example=lambda d: ((_arr([1, 2, 4, 7], d),), {}),
                    dtypes=("float32",)),
                _empty_tuple("var", R.var_torch, correction=0),
                _zero_d("var", R.var_torch, ints=True, correction=0),
            )),
    OpEntry("std", F, "torch.std", R.std_ref, _var_inputs,
            ("float16",),
            tol_fn=var_tol(std=True), grad=True, divergences=(
                _no_dof_complex("std", R.std_torch),
                Divergence(
                    id="std-default-correction", op="std",
                    condition="correction not given",
                    torch_behaviour="correction=1 by default (Bessel's correction: divides by N - 1)",
                    numpy_behaviour="ddof=0 by default (divides by N)",
                    reference="https://pytorch.org/docs/stable/generated/torch.std.html",
                    applies=lambda s, d: "correction" not in s.kwargs,
                    torch_ref=R.std_torch,
                    example=lambda d: ((_arr([1, 2, 4, 7], d),), {}),
                    dtypes=("float64",)),
                _empty_tuple("std", R.std_torch, correction=0),
                _zero_d("std", R.std_torch, ints=True, correction=0),
            )),
    # signed_zero=False from here to amin: -0.0 and 0.0 are equal, and which of them is the maximum (minimum) is
    # defined by neither library (IEEE 754 maxNum/minNum leave it open)
    OpEntry("max", F, "torch.max", R.max_ref, _whole,
            ("bool", "float32"), method="max", grad=True, signed_zero=False),
    OpEntry("min", F, "torch.min", R.min_ref, _whole,
            ("bfloat16",), grad=True, signed_zero=False),
    OpEntry("max_dim", F, "torch.max", R.max_dim_ref, _with_dim,
            ("uint8", "float64"), method="max", grad=True, signed_zero=False),
    OpEntry("min_dim", F, "torch.min", R.min_dim_ref, _with_dim,
            ("float32",), grad=True, signed_zero=False),
    OpEntry("amax", F, "torch.amax", R.amax_ref, _amax_inputs,
            ("int8", "float32"), grad=True, signed_zero=False, divergences=(
                _empty_tuple("amax", R.amax_torch),
                _zero_d("amax", R.amax_torch),
            )),
    OpEntry("amin", F, "torch.amin", R.amin_ref, _amax_inputs,
            ("float64",), grad=True, signed_zero=False, divergences=(
                _empty_tuple("amin", R.amin_torch),
                _zero_d("amin", R.amin_torch),
            )),
    OpEntry("argmax", F, "torch.argmax", R.argmax_ref, _argmax_inputs,
            ("int32", "float32"), method="argmax", divergences=(
                Divergence(
                    id="argmax-bool-raises", op="argmax",
                    condition="a bool input",
                    torch_behaviour="raises RuntimeError (argmax(): does not support bool input)",
                    numpy_behaviour="returns the index of the first True",
                    reference="https://github.com/pytorch/pytorch/issues/35529", kind="bug",
                    applies=lambda s, d: d == "bool", raises=RuntimeError,
                    example=lambda d: ((_arr([False, True, True], d),), {}),
                    dtypes=("bool",)),
            )),
    OpEntry("argmin", F, "torch.argmin", R.argmin_ref, _argmax_inputs,
            ("float64",)),
    OpEntry("all", F, "torch.all", R.all_ref, _all_inputs,
            ("uint8", "float32"), divergences=(
                _zero_d("all", R.all_torch, dtype="uint8"),
                Divergence(
                    id="all-uint8-result", op="all",
                    condition="a uint8 input",
                    torch_behaviour="returns uint8 (0 or 1)",
                    numpy_behaviour="returns bool",
                    reference="https://pytorch.org/docs/stable/generated/torch.all.html", kind="intended",
                    applies=lambda s, d: d == "uint8",
                    torch_ref=R.all_torch,
                    example=lambda d: ((_arr([1, 2, 0], d),), {}),
                    dtypes=("uint8",)),
            )),
    OpEntry("any", F, "torch.any", R.any_ref, _all_inputs,
            ("bool", "complex64"), divergences=(
                _zero_d("any", R.any_torch, dtype="bool"),
                Divergence(
                    id="any-uint8-result", op="any",
                    condition="a uint8 input",
                    torch_behaviour="returns uint8 (0 or 1)",
                    numpy_behaviour="returns bool",
                    reference="https://pytorch.org/docs/stable/generated/torch.any.html", kind="intended",
                    applies=lambda s, d: d == "uint8",
                    torch_ref=R.any_torch,
                    example=lambda d: ((_arr([1, 0, 0], d),), {}),
                    dtypes=("uint8",)),
            )),
    OpEntry("cumsum", F, "torch.cumsum", R.cumsum_ref, _cum_inputs,
            ("bool", "float32"),
            method="cumsum", tol_fn=cumsum_tol, grad=True, divergences=(
                _uint8_int64("cumsum", R.cumsum_torch, dim=0),
                _cum_0d("cumsum", R.cumsum_torch),
                Divergence(
                    id="cumsum-signed-zero", op="cumsum",
                    condition="a -0.0 in the input (in a real or an imaginary part)",
                    torch_behaviour="adds the first element to +0.0, so a leading -0.0 gives +0.0",
                    numpy_behaviour="the first output element is the first input element (-0.0)",
                    reference="https://pytorch.org/docs/stable/generated/torch.cumsum.html", kind="unspecified",
                    applies=lambda s, d: _has_negative_zero(s), relax_signed_zero=True,
                    example=lambda d: ((_arr([-0.0, 1.0], d),), {"dim": 0}),
                    dtypes=("float32",)),
            )),
    OpEntry("cumprod", F, "torch.cumprod", R.cumprod_ref, _cum_inputs,
            ("int32", "float64"),
            tol_fn=prod_tol(cumulative=True), grad=True, divergences=(
                _cum_0d("cumprod", R.cumprod_torch),
                Divergence(
                    id="cumprod-complex-signed-zero", op="cumprod",
                    condition="a complex input (with a -0.0 part, or a running product that underflows)",
                    torch_behaviour="multiplies the first element by 1 + 0j, so a -0.0 part of it becomes +0.0; "
                                    "the sign of a part that underflows to zero follows torch's evaluation",
                    numpy_behaviour="the first output element is the first input element; later ones follow "
                                    "NumPy's evaluation of the complex product",
                    reference="https://pytorch.org/docs/stable/generated/torch.cumprod.html", kind="unspecified",
                    applies=lambda s, d: D.is_complex(d), relax_signed_zero=True,
                    example=lambda d: ((_arr([-0.0 - 127.5j, 1 + 0j], d),), {"dim": 0}),
                    dtypes=("complex128",)),
            )),
    OpEntry("logsumexp", F, "torch.logsumexp", R.logsumexp_ref, _lse_inputs,
            ("float16", "float32"),
            tol_fn=logsumexp_tol, grad=True, divergences=(
                Divergence(
                    id="logsumexp-dim-required", op="logsumexp",
                    condition="dim not given, or None",
                    torch_behaviour="raises TypeError (dim is required; older documentation called it optional, "
                                    "see https://github.com/pytorch/pytorch/issues/144339)",
                    numpy_behaviour="scipy.special.logsumexp reduces over every axis",
                    reference="https://docs.pytorch.org/docs/stable/generated/torch.logsumexp.html",
                    kind="intended",
                    applies=lambda s, d: s.kwargs.get("dim") is None, raises=TypeError,
                    example=lambda d: ((_arr([1, 2, 3], d),), {}),
                    dtypes=("float32",)),
                Divergence(
                    id="logsumexp-dim-empty-tuple", op="logsumexp",
                    condition="dim=() on a non-empty input of one or more dims",
                    torch_behaviour="raises RuntimeError (output with shape [] doesn't match the broadcast shape): "
                                    "the empty tuple is taken as every dim, as in other reductions, and fails",
                    numpy_behaviour="axis=() reduces over no axis: the result is the input",
                    reference=EMPTY_TUPLE_SOURCE, kind="bug",
                    applies=lambda s, d: s.kwargs.get("dim") == () and s.arrays[0].ndim > 0 and s.arrays[0].size > 0,
                    raises=RuntimeError,
                    example=lambda d: ((_arr([1, 2, 3], d),), {"dim": ()}),
                    dtypes=("float32",)),
                _empty_tuple("logsumexp", R.logsumexp_torch, applies_empty_only=True),
                _zero_d("logsumexp", R.logsumexp_torch),
                Divergence(
                    id="logsumexp-integer-float32", op="logsumexp",
                    condition="a bool or integer input",
                    torch_behaviour="returns the default float dtype (float32)",
                    numpy_behaviour="scipy.special.logsumexp and NumPy's float functions give float64 for int64",
                    reference="https://pytorch.org/docs/stable/generated/torch.logsumexp.html", kind="intended",
                    applies=lambda s, d: not D.is_inexact(d),
                    torch_ref=R.logsumexp_torch,
                    example=lambda d: ((_arr([1, 2, 3], d),), {"dim": 0}),
                    dtypes=("int64",)),
            )),
    # signed_zero=False: when -0.0 and 0.0 are both middle values they compare equal, and which one is "the"
    # median is defined by neither library
    OpEntry("median", F, "torch.median", R.median_ref, _whole,
            ("float32",), method="median", grad=True, signed_zero=False, divergences=(
                Divergence(
                    id="median-empty-integer", op="median",
                    condition="an empty integer input",
                    torch_behaviour="returns NaN converted to the integer dtype (the minimum of int32 and int64, 0 "
                                    "for narrower types, as a C conversion gives)",
                    numpy_behaviour="returns NaN as float64 (with a warning)",
                    reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="unspecified",
                    applies=lambda s, d: s.arrays[0].size == 0 and not D.is_inexact(d),
                    torch_ref=R.median_torch,
                    example=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {}),
                    dtypes=("int32",)),
                Divergence(
                    id="median-lower", op="median",
                    condition="an even number of elements, or an integer input",
                    torch_behaviour="returns the lower of the two middle values, in the input's dtype",
                    numpy_behaviour="returns the mean of the two middle values, as float64 for integers",
                    reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="intended",
                    applies=lambda s, d: s.arrays[0].size % 2 == 0 or not D.is_inexact(d),
                    torch_ref=R.median_torch,
                    example=lambda d: ((_arr([1, 2, 4, 8], d),), {}),
                    dtypes=("float32", "int32")),
            )),
    OpEntry("median_dim", F, median_dim, R.median_dim_ref, _with_dim,
            ("float64",), grad=True, signed_zero=False, divergences=(
                Divergence(
                    id="median-dim-lower", op="median_dim",
                    condition="an even number of elements along dim, or an integer input",
                    torch_behaviour="returns the lower of the two middle values, in the input's dtype",
                    numpy_behaviour="returns the mean of the two middle values, as float64 for integers",
                    reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="intended",
                    applies=lambda s, d: s.arrays[0].ndim > 0 and (not D.is_inexact(d) or (
                        s.arrays[0].size > 0 and s.arrays[0].shape[s.kwargs["dim"] % s.arrays[0].ndim] % 2 == 0)),
                    torch_ref=R.median_dim_torch,
                    example=lambda d: ((_arr([[1, 2, 4, 8], [3, 1, 2, 2]], d),), {"dim": 1}),
                    dtypes=("float32",)),
                Divergence(
                    id="median-dim-empty-raises", op="median_dim",
                    condition="a size-0 dim to reduce",
                    torch_behaviour="raises IndexError (expected reduction dim to have non-zero size)",
                    numpy_behaviour="returns NaN (with a warning)",
                    reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="intended",
                    applies=lambda s, d: s.arrays[0].ndim > 0 and
                    s.arrays[0].shape[s.kwargs["dim"] % s.arrays[0].ndim] == 0,
                    raises=IndexError,
                    example=lambda d: ((np.zeros((2, 0), dtype=D.NUMPY[d]),), {"dim": 1}),
                    dtypes=("float32",)),
                Divergence(
                    id="median-dim-0d", op="median_dim",
                    condition="a 0-d input with dim=0 or dim=-1",
                    torch_behaviour="returns the element and index 0",
                    numpy_behaviour="raises AxisError (np.median takes no axis on a 0-d array)",
                    reference=ZERO_D_SOURCE, kind="intended",
                    applies=lambda s, d: s.arrays[0].ndim == 0,
                    torch_ref=R.median_dim_torch,
                    example=lambda d: ((_arr(3, d),), {"dim": 0}),
                    dtypes=("float32",)),
            )),
    OpEntry("vector_norm", F, "torch.linalg.vector_norm", R.vector_norm_ref, _vector_norm_inputs,
            ("float32", "complex64"), tol_fn=norm_tol("ord"),
            grad=True, divergences=(
                Divergence(
                    id="vector_norm-empty-raises", op="vector_norm",
                    condition="ord=inf or a negative finite ord over an empty reduction",
                    torch_behaviour="raises RuntimeError (cannot compute the inf norm on an empty tensor because "
                                    "the operation does not have an identity; the same for negative orders)",
                    numpy_behaviour="returns 0 for ord=inf (the largest of no magnitudes) and inf for a negative "
                                    "order (0 ** (1/ord))",
                    reference="https://pytorch.org/docs/stable/generated/torch.linalg.vector_norm.html",
                    kind="intended",
                    applies=lambda s, d: (s.kwargs.get("ord") == INF or -INF < s.kwargs.get("ord", 2) < 0) and
                    _count_of(s) == 0, raises=RuntimeError,
                    example=lambda d: ((np.zeros((2, 0), dtype=D.NUMPY[d]),), {"ord": INF, "dim": 1}),
                    dtypes=("float32",)),
                _raises_for_integers("vector_norm", "linalg.vector_norm: expected a floating point or complex "
                                     "tensor", "https://pytorch.org/docs/stable/generated/torch.linalg.vector_norm"
                                     ".html", "int32"),
                _empty_tuple("vector_norm", R.vector_norm_torch),
                _zero_d("vector_norm", R.vector_norm_torch),
            )),
    OpEntry("norm", F, "torch.norm", R.norm_ref, _norm_inputs, ("float64",),
            tol_fn=norm_tol("p"), grad=True, divergences=(
                Divergence(
                    id="norm-inf-empty-raises", op="norm",
                    condition="p=inf over an empty reduction",
                    torch_behaviour="raises RuntimeError (cannot compute the inf norm on an empty tensor because "
                                    "the operation does not have an identity)",
                    numpy_behaviour="returns 0 (the largest of no magnitudes)",
                    reference="https://pytorch.org/docs/stable/generated/torch.norm.html", kind="intended",
                    applies=lambda s, d: s.kwargs.get("p") == INF and _count_of(s) == 0, raises=RuntimeError,
                    example=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {"p": INF}),
                    dtypes=("float32",)),
                Divergence(
                    id="norm-vector-over-any-dims", op="norm",
                    condition="a 0-d input, p='fro' over other than two dims, or a numeric p over other than one "
                              "dim (dim=None included)",
                    torch_behaviour="the vector norm of all the reduced elements ('fro' is the 2-norm)",
                    numpy_behaviour="np.linalg.norm: a matrix norm over two axes (ord 1, inf: largest column, row "
                                    "sum; 2: largest singular value), and it raises over three or more axes or "
                                    "for 'fro' over one",
                    reference="https://pytorch.org/docs/stable/generated/torch.norm.html", kind="intended",
                    applies=lambda s, d: s.arrays[0].ndim == 0 or ((_reduced_dims(s) != 2)
                                                                    if s.kwargs.get("p", "fro") == "fro"
                                                                    else (_reduced_dims(s) != 1)),
                    torch_ref=R.norm_torch,
                    example=lambda d: ((_arr([[1, -2], [3, 4]], d),), {"p": 1}),
                    dtypes=("float32",)),
            )),
    OpEntry("count_nonzero", F, "torch.count_nonzero", R.count_nonzero_ref, _count_inputs,
            ("float32",), divergences=(
                _empty_tuple("count_nonzero", R.count_nonzero_torch),
                _zero_d("count_nonzero", R.count_nonzero_torch),
            )),
]

#: pinned by bespoke tests in conformance/suite/test_reductions.py
DIVERGENCES = [
    Divergence(
        id="cumsum_-dtype-raises", op="cumsum",
        condition="the in-place x.cumsum_(dim, dtype=d) with d other than x's dtype",
        torch_behaviour="raises RuntimeError (Bad in-place call: input tensor dtype and output tensor dtype "
                        "should match)",
        numpy_behaviour="np.cumsum(x, dtype=d, out=x) accumulates in d and casts the result into x",
        reference="https://pytorch.org/docs/stable/generated/torch.Tensor.cumsum_.html", kind="intended",
        family=F),
    Divergence(
        id="cumsum_-bool-raises", op="cumsum",
        condition="the in-place x.cumsum_(dim) or x.cumprod_(dim) on a bool tensor",
        torch_behaviour="raises NotImplementedError (cumsum_out_cpu not implemented for 'Bool')",
        numpy_behaviour="np.cumsum(x, out=x) casts the int64 running sums into the bool array",
        reference="https://pytorch.org/docs/stable/generated/torch.Tensor.cumsum_.html", kind="intended",
        family=F),
]
