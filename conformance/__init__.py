"""Property-based conformance suite for PyTorch against NumPy semantics.

Data flows: ``strategies`` make inputs -> the ``catalogue`` says what to run and what to compare
with -> the tests in ``suite`` run it -> ``compare`` judges -> ``results`` are written -> ``report`` reads them.
"""

__version__ = "0.1.0"
