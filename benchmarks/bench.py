"""Where the suite's time goes, measured side by side in one run.

    python benchmarks/bench.py                  # the per-case table for a handful of ops
    python benchmarks/bench.py --suite          # also the whole ci-profile run with 1 and with 2 workers
    python benchmarks/bench.py --write          # and rewrite the table in benchmarks/RESULTS.md

Terms. A *checked case* is one sample (one value fill, in one memory layout) run through torch and compared:
with NumPy (the forward check) or, bit for bit, with the function (a method or in-place variant). *Bare
op+ref* is the torch call plus the NumPy reference in float64 on a ready sample, nothing else. *Suite time per
checked case* is the wall time of a group run of the op (every dtype torch has, the Hypothesis draws, the
value fills, tensor construction, the comparisons, the variants, unsupported cells found by trying) divided by
the cases it checked. Their ratio is what the machinery costs over the bare work; cases per second per core is
the reciprocal of the suite time per case (one process, one torch thread).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from hypothesis import settings  # noqa: E402

from conformance import catalogue, dtypes, engine, oracle, support  # noqa: E402

#: (op, kind of op) measured by the table
OPS = [("add", "elementwise"), ("sum", "reduction"), ("gather", "indexing"), ("matmul", "matmul"),
       ("einsum", "einsum")]
EXAMPLES = 50
RESULTS = Path(__file__).with_name("RESULTS.md")
BEGIN, END = "<!-- bench:table -->", "<!-- /bench:table -->"


def bare_per_case(op, dtype: str = "float32", cases: int = 200) -> float:
    """Seconds per forward case of the torch call plus the NumPy reference alone, on the op's own samples."""
    samples = []
    for seed in range(cases):
        case = support.draw(op.cell_strategy(dtype), seed)
        if case is not None:
            samples.append(case.sample("ordinary", 0))
    total = 0.0
    for s in samples:
        args, kwargs, _ = s.torch_inputs("cpu")
        np_args, np_kwargs = s.numpy_inputs(oracle.widen)
        t = time.perf_counter()
        try:
            op.call(args, kwargs)
        except Exception:  # noqa: BLE001 - what an invalid sample costs is part of the work too
            pass
        try:
            op.ref(*np_args, **np_kwargs)
        except Exception:  # noqa: BLE001
            pass
        total += time.perf_counter() - t
    return total / max(len(samples), 1)


def suite_per_case(op, examples: int = EXAMPLES) -> tuple[float, int, int]:
    """(seconds per checked case, checked cases, cells) of a group run of ``op`` over every dtype."""
    s = settings(database=None, derandomize=False, deadline=None, max_examples=examples)
    t = time.perf_counter()
    cells = engine.run_group(op, "cpu", list(dtypes.ALL), s, seed=1234)[engine.FORWARD]
    elapsed = time.perf_counter() - t
    checked = sum(c.checked for c in cells.values())
    return elapsed / max(checked, 1), checked, sum(c.status != "unsupported" for c in cells.values())


def table() -> list[dict]:
    torch.set_num_threads(1)
    rows = []
    for name, kind in OPS:
        op = catalogue.by_name(name)
        bare = bare_per_case(op)
        per_case, checked, cells = suite_per_case(op)
        rows.append({"op": name, "kind": kind, "bare_us": bare * 1e6, "suite_us": per_case * 1e6,
                     "ratio": per_case / bare if bare else float("nan"), "cases_per_s": 1.0 / per_case,
                     "checked": checked, "cells": cells})
    return rows


def whole_run(workers: int, report_dir: str) -> float:
    """Wall seconds of ``conformance run --profile ci -n WORKERS``."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "conformance", "run", "--profile", "ci", "-n", str(workers),
                    "--report-dir", report_dir], check=False, capture_output=True)
    return time.perf_counter() - t


def render(rows, runs: dict) -> str:
    lines = [f"Measured with torch {torch.__version__}, NumPy {np.__version__}, one process, one torch thread "
             f"(`python benchmarks/bench.py{' --suite' if runs else ''}`); a group run of {EXAMPLES} examples "
             "per op over every dtype.", "",
             "| op | kind | bare op+ref / case | suite / checked case | ratio | checked cases/s per core | "
             "cases checked (supported cells) |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['op']} | {r['kind']} | {r['bare_us']:.1f} µs | {r['suite_us']:.1f} µs | "
                     f"{r['ratio']:.1f}x | {r['cases_per_s']:,.0f} | {r['checked']:,} ({r['cells']}) |")
    if runs:
        lines += ["", "| whole ci-profile run | wall time |", "|---|---|"]
        for n, secs in sorted(runs.items()):
            lines.append(f"| `conformance run --profile ci -n {n}` | {secs:.1f} s |")
        if 1 in runs and 2 in runs:
            lines.append(f"| speed-up of -n 2 over -n 1 | {runs[1] / runs[2]:.2f}x |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--suite", action="store_true", help="also time the whole ci run with 1 and 2 workers")
    p.add_argument("--write", action="store_true", help="rewrite the table in benchmarks/RESULTS.md")
    args = p.parse_args(argv)
    rows = table()
    runs = {}
    if args.suite:
        with tempfile.TemporaryDirectory() as tmp:
            for n in (1, 2):
                runs[n] = whole_run(n, str(Path(tmp) / f"n{n}"))
    text = render(rows, runs)
    print(text)
    print(json.dumps(rows, indent=1), file=sys.stderr)
    if args.write:
        old = RESULTS.read_text() if RESULTS.exists() else f"# Measured speed\n\n{BEGIN}\n{END}\n"
        if BEGIN not in old:
            old += f"\n{BEGIN}\n{END}\n"
        head, _, rest = old.partition(BEGIN)
        _, _, tail = rest.partition(END)
        RESULTS.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
