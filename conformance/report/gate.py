"""The regression gate: compares a run with a baseline, case by case.

A case is a test id without the directory it ran from (:func:`conformance.results.case_key`:
``module::test[op-device-dtype]``), so the same case matches across machines, checkouts and torch versions.
When a file holds one case several times (a merged file with GPUs of different models, or several torch
versions), the records are paired by device model and torch version.

Exit codes: 0 no regression; 1 a case that passed in the baseline (or held its recorded divergence) now fails
or errors (a pinned divergence that no longer holds is a failure too: torch diverges differently, or not at
all); 2 a results file that is missing, corrupt or of the wrong schema, or two files with no case in common
(a wrong baseline), with one line on stderr.
"""
from __future__ import annotations

import sys
from pathlib import Path

from conformance import results as R

#: how many cases each section lists before "... and N more"
SHOW = 50


def _records(doc: dict) -> list[dict]:
    """Records with their device model and torch version (from their run's environment)."""
    runs = doc.get("runs") if isinstance(doc.get("runs"), list) and doc.get("runs") else [doc["environment"]]
    out = []
    for rec in doc["results"]:
        i = rec.get("run") if isinstance(rec.get("run"), int) and 0 <= rec.get("run") < len(runs) else 0
        env = runs[i] or {}
        dev = rec.get("device")
        cpu = not dev or str(dev).split(":")[0] == "cpu"
        model = "" if cpu else str((env.get("devices") or {}).get(dev) or "")
        out.append({**rec, "_model": model, "_torch": str(env.get("torch") or "")})
    return out


def _index(records: list[dict]) -> dict[str, list[dict]]:
    """case key -> records, one per (device model, torch version) (the worst outcome where one file has a
    case twice there: a conflict)."""
    by: dict[tuple, dict] = {}
    for rec in records:
        k = (R.case_key(rec), rec["_model"], rec["_torch"])
        old = by.get(k)
        if old is None or R.SEVERITY.get(rec["outcome"], 0) > R.SEVERITY.get(old["outcome"], 0):
            by[k] = rec
    out: dict[str, list[dict]] = {}
    for (key, _, _), rec in by.items():
        out.setdefault(key, []).append(rec)
    return out


def _pair(bs: list[dict], cs: list[dict]):
    if len(bs) == 1 and len(cs) == 1:
        return [(bs[0], cs[0])], [], []
    bs, cs, pairs = list(bs), list(cs), []
    for attrs in (("_model", "_torch"), ("_model",), ("_torch",)):
        for b in list(bs):
            m = next((c for c in cs if all(c[a] == b[a] for a in attrs)), None)
            if m is not None:
                pairs.append((b, m))
                bs.remove(b)
                cs.remove(m)
    if len(bs) == 1 and len(cs) == 1:
        pairs.append((bs[0], cs[0]))
        bs, cs = [], []
    return pairs, bs, cs


def compare(baseline: dict, current: dict) -> dict:
    """The comparison, as lists of (baseline record or None, current record or None)."""
    b_index = _index(_records(baseline))
    c_index = _index(_records(current))
    out = {k: [] for k in ("regressions", "fixed", "still_failing", "new_failing", "now_skipped", "unchanged",
                           "only_baseline", "only_current")}
    for key in sorted(set(b_index) | set(c_index)):
        pairs, b_only, c_only = _pair(b_index.get(key, []), c_index.get(key, []))
        for b, c in pairs:
            bo, co = b["outcome"], c["outcome"]
            if bo in R.GOOD and co in R.BAD:
                out["regressions"].append((b, c))
            elif bo in R.BAD and co in R.GOOD:
                out["fixed"].append((b, c))
            elif bo in R.BAD and co in R.BAD:
                out["still_failing"].append((b, c))
            elif co in R.BAD:  # skipped in the baseline: nothing to regress from
                out["new_failing"].append((b, c))
            elif bo in R.GOOD and co == "skipped":
                out["now_skipped"].append((b, c))
            else:
                out["unchanged"].append((b, c))
        out["only_baseline"] += [(b, None) for b in b_only]
        for c in c_only:
            out["only_current"].append((None, c))
            if c["outcome"] in R.BAD:
                out["new_failing"].append((None, c))
    return out


def _name(rec: dict) -> str:
    extra = []
    if rec.get("_model"):
        extra.append(rec["_model"])
    return R.case_key(rec) + (f"  ({', '.join(extra)})" if extra else "")


def _first_line(text) -> str:
    line = str(text or "").strip().splitlines()[0] if str(text or "").strip() else ""
    return line if len(line) <= 200 else line[:197] + "..."


def _section(out, title: str, rows, show_message: bool = False, before: bool = True) -> None:
    if not rows:
        return
    print(f"{title} ({len(rows)}):", file=out)
    for b, c in rows[:SHOW]:
        rec = c if c is not None else b
        was = f"   (baseline: {b['outcome']})" if before and b is not None and c is not None else ""
        print(f"  {rec['outcome']:<10} {_name(rec)}{was}", file=out)
        if show_message and rec.get("message"):
            print(f"             {_first_line(rec['message'])}", file=out)
    if len(rows) > SHOW:
        print(f"  ... and {len(rows) - SHOW} more", file=out)


def _describe(path, doc: dict) -> str:
    env = doc["environment"]
    runs = doc.get("runs") if isinstance(doc.get("runs"), list) and doc.get("runs") else [env]
    torches = sorted({str(r.get("torch")) for r in runs if r})
    devs = sorted({f"{d} ({n})" if n and n != d else d for r in runs if r for d, n in (r.get("devices") or {}).items()})
    return (f"{path}: torch {', '.join(torches)}; {', '.join(devs) or 'no device'}; "
            f"{len(doc['results'])} cases")


def _load_current(paths) -> dict:
    docs = [R.read(Path(p)) for p in paths]
    if len(docs) == 1:
        return docs[0]
    from conformance.report import merge

    runs = [merge.Run(str(p), d) for p, d in zip(paths, docs)]
    return merge.as_document(merge.merge(runs))


def run_gate(baseline_path, current_path, out=None, err=None) -> int:
    """Prints the comparison and returns the exit code (0 pass, 1 regression, 2 unusable input)."""
    out = out or sys.stdout
    err = err or sys.stderr
    currents = list(current_path) if isinstance(current_path, (list, tuple)) else [current_path]
    try:
        baseline = R.read(Path(baseline_path))
        current = _load_current(currents)
    except R.ResultsError as exc:
        print(f"conformance gate: error: {exc}", file=err)
        return 2
    cur_name = ", ".join(str(p) for p in currents)
    diff = compare(baseline, current)
    matched = sum(len(diff[k]) for k in ("regressions", "fixed", "still_failing", "now_skipped", "unchanged")) + \
        sum(1 for b, c in diff["new_failing"] if b is not None)
    if baseline["results"] and current["results"] and matched == 0:
        print(f"conformance gate: error: {baseline_path} and {cur_name} have no test case in common "
              "(a baseline of another suite version or selection?)", file=err)
        return 2
    print(f"baseline: {_describe(baseline_path, baseline)}", file=out)
    print(f"current:  {_describe(cur_name, current)}", file=out)
    _section(out, "REGRESSIONS: passed in the baseline, fail now", diff["regressions"], show_message=True)
    _section(out, "new failures not gated (no passing baseline for them)", diff["new_failing"], show_message=True)
    _section(out, "fixed: failed in the baseline, pass now", diff["fixed"])
    _section(out, "passed in the baseline, skipped now", diff["now_skipped"])
    _section(out, "only in the baseline", diff["only_baseline"], before=False)
    _section(out, "only in the current run", diff["only_current"], before=False)
    if diff["still_failing"]:
        print(f"still failing (as in the baseline): {len(diff['still_failing'])}", file=out)
    n = len(diff["regressions"])
    summary = (f"{n} regression{'s' if n != 1 else ''}, {len(diff['fixed'])} fixed, "
               f"{len(diff['still_failing'])} still failing, {len(diff['new_failing'])} new failures not gated, "
               f"{len(diff['only_baseline'])} only in the baseline, {len(diff['only_current'])} only in the "
               f"current run; {matched} cases compared")
    print(f"gate: {'FAIL' if n else 'PASS'}: {summary}", file=out)
    return 1 if n else 0
