"""Comparison: eq, ne, lt, le, gt, ge (tensors and Python scalars, across dtypes, NaN), equal, isclose and
allclose (rtol, atol, equal_nan, infinities, broadcasting, integer and mixed dtypes), fmax and fmin (NaN).

The second operand is a broadcastable tensor of the same dtype or of a partner dtype (so promotion is exercised),
or a Python scalar of any kind — including ints outside the range of the narrow integer types. Half of the cases
draw values from five integers, so equal elements, and exact boundaries of ``isclose`` (``|x - y| == atol``),
are frequent. ``isclose_near`` / ``allclose_near`` compare a tensor with itself plus a small offset, so both
operands have their NaNs and infinities in the same places (where ``equal_nan`` matters); their reference computes
``x + d`` in the input dtype, as torch does (``upcast=False``). Results are bool tensors or Python bools, compared
exactly.

Where torch compares in another dtype than NumPy (its type promotion), the divergences below hold it to its own
rule (:func:`conformance.references.comparison.torch_common_dtype`).

The references run on the operands' own dtypes (``upcast=False``): NumPy compares a float16 array with a Python
float in float16 (NEP 50), and the models of torch's promotion need the dtypes. bfloat16 and the float8 formats
reach the references as ``ml_dtypes`` arrays, whose comparisons are NumPy's. The isclose / allclose references
are np.isclose's formula with correctly rounded complex moduli (NumPy's complex ``abs`` is an ulp off now and then,
which would decide elements on the boundary: :func:`conformance.references.comparison.modulus`).
"""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import comparison as R
from conformance.strategies import comparison as S

F = "comparison"
PROMOTION_DOC = "https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"

INT_NAMES = set(D.INTEGRAL)


def _arr(values, dtype):
    return np.array(values, dtype=D.NUMPY[dtype])


def _int_range(dtype) -> tuple[int, int]:
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def _out_of_range_int(s) -> bool:
    """A Python (or NumPy) int the tensor's dtype cannot hold: outside an integer type's range, or beyond the
    largest finite value of a floating type."""
    x, y = s.args[0], s.args[1]
    if isinstance(y, (bool, np.bool_)) or not isinstance(y, (int, np.integer)) or not isinstance(x, np.ndarray):
        return False
    name = D.name_of(x.dtype)
    if D.is_floating(name):
        return abs(int(y)) > float(D.finfo(name).max)
    if name not in INT_NAMES:
        return False
    lo, hi = _int_range(x.dtype)
    return not lo <= int(y) <= hi


def _beyond_int64(s) -> bool:
    """A Python int below int64's range or beyond uint64's (torch cannot read it as a number)."""
    y = s.args[1]
    return isinstance(y, int) and not isinstance(y, bool) and not -2 ** 63 <= y < 2 ** 64


def _numpy_common_dtype(x, y):
    """NumPy's (NEP 50) common dtype of two operands; ml_dtypes formats take float16's place, as in the oracle."""
    ml = [a.dtype for a in (x, y) if isinstance(a, np.ndarray) and D.is_ml(D.name_of(a.dtype))]
    xs, ys = (a.astype(np.float16) if isinstance(a, np.ndarray) and D.is_ml(D.name_of(a.dtype)) else a
              for a in (x, y))
    n = np.result_type(xs, ys)
    if ml and n == np.float16:
        had_f16 = any(isinstance(a, np.ndarray) and a.dtype == np.float16 for a in (x, y))
        n = np.dtype(np.float32) if had_f16 or len(set(ml)) > 1 else ml[0]
    return n


def _promotion_differs(s) -> bool:
    """torch casts the operands to another dtype than NumPy does (zero-dim tensors, an integer tensor with a
    floating one or with a Python float, NumPy scalars, which torch takes as Python numbers, a float16 tensor with
    a complex operand of lower priority: complex32)."""
    x, y = s.args[0], s.args[1]
    if R.torch_promotion_error(x, y) is not None:
        return False
    try:
        return R.torch_common_dtype(x, y) != _numpy_common_dtype(x, y) or R.torch_compares_in_complex32(x, y)
    except (OverflowError, TypeError):
        return False


def _complex_operand(s) -> bool:
    """A complex tensor, or a complex scalar that torch takes as complex (a NumPy complex64 it takes as a
    float)."""
    y = s.args[1]
    return any(D.is_complex(D.name_of(a.dtype)) for a in s.arrays) or isinstance(y, complex)


def _numpy_complex64(s) -> bool:
    y = s.args[1]
    return isinstance(y, np.complexfloating) and not isinstance(y, complex) and y.imag != 0


def _promotion_raises(op: str, same_shape: bool = False):
    def applies(s, d):
        x, y = s.args[0], s.args[1]
        if same_shape and np.shape(x) != np.shape(y):
            return False  # torch.equal answers False for other shapes before it promotes
        return R.torch_promotion_error(x, y) is not None
    return Divergence(
        id=f"{op}-promotion-raises", op=op,
        condition="a float8 tensor with a tensor of another dtype, or a uint16 / uint32 / uint64 tensor with an "
                  "integer, bool or complex tensor of another dtype",
        torch_behaviour="raises RuntimeError (Promotion for Float8 Types is not supported; Promotion for uint16, "
                        "uint32, uint64 types is not supported)",
        numpy_behaviour="promotes both to a common dtype and compares",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (limited support of the "
                  "float8 and the wide unsigned types)", kind="intended",
        applies=applies, raises=(RuntimeError, TypeError),
        example=lambda d: ((_arr([1, 2], d), np.array([1, 3], dtype=np.int8)), {}),
        counterexample=lambda d: ((_arr([1, 2], d), np.array([1, 3], dtype=np.float32)), {}),
        dtypes=("uint16",))


WIDE_UNSIGNED = ("uint16", "uint32", "uint64")


def _computes_in_wide_unsigned(s) -> bool:
    """torch's common dtype of the operands is uint16, uint32 or uint64 (no promotion to a float)."""
    x, y = s.args[0], s.args[1]
    if R.torch_promotion_error(x, y) is not None:
        return False
    return D.name_of(R.torch_common_dtype(x, y)) in WIDE_UNSIGNED


def _wide_unsigned_no_kernel(op: str, kernel: str):
    return Divergence(
        id=f"{op}-wide-unsigned-no-kernel", op=op,
        condition="operands whose common dtype is uint16, uint32 or uint64 (a Python int torch cannot read, "
                  "beyond int64's and uint64's ranges, is refused before: <op>-int-scalar-beyond-int64-raises)",
        torch_behaviour=f"raises NotImplementedError (\"{kernel}\" not implemented for 'UInt16'); with a floating "
                        "operand, which the wide unsigned type promotes to, it computes",
        numpy_behaviour="computes",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (uint16, uint32 and uint64 "
                  "have limited operator support)", kind="intended",
        applies=lambda s, d: _computes_in_wide_unsigned(s) and not _beyond_int64(s), raises=NotImplementedError,
        example=lambda d: ((_arr([1, 2], d), _arr([2, 2], d)), {}),
        counterexample=lambda d: ((_arr([1, 2], d), np.array([2, 2], dtype=np.float32)), {}),
        dtypes=("uint16",))


def _e8m0_scalar_differs(s) -> bool:
    """A float8_e8m0fnu tensor with a (non-complex) scalar that torch converts to another value of the format than
    ml_dtypes does (zero, a negative number, a magnitude below 2**-127)."""
    x, y = s.args[0], s.args[1]
    if _beyond_int64(s):
        return False  # torch cannot read the int (the record of that raises)
    if isinstance(y, np.ndarray) and y.ndim == 0 and not D.is_complex(D.name_of(y.dtype)):
        y = float(y.astype(np.float64))  # a zero-dim tensor converts to the format as a scalar does
    if (not isinstance(x, np.ndarray) or D.name_of(x.dtype) != "float8_e8m0fnu" or isinstance(y, np.ndarray)
            or isinstance(y, (complex, np.complexfloating))):
        return False
    e8m0 = D.NUMPY["float8_e8m0fnu"]
    with np.errstate(all="ignore"):
        mine = float(np.asarray(float(y)).astype(e8m0).astype(np.float64))
    theirs = float(R.e8m0_scalar_torch(y, e8m0).astype(np.float64))
    return not (mine == theirs or (mine != mine and theirs != theirs))


def _e8m0_scalar(op: str):
    return Divergence(
        id=f"{op}-e8m0-scalar", op=op,
        condition="a float8_e8m0fnu tensor with a scalar (or a zero-dim real tensor) that is zero, "
                  "negative or below 2**-127 in magnitude",
        torch_behaviour="converts the scalar to the format first, which has no zero and no sign: the magnitude of "
                        "a negative scalar (-1 is 1) and 2**-127 for 0, so e8m0 tensor == 0 is True at 2**-127",
        numpy_behaviour="ml_dtypes converts zero and negative numbers to NaN (the format has no zero or sign): "
                        "every comparison with them is False (!= True)",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html#torch-dtype (float8_e8m0fnu: no zero, no "
                  "sign)", kind="unspecified",
        applies=lambda s, d: _e8m0_scalar_differs(s), torch_ref=getattr(R, f"{op}_e8m0_torch"),
        example=lambda d: ((_arr([2.0 ** -127, 1.0, 2.0], d), 0), {}),
        counterexample=lambda d: ((_arr([2.0 ** -127, 1.0, 2.0], d), 1), {}),
        dtypes=("float8_e8m0fnu",))


def _e4m3fn_beyond_range(s, d) -> bool:
    x, y = s.args[0], s.args[1]
    return (isinstance(x, np.ndarray) and D.name_of(x.dtype) == "float8_e4m3fn" and
            isinstance(y, (float, np.floating)) and abs(float(y)) > 448.0)


def _e4m3fn_number_saturates(op: str, torch_ref):
    """(eq and ne: the ordering comparisons have no float8_e4m3fn kernel)"""
    return Divergence(
        id=f"{op}-float8-e4m3fn-number-saturates", op=op,
        condition="a float8_e4m3fn tensor with a Python or NumPy float beyond its range (|y| > 448, infinities "
                  "included)",
        torch_behaviour="converts the number to float8_e4m3fn saturating at +-448 before comparing: "
                        "torch.eq(torch.tensor([448.]).to(torch.float8_e4m3fn), 70000.0) is [True] (449.0 and inf "
                        "too)",
        numpy_behaviour="compares with the number itself (448 == 70000 is False)",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types: conversions)",
        kind="unspecified", applies=_e4m3fn_beyond_range, torch_ref=torch_ref,
        example=lambda d: ((_arr([448.0, -448.0, 1.0], d), 70000.0), {}),
        counterexample=lambda d: ((_arr([448.0, -448.0, 1.0], d), 448.0), {}),
        dtypes=("float8_e4m3fn",))


def _comparison_divs(op: str, torch_ref, ordering: bool):
    # (the ordering comparisons have no float8_e8m0fnu kernel at all)
    divs = [_promotion_raises(op)] + ([] if ordering else [_e8m0_scalar(op), _e4m3fn_number_saturates(op, torch_ref)])
    if ordering:
        divs.append(_wide_unsigned_no_kernel(op, f"{op}_cpu"))
    if ordering:
        divs.append(Divergence(
            id=f"{op}-complex-raises", op=op,
            condition="a complex operand",
            torch_behaviour="raises (ordering is not defined for complex numbers)",
            numpy_behaviour="orders complex numbers lexicographically (real part, then imaginary part)",
            reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
            applies=lambda s, d: _complex_operand(s),
            raises=(RuntimeError, NotImplementedError),
            example=lambda d: ((_arr([1 + 1j, 2 - 1j], d), _arr([1 + 2j, 2 - 2j], d)), {}),
            counterexample=lambda d: ((_arr([1, 2], "float32"), _arr([1, 3], "float32")), {}),
            dtypes=("complex64",)))
    divs += [
        Divergence(
            id=f"{op}-int-scalar-beyond-int64-raises", op=op,
            condition="a Python int below -2**63 or from 2**64 on",
            torch_behaviour="raises OverflowError (int too big to convert; a Python int is read as an int64, or "
                            "a uint64 from 2**63 to 2**64 - 1)",
            numpy_behaviour="compares the values (NEP 50: an out-of-range Python int is compared exactly)",
            reference="https://github.com/pytorch/pytorch/issues/101653", kind="intended",
            applies=lambda s, d: _beyond_int64(s), raises=(RuntimeError, OverflowError),
            example=lambda d: ((_arr([1, 2, 3], d), 2 ** 64), {}),
            counterexample=lambda d: ((_arr([1, 2, 3], d), 2), {}),
            dtypes=("int64",)),
        Divergence(
            id=f"{op}-int-scalar-out-of-range", op=op,
            condition="an integer tensor with a Python int outside its dtype's range (or a floating tensor with "
                      "an int beyond its largest finite value)",
            torch_behaviour="converts the int to the tensor's dtype first, wrapping around (uint8 < -1 compares "
                            "with 255; int8 < 200 with -56; float16 gets inf)",
            numpy_behaviour="compares the values (NEP 50: an out-of-range Python int is compared exactly)",
            reference="https://github.com/pytorch/pytorch/issues/101653", kind="bug",
            applies=lambda s, d: _out_of_range_int(s), torch_ref=torch_ref,
            example=lambda d: ((_arr([1, 2, 255], d), -1), {}),
            counterexample=lambda d: ((_arr([1, 2, 255], d), 2), {}),
            dtypes=("uint8",)),
        Divergence(
            id=f"{op}-numpy-complex64-scalar", op=op,
            condition="a NumPy complex64 scalar with a nonzero imaginary part as the second operand",
            torch_behaviour="takes it as a float: the imaginary part is dropped (with a ComplexWarning)",
            numpy_behaviour="compares with the complex value",
            reference="https://github.com/pytorch/pytorch/issues/ (no upstream issue found)", kind="bug",
            applies=lambda s, d: _numpy_complex64(s), torch_ref=torch_ref,
            # (a value each op answers otherwise for the complex number than for its real part)
            example=lambda d: ((_arr([1, 2], d), np.complex64(1 - 1j if op in ("le", "gt") else 1 + 1j)), {}),
            counterexample=lambda d: ((_arr([1, 2], d), np.float32(1.0)), {}),
            dtypes=("float32",)),
        Divergence(
            id=f"{op}-promotion", op=op,
            condition="a zero-dim tensor with a tensor that has dims (of a wider dtype of the same category), an "
                      "integer tensor with a floating one or with a Python float, or a NumPy scalar",
            torch_behaviour="compares in the dimensioned tensor's dtype (int8 with an int64 zero-dim tensor: int8, "
                            "wrapping its value), in the floating tensor's dtype (int64 with float32: float32, "
                            "rounding the integers), in the default dtype with a Python float, and takes a NumPy "
                            "scalar as the Python number of its kind",
            numpy_behaviour="compares in a dtype that holds both (NEP 50: zero-dim arrays and NumPy scalars are "
                            "typed; float64 for int64 with float32 or with a Python float)",
            reference=PROMOTION_DOC, kind="intended",
            applies=lambda s, d: _promotion_differs(s), torch_ref=torch_ref,
            example=lambda d: ((_arr([1, 44, 50], d), np.array(300, dtype=np.int64)), {}),
            counterexample=lambda d: ((_arr([1, 44, 50], d), np.array([3, 44, 5], dtype=np.int64)), {}),
            dtypes=("int8",)),
    ]
    return tuple(divs)


def _cmp(name, np_fn, torch_ref, method=True, ordering=False):
    return OpEntry(name, F, f"torch.{name}", np_fn, S.comparison, method=name if method else None,
                   divergences=_comparison_divs(name, torch_ref, ordering), upcast=False)


# ---- isclose / allclose ----------------------------------------------------------------------------------

def _bad_tolerance(s) -> bool:
    return s.kwargs.get("rtol", 0) < 0 or s.kwargs.get("atol", 0) < 0


def _nonfinite_difference(s, d):
    """The elements where NumPy's bound ``|x - y| <= atol + rtol * |y|``, evaluated as np.isclose does (``y`` cast to
    an inexact dtype, both sides in the operands' dtype), reads ``v <= inf`` for a non-NaN ``v`` because a side
    overflowed or is infinite: with ``y`` finite (np.isclose requires it), a right side that is infinite, and
    ``|x - y|`` or ``|y|`` infinite (a mask over the result). There NumPy says close and torch, which requires a
    finite ``|x - y|`` and scales ``y`` by rtol before taking its magnitude, may not: an infinite operand with an
    infinite tolerance, finite operands whose difference or second magnitude overflows, and an operand with a NaN
    part whose difference has an infinite other part (complex64 ``nan - 3.4e38j`` and ``-0.8 + 3.4e38j``, with
    rtol=inf: ``|x - y|`` is inf, not NaN). Elsewhere both sides are finite, or infinite with a NaN or infinite
    ``y``, or the tolerance alone is infinite with finite sides, where the two libraries agree. A right side of NaN
    (rtol 0 times an infinite ``|y|``: NumPy says not close, torch's ``atol + |0 * y|`` may say close) counts
    too."""
    x, y = s.args[0], s.args[1]
    rtol, atol = s.kwargs.get("rtol", 1e-05), s.kwargs.get("atol", 1e-08)
    try:
        with np.errstate(all="ignore"):
            y = np.asarray(y, dtype=np.result_type(y, 1.0))
            diff, ay = R.modulus(x - y), R.modulus(y)
            allowed = atol + rtol * ay
            # allowed NaN: rtol 0 times an infinite |y| (torch's |rtol * y| is 0)
            found = np.isfinite(y) & (np.isinf(allowed) | np.isnan(allowed)) & ~np.isnan(diff) & \
                (np.isinf(diff) | np.isinf(ay))
    except (TypeError, ValueError):  # operands NumPy cannot combine: another record's matter
        return False
    return np.broadcast_to(found, np.broadcast_shapes(np.shape(x), np.shape(y)))


def _big_integers(s) -> bool:
    if s.kwargs.get("rtol", 1e-05) == 0 and s.kwargs.get("atol", 1e-08) == 0:
        return False
    return any(D.name_of(a.dtype) in INT_NAMES and a.size and np.abs(a.astype(np.float64)).max() > 2 ** 24
               for a in s.arrays)


def _mixed(s) -> bool:
    return s.arrays[0].dtype != s.arrays[1].dtype


def _integers_in_float32(op: str, torch_ref):
    near = op.endswith("_near")
    return Divergence(
            id=f"{op}-integers-in-float32", op=op,
            condition="integer inputs beyond 2**24 in magnitude, with a nonzero tolerance",
            torch_behaviour="converts integers to the default dtype, float32, before comparing: distinct "
                            "integers that round to the same float32 are close even with atol=0.5",
            numpy_behaviour="converts integers to float64 (exact up to 2**53)",
            reference="https://github.com/pytorch/pytorch/issues/61412", kind="bug",
            applies=lambda s, d: _big_integers(s), torch_ref=torch_ref,
            example=(lambda d: ((_arr([16777217, 3], d), _arr([-1, 0], d)), {"rtol": 0.0, "atol": 0.5})) if near
            else (lambda d: ((_arr([16777217, 3], d), _arr([16777216, 3], d)), {"rtol": 0.0, "atol": 0.5})),
            counterexample=(lambda d: ((_arr([16777215, 3], d), _arr([-1, 0], d)), {"rtol": 0.0, "atol": 0.5}))
            if near else
            (lambda d: ((_arr([16777215, 3], d), _arr([16777214, 3], d)), {"rtol": 0.0, "atol": 0.5})),
            dtypes=("int32",))


def _zero_tolerance_big_integers(s) -> bool:
    if s.kwargs.get("rtol", 1e-05) != 0 or s.kwargs.get("atol", 1e-08) != 0:
        return False
    return any(D.name_of(a.dtype) in INT_NAMES and a.size and np.abs(a.astype(np.float64)).max() >= 2 ** 53
               for a in s.arrays)


def _zero_tolerance_exact(op: str, torch_ref):
    near = op.endswith("_near")
    big = 2 ** 53 + 1
    return Divergence(
        id=f"{op}-zero-tolerance-integers-exact", op=op,
        condition="integer inputs beyond 2**53 in magnitude, with rtol=0 and atol=0",
        torch_behaviour="compares the integers exactly (with both tolerances 0, isclose is x == y): 2**53 + 1 is "
                        "not close to 2**53",
        numpy_behaviour="np.isclose converts integers to float64 first, where distinct integers beyond 2**53 can "
                        "round to the same value and are then close",
        reference="https://numpy.org/doc/stable/reference/generated/numpy.isclose.html ; "
                  "https://pytorch.org/docs/stable/generated/torch.isclose.html", kind="unspecified",
        applies=lambda s, d: _zero_tolerance_big_integers(s), torch_ref=torch_ref,
        example=(lambda d: ((_arr([big, 3], d), _arr([-1, 0], d)), {"rtol": 0.0, "atol": 0.0})) if near else
        (lambda d: ((_arr([big, 3], d), _arr([big - 1, 3], d)), {"rtol": 0.0, "atol": 0.0})),
        counterexample=(lambda d: ((_arr([2 ** 52 + 1, 3], d), _arr([-1, 0], d)), {"rtol": 0.0, "atol": 0.0}))
        if near else
        (lambda d: ((_arr([2 ** 52 + 1, 3], d), _arr([2 ** 52, 3], d)), {"rtol": 0.0, "atol": 0.0})),
        dtypes=("int64",))


def _close_divs(op: str, torch_ref, elementwise: bool):
    doc = f"https://pytorch.org/docs/stable/generated/torch.{op}.html"
    return (
        Divergence(
            id=f"{op}-negative-tolerance-raises", op=op,
            condition="rtol or atol negative",
            torch_behaviour="raises RuntimeError (rtol/atol must be greater than or equal to zero)",
            numpy_behaviour="uses it as given (atol + rtol * |y| may then be negative)",
            reference=doc, kind="intended",
            applies=lambda s, d: _bad_tolerance(s), raises=RuntimeError,
            example=lambda d: ((_arr([1, 2], d), _arr([1, 3], d)), {"atol": -1.0}),
            counterexample=lambda d: ((_arr([1, 2], d), _arr([1, 3], d)), {"atol": 0.0}),
            dtypes=("float32",)),
        Divergence(
            id=f"{op}-mixed-dtypes-raises", op=op,
            condition="operands of different dtypes",
            torch_behaviour="raises RuntimeError (Float did not match Double)",
            numpy_behaviour="promotes both to a common dtype",
            reference=doc, kind="intended",
            applies=lambda s, d: _mixed(s), raises=RuntimeError,
            example=lambda d: ((_arr([1, 2], d), np.array([1, 2], dtype=np.float64)), {}),
            counterexample=lambda d: ((_arr([1, 2], d), _arr([1, 2], d)), {}),
            dtypes=("float32",)),
        _integers_in_float32(op, torch_ref),
        _zero_tolerance_exact(op, torch_ref),
        Divergence(
            id=f"{op}-nonfinite-difference", op=op,
            condition="NumPy's bound |x - y| <= atol + rtol |y| (in the operands' dtype) reads v <= inf (or v <= "
                      "NaN: rtol 0 times an infinite |y|) for a non-NaN v because |x - y| or |y| is infinite, with "
                      "y finite: an infinite operand (or one with a NaN part) with rtol or atol infinite, or finite "
                      "operands whose difference, or the magnitude of the second, overflows in their dtype"
                      + (" (those elements)" if elementwise else ""),
            torch_behaviour="not close: a non-finite value is close only to an equal value (and NaN to NaN with "
                            "equal_nan), whatever the tolerance, and torch requires the difference |x - y| to be "
                            "finite (it scales y by rtol before taking its magnitude, so |rtol * y| stays finite)",
            numpy_behaviour="|x - y| <= atol + rtol * |y| in the dtype holds for inf <= inf: inf is close to any "
                            "finite y with an infinite tolerance, so is complex64 nan - 3.4e38j to -0.8 + 3.4e38j "
                            "(the magnitude of nan - inf j is inf), and complex64 3.4e38 - 3.4e38j (whose "
                            "magnitude overflows) is close to 214 - 1.2j; with rtol=0 and atol=inf, -3.4e38 - 66j "
                            "is not close to -3.4e38 - 3.4e38j (0 * inf is NaN), where torch's allowed error is inf",
            reference=doc + " (non-finite inputs are close only when equal)", kind="intended",
            applies=_nonfinite_difference if elementwise else (lambda s, d: bool(np.any(_nonfinite_difference(s, d)))),
            torch_ref=torch_ref,
            example=lambda d: ((_arr([214.75 - 1.25j, 1.0], d), _arr([3.4e38 - 3.4e38j, 1.0], d)), {}),
            counterexample=lambda d: ((_arr([214.75 - 1.25j, 1.0], d), _arr([3e37 - 3e37j, 1.0], d)), {}),
            dtypes=("complex64",)),
    )


def isclose_near(x, d, **kwargs):
    """``torch.isclose(x, x + d)``: the second operand shares the first one's NaNs and infinities."""
    import torch

    return torch.isclose(x, x + d, **kwargs)


def allclose_near(x, d, **kwargs):
    import torch

    return torch.allclose(x, x + d, **kwargs)


# ---- fmax / fmin -----------------------------------------------------------------------------------------

def _fm_inputs(dtype):
    return S.comparison(dtype, S.PARTNERS, complex_ok=False, scalars_=False)


def _fm_divs(op: str, torch_ref):
    doc = f"https://pytorch.org/docs/stable/generated/torch.{op}.html"
    return (
        Divergence(
            id=f"{op}-python-scalar-raises", op=op,
            condition="a scalar as the second operand",
            torch_behaviour="raises TypeError (other must be a Tensor)",
            numpy_behaviour="accepts the scalar",
            reference=doc, kind="intended",
            applies=lambda s, d: not isinstance(s.args[1], np.ndarray), raises=TypeError,
            example=lambda d: ((_arr([1, np.nan], d), 2.0), {}),
            counterexample=lambda d: ((_arr([1, np.nan], d), _arr(2.0, d)), {}),
            dtypes=("float32",)),
        _promotion_raises(op),
        _wide_unsigned_no_kernel(op, "maximum_cpu" if op == "fmax" else "minimum_cpu"),
        Divergence(
            id=f"{op}-promotion", op=op,
            condition="a zero-dim tensor with a tensor that has dims (of a wider dtype of the same category), or "
                      "an integer tensor with a floating one",
            torch_behaviour="the result has the dimensioned tensor's dtype (int8 with an int64 zero-dim tensor: "
                            "int8, wrapping its value), or the floating tensor's (int16 with float16: float16)",
            numpy_behaviour="a dtype that holds both (NEP 50): int64, float32",
            reference=PROMOTION_DOC, kind="intended",
            applies=lambda s, d: _promotion_differs(s), torch_ref=torch_ref,
            # the model computes in torch's common dtype: its result dtype is torch's (bfloat16 with float16 is
            # float16 when the float16 tensor has dims), which the float16 stand-in for bfloat16 cannot express
            native=True,
            example=lambda d: ((_arr([1, 2, np.nan], d), np.array([3, 4, 5], dtype=np.int16)), {}),
            counterexample=lambda d: ((_arr([1, 2, np.nan], d), _arr([3, 4, 5], d)), {}),
            dtypes=("float16",)),
    )


def _equal_promotion():
    def applies(s, d):
        x, y = s.args[0], s.args[1]
        return np.shape(x) == np.shape(y) and _promotion_differs(s)  # other shapes: False before promoting
    return Divergence(
        id="equal-promotion", op="equal",
        condition="operands of the same shape that torch casts to another common dtype than NumPy (an integer "
                  "tensor with a floating one, a float16 one with a complex one of lower priority)",
        torch_behaviour="compares in torch's common dtype, as eq does: torch.equal(torch.tensor([2048.], "
                        "dtype=torch.float16), torch.tensor([2049])) is True (2049 rounds to 2048 in float16), and "
                        "float16 -inf equals int64 -2**63 (which overflows float16)",
        numpy_behaviour="np.array_equal compares in a dtype that holds both (float64 for float16 with int64): "
                        "False",
        reference=PROMOTION_DOC, kind="intended", applies=applies, torch_ref=R.equal_torch,
        example=lambda d: ((_arr([2048.0], d), np.array([2049], dtype=np.int64)), {}),
        counterexample=lambda d: ((_arr([2048.0, 1.0], d), np.array([0, 1], dtype=np.int8)), {}),
        dtypes=("float16",))


ENTRIES = [
    _cmp("eq", np.equal, R.eq_torch),
    _cmp("ne", np.not_equal, R.ne_torch, method=False),
    _cmp("lt", np.less, R.lt_torch, ordering=True),
    _cmp("le", np.less_equal, R.le_torch, method=False, ordering=True),
    _cmp("gt", np.greater, R.gt_torch, method=False, ordering=True),
    _cmp("ge", np.greater_equal, R.ge_torch, method=False, ordering=True),
    OpEntry("equal", F, "torch.equal", np.array_equal, S.equality, method="equal", upcast=False,
            divergences=(_promotion_raises("equal", same_shape=True), _equal_promotion())),
    OpEntry("isclose", F, "torch.isclose", R.isclose, lambda d: S.closeness(d, ("float64", "int64")),
            method="isclose", divergences=_close_divs("isclose", R.isclose_torch, True), upcast=False),
    OpEntry("allclose", F, "torch.allclose", R.allclose, lambda d: S.closeness(d, ("float32", "int32")),
            method="allclose", divergences=_close_divs("allclose", R.allclose_torch, False), upcast=False),
    OpEntry("isclose_near", F, isclose_near, R.isclose_near, S.near, upcast=False,
            covers=("torch.isclose",),
            divergences=(_integers_in_float32("isclose_near", R.isclose_near_torch),
                         _zero_tolerance_exact("isclose_near", R.isclose_near_torch))),
    OpEntry("allclose_near", F, allclose_near, R.allclose_near, S.near, upcast=False, covers=("torch.allclose",),
            divergences=(_integers_in_float32("allclose_near", R.allclose_near_torch),
                         _zero_tolerance_exact("allclose_near", R.allclose_near_torch))),
    # signed_zero=False on fmax/fmin: of -0.0 and 0.0 either is the maximum (IEEE 754 maxNum leaves it open)
    OpEntry("fmax", F, "torch.fmax", np.fmax, _fm_inputs, method="fmax", signed_zero=False,
            divergences=_fm_divs("fmax", R.fmax_torch), grad=True, upcast=False),
    OpEntry("fmin", F, "torch.fmin", np.fmin, _fm_inputs, signed_zero=False,
            divergences=_fm_divs("fmin", R.fmin_torch), grad=True, upcast=False),
]
