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

The ``out=`` checks (:func:`check_out`) ride on the same draws: the first few examples of a kind's run (the out
profile's count) are also checked through ``out=`` on every cell that asks for it, so the out test pays for no
draw of its own.

The pytest items stay one per cell (``test_forward[add-cpu-float32]``, ``test_out[add-cpu-float32]``): a cell
that passed in its group run passes at once with the group's counts, an unsupported one is skipped as such, and
a failed one runs its own Hypothesis search (the same draws, for its dtype alone) so that it shrinks to a minimal
example and gets its own reproduction; if that search does not meet the failure again, the group's failing case
is reported as it was.
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
                seen = check.forward(op, sample, device, dtype, strict_first=True)
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


def no_out_reason(op) -> str:
    return f"torch.{op.name} takes no out= (or its result is not one tensor)"


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
    status: str = "running"       # running -> passed | unsupported | failed; out cells also: no_out | own
    examples: int = 0
    checked: int = 0
    hits: set = dataclasses.field(default_factory=set)
    reason: str = ""              # unsupported: why
    failure: BaseException | None = None
    case: object = None
    layouts: tuple = ()
    digest: Digest = dataclasses.field(default_factory=Digest)
    partial: set = dataclasses.field(default_factory=set)  # forms of the call torch has no kernel for


#: the generic tests a group run decides, by test function name
FORWARD, OUT = "test_forward", "test_out"


def seed_for_kind(seed: int, rep: str) -> int:
    from conformance.seeding import seed_for

    return seed_for(f"{seed}|{rep}")


def _record_failure(cell: Cell, exc: BaseException, case, layouts: tuple) -> None:
    from conformance import devices

    if not isinstance(exc, check.Mismatch) and devices.is_device_error(exc):
        raise exc
    cell.status, cell.failure, cell.case, cell.layouts = "failed", exc, case, layouts


def _forward_cell(op, device: str, cell: Cell, case, layouts: tuple) -> None:
    import pytest

    try:
        hits, checked = check_example(op, case, device, cell.dtype, layouts, cell.partial)
    except pytest.skip.Exception as exc:
        cell.status, cell.reason = "unsupported", str(exc.msg).removeprefix(support.UNSUPPORTED)
        return
    except Exception as exc:  # noqa: BLE001 - a mismatch, or a defect of the suite itself: the cell's own run shows it
        _record_failure(cell, exc, case, layouts)
        return
    cell.examples += 1
    cell.checked += checked
    cell.hits |= hits


def _out_cell(op, device: str, cell: Cell, forward: Cell | None, case) -> None:
    """One example's ``out=`` checks for one cell, as the out test makes them (ordinary values, contiguous)."""
    import pytest

    if forward is not None and forward.status == "unsupported":
        cell.status, cell.reason = "unsupported", forward.reason
        return
    if forward is not None and forward.status == "failed":
        cell.status = "own"  # the forward failure may hide what out= does: the cell's own search decides
        return
    decided = support.known(op, device, cell.dtype) or support.decide(op, device, cell.dtype, None)
    if not decided[0]:
        cell.status, cell.reason = "unsupported", decided[1]
        return
    try:
        checked = check_out(op, case, device, cell.dtype)
    except pytest.skip.Exception as exc:
        cell.status, cell.reason = "unsupported", str(exc.msg).removeprefix(support.UNSUPPORTED)
        return
    except Exception as exc:  # noqa: BLE001 - as for the forward cells
        _record_failure(cell, exc, case, ())
        return
    if checked is None:
        cell.status = "no_out"
        return
    if cell.digest.count < DIGEST_EXAMPLES:
        cell.digest.add(case)
    cell.examples += 1
    cell.checked += checked


def _kind_body(op, device: str, rep: str, members: dict, found: dict, out_examples: int):
    """The body of a kind's run: one case drawn for the representative, checked on every live cell of the kind
    (``members``: the kind's dtypes per test), through ``out=`` in the first ``out_examples`` examples."""
    forward, out = found[FORWARD], found[OUT]

    def body(data):
        # drawn even when every cell of the kind is decided: Hypothesis requires the same draws for the same
        # choices, whatever happened in earlier examples
        case = data.draw(op.kind_strategy(rep), label=f"case ({rep})")
        layouts = draw_layouts(data, len(case.specs))
        for d in members[FORWARD]:  # every cell's digest holds the group's draws, whatever its own verdict
            if forward[d].digest.count < DIGEST_EXAMPLES:
                forward[d].digest.add(case.retarget(rep, d), layouts)
        for d in [d for d in members[FORWARD] if forward[d].status == "running"]:
            _forward_cell(op, device, forward[d], case.retarget(rep, d), layouts)
        for d in [d for d in members[OUT] if out[d].status == "running" and out[d].examples < out_examples]:
            _out_cell(op, device, out[d], forward.get(d), case.retarget(rep, d))
    return body


def run_group(op, device: str, cells: list[str], settings_, seed: int | None, out_cells: list[str] = (),
              out_examples: int = 0) -> dict[str, dict[str, Cell]]:
    """Runs the group of ``op`` on ``device``: the forward test for the dtypes ``cells`` and the out test for
    ``out_cells``, through the first ``out_examples`` examples of each kind (see the module docstring). Returns
    the cells by test (:data:`FORWARD`, :data:`OUT`) and dtype."""
    from hypothesis import given
    from hypothesis import seed as hseed
    from hypothesis import settings

    found = {FORWARD: {d: Cell(d) for d in cells}, OUT: {d: Cell(d) for d in out_cells}}
    for test, dts in ((FORWARD, cells), (OUT, out_cells)):
        for d in dts:
            known = support.known(op, device, d)
            if known is not None and not known[0]:
                found[test][d].status, found[test][d].reason = "unsupported", known[1]
    kinds: dict[str, dict[str, list[str]]] = {}
    for test, dts in ((FORWARD, cells), (OUT, out_cells)):
        for d in dts:
            kinds.setdefault(dtypes.representative(d), {FORWARD: [], OUT: []})[test].append(d)

    for rep, members in kinds.items():
        # one Hypothesis run per kind: its examples are new for that kind (one run drawing every kind would
        # repeat a kind's case whenever only another kind's part of the example changed)
        test = given(data=st.data())(_kind_body(op, device, rep, members, found, out_examples))
        kind_settings = settings_
        if not members[FORWARD]:  # the out test alone needs no more examples than its own
            kind_settings = settings(settings_, max_examples=max(out_examples, 1))
        test = kind_settings(test)
        if seed is not None:
            test = hseed(seed_for_kind(seed, rep))(test)
        test()
    for cells_ in found.values():
        for cell in cells_.values():
            if cell.status == "running":
                cell.status = "passed"
    return found
