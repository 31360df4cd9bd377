"""Which dtypes an op supports on a device, found by trying (as OpInfo's ``test_dtypes`` does).

The suite runs every op on every dtype torch has. When torch raises on a sample where NumPy computes a result, the
generic test asks :func:`decide` whether that cell is supported at all: the op is tried on a few other inputs of
the same dtype (drawn from the op's own strategy with fixed seeds, so the answer is the same on every run and
every worker). If torch raises on every one of them, the cell is **unsupported** — a result in its own right,
shown in the matrix and compared by the gate — and the test is skipped with that reason; if torch succeeds on
any of them, the dtype is supported and the sample it failed on is a finding (the test fails, and shrinks).
If NumPy raises on every probe too, neither library computes the op for that dtype: the cell is
``unsupported`` as well, with that reason.

The answers are kept per process, keyed by op, device type and dtype, so the other generic tests of the same cell
do not probe again.
"""
from __future__ import annotations

import random
import warnings

import re


#: probes per cell: inputs drawn from the op's strategy with these seeds (ordinary values, contiguous)
PROBES = 6
#: the prefix of a skip reason that marks an unsupported cell (the plugin records the outcome from it)
UNSUPPORTED = "unsupported: "

_DECIDED: dict[tuple, tuple[bool, str]] = {}


def draw(strategy, seed: int):
    """One value of ``strategy``, the same for the same seed (outside Hypothesis' search: no shrinking)."""
    from hypothesis.control import BuildContext
    from hypothesis.errors import StopTest
    from hypothesis.internal.conjecture.data import ConjectureData

    data = ConjectureData(random=random.Random(seed))
    try:
        with BuildContext(data, wrapped_test=draw):
            return data.draw(strategy)
    except StopTest:  # the strategy needed more choices than a fresh draw allows, or filtered everything
        return None


def probe_samples(op, dtype: str, count: int = PROBES):
    """Deterministic, non-empty samples of the op's strategy for ``dtype`` (ordinary fill, contiguous)."""
    found = []
    for seed in range(4 * count):
        case = draw(op.cell_strategy(dtype), 1000 + seed)
        if case is None:
            continue
        sample = case.sample("ordinary", 0)
        if sample.arrays and all(a.size > 0 for a in sample.arrays):
            found.append(sample)
        if len(found) >= count:
            break
    return found


def _numpy_computes(op, sample) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            op.reference(sample)
        return True
    except Exception:  # noqa: BLE001
        return False


#: torch's message for a kernel its dispatch has no instance of for a dtype: ``"add_stub" not implemented for
#: 'UInt16'`` (AT_DISPATCH): an explicit "not supported", not a wrong result
_MISSING = re.compile(r"""["']?(\w+)["']? not implemented for ['"](\w+)['"]""")


class PartialSupport(Exception):
    """torch has no kernel for this dtype on this form of the call (while it has one for other forms): a
    support fact about the cell, recorded with its result, not a conformance failure."""

    def __init__(self, form: str):
        super().__init__(form)
        self.form = form


def missing_kernel(exc: BaseException | None) -> str | None:
    """The missing kernel an exception names (``"add_stub" not implemented for 'UInt16'``), else None."""
    if not isinstance(exc, (NotImplementedError, RuntimeError)):
        return None
    found = _MISSING.search(str(exc))
    return f"{found.group(1)} not implemented for {found.group(2)}" if found else None


def _key(op, device, dtype):
    return (op.name, str(device).partition(":")[0], dtype)


def known(op, device: str, dtype: str):
    """``(supported, reason)`` if this cell was decided in this process, else None."""
    return _DECIDED.get(_key(op, device, dtype))


def decide(op, device: str, dtype: str, exc: BaseException | None) -> tuple[bool, str]:
    """Whether torch supports ``op`` on ``dtype`` on ``device`` at all; ``exc`` is what it raised on the sample
    that asked (None: asked before any sample). Returns ``(supported, reason)``."""
    key = _key(op, device, dtype)
    if key in _DECIDED:
        return _DECIDED[key]
    torch_ok = numpy_ok = False
    for sample in probe_samples(op, dtype):
        args, kwargs, _ = sample.torch_inputs(device)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                op.call(args, kwargs)
            torch_ok = True
            break
        except Exception as probe_exc:  # noqa: BLE001
            exc = exc if exc is not None else probe_exc
            numpy_ok = numpy_ok or _numpy_computes(op, sample)
    first = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}" if exc is not None else ""
    if torch_ok:
        found = (True, "")
    elif numpy_ok:
        found = (False, f"torch has no {dtype} kernel for {op.name} on {key[1]} (NumPy computes it): {first}")
    else:
        found = (False, f"neither torch nor NumPy computes {op.name} for {dtype}: {first}")
    _DECIDED[key] = found
    return found


def skip_if_known_unsupported(op, device: str, dtype: str) -> None:
    """Skips at once a test of a cell that torch does not support: decided now, by the probes, if this process
    has not decided it yet, so that a cell's verdict never depends on which tests ran before it on the same
    worker (a test whose few examples happen not to reach the kernel would pass where another worker skips)."""
    found = known(op, device, dtype)
    if found is None:
        found = decide(op, device, dtype, None)
    if not found[0]:
        import pytest

        pytest.skip(UNSUPPORTED + found[1])


def skip_if_unsupported(op, device: str, dtype: str, exc: BaseException) -> None:
    """Skips the running test with an ``unsupported`` reason when the cell is not supported; returns otherwise
    (the caller then reports the sample as a failure)."""
    import pytest

    supported, reason = decide(op, device, dtype, exc)
    if not supported:
        pytest.skip(UNSUPPORTED + reason)
    form = missing_kernel(exc)
    if form is not None:
        raise PartialSupport(form)

