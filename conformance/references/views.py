"""NumPy references of the view and shape ops, with torch's argument names and order.

Where NumPy has the op (``np.reshape``, ``np.squeeze``, ``np.diagonal``, ...) the catalogue uses it directly; the
functions here rename arguments or write torch's documented op with NumPy slicing where NumPy has no single
call (``narrow``, ``select``, ``unfold``, ``expand``). A 0-d input of the dim-taking ops is treated as a 1-element
1-D one, as torch documents for dims of scalars (dim 0 and -1 are valid on it). Functions whose name ends in
``_torch`` implement a documented torch behaviour that differs from NumPy's: the catalogue's divergence records
use them.

Only ``numpy`` and ``math`` are used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import math

import numpy as np


def _axis(dim, ndim):
    """``dim`` wrapped for an array of ``ndim`` dims (0-d arrays take dims as 1-D ones); raises if invalid."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"dim {dim} out of range for {ndim} dims")
    return dim % n


def squeeze(x, dim=None):
    return np.squeeze(x, axis=dim)


def squeeze_torch(x, dim=None):
    """torch.squeeze with ``dim``: dims of size 1 among ``dim`` are removed, the others are left as they are."""
    if x.ndim == 0:
        return x.copy()
    dims = dim if isinstance(dim, tuple) else (dim,)
    axes = tuple(sorted({_axis(d, x.ndim) for d in dims}))
    return np.squeeze(x, axis=tuple(a for a in axes if x.shape[a] == 1))


def flatten(x, start_dim=0, end_dim=-1):
    """torch.flatten: dims ``start_dim..end_dim`` merged into one (a 0-d input gives a 1-element 1-D one)."""
    if x.ndim == 0:
        _axis(start_dim, 0)
        _axis(end_dim, 0)
        return x.reshape(1)
    s, e = _axis(start_dim, x.ndim), _axis(end_dim, x.ndim)
    if s > e:
        raise ValueError("start_dim cannot come after end_dim")
    return x.reshape(x.shape[:s] + (math.prod(x.shape[s:e + 1]),) + x.shape[e + 1:])


def transpose(x, dim0, dim1):
    return np.swapaxes(x, dim0, dim1)


def transpose_torch(x, dim0, dim1):
    """torch.transpose of a 0-d tensor: dims 0 and -1 are valid and nothing moves."""
    _axis(dim0, 0)
    _axis(dim1, 0)
    return x.copy()


def expand(x, sizes):
    """Tensor.expand: new leading dims, size-1 dims broadcast to ``sizes``, -1 keeps a dim's size."""
    sizes = tuple(sizes)
    lead = len(sizes) - x.ndim
    if lead < 0:
        raise ValueError("expand: fewer sizes than dims")
    shape = []
    for i, s in enumerate(sizes):
        if s == -1:
            if i < lead:
                raise ValueError("expand: -1 is not allowed for a new leading dim")
            s = x.shape[i - lead]
        shape.append(s)
    return np.broadcast_to(x, tuple(shape))


def broadcast_to_torch(x, shape):
    """torch.broadcast_to is ``x.expand(shape)``: -1 keeps the size of an existing dim."""
    return expand(x, shape)


def matrix_transpose(x):
    return np.swapaxes(x, -1, -2)


def identity_torch(x):
    """What torch gives for a 0-d input here: the input itself."""
    return x.copy()


def narrow(x, dim, start, length):
    """torch.narrow: ``length`` elements from ``start`` along ``dim`` (a negative start counts from the end)."""
    if x.ndim == 0:
        raise IndexError("narrow of a 0-d array")
    d = _axis(dim, x.ndim)
    n = x.shape[d]
    if not -n <= start <= n:
        raise IndexError("start out of range")
    start = start % n if start < 0 else start
    if length < 0 or start + length > n:
        raise IndexError("start + length exceeds the dimension")
    return x[(slice(None),) * d + (slice(start, start + length),)]


def select(x, dim, index):
    """torch.select: the slice at ``index`` along ``dim`` (negative indices count from the end)."""
    if x.ndim == 0:
        raise IndexError("select of a 0-d array")
    return np.take(x, index, axis=dim)


def unfold(x, dimension, size, step):
    """Tensor.unfold: all slices of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim
    (a 0-d input is a 1-element 1-D one and gives a 1-D result)."""
    if step <= 0 or size < 0:
        raise ValueError("unfold needs step > 0 and size >= 0")
    xx = x.reshape(1) if x.ndim == 0 else x
    d = _axis(dimension, x.ndim)
    n = xx.shape[d]
    if size > n:
        raise ValueError("unfold: size is larger than the dimension")
    count = (n - size) // step + 1
    starts = np.arange(count) * step
    pieces = [np.take(xx, np.arange(s, s + size), axis=d) for s in starts]
    out = np.stack(pieces, axis=d) if pieces else np.zeros(xx.shape[:d] + (0, size) + xx.shape[d + 1:], xx.dtype)
    out = np.moveaxis(out, d + 1, -1)
    return out.reshape(size) if x.ndim == 0 else out


def diagonal(x, offset=0, dim1=0, dim2=1):
    """np.diagonal with torch's argument names."""
    return np.diagonal(x, offset, dim1, dim2)


# ---- rearranging and matrix construction (NumPy has each as one call: torch's argument names here) ---------

def diag(x, diagonal=0):
    return np.diag(x, diagonal)


def diagflat(x, offset=0):
    return np.diagflat(x, offset)


def roll(x, shifts, dims=None):
    return np.roll(x, shifts, dims)


def rot90(x, k=1, dims=(0, 1)):
    return np.rot90(x, k, tuple(dims))


def tile(x, dims):
    return np.tile(x, dims)


def vander(x, N=None, increasing=False):
    return np.vander(x, N, increasing)


def meshgrid(*tensors, indexing="xy"):
    """np.meshgrid (its default indexing is 'xy'), as a tuple."""
    return tuple(np.meshgrid(*tensors, indexing=indexing))


def meshgrid_ij_torch(*tensors, indexing="ij"):
    """torch.meshgrid without ``indexing``: 'ij' (with a UserWarning that the default will change)."""
    return tuple(np.meshgrid(*tensors, indexing="ij"))


def diag_e8m0_torch(x, diagonal=0):
    """torch.diag of float8_e8m0fnu (no zero in the format): the fill off the diagonal has zero's bit pattern,
    which is 2**-127 there."""
    out = np.diag(x, diagonal)
    return np.where(out == 0, 2.0 ** -127, out)


def diagflat_e8m0_torch(x, offset=0):
    """torch.diagflat of float8_e8m0fnu: as :func:`diag_e8m0_torch`."""
    out = np.diagflat(x, offset)
    return np.where(out == 0, 2.0 ** -127, out)
