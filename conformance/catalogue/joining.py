"""Joining and splitting: cat/concat/concatenate, stack, hstack/vstack/dstack/column_stack, split (by a size and
by a list of sizes), tensor_split (sections and indices), chunk, unbind, hsplit/vsplit/dsplit.

Inputs come from :mod:`conformance.strategies.indices` builders (one draw per case): size-0 inputs and size-0
dims, negative dims, mixed dtypes for ``cat`` (type promotion), 1-D empty tensors among higher-dim ones (which
``cat`` documents as skipped), split points past the end and unsorted, and now and then mismatched shapes or
invalid arguments that both libraries must reject. Tuple results are compared element by element.
"""
from __future__ import annotations

import math

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import joining as R
from conformance.strategies import ArraySpec
from conformance.strategies import indices as I

F = "joining"
DOCS = "https://docs.pytorch.org/docs/stable/generated/"

#: ops that copy values into a new tensor: bool and a 16-byte element (cat covers every kind, see PROMOTE)
MOVE = ("bool", "complex128")
#: splits return views (sizes and strides only): one dtype
SPLIT = ("float32",)
#: cat draws a second dtype for some of its inputs: the first one covers every category
PROMOTE = ("bool", "uint8", "int32", "float16", "bfloat16", "float64", "complex64")

# ---- type promotion -----------------------------------------------------------------------------------------

_CATEGORY = {**{n: 0 for n in D.BOOL}, **{n: 1 for n in D.INTEGRAL}, **{n: 2 for n in D.FLOATING},
             **{n: 3 for n in D.COMPLEX}}


def torch_promote(names) -> str:
    """torch's promotion of same-kind tensors of dtypes ``names``: the highest category (bool < integer <
    floating < complex) wins; integers promote as in NumPy; floats to the widest (float16 with bfloat16 gives
    float32); complex to complex128 when a float64 or complex128 takes part."""
    names = set(names)
    top = max(_CATEGORY[n] for n in names)
    within = {n for n in names if _CATEGORY[n] == top}
    if top == 0:
        return "bool"
    if top == 1:
        return D.name_of(np.result_type(*[D.NUMPY[n] for n in within]))
    if top == 3:
        return "complex128" if names & {"complex128", "float64"} else "complex64"
    for wide in ("float64", "float32"):
        if wide in within:
            return wide
    return "float32" if within == {"float16", "bfloat16"} else within.pop()


def _tensors(sample):
    return sample.args[0]


def _mixed_categories(sample, dtype):
    return len({_CATEGORY[D.name_of(a.dtype)] for a in _tensors(sample)}) > 1


def _expected_dtype(sample, numpy_dtype):
    return D.NUMPY[torch_promote(D.name_of(a.dtype) for a in _tensors(sample))]


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
        reference="https://docs.pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc",
        kind="intended", applies=_mixed_categories, expected_dtype=_expected_dtype, dtypes=("float16",),
        example=lambda dt: (([np.array([1, 2], np.int32), np.array([0.5], D.NUMPY[dt])], 0), {}))


def _legacy(op):
    return Divergence(
        id=f"{op}-1d-empty-skipped", op=op,
        condition="a 1-D tensor of shape (0,) among tensors of other dims",
        torch_behaviour="skipped (its dtype still takes part in the type promotion)",
        numpy_behaviour="np.concatenate raises ValueError: all inputs must have the same number of dims",
        reference=DOCS + "torch.cat.html ('or be a 1-D empty tensor with size (0,)')",
        kind="intended", applies=_legacy_empty, torch_ref=R.cat_torch, dtypes=("float32",),
        example=lambda dt: (([np.ones((2, 2), D.NUMPY[dt]), np.zeros((0,), np.float64)], 1), {}))


# ---- strategies ---------------------------------------------------------------------------------------------

def _partner(rng, dtype):
    """Another dtype for some inputs of ``cat``: any, but never float16 with bfloat16 (the reference works out
    bfloat16 results through float16, so that pair has no NumPy dtype to compare with)."""
    choices = [d for d in D.ALL if {d, dtype} != {"float16", "bfloat16"}]
    return rng.choice(choices)


def _cat(rng, dtype):
    if rng.random() < 0.04:  # 0-d tensors cannot be concatenated
        return [ArraySpec((), dtype), ArraySpec((), dtype)], 0
    base = I.shape(rng, 1)
    nd = len(base)
    d = I.dim(rng, nd)
    shapes = []
    for _ in range(rng.randint(1, 4)):
        s = list(base)
        s[d % nd] = I.side(rng, zero=0.2)
        shapes.append(tuple(s))
    if rng.random() < 0.08:  # a mismatch outside dim, or in the number of dims: both must raise
        j = rng.randrange(len(shapes))
        s = list(shapes[j])
        if nd > 1 and rng.random() < 0.6:
            k = rng.choice([i for i in range(nd) if i != d % nd])
            s[k] += 1
        else:
            s.append(2)
        shapes[j] = tuple(s)
    dts = [dtype] * len(shapes)
    if rng.random() < 0.35:
        other = _partner(rng, dtype)
        for j in range(len(dts)):
            if rng.random() < 0.5:
                dts[j] = other
    specs = [ArraySpec(s, t) for s, t in zip(shapes, dts)]
    if rng.random() < 0.15:  # a 1-D empty tensor among them, maybe of another dtype
        specs.insert(rng.randint(0, len(specs)), ArraySpec((0,), rng.choice((dtype, _partner(rng, dtype)))))
    return specs, d


def _stack(rng, dtype):
    if rng.random() < 0.03:
        return [], 0
    shp = I.shape(rng)
    n = rng.randint(1, 4)
    shapes = [shp] * n
    if rng.random() < 0.08 and shp:
        s = list(shp)
        s[rng.randrange(len(s))] += 1
        shapes[rng.randrange(n)] = tuple(s)
    return [ArraySpec(s, dtype) for s in shapes], I.dim(rng, len(shp), extra=1)


def _stackish(rng, dtype, axis_of):
    """Inputs of hstack & co: ``n`` tensors of one ndim, varying along the axis the op joins on (``axis_of``
    of the ndim, None for the ranks the op first lifts, whose shapes must match), now and then one mismatch."""
    nd = rng.randint(0, 4)
    base = I.shape(rng, nd, nd)
    axis = axis_of(nd)
    shapes = []
    for _ in range(rng.randint(1, 4)):
        s = list(base)
        if axis is not None:
            s[axis] = I.side(rng, zero=0.2)
        shapes.append(tuple(s))
    if rng.random() < 0.08:
        s = list(shapes[0])
        if s and rng.random() < 0.7:
            s[rng.randrange(len(s))] += 1
        else:
            s.append(1)
        shapes[0] = tuple(s)
    return ([ArraySpec(s, dtype) for s in shapes],)


def _split_size(rng, dtype):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 1, 0
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    n = shp[d % len(shp)]
    size = rng.randint(0, 1) if rng.random() < 0.05 else rng.randint(1, max(n, 1) + 1)
    return ArraySpec(shp, dtype), size, d


def _split_sizes(rng, dtype):
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    sizes = I.split_sizes(rng, shp[d % len(shp)])
    if rng.random() < 0.08:  # sizes that do not add up: both must raise
        sizes[rng.randrange(len(sizes))] += 1
    return ArraySpec(shp, dtype), sizes, d


def _sections(rng, dtype, max_extra=3):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 1, 0
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    n = shp[d % len(shp)]
    k = 0 if rng.random() < 0.04 else rng.randint(1, n + max_extra)
    return ArraySpec(shp, dtype), k, d


def _split_indices(rng, dtype):
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    return ArraySpec(shp, dtype), I.split_indices(rng, shp[d % len(shp)]), d


def _unbind(rng, dtype):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 0
    shp = I.shape(rng, 1)
    return ArraySpec(shp, dtype), I.dim(rng, len(shp))


def _hvd_split(rng, dtype, min_dims, axis_of):
    nd = rng.randint(max(min_dims - 1, 0), 4)
    shp = I.shape(rng, nd, nd)
    axis = axis_of(nd)
    n = shp[axis] if axis is not None and axis < nd else 0
    if rng.random() < 0.5:
        divisors = [k for k in range(1, n + 1) if n % k == 0] or [1]
        k = rng.choice(divisors) if rng.random() < 0.85 else rng.randint(0, n + 2)  # not dividing: raise
        return ArraySpec(shp, dtype), k
    return ArraySpec(shp, dtype), I.split_indices(rng, n)


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


def cases(build, **kw):
    return lambda dtype: I.case(build, dtype, **kw)


ENTRIES = [
    OpEntry("cat", F, "torch.cat", R.cat, cases(_cat), PROMOTE, grad=True,
            divergences=(_legacy("cat"), _promotion("cat"))),
    OpEntry("concat", F, "torch.concat", R.cat, cases(_cat), ("float32",), grad=True,
            divergences=(_legacy("concat"), _promotion("concat"))),
    OpEntry("concatenate", F, "torch.concatenate", R.cat, cases(_cat), ("int64",), grad=True,
            divergences=(_legacy("concatenate"), _promotion("concatenate"))),
    OpEntry("stack", F, "torch.stack", R.stack, cases(_stack), MOVE, grad=True),
    OpEntry("hstack", F, "torch.hstack", np.hstack, cases(_stackish, axis_of=lambda nd: None if nd == 0 else
                                                           (0 if nd == 1 else 1)), MOVE, grad=True),
    OpEntry("vstack", F, "torch.vstack", np.vstack, cases(_stackish, axis_of=lambda nd: None if nd < 2 else 0),
            MOVE, grad=True),
    OpEntry("dstack", F, "torch.dstack", np.dstack, cases(_stackish, axis_of=lambda nd: None if nd < 3 else 2),
            MOVE, grad=True),
    OpEntry("column_stack", F, "torch.column_stack", np.column_stack,
            cases(_stackish, axis_of=lambda nd: None if nd < 2 else 1), MOVE, grad=True),
    OpEntry("split", F, "torch.split", R.split, cases(_split_size), SPLIT, method="split", grad=True),
    OpEntry("split_sizes", F, "torch.split", R.split, cases(_split_sizes), SPLIT, method="split", grad=True),
    OpEntry("tensor_split", F, "torch.tensor_split", R.tensor_split, cases(_sections), SPLIT,
            method="tensor_split", grad=True),
    OpEntry("tensor_split_indices", F, "torch.tensor_split", R.tensor_split, cases(_split_indices), SPLIT,
            method="tensor_split", grad=True),
    OpEntry("chunk", F, "torch.chunk", R.chunk, cases(_sections), SPLIT, method="chunk", grad=True,
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
                example=lambda dt: ((np.arange(13).astype(D.NUMPY[dt]), 6), {})),)),
    OpEntry("unbind", F, "torch.unbind", R.unbind, cases(_unbind), SPLIT, method="unbind", grad=True),
    OpEntry("hsplit", F, "torch.hsplit", np.hsplit, cases(_hvd_split, min_dims=1,
                                                          axis_of=lambda nd: 1 if nd >= 2 else 0),
            SPLIT, method="hsplit", grad=True),
    OpEntry("vsplit", F, "torch.vsplit", np.vsplit, cases(_hvd_split, min_dims=2, axis_of=lambda nd: 0),
            SPLIT, method="vsplit", grad=True),
    OpEntry("dsplit", F, "torch.dsplit", np.dsplit, cases(_hvd_split, min_dims=3, axis_of=lambda nd: 2),
            SPLIT, method="dsplit", grad=True),
]
