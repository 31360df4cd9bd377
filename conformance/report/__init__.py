"""Reports made from results files: ``index.html`` (the page), ``junit.xml`` (for CI systems), merged results,
and the regression gate (:mod:`conformance.report.gate`).

``conformance run`` calls :func:`write_reports` on its own ``results.json``; ``conformance report A B ... -o DIR``
calls it on several (runners, shards), merging them.
"""
from __future__ import annotations

from pathlib import Path

from conformance import results as _results
from conformance.report import html, junit, merge


def write_reports(result_paths, out_dir, title: str = "Conformance report") -> dict:
    """Reads (and merges) results files, writes ``index.html`` and ``junit.xml`` into ``out_dir``, and the
    results they show as ``results.json`` (merged, or rebuilt from a stream), unless that is one of the inputs.
    Raises :class:`conformance.results.ResultsError` for an unreadable input. Returns what was written and the
    merge (``{"paths": [...], "merged": Merged}``)."""
    paths = [Path(p) for p in result_paths]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs = merge.load(paths)
    merged = merge.merge(runs)
    written = []
    target = out / "results.json"
    inputs = {p.resolve() for p in paths}
    if target.resolve() not in inputs:
        doc = merge.as_document(merged) if len(merged.runs) > 1 else _single(runs[0].doc)
        _results.write(target, doc["environment"], doc["results"], doc["divergences"], runs=doc.get("runs"))
        written.append(target)
    html.write(out / "index.html", merged, title)
    written.append(out / "index.html")
    junit.write(out / "junit.xml", merged)
    written.append(out / "junit.xml")
    return {"paths": written, "merged": merged}


def _single(doc: dict) -> dict:
    return {"environment": doc["environment"], "results": doc["results"], "divergences": doc.get("divergences", [])}
