"""Runs a catalogue op on one sample and judges it: the body of every generic test.

:func:`forward` — torch result vs NumPy reference (or vs the documented torch behaviour where a known
divergence applies), exceptions included: if NumPy raises, torch must raise, and the other way round.
:func:`variants` — the function, the Tensor method and the in-place method agree.
:func:`pinned_divergence` — a known divergence still holds, exactly as recorded.
Failures raise :class:`Mismatch`, which carries the inputs and a standalone reproduction snippet.
"""
from __future__ import annotations

import warnings

import numpy as np
import torch

from conformance import compare as _compare
from conformance import dtypes, repro
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.strategies.cases import Sample


class Mismatch(AssertionError):
    """A conformance failure: ``summary`` (one line), ``details``, ``inputs`` and ``repro`` (snippet)."""

    def __init__(self, summary: str, details: str = "", inputs: str = "", repro: str = ""):
        self.summary, self.details, self.inputs, self.repro = summary, details, inputs, repro
        parts = [summary]
        if details:
            parts.append(details)
        if inputs:
            parts.append("inputs:\n" + inputs)
        if repro:
            parts.append("standalone reproduction (torch + numpy only):\n" + repro)
        super().__init__("\n".join(parts))


def describe_inputs(sample: Sample) -> str:
    lines = []
    for i, (a, lay) in enumerate(zip(sample.arrays, sample.layouts)):
        vals = np.array2string(a.astype(np.float32) if dtypes.name_of(a.dtype) == "bfloat16" else a,
                               threshold=40, edgeitems=3, separator=", ")
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


def _upcast(a: np.ndarray) -> np.ndarray:
    name = dtypes.name_of(a.dtype)
    if dtypes.is_complex(name):
        return a.astype(np.complex128)
    if dtypes.is_floating(name):
        return a.astype(np.float64)
    return a.copy()


def _bf16_as_f16(a: np.ndarray) -> np.ndarray:
    return a.astype(np.float16) if a.dtype == dtypes.NUMPY["bfloat16"] else a.copy()


def _result_dtype(probe, had_bf16: bool, had_f16: bool = False):
    if isinstance(probe, (tuple, list)):
        return type(probe)(_result_dtype(p, had_bf16, had_f16) for p in probe)
    if isinstance(probe, (np.ndarray, np.generic)):
        dt = np.asarray(probe).dtype
        if had_bf16 and dt == np.float16:
            # bfloat16 took float16's place; next to a real float16 operand the result must hold both: float32
            return np.dtype(np.float32) if had_f16 else dtypes.NUMPY["bfloat16"]
        return dt
    return None


def _cast(values, want):
    if isinstance(values, (tuple, list)):
        return type(values)(_cast(v, w) for v, w in zip(values, want))
    if want is None:
        return values
    return np.asarray(values).astype(want)


def reference(op: OpEntry, sample: Sample, ref=None, native: bool = False):
    """NumPy's answer for ``sample``: values computed in float64/complex128 (if ``op.upcast``) and rounded to
    the dtype NumPy itself gives for the inputs' dtypes. bfloat16 inputs take float16's place when that dtype
    is worked out (torch promotes bfloat16 as NumPy promotes float16), and the result is bfloat16.
    ``native``: ``ref`` gets the inputs in their own dtypes (bfloat16 too) and its result is taken as it is."""
    ref = ref or op.ref
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if native:
            args, kwargs = sample.numpy_inputs()
            return ref(*args, **kwargs)
        had_bf16 = any(a.dtype == dtypes.NUMPY["bfloat16"] for a in sample.arrays)
        inexact = any(dtypes.is_inexact(dtypes.name_of(a.dtype)) for a in sample.arrays)
        args, kwargs = sample.numpy_inputs(_bf16_as_f16 if had_bf16 else None)
        probe = ref(*args, **kwargs)
        if not (op.upcast and inexact):
            return _cast(probe, _result_dtype(probe, False)) if had_bf16 else probe
        want = _result_dtype(probe, had_bf16, any(a.dtype == np.float16 for a in sample.arrays))
        args, kwargs = sample.numpy_inputs(_upcast)
        return _cast(ref(*args, **kwargs), want)


def _dtype_name(expected) -> str | None:
    if isinstance(expected, (tuple, list)):
        return None
    try:
        return dtypes.name_of(np.asarray(expected).dtype)
    except KeyError:
        return None


def _tensors(obj):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for o in obj:
            yield from _tensors(o)


def _fail(op, sample, device, dtype, summary, problem, details="", ref=None, expected_dtype=None,
          method=None, actual=None, upcast=None):
    title = f"torch {op.name} vs NumPy on {device}, {dtype} (fill: {sample.fill}): {summary}"
    snippet = repro.snippet(title=title, sample=sample, device=device, torch_fn=op.torch, ref=ref or op.ref,
                            upcast=op.upcast if upcast is None else upcast, expected_dtype=expected_dtype,
                            problem=problem, method=method,
                            tensor_result=isinstance(actual, (torch.Tensor, tuple, list)) or actual is None)
    raise Mismatch(f"{op.name} [{device}, {dtype}]: {summary}", details, describe_inputs(sample), snippet)


def forward(op: OpEntry, sample: Sample, device: str, dtype: str) -> Divergence | None:
    """Checks one sample; returns the divergence that applied to it, if any."""
    div = op.divergence_for(sample, dtype)
    ref = div.torch_ref if div and div.torch_ref else op.ref
    args, kwargs, _ = sample.torch_inputs(device)
    try:
        actual, t_exc = op.call(args, kwargs), None
    except Exception as exc:  # noqa: BLE001 - any exception is a behaviour to compare
        actual, t_exc = None, exc
    if div and div.raises:
        if not isinstance(t_exc, div.raises):
            got = f"raised {type(t_exc).__name__}: {t_exc}" if t_exc else "returned a result"
            _fail(op, sample, device, dtype, f"known divergence {div.id} no longer holds: torch {got}, "
                  f"documented to raise {getattr(div.raises, '__name__', div.raises)}", "torch-raised",
                  f"condition: {div.condition}")
        return div
    try:
        expected, n_exc = reference(op, sample, ref, native=bool(div and div.native and div.torch_ref)), None
    except Exception as exc:  # noqa: BLE001
        expected, n_exc = None, exc
    if n_exc is not None and t_exc is not None:
        return div
    if n_exc is not None:
        _fail(op, sample, device, dtype, f"NumPy raised {type(n_exc).__name__} ({n_exc}); torch did not",
              "numpy-raised", ref=ref)
    if t_exc is not None:
        _fail(op, sample, device, dtype, f"torch raised {type(t_exc).__name__}: {str(t_exc).splitlines()[0]}",
              "torch-raised", ref=ref)
    if div and div.expected_dtype is not None:
        expected = np.asarray(expected).astype(div.expected_dtype(sample, np.asarray(expected).dtype))
    for t in _tensors(actual):
        if t.device != torch.device(device):
            _fail(op, sample, device, dtype, f"result is on {t.device}, inputs on {device}", "torch-raised")
    signed_zero = op.signed_zero and not (div and div.relax_signed_zero)
    tol = op.tolerance(sample, dtype)
    if div is not None and div.accept_nonfinite is not None:
        tol = _accepting_nonfinite(tol, expected, div.accept_nonfinite(sample, dtype))
    diff = _compare.compare(actual, expected, tol=tol, signed_zero=signed_zero)
    if diff is not None:
        note = f" (under known divergence {div.id})" if div else ""
        _fail(op, sample, device, dtype, diff.summary + note, diff, "\n".join(diff.details), ref=ref,
              expected_dtype=_dtype_name(expected) if not diff.path else None, actual=actual,
              upcast=False if div and div.native and div.torch_ref else None)
    return div


def _accepting_nonfinite(tol, expected, mask):
    """``tol`` with ``mask`` (where torch may give a non-finite value instead) added for the result's dtype."""
    name = _dtype_name(expected)
    if name is None or not dtypes.is_inexact(name):
        return tol
    spec = _compare.tolerance(name, tol)
    mask = np.asarray(mask, dtype=bool)
    if len(spec) > 2 and spec[2] is not None:
        mask = mask | np.asarray(spec[2], dtype=bool)
    return {**(tol or {}), name: (spec[0], spec[1], mask)}


def variants(op: OpEntry, sample: Sample, device: str, dtype: str) -> None:
    """The Tensor method and the in-place method agree with the function, bit for bit.

    In-place follows NumPy's ``out=`` casting rule: it must succeed exactly when the function's result dtype
    casts to the input's dtype under ``same_kind``, leave that value in the input, keep its strides, and
    return the input itself."""
    args, kwargs, _ = sample.torch_inputs(device)
    try:
        want, f_exc = op.call(args, kwargs), None
    except Exception as exc:  # noqa: BLE001
        want, f_exc = None, exc
    if op.method:
        args, kwargs, _ = sample.torch_inputs(device)
        try:
            got, m_exc = op.call_method(args, kwargs), None
        except Exception as exc:  # noqa: BLE001
            got, m_exc = None, exc
        _agree(op, sample, device, dtype, "method", f_exc, m_exc, want, got, op.method)
    if op.inplace:
        args, kwargs, _ = sample.torch_inputs(device)
        self_t = args[0]
        strides = self_t.stride()
        try:
            got, i_exc = op.call_method(args, kwargs, inplace=True), None
        except Exception as exc:  # noqa: BLE001
            got, i_exc = None, exc
        if f_exc is None:
            src = dtypes.NUMPY[dtypes.name_of(want.dtype)]
            dst = dtypes.NUMPY[dtypes.name_of(self_t.dtype)]
            # NumPy's same_kind rule, except that (as torch documents for outputs: only a category change is
            # refused) any integer result may be written into an integer tensor, signed into unsigned included
            castable = (tuple(want.shape) == tuple(self_t.shape) and
                        (src == dst or np.can_cast(_f16(src), _f16(dst), casting="same_kind") or
                         (src.kind in "iu" and dst.kind in "iu")))
            if castable:
                want = want.to(self_t.dtype)
            else:
                f_exc = RuntimeError(f"result {dtypes.name_of(want.dtype)}{tuple(want.shape)} cannot be written "
                                     f"to a {dtypes.name_of(self_t.dtype)}{tuple(self_t.shape)} input")
        _agree(op, sample, device, dtype, "in-place", f_exc, i_exc, want, got, op.inplace)
        if i_exc is None:
            if got is not self_t:
                _fail(op, sample, device, dtype, f"in-place {op.inplace} did not return its input", "torch-raised")
            if self_t.stride() != strides:
                _fail(op, sample, device, dtype, f"in-place {op.inplace} changed the strides {strides} -> "
                      f"{self_t.stride()}", "torch-raised")


def _f16(dt):
    return np.dtype(np.float16) if dt == dtypes.NUMPY["bfloat16"] else dt


def _agree(op, sample, device, dtype, what, f_exc, v_exc, want, got, name):
    if (f_exc is None) != (v_exc is None):
        fn = f"raised {type(f_exc).__name__}: {f_exc}" if f_exc else "succeeded"
        var = f"raised {type(v_exc).__name__}: {v_exc}" if v_exc else "succeeded"
        _fail(op, sample, device, dtype, f"{what} variant {name} disagrees with the function: the function "
              f"{fn}; the {what} variant {var}", "torch-raised", method=name)
    if f_exc is None:
        # The op's own tolerance: a variant on another layout may accumulate in another order (index_add_ on a
        # transposed float16 input), which the op's derived rounding bound covers and bitwise equality does not.
        diff = _compare.compare(got, _host(want), tol=op.tolerance(sample, dtype), signed_zero=op.signed_zero)
        if diff is not None and not _same_bits(got, want):
            raise Mismatch(f"{op.name} [{device}, {dtype}]: {what} variant {name} differs from the function: "
                           f"{diff.summary}", "\n".join(diff.details), describe_inputs(sample))


def _host(want):
    """A torch result as NumPy (tensors inside tuples too, bfloat16 included), to compare a variant with."""
    if isinstance(want, torch.Tensor):
        return dtypes.to_numpy(want)
    if isinstance(want, (tuple, list)):
        return tuple(_host(w) for w in want)
    return want


def _same_bits(a, b) -> bool:
    return isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.dtype == b.dtype and \
        a.shape == b.shape and torch.equal(torch.nan_to_num(a.cpu(), 0.0), torch.nan_to_num(b.cpu(), 0.0)) and \
        torch.equal(a.cpu().isnan(), b.cpu().isnan())


def pinned_divergence(div: Divergence, op: OpEntry | None, device: str, dtype: str) -> None:
    """Asserts that ``div`` still holds on its recorded example: torch behaves as documented, and NumPy differs.

    A torch that now agrees with NumPy, or that behaves in a third way, fails the test: either way the
    catalogue no longer describes torch and must be updated."""
    args_np, kwargs_np = div.example(dtype)
    sample = Sample(args=tuple(args_np), kwargs=dict(kwargs_np),
                    arrays=[a for a in _arrays(args_np, kwargs_np)],
                    layouts=["contiguous"] * len(list(_arrays(args_np, kwargs_np))), fill="pinned example")
    if op is None:
        raise ValueError(f"divergence {div.id} has no catalogue op; pin it with a bespoke test")
    applies = div.applies is None or div.applies(sample, dtype)
    if not applies:
        raise Mismatch(f"divergence {div.id}: its pinned example does not satisfy its own condition "
                       f"({div.condition})")
    # 1. torch behaves as documented (forward() already checks this, with the divergence applied)
    forward(op, sample, device, dtype)
    # 2. NumPy really differs from the documented torch behaviour on this example
    try:
        numpy_expected, n_exc = reference(op, sample), None
    except Exception as exc:  # noqa: BLE001
        numpy_expected, n_exc = None, exc
    args, kwargs, _ = sample.torch_inputs(device)
    try:
        actual, t_exc = op.call(args, kwargs), None
    except Exception as exc:  # noqa: BLE001
        actual, t_exc = None, exc
    if n_exc is not None or t_exc is not None:
        if (n_exc is None) == (t_exc is None):
            raise Mismatch(f"divergence {div.id} no longer holds on {device}, {dtype}: torch and NumPy both raise")
        return
    if div.expected_dtype is not None:
        if dtypes.name_of(actual.dtype) == str(np.asarray(numpy_expected).dtype):  # NumPy's may be uint64
            raise Mismatch(f"divergence {div.id} no longer holds on {device}, {dtype}: torch now gives NumPy's "
                           f"dtype {dtypes.name_of(actual.dtype)}")
        return
    if _compare.compare(actual, numpy_expected, tol=op.tolerance(sample, dtype), signed_zero=op.signed_zero) is None:
        raise Mismatch(f"divergence {div.id} no longer holds on {device}, {dtype}: torch now agrees with NumPy "
                       f"({div.condition}); update the catalogue", inputs=describe_inputs(sample))


def _arrays(args, kwargs):
    for v in list(args) + list(kwargs.values()):
        if isinstance(v, np.ndarray):
            yield v
        elif isinstance(v, (tuple, list)):
            yield from (x for x in v if isinstance(x, np.ndarray))
