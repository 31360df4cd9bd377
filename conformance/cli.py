"""The command line: ``conformance run | list | report | gate | selfcheck`` (also ``python -m conformance``).

Exit codes: 0 no unexpected failure, 1 an unexpected failure (or a gate regression), 2 a usage error (one
line on stderr, no traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

USAGE_ERROR = 2
DEFAULT_TIMEOUT = 300.0   # per-test time limit of `conformance run` (dev, ci)
NIGHTLY_TIMEOUT = 1200.0  # with --profile nightly: 20x the examples


from conformance.errors import UsageError  # noqa: F401 - part of this module's interface


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors: one line, exit 2
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="conformance", description="Conformance suite for PyTorch against NumPy semantics.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run the conformance suite and write results under the report directory")
    run.add_argument("--device", action="append", metavar="DEV",
                     help="torch device (cpu, cuda, cuda:1, mps, xpu, ...) or 'all'; repeatable (default cpu)")
    run.add_argument("--profile", default="ci", help="Hypothesis profile: dev, ci (default) or nightly")
    run.add_argument("--dtypes", action="append", metavar="NAMES", help="only these dtypes (comma-separated)")
    run.add_argument("--family", action="append", metavar="NAME", help="only this op family; repeatable")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="pytest -k expression (e.g. an op name)")
    run.add_argument("-n", dest="workers", default="auto", metavar="N|auto",
                     help="parallel worker processes (pytest-xdist, one torch thread each); default auto: one "
                          "per core; -n 1 runs in this process")
    run.add_argument("--report-dir", default="reports", metavar="DIR", help="where results go (default reports/)")
    run.add_argument("--baseline", metavar="FILE", help="after the run, gate the results against this baseline")
    run.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                     help="per-test time limit; a test past it is stopped and recorded as an error "
                          f"(default {DEFAULT_TIMEOUT:g} s, {NIGHTLY_TIMEOUT:g} s with --profile nightly; 0: none)")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: extra pytest arguments")

    lst = sub.add_parser("list", help="print the op catalogue")
    lst.add_argument("--divergences", action="store_true", help="print the known divergences instead")
    lst.add_argument("--bugs", action="store_true",
                     help="print the divergences of kind 'bug' as upstream-ready reports, grouped by root cause")
    lst.add_argument("--coverage", action="store_true",
                     help="print the functions torch and NumPy share by name, which are covered, by what, and totals")
    lst.add_argument("--dtypes", action="store_true", dest="list_dtypes",
                     help="print the dtypes torch has and which the suite tests (and why not the others)")
    lst.add_argument("--family", action="append", metavar="NAME", help="only this family")

    rep = sub.add_parser("report", help="write index.html and junit.xml from results files, merging several "
                                        "(runners, shards); a results.jsonl stream is rebuilt")
    rep.add_argument("results", nargs="+", metavar="RESULTS", help="results.json (or results.jsonl) files")
    rep.add_argument("-o", "--output", default="reports", metavar="DIR", help="where to write (default reports/)")
    rep.add_argument("--title", default="Conformance report", help="the page's title")

    gate = sub.add_parser("gate", help="compare results with a baseline; exit 1 on a regression")
    gate.add_argument("--baseline", required=True, metavar="BASELINE", help="the baseline results.json")
    gate.add_argument("current", nargs="+", metavar="CURRENT",
                      help="the results to check (several files, e.g. shards, are merged)")

    sc = sub.add_parser("selfcheck", help="plant bugs into torch and check that the suite catches each")
    sc.add_argument("names", nargs="*", help="only these planted bugs (default: all)")
    sc.add_argument("-n", dest="workers", type=int, default=os.cpu_count() or 1, help="parallel runs")
    sc.add_argument("--list", action="store_true", help="list the planted bugs and exit")
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"conformance: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("conformance: interrupted", file=sys.stderr)
        return 130


def _check_families(names):
    from conformance.families import FAMILIES

    for name in names or ():
        if name not in FAMILIES:
            raise UsageError(f"unknown family {name!r}; known: {', '.join(FAMILIES)}")


def _check_common(args):
    from conformance import devices, plugin, profiles

    if args.profile not in profiles.PROFILES:
        raise UsageError(f"unknown profile {args.profile!r}; choose from {', '.join(profiles.PROFILES)}")
    try:
        devices.resolve(args.device)
        plugin.parse_dtypes(args.dtypes)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _check_families(args.family)
    if args.workers != "auto":
        try:
            if int(args.workers) < 1:
                raise ValueError
        except ValueError:
            raise UsageError(f"-n takes a positive number or 'auto', not {args.workers!r}") from None
    if args.timeout is not None and args.timeout < 0:
        raise UsageError(f"--timeout takes a number of seconds >= 0, not {args.timeout:g}")
    report_dir = Path(args.report_dir)
    if not report_dir.resolve().parent.is_dir():
        raise UsageError(f"the report directory's parent does not exist: {report_dir.resolve().parent}")
    if report_dir.exists() and not report_dir.is_dir():
        raise UsageError(f"the report directory is a file: {report_dir}")


def pytest_args(args) -> list[str]:
    """The pytest command line that ``conformance run`` uses."""
    # --rootdir: test ids are the same whatever directory the run starts from (results compare across
    # machines); --report-dir=DIR in one word: a path among the arguments would move pytest's rootdir. No log
    # capture (-p no:logging): the suite logs nothing, and pytest's capture attaches a handler to each of torch's
    # several hundred non-propagating loggers in every phase of every test, a few milliseconds per test
    out = ["--pyargs", "conformance.suite", "-p", "no:cacheprovider", "-p", "no:logging", "-q", "-rfE",
           f"--rootdir={_package_root()}", "--conformance-profile", args.profile,
           f"--report-dir={args.report_dir}", f"--conformance-timeout={_timeout(args):g}"]
    for dev in args.device or ["cpu"]:
        out += ["--device", dev]
    for d in args.dtypes or ():
        out += ["--dtypes", d]
    if args.family:
        out += ["-m", " or ".join(args.family)]
    if args.keyword:
        out += ["-k", args.keyword]
    if args.workers != "1":
        out += ["-n", args.workers]  # the plugin keeps each op's group of cells on one worker
    extra = list(args.pytest_args or [])
    if extra and extra[0] == "--":
        extra = extra[1:]
    return out + extra


def _package_root() -> Path:
    import conformance

    return Path(conformance.__file__).resolve().parent.parent


def _timeout(args) -> float:
    if args.timeout is not None:
        return args.timeout
    return NIGHTLY_TIMEOUT if args.profile == "nightly" else DEFAULT_TIMEOUT


def cmd_run(args) -> int:
    import pytest

    _check_common(args)
    if args.baseline:  # a bad baseline is said now, not after an hour of testing
        from conformance.results import ResultsError, read

        try:
            read(Path(args.baseline))
        except ResultsError as exc:
            raise UsageError(f"baseline: {exc}") from None
    Path(args.report_dir).mkdir(exist_ok=True)
    code = int(pytest.main(pytest_args(args)))
    results_path = Path(args.report_dir) / "results.json"
    if code == 5:  # nothing selected: not a failure of torch, but say so
        print("conformance: no test matched the selection", file=sys.stderr)
        return 1
    if code in (3, 4):
        return USAGE_ERROR
    if code == 2 and not results_path.exists():
        return USAGE_ERROR
    if not _after_run(args, results_path):
        return USAGE_ERROR
    interrupted = code == 2
    if interrupted:
        print(f"conformance: the run was interrupted; {args.report_dir}/ holds the results of the tests that "
              "finished", file=sys.stderr)
    if args.baseline:
        gate_code = _gate(Path(args.baseline), results_path)
        if gate_code == USAGE_ERROR:
            return USAGE_ERROR
        return 130 if interrupted else gate_code
    return 130 if interrupted else (0 if code == 0 else 1)


def _after_run(args, results_path: Path) -> bool:
    """Writes the reports that read results.json; False (after one line on stderr) if they cannot be."""
    from conformance.report import write_reports
    from conformance.results import ResultsError

    if not results_path.exists():
        return True
    try:
        written = write_reports([results_path], Path(args.report_dir))
    except ResultsError as exc:
        print(f"conformance: error: cannot write the reports: {exc}", file=sys.stderr)
        return False
    names = ", ".join(p.name for p in [results_path] + written["paths"])
    print(f"conformance: reports in {args.report_dir}/: {names}", file=sys.stderr)
    return True


def _gate(baseline: Path, current) -> int:
    from conformance.report.gate import run_gate

    return run_gate(baseline, current)


def cmd_report(args) -> int:
    from conformance.report import write_reports
    from conformance.results import ResultsError

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"the output directory is a file: {out}")
    if not out.resolve().parent.is_dir():
        raise UsageError(f"the output directory's parent does not exist: {out.resolve().parent}")
    try:
        written = write_reports(args.results, out, title=args.title)
    except ResultsError as exc:
        raise UsageError(str(exc)) from None
    merged = written["merged"]
    print(f"{len(merged.records)} test cases from {len(merged.runs)} run{'s' if len(merged.runs) != 1 else ''}, "
          f"{len(merged.columns)} device column set{'s' if len(merged.columns) != 1 else ''}")
    if merged.duplicates:
        print(f"{merged.duplicates} identical duplicate records counted once")
    if merged.conflicts:
        print(f"{len(merged.conflicts)} conflicting duplicates (same case, device and torch version, different "
              "outcomes); listed in the report:")
        for c in merged.conflicts[:20]:
            outcomes = ", ".join(f"{r['outcome']} in {merged.runs[r['_run']].path}" for r in c["records"])
            print(f"  {c['key']} [{merged.columns[c['column']].label}]: {outcomes}")
        if len(merged.conflicts) > 20:
            print(f"  ... and {len(merged.conflicts) - 20} more")
    for p in written["paths"]:
        print(f"wrote {p}")
    return 0


def cmd_gate(args) -> int:
    return _gate(Path(args.baseline), [Path(p) for p in args.current])


def cmd_list(args) -> int:
    from conformance import catalogue

    _check_families(args.family)
    fams = set(args.family or ())
    if args.list_dtypes:
        return _list_dtypes()
    if args.coverage:
        from conformance import coverage

        print(coverage.render())
        return 0
    if args.bugs:
        from conformance import findings

        print(findings.render(family=fams or None))
        return 0
    if args.divergences:
        for d in catalogue.divergences():
            if fams and d.family not in fams:
                continue
            limits = "".join(f", {what}" for what in (
                f"devices {'/'.join(d.devices)}" if d.devices else "",
                f"torch {d.torch_versions}{'' if d.holds_for_torch() else ': not this torch'}"
                if d.torch_versions else "") if what)
            print(f"{d.id}  [{d.family}/{d.op}, {d.kind}{limits}]")
            print(f"    when:   {d.condition}")
            print(f"    torch:  {d.torch_behaviour}")
            print(f"    numpy:  {d.numpy_behaviour}")
            print(f"    source: {d.reference}")
        return 0
    rows = [(e.family, e.name, e.torch if isinstance(e.torch, str) else e.torch.__name__, "".join(
        [("m" if e.method else "-"), ("i" if e.inplace else "-"), ("g" if e.grad else "-")]),
        len(e.divergences)) for e in catalogue.entries() if not fams or e.family in fams]
    print(f"{'family':<12} {'op':<22} {'m/i/g':<6} {'div':<4} torch")
    for fam, name, fn, flags, ndiv in rows:
        print(f"{fam:<12} {name:<22} {flags:<6} {ndiv:<4} {fn}")
    print(f"{len(rows)} ops, each on every dtype torch has ({len(_dtypes().ALL)}); m = Tensor method, i = in-place, "
          "g = gradient checked; div = known divergences")
    return 0


def _dtypes():
    from conformance import dtypes

    return dtypes


def _list_dtypes() -> int:
    d = _dtypes()
    print(f"tested on every op and device ({len(d.ALL)}): {', '.join(d.ALL)}")
    for name, why in d.NO_NUMPY.items():
        print(f"in the reports, not compared: {name}: {why}")
    for name, why in d.OPAQUE.items():
        print(f"out of scope: {name}: {why}")
    return 0


def cmd_selfcheck(args) -> int:
    from conformance.selfcheck.runner import main as selfcheck_main

    return selfcheck_main(args)


_COMMANDS = {"run": cmd_run, "list": cmd_list, "selfcheck": cmd_selfcheck, "report": cmd_report,
             "gate": cmd_gate}


def register(name: str, fn) -> None:
    """Lets a subpackage add a command (``report``, ``gate``) without editing this table."""
    _COMMANDS[name] = fn
