"""The in-place variant check: bit for bit with the function, except where a variant on another layout takes
another kernel path (within the op's bound, accepted overflows included)."""
from __future__ import annotations

import ml_dtypes
import numpy as np

from conformance import catalogue, check
from conformance.strategies.cases import Sample


def test_an_in_place_variant_may_compute_an_accepted_overflow_right():
    """remainder of float16 by a bfloat16 2**-133: the function's vectorized kernel forms x / y, which overflows
    float32, and gives NaN (remainder-huge-quotient-nan accepts it); the in-place variant into a transposed
    float16 input takes the scalar path and gives the exact 0. That is no disagreement: the in-place result is
    held to the reference where the function's was an accepted NaN."""
    op = catalogue.by_name("remainder")
    x = np.full((129, 4), 1.5, dtype=np.float16)
    y = np.full((129, 4), 2.0 ** -133, dtype=ml_dtypes.bfloat16)
    sample = Sample(args=(x, y), kwargs={}, arrays=[x, y], layouts=["transposed", "transposed"])
    seen = check.forward(op, sample, "cpu", "float16")
    assert check.variants(op, sample, "cpu", "float16", seen) >= 1
