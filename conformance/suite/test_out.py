"""``out=`` where torch differs from NumPy on purpose (every catalogue entry's ``out=`` is checked by the generic
test; see ``check.out_variants``)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from conformance.check import Mismatch

pytestmark = pytest.mark.variants


@pytest.mark.op("add")
@pytest.mark.divergence("out-wrong-shape-resized")
def test_wrong_shape_out_is_resized(device):
    a, b = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    with pytest.raises(ValueError):
        np.add(a, b, out=np.empty(7))
    out = torch.full((7,), float("nan"), device=device, dtype=torch.float64)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        got = torch.add(torch.from_numpy(a).to(device), torch.from_numpy(b).to(device), out=out)
    if got is not out or tuple(out.shape) != (3,) or out.cpu().tolist() != [5.0, 7.0, 9.0]:
        raise Mismatch(f"out-wrong-shape-resized no longer holds: out is {out} (returned {got})")
    if not any("resize" in str(w.message).lower() for w in seen):
        raise Mismatch("out-wrong-shape-resized: torch resized the out tensor without its documented warning")
    # just outside the condition: an empty out is resized silently, as NumPy has no counterpart to refuse
    empty = torch.empty((0,), device=device, dtype=torch.float64)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        torch.add(torch.from_numpy(a).to(device), torch.from_numpy(b).to(device), out=empty)
    if tuple(empty.shape) != (3,) or any("resize" in str(w.message).lower() for w in seen):
        raise Mismatch("an empty out= must be resized without a warning")
