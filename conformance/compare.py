"""The one comparison every test uses: a torch result against a NumPy reference.

What is compared, in order, and how (the first difference found is reported):

1. **structure** — a tuple/list result against a tuple/list reference, element by element;
2. **shape** — ``tuple(tensor.shape)`` against ``ndarray.shape``;
3. **dtype** — by name through :mod:`conformance.dtypes` (``torch.float32`` <-> ``np.float32``,
   ``torch.bfloat16`` <-> ``ml_dtypes.bfloat16``, ``torch.bool`` <-> ``np.bool_``);
4. **values** — bool and integer results exactly; floating and complex results (real and imaginary parts
   separately) with ``|torch - numpy| <= atol + rtol * |numpy|`` using :data:`TOLERANCES` for the *result*
   dtype, NaN only where NumPy has NaN, infinities only where NumPy has the same infinity, and, unless the op
   opts out, the sign of zero where both are zero.

The tolerance table starts from ``torch.testing.assert_close``'s defaults. An op entry may override it for a
dtype only with a comment saying why (documented accuracy of the kernel, not "to make it pass").

A tolerance may also be ``(rtol, atol, may_overflow)`` with ``atol`` an array broadcastable to the result (an
elementwise bound, as a derived error bound of a sum of products is) and ``may_overflow`` a boolean array (or
None) marking elements where an intermediate result of the working precision may overflow although the exact
result does not: there a non-finite torch value (NaN or inf) is accepted in place of a finite expected one, and
NaN in place of an expected infinity; a finite torch value must still be within the bound. Where such an element
also has an infinite ``atol`` (the reference, computed in the same precision, may have overflowed as well), any
value is accepted.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import torch

from conformance import dtypes

#: (rtol, atol) per result dtype; the defaults of torch.testing.assert_close.
TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


@dataclasses.dataclass
class Difference:
    """What differed between a torch result and its reference: ``kind`` is shape, dtype, values, type..."""
    kind: str
    summary: str
    path: tuple = ()
    details: list = dataclasses.field(default_factory=list)
    rtol: float = 0.0
    atol: float = 0.0

    @property
    def where(self) -> str:
        return "result" + "".join(f"[{i}]" for i in self.path)

    def __str__(self):
        head = f"{self.where}: {self.summary}"
        return "\n".join([head] + [f"  {d}" for d in self.details])


def tolerance(dtype_name: str, overrides=None) -> tuple[float, float]:
    if overrides and dtype_name in overrides:
        return overrides[dtype_name]
    return TOLERANCES.get(dtype_name, (0.0, 0.0))


def _fmt(v) -> str:
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, (complex, np.complexfloating)):
        return repr(complex(v))
    return repr(v.item() if hasattr(v, "item") else v)


def compare(actual, expected, *, tol=None, signed_zero: bool = True, path: tuple = ()) -> Difference | None:
    """Compares a torch result with a NumPy reference; returns the first :class:`Difference`, or None."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(actual, (tuple, list)):
            return Difference("type", f"torch returned {type(actual).__name__}, NumPy a sequence of "
                                      f"{len(expected)}", path)
        if len(actual) != len(expected):
            return Difference("length", f"torch returned {len(actual)} elements, NumPy {len(expected)}", path)
        for i, (a, e) in enumerate(zip(actual, expected)):
            diff = compare(a, e, tol=tol, signed_zero=signed_zero, path=path + (i,))
            if diff:
                return diff
        return None
    if not isinstance(actual, torch.Tensor):
        return _compare_python(actual, expected, path)
    expected = np.asarray(expected)
    if tuple(actual.shape) != expected.shape:
        return Difference("shape", f"shape differs: torch {tuple(actual.shape)}, NumPy {expected.shape}", path)
    try:
        want = dtypes.name_of(expected.dtype)
    except KeyError:
        return Difference("dtype", f"NumPy reference has dtype {expected.dtype}, which torch has no match for",
                          path)
    got = dtypes.name_of(actual.dtype)
    if got != want:
        return Difference("dtype", f"dtype differs: torch {got}, NumPy {want}", path)
    return compare_values(dtypes.to_numpy(actual), expected, want, tol=tol, signed_zero=signed_zero, path=path)


def _compare_python(actual, expected, path):
    if isinstance(expected, np.ndarray) and expected.ndim == 0:
        expected = expected.item()
    if isinstance(expected, np.generic):
        expected = expected.item()
    if type(actual) is not type(expected) and not (isinstance(actual, (int, float)) and
                                                   isinstance(expected, (int, float)) and
                                                   not isinstance(actual, bool) and
                                                   not isinstance(expected, bool)):
        return Difference("type", f"torch returned {type(actual).__name__} {actual!r}, "
                                  f"NumPy {type(expected).__name__} {expected!r}", path)
    same = (actual == expected) or (actual != actual and expected != expected)
    if not same:
        return Difference("values", f"torch returned {actual!r}, NumPy {expected!r}", path)
    return None


def compare_values(a: np.ndarray, e: np.ndarray, dtype_name: str, *, tol=None, signed_zero=True,
                   path=()) -> Difference | None:
    """Elementwise comparison of two same-shape arrays of dtype ``dtype_name``."""
    if a.size == 0:
        return None
    if not dtypes.is_inexact(dtype_name):
        bad = a != e
        if not bad.any():
            return None
        return _summarize(bad, a, e, dtype_name, path, 0.0, 0.0, exact=True)
    spec = tolerance(dtype_name, tol)
    rtol, atol = spec[0], spec[1]
    may_overflow = spec[2] if len(spec) > 2 else None
    if dtypes.is_complex(dtype_name):
        a, e = a.astype(np.complex128), e.astype(np.complex128)
        bad = _bad_real(a.real, e.real, rtol, atol, signed_zero, may_overflow) | \
            _bad_real(a.imag, e.imag, rtol, atol, signed_zero, may_overflow)
    else:
        a, e = a.astype(np.float64), e.astype(np.float64)
        bad = _bad_real(a, e, rtol, atol, signed_zero, may_overflow)
    if not bad.any():
        return None
    if np.ndim(atol):  # an elementwise bound: report the smallest one among the failing elements
        atol = float(np.min(np.broadcast_to(atol, bad.shape)[bad]))
    return _summarize(bad, a, e, dtype_name, path, rtol, atol)


def _bad_real(a, e, rtol, atol, signed_zero, may_overflow=None):
    a_nan, e_nan = np.isnan(a), np.isnan(e)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.abs(a - e) <= atol + rtol * np.abs(e)
        exact = a == e  # covers equal infinities
    infinite = np.isinf(a) | np.isinf(e)  # an infinity only matches the same infinity
    bad = (a_nan != e_nan) | (~a_nan & ~e_nan & ~close & ~exact) | (infinite & ~exact)
    if signed_zero:
        bad |= (a == 0) & (e == 0) & (np.signbit(a) != np.signbit(e))
    if may_overflow is not None:
        free = may_overflow & np.isinf(atol)  # no bound at all: the reference itself may have overflowed there
        bad &= ~(free | (may_overflow & ((~np.isfinite(a) & np.isfinite(e)) | (a_nan & np.isinf(e)))))
    return bad


def _summarize(bad, a, e, dtype_name, path, rtol, atol, exact=False) -> Difference:
    n_bad, n = int(bad.sum()), bad.size
    first = np.unravel_index(int(np.flatnonzero(bad)[0]), bad.shape) if bad.ndim else ()
    rule = "exactly" if exact else f"within rtol={rtol:g}, atol={atol:g}"
    details = []
    with np.errstate(all="ignore"):
        diff = np.abs(a.astype(np.complex128) - e.astype(np.complex128)) if not exact else \
            np.abs(a.astype(np.float64) - e.astype(np.float64))
        finite = bad & np.isfinite(diff)
        if finite.any():
            masked = np.where(finite, diff, -1.0)
            i_abs = np.unravel_index(int(np.argmax(masked)), bad.shape) if bad.ndim else ()
            rel = np.where(finite, diff / np.maximum(np.abs(e.astype(np.complex128)), np.finfo(float).tiny), -1.0)
            i_rel = np.unravel_index(int(np.argmax(rel)), bad.shape) if bad.ndim else ()
            details.append(f"greatest absolute difference: {float(masked[i_abs]):.6g} at index {tuple(map(int, i_abs))}")
            details.append(f"greatest relative difference: {float(rel[i_rel]):.6g} at index {tuple(map(int, i_rel))}")
    idx = tuple(map(int, first))
    details.insert(0, f"first mismatch at index {idx}: torch {_fmt(a[first])}, NumPy {_fmt(e[first])}")
    if np.iscomplexobj(a):
        zero_pairs = ((a.real == e.real) | ((a.real == 0) & (e.real == 0))) & \
                     ((a.imag == e.imag) | ((a.imag == 0) & (e.imag == 0)))
    else:
        zero_pairs = (a == 0) & (e == 0)
    kind = "signed_zero" if not exact and not (bad & ~zero_pairs).any() else "values"
    summary = (f"{n_bad} of {n} elements ({100.0 * n_bad / n:.1f}%) differ, compared {rule} ({dtype_name})"
               if kind == "values" else f"sign of zero differs in {n_bad} of {n} elements ({dtype_name})")
    return Difference(kind, summary, path, details, rtol, atol)
