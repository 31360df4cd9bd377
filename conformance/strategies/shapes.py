"""Shape and dim strategies.

Shapes include 0-d arrays, size-0 and size-1 dims on purpose (``hnp.array_shapes`` gives neither by default).
Sides are small: conformance bugs show on small arrays, and the generation stays cheap.
"""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
from hypothesis import strategies as st

MAX_DIMS = 4
MAX_SIDE = 5


def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 0, max_side: int = MAX_SIDE):
    """Array shapes of ``min_dims``..``max_dims`` dims with sides in ``min_side``..``max_side``."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(num_shapes: int = 2, min_dims: int = 0, max_dims: int = MAX_DIMS,
                         min_side: int = 0, max_side: int = MAX_SIDE):
    """Tuples of ``num_shapes`` mutually broadcastable shapes (NumPy's broadcasting rules)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side,
    ).map(lambda r: r.input_shapes)


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
