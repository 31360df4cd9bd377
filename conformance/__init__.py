"""Property-based conformance suite for PyTorch against NumPy semantics.

Data flows: ``strategies`` make inputs -> the ``catalogue`` says what to run and what to compare
with -> the tests in ``suite`` run it -> ``compare`` judges -> ``results`` are written -> ``report`` reads them.
"""

__version__ = "0.1.0"


#: other plugins' packages whose asserts are internal invariants, not test assertions: no rewriting needed
_NOT_REWRITTEN = ("hypothesis", "_hypothesis_pytestplugin", "_hypothesis_globals", "xdist")


def _rewrite_asserts_of_the_suite_only() -> None:
    """pytest rewrites the asserts of every module of a plugin's distribution, so each pytest process (every
    xdist worker) re-parses and re-compiles this whole package, bypassing its compiled files: about 5 s per
    process on a 2-core machine, and as much again for Hypothesis's 73 modules and xdist's. Only the test
    modules (``conformance.suite``) need rewritten asserts; the rest of the package, Hypothesis and xdist are
    left to the normal import. A no-op when pytest is not importing this package, or when its import hook is
    not the one this knows."""
    import sys

    for hook in sys.meta_path:
        marked = getattr(hook, "_must_rewrite", None)
        if type(hook).__name__ != "AssertionRewritingHook" or not isinstance(marked, set):
            continue
        if __name__ in marked:  # installed from a wheel (an editable install marks nothing of this package)
            marked.discard(__name__)
            marked.add(f"{__name__}.suite")
        marked.difference_update(_NOT_REWRITTEN)
        cache = getattr(hook, "_marked_for_rewrite_cache", None)
        if isinstance(cache, dict):
            cache.clear()


_rewrite_asserts_of_the_suite_only()
