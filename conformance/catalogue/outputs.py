"""Rules every op's ``out=`` variant follows (checked on every catalogue entry by ``test_out``), where torch
differs from NumPy on purpose. NumPy's rule: an ``out`` of the result's shape and of any dtype the result casts to
under ``same_kind`` receives the result cast to it; any other is refused. torch's, per op (:func:`rule`):

* ``same_kind`` — as NumPy (most elementwise and joining ops);
* ``exact`` — the ``out`` must have the result dtype itself: a wider one of the same kind is refused (torch's
  structured kernels check ``out`` against the computed dtype: ceil, gather, where, ...);
* with a ``dtype=`` argument, ``out`` must have that dtype (``exact``).

An ``out`` of a lower category (a float result into an integer tensor): NumPy's elementwise functions refuse it,
and so does torch. NumPy's reductions take any ``out`` and cast their result into it; torch's reductions that take
``dtype=`` (sum, prod, cumsum, cumprod) compute in ``out``'s dtype instead (a float sum into an int64 ``out`` sums
the truncated values), and the others refuse it.

The op lists are facts found by trying each op (the divergences below say so and are pinned, with a
counterexample, by ``suite/test_out.py``).
"""
from __future__ import annotations

import numpy as np

from conformance.catalogue.entry import Divergence

F = "variants"

#: ops whose out= must have exactly the result dtype
EXACT = frozenset({
    "abs", "neg", "sign", "floor", "ceil", "round", "round_decimals", "clamp", "where", "gelu", "amax", "amin",
    "vector_norm", "norm", "tril", "triu", "index_select", "take", "take_along_dim", "gather", "scatter",
    "scatter_value", "scatter_reduce_arg", "scatter_add", "scatter_reduce", "index_add", "index_copy",
    "masked_select", "diag", "quantile", "nanquantile", "isin", "isneginf", "isposinf", "signbit", "bitwise_not",
    "trunc", "nan_to_num", "heaviside", "cross", "linalg_cross", "linalg_vecdot", "linalg_matrix_power",
    "linalg_matrix_norm", "linalg_norm"})
#: reductions seen to compute in out='s dtype when no dtype= is given (a lower category included); the others
#: refuse such an out= (the generic check accepts either, and nothing else)
INTO_OUT = frozenset({"sum", "prod", "cumsum", "cumprod", "mean", "logsumexp", "all", "any"})
#: ops whose out= must have the dtype= argument's dtype when one is given
WITH_DTYPE_ARG = frozenset({"sum", "prod", "mean", "nansum", "nanmean", "cumsum", "cumprod"})


def noncontiguous_out_unwritten(op, want) -> bool:
    """A non-contiguous out= torch leaves (partly) unwritten: tril/triu of 4 or more dims after the first batch
    (tril-out-noncontiguous-batches), gelu entirely (gelu-out-noncontiguous-unwritten)."""
    return (op.name in ("tril", "triu") and want.dim() >= 4) or op.name == "gelu"


def lower_unchecked(op, want) -> bool:
    """logsumexp of a complex input into a real out= gives neither a refusal nor a value computed in the real
    dtype (out-logsumexp-complex-into-real)."""
    return op.name == "logsumexp" and want.is_complex()


def _exact(op, sample) -> bool:
    if op.name in WITH_DTYPE_ARG and sample.kwargs.get("dtype") is not None:
        return True
    x = sample.arrays[0] if sample.arrays else None
    if (op.name in ("var", "std") and x is not None and x.dtype.name in ("float16", "bfloat16")
            and x.size > 0 and _over_every_element(x, _dim_argument(sample))):
        return True  # out-var-half-wider-out-refused (a reduction over every element)
    if op.name == "ldexp" and len(sample.args) > 1 and _ldexp_exact_kernel(*sample.args[:2]):
        return True  # out-ldexp-wider-out-internal-assert
    if op.name not in EXACT:
        return False
    if op.name == "abs" and x is not None and x.dtype.kind == "c":
        return False  # abs of a complex tensor is an ordinary elementwise op: same_kind
    if op.name == "clamp" and any(isinstance(sample.kwargs.get(k), np.ndarray) for k in ("min", "max")):
        return False  # tensor bounds: the elementwise kernel, same_kind
    return True


def _dim_argument(sample):
    """A reduction's ``dim``, given by keyword or as the second positional argument (None when absent)."""
    return sample.args[1] if len(sample.args) > 1 else sample.kwargs.get("dim")


def _ldexp_exact_kernel(x, n) -> bool:
    """torch.ldexp's exact kernel: a float16, bfloat16, float32 or float64 input with an integer or bool exponent
    tensor."""
    x = np.asarray(x)
    return (isinstance(n, np.ndarray) and n.dtype.kind in "biu" and
            (x.dtype.kind == "f" or x.dtype.name == "bfloat16"))


def _over_every_element(x, dim) -> bool:
    """Whether a reduction's ``dim`` covers every element of ``x`` (None, every dim, or any dim of a 0-d or
    1-element-per-other-dim input: the reduction is then torch's all-elements kernel)."""
    if dim is None or x.ndim == 0:
        return True
    dims = {d % x.ndim for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
    return all(i in dims or x.shape[i] == 1 for i in range(x.ndim))


def rule(op, sample) -> tuple[str, str]:
    """torch's rules for an out= of a wider dtype (``same_kind`` or ``exact``) and of a lower category
    (``refused`` for elementwise ops, ``reduction`` for reductions: refused, or computed in out's dtype)."""
    return ("exact" if _exact(op, sample) else "same_kind"), ("reduction" if op.family == "reductions"
                                                                 else "refused")


DOC = "https://pytorch.org/docs/stable/notes/out.html"

DIVERGENCES = [
    Divergence(
        id="out-wrong-shape-resized", op="add", family=F,
        condition="an out= tensor with elements, of a shape other than the result's",
        torch_behaviour="resizes out to the result's shape and writes the result (with a UserWarning that resizing "
                        "a non-empty out is deprecated): torch.add(a, b, out=torch.empty(7)) for 3-element a and b "
                        "leaves out with shape (3,)",
        numpy_behaviour="raises ValueError (non-broadcastable output operand)",
        reference=f"{DOC} ; https://github.com/pytorch/pytorch/wiki/Developer-FAQ#how-does-out-work-in-pytorch",
        kind="intended"),
    Divergence(
        id="out-dtype-exact", op="ceil", family=F,
        condition="out= of a wider dtype of the result's kind, for " + ", ".join(sorted(EXACT)) +
                  " (and for the reductions given dtype=)",
        torch_behaviour="raises RuntimeError ('Found dtype Double but expected Float'): torch.ceil(x, out=d) for a "
                        "float32 x and a float64 d",
        numpy_behaviour="np.ceil(x, out=d) writes the float32 result cast to float64",
        reference=DOC, kind="intended"),
    Divergence(
        id="out-dtype-computes-in-out", op="sum", family=F,
        condition="out= of another dtype (a lower category included) for " + ", ".join(sorted(INTO_OUT)) +
                  " without dtype=",
        torch_behaviour="computes in out's dtype: torch.sum(torch.tensor([1.7, 2.6]), 0, out=torch.empty((), "
                        "dtype=torch.int64)) gives 3 (the truncated values summed), as dtype=torch.int64 would",
        numpy_behaviour="np.sum(x, out=int64 array) sums in float64 and casts the result: 4",
        reference="https://github.com/pytorch/pytorch/pull/6573 (out's dtype is favoured over dtype=) ; " + DOC,
        kind="intended"),
    Divergence(
        id="tril-out-noncontiguous-batches", op="tril", family=F,
        condition="tril / triu with an out= tensor that is not contiguous, of 4 or more dims (two or more batch dims)",
        torch_behaviour="only the first batch is written; the others keep what out held: base = torch.full((4, 6, 8, "
                        "10), float('nan')); out = base[::2, ::2, ::2, ::2]; torch.tril(torch.randn(2, 3, 4, 5), "
                        "out=out) leaves out[1] NaN (with 3 dims, or a contiguous out, every batch is written)",
        numpy_behaviour="np.tril writes every batch into out's view (a non-contiguous out is written in place)",
        reference="no issue found in the tracker; the same class of bug for inputs was "
                  "https://github.com/pytorch/pytorch/issues/22581 (fixed by checkTrilTriuBatchContiguous)",
        kind="bug"),
    Divergence(
        id="gelu-out-noncontiguous-unwritten", op="gelu", family=F,
        condition="torch.nn.functional.gelu with an out= tensor that is not contiguous",
        torch_behaviour="returns out without writing it: base = torch.full((8,), float('nan')); out = base[::2]; "
                        "torch.nn.functional.gelu(torch.tensor([1., 2., 3., 4.]), out=out) leaves out all NaN (a "
                        "contiguous out is written)",
        numpy_behaviour="a non-contiguous out receives the result in place",
        reference="no issue found in the tracker", kind="bug"),
    Divergence(
        id="out-var-half-wider-out-refused", op="var", family=F,
        condition="var / std of a float16 or bfloat16 input over every element (no dim, or dims that leave only "
                  "size-1 dims) with a float32 out=",
        torch_behaviour="raises RuntimeError ('std_var_all: Unsupported dtype Half'), though the float32 result "
                        "dtype is the wider one of the same kind (a float32 input into a float64 out works)",
        numpy_behaviour="np.var(x16, out=float32 array) writes the float16 variance cast to float32",
        reference="no issue found in the tracker", kind="bug"),
    Divergence(
        id="out-ldexp-wider-out-internal-assert", op="ldexp", family=F,
        condition="ldexp of a float16, bfloat16, float32 or float64 input with an integer exponent tensor (its exact "
                  "kernel) into an out= of another dtype (a wider float, a complex)",
        torch_behaviour="raises RuntimeError: '!needs_dynamic_casting<func_t>::check(iter) INTERNAL ASSERT FAILED': "
                        "torch.ldexp(torch.tensor([1.5]), torch.tensor([2]), out=torch.empty(1, dtype=torch.float64)) "
                        "(ldexp_out takes the kernel without checking out's dtype; a float exponent, an integer "
                        "input, or an out of the input's dtype work)",
        numpy_behaviour="np.ldexp(x, n, out=float64 array) writes the float32 result cast to float64",
        reference="https://github.com/pytorch/pytorch/pull/154211 (the exact kernel, for "
                  "https://github.com/pytorch/pytorch/issues/153069); no issue found for out=", kind="bug"),
    Divergence(
        id="out-logsumexp-complex-into-real", op="logsumexp", family=F,
        condition="logsumexp of a complex input with a real out=",
        torch_behaviour="accepts it and writes a value that is neither the complex result's real part nor the "
                        "logsumexp of the real parts (torch.logsumexp(torch.tensor([1+2j, 3-1j]), 0, out=a float64 "
                        "tensor) gives 2.274; the result is 2.856-0.978j, the real parts' logsumexp 3.127)",
        numpy_behaviour="scipy.special.logsumexp into a real out casts the complex result (ComplexWarning) or "
                        "refuses it",
        reference="no issue found in the tracker", kind="bug"),
    Divergence(
        id="out-reduction-lower-category-refused", op="mean", family=F,
        condition="out= of a lower category for the other reductions (mean, var, logsumexp, amax, ...)",
        torch_behaviour="raises RuntimeError ('result type Float can't be cast to the desired output type Long')",
        numpy_behaviour="np.mean(x, out=int64 array) casts the float64 mean into it (2 for [1.7, 2.6])",
        reference=DOC, kind="intended"),
]
