"""The conformance tests: generic tests over the catalogue, and bespoke tests of semantics no generic test
can state. Run them with ``pytest --pyargs conformance`` or ``conformance run``."""
