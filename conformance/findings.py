"""Findings a user can file upstream: every divergence of kind ``bug``, as a report.

Each report has a title, the smallest standalone reproduction (torch + NumPy only, the record's own example),
what NumPy gives (expected) and what torch gives (actual) — both from running the example now, so the texts
cannot drift from torch — the versions and device, and the tracker issue where one is known. Records that share
a root cause (``Divergence.root_cause``) are one report.
"""
from __future__ import annotations

import platform
import textwrap

import numpy as np


def _groups(records):
    found: dict[str, list] = {}
    for d in records:
        found.setdefault(d.root_cause or d.id, []).append(d)
    return found


def _show(value) -> str:
    import torch

    from conformance import dtypes

    if isinstance(value, BaseException):
        return f"raises {type(value).__name__}: {str(value).splitlines()[0] if str(value) else ''}"
    if isinstance(value, torch.Tensor):
        arr = dtypes.to_numpy(value)
        shown = arr.astype(np.float32) if dtypes.is_ml(dtypes.torch_name(value.dtype)) else arr
        return f"{np.array2string(shown, threshold=20, separator=', ')} ({dtypes.torch_name(value.dtype)})"
    if isinstance(value, np.ndarray):
        return f"{np.array2string(value, threshold=20, separator=', ')} ({value.dtype})"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return repr(value)


def observe(div, device: str = "cpu"):
    """``(sample, torch's value or exception, NumPy's value or exception)`` on the record's example."""
    from conformance import catalogue, check

    try:
        op = catalogue.by_name(div.op)
    except KeyError:
        return None
    if div.example is None:
        return None
    dtype = div.dtypes[0] if div.dtypes else "float32"
    sample = check.example_sample(div.example(dtype), "example")
    args, kwargs, _ = sample.torch_inputs(device)
    actual, exc = check.call(op, args, kwargs)
    try:
        expected = op.reference(sample)
    except Exception as n_exc:  # noqa: BLE001
        expected = n_exc
    return op, sample, (exc if exc is not None else actual), expected


def snippet(op, sample, device: str = "cpu") -> str:
    """The example as a script: builds the inputs, prints torch's result and NumPy's."""
    from conformance import repro

    seen = repro.new_names()
    lines = ["import numpy as np", "import torch", "", f"device = {device!r}"]
    t_names, n_names = {}, {}
    from conformance.strategies import layouts

    for i, (a, lay) in enumerate(zip(sample.arrays, sample.layouts)):
        lines.append(f"x{i} = {repro.array_literal(a)}")
        lines += layouts.source(f"t{i}", f"x{i}", a, lay)
        t_names[id(a)], n_names[id(a)] = f"t{i}", f"x{i}"
    fsrc, fdefs = repro.callable_source(op.torch, seen)
    rsrc, rdefs = repro.callable_source(op.ref, seen)
    if fdefs or rdefs:
        lines += [""] + [d + "\n" for d in fdefs + rdefs]
    lines += ["", f"print('NumPy:', {repro.call(rsrc, sample.args, sample.kwargs, n_names)})",
              f"print('torch:', {repro.call(fsrc, sample.args, sample.kwargs, t_names)})"]
    return "\n".join(lines) + "\n"


def _versions(device: str) -> str:
    import hypothesis
    import torch

    from conformance import devices

    return (f"torch {torch.__version__}, NumPy {np.__version__}, Python {platform.python_version()}, "
            f"device {device} ({devices.describe(device)}); found with hypothesis {hypothesis.__version__}")


def reports(family=None, device: str = "cpu") -> list[dict]:
    """One report per root cause of the ``bug`` records (of ``family`` when given)."""
    from conformance import catalogue

    bugs = [d for d in catalogue.divergences() if d.kind == "bug" and (not family or d.family in family)]
    out = []
    for cause, records in sorted(_groups(bugs).items()):
        first = records[0]
        seen = observe(first, device)
        report = {"root_cause": cause, "ids": [d.id for d in records], "title": f"torch.{first.op}: "
                  f"{first.condition}", "condition": first.condition, "source": first.reference,
                  "torch_behaviour": first.torch_behaviour, "numpy_behaviour": first.numpy_behaviour,
                  "versions": _versions(device), "snippet": None, "actual": None, "expected": None}
        if seen is not None:
            op, sample, actual, expected = seen
            report.update(snippet=snippet(op, sample, device), actual=_show(actual), expected=_show(expected))
        out.append(report)
    return out


def render(family=None, device: str = "cpu") -> str:
    found = reports(family, device)
    parts = [f"{len(found)} findings of kind 'bug' ({sum(len(r['ids']) for r in found)} records)", ""]
    for r in found:
        parts.append("=" * 100)
        parts.append(r["title"])
        parts.append(f"records: {', '.join(r['ids'])}")
        parts.append(f"known issue: {r['source']}")
        parts.append(r["versions"])
        if r["snippet"]:
            parts.append("reproduction:")
            parts.append(textwrap.indent(r["snippet"].rstrip(), "    "))
            parts.append(f"expected (NumPy): {r['expected']}")
            parts.append(f"actual (torch):   {r['actual']}")
        else:
            parts.append(f"torch: {r['torch_behaviour']}")
            parts.append(f"NumPy: {r['numpy_behaviour']}")
        parts.append("")
    return "\n".join(parts)
