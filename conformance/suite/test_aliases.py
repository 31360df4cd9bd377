"""Aliases NumPy and torch share (``absolute`` / ``abs``, ``arccos`` / ``acos``, ``greater`` / ``gt``, ...): the
alias is the same function as its canonical name, or gives the same result bit for bit on the canonical entry's
own samples (its dtypes, fills and layouts), so that it is covered by the canonical entry's tests.

There is no NumPy counterpart to compare with here: the claim is torch's own (its documentation calls each one an
alias), and the canonical name is compared with NumPy by the catalogue.
"""
from __future__ import annotations

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance import catalogue, check, coverage
from conformance.check import Mismatch

pytestmark = pytest.mark.pointwise


#: keyword arguments of the canonical function that an alias does not take, and the value the alias stands for:
#: true_divide is div without rounding_mode (true division only)
NARROWER = {"true_divide": {"rounding_mode": None}}


def _canonical_entry(name: str):
    for entry in catalogue.entries():
        if entry.torch == f"torch.{name}" or f"torch.{name}" in entry.covers:
            return entry
    return None


def _pairs():
    for alias, name in sorted(coverage.ALIASES.items()):
        if hasattr(torch, alias) and hasattr(torch, name):
            yield pytest.param(alias, name, id=f"{alias}-{name}", marks=pytest.mark.op(alias))


@pytest.mark.dtypes("float32", "int64", "complex64", "bool")
@pytest.mark.parametrize(("alias", "name"), list(_pairs()))
@given(data=st.data())
def test_alias_agrees_with_its_name(alias, name, device, dtype, data):
    fn_alias, fn_name = getattr(torch, alias), getattr(torch, name)
    if fn_alias is fn_name:
        return
    entry = _canonical_entry(name)
    if entry is None:
        pytest.skip(f"torch.{name} has no catalogue entry whose samples the alias could be checked on")
    case = data.draw(entry.cell_strategy(dtype), label="case")
    sample = case.sample("ordinary", 0)
    fixed = NARROWER.get(alias, {})
    assume(all(sample.kwargs.get(k, v) == v for k, v in fixed.items()))
    sample.kwargs = {k: v for k, v in sample.kwargs.items() if k not in fixed}
    args, kwargs, _ = sample.torch_inputs(device)
    want, w_exc = check.call(entry, args, kwargs, device)
    args, kwargs, _ = sample.torch_inputs(device)
    try:
        got, g_exc = fn_alias(*args, **kwargs), None
    except Exception as exc:  # noqa: BLE001
        got, g_exc = None, exc
    if (w_exc is None) != (g_exc is None):
        raise Mismatch(f"torch.{alias} and torch.{name} disagree: {name} "
                       f"{'raised ' + repr(w_exc) if w_exc else 'returned'}, {alias} "
                       f"{'raised ' + repr(g_exc) if g_exc else 'returned'}", inputs=check.describe_inputs(sample))
    if w_exc is None and not check.same_bits(got, want):
        raise Mismatch(f"torch.{alias} differs from torch.{name}, of which it is documented as an alias",
                       inputs=check.describe_inputs(sample))


def test_every_alias_has_a_canonical_entry():
    """Each alias of coverage.ALIASES names a canonical function that a catalogue entry covers (else the alias
    would count as covered without a test); a canonical entry written but pending triage excuses its aliases,
    which stay uncovered with it."""
    from conformance import catalogue

    pending = {e.name for mod in catalogue._modules() for e in getattr(mod, "PENDING_ENTRIES", ())}
    missing = [f"{alias} -> {name}" for alias, name in sorted(coverage.ALIASES.items())
               if hasattr(torch, alias) and _canonical_entry(name) is None and name not in pending]
    assert not missing, f"aliases whose canonical name has no catalogue entry: {missing}"
