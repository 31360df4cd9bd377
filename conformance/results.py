"""``results.json``: the record of one conformance run, written as the run goes and read by reports and gates.

Schema (``schema_version`` 1)::

    {
      "schema_version": 1,
      "environment": {
        "python": "3.11.7", "platform": "...", "torch": "2.13.0+cpu", "torch_git": "...",
        "torch_cuda": null | "12.4", "numpy": "2.4.6", "hypothesis": "6.170.17",
        "devices": {"cpu": "<CPU model>", "cuda:0": "<GPU model>"}, "skipped_devices": {"cuda": "<reason>"},
        "profile": "ci", "seed": "derandomized" | "<int>", "command": "...",
        "started": "<ISO 8601>", "finished": "<ISO 8601>" | null, "duration_s": 12.3,
        "suite": {"version": "0.2.0", "digest": "<digest of the suite's code>", "hypothesis_local_constants": "off"},
        "precision": {"flags": {...}, "overrides": {...}, "accelerators": [{"device", "name", "compute_capability",
                      "cuda", "driver", ...}]},
        "coverage": {"torch": {"shared", "in_scope", "covered"}, "linalg": {...}, "fft": {...}},
        "findings": [{"root_cause", "ids", "title", "snippet", "expected", "actual", "source", "versions"}]
      },
      "results": [
        {"nodeid": "...", "test": "test_forward", "family": "pointwise", "op": "sqrt",
         "dtype": "float32" | null, "device": "cpu" | null,
         "outcome": "passed" | "failed" | "divergence" | "unsupported" | "skipped" | "error",
         "duration_s": 0.05, "message": null | "...", "inputs": null | "...", "repro": null | "...",
         "falsifying_example": null | "...", "divergence": null | "<id>", "divergences_hit": ["<id>", ...],
         "examples": 50, "checked_cases": 450, "examples_digest": null | "<digest of the first examples drawn>",
         "unsupported_forms": null | ["<kernel> not implemented for <dtype>", ...],
         "rerun": "pytest ... '<nodeid>'"}
      ],
      "divergences": [{"id", "op", "family", "condition", "torch_behaviour", "numpy_behaviour",
                       "reference", "kind"}]
    }

``unsupported`` is a cell torch has no kernel for at all on that device (found by trying); ``unsupported_forms``
are forms of a call torch has no kernel for in a cell it otherwise supports. ``examples`` are the Hypothesis
examples a test ran and ``checked_cases`` the cases they checked, so a run's own cases per second can be read from
its results. Records may also carry ``module`` (the dotted test module, e.g. ``conformance.suite.test_catalogue``); merged
files (``conformance report a.json b.json -o DIR``) carry ``runs`` (the environment of each merged run) and, on
each record, ``run`` (its index in ``runs``). The environment of a run that was interrupted has
``"interrupted": true``.

The stream, ``results.jsonl``, is written while the run goes on, by the pytest process that sees every report
(the only process without xdist; the xdist controller with it, which receives each worker's reports and the
report of a crashed worker's test). One JSON object per line, flushed after each:

* first, a header ``{"stream": 1, "schema_version": 1, "environment": {...}, "divergences": [...]}``;
* ``{"event": "start", "nodeid": ..., "t": <unix time>, ...metadata}`` when a test case starts;
* the record of each finished test case (as in ``results`` above).

``results.json`` is written at the end of the run from the stream; a test case that started and never finished
(the run was interrupted, or its process died) is recorded as ``error``. If the run itself was killed,
:func:`read` (and ``conformance report results.jsonl``) rebuilds the same document from the stream.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

SCHEMA_VERSION = 1
OUTCOMES = ("passed", "failed", "divergence", "unsupported", "skipped", "error")
REQUIRED = ("nodeid", "family", "op", "dtype", "device", "outcome", "duration_s")


class ResultsError(ValueError):
    """A results file that is missing, corrupt or of the wrong schema."""


#: outcome -> badness, for picking one outcome out of several (a matrix cell, conflicting duplicates)
SEVERITY = {"failed": 5, "error": 4, "divergence": 2, "passed": 1, "unsupported": 0.5, "skipped": 0}
GOOD = ("passed", "divergence")
BAD = ("failed", "error")
SUITE = "conformance.suite"
UNFINISHED = ("did not finish: the run ended while this test case was running (it was interrupted, or the "
              "process running it died)")


class StreamWriter:
    """Appends one JSON line per event (header, test start, finished record), flushed at once, so a run
    that is killed keeps everything it finished."""

    def __init__(self, directory: Path, header: dict | None = None):
        self.directory = Path(directory)
        self.directory.mkdir(parents=False, exist_ok=True)
        self.stream_path = self.directory / "results.jsonl"
        self._fh = open(self.stream_path, "w", encoding="utf-8")
        if header is not None:
            self.header(header)

    def _line(self, obj: dict) -> None:
        if self._fh.closed:
            return
        self._fh.write(json.dumps(obj, default=str) + "\n")
        self._fh.flush()

    def header(self, header: dict) -> None:
        self._line({"stream": 1, "schema_version": SCHEMA_VERSION, **header})

    def start(self, nodeid: str, **meta) -> None:
        self._line({"event": "start", "nodeid": nodeid, "t": round(time.time(), 3), **meta})

    def append(self, record: dict) -> None:
        self._line(record)

    def close(self):
        if not self._fh.closed:
            self._fh.close()


def _stream_lines(path: Path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line: the run was killed mid-write
            if isinstance(obj, dict):
                yield obj


def unfinished_record(start: dict, timeout_s=None) -> dict:
    """The ``error`` record of a test case that started and never finished."""
    rec = {"nodeid": start["nodeid"], **parse_nodeid(start["nodeid"])}
    rec.update({k: v for k, v in start.items() if k not in ("event", "t", "nodeid") and v is not None})
    message = UNFINISHED
    if timeout_s:
        message += (f"; a test stuck past the per-test time limit ({float(timeout_s):g} s) where Python could not "
                    "stop it ends its process this way")
    rec.update(outcome="error", duration_s=0.0, message=message, inputs=None, repro=None,
               falsifying_example=None)
    rec.setdefault("divergence", None)
    rec.setdefault("divergences_hit", [])
    return rec


def read_stream(path: Path) -> list[dict]:
    """Records of a ``results.jsonl`` stream; a later record for a nodeid replaces an earlier one. A torn
    last line (the run was killed mid-write) is ignored; a test case that started and has no record is
    returned as an ``error`` record."""
    records: dict[str, dict] = {}
    started: dict[str, dict] = {}
    timeout_s = None
    for obj in _stream_lines(Path(path)):
        if obj.get("stream"):
            timeout_s = (obj.get("environment") or {}).get("timeout_s")
            continue
        nodeid = obj.get("nodeid")
        if not isinstance(nodeid, str):
            continue
        if obj.get("event") == "start":
            started[nodeid] = obj
            records.pop(nodeid, None)  # run again (a restarted worker): the new outcome counts
        elif "outcome" in obj:
            records[nodeid] = obj
            started.pop(nodeid, None)
    for nodeid, start in started.items():
        records[nodeid] = unfinished_record(start, timeout_s)
    return list(records.values())


def load_stream(path) -> dict:
    """A whole results document rebuilt from a ``results.jsonl`` stream."""
    path = Path(path)
    header: dict = {}
    try:
        for obj in _stream_lines(path):
            if obj.get("stream"):
                header = obj
            break
        results = read_stream(path)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such results file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, not a results file") from None
    if not header:
        raise ResultsError(f"{path}: not a results stream (no header line)")
    environment = dict(header.get("environment") or {})
    environment.setdefault("finished", None)
    environment["rebuilt_from_stream"] = True
    doc = {"schema_version": header.get("schema_version"), "environment": environment, "results": results,
           "divergences": header.get("divergences") or []}
    validate(doc, str(path))
    return doc


def write(path: Path, environment: dict, results: list[dict], divergences: list[dict],
          runs: list[dict] | None = None) -> None:
    doc = {"schema_version": SCHEMA_VERSION, "environment": environment, "results": results,
           "divergences": divergences}
    if runs:
        doc["runs"] = runs
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, default=str)
    os.replace(tmp, path)


def read(path) -> dict:
    """Reads and validates a results file (``results.json``, or a ``results.jsonl`` stream, rebuilt);
    raises :class:`ResultsError` with a one-line reason."""
    path = Path(path)
    if path.suffix == ".jsonl":
        return load_stream(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such results file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, not a results file") from None
    except PermissionError:
        raise ResultsError(f"{path}: cannot be read (permission denied)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: not valid JSON ({exc})") from None
    validate(doc, str(path))
    return doc


def validate(doc, where: str = "results") -> None:
    if not isinstance(doc, dict):
        raise ResultsError(f"{where}: expected a JSON object at the top level")
    if "schema_version" not in doc:
        raise ResultsError(f"{where}: not a conformance results file (no schema_version)")
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise ResultsError(f"{where}: unsupported schema_version {doc.get('schema_version')!r} "
                           f"(this version reads {SCHEMA_VERSION})")
    if not isinstance(doc.get("environment"), dict) or not isinstance(doc.get("results"), list):
        raise ResultsError(f"{where}: missing 'environment' object or 'results' list")
    if not isinstance(doc.get("divergences", []), list):
        raise ResultsError(f"{where}: 'divergences' is not a list")
    for i, rec in enumerate(doc["results"]):
        if not isinstance(rec, dict):
            raise ResultsError(f"{where}: results[{i}] is not an object")
        missing = [k for k in REQUIRED if k not in rec]
        if missing:
            raise ResultsError(f"{where}: results[{i}] lacks {', '.join(missing)}")
        if rec["outcome"] not in OUTCOMES:
            raise ResultsError(f"{where}: results[{i}] has unknown outcome {rec['outcome']!r}")
        if not isinstance(rec["nodeid"], str) or not rec["nodeid"]:
            raise ResultsError(f"{where}: results[{i}] has no nodeid string")


# ---- identity of a test case across runs and machines ---------------------------------------------------

def module_of(rec: dict) -> str:
    """The dotted module of a record's test: its ``module`` field, else worked out from the nodeid's path
    (which depends on the directory pytest ran from)."""
    if rec.get("module"):
        return rec["module"]
    path = rec["nodeid"].split("::", 1)[0]
    path = path.replace("\\", "/").removesuffix(".py")
    marker = SUITE.replace(".", "/") + "/"
    if marker in path:
        path = path[path.index(marker):]
    elif "/" not in path:
        path = SUITE.replace(".", "/") + "/" + path
    return path.replace("/", ".")


def case_key(rec: dict) -> str:
    """``module::test[params]``: the same for one test case whatever the machine, checkout directory or torch
    version (the device and dtype are parameters of the id)."""
    _, _, name = rec["nodeid"].partition("::")
    return f"{module_of(rec)}::{name}"


_DTYPES = ("bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "float16",
           "bfloat16", "float32", "float64", "complex32", "complex64", "complex128",
           "float8_e4m3fn", "float8_e5m2")
_DEVICE = re.compile(r"^(cpu|cuda|mps|xpu|meta|hpu|npu|privateuseone|mtia)(:\d+)?$")


def parse_nodeid(nodeid: str) -> dict:
    """Best-effort metadata from a test id alone (``test_forward[sqrt-cpu-float32]``), for a test case whose
    process died before it reported anything."""
    name = nodeid.split("::")[-1]
    test, _, params = name.partition("[")
    parts = params.rstrip("]").split("-") if params else []
    out = {"test": test, "family": None, "op": None, "dtype": None, "device": None}
    if parts and parts[-1] in _DTYPES:
        out["dtype"] = parts.pop()
    if parts and _DEVICE.match(parts[-1]):
        out["device"] = parts.pop()
    if parts:
        out["op"] = "-".join(parts)
    return out
