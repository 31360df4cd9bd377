"""The strategies produce what they document: 0-d and size-0 shapes, special values, real layouts."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings

from conformance import dtypes
from conformance.strategies import ArraySpec, Case, fill, layouts, shapes, unary
from conformance.strategies.values import poison


def _collect(strategy, n=300):
    seen = []

    @settings(max_examples=n, database=None, derandomize=True)
    @given(strategy)
    def run(x):
        seen.append(x)

    run()
    return seen


def test_shapes_include_0d_size0_and_size1():
    got = _collect(shapes())
    assert any(s == () for s in got)
    assert any(0 in s for s in got)
    assert any(1 in s for s in got)
    assert max(len(s) for s in got) >= 3


@pytest.mark.parametrize("name", dtypes.FLOATING + dtypes.COMPLEX)
def test_special_fill_mixes_special_values(name):
    rng = np.random.default_rng(0)
    a = fill(rng, (400,), name, "special")
    assert a.dtype == dtypes.NUMPY[name]
    parts = [a.real, a.imag] if dtypes.is_complex(name) else [a.astype(np.float64)]
    flat = np.concatenate([p.astype(np.float64).ravel() for p in parts])
    from conformance.strategies.values import specials

    held = specials(name)  # the special values the format holds (float8 formats without infinities, sign or zero)
    assert np.isnan(flat).any()
    if np.isposinf(held).any():
        assert np.isposinf(flat).any() and np.isneginf(flat).any()
    if ((held == 0) & np.signbit(held)).any():
        assert ((flat == 0) & np.signbit(flat)).any(), "-0.0 is generated"
    tiny = np.abs(flat[np.isfinite(flat) & (flat != 0)]).min()
    assert tiny <= np.abs(held[np.isfinite(held) & (held != 0)]).min(), "the smallest (subnormal) values are generated"


@pytest.mark.parametrize("name", dtypes.INTEGRAL)
def test_integer_fills_reach_the_extremes(name):
    rng = np.random.default_rng(1)
    a = fill(rng, (400,), name, "special")
    info = np.iinfo(dtypes.NUMPY[name])
    assert a.max() == info.max and a.min() == info.min


def test_domain_bounds_hold_in_every_fill():
    rng = np.random.default_rng(2)
    for mode in ("ordinary", "special", "extreme"):
        a = fill(rng, (200,), "int64", mode, ("int", -3, 4))
        assert a.min() >= -3 and a.max() < 4


@pytest.mark.parametrize("layout", layouts.NONCONTIGUOUS)
@pytest.mark.parametrize("name", ["float32", "bfloat16", "int16", "bool", "complex64"])
def test_layouts_keep_values_and_change_memory(layout, name):
    rng = np.random.default_rng(3)
    values = fill(rng, (3, 4), name, "ordinary")
    if layout == "expanded":
        values = layouts.constant_along_axis(values)
    tensor = layouts.make(values, layout)
    assert tuple(tensor.shape) == (3, 4)
    np.testing.assert_array_equal(dtypes.to_numpy(tensor), values)
    if layout == "expanded":
        assert 0 in tensor.stride()
    elif layout == "offset":
        assert tensor.storage_offset() == layouts.OFFSET
    else:
        assert not tensor.is_contiguous()


def test_strided_gaps_hold_poison():
    values = np.ones((2, 2), dtype=np.float32)
    tensor = layouts.make(values, "strided")
    storage = torch.as_strided(tensor, (8,), (1,), 0)
    assert torch.isnan(storage).sum() >= 3
    assert np.isnan(poison("float32"))


def test_case_samples_are_reproducible_and_distinct():
    case = Case((ArraySpec((5,), "float32"),), (), seed=7)
    a = [s.arrays[0] for s in case.samples()]
    b = [s.arrays[0] for s in case.samples()]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], a[1], equal_nan=True)


def test_with_layouts_replaces_each_array_layout():
    case = _collect(unary("float32"), 5)[0]
    changed = case.with_layouts(["strided"])
    assert [s.layout for s in changed.specs] == ["strided"]


def test_uniform_from_reaches_the_end_of_a_long_pool_and_shrinks_to_its_start():
    """st.sampled_from over 800 items gives its last sixth about one time in ten; uniform_from about one in six."""
    from hypothesis import find

    from conformance.strategies.shapes import BLOCK, uniform_from

    items = tuple(range(800))
    got = np.array(_collect(uniform_from(items), n=600))
    assert 0.12 <= np.mean(got >= 667) <= 0.22
    assert 0.07 <= np.mean(got < 80) <= 0.15
    assert find(uniform_from(items), lambda i: True) == 0
    assert 500 <= find(uniform_from(items), lambda i: i >= 500) <= 500 + BLOCK  # the first item of a block


def test_long_rows_come_one_time_in_ten_and_empty_shapes_rarely():
    """The issue's figures for the pointwise shapes (ci draws): a long last dim one time in ten or more, an empty
    shape at most one in ten, one-element shapes first (what Hypothesis draws most often)."""
    from conformance.strategies.shapes import pool

    got = _collect(shapes(), n=400)
    assert np.mean([bool(s) and s[-1] >= 256 for s in got]) >= 0.10
    assert np.mean([0 in s for s in got]) <= 0.10
    assert int(np.prod(pool()[0])) == 1


@pytest.mark.parametrize("layout", layouts.LAYOUTS)
def test_strides_read_from_the_construction_match_the_tensor(layout):
    for shape in ((), (1,), (5,), (1, 16), (3, 20), (2, 1, 4), (1, 4, 1), (2, 3, 4)):
        assert layouts.strides(shape, layout) == tuple(layouts.make(np.zeros(shape, np.float32), layout).stride()), shape
