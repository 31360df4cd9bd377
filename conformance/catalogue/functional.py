"""torch.nn.functional: softmax, log_softmax, one_hot, relu, gelu, silu, normalize, linear.

References are in ``conformance.references.functional`` (softmax and log_softmax subtract the maximum first, so
large inputs are compared, not skipped; normalize scales by the largest magnitude, so its float64 reference is
accurate for any input); strategies in ``conformance.strategies.functional``.

**Tolerances**, derived per sample in the precision torch computes in (``conformance.tolerance``):

* softmax / log_softmax: :func:`conformance.tolerance.softmax` (the rounding of ``x - max`` amplified by ``exp``,
  the sum of ``n`` positive terms in any order, the division or the logarithm);
* normalize: the p-norm ``(sum |x|^p)^(1/p)`` in the accumulation type (``gamma(n + 1)`` for the powers and the
  sum, ``n eta`` where the powers underflow, the root and its rounded exponent ``1/p``, the norm rounded to the
  result dtype), carried through ``x / max(norm, eps)`` as the range of quotients it allows (:func:`_normalize_tol`);
* linear: the sum-of-products bound over ``in + 1`` terms (the bias adds one), as the linalg products;
* relu, gelu, silu (elementwise): the default table.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from hypothesis import strategies as st

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.catalogue.linalg import _linear_product, _onednn_next_flat_row, _onednn_next_row
from conformance.catalogue.linalg import (finite_abs, float8_conversion, is_wide, linear_ieee, nonfinite_mask,
                                         product_tolerance, wide_values, with_unrepresentable)
from conformance.catalogue.reductions import norm_gradient_out_of_range, norm_gradient_range
from conformance.references import functional as R
from conformance.references import reductions as RR
from conformance.references.linalg import layout_strides, row_major
from conformance.strategies import functional as S

F = "functional"


# ---- torch callables ---------------------------------------------------------------------------------------

def softmax_call(x, *args, dtype=None, **kwargs):
    """``torch.nn.functional.softmax``; ``dtype`` given by name (a Case holds no torch dtype)."""
    if dtype is not None:
        kwargs["dtype"] = D.TORCH[dtype]
    return torch.nn.functional.softmax(x, *args, **kwargs)


def log_softmax_call(x, *args, dtype=None, **kwargs):
    """``torch.nn.functional.log_softmax``; ``dtype`` given by name."""
    if dtype is not None:
        kwargs["dtype"] = D.TORCH[dtype]
    return torch.nn.functional.log_softmax(x, *args, **kwargs)


# ---- arguments of a sample ------------------------------------------------------------------------------------

def _kw(sample, name, position, default):
    if len(sample.args) > position:
        return sample.args[position]
    return sample.kwargs.get(name, default)


def _axes(x, dim):
    """``dim`` (an int or a tuple) as non-negative axes of ``x`` (a 0-d input has one), or None when invalid."""
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    n = max(x.ndim, 1)
    if any(not -n <= d < n for d in dims):
        return None
    axes = tuple(d % n for d in dims)
    return axes if len(set(axes)) == len(axes) else None


def _result(sample):
    x = sample.arrays[0]
    cast = sample.kwargs.get("dtype")
    return cast if cast is not None else D.name_of(x.dtype)


# ---- tolerances -------------------------------------------------------------------------------------------

def _softmax_tol(log: bool = False):
    """:func:`conformance.tolerance.softmax` of each element, from its shift ``|x - max|``, its slice's weighted
    shift and length (the input cast to ``dtype=`` first, as torch does)."""
    def tol_fn(sample, dtype):
        name = _result(sample)
        if not D.is_floating(name):
            return None
        x = sample.arrays[0]
        axes = _axes(x, _kw(sample, "dim", 1, None))
        if axes is None or x.size == 0:
            return None
        with np.errstate(all="ignore"):
            x64 = x.astype(D.NUMPY[name]).astype(np.float64).reshape(x.shape or (1,))
            axis = axes[0]
            gap = np.abs(x64 - np.max(x64, axis=axis, keepdims=True))
            gap = np.where(np.isfinite(gap), gap, 0.0)
            e = np.exp(-gap)
            weighted = np.sum(e * gap, axis=axis, keepdims=True) / np.maximum(np.sum(e, axis=axis, keepdims=True),
                                                                              1.0)
            value = (R.log_softmax if log else R.softmax)(x64, axis)
        n = x64.shape[axis]
        return T.softmax(name, value.reshape(x.shape), gap.reshape(x.shape),
                         np.broadcast_to(weighted, x64.shape).reshape(x.shape), n, log=log)
    return tol_fn


def _norm_parts(sample):
    """(x, p, axes, eps, eps in the input's dtype), or None for a sample both libraries reject."""
    x = sample.arrays[0]
    p, dim, eps = _kw(sample, "p", 1, 2.0), _kw(sample, "dim", 2, 1), _kw(sample, "eps", 3, 1e-12)
    axes = _axes(x, dim)
    if axes is None:
        return None
    real = D.NUMPY[D.real_of(D.name_of(x.dtype))]
    with np.errstate(all="ignore"):
        eps_t = float(np.asarray(eps).astype(real).astype(np.float64))
    return x, float(p), axes, float(eps), eps_t


def _single_element(x, axes) -> bool:
    """A reduction over one element of an input of one or more dims: torch's norm is ``|x|`` itself there (no
    power is formed, so nothing overflows or underflows); a 0-d input goes through the powers."""
    return x.ndim >= 1 and int(np.prod([x.shape[a] for a in axes])) == 1


def _norm_range(sample):
    """(N, N_lo, N_hi, over) per slice (keepdims): the exact p-norm, the range torch's norm can take (see
    :func:`_normalize_tol`), and the slices whose norm certainly overflows the accumulation or the result type."""
    x, p, axes, eps, eps_t = _norm_parts(sample)
    name = D.name_of(x.dtype)
    acc = T.accumulation(name)
    ua, ur, er = T.unit(acc), T.unit(name), T.eta(name)
    x1 = x.reshape(x.shape or (1,))
    mag = finite_abs(x1)
    n = int(np.prod([x1.shape[a] for a in axes]))
    with np.errstate(all="ignore"):
        big = np.max(mag, axis=axes, keepdims=True, initial=0.0)
        safe = np.where(big > 0, big, 1.0)
        if p == math.inf:  # the largest |x|: exact, but for a complex modulus (hypot: a rounding or two)
            norm = big
            if not D.is_complex(name):
                return norm, norm, norm, np.zeros(norm.shape, dtype=bool)
            r = 2 * ua
            hi, lo = norm * (1 + r) * (1 + ur) + er, norm * (1 - r) * (1 - ur) - er
            # the largest modulus can overflow the type (|3e38 + 3e38j| in complex64): certainly, or maybe
            finite = np.all(np.isfinite(np.abs(x1.astype(np.complex128))), axis=axes, keepdims=True)
            over = finite & (lo > T.biggest(name))
            return norm, np.maximum(lo, 0.0), np.where(hi >= T.biggest(name), np.inf, hi), over
        # log2 of S = sum |x|^p, scaled by the largest magnitude (S itself may leave float64's range)
        scaled = np.sum((mag / safe) ** p, axis=axes, keepdims=True)
        log2_s = np.where(big > 0, p * np.log2(safe) + np.log2(np.where(scaled > 0, scaled, 1.0)), -np.inf)
        norm = np.where(big > 0, safe * scaled ** (1.0 / p), 0.0)
        if _single_element(x, axes):  # |x|: one rounding (a complex modulus: hypot, one more)
            r = ua * (2 if D.is_complex(name) else 1)
            hi, lo = norm * (1 + r) * (1 + ur) + er, norm * (1 - r) * (1 - ur) - er
            # a complex modulus can overflow the type (|3e38 + 3e38j| in complex64): certainly, or maybe
            over = D.is_complex(name) & np.isfinite(norm) & (lo > T.biggest(name))
            return norm, np.maximum(lo, 0.0), np.where(hi >= T.biggest(name), np.inf, hi), over
        powers = 0 if p == 1.0 else (1 if p == 2.0 else 2)  # roundings of |x|^p: none, one product, pow
        if D.is_complex(name):
            powers += 2  # |z|^2 = re^2 + im^2 (and |z| itself for other p)
        g = T.gamma(n - 1 + powers, ua) + T.gamma(n + 2, T.U64)
        # the powers that underflow: n eta absolutely, relative to S
        d = n * T.eta(acc) * np.exp2(-np.maximum(log2_s, -2000.0))
        root = 0.0 if p == 1.0 else (ua if p == 2.0 else 2 * ua + ua * abs(math.log(2)) * np.abs(log2_s) / p)
        # the norm's rounding to the result dtype: relative, and absolute (eta) in its subnormal range
        hi = norm * (1 + g + d) ** (1 / p) * (1 + root) * (1 + ur) + er
        lo = norm * np.maximum(1 - g - d, 0.0) ** (1 / p) * (1 - root) * (1 - ur) - er
        # torch's sum of positive powers is at least its largest term's (rounding is monotone): the norm is at
        # least the largest magnitude, rounded (so a subnormal norm's rounding cannot take it to 0)
        lo = np.maximum(lo, big * np.maximum(1 - g - d, 0.0) ** (1 / p) * (1 - root) * (1 - ur))
        # (a slice with a NaN or an infinity has a NaN or infinite norm in both libraries)
        finite = np.all(np.isfinite(x1 if not np.iscomplexobj(x1) else np.abs(x1)), axis=axes, keepdims=True)
        over = finite & ((log2_s + np.log2(np.maximum(1 - g, 0.5)) > math.log2(T.biggest(acc))) |
                         (lo > T.biggest(name)))
        # where the sum may overflow the accumulation type, or the norm the result dtype (a float16 norm whose
        # bound reaches 65504 may round to inf), torch's norm may be infinite
        hi = np.where((log2_s + np.log2(1 + g + d) >= math.log2(T.biggest(acc))) | (hi >= T.biggest(name)),
                      np.inf, hi)
    return norm, np.maximum(lo, 0.0), hi, over


def _normalize_tol(sample, dtype):
    """``x / max(N', eps)`` where torch's norm ``N'`` lies in ``[N_lo, N_hi]`` around the exact norm ``N``:
    ``N_hi = N (1 + g + d)^(1/p) (1 + r) (1 + u_r) + eta_r`` and ``N_lo`` likewise below (and at least the largest
    magnitude, rounded), with ``g = gamma_a(n + 1)`` (the powers and the sum of ``n`` terms in any order; two more
    roundings for a complex modulus), ``d = n eta_a / S`` (powers that underflow), ``r`` the root (``u_a`` for a
    square root, ``2 u_a + |ln S| u_a / p`` for ``pow`` with the rounded exponent ``1/p``) and ``u_r``, ``eta_r``
    the norm's rounding to the result dtype (relative, and absolute in its subnormal range). A reduction over one
    element is ``|x|`` itself (:func:`_single_element`). The element's bound is the largest distance from
    ``x / max(N, eps)`` to ``x / max(N', eps_r)`` over that range (``eps_r``: eps in the input's dtype), plus the
    final rounding of the division (per part of a complex element, bounded by its modulus); it stays finite where
    the sum of powers underflows (the range reaches ``x / eps``); a complex quotient is a complex division by
    ``N' + 0j`` (five more roundings of the accumulation type, relative to ``|x| / N``). Where the sum may overflow
    the accumulation type, ``N_hi`` is infinite (the quotient may be 0); where it certainly does, the divergence
    ``normalize-norm-overflow`` holds torch to ``x / inf`` exactly."""
    name = D.name_of(sample.arrays[0].dtype)
    if not D.is_inexact(name) or sample.arrays[0].size == 0 or _norm_parts(sample) is None:
        return None
    x, p, axes, eps, eps_t = _norm_parts(sample)
    norm, lo, hi, over = _norm_range(sample)
    with np.errstate(all="ignore"):
        x64 = np.abs(x.astype(np.complex128 if D.is_complex(name) else np.float64).reshape(x.shape or (1,)))
        ref = 1.0 / np.maximum(norm, eps)
        spread = np.maximum(np.abs(1.0 / np.maximum(lo, eps_t) - ref), np.abs(ref - 1.0 / np.maximum(hi, eps_t)))
        bound = np.where(np.isfinite(x64), x64 * spread, 0.0)
        if D.is_complex(name):
            # torch divides by the norm as a complex number (N + 0j): its vectorized complex division scales both
            # operands, multiplies, squares the divisor's modulus and divides, up to 6 roundings of each part
            # (no cancellation, the divisor being real), of which the comparison's rtol counts the last
            bound = bound + np.where(np.isfinite(x64), x64 * ref * float(T.gamma(5, T.unit(T.accumulation(name)))),
                                     0.0)
        bound = np.where(np.broadcast_to(over, x64.shape) | ~np.isfinite(bound), 0.0, bound)
    return T.absolute(name, bound.reshape(x.shape), why=f"normalize (p={p:g})")


def _linear_tol(sample, dtype):
    x, w = sample.arrays[:2]
    name = D.name_of(x.dtype)
    if not D.is_inexact(name):
        return None
    b = sample.arrays[2] if len(sample.arrays) > 2 else None
    wide = is_wide(name)
    with np.errstate(over="ignore", invalid="ignore"):
        products = np.matmul(finite_abs(x, wide), finite_abs(w, wide).T)
        scale = products
        reach = (np.matmul(nonfinite_mask(x).astype(float), np.ones(w.shape).T) +
                 np.matmul(np.ones(x.shape), nonfinite_mask(w).astype(float).T)) > 0
        if b is not None:
            scale = scale + finite_abs(b, wide)
            reach = reach | nonfinite_mask(b)
    tol = product_tolerance(name, scale, x.shape[-1] + 1, 2, reach)

    def exact():
        out = np.matmul(wide_values(x), wide_values(w).T)
        return out if b is None else out + wide_values(b)
    tol = with_unrepresentable(tol, name, scale, exact)
    if b is not None and T.unit(name) > T.unit(T.accumulation(name)):
        # outside the fused addmm path (an input of other than 2 dims) torch rounds x @ w.T to the half type
        # before it adds the bias: one more rounding of the result's precision, relative to the products
        ur = T.unit(name)
        with np.errstate(over="ignore", invalid="ignore"):
            extra = np.asarray(ur * (1 + ur) * products, dtype=np.float64)
        tol = tol.widened_by(T.Tolerance(0.0, extra, why=f"x @ w.T rounded to {name} before the bias"))
    return tol


# ---- divergences --------------------------------------------------------------------------------------------

def _floating(sample):
    return D.is_floating(D.name_of(sample.arrays[0].dtype))


def _elements(pred):
    """An elementwise condition: the floating input's elements where ``pred`` holds."""
    def applies(sample, dtype):
        x = sample.arrays[0]
        if not _floating(sample) or x.size == 0:
            return False
        return pred(x.astype(np.float64))
    return applies


#: the dtypes torch's softmax kernels take; others only with ``dtype=`` (the input is cast first)
SOFTMAX_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _softmax_non_floating(op):
    return Divergence(
        id=f"{op}-non-floating-raises", op=op,
        condition="a non-empty input that is not float16, bfloat16, float32 or float64 (bool, integer, float8, "
                  "complex), without dtype=",
        torch_behaviour=f"raises RuntimeError (\"{op}_lastdim_kernel_impl\" not implemented for 'Long'); with "
                        "dtype= the input is cast first and the op works",
        numpy_behaviour="exp(x - max) / sum(exp(x - max)) computes in float64 for integer and bool inputs",
        reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.softmax.html",
        kind="unspecified",
        applies=lambda sample, dtype: (D.name_of(sample.arrays[0].dtype) not in SOFTMAX_DTYPES and
                                       sample.kwargs.get("dtype") is None and sample.arrays[0].size > 0),
        raises=RuntimeError,
        example=lambda dtype: ((np.array([1, 2], dtype=dtype), 0), {}),
        counterexample=lambda dtype: ((np.array([1, 2], dtype=dtype), 0), {"dtype": "float64"}),
        dtypes=("int64",),
    )


def _gelu_vectorized_elements(sample, dtype):
    """float32, bfloat16 or float16, approximate="none", a contiguous tensor of at least 2 elements (the
    vectorized, oneDNN-backed kernel on CPUs with AVX-512, which computes the half types in float32; a single
    element or a strided tensor takes the scalar path): the elements that are +inf or above half float32's
    largest value (no finite float16 is)."""
    name = D.name_of(sample.arrays[0].dtype)
    if name not in ("float32", "bfloat16", "float16") or sample.kwargs.get("approximate", "none") != "none":
        return False
    x = sample.arrays[0]
    if x.size < 2 or not _contiguous(x.shape, sample.layouts[0]):
        return False
    x64 = x.astype(np.float64)
    large = x64 > T.biggest("float32") / 2
    # a -inf element of the same call gives NaN (gelu-neginf-nan, which this record shadows there)
    return (large | np.isneginf(x64)) if large.any() else False


def _contiguous(shape, layout) -> bool:
    """Whether a tensor of ``shape`` in one of the suite's layouts is contiguous (torch's rule: the strides of
    the dims longer than 1 are row-major)."""
    want, got = row_major(tuple(shape)), layout_strides(tuple(shape), layout)
    return all(s <= 1 or a == b for s, a, b in zip(shape, want, got))


GELU_VECTORIZED = Divergence(
    id="gelu-vectorized-infinity", op="gelu",
    condition="approximate='none', float32, bfloat16 or float16, a contiguous input of 2 or more elements: its "
              "+inf elements and those above half float32's largest value (and, in the same call, its -inf "
              "elements, which give NaN as gelu-neginf-nan records)",
    torch_behaviour="on CPUs with AVX-512 (the vectorized erf / oneDNN path, in float32 for the half types) "
                    "returns NaN for +inf and +inf for a finite x above float32's max / 2; on AVX2 (and the scalar "
                    "path: one element, a strided input; float64) it returns x: either is accepted on exactly "
                    "these elements, a finite value must be x",
    numpy_behaviour="(the reference, the documented formula x * Phi(x)) gives +inf for +inf and x for large x",
    reference="https://github.com/pytorch/pytorch/issues/185770",
    kind="bug", applies=_gelu_vectorized_elements, accept_nonfinite=_gelu_vectorized_elements,
    example=None,  # the behaviour depends on the CPU: pinned by a bespoke test (suite/test_functional.py)
    devices=("cpu",),
)

GELU_NEGINF = Divergence(
    id="gelu-neginf-nan", op="gelu",
    condition="the -inf elements (both approximations)",
    torch_behaviour="returns NaN (the formula's -inf * 0)",
    numpy_behaviour="(the reference) gives the limit, -0.0",
    reference="https://github.com/pytorch/pytorch/pull/192318",
    kind="bug", applies=_elements(np.isneginf), torch_ref=R.gelu_nan_at_neginf,
    example=lambda dtype: ((np.array([-np.inf, 1.0], dtype=dtype),), {"approximate": "tanh"}),
    counterexample=lambda dtype: ((np.array([-1e30, 1.0], dtype=dtype),), {"approximate": "tanh"}),
    dtypes=("float32",),
)

def _log_softmax_half_last_dim(sample, dtype):
    """A float16 or bfloat16 result along the last dim (a 0-d or 1-D input included): the CPU kernel for the last
    dim."""
    x = sample.arrays[0]
    if _result(sample) not in ("float16", "bfloat16") or x.size == 0:
        return False
    axes = _axes(x, _kw(sample, "dim", 1, None))
    return axes is not None and axes[0] == max(x.ndim, 1) - 1


def _log_softmax_rounded_offset_tol(sample, dtype):
    """:func:`_softmax_tol`'s log_softmax bound, plus the two roundings to the result dtype of torch's last-dim
    kernel. It computes ``y_i = x_i - max`` and ``S = sum exp(y_j)`` in float32 (the base bound), rounds ``S`` to
    the result dtype, ``S' = S (1 + d1)``, ``|d1| <= u_r``, takes ``L = log S'`` rounded to it too,
    ``|L - log S'| <= u_r |log S'|``, and returns ``y_i - L`` rounded once (the base's final rounding). So
    ``|log S' - log S| = |log(1 + d1)| <= u_r / (1 - u_r)`` — an absolute error of about one unit roundoff however
    small the result (S near 1: the soak's ``[-2.95, -4.6e-22, -8.9e31]`` in bfloat16 rounds S = 1.0522 to 1.0547,
    0.0024 off in log_softmax) — and ``|log S'| <= ln S + u_r / (1 - u_r)``, ``ln S`` (from 0 to ``ln n``) the
    slice's log-sum-exp less its max, from the reference. Absolute, per slice:
    ``u_r / (1 - u_r) (1 + u_r) + u_r ln S``."""
    base = _softmax_tol(log=True)(sample, dtype)
    name = _result(sample)
    x = sample.arrays[0]
    axis = _axes(x, _kw(sample, "dim", 1, None))[0]
    ur = T.unit(name)
    with np.errstate(all="ignore"):
        x64 = x.astype(D.NUMPY[name]).astype(np.float64).reshape(x.shape or (1,))
        ln_s = np.log(np.sum(np.exp(x64 - np.max(x64, axis=axis, keepdims=True)), axis=axis, keepdims=True))
        ln_s = np.where(np.isfinite(ln_s), ln_s, 0.0) * np.ones(x64.shape)
    extra = T.Tolerance(0.0, (ur / (1 - ur) * (1 + ur) + ur * ln_s).reshape(x.shape),
                        why=f"sum(exp) and its log rounded to {name}")
    return base.widened_by(extra)


LOG_SOFTMAX_HALF_LAST_DIM = Divergence(
    id="log_softmax-half-last-dim-rounded-offset", op="log_softmax",
    condition="a float16 or bfloat16 result along the last dim, on CPU",
    torch_behaviour="the last-dim kernel computes S = sum(exp(x - max)) in float32 but rounds S, and then log(S), "
                    "to the result dtype before returning (x - max) - log(S): an absolute error of up to one unit "
                    "roundoff of the result dtype (log(1 + d) of S's rounding), far more than one ulp of a small "
                    "result: log_softmax(torch.tensor([100., 96.], dtype=torch.bfloat16), 0) is [-0.0155, -4.0] "
                    "(S = 1.0183 rounded to 1.0156) where the exact values are [-0.0181, -4.0181] (along another "
                    "dim the same values give [-0.0182, -4.0312])",
    numpy_behaviour="(the reference, in float64, rounded once) -0.0181",
    reference="https://github.com/pytorch/pytorch/issues/140222",
    kind="bug", applies=_log_softmax_half_last_dim, tolerance=_log_softmax_rounded_offset_tol,
    example=lambda dtype: ((np.array([100.0, 96.0], dtype=D.NUMPY[dtype]), 0), {}),
    # the same values along the first dim of a matrix: the kernel for other dims keeps c in float32
    counterexample=lambda dtype: ((np.array([[100.0, 100.0], [96.0, 96.0]], dtype=D.NUMPY[dtype]), 0), {}),
    dtypes=("bfloat16",), devices=("cpu",),
)


def _gelu_vectorized_underflow(sample, dtype):
    """float32, approximate='none', a contiguous input of 2 or more elements (the vectorized kernel): the negative
    elements whose gelu rounds to zero in float32 (x below about -13.2)."""
    name = D.name_of(sample.arrays[0].dtype)
    if name != "float32" or sample.kwargs.get("approximate", "none") != "none":
        return False
    x = sample.arrays[0]
    if x.size < 2 or not _contiguous(x.shape, sample.layouts[0]):
        return False
    with np.errstate(all="ignore"):
        x64 = x.astype(np.float64)
        negative = (x64 < 0) | ((x64 == 0) & np.signbit(x64))
        zero = negative & (R.gelu(np.where(np.isfinite(x64), x64, 0.0)).astype(np.float32) == 0) & np.isfinite(x64)
    return zero if zero.any() else False


GELU_VECTORIZED_UNDERFLOW = Divergence(
    id="gelu-vectorized-underflow-positive-zero", op="gelu",
    condition="approximate='none', float32, a contiguous input of 2 or more elements: the negative elements whose "
              "gelu underflows to zero (-0.0 included)",
    torch_behaviour="depends on the CPU: without AVX-512 (oneDNN's AVX2 kernel; ONEDNN_MAX_CPU_ISA=AVX2 shows it "
                    "on any x86 CPU) the vectorized kernel gives +0.0 (torch.nn.functional.gelu(torch.tensor([-20., "
                    "-30.])) is [0., 0.]); with AVX-512, and for one element or a strided input, -0.0 as the "
                    "reference: either sign is accepted on exactly these elements",
    numpy_behaviour="(the reference) x * Phi(x) of a negative x rounds to -0.0",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.gelu.html",
    kind="unspecified", applies=_gelu_vectorized_underflow, relax_signed_zero=True,
    example=None,  # the behaviour depends on the CPU: to be pinned by a bespoke test (suite/test_functional.py)
    dtypes=("float32",), devices=("cpu",),
)


def _silu_tol(sample, dtype):
    """Complex silu ``z / (1 + exp(-z))``: as complex sigmoid (catalogue.pointwise), an evaluation in the working
    precision loses accuracy near the poles ``z = i(2k+1)pi`` in proportion to ``|s| |1 - s|`` (``s`` the
    sigmoid), times ``|z|`` here: each part gets ``16 u |z| |s| |1 - s|`` (at least the default), finite
    everywhere. Where the denominator overflows the working precision, torch's value is a recorded bug
    (silu-complex-denominator-overflow, :func:`_silu_overflow_tol`)."""
    name = D.name_of(sample.arrays[0].dtype)
    if not D.is_complex(name):
        return None
    u = T.unit(name)
    with np.errstate(all="ignore"):
        z = sample.arrays[0].astype(np.complex128)
        sig = 1.0 / (1.0 + np.exp(-z))
        bound = np.nan_to_num(16 * u * np.abs(z) * np.abs(sig) * np.abs(1 - sig), nan=0.0, posinf=0.0)
    base = T.default(name)
    return T.Tolerance(base.rtol, np.maximum(bound, base.atol),
                       why="complex silu: conditioning near the poles of the sigmoid")


def _silu_denominator_overflows(sample, dtype):
    """Complex inputs: the elements where torch's complex division by ``w = 1 + exp(-z)`` overflows the working
    precision: its scaled denominator ``c + d (d / c)`` (``c`` the larger part of ``w`` in magnitude, ``d`` the
    other), which is ``|w|**2 / |c|``, exceeds the largest finite value (``exp(-z)`` itself overflowing
    included); a margin of 8 roundings for the working precision's own evaluation of it."""
    z = sample.arrays[0]
    if z.dtype.kind != "c" or z.size == 0:
        return False
    name = D.name_of(z.dtype)
    with np.errstate(all="ignore"):
        zw = z.astype(np.complex128)
        finite = np.isfinite(zw.real) & np.isfinite(zw.imag)
        w = 1.0 + np.exp(-np.where(finite, zw, 0.0))
        c = np.maximum(np.abs(w.real), np.abs(w.imag))
        scaled = np.abs(w) * (np.abs(w) / c)  # |w|**2 / c without overflowing float64 (complex128)
        big = -zw.real > np.log(T.biggest(name))  # exp(-z) overflows (in float64 too, for complex128)
        mask = finite & (big | ~(scaled <= T.biggest(name) * (1 - 8 * T.unit(name))))
    return mask if mask.any() else False


def _silu_overflow_tol(sample, dtype):
    """silu-complex-denominator-overflow: torch gives 0 (either sign) or NaN on the elements of the condition,
    ``|z| / |w|`` off the true value (up to 0.9 in complex64): each part there may be 0, so the bound of those
    elements is the larger magnitude of the parts of NumPy's silu (the op's bound elsewhere), with NaN or an
    infinity accepted."""
    tol = _silu_tol(sample, dtype)
    mask = _silu_denominator_overflows(sample, dtype)
    if mask is False:
        return tol
    z = sample.arrays[0].astype(np.complex128)
    with np.errstate(all="ignore"):
        s = np.nan_to_num(R.silu(z), nan=0.0, posinf=0.0, neginf=0.0)
        reach = np.maximum(np.abs(s.real), np.abs(s.imag))
    atol = np.where(mask, np.maximum(tol.atol_at(z.shape), reach), tol.atol_at(z.shape))
    return T.Tolerance(tol.rtol, atol, nonfinite=mask,
                       why="complex silu: 0 or NaN where the denominator overflows (a recorded bug)")


SILU_COMPLEX_OVERFLOW = Divergence(
    id="silu-complex-denominator-overflow", op="silu",
    condition="complex inputs: the elements where the complex division by 1 + exp(-z) overflows the working "
              "precision (its scaled denominator |w|**2 / max(|Re w|, |Im w|) beyond the largest value: Re z below "
              "-88.37 to -88.72 in complex64 as the phase goes, -709.4 to -709.78 in complex128)",
    torch_behaviour="silu is 0 (of either sign) or NaN there, although silu(z), about z exp(z), is finite and "
                    "up to about 1 when |Im z| is large: silu(torch.tensor([complex(-88.65, -3.97e37)])) is -0j "
                    "(the division z / w scales by 1 / (c + d (d / c)), which overflows to 0), and below -88.72 "
                    "exp(-z) itself overflows (0 or NaN); complex128 gives 0.0566-0.1120j",
    numpy_behaviour="(the reference) z / (1 + exp(-z)) in complex128: 0.0566-0.1120j",
    reference="no issue found in the tracker (related: https://github.com/pytorch/pytorch/issues/173796, complex "
              "exp overflow on CPU)",
    kind="bug", applies=_silu_denominator_overflows, tolerance=_silu_overflow_tol,
    example=lambda dtype: ((np.array([complex(-88.65, -3.97e37), complex(1.0, 2.0)], dtype=dtype),), {}),
    # just below the overflow: torch's division is right
    counterexample=lambda dtype: ((np.array([complex(-88.0, -3.97e37), complex(1.0, 2.0)], dtype=dtype),), {}),
    dtypes=("complex64",),
)


def _silu_zero_part(sample, dtype):
    """Complex inputs: the elements whose silu (NumPy's) has a zero part."""
    z = sample.arrays[0]
    if z.dtype.kind != "c" or z.size == 0:
        return False
    with np.errstate(all="ignore"):
        v = R.silu(z.astype(np.complex128)).astype(z.dtype)
    mask = np.asarray((v.real == 0) | (v.imag == 0))
    return mask if mask.any() else False


SILU_COMPLEX_ZERO = Divergence(
    id="silu-complex-signed-zero", op="silu",
    condition="complex inputs: the elements whose silu has a zero part",
    torch_behaviour="the sign of a zero part follows torch's complex division z / (1 + exp(-z)): "
                    "silu(torch.tensor([complex(0.0, 1e-300)])) is -0+5e-301j",
    numpy_behaviour="z / (1 + exp(-z)) with NumPy's complex division gives +0+5e-301j",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.silu.html",
    kind="unspecified", applies=_silu_zero_part, relax_signed_zero=True,
    example=lambda dtype: ((np.array([complex(0.0, 1e-300)], dtype=dtype),), {}),
    # a zero part of a value away from the origin: the same sign in both
    counterexample=lambda dtype: ((np.array([complex(1.0, 1e-300)], dtype=dtype),), {}),
    dtypes=("complex128",),
)

SILU_COMPLEX_GRADIENT = Divergence(
    id="silu-complex-no-gradient", op="silu",
    condition="a complex input that requires grad",
    torch_behaviour="raises RuntimeError (silu does not support automatic differentiation for outputs with complex "
                    "dtype); the forward computes",
    numpy_behaviour="(the reference) z / (1 + exp(-z)) is holomorphic away from the poles: its derivative exists",
    reference="https://github.com/pytorch/pytorch/blob/main/tools/autograd/derivatives.yaml",
    kind="unspecified", about="gradient", raises=RuntimeError,
    applies=lambda sample, dtype: sample.arrays[0].dtype.kind == "c",
)


SILU_NEGINF = Divergence(
    id="silu-neginf-nan", op="silu",
    condition="the -inf elements",
    torch_behaviour="returns NaN (-inf * sigmoid(-inf) = -inf * 0)",
    numpy_behaviour="(the reference) gives the limit, -0.0",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.SiLU.html",
    kind="unspecified", applies=_elements(np.isneginf), torch_ref=R.silu_nan_at_neginf,
    example=lambda dtype: ((np.array([-np.inf, 1.0], dtype=dtype),), {}),
    counterexample=lambda dtype: ((np.array([-1e30, 1.0], dtype=dtype),), {}),
    dtypes=("float32",),
)

RELU_NEGATIVE_ZERO = Divergence(
    id="relu-negative-zero", op="relu",
    condition="the -0.0 elements",
    torch_behaviour="returns -0.0 (relu is clamp_min(x, 0), which keeps x when x >= 0)",
    numpy_behaviour="np.maximum(-0.0, 0) is +0.0",
    reference="https://github.com/pytorch/pytorch/pull/196039",
    kind="unspecified", relax_signed_zero=True,
    applies=_elements(lambda x: (x == 0) & np.signbit(x)),
    example=lambda dtype: ((np.array([-0.0, 1.0], dtype=dtype),), {}),
    counterexample=lambda dtype: ((np.array([0.0, -1.0], dtype=dtype),), {}),
    dtypes=("float32",),
)


def _inexact(sample):
    return D.is_inexact(D.name_of(sample.arrays[0].dtype))


def _slices(mask, x):
    """A per-slice (keepdims) mask spread over the input's elements."""
    return np.broadcast_to(mask, x.reshape(x.shape or (1,)).shape).reshape(x.shape)


def _norm_overflows(sample, dtype):
    """The elements of slices whose sum of powers certainly overflows the accumulation type, or whose norm the
    result type (float16: a norm above 65504); a reduction over one element never does (``|x|``)."""
    if not _inexact(sample) or sample.arrays[0].size == 0 or _norm_parts(sample) is None:
        return False
    _, _, _, over = _norm_range(sample)
    return _slices(over, sample.arrays[0])


def _eps_lost(sample, dtype):
    """The elements of slices whose norm is below eps, where eps does not survive the input's dtype (it changes by
    more than a rounding: 1e-12 is 0 in float16); and, in the same call, those of slices whose norm overflows
    (which :data:`NORMALIZE_OVERFLOW` records: its model is part of this record's, so that both hold at once)."""
    if not _floating(sample) or sample.arrays[0].size == 0:
        return False
    parts = _norm_parts(sample)
    if parts is None:
        return False
    x, p, axes, eps, eps_t = parts
    if abs(eps_t - eps) <= 2 * T.unit(D.name_of(x.dtype)) * eps:
        return False
    norm, _, _, over = _norm_range(sample)
    with np.errstate(all="ignore"):
        small = norm < max(eps, eps_t)
    if not small.any():
        return False
    return _slices(small | over, x)


NORMALIZE_EPS = Divergence(
    id="normalize-eps-in-input-dtype", op="normalize",
    condition="the elements of slices whose norm is below eps, where eps changes by more than a rounding when "
              "converted to the input's dtype (1e-12 is 0 in float16 and the float8 formats); in the same call, "
              "the elements of overflowing slices too (x / inf, as normalize-norm-overflow records)",
    torch_behaviour="clamps the norm with eps converted to the input's dtype (a Python scalar takes the tensor's "
                    "dtype), so eps=1e-12 is 0 in float16 and a zero slice gives 0 / 0 = NaN; NumPy evaluating "
                    "x / np.maximum(norm, 1e-12) on a float16 array does the same (NEP 50)",
    numpy_behaviour="(the reference, evaluated in float64 with eps exact) gives 0 (-0.0) for a zero slice",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.normalize.html",
    kind="intended", applies=_eps_lost, torch_ref=R.normalize_eps_in_dtype, native=True,
    example=lambda dtype: ((np.zeros((2, 3), dtype=dtype),), {"p": 2.0, "dim": 1, "eps": 1e-12}),
    counterexample=lambda dtype: ((np.ones((2, 3), dtype=dtype),), {"p": 2.0, "dim": 1, "eps": 1e-12}),
    dtypes=("float16",),
)


NORMALIZE_OVERFLOW = Divergence(
    id="normalize-norm-overflow", op="normalize",
    condition="the elements of slices of two or more elements (or of a 0-d input) whose sum |x|^p overflows "
              "the accumulation type (float32 for the half types: |x| above about 1.8e19 for p=2 in float32, "
              "bfloat16 and complex64) or whose norm overflows the result dtype (float16: a norm above 65504); a "
              "reduction over one element is |x| itself, which overflows only as a complex modulus",
    torch_behaviour="computes the norm without scaling, as np.linalg.norm does in the input's dtype: it is inf, "
                    "and x / inf is 0 (torch.nn.functional.normalize(torch.tensor([[1e20, 1e20]])) is [[0, 0]])",
    numpy_behaviour="(the reference, which scales by the largest magnitude) gives x / ||x|| ([[0.7071, 0.7071]])",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.normalize.html",
    kind="unspecified", applies=_norm_overflows, torch_ref=R.normalize_infinite_norm,
    example=lambda dtype: ((np.full((1, 2), 1e20, dtype=dtype),), {"p": 2.0, "dim": 1, "eps": 1e-12}),
    counterexample=lambda dtype: ((np.full((1, 2), 1e18, dtype=dtype),), {"p": 2.0, "dim": 1, "eps": 1e-12}),
    dtypes=("float32",),
)

def _normalize_gradient_range(sample, dtype):
    """normalize's record of the norm backward's powers (:func:`norm_gradient_out_of_range`), for the slices
    whose norm is above eps (below it the clamp passes no gradient to the norm). The cotangent reaching the norm
    is ``-sum_j v_j x_j / norm^2``, ``v`` standard normal: a normal draw of deviation ``||x||_2 / norm^2``,
    bounded by 8 and 1e-6 deviations as vector_norm's record bounds its own."""
    parts = _norm_parts(sample)
    if parts is None:
        return False
    x, p, axes, eps, eps_t = parts
    if not (math.isfinite(p) and p > 1 and p != 2) or x.size == 0:
        return False
    axes = axes if x.ndim else None
    with np.errstate(all="ignore"):
        a = np.abs(x.astype(np.complex128 if np.iscomplexobj(x) else np.float64))
        a = np.where(np.isfinite(a), a, 0.0)
        r = np.asarray(RR._pnorm(a, p, axes, True), dtype=np.float64)
        dev = np.sqrt(np.sum(a * a, axis=axes, keepdims=True)) / (r * r)
        found = norm_gradient_out_of_range(x, p, axes, D.name_of(x.dtype), 8 * dev, 1e-6 * dev)
    if not np.any(found):
        return False
    return found & np.broadcast_to(r > max(eps, eps_t), x.shape)


NORMALIZE_GRADIENT_RANGE = norm_gradient_range("normalize", "p", applies=_normalize_gradient_range)

LINEAR_VECTOR_WEIGHT_BIAS = Divergence(
    id="linear-1d-weight-bias-2d-input", op="linear",
    condition="a 2-D input, a 1-D weight and a bias (all documented shapes)",
    torch_behaviour="raises RuntimeError (mat2 must be a matrix, got 1-D tensor): the fused addmm path takes "
                    "a matrix weight; with a 1-D or 3-D input, or without the bias, the same weight works",
    numpy_behaviour="x @ weight.T + bias is a matrix-vector product plus the bias",
    reference="https://github.com/pytorch/pytorch/issues/188891",
    kind="bug",
    applies=lambda sample, dtype: len(sample.arrays) == 3 and sample.arrays[0].ndim == 2 and
    sample.arrays[1].ndim == 1,
    raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 3), dtype=dtype), np.ones(3, dtype=dtype), np.ones((), dtype=dtype)), {}),
    counterexample=lambda dtype: ((np.ones((2, 3), dtype=dtype), np.ones(3, dtype=dtype)), {}),
    dtypes=("float32",),
)


def _classes(sample):
    return _kw(sample, "num_classes", 1, -1)


def _class_out_of_range(sample) -> bool:
    """A class below 0, or at or above an explicit num_classes: a device-side assert off CPU."""
    idx = sample.arrays[0]
    if idx.size == 0 or idx.dtype.kind not in "iu":
        return False
    n = _classes(sample)
    return int(idx.min()) < 0 or (n != -1 and int(idx.max()) >= n)


ONE_HOT_NEGATIVE = Divergence(
    id="one_hot-negative-class", op="one_hot",
    condition="a negative class value (int64)",
    torch_behaviour="raises RuntimeError (Class values must be non-negative), checked on the host on CPU",
    numpy_behaviour="np.eye(n)[idx] counts a negative index from the end (-1 is the last class)",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.one_hot.html",
    applies=lambda sample, dtype: sample.arrays[0].dtype == np.int64 and sample.arrays[0].size > 0 and
    int(sample.arrays[0].min()) < 0,
    raises=RuntimeError,
    example=lambda dtype: ((np.array([-1, 1], dtype=dtype), 3), {}),
    counterexample=lambda dtype: ((np.array([0, 1], dtype=dtype), 3), {}),
    dtypes=("int64",), devices=("cpu",),
)

ONE_HOT_EMPTY = Divergence(
    id="one_hot-empty-zero-classes", op="one_hot",
    condition="an empty input with num_classes=0",
    torch_behaviour="raises RuntimeError (Can not infer total number of classes from empty tensor), although "
                    "num_classes is given",
    numpy_behaviour="np.eye(0)[idx] is an empty array of shape (*, 0)",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.one_hot.html",
    kind="unspecified",
    applies=lambda sample, dtype: sample.arrays[0].dtype == np.int64 and sample.arrays[0].size == 0 and
    _classes(sample) == 0,
    raises=RuntimeError,
    example=lambda dtype: ((np.zeros((0,), dtype=dtype), 0), {}),
    counterexample=lambda dtype: ((np.zeros((0,), dtype=dtype), 2), {}),
    dtypes=("int64",),
)

ONE_HOT_INDEX_DTYPE = Divergence(
    id="one_hot-int64-only", op="one_hot",
    condition="class values of a dtype other than int64 (int32 and every other integer, bool)",
    torch_behaviour="raises RuntimeError (one_hot is only applicable to index tensor of type LongTensor)",
    numpy_behaviour="np.eye(n)[idx] indexes with any integer dtype",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.one_hot.html",
    applies=lambda sample, dtype: sample.arrays[0].dtype != np.int64, raises=RuntimeError,
    example=lambda dtype: ((np.array([0, 2], dtype=dtype), 3), {}),
    counterexample=lambda dtype: ((np.array([0, 2], dtype=np.int64), 3), {}),
    dtypes=("int32",),
)


ENTRIES = [
    OpEntry("softmax", F, softmax_call, R.softmax, S.softmax_case, tol_fn=_softmax_tol(),
            divergences=(_softmax_non_floating("softmax"),), covers=("torch.nn.functional.softmax",), grad=True),
    OpEntry("log_softmax", F, log_softmax_call, R.log_softmax, S.softmax_case, tol_fn=_softmax_tol(log=True),
            divergences=(_softmax_non_floating("log_softmax"), LOG_SOFTMAX_HALF_LAST_DIM),
            covers=("torch.nn.functional.log_softmax",),
            signed_zero=False, grad=True),
    OpEntry("one_hot", F, "torch.nn.functional.one_hot", R.one_hot, S.one_hot_case,
            divergences=(ONE_HOT_INDEX_DTYPE, ONE_HOT_NEGATIVE, ONE_HOT_EMPTY), unsafe_off_cpu=_class_out_of_range),
    OpEntry("relu", F, "torch.nn.functional.relu", R.relu, S.elementwise, method="relu", inplace="relu_",
            divergences=(RELU_NEGATIVE_ZERO,), grad=True),
    OpEntry("gelu", F, "torch.nn.functional.gelu", R.gelu,
            lambda dtype: S.elementwise(dtype, approximate=st.sampled_from((None, "none", "tanh"))),
            divergences=(GELU_VECTORIZED, GELU_NEGINF, GELU_VECTORIZED_UNDERFLOW), grad=True),
    OpEntry("silu", F, "torch.nn.functional.silu", R.silu, S.elementwise, tol_fn=_silu_tol,
            divergences=(SILU_NEGINF, SILU_COMPLEX_OVERFLOW, SILU_COMPLEX_ZERO, SILU_COMPLEX_GRADIENT),
            grad=True),
    OpEntry("normalize", F, "torch.nn.functional.normalize", R.normalize, S.normalize_case, tol_fn=_normalize_tol,
            divergences=(NORMALIZE_EPS, NORMALIZE_OVERFLOW, NORMALIZE_GRADIENT_RANGE), grad=True),
    OpEntry("linear", F, linear_ieee, R.linear, S.linear_case, tol_fn=_linear_tol, signed_zero=False,
            divergences=(LINEAR_VECTOR_WEIGHT_BIAS, _onednn_next_row("linear", _onednn_next_flat_row(_linear_product)),
                         float8_conversion("linear", R.linear, "float8_e4m3fn", ([[20.0, 30.0]], [[20.0, 30.0]]),
                                           ([[2.0, 3.0]], [[2.0, 3.0]]))),
            covers=("torch.nn.functional.linear",), grad=True),
]
