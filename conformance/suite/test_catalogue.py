"""Generic tests: every catalogue entry, on every selected device and dtype, with no per-op code.

One Hypothesis example pays for many checked cases (:mod:`conformance.engine`): the structure of a call (shapes,
arguments, a seed) is drawn once per kind of dtype and checked on every dtype of that kind, in every value fill
(ordinary, special, extreme), in a drawn memory layout (contiguous, transposed, strided, offset, expanded, or a
mix), and through the Tensor method and the in-place method, which must agree with the function bit for bit. The
items stay one per cell; :mod:`conformance.grouping` runs a cell's own search only where its group run failed.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import catalogue, check, engine, profiles, support


@given(data=st.data())
def test_forward(op, device, dtype, data, conformance_counts):
    """torch's result (shape, dtype, values, device) matches the NumPy reference in every fill and layout, and
    the method and in-place variants agree with the function."""
    support.skip_if_known_unsupported(op, device, dtype)
    case = data.draw(op.cell_strategy(dtype), label="case")
    layouts = engine.draw_layouts(data, len(case.specs))
    hits, checked = engine.check_example(op, case, device, dtype, layouts, conformance_counts.partial)
    conformance_counts.add(checked, hits, drawn=(case, layouts))


@settings(max_examples=profiles.examples(profiles.current(), kind="out"))
@given(data=st.data())
def test_out(op, device, dtype, data, conformance_counts):
    """``out=`` as OpInfo's test_out checks it (ops whose torch function takes it): a fresh ``out`` and a
    non-contiguous one receive the function's result bit for bit, one of a wrong shape is resized (documented:
    out-wrong-shape-resized), one of a wider dtype of the same kind receives the result cast to it, one of a lower
    category is refused — NumPy's ``out=`` casting rule (``same_kind``)."""
    support.skip_if_known_unsupported(op, device, dtype)
    case = data.draw(op.cell_strategy(dtype), label="case")
    checked = engine.check_out(op, case, device, dtype)
    if checked is None:
        pytest.skip(engine.no_out_reason(op))
    conformance_counts.add(checked, (), drawn=case)


@pytest.mark.ops(lambda div: div.example is not None)
def test_divergence(divergence, device, dtype, conformance_counts):
    """A recorded divergence still holds: torch behaves as documented on its example and NumPy differs; on its
    counterexample, just outside the condition, torch agrees with NumPy."""
    check.pinned_divergence(divergence, catalogue.by_name(divergence.op), device, dtype)
    conformance_counts.add(2, ())
