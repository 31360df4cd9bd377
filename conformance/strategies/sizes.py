"""What an op's strategy draws: the size distribution of its examples.

    python -m conformance.strategies.sizes add sum softmax matmul gather [--dtype float32] [--examples 200]

For each op: the share of examples whose largest array has 16 or more elements, whose longest row (the length
the op vectorizes along: the last dim; for an op with a ``dim``, the length it reduces over) is 256 or more, that
have a size-0 array, that are 0-d, and the number of distinct shapes. The examples are the ones Hypothesis draws
for the op's cells (the same strategy and settings as a group run).
"""
from __future__ import annotations

import argparse
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st


def _reduced_length(spec, kwargs) -> int | None:
    if "dim" not in kwargs and "axis" not in kwargs:
        return None
    dim = kwargs.get("dim", kwargs.get("axis"))
    shape = spec.shape
    if not shape:
        return 1
    if dim is None:
        return math.prod(shape)
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    try:
        return math.prod(shape[d % len(shape)] for d in dims) if dims else 1
    except (TypeError, ZeroDivisionError):
        return None


def measure(op, dtype: str = "float32", examples: int = 200) -> dict:
    cases = []

    @settings(max_examples=examples, database=None, deadline=None, derandomize=True)
    @given(data=st.data())
    def collect(data):
        cases.append(data.draw(op.cell_strategy(dtype)))

    collect()
    contracted = op.family == "linalg"
    elements, rows, empty, zero_d, shapes = [], [], 0, 0, set()
    for case in cases:
        specs = case.specs
        if not specs:
            continue
        big = max(specs, key=lambda s: math.prod(s.shape))
        size = math.prod(big.shape)
        kwargs = dict(case.kwargs)
        reduced = _reduced_length(specs[0], kwargs)
        if reduced is not None:
            row = reduced
        elif contracted and specs[0].shape:
            row = specs[0].shape[-1]  # a product's first operand: its last dim is the contracted one
        else:
            row = big.shape[-1] if big.shape else 1
        elements.append(size)
        rows.append(row)
        empty += any(math.prod(s.shape) == 0 for s in specs)
        zero_d += all(len(s.shape) == 0 for s in specs)
        shapes.add(tuple(s.shape for s in specs))
    n = max(len(elements), 1)
    e, r = np.array(elements or [0]), np.array(rows or [0])
    return {"op": op.name, "examples": len(elements), "median_elements": float(np.median(e)),
            "share_16_elements": float(np.mean(e >= 16)), "share_256_row": float(np.mean(r >= 256)),
            "share_size0": empty / n, "share_0d": zero_d / n, "distinct_shapes": len(shapes),
            "largest": int(e.max())}


def main(argv=None) -> int:
    from conformance import catalogue

    p = argparse.ArgumentParser(description="size distribution of op strategies")
    p.add_argument("ops", nargs="+")
    p.add_argument("--dtype", default="float32")
    p.add_argument("--examples", type=int, default=200)
    args = p.parse_args(argv)
    print(f"{'op':<16} {'examples':>8} {'median':>7} {'>=16 el':>8} {'>=256 row':>9} {'size 0':>7} {'0-d':>6} "
          f"{'shapes':>7} {'largest':>8}")
    for name in args.ops:
        m = measure(catalogue.by_name(name), args.dtype, args.examples)
        print(f"{m['op']:<16} {m['examples']:>8} {m['median_elements']:>7.0f} {m['share_16_elements']:>8.0%} "
              f"{m['share_256_row']:>9.0%} {m['share_size0']:>7.0%} {m['share_0d']:>6.0%} "
              f"{m['distinct_shapes']:>7} {m['largest']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
