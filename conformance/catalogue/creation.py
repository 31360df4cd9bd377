"""Creation, interop, predicates and random numbers: known divergences from NumPy.

These ops are tested by bespoke tests (``conformance/suite/test_creation.py``, ``test_predicates.py``,
``test_random.py``); the differences they find on purpose are recorded here and pinned there, each by a test
marked ``@pytest.mark.divergence("<id>")`` that fails when torch changes in either direction.
"""
from __future__ import annotations

from conformance.catalogue.entry import Divergence

DOC = "https://pytorch.org/docs/stable/generated/torch.{}.html"
DEFAULT_DTYPE = "https://pytorch.org/docs/stable/generated/torch.set_default_dtype.html"

#: ops whose floating result without a dtype= argument has the default dtype (float32), where NumPy gives float64
DEFAULT_FLOAT_OPS = ("tensor", "zeros", "ones", "empty", "full", "arange", "linspace", "eye", "logspace", "asarray")


def _default_float(op: str) -> Divergence:
    what = {
        "tensor": "Python floats in the data (or no data at all: torch.tensor([]))",
        "zeros": "no dtype= argument", "ones": "no dtype= argument", "empty": "no dtype= argument",
        "full": "a Python float fill value and no dtype= argument",
        "arange": "a Python float among start, end and step, and no dtype= argument",
        "linspace": "no dtype= argument (any start and end)",
        "eye": "no dtype= argument",
        "logspace": "no dtype= argument (any start and end)",
        "asarray": "Python floats in the data (a sequence, not an array)",
    }[op]
    return Divergence(
        id=f"{op}-default-float-dtype", op=op, family="creation", condition=what,
        torch_behaviour="the result has the default dtype, float32",
        numpy_behaviour="float64", reference=f"{DEFAULT_DTYPE} ; {DOC.format(op)}", kind="intended")


DIVERGENCES = [_default_float(op) for op in DEFAULT_FLOAT_OPS] + [
    Divergence(
        id="tensor-default-complex-dtype", op="tensor", family="creation",
        condition="Python complex numbers in the data",
        torch_behaviour="complex64 (the complex counterpart of the default dtype)", numpy_behaviour="complex128",
        reference=f"{DEFAULT_DTYPE} ; {DOC.format('tensor')}", kind="intended"),
    Divergence(
        id="full-default-complex-dtype", op="full", family="creation",
        condition="a Python complex fill value and no dtype= argument",
        torch_behaviour="complex64", numpy_behaviour="complex128",
        reference=f"{DEFAULT_DTYPE} ; {DOC.format('full')}", kind="intended"),
    Divergence(
        id="arange-step-sign", op="arange", family="creation",
        condition="a step whose sign does not lead from start to end (start > end with step > 0, or the reverse)",
        torch_behaviour="raises RuntimeError: 'upper bound and lower bound inconsistent with step sign'",
        numpy_behaviour="returns an empty array", reference=DOC.format("arange"), kind="intended"),
    Divergence(
        id="is_nonzero-error-type", op="is_nonzero", family="creation",
        condition="a tensor with more than one element, or none",
        torch_behaviour="raises RuntimeError ('Boolean value of Tensor with more than one value is ambiguous', "
                        "'... with no values is ambiguous')",
        numpy_behaviour="bool() of the array raises ValueError ('The truth value of an array with more than one "
                        "element is ambiguous', '... of an empty array is ambiguous')",
        reference=DOC.format("is_nonzero"), kind="unspecified"),
    Divergence(
        id="tensor-unsigned-64-bit-int", op="tensor", family="creation",
        condition="a Python int in [2**63, 2**64) in the data",
        torch_behaviour="raises RuntimeError or ValueError ('Overflow when unpacking long'): torch.tensor infers "
                        "int64 and has no uint64 inference",
        numpy_behaviour="infers uint64", reference=DOC.format("tensor"), kind="intended"),
    Divergence(
        id="arange-integer-dtype-fractional-args", op="arange", family="creation",
        condition="an integer dtype= with a fractional start, end or step",
        torch_behaviour="start, end and step are cast to the integer dtype in parts of the computation and not in "
                        "others: torch.arange(0.5, 5, 1.5, dtype=torch.int64) is [0, 1, 2, 3, 4]; "
                        "torch.arange(-3.75, 2, 0.5, dtype=torch.int16) is twelve times -3 (a step of 0)",
        numpy_behaviour="[0, 2, 4]; [-3, -3, -2, -2, ...] (NumPy's own integer rule; start + i*step truncated "
                        "gives [0, 2, 3])",
        reference="https://github.com/pytorch/pytorch/issues/175761 ; https://github.com/pytorch/pytorch/issues/193793",
        kind="bug"),
    Divergence(
        id="linspace-integer-dtype-fractional-endpoints", op="linspace", family="creation",
        condition="an integer dtype= with a fractional start or end",
        torch_behaviour="the endpoints are cast to the integer dtype first: torch.linspace(-3.75, 2.25, 5, "
                        "dtype=torch.int64) is [-3, -1, 0, 0, 2]",
        numpy_behaviour="np.linspace(-3.75, 2.25, 5).astype(np.int64) is [-3, -2, 0, 0, 2] (np.linspace with "
                        "dtype=int64 the same)",
        reference=DOC.format("linspace"), kind="unspecified"),
    Divergence(
        id="full-fill-value-out-of-range", op="full", family="creation",
        condition="a fill value out of the dtype's range: 70000.0 for float16, NaN or inf for an integer dtype, "
                  "300 for uint8, inf for a float8 format without infinities (float8_e4m3fn, float8_e4m3fnuz, "
                  "float8_e5m2fnuz, float8_e8m0fnu), a Python float below 2**-127 (0.0, -0.0, negatives) for "
                  "float8_e8m0fnu, whose lowest value is 2**-127, a complex number with an imaginary part for a "
                  "real dtype",
        torch_behaviour="raises RuntimeError: 'value cannot be converted to type ... without overflow' (empty "
                        "tensors included); except on CPU for a one-element float16, bfloat16 or float8 tensor, "
                        "which gets the converted value without the check (torch.full((1,), 70000.0, "
                        "dtype=torch.float16) is inf, torch.full((1,), float('inf'), dtype=torch.float8_e4m3fn) is "
                        "448; torch.full((2,), 70000.0, dtype=torch.float16) and torch.full((0,), float('inf'), "
                        "dtype=torch.float8_e4m3fn) raise)",
        numpy_behaviour="converts it (inf, the integer minimum, the real part), or raises OverflowError for a Python "
                        "int out of range", reference=DOC.format("full"), kind="intended"),
    Divergence(
        id="float8-e4m3fn-conversion-saturates", op="tensor", family="creation",
        condition="a value beyond float8_e4m3fn's range (448), or an infinity, converted to float8_e4m3fn",
        torch_behaviour="saturates to +-448: torch.tensor([1e6, float('inf')], dtype=torch.float8_e4m3fn) is "
                        "[448, 448]",
        numpy_behaviour="ml_dtypes' conversion gives NaN (the format has no infinity)",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types)", kind="unspecified"),
    Divergence(
        id="float8-e8m0fnu-conversion", op="tensor", family="creation",
        condition="zero or a negative value converted to float8_e8m0fnu (powers of two, without zero or sign)",
        torch_behaviour="zero becomes the smallest value 2**-127, a negative value its magnitude: "
                        "torch.tensor([0.0, -4.0], dtype=torch.float8_e8m0fnu) is [5.9e-39, 4.0]",
        numpy_behaviour="ml_dtypes' conversion gives NaN for both",
        reference="https://pytorch.org/docs/stable/tensor_attributes.html (float8 types)", kind="unspecified"),
]


PROMOTION_DOC = "https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"

DIVERGENCES += [
    Divergence(
        id="promote_types-inexact-with-int", op="promote_types", family="creation",
        condition="a floating or complex dtype with an integer (or bool) dtype",
        torch_behaviour="the floating or complex dtype as it is: torch.promote_types(torch.float16, torch.int16) is "
                        "float16, (complex64, int64) complex64",
        numpy_behaviour="np.promote_types widens it to hold the integers: float32, complex128",
        reference=PROMOTION_DOC, kind="intended"),
    Divergence(
        id="promote_types-limited-dtypes", op="promote_types", family="creation",
        condition="a float8 format with any other dtype, or uint16 / uint32 / uint64 with another integer, bool or "
                  "complex dtype (uint64 with int64 included)",
        torch_behaviour="raises RuntimeError: 'Promotion for Float8 Types is not supported' / 'Promotion for uint16, "
                        "uint32, uint64 types is not supported'",
        numpy_behaviour="promotes (uint64 with int64: float64; ml_dtypes' float8 as float16)",
        reference=f"{PROMOTION_DOC} ; https://github.com/pytorch/pytorch/issues/58734", kind="intended"),
    Divergence(
        id="promote_types-bfloat16-float16", op="promote_types", family="creation",
        condition="bfloat16 with float16",
        torch_behaviour="float32 (neither holds the other)", numpy_behaviour="no NumPy dtype is bfloat16 (ml_dtypes' "
                                                                          "has no promotion with float16)",
        reference=PROMOTION_DOC, kind="intended"),
    Divergence(
        id="can_cast-integer-to-integer", op="can_cast", family="creation",
        condition="a signed integer dtype to an unsigned one, or a wider integer to a narrower one",
        torch_behaviour="True: torch's casting rule refuses only a change to a lower category (complex to real, "
                        "floating to integer, anything to bool): torch.can_cast(torch.int8, torch.uint8) is True",
        numpy_behaviour="np.can_cast(np.int8, np.uint8, casting='same_kind') is False (a signed integer is not the "
                        "same kind as an unsigned one)",
        reference=f"https://pytorch.org/docs/stable/generated/torch.can_cast.html ; {PROMOTION_DOC}",
        kind="intended"),
    Divergence(
        id="frombuffer-readonly-warns", op="frombuffer", family="creation",
        condition="a read-only buffer (bytes)",
        torch_behaviour="works and warns (UserWarning: 'The given buffer is not writable'); the tensor shares the "
                        "buffer's memory, writing to it is undefined",
        numpy_behaviour="np.frombuffer gives a read-only array",
        reference=DOC.format("frombuffer"), kind="intended"),
]

DIVERGENCES += [
    Divergence(
        id="asarray-zero-dim-copies", op="asarray", family="creation",
        condition="a zero-dim NumPy array",
        torch_behaviour="copied: torch.asarray(np.array(5, dtype=np.int16)) does not share the array's memory (the "
                        "docs say a NumPy array's memory is shared by default)",
        numpy_behaviour="np.asarray returns the array itself", reference=DOC.format("asarray") + " (no issue found)",
        kind="bug"),
    Divergence(
        id="asarray-zero-dim-copy-with-dtype-raises", op="asarray", family="creation",
        condition="a zero-dim NumPy array with copy=True and another dtype=",
        torch_behaviour="raises ValueError: \"can't alias tensor with dtype 'UInt16' into dtype 'Int'.\": "
                        "torch.asarray(np.array(5, dtype=np.uint16), dtype=torch.int32, copy=True)",
        numpy_behaviour="np.asarray(a, dtype=np.int32, copy=True) converts", reference=DOC.format("asarray") +
        " (no issue found)", kind="bug"),
]
