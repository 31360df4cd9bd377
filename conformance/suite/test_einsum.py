"""einsum: what the generic catalogue tests (which compare each call form with NumPy) cannot state.

* the two call forms are one function: the sublist form gives exactly the string form's result (in torch, and
  in NumPy as its counterpart);
* malformed equation strings, which the equation strategy does not write (it only breaks well-formed ones),
  raise in torch as in NumPy.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import dtypes
from conformance.check import Mismatch
from conformance.strategies import layouts
from conformance.strategies.einsum import equations
from conformance.strategies.values import fill

pytestmark = pytest.mark.einsum


@pytest.mark.op("einsum_sublist")
@pytest.mark.dtypes("float32", "int8")
@given(eq=equations(invalid=False), seed=st.integers(0, 2**32 - 1))
def test_sublist_form_is_the_string_form(device, dtype, eq, seed):
    """``einsum(a, [0, 1], b, [1, 2], [0, 2])`` and ``einsum("ij,jk->ik", a, b)`` are one function: the same
    dtype, shape and bits (or both raise), in torch as in NumPy. The generic tests compare each form with NumPy
    within a tolerance; that the two forms give the same bits is a property of each library on its own, which no
    NumPy value can stand in for: NumPy's two forms are checked for it here too, as its counterpart."""
    rng = np.random.default_rng(seed)
    arrays = [fill(rng, s, dtype) for s in eq.shapes]
    tensors = [layouts.make(a, "contiguous", device) for a in arrays]
    subs, out = eq.sublists()

    def interleaved(ops):
        return [x for t, sub in zip(ops, subs) for x in (t, sub)] + ([out] if out is not None else [])
    for lib, string, sublist in (
            ("NumPy", lambda: np.einsum(eq.text, *arrays, optimize=True),
             lambda: np.einsum(*interleaved(arrays), optimize=True)),
            ("torch", lambda: torch.einsum(eq.text, *tensors), lambda: torch.einsum(*interleaved(tensors)))):
        results = []
        for call in (string, sublist):
            try:
                r = call()
                results.append(dtypes.to_numpy(r) if isinstance(r, torch.Tensor) else np.asarray(r))
            except (RuntimeError, ValueError) as exc:
                results.append(exc)
        by_string, by_sublist = results
        if isinstance(by_string, Exception) or isinstance(by_sublist, Exception):
            if type(by_string) is not type(by_sublist):
                raise Mismatch(f"{lib} einsum {eq}: the string form gives {by_string!r}, the sublist form "
                               f"{by_sublist!r}")
            continue
        same = (by_string.dtype == by_sublist.dtype and by_string.shape == by_sublist.shape and
                np.array_equal(_bits(by_string), _bits(by_sublist)))
        if not same:
            raise Mismatch(f"{lib} einsum {eq}: the sublist form {subs} -> {out} differs from the string form: "
                           f"{by_sublist!r} against {by_string!r}")


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).reshape(-1).view(np.uint8)


#: malformed equations (and the operand shapes): NumPy and torch both reject each
MALFORMED = [
    ("i1", [(2, 3)]),            # a subscript that is not a letter
    ("i..j", [(2, 3)]),          # a broken ellipsis
    ("i......", [(2, 3)]),       # two ellipses in one operand
    ("ij->i->j", [(2, 3)]),      # two arrows
    ("ij-", [(2, 3)]),           # half an arrow
    ("ij->j.", [(2, 3)]),        # a broken ellipsis in the output
    ("ij,jk", [(2, 3)]),         # more subscript groups than operands
    ("ij", [(2, 3), (3, 4)]),    # more operands than subscript groups
    ("ij->k", [(2, 3)]),         # an output subscript no operand has
    ("ij->ii", [(2, 3)]),        # an output subscript twice
]


@pytest.mark.op("einsum")
@pytest.mark.dtypes("float32")
@pytest.mark.parametrize("equation, shapes", MALFORMED, ids=[e for e, _ in MALFORMED])
def test_malformed_equations_raise(device, dtype, equation, shapes):
    operands = [np.ones(s, np.float32) for s in shapes]
    for optimize in (False, True):
        try:
            np.einsum(equation, *operands, optimize=optimize)
        except Exception:  # noqa: BLE001 - NumPy's parser raises ValueError, TypeError or IndexError
            continue
        raise AssertionError(f"np.einsum({equation!r}, optimize={optimize}) accepts it: not a malformed case")
    try:
        torch.einsum(equation, *[torch.ones(s, device=device) for s in shapes])
    except (RuntimeError, ValueError):
        return
    raise Mismatch(f"einsum [{device}, {dtype}]: torch accepts the malformed equation {equation!r} "
                   f"for shapes {shapes}")
