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
    array or None) marks elements where torch may give NaN or an infinity in place of a finite reference (an
    intermediate of the working precision may overflow there), and NaN in place of an infinite one; ``free`` marks
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
    (the product of the other operands' largest magnitudes)."""
    # a complex product of two factors is good to sqrt(2) gamma(2) (Higham, sec. 3.6): two more roundings, and
    # the sqrt(2) folded into the magnitude
    cplx = D.is_complex(result)
    tol = summation(result, np.asarray(magnitude) * (math.sqrt(2.0) if cplx else 1.0),
                    np.maximum(np.asarray(terms), 1), device=device, pairwise=False,
                    extra_roundings=(factors - 1) * (2 if cplx else 1), why="sum of products")
    if np.all(np.asarray(amplification) == 1.0):
        return tol
    with np.errstate(invalid="ignore", over="ignore"):
        extra = np.maximum(np.asarray(terms), 1) * factors * eta(accumulation(result, device)) * np.asarray(
            amplification, dtype=np.float64)
    return dataclasses.replace(tol, atol=np.asarray(tol.atol) + extra)


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
    g = gamma(n - 1 + (2 if D.is_complex(result) else 0), ua)
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
