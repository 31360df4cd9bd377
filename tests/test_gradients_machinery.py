"""The gradient machinery (conformance.gradients) and the closed-form references (conformance.references.gradients).

The finite-difference checker must pass correct gradients (real, complex, broadcast, with undefined or
non-differentiable points in the sample) and catch wrong ones, a single wrong element included; the closed-form
references must agree with finite differences of the NumPy functions they differentiate (without torch).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from conformance import gradients
from conformance.catalogue.entry import OpEntry
from conformance.check import Mismatch
from conformance.references import gradients as R
from conformance.strategies.cases import ArraySpec, Case, Sample


def _sample(*arrays, kwargs=None, layouts=None):
    return Sample(args=tuple(arrays), kwargs=dict(kwargs or {}), arrays=list(arrays),
                  layouts=layouts or ["contiguous"] * len(arrays))


def _op(torch_fn, ref, name="toy"):
    return OpEntry(name, "autograd", torch_fn, ref, lambda dtype: None, ("float32", "float64", "complex128"),
                   grad=True)


def _check(op, sample, dtype="float64"):
    stats = gradients.Stats()
    checked = gradients.check(op, sample, "cpu", dtype, stats, directions=2)
    return checked, stats


def _rng_sample(shape_x, shape_y=None, dtype="float64", seed=0):
    specs = [ArraySpec(shape_x, dtype)] + ([ArraySpec(shape_y, dtype)] if shape_y is not None else [])
    return Case(tuple(specs), (), seed).sample("ordinary", 0)


# ---- toy ops: right and wrong backwards -------------------------------------------------------------------

def sin_mul(x, y):
    return torch.sin(x) * y


def sin_mul_ref(x, y):
    return np.sin(x) * y


class _ScaledBackward(torch.autograd.Function):
    """sin(x) * y with the gradient of x multiplied by ``factor`` at one element (or everywhere)."""

    @staticmethod
    def forward(ctx, x, y, factor, where):
        ctx.save_for_backward(x, y)
        ctx.factor, ctx.where = factor, where
        return torch.sin(x) * y

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gx = g * torch.cos(x) * y
        gy = g * torch.sin(x)
        gx = gx.sum_to_size(x.shape).clone()
        if ctx.where is None:
            gx = gx * ctx.factor
        else:
            gx.view(-1)[ctx.where] *= ctx.factor
        return gx, gy.sum_to_size(y.shape), None, None


def wrong_everywhere(x, y):
    return _ScaledBackward.apply(x, y, 2.0, None)


def wrong_one_element(x, y):
    return _ScaledBackward.apply(x, y, 1.5, 7)


def test_correct_gradient_passes_real_and_broadcast():
    for shapes in (((3, 4), (3, 4)), ((3, 1), (4,)), ((), (2, 3)), ((2, 3, 4), (1, 4))):
        checked, stats = _check(_op(sin_mul, sin_mul_ref), _rng_sample(*shapes, seed=len(shapes[0])))
        assert checked, stats.summary()
        assert stats.worst < 0.1


def test_wrong_jacobian_is_caught():
    with pytest.raises(Mismatch, match="NumPy finite difference"):
        _check(_op(wrong_everywhere, sin_mul_ref), _rng_sample((3, 4), (3, 4)))


def test_one_wrong_element_among_many_is_caught():
    sample = _rng_sample((5, 5, 5), (5, 5, 5), seed=3)  # 125 elements, one gradient off by half
    with pytest.raises(Mismatch):
        _check(_op(wrong_one_element, sin_mul_ref), sample)


def test_float32_tolerance_passes_right_and_catches_wrong():
    sample = _rng_sample((4, 4), (4, 4), dtype="float32", seed=5)
    assert _check(_op(sin_mul, sin_mul_ref), sample, "float32")[0]
    with pytest.raises(Mismatch):
        _check(_op(wrong_everywhere, sin_mul_ref), sample, "float32")


class _TransposedMatmul(torch.autograd.Function):
    """a @ b whose gradient of a forgets to transpose b (right only when b is symmetric)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g @ b, a.mT @ g


def transposed_matmul(a, b):
    return _TransposedMatmul.apply(a, b)


def test_transposed_jacobian_is_caught():
    sample = _rng_sample((3, 3), (3, 3), seed=11)
    assert _check(_op(torch.matmul, np.matmul), sample)[0]
    with pytest.raises(Mismatch):
        _check(_op(transposed_matmul, np.matmul), sample)


# ---- complex: torch's convention (conjugate Wirtinger) -----------------------------------------------------

class _UnconjugatedMul(torch.autograd.Function):
    """z * w with the gradient of z given as v * w instead of v * conj(w)."""

    @staticmethod
    def forward(ctx, z, w):
        ctx.save_for_backward(z, w)
        return z * w

    @staticmethod
    def backward(ctx, g):
        z, w = ctx.saved_tensors
        return g * w, g * z.conj()


def unconjugated_mul(z, w):
    return _UnconjugatedMul.apply(z, w)


def test_complex_convention():
    sample = _rng_sample((3, 2), (3, 2), dtype="complex128", seed=2)
    assert _check(_op(torch.mul, np.multiply), sample, "complex128")[0]
    assert _check(_op(torch.abs, np.abs), _rng_sample((4,), dtype="complex128"), "complex128")[0]
    with pytest.raises(Mismatch):
        _check(_op(unconjugated_mul, np.multiply), sample, "complex128")


# ---- where NumPy gives no derivative -------------------------------------------------------------------------

def test_undefined_outputs_are_left_out():
    """sqrt of negative numbers: NaN in both; torch's NaN gradient there (0 * NaN) is accepted, the rest checked."""
    x = np.array([-1.0, 4.0, -0.5, 2.25, 9.0])
    checked, stats = _check(_op(torch.sqrt, np.sqrt), _sample(x))
    assert checked and stats.nonfinite_accepted == 2 and stats.compared == 3


class _NanGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.exp(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        out = g * torch.exp(x)
        out[0] = float("nan")
        return out


def nan_gradient(x):
    return _NanGradient.apply(x)


def test_nan_gradient_where_numpy_has_one_is_caught():
    with pytest.raises(Mismatch, match="NaN or infinite"):
        _check(_op(nan_gradient, np.exp), _sample(np.array([0.5, 1.0, -2.0])))


def test_kinks_are_left_out():
    """abs at 0 and max at a tie have no derivative: those outputs are not compared (torch's documented choices
    there are pinned by bespoke tests), the others are."""
    x = np.array([0.0, 1.5, -2.0, 0.0, 3.0])
    checked, stats = _check(_op(torch.abs, np.abs), _sample(x))
    assert checked and stats.compared == 3
    y = np.array([[3.0, 1.0, 3.0], [0.5, 2.0, -1.0]])
    checked, stats = _check(_op(lambda a: torch.amax(a, 1), lambda a: np.amax(a, 1)), _sample(y))
    assert checked and stats.compared == 1


def test_symmetric_ties_are_left_out():
    """The middle of three tied values (a middle sort position) has equal one-sided slopes along any single
    direction: where the first pass takes it for differentiable and torch's choice disagrees with the directional
    derivative, the tie re-check finds that the reference is not differentiable there (no false mismatch)."""
    x = np.array([[2.0, 2.0, 2.0], [1.0, 5.0, 3.0]])
    op = _op(lambda a: torch.sort(a, 1).values, lambda a: np.sort(a, 1))
    for seed in range(20):
        sample = Sample(args=(x,), kwargs={}, arrays=[x], layouts=["contiguous"],
                        case=Case((ArraySpec(x.shape, "float64"),), (), seed))
        checked, stats = _check(op, sample)
        assert checked and 3 <= stats.compared <= 4, stats.summary()  # the untied row, at least


def _trunc_div(x, y):
    return torch.div(x, y, rounding_mode="trunc")


def _trunc_div_ref(x, y):
    return np.trunc(x / y)


def _trunc_div_slope(x, y):  # a planted bug: the gradient of the true quotient
    return _trunc_div(x, y) + (x / y - (x / y).detach())


def test_a_staircase_finer_than_the_step_has_derivative_zero():
    """trunc(x / y) with quotients in the thousands crosses a few steps within +-h, as many on each side at h
    as twice those at h/2 for some elements, which a finite difference then takes for the slope 1 / y: the
    staircase re-check sees the reference exactly constant over a much smaller step and compares torch's
    gradient with 0 there, so torch's (right) zero passes and the true quotient's slope is caught."""
    rng = np.random.default_rng(0)
    x, y = rng.uniform(50.0, 150.0, 400), rng.uniform(0.01, 0.05, 400)
    for seed in range(4):
        sample = Sample(args=(x, y), kwargs={}, arrays=[x, y], layouts=["contiguous"] * 2,
                        case=Case((ArraySpec(x.shape, "float64"), ArraySpec(y.shape, "float64")), (), seed))
        checked, stats = _check(_op(_trunc_div, _trunc_div_ref), sample)
        assert checked, stats.summary()
        with pytest.raises(Mismatch):
            _check(_op(_trunc_div_slope, _trunc_div_ref), sample)


def test_a_test_that_checked_nothing_fails():
    op = _op(torch.sqrt, np.sqrt)
    stats = gradients.Stats()
    gradients.check(op, _sample(np.array([-1.0, -2.0])), "cpu", "float64", stats)
    assert stats.checked == 0
    with pytest.raises(Mismatch, match="could not have failed"):
        gradients.require_checked(op, "cpu", "float64", stats)


def test_reproduction_snippet_runs_and_fails():
    """A failure carries a standalone script that recomputes both sides and fails the same way."""
    with pytest.raises(Mismatch) as info:
        _check(_op(wrong_everywhere, sin_mul_ref), _rng_sample((2, 3), (3,), seed=4))
    source = info.value.repro
    assert "torch.autograd.grad" in source and "import conformance" not in source
    namespace = {"_ScaledBackward": _ScaledBackward}  # the custom Function itself is not pasted (a class)
    with pytest.raises(AssertionError):
        exec(compile(source, "<repro>", "exec"), namespace)  # noqa: S102 - our own generated code


def test_reproduction_snippet_runs_for_bfloat16():
    """A bfloat16 gradient (NumPy has no such dtype) reaches the snippet's own check through float64."""
    with pytest.raises(Mismatch) as info:
        _check(_op(wrong_everywhere, sin_mul_ref), _rng_sample((2, 3), (3,), dtype="bfloat16", seed=4), "bfloat16")
    namespace = {"_ScaledBackward": _ScaledBackward}
    with pytest.raises(AssertionError):
        exec(compile(info.value.repro, "<repro>", "exec"), namespace)  # noqa: S102


def test_reproduction_snippet_passes_on_correct_gradient():
    """The snippet's own check agrees with the suite: on a correct gradient it does not fail."""
    sample = _rng_sample((2, 3), (3,), seed=4)
    op = _op(sin_mul, sin_mul_ref)
    with pytest.raises(Mismatch) as info:
        _check(_op(wrong_everywhere, sin_mul_ref), sample)
    source = info.value.repro.replace("return _ScaledBackward.apply(x, y, 2.0, None)", "return torch.sin(x) * y")
    namespace = {}
    exec(compile(source, "<repro>", "exec"), namespace)  # noqa: S102
    assert _check(op, sample)[0]


# ---- the closed-form references against finite differences of NumPy ----------------------------------------

def _fd_check(f, args, diff, vjp_grads, rng, v):
    """<vjp, t> == d/ds <v, f(args + s t)> for a random t, in float64 (no torch involved)."""
    h = 2.0 ** -17
    ts = [rng.standard_normal(np.shape(args[i])) for i in diff]

    def at(s):
        moved = list(args)
        for i, t in zip(diff, ts):
            moved[i] = args[i] + s * t
        out = f(*moved)
        outs = out if isinstance(out, (list, tuple)) else [out]
        return sum(float(np.sum(vv * np.asarray(o))) for vv, o in zip(v, outs))

    fd = (4 * (at(h / 2) - at(-h / 2)) / h - (at(h) - at(-h)) / (2 * h)) / 3
    lhs = sum(float(np.sum(g * t)) for g, t in zip(vjp_grads, ts))
    assert np.isclose(lhs, fd, rtol=1e-6, atol=1e-8), (lhs, fd)


def _softmax(x, dim):
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


@pytest.mark.parametrize("seed", range(3))
def test_closed_forms_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.3, 2.0, (3, 4))
    y = rng.uniform(-1.5, 1.5, (1, 4))
    v = [rng.standard_normal((3, 4))]
    for f, vjp in ((np.sqrt, R.sqrt_vjp), (np.exp, R.exp_vjp), (np.log, R.log_vjp), (np.tanh, R.tanh_vjp),
                   (lambda a: 1 / (1 + np.exp(-a)), R.sigmoid_vjp)):
        _fd_check(f, [x], [0], [vjp(x, v[0])], rng, v)
    _fd_check(np.power, [x, y], [0, 1], R.pow_vjp(x, y, v[0]), rng, v)
    for dim, keep in ((None, False), (1, True), (-2, False), ((0, 1), False)):
        out = np.sum(x, axis=dim, keepdims=keep)
        w = [rng.standard_normal(np.shape(out))]
        _fd_check(lambda a: np.sum(a, axis=dim, keepdims=keep), [x], [0], [R.sum_vjp(x, w[0], dim, keep)], rng, w)
        _fd_check(lambda a: np.mean(a, axis=dim, keepdims=keep), [x], [0], [R.mean_vjp(x, w[0], dim, keep)], rng, w)
        _fd_check(lambda a: np.amax(a, axis=dim, keepdims=keep), [x], [0], [R.amax_vjp(x, w[0], dim, keep)], rng, w)
    for dim in (0, -1):
        _fd_check(lambda a: _softmax(a, dim), [x], [0], [R.softmax_vjp(x, v[0], dim)], rng, v)
        _fd_check(lambda a: np.log(_softmax(a, dim)), [x], [0], [R.log_softmax_vjp(x, v[0], dim)], rng, v)
        w = [rng.standard_normal(np.amax(x, axis=dim).shape)]
        _fd_check(lambda a: np.amax(a, axis=dim), [x], [0], [R.max_dim_vjp(x, w[0], dim)], rng, w)
    index = np.array([[0, 2, 2, 1], [1, 1, 0, 0]])  # repeated along dim 0
    w = [rng.standard_normal(index.shape)]
    _fd_check(lambda a: np.take_along_axis(a, index, 0), [x], [0], [R.gather_vjp(x, 0, index, w[0])], rng, w)
    sel = np.array([1, 1, 3, 0])
    w = [rng.standard_normal((3, 4))]
    _fd_check(lambda a: np.take(a, sel, 1), [x], [0], [R.index_select_vjp(x, 1, sel, w[0])], rng, w)

    def scatter_add(a, src):
        out = a.copy()
        np.add.at(out, (index, np.arange(4)[None, :].repeat(2, 0)), src)
        return out
    src = rng.standard_normal(index.shape)
    _fd_check(scatter_add, [x, src], [0, 1], R.scatter_add_vjp(x, 0, index, src, v[0]), rng, v)
    parts = [rng.standard_normal((3, n)) for n in (2, 0, 3)]
    w = [rng.standard_normal((3, 5))]
    _fd_check(lambda *ps: np.concatenate(ps, 1), parts, [0, 1, 2], R.cat_vjp([p.shape for p in parts], 1, w[0]),
              rng, w)
    w = [rng.standard_normal((3, 2, 4))]
    _fd_check(lambda *ps: np.stack(ps, 1), [x, x + 1], [0, 1], R.stack_vjp(2, 1, w[0]), rng, w)
    pieces = [rng.standard_normal((3, 1)), rng.standard_normal((3, 3))]
    _fd_check(lambda a: np.split(a, [1], 1), [x], [0], [R.split_vjp(pieces, 1)], rng, pieces)
    w = [rng.standard_normal((2, 6))]
    _fd_check(lambda a: a.reshape(2, 6), [x], [0], [R.reshape_vjp(x, w[0])], rng, w)
    w = [rng.standard_normal((4, 3))]
    _fd_check(lambda a: a.T, [x], [0], [R.transpose_vjp(x, 0, 1, w[0])], rng, w)
    _fd_check(lambda a: np.transpose(a, (1, 0)), [x], [0], [R.permute_vjp(x, (1, -2), w[0])], rng, w)
    w = [rng.standard_normal((2, 3, 4))]
    _fd_check(lambda a: np.broadcast_to(a, (2, 3, 4)), [y], [0], [R.expand_vjp(y, w[0])], rng, w)
    b3 = rng.standard_normal((2, 4, 5))
    w = [rng.standard_normal((2, 3, 5))]
    _fd_check(np.matmul, [x, b3], [0, 1], R.matmul_vjp(x, b3, w[0]), rng, w)
    vec = rng.standard_normal(4)
    w = [rng.standard_normal(3)]
    _fd_check(np.matmul, [x, vec], [0, 1], R.matmul_vjp(x, vec, w[0]), rng, w)
    for eq, shapes in (("ij,jk->ik", [(3, 4), (4, 2)]), ("ij->", [(3, 4)]), ("i,ij->j", [(3,), (3, 4)]),
                       ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 2)]), ("ijk,k->ij", [(2, 3, 4), (4,)])):
        ops = [rng.standard_normal(s) for s in shapes]
        w = [rng.standard_normal(np.einsum(eq, *ops).shape)]
        _fd_check(lambda *o: np.einsum(eq, *o), ops, list(range(len(ops))), R.einsum_vjp(eq, ops, w[0]), rng, w)
    sq = rng.standard_normal((3, 3))
    w = [rng.standard_normal(())]
    _fd_check(np.trace, [sq], [0], [R.trace_vjp(sq, w[0])], rng, w)


# ---- which dtypes the generic gradient test runs (the plugin's ops(..., dtypes=...) marker) ------------------

def _collect(tmp_path, *args):
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite.test_gradients", "-p", "no:cacheprovider",
           "--collect-only", "-q", "-k", "test_gradient and (sqrt- or neg- or reshape-)", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return {line.split("[", 1)[1].rstrip("]") for line in proc.stdout.splitlines() if "test_gradient[" in line}


def test_gradient_cells_are_every_dtype_torch_differentiates(tmp_path):
    """Every floating and complex dtype but float8 (which autograd has no kernels for), in every profile: profiles
    differ in examples, not cells."""
    want = {f"{op}-cpu-{d}" for op in ("sqrt", "neg", "reshape")
            for d in ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")}
    assert _collect(tmp_path, "--conformance-profile", "ci") == want
    assert _collect(tmp_path, "--conformance-profile", "nightly") == want
    assert _collect(tmp_path, "--conformance-profile", "ci", "--dtypes", "float64") == \
        {i for i in want if i.endswith("-float64")}


def test_exponential_conditioning_is_derived_and_bounded():
    """logsumexp's gradient exp(x - y) and complex pow's (a real base, a complex exponent: complex pow too) inherit
    the error of their exponent: about |x| u for logsumexp at |x| = 130, 16 |w| u for pow; not more than that."""
    from conformance.catalogue import gradients as known

    x = np.array(complex(0.82161814, -130.31572), dtype=np.complex64)
    s = Sample(args=(x,), kwargs={"dim": -1}, arrays=[x], layouts=["contiguous"])
    rho = float(np.max(known.CONDITIONING["logsumexp"](s, "complex64")[0]))
    u = float(np.finfo(np.float32).eps) / 2
    assert 100 * u < rho < 400 * u
    base = np.array([[-0.6494225, 0.11751785, -0.8156509]], dtype=np.float32)
    expo = np.array([[complex(-38.862595, -1.0753467)]], dtype=np.complex64)
    s = Sample(args=(base, expo), kwargs={}, arrays=[base, expo], layouts=["contiguous"] * 2)
    found = known.CONDITIONING["pow"](s, "float32")
    assert set(found) == {0, 1} and 10 * u < float(np.max(found[0])) < 2e-4  # |w| = |(y - 1) log x| is 127


@pytest.mark.parametrize("values", [[308.0, 302.0], [8.0, 2.0]])
def test_softmax_gradient_bound_is_shift_invariant(values):
    """bfloat16 softmax [308, 302] and [8, 2] have the same output, gradient and error (y (v - s) from the rounded
    output cancels): the output-rounding bound holds both, not only the one near 0."""
    import ml_dtypes

    from conformance import catalogue

    x = np.array(values, dtype=ml_dtypes.bfloat16)
    sample = Sample(args=(x, 0), kwargs={}, arrays=[x], layouts=["contiguous"])
    assert _check(catalogue.by_name("softmax"), sample, "bfloat16")[0]
