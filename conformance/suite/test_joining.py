"""Bespoke joining/splitting tests: which results alias their input, and tensor_split with a tensor argument.

* The pieces of ``split``, ``tensor_split``, ``chunk``, ``unbind``, ``hsplit``/``vsplit``/``dsplit`` are views of
  the input (NumPy's ``array_split`` & co. return views too): each shares storage with it exactly when NumPy's
  piece shares memory with the same-strided array, and a write through a piece shows in the input where
  NumPy's piece maps. ``cat``/``stack``/``hstack``/... results never alias their inputs.
* ``tensor_split`` also takes its sections (0-d) or split points (1-D) as an int64 tensor on the CPU (documented),
  with the same result as the ints.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import catalogue, dtypes
from conformance.check import Mismatch
from conformance.compare import compare
from conformance.references import joining as R
from conformance.strategies import LAYOUTS
from conformance.strategies import indexing as I

pytestmark = pytest.mark.joining


def _unbind(a, dim=0):
    if a.ndim == 0:
        raise ValueError("unbind of a 0-d array")
    d = dim % a.ndim
    return [a[(slice(None),) * d + (i, Ellipsis)] for i in range(a.shape[d])]


#: op -> NumPy counterpart keeping NumPy's views (chunk: torch's documented piece sizes, as slices)
SPLITS = {
    "split": R.split, "split_sizes": R.split, "tensor_split": R.tensor_split,
    "tensor_split_indices": R.tensor_split, "chunk": R.chunk_torch, "unbind": _unbind,
    "hsplit": np.hsplit, "vsplit": np.vsplit, "dsplit": np.dsplit,
}
JOINS = ("cat", "stack", "hstack", "vstack", "dstack", "column_stack")


def _labelled(case, layouts_, device):
    sample = case.with_layouts(layouts_).sample("ordinary")
    args, kwargs, tensors = sample.torch_inputs(device)
    return sample, args, kwargs, tensors


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in SPLITS])
@given(data=st.data())
def test_split_pieces_are_views(name, device, data):
    """Each non-empty piece shares the input's storage as NumPy's piece shares memory; writes go through."""
    op = catalogue.by_name(name)
    case = data.draw(op.strategy("float32"), label="case")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    sample, args, kwargs, tensors = _labelled(case, [layout], device)
    x, values = tensors[0], sample.arrays[0]
    labels = I.numpy_layout(np.arange(values.size, dtype=np.int64).reshape(values.shape), layout)
    try:
        pieces, t_exc = op.call(args, kwargs), None
    except Exception as exc:  # noqa: BLE001
        pieces, t_exc = None, exc
    try:
        mapped, n_exc = SPLITS[name](labels, *sample.args[1:], **sample.kwargs), None
    except Exception as exc:  # noqa: BLE001
        mapped, n_exc = None, exc
    if (t_exc is None) != (n_exc is None):
        raise Mismatch(f"{name}: torch {'raised ' + repr(t_exc) if t_exc else 'returned'}, NumPy "
                       f"{'raised ' + repr(n_exc) if n_exc else 'returned'}", inputs=repr(sample.case))
    if t_exc is not None:
        return
    if len(pieces) != len(mapped):
        raise Mismatch(f"{name}: {len(pieces)} pieces, NumPy {len(mapped)}", inputs=repr(sample.case))
    for k, (p, m) in enumerate(zip(pieces, mapped)):
        if m.size == 0 or values.size == 0:
            continue
        t_shares = p.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
        if t_shares != bool(np.shares_memory(m, labels)):
            raise Mismatch(f"{name}: piece {k} {'shares' if t_shares else 'does not share'} the input's storage, "
                           f"NumPy's piece {'does not' if t_shares else 'does'}", inputs=repr(sample.case))
        if t_shares and layout != "expanded":
            p.copy_(torch.full(p.shape, -1.0 - k, device=device))
            if not np.all(dtypes.to_numpy(x).reshape(-1)[m.reshape(-1)] == -1.0 - k):
                raise Mismatch(f"{name}: a write through piece {k} is not in the input where NumPy's piece maps",
                               inputs=repr(sample.case))


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in JOINS])
@given(data=st.data())
def test_join_results_are_new(name, device, data):
    """cat, stack & co. write a new tensor: it shares no storage with any input."""
    op = catalogue.by_name(name)
    case = data.draw(op.strategy("float32"), label="case")
    n = len(case.specs)
    chosen = data.draw(st.lists(st.sampled_from(LAYOUTS), min_size=n, max_size=n), label="layouts")
    sample, args, kwargs, tensors = _labelled(case, chosen, device)
    try:
        out = op.call(args, kwargs)
    except (RuntimeError, ValueError, IndexError, TypeError):
        return
    if out.numel() == 0:
        return
    for i, t in enumerate(tensors):
        if t.numel() and out.untyped_storage().data_ptr() == t.untyped_storage().data_ptr():
            raise Mismatch(f"{name}: the result shares storage with input {i}", inputs=repr(sample.case))


@pytest.mark.op("tensor_split")
@given(data=st.data())
def test_tensor_split_tensor_argument(device, data):
    """tensor_split(x, t, dim) with t an int64 CPU tensor: 0-d gives sections, 1-D split points."""
    op = catalogue.by_name("tensor_split_indices" if data.draw(st.booleans(), label="indices") else "tensor_split")
    case = data.draw(op.strategy("float32"), label="case")
    sample = case.sample("ordinary")
    x_np, arg, dim = sample.args
    if x_np.ndim == 0 or (not isinstance(arg, list) and arg <= 0):
        return
    x = dtypes.to_torch(x_np, device)
    got = torch.tensor_split(x, torch.tensor(arg, dtype=torch.int64), dim)
    want = np.array_split(x_np, arg, axis=dim)
    diff = compare(got, want)
    if diff is not None:
        raise Mismatch(f"tensor_split with a tensor argument {arg!r}: {diff}", inputs=repr(sample.case))
