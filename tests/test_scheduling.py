"""The group scheduler (conformance.grouping.make_scheduler) after a worker crash: the crashed test is not run
again, the rest of its group is, and a group whose every test is done is not handed out again (a worker given
nothing to run never asks for more, and the run would hang)."""
from types import SimpleNamespace

from conformance import grouping


class FakeNode:
    def __init__(self, name):
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.sent: list[list[int]] = []

    def send_runtest_some(self, indices):
        self.sent.append(list(indices))

    def shutdown(self):
        self.shutting_down = True


def _config(workers=2):
    option = SimpleNamespace(loadscopereorder=True, numprocesses=workers, tx=[f"{workers}*popen"], dist="load")
    return SimpleNamespace(option=option, getvalue=lambda name: getattr(option, name, None))


A = [f"s.py::test_forward[a-cpu-{d}]" for d in ("float32", "float64")]
B = [f"s.py::test_forward[b-cpu-{d}]" for d in ("float32", "float64", "int64")]
C = [f"s.py::test_forward[c-cpu-{d}]" for d in ("float32", "float64", "int64", "bool")]


def _scheduler():
    sched = grouping.make_scheduler(_config(), None)
    nodes = [FakeNode("gw0"), FakeNode("gw1")]
    for n in nodes:
        sched.add_node(n)
        sched.add_node_collection(n, A + B + C)
    sched.schedule()
    return sched, nodes


def _done(sched, node, nodeid):
    sched.mark_test_complete(node, (A + B + C).index(nodeid))


def test_a_crash_requeues_only_what_is_left():
    sched, nodes = _scheduler()
    holder = next(n for n in nodes if any("[c-cpu" in s for s in sched.assigned_work[n]))
    # the holder finishes every test it is given but the last two of group c; its worker dies on the first
    while True:
        todo = [nodeid for unit in sched.assigned_work[holder].values() for nodeid, done in unit.items()
                if not done and nodeid not in C[2:]]
        if not todo:
            break
        _done(sched, holder, todo[0])
    assert len(sched.assigned_work[holder]) >= 2, "the holder took a second group while finishing the first"
    assert sched.remove_node(holder) == C[2]
    assert all(not all(unit.values()) for unit in sched.workqueue.values()), "a finished group was queued again"
    assert [n for unit in sched.workqueue.values() for n, done in unit.items() if not done] == [C[3]]
    replacement = FakeNode("gw2")
    sched.add_node(replacement)
    sched.add_node_collection(replacement, A + B + C)
    sched.schedule()
    assert all(replacement.sent), "a worker was handed a group with nothing to run"


def test_a_crash_midway_reruns_the_rest_of_its_group():
    sched, (gw0, gw1) = _scheduler()
    holder = next(n for n in (gw0, gw1) if any("[c-cpu" in s for s in sched.assigned_work[n]))
    _done(sched, holder, C[0])
    crashed = sched.remove_node(holder)
    assert crashed == C[1]
    queued = [nodeid for unit in sched.workqueue.values() for nodeid, done in unit.items() if not done]
    assert C[1] not in queued and set(C[2:]) <= set(queued)
