"""The declarative records of the catalogue: an op, and a known divergence from NumPy."""
from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, Mapping

import torch

from conformance import dtypes as _dtypes


def resolve(path: str):
    """``"torch.nn.functional.softmax"`` -> the object, looked up at call time (so planted bugs take effect)."""
    obj: Any = torch
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


@dataclasses.dataclass(frozen=True, eq=False)
class Divergence:
    """A documented, intended (or acknowledged) difference between torch and NumPy.

    For a catalogue op, ``applies(sample, dtype)`` says when an input falls under it; the generic tests then
    hold torch to ``torch_ref`` (a NumPy implementation of torch's documented behaviour), to ``raises``, or to
    ``expected_dtype(sample, numpy_dtype)``, instead of the NumPy reference, or compare without the sign of
    zero (``relax_signed_zero``). ``example(dtype)`` returns
    ``(args, kwargs)`` of NumPy arrays and Python values on which the pinned test shows the difference, so a
    change in torch, in either direction, is reported. ``kind`` is ``intended`` (documented design),
    ``bug`` (an acknowledged torch bug, with its issue) or ``unspecified`` (behaviour neither library defines).
    """
    id: str
    op: str
    condition: str
    torch_behaviour: str
    numpy_behaviour: str
    reference: str
    kind: str = "intended"
    family: str = ""
    applies: Callable | None = None
    torch_ref: Callable | None = None
    raises: type | tuple | None = None
    expected_dtype: Callable | None = None
    relax_signed_zero: bool = False
    example: Callable | None = None
    #: ``torch_ref`` models torch's arithmetic in torch's own dtypes: it receives the inputs in their dtypes
    #: (bfloat16 as ``ml_dtypes.bfloat16``, no float64 upcast) and its result is taken as it is
    native: bool = False
    #: ``(sample, dtype) -> bool mask`` over the result: where True, torch may give NaN or an infinity in place of
    #: the reference's finite value (a known bug whose reach depends on the kernel path, vectorized or not)
    accept_nonfinite: Callable | None = None
    dtypes: tuple = ()

    def __repr__(self):
        return f"<divergence {self.id}>"

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))

    def as_record(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "op", "family", "condition", "torch_behaviour",
                                                "numpy_behaviour", "reference", "kind")}


@dataclasses.dataclass(frozen=True, eq=False)
class OpEntry:
    """One op of the catalogue, declared once and tested by every generic test.

    ``torch`` is a dotted path (``"torch.sqrt"``) or a function taking the torch arguments; ``ref`` is its NumPy
    reference (a NumPy function, or a self-contained function of :mod:`conformance.references`); ``inputs(dtype)``
    returns a Hypothesis strategy of :class:`~conformance.strategies.Case`. ``method`` / ``inplace`` name the
    Tensor method variants, called on the first argument. ``tol`` overrides :data:`conformance.compare.TOLERANCES`
    per result dtype. ``upcast``: compute the reference in float64/complex128 (then round to NumPy's result
    dtype); turn it off for ops whose result is defined by rounding in the input precision.
    ``grad``: the gradient tests check its vector-Jacobian product against finite differences of ``ref``
    (:mod:`conformance.gradients`), differentiating every floating and complex array argument, or only those at
    the positions ``grad_args`` (indices into the sample's arrays, in order of appearance).
    ``tol_fn(sample, dtype)``, when given, returns the tolerance of one sample instead of ``tol`` (same form: result
    dtype name -> ``(rtol, atol)``, or ``(rtol, atol, may_overflow)``); ``atol`` may be an array broadcastable to the
    result (an elementwise bound, e.g. for sums of products) — see :func:`conformance.compare.compare_values`.
    """
    name: str
    family: str
    torch: str | Callable
    ref: Callable
    inputs: Callable
    dtypes: tuple
    method: str | None = None
    inplace: str | None = None
    tol: Mapping[str, tuple] = dataclasses.field(default_factory=dict)
    tol_fn: Callable | None = None
    signed_zero: bool = True
    upcast: bool = True
    divergences: tuple = ()
    grad: bool = False
    grad_args: tuple | None = None
    notes: str = ""

    def __post_init__(self):
        bad = [d for d in self.dtypes if d not in _dtypes.ALL]
        if bad:
            raise ValueError(f"op {self.name}: unknown dtypes {bad}")
        for div in self.divergences:
            object.__setattr__(div, "family", self.family)

    @property
    def fn(self) -> Callable:
        return resolve(self.torch) if isinstance(self.torch, str) else self.torch

    def call(self, args, kwargs):
        return self.fn(*args, **kwargs)

    def call_method(self, args, kwargs, inplace=False):
        name = self.inplace if inplace else self.method
        return getattr(args[0], name)(*args[1:], **kwargs)

    @functools.lru_cache(maxsize=None)
    def strategy(self, dtype: str):
        return self.inputs(dtype)

    def tolerance(self, sample, dtype: str):
        """The tolerance overrides for one sample: ``tol_fn(sample, dtype)`` if given (and not None), else ``tol``."""
        if self.tol_fn is not None:
            found = self.tol_fn(sample, dtype)
            if found is not None:
                return found
        return self.tol

    def divergence_for(self, sample, dtype: str) -> Divergence | None:
        for div in self.divergences:
            if div.applies is not None and div.applies(sample, dtype):
                return div
        return None

    def __repr__(self):
        return f"<op {self.name}>"

    def _repr_pretty_(self, p, cycle):  # how Hypothesis prints it in a falsifying example
        p.text(repr(self))
