"""Planted bugs for the random family."""
from __future__ import annotations

import torch

from conformance.selfcheck import PlantedBug, when

MODULES = ("conformance.suite.test_random",)


def _generator_reseeds_once(orig_cls):
    """torch.Generator whose manual_seed only takes effect the first time (a re-seed after draws is ignored)."""
    class Generator(orig_cls):
        def manual_seed(self, seed):
            if getattr(self, "_seeded", False):
                return self
            self._seeded = True
            return super().manual_seed(seed)
    Generator.__name__ = Generator.__qualname__ = "Generator"
    return Generator


def _randint_inclusive(orig, low, high, *a, **k):
    return orig(low, high + 1, *a, **k)


BUGS = [
    PlantedBug(
        "randint-int8-high-inclusive", "random",
        "randint with dtype=int8 draws from [low, high] (high included)",
        "torch.randint",
        when(lambda *a, **k: k.get("dtype") == torch.int8 and len(a) >= 3 and a[1] < 127, _randint_inclusive),
        "test_randint", MODULES),
    PlantedBug(
        "generator-manual-seed-once", "random",
        "Generator.manual_seed does not reset a generator that was seeded before",
        "torch.Generator", _generator_reseeds_once,
        "test_manual_seed_reproducible", MODULES),
    PlantedBug(
        "randperm-large-n-duplicates", "random",
        "randperm(n) for n > 100 draws with replacement (duplicates, missing values)",
        "torch.randperm",
        when(lambda n, *a, **k: n > 100,
             lambda orig, n, *a, **k: torch.randint(0, n, (n,), dtype=k.get("dtype") or torch.int64,
                                                    device=k.get("device"), generator=k.get("generator"))),
        "test_randperm", MODULES),
    PlantedBug(
        "rand-float16-reaches-one", "random",
        "rand with dtype=float16 rounds values near 1 up to 1.0 (outside [0, 1))",
        "torch.rand",
        when(lambda *a, **k: k.get("dtype") == torch.float16,
             lambda orig, *a, **k: torch.where(orig(*a, **k) > 0.9, torch.ones((), dtype=torch.float16),
                                               orig(*a, **k))),
        "test_rand", MODULES),
]
