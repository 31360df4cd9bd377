"""Planted bugs for the reductions family: each wrong only under a condition (a tuple dim, a negative dim,
keepdim, an int8 input, ties, a row of -inf, an even count, dtype=)."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when


def arg(args, kwargs, name, pos, default=None):
    """The argument ``name`` of a call, given by keyword or at position ``pos`` (counting the input as 0)."""
    if name in kwargs:
        return kwargs[name]
    return args[pos - 1] if len(args) >= pos else default


def _amin_first_dim_only(orig, x, *a, **k):
    dim = arg(a, k, "dim", 1)
    k = {**k, "dim": dim[0]}
    return orig(x, *a[1:], **k) if a else orig(x, **k)


def _sum_shifted_dim(orig, x, *a, **k):
    dim = arg(a, k, "dim", 1)
    k = {**k, "dim": dim - 1}
    return orig(x, *a[1:], **k) if a else orig(x, **k)


def _logsumexp_nan_rows(orig, x, *a, **k):
    out = orig(x, *a, **k)
    dim = arg(a, k, "dim", 1)
    keep = arg(a, k, "keepdim", 2, False)
    every = torch.all(x == float("-inf"), dim=dim, keepdim=keep)
    return torch.where(every, torch.full_like(out, float("nan")), out)


def _argmax_last(orig, x, *a, **k):
    dim = arg(a, k, "dim", 1)
    keep = arg(a, k, "keepdim", 2, False)
    if dim is None:
        flat = x.reshape(-1)
        idx = flat.numel() - 1 - orig(flat.flip(0))
        return idx.reshape((1,) * x.dim()) if keep else idx
    if x.dim() == 0:
        return orig(x, dim=dim, keepdim=keep)
    return x.shape[dim] - 1 - orig(x.flip(dim), dim=dim, keepdim=keep)


def _median_upper(orig, x, *a, **k):
    flat = x.reshape(-1)
    return torch.sort(flat).values[flat.numel() // 2]


BUGS = [
    PlantedBug(
        "amin-tuple-dim-first-only", "reductions",
        "amin over a tuple of two or more dims reduces only the first of them",
        "torch.amin",
        when(lambda x, *a, **k: isinstance(arg(a, k, "dim", 1), tuple) and len(arg(a, k, "dim", 1)) > 1,
             _amin_first_dim_only),
        "amin and (test_forward or test_layouts)"),
    PlantedBug(
        "prod-int8-not-promoted", "reductions",
        "prod of an int8 input (no dtype=) accumulates and returns int8 instead of int64",
        "torch.prod",
        when(lambda x, *a, **k: x.dtype == torch.int8 and "dtype" not in k,
             lambda orig, x, *a, **k: orig(x, *a, **k, dtype=torch.int8)),
        "prod and not cumprod and test_forward"),
    PlantedBug(
        "var-keepdim-drops-dim", "reductions",
        "var with keepdim=True returns the reduced dims squeezed",
        "torch.var",
        when(lambda x, *a, **k: k.get("keepdim") is True,
             lambda orig, x, *a, **k: orig(x, *a, **{**k, "keepdim": False})),
        "var and test_forward"),
    PlantedBug(
        "logsumexp-all-neginf-nan", "reductions",
        "logsumexp of a row that is entirely -inf (or empty) gives NaN instead of -inf",
        "torch.logsumexp",
        when(lambda x, *a, **k: x.is_floating_point() and bool((x == float("-inf")).any()) or x.numel() == 0,
             _logsumexp_nan_rows),
        "logsumexp and (test_forward or test_layouts)"),
    PlantedBug(
        "argmax-last-index-on-ties", "reductions",
        "argmax returns the last index of the maximum when it occurs more than once",
        "torch.argmax",
        when(lambda x, *a, **k: x.numel() > 1, _argmax_last),
        "argmax and (test_forward or test_layouts)"),
    PlantedBug(
        "sum-negative-dim-shifted", "reductions",
        "sum with a negative int dim reduces the dim before the one asked for",
        "torch.sum",
        when(lambda x, *a, **k: isinstance(arg(a, k, "dim", 1), int) and -x.dim() < arg(a, k, "dim", 1) < 0,
             _sum_shifted_dim),
        "sum and not nansum and not cumsum and test_forward"),
    PlantedBug(
        "cumsum-dtype-ignored", "reductions",
        "cumsum ignores its dtype= argument (accumulates and returns the input's dtype, int64 for integers)",
        "torch.cumsum",
        when(lambda x, *a, **k: k.get("dtype") is not None,
             lambda orig, x, *a, **k: orig(x, *a, **{n: v for n, v in k.items() if n != "dtype"})),
        "cumsum and test_forward"),
    PlantedBug(
        "median-upper-for-even-count", "reductions",
        "median of a tensor with an even number of elements returns the upper middle value",
        "torch.median",
        when(lambda x, *a, **k: not a and not k and x.numel() > 0 and x.numel() % 2 == 0 and
             not bool(torch.isnan(x).any()), _median_upper),
        "median and test_forward and not median_dim"),
]
