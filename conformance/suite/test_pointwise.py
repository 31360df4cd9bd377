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


@pytest.mark.divergence("mul-gradient-wide-unsigned-complex")
@pytest.mark.divergence("div-gradient-wide-unsigned-complex")
@pytest.mark.op("mul")
@pytest.mark.parametrize("which", ["mul", "div"])
@pytest.mark.parametrize("unsigned", ["uint16", "uint32", "uint64"])
def test_gradient_of_a_complex_zero_dim_with_wide_unsigned_raises(device, which, unsigned):
    """A complex zero-dim tensor times (or divided by) a wide unsigned tensor with dims: the forward promotes to
    complex (the zero-dim operand has lower priority) and agrees with NumPy; backward multiplies the complex
    cotangent, which has dims, by the unsigned tensor and raises RuntimeError. Just outside: uint8 differentiates,
    with NumPy's derivative (the other operand)."""
    from conformance import dtypes

    fn = getattr(torch, which)
    for name, must_raise in ((unsigned, True), ("uint8", False)):
        a = torch.tensor(1 + 2j, dtype=torch.complex64, device=device, requires_grad=True)
        b = torch.tensor([2, 4], device=device).to(dtypes.TORCH[name])
        out = fn(a, b)
        want = (np.multiply if which == "mul" else np.divide)(np.complex64(1 + 2j), np.array([2, 4], dtype=np.uint8))
        assert np.allclose(out.detach().cpu().numpy(), want)
        try:
            (g,) = torch.autograd.grad(out, a, torch.ones_like(out))
        except RuntimeError as exc:
            assert must_raise and "Promotion for uint16, uint32, uint64" in str(exc), exc
            continue
        assert not must_raise, f"backward of {which} with a {name} tensor no longer raises"
        # <1, d out / d conj(a)> by torch's convention: sum of conj(b) (mul) or conj(1 / b) (div)
        assert np.isclose(g.cpu().numpy(), 6.0 if which == "mul" else 0.75)


@pytest.mark.op("pow")
@pytest.mark.divergence("pow-gradient-infinite-exponent")
def test_pow_gradient_infinite_exponent(device):
    """x ** inf is 0 for |x| < 1 (and x ** -inf for |x| > 1), a constant around x: NumPy's finite differences give
    the derivative 0; torch's formula y * x ** (y - 1) gives NaN there (inf * 0)."""
    _pin_infinite_exponent_gradient("pow", torch.pow, device)


@pytest.mark.op("float_power")
@pytest.mark.divergence("float_power-gradient-infinite-exponent")
def test_float_power_gradient_infinite_exponent(device):
    """float_power as :func:`test_pow_gradient_infinite_exponent`, a complex base included (|z| > 1 with -inf)."""
    _pin_infinite_exponent_gradient("float_power", torch.float_power, device, complex_base=True)


def _pin_infinite_exponent_gradient(name, fn, device, complex_base=False):
    xs = [0.5, -0.5, 2.0] + ([-0.13 + 10.49j] if complex_base else [])
    ys = [np.inf, np.inf, -np.inf] + ([-np.inf] if complex_base else [])
    for xv, y in zip(xs, ys):
        h = 2.0 ** -20
        with np.errstate(all="ignore"):
            fd = (np.power(xv + h, y) - np.power(xv - h, y)) / (2 * h)
        assert fd == 0.0, f"NumPy's x ** {y} is not flat at {xv}"
        dt = torch.complex128 if isinstance(xv, complex) else torch.float64
        x = torch.tensor(xv, dtype=dt, device=device, requires_grad=True)
        (g,) = torch.autograd.grad(fn(x, float(y)), x, torch.ones((), dtype=dt, device=device))
        if not torch.isnan(g).any():
            raise Mismatch(f"{name}-gradient-infinite-exponent no longer holds: the gradient of x ** {y} at {xv} is "
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


@pytest.mark.op("expm1")
@pytest.mark.divergence("expm1-gradient-from-result")
@pytest.mark.dtypes("float32", "float64")
def test_expm1_gradient_from_its_result(device, dtype):
    """expm1's gradient is formed from its result, grad * (expm1(x) + 1): at x = -20 (float32) the sum cancels to
    0 where NumPy's derivative is exp(-20) = 2.06e-9 (float64 keeps about 7 digits there); the record covers x
    with |expm1(x)| > 4 exp(x), and just outside (x = -1) torch's gradient is exp(-1) to the dtype's rounding."""
    from conformance import catalogue
    from conformance.catalogue.pointwise_more import _expm1_gradient_cancels
    from conformance.strategies.cases import Sample

    x = np.array([-20.0, -1.0], dtype=dtype)
    mask = np.asarray(_expm1_gradient_cancels(Sample(args=(x,), kwargs={}, arrays=[x], layouts=["contiguous"]),
                                              dtype), dtype=bool)
    assert mask.tolist() == [True, False], mask
    t = torch.tensor(x, device=device, requires_grad=True)
    (g,) = torch.autograd.grad(torch.expm1(t).sum(), t)
    g = g.cpu().double().numpy()
    u = float(np.finfo(dtype).eps)
    assert abs(g[1] - np.exp(-1.0)) <= 4 * u * np.exp(-1.0), g
    if dtype == "float32" and g[0] != 0.0:
        raise Mismatch(f"expm1-gradient-from-result no longer holds: the float32 gradient at -20 is {g[0]}, "
                       "recorded 0 (the cancellation of expm1(x) + 1)")
    assert catalogue.divergence("expm1-gradient-from-result").about == "gradient"


@pytest.mark.op("div")
@pytest.mark.divergence("div-trunc-integer-minimum-crashes")
@pytest.mark.dtypes("int32", "int64")
def test_div_trunc_integer_minimum_crashes(device, dtype):
    """torch.div(INT_MIN, -1, rounding_mode='trunc') ends the process with SIGFPE on CPU (run in a subprocess); the
    catalogue's guard refuses exactly that call; just outside, rounding_mode='floor' computes (NumPy's wrapped
    value), and so does trunc with a divisor of 1."""
    import signal
    import subprocess
    import sys

    from conformance import catalogue
    from conformance.catalogue.pointwise import _div_trunc_would_crash

    if not device.startswith("cpu"):
        pytest.skip("the record holds on CPU (the C integer division traps there)")
    low = int(np.iinfo(dtype).min)
    with np.errstate(all="ignore"):
        assert int((np.array([low], dtype=dtype) // np.array([-1], dtype=dtype))[0]) == low
    code = (f"import torch; torch.div(torch.tensor([{low}] * 9, dtype=torch.{dtype}), -1, rounding_mode='trunc')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    if done.returncode != -signal.SIGFPE:
        raise Mismatch(f"div-trunc-integer-minimum-crashes no longer holds: the subprocess ended with "
                       f"{done.returncode}")
    x = torch.tensor([low, 6], dtype=getattr(torch, dtype))
    assert _div_trunc_would_crash((x, -1), {"rounding_mode": "trunc"})
    op = catalogue.by_name("div")
    with pytest.raises(FloatingPointError):
        op.call_method((x, torch.tensor(-1)), {"rounding_mode": "trunc"}, inplace=True)
    for divisor, mode in ((-1, "floor"), (1, "trunc")):
        assert _div_trunc_would_crash((x, divisor), {"rounding_mode": mode}) is None
        got = torch.div(x, divisor, rounding_mode=mode).numpy()
        with np.errstate(all="ignore"):
            want = np.array([low, 6], dtype=dtype) // np.array(divisor, dtype=dtype) if mode == "floor" else \
                np.array([low, 6], dtype=dtype)
        assert np.array_equal(got, want), (mode, got, want)


@pytest.mark.op("clamp")
@pytest.mark.divergence("clamp-signed-zero")
def test_clamp_tie_of_the_clamped_input_with_max(device):
    """The second comparison of min(max(x, min), max) ties too: x = -5 with min = -0.0 and max = 0.0 is -0.0
    after min, tied with max. A 2-element call keeps -0.0 (NumPy gives max, +0.0); the record's condition covers
    those elements (the pinned example covers only a zero input), and with it forward passes, also on the
    vectorized path of an integer input with bfloat16 bounds. Just outside (max = -0.0, no tie: both -0.0) the
    condition is false and torch agrees with NumPy."""
    from conformance import catalogue, check, dtypes

    if not str(device).startswith("cpu"):
        pytest.skip("the record is about the CPU kernel")
    op = catalogue.by_name("clamp")
    div = catalogue.divergence("clamp-signed-zero")

    def sample(x, lo, hi):
        return check._sample_of((x,), {"min": lo, "max": hi}, "pinned")

    x = np.array([-5.0, -5.0], dtype=np.float32)
    lo, hi = np.array([-0.0, -0.0], dtype=np.float32), np.array([0.0, 0.0], dtype=np.float32)
    mask = div.condition_mask(sample(x, lo, hi), "float32")
    if mask is False or not mask.all():
        raise Mismatch(f"clamp-signed-zero: its condition misses the tie of max(x, min) with max ({mask})")
    got = torch.clamp(torch.from_numpy(x).to(device), torch.from_numpy(lo).to(device), torch.from_numpy(hi).to(device))
    if not (torch.signbit(got).all() and not np.signbit(np.clip(x, lo, hi)).any()):
        raise Mismatch(f"clamp-signed-zero no longer holds on the clamped tie: torch {got.tolist()}, NumPy "
                       f"{np.clip(x, lo, hi).tolist()}")
    check.forward(op, sample(x, lo, hi), device, "float32")
    bf16 = dtypes.NUMPY["bfloat16"]
    check.forward(op, sample(np.full((256,), -3, dtype=np.int16), np.full((256,), -0.0, dtype=bf16),
                             np.zeros((256,), dtype=bf16)), device, "int16")
    counter = sample(x, lo, -hi)
    found, _ = op.divergence_for(counter, "float32", device)
    if found is not None or div.condition_mask(counter, "float32") is not False:
        raise Mismatch(f"clamp-signed-zero: a clamped input tied with a max of its own sign falls under {found}")
    check.forward(op, counter, device, "float32", divergences=False)


@pytest.mark.op("pow")
@pytest.mark.divergence("pow-gradient-negative-base")
@pytest.mark.dtypes("bfloat16", "float32", "float64")
def test_pow_gradient_negative_base(device, dtype):
    """At a negative base NumPy's x ** y is defined for integer y only (NaN at y +- h: no derivative in y), and
    torch's exponent gradient v x ** y log x is NaN, with a zero cotangent too; the record's condition covers
    exactly those exponent elements (through broadcasting), and the gradient test, leaving them out, passes on
    the rest (the base's gradient y x ** (y - 1) included). Just outside, a positive base: a finite exponent
    gradient, x ** y log x."""
    _pin_negative_base_gradient("pow", torch.pow, device, dtype)


@pytest.mark.op("float_power")
@pytest.mark.divergence("float_power-gradient-negative-base")
@pytest.mark.dtypes("bfloat16", "float32", "float64")
def test_float_power_gradient_negative_base(device, dtype):
    """float_power (pow in double) as :func:`test_pow_gradient_negative_base`."""
    _pin_negative_base_gradient("float_power", torch.float_power, device, dtype)


def _pin_negative_base_gradient(name, fn, device, dtype):
    from conformance import catalogue, check, dtypes, gradients

    npdt = dtypes.NUMPY[dtype]
    x = np.array([[-0.5, 1.5, 2.0]], dtype=npdt)
    y = np.array([[2.0, -3.0, 4.0]], dtype=npdt)
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.power(-0.5, 2.0 + 2.0 ** -17)) and np.power(-0.5, 2.0) == 0.25
    tx = torch.from_numpy(x.astype(np.float32)).to(device, dtypes.TORCH[dtype]).requires_grad_(True)
    ty = torch.from_numpy(y.astype(np.float32)).to(device, dtypes.TORCH[dtype]).requires_grad_(True)
    v = torch.tensor([[0.0, 1.0, 1.0]], dtype=dtypes.TORCH[dtype], device=device)
    gx, gy = torch.autograd.grad(fn(tx, ty), [tx, ty], v.to(fn(tx, ty).dtype))
    gy = gy.double().cpu().numpy()
    if not np.isnan(gy[0, 0]) or not np.isfinite(gy[0, 1:]).all():
        raise Mismatch(f"{name}-gradient-negative-base no longer holds: the exponent's gradient is {gy.tolist()} "
                       "(NaN at the base -0.5 with a zero cotangent, finite at the positive bases)")
    want = (x.astype(np.float64) ** y.astype(np.float64) * np.log(np.abs(x.astype(np.float64))))[0, 1:]
    assert np.allclose(gy[0, 1:], want, rtol=2 * tolerance.default(dtype).rtol), (gy, want)
    op = catalogue.by_name(name)
    div = catalogue.divergence(f"{name}-gradient-negative-base")
    found = div.applies(check._sample_of((x, y), {}, "pinned"), dtype)
    assert isinstance(found, dict) and found[1].tolist() == [[True, False, False]], found
    column = check._sample_of((np.array([[-0.5], [1.5]], dtype=npdt), y), {}, "pinned")  # broadcast: every y meets -0.5
    assert div.applies(column, dtype)[1].tolist() == [[True, True, True]]
    assert div.applies(check._sample_of((-2.0, y), {}, "pinned"), dtype)[0].all()
    stats = gradients.Stats()
    gradients.check(op, check._sample_of((x, y), {}, "pinned"), device, dtype, stats)
    assert div.id in stats.hits, stats.hits
    outside = check._sample_of((np.abs(x), y), {}, "pinned")
    assert div.applies(outside, dtype) is False
    gradients.check(op, outside, device, dtype, gradients.Stats())


# ---- gradient records of the further pointwise entries (catalogue/pointwise_more.py) ------------------------

@pytest.mark.op("atan2")
@pytest.mark.divergence("atan2-gradient-float8-zero-dim")
@pytest.mark.parametrize("fp8", ["float8_e4m3fn", "float8_e5m2"])
def test_atan2_gradient_float8_zero_dim_raises(device, fp8):
    """atan2 of a float32 tensor with a float8 zero-dim tensor: the forward promotes to float32 and agrees with
    np.arctan2; the backward raises NotImplementedError. Just outside, a bfloat16 zero-dim partner: the gradient
    is NumPy's derivative y / (x**2 + y**2)."""
    from conformance import catalogue, check, dtypes

    x = np.array([-0.13, 0.5], dtype=np.float32)
    div = catalogue.divergence("atan2-gradient-float8-zero-dim")
    for name, must_raise in ((fp8, True), ("bfloat16", False)):
        y = np.array(10.0, dtype=dtypes.NUMPY[name])
        assert div.applies(check._sample_of((x, y), {}, "pinned"), "float32") is must_raise
        t = torch.tensor(x, device=device, requires_grad=True)
        out = torch.atan2(t, torch.tensor(10.0, device=device).to(dtypes.TORCH[name]))
        assert np.allclose(out.detach().cpu().numpy(), np.arctan2(x, np.float32(10.0)), rtol=2e-6)
        try:
            (g,) = torch.autograd.grad(out.sum(), t)
        except NotImplementedError as exc:
            assert must_raise and "not implemented for" in str(exc), exc
            continue
        assert not must_raise, f"the backward of atan2 with a {name} zero-dim tensor no longer raises"
        want = 10.0 / (x.astype(np.float64) ** 2 + 100.0)
        assert np.allclose(g.cpu().numpy(), want, rtol=4 * tolerance.default("float32").rtol), (g, want)


@pytest.mark.op("atan2")
@pytest.mark.divergence("atan2-gradient-square-in-operand-dtype")
def test_atan2_gradient_square_in_operand_dtype(device):
    """atan2(x, y) with x float64 and y bfloat16: torch's gradient of x, y / (x*x + y*y), forms y*y in bfloat16
    (10.5**2 = 110.25 rounds to 110), 0.2% off NumPy's derivative; the record covers the elements of x that meet
    such a y. Just outside, y = 10 (y*y = 100 exact in bfloat16): float64-accurate, and no record applies."""
    from conformance import catalogue, check, dtypes

    div = catalogue.divergence("atan2-gradient-square-in-operand-dtype")
    x = np.array([-0.1321048632913019, 0.5])
    for yv, inside in ((10.5, True), (10.0, False)):
        y = np.array(yv, dtype=dtypes.NUMPY["bfloat16"])
        found = div.applies(check._sample_of((x, y), {}, "pinned"), "float64")
        assert (isinstance(found, dict) and found[0].all()) if inside else found is False, found
        t = torch.tensor(x, device=device, requires_grad=True)
        (g,) = torch.autograd.grad(torch.atan2(t, torch.tensor(yv, device=device).bfloat16()).sum(), t)
        want = yv / (x ** 2 + yv ** 2)
        err = np.max(np.abs(g.cpu().numpy() / want - 1))
        if inside and err < 1e-3:
            raise Mismatch(f"atan2-gradient-square-in-operand-dtype no longer holds: relative error {err:.2e}")
        if not inside:
            assert err <= 8 * tolerance.U64, (g, want)


@pytest.mark.op("logaddexp2")
@pytest.mark.divergence("logaddexp2-gradient-bool-operand")
@pytest.mark.parametrize("shape", [(), (2,)])
def test_logaddexp2_gradient_bool_operand_raises(device, shape):
    """logaddexp2 of a float32 tensor with a bool tensor: the forward promotes to float32 and agrees with
    np.logaddexp2; the backward raises RuntimeError (it subtracts the operands, a bool one). Just outside, an int8
    tensor of the same values: the gradient is NumPy's derivative 2**x / (2**x + 2**y)."""
    from conformance import catalogue, check

    x = np.array([-0.13, 0.5], dtype=np.float32)
    div = catalogue.divergence("logaddexp2-gradient-bool-operand")
    for other, must_raise in ((np.ones(shape, dtype=bool), True), (np.ones(shape, dtype=np.int8), False)):
        assert div.applies(check._sample_of((x, other), {}, "pinned"), "float32") is must_raise
        t = torch.tensor(x, device=device, requires_grad=True)
        out = torch.logaddexp2(t, torch.from_numpy(other).to(device))
        assert np.allclose(out.detach().cpu().numpy(), np.logaddexp2(x.astype(np.float64), 1.0), rtol=2e-6)
        try:
            (g,) = torch.autograd.grad(out.sum(), t)
        except RuntimeError as exc:
            assert must_raise and "with a bool tensor is not supported" in str(exc), exc
            continue
        assert not must_raise, "the backward of logaddexp2 with a bool tensor no longer raises"
        xd = x.astype(np.float64)
        want = 2.0 ** xd / (2.0 ** xd + 2.0)
        assert np.allclose(g.cpu().numpy(), want, rtol=4 * tolerance.default("float32").rtol), (g, want)


@pytest.mark.op("nan_to_num")
@pytest.mark.divergence("nan_to_num-gradient-complex")
@pytest.mark.dtypes("complex64", "complex128")
def test_nan_to_num_complex_refuses_autograd(device, dtype):
    """nan_to_num of a complex tensor that requires grad raises RuntimeError in the call (without grad it agrees
    with np.nan_to_num); NumPy's finite differences exist (the identity on finite elements: derivative 1). Just
    outside, a float32 tensor: the gradient of the finite elements is 1."""
    from conformance import catalogue, check, dtypes

    div = catalogue.divergence("nan_to_num-gradient-complex")
    z = np.array([1 + 2j, -0.5 + 0.25j], dtype=dtypes.NUMPY[dtype])
    assert div.applies(check._sample_of((z,), {}, "pinned"), dtype) is True
    assert np.array_equal(torch.nan_to_num(torch.from_numpy(z).to(device)).cpu().numpy(), np.nan_to_num(z))
    with pytest.raises(RuntimeError, match="does not support automatic differentiation"):
        torch.nan_to_num(torch.from_numpy(z).to(device).requires_grad_(True))
    x = np.array([1.5, -0.25], dtype=np.float32)
    assert div.applies(check._sample_of((x,), {}, "pinned"), "float32") is False
    t = torch.from_numpy(x).to(device).requires_grad_(True)
    (g,) = torch.autograd.grad(torch.nan_to_num(t).sum(), t)
    assert g.cpu().numpy().tolist() == [1.0, 1.0]


@pytest.mark.op("ldexp")
@pytest.mark.divergence("ldexp-gradient-integer-power-wraps")
def test_ldexp_gradient_integer_power_wraps(device):
    """ldexp of a float32 tensor with an int8 exponent: torch's gradient of the input takes 2 ** n in int8 (8
    wraps to 0, 7 to -128, -1 gives 0) where the derivative is 2 ** n; the record covers those input elements.
    Just outside, exponents 0..6 (2 ** n an int8): the gradient is 2 ** n exactly."""
    from conformance import catalogue, check

    div = catalogue.divergence("ldexp-gradient-integer-power-wraps")
    x = np.array([1.0, -0.5, 3.0], dtype=np.float32)
    for n, inside in ((np.array([8, 7, -1], dtype=np.int8), True), (np.array([0, 6, 3], dtype=np.int8), False)):
        found = div.applies(check._sample_of((x, n), {}, "pinned"), "float32")
        assert (isinstance(found, dict) and found[0].all()) if inside else found is False, found
        t = torch.tensor(x, device=device, requires_grad=True)
        out = torch.ldexp(t, torch.from_numpy(n).to(device))
        assert np.array_equal(out.detach().cpu().numpy(), np.ldexp(x, n))
        (g,) = torch.autograd.grad(out.sum(), t)
        want = np.exp2(n.astype(np.float64))
        if inside and np.allclose(g.cpu().numpy(), want):
            raise Mismatch("ldexp-gradient-integer-power-wraps no longer holds: the gradient is 2 ** n")
        if not inside:
            assert np.array_equal(g.cpu().numpy(), want), (g, want)


@pytest.mark.op("ldexp")
@pytest.mark.divergence("ldexp-complex-signed-zero")
def test_ldexp_complex_signed_zero(device):
    """A complex64 ldexp whose product underflows: torch's zero part has the sign its complex pow and complex64
    product give (-0+0j), the model of ldexp-any-exponent (exp2 in complex128, rounded once) +0+0j; the record
    covers that element. Just outside, a complex64 result without a zero part: no mask, and torch is within the
    bound of the model."""
    from conformance import catalogue, check
    from conformance.references import pointwise as R

    div = catalogue.divergence("ldexp-complex-signed-zero")
    x = np.array([complex(1.3217358e-36, -7.1811814e+08)], dtype=np.complex64)
    for n, inside in ((np.array([complex(-1.6888008e+29, 3.1601705e+14)], dtype=np.complex64), True),
                      (np.array([complex(2.0, 0.5)], dtype=np.complex64), False)):
        found = div.condition_mask(check._sample_of((x, n), {}, "pinned"), "complex64")
        assert (found is not False and found.all()) if inside else found is False, found
        got = torch.ldexp(torch.from_numpy(x).to(device), torch.from_numpy(n).to(device)).cpu().numpy()
        want = R.ldexp_torch(x, n)
        if inside:
            assert got[0] == 0 and want[0] == 0, (got, want)
            if np.signbit(got.real[0]) == np.signbit(want.real[0]):
                raise Mismatch("ldexp-complex-signed-zero no longer holds: torch's zero has the model's sign")
        else:
            assert np.allclose(got, want, rtol=1e-5), (got, want)


@pytest.mark.op("ldexp")
@pytest.mark.divergence("ldexp-gradient-power-rounded")
def test_ldexp_gradient_power_rounded(device):
    """ldexp of a float64 tensor with a float16 exponent: the forward is x * 2 ** n with the power rounded to
    float16 (ldexp-any-exponent), and so are the gradients: x's is that rounded power, 0.6357421875 for n = -0.654,
    not 2 ** n = 0.63560. Just outside, a float64 exponent: the gradients are 2 ** n and sum(x) ln 2 2 ** n to
    float64's accuracy, and no record applies."""
    from conformance import catalogue, check

    div = catalogue.divergence("ldexp-gradient-power-rounded")
    x = np.array([0.3, -1.3, 0.77])
    for name, inside in (("float16", True), ("float64", False)):
        n = np.array([-0.654], dtype=name)
        assert div.applies(check._sample_of((x, n), {}, "pinned"), "float64") is inside
        t = torch.tensor(x, device=device, requires_grad=True)
        e = torch.tensor(n, device=device, requires_grad=True)
        gx, ge = torch.autograd.grad(torch.ldexp(t, e).sum(), [t, e])
        nd = n.astype(np.float64)
        want_x, want_e = np.exp2(nd), x.sum() * np.log(2) * np.exp2(nd)
        err = abs(gx.cpu().numpy()[0] / want_x[0] - 1)
        if inside:
            rounded = np.exp2(nd).astype(np.float16).astype(np.float64)
            if err < 1e-6:
                raise Mismatch("ldexp-gradient-power-rounded no longer holds: x's gradient is 2 ** n")
            assert np.allclose(gx.cpu().numpy(), rounded, rtol=1e-12), (gx, rounded)
        else:
            assert err <= 8 * tolerance.U64, (gx, want_x)
            assert np.allclose(ge.cpu().numpy(), want_e, rtol=1e-12), (ge, want_e)


@pytest.mark.op("ldexp")
@pytest.mark.divergence("ldexp-gradient-wide-unsigned-exponent")
@pytest.mark.parametrize("exponent", ["uint16", "uint32", "uint64"])
def test_ldexp_gradient_wide_unsigned_exponent_raises(device, exponent):
    """ldexp of a complex64 tensor with a wide unsigned exponent: the forward computes x * 2 ** n; the backward
    raises NotImplementedError (it takes 2 ** n in the exponent's dtype, which has no pow kernel). Just outside, an
    int16 exponent: the gradient is 2 ** n."""
    from conformance import catalogue, check, dtypes

    div = catalogue.divergence("ldexp-gradient-wide-unsigned-exponent")
    x = np.array([1j, 0.5 - 2j], dtype=np.complex64)
    for name, must_raise in ((exponent, True), ("int16", False)):
        n = np.array([3, 1], dtype=dtypes.NUMPY[name])
        assert div.applies(check._sample_of((x, n), {}, "pinned"), "complex64") is must_raise
        t = torch.tensor(x, device=device, requires_grad=True)
        out = torch.ldexp(t, torch.from_numpy(n).to(device))
        assert np.allclose(out.detach().cpu().numpy(), x * np.exp2(n.astype(np.float64)), rtol=1e-6)
        try:
            (g,) = torch.autograd.grad(out, t, torch.ones_like(out))
        except NotImplementedError as exc:
            assert must_raise and "not implemented for" in str(exc), exc
            continue
        assert not must_raise, f"the backward of ldexp with a {name} exponent no longer raises"
        assert np.allclose(g.cpu().numpy(), np.exp2(n.astype(np.float64))), g


@pytest.mark.op("ldexp")
@pytest.mark.divergence("ldexp-gradient-real-input-complex-exponent")
@pytest.mark.parametrize("complex_input", [False, True])
def test_ldexp_gradient_real_operand_of_complex_result_raises(device, complex_input):
    """ldexp with a real float32 operand and a complex64 one (a complex result): the forward computes; the
    backward raises RuntimeError when the real operand requires grad (it is handed a complex gradient). Just
    outside, both operands complex: the real operand's counterpart differentiates."""
    from conformance import catalogue, check

    div = catalogue.divergence("ldexp-gradient-real-input-complex-exponent")
    real, cplx = np.array([0.5, -1.5], dtype=np.float32), np.array([1 + 1j, -0.5j], dtype=np.complex64)
    for wide, must_raise in ((False, True), (True, False)):
        r = real.astype(np.complex64) if wide else real
        x, n = (cplx, r) if complex_input else (r, cplx)
        assert div.applies(check._sample_of((x, n), {}, "pinned"), "float32") is must_raise
        tr = torch.tensor(r, device=device, requires_grad=True)
        tc = torch.tensor(cplx, device=device)
        out = torch.ldexp(tc, tr) if complex_input else torch.ldexp(tr, tc)
        assert np.allclose(out.detach().cpu().numpy(), x * np.exp2(n.astype(np.complex128)), rtol=1e-5)
        try:
            torch.autograd.grad(out.abs().sum(), tr)
        except RuntimeError as exc:
            assert must_raise and "grad_is_complex" in str(exc), exc
            continue
        assert not must_raise, "the backward of ldexp of a real operand with a complex one no longer raises"
