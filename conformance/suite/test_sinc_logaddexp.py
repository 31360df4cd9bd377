"""Pins of the sinc and logaddexp records (catalogue/pointwise_more.py) that the generic test_divergence cannot
pin: the gradient records, and the complex logaddexp relaxations (every complex input of logaddexp falls under
logaddexp-complex first, so no counterexample of theirs is outside every record)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from conformance import tolerance
from conformance.check import Mismatch

pytestmark = pytest.mark.pointwise


def _record_and_sample():
    from conformance import catalogue, check

    return catalogue.divergence, lambda *args: check._sample_of(tuple(args), {}, "pinned")


def _sinc_derivative(x):
    p = np.pi * np.asarray(x, dtype=np.float64)
    return (p * np.cos(p) - np.sin(p)) / (p * x)


@pytest.mark.op("sinc")
@pytest.mark.divergence("sinc-gradient-square-overflows")
def test_sinc_gradient_square_overflows(device):
    """float16 sinc at 145 and 144: sinc_backward divides by x * x * pi formed in float16, which overflows at 145
    (21025 pi > 65504): the gradient is 0 where the derivative is cos(145 pi) / 145 = -0.0069. Just outside, at
    144 (20736 pi = 65144), the divisor is finite and so is the (nonzero) gradient."""
    record, sample = _record_and_sample()
    div = record("sinc-gradient-square-overflows")
    assert div.about == "gradient"
    x = np.array([145.0, 144.0], dtype=np.float16)
    found = div.applies(sample(x), "float16")
    assert np.asarray(found).tolist() == [True, False], found
    t = torch.from_numpy(x).to(device).requires_grad_(True)
    (g,) = torch.autograd.grad(torch.sinc(t).sum(), t)
    g = g.cpu().double().numpy()
    if g[0] != 0.0:
        raise Mismatch(f"sinc-gradient-square-overflows no longer holds: the float16 gradient at 145 is {g[0]}, "
                       "recorded 0 (x * x * pi overflows)")
    assert np.isfinite(g[1]) and g[1] != 0.0, g
    assert abs(_sinc_derivative(145.0)) > 1e-3


@pytest.mark.op("sinc")
@pytest.mark.divergence("sinc-gradient-rounded-phase")
def test_sinc_gradient_rounded_phase(device):
    """bfloat16 sinc at 11.5: pi * 11.5 = 36.13 rounds to 36 in bfloat16, whose cosine is -0.128 where the exact
    phase's is 0, and torch's gradient is twice the derivative (0.0049 for 0.0024). Just outside, at 2 (sin(pi x)
    about 0, the rounding of pi x hardly moves the gradient), torch's gradient is 1 / x to the bound of a few
    bfloat16 roundings."""
    record, sample = _record_and_sample()
    div = record("sinc-gradient-rounded-phase")
    assert div.about == "gradient"
    from conformance import dtypes

    x = np.array([11.5, 2.0], dtype=dtypes.NUMPY["bfloat16"])
    found = div.applies(sample(x), "bfloat16")
    assert np.asarray(found).tolist() == [True, False], found
    t = torch.tensor(x.astype(np.float32), device=device).bfloat16().requires_grad_(True)
    (g,) = torch.autograd.grad(torch.sinc(t).sum(), t)
    g = g.float().cpu().double().numpy()
    want = _sinc_derivative(x.astype(np.float64))
    rtol = tolerance.gradient_rtol("bfloat16", 1)
    if abs(g[0] - want[0]) <= rtol * abs(want[0]):
        raise Mismatch(f"sinc-gradient-rounded-phase no longer holds: the bfloat16 gradient at 11.5 is {g[0]}, "
                       f"within {rtol:.3g} of the derivative {want[0]}")
    assert abs(g[1] - want[1]) <= rtol * abs(want[1]), (g, want)


def _logaddexp_gradient(x, other, device):
    """torch's gradient of logaddexp(x, other) with respect to x (a cotangent of ones), or the RuntimeError its
    backward raises."""
    t = torch.from_numpy(x).to(device).requires_grad_(True)
    out = torch.logaddexp(t, torch.from_numpy(other).to(device))
    try:
        return out, torch.autograd.grad(out, t, torch.ones_like(out))[0]
    except RuntimeError as exc:
        return out, exc


@pytest.mark.op("logaddexp")
@pytest.mark.divergence("logaddexp-gradient-bool-operand")
@pytest.mark.parametrize("kind", ["float32", "complex64"])
def test_logaddexp_gradient_bool_operand_raises(device, kind):
    """logaddexp of a float32 (or complex64) tensor with a bool tensor: the forward computes; the backward raises
    RuntimeError (it subtracts the operands, a bool one). Just outside, an int8 tensor of the same values: the
    gradient is the derivative exp(x) / (exp(x) + exp(y))."""
    record, sample = _record_and_sample()
    div = record("logaddexp-gradient-bool-operand")
    x = np.array([-0.13, 0.5], dtype=kind)
    for other, must_raise in ((np.ones(2, dtype=bool), True), (np.ones(2, dtype=np.int8), False)):
        assert div.applies(sample(x, other), kind) is must_raise
        _, g = _logaddexp_gradient(x, other, device)
        if isinstance(g, RuntimeError):
            assert must_raise and "with a bool tensor is not supported" in str(g), g
            continue
        assert not must_raise, "the backward of logaddexp with a bool tensor no longer raises"
        xd = x.astype(np.complex128)
        want = np.conj(np.exp(xd) / (np.exp(xd) + np.e))
        assert np.allclose(g.cpu().numpy(), want, rtol=4 * tolerance.default("float32").rtol), (g, want)


@pytest.mark.op("logaddexp")
@pytest.mark.divergence("logaddexp-gradient-real-with-complex")
def test_logaddexp_gradient_real_with_complex_raises(device):
    """logaddexp of a float32 tensor with a complex64 one: the forward computes (complex64); the backward raises
    RuntimeError (the float32 operand's gradient is left complex). Just outside, the same values as a complex64
    tensor: the gradient is conj(exp(x) / (exp(x) + exp(y)))."""
    record, sample = _record_and_sample()
    div = record("logaddexp-gradient-real-with-complex")
    y = np.array([1 + 1j, 2j], dtype=np.complex64)
    for x, must_raise in ((np.array([0.5, -1.0], dtype=np.float32), True),
                          (np.array([0.5, -1.0], dtype=np.complex64), False)):
        assert div.applies(sample(x, y), "float32") is must_raise
        out, g = _logaddexp_gradient(x, y, device)
        assert out.dtype == torch.complex64
        if isinstance(g, RuntimeError):
            assert must_raise and "input_is_complex == grad_is_complex" in str(g), g
            continue
        assert not must_raise, "the backward of logaddexp of a real tensor with a complex one no longer raises"
        xd, yd = x.astype(np.complex128), y.astype(np.complex128)
        want = np.conj(np.exp(xd) / (np.exp(xd) + np.exp(yd)))
        assert np.allclose(g.cpu().numpy(), want, rtol=8 * tolerance.default("complex64").rtol), (g, want)


@pytest.mark.op("logaddexp")
@pytest.mark.divergence("logaddexp-gradient-complex-exp-overflow")
def test_logaddexp_gradient_complex_exp_overflow(device):
    """complex64 a = 2.32-8.73j with b = 106.88+0.2j: a's gradient grad / conj(1 + exp(b - a)) divides by two
    infinite parts and is nan+nanj, where the derivative is about exp(a - b) (4e-46: 0 in complex64); b's
    gradient is 1. Just outside, b = 80.5+0.2j (exp(b - a) finite): a's gradient is exp(a - b) / (1 + exp(a -
    b)), conjugated."""
    record, sample = _record_and_sample()
    div = record("logaddexp-gradient-complex-exp-overflow")
    a = np.array([2.32 - 8.73j], dtype=np.complex64)
    for bv, inside in ((106.88 + 0.2j, True), (80.5 + 0.2j, False)):
        b = np.array([bv], dtype=np.complex64)
        found = div.applies(sample(a, b), "complex64")
        if inside:
            assert isinstance(found, dict) and found[0].tolist() == [True] and 1 not in found, found
        else:
            assert found is False, found
        ta = torch.from_numpy(a).to(device).requires_grad_(True)
        tb = torch.from_numpy(b).to(device).requires_grad_(True)
        out = torch.logaddexp(ta, tb)
        ga, gb = (v.cpu().numpy() for v in torch.autograd.grad(out, (ta, tb), torch.ones_like(out)))
        assert np.allclose(gb, 1.0), gb
        if inside:
            if np.isfinite(ga).all():
                raise Mismatch(f"logaddexp-gradient-complex-exp-overflow no longer holds: a's gradient is {ga}")
            continue
        ad, bd = a.astype(np.complex128), b.astype(np.complex128)
        want = np.conj(np.exp(ad - bd) / (1 + np.exp(ad - bd)))
        assert np.allclose(ga, want, rtol=1e-4, atol=0), (ga, want)


@pytest.mark.op("logaddexp")
@pytest.mark.divergence("logaddexp-complex-intermediate-nan")
def test_logaddexp_complex_intermediate_nan(device):
    """complex64 logaddexp(1, 104.56-0.93j): exp(min - max) has a subnormal imaginary part, on which torch.log1p
    gives NaN; logaddexp(3.4e38+3.4e38j, -1.4e-45-3.4e38j): min - max overflows in its imaginary part. torch gives
    nan+nanj for both, the model about max. Just outside, logaddexp(1, 80.5-0.93j): torch agrees with the model."""
    record, sample = _record_and_sample()
    div = record("logaddexp-complex-intermediate-nan")
    model = record("logaddexp-complex").torch_ref
    x = np.array([1 + 0j, 3.4e38 + 3.4e38j, 1 + 0j], dtype=np.complex64)
    y = np.array([104.56 - 0.93j, -1.4e-45 - 3.4e38j, 80.5 - 0.93j], dtype=np.complex64)
    found = div.applies(sample(x, y), "complex64")
    assert np.asarray(found).tolist() == [True, True, False], found
    got = torch.logaddexp(torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)).cpu().numpy()
    want = model(x, y)
    assert np.isfinite(want).all(), want
    if np.isfinite(got[:2]).any():
        raise Mismatch(f"logaddexp-complex-intermediate-nan no longer holds: torch gives {got[:2]}, the model "
                       f"{want[:2]}")
    assert np.allclose(got[2], want[2], rtol=tolerance.default("complex64").rtol, atol=0), (got, want)


@pytest.mark.op("logaddexp")
@pytest.mark.divergence("logaddexp-complex-nan-part")
def test_logaddexp_complex_nan_part(device):
    """complex128 logaddexp(complex(inf, nan), -0.45): torch's kernel gives nan+nanj for an operand with a NaN
    part, the model inf+nanj. Just outside, complex(inf, 1): both give inf+1j."""
    record, sample = _record_and_sample()
    div = record("logaddexp-complex-nan-part")
    model = record("logaddexp-complex").torch_ref
    x = np.array([complex(np.inf, np.nan), complex(np.inf, 1.0)])
    y = np.array([-0.45 + 0j, -0.45 + 0j])
    found = div.applies(sample(x, y), "complex128")
    assert np.asarray(found).tolist() == [True, False], found
    got = torch.logaddexp(torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)).cpu().numpy()
    want = model(x, y)
    assert np.isinf(want[0].real), want
    if not (np.isnan(got[0].real) and np.isnan(got[0].imag)):
        raise Mismatch(f"logaddexp-complex-nan-part no longer holds: torch gives {got[0]}")
    assert got[1] == want[1] == complex(np.inf, 1.0), (got, want)
