"""Generic tests: every catalogue entry, on every selected device and dtype, with no per-op code."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import catalogue, check
from conformance.strategies import NONCONTIGUOUS, WRITABLE


def _record_hits(record_property, hits):
    if hits:
        record_property("divergences_hit", sorted(hits))


@given(data=st.data())
def test_forward(op, device, dtype, data, record_property):
    """Contiguous inputs: torch's result (shape, dtype, values, device) matches the NumPy reference."""
    case = data.draw(op.strategy(dtype), label="case")
    hits = set()
    for sample in case.samples():
        div = check.forward(op, sample, device, dtype)
        if div:
            hits.add(div.id)
    _record_hits(record_property, hits)


@given(data=st.data())
def test_layouts(op, device, dtype, data, record_property):
    """The same on non-contiguous inputs: transposed, step-sliced, offset and expanded (zero-stride)."""
    case = data.draw(op.strategy(dtype), label="case")
    n = len(case.specs)
    chosen = data.draw(st.lists(st.sampled_from(NONCONTIGUOUS), min_size=n, max_size=n), label="layouts")
    hits = set()
    for sample in case.with_layouts(chosen).samples():
        div = check.forward(op, sample, device, dtype)
        if div:
            hits.add(div.id)
    _record_hits(record_property, hits)


@pytest.mark.ops(lambda op: op.method or op.inplace)
@given(data=st.data())
def test_variants(op, device, dtype, data):
    """Function, Tensor method and in-place method agree (in-place on writable layouts only)."""
    case = data.draw(op.strategy(dtype), label="case")
    n = len(case.specs)
    chosen = data.draw(st.lists(st.sampled_from(WRITABLE), min_size=n, max_size=n), label="layouts")
    for sample in case.with_layouts(chosen).samples():
        check.variants(op, sample, device, dtype)


@pytest.mark.ops(lambda div: div.example is not None)
def test_divergence(divergence, device, dtype):
    """A recorded divergence still holds: torch behaves as documented and NumPy differs."""
    check.pinned_divergence(divergence, catalogue.by_name(divergence.op), device, dtype)
