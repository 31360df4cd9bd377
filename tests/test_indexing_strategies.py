"""The indexing, joining and views strategies produce what they document: valid and repeated indices, empty index
arrays, gather and scatter shapes torch accepts, split arguments, reshape targets, NumPy arrays with the strides of
each layout, and sizes from the size classes (medium and long rows, few empty cases)."""
import math
import random

import numpy as np
import pytest
import torch
from hypothesis import given, settings

from conformance.catalogue import indexing as catalogue_indexing
from conformance.strategies import LAYOUTS, layouts
from conformance.strategies import indexing as I
from conformance.strategies import joining as J
from conformance.strategies import views as V
from conformance.support import draw


def _rngs(n=400):
    return [random.Random(seed) for seed in range(n)]


def _values(spec, seed=0):
    from conformance.strategies.values import fill

    return fill(np.random.default_rng(seed), spec.shape, spec.dtype, "ordinary", spec.domain)


def test_index_values_in_range_and_repeated():
    repeated = negative = empty = 0
    for rng in _rngs():
        x, dim, idx = I.index_args(rng, "float32", source=False, negative=True)
        n = x.shape[dim % len(x.shape)]
        v = _values(idx, rng.getrandbits(32))
        assert v.size == 0 or (v.min() >= -n and v.max() < n), (x, dim, idx)
        repeated += v.size > np.unique(v).size
        negative += bool(v.size and v.min() < 0)
        empty += v.size == 0
    assert repeated > 100 and negative > 40 and empty > 5


def test_unique_cases_never_repeat_a_position():
    for rng in _rngs():
        x, dim, idx, src = I.scatter_args(rng, "float32", unique=True)
        if idx.shape:
            assert idx.shape[dim % len(idx.shape)] <= 1
        x, indices, values = I.put_args(rng, "float32", unique=True)
        if indices[0].dtype != "bool":
            assert math.prod(I.broadcast([i.shape for i in indices])) <= 1


def test_gather_and_scatter_shapes_are_accepted_by_torch():
    for rng in _rngs(200):
        x, dim, idx = I.gather_args(rng, "float32")
        t = torch.from_numpy(_values(x))
        i = torch.from_numpy(_values(idx, 1).astype(np.int64))
        torch.gather(t, dim, i)
        x, dim, idx, src = I.scatter_args(rng, "float32")
        torch.scatter_add(t if x.shape == tuple(t.shape) else torch.from_numpy(_values(x)), dim,
                          torch.from_numpy(_values(idx, 1).astype(np.int64)), torch.from_numpy(_values(src, 2)))


def test_split_arguments():
    for rng in _rngs():
        n = rng.randint(0, 7)
        sizes = J.split_sizes(rng, n)
        assert sum(sizes) == n and all(s >= 0 for s in sizes) and 1 <= len(sizes) <= 4
        assert all(-n - 2 <= p <= n + 2 for p in J.split_indices(rng, n))


def test_reshape_and_split_targets():
    for rng in _rngs():
        shp = I.shape(rng)
        target = V.reshape_target(rng, shp)
        np.reshape(np.zeros(shp), target)
        viewable = V.split_target(rng, shp)
        for layout in LAYOUTS:
            assert I.viewable(np.zeros(shp), layout, viewable), (shp, layout, viewable)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_numpy_layout_has_torch_strides(layout):
    for rng in _rngs(60):
        values = np.arange(math.prod(shp := I.shape(rng)), dtype=np.float32).reshape(shp)
        if layout == "expanded":  # as Case.sample makes them: constant along the expanded axis
            values = layouts.constant_along_axis(values)
        t = layouts.make(values, layout)
        a = I.numpy_layout(values, layout)
        assert np.array_equal(a, values)
        if values.size == 0:
            continue  # no element: strides mean nothing
        strides = [(ts, ns // a.itemsize) for ts, ns, n in zip(t.stride(), a.strides, shp) if n > 1]
        assert all(ts == ns for ts, ns in strides), (shp, layout)  # size-1 dims' strides do not matter


def test_case_strategy_draws_one_integer():
    seen = []

    @settings(max_examples=30, database=None, derandomize=True)
    @given(I.case(I.gather_args, "float32"))
    def run(case):
        seen.append(case)

    run()
    assert len({repr(c) for c in seen}) > 20
    assert all(isinstance(c.seed, int) for c in seen)


def test_index_dtypes_include_int32_and_another_integer():
    seen = {I.index_dtype(rng, 5) for rng in _rngs()}
    assert seen == {"int64", "int32", I.OTHER_INDEX}
    assert {I.index_dtype(rng, 1000) for rng in _rngs()} == {"int64", "int32"}  # int8 cannot hold the indices


def _elements(case):
    return max((math.prod(s.shape) for s in case.specs), default=0)


def test_sizes_come_from_the_size_classes():
    """Under the drawn rank, at least 30 % of gather cases have 16+ elements, 10 % 256+, at most 10 % are empty."""
    sizes = [_elements(draw(catalogue_indexing.ENTRIES[3].strategy("float32"), seed)) for seed in range(300)]
    assert catalogue_indexing.ENTRIES[3].name == "gather"
    n = len(sizes)
    assert sum(s >= 16 for s in sizes) >= 0.3 * n
    assert sum(s >= 256 for s in sizes) >= 0.1 * n
    assert sum(s == 0 for s in sizes) <= 0.1 * n


def test_rank_shrinks_to_the_simplest_shape():
    """The first shape of a case is picked by the drawn rank: rank 0 is the simplest shape, a one-element one (the
    pool puts the empty shapes right after the one-element ones)."""
    rng = I.Draw(7, 0.0)
    assert I.sized_shape(rng) == ()
    assert rng.rank is None  # used once


def test_long_indices_makes_other_index_dtypes_int64():
    for seed in range(200):  # the specs of scatter_args: x, index, src
        case = draw(I.case(I.scatter_args, "int8"), seed)
        if case.specs[1].dtype == I.OTHER_INDEX:
            break
    assert case.specs[1].dtype == I.OTHER_INDEX
    moved = I.long_indices(case)
    assert moved.specs[1].dtype == "int64"
    assert [s.dtype for s in moved.specs if s.domain is None] == [s.dtype for s in case.specs if s.domain is None]


def test_put_without_accumulate_writes_each_position_once():
    for rng in _rngs():
        (x, index, source), kwargs = I._put(rng, "float32")
        assert math.prod(index.shape) <= 1
        assert not kwargs.get("accumulate", False)


def test_new_view_strategies_draw_valid_calls_mostly():
    """diag, roll, rot90, tile, meshgrid, vander: most drawn calls are accepted by NumPy (a few are invalid on
    purpose), and square results stay small."""
    from conformance.references import views as R

    for build, ref in ((V._diag, R.diag), (V._roll, R.roll), (V._rot90, R.rot90), (V._tile, R.tile),
                       (V._meshgrid, R.meshgrid), (V._vander, R.vander)):
        ok = 0
        for rng in _rngs(150):
            made = build(rng, "float32")
            args, kwargs = made if len(made) == 2 and isinstance(made[1], dict) else (made, {})
            arrays = [np.zeros(a.shape, a.dtype) if hasattr(a, "shape") else a for a in args]
            try:
                out = ref(*arrays, **kwargs)
                ok += 1
                assert sum(np.size(o) for o in (out if isinstance(out, tuple) else (out,))) <= 200_000
            except (ValueError, IndexError, TypeError):
                pass
        assert ok >= 120, build.__name__
