"""NumPy references of the indexing and gather/scatter ops, with torch's argument names and order.

Where NumPy has the op (``np.take``, ``np.take_along_axis``, ...) the reference is a thin
wrapper that renames the arguments; gather/scatter and the ``index_*`` ops, which NumPy lacks, are written from
torch's documentation with NumPy's fancy indexing and unbuffered ``ufunc.at`` (``np.add.at``, ``np.multiply.at``,
``np.maximum.at``, ``np.minimum.at``), which apply every duplicate index one by one. Functions whose name ends in
``_torch`` implement a documented torch behaviour that differs from NumPy's: the catalogue's divergence records
use them.

A 0-d input of the dim-taking ops is treated as a 1-element 1-D one, as torch documents for dims of scalars
(dim 0 and -1 are valid on it).

Only ``numpy`` and ``math`` are used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import numpy as np


def _axis(dim, ndim):
    """``dim`` wrapped for an array of ``ndim`` dims (0-d arrays take dims as 1-D ones); raises if invalid."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"dim {dim} out of range for {ndim} dims")
    return dim % n


def _check_bounds(index, size, negative=False):
    """Raises IndexError unless every index is in ``[0, size)`` (``[-size, size)`` with ``negative``)."""
    if index.size == 0:
        return
    lo = -size if negative else 0
    if index.min() < lo or index.max() >= size:
        raise IndexError(f"index out of range for an axis of size {size}")


# ---- selection ----------------------------------------------------------------------------------------------

def index_select(x, dim, index):
    """``np.take`` along ``dim`` (torch takes no negative index: the strategies give none)."""
    return np.take(x, index, axis=dim)


def index_select_torch(x, dim, index):
    """torch's documented shapes: a 0-d index selects like a 1-element one (the dim is kept, size 1), and a 0-d
    input is a 1-element 1-D one whose result is 0-d again."""
    d = _axis(dim, x.ndim)
    xx = x.reshape(1) if x.ndim == 0 else x
    ii = index.reshape(-1)
    _check_bounds(ii, xx.shape[d])
    out = np.take(xx, ii, axis=d)
    if x.ndim == 0:
        if ii.size != 1:
            raise IndexError("index_select of a 0-d input takes exactly one index")
        out = out.reshape(())
    return out


def take_along_dim(x, indices, dim=None):
    return np.take_along_axis(x, indices, axis=dim)


def take_along_dim_wrapped_torch(x, indices, dim=None):
    """torch.take_along_dim with a dim, as it behaves (a recorded bug): every index is taken modulo the input's
    size along the dim, so out-of-range indices wrap around instead of raising."""
    d = _axis(dim, x.ndim)
    return np.take_along_axis(x, np.mod(indices, x.shape[d]), axis=d)


def take_along_dim_flat_torch(x, indices, dim=None):
    """torch.take_along_dim without ``dim``: input and indices are both flattened (any indices shape)."""
    flat = x.reshape(-1)
    _check_bounds(indices, flat.size, negative=True)
    return np.take(flat, indices.reshape(-1))


def gather(x, dim, index):
    """torch.gather: ``out[i][j][k] = x[index[i][j][k]][j][k]`` (dim 0). ``index`` has as many dims as ``x``
    and may be smaller than it along the other dims (``np.take_along_axis`` would broadcast instead); indices
    in ``[-x.size(dim), x.size(dim))``, negative ones counting from the end as NumPy's fancy indexing does
    (torch rejects them: the gather-negative-index record)."""
    xx = x.reshape(1) if x.ndim == 0 else x
    ii = index.reshape(1) if index.ndim == 0 else index
    if ii.ndim != xx.ndim:
        raise ValueError("index must have as many dims as the input")
    d = _axis(dim, x.ndim)
    for k in range(xx.ndim):
        if k != d and ii.shape[k] > xx.shape[k]:
            raise ValueError(f"index is larger than the input along dim {k}")
    _check_bounds(ii, xx.shape[d], negative=True)
    sel = list(np.indices(ii.shape, sparse=True))
    sel[d] = ii
    return xx[tuple(sel)].reshape(index.shape)


# ---- scatter ------------------------------------------------------------------------------------------------

def _scatter_targets(x, dim, index, src):
    """(output array, fancy index of the written positions, values written there in index order)."""
    out = x.reshape(1).copy() if x.ndim == 0 else x.copy()
    ii = index.reshape(1) if index.ndim == 0 else index
    if ii.ndim != out.ndim:
        raise ValueError("index must have as many dims as self")
    d = _axis(dim, x.ndim)
    for k in range(out.ndim):
        if k != d and ii.shape[k] > out.shape[k]:
            raise ValueError(f"index is larger than self along dim {k}")
    _check_bounds(ii, out.shape[d], negative=True)
    sel = list(np.indices(ii.shape, sparse=True))
    sel[d] = ii
    if isinstance(src, np.ndarray):
        ss = src.reshape(1) if src.ndim == 0 else src
        if ss.ndim != out.ndim or any(q > s for q, s in zip(ii.shape, ss.shape)):
            raise ValueError("index is larger than src")
        vals = ss[tuple(slice(0, q) for q in ii.shape)]
    else:
        one = np.empty((), dtype=out.dtype)
        one[()] = src  # NumPy's assignment rule: a Python integer out of the dtype's range raises
        vals = np.full(ii.shape, one)
    return out, tuple(sel), vals


def _ufunc_of(reduce):
    return {"add": np.add, "sum": np.add, "multiply": np.multiply, "prod": np.multiply,
            "amax": np.maximum, "amin": np.minimum}[reduce]


#: factors multiplied into the mantissas between renormalizations (each mantissa is at least 1/2: 2**-512 stays
#: far inside float64's range)
_CHUNK = 512


def _multiply_at(out, sel, vals):
    """``np.multiply.at(out, sel, vals)`` for real floating arrays with the exponents kept apart (``np.frexp``):
    the partial products of hundreds of factors of extreme magnitudes would leave float64's range on the way
    (overflow to inf before the small factors come, or the reverse), although the product itself may be in range;
    here each position's product is its mantissas' product times 2 to its exponents' sum, rounded once
    (``np.ldexp``). Zeros, infinities and NaN keep IEEE semantics (frexp leaves them as they are)."""
    if out.dtype.kind != "f":
        np.multiply.at(out, sel, vals)
        return
    mant, expo = np.frexp(out)
    expo = expo.astype(np.int64)
    vals = np.broadcast_to(vals, out[sel].shape)
    vm, ve = np.frexp(vals)
    np.add.at(expo, sel, ve.astype(np.int64))
    flat_sel = [np.broadcast_to(s, vals.shape).reshape(-1) if isinstance(s, np.ndarray) else s for s in sel]
    flat_vm = vm.reshape(-1)
    for start in range(0, flat_vm.size, _CHUNK):
        part = tuple(s[start:start + _CHUNK] for s in flat_sel)
        np.multiply.at(mant, part, flat_vm[start:start + _CHUNK])
        m, e = np.frexp(mant)
        mant, expo = m, expo + e
    with np.errstate(over="ignore", under="ignore"):
        out[...] = np.ldexp(mant, np.clip(expo, -100000, 100000))


def scatter(x, dim, index, src, reduce=None):
    """torch.scatter with a tensor ``src`` or a scalar value; ``reduce`` 'add' / 'multiply' applies every
    duplicate (``np.add.at`` / ``np.multiply.at``). Without ``reduce``, duplicates keep NumPy's last value (torch
    leaves the winner unspecified: the generic strategies give no duplicates there)."""
    out, sel, vals = _scatter_targets(x, dim, index, src)
    if reduce is None:
        out[sel] = vals
    elif reduce == "multiply":
        _multiply_at(out, sel, vals)
    else:
        _ufunc_of(reduce).at(out, sel, vals)
    return out.reshape(x.shape)


def scatter_add(x, dim, index, src):
    return scatter(x, dim, index, src, reduce="add")


def _identity(reduce, dtype):
    """The value every written position starts from when ``include_self`` is False."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "b":
        return reduce == "amin"
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return info.min if reduce == "amax" else info.max
    return -np.inf if reduce == "amax" else np.inf


def scatter_reduce(x, dim, index, src, reduce, include_self=True):
    """torch.scatter_reduce: every value of ``src`` is reduced into its position (sum, prod, mean, amax, amin),
    together with the position's own value when ``include_self``; positions no index names keep their value.
    'mean' divides by the number of values reduced (floor division for integers)."""
    out, sel, vals = _scatter_targets(x, dim, index, src)
    written = np.zeros(out.shape, dtype=bool)
    written[sel] = True
    if not include_self:
        out[written] = _identity(reduce, out.dtype)
    if reduce == "mean":
        count = np.where(written, 1 if include_self else 0, 1).astype(np.int64)
        np.add.at(count, sel, 1)
        np.add.at(out, sel, vals)
        if out.dtype.kind in "iub":
            out = np.floor_divide(out, count).astype(out.dtype)
        else:
            out = (out / count).astype(out.dtype)
    elif reduce == "prod":
        _multiply_at(out, sel, vals)
    else:
        _ufunc_of(reduce).at(out, sel, vals)
    return out.reshape(x.shape)


# ---- index_* ------------------------------------------------------------------------------------------------

def _index_targets(x, dim, index):
    out = x.reshape(1).copy() if x.ndim == 0 else x.copy()
    d = _axis(dim, x.ndim)
    ii = index.reshape(-1)
    return out, d, (slice(None),) * d + (ii,)


def _source(source, out, d, n):
    src = source.reshape(1) if source.ndim == 0 else source
    want = out.shape[:d] + (n,) + out.shape[d + 1:]
    if src.shape != want:
        raise ValueError(f"source has shape {source.shape}, expected {want}")
    return src


def index_add(x, dim, index, source, *, alpha=1):
    """torch.index_add: ``out[..., index[i], ...] += alpha * source[..., i, ...]`` for every i, duplicates
    included; indices in ``[-x.size(dim), x.size(dim))`` (negative ones from the end, as ``np.add.at`` takes
    them; torch rejects them: index_add-negative-index)."""
    out, d, sel = _index_targets(x, dim, index)
    _check_bounds(sel[-1], out.shape[d], negative=True)
    src = _source(source, out, d, sel[-1].size)
    if alpha != 1:
        # integers wrap around as in torch (a negative alpha on uint8 included)
        src = (src.astype(np.int64) * alpha).astype(src.dtype) if src.dtype.kind in "iu" else src * alpha
    np.add.at(out, sel, src)
    return out.reshape(x.shape)


def index_copy(x, dim, index, source):
    """torch.index_copy: ``out[..., index[i], ...] = source[..., i, ...]``."""
    out, d, sel = _index_targets(x, dim, index)
    _check_bounds(sel[-1], out.shape[d], negative=True)
    out[sel] = _source(source, out, d, sel[-1].size)
    return out.reshape(x.shape)


def index_fill(x, dim, index, value):
    """torch.index_fill: the positions ``index`` along ``dim`` take ``value`` (negative indices count from the
    end)."""
    out, d, sel = _index_targets(x, dim, index)
    _check_bounds(sel[-1], out.shape[d], negative=True)
    out[sel] = value
    return out.reshape(x.shape)


def index_put(x, indices, values, accumulate=False):
    """torch.index_put: ``out[indices] = values`` (NumPy advanced indexing, ``values`` broadcast), or
    ``np.add.at`` with ``accumulate``, which adds every duplicate."""
    out = x.copy()
    idx = tuple(indices)
    if accumulate:
        # values broadcast to the indexed shape first: NumPy 2.4's ufunc.at reads wrong memory when the values
        # have fewer dims than a multi-dim index selects (np.add.at(a, [[0, 1], [0, 1]], [1, 10]))
        np.add.at(out, idx, np.broadcast_to(values, out[idx].shape))
    else:
        out[idx] = values
    return out


# ---- masks --------------------------------------------------------------------------------------------------

def masked_fill(x, mask, value):
    """``value`` where ``mask`` (broadcast with ``x``) holds, ``x`` elsewhere, in ``x``'s dtype."""
    shape = np.broadcast_shapes(x.shape, mask.shape)
    out = np.array(np.broadcast_to(x, shape))
    out[np.broadcast_to(mask, shape)] = value
    return out


def masked_select(x, mask):
    xb, mb = np.broadcast_arrays(x, mask)
    return xb[mb]


def masked_scatter(x, mask, source):
    """Where ``mask`` (broadcast with ``x``) holds, the elements of ``source`` in row-major order."""
    shape = np.broadcast_shapes(x.shape, mask.shape)
    out = np.array(np.broadcast_to(x, shape))
    m = np.broadcast_to(mask, shape)
    n = int(m.sum())
    flat = source.reshape(-1)
    if flat.size < n:
        raise ValueError("source has fewer elements than the mask has True values")
    out[m] = flat[:n]
    return out


# ---- tensor indexing ----------------------------------------------------------------------------------------

def getitem(x, index):
    return x[index]


def _is_array_index(part):
    """An advanced index part: an array (not a 0-d integer one, which torch takes as an integer) or a Python list
    of ints."""
    if isinstance(part, list):
        return True
    return isinstance(part, np.ndarray) and not (part.ndim == 0 and part.dtype.kind in "iu")


def getitem_torch(x, index):
    """torch's indexing rule: integers (and 0-d integer tensors) select first, like basic indexing, and the
    array indices are then applied to what is left, so only they count when deciding whether the advanced
    indices are adjacent (NumPy counts the integers as advanced indices too); and an Ellipsis that stands for
    no dim does not separate them (in NumPy it always does)."""
    index = tuple(np.asarray(p) if isinstance(p, list) else p for p in index)
    basic = []
    for part in index:
        if _is_array_index(part):
            basic += [slice(None)] * (part.ndim if part.dtype.kind == "b" else 1)
        elif isinstance(part, np.ndarray):
            basic.append(int(part))
        else:
            basic.append(part)
    y = x[tuple(basic)]
    rest = []
    for part in index:
        if _is_array_index(part):
            rest.append(part)
        elif part is None or isinstance(part, slice):
            rest.append(slice(None))
        elif part is Ellipsis:
            rest.append(Ellipsis)
    if not any(_is_array_index(p) for p in rest):
        return y
    used = sum(p.ndim if isinstance(p, np.ndarray) and p.dtype.kind == "b" else 1 for p in rest if p is not Ellipsis)
    spelled = []
    for p in rest:
        spelled += [slice(None)] * (y.ndim - used) if p is Ellipsis else [p]
    return y[tuple(spelled)]


def setitem(x, index, value):
    out = x.copy()
    out[index] = value
    return out


# ---- torch's reading of a NumPy complex64 scalar ------------------------------------------------------------

def _real_part(value):
    """A NumPy complex64 scalar as torch reads it (a recorded bug): its real part, as a float."""
    return float(np.real(value))


def index_fill_complex64_value_torch(x, dim, index, value):
    return index_fill(x, dim, index, _real_part(value))


def masked_fill_complex64_value_torch(x, mask, value):
    return masked_fill(x, mask, _real_part(value))


def scatter_complex64_value_torch(x, dim, index, src, reduce=None):
    return scatter(x, dim, index, _real_part(src), reduce=reduce)


def scatter_nothing_written_torch(x, dim, index, src, reduce=None):
    """torch.scatter with an empty index and a scalar value: the input, the value unchecked."""
    return x.copy()


def scatter_reduce_mean_count_wraps_torch(x, dim, index, src, reduce, include_self=True):
    """torch.scatter_reduce 'mean' of integers as it behaves (a recorded bug): the count of values reduced into a
    position is kept in the tensor's own dtype, so it wraps around past the dtype's largest value (514 values in
    uint8 count as 2) before the floor division; a count that wrapped to 0 is then taken as 1, as torch replaces
    zero counts (512 values in uint8: the wrapped sum itself)."""
    out, sel, vals = _scatter_targets(x, dim, index, src)
    written = np.zeros(out.shape, dtype=bool)
    written[sel] = True
    if not include_self:
        out[written] = 0
    count = np.where(written, 1 if include_self else 0, 1).astype(np.int64)
    np.add.at(count, sel, 1)
    np.add.at(out, sel, vals)
    wrapped = count.astype(out.dtype).astype(np.int64)
    wrapped = np.where(wrapped == 0, 1, wrapped)  # torch: count.masked_fill_(count == 0, 1), after the wrap
    return np.floor_divide(out.astype(np.int64), wrapped).astype(out.dtype).reshape(x.shape)


# ---- torch's reading of a negative Python int for an unsigned tensor --------------------------------------

def _wrapped(value, dtype):
    """A negative Python int as torch writes it into an unsigned dtype: modulo 2**bits."""
    return int(value) % (2 ** (8 * np.dtype(dtype).itemsize))


def index_fill_wrapped_value_torch(x, dim, index, value):
    return index_fill(x, dim, index, _wrapped(value, x.dtype))


def masked_fill_wrapped_value_torch(x, mask, value):
    return masked_fill(x, mask, _wrapped(value, x.dtype))


def scatter_wrapped_value_torch(x, dim, index, src, reduce=None):
    return scatter(x, dim, index, _wrapped(src, x.dtype), reduce=reduce)


# ---- put, unravel_index -------------------------------------------------------------------------------------

def put(x, index, source, accumulate=False):
    """torch.put: ``np.put`` on a copy (flat indices, negative ones from the end), or with ``accumulate``
    ``np.add.at`` on the flattened copy, which adds every duplicate."""
    out = x.copy()
    if accumulate:
        flat = out.reshape(-1)
        _check_bounds(index.reshape(-1), flat.size, negative=True)
        np.add.at(flat, index.reshape(-1), source.reshape(-1))
        return flat.reshape(x.shape)
    np.put(out, index, source)
    return out


def unravel_index(indices, shape):
    """np.unravel_index, as a tuple."""
    return tuple(np.unravel_index(indices, shape))


def unravel_index_wrapped_torch(indices, shape):
    """torch.unravel_index as it behaves (a recorded bug): indices are taken modulo the number of elements, so
    out-of-range ones (negative included) wrap around instead of raising."""
    size = 1
    for s in ([shape] if isinstance(shape, int) else shape):
        size *= s
    return tuple(np.unravel_index(np.mod(indices.astype(np.int64), size), shape))


def unravel_index_0d_shape_torch(indices, shape):
    """torch.unravel_index with the shape (): no coordinate tensors at all, whatever the indices."""
    return ()
