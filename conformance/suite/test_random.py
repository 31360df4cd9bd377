"""Random numbers: seeding and the documented ranges, shapes and dtypes (values are not compared with NumPy's:
the generators differ).

* ``torch.manual_seed(s)`` makes the next draws reproducible; a ``torch.Generator`` seeded with ``s`` draws the
  same values as the global generator seeded with ``s``, independently of the global generator and of other
  generators (drawing from one does not move the others);
* ``rand``: [0, 1); ``randn``: finite; ``randint(low, high)``: integers in [low, high) (high excluded), every
  dtype; ``randperm(n)``: a permutation of 0..n-1; each with the requested shape, dtype and device.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import devices, dtypes
from conformance.check import Mismatch
from conformance.strategies import pointwise as P

pytestmark = pytest.mark.random

SEEDS = st.integers(0, 2 ** 63 - 1)
FLOATS = ("float16", "bfloat16", "float32", "float64")

DRAWS = {
    "rand": lambda shape, dev, g=None: torch.rand(shape, device=dev, generator=g),
    "randn": lambda shape, dev, g=None: torch.randn(shape, device=dev, generator=g),
    "randint": lambda shape, dev, g=None: torch.randint(-5, 7, shape, device=dev, generator=g),
    "randperm": lambda shape, dev, g=None: torch.randperm(math.prod(shape), device=dev, generator=g),
}


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(torch.equal(a, b))


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in DRAWS])
@given(seed=SEEDS, shape=P.shapes())
def test_manual_seed_reproducible(name, device, seed, shape):
    """The same seed gives the same values (through torch.manual_seed and through a Generator), on the device."""
    draw = DRAWS[name]
    torch.manual_seed(seed)
    a = draw(shape, device)
    b = draw(shape, device)
    torch.manual_seed(seed)
    if not _same(draw(shape, device), a) or not _same(draw(shape, device), b):
        raise Mismatch(f"torch.manual_seed({seed}) does not reproduce torch.{name}{shape} on {device}")
    g = torch.Generator(device=device).manual_seed(seed)
    first = draw(shape, device, g)
    if g.manual_seed(seed) is not g:
        raise Mismatch("Generator.manual_seed does not return the generator")
    if not _same(draw(shape, device, g), first):
        raise Mismatch(f"Generator.manual_seed({seed}) does not reproduce torch.{name}{shape}")
    if g.initial_seed() != seed:
        raise Mismatch(f"Generator.initial_seed() is {g.initial_seed()} after manual_seed({seed})")


@pytest.mark.op("Generator")
@given(seed=SEEDS, other=SEEDS, shape=P.shapes())
def test_generators_independent(device, seed, other, shape):
    """Two generators seeded alike draw alike, whatever is drawn from the global generator or a third one in
    between; drawing from a generator leaves the global generator's state alone."""
    g1 = torch.Generator(device=device).manual_seed(seed)
    g2 = torch.Generator(device=device).manual_seed(seed)
    g3 = torch.Generator(device=device).manual_seed(other)
    a = torch.rand(shape, generator=g1, device=device)
    torch.manual_seed(other)
    state = torch.get_rng_state() if device == "cpu" else None
    torch.rand(7, device=device)
    torch.rand(5, generator=g3, device=device)
    if not _same(torch.rand(shape, generator=g2, device=device), a):
        raise Mismatch("a generator's values depend on draws from the global generator or another generator")
    torch.manual_seed(other)
    before = torch.rand(3, device=device)
    torch.manual_seed(other)
    torch.rand(shape, generator=g1, device=device)
    torch.randn(shape, generator=g1, device=device)
    if not _same(torch.rand(3, device=device), before):
        raise Mismatch("drawing from a torch.Generator moved the global generator")
    if state is not None:
        torch.manual_seed(other)
        if not torch.equal(torch.get_rng_state(), state):
            raise Mismatch("torch.manual_seed does not restore the same global state")


@pytest.mark.op("rand")
@pytest.mark.dtypes(*FLOATS)
@given(seed=SEEDS, shape=P.shapes())
def test_rand(device, dtype, seed, shape):
    """rand: shape, dtype, device; values in [0, 1) (1 excluded, even after rounding to the dtype)."""
    torch.manual_seed(seed)
    t = torch.rand(shape, dtype=dtypes.TORCH[dtype], device=device)
    _made(t, shape, dtype, device, "torch.rand")
    v = t.float().cpu().numpy()
    if v.size and not ((v >= 0) & (v < 1)).all():
        raise Mismatch(f"torch.rand({shape}, dtype=torch.{dtype}) has values outside [0, 1): {v[(v < 0) | (v >= 1)]}")
    if torch.rand(shape, device=device).dtype != torch.float32:
        raise Mismatch("torch.rand without dtype= does not give the default dtype, float32")


@pytest.mark.op("randn")
@pytest.mark.dtypes(*FLOATS, "complex64")
@given(seed=SEEDS, shape=P.shapes())
def test_randn(device, dtype, seed, shape):
    """randn: shape, dtype, device, finite values (complex: both parts), not all equal when there are many."""
    torch.manual_seed(seed)
    t = torch.randn(shape, dtype=dtypes.TORCH[dtype], device=device)
    _made(t, shape, dtype, device, "torch.randn")
    v = t.cpu()
    v = torch.view_as_real(v) if v.is_complex() else v.float()
    if v.numel() and not torch.isfinite(v).all():
        raise Mismatch(f"torch.randn({shape}, dtype=torch.{dtype}) has non-finite values")
    if t.numel() >= 16 and torch.unique(v).numel() < 4:
        raise Mismatch(f"torch.randn({shape}, dtype=torch.{dtype}) has fewer than 4 distinct values")


def _made(t, shape, dtype, device, what):
    if tuple(t.shape) != tuple(shape) or t.dtype != dtypes.TORCH[dtype] or not devices.same(t.device, device):
        raise Mismatch(f"{what}: shape {tuple(t.shape)}, dtype {t.dtype}, device {t.device}; wanted {tuple(shape)}, "
                       f"torch.{dtype}, {device}")


def randint_bounds(dtype: str):
    """(low, high) pairs inside the dtype's range: small spans (so that both ends show), the dtype's edges."""
    if dtype == "bool":
        return st.sampled_from(((0, 1), (0, 2), (1, 2)))
    info = np.iinfo(dtypes.NUMPY[dtype]) if dtype in dtypes.INTEGRAL else None
    lo_edge = int(info.min) if info else -2 ** 24
    hi_edge = int(info.max) if info else 2 ** 24
    small = st.tuples(st.integers(max(lo_edge, -20), min(hi_edge, 20) - 1), st.integers(1, 4)).map(
        lambda p: (p[0], min(p[0] + p[1], hi_edge)))
    return st.one_of(small, st.just((lo_edge, lo_edge + 3)), st.just((hi_edge - 3, hi_edge)))


@pytest.mark.op("randint")
@pytest.mark.dtypes("bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64")
@given(data=st.data(), seed=SEEDS)
def test_randint(device, dtype, data, seed):
    """randint(low, high, shape, dtype=d): integers in [low, high) (high excluded), every value of a small span
    reached in a large draw, the shape, dtype and device asked for (int64 without dtype=)."""
    low, high = data.draw(randint_bounds(dtype), label="bounds")
    shape = data.draw(st.one_of(P.shapes(), st.just((64, 4))), label="shape")
    torch.manual_seed(seed)
    t = torch.randint(low, high, shape, dtype=dtypes.TORCH[dtype], device=device)
    _made(t, shape, dtype, device, f"torch.randint({low}, {high})")
    v = t.cpu().to(torch.float64 if dtype in ("float32", "float64") else torch.int64).numpy()
    if v.size and not ((v >= low) & (v < high)).all():
        outside = sorted(set(v[(v < low) | (v >= high)].tolist()))[:5]
        raise Mismatch(f"torch.randint({low}, {high}, dtype=torch.{dtype}) drew {outside}, outside [low, high)")
    if v.size >= 256 and set(np.unique(v).tolist()) != set(range(low, high)):
        raise Mismatch(f"torch.randint({low}, {high}) over {v.size} draws reached {sorted(set(v.tolist()))}, "
                       f"not every value of [{low}, {high})")
    if torch.randint(low, high, (2,), device=device).dtype != torch.int64:
        raise Mismatch("torch.randint without dtype= does not give int64")


@pytest.mark.op("randperm")
@pytest.mark.dtypes("int16", "int32", "int64", "float32", "float64")
@given(n=st.one_of(st.integers(0, 10), st.integers(11, 300)), seed=SEEDS)
def test_randperm(device, dtype, n, seed):
    """randperm(n) is a permutation of 0..n-1 (each value once), of the dtype asked for (int64 by default)."""
    torch.manual_seed(seed)
    t = torch.randperm(n, dtype=dtypes.TORCH[dtype], device=device)
    _made(t, (n,), dtype, device, f"torch.randperm({n})")
    if sorted(t.cpu().to(torch.int64).tolist()) != list(range(n)):
        raise Mismatch(f"torch.randperm({n}, dtype=torch.{dtype}) is not a permutation of 0..{n - 1}")
    if torch.randperm(n, device=device).dtype != torch.int64:
        raise Mismatch("torch.randperm without dtype= does not give int64")
