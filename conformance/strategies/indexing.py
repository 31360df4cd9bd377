"""Strategies for the indexing family (index_select, take, take_along_dim, gather, scatter and friends, the
``index_*`` ops, ``index_put``, the ``masked_*`` ops, ``__getitem__``), and the pieces the joining and views
strategies share with it.

**One draw per case.** The argument structures of these ops are rich (a shape, a dim, an index shape matched
to both, index ranges, split points, ...): drawn piece by piece with Hypothesis they cost 5-20 ms per example.
So Hypothesis draws two integers — a *rank* and a seed — and a :class:`Draw` (a ``random.Random``) seeded with
the seed builds the structure (:func:`case`); values then come from the case's seed as everywhere else. The rank
picks the first :func:`sized_shape` of the case from the size classes of :mod:`conformance.strategies.shapes`
(a pool sorted simplest first), so shrinking the rank goes to the simplest shape. Builders make the rare
conditions (0-d and size-0 arrays, negative dims, duplicate indices, empty index arrays, ...) common on purpose.

**Sizes.** Inputs come from the size classes (edge, small, medium rows of 16-255, long rows of 256-4,099), so the
vectorized copy and accumulation loops are entered. Index arrays are short along the indexed dim (1-4 entries,
sometimes a medium length with a narrow range: many duplicates into few positions) and as long as the input
along the others. Where an op's cost grows with a product of sizes (a long index times a wide slice), the long
choice is taken only when the slice is narrow; each builder says so.

**Index arrays** are :class:`ArraySpec` s of an index dtype with a value ``domain`` ``("int", lo, hi)``, so their
values come from the case's seed like every other array (and they take every layout). Their dtype is int64, int32,
or now and then int8 (:func:`index_dtype`: another integer dtype, which torch rejects where NumPy takes it); it is a
plain dtype name, not the cell's :class:`~conformance.dtypes.CellDtype`, so :meth:`Case.retarget` leaves it alone
(bespoke tests about something else make them int64 with :func:`long_indices`). Their ranges are chosen
on purpose: the whole valid range of the axis, or one or two values so that index arrays hold **duplicates**,
which accumulating ops must add up one by one and non-accumulating ops leave unspecified; and, for the ops whose
records say so, negative or out-of-range values (torch raises on CPU; on a GPU such an index is a device-side
assert, so the catalogue marks those samples ``unsafe_off_cpu``).

* :func:`case` — a Case strategy from a builder ``build(rng, *args) -> (args, kwargs)``;
* :func:`sized_shape`, :func:`sized_broadcast`, :func:`shape`, :func:`dim`, :func:`bounds`, :func:`index_array`,
  :func:`scalar`, :func:`value` — the pieces builders use;
* :func:`gather_args`, :func:`scatter_args`, :func:`index_args`, :func:`put_args` — gather/scatter/index_* shapes;
* :func:`mixed_index` — ``__getitem__``/``__setitem__`` indices mixing ints, slices with steps, ``None``,
  ``Ellipsis``, integer arrays, Python lists of ints and boolean masks; :func:`basic_index` — basic indices from
  ``hypothesis.extra.numpy.basic_indices`` (a Hypothesis strategy, for the bespoke view/copy tests);
* the ``*_cases`` functions: the strategies of the catalogue entries of :mod:`conformance.catalogue.indexing`
  (``put``: flat indices; ``unravel_index``: indices of the cell's own dtype into a shape);
* :func:`numpy_layout`, :func:`viewable` — the NumPy counterpart of a memory layout (same strides), and whether
  an array in a layout can be viewed with another shape.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import math
import random

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from conformance.strategies import layouts as _layouts
from conformance.strategies.cases import ArraySpec, Case

_shapes = importlib.import_module("conformance.strategies.shapes")  # the package re-exports a function of that name

#: index dtypes torch takes, int64 first (the one every op accepts)
INDEX_DTYPES = ("int64", "int32")
#: another integer dtype for index arrays (no kind's representative: retargeting leaves it alone)
OTHER_INDEX = "int8"
#: how finely the drawn rank picks the first shape from the pool
RANKS = 1024
_RANK = st.sampled_from(range(RANKS))


class Draw(random.Random):
    """The random source of one case: a seeded generator, and ``rank`` (in [0, 1), drawn by Hypothesis) that
    picks the case's first :func:`sized_shape` (simplest first, so that shrinking goes to the simplest shape)."""

    def __init__(self, seed, rank: float | None = None):
        super().__init__(seed)
        self.rank = rank

    def take_rank(self) -> float:
        found, self.rank = self.rank, None
        return self.random() if found is None else found


def _rank(rng) -> float:
    """Where in a pool (simplest first) the next shape is taken: the drawn rank for the first shape of a case,
    a random one after it, raised to the power 0.6: Hypothesis draws small ranks far more often than large ones
    (half of them below 0.3), which would leave the long rows under 10 % of the cases."""
    return (rng.take_rank() if isinstance(rng, Draw) else rng.random()) ** 0.6


def case(build, *args, **kwargs):
    """A Case strategy: a drawn rank and seed make a :class:`Draw`; ``build(rng, *args, **kwargs)`` returns the
    positional arguments (a tuple) or ``(args, kwargs)`` (a tuple and a dict); the value seed comes last."""
    def make(drawn):
        rank, seed = drawn
        rng = Draw(seed, rank / RANKS)
        made = build(rng, *args, **kwargs)
        if len(made) == 2 and isinstance(made[0], tuple) and isinstance(made[1], dict):
            pos, kw = made
        else:
            pos, kw = tuple(made), {}
        return Case(tuple(pos), tuple(kw.items()), rng.getrandbits(32))
    # sampled_from draws the rank about evenly (integers() would favour small ranks, and so the smallest shapes)
    return st.tuples(_RANK, st.integers(0, 2 ** 64 - 1)).map(make)


def long_indices(case: Case) -> Case:
    """The case with its index arrays of :data:`OTHER_INDEX` made int64 (bespoke tests that are about something
    else: torch rejects int8 index tensors, which the catalogue's ``*-index-dtype`` records pin). Index arrays are
    the specs with an ``("int", lo, hi)`` domain; the cell's own arrays have none, whatever their dtype."""
    def move(obj):
        if isinstance(obj, ArraySpec):
            is_index = obj.domain is not None and obj.domain[0] == "int" and obj.dtype == OTHER_INDEX
            return dataclasses.replace(obj, dtype="int64") if is_index else obj
        if isinstance(obj, (tuple, list)):
            return type(obj)(move(o) for o in obj)
        if isinstance(obj, dict):
            return {k: move(v) for k, v in obj.items()}
        return obj
    return dataclasses.replace(case, args=move(case.args), kwargs=tuple((k, move(v)) for k, v in case.kwargs))


# ---- pieces -------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _pool(min_dims: int, max_dims: int) -> tuple:
    return tuple(s for s in _shapes.pool() if min_dims <= len(s) <= max_dims)


#: the share of sized shapes taken from the edge cases of the pool (0-d, size 0, size 1) whatever the rank
EDGE = 0.06


def sized_shape(rng, min_dims=0, max_dims=4):
    """A shape from the size classes (:func:`conformance.strategies.shapes.pool`) with ``min_dims``..``max_dims``
    dims; the first one of a case is picked by the drawn rank, and one in :data:`EDGE` is an edge case."""
    found = _pool(min_dims, max_dims)
    r = _rank(rng)
    if rng.random() < EDGE:
        edges = [s for s in found if math.prod(s) <= 1] or found[:1]
        return edges[rng.randrange(len(edges))]
    return found[min(int(r * len(found)), len(found) - 1)]


@functools.lru_cache(maxsize=None)
def _broadcast_pool(n: int) -> tuple:
    return _shapes.broadcast_pool(n)


def sized_broadcast(rng, n):
    """``n`` mutually broadcastable shapes, one of them the full shape, from the size classes."""
    found = _broadcast_pool(n)
    return list(found[min(int(_rank(rng) * len(found)), len(found) - 1)])


def side(rng, max_side=5, zero=0.08):
    """A small dim size: 0 now and then, 1 often, else up to ``max_side``."""
    r = rng.random()
    if r < zero:
        return 0
    if r < zero + 0.2:
        return 1
    return rng.randint(2, max_side)


def shape(rng, min_dims=0, max_dims=4, max_side=5, zero=0.08):
    """A small shape (up to ``max_side`` per dim): for index shapes, and for tests whose cost grows with size."""
    return tuple(side(rng, max_side, zero) for _ in range(rng.randint(min_dims, max_dims)))


def dim(rng, ndim, extra=0):
    """A valid dim for ``ndim`` dims (``extra`` more past the end, as unsqueeze/stack take), negative ones half
    the time; a 0-d array takes 0 and -1."""
    n = max(ndim, 1) + extra
    d = rng.randrange(n)
    return d - n if rng.random() < 0.5 else d


def index_dtype(rng, size=None, long_only=False, other=True):
    """int64 (60 %), int32 (32 %) or, for an axis of at most 127 elements, now and then :data:`OTHER_INDEX`
    (which torch rejects as an index dtype)."""
    if long_only:
        return "int64"
    r = rng.random()
    if other and r < 0.08 and size is not None and size <= 127:
        return OTHER_INDEX
    return "int64" if r < 0.68 else "int32"


def bounds(rng, size, negative=False):
    """``(lo, hi)`` of index values for an axis of ``size``: the whole valid range (negative indices included
    when ``negative``) half the time, else on purpose one or two values, so that index arrays repeat them."""
    if size <= 0:
        return 0, 0
    lo = -size if negative else 0
    r = rng.random()
    if r < 0.5 or size - lo < 2:
        return lo, size
    width = 1 if r < 0.7 else 2
    a = rng.randint(lo, size - width)
    return a, a + width


def index_array(rng, shp, size, dtype="int64", negative=False, domain=None):
    """An index ArraySpec of shape ``shp`` for an axis of ``size`` (``shp`` must hold no element if size is 0);
    ``domain`` overrides the drawn value range."""
    shp = tuple(shp)
    assert size > 0 or math.prod(shp) == 0, (shp, size)
    return ArraySpec(shp, dtype, domain=domain or ("int",) + bounds(rng, size, negative))


def out_of_range(rng, size):
    """A value range for an axis of ``size`` that reaches past both ends (``[-2 size - 1, 2 size + 2)``)."""
    return ("int", -2 * size - 1, 2 * size + 2)


def along(rng, size, unique=False, wide=True):
    """The length of an index along the indexed dim of ``size``: 1-4 (0 now and then), the dim's own size, or
    (``wide``) a medium length, whose narrow value ranges send many duplicates to few positions."""
    if size == 0:
        return 0
    if unique:
        return 0 if rng.random() < 0.05 else 1
    r = rng.random()
    if r < 0.04:
        return 0
    if r < 0.6:
        return rng.randint(1, 4)
    if r < 0.8 or not wide:
        return size
    return rng.choice((16, 17, 33, 65, 100))


_FLOATS = (0.0, -0.0, 1.0, -1.5, 0.5, 2.0, 3.25, 1e3, float("inf"), float("nan"))
#: integers past the range of one or more integer dtypes (2**31 past int32, 2**63 past int64, -1 for unsigned)
_WIDE_INTS = (300, -129, 70000, -40000, 2 ** 31, 2 ** 63, -(2 ** 63) - 1)


def scalar(rng, dtype):
    """A Python scalar of the kind that goes with ``dtype``: in the dtype's range mostly, now and then past the
    range of its own or a wider dtype of the kind (both libraries must then raise)."""
    if dtype == "bool":
        return rng.random() < 0.5
    if dtype == "uint8":
        return rng.choice(_WIDE_INTS + (-1,)) if rng.random() < 0.1 else rng.randint(0, 20)
    if dtype in ("int8", "int16", "int32", "int64"):
        return rng.choice(_WIDE_INTS) if rng.random() < 0.1 else rng.randint(-20, 20)
    if dtype in ("complex64", "complex128"):
        return complex(rng.choice(_FLOATS[:8]), rng.choice(_FLOATS[:8]))
    return rng.choice(_FLOATS + (1e300,))


def value(rng, dtype, tensor=True):
    """A fill value as a user writes one: a Python scalar (:func:`scalar`), a NumPy scalar of the same value, or
    (``tensor``) a 0-d tensor of ``dtype``."""
    r = rng.random()
    if r < 0.2 and tensor:
        return ArraySpec((), dtype)
    v = scalar(rng, dtype)
    if r < 0.35 and not isinstance(v, bool) and abs(v) < 2 ** 31:
        return np.complex64(v) if isinstance(v, complex) else (np.float32(v) if isinstance(v, float)
                                                               else np.int64(v))
    return v


def broadcastable(rng, n, max_dims=4, max_side=5):
    """``n`` small mutually broadcastable shapes: a common shape, each with leading dims dropped and sides set
    to 1."""
    full = shape(rng, 0, max_dims, max_side)
    out = []
    for _ in range(n):
        keep = rng.randint(0, len(full))
        s = full[len(full) - keep:]
        out.append(tuple(1 if rng.random() < 0.25 else v for v in s))
    return out


def broadcast(shapes_):
    nd = max((len(s) for s in shapes_), default=0)
    out = []
    for i in range(nd):
        sides = [s[len(s) - nd + i] for s in shapes_ if len(s) - nd + i >= 0]
        big = [v for v in sides if v != 1]
        out.append(big[0] if big else 1)
    return tuple(out)


def suffix_broadcast(rng, target):
    """A shape that broadcasts to ``target``: a suffix of it, some sides set to 1 (``None`` sides must be 1)."""
    n = rng.randint(0, len(target))
    suffix = target[len(target) - n:]
    return tuple(1 if (s is None or rng.random() < 0.25) else s for s in suffix)


def _others(rng, shp, k):
    """Index sides along the dims other than ``k``: the input's side mostly, sometimes smaller (never 0)."""
    return [s if rng.random() < 0.7 or s <= 1 else rng.randint(1, s) for s in shp]


# ---- gather / scatter ---------------------------------------------------------------------------------------

def gather_args(rng, dtype, zero_d=True, negative=False):
    """``(x, dim, index)`` for ``gather``: ``index`` has as many dims as ``x``, is no larger than ``x`` along
    the other dims (``gather`` allows it to be smaller, NumPy's ``take_along_axis`` does not), any length along
    ``dim``. ``negative``: now and then negative indices (torch rejects them: gather-negative-index)."""
    if zero_d and rng.random() < 0.06:
        return ArraySpec((), dtype), rng.choice((0, -1)), index_array(rng, (), 1, index_dtype(rng, 1))
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    k = d % len(shp)
    ishape = _others(rng, shp, k)
    ishape[k] = along(rng, shp[k], wide=math.prod(shp) // max(shp[k], 1) <= 64)
    if shp[k] == 0 and math.prod(ishape) > 0:
        ishape[k] = 0
    neg = negative and rng.random() < 0.1
    return ArraySpec(shp, dtype), d, index_array(rng, ishape, shp[k], index_dtype(rng, shp[k]), negative=neg)


def scatter_args(rng, dtype, value_=False, unique=False, negative=False):
    """``(x, dim, index, src)`` for ``scatter``-like ops: ``index.size(d) <= src.size(d)`` for every ``d`` and
    ``<= x.size(d)`` for ``d != dim``; ``src`` is an array (possibly larger than ``index``) or, with ``value_``,
    a scalar (:func:`value`). With ``unique``, ``index`` has at most one element along ``dim``, so that no
    position is written twice (for ops whose result with duplicates is unspecified). Long index lengths along
    ``dim`` only where the slice across the other dims is at most 64 elements."""
    if rng.random() < 0.06:
        src = value(rng, dtype, tensor=False) if value_ else ArraySpec((), dtype)
        return ArraySpec((), dtype), rng.choice((0, -1)), index_array(rng, (), 1, index_dtype(rng, 1)), src
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    k = d % len(shp)
    ishape = _others(rng, shp, k)
    ishape[k] = along(rng, shp[k], unique=unique, wide=math.prod(shp) // max(shp[k], 1) <= 64)
    if shp[k] == 0 and math.prod(ishape) > 0:
        ishape[k] = 0
    neg = negative and rng.random() < 0.1
    idx = index_array(rng, ishape, shp[k], index_dtype(rng, shp[k]), negative=neg)
    src = value(rng, dtype, tensor=False) if value_ else ArraySpec(tuple(q + (rng.random() < 0.3) for q in ishape),
                                                                   dtype)
    return ArraySpec(shp, dtype), d, idx, src


# ---- index_select / index_add / index_copy / index_fill -----------------------------------------------------

def index_args(rng, dtype, source=True, unique=False, negative=False, zero_d_index=False, sometimes_negative=False):
    """``(x, dim, index[, source])`` for the ``index_*`` ops: a 1-D index (0-d too with ``zero_d_index``) into
    dim ``dim``; ``source`` has ``x``'s shape with ``dim`` resized to the index length. ``unique``: at most one
    index (no position written twice). ``negative``: negative indices are valid (index_fill);
    ``sometimes_negative``: now and then negative ones, which the op rejects. A medium index length only where
    a slice across the other dims is at most 64 elements."""
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    k = d % len(shp)
    n = shp[k]
    length = along(rng, n, unique=unique, wide=math.prod(shp) // max(n, 1) <= 64)
    ishape = (length,)
    if zero_d_index and n > 0 and rng.random() < 0.15:
        ishape, length = (), 1
    neg = negative or (sometimes_negative and rng.random() < 0.1)
    idx = index_array(rng, ishape, n, index_dtype(rng, n), negative=neg)
    x = ArraySpec(shp, dtype)
    if not source:
        return x, d, idx
    sshape = list(shp)
    sshape[k] = length
    return x, d, idx, ArraySpec(tuple(sshape), dtype)


def put_args(rng, dtype, unique=False):
    """``(x, indices, values)`` for ``index_put``: ``indices`` is a tuple of integer arrays (mutually
    broadcastable, negative values included) for the leading dims, or one boolean mask over them; ``values``
    broadcasts to the indexed shape. ``unique``: the integer arrays broadcast to at most one element. A long
    1-D index (many duplicates) only where the rest of the dims hold at most 64 elements."""
    shp = sized_shape(rng, 1)
    k = rng.randint(1, len(shp))
    if rng.random() < 0.3:
        vshape = suffix_broadcast(rng, (None,) + shp[k:])  # the masked count is known only from the values
        return ArraySpec(shp, dtype), (ArraySpec(shp[:k], "bool"),), ArraySpec(vshape, dtype)
    if any(s == 0 for s in shp[:k]):
        ishapes = [(0,)] * k
    elif unique:
        ishapes = [(1,) * rng.randint(0, 2) for _ in range(k)]
        if rng.random() < 0.15:
            ishapes[0] = (0,)
    elif k == 1 and math.prod(shp[1:]) <= 64 and rng.random() < 0.3:
        ishapes = [(rng.choice((16, 33, 100, 300)),)]
    else:
        ishapes = broadcastable(rng, k, max_dims=2, max_side=4)
    dt = index_dtype(rng, min(shp[:k]))
    idx = tuple(index_array(rng, s, shp[i] if math.prod(s) else max(shp[i], 1), dt, negative=True)
                for i, s in enumerate(ishapes))
    vshape = suffix_broadcast(rng, broadcast(ishapes) + shp[k:])
    return ArraySpec(shp, dtype), idx, ArraySpec(vshape, dtype)


# ---- tensor indexing ----------------------------------------------------------------------------------------

def basic_index(shp):
    """A basic index for ``shp`` (ints, slices with positive and negative steps, ``None``, ``Ellipsis``), from
    ``hypothesis.extra.numpy.basic_indices``; always a tuple. A Hypothesis strategy (for bespoke tests)."""
    return hnp.basic_indices(tuple(shp), allow_newaxis=True, allow_ellipsis=True).map(
        lambda i: i if isinstance(i, tuple) else (i,))


def _slice(rng, n, negative_step):
    step = rng.choice((None, 1, 2, 3))
    if negative_step and rng.random() < 0.08:
        step = -rng.randint(1, 2)
    start = None if rng.random() < 0.4 else rng.randint(-n - 1, n + 1)
    stop = None if rng.random() < 0.4 else rng.randint(-n - 1, n + 1)
    return slice(start, stop, step)


def _python_list(rng, ishape, n):
    """A (nested) Python list of ints in ``[-n, n)`` of shape ``ishape`` (1 or 2 dims, not empty)."""
    if len(ishape) == 1:
        return [rng.randint(-n, n - 1) for _ in range(ishape[0])]
    return [_python_list(rng, ishape[1:], n) for _ in range(ishape[0])]


def mixed_index(rng, shp, arrays=True, masks=True, negative_step=True, ints=True, lists=True):
    """An index tuple for ``shp`` mixing basic parts (ints, slices with steps, ``None``, ``Ellipsis``) with
    integer arrays (negative values included, int64 or int32, now and then int8, 0-d ones too), Python lists of
    ints and boolean masks. Integer arrays are mutually broadcastable; a mask covers as many dims as it has.
    About one slice in twelve has a negative step (torch rejects those)."""
    shp = tuple(shp)
    parts = []
    axis = 0
    adv_shapes = broadcastable(rng, 3, max_dims=2, max_side=3)
    n_adv = 0
    used_ellipsis = False
    dt = index_dtype(rng, min(shp, default=0))
    while axis < len(shp):
        r = rng.random()
        if r < 0.1:
            parts.append(None)
            continue
        if r < 0.18 and not used_ellipsis:
            used_ellipsis = True
            parts.append(Ellipsis)
            axis += rng.randint(0, len(shp) - axis)  # the dims the Ellipsis stands for
            continue
        n = shp[axis]
        kinds = ["slice", "slice"] + (["int"] if n > 0 and ints else [])
        if arrays and n_adv < 3:
            kinds += ["array", "array"]
        if masks:
            kinds.append("mask")
        kind = rng.choice(kinds)
        if kind == "slice":
            parts.append(_slice(rng, n, negative_step))
            axis += 1
        elif kind == "int":
            parts.append(rng.randint(-n, n - 1))
            axis += 1
        elif kind == "array":
            ishape = adv_shapes[n_adv] if n > 0 else (0,)
            if n > 0 and rng.random() < 0.12:
                ishape = ()
            n_adv += 1
            if lists and n > 0 and ishape and 0 not in ishape and rng.random() < 0.15:
                parts.append(_python_list(rng, ishape, n))
            else:
                parts.append(index_array(rng, ishape, n, dt, negative=True))
            axis += 1
        else:
            k = rng.randint(1, min(2, len(shp) - axis))
            parts.append(ArraySpec(shp[axis:axis + k], "bool"))
            axis += k
    if not parts or rng.random() < 0.2:
        parts.append(None if used_ellipsis or rng.random() < 0.5 else Ellipsis)
    return tuple(parts)


# ---- the catalogue's builders -------------------------------------------------------------------------------

def _index_select(rng, dtype):
    if rng.random() < 0.06:  # a 0-d input: torch takes it as a 1-element 1-D one
        idx = index_array(rng, rng.choice(((1,), ())), 1, index_dtype(rng, 1))
        return ArraySpec((), dtype), rng.choice((0, -1)), idx
    x, d, idx = index_args(rng, dtype, source=False, zero_d_index=True, sometimes_negative=True)
    n = x.shape[d % len(x.shape)]
    if n > 0 and idx.shape and idx.shape[0] > 0 and rng.random() < 0.06:  # a Python list (torch: TypeError)
        return x, d, [rng.randrange(n) for _ in range(idx.shape[0])]
    return x, d, idx


def _take(rng, dtype):
    shp = sized_shape(rng)
    n = math.prod(shp)
    ishape = shape(rng, 0, 3) if rng.random() < 0.7 else sized_shape(rng, 1, 2)
    if n == 0 and math.prod(ishape) > 0:
        ishape = (0,) + ishape[1:] if ishape else (0,)
    if n > 0 and len(ishape) == 1 and 0 < ishape[0] <= 8 and rng.random() < 0.06:  # a Python list: TypeError
        return ArraySpec(shp, dtype), [rng.randint(-n, n - 1) for _ in range(ishape[0])]
    return ArraySpec(shp, dtype), index_array(rng, ishape, n, index_dtype(rng, n), negative=True)


def _take_along_dim(rng, dtype):
    if rng.random() < 0.2:  # no dim: both flattened; negative indices now and then (torch raises there)
        shp = sized_shape(rng)
        n = math.prod(shp)
        ishape = shape(rng, 0, 2) if rng.random() < 0.7 else sized_shape(rng, 1, 1)
        if n == 0 and math.prod(ishape) > 0:
            ishape = (0,)
        return ArraySpec(shp, dtype), index_array(rng, ishape, n, index_dtype(rng, n),
                                                  negative=rng.random() < 0.15)
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    k = d % len(shp)
    ishape = []
    for j, s in enumerate(shp):
        if j == k:
            ishape.append(along(rng, s, wide=math.prod(shp) // max(s, 1) <= 64))
        elif s == 1:
            ishape.append(rng.choice((1, 1, 0, 2, 3)) if rng.random() < 0.2 else 1)  # the input broadcasts
        else:
            ishape.append(rng.choice((s, s, 1)))  # the indices broadcast along j
    size = shp[k] if shp[k] > 0 or math.prod(ishape) == 0 else 1
    domain = out_of_range(rng, size) if shp[k] > 0 and rng.random() < 0.1 else None  # torch wraps these
    idx = index_array(rng, ishape, size, index_dtype(rng, size), negative=True, domain=domain)
    return ArraySpec(shp, dtype), idx, d


def _scatter_reduce_arg(rng, dtype):
    return scatter_args(rng, dtype, value_=rng.random() < 0.4), {"reduce": rng.choice(("add", "multiply"))}


REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _scatter_reduce(rng, dtype):
    args = scatter_args(rng, dtype, negative=True) + (rng.choice(REDUCTIONS),)
    r = rng.random()
    if r < 0.2:
        return args, {}  # include_self omitted: True
    return args, {"include_self": r < 0.6}


def _alpha(rng, dtype):
    if dtype == "bool":
        return True
    if dtype == "uint8":
        return rng.choice((2, 3))
    if dtype == "int16":
        return rng.choice((2, -3))
    if dtype == "complex64":
        return rng.choice((2.0, -0.5, 1.5j))
    return rng.choice((2.0, -0.5, 3.25))


def _index_add(rng, dtype):
    args = index_args(rng, dtype, sometimes_negative=True)
    r = rng.random()
    if r < 0.3:
        return args, {}
    if r < 0.4:
        return args + (_alpha(rng, dtype),), {}  # alpha is keyword-only: positional raises (both must agree)
    return args, {"alpha": _alpha(rng, dtype)}


def _index_fill(rng, dtype):
    return index_args(rng, dtype, source=False, negative=True) + (value(rng, dtype),)


def _masked(rng, dtype, value_=False, source=False):
    xs, ms = sized_broadcast(rng, 2)
    args = [ArraySpec(xs, dtype), ArraySpec(ms, "bool")]
    if value_:
        args.append(value(rng, dtype))
    if source:
        full = broadcast((xs, ms))
        n = math.prod(full)
        args.append(ArraySpec(rng.choice(((n,), (n + 2,), full)), dtype))
    return tuple(args)


def _getitem(rng, dtype):
    shp = sized_shape(rng)
    return ArraySpec(shp, dtype), mixed_index(rng, shp)


def _put(rng, dtype, accumulate=False):
    """torch.put: flat indices (negative ones included) into any shape; without ``accumulate`` at most one index
    (no position written twice: the winner is unspecified), with it 1-4 or a medium number of them, narrow ranges
    repeating positions (a medium count only into inputs of at most 256 elements). The source has as many elements
    as the index, in the index's shape or flattened; now and then another count (NumPy's put repeats or drops
    values: put-source-numel)."""
    shp = sized_shape(rng)
    n = math.prod(shp)
    if n == 0:
        length = 0
    elif not accumulate:
        length = 0 if rng.random() < 0.05 else 1
    else:
        length = along(rng, n, wide=n <= 256)
    ishape = (length,) if rng.random() < 0.7 or length == 0 else (1, length)
    idx = index_array(rng, ishape, n, index_dtype(rng, n), negative=True)
    sshape = ishape if rng.random() < 0.6 else (length,)
    if rng.random() < 0.05:
        sshape = (length + 1,)
    args = (ArraySpec(shp, dtype), idx, ArraySpec(sshape, dtype))
    if accumulate:
        if rng.random() < 0.7:
            return args, {"accumulate": True}
        return args + (True,), {}
    return (args, {}) if rng.random() < 0.8 else (args, {"accumulate": False})


def _unravel_index(rng, dtype):
    """Indices of the cell's dtype (an integer kind: the others raise in both libraries, bool only in torch) into
    a shape of 0 to 4 small dims, a long single dim, or an int; now and then values past either end (torch wraps
    them: unravel_index-out-of-range-wraps). Values are drawn for int64 and then held in the cell's dtype, so an
    int8 or uint8 cell wraps the larger ones itself."""
    r = rng.random()
    if r < 0.15:
        target = sized_shape(rng, 1, 1)[0]
        size = target
    else:
        target = shape(rng, 0, 4, zero=0.03)
        size = math.prod(target)
    ishape = sized_shape(rng)
    if size == 0 and math.prod(ishape) > 0 and rng.random() < 0.5:
        ishape = (0,)
    domain = ("int", 0, max(size, 1)) if rng.random() < 0.9 else ("int", -2 * size - 1, 2 * size + 2)
    return ArraySpec(ishape, dtype, domain=domain), target


def index_select_cases(dtype):
    return case(_index_select, dtype)


def take_cases(dtype):
    return case(_take, dtype)


def take_along_dim_cases(dtype):
    return case(_take_along_dim, dtype)


def gather_cases(dtype):
    return case(gather_args, dtype, negative=True)


def scatter_src_cases(dtype):
    return case(scatter_args, dtype, unique=True, negative=True)


def scatter_value_cases(dtype):
    return case(scatter_args, dtype, value_=True)


def scatter_reduce_arg_cases(dtype):
    return case(_scatter_reduce_arg, dtype)


def scatter_add_cases(dtype):
    return case(scatter_args, dtype, negative=True)


def scatter_reduce_cases(dtype):
    return case(_scatter_reduce, dtype)


def index_add_cases(dtype):
    return case(_index_add, dtype)


def index_copy_cases(dtype):
    return case(index_args, dtype, unique=True, sometimes_negative=True)


def index_fill_cases(dtype):
    return case(_index_fill, dtype)


def index_put_cases(dtype):
    return case(put_args, dtype, unique=True)


def index_put_accumulate_cases(dtype):
    return case(lambda rng, dt: (put_args(rng, dt), {"accumulate": True}), dtype)


def masked_fill_cases(dtype):
    return case(_masked, dtype, value_=True)


def masked_select_cases(dtype):
    return case(_masked, dtype)


def masked_scatter_cases(dtype):
    return case(_masked, dtype, source=True)


def getitem_cases(dtype):
    return case(_getitem, dtype)


def put_cases(dtype):
    return case(_put, dtype)


def put_accumulate_cases(dtype):
    return case(_put, dtype, accumulate=True)


def unravel_index_cases(dtype):
    return case(_unravel_index, dtype)


# ---- layouts on the NumPy side ------------------------------------------------------------------------------

def numpy_layout(values: np.ndarray, layout: str) -> np.ndarray:
    """A NumPy array holding ``values`` with the strides (in elements) that
    :func:`conformance.strategies.layouts.make` gives a tensor of that layout: column-major for ``transposed``,
    every other element of an array twice as large for ``strided``, a zero stride for ``expanded``."""
    if layout == "transposed" and values.ndim >= 2:
        return values.transpose().copy().transpose()
    if layout == "strided" and values.ndim > 0:
        big = np.zeros(tuple(2 * s for s in values.shape), values.dtype)
        index = (slice(None, None, 2),) * values.ndim
        big[index] = values
        return big[index]
    if layout == "expanded":
        axis = _layouts.expand_axis(values.shape)
        if axis is not None:
            return np.broadcast_to(np.take(values, [0], axis=axis), values.shape)
    return values.copy()


def viewable(values: np.ndarray, layout: str, shape_) -> bool:
    """Whether an array of ``values`` in ``layout`` can be viewed with ``shape_`` without a copy (NumPy's
    ``reshape(copy=False)`` rule, which is torch's ``view`` rule)."""
    try:
        np.reshape(numpy_layout(values, layout), shape_, copy=False)
        return True
    except ValueError:
        return False
