"""Runs the suite once per planted bug and reports which were caught."""
from __future__ import annotations

import concurrent.futures as cf
import os
import subprocess
import sys
import time

from conformance import selfcheck


def _pytest_cmd(modules, select) -> list[str]:
    return [sys.executable, "-m", "pytest", "--pyargs", *modules, "-k", select, "-x", "-q",
            "-p", "no:cacheprovider", "-p", "no:randomly", "--conformance-profile", "selfcheck",
            "--device", "cpu", "-W", "ignore"]


def _run(cmd, plant: str | None) -> tuple[int, str, float]:
    env = dict(os.environ)
    env.pop(selfcheck.ENV, None)
    if plant:
        env[selfcheck.ENV] = plant
    env.setdefault("OMP_NUM_THREADS", "1")
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start


def run(names=None, workers: int = 2, out=print) -> int:
    """Returns 0 when every selected planted bug was caught (and the clean suite passes), 1 otherwise."""
    chosen = [selfcheck.by_name(n) for n in names] if names else list(selfcheck.bugs())
    # the same selections without any planted bug must pass, or "caught" would mean nothing
    groups: dict[tuple, list[str]] = {}
    for b in chosen:
        groups.setdefault(b.modules, []).append(f"({b.select})")
    jobs = {("clean", mods): _pytest_cmd(mods, " or ".join(sels)) for mods, sels in groups.items()}
    jobs.update({(b.name, None): _pytest_cmd(b.modules, b.select) for b in chosen})
    results = {}
    with cf.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futs = {pool.submit(_run, cmd, None if key[0] == "clean" else key[0]): key for key, cmd in jobs.items()}
        for fut in cf.as_completed(futs):
            results[futs[fut]] = fut.result()
    ok = True
    for key, (code, text, secs) in results.items():
        if key[0] == "clean" and code != 0:
            ok = False
            out(f"CLEAN RUN FAILED ({', '.join(key[1])}): the selections fail without any planted bug")
            out(text[-3000:])
    caught = 0
    out(f"{'planted bug':<40} {'family':<11} {'result':<8} {'time':>6}  description")
    for b in chosen:
        code, text, secs = results[(b.name, None)]
        hit = code == 1
        caught += hit
        status = "caught" if hit else ("MISSED" if code == 0 else f"ERROR {code}")
        out(f"{b.name:<40} {b.family:<11} {status:<8} {secs:5.1f}s  {b.description}")
        if not hit:
            ok = False
            if code not in (0, 1):
                out(text[-2000:])
    out(f"{caught} of {len(chosen)} planted bugs caught")
    return 0 if ok and caught == len(chosen) else 1


def main(args) -> int:
    from conformance.errors import UsageError

    if args.list:
        for b in selfcheck.bugs():
            print(f"{b.name:<40} {b.family:<11} {b.description}")
        return 0
    for n in args.names:
        try:
            selfcheck.by_name(n)
        except KeyError:
            raise UsageError(f"unknown planted bug {n!r}; see `conformance selfcheck --list`") from None
    return run(args.names or None, workers=args.workers)
