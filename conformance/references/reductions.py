"""NumPy references of the reductions, with torch's argument names (``dim``, ``keepdim``, ``dtype``,
``correction``), and NumPy implementations of torch's documented behaviour where it differs (the ``*_torch``
functions, used by the catalogue's divergence records).

The ``dtype=`` argument arrives as a ``torch.dtype`` (the same object torch receives); :func:`np_dtype` reads its
name (``torch.float64`` -> ``float64``) without calling torch. Like torch, the references cast the input to
``dtype`` first; they then compute in float64/complex128 and round the result to ``dtype``, so the reference
itself adds no error of the narrower type.

Only ``numpy`` and ``math`` are used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import warnings

import numpy as np


def np_dtype(dtype):
    """The NumPy dtype named like a ``torch.dtype`` (or None)."""
    if dtype is None:
        return None
    return np.dtype(str(dtype).rpartition(".")[2])


def _wide(x):
    """``x`` in float64 / complex128 when it is floating / complex (exact), unchanged otherwise."""
    if x.dtype.kind == "c":
        return x.astype(np.complex128)
    if x.dtype.kind == "f":
        return x.astype(np.float64)
    return x


def _with_dtype(fn, x, dtype, axis, keepdim):
    dt = np_dtype(dtype)
    return np.asarray(fn(_wide(x.astype(dt)), axis=axis, keepdims=keepdim)).astype(dt)


# ---- NumPy semantics (what torch is compared with) ------------------------------------------------------

def sum_ref(x, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        return _with_dtype(np.sum, x, dtype, dim, keepdim)
    return np.sum(x, axis=dim, keepdims=keepdim)


def prod_ref(x, dim=None, keepdim=False, dtype=None):
    """The product over ``dim``, without the intermediate overflow or underflow of float64's own running product
    (:func:`_prod_full_range`): the exact product, rounded as NumPy rounds it."""
    if dtype is not None:
        return _with_dtype(_prod_full_range, x, dtype, dim, keepdim)
    return _prod_full_range(x, axis=dim, keepdims=keepdim)


def _prod_full_range(x, axis=None, keepdims=False):
    """``np.prod`` of a real floating array whose partial products may leave float64's range while the product
    does not (1e300 * 1e300 * 1e-300 * 1e-300 is 1, where float64's running product is inf): the last running
    product of :func:`_cumprod_full_range`."""
    x = np.asarray(x)
    if (x.dtype.kind != "f" or x.size == 0 or x.ndim == 0 or isinstance(axis, tuple)
            or (axis is not None and not -x.ndim <= axis < x.ndim)):
        return np.prod(x, axis=axis, keepdims=keepdims)  # NumPy's own answer (or its AxisError)
    if axis is None:
        last = _cumprod_full_range(x.reshape(-1), 0)[-1]
        return np.asarray(last).reshape((1,) * x.ndim) if keepdims else last
    running = _cumprod_full_range(x, axis % x.ndim)
    return np.take(running, [-1] if keepdims else -1, axis=axis % x.ndim)


def mean_ref(x, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        return _with_dtype(np.mean, x, dtype, dim, keepdim)
    return np.mean(x, axis=dim, keepdims=keepdim)


def nansum_ref(x, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        return _with_dtype(np.nansum, x, dtype, dim, keepdim)
    return np.nansum(x, axis=dim, keepdims=keepdim)


def nanmean_ref(x, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        return _with_dtype(np.nanmean, x, dtype, dim, keepdim)
    return np.nanmean(x, axis=dim, keepdims=keepdim)


def var_ref(x, dim=None, correction=None, keepdim=False):
    """``np.var`` with ``ddof=correction``; NumPy's default is ``ddof=0``. Computed without intermediate
    overflow (:func:`_shifted_var`)."""
    return _shifted_var(x, dim, 0 if correction is None else correction, keepdim)


def std_ref(x, dim=None, correction=None, keepdim=False):
    """``np.std``: the square root of :func:`var_ref`, taken before the scale comes back (a standard deviation of
    1e200 is no overflow)."""
    return _shifted_var(x, dim, 0 if correction is None else correction, keepdim, root=True)


def first_along(x, axis):
    """The first element of each slice along ``axis`` (None: all dims; an int or a tuple), broadcastable to x."""
    if x.ndim == 0:
        return x
    axes = tuple(range(x.ndim)) if axis is None else tuple(d % x.ndim for d in np.atleast_1d(axis))
    return x[tuple(slice(0, 1) if d in axes else slice(None) for d in range(x.ndim))]

def _shifted_var(x, axis, ddof, keepdims, root=False):
    """``np.var(x, axis, ddof=ddof, keepdims=keepdims)``, the variance being shift-invariant: of ``x - x_0`` (x_0
    the first element of each slice, so that equal values give exactly 0), scaled by a power of two so that no
    square overflows. np.var itself squares deviations from a rounded mean: five copies of 8.3e270 give inf
    there (the mean's rounding error, squared, overflows), a limitation of its implementation, not a semantic;
    where no variance is defined (too few elements, a non-finite value in the slice) it is np.var's own answer.
    A slice with a value of magnitude 2**1021 or more is divided by 8 first (exact, but for subnormals far below
    its spread), so that ``x - x_0`` and the scale of the deviations stay in float64's range (complex moduli
    included: below ``2 sqrt(2) max / 8 < 2**1023``)."""
    x = np.asarray(x)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = np.asarray((np.std if root else np.var)(x, axis=axis, ddof=ddof, keepdims=keepdims))
        if x.size == 0 or x.dtype.kind not in "fc":
            return plain[()] if plain.ndim == 0 else plain
        axes = tuple(range(x.ndim)) if axis is None else tuple(a % max(x.ndim, 1) for a in np.atleast_1d(axis))
        if x.ndim == 0 or int(np.prod([x.shape[a] for a in axes])) - ddof <= 0:
            return plain[()] if plain.ndim == 0 else plain
        finite = np.all(np.isfinite(x), axis=axes, keepdims=True)
        pre = np.where(np.max(np.abs(np.where(finite, x, 0)), axis=axes, keepdims=True) < 2.0 ** 1021, 1.0, 8.0)
        x = np.where(finite, x, 0) / pre
        d = x - first_along(x, axes)
        big = np.max(np.abs(d), axis=axes, keepdims=True)
        e = np.frexp(np.where(big > 0, big, 1.0))[1]
        scale = np.exp2(e.astype(np.float64))
        # by parts, exactly: a complex division by a subnormal scale overflows inside NumPy's algorithm
        scaled = (np.ldexp(d.real, -e) + 1j * np.ldexp(d.imag, -e)) if d.dtype.kind == "c" else np.ldexp(d, -e)
        v = (np.std if root else np.var)(scaled, axis=axes, ddof=ddof, keepdims=True)
        # v * scale * scale: scale ** 2 alone may overflow (2 ** 1024) where the variance does not
        out = np.where(np.isfinite(v), v * scale * pre if root else v * scale * scale * pre * pre, v)
        if not keepdims:
            out = np.squeeze(out, axis=axes)
            finite = np.squeeze(finite, axis=axes)
        out = np.where(finite, out, plain)
        return np.asarray(out).astype(plain.dtype)[()] if np.ndim(out) == 0 else np.asarray(out).astype(plain.dtype)


def max_ref(x):
    return np.max(x)


def min_ref(x):
    return np.min(x)


def max_dim_ref(x, dim, keepdim=False):
    """(values, indices): the maximum and the index of its first occurrence (of the first NaN, if any)."""
    return np.max(x, axis=dim, keepdims=keepdim), np.argmax(x, axis=dim, keepdims=keepdim)


def min_dim_ref(x, dim, keepdim=False):
    return np.min(x, axis=dim, keepdims=keepdim), np.argmin(x, axis=dim, keepdims=keepdim)


def amax_ref(x, dim=None, keepdim=False):
    return np.max(x, axis=dim, keepdims=keepdim)


def amin_ref(x, dim=None, keepdim=False):
    return np.min(x, axis=dim, keepdims=keepdim)


def argmax_ref(x, dim=None, keepdim=False):
    return np.argmax(x, axis=dim, keepdims=keepdim)


def argmin_ref(x, dim=None, keepdim=False):
    return np.argmin(x, axis=dim, keepdims=keepdim)


def all_ref(x, dim=None, keepdim=False):
    return np.all(x, axis=dim, keepdims=keepdim)


def any_ref(x, dim=None, keepdim=False):
    return np.any(x, axis=dim, keepdims=keepdim)


def cumsum_ref(x, dim, dtype=None):
    if dtype is not None:
        dt = np_dtype(dtype)
        return np.cumsum(_wide(x.astype(dt)), axis=dim).astype(dt)
    return np.cumsum(x, axis=dim)


#: factors whose significands (in [0.5, 1)) are multiplied before the running product is renormalised: their
#: product stays above 2**-512, far from float64's underflow
_RENORMALISE_EVERY = 512


def _cumprod_full_range(x, axis):
    """``np.cumprod`` of a real floating array with the same roundings but no intermediate overflow or underflow:
    the running product keeps its exponent apart (a bfloat16 row may climb past 2**1024 and come back into range,
    where float64's own running product stays inf). Significands and exponents multiply separately (scaling by
    powers of two is exact); only the result is scaled back, rounded as the true product is."""
    if x.dtype.kind != "f" or x.ndim == 0 or x.shape[axis] <= 1:
        return np.cumprod(x, axis=axis)
    mant, expo = np.frexp(np.moveaxis(x, axis, -1))
    out_m, out_e = np.empty_like(mant), np.empty(mant.shape, dtype=np.int64)
    carry_m, carry_e = np.ones(mant.shape[:-1], dtype=x.dtype), np.zeros(mant.shape[:-1], dtype=np.int64)
    with np.errstate(all="ignore"):
        for start in range(0, mant.shape[-1], _RENORMALISE_EVERY):
            block = slice(start, start + _RENORMALISE_EVERY)
            factors = mant[..., block].copy()
            factors[..., 0] *= carry_m  # the running product times the next factor: NumPy's order of roundings
            m = np.cumprod(factors, axis=-1)
            e = np.cumsum(expo[..., block], axis=-1, dtype=np.int64) + carry_e[..., None]
            out_m[..., block], out_e[..., block] = m, e
            last_m, last_e = np.frexp(m[..., -1])
            carry_m, carry_e = last_m, e[..., -1] + last_e
        # ldexp of an exponent beyond the int range of ldexp: clip (the result is 0 or inf either way)
        out = np.ldexp(out_m, np.clip(out_e, -100000, 100000).astype(np.int32))
    return np.moveaxis(out, -1, axis)


def cumprod_ref(x, dim, dtype=None):
    if dtype is not None:
        dt = np_dtype(dtype)
        return _cumprod_full_range(_wide(x.astype(dt)), dim).astype(dt)
    return _cumprod_full_range(x, dim)


def logsumexp_ref(x, dim=None, keepdim=False):
    """``log(sum(exp(x)))`` over ``dim`` with the maximum subtracted first (so large inputs do not overflow),
    as ``scipy.special.logsumexp``: integer and bool inputs give float64; an empty reduction gives -inf, a row
    of -inf gives -inf, a +inf gives +inf, a NaN gives NaN; for complex inputs, the principal value of the
    logarithm (the shift is the largest real part)."""
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    # the shift is real (the largest real part, for complex inputs): log of the sum is then the principal value
    m = np.max(x.real, axis=dim, keepdims=True, initial=-np.inf)
    shift = np.where(np.isfinite(m), m, np.zeros_like(m))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = np.sum(np.exp(x - shift), axis=dim, keepdims=keepdim)
        return np.asarray(np.log(s) + np.max(shift, axis=dim, keepdims=keepdim)).astype(x.dtype)


def median_ref(x):
    return np.median(x)


def median_dim_ref(x, dim, keepdim=False):
    """(values, values at the returned indices): NumPy's median, twice (torch's indices must point at it)."""
    m = np.median(x, axis=dim, keepdims=keepdim)
    return m, m


def _pnorm(a, ord, axis, keepdims):
    """The ord-norm of the magnitudes ``a`` (float64, >= 0, NaN and inf allowed) along ``axis``, scaled by the
    largest (ord > 0) or smallest nonzero (ord < 0) magnitude so that no power overflows or underflows."""
    if ord == np.inf:
        return np.max(a, axis=axis, keepdims=keepdims, initial=0.0)
    if ord == -np.inf:
        return np.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return np.sum(a != 0, axis=axis, keepdims=keepdims).astype(a.dtype)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if ord > 0:
            scale = np.max(a, axis=axis, keepdims=True, initial=0.0)
        else:
            scale = np.min(np.where(a > 0, a, np.inf), axis=axis, keepdims=True, initial=np.inf)
        scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
        r = scale * np.sum((a / scale) ** ord, axis=axis, keepdims=True) ** (1.0 / ord)
    return np.sum(r, axis=axis, keepdims=keepdims)  # over size-1 axes: drops them unless keepdims


def vector_norm_ref(x, ord=2, dim=None, keepdim=False, dtype=None):
    """``np.linalg.vector_norm``, computed without intermediate overflow (NumPy's own ``sqrt(dot(x, x))``
    overflows for |x| above 1e154 in float64, a limitation of its implementation, not a semantic)."""
    if dtype is not None:
        x = x.astype(np_dtype(dtype))
    a = np.abs(x)
    out = _pnorm(a.astype(np.float64), ord, dim, keepdim)
    return np.asarray(out).astype(a.dtype if a.dtype.kind == "f" else np.float64)


def norm_ref(x, p="fro", dim=None, keepdim=False):
    """``np.linalg.norm``: a vector norm over one axis, a matrix norm over two (``ord`` 1 and inf are then the
    maximum column and row sums, 2 the largest singular value; 'fro' only over two), and with ``axis=None``
    the input must be 1-D or 2-D. Vector and Frobenius norms are computed without intermediate overflow."""
    if dim is None:
        if x.ndim not in (1, 2):
            raise ValueError("Improper number of dimensions to norm.")
        dim = tuple(range(x.ndim))
    axes = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(axes) == 1:
        if p == "fro":
            raise ValueError("Invalid norm order 'fro' for vectors")
        return vector_norm_ref(x, p, axes, keepdim)
    if len(axes) == 2:
        if p == "fro":
            return vector_norm_ref(x, 2, axes, keepdim)
        return np.linalg.norm(x, ord=p, axis=axes, keepdims=keepdim)
    raise ValueError("Improper number of dimensions to norm.")


def count_nonzero_ref(x, dim=None):
    return np.count_nonzero(x, axis=dim)


# ---- torch's documented behaviour, where it differs ------------------------------------------------------

def torch_dim(x, dim):
    """The dims torch reduces: all of them for ``None`` and for the empty tuple, and for a 0-d input ``0``,
    ``-1``, ``(0,)`` or ``(-1,)`` (torch treats a 0-d input as having one dim of size 1)."""
    if dim is None or dim == ():
        return None
    if x.ndim == 0:
        for d in (dim if isinstance(dim, tuple) else (dim,)):
            if d not in (0, -1):
                raise IndexError(f"dimension {d} out of range for a 0-d input")
        if isinstance(dim, tuple) and len(dim) > 1:
            raise RuntimeError("dim appears multiple times in the list of dims")
        return None
    return dim


def _int64_for_integers(x, dtype):
    """torch accumulates bool and integer inputs in int64 (uint8 included, where NumPy gives uint64)."""
    if dtype is None and x.dtype.kind in "bui":
        return x.astype(np.int64)
    return x


def sum_torch(x, dim=None, keepdim=False, dtype=None):
    return sum_ref(_int64_for_integers(x, dtype), torch_dim(x, dim), keepdim, dtype)


def prod_torch(x, dim=None, keepdim=False, dtype=None):
    return prod_ref(_int64_for_integers(x, dtype), torch_dim(x, dim), keepdim, dtype)


def nansum_torch(x, dim=None, keepdim=False, dtype=None):
    return nansum_ref(_int64_for_integers(x, dtype), torch_dim(x, dim), keepdim, dtype)


def mean_torch(x, dim=None, keepdim=False, dtype=None):
    return mean_ref(x, torch_dim(x, dim), keepdim, dtype)


def nanmean_torch(x, dim=None, keepdim=False, dtype=None):
    return nanmean_ref(x, torch_dim(x, dim), keepdim, dtype)


def var_torch(x, dim=None, correction=1, keepdim=False):
    """torch's ``correction`` defaults to 1 (Bessel's correction), NumPy's ``ddof`` to 0; the variance of a
    complex input is that of its real part plus that of its imaginary part (the same number, except without
    degrees of freedom, where a constant part gives 0/0 = NaN)."""
    axis, ddof = torch_dim(x, dim), 1 if correction is None else correction
    if x.dtype.kind == "c":
        with np.errstate(divide="ignore", invalid="ignore"):
            return var_ref(x.real, axis, ddof, keepdim) + var_ref(x.imag, axis, ddof, keepdim)
    return var_ref(x, axis, ddof, keepdim)


def std_torch(x, dim=None, correction=1, keepdim=False):
    """The square root of :func:`var_torch`, taken before the scale comes back (:func:`std_ref`) wherever the
    two agree (a real input, or a complex one with degrees of freedom, whose variance is that of the whole input):
    a variance beyond float64's range (1.5e613) may have a representable root (3.8e306)."""
    axis, ddof = torch_dim(x, dim), 1 if correction is None else correction
    count = x.size if axis is None else int(np.prod([x.shape[a] for a in np.atleast_1d(axis)]))
    if x.dtype.kind != "c" or count - ddof > 0:
        return std_ref(x, axis, ddof, keepdim)
    return np.sqrt(var_torch(x, dim, correction, keepdim))


def amax_torch(x, dim=None, keepdim=False):
    return amax_ref(x, torch_dim(x, dim), keepdim)


def amin_torch(x, dim=None, keepdim=False):
    return amin_ref(x, torch_dim(x, dim), keepdim)


def _logical_dim(x, dim):
    """all/any: the empty tuple reduces nothing (as in NumPy); on a 0-d input (0,) and (-1,) reduce it."""
    if x.ndim == 0 and isinstance(dim, tuple) and dim:
        return torch_dim(x, dim)
    return dim


def all_torch(x, dim=None, keepdim=False):
    """torch returns uint8 for a uint8 input (bool for every other dtype)."""
    out = np.asarray(all_ref(x, _logical_dim(x, dim), keepdim))
    return out.astype(np.uint8) if x.dtype == np.uint8 else out


def any_torch(x, dim=None, keepdim=False):
    out = np.asarray(any_ref(x, _logical_dim(x, dim), keepdim))
    return out.astype(np.uint8) if x.dtype == np.uint8 else out


def cumsum_torch(x, dim, dtype=None):
    """torch keeps the shape of a 0-d input (NumPy's cumsum returns 1-D) and accumulates integers in int64."""
    out = cumsum_ref(_int64_for_integers(x, dtype), dim, dtype)
    return out.reshape(x.shape)


def cumprod_torch(x, dim, dtype=None):
    out = cumprod_ref(_int64_for_integers(x, dtype), dim, dtype)
    return out.reshape(x.shape)


def logsumexp_torch(x, dim=None, keepdim=False):
    """torch gives integer and bool inputs the default float dtype (float32)."""
    out = logsumexp_ref(x, torch_dim(x, dim), keepdim)
    return out.astype(np.float32) if x.dtype.kind in "biu" else out


def logsumexp_complex_torch(x, dim=None, keepdim=False):
    """torch's complex logsumexp where terms are not finite, in the input's own dtype: the shift is the largest
    real part, replaced by 0 only when it is infinite (a NaN shift stays, and every shifted term is NaN), and it
    is subtracted in the input's precision (a difference past its range is -inf, and exp(-inf + NaN j) is 0
    where exp(-6.8e38 + NaN j) is NaN + NaN j); the terms of a row whose shift is +inf (so 0) are exponentiated in
    the input's precision, where a finite term's exponential can overflow."""
    dim = torch_dim(x, dim)
    m = np.max(x.real, axis=dim, keepdims=True, initial=-np.inf)
    shift = np.where(np.isinf(m), np.zeros_like(m), m)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = (x - shift).astype(x.dtype)  # in the input's precision
        w = t.astype(np.complex128)
        e = np.where(np.isposinf(m), np.exp(t).astype(np.complex128), np.exp(w))
        s = np.sum(e, axis=dim, keepdims=keepdim)
        return np.asarray(np.log(s) + np.max(shift, axis=dim, keepdims=keepdim)).astype(x.dtype)


def count_nonzero_torch(x, dim=None):
    return count_nonzero_ref(x, torch_dim(x, dim))


def count_nonzero_e8m0_torch(x, dim=None):
    """torch counts the smallest float8_e8m0fnu value (its bits 0, what torch converts 0 to) as zero."""
    return count_nonzero_ref(x.view(np.uint8) != 0, torch_dim(x, dim))


def _lower_median_1d(v):
    """The lower median; NaN when there is a NaN, and NaN converted to the dtype for an empty input (for an
    integer dtype: the value C's conversion of NaN gives, as NumPy's ``astype`` does)."""
    if v.size == 0 or np.isnan(v).any():
        with np.errstate(invalid="ignore"):
            return np.array(np.nan).astype(v.dtype)
    return np.sort(v)[(v.size - 1) // 2]


def median_torch(x):
    """torch returns the lower of the two middle values for an even count (no average: the result is an
    element of the input, in the input's dtype); NaN if there is a NaN."""
    return np.asarray(_lower_median_1d(x.reshape(-1))).astype(x.dtype)


def median_dim_torch(x, dim, keepdim=False):
    axis = torch_dim(x, dim)
    if axis is None:
        m = median_torch(x)
        m = m.reshape((1,) * x.ndim) if keepdim else m
        return m, m
    moved = np.moveaxis(x, axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    out = np.array([_lower_median_1d(r) for r in flat], dtype=x.dtype).reshape(moved.shape[:-1])
    if keepdim:
        out = np.expand_dims(out, axis)
    return out, out


def vector_norm_torch(x, ord=2, dim=None, keepdim=False, dtype=None):
    return vector_norm_ref(x, ord, torch_dim(x, dim), keepdim, dtype)


def norm_torch(x, p="fro", dim=None, keepdim=False):
    """``torch.norm`` computes a vector norm over every reduced dim for a numeric ``p`` (and 'fro' is the
    2-norm), whatever their number."""
    ord = 2 if p == "fro" else p
    if isinstance(dim, int):
        dim = (dim,)
    return vector_norm_ref(x, ord, torch_dim(x, dim), keepdim)



# ---- diff, trapezoid, gradient ---------------------------------------------------------------------------

def diff_ref(x, n=1, dim=-1, prepend=None, append=None):
    """``np.diff`` with torch's argument names (prepend / append left out when None)."""
    kw = {k: v for k, v in (("prepend", prepend), ("append", append)) if v is not None}
    return np.diff(x, n=n, axis=dim, **kw)


def trapezoid_ref(y, x=None, dx=None, dim=-1):
    """``np.trapezoid``: sample points ``x`` or a spacing ``dx`` (1 when neither is given)."""
    return np.trapezoid(y, x=x, dx=1.0 if dx is None else dx, axis=dim)


def gradient_ref(x, spacing=1, dim=None, edge_order=1):
    """``np.gradient`` with torch's argument forms: ``spacing`` a scalar (every dim), a list of scalars or of
    coordinate arrays (one per dim of ``dim``); the derivatives as a tuple, also for one dim."""
    varargs = tuple(spacing) if isinstance(spacing, (list, tuple)) else (spacing,)
    out = np.gradient(x, *varargs, axis=dim, edge_order=edge_order)
    return tuple(out) if isinstance(out, (list, tuple)) else (out,)


# ---- nanmedian, quantile ---------------------------------------------------------------------------------

def nanmedian_ref(x):
    return np.nanmedian(x)


def nanmedian_dim_ref(x, dim, keepdim=False):
    """(values, values at the returned indices), as :func:`median_dim_ref`."""
    m = np.nanmedian(x, axis=dim, keepdims=keepdim)
    return m, m


def _lower_nanmedian_1d(v):
    """The lower median of the values that are not NaN (NaN when all are)."""
    w = v[~np.isnan(v)] if v.dtype.kind not in "biu" else v
    if w.size == 0:
        with np.errstate(invalid="ignore"):
            return np.array(np.nan).astype(v.dtype)
    return np.sort(w)[(w.size - 1) // 2]


def nanmedian_torch(x):
    """torch.nanmedian: the lower of the two middle values that are not NaN, in the input's dtype."""
    return np.asarray(_lower_nanmedian_1d(x.reshape(-1))).astype(x.dtype)


def nanmedian_dim_torch(x, dim, keepdim=False):
    axis = torch_dim(x, dim)
    if axis is None:
        m = nanmedian_torch(x)
        m = m.reshape((1,) * x.ndim) if keepdim else m
        return m, m
    moved = np.moveaxis(x, axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    out = np.array([_lower_nanmedian_1d(r) for r in flat], dtype=x.dtype).reshape(moved.shape[:-1])
    if keepdim:
        out = np.expand_dims(out, axis)
    return out, out


def _quantile_without_overflow(fn, x, q, dim, keepdim, interpolation):
    """``fn(x, q, ...)`` (np.quantile / np.nanquantile), its interpolation evaluated without intermediate overflow.
    NumPy interpolates ``a + t (b - a)`` (``b - (b - a) (1 - t)`` for ``t >= 0.5``) between sorted neighbours in
    the input's dtype: two finite neighbours of opposite signs more than the largest value apart overflow
    ``b - a``, and the result is an infinity or, with weight 0, NaN (``inf * 0``):
    np.quantile([-1.8e308, 1.8e308], 0.0) is nan, although the quantile is exactly -1.8e308. That is a limit of
    its implementation, not a semantic (as np.var's overflowed squares, :func:`_shifted_var`). So where a slice's
    values (those that are not NaN, for nanquantile) are all finite, where the quantile is therefore finite, a
    non-finite result of NumPy's is its own quantile of ``x / 2``, doubled: the same positions and weights, and
    ``b / 2 - a / 2`` in range; halving is exact but for subnormals, and these neighbours are beyond 2**969.
    Where a slice holds an infinity (or NaN, for quantile) NumPy's answer stands."""
    out = fn(x, q, axis=dim, keepdims=keepdim, method=interpolation)
    x = np.asarray(x)
    if interpolation not in ("linear", "midpoint") or x.dtype.kind != "f" or x.size == 0:
        return out
    if np.all(np.isfinite(out)):
        return out
    nan = fn is np.nanquantile
    with np.errstate(all="ignore"):
        ok = np.isfinite(x) | np.isnan(x) if nan else np.isfinite(x)
        finite = np.all(ok, axis=dim, keepdims=keepdim) & np.any(np.isfinite(x), axis=dim, keepdims=keepdim)
        halved = np.asarray(fn(x / 2, q, axis=dim, keepdims=keepdim, method=interpolation)) * 2
        fixed = np.where(finite & ~np.isfinite(out), halved, out).astype(np.asarray(out).dtype)
    return fixed[()] if fixed.ndim == 0 else fixed


def quantile_ref(x, q, dim=None, keepdim=False, interpolation="linear"):
    """``np.quantile`` with torch's names (interpolation = NumPy's method of the same name), its interpolation
    without intermediate overflow (:func:`_quantile_without_overflow`)."""
    return _quantile_without_overflow(np.quantile, x, q, dim, keepdim, interpolation)


def nanquantile_ref(x, q, dim=None, keepdim=False, interpolation="linear"):
    """``np.nanquantile``, as :func:`quantile_ref`."""
    return _quantile_without_overflow(np.nanquantile, x, q, dim, keepdim, interpolation)


# ---- cov, corrcoef ---------------------------------------------------------------------------------------

def cov_ref(x, correction=1, fweights=None, aweights=None):
    """``np.cov`` (rows are variables) with ddof = ``correction``."""
    return np.cov(x, ddof=correction, fweights=fweights, aweights=aweights)


def corrcoef_ref(x):
    return np.corrcoef(x)


def quantile_0d_torch(x, q, dim=None, keepdim=False, interpolation="linear"):
    """torch takes dim 0 or -1 of a 0-d input as its one implicit dim: the quantile of the element."""
    return quantile_ref(x, q, None, keepdim, interpolation)


def nanquantile_0d_torch(x, q, dim=None, keepdim=False, interpolation="linear"):
    return nanquantile_ref(x, q, None, keepdim, interpolation)
