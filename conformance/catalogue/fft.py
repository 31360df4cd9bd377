"""torch.fft against numpy.fft: fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2, irfft2, rfftn, irfftn,
hfft, ihfft, fftshift, ifftshift (fftfreq and rfftfreq take no tensor: ``suite/test_fft.py``).

**Tolerance** (:func:`conformance.tolerance.fft`): a fast transform's error is bounded in the 2-norm by the number
of its radix-2 stages (Higham, Theorem 24.2) times ``u`` of the precision torch computes in, relative to the
2-norm of the result, which the input's norm over the transformed dims bounds (times ``sqrt N`` and the ``norm``
scale): every element of a slice gets that absolute bound. The input's non-finite elements are left out of the
norm. The slices whose transform uses a NaN or an infinity of the signal
(found by transforming an indicator of NaNs: NaN reaches the outputs a used input has a nonzero weight in) are
``free``, every element of them: the exact result is infinite or undefined there (an infinity times a weight of
exactly 0, ``cos(3 pi / 2)``, included), and the pattern of NaNs and infinities an FFT makes of it depends on the
order of its operations (an ``inf * 0`` twiddle product here, an ``inf - inf`` butterfly there, a product an
algorithm skips because its weight is 0): neither library specifies it. The sign of
a zero result is not compared either (``signed_zero=False``): it depends on the order of the additions.

**Dtypes.** Integer and bool signals are transformed in float32 by torch (complex64 / float32 results), in
float64 by NumPy (divergences ``<op>-integer-input-float32``); float16, bfloat16 and the float8 formats have no
CPU kernel (found as ``unsupported``); real signals of the real-input transforms must be real in both (a complex
one is refused by both). ``fftshift`` / ``ifftshift`` move elements: exact, every dtype.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from conformance import devices
from conformance import dtypes as D
from conformance import oracle
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import fft as R
from conformance.strategies import fft as S
from conformance.strategies.layouts import strides as layout_strides

F = "fft"
DOC = "https://pytorch.org/docs/stable/generated/torch.fft.{}.html"
SOURCE = "https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/SpectralOps.cpp"


@dataclasses.dataclass(frozen=True)
class Transform:
    """What the tolerance needs to know of a transform: its argument names and defaults after the signal,
    whether it is an inverse (its ``norm`` default divides by N), real-to-complex (``half``: its result is the
    half spectrum) or complex-to-real (``real`` without ``half``)."""
    names: tuple
    defaults: tuple
    inverse: bool = False
    real: bool = False
    half: bool = False
    ndim: str = "one"   # one | two | n


ONE = (("n", "dim", "norm"), (None, -1, None))
TWO = (("s", "dim", "norm"), (None, (-2, -1), None))
N_DIM = (("s", "dim", "norm"), (None, None, None))


def argument(sample, names, defaults, name):
    """The value of argument ``name`` of a call (positional after the signal, or keyword), else its default."""
    i = names.index(name)
    if name in sample.kwargs:
        return sample.kwargs[name]
    rest = sample.args[1:]
    return rest[i] if i < len(rest) else defaults[i]


def transformed_axes(t: Transform, sample, ndim: int) -> list[int]:
    """The dims a call transforms, as non-negative indices (in the order given: the last is the halved one)."""
    dim = argument(sample, t.names, t.defaults, "dim")
    if t.ndim == "one":
        return [int(dim) % ndim] if ndim else []
    if dim is None:
        s = argument(sample, t.names, t.defaults, "s")
        count = ndim if s is None else len(s)
        return list(range(ndim - count, ndim))
    found = []
    for d in dim:
        if int(d) % ndim not in found:
            found.append(int(d) % ndim)
    return found


def slice_norm(mag, axes):
    """``(mantissa, exponent)`` of the 2-norm over ``axes`` (kept as size-1 dims) of the magnitudes ``mag``, each
    slice scaled by a power of two near its largest element, so that neither the squares nor the norm of float64
    values near the largest one overflow."""
    top = np.max(mag, axis=axes, keepdims=True, initial=0.0) if axes else mag
    _, k = np.frexp(top)
    if not axes:
        return np.ldexp(mag, -k), k
    scaled = np.ldexp(mag, -k)
    return np.sqrt(np.sum(scaled * scaled, axis=axes, keepdims=True)), k


def _nonfinite(a):
    if np.iscomplexobj(a):
        return ~(np.isfinite(a.real) & np.isfinite(a.imag))
    return ~np.isfinite(a)


def _scale(t: Transform, norm, count: float) -> float:
    """The factor the ``norm`` mode applies to the unnormalized transform."""
    mode = norm or "backward"
    if mode == "ortho":
        return 1.0 / math.sqrt(count)
    divides = (mode == "backward") == t.inverse
    return 1.0 / count if divides else 1.0


def fft_tol(t: Transform, ref, model=None, modelled=None):
    """The ``tol_fn`` of a transform (see the module docstring); ``model`` replaces ``ref`` where ``modelled``
    holds (a divergence whose torch_ref gives another shape than NumPy's)."""
    plain = ref

    def tol_fn(sample, dtype):
        ref = model if modelled is not None and modelled(sample, dtype) else plain
        x = sample.arrays[0]
        name = D.name_of(x.dtype)
        rest = sample.args[1:]
        wide = np.complex128 if x.dtype.kind == "c" else np.float64
        signal = x.astype(wide)
        finite = np.isfinite(signal)
        every = bool(finite.all())
        try:
            with np.errstate(all="ignore"):  # the shape of NumPy's result (NaN where a non-finite input reaches)
                reach = np.asarray(ref(np.where(finite, 0, np.nan).astype(wide), *rest, **sample.kwargs))
        except Exception:  # noqa: BLE001 - NumPy refuses the call: nothing to bound
            return None
        axes = transformed_axes(t, sample, x.ndim) if x.ndim and reach.ndim else []
        mag = np.abs(np.where(finite, signal, 0))
        with np.errstate(all="ignore"):
            norm, k = slice_norm(mag, tuple(axes))
        lengths = [reach.shape[a] for a in axes]
        if t.half and lengths:
            lengths[-1] = 2 * lengths[-1] - 1  # the signal's length is 2m - 2 or 2m - 1: the larger bounds both
        count = float(np.prod(lengths)) if lengths else 1.0
        precision = "float64" if D.real_of(name) == "float64" else "float32"
        complex_result = t.half or not t.real
        result = {"float64": "complex128", "float32": "complex64"}[precision] if complex_result else precision
        tol = T.fft(result, norm, lengths, exponent=k, real=t.real, hermitian=t.real and not t.half,
                    scale=_scale(t, argument(sample, t.names, t.defaults, "norm"), max(count, 1.0)),
                    input_rounding=not D.is_inexact(name))
        if not every:
            used = np.isnan(reach)  # NaN reaches every output a used non-finite input has a nonzero weight in
            if axes:
                used = np.broadcast_to(np.any(used, axis=tuple(axes), keepdims=True), reach.shape)
            tol = dataclasses.replace(tol, free=used)
        return tol
    return tol_fn


# ---- divergences ---------------------------------------------------------------------------------------------

def _signal(sample):
    return sample.arrays[0]


def _integer_input(op: str, real_signal: bool, complex_result: bool) -> Divergence:
    want = "complex64" if complex_result else "float32"
    return Divergence(
        id=f"{op}-integer-input-float32", op=op,
        condition="an integer or bool signal",
        torch_behaviour=f"the signal is converted to the default dtype, float32, and transformed in it: a {want} "
                        f"result (torch.fft.{op}(torch.tensor([1, 2, 3, 4])).dtype is torch.{want})",
        numpy_behaviour=f"the signal is converted to float64: a {want.replace('64', '128').replace('32', '64')} "
                        "result",
        reference=f"{SOURCE} (promote_type_fft: an integral type takes the default dtype) ; {DOC.format(op)}",
        kind="intended",
        applies=lambda sample, dtype: not D.is_inexact(D.name_of(_signal(sample).dtype)),
        expected_dtype=lambda sample, np_dtype: want,
        example=lambda dtype: ((np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], dtype=dtype),), {}),
        counterexample=lambda dtype: ((np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], dtype=np.float32),), {}),
        dtypes=("int32",))


def _numpy_result_empty(ref):
    def applies(sample, dtype):
        x = _signal(sample)
        if x.size != 0:
            return False
        args, kwargs = sample.numpy_inputs(oracle.widen)
        try:
            with np.errstate(all="ignore"):
                y = np.asarray(ref(*args, **kwargs))
        except Exception:  # noqa: BLE001
            return False
        return y.size == 0 and y.ndim > 0
    return applies


def _empty_batch(op: str, ref, real_signal: bool, ndim: str) -> Divergence:
    dtype0 = np.float32 if real_signal else np.complex64
    shape, kwargs = {"one": ((0, 8), {}), "two": ((0, 4, 8), {}), "n": ((0, 8), {"dim": (1,)})}[ndim]
    return Divergence(
        id=f"{op}-empty-batch-mkl-error", op=op,
        condition="a signal with a size-0 dim that is not transformed (NumPy's result is empty), on CPU (MKL)",
        torch_behaviour=f"raises RuntimeError ('MKL FFT error: Intel oneMKL DFTI ERROR: Inconsistent configuration "
                        f"parameters'): torch.fft.{op}(torch.zeros(0, 8)); a size-0 dim given a length n is "
                        "padded and transformed",
        numpy_behaviour="returns an empty result of the transform's shape",
        reference="https://github.com/pytorch/pytorch/issues/174984 (open; fixes proposed in "
                  "https://github.com/pytorch/pytorch/pull/175245 and https://github.com/pytorch/pytorch/pull/187661)",
        kind="bug", root_cause="fft-mkl-empty-batch",
        applies=_numpy_result_empty(ref), raises=RuntimeError,
        example=lambda dtype: ((np.zeros(shape, dtype=dtype),), dict(kwargs)),
        counterexample=lambda dtype: ((np.zeros((1,) + shape[1:], dtype=dtype),), dict(kwargs)),
        dtypes=(np.dtype(dtype0).name,), devices=("cpu",))


def _repeated_dims(op: str) -> Divergence:
    def applies(sample, dtype):
        dim = argument(sample, *N_DIM, "dim")
        x = _signal(sample)
        if dim is None or x.ndim == 0:
            return False
        normalized = [int(d) % x.ndim for d in dim if -x.ndim <= int(d) < x.ndim]
        return len(normalized) == len(dim) and len(set(normalized)) < len(normalized)
    return Divergence(
        id=f"{op}-repeated-dims", op=op,
        condition="dim names the same dim twice (as 0 and -ndim, say)",
        torch_behaviour=f"raises RuntimeError ('FFT dims must be unique'): torch.fft.{op}(x, dim=(0, -2)) for a "
                        "2-dim x",
        numpy_behaviour="transforms that axis once per mention: np.fft.fftn(a, axes=(0, -2)) is "
                        "fft(fft(a, axis=0), axis=0)",
        reference=f"{SOURCE} (canonicalize_fft_shape_and_dim_args: 'FFT dims must be unique') ; {DOC.format(op)}",
        kind="intended", applies=applies, raises=RuntimeError,
        example=lambda dtype: ((np.ones((3, 4), dtype=dtype),), {"dim": (0, -2)}),
        counterexample=lambda dtype: ((np.ones((3, 4), dtype=dtype),), {"dim": (0, -1)}),
        dtypes=("complex64",))


def _no_dims(op: str, names_defaults=N_DIM) -> Divergence:
    def applies(sample, dtype):
        x = _signal(sample)
        dim, s = argument(sample, *names_defaults, "dim"), argument(sample, *names_defaults, "s")
        if dim is not None:
            return len(dim) == 0
        return (len(s) == 0) if s is not None else x.ndim == 0

    def complex_of(sample, np_dtype):
        name = D.name_of(_signal(sample).dtype)
        return "complex128" if D.real_of(name) == "float64" else "complex64"
    return Divergence(
        id=f"{op}-no-dims-complex", op=op,
        condition="no dim to transform (dim=() or s=(), or a 0-dim signal with neither)",
        torch_behaviour=f"returns the signal converted to complex (torch.fft.{op}(torch.tensor([1., 2.]), dim=()) is "
                        "tensor([1.+0.j, 2.+0.j]); integer signals give complex64)",
        numpy_behaviour="returns the signal unchanged, in its own dtype",
        reference=f"{DOC.format(op)} (the result of {op} is complex)", kind="intended",
        applies=applies, expected_dtype=complex_of,
        example=lambda dtype: ((np.array([1.0, 2.0], dtype=dtype),), {"dim": ()}),
        counterexample=lambda dtype: ((np.array([1.0, 2.0], dtype=dtype),), {"dim": (0,)}),
        dtypes=("float32",))


def minus_one_last(names_defaults):
    """Whether a call's ``s`` ends in -1 (irfft2 / irfftn: divergence ``<op>-s-minus-one-last-dim``)."""
    def applies(sample, dtype):
        s = argument(sample, *names_defaults, "s")
        return s is not None and len(s) > 0 and s[-1] == -1
    return applies


def _minus_one_last(op: str, names_defaults) -> Divergence:
    applies = minus_one_last(names_defaults)

    def example(dtype):
        return (np.ones((2, 5), dtype=dtype),), {"s": (2, -1)}

    def counterexample(dtype):
        return (np.ones((2, 5), dtype=dtype),), {"s": (-1, 8)}
    return Divergence(
        id=f"{op}-s-minus-one-last-dim", op=op,
        condition="s with -1 for the last (halved) transformed dim",
        torch_behaviour=f"-1 means the default output length of that dim, 2 * (m - 1) for m input points: "
                        f"torch.fft.{op}(torch.ones(2, 5), s=(2, -1)) has shape (2, 8)",
        numpy_behaviour="-1 means the input's own length m: np.fft.irfftn(np.ones((2, 5)), s=(2, -1)) has shape "
                        "(2, 5)",
        reference=f"{DOC.format(op)} ('Defaults to even output in the last dimension: s[-1] = 2*(input.size(dim[-1])"
                  " - 1)'; 'If a length -1 is specified, no padding is done in that dimension') ; "
                  "https://numpy.org/doc/stable/reference/generated/numpy.fft.irfftn.html",
        kind="intended", applies=applies,
        torch_ref=R.irfft2_default_last if op == "irfft2" else R.irfftn_default_last,
        example=example, counterexample=counterexample, dtypes=("complex64",))


# ---- entries -------------------------------------------------------------------------------------------------

#: name -> (transform, reference, strategy)
TRANSFORMS = {
    "fft": (Transform(*ONE), R.fft, S.fft_inputs),
    "ifft": (Transform(*ONE, inverse=True), R.ifft, S.fft_inputs),
    "rfft": (Transform(*ONE, real=True, half=True), R.rfft, S.fft_inputs),
    "irfft": (Transform(*ONE, inverse=True, real=True), R.irfft, S.hermitian_inputs),
    "hfft": (Transform(*ONE, real=True), R.hfft, S.hermitian_inputs),
    "ihfft": (Transform(*ONE, inverse=True, real=True, half=True), R.ihfft, S.fft_inputs),
    "fft2": (Transform(*TWO, ndim="two"), R.fft2, S.fft2_inputs),
    "ifft2": (Transform(*TWO, inverse=True, ndim="two"), R.ifft2, S.fft2_inputs),
    "rfft2": (Transform(*TWO, real=True, half=True, ndim="two"), R.rfft2, S.fft2_inputs),
    "irfft2": (Transform(*TWO, inverse=True, real=True, ndim="two"), R.irfft2, S.irfft2_inputs),
    "fftn": (Transform(*N_DIM, ndim="n"), R.fftn, S.fftn_inputs),
    "ifftn": (Transform(*N_DIM, inverse=True, ndim="n"), R.ifftn, S.fftn_inputs),
    "rfftn": (Transform(*N_DIM, real=True, half=True, ndim="n"), R.rfftn, S.rfftn_inputs),
    "irfftn": (Transform(*N_DIM, inverse=True, real=True, ndim="n"), R.irfftn, S.irfftn_inputs),
}


def _gapped_rows(shape, strides) -> bool:
    """A layout whose last dim (longer than 1) has the smallest stride, greater than 1: rows with gaps between
    their elements (the suite's 'strided' layout; a transposed one has its largest stride there)."""
    moving = [st for side, st in zip(shape, strides) if side > 1]
    return len(shape) >= 2 and shape[-1] > 1 and strides[-1] > 1 and strides[-1] == min(moving)


def mkl_intel_path() -> bool:
    """Whether MKL takes its Intel code paths on this CPU (vendor GenuineIntel, from /proc/cpuinfo): the
    gapped-rows heap corruption was found there; on an AMD CPU (AuthenticAMD, AVX-512) the same calls run
    cleanly under glibc's heap checks and agree with NumPy."""
    return devices.cpu_features()[0] == "GenuineIntel"


def _c2c_guard(args, kwargs):
    """The guard of fft2, ifft2, fftn and ifftn (OpEntry.guard): a complex CPU input of gapped rows, which the
    multi-dim complex-to-complex transform corrupts the heap on (divergence <op>-gapped-rows-corrupts-heap), on
    the hardware that shows it (:func:`mkl_intel_path`)."""
    import torch

    x = args[0] if args else kwargs.get("input")
    if not isinstance(x, torch.Tensor) or x.device.type != "cpu" or not x.is_complex() or x.numel() == 0 or \
            not mkl_intel_path():
        return None
    if _gapped_rows(tuple(x.shape), x.stride()):
        return ("a multi-dim complex FFT of a CPU tensor whose rows have gaps corrupts the heap: not called "
                "(divergence gapped-rows-corrupts-heap)")
    return None


def _gapped_rows_record(op: str) -> Divergence:
    def applies(sample, dtype):
        x = sample.arrays[0] if sample.arrays else None
        if x is None or x.dtype.kind != "c" or x.size == 0 or sample.args[0] is not x:
            return False
        return _gapped_rows(x.shape, layout_strides(x.shape, sample.layouts[0]))

    def example(dtype, layout="strided"):
        x = (np.arange(2 * 600) % 7 - 3).astype(np.complex64).reshape(2, 600)
        return (x,), {}, [layout]

    return Divergence(
        id=f"{op}-gapped-rows-corrupts-heap", op=op,
        condition="a complex input on an Intel CPU (MKL's Intel code paths; an AMD one does not show it) whose "
                  "last dim has the smallest stride, above 1 (rows with gaps: the 'strided' layout)",
        torch_behaviour="with one intra-op thread (as the suite runs, one per worker) the transform writes outside "
                        "its buffers: torch.set_num_threads(1); torch.fft.fft2(torch.zeros(2, 1200, dtype="
                        "torch.complex64)[:, ::2]) aborts with 'malloc(): invalid size (unsorted)' or later "
                        "segfaults (rows of 256 or more elements show it at once under MALLOC_CHECK_=3; fft / ifft, "
                        "a transposed or contiguous input and real inputs do not). The suite does not make the call "
                        "(its guard raises FloatingPointError), and a bespoke test runs it in a subprocess",
        numpy_behaviour=f"np.fft.{op} computes the transform of any strides",
        reference="no upstream issue found (torch 2.13.0 CPU, MKL: at::native _fft_c2c_mkl)", kind="bug",
        applies=applies, raises=FloatingPointError, root_cause="fft-c2c-gapped-rows", shows=mkl_intel_path,
        example=example, counterexample=lambda dtype: example(dtype, "contiguous"), dtypes=("complex64",),
        devices=("cpu",))


def _divergences(name: str, t: Transform, ref) -> tuple:
    found = [_gapped_rows_record(name)] if name in ("fft2", "ifft2", "fftn", "ifftn") else []
    if name in ("fftn", "ifftn"):
        found += [_no_dims(name), _repeated_dims(name)]
    if name in ("fft2", "ifft2"):
        found += [_no_dims(name, TWO)]
    found.append(_empty_batch(name, ref, t.half, t.ndim))
    if name in ("irfft2", "irfftn"):
        found.append(_minus_one_last(name, TWO if name == "irfft2" else N_DIM))
    found.append(_integer_input(name, t.half, t.half or not t.real))
    return tuple(found)


def _transform_entry(name: str) -> OpEntry:
    t, ref, inputs = TRANSFORMS[name]
    tol_fn = fft_tol(t, ref)
    if name in ("irfft2", "irfftn"):
        two = name == "irfft2"
        tol_fn = fft_tol(t, ref, R.irfft2_default_last if two else R.irfftn_default_last,
                         minus_one_last(TWO if two else N_DIM))
    return OpEntry(name, F, f"torch.fft.{name}", ref, inputs, tol_fn=tol_fn, signed_zero=False,
                   divergences=_divergences(name, t, ref), grad=True,
                   guard=_c2c_guard if name in ("fft2", "ifft2", "fftn", "ifftn") else None)


def _shift_no_dims(op: str) -> Divergence:
    def applies(sample, dtype):
        dim = argument(sample, ("dim",), (None,), "dim")
        return isinstance(dim, (tuple, list)) and len(dim) == 0
    return Divergence(
        id=f"{op}-empty-dim-raises", op=op,
        condition="dim=() (no dim to rearrange)",
        torch_behaviour=f"raises RuntimeError ('`shifts` required'): torch.fft.{op}(torch.arange(4.), dim=())",
        numpy_behaviour="returns the input unchanged (no axis is shifted)",
        reference=f"{DOC.format(op)} ('Only dimensions specified here will be rearranged, any other dimensions will "
                  "be left in their original order'); no issue found in the tracker",
        kind="bug", root_cause="fftshift-empty-dim",
        applies=applies, raises=RuntimeError,
        example=lambda dtype: ((np.arange(4).astype(dtype),), {"dim": ()}),
        counterexample=lambda dtype: ((np.arange(4).astype(dtype),), {"dim": (0,)}),
        dtypes=("float32",))


ENTRIES = [_transform_entry(name) for name in TRANSFORMS] + [
    OpEntry("fftshift", F, "torch.fft.fftshift", R.fftshift, S.shift_inputs, grad=True,
            divergences=(_shift_no_dims("fftshift"),)),
    OpEntry("ifftshift", F, "torch.fft.ifftshift", R.ifftshift, S.shift_inputs, grad=True,
            divergences=(_shift_no_dims("ifftshift"),)),
]


# ---- fftfreq and rfftfreq (no tensor input: pinned by suite/test_fft.py) ---------------------------------------

DIVERGENCES = [
    Divergence(
        id="fftfreq-default-float-dtype", op="fftfreq", family=F,
        condition="fftfreq / rfftfreq without dtype=",
        torch_behaviour="the result has the default dtype, float32 (torch.fft.fftfreq(8).dtype is torch.float32)",
        numpy_behaviour="float64", kind="intended",
        reference=f"{DOC.format('fftfreq')} ('dtype: the desired data type of returned tensor. Default: if None, "
                  "uses a global default') ; https://pytorch.org/docs/stable/generated/torch.set_default_dtype.html"),
    Divergence(
        id="fftfreq-zero-length-or-spacing", op="fftfreq", family=F,
        condition="fftfreq / rfftfreq with n = 0 or d = 0 (the factor 1 / (n d) divides by zero)",
        torch_behaviour="computes with IEEE division: torch.fft.fftfreq(0) is an empty tensor, "
                        "torch.fft.fftfreq(5, 0.0) is [nan, inf, inf, -inf, -inf], torch.fft.rfftfreq(0) is [nan]",
        numpy_behaviour="raises ZeroDivisionError (float division by zero)", kind="unspecified",
        reference="https://numpy.org/doc/stable/reference/generated/numpy.fft.fftfreq.html ; "
                  "https://github.com/numpy/numpy/pull/27717 (NumPy's own discussion of n = 0)"),
    Divergence(
        id="rfftfreq-negative-length", op="rfftfreq", family=F,
        condition="rfftfreq with n = -1 or n <= -4 (a negative signal length)",
        torch_behaviour="the length n / 2 + 1 is computed with C++'s truncating division and not checked: "
                        "torch.fft.rfftfreq(-1) is tensor([-0.]) (one point), torch.fft.rfftfreq(-4) raises "
                        "RuntimeError (negative dimension -1); n = -2 and -3 give empty tensors",
        numpy_behaviour="an empty array for every negative n (Python's floor division gives n // 2 + 1 <= 0 points)",
        kind="bug", reference="no issue found in the tracker"),
]
