"""NumPy references of ``torch.nn.functional`` ops, with torch's argument names (``dim``, ``approximate``, ...).

They follow the mathematical definitions in torch's documentation, evaluated so that they stay exact where a
naive formula breaks down: softmax and log_softmax subtract the maximum first (so large inputs do not overflow),
gelu and silu take their limits at infinities (gelu(-inf) = silu(-inf) = -0.0, gelu(+inf) = silu(+inf) = +inf)
instead of the ``-inf * 0`` of the formula. A 0-d input counts as one element along dim 0 / -1, as in torch.

``softmax`` and ``log_softmax`` take torch's ``dtype=`` (the input cast to it first, as torch documents).

Only ``numpy`` is used (``math.erf`` is imported inside the one function that needs it): these functions are
pasted into reproduction snippets.
"""
from __future__ import annotations

import numpy as np


def _axis(x, dim):
    """``dim`` checked against ``x``'s dims (a 0-d array has one: -1 or 0), as a non-negative axis."""
    n = max(x.ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"dim {dim} out of range for a {x.ndim}-d input")
    return dim % n


def _cast_first(x, dtype):
    """The input cast to ``dtype`` first (torch's ``dtype=``: "the input tensor is casted to dtype before the
    operation"), then evaluated in float64 (the result is NumPy's ``dtype``)."""
    if dtype is None:
        return x, x.dtype
    target = np.dtype(dtype)
    with np.errstate(all="ignore"):
        cast = np.asarray(x).astype(target)
    return cast.astype(np.float64) if cast.dtype.itemsize < 8 else cast, target


def softmax(x, dim, dtype=None):
    """exp(x - max) / sum(exp(x - max)) along ``dim`` (``dtype``: the input cast to it first)."""
    x, want = _cast_first(x, dtype)
    axis = _axis(x, dim)
    x1 = x.reshape(1) if x.ndim == 0 else x
    if x1.size == 0:
        return x.astype(want) if dtype is not None else x.copy()
    shifted = x1 - np.max(x1, axis=axis, keepdims=True)
    e = np.exp(shifted)
    out = (e / np.sum(e, axis=axis, keepdims=True)).reshape(x.shape)
    return out.astype(want) if dtype is not None else out


def log_softmax(x, dim, dtype=None):
    """(x - max) - log(sum(exp(x - max))) along ``dim`` (``dtype``: the input cast to it first)."""
    x, want = _cast_first(x, dtype)
    axis = _axis(x, dim)
    x1 = x.reshape(1) if x.ndim == 0 else x
    if x1.size == 0:
        return x.astype(want) if dtype is not None else x.copy()
    shifted = x1 - np.max(x1, axis=axis, keepdims=True)
    out = (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).reshape(x.shape)
    return out.astype(want) if dtype is not None else out


def one_hot(idx, num_classes=-1):
    """``np.eye(n)[idx]`` as int64, with n = num_classes, or max(idx) + 1 when it is -1 (empty input: raises)."""
    n = int(np.max(idx)) + 1 if num_classes == -1 else num_classes
    return np.eye(n, dtype=np.int64)[idx]


def relu(x):
    """max(0, x) elementwise (NaN propagates)."""
    return np.maximum(x, np.zeros((), dtype=x.dtype))


def _erf(x):
    import math  # imported here: this function is pasted into reproduction snippets, which import numpy only

    return np.vectorize(math.erf, otypes=[np.float64])(x) if x.size else x.astype(np.float64)


def gelu(x, approximate="none"):
    """x * Phi(x), Phi the standard normal CDF; ``approximate="tanh"``:
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). The limits at -inf and +inf are -0.0 and +inf."""
    if approximate == "tanh":
        inner = np.sqrt(2.0 / np.pi) * (x + 0.044715 * x * x * x)
        out = 0.5 * x * (1.0 + np.tanh(inner))
    elif approximate == "none":
        if x.dtype.kind == "c":  # NumPy has no complex erf: it cannot evaluate the exact form
            raise TypeError("gelu(approximate='none') of a complex input: NumPy has no complex erf")
        out = 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))
    else:
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    if x.dtype.kind == "c":  # the tanh form of a complex input: the formula, as NumPy evaluates it
        return out
    return np.where(np.isneginf(x), -0.0, np.where(np.isposinf(x), np.inf, out)).astype(x.dtype)


def silu(x):
    """x * sigmoid(x) = x / (1 + exp(-x)); the limits at -inf and +inf are -0.0 and +inf (real x)."""
    out = x / (1.0 + np.exp(-x))
    if x.dtype.kind == "c":  # no limits to take: the formula, as NumPy evaluates it
        return out
    return np.where(np.isneginf(x), -0.0, np.where(np.isposinf(x), np.inf, out)).astype(x.dtype)


def normalize(x, p=2.0, dim=1, eps=1e-12):
    """x / max(||x||_p, eps), the p-norm taken along ``dim`` (an int or a tuple of ints). The norm is computed as
    ``m * (sum (|x| / m)^p)^(1/p)`` with ``m`` the largest magnitude, so that neither the powers nor the rounded
    exponent ``1/p`` (whose error is multiplied by the logarithm of the sum) cost accuracy."""
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    axes = []
    for d in dims:  # a loop, not a comprehension: reproduction snippets copy the helpers this body names
        axes.append(_axis(x, d))
    axes = tuple(axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"dim {dim} repeats a dim")
    x1 = x.reshape(1) if x.ndim == 0 else x
    mag = np.abs(x1)
    if p == np.inf:
        norm = np.max(mag, axis=axes, keepdims=True)  # an empty reduction raises: the max has no identity
    else:
        m = np.max(mag, axis=axes, keepdims=True, initial=0.0)
        safe = np.where((m > 0) & np.isfinite(m), m, 1.0)
        norm = np.where((m > 0) & np.isfinite(m),
                        safe * np.sum((mag / safe) ** p, axis=axes, keepdims=True) ** (1.0 / p), m)
    return (x1 / np.maximum(norm, eps)).reshape(x.shape)


def linear(x, weight, bias=None):
    """x @ weight.T + bias (a 1-D weight is a single output feature), evaluated in longdouble (clongdouble) for
    floating (complex) operands and rounded once to NumPy's result dtype: the float64 products of float64
    operands reach ``2**2048``, so a float64 evaluation overflows (to NaN in a complex part) where the exact result
    is finite."""
    operands = (x, weight) if bias is None else (x, weight, bias)
    want = np.result_type(*operands)
    if want.kind not in "fc":
        out = np.matmul(x, weight.T)
        return out if bias is None else out + bias
    to = np.clongdouble if want.kind == "c" else np.longdouble
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.matmul(x.astype(to), weight.astype(to).T)
        if bias is not None:
            out = out + bias.astype(to)
        return np.asarray(out).astype(want)


# ---- torch's behaviour where it differs (the catalogue's recorded divergences) ------------------------------

def gelu_nan_at_neginf(x, approximate="none"):
    """torch's gelu at -inf: ``-inf * (1 + erf(-inf))`` = ``-inf * 0`` = NaN, where the limit is 0."""
    out = gelu(x, approximate)
    return np.where(np.isneginf(x), np.nan, out).astype(out.dtype)


def normalize_eps_in_dtype(x, p=2.0, dim=1, eps=1e-12):
    """torch's normalize where eps does not survive the input's dtype: ``x / max(norm, eps)`` with ``eps``
    converted to the input's dtype first (a Python scalar takes the tensor's dtype: 1e-12 is 0 in float16), so
    a zero slice gives 0 / 0 = NaN. Takes the inputs in their own dtypes (native)."""
    eps_t = float(np.asarray(eps).astype(x.dtype).astype(np.float64))
    wide = x.astype(np.float64)
    out = normalize(wide, p, dim, eps_t)
    with np.errstate(all="ignore"):
        # where the norm overflows (its sum of powers beyond float32's range, in which torch accumulates these
        # types, or the norm beyond the input dtype's), torch divides by inf (see normalize_infinite_norm)
        x1 = wide.reshape(wide.shape or (1,))
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        axes = tuple(d % x1.ndim for d in dims)
        mag = np.abs(x1)
        m = np.max(mag, axis=axes, keepdims=True, initial=0.0)
        safe = np.where((m > 0) & np.isfinite(m), m, 1.0)
        scaled = np.sum((mag / safe) ** p, axis=axes, keepdims=True) if p != np.inf else np.ones(m.shape)
        log2_s = p * np.log2(safe) + np.log2(np.where(scaled > 0, scaled, 1.0)) if p != np.inf else 0 * m
        norm = np.where(np.isfinite(m), safe * scaled ** (1.0 / p), m) if p != np.inf else m
        single = x.ndim >= 1 and all(x1.shape[a] == 1 for a in axes)
        over = ~single & np.isfinite(m) & (m > 0) & ((log2_s > 128) | np.isinf(norm.astype(x.dtype)))
        out = np.where(np.broadcast_to(over, x1.shape), x1 / np.inf, out.reshape(x1.shape)).reshape(x.shape)
        return out.astype(x.dtype)


def normalize_infinite_norm(x, p=2.0, dim=1, eps=1e-12):
    """torch's normalize where the norm overflows (``sum |x|^p`` beyond the accumulation type's range, or the
    norm beyond the result's): ``x / inf``, i.e. signed zeros (NaN for an infinite element)."""
    with np.errstate(all="ignore"):
        return np.asarray(x) / np.inf


def silu_nan_at_neginf(x):
    """torch's silu at -inf: ``-inf * sigmoid(-inf)`` = ``-inf * 0`` = NaN, where the limit is 0."""
    out = silu(x)
    return np.where(np.isneginf(x), np.nan, out).astype(out.dtype)
