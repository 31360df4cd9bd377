"""``index.html``: one self-contained page (inline CSS and JS, no network) from merged results.

What is built here (server side, escaped by Jinja2's autoescape): the run facts, one matrix per column set
(ops grouped by family x dtypes, cells coloured by outcome, with counts), failures with their reproduction,
the divergence catalogue with each divergence's status, the slowest tests, conflicts between merged runs.
What the page's script adds: the cases of a clicked cell and the filter box, from the records embedded as JSON
in a ``<script type="application/json">`` block (``<``, ``>`` and ``&`` written as ``\\u003c`` ..., so no
string can close the block). The page's Content-Security-Policy allows no network access and runs only the
page's own script (by its hash), so even markup that escaped escaping could not run.

Size: records are embedded compactly (about 100 bytes each without a failure); failure details are rendered for
the first :data:`FAILURE_DETAILS` failures, one line each for the next :data:`FAILURE_LINES`.
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
from pathlib import Path

import jinja2

from conformance import dtypes as _dtypes
from conformance.families import FAMILIES

TEMPLATES = Path(__file__).parent / "templates"
FAILURE_DETAILS = 300
FAILURE_LINES = 3000
SLOWEST = 25
OUTCOME_ORDER = ("failed", "error", "divergence", "passed", "unsupported", "skipped")
OUTCOME_LABEL = {"passed": "passed", "failed": "failed", "divergence": "known divergence", "skipped": "skipped",
                 "unsupported": "unsupported",
                 "error": "error", "na": "not applicable"}
NO_DTYPE = "(any)"


def _dtype_order(names) -> list:
    known = [d for d in _dtypes.ALL if d in names]
    other = sorted(n for n in names if n not in _dtypes.ALL and n != NO_DTYPE)
    return known + other + ([NO_DTYPE] if NO_DTYPE in names else [])


def _family_order(names) -> list:
    return [f for f in FAMILIES if f in names] + sorted(n for n in names if n not in FAMILIES)


def cell_status(counts: dict, hits: int = 0) -> str:
    if counts.get("failed"):
        return "failed"
    if counts.get("error"):
        return "error"
    if counts.get("divergence") or (hits and counts.get("passed")):
        return "divergence"
    if counts.get("passed"):
        return "passed"
    if counts.get("unsupported"):
        return "unsupported"
    return "skipped"


def _fmt_duration(seconds) -> str:
    if seconds is None:
        return "unknown"
    s = float(seconds)
    if s < 60:
        return f"{s:.1f} s"
    m, s = divmod(int(round(s)), 60)
    if m < 60:
        return f"{m} min {s} s"
    h, m = divmod(m, 60)
    return f"{h} h {m} min"


def _first_line(text, limit=300) -> str:
    text = str(text or "").strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _run_facts(run, index: int) -> dict:
    env = run.env
    torch = str(env.get("torch") or "unknown")
    build = []
    if env.get("torch_git"):
        build.append(f"git {str(env['torch_git'])[:12]}")
    build.append(f"CUDA {env['torch_cuda']}" if env.get("torch_cuda") else "no CUDA")
    if env.get("torch_hip"):
        build.append(f"HIP {env['torch_hip']}")
    return {
        "index": index + 1,
        "source": env.get("source") or run.path,
        "started": env.get("started") or "unknown",
        "finished": env.get("finished") or ("not finished" if env.get("rebuilt_from_stream") else "unknown"),
        "duration": _fmt_duration(env.get("duration_s")),
        "profile": env.get("profile") or "unknown",
        "seed": env.get("seed") or "unknown",
        "python": env.get("python") or "unknown",
        "torch": torch,
        "torch_build": ", ".join(build),
        "numpy": env.get("numpy") or "unknown",
        "hypothesis": env.get("hypothesis") or "unknown",
        "platform": env.get("platform") or "unknown",
        "devices": [(str(d), str(n)) for d, n in (env.get("devices") or {}).items()],
        "skipped_devices": [(str(d), str(w)) for d, w in (env.get("skipped_devices") or {}).items()],
        "workers": env.get("workers"),
        "timeout": f"{float(env['timeout_s']):g}" if isinstance(env.get("timeout_s"), (int, float)) else None,
        "command": env.get("command"),
        "interrupted": bool(env.get("interrupted")),
        "rebuilt": bool(env.get("rebuilt_from_stream")),
        "cases": 0,
    }


def _grids(merged) -> list[dict]:
    grids = []
    for col in merged.columns:
        recs = [(i, r) for i, r in enumerate(merged.records) if r["_col"] == col.index]
        cells: dict[tuple, dict] = {}
        fams: dict[str, set] = {}
        dts = set()
        counts = {o: 0 for o in OUTCOME_ORDER}
        for i, r in recs:
            fam = r.get("family") or "other"
            op = r.get("op") or "(no op)"
            dt = r.get("dtype") or NO_DTYPE
            fams.setdefault(fam, set()).add(op)
            dts.add(dt)
            cell = cells.setdefault((fam, op, dt), {"counts": {}, "hits": 0})
            cell["counts"][r["outcome"]] = cell["counts"].get(r["outcome"], 0) + 1
            cell["hits"] += 1 if r.get("divergences_hit") else 0
            cell.setdefault("partial", set()).update(r.get("unsupported_forms") or ())
            counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
        dt_order = _dtype_order(dts)
        families = []
        for fam in _family_order(fams):
            rows = []
            for op in sorted(fams[fam]):
                row = []
                for dt in dt_order:
                    cell = cells.get((fam, op, dt))
                    if cell is None:
                        row.append({"dtype": dt, "status": "na", "text": "", "title":
                                    f"{op} · {dt} · {col.label}: not applicable (not tested)"})
                        continue
                    c = cell["counts"]
                    total = sum(c.values())
                    bad = c.get("failed", 0) + c.get("error", 0)
                    parts = ", ".join(f"{c[o]} {OUTCOME_LABEL[o]}" for o in OUTCOME_ORDER if c.get(o))
                    hit = f"; {cell['hits']} hit a known divergence" if cell["hits"] else ""
                    if cell.get("partial"):
                        hit += "; forms torch has no kernel for: " + "; ".join(sorted(cell["partial"]))
                    row.append({"dtype": dt, "status": cell_status(c, cell["hits"]),
                                "text": f"{bad}/{total}" if bad else str(total),
                                "title": f"{op} · {dt} · {col.label}: {total} case{'s' if total != 1 else ''}"
                                         f" — {parts}{hit}"})
                rows.append({"op": op, "cells": row})
            families.append({"name": fam, "rows": rows})
        grids.append({"index": col.index, "label": col.label, "device": col.device, "model": col.model,
                      "torch": col.torch, "dtypes": dt_order, "families": families, "counts": counts,
                      "total": len(recs), "available": col.available})
    return grids


_AGREES = ("now agrees", "now gives numpy's", "both raise")


def _divergences(merged) -> list[dict]:
    catalogue = {str(d.get("id")): d for d in merged.divergences}
    for r in merged.records:  # divergences met in records but absent from every run's catalogue
        for did in [r.get("divergence")] + list(r.get("divergences_hit") or []):
            if did and str(did) not in catalogue:
                catalogue[str(did)] = {"id": str(did), "op": r.get("op"), "family": r.get("family"),
                                       "condition": "", "torch_behaviour": "", "numpy_behaviour": "",
                                       "reference": "", "kind": "unknown"}
    pinned_by: dict[tuple, list] = {}
    hits_by: dict[tuple, int] = {}
    for i, r in enumerate(merged.records):
        if r.get("divergence"):
            pinned_by.setdefault((str(r["divergence"]), r["_col"]), []).append((i, r))
        for did in r.get("divergences_hit") or ():
            hits_by[(str(did), r["_col"])] = hits_by.get((str(did), r["_col"]), 0) + 1
    out = []
    for did, d in catalogue.items():
        statuses = []
        for col in merged.columns:
            pinned = pinned_by.get((did, col.index), [])
            hits = hits_by.get((did, col.index), 0)
            outcomes = {r["outcome"] for _, r in pinned}
            failed = [(i, r) for i, r in pinned if r["outcome"] == "failed"]
            if failed:
                msg = str(failed[0][1].get("message") or "").lower()
                status = "now-agrees" if any(a in msg for a in _AGREES) else "changed"
                text = ("now agrees with NumPy" if status == "now-agrees"
                        else "no longer holds: torch behaves differently")
            elif "error" in outcomes:
                status, text = "error", "error while checking"
            elif "divergence" in outcomes or "passed" in outcomes:
                status, text = "diverging", "still diverging"
            elif hits:
                status, text = "diverging", "still diverging"
            elif outcomes == {"skipped"}:
                status, text = "skipped", "skipped"
            else:
                status, text = "not-run", "not run"
            detail = f"{hits} generated case{'s' if hits != 1 else ''} fell under it" if hits else ""
            statuses.append({"column": col.label, "status": status, "text": text, "detail": detail,
                             "record": (failed or pinned or [(None, None)])[0][0]})
        ref = str(d.get("reference") or "")
        out.append({"id": did, "op": d.get("op") or "", "family": d.get("family") or "",
                    "kind": d.get("kind") or "", "condition": d.get("condition") or "",
                    "torch": d.get("torch_behaviour") or "", "numpy": d.get("numpy_behaviour") or "",
                    "reference": ref, "ref_url": ref if ref.startswith(("https://", "http://")) else None,
                    "statuses": statuses, "exercised": any(st["status"] != "not-run" for st in statuses)})
    out.sort(key=lambda d: (d["family"], d["op"], d["id"]))
    return out


def _failures(merged, labels) -> tuple[list, list, int]:
    bad = [(i, r) for i, r in enumerate(merged.records) if r["outcome"] in ("failed", "error")]
    bad.sort(key=lambda ir: (ir[1].get("family") or "~", ir[1].get("op") or "~", ir[1].get("dtype") or "~",
                             ir[1]["_col"], ir[1]["nodeid"]))
    detailed = []
    for i, r in bad[:FAILURE_DETAILS]:
        detailed.append({"i": i, "nodeid": r["nodeid"], "column": labels[r["_col"]], "outcome": r["outcome"],
                         "headline": _first_line(r.get("message")) or r["outcome"],
                         "message": r.get("message") or "", "falsifying": r.get("falsifying_example") or "",
                         "inputs": r.get("inputs") or "", "repro": r.get("repro") or "",
                         "rerun": r.get("rerun") or "", "divergence": r.get("divergence"),
                         "conflict": bool(r.get("_conflict"))})
    lines = [{"i": i, "nodeid": r["nodeid"], "column": labels[r["_col"]], "outcome": r["outcome"],
              "headline": _first_line(r.get("message"), 200)}
             for i, r in bad[FAILURE_DETAILS:FAILURE_DETAILS + FAILURE_LINES]]
    return detailed, lines, len(bad)


def _data(merged, labels, failure_rows: set) -> dict:
    """The records for the page's script, compact: repeated strings go through a table."""
    table: list[str] = []
    index: dict[str, int] = {}

    def s(v) -> int:
        v = "" if v is None else str(v)
        if v not in index:
            index[v] = len(table)
            table.append(v)
        return index[v]

    rows = []
    for i, r in enumerate(merged.records):
        name = r["nodeid"].partition("::")[2] or r["nodeid"]
        rows.append([name, s(r.get("test")), s(r.get("family") or "other"), s(r.get("op") or "(no op)"),
                     s(r.get("dtype") or NO_DTYPE), r["_col"], s(r["outcome"]),
                     round(float(r.get("duration_s") or 0), 3),
                     _first_line(r.get("message"), 160) if r["outcome"] != "passed" else "",
                     s(",".join(map(str, r.get("divergences_hit") or []))),
                     1 if i in failure_rows else 0])
    return {"strings": table, "columns": labels,
            "fields": ["name", "test", "family", "op", "dtype", "column", "outcome", "duration", "message",
                       "hits", "detail"],
            "records": rows}


def _json_for_script(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["label"] = lambda o: OUTCOME_LABEL.get(o, o)
    return env


def render(merged, title: str = "Conformance report") -> str:
    from conformance import __version__

    labels = [c.label for c in merged.columns]
    runs = [_run_facts(r, i) for i, r in enumerate(merged.runs)]
    for r in merged.records:
        if 0 <= r.get("_run", -1) < len(runs):
            runs[r["_run"]]["cases"] += 1
    detailed, lines, n_bad = _failures(merged, labels)
    totals = {o: 0 for o in OUTCOME_ORDER}
    for r in merged.records:
        totals[r["outcome"]] = totals.get(r["outcome"], 0) + 1
    slowest = sorted(range(len(merged.records)), key=lambda i: -float(merged.records[i].get("duration_s") or 0))
    slow = [{"i": i, "nodeid": merged.records[i]["nodeid"], "column": labels[merged.records[i]["_col"]],
             "outcome": merged.records[i]["outcome"],
             "duration": f"{float(merged.records[i].get('duration_s') or 0):.2f} s"} for i in slowest[:SLOWEST]]
    conflicts = [{"key": c["key"], "column": labels[c["column"]],
                  "records": [{"outcome": r["outcome"], "source": merged.runs[r["_run"]].env.get("source")
                               or merged.runs[r["_run"]].path, "headline": _first_line(r.get("message"), 200)}
                              for r in c["records"]]} for c in merged.conflicts]
    divergences = _divergences(merged)
    env = _environment()
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("index.html").render(
        title=title, version=__version__,
        generated=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        runs=runs, totals=totals, total=len(merged.records), grids=_grids(merged),
        failures=detailed, failure_lines=lines, n_failures=n_bad,
        n_hidden_failures=max(0, n_bad - len(detailed) - len(lines)),
        divergences=divergences, columns=labels, slowest=slow, conflicts=conflicts,
        coverage=_coverage(merged), findings=_findings(merged, divergences),
        duplicates=merged.duplicates, dropped=merged.dropped, outcome_order=OUTCOME_ORDER,
        outcome_label=OUTCOME_LABEL,
        data_json=_json_for_script(_data(merged, labels, {f["i"] for f in detailed})),
        script=script, css=css, script_hash=script_hash)


def _coverage(merged) -> dict | None:
    """The coverage totals recorded by the first run that has them."""
    for run in merged.runs:
        found = (run.env or {}).get("coverage")
        if isinstance(found, dict) and found:
            return found
    return None


def _findings(merged, divergences) -> list[dict]:
    """The bug reports the runs recorded (one per root cause), with the status of their divergences here."""
    status = {d["id"]: d for d in divergences}
    seen, out = set(), []
    for run in merged.runs:
        for f in (run.env or {}).get("findings") or []:
            if not isinstance(f, dict) or f.get("root_cause") in seen:
                continue
            seen.add(f.get("root_cause"))
            states = [s.get("text") for i in f.get("ids") or [] for s in status.get(i, {}).get("statuses", [])
                      if s.get("text")]
            changed = [t for t in states if t and t not in ("still diverging", "not run", "skipped")]
            out.append({**f, "status": (changed[0] if changed else (states[0] if states else "")),
                        "status_class": "failed" if changed else "divergence"})
    return out


def write(path: Path, merged, title: str = "Conformance report") -> None:
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(render(merged, title), encoding="utf-8")
    tmp.replace(path)
