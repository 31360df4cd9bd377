"""NumPy references of torch.linalg's solvers, decompositions and matrix functions (NumPy semantics only).

Two kinds:

* **values** (det, slogdet, inv, solve, eigvalsh, svdvals, pinv, cond, matrix_rank, norms, matrix_power, multi_dot,
  vecdot, cross, diagonal, tensorinv, tensorsolve): NumPy's function with torch's argument names;
* **properties** of a decomposition that is not unique (qr, svd, eigh, eig, eigvals, cholesky, lstsq): NumPy's
  decomposition of the matrix, *measured* — the defining identities' relative residuals (``Q R = A``,
  ``Q^H Q = I``, ``A V = V diag(w)``, ...) and the structural facts (a triangle that must be zero, singular values
  sorted and non-negative), as a vector per matrix. The catalogue's torch callables measure torch's outputs with
  the same ``measure_*`` functions, so that the two vectors compare what both libraries promise (a residual of
  the order of the unit roundoff) and nothing they leave free (signs, phases, the order of eigenvalues of
  ``eig``). Measurements are made in float64 (complex128) from the outputs' values (see :func:`_wide`).

``form`` (the matrices' construction, applied the same way by the torch callables): ``"plain"`` the drawn matrix,
``"singular"`` its last row replaced by its first (an exact copy: exactly singular), ``"spd"`` (cholesky)
``B B^H + n I`` from the drawn ``B``.

Only ``numpy`` is used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import math

import numpy as np

from conformance.references.linalg import wide


def shaped(a, form="plain"):
    """The matrix (stack) of a form: see the module docstring (``"spd"`` is built by :func:`spd`)."""
    a = np.array(a, copy=True)
    if form == "singular" and a.ndim >= 2 and a.shape[-2] >= 2:
        a[..., -1, :] = a[..., 0, :]
    return a


def spd(b):
    """``B B^H + n I``: Hermitian positive definite for any finite ``B`` (n the side)."""
    n = b.shape[-1]
    return np.matmul(b, np.conj(np.swapaxes(b, -1, -2))) + n * np.eye(n, dtype=b.dtype)


def _wide(x):
    """The measurement's precision, float64 (complex128), whatever the outputs' dtype: its own error, a few
    roundings of float64 per element, lies inside the float64 part of every bound the residuals are held to."""
    x = np.asarray(x)
    return x.astype(np.complex128) if x.dtype.kind == "c" else x.astype(np.float64)


def _fro(x):
    """Frobenius norms over the last two dims (of a 1-D array: its 2-norm), scaled by the largest modulus so that
    no square overflows or underflows (a residual of 1e215 has a norm, its square has not)."""
    a = np.abs(np.asarray(x))
    if a.ndim == 0:
        return a
    axes = (-2, -1) if a.ndim >= 2 else (-1,)
    with np.errstate(invalid="ignore", over="ignore"):
        big = np.max(a, axis=axes, keepdims=True, initial=0.0)
        scale = np.where((big > 0) & np.isfinite(big), big, 1.0)
        return np.squeeze(scale, axis=axes) * np.sqrt(np.sum((a / scale) ** 2, axis=axes))


def _ratio(num, den):
    """num / den, and num itself where den is 0 (a zero matrix: its residuals are exact zeros)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), num)


def _h(x):
    return np.conj(np.swapaxes(x, -1, -2))


def _eye_like(k, like):
    return np.eye(k, dtype=like.dtype)


def _stack(parts):
    return np.stack([np.asarray(p, dtype=np.float64) for p in parts], axis=-1)


def measure_qr(a, q, r, mode="reduced"):
    """(||Q R - A|| / ||A||, ||Q^H Q - I||, ||strict lower triangle of R|| / ||A||); mode "r": (||R^H R - A^H A|| /
    ||A||^2, 0, ||lower triangle of R|| / ||A||)."""
    a, r = _wide(a), _wide(r)
    na = _fro(a)
    low = _ratio(_fro(np.tril(r, -1)) if r.ndim >= 2 else 0 * na, na)
    if mode == "r":
        # ||R^H R - A^H A|| / ||A||^2, of R and A divided by ||A|| (the Gram matrices of a matrix of norm 1e155
        # overflow float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = np.where(na > 0, na, 1.0)[..., None, None]
            rs, as_ = r / unit, a / unit
        gram = _fro(np.matmul(_h(rs), rs) - np.matmul(_h(as_), as_))
        return _stack([gram, 0 * na, low])
    q = _wide(q)
    recon = _ratio(_fro(np.matmul(q, r) - a), na)
    orth = _fro(np.matmul(_h(q), q) - _eye_like(q.shape[-1], q))
    return _stack([recon, orth, low])


def measure_svd(a, u, s, vh):
    """(||U diag(S) V^H - A|| / ||A||, ||U^H U - I||, ||V V^H - I||, violations of S sorted descending and
    non-negative)."""
    a, u, s, vh = _wide(a), _wide(u), _wide(s), _wide(vh)
    na = _fro(a)
    k = s.shape[-1]
    recon = _ratio(_fro(np.matmul(u[..., :, :k] * s[..., None, :], vh[..., :k, :]) - a), na)
    orth_u = _fro(np.matmul(_h(u), u) - _eye_like(u.shape[-1], u))
    orth_v = _fro(np.matmul(vh, _h(vh)) - _eye_like(vh.shape[-2], vh))
    s = s.real if np.iscomplexobj(s) else s
    order = np.sum(s[..., 1:] > s[..., :-1], axis=-1) + np.sum(s < 0, axis=-1)
    return _stack([recon, orth_u, orth_v, order])


def hermitian(a, uplo="L"):
    """The Hermitian matrix LAPACK reads from one triangle of ``a`` (the diagonal's imaginary part ignored)."""
    a = _wide(a)
    tri = np.tril(a, -1) if uplo == "L" else np.triu(a, 1)
    d = np.diagonal(a, axis1=-2, axis2=-1).real
    return tri + _h(tri) + d[..., None] * np.eye(a.shape[-1])


def measure_eigh(a, w, v, uplo="L"):
    """(||A V - V diag(w)|| / ||A||, ||V^H V - I||, violations of w sorted ascending)."""
    h, w, v = hermitian(a, uplo), _wide(w), _wide(v)
    nh = _fro(h)
    res = _ratio(_fro(np.matmul(h, v) - v * w[..., None, :]), nh)
    orth = _fro(np.matmul(_h(v), v) - _eye_like(v.shape[-1], v))
    order = np.sum(w[..., 1:] < w[..., :-1], axis=-1)
    return _stack([res, orth, order])


def measure_eig(a, w, v):
    """(||A V - V diag(w)|| / ||A||, the largest | ||v_i|| - 1 | of the eigenvectors)."""
    a, w, v = _wide(a), _wide(w), _wide(v)
    na = _fro(a)
    res = _ratio(_fro(np.matmul(a, v) - v * w[..., None, :]), na)
    norms = np.sqrt(np.sum(np.abs(v) ** 2, axis=-2))
    unit = np.max(np.abs(norms - 1), axis=-1, initial=0.0)
    return _stack([res, unit])


def measure_eigvals(a, w):
    """Per eigenvalue: its backward error ``sigma_min(A - w I) / ||A||`` (float64 singular values: the
    measurement's own error is of float64's roundoff)."""
    a64, w = _wide(a), _wide(w)
    na = _fro(a64)
    n = a64.shape[-1]
    if n == 0:
        return np.zeros(w.shape, dtype=np.float64)
    shifted = a64[..., None, :, :] - w[..., :, None, None] * np.eye(n)
    with np.errstate(all="ignore"):
        m = shifted.astype(np.complex128)
        if not np.all(np.isfinite(m)):
            return np.full(w.shape, np.nan)
        smin = np.linalg.svd(m, compute_uv=False)[..., -1]
    return np.asarray(_ratio(smin, na[..., None]), dtype=np.float64)


def measure_cholesky(a, l, upper=False):
    """(||L L^H - A|| / ||A||, ||the other triangle|| / ||A||, count of diagonal elements that are not real and
    positive) (``upper``: ``U^H U = A``)."""
    a, l = _wide(a), _wide(l)
    na = _fro(a)
    prod = np.matmul(_h(l), l) if upper else np.matmul(l, _h(l))
    recon = _ratio(_fro(prod - a), na)
    other = _ratio(_fro(np.tril(l, -1) if upper else np.triu(l, 1)), na)
    d = np.diagonal(l, axis1=-2, axis2=-1)
    bad = np.sum(~((d.real > 0) & (d.imag == 0)) if np.iscomplexobj(d) else ~(d > 0), axis=-1)
    return _stack([recon, other, bad])


def measure_lstsq(a, b, x):
    """The normwise backward error of a least-squares solution, ``||A^H r|| / (||A|| (||r|| + ||A|| ||x|| +
    ||b||))`` with ``r = A x - b``, per right-hand side column (a 1-D ``b`` is one column)."""
    a, b, x = _wide(a), _wide(b), _wide(x)
    if b.ndim == a.ndim - 1:
        b, x = b[..., None], x[..., None]
    r = np.matmul(a, x) - b
    na = _fro(a)[..., None]
    col = lambda m: np.sqrt(np.sum(np.abs(m) ** 2, axis=-2))  # noqa: E731
    num = col(np.matmul(_h(a), r))
    den = na * (col(r) + na * col(x) + col(b))
    return np.asarray(_ratio(num, den), dtype=np.float64)


def measure_solve(a, b, x):
    """(``||A X - B||_F / (||A||_F ||X||_F + ||B||_F)``,) per system: the normwise backward error of a computed
    solution (Rigal and Gaches; Higham, Thm 7.1), which a backward stable solve keeps within its ``||dA|| /
    ||A||`` whatever A's condition number (a 1-D ``b`` is one column)."""
    a, b, x = _wide(a), _wide(b), _wide(x)
    if b.ndim == a.ndim - 1:
        b, x = b[..., None], x[..., None]
    with np.errstate(all="ignore"):
        num = _fro(np.matmul(a, x) - b)
        den = _fro(a) * _fro(x) + _fro(b)
    return _stack([_ratio(num, den)])


# ---- non-finite matrices: NumPy's answer without the LAPACK calls that may not return ---------------------------

def _nan_like(x):
    """NaN where an element is NaN in a part and not infinite in the other (``complex(nan, 1)``, ``nan``)."""
    with np.errstate(invalid="ignore"):
        if np.iscomplexobj(x):
            return (np.isnan(x.real) & ~np.isinf(x.imag)) | (np.isnan(x.imag) & ~np.isinf(x.real))
        return np.isnan(x)


def _infinite_matrices(x):
    """Per matrix of the stack: whether it has an element with an infinite part."""
    with np.errstate(invalid="ignore"):
        inf = (np.isinf(x.real) | np.isinf(x.imag)) if np.iscomplexobj(x) else np.isinf(x)
    return np.any(inf, axis=(-2, -1))


def lapack_guarded(fn):
    """``fn(a, *rest)`` (an SVD-based NumPy call: ``np.linalg.svd`` with ``U`` and ``V``, ``pinv``, ``lstsq``) for a
    stack ``a`` that may hold non-finite elements, as NumPy answers where it returns:

    * an element that is NaN (a NaN part beside a finite one): ``LinAlgError`` ("SVD did not converge"), which
      NumPy raises for every such matrix it was tried on (OpenBLAS's ?gesdd / ?gelsd report no convergence);
    * a matrix with an infinity (no such NaN): NaN results for that matrix (its outputs all NaN), which is what
      NumPy returns where it returns — ``np.linalg.svd(a, compute_uv=False)`` always, ``np.linalg.svd(a)`` on most
      such matrices. On the others OpenBLAS's ?gesdd with ``U`` and ``V`` (and ?gelsd) never returns (an
      infinite loop: ``np.linalg.svd`` of a 3 x 3 or a 16 x 2 float64 matrix with one ``inf``), so the reference
      does not hand them to LAPACK: it computes the other matrices of the stack (the infinite ones replaced by
      zeros) and sets the outputs of the infinite ones to NaN.

    A complex element with an infinite part and a NaN part counts as infinite (its modulus is inf, as ``np.abs``
    and OpenBLAS's ?lange take it)."""
    import functools

    @functools.wraps(fn)
    def guarded(a, *rest, **kwargs):
        x = np.asarray(a)
        if x.ndim < 2 or x.dtype.kind not in "fc" or (np.all(np.isfinite(x)) and all(
                np.all(np.isfinite(r)) for r in rest if isinstance(r, np.ndarray) and r.dtype.kind in "fc")):
            return fn(a, *rest, **kwargs)
        if np.any(_nan_like(x)):
            raise np.linalg.LinAlgError("SVD did not converge (a NaN element: NumPy's answer for it)")
        bad = _infinite_matrices(x)
        for r in rest:  # lstsq's right-hand sides: NumPy returns NaN for a non-finite b (gelsd on a finite A)
            if isinstance(r, np.ndarray) and r.dtype.kind in "fc" and r.ndim >= 1:
                rb = ~np.isfinite(r) if r.dtype.kind == "f" else ~(np.isfinite(r.real) & np.isfinite(r.imag))
                bad = bad | np.any(rb, axis=tuple(range(x.ndim - 2, r.ndim)))
        clean = np.where(_infinite_matrices(x)[..., None, None], 0, x)
        rest = tuple(np.where(np.isfinite(r), r, 0) if isinstance(r, np.ndarray) and r.dtype.kind in "fc" else r
                     for r in rest)
        out = fn(clean, *rest, **kwargs)

        def nan_out(v):
            v = np.array(v, dtype=np.result_type(v, np.float32), copy=True)
            if v.ndim >= bad.ndim and v.shape[:bad.ndim] == bad.shape:
                v[bad] = np.nan
            return v
        if isinstance(out, tuple):
            return type(out)(*(nan_out(v) for v in out)) if hasattr(out, "_fields") else tuple(map(nan_out, out))
        return nan_out(out)
    return guarded


_svd_uv = lapack_guarded(np.linalg.svd)
_pinv_guarded = lapack_guarded(np.linalg.pinv)


@lapack_guarded
def _lstsq_solution(a, b):
    """``np.linalg.lstsq(a, b)[0]`` per matrix of a stack (NumPy's lstsq takes one matrix; torch's a batch);
    ``b`` one dim less than ``a``: a vector per matrix."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 2:
        return np.linalg.lstsq(a, b, rcond=None)[0]
    vector = b.ndim == a.ndim - 1
    cols = () if vector else b.shape[-1:]
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-1] if vector else b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-1:] + cols if vector else batch + b.shape[-2:])
    out = np.empty(batch + a.shape[-1:] + cols, dtype=np.result_type(a, b, np.float64))
    for idx in np.ndindex(*batch):
        out[idx] = np.linalg.lstsq(a[idx], b[idx], rcond=None)[0]
    return out


# ---- property references: NumPy's decomposition, measured -----------------------------------------------------

def _exact_input(a):
    """The measured references compute NumPy's decomposition in float64 / complex128 whatever the input dtype
    (NumPy's linalg takes no half types: the measurement is of the matrix's values)."""
    return np.asarray(a).astype(np.complex128 if np.iscomplexobj(a) else np.float64)


def qr_properties(a, form="plain", mode="reduced"):
    a = shaped(_exact_input(a), form)
    if mode == "r":
        return measure_qr(a, None, np.linalg.qr(a, mode="r"), mode)
    q, r = np.linalg.qr(a, mode=mode)
    return measure_qr(a, q, r, mode)


def svd_properties(a, form="plain", full_matrices=True):
    a = shaped(_exact_input(a), form)
    u, s, vh = _svd_uv(a, full_matrices=full_matrices)
    return measure_svd(a, u, s, vh)


def eigh_properties(a, form="plain", UPLO="L"):
    a = shaped(_exact_input(a), form)
    w, v = np.linalg.eigh(a, UPLO=UPLO)
    return measure_eigh(a, w, v, UPLO)


def eig_properties(a, form="plain"):
    a = shaped(_exact_input(a), form)
    w, v = np.linalg.eig(a)
    return measure_eig(a, w, v)


def eigvals_properties(a, form="plain"):
    a = shaped(_exact_input(a), form)
    return measure_eigvals(a, np.linalg.eigvals(a))


def cholesky_properties(b, form="spd", upper=False):
    b = _exact_input(b)
    a = spd(b) if form == "spd" else shaped(b, form)
    return measure_cholesky(a, np.linalg.cholesky(a, upper=upper), upper)


def _solved(measured, a):
    """A measured residual of NumPy's solution, or 0 where that solution overflowed (a singular matrix in float64
    may give one): no residual is defined there, and the exact property's value is 0; NaN for a non-finite
    matrix."""
    finite = np.all(np.isfinite(a), axis=(-2, -1))[..., None]
    return np.where(finite, np.where(np.isfinite(measured), measured, 0.0), np.nan)


def _finite_or_identity(a):
    """The stack with each non-finite matrix replaced by the identity (its measurement is NaN, whatever LAPACK
    would do with it)."""
    eye = np.eye(a.shape[-1], dtype=a.dtype)
    return np.where(np.all(np.isfinite(a), axis=(-2, -1))[..., None, None], a, eye)


def solve_residual(a, b, form="plain"):
    """:func:`measure_solve` of NumPy's solve in float64 / complex128 (a non-finite matrix: NaN, without the
    solve)."""
    a, b = shaped(_exact_input(a), form), _exact_input(b)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        return np.linalg.solve(a, b)  # NumPy's error for a matrix that is not square
    finite = _finite_or_identity(a)
    with np.errstate(all="ignore"):
        return _solved(measure_solve(a, b, np.linalg.solve(finite, b)), a)


def inv_residual(a, form="plain"):
    """:func:`measure_solve` of NumPy's inverse (``A X = I``) in float64 / complex128."""
    a = shaped(_exact_input(a), form)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        return np.linalg.inv(a)
    finite = _finite_or_identity(a)
    eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
    with np.errstate(all="ignore"):
        return _solved(measure_solve(a, eye, np.linalg.inv(finite)), a)


def _tensor_rows(a, ind):
    rows = int(np.prod(a.shape[:ind]))
    return a.reshape(rows, -1)


def tensorinv_residual(a, ind=2):
    """:func:`measure_solve` of NumPy's tensorinv, A and X as the matrices they are (``A X = I``), in float64 /
    complex128."""
    a = _exact_input(a)
    m = _tensor_rows(a, ind)
    if m.shape[0] != m.shape[1]:
        return np.linalg.tensorinv(a, ind=ind)  # NumPy's error
    x = np.linalg.tensorinv(_finite_or_identity(m[None])[0].reshape(a.shape), ind=ind)
    with np.errstate(all="ignore"):
        return _solved(measure_solve(m, np.eye(m.shape[0], dtype=m.dtype), x.reshape(m.shape[1], -1)), m)


def tensorsolve_residual(a, b):
    """:func:`measure_solve` of NumPy's tensorsolve, A as the matrix it is and B, X as vectors, in float64 /
    complex128."""
    a, b = _exact_input(a), _exact_input(b)
    m = _tensor_rows(a, b.ndim)
    if m.shape[0] != m.shape[1]:
        return np.linalg.tensorsolve(a, b)  # NumPy's error
    x = np.linalg.tensorsolve(_finite_or_identity(m[None])[0].reshape(a.shape), b)
    with np.errstate(all="ignore"):
        return _solved(measure_solve(m, b.reshape(-1), x.reshape(-1)), m)


def lstsq_properties(a, b):
    a, b = _exact_input(a), _exact_input(b)
    return measure_lstsq(a, b, _lstsq_solution(a, b))


# ---- value references ----------------------------------------------------------------------------------------

def _halves_call(fn, args, kwargs):
    """``fn(*args, **kwargs)``; NumPy's linalg takes no float16: float16 arrays go in as float32 and the floating
    results come back as float16 (so that a half-type cell torch has no kernel for reads as unsupported, not as
    both libraries raising)."""
    half = any(isinstance(a, np.ndarray) and a.dtype == np.float16 for a in args)
    if not half:
        return fn(*args, **kwargs)
    out = fn(*[a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float16 else a for a in args],
             **kwargs)
    if isinstance(out, tuple):
        return tuple(np.asarray(v).astype(np.float16) if np.asarray(v).dtype == np.float32 else v for v in out)
    out = np.asarray(out)
    return out.astype(np.float16) if out.dtype == np.float32 else out


def _det_impl(a, form="plain"):
    """The determinant, as the signed product of the pivots of a partial-pivoting LU computed in longdouble
    (:func:`lu_determinant`), rounded once to NumPy's result dtype. np.linalg.det is ``sign * exp(logdet)``:
    the exponential carries logdet's rounding, ``|logdet| u`` relatively (4e-14 for a 1 x 1 matrix of 5e-273),
    an error of NumPy's own beyond the determinant's bound; and its LAPACK pivot search passes over a NaN (the
    determinant of [[nan, 1], [1, 1]] comes out 0). A NaN makes the determinant NaN, as arithmetic does."""
    a = np.asarray(shaped(a, form))
    want = np.result_type(a.dtype, np.float32)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        return np.linalg.det(a)  # NumPy's own error for a non-square input
    return np.asarray(lu_determinant(a)).astype(want)


def lu_determinant(a):
    """``det(A)`` of each matrix of a stack: a partial-pivoting LU in longdouble (clongdouble), the largest
    modulus of a column as pivot, and the product of the pivots with the permutation's sign. Its error is the
    LU's in longdouble (Higham, Thm 9.3: ``gamma_3n`` of longdouble's unit roundoff times ``|L||U|``), far inside
    any bound of float64 or a narrower type; an empty matrix has determinant 1."""
    wide = np.clongdouble if np.iscomplexobj(a) else np.longdouble
    a = np.array(a, dtype=wide)
    n = a.shape[-1]
    out = np.ones(a.shape[:-2], dtype=wide)
    with np.errstate(all="ignore"):
        for idx in np.ndindex(*a.shape[:-2]):
            m = a[idx].copy()
            det, scale = wide(1), 0
            for k in range(n):
                p = k + int(np.argmax(np.abs(m[k:, k])))  # a NaN modulus is the largest: it is taken as pivot
                if p != k:
                    m[[k, p], k:] = m[[p, k], k:]
                    det = -det
                if m[k, k] == 0:  # exactly singular (an overflowed partial product times 0 is not NaN)
                    det = wide(0)
                    break
                det = det * m[k, k]
                e = int(np.frexp(np.abs(det))[1]) if np.isfinite(np.abs(det)) else 0
                det, scale = det / np.ldexp(np.longdouble(1), e), scale + e  # kept near 1: no overflow midway
                if k < n - 1:
                    # x / x is 1: clongdouble's division of two equal values need not give exactly 1, and then
                    # two equal rows (a singular matrix) leave a remainder whose product may overflow
                    f = np.where(m[k + 1:, k] == m[k, k], wide(1), m[k + 1:, k] / m[k, k])
                    m[k + 1:, k + 1:] -= f[:, None] * m[k, k + 1:][None, :]
            out[idx] = _scaled(det, scale)
        # a NaN entry makes the determinant NaN, whichever pivot the elimination stopped at
        nan = wide(complex(np.nan, np.nan)) if np.iscomplexobj(a) else wide(np.nan)  # as complex products give
        out = np.where(np.any(np.isnan(a), axis=(-2, -1)), nan, out) if a.size else out
    return out


def _scaled(x, e):
    """``x * 2**e`` in longdouble (clongdouble: part by part), overflowing to an infinity or underflowing to 0."""
    if np.iscomplexobj(x):
        return np.ldexp(x.real, e) + 1j * np.ldexp(x.imag, e)
    return np.ldexp(x, e)


def _slogdet_impl(a, form="plain"):
    found = np.linalg.slogdet(shaped(a, form))
    return found.sign, found.logabsdet


def _inv_impl(a, form="plain"):
    return np.linalg.inv(shaped(a, form))


def _solve_impl(a, b, form="plain", left=True):
    """``np.linalg.solve``: ``X`` with ``A X = B`` (``left=False``: ``X A = B``, the transposed system). ``B`` is a
    vector only when it is 1-D, and a stack of matrices otherwise (NumPy 2's rule; torch's batch of vectors is a
    recorded divergence, catalogue.decompositions)."""
    a = shaped(a, form)
    if not left:
        return np.swapaxes(_solve_impl(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)
    return np.linalg.solve(a, b)


def _eigvalsh_impl(a, form="plain", UPLO="L"):
    return np.linalg.eigvalsh(shaped(a, form), UPLO=UPLO)


def _svdvals_impl(a, form="plain"):
    return np.linalg.svd(shaped(a, form), compute_uv=False)


def _pinv_impl(a, form="plain", hermitian=False):
    return _pinv_guarded(shaped(a, form), hermitian=hermitian)


def _matrix_rank_impl(a, form="plain", hermitian=False, rtol=None):
    """``np.linalg.matrix_rank``; ``rtol`` (torch's name): the tolerance ``rtol * sigma_max``, as NumPy's ``tol``
    given that value (the count of singular values above it). Evaluated on the input's own dtype (the entry does
    not upcast): NumPy's default tolerance is ``max(m, n) eps`` of that dtype, and its singular values are
    rounded to it."""
    a = shaped(a, form)
    if rtol is None:
        return np.asarray(np.linalg.matrix_rank(a, hermitian=hermitian), dtype=np.int64)
    if a.shape[-1] == 0 or a.shape[-2] == 0:
        return np.zeros(a.shape[:-2], dtype=np.int64)
    s = np.linalg.svd(a, compute_uv=False)
    return np.sum(s > rtol * s[..., :1], axis=-1).astype(np.int64)


def _cond_impl(a, p=None, form="plain"):
    """``np.linalg.cond``; for ``p='nuc'`` of square matrices, NumPy's own rule evaluated without its failure:
    NumPy takes ``||A|| ||A^-1||`` with an inverse that is NaN where the inversion fails and turns a NaN result
    into inf unless A has a NaN (so cond of a singular matrix is inf for 'fro', 1, inf), but for 'nuc' the NaN
    inverse reaches an SVD that raises LinAlgError ('SVD did not converge') first: here its nuclear norm is NaN,
    and the same rule applies (:func:`_nuclear_cond`)."""
    a = shaped(a, form)
    if p == "fro" and a.ndim >= 2 and a.shape[-1] == a.shape[-2] and a.size:
        return _frobenius_cond(a)
    if p != "nuc" or a.ndim < 2 or a.shape[-1] != a.shape[-2] or a.size == 0 or _nan_like(a).any():
        return np.linalg.cond(a, p)
    return _nuclear_cond(a)


def _frobenius_cond(a):
    """``||A||_F ||A^-1||_F`` per matrix of a square stack, NumPy's rule for p='fro' (inf where the inversion
    fails or the product is NaN; NaN for a matrix with a NaN, whose norm is NaN), each norm scaled (:func:`_fro`): NumPy's own norm squares the
    elements in their dtype, which overflows for float64 entries past 1e154 where the norm does not (cond of
    [[8.3e213]] is 1, NumPy's inf). Each matrix is inverted scaled by a power of two (the condition number does not
    change under it): NumPy's inverse of [[5e-324 + 2.2e-308j]] overflows in its complex division, although the
    exact inverse, of modulus 4.5e307, is representable."""
    real = np.abs(np.zeros((), a.dtype)).dtype
    out = np.empty(a.shape[:-2], dtype=real)
    for idx in np.ndindex(*a.shape[:-2]):
        m = a[idx]
        if _nan_like(m).any():
            out[idx] = np.nan
            continue
        with np.errstate(all="ignore"):
            m = power_of_two_scaled(m)[0].astype(m.dtype)
            try:
                inv = np.linalg.inv(m)
            except np.linalg.LinAlgError:
                out[idx] = np.inf
                continue
            value = _fro(_wide(m)) * _fro(_wide(inv))
            out[idx] = np.inf if np.isnan(value) else value
    return out[()] if out.ndim == 0 else out


def _nuclear_cond(a):
    """``||A||_* ||A^-1||_*`` per matrix of a square stack without NaN: inf where A is singular or its inverse is
    not finite (the norm of a matrix with an infinity is NaN, as NumPy's SVD gives; the product then inf)."""
    real = np.abs(np.zeros((), a.dtype)).dtype
    out = np.empty(a.shape[:-2], dtype=real)
    for idx in np.ndindex(*a.shape[:-2]):
        m = a[idx]
        with np.errstate(all="ignore"):
            try:
                inv = np.linalg.inv(m)
            except np.linalg.LinAlgError:
                inv = np.full(m.shape, np.nan, dtype=m.dtype)
            own = np.sum(np.linalg.svd(m, compute_uv=False))
            other = np.sum(np.linalg.svd(inv, compute_uv=False)) if np.all(np.isfinite(inv)) else np.nan
            r = own * other
        out[idx] = np.inf if np.isnan(r) else r
    return out if out.ndim else out[()]


def matrix_norm(a, ord="fro", dim=(-2, -1), keepdim=False):
    if a.ndim < 2:
        raise ValueError("matrix_norm of an input of fewer than 2 dims")
    return norm(a, ord, tuple(dim), keepdim)


def _two_norm(a, axis, keepdims):
    """sqrt(sum |x|^2) scaled by the largest magnitude (no intermediate overflow or underflow), with ``|x|``
    NumPy's ``np.abs`` (a complex element with an infinite part has an infinite modulus, NaN in the other part or
    not)."""
    mag = np.abs(a)
    with np.errstate(all="ignore"):
        m = np.max(mag, axis=axis, keepdims=True, initial=0.0)
        safe = np.where((m > 0) & np.isfinite(m), m, 1.0)
        out = np.where((m > 0) & np.isfinite(m), safe * np.sqrt(np.sum((mag / safe) ** 2, axis=axis, keepdims=True)),
                       m)
        out = np.where(np.any(np.isnan(mag), axis=axis, keepdims=True) & ~np.isinf(m), np.nan, out)
    return out if keepdims else np.squeeze(out, axis=axis)


def norm(a, ord=None, dim=None, keepdim=False):
    """``np.linalg.norm`` with torch's names; ``ord=None`` with ``dim=None`` is the 2-norm of the flattened input
    whatever its rank (torch's rule, NumPy's for 1-D and 2-D inputs). The 2-norm of a vector and the Frobenius norm
    are evaluated scaled (:func:`_two_norm`): NumPy's unscaled sum of squares overflows where the norm does not."""
    if dim is None and ord is None:
        out = _two_norm(a.reshape(-1), 0, False)
        return np.asarray(out).reshape((1,) * a.ndim if keepdim else ())
    axis = tuple(dim) if isinstance(dim, (tuple, list)) else dim
    if ord in (None, 2) and not isinstance(axis, tuple) or ord in (None, "fro") and isinstance(axis, tuple):
        if isinstance(axis, tuple) and len(set(x % max(a.ndim, 1) for x in axis)) != len(axis):
            raise ValueError("duplicate axes")
        return _two_norm(a, axis, keepdim)
    if not isinstance(axis, tuple) and ord not in (0, 1, -1, math.inf, -math.inf):
        # a vector p-norm, (sum |x|^p)^(1/p), evaluated in longdouble (as wide): in the input's type the
        # p-th powers overflow (np.linalg.norm([1e120], 3) is inf) or underflow where the norm does not, and the
        # exponent fl(1/p) moves the root of S by a relative |ln S| u / p (1e-14 at float64's range ends:
        # np.linalg.norm([1.0365254169587006e-76], 3) is 1.0365254169587105e-76)
        if a.dtype.kind in "fc":
            want = np.abs(np.zeros((), a.dtype)).dtype
            widened = a.astype(np.clongdouble if a.dtype.kind == "c" else np.longdouble)
            with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                return np.asarray(np.linalg.norm(widened, ord=ord, axis=axis, keepdims=keepdim)).astype(want)
    # the SVD-based ords of a float16 matrix: through float32 (NumPy's linalg takes no float16; see _halves_call)
    return _halves_call(lambda x: np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdim), (a,), {})


def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


def multi_dot(*arrays):
    """``np.linalg.multi_dot``, evaluated in longdouble (:func:`conformance.references.linalg.wide`, as references.linalg's products): in
    float64 an intermediate product overflows (or gives NaN, inf - inf) where the exact result does not, or is
    an infinity of known sign: [[-8.3e213 - 3.7e109j, 8.8e208 + 8.5e44j]] @ [[1.4e49 + 4.7e-98j], [-3.4e-87 +
    1.6e295j]] is NaN + inf j in float64, -inf + inf j rounded from the exact value."""
    return wide(lambda *xs: np.linalg.multi_dot(list(xs)), *arrays)


def vecdot(x, y, dim=-1):
    """``np.linalg.vecdot`` (``sum(conj(x) * y)``), evaluated without intermediate overflow (:func:`conformance.references.linalg.wide`)."""
    return wide(np.linalg.vecdot, x, y, axis=dim)


def cross(a, b, dim=-1):
    """``np.linalg.cross`` along ``dim`` (broadcasting the other dims), evaluated in longdouble; the dim must have
    3 elements."""
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("cross of a 0-d operand")
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    if a.shape[dim] != 3:
        raise ValueError(f"cross needs 3 elements along dim {dim}, got {a.shape[dim]}")
    # evaluated without intermediate overflow (wide): a float64 a1 b2 - a2 b1 whose products overflow is
    # inf - inf = NaN where the exact difference is 0
    return np.moveaxis(wide(np.linalg.cross, np.moveaxis(a, dim, -1), np.moveaxis(b, dim, -1)), -1, dim)


def diagonal(a, offset=0, dim1=-2, dim2=-1):
    return np.diagonal(a, offset=offset, axis1=dim1, axis2=dim2).copy()


def _tensorinv_impl(a, ind=2):
    return np.linalg.tensorinv(a, ind=ind)


def _tensorsolve_impl(a, b, dims=None):
    return np.linalg.tensorsolve(a, b, axes=dims)


# ---- the condition of an LU-based computation (for the bounds) --------------------------------------------------

def power_of_two_scaled(m):
    """``(m 2^-e, e)``: each matrix of the stack (float64 / complex128) times the power of two that brings its
    largest part into [1/2, 1), and the exponents ``e``. Exact, but for parts that become subnormal (far below
    what any bound resolves); ratios such as ``||dA|| / ||A||`` and ``||dA|| ||A^-1||`` do not change under it."""
    with np.errstate(all="ignore"):
        parts = np.maximum(np.abs(m.real), np.abs(m.imag)) if np.iscomplexobj(m) else np.abs(m)
        top = np.max(parts, axis=(-2, -1), initial=0.0) if m.ndim >= 2 else np.zeros(())
        e = np.where((top > 0) & np.isfinite(top), np.frexp(top)[1], 0)
        k = e[..., None, None]
        if np.iscomplexobj(m):
            return np.ldexp(m.real, -k) + 1j * np.ldexp(m.imag, -k), e
        return np.ldexp(m, -k), e


def _quotient(num, den):
    """``num / den`` with both scaled by the power of two that brings ``den``'s largest part near 1: NumPy's
    complex division (Smith's) forms ``1 / den``, which overflows for a subnormal ``den`` although ``|num| <=
    |den|`` (a pivot), and the scaling does not change the quotient."""
    e = int(np.frexp(max(abs(den.real), abs(den.imag)))[1])
    if np.iscomplexobj(num):
        return (np.ldexp(num.real, -e) + 1j * np.ldexp(num.imag, -e)) / complex(np.ldexp(den.real, -e),
                                                                                np.ldexp(den.imag, -e))
    return np.ldexp(num, -e) / np.ldexp(den, -e)


def lu_magnitude(a):
    """``|| |L| |U| ||_F`` of a partial-pivoting LU of each matrix (float64; the largest magnitude in a column
    chosen as pivot, the first on ties, as LAPACK's getrf), for the backward error ``|dA| <= gamma(3n) |L| |U|``
    (Higham, Thm 9.3). Each matrix is factored scaled by a power of two, its largest part near 1, and the norm
    scaled back: an entry near float64's largest value has a modulus past it (``|-M - Mj| = sqrt 2 M``), and an
    unscaled elimination would give NaN where the magnitude is merely infinite (or, for the tiniest entries,
    flush to zero where it is not)."""
    a = np.array(a, dtype=np.complex128 if np.iscomplexobj(a) else np.float64)
    batch = a.shape[:-2]
    n = a.shape[-1]
    out = np.zeros(batch, dtype=np.float64)
    for idx in np.ndindex(*batch):
        m = a[idx].copy()
        if not np.all(np.isfinite(m)):
            out[idx] = np.inf
            continue
        m, exponent = power_of_two_scaled(m)
        lower = np.eye(n, dtype=m.dtype)
        for k in range(n - 1):
            p = k + int(np.argmax(np.abs(m[k:, k])))
            if p != k:
                m[[k, p], k:] = m[[p, k], k:]
                lower[[k, p], :k] = lower[[p, k], :k]
            if m[k, k] == 0:
                continue
            f = _quotient(m[k + 1:, k], m[k, k])
            lower[k + 1:, k] = f
            m[k + 1:, k:] -= f[:, None] * m[k, k:]
        upper = np.triu(m)
        with np.errstate(over="ignore", invalid="ignore"):
            out[idx] = np.ldexp(np.linalg.norm(np.abs(lower) @ np.abs(upper)), int(exponent))
    return out


# ---- the value references, half types included (see _halves_call) --------------------------------------------

def det(*args, **kwargs):
    """:func:`_det_impl` (half inputs through float32)."""
    return _halves_call(_det_impl, args, kwargs)

def slogdet(*args, **kwargs):
    """:func:`_slogdet_impl` (half inputs through float32)."""
    return _halves_call(_slogdet_impl, args, kwargs)

def inv(*args, **kwargs):
    """:func:`_inv_impl` (half inputs through float32)."""
    return _halves_call(_inv_impl, args, kwargs)

def solve(*args, **kwargs):
    """:func:`_solve_impl` (half inputs through float32)."""
    return _halves_call(_solve_impl, args, kwargs)

def eigvalsh(*args, **kwargs):
    """:func:`_eigvalsh_impl` (half inputs through float32)."""
    return _halves_call(_eigvalsh_impl, args, kwargs)

def svdvals(*args, **kwargs):
    """:func:`_svdvals_impl` (half inputs through float32)."""
    return _halves_call(_svdvals_impl, args, kwargs)

def pinv(*args, **kwargs):
    """:func:`_pinv_impl` (half inputs through float32)."""
    return _halves_call(_pinv_impl, args, kwargs)

def matrix_rank(*args, **kwargs):
    """:func:`_matrix_rank_impl` (half inputs through float32)."""
    return _halves_call(_matrix_rank_impl, args, kwargs)

def cond(*args, **kwargs):
    """:func:`_cond_impl` (half inputs through float32)."""
    return _halves_call(_cond_impl, args, kwargs)

def tensorinv(*args, **kwargs):
    """:func:`_tensorinv_impl` (half inputs through float32)."""
    return _halves_call(_tensorinv_impl, args, kwargs)

def tensorsolve(*args, **kwargs):
    """:func:`_tensorsolve_impl` (half inputs through float32)."""
    return _halves_call(_tensorsolve_impl, args, kwargs)
