"""Planted bugs for the linalg family: each wrong only under a condition."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when


def _is_tensor(*xs):
    return all(isinstance(x, torch.Tensor) for x in xs)


def _mv_storage_order(orig, a, v, *args, **kwargs):
    # reads a column-major matrix's storage as if it were row-major
    flat = a.t().contiguous().reshape(-1)
    return orig(flat.reshape(a.shape), v, *args, **kwargs)


def _tensordot_swapped(orig, a, b, dims=2, *args, **kwargs):
    return orig(a, b, [list(dims[0])[::-1], list(dims[1])], *args, **kwargs)


def _kron_blocks(orig, a, b):
    # reads the right operand's blocks with the row and column counts exchanged
    return orig(a, b.contiguous().reshape(b.shape[1], b.shape[0]).t().contiguous().reshape(b.shape))


def _trace_row_stride(orig, a):
    # walks the flat storage with the stride of a square matrix of side rows: wrong when cols != rows
    flat = a.contiguous().reshape(-1)
    k = min(a.shape)
    idx = torch.arange(k, device=a.device) * (a.shape[0] + 1)
    idx = idx[idx < flat.numel()]
    return flat[idx].sum(dtype=torch.int64 if not (a.is_floating_point() or a.is_complex()) else None)


def _bf16_matrices(a, b, *args, **kwargs):
    return (_is_tensor(a, b) and a.dtype == torch.bfloat16 and b.dtype == torch.bfloat16 and a.dim() >= 2
            and b.dim() >= 2 and a.shape[-1] >= 2)


def _accumulate_in_bf16(orig, a, b, *args, **kwargs):
    # every partial sum rounded to bfloat16 (not float32, as torch's opmath accumulation keeps it)
    acc = a[..., :, 0:1] * b[..., 0:1, :]
    for k in range(1, a.shape[-1]):
        acc = acc + a[..., :, k:k + 1] * b[..., k:k + 1, :]
    return acc


def _drop_last_term(orig, a, b, *args, **kwargs):
    return orig(a[..., :, :-1], b[..., :-1, :], *args, **kwargs)


BUGS = [
    PlantedBug(
        "matmul-bfloat16-accumulation", "linalg",
        "matmul of bfloat16 matrices accumulates in bfloat16 (each partial sum rounded to bfloat16)",
        "torch.matmul", when(_bf16_matrices, _accumulate_in_bf16), "matmul and test_forward"),
    PlantedBug(
        "matmul-drops-last-term", "linalg",
        "matmul of bfloat16 matrices leaves out the last term of each sum of products",
        "torch.matmul", when(_bf16_matrices, _drop_last_term), "matmul and test_forward"),
    PlantedBug(
        "bmm-batch-of-one", "linalg",
        "bmm with a batch of 1 multiplies by the second operand with its inner dim reversed",
        "torch.bmm",
        when(lambda a, b, *x, **k: _is_tensor(a, b) and a.dim() == 3 and a.shape[0] == 1 and a.shape[2] > 1,
             lambda orig, a, b, *x, **k: orig(a, b.flip(1), *x, **k)),
        "bmm and test_forward"),
    PlantedBug(
        "matmul-no-batch-broadcast", "linalg",
        "matmul does not broadcast a batch dim of size 1 of the first operand: it pairs it with the other's first "
        "batch only",
        "torch.matmul",
        when(lambda a, b, *x, **k: _is_tensor(a, b) and a.dim() >= 3 and b.dim() >= 3 and a.shape[0] == 1
             and b.shape[0] > 1,
             lambda orig, a, b, *x, **k: orig(a, b[:1], *x, **k).expand(orig(a, b, *x, **k).shape)),
        "matmul and test_forward"),
    PlantedBug(
        "mv-transposed-matrix", "linalg",
        "mv reads a transposed (column-major) matrix in storage order",
        "torch.mv",
        when(lambda a, v, *x, **k: _is_tensor(a, v) and a.dim() == 2 and not a.is_contiguous()
             and a.stride(0) == 1 and a.shape[0] > 1 and a.shape[1] > 1,
             _mv_storage_order),
        "mv and test_forward"),
    PlantedBug(
        "tensordot-list-dims-swapped", "linalg",
        "tensordot with lists of two or more dims contracts the first operand's dims in reverse order",
        "torch.tensordot",
        when(lambda a, b, dims=2, *x, **k: isinstance(dims, (list, tuple)) and len(dims) == 2
             and isinstance(dims[0], (list, tuple)) and len(dims[0]) >= 2,
             _tensordot_swapped),
        "tensordot and test_forward"),
    PlantedBug(
        "vdot-no-conjugate", "linalg",
        "vdot does not conjugate its first operand (complex inputs)",
        "torch.vdot",
        when(lambda a, b, *x, **k: _is_tensor(a, b) and a.is_complex(),
             lambda orig, a, b, *x, **k: torch.dot(a, b)),
        "vdot and test_forward"),
    PlantedBug(
        "kron-non-square", "linalg",
        "kron reads a non-square right operand's values with its sides exchanged",
        "torch.kron",
        when(lambda a, b, *x, **k: _is_tensor(a, b) and b.dim() == 2 and b.shape[0] != b.shape[1]
             and b.numel() > 1 and a.numel() > 0,
             _kron_blocks),
        "kron and test_forward"),
    PlantedBug(
        "trace-non-square", "linalg",
        "trace of a non-square matrix steps through the storage with the stride of a square one",
        "torch.trace",
        when(lambda a, *x, **k: isinstance(a, torch.Tensor) and a.dim() == 2 and a.shape[0] != a.shape[1]
             and min(a.shape) > 0 and a.dtype != torch.bool,
             _trace_row_stride),
        "trace and test_forward"),
    PlantedBug(
        "tril-negative-diagonal", "linalg",
        "tril with a negative diagonal offset uses its absolute value",
        "torch.tril",
        when(lambda a, diagonal=0, *x, **k: diagonal < 0,
             lambda orig, a, diagonal=0, *x, **k: orig(a, -diagonal, *x, **k)),
        "tril and test_forward"),
]
