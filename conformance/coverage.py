"""Which of the functions torch and NumPy share by name the suite covers, and by what.

The shared names are the public callables (functions, not classes) that ``torch`` and ``numpy`` both define under
the same name, plus those of ``torch.linalg`` / ``numpy.linalg`` and ``torch.fft`` / ``numpy.fft``. The list is
kept as data (``data/shared_names.json``, with the versions it was computed on) and recomputed by
``python -m conformance.coverage --update``; the project's tests check that the stored list is what the installed
versions give.

A name is covered by the catalogue entries whose torch callable it is (``OpEntry.torch`` as a dotted path, or
``OpEntry.covers``), and by the bespoke tests marked ``@pytest.mark.op(name)``. Names that compute nothing a
comparison could judge are out of scope, each with its reason (:data:`OUT_OF_SCOPE`); aliases
(:data:`ALIASES`) are covered by their canonical name once a test checks that the alias is the same function or
agrees with it (``suite/test_aliases.py``).
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

DATA = Path(__file__).with_name("data") / "shared_names.json"
NAMESPACES = ("torch", "linalg", "fft")

#: shared names outside the suite's scope, and why
OUT_OF_SCOPE = {
    "torch.save": "file input and output (serialization), not a computation on values",
    "torch.load": "file input and output (serialization), not a computation on values",
    "torch.set_printoptions": "printing settings: no value to compare",
    "torch.typename": "a type's name as a string: torch's type names are not NumPy's",
    "torch.from_dlpack": "a zero-copy exchange protocol between libraries, not a computation",
}

#: alias -> the canonical name it stands for, in the same namespace
ALIASES = {
    "absolute": "abs", "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh",
    "arctan": "atan", "arctan2": "atan2", "arctanh": "atanh", "clip": "clamp", "concat": "cat",
    "concatenate": "cat", "divide": "div", "true_divide": "div", "greater": "gt", "greater_equal": "ge",
    "less": "lt", "less_equal": "le", "not_equal": "ne", "multiply": "mul", "subtract": "sub", "negative": "neg",
    "fix": "trunc", "moveaxis": "movedim", "swapaxes": "transpose", "row_stack": "vstack",
}


def _public_callables(mod) -> set[str]:
    out = set()
    for name in dir(mod):
        if name.startswith("_"):
            continue
        value = getattr(mod, name, None)
        if callable(value) and not inspect.isclass(value):
            out.add(name)
    return out


def compute() -> dict:
    """The shared names of the installed torch and NumPy, by namespace."""
    import numpy as np
    import torch

    return {"torch_version": torch.__version__, "numpy_version": np.__version__,
            "torch": sorted(_public_callables(torch) & _public_callables(np)),
            "linalg": sorted(_public_callables(torch.linalg) & _public_callables(np.linalg)),
            "fft": sorted(_public_callables(torch.fft) & _public_callables(np.fft))}


def stored() -> dict:
    return json.loads(DATA.read_text())


def qualified(namespace: str, name: str) -> str:
    return f"torch.{name}" if namespace == "torch" else f"torch.{namespace}.{name}"


def _entry_names(entry) -> list[str]:
    found = list(getattr(entry, "covers", ()) or ())
    if isinstance(entry.torch, str):
        found.append(entry.torch)
    return found


def _bespoke_ops() -> dict[str, list[str]]:
    """op name -> the bespoke tests (module::function) marked ``@pytest.mark.op(name)``."""
    import conformance.suite as suite

    found: dict[str, list[str]] = {}
    for mod in pkgutil.iter_modules(suite.__path__):
        if not mod.name.startswith("test_") or mod.name == "test_catalogue":
            continue
        module = importlib.import_module(f"conformance.suite.{mod.name}")
        for fname, fn in vars(module).items():
            if not fname.startswith("test_"):
                continue
            for mark in getattr(fn, "pytestmark", []):
                if mark.name == "op" and mark.args:
                    found.setdefault(mark.args[0], []).append(f"{mod.name}::{fname}")
    return found


def report() -> dict:
    """Per shared name: its status (covered / alias / out of scope / missing) and what covers it."""
    from conformance import catalogue

    names = stored()
    by_path: dict[str, list[str]] = {}
    for entry in catalogue.entries():
        for path in _entry_names(entry):
            by_path.setdefault(path, []).append(entry.name)
    bespoke = _bespoke_ops()
    rows = []
    for ns in NAMESPACES:
        for name in names[ns]:
            q = qualified(ns, name)
            entries = by_path.get(q, [])
            tests = bespoke.get(name, []) if ns == "torch" else bespoke.get(q, [])
            if q in OUT_OF_SCOPE:
                status, why = "out of scope", OUT_OF_SCOPE[q]
            elif entries or tests:
                status, why = "covered", ""
            elif ns == "torch" and name in ALIASES and by_path.get(qualified(ns, ALIASES[name])):
                status, why = "alias", f"of {ALIASES[name]} (checked by suite/test_aliases.py)"
                entries = by_path[qualified(ns, ALIASES[name])]
            else:
                status, why = "missing", ""
            rows.append({"namespace": ns, "name": name, "qualified": q, "status": status, "entries": entries,
                         "tests": tests, "why": why})
    totals = {}
    for ns in NAMESPACES:
        mine = [r for r in rows if r["namespace"] == ns]
        scope = [r for r in mine if r["status"] != "out of scope"]
        totals[ns] = {"shared": len(mine), "in_scope": len(scope),
                      "covered": sum(r["status"] in ("covered", "alias") for r in scope)}
    return {"rows": rows, "totals": totals, "versions": {k: names[k] for k in ("torch_version", "numpy_version")}}


def render(found: dict | None = None) -> str:
    found = found or report()
    lines = [f"{'name':<34} {'status':<13} covered by"]
    for r in found["rows"]:
        what = ", ".join(r["entries"] + r["tests"]) or r["why"]
        if r["why"] and r["status"] in ("alias", "out of scope"):
            what = (", ".join(r["entries"]) + "; " if r["entries"] and r["status"] == "alias" else "") + r["why"]
        lines.append(f"{r['qualified']:<34} {r['status']:<13} {what}")
    lines.append("")
    for ns, t in found["totals"].items():
        lines.append(f"{ns:<7} {t['covered']} of {t['in_scope']} shared names covered "
                     f"({t['shared'] - t['in_scope']} out of scope)")
    v = found["versions"]
    lines.append(f"(names shared by torch {v['torch_version']} and NumPy {v['numpy_version']})")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="coverage of the functions torch and NumPy share by name")
    p.add_argument("--update", action="store_true", help="recompute data/shared_names.json from the installed "
                                                         "torch and NumPy")
    args = p.parse_args(argv)
    if args.update:
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps(compute(), indent=1) + "\n")
        print(f"wrote {DATA}")
        return 0
    print(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
