"""Planted bugs for the pointwise family: each wrong only under a condition the catalogue's strategies reach."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when


def _tensor(x) -> bool:
    return isinstance(x, torch.Tensor)


def _has_neg_zero(x) -> bool:
    return _tensor(x) and x.is_floating_point() and bool(((x == 0) & torch.signbit(x)).any())


def _any_negative(y) -> bool:
    if _tensor(y):
        return not y.is_complex() and y.dtype != torch.bool and bool((y < 0).any())
    return isinstance(y, (int, float)) and not isinstance(y, bool) and y < 0


def _flip_condition(orig, cond, x, y, *a, **k):
    return orig(cond.flip(-1), x, y, *a, **k)


BUGS = [
    PlantedBug(
        "sqrt-noncontiguous-reads-storage", "pointwise",
        "sqrt of a non-contiguous input computed over its storage order (values permuted)",
        "torch.sqrt",
        when(lambda x, *a, **k: isinstance(x, torch.Tensor) and not x.is_contiguous() and x.numel() > 1,
             lambda orig, x, *a, **k: orig(x.contiguous().reshape(-1).flip(0).reshape(x.shape), *a, **k)),
        "test_forward and sqrt-"),
    PlantedBug(
        "pow-float16-negative-int-exponent", "pointwise",
        "pow of a float16 tensor to a negative Python int exponent uses the exponent's absolute value",
        "torch.pow",
        when(lambda x, e=None, *a, **k: _tensor(x) and x.dtype == torch.float16 and isinstance(e, int)
             and not isinstance(e, bool) and e < 0,
             lambda orig, x, e, *a, **k: orig(x, -e, *a, **k)),
        "test_forward and pow-"),
    PlantedBug(
        "clamp-ignores-min-without-max", "pointwise",
        "clamp with min= and no max= returns its input unchanged",
        "torch.clamp",
        when(lambda x, *a, **k: k.get("min") is not None and k.get("max") is None and not a,
             lambda orig, x, *a, **k: x.clone()),
        "test_forward and clamp-"),
    PlantedBug(
        "remainder-c-semantics-negative-divisor", "pointwise",
        "remainder with a negative divisor computes C's fmod (the sign of the dividend) instead of Python's %",
        "torch.remainder",
        when(lambda x, y=None, *a, **k: _any_negative(y), lambda orig, x, y, *a, **k: torch.fmod(x, y)),
        "test_forward and remainder-"),
    PlantedBug(
        "sign-negative-zero-keeps-sign", "pointwise",
        "sign(-0.0) returns -0.0 (copysign(0, x)) where NumPy gives 0.0",
        "torch.sign",
        when(lambda x, *a, **k: _has_neg_zero(x),
             lambda orig, x, *a, **k: torch.where((x == 0) & torch.signbit(x), x, orig(x, *a, **k))),
        "test_forward and sign-"),
    PlantedBug(
        "where-condition-broadcast-reversed", "pointwise",
        "where broadcasts a condition of fewer dims than the result reversed along its last dim",
        "torch.where",
        when(lambda cond, x=None, y=None, *a, **k: x is not None and _tensor(cond) and cond.dim() >= 1
             and cond.shape[-1] > 1 and cond.dim() < max(t.dim() for t in (cond, x, y) if _tensor(t)),
             _flip_condition),
        "test_forward and where-"),
    PlantedBug(
        "round-ignores-negative-decimals", "pointwise",
        "round(x, decimals=d) with d < 0 rounds to an integer (decimals ignored)",
        "torch.round",
        when(lambda x, *a, **k: k.get("decimals", 0) < 0, lambda orig, x, *a, **k: orig(x)),
        "test_forward and round_decimals-"),
    PlantedBug(
        "isfinite-negative-infinity", "pointwise",
        "isfinite treats -inf as finite",
        "torch.isfinite",
        when(lambda x, *a, **k: _tensor(x) and x.is_floating_point(),
             lambda orig, x, *a, **k: orig(x, *a, **k) | (x == float("-inf"))),
        "test_forward and isfinite-"),
    PlantedBug(
        "div-floor-truncates-negative-quotients", "pointwise",
        "div(rounding_mode='floor') rounds toward zero when an operand is negative",
        "torch.div",
        when(lambda x, y=None, *a, **k: k.get("rounding_mode") == "floor" and (_any_negative(x) or _any_negative(y)),
             lambda orig, x, y, *a, **k: orig(x, y, *a, **{**k, "rounding_mode": "trunc"})),
        "test_forward and div-"),
    PlantedBug(
        "add-alpha-dropped-noncontiguous", "pointwise",
        "add with an alpha ignores it when the first operand is not contiguous",
        "torch.add",
        when(lambda x, y=None, *a, **k: _tensor(x) and not x.is_contiguous() and k.get("alpha", 1) != 1,
             lambda orig, x, y, *a, **k: orig(x, y)),
        "test_forward and add- and not _add"),
    PlantedBug(
        "add-alpha-product-in-bfloat16", "pointwise",
        "add with an alpha on float16 tensors rounds alpha*y to bfloat16 (8 significant bits) before adding: one "
        "rounding more than torch's documented x + (alpha*y rounded to float16), caught by tolerance.two_roundings",
        "torch.add",
        when(lambda x, y=None, *a, **k: _tensor(x) and _tensor(y) and x.dtype == torch.float16 and
             y.dtype == torch.float16 and k.get("alpha", 1) not in (1, 0, -1, 2),
             lambda orig, x, y, *a, **k: orig(x, (y.float() * k["alpha"]).to(torch.bfloat16).to(torch.float16))),
        "add-cpu-float16 and test_forward"),
    PlantedBug(
        "exp-out-returns-a-copy", "pointwise",
        "exp with out= writes the result into out but returns a new tensor instead of out",
        "torch.exp",
        when(lambda x, *a, **k: k.get("out") is not None, lambda orig, x, *a, **k: orig(x, *a, **k).clone()),
        "exp- and test_out"),
]
