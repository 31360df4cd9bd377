"""The command line: exit codes, one-line usage errors, list output, and a real (tiny) run."""
import json
import os
import subprocess
import sys

import pytest

from conformance import cli


@pytest.mark.parametrize("argv, message", [
    (["run", "--device", "nope"], "not a torch device string"),
    (["run", "--device", "cuda"], "not available"),
    (["run", "--profile", "fast"], "unknown profile"),
    (["run", "--dtypes", "float8"], "unknown dtype"),
    (["run", "--family", "algebra"], "unknown family"),
    (["run", "-n", "zero"], "-n takes a positive number"),
    (["run", "--report-dir", "/no/such/parent/reports"], "parent does not exist"),
    (["list", "--family", "algebra"], "unknown family"),
    (["selfcheck", "no-such-bug"], "unknown planted bug"),
    (["frobnicate"], "invalid choice"),
    ([], "required"),
])
def test_usage_errors(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("conformance: error:") and message in err[0], err


def test_list_prints_the_catalogue(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "sqrt" in out and "pointwise" in out and " ops, each on every dtype torch has" in out


def test_list_divergences_prints_each_with_its_source(capsys):
    from conformance import catalogue

    assert cli.main(["list", "--divergences"]) == 0
    out = capsys.readouterr().out
    for div in catalogue.divergences():
        assert div.id in out and div.reference in out


def _run(tmp_path, *args, env=None):
    cmd = [sys.executable, "-m", "conformance", "run", "--report-dir", str(tmp_path / "r"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, env={**os.environ, **(env or {})})


def test_run_writes_results_and_exits_0(tmp_path):
    proc = _run(tmp_path, "-k", "test_forward and sqrt-", "--dtypes", "float32")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    assert [r["outcome"] for r in doc["results"]] == ["passed"]


def test_run_exits_1_on_a_failure_and_records_the_repro(tmp_path):
    proc = _run(tmp_path, "-k", "test_forward and sqrt-", "--dtypes", "float32",
                env={"CONFORMANCE_PLANT": "sqrt-noncontiguous-reads-storage"})
    assert proc.returncode == 1, proc.stdout[-2000:]
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    (rec,) = doc["results"]
    assert rec["outcome"] == "failed"
    assert "import torch" in rec["repro"] and "layout" in rec["inputs"]
    assert "Falsifying example" in (rec["falsifying_example"] or "") or rec["message"]


def test_python_dash_m_matches_the_script(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "conformance", "list"], capture_output=True, text=True)
    assert proc.returncode == 0 and "sqrt" in proc.stdout
