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
DEFAULT_FLOAT_OPS = ("tensor", "zeros", "ones", "empty", "full", "arange", "linspace", "eye")


def _default_float(op: str) -> Divergence:
    what = {
        "tensor": "Python floats in the data (or no data at all: torch.tensor([]))",
        "zeros": "no dtype= argument", "ones": "no dtype= argument", "empty": "no dtype= argument",
        "full": "a Python float fill value and no dtype= argument",
        "arange": "a Python float among start, end and step, and no dtype= argument",
        "linspace": "no dtype= argument (any start and end)",
        "eye": "no dtype= argument",
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
                  "300 for uint8, a complex number with an imaginary part for a real dtype",
        torch_behaviour="raises RuntimeError: 'value cannot be converted to type ... without overflow'; except "
                        "for a one-element float16 or bfloat16 tensor, which gets inf without the check "
                        "(torch.full((1,), 70000.0, dtype=torch.float16) is inf, torch.full((2,), 70000.0, "
                        "dtype=torch.float16) raises)",
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
