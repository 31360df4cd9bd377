"""Floating-point precision settings: set once per process, and recorded with the results.

torch may compute float32 matrix products and convolutions in TF32 (a 10-bit significand) on NVIDIA GPUs, or in
bfloat16 passes on CPUs that have them, and may reduce half-precision GEMMs in reduced precision: each is a
setting, a process-wide global, that changes results. The suite compares float32 as IEEE float32, so every test
process sets the IEEE settings (:func:`set_ieee`) before any test runs, and the run's environment records them,
with the environment variables that can override them and the accelerator's model, compute capability, driver
and CUDA version (:func:`record`).
"""
from __future__ import annotations

import os

#: environment variables that change precision behind torch's settings
OVERRIDES = ("NVIDIA_TF32_OVERRIDE", "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "CUBLAS_WORKSPACE_CONFIG",
             "TORCH_CUDNN_V8_API_DISABLED", "ONEDNN_DEFAULT_FPMATH_MODE", "DNNL_DEFAULT_FPMATH_MODE")


def _set(obj, attr, value) -> None:
    if obj is not None and hasattr(obj, attr):
        try:
            setattr(obj, attr, value)
        except Exception:  # noqa: BLE001 - a backend that refuses (not built with it): nothing to turn off
            pass


def set_ieee() -> None:
    """IEEE float32 for matrix products and convolutions, and no reduced-precision reductions, on every backend."""
    import torch

    try:
        torch.set_float32_matmul_precision("highest")
    except Exception:  # noqa: BLE001
        pass
    cuda_matmul = getattr(getattr(torch.backends, "cuda", None), "matmul", None)
    _set(cuda_matmul, "allow_tf32", False)
    _set(cuda_matmul, "allow_fp16_reduced_precision_reduction", False)
    _set(cuda_matmul, "allow_bf16_reduced_precision_reduction", False)
    _set(getattr(torch.backends, "cudnn", None), "allow_tf32", False)
    for backend in ("cuda", "cudnn", "mkldnn"):  # the fp32_precision settings of torch 2.9 and later
        mod = getattr(torch.backends, backend, None)
        for sub in (mod, getattr(mod, "matmul", None), getattr(mod, "conv", None)):
            if sub is not None and hasattr(sub, "fp32_precision"):
                _set(sub, "fp32_precision", "ieee")


def record() -> dict:
    """The precision settings in force, the override variables that are set, and the accelerators."""
    import torch

    cuda_matmul = getattr(getattr(torch.backends, "cuda", None), "matmul", None)
    flags = {
        "float32_matmul_precision": _get(torch.get_float32_matmul_precision),
        "cuda_matmul_allow_tf32": getattr(cuda_matmul, "allow_tf32", None),
        "cudnn_allow_tf32": getattr(getattr(torch.backends, "cudnn", None), "allow_tf32", None),
        "cuda_fp16_reduced_precision_reduction": getattr(cuda_matmul, "allow_fp16_reduced_precision_reduction", None),
        "cuda_bf16_reduced_precision_reduction": getattr(cuda_matmul, "allow_bf16_reduced_precision_reduction", None),
    }
    out = {"flags": {k: v for k, v in flags.items() if v is not None},
           "overrides": {k: os.environ[k] for k in OVERRIDES if k in os.environ},
           "accelerators": _accelerators()}
    return out


def _get(fn):
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return None


def _accelerators() -> list:
    import torch

    found = []
    try:
        if torch.cuda.is_available():
            for i in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(i)
                found.append({"device": f"cuda:{i}", "name": props.name,
                              "compute_capability": f"{props.major}.{props.minor}",
                              "memory_gib": round(props.total_memory / 2 ** 30, 1),
                              "cuda": torch.version.cuda, "hip": getattr(torch.version, "hip", None),
                              "driver": _driver()})
    except Exception:  # noqa: BLE001 - a broken CUDA install: recorded as none
        pass
    return found


def _driver():
    try:
        import subprocess

        out = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip().splitlines()[0] if out.returncode == 0 and out.stdout.strip() else None
    except Exception:  # noqa: BLE001
        return None
