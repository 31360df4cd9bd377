"""Runs a catalogue op on one sample and judges it: the body of every generic test.

:func:`forward` — torch result vs NumPy reference (or vs the documented torch behaviour, on the elements where a
known divergence applies), exceptions included: if NumPy raises, torch must raise, and the other way round —
except on an ill-posed problem (:attr:`OpEntry.ill_posed`, :func:`may_raise`), where either library may raise its
LinAlgError alone.
:func:`variants` — the Tensor method and the in-place method agree with the function, bit for bit.
:func:`pinned_divergence` — a known divergence still holds on its example, is the one that applies there, and is
no broader than the behaviour: on its counterexample torch agrees with NumPy.
Failures raise :class:`Mismatch`, which carries the inputs and a standalone reproduction snippet; the texts are
built only when something failed.
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import torch

from conformance import compare as _compare
from conformance import dtypes, oracle, repro
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, NotCalled, OpEntry, device_type
from conformance.strategies.cases import Sample


class Mismatch(AssertionError):
    """A conformance failure: ``summary`` (one line), ``details``, ``inputs`` and ``repro`` (snippet).
    ``torch_exc``: the exception torch raised where NumPy computed a result (the generic tests ask whether the
    dtype is supported at all before they call that a failure).

    ``inputs`` and ``repro`` may be given as functions: they are built only when read (Hypothesis runs a failing
    test many times while it shrinks, and only the last failure is shown)."""

    def __init__(self, summary: str, details: str = "", inputs="", repro="", torch_exc=None):
        super().__init__(summary)
        self.summary, self.details = summary, details
        self._inputs, self._repro = inputs, repro
        self.torch_exc = torch_exc

    @property
    def inputs(self) -> str:
        if callable(self._inputs):
            self._inputs = self._inputs()
        return self._inputs

    @property
    def repro(self) -> str:
        if callable(self._repro):
            self._repro = self._repro()
        return self._repro

    def __str__(self):
        parts = [self.summary]
        if self.details:
            parts.append(self.details)
        if self.inputs:
            parts.append("inputs:\n" + self.inputs)
        if self.repro:
            parts.append("standalone reproduction (torch + numpy only):\n" + self.repro)
        return "\n".join(parts)


def describe_inputs(sample: Sample) -> str:
    lines = []
    for i, (a, lay) in enumerate(zip(sample.arrays, sample.layouts)):
        shown = a.astype(np.float32) if dtypes.is_ml(dtypes.name_of(a.dtype)) else a
        vals = np.array2string(shown, threshold=40, edgeitems=3, separator=", ")
        lines.append(f"  x{i}: shape={a.shape} dtype={dtypes.name_of(a.dtype)} layout={lay}\n      "
                     + vals.replace("\n", "\n      "))
    scalars = [repr(v) for v in sample.args if not isinstance(v, np.ndarray)]
    if scalars:
        lines.append("  other positional arguments: " + ", ".join(scalars))
    if sample.kwargs:
        lines.append("  keyword arguments: " + ", ".join(
            f"{k}={'<array>' if isinstance(v, np.ndarray) else repr(v)}" for k, v in sample.kwargs.items()))
    lines.append(f"  value fill: {sample.fill}")
    return "\n".join(lines)


def _tensors(obj):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for o in obj:
            yield from _tensors(o)


def _dtype_name(expected) -> str | None:
    if isinstance(expected, _compare.Carried):
        return expected.name
    if isinstance(expected, (tuple, list)):
        return None
    try:
        return dtypes.name_of(np.asarray(expected).dtype)
    except KeyError:
        return None


def same_device(t: torch.Tensor, device) -> bool:
    """Whether a tensor is on ``device``, a resolved device (``cuda`` names the current CUDA device)."""
    from conformance import devices

    return devices.same(t.device, device)


@dataclasses.dataclass
class Forward:
    """What :func:`forward` saw: the divergence that applied (and on which elements), torch's result or
    exception, and the input tensors (the method variant reuses them: it must not modify its inputs)."""
    divergence: Divergence | None
    condition: object
    actual: object
    exc: BaseException | None
    args: tuple
    kwargs: dict
    expected: object = None       # the reference torch was held to, and its tolerance (the out= checks reuse them)
    tol: object = None
    signed_zero: object = True    # the elements whose sign of zero was compared
    strict: bool = False          # passed the strict comparison before any divergence record was asked
    ill_posed: bool = False       # passed by the "may raise" rule: one library raised its LinAlgError alone


#: the exceptions of the "may raise" rule, torch's and NumPy's: each library's own error for a matrix it finds
#: singular (or an eigen / SVD solver that does not converge); nothing broader
TORCH_LINALG_ERROR, NUMPY_LINALG_ERROR = torch.linalg.LinAlgError, np.linalg.LinAlgError


def may_raise(op: OpEntry, sample: Sample, dtype: str, t_exc, n_exc) -> bool:
    """The "may raise" rule (:attr:`OpEntry.ill_posed`): exactly one side raised, torch a
    ``torch.linalg.LinAlgError`` or NumPy an ``np.linalg.LinAlgError``, on a sample the op declares ill-posed at
    working precision (singular within rounding, or non-finite), where raising and returning are both correct.
    Any other exception, or a well-posed sample, is judged as before."""
    if op.ill_posed is None or (t_exc is None) == (n_exc is None):
        return False
    if t_exc is not None and not isinstance(t_exc, TORCH_LINALG_ERROR):
        return False
    if n_exc is not None and not isinstance(n_exc, NUMPY_LINALG_ERROR):
        return False
    return bool(op.ill_posed(sample, dtype))


def may_raise_variant(op: OpEntry, sample: Sample, dtype: str, f_exc, v_exc) -> bool:
    """The same rule between two torch calls on different layouts (an in-place variant, another kernel path
    whose rounding may meet the zero pivot the function's did not): exactly one raised torch's LinAlgError."""
    raised = f_exc if v_exc is None else v_exc
    if op.ill_posed is None or (f_exc is None) == (v_exc is None) or not isinstance(raised, TORCH_LINALG_ERROR):
        return False
    return bool(op.ill_posed(sample, dtype))


def call(op: OpEntry, args, kwargs, device: str = "cpu"):
    """``(result, None)`` or ``(None, exception)``; off CPU the device is synchronized first, so that an
    asynchronous error is raised by the call that caused it, not by a later test."""
    try:
        result = op.call(args, kwargs)
        if not str(device).startswith("cpu"):
            from conformance import devices

            devices.synchronize(device)
        return result, None
    except Exception as exc:  # noqa: BLE001 - any exception is a behaviour to compare
        from conformance import devices

        if devices.is_device_error(exc):
            raise  # the device is unusable from here on: not a behaviour to compare (see conformance.plugin)
        return None, exc


def _where(mask, model, numpy):
    """The model's values on the elements of ``mask``, NumPy's elsewhere (tuples: leaf by leaf)."""
    if isinstance(numpy, (tuple, list)):
        return type(numpy)(_where(mask, m, n) for m, n in zip(model, numpy))
    m, n = np.asarray(model), np.asarray(numpy)
    if m.shape != n.shape or m.dtype != n.dtype:
        raise ValueError("an elementwise torch_ref must give NumPy's shape and dtype")
    return np.where(np.broadcast_to(mask, n.shape), m, n)


def more_relaxations(op: OpEntry, sample: Sample, dtype: str, device: str, div) -> list:
    """``(record, mask)`` of the relaxation records (relax_signed_zero, accept_nonfinite: elementwise widenings)
    other than ``div`` that apply to the sample. Relaxations compose, each on its own elements: a sample with
    elements of two relaxations (a NaN of one kind and a sign of zero of another) is held to both."""
    found = []
    for other in op.divergences:
        if other is div or not other.elementwise or other.applies is None or not other.holds_on(device):
            continue
        mask = other.condition_mask(sample, dtype)
        if mask is not False:
            found.append((other, mask))
    return found


def _relaxed(expected, tol, signed_zero, more):
    for other, mask in more:
        if other.relax_signed_zero:
            signed_zero = signed_zero & ~np.asarray(mask, dtype=bool) if signed_zero is not False else False
        if other.accept_nonfinite is not None:
            tol = _accepting_nonfinite(tol, expected, mask)
        if other.accept_any:
            tol = _accepting_any(tol, expected, mask)
    return tol, signed_zero


def _accepting_any(tol, expected, mask):
    if isinstance(expected, (tuple, list)):  # every leaf of a tuple result (values and indices alike)
        return tuple(_accepting_any(_compare._leaf(tol, i), e, mask) for i, e in enumerate(expected))
    name = _dtype_name(expected)
    if name is None:
        return tol
    base = T.for_result(tol, name, np.shape(expected))
    free = np.asarray(mask, dtype=bool) if base.free is None else (np.asarray(base.free, dtype=bool) | mask)
    return dataclasses.replace(base, free=free, why=base.why + " (known wrong elements left out)")


def expectation(op: OpEntry, sample: Sample, dtype: str, div, condition, more=()):
    """(reference, tolerance, signed_zero) that torch is held to for this sample under ``div`` (and the further
    relaxations ``more``, from :func:`more_relaxations`)."""
    if div is not None and div.torch_ref is not None:
        model = oracle.reference(div.torch_ref, sample, upcast=op.upcast, native=div.native)
        if condition is True:
            expected = model
        else:
            expected = _where(condition, model, op.reference(sample))
    else:
        expected = op.reference(sample)
    if div is not None and div.expected_dtype is not None:
        want = div.expected_dtype(sample, np.asarray(expected).dtype)
        expected = carried(expected, want) if want in dtypes.CARRIER else np.asarray(expected).astype(want)
    tol = op.tolerance(sample, dtype)
    if div is not None and div.tolerance is not None:
        tol = div.tolerance(sample, dtype)
    signed_zero = op.signed_zero
    if div is not None and div.accept_any:
        tol = _accepting_any(tol, expected, condition)
    if div is not None and div.relax_signed_zero:
        signed_zero = op.signed_zero & ~np.asarray(condition, dtype=bool) if op.signed_zero else False
    if div is not None and div.accept_nonfinite is not None:
        tol = _accepting_nonfinite(tol, expected, condition)
    if more:
        tol, signed_zero = _relaxed(expected, tol, signed_zero, more)
    return expected, tol, signed_zero


def carried(values, name: str):
    """NumPy values rounded to a dtype NumPy has no counterpart for (complex32: both parts to float16), held in
    its carrier dtype."""
    return _compare.Carried.rounded(values, name)


def _accepting_nonfinite(tol, expected, mask):
    if isinstance(expected, (tuple, list)):  # every leaf of a tuple result (slogdet's sign and log|det|)
        return tuple(_accepting_nonfinite(_compare._leaf(tol, i), e, mask) for i, e in enumerate(expected))
    name = _dtype_name(expected)
    if name is None or not dtypes.is_inexact(name):
        return tol
    base = T.for_result(tol, name, np.shape(expected))
    return base.accepting_nonfinite(mask)


def _fail(op, sample, device, dtype, summary, problem, details="", ref=None, method=None, actual=None,
          upcast=None, torch_exc=None, expected=None, model=None, condition=None, model_native=False):
    title = f"torch {op.name} vs NumPy on {device}, {dtype} (fill: {sample.fill}): {summary}"

    def snippet():
        return repro.snippet(title=title, sample=sample, device=device, torch_fn=op.torch, ref=ref or op.ref,
                             upcast=op.upcast if upcast is None else upcast,
                             expected_dtype=_dtype_name(expected) if expected is not None else None,
                             problem=problem, method=method,
                             tensor_result=isinstance(actual, (torch.Tensor, tuple, list)) or actual is None,
                             model=model, condition=condition, model_native=model_native,
                             cast_operands=op.ufunc and (ref or op.ref) is op.ref)
    raise Mismatch(f"{op.name} [{device}, {dtype}]: {summary}", details, lambda: describe_inputs(sample), snippet,
                   torch_exc=torch_exc)


def _agrees(op: OpEntry, sample: Sample, device: str, dtype: str, actual) -> tuple | None:
    """``(expected, tol, signed_zero)`` when torch's result agrees with NumPy's under the strict comparison
    (no divergence record), else None."""
    if not all(same_device(t, device) for t in _tensors(actual)):
        return None
    try:
        expected, tol, signed_zero = expectation(op, sample, dtype, None, False)
    except Exception:  # noqa: BLE001 - NumPy raised where torch did not: the full check says so
        return None
    if _compare.compare(actual, expected, tol=tol, signed_zero=signed_zero) is not None:
        return None
    return expected, tol, signed_zero


def forward(op: OpEntry, sample: Sample, device: str, dtype: str, *, divergences: bool = True,
            strict_first: bool = False) -> Forward:
    """Checks one sample; ``divergences=False`` holds torch to NumPy alone (a pinned counterexample), without
    the "may raise" rule of ill-posed samples either (:func:`may_raise`).

    ``strict_first``: a result that agrees with NumPy under the strict comparison passes without looking up the
    divergence records (the sample then meets none: torch did not differ); only where it does not are the records
    asked which one applies. Most samples agree, and the records' conditions are most of a passing case's cost."""
    args, kwargs, _ = sample.torch_inputs(device)
    actual, t_exc = call(op, args, kwargs, device)
    if divergences and strict_first and t_exc is None:
        agreed = _agrees(op, sample, device, dtype, actual)
        if agreed is not None:
            return Forward(None, False, actual, None, args, kwargs, *agreed, strict=True)
    div, condition = op.divergence_for(sample, dtype, device) if divergences else (None, False)
    seen = Forward(div, condition, actual, t_exc, args, kwargs)
    if div is not None and div.raises:
        if not isinstance(t_exc, div.raises):
            got = f"raised {type(t_exc).__name__}: {t_exc}" if t_exc else "returned a result"
            _fail(op, sample, device, dtype, f"known divergence {div.id} no longer holds: torch {got}, "
                  f"documented to raise {getattr(div.raises, '__name__', div.raises)}", "torch-raised",
                  f"condition: {div.condition}")
        return seen
    ref = div.torch_ref if div is not None and div.torch_ref is not None and condition is True else op.ref
    try:
        more = more_relaxations(op, sample, dtype, device, div) if divergences and div is not None else ()
        expected, tol, signed_zero = expectation(op, sample, dtype, div, condition, more)
        n_exc = None
    except Exception as exc:  # noqa: BLE001
        expected, tol, signed_zero, n_exc = None, None, True, exc
    if n_exc is not None and t_exc is not None:
        return seen
    if divergences and may_raise(op, sample, dtype, t_exc, n_exc):
        seen.ill_posed = True
        return seen
    if n_exc is not None:
        _fail(op, sample, device, dtype, f"NumPy raised {type(n_exc).__name__} ({n_exc}); torch did not",
              "numpy-raised", ref=ref)
    if t_exc is not None:
        _fail(op, sample, device, dtype, f"torch raised {type(t_exc).__name__}: {str(t_exc).splitlines()[0]}",
              "torch-raised", ref=ref, torch_exc=t_exc)
    for t in _tensors(actual):
        if not same_device(t, device):
            _fail(op, sample, device, dtype, f"result is on {t.device}, inputs on {device}", "torch-raised")
    seen.expected, seen.tol, seen.signed_zero = expected, tol, signed_zero
    diff = _compare.compare(actual, expected, tol=tol, signed_zero=signed_zero)
    if diff is not None:
        note = f" (under known divergence {div.id})" if div else ""
        native = bool(div and div.native and div.torch_ref is not None and condition is True)
        elementwise = div is not None and div.torch_ref is not None and condition is not True
        _fail(op, sample, device, dtype, diff.summary + note, diff, "\n".join(diff.details), ref=ref,
              actual=actual, upcast=False if native else None, expected=expected if not diff.path else None,
              model=div.torch_ref if elementwise else None, condition=condition if elementwise else None,
              model_native=bool(elementwise and div.native))
    return seen


def variants(op: OpEntry, sample: Sample, device: str, dtype: str, seen: Forward | None = None,
             inplace: bool = True) -> int:
    """The Tensor method and the in-place method agree with the function, bit for bit; returns the number of
    variants checked.

    In-place follows NumPy's ``out=`` casting rule: it must succeed exactly when the function's result dtype
    casts to the input's dtype under ``same_kind``, leave that value in the input, keep its strides, and
    return the input itself."""
    if seen is None:
        args, kwargs, _ = sample.torch_inputs(device)
        want, f_exc = call(op, args, kwargs)
    else:
        args, kwargs, want, f_exc = seen.args, seen.kwargs, seen.actual, seen.exc
    checked = 0
    if op.method:
        try:
            got, m_exc = op.call_method(args, kwargs), None
        except Exception as exc:  # noqa: BLE001
            got, m_exc = None, exc
        _agree(op, sample, device, dtype, "method", f_exc, m_exc, want, got, op.method)
        checked += 1
    if op.inplace and inplace:
        args, kwargs, _ = sample.torch_inputs(device)
        self_t = args[0]
        strides = self_t.stride()
        try:
            got, i_exc = op.call_method(args, kwargs, inplace=True), None
        except Exception as exc:  # noqa: BLE001
            got, i_exc = None, exc
        if f_exc is None:
            src = _numpy_side(want.dtype)
            dst = _numpy_side(self_t.dtype)
            # NumPy's same_kind rule, except that (as torch documents for outputs: only a category change is
            # refused) any integer result may be written into an integer tensor, signed into unsigned included
            castable = (tuple(want.shape) == tuple(self_t.shape) and
                        (src == dst or np.can_cast(_f16(src), _f16(dst), casting="same_kind") or
                         (src.kind in "iu" and dst.kind in "iu")))
            if castable:
                want = want.to(self_t.dtype)
            else:
                f_exc = RuntimeError(f"result {dtypes.torch_name(want.dtype)}{tuple(want.shape)} cannot be written "
                                     f"to a {dtypes.torch_name(self_t.dtype)}{tuple(self_t.shape)} input")
        # an in-place op writes into its input's memory (its layout, aliased with an operand), which selects the
        # kernel path (vectorized or not, where the loop splits) as a non-contiguous out= does: its values may then
        # differ in the last bits from the function's, within the op's bound
        try:
            _agree(op, sample, device, dtype, "in-place", f_exc, i_exc, want, got, op.inplace,
                   layout=True, tol=seen.tol if seen is not None else None,
                   signed_zero=seen.signed_zero if seen is not None else True,
                   expected=seen.expected if seen is not None else None)
        except Mismatch as first:
            if seen is None or not seen.strict:
                raise
            # the function agreed with NumPy before any record was asked; the in-place layout may take a kernel
            # path that a record relaxes (a product that overflows on one path): held to the records' bound
            try:
                full = forward(op, sample, device, dtype)
            except Mismatch:
                raise first from None
            _agree(op, sample, device, dtype, "in-place", f_exc, i_exc, want, got, op.inplace, layout=True,
                   tol=full.tol, signed_zero=full.signed_zero, expected=full.expected)
        checked += 1
        if i_exc is None:
            if got is not self_t:
                _fail(op, sample, device, dtype, f"in-place {op.inplace} did not return its input", "torch-raised")
            if self_t.stride() != strides:
                _fail(op, sample, device, dtype, f"in-place {op.inplace} changed the strides {strides} -> "
                      f"{self_t.stride()}", "torch-raised")
    return checked


#: ops (by name) whose torch function takes no ``out=`` (found on first use)
_NO_OUT: set = set()


def _out_target(want: torch.Tensor):
    """A dtype ``want`` casts to under NumPy's ``same_kind`` rule (a wider one of its kind), and one it does not
    (a lower category), for the wrong-dtype ``out=`` checks; None where there is none."""
    name = dtypes.torch_name(want.dtype)
    wider = {"bool": "uint8", "uint8": "int16", "int8": "int16", "int16": "int32", "int32": "int64",
             "float16": "float32", "bfloat16": "float32", "float32": "float64", "complex64": "complex128"}.get(name)
    lower = {"floating": "int64", "complex": "float64"}.get(dtypes.KIND.get(name))
    return wider, lower


def out_variants(op: OpEntry, sample: Sample, device: str, dtype: str, seen: Forward) -> int:
    """``out=`` as OpInfo's test_out checks it, judged by NumPy's rule for ``out`` (and torch's documented
    differences, :mod:`conformance.catalogue.outputs`):

    * a fresh ``out`` of the result's dtype and shape receives the function's result bit for bit, and is returned;
    * a non-contiguous one receives it in place, keeping its strides (within the op's bound: the output's memory
      layout selects the kernel path, vectorized or not, whose results may differ in the last bits, as NumPy's do);
    * a non-empty one of a wrong shape is resized (out-wrong-shape-resized);
    * one of a wider dtype of the result's kind is taken (NumPy's ``same_kind``), and its values, brought back to
      the result dtype, are within the op's bound of the NumPy reference — torch may compute in ``out``'s dtype or
      cast into it; for the ops of out-dtype-exact it is refused;
    * one of a lower category: refused by elementwise ops, as NumPy does; a reduction, which NumPy casts into any
      ``out``, either refuses it or computes in ``out``'s dtype (the inputs cast to it: out-dtype-computes-in-out).

    Returns the number of checks made (0 where the op takes no ``out=``, or its result is not one tensor)."""
    from conformance.catalogue import outputs

    want = seen.actual
    if (seen.exc is not None or seen.ill_posed or not isinstance(want, torch.Tensor) or not isinstance(op.torch, str)
            or op.name in _NO_OUT or op.out is False or want.is_conj() or want.is_neg()):
        return 0
    fn = op.fn

    def run(out, cast=None):
        """The function into ``out``; ``cast``: with the input tensors of the result's dtype kind cast to it
        first, by torch (what computing in ``out``'s dtype means)."""
        args, kwargs, tensors = sample.torch_inputs(device)
        if cast is not None and tensors:
            first = tensors[0].dtype
            swap = {id(t): t.to(dtypes.TORCH[cast]) for t in tensors if t.dtype == first}
            args = tuple(swap.get(id(a), a) for a in args)
            kwargs = {k: swap.get(id(v), v) for k, v in kwargs.items()}
        return fn(*args, **kwargs, out=out)

    fresh = torch.empty(want.shape, dtype=want.dtype, device=want.device)
    try:
        got = run(fresh)
    except TypeError as exc:
        # the call's signature has no out= (for this op, or for this form of its arguments: torch.where with a
        # Python scalar, torch.median without dim): nothing to check
        if "'out'" in str(exc) or "unexpected keyword argument" in str(exc):
            _NO_OUT.add(op.name)
        return 0
    except Exception as exc:  # noqa: BLE001
        _out_fail(op, sample, device, dtype, f"the function succeeds, but with out= it raises {type(exc).__name__}: "
                  f"{str(exc).splitlines()[0] if str(exc) else ''}")
    checked = 1
    if got is not fresh:
        _out_fail(op, sample, device, dtype, "with out= the function does not return out")
    if not same_bits(fresh, want):
        _out_fail(op, sample, device, dtype, "out= received another value than the function returns")
    if want.dim() > 0 and want.numel() > 1 and not outputs.noncontiguous_out_unwritten(op, want):
        base = torch.empty(tuple(2 * s for s in want.shape), dtype=want.dtype, device=want.device)
        strided = base[(slice(None, None, 2),) * want.dim()]
        strides = strided.stride()
        run(strided)
        checked += 1
        if strided.stride() != strides or (not same_bits(strided, want) and _compare.compare(
                strided, _host(want), tol=seen.tol, signed_zero=seen.signed_zero) is not None):
            _out_fail(op, sample, device, dtype, "a non-contiguous out= did not receive the result in place "
                      f"(strides {strides} -> {strided.stride()})")
    wrong = torch.empty((want.numel() + 1,), dtype=want.dtype, device=want.device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            run(wrong)
        except Exception as exc:  # noqa: BLE001
            _out_fail(op, sample, device, dtype, f"an out= of a wrong shape is refused ({type(exc).__name__}: "
                      f"{exc}), where torch documents that it is resized")
    checked += 1
    if tuple(wrong.shape) != tuple(want.shape) or not same_bits(wrong, want):
        _out_fail(op, sample, device, dtype, f"an out= of a wrong shape was not resized to {tuple(want.shape)} and "
                  f"filled with the result (it is {tuple(wrong.shape)})")
    wider, lower = _out_target(want)
    rule, lower_rule = outputs.rule(op, sample)
    if wider is not None:
        out = torch.empty(want.shape, dtype=dtypes.TORCH[wider], device=want.device)
        try:
            run(out)
            refused = None
        except Exception as exc:  # noqa: BLE001
            refused = exc
        checked += 1
        if rule == "exact":
            if refused is None:
                _out_fail(op, sample, device, dtype, f"an out= of {wider} was accepted where torch requires the "
                          f"result dtype {dtypes.torch_name(want.dtype)} (out-dtype-exact no longer holds)")
        elif refused is not None:
            _out_fail(op, sample, device, dtype, f"an out= of {wider} (the {dtypes.torch_name(want.dtype)} result "
                      f"casts to it under same_kind) is refused: {type(refused).__name__}: {refused}")
        else:
            diff = _compare.compare(out.to(want.dtype), seen.expected, tol=seen.tol, signed_zero=seen.signed_zero)
            if diff is not None and lower_rule == "reduction":  # a reduction may compute in out's dtype
                again = torch.empty(want.shape, dtype=out.dtype, device=want.device)
                run(again, cast=wider)
                diff = None if same_bits(out, again) else diff
            if diff is not None:
                _out_fail(op, sample, device, dtype, f"an out= of {wider} received values outside the bound of the "
                          f"NumPy reference, and not the result computed in {wider}: {diff.summary}")
    if lower is not None:
        out = torch.empty(want.shape, dtype=dtypes.TORCH[lower], device=want.device)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a complex value into a real out: torch warns that it drops a part
            try:
                run(out)
                accepted = True
            except Exception:  # noqa: BLE001
                accepted = False
        checked += 1
        if lower_rule == "refused" and accepted:
            _out_fail(op, sample, device, dtype, f"an out= of {lower} accepted a {dtypes.torch_name(want.dtype)} "
                      "result (torch refuses a cast to a lower category for outputs, as NumPy's elementwise "
                      "functions do)")
        if lower_rule == "reduction" and accepted and not outputs.lower_unchecked(op, want):
            again = torch.empty(want.shape, dtype=dtypes.TORCH[lower], device=want.device)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run(again, cast=lower)
            if not same_bits(out, again):
                _out_fail(op, sample, device, dtype, f"an out= of {lower} received neither a refusal nor the result "
                          f"computed in {lower} (out-dtype-computes-in-out)")
    return checked


def _out_fail(op, sample, device, dtype, summary):
    raise Mismatch(f"{op.name} [{device}, {dtype}]: out= variant: {summary}", "", lambda: describe_inputs(sample))


def _numpy_side(dtype: torch.dtype) -> np.dtype:
    """The NumPy dtype that stands for a torch dtype in casting rules (complex32: complex64)."""
    name = dtypes.torch_name(dtype)
    return dtypes.NUMPY.get(name, dtypes.CARRIER.get(name))


def _f16(dt):
    """The dtype NumPy's casting rules see: ml_dtypes floats take float16's place."""
    return np.dtype(np.float16) if dtypes.is_ml(dtypes.name_of(dt)) else dt


def _within_reference(got, want, expected, tol, signed_zero) -> bool:
    """A variant on another layout (another kernel path) held to the reference the function was held to, within
    the same bound: each of the two results may lie anywhere in it (so their difference up to twice the bound),
    and where the function gave an accepted overflow the variant may compute the value right."""
    if not isinstance(got, torch.Tensor) or expected is None or isinstance(expected, (tuple, list)):
        return False
    if _dtype_name(expected) == dtypes.torch_name(got.dtype):
        return _compare.compare(got, expected, tol=tol, signed_zero=signed_zero) is None
    # written into an input of another dtype: the function's value converted to it, except that its accepted
    # overflows (NaN or an infinity in the bound's nonfinite mask) give way to the reference's value
    host = _host(want)
    if not isinstance(tol, T.Tolerance) or tol.nonfinite is None or not isinstance(host, np.ndarray):
        return False
    expected = np.asarray(expected.values if isinstance(expected, _compare.Carried) else expected)
    if expected.shape != host.shape:
        return False
    wide = host.astype(np.complex128 if np.iscomplexobj(host) else np.float64)
    mask = tol.mask("nonfinite", host.shape) & ~np.isfinite(wide)
    if not mask.any():
        return False
    with np.errstate(all="ignore"):
        merged = np.where(mask, expected.astype(host.dtype), host)
    return _compare.compare(got, merged, tol=tol, signed_zero=signed_zero) is None


def _agree(op, sample, device, dtype, what, f_exc, v_exc, want, got, name, layout=False, tol=None,
           signed_zero=True, expected=None):
    from conformance import support

    if f_exc is None and v_exc is not None and support.missing_kernel(v_exc):
        # the variant has no kernel for this dtype where the function has one: a support fact
        raise support.PartialSupport(f"{what} {name}: {support.missing_kernel(v_exc)}")
    if layout and may_raise_variant(op, sample, dtype, f_exc, v_exc):
        return
    if (f_exc is None) != (v_exc is None):
        fn = f"raised {type(f_exc).__name__}: {f_exc}" if f_exc else "succeeded"
        var = f"raised {type(v_exc).__name__}: {v_exc}" if v_exc else "succeeded"
        _fail(op, sample, device, dtype, f"{what} variant {name} disagrees with the function: the function "
              f"{fn}; the {what} variant {var}", "torch-raised", method=name)
    if f_exc is None and not same_bits(got, want):
        # a variant on another layout: within the op's bound, the sign of zero where the forward check compared it
        if layout and _compare.compare(got, _host(want), tol=tol, signed_zero=signed_zero) is None:
            return
        if layout and _within_reference(got, want, expected, tol, signed_zero):
            return
        diff = _compare.compare(got, _host(want), tol=T.EXACT, signed_zero=True)
        summary = diff.summary if diff is not None else "the values differ in their bits (NaN payloads)"
        title = (f"{op.name} [{device}, {dtype}]: {what} variant {name} differs from the function, which it "
                 f"must equal bit for bit: {summary}")
        raise Mismatch(title, "\n".join(diff.details) if diff is not None else "", lambda: describe_inputs(sample),
                       lambda: repro.variant_snippet(title=title, sample=sample, device=device, torch_fn=op.torch,
                                                     method=name, inplace=what == "in-place",
                                                     within=tol if layout else None))


def _host(want):
    """A torch result as NumPy (tensors inside tuples too, bfloat16 included), to compare a variant with."""
    if isinstance(want, torch.Tensor):
        return dtypes.to_numpy(want)
    if isinstance(want, (tuple, list)):
        return tuple(_host(w) for w in want)
    return want


def same_bits(a, b) -> bool:
    """Equal values bit for bit (signed zeros told apart), NaN equal to NaN whatever its payload."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same_bits(x, y) for x, y in zip(a, b))
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
        return type(a) is type(b) and (a == b or (a != a and b != b))
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    a, b = a.detach().cpu().resolve_conj().resolve_neg(), b.detach().cpu().resolve_conj().resolve_neg()
    if not (a.is_floating_point() or a.is_complex()):
        return torch.equal(a, b)
    if a.is_complex():
        a, b = torch.view_as_real(a.contiguous()), torch.view_as_real(b.contiguous())
    nan_a, nan_b = torch.isnan(a), torch.isnan(b)
    if not torch.equal(nan_a, nan_b):
        return False
    bits = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}[a.element_size()]
    fill = torch.zeros((), dtype=a.dtype)
    return torch.equal(torch.where(nan_a, fill, a).contiguous().view(bits),
                       torch.where(nan_b, fill, b).contiguous().view(bits))


# ---- one example: every fill, layout and variant ---------------------------------------------------------------

def layout_sets(n: int, mixed) -> list[tuple]:
    """The layouts one example is checked in: all contiguous, each non-contiguous layout for every array, and
    one drawn mix (duplicates dropped)."""
    from conformance.strategies.layouts import NONCONTIGUOUS

    found = [("contiguous",) * n] + [(lay,) * n for lay in NONCONTIGUOUS] + [tuple(mixed)]
    return list(dict.fromkeys(found))


def run_case(op: OpEntry, case, device: str, dtype: str, mixed) -> tuple[set, int]:
    """Checks one drawn case in every value fill and layout (:func:`layout_sets`), with the method and in-place
    variants; returns the ids of the divergences met and the number of checked cases. A sample on which torch
    raises where NumPy computes first asks :mod:`conformance.support` whether the dtype is supported at all."""
    from conformance import support
    from conformance.strategies.values import FILLS

    hits: set = set()
    checked = 0
    sets = layout_sets(len(case.specs), mixed)
    for i, fill in enumerate(FILLS):
        base = case.sample(fill, i)
        for lays in sets:
            sample = base if lays == tuple(base.layouts) else base.relaid(lays)
            try:
                seen = forward(op, sample, device, dtype)
                checked += 1
                if seen.divergence is not None:
                    hits.add(seen.divergence.id)
                if op.method or op.inplace:
                    checked += variants(op, sample, device, dtype, seen,
                                        inplace=bool(op.inplace) and "expanded" not in lays[:1])
            except Mismatch as exc:
                if exc.torch_exc is not None:
                    support.skip_if_unsupported(op, device, dtype, exc.torch_exc)
                raise
    return hits, checked


# ---- pinned divergences ------------------------------------------------------------------------------------

def _sample_of(args_np, kwargs_np, what: str, layouts=None) -> Sample:
    arrays = list(_arrays(args_np, kwargs_np))
    layouts = list(layouts) if layouts is not None else ["contiguous"] * len(arrays)
    if len(layouts) != len(arrays):
        raise ValueError(f"{what}: {len(layouts)} layouts for {len(arrays)} arrays")
    return Sample(args=tuple(args_np), kwargs=dict(kwargs_np), arrays=arrays, layouts=layouts, fill=what)


def example_sample(example, what: str) -> Sample:
    """The sample of a record's example: ``(args, kwargs)`` of NumPy arrays and Python values, contiguous, or
    ``(args, kwargs, layouts)`` with the memory layout of each array in order of appearance (a behaviour of one
    kernel path, which the layout selects)."""
    args_np, kwargs_np, *rest = example
    return _sample_of(args_np, kwargs_np, what, rest[0] if rest else None)


def pinned_divergence(div: Divergence, op: OpEntry | None, device: str, dtype: str) -> None:
    """Asserts that ``div`` holds exactly as recorded, on ``device``:

    1. its example satisfies its condition, and ``div`` is the record that applies there (not shadowed by an
       earlier one);
    2. torch behaves as documented on the example, and NumPy really differs there;
    3. on its counterexample (just outside the condition) no record applies and torch agrees with NumPy.

    A torch that now agrees with NumPy, or behaves in a third way, or a condition broader than the behaviour,
    fails the test: the catalogue no longer describes torch and must be updated."""
    if op is None:
        raise ValueError(f"divergence {div.id} has no catalogue op; pin it with a bespoke test")
    if div.devices and device_type(device) not in div.devices:
        raise ValueError(f"divergence {div.id} holds on {', '.join(div.devices)} only, not on {device}")
    sample = example_sample(div.example(dtype), "pinned example")
    elsewhere = None
    if not div.holds_for_torch():  # a record limited to other torch releases
        elsewhere = (f"is recorded for torch {div.torch_versions} only, but torch {torch.__version__} differs from "
                     "NumPy on its example too: widen its torch_versions")
    elif not div.shows_here():  # a behaviour of hardware this machine does not have
        from conformance import devices

        elsewhere = (f"is recorded for other hardware only, but torch differs from NumPy on its example on this "
                     f"machine ({devices.describe(device)}) too: its hardware condition (shows) is too narrow")
    if elsewhere is not None:
        # the record does not hold here: torch must agree with NumPy on its example
        try:
            forward(op, sample, device, dtype, divergences=False)
        except Mismatch as exc:
            raise Mismatch(f"divergence {div.id} {elsewhere}\n{exc.summary}", exc.details, exc.inputs,
                           exc.repro) from None
        return
    if div.applies is None or div.condition_mask(sample, dtype) is False:
        raise Mismatch(f"divergence {div.id}: its pinned example does not satisfy its own condition "
                       f"({div.condition})", inputs=describe_inputs(sample))
    first, _ = op.divergence_for(sample, dtype, device)
    if first is not div:
        raise Mismatch(f"divergence {div.id}: on its pinned example {first.id if first else 'no record'} applies "
                       f"first, so this record is never what the generic tests hold torch to there",
                       inputs=describe_inputs(sample))
    # 2a. torch behaves as documented (forward() checks it, with the divergence applied)
    forward(op, sample, device, dtype)
    # 2b. NumPy really differs: the strict comparison fails. A call the suite does not make (NotCalled: it would
    # end the process) is compared in the bespoke subprocess test that pins the crash.
    not_called = isinstance(div.raises, type) and issubclass(div.raises, NotCalled)
    if not not_called:
        try:
            forward(op, sample, device, dtype, divergences=False)
        except Mismatch:
            pass
        else:
            raise Mismatch(f"divergence {div.id} no longer holds on {device}, {dtype}: torch now agrees with NumPy "
                           f"({div.condition}); update the catalogue", inputs=describe_inputs(sample))
    # 3. the counterexample: outside the condition, torch agrees with NumPy
    if div.counterexample is None:
        raise Mismatch(f"divergence {div.id} has no counterexample: an input just outside its condition on which "
                       "torch agrees with NumPy, which shows that the condition is no broader than the behaviour")
    counter = example_sample(div.counterexample(dtype), "pinned counterexample")
    found, _ = op.divergence_for(counter, dtype, device)
    if found is not None:
        raise Mismatch(f"divergence {div.id}: its counterexample falls under {found.id}: a counterexample must be "
                       f"an input that no record covers", inputs=describe_inputs(counter))
    try:
        forward(op, counter, device, dtype, divergences=False)
    except Mismatch as exc:
        raise Mismatch(f"divergence {div.id}: torch differs from NumPy on the counterexample too, just outside the "
                       f"condition ({div.condition}): the record is narrower than the behaviour\n{exc.summary}",
                       exc.details, exc.inputs, exc.repro) from None


def _arrays(args, kwargs):
    for v in list(args) + list(kwargs.values()):
        if isinstance(v, np.ndarray):
            yield v
        elif isinstance(v, (tuple, list)):
            yield from (x for x in v if isinstance(x, np.ndarray))
