"""NumPy's discrete Fourier transforms under torch.fft's argument names.

``numpy.fft`` computes every transform torch.fft shares a name with; torch names the transformed dimensions
``dim`` where NumPy says ``axis`` / ``axes``, so each reference is ``np.fft.<name>`` with the argument renamed and
nothing else (positional spellings are the same in both: ``(input, n, dim, norm)``, ``(input, s, dim, norm)``,
``(input, dim)``). Self-contained: repro snippets paste these functions as they are.

A float64 (or integer) signal large enough that a float64 intermediate could overflow (``4 N max|x|`` beyond
``2**1000``) is transformed in ``np.longdouble`` (NumPy's FFTs compute in it natively) and the result rounded
back to float64 once: the transform's exact value, not an overflow of NumPy's working precision, is the
reference (``ifft([-1.797e308, -1.797e308, 0.5, 0.0])`` is ``-8.988e307`` for its first element; computed in
float64 it is ``-inf``). An empty signal zero-padded to a length transforms to zeros, which NumPy's
complex-to-real transforms do not give (``np.fft.irfft(np.zeros(0), 3)`` and ``np.fft.hfft(np.zeros(0), 3)``
return whatever their output buffer held): the reference gives the zeros of NumPy's result shape.
"""
from __future__ import annotations

import numpy as np


def _ranged(fn, a, *args):
    """``fn(a, *args)``, in longdouble when float64 could overflow on the way (see the module docstring)."""
    a = np.asarray(a)
    if a.size == 0:  # padded with zeros only: NumPy's complex-to-real kernels return uninitialized memory here
        return np.zeros_like(fn(a, *args))
    if a.dtype.kind in "biu" or a.dtype in (np.float64, np.complex128):
        finite = np.abs(a[np.isfinite(a)]) if a.dtype.kind in "fc" else np.abs(a.astype(np.float64))
        if finite.size and float(finite.max()) * 4.0 * a.size > 2.0 ** 1000:
            wide = np.clongdouble if a.dtype.kind == "c" else np.longdouble
            out = fn(a.astype(wide), *args)
            with np.errstate(all="ignore"):
                return out.astype(np.complex128 if out.dtype.kind == "c" else np.float64)
    return fn(a, *args)


def fft(a, n=None, dim=-1, norm=None):
    return _ranged(np.fft.fft, a, n, dim, norm)


def ifft(a, n=None, dim=-1, norm=None):
    return _ranged(np.fft.ifft, a, n, dim, norm)


def rfft(a, n=None, dim=-1, norm=None):
    return _ranged(np.fft.rfft, a, n, dim, norm)


def irfft(a, n=None, dim=-1, norm=None):
    return _ranged(np.fft.irfft, a, n, dim, norm)


def hfft(a, n=None, dim=-1, norm=None):
    return _ranged(np.fft.hfft, a, n, dim, norm)


def ihfft(a, n=None, dim=-1, norm=None):
    return _ranged(np.fft.ihfft, a, n, dim, norm)


def fft2(a, s=None, dim=(-2, -1), norm=None):
    return _ranged(np.fft.fft2, a, s, dim, norm)


def ifft2(a, s=None, dim=(-2, -1), norm=None):
    return _ranged(np.fft.ifft2, a, s, dim, norm)


def rfft2(a, s=None, dim=(-2, -1), norm=None):
    return _ranged(np.fft.rfft2, a, s, dim, norm)


def irfft2(a, s=None, dim=(-2, -1), norm=None):
    return _ranged(np.fft.irfft2, a, s, dim, norm)


def fftn(a, s=None, dim=None, norm=None):
    return _ranged(np.fft.fftn, a, s, dim, norm)


def ifftn(a, s=None, dim=None, norm=None):
    return _ranged(np.fft.ifftn, a, s, dim, norm)


def rfftn(a, s=None, dim=None, norm=None):
    return _ranged(np.fft.rfftn, a, s, dim, norm)


def irfftn(a, s=None, dim=None, norm=None):
    return _ranged(np.fft.irfftn, a, s, dim, norm)


def fftshift(a, dim=None):
    return np.fft.fftshift(a, dim)


def ifftshift(a, dim=None):
    return np.fft.ifftshift(a, dim)



def _irfftn_default_last(a, s, dim, norm):
    """``irfftn`` as torch documents it for ``s[-1] == -1``: the default output length of the halved dim,
    ``2 * (m - 1)`` for ``m`` input points (NumPy takes ``m`` itself); an integer signal is converted to the
    default dtype, float32, first (and the result is float32)."""
    a = np.asarray(a)
    integer = a.dtype.kind in "biu"
    if integer:
        a = a.astype(np.float32).astype(np.float64)
    axes = list(range(a.ndim - len(s), a.ndim)) if dim is None else list(dim)
    s = list(s)
    s[-1] = 2 * (a.shape[axes[-1]] - 1)
    out = _ranged(np.fft.irfftn, a, s, axes, norm)
    return out.astype(np.float32) if integer else out


def irfftn_default_last(a, s=None, dim=None, norm=None):
    return _irfftn_default_last(a, s, dim, norm)


def irfft2_default_last(a, s=None, dim=(-2, -1), norm=None):
    return _irfftn_default_last(a, s, dim, norm)
