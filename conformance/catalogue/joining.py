"""Joining and splitting: cat/concat/concatenate, stack, hstack/vstack/dstack/column_stack, split (by a size and
by a list of sizes), tensor_split (sections and indices), chunk, unbind, hsplit/vsplit/dsplit. Every dtype runs;
the strategies are :mod:`conformance.strategies.joining` (sizes from the size classes, mixed dtypes for ``cat``,
1-D empty tensors among higher-dim ones, split points past the end and unsorted, invalid arguments that both
libraries must reject). Tuple results are compared element by element.

Type promotion of the joined tensors is torch's (:func:`conformance.references.pointwise.torch_result_type`, the
model the pointwise family uses): where it differs from NumPy's it is a recorded divergence, and where torch
refuses to promote (float8 formats and uint16/32/64 with other dtypes) it raises, recorded too.
"""
from __future__ import annotations

import math

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import joining as R
from conformance.references.pointwise import torch_promotion_error, torch_result_type
from conformance.strategies import joining as S

F = "joining"
DOCS = "https://docs.pytorch.org/docs/stable/generated/"
PROMOTION = "https://docs.pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"

_CATEGORY = {**{n: 0 for n in D.BOOL}, **{n: 1 for n in D.INTEGRAL}, **{n: 2 for n in D.FLOATING},
             **{n: 3 for n in D.COMPLEX}}


def _tensors(sample):
    return sample.args[0]


def _mixed_categories(sample, dtype):
    return len({_CATEGORY[D.name_of(a.dtype)] for a in _tensors(sample)}) > 1


def _expected_dtype(sample, numpy_dtype):
    return torch_result_type(*[np.zeros(1, a.dtype) for a in _tensors(sample)])


def _refused(sample, dtype):
    arrays = _tensors(sample)
    return bool(arrays) and torch_promotion_error(*[np.zeros(1, a.dtype) for a in arrays]) is not None


def _legacy_empty(sample, dtype):
    arrays = _tensors(sample)
    return any(a.shape == (0,) for a in arrays) and any(a.ndim != 1 for a in arrays)


def _promotion(op):
    return Divergence(
        id=f"{op}-category-promotion", op=op,
        condition="inputs of different kinds (bool, integer, floating, complex)",
        torch_behaviour="the result has the widest dtype of the highest kind among the inputs: int32 with float16 "
                        "gives float16, int64 with complex64 gives complex64",
        numpy_behaviour="np.concatenate promotes by value range: int32 with float16 gives float64, int64 with "
                        "complex64 gives complex128",
        reference=PROMOTION, kind="intended", applies=_mixed_categories, expected_dtype=_expected_dtype,
        dtypes=("float16",),
        example=lambda dt: (([np.array([1, 2], np.int32), np.array([0.5], D.NUMPY[dt])], 0), {}),
        counterexample=lambda dt: (([np.array([1, 2], np.int32), np.array([3], np.int64)], 0), {}))


def _no_promotion(op):
    return Divergence(
        id=f"{op}-promotion-refused", op=op,
        condition="a float8 format with another dtype, or uint16/uint32/uint64 with another integer, bool or "
                  "complex dtype",
        torch_behaviour="raises RuntimeError ('Promotion for Float8 Types is not supported', 'Promotion for "
                        "uint16, uint32, uint64 types is not supported')",
        numpy_behaviour="promotes (a float8 format as float16 would, through ml_dtypes; uint64 with int64 gives "
                        "float64)",
        reference=PROMOTION + " (the float8 and wide unsigned types have no promotion rules)", kind="intended",
        applies=_refused, raises=RuntimeError, dtypes=("uint16",),
        example=lambda dt: (([np.array([1, 2], D.NUMPY[dt]), np.array([3], np.int32)], 0), {}),
        counterexample=lambda dt: (([np.array([1, 2], D.NUMPY[dt]), np.array([3], D.NUMPY[dt])], 0), {}))


def _legacy(op, model=R.cat_torch, dim=(1,), numpy="np.concatenate"):
    """``dim``: the op's arguments after the tensors in the example (hstack takes none: it joins along dim 1 of
    2-D inputs)."""
    return Divergence(
        id=f"{op}-1d-empty-skipped", op=op,
        condition="a 1-D tensor of shape (0,) among tensors of other dims",
        torch_behaviour="skipped (its dtype still takes part in the type promotion)"
                        + ("; hstack joins with torch.cat (along dim 0 if the first tensor is 1-D, else dim 1), "
                           "which skips it: torch.hstack([torch.ones(2, 2), torch.zeros(0)]) is the 2 x 2 tensor"
                           if op == "hstack" else ""),
        numpy_behaviour=f"{numpy} raises ValueError: all inputs must have the same number of dims",
        reference=DOCS + "torch.cat.html ('or be a 1-D empty tensor with size (0,)')"
                  + (", " + DOCS + "torch.hstack.html" if op == "hstack" else ""),
        kind="intended", applies=_legacy_empty, torch_ref=model, dtypes=("float32",),
        example=lambda dt: (([np.ones((2, 2), D.NUMPY[dt]), np.zeros((0,), np.float64)],) + dim, {}),
        counterexample=lambda dt: (([np.ones((2, 2), D.NUMPY[dt]), np.zeros((2, 0), D.NUMPY[dt])],) + dim, {}))


def _joins(op):
    return (_no_promotion(op), _legacy(op), _promotion(op))


def _chunk_sizes_differ(sample, dtype):
    x, chunks = sample.args[0], sample.args[1]
    if x.ndim == 0 or chunks <= 0:
        return False
    d = sample.args[2] if len(sample.args) > 2 else 0
    n = x.shape[d]
    numpy_sizes = [len(p) for p in np.array_split(np.arange(n), chunks)]
    if n == 0:
        return False
    size = math.ceil(n / chunks)
    torch_sizes = [min(size, n - s) for s in range(0, n, size)]
    return numpy_sizes != torch_sizes


ENTRIES = [
    OpEntry("cat", F, "torch.cat", R.cat, S.cat_cases, grad=True, divergences=_joins("cat")),
    OpEntry("concat", F, "torch.concat", R.cat, S.cat_cases, grad=True, divergences=_joins("concat")),
    OpEntry("concatenate", F, "torch.concatenate", R.cat, S.cat_cases, grad=True,
            divergences=_joins("concatenate")),
    OpEntry("stack", F, "torch.stack", R.stack, S.stack_cases, grad=True),
    OpEntry("hstack", F, "torch.hstack", np.hstack, S.hstack_cases, grad=True,
            divergences=(_legacy("hstack", R.hstack_torch, (), "np.hstack"),)),
    OpEntry("vstack", F, "torch.vstack", np.vstack, S.vstack_cases, grad=True),
    OpEntry("dstack", F, "torch.dstack", np.dstack, S.dstack_cases, grad=True),
    OpEntry("column_stack", F, "torch.column_stack", np.column_stack, S.column_stack_cases, grad=True),
    OpEntry("split", F, "torch.split", R.split, S.split_cases, method="split", grad=True),
    OpEntry("split_sizes", F, "torch.split", R.split, S.split_sizes_cases, method="split", grad=True),
    OpEntry("tensor_split", F, "torch.tensor_split", R.tensor_split, S.sections_cases, method="tensor_split",
            grad=True),
    OpEntry("tensor_split_indices", F, "torch.tensor_split", R.tensor_split, S.split_indices_cases,
            method="tensor_split", grad=True),
    OpEntry("chunk", F, "torch.chunk", R.chunk, S.sections_cases, method="chunk", grad=True,
            divergences=(Divergence(
                id="chunk-sizes", op="chunk",
                condition="a dim size that chunks does not divide so that ceil(n / chunks)-sized chunks leave "
                          "fewer than chunks of them, or unequal ones (13 elements in 6 chunks)",
                torch_behaviour="chunks of ceil(n / chunks) elements, the last one smaller, possibly fewer than "
                                "chunks: 13 in 6 gives 3, 3, 3, 3, 1",
                numpy_behaviour="np.array_split gives exactly chunks pieces whose sizes differ by at most one: "
                                "3, 2, 2, 2, 2, 2",
                reference=DOCS + "torch.chunk.html",
                kind="intended", applies=_chunk_sizes_differ, torch_ref=R.chunk_torch, dtypes=("float32",),
                example=lambda dt: ((np.arange(13).astype(D.NUMPY[dt]), 6), {}),
                counterexample=lambda dt: ((np.arange(12).astype(D.NUMPY[dt]), 6), {})),)),
    OpEntry("unbind", F, "torch.unbind", R.unbind, S.unbind_cases, method="unbind", grad=True),
    OpEntry("hsplit", F, "torch.hsplit", np.hsplit, S.hsplit_cases, method="hsplit", grad=True),
    OpEntry("vsplit", F, "torch.vsplit", np.vsplit, S.vsplit_cases, method="vsplit", grad=True),
    OpEntry("dsplit", F, "torch.dsplit", np.dsplit, S.dsplit_cases, method="dsplit", grad=True),
]
