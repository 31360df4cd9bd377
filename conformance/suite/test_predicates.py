"""Predicates: ``torch.is_tensor``, ``torch.is_nonzero`` (like ``bool()`` of a one-element NumPy array, and its
error on more elements or none), ``Tensor.numel`` / ``torch.numel`` against ``np.size``."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance.check import Mismatch
from conformance.strategies import layouts, seeds
from conformance.strategies import pointwise as P
from conformance.strategies.values import fill

pytestmark = pytest.mark.creation


@pytest.mark.op("is_tensor")
def test_is_tensor(device):
    """True for tensors of any dtype and layout (parameters and views included), False for anything else."""
    t = torch.zeros(2, 3, device=device)
    yes = [t, t.t(), t[0], torch.zeros((), dtype=torch.bool, device=device), torch.nn.Parameter(t.clone())]
    no = [np.zeros(3), [1.0], 1.0, 1, True, None, "tensor", t.shape, np.float32(1.0)]
    for obj in yes:
        if torch.is_tensor(obj) is not True:
            raise Mismatch(f"torch.is_tensor({type(obj).__name__}) is not True")
    for obj in no:
        if torch.is_tensor(obj) is not False:
            raise Mismatch(f"torch.is_tensor({type(obj).__name__}) is not False")


ONE_ELEMENT = ((), (1,), (1, 1), (1, 1, 1))


@pytest.mark.op("is_nonzero")
@pytest.mark.dtypes("bool", "uint8", "int64", "float16", "bfloat16", "float64", "complex64")
@given(shape=st.sampled_from(ONE_ELEMENT), seed=seeds, mode=st.sampled_from(("ordinary", "special")))
def test_is_nonzero(device, dtype, shape, seed, mode):
    """is_nonzero of a one-element tensor is bool() of the one-element array (NaN is true, -0.0 false)."""
    values = fill(np.random.default_rng(seed), shape, dtype, mode)
    t = layouts.make(values, "contiguous", device)
    want = bool(values.astype(np.float32) if dtype == "bfloat16" else values)
    if torch.is_nonzero(t) is not want:
        raise Mismatch(f"torch.is_nonzero({values!r}) is {torch.is_nonzero(t)}, bool() of the array {want}")
    if bool(t) is not want:
        raise Mismatch(f"bool() of the tensor {values!r} is {bool(t)}, of the array {want}")


@pytest.mark.op("is_nonzero")
@pytest.mark.divergence("is_nonzero-error-type")
@given(shape=P.shapes())
def test_is_nonzero_refuses(device, shape):
    """More than one element, or none: torch raises RuntimeError where bool() of a NumPy array raises ValueError."""
    if math.prod(shape) == 1:
        return
    a = np.zeros(shape)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(a)
    t = torch.zeros(shape, device=device)
    for what, call in (("torch.is_nonzero", lambda: torch.is_nonzero(t)), ("bool", lambda: bool(t))):
        with pytest.raises(RuntimeError, match="ambiguous"):
            call()


@pytest.mark.op("numel")
@given(shape=P.shapes(), layout=st.sampled_from(layouts.LAYOUTS))
def test_numel(device, shape, layout):
    """numel is np.size (the product of the shape; 1 for 0-d, 0 with a size-0 dim), whatever the layout."""
    t = layouts.make(np.zeros(shape, np.float32), layout, device)
    want = np.size(np.zeros(shape))
    for what, got in (("Tensor.numel()", t.numel()), ("torch.numel", torch.numel(t)), ("Tensor.nelement()",
                                                                                      t.nelement())):
        if got != want or type(got) is not int:
            raise Mismatch(f"{what} of shape {shape} ({layout}) is {got!r}, np.size gives {want}")
