"""torch.nn.functional: softmax, log_softmax, one_hot, relu, gelu, silu, normalize, linear.

References are in ``conformance.references.functional`` (softmax and log_softmax subtract the maximum first, so
large inputs are compared, not skipped; normalize scales by the largest magnitude, so its float64 reference is
accurate for any input). ``dim`` arguments include negative ones, tuples (normalize) and 0-d inputs (dim 0 or -1).

**Tolerances**, derived per sample (``u``: the dtype's unit roundoff, ``n``: the length along ``dim``):

* softmax: ``u (|x - max| + 2 n + 4) * softmax`` per element — ``exp`` amplifies the rounding of ``x - max`` by its
  condition number ``|x - max|``; the sum of ``n`` positive terms (whose own such errors weigh at most ``n / e``)
  and the division add the rest; plus ``u`` relative for the final rounding;
* log_softmax: ``u |x - max|`` (the rounding of ``x - max``) plus ``(2 n + 4) u`` (the log of that sum);
* normalize: the textbook ``(sum |x|^p)^(1/p)`` gives ``u ((2 n + 2) / p + 2 + |ln S| / p)`` relative, the last term
  from the rounded exponent ``1/p`` (none for p = 1, 2; p = inf is exact); where ``S = sum |x|^p`` leaves the dtype's
  range the computed norm is not the norm and the slice is not compared;
* linear: the sum-of-products bound of ``conformance.catalogue.linalg`` over ``in + 1`` terms (the bias adds one);
* relu, gelu, silu (elementwise): the default table.
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.catalogue.linalg import (UNIT, _finfo, finite_abs, linear_ieee, nonfinite_mask,
                                          sum_of_products_tolerance)
from conformance.references import functional as R
from conformance.strategies import ArraySpec, Case, seeds, shapes
from conformance.strategies import layouts as _layouts

F = "functional"


# ---- strategies --------------------------------------------------------------------------------------------

def _dim(ndim):
    n = max(ndim, 1)
    return st.integers(-n, n - 1)


def along_dim(dtype: str, **kwargs):
    """One array (0-d to 4-d, size-0 dims included) and a ``dim`` (negative ones included), plus ``kwargs``."""
    def build(shape, dim, extra, seed):
        return Case((ArraySpec(shape, dtype),), (("dim", dim),) + tuple(extra), seed)
    return shapes().flatmap(lambda shp: st.builds(
        build, st.just(shp), _dim(len(shp)),
        st.tuples(*[st.tuples(st.just(k), v) for k, v in kwargs.items()]), seeds))


def _no_dim(case: Case) -> Case:
    """The case without its ``dim`` (for elementwise ops drawn with :func:`along_dim`)."""
    return Case(case.args, tuple((k, v) for k, v in case.kwargs if k != "dim"), case.seed)


def normalize_case(dtype: str):
    """``normalize(x, p, dim, eps)``: p in 1, 2, 3, inf; dim an int or a tuple of distinct dims; eps 1e-12 (the
    default) or 0.5 (so that it matters for more than zero vectors)."""
    def dims_for(ndim):
        n = max(ndim, 1)
        single = st.integers(-n, n - 1)
        if ndim < 2:
            return single
        return st.one_of(single, single, st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                                  unique=True).map(lambda ds: tuple(d - ndim if d % 2 else d
                                                                                    for d in ds)))

    def build(shape, dim, p, eps, seed):
        return Case((ArraySpec(shape, dtype),), (("p", p), ("dim", dim), ("eps", eps)), seed)
    return shapes().flatmap(lambda shp: st.builds(
        build, st.just(shp), dims_for(len(shp)), st.sampled_from((2.0, 1.0, 3.0, math.inf)),
        st.sampled_from((1e-12, 0.5)), seeds))


def one_hot_case(dtype: str):
    """``one_hot(idx, num_classes)``: class values in [0, k) (sometimes one below 0 or one at k), num_classes -1,
    k, k + 2, or k - 1 (too small: raises), shapes 0-d to 3-d (size-0 dims included)."""
    def build(shape, k, low, high, classes, seed):
        spec = ArraySpec(shape, dtype, domain=("int", low, k + high))
        n = {"infer": -1, "exact": k, "more": k + 2, "fewer": max(k - 1, 0)}[classes]
        return Case((spec, n), (), seed)
    return st.builds(build, shapes(max_dims=3), st.integers(0, 5), st.sampled_from((0, 0, 0, -1)),
                     st.sampled_from((0, 0, 0, 1)), st.sampled_from(("infer", "exact", "more", "fewer")), seeds)


def linear_case(dtype: str):
    """``linear(x, weight, bias)``: x (*, in) with 0 to 2 batch dims, weight (out, in) or (in,), bias None, (out,)
    or 0-d; sometimes x's last dim disagrees with weight's (raises)."""
    @st.composite
    def build(draw):
        batch = draw(st.lists(st.integers(0, 3), max_size=2))
        n_in = draw(st.sampled_from((3, 1, 0, 2, 5, 16)))
        n_out = draw(st.integers(0, 4))
        w_shape = (n_in,) if draw(st.integers(0, 4)) == 0 else (n_out, n_in)
        x_in = n_in if draw(st.integers(0, 7)) else n_in + 1
        args = [ArraySpec(tuple(batch) + (x_in,), dtype), ArraySpec(w_shape, dtype)]
        bias = draw(st.sampled_from(("none", "vector", "vector", "scalar")))
        if bias == "vector":
            args.append(ArraySpec(w_shape[:-1], dtype))
        elif bias == "scalar":
            args.append(ArraySpec((), dtype))
        return Case(tuple(args), (), draw(seeds))
    return build()


# ---- tolerances -------------------------------------------------------------------------------------------

def _length_along(sample):
    x = sample.arrays[0]
    dim = dict(sample.kwargs).get("dim", 1)
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    if x.ndim == 0:
        return 1
    try:
        return int(np.prod([x.shape[d] for d in dims]))
    except IndexError:
        return 1


def _softmax_tol(log: bool = False):
    """softmax: per element ``u (|x - max| + 2 n + 4) * softmax`` (the rounding of ``x - max`` is amplified by
    ``exp``, whose condition number is ``|x - max|``; the sum of ``n`` terms, whose own such errors weigh at most
    ``n / e``; the division) plus the final rounding ``u``; log_softmax: ``u |x - max|`` relative (its rounding) and
    ``(2 n + 4) u`` absolute (the log of the sum). Plus ``(n + 4)`` subnormals for underflow."""
    def tol_fn(sample, dtype):
        if dtype not in UNIT:
            return None
        x = sample.arrays[0]
        dim = dict(sample.kwargs).get("dim")
        n = _length_along(sample)
        u = UNIT[dtype]
        eta = float(_finfo(dtype).smallest_subnormal)
        if x.size == 0:
            return {dtype: (u, 0.0)}
        try:
            x64 = x.astype(np.float64).reshape(x.shape or (1,))
            with np.errstate(all="ignore"):
                gap = np.abs(x64 - np.max(x64, axis=dim % x64.ndim, keepdims=True))
                if log:
                    return {dtype: (u, (2 * n + 4) * u + u * np.where(np.isfinite(gap), gap, 0).reshape(x.shape))}
                value = R.softmax(x64, dim)
                spread = np.where(value > 0, u * (gap + 2 * n + 4) * value, 0.0)
        except (IndexError, ValueError):
            return None
        return {dtype: (u, spread.reshape(x.shape) + (n + 4) * eta)}
    return tol_fn


def _normalize_tol(sample, dtype):
    """The textbook p-norm ``(sum |x|^p)^(1/p)`` computed in the dtype: the sum of powers is good to about
    ``(2 n + 2) u`` relative (powers round once or twice, then ``n`` additions), the root divides that by ``p`` and
    adds ``|ln S| * u / p`` from the rounded exponent ``1/p`` (none for p = 1, 2, inf, whose ``1/p`` is exact), and
    the division ``x / norm`` one more ``u``: the same relative bound for every element of a slice, as an absolute
    one per element. Where the sum of powers leaves the dtype's range (it overflows, or underflows below its
    smallest normal while the norm still exceeds ``eps``), the norm computed in the dtype is not the norm, and the
    element is not compared."""
    if dtype not in UNIT:
        return None
    x = sample.arrays[0]
    kw = dict(sample.kwargs)
    p, dim, eps = kw.get("p", 2.0), kw.get("dim", 1), kw.get("eps", 1e-12)
    n = _length_along(sample)
    u = UNIT[dtype]
    info = _finfo(dtype)
    eta = (n + 4) * float(info.smallest_subnormal)
    if x.size == 0:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    try:
        x64 = x.astype(np.float64)
        with np.errstate(all="ignore"):
            expected = np.abs(R.normalize(x64, p, dim, eps))
            mag = finite_abs(x64.reshape(1) if x.ndim == 0 else x64)
            axes = tuple(d % max(x.ndim, 1) for d in dims)
            powers = np.sum(mag ** p, axis=axes, keepdims=True) if p != math.inf else np.max(mag, axis=axes,
                                                                                               keepdims=True)
            exponent = 0.0 if p in (1.0, 2.0, math.inf) else np.abs(np.log(np.where(powers > 0, powers, 1.0))) / p
            rel = 2 * u if p == math.inf else u * ((2 * n + 2) / p + 2 + exponent)  # inf: max is exact
            norm = powers ** (1.0 / p) if p != math.inf else powers
    except (ValueError, IndexError):
        return None
    with np.errstate(all="ignore"):
        atol = np.broadcast_to(rel, mag.shape).reshape(x.shape) * np.where(np.isfinite(expected), expected, 0) + eta
    atol = np.where(np.isnan(atol), np.inf, atol)  # an infinite |ln S| (S = 0 or inf) and a zero value
    if p == math.inf:
        return {dtype: (u, atol)}
    out_of_range = (powers >= float(info.max) / 2) | ((powers < float(info.tiny)) & (norm >= eps) & (powers > 0))
    free = np.broadcast_to(out_of_range, mag.shape).reshape(x.shape)
    return {dtype: (u, np.where(free, np.inf, atol), free)}


def _linear_tol(sample, dtype):
    if dtype not in UNIT:
        return None
    x, w = sample.arrays[:2]
    b = sample.arrays[2] if len(sample.arrays) > 2 else None
    with np.errstate(over="ignore", invalid="ignore"):
        scale = np.matmul(finite_abs(x), finite_abs(w).T)
        nonfinite = (np.matmul(nonfinite_mask(x), np.ones(w.shape).T) + np.matmul(np.ones(x.shape),
                                                                                nonfinite_mask(w).T)) > 0
        if b is not None:
            scale = scale + finite_abs(b)
            nonfinite = nonfinite | (nonfinite_mask(b) > 0)
    return sum_of_products_tolerance(dtype, scale, x.shape[-1] + 1, 2, nonfinite)


# ---- divergences --------------------------------------------------------------------------------------------

def _has(pred):
    def applies(sample, dtype):
        x = sample.arrays[0]
        return dtype in D.FLOATING and x.size > 0 and bool(pred(x.astype(np.float64)).any())
    return applies


def _gelu_vectorized_path(sample, dtype):
    """float32 / bfloat16, approximate="none", a contiguous tensor of at least 2 elements (the vectorized,
    oneDNN-backed kernel; a single element or a strided tensor takes the scalar path), holding a +inf or a value
    above half the dtype's largest."""
    if dtype not in ("float32", "bfloat16") or dict(sample.kwargs).get("approximate", "none") != "none":
        return False
    x = sample.arrays[0]
    if x.size < 2 or not (x.astype(np.float64) > float(_finfo(dtype).max) / 2).any():
        return False
    return _layouts.make(x, sample.layouts[0]).is_contiguous()


def _gelu_vectorized(dtype):
    return Divergence(
        id=f"gelu-vectorized-{dtype}-infinity", op="gelu",
        condition=f"approximate='none', {dtype}, a contiguous input of 2 or more elements holding +inf or a value "
                  "above half the dtype's largest",
        torch_behaviour="returns NaN for +inf, and +inf for a finite x above max / 2 (the vectorized erf / oneDNN "
                        "path); the scalar path (one element, strided input), float16 and float64 return x",
        numpy_behaviour="(the reference, the documented formula x * Phi(x)) gives +inf for +inf and x for large x",
        reference="https://github.com/pytorch/pytorch/issues/185770",
        kind="bug", applies=lambda sample, dt: dt == dtype and _gelu_vectorized_path(sample, dt),
        torch_ref=R.gelu_vectorized_float32 if dtype == "float32" else R.gelu_vectorized_bfloat16,
        example=lambda dt: ((np.array([np.inf, 3e38, 1.0], dtype=np.float32).astype(D.NUMPY[dt]),),
                            {"approximate": "none"}),
        dtypes=(dtype,),
    )


GELU_NEGINF = Divergence(
    id="gelu-neginf-nan", op="gelu",
    condition="a -inf element (both approximations)",
    torch_behaviour="returns NaN (the formula's -inf * 0)",
    numpy_behaviour="(the reference) gives the limit, -0.0",
    reference="https://github.com/pytorch/pytorch/pull/192318",
    kind="bug", applies=_has(np.isneginf), torch_ref=R.gelu_nan_at_neginf,
    example=lambda dtype: ((np.array([-np.inf, 1.0], dtype=dtype),), {"approximate": "tanh"}),
    dtypes=("float32",),
)

SILU_NEGINF = Divergence(
    id="silu-neginf-nan", op="silu",
    condition="a -inf element",
    torch_behaviour="returns NaN (-inf * sigmoid(-inf) = -inf * 0)",
    numpy_behaviour="(the reference) gives the limit, -0.0",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.SiLU.html",
    kind="unspecified", applies=_has(np.isneginf), torch_ref=R.silu_nan_at_neginf,
    example=lambda dtype: ((np.array([-np.inf, 1.0], dtype=dtype),), {}),
    dtypes=("float32",),
)

RELU_NEGATIVE_ZERO = Divergence(
    id="relu-negative-zero", op="relu",
    condition="a -0.0 element",
    torch_behaviour="returns -0.0 (relu is clamp_min(x, 0), which keeps x when x >= 0)",
    numpy_behaviour="np.maximum(-0.0, 0) is +0.0",
    reference="https://github.com/pytorch/pytorch/pull/196039",
    kind="unspecified", relax_signed_zero=True,
    applies=lambda sample, dtype: dtype in D.FLOATING and bool(
        ((sample.arrays[0] == 0) & np.signbit(sample.arrays[0].astype(np.float64))).any()),
    example=lambda dtype: ((np.array([-0.0, 1.0], dtype=dtype),), {}),
    dtypes=("float32",),
)

LINEAR_VECTOR_WEIGHT_BIAS = Divergence(
    id="linear-1d-weight-bias-2d-input", op="linear",
    condition="a 2-D input, a 1-D weight and a bias (all documented shapes)",
    torch_behaviour="raises RuntimeError (mat2 must be a matrix, got 1-D tensor): the fused addmm path takes "
                    "a matrix weight; with a 1-D or 3-D input, or without the bias, the same weight works",
    numpy_behaviour="x @ weight.T + bias is a matrix-vector product plus the bias",
    reference="https://github.com/pytorch/pytorch/issues/188891",
    kind="bug",
    applies=lambda sample, dtype: len(sample.arrays) == 3 and sample.arrays[0].ndim == 2 and
    sample.arrays[1].ndim == 1,
    raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 3), dtype=dtype), np.ones(3, dtype=dtype), np.ones((), dtype=dtype)), {}),
    dtypes=("float32",),
)

ONE_HOT_NEGATIVE = Divergence(
    id="one_hot-negative-class", op="one_hot",
    condition="a negative class value",
    torch_behaviour="raises RuntimeError (Class values must be non-negative)",
    numpy_behaviour="np.eye(n)[idx] counts a negative index from the end (-1 is the last class)",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.one_hot.html",
    applies=lambda sample, dtype: sample.arrays[0].size > 0 and int(sample.arrays[0].min()) < 0,
    raises=RuntimeError,
    example=lambda dtype: ((np.array([-1, 1], dtype=dtype), 3), {}),
    dtypes=("int64",),
)

ONE_HOT_EMPTY = Divergence(
    id="one_hot-empty-zero-classes", op="one_hot",
    condition="an empty input with num_classes=0",
    torch_behaviour="raises RuntimeError (Can not infer total number of classes from empty tensor), although "
                    "num_classes is given",
    numpy_behaviour="np.eye(0)[idx] is an empty array of shape (*, 0)",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.one_hot.html",
    kind="unspecified",
    applies=lambda sample, dtype: sample.arrays[0].size == 0 and sample.args[1] == 0, raises=RuntimeError,
    example=lambda dtype: ((np.zeros((0,), dtype=dtype), 0), {}),
    dtypes=("int64",),
)

ONE_HOT_INDEX_DTYPE = Divergence(
    id="one_hot-int64-only", op="one_hot",
    condition="class values of an integer dtype other than int64",
    torch_behaviour="raises RuntimeError (one_hot is only applicable to index tensor of type LongTensor)",
    numpy_behaviour="np.eye(n)[idx] indexes with any integer dtype",
    reference="https://pytorch.org/docs/stable/generated/torch.nn.functional.one_hot.html",
    applies=lambda sample, dtype: dtype != "int64", raises=RuntimeError,
    example=lambda dtype: ((np.array([0, 2], dtype=dtype), 3), {}),
    dtypes=("int32",),
)


#: the reduced-precision type whose CPU kernels differ most (bfloat16: vectorized paths), float32, float64
FLOATS = ("bfloat16", "float32", "float64")

ENTRIES = [
    OpEntry("softmax", F, "torch.nn.functional.softmax", R.softmax, along_dim, FLOATS, tol_fn=_softmax_tol(),
            grad=True),
    OpEntry("log_softmax", F, "torch.nn.functional.log_softmax", R.log_softmax, along_dim, FLOATS,
            tol_fn=_softmax_tol(log=True), signed_zero=False, grad=True),
    OpEntry("one_hot", F, "torch.nn.functional.one_hot", R.one_hot, one_hot_case, ("int32", "int64"),
            divergences=(ONE_HOT_INDEX_DTYPE, ONE_HOT_NEGATIVE, ONE_HOT_EMPTY)),
    OpEntry("relu", F, "torch.nn.functional.relu", R.relu, lambda dtype: along_dim(dtype).map(_no_dim),
            ("int64", "float32"), method="relu", inplace="relu_", divergences=(RELU_NEGATIVE_ZERO,), grad=True),
    OpEntry("gelu", F, "torch.nn.functional.gelu", R.gelu,
            lambda dtype: along_dim(dtype, approximate=st.sampled_from(("none", "tanh"))).map(_no_dim), FLOATS,
            divergences=(_gelu_vectorized("float32"), _gelu_vectorized("bfloat16"), GELU_NEGINF), grad=True),
    OpEntry("silu", F, "torch.nn.functional.silu", R.silu, lambda dtype: along_dim(dtype).map(_no_dim),
            ("float16", "float32"), divergences=(SILU_NEGINF,), grad=True),
    OpEntry("normalize", F, "torch.nn.functional.normalize", R.normalize, normalize_case,
            ("float16", "float32", "float64"), tol_fn=_normalize_tol, grad=True),
    OpEntry("linear", F, linear_ieee, R.linear, linear_case, FLOATS, tol_fn=_linear_tol, signed_zero=False,
            divergences=(LINEAR_VECTOR_WEIGHT_BIAS,), grad=True),
]
