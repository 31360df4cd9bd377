"""The CUDA path without a GPU: device identity, device-safe samples, device-aware records, support, precision
flags, workers spread over GPUs. Each test states what a GPU runner relies on and would fail if it regressed."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from conformance import devices, engine, precision
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.strategies import ArraySpec, Case


# ---- 1. device identity ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "current", "reported"), [
    ("cuda", 0, "cuda:0"), ("cuda", 2, "cuda:2"), ("cuda:1", 0, "cuda:1"), ("mps", 0, "mps:0"),
    ("xpu", 1, "xpu:1"), ("xpu:0", 3, "xpu:0"), ("cpu", 0, "cpu"),
])
def test_a_device_string_resolves_to_what_its_tensors_report(monkeypatch, spec, current, reported):
    monkeypatch.setattr(devices, "_current_index", lambda kind: current)
    assert devices.concrete(spec) == torch.device(reported)
    assert devices.same(torch.device(reported), spec)
    # the comparison the suite used to make, which a CUDA run would fail on every result
    if ":" not in spec and spec != "cpu":
        assert torch.device(spec) != torch.device(reported)


def test_cuda_and_cuda_1_are_different_devices(monkeypatch):
    monkeypatch.setattr(devices, "_current_index", lambda kind: 0)
    assert not devices.same("cuda", "cuda:1")
    assert devices.same("cuda", "cuda:0")


def test_a_custom_backend_name_resolves_like_the_others():
    code = ("import torch\n"
            "torch.utils.rename_privateuse1_backend('npuish')\n"
            "from conformance import devices\n"
            "assert devices.concrete('npuish') == torch.device('npuish:0'), devices.concrete('npuish')\n"
            "assert devices.concrete('npuish:2') == torch.device('npuish', 2)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_results_on_the_device_pass_the_device_check(monkeypatch):
    from conformance import check

    monkeypatch.setattr(devices, "_current_index", lambda kind: 0)
    t = torch.zeros(2)
    assert check.same_device(t, "cpu")
    assert not check.same_device(t, "cuda")


# ---- 2. no device-side assert from a generic test -----------------------------------------------------------

def _entry(unsafe):
    return OpEntry("probe_op", "pointwise", lambda x: x * 2, lambda x: x * 2, lambda dtype: None, unsafe_off_cpu=unsafe)


def test_samples_marked_unsafe_run_on_cpu_only(monkeypatch):
    calls = []
    op = _entry(lambda sample: bool((sample.arrays[0] < 0).any()))
    monkeypatch.setattr(engine.check, "forward", lambda op, sample, device, dtype, **kw: calls.append(device) or
                        engine.check.Forward(None, False, None, None, (), {}))
    case = Case((ArraySpec((3,), "float32", domain=("float", -1.0, -0.5)),), (), seed=1)
    engine.check_example(op, case, "cuda:0", "float32", ("contiguous",))
    assert calls == [], "an unsafe sample must not run off CPU"
    engine.check_example(op, case, "cpu", "float32", ("contiguous",))
    assert calls == ["cpu"] * 3


def test_a_device_error_is_not_a_behaviour_to_compare():
    assert devices.is_device_error(RuntimeError("CUDA error: device-side assert triggered"))
    assert not devices.is_device_error(RuntimeError("index 5 is out of bounds for dimension 0 with size 3"))


def test_the_plugin_skips_a_broken_device_with_the_test_that_broke_it(pytester):
    pytester.makepyfile(test_broken="""
        CONFORMANCE_SUITE = True
        import pytest

        def test_breaks(device):
            raise RuntimeError("CUDA error: device-side assert triggered")

        def test_after(device):
            pass
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "--conformance-profile", "ci")
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.no_fnmatch_line("*test_after*FAILED*")


# ---- 3. device-aware divergences -----------------------------------------------------------------------------

def test_a_cpu_only_record_does_not_apply_on_cuda():
    div = Divergence(id="x-cpu", op="probe_op", condition="c", torch_behaviour="t", numpy_behaviour="n",
                     reference="r", applies=lambda s, d: True, raises=RuntimeError, devices=("cpu",))
    op = OpEntry("probe_op", "pointwise", "torch.neg", np.negative, lambda dtype: None, divergences=(div,))
    sample = Case((ArraySpec((2,), "float32"),), (), seed=0).sample()
    assert op.divergence_for(sample, "float32", "cpu")[0] is div
    assert op.divergence_for(sample, "float32", "cuda:0") == (None, False)


# ---- 4. support and usable devices ---------------------------------------------------------------------------

def test_a_device_without_kernels_is_not_usable(monkeypatch):
    def no_kernel(*a, **k):
        raise RuntimeError("CUDA error: no kernel image is available for execution on the device")

    monkeypatch.setattr(torch, "arange", no_kernel)
    assert "no kernel image" in devices.usable("cuda:0")
    assert devices.usable("cpu") is None


# ---- 5. precision set and recorded ---------------------------------------------------------------------------

def test_ieee_precision_is_set_and_recorded():
    precision.set_ieee()
    found = precision.record()
    assert found["flags"]["float32_matmul_precision"] == "highest"
    assert found["flags"].get("cuda_matmul_allow_tf32") is False
    assert found["flags"].get("cudnn_allow_tf32") is False
    assert isinstance(found["accelerators"], list) and isinstance(found["overrides"], dict)


def test_override_variables_are_recorded(monkeypatch):
    monkeypatch.setenv("NVIDIA_TF32_OVERRIDE", "0")
    assert precision.record()["overrides"] == {"NVIDIA_TF32_OVERRIDE": "0"}


# ---- 6. workers and GPUs -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("worker", "count", "index"), [
    ("gw0", 2, 0), ("gw1", 2, 1), ("gw2", 2, 0), ("gw5", 4, 1), ("gw3", 1, None), (None, 4, None), ("main", 4, None),
])
def test_workers_are_spread_over_the_gpus(monkeypatch, worker, count, index):
    monkeypatch.setattr(devices, "_count", lambda kind: count)
    assert devices.for_worker(worker) == index


def test_device_all_lists_every_gpu_by_index(monkeypatch):
    monkeypatch.setattr(devices, "_count", lambda kind: {"cpu": 1, "cuda": 2}.get(kind, 0))
    run, skipped = devices.resolve(["all"])
    assert run == ["cpu", "cuda:0", "cuda:1"] and not skipped
    monkeypatch.setattr(devices, "_count", lambda kind: {"cpu": 1, "cuda": 1}.get(kind, 0))
    assert devices.resolve(["all"])[0] == ["cpu", "cuda"]
    monkeypatch.setattr(devices, "_count", lambda kind: {"cpu": 1}.get(kind, 0))
    run, skipped = devices.resolve(["all"])
    assert run == ["cpu"] and "cuda" in skipped
