"""Strategies for torch.linalg's solvers, decompositions and matrix functions.

Matrices (and stacks of them: up to two batch dims, broadcasting where the op broadcasts) drawn for the
representative dtype of a kind and retargeted to every dtype of it. **Sizes**: the cost of a factorization grows
as ``n^3`` and the suite's measurements (in longdouble, without BLAS) as much, so the sides stay below 34:
0 (an empty matrix), 1 (a scalar), small sides (2-5, 8), and 16, 17, 33 (blocked LAPACK paths, a vector tail),
about 30 % of the examples 16 or more; batches of up to 3 matrices. **Forms**: ``"plain"`` the drawn matrix,
``"singular"`` its last row a copy of its first (exactly singular; see references.decompositions); the value fills
give well conditioned matrices (ordinary), non-finite entries (special) and magnitudes over the whole exponent
range, which are ill conditioned (extreme). About one case in eight has shapes the op rejects (a non-square
matrix, inner sizes that disagree, a 1-D input): both libraries must raise.
"""
from __future__ import annotations

import math

from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import seeds

#: matrix sides, simplest first (Hypothesis shrinks to the first): 16+ about 30 %
SIDES = st.sampled_from((0, 1, 2, 3, 2, 3, 4, 5, 8, 16, 17, 33, 3, 16, 2, 17))
BATCHES = st.sampled_from(((), (), (2,), (1,), (3,), (1, 2)))
FORMS = st.sampled_from(("plain", "plain", "singular"))


def _sometimes(valid, invalid, weight: int = 7):
    """``valid``, or ``invalid`` about one time in ``weight + 1`` (an interior value of a drawn integer)."""
    return st.tuples(st.integers(0, weight), valid, invalid).map(lambda t: t[2] if t[0] == 3 else t[1])


def square_shapes():
    """A stack of square matrices; invalid: a non-square matrix or a 1-D input."""
    valid = st.tuples(BATCHES, SIDES).map(lambda t: t[0] + (t[1], t[1]))
    invalid = st.one_of(st.tuples(BATCHES, SIDES).map(lambda t: t[0] + (t[1], t[1] + 1)),
                        SIDES.map(lambda n: (max(n, 1),)))
    return _sometimes(valid, invalid)


def any_shapes():
    """A stack of matrices of any sides (tall, wide, square, empty)."""
    return st.tuples(BATCHES, SIDES, SIDES).map(lambda t: t[0] + (t[1], t[2]))


def _case(args, kwargs=(), seed=0):
    return Case(tuple(args), tuple(kwargs), seed)


def with_form(dtype, shapes, **options):
    """``(A, form)`` and keyword options (each a strategy of values; None leaves the keyword out)."""
    def build(shape, form, extra, seed):
        return _case((ArraySpec(shape, dtype), form), tuple((k, v) for k, v in extra if v is not None), seed)
    return st.builds(build, shapes, FORMS, st.tuples(*[st.tuples(st.just(k), v) for k, v in options.items()]),
                     seeds)


def square_case(dtype: str, **options):
    return with_form(dtype, square_shapes(), **options)


def matrix_case(dtype: str, **options):
    return with_form(dtype, any_shapes(), **options)


def cholesky_case(dtype: str):
    """``(B, form)``: form ``"spd"`` (mostly: ``B B^H + n I``, positive definite) or ``"plain"`` (B itself: not
    positive definite as a rule, so both libraries raise); ``upper`` left out, False or True."""
    def build(shape, form, upper, seed):
        kwargs = () if upper is None else (("upper", upper),)
        return _case((ArraySpec(shape, dtype), form), kwargs, seed)
    return st.builds(build, square_shapes(), st.sampled_from(("spd", "spd", "spd", "plain")),
                     st.sampled_from((None, False, True)), seeds)


def _rhs_shape(draw, a_shape):
    """A right-hand side for ``A`` (b x n x n): a vector batch (one dim less), or k columns, with batch dims that
    broadcast (dropped, or of size 1); sometimes a size that disagrees."""
    n = a_shape[-1] if a_shape else 1
    batch = a_shape[:-2]
    kind = draw(st.sampled_from(("matrix", "vector", "matrix", "broadcast", "wrong")))
    k = draw(st.sampled_from((1, 2, 3, 0, 5)))
    if kind == "vector":
        return batch + (n,)
    if kind == "broadcast":
        return (n, k)
    if kind == "wrong":
        return batch + (n + 1, k)
    return batch + (n, k)


def solve_case(dtype: str):
    """``solve(A, B, form)``: B a vector batch or a matrix of right-hand sides, broadcasting; ``left`` left out
    or True (``left=False``: ``X A = B``, with B's columns sized to A)."""
    @st.composite
    def build(draw):
        a = draw(square_shapes())
        left = draw(st.sampled_from((None, None, True, False)))
        b = _rhs_shape(draw, a)
        if left is False:  # X A = B: rows of B against A's columns (a matrix B: a vector would be ambiguous)
            b = b + (1,) if len(b) == len(a) - 1 or len(b) < 2 else b  # (a 1-D A: invalid, both must refuse)
            b = b[:-2] + (b[-1], b[-2])
        kwargs = () if left is None else (("left", left),)
        return _case((ArraySpec(a, dtype), ArraySpec(b, dtype), draw(FORMS)), kwargs, draw(seeds))
    return build()


def system_case(dtype: str):
    """``(A, B, form)`` of a linear system whose residual is measured: B k columns (k of 0 to 5) with A's batch, or
    a vector where A is one matrix (a stack of vectors is read differently by torch and NumPy 2: ``solve_case``
    and its record cover that)."""
    @st.composite
    def build(draw):
        a = draw(square_shapes())
        n = a[-1] if len(a) >= 2 else a[0]
        vector = len(a) == 2 and draw(st.booleans())
        b = (n,) if vector else a[:-2] + (n, draw(st.sampled_from((1, 2, 3, 0, 5))))
        return _case((ArraySpec(a, dtype), ArraySpec(b, dtype), draw(FORMS)), (), draw(seeds))
    return build()


def lstsq_case(dtype: str):
    """``lstsq(A, B)``: A tall, square or wide; B with A's rows (a vector batch or columns)."""
    @st.composite
    def build(draw):
        batch, m, n = draw(BATCHES), draw(SIDES), draw(SIDES)
        kind = draw(st.sampled_from(("matrix", "vector")))
        b = batch + ((m,) if kind == "vector" else (m, draw(st.sampled_from((1, 2, 3)))))
        return _case((ArraySpec(batch + (m, n), dtype), ArraySpec(b, dtype)), (), draw(seeds))
    return build()


def qr_case(dtype: str):
    return matrix_case(dtype, mode=st.sampled_from((None, "reduced", "complete", "r")))


def svd_case(dtype: str):
    return matrix_case(dtype, full_matrices=st.sampled_from((None, True, False)))


def eigh_case(dtype: str):
    return square_case(dtype, UPLO=st.sampled_from((None, "L", "U")))


def hermitian_flag_case(dtype: str):
    """``pinv`` / ``matrix_rank``: ``hermitian`` left out or False (True reads one triangle: a different matrix
    unless it is Hermitian, which a drawn matrix is not)."""
    return matrix_case(dtype, hermitian=st.sampled_from((None, False)))


def matrix_rank_case(dtype: str):
    """``matrix_rank(A, form, rtol=...)``: the default tolerance on plain matrices (full rank, far from the
    threshold), ``rtol=1e-3`` on singular ones (rank n - 1, far below it: the threshold is not a knife's edge)."""
    def build(shape, form, seed):
        kwargs = (("rtol", 1e-3),) if form == "singular" else ()
        return _case((ArraySpec(shape, dtype), form), kwargs, seed)
    return st.builds(build, any_shapes(), FORMS, seeds)


def cond_case(dtype: str):
    """``cond(A, p, form)``: every ``p`` torch and NumPy share (None, 'fro', 'nuc', inf, -inf, 1, -1, 2, -2),
    positional."""
    def build(shape, p, form, seed):
        return _case((ArraySpec(shape, dtype), p, form), (), seed)
    ps = st.sampled_from((None, 2, "fro", -2, 1, -1, math.inf, -math.inf, "nuc"))
    return st.builds(build, square_shapes(), ps, FORMS, seeds)


def matrix_norm_case(dtype: str):
    """``matrix_norm(A, ord, dim, keepdim)``: every matrix ord, ``dim`` the last two dims or another pair,
    keepdim; the arguments as keywords or left out (ord='fro')."""
    @st.composite
    def build(draw):
        shape = draw(any_shapes())
        kwargs = []
        ord_ = draw(st.sampled_from((None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)))
        if ord_ is not None:
            kwargs.append(("ord", ord_))
        if len(shape) >= 3 and draw(st.booleans()):
            kwargs.append(("dim", (0, -1)))
        if draw(st.booleans()):
            kwargs.append(("keepdim", draw(st.booleans())))
        return _case((ArraySpec(shape, dtype),), kwargs, draw(seeds))
    return build()


def norm_case(dtype: str):
    """``linalg.norm(x, ord, dim, keepdim)``: ord None over everything; a vector ord along one dim; a matrix ord
    over two dims (positional or keyword)."""
    @st.composite
    def build(draw):
        kind = draw(st.sampled_from(("none", "vector", "matrix")))
        if kind == "matrix":
            shape = draw(any_shapes())
            ord_ = draw(st.sampled_from(("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf, None)))
            return _case((ArraySpec(shape, dtype), ord_, (-2, -1)), (), draw(seeds))
        shape = draw(st.tuples(BATCHES, SIDES).map(lambda t: t[0] + (t[1],)))
        if kind == "none":
            return _case((ArraySpec(shape, dtype),), (("keepdim", draw(st.booleans())),), draw(seeds))
        ord_ = draw(st.sampled_from((2, 1, math.inf, -math.inf, 0, 3)))
        return _case((ArraySpec(shape, dtype),), (("ord", ord_), ("dim", -1)), draw(seeds))
    return build()


def matrix_power_case(dtype: str):
    """``matrix_power(A, n)``: n in -2..5 (0 the identity; negative: powers of the inverse), positional."""
    def build(shape, n, seed):
        return _case((ArraySpec(shape, dtype), n), (), seed)
    return st.builds(build, square_shapes(), st.sampled_from((2, 1, 0, 3, -1, 5, 4, -2)), seeds)


def multi_dot_case(dtype: str):
    """``multi_dot([A1, ..., Am])``, m 2 to 5: chained shapes, the first operand 1-D sometimes (a row vector) and
    the last (a column); sometimes inner sizes that disagree."""
    @st.composite
    def build(draw):
        m = draw(st.integers(2, 5))
        sides = [draw(SIDES) for _ in range(m + 1)]
        shapes = [(sides[i], sides[i + 1]) for i in range(m)]
        if draw(st.booleans()):
            shapes[0] = shapes[0][1:]
        if draw(st.booleans()):
            shapes[-1] = shapes[-1][:1]
        if draw(st.integers(0, 7)) == 3:
            i = draw(st.integers(1, m - 1))
            shapes[i] = (shapes[i][0] + 1,) + shapes[i][1:]
        return _case(tuple(ArraySpec(s, dtype) for s in shapes), (), draw(seeds))
    return build()


def vecdot_case(dtype: str):
    """``vecdot(x, y, dim=...)``: broadcasting operands, the dim the last or another, as a keyword or left out."""
    @st.composite
    def build(draw):
        n = draw(st.sampled_from((3, 0, 1, 16, 17, 33, 256, 1031)))
        batch = draw(BATCHES)
        x, y = batch + (n,), draw(st.sampled_from((batch, batch[1:], ()))) + (n,)
        if draw(st.integers(0, 7)) == 3:
            y = y[:-1] + (n + 1,)
        kwargs = ()
        if len(x) >= 2 and len(y) == len(x) and draw(st.booleans()):
            x, y = (x[-1],) + x[:-1], (y[-1],) + y[:-1]
            kwargs = (("dim", 0),)
        elif draw(st.booleans()):
            kwargs = (("dim", -1),)
        return _case((ArraySpec(x, dtype), ArraySpec(y, dtype)), kwargs, draw(seeds))
    return build()


def cross_case(dtype: str, default_dim: bool = False):
    """``cross(a, b, dim=...)``: operands with a dim of 3 (broadcasting batch dims), the dim last or another,
    keyword or left out; sometimes the dim has another size (raises). ``default_dim``: ``torch.cross`` without
    dim, whose default differs (see its divergence)."""
    @st.composite
    def build(draw):
        batch = draw(st.sampled_from(((), (2,), (4, 1), (17,), (1, 5), (64,))))
        size = 3 if draw(st.integers(0, 7)) != 3 else 2
        a = batch + (size,)
        b = draw(st.sampled_from((batch, batch[1:], ()))) + (size,)
        kwargs = ()
        if len(a) >= 2 and len(b) == len(a) and draw(st.booleans()):
            a, b = (a[-1],) + a[:-1], (b[-1],) + b[:-1]
            kwargs = (("dim", 0),)
        elif not default_dim or draw(st.booleans()):
            kwargs = (("dim", -1),)
        return _case((ArraySpec(a, dtype), ArraySpec(b, dtype)), kwargs, draw(seeds))
    return build()


def diagonal_case(dtype: str):
    """``linalg.diagonal(A, offset=..., dim1=..., dim2=...)``: offsets in -3..3, the last two dims or another
    pair, keywords or left out."""
    @st.composite
    def build(draw):
        shape = draw(st.tuples(BATCHES, SIDES, SIDES).map(lambda t: t[0] + (t[1], t[2])))
        kwargs = []
        if draw(st.booleans()):
            kwargs.append(("offset", draw(st.integers(-3, 3))))
        if len(shape) >= 3 and draw(st.booleans()):
            kwargs += [("dim1", 0), ("dim2", -1)]
        return _case((ArraySpec(shape, dtype),), kwargs, draw(seeds))
    return build()


def tensorinv_case(dtype: str):
    """``tensorinv(A, ind)``: A of shape (i1, .., ik, j1, .., jl) with prod(i) == prod(j), ind = k."""
    shapes = st.sampled_from((((2, 3), (6,)), ((4,), (2, 2)), ((2, 2), (2, 2)), ((3,), (3,)), ((1,), (1,)),
                              ((2, 4), (8,)), ((17,), (17,)), ((4, 4), (2, 8))))
    def build(pair, seed):
        left, right = pair
        return _case((ArraySpec(left + right, dtype),), (("ind", len(left)),), seed)
    return st.builds(build, shapes, seeds)


def tensorsolve_case(dtype: str):
    """``tensorsolve(A, B)``: A of shape B.shape + X.shape with prod(B.shape) == prod(X.shape)."""
    shapes = st.sampled_from((((2, 3), (6,)), ((4,), (2, 2)), ((2, 2), (4,)), ((3,), (3,)), ((17,), (17,)),
                              ((2, 4), (2, 4))))
    def build(pair, seed):
        b, x = pair
        return _case((ArraySpec(b + x, dtype), ArraySpec(b, dtype)), (), seed)
    return st.builds(build, shapes, seeds)
