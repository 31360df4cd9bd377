"""Planted bugs for the views family: each wrong only under a condition."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when

GENERIC = "test_forward"


def _negative_start(x, dim, start, length, *a, **k):
    return isinstance(start, int) and start < 0


def _start_off_by_one(orig, x, dim, start, length, *a, **k):
    return orig(x, dim, start + x.shape[dim] - 1, length, *a, **k)  # wrapped one short (or out of range)


def _offset_non_square(x, offset=0, dim1=0, dim2=1, *a, **k):
    return offset != 0 and x.dim() >= 2 and x.shape[dim1] != x.shape[dim2]


def _offset_sign_flipped(orig, x, offset=0, dim1=0, dim2=1, *a, **k):
    return orig(x, -offset, dim1, dim2, *a, **k)


def _several_dims(x, source, destination, *a, **k):
    return isinstance(source, (tuple, list)) and len(source) >= 2


def _one_move_at_a_time(orig, x, source, destination, *a, **k):
    for s, d in zip(source, destination):
        x = orig(x, s, d)
    return x


def _viewable_noncontiguous(x, *a, **k):
    return isinstance(x, torch.Tensor) and not x.is_contiguous() and x.numel() > 1


def _reshape_copies(orig, x, *a, **k):
    return orig(x.contiguous(), *a, **k)  # right values, but a copy where a view is possible


def _dim_not_one(x, dim=None, *a, **k):
    return isinstance(dim, int) and x.dim() > 0 and x.shape[dim] != 1


def _squeeze_all(orig, x, dim=None, *a, **k):
    return orig(x)


def _noncontiguous_array(a, *args, **kwargs):
    return not a.flags.c_contiguous and a.size > 1


def _roll_negative_with_dims(x, shifts, dims=None, *a, **k):
    return dims is not None and any(s < 0 for s in (shifts if isinstance(shifts, (tuple, list)) else (shifts,)))


def _roll_shift_off_by_one(orig, x, shifts, dims=None, *a, **k):
    if isinstance(shifts, (tuple, list)):
        return orig(x, tuple(s - 1 if s < 0 else s for s in shifts), dims, *a, **k)
    return orig(x, shifts - 1, dims, *a, **k)


def _xy(*tensors, indexing=None, **k):
    return indexing == "xy" and len(tensors) >= 2


def _xy_as_ij(orig, *tensors, indexing=None, **k):
    return orig(*tensors, indexing="ij", **k)


def _one_d(*tensors):
    return any(isinstance(t, torch.Tensor) and t.dim() == 1 and t.numel() > 1 for t in tensors)


def _atleast_3d_column(orig, *tensors):
    out = [t.reshape(t.shape[0], 1, 1) if t.dim() == 1 else orig(t) for t in tensors]
    return out[0] if len(out) == 1 else tuple(out)


def _half_vander(x, N=None, increasing=False, *a, **k):
    n = x.shape[0] if N is None else N
    return isinstance(x, torch.Tensor) and x.dtype in (torch.float16, torch.bfloat16) and n >= 4


def _vander_in_half(orig, x, N=None, increasing=False, *a, **k):
    """The powers multiplied one at a time in the tensor's own half dtype (each partial product rounded)."""
    n = x.shape[0] if N is None else N
    cols = [torch.ones_like(x)]
    for _ in range(n - 1):
        cols.append(cols[-1] * x)
    out = torch.stack(cols, dim=1)
    return out if increasing else out.flip(1)


BUGS = [
    PlantedBug("narrow-negative-start", "views", "narrow counts a negative start one element off",
               "torch.narrow", when(_negative_start, _start_off_by_one), f"[narrow- and {GENERIC}"),
    PlantedBug("diagonal-offset-non-square", "views",
               "diagonal of a non-square input takes the diagonal of the opposite offset",
               "torch.diagonal", when(_offset_non_square, _offset_sign_flipped), f"[diagonal- and {GENERIC}"),
    PlantedBug("movedim-several-dims", "views", "movedim with several dims moves them one after the other",
               "torch.movedim", when(_several_dims, _one_move_at_a_time), f"[movedim- and {GENERIC}"),
    PlantedBug("reshape-copies-view", "views",
               "reshape of a non-contiguous input copies even where a view is possible",
               "torch.reshape", when(_viewable_noncontiguous, _reshape_copies), "test_view_aliasing and cpu-reshape]",
               modules=("conformance.suite.test_aliasing",)),
    PlantedBug("squeeze-dim-squeezes-all", "views",
               "squeeze(dim) with a dim whose size is not 1 squeezes every size-1 dim",
               "torch.squeeze", when(_dim_not_one, _squeeze_all), f"[squeeze_dim- and {GENERIC}"),
    PlantedBug("from_numpy-copies-noncontiguous", "views",
               "torch.from_numpy copies an array that is not C-contiguous instead of sharing its memory",
               "torch.from_numpy", when(_noncontiguous_array, lambda orig, a, *r, **k: orig(a.copy(), *r, **k)),
               "test_from_numpy_shares_memory", modules=("conformance.suite.test_aliasing",)),
    PlantedBug("roll-negative-shift-off-by-one", "views",
               "roll along given dims shifts one place too far for a negative shift",
               "torch.roll", when(_roll_negative_with_dims, _roll_shift_off_by_one), f"[roll- and {GENERIC}"),
    PlantedBug("meshgrid-xy-as-ij", "views", "meshgrid with indexing='xy' gives the 'ij' grids",
               "torch.meshgrid", when(_xy, _xy_as_ij), f"[meshgrid- and {GENERIC}"),
    PlantedBug("atleast_3d-1d-column", "views", "atleast_3d of a 1-D tensor (N,) gives (N, 1, 1) instead of (1, N, 1)",
               "torch.atleast_3d", when(_one_d, _atleast_3d_column), f"[atleast_3d- and {GENERIC}"),
    PlantedBug("vander-half-precision-powers", "views",
               "vander of float16/bfloat16 multiplies the powers in the half dtype (every partial product rounded) "
               "instead of the float32 accumulation type", "torch.vander", when(_half_vander, _vander_in_half),
               f"[vander- and {GENERIC} and (float16 or bfloat16)"),
]
