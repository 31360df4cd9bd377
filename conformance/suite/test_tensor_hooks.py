"""Tensor hooks and retain_grad.

* ``register_hook`` sees the gradient with respect to its tensor (equal to the NumPy-computed one), a returned
  tensor replaces it, several hooks run in registration order, each on the previous one's result, and
  ``handle.remove()`` removes exactly its hook; ``_backward_hooks`` reflects what is registered;
* ``retain_grad`` keeps the gradient of a non-leaf tensor in ``.grad`` (after the tensor's hooks, accumulated
  over backward calls); without it the ``.grad`` of a non-leaf is None, with the documented warning.

https://pytorch.org/docs/stable/generated/torch.Tensor.register_hook.html,
https://pytorch.org/docs/stable/generated/torch.Tensor.retain_grad.html and "Backward Hooks execution" in
https://pytorch.org/docs/stable/notes/autograd.html.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance.check import Mismatch
from conformance.strategies import seeds, shapes
from conformance.suite.test_backward import check_grad, tensor, values

pytestmark = pytest.mark.autograd

NONLEAF_GRAD_WARNING = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"


def _exact(what, actual, expected, device, rel=1e-15):
    check_grad(what, actual, expected, np.abs(expected) * rel, "float64", device)


def _graph(rng, shape, device):
    """a, b leaves; z = a * b (non-leaf); out = z * c: returns tensors and NumPy values."""
    a_np, b_np, c_np, v_np = (values(rng, shape) for _ in range(4))
    a = tensor(a_np, "float64", device, requires_grad=True)
    b = tensor(b_np, "float64", device, requires_grad=True)
    z = a * b
    return a, b, z, (lambda z: z * tensor(c_np, "float64", device)), a_np, b_np, c_np, v_np


@pytest.mark.op("register_hook")
@given(shape=shapes(max_dims=3), on=st.sampled_from(["leaf", "non-leaf"]), replace=st.booleans(), seed=seeds)
def test_hook_sees_and_replaces_gradient(device, shape, on, replace, seed):
    """A hook on a leaf or a non-leaf is called once per backward with the gradient of the output with respect
    to its tensor; when it returns a tensor, that tensor is used instead (downstream and in .grad)."""
    rng = np.random.default_rng(seed)
    a, b, z, tail, a_np, b_np, c_np, v_np = _graph(rng, shape, device)
    k_np = values(rng, shape)
    seen = []

    def hook(g):
        seen.append(g.detach().clone())
        return g * tensor(k_np, "float64", device) if replace else None

    (a if on == "leaf" else z).register_hook(hook)
    tail(z).backward(tensor(v_np, "float64", device))
    if len(seen) != 1:
        raise Mismatch(f"the hook on the {on} tensor was called {len(seen)} times in one backward")
    gz = v_np * c_np
    factor = k_np if replace else 1.0
    if on == "leaf":
        _exact("gradient seen by the hook on a", seen[0], gz * b_np, device)
        _exact("a.grad", a.grad, gz * b_np * factor, device)
        _exact("b.grad", b.grad, gz * a_np, device)
    else:
        _exact("gradient seen by the hook on z = a * b", seen[0], gz, device)
        _exact("a.grad", a.grad, gz * factor * b_np, device)
        _exact("b.grad", b.grad, gz * factor * a_np, device)


@pytest.mark.op("register_hook")
@given(shape=shapes(max_dims=2), n=st.integers(1, 4), on=st.sampled_from(["leaf", "non-leaf"]),
       data=st.data(), seed=seeds)
def test_hooks_chain_in_order_and_remove(device, shape, n, on, data, seed):
    """Several hooks run in registration order, each on the result of the previous one; removing some through
    their handles (remove() twice is harmless) leaves exactly the others, and _backward_hooks lists them."""
    rng = np.random.default_rng(seed)
    a, b, z, tail, a_np, b_np, c_np, v_np = _graph(rng, shape, device)
    target = a if on == "leaf" else z
    scales = [float(s) for s in rng.uniform(0.5, 2.0, n)]
    shifts = [float(s) for s in rng.uniform(-1.0, 1.0, n)]
    calls = []

    def make(i):
        def hook(g):
            calls.append(i)
            return g * scales[i] + shifts[i]
        return hook

    handles = [target.register_hook(make(i)) for i in range(n)]
    removed = sorted(data.draw(st.sets(st.integers(0, n - 1)), label="removed"))
    for i in removed:
        handles[i].remove()
    for i in removed[:1]:
        handles[i].remove()
    active = [i for i in range(n) if i not in removed]
    registered = list(target._backward_hooks.values()) if target._backward_hooks is not None else []
    if len(registered) != len(active):
        raise Mismatch(f"_backward_hooks holds {len(registered)} hooks; {n} were registered and {len(removed)} "
                       f"removed")
    tail(z).backward(tensor(v_np, "float64", device))
    if calls != active:
        raise Mismatch(f"hooks ran in the order {calls}; registered {list(range(n))}, removed {removed}")
    g = v_np * c_np * (b_np if on == "leaf" else 1.0)
    for i in active:
        g = g * scales[i] + shifts[i]
    want = g if on == "leaf" else g * b_np
    _exact("a.grad", a.grad, want, device, rel=1e-14)


@pytest.mark.op("_backward_hooks")
def test_backward_hooks_attribute(device):
    """A new leaf has _backward_hooks None; registration adds the hook (in order), removal takes it out."""
    a = torch.ones(2, device=device, requires_grad=True)
    if a._backward_hooks is not None:
        raise Mismatch(f"a new leaf has _backward_hooks {a._backward_hooks!r}, expected None")

    def h1(g):
        return None

    def h2(g):
        return None
    first = a.register_hook(h1)
    second = a.register_hook(h2)
    if list(a._backward_hooks.values()) != [h1, h2]:
        raise Mismatch(f"_backward_hooks is {a._backward_hooks!r} after registering h1 then h2")
    first.remove()
    if list(a._backward_hooks.values()) != [h2]:
        raise Mismatch(f"_backward_hooks is {a._backward_hooks!r} after removing h1")
    second.remove()
    if len(a._backward_hooks) != 0:
        raise Mismatch(f"_backward_hooks is {a._backward_hooks!r} after removing both hooks")
    b = torch.ones(2, device=device)
    try:
        b.register_hook(h1)
    except RuntimeError as exc:
        if "doesn't require gradient" not in str(exc):
            raise Mismatch(f"register_hook on a tensor that does not require grad: {exc}") from exc
    else:
        raise Mismatch("register_hook on a tensor that does not require grad did not raise")


def _pad_first_row(g, shape):
    out = np.zeros(shape)
    out[1:] = g
    return out


NONLEAF_KINDS = {
    "a * b": lambda a, b: (a * b, lambda g: g),
    "(a * b).t()": lambda a, b: ((a * b).t(), lambda g: g.T),
    "(a * b)[1:]": lambda a, b: ((a * b)[1:], lambda g: _pad_first_row(g, tuple(a.shape))),
    "(a * b).reshape(-1)": lambda a, b: ((a * b).reshape(-1), lambda g: g.reshape(a.shape)),
}


@pytest.mark.op("retain_grad")
@given(kind=st.sampled_from(sorted(NONLEAF_KINDS)), shape=shapes(min_dims=2, max_dims=2, min_side=1),
       calls=st.integers(0, 2), passes=st.integers(1, 2), hooked=st.booleans(), seed=seeds)
def test_retain_grad(device, kind, shape, calls, passes, hooked, seed):
    """retain_grad (called once or twice) on a non-leaf, also a view, fills its .grad with the gradient, after
    the tensor's own hooks, accumulated over backward calls; retains_grad says so. Without it the .grad of a
    non-leaf is None and reading it warns. On a leaf, retain_grad changes nothing."""
    rng = np.random.default_rng(seed)
    a_np, b_np = values(rng, shape), values(rng, shape)
    a = tensor(a_np, "float64", device, requires_grad=True)
    b = tensor(b_np, "float64", device, requires_grad=True)
    z, to_input = NONLEAF_KINDS[kind](a, b)
    for _ in range(calls):
        z.retain_grad()
    if hooked:
        z.register_hook(lambda g: g * 3)
    v_np = values(rng, tuple(z.shape))
    for i in range(passes):
        z.backward(tensor(v_np, "float64", device), retain_graph=i + 1 < passes)
    want = v_np * passes * (3 if hooked else 1)
    if calls:
        if not z.retains_grad:
            raise Mismatch(f"{kind}: retains_grad is False after retain_grad()")
        _exact(f"({kind}).grad after retain_grad() x{calls} and {passes} backward call(s)", z.grad, want, device)
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = z.grad
        if g is not None or z.retains_grad:
            raise Mismatch(f"{kind}: a non-leaf without retain_grad has .grad {g}")
        if not any(NONLEAF_GRAD_WARNING in str(w.message) for w in caught):
            raise Mismatch(f"{kind}: reading .grad of a non-leaf gave no warning",
                           str([str(w.message) for w in caught]))
    _exact("a.grad", a.grad, to_input(want) * b_np, device)
    leaf = torch.ones(2, device=device, requires_grad=True)
    leaf.retain_grad()
    if leaf.retains_grad:
        raise Mismatch("retain_grad() on a leaf set retains_grad (documented: a no-op on leaves)")


@pytest.mark.op("register_post_accumulate_grad_hook")
@given(shape=shapes(max_dims=2), passes=st.integers(1, 2), seed=seeds)
def test_post_accumulate_grad_hook(device, shape, passes, seed):
    """The post-accumulate-grad hook of a leaf runs after .grad has been updated, once per backward, with the
    tensor itself; on a non-leaf it cannot be registered."""
    rng = np.random.default_rng(seed)
    a_np, v_np = values(rng, shape), values(rng, shape)
    a = tensor(a_np, "float64", device, requires_grad=True)
    seen = []
    a.register_post_accumulate_grad_hook(
        lambda p: seen.append((p is a, None if p.grad is None else p.grad.detach().clone())))
    for i in range(passes):
        (a * a).backward(tensor(v_np, "float64", device))
    if len(seen) != passes or not all(same for same, _ in seen):
        raise Mismatch(f"the post-accumulate-grad hook ran {len(seen)} times for {passes} backward calls")
    for i, (_, g) in enumerate(seen):
        _exact(f".grad seen by the hook after backward {i + 1}", g, 2 * a_np * v_np * (i + 1), device)
    z = a * 2
    try:
        z.register_post_accumulate_grad_hook(lambda p: None)
    except RuntimeError:
        return
    raise Mismatch("register_post_accumulate_grad_hook on a non-leaf did not raise")
