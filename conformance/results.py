"""``results.json``: the record of one conformance run, written as the run goes and read by reports and gates.

Schema (``schema_version`` 1)::

    {
      "schema_version": 1,
      "environment": {
        "python": "3.11.7", "platform": "...", "torch": "2.13.0+cpu", "torch_git": "...",
        "torch_cuda": null | "12.4", "numpy": "2.4.6", "hypothesis": "6.170.17",
        "devices": {"cpu": "<CPU model>", "cuda:0": "<GPU model>"}, "skipped_devices": {"cuda": "<reason>"},
        "profile": "ci", "seed": "derandomized" | "<int>", "command": "...",
        "started": "<ISO 8601>", "finished": "<ISO 8601>" | null, "duration_s": 12.3
      },
      "results": [
        {"nodeid": "...", "test": "test_forward", "family": "pointwise", "op": "sqrt",
         "dtype": "float32" | null, "device": "cpu" | null,
         "outcome": "passed" | "failed" | "divergence" | "skipped" | "error",
         "duration_s": 0.05, "message": null | "...", "inputs": null | "...", "repro": null | "...",
         "falsifying_example": null | "...", "divergence": null | "<id>", "divergences_hit": ["<id>", ...],
         "rerun": "pytest ... '<nodeid>'"}
      ],
      "divergences": [{"id", "op", "family", "condition", "torch_behaviour", "numpy_behaviour",
                       "reference", "kind"}]
    }

While a run goes on, each finished test case is appended to ``results.jsonl`` beside it (one JSON object per
line, flushed), so an interrupted run still leaves every finished result; ``results.json`` is written at the
end from those lines.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

SCHEMA_VERSION = 1
OUTCOMES = ("passed", "failed", "divergence", "skipped", "error")
REQUIRED = ("nodeid", "family", "op", "dtype", "device", "outcome", "duration_s")


class ResultsError(ValueError):
    """A results file that is missing, corrupt or of the wrong schema."""


class StreamWriter:
    """Appends one JSON line per finished test case; the final file is made from the stream."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=False, exist_ok=True)
        self.stream_path = self.directory / "results.jsonl"
        self._fh = open(self.stream_path, "w", encoding="utf-8")

    def append(self, record: dict) -> None:
        self._fh.write(json.dumps(record, default=str) + "\n")
        self._fh.flush()

    def close(self):
        if not self._fh.closed:
            self._fh.close()


def read_stream(path: Path) -> list[dict]:
    """Records of a ``results.jsonl`` stream; a later record for a nodeid replaces an earlier one. A torn
    last line (the run was killed mid-write) is ignored."""
    records: dict[str, dict] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            records[rec["nodeid"]] = rec
    return list(records.values())


def write(path: Path, environment: dict, results: list[dict], divergences: list[dict]) -> None:
    doc = {"schema_version": SCHEMA_VERSION, "environment": environment, "results": results,
           "divergences": divergences}
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, default=str)
    os.replace(tmp, path)


def read(path) -> dict:
    """Reads and validates a results file; raises :class:`ResultsError` with a one-line reason."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such results file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, not a results file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: not valid JSON ({exc})") from None
    validate(doc, str(path))
    return doc


def validate(doc, where: str = "results") -> None:
    if not isinstance(doc, dict):
        raise ResultsError(f"{where}: expected a JSON object at the top level")
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise ResultsError(f"{where}: unsupported schema_version {doc.get('schema_version')!r} "
                           f"(this version reads {SCHEMA_VERSION})")
    if not isinstance(doc.get("environment"), dict) or not isinstance(doc.get("results"), list):
        raise ResultsError(f"{where}: missing 'environment' object or 'results' list")
    for i, rec in enumerate(doc["results"]):
        if not isinstance(rec, dict):
            raise ResultsError(f"{where}: results[{i}] is not an object")
        missing = [k for k in REQUIRED if k not in rec]
        if missing:
            raise ResultsError(f"{where}: results[{i}] lacks {', '.join(missing)}")
        if rec["outcome"] not in OUTCOMES:
            raise ResultsError(f"{where}: results[{i}] has unknown outcome {rec['outcome']!r}")
