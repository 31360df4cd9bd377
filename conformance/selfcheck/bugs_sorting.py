"""Planted bugs for the sorting family: each wrong only under a condition (descending, return_counts, right=,
k below the size, largest=False, NaN, minlength, a value equal to max)."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when


def arg(args, kwargs, name, pos, default=None):
    if name in kwargs:
        return kwargs[name]
    return args[pos - 1] if len(args) >= pos else default


def _descending_ties_reversed(orig, x, *a, **k):
    dim = arg(a, k, "dim", 1, -1)
    if x.dim() == 0:
        return orig(x, *a, **k)
    values, indices = orig(x.flip(dim), dim=dim, descending=True, stable=True)
    return torch.return_types.sort((values, x.shape[dim] - 1 - indices))


def _counts_last_off(orig, x, *a, **k):
    out = orig(x, *a, **k)
    counts = out[-1]
    if counts.numel():
        counts = counts.clone()
        counts[-1] += 1
    return (*out[:-1], counts)


def _kth_plus_one(orig, x, k, *a, **kw):
    return orig(x, k + 1, *a, **kw)


def _kth_fits(x, k, *a, **kw):
    dim = arg(a, kw, "dim", 1, -1)
    n = 1 if x.dim() == 0 else x.shape[dim]
    return 1 <= k < n


BUGS = [
    PlantedBug(
        "sort-stable-descending-unstable", "sorting",
        "sort(stable=True, descending=True) puts equal elements in reverse order",
        "torch.sort",
        when(lambda x, *a, **k: k.get("stable") is True and k.get("descending") is True,
             _descending_ties_reversed),
        "sort and not unstable and test_forward"),
    PlantedBug(
        "unique-counts-last-value", "sorting",
        "unique(return_counts=True) counts the last unique value once too many",
        "torch.unique",
        when(lambda x, *a, **k: k.get("return_counts") is True, _counts_last_off),
        "unique and test_forward"),
    PlantedBug(
        "searchsorted-right-as-left", "sorting",
        "searchsorted with right=True (or side='right') returns the left insertion points",
        "torch.searchsorted",
        when(lambda s, v, *a, **k: k.get("right") is True or k.get("side") == "right",
             lambda orig, s, v, *a, **k: orig(s, v, *a, **{**k, "right": False, "side": "left"})),
        "searchsorted and test_forward"),
    PlantedBug(
        "kthvalue-off-by-one", "sorting",
        "kthvalue returns the (k+1)-th smallest element when there is one",
        "torch.kthvalue",
        when(_kth_fits, _kth_plus_one),
        "kthvalue and test_forward"),
    PlantedBug(
        "topk-smallest-in-descending-order", "sorting",
        "topk(largest=False, sorted=True) returns the k smallest in descending order",
        "torch.topk",
        when(lambda x, k, *a, **kw: kw.get("largest") is False and kw.get("sorted", True) and x.dim() > 0,
             lambda orig, x, k, *a, **kw: _flipped(orig(x, k, *a, **kw), kw.get("dim", -1))),
        "topk and test_forward"),
    PlantedBug(
        "argsort-descending-nan-last", "sorting",
        "argsort(descending=True) puts NaN last instead of first",
        "torch.argsort",
        when(lambda x, *a, **k: k.get("descending") is True and x.is_floating_point() and
             bool(torch.isnan(x).any()) and x.dim() > 0,
             lambda orig, x, *a, **k: orig(torch.nan_to_num(x, nan=float("-inf")), *a, **k)),
        "argsort and test_forward"),
]


def _flipped(result, dim):
    values, indices = result
    return torch.return_types.topk((values.flip(dim), indices.flip(dim)))
