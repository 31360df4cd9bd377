"""``junit.xml`` for CI systems, written from results (so a merged report has one too).

One ``<testsuite>`` per column set (device · torch version), its run's environment as ``<properties>``; one
``<testcase>`` per record: ``failure`` for failed, ``error`` for error, ``skipped`` for skipped; a held known
divergence passes, with the divergence named in ``system-out``. Characters XML 1.0 cannot hold are replaced.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

_BAD_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_PROPS = ("python", "platform", "torch", "torch_git", "torch_cuda", "torch_hip", "numpy", "hypothesis", "profile",
          "seed", "timeout_s", "workers", "started", "finished", "duration_s", "command", "source")


def _x(text) -> str:
    return _BAD_XML.sub("\ufffd", "" if text is None else str(text))


def _classname(rec: dict) -> str:
    from conformance import results

    return results.module_of(rec)


def write(path: Path, merged) -> None:
    root = ET.Element("testsuites", name="conformance")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
    by_col: dict[int, list] = {}
    for rec in merged.records:
        by_col.setdefault(rec["_col"], []).append(rec)
    conflict_keys = {(c["key"], c["column"]) for c in merged.conflicts}
    for col in merged.columns:
        recs = by_col.get(col.index, [])
        counts = {"tests": len(recs), "failures": sum(r["outcome"] == "failed" for r in recs),
                  "errors": sum(r["outcome"] == "error" for r in recs),
                  "skipped": sum(r["outcome"] in ("skipped", "unsupported") for r in recs),
                  "time": sum(float(r.get("duration_s") or 0) for r in recs)}
        env = merged.runs[col.runs[0]].env if col.runs else {}
        suite = ET.SubElement(root, "testsuite", name=_x(f"conformance · {col.label}"),
                              tests=str(counts["tests"]), failures=str(counts["failures"]),
                              errors=str(counts["errors"]), skipped=str(counts["skipped"]),
                              time=f"{counts['time']:.3f}", timestamp=_x(env.get("started") or ""))
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="device", value=_x(col.device))
        if col.model:
            ET.SubElement(props, "property", name="device_name", value=_x(col.model))
        for i in col.runs:
            run_env = merged.runs[i].env
            prefix = "" if len(col.runs) == 1 else f"run{i + 1}."
            for key in _PROPS:
                if run_env.get(key) is not None:
                    ET.SubElement(props, "property", name=prefix + key, value=_x(run_env[key]))
            for dev, name in (run_env.get("devices") or {}).items():
                ET.SubElement(props, "property", name=f"{prefix}device.{dev}", value=_x(name))
        for key in totals:
            totals[key] += counts[key]
        for rec in recs:
            _case(suite, rec, conflict=(_key(rec), col.index) in conflict_keys)
    for key, value in totals.items():
        root.set(key, f"{value:.3f}" if key == "time" else str(value))
    ET.indent(root)
    tmp = Path(str(path) + ".tmp")
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(path)


def _key(rec):
    from conformance import results

    return results.case_key(rec)


def _case(suite, rec: dict, conflict: bool) -> None:
    name = rec["nodeid"].partition("::")[2] or rec["nodeid"]
    case = ET.SubElement(suite, "testcase", classname=_x(_classname(rec)), name=_x(name),
                         time=f"{float(rec.get('duration_s') or 0):.3f}")
    outcome = rec["outcome"]
    message = rec.get("message") or ""
    first = message.strip().splitlines()[0] if message.strip() else outcome
    if outcome in ("failed", "error"):
        body = [message]
        if rec.get("falsifying_example"):
            body.append("falsifying example:\n" + rec["falsifying_example"])
        if rec.get("inputs"):
            body.append("inputs:\n" + rec["inputs"])
        if rec.get("repro"):
            body.append("standalone reproduction (torch + numpy only):\n" + rec["repro"])
        if rec.get("rerun"):
            body.append("rerun: " + rec["rerun"])
        el = ET.SubElement(case, "failure" if outcome == "failed" else "error", message=_x(first[:500]),
                           type=outcome)
        el.text = _x("\n\n".join(body))
    elif outcome in ("skipped", "unsupported"):
        ET.SubElement(case, "skipped", message=_x(first[:500]), type=outcome)
    notes = []
    if outcome == "divergence":
        notes.append(f"known divergence {rec.get('divergence')} still holds")
    if rec.get("divergences_hit"):
        notes.append("known divergences applied: " + ", ".join(map(str, rec["divergences_hit"])))
    if conflict:
        notes.append("conflicting results for this case in the merged runs: see index.html")
    if notes:
        ET.SubElement(case, "system-out").text = _x("\n".join(notes))
