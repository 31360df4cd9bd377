"""The one comparison every test uses: a torch result against a NumPy reference.

What is compared, in order, and how (the first difference found is reported):

1. **structure** — a tuple/list result against a tuple/list reference, element by element;
2. **shape** — ``tuple(tensor.shape)`` against ``ndarray.shape``;
3. **dtype** — by name through :mod:`conformance.dtypes` (``torch.float32`` <-> ``np.float32``,
   ``torch.bfloat16`` <-> ``ml_dtypes.bfloat16``, ``torch.bool`` <-> ``np.bool_``);
4. **values** — bool and integer results exactly; floating and complex results (real and imaginary parts
   separately) within the :class:`~conformance.tolerance.Tolerance` of each element (:mod:`conformance.tolerance`
   owns every bound), NaN only where NumPy has NaN, infinities only where NumPy has the same infinity, and,
   unless the op opts out (or a known divergence relaxes it for some elements), the sign of zero where both are
   zero.

A failure names the worst element: its index, both values, the difference and the bound allowed there.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import torch

from conformance import dtypes
from conformance import tolerance as T


@dataclasses.dataclass
class Difference:
    """What differed between a torch result and its reference: ``kind`` is shape, dtype, values, type...

    For values, ``tol`` is the tolerance used (the reproduction snippet asserts exactly that bound) and
    ``signed_zero`` the elements whose sign of zero was compared."""
    kind: str
    summary: str
    path: tuple = ()
    details: list = dataclasses.field(default_factory=list)
    tol: T.Tolerance | None = None
    signed_zero: object = True
    shape: tuple = ()

    @property
    def where(self) -> str:
        return "result" + "".join(f"[{i}]" for i in self.path)

    @property
    def rtol(self) -> float:
        return self.tol.rtol if self.tol else 0.0

    def __str__(self):
        head = f"{self.where}: {self.summary}"
        return "\n".join([head] + [f"  {d}" for d in self.details])


@dataclasses.dataclass
class Carried:
    """A reference whose dtype NumPy has no counterpart for (``complex32``), its values held exactly by NumPy in
    a wider dtype (``values``, already rounded to ``name``)."""
    values: np.ndarray
    name: str

    #: what a reproduction snippet pastes for it (NumPy only): the rounding, with the carrier array as the value
    REPRO_SOURCE = """
        class Carried:  # complex32 values (both parts rounded to float16), held in complex64
            @staticmethod
            def rounded(values, name="complex32"):
                v = np.asarray(values)
                out = np.empty(v.shape, dtype=np.complex64)
                with np.errstate(all="ignore"):
                    out.real = v.real.astype(np.float16)
                    out.imag = np.imag(v).astype(np.float16)
                return out
        """

    @property
    def shape(self):
        return self.values.shape

    @classmethod
    def rounded(cls, values, name: str = "complex32") -> "Carried":
        """``values`` rounded to ``name`` (complex32: both parts to float16), held in its carrier dtype."""
        v = np.asarray(values)
        part = np.dtype(dtypes.NUMPY[dtypes.real_of(name)])
        out = np.empty(v.shape, dtype=dtypes.CARRIER[name])
        with np.errstate(all="ignore"):
            out.real = v.real.astype(part)
            out.imag = np.imag(v).astype(part)
        return cls(out, name)


def _fmt(v) -> str:
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, (complex, np.complexfloating)):
        return repr(complex(v))
    return repr(v.item() if hasattr(v, "item") else v)


def _leaf(spec, i):
    """The part of a structured spec (tolerance, signed-zero mask) for the i-th element of a tuple result."""
    if isinstance(spec, (tuple, list)):
        return spec[i] if i < len(spec) else None
    return spec


def compare(actual, expected, *, tol=None, signed_zero=True, path: tuple = ()) -> Difference | None:
    """Compares a torch result with a NumPy reference; returns the first :class:`Difference`, or None.

    ``tol``: None (each leaf's dtype default), a :class:`~conformance.tolerance.Tolerance`, a dict of them by
    result dtype, or a tuple of those shaped like the result. ``signed_zero``: True, False, or a bool array (the
    elements whose sign of zero is compared), or a tuple of those shaped like the result."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(actual, (tuple, list)):
            return Difference("type", f"torch returned {type(actual).__name__}, NumPy a sequence of "
                                      f"{len(expected)}", path)
        if len(actual) != len(expected):
            return Difference("length", f"torch returned {len(actual)} elements, NumPy {len(expected)}", path)
        for i, (a, e) in enumerate(zip(actual, expected)):
            diff = compare(a, e, tol=_leaf(tol, i), signed_zero=_leaf(signed_zero, i), path=path + (i,))
            if diff:
                return diff
        return None
    if not isinstance(actual, torch.Tensor):
        return _compare_python(actual, expected, path)
    if isinstance(expected, Carried):
        want, expected = expected.name, expected.values
    else:
        expected = np.asarray(expected)
        want = None
    if tuple(actual.shape) != expected.shape:
        return Difference("shape", f"shape differs: torch {tuple(actual.shape)}, NumPy {expected.shape}", path)
    if want is None:
        try:
            want = dtypes.name_of(expected.dtype)
        except KeyError:
            return Difference("dtype", f"NumPy reference has dtype {expected.dtype}, which torch has no match for",
                              path)
    got = dtypes.torch_name(actual.dtype)
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


def bad_elements(a, e, rtol, atol, signed_zero, nonfinite, free):
    """The elements of ``a`` (torch's values, float64 or complex128) that are not within the bound of ``e`` (the
    reference, same shape and type): ``|a - e| <= atol + rtol * |e|`` per real part; NaN only where the reference
    has NaN, an infinity only where it has the same one, the sign of zero where ``signed_zero``; ``nonfinite``
    marks elements where a NaN or infinity is accepted in place of a finite value, ``free`` those where any value
    is. (Reproduction snippets paste this function as it is: NumPy only.)"""
    def bad_part(a, e):
        a_nan, e_nan = np.isnan(a), np.isnan(e)
        with np.errstate(invalid="ignore", over="ignore"):
            close = np.abs(a - e) <= atol + rtol * np.abs(e)
            exact = a == e  # equal infinities included
        infinite = np.isinf(a) | np.isinf(e)  # an infinity matches only the same infinity
        bad = (a_nan != e_nan) | (~a_nan & ~e_nan & ~close & ~exact) | (infinite & ~exact)
        bad |= signed_zero & (a == 0) & (e == 0) & (np.signbit(a) != np.signbit(e))
        # where an intermediate may overflow: a non-finite value for a finite one, or NaN or either infinity for
        # an infinity (an overflowed partial result has lost its sign: -inf + finite terms stays -inf)
        bad &= ~(nonfinite & ~np.isfinite(a) & ~e_nan)
        return bad & ~free
    if np.iscomplexobj(a) or np.iscomplexobj(e):
        a, e = np.asarray(a, dtype=np.complex128), np.asarray(e, dtype=np.complex128)
        return bad_part(a.real, e.real) | bad_part(a.imag, e.imag)
    return bad_part(a, e)


def compare_values(a: np.ndarray, e: np.ndarray, dtype_name: str, *, tol=None, signed_zero=True,
                   path=()) -> Difference | None:
    """Elementwise comparison of two same-shape arrays of dtype ``dtype_name``."""
    if a.size == 0:
        return None
    if not dtypes.is_inexact(dtype_name) and dtype_name not in dtypes.CARRIER:
        bad = a != e
        if isinstance(tol, T.Tolerance) and tol.free is not None:  # elements a known bug leaves out (accept_any)
            bad &= ~tol.mask("free", a.shape)
        if not bad.any():
            return None
        return _summarize(bad, a, e, dtype_name, path, T.EXACT, exact=True)
    t = T.for_result(tol, dtype_name, a.shape)
    zeros = np.broadcast_to(np.asarray(signed_zero, dtype=bool), a.shape)
    wide = np.complex128 if np.iscomplexobj(a) or np.iscomplexobj(e) else np.float64
    a, e = a.astype(wide), e.astype(wide)
    bad = bad_elements(a, e, t.rtol, t.atol_at(a.shape), zeros, t.mask("nonfinite", a.shape),
                       t.mask("free", a.shape))
    if not bad.any():
        return None
    return _summarize(bad, a, e, dtype_name, path, t, signed_zero=zeros)


def _summarize(bad, a, e, dtype_name, path, tol: T.Tolerance, exact=False, signed_zero=True) -> Difference:
    n_bad, n = int(bad.sum()), bad.size
    first = np.unravel_index(int(np.flatnonzero(bad)[0]), bad.shape) if bad.ndim else ()
    details = []
    with np.errstate(all="ignore"):
        diff = np.abs(a.astype(np.complex128) - e.astype(np.complex128))
        allowed = (np.zeros(bad.shape) if exact else
                   tol.atol_at(bad.shape) + tol.rtol * np.abs(e.astype(np.complex128)))
        finite = bad & np.isfinite(diff)
        if finite.any():
            # the worst element: the largest difference relative to what was allowed there
            ratio = np.where(finite, diff / np.where(allowed > 0, allowed, np.finfo(float).tiny), -1.0)
            i = np.unravel_index(int(np.argmax(ratio)), bad.shape) if bad.ndim else ()
            idx = tuple(map(int, i))
            details.append(f"worst element at index {idx}: torch {_fmt(a[i])}, NumPy {_fmt(e[i])}, difference "
                           f"{float(diff[i]):.6g}" + ("" if exact else f" (up to {float(allowed[i]):.6g} allowed)"))
            masked = np.where(finite, diff, -1.0)
            j = np.unravel_index(int(np.argmax(masked)), bad.shape) if bad.ndim else ()
            details.append(f"greatest absolute difference: {float(masked[j]):.6g} at index {tuple(map(int, j))}")
    idx = tuple(map(int, first))
    details.insert(0, f"first mismatch at index {idx}: torch {_fmt(a[first])}, NumPy {_fmt(e[first])}")
    if np.iscomplexobj(a):
        zero_pairs = ((a.real == e.real) | ((a.real == 0) & (e.real == 0))) & \
                     ((a.imag == e.imag) | ((a.imag == 0) & (e.imag == 0)))
    else:
        zero_pairs = (a == 0) & (e == 0)
    kind = "signed_zero" if not exact and not (bad & ~zero_pairs).any() else "values"
    rule = "exactly" if exact else f"within {tol.why}"
    summary = (f"{n_bad} of {n} elements ({100.0 * n_bad / n:.1f}%) differ, compared {rule} ({dtype_name})"
               if kind == "values" else f"sign of zero differs in {n_bad} of {n} elements ({dtype_name})")
    return Difference(kind, summary, path, details, tol, signed_zero, tuple(bad.shape))
