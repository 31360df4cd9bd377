"""The regression gate: compares a run with a baseline, case by case.

A case is a test id without the directory it ran from (:func:`conformance.results.case_key`:
``module::test[op-device-dtype]``), so the same case matches across machines, checkouts and torch versions.
When a file holds one case several times (a merged file with GPUs of different models, or several torch
versions), the records are paired by device model and torch version.

Each changed case is sorted into one kind of change:

* **torch change** — the same examples (the same suite code, and the same digest of drawn examples where both
  runs recorded one), another verdict: a case that passed (or held its recorded divergence) fails now. These are
  the regressions the gate exists for;
* **suite change** — the suite's code or the examples it drew differ between the runs: a changed verdict says
  nothing about torch, so it is reported apart, never counted as a regression, with the hint to rebuild the
  baseline with this suite on the baseline's torch;
* **support change** — a cell that was ``unsupported`` works now, or one that worked is unsupported now (a dtype
  torch stopped supporting on that device is a regression too); or, in a cell that works in both runs on the same
  examples, a form of the call gained or lost its kernel (``unsupported_forms``: a lost form, such as a scalar
  that now promotes to a dtype without a kernel, is a regression too).

A pinned divergence that no longer holds (torch now agrees with NumPy, or behaves a third way) is listed by its
id with both recorded behaviours and what the test saw.

Exit codes: 0 no regression; 1 a torch change or a lost support; 2 a results file that is missing, corrupt or of
the wrong schema, or two files with no case in common (a wrong baseline), with one line on stderr.
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


def suite_of(doc: dict) -> str | None:
    """The digest of the suite's code that made a results file (None for files written before it was recorded)."""
    runs = doc.get("runs") if isinstance(doc.get("runs"), list) and doc.get("runs") else [doc.get("environment")]
    found = {str(((r or {}).get("suite") or {}).get("digest")) for r in runs if ((r or {}).get("suite") or {}).get("digest")}
    return found.pop() if len(found) == 1 else (None if not found else "several")


def _suite_changed(b: dict, c: dict, same_suite: bool) -> bool:
    """Whether a case may have been judged on other examples or by other code in the two runs."""
    if not same_suite:
        return True
    db, dc = b.get("examples_digest"), c.get("examples_digest")
    return bool(db and dc and db != dc)


def _forms(rec: dict) -> set:
    return set(rec.get("unsupported_forms") or ())


def _form_changes(out: dict, b: dict, c: dict, same_suite: bool) -> None:
    """A cell that works in both runs but whose calls of one form (a dtype a scalar promotes to, a path of the
    op) lost or gained their kernel: a support change of that form, told from the same examples only."""
    if b["outcome"] not in R.GOOD or c["outcome"] not in R.GOOD or _suite_changed(b, c, same_suite):
        return
    lost, gained = sorted(_forms(c) - _forms(b)), sorted(_forms(b) - _forms(c))
    if lost:
        out["forms_lost"].append((b, dict(c, message="no kernel now: " + "; ".join(lost))))
    if gained:
        out["forms_gained"].append((b, dict(c, message="kernel now: " + "; ".join(gained))))


def compare(baseline: dict, current: dict) -> dict:
    """The comparison, as lists of (baseline record or None, current record or None)."""
    b_index = _index(_records(baseline))
    c_index = _index(_records(current))
    sb, sc = suite_of(baseline), suite_of(current)
    # a file that does not record the suite that made it (older results): nothing tells a suite change apart,
    # and every changed verdict counts as torch's, as it always did
    same_suite = sb is None or sc is None or (sb == sc and sb != "several")
    out_unknown = sb is None or sc is None
    out = {k: [] for k in ("regressions", "suite_changes", "support_lost", "support_gained", "forms_lost",
                           "forms_gained", "fixed",
                           "still_failing", "new_failing", "now_skipped", "unchanged", "only_baseline",
                           "only_current")}
    out["same_suite"] = same_suite
    out["suite_unknown"] = out_unknown
    for key in sorted(set(b_index) | set(c_index)):
        pairs, b_only, c_only = _pair(b_index.get(key, []), c_index.get(key, []))
        for b, c in pairs:
            bo, co = b["outcome"], c["outcome"]
            if bo != co and "unsupported" in (bo, co):
                out["support_lost" if co == "unsupported" else "support_gained"].append((b, c))
            elif bo != co and _suite_changed(b, c, same_suite) and (bo in R.BAD or co in R.BAD):
                out["suite_changes"].append((b, c))
            elif bo in R.GOOD and co in R.BAD:
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
                _form_changes(out, b, c, same_suite)
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


def _divergence_changes(out, rows, current: dict) -> None:
    """Pinned divergences that no longer hold, by id, with both recorded behaviours and what the test saw."""
    catalogue = {d.get("id"): d for d in current.get("divergences") or [] if isinstance(d, dict)}
    found = [(b, c) for b, c in rows if c is not None and c.get("divergence") and c["outcome"] in R.BAD]
    if not found:
        return
    print(f"divergences that no longer hold ({len(found)}):", file=out)
    for b, c in found[:SHOW]:
        d = catalogue.get(c["divergence"], {})
        print(f"  {c['divergence']}  [{c.get('device')}, {c.get('dtype')}]", file=out)
        print(f"      recorded: torch {d.get('torch_behaviour', '?')}; NumPy {d.get('numpy_behaviour', '?')}",
              file=out)
        print(f"      now:      {_first_line(c.get('message'))}", file=out)


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
    matched = sum(len(diff[k]) for k in ("regressions", "suite_changes", "support_lost", "support_gained", "fixed",
                                         "still_failing", "now_skipped", "unchanged")) + \
        sum(1 for b, c in diff["new_failing"] if b is not None)
    if baseline["results"] and current["results"] and matched == 0:
        print(f"conformance gate: error: {baseline_path} and {cur_name} have no test case in common "
              "(a baseline of another suite version or selection?)", file=err)
        return 2
    print(f"baseline: {_describe(baseline_path, baseline)}", file=out)
    print(f"current:  {_describe(cur_name, current)}", file=out)
    _section(out, "REGRESSIONS (torch changes): the same examples passed in the baseline and fail now",
             diff["regressions"], show_message=True)
    _divergence_changes(out, diff["regressions"] + diff["suite_changes"], current)
    _section(out, "SUPPORT LOST: worked in the baseline, unsupported now", diff["support_lost"], show_message=True)
    _section(out, "SUPPORT LOST (forms): the same examples, a form of the call that had a kernel has none now",
             diff["forms_lost"], show_message=True)
    _section(out, "support gained: unsupported in the baseline, works now", diff["support_gained"])
    _section(out, "support gained (forms): a form of the call without a kernel in the baseline has one now",
             diff["forms_gained"], show_message=True)
    if diff["suite_unknown"]:
        print("note: a results file does not record the suite that made it, so suite changes cannot be told apart "
              "from torch changes", file=out)
    if diff["suite_changes"]:
        _section(out, "suite changes (not gated): other suite code or other examples than the baseline's, so these "
                      "changed verdicts say nothing about torch", diff["suite_changes"], show_message=True)
        print("  hint: rebuild the baseline with this suite on the baseline's torch, then gate again", file=out)
    _section(out, "new failures not gated (no passing baseline for them)", diff["new_failing"], show_message=True)
    _section(out, "fixed: failed in the baseline, pass now", diff["fixed"])
    _section(out, "passed in the baseline, skipped now", diff["now_skipped"])
    _section(out, "only in the baseline", diff["only_baseline"], before=False)
    _section(out, "only in the current run", diff["only_current"], before=False)
    if diff["still_failing"]:
        print(f"still failing (as in the baseline): {len(diff['still_failing'])}", file=out)
    n = len(diff["regressions"]) + len(diff["support_lost"]) + len(diff["forms_lost"])
    summary = (f"{len(diff['regressions'])} torch change{'s' if len(diff['regressions']) != 1 else ''} "
               f"(regressions), {len(diff['support_lost'])} support lost, {len(diff['support_gained'])} support "
               f"gained, {len(diff['suite_changes'])} suite changes (not gated), {len(diff['fixed'])} fixed, "
               f"{len(diff['still_failing'])} still failing, {len(diff['new_failing'])} new failures not gated, "
               f"{len(diff['only_baseline'])} only in the baseline, {len(diff['only_current'])} only in the "
               f"current run, {len(diff['forms_lost'])} cells with forms lost, {len(diff['forms_gained'])} with "
               f"forms gained; {matched} cases compared")
    print(f"gate: {'FAIL' if n else 'PASS'}: {summary}", file=out)
    return 1 if n else 0
