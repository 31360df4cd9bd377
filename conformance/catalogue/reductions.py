"""Reductions: sum, prod, mean, nansum, nanmean, var, std, max/min (whole and with ``dim``), amax/amin,
argmax/argmin, all/any, cumsum/cumprod, logsumexp, median, vector_norm/norm, count_nonzero.

Each entry draws ``dim`` as it accepts it (absent, an int given by keyword or positionally, negative ones
included, a tuple, the empty tuple, and now and then an invalid one that both libraries must reject),
``keepdim``, the ``dtype=`` argument, inputs of every size class (long rows included) and, for the ops that
return an index, tie-heavy values (:mod:`conformance.strategies.reductions`). Every dtype runs; result dtypes for
bool and integer inputs are compared like everything else.

Tolerance of float results (``tol_fn``): derived bounds from :mod:`conformance.tolerance`, per output element,
in the precision torch computes in (float32 for the half types) plus the final rounding to the result dtype:

* ``sum``, ``nansum``, ``mean``, ``nanmean``: :func:`~conformance.tolerance.summation` (the pairwise accuracy
  class NumPy documents for its sums), relative to ``S = sum |x_i|`` over the finite terms of the element (with
  cancellation the relative error of the sum itself is unbounded); a mean divides by the count (one more
  rounding); ``nanmean`` is ``nansum / count`` and rounds the sum to the result dtype before the division;
* ``cumsum``: :func:`~conformance.tolerance.cumulative_sum` (a scan: the k-th output sums k terms in sequence);
* ``prod``, ``cumprod``: :func:`~conformance.tolerance.product`, from the log-magnitudes of the factors (a
  partial product that may underflow adds an absolute error, one that may overflow may give a non-finite
  value); a complex product with an infinite factor is order-dependent (``inf * 0`` parts): any value there;
* ``var``, ``std``: :func:`~conformance.tolerance.variance` (textbook, two-pass and Welford all within it, and
  what underflowed squares of tiny values add);
* ``logsumexp``: :func:`~conformance.tolerance.log_sum_exp` (a composite of rounded ops; logarithmic in n);
* ``vector_norm``/``norm`` of order p: positive terms ``|x|^p`` summed in any order, then the 1/p-th power
  (which divides the relative error by ``|p|``): ``gamma_a((n + 4) max(1, 1/|p|))``; terms that underflow add
  ``(n eta_a)^(1/p)`` (p > 0); terms that overflow give an infinite sum, hence an infinite norm for p > 0
  (``nonfinite``) and 0 for p < 0 (off by at most ``min |x|``); for p < 0, terms that underflow (large ``|x|``)
  are off by ``eta_a`` each, a relative ``n eta_a / S`` of the sum, and a complex term whose modulus overflows
  the accumulation type is lost (its power is 0), a relative ``(|x_i| / r)^p``: the power ``1/p`` carries both
  into the norm, which may then overflow (``1 / (1 / max)`` is inf: ``nonfinite``); orders 0 and +-inf count or select, exactly for
  real inputs (a complex modulus is rounded: the table's tolerance).

Max, min, argmax, median, all, any and count_nonzero select or count, so their results are compared exactly.
"""
from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import reductions as R
from conformance.strategies import reductions as S

F = "reductions"
INF = math.inf


# ---- reading a sample ------------------------------------------------------------------------------------

def _name(s) -> str:
    """The dtype of the reduced input."""
    return D.name_of(s.arrays[0].dtype)


def _has_dim(s) -> bool:
    return len(s.args) > 1 or "dim" in s.kwargs


def _dim(s):
    """``dim`` as given, positionally (second argument) or by keyword; None when absent."""
    return s.args[1] if len(s.args) > 1 else s.kwargs.get("dim")


def _result_dtype(sample, real: bool = False) -> str | None:
    """The floating result dtype of a reduction of ``sample`` (None for integer and bool results)."""
    dt = sample.kwargs.get("dtype")
    name = str(dt).rpartition(".")[2] if dt is not None else _name(sample)
    if real:
        name = D.real_of(name)
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


def _count_of(s) -> int:
    """The number of elements reduced into each output element (-1 for an invalid dim)."""
    x = s.arrays[0]
    try:
        return _count(x, _axis(x, _dim(s)))
    except ValueError:
        return -1


def _wide(x):
    return x.astype(np.complex128 if D.is_complex(D.name_of(x.dtype)) else np.float64)


def _magnitudes(sample):
    """|x| in float64, non-finite terms as 0 (they make the result non-finite, which is compared exactly)."""
    a = np.abs(_wide(sample.arrays[0]))
    return np.where(np.isfinite(a), a, 0.0)


def _finite_parts_magnitudes(x):
    """|x| in float64 with each non-finite part taken as 0: a term with one infinite part still adds its finite
    part to that part of the accumulator, which may overflow there (3 x (-3.4e38 + inf j) in complex64)."""
    w = _wide(x)
    if np.iscomplexobj(w):
        w = np.where(np.isfinite(w.real), w.real, 0.0) + 1j * np.where(np.isfinite(w.imag), w.imag, 0.0)
    a = np.abs(w)
    return np.where(np.isfinite(a), a, 0.0)


def _input(sample, name):
    """The input as torch reduces it: cast to the ``dtype=`` argument first (exactly as the reference does)."""
    x = sample.arrays[0]
    return x if D.name_of(x.dtype) == name or not D.is_inexact(name) else x.astype(D.NUMPY[name])


# ---- tolerances ------------------------------------------------------------------------------------------

def _no_zero(name: str) -> bool:
    """A format without a zero (float8_e8m0fnu): an empty sum or norm, exactly 0, is not representable in it."""
    with np.errstate(all="ignore"):
        return bool(np.asarray(0.0).astype(D.NUMPY[name]).astype(np.float64) != 0.0)


def _reduced(sample):
    """``(result dtype name, input, axis)`` of a reduction's sample, or None where there is no result dtype or the
    dim is invalid (the call raises)."""
    name = _result_dtype(sample)
    if name is None:
        return None
    x = sample.arrays[0]
    try:
        return name, x, _axis(x, _dim(sample))
    except ValueError:
        return None


def sum_tol(mean: bool = False, nan: bool = False):
    """tol_fn of sum / nansum (and of mean / nanmean with ``mean``)."""
    def tol(sample, dtype):
        found = _reduced(sample)
        if found is None:
            return None
        name, x, axis = found
        keep = sample.kwargs.get("keepdim", False)
        a = _finite_parts_magnitudes(_input(sample, name))
        with np.errstate(all="ignore"):
            s = np.sum(a, axis=axis, keepdims=keep)
            # nansum adds every term (a NaN as 0): the roundings are those of all of them; nanmean divides by the
            # count of the others
            n = np.asarray(_count(x, axis), dtype=np.float64)
            count = np.sum(~np.isnan(_wide(x)), axis=axis, keepdims=keep) if nan else n
        if not mean:
            found = T.summation(name, s, n, why="nansum" if nan else "sum")
        elif not nan:
            found = T.summation(name, s, n, divide=max(float(n), 1.0), why="mean")
        else:
            # nansum rounded to the result dtype, then divided by the count: one more rounding of the accumulation
            # type and one of the result dtype
            with np.errstate(all="ignore"):
                found = T.summation(name, s / np.maximum(count, 1), n, extra_roundings=1, why="nanmean")
                # the nansum itself, in the accumulation type, may overflow where the mean does not
                over = ~(s * (1 + T.gamma(T.depth(n), T.unit(T.accumulation(name)))) <
                         T.biggest(T.accumulation(name)))
            found = dataclasses.replace(found, rtol=found.rtol + T.unit(name) * (1 + T.unit(name)),
                                        nonfinite=np.asarray(found.nonfinite, dtype=bool) | over,
                                        why="nanmean: nansum / count")
        free = ~np.isfinite(s)  # the float64 reference overflows itself (terms near float64's largest value)
        if _no_zero(name):
            free = free | (count == 0)
        return dataclasses.replace(found, free=np.broadcast_to(free, np.shape(s)))
    return tol


def _nansum_overflows(s, d):
    """nanmean: the elements whose nansum (the finite terms' exact sum) is beyond the result dtype's largest
    finite value, where torch's nansum, rounded to the result dtype before the division, overflows."""
    found = _reduced(s)
    if found is None:
        return False
    name, x, axis = found
    w = _wide(_input(s, name))
    with np.errstate(all="ignore"):
        total = np.abs(np.nansum(np.where(np.isfinite(w), w, np.nan), axis=axis,
                                 keepdims=s.kwargs.get("keepdim", False)))
        # within the rounding of the sum: the accumulation type's error bound, and the final rounding
        return np.asarray(total * (1 + 4 * T.unit(name)) >= T.biggest(name))


def _cancelled_mean_zeros(nan: bool = False):
    """mean (``nan``: nanmean) of floating or complex inputs: the elements of the result with a part (real or
    imaginary) that is zero in the reference where the sign of that zero follows the order of summation.

    Derivation: a part of a complex sum is the real sum of that part of the terms (complex addition adds parts
    separately). The computed sum ``s^`` of ``n`` terms of that part, in torch's accumulation type and in any
    order of the pairwise class (:func:`~conformance.tolerance.summation`), satisfies
    ``|s^ - s| <= gamma_a(depth(n)) S``, ``S`` the sum of the part's magnitudes (the NaN terms of nanmean as 0).
    Where ``|s| <= gamma_a(depth(n)) S`` the bound admits a computed sum of either sign (or +0.0 from an exact
    cancellation), and a mean that rounds to zero, ``s^ / n`` in the subnormal range, keeps the sign of ``s^``: the
    sign of the zero is not determined by the inputs. (``s`` is taken as the float64 sum, whose own error
    ``gamma_64(n) S`` is added to the bound.) Where ``S = 0`` (every term a zero) every order gives +0.0, and where
    ``|s|`` exceeds the bound every order gives the sign of ``s``: the sign is compared there."""
    def applies(s, d):
        found = _reduced(s)
        if found is None:
            return False
        name, x, axis = found
        n = _count(x, axis)
        if n < 2 or x.size == 0:
            return False
        keep = s.kwargs.get("keepdim", False)
        w = _wide(_input(s, name))
        g = float(T.gamma(T.depth(n), T.unit(T.accumulation(name))) + T.gamma(n, T.U64))
        with np.errstate(all="ignore"):
            out = np.asarray((np.nanmean if nan else np.mean)(w, axis=axis, keepdims=keep)).astype(D.NUMPY[name])
            found = np.zeros(out.shape, dtype=bool)
            for part, o in ((w.real, out.real), (w.imag, out.imag)) if np.iscomplexobj(w) else ((w, out),):
                terms = np.where(np.isfinite(part), part, 0.0)
                mag = np.sum(np.abs(terms), axis=axis, keepdims=keep)
                total = np.sum(terms, axis=axis, keepdims=keep)
                found |= np.asarray((o == 0) & (mag > 0) & (np.abs(total) <= g * mag))
        return found
    return applies


def _cancelled_mean_record(op: str):
    nan = op == "nanmean"
    return Divergence(
        id=f"{op}-cancelled-zero-sign", op=op,
        condition="a result part (real or imaginary) that is zero where the exact sum of that part is within the "
                  "summation's rounding bound of zero (terms that cancel; not all zeros): those elements",
        torch_behaviour="the sign of the zero follows the computed sum, whose order torch does not specify (its "
                        f"CPU reductions split a row over several accumulators): torch.{op} of float64 "
                        "[1, -5e-324, 0, 0, -1] is -0.0 (the exact mean, -1e-324, rounded)",
        numpy_behaviour="NumPy's pairwise order adds -5e-324 to 1 first, where it is lost: the sum cancels "
                        "exactly to +0.0 and the mean is +0.0",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html ; "
                  "https://numpy.org/doc/stable/reference/generated/numpy.sum.html (partial pairwise summation, "
                  "order unspecified)", kind="unspecified",
        applies=_cancelled_mean_zeros(nan=nan), relax_signed_zero=True,
        example=lambda d: ((_arr([1, -float(D.finfo(D.real_of(d)).smallest_subnormal), 0, 0, -1], d),), {}),
        counterexample=lambda d: ((_arr([-float(D.finfo(D.real_of(d)).smallest_subnormal), 0, 0, 0, 0], d),), {}),
        dtypes=("float32", "float64") + (() if nan else ("complex64", "complex128")))


def _layout_strides(shape, layout) -> tuple:
    """The element strides of a tensor of ``shape`` in one of the suite's layouts (conformance.strategies.layouts:
    C order, reversed for ``transposed``, twice those of the doubled shape for ``strided``, 0 along the expanded
    axis for ``expanded``)."""
    from conformance.strategies.layouts import expand_axis

    def c_order(sh):
        out = [1] * len(sh)
        for i in range(len(sh) - 2, -1, -1):
            out[i] = out[i + 1] * max(sh[i + 1], 1)
        return out

    if layout == "transposed" and len(shape) >= 2:
        return tuple(reversed(c_order(tuple(reversed(shape)))))
    if layout == "strided":
        return tuple(2 * v for v in c_order(tuple(2 * n for n in shape)))
    if layout == "expanded" and expand_axis(shape) is not None:
        axis = expand_axis(shape)
        out = c_order(tuple(1 if i == axis else n for i, n in enumerate(shape)))
        out[axis] = 0
        return tuple(out)
    return tuple(c_order(shape))


def _reduced_runs(s) -> int:
    """The most runs of equally spaced memory the elements reduced into one output element of ``s`` fall into:
    the reduced dims longer than 1, in stride order, merged where one continues the other (stride times length
    equal to the next stride, as a tensor iterator coalesces them); the count of elements divided by the
    shortest merged block (whichever block a kernel sums in one inner loop, at most that many). 1 when they form
    one run (or the dim is invalid)."""
    x = s.arrays[0]
    try:
        axis = _axis(x, _dim(s))
    except ValueError:
        return 1
    axes = range(x.ndim) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    if not s.layouts or x.size == 0:
        return 1
    st = _layout_strides(x.shape, s.layouts[0])
    dims = sorted((st[a], x.shape[a]) for a in axes if x.shape[a] > 1)
    if len(dims) < 2:
        return 1
    blocks = [list(dims[0])]
    for stride, side in dims[1:]:
        if stride != 0 and blocks[-1][0] * blocks[-1][1] == stride:
            blocks[-1][1] *= side
        else:
            blocks.append([stride, side])
    if len(blocks) < 2:
        return 1
    n = math.prod(side for _, side in dims)
    return n // min(side for _, side in blocks)


def _nansum_split_in_half(s, d) -> bool:
    """nansum to float16 or bfloat16 of elements that fall into several runs of memory (record
    nansum-noncontiguous-half-accumulation)."""
    return _result_dtype(s) in ("float16", "bfloat16") and _reduced_runs(s) > 1


def nansum_split_tol(mean: bool = False):
    """tol_fn of a nansum (``mean``: a nanmean, the nansum divided by the count of the other terms) whose partial
    sums are rounded to the half-type result between runs (records *-noncontiguous-half-accumulation): each of
    the ``m`` runs (:func:`_reduced_runs`) summed in float32 (any order: ``gamma_a(n - 1) S``) and added into the
    half-type output, one rounding of the half type per run (:func:`~conformance.tolerance.sequential_sum` over
    ``m`` terms, with the first addition's rounding too); the float32 errors carried through the later roundings
    grow by at most the same factor. A mean divides the bound by the count and rounds once more."""
    def tol(sample, dtype):
        name = _result_dtype(sample)
        base = sum_tol(mean=mean, nan=True)(sample, dtype)
        x = sample.arrays[0]
        axis = _axis(x, _dim(sample))
        keep = sample.kwargs.get("keepdim", False)
        a = np.abs(_wide(_input(sample, name)))
        with np.errstate(all="ignore"):
            total = np.sum(np.where(np.isfinite(a), a, 0.0), axis=axis, keepdims=keep)
            count = np.maximum(np.sum(~np.isnan(_wide(x)), axis=axis, keepdims=keep), 1) if mean else 1
        n, m = _count(x, axis), _reduced_runs(sample)
        with np.errstate(all="ignore"):
            in_half = T.sequential_sum(name, total / count, m, precision=name, extra_roundings=1,
                                       why="partial sums of runs rounded to the half type")
            growth = math.expm1(m * math.log1p(T.unit(name)))
            runs = T.summation(name, total * (1 + growth) / count, n, pairwise=False,
                               why="runs summed in float32")
        found = in_half.widened_by(runs)
        if mean:
            # the partial sums rounded to the half type are the nansum's, before the division: where they may
            # reach the half type's largest value, the sum (and so the mean) may be infinite or NaN (-inf + inf)
            with np.errstate(all="ignore"):
                over = ~(np.asarray(total, dtype=np.float64) * (1 + growth) < T.biggest(name))
            found = dataclasses.replace(found, rtol=found.rtol + T.unit(name) * (1 + T.unit(name)),
                                        nonfinite=_or_mask(_or_mask(found.nonfinite, base.nonfinite), over))
        return dataclasses.replace(found, free=base.free)
    return tol


def _empty_tuple_split_tol(base, mean: bool = False):
    """tol_fn of nansum / nanmean: ``base``, except for dim=() on an input that falls under
    ``*-noncontiguous-half-accumulation`` as well. There the record ``*-dim-empty-tuple`` applies first (its
    torch_ref: every dim reduced) and holds the sample to the op's bound, although torch's sum of every dim has
    the half-type partial sums of the split record (nansum of the step-2 view of (2, 2) values [[-0.1321,
    0.6406], [0.1049, -0.5356]] with dim=() is 0.078125 in float16, as with dim=None; exact 0.0778198). A
    record holds a sample to one expectation, so the split record's bound reaches the samples of both through
    this tol_fn, on exactly the split record's condition."""
    split = nansum_split_tol(mean=mean)

    def tol(sample, dtype):
        if _has_dim(sample) and _dim(sample) == () and sample.arrays[0].ndim > 0 and \
                _nansum_split_in_half(sample, dtype):
            return split(sample, dtype)
        return base(sample, dtype)
    return tol


def _or_mask(a, b):
    if a is None or b is None:
        return a if b is None else b
    return np.asarray(a, dtype=bool) | np.asarray(b, dtype=bool)


def _split_half_record(op: str):
    """nansum / nanmean to a half type of elements in several runs of memory: partial sums rounded to the half
    type (one root cause)."""
    what = "nansum" if op == "nansum" else "nanmean (nansum / count)"
    return Divergence(
        id=f"{op}-noncontiguous-half-accumulation", op=op,
        condition=f"{what} to float16 or bfloat16 of elements that fall into several runs of memory (the "
                  "reduced dims, merged where one continues another, form more than one block: non-adjacent "
                  "dims of a contiguous tensor, several dims of a strided or expanded one)",
        torch_behaviour="sums each run in float32 but adds the runs into the half-type output, rounding the "
                        "partial sum to the half type after each (nansum of 0.1 over dims (0, 2) of a contiguous "
                        "(256, 2, 16) tensor is 402.5 in float16, 472 in bfloat16; nanmean 0.0983, 0.1152; a "
                        "step-2 view of (4, 8, 8, 16) values 0.1 the same); torch.sum and torch.mean of the same "
                        "tensor accumulate in a float32 buffer",
        numpy_behaviour="np.nansum / np.nanmean are accurate to the pairwise bound: 409.6 (0.1) rounded once",
        reference="https://github.com/pytorch/pytorch/pull/60387 (partial sums of reductions that are not one "
                  "run kept in the output's 16-bit type; https://github.com/pytorch/pytorch/pull/103956 fixed sum "
                  "only)",
        kind="bug", root_cause="nansum-noncontiguous-half-accumulation",
        applies=_nansum_split_in_half, tolerance=nansum_split_tol(mean=op == "nanmean"),
        example=lambda d: ((np.full((256, 2, 16), 0.1, dtype=D.NUMPY[d]),), {"dim": (0, 2)}),
        counterexample=lambda d: ((np.full((256, 2, 16), 0.1, dtype=D.NUMPY[d]),), {"dim": (1, 2)}),
        dtypes=("float16", "bfloat16"), devices=("cpu",))


def cumsum_tol(sample, dtype):
    name = _result_dtype(sample)
    if name is None or sample.arrays[0].ndim == 0:
        return None
    x = _input(sample, name)
    try:
        a = np.cumsum(np.where(np.isfinite(np.abs(_wide(x))), np.abs(_wide(x)), 0.0), axis=_dim(sample))
        k = np.cumsum(np.ones(x.shape), axis=_dim(sample))
    except Exception:  # noqa: BLE001 - an invalid dim: the call raises
        return None
    return T.cumulative_sum(name, a, k)


def _log2_partial_products(x, axis, keep, cumulative):
    """Sums of the positive and of the negative log2 magnitudes of the finite nonzero factors along ``axis`` (a
    complex modulus from its larger part, so that a finite factor such as 1.8e308 + 1.8e308j, whose modulus
    overflows float64, counts with its log2 magnitude)."""
    w = _wide(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if np.iscomplexobj(w):
            re, im = np.abs(w.real), np.abs(w.imag)
            big, low = np.maximum(re, im), np.minimum(re, im)
            ok = np.isfinite(re) & np.isfinite(im) & (big > 0)
            ratio = np.where(ok, low / np.where(ok, big, 1.0), 0.0)
            lg = np.where(ok, np.log2(np.where(ok, big, 1.0)) + 0.5 * np.log2(1.0 + ratio * ratio), 0.0)
        else:
            a = np.abs(w)
            ok = np.isfinite(a) & (a > 0)
            lg = np.where(ok, np.log2(np.where(ok, a, 1.0)), 0.0)
    big, small = np.maximum(lg, 0.0), np.minimum(lg, 0.0)
    if cumulative:
        return np.cumsum(big, axis=axis), np.cumsum(small, axis=axis)
    return np.sum(big, axis=axis, keepdims=keep), np.sum(small, axis=axis, keepdims=keep)


def _along(values, axis, keep, cumulative):
    """Counts along the reduced dims: cumulative (a scan) or summed."""
    return np.cumsum(values, axis=axis) if cumulative else np.sum(values, axis=axis, keepdims=keep)


def prod_tol(cumulative: bool = False, in_half: bool = False):
    """tol_fn of prod / cumprod; ``in_half``: the bound of a product accumulated in the half type itself (the
    record prod-half-accumulation)."""
    def tol(sample, dtype):
        name = _result_dtype(sample)
        if name is None:
            return None
        x = _input(sample, name)
        keep = sample.kwargs.get("keepdim", False)
        try:
            if cumulative:
                if x.ndim == 0:
                    return None
                axis = _dim(sample)
                n = np.cumsum(np.ones(x.shape), axis=axis)
            else:
                axis = _axis(x, _dim(sample))
                n = _count(x, axis)
            hi, lo = _log2_partial_products(x, axis, keep, cumulative)
        except Exception:  # noqa: BLE001 - an invalid dim: the call raises
            return None
        has_zero = _along((np.abs(_wide(x)) == 0).astype(np.int64), axis, keep, cumulative) > 0
        if in_half:
            found = T.sequential_product(name, hi, lo, n, has_zero, why="product accumulated in " + name)
        else:
            found = T.product(name, hi, lo, n, has_zero)
        # a partial product of the finite factors may round to zero in the working precision (2**lo bounds it
        # from below, in any order): an infinite factor then gives inf * 0 = NaN in place of the exact
        # infinity, as NumPy's own product in that precision does
        working = name if in_half else T.accumulation(name)
        floor = math.log2(max(T.eta(working), T.eta(name))) + 1
        has_inf = _along(np.isinf(_wide(x)).astype(np.int64), axis, keep, cumulative) > 0
        may_vanish = np.asarray(lo) < floor
        found = found.accepting_nonfinite(has_inf & may_vanish)
        if not D.is_complex(name):
            # an exact product past the result dtype's range is not representable; when a partial product may
            # also round to zero first, the computed value is anything from 0 to an infinity
            past = (np.asarray(hi) + np.asarray(lo) > math.log2(T.biggest(name))) & may_vanish & ~has_zero
            found = dataclasses.replace(found, free=past if found.free is None else (found.free | past))
        if D.is_complex(name):
            # with an infinite factor the complex product depends on the order of the factors (inf * 0 parts)
            free = _along((~np.isfinite(_wide(x))).astype(np.int64), axis, keep, cumulative) > 0
            # an exact product beyond the result dtype's range is not representable: its parts are infinities
            # whose signs (and NaNs, inf * 0) depend on the order of evaluation, the float64 reference's included
            free = free | (np.asarray(hi) + np.asarray(lo) > math.log2(T.biggest(name)))
            # a partial product that may overflow float64, the reference's own precision: NumPy's value is then an
            # overflowed one too (NaN and infinite parts in an order-dependent mix), not the exact product
            free = free | (np.asarray(hi) + 1 > math.log2(T.biggest("float64")))
            found = dataclasses.replace(found, free=free)
        return found
    return tol


def _square_scale(a, axis):
    """A power of two per reduced slice of the magnitudes ``a`` (keepdims), 1 unless the sum of their squares
    overflows float64 (float64 squares reach 2**2048), else ``2**(e - 1)`` with ``max a = m 2**e``,
    ``0.5 <= m < 1``: the scaled magnitudes are below 2 and their squares sum to at most ``4 n`` (an exact
    division, up to terms of ``a`` so small that they underflow, whose squares are far below an ulp of the sum)."""
    with np.errstate(all="ignore"):
        q = np.sum(a * a, axis=axis, keepdims=True)
        big = np.max(a, axis=axis, keepdims=True, initial=0.0)
        return np.where(np.isfinite(q), 1.0, np.exp2(np.frexp(big)[1].astype(np.float64) - 1))


def var_tol(std: bool = False):
    def tol(sample, dtype):
        name = _result_dtype(sample, real=True)
        if name is None:
            return None
        x = sample.arrays[0]
        try:
            axis = _axis(x, _dim(sample))
        except ValueError:
            return None
        keep = sample.kwargs.get("keepdim", False)
        c = sample.kwargs.get("correction", 1)
        n = _count(x, axis)
        a = _magnitudes(sample)
        w = _wide(x)
        with np.errstate(all="ignore"):
            scale = _square_scale(a, axis)
            a, ws = a / scale, w / scale
            q = np.sum(a * a, axis=axis, keepdims=keep)
            dev = np.abs(ws - np.mean(ws, axis=axis, keepdims=True)) ** 2
            exact = np.sum(dev, axis=axis, keepdims=keep) / max(abs(n - c), 1)
            finite = np.all(np.isfinite(w), axis=axis, keepdims=keep)
            scale = scale if keep else np.squeeze(scale, axis=axis)
            result = np.sqrt(exact) * scale if std else exact * scale * scale
        found = T.variance(name, q, n, c, exact=exact if std else None, complex_input=np.iscomplexobj(w),
                           scale=scale)
        # the exact result (the variance: its squared deviations) is beyond float64's range: it is not
        # representable in float64, nor in the result dtype
        free = finite & ~np.isfinite(result)
        if n == c and x.size:
            # without degrees of freedom: where every squared deviation may underflow (a spread below
            # sqrt(n eta) of the accumulation type), the computed sum may be 0 (0/0, NaN) or not (x/0, inf), in
            # NumPy's float64 and in torch's accumulation type alike: either non-finite value stands
            with np.errstate(all="ignore"):
                spread = np.max(np.abs(w - R.first_along(w, axis)), axis=axis, keepdims=keep, initial=0.0)
                low = math.sqrt(n * T.eta(T.accumulation(name)))
                free = free | (finite & (spread > 0) & (spread < low))
        if found.free is not None and n > 1:
            # (a single term's deviation is 0 in every algorithm, its mean being the term itself: its 0/0, or the
            # textbook inf - inf, is NaN whatever its square, and no overflowed deviation makes it an inf/0)
            free = free | found.free
        return dataclasses.replace(found, free=free)
    return tol


def logsumexp_tol(sample, dtype):
    name = _result_dtype(sample)
    extra = 0.0
    if name is None:  # integer inputs: converted to the default float dtype (float32), one rounding each
        name = "float32"
        x = sample.arrays[0]
        extra = T.unit(name) * float(np.max(np.abs(x.astype(np.float64)), initial=0.0))
    n = _count_of(sample)
    if n < 0:
        return None
    x = sample.arrays[0]
    if D.is_complex(name) and x.size:
        # the complex sum of the shifted exponentials may cancel: its condition number per result element
        try:
            axis = _axis(x, _dim(sample))
        except ValueError:
            return None
        w = x.astype(np.complex128)
        with np.errstate(all="ignore"):
            m = np.max(w.real, axis=axis, keepdims=True)
            terms = np.exp(w - np.where(np.isfinite(m), m, 0.0))
            keep = sample.kwargs.get("keepdim", False)
            kappa = np.sum(np.abs(terms), axis=axis, keepdims=keep) / np.abs(np.sum(terms, axis=axis, keepdims=keep))
        return T.complex_log_sum_exp(name, n, np.where(np.isnan(kappa), 1.0, kappa))
    return T.log_sum_exp(name, n, extra_atol=extra)


def _complex_reduced_axis(s):
    """``(True, axis)``: the axis a complex logsumexp sample reduces over (None: every dim); ``(False, None)``
    for another sample (real, empty, no dim, dim=(), a dim out of range)."""
    x = s.arrays[0]
    if not D.is_complex(_name(s)) or x.size == 0 or not _has_dim(s) or _dim(s) == ():
        return False, None
    try:
        return True, _axis(x, _dim(s))
    except ValueError:
        return False, None


def _complex_nonfinite_terms(s, d):
    """Complex logsumexp: the result elements where torch's handling of non-finite terms differs from NumPy's
    (elementwise): a NaN real part in a row while NumPy's sum of the exponentials has an infinite part
    (clog(NaN + inf j) is inf + NaN j), or a term with a non-finite imaginary part whose shifted real part
    overflows in the input's precision but not in float64."""
    x, (reduces, axis) = s.arrays[0], _complex_reduced_axis(s)
    if not reduces:
        return False
    keep = s.kwargs.get("keepdim", False)
    w = x.astype(np.complex128)
    with np.errstate(all="ignore"):
        nan_real = np.any(np.isnan(w.real), axis=axis, keepdims=keep)
        found = nan_real & np.isinf(R.logsumexp_ref(w, axis, keep).real)
        m = np.max(x.real, axis=axis, keepdims=True)
        shift = np.where(np.isfinite(m), m, np.zeros_like(m))
        overflows = (np.isfinite(x.real) & ~np.isfinite(x.imag) & np.isinf(x.real - shift)
                     & np.isfinite(w.real - shift.astype(np.float64)))
        # a row whose largest real part is +inf is not shifted: a finite term whose exp overflows the input's
        # precision (but not float64's) gives infinite parts of either sign there, inf - inf in the sum
        unshifted = np.isposinf(m) & np.isfinite(x.real) & np.isfinite(x.imag) & \
            (x.real.astype(np.float64) > np.log(float(np.finfo(x.real.dtype).max)))
    return np.asarray(found | np.any(overflows | unshifted, axis=axis, keepdims=keep))


def _complex_parts_underflowed(s, d):
    """Complex logsumexp: the result elements with a part that is nonzero in float64 but rounds to zero in
    the result dtype (its sign is that of an underflow). Elementwise."""
    x, (reduces, axis) = s.arrays[0], _complex_reduced_axis(s)
    if not reduces:
        return False
    with np.errstate(all="ignore"):
        exact = R.logsumexp_ref(x.astype(np.complex128), axis, s.kwargs.get("keepdim", False))
        out = exact.astype(x.dtype)
    return np.asarray(((out.real == 0) & (exact.real != 0)) | ((out.imag == 0) & (exact.imag != 0)))


def _inf_norm_unmatched(s, d):
    """vector_norm of order +-inf of a complex input with a wider dtype=, off torch's flattened path (a 0-d input,
    a dim, or keepdim): the input elements of the slices where no modulus in the input's own precision equals
    the norm computed in the wider one (torch's backward selects the elements by that equality). A mask over the
    input's elements."""
    x, ord_ = s.arrays[0], s.kwargs.get("ord", 2)
    wide = s.kwargs.get("dtype")
    if ord_ not in (INF, -INF) or wide is None or not D.is_complex(_name(s)) or x.size == 0:
        return False
    wide = str(wide).rpartition(".")[2]
    if T.unit(wide) >= T.unit(_name(s)):
        return False
    dim = s.kwargs.get("dim")
    if x.ndim >= 1 and dim in (None, ()) and not s.kwargs.get("keepdim", False):
        return False  # the flattened vector is converted to dtype first: its backward matches
    try:
        axis = _axis(x, dim)
    except ValueError:
        return False
    with np.errstate(all="ignore"):
        own = np.abs(x).astype(np.float64)
        exact = np.abs(x.astype(D.NUMPY[wide]))
        norm = (np.max if ord_ == INF else np.min)(exact, axis=axis, keepdims=True)
        hit = np.any((own == norm) | np.isnan(own), axis=axis, keepdims=True)
    return np.broadcast_to(~hit, x.shape).copy()


VECTOR_NORM_INF_GRADIENT = Divergence(
    id="vector_norm-inf-dtype-gradient-nan", op="vector_norm", about="gradient",
    condition="ord=inf or -inf, a complex64 input with dtype=torch.complex128, a 0-d input or a dim or keepdim=True "
              "(the input elements of the slices where no modulus in complex64 equals the norm in complex128)",
    torch_behaviour="the gradient is NaN over the whole slice: backward selects the elements with |x| == norm, "
                    "|x| in the input's precision, the norm in dtype's; none matches, and the cotangent is divided "
                    "by a count of 0 (x = torch.tensor(0.1 + 0.2j, requires_grad=True); torch.linalg.vector_norm(x, "
                    "ord=float('inf'), dtype=torch.complex128).backward() gives x.grad nan+nanj; without dtype=, "
                    "or a 1-D input with dim=None, it is 0.4472+0.8944j)",
    numpy_behaviour="the derivative of max |x| is x / |x| at the largest element (0.4472+0.8944j)",
    reference="https://github.com/pytorch/pytorch/pull/51099 (review: the inf-norm backward selects by self.abs() "
              "== norm, which can match no element); no issue found for dtype=", kind="bug",
    applies=_inf_norm_unmatched)


def _half_local_derivative_overflows(s, d):
    """vector_norm of an order p < 1 (not 0) of a float16 or bfloat16 input (with or without dtype=): the input
    elements where |x|^(p-1) times a cotangent of magnitude up to 8 (a standard normal one leaves that range
    with probability 1e-15) passes the input dtype's largest value. A mask over the input's elements."""
    x, ord_ = s.arrays[0], s.kwargs.get("ord", 2)
    name = _name(s)
    if name not in ("float16", "bfloat16") or x.size == 0:
        return False
    if not (math.isfinite(ord_) and ord_ < 1 and ord_ != 0):
        return False
    with np.errstate(all="ignore"):
        a = np.abs(x.astype(np.float64))
        local = np.where(a > 0, a ** (ord_ - 1), 0.0)
    return np.asarray(8 * local > T.biggest(name))


VECTOR_NORM_HALF_GRADIENT = Divergence(
    id="vector_norm-half-gradient-overflow", op="vector_norm", about="gradient",
    condition="an order p < 1 (p != 0) on a float16 or bfloat16 input (dtype= or not), the elements where "
              "|x|^(p-1) times the cotangent passes the dtype's range (|x| below about 0.011 for p = -1 in float16 "
              "with a cotangent of 4)",
    torch_behaviour="the gradient is inf there: backward evaluates sgn(x) * |x|^(p-1) * grad * norm^(1-p) in the "
                    "half type itself, left to right, and |x|^(p-1) * grad overflows before norm^(1-p) scales it "
                    "back (x = torch.tensor([0.0045, 1., 2.], dtype=torch.float16, requires_grad=True); "
                    "torch.linalg.vector_norm(x, ord=-1).backward(torch.tensor(4., dtype=torch.float16)) gives "
                    "x.grad[0] = inf; float32 gives 3.9465; with dtype=torch.float64 the gradient still overflows "
                    "in the input's dtype)",
    numpy_behaviour="the derivative |x|^(p-1) sgn(x) ||x||^(1-p) is finite (0.98664 there: 3.9465 for a "
                    "cotangent of 4)",
    reference="https://pytorch.org/docs/stable/generated/torch.linalg.vector_norm.html (no issue found)",
    kind="bug", applies=_half_local_derivative_overflows)



def norm_gradient_out_of_range(x, p, axis, norm_dtype: str, grad_hi, grad_lo):
    """The elements of ``x`` (a bool mask) whose gradient torch's norm backward, for a finite order p > 1 other
    than 2, may give beyond the gradient check's bound. It forms ``s = x |x|^(p-2)`` (``sgn(x) |x|^(p-1)`` for
    p < 2) in x's own dtype and ``scale = grad / norm^(p-1)`` in the norm's dtype, and returns ``s * scale``;
    the exact gradient is finite where those intermediates are not. An element is in the mask where, with
    ``rtol`` the check's smallest relative bound and ``grad_hi``/``grad_lo`` bounds on the cotangent ``grad``
    of its slice (keepdims, float64):

    * ``|x|^(p-1)`` (or ``|x|^(p-2)``) overflows x's dtype, or lies so far below its normal range that its
      rounding (``eta / 2`` absolutely) exceeds ``rtol`` relatively;
    * ``norm^(p-1)`` (or the norm) reaches the largest value of the norm's dtype (``scale`` is 0: the gradient
      is 0, or NaN with an infinite ``s``), lies that far below the normal range, or ``grad_hi / norm^(p-1)``
      overflows;
    * ``scale`` can be subnormal with a rounding (``eta / 2`` absolutely) beyond ``rtol`` relatively
      (``grad_lo < norm^(p-1) eta / (2 rtol)``), and that rounding, ``s eta / 2`` in the gradient, exceeds the
      check's floor (the smallest normal value of x's dtype).

    Elements with x = 0 have the exact gradient 0, which torch gives too."""
    name, wide = D.real_of(D.name_of(x.dtype)), D.real_of(norm_dtype)
    if not (math.isfinite(p) and p > 1 and p != 2) or x.size == 0 or not D.is_floating(name):
        return False
    rtol = T.gradient_rtol(name, 1)
    with np.errstate(all="ignore"):
        a = np.abs(_wide(x))
        a = np.where(np.isfinite(a), a, 0.0)
        pos = a > 0
        la = np.log2(np.where(pos, a, 1.0))
        ls = (p - 1) * la
        lq = (p - 2) * la if p > 2 else ls
        r = np.asarray(R._pnorm(a, p, axis, True), dtype=np.float64)
        lr = np.log2(np.where(r > 0, r, 1.0))
        ln = (p - 1) * lr
        margin = math.log2(1 + 4 * p * T.unit(wide))  # the computed norm's rounding, raised to p - 1
        top_h, top_w = math.log2(T.biggest(name)), math.log2(T.biggest(wide))
        lrt = math.log2(2 * rtol)  # logarithms throughout: float64's eta / 2 is 0
        own = (np.maximum(ls, lq) >= top_h) | (np.minimum(ls, lq) < math.log2(T.eta(name)) - lrt)
        scale = ((np.maximum(ln, lr) + margin >= top_w) | (ln < math.log2(T.eta(wide)) - lrt) |
                 (lr < math.log2(T.eta(wide)) + math.log2(p - 1) - lrt) |
                 (np.log2(grad_hi) - ln + margin >= top_w)) & (r > 0)
        subnormal = ((ls + math.log2(T.eta(wide)) - 1 > math.log2(T.tiny(name))) &
                     (np.log2(grad_lo) < ln + math.log2(T.eta(wide)) - lrt))
        return pos & (own | subnormal | np.broadcast_to(scale, a.shape))


def _vector_norm_gradient_range(s, d, ord_name: str):
    """The record's mask for vector_norm (``ord``, ``dtype=``) and norm (``p``): the cotangent is a standard
    normal draw, within 8 (a larger one has probability 1e-15) and above 1e-6 (probability 1 - 8e-7)."""
    x, p = s.arrays[0], s.kwargs.get(ord_name, 2)
    if not isinstance(p, (int, float)) or isinstance(p, bool):
        return False
    wide = s.kwargs.get("dtype")
    wide = str(wide).rpartition(".")[2] if wide is not None else _name(s)
    try:
        axis = _axis(x, _dim(s))
    except ValueError:
        return False
    return norm_gradient_out_of_range(x, float(p), axis, wide, 8.0, 1e-6)


def norm_gradient_range(op: str, ord_name: str, applies=None, example=None, counterexample=None) -> Divergence:
    """The record of torch's norm backward forming its powers in the input's dtype (finite orders p > 1 other
    than 2), for ``op``."""
    return Divergence(
        id=f"{op}-gradient-powers-in-input-dtype", op=op, about="gradient",
        condition="a finite order p > 1 other than 2: the elements whose |x|^(p-1) leaves the input dtype's range "
                  "or precision, or whose slice's norm^(p-1) (in the norm's dtype) leaves that of the norm's "
                  "dtype, or grad / norm^(p-1) overflows or can be subnormal where |x|^(p-1) is large (float16: "
                  "p = 3 and |x| above 256, or a 3-norm above 256 or below about 0.02)",
        torch_behaviour="the gradient is 0, inf, NaN or off by more than the dtype's roundings: backward forms "
                        "x * |x|^(p-2) in the input's dtype and grad / norm.pow(p-1) in the norm's dtype, and "
                        "multiplies them (x = torch.tensor([30., 40.], dtype=torch.float16, requires_grad=True); "
                        "torch.linalg.vector_norm(x, ord=4).backward() gives x.grad [0, 0]: 43.7**3 overflows; "
                        "float32 gives [0.3433, 0.8137])",
        numpy_behaviour="the derivative sgn(x) |x|^(p-1) / ||x||^(p-1) is finite and at most 1 in magnitude "
                        "([0.3433, 0.8137] there)",
        reference="https://github.com/pytorch/pytorch/blob/v2.13.0/torch/csrc/autograd/FunctionsManual.cpp "
                  "(norm_backward; no issue found)", kind="bug",
        applies=applies or (lambda s, d: _vector_norm_gradient_range(s, d, ord_name)))


def norm_tol(ord_name: str):
    def tol(sample, dtype):
        name = _result_dtype(sample, real=True)
        if name is None:
            return None
        p = sample.kwargs.get(ord_name, 2)
        p = 2 if p == "fro" else p
        x = sample.arrays[0]
        if p in (0, INF, -INF):
            # a count or a selection of magnitudes: exact for real inputs; the modulus of a complex number is
            # rounded (within the table's tolerance)
            return None if D.is_complex(D.name_of(x.dtype)) else T.EXACT
        dim = _dim(sample)
        try:
            axis = _axis(x, (dim,) if isinstance(dim, int) else dim)
        except ValueError:
            return None
        keep = sample.kwargs.get("keepdim", False)
        n = max(_count(x, axis), 1)
        acc = T.accumulation(name)
        a = np.abs(_wide(x))  # a dtype= argument widens (exactly): the magnitudes are the same
        found = T.relative(name, (n + 4) * max(1.0, 1.0 / abs(p)), why=f"{p}-norm of {n} terms")
        extra = 0.0
        if abs(math.frexp(1.0 / p)[0]) != 0.5:
            # the exponent 1/p is rounded (1/3): r ** (1/p (1 + d)) is off by a relative |d ln S| / |p| = |d ln r|
            with np.errstate(all="ignore"):
                r = np.asarray(R.vector_norm_ref(x.astype(np.complex128 if np.iscomplexobj(x) else np.float64),
                                                 p, axis, keep))
                # r * (u |ln r|), in that order: r ln r overflows for r near the largest value
                extra = np.where(np.isfinite(r) & (r > 0), r * (T.unit(acc) * np.abs(np.log(np.where(r > 0, r, 1.0)))),
                                 0.0)
        found = dataclasses.replace(found, atol=found.atol + extra)
        with np.errstate(all="ignore"):
            if _no_zero(name):
                found = dataclasses.replace(found, free=np.asarray(n == 0 or x.size == 0))
            if p > 0:
                top = np.max(a, axis=axis, keepdims=keep, initial=0.0)
                over = p * np.log2(np.where(top > 0, top, 1.0)) + math.log2(n) + 1 >= math.log2(T.biggest(acc))
                under = (n * T.eta(acc)) ** (1.0 / p)
                if np.iscomplexobj(x):
                    under = under + _subnormal_moduli(x, p, axis, keep, n, acc, top)
                return dataclasses.replace(found, atol=found.atol + under, nonfinite=over)
            low = np.min(np.where(a > 0, a, INF), axis=axis, keepdims=keep, initial=INF)
            over = p * np.log2(np.where(np.isfinite(low), low, 1.0)) + math.log2(n) + 1 >= math.log2(T.biggest(acc))
            found = dataclasses.replace(found, atol=found.atol + np.where(over, low, 0.0))
            return _underflowed_powers(found, sample, p, axis, keep, n, name, acc)
    return tol


def _subnormal_moduli(x, p, axis, keep, n, acc, top):
    """A norm of order p > 0 of a complex input: each modulus ``|z_i|``, computed in the accumulation type, is
    within ``eta_a / 2`` of the exact one where it is subnormal (a relative error that no roundoff bounds: the
    complex64 1e-45 - 1e-45j has modulus 1.98e-45, rounded to 1.4e-45), so ``|z_i|^p`` moves by at most ``(eta_a /
    2)^p`` for ``p <= 1`` (concavity) or ``p (top + eta_a)^(p-1) eta_a / 2`` above; the sum ``S = r^p`` by ``d``, n
    times that, and the norm by ``(S + d)^(1/p) - r``."""
    half = T.eta(acc) / 2
    with np.errstate(all="ignore"):
        r = np.asarray(R.vector_norm_ref(x.astype(np.complex128), p, axis, keep), dtype=np.float64)
        term = half ** p if p <= 1 else p * (top + 2 * half) ** (p - 1) * half
        moved = (r ** p + n * term) ** (1.0 / p) - r
        return np.where(np.isfinite(moved), moved, 0.0)


def _underflowed_powers(found, sample, p, axis, keep, n, name, acc):
    """``found`` (a norm of order p < 0) widened by the terms ``|x|^p`` that underflow or are lost: a large ``|x|``
    gives a power in the subnormal range of the accumulation type, rounded to within ``eta_a`` absolutely; the
    modulus of a complex term is computed in the accumulation type, and where the exact one is within its
    rounding (``gamma_a(4)``, relative) of the largest finite value it may round to an infinity, whose power is 0:
    the whole term ``|x_i|^p`` is lost (``|x_i| > 3.4e38`` in complex64; a real ``|x|`` is exact). So the sum
    ``S = r^p`` (``r`` the exact norm) is off by ``d <= n eta_a + sum_lost |x_i|^p``, a relative
    ``rho = n eta_a / S + sum_lost (|x_i| / r)^p`` (each ``|x_i| >= r`` for p < 0: no power overflows) that the
    power ``1/p`` turns into ``r ((1 - rho)^(1/p) - 1)`` (``rho < 1``; the side of the larger norm, a smaller
    sum). A computed positive sum is at least ``eta_a``, so the norm is at most ``eta_a^(1/p)`` whatever ``rho``;
    and a finite value is at most the largest one: the bound is the least of the three. Where ``r`` with its
    bound reaches the largest finite value (1 / (1 / max) overflows: 1/max is subnormal), or ``rho >= 1`` (the sum
    may be 0: every term lost or underflowed), torch may give an infinity: those elements are ``nonfinite``
    (complex64 [3.4e38 - 3.4e38j, 0.19 - 3.4e38j] with ord=-1: the first modulus overflows, 1 / (1 / 3.4e38) is
    inf; the exact norm is 2.0e38)."""
    x = sample.arrays[0]
    wide = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
    with np.errstate(all="ignore"):
        r = np.asarray(R.vector_norm_ref(wide, p, axis, keep), dtype=np.float64)
        ok = np.isfinite(r) & (r > 0)
        lr = np.log2(np.where(ok, r, 1.0))
        rho = np.exp2(math.log2(n * T.eta(acc)) - p * lr)
        if np.iscomplexobj(x):
            a = np.abs(wide)
            lost = np.isfinite(a) & (a * (1 + float(T.gamma(4, T.unit(acc)))) >= T.biggest(acc))
            if lost.any():
                rk = np.asarray(R.vector_norm_ref(wide, p, axis, True), dtype=np.float64)
                rk = np.where(np.isfinite(rk) & (rk > 0), rk, 1.0)
                share = np.where(lost, np.exp2(p * (np.log2(np.where(lost, a, 1.0)) - np.log2(rk))), 0.0)
                rho = rho + np.sum(share, axis=axis, keepdims=keep)
        linear = np.where(rho < 1, r * np.expm1(np.log1p(-np.where(rho < 1, rho, 0.0)) / p), INF)
        ceiling = np.exp2(math.log2(T.eta(acc)) / p) - r
        extra = np.where(ok, np.minimum(np.minimum(linear, ceiling), T.biggest(name)), 0.0)
        reach = r + extra + found.rtol * r + np.asarray(found.atol, dtype=np.float64)
        overflow = ok & ((reach >= T.biggest(name)) | (rho >= 1))
    return dataclasses.replace(found, atol=found.atol + extra).accepting_nonfinite(overflow)


# ---- torch callables that need more than a dotted path ---------------------------------------------------

def median_dim(x, dim, keepdim=False):
    """``torch.median(x, dim)``, returning its values and the input's elements at its indices (an index is
    not unique when the median value repeats: it must point at an element equal to the median)."""
    import torch

    values, indices = torch.median(x, dim, keepdim=keepdim)
    if x.dim() == 0:
        return values, x.reshape(1)[indices.reshape(1)].reshape(())
    idx = indices if keepdim else indices.unsqueeze(dim)
    picked = torch.take_along_dim(x, idx, dim)
    return values, picked if keepdim else picked.squeeze(dim)


# ---- divergences shared by several reductions ------------------------------------------------------------

EMPTY_TUPLE_SOURCE = "https://github.com/pytorch/pytorch/issues/29137"
ZERO_D_SOURCE = "https://github.com/zdevito/ATen/issues/157"
UINT_SOURCE = "https://pytorch.org/docs/stable/generated/torch.sum.html"


def _arr(values, dtype):
    return np.array(values, dtype=D.NUMPY[dtype])


def _torch_dtype(name: str):
    """A ``dtype=`` argument (a torch.dtype, looked up when an example is made)."""
    import torch

    return getattr(torch, name)


def _empty_tuple(op: str, torch_ref, dtype: str = "float32", **kw):
    return Divergence(
        id=f"{op}-dim-empty-tuple", op=op,
        condition="dim=() (an empty tuple of dims) on an input of one or more dims",
        torch_behaviour="reduces over every dim, as dim=None does",
        numpy_behaviour="axis=() reduces over no axis (each element alone)",
        reference=EMPTY_TUPLE_SOURCE, kind="bug",
        applies=lambda s, d: _has_dim(s) and _dim(s) == () and s.arrays[0].ndim > 0,
        torch_ref=torch_ref,
        example=lambda d: ((_arr([[1, 2, 3], [4, 5, 7]], d),), {"dim": (), **kw}),
        counterexample=lambda d: ((_arr([[1, 2, 3], [4, 5, 7]], d),), {"dim": (0,), **kw}),
        dtypes=(dtype,))


def _zero_d(op: str, torch_ref, dtype: str = "float32", ints: bool = False, **kw):
    """A dim on a 0-d input: torch reduces the single element; NumPy rejects a tuple axis there (and, for the
    functions that are not plain ufunc reductions — ``ints`` — an int axis too)."""
    def applies(s, d):
        if s.arrays[0].ndim != 0 or not _has_dim(s) or _dim(s) is None:
            return False
        dim = _dim(s)
        return (ints and not isinstance(dim, tuple)) or (isinstance(dim, tuple) and len(dim) > 0)
    return Divergence(
        id=f"{op}-0d-dim", op=op,
        condition="a 0-d input with dim " + ("0, -1, (0,) or (-1,)" if ints else "(0,) or (-1,)"),
        torch_behaviour="reduces the single element (a 0-d tensor has one implicit dim for dim arguments)",
        numpy_behaviour="raises AxisError" + (" (axis 0 is out of bounds for array of dimension 0)" if ints else
                                              " for a tuple axis on a 0-d array (an int axis 0 or -1 is accepted)"),
        reference=ZERO_D_SOURCE, kind="intended",
        applies=applies, torch_ref=torch_ref,
        example=lambda d: ((_arr(3, d),), {"dim": 0 if ints else (0,), **kw}),
        counterexample=lambda d: ((_arr([3], d),), {"dim": 0 if ints else (0,), **kw}),
        dtypes=(dtype,))


def _unsigned_int64(op: str, torch_ref, **kw):
    return Divergence(
        id=f"{op}-unsigned-int64", op=op,
        condition="an unsigned integer input without dtype=",
        torch_behaviour="accumulates and returns int64, as for every integer and bool input",
        numpy_behaviour="accumulates unsigned integers in uint64",
        reference=UINT_SOURCE, kind="intended",
        applies=lambda s, d: _name(s) in D.UNSIGNED and "dtype" not in s.kwargs,
        torch_ref=torch_ref,
        example=lambda d: ((_arr([200, 100, 7], d),), kw),
        counterexample=lambda d: ((_arr([200, 100, 7], "int16"),), kw),
        dtypes=("uint8", "uint16"))


def _keepdim_without_dim(op: str, dtype: str = "float32"):
    return Divergence(
        id=f"{op}-keepdim-without-dim", op=op,
        condition="keepdim given without dim",
        torch_behaviour="raises TypeError (no overload takes keepdim alone)",
        numpy_behaviour="keepdims without axis reduces everything and keeps every dim with size 1",
        reference="https://github.com/pytorch/pytorch/issues/71209", kind="bug",
        applies=lambda s, d: "keepdim" in s.kwargs and not _has_dim(s),
        raises=TypeError,
        example=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"keepdim": True}),
        counterexample=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"dim": 0, "keepdim": True}),
        dtypes=(dtype,))


def _raises_for_integers(op: str, what: str, source: str, dtype: str, exc=RuntimeError, even_with_dtype=False,
                         counter_kw=None, **kw):
    counter_kw = counter_kw or {}
    return Divergence(
        id=f"{op}-integer-input-raises", op=op,
        condition="a bool or integer input" + ("" if even_with_dtype else " without a floating dtype="),
        torch_behaviour=f"raises {exc.__name__} ({what})",
        numpy_behaviour="computes in float64",
        reference=source, kind="intended",
        applies=lambda s, d: not D.is_inexact(_name(s)) and (even_with_dtype or s.kwargs.get("dtype") is None),
        raises=exc,
        example=lambda d: ((_arr([1, 2, 4], d),), kw),
        counterexample=lambda d: ((_arr([1, 2, 4], "float32"),), {**kw, **counter_kw}),
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
        counterexample=lambda d: ((_arr([3], d),), {"dim": 0}),
        dtypes=("float32",))


def _negative_zero(a):
    return (a == 0) & np.signbit(a)


def _leading_negative_zeros(s, d):
    """cumsum: the elements of a leading run of -0.0 along dim (per part for complex inputs): torch starts the
    scan from +0.0, so each of them is +0.0."""
    x = s.arrays[0]
    if _result_dtype(s) is None or x.ndim == 0 or x.size == 0:
        return False
    try:
        axis = _dim(s) % x.ndim
    except TypeError:
        return False
    name = _result_dtype(s)
    w = _wide(_input(s, name) if name is not None else x)
    parts = (w.real, w.imag) if np.iscomplexobj(w) else (w,)
    found = np.zeros(x.shape, dtype=bool)
    for p in parts:
        found |= np.cumprod(_negative_zero(p), axis=axis).astype(bool)
    return found


def _zero_parts(ref):
    """A mask over a complex product's elements: those whose result (as NumPy gives it, rounded to the result
    dtype) has a real or imaginary part equal to zero, where the sign of zero depends on the evaluation."""
    def applies(s, d):
        name = _result_dtype(s)
        if name is None or not D.is_complex(name):
            return False
        args, kwargs = s.numpy_inputs()
        try:
            with np.errstate(all="ignore"):
                out = np.asarray(ref(_wide(args[0]), *args[1:], **kwargs)).astype(D.NUMPY[name])
        except Exception:  # noqa: BLE001 - the call raises (an invalid dim)
            return False
        if s.arrays[0].ndim == 0:
            out = out.reshape(())  # a cumulative op of a 0-d input gives a 0-d result in torch (its own record)
        return np.asarray((out.real == 0) | (out.imag == 0))
    return applies


def _no_dof_complex(op: str, ref):
    """Elementwise: with no degrees of freedom NumPy divides the sum of squared moduli by 0 (inf where a slice is
    not constant); torch adds the variances of the real and the imaginary parts, one of which may be 0/0 = NaN,
    or (its vectorized reductions, whose squares of tiny deviations do not underflow) gives inf like NumPy."""
    def inf_elements(s, d):
        if not D.is_complex(_name(s)) or "correction" not in s.kwargs or not 0 <= _count_of(s) <= s.kwargs["correction"]:
            return False  # without a correction the default-correction record models torch (correction=1)
        args, kwargs = s.numpy_inputs()
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = np.asarray(ref(_wide(args[0]), *args[1:], **kwargs))
        except Exception:  # noqa: BLE001 - an invalid dim: no result to relax
            return False
        mask = np.isinf(out)
        return mask if mask.any() else False

    return Divergence(
        id=f"{op}-complex-no-degrees-of-freedom", op=op,
        condition="a complex input with correction given and at least the number of reduced elements: the "
                  "elements where NumPy's result is inf (a slice that is not constant)",
        torch_behaviour="NaN where the real or the imaginary part is constant (it adds the variances of the two "
                        "parts, one of which is then 0/0), inf otherwise; either is accepted there (a finite "
                        "value is not)",
        numpy_behaviour="inf (the sum of squared moduli divided by 0), NaN only when every element is equal",
        reference="https://pytorch.org/docs/stable/generated/torch.var.html", kind="unspecified",
        applies=inf_elements, accept_nonfinite=inf_elements,
        example=lambda d: ((_arr([1, 2], d),), {"correction": 2}),
        counterexample=lambda d: ((_arr([1, 2j], d),), {"correction": 1}),
        dtypes=("complex64",))


def _default_correction(op: str, torch_ref, dtype: str):
    return Divergence(
        id=f"{op}-default-correction", op=op,
        condition="correction not given",
        torch_behaviour="correction=1 by default (Bessel's correction: divides by N - 1)",
        numpy_behaviour="ddof=0 by default (divides by N)",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html",
        applies=lambda s, d: "correction" not in s.kwargs,
        torch_ref=torch_ref,
        example=lambda d: ((_arr([1, 2, 4, 7], d),), {}),
        counterexample=lambda d: ((_arr([1, 2, 4, 7], d),), {"correction": 1}),
        dtypes=(dtype,))


def _uint8_logical(op: str, torch_ref, values):
    return Divergence(
        id=f"{op}-uint8-result", op=op,
        condition="a uint8 input",
        torch_behaviour="returns uint8 (0 or 1)",
        numpy_behaviour="returns bool",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
        applies=lambda s, d: _name(s) == "uint8",
        torch_ref=torch_ref,
        example=lambda d: ((_arr(values, d),), {}),
        counterexample=lambda d: ((_arr(values, "uint16"),), {}),
        dtypes=("uint8",))


def _reduces_zero_stride_dim(s, d):
    """Every element of the result (a mask) when the input is expanded (a zero stride, layout ``expanded``) along
    the dim the call reduces; else False."""
    from conformance.strategies.layouts import expand_axis

    x = s.arrays[0]
    if not s.layouts or s.layouts[0] != "expanded" or x.ndim == 0:
        return False
    axis = expand_axis(x.shape)
    if axis is None or _dim(s) is None or _dim(s) % x.ndim != axis:
        return False
    keep = bool(s.kwargs.get("keepdim", False))
    shape = tuple(1 if i == axis else n for i, n in enumerate(x.shape)) if keep else \
        tuple(n for i, n in enumerate(x.shape) if i != axis)
    return np.ones(shape, dtype=bool)


def _zero_stride_garbage(op: str, fn: str):
    """median / nanmedian along a dim of zero stride read outside the input (pinned by a bespoke test in
    conformance/suite/test_reductions.py: the pinned examples of records are contiguous)."""
    return Divergence(
        id=f"{op}-zero-stride-garbage", op=op,
        condition=f"{fn}(x, dim) along a dim of x that has a zero stride (an expanded tensor)",
        torch_behaviour="returns values (and indices) that are not the input's, read from outside it (the median of "
                        "torch.full((1,), 5.0).expand(8) along dim 0 is 1.1e-43, at index 4; of a (3, 4) tensor "
                        "expanded from (1, 4) [0, 1, 2, 3] along dim 0 it is [1, 2, 2, 3e-38]); along another dim, "
                        "without dim, and on a contiguous copy the result is right",
        numpy_behaviour="np.median of the same values: 5.0, [0, 1, 2, 3]",
        reference="no upstream issue found (torch 2.13.0, CPU)", kind="bug",
        applies=_reduces_zero_stride_dim, accept_any=True)


def _numpy_axes(s) -> int:
    """The number of axes np.linalg.norm reduces over for the sample's dim (every axis for None, none for ())."""
    x, dim = s.arrays[0], _dim(s)
    if dim is None:
        return x.ndim
    return len(dim) if isinstance(dim, tuple) else 1


def _fro_vector_path(s) -> bool:
    """Whether torch.norm with p='fro' takes the vector-norm path: dim None, an int, or a tuple of at most two
    dims (a longer tuple goes to linalg.matrix_norm, which raises)."""
    dim = _dim(s)
    return dim is None or isinstance(dim, int) or len(dim) <= 2


def _median_dim_size(s) -> int:
    x = s.arrays[0]
    return x.shape[_dim(s) % x.ndim] if x.ndim else 1


ENTRIES = [
    OpEntry("sum", F, "torch.sum", R.sum_ref, S.sum_inputs, method="sum", tol_fn=sum_tol(),
            grad=True, divergences=(
                _keepdim_without_dim("sum"),
                _unsigned_int64("sum", R.sum_torch),
                _empty_tuple("sum", R.sum_torch),
                _zero_d("sum", R.sum_torch),
            )),
    OpEntry("prod", F, "torch.prod", R.prod_ref, S.prod_inputs, tol_fn=prod_tol(), grad=True, divergences=(
        Divergence(
            id="prod-dim-tuple-raises", op="prod",
            condition="dim given as a tuple",
            torch_behaviour="raises TypeError: torch.prod reduces over one int dim or over everything",
            numpy_behaviour="reduces over every axis of the tuple",
            reference="https://github.com/pytorch/pytorch/issues/56586", kind="intended",
            applies=lambda s, d: isinstance(_dim(s), tuple), raises=TypeError,
            example=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"dim": (0, 1)}),
            counterexample=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"dim": 1}),
            dtypes=("float32",)),
        Divergence(
            id="prod-dim-none-raises", op="prod",
            condition="dim=None given explicitly, or keepdim without dim",
            torch_behaviour="raises TypeError (no overload takes dim=None or keepdim alone)",
            numpy_behaviour="axis=None reduces over everything; keepdims keeps every dim with size 1",
            reference="https://github.com/pytorch/pytorch/issues/71209", kind="bug",
            applies=lambda s, d: (_has_dim(s) and _dim(s) is None) or ("keepdim" in s.kwargs and not _has_dim(s)),
            raises=TypeError,
            example=lambda d: ((_arr([[1, 2], [3, 4]], d),), {"dim": None}),
            counterexample=lambda d: ((_arr([[1, 2], [3, 4]], d),), {}),
            dtypes=("float32",)),
        _unsigned_int64("prod", R.prod_torch),
        Divergence(
            id="prod-half-accumulation", op="prod",
            condition="prod of a float16 or bfloat16 tensor (without a wider dtype=)",
            torch_behaviour="accumulates the product in the half type itself, where sum (and cumprod) accumulate "
                            "in float32: the product of 200 values 1.01 is 4.4375 in bfloat16 (6 % off) and 6.918 "
                            "in float16 (1 % off)",
            numpy_behaviour="the exact product 4.7419 rounded once (4.75 in bfloat16, 6.984 in float16)",
            reference="https://github.com/pytorch/pytorch/pull/60387 (16-bit float reductions moved to 32-bit "
                      "accumulators for sums only)", kind="bug",
            applies=lambda s, d: _result_dtype(s) in ("float16", "bfloat16"),
            tolerance=prod_tol(in_half=True),
            example=lambda d: ((np.full((200,), 1.01, dtype=D.NUMPY[d]),), {}),
            counterexample=lambda d: ((np.full((200,), 1.01, dtype=D.NUMPY[d]),), {"dtype": _torch_dtype("float32")}),
            dtypes=("float16", "bfloat16"), devices=("cpu",)),
        Divergence(
            id="prod-complex-signed-zero", op="prod",
            condition="a complex product whose real or imaginary part is zero (the elements where it is)",
            torch_behaviour="the sign of that zero depends on how torch's reduction evaluates the complex "
                            "products (it starts from 1 + 0j; +0.0 where the exact value is a tiny negative "
                            "number or a -0.0 part of a single factor)",
            numpy_behaviour="multiplies left to right with the usual formula: the zero keeps the sign of "
                            "the exact value",
            reference="https://pytorch.org/docs/stable/generated/torch.prod.html", kind="unspecified",
            applies=_zero_parts(R.prod_ref), relax_signed_zero=True,
            example=lambda d: ((_arr([1.825989e-39 + 9.5345254e-26j, -3.339294e-42 - 6.4356076e-10j,
                                      1, 1, 1], d),), {}),
            counterexample=lambda d: ((_arr([1 + 2j, 3 - 1j, 1, 1, 1], d),), {}),
            dtypes=("complex64",)),
    )),
    OpEntry("mean", F, "torch.mean", R.mean_ref, S.mean_inputs, tol_fn=sum_tol(mean=True), grad=True,
            divergences=(
                _keepdim_without_dim("mean"),
                _raises_for_integers("mean", "mean(): could not infer output dtype: give a floating dtype=",
                                     "https://pytorch.org/docs/stable/generated/torch.mean.html", "int64"),
                _empty_tuple("mean", R.mean_torch),
                _zero_d("mean", R.mean_torch, ints=True),
                _cancelled_mean_record("mean"),
            )),
    OpEntry("nansum", F, "torch.nansum", R.nansum_ref, S.nan_inputs,
            tol_fn=_empty_tuple_split_tol(sum_tol(nan=True)), grad=True,
            divergences=(
                _unsigned_int64("nansum", R.nansum_torch),
                _empty_tuple("nansum", R.nansum_torch),
                _zero_d("nansum", R.nansum_torch),
                _split_half_record("nansum"),
            )),
    OpEntry("nanmean", F, "torch.nanmean", R.nanmean_ref, S.nan_inputs,
            tol_fn=_empty_tuple_split_tol(sum_tol(mean=True, nan=True), mean=True),
            grad=True, divergences=(
                _raises_for_integers("nanmean", "nanmean(): expected input to have floating point dtype",
                                     "https://pytorch.org/docs/stable/generated/torch.nanmean.html", "int32",
                                     even_with_dtype=True),
                Divergence(
                    id="nanmean-float8-empty-raises", op="nanmean",
                    condition="an empty float8 input without dtype=",
                    torch_behaviour="raises RuntimeError (Promotion for Float8 Types is not supported, attempted to "
                                    "promote Float8_e4m3fn and Long: the sum is divided by an int64 count); a "
                                    "non-empty one has no nansum kernel",
                    numpy_behaviour="np.nanmean of an empty array is NaN (with a warning)",
                    reference="https://pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (the float8 "
                              "formats have limited operator support and no type promotion)", kind="intended",
                    applies=lambda s, d: _name(s) in D.FLOAT8 and s.arrays[0].size == 0 and "dtype" not in s.kwargs,
                    raises=(RuntimeError, IndexError),  # an invalid dim is refused first (IndexError)
                    example=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {}),
                    counterexample=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {"dtype": _torch_dtype("float32")}),
                    dtypes=("float8_e4m3fn",)),
                _empty_tuple("nanmean", R.nanmean_torch),
                _zero_d("nanmean", R.nanmean_torch),
                # before the overflow record, whose elements it composes with (a whole-sample bound comes first)
                _split_half_record("nanmean"),
                Divergence(
                    id="nanmean-sum-overflows", op="nanmean",
                    condition="a nansum beyond the result dtype's largest finite value (those elements), whose mean "
                              "is finite",
                    torch_behaviour="nanmean is nansum(x) / count with the nansum rounded to the result dtype first: "
                                    "it overflows to inf (a float16 nanmean of a hundred 1000.0 is inf), where mean "
                                    "accumulates in float32 and gives 1000",
                    numpy_behaviour="np.nanmean accumulates in float64 (float32 for float16: it casts back the "
                                    "mean): 1000.0",
                    reference="https://pytorch.org/docs/stable/generated/torch.nanmean.html", kind="bug",
                    applies=_nansum_overflows, accept_nonfinite=_nansum_overflows,
                    example=lambda d: ((np.full((100,), 1000.0, dtype=D.NUMPY[d]),), {}),
                    counterexample=lambda d: ((np.full((60,), 1000.0, dtype=D.NUMPY[d]),), {}),
                    dtypes=("float16",)),
                _cancelled_mean_record("nanmean"),
            )),
    OpEntry("var", F, "torch.var", R.var_ref, S.var_inputs, method="var", tol_fn=var_tol(), grad=True,
            divergences=(
                _no_dof_complex("var", R.var_ref),
                _raises_for_integers("var", "std and var only support floating point and complex dtypes",
                                     "https://pytorch.org/docs/stable/generated/torch.var.html", "int32",
                             counter_kw={"correction": 1}),
                _default_correction("var", R.var_torch, "float32"),
                _empty_tuple("var", R.var_torch, correction=0),
                _zero_d("var", R.var_torch, ints=True, correction=0),
            )),
    OpEntry("std", F, "torch.std", R.std_ref, S.var_inputs, tol_fn=var_tol(std=True), grad=True, divergences=(
        _no_dof_complex("std", R.std_ref),
        _raises_for_integers("std", "std and var only support floating point and complex dtypes",
                             "https://pytorch.org/docs/stable/generated/torch.std.html", "int32",
                             counter_kw={"correction": 1}),
        _default_correction("std", R.std_torch, "float64"),
        _empty_tuple("std", R.std_torch, correction=0),
        _zero_d("std", R.std_torch, ints=True, correction=0),
    )),
    # signed_zero=False from here to amin: -0.0 and 0.0 are equal, and which of them is the maximum (minimum) is
    # defined by neither library (IEEE 754 maxNum/minNum leave it open)
    OpEntry("max", F, "torch.max", R.max_ref, S.whole, method="max", grad=True, signed_zero=False),
    OpEntry("min", F, "torch.min", R.min_ref, S.whole, grad=True, signed_zero=False),
    OpEntry("max_dim", F, "torch.max", R.max_dim_ref, S.with_dim, method="max", grad=True, signed_zero=False),
    OpEntry("min_dim", F, "torch.min", R.min_dim_ref, S.with_dim, grad=True, signed_zero=False),
    OpEntry("amax", F, "torch.amax", R.amax_ref, S.amax_inputs, grad=True, signed_zero=False, divergences=(
        _empty_tuple("amax", R.amax_torch),
        _zero_d("amax", R.amax_torch),
    )),
    OpEntry("amin", F, "torch.amin", R.amin_ref, S.amax_inputs, grad=True, signed_zero=False, divergences=(
        _empty_tuple("amin", R.amin_torch),
        _zero_d("amin", R.amin_torch),
    )),
    OpEntry("argmax", F, "torch.argmax", R.argmax_ref, S.argmax_inputs, method="argmax", divergences=(
        Divergence(
            id="argmax-bool-raises", op="argmax",
            condition="a bool input",
            torch_behaviour="raises RuntimeError (argmax(): does not support bool input): torch gives no bool "
                            "kernel to argmax/argmin by design (the maintainers ask for an explicit conversion)",
            numpy_behaviour="returns the index of the first True",
            reference="https://github.com/pytorch/pytorch/issues/35529", kind="intended",
            applies=lambda s, d: _name(s) == "bool", raises=RuntimeError,
            example=lambda d: ((_arr([False, True, True], d),), {}),
            counterexample=lambda d: ((_arr([0, 1, 1], "uint8"),), {}),
            dtypes=("bool",)),
    )),
    OpEntry("argmin", F, "torch.argmin", R.argmin_ref, S.argmax_inputs, divergences=(
    )),
    OpEntry("all", F, "torch.all", R.all_ref, S.all_inputs, divergences=(
        _zero_d("all", R.all_torch, dtype="bool"),
        _uint8_logical("all", R.all_torch, [1, 2, 0]),
    )),
    OpEntry("any", F, "torch.any", R.any_ref, S.all_inputs, divergences=(
        _zero_d("any", R.any_torch, dtype="bool"),
        _uint8_logical("any", R.any_torch, [1, 0, 0]),
    )),
    OpEntry("cumsum", F, "torch.cumsum", R.cumsum_ref, S.cum_inputs, method="cumsum", tol_fn=cumsum_tol,
            grad=True, divergences=(
                _unsigned_int64("cumsum", R.cumsum_torch, dim=0),
                _cum_0d("cumsum", R.cumsum_torch),
                Divergence(
                    id="cumsum-signed-zero", op="cumsum",
                    condition="a leading run of -0.0 along dim (in a real or an imaginary part): its elements",
                    torch_behaviour="adds the first element to +0.0, so a leading -0.0 gives +0.0 (and so does "
                                    "every -0.0 after it while the running sum stays zero)",
                    numpy_behaviour="the first output element is the first input element (-0.0)",
                    reference="https://pytorch.org/docs/stable/generated/torch.cumsum.html", kind="unspecified",
                    applies=_leading_negative_zeros, relax_signed_zero=True,
                    example=lambda d: ((_arr([-0.0, -0.0, 1.0, -0.0], d),), {"dim": 0}),
                    counterexample=lambda d: ((_arr([1.0, -0.0, -1.0, -0.0], d),), {"dim": 0}),
                    dtypes=("float32", "float16")),
            )),
    OpEntry("cumprod", F, "torch.cumprod", R.cumprod_ref, S.cumprod_inputs, tol_fn=prod_tol(cumulative=True),
            grad=True, divergences=(
                _unsigned_int64("cumprod", R.cumprod_torch, dim=0),
                _cum_0d("cumprod", R.cumprod_torch),
                Divergence(
                    id="cumprod-complex-signed-zero", op="cumprod",
                    condition="a complex running product whose real or imaginary part is zero (those elements)",
                    torch_behaviour="multiplies the first element by 1 + 0j, so a -0.0 part of it becomes +0.0; "
                                    "the sign of a part that underflows to zero follows torch's evaluation",
                    numpy_behaviour="the first output element is the first input element; later ones follow "
                                    "NumPy's evaluation of the complex product",
                    reference="https://pytorch.org/docs/stable/generated/torch.cumprod.html", kind="unspecified",
                    applies=_zero_parts(R.cumprod_ref), relax_signed_zero=True,
                    example=lambda d: ((_arr([-0.0 - 127.5j, 1 + 0j], d),), {"dim": 0}),
                    counterexample=lambda d: ((_arr([-1.0 - 127.5j, 1 + 1j], d),), {"dim": 0}),
                    dtypes=("complex128",)),
            )),
    OpEntry("logsumexp", F, "torch.logsumexp", R.logsumexp_ref, S.logsumexp_inputs, tol_fn=logsumexp_tol,
            grad=True, divergences=(
                Divergence(
                    id="logsumexp-dim-required", op="logsumexp",
                    condition="dim not given, or None",
                    torch_behaviour="raises TypeError (dim is required; older documentation called it optional, "
                                    "see https://github.com/pytorch/pytorch/issues/144339)",
                    numpy_behaviour="scipy.special.logsumexp reduces over every axis",
                    reference="https://docs.pytorch.org/docs/stable/generated/torch.logsumexp.html",
                    kind="intended",
                    applies=lambda s, d: _dim(s) is None, raises=TypeError,
                    example=lambda d: ((_arr([1, 2, 3], d),), {}),
                    counterexample=lambda d: ((_arr([1, 2, 3], d),), {"dim": 0}),
                    dtypes=("float32",)),
                Divergence(
                    id="logsumexp-dim-empty-tuple-raises", op="logsumexp",
                    condition="dim=() on a non-empty input of one or more dims, without keepdim=True",
                    torch_behaviour="raises RuntimeError (output with shape [] doesn't match the broadcast shape): "
                                    "the empty tuple is taken as every dim, as in other reductions, and the "
                                    "result is written into a tensor of the wrong shape",
                    numpy_behaviour="axis=() reduces over no axis: the result is the input",
                    reference=EMPTY_TUPLE_SOURCE, kind="bug",
                    applies=lambda s, d: _has_dim(s) and _dim(s) == () and s.arrays[0].ndim > 0 and
                    s.arrays[0].size > 0 and s.kwargs.get("keepdim") is not True,
                    raises=RuntimeError,
                    example=lambda d: ((_arr([1, 2, 3], d),), {"dim": ()}),
                    counterexample=lambda d: ((_arr(3, d),), {"dim": ()}),
                    dtypes=("float32",)),
                Divergence(
                    id="logsumexp-dim-empty-tuple", op="logsumexp",
                    condition="dim=() on an input of one or more dims that is empty, or with keepdim=True",
                    torch_behaviour="reduces over every dim, as dim=None would (-inf for an empty input)",
                    numpy_behaviour="axis=() reduces over no axis: the result is the input",
                    reference=EMPTY_TUPLE_SOURCE, kind="bug",
                    applies=lambda s, d: _has_dim(s) and _dim(s) == () and s.arrays[0].ndim > 0,
                    torch_ref=R.logsumexp_torch,
                    example=lambda d: ((_arr([[1, 2, 3], [4, 5, 7]], d),), {"dim": (), "keepdim": True}),
                    counterexample=lambda d: ((_arr([[1, 2, 3], [4, 5, 7]], d),), {"dim": (1,),
                                                                                   "keepdim": True}),
                    dtypes=("float32",)),
                _zero_d("logsumexp", R.logsumexp_torch),
                Divergence(
                    id="logsumexp-integer-float32", op="logsumexp",
                    condition="a bool or integer input",
                    torch_behaviour="returns the default float dtype (float32)",
                    numpy_behaviour="scipy.special.logsumexp and NumPy's float functions give float64 for int64",
                    reference="https://pytorch.org/docs/stable/generated/torch.logsumexp.html", kind="intended",
                    applies=lambda s, d: not D.is_inexact(_name(s)),
                    torch_ref=R.logsumexp_torch,
                    example=lambda d: ((_arr([1, 2, 3], d),), {"dim": 0}),
                    counterexample=lambda d: ((_arr([1, 2, 3], "float64"),), {"dim": 0}),
                    dtypes=("int64",)),
                Divergence(
                    id="logsumexp-complex-nonfinite-terms", op="logsumexp",
                    condition="a complex row with a NaN real part where NumPy's sum of the exponentials has an "
                              "infinite part, or with a term of non-finite imaginary part whose real part minus "
                              "the row's largest one overflows the input's precision, or with a real part +inf "
                              "and a finite term whose exponential overflows the input's precision (those result "
                              "elements)",
                    torch_behaviour="the shift (the largest real part) is replaced by 0 only when it is "
                                    "infinite, so a NaN shift makes every term NaN (NaN+NaNj); it is subtracted in "
                                    "the input's precision, where -3.4e38 - 3.4e38 is -inf in complex64 and "
                                    "exp(-inf + NaN j) is 0, so such a term drops out; the terms of a row with an "
                                    "infinite shift are exponentiated in the input's precision: complex64 "
                                    "[inf+nanj, 124-148j] gives nan+nanj (exp(124-148j) is -inf+infj there)",
                    numpy_behaviour="scipy.special.logsumexp's algorithm, exact (float64): every non-finite shift "
                                    "is replaced by 0, so the sum is NaN + inf j and clog gives inf + NaN j; "
                                    "exp(-6.8e38 + NaN j) is NaN + NaN j (C99 Annex G cexp), so the row is NaN",
                    reference="https://docs.pytorch.org/docs/stable/generated/torch.logsumexp.html (no word on "
                              "NaN or complex infinities)", kind="unspecified",
                    applies=_complex_nonfinite_terms, torch_ref=R.logsumexp_complex_torch, native=True,
                    example=lambda d: ((_arr([complex("nan+0j"), complex("inf+1j")], d),), {"dim": 0}),
                    counterexample=lambda d: ((_arr([complex("nan+0j"), complex("1+1j")], d),), {"dim": 0}),
                    dtypes=("complex64", "complex128")),
                Divergence(
                    id="logsumexp-complex-underflow-sign", op="logsumexp",
                    condition="a complex result part that is nonzero but rounds to zero in the result dtype "
                              "(those elements)",
                    torch_behaviour="computes the terms in the input's precision: a term's tiny part underflows "
                                    "to -0.0 there, and the sum of zeros that starts from +0.0 gives +0.0 "
                                    "(logsumexp([1.34701+0j, 0.5-1.4e-45j]) has imaginary part +0.0 in complex64)",
                    numpy_behaviour="the exact value (-4.2e-46 j) rounded once: -0.0",
                    reference="https://docs.pytorch.org/docs/stable/generated/torch.logsumexp.html",
                    kind="unspecified", applies=_complex_parts_underflowed, relax_signed_zero=True,
                    example=lambda d: ((_arr([1.34701 + 0j, 0.5 - 1.4012985e-45j], d),), {"dim": 0}),
                    counterexample=lambda d: ((_arr([1.34701 + 0j, 0.5 - 1e-30j], d),), {"dim": 0}),
                    dtypes=("complex64",)),
            )),
    # signed_zero=False: when -0.0 and 0.0 are both middle values they compare equal, and which one is "the"
    # median is defined by neither library
    OpEntry("median", F, "torch.median", R.median_ref, S.whole, method="median", grad=True, signed_zero=False,
            divergences=(
                Divergence(
                    id="median-empty-integer", op="median",
                    condition="an empty integer input",
                    torch_behaviour="returns NaN converted to the integer dtype (the minimum of int32 and int64, 0 "
                                    "for narrower types, as a C conversion gives)",
                    numpy_behaviour="returns NaN as float64 (with a warning)",
                    reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="unspecified",
                    applies=lambda s, d: s.arrays[0].size == 0 and not D.is_inexact(_name(s)),
                    torch_ref=R.median_torch,
                    example=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {}),
                    counterexample=lambda d: ((np.zeros((0,), dtype=np.float32),), {}),
                    dtypes=("int32",)),
                Divergence(
                    id="median-lower", op="median",
                    condition="a non-empty input with an even number of elements, or an integer input",
                    torch_behaviour="returns the lower of the two middle values, in the input's dtype",
                    numpy_behaviour="returns the mean of the two middle values, as float64 for integers",
                    reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="intended",
                    applies=lambda s, d: (s.arrays[0].size > 0 and s.arrays[0].size % 2 == 0) or
                    not D.is_inexact(_name(s)),
                    torch_ref=R.median_torch,
                    example=lambda d: ((_arr([1, 2, 4, 8], d),), {}),
                    counterexample=lambda d: ((_arr([1, 2, 4], "float32"),), {}),
                    dtypes=("float32", "int32")),
            )),
    OpEntry("median_dim", F, median_dim, R.median_dim_ref, S.with_dim, grad=True, signed_zero=False,
            covers=("torch.median",), divergences=(
        Divergence(
            id="median-dim-empty-raises", op="median_dim",
            condition="a size-0 dim to reduce",
            torch_behaviour="raises IndexError (expected reduction dim to have non-zero size)",
            numpy_behaviour="returns NaN (with a warning)",
            reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="intended",
            applies=lambda s, d: s.arrays[0].ndim > 0 and _median_dim_size(s) == 0,
            raises=IndexError,
            example=lambda d: ((np.zeros((2, 0), dtype=D.NUMPY[d]),), {"dim": 1}),
            counterexample=lambda d: ((np.zeros((0, 3), dtype=D.NUMPY[d]),), {"dim": 1}),
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
            counterexample=lambda d: ((_arr([3], d),), {"dim": 0}),
            dtypes=("float32",)),
        Divergence(
            id="median-dim-lower", op="median_dim",
            condition="an even number of elements along dim, or an integer input",
            torch_behaviour="returns the lower of the two middle values, in the input's dtype",
            numpy_behaviour="returns the mean of the two middle values, as float64 for integers",
            reference="https://pytorch.org/docs/stable/generated/torch.median.html", kind="intended",
            applies=lambda s, d: not D.is_inexact(_name(s)) or _median_dim_size(s) % 2 == 0,
            torch_ref=R.median_dim_torch,
            example=lambda d: ((_arr([[1, 2, 4, 8], [3, 1, 2, 2]], d),), {"dim": 1}),
            counterexample=lambda d: ((_arr([[1, 2, 4], [3, 1, 2]], d),), {"dim": 1}),
            dtypes=("float32",)),
        # a relaxation: it composes with the records above (last, so that they give the reference)
        _zero_stride_garbage("median_dim", "torch.median"),
    )),
    OpEntry("vector_norm", F, "torch.linalg.vector_norm", R.vector_norm_ref, S.vector_norm_inputs,
            tol_fn=norm_tol("ord"), grad=True, divergences=(
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
                    counterexample=lambda d: ((np.zeros((2, 0), dtype=D.NUMPY[d]),), {"ord": 1, "dim": 1}),
                    dtypes=("float32",)),
                _raises_for_integers("vector_norm", "linalg.vector_norm: expected a floating point or complex "
                                     "tensor", "https://pytorch.org/docs/stable/generated/torch.linalg.vector_norm"
                                     ".html", "int32"),
                _empty_tuple("vector_norm", R.vector_norm_torch),
                _zero_d("vector_norm", R.vector_norm_torch),
                VECTOR_NORM_INF_GRADIENT,
                VECTOR_NORM_HALF_GRADIENT,
                norm_gradient_range("vector_norm", "ord"),
            )),
    OpEntry("norm", F, "torch.norm", R.norm_ref, S.norm_inputs, tol_fn=norm_tol("p"), grad=True, divergences=(
        Divergence(
            id="norm-inf-empty-raises", op="norm",
            condition="p=inf over an empty reduction",
            torch_behaviour="raises RuntimeError (cannot compute the inf norm on an empty tensor because "
                            "the operation does not have an identity)",
            numpy_behaviour="returns 0 (the largest of no magnitudes)",
            reference="https://pytorch.org/docs/stable/generated/torch.norm.html", kind="intended",
            applies=lambda s, d: s.kwargs.get("p") == INF and _count_of(s) == 0, raises=RuntimeError,
            example=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {"p": INF}),
            counterexample=lambda d: ((np.zeros((0,), dtype=D.NUMPY[d]),), {"p": 1}),
            dtypes=("float32",)),
        Divergence(
            id="norm-vector-over-any-dims", op="norm",
            condition="a 0-d input, p='fro' over other than two dims given as None, an int or a tuple of at "
                      "most two (dim=() included, which torch takes as every dim), or a numeric p over other "
                      "than one dim (dim=None included)",
            torch_behaviour="the vector norm of all the reduced elements ('fro' is the 2-norm); 'fro' with a "
                            "tuple of three or more dims goes to linalg.matrix_norm, which raises RuntimeError "
                            "(dim must be a 2-tuple), as np.linalg.norm raises (ValueError): no record needed",
            numpy_behaviour="np.linalg.norm: a matrix norm over two axes (ord 1, inf: largest column, row "
                            "sum; 2: largest singular value), and it raises over three or more axes or "
                            "for 'fro' over one",
            reference="https://pytorch.org/docs/stable/generated/torch.norm.html (torch/functional.py: 'fro' "
                      "takes the vector path only for dim None, an int or len(dim) <= 2)", kind="intended",
            applies=lambda s, d: s.arrays[0].ndim == 0 or ((_numpy_axes(s) != 2 and _fro_vector_path(s))
                                                            if s.kwargs.get("p", "fro") == "fro"
                                                            else (_numpy_axes(s) != 1)),
            torch_ref=R.norm_torch,
            example=lambda d: ((_arr([[1, -2], [3, 4]], d),), {"p": 1}),
            counterexample=lambda d: ((_arr([[1, -2], [3, 4]], d),), {"p": 1, "dim": 1}),
            dtypes=("float32",)),
        norm_gradient_range("norm", "p"),
    )),
    OpEntry("count_nonzero", F, "torch.count_nonzero", R.count_nonzero_ref, S.count_inputs, divergences=(
        Divergence(
            id="count_nonzero-e8m0-smallest-is-zero", op="count_nonzero",
            condition="a float8_e8m0fnu input holding its smallest value, 2**-127 (the format has no zero)",
            torch_behaviour="converts 0 to the bits of 2**-127 and counts that value as zero",
            numpy_behaviour="ml_dtypes converts 0 to NaN (the format has no zero): every element is nonzero",
            reference="https://pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (float8_e8m0fnu: no "
                      "zero, no sign)", kind="unspecified",
            applies=lambda s, d: _name(s) == "float8_e8m0fnu" and bool(np.any(
                s.arrays[0].view(np.uint8) == 0)),
            torch_ref=R.count_nonzero_e8m0_torch, native=True,
            example=lambda d: ((_arr([2.0 ** -127, 1.0, 2.0], d),), {"dim": 0}),
            counterexample=lambda d: ((_arr([0.5, 1.0, 2.0], d),), {"dim": 0}),
            dtypes=("float8_e8m0fnu",)),
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
