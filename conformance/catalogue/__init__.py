"""The op catalogue: every module of this package is one family and defines

* ``ENTRIES`` — a list of :class:`OpEntry` that the generic tests run, and optionally
* ``DIVERGENCES`` — :class:`Divergence` records pinned by bespoke tests (not tied to one entry).

Modules are found by name, in sorted order, so collection is the same on every xdist worker.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil

from conformance.catalogue.entry import Divergence, OpEntry, resolve

__all__ = ["Divergence", "OpEntry", "resolve", "entries", "divergences", "by_name", "divergence"]


@functools.lru_cache(maxsize=None)
def _modules():
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "entry" and not m.name.startswith("_"))
    return tuple(importlib.import_module(f"{__name__}.{n}") for n in names)


@functools.lru_cache(maxsize=None)
def entries() -> tuple[OpEntry, ...]:
    found = tuple(e for mod in _modules() for e in getattr(mod, "ENTRIES", ()))
    seen: set[str] = set()
    for e in found:
        if e.name in seen:
            raise ValueError(f"duplicate op entry name {e.name!r}")
        seen.add(e.name)
    return found


@functools.lru_cache(maxsize=None)
def divergences() -> tuple[Divergence, ...]:
    found = [d for e in entries() for d in e.divergences]
    found += [d for mod in _modules() for d in getattr(mod, "DIVERGENCES", ())]
    ids = [d.id for d in found]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"duplicate divergence ids: {sorted(dup)}")
    return tuple(found)


def by_name(name: str) -> OpEntry:
    for e in entries():
        if e.name == name:
            return e
    raise KeyError(name)


def divergence(div_id: str) -> Divergence:
    for d in divergences():
        if d.id == div_id:
            return d
    raise KeyError(div_id)
