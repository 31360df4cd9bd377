"""Pointwise semantics the generic catalogue tests cannot state: in-place ops and the output casting rule,
and the divergences of ``catalogue.pointwise.DIVERGENCES`` (float16 with a complex operand giving complex32 is
a record of every binary op, pinned by the generic test_divergence)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import tolerance
from conformance.check import Mismatch
from conformance.compare import compare
from conformance.strategies import WRITABLE, layouts, seeds
from conformance.strategies import pointwise as P
from conformance.strategies.values import fill

pytestmark = pytest.mark.pointwise


@pytest.mark.op("abs")
@pytest.mark.dtypes("int8", "int64", "float16", "bfloat16", "float32", "float64")
@given(shape=P.shapes(), layout=st.sampled_from(WRITABLE), seed=seeds)
def test_abs_inplace(device, dtype, shape, layout, seed):
    """abs_ of a real tensor leaves np.abs of its values in the tensor (any writable layout; abs is exact, so bit
    for bit, -0.0 becoming +0.0 and the most negative integer staying itself as in NumPy), keeps its strides and
    returns it. (The catalogue's abs entry has no in-place variant: abs_ refuses complex tensors.)"""
    values = fill(np.random.default_rng(seed), shape, dtype, "special")
    t = layouts.make(values, layout, device)
    strides = t.stride()
    out = t.abs_()
    if out is not t or t.stride() != strides:
        raise Mismatch("abs_ did not return its input, or changed its strides")
    with np.errstate(all="ignore"):
        want = np.abs(values)
    diff = compare(t, want, tol=tolerance.EXACT, signed_zero=True)
    if diff is not None:
        raise Mismatch(f"abs_ differs from np.abs: {diff.summary}", "\n".join(diff.details))


@pytest.mark.op("abs")
@pytest.mark.divergence("abs-inplace-complex")
def test_abs_inplace_complex(device):
    z = np.array([3 + 4j, -1j])
    np.abs(z, out=z)
    assert z.tolist() == [5, 1], "NumPy's abs(out=) of a complex array changed"
    with pytest.raises(RuntimeError, match="In-place abs is not supported for complex tensors"):
        torch.tensor([3 + 4j, -1j], device=device).abs_()


@pytest.mark.op("add")
@pytest.mark.divergence("inplace-integer-into-unsigned")
@given(signed=st.sampled_from(("int8", "int16", "int32", "int64")), seed=seeds)
def test_inplace_signed_into_unsigned(device, signed, seed):
    """An unsigned tensor takes a signed integer result in place, wrapped (modulo 256), where NumPy's out=
    refuses it."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, 6).astype(np.uint8)
    b = fill(rng, (6,), signed, "special")
    with pytest.raises(TypeError):
        np.add(a.copy(), b, out=a.copy())
    t = torch.from_numpy(a.copy()).to(device)
    t.add_(torch.from_numpy(b.copy()).to(device))
    want = ((a.astype(np.int64) + b.astype(np.int64)) % 256).astype(np.uint8)
    if not np.array_equal(t.cpu().numpy(), want):
        raise Mismatch(f"uint8 add_ of a {signed} tensor gave {t.cpu().numpy()}, wrapped sum {want}")
