"""Reproduction snippets reproduce: run with torch and numpy only, they raise for a wrong op and pass for a
right one, on every layout and on the dtypes that need special handling (bfloat16, complex, integers)."""
import subprocess
import sys

import numpy as np
import pytest
import torch

from conformance import check
from conformance.catalogue.entry import OpEntry
from conformance.compare import Difference
from conformance.repro import snippet
from conformance.strategies import ArraySpec, Case, binary, unary


def wrong_abs(x):
    """abs that flips the sign of its last element (a planted difference)."""
    out = torch.abs(x).contiguous()
    if out.numel():
        out.view(-1)[-1] = -out.view(-1)[-1] - 1
    return out


def wrong_dtype_add(a, b):
    return torch.add(a, b).to(torch.float64)


def raising_add(a, b):
    raise RuntimeError("planted")


def lenient_add(a, b):
    """add that silently truncates a longer second operand instead of failing to broadcast."""
    return torch.add(a, b[: a.shape[0]])


def sign_losing_neg(x):
    return 0 - x


ABS = OpEntry("abs", "pointwise", wrong_abs, np.abs, unary, ("float32",))
ABS_OK = OpEntry("abs", "pointwise", "torch.abs", np.abs, unary, ("float32",))


def _mismatch(op, case, dtype, fill="ordinary"):
    sample = case.sample(fill)
    with pytest.raises(check.Mismatch) as info:
        check.forward(op, sample, "cpu", dtype)
    return info.value


def _runs_clean(source: str) -> bool:
    assert "conformance" not in source.replace("# torch", "").split("\n", 1)[1], "snippet imports the project"
    try:
        exec(compile(source, "<snippet>", "exec"), {"__name__": "__snippet__"})
    except Exception:
        return False
    return True


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "strided", "offset", "expanded"])
@pytest.mark.parametrize("dtype", ["float32", "bfloat16", "float8_e4m3fn", "int16", "complex64", "float64"])
def test_value_snippet_reproduces_on_every_layout(layout, dtype):
    op = OpEntry("abs", "pointwise", wrong_abs, np.abs, unary, (dtype,))
    case = Case((ArraySpec((3, 4), dtype, layout),), (), seed=3)
    err = _mismatch(op, case, dtype)
    assert err.repro and not _runs_clean(err.repro)
    # the same snippet with the right torch call passes: the failure is the difference, not the snippet
    assert _runs_clean(err.repro.replace("wrong_abs(t0)", "torch.abs(t0)"))


def test_dtype_snippet_reproduces():
    op = OpEntry("add", "pointwise", wrong_dtype_add, np.add, binary, ("float32",))
    err = _mismatch(op, Case((ArraySpec((2,), "float32"), ArraySpec((2,), "float32")), (), 1), "float32")
    assert "dtype differs" in err.summary
    assert not _runs_clean(err.repro)


def test_exception_snippets_reproduce():
    op = OpEntry("add", "pointwise", raising_add, np.add, binary, ("float32",))
    err = _mismatch(op, Case((ArraySpec((2,), "float32"), ArraySpec((2,), "float32")), (), 1), "float32")
    assert "torch raised RuntimeError" in err.summary
    assert not _runs_clean(err.repro)
    op = OpEntry("add", "pointwise", lenient_add, np.add, binary, ("float32",))
    err = _mismatch(op, Case((ArraySpec((2,), "float32"), ArraySpec((3,), "float32")), (), 1), "float32")
    assert "NumPy raised ValueError" in err.summary
    assert not _runs_clean(err.repro)


def test_signed_zero_snippet_reproduces():
    op = OpEntry("neg", "pointwise", sign_losing_neg, np.negative, unary, ("float32",))
    case = Case((ArraySpec((4,), "float32"),), (), seed=0)
    sample = case.sample("ordinary")
    sample.arrays[0][:] = 0.0
    with pytest.raises(check.Mismatch) as info:
        check.forward(op, sample, "cpu", "float32")
    assert "sign of zero" in info.value.summary
    assert not _runs_clean(info.value.repro)


def test_snippet_is_standalone_in_a_fresh_interpreter(tmp_path):
    err = _mismatch(ABS, Case((ArraySpec((2, 3), "float32", "strided"),), (), seed=5), "float32")
    path = tmp_path / "repro.py"
    path.write_text(err.repro)
    proc = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0
    assert "AssertionError" in proc.stderr
    assert "torch:" in proc.stdout and "numpy:" in proc.stdout


def test_message_carries_inputs_and_summary():
    err = _mismatch(ABS, Case((ArraySpec((2, 3), "float32", "transposed"),), (), seed=5), "float32")
    text = str(err)
    assert "abs [cpu, float32]" in text and "layout=transposed" in text
    assert "first mismatch at index" in text and "standalone reproduction" in text


def test_snippet_for_a_scalar_difference():
    sample = Case((ArraySpec((2,), "float32"),), (), 0).sample()
    src = snippet(title="t", sample=sample, device="cpu", torch_fn="torch.numel", ref=np.size, upcast=False,
                  expected_dtype=None, problem=Difference("values", "x"), tensor_result=False)
    assert _runs_clean(src)


def test_ufunc_reference_casts_integer_operands_to_the_loop_dtype():
    """NumPy casts a uint8 operand of a float8 product to float8 first (177 becomes 192): the reference does too,
    and so does the reproduction snippet."""
    import ml_dtypes

    from conformance import catalogue
    from conformance.strategies import Sample

    mul = catalogue.by_name("mul")
    x = np.array(177, dtype=np.uint8)
    y = np.array([-320.0, -80.0], dtype=ml_dtypes.float8_e5m2fnuz)
    sample = Sample(args=(x, y), kwargs={}, arrays=[x, y], layouts=["contiguous"] * 2)
    got = np.asarray(mul.reference(sample)).astype(np.float64)
    assert np.isnan(got[0]) and got[1] == -16384.0  # 192 * -320 overflows the format; 192 * -80 rounds up
    assert got.tolist()[1:] == np.multiply(x.astype(y.dtype), y).astype(np.float64).tolist()[1:]
    src = snippet(title="t", sample=sample, device="cpu", torch_fn=torch.mul, ref=mul.ref, upcast=True,
                  expected_dtype="float8_e5m2fnuz", problem="torch-raised", cast_operands=True)
    assert "to(torch.float8_e5m2fnuz).double().numpy()" in src


def test_ufunc_reference_converts_a_python_number_to_the_loop_dtype():
    """NEP 50: a bfloat16 array minus the Python int -40000 subtracts -39936 (the number in bfloat16), as NumPy
    itself computes with ml_dtypes: -41984 - -40000 is -2048, not the exact -1984; the snippet says so."""
    import ml_dtypes

    from conformance import catalogue
    from conformance.strategies import Sample

    sub = catalogue.by_name("sub")
    x = np.full(3, -41984.0, dtype=ml_dtypes.bfloat16)
    sample = Sample(args=(x, -40000), kwargs={}, arrays=[x], layouts=["contiguous"])
    got = np.asarray(sub.reference(sample)).astype(np.float64)
    assert got.tolist() == np.subtract(x, -40000).astype(np.float64).tolist() == [-2048.0] * 3
    src = snippet(title="t", sample=sample, device="cpu", torch_fn=torch.sub, ref=sub.ref, upcast=True,
                  expected_dtype="bfloat16", problem=Difference("values", "x"), cast_operands=True)
    assert "-39936.0" in src and "(NEP 50)" in src
    assert _runs_clean(src)


def _helper_names(fn, found: dict) -> None:
    import types

    if not isinstance(fn, types.FunctionType) or found.get(fn.__name__) is fn:
        return
    found.setdefault(fn.__name__, fn)
    if found[fn.__name__] is not fn:
        found.setdefault("", set()).add(fn.__name__)
        return
    for name in fn.__code__.co_names:
        helper = fn.__globals__.get(name)
        if isinstance(helper, types.FunctionType) and helper.__module__ == fn.__module__:
            _helper_names(helper, found)


def _sharing_ops():
    """The catalogue ops whose torch call and NumPy reference define helpers of the same name (the torch-side
    and the NumPy ``shaped`` of the decompositions, ``getitem`` of indexing)."""
    from conformance import catalogue

    for op in catalogue.entries():
        found: dict = {}
        for fn in (op.torch, op.ref):
            _helper_names(fn, found)
        if found.get(""):
            yield pytest.param(op, id=op.name)


@pytest.mark.parametrize("op", list(_sharing_ops()))
def test_snippet_keeps_same_named_helpers_apart(op):
    """Where the torch call and the reference both use a helper called ``shaped``, the snippet defines both (the
    later one renamed) and each side calls its own: the snippet runs and reaches torch's call."""
    from conformance import support
    from conformance.repro import snippet as make

    dtype = next(d for d in ("float32", "int64", "complex64", "bool") if d in op.dtypes or not op.dtypes)
    sample = None
    for seed in range(20):
        case = support.draw(op.cell_strategy(dtype), seed)
        if case is not None:
            sample = case.sample("ordinary")
            break
    assert sample is not None
    source = make(title="t", sample=sample, device="cpu", torch_fn=op.torch, ref=op.ref, upcast=op.upcast,
                  expected_dtype=None, problem="torch-raised")
    source = source.replace("  # raises", "")
    try:
        exec(compile(source, "<snippet>", "exec"), {"__name__": "__snippet__"})  # NumPy's call, then torch's
    except (NameError, AttributeError, TypeError):
        raise
    except Exception:  # noqa: BLE001 - a singular matrix: NumPy's LinAlgError, reached through the right helper
        pass


def complex32_scaling_add(a, b):
    """add whose complex32 results come back scaled by 1.01 (a planted difference)."""
    out = torch.add(a, b)
    return out * 1.01 if out.dtype == torch.complex32 else out


def test_complex32_snippet_reproduces():
    """A float16 tensor plus a complex number: a complex32 result, NumPy's model of it rounded in the snippet by
    the pasted stand-in of compare.Carried, torch's converted through complex64 (NumPy has no complex32)."""
    import dataclasses

    from conformance import catalogue

    add = next(op for op in catalogue.entries() if op.name == "add")
    op = dataclasses.replace(add, torch=complex32_scaling_add)
    case = Case((ArraySpec((3,), "float16"), complex(0.5, 1.0)), (), seed=2)
    err = _mismatch(op, case, "float16")
    assert "complex32" in err.summary
    assert not _runs_clean(err.repro)
    assert _runs_clean(err.repro.replace("complex32_scaling_add(t0", "torch.add(t0"))
