"""Shapes and views: view, reshape, flatten, ravel, squeeze (all dims and by dim, a dim whose size is not 1
included), unsqueeze, transpose/swapaxes, permute, movedim, expand/broadcast_to, T/mT, narrow, select, diagonal,
unfold, contiguous, clone, flip — values and shapes against NumPy, on every layout (transposed, step-sliced,
offset, expanded).

Whether a result shares memory with its input, writes through views, ``view`` on layouts that cannot be viewed
and in-place ops on views are bespoke tests (``suite/test_aliasing.py``); their divergences are the
``DIVERGENCES`` of this module. The generic ``view`` entry only splits dims and adds or drops size-1 dims, which
every layout can view; merging dims is in the aliasing tests, where the layout is known. Every dtype runs; the
strategies are :mod:`conformance.strategies.views` (shapes from the size classes).
"""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import views as R
from conformance.strategies import indexing as I
from conformance.strategies import views as S

F = "views"
DOCS = "https://docs.pytorch.org/docs/stable/generated/"


# ---- torch callables that need more than a dotted path ------------------------------------------------------

def view(x, shape):
    return x.view(shape)


def expand(x, sizes):
    return x.expand(sizes)


def T(x):
    return x.T


def mT(x):
    return x.mT


def unfold(x, dimension, size, step):
    return x.unfold(dimension, size, step)


def contiguous(x):
    return x.contiguous()


# ---- divergences --------------------------------------------------------------------------------------------

def _squeeze_non_one(sample, dtype):
    x, dims = sample.args[0], sample.args[1]
    if x.ndim == 0:
        return False
    dims = dims if isinstance(dims, tuple) else (dims,)
    return any(x.shape[d % x.ndim] != 1 for d in dims)


def _zero_d(sample, dtype):
    return sample.args[0].ndim == 0


#: dtypes torch has few kernels for
SHELL_DTYPES = ("uint16", "uint32", "uint64") + D.FLOAT8


def _flip_kernel(sample, dtype):
    """flip of a uint16/32/64 or float8 tensor on the path that needs the flip kernel: some flipped dim of more
    than one element and a nonzero stride, and no dim of stride 1 (and more than one element) left unflipped
    (where there is one, torch copies with an index instead). Strides are the layout's, in elements."""
    if dtype not in SHELL_DTYPES:
        return False
    x, dims = sample.args[0], sample.args[1]
    if x.size == 0 or x.ndim == 0:
        return False
    a = I.numpy_layout(x, sample.layouts[0])
    strides = [st // a.itemsize for st in a.strides]
    flipped = {d % x.ndim for d in dims}
    moving = [d for d in flipped if x.shape[d] > 1 and strides[d] != 0]
    if not moving:
        return False
    return not any(strides[d] == 1 and x.shape[d] > 1 and d not in flipped for d in range(x.ndim))


DIM_OF_SCALAR = ("dims of a 0-d tensor wrap as for a 1-D one (maybe_wrap_dim with wrap_scalar): "
                 "https://github.com/pytorch/pytorch/blob/main/c10/core/WrapDimMinimal.h")

FLIP_COPIES = Divergence(
    id="flip-copies", op="flip", family=F,
    condition="any input",
    torch_behaviour="returns a copy: 'torch.flip makes a copy of input's data' (torch has no negative strides)",
    numpy_behaviour="np.flip returns a view (negative strides), in constant time",
    reference=DOCS + "torch.flip.html", kind="intended")

DIAGONAL_WRITABLE = Divergence(
    id="diagonal-writable-view", op="diagonal", family=F,
    condition="writing through the result of diagonal",
    torch_behaviour="a writable view: the write shows in the input",
    numpy_behaviour="np.diagonal returns a read-only view: writing raises ValueError",
    reference="https://numpy.org/doc/stable/reference/generated/numpy.diagonal.html (read-only since 1.9); "
              + DOCS + "torch.diagonal.html", kind="intended")

EXPANDED_WRITE = Divergence(
    id="expanded-write", op="expand", family=F,
    condition="writing into an expanded tensor (a zero stride), with setitem or an in-place op",
    torch_behaviour="a write whose target holds one memory location twice raises RuntimeError ('more than one "
                    "element of the written-to tensor refers to a single memory location'); other writes go "
                    "through and show in every element that shares the location",
    numpy_behaviour="np.broadcast_to returns a read-only view: every write raises ValueError",
    reference=DOCS + "torch.Tensor.expand.html ('more than one element of an expanded tensor may refer to a "
                     "single memory location ... please clone them first')", kind="intended")

DIVERGENCES = [FLIP_COPIES, DIAGONAL_WRITABLE, EXPANDED_WRITE]


def _scalar_dims(op, ref_torch, example, counterexample):
    return Divergence(
        id=f"{op}-0d-dims", op=op,
        condition="a 0-d input with dims 0 or -1",
        torch_behaviour="the dims are valid (a 0-d tensor takes dims as a 1-D one) and the result is the input",
        numpy_behaviour="AxisError: a 0-d array has no axis 0",
        reference=DIM_OF_SCALAR, kind="intended", applies=_zero_d, torch_ref=ref_torch, example=example,
        counterexample=counterexample,
        dtypes=("complex128",))


ENTRIES = [
    OpEntry("view", F, view, np.reshape, S.view_cases, method="view", grad=True,
            notes="target shapes split dims and add or drop size-1 dims (viewable on every layout)"),
    OpEntry("reshape", F, "torch.reshape", np.reshape, S.reshape_cases, method="reshape", grad=True),
    OpEntry("flatten", F, "torch.flatten", R.flatten, S.flatten_cases, method="flatten", grad=True),
    OpEntry("ravel", F, "torch.ravel", np.ravel, S.one_cases, method="ravel", grad=True),
    OpEntry("squeeze", F, "torch.squeeze", np.squeeze, S.squeeze_cases, method="squeeze", grad=True),
    OpEntry("squeeze_dim", F, "torch.squeeze", R.squeeze, S.squeeze_dim_cases, method="squeeze", grad=True,
            divergences=(Divergence(
                id="squeeze-non-one-dim", op="squeeze_dim",
                condition="dim names a dim whose size is not 1",
                torch_behaviour="that dim is left as it is (the other named dims of size 1 are removed)",
                numpy_behaviour="np.squeeze raises ValueError ('cannot select an axis to squeeze out which has "
                                "size not equal to one')",
                reference=DOCS + "torch.squeeze.html ('If dim is given, a squeeze operation is done only in the "
                          "given dimension(s)')",
                kind="intended", applies=_squeeze_non_one, torch_ref=R.squeeze_torch,
                dtypes=("complex128",),
                example=lambda dt: ((np.zeros((2, 1, 3), D.NUMPY[dt]), (0, 1)), {}),
                counterexample=lambda dt: ((np.zeros((2, 1, 3), D.NUMPY[dt]), (1,)), {})),)),
    OpEntry("unsqueeze", F, "torch.unsqueeze", np.expand_dims, S.unsqueeze_cases, method="unsqueeze",
            grad=True),
    OpEntry("transpose", F, "torch.transpose", R.transpose, S.two_dims_cases, method="transpose", grad=True,
            divergences=(_scalar_dims("transpose", R.transpose_torch,
                                      lambda dt: ((np.array(1, D.NUMPY[dt]), 0, -1), {}),
                                      lambda dt: ((np.array([1, 2], D.NUMPY[dt]), 0, -1), {})),)),
    OpEntry("swapaxes", F, "torch.swapaxes", np.swapaxes, S.two_dims_cases, method="swapaxes", grad=True,
            divergences=(_scalar_dims("swapaxes", R.transpose_torch,
                                      lambda dt: ((np.array(1, D.NUMPY[dt]), 0, -1), {}),
                                      lambda dt: ((np.array([1, 2], D.NUMPY[dt]), 0, -1), {})),)),
    OpEntry("permute", F, "torch.permute", np.transpose, S.permute_cases, method="permute", grad=True),
    OpEntry("movedim", F, "torch.movedim", np.moveaxis, S.movedim_cases, method="movedim", grad=True),
    OpEntry("expand", F, expand, R.expand, S.expand_cases, method="expand", grad=True),
    OpEntry("broadcast_to", F, "torch.broadcast_to", np.broadcast_to, S.broadcast_to_cases,
            method="broadcast_to", grad=True,
            divergences=(Divergence(
                id="broadcast_to-minus-one", op="broadcast_to",
                condition="-1 among the sizes of existing dims",
                torch_behaviour="-1 keeps that dim's size (broadcast_to is input.expand(shape))",
                numpy_behaviour="np.broadcast_to raises ValueError ('all elements of broadcast shape must be "
                                "non-negative')",
                reference=DOCS + "torch.broadcast_to.html ('Equivalent to calling input.expand(shape)')",
                kind="intended", applies=lambda s, dt: -1 in tuple(s.args[1]), torch_ref=R.broadcast_to_torch,
                dtypes=("complex128",),
                example=lambda dt: ((np.zeros((3, 1), D.NUMPY[dt]), (-1, 4)), {}),
                counterexample=lambda dt: ((np.zeros((3, 1), D.NUMPY[dt]), (3, 4)), {})),)),
    OpEntry("T", F, T, np.transpose, S.matrix_cases, grad=True,
            notes="torch deprecates .T on other than 2 dims (a warning) but still reverses them, as NumPy does"),
    OpEntry("mT", F, mT, R.matrix_transpose, S.matrix_cases, grad=True,
            divergences=(Divergence(
                id="mT-0d", op="mT", condition="a 0-d input",
                torch_behaviour="returns the input (deprecated, with a UserWarning: 'Tensor.mT is deprecated on 0-D "
                                "tensors. This function is the identity in these cases.'); 1-D inputs raise",
                numpy_behaviour="np.swapaxes(x, -1, -2) / np.matrix_transpose raise: fewer than 2 dims",
                reference="https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/TensorShape.cpp "
                          "(the deprecation warning of Tensor.mT)",
                kind="intended", applies=_zero_d, torch_ref=R.identity_torch,
                dtypes=("complex128",),
                example=lambda dt: ((np.array(1, D.NUMPY[dt]),), {}),
                counterexample=lambda dt: ((np.array([[1, 2]], D.NUMPY[dt]),), {})),)),
    OpEntry("narrow", F, "torch.narrow", R.narrow, S.narrow_cases, method="narrow", grad=True),
    OpEntry("select", F, "torch.select", R.select, S.select_cases, method="select", grad=True),
    OpEntry("diagonal", F, "torch.diagonal", R.diagonal, S.diagonal_cases, method="diagonal", grad=True),
    OpEntry("unfold", F, unfold, R.unfold, S.unfold_cases, grad=True,
            notes="own reference (np.take windows): NumPy's counterpart is sliding_window_view with a step"),
    OpEntry("contiguous", F, contiguous, np.ascontiguousarray, S.one_cases, grad=True,
            divergences=(Divergence(
                id="contiguous-0d", op="contiguous", condition="a 0-d input",
                torch_behaviour="returns the 0-d input as it is",
                numpy_behaviour="np.ascontiguousarray returns a 1-element 1-D array ('Return a contiguous array "
                                "(ndim >= 1) in memory')",
                reference="https://numpy.org/doc/stable/reference/generated/numpy.ascontiguousarray.html",
                kind="intended", applies=_zero_d, torch_ref=R.identity_torch,
                dtypes=("complex128",),
                example=lambda dt: ((np.array(1, D.NUMPY[dt]),), {}),
                counterexample=lambda dt: ((np.array([[1, 2]], D.NUMPY[dt]),), {})),)),
    OpEntry("clone", F, "torch.clone", np.copy, S.one_cases, method="clone", grad=True),
    OpEntry("flip", F, "torch.flip", np.flip, S.flip_cases, method="flip", grad=True,
            divergences=(Divergence(
                id="flip-shell-dtype-kernel", op="flip",
                condition="uint16/uint32/uint64 or a float8 format, flipping a dim of more than one element on the "
                          "path that needs the flip kernel (no unflipped dim of stride 1), e.g. any flip of a 1-D "
                          "tensor of 3 elements",
                torch_behaviour="raises NotImplementedError ('\"flip_cpu\" not implemented for \'UInt16\''); "
                                "where an unflipped dim has stride 1 torch copies through an index and succeeds",
                numpy_behaviour="np.flip returns the reversed view",
                reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (uint16, uint32, "
                          "uint64, float8: limited support); no upstream issue found",
                kind="bug", applies=_flip_kernel, raises=NotImplementedError, dtypes=("uint16", "float8_e4m3fn"),
                devices=("cpu",),
                example=lambda dt: ((np.zeros(3, D.NUMPY[dt]), (0,)), {}),
                counterexample=lambda dt: ((np.zeros((2, 3), D.NUMPY[dt]), (0,)), {})),)),
]
