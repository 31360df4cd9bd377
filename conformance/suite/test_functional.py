"""nn.functional: what the generic catalogue tests cannot state.

* gelu-vectorized-infinity and gelu-vectorized-underflow-positive-zero, whose behaviour depends on the CPU (AVX-512
  or not): their pinned tests accept either outcome on exactly the elements of the condition and require the
  reference's value just outside it (the second also runs the AVX2 kernel in a fresh process, where the +0.0 shows);
* argmax on the ops' outputs.

**argmax**: torch.argmax of each op's torch output must be np.argmax of the same values (the first maximal index; a NaN
counts as the maximum, its first occurrence wins); for one_hot, argmax along the class dim gives back the classes.
The inputs are the ops' own catalogue cases (the same shapes, dims, fills and layouts).
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import catalogue, check, dtypes
from conformance.check import Mismatch, describe_inputs
from conformance.strategies import NONCONTIGUOUS, Sample

pytestmark = pytest.mark.functional

def _gelu_sample(values, dtype, layout="contiguous"):
    x = np.array(values, dtype=np.float32).astype(dtypes.NUMPY[dtype])
    return Sample(args=(x,), kwargs={"approximate": "none"}, arrays=[x], layouts=[layout])


@pytest.mark.op("gelu")
@pytest.mark.divergence("gelu-vectorized-infinity")
@pytest.mark.dtypes("float32", "bfloat16", "float16")
def test_gelu_vectorized_infinity(device, dtype):
    """On a contiguous input of several elements, +inf and values above max / 2 give NaN / +inf on CPUs with
    AVX-512 and the reference's +inf / x elsewhere: the record accepts either on exactly those elements (and its
    condition covers them), while the other elements of the same call, a one-element input and a strided one
    are held to the reference strictly."""
    if not str(device).startswith("cpu"):
        pytest.skip("the record is about the CPU kernel")
    op = catalogue.by_name("gelu")
    div = catalogue.divergence("gelu-vectorized-infinity")
    # float16 computes in float32 there: none of its finite values is large (its largest is held to x)
    big, big_in = (6e4, False) if dtype == "float16" else (3e38, True)
    sample = _gelu_sample([np.inf, big, 1.0, -2.0], dtype)
    found, mask = op.divergence_for(sample, dtype, device)
    if found is not div or not np.array_equal(np.asarray(mask), [True, big_in, False, False]):
        raise Mismatch(f"gelu-vectorized-infinity: its condition gives {mask} on its example, not the +inf and "
                       f"large elements ({found} applies)")
    check.forward(op, sample, device, dtype)  # either outcome on those elements, the reference elsewhere
    for counter in (_gelu_sample([big], dtype), _gelu_sample([np.inf, big, 1.0, -2.0], dtype, "strided"),
                    _gelu_sample([6e4 if dtype == "float16" else 1e38, 1.0], dtype)):
        found, _ = op.divergence_for(counter, dtype, device)
        if found is not None:
            raise Mismatch(f"gelu-vectorized-infinity: a counterexample ({counter.layouts[0]}, "
                           f"{counter.arrays[0].tolist()}) falls under {found.id}")
        check.forward(op, counter, device, dtype, divergences=False)


@pytest.mark.op("gelu")
@pytest.mark.divergence("gelu-vectorized-underflow-positive-zero")
@pytest.mark.dtypes("float32")
def test_gelu_vectorized_underflow_sign(device, dtype):
    """The negative elements whose gelu underflows, on a contiguous input of several elements: +0.0 from the
    AVX2 kernel, -0.0 (the reference's) with AVX-512; the record accepts either sign on exactly those elements,
    while a one-element input and a strided one are held to the reference strictly. The +0.0 itself is pinned in
    a fresh process limited to oneDNN's AVX2 kernel (x86 only)."""
    if not str(device).startswith("cpu"):
        pytest.skip("the record is about the CPU kernel")
    op = catalogue.by_name("gelu")
    div = catalogue.divergence("gelu-vectorized-underflow-positive-zero")
    sample = _gelu_sample([-20.0, -30.0, -0.0, 1.0, -2.0], dtype)
    found, mask = op.divergence_for(sample, dtype, device)
    if found is not div or not np.array_equal(np.asarray(mask), [True, True, True, False, False]):
        raise Mismatch(f"gelu-vectorized-underflow-positive-zero: its condition gives {mask} on its example, not "
                       f"the underflowing elements ({found} applies)")
    check.forward(op, sample, device, dtype)
    for counter in (_gelu_sample([-20.0], dtype), _gelu_sample([-20.0, -30.0], dtype, "strided")):
        found, _ = op.divergence_for(counter, dtype, device)
        if found is not None:
            raise Mismatch(f"gelu-vectorized-underflow-positive-zero: a counterexample ({counter.layouts[0]}) falls "
                           f"under {found.id}")
        check.forward(op, counter, device, dtype, divergences=False)
    if platform.machine() in ("x86_64", "AMD64"):
        code = ("import torch; print(torch.nn.functional.gelu(torch.tensor([-20., -30., -0.])).signbit().tolist())")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "ONEDNN_MAX_CPU_ISA": "AVX2"})
        if out.stdout.strip() != "[False, False, False]":
            raise Mismatch("gelu-vectorized-underflow-positive-zero no longer holds on oneDNN's AVX2 kernel: the "
                           f"signs of gelu([-20, -30, -0]) are {out.stdout.strip() or out.stderr.strip()[-200:]}")


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
