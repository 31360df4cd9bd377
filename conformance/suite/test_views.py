"""Bespoke views tests for ops without a tensor argument: ``torch.broadcast_shapes`` against
``np.broadcast_shapes`` (no tensor input, so no catalogue entry: every dtype cell would run the same call).

Shapes as users write them: tuples, lists, ``torch.Size``, a bare int for a 1-D shape, the empty shape, size-0 and
size-1 sides, none at all; and shapes that do not broadcast, or have a negative side, which both libraries must
reject."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance.check import Mismatch

pytestmark = pytest.mark.views

_SIDES = st.sampled_from((0, 1, 1, 2, 3, 5, 17, 256))


@st.composite
def _shapes(draw):
    full = draw(st.lists(_SIDES, min_size=0, max_size=5), label="full shape")
    shapes = []
    for _ in range(draw(st.integers(0, 4), label="count")):
        keep = draw(st.integers(0, len(full)))
        part = [1 if draw(st.booleans()) and draw(st.booleans()) else s for s in full[len(full) - keep:]]
        shapes.append(part)
    if shapes and draw(st.integers(0, 9)) == 0:  # a side that does not broadcast, or a negative one
        j = draw(st.integers(0, len(shapes) - 1))
        shapes[j] = shapes[j] + [draw(st.sampled_from((4, 7, -1)))]
    spelled = []
    for s in shapes:
        how = draw(st.sampled_from(("tuple", "list", "size", "int")))
        if how == "int" and len(s) == 1:
            spelled.append(s[0])
        elif how == "list":
            spelled.append(list(s))
        elif how == "size" and all(v >= 0 for v in s):
            spelled.append(torch.Size(s))
        else:
            spelled.append(tuple(s))
    return spelled


@pytest.mark.op("broadcast_shapes")
@given(shapes=_shapes())
def test_broadcast_shapes(device, shapes):
    """The broadcast shape as a tuple (torch gives a torch.Size, a tuple), or both raise."""
    np_shapes = [tuple(s) if isinstance(s, (list, torch.Size)) else s for s in shapes]
    try:
        want, n_exc = np.broadcast_shapes(*np_shapes), None
    except ValueError as exc:
        want, n_exc = None, exc
    try:
        got, t_exc = torch.broadcast_shapes(*shapes), None
    except (RuntimeError, ValueError) as exc:
        got, t_exc = None, exc
    if (n_exc is None) != (t_exc is None):
        raise Mismatch(f"broadcast_shapes{tuple(shapes)}: torch {'raised ' + repr(t_exc) if t_exc else got}, NumPy "
                       f"{'raised ' + repr(n_exc) if n_exc else want}")
    if got is not None and (not isinstance(got, tuple) or tuple(got) != tuple(want)):
        raise Mismatch(f"broadcast_shapes{tuple(shapes)}: torch {got!r}, NumPy {want!r}")


@pytest.mark.op("vander")
@pytest.mark.divergence("vander-backward-raises")
def test_vander_backward_raises(device):
    """NumPy's derivative of vander is p x**(p - 1) column by column; torch's backward raises for N >= 2. For N = 1
    the result is constant (ones): torch's result does not require grad, and the derivative is 0."""
    x = torch.tensor([1.5, 2.0, -3.0], device=device, requires_grad=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        torch.vander(x, 4).sum().backward()
    if torch.vander(x, 1).requires_grad:
        raise Mismatch("torch.vander(x, 1) (a column of ones) requires grad")


@pytest.mark.op("vander")
@pytest.mark.divergence("vander-complex-powers-from-one")
def test_vander_complex_zero_part_sign(device):
    """x = 2.5-0j: NumPy's first power is x itself (imaginary part -0.0), torch's is (1+0j) * x (+0.0); just outside
    the condition (no zero part) the powers agree bit for bit."""
    x = np.array([complex(2.5, -0.0)], np.complex64)
    want = np.vander(x, 2, increasing=True)
    assert np.signbit(want[0, 1].imag), "NumPy's first power lost the sign of its zero part"
    got = torch.vander(torch.from_numpy(x).to(device), 2, increasing=True).cpu().numpy()
    if np.signbit(got[0, 1].imag):
        raise Mismatch("vander-complex-powers-from-one no longer holds: torch keeps -0.0 in x**1")
    y = np.array([complex(2.5, -1.0)], np.complex64)
    got = torch.vander(torch.from_numpy(y).to(device), 2, increasing=True).cpu().numpy()
    if not np.array_equal(got.view(np.float32), np.vander(y, 2, increasing=True).astype(np.complex64).view(np.float32)):
        raise Mismatch(f"vander of 2.5-1j: torch {got}, NumPy {np.vander(y, 2, increasing=True)}")
