"""NumPy's answer for a sample: the reference every comparison and the gradient checker use.

The reference function gets the sample's arrays widened to float64 / complex128 (:func:`widen`) when the op
``upcast``s (the default), and its result is rounded once to the dtype NumPy itself gives for the *original*
dtypes. bfloat16 and the float8 formats (held by ``ml_dtypes``) take float16's place when that dtype is worked
out, since NumPy has no promotion rules for them and torch promotes them as NumPy promotes float16; the result is
that format again (two different such formats, or one with float16, give float32, as in torch).

Working out NumPy's result dtype means running the reference once on the original dtypes. Its outcome depends on
the dtypes, the kinds of the scalar arguments and the keyword arguments, not on values (NEP 50), so it is cached
by that signature (with the arrays' ranks and emptiness, which some references branch on).
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from conformance import dtypes


def widen(a: np.ndarray) -> np.ndarray:
    """A float64 / complex128 copy of a floating / complex array; a plain copy of any other."""
    name = dtypes.name_of(a.dtype)
    if dtypes.is_complex(name):
        return a.astype(np.complex128)
    if dtypes.is_floating(name):
        return a.astype(np.float64)
    return a.copy()


def _as_float16(a: np.ndarray) -> np.ndarray:
    return a.astype(np.float16) if dtypes.is_ml(dtypes.name_of(a.dtype)) else a.copy()


def _result_dtype(probe, ml: set, had_f16: bool):
    if isinstance(probe, (tuple, list)):
        return type(probe)(_result_dtype(p, ml, had_f16) for p in probe)
    if isinstance(probe, (np.ndarray, np.generic)):
        dt = np.asarray(probe).dtype
        if ml and dt == np.float16:
            # an ml_dtypes format took float16's place; next to float16 or another format: float32
            return np.dtype(np.float32) if had_f16 or len(ml) > 1 else dtypes.NUMPY[next(iter(ml))]
        return dt
    return None


def _cast(values, want):
    if isinstance(values, (tuple, list)):
        return type(values)(_cast(v, w) for v, w in zip(values, want))
    if want is None:
        return values
    return np.asarray(values).astype(want)


def _kind(v):
    if isinstance(v, np.ndarray):
        return (v.dtype.name, v.ndim, v.size == 0)
    if isinstance(v, (tuple, list)):
        return (type(v).__name__,) + tuple(_kind(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _kind(x)) for k, x in sorted(v.items()))
    if isinstance(v, (bool, int, float, complex, str, type(None))):
        return (type(v).__name__, v if isinstance(v, (str, bool, type(None))) else None)
    return (type(v).__name__, repr(v))


_DTYPE_CACHE: dict = {}


def _numpy_dtype(ref, sample, args, kwargs, ml, had_f16):
    """NumPy's result dtype (structure) of ``ref`` on the sample's original dtypes, cached by signature."""
    try:
        key = (ref, _kind(sample.args), _kind(sample.kwargs))
        hash(key)
    except TypeError:
        key = None
    if key is not None and key in _DTYPE_CACHE:
        return _DTYPE_CACHE[key]
    probe = ref(*args, **kwargs)
    want = _result_dtype(probe, ml, had_f16)
    # a sequence's length may depend on values (split sizes, chunk counts): only single results are cached
    if key is not None and not isinstance(want, (tuple, list)):
        _DTYPE_CACHE[key] = want
    return want


def reference(ref, sample, *, upcast: bool = True, native: bool = False, cast_operands: bool = False):
    """NumPy's answer for ``sample`` from ``ref`` (see the module docstring). ``native``: ``ref`` models torch's
    arithmetic in torch's own dtypes, gets the inputs as they are (bfloat16 included; in their layouts' strides
    where it ``reads_strides``) and its result is taken as it is. ``cast_operands``: ``ref`` is a ufunc, which casts integer and bool operands to its loop dtype (an
    inexact result's) before computing: the upcast reference does so before widening."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if native:
            args, kwargs = sample.native_inputs() if getattr(ref, "reads_strides", False) else sample.numpy_inputs()
            return ref(*args, **kwargs)
        ml = {dtypes.name_of(a.dtype) for a in sample.arrays if dtypes.is_ml(dtypes.name_of(a.dtype))}
        inexact = any(dtypes.is_inexact(dtypes.name_of(a.dtype)) for a in sample.arrays)
        had_f16 = any(a.dtype == np.float16 for a in sample.arrays)
        if not (upcast and inexact):
            if not ml:
                args, kwargs = sample.numpy_inputs()
                return ref(*args, **kwargs)
            # the values: ml_dtypes arrays as they are (ml_dtypes gives them NumPy's ufuncs: a comparison or a
            # rounding in bfloat16 needs bfloat16's range and values, which float16 does not hold); the dtype:
            # NumPy's, worked out with float16 in their place
            want = _numpy_dtype(ref, sample, *sample.numpy_inputs(_as_float16), ml, had_f16)
            args, kwargs = sample.numpy_inputs()
            return _cast(ref(*args, **kwargs), want)
        args, kwargs = sample.numpy_inputs(_as_float16 if ml else None)
        want = _numpy_dtype(ref, sample, args, kwargs, ml, had_f16)
        loop = loop_dtype(want) if cast_operands else None
        args, kwargs = sample.numpy_inputs(widen if loop is None else (lambda a: widen(_to_loop(a, loop))))
        if loop is not None:
            args = tuple(weak_to_loop(a, loop) for a in args)
        return _cast(ref(*args, **kwargs), want)


def loop_dtype(want):
    """The inexact dtype a ufunc whose result dtype is ``want`` computes in (None: none to cast integers to)."""
    if isinstance(want, np.dtype) and want.kind in "fcV":
        return want
    return None


def weak_to_loop(v, loop):
    """A Python number operand as a ufunc takes it (NEP 50: a weak scalar is converted to the loop dtype, so a
    float16 array plus 2050.5 adds 2050, and plus 1e5 adds inf), as a Python number again (weak: the widened
    computation keeps its float64 loop); anything else as it is."""
    if isinstance(v, bool) or not isinstance(v, (int, float, complex)):
        return v
    with np.errstate(all="ignore"):
        if isinstance(v, complex) or np.dtype(loop).kind == "c":
            rounded = np.asarray(complex(v)).astype(loop if np.dtype(loop).kind == "c" else np.complex128)
            return complex(rounded.astype(np.complex128))
        try:
            return float(np.asarray(float(v)).astype(loop).astype(np.float64))
        except OverflowError:  # an int past float64's range: infinite in any loop dtype
            return math.copysign(math.inf, v)


def _to_loop(a: np.ndarray, loop) -> np.ndarray:
    """An integer or bool operand cast to the ufunc's loop dtype, as NumPy casts it (others as they are)."""
    with np.errstate(all="ignore"):
        return a.astype(loop) if a.dtype.kind in "biu" else a
