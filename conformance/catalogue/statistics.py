"""Reductions along a dim that NumPy has as statistics and finite-difference functions: diff, trapezoid,
gradient, nanmedian (whole and along a dim), quantile and nanquantile, cov and corrcoef. Family ``reductions``
(strategies in :mod:`conformance.strategies.reductions`, references in :mod:`conformance.references.reductions`).

Tolerances (``tol_fn``), derived in the precision torch computes these in — the input's dtype, every elementwise
step rounded to it (they are composites of elementwise ops and sums):

* ``diff``: the n-th difference ``sum_k (-1)^k C(n, k) x_{i+k}`` computed by n rounded subtractions:
  :func:`~conformance.tolerance.sequential_sum` of ``n + 1`` terms in the result dtype, relative to
  ``sum_k C(n, k) |x_{i+k}|``;
* ``trapezoid``: a sum of products ``dx_i (y_i + y_{i+1}) / 2`` (any order, the sum in the accumulation type:
  :func:`~conformance.tolerance.sum_of_products` of three factors), plus four roundings of the result dtype of
  the elementwise steps before the sum, relative to the same magnitude;
* ``gradient``: a difference quotient of three points at most, ``a f_{i-1} + b f_i + c f_{i+1}`` whose
  coefficients are at most ``2 / h_min`` in magnitude (``h_min`` the smallest spacing along the dim; 3 for the
  second-order edges): eight roundings of the result dtype relative to ``6 max|f| / h_min`` (a bound of
  ``|a f_{i-1}| + |b f_i| + |c f_{i+1}|``);
* ``quantile`` / ``nanquantile``: a linear interpolation ``lo + (hi - lo) g`` between two sorted elements, with
  the position ``g = q (n - 1)`` computed in the input's dtype: ``u (4 + 2 n) max|x|`` (four roundings of
  magnitude ``max|x|``, and the position's rounding ``u (n - 1)`` times the gap ``|hi - lo| <= 2 max|x|``);
* ``cov``: :func:`~conformance.tolerance.variance` of each pair, relative to ``sqrt(Q_i Q_j)`` (Cauchy-Schwarz:
  ``sum |x_i - m_i||x_j - m_j| <= sqrt(sum |x_i - m_i|^2 sum |x_j - m_j|^2)``), with the weighted degrees of
  freedom; ``corrcoef``: the covariance bound propagated through ``c_ij / sqrt(c_ii c_jj)``.

nanmedian selects, so its values are compared exactly; the median's divergences (the lower middle value) hold for
it as for median.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.catalogue.reductions import _zero_stride_garbage
from conformance.references import reductions as R
from conformance.strategies import reductions as S

F = "reductions"


def _arr(values, dtype):
    return np.array(values, dtype=D.NUMPY[dtype])


def _name(s) -> str:
    return D.name_of(s.arrays[0].dtype)


def _float_result(s) -> str | None:
    """The floating dtype of the result (the widest floating array of the sample), or None."""
    names = [D.name_of(a.dtype) for a in s.arrays if D.is_inexact(D.name_of(a.dtype))]
    if not names:
        return None
    if len(set(names)) == 1:
        return names[0]
    return "float64" if "float64" in names else "float32"


def _wide(x):
    return x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)


def _finite_abs(x):
    a = np.abs(_wide(x))
    return np.where(np.isfinite(a), a, 0.0)


# ---- torch callables ---------------------------------------------------------------------------------------

def nanmedian_dim(x, dim, keepdim=False):
    """``torch.nanmedian(x, dim)``: its values, and the input's elements at its indices."""
    import torch

    values, indices = torch.nanmedian(x, dim, keepdim=keepdim)
    if x.dim() == 0:
        return values, x.reshape(1)[indices.reshape(1)].reshape(())
    idx = indices if keepdim else indices.unsqueeze(dim)
    picked = torch.take_along_dim(x, idx, dim)
    return values, picked if keepdim else picked.squeeze(dim)


def _coordinates(c):
    """Coordinate arrays of a gradient call made strictly increasing: ``cumsum(1 + |c|)`` (exact integers)."""
    return np.cumsum(1 + np.abs(c))


def gradient(x, spacing=None, dim=None, edge_order=1):
    """``torch.gradient``; coordinate tensors are made strictly increasing first, as the reference does."""
    import torch

    kw = {"edge_order": edge_order}
    if dim is not None:
        kw["dim"] = dim
    if spacing is not None:
        if isinstance(spacing, list) and spacing and isinstance(spacing[0], torch.Tensor):
            spacing = [torch.cumsum(1 + c.abs(), 0) for c in spacing]
        kw["spacing"] = spacing
    return torch.gradient(x, **kw)


def gradient_ref(x, spacing=None, dim=None, edge_order=1):
    """:func:`conformance.references.reductions.gradient_ref` with coordinate arrays made increasing."""
    if isinstance(spacing, list) and spacing and isinstance(spacing[0], np.ndarray):
        spacing = [_coordinates(c) for c in spacing]
    return R.gradient_ref(x, 1 if spacing is None else spacing, dim, edge_order)


# ---- tolerances --------------------------------------------------------------------------------------------

def diff_tol(sample, dtype):
    name = _float_result(sample)
    if name is None:
        return None
    x = sample.arrays[0]
    n = sample.kwargs.get("n", 1)
    dim = sample.kwargs.get("dim", -1)
    parts = [p for p in (sample.kwargs.get("prepend"), x, sample.kwargs.get("append")) if p is not None]
    try:
        m = np.concatenate([_finite_abs(p) for p in parts], axis=dim)
    except Exception:  # noqa: BLE001 - shapes that do not join: the call raises
        return None
    for _ in range(max(int(n), 0)):
        m = np.take(m, range(1, m.shape[dim]), axis=dim) + np.take(m, range(m.shape[dim] - 1), axis=dim)
    return T.sequential_sum(name, m, max(int(n), 0) + 1, why=f"{n}-th difference")


def trapezoid_tol(sample, dtype):
    name = _float_result(sample)
    if name is None:
        name = "float32"
    y = sample.arrays[0]
    dim = sample.kwargs.get("dim", -1)
    try:
        a = _finite_abs(y)
        pair = np.take(a, range(1, a.shape[dim]), axis=dim) + np.take(a, range(a.shape[dim] - 1), axis=dim)
        if len(sample.args) > 1:
            x = _wide(sample.args[1])
            h = np.abs(np.diff(x, axis=-1 if x.ndim == 1 else dim))
            if x.ndim == 1:
                h = h.reshape((-1,) + (1,) * (y.ndim - 1 - dim % y.ndim)) if y.ndim > 1 else h
        else:
            h = abs(float(sample.kwargs.get("dx", 1.0)))
        mag = np.sum(np.where(np.isfinite(h * pair), h * pair, 0.0), axis=dim) / 2
    except Exception:  # noqa: BLE001 - shapes that do not match: the call raises
        return None
    n = max(y.shape[dim % y.ndim] - 1, 1) if y.ndim else 1
    tol = T.sum_of_products(name, mag, n, 3)
    # a non-finite y of the slice contributes (torch's sum(y) - (y_0 + y_n) / 2 meets it even for one point)
    free = np.any(~np.isfinite(_wide(y)), axis=dim)
    return dataclasses.replace(tol, atol=np.asarray(tol.atol) + 4 * T.unit(name) * (1 + T.unit(name)) * mag,
                               free=free, why="trapezoid: " + tol.why)


def gradient_tol(sample, dtype):
    name = _float_result(sample)
    x = sample.arrays[0]
    if name is None or x.ndim == 0:
        return None
    nd = x.ndim
    dim = sample.kwargs.get("dim")
    dims = list(range(nd)) if dim is None else [d % nd for d in (dim if isinstance(dim, list) else [dim])]
    spacing = sample.kwargs.get("spacing", 1)
    found = []
    for i, d in enumerate(dims):
        if isinstance(spacing, list):
            s = spacing[i]
            h = float(np.min(np.diff(_coordinates(s)), initial=1.0)) if isinstance(s, np.ndarray) else abs(float(s))
        else:
            h = abs(float(spacing))
        h = h or 1.0
        u = T.unit(name)
        # a non-finite value within two places along the dim contributes to the quotient (a zero coefficient of
        # an infinity included)
        bad = ~np.isfinite(_wide(x))
        near = bad.copy()
        for k in (1, 2):
            near[tuple(slice(k, None) if j == d else slice(None) for j in range(nd))] |= \
                bad[tuple(slice(None, -k) if j == d else slice(None) for j in range(nd))]
            near[tuple(slice(None, -k) if j == d else slice(None) for j in range(nd))] |= \
                bad[tuple(slice(k, None) if j == d else slice(None) for j in range(nd))]
        finite_top = float(np.max(np.where(bad, 0.0, _finite_abs(x)), initial=0.0))
        found.append(T.Tolerance(T.rounded_twice(name), 8 * u * (1 + u) * 6 * finite_top / h + 2 * T.eta(name),
                                 free=near, why="difference quotient"))
    return tuple(found)


def quantile_tol(sample, dtype):
    name = _float_result(sample)
    if name is None:
        return None
    x = sample.arrays[0]
    n = max(x.size, 1)
    top = float(np.max(_finite_abs(x), initial=0.0))
    tol = T.absolute(name, T.unit(name) * (4 + 2 * n) * top, why="interpolation between sorted elements")
    if 2 * top >= T.biggest(name):
        # the interpolation a + w (b - a) forms b - a in the result dtype: two neighbours of opposite signs beyond
        # half the largest value overflow it (NumPy's own lerp in that dtype does too), and the result is inf
        tol = dataclasses.replace(tol, nonfinite=True)
    return tol


def _cov_parts(sample):
    """(count N, weighted degrees of freedom, Q_i per row, exact covariance) of a cov / corrcoef sample."""
    x = np.atleast_2d(_wide(sample.arrays[0]))
    n = x.shape[1]
    fw = sample.kwargs.get("fweights")
    aw = sample.kwargs.get("aweights")
    w = np.ones(n)
    if fw is not None:
        w = w * fw.astype(np.float64)
    if aw is not None:
        w = w * aw.astype(np.float64)
    c = sample.kwargs.get("correction", 1)
    w_sum = float(np.sum(w))
    dof = w_sum - c * (float(np.sum(w * aw)) / w_sum if aw is not None and w_sum else 1.0)
    q = np.sum(w * np.abs(x) ** 2, axis=1)
    return n, dof, q


def cov_tol(sample, dtype):
    name = _float_result(sample) or "float32"
    if sample.arrays[0].size == 0:
        return None
    n, dof, q = _cov_parts(sample)
    qq = np.sqrt(np.outer(q, q))
    if q.size == 1:  # one variable: a 0-d result
        qq = qq.reshape(())
    real = D.real_of(name)
    return T.variance(real, qq, n, n - dof)


def corrcoef_tol(sample, dtype):
    name = _float_result(sample) or "float32"
    x = sample.arrays[0]
    if x.size == 0:
        return None
    n, dof, q = _cov_parts(sample)
    with np.errstate(all="ignore"):
        cov = np.atleast_2d(np.cov(_wide(x), ddof=1))
        v = np.real(np.diag(cov))
        d_ij = np.asarray(T.variance(D.real_of(name), np.sqrt(np.outer(q, q)), n, n - dof).atol)
        d_i = np.diag(np.broadcast_to(d_ij, cov.shape))
        den = np.sqrt(np.outer(v, v))
        rel = d_i / np.where(v > 0, v, 1.0)
        c = np.abs(cov) / np.where(den > 0, den, 1.0)
        bound = d_ij / np.where(den > 0, den, 1.0) + c * (np.add.outer(rel, rel) / 2)
        # where the variances are not known to half their value, any value of [-1, 1] is within 2 of the exact
        bound = np.where((np.add.outer(rel, rel) < 1) & (den > 0), bound, 2.0)
    if q.size == 1:
        bound = bound.reshape(())
    return T.absolute(D.real_of(name), bound + 8 * T.unit(name), why="correlation coefficient")


# ---- divergences -------------------------------------------------------------------------------------------

def _non_nan_even(s) -> bool:
    """Some reduced slice has an even number of elements that are not NaN (or the input is an integer one)."""
    x = s.arrays[0]
    if not D.is_inexact(_name(s)):
        return True
    dim = s.args[1] if len(s.args) > 1 else s.kwargs.get("dim")
    ok = ~np.isnan(_wide(x))
    counts = np.sum(ok) if dim is None or x.ndim == 0 else np.sum(ok, axis=dim % x.ndim)
    return bool(np.any((np.asarray(counts) % 2 == 0) & (np.asarray(counts) > 0)))


def _lower(op: str, torch_ref, dim: bool):
    return Divergence(
        id=f"{op}-lower", op=op,
        condition="an even number of values that are not NaN" + (" along dim" if dim else "") + ", or an integer "
                  "input",
        torch_behaviour="returns the lower of the two middle values, in the input's dtype",
        numpy_behaviour="returns the mean of the two middle values, as float64 for integers",
        reference="https://pytorch.org/docs/stable/generated/torch.nanmedian.html", kind="intended",
        applies=lambda s, d: (s.arrays[0].size > 0 or not D.is_inexact(_name(s))) and _non_nan_even(s),
        torch_ref=torch_ref,
        example=(lambda d: ((_arr([[1, 2, np.nan, 4, 8], [3, 1, 2, 2, 5]], d),), {"dim": 1})) if dim else
        (lambda d: ((_arr([1, 2, np.nan, 4, 8], d),), {})),
        counterexample=(lambda d: ((_arr([[1, 2, np.nan, 4], [3, 1, 2, np.nan]], d),), {"dim": 1})) if dim else
        (lambda d: ((_arr([1, 2, np.nan, 4], d),), {})),
        dtypes=("float32",))


def _dim_size(s) -> int:
    x = s.arrays[0]
    dim = s.args[1] if len(s.args) > 1 else s.kwargs.get("dim")
    return x.shape[dim % x.ndim] if x.ndim else 1


def _integer_default_float(op: str, example, counterexample):
    return Divergence(
        id=f"{op}-integer-float32", op=op,
        condition="a bool or integer input",
        torch_behaviour="computes in and returns the default float dtype (float32)",
        numpy_behaviour=f"np.{op} computes in and returns float64",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
        applies=lambda s, d: not D.is_inexact(_name(s)), expected_dtype=lambda s, dt: np.dtype(np.float32),
        example=example, counterexample=counterexample, dtypes=("int32",))


def _keeps_dtype(op: str, example, counterexample):
    return Divergence(
        id=f"{op}-keeps-float-dtype", op=op,
        condition="a floating or complex input other than float64 / complex128",
        torch_behaviour="computes and returns the input's dtype (float32 for float32)",
        numpy_behaviour=f"np.{op} computes in float64 (complex128) at least and returns it",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
        applies=lambda s, d: D.is_inexact(_name(s)) and _name(s) not in ("float64", "complex128"),
        expected_dtype=lambda s, dt: D.NUMPY[_name(s)],
        example=example, counterexample=counterexample, dtypes=("float32",))


def _empty_where_numpy_computes(s, nan: bool) -> bool:
    """An empty input on which NumPy computes: np.nanquantile always (NaN), np.quantile along an int dim whose own
    size is not 0 (an empty result)."""
    x, dim = s.arrays[0], s.kwargs.get("dim")
    if x.size:
        return False
    return nan or (isinstance(dim, int) and x.ndim > 0 and x.shape[dim % x.ndim] > 0)


def _quantile_empty(op: str):
    nan = op == "nanquantile"
    return Divergence(
        id=f"{op}-empty-raises", op=op,
        condition="an empty input" + ("" if nan else " with an int dim whose own size is not 0"),
        torch_behaviour="raises RuntimeError (quantile() input tensor must be non-empty)",
        numpy_behaviour="np.nanquantile of an empty array is NaN (with a warning)" if nan else
        "np.quantile along an axis of an empty array with other empty axes gives an empty result",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
        applies=lambda s, d: _empty_where_numpy_computes(s, nan), raises=RuntimeError,
        example=lambda d: ((np.zeros((0, 3), dtype=D.NUMPY[d]), 0.5), {"dim": 1}),
        counterexample=lambda d: ((np.ones((2, 3), dtype=D.NUMPY[d]), 0.5), {"dim": 1}),
        dtypes=("float32",))


def _quantile_0d(op: str, torch_ref):
    return Divergence(
        id=f"{op}-0d-dim", op=op,
        condition="a 0-d input with dim 0 or -1",
        torch_behaviour="the quantile of the element (a 0-d tensor has one implicit dim for dim arguments)",
        numpy_behaviour="raises AxisError (axis 0 is out of bounds for array of dimension 0)",
        reference="https://github.com/zdevito/ATen/issues/157", kind="intended",
        applies=lambda s, d: s.arrays[0].ndim == 0 and s.kwargs.get("dim") is not None, torch_ref=torch_ref,
        example=lambda d: ((_arr(3, d), 0.5), {"dim": 0}),
        counterexample=lambda d: ((_arr([3], d), 0.5), {"dim": 0}),
        dtypes=("float32",))


def _sample_before_inf(s, d, nan: bool):
    """quantile / nanquantile with linear or midpoint interpolation: the result elements whose position in the
    sorted row, q * (n - 1) computed as torch does in the input's dtype (n: the row's non-NaN count for
    nanquantile), falls on an element k exactly, that element finite and the next one +inf (rows with NaN left
    out for quantile): NumPy interpolates towards the next element with weight 0 (inf * 0, NaN), torch takes element
    k (a mask of the result's shape). A next element that is finite but so far above element k that NumPy's b - a
    overflows (to the same inf * 0) is no divergence: the reference evaluates that interpolation without the
    overflow (references.reductions._quantile_without_overflow)."""
    if s.kwargs.get("interpolation", "linear") not in ("linear", "midpoint"):
        return False
    x, q = s.args[0], s.args[1]
    if not D.is_floating(_name(s)) or x.ndim == 0 or x.size == 0:
        return False
    dim, keepdim = s.kwargs.get("dim"), s.kwargs.get("keepdim", False)
    if dim is not None and not -x.ndim <= dim < x.ndim:
        return False
    wide = x.astype(np.float64)
    if dim is None:
        rows, rest = wide.reshape(1, -1), ((1,) * x.ndim if keepdim else ())
    else:
        moved = np.moveaxis(wide, dim, -1)
        rows = moved.reshape(-1, x.shape[dim])
        rest = tuple(1 if keepdim and i == dim % x.ndim else n for i, n in enumerate(x.shape)
                     if keepdim or i != dim % x.ndim)
    qs = np.asarray(q, dtype=x.dtype).reshape(-1)  # torch's q: a tensor of the input's dtype
    mask = np.zeros((qs.size, rows.shape[0]), dtype=bool)
    for r, row in enumerate(rows):
        if np.isnan(row).any() and not nan:
            continue
        row = np.sort(row[~np.isnan(row)])
        if row.size < 2:
            continue
        with np.errstate(all="ignore"):
            pos = qs * qs.dtype.type(row.size - 1)  # torch's rank, in the input's dtype
            on = np.isfinite(pos) & (pos == np.floor(pos)) & (pos >= 0) & (pos < row.size - 1)
            k = np.where(on, pos, 0).astype(np.int64)
        mask[:, r] = on & np.isfinite(row[k]) & (row[k + 1] == np.inf)
    return mask.reshape(np.shape(q) + rest)


def quantile_sample_torch(x, q, dim=None, keepdim=False, interpolation="linear"):
    """torch's quantile where its position falls on a sorted element: that element (NumPy's method "nearest" gives
    it there, its float64 position being within rounding of torch's)."""
    return np.quantile(x, q, axis=dim, keepdims=keepdim, method="nearest")


def nanquantile_sample_torch(x, q, dim=None, keepdim=False, interpolation="linear"):
    return np.nanquantile(x, q, axis=dim, keepdims=keepdim, method="nearest")


def _quantile_sample_before_inf(op: str, torch_ref):
    nan = op == "nanquantile"
    return Divergence(
        id=f"{op}-sample-before-inf", op=op,
        condition="linear or midpoint interpolation whose position in the sorted row (q * (n - 1) in the input's "
                  "dtype) falls exactly on a finite element followed by +inf: those result elements",
        torch_behaviour="the element at that position: torch.quantile(torch.tensor([0.5, inf, inf]), 0.0) is 0.5 "
                        "(it interpolates between the elements at floor and ceil of the position, here one)",
        numpy_behaviour="NaN: np.quantile interpolates between the elements at floor(position) and floor + 1 with "
                        "weight 0, and inf * 0 is NaN (np.quantile([0.5, inf, inf], 0.0) is nan)",
        reference="https://github.com/numpy/numpy/issues/21091 ; "
                  f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="unspecified",
        applies=lambda s, d: _sample_before_inf(s, d, nan), torch_ref=torch_ref,
        example=lambda d: ((_arr([[0.5, np.inf, np.inf]], d), 0.0), {"dim": -1}),
        counterexample=lambda d: ((_arr([[0.5, 3e38, np.inf]], d), 0.0), {"dim": -1}),
        dtypes=("float32", "float64"))


def _short_integer_trapezoid(s) -> bool:
    y = s.arrays[0]
    if D.is_inexact(_name(s)) or y.ndim == 0:
        return False
    return y.shape[s.kwargs.get("dim", -1) % y.ndim] < 2


ENTRIES = [
    OpEntry("nanmedian", F, "torch.nanmedian", R.nanmedian_ref, S.whole, method="nanmedian", grad=True,
            signed_zero=False, divergences=(_lower("nanmedian", R.nanmedian_torch, False),)),
    # signed_zero=False: -0.0 and 0.0 are equal, and which of them sorts first (and is the quantile) is defined by
    # neither library
    OpEntry("quantile", F, "torch.quantile", R.quantile_ref, S.quantile_inputs, tol_fn=quantile_tol, grad=True,
            signed_zero=False,
            divergences=(_quantile_empty("quantile"), _quantile_0d("quantile", R.quantile_0d_torch),
                         _quantile_sample_before_inf("quantile", quantile_sample_torch))),
    OpEntry("nanquantile", F, "torch.nanquantile", R.nanquantile_ref, S.nanquantile_inputs, tol_fn=quantile_tol,
            grad=True, signed_zero=False,
            divergences=(_quantile_empty("nanquantile"), _quantile_0d("nanquantile", R.nanquantile_0d_torch),
                         _quantile_sample_before_inf("nanquantile", nanquantile_sample_torch))),
]

#: entries written in this wave and not yet green on torch 2.13 (not collected: see the findings listed with
#: each), kept for the next wave: diff (complex NaN parts: torch gives nan+nanj where NumPy keeps a finite part;
#: the magnitude of the tolerance with prepend / append), trapezoid (the bound of half types; an integer input
#: along a dim of one element), gradient (the bound of the difference quotients fails on ordinary float32 values:
#: the derivation has to be redone against torch's formula for nonuniform spacing; integer results), nanmedian_dim
#: (along a dim of size 1, a -inf element gives -1.797e308 in float64: to be reproduced and recorded), cov and
#: corrcoef (zero-sign, the bound without degrees of freedom, half-type accumulation, weights of other dtypes)
UNFINISHED = [
    OpEntry("diff", F, "torch.diff", R.diff_ref, S.diff_inputs, tol_fn=diff_tol, grad=True),
    OpEntry("trapezoid", F, "torch.trapezoid", R.trapezoid_ref, S.trapezoid_inputs, tol_fn=trapezoid_tol,
            grad=True, divergences=(
                Divergence(
                    id="trapezoid-integer-short-dim", op="trapezoid",
                    condition="an integer input with fewer than two elements along dim",
                    torch_behaviour="returns zeros of the input's integer dtype (with two or more elements, the "
                                    "default float dtype)",
                    numpy_behaviour="np.trapezoid returns float64 zeros",
                    reference="https://pytorch.org/docs/stable/generated/torch.trapezoid.html", kind="unspecified",
                    applies=lambda s, d: _short_integer_trapezoid(s),
                    expected_dtype=lambda s, dt: s.arrays[0].dtype,
                    example=lambda d: ((_arr([[1], [2]], d),), {}),
                    counterexample=lambda d: ((_arr([[1, 3], [2, 4]], d),), {}),
                    dtypes=("int16",)),
                _integer_default_float("trapezoid", example=lambda d: ((_arr([1, 2, 4], d),), {}),
                                       counterexample=lambda d: ((_arr([1, 2, 4], "float64"),), {})),
            )),
    OpEntry("gradient", F, gradient, gradient_ref, S.gradient_inputs, tol_fn=gradient_tol, grad=True,
            covers=("torch.gradient",), divergences=(
                _integer_default_float("gradient", example=lambda d: ((_arr([1, 2, 4], d),), {}),
                                       counterexample=lambda d: ((_arr([1, 2, 4], "float64"),), {})),
            )),
    OpEntry("nanmedian_dim", F, nanmedian_dim, R.nanmedian_dim_ref, S.with_dim, grad=True, signed_zero=False,
            covers=("torch.nanmedian",), divergences=(
                Divergence(
                    id="nanmedian-dim-empty-raises", op="nanmedian_dim",
                    condition="a size-0 dim to reduce",
                    torch_behaviour="raises IndexError (expected reduction dim to have non-zero size)",
                    numpy_behaviour="returns NaN (with a warning)",
                    reference="https://pytorch.org/docs/stable/generated/torch.nanmedian.html", kind="intended",
                    applies=lambda s, d: s.arrays[0].ndim > 0 and _dim_size(s) == 0, raises=IndexError,
                    example=lambda d: ((np.zeros((2, 0), dtype=D.NUMPY[d]),), {"dim": 1}),
                    counterexample=lambda d: ((np.zeros((0, 3), dtype=D.NUMPY[d]),), {"dim": 1}),
                    dtypes=("float32",)),
                Divergence(
                    id="nanmedian-dim-0d", op="nanmedian_dim",
                    condition="a 0-d input with dim=0 or dim=-1",
                    torch_behaviour="returns the element and index 0",
                    numpy_behaviour="raises AxisError (np.nanmedian takes no axis on a 0-d array)",
                    reference="https://github.com/zdevito/ATen/issues/157", kind="intended",
                    applies=lambda s, d: s.arrays[0].ndim == 0, torch_ref=R.nanmedian_dim_torch,
                    example=lambda d: ((_arr(3, d),), {"dim": 0}),
                    counterexample=lambda d: ((_arr([3], d),), {"dim": 0}),
                    dtypes=("float32",)),
                _lower("nanmedian_dim", R.nanmedian_dim_torch, True),
                # a relaxation: it composes with the records above (last, so that they give the reference)
                _zero_stride_garbage("nanmedian_dim", "torch.nanmedian"),
            )),
    OpEntry("cov", F, "torch.cov", R.cov_ref, S.cov_inputs, tol_fn=cov_tol, grad=True, divergences=(
        _integer_default_float("cov", example=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], d),), {}),
                               counterexample=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], "float64"),), {})),
        _keeps_dtype("cov", example=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], d),), {}),
                     counterexample=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], "float64"),), {})),
    )),
    OpEntry("corrcoef", F, "torch.corrcoef", R.corrcoef_ref, S.corrcoef_inputs, tol_fn=corrcoef_tol, grad=True,
            divergences=(
                _integer_default_float("corrcoef", example=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], d),), {}),
                               counterexample=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], "float64"),), {})),
        _keeps_dtype("corrcoef", example=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], d),), {}),
                             counterexample=lambda d: ((_arr([[1, 2, 4], [1, 3, 2]], "float64"),), {})),
            )),
]
