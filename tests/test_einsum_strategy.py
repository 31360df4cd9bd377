"""The einsum equation strategy produces what it claims.

Every feature its documentation lists shows up among a few hundred draws (ellipses, repeated subscripts within an
operand, implicit and explicit outputs, 1 to 4 operands, size-0 and size-1 dims, label broadcasting, summed-out
labels, each kind of flaw); valid equations are accepted by NumPy (its ``optimize`` path, which sums an ellipsis
left out of the output as torch does) and invalid ones rejected by both of NumPy's paths (through the
reference, which rejects the diagonals of mismatched sizes that NumPy's single-operand view path lets through); the text and sublist
forms describe the same equation; the cases built from it carry its shapes.
"""
from __future__ import annotations

import collections

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from conformance.references import linalg as L
from conformance.strategies import einsum as E

DRAWS = settings(max_examples=400, derandomize=True, database=None, deadline=None,
                 suppress_health_check=list(HealthCheck))


def _features(eq: E.Equation) -> set[str]:
    found = {f"operands={len(eq.terms)}", "implicit" if eq.output is None else "explicit"}
    if eq.has_ellipsis:
        found.add("ellipsis")
    if eq.repeated_in_operand:
        found.add("repeated-in-operand")
    dims = [n for s in eq.shapes for n in s]
    if 0 in dims:
        found.add("size-0")
    if 1 in dims:
        found.add("size-1")
    if eq.flaw:
        found.add(f"flaw={eq.flaw}")
    if eq.valid:
        labels = [x for t in eq.terms for x in t if x != E.ELLIPSIS]
        counts = collections.Counter(labels)
        if eq.output is not None and any(x not in eq.output for x in labels):
            found.add("summed-out")
        if eq.output is None and any(counts[x] > 1 for x in counts):
            found.add("contracted")
        if any(x.isupper() for x in labels) and any(x.islower() for x in labels):
            found.add("mixed-case")
        sizes = collections.defaultdict(set)
        for t, s in zip(eq.terms, eq.shapes):
            for x, d in E.label_dims(t, len(s)):
                sizes[x].add(s[d])
        if any(1 in v and len(v) > 1 for v in sizes.values()):
            found.add("label-broadcast")
    return found


def test_every_feature_is_drawn():
    seen: collections.Counter = collections.Counter()

    @DRAWS
    @given(E.equations())
    def collect(eq):
        seen.update(_features(eq))

    collect()
    wanted = {f"operands={n}" for n in (1, 2, 3, 4)} | {
        "implicit", "explicit", "ellipsis", "repeated-in-operand", "size-0", "size-1", "summed-out",
        "contracted", "mixed-case", "label-broadcast"}
    missing = wanted - set(seen)
    assert not missing, f"never drawn in 400 equations: {sorted(missing)} (drawn: {dict(seen)})"
    invalid = sum(v for k, v in seen.items() if k.startswith("flaw="))
    assert 0.03 < invalid / 400 < 0.3, f"{invalid} of 400 equations are invalid: expected about one in eight"
    assert len({k for k in seen if k.startswith("flaw=")}) >= 3, f"too few kinds of flaw drawn: {dict(seen)}"


@pytest.mark.parametrize("flaw", E.FLAWS)
def test_each_flaw_is_rejected_by_numpy(flaw):
    """Equations drawn with each flaw: NumPy rejects every one (both of its paths)."""
    count = []

    @settings(DRAWS, max_examples=40)
    @given(E.equations(min_operands=2 if flaw in ("missing-operand", "size-mismatch") else 1, flaw=flaw))
    def check(eq):
        assert eq.flaw == flaw and not eq.valid
        operands = [np.ones(s) for s in eq.shapes]
        for optimize in (False, True):
            with pytest.raises(Exception):  # noqa: B017 - NumPy raises ValueError, TypeError or IndexError
                L.einsum(eq.text, *operands, optimize=optimize)
        count.append(eq)

    check()
    assert len(count) >= 20, f"only {len(count)} equations with the flaw {flaw} could be drawn"


@DRAWS
@given(E.equations())
def test_validity_agrees_with_numpy(eq):
    operands = [np.ones(s) for s in eq.shapes]
    if eq.valid:
        result = np.einsum(eq.text, *operands, optimize=True)
        explicit = [x for x in (eq.output or ()) if x != E.ELLIPSIS]
        assert result.ndim >= len(explicit)
        return
    for optimize in (False, True):
        with pytest.raises(Exception):  # noqa: B017 - NumPy raises ValueError, TypeError or IndexError
            L.einsum(eq.text, *operands, optimize=optimize)


@DRAWS
@given(E.equations(invalid=False))
def test_sublist_form_is_the_same_equation(eq):
    subs, out = eq.sublists()
    assert len(subs) == len(eq.terms)
    operands = [np.arange(int(np.prod(s)), dtype=np.float64).reshape(s) % 5 for s in eq.shapes]
    args = [x for a, sub in zip(operands, subs) for x in (a, sub)] + ([out] if out is not None else [])
    np.testing.assert_array_equal(np.einsum(*args, optimize=True), np.einsum(eq.text, *operands, optimize=True))


@DRAWS
@given(E.equations())
def test_shapes_match_the_subscripts(eq):
    """One shape per operand (one fewer for a missing operand), with a dim per subscript (more under an
    ellipsis; one more for the too-many-dims flaw), and a diagonal's dims of one size (unless that is the flaw)."""
    assert len(eq.shapes) == len(eq.terms) - (eq.flaw == "missing-operand")
    for t, s in zip(eq.terms, eq.shapes):
        n_labels = len([x for x in t if x != E.ELLIPSIS])
        if E.ELLIPSIS in t:
            assert len(s) >= n_labels
        else:
            assert len(s) == n_labels + (eq.flaw == "too-many-dims" and len(s) != n_labels)
        if eq.flaw != "diagonal-size-mismatch":
            sizes = collections.defaultdict(set)
            for x, d in E.label_dims(t, len(s)):
                sizes[x].add(s[d])
            assert all(len(v) == 1 for v in sizes.values()), (eq, sizes)


@DRAWS
@given(E.einsum_case("float32"))
def test_einsum_cases(case):
    equation, *specs = case.args
    assert isinstance(equation, str)
    assert all(spec.dtype == "float32" for spec in specs)
    assert dict(case.kwargs)["optimize"] in (True, False)
    assert 1 <= len(specs) <= 4


@DRAWS
@given(E.sublist_case("float32"))
def test_sublist_cases(case):
    args = list(case.args)
    if len(args) % 2:
        assert isinstance(args.pop(), list)
    for spec, sub in zip(args[0::2], args[1::2]):
        assert isinstance(sub, list)
        assert all(x is Ellipsis or 0 <= x < 52 for x in sub)
        n = len([x for x in sub if x is not Ellipsis])
        if Ellipsis in sub:
            assert n <= len(spec.shape)
        else:  # equal, or one dim more (the too-many-dims flaw)
            assert len(spec.shape) - n in (0, 1)
