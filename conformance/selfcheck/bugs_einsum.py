"""Planted bugs for the einsum family: each wrong only under a condition."""
from __future__ import annotations

from conformance.selfcheck import PlantedBug, when

_POOL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _string_form(equation, *operands, **kwargs):
    return isinstance(equation, str)


def _terms(equation):
    lhs = equation.partition("->")[0]
    return [t.replace("...", "") for t in lhs.split(",")]


def _has_diagonal(equation, *operands, **kwargs):
    return isinstance(equation, str) and any(len(set(t)) < len(t) for t in _terms(equation))


def _drop_diagonal(orig, equation, *operands, **kwargs):
    # the second occurrence of a subscript repeated within an operand becomes an independent (summed) subscript
    lhs, arrow, rhs = equation.partition("->")
    used = set(equation)
    fresh = (c for c in _POOL if c not in used)
    terms = []
    for term in lhs.split(","):
        out, seen = [], set()
        for c in term:
            if c.isalpha() and c in seen:
                c = next(fresh)
            seen.add(c)
            out.append(c)
        terms.append("".join(out))
    if not arrow:  # keep the implicit output of the original equation
        counts = {c: lhs.count(c) for c in set(lhs) if c.isalpha()}
        rhs = ("..." if "..." in lhs else "") + "".join(sorted(c for c, n in counts.items() if n == 1))
    return orig(",".join(terms) + "->" + rhs, *operands, **kwargs)


def _implicit_unsorted(equation, *operands, **kwargs):
    if not isinstance(equation, str) or "->" in equation:
        return False
    once = [c for c in equation if c.isalpha() and equation.count(c) == 1]
    return once != sorted(once)


def _first_appearance_output(orig, equation, *operands, **kwargs):
    once = [c for c in equation if c.isalpha() and equation.count(c) == 1]
    rhs = ("..." if "..." in equation else "") + "".join(once)
    return orig(equation + "->" + rhs, *operands, **kwargs)


BUGS = [
    PlantedBug(
        "einsum-drops-diagonal", "einsum",
        "einsum treats a subscript repeated within one operand (a diagonal, a trace) as two independent ones",
        "torch.einsum",
        when(_has_diagonal, _drop_diagonal),
        "einsum and not sublist and test_forward"),
    PlantedBug(
        "einsum-implicit-output-unsorted", "einsum",
        "einsum's implicit output lists the subscripts in order of appearance instead of alphabetically",
        "torch.einsum",
        when(_implicit_unsorted, _first_appearance_output),
        "einsum and not sublist and test_forward"),
]
