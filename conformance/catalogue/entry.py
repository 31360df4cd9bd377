"""The declarative records of the catalogue: an op, and a known divergence from NumPy."""
from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, Mapping

import numpy as np
import torch
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from conformance import dtypes as _dtypes


def resolve(path: str):
    """``"torch.nn.functional.softmax"`` -> the object, looked up at call time (so planted bugs take effect)."""
    obj: Any = torch
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


_PROBLEMS: list[str] = []


class NotCalled(RuntimeError):
    """Raised by an op's call instead of calling torch where the call is known to end the process (a recorded
    torch bug, ``raises=NotCalled``): the crash itself is pinned in a subprocess by a bespoke test."""


@functools.lru_cache(maxsize=None)
def _release_matches(spec: str, version: str) -> bool:
    """``version``'s release (``2.14.1+cu130`` is 2.14.1, a nightly ``2.15.0a0+git...`` is 2.15.0) in ``spec``."""
    return SpecifierSet(spec).contains(Version(version).base_version, prereleases=True)

#: the expectations a divergence record can hold torch to, exactly one per record of a catalogue op
MODES = ("raises", "torch_ref", "expected_dtype", "relax_signed_zero", "accept_nonfinite", "tolerance",
         "accept_any")


@dataclasses.dataclass(frozen=True, eq=False)
class Divergence:
    """A documented, intended (or acknowledged) difference between torch and NumPy.

    For a catalogue op, ``applies(sample, dtype)`` says when an input falls under it: ``True``/``False`` for a
    condition on the whole call (a dtype, an argument form), or a bool array over the result's elements for a
    condition on values (a -0.0 in front, an overflowing quotient), broadcastable to the result. Under it, the
    generic tests hold torch to exactly one expectation (:data:`MODES`, checked when the record is made):

    * ``raises`` — torch raises this exception type (whole-call conditions only);
    * ``torch_ref`` — a NumPy implementation of torch's documented behaviour, used in place of the NumPy reference
      (on the elements of the condition only, when it is elementwise); ``native=True`` hands it the inputs in their
      own dtypes (no float64 upcast) and takes its result as it is;
    * ``expected_dtype(sample, numpy_dtype)`` — the result dtype torch gives instead;
    * ``relax_signed_zero`` — the sign of zero is not compared on the elements of the (elementwise) condition;
    * ``accept_nonfinite`` — torch may give NaN or an infinity in place of the reference's finite value on the
      elements of the (elementwise) condition; a finite torch value must still be within the bound;
    * ``tolerance(sample, dtype)`` — torch computes in a lower precision than the suite expects (a half-type
      accumulation): the bound derived for that precision (a :class:`~conformance.tolerance.Tolerance` built with
      conformance.tolerance) replaces the op's;
    * ``accept_any`` — records of kind ``bug`` only, elementwise: torch's value on those elements is known to be
      wrong in a way nothing bounds (memory read out of bounds); every other element is compared as usual.

    ``example(dtype)`` returns ``(args, kwargs)`` of NumPy arrays and Python values on which torch shows the
    difference; ``counterexample(dtype)`` an input just outside the condition on which torch agrees with NumPy.
    The pinned test checks both, so a condition broader than the behaviour fails its own test. ``devices``: the
    device types the record holds on (empty: every device); elsewhere the strict NumPy comparison applies.
    ``kind`` is ``intended`` (documented design), ``bug`` (an acknowledged torch bug, with its issue) or
    ``unspecified`` (behaviour neither library defines). Records that only bespoke tests pin carry no
    expectation.
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
    counterexample: Callable | None = None
    #: ``torch_ref`` models torch's arithmetic in torch's own dtypes: it receives the inputs in their dtypes
    #: (bfloat16 as ``ml_dtypes.bfloat16``, no float64 upcast) and its result is taken as it is
    native: bool = False
    #: ``(sample, dtype) -> bool mask`` over the result: where True, torch may give NaN or an infinity in place of
    #: the reference's finite value (a known bug whose reach depends on the kernel path, vectorized or not)
    accept_nonfinite: Callable | None = None
    #: ``(sample, dtype) -> Tolerance``: the bound of the precision torch is known to compute in
    tolerance: Callable | None = None
    #: the elements where torch's value is known to be wrong beyond any bound (kind ``bug`` only)
    accept_any: bool = False
    dtypes: tuple = ()
    devices: tuple = ()
    #: ``() -> bool``, for a behaviour of a CPU-dependent kernel: whether this machine has the hardware that shows
    #: it (read from the machine, never by running torch). Where it does not, the record does not apply (the
    #: strict NumPy comparison does) and the pinned test asserts that torch agrees with NumPy on the example
    shows: Callable | None = None
    #: the torch releases the record holds on, a version specifier (``"<2.14"``); empty: every release. Outside
    #: them the strict NumPy comparison applies, and the pinned test asserts that torch now agrees on the example
    torch_versions: str = ""
    #: records that share one root cause in torch (one upstream report: ``conformance list --bugs``)
    root_cause: str = ""
    #: ``"forward"`` (the op's result) or ``"gradient"`` (its vector-Jacobian product: the gradient tests hold
    #: torch to it, with ``raises`` for a backward that raises, or leave the sample to a pinned bespoke test)
    about: str = "forward"

    def __post_init__(self):
        if self.kind not in ("intended", "bug", "unspecified"):
            raise ValueError(f"divergence {self.id}: kind must be intended, bug or unspecified, not {self.kind!r}")
        modes = self.modes()
        # gradient records (family autograd) hold torch to raising in backward, or leave the sample to a
        # bespoke test that pins the documented gradient
        gradient = self.family == "autograd" or self.about == "gradient"
        if self.applies is not None and len(modes) != 1 and not (gradient and len(modes) <= 1):
            _PROBLEMS.append(f"divergence {self.id}: a record with a condition holds torch to exactly one of "
                             f"{', '.join(MODES)}; it has {', '.join(modes) or 'none'}")
        if self.applies is None and modes:
            raise ValueError(f"divergence {self.id}: {', '.join(modes)} without a condition (applies)")
        if self.accept_any and self.kind != "bug":
            raise ValueError(f"divergence {self.id}: accept_any is for recorded bugs only")
        if self.native and self.torch_ref is None:
            raise ValueError(f"divergence {self.id}: native=True is about a torch_ref, and there is none")
        if self.torch_versions:
            try:
                SpecifierSet(self.torch_versions)
            except InvalidSpecifier:
                raise ValueError(f"divergence {self.id}: torch_versions {self.torch_versions!r} is not a version "
                                 "specifier (e.g. '<2.14')") from None

    def modes(self) -> list[str]:
        return [m for m in MODES if getattr(self, m) not in (None, False)]

    @property
    def elementwise(self) -> bool:
        """Whether the expectation relaxes elements (its condition must then be elementwise)."""
        return bool(self.relax_signed_zero or self.accept_nonfinite is not None or self.accept_any)

    def holds_on(self, device: str) -> bool:
        """Whether the record holds on ``device`` (its device types, on this machine's hardware: :attr:`shows`)
        with the torch installed (its releases)."""
        return (not self.devices or device_type(device) in self.devices) and self.holds_for_torch() and \
            self.shows_here()

    def shows_here(self) -> bool:
        """Whether this machine has the hardware the record's behaviour needs (:attr:`shows`; True without one)."""
        return self.shows is None or bool(self.shows())

    def holds_for_torch(self, version: str | None = None) -> bool:
        """Whether the record holds for torch ``version`` (the installed one by default): :attr:`torch_versions`."""
        return not self.torch_versions or _release_matches(self.torch_versions, version or torch.__version__)

    def condition_mask(self, sample, dtype: str):
        """``applies`` for one sample: False, True, or a bool array (False when no element meets it)."""
        found = self.applies(sample, dtype)
        if isinstance(found, np.bool_) and self.elementwise:
            found = np.asarray(found)  # the mask of a 0-d result (NumPy gives a scalar for a 0-d array)
        if isinstance(found, (bool, np.bool_)) or found is None:
            if self.elementwise and found:
                raise TypeError(f"divergence {self.id}: a relaxation applies elementwise; its condition must "
                                "return a mask over the result, not True")
            return bool(found)
        mask = np.asarray(found, dtype=bool)
        if self.raises is not None or self.expected_dtype is not None:
            raise TypeError(f"divergence {self.id}: raises / expected_dtype are whole-call expectations; the "
                            "condition must return True or False")
        return mask if mask.any() else False

    def __repr__(self):
        return f"<divergence {self.id}>"

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))

    def as_record(self) -> dict:
        rec = {k: getattr(self, k) for k in ("id", "op", "family", "condition", "torch_behaviour",
                                               "numpy_behaviour", "reference", "kind")}
        rec["devices"] = list(self.devices)
        return rec


def device_type(device: str) -> str:
    """``"cuda:1"`` -> ``"cuda"``."""
    return str(device).partition(":")[0]


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
    ``tol_fn(sample, dtype)``, when given, returns the tolerance of one sample (a
    :class:`conformance.tolerance.Tolerance`, a dict of them by result dtype, a tuple shaped like the result, or
    None for the defaults), built with :mod:`conformance.tolerance`; ``tol`` is a fixed dict of them by result
    dtype, only with a comment saying why.
    ``dtypes``: not a choice of what to test — every dtype torch has is tested on every device, and what the op
    does not support there is reported as such — but, when given, the dtypes the op is meant for (its NumPy
    counterpart's domain) where that is narrower; it only decides the order of reports.
    """
    name: str
    family: str
    torch: str | Callable
    ref: Callable
    inputs: Callable
    dtypes: tuple = ()
    method: str | None = None
    inplace: str | None = None
    tol: Mapping[str, object] = dataclasses.field(default_factory=dict)
    tol_fn: Callable | None = None
    signed_zero: bool = True
    upcast: bool = True
    divergences: tuple = ()
    grad: bool = False
    grad_args: tuple | None = None
    #: ``ref`` is a NumPy ufunc (or follows one): NumPy casts every array operand to the loop dtype, the result's,
    #: before computing, so the upcast reference rounds integer and bool operands to it first (a uint8 177 times
    #: a float8_e5m2fnuz is 192 times it)
    ufunc: bool = False
    #: whether the torch function takes ``out=``: None finds it out on first use (only for dotted paths), False
    #: never checks it
    out: bool | None = None
    #: the torch functions this entry covers, as dotted paths (``"torch.max"``), when its torch callable is a
    #: function of the catalogue rather than a dotted path (see conformance.coverage)
    covers: tuple = ()
    #: ``(sample) -> bool``: True for a sample that would make a device-side assert off CPU (an out-of-range class
    #: or index that a GPU kernel does not check on the host, after which every later call in the process fails):
    #: such samples run on CPU only
    unsafe_off_cpu: Callable | None = None
    #: ``(args, kwargs) -> str | None`` over the torch arguments: a message where torch would end the process
    #: (SIGFPE) on them; every call of the function and of its methods then raises FloatingPointError with it
    #: instead of reaching torch (a ``raises=FloatingPointError`` record states the condition NumPy-side)
    guard: Callable | None = None
    #: ``(sample, dtype) -> bool``: the "may raise" rule. True where the problem is ill-posed at working
    #: precision: a matrix of the stack that the op's own bound leaves wholly free (for an LU: ``||dA|| ||A^-1||
    #: >= 1/2``, singular within rounding) or one with a non-finite element. There, whether an LU meets an exact
    #: zero pivot (or an eigen / SVD solver converges) depends on the rounding, and both outcomes are correct:
    #: when exactly one library raises its own LinAlgError (``torch.linalg.LinAlgError``,
    #: ``np.linalg.LinAlgError``; no other exception) the sample passes, counted as checked. It is not a
    #: :class:`Divergence`: both libraries raise LinAlgError for singular matrices, and which matrices count as
    #: singular at working precision neither specifies. It must be computable without the reference (which may
    #: be what raised); the strict comparison (``divergences=False``: a pinned counterexample, a record's proof
    #: that NumPy differs) does not apply it
    ill_posed: Callable | None = None
    notes: str = ""

    def __post_init__(self):
        bad = [d for d in self.dtypes if d not in _dtypes.ALL]
        if bad:
            raise ValueError(f"op {self.name}: unknown dtypes {bad}")
        for div in self.divergences:
            object.__setattr__(div, "family", "autograd" if div.about == "gradient" else self.family)

    @property
    def fn(self) -> Callable:
        return resolve(self.torch) if isinstance(self.torch, str) else self.torch

    def call(self, args, kwargs):
        self._check_guard(args, kwargs)
        return self.fn(*args, **kwargs)

    def call_method(self, args, kwargs, inplace=False):
        self._check_guard(args, kwargs)
        name = self.inplace if inplace else self.method
        return getattr(args[0], name)(*args[1:], **kwargs)

    def _check_guard(self, args, kwargs):
        if self.guard is not None:
            found = self.guard(args, kwargs)
            if found:
                raise FloatingPointError(found)

    @functools.lru_cache(maxsize=None)
    def strategy(self, dtype: str):
        """The op's own strategy for ``dtype`` (called for the representative dtype of each kind)."""
        return self.inputs(dtype)

    @functools.lru_cache(maxsize=None)
    def kind_strategy(self, rep: str):
        """The op's strategy for a kind's representative, told which arrays are the cell's own
        (:class:`conformance.dtypes.CellDtype`): what group runs draw."""
        return self.inputs(_dtypes.CellDtype(rep))

    @functools.lru_cache(maxsize=None)
    def cell_strategy(self, dtype: str):
        """Cases for a cell: drawn for the representative of ``dtype``'s kind and retargeted to ``dtype``, exactly
        as the shared draws of a group run (:mod:`conformance.engine`) are."""
        rep = _dtypes.representative(dtype)
        base = self.kind_strategy(rep)
        return base if rep == dtype else base.map(lambda case: case.retarget(rep, dtype))

    def reference(self, sample):
        """NumPy's answer for ``sample`` (:func:`conformance.oracle.reference` with this op's settings)."""
        from conformance import oracle

        return oracle.reference(self.ref, sample, upcast=self.upcast, cast_operands=self.ufunc)

    def tolerance(self, sample, dtype: str):
        """The tolerance of one sample: ``tol_fn(sample, dtype)`` if given (and not None), else ``tol`` (or None:
        the result dtype's default)."""
        if self.tol_fn is not None:
            found = self.tol_fn(sample, dtype)
            if found is not None:
                return found
        return self.tol or None

    def divergence_for(self, sample, dtype: str, device: str = "cpu"):
        """``(divergence, condition)`` of the first record that holds on ``device`` and applies to the sample
        (``condition``: True, or the mask of the elements it applies to), else ``(None, False)``."""
        for div in self.divergences:
            if div.applies is None or not div.holds_on(device) or div.about != "forward":
                continue
            found = div.condition_mask(sample, dtype)
            if found is not False:
                return div, found
        return None, False

    def __repr__(self):
        return f"<op {self.name}>"

    def _repr_pretty_(self, p, cycle):  # how Hypothesis prints it in a falsifying example
        p.text(repr(self))
