"""Memory layouts: the same logical values held by tensors with different strides and offsets.

* ``contiguous``  — a plain C-contiguous tensor;
* ``transposed``  — a contiguous tensor of the reversed shape, permuted back (column-major strides);
* ``strided``     — every other element of a tensor twice as large along each dim (step-2 slicing);
* ``offset``      — a view that starts 3 elements into its storage;
* ``expanded``    — a size-1 dim expanded with a zero stride (the values are made constant along it).

The gaps of ``strided`` and ``offset`` storage hold poison values (NaN, or a large integer), so an op that reads
memory outside the view shows it. :func:`make` builds a tensor; :func:`source` writes the same construction as
torch code for reproduction snippets.
"""
from __future__ import annotations

import numpy as np
import torch

from conformance import dtypes
from conformance.strategies.values import poison

LAYOUTS = ("contiguous", "transposed", "strided", "offset", "expanded")
NONCONTIGUOUS = LAYOUTS[1:]
#: layouts a tensor can be written through (an expanded tensor has overlapping elements)
WRITABLE = ("contiguous", "transposed", "strided", "offset")
OFFSET = 3


def expand_axis(shape: tuple) -> int | None:
    """The axis an ``expanded`` layout broadcasts along: the first one longer than 1."""
    for axis, side in enumerate(shape):
        if side > 1:
            return axis
    return None


def constant_along_axis(values: np.ndarray) -> np.ndarray:
    """``values`` made constant along :func:`expand_axis`, as an expanded layout requires."""
    axis = expand_axis(values.shape)
    if axis is None:
        return values
    first = np.take(values, [0], axis=axis)
    return np.ascontiguousarray(np.broadcast_to(first, values.shape))


def zero_stride_view(values: np.ndarray) -> np.ndarray:
    """``values`` (constant along :func:`expand_axis`) as a read-only NumPy view with a zero stride along that
    axis, as :func:`make` builds the ``expanded`` tensor; as it is where no axis is longer than 1."""
    axis = expand_axis(values.shape)
    if axis is None:
        return values
    return np.broadcast_to(np.take(values, [0], axis=axis), values.shape)


def strides(shape: tuple, layout: str) -> tuple:
    """The strides (in elements) of the tensor :func:`make` builds for a non-empty array of ``shape`` in
    ``layout``, read from the construction rather than from a tensor (conditions of divergence records use it)."""
    def row_major(sides):
        out, step = [], 1
        for side in reversed(sides):
            out.append(step)
            step *= max(side, 1)
        return tuple(reversed(out))
    shape = tuple(shape)
    if layout == "transposed" and len(shape) >= 2:
        return tuple(reversed(row_major(tuple(reversed(shape)))))
    if layout == "strided" and shape:
        return tuple(2 * s for s in row_major(tuple(2 * side for side in shape)))
    if layout == "expanded":
        axis = expand_axis(shape)
        if axis is not None:
            base = row_major(tuple(1 if k == axis else side for k, side in enumerate(shape)))
            return tuple(0 if k == axis else st for k, st in enumerate(base))
    return row_major(shape)


def make(values: np.ndarray, layout: str, device="cpu") -> torch.Tensor:
    """A tensor on ``device`` with ``values`` (a NumPy array) in the given layout."""
    name = dtypes.name_of(values.dtype)
    shape = values.shape
    if layout == "transposed" and values.ndim >= 2:
        return dtypes.to_torch(values.transpose(), device).permute(*reversed(range(values.ndim)))
    if layout == "strided":
        if values.ndim == 0:
            base = torch.full((2,), poison(name), dtype=dtypes.TORCH[name], device=device)
            base[1] = dtypes.to_torch(values, device)
            return base[1]
        base = torch.full(tuple(2 * s for s in shape), poison(name), dtype=dtypes.TORCH[name], device=device)
        index = (slice(None, None, 2),) * values.ndim
        base[index] = dtypes.to_torch(values, device)
        return base[index]
    if layout == "offset":
        base = torch.full((OFFSET + values.size,), poison(name), dtype=dtypes.TORCH[name], device=device)
        base[OFFSET:] = dtypes.to_torch(values, device).reshape(-1)
        return base[OFFSET:].view(shape)
    if layout == "expanded":
        axis = expand_axis(shape)
        if axis is not None:
            return dtypes.to_torch(np.take(values, [0], axis=axis), device).expand(shape)
    return dtypes.to_torch(values, device)


def source(var: str, np_var: str, values: np.ndarray, layout: str, device_var: str = "device") -> list[str]:
    """Torch code that builds tensor ``var`` from NumPy array ``np_var`` exactly as :func:`make` does."""
    name = dtypes.name_of(values.dtype)
    tdt = f"torch.{name}"
    conv = f", dtype={tdt}" if dtypes.is_ml(name) else ""  # bfloat16 and float8 values are held in float32
    shape = values.shape
    pv = poison(name)
    pv_src = "float('nan')" if isinstance(pv, float) else ("complex('nan+nanj')" if isinstance(pv, complex) else repr(pv))
    if layout == "transposed" and values.ndim >= 2:
        perm = tuple(reversed(range(values.ndim)))
        return [f"{var} = torch.from_numpy({np_var}.transpose().copy()).to({device_var}{conv}).permute{perm}"
                f"  # transposed layout"]
    if layout == "strided":
        if values.ndim == 0:
            return [f"_base = torch.full((2,), {pv_src}, dtype={tdt}, device={device_var})  # poison in the gaps",
                    f"_base[1] = torch.from_numpy({np_var}.copy()).to({device_var}{conv})",
                    f"{var} = _base[1]  # 0-d view at storage offset 1"]
        big = tuple(2 * s for s in shape)
        idx = ", ".join(["::2"] * values.ndim)
        return [f"_base = torch.full({big}, {pv_src}, dtype={tdt}, device={device_var})  # poison in the gaps",
                f"_base[{idx}] = torch.from_numpy({np_var}.copy()).to({device_var}{conv})",
                f"{var} = _base[{idx}]  # strided layout (step 2 along every dim)"]
    if layout == "offset":
        return [f"_base = torch.full(({OFFSET + values.size},), {pv_src}, dtype={tdt}, device={device_var})",
                f"_base[{OFFSET}:] = torch.from_numpy({np_var}.copy()).to({device_var}{conv}).reshape(-1)",
                f"{var} = _base[{OFFSET}:].view({tuple(shape)})  # storage offset {OFFSET}"]
    if layout == "expanded":
        axis = expand_axis(shape)
        if axis is not None:
            return [f"{var} = torch.from_numpy(np.take({np_var}, [0], axis={axis}).copy()).to({device_var}{conv})"
                    f".expand{tuple(shape)}  # zero stride along dim {axis}"]
    return [f"{var} = torch.from_numpy({np_var}.copy()).to({device_var}{conv})"]
