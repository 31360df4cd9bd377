"""Planted bugs for the comparison family: each wrong only under a condition (rtol 0, equal_nan, a float scalar,
equal elements, shapes that only broadcast, a NaN in the second operand)."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when


def _has_nan(t) -> bool:
    return isinstance(t, torch.Tensor) and t.is_floating_point() and bool(torch.isnan(t).any())


BUGS = [
    PlantedBug(
        "isclose-atol-ignored-when-rtol-0", "comparison",
        "isclose with rtol=0 ignores atol (only equal elements are close)",
        "torch.isclose",
        when(lambda a, b, *r, **k: k.get("rtol", 1e-05) == 0,
             lambda orig, a, b, *r, **k: orig(a, b, *r, **{**k, "atol": 0.0})),
        "isclose and test_forward"),
    PlantedBug(
        "allclose-equal-nan-ignored", "comparison",
        "allclose ignores equal_nan=True (NaNs in the same places are not close)",
        "torch.allclose",
        when(lambda a, b, *r, **k: k.get("equal_nan") is True,
             lambda orig, a, b, *r, **k: orig(a, b, *r, **{**k, "equal_nan": False})),
        "allclose and test_forward"),
    PlantedBug(
        "eq-float-scalar-truncated", "comparison",
        "eq of an integer tensor with a Python float converts the float to the tensor's dtype (0.5 -> 0)",
        "torch.eq",
        when(lambda a, b, *r, **k: isinstance(b, float) and b == b and abs(b) != float("inf") and
             not a.is_floating_point() and not a.is_complex() and a.dtype != torch.bool,
             lambda orig, a, b, *r, **k: orig(a, torch.tensor(int(b)).to(a.dtype).item(), *r, **k)),
        "eq and test_forward"),
    PlantedBug(
        "gt-true-on-equal", "comparison",
        "gt of integer tensors is True for equal elements too (as ge)",
        "torch.gt",
        when(lambda a, b, *r, **k: isinstance(a, torch.Tensor) and not a.is_floating_point() and
             not a.is_complex(),
             lambda orig, a, b, *r, **k: torch.ge(a, b)),
        "gt and test_forward"),
    PlantedBug(
        "equal-broadcasts", "comparison",
        "torch.equal of tensors of different but broadcastable shapes compares them broadcast",
        "torch.equal",
        when(lambda a, b, *r, **k: a.shape != b.shape,
             lambda orig, a, b, *r, **k: _broadcast_equal(a, b)),
        "equal and test_forward"),
    PlantedBug(
        "fmin-nan-in-other-propagates", "comparison",
        "fmin returns NaN where the second operand is NaN (as minimum does)",
        "torch.fmin",
        when(lambda a, b, *r, **k: _has_nan(b),
             lambda orig, a, b, *r, **k: torch.where(torch.isnan(b), b, orig(a, b, *r, **k)).to(
                 orig(a, b, *r, **k).dtype)),
        "fmin and test_forward"),
]


def _broadcast_equal(a, b):
    try:
        return bool(torch.eq(a, b).all())
    except RuntimeError:
        return False
