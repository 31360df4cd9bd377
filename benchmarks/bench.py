"""Speed of the suite: where per-example time goes, and the whole ci-profile run with 1 and 2 workers.

    python benchmarks/bench.py                 # per-example costs for a few representative ops
    python benchmarks/bench.py --suite         # also the whole ci run, -n 1 vs -n 2 (minutes)
    python benchmarks/bench.py --suite -m pointwise   # the same, one family

Terms: a *checked case* is one sample (one value fill) run through torch and NumPy and compared; each
Hypothesis example checks one case per fill (3). "Bare op+ref" is the torch call plus the NumPy reference on a
ready sample, nothing else. The ratio says how much the suite's machinery (Hypothesis, tensor construction,
comparison, pytest) costs per checked case over the bare work.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conformance import catalogue, check, profiles  # noqa: E402,F401
from conformance.strategies.values import FILLS  # noqa: E402

OPS = [("add", "float32"), ("sqrt", "float64"), ("neg", "int32")]


def _best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def per_example(name: str, dtype: str, examples: int = 200) -> dict:
    op = catalogue.by_name(name)
    strategy = op.strategy(dtype)
    cases = []

    @settings(max_examples=examples, database=None, derandomize=True, deadline=None)
    @given(data=st.data())
    def draw_only(data):
        cases.append(data.draw(strategy))

    @settings(max_examples=examples, database=None, derandomize=True, deadline=None)
    @given(data=st.data())
    def full(data):
        for sample in data.draw(strategy).samples():
            check.forward(op, sample, "cpu", dtype)

    draw_s = _best(draw_only, 3) / examples
    full_s = _best(full, 3) / examples
    samples = [s for c in cases[:examples] for s in c.samples()]
    ready = [(s.torch_inputs("cpu")[:2], s) for s in samples]

    def bare():
        for (args, kwargs), s in ready:
            try:
                op.call(args, kwargs)
                check.reference(op, s)
            except Exception:
                pass

    def checks():
        for s in samples:
            try:
                check.forward(op, s, "cpu", dtype)
            except AssertionError:
                pass

    bare_s = _best(bare) / len(samples)
    check_s = _best(checks) / len(samples)
    per_case = full_s / len(FILLS)
    return {"op": f"{name}[{dtype}]", "draw_ms": draw_s * 1e3, "example_ms": full_s * 1e3,
            "bare_us": bare_s * 1e6, "check_us": check_s * 1e6, "cases_per_s": 1.0 / per_case,
            "ratio": per_case / bare_s}


def suite(marker: str | None, workers: int) -> float:
    cmd = [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", "-q", "-p", "no:cacheprovider",
           "--conformance-profile", "ci"]
    if marker:
        cmd += ["-m", marker]
    cmd += ["-n", str(workers)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    tail = [line for line in proc.stdout.splitlines() if line.strip()][-1:]
    print(f"  -n {workers}: {wall:6.1f} s wall  ({tail[0] if tail else proc.returncode})")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="also time the whole ci-profile run")
    parser.add_argument("-m", dest="marker", help="pytest -m family selection for --suite")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, numpy {np.__version__}, {os.cpu_count()} cores")
    print(f"{'op':<18} {'draw/ex':>9} {'test/ex':>9} {'bare op+ref':>12} {'check/case':>11} "
          f"{'cases/s/core':>13} {'ratio':>6}")
    rows = [per_example(n, d) for n, d in OPS]
    for r in rows:
        print(f"{r['op']:<18} {r['draw_ms']:7.2f}ms {r['example_ms']:7.2f}ms {r['bare_us']:10.1f}us "
              f"{r['check_us']:9.1f}us {r['cases_per_s']:13.0f} {r['ratio']:6.1f}")
    print(f"median: {statistics.median(r['cases_per_s'] for r in rows):.0f} checked cases/s per core; "
          f"suite time per checked case = {statistics.median(r['ratio'] for r in rows):.1f}x the bare op+ref")
    if args.suite:
        print("whole ci-profile run" + (f" (-m {args.marker})" if args.marker else "") + ":")
        one = suite(args.marker, 1)
        two = suite(args.marker, 2)
        print(f"  speed-up with 2 workers: {one / two:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
