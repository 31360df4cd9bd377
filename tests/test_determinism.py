"""Same versions, same verdict: the ci examples do not depend on how or where the suite is installed.

The built wheel is installed into a folder named ``site-packages`` (Hypothesis treats such code as not local,
as for any wheel install) and run from another working directory; the checkout (an editable install, local code)
is run from here. Both runs of the same selection must draw the same examples (the per-test digests recorded in
results.json) and reach the same outcomes.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
SELECTION = "sqrt- or neg- or cat- or sum-cpu-float32"


def _run(cwd: Path, report: Path, env_extra: dict, plugin_args: list[str]) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", **env_extra}
    env.pop("CONFORMANCE_PLANT", None)
    cmd = [sys.executable, "-m", "pytest", *plugin_args, "--pyargs", "conformance.suite.test_catalogue",
           "-k", SELECTION, "-q", "-p", "no:cacheprovider", "--conformance-profile", "ci",
           f"--report-dir={report}"]
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert (report / "results.json").exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    doc = json.loads((report / "results.json").read_text())
    return {r["nodeid"].split("::", 1)[1]: (r["outcome"], r.get("examples_digest")) for r in doc["results"]}


def _drawn(results: dict) -> dict:
    """The Hypothesis tests that ran (passed, or held their divergence): each has a digest of its examples."""
    return {k: v for k, v in results.items() if k.startswith(("test_forward[", "test_out[")) and
            v[0] in ("passed", "divergence")}


def test_wheel_and_checkout_draw_the_same_examples(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), str(ROOT)], check=True, capture_output=True, timeout=600)
    wheel = next(wheels.glob("*.whl"))
    site = tmp_path / "other" / "lib" / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # the installed copy alone: entry-point plugins off, so that the checkout's own registration is not loaded
    installed = _run(elsewhere, tmp_path / "installed", {"PYTHONPATH": str(site), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
                     ["-p", "_hypothesis_pytestplugin", "-p", "conformance.plugin"])
    checkout = _run(ROOT, tmp_path / "checkout", {}, [])
    assert installed and set(installed) == set(checkout)
    drawn = _drawn(checkout)
    assert drawn and all(digest for _, digest in drawn.values()), "every test that drew records its digest"
    differ = {k: (installed[k], checkout[k]) for k in checkout if installed[k] != checkout[k]}
    assert not differ, differ
