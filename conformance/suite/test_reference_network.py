"""Small networks against a NumPy forward and backward pass.

Hypothesis generates chains of Linear layers and activations (relu, tanh, sigmoid, gelu) with widths 0..6,
layers used twice, bias or not, held in a Sequential, a ModuleList, a ModuleDict or a Sequential of those, and a
random batch; the torch output, the input gradient and every parameter's gradient after
``backward(gradient=g)`` (a random upstream gradient) must equal the NumPy pass of
:mod:`conformance.references.network`. In float64 the comparison uses the suite's float64 tolerance; in float32
each element must lie within the error bound that :func:`~conformance.references.network.network_error_bounds`
derives from a rounding error analysis of the same computation.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given

from conformance import compare, devices, dtypes
from conformance import tolerance as T
from conformance.check import Mismatch
from conformance.references import network as ref
from conformance.strategies.networks import networks

pytestmark = pytest.mark.modules

#: unit roundoff of float32 (round to nearest): the gamma_n analysis of the bound holds for any summation order
#: and blocking, with or without fused multiply-adds (Higham, sec. 3.1 and 3.5), so it needs no margin
U32 = T.unit("float32")


def _fail(spec, what, summary, details=""):
    raise Mismatch(f"reference network: {what}: {summary}", details + f"\nnetwork: {spec}")


def _check_close(spec, what, actual, expected, dtype):
    if actual is None:
        _fail(spec, what, "torch gave no gradient (None)")
    # outputs and gradients are sums of products, whose zero results have no defined sign (accumulators start
    # at +0.0, as for the linalg catalogue's products), so zeros are compared without their sign
    diff = compare.compare(actual.detach().cpu(), np.asarray(expected).astype(dtypes.NUMPY[dtype]),
                           signed_zero=False)
    if diff is not None:
        _fail(spec, what, diff.summary, "\n".join(diff.details))


def _check_bound(spec, what, actual, expected, bound):
    if actual is None:
        _fail(spec, what, "torch gave no gradient (None)")
    if tuple(actual.shape) != expected.shape or actual.dtype != torch.float32:
        _fail(spec, what, f"torch gave {actual.dtype}{tuple(actual.shape)}, expected float32{expected.shape}")
    a = actual.detach().cpu().double().numpy()
    err = np.abs(a - expected)
    bad = ~(err <= bound)
    if bad.any():
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        _fail(spec, what, f"{int(bad.sum())} of {bad.size} elements outside the derived float32 error bound",
              f"first at index {i}: torch {a[i]!r}, NumPy (float64) {expected[i]!r}, "
              f"|difference| {err[i]:.3g} > bound {bound[i]:.3g}")


@pytest.mark.op("reference_network")
@pytest.mark.dtypes("float32", "float64")
@given(spec=networks())
def test_reference_network(spec, device, dtype):
    """Forward output, input gradient and every parameter gradient vs the NumPy network."""
    tdtype = dtypes.TORCH[dtype]
    np_dtype = dtypes.NUMPY[dtype]
    model, linears = spec.build(tdtype, device)
    params, x_np, g_np = spec.numpy_values(np_dtype)
    x, g = spec.torch_input(tdtype, device)

    expected_params = {id(p) for lin in linears for p in lin.parameters()}
    got_params = [p for p in model.parameters()]
    if {id(p) for p in got_params} != expected_params or len(got_params) != len(expected_params):
        _fail(spec, "parameters()", f"the container reports {len(got_params)} parameters, the network has "
              f"{len(expected_params)} distinct ones")

    out = model(x)
    want, cache = ref.network_forward(spec.plan, params, x_np)
    if not devices.same(out.device, device):
        _fail(spec, "output", f"on {out.device}, the input is on {device}")
    out.backward(g)
    grad_x, grads = ref.network_backward(spec.plan, params, cache, g_np)

    results = [("output", out, want), ("input gradient", x.grad, grad_x)]
    for i, (lin, (dW, db)) in enumerate(zip(linears, grads)):
        results.append((f"gradient of linear {i} weight", lin.weight.grad, dW))
        if db is not None:
            results.append((f"gradient of linear {i} bias", lin.bias.grad, db))
    if dtype == "float64":
        for what, actual, expected in results:
            _check_close(spec, what, actual, expected, dtype)
        return
    out_b, grad_x_b, grad_b = ref.network_error_bounds(spec.plan, params, x_np, g_np, U32)
    bounds = [out_b, grad_x_b]
    for dWb, dbb in grad_b:
        bounds.append(dWb)
        if dbb is not None:
            bounds.append(dbb)
    for (what, actual, expected), bound in zip(results, bounds):
        _check_bound(spec, what, actual, expected, bound)
