"""Strategies for the views family: view, reshape, flatten, ravel, squeeze, unsqueeze, transpose/swapaxes,
permute, movedim, expand/broadcast_to, T/mT, narrow, select, diagonal, unfold, contiguous, clone, flip; and the
ops that rearrange or build from a tensor: diag, diagflat, roll, rot90, fliplr/flipud, tile, atleast_1d/2d/3d,
meshgrid, vander.

One draw per case (:func:`conformance.strategies.indexing.case`), shapes from the size classes; every layout
comes from the generic tests. ``view`` targets only split dims and add or drop size-1 dims (viewable on every
layout: :func:`split_target`); ``reshape`` targets regroup the prime factors of the size freely
(:func:`reshape_target`). ``unfold`` windows are few or short (at most 16 elements per window, or a window
within 8 elements of the whole dim), so that a long row does not make a result of millions of elements.
"""
from __future__ import annotations

import math

from conformance.strategies.cases import ArraySpec
from conformance.strategies.indexing import case, dim, shape, side, sized_shape


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


def _view(rng, dtype):
    shp = sized_shape(rng)
    return ArraySpec(shp, dtype), split_target(rng, shp)


def _reshape(rng, dtype):
    shp = sized_shape(rng)
    target = reshape_target(rng, shp)
    if rng.random() < 0.05:  # a wrong number of elements: both raise
        target = target + (2,)
    return ArraySpec(shp, dtype), target


def _flatten(rng, dtype):
    shp = sized_shape(rng)
    if rng.random() < 0.2:
        return (ArraySpec(shp, dtype),)
    a, b = dim(rng, len(shp)), dim(rng, len(shp))
    nd = max(len(shp), 1)
    if a % nd > b % nd and rng.random() < 0.9:
        a, b = b, a
    if rng.random() < 0.3:
        return (ArraySpec(shp, dtype),), {"start_dim": a, "end_dim": b}  # keyword spelling
    return ArraySpec(shp, dtype), a, b


def _one(rng, dtype):
    return (ArraySpec(sized_shape(rng), dtype),)


def _with_ones(rng, shp):
    return tuple(1 if rng.random() < 0.3 else s for s in shp)


def _squeeze(rng, dtype):
    return (ArraySpec(_with_ones(rng, sized_shape(rng)), dtype),)


def _squeeze_dim(rng, dtype):
    shp = _with_ones(rng, sized_shape(rng))
    if shp and rng.random() < 0.3:
        dims = tuple(sorted({dim(rng, len(shp)) % len(shp) for _ in range(rng.randint(1, 3))}))
        dims = tuple(d - len(shp) if rng.random() < 0.5 else d for d in dims)
        return ArraySpec(shp, dtype), dims
    return ArraySpec(shp, dtype), dim(rng, len(shp))


def _unsqueeze(rng, dtype):
    shp = sized_shape(rng)
    return ArraySpec(shp, dtype), dim(rng, len(shp), extra=1)


def _two_dims(rng, dtype):
    shp = sized_shape(rng)
    return ArraySpec(shp, dtype), dim(rng, len(shp)), dim(rng, len(shp))


def _permute(rng, dtype):
    shp = sized_shape(rng)
    order = list(range(len(shp)))
    rng.shuffle(order)
    order = [d - len(shp) if rng.random() < 0.4 else d for d in order]
    if order and rng.random() < 0.05:  # a repeated dim: both raise
        order[-1] = order[0]
    return ArraySpec(shp, dtype), tuple(order)


def _movedim(rng, dtype):
    shp = sized_shape(rng, 1)
    nd = len(shp)
    if rng.random() < 0.4:
        return ArraySpec(shp, dtype), dim(rng, nd), dim(rng, nd)
    k = rng.randint(1, nd)
    src = rng.sample(range(nd), k)
    dst = rng.sample(range(nd), k)
    src = tuple(d - nd if rng.random() < 0.4 else d for d in src)
    dst = tuple(d - nd if rng.random() < 0.4 else d for d in dst)
    return ArraySpec(shp, dtype), src, dst


def _expand_sizes(rng, shp, minus_one=True):
    lead = tuple(side(rng) for _ in range(rng.randint(0, 2)))
    sizes = []
    for s in shp:
        if s == 1:
            sizes.append(rng.choice((1, 0, 2, 3, 17)))
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
    shp = _with_ones(rng, sized_shape(rng))
    return ArraySpec(shp, dtype), _expand_sizes(rng, shp)


def _broadcast_to(rng, dtype):
    shp = _with_ones(rng, sized_shape(rng))
    return ArraySpec(shp, dtype), _expand_sizes(rng, shp, minus_one=rng.random() < 0.2)


def _narrow(rng, dtype):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 0, 0, 1
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    n = shp[d % len(shp)]
    start = rng.randint(-n, n)
    begin = start % n if start < 0 else start
    length = rng.randint(0, n - begin) if rng.random() < 0.95 else n - begin + 1
    return ArraySpec(shp, dtype), d, start, length


def _select(rng, dtype):
    if rng.random() < 0.04:
        return ArraySpec((), dtype), 0, 0
    shp = sized_shape(rng, 1)
    d = dim(rng, len(shp))
    n = shp[d % len(shp)]
    if n == 0:
        return ArraySpec(shp, dtype), d, 0  # out of range: both raise
    return ArraySpec(shp, dtype), d, rng.randint(-n, n - 1)


def _diagonal(rng, dtype):
    shp = sized_shape(rng, 2)
    nd = len(shp)
    a, b = rng.sample(range(nd), 2)
    a = a - nd if rng.random() < 0.4 else a
    b = b - nd if rng.random() < 0.4 else b
    offset = rng.randint(-4, 4) if rng.random() < 0.7 else 0
    if rng.random() < 0.2:  # keywords, offset omitted or not
        kw = {"dim1": a, "dim2": b}
        if rng.random() < 0.5:
            kw["offset"] = offset
        return (ArraySpec(shp, dtype),), kw
    return ArraySpec(shp, dtype), offset, a, b


def _unfold(rng, dtype):
    shp = sized_shape(rng)
    d = dim(rng, len(shp))
    n = shp[d % len(shp)] if shp else 1
    if rng.random() < 0.05:
        size = n + 1  # larger than the dim: both raise
    elif rng.random() < 0.7 or n <= 16:
        size = rng.randint(0, min(n, 16))
    else:
        size = rng.randint(max(n - 8, 0), n)
    step = rng.randint(1, 3) if size <= 16 else rng.randint(1, 8)
    return ArraySpec(shp, dtype), d, size, step


def _flip(rng, dtype):
    shp = sized_shape(rng)
    nd = len(shp)
    dims = rng.sample(range(nd), rng.randint(0, nd)) if nd else []
    dims = tuple(d - nd if rng.random() < 0.4 else d for d in dims)
    return ArraySpec(shp, dtype), dims


def _matrix(rng, dtype):
    return (ArraySpec(sized_shape(rng, 0, 4), dtype),)


# ---- rearranging and matrix construction --------------------------------------------------------------------

#: the longest vector diag / diagflat / vander (without N) turn into a square matrix: a result of (n + |k|)**2
#: elements grows with the square of a long row (4,099 would make 16.8 million), so their vectors stop at medium
#: lengths (64: results of 4,096 and more elements, rows past every vector width)
SQUARE_SIDE = 64


def _capped(rng, n):
    """A vector length of at most :data:`SQUARE_SIDE`: ``n`` itself, or for a longer one a medium length with a
    tail (16 + n mod 49)."""
    return n if n <= SQUARE_SIDE else 16 + n % 49


def _offset(rng):
    return rng.randint(-5, 5) if rng.random() < 0.8 else rng.choice((-70, 70))


def _diag(rng, dtype):
    r = rng.random()
    if r < 0.05:  # 0-d or 3-D: both raise
        x = ArraySpec(rng.choice(((), (2, 2, 2))), dtype)
    elif r < 0.55:
        x = ArraySpec((_capped(rng, sized_shape(rng, 1, 1)[0]),), dtype)
    else:
        x = ArraySpec(sized_shape(rng, 2, 2), dtype)
    form = rng.random()
    if form < 0.25:
        return (x,)
    if form < 0.45:
        return (x,), {"diagonal": _offset(rng)}
    return x, _offset(rng)


def _diagflat(rng, dtype):
    shp = sized_shape(rng)
    if math.prod(shp) > SQUARE_SIDE:
        shp = shape(rng, 0, 3, max_side=4)
    x = ArraySpec(shp, dtype)
    form = rng.random()
    if form < 0.25:
        return (x,)
    if form < 0.45:
        return (x,), {"offset": _offset(rng)}
    return x, _offset(rng)


def _shift(rng, n):
    """A shift for a dim of ``n``: 0, within the dim, or past it either way."""
    return rng.choice((0, rng.randint(-n, n), rng.randint(-3 * n - 3, 3 * n + 3)))


def _roll(rng, dtype):
    """shifts and dims as users write them: one shift of the flattened tensor, one shift along one dim, tuples of
    the same length (a dim may repeat: its shifts add up), keywords; now and then tuples whose lengths differ, or
    a tuple of shifts without dims (NumPy broadcasts them, torch raises: roll-shifts-dims-align)."""
    shp = sized_shape(rng)
    nd = len(shp)
    x = ArraySpec(shp, dtype)
    r = rng.random()
    if r < 0.25 or nd == 0:
        shifts = _shift(rng, math.prod(shp))
        return ((x, shifts), {}) if rng.random() < 0.7 else ((x,), {"shifts": shifts})
    if r < 0.5:
        d = dim(rng, nd)
        return x, _shift(rng, shp[d % nd]), d
    dims = [dim(rng, nd) for _ in range(rng.randint(1, min(nd, 3) + 1))]
    shifts = [_shift(rng, shp[d % nd]) for d in dims]
    if r > 0.94:  # lengths that do not align
        if rng.random() < 0.5:
            return (x, tuple(shifts) + (1,)), {}
        shifts = shifts[:1] if len(dims) > 1 else shifts * 2
    if rng.random() < 0.3:
        return (x,), {"shifts": tuple(shifts), "dims": tuple(dims)}
    return x, tuple(shifts), tuple(dims)


def _rot90(rng, dtype):
    if rng.random() < 0.05:  # fewer than 2 dims: both raise
        return ArraySpec(sized_shape(rng, 0, 1), dtype), 1
    shp = sized_shape(rng, 2)
    nd = len(shp)
    a, b = rng.sample(range(nd), 2)
    if rng.random() < 0.04:
        b = a  # the same dim twice: both raise
    dims = (a - nd if rng.random() < 0.4 else a, b - nd if rng.random() < 0.4 else b)
    k = rng.randint(-6, 6)
    x = ArraySpec(shp, dtype)
    form = rng.random()
    if form < 0.15:
        return (x,)
    if form < 0.35:
        return x, k
    if form < 0.55:
        return (x,), {"k": k, "dims": dims}
    return x, k, dims


def _tile(rng, dtype):
    """reps of 0 to 4 entries (fewer than, as many as or more than the input's dims), 0 to 3 each; the result
    has the input's size times the product of the reps, so that product stays at most 4 for inputs of more than
    256 elements; a tuple or a list. (A bare int, which NumPy takes and torch.tile refuses where Tensor.tile takes
    it, is the pinned example of tile-int-reps: the generic test would hold the method to the function.)"""
    shp = sized_shape(rng)
    size = math.prod(shp)
    reps = [rng.choice((1, 1, 2, 3, 0)) for _ in range(rng.randint(0, 4))]
    while size > 256 and math.prod(reps) > 4:
        reps[reps.index(max(reps))] = 1
    x = ArraySpec(shp, dtype)
    if rng.random() < 0.1 and reps:
        return x, [-1] + reps[1:] if rng.random() < 0.3 else list(reps)  # a negative rep raises in both
    return x, tuple(reps)


def _atleast(rng, dtype):
    """One tensor (any number of dims), or two or three of different numbers of dims (a tuple comes back)."""
    count = 1 if rng.random() < 0.7 else rng.randint(2, 3)
    return tuple(ArraySpec(sized_shape(rng, 0, 4), dtype) for _ in range(count))


def _meshgrid(rng, dtype):
    """1 to 3 vectors (0-d ones now and then: taken as 1-element ones), the grid of at most about 20,000
    elements; indexing 'ij', 'xy' or omitted (meshgrid-default-indexing). Now and then a 2-D input (NumPy flattens
    it: meshgrid-not-1d) or a vector of another dtype (NumPy keeps each dtype: meshgrid-mixed-dtypes)."""
    count = rng.randint(1, 3)
    lengths = [sized_shape(rng, 1, 1)[0]] + [side(rng, 5, zero=0.05) for _ in range(count - 1)]
    if math.prod(lengths) > 20000:
        lengths[0] = 20000 // max(math.prod(lengths[1:]), 1)
    specs = [ArraySpec(() if rng.random() < 0.08 else (n,), dtype) for n in lengths]
    r = rng.random()
    if r < 0.04:
        specs[-1] = ArraySpec((2, 2), dtype)
    elif r < 0.08:
        specs[-1] = ArraySpec(specs[-1].shape, rng.choice(("float64", "int64", "bool")))
    form = rng.random()
    if form < 0.3:
        return tuple(specs)
    return tuple(specs), {"indexing": "ij" if form < 0.65 else "xy"}


def _vander(rng, dtype):
    """A vector and N: omitted or None (a square result: the vector at most :data:`SQUARE_SIDE` long) or 0 to 8
    columns for any length; increasing omitted, True or False. Now and then a 0-d or 2-D input (both raise)."""
    shp = sized_shape(rng, 1, 1)
    if rng.random() < 0.04:
        shp = rng.choice(((), (2, 2)))
    r = rng.random()
    if r < 0.35:
        n = None
        if shp and shp[0] > SQUARE_SIDE:
            shp = (_capped(rng, shp[0]),)
    else:
        n = rng.randint(0, 8)
    x = ArraySpec(shp, dtype)
    form = rng.random()
    if n is None and form < 0.5:
        return (x,) if form < 0.3 else ((x,), {"increasing": rng.random() < 0.5})
    if form < 0.4:
        return x, n
    if form < 0.7:
        return x, n, rng.random() < 0.5
    return (x,), {"N": n, "increasing": rng.random() < 0.5}


def cases(build, **kw):
    return lambda dtype: case(build, dtype, **kw)


view_cases = cases(_view)
reshape_cases = cases(_reshape)
flatten_cases = cases(_flatten)
one_cases = cases(_one)
squeeze_cases = cases(_squeeze)
squeeze_dim_cases = cases(_squeeze_dim)
unsqueeze_cases = cases(_unsqueeze)
two_dims_cases = cases(_two_dims)
permute_cases = cases(_permute)
movedim_cases = cases(_movedim)
expand_cases = cases(_expand)
broadcast_to_cases = cases(_broadcast_to)
narrow_cases = cases(_narrow)
select_cases = cases(_select)
diagonal_cases = cases(_diagonal)
unfold_cases = cases(_unfold)
flip_cases = cases(_flip)
matrix_cases = cases(_matrix)
diag_cases = cases(_diag)
diagflat_cases = cases(_diagflat)
roll_cases = cases(_roll)
rot90_cases = cases(_rot90)
tile_cases = cases(_tile)
atleast_cases = cases(_atleast)
meshgrid_cases = cases(_meshgrid)
vander_cases = cases(_vander)
