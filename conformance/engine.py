"""How one Hypothesis draw pays for many checked cases.

**One example** (:func:`check_example`): a drawn case (the structure of a call: shapes, arguments, a seed) and a
drawn layout choice are checked in every value fill (ordinary, special, extreme), each through the function, the
Tensor method and the in-place method (which must agree with the function bit for bit).

**One group** (:func:`run_group`): the cells of one op on one device (one per dtype) share their draws. For each
example, a case is drawn once per kind of dtype (bool, unsigned, signed, floating, complex: drawn for the kind's
representative dtype) and retargeted to every dtype of that kind (``Case.retarget``: same shapes, arguments and
seed; values filled per dtype), so a group of twenty dtypes costs five draws per example. Nothing fails inside a
group run: each cell's outcome is recorded (passed with its counts, unsupported with the reason, or failed with the
first mismatch) and the run goes on for the others.

The pytest items stay one per cell (``test_forward[add-cpu-float32]``): a cell that passed in its group run passes
at once with the group's counts, an unsupported one is skipped as such, and a failed one runs its own Hypothesis
search (the same draws, for its dtype alone) so that it shrinks to a minimal example and gets its own
reproduction; if that search does not meet the failure again, the group's failing case is reported as it was.
"""
from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from conformance import check, dtypes, support
from conformance.seeding import Digest

#: examples folded into a cell's digest of drawn examples (as for any test: see conformance.plugin)
DIGEST_EXAMPLES = 10
from conformance.strategies.layouts import NONCONTIGUOUS
from conformance.strategies.values import FILLS

#: what the layouts of an example are: one layout for every array, or a drawn mix ("mixed")
LAYOUT_CHOICES = ("contiguous",) + NONCONTIGUOUS + ("mixed",)
_CHOICE = st.sampled_from(LAYOUT_CHOICES)


def draw_layouts(data, n: int) -> tuple:
    """The layouts of an example's ``n`` arrays (shrinks toward all contiguous)."""
    choice = data.draw(_CHOICE, label="layout")
    if choice != "mixed":
        return (choice,) * n
    return tuple(data.draw(st.lists(st.sampled_from(NONCONTIGUOUS), min_size=n, max_size=n),
                           label="mixed layouts"))


def check_example(op, case, device: str, dtype: str, layouts: tuple) -> tuple[set, int]:
    """Checks one case in every value fill, in the given layouts, with the method and in-place variants; returns
    the ids of the divergences met and the number of checked cases. Raises :class:`~conformance.check.Mismatch`
    (or skips the test when the cell turns out to be unsupported)."""
    hits: set = set()
    checked = 0
    contiguous = all(lay == "contiguous" for lay in layouts)
    inplace = bool(op.inplace) and (not layouts or layouts[0] != "expanded")
    off_cpu = not str(device).startswith("cpu")
    for i, fill in enumerate(FILLS):
        sample = case.sample(fill, i)
        if not contiguous:
            sample = sample.relaid(layouts)
        if off_cpu and op.unsafe_off_cpu is not None and op.unsafe_off_cpu(sample):
            continue  # a device-side assert would end every later test of this process: CPU only
        try:
            seen = check.forward(op, sample, device, dtype)
            checked += 1
            if seen.divergence is not None:
                hits.add(seen.divergence.id)
            if op.method or op.inplace:
                checked += check.variants(op, sample, device, dtype, seen, inplace=inplace)
            if i == 0 and seen.divergence is None:  # out=, once per example (its cost is four more calls)
                checked += check.out_variants(op, sample, device, dtype, seen)
        except check.Mismatch as exc:
            if exc.torch_exc is not None:
                support.skip_if_unsupported(op, device, dtype, exc.torch_exc)
            raise
    return hits, checked


@dataclasses.dataclass
class Cell:
    """The outcome of one cell in its group run."""
    dtype: str
    status: str = "running"       # running -> passed | unsupported | failed
    examples: int = 0
    checked: int = 0
    hits: set = dataclasses.field(default_factory=set)
    reason: str = ""              # unsupported: why
    failure: BaseException | None = None
    case: object = None
    layouts: tuple = ()
    digest: Digest = dataclasses.field(default_factory=Digest)


def run_group(op, device: str, cells: list[str], settings_, seed: int | None) -> dict[str, Cell]:
    """Runs the group of ``op`` on ``device`` for the dtypes ``cells``: see the module docstring."""
    import pytest
    from hypothesis import given
    from hypothesis import seed as hseed

    found = {d: Cell(d) for d in cells}
    for d in cells:
        known = support.known(op, device, d)
        if known is not None and not known[0]:
            found[d].status, found[d].reason = "unsupported", known[1]
    kinds: dict[str, list[str]] = {}
    for d in cells:
        kinds.setdefault(dtypes.representative(d), []).append(d)

    def body(data):
        for rep, members in kinds.items():
            # drawn even when every cell of the kind is decided: Hypothesis requires the same draws for the
            # same choices, whatever happened in earlier examples
            case = data.draw(op.strategy(rep), label=f"case ({rep})")
            layouts = draw_layouts(data, len(case.specs))
            for d in members:  # every cell's digest holds the group's draws, whatever its own verdict
                if found[d].digest.count < DIGEST_EXAMPLES:
                    found[d].digest.add(case.retarget(rep, d), layouts)
            live = [d for d in members if found[d].status == "running"]
            for d in live:
                cell = found[d]
                cell_case = case.retarget(rep, d)
                try:
                    hits, checked = check_example(op, cell_case, device, d, layouts)
                except pytest.skip.Exception as exc:
                    cell.status, cell.reason = "unsupported", str(exc.msg).removeprefix(support.UNSUPPORTED)
                    continue
                except check.Mismatch as exc:
                    cell.status, cell.failure, cell.case, cell.layouts = "failed", exc, cell_case, layouts
                    continue
                except Exception as exc:  # noqa: BLE001 - a defect of the suite itself: the cell's own run shows it
                    cell.status, cell.failure, cell.case, cell.layouts = "failed", exc, cell_case, layouts
                    continue
                cell.examples += 1
                cell.checked += checked
                cell.hits |= hits

    test = given(data=st.data())(body)
    test = settings_(test)
    if seed is not None:
        test = hseed(seed)(test)
    test()
    for cell in found.values():
        if cell.status == "running":
            cell.status = "passed"
    return found
