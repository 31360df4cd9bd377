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


# ---- gradient records of the pointwise entries -----------------------------------------------------------------

@pytest.mark.op("pow")
@pytest.mark.divergence("pow-gradient-wide-unsigned-exponent")
@pytest.mark.parametrize("exponent", ["uint16", "uint32", "uint64", "float8_e4m3fn"])
def test_pow_gradient_exponent_without_kernel(device, exponent):
    """pow(x, e) with e of a dtype torch has few kernels for: the forward computes, the backward raises
    NotImplementedError; NumPy's derivative e * x ** (e - 1) exists."""
    from conformance import dtypes

    x = torch.tensor([1.5, 2.0], device=device, requires_grad=True)
    # a float8 exponent takes part in promotion only as a zero-dim tensor (torch refuses float8 with float32)
    e = torch.tensor([2.0, 3.0] if exponent in ("uint16", "uint32", "uint64") else 2.0,
                     device=device).to(dtypes.TORCH[exponent])
    out = torch.pow(x, e)
    assert np.allclose(out.detach().cpu().numpy(), np.array([1.5, 2.0]) ** e.float().cpu().numpy())
    with pytest.raises(NotImplementedError, match="not implemented for"):
        torch.autograd.grad(out, x, torch.ones_like(out))
    assert np.allclose(2.0 * np.array([1.5, 2.0]) ** 1.0, [3.0, 4.0])  # NumPy's derivative, 2 x for e = 2


@pytest.mark.op("pow")
@pytest.mark.divergence("pow-gradient-infinite-exponent")
def test_pow_gradient_infinite_exponent(device):
    """x ** inf is 0 for |x| < 1 (and x ** -inf for |x| > 1), a constant around x: NumPy's finite differences give
    the derivative 0; torch's formula y * x ** (y - 1) gives NaN there (inf * 0)."""
    xs = np.array([0.5, -0.5, 2.0])
    ys = [np.inf, np.inf, -np.inf]
    for xv, y in zip(xs, ys):
        h = 2.0 ** -20
        with np.errstate(all="ignore"):
            fd = (np.power(xv + h, y) - np.power(xv - h, y)) / (2 * h)
        assert fd == 0.0, f"NumPy's x ** {y} is not flat at {xv}"
        x = torch.tensor(xv, dtype=torch.float64, device=device, requires_grad=True)
        (g,) = torch.autograd.grad(torch.pow(x, float(y)), x)
        if not torch.isnan(g):
            raise Mismatch(f"pow-gradient-infinite-exponent no longer holds: the gradient of x ** {y} at {xv} is "
                           f"{g.item()} (NumPy's derivative 0)")


@pytest.mark.parametrize("name", [pytest.param(o, marks=[pytest.mark.op(o),
                                                       pytest.mark.divergence(f"{o}-gradient-complex32")])
                                for o in ("add", "sub", "mul")])
def test_gradient_complex32_result(device, name):
    """float16 with a Python complex number gives complex32; the gradient with respect to the float16 input is the
    real part of d(op)/dx times the cotangent (NumPy computes the same in complex64): 1, 1 and y."""
    x = torch.tensor([1.5, -2.0], dtype=torch.float16, device=device, requires_grad=True)
    y = 0.5 + 2j
    out = getattr(torch, name)(x, y)
    assert out.dtype == torch.complex32
    v = torch.tensor([1 - 1j, 2 + 0.5j], dtype=torch.complex64, device=device)
    (g,) = torch.autograd.grad(out, x, v.to(torch.complex32))
    deriv = {"add": 1.0, "sub": 1.0, "mul": y}[name]
    want = np.real(np.conj(deriv) * np.array([1 - 1j, 2 + 0.5j], dtype=np.complex64)).astype(np.float16)
    diff = compare(g, want, tol=tolerance.default("float16"))
    if diff is not None:
        raise Mismatch(f"{name}: the float16 gradient of a complex32 result differs from NumPy's: {diff.summary}")


@pytest.mark.op("lcm")
@pytest.mark.divergence("lcm-integer-minimum-crashes")
def test_lcm_integer_minimum_crashes(device):
    """torch.lcm on an int32 minimum ends the process with SIGFPE (run in a subprocess); np.lcm wraps."""
    import signal
    import subprocess
    import sys

    assert int(np.lcm(np.int32(-2 ** 31), np.int32(-2 ** 31 + 1))) == -2 ** 31
    code = ("import torch; torch.lcm(torch.tensor([-2**31], dtype=torch.int32, device=%r), "
            "torch.tensor([-2**31 + 1], dtype=torch.int32, device=%r))" % (device, device))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    if done.returncode != -signal.SIGFPE:
        raise Mismatch(f"lcm-integer-minimum-crashes no longer holds: the subprocess ended with {done.returncode}")
