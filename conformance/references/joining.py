"""NumPy references of the joining and splitting ops, with torch's argument names and order.

``cat``/``stack`` are ``np.concatenate``/``np.stack``; ``tensor_split`` and ``chunk`` are compared with
``np.array_split``; ``split`` (by a size or by a list of sizes) and ``unbind`` are written from torch's
documentation with NumPy slicing. Functions whose name ends in ``_torch`` implement a documented torch behaviour
that differs from NumPy's (used by the catalogue's divergence records).

Only ``numpy`` and ``math`` are used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import math

import numpy as np


def cat(tensors, dim=0):
    return np.concatenate(tensors, axis=dim)


def stack(tensors, dim=0):
    return np.stack(tensors, axis=dim)


def _category(dt):
    return {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}.get(np.dtype(dt).kind, 2)


def result_type_torch(arrays):
    """torch's type promotion of tensors of the same dim kind: the highest category (bool < integer < floating <
    complex) wins, and within it (floating types with complex) the types promote as in NumPy; an integer never
    widens a floating type (int32 with float16 gives float16, where NumPy gives float64)."""
    dts = [np.asarray(a).dtype for a in arrays]
    top = max(_category(d) for d in dts)
    within = [d for d in dts if _category(d) == top or (top == 3 and _category(d) == 2)]
    return np.result_type(*within)


def cat_torch(tensors, dim=0):
    """torch.cat as documented: 1-D tensors of shape (0,) are skipped (whatever the other tensors' shapes), but
    their dtypes still take part in the type promotion, which follows :func:`result_type_torch`."""
    dt = result_type_torch(tensors)
    kept = [a for a in tensors if not (a.ndim == 1 and a.shape[0] == 0)]
    if not kept:
        return np.zeros((0,), dtype=dt)
    return np.concatenate([a.astype(dt) for a in kept], axis=dim)


def hstack_torch(tensors):
    """torch.hstack as documented: at least 1-D, then torch.cat along dim 0 if the first tensor is 1-D, else
    along dim 1 (NumPy's rule), with torch.cat's skipping of 1-D tensors of shape (0,)."""
    lifted = [np.atleast_1d(a) for a in tensors]
    return cat_torch(lifted, 0 if lifted and lifted[0].ndim == 1 else 1)


def split(x, split_size_or_sections, dim=0):
    """torch.split: pieces of ``split_size`` along ``dim`` (the last one smaller), or one piece per size of a
    list of sizes that must add up to the dimension."""
    if x.ndim == 0:
        raise ValueError("split of a 0-d array")
    d = dim % x.ndim if -x.ndim <= dim < x.ndim else None
    if d is None:
        raise IndexError("dim out of range")
    n = x.shape[d]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 0 or (size == 0 and n > 0):
            raise ValueError("split_size must be positive (or 0 for an empty dimension)")
        if n == 0:
            return [x]
        return np.array_split(x, list(range(size, n, size)), axis=d)
    sizes = list(split_size_or_sections)
    if any(s < 0 for s in sizes) or sum(sizes) != n:
        raise ValueError("split sizes must be non-negative and add up to the dimension")
    ends = np.cumsum(sizes)
    return [x[(slice(None),) * d + (slice(e - s, e),)] for s, e in zip(sizes, ends)]


def tensor_split(x, indices_or_sections, dim=0):
    return np.array_split(x, indices_or_sections, axis=dim)


def chunk(x, chunks, dim=0):
    return np.array_split(x, chunks, axis=dim)


def chunk_torch(x, chunks, dim=0):
    """torch.chunk as documented: every chunk has ``ceil(n / chunks)`` elements but the last, which is smaller,
    so fewer than ``chunks`` chunks may come back (13 elements in 6 chunks: 3, 3, 3, 3, 1); an empty dimension
    gives ``chunks`` empty chunks."""
    if x.ndim == 0:
        raise ValueError("chunk of a 0-d array")
    if chunks <= 0:
        raise ValueError("chunks must be positive")
    d = dim % x.ndim
    n = x.shape[d]
    if n == 0:
        return [x] * chunks
    size = math.ceil(n / chunks)
    return [x[(slice(None),) * d + (slice(s, min(s + size, n)),)] for s in range(0, n, size)]


def unbind(x, dim=0):
    """torch.unbind: the slices along ``dim``, each without that dim."""
    if x.ndim == 0:
        raise ValueError("unbind of a 0-d array")
    return [np.take(x, i, axis=dim) for i in range(x.shape[dim])]
