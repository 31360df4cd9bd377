"""NumPy models for the further pointwise ops (catalogue/pointwise_more.py) that the divergence records hold
torch to. NumPy only: these functions are pasted into reproduction snippets as they are."""
from __future__ import annotations

import numpy as np


def reciprocal_as_division(x):
    """torch.reciprocal as torch documents it, ``1 / input``: for a complex input NumPy's complex division of one
    by it, in the input's dtype (NumPy's own reciprocal has another algorithm, which differs on zero parts and on
    zero: ``np.reciprocal(0j)`` is nan+nanj where ``1 / 0j`` is inf+nanj)."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        return np.true_divide(np.ones((), dtype=x.dtype), x)


def heaviside_in_dtype(x, values):
    """torch.heaviside of two tensors of one dtype, in that dtype (as torch documents it: 0 where x < 0, values
    where x == 0, 1 where x > 0; NaN where x is NaN). Computed in the dtype itself: a round trip through float64
    would change int64 values beyond 2**53."""
    x, values = np.broadcast_arrays(np.asarray(x), np.asarray(values))
    with np.errstate(all="ignore"):
        out = np.where(x == 0, values, (x > 0).astype(x.dtype))
        if x.dtype.kind in "fV":
            out = np.where(np.isnan(x.astype(np.float64)), x, out)
    return np.asarray(out, dtype=x.dtype)


def heaviside_by_comparisons(x, values):
    """torch.heaviside as torch documents it, by comparisons: ``values`` where x == 0, 1 where x > 0, 0 otherwise
    (a NaN x, which is neither, included; np.heaviside gives NaN there)."""
    x, values = np.asarray(x), np.asarray(values)
    with np.errstate(all="ignore"):
        out = np.where(x == 0, values, (x > 0).astype(np.float64))
    return np.asarray(out, dtype=np.result_type(x, values))
