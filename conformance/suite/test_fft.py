"""torch.fft.fftfreq and rfftfreq against NumPy: they take no tensor, so no catalogue entry can state them.

* values, for signal lengths that are even, odd, powers of two, primes and long, spacings ``d`` that are Python
  floats, ints and NumPy scalars, and ``n`` as a Python int or a NumPy integer, with ``dtype=`` every floating
  dtype torch computes them in (float16, bfloat16, float32, float64), on every device;
* the bound: torch computes ``k * (1 / (n d))`` with ``k`` from ``arange`` in the dtype (exact up to the dtype's
  integer range, one rounding beyond: up to ``u n`` for the negative half's ``k - n``, which then cancels) and one
  rounded product (one more for the factor): ``u n |1 / (n d)| = u / |d|`` absolute and three roundings relative,
  :func:`conformance.tolerance.two_roundings` of ``|f| + 1 / |d|`` plus the final rounding's rtol;
* the documented differences, pinned (``conformance.catalogue.fft.DIVERGENCES``): the default dtype float32, the
  IEEE values for ``n = 0`` or ``d = 0`` where NumPy raises, and rfftfreq's answer for ``n = -1``.

torch refuses integer, complex and float8 dtypes for these functions (``fftfreq requires a floating point or
complex dtype``; ``arange`` has no complex or float8 kernel); NumPy has no ``dtype=`` argument to compare them with.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from conformance import devices, dtypes
from conformance import tolerance as T
from conformance.catalogue import fft as fft_catalogue
from conformance.check import Mismatch
from conformance.compare import compare

pytestmark = pytest.mark.fft

FLOATS = ("float16", "bfloat16", "float32", "float64")
LENGTHS = (1, 2, 5, 8, 17, 64, 257, 1000, 4099)
SPACINGS = (1.0, 0.1, 2, 1e-3, np.float64(0.25), -2.0)


def _check(name, n, d, dtype, device):
    t = getattr(torch.fft, name)(n, d, dtype=dtypes.TORCH[dtype], device=device)
    ref = getattr(np.fft, name)(n, d)
    expected = ref.astype(dtypes.NUMPY[dtype])
    tol = T.two_roundings(dtype, np.abs(ref) + 1.0 / abs(float(d)), why="k / (n d): k rounded, three roundings")
    diff = compare(t, expected, tol=tol)
    if diff is not None:
        raise Mismatch(f"torch.fft.{name}({n!r}, {d!r}, dtype={dtype}): {diff.summary}", "\n".join(diff.details))


#: the op marks name the functions as ``conformance list --coverage`` counts them in the torch.fft namespace
FFTFREQ, RFFTFREQ = "torch.fft.fftfreq", "torch.fft.rfftfreq"


def _values(name, device, dtype):
    for n in LENGTHS:
        for d in SPACINGS:
            _check(name, n, d, dtype, device)
        _check(name, np.int64(n), 1.0, dtype, device)


@pytest.mark.op(FFTFREQ)
@pytest.mark.dtypes(*FLOATS)
def test_fftfreq_values(device, dtype):
    """Every length and spacing, as Python and NumPy scalars, against NumPy's float64 values rounded to dtype."""
    _values("fftfreq", device, dtype)


@pytest.mark.op(RFFTFREQ)
@pytest.mark.dtypes(*FLOATS)
def test_rfftfreq_values(device, dtype):
    """As test_fftfreq_values, for rfftfreq."""
    _values("rfftfreq", device, dtype)


def _keyword_spelling(name, device):
    a = getattr(torch.fft, name)(n=9, d=0.5, dtype=torch.float64, device=device)
    b = getattr(torch.fft, name)(9, 0.5, dtype=torch.float64, device=device)
    if not torch.equal(a, b):
        raise Mismatch(f"torch.fft.{name}: keyword and positional spellings differ")
    diff = compare(a, getattr(np.fft, name)(n=9, d=0.5), tol=T.two_roundings("float64", 2.0))
    if diff is not None:
        raise Mismatch(f"torch.fft.{name}(n=9, d=0.5): {diff.summary}")


@pytest.mark.op(FFTFREQ)
def test_fftfreq_keywords(device):
    """``n`` and ``d`` by keyword give the positional values."""
    _keyword_spelling("fftfreq", device)


@pytest.mark.op(RFFTFREQ)
def test_rfftfreq_keywords(device):
    _keyword_spelling("rfftfreq", device)


def _default_dtype(name, device):
    ref = getattr(np.fft, name)(10, 0.3)
    assert ref.dtype == np.float64, f"NumPy's {name} now gives {ref.dtype}"
    t = getattr(torch.fft, name)(10, 0.3, device=device)
    if t.dtype != torch.get_default_dtype() or t.dtype != torch.float32:
        raise Mismatch(f"divergence fftfreq-default-float-dtype no longer holds: torch.fft.{name} gives {t.dtype}")
    diff = compare(t, ref.astype(np.float32), tol=T.two_roundings("float32", np.abs(ref) + 1 / 0.3))
    if diff is not None:
        raise Mismatch(f"torch.fft.{name}(10, 0.3): {diff.summary}")


@pytest.mark.op(FFTFREQ)
@pytest.mark.divergence("fftfreq-default-float-dtype")
def test_fftfreq_default_dtype(device):
    """Without dtype= the result has the default dtype, float32, where NumPy gives float64; values as NumPy's."""
    _default_dtype("fftfreq", device)


@pytest.mark.op(RFFTFREQ)
@pytest.mark.divergence("fftfreq-default-float-dtype")
def test_rfftfreq_default_dtype(device):
    _default_dtype("rfftfreq", device)


@pytest.mark.op(FFTFREQ)
@pytest.mark.divergence("fftfreq-zero-length-or-spacing")
def test_zero_length_or_spacing(device):
    """n = 0 or d = 0: torch divides by zero in IEEE arithmetic, NumPy raises; n = 1 and d != 0 (just outside):
    both compute the same values."""
    for name, args in (("fftfreq", (0,)), ("fftfreq", (5, 0.0)), ("rfftfreq", (0,)), ("rfftfreq", (5, 0.0))):
        with pytest.raises(ZeroDivisionError):
            getattr(np.fft, name)(*args)
        getattr(torch.fft, name)(*args, device=device)  # computes
    if torch.fft.fftfreq(0, device=device).numel() != 0:
        raise Mismatch("divergence fftfreq-zero-length-or-spacing: torch.fft.fftfreq(0) is no longer empty")
    got = torch.fft.fftfreq(5, 0.0, dtype=torch.float64, device=device).cpu().numpy()
    if not (np.isnan(got[0]) and np.array_equal(got[1:], [np.inf, np.inf, -np.inf, -np.inf])):
        raise Mismatch(f"divergence fftfreq-zero-length-or-spacing: torch.fft.fftfreq(5, 0.0) is now {got}")
    for name in ("fftfreq", "rfftfreq"):
        _check(name, 1, 1.0, "float64", device)
        _check(name, 5, 1e-300, "float64", device)


@pytest.mark.op(RFFTFREQ)
@pytest.mark.divergence("rfftfreq-negative-length")
def test_rfftfreq_negative_length(device):
    """rfftfreq(-1): torch gives one element (-0.), rfftfreq(-4) raises; NumPy gives empty arrays. n = -2 and -3
    (just outside): both give empty arrays."""
    assert np.fft.rfftfreq(-1).size == 0 and np.fft.rfftfreq(-4).size == 0
    got = torch.fft.rfftfreq(-1, device=device)
    if got.numel() != 1:
        raise Mismatch(f"divergence rfftfreq-negative-length no longer holds: torch.fft.rfftfreq(-1) is {got}")
    with pytest.raises(RuntimeError):
        torch.fft.rfftfreq(-4, device=device)
    for n in (-2, -3):
        if torch.fft.rfftfreq(n, device=device).numel() != 0 or np.fft.rfftfreq(n).size != 0:
            raise Mismatch(f"rfftfreq({n}): torch and NumPy no longer both give an empty result")


@pytest.mark.parametrize("name", [pytest.param(o, marks=[pytest.mark.op(o),
                                                       pytest.mark.divergence(f"{o}-gapped-rows-corrupts-heap")])
                                for o in ("fft2", "ifft2", "fftn", "ifftn")])
def test_c2c_gapped_rows_corrupts_the_heap(device, name):
    """Pins the torch bug recorded as ``<op>-gapped-rows-corrupts-heap`` (the suite's guard does not make that call
    in its own process), in a subprocess with one intra-op thread and glibc's heap checks: a complex (2, 600) input
    of step 2 along its rows ends the process (the record's pinned test checks the same values contiguous against
    NumPy). When the subprocess exits cleanly the record no longer holds and is to be removed. On a CPU the record
    leaves out (not an Intel one: ``mkl_intel_path``) the subprocess must exit cleanly."""
    import os
    import subprocess
    import sys

    if not str(device).startswith("cpu"):
        pytest.skip("the record is about the CPU kernel")
    code = ("import torch, numpy as np; torch.set_num_threads(1); "
            "x = torch.zeros(2, 1200, dtype=torch.complex64); x[:, ::2] = torch.arange(1200).reshape(2, 600) % 7 - 3; "
            f"[torch.fft.{name}(x[:, ::2]) for _ in range(3)]; print('returned')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "MALLOC_CHECK_": "3"})
    if not fft_catalogue.mkl_intel_path():
        # hardware that does not show it (the record does not apply here): the calls must run cleanly
        if run.returncode != 0:
            raise Mismatch(f"torch.fft.{name} of a complex tensor with gapped rows ended the process (exit "
                           f"{run.returncode}) on this CPU ({devices.describe('cpu')}), which the record "
                           f"{name}-gapped-rows-corrupts-heap leaves out: its hardware condition is too narrow")
        return
    if run.returncode == 0:
        raise Mismatch(f"torch.fft.{name} of a complex tensor with gapped rows returned (exit 0): the record "
                       f"{name}-gapped-rows-corrupts-heap no longer holds")
