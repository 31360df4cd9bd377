"""einsum on generated equations (``conformance.strategies.einsum``), in its two call forms.

* ``einsum``: ``torch.einsum("ij,jk->ik", a, b)`` against ``np.einsum`` with ``optimize`` off or on (drawn per
  example: NumPy's two evaluations — the C loop and the pairwise contraction path — must both agree with torch);
* ``einsum_sublist``: ``torch.einsum(a, [0, 1], b, [1, 2], [0, 2])`` against NumPy's same form.

The reference evaluates floating operands in longdouble (:func:`conformance.references.linalg.einsum`). Floating
results are held to the sum-of-products bound (:func:`conformance.catalogue.linalg.product_tolerance`) with ``N``
the number of terms of a result element (the product of the summed labels' sizes) and ``m`` the number of
operands. torch contracts left to right, two operands at a time, through intermediates rounded to the operands'
type (and sums a label only one operand has with ``torch.sum`` first): for the half types each such intermediate
adds a rounding of the result's precision, ``gamma_r(j) S`` for ``j`` intermediates. An intermediate may
overflow where the result does not: where a partial contraction of some of the operands (with the labels nobody
else needs summed) reaches the accumulation type's largest value, every element is ``nonfinite``, and a finite
value must still be within the bound.

Integer and bool operands follow torch's own evaluation order, which NumPy cannot express: see the divergences
below and ``conformance.references.linalg.einsum_left_to_right``. The model assumes torch's default left-to-right
order, i.e. that the ``opt_einsum`` package is not installed (with it, torch picks another path for three or more
operands).
"""
from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import torch

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence, OpEntry
from conformance.catalogue.linalg import (wide_values, finite_abs, is_wide, nonfinite_mask, product_tolerance,
                                         with_unrepresentable)
from conformance.references import linalg as R
from conformance.strategies import einsum as S

F = "einsum"


def torch_einsum(equation, *operands, optimize=False):
    """``torch.einsum(equation, *operands)``. ``optimize`` is NumPy's contraction-path option, passed to the NumPy
    reference only; torch chooses its own order."""
    return torch.einsum(equation, *operands)


def torch_einsum_sublists(*args):
    """``torch.einsum`` in the sublist form: operands interleaved with their subscript lists, then the output."""
    return torch.einsum(*args)


# ---- the structure of a sample's equation ----------------------------------------------------------------

def _structure(args):
    """(terms, output, operands, sizes) with ellipses expanded into labels of their own: ``terms`` and
    ``output`` are lists of letters, ``sizes`` maps each label to its (broadcast) size."""
    terms, out, ops = R._einsum_terms(args)
    n_ell = max([op.ndim - (len(t) - 1) for t, op in zip(terms, ops) if "..." in t] + [0])
    ell = [chr(ord("p") + i) for i in range(n_ell)]

    def expand(term, ndim):
        if "..." not in term:
            return list(term)
        i = term.index("...")
        covered = ndim - (len(term) - 1)
        return term[:i] + ell[n_ell - covered:] + term[i + 1:]
    terms = [expand(t, op.ndim) for t, op in zip(terms, ops)]
    counts = {}
    for t in terms:
        for x in t:
            counts[x] = counts.get(x, 0) + 1
    if out is None:
        out = ell + sorted(x for x in counts if counts[x] == 1 and x not in ell)
    else:
        out = expand(out, len(out) - 1 + n_ell) if "..." in out else list(out)
    sizes = {}
    for t, op in zip(terms, ops):
        for x, n in zip(t, op.shape):
            sizes[x] = n if sizes.get(x, 1) == 1 else sizes[x]
    return terms, out, ops, sizes


def _influenced(terms, out, ops, shape):
    """The result elements that a NaN or infinite operand value can reach, whatever the evaluation order: those
    whose output subscripts agree with the value's (the other operands' sizes do not matter: a factored
    evaluation multiplies partial results even when another operand is empty)."""
    reach = np.zeros(shape, dtype=bool)
    for term, op in zip(terms, ops):
        bad = nonfinite_mask(op)
        if not bad.any():
            continue
        keep = [x for x in dict.fromkeys(term) if x in out]
        part = np.einsum(bad, R._ints(term), R._ints(keep)) > 0
        order = [x for x in out if x in keep]
        part = np.transpose(part, [keep.index(x) for x in order]) if keep else part
        part = part.reshape([part.shape[order.index(x)] if x in order else 1 for x in out])
        reach |= np.broadcast_to(part, shape)
    return reach


def _reaching_max(terms, out, mags, shape):
    """Per result element, the largest magnitude of each operand among the values that reach it (those whose
    output subscripts agree with the element's; the max over the labels summed), floored at 1, multiplied over
    the operands: what an underflowed intermediate of that element can be multiplied by (no value that does not
    reach an element enters its computation, whatever the order)."""
    amp = np.ones(shape, dtype=mags[0].dtype if mags else np.float64)
    for term, mag in zip(terms, mags):
        labels = list(dict.fromkeys(term))
        diagonal = np.einsum(mag, R._ints(term), R._ints(labels))  # repeated labels: their diagonal, no sum
        summed = tuple(i for i, x in enumerate(labels) if x not in out)
        part = np.max(diagonal, axis=summed, initial=0.0) if summed else diagonal
        keep = [x for x in labels if x in out]
        order = [x for x in out if x in keep]
        part = np.transpose(part, [keep.index(x) for x in order]) if keep else part
        part = part.reshape([part.shape[order.index(x)] if x in order else 1 for x in out])
        amp = amp * np.maximum(np.broadcast_to(part, shape), 1.0)
    return amp


def _with_arrays(args, arrays):
    it = iter(arrays)
    return tuple(next(it) if isinstance(a, np.ndarray) else a for a in args)


def _einsum_tol(sample, dtype):
    args = sample.args
    terms, out, ops, sizes = _structure(args)
    name = D.name_of(ops[0].dtype) if ops else dtype
    if not D.is_inexact(name):
        return None
    wide = is_wide(name)
    m = len(ops)
    summed = [x for x in sizes if x not in out]
    terms_n = int(np.prod([sizes[x] for x in summed])) if summed else 1
    mags = [finite_abs(op, wide) for op in ops]
    acc = T.accumulation(name)
    with np.errstate(over="ignore", invalid="ignore"):
        scale = R.einsum_summing_ellipsis(*_with_arrays(args, mags))
        reach = _influenced(terms, out, ops, np.shape(scale))
        amplification = _reaching_max(terms, out, mags, np.shape(scale)) if m > 1 else 1.0
        # partial contractions of proper subsets of the operands (what an intermediate can hold)
        partial = 0.0
        for r in range(1, m):
            for subset in itertools.combinations(range(m), r):
                pieces = []
                for i in subset:
                    pieces += [mags[i], R._ints(terms[i])]
                # a label the other operands have only as size-1 (broadcast) dims may be summed inside the
                # subset first (torch sums a label that one operand has before the product: 'XY,X->' with a
                # (1,) second operand sums X over the first)
                for broadcast_shared in (False, True):
                    others = {x for i in range(m) if i not in subset for x, n in zip(terms[i], ops[i].shape)
                              if not broadcast_shared or n != 1}
                    keep = sorted({x for i in subset for x in terms[i] if x in out or x in others})
                    value = np.einsum(*pieces, R._ints(keep))
                    partial = max(partial, np.max(value, initial=0.0))
    # torch factors sums out of products (a label only one operand has is summed before the product; with three
    # or more operands a pairwise result multiplies the next one): inf * (x + y) is not inf * x + inf * y, and a
    # NaN factor times an empty sum is NaN where the full sum over an empty index space is 0, so where a NaN or
    # infinite value can reach an element, NaN against an infinity or a number is no disagreement
    presummed = {t_i for x in summed for t_i, (t, op) in enumerate(zip(terms, ops))
                 if x in t and op.shape[t.index(x)] != 1 and
                 sum(1 for t2, op2 in zip(terms, ops) if x in t2 and op2.shape[t2.index(x)] != 1) == 1}
    factored = m >= 3 or (m == 2 and bool(presummed))
    tol = product_tolerance(name, scale, terms_n, m, reach, amplification=amplification)
    g = T.gamma(terms_n + m, T.unit(acc))
    # intermediates rounded to a half type: the pairwise results before the last, and each presummed operand
    intermediates = max(m - 2, 0) + len(presummed) if m >= 2 else 0
    with np.errstate(over="ignore", invalid="ignore"):
        # an intermediate overflows the accumulation type, or, rounded to a half type, that type's range
        limit = T.biggest(name) if intermediates and T.unit(name) > T.unit(acc) else T.biggest(acc)
        overflow = not bool(partial * (1 + g) < limit)
    if overflow:
        tol = tol.accepting_nonfinite(np.ones(np.shape(scale), dtype=bool))
    if factored and np.any(reach):
        tol = dataclasses.replace(tol, free=tol.mask("free", np.shape(scale)) | reach)
    if intermediates and T.unit(name) > T.unit(acc):
        # each rounding of the result's precision relative to the magnitudes, and an intermediate that underflows
        # there (its eta, not the accumulation type's) multiplied by the other operands
        with np.errstate(over="ignore", invalid="ignore"):
            extra = T.gamma(intermediates, T.unit(name)) * np.asarray(scale) + (
                intermediates * T.eta(name) * np.asarray(amplification))
        tol = tol.widened_by(T.Tolerance(0.0, np.asarray(extra, dtype=np.float64),
                                         why=f"{intermediates} intermediates rounded to {name}"))
    return with_unrepresentable(tol, name, scale, lambda: R.einsum_summing_ellipsis(
        *_with_arrays(args, [wide_values(op) for op in ops])))


# ---- divergences -----------------------------------------------------------------------------------------

def _ellipsis_summed(sample, dtype):
    """An explicit output without the ellipsis, while some operand's ellipsis covers at least one dim."""
    terms, out, ops = R._einsum_terms(sample.args)
    if out is None or "..." in out:
        return False
    return any("..." in t and op.ndim > len(t) - 1 for t, op in zip(terms, ops))


def _torch_integer_outcome(sample, dtype):
    """What torch's integer/bool evaluation gives for the sample: "raises-mixed", "raises-bool",
    "raises-unsigned", "int64" (a result dtype other than NumPy's), or "same"."""
    ops = [a for a in sample.arrays]
    if not ops or D.KIND.get(D.name_of(ops[0].dtype)) not in ("bool", "signed", "unsigned"):
        return "same"
    args, kwargs = sample.numpy_inputs()
    try:  # an invalid equation (NumPy and torch both raise); optimize=True accepts a summed ellipsis, as torch
        np.einsum(*args, optimize=True)
    except Exception:  # noqa: BLE001 - any error of NumPy's parser means invalid
        return "same"
    try:
        result = R.einsum_left_to_right(*args, **kwargs)
    except TypeError as exc:
        if "wide unsigned" in str(exc):
            return "raises-unsigned"
        return "raises-bool" if "bool" in str(exc) and "int64" not in str(exc) else "raises-mixed"
    except ValueError:
        return "same"  # an invalid equation: NumPy and torch both raise
    return "int64" if result.dtype != ops[0].dtype else "same"


def _outcome_is(what):
    return lambda sample, dtype: _torch_integer_outcome(sample, dtype) == what


def _form(suffix, equation, operands, output=None):
    """The call of an example in the string form (``equation``, operands) or the sublist form (each operand
    followed by its subscripts as ints, then the output's)."""
    if not suffix:
        return (equation,) + tuple(operands)
    lhs, _, rhs = equation.partition("->")
    args = []
    for term, op in zip(lhs.split(","), operands):
        args += [op, R._ints(list(term))]
    return tuple(args) + ((R._ints(list(rhs)),) if "->" in equation else ())


def _divergences(op):
    suffix = "" if op == "einsum" else "-sublist"

    def pair(dtype, eq, a_shape=(2, 3), b_shape=(3, 4)):
        return _form(suffix, eq, (np.ones(a_shape, dtype=dtype), np.ones(b_shape, dtype=dtype)))
    return (
        Divergence(
            id=f"einsum{suffix}-integer-mixed-dtype-raises", op=op,
            condition="integer operands where torch sums one operand's own dims (torch.sum accumulates as "
                      "int64) and then contracts that int64 intermediate with bmm against an operand still in "
                      "the original dtype, e.g. einsum('ij,jk->i', a, b) for int8 a, b",
            torch_behaviour="raises RuntimeError: expected scalar type Long but found Char (bmm of int64 and int8)",
            numpy_behaviour="computes the sum of products in the operands' dtype",
            reference="https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/Linear.cpp",
            kind="bug", applies=_outcome_is("raises-mixed"), raises=RuntimeError,
            example=lambda dtype: (pair(dtype, "ij,jk->i"), {}),
            counterexample=lambda dtype: (pair(dtype, "ij,jk->ik"), {}),
            dtypes=("int8",),
        ),
        Divergence(
            id=f"einsum{suffix}-bool-contraction-raises", op=op,
            condition="bool operands with a label contracted between two of them (a non-empty sum of products)",
            torch_behaviour="raises NotImplementedError (\"bmm\" not implemented for 'Bool')",
            numpy_behaviour="computes the contraction in bool arithmetic (logical OR of logical ANDs)",
            reference="https://github.com/pytorch/pytorch/issues/107041",
            kind="unspecified", applies=_outcome_is("raises-bool"), raises=RuntimeError,
            example=lambda dtype: (pair(dtype, "ij,jk->ik"), {}),
            counterexample=lambda dtype: (pair(dtype, "ij,kl->ijkl"), {}),
            dtypes=("bool",),
        ),
        Divergence(
            id=f"einsum{suffix}-wide-unsigned-raises", op=op,
            condition="uint16, uint32 or uint64 operands where torch reaches bmm (a non-empty contraction between "
                      "two operands) or multiplies the int64 sum of one operand's own dims with another operand",
            torch_behaviour="raises RuntimeError (\"bmm\" not implemented for 'UInt16'; Promotion for uint16, "
                            "uint32, uint64 types is not supported)",
            numpy_behaviour="computes the contraction in the operands' dtype",
            reference="https://pytorch.org/docs/stable/tensor_attributes.html",
            kind="unspecified", applies=_outcome_is("raises-unsigned"), raises=RuntimeError,
            example=lambda dtype: (pair(dtype, "ij,jk->ik"), {}),
            counterexample=lambda dtype: (pair(dtype, "ij,kl->ijkl"), {}),
            dtypes=("uint16",),
        ),
        Divergence(
            id=f"einsum{suffix}-integer-sum-int64", op=op,
            condition="integer or bool operands where torch sums some dims with torch.sum (a single operand "
                      "with summed labels, or dims only one operand has): e.g. einsum('ij->i', int8 a)",
            torch_behaviour="returns int64 (sums of bools count them); values as torch's left-to-right "
                            "evaluation computes them",
            numpy_behaviour="keeps the operands' dtype (int8 wraps around; bool sums are logical OR)",
            reference="https://github.com/Quansight-Labs/numpy_pytorch_interop/pull/127",
            kind="unspecified", applies=_outcome_is("int64"), torch_ref=R.einsum_left_to_right,
            example=lambda dtype: (_form(suffix, "ij->i", (np.ones((2, 3), dtype=dtype),)), {}),
            counterexample=lambda dtype: (_form(suffix, "ij->ji", (np.ones((2, 3), dtype=dtype),)), {}),
            dtypes=("bool", "int8") if not suffix else ("int8",),
        ),
        Divergence(
            id=f"einsum{suffix}-ellipsis-summed", op=op,
            condition="an explicit output that leaves out the ellipsis while an operand's ellipsis covers dims",
            torch_behaviour="sums the dims the ellipsis covers",
            numpy_behaviour="np.einsum (optimize=False) raises ValueError (output has more dimensions than "
                            "subscripts ... but no '...' ellipsis provided); with optimize on it sums them",
            reference="https://pytorch.org/docs/stable/generated/torch.einsum.html",
            applies=_ellipsis_summed, torch_ref=R.einsum_summing_ellipsis,
            example=lambda dtype: ((("i...->i",) if not suffix else ()) + _ellipsis_example(dtype, suffix, [26]),
                                   {}),
            counterexample=lambda dtype: ((("i...->i...",) if not suffix else ()) +
                                          _ellipsis_example(dtype, suffix, [26, Ellipsis]), {}),
            dtypes=("float32",),
        ),
    )


def _ellipsis_example(dtype, sublist, out):
    a = np.arange(6, dtype=dtype).reshape(2, 3)
    return (a,) if not sublist else (a, [26, Ellipsis], out)


ENTRIES = [
    OpEntry("einsum", F, torch_einsum, R.einsum, S.einsum_case, tol_fn=_einsum_tol, covers=("torch.einsum",),
            divergences=_divergences("einsum"), signed_zero=False, grad=True),
    OpEntry("einsum_sublist", F, torch_einsum_sublists, R.einsum, S.sublist_case, tol_fn=_einsum_tol,
            covers=("torch.einsum",),
            divergences=_divergences("einsum_sublist"), signed_zero=False, grad=True),
]
