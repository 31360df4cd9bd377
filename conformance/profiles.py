"""Hypothesis profiles of the suite (``--conformance-profile``).

* ``dev`` (default): random, with the example database, so a failure found once replays first next time.
* ``ci``: derandomized, no database, no deadline, 20 examples (each checks every dtype of its op in three
  value fills and its layouts, so a cell gets 60 or more checked cases): two runs on the same versions give the same
  results, which is what a regression gate needs.
* ``nightly``: random, 1,000 examples, no database: for long runs on GPU runners.
"""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

PROFILES = ("dev", "ci", "nightly")
EXAMPLES = {"dev": 50, "ci": 20, "nightly": 1000}

_common = dict(
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture, HealthCheck.differing_executors],
)
settings.register_profile("dev", max_examples=EXAMPLES["dev"], **_common)
settings.register_profile("ci", max_examples=EXAMPLES["ci"], derandomize=True, database=None, **_common)
settings.register_profile("nightly", max_examples=EXAMPLES["nightly"], database=None, **_common)
#: ``selfcheck`` runs under ci but skips the shrink phase: it only needs to know that a bug is caught.
SELFCHECK_EXAMPLES = 50
settings.register_profile("selfcheck", max_examples=SELFCHECK_EXAMPLES, derandomize=True, database=None,
                          phases=[Phase.explicit, Phase.generate], **_common)


#: examples of the generic gradient test per cell: each costs a backward pass and eight evaluations of the
#: reference (two directions, four points each), and every floating and complex dtype has its cell
GRADIENT_EXAMPLES = {"dev": 12, "ci": 6, "selfcheck": 12, "nightly": 200}


#: examples of the generic out= test per cell: its rules do not depend on values, so few shapes do
OUT_EXAMPLES = {"dev": 10, "ci": 4, "selfcheck": 10, "nightly": 100}


def current() -> str:
    from hypothesis import settings

    try:
        return settings.get_current_profile_name()
    except Exception:  # noqa: BLE001 - older Hypothesis
        return "dev"


def examples(name: str, kind: str = "test") -> int:
    """Examples per test under a profile: ``test`` (any test; a group run of the generic tests, whose every
    example checks each dtype of the op in every fill and layout), ``gradient`` (a generic gradient cell)."""
    if kind == "gradient":
        return GRADIENT_EXAMPLES.get(name, GRADIENT_EXAMPLES["ci"])
    if kind == "out":
        return OUT_EXAMPLES.get(name, OUT_EXAMPLES["ci"])
    if name == "selfcheck":
        return SELFCHECK_EXAMPLES
    return EXAMPLES.get(name, EXAMPLES["ci"])


def load(name: str) -> None:
    if name not in PROFILES and name != "selfcheck":
        raise ValueError(f"unknown profile {name!r}; choose from {', '.join(PROFILES)}")
    settings.load_profile(name)
