"""How close is close enough: the one place that says it.

A torch result is compared with a NumPy reference computed in float64 (complex128) from the same, exactly
represented inputs and rounded once to the result dtype. Each element must satisfy

    |torch - reference| <= atol + rtol * |reference|

(real and imaginary parts separately), with the :class:`Tolerance` of that element. A tolerance is either the
**elementwise default** of the result dtype (:data:`TABLE`: ``torch.testing.assert_close``'s documented defaults,
for ops that round each result element once or a few times: arithmetic, math functions), or a **derived bound**
built here from the operation's error analysis (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
ch. 2-4) and the precision torch computes in.

The precision torch computes in
-------------------------------
torch computes float16, bfloat16 and the float8 formats in float32 ("opmath": ``at::opmath_type``, on CPU and on
CUDA) and rounds once to the result dtype; float32 and float64 compute in their own precision. :func:`accumulation`
says so, per device type; the bounds use the accumulation type's unit roundoff for everything but the final
rounding. A bound taken from the *result* dtype instead would be void for half types (``n u >= 1`` from n = 2048 in
float16, 256 in bfloat16: any value would pass). The assumption is tested on each device by
``suite/test_accuracy.py``.

Sums
----
NumPy documents pairwise summation for its sums (``np.add.reduce``: sum, mean, nansum, var), which keeps the error
of a sum of ``n`` terms near ``log2 n`` roundings instead of ``n``. The suite expects the same accuracy class of
torch's sums: a blocked pairwise sum whose leaves add at most :data:`LEAF` terms in sequence, so that a result goes
through at most ``depth(n) = min(n - 1, LEAF + ceil(log2(ceil(n / LEAF))))`` roundings of the accumulation type:

    |sum - exact| <= gamma_a(depth(n)) * S,    S = sum |x_i|,   gamma_a(k) = k u_a / (1 - k u_a)

(Higham, sec. 4.2: ``gamma(n - 1)`` for recursive summation, ``gamma(ceil(log2 n))`` for pairwise). A sum that
drops a term, that is biased by an ulp at every addition, or that accumulates a half type in its own precision
is outside it on long rows; a correct pairwise or cascade sum is well inside it (measured errors of torch's CPU
sums are below ``2 u S``). Cumulative sums are scans, which no order makes pairwise: ``gamma_a(k - 1) S_k`` for the
k-th output. Sums of products (dot, matmul, einsum, linear) are computed by BLAS-like kernels that run the
contraction in sequence within blocks of unknown size: the any-order bound ``gamma_a(N + m - 1)`` applies.

The final rounding
------------------
A result computed in the accumulation type and rounded once to the result dtype ``r``, against a reference rounded
once to ``r`` too, differs from it by at most two roundings, ``2 u_r |reference|`` (``(1 + u_r)`` factors
included), plus ``eta_r`` (the smallest subnormal) for results in the subnormal range, where rounding is absolute.

Overflow
--------
Where an intermediate of the working precision may overflow although the exact result does not (``S`` near the
largest finite value), torch may return an infinity or NaN: such elements are marked ``nonfinite`` (a non-finite
torch value is accepted there; a finite one must still be within the bound). No element is ever left unbounded for
finite inputs with a finite, representable exact result: :func:`check_bounded` is what the self-tests run.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from conformance import dtypes as D

#: (rtol, atol) per result dtype for ops that round each element a few times: ``torch.testing.assert_close``'s
#: defaults; the float8 formats (which assert_close does not cover) get one ulp, ``eps``, and their smallest
#: subnormal
TABLE = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}
TABLE["complex32"] = TABLE["float16"]  # two float16 parts
for _name in D.FLOAT8:
    TABLE[_name] = (float(D.finfo(_name).eps), float(D.finfo(_name).smallest_subnormal))

#: the most terms a leaf of the pairwise summation that torch's sums are expected to match adds in sequence
#: (NumPy's pairwise sum adds 16 per accumulator within blocks of 128; 32 leaves room for another blocking)
LEAF = 32
U64 = 2.0 ** -53


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """The allowed difference of each element: ``|a - e| <= atol + rtol * |e|``.

    ``atol`` is a number or an array broadcastable to the result (an elementwise bound); ``nonfinite`` (a bool
    array or None) marks elements where torch may give NaN or an infinity in place of the reference's value,
    finite or infinite (an intermediate of the working precision may overflow there, and an overflowed sum has
    lost the sign of the exact infinity); a finite torch value must still be within the bound; ``free`` marks
    elements where any value is documented to be acceptable (only where an input that contributes is not finite,
    or the exact result is not representable); ``why`` names the derivation, for failure messages."""
    rtol: float
    atol: object = 0.0
    nonfinite: object = None
    free: object = None
    why: str = "elementwise default"

    def atol_at(self, shape) -> np.ndarray:
        return np.broadcast_to(np.asarray(self.atol, dtype=np.float64), shape)

    def mask(self, which: str, shape) -> np.ndarray:
        m = getattr(self, which)
        return np.zeros(shape, dtype=bool) if m is None else np.broadcast_to(np.asarray(m, dtype=bool), shape)

    def accepting_nonfinite(self, mask) -> "Tolerance":
        """The same tolerance with more elements where a non-finite torch value is accepted."""
        if mask is None:
            return self
        mask = np.asarray(mask, dtype=bool)
        both = mask if self.nonfinite is None else (np.asarray(self.nonfinite, dtype=bool) | mask)
        return dataclasses.replace(self, nonfinite=both)

    def widened_by(self, other: "Tolerance") -> "Tolerance":
        """The sum of two bounds (for a result that two independent error sources reach)."""
        return Tolerance(self.rtol + other.rtol, np.asarray(self.atol) + np.asarray(other.atol),
                         _or(self.nonfinite, other.nonfinite), _or(self.free, other.free),
                         f"{self.why} + {other.why}")


def _or(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return np.asarray(a, dtype=bool) | np.asarray(b, dtype=bool)


EXACT = Tolerance(0.0, 0.0, why="exact")


def default(name: str) -> Tolerance:
    """The elementwise default of a result dtype (exact for integer and bool results)."""
    if name not in TABLE:
        return EXACT
    rtol, atol = TABLE[name]
    return Tolerance(rtol, atol, why=f"{name} default (rtol={rtol:g}, atol={atol:g})")


# ---- precision ----------------------------------------------------------------------------------------------

def accumulation(name: str, device_type: str = "cpu") -> str:
    """The floating dtype torch computes ``name`` in on ``device_type`` (its real part for complex types):
    float32 for the half and float8 types (opmath), the type itself otherwise. CPU and CUDA agree; other devices
    are assumed to do the same, and ``suite/test_accuracy.py`` checks it on each device under test."""
    real = D.real_of(name)
    if real in ("float32", "float64"):
        return real
    return "float32"


def unit(name: str) -> float:
    """Unit roundoff of a floating (or complex: of its parts) dtype."""
    return D.unit_roundoff(D.real_of(name))


def eta(name: str) -> float:
    """The smallest subnormal: the absolute error of a rounding into the subnormal range."""
    return float(D.finfo(D.real_of(name)).smallest_subnormal)


def biggest(name: str) -> float:
    return float(D.finfo(D.real_of(name)).max)


def tiny(name: str) -> float:
    return float(D.finfo(D.real_of(name)).tiny)


def gamma(k, u):
    """``k u / (1 - k u)`` (Higham's gamma), elementwise; finite for every ``k`` the suite meets in the
    accumulation types (``k u < 1`` up to 2**23 terms in float32)."""
    ku = np.asarray(k, dtype=np.float64) * u
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ku < 1, ku / np.where(ku < 1, 1 - ku, 1), np.inf)


def depth(n):
    """Roundings on the longest path of a pairwise sum of ``n`` terms with leaves of :data:`LEAF` terms."""
    n = np.maximum(np.asarray(n, dtype=np.float64), 1.0)
    leaves = np.ceil(n / LEAF)
    return np.minimum(n - 1, np.minimum(n, LEAF) - 1 + np.ceil(np.log2(np.maximum(leaves, 1.0))))


def rounded_twice(result: str) -> float:
    """rtol of a result rounded once to ``result`` against a reference rounded once to it: two roundings."""
    u = unit(result)
    return 2 * u * (1 + u) ** 2


# ---- derived bounds ------------------------------------------------------------------------------------------

def _nonfinite_where(bound_scale, result: str, acc: str, extra=None):
    """Elements where a value of the working precision may overflow: the scale of the computation, or the
    result with its bound, reaching the largest finite value of the accumulation or of the result type."""
    with np.errstate(invalid="ignore", over="ignore"):
        scale = np.asarray(bound_scale, dtype=np.float64)
        over = ~(scale < biggest(acc)) | ~(scale < biggest(result))
    return over if extra is None else over | extra


def summation(result: str, magnitude, count, *, device: str = "cpu", pairwise: bool = True, extra_roundings=0,
              divide=1.0, why: str = "sum") -> Tolerance:
    """A sum (``divide``: a mean) of ``count`` terms whose magnitudes sum to ``magnitude`` (both broadcastable to
    the result), computed in torch's accumulation type and rounded to ``result``.

    ``pairwise``: the pairwise accuracy class of the module docstring (sums); otherwise any order (scans, sums of
    products). ``extra_roundings``: roundings before the sum (the products of a dot product, a scaling)."""
    acc = accumulation(result, device)
    ua = unit(acc)
    n = np.asarray(count, dtype=np.float64)
    # a complex addition rounds each part on its own: the bound of each part is that of a real sum
    k = (depth(n) if pairwise else np.maximum(n - 1, 0)) + extra_roundings
    s = np.asarray(magnitude, dtype=np.float64) / divide
    g = gamma(k + (1 if divide != 1.0 else 0), ua)
    ur = unit(result)
    with np.errstate(invalid="ignore", over="ignore"):
        atol = (1 + ur) * (g + gamma(np.maximum(n, 1), U64)) * s + 2 * eta(result)
    return Tolerance(rounded_twice(result), atol, _nonfinite_where(np.asarray(magnitude) * (1 + g), result, acc),
                     why=f"{why}: pairwise" if pairwise else f"{why}: any order")


def cumulative_sum(result: str, running_magnitude, position, *, device: str = "cpu") -> Tolerance:
    """A scan: the k-th output sums k terms in sequence (``position`` = k, ``running_magnitude`` = S_k)."""
    return summation(result, running_magnitude, position, device=device, pairwise=False, why="cumulative sum")


def sum_of_products(result: str, magnitude, terms, factors: int = 2, *, device: str = "cpu",
                    amplification=1.0) -> Tolerance:
    """Each result element a sum of ``terms`` products of ``factors`` factors, ``magnitude`` = sum of the
    products of the factors' magnitudes; any order and blocking (BLAS), in the accumulation type. An underflowed
    intermediate multiplied again (einsum with three or more operands) is amplified by at most ``amplification``
    (the product of the operands' largest magnitudes among the values that reach the element, elementwise);
    where that exceeds :func:`whole_error`, the latter bounds the element."""
    tol = _products_summed(result, magnitude, terms, factors, device, amplification)
    with np.errstate(invalid="ignore", over="ignore"):
        atol = np.minimum(tol.atol, whole_error(result, magnitude, terms, factors, device=device))
    return dataclasses.replace(tol, atol=atol)


def _products_summed(result, magnitude, terms, factors, device, amplification) -> Tolerance:
    """:func:`sum_of_products` without the :func:`whole_error` cap: affine in ``magnitude``."""
    # a complex product of two factors is good to sqrt(2) gamma(2) (Higham, sec. 3.6): two more roundings, and
    # the sqrt(2) folded into the magnitude
    cplx = D.is_complex(result)
    tol = summation(result, np.asarray(magnitude) * (math.sqrt(2.0) if cplx else 1.0),
                    np.maximum(np.asarray(terms), 1), device=device, pairwise=False,
                    extra_roundings=(factors - 1) * (2 if cplx else 1), why="sum of products")
    # each product that underflows is off by up to half the accumulation type's smallest subnormal, times what
    # multiplying it further can make of it (``amplification``)
    with np.errstate(invalid="ignore", over="ignore"):
        extra = np.maximum(np.asarray(terms), 1) * factors * eta(accumulation(result, device)) * np.asarray(
            amplification, dtype=np.float64)
    return dataclasses.replace(tol, atol=np.asarray(tol.atol) + extra)


def whole_error(result: str, magnitude, terms, factors: int = 2, *, device: str = "cpu"):
    """A bound of a sum of products (:func:`sum_of_products`'s arguments) relative to ``S`` = ``magnitude`` alone,
    underflow included: finite wherever ``S`` is, however large the factors an underflowed product meets.

    Derivation. A rounding to nearest is never farther from ``z`` than 0 is: ``fl(z) = z (1 + e)`` with
    ``|e| <= 1`` for a product that underflows (``|e| <= u_a`` otherwise; an addition that underflows is exact).
    So a computed real product ``v^ = fl(v1^ v2^)`` of two nodes of the evaluation, each with
    ``|vi^ - vi| <= (Gi - 1) Ai`` and ``|vi^| <= Gi Ai`` (``Ai`` their sums of magnitudes), is within
    ``c G1 G2 A1 A2 + (G1 - 1) G2 A1 A2 + (G2 - 1) A1 A2 = ((1 + c) G1 G2 - 1) A1 A2`` of ``v1 v2``, ``c = 1``;
    a complex one's parts ``fl(fl(ac) - fl(bd))`` are within ``(1 + 2 u_a) (|ac| + |bd|) <= (1 + 2 u_a) |x| |y|``
    of the exact parts: ``c = sqrt(2) (1 + 2 u_a)`` normwise. A sum grows ``G`` by ``(1 + u_a)`` at most. Every
    term passes ``factors - 1`` multiplications and at most ``terms - 1`` additions, whatever the order and the
    factoring, so the computed element is within ``((1 + c)**(factors - 1) (1 + gamma_a(terms - 1)) - 1) S``
    (per part for complex results), plus the float64 reference's own ``gamma_64(terms) S``, the final rounding
    to ``result`` and its ``2 eta``."""
    acc = accumulation(result, device)
    ua = unit(acc)
    n = np.maximum(np.asarray(terms, dtype=np.float64), 1)
    c = math.sqrt(2.0) * (1 + 2 * ua) if D.is_complex(result) else 1.0
    rel = (1 + unit(result)) * ((1 + c) ** (factors - 1) * (1 + gamma(n - 1, ua)) - 1 + gamma(n, U64))
    s = np.asarray(magnitude)
    with np.errstate(invalid="ignore", over="ignore"):
        return rel.astype(s.dtype if s.dtype.kind == "f" else np.float64) * s + 2 * eta(result)


def product(result: str, log2_big, log2_small, count, has_zero, *, device: str = "cpu",
            why: str = "product") -> Tolerance:
    """A product of ``count`` factors: relative error ``gamma_a(count - 1)`` while no partial product leaves
    the normal range of the accumulation type. ``log2_big`` / ``log2_small`` are the sums of the positive /
    negative log2 magnitudes of the factors (bounds of every partial product, in any order); a partial product
    that may underflow adds an absolute error of at most ``count * eta_a * 2**log2_big`` (each underflowing
    rounding, times the largest the remaining factors can make it); one that may overflow marks the element
    ``nonfinite``."""
    acc = accumulation(result, device)
    ua = unit(acc)
    n = np.maximum(np.asarray(count, dtype=np.float64), 1)
    # a complex multiplication is good to sqrt(2) gamma(2) < 3u relative (Higham, sec. 3.6): three roundings each
    g = gamma((n - 1) * (3 if D.is_complex(result) else 1), ua)
    hi, lo = np.asarray(log2_big, dtype=np.float64), np.asarray(log2_small, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        mag = np.where(has_zero, 0.0, np.exp2(np.minimum(hi + lo, 4000.0)))
        may_under = lo < math.log2(tiny(acc)) + 1
        under = np.where(may_under, n * eta(acc) * np.exp2(np.minimum(hi, 4000.0)), 0.0)
        atol = (1 + unit(result)) * (g + gamma(n, U64)) * mag + under + 2 * eta(result)
        over = hi + 1 > math.log2(biggest(acc))
    return Tolerance(rounded_twice(result), atol, _nonfinite_where(mag * (1 + g), result, acc, over), why=why)


def two_roundings(result: str, magnitude, *, device: str = "cpu", why: str = "two roundings") -> Tolerance:
    """An op that rounds an intermediate to ``result`` before its last operation (``x + alpha * y`` rounds
    ``alpha * y`` first, as torch documents for half types): one more rounding of ``result``'s unit roundoff,
    relative to ``magnitude`` (the intermediate's)."""
    ur = unit(result)
    with np.errstate(invalid="ignore", over="ignore"):
        atol = ur * (1 + ur) * np.asarray(magnitude, dtype=np.float64) + 2 * eta(result)
    return Tolerance(rounded_twice(result), atol, why=why)


def relative(result: str, roundings, *, device: str = "cpu", extra_atol=0.0, why: str) -> Tolerance:
    """An error of ``roundings`` roundings of the accumulation type relative to the result, plus the final
    rounding to ``result`` (a softmax element, a normalised vector)."""
    ua = unit(accumulation(result, device))
    g = float(gamma(roundings, ua))
    return Tolerance(rounded_twice(result) + (1 + unit(result)) * g, np.asarray(extra_atol) + 2 * eta(result),
                     why=why)


def absolute(result: str, bound, *, device: str = "cpu", why: str) -> Tolerance:
    """An absolute bound (a logsumexp: the error of a log), plus the final rounding to ``result``."""
    return Tolerance(rounded_twice(result), np.asarray(bound, dtype=np.float64) + 2 * eta(result), why=why)


# ---- the tolerance of one result -----------------------------------------------------------------------------

def for_result(spec, name: str, shape) -> Tolerance:
    """The tolerance of a result leaf of dtype ``name`` from an op's spec: None (the default), a
    :class:`Tolerance`, or a mapping of dtype name to Tolerance (results of several dtypes)."""
    if spec is None:
        return default(name)
    if isinstance(spec, Tolerance):
        return spec if D.is_inexact(name) else EXACT
    if isinstance(spec, dict):
        found = spec.get(name)
        return found if found is not None else default(name)
    raise TypeError(f"a tolerance is a Tolerance, a dict of them by dtype, or None, not {type(spec).__name__}")


def unbounded(tol: Tolerance, shape) -> np.ndarray:
    """Elements the tolerance leaves without a finite bound (an infinite or NaN atol, or marked ``free``)."""
    atol = tol.atol_at(shape)
    return ~np.isfinite(atol) | tol.mask("free", shape) | (not math.isfinite(tol.rtol))


def check_bounded(tol: Tolerance, shape, finite_inputs: bool, representable) -> np.ndarray:
    """The elements that break the rule "no element is unbounded for finite inputs with a finite, representable
    exact result": empty unless the inputs are finite, else the unbounded elements among ``representable``."""
    if not finite_inputs:
        return np.zeros(shape, dtype=bool)
    return unbounded(tol, shape) & np.broadcast_to(np.asarray(representable, dtype=bool), shape)


# ---- gradients -----------------------------------------------------------------------------------------------

#: the most operations a backward formula applies to one element on its way, each rounded to the dtype under test
#: (a derivative like gelu's or a complex division's, a broadcast sum, a conjugation): what its roundings add
BACKWARD_DEPTH = 16


def gradient_rtol(dtype: str, terms, device: str = "cpu") -> float:
    """Relative error of a vector-Jacobian product torch computes in ``dtype``: up to :data:`BACKWARD_DEPTH`
    roundings of ``dtype`` per element, plus a sum of up to ``terms`` contributions (a broadcast input's gradient,
    a matmul's, a reduction's: at most the number of output elements) in the accumulation type, in any order —
    relative to the sums of magnitudes of the inner products the gradient check compares (Higham, sec. 3.1)."""
    ud, ua = unit(dtype), unit(accumulation(dtype, device))
    return float(gamma(BACKWARD_DEPTH, ud) + gamma(max(int(terms), 1), ua))


def gradient_rounding(dtype: str) -> float:
    """One rounding to an input's or output's own dtype (a float16 exponent's gradient is rounded to float16)."""
    return unit(dtype) if D.is_inexact(dtype) else 0.0


# ---- appended builders (reductions family) -------------------------------------------------------------------

def variance(result: str, sum_squares, count, correction, *, device: str = "cpu", exact=None,
             extra_roundings: int = 0, complex_input: bool = False, scale=1.0) -> Tolerance:
    """A variance (``exact`` given: a standard deviation) of ``count`` terms with ``correction``, computed in
    torch's accumulation type and rounded to ``result``; ``sum_squares`` = ``Q = sum |x_i|^2`` (broadcastable to
    the result), ``exact`` the exact variance (for the square root), both in units of ``scale ** 2`` (``scale``: a
    power of two per result element, for a ``Q`` beyond float64's range; see below).

    Derivation (Higham, sec. 1.9 and problem 1.10; Chan, Golub and LeVeque 1983). Whatever the algorithm torch
    uses, n = ``count``, c = ``correction``, u = the accumulation type's unit roundoff:

    * textbook, ``(sum x^2 - (sum x)^2 / n) / (n - c)``: the sum of squares is good to ``gamma(n + 1) Q``; the sum
      ``s`` to ``gamma(n) S`` with ``S = sum |x_i|``, so ``s^2 / n`` to ``gamma(n) (2 + gamma(n)) S^2 / n``, and
      ``S^2 / n <= Q`` (Cauchy-Schwarz); the subtraction, the division by ``n`` and by ``n - c`` add three
      roundings: ``gamma(3n + 5) Q / |n - c|`` in all;
    * two-pass: the mean's error ``delta`` adds exactly ``n delta^2 <= gamma(n)^2 Q`` to the sum of squared
      deviations (the cross term vanishes), whose own evaluation (a subtraction, a square, the sum, the division)
      is good to ``gamma(n + 3) Q``: within the same bound;
    * Welford's updating: ``O(n u kappa) sum (x_i - m)^2 <= O(n u) Q`` (Chan, Golub and LeVeque), within it too.

    A complex variance (the variances of the two parts added; ``complex_input``: of a complex input, whose
    ``result`` is real) gets one more rounding. Underflow (Higham, sec. 2.1: ``fl(x op y) = (x op y)(1 + d) + h``,
    ``|h| <= eta / 2``, ``h = 0`` for additions and subtractions): each of the ``k`` roundings that is a product or
    a quotient adds at most ``eta_a / 2`` before the division by ``|n - c|``, and that division ``eta_a / 2``
    after it, so ``eta_a (k / |n - c| + 1) / 2`` more (and the float64 reference's own with ``eta_64``): complex64
    std of ``[-5.7e-39+1.8e-39j, -1.2e-41+1.7e-29j]`` is 0 in torch, exactly 1.18e-29, its squares below
    float32's range; a mean's underflowed error ``delta <= eta_a / 2`` adds ``n delta^2``, far below. The
    standard deviation
    ``sqrt(v)`` of a variance ``v`` known to ``d`` differs from the exact ``sqrt(e)`` by at most
    ``min(sqrt(d), d / sqrt(e))``, plus the rounding of the square root (relative). The float64 reference's own
    error is ``gamma_64(3n + 5) Q / |n - c|``; the final rounding to ``result`` is the rtol of two roundings.
    Elements where the squared deviations, up to ``4 max|x|^2`` each, may overflow are ``nonfinite``; without
    degrees of freedom (``n == c``) the result is a 0/0 or x/0 whose value the comparison checks exactly, except
    where the squares may overflow (an overflowed deviation of equal values makes 0/0 an inf/0).

    The squares of float64 values reach ``2**2048``: ``Q``, and the variance, may exceed float64's range where
    the standard deviation, and a variance's bound ``gamma Q / |n - c|`` itself, do not. Given in units of
    ``s**2`` (``Q = s**2 Q'``, ``e = s**2 e'``), the bound is ``d = s**2 d'`` with ``d'`` the bound of ``Q'``, so
    ``sqrt(d) = s sqrt(d')`` and ``d / sqrt(e) = s d' / sqrt(e')``, evaluated without leaving float64's range
    where the result bound is in it. (The underflow terms enter ``d'`` divided by ``s**2``; for ``s > 1``, where
    ``Q`` overflows, they are far below half an ulp of ``d' >= gamma Q' / |n - c|`` and vanish in its rounding.)"""
    acc = accumulation(result, device)
    ua = unit(acc)
    n = float(count)
    dof = abs(n - float(correction))
    s = np.asarray(scale, dtype=np.float64)
    if dof == 0:
        # 0/0 (equal values) or x/0; where the squares may overflow the accumulation type, an overflowed
        # deviation of equal values gives inf/0 instead of 0/0: either non-finite value stands
        with np.errstate(invalid="ignore", over="ignore"):
            q = np.asarray(sum_squares, dtype=np.float64) * s * s
            over = ~(q < biggest(acc))
        return Tolerance(rounded_twice(result), 2 * eta(result), free=over if np.any(over) else None,
                         why="variance without degrees of freedom")
    k = 3 * n + 5 + extra_roundings + (1 if D.is_complex(result) or complex_input else 0)
    q = np.asarray(sum_squares, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        d = (gamma(k, ua) + gamma(k, U64)) * q / dof + (eta(acc) + eta("float64")) * (k / dof + 1) / 2 / (s * s)
        nonfinite = _nonfinite_where(4 * q * (1 + gamma(k, ua)) * s * s, result, acc)
        rtol = rounded_twice(result)
        why = "variance"
        if exact is not None:
            e = np.asarray(exact, dtype=np.float64)
            d = s * np.where(e > 0, np.minimum(np.sqrt(d), d / np.sqrt(np.where(e > 0, e, 1.0))), np.sqrt(d))
            rtol += (1 + unit(result)) * ua
            why = "standard deviation"
        else:
            d = d * s * s
    return Tolerance(rtol, d + 2 * eta(result), nonfinite, why=why)


def log_sum_exp(result: str, count, *, device: str = "cpu", extra_atol=0.0) -> Tolerance:
    """``m + log(sum_i exp(x_i - m))`` over ``count`` terms, ``m = max x_i``, evaluated as a composite of ops
    each rounded to ``result`` (the subtraction, the exponential, the sum, the logarithm: torch composes
    logsumexp so, for half types too), the sum accumulated in torch's accumulation type.

    Derivation. Let ``y_i = x_i - m <= 0``, ``s = sum exp(y_i) >= 1`` (the maximum contributes ``exp(0)``), u = the
    unit roundoff of ``result`` and u_a that of the accumulation type. The rounded difference is ``y_i (1 + d)``
    with ``|d| <= u``, so ``exp`` sees an argument error of ``u |y_i|``: a relative error ``u |y_i|`` of its term.
    Summed with weights ``w_i = exp(y_i) / s``, these give ``u sum w_i |y_i| = u (H(w) - ln s) <= u ln n`` (``H``
    the entropy, at most ``ln n``). The exponential itself is good to 2u (one ulp of the function and its
    rounding), the sum of positive terms to ``gamma_a(depth(n))`` (pairwise class), its rounding to ``result`` to
    u: ``s`` is computed to a relative ``e_s <= u (ln n + 3) + gamma_a(depth(n))``, which the logarithm turns into
    an absolute ``e_s / (1 - e_s)``; the logarithm (one ulp and its rounding) adds ``2 u |ln s| <= 2 u ln n``. The
    final addition of ``m`` is the final rounding (the rtol of two roundings). ``extra_atol``: an error of the
    inputs before the op (integers converted to float32). No term grows faster than ``ln n``: the bound stays
    finite and sharp for every length."""
    acc = accumulation(result, device)
    u, ua = unit(result), unit(acc)
    n = max(float(count), 1.0)
    ln_n = math.log(n)
    e_s = u * (ln_n + 3) + float(gamma(depth(n), ua))
    bound = e_s / (1 - e_s) + 2 * u * ln_n + float(gamma(3 * n + 4, U64))
    return absolute(result, np.asarray(extra_atol, dtype=np.float64) + bound, device=device,
                    why=f"logsumexp of {int(n)} terms")


# ---- appended builders ---------------------------------------------------------------------------------------

def sum_of_products_wide(result: str, magnitude, terms, factors: int = 2, *, device: str = "cpu",
                         amplification=1.0) -> Tolerance:
    """:func:`sum_of_products` for a ``magnitude`` that may exceed float64's range, given in a wider type
    (``np.longdouble``): the products of float64 operands reach ``2**2048``, and their sum of magnitudes ``S``
    with them, while ``gamma * S`` (the bound) is often still representable.

    The bound of :func:`sum_of_products` before its cap is affine in ``S``: ``atol = c * S + a0`` (``c`` from the
    roundings, ``a0`` the subnormal terms), so ``c`` and ``a0`` are read from it at ``S = 1`` and ``S = 0`` and
    the bound is evaluated in ``magnitude``'s type, then rounded up to float64 (an infinite atol only where
    ``c * S`` itself leaves float64's range); so is the underflow term of ``amplification`` (the product of the
    other operands' largest magnitudes, which may exceed float64's range too), and so is the :func:`whole_error`
    cap (affine in ``S`` as well). The ``nonfinite`` mask and ``rtol`` are
    :func:`sum_of_products`'s for the wide magnitude (an ``S`` beyond float64's range marks the element: a
    working-precision product overflows)."""
    wide = np.asarray(magnitude)
    amp = np.asarray(amplification)
    with np.errstate(invalid="ignore", over="ignore"):
        tol = sum_of_products(result, wide, terms, factors, device=device)
    one = _products_summed(result, np.ones(np.shape(wide)), terms, factors, device, 1.0)
    zero = _products_summed(result, np.zeros(np.shape(wide)), terms, factors, device, 1.0)
    a0 = np.asarray(zero.atol, dtype=np.float64)
    c = np.asarray(one.atol, dtype=np.float64) - a0
    with np.errstate(invalid="ignore", over="ignore"):
        atol = c.astype(wide.dtype) * wide + a0
        if not np.all(amp == 1.0):  # sum_of_products' underflow term, in the wide type (amplification may be too)
            atol = atol + np.maximum(np.asarray(terms), 1) * factors * eta(accumulation(result, device)) * amp
        atol = np.minimum(atol, whole_error(result, wide, terms, factors, device=device))
        atol = np.asarray(atol).astype(np.float64)
    return dataclasses.replace(tol, atol=atol, why=tol.why + " (magnitude in a wide type)")


# ---- appended builders ---------------------------------------------------------------------------------------

def sequential_sum(result: str, magnitude, count, *, precision: str | None = None, device: str = "cpu",
                   extra_roundings=0, why: str = "sequential sum") -> Tolerance:
    """A sum of ``count`` terms (``magnitude`` = the sum of their magnitudes, both broadcastable to the result)
    added one at a time, in any order, with every partial sum rounded to ``precision`` — by default the result
    dtype itself: kernels that add into the tensor's elements one term at a time (``index_add``, ``index_put``
    with ``accumulate``; NumPy's ``np.add.at`` does the same on a float16 array) — against the exact sum rounded
    once to ``result``.

    Derivation (Higham, sec. 4.2, without the first-order truncation): with ``s_k`` the exact k-th partial sum,
    ``S`` the sum of all magnitudes and ``u`` the unit roundoff of ``precision``, each step rounds once,
    ``s^_k = (s^_{k-1} + t_k)(1 + d_k)``, ``|d_k| <= u`` (an addition that underflows is exact), so
    ``e_k = |s^_k - s_k| <= e_{k-1} + u (|s_k| + e_{k-1}) <= (1 + u) e_{k-1} + u S`` with ``e_1 = 0``, hence

        ``e_m <= ((1 + u)^(m - 1) - 1) S``,

    which is ``gamma(m - 1) S`` to first order and stays finite for every ``m`` (``gamma`` does not once
    ``(m - 1) u >= 1``: 17 terms in the float8 e5m2 format). ``extra_roundings`` roundings of each term before
    it is added (``alpha * source``) count as that many more steps (the exponent grows by that many: one rounding
    of every term is at most ``u S``, plus ``eta / 2`` of ``precision`` per term where the rounded term is
    subnormal: ``extra n eta / 2``). A sum computed in float32 instead and rounded once is inside the same
    bound. Against the reference (the float64 sum, good to ``gamma_64(m) S``, rounded once to ``result``): the
    relative ``rounded_twice(result)``, and ``2 eta`` for roundings into the subnormal range."""
    p = precision or D.real_of(result)
    u = unit(p)
    n = np.maximum(np.asarray(count, dtype=np.float64), 1.0)
    steps = n - 1 + extra_roundings
    s = np.asarray(magnitude, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        growth = np.expm1(steps * np.log1p(u))  # (1 + u)^steps - 1, exactly enough
        # a term's own rounding is relative, or up to eta / 2 of ``precision`` absolutely where it is subnormal
        # (alpha * source in float16: 3.25 * -6e-8 rounds to -1.8e-7, a quarter eta off, for each of the terms)
        atol = (growth + gamma(n, U64)) * s + 2 * eta(result) + extra_roundings * n * eta(p) / 2
    return Tolerance(rounded_twice(result), atol, _nonfinite_where(s * (1 + growth), result, p),
                     why=f"{why}: partial sums rounded to {p}, any order")


# ---- appended builders (functional family) -------------------------------------------------------------------

def softmax(result: str, value, shift, weighted_shift, count, *, log: bool = False,
            device: str = "cpu") -> Tolerance:
    """A softmax element ``s_i = exp(y_i) / sum_j exp(y_j)``, ``y_i = x_i - max x`` (``log``: a log_softmax
    element ``y_i - log sum_j exp(y_j)``), computed in torch's accumulation type and rounded to ``result``.
    ``value``: the reference's ``s_i`` (or ``log s_i``); ``shift``: ``|y_i|`` (0 where it is not finite);
    ``weighted_shift``: ``w = sum_j exp(y_j) |y_j| / sum_j exp(y_j)`` of the element's slice; ``count``: the
    slice's length ``n``. All broadcastable to the result.

    Derivation (u: the accumulation type's unit roundoff, eta its smallest subnormal). The rounded difference
    ``fl(x_i - m) = y_i (1 + d)``, ``|d| <= u``, is an argument error ``u |y_i|`` of the exponential, which turns it
    into a relative error ``u |y_i|``; the exponential itself is good to 2u (one ulp and its rounding), and an
    exponential that underflows to the subnormal range adds ``eta`` absolutely. The sum ``S`` of ``n`` positive
    terms in any order is good to ``gamma(n - 1)`` relative; its terms' own errors weigh ``u (w + 2)`` relative to
    ``S`` (``w`` is their weighted average, at most ``ln n + 1``: the entropy bound of :func:`log_sum_exp`) and
    their underflows ``n eta`` absolutely, relative to ``S >= 1`` (the maximum contributes ``exp(0) = 1``). So
    ``S`` is good to ``e_S = gamma(n - 1) + u (w + 2) + n eta``. Then:

    * softmax, ``s_i = e_i / S`` (or ``e_i * (1 / S)``: two roundings): relative
      ``gamma(|y_i| + w + n + 5)`` (each ``k u`` term of first order folded into one gamma), plus ``(n + 2) eta``;
    * log_softmax, ``fl(y_i) - fl(log S)``: absolute ``u |y_i|`` (the rounded difference), ``e_S / (1 - e_S)``
      (the logarithm of ``S(1 + e_S)``), ``2 u ln S <= 2 u ln n`` (the logarithm's own error), plus the final
      subtraction, which is the final rounding (``rtol``).

    A softmax element whose ``|y_i|`` exceeds ``1 / (4 u)`` has an exponential of 0 in any precision (softmax 0):
    its shift is capped there. The float64 reference's own error is the same bound with ``u = 2**-53``. Plus the
    final rounding to ``result`` (the rtol of two roundings) and ``2 eta_r``."""
    acc = accumulation(result, device)
    ua, ea = unit(acc), eta(acc)
    n = np.maximum(np.asarray(count, dtype=np.float64), 1.0)
    y = np.asarray(shift, dtype=np.float64)
    w = np.asarray(weighted_shift, dtype=np.float64)
    v = np.abs(np.asarray(value, dtype=np.float64))
    with np.errstate(invalid="ignore", over="ignore"):
        if log:
            e_s = gamma(n - 1, ua) + ua * (w + 2) + n * ea
            bound = ua * y + e_s / (1 - e_s) + 2 * ua * np.log(n) + gamma(n + 4, U64) * (1 + y)
            return absolute(result, np.where(np.isfinite(bound), bound, 0.0), device=device,
                            why=f"log_softmax over {int(np.max(n))} terms")
        y = np.minimum(y, 0.25 / ua)
        rel = gamma(y + w + n + 5, ua) + gamma(y + w + n + 5, U64)
        bound = np.where(v > 0, rel * v, 0.0) + (n + 2) * ea
    return absolute(result, bound, device=device, why=f"softmax over {int(np.max(n))} terms")


# ---- appended builders (fft family) --------------------------------------------------------------------------

def fft_stages(n: int) -> int:
    """The radix-2 stages whose error a fast transform of length ``n`` is bounded by (see :func:`fft`): ``log2 n``
    for a power of two, ``3 ceil(log2 4n) + 2`` for any other length (a length-1 transform is exact)."""
    n = int(n)
    if n <= 1:
        return 0
    if n & (n - 1) == 0:
        return n.bit_length() - 1
    return 3 * math.ceil(math.log2(4 * n)) + 2


def fft(result: str, input_norm, lengths, *, exponent=0, real: bool = False, hermitian: bool = False,
        scale=1.0, input_rounding: bool = False, device: str = "cpu") -> Tolerance:
    """A discrete Fourier transform over dims whose (full, unhalved) lengths are ``lengths`` (an n-dim transform:
    one 1-dim transform per dim), computed by a fast algorithm in torch's accumulation type and rounded to
    ``result``. ``input_norm * 2**exponent``: the 2-norm of each element's input slice over the transformed dims
    (broadcastable to the result; the exponent keeps float64's range for inputs near its largest value);
    ``real``: a real-to-complex or complex-to-real transform; ``hermitian``: the input is a half spectrum
    (complex-to-real); ``scale``: the ``norm`` factor applied (1, ``1/sqrt N`` or ``1/N``, ``N`` the product of
    ``lengths``); ``input_rounding``: the input was converted to the accumulation type first (integers: torch
    computes their transforms in float32).

    Derivation (Higham, *Accuracy and Stability*, sec. 24.1, Theorem 24.2). A radix-2 Cooley-Tukey FFT of length
    ``n = 2**t`` with computed weights ``|w^ - w| <= mu`` gives ``y^ = fl(F x)`` with

        ``||y^ - y||_2 <= t eta / (1 - t eta) ||y||_2,   eta = mu + gamma_4 (sqrt 2 + mu)``,

    ``u`` the unit roundoff of the accumulation type; the weights are taken good to one ulp, ``mu = 2u``. The
    bound is on the 2-norm of the error, so it bounds every element (``|y^_k - y_k| <= ||y^ - y||_2``): the
    per-element absolute bound used here. Other lengths: a mixed-radix pass of a prime radix ``p`` computes
    ``p``-point DFTs, each output a sum of ``p`` twiddled terms, good to ``mu + gamma_{p+2} (sqrt p + mu)`` relative
    in the 2-norm (the radix-2 ``eta`` for ``p = 2``), which is at most ``3 log2 p`` radix-2 stages for every
    ``p <= 19``; a length with a larger prime factor goes through Bluestein's algorithm (a chirp product, a
    convolution of length ``m < 4n`` by two transforms and a precomputed one, a chirp product) or Rader's (a
    cyclic convolution of length ``n - 1`` the same way). Every such length is therefore bounded by
    ``3 ceil(log2 4n) + 2`` radix-2 stages (:func:`fft_stages`), and an n-dim transform (one pass of 1-dim
    transforms per dim) by the sum of its dims' stages; a real transform adds one pass (the split of a
    half-length complex transform into the real spectrum, or its inverse).

    The norm the stages act on is that of each pass's input, which the (unnormalized) DFT multiplies by
    ``sqrt n`` per dim: ``||y||_2 = sqrt N ||x_used||_2 <= sqrt N ||x||_2`` (truncation drops elements, padding
    adds zeros). A half spectrum's Hermitian extension counts each element at most twice: ``sqrt 2`` more for a
    complex-to-real transform. (The bound is taken from the input, not from the result: a complex-to-real pass
    discards the imaginary parts of its DC and Nyquist inputs, whose rounding errors the passes before it have
    spread over the parts that are kept.) So every element is within ``rel * scale * sqrt N * g * ||x||_2``
    (``g = sqrt 2`` for a Hermitian input, else 1), with ``rel`` the sum of

    * ``t eta / (1 - t eta)`` for the ``t`` stages in the accumulation type, and the same with ``u = 2**-53`` for
      the float64 reference;
    * ``2u`` for the ``norm`` scaling (a rounded factor, a rounded product);
    * ``sqrt 2 u`` for an integer input rounded to the accumulation type (a relative perturbation ``u`` of the
      signal, carried by the transform like the signal itself);

    plus ``4 t N eta_a`` for products that underflow (each off by at most the accumulation type's smallest
    subnormal per part, through stages of gain at most ``sqrt 2``), and the final rounding to ``result`` (the
    rtol of two roundings). Elements whose working-precision intermediates may overflow (``4 N`` times the
    unscaled result's norm bound, which bounds every partial transform and every Bluestein intermediate, reaching
    the largest finite value of the accumulation or of the result type) are ``nonfinite``; the bound itself stays
    finite."""
    acc = accumulation(result, device)
    ua = unit(acc)
    stages = sum(fft_stages(n) for n in lengths) + (1 if real else 0)
    count = float(np.prod([max(int(n), 1) for n in lengths])) if len(lengths) else 1.0

    def relative_error(u):
        e = stages * (2 * u + 4 * u / (1 - 4 * u) * (math.sqrt(2.0) + 2 * u))  # t eta, eta = mu + gamma_4 (...)
        return e / (1 - e)

    rel = relative_error(ua) + relative_error(U64) + 2 * ua + (math.sqrt(2.0) * ua if input_rounding else 0.0)
    gain = math.sqrt(count) * (math.sqrt(2.0) if hermitian else 1.0)
    norm = np.asarray(input_norm, dtype=np.float64)
    k = np.asarray(exponent)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        atol = np.ldexp(rel * float(scale) * gain * norm, k) + 4 * max(stages, 1) * count * eta(acc)
        reach = np.log2(np.maximum(norm * 4 * count * gain, tiny("float64"))) + k
        nonfinite = reach >= min(math.log2(biggest(acc)), math.log2(biggest(result)))
    return absolute(result, atol, device=device,
                    why=f"fft over lengths {tuple(int(n) for n in lengths)}: {stages} radix-2 stages") \
        .accepting_nonfinite(nonfinite)


# ---- appended builders (decompositions family) ---------------------------------------------------------------

#: the constant ``c`` of Higham's ``gamma~_k = c k u / (1 - c k u)`` for the normwise backward error of the LAPACK
#: factorizations built from orthogonal transformations (Householder QR, the SVD, the symmetric and nonsymmetric
#: eigenvalue problems): Higham, Thm 19.4 (QR: ``gamma~_{mn}``), Golub & Van Loan, sec. 5.1, 8.3 and 8.6 (``p(n) u``
#: with ``p`` a modest function of the size); Cholesky and LU have the explicit ``gamma_{3n}`` (Higham, Thm 10.3,
#: Thm 9.3), which ``c = 8`` covers as well
FACTORIZATION_C = 8


def factorization(result: str, m, n, *, device: str = "cpu") -> float:
    """The normwise relative backward error ``||dA||_F / ||A||_F`` of a backward stable factorization of an
    ``m x n`` matrix computed in torch's precision for ``result``: ``gamma_a(c m n)`` (:data:`FACTORIZATION_C`),
    plus the same for the float64 reference the suite compares with (a residual measured from NumPy's float64
    factorization is itself of that size). A residual of the factorization's defining identity (``||QR - A|| /
    ||A||``), an orthogonality defect (``||Q^H Q - I||``, which a product of ``n`` rounded reflections keeps within
    the same ``gamma~``: Higham, Lemma 19.3), and by Weyl's theorem the error of each eigenvalue or singular value
    relative to ``||A||_F`` (Golub & Van Loan, Thm 8.1.4 and Cor. 8.6.2) are bounded by it."""
    k = FACTORIZATION_C * max(float(m), 1.0) * max(float(n), 1.0)
    return float(gamma(k, unit(accumulation(result, device))) + gamma(k, U64))


def lu_backward(result: str, n, lu_magnitude, *, device: str = "cpu"):
    """``gamma_a(3n) || |L| |U| ||_F`` (and the float64 reference's own ``gamma_64(3n)``): the normwise bound of
    ``dA`` for an LU factorization with partial pivoting, ``(A + dA) = L U`` with ``|dA| <= gamma_{3n} |L| |U|``
    (Higham, Thm 9.3); the solves with the triangles add ``gamma_n`` each (Thm 9.4), inside ``gamma_{3n}``."""
    ua = unit(accumulation(result, device))
    k = 3 * max(float(n), 1.0)
    return (gamma(k, ua) + gamma(k, U64)) * np.asarray(lu_magnitude, dtype=np.float64)


def forward_from_backward(delta):
    """The relative forward error of an inverse or a solve whose backward error, scaled by the inverse's norm, is
    ``delta = ||dA|| ||A^-1||`` (Higham, Thm 7.2: ``||dX|| / ||X|| <= delta / (1 - delta)``), where ``delta < 1/2``;
    elsewhere (an ill-conditioned matrix, for which no forward bound exists) NaN: the caller leaves those
    elements to the backward error."""
    d = np.asarray(delta, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d < 0.5, d / (1 - d), np.nan)


def determinant_log_bound(n, norm, eps):
    """The natural logarithm of :func:`determinant`'s bound ``n eps ||A||^(n-1) (1 + eps / ||A||)^(n-1)``
    (-inf where the norm or ``eps`` is 0): comparable with a determinant's log|det| where either leaves float64's
    range (a 16 x 16 float32 matrix of entries near 1e36 has log|det| about 1144)."""
    n = np.maximum(np.asarray(n, dtype=np.float64), 1.0)
    a = np.asarray(norm, dtype=np.float64)
    e = np.asarray(eps, dtype=np.float64)
    with np.errstate(all="ignore"):
        ratio = e / np.where(a > 0, a, 1.0)
        ratio = np.where(np.isnan(ratio), np.inf, ratio)  # an infinite norm: the bound is infinite, not NaN
        log_bound = np.log(n) + np.log(e) + (n - 1) * (np.log(a) + np.log1p(ratio))
        return np.where((a > 0) & (e > 0), log_bound, -np.inf)


def determinant(result: str, n, norm, eps, *, device: str = "cpu") -> Tolerance:
    """The determinant of an ``n x n`` matrix of Frobenius norm ``norm`` computed from a factorization with
    normwise backward error ``eps = ||dA||_F``: ``|det(A + dA) - det(A)| <= n eps ||A||_2^(n-1) (1 + eps /
    ||A||_2)^(n-1)`` (Ipsen and Rehman, "Perturbation bounds for determinants and characteristic polynomials",
    SIAM J. Matrix Anal. Appl. 30 (2008), Cor. 2.14; ``||A||_2 <= ||A||_F``), evaluated in logarithms (the powers
    leave float64's range before the bound does), plus the final rounding. Where the bound or the determinant's
    scale ``||A||^n`` reaches the largest value of the result type, the factorization's product may overflow:
    ``nonfinite``."""
    n = np.maximum(np.asarray(n, dtype=np.float64), 1.0)
    a = np.asarray(norm, dtype=np.float64)
    log_bound = determinant_log_bound(n, norm, eps)
    with np.errstate(all="ignore"):
        atol = np.exp(np.minimum(log_bound, 709.0))
        scale = n * np.log(np.where(a > 0, a, 1.0))
        over = (log_bound >= np.log(biggest(result))) | (scale >= np.log(biggest(result)))
    return Tolerance(rounded_twice(result), atol + 2 * eta(result), over, why="determinant (Ipsen-Rehman)")


# ---- appended builders (reductions family, wave 2) -----------------------------------------------------------

def sequential_product(result: str, log2_big, log2_small, count, has_zero, *, precision: str | None = None,
                       device: str = "cpu", why: str = "product") -> Tolerance:
    """:func:`product` for a product whose every partial product is rounded to ``precision`` (by default the
    result dtype itself: a half-type product accumulated in the half type) rather than to torch's accumulation
    type; the arguments are :func:`product`'s.

    Derivation (Higham, sec. 3.1, without the first-order truncation). With ``u`` the unit roundoff of
    ``precision``, each of the ``count - 1`` multiplications rounds once, ``p_k = p_{k-1} x_k (1 + d_k)``,
    ``|d_k| <= u``, so the computed product is the exact one times ``prod (1 + d_k)``, within a relative
    ``(1 + u)^(count - 1) - 1`` of it (finite for every length, where ``gamma(count - 1)`` is not once
    ``(count - 1) u >= 1``). A partial product that rounds into the subnormal range of ``precision`` adds at most
    ``eta_p`` times what the remaining factors can make of it (``2**log2_big``), at most ``count`` times; one that
    may overflow ``precision`` marks the element ``nonfinite``. Against the float64 reference rounded once to
    ``result``: its own ``gamma_64(count)``, the two roundings of ``result`` and ``2 eta`` for subnormal
    results."""
    p = precision or D.real_of(result)
    u = unit(p)
    n = np.maximum(np.asarray(count, dtype=np.float64), 1)
    with np.errstate(invalid="ignore", over="ignore"):
        growth = np.expm1((n - 1) * np.log1p(u))
        hi, lo = np.asarray(log2_big, dtype=np.float64), np.asarray(log2_small, dtype=np.float64)
        mag = np.where(has_zero, 0.0, np.exp2(np.minimum(hi + lo, 4000.0)))
        may_under = lo < math.log2(tiny(p)) + 1
        under = np.where(may_under, n * eta(p) * np.exp2(np.minimum(hi, 4000.0)), 0.0)
        atol = (growth + gamma(n, U64)) * mag + under + 2 * eta(result)
        over = hi + 1 > math.log2(biggest(p))
    return Tolerance(rounded_twice(result), atol, _nonfinite_where(mag * (1 + growth), result, p, over),
                     why=f"{why}: partial products rounded to {p}")


def complex_log_sum_exp(result: str, count, cancellation, *, device: str = "cpu") -> Tolerance:
    """:func:`log_sum_exp` of complex inputs: ``m + log(sum_i exp(z_i - m))`` with ``m`` the largest real part,
    the logarithm the principal value; ``cancellation`` = ``kappa = sum_i |exp(z_i - m)| / |sum_i exp(z_i - m)|``
    of each result element (broadcastable to it; 1 for real inputs).

    Derivation. The terms ``w_i = exp(z_i - m)`` have magnitudes ``exp(Re z_i - m) <= 1``, the largest 1, so
    ``A = sum |w_i| >= 1``; but the complex sum ``s`` may cancel: ``|s| = A / kappa``. Each term is computed to
    the relative error of :func:`log_sum_exp`'s terms (the rounded shift, the exponential) and the sum of ``n``
    complex terms to ``gamma_a(depth(n))`` relative to ``A`` per part: ``|s^ - s| <= e A`` with
    ``e = u (ln n + 3) + gamma_a(depth(n)) + gamma_64(n)`` (the float64 reference's own error), i.e. a relative
    ``r = kappa e`` of ``s``. For ``r < 1/2``, ``|log s^ - log s| <= -ln(1 - r) <= r / (1 - r)`` (real part:
    the log of the modulus; imaginary part: the argument, which moves by at most ``asin(r)``, within the same
    bound), plus the logarithm's own rounding ``2 u |ln|s||`` with ``|ln|s|| <= ln n + ln kappa``. For
    ``r >= 1/2`` the sum may cancel to anything from 0 (``log 0 = -inf``: ``nonfinite``) to ``3 e A``; a
    finite ``s^`` of the accumulation type is at least its smallest subnormal ``eta_a``, so both real parts lie in
    ``[ln eta_a, ln(3 e A)]`` (the exact one below ``ln(3 e A)`` too) and the arguments in ``[-pi, pi]``: the
    bound ``ln(3 e A / eta_a) + 2 pi``. The final addition of ``m`` is the final rounding (rtol)."""
    acc = accumulation(result, device)
    u = unit(result)
    n = max(float(count), 1.0)
    ln_n = math.log(n)
    e = u * (ln_n + 3) + float(gamma(depth(n), unit(acc))) + float(gamma(3 * n + 4, U64))
    k = np.maximum(np.asarray(cancellation, dtype=np.float64), 1.0)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        r = k * e
        small = r < 0.5
        near = r / np.where(small, 1 - r, 1.0) + 2 * u * (ln_n + np.log(k))
        far = np.log(3 * e * n / eta(acc)) + 2 * math.pi
        bound = np.where(small, near, far)
    tol = absolute(result, bound, device=device, why=f"complex logsumexp of {int(n)} terms")
    return dataclasses.replace(tol, nonfinite=~small)


# ---- results beyond the largest finite value ------------------------------------------------------------------

def overflow_limit(name: str):
    """The rounding threshold of a floating dtype: the largest finite value plus half its ulp (in longdouble, so
    that float64's is finite); a value at or beyond it rounds to an infinity (NaN in a format without one)."""
    info = D.finfo(name)
    biggest = np.longdouble(float(info.max))
    return biggest + np.longdouble(float(info.eps)) * np.exp2(np.floor(np.log2(biggest))) / 2


def with_unrepresentable(tol, name: str, scale, exact):
    """``tol`` with the elements whose finite exact value is not representable in ``name`` (it rounds past the
    largest finite value, so NumPy's rounded reference is an infinity or NaN) ``free`` where the bound reaches
    below the rounding threshold: there torch's value, within the bound of the exact one, may round to the largest
    finite value as well as to the infinity. Where the whole bound lies beyond the threshold, torch must give the
    reference's infinity. ``exact()`` computes the exact values (longdouble), only when ``scale`` (the sum of
    magnitudes, which bounds them) reaches the threshold."""
    if tol is None:
        return tol
    limit = overflow_limit(name)
    with np.errstate(invalid="ignore", over="ignore"):
        if not np.any(np.asarray(scale) >= limit):
            return tol
        e = np.asarray(exact())
        shape = np.shape(e)
        atol = tol.atol_at(shape).astype(np.longdouble)
        loose = np.zeros(shape, dtype=bool)
        for part in ((e.real, e.imag) if np.iscomplexobj(e) else (e,)):
            m = np.abs(part)
            loose |= np.isfinite(m) & (m >= limit) & (m - atol - np.longdouble(tol.rtol) * m < limit)
    if not loose.any():
        return tol
    return dataclasses.replace(tol, free=tol.mask("free", shape) | loose,
                               why=tol.why + " (results beyond the largest finite value left out where the bound "
                                             "straddles it)")
