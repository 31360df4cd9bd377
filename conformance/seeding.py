"""Same versions, same examples: what a test draws depends only on its id, the suite and Hypothesis.

Under the ``ci`` profile every Hypothesis test of the suite is seeded from its test id (module path inside the
package, test name, parameters), the suite's version and Hypothesis' version — not from the install path, the
rootdir, the working directory, the worker count or the order tests run in. Two more sources of drift are closed
here, for every profile:

* Hypothesis (6.13x and later) mixes literal constants mined from *local* modules (any module not under
  ``site-packages``) into what it draws, and the set grows as modules are imported: an editable install of the
  suite would feed its own literals into generation and a wheel install would not. :func:`no_local_constants`
  turns that off (the global constants Hypothesis ships stay).
* Each drawn example is folded into a digest per test (:class:`Digest`), recorded in ``results.json``, so two
  runs can be shown to have drawn the same examples, and the gate tells a torch change (same examples, another
  verdict) from a suite change (other examples).
"""
from __future__ import annotations

import hashlib

import conformance


def test_id(node) -> str:
    """A test's id without any path: ``conformance.suite.test_x::test_y[params]``, from its module's name and
    the node id after the path (which pytest leaves empty for a module outside the rootdir, as for a wheel
    install run from elsewhere)."""
    module = getattr(getattr(node, "module", None), "__name__", None)
    path, _, rest = node.nodeid.partition("::")
    if module is None:
        module = path.replace("\\", "/").removesuffix(".py")
        if "conformance/suite/" in module:
            module = "conformance/suite/" + module.split("conformance/suite/", 1)[1]
        module = module.replace("/", ".")
    return module + "::" + rest


def seed_of(name: str) -> int:
    """The seed of a test (or a group run) under ``ci``."""
    import hypothesis

    return seed_for(f"{name}|conformance {conformance.__version__}|hypothesis {hypothesis.__version__}")


def seed_for(name: str) -> int:
    """A seed from a stable name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


def no_local_constants() -> bool:
    """Stops Hypothesis from drawing constants found in local modules; returns whether it could (the hook is
    internal to Hypothesis: on a version without it there is nothing to turn off)."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without providers
        return False
    empty = getattr(providers, "_local_constants", None)
    if empty is None or not hasattr(providers, "_get_local_constants"):
        return False
    cls = type(empty)
    try:
        nothing = cls()
    except TypeError:
        nothing = empty
    providers._get_local_constants = lambda: nothing
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if cache is not None and hasattr(cache, "cache"):
        cache.cache.clear()
    return True


class Digest:
    """A running digest of the examples a test drew (their ``repr``, in order)."""

    def __init__(self):
        self._h = hashlib.sha256()
        self.count = 0

    def add(self, *values) -> None:
        for v in values:
            self._h.update(repr(v).encode())
            self._h.update(b"\x00")
        self.count += 1

    def hexdigest(self) -> str | None:
        return self._h.hexdigest()[:16] if self.count else None


def suite_digest() -> str:
    """A digest of the suite's own code (every module of the package): two runs with the same digest ran the
    same strategies, references, catalogue and bounds, whatever the version number says."""
    from pathlib import Path

    root = Path(conformance.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\x00")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
