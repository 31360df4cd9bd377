"""Planted bugs for the fft family: a ``norm="forward"`` transform scaled by ``1/sqrt n`` (the "ortho" factor)
instead of ``1/n``, irfft's default output length off by one (``2 m - 1`` instead of ``2 (m - 1)``), ihfft without
its conjugation (``rfft(x) / n``), and a float64 rfft computed in float32 (a precision bug only the derived bound
can see)."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when

#: the optional arguments of the one-dim transforms, in order after the signal
NAMES = ("n", "dim", "norm")
DEFAULTS = (None, -1, None)


def arg(args, kwargs, name):
    """The value of ``name`` in a call ``fn(x, *args, **kwargs)`` of a one-dim transform (or its default)."""
    if name in kwargs:
        return kwargs[name]
    i = NAMES.index(name)
    return args[i] if i < len(args) else DEFAULTS[i]


def _call(orig, x, args, kwargs, **changed):
    """The original transform with some arguments changed (spelled as keywords)."""
    spelled = {n: arg(args, kwargs, n) for n in NAMES}
    spelled.update(changed)
    return orig(x, **spelled)


def _length(x, args, kwargs) -> int:
    n = arg(args, kwargs, "n")
    if n is not None:
        return int(n)
    dim = arg(args, kwargs, "dim")
    return x.shape[dim] if x.dim() else 1


def _forward_as_ortho(orig, x, *a, **k):
    return _call(orig, x, a, k, norm="ortho")


def _irfft_odd_default(orig, x, *a, **k):
    m = x.shape[arg(a, k, "dim")]
    return _call(orig, x, a, k, n=2 * m - 1)


def _ihfft_unconjugated(orig, x, *a, **k):
    return orig(x, *a, **k).conj().resolve_conj()


def _rfft_in_float32(orig, x, *a, **k):
    return orig(x.to(torch.float32), *a, **k).to(torch.complex128)


def _valid_dim(x, a, k) -> bool:
    dim = arg(a, k, "dim")
    return isinstance(dim, int) and x.dim() > 0 and -x.dim() <= dim < x.dim()


BUGS = [
    PlantedBug(
        "fft-forward-norm-ortho-scale", "fft",
        'fft with norm="forward" scales by 1/sqrt(n) (the "ortho" factor) instead of 1/n',
        "torch.fft.fft",
        when(lambda x, *a, **k: arg(a, k, "norm") == "forward" and _valid_dim(x, a, k) and _length(x, a, k) > 1,
             _forward_as_ortho),
        "test_forward and fft- and not rfft and not ifft and not hfft and not fftn and not fft2 and not shift"),
    PlantedBug(
        "irfft-default-n-off-by-one", "fft",
        "irfft without n gives 2m - 1 output points for an m-point half spectrum instead of 2(m - 1)",
        "torch.fft.irfft",
        when(lambda x, *a, **k: arg(a, k, "n") is None and _valid_dim(x, a, k) and x.shape[arg(a, k, "dim")] > 1,
             _irfft_odd_default),
        "test_forward and irfft- and not irfftn and not irfft2"),
    PlantedBug(
        "ihfft-missing-conjugation", "fft",
        "ihfft returns rfft(x) / n: the conjugation of the Hermitian inverse is missing",
        "torch.fft.ihfft",
        when(lambda x, *a, **k: x.numel() > 1, _ihfft_unconjugated),
        "test_forward and ihfft-"),
    PlantedBug(
        "rfft-float64-in-float32", "fft",
        "rfft of a float64 signal of 16 or more elements is computed in float32 (and returned as complex128)",
        "torch.fft.rfft",
        when(lambda x, *a, **k: x.dtype == torch.float64 and x.numel() >= 16, _rfft_in_float32),
        "test_forward and rfft-cpu-float64"),
]
