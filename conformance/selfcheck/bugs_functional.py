"""Planted bugs for the functional family: each wrong only under a condition."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when


def _dim_of(args, kwargs, position=1, default=None):
    return kwargs.get("dim", args[position] if len(args) > position else default)


def _softmax_negative_dim(orig, x, *args, **kwargs):
    # normalizes a negative dim as dim + ndim - 1 (off by one)
    kwargs = dict(kwargs)
    kwargs["dim"] = _dim_of((x,) + args, kwargs) + x.dim() - 1
    return orig(x, **kwargs)


def _one_hot_max(orig, tensor, num_classes=-1):
    # infers the number of classes as the largest class value (not one more)
    return orig(tensor, int(tensor.max()))


def _log_of_softmax(orig, x, *args, **kwargs):
    # the textbook shortcut: underflows to -inf where softmax underflows to 0
    return torch.log(torch.softmax(x, *args, **kwargs))


def _normalize_without_eps(orig, x, p=2.0, dim=1, eps=1e-12, out=None):
    return x / torch.linalg.vector_norm(x, ord=p, dim=dim, keepdim=True)


def _gelu_tanh(orig, x, approximate="none"):
    return orig(x, approximate="tanh")


def _linear_drop_bias(orig, x, weight, bias=None):
    return orig(x, weight)


def _softmax_high(orig, x, *args, **kwargs):
    # the rows sum to 1 + 1e-3
    return orig(x, *args, **kwargs) * (1 + 1e-3)


BUGS = [
    PlantedBug(
        "softmax-rows-sum-high", "functional",
        "softmax of float32 inputs returns rows that sum to 1 + 1e-3",
        "torch.nn.functional.softmax",
        when(lambda x, *a, **k: isinstance(x, torch.Tensor) and x.dtype == torch.float32 and k.get("dtype") is None,
             _softmax_high),
        "softmax and not log_softmax and test_forward"),
    PlantedBug(
        "softmax-negative-dim", "functional",
        "softmax normalizes a negative dim as dim + ndim - 1 (off by one) for inputs of 2 or more dims",
        "torch.nn.functional.softmax",
        when(lambda x, *a, **k: isinstance(x, torch.Tensor) and x.dim() >= 2 and _dim_of((x,) + a, k) < 0,
             _softmax_negative_dim),
        "softmax and not log_softmax and test_forward"),
    PlantedBug(
        "log_softmax-as-log-of-softmax", "functional",
        "log_softmax computed as log(softmax(x)): -inf where softmax underflows (large inputs)",
        "torch.nn.functional.log_softmax",
        when(lambda x, *a, **k: isinstance(x, torch.Tensor), _log_of_softmax),
        "log_softmax and test_forward"),
    PlantedBug(
        "one_hot-infers-max", "functional",
        "one_hot with num_classes=-1 infers max(class) classes instead of max(class) + 1 (the largest class "
        "then raises)",
        "torch.nn.functional.one_hot",
        when(lambda t, num_classes=-1: num_classes == -1 and t.numel() > 0 and t.dtype == torch.int64
             and int(t.min()) >= 0, _one_hot_max),
        "one_hot and test_forward"),
    PlantedBug(
        "gelu-tanh-unasked", "functional",
        "gelu uses the tanh approximation when approximate='none' is asked for float32 inputs",
        "torch.nn.functional.gelu",
        when(lambda x, approximate="none": approximate == "none" and x.dtype == torch.float32, _gelu_tanh),
        "gelu and test_forward"),
    PlantedBug(
        "normalize-ignores-eps", "functional",
        "normalize divides by the norm without clamping it to eps (zero and tiny vectors)",
        "torch.nn.functional.normalize",
        when(lambda x, *a, **k: isinstance(x, torch.Tensor), _normalize_without_eps),
        "normalize and test_forward"),
    PlantedBug(
        "linear-drops-bias-1d-input", "functional",
        "linear ignores the bias when the input is 1-D",
        "torch.nn.functional.linear",
        when(lambda x, weight, bias=None: bias is not None and x.dim() == 1, _linear_drop_bias),
        "linear and test_forward"),
]
