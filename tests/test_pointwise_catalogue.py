"""The pointwise catalogue's model of torch's type promotion agrees with torch itself, its entries are well
formed, and its divergence records are complete."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from conformance import catalogue, dtypes
from conformance.references import pointwise as R

SCALARS = (True, 3, 2.5, 1j)


def _operand(name: str, zero_dim: bool):
    return np.zeros(() if zero_dim else (2,), dtype=dtypes.NUMPY[name])


def _tensor(name: str, zero_dim: bool):
    return torch.zeros(() if zero_dim else (2,), dtype=dtypes.TORCH[name])


def _torch_says(*operands):
    """torch.result_type of the operands: a dtype name, "complex32", or "error" where torch refuses."""
    try:
        return dtypes.torch_name(torch.result_type(*operands))
    except RuntimeError:
        return "error"


def _model_says(*operands):
    """The same from the model of references/pointwise.py."""
    if R.torch_promotion_error(*operands) is not None:
        return "error"
    if R.torch_gives_complex32(*operands):
        return "complex32"
    return dtypes.name_of(R.torch_result_type(*operands))


@pytest.mark.parametrize("zero_dims", [(False, False), (True, False), (False, True), (True, True)])
def test_torch_result_type_model_matches_torch(zero_dims):
    """The model gives torch.result_type for every pair of dtypes, dims or zero-dim: complex32 where torch gives
    it, and an error where torch refuses to promote (float8 formats, uint16/32/64 with other integers)."""
    bad = []
    for a, b in itertools.product(dtypes.ALL, repeat=2):
        want = _torch_says(_tensor(a, zero_dims[0]), _tensor(b, zero_dims[1]))
        got = _model_says(_operand(a, zero_dims[0]), _operand(b, zero_dims[1]))
        if got != want:
            bad.append((a, b, got, want))
    assert not bad, bad


NUMPY_SCALARS = (np.bool_(True), np.int64(3), np.int8(3), np.float32(2.5), np.float64(2.5), np.complex64(1j),
                 np.complex128(1j))


@pytest.mark.parametrize("scalar", SCALARS + NUMPY_SCALARS, ids=repr)
def test_torch_result_type_model_with_scalars(scalar):
    """Python numbers and NumPy scalars (which torch takes as numbers of their kind), with every dtype."""
    bad = []
    for a in dtypes.ALL:
        for zero_dim in (False, True):
            want = _torch_says(_tensor(a, zero_dim), scalar)
            got = _model_says(_operand(a, zero_dim), scalar)
            if got != want:
                bad.append((a, zero_dim, got, want))
    assert not bad, bad


def test_pointwise_entries_and_divergences_are_well_formed():
    entries = [e for e in catalogue.entries() if e.family == "pointwise"]
    names = {e.name for e in entries}
    for op in ("sqrt", "exp", "pow", "log", "log1p", "abs", "neg", "sign", "sin", "cos", "tanh", "sigmoid", "clamp",
               "round", "round_decimals", "floor", "ceil", "add", "sub", "mul", "div", "floor_divide", "remainder",
               "fmod", "maximum", "minimum", "where", "isnan", "isinf", "isfinite"):
        assert op in names, op
    for div in catalogue.divergences():
        if div.family != "pointwise":
            continue
        assert div.kind in ("intended", "bug", "unspecified"), div.id
        assert div.reference.startswith("https://"), div.id
        if div.kind == "bug":
            assert div.torch_behaviour and ("torch." in div.torch_behaviour), f"{div.id}: no reproduction"
        if div.native:
            assert div.torch_ref is not None, div.id


def test_models_are_self_contained():
    """The references are pasted into reproduction snippets: they may use only np, math and this module."""
    import inspect

    allowed = {"np", "math"} | {n for n, v in vars(R).items() if inspect.isfunction(v)}
    builtins = set(dir(__builtins__)) if isinstance(__builtins__, dict) is False else set(__builtins__)
    for name, fn in vars(R).items():
        if inspect.isfunction(fn) and fn.__module__ == R.__name__:
            free = set(fn.__code__.co_names) - allowed - builtins - {"annotations"}
            consts = {n for n in free if n.isupper() or n.startswith("_") and n in vars(R)}
            assert not (free - consts - _attributes(fn)), (name, free - consts - _attributes(fn))


def _attributes(fn) -> set:
    """Names used as attributes (x.real, np.float32): co_names lists them too."""
    import dis

    return {ins.argval for ins in dis.get_instructions(fn) if ins.opname in ("LOAD_ATTR", "LOAD_METHOD", "STORE_ATTR")}


def _sample(*args, **kwargs):
    from conformance.strategies.cases import Sample

    arrays = [a for a in args if isinstance(a, np.ndarray)]
    return Sample(args=args, kwargs=kwargs, arrays=arrays, layouts=["contiguous"] * len(arrays))


def test_alpha_is_converted_to_the_result_dtype_within_the_bound():
    # float16 [-0.00125] + 0.001 with alpha 1.1: torch converts alpha to float16 (1.0996, as NumPy converts a
    # Python number) and rounds the product: -0.0001507 where the exact value rounds to -0.0001498. Only the
    # term of alpha's conversion, |alpha' - alpha| |y|, makes the bound hold it
    entry = catalogue.by_name("add")
    sample = _sample(np.full(1, -0.00125, np.float16), 0.001, alpha=1.1)
    got = float(torch.add(torch.full((1,), -0.00125, dtype=torch.float16), 0.001, alpha=1.1)[0])
    tol = entry.tolerance(sample, "float16")
    expected = float(entry.reference(sample)[0])
    allowed = float(tol.atol_at((1,))[0]) + tol.rtol * abs(expected)
    conversion = abs(float(np.float16(1.1)) - 1.1) * float(np.float16(0.001))
    assert allowed - conversion < abs(got - expected) <= allowed


def test_an_overflowing_alpha_product_is_accepted_only_where_it_overflows():
    # float64 y broadcast along x's row: torch rounds 2 * 1.8e308 on some paths (inf), keeps it exact on others
    big = float(np.finfo(np.float64).max)
    entry = catalogue.by_name("add")
    record = next(d for d in entry.divergences if d.id == "add-alpha-product-overflow")
    sample = _sample(np.full(4, -big), np.array([[big], [1.0]]), alpha=2)
    assert record.condition_mask(sample, "float64").tolist() == [[True] * 4, [False] * 4]
    assert record.condition_mask(_sample(np.full(4, -big), np.array([[big], [1.0]]), alpha=1), "float64") is False
