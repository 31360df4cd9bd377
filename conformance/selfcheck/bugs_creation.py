"""Planted bugs for the creation family (tensor creation, interop, predicates)."""
from __future__ import annotations


import numpy as np
import torch

from conformance.selfcheck import PlantedBug, when

MODULES = ("conformance.suite.test_creation",)


def _float_arg(*vals) -> bool:
    return any(isinstance(v, float) for v in vals)


def _arange_short(orig, *args, **kwargs):
    full = orig(*args, **kwargs)
    return full[:-1] if full.numel() else full


def _arange_negative_float_step(*args, **kwargs) -> bool:
    step = args[2] if len(args) >= 3 else kwargs.get("step", 1)
    return len(args) >= 3 and isinstance(step, float) and step < 0


def _linspace_one(orig, start, end, steps, *a, **k):
    return orig(end, end, steps, *a, **k)


def _eye_transposed(orig, n, m=None, *a, **k):
    return orig(m, n, *a, **k)


BUGS = [
    PlantedBug(
        "from-numpy-copies-noncontiguous", "creation",
        "from_numpy copies (no longer shares memory with) arrays that are not C-contiguous",
        "torch.from_numpy",
        when(lambda a: isinstance(a, np.ndarray) and not a.flags.c_contiguous and a.size > 1,
             lambda orig, a: orig(np.ascontiguousarray(a))),
        "test_from_numpy_and_numpy", MODULES),
    PlantedBug(
        "arange-drops-last-for-negative-float-step", "creation",
        "arange with a negative float step has one element too few",
        "torch.arange",
        when(_arange_negative_float_step, _arange_short),
        "test_arange", MODULES),
    PlantedBug(
        "linspace-one-step-gives-end", "creation",
        "linspace with steps=1 returns [end] instead of [start]",
        "torch.linspace",
        when(lambda start, end, steps, *a, **k: steps == 1 and start != end, _linspace_one),
        "test_linspace", MODULES),
    PlantedBug(
        "eye-rectangular-transposed", "creation",
        "eye(n, m) with m != n returns an m x n matrix",
        "torch.eye",
        when(lambda n, m=None, *a, **k: m is not None and m != n, _eye_transposed),
        "test_eye", MODULES),
    PlantedBug(
        "as-tensor-copies-with-own-dtype", "creation",
        "as_tensor(a, dtype=<a's own dtype>) copies instead of sharing a's memory (CPU)",
        "torch.as_tensor",
        when(lambda a, *args, **k: isinstance(a, np.ndarray) and "dtype" in k,
             lambda orig, a, *args, **k: orig(a.copy(), *args, **k)),
        "test_as_tensor", MODULES),
    PlantedBug(
        "full-infers-float64", "creation",
        "full with a Python float fill value and no dtype= infers float64 (NumPy's rule, not torch's)",
        "torch.full",
        when(lambda size, fill_value, *a, **k: "dtype" not in k and isinstance(fill_value, float),
             lambda orig, size, fill_value, *a, **k: orig(size, fill_value, *a, dtype=torch.float64, **k)),
        "test_full", MODULES),
    PlantedBug(
        "numel-zero-dim-is-zero", "creation",
        "numel of a 0-d tensor is 0 instead of 1",
        "torch.numel",
        when(lambda t: isinstance(t, torch.Tensor) and t.dim() == 0, lambda orig, t: 0),
        "test_numel", ("conformance.suite.test_predicates",)),
]

