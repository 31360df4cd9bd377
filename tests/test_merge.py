"""Merging runs from several runners (a CPU runner, GPU runners of different models, shards of one run)."""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance import cli
from conformance import results as R
from conformance.report import merge

DATA = Path(__file__).parent / "data"
INPUTS = [DATA / f"{n}.json" for n in ("merge_cpu", "merge_gpu_h100", "merge_gpu_a100", "merge_shard")]


def _merged():
    return merge.merge(merge.load(INPUTS))


def test_each_device_and_torch_version_is_its_own_column_set():
    m = _merged()
    labels = [c.label for c in m.columns]
    assert labels == ["cpu (AMD EPYC 7B13 / Intel Xeon Platinum) · torch 2.13.0+cpu",
                      "cuda (NVIDIA H100 80GB HBM3) · torch 2.13.0+cu128",
                      "cuda (NVIDIA A100-SXM4-40GB) · torch 2.13.0+cu128"]
    # the CPU runner's skipped "cuda" cases carry nothing once a GPU runner tested cuda
    assert m.dropped == 1
    by_col = {}
    for r in m.records:
        by_col.setdefault(r["_col"], []).append((r["nodeid"].split("[")[1], r["outcome"]))
    assert sorted(by_col[1]) == [("sqrt-cuda-float32]", "passed"), ("sqrt-cuda-float64]", "passed")]
    assert sorted(by_col[2]) == [("sqrt-cuda-float32]", "failed"), ("sqrt-cuda-float64]", "passed")]


def test_conflicting_duplicates_are_reported_not_dropped():
    m = _merged()
    assert m.duplicates == 1  # sqrt-cpu-float64 passed in both CPU inputs: counted once
    assert len(m.conflicts) == 1
    c = m.conflicts[0]
    assert c["key"] == "conformance.suite.test_catalogue::test_forward[sqrt-cpu-float32]"
    assert sorted((r["outcome"], m.runs[r["_run"]].path.split("/")[-1]) for r in c["records"]) == \
        [("failed", "merge_shard.json"), ("passed", "merge_cpu.json")]
    shown = [r for r in m.records if r["nodeid"].endswith("[sqrt-cpu-float32]")]
    assert len(shown) == 1 and shown[0]["outcome"] == "failed" and shown[0]["_conflict"]


def test_merged_document_keeps_every_record_and_validates(tmp_path):
    doc = merge.as_document(_merged())
    R.validate(doc)
    assert len(doc["runs"]) == 4 and doc["environment"]["merged_runs"] == 4
    # both sides of the conflict are kept; the identical duplicate once; the absent device's record dropped
    assert len(doc["results"]) == 8
    assert sorted(r["outcome"] for r in doc["results"] if r["nodeid"].endswith("[sqrt-cpu-float32]")) == \
        ["failed", "passed"]
    # a merged file merges again into the same columns (runs are recovered from "runs" and "run")
    path = tmp_path / "merged.json"
    R.write(path, doc["environment"], doc["results"], doc["divergences"], runs=doc["runs"])
    again = merge.merge(merge.load([path]))
    assert [c.label for c in again.columns] == [c.label for c in _merged().columns]
    assert len(again.conflicts) == 1


def test_report_command_merges_and_says_so(tmp_path, capsys):
    out = tmp_path / "site"
    assert cli.main(["report", *map(str, INPUTS), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "4 runs, 3 device column sets" in text
    assert "1 conflicting duplicates" in text and "passed in" in text and "failed in" in text
    page = (out / "index.html").read_text()
    assert page.count('<div class="grid" data-c=') == 3
    assert "Conflicting results (1)" in page
    assert "NVIDIA H100 80GB HBM3" in page and "NVIDIA A100-SXM4-40GB" in page
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert len(suites) == 3
    gpu = {p.get("name"): p.get("value") for p in suites[1].find("properties")}
    assert gpu["device_name"] == "NVIDIA H100 80GB HBM3" and gpu["torch_cuda"] == "12.8"
    R.read(out / "results.json")


def test_shards_of_one_run_form_one_column_set(tmp_path):
    """One CI job per family: the artifacts merge into the same grid, without conflicts."""
    doc = json.loads((DATA / "small_results.json").read_text())
    shards = []
    for fam in ("pointwise", "reductions"):
        shard = copy.deepcopy(doc)
        shard["results"] = [r for r in doc["results"] if r["family"] == fam]
        path = tmp_path / f"{fam}.json"
        path.write_text(json.dumps(shard))
        shards.append(path)
    m = merge.merge(merge.load(shards))
    whole = merge.merge(merge.load([DATA / "small_results.json"]))
    assert [c.label for c in m.columns] == [c.label for c in whole.columns]
    assert not m.conflicts and m.duplicates == 0
    assert sorted(r["nodeid"] for r in m.records) == sorted(r["nodeid"] for r in whole.records)


def test_unreadable_input_is_one_line(tmp_path, capsys):
    assert cli.main(["report", str(DATA / "merge_cpu.json"), str(DATA / "corrupt.json"), "-o",
                     str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "corrupt.json: not valid JSON" in err[0]
