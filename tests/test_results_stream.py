"""Results that survive trouble: the stream, a killed xdist worker, the per-test time limit, an interrupted run,
and rebuilding results.json from the stream of a run that was killed outright."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conformance import cli
from conformance import results as R

DATA = Path(__file__).parent / "data"

# A fake conformance suite (it opts in with CONFORMANCE_SUITE = True). Its crashing test kills its own xdist
# worker only when that worker belongs to the run started by these tests (FAKE_SUITE_RUN is set).
FAKE_SUITE = textwrap.dedent('''
    import os
    import signal
    import time

    import pytest
    from hypothesis import given, strategies as st

    CONFORMANCE_SUITE = True
    pytestmark = pytest.mark.pointwise


    @pytest.mark.op("fake_ok")
    @pytest.mark.parametrize("n", range(4))
    def test_ok(n, device):
        pass


    @pytest.mark.op("fake_fail")
    def test_fail(device):
        assert False, "a <b>bold</b> failure"


    @pytest.mark.op("fake_crash")
    def test_crash(device):
        if os.environ.get("FAKE_SUITE_RUN") == "1" and os.environ.get("PYTEST_XDIST_WORKER"):
            os.kill(os.getpid(), signal.SIGKILL)


    @pytest.mark.op("fake_hang")
    @given(x=st.integers())
    def test_hang(device, x):
        time.sleep(60)


    @pytest.mark.op("fake_stuck")
    def test_stuck(device):
        if os.environ.get("FAKE_SUITE_RUN") == "1":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as if stuck inside a C call
            time.sleep(60)


    @pytest.mark.op("fake_slow")
    def test_slow(device):
        marker = os.environ.get("FAKE_SUITE_MARKER")
        if marker:
            with open(marker, "w") as fh:
                fh.write("started")
            time.sleep(60)
''')


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CONFORMANCE_"))}
    env.update(FAKE_SUITE_RUN="1", **extra)
    return env


def _pytest(tmp_path: Path, *args) -> list[str]:
    return [sys.executable, "-m", "pytest", str(tmp_path / "test_fake_suite.py"), "-p", "no:cacheprovider", "-q",
            "--conformance-profile", "ci", "--report-dir", str(tmp_path / "reports"), *args]


def _by_test(doc) -> dict:
    return {r["nodeid"].split("::")[-1]: r for r in doc["results"]}


def test_killed_worker_timeouts_and_failures_are_all_recorded(tmp_path):
    """-n 2: one test SIGKILLs its worker, one hangs in Python, one hangs where SIGALRM cannot reach it."""
    (tmp_path / "test_fake_suite.py").write_text(FAKE_SUITE)
    proc = subprocess.run(_pytest(tmp_path, "-n", "2", "--conformance-timeout", "1.5", "-k", "not test_slow"),
                          cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    doc = R.read(tmp_path / "reports" / "results.json")
    got = _by_test(doc)
    assert sorted(got) == sorted([f"test_ok[cpu-{n}]" for n in range(4)] + [
        "test_fail[cpu]", "test_crash[cpu]", "test_hang[cpu]", "test_stuck[cpu]"])
    for n in range(4):
        assert got[f"test_ok[cpu-{n}]"]["outcome"] == "passed"
    assert got["test_fail[cpu]"]["outcome"] == "failed"
    assert "a <b>bold</b> failure" in got["test_fail[cpu]"]["message"]
    crash = got["test_crash[cpu]"]
    assert crash["outcome"] == "error"
    assert "crashed while running" in crash["message"] and "worker process died" in crash["message"]
    # the metadata of the crashed test came from its setup report, before the worker died
    assert (crash["op"], crash["family"], crash["device"]) == ("fake_crash", "pointwise", "cpu")
    hang = got["test_hang[cpu]"]
    assert hang["outcome"] == "error"
    assert "per-test time limit" in hang["message"]
    assert hang["duration_s"] < 30  # stopped, not shrunk by Hypothesis
    stuck = got["test_stuck[cpu]"]
    assert stuck["outcome"] == "error"
    assert "time limit of 1.5 s" in stuck["message"] and "killed with its worker" in stuck["message"]
    assert doc["environment"]["timeout_s"] == 1.5
    assert doc["environment"]["interrupted"] is False
    # the stream holds the same, line by line
    stream = R.read_stream(tmp_path / "reports" / "results.jsonl")
    assert {r["nodeid"]: r["outcome"] for r in stream} == {r["nodeid"]: r["outcome"] for r in doc["results"]}


def test_sigterm_mid_run_still_writes_results(tmp_path):
    (tmp_path / "test_fake_suite.py").write_text(FAKE_SUITE)
    marker = tmp_path / "started"
    proc = subprocess.Popen(_pytest(tmp_path, "-k", "test_ok or test_slow"), cwd=tmp_path,
                            env=_env(FAKE_SUITE_MARKER=str(marker)), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 120
        while not marker.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), "the slow test never started"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 2, out[-3000:]  # pytest's "interrupted"
    doc = R.read(tmp_path / "reports" / "results.json")
    got = _by_test(doc)
    assert doc["environment"]["interrupted"] is True
    assert [got[f"test_ok[cpu-{n}]"]["outcome"] for n in range(4)] == ["passed"] * 4
    assert got["test_slow[cpu]"]["outcome"] == "error"
    assert got["test_slow[cpu]"]["message"].startswith("did not finish")
    assert got["test_slow[cpu]"]["op"] == "fake_slow"


def test_stream_of_a_killed_run_is_rebuilt(tmp_path, capsys):
    doc = R.read(DATA / "killed_run.jsonl")  # results.read rebuilds a stream
    got = {r["nodeid"].split("::")[-1]: r for r in doc["results"]}
    assert {k: r["outcome"] for k, r in got.items()} == {
        "test_forward[sqrt-cpu-float32]": "passed", "test_forward[sqrt-cpu-float64]": "failed",
        "test_forward[exp-cpu-float32]": "error"}  # started, never finished; the torn last line is ignored
    assert got["test_forward[exp-cpu-float32]"]["message"].startswith("did not finish")
    assert got["test_forward[exp-cpu-float32]"]["op"] == "exp"
    assert doc["environment"]["rebuilt_from_stream"] is True
    assert doc["divergences"][0]["id"] == "floor_divide-int-by-zero"

    code = cli.main(["report", str(DATA / "killed_run.jsonl"), "-o", str(tmp_path / "out")])
    assert code == 0
    rebuilt = R.read(tmp_path / "out" / "results.json")
    assert len(rebuilt["results"]) == 3
    assert (tmp_path / "out" / "index.html").exists() and (tmp_path / "out" / "junit.xml").exists()
    assert "rebuilt from the results stream" in (tmp_path / "out" / "index.html").read_text()


def test_stream_writer_and_reader(tmp_path):
    w = R.StreamWriter(tmp_path, header={"environment": {"torch": "x"}, "divergences": []})
    rec = {"nodeid": "m.py::t[a-cpu-float32]", "test": "t", "family": None, "op": "a", "dtype": "float32",
           "device": "cpu", "outcome": "failed", "duration_s": 0.1}
    w.start(rec["nodeid"], op="a")
    w.append(rec)
    w.start(rec["nodeid"], op="a")  # run again (a restarted worker): the first outcome no longer counts
    w.append(dict(rec, outcome="passed"))
    w.start("m.py::t[b-cpu-int64]", op="b", family="pointwise")
    w.close()
    w.append(rec)  # after close: ignored, no exception
    got = {r["nodeid"]: r for r in R.read_stream(tmp_path / "results.jsonl")}
    assert got["m.py::t[a-cpu-float32]"]["outcome"] == "passed"
    unfinished = got["m.py::t[b-cpu-int64]"]
    assert (unfinished["outcome"], unfinished["op"], unfinished["family"], unfinished["dtype"]) == \
        ("error", "b", "pointwise", "int64")
    R.validate(R.load_stream(tmp_path / "results.jsonl"))


def test_stream_without_header_is_refused(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text('{"nodeid": "a", "outcome": "passed"}\n')
    with pytest.raises(R.ResultsError, match="not a results stream"):
        R.read(path)


def test_case_identity_ignores_the_checkout_directory():
    a = {"nodeid": "conformance/suite/test_catalogue.py::test_forward[sqrt-cpu-float32]"}
    b = {"nodeid": "test_catalogue.py::test_forward[sqrt-cpu-float32]"}
    c = {"nodeid": "/home/ci/src/conformance/suite/test_catalogue.py::test_forward[sqrt-cpu-float32]"}
    d = {"nodeid": "whatever.py::test_forward[sqrt-cpu-float32]", "module": "conformance.suite.test_catalogue"}
    assert R.case_key(a) == R.case_key(b) == R.case_key(c) == R.case_key(d) == \
        "conformance.suite.test_catalogue::test_forward[sqrt-cpu-float32]"
    assert R.parse_nodeid("x.py::test_divergence[floor_divide-int-by-zero-cuda:1-int64]") == {
        "test": "test_divergence", "family": None, "op": "floor_divide-int-by-zero", "dtype": "int64",
        "device": "cuda:1"}
