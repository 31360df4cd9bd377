"""Shapes and views: view, reshape, flatten, ravel, squeeze (all dims and by dim, a dim whose size is not 1
included), unsqueeze, transpose/swapaxes, permute, movedim, expand/broadcast_to, T/mT, narrow, select, diagonal,
unfold, contiguous, clone, flip — values and shapes against NumPy, on every layout (transposed, step-sliced,
offset, expanded). And the ops that rearrange a tensor or build a matrix from one, which NumPy has under the same
names: diag, diagflat, roll, rot90, fliplr, flipud, tile, atleast_1d/2d/3d, meshgrid, vander.

Whether a result shares memory with its input, writes through views, ``view`` on layouts that cannot be viewed
and in-place ops on views are bespoke tests (``suite/test_aliasing.py``); their divergences are the
``DIVERGENCES`` of this module. The generic ``view`` entry only splits dims and adds or drops size-1 dims, which
every layout can view; merging dims is in the aliasing tests, where the layout is known. Every dtype runs; the
strategies are :mod:`conformance.strategies.views` (shapes from the size classes).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from conformance import dtypes as D
from conformance import tolerance as Tol
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


def _flip_kernel(sample, dtype, shells=None):
    """flip of a uint16/32/64 or float8 tensor (``shells``: some of them) on the path that needs the flip kernel:
    some flipped dim of more than one element and a nonzero stride, and no dim of stride 1 (and more than one
    element) left unflipped (where there is one, torch copies with an index instead). Strides are the layout's,
    in elements."""
    if dtype not in (shells or SHELL_DTYPES):
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
                condition="a float8 format (uint16/uint32/uint64 too before torch 2.14), flipping a dim of more "
                          "than one element on the path that needs the flip kernel (no unflipped dim of stride 1), "
                          "e.g. any flip of a 1-D tensor of 3 elements",
                torch_behaviour="raises NotImplementedError ('\"flip_cpu\" not implemented for "
                                "\'Float8_e4m3fn\''); where an unflipped dim has stride 1 torch copies through an "
                                "index and succeeds",
                numpy_behaviour="np.flip returns the reversed view",
                reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (uint16, uint32, "
                          "uint64, float8: limited support); no upstream issue found",
                kind="bug", applies=lambda s, dt: _flip_kernel(s, dt, D.FLOAT8), raises=NotImplementedError,
                dtypes=("float8_e4m3fn",), devices=("cpu",),
                example=lambda dt: ((np.zeros(3, D.NUMPY[dt]), (0,)), {}),
                counterexample=lambda dt: ((np.zeros((2, 3), D.NUMPY[dt]), (0,)), {})),
                Divergence(
                id="flip-wide-unsigned-kernel", op="flip",
                condition="uint16/uint32/uint64, flipping a dim of more than one element on the path that needs the "
                          "flip kernel (no unflipped dim of stride 1), e.g. any flip of a 1-D tensor of 3 elements",
                torch_behaviour="raises NotImplementedError ('\"flip_cpu\" not implemented for \'UInt16\''); "
                                "torch 2.14 has the kernels",
                numpy_behaviour="np.flip returns the reversed view",
                reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (uint16, uint32, "
                          "uint64: limited support); no upstream issue found",
                kind="bug", applies=lambda s, dt: _flip_kernel(s, dt, ("uint16", "uint32", "uint64")),
                raises=NotImplementedError, dtypes=("uint16",), devices=("cpu",), torch_versions="<2.14",
                example=lambda dt: ((np.zeros(3, D.NUMPY[dt]), (0,)), {}),
                counterexample=lambda dt: ((np.zeros((2, 3), D.NUMPY[dt]), (0,)), {})),)),
]


# ---- rearranging and matrix construction --------------------------------------------------------------------

PROMOTION = "https://docs.pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"


def _count(v):
    return len(v) if isinstance(v, (tuple, list)) else 1


def _roll_misaligned(sample, dtype):
    """A tuple of shifts whose length is not the number of dims given (none: the flattened tensor takes one)."""
    args = list(sample.args[1:]) + [sample.kwargs[k] for k in ("shifts", "dims") if k in sample.kwargs]
    shifts = args[0]
    dims = args[1] if len(args) > 1 else None
    wanted = 1 if dims is None else _count(dims)
    return _count(shifts) != wanted


def _meshgrid_arrays(sample):
    return [a for a in sample.args if isinstance(a, np.ndarray)]


def _meshgrid_not_1d(sample, dtype):
    return any(a.ndim > 1 for a in _meshgrid_arrays(sample))


def _meshgrid_mixed(sample, dtype):
    arrays = _meshgrid_arrays(sample)
    return not _meshgrid_not_1d(sample, dtype) and len({a.dtype for a in arrays}) > 1


def _meshgrid_default(sample, dtype):
    return "indexing" not in sample.kwargs and len(_meshgrid_arrays(sample)) > 1


def _vander_powers(sample):
    """(x, powers): the power of each column of vander's result, or None for a call that raises."""
    x = sample.args[0]
    n = sample.args[1] if len(sample.args) > 1 else sample.kwargs.get("N")
    increasing = sample.args[2] if len(sample.args) > 2 else sample.kwargs.get("increasing", False)
    if x.ndim != 1:
        return None
    n = x.shape[0] if n is None else n
    if n < 0:
        return None
    p = np.arange(n, dtype=np.float64)
    return x, (p if increasing else p[::-1])


def vander_tol(sample, dtype):
    """x**p by a cumulative product of p factors in torch's accumulation type, rounded once to the result
    (:func:`conformance.tolerance.product` of p factors of magnitude |x|, elementwise)."""
    if not D.is_inexact(dtype):
        return None
    found = _vander_powers(sample)
    if found is None:
        return None
    x, p = found
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w = x.astype(np.complex128)
        big, small = np.maximum(np.abs(w.real), np.abs(w.imag)), np.minimum(np.abs(w.real), np.abs(w.imag))
        mag = big  # |x| >= its larger part; log2 |x| without overflowing (|max + max j| is past float64's range)
        ratio = np.where(big > 0, small / np.where(big > 0, big, 1.0), 0.0)
        ok = np.isfinite(big) & (big > 0)
        lg = np.where(ok, np.log2(np.where(ok, big, 1.0)) + 0.5 * np.log2(1 + ratio ** 2), 0.0)[:, None]
    hi, lo = p * np.maximum(lg, 0), p * np.minimum(lg, 0)
    zero = (mag == 0)[:, None] & (p > 0)
    tol = Tol.product(dtype, hi, lo, np.broadcast_to(p, hi.shape), zero, why="vander: a product of p factors")
    if D.is_complex(dtype):
        # a complex product with an infinite or NaN component has no defined value in either library (0 * inf in
        # the cross terms; torch's first power is 1 * x): the powers of such an x are free; so are powers whose
        # modulus passes sqrt(2) times the largest value (a part of the exact result is then past it: not
        # representable)
        special = ~(np.isfinite(x.real) & np.isfinite(x.imag))
        beyond = hi + lo > math.log2(Tol.biggest(dtype)) + 0.5
        tol = dataclasses.replace(tol, free=(special[:, None] & (p >= 1)) | beyond)
    return tol


def _vander_keeps_dtype(sample, numpy_dtype):
    return sample.args[0].dtype


def _vander_complex_zero_parts(sample, dtype):
    """Complex vander: the powers (first and higher) whose exact value rounded to the dtype has a zero part (a zero
    part of x, a part that underflows or cancels)."""
    if not D.is_complex(dtype):
        return False
    found = _vander_powers(sample)
    if found is None:
        return False
    x, p = found
    with np.errstate(all="ignore"):
        powers = (x.astype(np.complex128)[:, None] ** p[None, :]).astype(x.dtype)
    return ((powers.real == 0) | (powers.imag == 0)) & (p >= 1)[None, :]


def _vander_backward(sample, dtype):
    found = _vander_powers(sample)
    return found is not None and found[1].size >= 2 and found[0].size > 0


VANDER_BACKWARD = Divergence(
    id="vander-backward-raises", op="vander", about="gradient",
    condition="N (or the input's length, without N) of 2 or more",
    torch_behaviour="backward raises RuntimeError ('one of the variables needed for gradient computation has been "
                    "modified by an inplace operation'): the powers are written in place into the result by a "
                    "cumulative product (torch.vander(torch.tensor([1., 2.], requires_grad=True), N=4).sum()"
                    ".backward())",
    numpy_behaviour="the derivative of x**p is p x**(p - 1)",
    reference="https://github.com/pytorch/pytorch/issues/60197", kind="bug",
    applies=_vander_backward, raises=RuntimeError)


def _e8m0_filled(ref):
    """float8_e8m0fnu results of an op that fills the elements off the diagonal: those elements (where the
    reference of an all-ones input is 0)."""
    def applies(sample, dtype):
        if dtype != "float8_e8m0fnu":
            return False
        x = sample.args[0]
        try:
            made = ref(np.ones(x.shape), *sample.args[1:], **sample.kwargs)
        except (ValueError, IndexError):
            return False
        return made == 0
    return applies


def _e8m0_fill(op, ref, model, example, counterexample):
    return Divergence(
        id=f"{op}-float8-e8m0fnu-fill", op=op,
        condition="float8_e8m0fnu (powers of two: no zero), the elements off the diagonal",
        torch_behaviour="the fill has the bit pattern of zero, which is 2**-127 in this format (the smallest "
                        "value), as torch.zeros gives",
        numpy_behaviour="the fill is 0, which ml_dtypes rounds to NaN in a format without zero",
        reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (float8_e8m0fnu: no zero "
                  "or sign); see also the creation family's float8-e8m0fnu-conversion",
        kind="unspecified", applies=_e8m0_filled(ref), torch_ref=model, dtypes=("float8_e8m0fnu",),
        example=example, counterexample=counterexample)


ENTRIES += [
    OpEntry("diag", F, "torch.diag", R.diag, S.diag_cases, method="diag", grad=True,
            divergences=(_e8m0_fill("diag", R.diag, R.diag_e8m0_torch,
                                    lambda dt: ((np.array([2.0, 4.0], D.NUMPY[dt]),), {}),
                                    lambda dt: ((np.array([2.0], D.NUMPY[dt]),), {})),)),
    OpEntry("diagflat", F, "torch.diagflat", R.diagflat, S.diagflat_cases, method="diagflat", grad=True,
            divergences=(_e8m0_fill("diagflat", R.diagflat, R.diagflat_e8m0_torch,
                                    lambda dt: ((np.array([2.0, 4.0], D.NUMPY[dt]),), {}),
                                    lambda dt: ((np.array([[2.0]], D.NUMPY[dt]),), {})),)),
    OpEntry("roll", F, "torch.roll", R.roll, S.roll_cases, method="roll", grad=True,
            divergences=(Divergence(
                id="roll-shifts-dims-align", op="roll",
                condition="a tuple of shifts whose length is not the number of dims given (or, without dims, "
                          "not 1), or one shift with several dims",
                torch_behaviour="raises RuntimeError ('shifts and dimensions must align'; an empty tuple: "
                                "'`shifts` required')",
                numpy_behaviour="np.roll broadcasts shift against axis: one shift for several axes rolls each, "
                                "several shifts without an axis add up on the flattened array",
                reference=DOCS + "torch.roll.html ('If shifts is a tuple, dims must be a tuple of the same size')",
                kind="intended", applies=_roll_misaligned, raises=RuntimeError, dtypes=("float32",),
                example=lambda dt: ((np.arange(6).reshape(2, 3).astype(D.NUMPY[dt]), 1, (0, 1)), {}),
                counterexample=lambda dt: ((np.arange(6).reshape(2, 3).astype(D.NUMPY[dt]), (1, 1), (0, 1)),
                                           {})),)),
    OpEntry("rot90", F, "torch.rot90", R.rot90, S.rot90_cases, method="rot90", grad=True),
    OpEntry("fliplr", F, "torch.fliplr", np.fliplr, S.one_cases, method="fliplr", grad=True),
    OpEntry("flipud", F, "torch.flipud", np.flipud, S.one_cases, method="flipud", grad=True),
    OpEntry("tile", F, "torch.tile", R.tile, S.tile_cases, method="tile", grad=True,
            divergences=(Divergence(
                id="tile-int-reps", op="tile", condition="reps given as a bare int",
                torch_behaviour="raises TypeError ('argument 'dims' must be tuple of ints, not int'); the method "
                                "Tensor.tile(2) takes it (as varargs)",
                numpy_behaviour="np.tile(A, 2) takes it as (2,)",
                reference=DOCS + "torch.tile.html (dims (tuple))", kind="intended",
                applies=lambda s, dt: isinstance(s.args[1], int), raises=TypeError, dtypes=("float32",),
                example=lambda dt: ((np.arange(3).astype(D.NUMPY[dt]), 2), {}),
                counterexample=lambda dt: ((np.arange(3).astype(D.NUMPY[dt]), (2,)), {})),)),
    OpEntry("atleast_1d", F, "torch.atleast_1d", np.atleast_1d, S.atleast_cases, grad=True),
    OpEntry("atleast_2d", F, "torch.atleast_2d", np.atleast_2d, S.atleast_cases, grad=True),
    OpEntry("atleast_3d", F, "torch.atleast_3d", np.atleast_3d, S.atleast_cases, grad=True),
    OpEntry("meshgrid", F, "torch.meshgrid", R.meshgrid, S.meshgrid_cases, grad=True,
            divergences=(
                Divergence(
                    id="meshgrid-not-1d", op="meshgrid", condition="an input of more than one dim",
                    torch_behaviour="raises RuntimeError ('Expected 0D or 1D tensor in the tensor list')",
                    numpy_behaviour="np.meshgrid flattens every input",
                    reference=DOCS + "torch.meshgrid.html (tensors: 'list of scalars or 1 dimensional tensors')",
                    kind="intended", applies=_meshgrid_not_1d, raises=RuntimeError, dtypes=("float32",),
                    example=lambda dt: ((np.zeros((2, 2), D.NUMPY[dt]), np.arange(3).astype(D.NUMPY[dt])),
                                        {"indexing": "ij"}),
                    counterexample=lambda dt: ((np.zeros(4, D.NUMPY[dt]), np.arange(3).astype(D.NUMPY[dt])),
                                               {"indexing": "ij"})),
                Divergence(
                    id="meshgrid-mixed-dtypes", op="meshgrid", condition="inputs of different dtypes",
                    torch_behaviour="raises RuntimeError ('meshgrid expects all tensors to have the same dtype')",
                    numpy_behaviour="each grid keeps its input's dtype",
                    reference=DOCS + "torch.meshgrid.html", kind="intended", applies=_meshgrid_mixed,
                    raises=RuntimeError, dtypes=("float32",),
                    example=lambda dt: ((np.zeros(2, D.NUMPY[dt]), np.arange(3)), {"indexing": "ij"}),
                    counterexample=lambda dt: ((np.zeros(2, D.NUMPY[dt]), np.arange(3).astype(D.NUMPY[dt])),
                                               {"indexing": "ij"})),
                Divergence(
                    id="meshgrid-default-indexing", op="meshgrid",
                    condition="two or more inputs and no indexing argument",
                    torch_behaviour="indexing='ij' (matrix indexing: the first input varies along dim 0), with a "
                                    "UserWarning that an indexing argument will be required",
                    numpy_behaviour="indexing='xy' (Cartesian: the first two grids' dims swapped)",
                    reference=DOCS + "torch.meshgrid.html ('indexing ... Default: ij')", kind="intended",
                    applies=_meshgrid_default, torch_ref=R.meshgrid_ij_torch, dtypes=("float32",),
                    example=lambda dt: ((np.arange(2).astype(D.NUMPY[dt]), np.arange(3).astype(D.NUMPY[dt])), {}),
                    counterexample=lambda dt: ((np.arange(2).astype(D.NUMPY[dt]),), {})),
            )),
    OpEntry("vander", F, "torch.vander", R.vander, S.vander_cases, grad=True, tol_fn=vander_tol,
            divergences=(Divergence(
                id="vander-keeps-floating-dtype", op="vander", condition="a floating or complex input",
                torch_behaviour="the result has the input's dtype (its powers promoted with int64 by torch's "
                                "rule: an integer never widens a floating type): float16 stays float16",
                numpy_behaviour="np.vander promotes the input with int (np.promote_types): float16 and float32 "
                                "give float64, complex64 gives complex128",
                reference=PROMOTION + " ; " + DOCS + "torch.vander.html", kind="intended",
                applies=lambda s, dt: D.is_inexact(D.name_of(s.args[0].dtype)),
                expected_dtype=_vander_keeps_dtype, dtypes=("float32",),
                example=lambda dt: ((np.array([1.5, 2.0, -3.0], D.NUMPY[dt]),), {}),
                counterexample=lambda dt: ((np.array([1, 2, -3], np.int32),), {})),
                Divergence(
                    id="vander-complex-powers-from-one", op="vander",
                    condition="complex input, the powers (x**1 and higher) with a zero real or imaginary part (a "
                              "zero part of x, or one that underflows or cancels)",
                    torch_behaviour="the sign of a zero part may differ: torch's powers are a cumulative product "
                                    "that starts from 1+0j, so x**1 is (1+0j) * x, whose zero parts come out +0 "
                                    "(2.5-0j gives 2.5+0j)",
                    numpy_behaviour="np.vander's first power is x itself (2.5-0j), and the higher ones multiply it "
                                    "out from x, with the IEEE signs of their zero parts; the sign of a part that "
                                    "underflows depends on the order of the roundings in either library",
                    reference=DOCS + "torch.vander.html (no word on signed zeros)", kind="unspecified",
                    applies=_vander_complex_zero_parts, relax_signed_zero=True),  # pinned by suite/test_views.py
                                                                                  # (vander-keeps-floating-dtype
                                                                                  # applies first to any example)
                VANDER_BACKWARD,
            )),
]
