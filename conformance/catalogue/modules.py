"""Known divergences of torch.nn.Module semantics, pinned by bespoke tests in conformance/suite/test_modules.py
and test_module_hooks.py.

The reference here is the documented contract (there is no NumPy counterpart): numpy_behaviour states it."""
from conformance.catalogue.entry import Divergence

DIVERGENCES = [
    Divergence(id="load-state-dict-pre-hook-strict-always-true", op="state_dict_hooks", family="modules",
        condition="load_state_dict(sd, strict=False) on a module with a register_load_state_dict_pre_hook hook",
        torch_behaviour="the hook's strict argument is True: load_state_dict always calls _load_from_state_dict "
                        "with strict=True and applies the user's strict only at the end",
        numpy_behaviour="the documented hook signature hook(module, state_dict, prefix, local_metadata, strict, ...) "
                        "passes the strict of the load_state_dict call",
        reference="https://github.com/pytorch/pytorch/issues/156177",
        kind="bug",),
    Divergence(id="modulelist-insert-index-out-of-range", op="ModuleList", family="modules",
        condition="ModuleList.insert(index, module) with index < 0 or index > len(list)",
        torch_behaviour="a negative index raises KeyError('-1') after shifting the entries (a non-empty list is left "
                        "with its first module twice); an index past the end registers the module under str(index), so "
                        "len() grows but ml[len - 1] raises KeyError. ml = ModuleList([ReLU(), Tanh(), Sigmoid()]); "
                        "ml.insert(-1, GELU()) -> KeyError, ml is [ReLU, ReLU, Tanh, Sigmoid]",
        numpy_behaviour="Python's list.insert (which ModuleList mirrors and Sequential.insert follows): a negative "
                        "index counts from the end, one past the end appends",
        reference="https://pytorch.org/docs/stable/generated/torch.nn.ModuleList.html (no torch issue found; "
                  "Sequential.insert normalises negative indices)",
        kind="bug",),
]
