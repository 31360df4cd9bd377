"""Aliasing of views: a torch result shares storage with its input exactly when NumPy's counterpart, applied to
an array with the same strides, shares memory with it (``np.shares_memory``); a write through the result shows in
the input and a write into the input shows in the result, at the elements NumPy's counterpart maps; in-place ops
on a view update its base; ``view`` raises exactly where NumPy's ``reshape(copy=False)`` must copy, while
``reshape`` then copies (and returns a view whenever one is possible); ``contiguous`` of a contiguous tensor is
the tensor itself, ``clone`` never aliases; ``torch.from_numpy`` and ``Tensor.numpy`` share memory.

Inputs are every layout of :mod:`conformance.strategies.layouts` (transposed, step-sliced, offset, expanded with a
zero stride); the NumPy counterpart is built with the same strides (:func:`conformance.strategies.indexing.numpy_layout`)
and filled with *labels* (the logical flat index of each element), so the elements a NumPy view maps are read
off its values. Documented differences are the ``DIVERGENCES`` of :mod:`conformance.catalogue.views`, pinned here.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import catalogue, dtypes
from conformance.check import Mismatch
from conformance.references import views as R
from conformance.strategies import LAYOUTS, layouts
from conformance.strategies import indexing as I

pytestmark = pytest.mark.views


# ---- NumPy counterparts with NumPy's view semantics ---------------------------------------------------------

def _zero_d_or(fn):
    """torch takes dims 0 and -1 of a 0-d tensor and returns a view of it; NumPy has no axis there."""
    return lambda a, *args: a[...] if a.ndim == 0 else fn(a, *args)


def _squeeze_dim(a, dim):
    if a.ndim == 0:
        return a[...]
    axes = {d % a.ndim for d in (dim if isinstance(dim, tuple) else (dim,))}
    return np.squeeze(a, axis=tuple(ax for ax in sorted(axes) if a.shape[ax] == 1))


def _select(a, dim, index):
    return a[(slice(None),) * (dim % a.ndim) + (index, Ellipsis)]  # the Ellipsis keeps a 0-d result a view


def _unfold(a, dimension, size, step):
    if a.ndim == 0:  # torch: a 1-element 1-D input, and the result has the window dim only
        if size > 1:
            raise ValueError("size larger than the dim")
        return np.lib.stride_tricks.as_strided(a, (size,), (a.itemsize,))
    aa = a
    d = dimension % aa.ndim
    if size > aa.shape[d] or size < 0:
        raise ValueError("size larger than the dim")
    count = (aa.shape[d] - size) // step + 1
    shape = aa.shape[:d] + (count,) + aa.shape[d + 1:] + (size,)
    strides = aa.strides[:d] + (aa.strides[d] * step,) + aa.strides[d + 1:] + (aa.strides[d],)
    return np.lib.stride_tricks.as_strided(aa, shape, strides)


def _flatten(a, start_dim=0, end_dim=-1):
    return a.reshape(1) if a.ndim == 0 else R.flatten(a, start_dim, end_dim)


#: op -> (catalogue entry whose strategy draws the case, NumPy counterpart keeping NumPy's views)
VIEW_OPS = {
    "view": ("reshape", lambda a, shape: np.reshape(a, shape, copy=False)),
    "reshape": ("reshape", np.reshape),
    "flatten": ("flatten", _flatten),
    "ravel": ("ravel", np.ravel),
    "squeeze": ("squeeze", np.squeeze),
    "squeeze_dim": ("squeeze_dim", _squeeze_dim),
    "unsqueeze": ("unsqueeze", np.expand_dims),
    "transpose": ("transpose", _zero_d_or(np.swapaxes)),
    "swapaxes": ("swapaxes", _zero_d_or(np.swapaxes)),
    "permute": ("permute", np.transpose),
    "movedim": ("movedim", np.moveaxis),
    "expand": ("expand", R.expand),
    "broadcast_to": ("broadcast_to", R.broadcast_to_torch),
    "T": ("T", np.transpose),
    "mT": ("mT", _zero_d_or(lambda a: np.swapaxes(a, -1, -2))),
    "narrow": ("narrow", R.narrow),
    "select": ("select", _select),
    "diagonal": ("diagonal", R.diagonal),
    "unfold": ("unfold", _unfold),
    "contiguous": ("contiguous", _zero_d_or(np.ascontiguousarray)),  # contiguous-0d
    "clone": ("clone", np.copy),
    "flip": ("flip", np.flip),
}


def _torch_fn(name):
    if name == "view":
        return lambda x, shape: x.view(shape)
    return catalogue.by_name(name).fn


def same_storage(result: torch.Tensor, base: torch.Tensor) -> bool:
    return result.untyped_storage().data_ptr() == base.untyped_storage().data_ptr()


def shares(result, base) -> bool | None:
    """Whether a NumPy result shares memory with its base (None when either is empty: nothing to share)."""
    if result.size == 0 or base.size == 0:
        return None
    return bool(np.shares_memory(result, base))


def overlaps(labels: np.ndarray) -> bool:
    """Whether some elements of a (label-valued) view are the same element."""
    return np.unique(labels).size != labels.size


def _fail(what, name, sample, layout, detail=""):
    raise Mismatch(f"{name} [{layout} input]: {what}", detail, repr(sample.case))


# ---- the property ------------------------------------------------------------------------------------------

def _run_view(name, device, data):
    entry, np_fn = VIEW_OPS[name]
    case = data.draw(catalogue.by_name(entry).strategy("float32"), label="case")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    case = case.with_layouts([layout] + ["contiguous"] * (len(case.specs) - 1))
    sample = case.sample("ordinary")
    args, kwargs, tensors = sample.torch_inputs(device)
    x = tensors[0]
    values = sample.arrays[0]
    labels = I.numpy_layout(np.arange(values.size, dtype=np.int64).reshape(values.shape), layout)
    try:
        got, t_exc = _torch_fn(name)(*args, **kwargs), None
    except Exception as exc:  # noqa: BLE001
        got, t_exc = None, exc
    try:
        mapped, n_exc = np_fn(labels, *args[1:], **kwargs), None
    except Exception as exc:  # noqa: BLE001
        mapped, n_exc = None, exc
    if t_exc is not None or n_exc is not None:
        if (t_exc is None) != (n_exc is None):
            _fail(f"torch {'raised ' + repr(t_exc) if t_exc else 'returned a result'}, NumPy "
                  f"{'raised ' + repr(n_exc) if n_exc else 'returned a result'}", name, sample, layout)
        return
    np_shares = shares(mapped, labels)
    if np_shares is None or got.numel() == 0:
        return
    t_shares = same_storage(got, x)
    want = False if name == "flip" else np_shares  # flip-copies: torch.flip always copies
    if t_shares != want:
        _fail(f"the result {'shares' if t_shares else 'does not share'} storage with the input; NumPy's "
              f"counterpart {'shares' if np_shares else 'does not share'} memory", name, sample, layout,
              f"input strides {x.stride()}, result strides {got.stride()}, shape {tuple(got.shape)}")
    if name == "contiguous" and x.is_contiguous() and got is not x:
        _fail("contiguous() of a contiguous tensor is not the tensor itself", name, sample, layout)
    if not t_shares:
        return
    _write_through(name, sample, layout, x, got, values, np.asarray(mapped), device)


def _write_through(name, sample, layout, x, got, values, mapped, device):
    """Writes through the result (copy_, then add_) and into the input; each must show on the other side at
    the elements the NumPy labels map."""
    if overlaps(mapped) or layout == "expanded":
        return  # writes into memory shared by several elements: the expanded-write divergence
    flat = mapped.reshape(-1)
    new = -(1.0 + np.arange(flat.size, dtype=np.float32))
    got.copy_(torch.from_numpy(new.reshape(mapped.shape)).to(device))
    expected = values.astype(np.float32).copy().reshape(-1)
    expected[flat] = new
    if not np.array_equal(dtypes.to_numpy(x).reshape(-1), expected, equal_nan=True):
        _fail("a write through the result is not in the input where NumPy's view puts it", name, sample, layout)
    got.add_(1.0)  # an in-place op on the view updates its base
    expected[flat] += 1.0
    if not np.array_equal(dtypes.to_numpy(x).reshape(-1), expected, equal_nan=True):
        _fail("an in-place add_ on the result does not update the input where NumPy's view maps", name, sample,
              layout)
    fresh = 100.0 + np.arange(values.size, dtype=np.float32)
    x.copy_(torch.from_numpy(fresh.reshape(values.shape)).to(device))
    if not np.array_equal(dtypes.to_numpy(got).reshape(-1), fresh[flat]):
        _fail("a write into the input does not show in the result where NumPy's view maps it", name, sample,
              layout)


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in VIEW_OPS])
@given(data=st.data())
def test_view_aliasing(name, device, data):
    """The result aliases its input as NumPy's counterpart does, on every layout, and writes go through."""
    _run_view(name, device, data)


# ---- interop ------------------------------------------------------------------------------------------------

@pytest.mark.op("from_numpy")
@pytest.mark.dtypes("bool", "int16", "float32", "complex128")
@given(data=st.data())
def test_from_numpy_shares_memory(device, dtype, data):
    """torch.from_numpy shares the array's memory (any positive strides), and Tensor.numpy shares the tensor's."""
    if device != "cpu":
        pytest.skip(f"device {device}: torch.from_numpy makes CPU tensors only")
    case = data.draw(catalogue.by_name("clone").strategy(dtype), label="case")
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    values = case.sample("ordinary").arrays[0]
    a = I.numpy_layout(values, layout)
    if layout == "expanded":
        a = a.copy()  # a read-only broadcast view cannot take writes; the zero-stride layout is tested below
    t = torch.from_numpy(a)
    if t.shape != a.shape or t.stride() != tuple(s // a.itemsize for s in a.strides):
        raise Mismatch(f"from_numpy: shape/strides {tuple(t.shape)}/{t.stride()} for {a.shape}/{a.strides}")
    if a.size == 0:
        return
    new = np.flip(values.reshape(-1)).reshape(values.shape)
    t.copy_(torch.from_numpy(new.copy()))
    if not np.array_equal(a, new, equal_nan=True):
        raise Mismatch("a write into torch.from_numpy(a) does not show in a")
    a[...] = values
    if not np.array_equal(t.numpy(), values, equal_nan=True):
        raise Mismatch("a write into a does not show in torch.from_numpy(a)")
    if not np.shares_memory(t.numpy(), a):
        raise Mismatch("Tensor.numpy() of torch.from_numpy(a) does not share memory with a")


# ---- divergences --------------------------------------------------------------------------------------------

@pytest.mark.op("flip")
@pytest.mark.divergence("flip-copies")
def test_flip_copies(device):
    a = np.arange(6.0).reshape(2, 3)
    assert np.shares_memory(np.flip(a, 0), a), "NumPy's flip no longer returns a view"
    t = torch.arange(6.0, device=device).reshape(2, 3)
    if same_storage(torch.flip(t, (0,)), t):
        raise Mismatch("divergence flip-copies no longer holds: torch.flip returned a view")


@pytest.mark.op("diagonal")
@pytest.mark.divergence("diagonal-writable-view")
def test_diagonal_writable(device):
    a = np.zeros((3, 4))
    with pytest.raises(ValueError):
        np.diagonal(a, 1)[...] = 1.0
    t = torch.zeros(3, 4, device=device)
    torch.diagonal(t, 1).fill_(1.0)
    if t.cpu().numpy().tolist() != [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]:
        raise Mismatch("divergence diagonal-writable-view no longer holds: a write through torch.diagonal(t, 1) "
                       f"gave {t.cpu().numpy().tolist()}")


@pytest.mark.op("expand")
@pytest.mark.divergence("expanded-write")
def test_expanded_write(device):
    a = np.broadcast_to(np.zeros((1, 3)), (4, 3))
    for write in (lambda: a.__setitem__(0, 1.0), lambda: a.__setitem__((slice(None), 0), 1.0)):
        with pytest.raises(ValueError):
            write()
    e = torch.zeros(1, 3, device=device).expand(4, 3)
    for what, write in (("e[:, 0] = 1", lambda: e.__setitem__((slice(None), 0), 1.0)),
                        ("e.add_(1)", lambda: e.add_(1.0))):
        try:
            write()
        except RuntimeError as exc:
            assert "single memory location" in str(exc), exc
        else:
            raise Mismatch(f"divergence expanded-write no longer holds: {what} on an expanded tensor went through")
    e[0] = torch.arange(3.0, device=device)  # the target row has no overlap: it goes through, into every row
    if e.cpu().numpy().tolist() != [[0.0, 1.0, 2.0]] * 4:
        raise Mismatch(f"a write into row 0 of an expanded tensor gave {e.cpu().numpy().tolist()}")


def test_labels_layouts_match_torch(device):
    """The NumPy counterpart of each layout has the strides the torch layout has (the premise of this module)."""
    values = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    for layout in LAYOUTS:
        t = layouts.make(values, layout, device)
        a = I.numpy_layout(values, layout)
        if t.stride() != tuple(s // a.itemsize for s in a.strides):
            raise Mismatch(f"layout {layout}: torch strides {t.stride()}, NumPy counterpart {a.strides}")
