"""Matrix products: dot, vdot, inner, outer, mm, bmm, mv, matmul, tensordot, kron, trace, tril/triu.

**Tolerance of a sum of products** (used here, by einsum and by linear). Each element of the result is a sum of at
most ``N`` terms, each a product of ``m`` factors. Computed in a floating type of unit roundoff ``u`` in *any*
order, with any blocking, with or without FMA, through intermediate results rounded to that type (pairwise
contractions), the error is at most ``gamma(k) * S`` with ``k = N + m`` roundings on any path, ``gamma(k) =
k u / (1 - k u)`` and ``S = sum |factor| * ... * |factor|`` over the terms (Higham, *Accuracy and Stability of
Numerical Algorithms*, 2nd ed., sec. 3.1 and 3.5). The reference is computed in float64 (its own error is the same
bound with ``u = 2**-53``) and rounded to the result type (``u`` relative). So torch is held, per element, to::

    |torch - numpy| <= u * |numpy| + (gamma_u(k) + gamma_64(k)) * S + k * eta * A

with ``eta`` the type's smallest subnormal (the absolute error of a rounding that underflows) and ``A`` the
product of the operands' largest magnitudes (at least 1) when an underflowed intermediate is multiplied again
(einsum with several operands), else 1. Complex: ``k`` doubles and a factor ``sqrt(2)`` applies (a complex product
is good to ``sqrt(2) gamma(2)``). ``S`` is computed with the non-finite factors left out. The bound grows with the
contracted length, as it must; it is not widened anywhere else.

**Overflow.** Where ``S`` reaches the type's largest finite value, a partial sum of torch's working precision may
overflow although the exact result does not, and which infinity (or NaN) comes out depends on the summation
order; there the bound (at least ``gamma * max``) says nothing either. Such elements are compared only where a NaN
or infinite input contributes (torch must then give NaN or an infinity: ``may_overflow`` in
:mod:`conformance.compare`); elsewhere they are not compared. For float64 the reference itself may have
overflowed, and no such element is compared.

**Complex infinities.** A complex product with an infinite or NaN part has no single IEEE answer: C99 Annex G
(which recovers infinities from ``inf * 0`` terms) is optional, and NumPy's BLAS-backed products and torch's
kernels give different non-finite patterns (``-inf+nanj`` against ``nan+infj`` for the same dot product). Elements
of a complex result that a non-finite factor contributes to are therefore not compared; every other element is.

**TF32.** On CUDA, float32 products may run on TF32 tensor cores (10-bit mantissa) when
``torch.backends.cuda.matmul.allow_tf32`` / ``torch.backends.cudnn.allow_tf32`` are set; the torch callables of
this module switch both off for the duration of the call (and restore them), so float32 is compared as IEEE
float32. The Tensor-method variants run with the process's settings (both off by default for matmul).
"""
from __future__ import annotations

import math

import numpy as np
import torch

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import linalg as R
from conformance.strategies import layouts as _layouts
from conformance.strategies import linalg as S

F = "linalg"

#: unit roundoff of each floating type (complex: of its real part)
UNIT = {"float16": 2.0 ** -11, "bfloat16": 2.0 ** -8, "float32": 2.0 ** -24, "float64": 2.0 ** -53,
        "complex64": 2.0 ** -24, "complex128": 2.0 ** -53}
_REAL = {"complex64": "float32", "complex128": "float64"}
_U64 = 2.0 ** -53

#: dtypes of matmul, the general product: bool (a recorded divergence), a wrapping and a wide integer, every
#: floating type, complex. matmul reaches the dot, mv, mm and bmm kernels by the ranks of its operands, so those
#: entries below test their own rank rules on fewer dtypes. (uint8, int16, int32 and complex128 run the same
#: integer and complex kernels.)
PRODUCT = ("bool", "int8", "int64", "float16", "bfloat16", "float32", "float64", "complex64")
#: ops that multiply without summing (outer, kron)
ELEMENTWISE = ("bool", "float32", "complex64")


# ---- tolerance of sums of products ---------------------------------------------------------------------------

def gamma(k: float, u: float) -> float:
    return k * u / (1 - k * u) if k * u < 1 else math.inf


def finite_abs(a: np.ndarray) -> np.ndarray:
    """|a| in float64, with NaN and infinite elements replaced by 0 (they are compared exactly, not bounded). The
    magnitude of a finite complex element may still overflow to inf (|max + max j| > max): it stays inf."""
    wide = a.astype(np.complex128) if a.dtype.kind == "c" else a.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        m = np.abs(wide)
    return np.where(nonfinite_mask(a) > 0, 0.0, m)


def sum_of_products_tolerance(dtype: str, scale, terms: int, factors: int, nonfinite=None,
                              amplification: float = 1.0, overflow=None, unspecified=None):
    """The per-sample tolerance (see the module docstring) of a result of floating type ``dtype``.

    ``scale`` is ``S`` (broadcastable to the result), ``terms`` and ``factors`` are ``N`` and ``m``; ``nonfinite``
    marks the result elements that a NaN or infinite factor contributes to, ``overflow`` more elements where an
    intermediate may overflow, ``unspecified`` elements not to compare at all. Returns None for exact (integer,
    bool) results."""
    if dtype not in UNIT:
        return None
    real = _REAL.get(dtype, dtype)
    u = UNIT[dtype]
    k = max(int(terms), 1) + factors
    c = 1.0
    if dtype in _REAL:
        k, c = 2 * k, math.sqrt(2.0)
    g = c * (gamma(k, u) + gamma(k, _U64))
    info = _finfo(real)
    eta, big = float(info.smallest_subnormal), float(info.max)
    scale = np.asarray(scale, dtype=np.float64)
    nonfinite = np.zeros(scale.shape, dtype=bool) if nonfinite is None else np.asarray(nonfinite, dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        atol = g * scale + k * eta * amplification
        may_overflow = ~(scale * (1.0 + g) < big)  # NaN or inf scale included
    if overflow is not None:
        may_overflow = may_overflow | overflow
    # Where an intermediate may overflow and only finite factors contribute, an infinity (of either sign) or a
    # NaN is a legitimate outcome of the summation order, and a finite result's bound (>= gamma * max) says
    # nothing: such elements are not compared. Where a NaN or infinite factor contributes, torch must still give
    # NaN or an infinity (compare's may_overflow rule). float64: the reference itself may have overflowed, so no
    # element that may overflow is compared. Complex with a non-finite factor: see "Complex infinities".
    free = may_overflow & ~nonfinite
    if real == "float64":
        free = may_overflow
    if dtype in _REAL:
        free = free | nonfinite
    if unspecified is not None:
        free = free | unspecified
    may_overflow = may_overflow | free
    atol = np.where(free, np.inf, atol)
    return {dtype: (u, atol, may_overflow)}


def _finfo(name: str):
    import ml_dtypes

    return ml_dtypes.finfo(ml_dtypes.bfloat16) if name == "bfloat16" else np.finfo(np.dtype(name))


def nonfinite_mask(a: np.ndarray) -> np.ndarray:
    """1.0 where ``a`` is NaN or infinite (in either part), else 0.0."""
    if a.dtype.kind == "c":
        return (~(np.isfinite(a.real) & np.isfinite(a.imag))).astype(np.float64)
    if a.dtype.kind == "f" or a.dtype == D.NUMPY["bfloat16"]:
        return (~np.isfinite(a.astype(np.float64))).astype(np.float64)
    return np.zeros(a.shape)


def _product_tol(combine, inner):
    """A ``tol_fn`` for a two-operand product: ``combine(|a|, |b|, *rest)`` gives ``S`` (``rest``: the sample's
    other positional arguments), ``inner(a, b, *rest)`` the contracted length N."""
    def tol_fn(sample, dtype):
        if dtype not in UNIT:
            return None
        a, b = sample.arrays[:2]
        rest = sample.args[2:]
        with np.errstate(over="ignore", invalid="ignore"):
            scale = combine(finite_abs(a), finite_abs(b), *rest)
            nonfinite = (combine(nonfinite_mask(a), np.ones(b.shape), *rest) +
                         combine(np.ones(a.shape), nonfinite_mask(b), *rest)) > 0
        return sum_of_products_tolerance(dtype, scale, inner(a, b, *rest), 2, nonfinite)
    return tol_fn


def _complex_product_tol(combine):
    """outer, kron: one product per element. Real: correctly rounded in both (the default table applies). Complex:
    a sum of two real products (ac - bd), so the sum-of-products bound, with its intermediate overflow."""
    real_or_complex = _product_tol(combine, lambda *args: 1)

    def tol_fn(sample, dtype):
        return real_or_complex(sample, dtype) if dtype in _REAL else None
    return tol_fn


def _last(a, b, *rest):
    return a.shape[-1] if a.ndim else 1


def _contracted(a, b, dims):
    if isinstance(dims, int):
        return int(np.prod(a.shape[a.ndim - dims:])) if dims > 0 else 1
    return int(np.prod([a.shape[i] for i in dims[0]]))


def _trace_tol(sample, dtype):
    if dtype not in UNIT:
        return None
    a = sample.arrays[0]
    return sum_of_products_tolerance(dtype, np.trace(finite_abs(a)), min(a.shape), 1,
                                     np.trace(nonfinite_mask(a)) > 0)


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


def tensordot_ieee(a, b, dims):
    return _ieee(torch.tensordot, a, b, dims)


def linear_ieee(x, weight, bias=None):
    """``torch.nn.functional.linear`` with TF32 off (the functional catalogue's linear)."""
    return _ieee(torch.nn.functional.linear, x, weight, bias)


# ---- divergences -----------------------------------------------------------------------------------------

def _not_1d(sample, dtype):
    return any(a.ndim != 1 for a in sample.arrays[:2])


def _bool(sample, dtype):
    return dtype == "bool"


def _bool_product_raises(sample, dtype):
    """bool operands, and torch reaches a kernel: two 1-D operands (dot), or a non-empty result with a non-empty
    contracted dim (with nothing to sum, torch returns zeros / an empty result as NumPy does)."""
    if dtype != "bool":
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
    torch_behaviour="raises NotImplementedError (\"addmm_impl_cpu_\" / \"bmm\" / \"dot\" not implemented for 'Bool')",
    numpy_behaviour="computes the product in bool arithmetic (logical OR of logical ANDs)",
    reference="https://github.com/pytorch/pytorch/issues/107041",
    kind="unspecified", applies=_bool_product_raises, raises=RuntimeError,
    example=lambda dtype: ((np.array([[True, False]]), np.array([[True], [True]])), {}),
    dtypes=("bool",),
)

DOT_1D = Divergence(
    id="dot-1d-only", op="dot",
    condition="an operand that is not 1-D",
    torch_behaviour="raises RuntimeError (1D tensors expected)",
    numpy_behaviour="np.dot multiplies 0-d operands and computes matrix products of 2-D ones",
    reference="https://pytorch.org/docs/stable/generated/torch.dot.html",
    applies=_not_1d, raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 2), dtype=dtype), np.ones((2, 2), dtype=dtype)), {}),
)

VDOT_1D = Divergence(
    id="vdot-1d-only", op="vdot",
    condition="an operand that is not 1-D",
    torch_behaviour="raises RuntimeError (1D tensors expected)",
    numpy_behaviour="np.vdot flattens its operands first",
    reference="https://pytorch.org/docs/stable/generated/torch.vdot.html",
    applies=_not_1d, raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 2), dtype=dtype), np.ones((2, 2), dtype=dtype)), {}),
)

OUTER_1D = Divergence(
    id="outer-1d-only", op="outer",
    condition="an operand that is not 1-D",
    torch_behaviour="raises RuntimeError (Expected 1-D argument)",
    numpy_behaviour="np.outer flattens its operands first",
    reference="https://pytorch.org/docs/stable/generated/torch.outer.html",
    applies=_not_1d, raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 2), dtype=dtype), np.ones(3, dtype=dtype)), {}),
)

TENSORDOT_NEGATIVE = Divergence(
    id="tensordot-negative-int-dims", op="tensordot",
    condition="dims given as a negative int",
    torch_behaviour="raises RuntimeError (tensordot expects dims >= 0)",
    numpy_behaviour="np.tensordot returns a product over no axis pairs of an undocumented shape "
                    "(the axes argument is documented for N >= 0 only)",
    reference="https://numpy.org/doc/stable/reference/generated/numpy.tensordot.html",
    kind="unspecified",
    applies=lambda sample, dtype: isinstance(sample.args[2], int) and sample.args[2] < 0,
    raises=RuntimeError,
    example=lambda dtype: ((np.ones((2, 3), dtype=dtype), np.ones((3, 4), dtype=dtype), -1), {}),
)


def _contracted_broadcast(sample, dtype):
    a, b, dims = sample.arrays[0], sample.arrays[1], sample.args[2]
    if isinstance(dims, int):
        if dims < 0 or dims > min(a.ndim, b.ndim):
            return False
        pairs = zip(range(a.ndim - dims, a.ndim), range(dims))
    else:
        pairs = zip(*dims)
    try:
        return any(a.shape[i] != b.shape[j] and 1 in (a.shape[i], b.shape[j]) for i, j in pairs)
    except IndexError:
        return False


TENSORDOT_BROADCAST = Divergence(
    id="tensordot-broadcasts-contracted-dims", op="tensordot",
    condition="a contracted dim of size 1 paired with a longer one",
    torch_behaviour="broadcasts the size-1 dim (torch.tensordot(torch.tensor([7]), torch.tensor([3, 0]), "
                    "([0], [0])) is 21)",
    numpy_behaviour="raises ValueError (shape-mismatch for sum); the array API standard requires equal "
                    "contracted sizes",
    reference="https://github.com/data-apis/array-api/issues/294",
    kind="unspecified", applies=_contracted_broadcast, torch_ref=R.tensordot_broadcast,
    example=lambda dtype: ((np.array([7], dtype=dtype), np.array([3, 0], dtype=dtype), ([0], [0])), {}),
)


def _kron_view_fails(sample, dtype):
    """torch.kron multiplies interleaved views of its operands and views the product as the result
    (``_unsafe_view``): that last view fails when the product's strides follow a transposed operand. The
    condition replays those steps on the sample's tensors (on the CPU)."""
    a, b = sample.arrays[:2]
    ta, tb = (_layouts.make(x, lay) for x, lay in zip((a, b), sample.layouts[:2]))
    nd = max(ta.dim(), tb.dim())
    sa = [1] * (nd - ta.dim()) + list(ta.shape)
    sb = [1] * (nd - tb.dim()) + list(tb.shape)
    product = ta.view([x for s in sa for x in (s, 1)]) * tb.view([x for s in sb for x in (1, s)])
    try:
        product.view([x * y for x, y in zip(sa, sb)])
    except RuntimeError:
        return True
    return False


KRON_NONCONTIGUOUS = Divergence(
    id="kron-transposed-input-raises", op="kron",
    condition="an operand whose strides are transposed (column-major), e.g. kron(ones(2), ones(2, 2).t())",
    torch_behaviour="raises RuntimeError: view size is not compatible with input tensor's size and stride",
    numpy_behaviour="computes the Kronecker product (memory layout does not matter)",
    reference="https://github.com/pytorch/pytorch/issues/54135",
    kind="bug", applies=_kron_view_fails, raises=RuntimeError,
    example=None,  # needs a transposed layout: pinned by a bespoke test in the suite's test_linalg
)


def _complex(sample, dtype):
    return dtype in D.COMPLEX


def _complex_zero_sign(op):
    return Divergence(
        id=f"{op}-complex-zero-sign", op=op,
        condition="complex operands whose partial products underflow",
        torch_behaviour="computes re = ac - bd in the operands' precision: when both partial products underflow "
                        "to -0.0 the difference is +0.0",
        numpy_behaviour="keeps the sign of the exact result (-0.0), in complex64 as in complex128",
        reference="https://en.cppreference.com/w/c/numeric/complex",
        kind="unspecified", applies=_complex, relax_signed_zero=True,
        example=lambda dtype: ((np.array([complex(1.8917529e-43, -1.4e-45)], dtype=dtype),
                                np.array([complex(-4.48e-43, 1.1e-44)], dtype=dtype)), {}),
        dtypes=("complex64",),
    )


def _not_matrix_stack(sample, dtype):
    return sample.arrays[0].ndim == 1


def _triangle_divergence(name):
    return Divergence(
        id=f"{name}-1d", op=name,
        condition="a 1-D input",
        torch_behaviour="raises RuntimeError (input tensor must have at least 2 dimensions)",
        numpy_behaviour=f"np.{name} treats a 1-D input as the rows of a square matrix (broadcasts it to 2-D)",
        reference=f"https://numpy.org/doc/stable/reference/generated/numpy.{name}.html",
        applies=_not_matrix_stack, raises=RuntimeError,
        example=lambda dtype: ((np.ones(3, dtype=dtype), 0), {}),
    )


TRACE_UINT8 = Divergence(
    id="trace-uint8-int64", op="trace",
    condition="a uint8 matrix",
    torch_behaviour="returns int64 (integer inputs are summed as int64, as torch.sum does)",
    numpy_behaviour="np.trace returns uint64 for unsigned inputs",
    reference="https://github.com/pytorch/pytorch/issues/82159",
    applies=lambda sample, dtype: dtype == "uint8" and sample.arrays[0].ndim == 2,
    expected_dtype=lambda sample, numpy_dtype: np.dtype(np.int64),
    example=lambda dtype: ((np.ones((2, 3), dtype=np.uint8),), {}),
    dtypes=("uint8",),
)

TRACE_BOOL = Divergence(
    id="trace-bool-unsupported", op="trace",
    condition="a bool matrix",
    torch_behaviour="raises RuntimeError (\"trace\" not implemented for 'Bool'), although torch.sum of bool works",
    numpy_behaviour="np.trace counts the True elements of the diagonal (int64)",
    reference="https://pytorch.org/docs/stable/generated/torch.trace.html",
    kind="unspecified", applies=_bool, raises=RuntimeError,
    example=lambda dtype: ((np.eye(2, dtype=bool),), {}),
    dtypes=("bool",),
)


#: Sums of products do not keep the sign of a zero sum: BLAS-style kernels start their accumulators at +0.0, in
#: NumPy as in torch (np.dot([-0.], [1.]) is -0.0 but np.dot([-0., -0.], [1., 1.]) is +0.0), so the sign of a zero
#: result is not part of either library's contract. The products below compare zeros without their sign.
SUM_OF_PRODUCTS = dict(signed_zero=False, grad=True)

ENTRIES = [
    OpEntry("dot", F, dot_ieee, np.dot, S.dot_case, ("int64", "float32", "complex64"),
            tol_fn=_product_tol(np.dot, _last), divergences=(DOT_1D,), **SUM_OF_PRODUCTS),
    # vdot differs from dot by the conjugation of its first operand
    OpEntry("vdot", F, vdot_ieee, np.vdot, S.dot_case, ("float32", "complex128"),
            tol_fn=_product_tol(np.vdot, _last), divergences=(VDOT_1D,), **SUM_OF_PRODUCTS),
    OpEntry("inner", F, inner_ieee, np.inner, S.inner_case, ("float32", "complex64"),
            tol_fn=_product_tol(np.inner, _last), **SUM_OF_PRODUCTS),
    # one rounding of one product per element: the correctly rounded result in both (real), so the default table
    OpEntry("outer", F, "torch.outer", np.outer, S.outer_case, ELEMENTWISE,
            tol_fn=_complex_product_tol(np.outer), divergences=(OUTER_1D, _complex_zero_sign("outer")), grad=True),
    OpEntry("mm", F, mm_ieee, R.mm, S.mm_case, ("int64", "float32"), tol_fn=_product_tol(R.mm, _last),
            **SUM_OF_PRODUCTS),
    OpEntry("bmm", F, bmm_ieee, R.bmm, S.bmm_case, ("float32", "complex64"), tol_fn=_product_tol(R.bmm, _last),
            **SUM_OF_PRODUCTS),
    OpEntry("mv", F, mv_ieee, R.mv, S.mv_case, ("float32", "complex64"), tol_fn=_product_tol(R.mv, _last),
            **SUM_OF_PRODUCTS),
    OpEntry("matmul", F, matmul_ieee, np.matmul, S.matmul_case, PRODUCT, method="matmul",
            tol_fn=_product_tol(np.matmul, _last), divergences=(BOOL_MATMUL,), **SUM_OF_PRODUCTS),
    OpEntry("tensordot", F, tensordot_ieee, np.tensordot, S.tensordot_cases, ("int64", "float32"),
            tol_fn=_product_tol(R.tensordot_broadcast, _contracted),
            divergences=(TENSORDOT_NEGATIVE, TENSORDOT_BROADCAST), **SUM_OF_PRODUCTS),
    # one rounding of one product per element (as outer)
    OpEntry("kron", F, "torch.kron", np.kron, S.kron_case, ELEMENTWISE, tol_fn=_complex_product_tol(np.kron),
            divergences=(KRON_NONCONTIGUOUS, _complex_zero_sign("kron")), grad=True),
    OpEntry("trace", F, "torch.trace", R.trace, S.trace_case, ("bool", "uint8", "float32"),
            tol_fn=_trace_tol, divergences=(TRACE_UINT8, TRACE_BOOL), **SUM_OF_PRODUCTS),
    OpEntry("tril", F, "torch.tril", np.tril, S.triangle_case, ("bool", "float32"),
            method="tril", inplace="tril_", divergences=(_triangle_divergence("tril"),), grad=True),
    OpEntry("triu", F, "torch.triu", np.triu, S.triangle_case, ("float32",),
            method="triu", inplace="triu_", divergences=(_triangle_divergence("triu"),), grad=True),
]
