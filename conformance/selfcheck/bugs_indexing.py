"""Planted bugs for the indexing family: each wrong only under a condition."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when

GENERIC = "test_forward"


def _tensor(x):
    return isinstance(x, torch.Tensor)


def _alpha(*a, **k):
    return k.get("alpha", 1) != 1


def _index_add_without_alpha(orig, x, dim, index, source, *a, **k):
    k.pop("alpha", None)
    return orig(x, dim, index, source, *a, **k)


def _needs_broadcast(x, indices, dim=None, *a, **k):
    if dim is None or not (_tensor(x) and _tensor(indices)) or x.dim() != indices.dim():
        return False
    d = dim % x.dim()
    return any(i != d and s != t for i, (s, t) in enumerate(zip(x.shape, indices.shape)))


def _gather_without_broadcast(orig, x, indices, dim=None, *a, **k):
    return torch.gather(x, dim, indices)  # gather does not broadcast: wrong (or raising) shapes


def _amax_without_self(x, dim, index, src, reduce, *a, include_self=True, **k):
    return reduce in ("amax", "amin") and not include_self


def _keep_self(orig, x, dim, index, src, reduce, *a, include_self=True, **k):
    return orig(x, dim, index, src, reduce, *a, include_self=True, **k)


def _negative_dim(x, dim, index, *a, **k):
    return _tensor(x) and dim < 0 and x.dim() >= 2


def _gather_dim_off_by_one(orig, x, dim, index, *a, **k):
    return orig(x, dim + x.dim() - 1, index, *a, **k)


def _empty_index(x, dim, index, *a, **k):
    return _tensor(index) and index.numel() == 0


def _has_duplicates(x, dim, index, src, *a, **k):
    if not _tensor(index) or index.numel() < 2 or index.dim() == 0:
        return False
    d = dim % index.dim()
    return bool((index.sort(dim=d).values.diff(dim=d) == 0).any()) if index.shape[d] > 1 else False


def _last_duplicate_wins(orig, x, dim, index, src, *a, **k):
    region = src[tuple(slice(0, s) for s in index.shape)]
    return x.scatter(dim, index, x.gather(dim, index) + region)  # each duplicate overwrites the previous sum


def _mask_setitem(self, index, value):
    parts = index if isinstance(index, tuple) else (index,)
    return (any(_tensor(p) and p.dtype == torch.bool and p.dim() > 0 for p in parts) and _tensor(value)
            and value.dim() >= 1 and value.shape[-1] > 1)


def _value_flipped(orig, self, index, value):
    return orig(self, index, value.flip(-1))  # broadcast along the wrong end


def _mask_fewer_dims(x, mask, *a, **k):
    return _tensor(mask) and 0 < mask.dim() < x.dim()


def _mask_aligned_left(orig, x, mask, *a, **k):
    return orig(x, mask.reshape(mask.shape + (1,) * (x.dim() - mask.dim())), *a, **k)


def _noncontiguous_source(x, mask, source, *a, **k):
    return _tensor(source) and not source.is_contiguous() and source.numel() > 1


def _source_in_storage_order(orig, x, mask, source, *a, **k):
    raw = torch.as_strided(source, source.shape, torch.empty(source.shape).stride(), source.storage_offset())
    return orig(x, mask, raw, *a, **k)  # the storage read as if it were contiguous


def _scatter_src_duplicates(x, dim, index, src=None, *a, **k):
    return _tensor(src) and not k.get("reduce") and _has_duplicates(x, dim, index, src)


def _duplicates_summed(orig, x, dim, index, src, *a, **k):
    region = src[tuple(slice(0, s) for s in index.shape)]
    return orig(x, dim, index, 0).scatter_add(dim, index, region)  # a sum, not one of the values written


def _bfloat16_duplicates(x, dim, index, src, *a, **k):
    return (_tensor(x) and x.dtype == torch.bfloat16 and _tensor(index) and index.dim() > 0
            and index.shape[dim % index.dim()] > 1)


def _accumulated_in_bfloat16(orig, x, dim, index, src, *a, **k):
    """One slice of the index at a time: every partial sum rounded to bfloat16 (torch computes in float32)."""
    d = dim % index.dim()
    out = x.clone()
    for j in range(index.shape[d]):
        out = orig(out, dim, index.narrow(d, j, 1), src.narrow(d, j, 1), *a, **k)
    return out


def _put_duplicates(x, index, source, accumulate=False, *a, **k):
    return accumulate and _tensor(index) and index.numel() > index.unique().numel()


def _put_last_wins(orig, x, index, source, accumulate=False, *a, **k):
    return orig(x, index, source, False, *a, **k)  # each duplicate overwrites instead of adding


def _unravel_several_dims(indices, shape, *a, **k):
    return not isinstance(shape, int) and len(shape) >= 2 and len(set(shape)) > 1


def _unravel_column_major(orig, indices, shape, *a, **k):
    """Coordinates in column-major (Fortran) order."""
    out, rest = [], indices
    for s in shape:
        out.append(rest % s)
        rest = rest // s
    return tuple(out)


BUGS = [
    PlantedBug("index_add-ignores-alpha", "indexing", "index_add ignores alpha (any alpha other than 1)",
               "torch.index_add", when(_alpha, _index_add_without_alpha), f"[index_add- and {GENERIC}"),
    PlantedBug("take_along_dim-no-broadcast", "indexing",
               "take_along_dim with a dim gathers without broadcasting input and indices",
               "torch.take_along_dim", when(_needs_broadcast, _gather_without_broadcast),
               f"[take_along_dim- and {GENERIC}"),
    PlantedBug("scatter_reduce-amax-keeps-self", "indexing",
               "scatter_reduce amax/amin with include_self=False still reduces the original values",
               "torch.scatter_reduce", when(_amax_without_self, _keep_self), f"[scatter_reduce- and {GENERIC}"),
    PlantedBug("gather-negative-dim", "indexing", "gather wraps a negative dim one dim too low (2+ dims)",
               "torch.gather", when(_negative_dim, _gather_dim_off_by_one), f"[gather- and {GENERIC}"),
    PlantedBug("index_select-empty-index", "indexing", "index_select with an empty index returns the input",
               "torch.index_select", when(_empty_index, lambda orig, x, *a, **k: x.clone()),
               f"[index_select- and {GENERIC}"),
    PlantedBug("scatter_add-drops-duplicates", "indexing",
               "scatter_add keeps only the last of duplicate indices along dim",
               "torch.scatter_add", when(_has_duplicates, _last_duplicate_wins), f"[scatter_add- and {GENERIC}"),
    PlantedBug("setitem-mask-broadcast", "indexing",
               "x[mask] = value broadcasts a tensor value along the wrong end (reversed last dim)",
               "torch.Tensor.__setitem__", when(_mask_setitem, _value_flipped), "test_setitem",
               modules=("conformance.suite.test_indexing",)),
    PlantedBug("masked_fill-mask-aligned-left", "indexing",
               "masked_fill aligns a mask of fewer dims with the leading dims instead of the trailing ones",
               "torch.masked_fill", when(_mask_fewer_dims, _mask_aligned_left), f"[masked_fill- and {GENERIC}"),
    PlantedBug("masked_scatter-noncontiguous-source", "indexing",
               "masked_scatter reads a non-contiguous source in the wrong order",
               "torch.masked_scatter", when(_noncontiguous_source, _source_in_storage_order),
               "[masked_scatter- and test_forward"),
    PlantedBug("scatter-duplicates-summed", "indexing",
               "scatter with a tensor src writes the sum of duplicates instead of one of them",
               "torch.scatter", when(_scatter_src_duplicates, _duplicates_summed), "test_scatter_duplicates",
               modules=("conformance.suite.test_scatter",)),
    PlantedBug("scatter_add-bfloat16-accumulation", "indexing",
               "scatter_add of bfloat16 accumulates duplicates in bfloat16 (each partial sum rounded) instead of "
               "float32", "torch.scatter_add", when(_bfloat16_duplicates, _accumulated_in_bfloat16),
               "[scatter_add-cpu-bfloat16] and test_forward"),
    PlantedBug("put-accumulate-last-wins", "indexing",
               "put with accumulate=True writes the last of duplicate indices instead of adding them",
               "torch.put", when(_put_duplicates, _put_last_wins), f"[put_accumulate- and {GENERIC}"),
    PlantedBug("unravel_index-column-major", "indexing", "unravel_index gives column-major (Fortran) coordinates",
               "torch.unravel_index", when(_unravel_several_dims, _unravel_column_major),
               f"[unravel_index- and {GENERIC}"),
]
