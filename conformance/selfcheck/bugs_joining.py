"""Planted bugs for the joining family: each wrong only under a condition."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when

GENERIC = "test_forward"


def _index_list(x, indices_or_sections, *a, **k):
    return isinstance(indices_or_sections, (list, tuple)) and len(indices_or_sections) > 0


def _indices_shifted(orig, x, indices, *a, **k):
    return orig(x, [i + 1 for i in indices], *a, **k)


def _empty_of_other_dtype(tensors, *a, **k):
    tensors = list(tensors)
    return any(t.numel() == 0 for t in tensors) and len({t.dtype for t in tensors}) > 1 and \
        any(t.numel() > 0 for t in tensors)


def _promote_without_empty(orig, tensors, *a, **k):
    kept = [t for t in tensors if t.numel() > 0]
    dtype = kept[0].dtype
    for t in kept[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    return orig([t.to(dtype) for t in tensors], *a, **k)


def _noncontiguous(x, *a, **k):
    return isinstance(x, torch.Tensor) and x.dim() >= 2 and not x.is_contiguous() and x.numel() > 1


def _unbind_storage_order(orig, x, *a, **k):
    contiguous_strides = torch.empty(x.shape).stride()
    raw = torch.as_strided(x, x.shape, contiguous_strides, x.storage_offset())  # strides ignored
    return orig(raw, *a, **k)


def _uneven_chunks(x, chunks, dim=0, *a, **k):
    return x.dim() > 0 and chunks > 0 and x.shape[dim] % chunks != 0


def _numpy_chunk_sizes(orig, x, chunks, dim=0, *a, **k):
    n = x.shape[dim]
    sizes = [n // chunks + (1 if i < n % chunks else 0) for i in range(chunks)]
    return torch.split(x, sizes, dim)


def _negative_stack_dim(tensors, dim=0, *a, **k):
    return dim < 0 and len(tensors) > 0 and tensors[0].dim() > 0


def _stack_dim_wrapped_by_ndim(orig, tensors, dim=0, *a, **k):
    return orig(tensors, dim % tensors[0].dim(), *a, **k)  # should wrap by ndim + 1


BUGS = [
    PlantedBug("tensor_split-indices-off-by-one", "joining",
               "tensor_split with a list of split points splits one element later",
               "torch.tensor_split", when(_index_list, _indices_shifted), f"[tensor_split_indices- and {GENERIC}"),
    PlantedBug("cat-drops-empty-dtype", "joining",
               "cat leaves a size-0 input's dtype out of the type promotion",
               "torch.cat", when(_empty_of_other_dtype, _promote_without_empty), f"[cat- and {GENERIC}"),
    PlantedBug("unbind-transposed-storage-order", "joining",
               "unbind of a non-contiguous input reads its storage as if it were contiguous",
               "torch.unbind", when(_noncontiguous, _unbind_storage_order), "[unbind- and test_forward"),
    PlantedBug("chunk-numpy-sizes", "joining",
               "chunk gives np.array_split's sizes when the dim is not divisible (13 in 6: 3,2,2,2,2,2)",
               "torch.chunk", when(_uneven_chunks, _numpy_chunk_sizes), f"[chunk- and {GENERIC}"),
    PlantedBug("stack-negative-dim", "joining", "stack wraps a negative dim by ndim instead of ndim + 1",
               "torch.stack", when(_negative_stack_dim, _stack_dim_wrapped_by_ndim), f"[stack- and {GENERIC}"),
]
