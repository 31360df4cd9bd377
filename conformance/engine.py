"""How one Hypothesis draw pays for many checked cases.

**One example** (:func:`check_example`): a drawn case (the structure of a call: shapes, arguments, a seed) and a
drawn layout choice are checked in every value fill (ordinary, special, extreme), each through the function, the
Tensor method and the in-place method (which must agree with the function bit for bit).

**One group** (:func:`run_group`): the cells of one op on one device (one per dtype) share their draws. Each kind of
dtype (bool, unsigned, signed, floating, complex) has its own Hypothesis run: each example draws one case for the
kind's representative dtype and retargets it to every dtype of that kind (``Case.retarget``: same shapes,
arguments and seed; values filled per dtype), so a group of twenty dtypes costs five draws per example. Nothing fails inside a
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


def check_example(op, case, device: str, dtype: str, layouts: tuple, partial: set | None = None) -> tuple[set, int]:
    """Checks one case in every value fill, in the given layouts, with the method and in-place variants; returns
    the ids of the divergences met and the number of checked cases. Raises :class:`~conformance.check.Mismatch`
    (or skips the test when the cell turns out to be unsupported). A form of the call torch has no kernel for
    in this dtype (while it has for others) is added to ``partial`` and not counted as checked."""
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
            try:
                seen = check.forward(op, sample, device, dtype)
                checked += 1
                if seen.divergence is not None:
                    hits.add(seen.divergence.id)
                if op.method or op.inplace:
                    checked += check.variants(op, sample, device, dtype, seen, inplace=inplace)
            except check.Mismatch as exc:
                if exc.torch_exc is not None:
                    support.skip_if_unsupported(op, device, dtype, exc.torch_exc)
                raise
        except support.PartialSupport as gap:
            if partial is not None:
                partial.add(gap.form)
    return hits, checked


def check_out(op, case, device: str, dtype: str) -> int | None:
    """The ``out=`` checks of one case (ordinary values, contiguous inputs): the number of checks made, or None
    when the op takes no ``out=`` here. Samples under a known divergence are left to the forward test."""
    if op.out is False or not isinstance(op.torch, str):
        return None
    sample = case.sample("ordinary", 0)
    try:
        seen = check.forward(op, sample, device, dtype)
    except (check.Mismatch, support.PartialSupport):
        return 0  # the forward test reports it
    if seen.divergence is not None:
        return 0
    found = check.out_variants(op, sample, device, dtype, seen)
    if found == 0 and op.name in check._NO_OUT:
        return None
    return found


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
    partial: set = dataclasses.field(default_factory=set)  # forms of the call torch has no kernel for


def seed_for_kind(seed: int, rep: str) -> int:
    from conformance.seeding import seed_for

    return seed_for(f"{seed}|{rep}")


def _kind_body(op, device: str, rep: str, members: list[str], found: dict):
    """The body of a kind's run: one case drawn for the representative, checked on every live cell of the kind."""
    import pytest

    def body(data):
        # drawn even when every cell of the kind is decided: Hypothesis requires the same draws for the same
        # choices, whatever happened in earlier examples
        case = data.draw(op.kind_strategy(rep), label=f"case ({rep})")
        layouts = draw_layouts(data, len(case.specs))
        for d in members:  # every cell's digest holds the group's draws, whatever its own verdict
            if found[d].digest.count < DIGEST_EXAMPLES:
                found[d].digest.add(case.retarget(rep, d), layouts)
        for d in [d for d in members if found[d].status == "running"]:
            cell = found[d]
            cell_case = case.retarget(rep, d)
            try:
                hits, checked = check_example(op, cell_case, device, d, layouts, cell.partial)
            except pytest.skip.Exception as exc:
                cell.status, cell.reason = "unsupported", str(exc.msg).removeprefix(support.UNSUPPORTED)
                continue
            except check.Mismatch as exc:
                cell.status, cell.failure, cell.case, cell.layouts = "failed", exc, cell_case, layouts
                continue
            except Exception as exc:  # noqa: BLE001 - a defect of the suite itself: the cell's own run shows it
                from conformance import devices

                if devices.is_device_error(exc):
                    raise
                cell.status, cell.failure, cell.case, cell.layouts = "failed", exc, cell_case, layouts
                continue
            cell.examples += 1
            cell.checked += checked
            cell.hits |= hits
    return body


def run_group(op, device: str, cells: list[str], settings_, seed: int | None) -> dict[str, Cell]:
    """Runs the group of ``op`` on ``device`` for the dtypes ``cells``: see the module docstring."""
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

    for rep, members in kinds.items():
        # one Hypothesis run per kind: its examples are new for that kind (one run drawing every kind would
        # repeat a kind's case whenever only another kind's part of the example changed)
        test = given(data=st.data())(_kind_body(op, device, rep, members, found))
        test = settings_(test)
        if seed is not None:
            test = hseed(seed_for_kind(seed, rep))(test)
        test()
    for cell in found.values():
        if cell.status == "running":
            cell.status = "passed"
    return found
