"""Bespoke indexing tests: out-of-range indices (CPU only), view-or-copy of ``__getitem__``, ``__setitem__``
against NumPy assignment, ``tril_indices`` / ``triu_indices`` (no tensor input: no catalogue entry), the gradient
of index_fill's value, and the divergences of :mod:`conformance.catalogue.indexing` that no catalogue example
can pin (negative indices, which torch rejects for most ops, are catalogue records with pinned examples).

Out-of-range indices: on CPU torch must raise (IndexError or RuntimeError) and neither read nor write outside the
tensor: the tensors written are views into a larger buffer whose margins hold a sentinel that must survive. On
CUDA and other accelerators an out-of-range index trips a device-side assert that poisons the context for every
later test, so these tests run on CPU only (and say so when skipped).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import dtypes
from conformance.check import Mismatch, describe_inputs
from conformance.compare import compare
from conformance.references import indexing as R
from conformance.strategies import LAYOUTS, WRITABLE, ArraySpec, Case, seeds, shapes
from conformance.strategies import indexing as I
from conformance.strategies.values import fill
from conformance.suite.test_scatter import check_writes

pytestmark = pytest.mark.indexing

CPU_ONLY = "an out-of-range index trips a device-side assert on this device, which poisons its context"


def _cpu_only(device):
    if torch.device(device).type != "cpu":
        pytest.skip(f"device {device}: {CPU_ONLY}")


# ---- out of range -------------------------------------------------------------------------------------------

PAD = 4
SENTINEL = 12345.0


def _guarded(shape, device):
    """A tensor of ``shape`` (values 0, 1, ...) inside a buffer whose margins hold a sentinel."""
    n = math.prod(shape)
    base = torch.full((n + 2 * PAD,), SENTINEL, device=device)
    base[PAD:PAD + n] = torch.arange(n, dtype=torch.float32, device=device)
    return base, base[PAD:PAD + n].view(shape)


#: op -> call(x, index) where index is a 1-D int64 tensor into dim 0 of x (2-D)
OUT_OF_RANGE = {
    "index_select": lambda x, i: torch.index_select(x, 0, i),
    "take": lambda x, i: torch.take(x, i),
    "take_along_dim": lambda x, i: torch.take_along_dim(x, i),  # no dim: with one it wraps (a divergence)
    "gather": lambda x, i: torch.gather(x, 0, i[:, None].expand(-1, x.shape[1])),
    "scatter": lambda x, i: x.scatter_(0, i[:, None].expand(-1, x.shape[1]), 7.0),
    "scatter_add": lambda x, i: x.scatter_add_(0, i[:, None].expand(-1, x.shape[1]),
                                               torch.ones(len(i), x.shape[1], device=x.device)),
    "scatter_reduce": lambda x, i: x.scatter_reduce_(0, i[:, None].expand(-1, x.shape[1]),
                                                     torch.ones(len(i), x.shape[1], device=x.device), "amax"),
    "index_add": lambda x, i: x.index_add_(0, i, torch.ones(len(i), x.shape[1], device=x.device)),
    "index_copy": lambda x, i: x.index_copy_(0, i, torch.ones(len(i), x.shape[1], device=x.device)),
    "index_fill": lambda x, i: x.index_fill_(0, i, 7.0),
    "index_put": lambda x, i: x.index_put_((i,), torch.tensor(7.0, device=x.device)),
    "index_put_accumulate": lambda x, i: x.index_put_((i,), torch.tensor(7.0, device=x.device), accumulate=True),
    "getitem": lambda x, i: x[i],
    "setitem": lambda x, i: x.__setitem__(i, 7.0),
}
#: ops that count negative indices from the end (the others reject any negative index)
NEGATIVE_OK = {"take", "index_fill", "index_put", "index_put_accumulate", "getitem", "setitem"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in OUT_OF_RANGE])
@given(rows=st.integers(1, 4), cols=st.integers(1, 3), n=st.integers(1, 5), data=st.data())
def test_out_of_range_index_raises(name, device, rows, cols, n, data):
    """An index past either end raises IndexError/RuntimeError, and nothing outside the tensor changes."""
    _cpu_only(device)
    size = rows * cols if name in ("take", "take_along_dim") else rows
    low = -size if name in NEGATIVE_OK else 0
    bad = data.draw(st.sampled_from((size, size + 3, low - 1, low - 7)), label="bad index")
    values = data.draw(st.lists(st.integers(0, size - 1), min_size=n, max_size=n), label="index")
    values[data.draw(st.integers(0, n - 1), label="where")] = bad
    base, x = _guarded((rows, cols), device)
    before = base.clone()
    index = torch.tensor(values, device=device)
    try:
        OUT_OF_RANGE[name](x, index)
    except (IndexError, RuntimeError):
        pass
    else:
        raise Mismatch(f"{name}: index {bad} on a dim of size {size} did not raise (index {values})")
    if not torch.equal(base[:PAD], before[:PAD]) or not torch.equal(base[-PAD:], before[-PAD:]):
        raise Mismatch(f"{name}: memory outside the tensor changed (index {values})")


@pytest.mark.op("masked_scatter")
def test_masked_scatter_short_source_raises(device):
    """A source with fewer elements than the mask has True values raises (NumPy's reference raises too)."""
    _cpu_only(device)
    base, x = _guarded((2, 3), device)
    before = base.clone()
    mask = torch.ones(2, 3, dtype=torch.bool, device=device)
    with pytest.raises(RuntimeError):
        x.masked_scatter_(mask, torch.zeros(5, device=device))
    with pytest.raises(ValueError):
        R.masked_scatter(np.zeros((2, 3)), np.ones((2, 3), bool), np.zeros(5))
    assert torch.equal(base[:PAD], before[:PAD]) and torch.equal(base[-PAD:], before[-PAD:])


# ---- take_along_dim without dim on layouts that cannot be viewed as 1-D -----------------------------------------

@pytest.mark.op("take_along_dim")
@pytest.mark.divergence("take_along_dim-no-dim-noncontiguous")
def test_take_along_dim_flat_noncontiguous(device):
    a = np.zeros((3, 2)).T
    assert np.take_along_axis(a, np.array([0]), axis=None).tolist() == [0.0]
    x = torch.zeros(3, 2, device=device).t()
    i = torch.tensor([0], device=device)
    assert torch.take_along_dim(x.contiguous(), i).tolist() == [0.0]
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.take_along_dim(x, i)
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.take_along_dim(x.contiguous(), torch.zeros(2, 3, dtype=torch.long, device=device).t())


# ---- __getitem__: view or copy ------------------------------------------------------------------------------

def _positive_steps(index):
    return tuple(slice(p.start, p.stop, -p.step) if isinstance(p, slice) and p.step and p.step < 0 else p
                 for p in index)


def _torch_rule(index):
    """The index as torch reads it: 0-d integer arrays are integers."""
    return tuple(int(p) if isinstance(p, np.ndarray) and p.ndim == 0 and p.dtype.kind in "iu" else p
                 for p in index)


@pytest.mark.op("getitem")
@given(data=st.data())
def test_getitem_view_or_copy(device, data):
    """Basic indexing gives a view (a write through it shows in the input), advanced indexing a copy, as NumPy
    decides on the same layout; values as in NumPy."""
    if data.draw(st.booleans(), label="basic"):
        shape = data.draw(shapes(), label="shape")
        index = _positive_steps(data.draw(I.basic_index(shape), label="index"))
        index_case = st.builds(Case, st.just((ArraySpec(shape, "float32"), index)), st.just(()), seeds)
    else:
        index_case = I.case(lambda rng: (ArraySpec(shape := I.shape(rng), "float32"),
                                         I.mixed_index(rng, shape, negative_step=False)))
    case = I.long_indices(data.draw(index_case, label="case"))  # int8: getitem-index-dtype
    n = len(case.specs)
    layout = data.draw(st.sampled_from(WRITABLE), label="layout")
    rest = data.draw(st.lists(st.sampled_from(LAYOUTS), min_size=n - 1, max_size=n - 1), label="layouts")
    sample = case.with_layouts([layout] + rest).sample("ordinary")
    (x, index), _, tensors = sample.torch_inputs(device)
    values, np_index = sample.args[0], sample.args[1]
    labels = I.numpy_layout(np.arange(values.size, dtype=np.int64).reshape(values.shape), layout)
    try:
        mapped, n_exc = R.getitem_torch(labels, _torch_rule(np_index)), None
    except (IndexError, ValueError) as exc:
        mapped, n_exc = None, exc
    try:
        got, t_exc = x[index], None
    except (IndexError, RuntimeError, ValueError) as exc:
        got, t_exc = None, exc
    if (n_exc is None) != (t_exc is None):
        raise Mismatch(f"getitem: torch {'raised ' + repr(t_exc) if t_exc else 'returned'}, NumPy "
                       f"{'raised ' + repr(n_exc) if n_exc else 'returned'}", inputs=describe_inputs(sample))
    if got is None:
        return
    want = values.reshape(-1)[np.asarray(mapped)] if np.asarray(mapped).size else np.zeros(np.shape(mapped))
    if tuple(got.shape) != np.shape(mapped) or not np.array_equal(dtypes.to_numpy(got), want, equal_nan=True):
        raise Mismatch("getitem: values or shape differ from NumPy's indexing", inputs=describe_inputs(sample))
    if np.asarray(mapped).size == 0 or values.size == 0:
        return
    if not isinstance(mapped, np.ndarray):
        # a 0-d result: NumPy gives a scalar, torch a 0-d view (getitem-0d-result-view); NumPy's 0-d view is what
        # the same index with a trailing Ellipsis gives
        mapped = R.getitem_torch(labels, _torch_rule(np_index) + (Ellipsis,))
    np_view = np.shares_memory(mapped, labels)
    t_view = got.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
    if np_view != t_view:
        raise Mismatch(f"getitem: torch's result {'is' if t_view else 'is not'} a view, NumPy's "
                       f"{'is' if np_view else 'is not'}", inputs=describe_inputs(sample))
    if t_view and np.unique(mapped).size == np.asarray(mapped).size:
        got.copy_(torch.full(got.shape, -5.0, device=device))
        expected = values.copy().reshape(-1)
        expected[np.asarray(mapped).reshape(-1)] = -5.0
        if not np.array_equal(dtypes.to_numpy(x).reshape(-1), expected, equal_nan=True):
            raise Mismatch("getitem: a write through a basic-index view is not where NumPy's view puts it",
                           inputs=describe_inputs(sample))


@pytest.mark.op("getitem")
@pytest.mark.divergence("getitem-0d-index-view")
def test_getitem_0d_index_view(device):
    a = np.arange(6.0).reshape(3, 2)
    assert not np.shares_memory(a[np.array(1)], a), "NumPy now returns a view for a 0-d array index"
    x = torch.arange(6.0, device=device).reshape(3, 2)
    y = x[torch.tensor(1, device=device)]
    if y.untyped_storage().data_ptr() != x.untyped_storage().data_ptr():
        raise Mismatch("divergence getitem-0d-index-view no longer holds: x[0-d tensor] is a copy")


@pytest.mark.op("getitem")
@pytest.mark.divergence("getitem-0d-result-view")
def test_getitem_0d_result_view(device):
    a = np.arange(3.0)
    assert not isinstance(a[1], np.ndarray), "NumPy now returns an array for a[1]"
    x = torch.arange(3.0, device=device)
    y = x[1]
    if y.untyped_storage().data_ptr() != x.untyped_storage().data_ptr():
        raise Mismatch("divergence getitem-0d-result-view no longer holds: x[1] of a 1-D tensor is a copy")
    y.fill_(7.0)
    if x[1].item() != 7.0:
        raise Mismatch("a write through x[1] does not show in x")


# ---- __setitem__ --------------------------------------------------------------------------------------------

@pytest.mark.op("setitem")
@pytest.mark.dtypes("bool", "int16", "bfloat16", "float32", "complex128")
@given(data=st.data())
def test_setitem(device, dtype, data):
    """x[index] = value with ints, slices, None, Ellipsis, integer arrays and boolean masks, a scalar value or an
    array broadcast to the indexed shape: NumPy's assignment (with torch's placement of advanced dims), each
    position written holds one of the values written to it (duplicates are unspecified), the rest is kept."""
    def build(rng, dt):
        shp = I.shape(rng)
        return ArraySpec(shp, dt), I.mixed_index(rng, shp)
    # int8 index arrays are the catalogue's getitem-index-dtype record (torch rejects them): int64 here
    case = I.long_indices(data.draw(I.case(build, dtype), label="case"))
    n = len(case.specs)
    layout = data.draw(st.sampled_from(WRITABLE), label="layout")
    rest = data.draw(st.lists(st.sampled_from(LAYOUTS), min_size=n - 1, max_size=n - 1), label="layouts")
    sample = case.with_layouts([layout] + rest).sample(data.draw(st.sampled_from(("ordinary", "special"))))
    (x, index), _, _ = sample.torch_inputs(device)
    values, np_index = sample.args[0], sample.args[1]
    labels = np.arange(values.size, dtype=np.int64).reshape(values.shape)
    negative = any(isinstance(p, slice) and p.step is not None and p.step < 0 for p in np_index)
    try:
        mapped, n_exc = R.getitem_torch(labels, np_index), None
    except (IndexError, ValueError) as exc:
        mapped, n_exc = None, exc
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 32 - 1), label="value seed"))
    if mapped is not None and data.draw(st.booleans(), label="array value"):
        target = np.shape(mapped)
        # mostly the whole target shape (a value that varies along every dim shows a misplaced broadcast)
        keep = len(target) if rng.random() < 0.6 else rng.integers(0, len(target) + 1)
        vshape = tuple(1 if rng.random() < 0.15 else s for s in target[len(target) - keep:])
        if rng.random() < 0.05 and vshape:
            vshape = vshape[:-1] + (vshape[-1] + 1,)  # does not broadcast: both must raise
        value = fill(rng, vshape, dtype, "ordinary")
        t_value = dtypes.to_torch(value, device)
    else:
        value = fill(rng, (), dtype, "ordinary").item()
        t_value = value
    try:
        x[index] = t_value
        t_exc = None
    except (IndexError, RuntimeError, ValueError) as exc:
        t_exc = exc
    if negative:
        if not isinstance(t_exc, ValueError):
            raise Mismatch(f"setitem with a negative step: expected ValueError (getitem-negative-step), got "
                           f"{t_exc!r}", inputs=describe_inputs(sample))
        return
    if n_exc is None:
        try:
            written = np.broadcast_to(np.asarray(value, dtype=values.dtype), np.shape(mapped))
        except ValueError as exc:
            n_exc = exc
    if (n_exc is None) != (t_exc is None):
        raise Mismatch(f"setitem: torch {'raised ' + repr(t_exc) if t_exc else 'assigned'}, NumPy "
                       f"{'raised ' + repr(n_exc) if n_exc else 'assigned'}", inputs=describe_inputs(sample))
    if t_exc is None:
        check_writes("setitem", sample, x, values, np.asarray(mapped), written)


@pytest.mark.op("setitem")
@pytest.mark.divergence("setitem-numpy-float32-value")
@pytest.mark.dtypes("float32")
def test_setitem_numpy_float32_value(device, dtype):
    a = np.zeros(3, np.float32)
    a[np.array([1])] = np.float32(2.5)
    assert a.tolist() == [0.0, 2.5, 0.0]
    x = torch.zeros(3, device=device)
    with pytest.raises(TypeError):
        x[torch.tensor([1], device=device)] = np.float32(2.5)
    # just outside the condition: a NumPy float64 (a Python float) and a NumPy integer are taken
    x[torch.tensor([1], device=device)] = np.float64(2.5)
    x[torch.tensor([2], device=device)] = np.int64(3)
    if x.cpu().tolist() != [0.0, 2.5, 3.0]:
        raise Mismatch(f"x[i] = np.float64(2.5); x[j] = np.int64(3) gave {x.cpu().tolist()}")


# ---- gradients ----------------------------------------------------------------------------------------------

@pytest.mark.op("index_fill")
@pytest.mark.divergence("index_fill-value-gradient-negative-index")
@pytest.mark.dtypes("float32", "float64", "complex64")
def test_index_fill_value_gradient_negative_index(device, dtype):
    """The value's gradient is the sum of the cotangent over the filled positions (NumPy: the derivative of
    ``out[..., index, ...] = value`` with respect to value); torch raises for a negative index, and computes it for
    the same position given as a non-negative index."""
    dt = dtypes.TORCH[dtype]
    cot = np.array([0.5, -2.0, 3.0])
    want = cot[np.array([-1])].sum()  # the cotangent at the filled position
    for index, raises in (([-1], True), ([2], False)):
        x = torch.ones(3, dtype=dt, device=device, requires_grad=True)
        v = torch.tensor(5.0, dtype=dt, device=device, requires_grad=True)
        out = torch.index_fill(x, 0, torch.tensor(index, device=device), v)
        grad = torch.tensor(cot, dtype=dt, device=device)
        if raises:
            with pytest.raises(IndexError):
                out.backward(grad)
            continue
        out.backward(grad)
        if v.grad is None or abs(complex(v.grad.item()) - want) > 1e-6:
            raise Mismatch(f"index_fill's value gradient at index {index}: {v.grad}, NumPy's derivative {want}")


# ---- tril_indices / triu_indices ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in ("tril_indices", "triu_indices")])
@pytest.mark.op("tril_indices")  # the function's own marks are what conformance.coverage reads
@pytest.mark.op("triu_indices")
@given(row=st.one_of(st.integers(0, 6), st.integers(0, 300)), col=st.one_of(st.integers(0, 6), st.integers(0, 300)),
       data=st.data())
def test_tril_triu_indices(name, device, row, col, data):
    """torch.tril_indices(row, col, offset) against np.tril_indices(row, offset, col) stacked (the same for triu):
    offsets past either corner included, the dtype omitted (int64, as NumPy's intp), int64 or int32, positional or
    keyword. No NumPy counterpart exists for a dtype argument: the values are NumPy's, in that dtype."""
    offset = data.draw(st.integers(-row - 3, col + 3), label="offset")
    dtype = data.draw(st.sampled_from((None, "int64", "int32")), label="dtype")
    kw = {} if dtype is None else {"dtype": dtypes.TORCH[dtype]}
    fn = getattr(torch, name)
    if data.draw(st.booleans(), label="keywords"):
        got = fn(row=row, col=col, offset=offset, device=device, **kw)
    elif offset == 0 and data.draw(st.booleans(), label="offset omitted"):
        got = fn(row, col, device=device, **kw)
    else:
        got = fn(row, col, offset, device=device, **kw)
    want = np.stack(getattr(np, name)(row, offset, col)).astype(dtype or np.intp)
    diff = compare(got, want)
    if diff is not None:
        raise Mismatch(f"torch.{name}({row}, {col}, {offset}, dtype={dtype}): {diff}")


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in ("tril_indices", "triu_indices")])
@pytest.mark.divergence("tril_indices-negative-size")
def test_tril_triu_indices_negative_size(name, device):
    fn = getattr(torch, name)
    assert all(a.size == 0 for a in getattr(np, name)(-1, 0, 3)), "NumPy now rejects a negative size"
    for row, col in ((-1, 3), (3, -1)):
        with pytest.raises(RuntimeError):
            fn(row, col, device=device)
    # just outside the condition: a size of 0 gives the empty (2, 0) result in both
    if compare(fn(0, 3, device=device), np.stack(getattr(np, name)(0, 0, 3))) is not None:
        raise Mismatch(f"torch.{name}(0, 3) differs from NumPy's")
