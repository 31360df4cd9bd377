"""The pytest plugin as a user meets it: options, ids, device handling, usage errors, results files."""
import json
import subprocess
import sys

import pytest

SELECT = ["-k", "test_forward and sqrt-"]


def pytest_run(tmp_path, *args):
    """Runs pytest on the installed suite from an unrelated directory, as `pytest --pyargs conformance`."""
    cmd = [sys.executable, "-m", "pytest", "--pyargs", "conformance", "-p", "no:cacheprovider", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)


def _ids(output: str) -> list[str]:
    return sorted(line.strip() for line in output.splitlines() if "::" in line)


@pytest.mark.parametrize("args, message", [
    (["--device", "bogus"], "not a torch device string"),
    (["--device", "cuda:7"], "not available"),
    (["--dtypes", "float99"], "unknown dtype"),
    (["--conformance-profile", "fast"], "unknown profile"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path, args, message):
    proc = pytest_run(tmp_path, *args, "--collect-only", "-q")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert len(err) == 1 and message in err[0] and "conformance" in err[0], err
    assert "Traceback" not in proc.stderr


def test_ids_are_readable_and_collection_is_deterministic(tmp_path):
    first = pytest_run(tmp_path, "--collect-only", "-q", *SELECT)
    second = pytest_run(tmp_path, "--collect-only", "-q", *SELECT)
    assert first.returncode == 0, first.stdout + first.stderr
    ids = _ids(first.stdout)
    assert any(i.endswith("test_forward[sqrt-cpu-float32]") for i in ids), ids
    assert ids == _ids(second.stdout)


def test_dtype_filter_and_family_marker(tmp_path):
    proc = pytest_run(tmp_path, "--collect-only", "-q", "--dtypes", "float16", "-m", "pointwise", *SELECT)
    ids = _ids(proc.stdout)
    assert ids and all(i.endswith("-float16]") for i in ids), ids
    none = pytest_run(tmp_path, "--collect-only", "-q", "-m", "indexing and pointwise", *SELECT)
    assert not _ids(none.stdout)


def test_device_all_shows_absent_cuda_as_skipped(tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the absent-device path cannot be shown")
    proc = pytest_run(tmp_path, "--device", "all", "-q", "-rs", "--dtypes", "float32",
                      "--conformance-profile", "ci", *SELECT)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "sqrt-cuda-float32" in proc.stdout or "CUDA is not available" in proc.stdout
    assert "1 passed, 1 skipped" in proc.stdout
    assert "CUDA is not available on this machine" in proc.stdout


def test_report_dir_gets_results_with_the_documented_fields(tmp_path):
    out = tmp_path / "out"
    proc = pytest_run(tmp_path, "--report-dir", str(out), "--dtypes", "float32,float64",
                      "--conformance-profile", "ci", "-q", *SELECT)
    assert proc.returncode == 0, proc.stdout[-3000:]
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema_version"] == 1
    env = doc["environment"]
    for key in ("python", "torch", "numpy", "hypothesis", "devices", "profile", "seed"):
        assert key in env
    assert env["profile"] == "ci" and env["seed"] == "derandomized"
    recs = {r["nodeid"].split("::")[-1]: r for r in doc["results"]}
    rec = recs["test_forward[sqrt-cpu-float32]"]
    assert rec["outcome"] == "passed" and rec["family"] == "pointwise" and rec["op"] == "sqrt"
    assert rec["dtype"] == "float32" and rec["device"] == "cpu" and rec["duration_s"] > 0
    assert (out / "results.jsonl").exists()


def test_missing_report_parent_is_a_usage_error(tmp_path):
    proc = pytest_run(tmp_path, "--report-dir", str(tmp_path / "no" / "such"), "--collect-only", "-q")
    assert proc.returncode == 2
    assert "parent does not exist" in proc.stdout + proc.stderr
