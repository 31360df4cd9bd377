"""Planted bugs for the modules family: nn.Module semantics, containers, module hooks, the reference network."""
from __future__ import annotations

import functools

import torch

from conformance.selfcheck import PlantedBug, when

MODULES = ("conformance.suite.test_modules",)
HOOKS = ("conformance.suite.test_module_hooks",)
NETWORK = ("conformance.suite.test_reference_network",)


def _hook_wrapper(make):
    """A ``wrap`` for a ``register_*_hook`` method: the user's hook is replaced by ``make(hook)``."""
    def wrap(original):
        @functools.wraps(original)
        def planted(self, hook, *args, **kwargs):
            return original(self, make(hook, kwargs), *args, **kwargs)
        return planted
    return wrap


def _grad_output_as_input(hook, kwargs):
    def wrong(module, grad_input, grad_output):
        same = (len(grad_input) == len(grad_output) == 1 and grad_input[0] is not None
                and grad_output[0] is not None and grad_input[0].shape == grad_output[0].shape)
        return hook(module, grad_output if same else grad_input, grad_output)
    return wrong


def _single_tensor_result_dropped(hook, kwargs):
    if kwargs.get("with_kwargs"):
        return hook

    def wrong(module, args):
        out = hook(module, args)
        return None if isinstance(out, torch.Tensor) else out
    return wrong


def _remove_noop_when_several(orig, self):
    return None


def _several_hooks(self):
    hooks = self.hooks_dict_ref()
    return hooks is not None and len(hooks) > 1


def _has_grandchildren(self):
    return any(len(child._modules) for child in self._modules.values() if child is not None)


def _recursive_children(orig, self):
    return ((name, m) for name, m in self.named_modules() if name)


def _keep_duplicates(orig, self, memo=None, prefix="", remove_duplicate=True):
    return orig(self, memo, prefix, False)


def _strict_false(self, *args, **kwargs):
    return kwargs.get("strict", args[1] if len(args) > 1 else True) is False


def _raise_on_unexpected(orig, self, *args, **kwargs):
    result = orig(self, *args, **kwargs)
    if result.unexpected_keys:
        raise RuntimeError("Error(s) in loading state_dict: Unexpected key(s) in state_dict: "
                           + ", ".join(f'"{k}"' for k in result.unexpected_keys))
    return result


def _apply_root_first(orig, self, fn):
    fn(self)
    for child in self.children():
        child.apply(fn)
    return self


def _persistent_anyway(orig, self, name, tensor, persistent=True):
    return orig(self, name, tensor, persistent=True)


def _train_children_only(orig, self, mode=True):
    self.training = mode
    for child in self.children():
        child.training = mode
    return self


def _casts_integer_buffers(orig, self, *args, **kwargs):
    out = orig(self, *args, **kwargs)
    dtype = torch._C._nn._parse_to(*args, **kwargs)[1]
    if dtype is not None and dtype.is_floating_point:
        for m in self.modules():
            for name, buf in m._buffers.items():
                if buf is not None and not buf.is_floating_point() and not buf.is_complex():
                    m._buffers[name] = buf.to(dtype)
    return out


def _first_slice_weight_grad(orig, self, x):
    F = torch.nn.functional
    first = F.linear(x[:1], self.weight, self.bias)
    rest = F.linear(x[1:], self.weight.detach(), self.bias)
    return torch.cat([first, rest])


BUGS = [
    PlantedBug(
        "full-backward-hook-grad-output-as-input", "modules",
        "a full backward hook receives grad_output in place of grad_input when the module's input and output "
        "have the same shape",
        "torch.nn.Module.register_full_backward_hook",
        _hook_wrapper(_grad_output_as_input),
        "test_full_backward_hook", HOOKS),
    PlantedBug(
        "hook-handle-remove-noop-when-several", "modules",
        "RemovableHandle.remove() does nothing when more than one hook is registered in its dict",
        "torch.utils.hooks.RemovableHandle.remove",
        when(_several_hooks, _remove_noop_when_several),
        "test_hook_order_prepend_and_removal", HOOKS),
    PlantedBug(
        "forward-pre-hook-single-tensor-ignored", "modules",
        "a forward pre-hook returning a single tensor (not a tuple) has its result ignored",
        "torch.nn.Module.register_forward_pre_hook",
        _hook_wrapper(_single_tensor_result_dropped),
        "test_forward_pre_hook", HOOKS),
    PlantedBug(
        "named-children-recurses", "modules",
        "named_children() also yields grandchildren when a child has children of its own",
        "torch.nn.Module.named_children",
        when(_has_grandchildren, _recursive_children),
        "test_named_children_and_named_modules", MODULES),
    PlantedBug(
        "named-modules-keeps-duplicates", "modules",
        "named_modules() yields a module held at several places once per place, remove_duplicate ignored",
        "torch.nn.Module.named_modules",
        when(lambda *a, **k: True, _keep_duplicates),
        "test_named_children_and_named_modules", MODULES),
    PlantedBug(
        "load-state-dict-nonstrict-raises", "modules",
        "load_state_dict(strict=False) raises when the state dict has unexpected keys",
        "torch.nn.Module.load_state_dict",
        when(_strict_false, _raise_on_unexpected),
        "test_load_state_dict_missing_and_unexpected", MODULES),
    PlantedBug(
        "moduledict-sorted-over-three-keys", "modules",
        "iterating a ModuleDict of more than three keys gives them sorted instead of in insertion order",
        "torch.nn.ModuleDict.__iter__",
        when(lambda self: len(self._modules) > 3, lambda orig, self: iter(sorted(self._modules))),
        "test_module_dict", MODULES),
    PlantedBug(
        "sequential-slice-returns-list", "modules",
        "slicing a Sequential returns a list of modules instead of a Sequential",
        "torch.nn.Sequential.__getitem__",
        when(lambda self, idx: isinstance(idx, slice), lambda orig, self, idx: list(self._modules.values())[idx]),
        "test_sequential", MODULES),
    PlantedBug(
        "apply-visits-root-first", "modules",
        "Module.apply calls fn on a module before its children (pre-order) when it has children",
        "torch.nn.Module.apply",
        when(lambda self, fn: len(self._modules) > 0, _apply_root_first),
        "test_apply", MODULES),
    PlantedBug(
        "nonpersistent-buffer-saved", "modules",
        "register_buffer(persistent=False) registers a persistent buffer (it shows in state_dict)",
        "torch.nn.Module.register_buffer",
        when(lambda self, name, tensor, persistent=True: not persistent and tensor is not None, _persistent_anyway),
        "test_parameters_buffers_and_plain_tensors", MODULES),
    PlantedBug(
        "train-not-recursive", "modules",
        "train(mode) / eval() set the flag of the module and its children but not of deeper descendants",
        "torch.nn.Module.train",
        when(lambda self, mode=True: _has_grandchildren(self), _train_children_only),
        "test_train_eval_propagate", MODULES),
    PlantedBug(
        "to-dtype-casts-integer-buffers", "modules",
        "module.to(dtype) casts integer buffers to the floating dtype as well",
        "torch.nn.Module.to",
        when(lambda self, *a, **k: any(not b.is_floating_point() for b in self.buffers()), _casts_integer_buffers),
        "test_to_dtype", MODULES),
    PlantedBug(
        "gelu-tanh-approximation-float32", "modules",
        "GELU on float32 inputs computes the tanh approximation instead of the exact erf form",
        "torch.nn.functional.gelu",
        when(lambda x, *a, **k: x.dtype == torch.float32,
             lambda orig, x, *a, **k: orig(x, approximate="tanh")),
        "test_reference_network", NETWORK),
    PlantedBug(
        "linear-weight-grad-first-batch-slice", "modules",
        "Linear's weight gradient counts only the first slice of the leading batch dim when the input has more "
        "than two dims",
        "torch.nn.Linear.forward",
        when(lambda self, x: x.dim() > 2 and x.shape[0] > 1, _first_slice_weight_grad),
        "test_reference_network", NETWORK),
]
