"""NumPy references of the matrix products NumPy has no single function for, with torch's rules on ranks.

``mm``, ``bmm`` and ``mv`` are ``np.matmul`` restricted to the operand ranks torch documents for them (2-D x 2-D,
3-D x 3-D with equal batch sizes — these functions do not broadcast —, and 2-D x 1-D); ``trace`` is ``np.trace``
restricted to matrices. Where the ranks are wrong they raise, as torch does.

Only ``numpy`` is used: these functions are pasted into reproduction snippets.
"""
from __future__ import annotations

import numpy as np


def mm(a, b):
    """Matrix product of two matrices (``torch.mm``): no broadcasting, no 1-D promotion."""
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"mm takes two matrices, got {a.ndim}-D and {b.ndim}-D operands")
    return np.matmul(a, b)


def bmm(a, b):
    """Batched matrix product (``torch.bmm``): two 3-D operands with the same batch size (no broadcasting)."""
    if a.ndim != 3 or b.ndim != 3:
        raise ValueError(f"bmm takes two 3-D operands, got {a.ndim}-D and {b.ndim}-D")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"bmm: batch sizes differ ({a.shape[0]} and {b.shape[0]}); bmm does not broadcast")
    return np.matmul(a, b)


def mv(a, v):
    """Matrix-vector product (``torch.mv``): a matrix and a 1-D vector."""
    if a.ndim != 2 or v.ndim != 1:
        raise ValueError(f"mv takes a matrix and a vector, got {a.ndim}-D and {v.ndim}-D operands")
    return np.matmul(a, v)


def trace(a):
    """Sum of the main diagonal of a matrix (``torch.trace``), square or not."""
    if a.ndim != 2:
        raise ValueError(f"trace takes a matrix, got a {a.ndim}-D operand")
    return np.trace(a)



def tensordot_broadcast(a, b, dims):
    """``torch.tensordot``'s behaviour where a contracted dim has size 1 on one side and not on the other: the
    size-1 side is broadcast to the other's size (NumPy raises "shape-mismatch for sum")."""
    if isinstance(dims, int):
        axes_a, axes_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        axes_a, axes_b = list(dims[0]), list(dims[1])
    shape_a, shape_b = list(a.shape), list(b.shape)
    for i, j in zip(axes_a, axes_b):
        if shape_a[i] == 1:
            shape_a[i] = shape_b[j]
        elif shape_b[j] == 1:
            shape_b[j] = shape_a[i]
    return np.tensordot(np.broadcast_to(a, shape_a), np.broadcast_to(b, shape_b), (axes_a, axes_b))


def einsum_summing_ellipsis(*args, optimize=False):
    """``torch.einsum``'s documented rule for an explicit output that leaves out the ellipsis: the dims the
    ellipsis covers are summed (``np.einsum`` raises unless ``optimize`` is on). Both call forms: the equation
    string, or operands interleaved with their subscript lists (then the output list, if any)."""
    if isinstance(args[0], str):
        lhs, arrow, rhs = args[0].partition("->")
        if not arrow or "..." in rhs:
            return np.einsum(*args, optimize=optimize)
        full = np.einsum(lhs + "->..." + rhs, *args[1:], optimize=optimize)
        n_out = len(rhs.replace(" ", ""))
    else:
        if len(args) % 2 == 0 or Ellipsis in args[-1]:
            return np.einsum(*args, optimize=optimize)
        full = np.einsum(*args[:-1], [Ellipsis] + list(args[-1]), optimize=optimize)
        n_out = len(args[-1])
    return full.sum(axis=tuple(range(full.ndim - n_out)), dtype=full.dtype)


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
    dtype and has no bool kernel (TypeError here where torch raises) unless its result is empty or its contracted
    length is 0 (then it returns early, in the second operand's dtype); with nothing to contract, the two are
    multiplied (with type promotion). A single operand's summed dims are summed with ``sum``. ``optimize``
    (NumPy's option) is ignored."""
    terms, out, ops = _einsum_terms(args)
    if len(terms) != len(ops):
        raise ValueError(f"the equation has {len(terms)} operands, the call {len(ops)}")
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
        arr = np.einsum(a[0], _ints(a[1]), b[0], _ints(b[1]), _ints(labels))
        if both:
            if arr.size == 0 or any(sizes(a)[x] == 0 for x in both):
                # bmm returns early (an empty result, or zeros) before it checks dtypes, in the second's dtype
                arr = arr.astype(b[0].dtype)
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
