"""Strategies for the views family: view, reshape, flatten, ravel, squeeze, unsqueeze, transpose/swapaxes,
permute, movedim, expand/broadcast_to, T/mT, narrow, select, diagonal, unfold, contiguous, clone, flip.

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
