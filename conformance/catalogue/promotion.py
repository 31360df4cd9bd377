"""Type promotion divergences shared by the families whose ops take several operands (pointwise, comparison, ...).

torch's rule (https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc) differs from NumPy 2's
(NEP 50) on purpose in a few ways; :func:`divergences` makes the records of one op, each holding torch to its
documented rule through ``model`` (a NumPy function computing the op as torch does: every operand cast to
torch's result dtype first, see ``conformance.references.pointwise``). The records, in the order they are tried:

* ``<op>-promotion-unsupported`` — torch refuses to promote a float8 format with another dtype, and uint16 /
  uint32 / uint64 with another integer, bool or complex dtype (RuntimeError); NumPy promotes;
* ``<op>-float16-complex32`` — a float16 tensor with a Python complex number or a zero-dim complex tensor gives
  complex32, which NumPy has no counterpart for (held to the op's arithmetic in complex32: the complex operand
  rounded to it first, the result rounded to it; compared through complex64);
* ``<op>-numpy-bool-or-complex64-scalar`` — torch takes a NumPy bool or complex64 scalar as a float;
* ``<op>-numpy-scalar`` — torch takes a NumPy scalar as a Python number of its kind (weak), NumPy 2 as a dtype;
* ``<op>-python-int-out-of-range`` — a Python int outside the integer result dtype wraps around in torch, NumPy
  refuses it (OverflowError);
* ``<op>-python-float`` / ``<op>-python-complex`` — integer or bool tensors with a Python float / complex give
  the default dtype (float32 / complex64) in torch, float64 / complex128 in NumPy;
* ``<op>-zero-dim`` — a zero-dim tensor does not widen the result of tensors with dims;
* ``<op>-inexact-with-int`` — a floating or complex tensor with an integer one keeps its dtype.

API: ``divergences(op, model, operands=..., example_args=..., python_scalars=True, complex_ok=True)``;
``operands(sample)`` lists the operands that take part in promotion (None for an absent optional one);
``example_args(*operands)`` turns two operands into the op's ``(args, kwargs)``. ``python_scalars=False`` for ops
that refuse Python numbers (their own record says so), ``complex_ok=False`` for ops without complex kernels. The
helpers :func:`torch_result_type`, :func:`numpy_result_type`, :func:`differs`, :func:`scalar_kind` are for the
conditions of other records.
"""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence
from conformance.compare import Carried
from conformance.references import pointwise as R

PROMOTION_DOC = "https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"
#: torch's notes on the dtypes with limited support: the float8 formats and the wide unsigned integers
LIMITED_DOC = (f"{PROMOTION_DOC} ; https://github.com/pytorch/pytorch/issues/58734 (uint16/32/64) ; "
               "https://github.com/pytorch/pytorch/pull/116594 (barebones unsigned types)")
DOC = "https://pytorch.org/docs/stable/generated/torch.{}.html"


def arrays(values) -> list:
    return [v for v in values if isinstance(v, np.ndarray)]


def scalars(values) -> list:
    return [v for v in values if v is not None and not isinstance(v, np.ndarray)]


def scalar_kind(v) -> str | None:
    """bool / int / float / complex for a Python number or NumPy scalar (as NumPy sees it), else None."""
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float"
    if isinstance(v, (complex, np.complexfloating)):
        return "complex"
    return None


def is_python_number(v, kind: str) -> bool:
    """A plain Python number of ``kind`` (not a NumPy scalar, even one that subclasses float or complex)."""
    return not isinstance(v, np.generic) and not isinstance(v, np.ndarray) and v is not None and \
        scalar_kind(v) == kind


def category(dt) -> str:
    name = D.name_of(dt)
    if name == "bool":
        return "bool"
    if name in D.INTEGRAL:
        return "int"
    return "complex" if name in D.COMPLEX else "float"


def torch_result_type(operands):
    """torch's result dtype of ``operands`` (complex64 for complex32), or None where torch refuses to promote."""
    try:
        return R.torch_result_type(*operands)
    except TypeError:
        return None


def numpy_result_type(operands):
    """NumPy's (NEP 50) result dtype of ``operands``; the ml_dtypes floats take float16's place, as in the
    oracle (two of them, or one with float16, give float32). None where NumPy finds no common dtype."""
    probe, ml, had_f16 = [], set(), False
    for v in operands:
        if isinstance(v, np.ndarray):
            name = D.name_of(v.dtype)
            if D.is_ml(name):
                ml.add(name)
                v = v.astype(np.float16)
            elif v.dtype == np.float16:
                had_f16 = True
        if v is not None:
            probe.append(v)
    try:
        dt = np.result_type(*probe)
    except Exception:  # noqa: BLE001 - no common dtype (or an out-of-range Python int): not a promotion case
        return None
    if ml and dt == np.float16:
        return np.dtype(np.float32) if had_f16 or len(ml) > 1 else D.NUMPY[next(iter(ml))]
    return dt


def kind_letter(operands) -> str:
    """The NumPy kind letter of torch's result dtype ('' where torch refuses to promote)."""
    t = torch_result_type(operands)
    return "" if t is None else t.kind


def differs(operands) -> bool:
    t = torch_result_type(operands)
    return t is not None and t != numpy_result_type(operands)


def _int_out_of_range(v, dt) -> bool:
    if not is_python_number(v, "int"):
        return False
    info = np.iinfo(dt)
    return not int(info.min) <= v <= int(info.max)


def _complex32_operand(v):
    """A complex operand with both parts rounded to float16 (complex32's parts), in its own kind: a Python complex
    stays a Python complex (weak), an array keeps its dtype. Other operands are exact in complex32 or no operands."""
    with np.errstate(all="ignore"):
        if isinstance(v, complex) and not isinstance(v, np.generic):
            return complex(float(np.float16(v.real)), float(np.float16(v.imag)))
        if isinstance(v, (np.ndarray, np.complexfloating)) and np.asarray(v).dtype.kind == "c":
            a = np.array(v)
            a.real, a.imag = a.real.astype(np.float16), a.imag.astype(np.float16)
            return a if isinstance(v, np.ndarray) else a[()]
    return v


def complex32_model(model):
    """``model`` in complex32, held in complex64 (compare.Carried): the complex operands rounded to complex32 first
    (torch casts every operand to the result dtype), computed in complex64, both parts of the result rounded to
    float16."""
    def carried(*args, **kwargs):
        return Carried.rounded(model(*(_complex32_operand(a) for a in args), **kwargs))
    carried.__doc__ = f"{getattr(model, '__name__', 'the model')}, in complex32 (both parts rounded to float16)"
    return carried


def _binary(sample):
    return list(sample.args[:2])


def divergences(op: str, model, operands=_binary, example_args=None, python_scalars: bool = True,
                complex_ok: bool = True, complex32: bool = True, int_out_of_range: str = "wraps",
                examples: str = "mixed") -> tuple:
    """The promotion records of ``op`` (see the module docstring), in the order they are tried. ``examples``: the
    operands the pinned examples use: ``"mixed"`` (the default), ``"integer"`` for ops of integer operands only
    (bitwise ops, gcd), ``"float"`` for float functions that have no integer kernels or turn integers into floats
    (hypot, atan2): each record's example and counterexample then use operands the op takes."""
    doc = f"{PROMOTION_DOC} ; {DOC.format(op)}"
    ex = example_args or (lambda *a: (a, {}))

    def refused(sample, dtype):
        return R.torch_promotion_error(*operands(sample)) is not None

    def gives_complex32(sample, dtype):
        return not refused(sample, dtype) and R.torch_gives_complex32(*operands(sample))

    def numpy_odd_scalar(sample, dtype):
        ops = operands(sample)
        return any(isinstance(v, np.bool_) or (isinstance(v, np.complexfloating) and not isinstance(v, complex))
                   for v in scalars(ops))

    def numpy_scalar(sample, dtype):
        ops = operands(sample)
        return any(isinstance(v, np.generic) for v in scalars(ops)) and differs(ops)

    def out_of_range(sample, dtype):
        ops = operands(sample)
        t = torch_result_type(ops)
        return t is not None and t.kind in "iu" and any(_int_out_of_range(v, t) for v in scalars(ops))

    def python_number(kind):
        def applies(sample, dtype):
            ops = operands(sample)
            return (any(is_python_number(v, kind) for v in scalars(ops)) and
                    all(category(a.dtype) in ("bool", "int") for a in arrays(ops)) and differs(ops))
        return applies

    def zero_dim(sample, dtype):
        arrs = arrays(operands(sample))
        return any(a.ndim == 0 for a in arrs) and any(a.ndim > 0 for a in arrs) and differs(operands(sample))

    def inexact_int(sample, dtype):
        ops = operands(sample)
        cats = {category(a.dtype) for a in arrays(ops)}
        return bool(cats & {"float", "complex"}) and "int" in cats and differs(ops)

    f32, f64 = np.float32, np.float64
    numpy_scalar_ex = {"integer": (lambda: ex(np.array([1, 2], dtype=np.int16), np.int64(3)),
                                   lambda: ex(np.array([1, 2], dtype=np.int16), np.int16(3)), "int16"),
                       "float": (lambda: ex(np.array([1.5, 2.0], dtype=f32), np.float64(1.5)),
                                 lambda: ex(np.array([1.5, 2.0], dtype=f32), np.float32(1.5)), "float32")}.get(
        examples, (lambda: ex(np.array([1.5, 2.0], dtype=np.float16), np.float32(1.5)),
                   lambda: ex(np.array([1.5, 2.0], dtype=np.float16), np.float16(1.5)), "float16"))
    odd_scalar_ex = {"integer": lambda: ex(np.array([0, 1], dtype=np.int16), np.bool_(True)),
                     "float": lambda: ex(np.array([0.5, 1.0], dtype=f32), np.complex64(1j))}.get(
        examples, lambda: ex(np.array([0, 1], dtype=np.int16), np.complex64(1j)))
    odd_counter = {"float": lambda: ex(np.array([0.5, 1.0], dtype=f32), np.float32(2.0))}.get(
        examples, lambda: ex(np.array([0, 1], dtype=np.int16), np.int16(3)))
    zero_dim_ex = (lambda: ex(np.array([1.5, 2.0], dtype=f32), np.array(0.25, dtype=f64)),
                   lambda: ex(np.array([1.5, 2.0], dtype=f32), np.array(0.25, dtype=f32)), "float32") \
        if examples == "float" else (lambda: ex(np.array([1, 2, 3], dtype=np.int8), np.array(5, dtype=np.int64)),
                                     lambda: ex(np.array([1, 2, 3], dtype=np.int8), np.array(5, dtype=np.int8)),
                                     "int8")
    python_float_counter = (lambda: ex(np.array([1.5, 2.0], dtype=f32), 0.5)) if examples == "float" else \
        (lambda: ex(np.array([1, 2, 3], dtype=np.int32), 2))
    found = [
        Divergence(
            id=f"{op}-promotion-unsupported", op=op,
            condition="operands that torch does not promote: a float8 format with any other dtype (a Python "
                      "complex number included), uint16 / uint32 / uint64 with another integer, bool or complex "
                      "dtype of the same priority",
            torch_behaviour="raises RuntimeError: 'Promotion for Float8 Types is not supported, attempted to "
                            "promote Float8_e4m3fn and Float' / 'Promotion for uint16, uint32, uint64 types is not "
                            "supported, attempted to promote UInt16 and Char'",
            numpy_behaviour="promotes (ml_dtypes' float8 as float16; uint16 with int8 gives int32)",
            reference=LIMITED_DOC, kind="intended", applies=refused, raises=RuntimeError,
            example=lambda dtype: ex(np.array([1, 2], dtype=np.uint16), np.array([3, 4], dtype=np.int8)),
            counterexample=lambda dtype: ex(np.array([1, 2], dtype=np.uint16), np.array([3.0, 4.0],
                                                                                        dtype=np.float32)),
            dtypes=("uint16",)),
    ]
    if complex_ok and complex32:
        found.append(Divergence(
            id=f"{op}-float16-complex32", op=op,
            condition="a float16 tensor with a complex operand of lower priority (a Python complex number, a "
                      "zero-dim complex tensor)",
            torch_behaviour="the result is complex32 (ComplexHalf, 'experimental'), the complex type of float16's "
                            "precision: torch.add(torch.ones(2, dtype=torch.float16), 2j).dtype is complex32",
            numpy_behaviour="complex64 (NumPy has no complex32), complex128 with a zero-dim complex128 array; "
                            "held to NumPy's arithmetic in complex32: the complex operand rounded to it first (a "
                            "part beyond float16's range is infinite), the result rounded to it",
            reference=f"{PROMOTION_DOC} ; https://pytorch.org/docs/stable/complex_numbers.html", kind="intended",
            applies=gives_complex32, torch_ref=complex32_model(model), native=True,
            example=lambda dtype: ex(np.array([1.5, -2.0], dtype=np.float16), 2j),
            counterexample=lambda dtype: ex(np.array([1.5, -2.0], dtype=np.float16),
                                            np.array([2j, 1 + 1j], dtype=np.complex64)),
            dtypes=("float16",)))
    if python_scalars:
        # an op that refuses an out-of-range Python int (RuntimeError: 'value cannot be converted to type ...
        # without overflow', as NumPy raises OverflowError) needs no record: both refuse
        wraps = int_out_of_range == "wraps"
        found += [
            Divergence(
                id=f"{op}-numpy-bool-or-complex64-scalar", op=op,
                condition="a NumPy bool or NumPy complex64 scalar as an operand",
                torch_behaviour="taken as a Python float: the result has a floating dtype, the complex64's imaginary "
                                "part is dropped (with a ComplexWarning): torch.add(torch.zeros(2, dtype=torch.int16)"
                                ", np.complex64(1j)) is float32 [0., 0.], torch.add(torch.zeros(2, dtype=torch.int16),"
                                " np.bool_(True)) float32 [1., 1.]",
                numpy_behaviour="a NumPy scalar of its own dtype: complex64 [1j, 1j]; int16 [1, 1]",
                reference=f"{PROMOTION_DOC} (no issue found)", kind="bug", applies=numpy_odd_scalar,
                torch_ref=model, native=True,
                example=lambda dtype: odd_scalar_ex(), counterexample=lambda dtype: odd_counter(),
                dtypes=("float32",) if examples == "float" else ("int16",)),
            Divergence(
                id=f"{op}-numpy-scalar", op=op,
                condition="a NumPy scalar as an operand where NumPy's result dtype differs from torch's",
                torch_behaviour="a NumPy scalar counts as a Python number of its kind (it does not widen the "
                                "tensor's dtype): float16 with np.float32(1.5) gives float16, int16 with "
                                "np.int64(3) int16",
                numpy_behaviour="NumPy scalars have their own dtype (NEP 50): float32, int64",
                reference=f"{PROMOTION_DOC} ; https://numpy.org/neps/nep-0050-scalar-promotion.html",
                kind="intended", applies=numpy_scalar, torch_ref=model, native=True,
                example=lambda dtype: numpy_scalar_ex[0](), counterexample=lambda dtype: numpy_scalar_ex[1](),
                dtypes=(numpy_scalar_ex[2],)),
        ]
        if wraps:
            found.append(Divergence(
                id=f"{op}-python-int-out-of-range", op=op,
                condition="a Python int outside the range of torch's integer result dtype",
                torch_behaviour="the int is cast to the result dtype, wrapping around: "
                                "torch.add(torch.tensor([1, 2], dtype=torch.uint8), 300) is [45, 46]",
                numpy_behaviour="raises OverflowError: 'Python integer 300 out of bounds for uint8'",
                reference=f"{PROMOTION_DOC} ; https://numpy.org/neps/nep-0050-scalar-promotion.html",
                kind="unspecified", applies=out_of_range, torch_ref=model, native=True,
                example=lambda dtype: ex(np.array([1, 2], dtype=np.uint8), 300),
                counterexample=lambda dtype: ex(np.array([1, 2], dtype=np.uint8), 200),
                dtypes=("uint8",)))
        found += [
            Divergence(
                id=f"{op}-python-float", op=op,
                condition="integer or bool tensors with a Python float",
                torch_behaviour="the result has the default dtype, float32",
                numpy_behaviour="float64 (NEP 50: a Python float with an integer array gives float64)",
                reference=doc, kind="intended", applies=python_number("float"), torch_ref=model, native=True,
                example=lambda dtype: ex(np.array([1, 2, 3], dtype=np.int32), 0.5),
                counterexample=lambda dtype: python_float_counter(),
                dtypes=("int32",)),
        ]
        if complex_ok:
            found.append(Divergence(
                id=f"{op}-python-complex", op=op,
                condition="integer or bool tensors with a Python complex number",
                torch_behaviour="the result has the default complex dtype, complex64",
                numpy_behaviour="complex128",
                reference=doc, kind="intended", applies=python_number("complex"), torch_ref=model, native=True,
                example=lambda dtype: ex(np.array([1, 2, 3], dtype=np.int16), 2j),
                counterexample=lambda dtype: ex(np.array([1, 2, 3], dtype=np.int16), 2),
                dtypes=("int16",)))
    found += [
        Divergence(
            id=f"{op}-zero-dim", op=op,
            condition="a zero-dim tensor with tensors that have dims, the zero-dim one of a wider dtype of the "
                      "same category (or of a lower category)",
            torch_behaviour="the zero-dim tensor does not widen the result: an int8 tensor with an int64 zero-dim "
                            "tensor gives int8, float32 with a float64 zero-dim tensor gives float32",
            numpy_behaviour="zero-dim arrays promote like any array (NEP 50): int64, float64",
            reference=doc, kind="intended", applies=zero_dim, torch_ref=model, native=True,
            example=lambda dtype: zero_dim_ex[0](), counterexample=lambda dtype: zero_dim_ex[1](),
            dtypes=(zero_dim_ex[2],)),
        Divergence(
            id=f"{op}-inexact-with-int", op=op,
            condition="a floating or complex tensor with an integer tensor (of the same priority)",
            torch_behaviour="the floating or complex dtype wins as it is (the integers are cast to it, and may "
                            "round or overflow there; into float16 and bfloat16 through float32, so a 64-bit "
                            "integer rounds twice): float16 with int16 gives float16, complex64 with int32 "
                            "gives complex64",
            numpy_behaviour="the inexact dtype is widened to hold the integers: float32, complex128",
            reference=doc, kind="intended", applies=inexact_int, torch_ref=model, native=True,
            example=lambda dtype: ex(np.array([1.5, 2.0], dtype=np.float16), np.array([3, 4], dtype=np.int16)),
            counterexample=lambda dtype: ex(np.array([1.5, 2.0], dtype=np.float16), np.array([3, 4], dtype=np.int8)),
            dtypes=("float16",)),
    ]
    return tuple(found)
