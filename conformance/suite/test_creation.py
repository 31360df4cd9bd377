"""Tensor creation and NumPy interop, against NumPy's counterparts.

* ``torch.tensor`` from nested Python lists vs ``np.array``: values, shape and dtype inference (bool, int, float,
  complex and their mixes), with and without ``dtype=``;
* ``torch.from_numpy`` / ``Tensor.numpy``: values, dtype, strides, memory shared both ways, and the arrays
  ``from_numpy`` refuses (negative strides, non-native byte order, dtypes torch lacks);
* ``torch.as_tensor``: shares a NumPy array's memory when dtype and device allow, copies otherwise;
* ``zeros`` / ``ones`` / ``empty`` / ``full`` and their ``_like`` forms: shape (tuple, list, separate ints, 0-d,
  size 0), dtype, device, values (none for ``empty``), ``requires_grad``, memory format of ``_like`` results;
* ``arange`` (the length rule ceil((end - start) / step), integer and float arguments, negative steps),
  ``linspace`` (0, 1, 2 and more steps), ``eye``.

Where torch differs on purpose (its default dtype, float32, for Python floats), the tests hold torch to the
documented rule and the difference is pinned by the tests marked ``divergence`` at the end
(``conformance.catalogue.creation``).
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import devices, dtypes
from conformance import tolerance as T
from conformance.check import Mismatch
from conformance.compare import compare
from conformance.strategies import layouts, seeds
from conformance.strategies import pointwise as P
from conformance.strategies.values import fill

pytestmark = pytest.mark.creation

#: dtypes NumPy holds natively: bfloat16 and the float8 formats exist in NumPy only through ml_dtypes, whose
#: arrays torch.from_numpy refuses (test_from_numpy_refuses pins it)
NATIVE = tuple(d for d in dtypes.ALL if not dtypes.is_ml(d))
SOME = ("bool", "uint8", "int32", "float16", "bfloat16", "float64", "complex64")


def _check(actual, expected, what, tol=None):
    diff = compare(actual, expected, tol=tol)
    if diff is not None:
        raise Mismatch(f"{what}: {diff.summary}", "\n".join(diff.details))


def torch_default(np_dtype) -> np.dtype:
    """The dtype torch infers where NumPy infers ``np_dtype``: float64 -> float32, complex128 -> complex64 (the
    default dtype and its complex counterpart), anything else as NumPy."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype == np.float64:
        return np.dtype(np.float32)
    if np_dtype == np.complex128:
        return np.dtype(np.complex64)
    return np_dtype


# ---- nested Python data -----------------------------------------------------------------------------------

KINDS = ("bool", "int", "float", "complex")
KIND_SETS = tuple(frozenset(k for i, k in enumerate(KINDS) if m >> i & 1) for m in range(1, 16))
_SPECIAL_FLOATS = (0.0, -0.0, 1.0, -1.5, float("nan"), float("inf"), float("-inf"), 5e-324, 1e308, 3.5e38,
                   1e-45, 65504.0, 2.0 ** 24 + 1)


def torch_conversion(values: np.ndarray, dtype: str) -> np.ndarray:
    """``values`` converted to ``dtype`` as NumPy does, except where torch converts differently on purpose
    (divergences float8-e4m3fn-conversion-saturates and float8-e8m0fnu-conversion): float8_e4m3fn saturates
    finite values beyond its range and infinities to +-448, where ml_dtypes gives NaN; float8_e8m0fnu (powers of
    two, no zero, no sign) takes zero to its smallest value 2**-127 and a negative value to its magnitude."""
    values = np.asarray(values)
    if dtype == "float8_e4m3fn":
        v = values.astype(np.float64)
        with np.errstate(all="ignore"):
            v = np.where(np.isnan(v), v, np.clip(v, -448.0, 448.0))
        return v.astype(dtypes.NUMPY[dtype])
    if dtype == "float8_e8m0fnu":
        v = np.abs(values.astype(np.float64))
        return np.where(v == 0, 2.0 ** -127, v).astype(dtypes.NUMPY[dtype])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return values.astype(dtypes.NUMPY[dtype])


def python_values(rng, n: int, kinds: frozenset, int_range=(-2 ** 62, 2 ** 62)) -> list:
    """``n`` Python scalars of the given kinds (each kind at least once when n allows)."""
    order = sorted(kinds)
    out = []
    for i in range(n):
        kind = order[i] if i < len(order) else order[int(rng.integers(len(order)))]
        if kind == "bool":
            out.append(bool(rng.integers(2)))
        elif kind == "int":
            lo, hi = int_range
            small = int(rng.integers(max(lo, -10), min(hi, 10), endpoint=True))
            wide = rng.integers(lo, hi, endpoint=True, dtype=np.uint64 if hi > 2 ** 63 - 1 else np.int64)
            out.append(small if rng.random() < 0.7 else int(wide))
        elif kind == "float":
            out.append(float(rng.choice(_SPECIAL_FLOATS)) if rng.random() < 0.3 else float(rng.standard_normal()))
        else:
            out.append(complex(float(rng.standard_normal()), float(rng.choice(_SPECIAL_FLOATS))))
    rng.shuffle(out)
    return out


def nest(flat: list, shape: tuple):
    """A nested list of ``shape`` (a bare scalar for shape ())."""
    if not shape:
        return flat[0]
    step = math.prod(shape[1:])
    return [nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


@pytest.mark.op("tensor")
@given(shape=P.shapes(), kinds=st.sampled_from(KIND_SETS), seed=seeds)
def test_tensor_infers_dtype(device, shape, kinds, seed):
    """torch.tensor(data) holds np.array(data)'s values and shape; its dtype is NumPy's, except that Python floats
    give the default dtype float32 and complex numbers complex64 (divergences tensor-default-*-dtype)."""
    rng = np.random.default_rng(seed)
    flat = python_values(rng, max(math.prod(shape), 1), kinds)
    data = nest(flat, shape)
    expected = np.array(data)
    t = torch.tensor(data, device=device)
    if not devices.same(t.device, device):
        raise Mismatch(f"torch.tensor(..., device={device!r}) is on {t.device}")
    with np.errstate(over="ignore"):  # float64 values beyond float32's range become inf, as torch's do
        want = expected.astype(torch_default(expected.dtype))
    _check(t, want, f"torch.tensor({data!r:.200})")


@pytest.mark.op("tensor")
@pytest.mark.dtypes(*dtypes.ALL)
@given(shape=P.shapes(), seed=seeds)
def test_tensor_with_dtype(device, dtype, shape, seed):
    """torch.tensor(data, dtype=d) equals np.array(data, dtype=d): Python values of d's kind (and of lower
    kinds: ints into floats, floats into complex), special values included, rounded to d."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        kinds = frozenset({"bool"})
    elif dtype in dtypes.INTEGRAL:
        kinds = frozenset({"bool", "int"})
    elif dtype in dtypes.COMPLEX:
        kinds = frozenset({"int", "float", "complex"})
    else:
        kinds = frozenset({"bool", "int", "float"})
    info = np.iinfo(dtypes.NUMPY[dtype]) if dtype in dtypes.INTEGRAL else None
    flat = python_values(rng, max(math.prod(shape), 1), kinds,
                         int_range=(int(info.min), int(info.max)) if info else (-2 ** 62, 2 ** 62))
    data = nest(flat, shape)
    with np.errstate(all="ignore"):
        expected = (torch_conversion(np.array(data, dtype=np.float64), dtype) if dtype in dtypes.FLOAT8 else
                    np.array(data, dtype=dtypes.NUMPY[dtype]))
    t = torch.tensor(data, dtype=dtypes.TORCH[dtype], device=device)
    _check(t, expected, f"torch.tensor({data!r:.200}, dtype=torch.{dtype})")


# ---- from_numpy, Tensor.numpy, as_tensor ----------------------------------------------------------------

NUMPY_LAYOUTS = ("contiguous", "fortran", "sliced", "offset")


def numpy_array(values: np.ndarray, layout: str) -> np.ndarray:
    """``values`` in a NumPy array of the given memory layout (all strides positive)."""
    if layout == "fortran":
        return np.array(values, order="F")
    if layout == "sliced" and values.ndim:
        big = np.zeros(tuple(2 * s + 1 for s in values.shape), values.dtype)
        index = tuple(slice(1, None, 2) for _ in values.shape)
        big[index] = values
        return big[index]
    if layout == "offset":
        flat = np.zeros(values.size + 3, values.dtype)
        flat[3:] = values.reshape(-1)
        return flat[3:].reshape(values.shape)
    return values.copy()


@pytest.mark.op("from_numpy")
@pytest.mark.dtypes(*NATIVE)
@given(shape=P.shapes(), layout=st.sampled_from(NUMPY_LAYOUTS), seed=seeds)
def test_from_numpy_and_numpy(device, dtype, shape, layout, seed):
    """from_numpy keeps values, dtype, shape and strides and shares the array's memory both ways (CPU);
    Tensor.numpy does the same for a tensor of any strides; other devices get a copy through .to()."""
    values = fill(np.random.default_rng(seed), shape, dtype, "special")
    a = numpy_array(values, layout)
    t = torch.from_numpy(a)
    _check(t, values, "torch.from_numpy(a)")
    if t.stride() != tuple(s // a.itemsize for s in a.strides) and a.size > 1:
        raise Mismatch(f"from_numpy strides {t.stride()} for an array of strides {a.strides} (bytes)")
    if device != "cpu":
        moved = t.to(device)
        _check(moved, values, f"torch.from_numpy(a).to({device!r})")
        with pytest.raises(TypeError):
            moved.numpy()  # a tensor on another device has no NumPy view
        _check(torch.from_numpy(moved.cpu().numpy()), values, "round trip through .cpu().numpy()")
        return
    if a.size == 0:
        return
    other = fill(np.random.default_rng(seed + 1), shape, dtype, "ordinary")
    t.copy_(torch.from_numpy(other.copy()))
    if not np.array_equal(a, other, equal_nan=True):
        raise Mismatch("a write through torch.from_numpy(a) does not show in a")
    a[...] = values
    _check(t, values, "a write into a, read through torch.from_numpy(a)")
    back = t.numpy()
    if not np.shares_memory(back, a) or back.dtype != a.dtype or back.strides != a.strides:
        raise Mismatch(f"Tensor.numpy() of torch.from_numpy(a) is not a view of a with its strides "
                       f"({back.strides} vs {a.strides}, dtype {back.dtype})")
    # Tensor.numpy() of a tensor of another layout: a view with the same (element) strides
    for lay in ("transposed", "strided", "offset"):
        u = layouts.make(values, lay, "cpu")
        v = u.numpy()
        if tuple(s // v.itemsize for s in v.strides) != u.stride() or not np.array_equal(v, values, equal_nan=True):
            raise Mismatch(f"Tensor.numpy() of a {lay} tensor: strides {v.strides} for {u.stride()}, or values differ")
        first = (0,) * values.ndim
        v[first] = other[first]
        got, want = u[first].item(), other[first].item()
        if not (got == want or (got != got and want != want)):
            raise Mismatch(f"a write into Tensor.numpy() of a {lay} tensor does not show in the tensor")


@pytest.mark.op("from_numpy")
def test_from_numpy_refuses(device):
    """Negative strides and non-native byte order are refused (ValueError), as is a dtype torch has no match for
    in NumPy (ml_dtypes' bfloat16: TypeError); a tensor that requires grad has no .numpy() (RuntimeError)."""
    with pytest.raises(ValueError, match="negative"):
        torch.from_numpy(np.arange(6.0)[::-1])
    with pytest.raises(ValueError, match="byte order"):
        torch.from_numpy(np.arange(6, dtype=">i4"))
    with pytest.raises(TypeError):
        torch.from_numpy(np.zeros(3, dtype=dtypes.NUMPY["bfloat16"]))
    t = torch.ones(3, device=device, requires_grad=True)
    with pytest.raises((RuntimeError, TypeError)):
        t.numpy()
    if device == "cpu":
        np.testing.assert_array_equal(t.detach().numpy(), np.ones(3, np.float32))


@pytest.mark.op("as_tensor")
@pytest.mark.dtypes("bool", "int64", "float16", "float32", "complex128")
@given(shape=P.shapes(), layout=st.sampled_from(NUMPY_LAYOUTS), seed=seeds,
       other=st.sampled_from(("int32", "float64", "complex64")))
def test_as_tensor(device, dtype, shape, layout, seed, other):
    """as_tensor(a) shares a's memory on CPU when the dtype is a's; it copies for another dtype or device, and
    returns a tensor itself when nothing changes."""
    values = fill(np.random.default_rng(seed), shape, dtype, "ordinary")
    a = numpy_array(values, layout)
    t = torch.as_tensor(a, device=device)
    _check(t, values, f"torch.as_tensor(a, device={device!r})")
    shared = device == "cpu"
    same = torch.as_tensor(a, dtype=dtypes.TORCH[dtype], device=device)
    for what, u in (("", t), (f", dtype=torch.{dtype}", same)):
        if a.size and np.shares_memory(u.cpu().numpy(), a) != shared:
            raise Mismatch(f"torch.as_tensor(a{what}, device={device!r}) {'does not share' if shared else 'shares'} "
                           "a's memory")
    if other != dtype:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that it drops the imaginary part, as NumPy does
            c = torch.as_tensor(a, dtype=dtypes.TORCH[other], device=device)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # complex into a real dtype: both drop the imaginary part
            want = values.astype(dtypes.NUMPY[other])
        _check(c, want, f"torch.as_tensor(a, dtype=torch.{other})")
        if a.size and np.shares_memory(c.cpu().numpy(), a):
            raise Mismatch("torch.as_tensor(a, dtype=<another dtype>) shares a's memory")
    if torch.as_tensor(t) is not t or torch.as_tensor(t, dtype=t.dtype, device=t.device) is not t:
        raise Mismatch("torch.as_tensor(t) of a tensor with its own dtype and device is not t itself")


# ---- zeros, ones, empty, full --------------------------------------------------------------------------------

SHAPE_FORMS = ("tuple", "list", "ints", "size")


def shape_args(shape: tuple, form: str) -> tuple:
    if form == "ints" and shape:
        return tuple(shape)
    if form == "list":
        return (list(shape),)
    if form == "size":
        return (torch.Size(shape),)
    return (tuple(shape),)


def _made(t, shape, dtype, device, what):
    if tuple(t.shape) != tuple(shape) or t.dtype != dtypes.TORCH[dtype] or not devices.same(t.device, device):
        raise Mismatch(f"{what}: shape {tuple(t.shape)}, dtype {t.dtype}, device {t.device}; "
                       f"wanted {tuple(shape)}, torch.{dtype}, {device}")


@pytest.mark.op("zeros")
@pytest.mark.op("ones")
@pytest.mark.op("empty")
@pytest.mark.dtypes(*SOME)
@given(shape=P.shapes(), form=st.sampled_from(SHAPE_FORMS))
def test_zeros_ones_empty(device, dtype, shape, form):
    """zeros / ones equal np.zeros / np.ones of the shape and dtype; empty has the shape, dtype and device (its
    values are undefined); a negative size is refused by all three (torch: RuntimeError, NumPy: ValueError)."""
    args = shape_args(shape, form)
    kw = {"dtype": dtypes.TORCH[dtype], "device": device}
    _check(torch.zeros(*args, **kw), np.zeros(shape, dtypes.NUMPY[dtype]), f"torch.zeros{args}")
    _check(torch.ones(*args, **kw), np.ones(shape, dtypes.NUMPY[dtype]), f"torch.ones{args}")
    _made(torch.empty(*args, **kw), shape, dtype, device, f"torch.empty{args}")
    if shape:
        bad = (-1,) + tuple(shape[1:])
        for name in ("zeros", "ones", "empty"):
            with pytest.raises(ValueError):
                getattr(np, name)(bad)
            with pytest.raises(RuntimeError):
                getattr(torch, name)(bad, **kw)


FILL_VALUES = (0, 1, -7, 2 ** 40, True, False, 0.5, -0.0, float("nan"), float("inf"), 1e300, 2.5 - 1j, 1j)


@pytest.mark.op("full")
@given(shape=P.shapes(), value=st.sampled_from(FILL_VALUES),
       dtype_arg=st.sampled_from((None,) * 4 + tuple(dtypes.ALL)))
def test_full(device, shape, value, dtype_arg):
    """full(shape, v) equals np.full(shape, v): its dtype is inferred from v as NumPy does (bool, int64), except
    float32 / complex64 for Python floats / complex numbers (the default dtype); with dtype= v is converted."""
    if dtype_arg is None:
        expected = np.full(shape, value)
        want = torch_default(expected.dtype)
        if not fits(value, dtypes.name_of(want), math.prod(shape), device):  # full-fill-value-out-of-range
            with pytest.raises(RuntimeError, match="without overflow"):
                torch.full(shape, value, device=device)
            return
        t = torch.full(shape, value, device=device)
        _check(t, expected.astype(want), f"torch.full({shape}, {value!r})")
        return
    np_dt = dtypes.NUMPY[dtype_arg]
    kw = {"dtype": dtypes.TORCH[dtype_arg], "device": device}
    if not fits(value, dtype_arg, math.prod(shape), device):
        with pytest.raises(RuntimeError, match="without overflow"):
            torch.full(shape, value, **kw)
        return
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = np.array(value).real if dtype_arg in dtypes.FLOAT8 else np.array(value)
        expected = np.full(shape, torch_conversion(one, dtype_arg), dtype=np_dt)
    _check(torch.full(shape, value, **kw), expected, f"torch.full({shape}, {value!r}, dtype=torch.{dtype_arg})")


def fits(value, dtype: str, numel: int = 2, device: str = "cpu") -> bool:
    """Whether torch converts the Python number ``value`` to ``dtype`` (it refuses, with 'value cannot be converted
    to type ... without overflow', a value out of the dtype's range: NaN or an infinity for an integer dtype, a
    finite float beyond a float dtype's largest value, a complex number with an imaginary part for a real dtype;
    negative ints into an unsigned dtype down to -max wrap around). bool takes any value; on CPU, a one-element
    float16, bfloat16 or float8 tensor is filled without the range check (a value beyond the range becomes what
    the conversion gives: inf, or 448 for float8_e4m3fn): a CPU kernel's shortcut, so other devices are held to
    the check. An infinity is out of the range of a float8 format without infinities (float8_e4m3fn,
    float8_e4m3fnuz, float8_e5m2fnuz, float8_e8m0fnu). float8_e8m0fnu has no zero and no sign: its lowest value
    is 2**-127, so a Python float below it (0.0, -0.0, any negative float) is out of its range too, while a
    Python int is checked by magnitude as for an unsigned dtype (0 and -7 convert, to 2**-127 and 8)."""
    if dtype == "bool":
        return True
    if dtype in ("float16", "bfloat16") + dtypes.FLOAT8 and numel == 1 and \
            not (isinstance(value, complex) and value.imag) and devices.concrete(device).type == "cpu":
        return True
    if isinstance(value, complex):
        if dtype in dtypes.COMPLEX:
            return True
        if value.imag != 0:
            return False
        value = value.real
    if dtype in dtypes.INTEGRAL:
        if isinstance(value, float) and not math.isfinite(value):
            return False
        info = np.iinfo(dtypes.NUMPY[dtype])
        lo = -int(info.max) if info.min == 0 else int(info.min)
        return lo <= value <= int(info.max)
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, float) and math.isinf(value):
        return _has_infinity(dtype)
    if dtype == "float8_e8m0fnu" and isinstance(value, float):
        return 2.0 ** -127 <= value <= _float_max(dtype)
    return abs(value) <= _float_max(dtype)


def _has_infinity(dtype: str) -> bool:
    """Whether the floating or complex dtype has infinities (the float8 formats but float8_e5m2 have none: their
    conversion of an infinity gives NaN in ml_dtypes)."""
    with np.errstate(all="ignore"):
        wide = np.array(np.inf).astype(dtypes.NUMPY[dtype]).astype(np.complex128)
    return bool(np.isinf(wide.real))


def _float_max(dtype: str) -> float:
    import ml_dtypes

    if dtype == "bfloat16":
        return float(ml_dtypes.finfo(ml_dtypes.bfloat16).max)
    return float(np.finfo(np.float32 if dtype == "complex64" else np.float64 if dtype == "complex128"
                          else dtypes.NUMPY[dtype]).max)


LIKE = {
    "zeros_like": lambda t, **kw: torch.zeros_like(t, **kw),
    "ones_like": lambda t, **kw: torch.ones_like(t, **kw),
    "empty_like": lambda t, **kw: torch.empty_like(t, **kw),
    "full_like": lambda t, **kw: torch.full_like(t, 3, **kw),
}
NP_LIKE = {"zeros_like": np.zeros_like, "ones_like": np.ones_like, "empty_like": None,
           "full_like": lambda a, dtype=None: np.full_like(a, 3, dtype=dtype)}


def _dense(t: torch.Tensor) -> bool:
    """Non-overlapping and dense: the elements fill a block of memory exactly, in some order of the dims."""
    dims = sorted((s, n) for s, n in zip(t.stride(), t.shape) if n != 1)
    expect = 1
    for stride, size in dims:
        if stride != expect:
            return False
        expect *= size
    return True


def _contiguous_strides(shape) -> tuple:
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in LIKE])
@pytest.mark.op("zeros_like")
@pytest.mark.op("ones_like")
@pytest.mark.op("empty_like")
@pytest.mark.op("full_like")
@pytest.mark.dtypes("bool", "int16", "float32", "complex64")
@given(shape=P.shapes(), layout=st.sampled_from(("contiguous", "transposed", "strided")), seed=seeds,
       new_dtype=st.sampled_from((None, None, "int64", "float64")), requires_grad=st.booleans())
def test_like(name, device, dtype, shape, layout, seed, new_dtype, requires_grad):
    """x_like(t) has t's shape, dtype (or dtype=) and device, requires_grad only when asked, the values of
    np.x_like, and t's strides when t is dense and non-overlapping (preserve_format), else contiguous ones."""
    values = fill(np.random.default_rng(seed), shape, dtype, "ordinary")
    src = layouts.make(values, layout, device)
    if requires_grad and dtype in dtypes.FLOATING + dtypes.COMPLEX:
        src.requires_grad_(True)
    kw = {"dtype": dtypes.TORCH[new_dtype]} if new_dtype else {}
    out = LIKE[name](src, **kw)
    want_dtype = new_dtype or dtype
    _made(out, shape, want_dtype, device, f"torch.{name}")
    if out.requires_grad:
        raise Mismatch(f"torch.{name} of a tensor that requires grad requires grad itself")
    if NP_LIKE[name] is not None:
        _check(out, NP_LIKE[name](values, dtype=dtypes.NUMPY[want_dtype]), f"torch.{name}")
    strides = src.stride() if _dense(src) else _contiguous_strides(shape)
    if math.prod(shape) > 1 and out.stride() != strides:
        raise Mismatch(f"torch.{name} of a {layout} tensor of strides {src.stride()}: strides {out.stride()}, "
                       f"wanted {strides} (preserve_format)")
    if dtype in dtypes.FLOATING + dtypes.COMPLEX and new_dtype != "int64":
        if not LIKE[name](src, requires_grad=True, **kw).requires_grad:
            raise Mismatch(f"torch.{name}(t, requires_grad=True) does not require grad")


# ---- arange, linspace, eye ------------------------------------------------------------------------------------

ARANGE_INTS = st.integers(-20, 20)
ARANGE_FLOATS = st.sampled_from((0.0, -0.5, 1.5, 0.1, 2.25, -3.75, 7.0, 1e-3, -10.0, 0.3))


def _toward_end(args):
    """Most of the time start and end are put in the order the step's sign leads (the rest tests the refusal)."""
    start, end, step, consistent = args
    if consistent and (end - start) * step < 0:
        start, end = end, start
    return start, end, step


def arange_args():
    number = st.one_of(ARANGE_INTS, ARANGE_FLOATS)
    step = st.one_of(st.sampled_from((1, 2, 3, -1, -2, 5)), st.sampled_from((0.5, -0.1, -0.25, 0.3, -2.5, -1.5, 0.1)))
    return st.tuples(number, number, step, st.sampled_from((True, True, True, False))).map(_toward_end)


@pytest.mark.op("arange")
@given(args=arange_args(), form=st.sampled_from(("start_end_step", "start_end_step", "end", "start_end")),
       dtype_arg=st.sampled_from((None, None, None, "int64", "int16", "float64", "float32")))
def test_arange(device, args, form, dtype_arg):
    """arange has ceil((end - start) / step) elements, start + i * step, NumPy's values and integer dtype
    inference (float32, the default dtype, for a float argument); a step leading away from end is refused
    (divergence arange-step-sign)."""
    start, end, step = args
    call = {"start_end_step": (start, end, step), "end": (end,), "start_end": (start, end)}[form]
    if form == "end":
        start, step = 0, 1
    elif form == "start_end":
        step = 1
    kw = {"device": device}
    if dtype_arg:
        kw["dtype"] = dtypes.TORCH[dtype_arg]
    if dtype_arg in dtypes.INTEGRAL and any(isinstance(v, float) and not v.is_integer() for v in (start, end, step)):
        return  # divergence arange-integer-dtype-fractional-args (pinned below)
    length = max(math.ceil((end - start) / step), 0)
    if (step > 0 and end < start) or (step < 0 and end > start):
        with pytest.raises(RuntimeError, match="inconsistent with step sign"):
            torch.arange(*call, **kw)
        if np.arange(*call).size != 0:
            raise Mismatch(f"np.arange{call} is not empty")
        return
    t = torch.arange(*call, **kw)
    np_result = np.arange(*call)
    if t.numel() != length or np_result.size != length:
        raise Mismatch(f"arange{call}: torch has {t.numel()} elements, NumPy {np_result.size}, the rule "
                       f"ceil((end - start) / step) gives {length}")
    want = dtypes.NUMPY[dtype_arg] if dtype_arg else torch_default(np_result.dtype)
    if np_result.dtype.kind == "i" and dtype_arg is None and want != np.int64:
        raise Mismatch(f"np.arange{call} infers {np_result.dtype}")
    # the values are start + i * step, computed in double precision, then rounded to the result dtype (NumPy's
    # arange with dtype=float32 adds a float32 step instead, which drifts: the formula is the reference)
    with np.errstate(all="ignore"):
        expected = (start + np.arange(length, dtype=np.float64) * step).astype(want) if length else \
            np.zeros(0, want)
    if np_result.dtype.kind == "i" and want.kind == "i":
        expected = np_result.astype(want)
    _check(t, expected, f"torch.arange{call}, dtype={dtype_arg}")


@pytest.mark.op("linspace")
@given(start=st.one_of(ARANGE_INTS, ARANGE_FLOATS), end=st.one_of(ARANGE_INTS, ARANGE_FLOATS),
       steps=st.one_of(st.sampled_from((0, 1, 2)), st.integers(3, 50)),
       dtype_arg=st.sampled_from((None, "float64", "float32", "int64", "complex128")))
def test_linspace(device, start, end, steps, dtype_arg):
    """linspace has `steps` elements from start to end included (none for 0, [start] for 1, [start, end] for 2),
    np.linspace's values (to the dtype's precision) and dtype float32 (the default dtype) unless given."""
    kw = {"device": device}
    if dtype_arg:
        kw["dtype"] = dtypes.TORCH[dtype_arg]
    t = torch.linspace(start, end, steps, **kw)
    want = dtypes.NUMPY[dtype_arg] if dtype_arg else np.float32
    if dtype_arg == "int64":
        if any(isinstance(v, float) and not v.is_integer() for v in (start, end)):
            return  # divergence linspace-integer-dtype-fractional-endpoints (pinned below)
        expected = np.linspace(start, end, steps).astype(np.int64)  # truncated toward zero
    else:
        expected = np.linspace(start, end, steps).astype(want)
    if steps >= 1 and t.numel() and t[0].item() != expected[0]:
        raise Mismatch(f"linspace({start}, {end}, {steps})[0] is {t[0].item()}, not start")
    # torch fills the second half from end backwards, NumPy forwards from start: each element is start + i*step
    # (or end - (n-1-i)*step) with step = (end - start)/(steps - 1), three roundings of the result dtype, each of
    # at most |start| + |end|: 3 u (|start| + |end|), plus the reference's own rounding (tolerance.absolute)
    name = dtypes.torch_name(t.dtype)
    tol = None
    if dtypes.is_inexact(name):
        tol = T.absolute(name, 3 * T.unit(name) * (abs(start) + abs(end)), why="linspace: start + i*step")
    _check(t, expected, f"torch.linspace({start!r}, {end!r}, {steps}, dtype={dtype_arg})", tol=tol)


@pytest.mark.op("eye")
@pytest.mark.dtypes("bool", "int8", "float16", "float32", "complex128")
@given(n=st.integers(0, 7), m=st.one_of(st.none(), st.integers(0, 7)))
def test_eye(device, dtype, n, m):
    """eye(n, m) equals np.eye(n, m) (m defaults to n) in the given dtype."""
    args = (n,) if m is None else (n, m)
    t = torch.eye(*args, dtype=dtypes.TORCH[dtype], device=device)
    _check(t, np.eye(*args, dtype=dtypes.NUMPY[dtype]), f"torch.eye{args}")


# ---- divergences ----------------------------------------------------------------------------------------------

DEFAULT_FLOAT_CASES = {
    "tensor": (lambda dev: torch.tensor([1.5, 2.0], device=dev), lambda: np.array([1.5, 2.0])),
    "zeros": (lambda dev: torch.zeros(2, device=dev), lambda: np.zeros(2)),
    "ones": (lambda dev: torch.ones(2, device=dev), lambda: np.ones(2)),
    "empty": (lambda dev: torch.empty(2, device=dev), lambda: np.empty(2)),
    "full": (lambda dev: torch.full((2,), 0.5, device=dev), lambda: np.full((2,), 0.5)),
    "arange": (lambda dev: torch.arange(0, 2, 0.5, device=dev), lambda: np.arange(0, 2, 0.5)),
    "linspace": (lambda dev: torch.linspace(0, 1, 3, device=dev), lambda: np.linspace(0, 1, 3)),
    "eye": (lambda dev: torch.eye(2, device=dev), lambda: np.eye(2)),
    "logspace": (lambda dev: torch.logspace(0, 1, 3, device=dev), lambda: np.logspace(0, 1, 3)),
    "asarray": (lambda dev: torch.asarray([1.5, 2.0], device=dev), lambda: np.asarray([1.5, 2.0])),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.op(n),
                                                          pytest.mark.divergence(f"{n}-default-float-dtype")])
                                  for n in DEFAULT_FLOAT_CASES])
def test_default_float_dtype(name, device):
    """Floating results without dtype= have the default dtype, float32, where NumPy gives float64."""
    make_t, make_np = DEFAULT_FLOAT_CASES[name]
    t, a = make_t(device), make_np()
    assert a.dtype == np.float64, f"NumPy's {name} now gives {a.dtype}"
    if t.dtype != torch.get_default_dtype() or t.dtype != torch.float32:
        raise Mismatch(f"divergence {name}-default-float-dtype no longer holds: torch.{name} gives {t.dtype}")
    if torch.tensor([]).dtype != torch.float32 or np.array([]).dtype != np.float64:
        raise Mismatch("torch.tensor([]) / np.array([]) changed their dtypes")


@pytest.mark.op("tensor")
@pytest.mark.divergence("tensor-default-complex-dtype")
def test_tensor_default_complex(device):
    assert np.array([1 + 2j]).dtype == np.complex128
    if torch.tensor([1 + 2j], device=device).dtype != torch.complex64:
        raise Mismatch("divergence tensor-default-complex-dtype no longer holds")


@pytest.mark.op("full")
@pytest.mark.divergence("full-default-complex-dtype")
def test_full_default_complex(device):
    assert np.full((2,), 1j).dtype == np.complex128
    if torch.full((2,), 1j, device=device).dtype != torch.complex64:
        raise Mismatch("divergence full-default-complex-dtype no longer holds")


@pytest.mark.op("arange")
@pytest.mark.divergence("arange-step-sign")
def test_arange_step_sign(device):
    assert np.arange(5, 0, 1).size == 0 and np.arange(0, 5, -1).size == 0
    for args in ((5, 0, 1), (0, 5, -1), (1.5, 0.5, 0.25)):
        with pytest.raises(RuntimeError, match="inconsistent with step sign"):
            torch.arange(*args, device=device)


@pytest.mark.op("tensor")
@pytest.mark.divergence("tensor-unsigned-64-bit-int")
def test_tensor_uint64_int(device):
    assert np.array([2 ** 63]).dtype == np.uint64
    with pytest.raises((RuntimeError, ValueError, OverflowError)):
        torch.tensor([2 ** 63], device=device)


@pytest.mark.op("arange")
@pytest.mark.divergence("arange-integer-dtype-fractional-args")
def test_arange_integer_dtype_fractional_args(device):
    assert np.arange(0.5, 5, 1.5, dtype=np.int64).tolist() == [0, 2, 4]
    got = torch.arange(0.5, 5, 1.5, dtype=torch.int64, device=device).tolist()
    flat = torch.arange(-3.75, 2, 0.5, dtype=torch.int16, device=device).tolist()
    if got == [0, 2, 4] or got == [0, 2, 3] or len(set(flat)) != 1:
        raise Mismatch(f"divergence arange-integer-dtype-fractional-args no longer holds: {got}, {flat}")


@pytest.mark.op("linspace")
@pytest.mark.divergence("linspace-integer-dtype-fractional-endpoints")
def test_linspace_integer_dtype_fractional_endpoints(device):
    assert np.linspace(-3.75, 2.25, 5).astype(np.int64).tolist() == [-3, -2, 0, 0, 2]
    got = torch.linspace(-3.75, 2.25, 5, dtype=torch.int64, device=device).tolist()
    if got != [-3, -1, 0, 0, 2]:
        raise Mismatch(f"divergence linspace-integer-dtype-fractional-endpoints no longer holds: {got}")


@pytest.mark.op("full")
@pytest.mark.divergence("full-fill-value-out-of-range")
def test_full_fill_value_out_of_range(device):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        assert np.isinf(np.full((2,), 70000.0, dtype=np.float16)).all()
        assert np.full((2,), 2.5 - 1j, dtype=np.float32).tolist() == [2.5, 2.5]
        assert np.isnan(np.full((2,), np.inf, dtype=dtypes.NUMPY["float8_e4m3fn"]).astype(np.float64)).all()
    for value, dt in ((70000.0, torch.float16), (float("nan"), torch.int32), (300, torch.uint8),
                      (2.5 - 1j, torch.float32), (float("inf"), torch.float8_e4m3fn)):
        for shape in ((2,), (0,)):
            with pytest.raises(RuntimeError, match="without overflow"):
                torch.full(shape, value, dtype=dt, device=device)
    # just outside: a format with infinities takes one, and NaN fits every floating format
    assert torch.full((2,), float("inf"), dtype=torch.float8_e5m2, device=device).float().isinf().all()
    assert torch.full((2,), float("nan"), dtype=torch.float8_e4m3fn, device=device).float().isnan().all()


@pytest.mark.op("tensor")
@pytest.mark.divergence("float8-e4m3fn-conversion-saturates")
def test_float8_e4m3fn_conversion_saturates(device):
    with np.errstate(all="ignore"):
        assert np.isnan(np.array([1e6, np.inf]).astype(dtypes.NUMPY["float8_e4m3fn"]).astype(np.float64)).all()
    got = torch.tensor([1e6, float("inf"), -1e6], device=device).to(torch.float8_e4m3fn).float().cpu().tolist()
    if got != [448.0, 448.0, -448.0]:
        raise Mismatch(f"divergence float8-e4m3fn-conversion-saturates no longer holds: {got}")


@pytest.mark.op("tensor")
@pytest.mark.divergence("float8-e8m0fnu-conversion")
def test_float8_e8m0fnu_conversion(device):
    with np.errstate(all="ignore"):
        assert np.isnan(np.array([0.0, -4.0]).astype(dtypes.NUMPY["float8_e8m0fnu"]).astype(np.float64)).all()
    got = torch.tensor([0.0, -4.0], device=device).to(torch.float8_e8m0fnu).float().cpu().tolist()
    if got != [2.0 ** -127, 4.0]:
        raise Mismatch(f"divergence float8-e8m0fnu-conversion no longer holds: {got}")



# ---- logspace, asarray, frombuffer --------------------------------------------------------------------------

@pytest.mark.op("logspace")
@given(start=st.one_of(ARANGE_INTS, ARANGE_FLOATS), end=st.one_of(ARANGE_INTS, ARANGE_FLOATS),
       steps=st.one_of(st.sampled_from((0, 1, 2)), st.integers(3, 50)),
       base=st.sampled_from((None, 10.0, 2.0, 0.5, 3)),
       dtype_arg=st.sampled_from((None, "float64", "float32", "complex128")))
def test_logspace(device, start, end, steps, base, dtype_arg):
    """logspace is base ** linspace(start, end, steps) (np.logspace, base 10 by default), float32 unless given.
    Bound: the exponent start + i*step is good to 3 u (|start| + |end|) (as linspace's, test_linspace), which
    base ** e turns into a relative error of ln(base) times that; plus the power's and the final rounding
    (tolerance.relative); a complex128 power, exp(e log(base)), two more roundings of e ln(base)."""
    kw = {"device": device}
    if dtype_arg:
        kw["dtype"] = dtypes.TORCH[dtype_arg]
    args = (start, end, steps) if base is None else (start, end, steps, base)
    t = torch.logspace(*args, **kw)
    want = dtypes.NUMPY[dtype_arg] if dtype_arg else np.float32
    with np.errstate(all="ignore"):
        expected = np.logspace(start, end, steps, base=10.0 if base is None else base).astype(want)
    name = dtypes.torch_name(t.dtype)
    ln_base = abs(math.log(10.0 if base is None else base))
    roundings = ln_base * 3 * (abs(start) + abs(end)) + 2
    if dtype_arg == "complex128":
        # complex pow is exp(e log(base)): log(base) (relative u) and the product (u) each move the exponent by
        # |e ln(base)| u, which exp turns into that relative error of the result
        roundings += 2 * ln_base * max(abs(start), abs(end))
    tol = T.relative(name, roundings, why="logspace: base ** (start + i*step)")
    # a complex result's imaginary part is an exact zero whose sign neither library specifies (torch gives -0.0
    # for some bases): not compared
    diff = compare(t, expected, tol=tol, signed_zero=dtype_arg != "complex128")
    if diff is not None:
        raise Mismatch(f"torch.logspace{args}, dtype={dtype_arg}: {diff.summary}", "\n".join(diff.details))


@pytest.mark.op("asarray")
@pytest.mark.divergence("asarray-zero-dim-copies")
@pytest.mark.divergence("asarray-zero-dim-copy-with-dtype-raises")
@pytest.mark.dtypes(*NATIVE)
@given(shape=P.shapes(), layout=st.sampled_from(NUMPY_LAYOUTS), seed=seeds,
       other=st.sampled_from((None, "int32", "float64", "complex64")), copy=st.sampled_from((None, True)))
def test_asarray(device, dtype, shape, layout, seed, other, copy):
    """torch.asarray(a) of a NumPy array is np.asarray(a): its values and dtype, sharing a's memory on CPU unless
    copy=True or another dtype= is asked; a nested list of ints or bools infers int64 / bool as NumPy does."""
    values = fill(np.random.default_rng(seed), shape, dtype, "special")
    a = numpy_array(values, layout)
    kw = {"device": device}
    if other:
        kw["dtype"] = dtypes.TORCH[other]
    if copy:
        kw["copy"] = True
    zero_dim = a.ndim == 0
    if zero_dim and copy and other and other != dtype:  # divergence asarray-zero-dim-copy-with-dtype-raises
        with pytest.raises(ValueError, match="can't alias"):
            torch.asarray(a, **kw)
        return
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        t = torch.asarray(a, **kw)
        want = np.asarray(a, dtype=dtypes.NUMPY[other] if other else None)
    _check(t, want, f"torch.asarray(a{', dtype=' + other if other else ''}{', copy=True' if copy else ''})")
    # a zero-dim array is copied (divergence asarray-zero-dim-copies)
    share = device == "cpu" and not copy and (other is None or other == dtype) and not zero_dim
    if a.size and np.shares_memory(t.cpu().numpy(), a) != share:
        raise Mismatch(f"torch.asarray(a, {kw}) {'does not share' if share else 'shares'} a's memory")
    if dtype in ("bool", "int64") and a.size:
        data = values.tolist()
        _check(torch.asarray(data, device=device), np.asarray(data), "torch.asarray(nested list)")


@pytest.mark.op("frombuffer")
@pytest.mark.dtypes(*NATIVE)
@given(n=st.integers(0, 40), data=st.data(), seed=seeds)
def test_frombuffer(device, dtype, n, data, seed):
    """torch.frombuffer(buf, dtype, count, offset) holds np.frombuffer's values (count elements after offset bytes,
    -1 for all) and shares the buffer's memory (a write through one shows in the other); it lives on the CPU."""
    if device != "cpu":
        return  # frombuffer makes CPU tensors only
    item = np.dtype(dtypes.NUMPY[dtype]).itemsize
    raw = np.random.default_rng(seed).integers(0, 256, n * item + 7, dtype=np.uint8)
    if dtype == "bool":
        raw = raw % 2
    buf = bytearray(raw.tobytes())
    offset = data.draw(st.integers(0, 7) if n else st.just(0), label="offset")
    avail = (len(buf) - offset) // item
    count = data.draw(st.sampled_from((-1, avail, max(avail - 1, 0))), label="count")
    if count == -1 and (len(buf) - offset) % item:
        with pytest.raises(ValueError):
            np.frombuffer(buf, dtype=dtypes.NUMPY[dtype], count=count, offset=offset)
        with pytest.raises(ValueError):
            torch.frombuffer(buf, dtype=dtypes.TORCH[dtype], count=count, offset=offset)
        return
    if count == 0 or avail == 0:
        return  # np.frombuffer refuses an empty buffer; torch too (checked by its own count rule)
    want = np.frombuffer(buf, dtype=dtypes.NUMPY[dtype], count=count, offset=offset)
    t = torch.frombuffer(buf, dtype=dtypes.TORCH[dtype], count=count, offset=offset)
    _check(t, want, f"torch.frombuffer(buf, count={count}, offset={offset})")
    buf[offset] ^= 1
    if t.view(torch.uint8)[0].item() != buf[offset]:
        raise Mismatch("a write into the buffer does not show in torch.frombuffer's tensor")


@pytest.mark.op("frombuffer")
@pytest.mark.divergence("frombuffer-readonly-warns")
def test_frombuffer_readonly(device):
    assert not np.frombuffer(b"\x01\x02", dtype=np.uint8).flags.writeable
    with pytest.warns(UserWarning, match="not writable"):
        t = torch.frombuffer(b"\x01\x02", dtype=torch.uint8)
    assert t.tolist() == [1, 2]


# ---- promote_types, result_type, can_cast --------------------------------------------------------------------

def _numpy_side(name: str) -> np.dtype:
    """The NumPy dtype that stands for a torch dtype in NumPy's rules: ml_dtypes' floats take float16's place (as
    in the oracle); two of them, or one with float16, give float32 (torch's rule for them)."""
    return np.dtype(np.float16) if dtypes.is_ml(name) else dtypes.NUMPY[name]


def _torch_promotes(a: str, b: str):
    try:
        return dtypes.torch_name(torch.promote_types(dtypes.TORCH[a], dtypes.TORCH[b]))
    except RuntimeError:
        return None


def _limited(a: str, b: str) -> bool:
    wide = ("uint16", "uint32", "uint64")
    return a != b and (a in dtypes.FLOAT8 or b in dtypes.FLOAT8 or
                       (a in wide and dtypes.KIND[b] in ("bool", "signed", "unsigned", "complex")) or
                       (b in wide and dtypes.KIND[a] in ("bool", "signed", "unsigned", "complex")))


@pytest.mark.op("promote_types")
@pytest.mark.divergence("promote_types-inexact-with-int")
@pytest.mark.divergence("promote_types-limited-dtypes")
@pytest.mark.divergence("promote_types-bfloat16-float16")
def test_promote_types(device):
    """torch.promote_types is np.promote_types for every pair of dtypes, except the documented divergences: an
    inexact dtype with an integer one stays as it is, the float8 formats and the wide unsigned integers do not
    promote with others, bfloat16 with float16 is float32 (ml_dtypes' floats stand as float16 on NumPy's side, a
    format that takes float16's place is its own result, as in the oracle)."""
    bad = []
    for a in dtypes.ALL:
        for b in dtypes.ALL:
            got = _torch_promotes(a, b)
            if _limited(a, b):
                if got is not None:
                    bad.append(f"{a}, {b}: promoted to {got}, documented to be refused")
                continue
            if {a, b} == {"bfloat16", "float16"}:
                if got != "float32":
                    bad.append(f"{a}, {b}: {got}, documented float32")
                continue
            want = np.promote_types(_numpy_side(a), _numpy_side(b))
            ml = [d for d in (a, b) if dtypes.is_ml(d)]
            if ml and want == np.float16:
                want = dtypes.NUMPY[ml[0]] if len(set(ml)) == 1 else np.dtype(np.float32)
            kinds = {dtypes.KIND[a], dtypes.KIND[b]}
            if kinds & {"floating", "complex"} and kinds & {"bool", "signed", "unsigned"}:
                inexact = a if dtypes.KIND[a] in ("floating", "complex") else b
                # the inexact dtype stays as it is (a float with a complex one is not this case)
                want = dtypes.NUMPY[inexact]
            if got != dtypes.name_of(want):
                bad.append(f"{a}, {b}: torch {got}, NumPy {dtypes.name_of(want)}")
    assert not bad, "\n".join(bad)


@pytest.mark.op("result_type")
@given(data=st.data())
@pytest.mark.dtypes("bool", "uint8", "int16", "float32", "complex64")
def test_result_type(device, dtype, data):
    """torch.result_type(x, y) is the dtype NumPy gives x + y, or torch's documented rule where a promotion
    record of the catalogue's add says they differ (zero-dim tensors, Python numbers, inexact with integer
    tensors, the limited dtypes): the same records hold the result of add to that rule."""
    from conformance import catalogue
    from conformance.catalogue import promotion as PR
    from conformance.references import pointwise as RP

    add = catalogue.by_name("add")
    case = data.draw(add.cell_strategy(dtype), label="case")
    sample = case.sample("ordinary", 0)
    args, _, _ = sample.torch_inputs(device)
    x, y = sample.args[:2]
    try:
        got = dtypes.torch_name(torch.result_type(args[0], args[1]))
    except RuntimeError:
        got = None
    if RP.torch_promotion_error(x, y) is not None:
        if got is not None:
            raise Mismatch(f"torch.result_type({x.dtype}, {y!r:.40}) is {got}, documented to be refused")
        return
    model = "complex32" if RP.torch_gives_complex32(x, y) else dtypes.name_of(RP.torch_result_type(x, y))
    numpy = PR.numpy_result_type([x, y])
    promotion = any(d.about == "forward" and d.applies is not None and (d.torch_ref is not None or
                                                                      d.expected_dtype is not None) and
                    d.condition_mask(sample, dtype) is not False for d in add.divergences)
    if numpy is not None and model != dtypes.name_of(numpy) and not promotion:
        raise Mismatch(f"torch's rule gives {model} for {x.dtype}, {y!r:.40}, NumPy {numpy}, and no promotion record "
                       "of add says so")
    if got != model:
        raise Mismatch(f"torch.result_type gives {got} for {x.dtype}, {y!r:.40}: torch's documented rule gives "
                       f"{model} ({'NumPy agrees' if numpy is not None and model == dtypes.name_of(numpy) else 'the promotion records of add'})")


@pytest.mark.op("can_cast")
@pytest.mark.divergence("can_cast-integer-to-integer")
def test_can_cast(device):
    """torch.can_cast(a, b) is np.can_cast(a, b, casting='same_kind') for every pair (ml_dtypes' floats as
    float16), except that any integer dtype casts to any other (documented: only a lower category is refused)."""
    bad = []
    for a in dtypes.ALL:
        for b in dtypes.ALL:
            got = torch.can_cast(dtypes.TORCH[a], dtypes.TORCH[b])
            if dtypes.is_integral(a) and dtypes.is_integral(b):
                want = True
            else:
                want = bool(np.can_cast(_numpy_side(a), _numpy_side(b), casting="same_kind"))
            if got != want:
                bad.append(f"{a} -> {b}: torch {got}, NumPy same_kind {want}")
    assert not bad, "\n".join(bad)
