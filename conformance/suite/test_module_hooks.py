"""Module hooks: forward pre-hooks, forward hooks, full backward (pre-)hooks, state-dict hooks, global hooks,
their order and their removal.

Documented in https://pytorch.org/docs/stable/generated/torch.nn.Module.html (``register_forward_pre_hook``,
``register_forward_hook``, ``register_full_backward_hook``, ``register_full_backward_pre_hook``,
``register_state_dict_pre_hook``, ``register_state_dict_post_hook``, ``register_load_state_dict_pre_hook``,
``register_load_state_dict_post_hook``) and https://pytorch.org/docs/stable/nn.html#global-hooks-for-module
(``torch.nn.modules.module.register_module_forward_pre_hook`` and friends). In torch 2.13 the state-dict post
hook is public (``register_state_dict_post_hook``, must return None); ``_register_state_dict_hook`` (private)
may also return a new dict, honoured only at the root.
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
from conformance.strategies.networks import networks
from conformance.suite.test_backward import check_grad, raises, tensor, values

pytestmark = pytest.mark.modules

NO_INPUT_GRAD_WARNING = "Full backward hook is firing when gradients are computed with respect to module outputs"
POST_HOOK_NONE = "state_dict post-hook must return None"


class Affine(torch.nn.Module):
    """y = x * scale + shift, with ``shift`` a parameter."""

    def __init__(self, shift):
        super().__init__()
        self.shift = torch.nn.Parameter(shift)

    def forward(self, x, scale=1.0):
        return x * scale + self.shift


def _close(what, actual, expected, device, rel=1e-14, magnitude=None, terms=1):
    """Within ``rel`` of the expected values, or, for a sum of ``terms`` products whose absolute values sum to
    ``magnitude``, within the rounding error bound gamma_{terms+2} * magnitude."""
    tol = np.abs(expected) * rel + 1e-300
    if magnitude is not None:
        k = (terms + 2) * float(np.finfo(np.float64).eps)
        tol = np.maximum(tol, k / (1 - k) * magnitude)
    check_grad(what, actual, expected, tol, "float64", device)


# ---- forward pre-hooks and forward hooks --------------------------------------------------------------------

@pytest.mark.op("register_forward_pre_hook")
@given(shape=shapes(max_dims=3), returns=st.sampled_from(["none", "tuple", "tensor"]), with_kwargs=st.booleans(),
       seed=seeds)
def test_forward_pre_hook(device, shape, returns, with_kwargs, seed):
    """The pre-hook sees the positional inputs (a tuple holding the very tensor passed) and, with_kwargs, the
    keyword arguments; what it returns replaces them: a tuple, or a single value (wrapped into a tuple), or with
    with_kwargs an (args, kwargs) pair; None keeps them."""
    rng = np.random.default_rng(seed)
    x_np, s_np = values(rng, shape), values(rng, shape)
    m = Affine(tensor(s_np, "float64", device))
    x = tensor(x_np, "float64", device)
    seen = []

    if with_kwargs:
        def hook(mod, args, kwargs):
            seen.append((mod, args, dict(kwargs)))
            if returns == "none":
                return None
            return (args[0] * 2 + 1,), {**kwargs, "scale": 3.0}
    else:
        def hook(mod, args):
            seen.append((mod, args, None))
            new = args[0] * 2 + 1
            return {"none": None, "tuple": (new,), "tensor": new}[returns]
    m.register_forward_pre_hook(hook, with_kwargs=with_kwargs)
    out = m(x, scale=0.5)
    if len(seen) != 1:
        raise Mismatch(f"the forward pre-hook was called {len(seen)} times for one call")
    mod, args, kwargs = seen[0]
    if mod is not m or not isinstance(args, tuple) or len(args) != 1 or args[0] is not x:
        raise Mismatch(f"the forward pre-hook got ({type(mod).__name__}, {args!r}); expected the module and (x,)")
    if with_kwargs and kwargs != {"scale": 0.5}:
        raise Mismatch(f"the with_kwargs pre-hook got kwargs {kwargs}, expected {{'scale': 0.5}}")
    replaced = returns != "none"
    x_used = x_np * 2 + 1 if replaced else x_np
    scale = 3.0 if with_kwargs and replaced else 0.5
    _close(f"output after a pre-hook returning {returns} (with_kwargs={with_kwargs})", out,
           x_used * scale + s_np, device)


@pytest.mark.op("register_forward_hook")
@given(shape=shapes(max_dims=3), replace=st.booleans(), with_kwargs=st.booleans(), seed=seeds)
def test_forward_hook(device, shape, replace, with_kwargs, seed):
    """The forward hook gets the module, its positional inputs, (with_kwargs: its keyword arguments) and its
    output; a returned value replaces the output, None keeps it."""
    rng = np.random.default_rng(seed)
    x_np, s_np = values(rng, shape), values(rng, shape)
    m = Affine(tensor(s_np, "float64", device))
    x = tensor(x_np, "float64", device)
    seen = []

    def body(mod, args, kwargs, output):
        seen.append((mod, args, kwargs, output.detach().clone()))
        return output * output if replace else None
    if with_kwargs:
        m.register_forward_hook(lambda mod, args, kwargs, output: body(mod, args, dict(kwargs), output),
                                with_kwargs=True)
    else:
        m.register_forward_hook(lambda mod, args, output: body(mod, args, None, output))
    out = m(x, scale=2.0)
    if len(seen) != 1:
        raise Mismatch(f"the forward hook was called {len(seen)} times for one call")
    mod, args, kwargs, output = seen[0]
    if mod is not m or not isinstance(args, tuple) or len(args) != 1 or args[0] is not x:
        raise Mismatch(f"the forward hook got ({type(mod).__name__}, {args!r}); expected the module and (x,)")
    if with_kwargs and kwargs != {"scale": 2.0}:
        raise Mismatch(f"the with_kwargs forward hook got kwargs {kwargs}")
    y = x_np * 2.0 + s_np
    _close("output seen by the forward hook", output, y, device)
    _close(f"module output (hook {'replaces' if replace else 'keeps'} it)", out, y * y if replace else y, device)


@pytest.mark.op("register_forward_hook")
def test_forward_hook_always_call(device):
    """A forward hook registered with always_call=True runs even when forward raises; others do not."""
    class Failing(torch.nn.Module):
        def forward(self, x):
            raise ValueError("forward failed")
    m = Failing()
    calls = []
    m.register_forward_hook(lambda *a: calls.append("plain"))
    m.register_forward_hook(lambda *a: calls.append("always"), always_call=True)
    raises(ValueError, "forward failed", lambda: m(torch.ones(1, device=device)))
    if calls != ["always"]:
        raise Mismatch(f"hooks called when forward raised: {calls}, expected ['always']")


# ---- full backward hooks --------------------------------------------------------------------------------------

@pytest.mark.op("register_full_backward_hook")
@given(n_in=st.integers(0, 5), n_out=st.integers(0, 5), rows=st.integers(0, 3), x_grad=st.booleans(),
       replace=st.booleans(), pre=st.sampled_from(["none", "observe", "replace"]), seed=seeds)
def test_full_backward_hook(device, n_in, n_out, rows, x_grad, replace, pre, seed):
    """On a Linear layer y = x W^T + b: the full backward pre-hook gets grad_output = (v,) and may replace it;
    the full backward hook gets grad_output (after the pre-hook) and grad_input = (grad_output[0] W,) — (None,)
    when x does not require grad, with the documented warning — and a returned tuple replaces grad_input, which
    is what x.grad receives. Parameter gradients use the (possibly replaced) grad_output."""
    rng = np.random.default_rng(seed)
    W_np, b_np = values(rng, (n_out, n_in)), values(rng, (n_out,))
    x_np, v_np, r_np, q_np = (values(rng, (rows, n_in)), values(rng, (rows, n_out)), values(rng, (rows, n_in)),
                              values(rng, (rows, n_out)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zero-element initialisation
        lin = torch.nn.Linear(n_in, n_out, dtype=torch.float64).to(device)
    with torch.no_grad():
        lin.weight.copy_(tensor(W_np, "float64", device))
        lin.bias.copy_(tensor(b_np, "float64", device))
    x = tensor(x_np, "float64", device, requires_grad=x_grad)
    seen, seen_pre = [], []

    def pre_hook(mod, grad_output):
        seen_pre.append(tuple(g.detach().clone() for g in grad_output))
        return (tensor(q_np, "float64", device),) if pre == "replace" else None

    def hook(mod, grad_input, grad_output):
        seen.append(([None if g is None else g.detach().clone() for g in grad_input],
                     [g.detach().clone() for g in grad_output]))
        if replace and x_grad:
            return (tensor(r_np, "float64", device),)
        return None
    if pre != "none":
        lin.register_full_backward_pre_hook(pre_hook)
    lin.register_full_backward_hook(hook)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lin(x).backward(tensor(v_np, "float64", device))
    if len(seen) != 1 or (pre != "none" and len(seen_pre) != 1):
        raise Mismatch(f"backward hooks called {len(seen)} (pre: {len(seen_pre)}) times in one backward")
    g_out = q_np if pre == "replace" else v_np
    if pre != "none":
        _close("grad_output seen by the full backward pre-hook", seen_pre[0][0], v_np, device)
    grad_input, grad_output = seen[0]
    if len(grad_input) != 1 or len(grad_output) != 1:
        raise Mismatch(f"grad_input has {len(grad_input)} entries, grad_output {len(grad_output)}; expected 1 and 1")
    _close("grad_output seen by the full backward hook", grad_output[0], g_out, device)
    gx_mag = dict(magnitude=np.abs(g_out) @ np.abs(W_np), terms=n_out)
    if x_grad:
        _close("grad_input seen by the full backward hook", grad_input[0], g_out @ W_np, device, **gx_mag)
        if replace:
            _close("x.grad", x.grad, r_np, device)
        else:
            _close("x.grad", x.grad, g_out @ W_np, device, **gx_mag)
    else:
        if grad_input[0] is not None:
            raise Mismatch("grad_input[0] is not None although x does not require grad")
        if not any(NO_INPUT_GRAD_WARNING in str(w.message) for w in caught):
            raise Mismatch("no warning that the full backward hook fired without input gradients")
    _close("weight.grad", lin.weight.grad, g_out.T @ x_np, device, magnitude=np.abs(g_out).T @ np.abs(x_np),
           terms=rows)
    _close("bias.grad", lin.bias.grad, g_out.sum(axis=0), device, magnitude=np.abs(g_out).sum(axis=0), terms=rows)


# ---- state-dict hooks -----------------------------------------------------------------------------------------

@pytest.mark.op("state_dict_hooks")
@given(spec=networks(), keep_vars=st.booleans())
def test_state_dict_pre_and_post_hooks(device, spec, keep_vars):
    """state_dict calls the pre-hook (module, prefix, keep_vars) and the post-hook (module, state_dict, prefix,
    local_metadata) of every module at every place it holds in the tree (prefix: the module's qualified name
    and a dot); a post-hook may add entries in place."""
    model, _ = spec.build(torch.float64, device)
    modules = {name: model.get_submodule(name) for name, _, _ in spec.paths()}
    pre, post = [], []
    for m in {id(m): m for m in modules.values()}.values():
        m.register_state_dict_pre_hook(lambda mod, prefix, kv: pre.append((id(mod), prefix, kv)))

        def add(mod, sd, prefix, meta):
            post.append((id(mod), prefix))
            sd[prefix + "_tag"] = torch.zeros(1)
        m.register_state_dict_post_hook(add)
    sd = model.state_dict(keep_vars=keep_vars)
    want = sorted((id(modules[name]), name + "." if name else "") for name, _, _ in spec.paths())
    got_pre = sorted((i, p) for i, p, _ in pre)
    if got_pre != want or any(kv is not keep_vars for _, _, kv in pre):
        raise Mismatch("state_dict pre-hooks: called with (module, prefix) "
                       f"{[p for _, p, _ in pre]}, expected {[p for _, p in want]} (keep_vars={keep_vars})")
    if sorted(post) != want:
        raise Mismatch(f"state_dict post-hooks: called with prefixes {[p for _, p in post]}, expected "
                       f"{[p for _, p in want]}")
    tags = sorted(k for k in sd if k.endswith("_tag"))
    if tags != sorted(p + "_tag" for _, p in want):
        raise Mismatch(f"entries added in place by post-hooks: {tags}")


@pytest.mark.op("state_dict_hooks")
def test_state_dict_post_hook_return_and_private_hook(device):
    """The public post-hook must return None (documented RuntimeError otherwise); the private
    _register_state_dict_hook may return a new dict, which state_dict returns when the hook is on the root."""
    m = torch.nn.Sequential(torch.nn.Linear(2, 2)).to(device)
    h = m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: {"other": torch.ones(1)})
    raises(RuntimeError, POST_HOOK_NONE, m.state_dict)
    h.remove()
    if sorted(m.state_dict()) != ["0.bias", "0.weight"]:
        raise Mismatch("a removed post-hook still acts")
    m._register_state_dict_hook(lambda mod, sd, prefix, meta: {"replaced": torch.ones(1)})
    if list(m.state_dict()) != ["replaced"]:
        raise Mismatch(f"_register_state_dict_hook on the root returning a new dict: state_dict() gave "
                       f"{list(m.state_dict())}")
    inner = torch.nn.Sequential(torch.nn.Linear(2, 2)).to(device)
    inner[0]._register_state_dict_hook(lambda mod, sd, prefix, meta: {"ignored": torch.ones(1)})
    if sorted(inner.state_dict()) != ["0.bias", "0.weight"]:
        raise Mismatch(f"a new dict returned by a child's state-dict hook was used: {list(inner.state_dict())}")


@pytest.mark.op("state_dict_hooks")
@given(strict=st.booleans(), clear=st.booleans(), seed=seeds)
def test_load_state_dict_hooks(device, strict, clear, seed):
    """The load pre-hook gets (module, state_dict, prefix, local_metadata, strict, missing_keys,
    unexpected_keys, error_msgs) for every module and may rename keys in place (a legacy layout loads);
    the load post-hook gets (module, incompatible_keys) and clearing the keys there avoids the strict error."""
    rng = np.random.default_rng(seed)
    src = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1)).double().to(device)
    dst = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1)).double().to(device)
    with torch.no_grad():
        for p in src.parameters():
            p.copy_(tensor(values(rng, tuple(p.shape)), "float64", device))
    legacy = {k.replace("weight", "kernel"): v for k, v in src.state_dict().items()}
    legacy["stale"] = torch.zeros(1)
    pre_calls, post_calls = [], []

    def rename(mod, sd, prefix, meta, strict_arg, missing, unexpected, errors):
        pre_calls.append((prefix, strict_arg))
        if prefix + "kernel" in sd:
            sd[prefix + "weight"] = sd.pop(prefix + "kernel")

    def post(mod, incompatible):
        post_calls.append((list(incompatible.missing_keys), list(incompatible.unexpected_keys)))
        if clear:
            incompatible.unexpected_keys.clear()
    for name in ("0", "1"):
        dst.get_submodule(name).register_load_state_dict_pre_hook(rename)
    dst.register_load_state_dict_post_hook(post)
    if strict and not clear:
        raises(RuntimeError, 'Unexpected key(s) in state_dict: "stale"',
               lambda: dst.load_state_dict(legacy, strict=True))
    else:
        result = dst.load_state_dict(legacy, strict=strict)
        want_unexpected = [] if clear else ["stale"]
        if list(result.missing_keys) != [] or list(result.unexpected_keys) != want_unexpected:
            raise Mismatch(f"load_state_dict returned {result}, expected missing [] and unexpected "
                           f"{want_unexpected}")
    # the strict value the pre-hooks see is pinned apart (divergence load-state-dict-pre-hook-strict-always-true)
    if sorted(p for p, _ in pre_calls) != ["0.", "1."]:
        raise Mismatch(f"load pre-hooks called with prefixes {[p for p, _ in pre_calls]}, expected ['0.', '1.']")
    if post_calls != [([], ["stale"])]:
        raise Mismatch(f"load post-hook got incompatible keys {post_calls}, expected ([], ['stale'])")
    for (k, a), b in zip(src.state_dict().items(), dst.state_dict().values()):
        if not torch.equal(a, b):
            raise Mismatch(f"{k} was not loaded through the renaming pre-hook")


@pytest.mark.op("state_dict_hooks")
@pytest.mark.divergence("load-state-dict-pre-hook-strict-always-true")
def test_load_pre_hook_sees_strict_true(device):
    """Pinned: with strict=False the load pre-hook still gets strict=True (torch 2.13, pytorch#156177)."""
    m = torch.nn.Linear(2, 2).to(device)
    seen = []
    m.register_load_state_dict_pre_hook(lambda mod, sd, prefix, meta, strict, *rest: seen.append(strict))
    m.load_state_dict(m.state_dict(), strict=False)
    m.load_state_dict(m.state_dict(), strict=True)
    if seen != [True, True]:
        raise Mismatch(f"divergence load-state-dict-pre-hook-strict-always-true no longer holds: the pre-hook saw "
                       f"strict {seen} for load_state_dict(strict=False) then strict=True")


# ---- global hooks and order -----------------------------------------------------------------------------------

@pytest.mark.op("register_module_forward_hook")
@given(spec=networks())
def test_global_module_hooks(device, spec):
    """Global forward pre-hooks, forward hooks and full backward hooks fire for every module call of a
    network (pre-hooks in call order, forward hooks when each call returns, backward hooks once per call, the
    root's last), before the module's own hooks; after removal they no longer fire."""
    model, _ = spec.build(torch.float64, device)
    x, g = spec.torch_input(torch.float64, device)
    names = {id(model.get_submodule(n)): n for n in reversed(spec.calls())}
    pre, fwd, bwd = [], [], []
    mod = torch.nn.modules.module
    handles = [mod.register_module_forward_pre_hook(lambda m, a: pre.append(names.get(id(m), "?"))),
               mod.register_module_forward_hook(lambda m, a, o: fwd.append(names.get(id(m), "?"))),
               mod.register_module_full_backward_hook(lambda m, gi, go: bwd.append(names.get(id(m), "?")))]
    model.register_forward_pre_hook(lambda m, a: pre.append("root-own"))
    try:
        out = model(x)
        out.backward(g)
    finally:
        for h in handles:
            h.remove()
    canon = [names[id(model.get_submodule(n))] for n in spec.calls()]
    want_pre = canon[:1] + ["root-own"] + canon[1:]
    if pre != want_pre:
        raise Mismatch(f"global forward pre-hooks fired for {pre}, expected {want_pre}")
    want_fwd = _post_order(spec, canon)
    if fwd != want_fwd:
        raise Mismatch(f"global forward hooks fired for {fwd}, expected {want_fwd}")
    if sorted(bwd) != sorted(canon) or bwd[-1:] != canon[:1]:
        raise Mismatch(f"global full backward hooks fired for {bwd}, expected each of {canon} once, root last")
    pre.clear()
    model(x)
    if pre != ["root-own"]:
        raise Mismatch(f"after removing the global hooks, pre-hooks fired for {pre}")


def _post_order(spec, canon):
    """Forward hooks fire when a call returns: the steps in order, each inner container after its steps, the
    root last."""
    if spec.container != "nested":
        return canon[1:] + canon[:1]
    out, i = [], 1
    for kind, lo, hi in spec.groups:
        group = canon[i]
        out += canon[i + 1:i + 1 + hi - lo] + [group]
        i += 1 + hi - lo
    return out + canon[:1]


#: one registration: (kind, prepend, global)
REGISTRATIONS = st.lists(st.tuples(st.sampled_from(["pre", "fwd"]), st.booleans(), st.booleans()),
                         min_size=1, max_size=6)


@pytest.mark.op("hook_order")
@given(regs=REGISTRATIONS, data=st.data())
def test_hook_order_prepend_and_removal(device, regs, data):
    """Hooks of one kind run in registration order, a prepend=True one before all that were there; global hooks
    run before the module's own; removing hooks through their handles (or leaving a `with handle:` block)
    removes exactly those."""
    m = torch.nn.Linear(2, 2).to(device)
    calls = []
    own = {"pre": [], "fwd": []}
    glob = {"pre": [], "fwd": []}
    handles = []
    try:
        for i, (kind, prepend, is_global) in enumerate(regs):
            def hook(*args, i=i):
                calls.append(i)
            if is_global:
                register = getattr(torch.nn.modules.module,
                                   "register_module_forward_pre_hook" if kind == "pre"
                                   else "register_module_forward_hook")
                handles.append(register(hook))
                glob[kind].append(i)
            else:
                register = m.register_forward_pre_hook if kind == "pre" else m.register_forward_hook
                handles.append(register(hook, prepend=prepend))
                if prepend:
                    own[kind].insert(0, i)
                else:
                    own[kind].append(i)
        removed = data.draw(st.sets(st.integers(0, len(regs) - 1)), label="removed")
        in_block = data.draw(st.sets(st.sampled_from(sorted(removed))) if removed else st.just(set()),
                             label="removed by a with block")
        for i in sorted(removed - in_block):
            handles[i].remove()
        for i in sorted(in_block):
            with handles[i]:
                pass
        m(torch.ones(2, device=device))
    finally:
        for h in handles:
            h.remove()
    want = [i for kind in ("pre", "fwd") for i in glob[kind] + own[kind] if i not in removed]
    if calls != want:
        raise Mismatch(f"hooks ran in the order {calls}, expected {want}",
                       f"registrations (kind, prepend, global): {regs}; removed {sorted(removed)}")
