"""Strategies for einsum: generated equations with matching operand shapes.

:func:`equations` draws an :class:`Equation`: 1 to 4 operands; labels from a small pool of lower- and upper-case
letters (the implicit output orders upper case first); labels repeated within an operand (diagonals, traces),
labels shared between operands (contractions), labels that appear once and are summed out (explicit outputs that
leave them out); an ellipsis in some operands, covering 0 to 2 dims whose sizes broadcast (1 against n); a
label's dim of size 1 in one operand against n in another (broadcasting, which NumPy and torch both allow);
size-0 and size-1 dims; one label now and then of a medium or long length (16 to 3,001, a vector tail
included: :func:`_lengthen`), the others small; implicit (``'ij,jk'``) and explicit (``'ij,jk->ki'``) outputs, the explicit ones in any
order, with or without the ellipsis.

About one equation in fourteen is invalid on purpose (``Equation.flaw`` says how): an output label that no
operand has, a label twice in the output, a label whose sizes disagree (between operands, or within one operand
for a diagonal), an operand with more dims than subscripts, or more subscript groups than operands. NumPy raises
on all of them and the generic tests require torch to raise too. "Valid" follows torch's rules, which NumPy's
``optimize=True`` path shares: an explicit output may leave out the ellipsis (its dims are summed; NumPy's
``optimize=False`` path rejects that — a recorded divergence).

:func:`einsum_case` and :func:`sublist_case` turn an equation into a :class:`~conformance.strategies.Case` of
the string form ``einsum("ij,jk->ik", a, b)`` and of the sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.
"""
from __future__ import annotations

import dataclasses

from hypothesis import assume
from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import LONG_SIDES, MEDIUM_SIDES, seeds

#: labels: lower and upper case (upper case sorts first in an implicit output)
POOL = "abcdeXY"
ELLIPSIS = "..."
#: label sizes: mostly small, with size 1 (broadcasting) and size 0 (empty results, empty sums)
SIZES = st.sampled_from((2, 3, 1, 2, 3, 1, 4, 0))
FLAWS = ("output-label-not-in-inputs", "repeated-output-label", "size-mismatch", "diagonal-size-mismatch",
         "too-many-dims", "missing-operand")


@dataclasses.dataclass(frozen=True)
class Equation:
    """An einsum equation and its operand shapes. ``terms``: per operand, its subscripts (``"..."`` for an
    ellipsis); ``output``: the explicit output subscripts, or None for an implicit output; ``flaw``: why NumPy
    must reject it (empty for a valid equation)."""
    terms: tuple
    output: tuple | None
    shapes: tuple
    flaw: str = ""

    @property
    def valid(self) -> bool:
        return not self.flaw

    @property
    def text(self) -> str:
        lhs = ",".join("".join(t) for t in self.terms)
        return lhs if self.output is None else f"{lhs}->{''.join(self.output)}"

    @property
    def has_ellipsis(self) -> bool:
        return any(ELLIPSIS in t for t in self.terms)

    @property
    def repeated_in_operand(self) -> bool:
        return any(len([x for x in t if x != ELLIPSIS]) != len({x for x in t if x != ELLIPSIS}) for t in self.terms)

    def sublists(self) -> tuple:
        """The sublist form's subscripts: ``A``-``Z`` as 0-25, ``a``-``z`` as 26-51, ``...`` as ``Ellipsis``."""
        def num(label):
            if label == ELLIPSIS:
                return Ellipsis
            return ord(label) - ord("A") if label.isupper() else ord(label) - ord("a") + 26
        subs = tuple([num(x) for x in t] for t in self.terms)
        return subs, (None if self.output is None else [num(x) for x in self.output])

    def __repr__(self):
        return f"Equation({self.text!r}, shapes={self.shapes}{', flaw=' + self.flaw if self.flaw else ''})"


@st.composite
def equations(draw, min_operands: int = 1, max_operands: int = 4, invalid: bool = True, flaw: str | None = None):
    """An :class:`Equation` (see the module docstring); ``invalid=False`` gives valid ones only, ``flaw`` (one of
    :data:`FLAWS`) invalid ones with that flaw only."""
    n_ops = draw(st.integers(min_operands, max_operands))
    labels = draw(st.lists(st.sampled_from(POOL), min_size=0, max_size=5, unique=True))
    size = {label: draw(SIZES) for label in labels}
    ell_ndim = draw(st.sampled_from((0, 0, 1, 2)))
    ell_sizes = [draw(SIZES) for _ in range(ell_ndim)]
    terms, shapes = [], []
    for _ in range(n_ops):
        k = draw(st.integers(0, 3)) if labels else 0
        term = [draw(st.sampled_from(labels)) for _ in range(k)]
        shape = []
        for i, label in enumerate(term):
            if label in term[:i]:  # a diagonal: the same size as its first occurrence
                shape.append(shape[term.index(label)])
            else:
                shape.append(1 if draw(st.integers(0, 7)) == 0 else size[label])
        if ell_ndim and draw(st.booleans()):
            covered = draw(st.integers(0, ell_ndim))
            dims = [1 if draw(st.integers(0, 3)) == 0 else s for s in ell_sizes[ell_ndim - covered:]]
            pos = draw(st.integers(0, len(term)))
            term.insert(pos, ELLIPSIS)
            shape[pos:pos] = dims
        terms.append(term)
        shapes.append(shape)
    used = sorted({x for t in terms for x in t if x != ELLIPSIS})
    _lengthen(draw, terms, shapes, size)
    output = None
    if draw(st.booleans()):
        output = list(draw(st.permutations(draw(st.lists(st.sampled_from(used), unique=True))))) if used else []
        if any(ELLIPSIS in t for t in terms) and draw(st.integers(0, 3)) > 0 or draw(st.integers(0, 15)) == 0:
            output.insert(draw(st.integers(0, len(output))), ELLIPSIS)
    made = ""
    if flaw is not None:
        made, terms, output, shapes = _break(draw, terms, output, shapes, used, FLAWS.index(flaw))
        assume(made == flaw)
    elif invalid and draw(st.integers(0, 7)) == 5:  # an interior value: Hypothesis favours the bounds
        made, terms, output, shapes = _break(draw, terms, output, shapes, used)
    return Equation(tuple(tuple(t) for t in terms), None if output is None else tuple(output),
                    tuple(tuple(s) for s in shapes), made)


#: the length of one label: its own small size most of the time, else one of the size classes' medium and long
#: lengths (a vector tail included), so that the kernels' vectorized and blocked loops are reached
LENGTHS = st.sampled_from((None,) * 27 + MEDIUM_SIDES + MEDIUM_SIDES[::2] + LONG_SIDES[:8])


def _lengthen(draw, terms, shapes, size):
    """Gives one label that no operand repeats (a diagonal of a long label would be a square of it) a length
    from :data:`LENGTHS`, in every operand where it is not broadcast (size 1). The other labels stay small: the
    cost of an einsum is the product of its labels' sizes."""
    length = draw(LENGTHS)
    single = sorted({x for t in terms for x in t if x != ELLIPSIS} -
                    {x for t in terms for x in t if x != ELLIPSIS and t.count(x) > 1})
    if length is None or not single:
        return
    label = draw(st.sampled_from(single))
    if size[label] in (0, 1):
        return  # an empty or broadcast label stays so (its dims cannot be told from broadcast ones)
    for t, shape in zip(terms, shapes):
        for x, d in label_dims(t, len(shape)):
            if x == label and shape[d] == size[label]:
                shape[d] = length
    size[label] = length


def _break(draw, terms, output, shapes, used, start=None):
    """Makes a valid equation invalid in one of the ways of :data:`FLAWS`: the first possible one from ``start``
    (drawn if None)."""
    terms = [list(t) for t in terms]
    shapes = [list(s) for s in shapes]
    start = draw(st.integers(0, len(FLAWS) - 1)) if start is None else start
    for flaw in FLAWS[start:] + FLAWS[:start]:
        if flaw == "output-label-not-in-inputs":
            fresh = [x for x in POOL if x not in used]
            out = list(output or [])
            out.insert(draw(st.integers(0, len(out))), draw(st.sampled_from(fresh)))
            return flaw, terms, out, shapes
        if flaw == "repeated-output-label" and used:
            out = list(output or [])
            label = draw(st.sampled_from(used))
            out += [label] if label in out else [label, label]
            return flaw, terms, out, shapes
        if flaw == "size-mismatch":
            # a label in two operands, where it has a size of at least 2 in the first: another size in the second
            for i in range(len(terms)):
                for label, dim in label_dims(terms[i], len(shapes[i])):
                    n = shapes[i][dim]
                    for i2 in range(i + 1, len(terms)):
                        if n >= 2 and label in terms[i2]:
                            for x, d in label_dims(terms[i2], len(shapes[i2])):
                                if x == label:
                                    shapes[i2][d] = n + 1
                            return flaw, terms, output, shapes
            fresh = [x for x in POOL if x not in used]
            if len(terms) >= 2:  # no shared label to break: share a new one, with sizes 2 and 3
                i, i2 = draw(st.lists(st.integers(0, len(terms) - 1), min_size=2, max_size=2, unique=True))
                label = fresh[0]
                terms[i].append(label)
                shapes[i].append(2)
                terms[i2].append(label)
                shapes[i2].append(3)
                return flaw, terms, output, shapes
        if flaw == "diagonal-size-mismatch":
            for t, shape in zip(terms, shapes):
                seen = {}
                for label, dim in label_dims(t, len(shape)):
                    if label in seen:
                        shape[dim] = shape[seen[label]] + 1 if shape[seen[label]] != 1 else 2
                        return flaw, terms, output, shapes
                    seen[label] = dim
        if flaw == "too-many-dims":
            for t, shape in zip(terms, shapes):
                if ELLIPSIS not in t:
                    shape.append(2)
                    return flaw, terms, output, shapes
        if flaw == "missing-operand" and len(terms) >= 2:
            return flaw, terms, output, shapes[:-1]
    raise AssertionError("unreachable: output-label-not-in-inputs is always possible")


def label_dims(term, ndim: int | None = None):
    """(label, dim) for each subscript of ``term`` other than the ellipsis; ``ndim``, the operand's number of
    dims, places the subscripts after an ellipsis (default: as if it covered none)."""
    labels = [x for x in term if x != ELLIPSIS]
    covered = 0 if ndim is None else ndim - len(labels)
    out, dim = [], 0
    for x in term:
        if x == ELLIPSIS:
            dim += covered
        else:
            out.append((x, dim))
            dim += 1
    return out


def einsum_case(dtype: str, optimize=st.booleans()):
    """``einsum(equation, *operands)``, with the NumPy side's ``optimize`` drawn (the torch callable ignores it)."""
    return st.builds(lambda eq, opt, seed: Case((eq.text,) + tuple(ArraySpec(s, dtype) for s in eq.shapes),
                                                (("optimize", opt),), seed),
                     equations(), optimize, seeds)


def sublist_case(dtype: str):
    """The sublist form: ``einsum(op1, [0, 1], op2, [1, 2], [0, 2])`` (the output list optional)."""
    def build(eq, seed):
        subs, out = eq.sublists()
        args = []
        for shape, sub in zip(eq.shapes, subs):
            args += [ArraySpec(shape, dtype), sub]
        if out is not None:
            args.append(out)
        return Case(tuple(args), (), seed)
    # a missing operand cannot be written in the sublist form (its subscripts would read as the output)
    return st.builds(build, equations().filter(lambda eq: eq.flaw != "missing-operand"), seeds)
