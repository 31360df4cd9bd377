"""Pointwise ops: unary math, binary arithmetic with broadcasting and type promotion, special values.

Binary ops take a second operand of the same dtype, of another dtype (``mixed_binary``'s partners) or a Python
scalar of any kind, so type promotion is exercised on every run; the result dtype is compared with NumPy's.
Where torch promotes differently on purpose, the divergences made by :func:`_promotion` hold torch to its
documented rule instead, through a model of the op in torch's dtypes (``conformance.references.pointwise``:
every operand is first cast to torch's result dtype, as torch does).
"""
from __future__ import annotations

import ml_dtypes
import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import pointwise as R
from conformance.strategies import pointwise as S

F = "pointwise"

PROMOTION_DOC = "https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"
DOC = "https://pytorch.org/docs/stable/generated/torch.{}.html"
#: the decision to compute unary float functions of integer and bool tensors in the default dtype
UNARY_FLOAT_PROMOTION = ("https://pytorch.org/docs/stable/generated/torch.set_default_dtype.html ; "
                         "https://github.com/pytorch/pytorch/pull/33322")
INT_DIV_BY_ZERO = "https://pytorch.org/docs/stable/generated/torch.fmod.html (division by zero)"


# ---- helpers for divergence conditions ----------------------------------------------------------------------

def _arrays(values):
    return [v for v in values if isinstance(v, np.ndarray)]


def _scalars(values):
    return [v for v in values if v is not None and not isinstance(v, np.ndarray)]


def _cat(dt) -> str:
    name = D.name_of(dt)
    if name == "bool":
        return "bool"
    if name in D.INTEGRAL:
        return "int"
    return "complex" if name in D.COMPLEX else "float"


def _numpy_result_type(operands):
    """NumPy's (NEP 50) result dtype of ``operands``; bfloat16 takes float16's place, as in the reference."""
    probe, had_bf16, had_f16 = [], False, False
    for v in operands:
        if isinstance(v, np.ndarray):
            if v.dtype == D.NUMPY["bfloat16"]:
                had_bf16, v = True, v.astype(np.float16)
            elif v.dtype == np.float16:
                had_f16 = True
        if v is not None:
            probe.append(v)
    try:
        dt = np.result_type(*probe)
    except Exception:  # noqa: BLE001 - no common dtype: not a promotion case
        return None
    if had_bf16 and dt == np.float16:
        return np.dtype(np.float32) if had_f16 else D.NUMPY["bfloat16"]
    return dt


def _torch_result_type(operands):
    return R.torch_result_type(*operands)


def _kind(operands) -> str:
    """The NumPy kind letter of torch's result dtype ('' when torch's result is outside the suite's dtypes)."""
    t = _torch_result_type(operands)
    return "" if t is None else t.kind


def _differs(operands) -> bool:
    t = _torch_result_type(operands)
    return t is not None and t != _numpy_result_type(operands)


def _binary_operands(sample):
    return list(sample.args[:2])


def _result_is(sample, operands, kinds) -> bool:
    k = _kind(operands(sample))
    return k != "" and k in kinds


def _promotion(op: str, model, operands=_binary_operands, example_args=None, complex_ok=True):
    """The type promotion divergences of an op with several operands: torch's documented rule where NumPy 2
    (NEP 50) gives another dtype. ``model`` computes the op as torch does, in torch's result dtype."""
    doc = f"{PROMOTION_DOC} ; {DOC.format(op)}"
    ex = example_args or (lambda *a: (a, {}))

    def python_number(kind):
        def applies(sample, dtype):
            ops = operands(sample)
            return (any(isinstance(v, kind) and not isinstance(v, bool) for v in _scalars(ops)) and
                    all(_cat(a.dtype) in ("bool", "int") for a in _arrays(ops)) and _differs(ops))
        return applies

    def zero_dim(sample, dtype):
        arrs = _arrays(operands(sample))
        return any(a.ndim == 0 for a in arrs) and any(a.ndim > 0 for a in arrs) and _differs(operands(sample))

    def inexact_int(sample, dtype):
        ops = operands(sample)
        cats = {_cat(a.dtype) for a in _arrays(ops)}
        return bool(cats & {"float", "complex"}) and "int" in cats and _differs(ops)

    found = (
        Divergence(
            id=f"{op}-python-float", op=op,
            condition="integer or bool tensors with a Python float",
            torch_behaviour="the result has the default dtype, float32",
            numpy_behaviour="float64 (NEP 50: a Python float with an integer array gives float64)",
            reference=doc, kind="intended", applies=python_number(float), torch_ref=model, native=True,
            example=lambda dtype: ex(np.array([1, 2, 3], dtype=dtype), 0.5), dtypes=("int32",)),
        Divergence(
            id=f"{op}-python-complex", op=op,
            condition="integer or bool tensors with a Python complex number",
            torch_behaviour="the result has the default complex dtype, complex64",
            numpy_behaviour="complex128",
            reference=doc, kind="intended", applies=python_number(complex), torch_ref=model, native=True,
            example=lambda dtype: ex(np.array([1, 2, 3], dtype=dtype), 2j), dtypes=("int16",)),
        Divergence(
            id=f"{op}-zero-dim", op=op,
            condition="a zero-dim tensor with tensors that have dims, the zero-dim one of a wider dtype of the "
                      "same category (or of a lower category)",
            torch_behaviour="the zero-dim tensor does not widen the result: an int8 tensor with an int64 zero-dim "
                            "tensor gives int8, float32 with a float64 zero-dim tensor gives float32",
            numpy_behaviour="zero-dim arrays promote like any array (NEP 50): int64, float64",
            reference=doc, kind="intended", applies=zero_dim, torch_ref=model, native=True,
            example=lambda dtype: ex(np.array([1, 2, 3], dtype=dtype), np.array(5, dtype=np.int64)),
            dtypes=("int8",)),
        Divergence(
            id=f"{op}-inexact-with-int", op=op,
            condition="a floating or complex tensor with an integer tensor (of the same priority)",
            torch_behaviour="the floating or complex dtype wins as it is (the integers are cast to it, and may "
                            "round or overflow there): float16 with int16 gives float16, complex64 with int32 "
                            "gives complex64",
            numpy_behaviour="the inexact dtype is widened to hold the integers: float32, complex128",
            reference=doc, kind="intended", applies=inexact_int, torch_ref=model, native=True,
            example=lambda dtype: ex(np.array([1.5, 2.0], dtype=dtype), np.array([3, 4], dtype=np.int16)),
            dtypes=("float16",)),
    )
    # an op without complex kernels raises on complex operands, as NumPy does: nothing to record there
    return found if complex_ok else tuple(d for d in found if not d.id.endswith("python-complex"))


def _raises(id_, op, condition, torch_behaviour, numpy_behaviour, reference, kind, applies, exc, example,
            dtypes_):
    return Divergence(id=id_, op=op, condition=condition, torch_behaviour=torch_behaviour,
                      numpy_behaviour=numpy_behaviour, reference=reference, kind=kind, applies=applies,
                      raises=exc, example=example, dtypes=dtypes_)


def _dtype_in(*names):
    return lambda sample, dtype: dtype in names


def _int_input(op, model, diverging):
    """Unary float functions of integer and bool tensors: torch computes in float32."""
    return Divergence(
        id=f"{op}-integer-input", op=op, condition="an integer or bool input",
        torch_behaviour="computed in and returned as the default dtype, float32",
        numpy_behaviour="float16 for bool, uint8 and int8 inputs; float64 for int32 and int64 (float32 for int16, "
                        "as torch)",
        reference=UNARY_FLOAT_PROMOTION, kind="intended",
        applies=lambda sample, dtype: dtype in ("bool", "uint8", "int8", "int32", "int64"),
        torch_ref=model, example=lambda dtype: ((np.array([0, 1, 4], dtype=dtype),), {}), dtypes=diverging)


def _bool_unsupported(op, exc=NotImplementedError, other=False):
    """torch has no bool kernel where NumPy has one (or promotes bool to int8)."""
    if other:
        applies = lambda sample, dtype: all(  # noqa: E731
            (a.dtype == np.bool_) for a in _arrays(sample.args[:2])) and all(
            isinstance(v, bool) for v in _scalars(sample.args[:2]))
        numpy = "promotes bool to int8 and computes"
        example = lambda dtype: ((np.array([True, False]), np.array([True, True])), {})  # noqa: E731
    else:
        applies = _dtype_in("bool")
        numpy = "returns a bool array (the input's values)"
        example = lambda dtype: ((np.array([True, False]),), {})  # noqa: E731
    return _raises(f"{op}-bool", op, "bool operands" if other else "a bool input",
                   f"raises {exc.__name__}: no bool kernel", numpy, DOC.format(op), "unspecified", applies, exc,
                   example, ("bool",))


def _int_div_by_zero(op, op_kwargs=None):
    def applies(sample, dtype):
        x, y = sample.args[:2]
        if _kind((x, y)) not in ("i", "u", "b"):
            return False
        if op_kwargs is not None and sample.kwargs.get("rounding_mode") is None:
            return False  # true division of integers is a floating division
        size = int(np.prod(np.broadcast_shapes(np.shape(x), np.shape(y)), dtype=np.int64))
        with np.errstate(all="ignore"):  # the divisor as torch computes with it: cast to the result dtype
            return size > 0 and bool(np.any(np.asarray(y).astype(_torch_result_type((x, y))) == 0))
    return _raises(f"{op}-int-by-zero", op, "integer operands with a zero divisor (in a non-empty result)",
                   "raises RuntimeError('ZeroDivisionError') on CPU",
                   "returns 0 (and warns)", INT_DIV_BY_ZERO, "intended", applies, RuntimeError,
                   lambda dtype: ((np.array([1, 2], dtype=dtype), np.array([0, 1], dtype=dtype)),
                                  op_kwargs or {}), ("int32",))


def _any_nonfinite_part(v) -> bool:
    v = np.asarray(v)
    if v.dtype.kind == "c":
        return bool((~np.isfinite(v.real) | ~np.isfinite(v.imag)).any())
    if v.dtype.kind == "f" or v.dtype == D.NUMPY["bfloat16"]:
        return bool((~np.isfinite(v.astype(np.float64))).any())
    return False


def _zero_part(v) -> bool:
    v = np.asarray(v)
    if v.dtype.kind == "c":
        return bool(((v.real == 0) | (v.imag == 0)).any())
    return v.dtype.kind in "fV" and bool((v.astype(np.float64) == 0).any())


def _complex_alpha_applies(sample, dtype):
    x, y = sample.args[:2]
    if _kind((x, y)) != "c":
        return False
    return ("alpha" in sample.kwargs or _any_nonfinite_part(y) or _any_nonfinite_part(x) or _zero_part(y) or
            _zero_part(x) or not isinstance(y, np.ndarray) or np.asarray(y).dtype.kind != "c")


def _complex_alpha(op, model):
    nan, inf = float("nan"), float("inf")
    return Divergence(
        id=f"{op}-complex-alpha-product", op=op,
        condition="a complex result, the other operand with an infinite or NaN part (or signed zeros, or an alpha)",
        torch_behaviour=f"computes x {'+' if op == 'add' else '-'} alpha*y with alpha as a complex number "
                        "multiplying y, also when alpha is 1: inf*0 and nan*0 in that product turn the other "
                        "part into NaN. torch.add(torch.tensor([1.24-1j]), torch.tensor([complex(nan, inf)])) gives "
                        "nan+nanj; torch.add(torch.zeros(1, dtype=torch.complex128), torch.tensor([complex(inf, 0)]))"
                        " gives inf+nanj; zeros may change sign",
        numpy_behaviour="adds real and imaginary parts separately: nan+infj, inf+0j",
        reference="https://github.com/pytorch/pytorch/issues/82510", kind="bug",
        applies=_complex_alpha_applies, torch_ref=model, native=True,
        example=lambda dtype: ((np.array([1.24 - 1j], dtype=dtype), np.array([complex(nan, inf)], dtype=dtype)),
                               {}),
        dtypes=("complex64", "complex128"))


def _float_alpha_with_ints(op):
    def applies(sample, dtype):
        alpha = sample.kwargs.get("alpha")
        return isinstance(alpha, float) and _kind(sample.args[:2]) in ("i", "u", "b")
    return _raises(f"{op}-float-alpha-int", op, "integer or bool operands with a float alpha",
                   "raises RuntimeError: 'For integral input tensors, argument alpha must not be a floating point "
                   "number.'", "(x + alpha*y) computes in float64", DOC.format(op), "intended", applies,
                   RuntimeError,
                   lambda dtype: ((np.array([1, 2], dtype=dtype), np.array([3, 4], dtype=dtype)), {"alpha": 0.5}),
                   ("int64",))


def _sub_bool(sample, dtype):
    x, y = sample.args[:2]
    return (isinstance(x, np.ndarray) and x.dtype == np.bool_) or isinstance(y, bool) or \
        (isinstance(y, np.ndarray) and y.dtype == np.bool_)


def _complex_dtype_applies(sample, dtype):
    return any(np.asarray(a).dtype.kind == "c" for a in sample.args[:2] if isinstance(a, np.ndarray)) or \
        any(isinstance(v, complex) for v in _scalars(sample.args[:2]))


def _huge_quotient(sample, dtype):
    """Elementwise: floating operands where |x / y| overflows torch's result dtype (x finite, y finite non-zero)."""
    x, y = sample.args[:2]
    dt = _torch_result_type((x, y))
    shape = np.broadcast_shapes(np.shape(x), np.shape(y))
    if dt is None or _cat(dt) != "float":
        return np.zeros(shape, dtype=bool)
    big = float(ml_dtypes.finfo(dt).max if D.name_of(dt) == "bfloat16" else np.finfo(dt).max)
    with np.errstate(all="ignore"):
        xf, yf = (np.asarray(v).astype(dt).astype(np.float64) for v in (x, y))
        q = np.abs(xf / yf)
        return np.broadcast_to(np.isfinite(xf) & np.isfinite(yf) & (yf != 0) & ~(q <= big), shape)


def _opposite_zero_signs(sample, dtype):
    x, y = (np.asarray(v) for v in sample.args[:2])
    if x.dtype.kind not in "fcV" and y.dtype.kind not in "fcV":
        return False
    with np.errstate(all="ignore"):
        xf, yf = np.broadcast_arrays(x.astype(np.complex128).real if x.dtype.kind == "c" else x.astype(np.float64),
                                     y.astype(np.complex128).real if y.dtype.kind == "c" else y.astype(np.float64))
    return bool(np.any((xf == 0) & (yf == 0) & (np.signbit(xf) != np.signbit(yf))))


def _remainder_zero_sign(sample, dtype):
    """A floating result that is zero where x and y have opposite signs (or x is -0.0 with y positive)."""
    x, y = sample.args[:2]
    dt = _torch_result_type((x, y))
    if dt is None or _cat(dt) != "float":
        return False
    with np.errstate(all="ignore"):
        xf, yf = (np.asarray(v).astype(dt).astype(np.float64) for v in (x, y))
        r = np.remainder(xf, yf)
        return bool(np.any((r == 0) & (np.signbit(xf) != np.signbit(yf))))


def _complex_product_overflows(sample, dtype):
    """A complex result where some partial product ar*br, ai*bi, ar*bi, ai*br is not finite in its dtype."""
    x, y = sample.args[:2]
    dt = _torch_result_type((x, y))
    if dt is None or dt.kind != "c":
        return False
    big = float(np.finfo(dt).max)
    with np.errstate(all="ignore"):
        a, b = (np.asarray(v).astype(dt).astype(np.complex128) for v in (x, y))
        prods = [a.real * b.real, a.imag * b.imag, a.real * b.imag, a.imag * b.real]
        return any(bool(np.any(~(np.abs(p) <= big))) for p in prods)


def _reduced_float_one_element(sample, dtype):
    x, y = sample.args[:2]
    t = _torch_result_type((x, y))
    return (t is not None and D.name_of(t) in ("float16", "bfloat16") and isinstance(y, np.ndarray) and y.size == 1
            and y.dtype != t)


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


def _clamp_zero_tie(sample, dtype):
    x = sample.args[0]
    bounds = [v for v in (sample.kwargs.get("min"), sample.kwargs.get("max")) if v is not None]
    dt = _torch_result_type([x] + bounds)
    if dt is None or _cat(dt) != "float":
        return False
    with np.errstate(all="ignore"):
        xf = np.asarray(x).astype(dt).astype(np.float64)
        for b in bounds:
            bf = np.asarray(b).astype(dt).astype(np.float64)
            xb, bb = np.broadcast_arrays(xf, bf)
            if np.any((xb == 0) & (bb == 0) & (np.signbit(xb) != np.signbit(bb))):
                return True
    return False


def _pow_negative_int_exponent(sample, dtype):
    x, y = sample.args[:2]
    if _kind((x, y)) not in ("i", "u"):
        return False
    return isinstance(y, np.ndarray) and bool(np.any(y < 0)) and np.size(np.broadcast_to(
        x, np.broadcast_shapes(np.shape(x), np.shape(y)))) > 0


# ---- pow tolerance: conditioning of exp(y * log(x)) ------------------------------------------------------------

def _pow_tol(sample, dtype):
    """Complex pow is evaluated as exp(y*log(x)): its error grows with |y*log(x)| (the condition number with
    respect to the exponent), which the reference (complex128) does not share. Each element gets the bound
    8 * eps * (1 + |y*log(x)|) * |x**y| on both parts; where that bound exceeds |x**y| the result carries no
    information (its phase is rounding noise) and any value is accepted there."""
    x, y = sample.args[:2]
    out = _torch_result_type((x, y))
    if out is None or out.kind != "c":
        return None
    name = D.name_of(out)
    eps = float(np.finfo(np.float32 if name == "complex64" else np.float64).eps)
    with np.errstate(all="ignore"):
        xc = np.asarray(x).astype(np.complex128)
        yc = np.asarray(y).astype(np.complex128)
        kappa = np.abs(yc * np.log(xc))
        mag = np.abs(np.power(xc, yc))
        bound = 8 * eps * (1 + kappa) * mag
        big = float(np.finfo(np.float32 if name == "complex64" else np.float64).max)
        # no information: the phase is rounding noise, or the result overflows (its parts' infinities then
        # depend on the evaluation order)
        noise = ~np.isfinite(bound) | (8 * eps * (1 + kappa) >= 1) | np.isnan(kappa) | ~(
            mag * (1 + 8 * eps * (1 + kappa)) < big)
        # an intermediate power |x|**|Re y| (x*x for y = -2) overflows although the result does not, or an
        # operand itself overflows when cast to the result dtype
        inter = ~(np.abs(xc) ** np.abs(yc.real) < big) | ~(np.abs(xc) < big) | ~(np.abs(yc) < big)
        atol = np.where(noise, np.inf, bound)
    rtol = {"complex64": 1.3e-6, "complex128": 1e-7}[name]
    return {name: (rtol, np.maximum(atol, 1e-5 if name == "complex64" else 1e-7), noise | inter)}


def _sigmoid_tol(sample, dtype):
    """Complex sigmoid 1/(1+exp(-z)) has poles at z = i(2k+1)pi; near them a complex64 evaluation loses
    accuracy in proportion to |sigmoid(z)|**2 * |exp(-z)| (the error of exp(-z) amplified by the division), while
    the reference is complex128. Each element gets that bound times 8 eps on both parts."""
    if dtype not in D.COMPLEX:
        return None
    eps = float(np.finfo(np.float32 if dtype == "complex64" else np.float64).eps)
    with np.errstate(all="ignore"):
        z = np.asarray(sample.args[0]).astype(np.complex128)
        e = np.exp(-z)
        s = 1.0 / (1.0 + e)
        bound = 8 * eps * np.abs(s) ** 2 * np.abs(e)
        atol = np.where(np.isfinite(bound), np.maximum(bound, 1e-5 if dtype == "complex64" else 1e-7), np.inf)
        # exp(-z) itself overflows the working precision although the result (about 0) does not
        overflow = ~(np.abs(e) <= float(np.finfo(np.float32 if dtype == "complex64" else np.float64).max))
    return {dtype: ({"complex64": 1.3e-6, "complex128": 1e-7}[dtype], atol, ~np.isfinite(bound) | overflow)}


# ---- entries ------------------------------------------------------------------------------------------------

#: The dtypes each op is tested on (as the dtype of its first operand). Every op gets float32, a reduced float
#: (float16 or bfloat16), what it does with complex numbers and with integers or bools where torch or NumPy
#: takes them, and the dtypes where a known divergence lives; across the family every dtype is covered for each
#: kind of op, and the second operands of the binary ops range over all dtypes (``mixed_binary``'s partners).
#: More dtypes per op would mostly repeat the same kernels: the family's CI budget goes to examples instead.
DTYPES = {
    "sqrt": ("float16", "float32", "complex64", "bool"),
    "exp": ("bfloat16", "float32", "complex128", "uint8"),
    "log": ("float16", "float64", "complex128", "int8"),
    "log1p": ("bfloat16", "complex64", "complex128", "int64"),
    "sin": ("float16", "float32", "complex64", "int32"),
    "cos": ("bfloat16", "float64", "complex128", "int16"),
    "tanh": ("float16", "float32", "complex64", "bool"),
    "sigmoid": ("bfloat16", "float32", "complex64", "uint8"),
    "abs": ("bool", "int8", "float16", "float32", "complex64"),
    "neg": ("bool", "uint8", "int32", "float16", "float64", "complex64"),
    "sign": ("bool", "int8", "float16", "float32", "complex64"),
    "floor": ("bool", "int16", "float16", "float32", "float64"),
    "ceil": ("uint8", "int64", "bfloat16", "float32"),
    "round": ("bool", "int32", "bfloat16", "float32"),
    "round_decimals": ("int64", "float16", "float32", "float64"),
    "isnan": ("int64", "float16", "complex64"),
    "isinf": ("bfloat16", "float64", "complex128"),
    "isfinite": ("bool", "float32", "complex64"),
    "add": ("bool", "uint8", "int64", "float16", "bfloat16", "float32", "complex128"),
    "sub": ("bool", "int16", "float16", "float64", "complex64"),
    "mul": ("int8", "int32", "float16", "bfloat16", "float32", "complex128"),
    "div": ("bool", "uint8", "int64", "float16", "float32", "complex64"),
    "floor_divide": ("bool", "int8", "uint8", "float16", "float32"),
    "remainder": ("int16", "int64", "bfloat16", "float32", "float64"),
    "fmod": ("uint8", "int32", "float16", "float64"),
    "maximum": ("bool", "uint8", "float16", "float32", "complex64"),
    "minimum": ("int64", "bfloat16", "float64", "complex128"),
    "pow": ("bool", "uint8", "int64", "float16", "bfloat16", "float32", "complex64", "complex128"),
    "clamp": ("bool", "uint8", "float16", "bfloat16", "float32"),
    "where": ("bool", "int32", "float16", "float32", "complex64"),
}

def _float_unary(name, ref, model, extra=(), **kw):
    diverging = tuple(d for d in DTYPES[name] if d in D.INTEGRAL + D.BOOL and d != "int16")
    ints = (_int_input(name, model, diverging),) if diverging else ()
    return OpEntry(name, F, f"torch.{name}", ref, S.unary, DTYPES[name], method=name,
                   inplace=f"{name}_", divergences=ints + tuple(extra), **kw)


def _binary(name, ref, dtypes_, model, partners=D.ALL, extra=(), inputs=None, inplace=True, complex_ok=True,
            **kw):
    inputs = inputs or (lambda dtype: S.mixed_binary(dtype, partners))
    return OpEntry(name, F, f"torch.{name}", ref, inputs, dtypes_, method=name,
                   inplace=f"{name}_" if inplace else None,
                   divergences=tuple(extra) + _promotion(name, model, complex_ok=complex_ok), **kw)


def _neg_complex_zero():
    return Divergence(
        id="neg-complex-signed-zero", op="neg", condition="complex tensors of 8 or more elements (the vectorized "
                                                          "path)",
        torch_behaviour="a zero real or imaginary part comes out as +0.0 whatever its sign: "
                        "torch.neg(torch.zeros(8, dtype=torch.complex64))[0] is 0j (a 1-element tensor gives -0-0j)",
        numpy_behaviour="-0.0 for +0.0 and +0.0 for -0.0 (IEEE negation)",
        reference="https://pytorch.org/docs/stable/generated/torch.neg.html (no issue found)", kind="bug",
        applies=_dtype_in("complex64", "complex128"), relax_signed_zero=True,
        example=lambda dtype: ((np.zeros(8, dtype=dtype),), {}), dtypes=("complex64", "complex128"))


def _log1p_extreme_imag(sample, dtype):
    """Elementwise: complex inputs with a finite real part and an infinite imaginary part, or of modulus below
    0.5 with a subnormal (non-zero) imaginary part."""
    z = np.asarray(sample.args[0])
    if z.dtype.kind != "c":
        return np.zeros(z.shape, dtype=bool)
    tiny = float(np.finfo(z.dtype).tiny)
    z = z.astype(np.complex128)
    with np.errstate(all="ignore"):
        subnormal = np.isfinite(z) & (np.abs(z) < 0.5) & (np.abs(z.imag) < tiny) & (z.imag != 0)
        return subnormal | (np.isfinite(z.real) & np.isinf(z.imag)) | (np.isinf(z.real) & np.isnan(z.imag))


def _log1p_edge_case(sample, dtype):
    z = np.asarray(sample.args[0])
    if z.dtype.kind != "c":
        return False
    negzero_imag = (z.imag == 0) & np.signbit(z.imag)
    return bool(_log1p_extreme_imag(sample, dtype).any() or negzero_imag.any())


def _log1p_complex():
    return Divergence(
        id="log1p-complex-edge-cases", op="log1p",
        condition="a complex input with a finite real part and an infinite imaginary part, or an infinite real part "
                  "and a NaN imaginary part; or of modulus below 0.5 with a subnormal (non-zero) imaginary part; or "
                  "with a -0.0 imaginary part",
        torch_behaviour="nan+nanj for some of the first two kinds, depending on the real part's bits: "
                        "torch.log1p(torch.tensor([0.3-infj], dtype=torch.complex128)), "
                        "torch.log1p(torch.tensor([1e-14+1e-42j])) and "
                        "torch.log1p(torch.tensor([1e-20+1e-310j], dtype=torch.complex128)) give nan+nanj, "
                        "as does inf+nanj (NumPy: inf+nanj); "
                        "and a small input's -0.0 imaginary part comes out +0.0: "
                        "torch.log1p(torch.tensor([complex(0.01, -0.0)])) is 0.00995+0j",
        numpy_behaviour="inf-1.5707963267948966j, about z itself (1e-14+1e-42j, 1e-20+1e-310j), 0.00995-0j",
        reference="https://pytorch.org/docs/stable/generated/torch.log1p.html (no issue found)", kind="bug",
        applies=_log1p_edge_case, accept_nonfinite=_log1p_extreme_imag, relax_signed_zero=True,
        example=lambda dtype: ((np.array([1e-14 + 1e-42j, 0.25 + 0.5j], dtype=dtype)
                                if dtype == "complex64" else
                                np.array([complex(0.3, -np.inf), 1e-20 + 1e-310j, 0.25 + 0.5j], dtype=dtype),), {}),
        dtypes=("complex64", "complex128"))


def _sign_divergences():
    nan = float("nan")
    return (
        _raises("sign-complex", "sign", "a complex input",
                "raises NotImplementedError: 'Unlike NumPy, torch.sign is not intended to support complex numbers. "
                "Please use torch.sgn instead.'", "z/|z| (NumPy 2)", DOC.format("sgn"), "intended",
                _dtype_in("complex64", "complex128"), NotImplementedError,
                lambda dtype: ((np.array([1j, 3 + 4j], dtype=dtype),), {}), ("complex64",)),
        Divergence(
            id="sign-bool", op="sign", condition="a bool input",
            torch_behaviour="returns the input (the sign of True is True)",
            numpy_behaviour="raises: np.sign has no bool loop", reference=DOC.format("sign"), kind="unspecified",
            applies=_dtype_in("bool"), torch_ref=R.sign_torch,
            example=lambda dtype: ((np.array([True, False]),), {}), dtypes=("bool",)),
        Divergence(
            id="sign-nan", op="sign", condition="a NaN in a floating input",
            torch_behaviour="sign(NaN) is 0: torch.sign(torch.tensor([float('nan')])) is tensor([0.])",
            numpy_behaviour="sign(NaN) is NaN",
            reference="https://github.com/pytorch/pytorch/issues/41245", kind="bug",
            applies=lambda sample, dtype: dtype in D.FLOATING and bool(
                np.isnan(sample.args[0].astype(np.float64)).any()),
            torch_ref=R.sign_torch, example=lambda dtype: ((np.array([nan, -1.0, 2.0], dtype=D.NUMPY[dtype]),), {}),
            dtypes=("float32",)),
    )


def _maximum_like(name, model):
    doc = DOC.format(name)
    return _binary(name, getattr(np, name), DTYPES[name], model, inplace=False, extra=(
        _raises(f"{name}-python-scalar", name, "a Python number as the second operand",
                f"raises TypeError: '{name}(): argument 'other' (position 2) must be Tensor'",
                "takes it (as a weak scalar)", doc, "intended",
                lambda sample, dtype: not isinstance(sample.args[1], np.ndarray), TypeError,
                lambda dtype: ((np.array([1.0, -2.0], dtype=D.NUMPY[dtype]), 0.5), {}), ("float32",)),
        _raises(f"{name}-complex", name, "a complex operand",
                f"raises RuntimeError: '{name} not implemented for complex tensors.'",
                "orders complex numbers lexicographically", doc, "intended", _complex_dtype_applies, RuntimeError,
                lambda dtype: ((np.array([1 + 1j, 2j], dtype=dtype), np.array([1j, 1 + 0j], dtype=dtype)), {}),
                ("complex64",)),
        Divergence(
            id=f"{name}-signed-zero", op=name, condition="the two operands are zeros of opposite signs",
            torch_behaviour="depends on the kernel path: a short tensor gives the first operand "
                            f"(torch.{name}(torch.tensor([-0.0]), torch.tensor([0.0])) is -0.0), a vectorized one "
                            "(16 elements and more) the second",
            numpy_behaviour=f"the second one: np.{name}(-0.0, 0.0) is 0.0",
            reference=doc, kind="unspecified", applies=_opposite_zero_signs, torch_ref=model, native=True,
            relax_signed_zero=True,
            example=lambda dtype: ((np.array([-0.0, 0.0], dtype=D.NUMPY[dtype]),
                                    np.array([0.0, -0.0], dtype=D.NUMPY[dtype])), {}),
            dtypes=("float32",)),
    ))


def _fmod_like(name, ref, model):
    return _binary(name, ref, DTYPES[name], model, partners=D.REAL + D.BOOL, complex_ok=False, extra=(
        _bool_unsupported(name, other=True),
        _int_div_by_zero(name),
        Divergence(
            id=f"{name}-huge-quotient-nan", op=name,
            condition="floating operands where |x / y| overflows (x huge, y small), contiguous and long enough for "
                      "the vectorized kernel",
            torch_behaviour=f"NaN: torch.{name}(torch.full((32,), 1e308, dtype=torch.float64), 0.5) is NaN "
                            "(Sleef's fmod); a short tensor, a strided one or the tail of a long one gives the exact "
                            "remainder",
            numpy_behaviour="the exact remainder (0.0 here)",
            reference="https://github.com/pytorch/pytorch/issues/193753", kind="bug",
            applies=lambda sample, dtype: bool(_huge_quotient(sample, dtype).any()),
            accept_nonfinite=_huge_quotient, torch_ref=model, native=True,
            example=lambda dtype: ((np.full(32, 1e308 if dtype == "float64" else 3e38, dtype=dtype),
                                    np.full(32, 0.5, dtype=dtype)), {}),
            dtypes=("float32", "float64")),
    ) + ((Divergence(
        id="remainder-zero-sign", op="remainder",
        condition="a zero result (x a multiple of y) with x and y of opposite signs",
        torch_behaviour="the zero takes the sign of the dividend x: torch.remainder(torch.tensor([-1.0]), 1.0) is -0.0",
        numpy_behaviour="the zero takes the sign of the divisor, as Python's %: 0.0 (the torch docs say so too)",
        reference="https://github.com/pytorch/pytorch/issues/193755", kind="bug",
        applies=_remainder_zero_sign, torch_ref=model, native=True,
        example=lambda dtype: ((np.array([-1.0, 2.0], dtype=dtype), np.array([1.0, -1.0], dtype=dtype)), {}),
        dtypes=("float32",)),) if name == "remainder" else ()))


ENTRIES = [
    _float_unary("sqrt", np.sqrt, R.sqrt_torch, grad=True),
    _float_unary("exp", np.exp, R.exp_torch, grad=True),
    _float_unary("log", np.log, R.log_torch, grad=True),
    _float_unary("log1p", R.log1p, R.log1p_torch, extra=(_log1p_complex(),), grad=True),
    _float_unary("sin", np.sin, R.sin_torch, grad=True),
    _float_unary("cos", np.cos, R.cos_torch, grad=True),
    _float_unary("tanh", np.tanh, R.tanh_torch, grad=True),
    _float_unary("sigmoid", R.sigmoid, R.sigmoid_torch, tol_fn=_sigmoid_tol, grad=True,
                 extra=(Divergence(
                     id="sigmoid-complex-signed-zero", op="sigmoid", condition="a complex input",
                     torch_behaviour="the sign of a zero part follows torch's complex division",
                     numpy_behaviour="1 / (1 + exp(-z)) with NumPy's complex division: the sign of a zero part can "
                                     "differ", reference=DOC.format("sigmoid"), kind="unspecified",
                     applies=_dtype_in("complex64", "complex128"), relax_signed_zero=True),)),
    # abs_ (in-place) refuses complex tensors: covered by the bespoke pointwise tests, not by test_variants
    OpEntry("abs", F, "torch.abs", np.abs, S.unary, DTYPES["abs"], method="abs", grad=True,
            divergences=(_bool_unsupported("abs"),)),
    OpEntry("neg", F, "torch.neg", np.negative, S.unary, DTYPES["neg"], method="neg", inplace="neg_", grad=True,
            divergences=(_neg_complex_zero(),)),
    OpEntry("sign", F, "torch.sign", np.sign, S.unary, DTYPES["sign"], method="sign", inplace="sign_",
            divergences=_sign_divergences()),
    OpEntry("floor", F, "torch.floor", np.floor, S.unary, DTYPES["floor"], method="floor", inplace="floor_",
            divergences=(_bool_unsupported("floor"),)),
    OpEntry("ceil", F, "torch.ceil", np.ceil, S.unary, DTYPES["ceil"], method="ceil", inplace="ceil_",
            divergences=(_bool_unsupported("ceil"),)),
    OpEntry("round", F, "torch.round", np.round, S.unary, DTYPES["round"], method="round", inplace="round_",
            divergences=(_bool_unsupported("round"),)),
    # round(decimals=d) is defined by rounding in the input's precision (NumPy: rint(x * 10**d) / 10**d in the
    # input's dtype), so its reference is not computed in float64. bfloat16 is left to ``round`` (d = 0): NumPy has
    # no bfloat16 arithmetic and its float16 stand-in overflows where bfloat16 does not.
    OpEntry("round_decimals", F, "torch.round", np.round, lambda dtype: S.unary(dtype, decimals=S.decimals()),
            DTYPES["round_decimals"], method="round", inplace="round_", upcast=False,
            divergences=(
                _raises("round-integer-decimals", "round_decimals",
                        "an integer or bool input with decimals= given (even 0)",
                        "raises NotImplementedError ('round_cpu' not implemented for 'Long'), although "
                        "torch.round of the same tensor without decimals works",
                        "rounds (integers unchanged for decimals >= 0, to tens, hundreds... below)",
                        DOC.format("round"), "unspecified",
                        lambda sample, dtype: dtype in D.INTEGRAL + D.BOOL and "decimals" in sample.kwargs,
                        NotImplementedError,
                        lambda dtype: ((np.array([15, 25, -35], dtype=dtype),), {"decimals": -1}), ("int32",)),
                Divergence(
                    id="round-decimals-float16-in-float32", op="round_decimals",
                    condition="a float16 input with decimals= given",
                    torch_behaviour="computed in float32 (on CPU), then rounded to float16: "
                                    "torch.round(torch.tensor([10000.], dtype=torch.float16), decimals=3) is 10000 "
                                    "(the torch docs give inf as an example of this algorithm's overflow)",
                    numpy_behaviour="computed in float16: x * 10**3 overflows, inf",
                    reference=DOC.format("round"), kind="unspecified",
                    applies=lambda sample, dtype: dtype == "float16" and "decimals" in sample.kwargs,
                    torch_ref=R.round_torch, native=True,
                    example=lambda dtype: ((np.array([10000.0, 1.25], dtype=np.float16),), {"decimals": 3}),
                    dtypes=("float16",)),
            )),
    OpEntry("isnan", F, "torch.isnan", np.isnan, S.unary, DTYPES["isnan"], method="isnan"),
    OpEntry("isinf", F, "torch.isinf", np.isinf, S.unary, DTYPES["isinf"], method="isinf"),
    OpEntry("isfinite", F, "torch.isfinite", np.isfinite, S.unary, DTYPES["isfinite"], method="isfinite"),
    _binary("add", R.add, DTYPES["add"], R.add_torch, extra=(_complex_alpha("add", R.add_torch),
                                                       _float_alpha_with_ints("add")),
            inputs=lambda dtype: S.mixed_binary(dtype, alpha=S.alphas(dtype)), grad=True),
    _binary("sub", R.sub, DTYPES["sub"], R.sub_torch, extra=(
        _raises("sub-bool", "sub", "a bool operand (a tensor or a Python bool)",
                "raises RuntimeError: 'Subtraction, the `-` operator, with a bool tensor is not supported.'",
                "subtracts (bool - bool raises too; bool with a number promotes)", DOC.format("sub"), "intended",
                _sub_bool, RuntimeError,
                lambda dtype: ((np.array([1.5, 2.0], dtype=dtype), np.array([True, False])), {}), ("float32",)),
        _complex_alpha("sub", R.sub_torch), _float_alpha_with_ints("sub"),
        Divergence(
            id="sub-alpha-zero-signed-zero", op="sub", condition="alpha=0 and a floating result",
            torch_behaviour="computes x + (-alpha)*y, so an x of -0.0 gives +0.0: "
                            "torch.sub(torch.tensor([-0.0]), 1.0, alpha=0) is 0.0",
            numpy_behaviour="x - 0*y keeps -0.0", reference=DOC.format("sub"), kind="unspecified",
            applies=lambda sample, dtype: sample.kwargs.get("alpha") == 0 and _kind(sample.args[:2]) in ("f", "V"),
            torch_ref=R.sub_torch, native=True,
            example=lambda dtype: ((np.array([-0.0, 1.0], dtype=D.NUMPY[dtype]),
                                    np.array([1.0, 2.0], dtype=D.NUMPY[dtype])), {"alpha": 0}),
            dtypes=("float32",))),
            inputs=lambda dtype: S.mixed_binary(dtype, alpha=S.alphas(dtype)), grad=True),
    _binary("mul", np.multiply, DTYPES["mul"], R.mul_torch, grad=True, extra=(
        Divergence(
            id="mul-complex-overflow", op="mul",
            condition="a complex result where a partial product (ar*br, ai*bi, ar*bi or ai*br) overflows or is not "
                      "finite",
            torch_behaviour="each partial product is rounded on its own: (-3.4e38+1.29j)*(inf+10.7j) in complex64 "
                            "gives -inf+nanj (-3.4e38*10.7 overflows to -inf before 1.29*inf is added)",
            numpy_behaviour="-inf+infj (its loop fuses the multiply and the add, so the finite product does not "
                            "overflow first)",
            reference=f"{DOC.format('mul')} ; https://github.com/pytorch/pytorch/issues/36469", kind="unspecified",
            applies=_complex_product_overflows, torch_ref=R.mul_torch, native=True,
            example=lambda dtype: ((np.array([complex(-3.4e38, 1.29)], dtype=dtype),
                                    np.array([complex(np.inf, 10.7)], dtype=dtype)), {}),
            dtypes=("complex64",)),
        Divergence(
            id="mul-reduced-float-one-element-operand", op="mul",
            condition="a float16 or bfloat16 result and a one-element second operand of another dtype (an integer "
                      "tensor, or a zero-dim wider float one)",
            torch_behaviour="that operand is used as a scalar, converted to float32 without rounding to the result "
                            "dtype first: torch.mul(torch.full((5,), 1e-3, dtype=torch.float16), "
                            "torch.tensor([100000])) is 100.06 (with 5 elements in the second operand: inf, the "
                            "integers cast to float16 first)",
            numpy_behaviour="NumPy computes float16 * int32 in float64: 100.0",
            reference=DOC.format("mul"), kind="unspecified", applies=_reduced_float_one_element,
            torch_ref=R.mul_torch, native=True,
            example=lambda dtype: ((np.full(5, 1e-3, dtype=np.float16), np.array([100000], dtype=np.int32)), {}),
            dtypes=("float16",)),
    )),
    _binary("div", R.div, DTYPES["div"], R.div_torch, extra=(
        _raises("div-bool-rounding", "div", "bool operands with a rounding_mode",
                "raises NotImplementedError: no bool kernel for 'trunc' or 'floor'",
                "promotes bool to int8 and divides", DOC.format("div"), "unspecified",
                lambda sample, dtype: sample.kwargs.get("rounding_mode") is not None and
                _torch_result_type(sample.args[:2]) == np.bool_, NotImplementedError,
                lambda dtype: ((np.array([True, False]), np.array([True, True])), {"rounding_mode": "floor"}),
                ("bool",)),
        _int_div_by_zero("div", {"rounding_mode": "trunc"}),
        Divergence(
            id="div-complex-signed-zero", op="div", condition="a complex result",
            torch_behaviour="the sign of a zero part follows torch's division algorithm (its vectorized kernel "
                            "scales by the larger part of the divisor): (-3+0j) / (1e-30+1e30j) in a 16-element "
                            "complex64 tensor has real part +0.0",
            numpy_behaviour="Smith's algorithm: the sign of a zero part can differ", reference=DOC.format("div"),
            kind="unspecified", applies=lambda sample, dtype: _result_is(sample, _binary_operands, "c"),
            torch_ref=R.div_torch, native=True, relax_signed_zero=True,
            example=lambda dtype: ((np.full(16, -3 + 0j, dtype=dtype), np.full(16, 1e-30 + 1e30j, dtype=dtype)), {}),
            dtypes=("complex64",)),
        Divergence(
            id="div-integer-true-division", op="div",
            condition="integer or bool operands, no rounding_mode (true division)",
            torch_behaviour="computed in and returned as the default dtype, float32",
            numpy_behaviour="float64", reference=f"{PROMOTION_DOC} ; {DOC.format('div')}", kind="intended",
            applies=lambda sample, dtype: sample.kwargs.get("rounding_mode") is None and
            _kind(sample.args[:2]) in ("i", "u", "b"),
            torch_ref=R.div_torch, native=True,
            example=lambda dtype: ((np.array([1, 7], dtype=dtype), np.array([3, 2], dtype=dtype)), {}),
            dtypes=("int64",)),
    ), inputs=lambda dtype: S.mixed_binary(dtype, rounding_mode=S.rounding_modes()), grad=True),
    _binary("floor_divide", np.floor_divide, DTYPES["floor_divide"], R.floor_divide_torch, partners=D.REAL + D.BOOL,
            complex_ok=False,
            extra=(_bool_unsupported("floor_divide", other=True), _int_div_by_zero("floor_divide"))),
    _fmod_like("remainder", np.remainder, R.remainder_torch),
    _fmod_like("fmod", np.fmod, R.fmod_torch),
    _maximum_like("maximum", R.maximum_torch),
    _maximum_like("minimum", R.minimum_torch),
    _binary("pow", np.power, DTYPES["pow"], R.pow_torch, inputs=S.pow_args, tol_fn=_pow_tol, grad=True, extra=(
        _bool_unsupported("pow", exc=NotImplementedError, other=True),
        Divergence(
            id="pow-complex-signed-zero", op="pow", condition="a complex result",
            torch_behaviour="computed as exp(y*log(x)): a zero part takes the sign that formula gives: "
                            "torch.pow(torch.tensor([-3.4e-08-1.5e-10j]), torch.tensor([False])) is 1-0j",
            numpy_behaviour="1+0j (x**0 is exactly 1)", reference=DOC.format("pow"), kind="unspecified",
            applies=lambda sample, dtype: _result_is(sample, _binary_operands, "c"), torch_ref=R.pow_torch,
            relax_signed_zero=True,
            example=lambda dtype: ((np.array([complex(-3.449577e-08, -1.4732883e-10)], dtype=dtype),
                                    np.array([False])), {}),
            dtypes=("complex64",)),
        Divergence(
            id="pow-int-negative-exponent-tensor", op="pow",
            condition="integer tensors to a tensor of negative integer powers",
            torch_behaviour="computes: 1 for base 1, +-1 for base -1, 0 otherwise (a Python int exponent raises, "
                            "as in NumPy)",
            numpy_behaviour="raises ValueError: 'Integers to negative integer powers are not allowed.'",
            reference=DOC.format("pow"), kind="unspecified", applies=_pow_negative_int_exponent,
            torch_ref=R.pow_torch, native=True,
            example=lambda dtype: ((np.array([2, 1, -1, 0], dtype=dtype), np.array([-1, -2, -3, 2], dtype=dtype)),
                                   {}),
            dtypes=("int64",)),
    )),
    OpEntry("clamp", F, "torch.clamp", R.clamp, S.clamp_args, DTYPES["clamp"], method="clamp", inplace="clamp_",
            divergences=(
                _raises("clamp-no-bound", "clamp", "neither min nor max",
                        "raises RuntimeError: 'torch.clamp: At least one of 'min' or 'max' must not be None'",
                        "np.clip(x) returns the input", DOC.format("clamp"), "intended",
                        lambda sample, dtype: not sample.kwargs, RuntimeError,
                        lambda dtype: ((np.array([1.0, -2.0], dtype=dtype),), {}), ("float32",)),
                _raises("clamp-tensor-and-number", "clamp",
                        "one bound a tensor with dims and the other a Python number",
                        "raises TypeError: no overload takes a Tensor and a Number (a zero-dim tensor passes as "
                        "a number)",
                        "clips with both", DOC.format("clamp"), "intended",
                        _clamp_tensor_and_number, TypeError,
                        lambda dtype: ((np.array([1.0, -2.0], dtype=dtype),),
                                       {"min": np.array([0.0], dtype=dtype), "max": 1}), ("float32",)),
                _raises("clamp-bool", "clamp", "a bool input with a Python bool bound, or with both bounds tensors",
                        "raises NotImplementedError: no bool kernel for them (one tensor bound, or a zero-dim "
                        "tensor bound, works)",
                        "clips", DOC.format("clamp"), "unspecified",
                        _clamp_bool_unsupported, NotImplementedError,
                        lambda dtype: ((np.array([True, False]),), {"min": True}), ("bool",)),
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
                    dtypes=("bool",)),
                Divergence(
                    id="clamp-signed-zero", op="clamp", condition="a zero input tied with a zero bound of the other "
                                                                  "sign",
                    torch_behaviour="a tie keeps the input (torch.clamp(torch.tensor([-0.0]), min=0) is -0.0), "
                                    "except with tensor bounds in the vectorized kernel (16 elements and more), where "
                                    "it gives the bound",
                    numpy_behaviour="a tie gives the bound: np.clip(-0.0, 0, None) is 0.0",
                    reference=DOC.format("clamp"), kind="unspecified", applies=_clamp_zero_tie,
                    torch_ref=R.clamp_torch, native=True, relax_signed_zero=True,
                    example=lambda dtype: ((np.array([-0.0, 1.0], dtype=D.NUMPY[dtype]),), {"min": 0}),
                    dtypes=("float32",)),
            ) + _promotion("clamp", R.clamp_torch,
                           operands=lambda s: [s.args[0], s.kwargs.get("min"), s.kwargs.get("max")],
                           example_args=lambda x, b: ((x,), {"min": b}), complex_ok=False)),
    OpEntry("where", F, "torch.where", np.where, S.where_args, DTYPES["where"],
            divergences=_promotion("where", R.where_torch, operands=lambda s: list(s.args[1:]),
                                   example_args=lambda x, y: ((np.array([True, False, True])[:x.size], x, y), {}))),
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
    Divergence(
        id="float16-with-complex-gives-complex32", op="add", family=F,
        condition="a float16 tensor with a Python complex number (or with a zero-dim complex tensor)",
        torch_behaviour="the result is complex32 (ComplexHalf, 'experimental'), the complex type of float16's "
                        "precision",
        numpy_behaviour="complex64 (NumPy has no complex32)",
        reference=f"{PROMOTION_DOC} ; https://pytorch.org/docs/stable/generated/torch.set_default_dtype.html",
        kind="intended"),
]
