"""NumPy references for pointwise ops that NumPy lacks as one call, and NumPy models of torch's documented
behaviour where it differs from NumPy on purpose (used by the catalogue's known divergences).

Every function here uses only ``np``, ``math`` and other functions of this module: repro snippets paste them.

Type promotion (https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc) is modelled by
:func:`torch_result_type`: operands are ranked by category (bool < integral < floating < complex) and by
priority (tensors with dimensions > zero-dim tensors > Python scalars). A lower-priority operand only matters
when its category is higher than every higher-priority operand's; Python floats count as the default dtype
(float32) and Python complex numbers as its complex counterpart (complex64, or the complex type of a floating
tensor operand). Within one category the result holds every operand's dtype (int8 with uint8 gives int16,
float16 with bfloat16 gives float32). NumPy 2 (NEP 50) differs: zero-dim arrays count like any array, a Python
float with an integer array gives float64, and a float array with an integer array is widened as needed
(float16 with int16 gives float32). NumPy scalars (``np.float32(1.5)``) count in torch as Python numbers of
their kind; in NumPy 2 they are strong (a float16 array with ``np.float32(1.5)`` gives float32). A float16 tensor
with a complex operand of lower priority gives complex32, which NumPy has no counterpart for:
:func:`torch_result_type` gives complex64 there (the dtype that holds complex32's values) and
:func:`torch_gives_complex32` says so. The ``*_torch`` functions compute an op the way torch does: every operand
is first cast to torch's result dtype (a Python int out of that dtype's range wraps around, as torch casts it).
"""
from __future__ import annotations

import functools
import math

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
    return 2  # float16, float32, float64, and ml_dtypes' bfloat16 (kind "V")


def _is_bf16(dt):
    return np.dtype(dt).name == "bfloat16"


def _is_float8(dt):
    return np.dtype(dt).name.startswith("float8_")


def _is_wide_unsigned(dt):
    return np.dtype(dt).name in ("uint16", "uint32", "uint64")


def _promote_pair(a, b):
    """torch.promote_types for two dtypes (None: no operand yet). Raises TypeError where torch refuses to promote:
    a float8 format with any other dtype, and uint16 / uint32 / uint64 with any other integer, bool or complex
    dtype (or float8)."""
    if a is None:
        return b
    if b is None:
        return a
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


def _to_complex(dt):
    """The complex dtype of a floating one's precision: complex128 for float64, complex64 otherwise (for float16
    torch gives complex32, whose values complex64 holds: see torch_gives_complex32). A float8 format has none:
    torch raises ('Unknown Complex ScalarType')."""
    dt = np.dtype(dt)
    if _is_float8(dt):
        raise TypeError(f"Unknown Complex ScalarType for {dt.name}")
    if dt == np.float64:
        return np.dtype(np.complex128)
    return np.dtype(np.complex64)


def _combine(higher, lower):
    """Combines the result of a higher-priority tier with that of a lower one (torch's combine_categories)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if _category(higher) == 3:
        return higher
    if _category(lower) == 3:
        return _to_complex(higher) if _category(higher) == 2 else lower
    if _category(higher) == 2:
        return higher
    if _category(higher) == 0 or _category(lower) == 2:
        return _promote_pair(higher, lower)
    return higher


def _scalar_dtype(v):
    """The dtype a Python number (or a NumPy scalar, which torch takes as a number of its kind) stands for.
    torch takes a NumPy bool and a NumPy complex64 scalar as floats (the complex64's imaginary part dropped)."""
    return _scalar_dtype_of_type(type(v))


def _tiers(operands):
    """torch's three priority tiers of ``operands``: the promoted dtypes of the tensors with dims, of the
    zero-dim tensors and of the Python numbers (None where a tier is empty)."""
    dim = zero = wrapped = None
    for x in operands:
        if x is None:
            continue
        if isinstance(x, np.ndarray):
            if x.ndim:
                dim = _promote_pair(dim, x.dtype)
            else:
                zero = _promote_pair(zero, x.dtype)
        else:
            wrapped = _promote_pair(wrapped, _scalar_dtype(x))
    return dim, zero, wrapped


def torch_result_type(*operands):
    """The dtype torch gives an elementwise op on ``operands`` (NumPy arrays standing for tensors, Python
    scalars, or None for an absent optional operand)."""
    key = tuple((x.ndim > 0, x.dtype) if isinstance(x, np.ndarray) else type(x) for x in operands)
    return _result_type_of(key)


@functools.lru_cache(maxsize=4096)
def _result_type_of(key):
    """torch_result_type by the operands' signature: (has dims, dtype) per array, the type of each scalar (which
    alone decides the dtype it stands for, _scalar_dtype) or of None. Promotion runs per case millions of times;
    the signatures are few."""
    dim = zero = wrapped = None
    for k in key:
        if isinstance(k, tuple):
            if k[0]:
                dim = _promote_pair(dim, k[1])
            else:
                zero = _promote_pair(zero, k[1])
        elif k is not type(None):
            wrapped = _promote_pair(wrapped, _scalar_dtype_of_type(k))
    return _combine(dim, _combine(zero, wrapped))


def _scalar_dtype_of_type(t):
    """:func:`_scalar_dtype` of a scalar of type ``t`` (the type alone decides it)."""
    if issubclass(t, np.bool_) or (issubclass(t, np.complexfloating) and not issubclass(t, complex)):
        return np.dtype(np.float32)
    if issubclass(t, bool):
        return np.dtype(np.bool_)
    if issubclass(t, (int, np.integer)):
        return np.dtype(np.int64)
    if issubclass(t, (float, np.floating)):
        return np.dtype(np.float32)  # the default dtype
    return np.dtype(np.complex64)  # the default complex dtype


def _gives_complex32(higher, lower):
    return (higher is not None and lower is not None and np.dtype(higher) == np.float16 and
            _category(lower) == 3)


def torch_gives_complex32(*operands):
    """Whether torch's result dtype for ``operands`` is complex32: a float16 tier combined with a complex operand
    of lower priority (a float16 tensor with a Python complex number or a zero-dim complex tensor)."""
    try:
        dim, zero, wrapped = _tiers(operands)
        if _gives_complex32(zero, wrapped):
            inner = True
        else:
            inner = False
        lower = _combine(zero, wrapped)
    except TypeError:
        return False
    if dim is None:
        return inner
    if _gives_complex32(dim, lower):
        return True
    return inner and _category(dim) < 2  # an integer or bool tensor keeps the complex32 of the lower tiers


def torch_promotion_error(*operands):
    """The message of the error torch raises when it cannot promote ``operands`` (float8 formats or the wide
    unsigned types with other dtypes), else None."""
    try:
        torch_result_type(*operands)
    except TypeError as exc:
        return str(exc)
    return None


def _cast_all(dt, operands):
    """``operands`` converted to ``dt`` as torch converts them (see _to)."""
    out = []
    for x in operands:
        if x is None:
            out.append(None)
        elif isinstance(x, np.ndarray):
            out.append(_to(x, dt))
        else:
            out.append(_to(np.asarray(_scalar_value(x)), dt))
    return out


def _to(x, dt):
    """``x`` converted to ``dt`` as torch converts it: into float16 and bfloat16 through float32 (c10::Half and
    c10::BFloat16 are constructed from a float), so a 64-bit integer or float rounds twice, where NumPy's cast
    rounds once."""
    dt = np.dtype(dt)
    with np.errstate(all="ignore"):
        if (dt == np.float16 or _is_bf16(dt)) and x.dtype.kind in "iuf" and x.dtype.itemsize > 4:
            x = x.astype(np.float32)
        return x.astype(dt)


def _scalar_value(v):
    """The number torch takes a scalar operand for (a NumPy bool as 0.0 / 1.0, a NumPy complex64 as its real
    part; see _scalar_dtype)."""
    if isinstance(v, np.bool_):
        return float(v)
    if isinstance(v, np.complexfloating) and not isinstance(v, complex):
        return float(v.real)
    return v


def kernel_scalar(v, dt) -> bool:
    """``v``, an operand computed in ``dt``, reaches torch's elementwise kernel as a scalar (TensorIterator's
    ``is_scalar``: every stride zero where the size is not 1): one element, or an array of dtype ``dt`` broadcast
    from one element (one of another dtype is cast into a contiguous buffer first). A torch model that asks for
    strides (``reads_strides``) is given each operand in its layout's strides, an expanded one as a zero-stride
    view (``Sample.native_inputs``)."""
    if np.size(v) == 1:
        return True
    return isinstance(v, np.ndarray) and v.dtype == dt and v.size > 0 and \
        all(st == 0 for st, n in zip(v.strides, v.shape) if n > 1)


def _scalar_like(result, x, y):
    """A scalar-path result (computed against one element of ``y``) in the shape of ``x`` broadcast with ``y``."""
    return np.array(np.broadcast_to(result, np.broadcast_shapes(np.shape(x), np.shape(y))))


def _to_float32_if_integral(dt):
    return np.dtype(np.float32) if _category(dt) < 2 else dt


def sigmoid(x):
    """1 / (1 + exp(-x)), in the float dtype NumPy's exp gives the input (integers and bools are converted to it
    first: negating them would wrap around)."""
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.exp(np.zeros(0, dtype=x.dtype)).dtype)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def mul_float8_saturating(x, y):
    """x * y for float8_e4m3fn operands: the product in float32, then converted to float8_e4m3fn saturating (a
    value beyond the largest finite one, 448, infinities included, becomes +-448; NaN stays NaN)."""
    x, y = np.asarray(x), np.asarray(y)
    dt = x.dtype
    with np.errstate(all="ignore"):
        p = np.multiply(x.astype(np.float32), y.astype(np.float32))
        return np.where(np.isnan(p), p, np.clip(p, -448.0, 448.0)).astype(dt)


def isfinite_without_nan_check(x):
    """Finite means not infinite: NaN counts as finite."""
    return ~np.isinf(np.asarray(x).astype(np.float64))


def log1p(x):
    """np.log1p, except for complex inputs of huge modulus, where NumPy's (1 + z) overflows in the modulus
    although log(1 + z) is finite: there log(1 + z) = log(z) to working precision."""
    x = np.asarray(x)
    if x.dtype.kind != "c":
        return np.log1p(x)
    with np.errstate(all="ignore"):
        return np.where(np.abs(x) > 1e100, np.log(x), np.log1p(x))


def _result_dtype(x, y):
    """NumPy's result dtype for ``x`` and ``y`` (Python scalars weak, NEP 50)."""
    return np.result_type(x, y)


def add(x, y, alpha=1):
    """``x + alpha * y`` in NumPy's result dtype of ``x`` and ``y`` (``alpha`` is a multiplier, cast to that
    dtype: it takes no part in promotion); NumPy's add when ``alpha`` is left at 1."""
    if alpha is None or (alpha == 1 and not isinstance(alpha, float)):
        return np.add(x, y)
    dt = _result_dtype(x, y)
    if dt == np.bool_:
        return np.logical_or(x, np.logical_and(y, bool(alpha)))
    if dt.kind == "f":  # alpha * y in a wider exponent range: only the sum is rounded (no overflowed product)
        wide = np.longdouble
        with np.errstate(all="ignore"):
            return np.add(np.asarray(x).astype(wide), np.asarray(y).astype(wide) * wide(alpha)).astype(dt)
    return np.add(x, _times_alpha(y, alpha, dt)).astype(dt)


def alpha_times(y, alpha):
    """``alpha * y`` for a complex ``y``: the complex product, with a real ``alpha`` taken as ``alpha + 0j`` (as
    NumPy converts it), each part correctly rounded: ``alpha yr - 0 yi`` and ``alpha yi + 0 yr`` are the one
    product rounded, its sign kept where it underflows to zero (NumPy's own loops give that sign or the other,
    with or without a fused multiply-add, by length and operand order), NaN where the zero meets an infinite or
    NaN part."""
    y = np.asarray(y)
    if isinstance(alpha, complex) or np.iscomplexobj(alpha):
        return np.multiply(y, np.asarray(alpha).astype(y.dtype))
    a = np.asarray(alpha).astype(y.real.dtype)
    with np.errstate(all="ignore"):
        def part(own, other, sign):
            scaled, cross = own * a, a.dtype.type(0) * other
            exact_zero = (a == 0) | (own == 0)  # only then do the zeros' signs combine
            combined = scaled + cross if sign > 0 else scaled - cross
            return np.where(np.isnan(cross), np.nan, np.where(exact_zero, combined, scaled))
        out = np.empty(y.shape, dtype=y.dtype)
        out.real, out.imag = part(y.real, y.imag, -1), part(y.imag, y.real, 1)
    return out


def _times_alpha(y, alpha, dt):
    """``y`` in ``dt`` times ``alpha`` (cast to ``dt``: it takes no part in promotion)."""
    y = np.asarray(y).astype(dt)
    if dt.kind == "c":
        return alpha_times(y, alpha)
    return np.multiply(y, np.asarray(alpha).astype(dt))


def sub(x, y, alpha=1):
    """``x - alpha * y`` in NumPy's result dtype of ``x`` and ``y`` (see :func:`add`)."""
    if alpha is None or (alpha == 1 and not isinstance(alpha, float)):
        return np.subtract(x, y)
    dt = _result_dtype(x, y)
    if dt.kind == "f":  # as in add: only the difference is rounded
        wide = np.longdouble
        with np.errstate(all="ignore"):
            return np.subtract(np.asarray(x).astype(wide), np.asarray(y).astype(wide) * wide(alpha)).astype(dt)
    return np.subtract(x, _times_alpha(y, alpha, dt)).astype(dt)


def div_trunc(x, y):
    """Division rounded toward zero; exact for integers (no detour through float64)."""
    if _result_dtype(x, y).kind in "iub":
        q = np.floor_divide(x, y)
        inexact = np.not_equal(np.remainder(x, y), 0) & (np.less(x, 0) != np.less(y, 0))
        return np.where(inexact, q + 1, q).astype(q.dtype)
    return np.trunc(np.true_divide(x, y))


def div(x, y, rounding_mode=None):
    """torch.div's three modes in NumPy: true division, 'trunc' and 'floor' (Python's //)."""
    if rounding_mode is None:
        return np.true_divide(x, y)
    if rounding_mode == "trunc":
        return div_trunc(x, y)
    if rounding_mode == "floor":
        return np.floor_divide(x, y)
    raise ValueError(f"unknown rounding_mode {rounding_mode!r}")


def clamp(x, min=None, max=None):
    """np.clip with either bound optional (both absent: the input unchanged)."""
    if min is None and max is None:
        return np.clip(x)
    if min is None:
        return np.clip(x, max=max)
    if max is None:
        return np.clip(x, min=min)
    return np.clip(x, min=min, max=max)


# ---- models of torch's documented behaviour, in torch's dtypes -------------------------------------------
# Each takes the op's arguments (bfloat16 arrays as ml_dtypes.bfloat16) and computes in torch's result dtype,
# every operand cast to it first, as torch does.

def _parts(z):
    z = np.asarray(z)
    return z.real, z.imag


def _complex_from(re, im, dt):
    out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), dtype=dt)
    out.real, out.imag = re, im
    return out


def complex_mul(a, b):
    """(ar*br - ai*bi) + (ar*bi + ai*br)j, each product rounded on its own (no fused multiply-add, no
    recovery of infinities from NaN)."""
    dt = np.result_type(a, b)
    (ar, ai), (br, bi) = _parts(a), _parts(b)
    with np.errstate(all="ignore"):
        return _complex_from(ar * br - ai * bi, ar * bi + ai * br, dt)


def _product_part(u1, v1, u2, v2, sign):
    """``u1 v1 + sign u2 v2`` of finite or infinite factors without an overflowing intermediate: an infinite
    factor with a nonzero one gives its infinity (with 0, NaN), and two finite products are summed scaled by a
    power of two, so that only the part itself can overflow."""
    with np.errstate(all="ignore"):
        terms = []
        for u, v, s in ((u1, v1, 1.0), (u2, v2, sign)):
            inf = np.isinf(u) | np.isinf(v)
            terms.append((inf & (u != 0) & (v != 0), inf & ((u == 0) | (v == 0)), s * np.sign(u) * np.sign(v),
                          u, v, s))
        (i1, n1, s1, a1, b1, c1), (i2, n2, s2, a2, b2, c2) = terms
        nan = n1 | n2 | (i1 & i2 & (s1 != s2))
        inf = np.where(i1, s1, s2) * np.inf
        m1, e1 = np.frexp(np.where(i1 | n1, 0.0, a1))
        k1, f1 = np.frexp(np.where(i1 | n1, 0.0, b1))
        m2, e2 = np.frexp(np.where(i2 | n2, 0.0, a2))
        k2, f2 = np.frexp(np.where(i2 | n2, 0.0, b2))
        big = np.maximum(e1 + f1, e2 + f2)
        finite = np.ldexp(np.ldexp(m1 * k1, e1 + f1 - big) + c2 * np.ldexp(m2 * k2, e2 + f2 - big), big)
        return np.where(nan, np.nan, np.where(i1 | i2, inf, finite))


def multiply(x, y):
    """NumPy's multiply; a complex product whose part NumPy's loop gives as NaN from an intermediate that
    overflowed (``inf - inf`` of a huge finite product and an infinite one) has that part computed without the
    overflowing intermediate. NumPy itself gives either, by code path: ``np.multiply`` of one-element arrays
    ``[1.8e308-0.9j] * [-1.5+infj]`` gives ``inf+infj``, of the same values broadcast from other shapes or as
    NumPy scalars ``nan+infj``; the exact part is ``inf``. A float8_e8m0fnu product is the exact product rounded
    once to the format: ml_dtypes' loop rounds to float32 first, where a product below float32's range becomes 0,
    which the format (no zero, smallest value 2**-127) cannot hold and takes to NaN (2**-127 * 2**-127 is NaN
    there, while the exact 2**-254 rounds to 2**-127)."""
    with np.errstate(all="ignore"):
        if np.result_type(x, y).name == "float8_e8m0fnu":
            exact = np.multiply(np.asarray(x).astype(np.float64), np.asarray(y).astype(np.float64))
            return exact.astype(np.result_type(x, y))
        out = np.multiply(x, y)
    return recovered_parts(out, x, y)


def recovered_parts(out, x, y):
    """A complex product ``out`` of x and y with each part that is NaN from an overflowed intermediate (no operand
    part NaN) computed without it (:func:`_product_part`); other results as they are."""
    if np.asarray(out).dtype.kind != "c":
        return out
    ar, ai, br, bi = (np.broadcast_to(p, np.shape(out)) for p in _parts(x) + _parts(y))
    given = ~(np.isnan(ar) | np.isnan(ai) | np.isnan(br) | np.isnan(bi))
    fix = given & (np.isnan(np.real(out)) | np.isnan(np.imag(out)))
    if not fix.any():
        return out
    out = np.array(out)
    wide = [np.asarray(a, dtype=np.float64) for a in (ar, ai, br, bi)]
    re = _product_part(wide[0], wide[2], wide[1], wide[3], -1.0)
    im = _product_part(wide[0], wide[3], wide[1], wide[2], 1.0)
    part = out.real.dtype
    with np.errstate(all="ignore"):
        out.real = np.where(fix, re.astype(part), out.real)
        out.imag = np.where(fix, im.astype(part), out.imag)
    return out


def add_torch(x, y, alpha=1, *, round_product=False):
    """torch.add: ``x + alpha * y`` in torch's result dtype; ``alpha`` is cast to it (a bool for bool tensors,
    wrapped for unsigned ones) and, for complex results, multiplies ``y`` as a complex number even when it is 1.
    A floating result is ``x + alpha * y`` rounded once (the product's own rounding is the tolerance's business,
    and its overflow on some kernel paths the alpha-product records'); ``round_product``: rounded to the result
    dtype first, as torch does for a Python number ``y``."""
    dt = torch_result_type(x, y)
    x, y = _cast_all(dt, (x, y))
    if dt == np.bool_:
        return np.logical_or(x, np.logical_and(y, bool(alpha)))
    if dt.kind == "c":
        return np.add(x, complex_mul(np.asarray(complex(alpha)).astype(dt), y))
    if alpha == 1 and not isinstance(alpha, float):
        return np.add(x, y)
    with np.errstate(all="ignore"):
        if dt.kind in "fV" and not round_product:
            wide = np.longdouble if dt == np.float64 else np.float64
            return (x.astype(wide) + y.astype(wide) * wide(np.asarray(alpha).astype(dt))).astype(dt)
        return np.add(x, np.multiply(y, np.asarray(alpha).astype(dt))).astype(dt)


def sub_torch(x, y, alpha=1, *, round_product=False):
    """torch.sub: ``add(x, y, alpha=-alpha)``."""
    return add_torch(x, y, -alpha, round_product=round_product)


def add_number_torch(x, y, alpha=1):
    """torch.add with a Python number ``y``: the number converted to the result dtype, times alpha, rounded again
    before the addition."""
    return add_torch(x, y, alpha, round_product=True)


def sub_number_torch(x, y, alpha=1):
    """torch.sub with a Python number ``y``: as :func:`add_number_torch`."""
    return add_torch(x, y, -alpha, round_product=True)


def mul_torch(x, y):
    """torch.mul; with a float16 or bfloat16 result and a second operand the kernel takes as a scalar (one
    element, or broadcast from one: :func:`kernel_scalar`), that operand is used as a scalar: converted to float32
    directly (not rounded to the result dtype first, as the first operand is), the product taken in float32."""
    dt = torch_result_type(x, y)
    if (dt == np.float16 or _is_bf16(dt)) and kernel_scalar(y, dt):
        with np.errstate(all="ignore"):
            xs = np.asarray(x).astype(dt)
            one = np.asarray(y).reshape(-1)[:1].reshape(np.ones(np.ndim(y), dtype=int)) if np.size(y) else y
            prod = np.multiply(xs.astype(np.float32), np.asarray(one).astype(np.float32))
            return _scalar_like(prod.astype(dt), x, y)
    x, y = _cast_all(dt, (x, y))
    if dt.kind != "c":
        return multiply(x, y)
    # each product rounded on its own (the sign of an underflowed part: -0 + 0 is +0), except that a part the
    # naive evaluation gives as an infinity or NaN from an overflowed intermediate is the exact one: torch's
    # scalar loop overflows there ((M + Mj)(1 - 2j) has the imaginary part -M, its loop -inf), its vectorized
    # one not; the tolerance accepts a non-finite value where the magnitude may overflow
    naive, exact = complex_mul(x, y), complex_mul_exact(x, y)
    with np.errstate(all="ignore"):
        re = np.where(np.isfinite(naive.real), naive.real, exact.real)
        im = np.where(np.isfinite(naive.imag), naive.imag, exact.imag)
    return _complex_from(re, im, naive.dtype)


def complex_mul_exact(x, y):
    """x * y of complex operands, each part ``ar*br - ai*bi``, ``ar*bi + ai*br`` evaluated without an overflowing
    intermediate (:func:`_product_part`) and rounded to the operands' dtype."""
    dt = np.result_type(x, y)
    shape = np.broadcast_shapes(np.shape(x), np.shape(y))
    ar, ai, br, bi = (np.asarray(np.broadcast_to(p, shape), dtype=np.float64) for p in _parts(x) + _parts(y))
    with np.errstate(all="ignore"):
        re = _product_part(ar, br, ai, bi, -1.0)
        im = _product_part(ar, bi, ai, br, 1.0)
        return _complex_from(re, im, dt)


def mul_scalar_in_float32(x, y):
    """torch.mul of a tensor and a Python number with a float16 / bfloat16 / float32 result: the number converted
    to float32 (the computation type), the product taken in float32 and rounded to the result dtype (a bool or
    integer tensor's result is float32)."""
    x = np.asarray(x)
    dt = torch_result_type(x, y)
    with np.errstate(all="ignore"):
        return np.multiply(x.astype(np.float32), np.asarray(float(y)).astype(np.float32)).astype(dt)


def div_torch(x, y, rounding_mode=None):
    """torch.div: true division of integers happens in the default dtype, float32. As for mul, a divisor of a
    float16 or bfloat16 division (any rounding mode) that the kernel takes as a scalar (one element, or broadcast
    from one: :func:`kernel_scalar`) is used as a scalar: converted to float32 directly (not rounded to the
    result dtype first), the quotient taken (truncated, floored) in float32."""
    dt = torch_result_type(x, y)
    if rounding_mode is None:
        dt = _to_float32_if_integral(dt)
    if (dt == np.float16 or _is_bf16(dt)) and kernel_scalar(y, dt):
        with np.errstate(all="ignore"):
            xs = np.asarray(x).astype(dt)
            one = _scalar_value(y) if np.size(y) == 1 else np.asarray(y).reshape(-1)[0]
            xf, yf = xs.astype(np.float32), np.asarray(one).astype(np.float32)
            if rounding_mode == "floor":
                return _scalar_like(np.floor_divide(xf, yf).astype(dt), x, y)
            quo = np.divide(xf, yf)
            return _scalar_like((quo if rounding_mode is None else np.trunc(quo)).astype(dt), x, y)
    if (dt == np.float16 or _is_bf16(dt)) and rounding_mode == "floor":
        # a tensor divisor: the tensor-tensor path floors in the result dtype (div-floor-reduced-float-in-result-
        # dtype, a recorded bug), whatever the operands' own dtypes were before they were cast to it
        return div_floor_in_result_dtype(x, y)
    x, y = _cast_all(dt, (x, y))
    return div(x, y, rounding_mode)


def div_floor_in_result_dtype(x, y, rounding_mode="floor"):
    """Floor division of float16 / bfloat16 tensors as torch's tensor-tensor CPU path computes it (a recorded bug,
    pytorch/pytorch#193754): Python's algorithm, (x - fmod(x, y)) / y with its fix-ups (x / y for a zero divisor),
    every step rounded to the result dtype instead of taken in float32."""
    dt = torch_result_type(x, y)
    x, y = _cast_all(dt, (x, y))
    one, half = np.asarray(1).astype(dt), np.asarray(0.5).astype(dt)
    with np.errstate(all="ignore"):
        mod = np.fmod(x, y).astype(dt)
        div = np.asarray((x - mod).astype(dt) / y).astype(dt)
        div = np.where((mod != 0) & ((y < 0) != (mod < 0)), (div - one).astype(dt), div).astype(dt)
        floor = np.floor(div).astype(dt)
        floor = np.where((div - floor).astype(dt) > half, (floor + one).astype(dt), floor).astype(dt)
        zero = np.copysign(np.zeros((), dtype=np.float64), np.asarray(x / y).astype(np.float64)).astype(dt)
        found = np.where(div != 0, floor, zero).astype(dt)
        return np.where(y == 0, np.asarray(x / y).astype(dt), found).astype(dt)  # a zero divisor: IEEE x / y


def floor_divide_torch(x, y):
    """torch.floor_divide: div_torch with rounding_mode='floor' (a divisor of a float16 or bfloat16 result that
    the kernel takes as a scalar is a float32 one)."""
    dt = torch_result_type(x, y)
    if dt == np.float16 or _is_bf16(dt):
        return div_torch(x, y, "floor")  # the float32 scalar path, or the reduced-float tensor path
    x, y = _cast_all(dt, (x, y))
    return np.floor_divide(x, y)


def remainder_torch(x, y):
    """torch.remainder: Python's modulus, except that a zero result keeps the sign of the dividend (fmod's)."""
    dt = torch_result_type(x, y)
    x, y = _cast_all(dt, (x, y))
    r = np.remainder(x, y)
    if _category(dt) != 2:
        return r
    return np.where(np.equal(r, 0), np.copysign(r, x), r).astype(r.dtype)


def fmod_torch(x, y):
    x, y = _cast_all(torch_result_type(x, y), (x, y))
    return np.fmod(x, y)


def maximum_torch(x, y):
    """torch.maximum: NaN propagates; between equal operands (+0.0 and -0.0) the first one is returned (by the
    scalar kernel: the vectorized one returns the second)."""
    x, y = _cast_all(torch_result_type(x, y), (x, y))
    return np.where(np.equal(x, y), x, np.maximum(x, y))


def minimum_torch(x, y):
    """torch.minimum: NaN propagates; between equal operands (+0.0 and -0.0) the first one is returned (by the
    scalar kernel: the vectorized one returns the second)."""
    x, y = _cast_all(torch_result_type(x, y), (x, y))
    return np.where(np.equal(x, y), x, np.minimum(x, y))


def elementwise_power(x, y):
    """np.power(x, y) with every element computed by NumPy's elementwise loop: for an array exponent both operands
    are broadcast into fresh (at least 1-d) arrays first. NumPy's float loop takes an exponent of inner-loop stride
    0 (a one-element or 0-d exponent array, broadcast) equal to 0.5 as sqrt, and gives sqrt's -0.0 and NaN for
    -0.0 and -inf where the same exponent as a full array gives pow's +0.0 and +inf
    (https://github.com/numpy/numpy/issues/21213): a result must not depend on the exponent's memory layout, so
    the reference takes the elementwise one. A scalar exponent (a Python number or a NumPy scalar) keeps NumPy's
    documented x ** 0.5 == sqrt(x)."""
    if not isinstance(y, np.ndarray):
        return np.power(x, y)
    shape = np.broadcast_shapes(np.shape(x), y.shape)
    xs, ys = (np.array(np.broadcast_to(v, shape), ndmin=1) for v in (np.asarray(x), y))
    return np.power(xs, ys).reshape(shape)


def pow_zero_exponent(x, y):
    """torch.pow(x, 0): ones of x's dtype, whatever x (torch answers without computing)."""
    return np.ones(np.shape(x), dtype=np.asarray(x).dtype)

def pow_torch(x, y):
    """torch.pow in torch's result dtype; an integer to a negative integer power is 1 for base 1, +-1 for base
    -1 and 0 otherwise (integer division of 1 by the power, rounded toward zero). A complex zero base follows
    exp(y * log(0)): see :func:`complex_zero_base_power`."""
    dt = torch_result_type(x, y)
    number = not isinstance(y, np.ndarray)
    x, y = _cast_all(dt, (x, y))
    if dt.kind == "c":
        return complex_zero_base_power(x, y, number)
    if dt.kind not in "iu":
        return elementwise_power(x, y)
    neg = np.less(y, 0)
    with np.errstate(all="ignore"):
        pos = np.power(x, np.where(neg, 0, y).astype(dt))
    odd = np.not_equal(np.remainder(y, 2), 0)
    small = np.where(np.equal(x, 1), 1, np.where(np.equal(x, -1), np.where(odd, -1, 1), 0)).astype(dt)
    return np.where(neg, small, pos).astype(dt)


def round_torch(x, decimals=0):
    """torch.round(x, decimals=d) on CPU: rint(x * 10**d) / 10**d (d < 0: rint(x / 10**-d) * 10**-d), computed in
    float32 for float16 and bfloat16 inputs (in the input's dtype otherwise), then rounded to the input's dtype."""
    x = np.asarray(x)
    work = np.float32 if (x.dtype == np.float16 or _is_bf16(x.dtype)) else x.dtype
    with np.errstate(all="ignore"):
        return np.round(x.astype(work), decimals).astype(x.dtype)


def _isnan(v):
    v = np.asarray(v)
    return np.isnan(v) if _category(v.dtype) >= 2 else np.zeros(v.shape, dtype=bool)


def _number_fits(v, dt) -> bool:
    """Whether torch converts the Python number ``v`` to ``dt`` (its checked conversion: a finite value within the
    dtype's range; an unsigned dtype takes negative ints down to -max, wrapping them)."""
    dt = np.dtype(dt)
    if dt == np.bool_ or dt.kind == "c":
        return True
    if dt.kind in "iu":
        if isinstance(v, float) and not math.isfinite(v):
            return False
        info = np.iinfo(dt)
        low = -int(info.max) if info.min == 0 else int(info.min)
        return low <= v <= int(info.max)
    if isinstance(v, float) and not math.isfinite(v):
        return True
    top = 3.3895313892515355e38 if _is_bf16(dt) else float(np.finfo(dt).max)
    return abs(v) <= top


def clamp_torch(x, min=None, max=None):
    """torch.clamp: min(max(x, min), max) where a tie keeps the input (-0.0 clamped at min=0 stays -0.0), and a
    NaN in the input or in a bound gives NaN. A zero-dim tensor bound next to a Python number bound is taken as a
    Python number (the overload for two numbers is the one that matches); with two number bounds, one of them NaN,
    the result is NaN (filled before the bounds are converted); otherwise a number bound out of the result dtype's
    range is refused ('value cannot be converted to type ... without overflow')."""
    for_number = not isinstance(min, np.ndarray) and min is not None or not isinstance(max, np.ndarray) and \
        max is not None
    if for_number:
        if isinstance(min, np.ndarray) and min.ndim == 0:
            min = min.item()
        if isinstance(max, np.ndarray) and max.ndim == 0:
            max = max.item()
    dt = torch_result_type(x, min, max)
    if for_number and min is not None and max is not None and (bool(_isnan(min)) or bool(_isnan(max))):
        # two number bounds, one NaN: the result is filled with NaN before either bound is converted
        with np.errstate(invalid="ignore"):
            return np.full(np.shape(x), np.nan).astype(dt)
    for bound in (min, max):
        if isinstance(bound, (int, float)) and not isinstance(bound, bool) and not _number_fits(bound, dt):
            raise OverflowError(f"value cannot be converted to type {dt} without overflow")
    x, min, max = _cast_all(dt, (x, min, max))
    r = x
    if min is not None:
        r = np.where(_isnan(min) | np.less(r, min), min, r)
    if max is not None:
        r = np.where(_isnan(max) | np.less(max, r), max, r)
    return np.asarray(r).astype(x.dtype)


def where_torch(condition, x, y):
    x, y = _cast_all(torch_result_type(x, y), (x, y))
    return np.where(condition, x, y)


def to_float8_like_torch(values, dt):
    """``values`` converted to the float8 dtype ``dt`` as torch converts: float8_e4m3fn saturates beyond +-448
    (infinities included), float8_e8m0fnu (no sign, no zero) takes the magnitude and zero to 2**-127; other
    formats as ml_dtypes."""
    v = np.asarray(values).astype(np.float64)
    name = np.dtype(dt).name
    with np.errstate(all="ignore"):
        if name == "float8_e4m3fn":
            v = np.where(np.isnan(v), v, np.clip(v, -448.0, 448.0))
        elif name == "float8_e8m0fnu":
            v = np.abs(v)
            v = np.where(v == 0, 2.0 ** -127, v)
        return v.astype(dt)


def mul_torch_float8(x, y):
    """torch.mul with a float8_e4m3fn or float8_e8m0fnu result: every operand converted to it as torch converts
    (to_float8_like_torch), the product taken in float32 and converted back the same way."""
    dt = torch_result_type(x, y)
    x, y = (to_float8_like_torch(_scalar_value(v), dt) for v in (x, y))
    with np.errstate(all="ignore"):
        return to_float8_like_torch(np.multiply(x.astype(np.float32), y.astype(np.float32)), dt)


def where_torch_float8(condition, x, y):
    """torch.where with a float8 result: every operand converted to it as torch converts."""
    dt = torch_result_type(x, y)
    x, y = (to_float8_like_torch(_scalar_value(v), dt) for v in (x, y))
    return np.where(condition, x, y)


def pow_ieee_half(x, y):
    """x ** 0.5 as IEEE 754 pow, in x's dtype: +0 for -0.0 and +inf for -inf (not sqrt's -0.0 and NaN)."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        xf = x.astype(np.float64)
        special = ((xf == 0) | np.isinf(xf)) & np.signbit(xf)
        return np.where(special, np.abs(xf), np.power(xf, y)).astype(x.dtype)


def rsqrt_power(x, y):
    """x ** -0.5 as 1 / sqrt(x), in x's dtype (y is -0.5)."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        return (1.0 / np.sqrt(x.astype(np.float64))).astype(x.dtype)


def in_default_float(fn, x):
    """A float function of an integer or bool tensor, as torch computes it: in the default dtype, float32
    (correctly rounded: evaluated in float64 on the float32 input, then rounded)."""
    return fn(np.asarray(x).astype(np.float32).astype(np.float64)).astype(np.float32)


def sqrt_torch(x):
    return in_default_float(np.sqrt, x)


def exp_torch(x):
    return in_default_float(np.exp, x)


def log_torch(x):
    return in_default_float(np.log, x)


def log1p_torch(x):
    return in_default_float(np.log1p, x)


def sin_torch(x):
    return in_default_float(np.sin, x)


def cos_torch(x):
    return in_default_float(np.cos, x)


def tanh_torch(x):
    return in_default_float(np.tanh, x)


def sigmoid_torch(x):
    return in_default_float(sigmoid, x)


def sign_torch(x):
    """torch.sign: 0 for NaN; a bool tensor is its own sign."""
    x = np.asarray(x)
    if x.dtype == np.bool_:
        return x.copy()
    return np.where(np.isnan(x), np.zeros((), x.dtype), np.sign(x)).astype(x.dtype)


# ---- references and models of the further pointwise ops (catalogue/pointwise_more.py) ----------------------

def _largest_finite(dt):
    """The largest finite value of a floating dtype that has an infinity (IEEE formats, bfloat16 included): the
    bit pattern just below +inf's."""
    dt = np.dtype(dt)
    bits = np.dtype(f"u{dt.itemsize}")
    return (np.array(np.inf, dtype=dt).view(bits) - np.array(1, dtype=bits)).view(dt)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """np.nan_to_num computed in the input's dtype (so that the default replacements are that dtype's largest
    finite values), for every floating dtype (bfloat16 included), on both parts of a complex input; integer and
    bool inputs are returned unchanged."""
    x = np.asarray(x)
    if x.dtype.kind == "c":
        part = np.dtype(f"f{x.dtype.itemsize // 2}")
        out = np.empty(x.shape, dtype=x.dtype)
        out.real = nan_to_num(x.real.astype(part), nan, posinf, neginf)
        out.imag = nan_to_num(x.imag.astype(part), nan, posinf, neginf)
        return out
    if _category(x.dtype) < 2:
        return x.copy()
    big = _largest_finite(x.dtype)
    with np.errstate(all="ignore"):
        hi = big if posinf is None else np.asarray(posinf).astype(x.dtype)
        lo = -big if neginf is None else np.asarray(neginf).astype(x.dtype)
        v = np.where(np.isnan(x), np.asarray(nan).astype(x.dtype), x)
        v = np.where(np.isposinf(x.astype(np.float64)), hi, v)
        v = np.where(np.isneginf(x.astype(np.float64)), lo, v)
    return np.asarray(v).astype(x.dtype)


def acos_torch(x):
    return in_default_float(np.arccos, x)


def acosh_torch(x):
    return in_default_float(np.arccosh, x)


def asin_torch(x):
    return in_default_float(np.arcsin, x)


def asinh_torch(x):
    return in_default_float(np.arcsinh, x)


def atan_torch(x):
    return in_default_float(np.arctan, x)


def atanh_torch(x):
    return in_default_float(np.arctanh, x)


def cosh_torch(x):
    return in_default_float(np.cosh, x)


def sinh_torch(x):
    return in_default_float(np.sinh, x)


def tan_torch(x):
    return in_default_float(np.tan, x)


def exp2_torch(x):
    return in_default_float(np.exp2, x)


def expm1_torch(x):
    return in_default_float(np.expm1, x)


def log10_torch(x):
    return in_default_float(np.log10, x)


def log2_torch(x):
    return in_default_float(np.log2, x)


def deg2rad_torch(x):
    return in_default_float(np.deg2rad, x)


def rad2deg_torch(x):
    return in_default_float(np.rad2deg, x)


def i0_torch(x):
    return in_default_float(np.i0, x)


def sinc_torch(x):
    return in_default_float(np.sinc, x)


def reciprocal_torch(x):
    return in_default_float(np.reciprocal, x)


def angle_torch(x):
    """torch.angle: of an integer or bool tensor in the default dtype, float32; of a real value pi where it is
    negative, 0 where it is not (-0.0 included), NaN for NaN."""
    x = np.asarray(x)
    if x.dtype.kind == "c":
        return np.angle(x)
    dt = np.dtype(np.float32) if _category(x.dtype) < 2 else x.dtype
    v = x.astype(np.float64)
    with np.errstate(all="ignore"):
        return np.where(np.isnan(v), v, np.where(v < 0, np.pi, 0.0)).astype(dt)


def square_torch(x):
    """torch.square of a bool tensor: pow(x, 2) in int64, the dtype a bool tensor with a Python int gets."""
    return np.square(np.asarray(x).astype(np.int64))


def conj_torch(x):
    """torch.conj of a non-complex tensor is the tensor itself (bool stays bool)."""
    return np.asarray(x).copy()


def _binary_float(fn, x, y):
    """A binary float function as torch computes it: both operands cast to torch's result dtype, the default
    dtype (float32) where that is an integer or bool dtype."""
    dt = _to_float32_if_integral(torch_result_type(x, y))
    x, y = _cast_all(dt, (x, y))
    return fn(x.astype(np.complex128 if dt.kind == "c" else np.float64),
              y.astype(np.complex128 if dt.kind == "c" else np.float64)).astype(dt)


def atan2_torch(x, y):
    return _binary_float(np.arctan2, x, y)


def copysign_torch(x, y):
    return _binary_float(np.copysign, x, y)


def hypot_torch(x, y):
    return _binary_float(np.hypot, x, y)


def logaddexp_torch(x, y):
    return _binary_float(logaddexp, x, y)


def logaddexp2_torch(x, y):
    return _binary_float(np.logaddexp2, x, y)


def logaddexp(x, y):
    """log(exp(x) + exp(y)); for complex operands (which np.logaddexp refuses) computed as
    max + log1p(exp(min - max)) with the operands ordered by real part (the formula torch documents); where both
    real parts are the same infinity (min - max is NaN there) as torch's kernel takes them: -inf gives the
    operand taken as min (the second on a tie: exp of it is 0 whatever its phase), +inf log(exp(x) + exp(y))."""
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind != "c" and y.dtype.kind != "c":
        return np.logaddexp(x, y)
    with np.errstate(all="ignore"):
        x, y = np.broadcast_arrays(x.astype(np.complex128), y.astype(np.complex128))
        hi = np.where(x.real >= y.real, x, y)
        lo = np.where(x.real >= y.real, y, x)
        out = hi + np.log1p(np.exp(lo - hi))
        tie = np.isinf(hi.real) & (hi.real == lo.real)
        out = np.where(tie & (hi.real < 0), lo, out)
        return np.where(tie & (hi.real > 0), np.log(np.exp(lo) + np.exp(hi)), out)


def ldexp_torch(x, other):
    """torch.ldexp on CPU. A float16, bfloat16, float32 or float64 input with an integer exponent tensor is scaled
    exactly, std::ldexp(double(x), int(other)) in the input's dtype (the exponent converted to a C int: an int64
    wraps modulo 2**32). Otherwise torch computes the product input * 2 ** other: the power is pow(2.0, other) for
    an integer, bool or float32 input, a zero-dim tensor of 2.0 in the input's dtype to the power other for the
    others (each with torch's promotion), then multiplied by the input as torch.mul multiplies (mul_torch: a
    one-element power beside a float16 input is a float32 scalar, so 0 * 2**53.75 is 0 where 2**53.75 is
    infinite in float16). Raises TypeError where torch raises (float8
    operands, dtypes torch does not promote, a complex32 power, a bool or wide unsigned exponent of the exact
    kernel)."""
    x, other = np.asarray(x), np.asarray(other)
    if _is_float8(x.dtype) or _is_float8(other.dtype):
        raise TypeError("torch.ldexp has no float8 kernel")
    with np.errstate(all="ignore"):
        if _category(x.dtype) == 2 and _category(other.dtype) < 2:
            if other.dtype == np.bool_ or _is_wide_unsigned(other.dtype):
                raise TypeError(f"ldexp_cpu_exp not implemented for {other.dtype.name}")
            n = other.astype(np.int64).astype(np.int32)
            return np.asarray(np.ldexp(x.astype(np.float64), n)).astype(x.dtype)
        base = 2.0 if _category(x.dtype) < 2 or x.dtype == np.float32 else np.full((), 2.0, dtype=x.dtype)
        if torch_gives_complex32(base, other):
            raise TypeError("pow not implemented for complex32")
        pdt = torch_result_type(base, other)
        wide = np.complex128 if pdt.kind == "c" else np.float64
        exact = np.asarray(np.exp2(other.astype(wide)))
        power = exact.astype(pdt)
        dt = torch_result_type(x, power)
        if dt.kind != "c":
            # torch's mul: a one-element power beside a float16 / bfloat16 input is a scalar, taken in float32
            return np.asarray(mul_torch(x, power))
        wide = np.complex128
        xw = x.astype(dt).astype(wide)
        out = np.asarray(np.multiply(xw, power.astype(dt).astype(wide)))
        if pdt.kind == "c":
            # a complex power beyond pdt's range: torch's factor is infinite and its product's parts non-finite
            # in an order-dependent pattern; the exact product stands there (the bound accepts a non-finite value)
            out = np.where(~np.isfinite(power) & np.isfinite(exact), xw * exact.astype(wide), out)
        return np.asarray(out).astype(dt)


def heaviside_torch(x, values):
    """torch.heaviside of two tensors of one dtype, in that dtype: 0 where x < 0, values where x == 0, 1 where
    x > 0, NaN where x is NaN."""
    x, values = np.asarray(x), np.asarray(values)
    dt = x.dtype
    with np.errstate(all="ignore"):
        v = x.astype(np.float64)
        out = np.where(v == 0, values.astype(np.float64), (v > 0).astype(np.float64))
        out = np.where(np.isnan(v), v, out)
    return out.astype(dt)


def int_binary_torch(fn, x, y):
    """An integer op as torch computes it: both operands cast to torch's result dtype first (a Python int out of
    its range wraps around)."""
    x, y = _cast_all(torch_result_type(x, y), (x, y))
    return fn(x, y)


def gcd_torch(x, y):
    return int_binary_torch(np.gcd, x, y)


def lcm_torch(x, y):
    return int_binary_torch(np.lcm, x, y)


def bitwise_and_torch(x, y):
    return int_binary_torch(np.bitwise_and, x, y)


def bitwise_or_torch(x, y):
    return int_binary_torch(np.bitwise_or, x, y)


def bitwise_xor_torch(x, y):
    return int_binary_torch(np.bitwise_xor, x, y)


def left_shift_torch(x, y):
    return int_binary_torch(np.left_shift, x, y)


def right_shift_torch(x, y):
    return int_binary_torch(np.right_shift, x, y)


def logical_and_torch(x, y):
    return int_binary_torch(np.logical_and, x, y)


def logical_or_torch(x, y):
    return int_binary_torch(np.logical_or, x, y)


def logical_xor_torch(x, y):
    return int_binary_torch(np.logical_xor, x, y)


def nextafter_torch(x, y):
    return int_binary_torch(np.nextafter, x, y)


def complex_zero_base_power(x, y, number=False):
    """x ** y for complex x and y, where a zero base gives what exp(y * log(0)) gives: inf+nanj for an exponent of
    negative real part, nan+nanj for an exponent tensor of 0 (a Python number exponent 0 gives 1); NumPy's power
    everywhere else."""
    x, y = np.asarray(x), np.asarray(y)
    with np.errstate(all="ignore"):
        out = np.asarray(power(x, y))
        zero = np.broadcast_to(x == 0, out.shape)
        yb = np.broadcast_to(y, out.shape)
        inf_nan = np.asarray(complex(np.inf, np.nan)).astype(out.dtype)
        nan_nan = np.asarray(complex(np.nan, np.nan)).astype(out.dtype)
        out = np.where(zero & (yb.real < 0), inf_nan, out)
        if not number:
            out = np.where(zero & (yb == 0), nan_nan, out)
    return out.astype(out.dtype)


def float_power_torch(x, y):
    """torch.float_power: both operands converted to float64, or complex128 where either is complex (a NumPy bool
    or complex64 scalar taken as a Python float, the complex64's real part), and raised to the power there; a zero
    complex base follows exp(y * log(0)) (see complex_zero_base_power)."""
    number = not isinstance(y, np.ndarray)
    x, y = _scalar_value(x), _scalar_value(y)
    dt = np.complex128 if np.iscomplexobj(x) or np.iscomplexobj(y) else np.float64
    with np.errstate(all="ignore"):
        x, y = np.asarray(x).astype(dt), np.asarray(y).astype(dt)
        if dt == np.complex128:
            return complex_zero_base_power(x, y, number)
        return np.power(x, y)


def pow_complex_zero_base(x, y):
    """pow of operands whose result dtype is complex, with torch's zero-base values (NumPy's dtype)."""
    number = not isinstance(y, np.ndarray)
    dt = np.result_type(x, y)
    return complex_zero_base_power(np.asarray(x).astype(dt), np.asarray(y).astype(dt), number)


def power(x, y):
    """np.power; for a complex result evaluated in the widest complex type (np.clongdouble) and rounded to NumPy's
    result dtype: NumPy's integer powers multiply repeatedly, so a negative integer power of a complex number of
    large modulus overflows an intermediate (x**3 before 1 / x**3) and gives NaN where x**y is representable.
    Where even np.clongdouble's intermediates overflow (x ** -57 of a modulus of 1e164) and give NaN for finite
    nonzero operands, x ** y is exp(y log x), evaluated in np.clongdouble (0 there)."""
    dt = np.result_type(x, y)
    if dt.kind != "c":
        return elementwise_power(x, y)
    wide = np.clongdouble
    with np.errstate(all="ignore"):
        yw = np.asarray(y).astype(wide) if isinstance(y, np.ndarray) else wide(y)
        xw = np.asarray(x).astype(wide)
        out = np.asarray(np.power(xw, yw))
        lost = np.isnan(out) & np.isfinite(xw) & np.isfinite(yw) & (xw != 0)
        if np.any(lost):
            out = np.where(lost, np.exp(np.asarray(yw) * np.log(xw)), out)
        return np.asarray(out).astype(dt)


def float_power_sqrt(x, y):
    """torch.float_power with a Python exponent of 0.5 or -0.5, as torch computes it: sqrt(x) or 1 / sqrt(x) in
    float64 (sqrt(-0.0) is -0.0, sqrt(-inf) NaN)."""
    with np.errstate(all="ignore"):
        root = np.sqrt(np.asarray(_scalar_value(x)).astype(np.float64))
        return root if y > 0 else 1.0 / root


def float_power(x, y):
    """np.float_power; for a complex result evaluated as :func:`power` evaluates one (in np.clongdouble, rounded to
    complex128, exp(y log x) where even its intermediates overflow): np.float_power's integer powers multiply
    repeatedly too."""
    if not (np.iscomplexobj(x) or np.iscomplexobj(y)):
        return np.float_power(x, y)
    with np.errstate(all="ignore"):
        xc = np.asarray(x).astype(np.complex128)
        yc = np.asarray(y).astype(np.complex128) if isinstance(y, np.ndarray) else complex(y)
        return np.asarray(power(xc, yc))


def lcm_wrapped_abs(x, y):
    """np.lcm's wrapped value made non-negative (the absolute value wraps too: INT_MIN stays INT_MIN), as torch
    computes abs(a / gcd * b) after the product wraps."""
    v = np.asarray(np.lcm(x, y))
    with np.errstate(all="ignore"):
        return np.abs(v).astype(v.dtype)


# torch models whose kernel path depends on an operand's strides (kernel_scalar): given the operands in their
# layouts' strides
for _model in (mul_torch, div_torch, floor_divide_torch):
    _model.reads_strides = True
