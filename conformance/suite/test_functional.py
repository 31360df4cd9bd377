"""nn.functional: argmax on the ops' outputs, which the generic catalogue tests cannot state.

torch.argmax of each op's torch output must be np.argmax of the same values (the first maximal index; a NaN
counts as the maximum, its first occurrence wins); for one_hot, argmax along the class dim gives back the classes.
The inputs are the ops' own catalogue cases (the same shapes, dims, fills and layouts).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import catalogue, dtypes
from conformance.check import Mismatch, describe_inputs
from conformance.strategies import NONCONTIGUOUS

pytestmark = pytest.mark.functional

#: op -> the dtype its outputs are checked in (argmax is taken along the op's own ``dim``, else the last one)
OPS = {"softmax": "float32", "log_softmax": "float32", "relu": "int64", "gelu": "bfloat16", "silu": "float32",
       "normalize": "float32", "one_hot": "int64"}


def _argmax_dim(op_name, sample, out):
    if op_name == "one_hot":
        return -1
    dim = sample.kwargs.get("dim", -1)
    if isinstance(dim, (tuple, list)):
        dim = dim[0]
    return dim if out.dim() else None


@pytest.mark.op("argmax")
@pytest.mark.parametrize("op_name", list(OPS))
@given(data=st.data())
def test_argmax_of_outputs(device, op_name, data):
    op = catalogue.by_name(op_name)
    dtype = OPS[op_name]
    case = data.draw(op.strategy(dtype), label="case")
    n = len(case.specs)
    case = case.with_layouts(data.draw(st.lists(st.sampled_from(("contiguous",) + NONCONTIGUOUS), min_size=n,
                                                max_size=n), label="layouts"))
    for sample in case.samples():
        args, kwargs, _ = sample.torch_inputs(device)
        try:
            out = op.call(args, kwargs)
        except RuntimeError:
            continue  # the op's own tests judge when it raises
        values = dtypes.to_numpy(out)
        dim = _argmax_dim(op_name, sample, out)
        try:
            want, n_exc = np.argmax(values, axis=dim), None
        except ValueError as exc:  # an empty dim: NumPy raises
            want, n_exc = None, exc
        try:
            got, t_exc = torch.argmax(out, dim=dim), None
        except (RuntimeError, IndexError) as exc:
            got, t_exc = None, exc
        where = f"argmax of {op_name} [{device}, {dtype}] along dim {dim}"
        if (n_exc is None) != (t_exc is None):
            raise Mismatch(f"{where}: NumPy {'raised ' + repr(n_exc) if n_exc else 'returned'}, torch "
                           f"{'raised ' + repr(t_exc) if t_exc else 'returned'}", inputs=describe_inputs(sample))
        if n_exc is not None:
            continue
        got = got.cpu().numpy()
        if got.shape != np.shape(want) or not np.array_equal(got, want):
            raise Mismatch(f"{where}: torch {got.tolist()}, np.argmax of the same values {np.asarray(want).tolist()}",
                           f"values: {values!r}", describe_inputs(sample))
        if op_name == "one_hot" and not np.array_equal(got, sample.args[0]):
            raise Mismatch(f"{where}: argmax of one_hot is {got.tolist()}, the classes were "
                           f"{sample.args[0].tolist()}", inputs=describe_inputs(sample))
