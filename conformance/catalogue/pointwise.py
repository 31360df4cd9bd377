"""Pointwise ops: unary math, binary arithmetic with broadcasting and type promotion, special values.

Binary ops take a second operand of the same dtype, of another dtype, a Python number or a NumPy scalar of any
kind (``conformance.strategies.pointwise``), so type promotion is exercised on every run; the result dtype is
compared with NumPy's. Where torch promotes differently on purpose, the records of
:mod:`conformance.catalogue.promotion` hold torch to its documented rule instead. Every dtype runs: what torch has
no kernel for shows as ``unsupported``; where a kernel exists for some operand forms only (float8 and the wide
unsigned integers), the forms it refuses are recorded here (``*-no-kernel``).
"""
from __future__ import annotations

import cmath
import dataclasses
import functools
import math

import numpy as np

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue import promotion as P
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.compare import Carried
from conformance.references import pointwise as R
from conformance.strategies import layouts as L
from conformance.strategies import pointwise as S

F = "pointwise"

PROMOTION_DOC = P.PROMOTION_DOC
DOC = P.DOC
AUTOGRAD_DOC = "https://pytorch.org/docs/stable/notes/autograd.html#gradients-for-non-differentiable-functions"
#: the decision to compute unary float functions of integer and bool tensors in the default dtype
UNARY_FLOAT_PROMOTION = ("https://pytorch.org/docs/stable/generated/torch.set_default_dtype.html ; "
                         "https://github.com/pytorch/pytorch/pull/33322")
INT_DIV_BY_ZERO = "https://pytorch.org/docs/stable/generated/torch.fmod.html (division by zero)"
WIDE_UNSIGNED = ("uint16", "uint32", "uint64")

_arrays, _scalars, _cat = P.arrays, P.scalars, P.category
_torch_result_type, _kind, _differs = P.torch_result_type, P.kind_letter, P.differs


def _binary_operands(sample):
    return list(sample.args[:2])


def _result_shape(sample):
    return np.broadcast_shapes(*(np.shape(v) for v in sample.args[:2]))


def _same_dtype(sample) -> bool:
    """torch and NumPy agree on the result dtype (an elementwise record's model must give NumPy's dtype; where
    they differ, a promotion record holds torch to its model on the whole result)."""
    ops = _binary_operands(sample)
    return _torch_result_type(ops) is not None and not _differs(ops) and not R.torch_gives_complex32(*ops)


def _result_is(sample, operands, kinds) -> bool:
    k = _kind(operands(sample))
    return k != "" and k in kinds


def _wide(sample, dtype) -> np.ndarray:
    """Elementwise (over the result): float64 / complex128 values of the two operands cast to torch's result
    dtype, broadcast."""
    x, y = sample.args[:2]
    dt = _torch_result_type((x, y))
    wide = np.complex128 if dt.kind == "c" else np.float64
    with np.errstate(all="ignore"):
        xs, ys = (np.asarray(R._scalar_value(v)).astype(dt).astype(wide) for v in (x, y))
    return np.broadcast_arrays(xs, ys)


def _zero_part_of(values) -> np.ndarray:
    """Elements with a zero real or imaginary part."""
    values = np.asarray(values)
    return np.asarray((values.real == 0) | (values.imag == 0))


def _elementwise(fn):
    """A condition that gives a mask over the result (an array even for a zero-dim result), or False."""
    def applies(sample, dtype):
        found = fn(sample, dtype)
        return found if found is False else np.asarray(found, dtype=bool)
    applies.__doc__ = fn.__doc__
    return applies


def _raises(id_, op, condition, torch_behaviour, numpy_behaviour, reference, kind, applies, exc, example,
            dtypes_, counterexample=None, devices=()):
    return Divergence(id=id_, op=op, condition=condition, torch_behaviour=torch_behaviour,
                      numpy_behaviour=numpy_behaviour, reference=reference, kind=kind, applies=applies,
                      raises=exc, example=example, counterexample=counterexample, dtypes=dtypes_, devices=devices)


def _input_dtype(sample) -> str:
    """The dtype of the first argument (the sample's, not the cell's: a pinned counterexample may have another)."""
    return D.name_of(np.asarray(sample.args[0]).dtype)


def _dtype_in(*names):
    return lambda sample, dtype: _input_dtype(sample) in names


def _numpy_float_of(ref, dtype: str) -> np.dtype:
    """The dtype NumPy's float function ``ref`` gives an integer or bool input of ``dtype``."""
    with np.errstate(all="ignore"):
        return np.asarray(ref(np.zeros(1, dtype=D.NUMPY[dtype]))).dtype


def _int_input(op, ref, model):
    """Unary float functions of integer and bool tensors: torch computes in the default dtype, float32; NumPy
    picks the smallest float that holds the integers (float16 for 8-bit ones and bool, float32 for 16-bit ones,
    float64 for wider ones). The record applies wherever the two differ, whatever the integer dtype."""
    def applies(sample, dtype):
        name = _input_dtype(sample)
        return (name == "bool" or name in D.INTEGRAL) and _numpy_float_of(ref, name) != np.float32
    return Divergence(
        id=f"{op}-integer-input", op=op,
        condition="an integer or bool input for which NumPy's result dtype is not float32 (every integer dtype "
                  "but the 16-bit ones)",
        torch_behaviour="computed in and returned as the default dtype, float32",
        numpy_behaviour="the smallest float that holds the input's values: float16 for bool and 8-bit integers, "
                        "float64 for 32- and 64-bit ones (float32 for 16-bit ones, as torch)",
        reference=UNARY_FLOAT_PROMOTION, kind="intended", applies=applies, torch_ref=model,
        example=lambda dtype: ((np.array([0, 1, 4], dtype=np.int32),), {}),
        # an int16 input, which NumPy computes in float32 as torch does, unless the NumPy function gives float64
        # for every integer (np.i0, np.sinc): then a float32 input
        counterexample=lambda dtype: ((np.array([0, 1, 4], dtype=np.int16 if _numpy_float_of(ref, "int16") ==
                                                np.float32 else np.float32),), {}), dtypes=("int32",))


def _bool_unsupported(op, exc=NotImplementedError, other=False):
    """torch has no bool kernel where NumPy has one (or promotes bool to int8)."""
    if other:
        applies = lambda sample, dtype: all(  # noqa: E731
            (a.dtype == np.bool_) for a in _arrays(sample.args[:2])) and all(
            isinstance(v, bool) for v in _scalars(sample.args[:2]))
        numpy = "promotes bool to int8 and computes"
        example = lambda dtype: ((np.array([True, False]), np.array([True, True])), {})  # noqa: E731
        counter = lambda dtype: ((np.array([True, False]), np.array([1, 1], dtype=np.int8)), {})  # noqa: E731
    else:
        applies = _dtype_in("bool")
        numpy = "returns a bool array (the input's values)"
        example = lambda dtype: ((np.array([True, False]),), {})  # noqa: E731
        counter = lambda dtype: ((np.array([1, 0], dtype=np.int8),), {})  # noqa: E731
    return _raises(f"{op}-bool", op, "bool operands" if other else "a bool input",
                   f"raises {exc.__name__}: no bool kernel", numpy, DOC.format(op), "unspecified", applies, exc,
                   example, ("bool",), counter)


def _int_div_by_zero(op, op_kwargs=None):
    def applies(sample, dtype):
        x, y = sample.args[:2]
        if _kind((x, y)) not in ("i", "u", "b"):
            return False
        if op_kwargs is not None and sample.kwargs.get("rounding_mode") is None:
            return False  # true division of integers is a floating division
        size = int(np.prod(np.broadcast_shapes(np.shape(x), np.shape(y)), dtype=np.int64))
        with np.errstate(all="ignore"):  # the divisor as torch computes with it: cast to the result dtype
            return size > 0 and bool(np.any(np.asarray(R._scalar_value(y)).astype(_torch_result_type((x, y)))
                                            == 0))
    return Divergence(
        id=f"{op}-int-by-zero", op=op, condition="integer operands with a zero divisor (in a non-empty result)",
        torch_behaviour="raises RuntimeError('ZeroDivisionError') on CPU", numpy_behaviour="returns 0 (and warns)",
        reference=INT_DIV_BY_ZERO, kind="intended", applies=applies, raises=RuntimeError,
        example=lambda dtype: ((np.array([1, 2], dtype=np.int32), np.array([0, 1], dtype=np.int32)),
                               op_kwargs or {}),
        counterexample=lambda dtype: ((np.array([1, 2], dtype=np.int32), np.array([3, 1], dtype=np.int32)),
                                      op_kwargs or {}),
        dtypes=("int32",), devices=("cpu",))


def _div_trunc_minimum_pairs(sample, dtype):
    """div with rounding_mode='trunc' of an int32 or int64 result (torch's result dtype) with an element pair,
    after broadcasting, of the dtype's minimum divided by -1 (the operands cast to that dtype, as torch does)"""
    if sample.kwargs.get("rounding_mode") != "trunc":
        return False
    x, y = _binary_operands(sample)
    t = _torch_result_type((x, y))
    if t is None or D.name_of(t) not in ("int32", "int64"):
        return False
    with np.errstate(all="ignore"):
        a, b = (np.asarray(R._scalar_value(v)).astype(t) for v in (x, y))
        try:
            a, b = np.broadcast_arrays(a, b)
        except ValueError:
            return False
        return bool(np.any((a == np.iinfo(t).min) & (b == -1)))


def _div_trunc_would_crash(args, kwargs):
    """The guard of div (OpEntry.guard): torch's arguments of a call that _div_trunc_minimum_pairs describes, on
    CPU, where the integer division traps."""
    import torch

    if kwargs.get("rounding_mode") != "trunc" or len(args) < 2 or not isinstance(args[0], torch.Tensor) or \
            args[0].device.type != "cpu":
        return None
    x, y = args[:2]
    try:
        t = torch.result_type(x, y)
        if t not in (torch.int32, torch.int64):
            return None
        yt = y if isinstance(y, torch.Tensor) else torch.tensor(y)
        xb, yb = torch.broadcast_tensors(x.to(t), yt.to(t))
    except (RuntimeError, TypeError, OverflowError):
        return None
    if bool(((xb == torch.iinfo(t).min) & (yb == -1)).any()):
        return ("torch.div(..., rounding_mode='trunc') ends the process with SIGFPE on an int32/int64 minimum "
                "divided by -1: not called (divergence div-trunc-integer-minimum-crashes)")
    return None


DIV_TRUNC_CRASH = Divergence(
    id="div-trunc-integer-minimum-crashes", op="div",
    condition=_div_trunc_minimum_pairs.__doc__.strip(),
    torch_behaviour="the process dies with SIGFPE: torch.div(torch.tensor([-2**31], dtype=torch.int32), -1, "
                    "rounding_mode='trunc') (the C integer division INT_MIN / -1 traps on x86; rounding_mode='floor' "
                    "and true division do not); the suite does not call torch there (the op's guard raises "
                    "FloatingPointError), and a bespoke test runs it in a subprocess",
    numpy_behaviour="np.trunc(np.divide) wraps: np.array([-2**31], np.int32) // -1 is -2147483648 (with a warning)",
    reference="https://github.com/pytorch/pytorch/issues/ (no upstream issue found; lcm's is "
              "https://github.com/pytorch/pytorch/issues/121343)", kind="bug",
    applies=_div_trunc_minimum_pairs, raises=FloatingPointError, devices=("cpu",))


def _plain_alpha_product(x, y, alpha, op):
    """NumPy's x + alpha*y (x - alpha*y) on complex values: alpha scales both parts (a real alpha) or multiplies
    as NumPy does, and alpha = 1 leaves y alone."""
    with np.errstate(all="ignore"):
        if alpha is None or (alpha == 1 and not isinstance(alpha, complex)):
            prod = y
        else:
            prod = R.alpha_times(y, alpha)
        return x + prod if op == "add" else x - prod


def _complex_alpha_applies(op):
    """Elementwise: a complex result (torch and NumPy agreeing on its dtype) where torch's product of alpha, as a
    complex number, with y gives another value than NumPy's x + alpha*y: NaN from inf*0 or nan*0, or another
    sign of zero."""
    def applies(sample, dtype):
        if _kind(_binary_operands(sample)) != "c" or not _same_dtype(sample):
            return False
        x, y = _binary_operands(sample)
        if any(isinstance(v, np.bool_) or (isinstance(v, np.complexfloating) and not isinstance(v, complex))
               for v in (x, y)):
            return False  # a NumPy bool or complex64 scalar: <op>-numpy-bool-or-complex64-scalar, on the whole call
        alpha = sample.kwargs.get("alpha", 1)
        dt = _torch_result_type((x, y))
        with np.errstate(all="ignore"):
            torch_like = np.asarray(R.add_torch(x, y, alpha) if op == "add" else R.sub_torch(x, y, alpha))
            # NumPy's value as the reference computes it: in complex128 (the upcast), then rounded
            xs, ys = (np.asarray(R._scalar_value(v)).astype(dt).astype(np.complex128) for v in (x, y))
            plain = np.asarray(_plain_alpha_product(xs, ys, alpha, op)).astype(dt)
        same = [(a == b) & (np.signbit(a) == np.signbit(b)) | (np.isnan(a) & np.isnan(b))
                for a, b in ((torch_like.real, plain.real), (torch_like.imag, plain.imag))]
        return np.broadcast_to(~(same[0] & same[1]), _result_shape(sample))
    return applies


def _as_complex32(v):
    """An operand rounded to complex32 (both parts to float16), held in complex64."""
    c = np.asarray(R._scalar_value(v)).astype(np.complex64)
    out = np.empty(c.shape, dtype=np.complex64)
    with np.errstate(all="ignore"):
        out.real, out.imag = c.real.astype(np.float16), c.imag.astype(np.float16)
    return out


def _complex32_alpha_differs(op):
    """a complex32 result (a float16 tensor with a complex number or a zero-dim complex tensor) where torch's
    product of alpha, as a complex number, with y gives another value than NumPy's x + alpha*y on some element (a
    NaN from inf*0, another sign of zero), the values compared through complex64"""
    def applies(sample, dtype):
        x, y = _binary_operands(sample)
        if not R.torch_gives_complex32(x, y):
            return False
        alpha = sample.kwargs.get("alpha", 1)
        xs, ys = _as_complex32(x), _as_complex32(y)
        with np.errstate(all="ignore"):
            torch_like = np.asarray(R.add_torch(xs, ys, alpha) if op == "add" else R.sub_torch(xs, ys, alpha))
            plain = np.asarray(_plain_alpha_product(xs.astype(np.complex128), ys.astype(np.complex128), alpha,
                                                    op)).astype(np.complex64)
        same = [(a == b) & (np.signbit(a) == np.signbit(b)) | (np.isnan(a) & np.isnan(b))
                for a, b in ((torch_like.real, plain.real), (torch_like.imag, plain.imag))]
        return not bool((same[0] & same[1]).all())
    return applies


def _complex32_model(model):
    """``model`` of the operands rounded to complex32 (computing in complex64), with both parts of its result rounded
    to float16: complex32 values, held in complex64 (compare.Carried)."""
    def carried(x, y, *args, **kwargs):
        return Carried.rounded(model(_as_complex32(x), _as_complex32(y), *args, **kwargs))
    carried.__doc__ = f"{model.__name__}, rounded to complex32 (both parts to float16)"
    return carried


def _complex32_alpha(op, model):
    return Divergence(
        id=f"{op}-complex32-alpha-product", op=op,
        condition="a complex32 result (a float16 tensor with a complex number) where alpha * y, with alpha taken as "
                  "a complex number (also when it is 1), is not NumPy's product on some element: y with an "
                  "infinite part (inf*0 gives NaN), or a zero part whose sign the product changes",
        torch_behaviour=f"as {op}-complex-alpha-product, in complex32: torch.{op}(torch.tensor([-0.0], "
                        "dtype=torch.float16), complex(0.0, -0.0)) is 0j; with a float16 inf and a complex zero-dim "
                        "tensor the imaginary part is NaN",
        numpy_behaviour="takes the parts separately: (-0+0j)",
        reference="https://github.com/pytorch/pytorch/issues/82510", kind="bug",
        applies=_complex32_alpha_differs(op), torch_ref=_complex32_model(model), native=True,
        example=lambda dtype: ((np.array([-0.0, 1.0], dtype=np.float16),
                                complex(0.0, -0.0) if op == "sub" else complex(-0.0, -0.0)), {}),
        counterexample=lambda dtype: ((np.array([1.0 + 1j, 2.0], dtype=np.complex64), complex(1.0, 2.0)), {}),
        dtypes=("float16",), root_cause="complex-alpha-product")


def _complex_alpha(op, model):
    nan, inf = float("nan"), float("inf")
    return Divergence(
        id=f"{op}-complex-alpha-product", op=op,
        condition="elements of a complex result where alpha * y, with alpha taken as a complex number (also when "
                  "it is 1) and rounded to the result dtype, is not NumPy's product (exact, rounded with the sum): y "
                  "with an infinite or NaN part (inf*0 and nan*0 give NaN), a zero part whose sign the product "
                  "changes, a part that overflows or underflows in the result dtype",
        torch_behaviour=f"computes x {'+' if op == 'add' else '-'} alpha*y with alpha as a complex number "
                        "multiplying y: torch.add(torch.tensor([1.24-1j]), torch.tensor([complex(nan, inf)])) gives "
                        "nan+nanj; torch.add(torch.zeros(1, dtype=torch.complex128), torch.tensor([complex(inf, 0)]))"
                        " gives inf+nanj",
        numpy_behaviour="adds real and imaginary parts separately: nan+infj, inf+0j",
        reference="https://github.com/pytorch/pytorch/issues/82510", kind="bug",
        # the sign of a zero part there depends on the kernel path: the vectorized one scales y's parts by a
        # real alpha (torch.sub of complex64 (-0-1.26j) and (-1e-45-1.40j) with alpha=-0.3 has real part -0.0 in
        # a long strided row, +0.0 alone)
        applies=_complex_alpha_applies(op), torch_ref=model, native=True, relax_signed_zero=True,
        example=lambda dtype: ((np.array([1.24 - 1j, 2 + 1j], dtype=dtype),
                                np.array([complex(nan, inf), 1 + 1j], dtype=dtype)), {}),
        counterexample=lambda dtype: ((np.array([1.24 - 1j, 2 + 1j], dtype=dtype),
                                       np.array([2 + 3j, 1 + 1j], dtype=dtype)), {}),
        dtypes=("complex64", "complex128"))


def _float_alpha_with_ints(op):
    def applies(sample, dtype):
        alpha = sample.kwargs.get("alpha")
        return isinstance(alpha, float) and _kind(sample.args[:2]) in ("i", "u", "b")
    return _raises(f"{op}-float-alpha-int", op, "integer or bool operands with a float alpha",
                   "raises RuntimeError: 'For integral input tensors, argument alpha must not be a floating point "
                   "number.'", "(x + alpha*y) computes in float64", DOC.format(op), "intended", applies,
                   RuntimeError,
                   lambda dtype: ((np.array([1, 2], dtype=np.int64), np.array([3, 4], dtype=np.int64)),
                                  {"alpha": 0.5}), ("int64",),
                   lambda dtype: ((np.array([1, 2], dtype=np.int64), np.array([3, 4], dtype=np.int64)),
                                  {"alpha": 2}))


def _alpha_tol(sample, dtype, sign=1):
    """x + alpha*y (``sign`` -1: x - alpha*y, sub) with an alpha other than 1: torch rounds alpha*y to the result dtype before the addition (its
    kernels compute ``a + alpha * b`` with the product rounded on its own, as the docs describe for half types),
    so the result carries one more rounding, of the product's magnitude: ``tolerance.two_roundings``. Complex
    results: a product with a complex alpha rounds each part once more, of |alpha| |y| at most. A real alpha is
    converted to the result dtype first (as NumPy converts a Python number, NEP 50: float16 [0.3] with alpha 1.1
    is 0.3286, not 0.3289), which adds |alpha' - alpha| |y|."""
    alpha = sample.kwargs.get("alpha", 1)
    x, y = _binary_operands(sample)
    out = _torch_result_type((x, y))
    if alpha == 1 or out is None or out.kind not in "fcV" or not isinstance(alpha, (int, float, complex)):
        return None
    # a float16 tensor with a complex number gives complex32 (torch_result_type names it complex64)
    name = "complex32" if R.torch_gives_complex32(x, y) else D.name_of(out)
    with np.errstate(all="ignore"):
        size = np.abs(np.asarray(R._scalar_value(y)).astype(out).astype(np.complex128))
        converted = abs(complex(alpha))
        if out.kind != "c" and not isinstance(alpha, complex):
            converted = abs(float(np.asarray(alpha).astype(out).astype(np.float64)))
        mag = np.broadcast_to(converted * size * (2 if out.kind == "c" else 1), _result_shape(sample))
        moved = np.broadcast_to(abs(converted - abs(complex(alpha))) * size, _result_shape(sample))
    tol = T.two_roundings(name, mag, why="x + alpha*y, alpha*y rounded first")
    tol = dataclasses.replace(tol, atol=np.asarray(tol.atol) + moved) if np.any(moved) else tol
    if out.kind == "c" or name == "complex32":
        return tol
    # an exact sum past the largest finite value (NumPy's infinity) that the bound straddles: torch's rounding of
    # alpha * y may land on the largest finite value instead (float16 -4e-07 + 1.1 * 59600 with alpha 1.0996)
    with np.errstate(all="ignore"):
        xs = np.abs(np.asarray(R._scalar_value(x)).astype(out).astype(np.float64))
        scale = np.broadcast_to(xs + converted * size, _result_shape(sample))

        def exact():
            xv = np.asarray(R._scalar_value(x)).astype(out).astype(np.longdouble)
            yv = np.asarray(R._scalar_value(y)).astype(out).astype(np.longdouble)
            return np.broadcast_to(xv + sign * np.longdouble(alpha) * yv, _result_shape(sample))
        return T.with_unrepresentable(tol, name, scale, exact)


def _sub_bool(sample, dtype):
    x, y = sample.args[:2]
    return (isinstance(x, np.ndarray) and x.dtype == np.bool_) or isinstance(y, bool) or \
        (isinstance(y, np.ndarray) and y.dtype == np.bool_)


def _complex_dtype_applies(sample, dtype):
    return any(np.asarray(a).dtype.kind == "c" for a in sample.args[:2] if isinstance(a, np.ndarray)) or \
        any(P.scalar_kind(v) == "complex" for v in _scalars(sample.args[:2]))


#: the shortest run of elements the vectorized CPU kernels take at once, by result dtype: 128-bit vectors (the
#: narrowest CPU vector width), two of them per step (measured on AVX2 machines: twice these)
_VECTOR_RUN = {"float64": 4, "float32": 8, "float16": 16, "bfloat16": 16}


def _kernel_scalar(sample, v, dt) -> bool:
    """``v``, an operand of ``sample`` whose computation dtype is ``dt``, reaches torch's elementwise kernel as a
    scalar (TensorIterator's ``is_scalar``, :func:`R.kernel_scalar`): one element, or an array of dtype ``dt`` (one
    of another dtype is cast into a contiguous buffer first) in a layout whose strides are zero wherever its size
    is not 1 (an expanded (3, 1) divisor)."""
    if np.size(v) == 1:
        return True
    for a, lay in zip(sample.arrays, sample.layouts):
        if a is v and a.dtype == dt:
            steps = L.strides(a.shape, lay)
            return a.size > 0 and all(st == 0 for st, n in zip(steps, a.shape) if n > 1)
    return False


def _strided_operand(sample, dt) -> bool:
    """An operand of more than one element in the ``strided`` layout that the kernel reads as it is: of the
    computation dtype ``dt`` (one of another dtype is cast into a contiguous buffer first, and a one-element
    operand is broadcast with a zero stride whatever its layout: the kernel takes it as a scalar), and not
    broadcast along the result's last dim (a (4, 1) operand of a (3, 4, 64) result has stride 0 in the inner
    loop, which the vectorized loop takes as a scalar there too)."""
    shape = _result_shape(sample)
    inner = shape[-1] if shape else 1

    def read_strided(a):
        return a.size > 1 and not (inner > 1 and (a.ndim == 0 or a.shape[-1] == 1))
    return any(lay == "strided" and a.dtype == dt and read_strided(a) for a, lay in zip(sample.arrays, sample.layouts))


@_elementwise
def _huge_quotient(sample, dtype):
    """Elementwise: floating operands where |x / y| overflows the precision torch computes in (float32 for the
    half types), x and y finite, y non-zero, in a result of at least one vector run whose arrays are contiguous
    (or made so by the kernel: no ``strided`` operand of the computation dtype; one of another dtype is cast into
    a contiguous buffer)."""
    x, y = sample.args[:2]
    dt = _torch_result_type((x, y))
    shape = _result_shape(sample)
    none = np.zeros(shape, dtype=bool)
    if dt is None or _cat(dt) != "float" or D.name_of(dt) not in _VECTOR_RUN:
        return none
    if _strided_operand(sample, dt) or int(np.prod(shape, dtype=np.int64)) < _VECTOR_RUN[D.name_of(dt)]:
        return none
    big = T.biggest(T.accumulation(D.name_of(dt)))
    xf, yf = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        q = np.abs(xf / yf)
        return np.isfinite(xf) & np.isfinite(yf) & (yf != 0) & ~(q <= big)


@_elementwise
def _opposite_zero_signs(sample, dtype):
    """Elementwise: the two operands are zeros of opposite signs (a floating result)."""
    if _kind(_binary_operands(sample)) not in ("f", "V"):
        return False
    xf, yf = _wide(sample, dtype)
    return (xf == 0) & (yf == 0) & (np.signbit(xf) != np.signbit(yf))


@_elementwise
def _remainder_zero_sign(sample, dtype):
    """Elementwise: a floating result that is zero where x and y have opposite signs (torch and NumPy agreeing on
    the result dtype)."""
    if _kind(_binary_operands(sample)) not in ("f", "V") or not _same_dtype(sample):
        return False
    xf, yf = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        r = np.remainder(xf, yf)
    return (r == 0) & (np.signbit(xf) != np.signbit(yf))


@_elementwise
def _float8_e4m3fn_overflow(sample, dtype):
    """Elementwise: a float8_e4m3fn product (of two float8_e4m3fn tensors) beyond the format's range (its
    rounding to 448 ends at 464), infinities included."""
    x, y = _binary_operands(sample)
    if not all(isinstance(v, np.ndarray) and D.name_of(v.dtype) == "float8_e4m3fn" for v in (x, y)):
        return False
    with np.errstate(all="ignore"):
        p = np.multiply(x.astype(np.float32), y.astype(np.float32)).astype(np.float64)
    return ~np.isnan(p) & ~(np.abs(p) < 464.0)


def _mul_float8_conversion(sample, dtype):
    """a float8_e4m3fn or float8_e8m0fnu product with an operand of another dtype (a zero-dim tensor, converted to
    the result dtype) that torch's conversion takes to another value than ml_dtypes' (e4m3fn beyond its range,
    e8m0fnu zero or negative), or whose products leave float8_e4m3fn's range (torch saturates them)"""
    x, y = _binary_operands(sample)
    t = _torch_result_type((x, y))
    if t is None or D.name_of(t) not in ("float8_e4m3fn", "float8_e8m0fnu"):
        return False
    if all(isinstance(v, np.ndarray) and v.dtype == t for v in (x, y)):
        return False  # two tensors of the format: mul-float8-e4m3fn-saturates, elementwise
    converted = []
    for v in (x, y):
        theirs = R.to_float8_like_torch(R._scalar_value(v), t).astype(np.float64)
        with np.errstate(all="ignore"):
            mine = np.asarray(R._scalar_value(v)).astype(t).astype(np.float64)
        same = (theirs == mine) & (np.signbit(theirs) == np.signbit(mine)) | (np.isnan(theirs) & np.isnan(mine))
        if not same.all():
            return True
        converted.append(theirs)
    with np.errstate(all="ignore"):
        p = np.multiply(converted[0].astype(np.float32), converted[1].astype(np.float32)).astype(np.float64)
    return D.name_of(t) == "float8_e4m3fn" and bool((~np.isnan(p) & ~(np.abs(p) < 464.0)).any())


def _floor_div_reduced_float(sample, dtype, default_mode="floor"):
    """Elementwise: a float16 / bfloat16 floor division of two tensors (the other one of that dtype, or bool or an
    integer dtype cast to it), the divisor not taken as a scalar (one element, or broadcast from one, is: in
    float32; :func:`_kernel_scalar`), where the quotient computed in the result dtype
    (R.div_floor_in_result_dtype) differs from the floor of the exact quotient."""
    x, y = _binary_operands(sample)
    if sample.kwargs.get("rounding_mode", default_mode) != "floor" or not _same_dtype(sample):
        return False
    if not all(isinstance(v, np.ndarray) for v in (x, y)):
        return False
    t = _torch_result_type((x, y))  # the operands are cast to it first (a bool or integer partner included)
    if D.name_of(t) not in ("float16", "bfloat16") or _kernel_scalar(sample, y, t):
        return False
    theirs = R.div_floor_in_result_dtype(x, y).astype(np.float64)
    with np.errstate(all="ignore"):
        mine = np.floor_divide(x.astype(np.float64), y.astype(np.float64)).astype(t).astype(np.float64)
    return ~((theirs == mine) | (np.isnan(theirs) & np.isnan(mine)))


def _floor_div_reduced_float_record(op, kwargs):
    default_mode = "floor" if op == "floor_divide" else None  # torch.div without rounding_mode divides truly
    f16 = np.float16
    return Divergence(
        id=f"{op}-floor-reduced-float-in-result-dtype", op=op,
        condition="elements of a float16 or bfloat16 floor division of two tensors (the divisor not taken as a "
                  "scalar: of more than one element in memory, not broadcast from one; the dividend of that dtype, "
                  "or bool / integer cast to it) where the quotient computed in the result dtype differs from the "
                  "floor of the exact one",
        torch_behaviour="the tensor-tensor CPU path computes (x - fmod(x, y)) / y and its fix-ups in float16 / "
                        "bfloat16, each step rounded, so the floor can be off by one or more units (it depends on "
                        "the length: a one-element divisor takes the float32 path): torch.div(torch.full((2,), "
                        "66.625, dtype=torch.float16), torch.full((2,), -0.0811157, dtype=torch.float16), "
                        "rounding_mode='floor') is [-823, -823], with one element -822",
        numpy_behaviour="np.floor_divide: -822, the floor of -821.357",
        reference="https://github.com/pytorch/pytorch/issues/193754 (fix: pytorch/pytorch#193766)", kind="bug",
        applies=_elementwise(functools.partial(_floor_div_reduced_float, default_mode=default_mode)),
        torch_ref=R.div_floor_in_result_dtype, native=True,
        example=lambda dtype: ((np.full(2, 66.625, dtype=f16), np.full(2, -0.08111572265625, dtype=f16)), kwargs),
        counterexample=lambda dtype: ((np.full(1, 66.625, dtype=f16), np.full(1, -0.08111572265625, dtype=f16)),
                                      kwargs),
        dtypes=("float16",), devices=("cpu",), root_cause="floor-division-reduced-float")


def _div_trunc_rounded_quotient(sample, dtype):
    """Elementwise: a floating 'trunc' division where truncating the quotient rounded to the result dtype (what
    torch's kernel computes, R.div_torch) differs from the truncated exact quotient."""
    x, y = _binary_operands(sample)
    if sample.kwargs.get("rounding_mode") != "trunc" or not _same_dtype(sample):
        return False
    t = _torch_result_type((x, y))
    if t.kind not in "fV":
        return False
    with np.errstate(all="ignore"):
        theirs = np.asarray(R.div_torch(x, y, "trunc")).astype(np.float64)
        mine = np.trunc(np.true_divide(np.asarray(x).astype(np.float64),
                                       np.asarray(y).astype(np.float64))).astype(t).astype(np.float64)
    return np.broadcast_to(~((theirs == mine) | (np.isnan(theirs) & np.isnan(mine))), _result_shape(sample))


def _div_trunc_rounded_quotient_record():
    f16 = np.float16
    return Divergence(
        id="div-trunc-rounded-quotient", op="div",
        condition="elements of a floating division with rounding_mode='trunc' where the quotient, rounded to the "
                  "result dtype, is an integer the exact quotient falls short of",
        torch_behaviour="truncates the quotient as rounded to the result dtype (std::trunc(a / b) in the dtype; a "
                        "one-element float16 / bfloat16 divisor: in float32): torch.div(torch.tensor([1.0, 1.0], "
                        "dtype=torch.float16), torch.tensor([-0.05884, 0.2001], dtype=torch.float16), "
                        "rounding_mode='trunc') is [-17, 5]",
        numpy_behaviour="the truncated exact quotient (-16.996, 4.998): [-16, 4]; NumPy's own two calls in float16, "
                        "np.trunc(np.divide(x, y)), give [-17, 5] as torch does",
        reference=DOC.format("div") + " ('trunc': rounds the results of the division towards zero)",
        kind="intended", applies=_elementwise(_div_trunc_rounded_quotient), torch_ref=R.div_torch, native=True,
        example=lambda dtype: ((np.array([1.0, 1.0], dtype=f16), np.array([-0.05884, 0.2001], dtype=f16)),
                               {"rounding_mode": "trunc"}),
        counterexample=lambda dtype: ((np.array([1.0, 1.0], dtype=f16), np.array([-0.0625, 0.25], dtype=f16)),
                                      {"rounding_mode": "trunc"}),
        dtypes=("float16",), devices=("cpu",))


def _readable_number(y) -> bool:
    """A Python int or float that torch reads as a number (an int within int64 or uint64), finite."""
    if P.is_python_number(y, "int"):
        return -2 ** 63 <= y < 2 ** 64
    return P.is_python_number(y, "float") and math.isfinite(y)


def _scalar_overflows_result(sample, dtype):
    """a complex result (not complex32) and a Python number second operand whose conversion to the result dtype
    times alpha, rounded again, is not finite where alpha * y is (a real result: the alpha-product-overflow
    record, elementwise)"""
    x, y = _binary_operands(sample)
    alpha = sample.kwargs.get("alpha", 1)
    t = _torch_result_type((x, y))
    if not isinstance(x, np.ndarray) or t is None or t.kind != "c" or R.torch_gives_complex32(x, y):
        return False
    complex_y = P.is_python_number(y, "complex") and cmath.isfinite(y)
    if not (_readable_number(y) or complex_y) or not cmath.isfinite(complex(y) * complex(alpha)):
        return False
    if alpha == 1 and not isinstance(alpha, float):
        return False  # the number converted to the result dtype: NumPy converts it too (NEP 50)
    with np.errstate(all="ignore"):
        converted = np.asarray(y).astype(t)
        c = (converted * np.asarray(alpha).astype(t)).astype(t)
        # (an infinite conversion is NumPy's too; alpha * it, rounded again, overflows only in torch)
        return bool(np.isfinite(converted) and not np.isfinite(c))


def _scalar_overflow_record(op, sign):
    c64 = np.complex64
    return Divergence(
        id=f"{op}-number-beyond-result-range", op=op,
        condition="a complex result, a Python number operand y and an alpha, where alpha * y rounded to the "
                  "result dtype is not finite while the number converted to it is",
        torch_behaviour="the number is converted to the result dtype (as NumPy converts it, NEP 50), then "
                        "multiplied by alpha and rounded again, on every kernel path: it becomes +-inf: "
                        f"torch.{op}(torch.tensor([{-3e38 * sign}, 1.0], dtype=torch.complex64), 2e38, alpha=2) "
                        f"is [{'inf, inf' if sign > 0 else '-inf, -inf'}] (real parts)",
        numpy_behaviour=f"x + alpha * y with alpha * y exact: [{1e38 * sign:g}, {'inf' if sign > 0 else '-inf'}]",
        reference=PROMOTION_DOC, kind="intended", applies=_scalar_overflows_result,
        torch_ref=R.add_number_torch if sign > 0 else R.sub_number_torch, native=True,
        example=lambda dtype: ((np.array([-3e38 * sign, 1.0], dtype=c64), 2e38), {"alpha": 2}),
        counterexample=lambda dtype: ((np.array([-3e38 * sign, 1.0], dtype=c64), 2e38), {}),
        dtypes=("complex64",))


def _alpha_products(sample):
    """``(alpha * y exactly, alpha * y rounded to the result dtype)`` (in longdouble, whose range holds the
    exact product of a float64 y), for torch's floating result
    dtype (of operands of one dtype or mixed: a uint16 tensor with a float16 one gives float16) with a tensor y and
    an alpha; None otherwise."""
    x, y = _binary_operands(sample)
    alpha = sample.kwargs.get("alpha", 1)
    if isinstance(y, (np.integer, np.floating)) or _readable_number(y):
        y = np.asarray(y)  # torch takes a number as a one-element operand (NumPy converts it too, NEP 50)
    if not isinstance(y, np.ndarray) or (alpha == 1 and not isinstance(alpha, float)) or \
            not isinstance(alpha, (int, float)):
        return None
    t = _torch_result_type((x, sample.args[1]))
    if t is None or t.kind not in "fV" or D.name_of(t) in D.FLOAT8:
        return None
    with np.errstate(all="ignore"):
        yt = y.astype(t)
        exact = yt.astype(np.longdouble) * np.longdouble(alpha)
        return exact, (yt * np.asarray(alpha).astype(t)).astype(t).astype(np.longdouble)


@_elementwise
def _alpha_product_overflows(sample, dtype):
    """Elementwise: alpha * y rounded to the result dtype is infinite while alpha * y is finite (for a complex32
    result of a real float16 y, its real part rounded to float16)"""
    products = _alpha_products(sample) or _complex32_alpha_products(sample)
    if products is None:
        return False
    exact, rounded = products
    return np.broadcast_to(np.isfinite(exact) & np.isinf(rounded), _result_shape(sample))


def _complex32_alpha_products(sample):
    """:func:`_alpha_products` of a complex32 result (a float16 tensor y with a zero-dim complex x): alpha * y is
    real, rounded to float16 as complex32's real part; None otherwise."""
    x, y = _binary_operands(sample)
    alpha = sample.kwargs.get("alpha", 1)
    if not isinstance(y, np.ndarray) or y.dtype != np.float16 or alpha == 1 or \
            not isinstance(alpha, (int, float)) or not R.torch_gives_complex32(x, sample.args[1]):
        return None
    with np.errstate(all="ignore"):
        exact = y.astype(np.longdouble) * np.longdouble(alpha)
        return exact, (y * np.float16(alpha)).astype(np.float16).astype(np.longdouble)


def _alpha_zero_from_rounding(op):
    @_elementwise
    def applies(sample, dtype):
        """Elementwise: alpha * y rounded to the result dtype is zero while alpha * y is not, or x +- alpha * y
        is not zero but rounds to zero (with the product rounded first, the sum may be an exact zero, +0)"""
        products = _alpha_products(sample)
        if products is None:
            return False
        exact, rounded = products
        t = _torch_result_type(tuple(sample.args[:2]))
        with np.errstate(all="ignore"):
            x = np.asarray(sample.args[0]).astype(t).astype(np.longdouble)
            total = x - exact if op == "sub" else x + exact
            tiny_total = (total != 0) & (total.astype(t) == 0)
        return np.broadcast_to(((exact != 0) & (rounded == 0)) | tiny_total, _result_shape(sample))
    return applies


def _alpha_product_underflow_record(op):
    f16, tiny = np.float16, 2.0 ** -24
    return Divergence(
        id=f"{op}-alpha-product-underflow-signed-zero", op=op,
        condition="elements where alpha * y, rounded to the (floating) result dtype, underflows to zero while "
                  "alpha * y is not zero, or where x +- alpha * y rounds to zero while it is not zero (y a tensor "
                  "or a real number)",
        torch_behaviour="the non-vectorized path rounds alpha * y to the result dtype before adding, so a zero "
                        f"result takes the sign of x {'-' if op == 'sub' else '+'} (+-0): torch.{op}(torch.tensor("
                        "[0.0], dtype=torch.float16), torch.tensor([" + ("" if op == "sub" else "-") +
                        "6e-8], dtype=torch.float16), alpha=0.5) is 0.0 (with 80 elements: -0.0)",
        numpy_behaviour="x + alpha * y rounded once: -0.0 (the tiny exact result rounds to a negative zero)",
        reference=f"{DOC.format(op)} (no issue found)", kind="bug", applies=_alpha_zero_from_rounding(op),
        relax_signed_zero=True,
        example=lambda dtype: ((np.array([0.0, 1.0], dtype=f16),
                                np.array([tiny if op == "sub" else -tiny, 1.0], dtype=f16)), {"alpha": 0.5}),
        counterexample=lambda dtype: ((np.array([0.0, 1.0], dtype=f16),
                                       np.array([tiny if op == "sub" else -tiny, 1.0], dtype=f16)), {"alpha": 1}),
        dtypes=("float16",), devices=("cpu",))


def _alpha_product_overflow_record(op):
    def example(dtype, alpha=2):
        # y broadcast along x's row: the paths that round alpha * y once per row (lengths found on AVX2)
        big = float(D.finfo(dtype).max)
        n = {"float64": 4, "float32": 8}.get(dtype, 2)
        y = np.array([[big], [1.0]]) * (-1 if op == "sub" else 1)
        return (np.full(n, -big).astype(D.NUMPY[dtype]), y.astype(D.NUMPY[dtype])), {"alpha": alpha}

    return Divergence(
        id=f"{op}-alpha-product-overflow", op=op,
        condition="elements where alpha * y, rounded to the (floating) result dtype, overflows while alpha * y is "
                  "finite (y a tensor or a real number)",
        torch_behaviour="some kernel paths round alpha * y to the result dtype before adding, and the overflowed "
                        "product gives +-inf or NaN; the others keep it exact (a fused multiply-add) or, for half "
                        "types, in float32. Which path runs depends on length and strides: torch." + op +
                        "(torch.full((4,), -1.8e308, dtype=torch.float64), torch.tensor([[" +
                        ("-" if op == "sub" else "") + "1.8e308], [1.0]], dtype=torch.float64), alpha=2)[0] is "
                        "[1.8e308, inf, inf, 1.8e308]; float16 [-65504] with [65504] and alpha=2 is inf (with 40 "
                        "elements: 65504)",
        numpy_behaviour="x + alpha * y rounded once: the largest finite value",
        reference=f"{DOC.format(op)} (no issue found)", kind="bug", applies=_alpha_product_overflows,
        accept_nonfinite=_alpha_product_overflows,
        example=example, counterexample=lambda dtype: example(dtype, alpha=1),
        dtypes=("float16", "bfloat16", "float32", "float64"), devices=("cpu",))


def _mul_scalar_beyond_float32(sample, dtype):
    """a float32 result of an integer or bool tensor and a finite Python number beyond float32's range (a floating
    tensor's dtype takes the number in NumPy too, NEP 50: it is infinite there as well)"""
    x, y = _binary_operands(sample)
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "biu" or not _readable_number(y):
        return False
    t = _torch_result_type((x, y))
    return t is not None and D.name_of(t) in ("float16", "bfloat16", "float32") and \
        abs(float(y)) > float(np.finfo(np.float32).max)


def _zero_part_of_result(fn):
    """Elementwise: complex results whose NumPy value (of the operands cast to torch's result dtype) has a zero
    part: the only elements where the sign of zero is compared."""
    def applies(sample, dtype):
        if _kind(_binary_operands(sample)) != "c":
            return False
        a, b = _wide(sample, dtype)
        with np.errstate(all="ignore"):
            return _zero_part_of(fn(a, b).astype(_torch_result_type(_binary_operands(sample))))
    return applies


@_elementwise
def _complex_quotient_zero_part(sample, dtype):
    """Elementwise: complex quotients with a part that is zero or subnormal in the result dtype (an underflowed
    part: the kernels' intermediates may flush it to a zero of either sign), exactly or as NumPy's division in
    that dtype gives it."""
    found = _zero_part_of_result(np.divide)(sample, dtype)
    if found is False:
        return found
    t = _torch_result_type(_binary_operands(sample))
    a, b = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        q = (a / b).astype(t)
        # NumPy's own quotient in the result dtype (the reference a model in that dtype gives): Smith's algorithm
        # may underflow an intermediate to a zero of either sign where the exact part is a normal number
        # (6.6e-19 / (2.5e-42 - 1.3e-14j) in complex64: real part -0.0, exactly 9.2e-33)
        native = np.divide(a.astype(t), b.astype(t))
    tiny = T.tiny(D.name_of(t))
    # (a divisor out of Smith's scale is div-complex-divisor-out-of-scale's, whose values any may be)
    scaled = _complex_divisor_out_of_scale(sample, dtype)
    in_scale = True if scaled is False else ~np.asarray(scaled)
    return (np.asarray(found) | (np.abs(q.real) < tiny) | (np.abs(q.imag) < tiny) |
            (((np.abs(native.real) < tiny) | (np.abs(native.imag) < tiny)) & in_scale))


def _reduced_float_one_element(sample, dtype):
    """A float16 or bfloat16 result and a second operand torch takes as a float32 scalar: a one-element tensor of
    another dtype (one of more elements is cast to the result dtype first, into a contiguous buffer, whatever its
    strides), or a Python number that the result dtype does not hold exactly (NumPy rounds the number to
    it first, NEP 50; one it holds gives the same product)."""
    x, y = sample.args[:2]
    t = _torch_result_type((x, y))
    if t is None or D.name_of(t) not in ("float16", "bfloat16") or not isinstance(x, np.ndarray):
        return False
    if isinstance(y, np.ndarray):
        return y.size == 1 and y.dtype != t
    return _reduced_float_number(sample, dtype)


def _reduced_float_number(sample, dtype):
    """A float16 or bfloat16 tensor and a Python number its dtype does not hold exactly"""
    x, y = sample.args[:2]
    if not isinstance(x, np.ndarray) or isinstance(y, bool) or not isinstance(y, (int, float)):
        return False
    t = _torch_result_type((x, y))
    if t is None or D.name_of(t) not in ("float16", "bfloat16"):
        return False
    with np.errstate(all="ignore"):
        try:
            held = float(np.asarray(float(y)).astype(t).astype(np.float64))
        except OverflowError:
            return True
    return not (held == float(y) or (held != held and y != y))


def _reduced_float_number_record(op, torch_ref, example, counterexample, kwargs=None):
    """torch's float16 / bfloat16 division by a Python number: the number in float32 (the scalar path)."""
    kw = dict(kwargs or {})
    (x, y), (t_says, np_says) = example
    return Divergence(
        id=f"{op}-reduced-float-number-in-float32", op=op,
        condition="a float16 or bfloat16 tensor and a Python number divisor its dtype does not hold exactly",
        torch_behaviour="the number is taken as a float32 scalar, not rounded to the tensor's dtype, and the "
                        f"quotient computed in float32: torch.{op}(torch.tensor({x}, dtype=torch.float16), {y}"
                        f"{''.join(f', {k}={v!r}' for k, v in kw.items())}) is {t_says}",
        numpy_behaviour=f"the number is converted to float16 first (NEP 50): {np_says}",
        reference=f"{DOC.format(op)} ; https://numpy.org/neps/nep-0050-scalar-promotion.html", kind="unspecified",
        applies=_reduced_float_number, torch_ref=torch_ref, native=True,
        example=lambda dtype: ((np.array(x, dtype=np.float16), y), dict(kw)),
        counterexample=lambda dtype: ((np.array(x, dtype=np.float16), counterexample), dict(kw)),
        dtypes=("float16",))


def _clamp_tensor_and_number(sample, dtype):
    lo, hi = sample.kwargs.get("min"), sample.kwargs.get("max")
    if lo is None or hi is None:
        return False
    return any(isinstance(a, np.ndarray) and a.ndim > 0 and not isinstance(b, np.ndarray)
               for a, b in ((lo, hi), (hi, lo)))


def _clamp_zero_dim_with_number(sample, dtype):
    lo, hi = sample.kwargs.get("min"), sample.kwargs.get("max")
    if lo is None or hi is None:
        return False
    return any(isinstance(a, np.ndarray) and a.ndim == 0 and not isinstance(b, np.ndarray)
               for a, b in ((lo, hi), (hi, lo)))


def _clamp_bool_unsupported(sample, dtype):
    if dtype != "bool" or not sample.kwargs:
        return False
    bounds = list(sample.kwargs.values())
    return any(isinstance(b, bool) for b in bounds) or (
        len(bounds) == 2 and all(isinstance(b, np.ndarray) for b in bounds) and
        _kind([sample.args[0]] + bounds) == "b")


@_elementwise
def _clamp_zero_tie(sample, dtype):
    """Elementwise: a zero tied with a zero of the other sign in either comparison of min(max(x, min), max) (a
    floating result): the input with a bound, or the input clamped at min (either zero of a tie there) with max.
    So x = -5 with min = -0.0, max = 0.0 is a tie too: max(x, min) is -0.0, tied with max."""
    x = sample.args[0]
    lo, hi = sample.kwargs.get("min"), sample.kwargs.get("max")
    bounds = [v for v in (lo, hi) if v is not None]
    dt = _torch_result_type([x] + bounds)
    if dt is None or _cat(dt) != "float":
        return False
    shape = np.broadcast_shapes(*(np.shape(v) for v in [x] + bounds))

    def wide(v):
        return np.broadcast_to(np.asarray(R._scalar_value(v)).astype(dt).astype(np.float64), shape)

    def tie(a, b):
        return (a == 0) & (b == 0) & (np.signbit(a) != np.signbit(b))

    with np.errstate(all="ignore"):
        xf = wide(x)
        if lo is None or hi is None:
            return tie(xf, wide(bounds[0]))
        lf, hf = wide(lo), wide(hi)
        first = tie(xf, lf)
        clamped = np.where(np.less(xf, lf), lf, xf)  # max(x, min); on a tie (first) either zero
        # a tie with min decides the sign unless a negative max replaces the zero (a zero max ties either zero)
        return (first & ~(hf < 0)) | tie(clamped, hf)


def _pow_negative_scalar_empty(sample, dtype):
    """an empty integer or bool base with a negative integer number as the exponent"""
    x, y = sample.args[:2]
    if not isinstance(x, np.ndarray) or x.size != 0 or isinstance(y, (np.ndarray, bool, np.bool_)):
        return False
    return isinstance(y, (int, np.integer)) and y < 0 and _kind((x, y)) in ("i", "u")


def _pow_negative_int_exponent(sample, dtype):
    x, y = sample.args[:2]
    if _kind((x, y)) not in ("i", "u"):
        return False
    return isinstance(y, np.ndarray) and bool(np.any(y < 0)) and np.size(np.broadcast_to(
        x, np.broadcast_shapes(np.shape(x), np.shape(y)))) > 0


# ---- pow tolerance: conditioning of exp(y * log(x)) ------------------------------------------------------------

def _pow_rounded_exponent_tol(x, y, out):
    """A real result with a Python float exponent (a weak scalar): NumPy (NEP 50) and torch both convert it to the
    result dtype first, fl(y), and compute x ** fl(y); the reference, in float64, takes y as it is. The two exact
    values differ by |x ** fl(y) - x ** y| = |x ** y| |expm1((fl(y) - y) ln|x|)|, known exactly here: that shift
    is added to the dtype's default bound (a 1/3 exponent in bfloat16 moves (3e38) ** y by 6 %). Where x ** fl(y)
    leaves the dtype's range the value may be an infinity (``nonfinite``); where the rounding makes a
    non-integer exponent an integer one (or the reverse), NaN-ness itself changes (``free``). None when fl(y) is
    y."""
    if isinstance(y, (np.ndarray, np.generic)) or P.scalar_kind(y) != "float" or not isinstance(x, np.ndarray):
        return None
    name = D.name_of(out)
    with np.errstate(all="ignore"):
        rounded = float(np.asarray(y).astype(out).astype(np.float64))
        if rounded == y or not math.isfinite(y):
            return None
        xf = x.astype(out).astype(np.float64)
        exact, moved = np.power(xf, y), np.power(xf, rounded)
        shift = np.nan_to_num(np.abs(moved - exact), nan=0.0, posinf=0.0)
        nonfinite = np.isfinite(exact) & ~(np.abs(moved) < T.biggest(name))
        free = np.isnan(exact) != np.isnan(moved)
    base = T.default(name)
    return T.Tolerance(base.rtol, base.atol + shift * (1 + T.unit(name)), nonfinite=nonfinite, free=free,
                       why=f"{name} default + the shift of x ** y by the exponent's rounding to {name}")


def _pow_tol(sample, dtype):
    """Complex pow is evaluated as exp(w), w = y*log(x): the computed w carries an error dw with
    |dw| <= d = 8 u (1 + |y*log(x)|) (the condition number with respect to the exponent; the reference, in
    complex128, does not share it), and |exp(w + dw) - exp(w)| <= |x**y| expm1(|dw|). Each element gets that bound
    on both parts (at least the dtype's default); where an intermediate power |x|**|Re y| or an operand cast to the
    result dtype overflows, torch may give a non-finite value (``nonfinite``)."""
    x, y = sample.args[:2]
    out = _torch_result_type((x, y))
    if out is not None and out.kind in "fV":
        return _pow_rounded_exponent_tol(x, y, out)
    if out is None or out.kind != "c":
        return None
    name = D.name_of(out)
    u = T.unit(name)
    big = T.biggest(name)
    with np.errstate(all="ignore"):
        xc = np.asarray(R._scalar_value(x)).astype(out).astype(np.complex128)
        yc = np.asarray(R._scalar_value(y)).astype(out).astype(np.complex128)
        kappa = np.abs(yc * np.log(xc))
        mag = np.abs(np.power(xc, yc))
        bound = np.nan_to_num(mag * np.expm1(16 * u * (1 + kappa)), nan=0.0, posinf=np.finfo(np.float64).max)
        inter = ~(np.abs(xc) ** np.abs(yc.real) < big) | ~(np.abs(xc) < big) | ~(np.abs(yc) < big) | \
            ~(mag * (1 + 16 * u * (1 + kappa)) < big) | ~(kappa < big)
        shape = np.broadcast_shapes(np.shape(xc), np.shape(yc))
        # neither library specifies complex pow where an operand has an infinite or NaN part (C99 G.6.4.1 leaves
        # cpow to the implementation, exp(y log x) allowed): any value is acceptable there
        special = ~np.isfinite(xc) | ~np.isfinite(yc)
        # the exact modulus |x ** y| = exp(Re(y) log|x| - Im(y) arg(x)) beyond the dtype's range: the result is not
        # representable (NumPy's own overflowed value may be NaN, inf - inf)
        log_mag = yc.real * np.log(np.abs(xc)) - yc.imag * np.angle(xc)
        special |= (xc != 0) & (log_mag > np.log(big))
    base = T.default(name)
    return T.Tolerance(base.rtol, np.broadcast_to(np.maximum(bound, base.atol), shape),
                       nonfinite=np.broadcast_to(inter, shape), free=np.broadcast_to(special, shape),
                       why="complex pow: exp(y log x), condition of y log x")


def _complex_mul_tol(sample, dtype):
    """A complex product x * y: each part ar*br - ai*bi, ar*bi + ai*br is a sum of two products, good to
    sqrt(2) gamma(2) |x| |y| normwise (Higham, sec. 3.6), not relative to the part, which cancellation can make
    small: ``tolerance.sum_of_products`` of one term of two factors, magnitude |x| |y| (in torch's result dtype).
    The magnitude is taken in longdouble (``|x| |y|``, and the ``sqrt(2)`` folded into it, exceed float64's range
    for complex128 parts near its largest value while the bound does not): ``tolerance.sum_of_products_wide``."""
    x, y = _binary_operands(sample)
    out = _torch_result_type((x, y))
    if out is None or out.kind != "c":
        return None
    name = "complex32" if R.torch_gives_complex32(x, y) else D.name_of(out)
    a, b = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        mag = np.abs(a.astype(np.clongdouble)) * np.abs(b.astype(np.clongdouble))
    return T.sum_of_products_wide(name, mag, 1, device="cpu")


def _complex_div_tol(sample, dtype):
    """A complex quotient q = x / y is good normwise, not per part (a part much smaller than |q| can lose all its
    digits; Higham, sec. 3.6, (3.11)). Smith's algorithm (r = d/c, den = c + d r, parts (a + b r)/den and
    (b - a r)/den, |d| <= |c|): den has no cancellation (d r has c's sign), so it is good to gamma(3); each
    numerator's absolute error is at most gamma(3) (|a| + |b| |r|) <= gamma(3) |x| sqrt(1 + r**2) (Cauchy-Schwarz),
    and |den| = |y| / sqrt(1 + r**2): with the division, each part is within gamma(7) |q|. The kernel that scales
    by the larger part s of the divisor (x conj(y/s) / |y/s|**2 / s) has one more rounding: gamma(8) |q| per part,
    in the accumulation type, plus the final rounding to the result, plus what underflowing products lose (below)."""
    x, y = _binary_operands(sample)
    out = _torch_result_type((x, y))
    if out is None or out.kind != "c" or sample.kwargs.get("rounding_mode") is not None or \
            R.torch_gives_complex32(x, y):
        return None
    name = D.name_of(out)
    a, b = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        # gamma(8) |x| / |y| <= gamma(8) sqrt(2) max|x part| / max|y part|, the factor applied before the division
        # so that it stays finite where |q| overflows (a part of q beyond the largest finite value leaves the other
        # part a finite bound)
        ua = T.unit(T.accumulation(name))
        big_x = np.maximum(np.abs(a.real), np.abs(a.imag))
        big_y = np.maximum(np.abs(b.real), np.abs(b.imag))
        bound = ((1 + T.unit(name)) * T.gamma(8, ua) * math.sqrt(2.0) * big_x) / big_y
        # a product in a numerator that underflows is off by up to half the smallest subnormal, two per part, and
        # the denominator it is divided by is at least the divisor's larger part (Smith's c (1 + r**2), the
        # scaled kernel's |y/s|**2 s with |y/s| >= 1)
        bound = bound + 2 * T.eta(T.accumulation(name)) / big_y
        # a bound past the largest finite value means |q| is beyond it (not representable): the normwise bound
        # then says nothing finer than "any finite value" for a finite part (NaN and infinities still must match)
        bound = np.where(np.isfinite(bound), bound, T.biggest(name))
    return T.absolute(name, bound, why="complex quotient, normwise gamma(8) |q|")


def _sigmoid_tol(sample, dtype):
    """Complex sigmoid s = 1/(1+exp(-z)) has poles at z = i(2k+1)pi; an evaluation in the working precision loses
    accuracy in proportion to |s|**2 |exp(-z)| = |s| |1 - s| (the error of exp(-z) amplified by the division),
    while the reference is complex128: each element gets 8 u |s| |1 - s| on both parts (at least the default),
    finite everywhere. Where exp(-z) overflows the working precision although s (about 0) does not, torch may give
    a non-finite value (``nonfinite``; a finite one must still be about 0)."""
    dtype = _input_dtype(sample)
    if dtype not in D.COMPLEX:
        return None
    u = T.unit(dtype)
    with np.errstate(all="ignore"):
        z = np.asarray(sample.args[0]).astype(np.complex128)
        s = R.sigmoid(z)
        bound = np.nan_to_num(8 * 2 * u * np.abs(s) * np.abs(1 - s), nan=0.0)
        overflow = ~(-z.real <= np.log(T.biggest(dtype)))
    base = T.default(dtype)
    return T.Tolerance(base.rtol, np.maximum(bound, base.atol), nonfinite=overflow,
                       why="complex sigmoid: conditioning near its poles")


# ---- records shared by several entries -------------------------------------------------------------------------

def _no_kernel(op, what, applies, example, counterexample, dtypes_):
    """Partial support: torch has a kernel for some operand forms of ``dtypes_`` only, and raises
    NotImplementedError on the others (where NumPy computes)."""
    return Divergence(
        id=f"{op}-{what}-no-kernel", op=op, condition=applies.__doc__.strip(),
        torch_behaviour="raises NotImplementedError ('\"..._stub\" not implemented for ...'), although other operand "
                        "forms of the same dtype compute",
        numpy_behaviour="computes", reference=P.LIMITED_DOC, kind="unspecified", applies=applies,
        raises=NotImplementedError, example=example, counterexample=counterexample, dtypes=dtypes_)


def _wide_unsigned_result(sample, dtype):
    """torch's result dtype is uint16, uint32 or uint64 (the operands' promoted dtype)"""
    t = _torch_result_type(_binary_operands(sample))
    return t is not None and D.name_of(t) in WIDE_UNSIGNED


def _wide_unsigned(op):
    return _no_kernel(op, "wide-unsigned", _wide_unsigned_result,
                      lambda dtype: ((np.array([1, 2], dtype=np.uint16), np.array([3, 4], dtype=np.uint16)), {}),
                      lambda dtype: ((np.array([1, 2], dtype=np.uint16), np.array([2.5, 1.0], dtype=np.float32)), {}),
                      ("uint16",))


def _float8_result(sample, dtype):
    """torch's result dtype is a float8 format"""
    t = _torch_result_type(_binary_operands(sample))
    return t is not None and D.name_of(t) in D.FLOAT8


def _float8(op):
    f8 = D.NUMPY["float8_e4m3fn"]
    return _no_kernel(op, "float8", _float8_result,
                      lambda dtype: ((np.array([1.0, 2.0], dtype=f8), np.array([0.5, 2.0], dtype=f8)), {}),
                      lambda dtype: ((np.array([1.0, 2.0], dtype=np.float16), np.array([0.5, 2.0], dtype=np.float16)),
                                     {}), ("float8_e4m3fn",))


def _float_unary(name, ref, model, extra=(), **kw):
    return OpEntry(name, F, f"torch.{name}", ref, S.unary, method=name, inplace=f"{name}_",
                   divergences=(_int_input(name, ref, model),) + tuple(extra), **kw)


def _binary(name, ref, model, partners=D.ALL, extra=(), inputs=None, inplace=True, complex_ok=True,
            python_scalars=True, no_kernel=(), float8=True, complex32=True, int_out_of_range="wraps",
            promotion_example=None, **kw):
    """A binary op: torch's refusals to promote first (every model assumes a dtype), then the op's own records,
    the forms it has no kernel for (``float8``: none for a float8 result, unless the op says otherwise), and the
    promotion records."""
    inputs = inputs or (lambda dtype: S.mixed_binary(dtype, partners))
    promo = P.divergences(name, model, complex_ok=complex_ok, python_scalars=python_scalars, complex32=complex32,
                          int_out_of_range=int_out_of_range, example_args=promotion_example)
    refused = tuple(d for d in promo if d.id.endswith("-promotion-unsupported"))
    rest = tuple(d for d in promo if d not in refused)
    if float8:
        no_kernel = tuple(no_kernel) + (_float8(name),)
    # relaxations widen the comparison with NumPy's reference: a promotion record, which holds torch to its model
    # on the whole result, comes first, and the relaxations compose with it (check.more_relaxations)
    kw.setdefault("ufunc", True)
    return OpEntry(name, F, f"torch.{name}", ref, inputs, method=name,
                   inplace=f"{name}_" if inplace else None,
                   divergences=_ordered(extra, refused, no_kernel, rest), **kw)


def _ordered(extra, refused, no_kernel, promotion):
    """The records of an op in the order they are tried: the op's own refusals (an argument form it does not
    take) before torch's refusals to promote (every model assumes a dtype), then the forms without a kernel, the
    op's other records, the promotion records, and last the relaxations, which widen the comparison with NumPy's
    reference and compose with whatever record applies first (check.more_relaxations)."""
    raising = tuple(d for d in extra if d.raises is not None)
    relaxations = tuple(d for d in extra if d.elementwise)
    others = tuple(d for d in extra if d not in raising and d not in relaxations)
    return raising + tuple(refused) + tuple(no_kernel) + others + tuple(promotion) + relaxations


#: the smallest complex tensor the vectorized neg kernel takes (complex128 on AVX2: 4 elements at a time; complex64
#: takes 8 there, 16 with AVX-512): at least this many elements, and torch may lose the sign of a zero part
_NEG_VECTOR = 4


@_elementwise
def _neg_complex_zero_applies(sample, dtype):
    """Elementwise: the zero parts of a complex tensor of at least _NEG_VECTOR elements."""
    z = np.asarray(sample.args[0])
    if z.dtype.kind != "c" or z.size < _NEG_VECTOR:
        return False
    return _zero_part_of(z)


def _neg_complex_zero():
    return Divergence(
        id="neg-complex-signed-zero", op="neg",
        condition=f"the zero real or imaginary parts of a complex tensor of {_NEG_VECTOR} or more elements (the "
                  "vectorized path: complex64 from 8 elements on AVX2, complex128 from 4; the scalar tail and strided "
                  "inputs keep the sign)",
        torch_behaviour="a zero part comes out as +0.0 whatever its sign (0 - z): "
                        "torch.neg(torch.zeros(8, dtype=torch.complex64))[0] is 0j (a 2-element tensor gives -0-0j)",
        numpy_behaviour="-0.0 for +0.0 and +0.0 for -0.0 (IEEE negation)",
        reference="https://pytorch.org/docs/stable/generated/torch.neg.html (no issue found)", kind="bug",
        applies=_neg_complex_zero_applies, relax_signed_zero=True,
        example=lambda dtype: ((np.zeros(8, dtype=dtype),), {}),
        counterexample=lambda dtype: ((np.zeros(2, dtype=dtype),), {}),
        dtypes=("complex64", "complex128"), devices=("cpu",))


@_elementwise
def _log1p_extreme_imag(sample, dtype):
    """Elementwise: complex inputs with a finite real part and an infinite imaginary part, an infinite part and a
    NaN one, or of modulus below 0.5 with a subnormal (non-zero) imaginary part."""
    z = np.asarray(sample.args[0])
    if z.dtype.kind != "c":
        return False
    tiny = float(np.finfo(z.dtype).tiny)
    z = z.astype(np.complex128)
    with np.errstate(all="ignore"):
        subnormal = np.isfinite(z) & (np.abs(z) < 0.5) & (np.abs(z.imag) < tiny) & (z.imag != 0)
        return subnormal | (np.isfinite(z.real) & np.isinf(z.imag)) | (np.isinf(z.real) & np.isnan(z.imag)) | \
            (np.isnan(z.real) & np.isinf(z.imag))


@_elementwise
def _log1p_zero_part(sample, dtype):
    """Elementwise: complex inputs with a zero real or imaginary part, or whose log1p (NumPy's, rounded to the
    input's dtype) has one (a subnormal imaginary part whose image underflows)."""
    z = np.asarray(sample.args[0])
    if z.dtype.kind != "c":
        return False
    with np.errstate(all="ignore"):
        image = R.log1p(z.astype(np.complex128)).astype(z.dtype)
    return _zero_part_of(z) | _zero_part_of(image)


def _log1p_complex():
    return (
        Divergence(
            id="log1p-complex-nonfinite", op="log1p",
            condition="complex inputs with a finite real part and an infinite imaginary part, or an infinite part and "
                      "a NaN one; or of modulus below 0.5 with a subnormal (non-zero) imaginary part",
            torch_behaviour="nan+nanj for some of them, depending on the real part's bits: "
                            "torch.log1p(torch.tensor([0.3-infj])) is nan+nanj (2-infj gives inf-1.57j), "
                            "torch.log1p(torch.tensor([1e-14+1e-42j])) and "
                            "torch.log1p(torch.tensor([1e-20+1e-310j], dtype=torch.complex128)) give nan+nanj, as does "
                            "inf+nanj",
            numpy_behaviour="inf-1.5707963267948966j, about z itself (1e-14+1e-42j, 1e-20+1e-310j), inf+nanj",
            reference="https://pytorch.org/docs/stable/generated/torch.log1p.html (no issue found)", kind="bug",
            applies=_log1p_extreme_imag, accept_nonfinite=_log1p_extreme_imag,
            example=lambda dtype: ((np.array([complex(0.3, -np.inf), 0.25 + 0.5j], dtype=dtype),), {}),
            counterexample=lambda dtype: ((np.array([complex(0.3, -1.0), 0.25 + 0.5j], dtype=dtype),), {}),
            dtypes=("complex64", "complex128")),
        Divergence(
            id="log1p-complex-signed-zero", op="log1p",
            condition="complex inputs with a zero real or imaginary part, or whose result has one",
            torch_behaviour="the sign of a zero part of the result follows torch's formulas, not the symmetry "
                            "log1p(conj z) = conj log1p(z): torch.log1p(torch.tensor([complex(0.01, -0.0)])) is "
                            "0.00995+0j (the -0.0 imaginary part lost; complex(0.6, -0.0) keeps it), "
                            "torch.log1p(torch.tensor([complex(-0.0, 0.0)])) is -0+0j (as real log1p(-0.0))",
            numpy_behaviour="0.00995-0j, 0+0j (log(1 + z))",
            reference="https://pytorch.org/docs/stable/generated/torch.log1p.html (no issue found)", kind="bug",
            applies=_log1p_zero_part, relax_signed_zero=True,
            example=lambda dtype: ((np.array([complex(0.01, -0.0), 0.25 + 0.5j], dtype=dtype),), {}),
            counterexample=lambda dtype: ((np.array([complex(0.01, -1e-3), 0.25 + 0.5j], dtype=dtype),), {}),
            dtypes=("complex64", "complex128")),
    )


#: the shortest float8 tensor whose abs takes the vectorized path (64 elements at a time on AVX2; half that for
#: narrower vectors)
_FLOAT8_ABS_RUN = 32


@_elementwise
def _abs_float8_negative_zero(sample, dtype):
    """Elementwise: -0.0 inputs of a float8_e4m3fn / float8_e5m2 tensor long enough for the vectorized path."""
    x = np.asarray(sample.args[0])
    if D.name_of(x.dtype) not in ("float8_e4m3fn", "float8_e5m2") or x.size < _FLOAT8_ABS_RUN or \
            "strided" in sample.layouts:
        return False
    xf = x.astype(np.float64)
    return (xf == 0) & np.signbit(xf)


@_elementwise
def _e8m0_nan(sample, dtype):
    """Elementwise: the NaNs of a float8_e8m0fnu input."""
    x = np.asarray(sample.args[0])
    if D.name_of(x.dtype) != "float8_e8m0fnu":
        return False
    return np.isnan(x.astype(np.float64))


@_elementwise
def _sigmoid_zero_part(sample, dtype):
    """Elementwise: complex inputs whose sigmoid (NumPy's, of the input) has a zero part."""
    z = np.asarray(sample.args[0])
    if z.dtype.kind != "c":
        return False
    with np.errstate(all="ignore"):
        return _zero_part_of(R.sigmoid(z.astype(np.complex128)).astype(z.dtype))


@_elementwise
def _sign_nan(sample, dtype):
    """Elementwise: the NaNs of a floating input."""
    x = np.asarray(sample.args[0])
    if not D.is_floating(D.name_of(x.dtype)):
        return False
    with np.errstate(all="ignore"):
        return np.isnan(x.astype(np.float64))


def _sign_divergences():
    nan = float("nan")
    return (
        _raises("sign-complex", "sign", "a complex input",
                "raises NotImplementedError: 'Unlike NumPy, torch.sign is not intended to support complex numbers. "
                "Please use torch.sgn instead.'", "z/|z| (NumPy 2)", DOC.format("sgn"), "intended",
                lambda sample, dtype: D.is_complex(_input_dtype(sample)), NotImplementedError,
                lambda dtype: ((np.array([1j, 3 + 4j], dtype=dtype),), {}), ("complex64",),
                lambda dtype: ((np.array([1.0, -3.0], dtype=np.float32),), {})),
        Divergence(
            id="sign-bool", op="sign", condition="a bool input",
            torch_behaviour="returns the input (the sign of True is True)",
            numpy_behaviour="raises: np.sign has no bool loop", reference=DOC.format("sign"), kind="unspecified",
            applies=_dtype_in("bool"), torch_ref=R.sign_torch,
            example=lambda dtype: ((np.array([True, False]),), {}),
            counterexample=lambda dtype: ((np.array([1, 0], dtype=np.uint8),), {}), dtypes=("bool",)),
        Divergence(
            id="sign-nan", op="sign", condition="the NaNs of a floating input",
            torch_behaviour="sign(NaN) is 0: torch.sign(torch.tensor([float('nan')])) is tensor([0.])",
            numpy_behaviour="sign(NaN) is NaN",
            reference="https://github.com/pytorch/pytorch/issues/41245", kind="bug",
            applies=_sign_nan, torch_ref=R.sign_torch,
            example=lambda dtype: ((np.array([nan, -1.0, 2.0], dtype=D.NUMPY[dtype]),), {}),
            counterexample=lambda dtype: ((np.array([-0.5, -1.0, 2.0], dtype=D.NUMPY[dtype]),), {}),
            dtypes=("float32",)),
    )


def _maximum_like(name, model):
    doc = DOC.format(name)
    return _binary(name, getattr(np, name), model, inplace=False, python_scalars=False, complex32=False,
                   no_kernel=(_wide_unsigned(name),), extra=(
        _raises(f"{name}-python-scalar", name, "a Python number (or NumPy scalar) as the second operand",
                f"raises TypeError: '{name}(): argument 'other' (position 2) must be Tensor'",
                "takes it (as a weak scalar)", doc, "intended",
                lambda sample, dtype: not isinstance(sample.args[1], np.ndarray), TypeError,
                lambda dtype: ((np.array([1.0, -2.0], dtype=np.float32), 0.5), {}), ("float32",),
                lambda dtype: ((np.array([1.0, -2.0], dtype=np.float32), np.array(0.5, dtype=np.float32)), {})),
        _raises(f"{name}-complex", name, "a complex operand",
                f"raises RuntimeError: '{name} not implemented for complex tensors.'",
                "orders complex numbers lexicographically", doc, "intended", _complex_dtype_applies, RuntimeError,
                lambda dtype: ((np.array([1 + 1j, 2j], dtype=dtype), np.array([1j, 1 + 0j], dtype=dtype)), {}),
                ("complex64",),
                lambda dtype: ((np.array([1.0, 2.0], dtype=np.float32), np.array([0.0, 3.0], dtype=np.float32)),
                               {})),
        Divergence(
            id=f"{name}-signed-zero", op=name, condition="elements where the two operands are zeros of opposite "
                                                         "signs",
            torch_behaviour="depends on the kernel path: a short tensor gives the first operand "
                            f"(torch.{name}(torch.tensor([-0.0]), torch.tensor([0.0])) is -0.0), a vectorized one "
                            "(16 elements and more) the second",
            numpy_behaviour=f"the second one: np.{name}(-0.0, 0.0) is 0.0",
            reference=doc, kind="unspecified", applies=_opposite_zero_signs, relax_signed_zero=True,
            example=lambda dtype: ((np.array([-0.0, 0.0], dtype=D.NUMPY[dtype]),
                                    np.array([0.0, -0.0], dtype=D.NUMPY[dtype])), {}),
            counterexample=lambda dtype: ((np.array([-0.0, 0.0], dtype=D.NUMPY[dtype]),
                                           np.array([-0.0, 0.0], dtype=D.NUMPY[dtype])), {}),
            dtypes=("float32",)),
    ))


def _float16_number_rounds_twice(sample, dtype):
    """a float16 result (torch's) with a Python float operand whose float16 value through float32 is not its
    float16 rounding"""
    ops = _binary_operands(sample)
    t = _torch_result_type(ops)
    if t is None or t != np.float16:
        return False
    with np.errstate(all="ignore"):
        return any(P.is_python_number(v, "float") and math.isfinite(v) and
                   np.float16(np.float32(v)) != np.float16(v) for v in ops)


def _fmod_like(name, ref, model):
    """fmod and remainder: NumPy computes them in the operands' promoted dtype, a Python number operand rounded to
    it first (NEP 50), and fmod is exact there (remainder adds at most one rounding): the reference is not upcast,
    since the result is ill-conditioned in the divisor (|x / y| times its rounding error) and a divisor kept exact
    in float64 would not be NumPy's."""
    big = {"float32": 3e38, "float64": 1e308}
    return _binary(name, ref, model, partners=D.REAL + D.BOOL, complex_ok=False, upcast=False,
                   no_kernel=(_wide_unsigned(name),), extra=(
        _bool_unsupported(name, other=True),
        _int_div_by_zero(name),
        Divergence(
            id=f"{name}-huge-quotient-nan", op=name,
            condition="elements where |x / y| overflows the precision torch computes in (x huge, y small), in a "
                      "result long enough for the vectorized kernel and without strided operands of the computation "
                      "dtype (a strided operand of another dtype is cast into a contiguous buffer first)",
            torch_behaviour=f"NaN: torch.{name}(torch.full((32,), 1e308, dtype=torch.float64), 0.5) is NaN "
                            "(Sleef's fmod); a short tensor, a strided one or the tail of a long one gives the exact "
                            "remainder",
            numpy_behaviour="the exact remainder (0.0 here)",
            reference="https://github.com/pytorch/pytorch/issues/193753", kind="bug",
            applies=_huge_quotient, accept_nonfinite=_huge_quotient,
            example=lambda dtype: ((np.full(32, big[dtype], dtype=dtype), np.full(32, 0.5, dtype=dtype)), {}),
            counterexample=lambda dtype: ((np.full(2, big[dtype], dtype=dtype), np.full(2, 0.5, dtype=dtype)), {}),
            dtypes=("float32", "float64"), devices=("cpu",)),
        Divergence(
            id=f"{name}-float16-number-rounded-twice", op=name,
            condition="a float16 result with a Python float operand that rounds to another float16 value through "
                      "float32 than directly",
            torch_behaviour="the number is converted to float32, then to float16 (c10::Half is constructed from a "
                            f"float): torch.{name}(torch.tensor([3.], dtype=torch.float16), 1 + 2**-11 + 2**-40) is "
                            "[0.] (the divisor became 1.0)",
            numpy_behaviour="the number is rounded to float16 once (NEP 50): 1.001 and the remainder 0.998",
            reference="https://numpy.org/neps/nep-0050-scalar-promotion.html ; c10/util/Half.h (no upstream issue "
                      "found)", kind="bug", applies=_float16_number_rounds_twice, torch_ref=model, native=True,
            example=lambda dtype: ((np.full(2, 3.0, dtype=np.float16), 1 + 2 ** -11 + 2 ** -40), {}),
            counterexample=lambda dtype: ((np.full(2, 3.0, dtype=np.float16), 1 + 2 ** -10), {}),
            dtypes=("float16",)),
    ) + ((Divergence(
        id="remainder-zero-sign", op="remainder",
        condition="elements of a zero result (x a multiple of y) with x and y of opposite signs",
        torch_behaviour="the zero takes the sign of the dividend x: torch.remainder(torch.tensor([-1.0]), 1.0) is -0.0",
        numpy_behaviour="the zero takes the sign of the divisor, as Python's %: 0.0 (the torch docs say so too)",
        reference="https://github.com/pytorch/pytorch/issues/193755", kind="bug",
        applies=_remainder_zero_sign, relax_signed_zero=True,
        example=lambda dtype: ((np.array([-1.0, 2.0], dtype=dtype), np.array([1.0, -1.0], dtype=dtype)), {}),
        counterexample=lambda dtype: ((np.array([-1.0, 2.0], dtype=dtype), np.array([-1.0, 1.0], dtype=dtype)), {}),
        dtypes=("float32",)),) if name == "remainder" else ()))


def _div_wide_unsigned_rounding(sample, dtype):
    """a uint16, uint32 or uint64 result with a rounding_mode ('trunc' or 'floor')"""
    return sample.kwargs.get("rounding_mode") is not None and _wide_unsigned_result(sample, dtype)


@_elementwise
def _pow_rsqrt_negative_zero(sample, dtype):
    """Elementwise: -0.0 and -inf bases of a floating result other than float16 (whose kernel computes IEEE pow:
    inf and 0, as NumPy) with the Python exponent -0.5"""
    x, y = _binary_operands(sample)
    if isinstance(y, np.ndarray) or P.scalar_kind(y) != "float" or y != -0.5 or not _same_dtype(sample) or \
            _kind((x, y)) not in ("f", "V") or D.name_of(_torch_result_type((x, y))) == "float16":
        return False
    xf, _ = _wide(sample, dtype)
    return ((xf == 0) | np.isinf(xf)) & np.signbit(xf)


def _pow_e8m0_zero_exponent(sample, dtype):
    """A float8_e8m0fnu tensor to a Python 0 (the format has no zero)"""
    x, y = sample.args[:2]
    return (isinstance(x, np.ndarray) and D.name_of(x.dtype) == "float8_e8m0fnu" and not isinstance(y, bool)
            and isinstance(y, (int, float)) and y == 0)

@_elementwise
def _pow_half_sqrt_negative_zero(sample, dtype):
    """Elementwise: -0.0 and -inf bases of a float16 result with the Python exponent 0.5"""
    x, y = _binary_operands(sample)
    if isinstance(y, np.ndarray) or P.scalar_kind(y) != "float" or y != 0.5 or not _same_dtype(sample) or \
            D.name_of(_torch_result_type((x, y))) != "float16":
        return False
    xf, _ = _wide(sample, dtype)
    return ((xf == 0) | np.isinf(xf)) & np.signbit(xf)


def _pow_float8(sample, dtype):
    """a float8 result whose exponent is not a Python 0 or 1 (which torch answers without computing)"""
    x, y = _binary_operands(sample)
    t = _torch_result_type((x, y))
    trivial = not isinstance(y, np.ndarray) and P.scalar_kind(y) in ("bool", "int", "float") and y in (0, 1)
    return t is not None and D.name_of(t) in D.FLOAT8 and not trivial


def _pow_wide_unsigned(sample, dtype):
    """a uint16, uint32 or uint64 result whose exponent is not a Python 0 or 1 (which torch answers without
    computing)"""
    y = sample.args[1]
    number = not isinstance(y, np.ndarray) and P.scalar_kind(y) in ("bool", "int", "float")
    trivial = number and y in (0, 1)
    negative_int = number and P.scalar_kind(y) == "int" and y < 0  # refused by both (integers to negative powers)
    return _wide_unsigned_result(sample, dtype) and not trivial and not negative_int


def _clamp_wide_unsigned(sample, dtype):
    """a uint16, uint32 or uint64 result (integer or tensor bounds)"""
    t = _torch_result_type([sample.args[0], sample.kwargs.get("min"), sample.kwargs.get("max")])
    return t is not None and D.name_of(t) in WIDE_UNSIGNED


@_elementwise
def _sub_alpha_zero(sample, dtype):
    """Elementwise: alpha=0, a floating result, x -0.0."""
    if sample.kwargs.get("alpha") != 0 or _kind(sample.args[:2]) not in ("f", "V"):
        return False
    xf, _ = _wide(sample, dtype)
    return (xf == 0) & np.signbit(xf)


def _clamp_operands(sample):
    """clamp's operands as torch promotes them: a zero-dim tensor bound next to a Python number bound is taken as a
    Python number (the overload for two numbers matches: clamp-zero-dim-bound-as-number)."""
    lo, hi = sample.kwargs.get("min"), sample.kwargs.get("max")
    if lo is not None and hi is not None and (isinstance(lo, np.ndarray) != isinstance(hi, np.ndarray)):
        lo, hi = (b.item() if isinstance(b, np.ndarray) and b.ndim == 0 else b for b in (lo, hi))
    return [sample.args[0], lo, hi]


_CLAMP_PROMOTION = P.divergences("clamp", R.clamp_torch, operands=_clamp_operands,
                                 example_args=lambda x, b: ((x,), {"min": b}), complex_ok=False,
                                 int_out_of_range="raises")

def _clamp_number_out_of_range(sample, dtype):
    """a Python number bound that torch's checked conversion to the result dtype refuses; not where both bounds
    are given and one is NaN (a Python float or a zero-dim array, taken as a number: torch fills the result with
    NaN before converting either, so clamp(uint8 [5], min=nan, max=-1e40) is a float32 NaN)"""
    ops = [sample.args[0], sample.kwargs.get("min"), sample.kwargs.get("max")]
    if all(b is not None for b in ops[1:]) and any(
            (isinstance(b, float) or (isinstance(b, np.ndarray) and b.ndim == 0 and b.dtype.kind in "fcV")) and
            bool(np.isnan(np.asarray(b, dtype=np.complex128 if np.iscomplexobj(b) else np.float64)))
            for b in ops[1:]):
        return False
    t = _torch_result_type(ops)
    return t is not None and any(
        isinstance(b, (int, float)) and not isinstance(b, bool) and not R._number_fits(b, t) for b in ops[1:])


def _clamp_wide_unsigned_record(applies, example, counterexample, dtypes_):
    found = _no_kernel("clamp", "wide-unsigned", applies, example, counterexample, dtypes_)
    return dataclasses.replace(
        found, raises=(NotImplementedError, RuntimeError),
        torch_behaviour="raises NotImplementedError ('\"clamp_scalar_cpu\" not implemented for 'UInt64''), or, for a "
                        "zero-dim unsigned bound next to a number bound (taken as an int64 number), RuntimeError "
                        "('Promotion for uint16, uint32, uint64 types is not supported'); float bounds compute")


def _clamp_float8(sample, dtype):
    """a non-empty float8 result (a float8_e8m0fnu bound of lower priority than a floating input is converted to
    the input's dtype: torch.clamp(torch.randn(2, 4), min=torch.tensor(1.0).to(torch.float8_e8m0fnu)) computes)"""
    ops = [sample.args[0], sample.kwargs.get("min"), sample.kwargs.get("max")]
    t = _torch_result_type(ops)
    shape = np.broadcast_shapes(*(np.shape(v) for v in ops if isinstance(v, np.ndarray)))
    return t is not None and D.name_of(t) in D.FLOAT8 and int(np.prod(shape, dtype=np.int64)) > 0


def _where_float8_conversion(sample, dtype):
    """a float8_e4m3fn or float8_e8m0fnu result with an operand of another dtype (converted to it)"""
    ops = list(sample.args[1:])
    t = _torch_result_type(ops)
    return (t is not None and D.name_of(t) in ("float8_e4m3fn", "float8_e8m0fnu") and
            any(not (isinstance(v, np.ndarray) and v.dtype == t) for v in ops))


def _where_divergences():
    promo = P.divergences("where", R.where_torch, operands=lambda s: list(s.args[1:]),
                          example_args=lambda x, y: ((np.ones(np.shape(x), dtype=bool), x, y), {}),
                          int_out_of_range="raises")
    e4 = D.NUMPY["float8_e4m3fn"]
    conversion = Divergence(
        id="where-float8-conversion", op="where",
        condition="a float8_e4m3fn or float8_e8m0fnu result with an operand of another dtype, converted to it",
        torch_behaviour="torch's conversion: float8_e4m3fn saturates beyond its range (1e6 and inf become 448), "
                        "float8_e8m0fnu takes a negative value's magnitude and zero to 2**-127: "
                        "torch.where(torch.tensor([True]), torch.tensor(1.0).to(torch.float8_e8m0fnu), -7.0) is 8",
        numpy_behaviour="ml_dtypes' conversion gives NaN there",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types)", kind="unspecified",
        applies=_where_float8_conversion, torch_ref=R.where_torch_float8, native=True,
        example=lambda dtype: ((np.array([True, False]), np.array([1.0, 2.0], dtype=e4), 1e6), {}),
        counterexample=lambda dtype: ((np.array([True, False]), np.array([1.0, 2.0], dtype=e4),
                                       np.array([4.0, 8.0], dtype=e4)), {}),
        dtypes=("float8_e4m3fn",))
    refused = tuple(d for d in promo if d.id.endswith("-promotion-unsupported"))
    out_of_range = _raises(
        "where-number-out-of-range", "where",
        "a Python number (or NumPy scalar) operand outside the range of torch's result dtype, an integer or "
        "float32 one (2**40 with an int8 tensor, -1e40 where the result is float32; float16 and bfloat16 take any "
        "float, converted: inf), or a Python int that is no int64 or uint64 (below -2**63, from 2**64 on) whatever "
        "the result dtype",
        "raises RuntimeError: 'value cannot be converted to type int8_t without overflow'; OverflowError ('int too "
        "big to convert') for an int beyond int64 and uint64",
        "computes (the number widens the result dtype, or is converted: -inf)", DOC.format("where"), "intended",
        _where_number_out_of_range, (RuntimeError, OverflowError),
        lambda dtype: ((np.array([True, False]), np.array([1, 2], dtype=np.int8), 2 ** 40), {}), ("int8",),
        lambda dtype: ((np.array([True, False]), np.array([1, 2], dtype=np.int8), 100), {}))
    return (out_of_range,) + refused + (conversion,) + tuple(d for d in promo if d not in refused)


def _where_number_out_of_range(sample, dtype):
    """a Python number or NumPy scalar operand that torch's checked conversion to the result dtype refuses"""
    ops = list(sample.args[1:])
    if any(P.is_python_number(v, "int") and not -2 ** 63 <= v < 2 ** 64 for v in ops):
        return True  # torch cannot read the int at all (OverflowError), whatever the result dtype
    t = _torch_result_type(ops)
    if t is not None and t.kind == "c":  # each part of the number converted to the part dtype, checked
        top = float(np.finfo(np.float32 if t == np.complex64 else np.float64).max)
        return any(P.scalar_kind(v) in ("int", "float", "complex") and not isinstance(v, np.ndarray) and
                   any(math.isfinite(p) and abs(p) > top for p in (complex(v).real, complex(v).imag))
                   for v in ops)
    # float16 / bfloat16 take any float, converted without a check (inf beyond the range, as NumPy converts)
    return t is not None and D.name_of(t) not in D.FLOAT8 + ("float16", "bfloat16") and any(
        P.scalar_kind(v) in ("int", "float") and not isinstance(v, np.ndarray) and
        not R._number_fits(R._scalar_value(v) if isinstance(v, np.generic) else v, t) for v in ops)


@_elementwise
def _pow_complex_zero_base(sample, dtype):
    """Elementwise: a complex result (torch and NumPy agreeing on its dtype) with a zero base and an exponent of
    negative real part, or an exponent tensor of 0."""
    x, y = _binary_operands(sample)
    if _kind((x, y)) != "c" or not _same_dtype(sample):
        return False
    xf, yf = _wide(sample, dtype)
    return (xf == 0) & ((yf.real < 0) | ((yf == 0) & isinstance(y, np.ndarray)))


@_elementwise
def _mul_zero_sign(sample, dtype):
    """Elementwise: a zero part of NumPy's complex product (of the operands in torch's result dtype) whose two
    products (ar*br and ai*bi for the real part, ar*bi and ai*br for the imaginary one) are not both exact zeros of
    positive operand zeros: a product that underflows, or a -0.0 part, decides the sign of the zero. Mixed
    operands too (a zero-dim float64 with a complex64 tensor: torch's paths multiply the real scalar by both parts,
    or form the complex product with its +0 imaginary part, and an underflowed part takes either sign)."""
    if _kind(_binary_operands(sample)) != "c":
        return False
    dt = _torch_result_type(_binary_operands(sample))
    a, b = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        z = np.asarray(np.multiply(a.astype(dt), b.astype(dt)))
        ar, ai, br, bi = (v != 0 for v in (a.real, a.imag, b.real, b.imag))
        parts = ((z.real, (ar & br, ai & bi)), (z.imag, (ar & bi, ai & br)))
        neg_zero = [np.signbit(v) & (v == 0) for v in (a.real, a.imag, b.real, b.imag)]
        any_neg_zero = np.logical_or.reduce(neg_zero)
        found = np.zeros(z.shape, dtype=bool)
        for part, (p1, p2) in parts:
            found |= (part == 0) & (p1 | p2 | any_neg_zero)
    return found


@_elementwise
def _complex_infinite_operand(sample, dtype):
    """Elementwise: a complex result where an operand (in torch's result dtype) has an infinite part."""
    if _kind(_binary_operands(sample)) != "c":
        return False
    a, b = _wide(sample, dtype)
    return np.isinf(a.real) | np.isinf(a.imag) | np.isinf(b.real) | np.isinf(b.imag)


@_elementwise
def _complex_divisor_out_of_scale(sample, dtype):
    """Elementwise: a complex quotient whose divisor b (finite, non-zero, in torch's result dtype) makes the scaled
    denominator of Smith's algorithm, d = max(|br|, |bi|) + min(|br|, |bi|)**2 / max(...), leave the dtype's
    range, or its reciprocal do so (max(|br|, |bi|) below 1 / the largest finite value), or whose finite dividend
    has |ar| + |ai| beyond the range (the numerator ar + ai * r or ai - ar * r may overflow)."""
    x, y = _binary_operands(sample)
    if _kind((x, y)) != "c" or not _same_dtype(sample):
        return False
    big = T.biggest(D.name_of(_torch_result_type((x, y))))
    _, b = _wide(sample, dtype)
    with np.errstate(all="ignore"):
        hi = np.maximum(np.abs(b.real), np.abs(b.imag))
        lo = np.minimum(np.abs(b.real), np.abs(b.imag))
        d = hi + lo * (lo / np.where(hi > 0, hi, 1.0))
        a, _ = _wide(sample, dtype)
        huge = np.abs(a.real) + np.abs(a.imag) > big
        return np.isfinite(b) & (hi > 0) & ((d > big) | (hi < 1.0 / big) | (np.isfinite(a) & huge))


def _gradient_raises(op, id_, condition, behaviour, applies, exc, reference, kind="bug"):
    """A backward that raises where the forward computes (no NumPy counterpart: the record pins torch's refusal)."""
    return Divergence(id=id_, op=op, condition=condition, torch_behaviour=behaviour,
                      numpy_behaviour="(no NumPy counterpart: the finite differences of the NumPy reference exist)",
                      reference=reference, kind=kind, applies=applies, raises=exc, about="gradient")


def _gradient_complex32(op):
    """A complex32 result (float16 with a complex operand of lower priority): the gradient check computes its
    finite differences in NumPy, which has no complex32; torch's backward works (the input's gradient is the real
    part of the cotangent, in float16): left to the forward test's complex32 record."""
    return Divergence(
        id=f"{op}-gradient-complex32", op=op,
        condition="a complex32 result (a float16 tensor with a Python complex number or a zero-dim complex tensor)",
        torch_behaviour="backward works on complex32 (ComplexHalf) results, which NumPy cannot hold",
        numpy_behaviour="no complex32: the reference is complex64, whose finite differences are not torch's",
        reference=f"{PROMOTION_DOC} ; https://pytorch.org/docs/stable/complex_numbers.html", kind="intended",
        applies=lambda sample, dtype: R.torch_gives_complex32(*sample.args[:2]), about="gradient")


@_elementwise
def _pow_e8m0_signaling_nan(sample, dtype):
    """Elementwise: a float32 tensor with a zero-dim float8_e8m0fnu (or fnuz) NaN: as exponent, the elements where
    the base is 1; as base, those where the exponent is 0 (C99's pow is 1 there for a quiet NaN)."""
    x, y = sample.args[:2]
    if isinstance(x, np.ndarray) and x.dtype == np.float32 and is_e8m0_nan(y):
        return np.asarray(x == 1)
    if isinstance(y, np.ndarray) and y.dtype == np.float32 and is_e8m0_nan(x):
        return np.asarray(y == 0)
    return False


#: the float8 formats whose NaN torch converts to the signaling NaN 0x7f800001 in float32 (float8_e4m3fn's and
#: float8_e5m2's stay quiet)
SIGNALING_NAN_FLOAT8 = ("float8_e8m0fnu", "float8_e4m3fnuz", "float8_e5m2fnuz")


def is_e8m0_nan(v) -> bool:
    """A zero-dim NaN of a float8 format torch converts to a signaling NaN in float32 (float8_e8m0fnu, and the
    fnuz formats: :data:`SIGNALING_NAN_FLOAT8`; records <op>-float8-e8m0-...)."""
    return isinstance(v, np.ndarray) and v.ndim == 0 and \
        any(v.dtype == D.NUMPY[n] for n in SIGNALING_NAN_FLOAT8) and bool(np.isnan(v.astype(np.float32)))


POW_E8M0_NAN = Divergence(
    id="pow-float8-e8m0-signaling-nan", op="pow",
    condition="a float32 tensor with a zero-dim float8_e8m0fnu, float8_e4m3fnuz or float8_e5m2fnuz NaN: base 1 "
              "with that exponent, or exponent 0 with that base",
    torch_behaviour="NaN: float8_e8m0fnu's NaN (and the fnuz formats') becomes the signaling NaN 0x7f800001 in "
                    "float32 (a quiet one, "
                    "0x7fc00000-like, in float16, bfloat16 and float64), which pow does not exempt: torch.pow("
                    "torch.tensor([1.0]), torch.tensor(float('nan')).to(torch.float8_e8m0fnu)) is [nan]",
    numpy_behaviour="ml_dtypes' NaN is quiet: pow(1, NaN) and pow(NaN, 0) are 1 (C99)",
    reference="https://pytorch.org/docs/stable/generated/torch.pow.html (no issue found)", kind="bug",
    applies=_pow_e8m0_signaling_nan, accept_nonfinite=_pow_e8m0_signaling_nan,
    root_cause="e8m0-nan-converts-signaling",
    example=lambda dtype: ((np.array([1.0, 2.0], dtype=np.float32),
                            np.array(np.nan, dtype=np.float32).astype(D.NUMPY["float8_e8m0fnu"])), {}),
    counterexample=lambda dtype: ((np.array([1.0, 2.0], dtype=np.float32),
                                   np.array(2.0, dtype=np.float32).astype(D.NUMPY["float8_e8m0fnu"])), {}),
    dtypes=("float32",), devices=("cpu",))


def _pow_gradient_records():
    def exponent_of(names):
        return lambda sample, dtype: isinstance(sample.args[1], np.ndarray) and \
            D.name_of(sample.args[1].dtype) in names
    return (
        _gradient_raises("pow", "pow-gradient-wide-unsigned-exponent",
                         "an exponent tensor of uint16, uint32 or uint64, or of a float8 format",
                         "backward raises NotImplementedError: '\"add_stub\" not implemented for 'UInt16'' (the "
                         "formula computes y - 1 in the exponent's dtype; '\"ge_cpu\" not implemented for "
                         "'Float8_e4m3fn'' for float8): torch.pow(torch.ones(3, requires_grad=True), "
                         "torch.ones(3, dtype=torch.uint16)).sum().backward()",
                         exponent_of(WIDE_UNSIGNED + D.FLOAT8), NotImplementedError,
                         "https://github.com/pytorch/pytorch/issues/58734 (uint16/32/64 kernels; no issue found for "
                         "pow's backward)"),
        _gradient_raises("pow", "pow-gradient-bool-exponent", "a bool exponent tensor",
                         "backward raises RuntimeError: 'Subtraction, the `-` operator, with a bool tensor is not "
                         "supported': torch.pow(torch.ones(3, requires_grad=True), torch.ones(3, dtype=torch.bool))"
                         ".sum().backward()",
                         exponent_of(("bool",)), RuntimeError,
                         "https://pytorch.org/docs/stable/generated/torch.pow.html (no issue found)"),
        Divergence(
            id="pow-gradient-infinite-exponent", op="pow",
            condition="an infinite exponent (a Python number or an exponent tensor element)",
            torch_behaviour="the gradient y * x ** (y - 1) is NaN where x ** y is 0 (|x| < 1 with y = inf, |x| > 1 "
                            "with y = -inf): torch.pow(torch.tensor(0.5, requires_grad=True), float('inf')) has "
                            "gradient nan",
            numpy_behaviour="x ** inf is 0 around |x| < 1: its derivative is 0",
            reference="https://pytorch.org/docs/stable/generated/torch.pow.html (no issue found)", kind="bug",
            applies=_infinite_exponent, about="gradient"),
        Divergence(
            id="pow-gradient-negative-base", op="pow",
            condition="a real base below zero (tensor or Python number) with an exponent tensor: the exponent's "
                      "elements that meet such a base (broadcast included), gradient with respect to the exponent",
            torch_behaviour="the exponent's gradient, v * x ** y * log(x), is NaN there whatever the cotangent "
                            "(log(x) is NaN, and 0 * NaN is NaN), also where x ** y is defined (an integer y): "
                            "torch.pow(torch.tensor([-0.5], requires_grad=True), torch.tensor([2.], "
                            "requires_grad=True)) gives the exponent the gradient [nan]",
            numpy_behaviour="np.power(x, y) of a negative x is defined at integer y only (NaN at y +- h): it has no "
                            "derivative in y there, so nothing to compare with",
            reference=f"{AUTOGRAD_DOC} (where a function is not defined the gradient is arbitrary, mostly NaN)",
            kind="intended", applies=_negative_base_exponent, about="gradient"),
    )


def _negative_base_exponent(sample, dtype):
    """``{position of the exponent in sample.arrays: mask over its elements}``: the exponent elements that meet a
    negative real base (pow-gradient-negative-base), or False."""
    x, y = sample.args[:2]
    if not isinstance(y, np.ndarray) or y.size == 0 or y.dtype.kind not in "fV":
        return False
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "iufV":  # a complex base has a logarithm; a bool one is not negative
            return False
        with np.errstate(invalid="ignore"):
            negative = np.asarray(x.astype(np.float64) < 0)
    elif P.scalar_kind(x) in ("int", "float"):
        negative = np.asarray(float(x) < 0)
    else:
        return False
    shape = np.broadcast_shapes(negative.shape, y.shape)
    met = np.broadcast_to(negative, shape)
    lead = len(shape) - y.ndim
    met = met.any(axis=tuple(range(lead))) if lead else met
    axes = tuple(a for a in range(y.ndim) if y.shape[a] == 1 and met.shape[a] != 1)
    met = met.any(axis=axes, keepdims=True) if axes else met
    if not met.any():
        return False
    position = 1 if isinstance(x, np.ndarray) else 0  # the arrays in order of appearance: base, exponent
    return {position: np.asarray(met, dtype=bool).reshape(y.shape)}


def _infinite_exponent(sample, dtype):
    y = sample.args[1]
    with np.errstate(all="ignore"):
        return bool(np.any(np.isinf(np.asarray(R._scalar_value(y)).astype(np.complex128))))


def _gradient_wide_unsigned_complex(op, positions):
    """backward of ``op`` multiplies the cotangent (complex, with the result's dims) by the other operand: with a
    complex zero-dim tensor (differentiable, at one of ``positions``) and a uint16/32/64 tensor with dims, the
    forward promotes (the zero-dim operand has lower priority), the backward's product does not."""
    def applies(sample, dtype):
        ops = _binary_operands(sample)
        complex0d = any(isinstance(ops[i], np.ndarray) and ops[i].ndim == 0 and ops[i].dtype.kind == "c"
                        for i in positions)
        wide = any(isinstance(v, np.ndarray) and v.ndim > 0 and D.name_of(v.dtype) in WIDE_UNSIGNED for v in ops)
        return complex0d and wide
    which = "either operand" if len(positions) == 2 else "the dividend"
    return _gradient_raises(
        op, f"{op}-gradient-wide-unsigned-complex",
        f"a complex zero-dim tensor ({which}) with a uint16, uint32 or uint64 tensor with dims",
        "backward raises RuntimeError: 'Promotion for uint16, uint32, uint64 types is not supported, attempted to "
        f"promote ComplexFloat and UInt16' where the forward computes: torch.{op}(torch.tensor(1+2j, "
        "requires_grad=True), torch.ones(2, dtype=torch.uint16)).sum().abs().backward()",
        applies, RuntimeError, P.LIMITED_DOC + " (no issue found for the backward)")


def _mul_gradient_float8():
    def applies(sample, dtype):
        t = _torch_result_type(_binary_operands(sample))
        shapes = [np.shape(a) for a in _binary_operands(sample)]
        return t is not None and D.name_of(t) in D.FLOAT8 and math.prod(np.broadcast_shapes(*shapes)) > 0
    return _gradient_raises(
        "mul", "mul-gradient-float8-result", "a non-empty float8 result (a float8 tensor with a zero-dim or scalar "
        "operand; an empty one has nothing to multiply)",
        "backward raises NotImplementedError: '\"mul_cpu_reduced_float\" not implemented for 'Float8_e4m3fn'' (the "
        "gradient multiplies a float8 tensor by a scalar, a form without a kernel)", applies, NotImplementedError,
        P.LIMITED_DOC, kind="unspecified")


# ---- entries ------------------------------------------------------------------------------------------------

ENTRIES = [
    _float_unary("sqrt", np.sqrt, R.sqrt_torch, grad=True),
    _float_unary("exp", np.exp, R.exp_torch, grad=True),
    _float_unary("log", np.log, R.log_torch, grad=True),
    _float_unary("log1p", R.log1p, R.log1p_torch, extra=_log1p_complex(), grad=True),
    _float_unary("sin", np.sin, R.sin_torch, grad=True),
    _float_unary("cos", np.cos, R.cos_torch, grad=True),
    _float_unary("tanh", np.tanh, R.tanh_torch, grad=True),
    _float_unary("sigmoid", R.sigmoid, R.sigmoid_torch, tol_fn=_sigmoid_tol, grad=True,
                 extra=(Divergence(
                     id="sigmoid-complex-signed-zero", op="sigmoid",
                     condition="complex inputs whose sigmoid has a zero part",
                     torch_behaviour="the sign of a zero part follows torch's complex division",
                     numpy_behaviour="1 / (1 + exp(-z)) with NumPy's complex division: the sign of a zero part can "
                                     "differ", reference=DOC.format("sigmoid"), kind="unspecified",
                     applies=_sigmoid_zero_part, relax_signed_zero=True),)),
    # abs_ (in place) refuses complex tensors: the bespoke pointwise tests pin it (abs has no inplace variant here)
    OpEntry("abs", F, "torch.abs", np.abs, S.unary, method="abs", grad=True,
            divergences=(_bool_unsupported("abs"), Divergence(
                id="abs-float8-negative-zero", op="abs",
                condition="the -0.0 elements of a float8_e4m3fn or float8_e5m2 tensor of at least "
                          f"{_FLOAT8_ABS_RUN} elements without a strided layout (the vectorized path; the formats "
                          "without a negative zero are not concerned)",
                torch_behaviour="abs(-0.0) is -0.0: torch.abs(torch.full((64,), -0.0).to(torch.float8_e4m3fn)) "
                                "keeps the sign bit (64 elements at a time; the tail, short and strided tensors give "
                                "+0.0)",
                numpy_behaviour="+0.0", reference="https://pytorch.org/docs/stable/generated/torch.abs.html (no issue "
                                                  "found)",
                kind="bug", applies=_abs_float8_negative_zero, relax_signed_zero=True,
                example=lambda dtype: ((np.full(64, -0.0, dtype=D.NUMPY[dtype]),), {}),
                counterexample=lambda dtype: ((np.full(2, -0.0, dtype=D.NUMPY[dtype]),), {}),
                dtypes=("float8_e4m3fn", "float8_e5m2"), devices=("cpu",)))),
    OpEntry("neg", F, "torch.neg", np.negative, S.unary, method="neg", inplace="neg_", grad=True,
            divergences=(_neg_complex_zero(),)),
    OpEntry("sign", F, "torch.sign", np.sign, S.unary, method="sign", inplace="sign_",
            divergences=_sign_divergences()),
    OpEntry("floor", F, "torch.floor", np.floor, S.unary, method="floor", inplace="floor_",
            divergences=(_bool_unsupported("floor"),)),
    OpEntry("ceil", F, "torch.ceil", np.ceil, S.unary, method="ceil", inplace="ceil_",
            divergences=(_bool_unsupported("ceil"),)),
    OpEntry("round", F, "torch.round", np.round, S.unary, method="round", inplace="round_",
            divergences=(_bool_unsupported("round"),)),
    # round(decimals=d) is defined by rounding in the input's precision (NumPy: rint(x * 10**d) / 10**d in the
    # input's dtype), so its reference is not computed in float64.
    OpEntry("round_decimals", F, "torch.round", np.round, lambda dtype: S.unary(dtype, decimals=S.decimals()),
            method="round", inplace="round_", upcast=False,
            divergences=(
                _raises("round-integer-decimals", "round_decimals",
                        "an integer or bool input with decimals= given (even 0)",
                        "raises NotImplementedError ('round_cpu' not implemented for 'Long'), although "
                        "torch.round of the same tensor without decimals works",
                        "rounds (integers unchanged for decimals >= 0, to tens, hundreds... below)",
                        DOC.format("round"), "unspecified",
                        lambda sample, dtype: _input_dtype(sample) in D.INTEGRAL + D.BOOL and
                        "decimals" in sample.kwargs,
                        NotImplementedError,
                        lambda dtype: ((np.array([15, 25, -35], dtype=np.int32),), {"decimals": -1}), ("int32",),
                        lambda dtype: ((np.array([15, 25, -35], dtype=np.int32),), {})),
                Divergence(
                    id="round-decimals-half-in-float32", op="round_decimals",
                    condition="a float16 or bfloat16 input with decimals= given",
                    torch_behaviour="computed in float32 (on CPU), then rounded to the input's dtype: "
                                    "torch.round(torch.tensor([10000.], dtype=torch.float16), decimals=3) is 10000 "
                                    "(the torch docs give inf as an example of this algorithm's overflow)",
                    numpy_behaviour="computed in the input's dtype: x * 10**3 overflows, inf",
                    reference=DOC.format("round"), kind="unspecified",
                    applies=lambda sample, dtype: _input_dtype(sample) in ("float16", "bfloat16") and
                    "decimals" in sample.kwargs,
                    torch_ref=R.round_torch, native=True,
                    example=lambda dtype: ((np.array([10000.0, 1.25], dtype=np.float16),), {"decimals": 3}),
                    counterexample=lambda dtype: ((np.array([10000.0, 1.25], dtype=np.float16),), {}),
                    dtypes=("float16",), devices=("cpu",)),
            )),
    OpEntry("isnan", F, "torch.isnan", np.isnan, S.unary, method="isnan"),
    OpEntry("isinf", F, "torch.isinf", np.isinf, S.unary, method="isinf"),
    OpEntry("isfinite", F, "torch.isfinite", np.isfinite, S.unary, method="isfinite", divergences=(Divergence(
        id="isfinite-float8-e8m0-nan", op="isfinite", condition="the NaNs of a float8_e8m0fnu tensor",
        torch_behaviour="True: torch.isfinite(torch.tensor([float('nan')]).to(torch.float8_e8m0fnu)) is [True] (the "
                        "format has no infinity, and torch checks for infinities only)",
        numpy_behaviour="False (NaN is not finite)", reference="https://pytorch.org/docs/stable/generated/"
                                                                "torch.isfinite.html (no issue found)",
        kind="bug", applies=_e8m0_nan, torch_ref=R.isfinite_without_nan_check,
        example=lambda dtype: ((np.array([np.nan, 1.0], dtype=D.NUMPY["float8_e8m0fnu"]),), {}),
        counterexample=lambda dtype: ((np.array([2.0, 1.0], dtype=D.NUMPY["float8_e8m0fnu"]),), {}),
        dtypes=("float8_e8m0fnu",)),)),
    _binary("add", R.add, R.add_torch, no_kernel=(_wide_unsigned("add"),),
            extra=(_scalar_overflow_record("add", 1), _complex_alpha("add", R.add_torch), _float_alpha_with_ints("add"),
                   _gradient_complex32("add"), _complex32_alpha("add", R.add_torch),
                   _alpha_product_overflow_record("add"), _alpha_product_underflow_record("add")),
            inputs=lambda dtype: S.mixed_binary(dtype, alpha=S.alphas(dtype)), tol_fn=_alpha_tol, grad=True),
    _binary("sub", R.sub, R.sub_torch, no_kernel=(_wide_unsigned("sub"),), extra=(
        _scalar_overflow_record("sub", -1), _complex32_alpha("sub", R.sub_torch),
        _alpha_product_overflow_record("sub"), _alpha_product_underflow_record("sub"),
        _raises("sub-bool", "sub", "a bool operand (a tensor or a Python bool)",
                "raises RuntimeError: 'Subtraction, the `-` operator, with a bool tensor is not supported.'",
                "subtracts (bool - bool raises too; bool with a number promotes)", DOC.format("sub"), "intended",
                _sub_bool, RuntimeError,
                lambda dtype: ((np.array([1.5, 2.0], dtype=np.float32), np.array([True, False])), {}), ("float32",),
                lambda dtype: ((np.array([1.5, 2.0], dtype=np.float32), np.array([1, 0], dtype=np.uint8)), {})),
        _complex_alpha("sub", R.sub_torch), _float_alpha_with_ints("sub"), _gradient_complex32("sub"),
        Divergence(
            id="sub-alpha-zero-signed-zero", op="sub",
            condition="alpha=0, a floating result: the elements where x is -0.0",
            torch_behaviour="computes x + (-alpha)*y, so an x of -0.0 gives +0.0: "
                            "torch.sub(torch.tensor([-0.0]), 1.0, alpha=0) is 0.0",
            numpy_behaviour="x - 0*y keeps -0.0", reference=DOC.format("sub"), kind="unspecified",
            applies=_sub_alpha_zero, relax_signed_zero=True,
            example=lambda dtype: ((np.array([-0.0, 1.0], dtype=D.NUMPY[dtype]),
                                    np.array([1.0, 2.0], dtype=D.NUMPY[dtype])), {"alpha": 0}),
            counterexample=lambda dtype: ((np.array([0.0, 1.0], dtype=D.NUMPY[dtype]),
                                           np.array([1.0, 2.0], dtype=D.NUMPY[dtype])), {"alpha": 0}),
            dtypes=("float32",))),
            inputs=lambda dtype: S.mixed_binary(dtype, alpha=S.alphas(dtype)),
            tol_fn=functools.partial(_alpha_tol, sign=-1), grad=True),
    # float8 products with a number (or a one-element operand) have no kernel ("mul_cpu_reduced_float"): a
    # partial-support fact the generic tests record by themselves
    _binary("mul", R.multiply, R.mul_torch, grad=True, float8=False, tol_fn=_complex_mul_tol, extra=(
        _gradient_complex32("mul"), _mul_gradient_float8(), _gradient_wide_unsigned_complex("mul", (0, 1)),
        Divergence(
            id="mul-number-beyond-float32", op="mul",
            condition="an integer or bool tensor (a float32 result) and a finite Python number beyond float32's "
                      "range",
            torch_behaviour="the number is converted to float32, the computation type, and becomes +-inf: "
                            "torch.mul(torch.tensor([0, 1]), -1e40) is [nan, -inf]",
            numpy_behaviour="an integer array with a Python float computes in float64: [-0.0, -1e40] (a float32 "
                            "or half array converts the number to its own dtype, NEP 50, and gives inf as torch "
                            "does)",
            reference=PROMOTION_DOC, kind="intended", applies=_mul_scalar_beyond_float32,
            torch_ref=R.mul_scalar_in_float32, native=True,
            example=lambda dtype: ((np.array([0, 1], dtype=np.int32), -1e40), {}),
            counterexample=lambda dtype: ((np.array([0.0, 1e-3], dtype=np.float64), -1e40), {}),
            dtypes=("int32",)),
        Divergence(
            id="mul-float8-operand-conversion", op="mul",
            condition="a float8_e4m3fn or float8_e8m0fnu product with a zero-dim operand of another dtype that "
                      "torch's conversion to the format takes elsewhere than ml_dtypes' (float8_e4m3fn: beyond "
                      "+-464; float8_e8m0fnu: zero or negative), or whose products leave float8_e4m3fn's range",
            torch_behaviour="the operand is converted to the result dtype first, as torch converts (float8_e4m3fn "
                            "saturates to +-448, float8_e8m0fnu takes the magnitude and zero to 2**-127), the "
                            "product taken in float32 and converted back the same way: torch.mul(torch.tensor(False)"
                            ", torch.tensor([1.0, 64.0]).to(torch.float8_e8m0fnu)) is [2**-127, 2**-121]; "
                            "torch.mul(torch.tensor(-1.7e7, dtype=torch.float64), torch.tensor([0.25]).to("
                            "torch.float8_e4m3fn)) is -112",
            numpy_behaviour="the exact product rounded to the format by ml_dtypes: NaN (0 has no float8_e8m0fnu "
                            "value, -4.3e6 is beyond float8_e4m3fn's range)",
            reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types: conversions)",
            kind="unspecified", applies=_mul_float8_conversion, torch_ref=R.mul_torch_float8, native=True,
            example=lambda dtype: ((np.array(False), np.array([1.0, 64.0], dtype=D.NUMPY["float8_e8m0fnu"])), {}),
            counterexample=lambda dtype: ((np.array(True),
                                           np.array([1.0, 64.0], dtype=D.NUMPY["float8_e8m0fnu"])), {}),
            dtypes=("float8_e8m0fnu",)),
        Divergence(
            id="mul-float8-e4m3fn-saturates", op="mul",
            condition="elements of a float8_e4m3fn product beyond the format's range (infinite products included)",
            torch_behaviour="the product saturates to +-448, the largest finite value: "
                            "torch.mul(torch.tensor([36.]).to(torch.float8_e4m3fn), torch.tensor([-20.]).to("
                            "torch.float8_e4m3fn)) is -448 (as torch's conversion to float8_e4m3fn does: "
                            "torch.tensor([1e6]).to(torch.float8_e4m3fn) is 448)",
            numpy_behaviour="NaN (ml_dtypes' conversion: a format without infinities overflows to NaN)",
            reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types: conversions)",
            kind="unspecified", applies=_float8_e4m3fn_overflow, torch_ref=R.mul_float8_saturating, native=True,
            example=lambda dtype: ((np.array([36.0, 2.0], dtype=D.NUMPY["float8_e4m3fn"]),
                                    np.array([-20.0, 3.0], dtype=D.NUMPY["float8_e4m3fn"])), {}),
            counterexample=lambda dtype: ((np.array([18.0, 2.0], dtype=D.NUMPY["float8_e4m3fn"]),
                                           np.array([-20.0, 3.0], dtype=D.NUMPY["float8_e4m3fn"])), {}),
            dtypes=("float8_e4m3fn",)),
        Divergence(
            id="mul-complex-signed-zero", op="mul",
            condition="elements of a complex result with a zero part (a product that is zero or underflows)",
            torch_behaviour="the sign of a zero part follows torch's evaluation of ar*br - ai*bi, which differs from "
                            "NumPy's when the products underflow: torch.full((5,), 1e-200+1e-200j, "
                            "dtype=torch.complex128) * torch.full((5,), 1e-200-1e-200j, dtype=torch.complex128) is 0j "
                            "(imaginary part +0.0: -1e-400 + 1e-400 underflowed)",
            numpy_behaviour="-0j (imaginary part -0.0)", reference=DOC.format("mul"),
            kind="unspecified", applies=_mul_zero_sign, relax_signed_zero=True,
            example=lambda dtype: ((np.full(5, complex(1e-200, 1e-200), dtype=dtype),
                                    np.full(5, complex(1e-200, -1e-200), dtype=dtype)), {}),
            counterexample=lambda dtype: ((np.full(5, complex(1.5, 0.0), dtype=dtype),
                                           np.full(5, complex(0.0, 2.0), dtype=dtype)), {}),
            dtypes=("complex128",)),
        Divergence(
            id="mul-reduced-float-one-element-operand", op="mul",
            condition="a float16 or bfloat16 result and a one-element second operand of another dtype (an integer "
                      "tensor, or a zero-dim wider float one), or a Python number the result dtype does not hold "
                      "exactly",
            torch_behaviour="that operand is used as a scalar, converted to float32 without rounding to the result "
                            "dtype first: torch.mul(torch.full((5,), 1e-3, dtype=torch.float16), "
                            "torch.tensor([100000])) is 100.06 (with 5 elements in the second operand: inf, the "
                            "integers cast to float16 first); torch.mul(torch.tensor(-5.364e-07, "
                            "dtype=torch.float16), 2**31) is -1152",
            numpy_behaviour="NumPy computes float16 * int32 in float64: 100.0; a Python number is converted to "
                            "float16 first (NEP 50): 2**31 is inf, and the product -inf",
            reference=DOC.format("mul"), kind="unspecified", applies=_reduced_float_one_element,
            torch_ref=R.mul_torch, native=True,
            example=lambda dtype: ((np.full(5, 1e-3, dtype=np.float16), np.array([100000], dtype=np.int32)), {}),
            counterexample=lambda dtype: ((np.full(5, 1e-3, dtype=np.float16), np.full(5, 100, dtype=np.int8)), {}),
            dtypes=("float16",)),
    )),
    _binary("div", R.div, R.div_torch, guard=_div_trunc_would_crash, extra=(
        DIV_TRUNC_CRASH,
        _reduced_float_number_record("div", R.div_torch, (([1.0, 0.5], 100000.0), ("[1.0014e-05, 5.0068e-06]",
                                                                                  "[0, 0] (1e5 is inf)")), 2.0),
        _gradient_wide_unsigned_complex("div", (0,)),
        _floor_div_reduced_float_record("div", {"rounding_mode": "floor"}),
        _div_trunc_rounded_quotient_record(),
        _raises("div-bool-rounding", "div", "bool operands with a rounding_mode",
                "raises NotImplementedError: no bool kernel for 'trunc' or 'floor'",
                "promotes bool to int8 and divides", DOC.format("div"), "unspecified",
                lambda sample, dtype: sample.kwargs.get("rounding_mode") is not None and
                _torch_result_type(sample.args[:2]) == np.bool_, NotImplementedError,
                lambda dtype: ((np.array([True, False]), np.array([True, True])), {"rounding_mode": "floor"}),
                ("bool",),
                lambda dtype: ((np.array([1, 0], dtype=np.int8), np.array([1, 1], dtype=np.int8)),
                               {"rounding_mode": "floor"})),
        _int_div_by_zero("div", {"rounding_mode": "trunc"}),
        _no_kernel("div", "wide-unsigned-rounding", _div_wide_unsigned_rounding,
                   lambda dtype: ((np.array([7, 8], dtype=np.uint16), np.array([2, 3], dtype=np.uint16)),
                                  {"rounding_mode": "floor"}),
                   lambda dtype: ((np.array([7, 8], dtype=np.uint16), np.array([2.0, 3.0], dtype=np.float32)),
                                  {"rounding_mode": "floor"}),
                   ("uint16",)),
        _raises("div-complex32-no-kernel", "div", "a complex32 result (a float16 tensor with a Python complex "
                                                   "number or a zero-dim complex tensor)",
                "raises NotImplementedError: '\"div_cpu\" not implemented for 'ComplexHalf''",
                "divides in complex64", DOC.format("div"), "unspecified",
                lambda sample, dtype: R.torch_gives_complex32(*sample.args[:2]), NotImplementedError,
                lambda dtype: ((np.array([1.5, 2.0], dtype=np.float16), 2j), {}), ("float16",),
                lambda dtype: ((np.array([1.5, 2.0], dtype=np.float16), 2.0), {})),
        Divergence(
            id="div-complex-signed-zero", op="div",
            condition="elements of a complex result with a part that is zero or subnormal",
            torch_behaviour="the sign of a zero part follows torch's division algorithm (its vectorized kernel "
                            "scales by the larger part of the divisor): (-3+0j) / (1e-30+1e30j) in a 16-element "
                            "complex64 tensor has real part +0.0",
            numpy_behaviour="Smith's algorithm: the sign of a zero part can differ", reference=DOC.format("div"),
            kind="unspecified", applies=_complex_quotient_zero_part, relax_signed_zero=True,
            example=lambda dtype: ((np.full(16, -3 + 0j, dtype=dtype), np.full(16, 1e-30 + 1e30j, dtype=dtype)), {}),
            counterexample=lambda dtype: ((np.full(16, 4 + 2j, dtype=dtype), np.full(16, 1 + 1j, dtype=dtype)), {}),
            dtypes=("complex64",)),
        Divergence(
            id="div-complex-infinite-operand", op="div",
            condition="elements of a complex quotient with an infinite part in an operand",
            torch_behaviour="NaN or another infinity than NumPy's where an infinite part meets the algorithm's products "
                            "(inf * 0): (-1+infj) / (2-1e-45j) in complex64 is nan+infj",
            numpy_behaviour="-inf+infj (C99 Annex G recovers infinities; neither library specifies the parts)",
            reference="https://github.com/pytorch/pytorch/issues/52332 ; C99 Annex G.5.1", kind="unspecified",
            applies=_complex_infinite_operand, accept_nonfinite=_complex_infinite_operand,
            example=lambda dtype: ((np.array([complex(-1, np.inf), 1 + 1j], dtype=dtype),
                                    np.array([complex(2, -1e-45), 2], dtype=dtype)), {}),
            counterexample=lambda dtype: ((np.array([complex(-1, 1e30), 1 + 1j], dtype=dtype),
                                           np.array([complex(2, -1e-45), 2], dtype=dtype)), {}),
            dtypes=("complex64",)),
        Divergence(
            id="div-complex-divisor-out-of-scale", op="div",
            condition="elements of a complex quotient whose divisor's larger part is below 1 / the largest finite "
                      "value, or makes the scaled denominator of Smith's algorithm overflow (both parts near the "
                      "largest finite value), or whose dividend's parts sum beyond the largest finite value",
            torch_behaviour="Smith's algorithm with a reciprocal of the scaled denominator, which overflows or "
                            "underflows: torch.div(torch.tensor([1e-14+1e-14j]), torch.tensor([1e-40+0j])) is inf+infj"
                            " (exactly 1e26+1e26j), torch.div(torch.tensor([1e30j]), torch.tensor([3.3e38+3e38j])) is "
                            "0 (exactly 1.5e-9+1.7e-9j)",
            numpy_behaviour="the exact quotient, rounded (NumPy's own complex64 loop overflows the same way)",
            reference="https://github.com/pytorch/pytorch/issues/92043 ; https://github.com/pytorch/pytorch/pull/92539"
                      " (which leaves numbers beyond finfo.max / 2 out)", kind="bug",
            applies=_complex_divisor_out_of_scale, accept_any=True,
            example=lambda dtype: ((np.array([1e-14 + 1e-14j, 1e30j], dtype=dtype),
                                    np.array([1e-40 + 0j, 3.3e38 + 3e38j], dtype=dtype)), {}),
            counterexample=lambda dtype: ((np.array([1e-14 + 1e-14j, 1e30j], dtype=dtype),
                                           np.array([1e-38 + 0j, 1e38 + 1e38j], dtype=dtype)), {}),
            dtypes=("complex64",)),
        Divergence(
            id="div-integer-true-division", op="div",
            condition="integer or bool operands, no rounding_mode (true division)",
            torch_behaviour="computed in and returned as the default dtype, float32",
            numpy_behaviour="float64", reference=f"{PROMOTION_DOC} ; {DOC.format('div')}", kind="intended",
            applies=lambda sample, dtype: sample.kwargs.get("rounding_mode") is None and
            _kind(sample.args[:2]) in ("i", "u", "b"),
            torch_ref=R.div_torch, native=True,
            example=lambda dtype: ((np.array([1, 7], dtype=np.int64), np.array([3, 2], dtype=np.int64)), {}),
            counterexample=lambda dtype: ((np.array([1, 7], dtype=np.int64), np.array([3, 2], dtype=np.int64)),
                                          {"rounding_mode": "floor"}),
            dtypes=("int64",)),
    ), inputs=lambda dtype: S.mixed_binary(dtype, rounding_mode=S.rounding_modes()), grad=True, complex32=False,
            tol_fn=_complex_div_tol,
            # the promotion records are pinned with rounding_mode="floor": true division of integers is a record
            # of its own (div-integer-true-division)
            promotion_example=lambda *a: (a, {} if any(isinstance(v, complex) for v in a) else
                                          {"rounding_mode": "floor"})),
    _binary("floor_divide", np.floor_divide, R.floor_divide_torch, partners=D.REAL + D.BOOL, complex_ok=False,
            no_kernel=(_wide_unsigned("floor_divide"),),
            extra=(_bool_unsupported("floor_divide", other=True), _int_div_by_zero("floor_divide"),
                   _floor_div_reduced_float_record("floor_divide", {}),
                   _reduced_float_number_record("floor_divide", R.floor_divide_torch,
                                                (([1.0, 0.5], 0.1), ("[9, 4]", "[10, 5]")), 0.5))),
    _fmod_like("remainder", np.remainder, R.remainder_torch),
    _fmod_like("fmod", np.fmod, R.fmod_torch),
    _maximum_like("maximum", R.maximum_torch),
    _maximum_like("minimum", R.minimum_torch),
    _binary("pow", R.power, R.pow_torch, inputs=S.pow_args, tol_fn=_pow_tol, grad=True, float8=False,
            complex32=False, int_out_of_range="raises", no_kernel=(
        _no_kernel("pow", "float8", _pow_float8,
                   lambda dtype: ((np.array([1.0, 2.0], dtype=D.NUMPY["float8_e4m3fn"]), 2), {}),
                   lambda dtype: ((np.array([1.0, 2.0], dtype=D.NUMPY["float8_e4m3fn"]), 1), {}),
                   ("float8_e4m3fn",)),
        _no_kernel("pow", "wide-unsigned", _pow_wide_unsigned,
                   lambda dtype: ((np.array([1, 2], dtype=np.uint16), np.array([2, 3], dtype=np.uint16)), {}),
                   lambda dtype: ((np.array([1, 2], dtype=np.uint16), 1), {}), ("uint16",)),
    ), extra=(
        Divergence(
            id="pow-e8m0-zero-exponent", op="pow",
            condition="a float8_e8m0fnu tensor to a Python 0 (the format has no zero)",
            torch_behaviour="ones, without computing (x ** 0 is 1; other exponents but 1 raise: pow-float8-no-kernel):"
                            " torch.pow(torch.tensor([1., 2., 4.]).to(torch.float8_e8m0fnu), 0) is [1, 1, 1]",
            numpy_behaviour="the number is converted to the array's dtype first (NEP 50; ml_dtypes formats "
                            "included): 0 is NaN in float8_e8m0fnu, and x ** NaN is NaN but 1 ** NaN is 1: "
                            "[1, nan, nan]",
            reference=f"{DOC.format('pow')} ; https://numpy.org/neps/nep-0050-scalar-promotion.html",
            kind="unspecified", applies=_pow_e8m0_zero_exponent, torch_ref=R.pow_zero_exponent, native=True,
            example=lambda dtype: ((np.array([1.0, 2.0, 4.0], dtype=D.NUMPY["float8_e8m0fnu"]), 0), {}),
            counterexample=lambda dtype: ((np.array([1.0, 2.0, 4.0], dtype=D.NUMPY["float8_e8m0fnu"]), 1), {}),
            dtypes=("float8_e8m0fnu",)),
        _raises("pow-int-negative-scalar-empty", "pow",
                "an empty integer or bool tensor to a negative integer exponent given as a number (a Python int "
                "or a NumPy integer scalar)",
                "raises RuntimeError: 'Integers to negative integer powers are not allowed.' (checked on the "
                "exponent, before looking at the tensor)",
                "returns the empty array (it raises ValueError only when there is an element to compute)",
                DOC.format("pow"), "unspecified", _pow_negative_scalar_empty, RuntimeError,
                lambda dtype: ((np.zeros((0, 2), dtype=np.int8), -1), {}), ("int8",),
                lambda dtype: ((np.zeros((0, 2), dtype=np.int8), 2), {})),
        _bool_unsupported("pow", exc=NotImplementedError, other=True),
        _raises("pow-complex32-no-kernel", "pow", "a complex32 result (a float16 tensor with a Python complex "
                                                   "number or a zero-dim complex tensor)",
                "raises NotImplementedError: '\"pow\" not implemented for 'ComplexHalf''",
                "computes in complex64", DOC.format("pow"), "unspecified",
                lambda sample, dtype: R.torch_gives_complex32(*sample.args[:2]), NotImplementedError,
                lambda dtype: ((np.array([1.5, 2.0], dtype=np.float16), 2j), {}), ("float16",),
                lambda dtype: ((np.array([1.5, 2.0], dtype=np.float16), 2.0), {})),
        Divergence(
            id="pow-complex-signed-zero", op="pow", condition="elements of a complex result with a zero part",
            torch_behaviour="computed as exp(y*log(x)): a zero part takes the sign that formula gives: "
                            "torch.pow(torch.tensor([-3.4e-08-1.5e-10j]), torch.tensor([False])) is 1-0j",
            numpy_behaviour="1+0j (x**0 is exactly 1)", reference=DOC.format("pow"), kind="unspecified",
            applies=_zero_part_of_result(R.power), relax_signed_zero=True,
            example=lambda dtype: ((np.array([complex(-3.449577e-08, -1.4732883e-10)], dtype=dtype),
                                    np.array([False])), {}),
            counterexample=lambda dtype: ((np.array([complex(-3.449577e-08, -1.4732883e-10)], dtype=dtype),
                                           np.array([True])), {}),
            dtypes=("complex64",)),
        Divergence(
            id="pow-complex-zero-base", op="pow",
            condition="elements of a complex result with a zero base and an exponent of negative real part, or an "
                      "exponent tensor of 0",
            torch_behaviour="computed as exp(y * log(0)): inf+nanj for an exponent of negative real part, nan+nanj "
                            "for an exponent tensor of 0: torch.pow(torch.zeros(1, dtype=torch.complex128), "
                            "torch.zeros(1, dtype=torch.complex128)) is nan+nanj (a Python 0 exponent gives 1)",
            numpy_behaviour="nan+nanj for an exponent of negative real part (C99 leaves cpow(0, y) to the "
                            "implementation), 1+0j for 0 ** 0",
            reference=f"{DOC.format('pow')} (no issue found)", kind="unspecified", applies=_pow_complex_zero_base,
            torch_ref=R.pow_complex_zero_base,
            example=lambda dtype: ((np.array([0j, 0j, 1 + 1j], dtype=dtype), np.array([0j, -2 + 1j, 3], dtype=dtype)),
                                   {}),
            counterexample=lambda dtype: ((np.array([0j, 1 + 1j], dtype=dtype), np.array([1j, 3], dtype=dtype)), {}),
            dtypes=("complex64", "complex128")),
        Divergence(
            id="pow-negative-zero-rsqrt", op="pow",
            condition="a -0.0 or -inf base with the Python exponent -0.5 (a floating result other than float16, "
                      "whose kernel gives IEEE pow's inf and 0)",
            torch_behaviour="-inf and NaN: torch computes x ** -0.5 as 1 / sqrt(x), and sqrt(-0.0) is -0.0, sqrt(-inf) "
                            "NaN: torch.pow(torch.tensor([-0.0, -inf]), -0.5) is [-inf, nan] (an exponent tensor of "
                            "-0.5 gives [inf, 0])",
            numpy_behaviour="inf and 0 (IEEE 754 pow(-0, y) and pow(-inf, y) for y < 0 not an odd integer)",
            reference=f"{DOC.format('pow')} (no issue found)", kind="bug", applies=_pow_rsqrt_negative_zero,
            torch_ref=R.rsqrt_power, native=True,
            example=lambda dtype: ((np.array([-0.0, 4.0], dtype=np.float32), -0.5), {}),
            counterexample=lambda dtype: ((np.array([0.0, 4.0], dtype=np.float32), -0.5), {}),
            dtypes=("float32",)),
        Divergence(
            id="pow-float16-sqrt-negative-zero", op="pow",
            condition="elements of a float16 result with a -0.0 or -inf base and the Python exponent 0.5",
            torch_behaviour="+0.0 and +inf, as IEEE 754 pow(-0, 0.5) and pow(-inf, 0.5) (the float16 kernel does not "
                            "take x ** 0.5 as sqrt(x); float32, float64 and bfloat16 do and give -0.0 and NaN): "
                            "torch.pow(torch.tensor([-0.0, -inf], dtype=torch.float16), 0.5) is [0.0, inf]",
            numpy_behaviour="-0.0 and NaN: NumPy computes x ** 0.5 as sqrt(x)",
            reference=f"{DOC.format('pow')} (no issue found)", kind="unspecified",
            applies=_pow_half_sqrt_negative_zero, torch_ref=R.pow_ieee_half, native=True,
            example=lambda dtype: ((np.array([-0.0, -np.inf, 4.0], dtype=np.float16), 0.5), {}),
            counterexample=lambda dtype: ((np.array([-0.0, -np.inf, 4.0], dtype=np.float32), 0.5), {}),
            dtypes=("float16",)),
        Divergence(
            id="pow-int-negative-exponent-tensor", op="pow",
            condition="integer tensors to a tensor of negative integer powers",
            torch_behaviour="computes: 1 for base 1, +-1 for base -1, 0 otherwise (a Python int exponent raises, "
                            "as in NumPy)",
            numpy_behaviour="raises ValueError: 'Integers to negative integer powers are not allowed.'",
            reference=DOC.format("pow"), kind="unspecified", applies=_pow_negative_int_exponent,
            torch_ref=R.pow_torch, native=True,
            example=lambda dtype: ((np.array([2, 1, -1, 0], dtype=np.int64),
                                    np.array([-1, -2, -3, 2], dtype=np.int64)), {}),
            counterexample=lambda dtype: ((np.array([2, 1, -1, 0], dtype=np.int64),
                                           np.array([1, 2, 3, 2], dtype=np.int64)), {}),
            dtypes=("int64",)),
        POW_E8M0_NAN,
    ) + _pow_gradient_records()),
    OpEntry("clamp", F, "torch.clamp", R.clamp, S.clamp_args, method="clamp", inplace="clamp_",
            divergences=_ordered(extra=(
                _raises("clamp-no-bound", "clamp", "neither min nor max",
                        "raises RuntimeError: 'torch.clamp: At least one of 'min' or 'max' must not be None'",
                        "np.clip(x) returns the input", DOC.format("clamp"), "intended",
                        lambda sample, dtype: not sample.kwargs, RuntimeError,
                        lambda dtype: ((np.array([1.0, -2.0], dtype=np.float32),), {}), ("float32",),
                        lambda dtype: ((np.array([1.0, -2.0], dtype=np.float32),), {"min": 0.0})),
                _raises("clamp-tensor-and-number", "clamp",
                        "one bound a tensor with dims and the other a Python number",
                        "raises TypeError: no overload takes a Tensor and a Number (a zero-dim tensor passes as "
                        "a number)",
                        "clips with both", DOC.format("clamp"), "intended",
                        _clamp_tensor_and_number, TypeError,
                        lambda dtype: ((np.array([1.0, -2.0], dtype=np.float32),),
                                       {"min": np.array([0.0], dtype=np.float32), "max": 1}), ("float32",),
                        lambda dtype: ((np.array([1.0, -2.0], dtype=np.float32),),
                                       {"min": np.array([0.0], dtype=np.float32),
                                        "max": np.array([1.0], dtype=np.float32)})),
                _raises("clamp-number-out-of-range", "clamp",
                        "a Python number bound outside the range of torch's result dtype (1e5 for float16, an "
                        "infinity or NaN for an integer dtype), unless both bounds are given and one is NaN",
                        "raises RuntimeError: 'value cannot be converted to type c10::Half without overflow'",
                        "clips (the bound converted: inf, or the comparison done in a wider dtype)",
                        DOC.format("clamp"), "intended", _clamp_number_out_of_range, RuntimeError,
                        lambda dtype: ((np.array([1.0, 2.0], dtype=np.float16),), {"max": 1e5}), ("float16",),
                        lambda dtype: ((np.array([1.0, 2.0], dtype=np.float16),), {"max": 6e4})),
                _raises("clamp-bool", "clamp", "a bool input with a Python bool bound, or with both bounds tensors",
                        "raises NotImplementedError: no bool kernel for them (one tensor bound, or a zero-dim "
                        "tensor bound, works)",
                        "clips", DOC.format("clamp"), "unspecified",
                        _clamp_bool_unsupported, NotImplementedError,
                        lambda dtype: ((np.array([True, False]),), {"min": True}), ("bool",),
                        lambda dtype: ((np.array([True, False]),), {"min": np.array([True, False])})),
                Divergence(
                    id="clamp-zero-dim-bound-as-number", op="clamp",
                    condition="one bound a zero-dim tensor and the other a Python number",
                    torch_behaviour="the zero-dim tensor is taken as a Python number (the overload for two numbers "
                                    "matches), so its dtype does not take part in promotion: a bool tensor clamped "
                                    "with min=torch.tensor(5, dtype=torch.uint8), max=0 gives int64",
                    numpy_behaviour="the zero-dim array promotes as an array: uint8",
                    reference=f"{DOC.format('clamp')} ; {PROMOTION_DOC}", kind="unspecified",
                    applies=_clamp_zero_dim_with_number, torch_ref=R.clamp_torch, native=True,
                    example=lambda dtype: ((np.array([True, False]),), {"min": np.array(5, dtype=np.uint8),
                                                                        "max": 0}),
                    counterexample=lambda dtype: ((np.array([True, False]),), {"min": np.array(5, dtype=np.uint8)}),
                    dtypes=("bool",)),
                Divergence(
                    id="clamp-signed-zero", op="clamp",
                    condition="elements where a zero is tied with a zero of the other sign in either comparison "
                              "of min(max(x, min), max): the input with a bound, or the input clamped at min with "
                              "max (x = -5, min = -0.0, max = 0.0)",
                    torch_behaviour="a tie keeps the input (torch.clamp(torch.tensor([-0.0]), min=0) is -0.0), "
                                    "except with tensor bounds in the vectorized kernel (16 float32 elements and "
                                    "more; an int16 input with bfloat16 bounds at 256, not 16), where it gives the "
                                    "bound: "
                                    "torch.clamp(torch.full((16,), -5.), torch.full((16,), -0.), torch.zeros(16)) "
                                    "is +0.0",
                    numpy_behaviour="a tie gives the bound: np.clip(-0.0, 0, None) is 0.0",
                    reference=DOC.format("clamp"), kind="unspecified", applies=_clamp_zero_tie,
                    relax_signed_zero=True,
                    example=lambda dtype: ((np.array([-0.0, 1.0], dtype=D.NUMPY[dtype]),), {"min": 0}),
                    counterexample=lambda dtype: ((np.array([0.0, 1.0], dtype=D.NUMPY[dtype]),), {"min": 0}),
                    dtypes=("float32",)),
            ), refused=tuple(d for d in _CLAMP_PROMOTION if d.id.endswith("-promotion-unsupported")),
                no_kernel=(
                    _clamp_wide_unsigned_record(_clamp_wide_unsigned,
                               lambda dtype: ((np.array([1, 2], dtype=np.uint16),), {"min": 1}),
                               lambda dtype: ((np.array([1, 2], dtype=np.uint16),),
                                              {"min": np.array([1.5, 0.5], dtype=np.float32)}), ("uint16",)),
                    _no_kernel("clamp", "float8", _clamp_float8,
                               lambda dtype: ((np.array([1.0, 2.0], dtype=D.NUMPY["float8_e4m3fn"]),), {"max": 1.0}),
                               lambda dtype: ((np.array([1.0, 2.0], dtype=np.float16),), {"max": 1.0}),
                               ("float8_e4m3fn",))),
                promotion=tuple(d for d in _CLAMP_PROMOTION if not d.id.endswith("-promotion-unsupported")))),
    OpEntry("where", F, "torch.where", np.where, S.where_args,
            divergences=_where_divergences()),
]


# ---- divergences pinned by the bespoke pointwise tests (conformance/suite/test_pointwise.py) ------------------

DIVERGENCES = [
    Divergence(
        id="inplace-integer-into-unsigned", op="add", family=F,
        condition="an in-place op on an unsigned integer tensor whose result dtype is a signed integer one "
                  "(uint8 with an int8 operand: int16)",
        torch_behaviour="writes the result into the tensor, wrapping it: torch.tensor([250, 3], dtype=torch.uint8)"
                        ".add_(torch.tensor([10, -5], dtype=torch.int8)) is [4, 254] (an output only refuses a "
                        "result of a higher category: float into integer, complex into real, anything into bool)",
        numpy_behaviour="np.add(a, b, out=a) raises UFuncTypeError: int16 does not cast to uint8 under 'same_kind'",
        reference=PROMOTION_DOC, kind="intended"),
    Divergence(
        id="abs-inplace-complex", op="abs", family=F, condition="abs_ (in place) of a complex tensor",
        torch_behaviour="raises RuntimeError: 'In-place abs is not supported for complex tensors.'",
        numpy_behaviour="np.abs(z, out=z) writes |z| (a real value) into the complex array",
        reference=DOC.format("abs"), kind="intended"),
]
