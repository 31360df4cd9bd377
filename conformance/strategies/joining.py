"""Strategies for the joining and splitting family: cat/concat/concatenate, stack, hstack/vstack/dstack/
column_stack, split (by a size and by a list of sizes), tensor_split (sections and indices), chunk, unbind,
hsplit/vsplit/dsplit.

One draw per case (:func:`conformance.strategies.indexing.case`), shapes from the size classes. Size-0 inputs
and size-0 dims, negative dims, mixed dtypes for ``cat`` (type promotion), 1-D empty tensors among higher-dim
ones (which ``cat`` documents as skipped), split points past the end and unsorted, and now and then mismatched
shapes or invalid arguments that both libraries must reject. Splits give one piece per section: the number of
pieces is kept at most 16 (a piece is a result to compare, and a split of a long row into single elements would
cost thousands of comparisons for one example).
"""
from __future__ import annotations

from conformance import dtypes as D
from conformance.strategies.cases import ArraySpec
from conformance.strategies.indexing import case, dim, side, sized_shape

#: the most pieces a split makes here
MAX_PIECES = 16


def split_sizes(rng, n):
    """A list of non-negative sizes summing to ``n`` (the list ``split`` takes), 1 to 4 of them."""
    cuts = sorted(rng.randint(0, n) for _ in range(rng.randint(0, 3)))
    edges = [0] + cuts + [n]
    return [b - a for a, b in zip(edges, edges[1:])]


def split_indices(rng, n):
    """Split points for ``tensor_split`` / ``np.array_split``: 0 to 4 ints, sorted or not, negative and past the
    end included (both libraries slice with them)."""
    pts = [rng.randint(-n - 2, n + 2) for _ in range(rng.randint(0, 4))]
    return sorted(pts) if rng.random() < 0.5 else pts


def _partner(rng, dtype):
    """Another dtype for some inputs of ``cat``: any, but never float16 with bfloat16 (the reference works out
    bfloat16 results through float16, so that pair has no NumPy dtype to compare with)."""
    choices = [d for d in D.ALL if {d, dtype} != {"float16", "bfloat16"}]
    return rng.choice(choices)


def _cat(rng, dtype):
    if rng.random() < 0.04:  # 0-d tensors cannot be concatenated
        return [ArraySpec((), dtype), ArraySpec((), dtype)], 0
    base = sized_shape(rng, 1)
    nd = len(base)
    d = dim(rng, nd)
    shapes = []
    for _ in range(rng.randint(1, 4)):
        s = list(base)
        if rng.random() < 0.5:
            s[d % nd] = side(rng, zero=0.1)
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
    shp = sized_shape(rng)
    n = rng.randint(1, 4)
    shapes = [shp] * n
    if rng.random() < 0.08 and shp:
        s = list(shp)
        s[rng.randrange(len(s))] += 1
        shapes[rng.randrange(n)] = tuple(s)
    return [ArraySpec(s, dtype) for s in shapes], dim(rng, len(shp), extra=1)


def _stackish(rng, dtype, axis_of):
    """Inputs of hstack & co: 1-4 tensors of one ndim, varying along the axis the op joins on (``axis_of`` of the
    ndim, None for the ranks the op first lifts, whose shapes must match), now and then one mismatch."""
    nd = rng.randint(0, 3)
    base = sized_shape(rng, nd, nd)
    axis = axis_of(nd)
    shapes = []
    for _ in range(rng.randint(1, 4)):
        s = list(base)
        if axis is not None and rng.random() < 0.5:
            s[axis] = side(rng, zero=0.1)
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
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    n = shp[d % len(shp)]
    least = max(-(-n // MAX_PIECES), 1)
    size = rng.randint(0, 1) if rng.random() < 0.05 else rng.randint(least, max(n, least) + 1)
    return ArraySpec(shp, dtype), size, d


def _split_sizes(rng, dtype):
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    sizes = split_sizes(rng, shp[d % len(shp)])
    if rng.random() < 0.08:  # sizes that do not add up: both must raise
        sizes[rng.randrange(len(sizes))] += 1
    return ArraySpec(shp, dtype), sizes, d


def _sections(rng, dtype, max_extra=3):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 1, 0
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    n = shp[d % len(shp)]
    k = 0 if rng.random() < 0.04 else rng.randint(1, min(n + max_extra, MAX_PIECES))
    return ArraySpec(shp, dtype), k, d


def _split_indices(rng, dtype):
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    return ArraySpec(shp, dtype), split_indices(rng, shp[d % len(shp)]), d


def _unbind(rng, dtype):
    """unbind makes one piece per element along dim: a dim of at most :data:`MAX_PIECES` (a small shape where
    the drawn one has none)."""
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 0
    shp = sized_shape(rng, 1)
    short = [k for k, s in enumerate(shp) if s <= MAX_PIECES]
    if not short:
        shp = (rng.randint(1, 4),) + shp[-1:]
        short = [0]
    k = rng.choice(short)
    return ArraySpec(shp, dtype), k - len(shp) if rng.random() < 0.5 else k


def _hvd_split(rng, dtype, min_dims, axis_of):
    nd = rng.randint(max(min_dims - 1, 0), 3)
    shp = sized_shape(rng, nd, nd)
    axis = axis_of(nd)
    n = shp[axis] if axis is not None and axis < nd else 0
    if rng.random() < 0.5:
        divisors = [k for k in range(1, min(n, MAX_PIECES) + 1) if n % k == 0] or [1]
        k = rng.choice(divisors) if rng.random() < 0.85 else rng.randint(0, min(n + 2, MAX_PIECES))  # may raise
        return ArraySpec(shp, dtype), k
    return ArraySpec(shp, dtype), split_indices(rng, n)


def cases(build, **kw):
    return lambda dtype: case(build, dtype, **kw)


cat_cases = cases(_cat)
stack_cases = cases(_stack)
hstack_cases = cases(_stackish, axis_of=lambda nd: None if nd == 0 else (0 if nd == 1 else 1))
vstack_cases = cases(_stackish, axis_of=lambda nd: None if nd < 2 else 0)
dstack_cases = cases(_stackish, axis_of=lambda nd: None if nd < 3 else 2)
column_stack_cases = cases(_stackish, axis_of=lambda nd: None if nd < 2 else 1)
split_cases = cases(_split_size)
split_sizes_cases = cases(_split_sizes)
sections_cases = cases(_sections)
split_indices_cases = cases(_split_indices)
unbind_cases = cases(_unbind)
hsplit_cases = cases(_hvd_split, min_dims=1, axis_of=lambda nd: 1 if nd >= 2 else 0)
vsplit_cases = cases(_hvd_split, min_dims=2, axis_of=lambda nd: 0)
dsplit_cases = cases(_hvd_split, min_dims=3, axis_of=lambda nd: 2)
