"""Argument strategies for torch.fft: the signal, its length (``n`` / ``s``: padded, truncated, -1), the transformed
dims (``dim``: absent, an int or a tuple, negative ones included), ``norm`` (absent, None, "backward", "ortho",
"forward"), spelled positionally or by keyword; and ``fftshift``'s ``dim``.

Every strategy draws structure only (a shape, the arguments, a seed); values come from the case's seeded fills.
Strategies are written for the kind representatives (bool, uint8, int16, float32, complex64) and the cell's own
array is built with the ``dtype`` they are given (a :class:`~conformance.dtypes.CellDtype`).

* Shapes come from the size classes of :mod:`conformance.strategies.shapes`: the last dim is the long one, and
  the transformed dim is the last one (absent ``dim``, or ``-1``) more often than not, so lengths of 16 to 4,099
  (powers of two, primes such as 257, 1031, 4099, smooth and unsmooth composites) reach the library's
  mixed-radix and prime-length paths. An FFT costs ``O(N log N)`` in both libraries: no side is capped.
* ``n`` (one-dim transforms) is absent, ``None``, the length itself, a padded length, a truncated one, 1, or 0
  (which both libraries refuse); for the Hermitian-input transforms (``irfft``, ``hfft``), whose ``n`` is the
  output length, also ``2 * (m - 1)`` and ``2 * m - 1`` (the even and odd lengths an ``m``-point half spectrum
  comes from). ``n`` is a Python int, now and then a NumPy integer (``np.int64``), which both accept.
* ``s`` (n-dim transforms) is a tuple of such lengths, one per transformed dim, ``-1`` (keep the length) among
  them; with ``dim`` absent it names the last ``len(s)`` dims.
* ``dim`` for n-dim transforms: a tuple (now and then a list) of distinct dims, negative ones included, rarely the
  empty tuple, and, for ``fftn`` / ``ifftn``, rarely a dim named twice (NumPy transforms it twice; torch refuses:
  divergence ``fftn-repeated-dims``).
"""
from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import seeds, shapes

#: marks an argument left out of the call (the op's default applies)
OMIT = object()

NORMS = st.sampled_from((OMIT, OMIT, None, "backward", "ortho", "forward"))
#: how the optional arguments are spelled: positionally (as far as the last one given), by keyword, or mixed
SPELLINGS = st.sampled_from(("keyword", "keyword", "positional", "mixed"))


@functools.lru_cache(maxsize=None)
def _index(k: int):
    """An index in ``range(k)`` (strategies are built once: building one per draw costs more than the draw)."""
    return st.integers(0, k - 1)


@functools.lru_cache(maxsize=None)
def _permutation(n: int):
    return st.permutations(range(n))


def _choice(draw, options):
    return options[draw(_index(len(options)))]


def draw_length(draw, length: int, hermitian: bool = False):
    """A transform length ``n`` for a dim of ``length`` elements (see the module docstring)."""
    choices = [length, length + 1, length + 7, 2 * length + 3, max(length - 1, 1), max(length // 2, 1), 1, 0]
    if hermitian:
        choices += [max(2 * (length - 1), 1), 2 * length - 1 if length else 1, 2 * length]
    n = _choice(draw, choices)
    return np.int64(n) if draw(_index(4)) == 3 else n


def _spell(names, values, defaults, spelling: str):
    """``(args, kwargs)`` after the signal: ``names[i]`` = ``values[i]`` (or :data:`OMIT`), spelled as drawn; a
    positional spelling fills the omitted arguments before the last given one with their defaults."""
    given = [i for i, v in enumerate(values) if v is not OMIT]
    if spelling == "keyword" or not given:
        return (), {n: v for n, v in zip(names, values) if v is not OMIT}
    last = given[-1] if spelling == "positional" else given[0]
    args = tuple(defaults[i] if values[i] is OMIT else values[i] for i in range(last + 1))
    kwargs = {n: v for i, (n, v) in enumerate(zip(names, values)) if i > last and v is not OMIT}
    return args, kwargs


def _case(spec: ArraySpec, rest: tuple, kwargs: dict, seed: int) -> Case:
    return Case((spec,) + rest, tuple(kwargs.items()), seed)


@st.composite
def one_dim(draw, dtype: str, hermitian: bool = False):
    """``(input, n, dim, norm)`` for fft, ifft, rfft, irfft, hfft, ihfft."""
    shape = draw(shapes(min_dims=0))
    ndim = len(shape)
    dim = _choice(draw, (OMIT, OMIT, -1, "drawn"))
    if dim == "drawn":
        dim = draw(_index(2 * max(ndim, 1))) - max(ndim, 1)  # negative dims included; -1 and 0 for 0-dim
    axis_len = shape[dim if dim is not OMIT else -1] if ndim and (dim is OMIT or -ndim <= dim < ndim) else 1
    n = _choice(draw, (OMIT, OMIT, None, "drawn"))
    if n == "drawn":
        n = draw_length(draw, axis_len, hermitian)
    norm = draw(NORMS)
    args, kwargs = _spell(("n", "dim", "norm"), (n, dim, norm), (None, -1, None), draw(SPELLINGS))
    return _case(ArraySpec(shape, dtype), args, kwargs, draw(seeds))


def _dim_tuple(draw, ndim: int, count=None, repeat: bool = False):
    """A tuple of distinct dims (``count`` of them, or any number from 1), negative ones included; rarely the
    empty tuple, a list, or (``repeat``) a dim named twice."""
    form = _choice(draw, ("tuple",) * 8 + ("list", "empty") + (("repeat",) if repeat else ()))
    if ndim == 0 or form == "empty":
        return ()
    k = count if count is not None else 1 + draw(_index(ndim))
    k = min(k, ndim)
    chosen = draw(_permutation(ndim))[:k]
    picked = [d - ndim if draw(_index(2)) else d for d in chosen]
    if form == "repeat":
        picked.append(picked[0] - ndim if picked[0] >= 0 else picked[0] + ndim)
    return list(picked) if form == "list" else tuple(picked)


@st.composite
def n_dim(draw, dtype: str, two: bool = False, hermitian: bool = False, repeat: bool = False):
    """``(input, s, dim, norm)`` for the 2-dim (``two``: ``dim`` defaults to the last two) and n-dim transforms."""
    shape = draw(shapes(min_dims=1 if two else 0))
    ndim = len(shape)
    dim = _choice(draw, (OMIT, OMIT, "drawn"))
    if dim == "drawn":
        dim = _dim_tuple(draw, ndim, 2 if two and draw(_index(4)) else None, repeat)
    if dim is OMIT:
        count = min(2, ndim) if two else draw(_index(ndim + 1))
        axes = list(range(ndim - count, ndim))
    else:
        axes = list(dim)
    s = _choice(draw, (OMIT, OMIT, None, "drawn"))
    if s == "drawn":
        found = []
        for i, a in enumerate(axes):
            length = shape[a] if -ndim <= a < ndim else 1
            last = i == len(axes) - 1
            found.append(-1 if draw(_index(5)) == 0 else int(draw_length(draw, length, hermitian and last)))
        if dim is OMIT and not two and found and draw(_index(2)):
            found = found[1:]  # s names the last len(s) dims when dim is absent
        s = tuple(found) if found or draw(_index(2)) else OMIT
    norm = draw(NORMS)
    default_dim = (-2, -1) if two else None
    args, kwargs = _spell(("s", "dim", "norm"), (s, dim, norm), (None, default_dim, None), draw(SPELLINGS))
    return _case(ArraySpec(shape, dtype), args, kwargs, draw(seeds))


@st.composite
def shift(draw, dtype: str):
    """``(input, dim)`` for fftshift / ifftshift: ``dim`` absent, None, an int, or a tuple (a dim named twice
    shifts it twice, in both libraries)."""
    shape = draw(shapes(min_dims=0))
    ndim = len(shape)
    form = _choice(draw, ("omit", "omit", "None", "int", "tuple", "tuple", "repeat"))
    if form == "omit":
        dim = OMIT
    elif form == "None":
        dim = None
    elif form == "int":
        dim = draw(_index(2 * max(ndim, 1))) - max(ndim, 1)
    else:
        dim = _dim_tuple(draw, ndim, repeat=form == "repeat")
    args, kwargs = _spell(("dim",), (dim,), (None,), draw(SPELLINGS))
    return _case(ArraySpec(shape, dtype), args, kwargs, draw(seeds))


def fft_inputs(dtype):
    return one_dim(dtype)


def hermitian_inputs(dtype):
    return one_dim(dtype, hermitian=True)


def fft2_inputs(dtype):
    return n_dim(dtype, two=True)


def irfft2_inputs(dtype):
    return n_dim(dtype, two=True, hermitian=True)


def fftn_inputs(dtype):
    return n_dim(dtype, repeat=True)


def rfftn_inputs(dtype):
    return n_dim(dtype)


def irfftn_inputs(dtype):
    return n_dim(dtype, hermitian=True)


def shift_inputs(dtype):
    return shift(dtype)
