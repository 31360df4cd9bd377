"""NumPy references of sorting and searching, with torch's argument names, and NumPy models of torch's behaviour
where it differs.

Order: NumPy sorts NaN after every number, and so does torch, in ascending order; in descending order torch puts
NaN first, the exact reverse. A stable descending sort keeps equal elements (-0.0 and 0.0 included) in their
original order: :func:`_stable_order` gets it as the reverse of a stable ascending sort of the reversed input.

Where an index is not unique (ties in ``sort`` without ``stable``, ``topk``, ``kthvalue``), the catalogue compares
the input's elements *at* torch's indices with the sorted values instead of the indices themselves: the
references then return the values twice.

Only ``numpy`` is used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import numpy as np


def _stable_order(x, dim, descending):
    """Indices that sort ``x`` along ``dim`` stably (ascending, or descending with NaN first)."""
    if x.ndim == 0:
        return np.zeros((), dtype=np.int64)
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    rev = np.flip(x, axis=dim)
    idx = np.flip(np.argsort(rev, axis=dim, kind="stable"), axis=dim)
    return (x.shape[dim] - 1 - idx).astype(np.int64)


def _take(x, idx, dim):
    if x.ndim == 0:
        return x.copy()
    return np.take_along_axis(x, idx, axis=dim)


def sort_stable_ref(x, dim=-1, descending=False, stable=True):
    """(values, indices) of a stable sort along ``dim``."""
    idx = _stable_order(x, dim, descending)
    return _take(x, idx, dim), idx


def sort_values_ref(x, dim=-1, descending=False):
    """(values, values at the indices): a sort whose indices are not unique on ties."""
    v = _take(x, _stable_order(x, dim, descending), dim)
    return v, v


def argsort_ref(x, dim=-1, descending=False, stable=False):
    """The indices of a stable sort; without ``stable``, the sorted values (what the indices must point at)."""
    idx = _stable_order(x, dim, descending)
    return idx if stable else _take(x, idx, dim)


def topk_ref(x, k, dim=-1, largest=True, sorted=True):
    """(values, values at the indices): the k largest (NaN counted largest) or smallest, in sorted order."""
    n = 1 if x.ndim == 0 else x.shape[dim]
    if not 0 <= k <= n:
        raise ValueError(f"k={k} out of range for {n} elements")
    v = _take(x, _stable_order(x, dim, largest), dim)
    v = v if x.ndim == 0 else np.take(v, np.arange(k), axis=dim)
    return v, v


def kthvalue_ref(x, k, dim=-1, keepdim=False):
    """(values, values at the indices): the k-th smallest element (1-based; NaN sorts last)."""
    n = 1 if x.ndim == 0 else x.shape[dim]
    if not 1 <= k <= n:
        raise ValueError(f"k={k} out of range for {n} elements")
    if x.ndim == 0:
        return x.copy(), x.copy()
    v = np.take(np.sort(x, axis=dim), [k - 1], axis=dim)
    v = v if keepdim else np.squeeze(v, axis=dim)
    return v, v


def unique_ref(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """``np.unique`` (NaNs equal, NumPy's default), returning what torch returns: the unique values (always
    sorted), then the inverse indices (of the input's shape) and the counts, if asked for."""
    out = np.unique(x, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    return _unique_result(x, out, return_inverse, return_counts, dim)


def _unique_result(x, out, return_inverse, return_counts, dim):
    if not (return_inverse or return_counts):
        return out
    out = list(out)
    if return_inverse:
        inv = out[1]
        out[1] = inv.reshape(x.shape) if dim is None else inv.reshape(-1)
    return tuple(out)


def _alike_nan_slots_in_input_order(out, dim, return_counts):
    """Unique values (slices) with NaN that look alike (NaN taken equal to NaN) cannot be told apart, and NumPy's
    order among them is arbitrary: each group of them is relabelled in the order the input first uses them (the
    catalogue's torch callable does the same), the counts moving along."""
    vals = out[0] if dim is None else np.moveaxis(out[0], dim, 0)
    rows = vals.reshape(vals.shape[0], -1).astype(np.float64).tolist()
    keys = [tuple("nan" if e != e else e for e in row) for row in rows]
    group: dict = {}
    for j, key in enumerate(keys):
        group.setdefault(key, []).append(j)
    first_used: dict = {}
    for j in np.asarray(out[1]).reshape(-1).tolist():
        if len(group[keys[j]]) > 1:
            first_used.setdefault(keys[j], {}).setdefault(j, None)
    perm = np.arange(len(keys))
    for key, used in first_used.items():
        order = list(used) + [j for j in group[key] if j not in used]
        perm[order] = group[key]
    back = np.argsort(perm)
    out = list(out)
    out[0] = np.take(out[0], back, axis=0 if dim is None else dim)
    out[1] = perm[out[1]]
    if return_counts:
        out[-1] = out[-1][back]
    return tuple(out)


def unique_torch(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """torch keeps every NaN as a value of its own (with a count of 1), as the array API standard says; which of
    the alike NaN values an input NaN maps to is not defined (:func:`_alike_nan_slots_in_input_order`)."""
    out = np.unique(x, return_inverse=return_inverse, return_counts=return_counts, axis=dim, equal_nan=False)
    if return_inverse:
        out = _alike_nan_slots_in_input_order(out, dim, return_counts)
    return _unique_result(x, out, return_inverse, return_counts, dim)


def searchsorted_ref(sorted_sequence, values, out_int32=False, right=False, side=None):
    """``np.searchsorted`` along the last dim: a 1-D sequence for any ``values``, or one sequence per row of
    ``values`` (same leading dims). ``side`` wins over ``right``; both given must agree."""
    if side is not None and right and side == "left":
        raise ValueError("side and right can't be set to opposites")
    side = side or ("right" if right else "left")
    dt = np.int32 if out_int32 else np.int64
    seq = sorted_sequence
    if seq.ndim <= 1:
        return np.asarray(np.searchsorted(seq.reshape(-1), values, side=side)).astype(dt)
    values = np.asarray(values)
    if values.ndim == 0 or values.shape[:-1] != seq.shape[:-1]:
        raise ValueError("the leading dims of sorted_sequence and values differ")
    count = int(np.prod(seq.shape[:-1]))
    rows = seq.reshape(count, seq.shape[-1])
    vals = values.reshape(count, values.shape[-1])
    out = np.zeros(vals.shape, dtype=dt)
    for i in range(count):
        out[i] = np.searchsorted(rows[i], vals[i], side=side)
    return out.reshape(values.shape)


def _torch_bound(row, v, right):
    """torch's binary search: the first index whose boundary is not (``>=`` / ``>``) the value, with
    comparisons that are False for NaN (so a NaN boundary counts as smaller than everything)."""
    lo, hi = 0, row.shape[0]
    while lo < hi:
        mid = lo + (hi - lo) // 2
        ok = row[mid] > v if right else row[mid] >= v
        if not ok:
            lo = mid + 1
        else:
            hi = mid
    return lo


def searchsorted_torch(sorted_sequence, values, out_int32=False, right=False, side=None):
    """searchsorted as torch computes it (:func:`_torch_bound`), which differs from NumPy's with NaN."""
    if side is not None and right and side == "left":
        raise ValueError("side and right can't be set to opposites")
    right = (side == "right") if side is not None else right
    dt = np.int32 if out_int32 else np.int64
    seq = sorted_sequence
    values = np.asarray(values)
    if seq.ndim <= 1:
        row = seq.reshape(-1)
        return np.array([_torch_bound(row, v, right) for v in values.reshape(-1)],
                        dtype=dt).reshape(values.shape)
    count = int(np.prod(seq.shape[:-1]))
    rows = seq.reshape(count, seq.shape[-1])
    vals = values.reshape(count, values.shape[-1])
    out = np.zeros(vals.shape, dtype=dt)
    for i in range(count):
        out[i] = [_torch_bound(rows[i], v, right) for v in vals[i]]
    return out.reshape(values.shape)


def bincount_ref(x, weights=None, minlength=0):
    return np.bincount(x, weights=weights, minlength=minlength)


def bincount_torch(x, weights=None, minlength=0):
    """torch gives float weights' own dtype to the result (float32 weights: float32); NumPy always float64
    (except for an empty input, where both return int64)."""
    out = np.bincount(x, weights=weights, minlength=minlength)
    if weights is not None and weights.dtype.kind == "f" and x.size:  # both give int64 for an empty input
        return out.astype(weights.dtype)
    return out


def histc_ref(x, bins=100, min=0, max=0):
    """``np.histogram``'s counts: ``bins`` equal bins over [min, max] (the data's range when both are 0), the
    last bin closed on the right, values outside ignored."""
    rng = None if min == 0 and max == 0 else (min, max)
    return np.histogram(x, bins=bins, range=rng)[0]


def histc_bins(v, bins, lo, hi):
    """The bin of each value ``v`` in [lo, hi] as torch's kernel computes it: int((v - lo) * bins / (hi - lo))
    in ``v``'s dtype (a non-finite quotient lands in bin 0), the last bin also taking ``hi``."""
    dt = v.dtype.type
    with np.errstate(all="ignore"):
        left, right = dt(lo), dt(hi)
        q = (v - left) * dt(bins) / (right - left)
        pos = np.where(np.isfinite(q), q, 0).astype(np.int64)
    pos[pos >= bins] = bins - 1
    return pos


def histc_torch(x, bins=100, min=0, max=0):
    """torch.histc as its kernel computes it: the range is [min, max], or the data's when min == max (0 and 0
    included); a range [a, a] is widened to the next representable values or [a - 1, a + 1] (in float64),
    whichever is wider (for the half types [a - 1, a + 1], which stays [a, a] for |a| from 2**53 on: torch raises)
    (for a = +-the largest finite value, whose next value is infinite, every element lands in the last bin, or the
    first for the negative one);
    the bin edges are a linspace in the input's dtype (its last edge is NaN when the step overflows, which then
    keeps every value out); an element in the range goes to the bin :func:`histc_bins` gives, and the counts of a
    half type saturate (:func:`_counted_in`). The counts are given as int64, as the catalogue compares them (their dtype is a divergence of its own)."""
    dt = x.dtype.type
    big = dt(np.inf)
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(np.min(x)), float(np.max(x))
    if lo == hi:
        a = lo
        if x.dtype.itemsize >= 4:
            lo = float(np.minimum(np.nextafter(dt(lo), -big), lo - 1.0))
            hi = float(np.maximum(np.nextafter(dt(hi), big), hi + 1.0))
        else:  # the half types: the next value is taken in float32 and rounds back to a; only a -+ 1 widens
            lo, hi = lo - 1.0, hi + 1.0
            top = float(np.asarray(np.finfo(np.float16).max if np.dtype(x.dtype).name == "float16" else 3.3895e38))
            if abs(lo) > top or abs(hi) > top:
                raise ValueError("value cannot be converted to the input's dtype without overflow")
        if np.isfinite(a) and not (np.isfinite(lo) and np.isfinite(hi)):
            # a is the largest finite value (or its negative): every element (all equal to a) lands in the last
            # bin (the first for -a)
            counts = np.zeros(bins, dtype=np.int64)
            counts[-1 if a > 0 else 0] = int(np.sum(x == dt(a)))
            return _counted_in(counts, x.dtype)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"range of [{lo}, {hi}] is not finite")
    if not lo < hi:
        raise ValueError("max must be larger than min")
    with np.errstate(all="ignore"):
        left, right = dt(lo), dt(hi)
        if not np.isfinite((right - left) / dt(bins)):
            right = dt(np.nan)
        inside = x[(x >= left) & (x <= right)]
    counts = np.bincount(histc_bins(inside, bins, left, right), minlength=bins).astype(np.int64)
    return _counted_in(counts, x.dtype)


def _counted_in(counts, dtype):
    """Counts added one at a time in a half type stop growing at 2048 (float16: 2048 + 1 rounds to 2048) or 256
    (bfloat16)."""
    limit = {"float16": 2048, "bfloat16": 256}.get(np.dtype(dtype).name)
    return counts if limit is None else np.minimum(counts, limit)


def searchsorted_sorted_ref(boundaries, values, out_int32=False, right=False, side=None):
    """:func:`searchsorted_ref` on ``boundaries`` sorted along the last dim (NaN last)."""
    return searchsorted_ref(np.sort(boundaries, axis=-1), values, out_int32, right, side)


def searchsorted_sorted_torch(boundaries, values, out_int32=False, right=False, side=None):
    return searchsorted_torch(np.sort(boundaries, axis=-1), values, out_int32, right, side)


def searchsorted_wrapped_torch(boundaries, values, out_int32=False, right=False, side=None):
    """torch converts a Python int value to the boundaries' dtype first (wrapping around)."""
    with np.errstate(all="ignore"):
        v = np.array(values).astype(boundaries.dtype)
    return searchsorted_sorted_ref(boundaries, v, out_int32, right, side)



# ---- argwhere, nonzero, isin -----------------------------------------------------------------------------

def nonzero_ref(x, as_tuple=False):
    """``np.argwhere`` (one row of indices per nonzero element), or ``np.nonzero`` with ``as_tuple``."""
    return tuple(np.nonzero(x)) if as_tuple else np.argwhere(x)


def nonzero_torch(x, as_tuple=False):
    """torch takes a 0-d input as a 1-element 1-D one with ``as_tuple`` (np.nonzero refuses 0-d arrays)."""
    return tuple(np.nonzero(np.atleast_1d(x))) if as_tuple and x.ndim == 0 else nonzero_ref(x, as_tuple)


def isin_ref(elements, test_elements, assume_unique=False, invert=False):
    return np.isin(elements, test_elements, assume_unique=assume_unique, invert=invert)


def isin_wrapped_torch(elements, test_elements, assume_unique=False, invert=False):
    """torch converts a Python int on either side to the other side's dtype first (wrapping around)."""
    with np.errstate(all="ignore"):
        if not isinstance(elements, np.ndarray):
            elements = np.array(elements).astype(test_elements.dtype)
        if not isinstance(test_elements, np.ndarray):
            test_elements = np.array(test_elements).astype(elements.dtype)
    return np.isin(elements, test_elements, assume_unique=assume_unique, invert=invert)
