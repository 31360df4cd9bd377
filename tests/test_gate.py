"""The regression gate on handmade baselines: exit codes and what it prints."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from conformance import cli
from conformance.report import gate

DATA = Path(__file__).parent / "data"
BASELINE = DATA / "gate_baseline.json"


def _gate(baseline, *current):
    out, err = io.StringIO(), io.StringIO()
    code = gate.run_gate(baseline, list(current), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _variant(tmp_path, name, change) -> Path:
    """A copy of the baseline, changed by ``change(doc)``."""
    doc = json.loads(BASELINE.read_text())
    change(doc)
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _rec(doc, op):
    return next(r for r in doc["results"] if f"[{op}-" in r["nodeid"])


def test_identical_runs_pass():
    code, out, err = _gate(BASELINE, BASELINE)
    assert code == 0 and err == ""
    assert "gate: PASS: 0 torch changes (regressions)" in out
    assert "still failing (as in the baseline): 2" in out


def test_new_failure_fails_the_gate():
    code, out, _ = _gate(BASELINE, DATA / "gate_current.json")
    assert code == 1
    head, _, rest = out.partition("REGRESSIONS (torch changes): the same examples passed in the baseline and fail "
                                  "now (1):")
    assert "torch 2.12.0+cpu" in head and "torch 2.13.0+cpu" in head
    assert "conformance.suite.test_catalogue::test_forward[sqrt-cpu-float32]   (baseline: passed)" in rest
    assert "values differ at 3 of 8 elements" in rest  # the message, so the log says why
    # the same output also names the fix, and the cases present in only one file
    assert "fixed: failed in the baseline, pass now (1):" in out and "test_forward[exp-cpu-float32]" in out
    assert "only in the baseline (1):" in out and "test_forward[tanh-cpu-float32]" in out
    assert "only in the current run (1):" in out and "test_forward[cosh-cpu-float32]" in out
    assert out.rstrip().splitlines()[-1].startswith("gate: FAIL: 1 torch change (regressions), 0 support lost")


def test_a_fix_alone_passes(tmp_path):
    current = _variant(tmp_path, "fixed.json", lambda d: _rec(d, "exp").update(outcome="passed", message=None))
    code, out, _ = _gate(BASELINE, current)
    assert code == 0
    assert "fixed: failed in the baseline, pass now (1):" in out
    assert "REGRESSIONS" not in out


def test_a_missing_case_is_reported_but_passes(tmp_path):
    current = _variant(tmp_path, "missing.json",
                       lambda d: d["results"].remove(_rec(d, "tanh")))
    code, out, _ = _gate(BASELINE, current)
    assert code == 0
    assert "only in the baseline (1):\n  passed     conformance.suite.test_catalogue::test_forward[tanh-cpu-float32]" \
        in out


def test_an_error_is_a_regression_and_a_skip_is_not(tmp_path):
    def change(d):
        _rec(d, "sqrt").update(outcome="error", message="worker 'gw1' crashed while running ...")
        _rec(d, "tanh").update(outcome="skipped", message="not on this device")
    code, out, _ = _gate(BASELINE, _variant(tmp_path, "c.json", change))
    assert code == 1
    assert "REGRESSIONS (torch changes): the same examples passed in the baseline and fail now (1):\n  error      " \
        in out
    assert "passed in the baseline, skipped now (1):" in out


def test_a_divergence_that_no_longer_holds_is_a_regression_across_checkouts():
    # gate_divergence_changed.json was run from another directory (its test ids lack conformance/suite/):
    # every case still matches, and the pinned divergence that now fails is caught
    code, out, _ = _gate(BASELINE, DATA / "gate_divergence_changed.json")
    assert code == 1
    assert "test_divergence[floor_divide-int-by-zero-cpu-int64]   (baseline: divergence)" in out
    assert "torch now agrees with NumPy" in out
    assert "6 cases compared" in out


def test_failures_of_new_cases_are_listed_but_not_gated(tmp_path):
    def change(d):
        extra = copy.deepcopy(_rec(d, "tanh"))
        extra["nodeid"] = extra["nodeid"].replace("tanh", "atanh")
        extra.update(op="atanh", outcome="failed", message="atanh: values differ")
        d["results"].append(extra)
    code, out, _ = _gate(BASELINE, _variant(tmp_path, "new.json", change))
    assert code == 0
    assert "new failures not gated (no passing baseline for them) (1):" in out
    assert "atanh: values differ" in out


def test_shards_are_merged_before_gating(tmp_path):
    doc = json.loads((DATA / "gate_current.json").read_text())
    half = len(doc["results"]) // 2
    a, b = copy.deepcopy(doc), copy.deepcopy(doc)
    a["results"], b["results"] = doc["results"][:half], doc["results"][half:]
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    code_split, out_split, _ = _gate(BASELINE, tmp_path / "a.json", tmp_path / "b.json")
    code_whole, out_whole, _ = _gate(BASELINE, DATA / "gate_current.json")
    assert code_split == code_whole == 1
    assert out_split.splitlines()[-1] == out_whole.splitlines()[-1]


@pytest.mark.parametrize("name, text", [
    ("corrupt.json", "not valid JSON"),
    ("wrong_schema.json", "unsupported schema_version 7"),
    ("no-such-file.json", "no such results file"),
])
def test_unusable_files_give_one_line_and_exit_2(name, text, capsys):
    for args in (["gate", "--baseline", str(DATA / name), str(DATA / "gate_current.json")],
                 ["gate", "--baseline", str(BASELINE), str(DATA / name)]):
        assert cli.main(args) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("conformance gate: error: ") and text in lines[0]
        assert name in lines[0]


@pytest.mark.parametrize("content, text", [
    ("[]", "expected a JSON object"),
    ('{"schema_version": 1, "environment": {}}', "missing 'environment' object or 'results' list"),
    ('{"environment": {}, "results": []}', "not a conformance results file"),
    ('{"schema_version": 1, "environment": {}, "results": [{"nodeid": "a"}]}', "results[0] lacks"),
    ('{"schema_version": 1, "environment": {}, "results": [{"nodeid": "a", "family": null, "op": null, '
     '"dtype": null, "device": null, "outcome": "great", "duration_s": 0}]}', "unknown outcome 'great'"),
])
def test_wrong_schema_variants(tmp_path, content, text):
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = _gate(BASELINE, path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and text in err


def test_a_directory_is_not_a_results_file(tmp_path):
    code, _, err = _gate(tmp_path, BASELINE)
    assert code == 2 and "is a directory" in err


def test_files_without_a_common_case_are_an_error():
    code, out, err = _gate(BASELINE, DATA / "merge_gpu_h100.json")
    assert code == 2 and "no test case in common" in err


def test_cases_on_several_gpu_models_pair_by_model(tmp_path):
    """A merged baseline holding the same case on an H100 and an A100 is paired by model."""
    code, out, _ = _gate(DATA / "merge_gpu_h100.json", DATA / "merge_gpu_a100.json")
    assert code == 1  # one runner each: same case ids, paired although the models differ
    merged = tmp_path / "merged"
    assert cli.main(["report", str(DATA / "merge_gpu_h100.json"), str(DATA / "merge_gpu_a100.json"),
                     "-o", str(merged)]) == 0
    code, out, _ = _gate(merged / "results.json", DATA / "merge_gpu_h100.json")
    assert code == 0  # the H100's cases meet the H100's baseline, not the A100's failure
    assert "only in the baseline (2):" in out and "NVIDIA A100" in out
    code, out, _ = _gate(merged / "results.json", merged / "results.json")
    assert code == 0 and "4 cases compared" in out


def test_run_with_a_bad_baseline_stops_before_running(tmp_path, capsys):
    code = cli.main(["run", "--report-dir", str(tmp_path / "r"), "-k", "sqrt", "--baseline",
                     str(DATA / "corrupt.json")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "baseline" in err[0] and "not valid JSON" in err[0]
    assert not (tmp_path / "r").exists()


# ---- what changed: torch, the suite, or support ------------------------------------------------------------

def _with_suite(doc, digest, examples=None):
    doc["environment"]["suite"] = {"version": "0.2.0", "digest": digest}
    for rec in doc["results"]:
        rec["examples_digest"] = examples(rec) if examples else "e-" + rec["nodeid"][-12:]


def test_a_changed_verdict_on_the_same_examples_is_a_torch_change(tmp_path):
    base = _variant(tmp_path, "b.json", lambda d: _with_suite(d, "s1"))

    def change(d):
        _with_suite(d, "s1")
        _rec(d, "sqrt").update(outcome="failed", message="sqrt: values differ")
    code, out, _ = _gate(base, _variant(tmp_path, "c.json", change))
    assert code == 1
    assert "REGRESSIONS (torch changes)" in out and "suite changes (not gated):" not in out


def test_other_examples_are_a_suite_change_not_a_regression(tmp_path):
    base = _variant(tmp_path, "b.json", lambda d: _with_suite(d, "s1"))

    def change(d):
        _with_suite(d, "s1")
        _rec(d, "sqrt").update(outcome="failed", message="sqrt: values differ", examples_digest="other")
    code, out, _ = _gate(base, _variant(tmp_path, "c.json", change))
    assert code == 0, out
    assert "suite changes (not gated)" in out and "test_forward[sqrt-cpu-float32]" in out
    assert "rebuild the baseline" in out
    assert out.rstrip().splitlines()[-1].startswith("gate: PASS: 0 torch changes (regressions), 0 support lost, "
                                                    "0 support gained, 1 suite changes (not gated)")


def test_another_suite_version_is_a_suite_change(tmp_path):
    base = _variant(tmp_path, "b.json", lambda d: _with_suite(d, "s1"))

    def change(d):
        _with_suite(d, "s2")
        _rec(d, "sqrt").update(outcome="failed", message="sqrt: values differ")
    code, out, _ = _gate(base, _variant(tmp_path, "c.json", change))
    assert code == 0 and "1 suite changes" in out


def test_support_lost_fails_and_support_gained_is_reported(tmp_path):
    def change(d):
        _rec(d, "sqrt").update(outcome="unsupported", message="unsupported: torch has no float32 kernel")
    code, out, _ = _gate(BASELINE, _variant(tmp_path, "lost.json", change))
    assert code == 1 and "SUPPORT LOST" in out and "1 support lost" in out
    base = _variant(tmp_path, "base2.json", change)
    code, out, _ = _gate(base, BASELINE)
    assert code == 0 and "support gained" in out and "1 support gained" in out


def test_a_divergence_that_stops_holding_is_named_with_both_behaviours():
    code, out, _ = _gate(BASELINE, DATA / "gate_divergence_changed.json")
    assert "divergences that no longer hold (1):" in out
    assert "floor_divide-int-by-zero" in out and "recorded: torch" in out and "now:" in out


def test_a_form_that_lost_its_kernel_fails_the_gate(tmp_path):
    """A cell that passes in both runs, on the same examples, but whose calls of one form now find no kernel (a
    scalar that promotes to a new dtype without kernels): a support change of that form, gated; the reverse is
    listed as gained and passes."""
    def lose(doc):
        rec = next(r for r in doc["results"] if r["outcome"] == "passed")
        rec["unsupported_forms"] = ["mul_cpu not implemented for BComplex32"]
    lost = _variant(tmp_path, "lost.json", lose)
    code, out, _ = _gate(BASELINE, lost)
    assert code == 1, out
    assert "SUPPORT LOST (forms)" in out and "no kernel now: mul_cpu not implemented for BComplex32" in out
    assert "1 cells with forms lost" in out.splitlines()[-1]
    code, out, _ = _gate(lost, BASELINE)
    assert code == 0, out
    assert "support gained (forms)" in out and "kernel now: mul_cpu not implemented for BComplex32" in out
