"""index.html and junit.xml from a small known results file; the page's weight at 10,000 records; and a real
(one-test) `conformance run` writing all of them."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance import results as R
from conformance.report import write_reports

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small_results.json"


class _Page(HTMLParser):
    """Collects what the checks need: tags with attributes, matrix cells, script blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.cells: dict[tuple, tuple] = {}
        self.scripts: list[tuple[dict, str]] = []
        self._grid = self._op = self._cell = self._script = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "div" and "grid" in (a.get("class") or "").split():
            self._grid = a["data-c"]
        elif tag == "tr" and "data-op" in a:
            self._op = a["data-op"]
        elif tag == "td" and "cell" in (a.get("class") or "").split():
            self._cell, self._text = a, ""
        elif tag == "script":
            self._script, self._text = a, ""

    def handle_data(self, data):
        if self._cell is not None or self._script is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            status = self._cell["class"].split()[1]
            self.cells[(self._grid, self._op, self._cell["data-d"])] = (self._text, status)
            self._cell = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script, self._text))
            self._script = None


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    written = write_reports([SMALL], out)
    text = (out / "index.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return out, text, page, written


def test_writes_page_junit_and_the_results_they_show(small, tmp_path):
    out, _, _, written = small
    assert sorted(p.name for p in written["paths"]) == ["index.html", "junit.xml", "results.json"]
    assert R.read(out / "results.json")["results"] == R.read(SMALL)["results"]
    # an input is never written over
    (tmp_path / "results.json").write_bytes(SMALL.read_bytes())
    written = write_reports([tmp_path / "results.json"], tmp_path)
    assert sorted(p.name for p in written["paths"]) == ["index.html", "junit.xml"]
    assert (tmp_path / "results.json").read_bytes() == SMALL.read_bytes()


def test_page_is_self_contained(small):
    _, text, page, _ = small
    for tag, attrs in page.tags:
        assert "src" not in attrs or attrs["src"].startswith("data:"), (tag, attrs)
        if tag == "link":
            assert attrs.get("href", "").startswith("data:"), attrs
    assert "@import" not in text and "url(http" not in text
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    # the page's script runs under the policy: its hash is the one allowed
    code = next(body for attrs, body in page.scripts if "type" not in attrs)
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_strings_from_tests_are_escaped(small):
    _, text, page, _ = small
    assert text.count("<script") == 2  # the data block and the page's own script, nothing from the results
    assert "<script>alert(" not in text and "<b>bold</b>" not in text and "<i>more</i>" not in text
    assert "test_sum_keepdim[&lt;script&gt;alert(1)&lt;/script&gt;-cpu-float32]" in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;more&lt;/i&gt;" in text
    assert 'href="javascript:' not in text  # a reference that is not http(s) is shown as text
    data_attrs, data = next((a, b) for a, b in page.scripts if a.get("type") == "application/json")
    assert "</" not in data and "<!--" not in data
    doc = json.loads(data)
    assert len(doc["records"]) == 13
    assert "test_sum_keepdim[<script>alert(1)</script>-cpu-float32]" in [r[0] for r in doc["records"]]


def test_header_has_the_run_facts(small):
    _, text, _, _ = small
    for fact in ("2026-11-20T10:00:00+00:00", "12 min 30 s", "ci, derandomized", "2.13.0+cpu",
                 "git cf30153c4c13, no CUDA", "3.11.7", "2.4.6", "6.170.17", "cpu: AMD EPYC 7B13",
                 "cuda: absent (CUDA is not available on this machine)"):
        assert fact in text, fact


def test_matrix_cells_and_counts(small):
    _, text, page, _ = small
    cells = page.cells
    assert cells[("0", "sqrt", "float16")] == ("1/2", "s-failed")
    assert cells[("0", "sqrt", "float64")] == ("2", "s-passed")
    assert cells[("0", "floor_divide", "int64")] == ("2", "s-divergence")
    assert cells[("0", "floor_divide", "int32")] == ("1", "s-skipped")
    assert cells[("0", "sum", "float32")] == ("1/1", "s-error")
    assert cells[("0", "sum", "bool")] == ("1/1", "s-failed")
    assert cells[("0", "sum", "int64")] == ("", "s-na")
    assert cells[("1", "sqrt", "float32")] == ("1", "s-skipped")  # the cuda cases of a CPU-only runner
    grid0 = text[text.index('<div class="grid" data-c="0">'):text.index('<div class="grid" data-c="1">')]
    counts = dict(re.findall(r'data-outcome="(\w+)">[^<]*<b>(\d+)</b>', grid0))
    assert counts == {"failed": "2", "error": "1", "divergence": "1", "passed": "7", "unsupported": "0",
                      "skipped": "1"}
    # families group the rows, in the catalogue's family order
    assert grid0.index('data-family="pointwise"') < grid0.index('data-family="reductions"')


def test_failures_carry_message_inputs_repro_and_rerun(small):
    _, text, _, _ = small
    section = text[text.index('<section id="failures">'):text.index('<section id="divergences">')]
    assert section.count('<details class="failure"') == 3
    assert "values differ at 1 of 2 elements" in section
    assert "Falsifying example: test_forward(" in section
    assert "x0: shape=(2,) dtype=float16 layout=contiguous" in section
    assert 'class="repro"' in section and "np.testing.assert_array_equal(a, expected)" in section
    assert "# &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in section
    assert "python -m pytest -p no:cacheprovider --pyargs conformance.suite.test_catalogue -k " \
           "&#39;test_forward[sqrt-cpu-float16]&#39; --device cpu --conformance-profile ci" in section
    assert section.count('class="copy"') == 4  # repro + rerun of the first; rerun of the others


def test_divergence_catalogue_status(small):
    _, text, _, _ = small
    rows = dict(re.findall(r'<tr data-divergence="([^"]+)".*?<td class="dstatus d-([\w-]+)"', text, re.S))
    assert rows == {"floor_divide-int-by-zero": "diverging", "sum-bool-dtype": "now-agrees",
                    "matmul-bool-unsupported": "not-run"}
    assert "1 generated case fell under it" in text


def test_junit_xml(small):
    out, _, _, _ = small
    root = ET.parse(out / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("13", "2", "1", "2")
    cpu = root.findall("testsuite")[0]
    props = {p.get("name"): p.get("value") for p in cpu.find("properties")}
    for key in ("torch", "torch_git", "numpy", "hypothesis", "python", "profile", "seed", "device.cpu"):
        assert props[key], key
    cases = {c.get("name"): c for c in cpu.findall("testcase")}
    failed = cases["test_forward[sqrt-cpu-float16]"].find("failure")
    assert failed.get("message").startswith("sqrt [cpu, float16]: values differ")
    assert "standalone reproduction" in failed.text and "rerun: python -m pytest" in failed.text
    assert cases["test_sum_keepdim[<script>alert(1)</script>-cpu-float32]"].find("error") is not None
    assert "still holds" in cases["test_divergence[floor_divide-int-by-zero-cpu-int64]"].find("system-out").text
    assert cases["test_forward[floor_divide-cpu-int32]"].find("skipped") is not None


def test_junit_survives_characters_xml_cannot_hold(tmp_path):
    doc = json.loads(SMALL.read_text())
    doc["results"][4]["message"] = "colour \x1b[31mred\x1b[0m and a NUL \x00 here"
    (tmp_path / "r.json").write_text(json.dumps(doc))
    write_reports([tmp_path / "r.json"], tmp_path)
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert "red" in root.find(".//failure").get("message")


def test_ten_thousand_records_stay_light(tmp_path):
    doc = json.loads(SMALL.read_text())
    template = doc["results"]
    records = []
    ops = [f"op{i:03d}" for i in range(120)]
    dts = ["bool", "int32", "int64", "float16", "float32", "float64", "complex64"]
    for i in range(10_000):
        r = copy.deepcopy(template[4] if i % 200 == 0 else template[0])  # 50 failures with repro
        op, dt, test = ops[i % 120], dts[(i // 120) % 7], f"test_t{i // 840}"
        r.update(nodeid=f"conformance/suite/test_catalogue.py::{test}[{op}-cpu-{dt}]", op=op, dtype=dt, test=test,
                 family=("pointwise", "reductions", "linalg")[i % 3], duration_s=(i % 97) / 10)
        records.append(r)
    doc["results"] = records
    (tmp_path / "big.json").write_text(json.dumps(doc))
    t0 = time.perf_counter()
    write_reports([tmp_path / "big.json"], tmp_path / "out")
    elapsed = time.perf_counter() - t0
    size = (tmp_path / "out" / "index.html").stat().st_size
    assert size < 3_000_000, size
    assert elapsed < 20, elapsed


def test_conformance_run_writes_results_page_junit_and_gates(tmp_path):
    """A real one-test run: results.json, results.jsonl, index.html, junit.xml, then the gate."""
    nodeid = "conformance/suite/test_catalogue.py::test_forward[sqrt-cpu-float32]"
    base = json.loads((DATA / "gate_baseline.json").read_text())
    base["results"] = [dict(base["results"][0], nodeid=nodeid, outcome="failed")]  # nothing to regress from
    (tmp_path / "baseline.json").write_text(json.dumps(base))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CONFORMANCE_"))}
    proc = subprocess.run([sys.executable, "-m", "conformance", "run", "--report-dir", str(tmp_path / "r"),
                           "-k", "test_forward and sqrt-cpu-float32", "--baseline", str(tmp_path / "baseline.json")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "gate: PASS" in proc.stdout
    r = tmp_path / "r"
    doc = R.read(r / "results.json")
    assert [x["nodeid"] for x in doc["results"]] == [nodeid]  # the same id whatever the working directory
    rec = doc["results"][0]
    assert rec["module"] == "conformance.suite.test_catalogue"
    assert "--pyargs conformance.suite.test_catalogue -k 'test_forward[sqrt-cpu-float32]' --device cpu" in rec["rerun"]
    assert doc["environment"]["timeout_s"] == 300
    lines = [json.loads(line) for line in (r / "results.jsonl").read_text().splitlines()]
    assert lines[0]["stream"] == 1 and lines[1]["event"] == "start" and lines[2]["nodeid"] == nodeid
    assert "test_forward[sqrt-cpu-float32]" in (r / "index.html").read_text()
    assert ET.parse(r / "junit.xml").getroot().get("tests") == "1"
