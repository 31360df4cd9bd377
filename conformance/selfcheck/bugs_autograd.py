"""Planted bugs for the autograd family: backward semantics and tensor hooks."""
from __future__ import annotations

import numbers

import torch

from conformance.selfcheck import PlantedBug, when

BACKWARD = ("conformance.suite.test_backward",)
HOOKS = ("conformance.suite.test_tensor_hooks",)


def _gradient(args, kwargs):
    return kwargs.get("gradient", args[0] if args else None)


def _storage_order(orig, self, *args, **kwargs):
    """backward reads a non-contiguous ``gradient`` in memory order instead of its logical order."""
    g = _gradient(args, kwargs)
    order = sorted(range(g.dim()), key=lambda d: -g.stride(d))
    flat = g.permute(order).contiguous().reshape(g.shape)
    args = args[1:] if args else args
    kwargs = {k: v for k, v in kwargs.items() if k != "gradient"}
    return orig(self, flat, *args, **kwargs)


def _drop_retain(orig, self, *args, **kwargs):
    g = _gradient(args, kwargs)
    return orig(self, g, retain_graph=False, create_graph=kwargs.get("create_graph", False))


def _noncontiguous_gradient(self, *args, **kwargs):
    g = _gradient(args, kwargs)
    return isinstance(g, torch.Tensor) and g.numel() > 1 and not g.is_contiguous()


def _gradient_and_retain(self, *args, **kwargs):
    retain = kwargs.get("retain_graph", args[1] if len(args) > 1 else None)
    return _gradient(args, kwargs) is not None and bool(retain)


def _set_to_none_false(self, *args, **kwargs):
    return kwargs.get("set_to_none", args[0] if args else True) is False


def _first_group_only(orig, self, *args, **kwargs):
    groups = self.param_groups
    self.param_groups = groups[:1]
    try:
        return orig(self, *args, **kwargs)
    finally:
        self.param_groups = groups


def _leaf_hook_result_dropped(orig, self, hook):
    def observe_only(grad):
        hook(grad)
        return None
    return orig(self, observe_only)


def _add_through_data(orig, self, other, *args, **kwargs):
    with torch.no_grad():
        self.data.add_(other, *args, **kwargs)
    return self


BUGS = [
    PlantedBug(
        "backward-gradient-memory-order", "autograd",
        "backward(gradient=v) reads a non-contiguous v in memory order (a transposed v is taken transposed)",
        "torch.Tensor.backward",
        when(_noncontiguous_gradient, _storage_order),
        "test_backward_gradient_is_vjp", BACKWARD),
    PlantedBug(
        "backward-retain-graph-dropped", "autograd",
        "backward(gradient=v, retain_graph=True) frees the graph anyway when a gradient is passed",
        "torch.Tensor.backward",
        when(_gradient_and_retain, _drop_retain),
        "test_second_backward_needs_retain_graph or test_gradients_accumulate", BACKWARD),
    PlantedBug(
        "module-zero-grad-false-sets-none", "autograd",
        "Module.zero_grad(set_to_none=False) sets the gradients to None instead of zeroing them",
        "torch.nn.Module.zero_grad",
        when(_set_to_none_false, lambda orig, self, *a, **k: orig(self, set_to_none=True)),
        "test_module_zero_grad", BACKWARD),
    PlantedBug(
        "optimizer-zero-grad-first-group", "autograd",
        "Optimizer.zero_grad resets only the first param group when there are several",
        "torch.optim.Optimizer.zero_grad",
        when(lambda self, *a, **k: len(self.param_groups) > 1, _first_group_only),
        "test_optimizer_zero_grad", BACKWARD),
    PlantedBug(
        "detach-copies-noncontiguous", "autograd",
        "detach() of a non-contiguous tensor returns a copy instead of a view of the same storage",
        "torch.Tensor.detach",
        when(lambda self: not self.is_contiguous(), lambda orig, self: orig(self).clone()),
        "test_detach_shares_storage_without_grad", BACKWARD),
    PlantedBug(
        "no-grad-not-restored-on-exception", "autograd",
        "leaving a torch.no_grad() block by an exception leaves grad mode disabled",
        "torch.no_grad.__exit__",
        when(lambda self, exc_type, *a: exc_type is not None, lambda orig, self, *a: None),
        "test_no_grad", BACKWARD),
    PlantedBug(
        "scalar-add-inplace-no-version-bump", "autograd",
        "in-place add_ of a Python number on a tensor that requires grad writes through .data: the version "
        "counter is not bumped, so a modified saved tensor goes undetected",
        "torch.Tensor.add_",
        when(lambda self, other, *a, **k: isinstance(other, numbers.Number) and self.requires_grad,
             _add_through_data),
        "test_inplace_on_saved_tensor_detected", BACKWARD),
    PlantedBug(
        "leaf-hook-result-ignored", "autograd",
        "a tensor hook registered on a leaf is called, but the gradient it returns is ignored",
        "torch.Tensor.register_hook",
        when(lambda self, hook: self.is_leaf, _leaf_hook_result_dropped),
        "test_hook_sees_and_replaces_gradient", HOOKS),
    PlantedBug(
        "retain-grad-ignored-on-view", "autograd",
        "retain_grad() on a non-leaf that is a view (t(), slicing, reshape) does nothing",
        "torch.Tensor.retain_grad",
        when(lambda self: self._base is not None, lambda orig, self: None),
        "test_retain_grad", HOOKS),
]
