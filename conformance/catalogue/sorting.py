"""Sorting and searching: sort (stable, and not), argsort, topk, kthvalue, unique, searchsorted, bincount, histc.

What is defined is what is compared:

* ``sort(stable=True)`` and ``argsort(stable=True)``: values *and* indices, exactly, against NumPy's
  ``kind='stable'`` (descending: equal elements keep their order too; NaN last ascending, first descending;
  -0.0 and 0.0 are equal, so they keep their order);
* without ``stable``, and for ``topk``/``kthvalue``, an index is not unique on ties: the torch callables below
  return the input's elements at torch's indices, which must equal the sorted values (so every index points at a
  right value), and ``signed_zero=False`` because which of -0.0 and 0.0 comes first is not defined there;
* ``topk(sorted=False)`` and ``unique(sorted=False)`` promise no order: their outputs are put in order before
  the comparison; so are the slices of ``unique(dim=...)`` when the input holds NaN (torch orders slices with
  comparisons that are False for NaN, so their order is not defined there);
* ``searchsorted`` sorts its boundaries first (with ``torch.sort``; NumPy's ``np.sort`` in the reference).

Values are tie-heavy half of the time (:data:`conformance.strategies.reductions.TIES`).
"""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import sorting as R
from conformance.strategies import sorting as S

F = "sorting"
NAN = float("nan")


def _arr(values, dtype):
    return np.array(values, dtype=D.NUMPY[dtype])


# ---- torch callables that need more than a dotted path ---------------------------------------------------

#: torch has no gather kernel for these: the suite's own wrappers gather their bits through a signed view
_SIGNED_VIEW = {"uint16": "int16", "uint32": "int32", "uint64": "int64"}


def _picked(x, indices, dim):
    """``x``'s elements at ``indices`` along ``dim`` (0-d inputs: the element itself)."""
    import torch

    name = D.torch_name(x.dtype)
    if name in _SIGNED_VIEW:
        return _picked(x.view(getattr(torch, _SIGNED_VIEW[name])), indices, dim).view(x.dtype)
    if x.dim() == 0:
        return x.reshape(1)[indices.reshape(1)].reshape(indices.shape)
    return torch.take_along_dim(x, indices, dim)


def sort_unstable(x, dim=-1, descending=False):
    """``torch.sort`` without ``stable``: its values, and the input's elements at its indices."""
    import torch

    values, indices = torch.sort(x, dim=dim, descending=descending)
    return values, _picked(x, indices, dim)


def argsort(x, dim=-1, descending=False, stable=False):
    """``torch.argsort``: the indices with ``stable``; without it the input's elements at the indices."""
    import torch

    indices = torch.argsort(x, dim=dim, descending=descending, stable=stable)
    return indices if stable else _picked(x, indices, dim)


def topk(x, k, dim=-1, largest=True, sorted=True):
    """``torch.topk``: its values and the input's elements at its indices, both put in order when
    ``sorted=False`` (no order is promised then)."""
    import torch

    values, indices = torch.topk(x, k, dim=dim, largest=largest, sorted=sorted)
    picked = _picked(x, indices, dim)
    if not sorted and x.dim() > 0:
        values = torch.sort(values, dim=dim, descending=largest, stable=True).values
        picked = torch.sort(picked, dim=dim, descending=largest, stable=True).values
    return values, picked


def kthvalue(x, k, dim=-1, keepdim=False):
    """``torch.kthvalue``: its values and the input's elements at its indices."""
    import torch

    values, indices = torch.kthvalue(x, k, dim=dim, keepdim=keepdim)
    if x.dim() == 0:
        return values, x.clone()
    idx = indices if keepdim else indices.unsqueeze(dim)
    picked = _picked(x, idx, dim)
    return values, picked if keepdim else picked.squeeze(dim)


def _merge_equal_slices(parts, dim, return_inverse, return_counts):
    """torch.unique's slices along ``dim`` with the equal ones merged (NaN equal to nothing, -0.0 to 0.0), the
    counts added and the inverse indices following them: what torch leaves unmerged on an input with NaN (the
    record unique-dim-nan-duplicates, pinned by conformance/suite/test_sorting.py)."""
    import torch

    vals = parts[0]
    rows = vals.movedim(dim, 0).reshape(vals.shape[dim], -1).double().tolist()
    first: dict = {}
    where = []
    for row in rows:  # fresh float objects per element: a NaN equals no other NaN as a dict key
        where.append(first.setdefault(tuple(row), len(first)))
    if len(first) == len(rows):
        return parts
    where_t = torch.tensor(where, dtype=torch.int64, device=vals.device)
    keep = torch.tensor([where.index(k) for k in range(len(first))], dtype=torch.int64, device=vals.device)
    parts[0] = vals.index_select(dim, keep)
    if return_inverse:
        parts[1] = where_t[parts[1]]
    if return_counts:
        parts[-1] = torch.zeros(len(first), dtype=parts[-1].dtype, device=vals.device).index_add_(
            0, where_t, parts[-1])
    return parts


def _nan_slots_in_input_order(parts, dim, return_counts):
    """Unique values (slices) with NaN that look alike (NaN taken equal to NaN) cannot be told apart, so which of
    them an input value (slice) maps to is not defined (NumPy's order among them is arbitrary too): each group of
    them is relabelled in the order the input first uses them (unused ones after, in their order), the counts
    moving along. A relabelling only: two inputs mapped to one slot stay so."""
    import math

    import torch

    vals = parts[0] if dim is None else parts[0].movedim(dim, 0)
    rows = vals.reshape(vals.shape[0], -1).double().tolist()
    keys = [tuple("nan" if math.isnan(e) else e for e in row) for row in rows]
    group: dict = {}
    for j, key in enumerate(keys):
        group.setdefault(key, []).append(j)
    first_used: dict = {}
    for j in parts[1].reshape(-1).tolist():
        if len(group[keys[j]]) > 1:
            first_used.setdefault(keys[j], {}).setdefault(j, None)
    perm = list(range(len(keys)))
    for key, used in first_used.items():
        order = list(used) + [j for j in group[key] if j not in used]
        for old, new in zip(order, group[key]):
            perm[old] = new
    if perm == list(range(len(keys))):
        return parts
    perm_t = torch.tensor(perm, dtype=torch.int64, device=parts[1].device)
    back = torch.empty_like(perm_t)
    back[perm_t] = torch.arange(len(perm), device=perm_t.device)
    parts[0] = parts[0].index_select(0 if dim is None else dim, back)
    parts[1] = perm_t[parts[1]]
    if return_counts:
        parts[-1] = parts[-1][back]
    return parts


def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """``torch.unique``; with ``sorted=False`` (no order promised), and along a dim when the input holds NaN, the
    unique values (slices) are put in ascending (lexicographic) order, NaN last, and the inverse indices and counts
    follow them; along a dim, equal slices torch leaves unmerged on an input with NaN are merged first
    (:func:`_merge_equal_slices`); with NaN, alike unique values are relabelled (:func:`_nan_slots_in_input_order`)."""
    import torch

    out = torch.unique(x, sorted=sorted, return_inverse=return_inverse, return_counts=return_counts, dim=dim)
    has_nan = x.is_floating_point() and bool(torch.isnan(x).any())
    nan_slices = dim is not None and has_nan
    reorder = nan_slices or (dim is None and not sorted)
    relabel = has_nan and return_inverse
    if not (reorder or relabel):
        return out
    parts = list(out) if isinstance(out, tuple) else [out]
    if nan_slices:
        parts = _merge_equal_slices(parts, dim, return_inverse, return_counts)
    if reorder and dim is None:
        order = torch.argsort(parts[0], stable=True)
        parts[0] = parts[0][order]
    elif reorder:  # slices with NaN have no defined order: put the slices in lexicographic order (NaN last)
        rows = parts[0].movedim(dim, 0).reshape(parts[0].shape[dim], -1)
        order = torch.arange(rows.shape[0], device=x.device)
        for j in reversed(range(rows.shape[1])):
            order = order[torch.argsort(rows[order, j], stable=True)]
        parts[0] = parts[0].index_select(dim, order)
    if reorder and return_inverse:
        rank = torch.empty_like(order)
        rank[order] = torch.arange(order.numel(), device=order.device)
        parts[1] = rank[parts[1]]
    if reorder and return_counts:
        parts[-1] = parts[-1][order]
    if relabel:
        parts = _nan_slots_in_input_order(parts, dim, return_counts)
    return tuple(parts) if len(parts) > 1 else parts[0]


def histc(x, bins=100, min=0, max=0):
    """``torch.histc``, its counts (which come in the input's floating dtype: the divergence histc-float-counts,
    pinned by a bespoke test) as int64 where every one is a whole number, so that the generic tests compare their
    values with NumPy's int64 counts; counts that are not whole numbers are returned as they are (and fail)."""
    import torch

    counts = torch.histc(x, bins=bins, min=min, max=max)
    if counts.is_floating_point() and bool(torch.equal(counts, counts.round())):
        return counts.to(torch.int64)
    return counts


def searchsorted(boundaries, values, **kwargs):
    """``torch.searchsorted`` on ``boundaries`` sorted along the last dim (by ``torch.sort``)."""
    import torch

    return torch.searchsorted(torch.sort(boundaries, dim=-1).values, values, **kwargs)


# ---- divergence conditions -----------------------------------------------------------------------------

def _int_out_of_range(seq, v) -> bool:
    if isinstance(v, bool) or not isinstance(v, int) or not D.is_integral(D.name_of(seq.dtype)):
        return False
    info = D.iinfo(D.name_of(seq.dtype))
    return not int(info.min) <= v <= int(info.max)


def _has_nan(s) -> bool:
    return any(D.is_inexact(D.name_of(a.dtype)) and np.isnan(a.astype(np.complex128)).any() for a in s.arrays)


def _histc_range(s):
    """The range torch bins over: [min, max], the data's range when min == max."""
    x, lo, hi = s.args[0], float(s.kwargs.get("min", 0)), float(s.kwargs.get("max", 0))
    if lo == hi and x.size:
        v = x.astype(np.float64)
        lo, hi = float(np.min(v)), float(np.max(v))
    return lo, hi


def _empty_range(s) -> bool:
    x, lo, hi = s.args[0], s.kwargs.get("min", 0), s.kwargs.get("max", 0)
    if lo == hi and (lo != 0 or x.size == 0):
        return True  # torch: the data's range; NumPy: [a - 0.5, a + 0.5]
    dlo, dhi = _histc_range(s)
    return x.size > 0 and dlo == dhi


def _finite_input(s) -> bool:
    x = s.args[0]
    return D.is_floating(D.name_of(x.dtype)) and bool(np.isfinite(x.astype(np.float64)).all())


def _overflows(s) -> bool:
    """(x - min) * bins, or max - min, beyond the largest value of the input's dtype."""
    x = s.args[0]
    if not D.is_floating(D.name_of(x.dtype)):
        return False
    lo, hi = _histc_range(s)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return False
    big = float(D.finfo(D.name_of(x.dtype)).max)
    if hi - lo > big:
        return True
    v = x.astype(np.float64).reshape(-1)
    v = v[(v >= lo) & (v <= hi)]
    return bool(np.any((v - lo) * s.kwargs.get("bins", 100) > big))


def _saturated_bins(s, d):
    """histc of a half-type input: the bins whose exact count is beyond what the dtype counts to (a mask); with
    them the bins of :func:`_edge_bins`, if any: only one record applies to a sample, and the model
    (histc_torch) is the one of both records."""
    x = s.args[0]
    limit = {"float16": 2048, "bfloat16": 256}.get(D.name_of(x.dtype))
    if limit is None or x.size <= limit:
        return False
    try:
        with np.errstate(all="ignore"):
            counts = R.histc_ref(x.astype(np.float64), s.kwargs.get("bins", 100), s.kwargs.get("min", 0),
                                 s.kwargs.get("max", 0))
    except ValueError:
        return False
    saturated = counts > limit
    if not saturated.any():
        return False
    edges = _edge_bins(s, d)
    return saturated | edges if isinstance(edges, np.ndarray) else saturated


def _edge_bins(s, d):
    """histc: the bins torch and NumPy count a value near a bin edge in differently, because torch computes in the
    input's dtype (a mask over the bins):

    * a value within rounding of an inner bin edge whose bin int((x - min) * bins / (max - min)), computed in the
      input's dtype, is another than the one NumPy finds by comparing the value with its edges: those two bins;
    * a value between min (max) and min (max) rounded to the input's dtype, which torch's range takes in and
      NumPy's leaves out, or the other way round: the first (last) bin."""
    x = s.args[0]
    name = D.name_of(x.dtype)
    if not D.is_floating(name) or x.size == 0 or _empty_range(s):
        return False
    lo, hi = _histc_range(s)
    bins = s.kwargs.get("bins", 100)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        return False
    flat = x.reshape(-1)
    v = flat.astype(np.float64)
    u = float(D.finfo(name).eps)
    with np.errstate(all="ignore"):
        t = (v - lo) * bins / (hi - lo)
        # the rounding of (x - min), of the product, of the quotient and of the edges, in units of bins
        near = np.abs(t - np.round(t)) <= 8 * u * bins * max(1.0, (abs(lo) + abs(hi)) / (hi - lo))
        inner = (np.round(t) >= 1) & (np.round(t) <= bins - 1)
        in_torch = (flat >= flat.dtype.type(lo)) & (flat <= flat.dtype.type(hi))
        in_numpy = (v >= lo) & (v <= hi)
        model = R.histc_bins(flat, bins, lo, hi)
        edges = np.linspace(lo, hi, bins + 1)
        numpy_bin = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, bins - 1)
    differ = in_torch & in_numpy & near & inner & (model != numpy_bin)
    mask = np.zeros(bins, dtype=bool)
    mask[numpy_bin[differ]] = True  # the bin the value leaves, and the one it lands in
    mask[model[differ]] = True
    mask[model[in_torch & ~in_numpy]] = True  # counted by torch only, at an outer edge
    mask[numpy_bin[in_numpy & ~in_torch]] = True  # counted by NumPy only
    return mask


def bincount_tol(sample, dtype):
    """Weighted counts are sums of the weights of each bin, which torch adds one at a time into the output (float32
    for float32 weights, float64 otherwise): :func:`~conformance.tolerance.sequential_sum` in the result dtype."""
    w = sample.kwargs.get("weights")
    x = sample.args[0]
    if not isinstance(w, np.ndarray) or w.shape != x.shape or x.ndim != 1 or x.size == 0 or np.any(x < 0):
        return None
    result = "float32" if w.dtype == np.float32 else "float64"
    minlength = sample.kwargs.get("minlength", 0)
    with np.errstate(all="ignore"):
        a = np.abs(w.astype(np.float64))
        mag = np.bincount(x, weights=np.where(np.isfinite(a), a, 0.0), minlength=minlength)
        count = np.bincount(x, minlength=minlength)
    return T.sequential_sum(result, mag, count, why="weights of a bin")


ENTRIES = [
    OpEntry("sort", F, "torch.sort", R.sort_stable_ref, S.sort_inputs, method="sort", grad=True, divergences=(
        Divergence(
            id="sort-positional-dim-with-stable-raises", op="sort",
            condition="dim given positionally together with stable=",
            torch_behaviour="raises TypeError (invalid combination of arguments): with stable, the overload "
                            "sort.stable takes dim and descending as keywords only",
            numpy_behaviour="np.sort(x, 0, kind='stable') takes the axis positionally with any sort kind",
            reference="https://github.com/pytorch/pytorch/issues/129298 ; "
                      "https://github.com/pytorch/pytorch/pull/161539 (stable documented as keyword-only)",
            kind="intended",
            applies=lambda s, d: len(s.args) > 1 and "stable" in s.kwargs, raises=TypeError,
            example=lambda d: ((_arr([3, 1, 2], d), 0), {"stable": True}),
            counterexample=lambda d: ((_arr([3, 1, 2], d),), {"dim": 0, "stable": True}),
            dtypes=("float32",)),
    )),
    OpEntry("sort_unstable", F, sort_unstable, R.sort_values_ref, S.sort_unstable_inputs, signed_zero=False,
            grad=True),
    # signed_zero=False: without stable, which of -0.0 and 0.0 comes first is not defined (the indices are compared
    # through the values they point at)
    OpEntry("argsort", F, argsort, R.argsort_ref, S.argsort_inputs, signed_zero=False, covers=("torch.argsort",)),
    OpEntry("argwhere", F, "torch.argwhere", np.argwhere, S.argwhere_inputs, method="argwhere"),
    OpEntry("nonzero", F, "torch.nonzero", R.nonzero_ref, S.nonzero_inputs, method="nonzero", divergences=(
        Divergence(
            id="nonzero-0d-as-tuple", op="nonzero",
            condition="a 0-d input with as_tuple=True",
            torch_behaviour="takes it as a 1-element 1-D input: (tensor([0]),) for a nonzero element",
            numpy_behaviour="np.nonzero raises ValueError (calling nonzero on 0d arrays is not allowed)",
            reference="https://pytorch.org/docs/stable/generated/torch.nonzero.html", kind="intended",
            applies=lambda s, d: s.arrays[0].ndim == 0 and s.kwargs.get("as_tuple") is True,
            torch_ref=R.nonzero_torch,
            example=lambda d: ((_arr(1, d),), {"as_tuple": True}),
            counterexample=lambda d: ((_arr([1], d),), {"as_tuple": True}),
            dtypes=("int64",)),
    )),
    OpEntry("topk", F, topk, R.topk_ref, S.topk_inputs, signed_zero=False, grad=True),
    OpEntry("kthvalue", F, kthvalue, R.kthvalue_ref, S.kthvalue_inputs, signed_zero=False, grad=True),
    # signed_zero=False: -0.0 and 0.0 are one unique value; which of the two represents it is not defined
    OpEntry("unique", F, unique, R.unique_ref, S.unique_args, signed_zero=False, covers=("torch.unique",),
            divergences=(
        Divergence(
            id="unique-dim-empty-other-dim-raises", op="unique",
            condition="dim given, on an input with a size-0 dim other than dim",
            torch_behaviour="raises RuntimeError (There are 0 sized dimensions, and they aren't selected, so unique "
                            "cannot be applied)",
            numpy_behaviour="np.unique(x, axis=0) of a (3, 0) array returns a (1, 0) array (the three empty rows are "
                            "equal)",
            reference="https://pytorch.org/docs/stable/generated/torch.unique.html", kind="intended",
            applies=lambda s, d: "dim" in s.kwargs and s.kwargs["dim"] is not None and any(
                n == 0 for i, n in enumerate(s.arrays[0].shape) if i != s.kwargs["dim"] % s.arrays[0].ndim),
            raises=RuntimeError,
            example=lambda d: ((np.zeros((3, 0), dtype=D.NUMPY[d]),), {"dim": 0}),
            counterexample=lambda d: ((np.zeros((0, 3), dtype=D.NUMPY[d]),), {"dim": 0}),
            dtypes=("float32",)),
        Divergence(
            id="unique-nan", op="unique",
            condition="NaN in the input",
            torch_behaviour="every NaN is a unique value of its own (count 1), as in the array API standard",
            numpy_behaviour="np.unique's default equal_nan=True merges the NaNs into one unique value",
            reference="https://github.com/pytorch/pytorch/issues/94106", kind="intended",
            applies=lambda s, d: _has_nan(s), torch_ref=R.unique_torch,
            example=lambda d: ((_arr([1.0, NAN, 2.0, NAN], d),), {"return_counts": True}),
            counterexample=lambda d: ((_arr([1.0, 3.0, 2.0, 1.0], d),), {"return_counts": True}),
            dtypes=("float32",)),
    )),
    OpEntry("searchsorted", F, searchsorted, R.searchsorted_sorted_ref, S.searchsorted_args, divergences=(
        Divergence(
            id="searchsorted-bool-no-kernel", op="searchsorted",
            condition="bool boundaries with (non-empty) values other than a Python int",
            torch_behaviour="raises NotImplementedError (\"searchsorted_out_cpu\" not implemented for 'Bool'); a "
                            "Python int value takes another path and computes",
            numpy_behaviour="np.searchsorted orders False before True",
            reference="https://pytorch.org/docs/stable/generated/torch.searchsorted.html", kind="unspecified",
            applies=lambda s, d: s.args[0].dtype == np.bool_ and np.size(s.args[1]) > 0 and not (
                isinstance(s.args[1], int) and not isinstance(s.args[1], bool)),
            raises=(NotImplementedError, RuntimeError),  # conflicting side= and right= raise first
            example=lambda d: ((_arr([False, True], d), _arr([True], d)), {}),
            counterexample=lambda d: ((_arr([False, True], d), 1), {}),
            dtypes=("bool",)),
        Divergence(
            id="searchsorted-int-scalar-out-of-range", op="searchsorted",
            condition="a Python int value outside the integer boundaries' dtype range",
            torch_behaviour="converts the int to the boundaries' dtype first, wrapping around (-2 with uint8 "
                            "boundaries is searched as 254)",
            numpy_behaviour="searches the value itself (NEP 50: an out-of-range Python int is compared exactly)",
            reference="https://github.com/pytorch/pytorch/issues/101653", kind="bug",
            applies=lambda s, d: _int_out_of_range(s.args[0], s.args[1]), torch_ref=R.searchsorted_wrapped_torch,
            example=lambda d: ((_arr([0, 1, 3], d), -2), {}),
            counterexample=lambda d: ((_arr([0, 1, 3], d), 2), {}),
            dtypes=("uint8",)),
        Divergence(
            id="searchsorted-nan", op="searchsorted",
            condition="NaN among the (sorted) boundaries or the values",
            torch_behaviour="a binary search with comparisons that are False for NaN: a NaN value goes "
                            "after everything, a number after trailing NaN boundaries ([1, 2, nan] and 5 "
                            "give 3)",
            numpy_behaviour="NaN is the largest value, as in np.sort: a number goes before the NaN "
                            "boundaries ([1, 2, nan] and 5 give 2), a NaN value (side='left') before them",
            reference="https://pytorch.org/docs/stable/generated/torch.searchsorted.html",
            kind="unspecified",
            applies=lambda s, d: _has_nan(s), torch_ref=R.searchsorted_sorted_torch,
            example=lambda d: ((_arr([1.0, 2.0, NAN], d), _arr([NAN, 2.0, 5.0], d)), {}),
            counterexample=lambda d: ((_arr([1.0, 2.0, 7.0], d), _arr([0.0, 2.0, 5.0], d)), {}),
            dtypes=("float32",)),
    )),
    OpEntry("bincount", F, "torch.bincount", R.bincount_ref, S.bincount_args, tol_fn=bincount_tol, divergences=(
        Divergence(
            id="bincount-float-weights-dtype", op="bincount",
            condition="float32 weights (and a non-empty input)",
            torch_behaviour="the counts are float32 for float32 weights (float64 for every other weights dtype, as "
                            "in NumPy)",
            numpy_behaviour="the counts are float64 whatever the weights' dtype",
            reference="https://pytorch.org/docs/stable/generated/torch.bincount.html", kind="intended",
            applies=lambda s, d: isinstance(s.kwargs.get("weights"), np.ndarray) and
            s.kwargs["weights"].dtype == np.float32 and s.args[0].size > 0,
            expected_dtype=lambda s, dt: s.kwargs["weights"].dtype,
            example=lambda d: ((_arr([1, 3], d),), {"weights": np.array([0.5, 1.0], dtype=np.float32)}),
            counterexample=lambda d: ((_arr([1, 3], d),), {"weights": np.array([0.5, 1.0], dtype=np.float16)}),
            dtypes=("int64",)),
    )),
    # the reference bins the exact values (float64: np.histogram of a float16 array computes its edges in float16,
    # which puts values near an edge in another bin than their exact value has); the models of torch's binning get
    # the inputs in their own dtype (native)
    OpEntry("histc", F, histc, R.histc_ref, S.histc_args, unsafe_off_cpu=_overflows,
            divergences=(
        Divergence(
            id="histc-overflow", op="histc",
            condition="(x - min) * bins, or max - min, beyond the largest value of the input's dtype",
            torch_behaviour="computes the bin in the input's dtype: an overflowing quotient puts the value in bin 0, "
                            "and a range wider than the dtype's largest value counts nothing (histc of float32 "
                            "[1e38, 3e38, 2e38] with 4 bins gives [3, 0, 0, 0]; [-3e38, 3e38] gives zeros); off CPU "
                            "the bin index is not checked and such inputs are not run",
            numpy_behaviour="np.histogram bins such values right ([1, 1, 0, 1]), or raises ValueError (too many bins "
                            "for data range) when the range itself overflows",
            reference="https://pytorch.org/docs/stable/generated/torch.histc.html", kind="bug",
            applies=lambda s, d: _overflows(s), torch_ref=R.histc_torch, native=True,
            example=lambda d: ((_arr([1e38, 3e38, 2e38], d),), {"bins": 4}),
            counterexample=lambda d: ((_arr([1e37, 3e37, 2.4e37], d),), {"bins": 4}),
            dtypes=("float32",), devices=("cpu",)),
        Divergence(
            id="histc-empty-range", op="histc",
            condition="min == max given (other than 0 and 0), or data whose values are all equal",
            torch_behaviour="min == max means the data's range (as min = max = 0 does), and a range [a, a] "
                            "becomes [a - 1, a + 1]",
            numpy_behaviour="np.histogram takes range=(a, a) as [a - 0.5, a + 0.5], and the same for data whose "
                            "values are all equal",
            reference="https://pytorch.org/docs/stable/generated/torch.histc.html", kind="intended",
            applies=lambda s, d: _empty_range(s), torch_ref=R.histc_torch, native=True,
            example=lambda d: ((_arr([0.25, 0.25, 0.75], d),), {"bins": 4, "min": 0.5, "max": 0.5}),
            counterexample=lambda d: ((_arr([0.25, 0.25, 0.75], d),), {"bins": 4, "min": 0.0, "max": 1.0}),
            dtypes=("float32",)),
        Divergence(
            id="histc-half-counts-saturate", op="histc",
            condition="a float16 or bfloat16 input with more than 2048 (float16) or 256 (bfloat16) values in a bin: "
                      "those bins, and those of histc-bin-edges in the same sample (the two are modelled together)",
            torch_behaviour="the counts are added one at a time in the input's dtype, where they stop growing "
                            "(2048 + 1 rounds to 2048 in float16): histc of 3000 equal float16 values counts 2048 "
                            "(with one thread; per-thread partial counts are added)",
            numpy_behaviour="np.histogram counts exactly (int64)",
            reference="https://pytorch.org/docs/stable/generated/torch.histc.html (the counts have the input's "
                      "dtype)", kind="unspecified",
            applies=_saturated_bins, torch_ref=R.histc_torch, native=True,
            example=lambda d: ((np.full((3000,), 0.5, dtype=D.NUMPY[d]),), {"bins": 4, "min": 0.0, "max": 1.0}),
            counterexample=lambda d: ((np.full((200,), 0.5, dtype=D.NUMPY[d]),), {"bins": 4, "min": 0.0, "max": 1.0}),
            dtypes=("float16", "bfloat16")),
        Divergence(
            id="histc-bin-edges", op="histc",
            condition="a value within rounding of an inner bin edge whose bin computed in the input's dtype is "
                      "another than NumPy's: the bin NumPy puts it in and the one torch does; a value between min "
                      "(max) and min (max) rounded to the input's dtype: the first (last) bin",
            torch_behaviour="the bin is int((x - min) * bins / (max - min)) computed in the input's dtype, and min "
                            "and max are rounded to it first (histc of float16 [0.7] with bins=4, min=-0.3, max=0.7 "
                            "counts the value, which is 0.7002 in float16, in the last bin)",
            numpy_behaviour="np.histogram compares the value with the bin edges of np.linspace (so a value within "
                            "rounding of an edge can fall on the other side); of the exact values (the reference "
                            "gets them in float64), 0.7002 is beyond max = 0.7 and not counted",
            reference="https://pytorch.org/docs/stable/generated/torch.histc.html", kind="unspecified",
            applies=_edge_bins, torch_ref=R.histc_torch, native=True,
            example=lambda d: ((_arr([-0.38000003], d),), {"bins": 100, "min": -1.0, "max": 1.0}),
            counterexample=lambda d: ((_arr([-0.385], d),), {"bins": 100, "min": -1.0, "max": 1.0}),
            dtypes=("float32",)),
    )),
]

#: pinned by bespoke tests in conformance/suite/test_sorting.py
DIVERGENCES = [
    # the entry's torch callable merges what torch leaves unmerged, so that the generic tests still compare the
    # unique slices, their counts and the inverse indices
    Divergence(
        id="unique-dim-nan-duplicates", op="unique",
        condition="torch.unique(x, dim=...) on an input with NaN",
        torch_behaviour="leaves equal slices unmerged and unsorted: torch.unique(torch.tensor([1., nan, 1., 2., nan, "
                        "2., 1.]), dim=0) is [1, nan, 1, 2, nan, 1, 2] with counts all 1 (its slice sort compares "
                        "with < , which is False for NaN, so equal slices do not end up next to each other); "
                        "without NaN, and without dim, the slices are unique",
        numpy_behaviour="np.unique(x, axis=0, equal_nan=False) gives [1, 2, nan, nan] with counts [3, 2, 1, 1]",
        reference="https://github.com/pytorch/pytorch/issues/95583", kind="bug", family=F),
    # (it holds on every call, so no input lies just outside it: the generic tests compare the counts' values, the
    # bespoke test their dtype)
    Divergence(
        id="histc-float-counts", op="histc",
        condition="every call",
        torch_behaviour="returns the counts in the input's floating dtype",
        numpy_behaviour="np.histogram returns int64 counts",
        reference="https://pytorch.org/docs/stable/generated/torch.histc.html", kind="intended",
        family=F),
]

#: written in this wave and not yet green on torch 2.13 (not collected), kept for the next wave: isin with a Python
#: int on float8 / uint32 / uint64 tensors raises a promotion error (int64 with the tensor's dtype), and some
#: non-contiguous uint16 / float8_e5m2 inputs raise "view size is not compatible with input tensor's size and
#: stride" (to be reproduced: not met with a transposed input); its out= must be bool (exact)
UNFINISHED = [
    OpEntry("isin", F, "torch.isin", R.isin_ref, S.isin_inputs, divergences=(
        Divergence(
            id="isin-int-scalar-out-of-range", op="isin",
            condition="a Python int (on either side) outside the integer tensor's dtype range",
            torch_behaviour="converts the int to the tensor's dtype first, wrapping around (-2 with a uint8 tensor "
                            "is looked for as 254)",
            numpy_behaviour="np.isin compares the values (-2 is in no uint8 tensor)",
            reference="https://github.com/pytorch/pytorch/issues/101653", kind="bug",
            applies=lambda s, d: _int_out_of_range(s.args[1], s.args[0]) if isinstance(s.args[1], np.ndarray)
            else _int_out_of_range(s.args[0], s.args[1]),
            torch_ref=R.isin_wrapped_torch,
            example=lambda d: ((_arr([254, 1], d), -2), {}),
            counterexample=lambda d: ((_arr([254, 1], d), 1), {}),
            dtypes=("uint8",)),
    )),
]
