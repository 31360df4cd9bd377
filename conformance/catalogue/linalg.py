"""Matrix products: dot, vdot, inner, outer, mm, bmm, mv, matmul, tensordot, kron, trace, tril/triu.

**Tolerance of a sum of products** (here, in einsum and in linear): :func:`conformance.tolerance.sum_of_products`,
the any-order bound of a sum of ``N`` products of ``m`` factors in the precision torch accumulates in (float32 for
the half types), ``gamma_a(N + m - 1) S`` with ``S`` the sum of the products' magnitudes, plus the final rounding
to the result dtype (:func:`product_tolerance`). ``S`` leaves out the non-finite factors (those are compared
exactly: NaN where NumPy has NaN, the same infinity). For float64 and complex128 operands ``S`` is computed in
``np.longdouble`` (products of float64 values reach ``2**2048``) and the bound with
:func:`~conformance.tolerance.sum_of_products_wide`, so it stays finite where the float64 products overflow; the
reference itself is evaluated in longdouble (:mod:`conformance.references.linalg`).

**Overflow.** Where ``S`` reaches the largest finite value of the accumulation type, a partial sum may overflow
although the exact result does not: those elements are ``nonfinite`` (torch may give an infinity or NaN there; a
finite value must be within the bound, which stays finite).

**Complex infinities.** A complex product with an infinite or NaN part has no single IEEE answer: C99 Annex G
(which recovers infinities from ``inf * 0`` terms) is optional, and NumPy's products and torch's kernels give
different non-finite patterns (``-inf+nanj`` against ``nan+infj`` for the same dot product). The elements of a
complex result that a non-finite factor contributes to are ``free``; every other element is compared.

**Subnormals in bfloat16 gemm.** On CPUs with AVX-512, torch's bfloat16 products of the matmul family (dot, mv,
mm, bmm, matmul, inner, tensordot) with more than 16**3 multiply-adds run oneDNN's gemm, which treats subnormal
inputs as zero and flushes subnormal results (records ``<op>-bf16-onednn-flushes-subnormals``, bugs: their bound
adds what the dropped terms and flushed roundings lose).

**TF32.** On CUDA, float32 products may run on TF32 tensor cores (10-bit mantissa) when
``torch.backends.cuda.matmul.allow_tf32`` / ``torch.backends.cudnn.allow_tf32`` are set; the torch callables of
this module switch both off for the duration of the call (and restore them), so float32 is compared as IEEE
float32.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import torch

from conformance import devices
from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.tolerance import with_unrepresentable
from conformance.references import linalg as R
from conformance.strategies import linalg as S

F = "linalg"


# ---- tolerance of sums of products ---------------------------------------------------------------------------

def is_wide(name: str) -> bool:
    """float64 / complex128: magnitudes of products are computed in longdouble (they overflow float64)."""
    return D.real_of(name) == "float64"


def nonfinite_mask(a: np.ndarray) -> np.ndarray:
    """True where ``a`` is NaN or infinite (in either part); False for integer and bool arrays."""
    if a.dtype.kind == "c":
        return ~(np.isfinite(a.real) & np.isfinite(a.imag))
    if D.is_inexact(D.name_of(a.dtype)):
        return ~np.isfinite(a.astype(np.float64))
    return np.zeros(a.shape, dtype=bool)


def finite_abs(a: np.ndarray, wide: bool = False) -> np.ndarray:
    """|a| in float64 (``wide``: longdouble), with NaN and infinite elements replaced by 0 (they are compared
    exactly, not bounded)."""
    to = np.longdouble if wide else np.float64
    if a.dtype.kind == "c":
        v = a.astype(np.clongdouble if wide else np.complex128)
    else:
        v = a.astype(np.float64).astype(to)
    with np.errstate(invalid="ignore", over="ignore"):
        m = np.abs(v).astype(to)
    return np.where(nonfinite_mask(a), to(0), m)


def product_tolerance(result: str, scale, terms, factors: int = 2, reach=None, amplification=1.0):
    """The bound of a sum of ``terms`` products of ``factors`` factors with magnitudes summing to ``scale``
    (longdouble for float64 / complex128 results); ``reach``: the elements a non-finite factor contributes to
    (``free`` in complex results, see the module docstring). None for exact (integer, bool) results."""
    if not D.is_inexact(result):
        return None
    build = T.sum_of_products_wide if is_wide(result) else T.sum_of_products
    with np.errstate(invalid="ignore", over="ignore"):
        tol = build(result, scale, terms, factors, amplification=amplification)
    if D.is_complex(result) and reach is not None and np.any(reach):
        tol = dataclasses.replace(tol, free=np.asarray(reach, dtype=bool))
    return tol


def wide_values(a: np.ndarray) -> np.ndarray:
    """``a`` in longdouble (clongdouble): the exact products and sums of float64 values stay finite there."""
    if a.dtype.kind == "c":
        return a.astype(np.clongdouble)
    if a.dtype.kind in "biu":
        return a.astype(np.longdouble)
    return a.astype(np.float64).astype(np.longdouble)


def result_name(sample) -> str:
    """The dtype of the sample's (first) array: the result dtype of these single-dtype products."""
    return D.name_of(sample.arrays[0].dtype)


def _ones(a):
    return np.ones(a.shape)


def _product_tol(combine, terms):
    """A ``tol_fn`` for a two-operand product: ``combine(|a|, |b|, *rest, **kwargs)`` gives ``S`` (``rest``: the
    sample's other arguments), ``terms(a, b, *rest, **kwargs)`` the contracted length N."""
    def tol_fn(sample, dtype):
        name = result_name(sample)
        if not D.is_inexact(name):
            return None
        a, b = sample.arrays[:2]
        rest, kw = sample.args[2:], sample.kwargs
        with np.errstate(over="ignore", invalid="ignore"):
            scale = combine(finite_abs(a, is_wide(name)), finite_abs(b, is_wide(name)), *rest, **kw)
            reach = (combine(nonfinite_mask(a).astype(float), _ones(b), *rest, **kw) +
                     combine(_ones(a), nonfinite_mask(b).astype(float), *rest, **kw)) > 0
        tol = product_tolerance(name, scale, terms(a, b, *rest, **kw), 2, reach)
        return with_unrepresentable(tol, name, scale, lambda: combine(wide_values(a), wide_values(b), *rest, **kw))
    return tol_fn


def _complex_product_tol(combine):
    """outer, kron: one product per element. Real: correctly rounded in both (the default table applies). Complex:
    a sum of two real products (ac - bd), so the sum-of-products bound over one term."""
    tol = _product_tol(combine, lambda *args, **kwargs: 1)

    def tol_fn(sample, dtype):
        return tol(sample, dtype) if D.is_complex(result_name(sample)) else None
    return tol_fn


def _last(a, b, *rest, **kwargs):
    return a.shape[-1] if a.ndim else 1


def _contracted(a, b, dims=2):
    x, _, (axes_a, _), _ = R.broadcast_contracted(a, b, dims)
    return int(np.prod([x.shape[i] for i in axes_a], dtype=np.int64))


def _tensordot_magnitude(a, b, dims=2):
    x, y, axes, _ = R.broadcast_contracted(a, b, dims)
    return np.tensordot(x, y, axes)


def _trace_tol(sample, dtype):
    name = result_name(sample)
    a = sample.arrays[0]
    if not D.is_inexact(name) or a.ndim != 2:
        return None
    return product_tolerance(name, np.trace(finite_abs(a, is_wide(name))), min(a.shape), 1,
                             np.trace(nonfinite_mask(a).astype(float)) > 0)


# ---- TF32 off on CUDA for the duration of a call ---------------------------------------------------------

def _ieee(fn, *args, **kwargs):
    """Calls ``fn`` with TF32 off (CUDA float32 products in IEEE float32), restoring the settings after."""
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    try:
        return fn(*args, **kwargs)
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def dot_ieee(a, b):
    return _ieee(torch.dot, a, b)


def vdot_ieee(a, b):
    return _ieee(torch.vdot, a, b)


def inner_ieee(a, b):
    return _ieee(torch.inner, a, b)


def mm_ieee(a, b):
    return _ieee(torch.mm, a, b)


def bmm_ieee(a, b):
    return _ieee(torch.bmm, a, b)


def mv_ieee(a, v):
    return _ieee(torch.mv, a, v)


def matmul_ieee(a, b):
    return _ieee(torch.matmul, a, b)


def linalg_matmul_ieee(a, b):
    return _ieee(torch.linalg.matmul, a, b)


def tensordot_ieee(a, b, *args, **kwargs):
    return _ieee(torch.tensordot, a, b, *args, **kwargs)


def linear_ieee(x, weight, *args, **kwargs):
    """``torch.nn.functional.linear`` with TF32 off (the functional catalogue's linear)."""
    return _ieee(torch.nn.functional.linear, x, weight, *args, **kwargs)


# ---- divergences -----------------------------------------------------------------------------------------

def _of(sample, *kinds):
    return D.KIND.get(result_name(sample)) in kinds


def _not_1d(sample, dtype):
    return any(a.ndim != 1 for a in sample.arrays[:2])


def _bool_product_raises(sample, dtype):
    """bool operands, and torch reaches a kernel: two 1-D operands (dot), or a non-empty result with a non-empty
    contracted dim (with nothing to sum, torch returns zeros / an empty result as NumPy does)."""
    if not _of(sample, "bool"):
        return False
    a, b = sample.arrays[:2]
    if a.ndim == 1 and b.ndim == 1:
        return True
    try:
        out = np.matmul(a, b)
    except ValueError:
        return True  # a shape error: torch raises too
    return a.shape[-1] > 0 and out.size > 0


BOOL_MATMUL = Divergence(
    id="matmul-bool-unsupported", op="matmul",
    condition="bool operands (two 1-D ones, or a non-empty result with a non-empty contracted dim)",
    torch_behaviour="raises RuntimeError (\"addmm_impl_cpu_\" / \"bmm\" / \"dot\" not implemented for 'Bool')",
    numpy_behaviour="computes the product in bool arithmetic (logical OR of logical ANDs)",
    reference="https://github.com/pytorch/pytorch/issues/107041",
    kind="unspecified", applies=_bool_product_raises, raises=RuntimeError,
    example=lambda dtype: ((np.array([[True, False]]), np.array([[True], [True]])), {}),
    # nothing to sum: torch returns the empty sum (False) without reaching a kernel, as NumPy does
    counterexample=lambda dtype: ((np.zeros((2, 0), dtype=bool), np.zeros((0, 3), dtype=bool)), {}),
    dtypes=("bool",),
)


def _one_d_only(op, numpy_behaviour, message):
    return Divergence(
        id=f"{op}-1d-only", op=op,
        condition="an operand that is not 1-D",
        torch_behaviour=f"raises RuntimeError ({message})",
        numpy_behaviour=numpy_behaviour,
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html",
        applies=_not_1d, raises=RuntimeError,
        # NumPy computes there: dot a matrix-vector product, vdot and outer the flattened operands
        example=lambda dtype: ((np.ones((2, 2), dtype=dtype), np.ones({"dot": 2, "vdot": 4}.get(op, 3), dtype=dtype)),
                               {}),
        counterexample=lambda dtype: ((np.ones(2, dtype=dtype), np.ones(2, dtype=dtype)), {}),
        dtypes=("float32",),
    )


DOT_1D = _one_d_only("dot", "np.dot multiplies 0-d operands and computes matrix products of 2-D ones",
                     "1D tensors expected")
VDOT_1D = _one_d_only("vdot", "np.vdot flattens its operands first", "1D tensors expected")
OUTER_1D = _one_d_only("outer", "np.outer flattens its operands first", "Expected 1-D argument")


def _dims(sample):
    """tensordot's ``dims`` argument of a sample (positional, keyword or the default 2)."""
    if len(sample.args) > 2:
        return sample.args[2]
    return sample.kwargs.get("dims", 2)


TENSORDOT_NEGATIVE = Divergence(
    id="tensordot-negative-int-dims", op="tensordot",
    condition="dims given as a negative int",
    torch_behaviour="raises RuntimeError (tensordot expects dims >= 0)",
    numpy_behaviour="np.tensordot returns a product over no axis pairs of an undocumented shape "
                    "(the axes argument is documented for N >= 0 only)",
    reference="https://numpy.org/doc/stable/reference/generated/numpy.tensordot.html",
    kind="unspecified",
    applies=lambda sample, dtype: isinstance(_dims(sample), int) and _dims(sample) < 0,
    raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 3), dtype=dtype), np.ones((3, 4), dtype=dtype), -1), {}),
    counterexample=lambda dtype: ((np.ones((2, 3), dtype=dtype), np.ones((3, 4), dtype=dtype), 0), {}),
    dtypes=("float32",),
)


def _contracted_broadcast(sample, dtype):
    a, b = sample.arrays[:2]
    try:
        _, _, _, broadcast = R.broadcast_contracted(a, b, _dims(sample))
    except (IndexError, ValueError, TypeError):
        return False
    return broadcast


TENSORDOT_BROADCAST = Divergence(
    id="tensordot-broadcasts-contracted-dims", op="tensordot",
    condition="a contracted dim of size 1 paired with a longer one",
    torch_behaviour="sums the other side over that dim, then multiplies (torch.tensordot(torch.tensor([7]), "
                    "torch.tensor([3, 0]), ([0], [0])) is 21; an empty other side gives 0 * b, NaN for an "
                    "infinite b)",
    numpy_behaviour="raises ValueError (shape-mismatch for sum); the array API standard requires equal "
                    "contracted sizes",
    reference="https://github.com/data-apis/array-api/issues/294",
    kind="unspecified", applies=_contracted_broadcast, torch_ref=R.tensordot_broadcast,
    native=True,  # the other side's sum is rounded to its dtype (float16: 65500 + 1.07 is 65504) before the product
    example=lambda dtype: ((np.array([7], dtype=dtype), np.array([3, 0], dtype=dtype), ([0], [0])), {}),
    counterexample=lambda dtype: ((np.array([7, 1], dtype=dtype), np.array([3, 0], dtype=dtype), ([0], [0])), {}),
    dtypes=("float32",),
)


def _contiguous_in_order(shape, strides, order) -> bool:
    """Whether the dims ``order`` of a tensor (sizes ``shape``, element ``strides``), taken in that order, are one
    C-contiguous block (dims of size 1 ignored)."""
    expected = 1
    for axis in reversed(list(order)):
        if shape[axis] == 1:
            continue
        if strides[axis] != expected:
            return False
        expected *= shape[axis]
    return True


def _tensordot_products_rounded(sample, dtype):
    """A float16 / bfloat16 tensordot to one element (every dim not contracted has size 1) over more than one
    term, with an operand whose contracted dims, in the order contracted, are not one contiguous block (record
    tensordot-dot-products-rounded)."""
    from conformance.catalogue.reductions import _layout_strides

    if result_name(sample) not in ("float16", "bfloat16") or len(sample.layouts) < 2:
        return False
    a, b = sample.arrays[:2]
    try:
        x, y, (axes_a, axes_b), broadcast = R.broadcast_contracted(a, b, _dims(sample))
    except (IndexError, ValueError, TypeError):
        return False
    if broadcast or x.shape != a.shape or y.shape != b.shape:
        return False
    free_a = [i for i in range(a.ndim) if i not in [j % max(a.ndim, 1) for j in axes_a]]
    free_b = [i for i in range(b.ndim) if i not in [j % max(b.ndim, 1) for j in axes_b]]
    if any(a.shape[i] != 1 for i in free_a) or any(b.shape[i] != 1 for i in free_b):
        return False
    if int(np.prod([a.shape[i] for i in axes_a], dtype=np.int64)) < 2:
        return False
    return not (_contiguous_in_order(a.shape, _layout_strides(a.shape, sample.layouts[0]), axes_a) and
                _contiguous_in_order(b.shape, _layout_strides(b.shape, sample.layouts[1]), axes_b))


def _tensordot_rounded_tol(sample, dtype):
    """The sum-of-products bound plus one rounding of the half type per product: each product rounded to the
    result dtype (``u_r |a_i b_i|``, or ``eta_r`` in its subnormal range) before the float32 sum, whose own
    roundings then act on products larger by at most ``(1 + u_r)`` (inside the bound's ``gamma`` terms)."""
    a, b = sample.arrays[:2]
    dims = _dims(sample)
    return _products_rounded(_product_tol(_tensordot_magnitude, _contracted)(sample, dtype), sample,
                             lambda x, y: _tensordot_magnitude(x, y, dims), _contracted(a, b, dims))


#: operands on which the rounded products take torch's single-element tensordot outside the strict bound
_ROUNDED_DOT = {
    "float16": ([[-0.08001708984375, -1.16015625], [-0.6298828125, -0.489990234375]],
                [[-0.7099609375, 0.5498046875], [-0.05999755859375, -0.58984375]]),
    "bfloat16": ([[-0.23046875, -0.259765625], [0.9609375, -1.1796875]],
                 [[0.73828125, -1.1015625], [-0.330078125, -0.83984375]]),
}

TENSORDOT_PRODUCTS_ROUNDED = Divergence(
    id="tensordot-dot-products-rounded", op="tensordot",
    condition="float16 / bfloat16 tensordot to a single element (every dim not contracted has size 1) over "
              "more than one term, with an operand whose contracted dims, in the order contracted, are not one "
              "contiguous block (a strided or expanded operand, a transposed one over two dims)",
    torch_behaviour="computes (a * b).sum() instead of dot: each product is rounded to the half type before the "
                    "float32 sum (float16 [-1.2451, 0.67334, -1.0137] . [0.74463, -0.56152, -1.0898], the second "
                    "a step-2 view, gives -0.2009; contiguous operands give -0.2006)",
    numpy_behaviour="np.tensordot: the exact -0.2005 rounded once, -0.2006",
    reference="no upstream issue found (torch 2.13.0, CPU: at::tensordot's single-element path)", kind="bug",
    applies=_tensordot_products_rounded, tolerance=_tensordot_rounded_tol, root_cause="tensordot-products-rounded",
    # contiguous operands contracted in transposed order ([0, 1] with [1, 0]): the same path; the counterexample
    # contracts the same values in matching order (dot)
    example=lambda d: ((np.array(_ROUNDED_DOT[d][0], dtype=D.NUMPY[d]), np.array(_ROUNDED_DOT[d][1], dtype=D.NUMPY[d]),
                        ([0, 1], [1, 0])), {}),
    counterexample=lambda d: ((np.array(_ROUNDED_DOT[d][0], dtype=D.NUMPY[d]),
                               np.ascontiguousarray(np.array(_ROUNDED_DOT[d][1], dtype=D.NUMPY[d]).T),
                               ([0, 1], [0, 1])), {}),
    dtypes=("float16", "bfloat16"), devices=("cpu",),
)


def _inner_products_rounded(sample, dtype):
    """A float16 / bfloat16 inner product to a single element (every dim but the last of size 1: two vectors, or a
    vector and a 1 x n matrix) over more than one term, with an operand whose last dim is not contiguous (record
    inner-dot-products-rounded: tensordot's single-element path, contracted over the last dims)."""
    from conformance.catalogue.reductions import _layout_strides

    if result_name(sample) not in ("float16", "bfloat16") or len(sample.layouts) < 2:
        return False
    a, b = sample.arrays[:2]
    if a.ndim < 1 or b.ndim < 1 or a.shape[-1] != b.shape[-1] or a.shape[-1] < 2:
        return False
    if a.size != a.shape[-1] or b.size != b.shape[-1]:
        return False
    return any(_layout_strides(v.shape, layout)[-1] != 1 for v, layout in zip((a, b), sample.layouts[:2]))


def _inner_rounded_tol(sample, dtype):
    """As ``_tensordot_rounded_tol``, for the single dot product of two vectors: the sum-of-products bound plus
    one rounding of the half type per product (``u_r |a_i b_i|``, or ``eta_r`` in its subnormal range)."""
    a, b = sample.arrays[:2]
    return _products_rounded(_product_tol(np.inner, _last)(sample, dtype), sample, np.inner, a.shape[-1])


def _products_rounded(base, sample, magnitude, n):
    """``base`` widened by one rounding of the half type per product: ``u_r (1 + u_r) (1 + gamma_a(n)) m``, ``m``
    the sum of the products' magnitudes (``magnitude(|a|, |b|)``), plus ``n eta_r`` for products in its
    subnormal range."""
    if not isinstance(base, T.Tolerance):
        return base
    name = result_name(sample)
    a, b = sample.arrays[:2]
    with np.errstate(over="ignore", invalid="ignore"):
        m = np.asarray(magnitude(finite_abs(a, is_wide(name)), finite_abs(b, is_wide(name))), dtype=np.float64)
        extra = T.unit(name) * (1 + T.unit(name)) * (1 + float(T.gamma(n, T.unit(T.accumulation(name))))) * m \
            + n * T.eta(name)
    return base.widened_by(T.Tolerance(0.0, extra, why=f"products rounded to {name}"))


INNER_PRODUCTS_ROUNDED = Divergence(
    id="inner-dot-products-rounded", op="inner",
    condition="float16 / bfloat16 inner product to a single element (two vectors, or a vector and a 1 x n "
              "matrix; more than one term) with an operand whose last dim is not contiguous (a strided or expanded "
              "view)",
    torch_behaviour="as tensordot-dot-products-rounded (torch.inner of vectors is tensordot over the last dim): "
                    "each product is rounded to the half type before the float32 sum; a bfloat16 inner of 33 "
                    "elements with a step-2 operand gives -140 where contiguous operands give -142",
    numpy_behaviour="np.inner: the exact -141.79 rounded once, -142",
    reference="no upstream issue found (torch 2.13.0, CPU: at::tensordot's single-element path)", kind="bug",
    applies=_inner_products_rounded, tolerance=_inner_rounded_tol, root_cause="tensordot-products-rounded",
    example=None,  # needs a non-contiguous operand: pinned by a bespoke test in the suite's test_linalg
    devices=("cpu",),
)


#: oneDNN's bfloat16 gemm (``vdpbf16ps``) treats subnormal inputs as zero and flushes subnormal results to zero;
#: torch takes it on CPU (with AVX-512 BW, VL and DQ) for a product of more than 16 ** 3 multiply-adds in all
#: (``checksize`` in ATen's mkldnn/Matmul.cpp: k for dot, m k for mv, m k n for mm, b m k n for bmm; matmul folds
#: into one of them with the same count)
_ONEDNN_MIN_SIZE = 16 ** 3
#: a factor at or above this magnitude times one at or above it is a normal float32 (2**-63 squared is float32's
#: smallest normal): only a smaller factor can meet DAZ or an FTZ'd product
_FLUSH_REACH = 2.0 ** -63


def _gemm_sized(sample, combine, terms) -> bool:
    """Whether a bfloat16 product takes oneDNN's gemm: more than 16**3 multiply-adds (the result's size times
    the contracted length)."""
    if result_name(sample) != "bfloat16":
        return False
    a, b = sample.arrays[:2]
    rest, kw = sample.args[2:], sample.kwargs
    try:
        out = combine(np.zeros(a.shape, dtype=np.float32), np.zeros(b.shape, dtype=np.float32), *rest, **kw)
        n = terms(a, b, *rest, **kw)
    except (ValueError, IndexError, TypeError):
        return False
    return np.size(out) * n > _ONEDNN_MIN_SIZE


def _onednn_bf16_flushes(combine, terms):
    """The result elements whose contraction has a nonzero factor below 2**-63 (a subnormal factor, or one whose
    product may be float32-subnormal), when the product takes oneDNN's gemm (records
    <op>-bf16-onednn-flushes-subnormals)."""
    def applies(sample, dtype):
        if not _gemm_sized(sample, combine, terms):
            return False
        a, b = sample.arrays[:2]
        rest, kw = sample.args[2:], sample.kwargs
        with np.errstate(invalid="ignore"):
            small = [((np.abs(x.astype(np.float64)) < _FLUSH_REACH) & (x != 0)).astype(float) for x in (a, b)]
        mask = np.asarray((combine(small[0], _ones(b), *rest, **kw) + combine(_ones(a), small[1], *rest, **kw)) > 0)
        return mask if mask.any() else False
    return applies


def _onednn_flushed_tol(combine, terms, base_tol=None):
    """The sum-of-products bound plus what denormals-are-zero and flush-to-zero lose: each term with a subnormal
    factor is dropped (at most ``D``, the sum of those terms' magnitudes), and each rounding to float32 whose
    result is subnormal (the ``N`` products, the ``N - 1`` additions, and the conversion to bfloat16) gives 0
    instead of a value within ``eta/2``: less than float32's smallest normal each, ``(2N + 1) tiny`` in all.
    A non-finite factor paired with a subnormal one gives NaN (``inf * 0``): those elements are ``nonfinite``.
    ``base_tol``: the op's own ``tol_fn`` the extra widens (by default the two-operand product bound).

    Derivation. With ``S`` the exact sum, ``s`` the float32 sum torch forms, and ``t`` its rounding to bfloat16
    (unit roundoff ``u``): ``|s - S| <= E + F``, ``E`` the float32 accumulation error of the base bound and
    ``F = D + 2N tiny`` what the flushes inside the float32 computation lose; ``|t - s| <= u |s| + tiny`` (a
    rounding, or the conversion's flush of a subnormal ``s``); the reference ``e`` is ``S`` rounded once. So
    ``|t - e| <= (1 + u) (E + F) + tiny + 2 u |S| (1 + u)``: the base bound holds ``(1 + u) E`` and the two
    roundings relative to ``e``, and the rounding of ``t`` applies to ``F`` too (``s`` may be ``D`` away from
    ``S``, and its rounding error scales with ``s``, not ``e``): the extra is ``(1 + u) (D + 2N tiny) + tiny``."""
    def tol(sample, dtype):
        base = (base_tol or _product_tol(combine, terms))(sample, dtype)
        if not isinstance(base, T.Tolerance):
            return base
        a, b = sample.arrays[:2]
        rest, kw = sample.args[2:], sample.kwargs
        n = terms(a, b, *rest, **kw)
        tiny = T.tiny("float32")
        sub = [(np.abs(x.astype(np.float64)) < tiny) & (x != 0) for x in (a, b)]
        with np.errstate(over="ignore", invalid="ignore"):
            ma, mb = finite_abs(a), finite_abs(b)
            dropped = combine(ma * sub[0], mb, *rest, **kw) + combine(ma * ~sub[0], mb * sub[1], *rest, **kw)
            inf_times_zero = np.asarray((combine(nonfinite_mask(a).astype(float), sub[1].astype(float), *rest, **kw) +
                                         combine(sub[0].astype(float), nonfinite_mask(b).astype(float), *rest, **kw))
                                        > 0)
        ur = T.unit(result_name(sample))
        extra = T.Tolerance(0.0, (1 + ur) * (dropped + 2 * n * tiny) + tiny, nonfinite=inf_times_zero,
                            why="subnormals flushed (oneDNN bf16 gemm)")
        return base.widened_by(extra)
    return tol


#: per op, the pinned example's operand shapes: 4097 multiply-adds, one more than the native kernel's share
_FLUSH_SHAPES = {"dot": ((4097,), (4097,)), "vdot": ((4097,), (4097,)), "mv": ((1, 4097), (4097,)), "bmm": ((1, 1, 4097), (1, 4097, 1)),
                 "inner": ((4097,), (4097,)), "tensordot": ((4097,), (4097,))}


def _flush_example(op, subnormal=True):
    """The pinned example: ones times bfloat16's smallest subnormal over 4097 terms, whose exact 3.76e-37 torch
    gives as 0; with ``subnormal=False`` (the counterexample) 2**-60 in its place, above the condition's 2**-63."""
    shape_a, shape_b = _FLUSH_SHAPES.get(op, ((1, 4097), (4097, 1)))
    v = float(D.finfo("bfloat16").smallest_subnormal) if subnormal else 2.0 ** -60
    bf16 = D.NUMPY["bfloat16"]
    extra = (1,) if op == "tensordot" else ()
    return lambda dtype: ((np.ones(shape_a).astype(bf16), np.full(shape_b, v).astype(bf16)) + extra, {})


def cpu_has_bf16_dot() -> bool:
    """Whether this CPU has the bfloat16 dot-product instructions oneDNN's bf16 gemm uses (avx512_bf16 or
    amx_bf16, from /proc/cpuinfo; False where it cannot be read): where it does not, the kernel takes another
    path that keeps subnormals."""
    return bool({"avx512_bf16", "amx_bf16"} & devices.cpu_features()[1])


def cpu_has_amx_bf16() -> bool:
    """Whether this CPU has AMX bfloat16 tiles (amx_bf16 and amx_tile, from /proc/cpuinfo), which oneDNN's bf16
    gemm takes where it can. The odd-length over-read needs them, as far as measured: an AVX-512 BF16 CPU without
    AMX (AMD EPYC; oneDNN's brg_matmul:avx512_core_bf16) keeps each row to itself on the pinned examples, and the
    kernel's reach of up to 31 elements past a row is half a 64-byte tile row of bfloat16 pairs."""
    return {"amx_bf16", "amx_tile"} <= devices.cpu_features()[1]


def _onednn_flushes(op, combine=np.matmul, terms=_last, base_tol=None):
    return Divergence(
        id=f"{op}-bf16-onednn-flushes-subnormals", op=op,
        condition="bfloat16 operands on CPU with more than 16**3 multiply-adds in all (oneDNN's gemm): the result "
                  "elements whose contraction has a nonzero factor below 2**-63 (a subnormal, or one that may make "
                  "a float32-subnormal product)",
        torch_behaviour="oneDNN's avx512_bf16 kernel (vdpbf16ps) treats subnormal inputs as zero and flushes "
                        "subnormal products and sums to zero, whatever torch.set_flush_denormal says: torch.ones(1, "
                        "4097, dtype=torch.bfloat16) @ torch.full((4097, 1), 9.2e-41, dtype=torch.bfloat16) is 0 "
                        "(4096 terms, below the threshold, take the native kernel: 3.76e-37); -inf times a "
                        "subnormal gives NaN (-inf * 0)",
        numpy_behaviour="the exact sum of products rounded once: 3.76e-37; -inf for -inf times a positive subnormal",
        reference="no upstream issue found (torch 2.13.0 CPU, AVX-512: at::native mkldnn_matmul / "
                  "mkldnn_bf16_gemm; Intel SDM, VDPBF16PS: denormal inputs are treated as zero, outputs flushed)",
        kind="bug", applies=_onednn_bf16_flushes(combine, terms),
        tolerance=_onednn_flushed_tol(combine, terms, base_tol),
        root_cause="onednn-bf16-denormals-are-zero",
        example=_flush_example(op), counterexample=_flush_example(op, subnormal=False), shows=cpu_has_bf16_dot,
        dtypes=("bfloat16",), devices=("cpu",),
    )


def _onednn_next_row_elements(sample, dtype):
    """mm, bmm, mv, matmul: a bfloat16 product of oneDNN's size (:func:`_gemm_sized`) whose contracted length
    ``k`` is odd, the left operand not a column-major matrix (the 2-D 'transposed' layout, which torch hands over
    as a transposed gemm; a stack in that layout is copied first, its batch stride being 1): the result rows
    ``i`` whose left operand's next row (``i + 1``, same matrix) holds a NaN or an infinity (the kernel reads
    its first element for most odd lengths, up to its first 31 for some: 65 x 33 by 33 x 3)."""
    if not _gemm_sized(sample, np.matmul, _last):
        return False
    a, b = sample.arrays[:2]
    if a.ndim < 2 or a.shape[-1] % 2 == 0 or a.shape[-2] < 2 or (a.ndim == 2 and sample.layouts[0] == "transposed"):
        return False
    with np.errstate(invalid="ignore"):
        nonfinite = ~np.all(np.isfinite(a[..., 1:, :].astype(np.float64)), axis=-1)
    if not nonfinite.any():
        return False
    read = np.zeros(a.shape)  # what the kernel reads past row i's end, as it pairs it with its last column
    read[..., :-1, -1] = nonfinite
    mask = np.asarray(np.matmul(read, _ones(b)) > 0)
    return mask if mask.any() else False


def _linear_product(x, w, *rest, **kwargs):
    """linear's product without its bias, ``x w^T`` (for the gemm's size and the rows it reads)."""
    return np.matmul(x, np.swapaxes(w, -1, -2)) if w.ndim >= 2 else np.matmul(x, w)


def _onednn_next_flat_row(combine):
    """inner and linear: as :func:`_onednn_next_row_elements`, the left operand taken as the matrix torch hands
    the gemm, its dims but the last flattened into rows (so the row after a matrix's last is the next matrix's
    first); ``combine(left, right)``: the op's product (its result rows those of the left operand)."""
    def applies(sample, dtype):
        if not _gemm_sized(sample, combine, _last):
            return False
        a, b = sample.arrays[:2]
        if a.ndim < 2 or a.shape[-1] % 2 == 0 or a.size // max(a.shape[-1], 1) < 2 or \
                (a.ndim == 2 and sample.layouts[0] == "transposed"):
            return False
        rows = a.reshape(-1, a.shape[-1]).astype(np.float64)
        with np.errstate(invalid="ignore"):
            nonfinite = ~np.all(np.isfinite(rows[1:]), axis=-1)
        if not nonfinite.any():
            return False
        read = np.zeros(rows.shape)
        read[:-1, -1] = nonfinite
        try:
            mask = np.asarray(combine(read.reshape(a.shape), _ones(b)) > 0)
        except ValueError:
            return False
        return mask if mask.any() else False
    return applies


#: per op, the pinned example's operand shapes (64 x 17 rows: 4352 multiply-adds, an odd contracted length)
_NEXT_ROW_SHAPES = {"bmm": ((1, 64, 17), (1, 17, 4)), "mv": ((300, 17), (17,)), "inner": ((64, 17), (4, 17)),
                    "linear": ((64, 17), (4, 17))}


def _next_row_example(op, k=17):
    """ones with a NaN starting row 11 of the left operand: torch's row 10 is NaN; with ``k = 18`` (the
    counterexample, an even contracted length) it is the reference's 18."""
    shape_a, shape_b = _NEXT_ROW_SHAPES.get(op, ((64, 17), (17, 4)))
    shape_a = shape_a[:-1] + (k,)
    if op in ("inner", "linear"):  # the right operand's rows are contracted
        shape_b = shape_b[:-1] + (k,)
    else:
        shape_b = (shape_b[:-2] + (k, shape_b[-1])) if len(shape_b) >= 2 else (k,)
    bf16 = D.NUMPY["bfloat16"]

    def example(dtype):
        a = np.ones(shape_a, dtype=np.float32)
        a[..., 11, 0] = np.nan
        return (a.astype(bf16), np.ones(shape_b, dtype=np.float32).astype(bf16)), {}
    return example


def _onednn_next_row(op, applies=_onednn_next_row_elements):
    return Divergence(
        id=f"{op}-bf16-onednn-odd-length-reads-next-row", op=op,
        condition="bfloat16 operands on CPU with more than 16**3 multiply-adds (oneDNN's gemm), an odd contracted "
                  "length and a left operand that is not a column-major matrix (a stack is copied to row-major "
                  "first): the result rows whose left operand's next row holds a NaN or an infinity",
        torch_behaviour="on a CPU with AMX bfloat16 tiles (cpu_has_amx_bf16; an AVX-512 BF16 CPU without them "
                        "does not show it), oneDNN's kernel multiplies bfloat16 pairs: for an odd length the "
                        "last pair of row i reads past the row, into row i + 1 (its first element for most lengths, "
                        "its first 31 for a 65 x 33 by 33 x 3 product), and multiplies that by the zero padding of "
                        "the other operand, so a NaN or an infinity there makes row i NaN: a = torch.ones(64, 17, "
                        "dtype=torch.bfloat16); a[11, 0] = float('nan'); "
                        "(a @ torch.ones(17, 4, dtype=torch.bfloat16))[10] is NaN (17 with 18 columns, or with a "
                        "transposed a; inner and linear are recorded too, their left operand's dims flattened into rows; einsum and "
                        "tensordot show it as well, not recorded). Either is accepted on those rows, a superset: the kernel's "
                        "row blocking decides which of them read past their end (for 64 x 33 by 33 x 3, rows 0-15 "
                        "and 32-47 only); a finite value must be within the bound",
        numpy_behaviour="each result row depends on its own row of the left operand: 17",
        reference="no upstream issue found (torch 2.13.0 CPU with AMX: at::native mkldnn_matmul)",
        kind="bug", applies=applies, accept_nonfinite=applies,
        root_cause="onednn-bf16-odd-length-over-read",
        example=_next_row_example(op), counterexample=_next_row_example(op, k=18), shows=cpu_has_amx_bf16,
        dtypes=("bfloat16",), devices=("cpu",),
    )


def _kron_view_fails(sample, dtype):
    """torch.kron multiplies interleaved views of its operands and views the product as the result: that last
    view fails for some operand strides (a transposed operand, mostly). The model in
    :func:`conformance.references.linalg.kron_view_fails` decides it from the shapes and layouts."""
    a, b = sample.arrays[:2]
    return bool(R.kron_view_fails(a.shape, sample.layouts[0], b.shape, sample.layouts[1]))


KRON_NONCONTIGUOUS = Divergence(
    id="kron-transposed-input-raises", op="kron",
    condition="operand strides for which the view of the interleaved product fails, e.g. "
              "kron(ones(2), ones(2, 2).t()) (ATen's kron, TensorIterator's output layout and computeStride, "
              "modelled from the shapes and layouts)",
    torch_behaviour="raises RuntimeError: view size is not compatible with input tensor's size and stride",
    numpy_behaviour="computes the Kronecker product (memory layout does not matter)",
    reference="https://github.com/pytorch/pytorch/issues/54135",
    kind="bug", applies=_kron_view_fails, raises=RuntimeError,
    example=None,  # needs a transposed layout: pinned by a bespoke test in the suite's test_linalg
)


def _underflowing_parts(combine):
    """The elements of a complex product (one product per element: outer, kron) whose real or imaginary part is
    a difference of two partial products that both underflow the result's precision."""
    def applies(sample, dtype):
        a, b = sample.arrays[:2]
        if a.dtype.kind != "c" or _not_1d(sample, dtype) and combine is np.outer:
            return False
        tiny = T.tiny(result_name(sample))
        with np.errstate(all="ignore"):
            parts = [np.abs(np.asarray(x, dtype=np.float64)) for x in (a.real, a.imag, b.real, b.imag)]
            ar, ai, br, bi = parts

            def small(x, y):
                v = combine(x, y)
                return v < tiny
            mask = (small(ar, br) & small(ai, bi)) | (small(ar, bi) & small(ai, br))
        return np.asarray(mask)  # a 0-d mask for 0-d operands (NumPy's scalar bool would read as "whole call")
    return applies


def _complex_zero_sign(op, combine):
    return Divergence(
        id=f"{op}-complex-zero-sign", op=op,
        condition="complex operands: the elements whose real or imaginary part is the difference of two partial "
                  "products that both underflow (ac and bd, or ad and bc, below the smallest normal)",
        torch_behaviour="computes re = ac - bd in the operands' precision: when both partial products underflow "
                        "to -0.0 the difference is +0.0",
        numpy_behaviour="keeps the sign of the exact result (-0.0), in complex64 as in complex128",
        reference="https://en.cppreference.com/w/c/numeric/complex",
        kind="unspecified", applies=_underflowing_parts(combine), relax_signed_zero=True,
        example=lambda dtype: ((np.array([complex(1.8917529e-43, -1.4e-45)], dtype=dtype),
                                np.array([complex(-4.48e-43, 1.1e-44)], dtype=dtype)), {}),
        # a zero real part from normal products: +0.0 in both
        counterexample=lambda dtype: ((np.array([complex(1.0, 1.0)], dtype=dtype),
                                       np.array([complex(1.0, 1.0)], dtype=dtype)), {}),
        dtypes=("complex64",),
    )


def _exact_values(ref, sample):
    """The reference's values before the rounding to the result dtype (float64: the sample's arrays widened)."""
    args, kwargs = sample.numpy_inputs(lambda a: a.astype(np.float64) if a.dtype.kind != "c" else a.copy())
    with np.errstate(all="ignore"):
        return np.asarray(ref(*args, **kwargs), dtype=np.float64)


def _saturating(ref):
    def model(*args, **kwargs):
        """The reference, saturated to float8_e4m3fn's range (torch's conversion: +-448 beyond it)."""
        v = np.asarray(ref(*args, **kwargs))
        return np.where(np.isnan(v), v, np.clip(v, -448.0, 448.0))
    return model


def _to_e8m0_like_torch(ref):
    def model(*args, **kwargs):
        """The reference, converted as torch converts to float8_e8m0fnu (zero to 2**-127, a negative value to its
        magnitude)."""
        v = np.abs(np.asarray(ref(*args, **kwargs)))
        return np.where(v == 0, 2.0 ** -127, v)
    return model


#: per format: (the elements torch's conversion treats otherwise than ml_dtypes', the model, what torch does)
_FLOAT8_CONVERSIONS = {
    "float8_e4m3fn": (lambda v: ~np.isnan(v) & ~(np.abs(v) < 464.0), _saturating,
                      "saturates to +-448, the largest finite value (as torch.tensor([1e6]).to(torch.float8_e4m3fn) "
                      "is 448)", "NaN (ml_dtypes' conversion: the format has no infinity)", "a magnitude of 464 or "
                      "more (beyond the rounding to 448)"),
    "float8_e8m0fnu": (lambda v: v <= 0, _to_e8m0_like_torch,
                       "gives 2**-127 for a zero result (torch's conversion to float8_e8m0fnu, which has no zero: "
                       "torch.tensor([0.0]).to(torch.float8_e8m0fnu) is 5.9e-39)",
                       "NaN (ml_dtypes' conversion of zero)", "zero or below (an empty sum)"),
}


def float8_conversion(op, ref, fmt, example, counterexample):
    """A product's float8 result converted as torch converts to the format (an elementwise model): float8_e4m3fn
    saturates, float8_e8m0fnu has no zero. ``example`` / ``counterexample``: the arguments as nested lists (the
    arrays) and Python values, built in the format."""
    where, model, torch_does, numpy_does, reach = _FLOAT8_CONVERSIONS[fmt]

    def applies(sample, dtype):
        if not sample.arrays or any(D.name_of(a.dtype) != fmt for a in sample.arrays):
            return False
        try:
            v = _exact_values(ref, sample)
        except Exception:  # noqa: BLE001 - NumPy rejects the sample: nothing to convert
            return False
        mask = np.asarray(where(v))
        return mask if mask.any() else False

    def build(args):
        return lambda dtype: (tuple(np.array(a, dtype=D.NUMPY[fmt]) if isinstance(a, list) else a for a in args), {})
    return Divergence(
        id=f"{op}-{fmt.replace('_', '-')}-conversion", op=op,
        condition=f"{fmt} operands: the result elements whose exact value is {reach}",
        torch_behaviour=f"computes in float32 and {torch_does}",
        numpy_behaviour=numpy_does,
        reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types: conversions)",
        kind="unspecified", applies=applies, torch_ref=model(ref), root_cause=f"{fmt}-conversion",
        example=build(example), counterexample=build(counterexample), dtypes=(fmt,),
    )


def _sat_pair(op, ref, a, b, *rest, small_a=None):
    """float8_e4m3fn records with a (20, 30) . (20, 30) = 1300 example and its (2, 3) . (2, 3) counterexample."""
    return float8_conversion(op, ref, "float8_e4m3fn", (a, b) + rest, (small_a or _shrink(a), _shrink(b)) + rest)


def _shrink(a):
    return [_shrink(x) for x in a] if isinstance(a, list) else a / 10


def _triangle_divergence(name):
    return Divergence(
        id=f"{name}-1d", op=name,
        condition="a 1-D input",
        torch_behaviour="raises RuntimeError (input tensor must have at least 2 dimensions)",
        numpy_behaviour=f"np.{name} treats a 1-D input as the rows of a square matrix (broadcasts it to 2-D)",
        reference=f"https://numpy.org/doc/stable/reference/generated/numpy.{name}.html",
        applies=lambda sample, dtype: sample.arrays[0].ndim == 1, raises=RuntimeError,
        example=lambda dtype: ((np.ones(3, dtype=dtype), 0), {}),
        counterexample=lambda dtype: ((np.ones((1, 3), dtype=dtype), 0), {}),
        dtypes=("float32",),
    )


TRACE_UNSIGNED = Divergence(
    id="trace-uint8-int64", op="trace",
    condition="a uint8 matrix",
    torch_behaviour="returns int64 (integer inputs are summed as int64, as torch.sum does)",
    numpy_behaviour="np.trace returns uint64 for unsigned inputs",
    reference="https://github.com/pytorch/pytorch/issues/82159",
    applies=lambda sample, dtype: result_name(sample) == "uint8" and sample.arrays[0].ndim == 2,
    expected_dtype=lambda sample, numpy_dtype: np.dtype(np.int64),
    example=lambda dtype: ((np.ones((2, 3), dtype=np.uint8),), {}),
    counterexample=lambda dtype: ((np.ones((2, 3), dtype=np.int8),), {}),
    dtypes=("uint8",),
)

TRACE_BOOL = Divergence(
    id="trace-bool-unsupported", op="trace",
    condition="a bool matrix",
    torch_behaviour="raises RuntimeError (\"trace\" not implemented for 'Bool'), although torch.sum of bool works",
    numpy_behaviour="np.trace counts the True elements of the diagonal (int64)",
    reference="https://pytorch.org/docs/stable/generated/torch.trace.html",
    kind="unspecified", applies=lambda sample, dtype: _of(sample, "bool"), raises=RuntimeError,
    example=lambda dtype: ((np.eye(2, dtype=bool),), {}),
    counterexample=lambda dtype: ((np.eye(2, dtype=np.int8),), {}),
    dtypes=("bool",), devices=("cpu",),
)


#: Sums of products do not keep the sign of a zero sum: BLAS-style kernels start their accumulators at +0.0, in
#: NumPy as in torch (np.dot([-0.], [1.]) is -0.0 but np.dot([-0., -0.], [1., 1.]) is +0.0), so the sign of a zero
#: result is not part of either library's contract. The products below compare zeros without their sign.
SUM_OF_PRODUCTS = dict(signed_zero=False, grad=True)

ENTRIES = [
    OpEntry("dot", F, dot_ieee, R.dot, S.dot_case, method="dot", tol_fn=_product_tol(np.dot, _last),
            divergences=(DOT_1D, _onednn_flushes("dot")), covers=("torch.dot",), **SUM_OF_PRODUCTS),
    # vdot differs from dot by the conjugation of its first operand
    OpEntry("vdot", F, vdot_ieee, R.vdot, S.dot_case, method="vdot", tol_fn=_product_tol(np.vdot, _last),
            divergences=(VDOT_1D, _onednn_flushes("vdot")), covers=("torch.vdot",), **SUM_OF_PRODUCTS),
    OpEntry("inner", F, inner_ieee, R.inner, S.inner_case, method="inner", tol_fn=_product_tol(np.inner, _last),
            divergences=(INNER_PRODUCTS_ROUNDED, _onednn_flushes("inner", np.inner),
                         _onednn_next_row("inner", _onednn_next_flat_row(np.inner)),
                         _sat_pair("inner", R.inner, [[20.0, 30.0], [1.0, 1.0]], [[20.0, 30.0]]),
                         float8_conversion("inner", R.inner, "float8_e8m0fnu", ([[], []], [[], []]),
                                           # an empty result: the only form torch has a kernel for
                                           (np.zeros((0, 2)).tolist(), [[2.0, 2.0]] * 3))),
            covers=("torch.inner",), **SUM_OF_PRODUCTS),
    # one rounding of one product per element: the correctly rounded result in both (real), so the default table
    OpEntry("outer", F, "torch.outer", R.outer, S.outer_case, method="outer", tol_fn=_complex_product_tol(np.outer),
            divergences=(OUTER_1D, _complex_zero_sign("outer", np.outer),
                         _sat_pair("outer", R.outer, [36.0, 2.0], [-20.0, 3.0])), grad=True),
    OpEntry("mm", F, mm_ieee, R.mm, S.mm_case, method="mm", tol_fn=_product_tol(np.matmul, _last),
            divergences=(_sat_pair("mm", R.mm, [[20.0, 30.0]], [[20.0], [30.0]]), _onednn_flushes("mm"), _onednn_next_row("mm")),
            covers=("torch.mm",),
            **SUM_OF_PRODUCTS),
    OpEntry("bmm", F, bmm_ieee, R.bmm, S.bmm_case, method="bmm", tol_fn=_product_tol(np.matmul, _last),
            divergences=(_onednn_flushes("bmm"), _onednn_next_row("bmm")), covers=("torch.bmm",), **SUM_OF_PRODUCTS),
    OpEntry("mv", F, mv_ieee, R.mv, S.mv_case, method="mv", tol_fn=_product_tol(np.matmul, _last),
            divergences=(_onednn_flushes("mv"), _onednn_next_row("mv")), covers=("torch.mv",), **SUM_OF_PRODUCTS),
    OpEntry("matmul", F, matmul_ieee, R.matmul, S.matmul_case, method="matmul",
            tol_fn=_product_tol(np.matmul, _last),
            divergences=(BOOL_MATMUL, _sat_pair("matmul", R.matmul, [[20.0, 30.0]], [[20.0], [30.0]]),
                         _onednn_flushes("matmul"), _onednn_next_row("matmul")),
            covers=("torch.matmul",), **SUM_OF_PRODUCTS),
    # torch.linalg.matmul is torch.matmul under its NumPy name (numpy.linalg.matmul is np.matmul)
    OpEntry("linalg_matmul", F, linalg_matmul_ieee, R.matmul, S.matmul_case, method="matmul",
            tol_fn=_product_tol(np.matmul, _last),
            divergences=(dataclasses.replace(BOOL_MATMUL, id="linalg_matmul-bool-unsupported", op="linalg_matmul"),
                         _sat_pair("linalg_matmul", R.matmul, [[20.0, 30.0]], [[20.0], [30.0]]),
                         _onednn_flushes("linalg_matmul"), _onednn_next_row("linalg_matmul")),
            covers=("torch.linalg.matmul",), **SUM_OF_PRODUCTS),
    OpEntry("tensordot", F, tensordot_ieee, R.tensordot, S.tensordot_cases,
            tol_fn=_product_tol(_tensordot_magnitude, _contracted),
            divergences=(TENSORDOT_NEGATIVE, TENSORDOT_BROADCAST, TENSORDOT_PRODUCTS_ROUNDED,
                         _onednn_flushes("tensordot", _tensordot_magnitude, _contracted),
                         _sat_pair("tensordot", R.tensordot, [[20.0, 30.0], [1.0, 1.0]], [[20.0, 1.0], [30.0, 1.0]], 1)),
            covers=("torch.tensordot",),
            **SUM_OF_PRODUCTS),
    # one rounding of one product per element (as outer)
    OpEntry("kron", F, "torch.kron", R.kron, S.kron_case, method="kron", tol_fn=_complex_product_tol(np.kron),
            divergences=(KRON_NONCONTIGUOUS, _complex_zero_sign("kron", np.kron),
                         _sat_pair("kron", R.kron, [36.0, 2.0], [-20.0, 3.0])), grad=True),
    OpEntry("trace", F, "torch.trace", R.trace, S.trace_case, method="trace",
            tol_fn=_trace_tol, divergences=(TRACE_UNSIGNED, TRACE_BOOL), **SUM_OF_PRODUCTS),
    OpEntry("tril", F, "torch.tril", R.tril, S.triangle_case,
            method="tril", inplace="tril_", divergences=(_triangle_divergence("tril"),), grad=True),
    OpEntry("triu", F, "torch.triu", R.triu, S.triangle_case,
            method="triu", inplace="triu_", divergences=(_triangle_divergence("triu"),), grad=True),
]
