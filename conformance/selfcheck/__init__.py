"""Planted bugs: realistic mistakes patched into torch at run time, each wrong only under a condition.

``conformance selfcheck`` runs the relevant part of the suite once per planted bug (in a fresh process with
``CONFORMANCE_PLANT=<name>``) and reports whether it was caught: a suite that misses one has a blind spot.
Every module ``bugs_<family>.py`` of this package defines ``BUGS``, a list of :class:`PlantedBug`.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from typing import Callable

import torch

ENV = "CONFORMANCE_PLANT"


@dataclasses.dataclass(frozen=True)
class PlantedBug:
    """``target`` (a dotted path such as ``torch.sqrt`` or ``torch.Tensor.sum``) is replaced by
    ``wrap(original)``; ``select`` is the pytest ``-k`` expression of the tests expected to catch it and
    ``modules`` the suite modules to run."""
    name: str
    family: str
    description: str
    target: str
    wrap: Callable
    select: str
    modules: tuple = ("conformance.suite.test_catalogue",)


def when(condition: Callable, wrong: Callable) -> Callable:
    """A ``wrap`` that calls ``wrong(original, *args, **kwargs)`` when ``condition(*args, **kwargs)`` holds,
    and the original otherwise."""
    def wrap(original):
        @functools.wraps(original)
        def planted(*args, **kwargs):
            if condition(*args, **kwargs):
                return wrong(original, *args, **kwargs)
            return original(*args, **kwargs)
        return planted
    return wrap


@functools.lru_cache(maxsize=None)
def bugs() -> tuple[PlantedBug, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("bugs_"))
    found = tuple(b for n in names for b in importlib.import_module(f"{__name__}.{n}").BUGS)
    dup = {b.name for b in found if [x.name for x in found].count(b.name) > 1}
    if dup:
        raise ValueError(f"duplicate planted bug names: {sorted(dup)}")
    return found


def by_name(name: str) -> PlantedBug:
    for b in bugs():
        if b.name == name:
            return b
    raise KeyError(name)


def plant(name: str) -> None:
    """Applies a planted bug in this process."""
    bug = by_name(name)
    owner_path, _, attr = bug.target.rpartition(".")
    owner = torch
    for part in owner_path.split(".")[1:]:
        owner = getattr(owner, part)
    setattr(owner, attr, bug.wrap(getattr(owner, attr)))
