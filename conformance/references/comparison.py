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

# categories, lowest first: 0 bool, 1 integral, 2 floating, 3 complex (literals, not module constants: these
# functions are pasted into reproduction snippets, which carry functions only)


def _category(dt):
    dt = np.dtype(dt)
    if dt == np.bool_:
        return 0
    if dt.kind in "iu":
        return 1
    if dt.kind == "c":
        return 3
    return 2  # float16, float32, float64 and ml_dtypes' bfloat16 and float8 formats (kind "V")


def _is_bf16(dt):
    return np.dtype(dt).name == "bfloat16"


def _is_float8(dt):
    return np.dtype(dt).name.startswith("float8_")


def _is_wide_unsigned(dt):
    return np.dtype(dt).name in ("uint16", "uint32", "uint64")


def _promote(a, b):
    """torch.promote_types of two dtypes (either may be None). Raises TypeError where torch refuses to promote:
    a float8 format with any other dtype, uint16 / uint32 / uint64 with any other integer, bool or complex
    dtype."""
    if a is None or b is None:
        return b if a is None else a
    a, b = np.dtype(a), np.dtype(b)
    if a == b:
        return a
    if _is_float8(a) or _is_float8(b):
        raise TypeError("Promotion for Float8 Types is not supported")
    if (_is_wide_unsigned(a) and _category(b) != 2) or (_is_wide_unsigned(b) and _category(a) != 2):
        raise TypeError("Promotion for uint16, uint32, uint64 types is not supported")
    ca, cb = _category(a), _category(b)
    if ca == cb == 2 and (_is_bf16(a) or _is_bf16(b)):
        other = b if _is_bf16(a) else a
        return np.result_type(np.float32, other)  # with float16 or float32: float32; with float64: float64
    if ca == cb:
        return np.result_type(a, b)
    hi, lo = (a, b) if ca > cb else (b, a)
    if _category(hi) == 3 and _category(lo) == 2:
        lo_size = 4 if _is_bf16(lo) else lo.itemsize
        return np.dtype(np.complex128) if max(hi.itemsize // 2, lo_size) == 8 else hi
    return hi


def _scalar_dtype(v):
    """The dtype a Python number stands for; torch takes a NumPy scalar as a number of its kind, except a NumPy
    bool and a NumPy complex64, which it takes as floats (the imaginary part dropped: see :func:`_scalar_value`)."""
    if isinstance(v, np.bool_) or (isinstance(v, np.complexfloating) and not isinstance(v, complex)):
        return np.dtype(np.float32)
    if isinstance(v, bool):
        return np.dtype(np.bool_)
    if isinstance(v, (int, np.integer)):
        return np.dtype(np.int64)
    if isinstance(v, (float, np.floating)):
        return np.dtype(np.float32)  # the default dtype
    return np.dtype(np.complex64)  # the default complex dtype


def _scalar_value(v):
    """The number torch reads from a scalar: a NumPy complex64 loses its imaginary part."""
    if isinstance(v, np.complexfloating) and not isinstance(v, complex):
        return float(v.real)
    return v


def _to_complex(dt):
    dt = np.dtype(dt)
    if _is_float8(dt):
        raise TypeError(f"Unknown Complex ScalarType for {dt.name}")
    return np.dtype(np.complex128) if dt == np.float64 else np.dtype(np.complex64)


def _combine(higher, lower):
    """A higher-priority tier's dtype with a lower tier's: the lower one counts only for a higher category."""
    if higher is None or lower is None:
        return lower if higher is None else higher
    ch, cl = _category(higher), _category(lower)
    if ch == 3:
        return higher
    if cl == 3:
        return _to_complex(higher) if ch == 2 else lower
    if ch == 2:
        return higher
    if ch == 0 or cl == 2:
        return _promote(higher, lower)
    return higher


def torch_common_dtype(x, y):
    """The dtype torch casts ``x`` and ``y`` (NumPy arrays standing for tensors, or scalars) to: the model of
    conformance.references.pointwise.torch_result_type (kept whole here: reproduction snippets paste a
    reference with the helpers of its own module)."""
    tiers = _tiers(x, y)
    return _combine(tiers[0], _combine(tiers[1], tiers[2]))


def _tiers(x, y):
    """The dtypes of the operands by priority: tensors with dims, zero-dim tensors, Python scalars."""
    tiers = [None, None, None]
    for v in (x, y):
        if isinstance(v, np.ndarray):
            i = 0 if v.ndim else 1
            tiers[i] = _promote(tiers[i], v.dtype)
        else:
            tiers[2] = _promote(tiers[2], _scalar_dtype(v))
    return tiers


def _half_with_complex(higher, lower):
    return higher is not None and lower is not None and np.dtype(higher) == np.float16 and _category(lower) == 3


def torch_compares_in_complex32(x, y):
    """Whether torch's common dtype is complex32 (held here as complex64): a float16 tier with a complex operand of
    lower priority (a float16 tensor with a Python complex number or a zero-dim complex tensor)."""
    try:
        tiers = _tiers(x, y)
        inner = _half_with_complex(tiers[1], tiers[2])
        lower = _combine(tiers[1], tiers[2])
    except TypeError:
        return False
    if tiers[0] is None:
        return inner
    return _half_with_complex(tiers[0], lower) or (inner and _category(tiers[0]) < 2)


def _as_complex32(v):
    """``v`` in complex32, held in complex64: both parts rounded to float16."""
    with np.errstate(all="ignore"):
        c = np.asarray(v).astype(np.complex64)
        out = np.empty(c.shape, dtype=np.complex64)
        out.real, out.imag = c.real.astype(np.float16), c.imag.astype(np.float16)
        return out


def torch_promotion_error(x, y):
    """The message of the error torch raises when it cannot promote ``x`` and ``y``, else None."""
    try:
        torch_common_dtype(x, y)
    except TypeError as exc:
        return str(exc)
    return None


def _as(dt, v):
    """``v`` in torch's common dtype as torch converts it: to float8_e4m3fn saturating at +-448 (infinities
    included; ml_dtypes gives NaN there), otherwise as NumPy casts."""
    with np.errstate(all="ignore"):
        v = np.asarray(v)
        # (kind V: the ml_dtypes formats, a bfloat16 zero-dim tensor included)
        if np.dtype(dt).name == "float8_e4m3fn" and v.dtype.kind in "fiubV":
            v = v.astype(np.float64)
            v = np.where(np.isnan(v), v, np.clip(v, -448.0, 448.0))
        return v.astype(dt)


def compare_torch(fn, x, y):
    """``fn`` (np.equal, np.less, ...) after casting both operands to torch's common dtype."""
    if torch_compares_in_complex32(x, y):
        return fn(_as_complex32(x), _as_complex32(_scalar_value(y)))
    dt = torch_common_dtype(x, y)
    return fn(_as(dt, x), _as(dt, _scalar_value(y)))


def eq_torch(x, y):
    return compare_torch(np.equal, x, y)


def equal_torch(x, y):
    """torch.equal: False for operands of other shapes; else whether every element is equal in torch's common
    dtype (:func:`eq_torch`: float16 with int64 compares in float16, where -2**63 is -inf)."""
    if np.shape(x) != np.shape(y):
        return False
    return bool(np.all(eq_torch(x, y)))


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


def modulus(v):
    """``|v|`` in ``v``'s real dtype, correctly rounded: for a complex array the modulus is taken in a wider
    complex type (complex128 for complex64, long double for complex128) and rounded once. NumPy's own complex
    ``abs`` is not correctly rounded (about one complex64 modulus in seven is an ulp off, e.g.
    ``|4.6987674e8 - 1.4052641e12j|`` is 1.4052641e12, ``|y|`` itself, where the exact value is 0.6 ulp above
    it), which would decide comparisons by that error; a real ``abs`` is exact."""
    v = np.asarray(v)
    if v.dtype.kind != "c":
        return np.abs(v)
    wide = np.clongdouble if v.dtype == np.complex128 else np.complex128
    with np.errstate(all="ignore"):
        return np.abs(v.astype(wide)).astype(v.real.dtype)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """np.isclose: ``|x - y| <= atol + rtol * |y|`` with ``y`` finite, or ``x == y`` (NaNs with ``equal_nan``),
    evaluated as NumPy does (``y`` cast to an inexact dtype, the operations in the operands' dtypes), each
    modulus correctly rounded (:func:`modulus`)."""
    x, y = np.asanyarray(a), np.asanyarray(b)
    y = np.asanyarray(y, dtype=np.result_type(y, 1.0))
    with np.errstate(all="ignore"):
        result = (np.less_equal(modulus(x - y), atol + rtol * modulus(y)) & np.isfinite(y)) | (x == y)
        if equal_nan:
            result |= np.isnan(x) & np.isnan(y)
    return result[()]


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """np.allclose: :func:`isclose` everywhere, a Python bool."""
    return bool(np.all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def isclose_near(x, d, rtol=1e-05, atol=1e-08, equal_nan=False):
    """:func:`isclose` of ``x`` and ``x + d``: the second operand shares the first one's NaNs and infinities."""
    return isclose(x, x + d, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose_near(x, d, rtol=1e-05, atol=1e-08, equal_nan=False):
    return allclose(x, x + d, rtol=rtol, atol=atol, equal_nan=equal_nan)


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
        actual = modulus(x - y)  # torch's complex abs (Sleef hypot, 0.5 ulp) is correctly rounded
        allowed = atol + modulus(rtol * y)
        return close | (np.isfinite(actual) & (actual <= allowed))


def allclose_torch(x, y, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(isclose_torch(x, y, rtol, atol, equal_nan)))


def isclose_near_torch(x, d, rtol=1e-05, atol=1e-08, equal_nan=False):
    """:func:`isclose_torch` of ``x`` and ``x + d``, the sum computed in the inputs' dtype."""
    with np.errstate(all="ignore"):
        return isclose_torch(x, (x + d).astype(x.dtype), rtol, atol, equal_nan)


def allclose_near_torch(x, d, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(isclose_near_torch(x, d, rtol, atol, equal_nan)))


def e8m0_scalar_torch(v, e8m0):
    """The float8_e8m0fnu value torch converts a Python scalar to: the format has no sign and no zero, and torch
    takes the magnitude (-4 is 4, -0.75 is 1) and puts 0 (and what rounds below the smallest power of two) on the
    smallest value, 2**-127; NaN, infinities and magnitudes beyond the largest power of two are NaN. (ml_dtypes
    converts zero and negative numbers to NaN.) ``e8m0``: the format's NumPy dtype."""
    with np.errstate(all="ignore"):
        m = abs(complex(v).real) if isinstance(v, complex) else abs(float(v))
        if m != m:
            return np.asarray(np.nan).astype(e8m0)
        small = float(np.asarray(2.0 ** -127).astype(e8m0).astype(np.float64))
        return np.asarray(max(m, small)).astype(e8m0)


def compare_e8m0_torch(fn, x, y):
    """``fn`` of a float8_e8m0fnu tensor and a Python scalar as torch computes it: the scalar converted to the
    tensor's format as :func:`e8m0_scalar_torch` says."""
    if isinstance(y, np.ndarray):
        y = float(y.astype(np.float64))
    return fn(x, e8m0_scalar_torch(y, x.dtype))


def eq_e8m0_torch(x, y):
    return compare_e8m0_torch(np.equal, x, y)


def ne_e8m0_torch(x, y):
    return compare_e8m0_torch(np.not_equal, x, y)

