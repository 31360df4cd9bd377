"""einsum: what the generic catalogue tests (which compare each call form with NumPy) cannot state.

* the two call forms are one function: the sublist form gives exactly the string form's result;
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
    """``einsum(a, [0, 1], b, [1, 2], [0, 2])`` and ``einsum("ij,jk->ik", a, b)``: the same dtype, shape and bits
    (or both raise)."""
    rng = np.random.default_rng(seed)
    tensors = [layouts.make(fill(rng, s, dtype), "contiguous", device) for s in eq.shapes]
    subs, out = eq.sublists()
    args = [x for t, sub in zip(tensors, subs) for x in (t, sub)] + ([out] if out is not None else [])
    results = []
    for call in (lambda: torch.einsum(eq.text, *tensors), lambda: torch.einsum(*args)):
        try:
            results.append(call())
        except RuntimeError as exc:
            results.append(exc)
    by_string, by_sublist = results
    if isinstance(by_string, Exception) or isinstance(by_sublist, Exception):
        if type(by_string) is not type(by_sublist):
            raise Mismatch(f"einsum {eq}: the string form gives {by_string!r}, the sublist form {by_sublist!r}")
        return
    same = by_string.dtype == by_sublist.dtype and by_string.shape == by_sublist.shape and torch.equal(
        torch.nan_to_num(by_string), torch.nan_to_num(by_sublist)) and torch.equal(
        by_string.isnan() if by_string.is_floating_point() else by_string == by_string,
        by_sublist.isnan() if by_sublist.is_floating_point() else by_sublist == by_sublist)
    if not same:
        raise Mismatch(f"einsum {eq}: the sublist form {subs} -> {out} differs from the string form: "
                       f"{dtypes.to_numpy(by_sublist)!r} against {dtypes.to_numpy(by_string)!r}")


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
