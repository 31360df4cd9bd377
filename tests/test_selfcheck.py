"""The mutation self-check: every planted bug is caught, and planting really changes torch."""
import os
import subprocess
import sys

import pytest

from conformance import selfcheck


def test_planted_bugs_are_well_formed():
    names = [b.name for b in selfcheck.bugs()]
    assert len(names) == len(set(names))
    families = {b.family for b in selfcheck.bugs()}
    assert {"pointwise", "indexing", "reductions", "autograd", "modules"} <= families
    for bug in selfcheck.bugs():
        assert bug.select.strip() and bug.description.strip() and bug.target.startswith("torch.")


def test_planting_changes_torch_only_under_its_condition():
    code = (
        "import torch; from conformance import selfcheck\n"
        "x = torch.arange(1., 7.).reshape(2, 3)\n"
        "before_c, before_t = torch.sqrt(x), torch.sqrt(x.t())\n"
        "selfcheck.plant('sqrt-noncontiguous-reads-storage')\n"
        "assert torch.equal(torch.sqrt(x), before_c), 'contiguous input must be unaffected'\n"
        "assert not torch.equal(torch.sqrt(x.t()), before_t), 'non-contiguous input must be wrong'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _sample() -> list[str]:
    """The first planted bug of each family: every family's machinery, in about a minute on 2 cores."""
    first: dict[str, str] = {}
    for b in selfcheck.bugs():
        first.setdefault(b.family, b.name)
    return list(first.values())


@pytest.mark.parametrize("scope", ["sample", "all"])
def test_planted_bugs_are_caught(scope):
    """Runs `conformance selfcheck` over the first planted bug of each family (the project's tests), or over
    every planted bug (some 10 minutes on 2 cores: CONFORMANCE_FULL_SELFCHECK=1, or `conformance selfcheck`)."""
    if scope == "all" and not os.environ.get("CONFORMANCE_FULL_SELFCHECK"):
        pytest.skip("every planted bug: set CONFORMANCE_FULL_SELFCHECK=1 (or run `conformance selfcheck`)")
    names = _sample() if scope == "sample" else []
    workers = str(max(2, os.cpu_count() or 2))
    proc = subprocess.run([sys.executable, "-m", "conformance", "selfcheck", "-n", workers, *names],
                          capture_output=True, text=True)
    n = len(names) or len(selfcheck.bugs())
    assert f"{n} of {n} planted bugs caught" in proc.stdout, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stdout[-6000:]
