"""Planted bugs for the pointwise family."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when

BUGS = [
    PlantedBug(
        "sqrt-noncontiguous-reads-storage", "pointwise",
        "sqrt of a non-contiguous input computed over its storage order (values permuted)",
        "torch.sqrt",
        when(lambda x, *a, **k: isinstance(x, torch.Tensor) and not x.is_contiguous() and x.numel() > 1,
             lambda orig, x, *a, **k: orig(x.contiguous().reshape(-1).flip(0).reshape(x.shape), *a, **k)),
        "sqrt and (test_layouts or test_forward)"),
]
