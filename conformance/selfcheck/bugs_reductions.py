"""Planted bugs for the reductions family: each wrong only under a condition (a tuple dim, a negative dim,
keepdim, an int8 input, ties, a row of -inf, an even count, dtype=), and numerical ones (a half type accumulated
in itself, an ulp of bias per element, a dropped element, a logsumexp off by some ulps, a method that returns 0)."""
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


def _reduced(x, a, k):
    """The dims a reduction call reduces (all of them without dim), and its keepdim."""
    dim = arg(a, k, "dim", 1)
    keep = arg(a, k, "keepdim", 2, False)
    if x.dim() == 0:
        return (), keep
    if dim is None or dim == ():
        return tuple(range(x.dim())), keep
    return tuple(sorted(d % x.dim() for d in (dim if isinstance(dim, (tuple, list)) else (dim,)))), keep


def _count(x, a, k) -> int:
    dims, _ = _reduced(x, a, k)
    n = 1
    for d in dims:
        n *= x.shape[d]
    return n if x.dim() else 1


def _rows(x, dims):
    """x with the reduced dims moved last and flattened into one."""
    lead = [d for d in range(x.dim()) if d not in dims]
    moved = x.permute(*lead, *dims)
    return moved.reshape(*[x.shape[d] for d in lead], -1), [x.shape[d] for d in lead]


def _keep(out, x, dims, keep):
    if not keep:
        return out
    return out.reshape([1 if d in dims else x.shape[d] for d in range(x.dim())])


def _mean_in_bfloat16(orig, x, *a, **k):
    """The mean with its sum accumulated in bfloat16, element after element."""
    dims, keep = _reduced(x, a, k)
    rows, lead = _rows(x, dims)
    acc = torch.zeros(lead, dtype=torch.bfloat16, device=x.device)
    for i in range(rows.shape[-1]):
        acc = acc + rows[..., i]
    return _keep(acc / rows.shape[-1], x, dims, keep)


def _ulp_biased_sum(orig, x, *a, **k):
    """The sum plus one ulp of the result for each reduced element (an accumulation rounding upward)."""
    out = orig(x, *a, **k)
    ulp = torch.nextafter(out, torch.full_like(out, float("inf"))) - out
    return out + _count(x, a, k) * ulp


def _sum_dropping_last(orig, x, *a, **k):
    """The sum without the last element of each reduced row."""
    dims, keep = _reduced(x, a, k)
    rows, _ = _rows(x, dims)
    return _keep(orig(rows[..., :-1], -1), x, dims, keep)


def _logsumexp_off(orig, x, *a, **k):
    out = orig(x, *a, **k)
    ulp = torch.nextafter(out, torch.full_like(out, float("inf"))) - out
    return torch.where(torch.isfinite(out), out + 16 * ulp, out)


def _median_upper(orig, x, *a, **k):
    flat = x.reshape(-1)
    return torch.sort(flat).values[flat.numel() // 2]


def _sum_into_storage_order(orig, x, *a, **k):
    """The result written into out's memory in row-major order, as if out were contiguous."""
    out = k.pop("out")
    result = orig(x, *a, **k)
    out.as_strided(result.shape, result.contiguous().stride() if result.dim() else ()).copy_(result)
    return out


BUGS = [
    PlantedBug(
        "amin-tuple-dim-first-only", "reductions",
        "amin over a tuple of two or more dims reduces only the first of them",
        "torch.amin",
        when(lambda x, *a, **k: isinstance(arg(a, k, "dim", 1), tuple) and len(arg(a, k, "dim", 1)) > 1,
             _amin_first_dim_only),
        "amin and test_forward"),
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
        "logsumexp and test_forward"),
    PlantedBug(
        "argmax-last-index-on-ties", "reductions",
        "argmax returns the last index of the maximum when it occurs more than once",
        "torch.argmax",
        when(lambda x, *a, **k: x.numel() > 1, _argmax_last),
        "argmax and test_forward"),
    PlantedBug(
        "sum-negative-dim-shifted", "reductions",
        "sum with a negative int dim reduces the dim before the one asked for",
        "torch.sum",
        when(lambda x, *a, **k: isinstance(arg(a, k, "dim", 1), int) and -x.dim() < arg(a, k, "dim", 1) < 0,
             _sum_shifted_dim),
        "sum and not nansum and not cumsum and not einsum and not logsumexp and test_forward"),
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
    PlantedBug(
        "mean-bfloat16-accumulated-in-bfloat16", "reductions",
        "mean of a bfloat16 tensor accumulates its sum in bfloat16 (element after element), not in float32",
        "torch.mean",
        when(lambda x, *a, **k: x.dtype == torch.bfloat16 and "dtype" not in k and x.numel() > 0 and
             _count(x, a, k) >= 16 and not isinstance(arg(a, k, "dim", 1), (tuple, list)),
             _mean_in_bfloat16),
        "mean and not nanmean and (test_forward or test_long_rows)",
        modules=("conformance.suite.test_catalogue", "conformance.suite.test_reductions")),
    PlantedBug(
        "sum-float32-ulp-bias-long-rows", "reductions",
        "sum of float32 rows of 256 elements or more is biased by one ulp of the result per element (as a sum "
        "rounding every addition upward)",
        "torch.sum",
        when(lambda x, *a, **k: x.dtype == torch.float32 and "dtype" not in k and _count(x, a, k) >= 256,
             _ulp_biased_sum),
        "sum and not nansum and not cumsum and not einsum and not logsumexp and (test_forward or test_long_rows)",
        modules=("conformance.suite.test_catalogue", "conformance.suite.test_reductions")),
    PlantedBug(
        "sum-long-row-drops-element", "reductions",
        "sum of floating rows of 1000 elements or more leaves out the last element of each row",
        "torch.sum",
        when(lambda x, *a, **k: x.is_floating_point() and "dtype" not in k and x.dim() > 0 and
             _count(x, a, k) >= 1000 and not isinstance(arg(a, k, "dim", 1), (tuple, list)),
             _sum_dropping_last),
        "sum and not nansum and not cumsum and not einsum and not logsumexp and (test_forward or test_long_rows)",
        modules=("conformance.suite.test_catalogue", "conformance.suite.test_reductions")),
    PlantedBug(
        "logsumexp-float16-off-by-16-ulps", "reductions",
        "logsumexp of a float16 tensor is 16 ulps of the result too large",
        "torch.logsumexp",
        when(lambda x, *a, **k: x.dtype == torch.float16, _logsumexp_off),
        "logsumexp and (test_forward or test_long_rows)",
        modules=("conformance.suite.test_catalogue", "conformance.suite.test_reductions")),
    PlantedBug(
        "tensor-sum-method-bfloat16-zero", "reductions",
        "the Tensor.sum method returns zeros for bfloat16 tensors (the function torch.sum is right)",
        "torch.Tensor.sum",
        when(lambda x, *a, **k: x.dtype == torch.bfloat16,
             lambda orig, x, *a, **k: torch.zeros_like(orig(x, *a, **k))),
        "sum and not nansum and not cumsum and not einsum and not logsumexp and test_forward"),
    PlantedBug(
        "sum-out-noncontiguous-as-contiguous", "reductions",
        "sum with a non-contiguous out= writes the result into out's memory as if out were contiguous",
        "torch.sum",
        when(lambda x, *a, **k: k.get("out") is not None and not k["out"].is_contiguous(),
             _sum_into_storage_order),
        "sum- and test_out"),
]
