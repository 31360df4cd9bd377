"""NumPy references of the comparison family that NumPy lacks as one call, and NumPy models of torch's
documented (or acknowledged) behaviour where it differs.

torch compares two operands after casting both to their common dtype, chosen by its type promotion rule
(https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc): categories bool < integral <
floating < complex; tensors with dims take priority over zero-dim tensors, which take priority over Python
scalars, and a lower-priority operand only matters when its category is higher. So an int8 tensor meets an int64
zero-dim tensor (or a Python int) in int8 — a Python int outside int8's range wraps around — and an int16 tensor
meets a float16 tensor in float16. NumPy 2 (NEP 50) widens instead, and compares a Python int with an integer array
by its value. :func:`torch_common_dtype` is that rule for two operands; the ``*_torch`` functions compare the way
torch does.

Only ``numpy`` is used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import numpy as np

_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


def _category(dt):
    dt = np.dtype(dt)
    if dt == np.bool_:
        return _BOOL
    if dt.kind in "iu":
        return _INT
    if dt.kind == "c":
        return _COMPLEX
    return _FLOAT  # float16, float32, float64 and ml_dtypes' bfloat16 (kind "V")


def _promote(a, b):
    """torch.promote_types of two dtypes (either may be None)."""
    if a is None or b is None:
        return b if a is None else a
    a, b = np.dtype(a), np.dtype(b)
    if a == b:
        return a
    ca, cb = _category(a), _category(b)
    if ca == cb == _FLOAT and "bfloat16" in (a.name, b.name):
        return np.dtype(np.float64) if np.float64 in (a, b) else np.dtype(np.float32)
    if ca == cb:
        return np.result_type(a, b)
    hi, lo = (a, b) if ca > cb else (b, a)
    if _category(hi) == _COMPLEX and _category(lo) == _FLOAT and lo == np.float64:
        return np.dtype(np.complex128)
    return hi


def _scalar_dtype(v):
    if isinstance(v, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if isinstance(v, int):
        return np.dtype(np.int64)
    if isinstance(v, float):
        return np.dtype(np.float32)  # the default dtype
    return np.dtype(np.complex64)


def _combine(higher, lower):
    """A higher-priority tier's dtype with a lower tier's: the lower one counts only for a higher category."""
    if higher is None or lower is None:
        return lower if higher is None else higher
    ch, cl = _category(higher), _category(lower)
    if ch == _COMPLEX:
        return higher
    if cl == _COMPLEX:
        if ch == _FLOAT:  # the complex counterpart of the floating dtype
            return np.dtype(np.complex128) if higher == np.float64 else np.dtype(np.complex64)
        return lower
    if ch == _FLOAT:
        return higher
    if ch == _BOOL or cl == _FLOAT:
        return _promote(higher, lower)
    return higher


def torch_common_dtype(x, y):
    """The dtype torch casts ``x`` and ``y`` (NumPy arrays standing for tensors, or Python scalars) to."""
    tiers = [None, None, None]  # dims, zero-dim, Python scalars
    for v in (x, y):
        if isinstance(v, np.ndarray):
            i = 0 if v.ndim else 1
            tiers[i] = _promote(tiers[i], v.dtype)
        else:
            tiers[2] = _promote(tiers[2], _scalar_dtype(v))
    return _combine(tiers[0], _combine(tiers[1], tiers[2]))


def _as(dt, v):
    with np.errstate(all="ignore"):
        return np.asarray(v).astype(dt)


def compare_torch(fn, x, y):
    """``fn`` (np.equal, np.less, ...) after casting both operands to torch's common dtype."""
    dt = torch_common_dtype(x, y)
    return fn(_as(dt, x), _as(dt, y))


def eq_torch(x, y):
    return compare_torch(np.equal, x, y)


def ne_torch(x, y):
    return compare_torch(np.not_equal, x, y)


def lt_torch(x, y):
    return compare_torch(np.less, x, y)


def le_torch(x, y):
    return compare_torch(np.less_equal, x, y)


def gt_torch(x, y):
    return compare_torch(np.greater, x, y)


def ge_torch(x, y):
    return compare_torch(np.greater_equal, x, y)


def fmax_torch(x, y):
    """np.fmax in torch's common dtype (the result has that dtype)."""
    return compare_torch(np.fmax, x, y)


def fmin_torch(x, y):
    return compare_torch(np.fmin, x, y)


def isclose_near(x, d, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``np.isclose(x, x + d)``: the second operand shares the first one's NaNs and infinities."""
    return np.isclose(x, x + d, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose_near(x, d, rtol=1e-05, atol=1e-08, equal_nan=False):
    return np.allclose(x, x + d, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isclose_torch(x, y, rtol=1e-05, atol=1e-08, equal_nan=False):
    """torch's isclose: equal values (infinities included), NaNs with ``equal_nan``, and — unless both
    tolerances are 0 — pairs whose difference is finite and within ``atol + |rtol * y|``, computed in the inputs'
    floating dtype, or for integer and bool inputs in the default dtype, float32 (so integers beyond 2**24 are
    rounded first). A non-finite value is close only to an equal one, even with an infinite tolerance."""
    with np.errstate(all="ignore"):
        close = x == y
        if equal_nan and x.dtype.kind in "fc":
            close = close | (np.isnan(x) & np.isnan(y))
        if rtol == 0 and atol == 0:
            return close
        if x.dtype.kind in "biu":
            x, y = x.astype(np.float32), y.astype(np.float32)
        actual = np.abs(x - y)
        allowed = atol + np.abs(rtol * y)
        return close | (np.isfinite(actual) & (actual <= allowed))


def allclose_torch(x, y, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(isclose_torch(x, y, rtol, atol, equal_nan)))
