"""Gradients at the edges: kinks and bounds of non-smooth ops, and gradients through selection and masking ops
whose unselected elements are not finite.

NumPy has no gradients; what a derivative is at a point where the function has none is torch's documented rule
(https://pytorch.org/docs/stable/notes/autograd.html#gradients-for-non-differentiable-functions): the gradient
where it exists; at a kink of a locally convex function, the sub-gradient of minimum norm (relu at 0: 0; the
maximum of a tie: half to each); else by continuity (floor, sign: 0). Each check below states the rule and the
value it gives; where torch does otherwise, the difference is a recorded divergence, pinned here with its
counterexample. An element a selection or mask leaves out does not reach the output, so its gradient is exactly
0, even when its value is NaN or infinite (0 times the cotangent, never NaN).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conformance import catalogue
from conformance.check import Mismatch

pytestmark = pytest.mark.autograd

NAN, INF = math.nan, math.inf


def _grad(fn, values, dtype, device, cotangent=None):
    x = torch.tensor(values, dtype=getattr(torch, dtype), device=device, requires_grad=True)
    y = fn(x)
    y.backward(torch.ones_like(y) if cotangent is None else cotangent)
    return x.grad.detach().cpu().double().numpy()


def _expect(what, got, want, dtype="float64"):
    """Exactly the rule's value, rounded to the dtype under test (these gradients are one rounding at most)."""
    want = np.asarray(want, dtype=np.float64).astype(dtype).astype(np.float64)
    if got.shape != want.shape or not np.array_equal(got, want):
        raise Mismatch(f"{what}: gradient {got.tolist()}, the documented rule gives {want.tolist()}")


# ---- kinks: the sub-gradient of minimum norm ------------------------------------------------------------------

KINKS = [
    ("relu", lambda x: torch.relu(x), [0.0, 1.0, -1.0], [0.0, 1.0, 0.0]),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.01), [0.0, 1.0, -1.0], [0.01, 1.0, 0.01]),
    ("hardtanh", lambda x: F.hardtanh(x), [1.0, -1.0, 0.5, 2.0], [0.0, 0.0, 1.0, 0.0]),
    ("relu6", lambda x: F.relu6(x), [0.0, 6.0, 3.0], [0.0, 0.0, 1.0]),
    ("vector_norm", lambda x: torch.linalg.vector_norm(x), [0.0, 0.0], [0.0, 0.0]),
    ("vector_norm", lambda x: torch.linalg.vector_norm(x, 1), [0.0, 2.0], [0.0, 1.0]),
    ("vector_norm", lambda x: torch.linalg.vector_norm(x, INF), [1.0, -1.0, 0.5], [0.5, -0.5, 0.0]),
]
STEPS = ["floor", "ceil", "round", "trunc", "sign"]


@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize(("name", "fn", "x", "want"), [pytest.param(*k, id=f"{k[0]}-{i}", marks=pytest.mark.op(k[0]))
                                                      for i, k in enumerate(KINKS)])
def test_kink_gives_the_minimum_norm_subgradient(name, fn, x, want, device, dtype):
    _expect(f"{name} at {x}", _grad(fn, x, dtype, device), want, dtype)


@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in STEPS])
def test_step_functions_have_zero_gradient(name, device, dtype):
    """Piecewise constant: the derivative 0 where it exists, and by continuity at the jumps."""
    x = [0.5, 1.0, -1.5, 2.0, 0.0, -0.0]
    _expect(name, _grad(getattr(torch, name), x, dtype, device), [0.0] * len(x))


@pytest.mark.op("maximum")
@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_ties_split_evenly(name, device, dtype):
    x = torch.tensor([1.0, 2.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    y = torch.tensor([1.0, 1.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    getattr(torch, name)(x, y).sum().backward()
    want_x, want_y = ([0.5, 1.0], [0.5, 0.0]) if name == "maximum" else ([0.5, 0.0], [0.5, 1.0])
    _expect(f"{name}: x", x.grad.cpu().double().numpy(), want_x)
    _expect(f"{name}: y", y.grad.cpu().double().numpy(), want_y)


@pytest.mark.op("clamp")
@pytest.mark.divergence("grad-clamp-at-bound")
@pytest.mark.dtypes("float32", "float64")
def test_clamp_at_its_bound(device, dtype):
    """clamp at its bound: gradient 1 where the record holds (torch < 2.14), the minimum-norm 0 elsewhere."""
    got = _grad(lambda x: torch.clamp(x, min=0.0), [0.0], dtype, device)
    if catalogue.divergence("grad-clamp-at-bound").holds_for_torch():
        if got.tolist() != [1.0]:
            raise Mismatch(f"grad-clamp-at-bound no longer holds: clamp(0, min=0) has gradient {got.tolist()} "
                           "(recorded: 1; the minimum-norm rule gives 0)")
    else:
        _expect("clamp at its bound (the record holds for earlier torch only)", got, [0.0])
    # just outside the condition (an input off the bound) clamp's gradient is the derivative
    _expect("clamp off its bound", _grad(lambda x: torch.clamp(x, min=0.0, max=1.0), [0.5, -0.5, 2.0], dtype,
                                          device), [1.0, 0.0, 0.0])


@pytest.mark.op("fmax")
@pytest.mark.divergence("grad-fmax-ties")
@pytest.mark.dtypes("float32", "float64")
def test_fmax_ties(device, dtype):
    x = torch.tensor([1.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    y = torch.tensor([1.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    torch.fmax(x, y).sum().backward()
    want = (1.0, 0.0) if catalogue.divergence("grad-fmax-ties").holds_for_torch() else (0.5, 0.5)
    if (x.grad.item(), y.grad.item()) != want:
        raise Mismatch(f"grad-fmax-ties: fmax at a tie gives ({x.grad.item()}, {y.grad.item()}), expected {want} "
                       "(the record, torch < 2.14: (1, 0); the minimum-norm rule: (0.5, 0.5))")
    # just outside the condition (no tie) fmax's gradient goes to the larger operand, as the derivative says
    x = torch.tensor([2.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    y = torch.tensor([1.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    torch.fmax(x, y).sum().backward()
    _expect("fmax without a tie: x", x.grad.cpu().double().numpy(), [1.0])
    _expect("fmax without a tie: y", y.grad.cpu().double().numpy(), [0.0])


@pytest.mark.op("fmax")
@pytest.mark.divergence("grad-fmax-nan-operand")
@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_nan_operand(device, dtype, name):
    """fmax / fmin with a NaN operand is the other operand: the cotangent goes to it alone (torch < 2.14); from
    torch 2.14 the NaN operand gets it too (record grad-fmax-nan-operand). Just outside (no NaN), the result's
    operand alone."""
    holds = catalogue.divergence("grad-fmax-nan-operand").holds_for_torch()
    x = torch.tensor([NAN, 2.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    y = torch.tensor([3.0, 1.0], dtype=getattr(torch, dtype), device=device, requires_grad=True)
    getattr(torch, name)(x, y).sum().backward()
    first = 1.0 if holds else 0.0
    _expect(f"{name} with a NaN operand: x", x.grad.cpu().double().numpy(),
            [first, 1.0 if name == "fmax" else 0.0])
    _expect(f"{name} with a NaN operand: y", y.grad.cpu().double().numpy(), [1.0, 0.0 if name == "fmax" else 1.0])


# ---- selection and masking: unselected elements get exactly 0, whatever their value ---------------------------

def _where(x):
    return torch.where(torch.tensor([True, False, True], device=x.device), x, torch.zeros_like(x))


SELECTIONS = [
    ("where", _where, [1.0, NAN, 2.0], [1.0, 0.0, 1.0]),
    ("masked_fill", lambda x: x.masked_fill(torch.tensor([False, True, False], device=x.device), 0.0),
     [1.0, INF, -2.0], [1.0, 0.0, 1.0]),
    ("index_select", lambda x: x.index_select(0, torch.tensor([0, 2, 2], device=x.device)), [1.0, NAN, 3.0],
     [1.0, 0.0, 2.0]),
    ("gather", lambda x: torch.gather(x, 0, torch.tensor([2, 2], device=x.device)), [INF, -INF, 1.0], [0.0, 0.0, 2.0]),
    ("take", lambda x: torch.take(x, torch.tensor([1], device=x.device)), [NAN, 5.0, INF], [0.0, 1.0, 0.0]),
    ("getitem", lambda x: x[1:2], [NAN, 5.0, INF], [0.0, 1.0, 0.0]),
    ("narrow", lambda x: x.narrow(0, 0, 1), [1.0, NAN, INF], [1.0, 0.0, 0.0]),
    ("masked_select", lambda x: torch.masked_select(x, torch.tensor([True, False, True], device=x.device)),
     [1.0, NAN, 2.0], [1.0, 0.0, 1.0]),
    ("amax", lambda x: torch.amax(x[1:]), [NAN, 1.0, 3.0], [0.0, 0.0, 1.0]),
]


@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize(("name", "fn", "x", "want"),
                         [pytest.param(*s, id=s[0], marks=pytest.mark.op(s[0])) for s in SELECTIONS])
def test_unselected_nonfinite_elements_get_zero_gradient(name, fn, x, want, device, dtype):
    _expect(f"{name} with non-finite values it does not select", _grad(fn, x, dtype, device), want)


@pytest.mark.op("where")
@pytest.mark.dtypes("float32", "float64")
def test_where_gradient_of_the_unselected_branch_is_zero(device, dtype):
    """where(c, x, y): y's gradient is 0 where c picks x, even where y is infinite or NaN."""
    t = getattr(torch, dtype)
    c = torch.tensor([True, False, True], device=device)
    x = torch.tensor([1.0, 2.0, 3.0], dtype=t, device=device, requires_grad=True)
    y = torch.tensor([INF, 4.0, NAN], dtype=t, device=device, requires_grad=True)
    torch.where(c, x, y).backward(torch.tensor([2.0, 3.0, 5.0], dtype=t, device=device))
    _expect("where: x", x.grad.cpu().double().numpy(), [2.0, 0.0, 5.0])
    _expect("where: y", y.grad.cpu().double().numpy(), [0.0, 3.0, 0.0])
