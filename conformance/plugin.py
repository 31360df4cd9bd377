"""The pytest plugin (entry point ``pytest11``): options, device x dtype parametrization, profiles, results.

It acts only on tests of the ``conformance.suite`` package; other projects' tests in the same environment
see the options and nothing else.
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import shlex
import sys
import time
from pathlib import Path

import pytest

from conformance import dtypes as _dtypes

if sys.version_info < (3, 11):  # pragma: no cover - Hypothesis brings the backport there
    from exceptiongroup import BaseExceptionGroup
from conformance.families import FAMILIES

SUITE = "conformance.suite"
UNSUPPORTED = "unsupported: "  # the skip reason of a cell torch has no kernel for (conformance.support)
DTYPE_GROUPS = {"all": _dtypes.ALL, "floating": _dtypes.FLOATING, "integral": _dtypes.INTEGRAL,
                "complex": _dtypes.COMPLEX, "bool": _dtypes.BOOL}


def pytest_addoption(parser):
    group = parser.getgroup("conformance", "torch vs NumPy conformance suite")
    group.addoption("--device", action="append", default=None, metavar="DEV",
                    help="torch device to test (cpu, cuda, cuda:1, mps, xpu, ...), repeatable; 'all' for every "
                         "device present. Default: cpu.")
    group.addoption("--dtypes", action="append", default=None, metavar="NAMES",
                    help="only these dtypes (comma-separated names or groups: floating, integral, complex, bool)")
    group.addoption("--conformance-profile", default=None, choices=None, metavar="PROFILE",
                    help="Hypothesis profile: dev (default), ci (derandomized, reproducible) or nightly (many "
                         "more examples)")
    group.addoption("--report-dir", default=None, metavar="DIR",
                    help="write results.jsonl / results.json of the conformance tests into DIR")
    group.addoption("--conformance-timeout", default=None, type=float, metavar="SECONDS",
                    help="per-test time limit: a conformance test still running after SECONDS is stopped and "
                         "recorded as an error (one that does not return to Python is killed with its process "
                         "a little later; under xdist the worker is restarted). Default: no limit "
                         "(`conformance run` sets one).")


def parse_dtypes(values) -> tuple[str, ...]:
    """``--dtypes`` values -> dtype names; raises ValueError on an unknown name."""
    if not values:
        return _dtypes.ALL
    chosen: list[str] = []
    for value in values:
        for name in filter(None, (v.strip() for v in value.split(","))):
            if name in DTYPE_GROUPS:
                chosen += DTYPE_GROUPS[name]
            elif name in _dtypes.ALL:
                chosen.append(name)
            else:
                raise ValueError(f"unknown dtype {name!r}; known: {', '.join(_dtypes.ALL)} "
                                 f"(or groups {', '.join(DTYPE_GROUPS)})")
    return tuple(d for d in _dtypes.ALL if d in chosen)


class State:
    """What the plugin decided at configure time, shared by its hooks."""

    def __init__(self, config):
        from conformance import devices, profiles

        self.config = config
        self.profile = config.getoption("conformance_profile") or "dev"
        self.explicit_profile = config.getoption("conformance_profile") is not None
        if self.profile not in profiles.PROFILES and self.profile != "selfcheck":
            raise ValueError(f"unknown profile {self.profile!r}; choose from {', '.join(profiles.PROFILES)}")
        self.devices, self.skipped_devices = devices.resolve(config.getoption("device"))
        for dev in self.devices:
            why = devices.usable(dev)
            if why:
                raise ValueError(f"device {dev} is present but cannot run a kernel ({why}): a run there would "
                                 "test nothing")
        #: device -> the test whose device error left it unusable in this process
        self.broken_devices: dict[str, str] = {}
        self.dtypes = parse_dtypes(config.getoption("dtypes"))
        self.report_dir = config.getoption("report_dir")
        self.timeout = config.getoption("conformance_timeout") or 0.0
        if self.timeout < 0:
            raise ValueError(f"--conformance-timeout must be positive, not {self.timeout:g}")
        self.writer = None
        self.records: dict[str, dict] = {}
        self.started_at: dict[str, float] = {}
        self.started = time.time()
        self.previous_sigterm = None


def _usage_error(message: str):
    pytest.exit(f"conformance: {message}", returncode=2)


def pytest_configure(config):
    for family, text in FAMILIES.items():
        config.addinivalue_line("markers", f"{family}: conformance family — {text}")
    config.addinivalue_line("markers", "op(name): the op a bespoke conformance test is about")
    config.addinivalue_line("markers", "ops(predicate, dtypes=None): catalogue entries a generic test runs on "
                            "(dtypes: optional fn(op) -> the dtypes to run it on, instead of op.dtypes)")
    config.addinivalue_line("markers", "dtypes(*names): dtypes a bespoke conformance test runs on")
    config.addinivalue_line("markers", "divergence(id): the test pins a known divergence")
    try:
        state = State(config)
    except ValueError as exc:
        _usage_error(str(exc))
        return
    config._conformance = state
    from conformance import grouping, seeding

    state.local_constants_off = seeding.no_local_constants()
    from conformance import precision

    precision.set_ieee()
    config.pluginmanager.register(grouping, "conformance-grouping")
    plant = os.environ.get("CONFORMANCE_PLANT")
    if plant:
        from conformance import selfcheck

        try:
            selfcheck.plant(plant)
        except KeyError:
            _usage_error(f"unknown planted bug {plant!r}")
    from conformance import profiles

    if state.explicit_profile or _runs_suite(config):
        profiles.load(state.profile)
    if hasattr(config, "workerinput") or _runs_suite(config):
        import torch

        # one torch thread per process: xdist workers already use every core, and a verdict must not depend on
        # the machine's core count (histc's half-type counts, for one, saturate per thread)
        torch.set_num_threads(1)
    if hasattr(config, "workerinput"):
        import torch

        from conformance import devices

        index = devices.for_worker(os.environ.get("PYTEST_XDIST_WORKER"), "cuda")
        if index is not None:  # several GPUs: the workers are spread over them ("cuda" is the worker's GPU)
            torch.cuda.set_device(index)
    elif state.report_dir:
        from conformance import results

        parent = Path(state.report_dir).resolve().parent
        if not parent.is_dir():
            _usage_error(f"report directory's parent does not exist: {parent}")
        for stale in ("results.json", "index.html", "junit.xml"):  # a previous run's files must not pass for this one's
            try:
                (Path(state.report_dir) / stale).unlink()
            except OSError:
                pass
        state.writer = results.StreamWriter(Path(state.report_dir))
        _terminate_as_interrupt(state)


def _runs_suite(config) -> bool:
    return any("conformance" in str(a) for a in config.args) or config.getoption("pyargs", False)


def _in_suite(module) -> bool:
    """A conformance test module: one of ``conformance.suite``, or a module that opts in with
    ``CONFORMANCE_SUITE = True`` (the project's own tests use that for small fake suites)."""
    return getattr(module, "__name__", "").startswith(SUITE) or getattr(module, "CONFORMANCE_SUITE", False) is True


def pytest_report_header(config):
    state = getattr(config, "_conformance", None)
    if state is None:
        return None
    lines = [f"conformance: devices {', '.join(state.devices)}; profile {state.profile}"]
    for dev, why in state.skipped_devices.items():
        lines.append(f"conformance: {dev} cases are skipped: {why}")
    return lines


def _device_params(state):
    """(device, skip-mark or None) pairs: the devices to run, then absent ones shown as skipped."""
    out = [(d, None) for d in state.devices]
    out += [(d, pytest.mark.skip(reason=why)) for d, why in state.skipped_devices.items()]
    return out


def _dtype_ok(state, device, dtype, skip) -> bool:
    from conformance import devices

    return dtype in state.dtypes and (skip is not None or devices.supports(device, dtype))


def pytest_generate_tests(metafunc):
    state = getattr(metafunc.config, "_conformance", None)
    if state is None or not _in_suite(metafunc.module):
        return
    from conformance import catalogue

    names = metafunc.fixturenames
    if "op" in names:
        marker = metafunc.definition.get_closest_marker("ops")
        keep = marker.args[0] if marker and marker.args else (lambda op: True)
        # ops(predicate, dtypes=fn): fn(op) -> the dtypes this test runs the op on (default: every dtype torch
        # has; what the op does not support on a device is found by trying, and reported as unsupported)
        pick_dtypes = (marker.kwargs.get("dtypes") if marker else None) or (lambda op: _dtypes.ALL)
        params = [
            pytest.param(op, dev, dt, id=f"{op.name}-{dev}-{dt}",
                         marks=[getattr(pytest.mark, op.family)] + ([skip] if skip else []))
            for op in catalogue.entries() if keep(op)
            for dev, skip in _device_params(state)
            for dt in pick_dtypes(op) if _dtype_ok(state, dev, dt, skip)
        ]
        metafunc.parametrize(("op", "device", "dtype"), params)
    elif "divergence" in names:
        marker = metafunc.definition.get_closest_marker("ops")
        keep = marker.args[0] if marker and marker.args else (lambda div: True)
        params = []
        for div in catalogue.divergences():
            if not keep(div):
                continue
            dts = div.dtypes
            for dev, skip in _device_params(state):
                if div.devices and dev.partition(":")[0] not in div.devices:
                    continue  # the record holds on other device types only
                for dt in dts:
                    if _dtype_ok(state, dev, dt, skip):
                        params.append(pytest.param(div, dev, dt, id=f"{div.id}-{dev}-{dt}",
                                                   marks=[getattr(pytest.mark, div.family)] +
                                                   ([skip] if skip else [])))
        metafunc.parametrize(("divergence", "device", "dtype"), params)
    elif "device" in names:
        marker = metafunc.definition.get_closest_marker("dtypes")
        if "dtype" in names:
            wanted = marker.args if marker else _dtypes.ALL
            params = [pytest.param(dev, dt, id=f"{dev}-{dt}", marks=[skip] if skip else [])
                      for dev, skip in _device_params(state) for dt in wanted
                      if _dtype_ok(state, dev, dt, skip)]
            metafunc.parametrize(("device", "dtype"), params)
        else:
            metafunc.parametrize("device", [pytest.param(dev, id=dev, marks=[skip] if skip else [])
                                            for dev, skip in _device_params(state)])


#: examples folded into a test's digest of drawn examples
DIGEST_EXAMPLES = 10


class Counts:
    """What one conformance test covered: Hypothesis examples run and cases checked (a case: one sample, one
    layout, one variant, compared), and the divergences met. Read into the test's result record."""

    def __init__(self):
        from conformance.seeding import Digest

        self.examples = 0
        self.checked = 0
        self.hits: set = set()
        self._digest = Digest()
        self.digest = None
        #: forms of the call torch has no kernel for in this cell's dtype (while it has for others)
        self.partial: set = set()

    def add(self, checked: int, hits=(), drawn=None) -> None:
        """One example: ``checked`` cases, the divergences met, and what was drawn (for the digest)."""
        self.examples += 1
        self.checked += checked
        self.hits.update(hits)
        if drawn is not None and self._digest.count < DIGEST_EXAMPLES:
            self._digest.add(drawn)

    def final_digest(self, passed: bool) -> str | None:
        """The digest of the first :data:`DIGEST_EXAMPLES` examples drawn: the same whatever the verdict (a test
        that failed before drawing that many has none: its draws then depend on where it failed)."""
        if self.digest is not None:
            return self.digest
        if passed or self._digest.count >= DIGEST_EXAMPLES:
            return self._digest.hexdigest()
        return None


@pytest.fixture
def conformance_counts(request):
    """A :class:`Counts` for the running test (one per test case, shared by its Hypothesis examples)."""
    counts = Counts()
    request.node._conformance_counts = counts
    return counts


def pytest_collection_finish(session):
    state = getattr(session.config, "_conformance", None)
    if state is None:
        return
    from conformance import grouping

    groups = grouping.Groups(state)
    groups.collect(session.items)
    session.config._conformance_groups = groups


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if getattr(config, "_conformance", None) is None or config.getvalue("dist") != "load":
        return None
    from conformance import grouping

    return grouping.make_scheduler(config, log)


def _op_or_none(catalogue, name):
    try:
        return catalogue.by_name(name)
    except KeyError:
        return None


# ---- result capture -------------------------------------------------------------------------------------
#
# Who writes what. The process that sees every test report streams ``results.jsonl`` and writes
# ``results.json`` at the end: pytest itself without xdist; with xdist, the controller, which receives each
# worker's reports (the metadata of a test rides in ``report.user_properties``) and, when a worker dies in the
# middle of a test (a crash, SIGKILL, the hard time limit), a failed report for that test from xdist, which
# then starts a new worker. Workers write nothing, so there is one writer and no file to merge.
#
# The stream holds a header (environment, divergence catalogue), a start line per test case and the record of
# each finished one, flushed line by line: a run that is interrupted (Ctrl-C, SIGTERM) still writes
# results.json at the end, and a run that is killed outright leaves a stream that ``conformance report``
# rebuilds results.json from; in both, a test case that started and never finished is an ``error``.
#
# Time limit (``--conformance-timeout``): SIGALRM stops the test's call phase with TimeLimitExceeded
# (reported as ``error``); a test stuck where Python cannot interrupt it (inside a C call) is ended a little
# later by faulthandler, which dumps the stacks and exits its process: under xdist that is one worker, whose
# test is then reported as crashed (and restarted by xdist); without xdist the run ends and its stream remains.


class TimeLimitExceeded(BaseException):
    """Raised in a conformance test that ran past ``--conformance-timeout``. A BaseException, so that
    Hypothesis does not take it for a falsifying example and start shrinking."""


def _grace(limit: float) -> float:
    """Seconds after the soft limit at which a test that did not stop is killed with its process."""
    return min(30.0, max(2.0, limit))


def _meta(item) -> dict:
    params = getattr(getattr(item, "callspec", None), "params", {})
    op = params.get("op")
    div = params.get("divergence")
    op = op if hasattr(op, "family") else None  # an empty parametrization passes NOTSET
    div = div if hasattr(div, "family") else None
    family = next((m.name for m in item.iter_markers() if m.name in FAMILIES), None)
    op_marker = item.get_closest_marker("op")
    div_marker = item.get_closest_marker("divergence")
    return {
        "module": getattr(getattr(item, "module", None), "__name__", None),
        "test": item.originalname if hasattr(item, "originalname") else item.name,
        "family": family or (op.family if op else (div.family if div else None)),
        "op": op.name if op else (div.op if div else (op_marker.args[0] if op_marker else None)),
        "dtype": params.get("dtype"),
        "device": params.get("device"),
        "divergence": div.id if div else (div_marker.args[0] if div_marker else None),
    }


def _fault_file(config=None):
    """Where faulthandler writes the stacks of a test killed by the hard limit: pytest's own duplicate of
    stderr (not captured), else the process's stderr."""
    try:
        from _pytest.faulthandler import fault_handler_stderr_fd_key

        return config.stash[fault_handler_stderr_fd_key]
    except Exception:  # noqa: BLE001 - a pytest without it, or the faulthandler plugin disabled
        pass
    for stream in (sys.__stderr__, sys.stderr):
        try:
            stream.fileno()
            return stream
        except (AttributeError, OSError, ValueError):
            continue
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    state = getattr(item.config, "_conformance", None)
    in_suite = state is not None and _in_suite(getattr(item, "module", None))
    if in_suite and state.writer is not None:  # no xdist: this process runs the test and writes the stream
        _started(state, item.nodeid, _meta(item))
    out = _fault_file(item.config) if in_suite and state.timeout > 0 else None
    hard = out is not None
    if hard:
        import faulthandler

        faulthandler.dump_traceback_later(state.timeout + _grace(state.timeout), exit=True, file=out)
    try:
        yield
    finally:
        if hard:
            faulthandler.cancel_dump_traceback_later()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    import signal
    import threading

    state = getattr(item.config, "_conformance", None)
    if state is not None and _in_suite(getattr(item, "module", None)):
        _seed_for_profile(state, item)
    if (state is None or not state.timeout or not _in_suite(getattr(item, "module", None))
            or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread()):
        yield
        return
    limit = state.timeout

    def on_alarm(signum, frame):
        raise TimeLimitExceeded(f"stopped after {limit:g} s: the test ran past the per-test time limit "
                                f"(--conformance-timeout {limit:g})")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_runtest_setup(item):
    state = getattr(item.config, "_conformance", None)
    if state is None or not state.broken_devices:
        return
    device = getattr(getattr(item, "callspec", None), "params", {}).get("device")
    if device in state.broken_devices:
        pytest.skip(f"{device} is unusable in this process since a device error in {state.broken_devices[device]} "
                    "(recorded there); the rest of the run goes on")


def _seed_for_profile(state, item) -> None:
    """Under ci, a Hypothesis test draws from a seed of its own id (conformance.seeding), whatever the install,
    rootdir, worker or order."""
    test = getattr(item, "obj", None)
    if state.profile not in ("ci", "selfcheck") or not hasattr(test, "hypothesis"):
        return
    from conformance import seeding

    test._hypothesis_internal_use_seed = seeding.seed_of(seeding.test_id(item))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if getattr(item.config, "_conformance", None) is None or not _in_suite(getattr(item, "module", None)):
        return
    meta = _meta(item)
    counts = getattr(item, "_conformance_counts", None)
    if counts is not None and call.when == "call":
        meta.update(examples=counts.examples, checked_cases=counts.checked,
                    examples_digest=counts.final_digest(passed=rep.passed),
                    unsupported_forms=sorted(counts.partial) or None)
        if counts.hits:
            rep.user_properties.append(("divergences_hit", sorted(counts.hits)))
    exc = call.excinfo.value if call.excinfo is not None else None
    if exc is not None and rep.failed:
        from conformance import devices

        device = getattr(getattr(item, "callspec", None), "params", {}).get("device")
        if device and devices.is_device_error(exc):
            item.config._conformance.broken_devices.setdefault(device, item.nodeid)
        from conformance.check import Mismatch

        more = 0
        if isinstance(exc, BaseExceptionGroup):  # Hypothesis found several distinct failures: the first is shown
            leaves = _leaves(exc)
            exc = next((e for e in leaves if isinstance(e, Mismatch)), leaves[0] if leaves else exc)
            more = len(leaves) - 1
        notes = [n for n in getattr(exc, "__notes__", []) if n]
        meta["falsifying_example"] = "\n".join(notes) or None
        if isinstance(exc, TimeLimitExceeded):
            meta.update(message=str(exc), timed_out=True)
        elif isinstance(exc, Mismatch):
            meta.update(message=exc.summary + ("\n" + exc.details if exc.details else ""),
                        inputs=exc.inputs or None, repro=exc.repro or None)
        else:
            text = f"{type(exc).__name__}: {exc}"
            meta["message"] = text if len(text) < 4000 else text[:4000] + " ..."
        if more:
            meta["message"] += f"\n(and {more} more distinct failure{'s' * (more > 1)} of this test: see its log)"
    rep.user_properties.append(("conformance", meta))


def _leaves(group) -> list:
    out = []
    for e in group.exceptions:
        out += _leaves(e) if isinstance(e, BaseExceptionGroup) else [e]
    return out


def _state():
    config = _CONFIG.get("config")
    return getattr(config, "_conformance", None) if config else None


def pytest_runtest_logstart(nodeid, location):
    state = _state()
    if state is not None and state.writer is not None:
        state.started_at.setdefault(nodeid, time.time())


def _started(state, nodeid: str, meta: dict) -> None:
    """Streams the start line of a test case (once), so that a case that never finishes is still known."""
    if nodeid in state.records:
        return
    state.records[nodeid] = _new_record(state, nodeid, meta)
    state.started_at.setdefault(nodeid, time.time())
    state.writer.start(nodeid, **{k: v for k, v in state.records[nodeid].items()
                                  if k in ("module", "test", "family", "op", "dtype", "device", "divergence",
                                           "rerun")})


def _new_record(state, nodeid: str, meta: dict) -> dict:
    return {"nodeid": nodeid, "module": meta.get("module"),
            **{k: meta.get(k) for k in ("test", "family", "op", "dtype", "device", "divergence")},
            "outcome": None, "duration_s": 0.0, "message": None, "inputs": None, "repro": None,
            "falsifying_example": None, "divergences_hit": [], "examples": None, "checked_cases": None,
            "examples_digest": None, "unsupported_forms": None, "rerun": _rerun(state, nodeid, meta)}


def _crash_meta(nodeid: str) -> dict:
    from conformance import results

    meta = results.parse_nodeid(nodeid)
    meta["module"] = results.module_of({"nodeid": nodeid})
    meta["divergence"] = None
    if meta["op"]:
        from conformance import catalogue

        try:
            meta["family"] = catalogue.by_name(meta["op"]).family
        except (KeyError, ValueError):
            try:
                div = catalogue.divergence(meta["op"])
                meta.update(family=div.family, op=div.op, divergence=div.id)
            except (KeyError, ValueError):
                pass
    return meta


def pytest_runtest_logreport(report):
    state = _state()
    if state is None or state.writer is None:
        return
    meta = next((v for k, v in report.user_properties if k == "conformance"), None)
    crashed = report.when not in ("setup", "call", "teardown")  # xdist's report for a test whose worker died
    rec = state.records.get(report.nodeid)
    if meta is None:
        if rec is not None:
            meta = {}
        elif crashed and report.failed and "[" in report.nodeid:
            meta = _crash_meta(report.nodeid)
        else:
            return
    if rec is None or (report.when == "setup" and rec["outcome"] is not None):  # first sight, or a rerun
        state.records.pop(report.nodeid, None)
        _started(state, report.nodeid, meta)
        rec = state.records[report.nodeid]
    hits = next((v for k, v in report.user_properties if k == "divergences_hit"), [])
    rec["duration_s"] = round(rec["duration_s"] + report.duration, 6)
    outcome = None
    if crashed:
        outcome = "error"
        rec["message"] = _crash_message(state, report)
    elif report.when == "setup":
        if report.failed:
            outcome = "error"
        elif report.skipped:
            outcome = "skipped"
            rec["message"] = _skip_reason(report)
    elif report.when == "call":
        if report.passed:
            outcome = "divergence" if rec["divergence"] else "passed"
        elif report.skipped:
            rec["message"] = _skip_reason(report)
            outcome = "unsupported" if rec["message"].startswith(UNSUPPORTED) else "skipped"
        else:
            outcome = "error" if meta.get("timed_out") else "failed"
        for key in ("examples", "checked_cases", "examples_digest", "unsupported_forms"):
            if meta.get(key) is not None:
                rec[key] = meta[key]
    elif report.failed:  # teardown
        if rec["outcome"] == "failed":  # keep the test's own failure; add the teardown's
            rec["message"] = (rec["message"] or "") + "\n\nthen, in teardown:\n" + (
                meta.get("message") or _longrepr(report))
            outcome = "failed"
        else:
            outcome = "error"
    if report.failed and not crashed and not (report.when == "teardown" and outcome == "failed"):
        rec["message"] = meta.get("message") or _longrepr(report)
        for key in ("inputs", "repro", "falsifying_example"):
            rec[key] = meta.get(key) or rec[key]
    if hits:
        rec["divergences_hit"] = sorted(set(hits))
    if outcome is not None:
        rec["outcome"] = outcome
        state.writer.append(rec)
    elif report.when == "teardown" and rec["outcome"] is None:
        rec["outcome"] = "error"
        rec["message"] = rec["message"] or "the test case reported no outcome"
        state.writer.append(rec)


def _crash_message(state, report) -> str:
    text = str(report.longrepr or "").strip() or "the process running this test died"
    began = state.started_at.get(report.nodeid)
    if state.timeout and began is not None and time.time() - began >= state.timeout:
        text += (f"; it ran past the per-test time limit of {state.timeout:g} s (--conformance-timeout) and "
                 "was killed with its worker")
    else:
        text += " (the worker process died during this test: a crash, or it was killed; xdist started a new one)"
    return text


def _skip_reason(report) -> str:
    lr = report.longrepr
    if isinstance(lr, tuple) and len(lr) == 3:
        return str(lr[2]).removeprefix("Skipped: ")
    return str(lr)


def _longrepr(report) -> str:
    text = report.longreprtext or ""
    return text if len(text) < 6000 else "...\n" + text[-6000:]


def _rerun(state, nodeid: str, meta: dict | None = None) -> str:
    """The command that runs just this test case again, from any directory."""
    from conformance import results

    meta = meta or {}
    name = nodeid.partition("::")[2].split("::")[-1] or nodeid
    module = meta.get("module") or results.module_of({"nodeid": nodeid})
    devices = [meta["device"]] if meta.get("device") else state.devices
    parts = ["python -m pytest -p no:cacheprovider --pyargs", module, "-k", shlex.quote(name)]
    parts += [f"--device {shlex.quote(d)}" for d in devices]
    parts += ["--conformance-profile", state.profile]
    seed = state.config.getoption("hypothesis_seed", None)
    if seed is not None and state.profile != "ci":
        parts += ["--hypothesis-seed", str(seed)]
    return " ".join(parts)


_CONFIG: dict = {}


def _terminate_as_interrupt(state) -> None:
    """SIGTERM to the process that writes the results ends the run like Ctrl-C: results.json is still
    written. A second SIGTERM kills as usual."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
            return

        def on_term(signum, frame):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            raise KeyboardInterrupt("terminated (SIGTERM)")

        state.previous_sigterm = signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError, AttributeError):
        state.previous_sigterm = None


def _restore_sigterm(state) -> None:
    import signal

    if state.previous_sigterm is not None:
        try:
            signal.signal(signal.SIGTERM, state.previous_sigterm)
        except (ValueError, OSError):
            pass
        state.previous_sigterm = None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    _CONFIG["config"] = session.config
    state = getattr(session.config, "_conformance", None)
    if state is not None and state.writer is not None:
        state.writer.header({"environment": environment(state, final=False), "divergences": _divergences_or_none()})


def pytest_sessionfinish(session, exitstatus):
    state = getattr(session.config, "_conformance", None)
    if state is None or state.writer is None:
        return
    from conformance import results

    state.writer.close()
    records = results.read_stream(state.writer.stream_path)
    env = environment(state)
    env.update(_suite_facts())
    env["exitstatus"] = int(exitstatus)
    env["interrupted"] = int(exitstatus) == int(pytest.ExitCode.INTERRUPTED)
    results.write(Path(state.report_dir) / "results.json", env, records, _divergences_or_none())
    _restore_sigterm(state)


def pytest_unconfigure(config):
    state = getattr(config, "_conformance", None)
    if state is not None and state.writer is not None:
        state.writer.close()
        _restore_sigterm(state)
    if _CONFIG.get("config") is config:
        _CONFIG.pop("config", None)


def _suite_facts() -> dict:
    """The suite's coverage of the names torch and NumPy share, and its findings of kind bug (run now on their
    examples), for the reports; nothing when the catalogue cannot say (a broken catalogue must not cost the
    results)."""
    out = {}
    try:
        from conformance import coverage

        out["coverage"] = coverage.report()["totals"]
    except Exception:  # noqa: BLE001
        pass
    try:
        import warnings

        from conformance import findings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["findings"] = findings.reports()
    except Exception:  # noqa: BLE001
        pass
    return out


def _divergences_or_none() -> list[dict]:
    try:
        return divergence_records()
    except Exception:  # noqa: BLE001 - a broken catalogue must not cost the results; collection reports it
        return []


def divergence_records() -> list[dict]:
    from conformance import catalogue

    return [d.as_record() for d in catalogue.divergences()]


def environment(state, final: bool = True) -> dict:
    import hypothesis
    import numpy
    import torch

    from conformance import devices

    import conformance
    from conformance import precision, seeding

    seed = state.config.getoption("hypothesis_seed", None)
    finished = time.time()
    return {
        "suite": {"version": conformance.__version__, "digest": seeding.suite_digest(),
                  "hypothesis_local_constants": "off" if getattr(state, "local_constants_off", False) else "on"},
        "precision": precision.record(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "torch_git": getattr(torch.version, "git_version", None),
        "torch_cuda": torch.version.cuda,
        "torch_hip": getattr(torch.version, "hip", None),
        "numpy": numpy.__version__,
        "hypothesis": hypothesis.__version__,
        "devices": {d: devices.describe(d) for d in state.devices},
        "skipped_devices": dict(state.skipped_devices),
        "dtypes": list(state.dtypes),
        "profile": state.profile,
        "seed": "derandomized" if state.profile in ("ci", "selfcheck") else (str(seed) if seed else "random"),
        "timeout_s": state.timeout or None,
        "command": " ".join(shlex.quote(a) for a in sys.argv),
        "workers": os.environ.get("PYTEST_XDIST_WORKER_COUNT") or
                   str(getattr(state.config.option, "numprocesses", None) or 1),
        "started": _dt.datetime.fromtimestamp(state.started, _dt.timezone.utc).isoformat(timespec="seconds"),
        "finished": (_dt.datetime.fromtimestamp(finished, _dt.timezone.utc).isoformat(timespec="seconds")
                     if final else None),
        "duration_s": round(finished - state.started, 3) if final else None,
    }
