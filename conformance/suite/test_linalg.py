"""Matrix products: what the generic catalogue tests cannot state.

* a recorded divergence whose example needs a memory layout (kron of a transposed operand), with its
  counterexample;
* TF32: the catalogue's product callables compare IEEE float32 even when the process enables TF32;
* shape errors: a fixed list of operand shapes every product must reject (the strategies also draw invalid
  shapes; this list pins the ones a change in torch's checks would most likely let through).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from conformance import catalogue
from conformance.catalogue import linalg as L
from conformance.check import Mismatch
from conformance.strategies.cases import Sample

pytestmark = pytest.mark.linalg


@pytest.mark.op("kron")
@pytest.mark.divergence("kron-transposed-input-raises")
@pytest.mark.dtypes("float32")
def test_kron_transposed_operand_divergence(device, dtype):
    """The recorded divergence holds exactly as its (NumPy-only) condition says: torch.kron raises for
    kron(ones(2), transposed (2, 2)), which the condition covers; for kron(ones(1), transposed (2, 2)), just
    outside it (a one-element left operand keeps the product's layout viewable), no record applies and torch
    computes np.kron."""
    op = catalogue.by_name("kron")
    div = catalogue.divergence("kron-transposed-input-raises")
    b = np.arange(1, 5, dtype=np.float32).reshape(2, 2)
    for a, raises in ((np.arange(1, 3, dtype=np.float32), True), (np.array([3.0], dtype=np.float32), False)):
        sample = Sample(args=(a, b), kwargs={}, arrays=[a, b], layouts=["contiguous", "transposed"])
        found, _ = op.divergence_for(sample, dtype, device)
        if raises and found is not div:
            raise Mismatch(f"kron-transposed-input-raises: its condition does not cover its example "
                           f"kron({a.shape}, transposed {b.shape}) ({found} applies)")
        if not raises and found is not None:
            raise Mismatch(f"kron-transposed-input-raises: its counterexample kron({a.shape}, transposed "
                           f"{b.shape}) falls under {found.id}")
        args, kwargs, _ = sample.torch_inputs(device)
        try:
            got = torch.kron(*args)
        except RuntimeError:
            if raises:
                continue
            raise Mismatch(f"kron [{device}, {dtype}]: torch.kron of {a.shape} and a transposed {b.shape} raises, "
                           "outside the recorded condition") from None
        if raises:
            raise Mismatch("divergence kron-transposed-input-raises no longer holds: torch.kron of a transposed "
                           "operand now returns a result; update the catalogue")
        if not np.array_equal(got.cpu().numpy(), np.kron(a, b)):
            raise Mismatch(f"kron [{device}, {dtype}]: torch.kron of {a.shape} and a transposed {b.shape} differs "
                           "from np.kron")


#: a bfloat16 inner product whose products, each rounded to bfloat16 before the float32 sum, give -140: the exact
#: -141.79 rounds to -142 (found by the suite, 33 elements)
_INNER_ROUNDED = (
    [-0.02197266, -0.91796875, -1.015625, -0.98046875, -0.3515625, -0.70703125, 1.34375, 0.55859375, -0.31835938,
     -0.80078125, 1.4921875, 1.40625, -1.421875, 0.15332031, -0.2421875, -0.640625, 2.140625, -0.734375,
     0.8828125, 0.05419922, -1.71875, -0.55859375, -1.8828125, 0.08837891, -1.0625, 1.0234375, -0.38085938,
     0.296875, 0.98046875, -1.3828125, -1.8125, -1.1484375, 1.5625],
    [51.25, -55.5, 187.0, 18.25, 25.5, -42.0, -42.75, -79.5, -294.0, 31.875, -67.5, 93.0, 183.0, 42.75, 35.75,
     -20.625, 31.5, 102.0, 87.0, -253.0, 108.5, 193.0, -206.0, 106.0, -87.0, -84.5, -66.5, -172.0, 200.0,
     1.7578125, 32.75, -24.0, -33.5])


@pytest.mark.op("inner")
@pytest.mark.divergence("inner-dot-products-rounded")
@pytest.mark.dtypes("bfloat16")
def test_inner_of_a_strided_half_vector_rounds_its_products(device, dtype):
    """torch.inner of two bfloat16 vectors with a step-2 operand gives -140, outside the strict bound of the
    exact -141.79 (NumPy's -142) and inside the record's (products rounded to bfloat16); the same vectors
    contiguous, just outside the record, give -142 under the strict comparison."""
    from conformance import check as _check
    from conformance import dtypes as D

    op = catalogue.by_name("inner")
    div = catalogue.divergence("inner-dot-products-rounded")
    a, b = (np.array(v, dtype=D.NUMPY[dtype]) for v in _INNER_ROUNDED)
    for layouts, under in ((["contiguous", "strided"], True), (["contiguous", "contiguous"], False)):
        sample = Sample(args=(a, b), kwargs={}, arrays=[a, b], layouts=layouts)
        found, _ = op.divergence_for(sample, dtype, device)
        assert (found is div) if under else (found is None), (layouts, found)
        if under and device.startswith("cpu"):
            with pytest.raises(Mismatch):  # the strict comparison fails: the record is needed
                _check.forward(op, sample, device, dtype, divergences=False)
        _check.forward(op, sample, device, dtype)


@pytest.mark.op("matmul")
@pytest.mark.dtypes("float32")
def test_products_compare_ieee_float32_with_tf32_enabled(device, dtype):
    """With TF32 enabled in the process, the catalogue's callables still compute IEEE float32 products (TF32
    keeps 10 mantissa bits: 1 + 2**-20 would round to 1) and restore the settings afterwards."""
    x = np.float32(1 + 2.0 ** -20)
    want = np.float32(np.float64(x) * np.float64(x))  # 1 + 2**-19, exact in float32
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    try:
        a = torch.full((4, 1), float(x), device=device)
        b = torch.full((1, 4), float(x), device=device)
        results = {"matmul": L.matmul_ieee(a, b), "mm": L.mm_ieee(a, b), "bmm": L.bmm_ieee(a[None], b[None])[0]}
        flags = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved
    for name, r in results.items():
        got = r.cpu().numpy()
        if not (got == want).all():
            raise Mismatch(f"{name} with TF32 enabled in the process: {got.ravel()[0]!r}, IEEE float32 gives "
                           f"{want!r}: the TF32 switch around the call does not work")
    if flags != (True, True):
        raise Mismatch(f"the TF32 settings were not restored after the call: {flags}")


#: (op, operand shapes) that NumPy's rules (or torch's documented ranks) reject
INVALID = [
    ("dot", (3,), (4,)),
    ("vdot", (2,), (3,)),
    ("mm", (2, 3), (4, 2)),
    ("mm", (2, 3), (3,)),
    ("bmm", (2, 2, 3), (3, 3, 2)),
    ("bmm", (1, 2, 3), (2, 3, 2)),  # bmm does not broadcast a batch of 1
    ("bmm", (2, 3), (3, 2)),
    ("mv", (2, 3), (2,)),
    ("mv", (2, 3), (3, 1)),
    ("matmul", (), (3,)),
    ("matmul", (3,), ()),
    ("matmul", (2, 3), (2, 3)),
    ("matmul", (2, 2, 3), (3, 3, 2)),
    ("matmul", (0,), (1,)),
    ("inner", (2, 3), (2, 4)),
]


@pytest.mark.op("matmul")
@pytest.mark.dtypes("float32")
@pytest.mark.parametrize("name, shape_a, shape_b", INVALID, ids=[f"{n}-{a}-{b}" for n, a, b in INVALID])
def test_shape_errors_raise(device, dtype, name, shape_a, shape_b):
    """torch raises (RuntimeError) where the reference raises, for each listed pair of shapes."""
    op = catalogue.by_name(name)
    a, b = np.ones(shape_a, np.float32), np.ones(shape_b, np.float32)
    try:
        op.ref(a, b)
    except (ValueError, RuntimeError):
        pass
    else:
        raise AssertionError(f"the reference of {name} accepts {shape_a} x {shape_b}: not an invalid pair")
    try:
        op.call((torch.ones(shape_a, device=device), torch.ones(shape_b, device=device)), {})
    except RuntimeError:
        return
    raise Mismatch(f"{name} [{device}, {dtype}]: torch accepts operands of shapes {shape_a} and {shape_b}, "
                   "which NumPy's rules reject")
