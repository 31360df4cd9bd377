"""Seeds and ids of :mod:`conformance.seeding`: the same test gets the same seed however it was collected."""
from __future__ import annotations

import types

from conformance import seeding


def _node(nodeid, module=None):
    return types.SimpleNamespace(nodeid=nodeid, module=types.SimpleNamespace(__name__=module) if module else None)


def test_id_ignores_where_the_module_was_collected_from():
    name = "conformance.suite.test_catalogue"
    ids = {seeding.test_id(_node("conformance/suite/test_catalogue.py::test_out[cat-cpu-bool]", name)),
           seeding.test_id(_node("::test_out[cat-cpu-bool]", name)),  # a module outside the rootdir
           seeding.test_id(_node("../lib/site-packages/conformance/suite/test_catalogue.py::test_out[cat-cpu-bool]")),
           seeding.test_id(_node("conformance/suite/test_catalogue.py::test_out[cat-cpu-bool]"))}
    assert ids == {"conformance.suite.test_catalogue::test_out[cat-cpu-bool]"}


def test_seeds_differ_between_tests_and_stay_put():
    a, b = seeding.seed_of("m::test_a"), seeding.seed_of("m::test_b")
    assert a != b and a == seeding.seed_of("m::test_a") and 0 <= a < 2**64
