"""Shape and dim strategies: sizes that reach torch's kernels.

Vectorized CPU kernels take 8 to 64 elements per step (AVX2 / AVX-512, float32 to int8) and finish with a scalar
tail; reductions switch to blocked, multi-accumulator loops on long rows. Shapes of at most 5 per side never leave
the scalar path, so the shapes drawn here come in size classes (:data:`CLASSES`):

* ``edge`` — 0-d arrays, size-0 dims (at most one shape in ten is empty) and size-1 dims;
* ``small`` — up to 4 dims of up to 5 elements;
* ``medium`` — 16 to 255 elements along the last dim (lengths that are not multiples of the vector width, so
  there is a tail), up to 3 dims;
* ``long`` — 256 to 4,099 elements along the last dim, 1 or 2 dims.

They are drawn from a fixed pool (made once, from a fixed seed), sorted from the simplest shape (size 0, 0-d,
size 1) to the largest, so that Hypothesis shrinks toward the simplest one; drawing from a pool costs one choice,
far less than ``hnp.array_shapes`` (:func:`uniform_from`: about uniformly over the pool). ``python -m conformance.strategies.sizes OP`` prints what an op's strategy
draws.
"""
from __future__ import annotations

import functools

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

MAX_DIMS = 4
MAX_SIDE = 5
#: lengths of the last dim in the medium and long classes: a tail after every vector width
MEDIUM_SIDES = (16, 17, 23, 31, 33, 47, 63, 64, 65, 100, 127, 129, 200, 255)
LONG_SIDES = (256, 257, 300, 511, 513, 1000, 1031, 2049, 3001, 4099)
#: (class, share of the pool)
CLASSES = (("edge", 0.14), ("small", 0.40), ("medium", 0.30), ("long", 0.16))


def _edge(rng) -> tuple:
    kind = rng.random()
    if kind < 0.3:
        return ()
    nd = int(rng.integers(1, 4))
    sides = [int(s) for s in rng.integers(1, 4, nd)]
    if kind < 0.75:  # a size-0 dim
        sides[int(rng.integers(nd))] = 0
    else:
        sides = [1] * nd
    return tuple(sides)


def _small(rng, max_dims=MAX_DIMS, max_side=MAX_SIDE) -> tuple:
    nd = int(rng.integers(1, max_dims + 1))
    sides = rng.integers(1, max_side + 1, nd)
    if rng.random() < 0.3:
        sides[rng.integers(nd)] = 1
    return tuple(int(s) for s in sides)


def _medium(rng) -> tuple:
    nd = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
    lead = [int(s) for s in rng.integers(1, 5, nd - 1)]
    return tuple(lead) + (int(rng.choice(MEDIUM_SIDES)),)


def _long(rng) -> tuple:
    last = int(rng.choice(LONG_SIDES))
    return (last,) if rng.random() < 0.6 else (int(rng.integers(2, 4)), last)


_MAKERS = {"edge": _edge, "small": _small, "medium": _medium, "long": _long}


def _size(shape) -> int:
    return int(np.prod(shape, dtype=np.int64))


def _rank(shape) -> float:
    # size 0 right after size 1: Hypothesis draws the first item of a sequence far more often than the others
    # (whenever it zeroes a choice), so that item is a one-element shape, not an empty one
    size = _size(shape)
    return size if size else 1.5


def sort_key(shapes_) -> tuple:
    """Simplest first: total size (an empty shape between size 1 and size 2), then number of dims."""
    return (sum(_rank(s) for s in shapes_), sum(len(s) for s in shapes_), shapes_)


@functools.lru_cache(maxsize=None)
def pool(count: int = 800, seed: int = 1, classes=CLASSES) -> tuple:
    """The shape pool: ``count`` shapes in the shares of ``classes``, simplest first."""
    rng = np.random.default_rng(seed)
    found = []
    for name, share in classes:
        found += [_MAKERS[name](rng) for _ in range(int(round(count * share)))]
    return tuple(sorted(found, key=lambda s: sort_key((s,))))


#: the most items one ``sampled_from`` is given by :func:`uniform_from`
BLOCK = 16


def uniform_from(items) -> st.SearchStrategy:
    """One of ``items`` (a sequence ordered simplest first), about uniformly, shrinking toward the first.

    ``st.sampled_from`` over a long sequence favours its start (over 800 items, the first quarter comes a third of
    the time and the last quarter a sixth), which would starve the long shapes at the end of a pool; over at most
    :data:`BLOCK` items it is uniform. So a block of consecutive items is drawn, then an item of the block."""
    items = tuple(items)
    if len(items) <= BLOCK:
        return st.sampled_from(items)
    size = -(-len(items) // -(-len(items) // BLOCK))  # blocks of equal size, at most BLOCK
    blocks = tuple(st.sampled_from(items[i:i + size]) for i in range(0, len(items), size))
    return st.sampled_from(range(len(blocks))).flatmap(blocks.__getitem__)


def _fits(shape, min_dims, max_dims, min_side) -> bool:
    return min_dims <= len(shape) <= max_dims and all(s >= min_side for s in shape)


@functools.lru_cache(maxsize=None)
def _pool_strategy(min_dims, max_dims, min_side, max_side):
    if max_side is not None and max_side <= MAX_SIDE:  # asked for small sides: the classic small shapes
        return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
    found = tuple(s for s in pool() if _fits(s, min_dims, max_dims, min_side)
                  and (max_side is None or all(x <= max_side for x in s)))
    if not found:
        raise ValueError(f"no pooled shape has {min_dims}..{max_dims} dims with sides >= {min_side}")
    return uniform_from(found)


def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 0, max_side: int | None = None):
    """Array shapes of ``min_dims``..``max_dims`` dims from the size classes; with ``max_side`` of at most
    :data:`MAX_SIDE`, only small shapes (for ops whose cost grows fast with size)."""
    return _pool_strategy(min_dims, max_dims, min_side, max_side)


def _broadcasting_to(rng, shape: tuple) -> tuple:
    """A shape that broadcasts to ``shape``: leading dims dropped, some dims set to 1."""
    drop = int(rng.integers(1, len(shape) + 1)) if shape and rng.random() < 0.45 else 0
    out = list(shape[drop:])
    for i in range(len(out)):
        if rng.random() < 0.25:
            out[i] = 1
    return tuple(out)


@functools.lru_cache(maxsize=None)
def broadcast_pool(n_operands: int, count: int = 1200, seed: int = 2) -> tuple:
    """Tuples of ``n_operands`` mutually broadcastable shapes, one of them the full shape (from :func:`pool`'s
    classes), simplest first."""
    rng = np.random.default_rng(seed + 10 * n_operands)
    full_shapes = pool(count, seed + 100 * n_operands)
    found = []
    for full in full_shapes:
        ops = [full] + [_broadcasting_to(rng, full) for _ in range(n_operands - 1)]
        order = rng.permutation(n_operands)
        found.append(tuple(ops[i] for i in order))
    return tuple(sorted(found, key=sort_key))


@functools.lru_cache(maxsize=None)
def broadcastable_shapes(num_shapes: int = 2, min_dims: int = 0, max_dims: int = MAX_DIMS,
                         min_side: int = 0, max_side: int | None = None):
    """Tuples of ``num_shapes`` mutually broadcastable shapes (NumPy's broadcasting rules)."""
    if max_side is not None and max_side <= MAX_SIDE:
        return hnp.mutually_broadcastable_shapes(
            num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side,
        ).map(lambda r: r.input_shapes)
    found = tuple(t for t in broadcast_pool(num_shapes)
                  if all(_fits(s, min_dims, max_dims, min_side) for s in t))
    return uniform_from(found)


def dims(ndim: int, allow_none: bool = False):
    """A valid ``dim`` argument for an array of ``ndim`` dims, negative ones included (0-d: -1 and 0)."""
    n = max(ndim, 1)
    dim = st.integers(-n, n - 1)
    return st.none() | dim if allow_none else dim


def dim_tuples(ndim: int, min_size: int = 0):
    """Tuples of distinct dims (negative ones included) for reductions over several dims."""
    if ndim == 0:
        return st.just(()) if min_size == 0 else st.nothing()
    return hnp.valid_tuple_axes(ndim, min_size=min_size)


seeds = st.integers(0, 2**32 - 1)
