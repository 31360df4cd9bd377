"""Value fills: NumPy arrays of a given shape and dtype, made from a seed.

Hypothesis draws the structure of an example (shapes, dtypes, layouts, a seed); the values come from a seeded
NumPy generator, which is much cheaper than drawing elements one by one and gives more variety. Each structural
example is checked with several fills:

* ``ordinary``: moderate values (floats ~ N(0, 1) times a scale of 1 or 100, small integers);
* ``special``: ordinary values with about a third replaced by special values — NaN, ±inf, -0.0, subnormals,
  the dtype's extremes, ±1, ±0.5 for floats; 0, ±1 and the extremes for integers;
* ``extreme``: magnitudes spread over the dtype's whole exponent range (floats) or its whole range (integers).

A ``domain`` restricts values for arguments that need it (an index array, an exponent): ``("int", lo, hi)``
gives integers in ``[lo, hi)``, ``("float", lo, hi)`` reals in ``[lo, hi]`` (with the bounds themselves mixed in
by the ``special`` fill), whatever the fill. ``("nan", rate, 0)`` keeps the fill's own values and, in the
``special`` and ``extreme`` fills, makes a fraction ``rate`` of them NaN (floating and complex dtypes; others are
filled as usual): for ops where NaN matters.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from conformance import dtypes

FILLS = ("ordinary", "special", "extreme")


@functools.lru_cache(maxsize=None)
def _info(name: str):
    if name == "bool":
        return None
    if dtypes.is_integral(name):
        return dtypes.iinfo(name)
    return dtypes.finfo(name)


@functools.lru_cache(maxsize=None)
def specials(name: str) -> np.ndarray:
    """The special values of a dtype, for mixing into fills: float64 for floating and complex dtypes (only those
    the dtype holds: a float8 format without infinities has none), the dtype itself for integers."""
    if name == "bool":
        return np.array([False, True])
    info = _info(name)
    if dtypes.is_integral(name):
        vals = {0, 1, int(info.max), int(info.min), int(info.max) - 1}
        if info.min < 0:
            vals |= {-1, int(info.min) + 1}
        return np.array(sorted(vals), dtype=dtypes.NUMPY[name])
    sub = float(info.smallest_subnormal)
    cands = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, sub, -sub, float(info.tiny), float(info.max),
                      -float(info.max), 1.0, -1.0, 0.5, -0.5, 2.0])
    if dtypes.is_ml(name):  # keep what the format holds (and NaN): e4m3fn has no infinity, e8m0 no sign or zero
        with np.errstate(all="ignore"):
            back = cands.astype(dtypes.NUMPY[name]).astype(np.float64)
        keep = np.isnan(cands) | (back == cands) & (np.signbit(back) == np.signbit(cands))
        cands = cands[keep]
    return cands


def poison(name: str):
    """The value written into the gaps of strided layouts: an op that reads a gap shows it."""
    if name == "bool":
        return True
    if dtypes.is_integral(name):
        return int(_info(name).max) - 3
    if dtypes.is_complex(name):
        return complex(float("nan"), float("nan"))
    return float("nan")


def _real(rng: np.random.Generator, size: int, name: str, mode: str) -> np.ndarray:
    """float64 values that the float dtype ``name`` holds (before rounding to it)."""
    if mode == "extreme":
        info = _info(name)
        lo, hi = np.log2(float(info.smallest_subnormal)), np.log2(float(info.max))
        mag = np.exp2(rng.uniform(lo, hi, size))
        return np.where(rng.random(size) < 0.5, -mag, mag)
    scale = 100.0 if rng.random() < 0.3 else 1.0
    vals = rng.standard_normal(size) * scale
    if mode == "special":
        _mix_specials(rng, vals, specials(name))
    return vals


def _mix_specials(rng, vals: np.ndarray, pool: np.ndarray) -> None:
    """About a third of ``vals`` made special values, in place: every special value of the pool at least once
    where there is room for all of them (at random places), so that a bug that lives on one of them (-inf, -0.0,
    the largest value) shows on every array of some size, not on one in forty."""
    size = vals.size
    if size == 0:
        return
    hit = rng.random(size) < 0.35
    vals[hit] = rng.choice(pool, int(hit.sum()))
    k = min(size // 2, pool.size)
    if k:
        where = rng.choice(size, k, replace=False)
        vals[where] = rng.permutation(pool)[:k]


def _integral(rng: np.random.Generator, size: int, name: str, mode: str) -> np.ndarray:
    """Values of the integer dtype ``name``, in that dtype (uint64's range does not fit in int64)."""
    info = _info(name)
    dt = dtypes.NUMPY[name]
    if mode == "extreme":
        return rng.integers(int(info.min), int(info.max), size, endpoint=True, dtype=dt)
    lo = max(int(info.min), -10)
    vals = rng.integers(lo, 11, size, dtype=np.int64).astype(dt)
    if mode == "special":
        _mix_specials(rng, vals, specials(name))
    return vals


def _cast(vals: np.ndarray, name: str) -> np.ndarray:
    with np.errstate(all="ignore"):
        return vals.astype(dtypes.NUMPY[name])


def fill(rng: np.random.Generator, shape: tuple, name: str, mode: str = "ordinary",
         domain: tuple | None = None) -> np.ndarray:
    """An array of ``shape`` and dtype ``name`` with values of the given fill ``mode``."""
    size = math.prod(shape)
    if domain is not None:
        vals = _domain(rng, size, name, mode, domain)
    elif name == "bool":
        vals = rng.random(size) < 0.5
    elif dtypes.is_integral(name):
        vals = _integral(rng, size, name, mode)
    elif dtypes.is_complex(name):
        vals = np.empty(size, dtype=np.complex128)  # not re + 1j*im: 1j*inf would put a NaN in the real part
        vals.real = _real(rng, size, name, mode)
        vals.imag = _real(rng, size, name, mode)
    else:
        vals = _real(rng, size, name, mode)
    return _cast(vals, name).reshape(shape)


def _domain(rng, size, name, mode, domain):
    kind, lo, hi = domain
    if kind == "nan":  # the fill's own values; a fraction ``lo`` of them NaN in the special and extreme fills
        return _with_nans(rng, size, name, mode, lo)
    if kind == "int":
        if hi <= lo:
            return np.zeros(size, dtype=np.int64)
        return rng.integers(lo, hi, size, dtype=np.int64)
    vals = rng.uniform(lo, hi, size)
    if mode == "special":
        hit = rng.random(size) < 0.35
        vals[hit] = rng.choice(np.array([lo, hi, 0.0 if lo <= 0 <= hi else lo]), int(hit.sum()))
    if dtypes.is_integral(name) or name == "bool":
        vals = np.round(vals)
    return vals


def _with_nans(rng, size, name, mode, rate):
    if name == "bool":
        return rng.random(size) < 0.5
    if dtypes.is_integral(name):
        return _integral(rng, size, name, mode)
    if dtypes.is_complex(name):
        vals = np.empty(size, dtype=np.complex128)
        vals.real = _real(rng, size, name, mode)
        vals.imag = _real(rng, size, name, mode)
    else:
        vals = _real(rng, size, name, mode)
    if mode != "ordinary":
        vals[rng.random(size) < rate] = np.nan
    return vals
