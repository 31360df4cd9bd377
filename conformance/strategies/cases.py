"""Cases and samples: what Hypothesis draws, and the concrete inputs made from it.

A :class:`Case` is one structural example: the op's positional and keyword arguments, in which each array
argument is an :class:`ArraySpec` (shape, dtype, layout, value domain), plus a seed. Hypothesis shrinks cases.
A :class:`Sample` is a case filled with values (one per fill mode, see :mod:`.values`): NumPy arrays in place of
the specs, ready to be handed to a NumPy reference or turned into tensors with their layouts.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from conformance.strategies import layouts as _layouts
from conformance.strategies.values import FILLS, fill


@dataclasses.dataclass(frozen=True)
class ArraySpec:
    """An array argument: its shape, dtype name, memory layout and (optionally) value domain."""
    shape: tuple
    dtype: str
    layout: str = "contiguous"
    domain: tuple | None = None

    def __repr__(self):
        extra = f", {self.layout}" if self.layout != "contiguous" else ""
        dom = f", domain={self.domain}" if self.domain else ""
        return f"Array({self.shape}, {self.dtype}{extra}{dom})"

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))


def _map(obj, fn):
    """Applies ``fn`` to every ArraySpec inside nested tuples/lists/dicts, keeping the structure."""
    if isinstance(obj, ArraySpec):
        return fn(obj)
    if isinstance(obj, tuple):
        return tuple(_map(o, fn) for o in obj)
    if isinstance(obj, list):
        return [_map(o, fn) for o in obj]
    if isinstance(obj, dict):
        return {k: _map(v, fn) for k, v in obj.items()}
    return obj


def specs_in(obj) -> list[ArraySpec]:
    found: list[ArraySpec] = []
    _map(obj, lambda s: found.append(s) or s)
    return found


@dataclasses.dataclass(frozen=True)
class Case:
    """One structural example: arguments with :class:`ArraySpec` placeholders, and the seed of its values."""
    args: tuple
    kwargs: tuple = ()  # (name, value) pairs: a frozen dict
    seed: int = 0

    @property
    def specs(self) -> list[ArraySpec]:
        return specs_in((self.args, dict(self.kwargs)))

    def with_layouts(self, chosen: list[str]) -> "Case":
        """The same case with the i-th array given layout ``chosen[i]``."""
        it = iter(chosen)
        args, kwargs = _map((self.args, dict(self.kwargs)),
                            lambda s: dataclasses.replace(s, layout=next(it)))
        return dataclasses.replace(self, args=args, kwargs=tuple(kwargs.items()))

    def retarget(self, src: str, dst: str) -> "Case":
        """The same case with the cell's own arrays (those whose dtype is the representative ``src`` as the
        strategy was given it: a :class:`~conformance.dtypes.CellDtype`) made of dtype ``dst``; partner arrays keep
        their dtype, even one equal to ``src``. (The structure of a call is drawn once for a kind of dtype and
        checked on each dtype of that kind; the values come from the seed, per dtype.)"""
        if src == dst:
            return self
        from conformance.dtypes import CellDtype

        def move(s):
            return dataclasses.replace(s, dtype=dst) if isinstance(s.dtype, CellDtype) and s.dtype == src else s
        args, kwargs = _map((self.args, dict(self.kwargs)), move)
        return dataclasses.replace(self, args=args, kwargs=tuple(kwargs.items()))

    def samples(self, fills=FILLS):
        """One :class:`Sample` per fill mode, each from its own seeded generator."""
        for i, mode in enumerate(fills):
            yield self.sample(mode, i)

    def sample(self, mode: str = "ordinary", index: int = 0) -> "Sample":
        rng = np.random.default_rng([self.seed, index])
        made: list[np.ndarray] = []
        layouts: list[str] = []

        def materialize(spec: ArraySpec):
            values = fill(rng, spec.shape, spec.dtype, mode, spec.domain)
            if spec.layout == "expanded":
                values = _layouts.constant_along_axis(values)
            made.append(values)
            layouts.append(spec.layout)
            return values

        args, kwargs = _map((self.args, dict(self.kwargs)), materialize)
        return Sample(args=args, kwargs=kwargs, arrays=made, layouts=layouts, fill=mode, case=self)

    def __repr__(self):
        kw = "".join(f", {k}={v!r}" for k, v in self.kwargs)
        return f"Case(args={self.args!r}{kw}, seed={self.seed})"

    def _repr_pretty_(self, p, cycle):  # how Hypothesis prints it in a falsifying example
        p.text(repr(self))


@dataclasses.dataclass
class Sample:
    """Concrete inputs: NumPy arrays in place of the case's specs, in order of appearance."""
    args: tuple
    kwargs: dict
    arrays: list
    layouts: list
    fill: str = "ordinary"
    case: Case | None = None

    def torch_inputs(self, device) -> tuple[tuple, dict, list]:
        """(args, kwargs, tensors): each array becomes a new tensor on ``device`` in its layout."""
        tensors = [_layouts.make(a, lay, device) for a, lay in zip(self.arrays, self.layouts)]
        by_id = {id(a): t for a, t in zip(self.arrays, tensors)}
        args, kwargs = _swap((self.args, self.kwargs), by_id)
        return args, kwargs, tensors

    def relaid(self, chosen) -> "Sample":
        """The same values in other memory layouts (``chosen[i]`` for the i-th array); an ``expanded`` array is
        made constant along the axis it broadcasts along, as that layout requires."""
        arrays = [_layouts.constant_along_axis(a) if lay == "expanded" and old != "expanded" else a
                  for a, lay, old in zip(self.arrays, chosen, self.layouts)]
        by_id = {id(a): b for a, b in zip(self.arrays, arrays)}
        args, kwargs = _swap((self.args, self.kwargs), by_id)
        return Sample(args=args, kwargs=kwargs, arrays=arrays, layouts=list(chosen), fill=self.fill, case=self.case)

    def numpy_inputs(self, convert=None) -> tuple[tuple, dict]:
        """Copies of the arrays (so a reference cannot modify the sample), optionally converted."""
        by_id = {id(a): (convert(a) if convert else a.copy()) for a in self.arrays}
        return _swap((self.args, self.kwargs), by_id)

    def native_inputs(self) -> tuple[tuple, dict]:
        """Copies of the arrays in the strides of their layouts where those matter to a torch model
        (``reads_strides``): an ``expanded`` array as a read-only view with a zero stride along the axis it
        broadcasts along, as the tensor has; the others as plain copies."""
        by_id = {id(a): _layouts.zero_stride_view(a.copy()) if lay == "expanded" else a.copy()
                 for a, lay in zip(self.arrays, self.layouts)}
        return _swap((self.args, self.kwargs), by_id)


def _swap(obj, by_id: dict[int, Any]):
    if isinstance(obj, np.ndarray):
        return by_id.get(id(obj), obj)
    if isinstance(obj, tuple):
        return tuple(_swap(o, by_id) for o in obj)
    if isinstance(obj, list):
        return [_swap(o, by_id) for o in obj]
    if isinstance(obj, dict):
        return {k: _swap(v, by_id) for k, v in obj.items()}
    return obj
