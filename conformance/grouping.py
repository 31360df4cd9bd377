"""Group runs inside pytest: the cells of one op on one device share their Hypothesis draws.

The generic ``test_forward`` and ``test_out`` items stay one per cell (op, device, dtype). When the first item of
a group is called, :func:`conformance.engine.run_group` runs the whole group (the dtypes of that op and device
selected in this session, for each of the two tests); each item then takes its cell's outcome: passed at once
(with the group's counts), skipped as unsupported (or, for ``out=``, as taking no ``out=``), or — failed in the
group — its own Hypothesis search runs, so that the failure shrinks and gets its own reproduction (and if that
search does not meet it again, the group's failing case is reported).

Under pytest-xdist the items of a group go to one worker: :class:`GroupScheduling` is xdist's scope scheduling
with one scope per group (every other test its own scope), so no group runs twice.
"""
from __future__ import annotations

import pytest

GENERIC = "test_forward"
#: the generic tests whose cells a group run decides
GROUPED = (GENERIC, "test_out")


def group_of(item) -> tuple | None:
    """``(op name, device)`` of a generic ``test_forward`` or ``test_out`` item of the suite, else None."""
    if getattr(item, "originalname", None) not in GROUPED:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    op, device, dtype = params.get("op"), params.get("device"), params.get("dtype")
    if not hasattr(op, "family") or device is None or dtype is None:
        return None
    return (op.name, device)


class Groups:
    """The groups of a session (built from its selected items) and their outcomes, computed on first use."""

    def __init__(self, state):
        self.state = state
        self.members: dict[tuple, dict[str, list[str]]] = {}
        self.ops: dict[tuple, object] = {}
        self.done: dict[tuple, dict] = {}

    def collect(self, items) -> None:
        for item in items:
            key = group_of(item)
            if key is None or item.get_closest_marker("skip"):
                continue
            tests = self.members.setdefault(key, {test: [] for test in GROUPED})
            tests[item.originalname].append(item.callspec.params["dtype"])
            self.ops[key] = item.callspec.params["op"]

    def outcome(self, item):
        key = group_of(item)
        if key is None or key not in self.members:
            return None
        if key not in self.done:
            self.done[key] = self._run(key)
        return self.done[key][item.originalname].get(item.callspec.params["dtype"])

    def _run(self, key):
        from hypothesis import settings

        from conformance import engine, seeding

        op, device = self.ops[key], key[1]
        name = f"conformance.suite.test_catalogue::{GENERIC}[{op.name}-{device}]"
        seed = None
        if self.state.profile in ("ci", "selfcheck"):
            seed = seeding.seed_of(name)
        elif self.state.config.getoption("hypothesis_seed", None) is not None:
            seed = seeding.seed_for(f"{name}|{self.state.config.getoption('hypothesis_seed')}")
        from conformance import profiles

        group_settings = settings(settings.default, database=None, derandomize=False,
                                  max_examples=profiles.examples(self.state.profile))
        tests = self.members[key]
        return engine.run_group(op, device, tests[GENERIC], group_settings, seed, out_cells=tests["test_out"],
                                out_examples=profiles.examples(self.state.profile, kind="out"))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """A cell that passed (or is unsupported) in its group run needs no run of its own."""
    groups = getattr(pyfuncitem.config, "_conformance_groups", None)
    if groups is None:
        return None
    cell = groups.outcome(pyfuncitem)
    if cell is None:
        return None
    counts = pyfuncitem.funcargs.get("conformance_counts")
    if cell.status == "unsupported":
        from conformance import support

        pytest.skip(support.UNSUPPORTED + cell.reason)
    if cell.status == "no_out":
        from conformance import engine

        pytest.skip(engine.no_out_reason(pyfuncitem.callspec.params["op"]))
    if cell.status == "own":
        return None  # undecided by the group (its forward cell failed): the cell's own search decides
    if counts is not None:
        counts.digest = cell.digest.hexdigest()  # the group's draws: the same whatever this cell's verdict
        counts.partial |= cell.partial
    if cell.status == "passed":
        if counts is not None:
            counts.examples += cell.examples
            counts.checked += cell.checked
            counts.hits |= cell.hits
        return True
    pyfuncitem._conformance_group_failure = cell
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A cell that failed in its group run must fail: if its own search passed, the group's case is reported."""
    outcome = yield
    cell = getattr(item, "_conformance_group_failure", None)
    if cell is None or outcome.excinfo is not None:
        return
    exc = cell.failure
    layouts = f"in layouts {', '.join(cell.layouts)}" if cell.layouts else "contiguous"
    note = (f"(found by the group run of this op and device, on case {cell.case!r} {layouts}; "
            "this cell's own search did not meet it again)")
    try:
        exc.add_note(note)
    except AttributeError:  # pragma: no cover - Python < 3.11
        pass
    outcome.force_exception(exc)


def make_scheduler(config, log):
    """xdist's scope scheduling with one scope per group (see the module docstring)."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path, _, rest = nodeid.partition("::")
            test, bracket, _ = rest.partition("[")
            if test in GROUPED and bracket and rest.endswith("]"):
                # ...::test_forward[op-device-dtype] and ...::test_out[op-device-dtype] -> ...::test_forward[op-device
                return f"{path}::{GENERIC}[{rest[len(test) + 1:].rsplit('-', 1)[0]}"
            return nodeid

        def remove_node(self, node):
            """A crashed worker's test is reported and not run again (scope scheduling would requeue it with
            the rest of its scope, and a test that kills its worker would kill every new one). Only the units
            with tests still to run go back to the queue: a unit whose every test is done, handed to a worker,
            sends it nothing, and a worker that runs nothing never asks for more (the run would hang)."""
            workload = self.assigned_work.get(node)
            crashed = None
            if workload is not None:
                crashed = next((nodeid for unit in workload.values() for nodeid, done in unit.items() if not done),
                               None)
                for unit in workload.values():
                    if crashed in unit:
                        unit[crashed] = True
                for scope in [scope for scope, unit in workload.items() if all(unit.values())]:
                    del workload[scope]
            found = super().remove_node(node)
            return crashed if crashed is not None else found

    return GroupScheduling(config, log)
