"""Gradient checks: the vector-Jacobian product torch computes, against finite differences of the NumPy reference.

For an op ``y = f(x)`` and a random cotangent ``v`` (shaped like the outputs), torch gives ``g = J^T v``
(``torch.autograd.grad(outputs, inputs, grad_outputs=v)``). Its inner product with any direction ``t`` (shaped
like the inputs) must equal the derivative of ``<v, f(x)>`` along ``t``:

    <g, t> = <J^T v, t> = <v, J t> = d/ds <v, f(x + s t)> at s = 0

The right-hand side needs no gradient code at all: it is a central finite difference of the op's NumPy
reference (``OpEntry.ref``, or a documented divergence's ``torch_ref``), always evaluated in float64 /
complex128 whatever the dtype under test. So every catalogue entry with ``grad=True`` is checked against NumPy
with no per-op code, and broadcasting needs no special case (a broadcast input's gradient is summed back to its
shape by torch; the finite difference perturbs the input itself). Complex values use torch's convention (the
conjugate Wirtinger derivative): with ``<a, b> = Re(sum(conj(a) * b))`` the identity holds as written.

The rule, documented (:func:`check`):

* **inputs** — the differentiable arguments are the floating and complex arrays of the sample (index, integer
  and bool arrays are not), or the entry's ``grad_args`` (positions in the sample's arrays, in order of
  appearance). The generic test gives ``ordinary`` fills only: the special values (NaN, infinities, signed zeros)
  are not points where a derivative exists, and the edges NumPy does define get bespoke tests.
* **directions** — ``t = z * (1 + |x|)`` with ``z`` standard normal (complex normal for complex inputs), so every
  element moves by about the same *relative* amount; :data:`DIRECTIONS` per sample by profile (the cotangent and
  torch's VJP are computed once per sample, each direction costs four evaluations of the reference).
* **step** — ``h = 2**-17`` (about 7.6e-6, near the optimum ``eps**(1/3)`` of a float64 central difference).
  The reference is evaluated at ``x``, ``x +- h t`` and ``x +- (h/2) t``, and the two central differences are
  combined by Richardson extrapolation, ``R = C(h/2) + (C(h/2) - C(h)) / 3`` (error O(h^4)).
* **where the derivative exists** — an output element enters the check (``v`` is nonzero there) only where
  the reference is finite at all the points, at most ``max / 2**10`` of the dtype under test (so ``v * y`` cannot
  overflow it), its central differences at ``h`` and ``h/2`` agree (relative difference under 1e-3: no
  singularity near), and its one-sided slopes do not differ by an amount that stays put when the step halves (a
  kink: ``abs`` at 0, a tie of ``max``). Inputs with tied values (the ``expanded`` layout, tie-heavy value
  domains) also get the reference evaluated along ``t0 + t1``: a directional derivative that is not additive is
  not a derivative (the middle of a group of ties has equal one-sided slopes). Elsewhere ``v = 0``: NumPy gives no
  derivative to compare with. When the comparison then fails on inputs with ties, the reference is asked once
  more, along :data:`TIE_ROUNDS` pairs of random directions that move only the tied elements, and the outputs it
  finds not differentiable are left out too; the comparison is repeated, and a failure then is a mismatch. A
  failing comparison also asks whether the reference is a staircase finer than ``h`` (``trunc(x / y)`` with a
  quotient in the thousands crosses a few steps within ``+-h``, evenly enough to look like a slope): where it is
  exactly constant over a step ``2**-20`` times smaller although its slope predicts a change of many ulps there,
  its derivative is 0 and is compared as such (:func:`_staircase`). The
  noise of each difference is estimated from the unit roundoff of the reference's own result dtype (a reference
  that computes in float32, by a ``dtype=`` argument or by torch's promotion rules, has noisy differences, and its
  outputs drop out rather than fail). A sample with no element left is not counted as checked, and a test in
  which no sample was checked fails (:func:`require_checked`: it could not have caught anything).
* **tolerance** — ``|<g, t> - <v, R>| <= sum_i rtol_i sum|g_i||t_i| + rtol_o sum|v| (|R| + z |y|)
  + 2 sum|v| err + floor``: ``rtol`` is derived (:func:`conformance.tolerance.gradient_rtol`): the roundings of
  a backward formula in the dtype under test plus a sum of as many contributions as there are output elements in
  the accumulation type, plus one rounding to an input's (or output's) own dtype (a float16 exponent's gradient
  is rounded to float16); the sums of magnitudes bound the rounding of the two inner products; ``z |y|`` (``z`` the mean of ``|t| / (1 + |x|)``)
  bounds the effect of the output's own rounding, from which many backward formulas start (``1 - tanh(x)**2``
  loses the digits of ``tanh(x)`` near 1); where that effect depends on the cotangent (softmax's ``y (v - s)``
  cancels), or where an intermediate rounded in the working precision is amplified and the input broadcasts
  (real ``pow``'s exponent ``y - 1``, summed over the output elements a broadcast base reaches),
  ``sum_i a_i |t_i|`` with the absolute bound ``a_i`` of :func:`output_rounding` is added; ``err = |C(h) - C(h/2)| + noise`` bounds the error of the finite
  difference (``|C(h) - C(h/2)|`` is three times the truncation error of ``C(h/2)`` and far more than that of
  ``R``); ``floor`` is the smallest normal number of each input's dtype per element (a gradient below it
  underflows). Where the op's evaluation in the working precision is ill-conditioned beyond a few roundings
  (complex ``pow``, ``exp(y log x)``: the rounding of the argument ``y log x`` is amplified by its size), each
  input element's ``rtol_i`` grows by the relative error ``rho_i`` its gradient inherits from that evaluation
  (:func:`conditioning`; the bounds and their derivations: ``catalogue/gradients.py``, ``CONDITIONING``).
* **non-finite gradients** — where torch's gradient is NaN or infinite: accepted when an output of NumPy's is
  undefined too (NaN or infinite), or beyond the dtype's range (so torch's overflows): its zero cotangent times an
  undefined local derivative is NaN (IEEE 0 * NaN, 0 * inf), and
  the chain rule adds it into every input that output depends on, e.g. ``pow`` with a negative base: the
  exponent's gradient), or when the reference's derivative of ``<v, f>`` along those elements is undefined or
  beyond the dtype's range; otherwise — a finite derivative, zero included — a mismatch, unless a known
  divergence records it. Accepted elements are left out: the directions are set to 0 there and the masks worked
  out again.
* **known divergences** — a sample under a gradient divergence of ``catalogue/gradients.py`` (or an op's record
  with ``about="gradient"``) whose condition holds for the whole call is not compared: with ``raises``, torch
  must still raise in backward (else the divergence no longer holds and the test fails); otherwise the sample is
  counted as a hit of the divergence, which a bespoke test pins. A record with an elementwise condition (a mask
  over input elements, :func:`known_elements`) leaves only those input elements out, as accepted non-finite
  gradients are (directions 0 there), and the rest of the sample is compared.
* **ill-posed samples** — where torch's forward raises ``torch.linalg.LinAlgError`` on a sample the op declares
  ill-posed at working precision (``OpEntry.ill_posed``: singular within rounding, or non-finite), the sample is
  skipped, as the forward test passes it (the "may raise" rule, :func:`conformance.check.may_raise`); a
  LinAlgError on a well-posed sample still fails.

A failure raises :class:`conformance.check.Mismatch` with a standalone reproduction (torch + NumPy only).
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import torch

from conformance import dtypes, oracle, repro
from conformance import tolerance as T
from conformance.catalogue.entry import OpEntry
from conformance.check import Mismatch, describe_inputs, may_raise
from conformance.strategies import layouts as _layouts
from conformance.strategies.cases import Sample

#: the finite-difference step, relative to each element's magnitude (see the module docstring)
H = 2.0 ** -17
#: central differences at h and h/2 whose relative difference exceeds this are not trusted (a singularity near)
UNSTABLE = 1e-3
#: outputs beyond ``max / OVERFLOW_MARGIN`` of the dtype under test are left out (``v * y`` could overflow)
OVERFLOW_MARGIN = 2.0 ** 10
#: random directions per sample, by Hypothesis profile (the gradient ``g`` is computed once per sample)
DIRECTIONS = {"ci": 2, "dev": 2, "selfcheck": 2, "nightly": 6}
EPS64 = float(np.finfo(np.float64).eps)


def directions_for_profile() -> int:
    from hypothesis import settings

    try:
        name = settings.get_current_profile_name()
    except Exception:  # noqa: BLE001 - older Hypothesis
        name = "dev"
    return DIRECTIONS.get(name, 2)


@dataclasses.dataclass
class Stats:
    """What a run of gradient checks covered: samples seen, checked (at least one output element where the
    derivative exists), and why the others were not."""
    samples: int = 0
    checked: int = 0
    outputs: int = 0          # output elements seen
    compared: int = 0         # output elements that entered the check
    nonfinite_accepted: int = 0
    worst: float = 0.0        # the largest |difference| / tolerance seen
    hits: set = dataclasses.field(default_factory=set)   # known gradient divergences met
    partial: set = dataclasses.field(default_factory=set)  # forms torch has no kernel for (support facts)
    skipped: dict = dataclasses.field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def summary(self) -> str:
        skipped = ", ".join(f"{k}: {v}" for k, v in sorted(self.skipped.items())) or "none"
        return (f"{self.checked} of {self.samples} samples checked; {self.compared} of {self.outputs} output "
                f"elements compared; non-finite torch gradients accepted: {self.nonfinite_accepted}; "
                f"largest |difference| / tolerance: {self.worst:.3g}; "
                f"samples not checked: {skipped}")


def require_checked(op: OpEntry, device: str, dtype: str, stats: Stats) -> None:
    """A gradient test that checked no sample (and met no known divergence) could not have failed: fail it."""
    if stats.checked == 0 and not stats.hits:
        raise Mismatch(f"{op.name} [{device}, {dtype}] gradient: no sample could be checked, so this test could not "
                       f"have failed: {stats.summary()}")


# ---- inputs and outputs ----------------------------------------------------------------------------------

def differentiable(op: OpEntry, sample: Sample) -> list[int]:
    """Positions in ``sample.arrays`` of the arguments to differentiate."""
    inexact = [i for i, a in enumerate(sample.arrays) if dtypes.is_inexact(dtypes.name_of(a.dtype))
               and dtypes.name_of(a.dtype) not in dtypes.FLOAT8]  # float8: no finite differences (partners too)
    chosen = getattr(op, "grad_args", None)
    if chosen is None:
        return inexact
    return [i for i in chosen if i in inexact]


_wide = oracle.widen


def _flatten(obj) -> list:
    """Outputs of an op as a flat list (tuples, lists and named tuples of results)."""
    if isinstance(obj, (tuple, list)):
        out = []
        for o in obj:
            out += _flatten(o)
        return out
    return [obj]


def _evaluate(ref, sample: Sample, replace: dict) -> list[np.ndarray]:
    """The reference on the sample's arrays (floating ones in float64/complex128), with ``replace[i]`` in place
    of array ``i``; its outputs as a flat list of arrays."""
    pos = {id(a): i for i, a in enumerate(sample.arrays)}

    def convert(a):
        i = pos[id(a)]
        # np.asarray: a 0-d array plus a step is a NumPy scalar, which references may promote as a Python scalar
        return np.asarray(replace[i]) if i in replace else _wide(a)

    args, kwargs = sample.numpy_inputs(convert)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ref(*args, **kwargs)
    return [np.asarray(o) for o in _flatten(out)]


def _inner(a: np.ndarray, b: np.ndarray, where=None) -> float:
    """``Re(sum(conj(a) * b))``, over ``where`` only (elsewhere a term is 0 even if ``b`` is NaN)."""
    prod = np.real(np.conj(a) * b)
    if where is not None:
        prod = np.where(where, prod, 0.0)
    return float(np.sum(prod))


def _normal(rng: np.random.Generator, shape, complex_: bool) -> np.ndarray:
    if complex_:
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2.0)
    return rng.standard_normal(shape)


# ---- known divergences -----------------------------------------------------------------------------------

def _gradient_records(op: OpEntry, device: str) -> list:
    """The op's own records with ``about="gradient"``, then those of :mod:`conformance.catalogue.gradients`
    naming the op, that hold on ``device``."""
    from conformance.catalogue import gradients as known

    own = [d for d in op.divergences if d.about == "gradient"]
    return [d for d in own + [d for d in known.DIVERGENCES if d.op == op.name]
            if d.applies is not None and d.holds_on(device)]


def divergence_for(op: OpEntry, sample: Sample, dtype: str, device: str = "cpu"):
    """The known gradient divergence whose condition holds for the whole sample (``applies`` returns True)."""
    for div in _gradient_records(op, device):
        found = div.applies(sample, dtype)
        if not isinstance(found, (np.ndarray, dict)) and found:
            return div
    return None


def known_elements(op: OpEntry, sample: Sample, dtype: str, diff_idx, device: str = "cpu"):
    """``(ids, masks)``: the input elements where a known gradient divergence with an elementwise condition
    holds. Such a record's ``applies`` returns a bool array over the elements of the sample's first array, or a
    dict ``{position in sample.arrays: bool array over that array}``; the check leaves those elements out (its
    directions do not move them, and their gradient is not compared), as it does for non-finite gradients it
    accepts, and compares the others."""
    ids, masks = set(), {i: np.zeros(sample.arrays[i].shape, dtype=bool) for i in diff_idx}
    for div in _gradient_records(op, device):
        found = div.applies(sample, dtype)
        if isinstance(found, np.ndarray):
            found = {0: found}
        if not isinstance(found, dict):
            continue
        for i, m in found.items():
            if i in masks and np.any(m):
                masks[i] |= np.broadcast_to(np.asarray(m, dtype=bool), masks[i].shape)
                ids.add(div.id)
    return ids, masks


def conditioning(op: OpEntry, sample: Sample, dtype: str, diff_idx) -> dict:
    """Per differentiable input, the relative error its gradient elements inherit from an evaluation in the
    working precision whose conditioning exceeds a few roundings (a bound of
    :data:`conformance.catalogue.gradients.CONDITIONING`, derived there), else 0."""
    from conformance.catalogue import gradients as known

    fn = known.CONDITIONING.get(op.name)
    found = fn(sample, dtype) if fn is not None else {}
    return {i: np.broadcast_to(np.asarray(found[i], dtype=np.float64), sample.arrays[i].shape) if i in found
            else 0.0 for i in diff_idx}


def output_rounding(op: OpEntry, sample: Sample, dtype: str, diff_idx, outs) -> dict:
    """Per differentiable input, the absolute error its gradient elements inherit from the rounded output the
    backward starts from, or from an amplified intermediate rounding, where that depends on the cotangent (:data:`conformance.catalogue.gradients.
    OUTPUT_ROUNDING`, derived there); empty where the op has none."""
    from conformance.catalogue import gradients as known

    fn = known.OUTPUT_ROUNDING.get(op.name)
    if fn is None or len(outs) != 1:
        return {}
    found = fn(sample, dtype, outs[0].v)
    return {i: np.broadcast_to(np.asarray(found[i], dtype=np.float64), sample.arrays[i].shape)
            for i in diff_idx if i in found}


def _backward_must_raise(op, sample, device, dtype, div) -> None:
    """Under a known divergence with ``raises``: forward and backward on this sample must raise as recorded."""
    args, kwargs, tensors = sample.torch_inputs(device)
    leaves = [tensors[i].requires_grad_(True) for i in differentiable(op, sample)]
    try:
        outs = [o for o in _flatten(op.call(args, kwargs)) if isinstance(o, torch.Tensor) and o.requires_grad]
        if outs:
            torch.autograd.grad(outs, leaves, [torch.ones_like(o) for o in outs], allow_unused=True)
    except div.raises:
        return
    except Exception as exc:  # noqa: BLE001
        raise Mismatch(f"{op.name} [{device}, {dtype}] gradient: known divergence {div.id} no longer holds: torch "
                       f"raised {type(exc).__name__} ({exc}), recorded to raise {div.raises.__name__}",
                       f"condition: {div.condition}", describe_inputs(sample)) from None
    raise Mismatch(f"{op.name} [{device}, {dtype}] gradient: known divergence {div.id} no longer holds: backward "
                   f"succeeded where torch was recorded to raise {div.raises.__name__}; check the gradient against "
                   "NumPy and update the catalogue", f"condition: {div.condition}", describe_inputs(sample))


# ---- the check -------------------------------------------------------------------------------------------

@dataclasses.dataclass
class _Out:
    """One differentiable output: its tensor, the reference at the evaluation points, its mask and cotangent."""
    index: int
    tensor: torch.Tensor
    y0: np.ndarray
    mask: np.ndarray = None
    v: np.ndarray = None          # the cotangent, exactly as torch received it, widened to float64/complex128
    R: list = None                # per direction: extrapolated central difference
    err: list = None              # per direction: |C(h) - C(h/2)|
    eps: float = 0.0              # the unit roundoff of the reference's own result dtype (float64 unless the op
                                  # is told to compute in another one, e.g. by a ``dtype=`` argument)
    xscale: float = 0.0           # the largest input magnitude: the reference computes with values that large
    big: float = np.inf           # values beyond this are out of range (for the dtype under test and its own)


def _neither_computes(op: OpEntry, sample: Sample, device: str, dtype: str) -> None:
    """NumPy refuses the sample; if torch refuses it too, the cell may be one that neither library computes (rfft
    of a complex signal): skipped as unsupported when the support probes say so (else nothing happens)."""
    from conformance import support

    args, kwargs, _ = sample.torch_inputs(device)
    try:
        op.call(args, kwargs)
    except Exception as exc:  # noqa: BLE001
        try:
            support.skip_if_unsupported(op, device, dtype, exc)
        except support.PartialSupport:
            pass


def check(op: OpEntry, sample: Sample, device: str, dtype: str, stats: Stats | None = None,
          directions: int | None = None, ref=None) -> bool:
    """Checks torch's VJP on one sample against finite differences of the NumPy reference (rule: module
    docstring). Returns whether the sample was checked; raises :class:`Mismatch` on a difference."""
    stats = stats if stats is not None else Stats()
    stats.samples += 1
    directions = directions or directions_for_profile()
    div, condition = op.divergence_for(sample, dtype, device)
    if div is not None and condition is not True:
        div = None  # an elementwise forward record (a sign of zero, a non-finite element) leaves gradients alone
    if div is not None and div.raises:
        stats.skip("known divergence: torch raises")
        return False
    gdiv = divergence_for(op, sample, dtype, device)
    if gdiv is not None:
        stats.hits.add(gdiv.id)
        if gdiv.raises:
            _backward_must_raise(op, sample, device, dtype, gdiv)
        stats.skip(f"known gradient divergence {gdiv.id}")
        return False
    ref = ref or (div.torch_ref if div is not None and div.torch_ref is not None else op.ref)
    diff_idx = differentiable(op, sample)
    if not diff_idx:
        stats.skip("no differentiable input")
        return False
    known_ids, known = known_elements(op, sample, dtype, diff_idx, device)
    if known_ids:
        stats.hits |= known_ids
        if all(known[i].all() for i in diff_idx):
            stats.skip(f"known gradient divergence {', '.join(sorted(known_ids))} at every element")
            return False
    seed = sample.case.seed if sample.case is not None else 0
    rng = np.random.default_rng([seed, 0x67726164])  # "grad": independent of the value fills

    # -- the reference at x
    x = {i: _wide(sample.arrays[i]) for i in diff_idx}
    try:
        y0 = _evaluate(ref, sample, {})
    except Exception:  # noqa: BLE001 - NumPy rejects the sample: the forward tests judge that
        _neither_computes(op, sample, device, dtype)
        stats.skip("NumPy reference raises")
        return False
    ts = [{i: _normal(rng, x[i].shape, np.iscomplexobj(x[i])) * (1.0 + np.abs(x[i])) for i in diff_idx}
          for _ in range(directions)]

    # -- torch: forward with leaves that require grad
    args, kwargs, tensors = sample.torch_inputs(device)
    leaves = [tensors[i].requires_grad_(True) for i in diff_idx]
    try:
        result = op.call(args, kwargs)
    except Exception as exc:  # noqa: BLE001
        if may_raise(op, sample, dtype, exc, None):
            stats.skip("ill-posed: torch raises LinAlgError (may raise)")
            return False
        _forward_raised(op, sample, device, dtype, exc)
        from conformance import support

        try:
            support.skip_if_unsupported(op, device, dtype, exc)  # no kernel for this dtype at all: unsupported
        except support.PartialSupport as gap:  # no kernel for this form (a partner's dtype): a support fact
            stats.partial.add(gap.form)
        stats.skip("torch raises (forward)")
        return False
    outs_t = _flatten(result)
    if len(outs_t) != len(y0) or any(
            isinstance(o, torch.Tensor) and tuple(o.shape) != np.shape(r) for o, r in zip(outs_t, y0)):
        stats.skip("torch's outputs differ in structure or shape from NumPy's (the forward tests report it)")
        return False
    outs: list[_Out] = []
    xscale = max([float(np.max(np.abs(a))) for a in x.values() if a.size] or [0.0])
    for j, o in enumerate(outs_t):
        if isinstance(o, torch.Tensor) and dtypes.is_inexact(dtypes.name_of(o.dtype)):
            wide = np.complex128 if o.dtype.is_complex or np.iscomplexobj(y0[j]) else np.float64
            outs.append(_Out(j, o, y0[j].astype(wide), eps=max(EPS64, _eps(y0[j].dtype)), xscale=xscale))
    if not outs:
        stats.skip("no floating output")
        return False
    big = T.biggest(dtype) / OVERFLOW_MARGIN
    for out in outs:
        out.big = min(big, _max(out.tensor.dtype) / OVERFLOW_MARGIN)
    v_raw = [_normal(rng, o.y0.shape, o.tensor.dtype.is_complex) for o in outs]

    # -- finite differences, cotangent, VJP; compare. Where that fails on inputs with tied values, the reference
    #    is asked once more, harder, whether it is differentiable there (ties are where order-based ops are not)
    ties = _ties(x)
    rho = conditioning(op, sample, dtype, diff_idx)
    extra = flat = None
    for round_ in range(2):
        found = _masks_and_vjp(op, sample, device, dtype, outs, v_raw, leaves, diff_idx, x, ts, ref, big, stats,
                               extra, ties, known, flat)
        if found is None:
            return False
        g, keep, ts_used = found
        absolute = output_rounding(op, sample, dtype, diff_idx, outs)
        failure, worst = _compare(outs, g, keep, ts_used, x, diff_idx, dtype, sample, rho, absolute)
        if failure is None:
            stats.worst = max(stats.worst, worst)
            break
        if round_ == 0:
            extra = _tie_kinks(ref, sample, x, ties, outs, rng) if ties is not None else None
            flat = _staircase(ref, sample, x, ts_used, outs)
            if extra is not None or flat is not None:
                continue
        k, lhs, rhs, tol = failure
        _fail(op, sample, device, dtype,
              f"<torch VJP, t> = {lhs!r} but the NumPy finite difference <v, J t> = {rhs!r} "
              f"(direction {k}; |difference| {abs(lhs - rhs):.3g} > tolerance {tol:.3g})",
              outs, ts_used, diff_idx, ref, g, direction=k, keep=keep, tol=tol)
    for out in outs:
        stats.outputs += out.y0.size
        stats.compared += int(out.mask.sum())
    stats.checked += 1
    return True


def _masks_and_vjp(op, sample, device, dtype, outs, v_raw, leaves, diff_idx, x, ts, ref, big, stats, extra, ties,
                   known=None, flat=None):
    """Masks (where NumPy's derivative exists), cotangents and torch's VJP; again (at most twice more) where
    torch's gradient is not finite and that is accepted (:func:`_nonfinite`): the directions then leave those
    elements alone, as they leave the ``known`` ones (:func:`known_elements`) from the start. Returns ``(g, keep,
    directions)``, or None when the sample cannot be checked."""
    excluded = {i: np.zeros(x[i].shape, dtype=bool) if known is None else known[i].copy() for i in diff_idx}
    ts = [{i: np.where(excluded[i], 0, t[i]) for i in diff_idx} for t in ts]
    for _ in range(3):
        try:
            evals, linear = _reference_points(ref, sample, x, ts, ties is not None)
        except Exception:  # noqa: BLE001 - the reference rejects a perturbed input (a domain edge)
            stats.skip("NumPy reference raises near the sample")
            return None
        for n, out in enumerate(outs):
            _differences(out, evals, linear, big)
            if extra is not None:
                out.mask &= ~extra[n]
            if flat is not None:  # a staircase finer than h: its derivative is 0 there (_staircase)
                out.mask |= flat[n]
                out.R = [np.where(flat[n], 0.0, r) for r in out.R]
                out.err = [np.where(flat[n], 0.0, e) for e in out.err]
        if not any(out.mask.any() for out in outs):
            stats.skip("no output element with a derivative NumPy defines")
            return None
        g = _vjp(op, sample, device, dtype, outs, v_raw, leaves, diff_idx, x, ts, ref)
        bad = {i: ~np.isfinite(g[i]) & ~excluded[i] for i in diff_idx}
        if not any(b.any() for b in bad.values()):
            return g, {i: ~excluded[i] for i in diff_idx}, ts
        _nonfinite(op, sample, device, dtype, outs, ts, diff_idx, ref, x, bad, big, stats)
        for i in diff_idx:
            excluded[i] |= bad[i]
        ts = [{i: np.where(excluded[i], 0, t[i]) for i in diff_idx} for t in ts]
    stats.skip("torch's gradient is not finite at more and more elements")
    return None


def _compare(outs, g, keep, ts, x, diff_idx, dtype, sample, rho=None, absolute=None):
    """The identity, direction by direction, with the documented tolerance: ``(None, worst)`` or ``(failure,
    worst)``, the failure being ``(direction, lhs, rhs, tolerance)`` and worst the largest |difference| / tolerance."""
    worst = 0.0
    rtol = rtol_for(dtype, outs)
    tiny = T.tiny(dtype)
    # an input or output of another precision than the dtype under test (a float16 exponent, say) gets its
    # gradient rounded to its own precision once more; an ill-conditioned evaluation adds its own error (rho)
    rho = rho or {}
    rtol_in = {i: rtol + T.gradient_rounding(dtypes.name_of(sample.arrays[i].dtype)) + rho.get(i, 0.0)
               for i in diff_idx}
    rtol_out = [rtol + T.gradient_rounding(dtypes.torch_name(o.tensor.dtype)) for o in outs]
    tiny_in = {i: max(tiny, _tiny(sample.arrays[i].dtype)) for i in diff_idx}
    for k, t in enumerate(ts):
        lhs = sum(_inner(g[i], t[i], keep[i]) for i in diff_idx)
        rhs = sum(_inner(o.v, o.R[k], o.mask) for o in outs)
        rel = np.concatenate([np.abs(t[i]).reshape(-1) / (1.0 + np.abs(x[i]).reshape(-1)) for i in diff_idx])
        zbar = float(np.mean(rel)) if rel.size else 0.0
        with np.errstate(invalid="ignore"):  # a non-finite gradient left out (keep) times a zero direction
            scale = sum(float(np.sum(np.where(keep[i], rtol_in[i] * np.abs(g[i]) * np.abs(t[i]), 0.0)))
                        for i in diff_idx)
        scale += sum(r * float(np.sum(np.where(o.mask, np.abs(o.v) * (np.abs(o.R[k]) + zbar * np.abs(o.y0)), 0.0)))
                     for r, o in zip(rtol_out, outs))
        if absolute:
            scale += sum(float(np.sum(np.where(keep[i], absolute[i] * np.abs(t[i]), 0.0))) for i in absolute)
        fd_err = sum(float(np.sum(np.where(o.mask, np.abs(o.v) * o.err[k], 0.0))) for o in outs)
        floor = sum(tiny_in[i] * float(np.sum(np.where(keep[i], np.abs(t[i]), 0.0))) for i in diff_idx) + \
            tiny * sum(float(np.sum(np.abs(o.v))) for o in outs)
        tol = scale + 2.0 * fd_err + floor
        if tol > 0:
            worst = max(worst, abs(lhs - rhs) / tol)
        if not abs(lhs - rhs) <= tol:
            return (k, lhs, rhs, tol), worst
    return None, worst


def rtol_for(dtype: str, outs) -> float:
    """The derived relative tolerance of a VJP in ``dtype`` (:func:`conformance.tolerance.gradient_rtol`): a
    gradient element sums at most as many contributions as there are output elements. The backward formula
    runs in the cotangent's dtype, the output's: where an output is less precise than ``dtype`` (a float32
    zero-dim tensor divided by a bfloat16 one gives bfloat16), its roundings are that dtype's."""
    terms = sum(int(np.size(o.y0)) for o in outs)
    names = [dtype] + [n for n in (_inexact_name(o.tensor.dtype) for o in outs) if n is not None]
    coarsest = max(names, key=lambda n: T.unit(dtypes.real_of(n)) if dtypes.is_inexact(n) else 0.0)
    return T.gradient_rtol(coarsest, terms)


def _inexact_name(dt) -> str | None:
    try:
        name = dtypes.torch_name(dt) if isinstance(dt, torch.dtype) else dtypes.name_of(dt)
    except KeyError:
        return None
    return name if dtypes.is_inexact(name) else None


def _max(dt) -> float:
    """The largest finite value of a floating or complex array dtype (float64's for others)."""
    name = _inexact_name(dt)
    return T.biggest(name) if name else float(np.finfo(np.float64).max)


def _tiny(dt) -> float:
    """The smallest normal number of a floating or complex dtype (0 for others)."""
    name = _inexact_name(dt)
    return T.tiny(name) if name else 0.0


def _eps(dt) -> float:
    name = _inexact_name(dt)
    return float(dtypes.finfo(name).eps) if name else 0.0


def _ties(x: dict) -> dict | None:
    """Per differentiable input, the elements whose value occurs more than once among all of them (the
    ``expanded`` layout and tie-heavy value domains make many); None when there is none."""
    flat = np.concatenate([a.reshape(-1) for a in x.values()]) if x else np.array([])
    if flat.size == 0:
        return None
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    tied = counts[inverse.reshape(-1)] > 1
    if not tied.any():
        return None
    out, start = {}, 0
    for i, a in x.items():
        out[i] = tied[start:start + a.size].reshape(a.shape)
        start += a.size
    return out


#: random direction pairs of the tie re-check (each misses an order statistic with probability about 1/3 at most)
TIE_ROUNDS = 12


def _tie_kinks(ref, sample, x, ties, outs, rng) -> list | None:
    """Output elements where the reference is not differentiable along directions that move only tied input
    elements: its one-sided slopes differ, or its directional derivative is not additive (the middle of an odd
    group of ties is an order statistic with equal one-sided slopes). None when no new element is found."""
    diff_idx = list(x)
    found = [np.zeros(o.y0.shape, dtype=bool) for o in outs]

    def at(d, s):
        return _evaluate(ref, sample, {i: x[i] + s * H * d[i] for i in diff_idx})

    def direction():
        return {i: _normal(rng, x[i].shape, np.iscomplexobj(x[i])) * ties[i] * (1.0 + np.abs(x[i]))
                for i in diff_idx}

    try:
        y0 = _evaluate(ref, sample, {})
        for _ in range(TIE_ROUNDS):
            u, w = direction(), direction()
            uw = {i: u[i] + w[i] for i in diff_idx}
            ev = {name: (at(d, 1.0), at(d, -1.0)) for name, d in (("u", u), ("w", w), ("uw", uw))}
            for n, o in enumerate(outs):
                j = o.index
                p, m = (np.asarray(e[j]).astype(o.y0.dtype) for e in ev["u"])
                pw, mw = (np.asarray(e[j]).astype(o.y0.dtype) for e in ev["w"])
                puw, muw = (np.asarray(e[j]).astype(o.y0.dtype) for e in ev["uw"])
                base = np.asarray(y0[j]).astype(o.y0.dtype)
                with np.errstate(all="ignore"):
                    cu, cw, cuw = (p - m) / (2 * H), (pw - mw) / (2 * H), (puw - muw) / (2 * H)
                    noise = 3 * 64 * o.eps * np.maximum.reduce(
                        [np.abs(base), np.abs(p), np.abs(m), np.abs(puw), np.abs(muw)]) / H
                    nonlinear = np.abs(cuw - cu - cw) > UNSTABLE * (np.abs(cuw) + np.abs(cu) + np.abs(cw)) + noise
                    kink = np.abs((p - base) - (base - m)) / H > UNSTABLE * (np.abs(cu) + noise) + noise
                found[n] |= (nonlinear | kink) & o.mask
    except Exception:  # noqa: BLE001
        return None
    return found if any(f.any() for f in found) else None


#: the step of the staircase re-check, relative to h: small enough that no step of a rounding op's staircase
#: is crossed where h crosses hundreds, large enough that a smooth reference moves by thousands of ulps
STAIR = 2.0 ** -20
#: how many ulps of the reference's result the h-slope must predict over the small step
STAIR_ULPS = 8


def _staircase(ref, sample, x, ts, outs) -> list | None:
    """Output elements on a staircase finer than the step ``h`` (``trunc(x / y)`` with a huge quotient crosses
    hundreds of steps between ``x - h t`` and ``x + h t``, which looks like a slope): the reference is exactly
    ``y0`` at ``x +- STAIR h t`` along every direction, although the slope seen over ``h`` predicts a change of
    at least :data:`STAIR_ULPS` ulps of ``y0`` over that step for some direction. A smooth function moves as its
    slope predicts, so such an element is locally constant: its derivative is 0. None when there is none."""
    diff_idx = list(x)
    try:
        y0 = _evaluate(ref, sample, {})
        found = [np.ones(o.y0.shape, dtype=bool) for o in outs]
        predicted = [np.zeros(o.y0.shape, dtype=bool) for o in outs]
        for k, t in enumerate(ts):
            near = [_evaluate(ref, sample, {i: x[i] + s * STAIR * H * t[i] for i in diff_idx}) for s in (1.0, -1.0)]
            for n, o in enumerate(outs):
                j = o.index
                base = np.asarray(y0[j])
                p, m = (np.asarray(e[j]) for e in near)
                ulp = o.eps * np.maximum(np.abs(base.astype(o.y0.dtype)), np.finfo(np.float64).tiny)
                with np.errstate(all="ignore"):
                    found[n] &= (p == base) & (m == base)
                    predicted[n] |= np.abs(o.R[k]) * STAIR * H >= STAIR_ULPS * ulp
        found = [f & q & np.isfinite(o.y0) & (np.abs(o.y0) <= o.big) for f, q, o in zip(found, predicted, outs)]
    except Exception:  # noqa: BLE001
        return None
    return found if any(f.any() for f in found) else None


def _reference_points(ref, sample, x, ts, ties: bool):
    """The reference at ``x +- h t`` and ``x +- (h/2) t`` for each direction, and, when the inputs hold tied values
    (where order-based ops are not differentiable), at ``x +- h (t0 + t1)``."""
    diff_idx = list(x)
    evals = [[_evaluate(ref, sample, {i: x[i] + s * H * t[i] for i in diff_idx}) for s in (1.0, -1.0, 0.5, -0.5)]
             for t in ts]
    linear = None
    if ties and len(ts) >= 2:  # along t0 + t1, to see whether the directional derivative is linear in t
        linear = [_evaluate(ref, sample, {i: x[i] + s * H * (ts[0][i] + ts[1][i]) for i in diff_idx})
                  for s in (1.0, -1.0)]
    return evals, linear


def _vjp(op, sample, device, dtype, outs, v_raw, leaves, diff_idx, x, ts, ref) -> dict:
    """torch's VJP with the cotangent ``v_raw`` masked by the outputs' masks (kept in ``out.v``)."""
    grad_outs, grad_ins = [], []
    for out, raw in zip(outs, v_raw):
        v_t = dtypes.to_torch((raw * out.mask).astype(dtypes.NUMPY[dtypes.name_of(out.tensor.dtype)]), device)
        out.v = dtypes.to_numpy(v_t).astype(np.complex128 if out.tensor.dtype.is_complex else np.float64)
        if out.tensor.requires_grad:
            grad_outs.append(out.tensor)
            grad_ins.append(v_t)
    grads = [None] * len(leaves)
    if grad_outs:
        try:
            grads = torch.autograd.grad(grad_outs, leaves, grad_ins, allow_unused=True, retain_graph=True)
        except Exception as exc:  # noqa: BLE001
            _fail(op, sample, device, dtype, f"backward raised {type(exc).__name__}: {str(exc).splitlines()[0]}",
                  outs, ts, diff_idx, ref, None)
    g = {}
    for i, leaf, gr in zip(diff_idx, leaves, grads):
        if gr is None:
            g[i] = np.zeros(x[i].shape, dtype=x[i].dtype)
            continue
        if tuple(gr.shape) != tuple(leaf.shape) or gr.dtype != leaf.dtype or gr.device != leaf.device:
            _fail(op, sample, device, dtype, f"the gradient of input {i} is {dtypes.name_of(gr.dtype)}"
                  f"{tuple(gr.shape)} on {gr.device}; the input is {dtypes.name_of(leaf.dtype)}{tuple(leaf.shape)}"
                  f" on {leaf.device}", outs, ts, diff_idx, ref, None)
        g[i] = dtypes.to_numpy(gr).astype(x[i].dtype)
    return g


def _differences(out: _Out, evals, linear, big: float) -> None:
    """Finite differences of one output, and the mask of elements where its derivative exists (docstring)."""
    j, y0 = out.index, out.y0
    mask = np.isfinite(y0) & (np.abs(y0) <= out.big)
    out.R, out.err, c1s, noises = [], [], [], []
    for ev in evals:
        # the unit roundoff of the reference's own results (a reference that computes in a lower precision, by a
        # dtype= argument or by torch's promotion rules, rounds its finite differences accordingly)
        out.eps = max([out.eps] + [_eps(np.asarray(e[j]).dtype) for e in ev])
        yp, ym, yp2, ym2 = (np.asarray(e[j]).astype(y0.dtype) for e in ev)
        with np.errstate(all="ignore"):
            finite = np.isfinite(yp) & np.isfinite(ym) & np.isfinite(yp2) & np.isfinite(ym2)
            c1 = (yp - ym) / (2 * H)
            c2 = (yp2 - ym2) / H
            # rounding errors of the reference: some ulps of its values, and of the inputs it computes with (a
            # difference x - m, a cancellation 1 + erf(x) leaves an error of the inputs' size in a small result)
            noise = (64 * np.maximum.reduce([np.abs(y0), np.abs(yp), np.abs(ym)]) + 16 * out.xscale) * out.eps / (H / 2)
            unstable = np.abs(c1 - c2) > UNSTABLE * (np.abs(c1) + np.abs(c2)) + noise
            kink1 = np.abs((yp - y0) - (y0 - ym)) / H
            kink2 = np.abs((yp2 - y0) - (y0 - ym2)) / (H / 2)
            kink = (kink2 > noise) & (kink2 > 0.75 * kink1)
        mask &= finite & ~unstable & ~kink
        out.R.append(c2 + (c2 - c1) / 3.0)
        out.err.append(np.abs(c1 - c2) + noise)
        c1s.append(c1)
        noises.append(noise)
    if linear is not None:
        yp, ym = (np.asarray(e[j]).astype(y0.dtype) for e in linear)
        with np.errstate(all="ignore"):
            c12 = (yp - ym) / (2 * H)
            noise = 64 * out.eps * np.maximum(np.abs(yp), np.abs(ym)) / (H / 2) + noises[0] + noises[1]
            nonlinear = np.abs(c12 - c1s[0] - c1s[1]) > \
                UNSTABLE * (np.abs(c12) + np.abs(c1s[0]) + np.abs(c1s[1])) + noise
        mask &= np.isfinite(yp) & np.isfinite(ym) & ~nonlinear
    out.mask = mask


def _loss_along(ref, sample, outs, diff_idx, x, t, s) -> float:
    ys = _evaluate(ref, sample, {i: x[i] + s * H * t[i] for i in diff_idx})
    return sum(_inner(o.v, np.asarray(ys[o.index]), o.mask) for o in outs)


def _nonfinite(op, sample, device, dtype, outs, ts, diff_idx, ref, x, bad, big, stats) -> None:
    """Where torch's gradient is not finite (``bad``): accepted when NumPy leaves an output undefined too, when
    those elements move an output NumPy has no derivative for (not finite a step away), or when the reference's
    derivative of ``<v, f>`` along the first direction restricted to those elements is undefined or beyond the
    dtype's range; a mismatch otherwise (a finite derivative, zero included: the loss does not depend on them)."""
    n_bad = sum(int(bad[i].sum()) for i in diff_idx)
    with np.errstate(invalid="ignore"):
        undefined = any(not (np.isfinite(o.y0) & (np.abs(o.y0) <= o.big)).all() for o in outs)
    if undefined:
        # an output is undefined (NaN or infinite) in NumPy too, or beyond the dtype's range (torch's value
        # overflows): its zero cotangent times the undefined local derivative is NaN (IEEE 0 * NaN, 0 * inf), and
        # torch's chain rule adds it into every input that output depends on
        stats.nonfinite_accepted += n_bad
        return
    t = {i: np.where(bad[i], ts[0][i], 0) for i in diff_idx}
    try:
        # those elements move an output that NumPy leaves without a derivative (not finite a step away: asin at
        # -1), whose cotangent is zeroed: torch's 0 * inf there is that undefined local derivative
        stepped = [_evaluate(ref, sample, {i: x[i] + s * H * t[i] for i in diff_idx}) for s in (1.0, -1.0)]
        with np.errstate(invalid="ignore"):
            undefined = any(np.any(~o.mask & ~np.isfinite(np.asarray(ys[o.index], dtype=o.y0.dtype)))
                            for ys in stepped for o in outs)
    except Exception:  # noqa: BLE001
        undefined = False
    if undefined:
        stats.nonfinite_accepted += n_bad
        return
    try:
        lp, lm = (_loss_along(ref, sample, outs, diff_idx, x, t, s) for s in (1.0, -1.0))
        lp2, lm2 = (_loss_along(ref, sample, outs, diff_idx, x, t, s) for s in (0.5, -0.5))
    except Exception:  # noqa: BLE001
        lp = lm = lp2 = lm2 = float("nan")
    d1, d2 = (lp - lm) / (2 * H), (lp2 - lm2) / H
    size = sum(float(np.sum(np.where(o.mask, np.abs(o.v) * np.abs(o.y0), 0.0))) for o in outs)
    noise = 64 * max(o.eps for o in outs) * size / (H / 2) + abs(d1 - d2)
    # the gradient's size along those elements, against the range of their own dtype (a float16 input's gradient
    # overflows float16 long before the float32 result does)
    reach = sum(float(np.sum(np.abs(t[i]))) for i in diff_idx) or 1.0
    limit = min(big, min(_max(sample.arrays[i].dtype) / OVERFLOW_MARGIN for i in diff_idx if bad[i].any()))
    if not np.isfinite(d2) or abs(d2) / reach > limit:
        # NumPy's derivative along those elements is undefined, or beyond their dtype's range
        stats.nonfinite_accepted += n_bad
        return
    zero = " (zero: the loss does not depend on them)" if abs(d2) <= noise else ""
    _fail(op, sample, device, dtype,
          f"torch's gradient is NaN or infinite at {n_bad} input element(s) where NumPy's function has a finite "
          f"derivative (the derivative of <v, f> along those elements is {d2!r}{zero})",
          outs, ts, diff_idx, ref, None)


def _forward_raised(op, sample, device, dtype, exc) -> None:
    """torch raised on inputs that require grad: if it does not raise without, that is a gradient finding."""
    args, kwargs, _ = sample.torch_inputs(device)
    try:
        op.call(args, kwargs)
    except Exception:  # noqa: BLE001 - raises either way: the forward tests judge that
        return
    raise Mismatch(f"{op.name} [{device}, {dtype}]: torch raised {type(exc).__name__} on inputs that require grad "
                   f"(and not without): {str(exc).splitlines()[0]}", inputs=describe_inputs(sample))


# ---- failure report and reproduction ---------------------------------------------------------------------

def _fail(op, sample, device, dtype, summary, outs, ts, diff_idx, ref, g, direction=0, keep=None, tol=None):
    title = f"torch {op.name} gradient vs NumPy finite differences on {device}, {dtype}: {summary}"
    details = [f"differentiated inputs: {', '.join(f'x{i}' for i in diff_idx)}; step h = 2**-17 (relative); "
               f"output elements compared: {sum(int(o.mask.sum()) for o in outs)} of "
               f"{sum(o.y0.size for o in outs)}"]
    if g is not None:
        for i in diff_idx:
            details.append(f"torch gradient of x{i}: " + np.array2string(g[i], threshold=30, edgeitems=3,
                                                                          separator=", ").replace("\n", " "))
    snippet = reproduction(op, sample, device, title, outs, ts[direction], diff_idx, ref,
                           keep=keep, tol=tol, rtol=rtol_for(dtype, outs))
    raise Mismatch(f"{op.name} [{device}, {dtype}] gradient: {summary}", "\n".join(details),
                   describe_inputs(sample), snippet)


def reproduction(op, sample, device, title, outs, t, diff_idx, ref, keep=None, tol=None, rtol=None) -> str:
    """A standalone script (torch + NumPy) that recomputes torch's VJP and the NumPy finite difference."""
    seen = repro.new_names()
    defs: list[str] = []
    lines = [f"# {title}", "import numpy as np", "import torch", "", f"device = {device!r}"]
    t_names, x_names = {}, {}
    for i, (a, lay) in enumerate(zip(sample.arrays, sample.layouts)):
        lines.append(f"x{i} = {repro.array_literal(a)}")
        lines += _layouts.source(f"t{i}", f"x{i}", a, lay)
        if i in diff_idx:
            lines.append(f"t{i}.requires_grad_(True)")
        t_names[id(a)] = f"t{i}"
        name = dtypes.name_of(a.dtype)
        wide = "complex128" if dtypes.is_complex(name) else "float64"
        x_names[id(a)] = f"(x{i}.astype(np.{wide}) + s * d{i})" if i in diff_idx else \
            (f"x{i}.astype(np.{wide})" if dtypes.is_inexact(name) else f"x{i}")
    for i in diff_idx:
        lines.append(f"d{i} = {repro.array_literal(t[i] * H)}  # the direction, times the step h")
    for o in outs:
        vdt = "complex128" if np.iscomplexobj(o.v) else "float64"
        lines.append(f"v{o.index} = {repro.array_literal(o.v.astype(vdt))}  # cotangent of output {o.index} "
                     f"(zero where NumPy gives no derivative)")
        lines.append(f"m{o.index} = v{o.index} != 0")
    fsrc, fdefs = repro.callable_source(op.torch, seen)
    rsrc, rdefs = repro.callable_source(ref, seen)
    defs += fdefs + rdefs
    if defs:
        lines += [""] + [d + "\n" for d in defs]
    tcall = repro.call(fsrc, sample.args, sample.kwargs, t_names)
    rcall = repro.call(rsrc, sample.args, sample.kwargs, x_names)
    tdt = {o.index: f"torch.{dtypes.name_of(o.tensor.dtype)}" for o in outs}
    lines += [
        "",
        "def flat(r):",
        "    return [y for x in r for y in flat(x)] if isinstance(r, (tuple, list)) else [r]",
        "",
        f"outs = flat({tcall})",
        f"used = [j for j in {[o.index for o in outs]!r} if outs[j].requires_grad]",
        f"vs = {{{', '.join(f'{o.index}: torch.from_numpy(v{o.index}).to(device, {tdt[o.index]})' for o in outs)}}}",
        f"grads = torch.autograd.grad([outs[j] for j in used], [{', '.join(f't{i}' for i in diff_idx)}], "
        "[vs[j] for j in used], allow_unused=True) if used else [None] * " + str(len(diff_idx)),
        "lhs = 0.0",
        f"for gr, d in zip(grads, [{', '.join(f'd{i}' for i in diff_idx)}]):",
        "    if gr is not None:",
        "        gr = gr.detach().cpu().resolve_conj()",
        "        gn = (gr.to(torch.complex128) if gr.is_complex() else gr.double()).numpy().astype(np.complex128)",
        "        lhs += float(np.sum(np.where(np.isfinite(gn), np.real(np.conj(gn) * d), 0.0)))",
        "",
        "def loss(s):  # <v, f(x + s d)> with the NumPy reference, in float64",
        f"    ys = flat({rcall})",
        "    return sum(float(np.sum(np.where(m, np.real(np.conj(v) * np.asarray(ys[j])), 0.0)))",
        f"               for j, v, m in [{', '.join(f'({o.index}, v{o.index}, m{o.index})' for o in outs)}])",
        "",
        "with np.errstate(all='ignore'):",
        "    c1 = (loss(1.0) - loss(-1.0)) / 2  # central differences at h and h/2 (d holds the step)",
        "    c2 = (loss(0.5) - loss(-0.5))",
        "rhs = c2 + (c2 - c1) / 3  # Richardson extrapolation",
        "print('torch <g, d>:', lhs, '  NumPy <v, J d>:', rhs)",
    ]
    if tol is not None:
        lines.append(f"assert abs(lhs - rhs) <= {tol * H!r}, (lhs, rhs)  # tolerance of the suite (scaled by h)")
    else:
        lines.append(f"assert np.isclose(lhs, rhs, rtol={rtol or 1e-7!r}), (lhs, rhs)")
    return "\n".join(lines) + "\n"
