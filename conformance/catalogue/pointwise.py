"""Pointwise ops: unary math, binary arithmetic with broadcasting and type promotion, special values."""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import OpEntry
from conformance.strategies import binary, unary

F = "pointwise"

ENTRIES = [
    OpEntry("sqrt", F, "torch.sqrt", np.sqrt, unary, D.FLOATING + D.COMPLEX, method="sqrt", inplace="sqrt_",
            grad=True),
    OpEntry("exp", F, "torch.exp", np.exp, unary, D.FLOATING + D.COMPLEX, method="exp", inplace="exp_", grad=True),
    OpEntry("neg", F, "torch.neg", np.negative, unary, D.NUMERIC, method="neg", inplace="neg_", grad=True),
    OpEntry("add", F, "torch.add", np.add, binary, D.NUMERIC, method="add", inplace="add_", grad=True),
]
