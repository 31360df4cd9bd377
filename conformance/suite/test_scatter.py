"""Writes with duplicate indices and no reduction: ``scatter``/``scatter_`` with a tensor ``src``, ``index_copy``,
``index_put``/``index_put_`` without ``accumulate`` and tensor ``__setitem__`` with integer arrays.

Which of several values written to one position is kept is unspecified in both libraries (torch's documentation
of each op says so; NumPy's indexing guide says so of fancy assignment), so the generic comparison cannot decide;
on CUDA the winner is not even the same from one run to the next (atomics in any order), so no test here assumes
an order.
What is defined, and asserted here on every layout of the inputs: the result has the input's shape and dtype;
every position written holds **one of the values written to it**; every other position keeps its value. Without
duplicates that is exactly NumPy's result. The cases draw indices from narrow ranges on purpose, so that most of
them repeat positions. Each test pins the ``*-duplicate-winner`` divergence of its op
(:mod:`conformance.catalogue.indexing`), recorded as ``unspecified``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import dtypes
from conformance.check import Mismatch, describe_inputs
from conformance.references import indexing as R
from conformance.strategies import LAYOUTS, WRITABLE
from conformance.strategies import indexing as I

pytestmark = pytest.mark.indexing

DTYPES = ("bool", "int8", "bfloat16", "float32", "complex128")


def _keys(a) -> np.ndarray:
    """Values as comparable rows: (real, imaginary) as float64 for floating and complex, the integer otherwise."""
    a = np.asarray(a)
    if a.dtype.kind in "fc" or a.dtype == dtypes.NUMPY["bfloat16"]:
        w = a.astype(np.complex128)
        return np.stack([w.real, w.imag], axis=-1)
    return a.astype(np.int64)[..., None]


def _same(a, b) -> np.ndarray:
    """Elementwise identity of values: NaN is NaN (whatever its payload), and the sign of zero counts."""
    ka, kb = _keys(a), _keys(b)
    if ka.dtype.kind != "f":
        return (ka == kb).all(axis=-1)
    eq = ((ka == kb) & (np.signbit(ka) == np.signbit(kb))) | (np.isnan(ka) & np.isnan(kb))
    return eq.all(axis=-1)


def check_writes(what, sample, actual, base, labels, written):
    """``labels``: the flat positions of ``base`` written, in write order; ``written``: the values, same shape.
    Asserts the one-of-the-written-values property (and no other change)."""
    got = dtypes.to_numpy(actual)
    if got.shape != base.shape or got.dtype != base.dtype:
        raise Mismatch(f"{what}: result {got.shape} {got.dtype}, expected {base.shape} {base.dtype}",
                       inputs=describe_inputs(sample))
    g, b = got.reshape(-1), base.reshape(-1)
    labels, written = labels.reshape(-1), written.reshape(-1)
    touched = np.zeros(b.size, dtype=bool)
    touched[labels] = True
    keep = _same(g[~touched], b[~touched])
    if not keep.all():
        i = int(np.flatnonzero(~touched)[np.flatnonzero(~keep)[0]])
        raise Mismatch(f"{what}: position {i} was not written but changed: {b[i]!r} -> {g[i]!r}",
                       inputs=describe_inputs(sample))
    for pos in np.unique(labels):
        candidates = written[labels == pos]
        if not _same(np.full(candidates.shape, g[pos], dtype=g.dtype), candidates).any():
            raise Mismatch(f"{what}: position {int(pos)} holds {g[pos]!r}, which is none of the values written "
                           f"there: {candidates.tolist()!r}", inputs=describe_inputs(sample))


def _draw(data, build, dtype, *args, writable_first=True, **kwargs):
    # int8 index arrays are the catalogue's *-index-dtype records (torch rejects them): int64 here
    case = I.long_indices(data.draw(I.case(build, dtype, *args, **kwargs), label="case"))
    n = len(case.specs)
    first = data.draw(st.sampled_from(WRITABLE if writable_first else LAYOUTS), label="layout of self")
    rest = data.draw(st.lists(st.sampled_from(LAYOUTS), min_size=n - 1, max_size=n - 1), label="layouts")
    return case.with_layouts([first] + rest).sample(data.draw(st.sampled_from(("ordinary", "special")),
                                                            label="fill"))


def _labels(x):
    return np.arange(x.size, dtype=np.int64).reshape(x.shape)


@pytest.mark.op("scatter")
@pytest.mark.divergence("scatter-duplicate-winner")
@pytest.mark.dtypes(*DTYPES)
@given(data=st.data())
def test_scatter_duplicates(device, dtype, data):
    """scatter / scatter_ with a tensor src: one of the written values at each written position."""
    sample = _draw(data, I.scatter_args, dtype)
    x, dim, index, src = sample.args
    lab, sel, vals = R._scatter_targets(_labels(x), dim, index, src)
    args, kwargs, tensors = sample.torch_inputs(device)
    inplace = data.draw(st.booleans(), label="in place")
    out = args[0].scatter_(*args[1:]) if inplace else torch.scatter(*args)
    check_writes("scatter_" if inplace else "scatter", sample, out, x, lab[sel], vals)
    if inplace and out is not args[0]:
        raise Mismatch("scatter_ did not return its input")


@pytest.mark.op("index_copy")
@pytest.mark.divergence("index_copy-duplicate-winner")
@pytest.mark.dtypes(*DTYPES)
@given(data=st.data())
def test_index_copy_duplicates(device, dtype, data):
    sample = _draw(data, _index_copy_args, dtype)
    x, dim, index, source = sample.args
    lab, d, sel = R._index_targets(_labels(x), dim, index)
    src = source.reshape(1) if source.ndim == 0 else source
    written = np.broadcast_to(src, lab[sel].shape)
    args, kwargs, tensors = sample.torch_inputs(device)
    inplace = data.draw(st.booleans(), label="in place")
    out = args[0].index_copy_(*args[1:]) if inplace else torch.index_copy(*args)
    check_writes("index_copy", sample, out, x, lab[sel], written)


def _index_copy_args(rng, dtype):
    x, dim, index, source = I.index_args(rng, dtype)
    # index_copy takes int64 indices only (index_copy-index-dtype)
    return x, dim, dataclasses.replace(index, dtype="int64"), source


@pytest.mark.op("index_put")
@pytest.mark.divergence("index_put-duplicate-winner")
@pytest.mark.dtypes(*DTYPES)
@given(data=st.data())
def test_index_put_duplicates(device, dtype, data):
    """index_put / index_put_ (accumulate=False) and x[indices] = values."""
    sample = _draw(data, I.put_args, dtype)
    x, indices, values = sample.args
    lab = _labels(x)[tuple(indices)]
    written = np.broadcast_to(values, lab.shape)
    args, kwargs, tensors = sample.torch_inputs(device)
    how = data.draw(st.sampled_from(("index_put", "index_put_", "setitem")), label="call")
    t, idx, v = args
    if how == "index_put":
        out = torch.index_put(t, idx, v)
    elif how == "index_put_":
        out = t.index_put_(idx, v)
    else:
        t[idx] = v
        out = t
    check_writes(how, sample, out, x, lab, written)
