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
float in float16 (NEP 50), and the models of torch's promotion need the dtypes. bfloat16 is left out of this
family: NumPy has no bfloat16 arithmetic of its own, and the float16 that stands in for it in the reference
holds neither its range nor its values, which a comparison would show.
"""
from __future__ import annotations

import numpy as np

from conformance import dtypes as D
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.references import comparison as R
from conformance.strategies.reductions import closeness, comparison, equality, near

F = "comparison"
PROMOTION_DOC = "https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"
INF = float("inf")

INT_NAMES = {"uint8", "int8", "int16", "int32", "int64"}


def _arr(values, dtype):
    return np.array(values, dtype=D.NUMPY[dtype])


def _int_range(dtype) -> tuple[int, int]:
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def _out_of_range_int(s) -> bool:
    """A Python int the tensor's dtype cannot hold: outside an integer type's range, or beyond float16's."""
    x, y = s.args[0], s.args[1]
    if isinstance(y, bool) or not isinstance(y, int):
        return False
    name = D.name_of(x.dtype)
    if name == "float16":
        return abs(y) > 65504
    if name not in INT_NAMES:
        return False
    lo, hi = _int_range(x.dtype)
    return not lo <= y <= hi


def _cat(dt) -> str:
    name = D.name_of(dt)
    return "bool" if name == "bool" else "int" if name in INT_NAMES else "complex" if D.is_complex(name) else "float"


def _promotion_differs(s) -> bool:
    """torch casts the operands to another dtype than NumPy does (zero-dim tensors, int with float tensors)."""
    x, y = s.args[0], s.args[1]
    if not isinstance(y, np.ndarray):
        return False
    t = R.torch_common_dtype(x, y)
    xs, ys = (a.astype(np.float16) if a.dtype == D.NUMPY["bfloat16"] else a for a in (x, y))
    n = np.result_type(xs, ys)
    if D.NUMPY["bfloat16"] in (x.dtype, y.dtype) and n == np.float16:
        n = t if t == np.float32 else D.NUMPY["bfloat16"]
    return t != n


def _comparison_divs(op: str, torch_ref, ordering: bool):
    divs = [] if not ordering else [Divergence(
        id=f"{op}-complex-raises", op=op,
        condition="a complex operand",
        torch_behaviour="raises (ordering is not defined for complex numbers)",
        numpy_behaviour="orders complex numbers lexicographically (real part, then imaginary part)",
        reference=f"https://pytorch.org/docs/stable/generated/torch.{op}.html", kind="intended",
        applies=lambda s, d: any(D.is_complex(D.name_of(a.dtype)) for a in s.arrays) or
        isinstance(s.args[1], complex),
        raises=(RuntimeError, NotImplementedError),
        example=lambda d: ((_arr([1 + 1j, 2 - 1j], d), _arr([1 + 2j, 2 - 2j], d)), {}),
        dtypes=("complex64",))]
    divs += [
        Divergence(
            id=f"{op}-int-scalar-out-of-range", op=op,
            condition="an integer tensor with a Python int outside its dtype's range (or a float16 tensor with "
                      "an int beyond 65504)",
            torch_behaviour="converts the int to the tensor's dtype first, wrapping around (uint8 < -1 compares "
                            "with 255; int8 < 200 with -56; float16 gets inf)",
            numpy_behaviour="compares the values (NEP 50: an out-of-range Python int is compared exactly)",
            reference="https://github.com/pytorch/pytorch/issues/101653", kind="bug",
            applies=lambda s, d: _out_of_range_int(s), torch_ref=torch_ref,
            example=lambda d: ((_arr([1, 2, 255], d), -1), {}),
            dtypes=("uint8",)),
        Divergence(
            id=f"{op}-promotion", op=op,
            condition="a zero-dim tensor with a tensor that has dims (of a wider dtype of the same category), or "
                      "an integer tensor with a floating one",
            torch_behaviour="compares in the dimensioned tensor's dtype (int8 with an int64 zero-dim tensor: int8, "
                            "wrapping its value) and in the floating tensor's dtype (int64 with float32: float32, "
                            "rounding the integers)",
            numpy_behaviour="compares in a dtype that holds both (NEP 50: zero-dim arrays are arrays; float64 for "
                            "int64 with float32)",
            reference=PROMOTION_DOC, kind="intended",
            applies=lambda s, d: _promotion_differs(s), torch_ref=torch_ref,
            example=lambda d: ((_arr([1, 44, 50], d), np.array(300, dtype=np.int64)), {}),
            dtypes=("int8",)),
    ]
    return tuple(divs)


PARTNERS = ("bool", "uint8", "int8", "int16", "int64", "float16", "float32", "float64")
C_PARTNERS = PARTNERS + ("complex64", "complex128")


def _cmp_inputs(dtype):
    return comparison(dtype, C_PARTNERS)


def _cmp(name, np_fn, torch_ref, dtypes, method=True, ordering=False):
    return OpEntry(name, F, f"torch.{name}", np_fn, _cmp_inputs, dtypes, method=name if method else None,
                   divergences=_comparison_divs(name, torch_ref, ordering), upcast=False)


# ---- isclose / allclose ----------------------------------------------------------------------------------

def _bad_tolerance(s) -> bool:
    return s.kwargs.get("rtol", 0) < 0 or s.kwargs.get("atol", 0) < 0


def _infinite_tolerance(s) -> bool:
    return INF in (s.kwargs.get("rtol"), s.kwargs.get("atol"))


def _big_integers(s) -> bool:
    if s.kwargs.get("rtol", 1e-05) == 0 and s.kwargs.get("atol", 1e-08) == 0:
        return False
    return any(D.name_of(a.dtype) in INT_NAMES and a.size and np.abs(a.astype(np.float64)).max() > 2 ** 24
               for a in s.arrays)


def _mixed(s) -> bool:
    return s.arrays[0].dtype != s.arrays[1].dtype


def _close_divs(op: str, torch_ref, near_form: bool = False):
    doc = f"https://pytorch.org/docs/stable/generated/torch.{op}.html"
    divs = []
    if not near_form:
        divs += [
            Divergence(
                id=f"{op}-negative-tolerance-raises", op=op,
                condition="rtol or atol negative",
                torch_behaviour="raises RuntimeError (rtol/atol must be greater than or equal to zero)",
                numpy_behaviour="uses it as given (atol + rtol * |y| may then be negative)",
                reference=doc, kind="intended",
                applies=lambda s, d: _bad_tolerance(s), raises=RuntimeError,
                example=lambda d: ((_arr([1, 2], d), _arr([1, 3], d)), {"atol": -1.0}),
                dtypes=("float32",)),
            Divergence(
                id=f"{op}-mixed-dtypes-raises", op=op,
                condition="operands of different dtypes",
                torch_behaviour="raises RuntimeError (Float did not match Double)",
                numpy_behaviour="promotes both to a common dtype",
                reference=doc, kind="intended",
                applies=lambda s, d: _mixed(s), raises=RuntimeError,
                example=lambda d: ((_arr([1, 2], d), np.array([1, 2], dtype=np.float64)), {}),
                dtypes=("float32",)),
            Divergence(
                id=f"{op}-integers-in-float32", op=op,
                condition="integer inputs beyond 2**24 in magnitude, with a nonzero tolerance",
                torch_behaviour="converts integers to the default dtype, float32, before comparing: distinct "
                                "integers that round to the same float32 are close even with atol=0.5",
                numpy_behaviour="converts integers to float64 (exact up to 2**53)",
                reference="https://github.com/pytorch/pytorch/issues/61412", kind="bug",
                applies=lambda s, d: _big_integers(s), torch_ref=torch_ref,
                example=lambda d: ((_arr([16777217, 3], d), _arr([16777216, 3], d)), {"rtol": 0.0, "atol": 0.5}),
                dtypes=("int32",)),
            Divergence(
                id=f"{op}-infinite-tolerance", op=op,
                condition="rtol or atol infinite, with an infinite operand",
                torch_behaviour="a non-finite value is close only to an equal value (and NaN to NaN with "
                                "equal_nan), whatever the tolerance",
                numpy_behaviour="|x - y| <= atol + rtol * |y| holds for inf - finite when the tolerance is "
                                "infinite: inf is close to any finite y",
                reference=doc, kind="intended",
                applies=lambda s, d: _infinite_tolerance(s), torch_ref=torch_ref,
                example=lambda d: ((_arr([INF, 1.0], d), _arr([1e30, 1.0], d)), {"atol": INF}),
                dtypes=("float32",)),
        ]
    return tuple(divs)


def isclose_near(x, d, **kwargs):
    """``torch.isclose(x, x + d)``: the second operand shares the first one's NaNs and infinities."""
    import torch

    return torch.isclose(x, x + d, **kwargs)


def allclose_near(x, d, **kwargs):
    import torch

    return torch.allclose(x, x + d, **kwargs)


# ---- fmax / fmin -----------------------------------------------------------------------------------------

def _fm_inputs(dtype):
    return comparison(dtype, PARTNERS, complex_ok=False, scalars=False)


def _fm_divs(op: str, torch_ref):
    doc = f"https://pytorch.org/docs/stable/generated/torch.{op}.html"
    return (
        Divergence(
            id=f"{op}-python-scalar-raises", op=op,
            condition="a Python scalar as the second operand",
            torch_behaviour="raises TypeError (other must be a Tensor)",
            numpy_behaviour="accepts the scalar",
            reference=doc, kind="intended",
            applies=lambda s, d: not isinstance(s.args[1], np.ndarray), raises=TypeError,
            example=lambda d: ((_arr([1, np.nan], d), 2.0), {}),
            dtypes=("float32",)),
        Divergence(
            id=f"{op}-promotion", op=op,
            condition="a zero-dim tensor with a tensor that has dims (of a wider dtype of the same category), or "
                      "an integer tensor with a floating one",
            torch_behaviour="the result has the dimensioned tensor's dtype (int8 with an int64 zero-dim tensor: "
                            "int8, wrapping its value), or the floating tensor's (int16 with float16: float16)",
            numpy_behaviour="a dtype that holds both (NEP 50): int64, float32",
            reference=PROMOTION_DOC, kind="intended",
            applies=lambda s, d: _promotion_differs(s), torch_ref=torch_ref,
            example=lambda d: ((_arr([1, 2, np.nan], d), np.array([3, 4, 5], dtype=np.int16)), {}),
            dtypes=("float16",)),
    )


ENTRIES = [
    _cmp("eq", np.equal, R.eq_torch, ("uint8", "complex64")),
    _cmp("ne", np.not_equal, R.ne_torch, ("float16",), method=False),
    _cmp("lt", np.less, R.lt_torch, ("int8", "float64"), ordering=True),
    _cmp("le", np.less_equal, R.le_torch, ("int16",), method=False, ordering=True),
    _cmp("gt", np.greater, R.gt_torch, ("int64",), method=False, ordering=True),
    _cmp("ge", np.greater_equal, R.ge_torch, ("uint8", "float32"), method=False, ordering=True),
    OpEntry("equal", F, "torch.equal", np.array_equal, lambda d: equality(d, ("int64", "float32")),
            ("float32",), method="equal", upcast=False),
    OpEntry("isclose", F, "torch.isclose", np.isclose, lambda d: closeness(d, ("float64", "int64")),
            ("int8", "float32"), method="isclose", divergences=_close_divs("isclose", R.isclose_torch), upcast=False),
    OpEntry("allclose", F, "torch.allclose", np.allclose, lambda d: closeness(d, ("float32", "int32")),
            ("float64",), method="allclose", divergences=_close_divs("allclose", R.allclose_torch),
            upcast=False),
    OpEntry("isclose_near", F, isclose_near, R.isclose_near, near, ("float16", "complex64"),
            upcast=False),
    OpEntry("allclose_near", F, allclose_near, R.allclose_near, near, ("float64",), upcast=False),
    # signed_zero=False on fmax/fmin: of -0.0 and 0.0 either is the maximum (IEEE 754 maxNum leaves it open)
    OpEntry("fmax", F, "torch.fmax", np.fmax, _fm_inputs, ("int16",), method="fmax", signed_zero=False,
            divergences=_fm_divs("fmax", R.fmax_torch), grad=True, upcast=False),
    OpEntry("fmin", F, "torch.fmin", np.fmin, _fm_inputs, ("float16",), signed_zero=False,
            divergences=_fm_divs("fmin", R.fmin_torch), grad=True, upcast=False),
]
