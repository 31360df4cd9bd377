"""NumPy references of the matrix products, with torch's rules on ranks, evaluated without intermediate overflow.

``dot``, ``vdot``, ``inner``, ``outer``, ``matmul``, ``tensordot``, ``kron`` and ``trace`` are NumPy's functions;
``mm``, ``bmm`` and ``mv`` are ``np.matmul`` restricted to the operand ranks torch documents for them (2-D x 2-D,
3-D x 3-D with equal batch sizes — these functions do not broadcast —, and 2-D x 1-D); ``trace`` is
``np.trace`` restricted to matrices. Where the ranks are wrong they raise, as torch does.

Floating and complex operands are multiplied and summed in ``np.longdouble`` / ``np.clongdouble`` (:func:`wide`)
and the result is rounded to NumPy's result dtype: the float64 products of float64 operands reach ``2**2048``,
so a float64 evaluation overflows where the exact result is finite (``[1e300, -1e300] . [1e10, 1e10]`` is 0, not
NaN), and BLAS kernels may skip a zero factor (``0 * nan`` taken as 0), which NumPy's own loops for longdouble do
not. On x86-64 and aarch64 Linux ``np.longdouble`` has a 15-bit exponent (range ``2**16384``); where it is
float64 itself (Windows, macOS on arm64), the evaluation is float64's.

Only ``numpy`` is used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import numpy as np


def wide(fn, *operands, **kwargs):
    """``fn(*operands, **kwargs)`` evaluated in longdouble (clongdouble) for floating (complex) operands and
    rounded to NumPy's result dtype of the operands; integer and bool operands as they are (NumPy's wrapping
    integer arithmetic, logical bool arithmetic)."""
    want = np.result_type(*operands)
    if want.kind not in "fc":
        return fn(*operands, **kwargs)
    to = np.clongdouble if want.kind == "c" else np.longdouble
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(fn(*[np.asarray(x).astype(to) for x in operands], **kwargs)).astype(want)


def dot(a, b):
    return wide(np.dot, a, b)


def vdot(a, b):
    return wide(np.vdot, a, b)


def inner(a, b):
    return wide(np.inner, a, b)


def outer(a, b):
    return wide(np.outer, a, b)


def kron(a, b):
    return wide(np.kron, a, b)


def matmul(a, b):
    return wide(np.matmul, a, b)


def tensordot(a, b, dims=2):
    """``np.tensordot(a, b, axes=dims)`` (torch's ``dims`` is NumPy's ``axes``; both default to 2)."""
    return wide(np.tensordot, a, b, axes=dims)


def mm(a, b):
    """Matrix product of two matrices (``torch.mm``): no broadcasting, no 1-D promotion."""
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"mm takes two matrices, got {a.ndim}-D and {b.ndim}-D operands")
    return wide(np.matmul, a, b)


def bmm(a, b):
    """Batched matrix product (``torch.bmm``): two 3-D operands with the same batch size (no broadcasting)."""
    if a.ndim != 3 or b.ndim != 3:
        raise ValueError(f"bmm takes two 3-D operands, got {a.ndim}-D and {b.ndim}-D")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"bmm: batch sizes differ ({a.shape[0]} and {b.shape[0]}); bmm does not broadcast")
    return wide(np.matmul, a, b)


def mv(a, v):
    """Matrix-vector product (``torch.mv``): a matrix and a 1-D vector."""
    if a.ndim != 2 or v.ndim != 1:
        raise ValueError(f"mv takes a matrix and a vector, got {a.ndim}-D and {v.ndim}-D operands")
    return wide(np.matmul, a, v)


def trace(a):
    """Sum of the main diagonal of a matrix (``torch.trace``), square or not."""
    if a.ndim != 2:
        raise ValueError(f"trace takes a matrix, got a {a.ndim}-D operand")
    if a.dtype.kind in "fc":
        return wide(np.trace, a)
    return np.trace(a)


def tril(a, diagonal=0):
    """``np.tril`` with torch's name for its offset (NumPy's ``k``)."""
    return np.tril(a, k=diagonal)


def triu(a, diagonal=0):
    """``np.triu`` with torch's name for its offset (NumPy's ``k``)."""
    return np.triu(a, k=diagonal)


def check_diagonals(args):
    """Raises NumPy's ValueError where a label repeated within one operand (a diagonal) has dims of different
    sizes; other invalid calls are left to ``np.einsum``. NumPy rejects every such operand, except in the view it
    returns for a single operand whose labels all reach the output (``get_single_op_view`` in
    ``numpy/_core/src/multiarray/einsum.cpp`` takes a size of 0 for "no size yet"): there a first dim of size 0
    followed by one of size n > 0 gives a view of n elements into the empty operand's memory —
    ``np.einsum('ii->i', np.zeros((0, 1)))`` returns one uninitialized value, where ``np.zeros((1, 0))`` raises."""
    terms, _, ops = _einsum_terms(args)
    for k, (term, op) in enumerate(zip(terms, ops)):
        shape = np.shape(op)
        named = [x for x in term if x != "..."]
        covered = len(shape) - len(named)
        if covered < 0 or ("..." not in term and covered):
            continue  # the wrong number of dims: np.einsum's own error
        seen, dim = {}, 0
        for x in term:
            if x == "...":
                dim += covered
                continue
            if x in seen and shape[seen[x]] != shape[dim]:
                raise ValueError(f"dimensions in operand {k} for collapsing index '{x}' don't match "
                                 f"({shape[seen[x]]} != {shape[dim]})")
            seen.setdefault(x, dim)
            dim += 1


def einsum(*args, optimize=False):
    """``np.einsum`` in either call form, evaluated as :func:`wide` does (the operands are the arrays among
    ``args``; subscripts and the equation pass through). A diagonal whose dims differ in size raises, as NumPy
    means it to (:func:`check_diagonals`)."""
    arrays = [x for x in args if isinstance(x, np.ndarray)]
    if not arrays:
        return np.einsum(*args, optimize=optimize)
    check_diagonals(args)
    want = np.result_type(*arrays)
    # An empty operand makes every sum of products empty (the result is empty or zeros, exact in any dtype): a
    # dim of size 0 is either in the output or summed (a size-1 dim of another operand broadcasts to it). NumPy's
    # sum of no terms is +0, but its evaluation may still multiply the other operands first and an intermediate
    # that overflows times that zero is NaN (optimize=True: np.einsum('d,d,cd,cYe', [-1.8e308], [-0.37],
    # [[-1.2]], np.zeros((0, 3, 3))) is all NaN) — an artifact of the evaluation, not the sum. So the operands
    # are replaced by zeros of their own shapes and dtypes: np.einsum still checks the call and gives the
    # result's shape and dtype, and every element is an exact +0 (0 * 0, or no terms). Not widened: NumPy 2.4's
    # clongdouble outer product of a non-empty and an empty operand corrupts the heap
    # (np.einsum('i,j->ij', np.zeros(2, np.clongdouble), np.zeros(0, np.clongdouble)) aborts the process).
    if any(x.size == 0 for x in arrays):
        zeroed = [np.zeros_like(x) if isinstance(x, np.ndarray) else x for x in args]
        return np.einsum(*zeroed, optimize=optimize)
    if want.kind not in "fc":
        return np.einsum(*args, optimize=optimize)
    to = np.clongdouble if want.kind == "c" else np.longdouble
    widened = [x.astype(to) if isinstance(x, np.ndarray) else x for x in args]
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(np.einsum(*widened, optimize=optimize)).astype(want)


def broadcast_contracted(a, b, dims=2):
    """``(a', b', (axes_a, axes_b), broadcast)`` for ``tensordot(a, b, dims)``: the operands with each contracted
    dim of size 1 broadcast to its partner's size (as torch does), the pairs of contracted axes, and whether any
    dim was broadcast."""
    if isinstance(dims, int):
        axes_a, axes_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        axes_a, axes_b = list(dims[0]), list(dims[1])
    shape_a, shape_b = list(a.shape), list(b.shape)
    broadcast = False
    for i, j in zip(axes_a, axes_b):
        if shape_a[i] != shape_b[j] and shape_a[i] == 1:
            shape_a[i], broadcast = shape_b[j], True
        elif shape_a[i] != shape_b[j] and shape_b[j] == 1:
            shape_b[j], broadcast = shape_a[i], True
    return np.broadcast_to(a, shape_a), np.broadcast_to(b, shape_b), (axes_a, axes_b), broadcast


def tensordot_broadcast(a, b, dims=2):
    """``torch.tensordot``'s behaviour where a contracted dim has size 1 on one side and not on the other (NumPy
    raises "shape-mismatch for sum"): the other side is summed over that dim first and rounded to its own dtype
    (the record hands the model the inputs as they are: ``native``), then contracted with the size-1 side —
    sum_k a_k b_0 evaluated as (sum_k a_k) b_0, so an empty side gives 0 * b_0 (NaN for an infinite b_0) and [1e308, 1e308] against 0.5 gives inf."""
    if isinstance(dims, int):
        axes_a, axes_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        axes_a, axes_b = list(dims[0]), list(dims[1])
    x, y = np.asarray(a), np.asarray(b)

    def summed(v, axis):  # a floating side summed exactly, rounded once to its dtype (torch's sum)
        if v.dtype.kind not in "fcV":
            return np.sum(v, axis=axis, keepdims=True, dtype=v.dtype)
        to = np.clongdouble if v.dtype.kind == "c" else np.longdouble
        return np.sum(v.astype(to), axis=axis, keepdims=True).astype(v.dtype)

    with np.errstate(over="ignore", invalid="ignore"):
        for i, j in zip(axes_a, axes_b):
            if x.shape[i] != y.shape[j] and y.shape[j] == 1:
                x = summed(x, i)
            elif x.shape[i] != y.shape[j] and x.shape[i] == 1:
                y = summed(y, j)
    return wide(np.tensordot, x, y, axes=(axes_a, axes_b))


def einsum_summing_ellipsis(*args, optimize=False):
    """``torch.einsum``'s documented rule for an explicit output that leaves out the ellipsis: the dims the
    ellipsis covers are summed (``np.einsum`` raises unless ``optimize`` is on). Both call forms: the equation
    string, or operands interleaved with their subscript lists (then the output list, if any). Floating operands
    are evaluated in longdouble, as :func:`einsum` does."""
    arrays = [x for x in args if isinstance(x, np.ndarray)]
    if arrays:
        check_diagonals(args)
    want = np.result_type(*arrays) if arrays else None
    if want is not None and want.kind in "fc":
        to = np.clongdouble if want.kind == "c" else np.longdouble
        args = tuple(x.astype(to) if isinstance(x, np.ndarray) else x for x in args)
    with np.errstate(over="ignore", invalid="ignore"):
        if isinstance(args[0], str):
            lhs, arrow, rhs = args[0].partition("->")
            if not arrow or "..." in rhs:
                full, n_out = np.einsum(*args, optimize=optimize), None
            else:
                full = np.einsum(lhs + "->..." + rhs, *args[1:], optimize=optimize)
                n_out = len(rhs.replace(" ", ""))
        else:
            if len(args) % 2 == 0 or Ellipsis in args[-1]:
                full, n_out = np.einsum(*args, optimize=optimize), None
            else:
                full = np.einsum(*args[:-1], [Ellipsis] + list(args[-1]), optimize=optimize)
                n_out = len(args[-1])
        full = np.asarray(full)
        out = full if n_out is None else full.sum(axis=tuple(range(full.ndim - n_out)), dtype=full.dtype)
        return np.asarray(out).astype(want) if want is not None else out


def _einsum_terms(args):
    """(subscript lists, output list or None, operands) of an einsum call in either form; subscripts are
    letters, ``"..."`` for an ellipsis."""
    def letter(s):
        if s is Ellipsis:
            return "..."
        return chr(ord("A") + s) if s < 26 else chr(ord("a") + s - 26)
    if isinstance(args[0], str):
        lhs, arrow, rhs = args[0].replace(" ", "").partition("->")
        split = [t.replace("...", ".").replace(".", "\0") for t in lhs.split(",")]
        terms = [["..." if c == "\0" else c for c in t] for t in split]
        out = None if not arrow else ["..." if c == "\0" else c for c in rhs.replace("...", "\0")]
        return terms, out, list(args[1:])
    pairs = args if len(args) % 2 == 0 else args[:-1]
    out = None if len(args) % 2 == 0 else [letter(s) for s in args[-1]]
    return [[letter(s) for s in sub] for sub in pairs[1::2]], out, list(pairs[0::2])


def _ints(labels):
    """Letters as the sublist form's subscripts: A-Z as 0-25, a-z as 26-51."""
    return [ord(x) - ord("A") if x.isupper() else ord(x) - ord("a") + 26 for x in labels]


def einsum_left_to_right(*args, optimize=False):
    """``torch.einsum`` evaluated as torch does for integer and bool operands (``aten/src/ATen/native/Linear.cpp``):
    diagonals first; then the operands are contracted left to right, two at a time; before each pairwise
    contraction, a dim that no other remaining operand has (size 1 does not count) is summed with ``sum``, which
    accumulates integers and bools as int64; dims both operands have are contracted with ``bmm``, which needs one
    dtype and has no bool kernel nor one for uint16, uint32, uint64 (TypeError here where torch raises) unless its
    result is empty or its contracted length is 0 (then it returns early, in the second operand's dtype); with
    nothing to contract, the two are multiplied (with type promotion, which torch refuses between uint16, uint32,
    uint64 and another dtype). A single operand's summed dims are summed with ``sum``. ``optimize``
    (NumPy's option) is ignored."""
    terms, out, ops = _einsum_terms(args)
    if len(terms) != len(ops):
        raise ValueError(f"the equation has {len(terms)} operands, the call {len(ops)}")
    check_diagonals(args)
    n_ell = max([op.ndim - (len(t) - 1) for t, op in zip(terms, ops) if "..." in t] + [0])
    ell = [chr(ord("p") + i) for i in range(n_ell)]  # letters the pool of labels does not use

    def expand(term, ndim):
        if "..." not in term:
            return list(term)
        i = term.index("...")
        covered = ndim - (len(term) - 1)
        return term[:i] + ell[n_ell - covered:] + term[i + 1:]
    terms = [expand(t, op.ndim) for t, op in zip(terms, ops)]
    counts = {}
    for t in terms:
        for x in t:
            counts[x] = counts.get(x, 0) + 1
    if out is None:
        out = ell + sorted(x for x in counts if counts[x] == 1 and x not in ell)
    else:
        out = expand(out, len(out) - 1 + n_ell) if "..." in out else list(out)
    contracted = [x for x in counts if x not in out]
    # diagonals: each operand with its distinct labels
    items = []
    for t, op in zip(terms, ops):
        labels = list(dict.fromkeys(t))
        items.append((np.einsum(op, _ints(t), _ints(labels)), labels))

    def sizes(item):
        return {x: n for x, n in zip(item[1], item[0].shape)}
    dim_counts = {x: sum(1 for it in items if sizes(it).get(x, 1) != 1) for x in contracted}

    def total(item, dims):
        arr, labels = item
        dt = np.int64 if arr.dtype.kind in "biu" else arr.dtype
        keep = [x for x in labels if x not in dims]
        return arr.sum(axis=tuple(labels.index(x) for x in dims), dtype=dt).reshape(
            [n for x, n in zip(labels, arr.shape) if x not in dims]), keep

    if len(items) == 1:
        arr, labels = total(items[0], contracted) if contracted else items[0]
        return np.einsum(arr, _ints(labels), _ints(out))
    while len(items) > 1:
        a, b = items[0], items[1]
        sa, sb = sizes(a), sizes(b)
        both, only_a, only_b = [], [], []
        for x in contracted:
            if sa.get(x, 1) != 1 and sb.get(x, 1) != 1:
                dim_counts[x] -= 1
                if dim_counts[x] == 1:
                    both.append(x)
                    dim_counts[x] = 0
            elif dim_counts[x] == 1:
                if sa.get(x, 1) != 1:
                    only_a.append(x)
                    dim_counts[x] = 0
                elif sb.get(x, 1) != 1:
                    only_b.append(x)
                    dim_counts[x] = 0
        if only_a:
            a = total(a, only_a)
        if only_b:
            b = total(b, only_b)
        labels = list(dict.fromkeys([x for x in a[1] + b[1] if x not in both]))
        wide_unsigned = {a[0].dtype.name, b[0].dtype.name} & {"uint16", "uint32", "uint64"}
        arr = np.einsum(a[0], _ints(a[1]), b[0], _ints(b[1]), _ints(labels))
        if not both and wide_unsigned and a[0].dtype != b[0].dtype:
            raise TypeError("einsum multiplies a wide unsigned operand with another dtype: torch does not promote "
                            "uint16, uint32, uint64")
        if both:
            if arr.size == 0 or any(sizes(a)[x] == 0 for x in both):
                # bmm returns early (an empty result, or zeros) before it checks dtypes, in the second's dtype
                arr = arr.astype(b[0].dtype)
            elif wide_unsigned:
                raise TypeError("einsum contracts wide unsigned operands with bmm, which has no kernel for uint16, "
                                "uint32, uint64 (nor promotes them)")
            elif a[0].dtype != b[0].dtype:
                raise TypeError(f"einsum contracts a {a[0].dtype} and a {b[0].dtype} operand with bmm")
            elif a[0].dtype == np.bool_:
                raise TypeError("einsum contracts bool operands with bmm, which has no bool kernel")
        items = [(arr, labels)] + items[2:]
    arr, labels = items[0]
    left = [x for x in labels if x not in out]  # contracted dims of size 1 (or summed already)
    arr = arr.reshape([n for x, n in zip(labels, arr.shape) if x in out] if left else arr.shape)
    labels = [x for x in labels if x in out]
    return np.einsum(arr, _ints(labels), _ints(out))


# ---- torch.kron's layout rule (the condition of the divergence kron-transposed-input-raises) ----------------
# torch.kron multiplies views of its operands with interleaved size-1 dims and views the product (laid out as
# TensorIterator lays out the output of a broadcasting mul) as the result; that last view fails for some operand
# strides. The functions below compute it from shapes and strides alone, step by step as ATen does
# (aten/src/ATen/native/LinearAlgebra.cpp kron, TensorIterator::reorder_dimensions, computeStride).

def row_major(shape):
    """Row-major strides (in elements) of ``shape``, as torch gives them (sizes of 0 count as 1)."""
    st, acc = [], 1
    for s in reversed(shape):
        st.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(st))


def layout_strides(shape, layout):
    """The strides a tensor of ``shape`` has in one of the suite's layouts (conformance.strategies.layouts)."""
    shape = tuple(shape)
    if layout == "transposed" and len(shape) >= 2:
        return tuple(reversed(row_major(tuple(reversed(shape)))))
    if layout == "strided":
        return tuple(2 * s for s in row_major(tuple(2 * x for x in shape))) if shape else ()
    if layout == "expanded":
        axis = next((i for i, s in enumerate(shape) if s > 1), None)
        if axis is not None:
            base = list(shape)
            base[axis] = 1
            st = list(row_major(tuple(base)))
            st[axis] = 0
            return tuple(st)
    return row_major(shape)


def view_strides(oldshape, oldstride, newshape):
    """The strides of ``view(newshape)`` of a tensor of ``oldshape`` / ``oldstride``, or None where the view is
    impossible (ATen's computeStride)."""
    numel = int(np.prod(oldshape, dtype=np.int64))
    if numel == 0:
        return row_major(newshape) if tuple(oldshape) != tuple(newshape) else tuple(oldstride)
    if not oldshape:
        return row_major(newshape)
    newstride = [0] * len(newshape)
    view_d = len(newshape) - 1
    chunk = oldstride[-1]
    tensor_numel = view_numel = 1
    for d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[d]
        if d == 0 or (oldshape[d - 1] != 1 and oldstride[d - 1] != tensor_numel * chunk):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk
                view_numel *= newshape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk = oldstride[d - 1]
                tensor_numel = view_numel = 1
    if view_d != -1:
        return None
    return tuple(newstride)


def _perm(shape, operand_strides):
    """TensorIterator's order of the dims, fastest first: an insertion sort by the operands' strides (a broadcast,
    zero, stride says nothing; equal strides put the smaller dim first)."""
    nd = len(shape)
    perm = list(range(nd - 1, -1, -1))
    if nd == 1:
        return [0]

    def should_swap(d0, d1):
        for st in operand_strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 < s1:
                return -1
            if s0 > s1:
                return 1
            if shape[d0] > shape[d1]:
                return 1
        return 0
    for i in range(1, nd):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    return perm


def mul_output_strides(shape_a, st_a, shape_b, st_b):
    """(shape, strides) of the output TensorIterator allocates for a broadcasting binary op."""
    nd = len(shape_a)
    shape = tuple(y if x == 1 else x for x, y in zip(shape_a, shape_b))
    ops = []
    for sh, st in ((shape_a, st_a), (shape_b, st_b)):
        ops.append(tuple(0 if (x == 1 and o != 1) else s for x, s, o in zip(sh, st, shape)))
    # TensorIterator's permutation: position 0 is the fastest-moving dim, starting from the last dim
    perm = _perm(shape, ops)
    strides = [0] * nd
    acc = 1
    for p in perm:
        strides[p] = acc
        acc *= shape[p]
    return shape, tuple(strides)


def kron_view_fails(shape_a, layout_a, shape_b, layout_b):
    """Whether torch.kron of operands of these shapes in these layouts raises (the final view is impossible)."""
    sa_full, sb_full = tuple(shape_a), tuple(shape_b)
    nd = max(len(sa_full), len(sb_full))
    sa = (1,) * (nd - len(sa_full)) + sa_full
    sb = (1,) * (nd - len(sb_full)) + sb_full
    a_re = tuple(x for s in sa for x in (s, 1))
    b_re = tuple(x for s in sb for x in (1, s))
    st_a = view_strides(sa_full, layout_strides(sa_full, layout_a), a_re)
    st_b = view_strides(sb_full, layout_strides(sb_full, layout_b), b_re)
    if st_a is None or st_b is None:  # inserting size-1 dims is always a view
        return False
    shape, out = mul_output_strides(a_re, st_a, b_re, st_b)
    return view_strides(shape, out, tuple(x * y for x, y in zip(sa, sb))) is None
