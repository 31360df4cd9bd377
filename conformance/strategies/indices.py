"""Strategies for indexing, gather/scatter, joining/splitting and view ops.

**One draw per case.** The argument structures of these ops are rich (a shape, a dim, an index shape matched
to both, index ranges, split points, ...): drawn piece by piece with Hypothesis they cost 5-20 ms per example,
which the suite's time budget cannot pay over thousands of examples. So Hypothesis draws one integer, and a
``random.Random`` seeded with it builds the structure (:func:`case`); values then come from the case's seed as
everywhere else. Failures still print the whole structure (the Case), and each builder makes the rare
conditions (0-d and size-0 arrays, negative dims, duplicate indices, empty index arrays, ...) common on purpose.

Index arrays are :class:`ArraySpec` s of an index dtype with a value ``domain`` ``("int", lo, hi)``, so their
values come from the case's seed like every other array (and they get non-contiguous layouts in
``test_layouts``). Their ranges are chosen on purpose: the whole valid range of the axis, or a narrow part of it
(one or two values) so that index arrays hold **duplicates**, which accumulating ops must add up one by one and
non-accumulating ops leave unspecified.

Generic catalogue strategies never produce an out-of-range index: on CUDA such an index trips a device-side
assert that poisons the context, so the error cases live in device-aware bespoke tests.

* :func:`case` — a Case strategy from a builder ``build(rng, *args) -> (args, kwargs)``;
* :func:`shape`, :func:`dim`, :func:`bounds`, :func:`index_array`, :func:`scalar` — the pieces builders use;
* :func:`gather_args`, :func:`scatter_args`, :func:`index_args`, :func:`put_args` — gather/scatter/index_* shapes;
* :func:`mixed_index` — ``__getitem__``/``__setitem__`` indices mixing ints, slices with steps, ``None``,
  ``Ellipsis``, integer arrays and boolean masks; :func:`basic_index` — basic indices from
  ``hypothesis.extra.numpy.basic_indices`` (a Hypothesis strategy, for the bespoke view/copy tests);
* :func:`split_sizes`, :func:`split_indices` — arguments of ``split`` / ``tensor_split``;
* :func:`reshape_target`, :func:`split_target` — target shapes for ``reshape`` and ``view``;
* :func:`numpy_layout`, :func:`viewable` — the NumPy counterpart of a memory layout (same strides), and whether
  an array in a layout can be viewed with another shape.
"""
from __future__ import annotations

import math
import random

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from conformance.strategies import layouts as _layouts
from conformance.strategies.cases import ArraySpec, Case

#: index dtypes, int64 first (the one every op accepts)
INDEX_DTYPES = ("int64", "int32")


def case(build, *args, **kwargs):
    """A Case strategy: one drawn integer seeds a ``random.Random``; ``build(rng, *args, **kwargs)`` returns the
    positional arguments (a tuple) or ``(args, kwargs)`` (a tuple and a dict); the value seed comes last."""
    def make(seed):
        rng = random.Random(seed)
        made = build(rng, *args, **kwargs)
        if len(made) == 2 and isinstance(made[0], tuple) and isinstance(made[1], dict):
            pos, kw = made
        else:
            pos, kw = tuple(made), {}
        return Case(tuple(pos), tuple(kw.items()), rng.getrandbits(32))
    return st.integers(0, 2 ** 64 - 1).map(make)


# ---- pieces -------------------------------------------------------------------------------------------------

def side(rng, max_side=5, zero=0.08):
    """A dim size: 0 now and then, 1 often, else up to ``max_side``."""
    r = rng.random()
    if r < zero:
        return 0
    if r < zero + 0.2:
        return 1
    return rng.randint(2, max_side)


def shape(rng, min_dims=0, max_dims=4, max_side=5, zero=0.08):
    return tuple(side(rng, max_side, zero) for _ in range(rng.randint(min_dims, max_dims)))


def dim(rng, ndim, extra=0):
    """A valid dim for ``ndim`` dims (``extra`` more past the end, as unsqueeze/stack take), negative ones half
    the time; a 0-d array takes 0 and -1."""
    n = max(ndim, 1) + extra
    d = rng.randrange(n)
    return d - n if rng.random() < 0.5 else d


def index_dtype(rng, long_only=False):
    return "int64" if long_only or rng.random() < 0.65 else "int32"


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


def index_array(rng, shp, size, dtype="int64", negative=False):
    """An index ArraySpec of shape ``shp`` for an axis of ``size`` (``shp`` must hold no element if size is 0)."""
    shp = tuple(shp)
    assert size > 0 or math.prod(shp) == 0, (shp, size)
    return ArraySpec(shp, dtype, domain=("int",) + bounds(rng, size, negative))


_FLOATS = (0.0, -0.0, 1.0, -1.5, 0.5, 2.0, 3.25, 1e3, float("inf"), float("nan"))


def scalar(rng, dtype):
    """A Python scalar of the kind that goes with ``dtype`` (the pools of :func:`conformance.strategies.scalars`)."""
    if dtype == "bool":
        return rng.random() < 0.5
    if dtype == "uint8":
        return rng.randint(0, 20)
    if dtype in ("int8", "int16", "int32", "int64"):
        return rng.randint(-20, 20)
    if dtype in ("complex64", "complex128"):
        return complex(rng.choice(_FLOATS[:8]), rng.choice(_FLOATS[:8]))
    return rng.choice(_FLOATS)


def broadcastable(rng, n, max_dims=4, max_side=5):
    """``n`` mutually broadcastable shapes: a common shape, each with leading dims dropped and sides set to 1."""
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


# ---- gather / scatter ---------------------------------------------------------------------------------------

def gather_args(rng, dtype, zero_d=True):
    """``(x, dim, index)`` for ``gather``: ``index`` has as many dims as ``x``, is no larger than ``x`` along
    the other dims (``gather`` allows it to be smaller, NumPy's ``take_along_axis`` does not), any length along
    ``dim``."""
    if zero_d and rng.random() < 0.08:
        return ArraySpec((), dtype), rng.choice((0, -1)), index_array(rng, (), 1, index_dtype(rng))
    shp = shape(rng, 1)
    d = dim(rng, len(shp))
    k = d % len(shp)
    ishape = [rng.randint(0, s) if rng.random() < 0.5 else s for s in shp]
    ishape[k] = rng.randint(0, 4) if shp[k] > 0 else 0
    if shp[k] == 0 and math.prod(ishape) > 0:
        ishape[k] = 0
    return ArraySpec(shp, dtype), d, index_array(rng, ishape, shp[k], index_dtype(rng))


def scatter_args(rng, dtype, value=False, unique=False):
    """``(x, dim, index, src)`` for ``scatter``-like ops: ``index.size(d) <= src.size(d)`` for every ``d`` and
    ``<= x.size(d)`` for ``d != dim``; ``src`` is an array (possibly larger than ``index``) or, with ``value``,
    a Python scalar. With ``unique``, ``index`` has at most one element along ``dim``, so that no position is
    written twice (for ops whose result with duplicates is unspecified)."""
    if rng.random() < 0.08:
        src = scalar(rng, dtype) if value else ArraySpec((), dtype)
        return ArraySpec((), dtype), rng.choice((0, -1)), index_array(rng, (), 1, index_dtype(rng)), src
    shp = shape(rng, 1)
    d = dim(rng, len(shp))
    k = d % len(shp)
    ishape = [rng.randint(0, s) if rng.random() < 0.5 else s for s in shp]
    ishape[k] = (rng.randint(0, 1) if unique else rng.randint(0, 5)) if shp[k] > 0 else 0
    if shp[k] == 0 and math.prod(ishape) > 0:
        ishape[k] = 0
    idx = index_array(rng, ishape, shp[k], index_dtype(rng))
    src = scalar(rng, dtype) if value else ArraySpec(tuple(q + (rng.random() < 0.3) for q in ishape), dtype)
    return ArraySpec(shp, dtype), d, idx, src


# ---- index_select / index_add / index_copy / index_fill -----------------------------------------------------

def index_args(rng, dtype, source=True, unique=False, negative=False, zero_d_index=False, max_len=6):
    """``(x, dim, index[, source])`` for the ``index_*`` ops: a 1-D index (0-d too with ``zero_d_index``) into
    dim ``dim``; ``source`` has ``x``'s shape with ``dim`` resized to the index length. ``unique``: at most one
    index (no position written twice)."""
    shp = shape(rng, 1)
    d = dim(rng, len(shp))
    n = shp[d % len(shp)]
    length = 0 if n == 0 else rng.randint(0, 1 if unique else max_len)
    ishape = (length,)
    if zero_d_index and n > 0 and rng.random() < 0.15:
        ishape, length = (), 1
    idx = index_array(rng, ishape, n, index_dtype(rng), negative=negative)
    x = ArraySpec(shp, dtype)
    if not source:
        return x, d, idx
    sshape = list(shp)
    sshape[d % len(shp)] = length
    return x, d, idx, ArraySpec(tuple(sshape), dtype)


def put_args(rng, dtype, unique=False):
    """``(x, indices, values)`` for ``index_put``: ``indices`` is a tuple of integer arrays (mutually
    broadcastable, negative values included) for the leading dims, or one boolean mask over them; ``values``
    broadcasts to the indexed shape. ``unique``: the integer arrays broadcast to at most one element."""
    shp = shape(rng, 1)
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
    else:
        ishapes = broadcastable(rng, k, max_dims=2, max_side=4)
    dt = index_dtype(rng)
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


def mixed_index(rng, shp, arrays=True, masks=True, negative_step=True, ints=True):
    """An index tuple for ``shp`` mixing basic parts (ints, slices with steps, ``None``, ``Ellipsis``) with
    integer arrays (negative values included, int64 or int32, 0-d ones too) and boolean masks. Integer arrays
    are mutually broadcastable; a mask covers as many dims as it has. About one slice in twelve has a negative
    step (torch rejects those)."""
    shp = tuple(shp)
    parts = []
    axis = 0
    adv_shapes = broadcastable(rng, 3, max_dims=2, max_side=3)
    n_adv = 0
    used_ellipsis = False
    dt = index_dtype(rng)
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
            parts.append(index_array(rng, ishape, n, dt, negative=True))
            axis += 1
        else:
            k = rng.randint(1, min(2, len(shp) - axis))
            parts.append(ArraySpec(shp[axis:axis + k], "bool"))
            axis += k
    if not parts or rng.random() < 0.2:
        parts.append(None if used_ellipsis or rng.random() < 0.5 else Ellipsis)
    return tuple(parts)


# ---- joining and splitting ----------------------------------------------------------------------------------

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


# ---- reshape / view targets ---------------------------------------------------------------------------------

def _factors(n):
    out, p = [], 2
    while n > 1 and p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out


def reshape_target(rng, shp, allow_minus_one=True):
    """A shape with as many elements as ``shp``: its prime factors regrouped into 0 to 4 dims (size-1 dims
    among them), and sometimes one side given as -1."""
    size = math.prod(shp)
    if size == 0:
        target = list(shape(rng, 1, 4, zero=0.0))
        target[rng.randrange(len(target))] = 0
        return tuple(target)
    primes = _factors(size)
    rng.shuffle(primes)
    ndim = rng.randint(1 if primes else 0, 4)
    target = [1] * ndim
    for p in primes:
        target[rng.randrange(ndim)] *= p
    if allow_minus_one and target and rng.random() < 0.25:
        target[rng.randrange(len(target))] = -1
    return tuple(target)


def split_target(rng, shp, allow_minus_one=True):
    """A shape reachable from ``shp`` by splitting dims into factors and inserting or dropping size-1 dims:
    a ``view`` of it exists whatever the strides (merging dims needs compatible strides: tested separately)."""
    out = []
    for s in shp:
        if s == 1 and rng.random() < 0.3:
            continue  # drop a size-1 dim
        f = _factors(s) if s > 1 else []
        if len(f) > 1 and rng.random() < 0.6:
            cut = rng.randint(1, len(f) - 1)
            out += [math.prod(f[:cut]), math.prod(f[cut:])]
        else:
            out.append(s)
        if rng.random() < 0.15:
            out.append(1)
    if allow_minus_one and out and 0 not in out and rng.random() < 0.25:
        out[rng.randrange(len(out))] = -1
    return tuple(out)


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


def viewable(values: np.ndarray, layout: str, shape) -> bool:
    """Whether an array of ``values`` in ``layout`` can be viewed with ``shape`` without a copy (NumPy's
    ``reshape(copy=False)`` rule, which is torch's ``view`` rule)."""
    try:
        np.reshape(numpy_layout(values, layout), shape, copy=False)
        return True
    except ValueError:
        return False
