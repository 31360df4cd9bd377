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
from conformance.families import FAMILIES

SUITE = "conformance.suite"
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
        self.dtypes = parse_dtypes(config.getoption("dtypes"))
        self.report_dir = config.getoption("report_dir")
        self.writer = None
        self.records: dict[str, dict] = {}
        self.started = time.time()


def _usage_error(message: str):
    pytest.exit(f"conformance: {message}", returncode=2)


def pytest_configure(config):
    for family, text in FAMILIES.items():
        config.addinivalue_line("markers", f"{family}: conformance family — {text}")
    config.addinivalue_line("markers", "op(name): the op a bespoke conformance test is about")
    config.addinivalue_line("markers", "ops(predicate): catalogue entries a generic test runs on")
    config.addinivalue_line("markers", "dtypes(*names): dtypes a bespoke conformance test runs on")
    config.addinivalue_line("markers", "divergence(id): the test pins a known divergence")
    try:
        state = State(config)
    except ValueError as exc:
        _usage_error(str(exc))
        return
    config._conformance = state
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
    if hasattr(config, "workerinput"):
        import torch

        torch.set_num_threads(1)  # one thread per xdist worker: the workers already use every core
    elif state.report_dir:
        from conformance import results

        parent = Path(state.report_dir).resolve().parent
        if not parent.is_dir():
            _usage_error(f"report directory's parent does not exist: {parent}")
        state.writer = results.StreamWriter(Path(state.report_dir))


def _runs_suite(config) -> bool:
    return any("conformance" in str(a) for a in config.args) or config.getoption("pyargs", False)


def _in_suite(module) -> bool:
    return getattr(module, "__name__", "").startswith(SUITE)


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
        params = [
            pytest.param(op, dev, dt, id=f"{op.name}-{dev}-{dt}",
                         marks=[getattr(pytest.mark, op.family)] + ([skip] if skip else []))
            for op in catalogue.entries() if keep(op)
            for dev, skip in _device_params(state)
            for dt in op.dtypes if _dtype_ok(state, dev, dt, skip)
        ]
        metafunc.parametrize(("op", "device", "dtype"), params)
    elif "divergence" in names:
        marker = metafunc.definition.get_closest_marker("ops")
        keep = marker.args[0] if marker and marker.args else (lambda div: True)
        params = []
        for div in catalogue.divergences():
            if not keep(div):
                continue
            op = _op_or_none(catalogue, div.op)
            dts = div.dtypes or (op.dtypes if op else ())
            for dev, skip in _device_params(state):
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


def _op_or_none(catalogue, name):
    try:
        return catalogue.by_name(name)
    except KeyError:
        return None


# ---- result capture -------------------------------------------------------------------------------------

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
        "test": item.originalname if hasattr(item, "originalname") else item.name,
        "family": family or (op.family if op else (div.family if div else None)),
        "op": op.name if op else (div.op if div else (op_marker.args[0] if op_marker else None)),
        "dtype": params.get("dtype"),
        "device": params.get("device"),
        "divergence": div.id if div else (div_marker.args[0] if div_marker else None),
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if getattr(item.config, "_conformance", None) is None or not _in_suite(getattr(item, "module", None)):
        return
    meta = _meta(item)
    exc = call.excinfo.value if call.excinfo is not None else None
    if exc is not None and rep.failed:
        from conformance.check import Mismatch

        notes = [n for n in getattr(exc, "__notes__", []) if n]
        meta["falsifying_example"] = "\n".join(notes) or None
        if isinstance(exc, Mismatch):
            meta.update(message=exc.summary + ("\n" + exc.details if exc.details else ""),
                        inputs=exc.inputs or None, repro=exc.repro or None)
        else:
            text = f"{type(exc).__name__}: {exc}"
            meta["message"] = text if len(text) < 4000 else text[:4000] + " ..."
    rep.user_properties.append(("conformance", meta))


def pytest_runtest_logreport(report):
    config = _CONFIG.get("config")
    state = getattr(config, "_conformance", None) if config else None
    if state is None or state.writer is None:
        return
    meta = next((v for k, v in report.user_properties if k == "conformance"), None)
    if meta is None:
        if report.failed and "[" in report.nodeid:  # a crashed xdist worker: no metadata came back
            meta = {"test": report.nodeid.split("::")[-1].split("[")[0], "family": None, "op": None,
                    "dtype": None, "device": None, "divergence": None}
        else:
            return
    hits = next((v for k, v in report.user_properties if k == "divergences_hit"), [])
    rec = state.records.get(report.nodeid)
    if report.when == "setup" or rec is None:
        rec = {"nodeid": report.nodeid, **{k: meta.get(k) for k in
                                           ("test", "family", "op", "dtype", "device", "divergence")},
               "outcome": None, "duration_s": 0.0, "message": None, "inputs": None, "repro": None,
               "falsifying_example": None, "divergences_hit": [], "rerun": _rerun(state, report.nodeid)}
        state.records[report.nodeid] = rec
    rec["duration_s"] = round(rec["duration_s"] + report.duration, 6)
    outcome = None
    if report.when == "setup":
        if report.failed:
            outcome = "error"
        elif report.skipped:
            outcome = "skipped"
            rec["message"] = _skip_reason(report)
    elif report.when == "call":
        if report.passed:
            outcome = "divergence" if rec["divergence"] else "passed"
        elif report.skipped:
            outcome = "skipped"
            rec["message"] = _skip_reason(report)
        else:
            outcome = "failed"
    elif report.failed:  # teardown
        outcome = "error"
    if report.failed:
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
        state.writer.append(rec)


def _skip_reason(report) -> str:
    lr = report.longrepr
    if isinstance(lr, tuple) and len(lr) == 3:
        return str(lr[2]).removeprefix("Skipped: ")
    return str(lr)


def _longrepr(report) -> str:
    text = report.longreprtext or ""
    return text if len(text) < 6000 else "...\n" + text[-6000:]


def _rerun(state, nodeid: str) -> str:
    module, _, name = nodeid.partition("::")
    mod = module.replace("/", ".").removesuffix(".py")
    mod = mod[mod.index(SUITE):] if SUITE in mod else mod
    devs = " ".join(f"--device {d}" for d in state.devices)
    return (f"python -m pytest --pyargs {mod} -k {shlex.quote(name)} {devs} "
            f"--conformance-profile {state.profile}")


_CONFIG: dict = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    _CONFIG["config"] = session.config


def pytest_sessionfinish(session, exitstatus):
    state = getattr(session.config, "_conformance", None)
    if state is None or state.writer is None:
        return
    from conformance import results

    state.writer.close()
    records = results.read_stream(state.writer.stream_path)
    results.write(Path(state.report_dir) / "results.json", environment(state), records, divergence_records())


def divergence_records() -> list[dict]:
    from conformance import catalogue

    return [d.as_record() for d in catalogue.divergences()]


def environment(state) -> dict:
    import hypothesis
    import numpy
    import torch

    from conformance import devices

    seed = state.config.getoption("hypothesis_seed", None)
    finished = time.time()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "torch_git": getattr(torch.version, "git_version", None),
        "torch_cuda": torch.version.cuda,
        "numpy": numpy.__version__,
        "hypothesis": hypothesis.__version__,
        "devices": {d: devices.describe(d) for d in state.devices},
        "skipped_devices": dict(state.skipped_devices),
        "dtypes": list(state.dtypes),
        "profile": state.profile,
        "seed": "derandomized" if state.profile in ("ci", "selfcheck") else (str(seed) if seed else "random"),
        "command": " ".join(shlex.quote(a) for a in sys.argv),
        "workers": os.environ.get("PYTEST_XDIST_WORKER_COUNT") or
                   str(getattr(state.config.option, "numprocesses", None) or 1),
        "started": _dt.datetime.fromtimestamp(state.started, _dt.timezone.utc).isoformat(timespec="seconds"),
        "finished": _dt.datetime.fromtimestamp(finished, _dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(finished - state.started, 3),
    }
