"""Backward semantics: what ``backward`` computes and the rules around it.

* ``backward()`` on an output of more than one element needs ``gradient``; with ``gradient=v`` the leaves get
  ``v . J`` (checked against NumPy closed forms, broadcast inputs reduced back to their shapes, ``v`` in every
  memory layout);
* gradients accumulate across backward calls; a second backward through a freed graph raises unless the first
  one kept it (``retain_graph=True``);
* ``zero_grad`` of modules and optimizers, ``set_to_none`` True and False;
* ``requires_grad`` propagation, ``detach``, ``no_grad`` / ``set_grad_enabled``, ``inference_mode``;
* in-place modification of a tensor saved for backward is detected by the version counter.

Documented in https://pytorch.org/docs/stable/notes/autograd.html and the pages of ``torch.Tensor.backward``,
``torch.nn.Module.zero_grad``, ``torch.optim.Optimizer.zero_grad``, ``torch.Tensor.detach``,
``torch.no_grad`` and ``torch.inference_mode``.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import devices, dtypes
from conformance import tolerance as T
from conformance.check import Mismatch
from conformance.strategies import broadcastable_shapes, layouts, seeds, shapes

pytestmark = pytest.mark.autograd

NONSCALAR = "grad can be implicitly created only for scalar outputs"
FREED = "Trying to backward through the graph a second time"
INPLACE = "one of the variables needed for gradient computation has been modified by an inplace operation"
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation"
INFERENCE_SAVED = "Inference tensors cannot be saved for backward"
INFERENCE_REQUIRES_GRAD = "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed"
INFERENCE_INPLACE = "Inplace update to inference tensor outside InferenceMode is not allowed"
#: the common part of the messages of requires_grad_() ("only Tensors of floating point dtype ...") and of
#: requires_grad=True / .requires_grad = True ("... floating point and complex dtype can require gradients")
INT_REQUIRES_GRAD = "Tensors of floating point"
NONLEAF_FLAG = "you can only change requires_grad flags of leaf variables"


# ---- helpers ------------------------------------------------------------------------------------------

def values(rng, shape, dtype="float64"):
    """float64 values exactly representable in ``dtype``."""
    return rng.standard_normal(shape).astype(dtypes.NUMPY[dtype]).astype(np.float64)


def tensor(a, dtype, device, requires_grad=False, layout="contiguous"):
    t = layouts.make(a.astype(dtypes.NUMPY[dtype]), layout, device)
    return t.requires_grad_(requires_grad) if requires_grad else t


def unbroadcast(g, shape):
    """The gradient ``g`` of a broadcast result summed back to an input of ``shape`` (NumPy's broadcasting)."""
    g = np.asarray(g, dtype=np.float64)
    lead = g.ndim - len(shape)
    g = g.sum(axis=tuple(range(lead))) if lead else g
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def bound(abs_terms, n_terms, dtype):
    """Rounding error bound of a sum of ``n_terms`` terms, each made with at most four roundings, whose
    absolute values sum to ``abs_terms``: gamma_{n+4} * abs_terms (Higham, sec. 3.1) in the precision torch
    computes ``dtype`` in, plus one rounding of the result."""
    k = n_terms + 4
    u = T.unit(T.accumulation(dtype))
    return (T.gamma(k, u) + T.unit(dtype)) * np.asarray(abs_terms, dtype=np.float64)


def check_grad(what, actual, expected, tol, dtype, device):
    if actual is None:
        raise Mismatch(f"{what}: torch gave no gradient (None)")
    if tuple(actual.shape) != np.shape(expected):
        raise Mismatch(f"{what}: shape {tuple(actual.shape)}, expected {np.shape(expected)}")
    if actual.dtype != dtypes.TORCH[dtype] or not devices.same(actual.device, device):
        raise Mismatch(f"{what}: {actual.dtype} on {actual.device}, expected {dtype} on {device}")
    a = actual.detach().cpu().double().numpy()
    err = np.abs(a - expected)
    bad = ~(err <= tol)
    if bad.any():
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        raise Mismatch(f"{what}: {int(bad.sum())} of {bad.size} elements differ from NumPy",
                       f"first at index {i}: torch {a[i]!r}, NumPy {np.asarray(expected)[i]!r} "
                       f"(allowed {np.asarray(tol)[i]:.3g})")


def raises(exc_type, message, fn):
    """``fn()`` must raise ``exc_type`` whose text contains ``message``."""
    try:
        fn()
    except exc_type as exc:
        if message not in str(exc):
            raise Mismatch(f"raised {exc_type.__name__} with another message", f"expected {message!r}, got "
                           f"{str(exc)[:300]!r}") from exc
        return
    raise Mismatch(f"expected {exc_type.__name__}: {message!r}; nothing was raised")


# ---- backward() with and without gradient ----------------------------------------------------------------

@pytest.mark.op("backward")
@given(shape=shapes())
def test_backward_needs_gradient_unless_scalar(device, shape):
    """backward() without ``gradient`` works exactly when the output has one element (then it is 1)."""
    a = torch.ones(shape, dtype=torch.float64, device=device, requires_grad=True)
    q = a * 2 + a ** 2
    if q.numel() != 1:
        raises(RuntimeError, NONSCALAR, q.backward)
        if a.grad is not None:
            raise Mismatch("a failed backward() left a gradient in the leaf")
    else:
        q.backward()
        check_grad("a.grad", a.grad, np.full(shape, 4.0), 0.0, "float64", device)


#: expressions of two broadcastable leaves a, b and their vector-Jacobian products for an upstream v
FORMS = {
    "a*2 + b**2": (lambda a, b: a * 2 + b ** 2,
                   lambda a, b, v: (2 * v, 2 * b * v), lambda a, b, v: (2 * v, 2 * b * v)),
    "a*b - b": (lambda a, b: a * b - b,
                lambda a, b, v: (v * b, v * a - v), lambda a, b, v: (v * b, v * a + v)),
    "(a - b) * (a + b)": (lambda a, b: (a - b) * (a + b),
                          lambda a, b, v: (2 * a * v, -2 * b * v),
                          lambda a, b, v: (2 * v * (a + b), 2 * v * (a + b))),
}


@pytest.mark.op("backward")
@pytest.mark.dtypes("float32", "float64")
@given(form=st.sampled_from(sorted(FORMS)), shp=broadcastable_shapes(2), layout=st.sampled_from(layouts.LAYOUTS),
       seed=seeds)
def test_backward_gradient_is_vjp(device, dtype, form, shp, layout, seed):
    """Q.backward(gradient=v): each leaf's .grad is v . dQ/dleaf, summed over the dims it was broadcast
    along (e.g. Q = a*2 + b**2 gives a.grad = 2v, b.grad = 2 b v); v may be non-contiguous."""
    fn, vjp, magnitude = FORMS[form]
    rng = np.random.default_rng(seed)
    a_np, b_np = values(rng, shp[0], dtype), values(rng, shp[1], dtype)
    out_shape = np.broadcast_shapes(shp[0], shp[1])
    v_np = values(rng, out_shape, dtype)
    if layout == "expanded":
        v_np = layouts.constant_along_axis(v_np)
    a = tensor(a_np, dtype, device, requires_grad=True)
    b = tensor(b_np, dtype, device, requires_grad=True)
    q = fn(a, b)
    q.backward(gradient=tensor(v_np, dtype, device, layout=layout))
    want = vjp(a_np, b_np, v_np)
    mag = magnitude(np.abs(a_np), np.abs(b_np), np.abs(v_np))
    for name, leaf, g, m, shape in (("a", a, want[0], mag[0], shp[0]), ("b", b, want[1], mag[1], shp[1])):
        g_full = np.broadcast_to(g, out_shape)
        n = max(1, int(np.prod(out_shape, dtype=np.int64)) // max(1, int(np.prod(shape, dtype=np.int64))))
        check_grad(f"{name}.grad of {form} (v layout {layout})", leaf.grad, unbroadcast(g_full, shape),
                   bound(unbroadcast(np.broadcast_to(m, out_shape), shape), n, dtype), dtype, device)


# ---- accumulation and freed graphs -----------------------------------------------------------------------

@pytest.mark.op("backward")
@given(shape=shapes(max_dims=3), calls=st.integers(1, 4), same_graph=st.booleans(), seed=seeds)
def test_gradients_accumulate(device, shape, calls, same_graph, seed):
    """Each backward call adds into .grad (None before the first): k calls on one retained graph give k times
    the gradient, calls on fresh graphs give the sum of their gradients."""
    rng = np.random.default_rng(seed)
    a_np = values(rng, shape)
    a = tensor(a_np, "float64", device, requires_grad=True)
    if a.grad is not None:
        raise Mismatch("a fresh leaf has a gradient before any backward")
    c_np = values(rng, shape)
    c = tensor(c_np, "float64", device)
    total, magnitude = np.zeros(shape), np.zeros(shape)
    q = a * c * a
    for i in range(calls):
        v_np = values(rng, shape)
        if same_graph:
            q.backward(tensor(v_np, "float64", device), retain_graph=True)
        else:
            (a * c * a).backward(tensor(v_np, "float64", device))
        total = total + 2 * a_np * c_np * v_np
        magnitude = magnitude + np.abs(2 * a_np * c_np * v_np)
        check_grad(f"a.grad after {i + 1} backward call(s)", a.grad, total,
                   bound(magnitude, 2 * (i + 1), "float64"), "float64", device)


#: graphs whose nodes save tensors for backward
SECOND = {
    "(a*b).sum()": lambda a, b: (a * b).sum(),
    "a.exp() * b": lambda a, b: a.exp() * b,
    "(a - b) * (a + b)": lambda a, b: (a - b) * (a + b),
}


@pytest.mark.op("backward")
@given(form=st.sampled_from(sorted(SECOND)), shape=shapes(max_dims=2), retain=st.booleans(),
       scalar_v=st.booleans(), seed=seeds)
def test_second_backward_needs_retain_graph(device, form, shape, retain, scalar_v, seed):
    """A graph whose nodes saved tensors is freed by backward: a second backward raises the documented error,
    unless the first call passed retain_graph=True (then the gradients add up)."""
    fn = SECOND[form]
    rng = np.random.default_rng(seed)
    a_np, b_np = values(rng, shape), values(rng, shape)
    a = tensor(a_np, "float64", device, requires_grad=True)
    b = tensor(b_np, "float64", device)
    q = fn(a, b)
    v = None if q.dim() == 0 else tensor(np.ones(q.shape) if scalar_v else values(rng, q.shape), "float64", device)
    if v is None:
        q.backward(retain_graph=retain)
    else:
        q.backward(gradient=v, retain_graph=retain)
    first = a.grad.detach().clone()
    if retain:
        q.backward(gradient=v, retain_graph=False)
        check_grad("a.grad after two backward calls through a retained graph", a.grad,
                   2 * first.cpu().numpy(), np.abs(first.cpu().numpy()) * 1e-15, "float64", device)
        raises(RuntimeError, FREED, lambda: q.backward(gradient=v))
    else:
        raises(RuntimeError, FREED, lambda: q.backward(gradient=v))


# ---- zero_grad ---------------------------------------------------------------------------------------------

def _small_model(device):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    model.unused = torch.nn.Parameter(torch.ones(2))  # never reached by backward
    return model.to(device=device, dtype=torch.float64)


def _check_reset(where, params, set_to_none, had_grad):
    for name, p in params:
        if not had_grad[name]:
            if p.grad is not None:
                raise Mismatch(f"{where}: {name} had no gradient and now has one")
            continue
        if set_to_none:
            if p.grad is not None:
                raise Mismatch(f"{where}(set_to_none=True): {name}.grad is not None")
        else:
            if p.grad is None:
                raise Mismatch(f"{where}(set_to_none=False): {name}.grad is None, expected zeros")
            if tuple(p.grad.shape) != tuple(p.shape) or bool((p.grad != 0).any()):
                raise Mismatch(f"{where}(set_to_none=False): {name}.grad is not all zeros of the parameter's "
                               f"shape: {p.grad}")


@pytest.mark.op("zero_grad")
@given(set_to_none=st.sampled_from([True, False, None]), rounds=st.integers(1, 2), seed=seeds)
def test_module_zero_grad(device, set_to_none, rounds, seed):
    """Module.zero_grad(set_to_none=True, the default) leaves every .grad None; False leaves zeros; parameters
    that never had a gradient keep None; the next backward starts from the reset state."""
    rng = np.random.default_rng(seed)
    model = _small_model(device)
    x = tensor(values(rng, (5, 3)), "float64", device)
    for _ in range(rounds):
        model(x).sum().backward()
        had = {n: p.grad is not None for n, p in model.named_parameters()}
        if set_to_none is None:
            model.zero_grad()
        else:
            model.zero_grad(set_to_none=set_to_none)
        _check_reset("Module.zero_grad", list(model.named_parameters()), set_to_none in (True, None), had)
    model(x).sum().backward()
    fresh = _small_model(device)
    fresh.load_state_dict(model.state_dict())
    fresh(x).sum().backward()
    for (n, p), (_, q) in zip(model.named_parameters(), fresh.named_parameters()):
        if (p.grad is None) != (q.grad is None) or (p.grad is not None and not torch.equal(p.grad, q.grad)):
            raise Mismatch(f"after zero_grad and one backward, {n}.grad differs from a fresh model's")


@pytest.mark.op("zero_grad")
@given(set_to_none=st.sampled_from([True, False, None]), groups=st.integers(1, 3),
       optimizer=st.sampled_from(["SGD", "Adam"]), seed=seeds)
def test_optimizer_zero_grad(device, set_to_none, groups, optimizer, seed):
    """Optimizer.zero_grad resets the gradients of the parameters of every param group, and only those."""
    rng = np.random.default_rng(seed)
    layers = [torch.nn.Linear(2, 2).to(device=device, dtype=torch.float64) for _ in range(groups + 1)]
    opt = getattr(torch.optim, optimizer)([{"params": layer.parameters(), "lr": 0.1 * (i + 1)}
                                           for i, layer in enumerate(layers[:-1])])
    x = tensor(values(rng, (3, 2)), "float64", device)
    h = x
    for layer in layers:
        h = layer(h)
    h.sum().backward()
    outside = [p.grad.clone() for p in layers[-1].parameters()]
    had = {f"group{i}.{n}": True for i, layer in enumerate(layers[:-1]) for n, _ in layer.named_parameters()}
    if set_to_none is None:
        opt.zero_grad()
    else:
        opt.zero_grad(set_to_none=set_to_none)
    params = [(f"group{i}.{n}", p) for i, layer in enumerate(layers[:-1]) for n, p in layer.named_parameters()]
    _check_reset(f"{optimizer}.zero_grad", params, set_to_none in (True, None), had)
    for p, before in zip(layers[-1].parameters(), outside):
        if p.grad is None or not torch.equal(p.grad, before):
            raise Mismatch("Optimizer.zero_grad changed the gradient of a parameter it does not hold")


# ---- requires_grad, detach, no_grad, inference_mode --------------------------------------------------------

@pytest.mark.op("requires_grad")
@given(ra=st.booleans(), rb=st.booleans(), op=st.sampled_from(["add", "mul", "matmul", "cat", "where"]))
def test_requires_grad_propagates(device, ra, rb, op):
    """A result requires grad (and has a grad_fn, and is not a leaf) exactly when an input does."""
    a = torch.ones(2, 2, dtype=torch.float64, device=device, requires_grad=ra)
    b = torch.full((2, 2), 2.0, dtype=torch.float64, device=device, requires_grad=rb)
    out = {"add": lambda: a + b, "mul": lambda: a * b, "matmul": lambda: a @ b,
           "cat": lambda: torch.cat([a, b]), "where": lambda: torch.where(a > 0, a, b)}[op]()
    want = ra or rb
    for t, leaf_want in ((a, True), (b, True), (out, not want)):
        if t.is_leaf != leaf_want:
            raise Mismatch(f"{op}: is_leaf is {t.is_leaf}, expected {leaf_want} (requires_grad a={ra}, b={rb})")
    if out.requires_grad != want or (out.grad_fn is not None) != want:
        raise Mismatch(f"{op}: result requires_grad={out.requires_grad}, grad_fn={out.grad_fn}; inputs "
                       f"requires_grad a={ra}, b={rb}")


@pytest.mark.op("requires_grad")
def test_requires_grad_flags(device):
    """requires_grad_ on leaves only, on floating and complex dtypes only (documented errors)."""
    a = torch.ones(3, device=device)
    if a.requires_grad:
        raise Mismatch("a new tensor requires grad by default")
    if a.requires_grad_() is not a or not a.requires_grad:
        raise Mismatch("requires_grad_() did not set the flag in place and return the tensor")
    a.requires_grad_(False)
    if a.requires_grad:
        raise Mismatch("requires_grad_(False) on a leaf left requires_grad True")
    for dt in (torch.int64, torch.int32, torch.bool):
        raises(RuntimeError, INT_REQUIRES_GRAD, lambda dt=dt: torch.zeros(2, dtype=dt, device=device).requires_grad_())
        raises(RuntimeError, INT_REQUIRES_GRAD,
               lambda dt=dt: torch.zeros(2, dtype=dt, device=device, requires_grad=True))
    z = torch.zeros(2, dtype=torch.complex64, device=device).requires_grad_()
    y = (torch.ones(2, device=device, requires_grad=True) * 2)
    raises(RuntimeError, NONLEAF_FLAG, lambda: y.requires_grad_(False))
    if not z.requires_grad:
        raise Mismatch("a complex tensor cannot require grad")


@pytest.mark.op("detach")
@given(shape=shapes(min_dims=1, max_dims=3, min_side=1), layout=st.sampled_from(layouts.WRITABLE), seed=seeds)
def test_detach_shares_storage_without_grad(device, shape, layout, seed):
    """detach() returns a view of the same storage (same data pointer and strides), that does not require
    grad and is a leaf; writes through it show in the original; gradients do not flow through it."""
    rng = np.random.default_rng(seed)
    x_np = values(rng, shape)
    x = tensor(x_np, "float64", device, layout=layout).requires_grad_()
    d = x.detach()
    if d.requires_grad or d.grad_fn is not None or not d.is_leaf:
        raise Mismatch(f"detach(): requires_grad={d.requires_grad}, grad_fn={d.grad_fn}, is_leaf={d.is_leaf}")
    if d.data_ptr() != x.data_ptr() or d.stride() != x.stride() or tuple(d.shape) != tuple(x.shape):
        raise Mismatch(f"detach() on a {layout} tensor does not share its storage: data_ptr {d.data_ptr()} vs "
                       f"{x.data_ptr()}, strides {d.stride()} vs {x.stride()}")
    v_np = values(rng, shape)
    (x * x.detach()).backward(tensor(v_np, "float64", device))
    check_grad("grad of x * x.detach()", x.grad, v_np * x_np, np.abs(v_np * x_np) * 1e-15, "float64", device)
    d.mul_(2)
    check_grad("x after x.detach().mul_(2)", x.detach(), 2 * x_np, 0.0, "float64", device)


@pytest.mark.op("no_grad")
def test_no_grad(device):
    """Inside no_grad (context, decorator) and set_grad_enabled(False), results do not require grad; the mode
    is restored on exit, also when the block raises; enable_grad re-enables it inside."""
    a = torch.ones(2, device=device, requires_grad=True)
    with torch.no_grad():
        if (a * 2).requires_grad or torch.is_grad_enabled():
            raise Mismatch("inside torch.no_grad() a result requires grad")
        with torch.enable_grad():
            if not (a * 2).requires_grad:
                raise Mismatch("torch.enable_grad() inside no_grad does not enable grad")
        leaf = torch.ones(2, device=device, requires_grad=True)
        if not leaf.requires_grad:
            raise Mismatch("a tensor created with requires_grad=True inside no_grad does not require grad")
    if not (a * 2).requires_grad:
        raise Mismatch("grad mode is not restored after torch.no_grad()")

    @torch.no_grad()
    def f(t):
        return t * 2
    if f(a).requires_grad:
        raise Mismatch("a function decorated with torch.no_grad() returns a result that requires grad")
    with torch.set_grad_enabled(False):
        if (a * 2).requires_grad:
            raise Mismatch("inside set_grad_enabled(False) a result requires grad")
    try:
        with torch.no_grad():
            raise KeyError("inside")
    except KeyError:
        pass
    if not torch.is_grad_enabled() or not (a * 2).requires_grad:
        raise Mismatch("grad mode is not restored when a torch.no_grad() block raises")


@pytest.mark.op("inference_mode")
def test_inference_mode(device):
    """Tensors made in inference_mode are inference tensors: they do not require grad, and outside the mode
    they cannot be saved for backward, be marked requires_grad or be updated in place (documented errors);
    a clone is a normal tensor; inference_mode(False) is ordinary grad mode."""
    w = torch.full((3,), 2.0, device=device, requires_grad=True)
    with torch.inference_mode():
        t = torch.ones(3, device=device)
        s = torch.ones(3, device=device)
        u = w * 3
        if not (t.is_inference() and u.is_inference()) or u.requires_grad or torch.is_grad_enabled():
            raise Mismatch("inside inference_mode: results are not inference tensors or require grad")
    if w.is_inference() or torch.is_inference_mode_enabled():
        raise Mismatch("inference mode leaked out of its block")
    raises(RuntimeError, INFERENCE_SAVED, lambda: (t * w).sum().backward())
    raises(RuntimeError, INFERENCE_REQUIRES_GRAD, lambda: t.requires_grad_())
    raises(RuntimeError, INFERENCE_INPLACE, lambda: s.add_(1))
    c = t.clone()
    (c * w).sum().backward()
    if c.is_inference() or w.grad is None or not torch.equal(w.grad, torch.ones(3, device=device)):
        raise Mismatch("a clone of an inference tensor does not work in autograd")
    with torch.inference_mode(False):
        if not (w * 2).requires_grad:
            raise Mismatch("inference_mode(False) disabled grad")


# ---- the version counter -----------------------------------------------------------------------------------

#: y = op(z): which of z (input) and y (output) the backward of op saves
OPS = {
    "sin": (torch.sin, lambda z: np.cos(z), {"input"}),
    "exp": (torch.exp, lambda z: np.exp(z), {"output"}),
    "tanh": (torch.tanh, lambda z: 1 - np.tanh(z) ** 2, {"output"}),
    "mul_scalar": (lambda z: z * 3.0, lambda z: np.full(z.shape, 3.0), set()),
    "add_scalar": (lambda z: z + 1.5, lambda z: np.ones(z.shape), set()),
}


@pytest.mark.op("version_counter")
@given(op=st.sampled_from(sorted(OPS)), modified=st.sampled_from(["input", "output", "nothing"]),
       shape=shapes(min_dims=1, max_dims=3, min_side=1), seed=seeds)
def test_inplace_on_saved_tensor_detected(device, op, modified, shape, seed):
    """z = 2x; y = op(z); then an in-place update of z or y: backward raises the documented version-counter
    error exactly when the updated tensor was saved for backward, and otherwise gives the right gradient;
    each in-place update bumps _version by one."""
    fn, deriv, saved = OPS[op]
    rng = np.random.default_rng(seed)
    x_np = values(rng, shape)
    x = tensor(x_np, "float64", device, requires_grad=True)
    z = x * 2
    y = fn(z)
    target = {"input": z, "output": y}.get(modified)
    if target is not None:
        before = target._version
        target.add_(1.0)
        if target._version != before + 1:
            raise Mismatch(f"add_ moved _version from {before} to {target._version}")
    v_np = values(rng, shape)
    v = tensor(v_np, "float64", device)
    if modified in saved:
        raises(RuntimeError, INPLACE, lambda: y.backward(v))
    else:
        y.backward(v)
        want = 2 * v_np * deriv(2 * x_np)
        # a derivative such as 1 - tanh(z)**2 is evaluated with a few units of roundoff relative to
        # max(1, |f'(z)|), not to f'(z) itself (cancellation near saturation)
        eps = float(np.finfo(np.float64).eps)
        tol = 2 * np.abs(v_np) * 8 * eps * np.maximum(1.0, np.abs(deriv(2 * x_np)))
        check_grad(f"x.grad of {op} after an in-place update of its {modified}", x.grad, want, tol, "float64",
                   device)
    leaf = torch.ones(2, device=device, requires_grad=True)
    raises(RuntimeError, LEAF_INPLACE, lambda: leaf.add_(1))


@pytest.mark.op("inference_mode")
@pytest.mark.divergence("inference-inplace-writes-before-raising")
def test_inference_inplace_error_comes_after_the_write(device):
    """Pinned: the documented error for an in-place update of an inference tensor outside inference_mode is
    raised, but the update has already been applied (torch 2.13). Fails when torch changes either way."""
    for name, update, want in (("add_", lambda t: t.add_(1), [2.0, 2.0, 2.0]),
                               ("mul_", lambda t: t.mul_(5), [5.0, 5.0, 5.0]),
                               ("setitem", lambda t: t.__setitem__(0, 7.0), [7.0, 1.0, 1.0])):
        with torch.inference_mode():
            t = torch.ones(3, device=device)
        raises(RuntimeError, INFERENCE_INPLACE, lambda: update(t))
        if t.tolist() != want:
            raise Mismatch(f"divergence inference-inplace-writes-before-raising no longer holds for {name}: "
                           f"after the error the tensor is {t.tolist()} (it was written before: {want})")
