"""Strategies for matrix products: operand shapes of dot, mm, bmm, mv, matmul, tensordot, kron, trace, tril/triu.

Every strategy here returns :class:`~conformance.strategies.Case` objects, drawn for the representative dtype of a
kind (and retargeted to every dtype of it). Shapes follow each op's rule (the inner dims agree, batch dims
broadcast for ``matmul``, ...), and about one case in seven is *invalid* on purpose (inner dims that disagree, a
missing or extra dim, batch dims that do not broadcast): there NumPy raises, and the generic tests require torch to
raise too.

**Sizes.** A product reduces over its contracted dim: its length comes from :data:`INNER`, in the size classes of
:mod:`conformance.strategies.shapes` (edge 0 and 1, small 2-5, medium 16-255 with a vector tail, long 256-4,099),
so that the blocked and vectorized kernels and their accumulation order are reached. The free dims (rows,
columns, batch) are mostly small, sometimes medium (:data:`SIDE`): the cost of a product grows as the product of
its dims, so a long contracted dim keeps the others small (:func:`_fit`). ``trace`` reduces over the diagonal,
whose length needs a square-ish matrix: its long class stops at 513 (a 4,099-square matrix is 16 M elements).
"""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
from hypothesis import strategies as st

from conformance.strategies.shapes import LONG_SIDES, MEDIUM_SIDES, uniform_from
from conformance.strategies.shapes import shapes as pooled_shapes
from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import seeds


def _classes(edge, small, medium, long_, shares=(0.14, 0.40, 0.30, 0.16), count=100):
    """A pool of lengths in the shares of the size classes, simplest first (Hypothesis shrinks to index 0, and
    draws it far more often than the others: 1 comes first, then 0)."""
    found = []
    for values, share in zip((edge, small, medium, long_), shares):
        n = int(round(count * share))
        found += [values[i % len(values)] for i in range(n)]
    return tuple(sorted(found, key=lambda n: (n != 1, n)))


#: contracted lengths: 0 (an empty sum) at most one time in ten, 1, small, medium with a tail, long rows
INNER = uniform_from(_classes((0, 1, 1, 1), (2, 3, 4, 5), MEDIUM_SIDES, LONG_SIDES))
#: free dims: small mostly (0 now and then), sometimes past a vector width
SIDE = uniform_from(_classes((0, 1, 1), (2, 3, 4, 2, 3), (16, 17, 33), (64, 65),
                                shares=(0.15, 0.65, 0.14, 0.06)))
BATCH = st.sampled_from((2, 1, 3) * 4 + (0,))  # an empty batch one time in 13
#: the most multiply-adds a drawn product may take (a long contracted dim keeps the free dims small)
BUDGET = 1 << 15


def _fit(inner: int, *free: int) -> tuple:
    """The free dims, shrunk to at most 4 each when the product would exceed :data:`BUDGET`."""
    cost = max(inner, 1)
    for f in free:
        cost *= max(f, 1)
    if cost <= BUDGET:
        return free
    return tuple(min(f, 4) for f in free)


def _invalid_sometimes(valid, invalid, weight: int = 5):
    """``valid``, or ``invalid`` about one time in ``weight + 1`` (an interior value of a drawn integer: Hypothesis
    favours the bounds, and ``one_of`` does not draw its branches uniformly)."""
    return st.tuples(st.integers(0, weight), valid, invalid).map(lambda t: t[2] if t[0] == 2 else t[1])


SMALL = st.sampled_from((2, 3, 1, 4, 0))
#: a small free dim of a stack (size 0 comes from INNER and the general draw already)
_NONZERO = st.sampled_from((2, 3, 1, 4))


def _shape(rank: int):
    return st.tuples(*[SMALL] * rank)


def small_shapes(max_rank: int = 3):
    """Shapes of rank 0 to ``max_rank`` (about uniform) with sides 0 to 4 (0 one time in five)."""
    return st.sampled_from(tuple(range(max_rank + 1))[::-1]).flatmap(_shape)


def _case(dtype: str, shapes_st, extra=st.just(()), kwargs=st.just(())):
    """Cases whose positional arguments are one array per shape in ``shapes_st``, then the ``extra`` values."""
    return st.builds(lambda shp, more, kw, seed: Case(tuple(ArraySpec(tuple(s), dtype) for s in shp) + tuple(more),
                                                       tuple(kw), seed),
                     shapes_st, extra, kwargs, seeds)


def _off_by_one(n: int) -> int:
    return n + 1 if n < 5 else n - 1


# ---- shapes -------------------------------------------------------------------------------------------------

def vector_pairs():
    """Two 1-D shapes of the same length; invalid: different lengths, or an operand that is not 1-D."""
    valid = INNER.map(lambda n: ((n,), (n,)))
    invalid = st.one_of(
        INNER.map(lambda n: ((n,), (_off_by_one(n),))),
        st.tuples(small_shapes(2), SMALL).map(lambda t: (t[0], (t[1],))),
    )
    return _invalid_sometimes(valid, invalid)


def _mnp(t):
    m, n, p = t
    m, p = _fit(n, m, p)
    return m, n, p


def matrix_pairs():
    """(m, n), (n, p) for ``mm``; invalid: n disagrees, or an operand is not 2-D."""
    mnp = st.tuples(SIDE, INNER, SIDE).map(_mnp)
    valid = mnp.map(lambda t: ((t[0], t[1]), (t[1], t[2])))
    invalid = st.one_of(
        mnp.map(lambda t: ((t[0], t[1]), (_off_by_one(t[1]), t[2]))),
        mnp.map(lambda t: ((t[0], t[1]), (t[1],))),
        mnp.map(lambda t: ((1, t[0], t[1]), (t[1], t[2]))),
    )
    return _invalid_sometimes(valid, invalid)


def batch_pairs():
    """(b, m, n), (b, n, p) for ``bmm`` (no broadcasting); invalid: batch sizes or n disagree, or not 3-D."""
    bmnp = st.tuples(BATCH, SIDE, INNER, SIDE).map(lambda t: (t[0],) + _mnp(t[1:]))
    valid = bmnp.map(lambda t: ((t[0], t[1], t[2]), (t[0], t[2], t[3])))
    invalid = st.one_of(
        # a batch of 1 against a batch of b: matmul would broadcast it, bmm must not
        st.tuples(st.sampled_from((2, 3)), bmnp).map(
            lambda t: ((1, t[1][1], t[1][2]), (t[0], t[1][2], t[1][3]))),
        bmnp.map(lambda t: ((t[0], t[1], t[2]), (t[0], _off_by_one(t[2]), t[3]))),
        bmnp.map(lambda t: ((t[1], t[2]), (t[2], t[3]))),
    )
    return _invalid_sometimes(valid, invalid)


def matrix_vector_pairs():
    """(m, n), (n,) for ``mv``; invalid: n disagrees, or the operands have other ranks."""
    mn = st.tuples(SIDE, INNER).map(lambda t: (_fit(t[1], t[0])[0], t[1]))
    valid = mn.map(lambda t: ((t[0], t[1]), (t[1],)))
    invalid = st.one_of(
        mn.map(lambda t: ((t[0], t[1]), (_off_by_one(t[1]),))),
        mn.map(lambda t: ((t[0], t[1]), (t[1], 1))),
        mn.map(lambda t: ((2, t[0], t[1]), (t[1],))),
    )
    return _invalid_sometimes(valid, invalid)


def matmul_pairs():
    """Every rank combination of ``matmul`` (1-D promotion, batch broadcasting as ``np.matmul``), from the gufunc
    signature ``(m?,n),(n,p?)->(m?,p?)`` with up to two batch dims; invalid: a 0-d operand, n disagrees, batch
    dims that do not broadcast."""
    valid = hnp.mutually_broadcastable_shapes(signature="(m?,n),(n,p?)->(m?,p?)", max_dims=2, min_side=1,
                                              max_side=4).map(lambda r: r.input_shapes)
    # sizes 1 to 4 from the signature, then the inner length from INNER (all its size classes)
    valid = st.tuples(valid, INNER).map(lambda t: _with_inner(t[0], t[1]))
    # a stack of one matrix against a stack of several (either side): the batch broadcast NumPy defines, which the
    # general draw above meets in about 5 % of its examples
    stacked = st.tuples(st.sampled_from((2, 3)), _NONZERO, INNER, _NONZERO, st.booleans()).map(
        lambda t: ((1, t[1], t[2]), (t[0], t[2], t[3])) if t[4] else ((t[0], t[1], t[2]), (1, t[2], t[3])))
    general = valid
    valid = st.sampled_from(("general", "general", "general", "stacked")).flatmap(
        lambda kind: stacked if kind == "stacked" else general)
    invalid = st.sampled_from(("inner", "batch", "0-d")).flatmap(lambda kind: {
        "inner": valid.map(_break_inner),
        "batch": st.tuples(st.sampled_from((2, 3)), _NONZERO, INNER, _NONZERO).map(
            lambda t: ((t[0], t[1], t[2]), (t[0] + 1, t[2], t[3]))),
        "0-d": st.tuples(small_shapes(3), st.booleans()).map(lambda t: ((), t[0]) if t[1] else (t[0], ())),
    }[kind])
    return _invalid_sometimes(valid, invalid)


def _inner_axes(shapes):
    a, b = shapes
    return len(a) - 1, (0 if len(b) == 1 else len(b) - 2)


def _with_inner(shapes, n):
    a, b = (list(s) for s in shapes)
    ia, ib = _inner_axes(shapes)
    a[ia] = b[ib] = n
    return tuple(a), tuple(b)


def _break_inner(shapes):
    a, b = (list(s) for s in shapes)
    ia, ib = _inner_axes(shapes)
    b[ib] = _off_by_one(a[ia])
    return tuple(a), tuple(b)


def inner_pairs():
    """``inner``: any ranks (0-d included) whose last dims agree; invalid: last dims disagree."""
    def build(t):
        sa, sb, n = t
        if not sa or not sb:  # a 0-d operand multiplies
            return sa, sb
        return sa[:-1] + (n,), sb[:-1] + (n,)
    valid = st.tuples(small_shapes(2), small_shapes(2), INNER).map(build)
    invalid = st.tuples(small_shapes(2), INNER).map(lambda t: (t[0] + (t[1],), (2, _off_by_one(t[1]))))
    return _invalid_sometimes(valid, invalid)


def tensordot_cases(dtype: str):
    """``tensordot(a, b, dims)`` with ``dims`` an int (the last k dims of a against the first k of b), a pair of
    lists of axes (any order, negative axes included), the keyword ``dims=`` or left out (the default, 2);
    invalid: contracted sizes that disagree, an int larger than a rank. An int below 0 is drawn rarely: NumPy and
    torch treat it differently (a recorded divergence). One contracted dim takes the lengths of :data:`INNER`."""
    @st.composite
    def build(draw):
        k = draw(st.sampled_from((1, 2, 0)))
        contracted = draw(st.lists(SMALL, min_size=k, max_size=k))
        if k:
            contracted[0] = draw(INNER)
        free_a = [draw(SMALL) for _ in range(draw(st.sampled_from((1, 0, 2))))]
        free_b = [draw(SMALL) for _ in range(draw(st.sampled_from((1, 0, 2))))]
        form = draw(st.sampled_from(("lists", "int", "lists", "int", "keyword", "default", "invalid",
                                     "negative")))
        if form in ("int", "negative", "keyword", "default"):
            if form == "default":
                k = 2
                contracted = (contracted + [2, 3])[:2]
            a, b = tuple(free_a + contracted), tuple(contracted + free_b)
            if form == "negative":
                return (a, b), (-1,), ()
            if form == "default":
                return (a, b), (), ()
            if draw(st.sampled_from((False,) * 7 + (True,))):
                return (a, b), (k + len(free_b) + 1,), ()  # more dims than b has
            return ((a, b), (), (("dims", k),)) if form == "keyword" else ((a, b), (k,), ())
        # list form: place the contracted dims at random positions of each operand
        pos_a = draw(st.permutations(range(len(free_a) + k)))
        pos_b = draw(st.permutations(range(len(free_b) + k)))
        a = [0] * (len(free_a) + k)
        b = [0] * (len(free_b) + k)
        axes_a, axes_b = [], []
        for i, size in enumerate(contracted):
            a[pos_a[i]] = b[pos_b[i]] = size
            axes_a.append(pos_a[i])
            axes_b.append(pos_b[i])
        for j, size in enumerate(free_a):
            a[pos_a[k + j]] = size
        for j, size in enumerate(free_b):
            b[pos_b[k + j]] = size
        if draw(st.booleans()):
            axes_a = [x - len(a) for x in axes_a]
        if draw(st.booleans()):
            axes_b = [x - len(b) for x in axes_b]
        if form == "invalid" and k:
            b[pos_b[0]] = _off_by_one(b[pos_b[0]])
        return (tuple(a), tuple(b)), ((axes_a, axes_b),), ()
    return build().flatmap(lambda t: _case(dtype, st.just(t[0]), st.just(t[1]), st.just(t[2])))


def kron_pairs():
    """``kron``: a small left operand (rank 0 to 2) and a right one from the size classes (rank 0 to 3), or both
    small (non-square matrices, different ranks included): the result has the product of their sizes."""
    big = pooled_shapes(max_dims=3).map(lambda s: s if _size(s) <= 4200 else s[-1:])
    return st.tuples(small_shapes(2), st.one_of(small_shapes(3), big))


def _size(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def matrices():
    """Matrices and stacks of one or two matrices (non-square ones included) from the size classes; sometimes a
    0-d or 1-D array."""
    valid = pooled_shapes(min_dims=2, max_dims=4)
    invalid = small_shapes(1)
    return _invalid_sometimes(valid, invalid)


# ---- cases --------------------------------------------------------------------------------------------------

def dot_case(dtype: str):
    return _case(dtype, vector_pairs())


def mm_case(dtype: str):
    return _case(dtype, matrix_pairs())


def bmm_case(dtype: str):
    return _case(dtype, batch_pairs())


def mv_case(dtype: str):
    return _case(dtype, matrix_vector_pairs())


def matmul_case(dtype: str):
    return _case(dtype, matmul_pairs())


def inner_case(dtype: str):
    return _case(dtype, inner_pairs())


def outer_case(dtype: str):
    """Two 1-D operands of any lengths (the second from :data:`INNER`'s classes: the one the kernel vectorizes
    along); sometimes one that is not 1-D (NumPy flattens it, torch raises)."""
    valid = st.tuples(SIDE, INNER).map(lambda t: ((t[0],), (t[1],)))
    invalid = st.tuples(st.sampled_from((0, 2)).flatmap(_shape), SMALL).map(lambda t: (t[0], (t[1],)))
    return _case(dtype, _invalid_sometimes(valid, invalid))


def kron_case(dtype: str):
    return _case(dtype, kron_pairs())


#: diagonal lengths of trace: the classes of INNER, the long one up to 513 (see the module docstring)
DIAGONAL = st.sampled_from(_classes((0, 1, 1), (2, 3, 4, 5), MEDIUM_SIDES, (256, 257, 300, 511, 513)))


def trace_case(dtype: str):
    """A matrix (square or not: one side is the diagonal's length, the other up to 3 more); sometimes 1-D or 3-D
    (torch.trace takes matrices only)."""
    square = st.tuples(DIAGONAL, st.sampled_from((0, 0, 1, 3)), st.booleans()).map(
        lambda t: (t[0], t[0] + t[1]) if t[2] else (t[0] + t[1], t[0]))
    shapes = _invalid_sometimes(square, st.sampled_from((0, 1, 3)).flatmap(_shape))
    return _case(dtype, shapes.map(lambda s: (s,)))


def triangle_case(dtype: str):
    """``tril``/``triu``: a (stack of) matrices from the size classes and a diagonal offset in -6..6 or past a
    side, positional, as the keyword ``diagonal=`` or left out (the default, 0)."""
    def build(shape, offset, form, seed):
        spec = ArraySpec(tuple(shape), dtype)
        if form == "default":
            return Case((spec,), (), seed)
        if form == "keyword":
            return Case((spec,), (("diagonal", offset),), seed)
        return Case((spec, offset), (), seed)
    offsets = st.one_of(st.integers(-6, 6), st.sampled_from((-300, 17, 300)))
    return st.builds(build, matrices(), offsets, st.sampled_from(("positional", "keyword", "default")), seeds)
