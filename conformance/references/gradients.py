"""Closed-form vector-Jacobian products in NumPy, for the core set of the gradient tests.

Each ``<op>_vjp(..., v)`` takes the op's NumPy arguments (floating arrays in float64) and the cotangent ``v`` (one
array per output, in a list for ops with several outputs) and returns the gradient of ``<v, op(...)>`` with respect
to each differentiable argument, in the order the test names them, reduced to that argument's shape (a broadcast
argument's gradient is summed over the dims it was broadcast along: :func:`unbroadcast`).

Where the op has no derivative at the point (ties of ``max``, duplicate indices of ``scatter``), the function
states torch's documented choice, and says so; those choices are also recorded as divergences
(``catalogue/gradients.py``). The functions use only NumPy and each other (they are pasted into reproductions).
"""
from __future__ import annotations

import numpy as np


def unbroadcast(g, shape):
    """``g`` summed down to ``shape`` (the inverse of broadcasting ``shape`` to ``g.shape``)."""
    g = np.asarray(g)
    shape = tuple(shape)
    lead = g.ndim - len(shape)
    if lead > 0:
        g = g.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape)


# ---- pointwise ----------------------------------------------------------------------------------------------

def sqrt_vjp(x, v):
    return v / (2.0 * np.sqrt(x))


def exp_vjp(x, v):
    return v * np.exp(x)


def log_vjp(x, v):
    return v / x


def sigmoid_vjp(x, v):
    y = 1.0 / (1.0 + np.exp(-x))
    return v * y * (1.0 - y)


def tanh_vjp(x, v):
    y = np.tanh(x)
    return v * (1.0 - y * y)


def pow_vjp(x, y, v):
    """``x ** y`` for ``x > 0``: d/dx = y x^(y-1), d/dy = x^y log x; both reduced to their own shapes."""
    gx = v * y * np.power(x, y - 1.0)
    gy = v * np.power(x, y) * np.log(x)
    return unbroadcast(gx, np.shape(x)), unbroadcast(gy, np.shape(y))


# ---- reductions ---------------------------------------------------------------------------------------------

def _axes(ndim, dim):
    if dim is None:
        return tuple(range(ndim))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    return tuple(sorted(d % max(ndim, 1) for d in dims)) if ndim else ()


def _keep(v, ndim, dim, keepdim):
    """The cotangent of a reduction with its reduced dims put back (size 1), ready to broadcast."""
    v = np.asarray(v, dtype=np.float64)
    if keepdim or ndim == 0:
        return v
    for d in _axes(ndim, dim):
        v = np.expand_dims(v, d)
    return v


def sum_vjp(x, v, dim=None, keepdim=False):
    return np.broadcast_to(_keep(v, x.ndim, dim, keepdim), x.shape).copy()


def mean_vjp(x, v, dim=None, keepdim=False):
    n = 1
    for d in _axes(x.ndim, dim):
        n *= x.shape[d]
    return sum_vjp(x, v, dim, keepdim) / n


def amax_vjp(x, v, dim=None, keepdim=False):
    """torch's documented choice at ties: the cotangent divided evenly among the maximal elements."""
    axes = _axes(x.ndim, dim)
    m = np.amax(x, axis=axes, keepdims=True)
    hit = (x == m)
    count = hit.sum(axis=axes, keepdims=True)
    return np.where(hit, _keep(v, x.ndim, dim, keepdim) / count, 0.0)


def max_dim_vjp(x, v, dim, keepdim=False):
    """``max(x, dim)`` (values, indices): torch's documented choice at ties: the whole cotangent goes to the
    returned index, the first maximal element. ``v`` is the cotangent of the values."""
    d = dim % max(x.ndim, 1)
    if x.ndim == 0:
        return np.asarray(v, dtype=np.float64).copy()
    idx = np.expand_dims(np.argmax(x, axis=d), d)
    g = np.zeros(x.shape)
    np.put_along_axis(g, idx, _keep(v, x.ndim, d, keepdim), axis=d)
    return g


def softmax_vjp(x, v, dim):
    e = np.exp(x - np.max(x, axis=dim, keepdims=True, initial=-np.inf))
    y = e / e.sum(axis=dim, keepdims=True)
    return y * (v - np.sum(v * y, axis=dim, keepdims=True))


def log_softmax_vjp(x, v, dim):
    e = np.exp(x - np.max(x, axis=dim, keepdims=True, initial=-np.inf))
    y = e / e.sum(axis=dim, keepdims=True)
    return v - y * np.sum(v, axis=dim, keepdims=True)


# ---- indexing -----------------------------------------------------------------------------------------------

def gather_vjp(x, dim, index, v):
    """Every gathered position receives its cotangent; a position gathered twice receives both (add.at)."""
    g = np.zeros(x.shape)
    if index.size:
        d = dim % x.ndim if x.ndim else 0
        grid = list(np.indices(index.shape, sparse=True)) if index.ndim else []
        if index.ndim:
            grid[d] = index
            np.add.at(g, tuple(grid), v)
        else:
            g += v
    return g


def index_select_vjp(x, dim, index, v):
    """Rows selected twice receive both cotangents."""
    g = np.zeros(x.shape)
    d = dim % x.ndim if x.ndim else 0
    if x.ndim == 0:
        return g + np.sum(v)
    moved = np.moveaxis(g, d, 0)
    np.add.at(moved, np.asarray(index).reshape(-1), np.moveaxis(np.asarray(v), d, 0))
    return g


def scatter_add_vjp(x, dim, index, src, v):
    """(grad of x, grad of src): x passes v through; every src element receives the cotangent of the position it
    was added to (duplicates each receive it: that is the derivative of a sum)."""
    gsrc = np.zeros(src.shape)
    if index.size:
        d = dim % x.ndim if x.ndim else 0
        grid = list(np.indices(index.shape, sparse=True)) if index.ndim else []
        if index.ndim:
            grid[d] = index
            gsrc[tuple(slice(0, n) for n in index.shape)] = v[tuple(grid)]
        else:
            gsrc = np.asarray(v, dtype=np.float64).copy()
    return np.asarray(v, dtype=np.float64).copy(), gsrc


def scatter_vjp(x, dim, index, src, v):
    """(grad of x, grad of src) of scatter: the written positions of x get no gradient; each src element receives
    the cotangent of the position it was written to. With duplicate indices this is torch's documented choice
    (every duplicate receives it, though only one was written), not a derivative."""
    gx = np.asarray(v, dtype=np.float64).copy()
    gsrc = np.zeros(src.shape)
    if index.size:
        d = dim % x.ndim if x.ndim else 0
        if index.ndim:
            grid = list(np.indices(index.shape, sparse=True))
            grid[d] = index
            gx[tuple(grid)] = 0.0
            gsrc[tuple(slice(0, n) for n in index.shape)] = np.asarray(v)[tuple(grid)]
        else:
            gx = np.zeros(np.shape(v))
            gsrc = np.asarray(v, dtype=np.float64).copy()
    return gx, gsrc


# ---- joining ------------------------------------------------------------------------------------------------

def cat_vjp(shapes, dim, v):
    """The cotangent cut back into the inputs' pieces along ``dim`` (an empty input gets an empty gradient)."""
    out, start = [], 0
    ndim = np.ndim(v)
    d = dim % ndim if ndim else 0
    for shape in shapes:
        if len(shape) == 1 and shape[0] == 0 and ndim != 1:  # a legacy empty 1-D input: not in the result
            out.append(np.zeros(shape))
            continue
        n = shape[d]
        out.append(np.take(v, np.arange(start, start + n), axis=d).reshape(shape))
        start += n
    return out


def stack_vjp(n, dim, v):
    d = dim % np.ndim(v)
    return [np.take(v, i, axis=d) for i in range(n)]


def split_vjp(vs, dim):
    """split/chunk: the cotangents of the pieces, joined back along ``dim``."""
    return np.concatenate([np.asarray(v) for v in vs], axis=dim)


# ---- views --------------------------------------------------------------------------------------------------

def reshape_vjp(x, v):
    return np.asarray(v).reshape(x.shape)


def transpose_vjp(x, dim0, dim1, v):
    return np.swapaxes(v, dim0, dim1)


def permute_vjp(x, dims, v):
    return np.transpose(v, np.argsort([d % x.ndim for d in dims]))


def expand_vjp(x, v):
    """expand/broadcast_to: the cotangent summed over the broadcast dims."""
    return unbroadcast(v, x.shape)


# ---- linear algebra -----------------------------------------------------------------------------------------

def matmul_vjp(a, b, v):
    """(grad of a, grad of b) of ``a @ b`` with NumPy's rules: 1-D operands are promoted (a row vector, a column
    vector) and the promoted dim removed again; batch dims broadcast and their gradients are summed back."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    v2 = np.asarray(v, dtype=np.float64)
    if a.ndim == 1 and b.ndim == 1:
        v2 = v2.reshape(1, 1)
    elif a.ndim == 1:
        v2 = np.expand_dims(v2, -2)
    elif b.ndim == 1:
        v2 = np.expand_dims(v2, -1)
    ga = v2 @ np.swapaxes(b2, -1, -2)
    gb = np.swapaxes(a2, -1, -2) @ v2
    ga = unbroadcast(ga, a2.shape)
    gb = unbroadcast(gb, b2.shape)
    return ga.reshape(a.shape), gb.reshape(b.shape)


def einsum_vjp(equation, operands, v):
    """Gradients of ``np.einsum(equation, *operands)`` for equations without a repeated subscript inside one
    operand: operand k's gradient is the einsum of the cotangent with the other operands, broadcast over the
    subscripts that appear nowhere else (they were summed over)."""
    lhs, out = equation.replace(" ", "").split("->")
    subs = lhs.split(",")
    sizes = {}
    for s, op in zip(subs, operands):
        for c, n in zip(s, np.shape(op)):
            sizes[c] = n
    grads = []
    for k, s in enumerate(subs):
        others = [(t, o) for j, (t, o) in enumerate(zip(subs, operands)) if j != k]
        seen = set(out) | {c for t, _ in others for c in t}
        kept = "".join(c for c in s if c in seen)
        spec = ",".join([out] + [t for t, _ in others]) + "->" + kept
        g = np.einsum(spec, v, *[o for _, o in others])
        shape = [sizes[c] if c in kept else 1 for c in s]  # ``kept`` is in the operand's order
        grads.append(np.broadcast_to(g.reshape(shape), [sizes[c] for c in s]).copy())
    return grads


def trace_vjp(x, v):
    """``trace`` / ``einsum('ii->')``: the cotangent on the diagonal."""
    g = np.zeros(x.shape)
    n = min(x.shape)
    g[np.arange(n), np.arange(n)] = v
    return g
