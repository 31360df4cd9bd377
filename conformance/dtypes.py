"""The dtypes under test, their torch and NumPy counterparts, and conversions between the two.

bfloat16 has no NumPy dtype of its own: ``ml_dtypes.bfloat16`` stands in for it on the NumPy side, and
arrays cross to torch through float32 (exact, since every bfloat16 value is a float32 value).
"""
from __future__ import annotations

import ml_dtypes
import numpy as np
import torch

#: Every dtype the suite knows, in the order reports show them.
ALL = (
    "bool", "uint8", "int8", "int16", "int32", "int64",
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
)
BOOL = ("bool",)
UNSIGNED = ("uint8",)
SIGNED = ("int8", "int16", "int32", "int64")
INTEGRAL = UNSIGNED + SIGNED
FLOATING = ("float16", "bfloat16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
REAL = INTEGRAL + FLOATING
NUMERIC = REAL + COMPLEX
INDEX = ("int32", "int64")

TORCH = {name: getattr(torch, name) for name in ALL}
NUMPY = {name: (np.dtype(ml_dtypes.bfloat16) if name == "bfloat16" else np.dtype(name)) for name in ALL}
_BY_TORCH = {v: k for k, v in TORCH.items()}
_BY_NUMPY = {v: k for k, v in NUMPY.items()}


def name_of(dtype) -> str:
    """The suite's name for a torch dtype, a NumPy dtype or a name."""
    if isinstance(dtype, torch.dtype):
        return _BY_TORCH[dtype]
    if isinstance(dtype, str):
        if dtype not in NUMPY:
            raise KeyError(dtype)
        return dtype
    return _BY_NUMPY[np.dtype(dtype)]


def is_floating(name: str) -> bool:
    return name in FLOATING


def is_complex(name: str) -> bool:
    return name in COMPLEX


def is_inexact(name: str) -> bool:
    return name in FLOATING or name in COMPLEX


def to_numpy(t: torch.Tensor) -> np.ndarray:
    """A NumPy copy of a tensor, on the host, with the matching NumPy dtype (bfloat16 via ml_dtypes)."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.resolve_conj().resolve_neg()
    if t.dtype == torch.bfloat16:
        return t.float().numpy().astype(ml_dtypes.bfloat16)
    return t.numpy().copy()


def to_torch(a: np.ndarray, device="cpu") -> torch.Tensor:
    """A new tensor (never sharing memory with ``a``) holding ``a``'s values, on ``device``."""
    a = np.asarray(a)
    if a.dtype == NUMPY["bfloat16"]:
        return torch.from_numpy(np.array(a, dtype=np.float32, order="C")).to(
            device=device, dtype=torch.bfloat16)
    if a.dtype.byteorder == ">":  # torch.from_numpy rejects big-endian arrays
        a = a.astype(a.dtype.newbyteorder("="))
    return torch.from_numpy(np.array(a, copy=True, order="C")).to(device)


def numpy_literal_dtype(name: str) -> str:
    """How a repro snippet spells this dtype when building a NumPy array."""
    return "np.float32" if name == "bfloat16" else f"np.{name}" if name != "bool" else "np.bool_"
