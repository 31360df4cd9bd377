"""The dtypes under test — every dtype torch defines, read from torch — their NumPy counterparts, and conversions.

The dtypes are not a hand-written list: :data:`TORCH_DTYPES` is whatever the installed torch defines (so a dtype
that a new torch adds, such as 2.14's ``bcomplex32``, appears as a new column of the reports), and each one is
sorted into

* :data:`ALL` — element dtypes with a NumPy counterpart: bool, the signed and unsigned integers of 8 to 64 bits,
  the floats (float16/32/64 native; bfloat16 and the float8 formats through ``ml_dtypes``) and complex64/128.
  These are tested against NumPy, every one of them, on every op (an op that has no kernel for a dtype on a
  device is reported as ``unsupported`` for that cell, see :mod:`conformance.support`);
* :data:`NO_NUMPY` — element dtypes NumPy cannot hold (complex32, bcomplex32): they appear in the reports, with
  the reason that nothing can be compared;
* :data:`OPAQUE` — dtypes that are not arrays of numbers element by element (quantized, bit-packed, the sub-byte
  integer shells): out of scope, with the reason, in ``conformance list --dtypes``.

bfloat16 and the float8 formats have no NumPy dtype of their own: ``ml_dtypes`` stands in for them on the NumPy
side, and arrays cross to torch bit for bit (through an integer view of the same width).
"""
from __future__ import annotations

import functools
import re

import ml_dtypes
import numpy as np
import torch


def _canonical(d: torch.dtype) -> str:
    return str(d).rpartition(".")[2]


def _scan() -> dict[str, torch.dtype]:
    found: dict[str, torch.dtype] = {}
    for attr in dir(torch):
        value = getattr(torch, attr, None)
        if isinstance(value, torch.dtype):
            found.setdefault(_canonical(value), value)
    return found


#: every dtype of the installed torch, by canonical name (``torch.float`` and ``torch.half`` are aliases)
TORCH_DTYPES: dict[str, torch.dtype] = _scan()

_SHELL = re.compile(r"^u?int[1-7]$")  # int1..int7 / uint1..uint7: placeholders without kernels or storage


def _numpy_counterpart(name: str, d: torch.dtype):
    if name == "bool":
        return np.dtype(np.bool_)
    if re.fullmatch(r"u?int(8|16|32|64)", name):
        return np.dtype(name)
    if name in ("float16", "float32", "float64", "complex64", "complex128"):
        return np.dtype(name)
    if (name == "bfloat16" or name.startswith("float8_")) and hasattr(ml_dtypes, name):
        mt = np.dtype(getattr(ml_dtypes, name))
        return mt if mt.itemsize == d.itemsize else None
    return None


def _opaque_reason(name: str, d: torch.dtype) -> str | None:
    if name.startswith(("qint", "quint")):
        return "quantized: values are integers with a scale and zero point, not numbers element by element"
    if name.startswith("bits"):
        return "raw bits without arithmetic meaning"
    if _SHELL.match(name):
        return "a sub-byte integer placeholder without kernels or element storage"
    if name.endswith(("_x2", "_x4")):
        return "packed: several values share one byte, so there is no element to compare"
    return None


def _kind(name: str, d: torch.dtype) -> str:
    if name == "bool":
        return "bool"
    if d.is_complex:
        return "complex"
    if d.is_floating_point:
        return "floating"
    return "unsigned" if name.startswith("uint") else "signed"


def _order(name: str):
    d = TORCH_DTYPES[name]
    kind = ("bool", "unsigned", "signed", "floating", "complex").index(_kind(name, d))
    fp8 = name.startswith("float8_")
    return (kind, d.itemsize if not fp8 else 0, 0 if name != "bfloat16" else 1, name)


OPAQUE: dict[str, str] = {}
NO_NUMPY: dict[str, str] = {}
NUMPY: dict[str, np.dtype] = {}
for _name, _d in TORCH_DTYPES.items():
    _why = _opaque_reason(_name, _d)
    if _why:
        OPAQUE[_name] = _why
        continue
    _np = _numpy_counterpart(_name, _d)
    if _np is None:
        NO_NUMPY[_name] = "NumPy has no dtype that holds it (and ml_dtypes none either)"
    else:
        NUMPY[_name] = _np

#: every element dtype with a NumPy counterpart, in the order reports show them
ALL: tuple[str, ...] = tuple(sorted(NUMPY, key=_order))
#: element dtypes shown in the reports, those without a NumPy counterpart included
COLUMNS: tuple[str, ...] = tuple(sorted(list(NUMPY) + list(NO_NUMPY), key=_order))
TORCH: dict[str, torch.dtype] = {name: TORCH_DTYPES[name] for name in ALL}
KIND: dict[str, str] = {name: _kind(name, TORCH_DTYPES[name]) for name in COLUMNS}

BOOL = ("bool",)
UNSIGNED = tuple(n for n in ALL if KIND[n] == "unsigned")
SIGNED = tuple(n for n in ALL if KIND[n] == "signed")
INTEGRAL = tuple(n for n in ALL if KIND[n] in ("unsigned", "signed"))
FLOAT8 = tuple(n for n in ALL if n.startswith("float8_"))
FLOATING = tuple(n for n in ALL if KIND[n] == "floating")
#: the floats NumPy has natively or that ml_dtypes gives arithmetic for like float16 (all but float8)
COMPLEX = tuple(n for n in ALL if KIND[n] == "complex")
REAL = INTEGRAL + FLOATING
NUMERIC = REAL + COMPLEX
#: the integer dtypes torch takes as indices
INDEX = ("int32", "int64")
#: floats that NumPy has only through ml_dtypes: they take float16's place when NumPy works out a result dtype
ML_FLOATS = tuple(n for n in ALL if NUMPY[n].type.__module__.startswith("ml_dtypes"))

#: the dtype each kind's argument structures are drawn for: a case drawn once is checked on every dtype of its
#: kind (see Case.retarget). Chosen so that no auxiliary array of a strategy has it: index arrays are int32 or
#: int64, masks bool (a kind of its own).
REPRESENTATIVE = {"bool": "bool", "unsigned": "uint8", "signed": "int16", "floating": "float32",
                  "complex": "complex64"}


class CellDtype(str):
    """The dtype name a strategy is called with for the cell's own arrays: a ``str`` equal to the representative
    (``"float32"``), told apart from a partner operand's dtype name that happens to be the same, so that
    retargeting a case to another dtype of the kind changes the cell's arrays and leaves the partners alone (a
    float16 cell still meets a float32 partner)."""
    __slots__ = ()


def representative(name: str) -> str:
    """The dtype whose drawn cases are retargeted to ``name``."""
    return REPRESENTATIVE[KIND[name]]


_BY_TORCH = {v: k for k, v in TORCH.items()}
_BY_NUMPY = {v: k for k, v in NUMPY.items()}
#: integer dtypes of the same width, for crossing bit for bit between NumPy and torch
_BITS_NP = {1: np.uint8, 2: np.int16}
_BITS_TORCH = {1: torch.uint8, 2: torch.int16}


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
    return KIND.get(name) == "floating"


def is_complex(name: str) -> bool:
    return KIND.get(name) == "complex"


def is_inexact(name: str) -> bool:
    return KIND.get(name) in ("floating", "complex")



def is_integral(name: str) -> bool:
    return KIND.get(name) in ("unsigned", "signed")


def is_ml(name: str) -> bool:
    """bfloat16 and the float8 formats: NumPy holds them through ml_dtypes only."""
    return name in ML_FLOATS


@functools.lru_cache(maxsize=None)
def finfo(name: str):
    """Floating-point facts of a floating dtype (of the real part, for complex ones)."""
    name = real_of(name)
    dt = NUMPY[name]
    return ml_dtypes.finfo(dt) if is_ml(name) else np.finfo(dt)


@functools.lru_cache(maxsize=None)
def iinfo(name: str):
    return np.iinfo(NUMPY[name])


def unit_roundoff(name: str) -> float:
    """``2 ** -p`` for a format with ``p`` significand bits (half of ``eps``)."""
    return float(finfo(name).eps) / 2.0


def real_of(name: str) -> str:
    return {"complex32": "float16", "complex64": "float32", "complex128": "float64"}.get(name, name)


def torch_name(dtype: torch.dtype) -> str:
    """The canonical name of any torch dtype (``complex32`` included, which has no NumPy counterpart)."""
    return _canonical(dtype)


#: dtypes without a NumPy counterpart whose values NumPy can still carry exactly: the carrier dtype
CARRIER = {"complex32": np.dtype(np.complex64)}


def to_numpy(t: torch.Tensor) -> np.ndarray:
    """A NumPy copy of a tensor, on the host, with the matching NumPy dtype (ml_dtypes ones bit for bit)."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.resolve_conj().resolve_neg()
    name = _BY_TORCH.get(t.dtype)
    if name is None and _canonical(t.dtype) in CARRIER:  # complex32: its values, exactly, in complex64
        return t.to(torch.complex64).numpy().copy()
    if name is not None and is_ml(name):
        width = t.dtype.itemsize
        return t.contiguous().view(_BITS_TORCH[width]).numpy().view(NUMPY[name]).copy()
    return t.numpy().copy()


def to_torch(a: np.ndarray, device="cpu") -> torch.Tensor:
    """A new tensor (never sharing memory with ``a``) holding ``a``'s values, on ``device``."""
    a = np.asarray(a)
    name = _BY_NUMPY.get(a.dtype)
    if name is not None and is_ml(name):
        bits = np.array(a, copy=True, order="C").view(_BITS_NP[a.dtype.itemsize])  # 0-d stays 0-d
        return torch.from_numpy(bits).view(TORCH[name]).to(device)
    if a.dtype.byteorder == ">":  # torch.from_numpy rejects big-endian arrays
        a = a.astype(a.dtype.newbyteorder("="))
    return torch.from_numpy(np.array(a, copy=True, order="C")).to(device)


def numpy_literal_dtype(name: str) -> str:
    """How a repro snippet spells this dtype when building a NumPy array (snippets need only torch and NumPy:
    bfloat16 and float8 values are held in float32, which holds each of them exactly)."""
    if is_ml(name):
        return "np.float32"
    if name in CARRIER:  # complex32: its values held in complex64
        return f"np.{np.dtype(CARRIER[name]).name}"
    return "np.bool_" if name == "bool" else f"np.{name}"
