"""Shapes and views: view, reshape, flatten, ravel, squeeze (all dims and by dim, a dim whose size is not 1
included), unsqueeze, transpose/swapaxes, permute, movedim, expand/broadcast_to, T/mT, narrow, select, diagonal,
unfold, contiguous, clone, flip — values and shapes against NumPy, on every layout (transposed, step-sliced,
offset, expanded).

Whether a result shares memory with its input, writes through views, ``view`` on layouts that cannot be viewed
and in-place ops on views are bespoke tests (``suite/test_aliasing.py``); their divergences are the
``DIVERGENCES`` of this module. The generic ``view`` entry only splits dims and adds or drops size-1 dims, which
every layout can view; merging dims is in the aliasing tests, where the layout is known.
"""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import indexing as R
from conformance.strategies import ArraySpec
from conformance.strategies import indices as I

F = "views"
DOCS = "https://docs.pytorch.org/docs/stable/generated/"

#: views touch no values, only sizes and strides: one dtype, whose 16-byte elements make any stride computed in
#: bytes instead of elements show
VIEW = ("complex128",)
#: ops that may copy (reshape, flatten, ravel, contiguous, clone, flip): a 1-, 2- and 16-byte element
COPY = ("bool", "float16", "complex128")


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


# ---- strategies ---------------------------------------------------------------------------------------------

def _view(rng, dtype):
    shp = I.shape(rng)
    return ArraySpec(shp, dtype), I.split_target(rng, shp)


def _reshape(rng, dtype):
    shp = I.shape(rng)
    target = I.reshape_target(rng, shp)
    if rng.random() < 0.05:  # a wrong number of elements: both raise
        target = target + (2,)
    return ArraySpec(shp, dtype), target


def _flatten(rng, dtype):
    shp = I.shape(rng)
    if rng.random() < 0.2:
        return (ArraySpec(shp, dtype),)
    a, b = I.dim(rng, len(shp)), I.dim(rng, len(shp))
    nd = max(len(shp), 1)
    if a % nd > b % nd and rng.random() < 0.9:
        a, b = b, a
    return ArraySpec(shp, dtype), a, b


def _one(rng, dtype):
    return (ArraySpec(I.shape(rng), dtype),)


def _squeeze_dim(rng, dtype):
    shp = I.shape(rng, zero=0.05)
    shp = tuple(1 if rng.random() < 0.3 else s for s in shp)
    if shp and rng.random() < 0.3:
        dims = tuple(sorted({I.dim(rng, len(shp)) % len(shp) for _ in range(rng.randint(1, 3))}))
        dims = tuple(d - len(shp) if rng.random() < 0.5 else d for d in dims)
        return ArraySpec(shp, dtype), dims
    return ArraySpec(shp, dtype), I.dim(rng, len(shp))


def _unsqueeze(rng, dtype):
    shp = I.shape(rng)
    return ArraySpec(shp, dtype), I.dim(rng, len(shp), extra=1)


def _two_dims(rng, dtype):
    shp = I.shape(rng, zero=0.05)
    return ArraySpec(shp, dtype), I.dim(rng, len(shp)), I.dim(rng, len(shp))


def _permute(rng, dtype):
    shp = I.shape(rng)
    order = list(range(len(shp)))
    rng.shuffle(order)
    order = [d - len(shp) if rng.random() < 0.4 else d for d in order]
    if order and rng.random() < 0.05:  # a repeated dim: both raise
        order[-1] = order[0]
    return ArraySpec(shp, dtype), tuple(order)


def _movedim(rng, dtype):
    shp = I.shape(rng, 1)
    nd = len(shp)
    if rng.random() < 0.4:
        return ArraySpec(shp, dtype), I.dim(rng, nd), I.dim(rng, nd)
    k = rng.randint(1, nd)
    src = rng.sample(range(nd), k)
    dst = rng.sample(range(nd), k)
    src = tuple(d - nd if rng.random() < 0.4 else d for d in src)
    dst = tuple(d - nd if rng.random() < 0.4 else d for d in dst)
    return ArraySpec(shp, dtype), src, dst


def _expand_sizes(rng, shp, minus_one=True):
    lead = tuple(I.side(rng) for _ in range(rng.randint(0, 2)))
    sizes = []
    for s in shp:
        if s == 1:
            sizes.append(rng.choice((1, 0, 2, 3, 4)))
        elif minus_one and rng.random() < 0.3:
            sizes.append(-1)
        else:
            sizes.append(s)
    if shp and rng.random() < 0.04:  # a size that does not broadcast: both raise
        j = rng.randrange(len(shp))
        if shp[j] != 1:
            sizes[j] = shp[j] + 1
    return lead + tuple(sizes)


def _expand(rng, dtype):
    shp = I.shape(rng)
    return ArraySpec(shp, dtype), _expand_sizes(rng, shp)


def _broadcast_to(rng, dtype):
    shp = I.shape(rng)
    return ArraySpec(shp, dtype), _expand_sizes(rng, shp, minus_one=rng.random() < 0.2)


def _narrow(rng, dtype):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 0, 0, 1
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    n = shp[d % len(shp)]
    start = rng.randint(-n, n)
    begin = start % n if start < 0 else start
    length = rng.randint(0, n - begin) if rng.random() < 0.95 else n - begin + 1
    return ArraySpec(shp, dtype), d, start, length


def _select(rng, dtype):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 0, 0
    shp = I.shape(rng, 1, zero=0.03)
    d = I.dim(rng, len(shp))
    n = shp[d % len(shp)]
    if n == 0:
        return ArraySpec(shp, dtype), d, 0  # out of range: both raise
    return ArraySpec(shp, dtype), d, rng.randint(-n, n - 1)


def _diagonal(rng, dtype):
    shp = I.shape(rng, 2)
    nd = len(shp)
    a, b = rng.sample(range(nd), 2)
    a = a - nd if rng.random() < 0.4 else a
    b = b - nd if rng.random() < 0.4 else b
    offset = rng.randint(-4, 4) if rng.random() < 0.7 else 0
    return ArraySpec(shp, dtype), offset, a, b


def _unfold(rng, dtype):
    shp = I.shape(rng)
    d = I.dim(rng, len(shp))
    n = shp[d % len(shp)] if shp else 1
    size = rng.randint(0, n) if rng.random() < 0.95 else n + 1
    step = rng.randint(1, 3)
    return ArraySpec(shp, dtype), d, size, step


def _flip(rng, dtype):
    shp = I.shape(rng)
    nd = len(shp)
    dims = rng.sample(range(nd), rng.randint(0, nd)) if nd else []
    dims = tuple(d - nd if rng.random() < 0.4 else d for d in dims)
    return ArraySpec(shp, dtype), dims


def _matrix(rng, dtype):
    return (ArraySpec(I.shape(rng, 0, 4), dtype),)


def cases(build, **kw):
    return lambda dtype: I.case(build, dtype, **kw)


# ---- divergences --------------------------------------------------------------------------------------------

def _squeeze_non_one(sample, dtype):
    x, dims = sample.args[0], sample.args[1]
    if x.ndim == 0:
        return False
    dims = dims if isinstance(dims, tuple) else (dims,)
    return any(x.shape[d % x.ndim] != 1 for d in dims)


def _zero_d(sample, dtype):
    return sample.args[0].ndim == 0


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


def _scalar_dims(op, ref_torch, example):
    return Divergence(
        id=f"{op}-0d-dims", op=op,
        condition="a 0-d input with dims 0 or -1",
        torch_behaviour="the dims are valid (a 0-d tensor takes dims as a 1-D one) and the result is the input",
        numpy_behaviour="AxisError: a 0-d array has no axis 0",
        reference=DIM_OF_SCALAR, kind="intended", applies=_zero_d, torch_ref=ref_torch, example=example,
        dtypes=("complex128",))


ENTRIES = [
    OpEntry("view", F, view, np.reshape, cases(_view), VIEW, method="view", grad=True,
            notes="target shapes split dims and add or drop size-1 dims (viewable on every layout)"),
    OpEntry("reshape", F, "torch.reshape", np.reshape, cases(_reshape), COPY, method="reshape", grad=True),
    OpEntry("flatten", F, "torch.flatten", R.flatten, cases(_flatten), COPY, method="flatten", grad=True),
    OpEntry("ravel", F, "torch.ravel", np.ravel, cases(_one), COPY, method="ravel", grad=True),
    OpEntry("squeeze", F, "torch.squeeze", np.squeeze, cases(_one), VIEW, method="squeeze", grad=True),
    OpEntry("squeeze_dim", F, "torch.squeeze", R.squeeze, cases(_squeeze_dim), VIEW, method="squeeze", grad=True,
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
                example=lambda dt: ((np.zeros((2, 1, 3), D.NUMPY[dt]), (0, 1)), {})),)),
    OpEntry("unsqueeze", F, "torch.unsqueeze", np.expand_dims, cases(_unsqueeze), VIEW, method="unsqueeze",
            grad=True),
    OpEntry("transpose", F, "torch.transpose", R.transpose, cases(_two_dims), VIEW, method="transpose", grad=True,
            divergences=(_scalar_dims("transpose", R.transpose_torch,
                                      lambda dt: ((np.array(1, D.NUMPY[dt]), 0, -1), {})),)),
    OpEntry("swapaxes", F, "torch.swapaxes", np.swapaxes, cases(_two_dims), VIEW, method="swapaxes", grad=True,
            divergences=(_scalar_dims("swapaxes", R.transpose_torch,
                                      lambda dt: ((np.array(1, D.NUMPY[dt]), 0, -1), {})),)),
    OpEntry("permute", F, "torch.permute", np.transpose, cases(_permute), VIEW, method="permute", grad=True),
    OpEntry("movedim", F, "torch.movedim", np.moveaxis, cases(_movedim), VIEW, method="movedim", grad=True),
    OpEntry("expand", F, expand, R.expand, cases(_expand), VIEW, method="expand", grad=True),
    OpEntry("broadcast_to", F, "torch.broadcast_to", np.broadcast_to, cases(_broadcast_to), VIEW,
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
                example=lambda dt: ((np.zeros((3, 1), D.NUMPY[dt]), (-1, 4)), {})),)),
    OpEntry("T", F, T, np.transpose, cases(_matrix), VIEW, grad=True,
            notes="torch deprecates .T on other than 2 dims (a warning) but still reverses them, as NumPy does"),
    OpEntry("mT", F, mT, R.matrix_transpose, cases(_matrix), VIEW, grad=True,
            divergences=(Divergence(
                id="mT-0d", op="mT", condition="a 0-d input",
                torch_behaviour="returns the input (deprecated, with a UserWarning: 'Tensor.mT is deprecated on 0-D "
                                "tensors. This function is the identity in these cases.'); 1-D inputs raise",
                numpy_behaviour="np.swapaxes(x, -1, -2) / np.matrix_transpose raise: fewer than 2 dims",
                reference="https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/TensorShape.cpp "
                          "(the deprecation warning of Tensor.mT)",
                kind="intended", applies=_zero_d, torch_ref=R.identity_torch,
                dtypes=("complex128",),
                example=lambda dt: ((np.array(1, D.NUMPY[dt]),), {})),)),
    OpEntry("narrow", F, "torch.narrow", R.narrow, cases(_narrow), VIEW, method="narrow", grad=True),
    OpEntry("select", F, "torch.select", R.select, cases(_select), VIEW, method="select", grad=True),
    OpEntry("diagonal", F, "torch.diagonal", np.diagonal, cases(_diagonal), VIEW, method="diagonal", grad=True),
    OpEntry("unfold", F, unfold, R.unfold, cases(_unfold), VIEW, grad=True,
            notes="own reference (np.take windows): NumPy's counterpart is sliding_window_view with a step"),
    OpEntry("contiguous", F, contiguous, np.ascontiguousarray, cases(_one), COPY, grad=True,
            divergences=(Divergence(
                id="contiguous-0d", op="contiguous", condition="a 0-d input",
                torch_behaviour="returns the 0-d input as it is",
                numpy_behaviour="np.ascontiguousarray returns a 1-element 1-D array ('Return a contiguous array "
                                "(ndim >= 1) in memory')",
                reference="https://numpy.org/doc/stable/reference/generated/numpy.ascontiguousarray.html",
                kind="intended", applies=_zero_d, torch_ref=R.identity_torch,
                dtypes=("complex128",),
                example=lambda dt: ((np.array(1, D.NUMPY[dt]),), {})),)),
    OpEntry("clone", F, "torch.clone", np.copy, cases(_one), COPY, method="clone", grad=True),
    OpEntry("flip", F, "torch.flip", np.flip, cases(_flip), COPY, method="flip", grad=True),
]
