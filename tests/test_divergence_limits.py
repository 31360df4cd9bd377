"""Divergence records limited to torch releases (``torch_versions``) and ops whose calls are guarded
(``OpEntry.guard``): a record outside its releases does not apply, and its pinned test asserts that torch now
agrees with NumPy on its example; a guarded call raises FloatingPointError instead of reaching torch."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from conformance import catalogue, check
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.check import Mismatch


def _record(**kw):
    base = dict(id="toy-record", op="toy", condition="always", torch_behaviour="-", numpy_behaviour="-",
                reference="-", kind="unspecified")
    base.update(kw)
    return Divergence(**base)


def test_torch_versions_select_the_releases():
    rec = _record(torch_versions="<2.14")
    assert rec.holds_for_torch("2.13.0+cpu") and rec.holds_for_torch("2.13.1")
    assert not rec.holds_for_torch("2.14.1+cu130") and not rec.holds_for_torch("2.15.0a0+git1234")
    assert _record(torch_versions=">=2.14").holds_for_torch("2.14.0")
    assert _record().holds_for_torch("1.0")


def test_a_torch_versions_that_is_no_specifier_is_refused():
    with pytest.raises(ValueError, match="version specifier"):
        _record(torch_versions="2.14 and later")


def test_a_record_outside_its_releases_does_not_apply_and_its_pin_asks_for_agreement():
    """neg with a record that claims torch raises on every float32 input, limited to releases before 1.0: on the
    installed torch it does not apply, and its pinned test passes because torch agrees with NumPy; the same
    record for every release fails its pin (torch does not raise)."""
    example = dict(example=lambda d: ((np.array([1.0, -2.0], dtype=np.float32),), {}),
                   counterexample=lambda d: ((np.array([1.0], dtype=np.float32),), {}))
    old = _record(op="neg", applies=lambda s, d: True, raises=RuntimeError, torch_versions="<1.0", **example)
    entry = catalogue.by_name("neg")
    op = dataclasses.replace(entry, divergences=(old,) + tuple(entry.divergences))
    assert not old.holds_on("cpu")
    assert op.divergence_for(check.example_sample(old.example("float32"), "x"), "float32", "cpu")[0] is not old
    check.pinned_divergence(old, op, "cpu", "float32")
    always = dataclasses.replace(old, torch_versions="")
    op = dataclasses.replace(entry, divergences=(always,) + tuple(entry.divergences))
    with pytest.raises(Mismatch, match="no longer holds"):
        check.pinned_divergence(always, op, "cpu", "float32")


def test_a_guarded_call_never_reaches_torch():
    calls = []

    def fn(x):
        calls.append(x)
        return x

    op = OpEntry("toy", "pointwise", fn, np.negative, lambda dtype: None, method="neg",
                 guard=lambda args, kwargs: "would crash" if bool((args[0] < 0).any()) else None)
    with pytest.raises(FloatingPointError, match="would crash"):
        op.call((torch.tensor([-1.0]),), {})
    with pytest.raises(FloatingPointError):
        op.call_method((torch.tensor([-1.0]),), {})
    assert calls == []
    assert op.call((torch.tensor([1.0]),), {}).tolist() == [1.0]


def test_a_record_of_other_hardware_asks_only_for_its_expectation():
    """A record whose behaviour shows on some CPUs only (``shows``): on a machine without that hardware its pin
    passes where torch agrees with NumPy on the example (the record's expectation is met either way); on a
    machine with it, the same agreement fails the pin."""
    entry = catalogue.by_name("neg")
    # a relaxation of the sign of zero that torch does not need on its example: torch agrees with NumPy there
    rec = _record(op="neg", applies=lambda s, d: np.asarray(s.args[0]) < 0, relax_signed_zero=True,
                  example=lambda d: ((np.array([-1.0, 2.0], dtype=np.float32),), {}),
                  counterexample=lambda d: ((np.array([2.0], dtype=np.float32),), {}), shows=lambda: False)
    op = dataclasses.replace(entry, divergences=(rec,) + tuple(entry.divergences))
    check.pinned_divergence(rec, op, "cpu", "float32")
    shown = dataclasses.replace(rec, shows=lambda: True)
    op = dataclasses.replace(entry, divergences=(shown,) + tuple(entry.divergences))
    with pytest.raises(Mismatch, match="no longer holds"):
        check.pinned_divergence(shown, op, "cpu", "float32")
