"""Merging results files from several runners into one view.

Each input is one run (``results.json``, a ``results.jsonl`` stream, or an already merged file). Records are
grouped into **column sets**, one per (device, torch version) and, for accelerators, the device model: a CPU
runner and GPU runners of different models sit side by side; shards of one run (one CI job per family, or per
device) fall into the same column sets. CPU runs are not split by CPU model, so shards that land on different
CI machines still form one column set.

Two records of the same test case (:func:`conformance.results.case_key`) in the same column set are
duplicates: with the same outcome they are kept once; with different outcomes they are a **conflict**, shown
in the report (the worst outcome goes into the matrix, every record into the conflict list), never dropped.

Records of a device that a run only listed as absent (``skipped_devices``: a CPU-only runner asked for
``--device all``) are dropped when another run tested that device for real.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from conformance import results as R


@dataclasses.dataclass
class Run:
    path: str
    doc: dict

    @property
    def env(self) -> dict:
        return self.doc.get("environment") or {}


@dataclasses.dataclass
class Column:
    """One column set: a device of one torch version (and, for accelerators, one device model)."""
    index: int
    device: str
    torch: str
    model: str
    runs: list = dataclasses.field(default_factory=list)
    available: bool = True

    @property
    def label(self) -> str:
        dev = self.device if not self.model or self.model == self.device else f"{self.device} ({self.model})"
        return f"{dev} · torch {self.torch}" + ("" if self.available else " (device absent on the runner)")


@dataclasses.dataclass
class Merged:
    runs: list          # of Run; for an input that was itself merged, one Run per original run
    columns: list       # of Column
    records: list       # of dict, each with "_col" and "_run" (indices) added
    conflicts: list     # of {"key", "column", "records": [...]} (records: those of the conflict)
    duplicates: int     # identical duplicates, kept once
    dropped: int        # records of devices that were absent on their runner, shown by another run
    divergences: list   # divergence catalogue records, by id, first seen first


def load(paths) -> list[Run]:
    """Reads every results file; raises :class:`conformance.results.ResultsError` on the first bad one."""
    out = []
    for p in paths:
        doc = R.read(Path(p))
        out.append(Run(str(p), doc))
    return out


def _split(run: Run) -> list[tuple[Run, list]]:
    """A merged input becomes its original runs again (records carry ``run``)."""
    sub = run.doc.get("runs")
    if not isinstance(sub, list) or not sub:
        return [(run, run.doc["results"])]
    groups: dict[int, list] = {}
    for rec in run.doc["results"]:
        i = rec.get("run") if isinstance(rec.get("run"), int) and 0 <= rec.get("run") < len(sub) else 0
        groups.setdefault(i, []).append(rec)
    return [(Run(f"{run.path} [{(env or {}).get('source', i + 1)}]",
                 {"environment": env or {}, "results": groups.get(i, []), "divergences": []}),
             groups.get(i, [])) for i, env in enumerate(sub)]


def _model(env: dict, device: str | None) -> str:
    if not device:
        return ""
    names = env.get("devices") or {}
    return str(names.get(device) or "")


def merge(runs: list[Run]) -> Merged:
    flat: list[tuple[Run, list]] = []
    for run in runs:
        flat += _split(run)
    columns: dict[tuple, Column] = {}
    grouped: dict[tuple, list] = {}     # (case key, column index) -> records
    order: list[tuple] = []
    divergences: dict[str, dict] = {}
    for run in runs:
        for d in run.doc.get("divergences") or []:
            if isinstance(d, dict) and d.get("id") is not None:
                divergences.setdefault(str(d["id"]), d)
    for ri, (run, recs) in enumerate(flat):
        env = run.env
        torch = str(env.get("torch") or "?")
        absent = env.get("skipped_devices") or {}
        for rec in recs:
            dev = rec.get("device")
            dev_s = str(dev) if dev else "(no device)"
            available = not (dev and dev in absent and dev not in (env.get("devices") or {}))
            model = _model(env, dev)
            is_cpu = dev_s.split(":")[0] == "cpu"
            ckey = (dev_s, torch, "" if is_cpu or not available else model, available)
            col = columns.get(ckey)
            if col is None:
                col = columns[ckey] = Column(len(columns), dev_s, torch, "" if is_cpu else model,
                                             available=available)
            if ri not in col.runs:
                col.runs.append(ri)
            if is_cpu and model and model not in col.model.split(" / ") and col.model != model:
                col.model = " / ".join(filter(None, [col.model, model]))
            r = dict(rec)
            r["_run"] = ri
            r["_col"] = col.index
            k = (R.case_key(rec), col.index)
            if k not in grouped:
                grouped[k] = []
                order.append(k)
            grouped[k].append(r)
    # columns of absent devices go when another run tested that device
    real = {c.device for c in columns.values() if c.available}
    dropped_cols = {c.index for c in columns.values() if not c.available and c.device in real}
    kept_cols = [c for c in columns.values() if c.index not in dropped_cols]
    renumber = {c.index: i for i, c in enumerate(kept_cols)}
    for c in kept_cols:
        c.index = renumber[c.index]
    records, conflicts = [], []
    duplicates = dropped = 0
    for k in order:
        group = grouped[k]
        if k[1] in dropped_cols:
            dropped += len(group)
            continue
        for r in group:
            r["_col"] = renumber[k[1]]
        outcomes = {r["outcome"] for r in group}
        if len(group) > 1 and len(outcomes) > 1:
            worst = max(group, key=lambda r: R.SEVERITY.get(r["outcome"], 0))
            worst = dict(worst, _conflict=True)
            conflicts.append({"key": k[0], "column": renumber[k[1]], "records": group})
            records.append(worst)
        else:
            duplicates += len(group) - 1
            records.append(group[0])
    return Merged(runs=[r for r, _ in flat], columns=kept_cols, records=records, conflicts=conflicts,
                  duplicates=duplicates, dropped=dropped, divergences=list(divergences.values()))


def as_document(merged: Merged) -> dict:
    """A results document (schema 1) of a merge: ``environment`` is the first run's, ``runs`` all of them,
    each record says its ``run``. Conflicting duplicates are all kept."""
    envs = []
    for run in merged.runs:
        env = dict(run.env)
        env["source"] = run.path
        envs.append(env)
    out = []
    for rec in merged.records:
        if rec.get("_conflict"):
            continue
        out.append(_clean(rec))
    for c in merged.conflicts:
        out += [_clean(r) for r in c["records"]]
    first = dict(envs[0]) if envs else {}
    first["merged_runs"] = len(envs)
    return {"schema_version": R.SCHEMA_VERSION, "environment": first, "runs": envs, "results": out,
            "divergences": merged.divergences}


def _clean(rec: dict) -> dict:
    r = {k: v for k, v in rec.items() if not k.startswith("_")}
    r["run"] = rec["_run"]
    return r
