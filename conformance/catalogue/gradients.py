"""Known differences between torch's gradients and the derivatives of the NumPy references (family ``autograd``).

NumPy has no gradients, so "NumPy's behaviour" here is the derivative of the NumPy reference, measured by finite
differences (:mod:`conformance.gradients`), or the fact that the reference has no derivative at the point.

Two kinds of records:

* conditions under which the generic gradient test (``suite/test_gradients.py::test_gradient``) must not compare
  torch with the finite difference, because torch is known to differ: each has ``applies(sample, dtype)`` and an
  ``op`` naming a catalogue entry; with ``raises`` the test holds torch to raising in backward, otherwise it
  leaves the sample out (and counts it as a hit of the divergence);
* documented choices of torch at points where the reference has no derivative (``abs`` and ``sqrt`` at 0, ties
  of ``max``), which the generic test never meets (it leaves such points out) and which bespoke tests pin.

Every record is pinned by a bespoke test marked ``@pytest.mark.divergence(<id>)`` in ``suite/test_gradients.py``
that fails when torch stops behaving as recorded.
"""
from __future__ import annotations

import math

import ml_dtypes
import numpy as np

from conformance import dtypes as D
from conformance import tolerance as T
from conformance.catalogue.entry import Divergence
from conformance.references.gradients import unbroadcast

F = "autograd"
AUTOGRAD_NOTES = "https://pytorch.org/docs/stable/notes/autograd.html#gradients-for-non-differentiable-functions"
SCATTER_DOCS = "https://pytorch.org/docs/stable/generated/torch.Tensor.scatter_.html"


def _kw(sample, name, position):
    if name in sample.kwargs:
        return sample.kwargs[name]
    return sample.args[position] if len(sample.args) > position else None


def _empty_dim(sample, dtype) -> bool:
    dim = _kw(sample, "dim", 1)
    return isinstance(dim, (tuple, list)) and len(dim) == 0


def _src_not_index_shaped(sample, dtype) -> bool:
    index, src = _kw(sample, "index", 2), _kw(sample, "src", 3)
    if not (isinstance(src, np.ndarray) and isinstance(index, np.ndarray)) or src.ndim != index.ndim:
        return False
    # the index-shaped gradient is accepted (and summed) where src's shape broadcasts to index's shape
    return any(s != i and s != 1 for s, i in zip(src.shape, index.shape))


def _reduce(sample):
    return sample.kwargs.get("reduce", sample.args[4] if len(sample.args) > 4 else "sum")


def _broadcasts(a, b) -> bool:
    """The two shapes broadcast together (NumPy's rule, same number of dims)."""
    return len(a) == len(b) and all(m == n or m == 1 or n == 1 for m, n in zip(a, b))


def _scatter_reduce_raises(sample, dtype) -> bool:
    """scatter_reduce: sum and mean raise as scatter does; prod, amax and amin compute index-shaped intermediates
    against src-shaped ones, and raise only where those do not broadcast."""
    if not _src_not_index_shaped(sample, dtype):
        return False
    index, src = _kw(sample, "index", 2), _kw(sample, "src", 3)
    return _reduce(sample) in ("sum", "mean") or not _broadcasts(index.shape, src.shape)


def _scatter_reduce_silent(sample, dtype) -> bool:
    return _src_not_index_shaped(sample, dtype) and _reduce(sample) in ("prod", "amax", "amin") and not \
        _scatter_reduce_raises(sample, dtype)


#: bits of precision of the floating and complex dtypes
_PRECISION = {np.dtype(ml_dtypes.bfloat16): 8, np.dtype(np.float16): 11, np.dtype(np.float32): 24,
              np.dtype(np.float64): 53, np.dtype(np.complex64): 24, np.dtype(np.complex128): 53}


def _low_precision_exponent(sample, dtype) -> bool:
    """pow(x, e) with e a floating tensor of less precision than x (so than the result)."""
    base, exponent = sample.args[0], sample.args[1] if len(sample.args) > 1 else None
    return isinstance(exponent, np.ndarray) and isinstance(base, np.ndarray) and \
        _PRECISION.get(exponent.dtype, 99) < _PRECISION.get(base.dtype, 0)


def _bool_exponent(sample, dtype) -> bool:
    base, exponent = sample.args[0], sample.args[1] if len(sample.args) > 1 else None
    return isinstance(exponent, np.ndarray) and exponent.dtype == np.bool_ and \
        isinstance(base, np.ndarray) and base.dtype.kind in "fc"


def _square_overflows(sample, dtype):
    """Elementwise over the input (the sample's first array): ``x**2`` overflows the input's dtype (for complex
    ``z = a + bi``: ``a**2``, ``b**2`` or ``2|ab|``, the parts of ``z**2``, overflows its real dtype)."""
    z = np.asarray(sample.arrays[0]) if sample.arrays else None
    name = D.name_of(z.dtype) if z is not None else None
    if name is None or not D.is_inexact(name) or name in D.FLOAT8:
        return False
    with np.errstate(all="ignore"):
        if D.is_complex(name):
            real = z.real.dtype
            a, b = np.abs(z.real.astype(np.float64)), np.abs(z.imag.astype(np.float64))
        else:
            real = z.dtype
            a = np.abs(z.astype(np.float64))
            b = np.zeros_like(a)
        terms = [a * a, b * b, 2 * a * b]
        over = np.zeros(z.shape, dtype=bool)
        for q in terms:
            over |= np.isinf(q.astype(real))
        return over & np.isfinite(a) & np.isfinite(b)


def _inverse_hyperbolic(op: str, formula: str) -> Divergence:
    return Divergence(
        id=f"grad-{op}-square-overflows", op=op, family=F,
        condition=f"{op} at input elements whose square overflows the input's dtype (|x| >= 256 in float16, "
                  "|x| > 1.8e19 in bfloat16 and float32, |x| > 1.3e154 in float64; for complex inputs a part of "
                  "z**2 overflows)",
        torch_behaviour=f"the gradient there is 0 (real; complex: 0 or NaN): the backward formula {formula} squares "
                        "the input in its own dtype, the square overflows to inf and rsqrt(inf) is 0. Reproduction: "
                        f"x = torch.tensor([255., 256.], dtype=torch.float16, requires_grad=True); torch.{op}(x)"
                        ".sum().backward() gives x.grad = [0.003922, 0]",
        numpy_behaviour=f"the derivative of np.arc{op[1:]} is 1 / sqrt(x**2 {'+' if op == 'asinh' else '-'} 1), "
                        "about 1 / |x|: 0.003906 at 256, representable in every dtype up to the largest input",
        reference="no issue found in the tracker (the formulas are in tools/autograd/derivatives.yaml); the same "
                  "overflow, fixed elsewhere: https://github.com/jax-ml/jax/issues/40634",
        kind="bug", applies=_square_overflows, root_cause="inverse-hyperbolic-backward-squares-input")


def _sigmoid_exp_overflows(sample, dtype):
    """Elementwise over the input (the sample's first array): complex z where a part of exp(-z) overflows the
    input's dtype (NumPy's sigmoid, 1 / (1 + exp(-z)), is about exp(z) there: below 1 / max in modulus)."""
    z = np.asarray(sample.arrays[0]) if sample.arrays else None
    if z is None or z.dtype.kind != "c":
        return False
    big = float(np.finfo(z.real.dtype).max)
    with np.errstate(all="ignore"):
        zz = z.astype(np.complex128)
        e = np.exp(-zz)
        over = ~(np.abs(e.real) <= big) | ~(np.abs(e.imag) <= big)
        return over & np.isfinite(zz)


def _var_like(op: str) -> Divergence:
    return Divergence(
        id=f"grad-{op}-empty-dim", op=op, family=F,
        condition=f"{op} with dim=() or dim=[] (an empty list of dims, which reduces over every dim)",
        torch_behaviour=f"the value is the {op} over all elements, but backward scales the gradient as if one element "
                        "had been reduced: infinite with the default correction=1 (N - correction = 0), N times too "
                        f"large with correction=0. Reproduction: x = torch.tensor([1., 2., 4.], requires_grad=True); "
                        f"torch.{op}(x, dim=()).backward() gives x.grad = [-inf, inf, inf] (torch.{op}(x) gives finite "
                        "values)",
        numpy_behaviour="the derivative of the reduction over all elements (finite for more than one element)",
        reference="no issue found in the tracker; the same mistake for mean was "
                  "https://github.com/pytorch/pytorch/issues/28993 (fixed)",
        kind="bug", applies=_empty_dim)


def _scatter_like(op: str, applies=_src_not_index_shaped, extra: str = "") -> Divergence:
    return Divergence(
        id=f"grad-{op}-src-not-index-shaped", op=op, family=F,
        condition=f"{op} with a src tensor larger than index along some dim where src's size is not 1 (allowed in "
                  f"forward: index.size(d) <= src.size(d)){extra}, gradient with respect to src",
        torch_behaviour="backward raises RuntimeError (the src gradient is computed with index's shape: "
                        "'returned an invalid gradient ... got [...] but expected shape compatible with [...]')",
        numpy_behaviour="the derivative exists: the src elements outside index's shape do not reach the output "
                        "(zero gradient), the others receive the gathered cotangent",
        reference=SCATTER_DOCS + " (note: 'The backward pass is implemented only for src.shape == index.shape'); "
                  "fix proposed in https://github.com/pytorch/pytorch/pull/188843",
        kind="intended", applies=applies, raises=RuntimeError)


DIVERGENCES = [
    _var_like("var"),
    _var_like("std"),
    _scatter_like("scatter"),
    _scatter_like("scatter_add"),
    _scatter_like("scatter_reduce", _scatter_reduce_raises,
                  "; for reduce='prod', 'amax' and 'amin' only where index's and src's shapes do not broadcast "
                  "together"),
    Divergence(
        id="grad-scatter_reduce-silent-src-not-index-shaped", op="scatter_reduce", family=F,
        condition="scatter_reduce(reduce='prod', 'amax' or 'amin') with a src larger than index along a dim where "
                  "index's and src's shapes broadcast together (index has size 1 or 0 there), gradient with "
                  "respect to src",
        torch_behaviour="backward succeeds, with index-shaped intermediates broadcast against src-shaped ones: "
                        "prod gives the src elements outside index's shape a nonzero gradient (the result divided by "
                        "the element); amax / amin give one to those equal to a maximum (minimum), and share the "
                        "cotangent with them. Reproduction: s = torch.tensor([[1., 5.], [2., 7.]], dtype=torch.float64, "
                        "requires_grad=True); out = torch.scatter_reduce(torch.randn(2, 3, dtype=torch.float64), 1, "
                        "torch.tensor([[2], [0]]), s, 'prod', include_self=False); out.backward(torch.ones_like(out)) "
                        "gives s.grad = [[1, 0.2], [1, 0.2857]]",
        numpy_behaviour="the src elements outside index's shape do not reach the output: zero derivative",
        reference="https://github.com/pytorch/pytorch/pull/188843 (open: 'silently returns wrong gradients for "
                  "scatter_reduce(prod|amax|amin), where index-shaped intermediates broadcast against src-shaped "
                  "masks')",
        kind="bug", applies=_scatter_reduce_silent),
    Divergence(
        id="grad-scatter_reduce-complex", op="scatter_reduce", family=F,
        condition="scatter_reduce on complex inputs that require grad",
        torch_behaviour="the forward raises RuntimeError ('scatter_reduce does not support automatic differentiation "
                        "for outputs with complex dtype'); without requires_grad it computes",
        numpy_behaviour="the reference is differentiable (for reduce='sum' and 'mean' it is linear)",
        reference="the error is torch's explicit mark of a derivative not implemented for complex outputs (the same "
                  "mark was lifted for cumsum and cumprod: https://github.com/pytorch/pytorch/issues/53182)",
        kind="intended", applies=lambda sample, dtype: dtype in ("complex64", "complex128"), raises=RuntimeError),
    Divergence(
        id="grad-index_add-complex-alpha", op="index_add", family=F,
        condition="index_add with a complex alpha that is not real, gradient with respect to source",
        torch_behaviour="the source gradient is alpha * v instead of conj(alpha) * v (torch's convention for complex "
                        "gradients, which torch.add(x, y, alpha=...) follows). Reproduction: s = torch.tensor([2-1j], "
                        "dtype=torch.complex128, requires_grad=True); torch.index_add(torch.zeros(1, dtype=torch."
                        "complex128), 0, torch.tensor([0]), s, alpha=1.5j).backward(torch.ones(1, dtype=torch."
                        "complex128)) gives s.grad = [1.5j]; torch.add gives -1.5j",
        numpy_behaviour="the derivative of x + alpha * source: in torch's convention the source gradient is "
                        "conj(alpha) * v",
        reference="no issue found in the tracker; complex gradient convention: "
                  "https://pytorch.org/docs/stable/notes/autograd.html#autograd-for-complex-numbers",
        kind="bug",
        applies=lambda sample, dtype: isinstance(sample.kwargs.get("alpha"), complex) and
        sample.kwargs["alpha"].imag != 0),
    Divergence(
        id="grad-pow-low-precision-exponent", op="pow", family=F,
        condition="pow(x, e) with e a floating tensor of less precision than x (bfloat16, float16 or float32 e "
                  "with a float64 or complex128 x; bfloat16 or float16 e with a float32 or complex64 x), gradient "
                  "with respect to x",
        torch_behaviour="the gradient e * x ** (e - 1) uses e - 1 rounded to e's dtype: off by a factor "
                        "x ** (rounding error), 4% for x = 174, e = -1.0078125 in bfloat16 (e - 1 = -2.0078125 "
                        "rounds to -2), 4e-7 relative for a float32 e with a float64 x. Reproduction: "
                        "x = torch.tensor(174., dtype=torch.float64, requires_grad=True); torch.pow(x, "
                        "torch.tensor(-1.0078125, dtype=torch.bfloat16)).backward() gives x.grad = -3.3288e-05; the "
                        "derivative is -3.1973e-05 (exact with a float64 exponent)",
        numpy_behaviour="the derivative of np.power in the result's precision (e is exact; e - 1 is computed in the "
                        "result dtype)",
        reference="no issue found in the tracker",
        kind="bug", applies=_low_precision_exponent),
    Divergence(
        id="grad-pow-bool-exponent", op="pow", family=F,
        condition="pow(float tensor, bool tensor): gradient with respect to the base",
        torch_behaviour="forward succeeds (x ** True == x), backward raises RuntimeError ('Subtraction, the `-` "
                        "operator, with a bool tensor is not supported'): the derivative formula computes exponent - 1 "
                        "in bool. Reproduction: x = torch.tensor(1.5, requires_grad=True); "
                        "torch.pow(x, torch.tensor(True)).backward()",
        numpy_behaviour="np.power(x, True) == x: derivative 1 (exponent 1) or 0 (exponent 0)",
        reference="no issue found in the tracker (a Python bool exponent works: torch.pow(x, True))",
        kind="bug", applies=_bool_exponent, raises=RuntimeError),
    Divergence(
        id="grad-scatter-duplicate-indices", op="scatter", family=F,
        condition="scatter with a tensor src and an index that names the same position more than once",
        torch_behaviour="every duplicate src element receives the cotangent of the position (gather of the cotangent "
                        "at index), although only one of them was written",
        numpy_behaviour="the reference writes the last duplicate; only that element reaches the output, so the "
                        "others have zero derivative (the winner itself is unspecified in torch)",
        reference=SCATTER_DOCS + " (warning: with duplicate indices 'the gradient will be incorrect (it will be "
                  "propagated to all locations in the source that correspond to the same index)'); "
                  "https://github.com/pytorch/pytorch/issues/146299",
        kind="intended"),
    _inverse_hyperbolic("asinh", "grad * (x.pow(2) + 1).rsqrt()"),
    _inverse_hyperbolic("acosh", "grad * (x.pow(2) - 1).rsqrt()"),
    Divergence(
        id="grad-sigmoid-complex-exp-overflows", op="sigmoid", family=F,
        condition="complex sigmoid at input elements z where a part of exp(-z) overflows the dtype (Re z below "
                  "about -88.7 in complex64, -709.8 in complex128, depending on Im z)",
        torch_behaviour="the forward gives NaN+NaNj where both parts of exp(-z) overflow (1 / (inf + inf i) in "
                        "torch's complex division), and the gradient, computed from that result, is NaN: "
                        "z = torch.tensor([-92.8+7.64j], dtype=torch.complex64, requires_grad=True); "
                        "torch.sigmoid(z).sum().real.backward() gives z.grad = nan+nanj (at -88.8+1j: 0)",
        numpy_behaviour="sigmoid(z) is about exp(z), below 1 / max in modulus, and so is its derivative "
                        "s (1 - s): a finite (underflowing) gradient",
        reference="https://github.com/pytorch/pytorch/issues/121588 ; https://github.com/pytorch/pytorch/issues/"
                  "159870 (complex sigmoid gives NaN where exp(-z) is infinite; the forward tolerance of sigmoid "
                  "accepts the NaN there, catalogue/pointwise.py _sigmoid_tol)",
        kind="bug", applies=_sigmoid_exp_overflows),
    Divergence(
        id="grad-abs-at-zero", op="abs", family=F,
        condition="abs at x = 0 (real input)",
        torch_behaviour="gradient 0 (sgn(0) = 0: the sub-gradient of minimum norm)",
        numpy_behaviour="np.abs has no derivative at 0: its one-sided slopes are -1 and +1",
        reference=AUTOGRAD_NOTES, kind="intended"),
    Divergence(
        id="grad-sqrt-at-zero", op="sqrt", family=F,
        condition="sqrt at x = 0 (+0.0 or -0.0)",
        torch_behaviour="gradient +inf times the cotangent at +0.0 (the derivative 1 / (2 sqrt(x)) extended by "
                        "continuity), -inf times it at -0.0 (sqrt(-0.0) = -0.0); a zero cotangent gives NaN",
        numpy_behaviour="np.sqrt has no derivative at 0: its right slope is +inf and it is undefined (NaN) to the left",
        reference=AUTOGRAD_NOTES, kind="intended"),
    Divergence(
        id="grad-amax-ties", op="amax", family=F,
        condition="amax/amin (and max()/min() without dim) over a slice whose maximum (minimum) is attained "
                  "more than once",
        torch_behaviour="the cotangent is divided evenly among the tied elements",
        numpy_behaviour="np.amax has no derivative at a tie: along a direction t its derivative is the largest t "
                        "among the tied elements (not linear in t)",
        reference="https://pytorch.org/docs/stable/generated/torch.amax.html", kind="intended"),
    Divergence(
        id="grad-clamp-at-bound", op="clamp", family=F,
        condition="clamp (or clamp_min / clamp_max) with Python-number bounds at an input equal to a bound",
        torch_behaviour="gradient 1 there: torch.clamp(torch.tensor(0., requires_grad=True), min=0.).backward() "
                        "gives 1, where relu, hardtanh and relu6 give 0 for the same function",
        numpy_behaviour="np.clip(x, 0, None) is max(x, 0), convex with one-sided slopes 0 and 1 at the bound: the "
                        "autograd notes' rule (the sub-gradient of minimum norm) gives 0",
        reference="https://github.com/pytorch/pytorch/issues/184574 ; https://github.com/pytorch/pytorch/issues/184572 "
                  "; chosen in https://github.com/pytorch/pytorch/pull/7049 ; " + AUTOGRAD_NOTES,
        kind="bug", root_cause="clamp-backward-closed-interval", torch_versions="<2.14"),
    Divergence(
        id="grad-fmax-ties", op="fmax", family=F,
        condition="fmax / fmin with equal (non-NaN) operands",
        torch_behaviour="the whole cotangent goes to the first operand: torch.fmax(x, y) with x == y gives x.grad = 1, "
                        "y.grad = 0, where torch.maximum splits it evenly (0.5 each)",
        numpy_behaviour="np.fmax at a tie is max(x, y), convex: the sub-gradient of minimum norm is (0.5, 0.5), the "
                        "rule of the autograd notes and what torch.maximum gives",
        reference=AUTOGRAD_NOTES + " ; maximum's ties fixed in https://github.com/pytorch/pytorch/issues/56734",
        kind="unspecified", torch_versions="<2.14"),
    Divergence(
        id="grad-fmax-nan-operand", op="fmax", family=F,
        condition="fmax / fmin with a NaN operand (the result is the other operand)",
        torch_behaviour="the NaN operand gets the cotangent too: x = [nan], y = [3.0], torch.fmax(x, y).sum()"
                        ".backward() gives x.grad = 1 and y.grad = 1 (the tie-splitting formula of maximum, whose NaN "
                        "operand is the result, applied to fmax)",
        numpy_behaviour="np.fmax(nan, y) is y whatever the NaN operand: the cotangent goes to y alone (torch "
                        "before 2.14: x.grad = 0)",
        reference="https://github.com/pytorch/pytorch/pull/193035 ([autograd] Update fmin and fmax gradients to "
                  "follow forward NaN handling behavior)",
        kind="bug", torch_versions=">=2.14"),
    Divergence(
        id="grad-max-dim-ties", op="max_dim", family=F,
        condition="max(dim)/min(dim) over a slice whose maximum (minimum) is attained more than once",
        torch_behaviour="the whole cotangent goes to the element at the returned index (the first maximal one, "
                        "as documented for the indices)",
        numpy_behaviour="np.amax has no derivative at a tie (see grad-amax-ties)",
        reference="https://pytorch.org/docs/stable/generated/torch.max.html", kind="intended"),
]


# ---- conditioning of the evaluation (conformance.gradients.conditioning) ---------------------------------------

def _operand(sample, position):
    return sample.args[position] if len(sample.args) > position else None


def _pow_conditioning(sample, dtype):
    """Complex pow's gradients, ``conj(y x**(y-1)) v`` for the base and ``conj(x**y log x) v`` for the exponent:
    torch evaluates ``x**(y-1)`` and ``x**y`` as ``exp(w)`` with ``w = (y - 1) log x`` and ``w = y log x``
    computed in the working precision. As for the forward (catalogue/pointwise.py ``_pow_tol``, whose constant
    this takes), the computed ``w`` carries an error ``|dw| <= 16 u (1 + |w|)`` (the roundings of ``log x`` and
    of the complex product, relative to ``|w|``; ``u`` the dtype's unit roundoff), so the power is off by the
    relative ``expm1(|dw|)``: the condition of ``exp`` at ``w``, not a few roundings (``|w| = 190`` leaves about
    ``200 u``). The rest of the formula (the product with ``y`` or ``log x``) is a few roundings, within
    ``gradient_rtol``'s; the rounding of ``y - 1`` moves ``w`` by at most ``u |y - 1| |log x| <= u |w|``, within
    the bound above (for real pow it is the one error beyond a few roundings: :func:`_pow_exponent_rounding`). For the base's gradient ``w`` is ``(y - 1) log x``, for the exponent's ``y log x``;
    over an input that broadcasts, the largest over the output elements it reaches. Real pow (an accurate
    ``pow`` of the C library) needs nothing more here; its rounded exponent ``y - 1`` is bounded, absolutely, by
    :func:`_pow_exponent_rounding`."""
    x, y = _operand(sample, 0), _operand(sample, 1)
    if x is None or y is None:
        return {}
    # torch's result dtype, not the cell's: a real base with a complex exponent is complex pow too, and a zero-dim
    # complex128 exponent of a float32 tensor gives complex64
    from conformance.references import pointwise as RP

    kinds = {np.asarray(v).dtype.kind for v in (x, y)}
    if "c" not in kinds:
        return {}
    try:
        result = D.name_of(RP.torch_result_type(x, y))
    except TypeError:
        return {}
    if result not in ("complex64", "complex128"):
        return {}
    u = T.unit(result)
    pos = {id(a): i for i, a in enumerate(sample.arrays)}
    with np.errstate(all="ignore"):
        xc, yc = (np.asarray(v).astype(np.complex128) for v in (x, y))
        log_x = np.log(xc)
        found = {}
        for operand, w in ((x, (yc - 1) * log_x), (y, yc * log_x)):
            if isinstance(operand, np.ndarray) and id(operand) in pos:
                rho = np.nan_to_num(np.expm1(16 * u * (1 + np.abs(w))), nan=0.0, posinf=0.0)
                found[pos[id(operand)]] = _fold(rho, operand.shape)
    return found


def _fold(values: np.ndarray, shape) -> np.ndarray:
    """``values`` (broadcast shape) reduced by max to ``shape``, the shape of an input that broadcasts to it."""
    values = np.asarray(values)
    if values.size == 0:  # an empty output: the input's gradient is 0, nothing to inherit
        return np.zeros(shape)
    extra = values.ndim - len(shape)
    if extra > 0:
        values = values.max(axis=tuple(range(extra)))
    axes = tuple(d for d, n in enumerate(shape) if n == 1 and values.shape[d] != 1)
    if axes:
        values = values.max(axis=axes, keepdims=True)
    return np.broadcast_to(values, shape)


def _quantile_conditioning(sample, dtype):
    """quantile / nanquantile with linear interpolation: the gradient of ``lo + (hi - lo) g`` is ``v (1 - g)`` for
    the lower sorted element and ``v g`` for the upper, with the weight ``g = frac(q (n - 1))`` (``n`` the count of
    the slice, without its NaNs for nanquantile) computed in the input's dtype: ``q`` rounded to it and the product
    rounded, so the computed position is off by at most ``err = q (n - 1) (2u + u^2)`` (``u`` the dtype's unit
    roundoff; 0 where ``q`` and ``q (n - 1)`` are exact in the dtype), and so is the weight (the floor is exact).
    Relative to the gradient elements, ``v (1 - g)`` and ``v g``, that is ``err / (1 - g)`` and ``err / g``: for q =
    0.9 over 1032 elements (``g = 0.9``, ``err = 1.1e-4``) about ``1.1e-3``. Where the position is within ``err`` of
    an integer it may cross it: the elements of every rank it may then reach are off by at most ``err``
    absolutely, relative to a weight that may be as small as ``err`` (bound 1 for those elements only). Each
    element gets the bound of the ranks its value holds (ties share them), the largest over the values of ``q``;
    elements no position reaches get 0. Other interpolations use no computed weight (or exactly 1/2)."""
    if dtype not in ("float16", "bfloat16", "float32", "float64") or \
            sample.kwargs.get("interpolation", "linear") != "linear":
        return {}
    x = sample.arrays[0]
    q = _operand(sample, 1)
    if x.size == 0 or q is None:
        return {}
    npdt = D.NUMPY[dtype]
    u = T.unit(dtype)
    qs = np.atleast_1d(np.asarray(q, dtype=np.float64)).ravel()
    dim = sample.kwargs.get("dim")
    xw = x.astype(np.float64)
    axis = dim % x.ndim if dim is not None and x.ndim else None
    rows = (xw.reshape(1, -1) if axis is None else np.moveaxis(xw, axis, -1).reshape(-1, x.shape[axis]))
    rho_rows = np.zeros(rows.shape)
    with np.errstate(all="ignore"):
        for r, row in enumerate(rows):
            ordered = np.sort(row[~np.isnan(row)])
            c = ordered.size
            if c < 2:
                continue
            for qv in np.clip(qs, 0.0, 1.0):
                pos = qv * (c - 1)
                exact = float(np.asarray(qv).astype(npdt)) == qv and float(np.asarray(pos).astype(npdt)) == pos
                err = 0.0 if exact else pos * (2 * u + u * u)
                if err == 0.0:
                    continue
                w = pos - math.floor(pos)
                for k in range(max(math.floor(pos - err), 0), min(math.floor(pos + err) + 1, c - 1) + 1):
                    weight = (1 - w) if k == math.floor(pos) else (w if k == math.floor(pos) + 1 else 0.0)
                    bound = err / max(weight, err)
                    hit = row == ordered[k]
                    rho_rows[r] = np.where(hit, np.maximum(rho_rows[r], bound), rho_rows[r])
    if not rho_rows.any():
        return {}
    if axis is None:
        found = rho_rows.reshape(x.shape)
    else:
        moved = tuple(n for i, n in enumerate(x.shape) if i != axis) + (x.shape[axis],)
        found = np.moveaxis(rho_rows.reshape(moved), -1, axis)
    return {0: found}


#: op name -> ``(sample, dtype) -> {position in sample.arrays: relative error bound over that array}``: the error a
#: gradient inherits from an evaluation in the working precision that is ill-conditioned beyond a few roundings
def _wide_operand(sample, dtype):
    """The first operand in float64 / complex128, for a floating or complex cell with a non-empty array there;
    else None."""
    x = _operand(sample, 0)
    if dtype not in ("float16", "bfloat16", "float32", "float64", "complex64", "complex128") or \
            not isinstance(x, np.ndarray) or x.size == 0:
        return None
    return x.astype(np.complex128 if D.is_complex(dtype) else np.float64)


def _output_square_conditioning(fn, sign):
    """tanh's gradient ``conj(1 - y**2) v`` and tan's ``conj(1 + y**2) v`` start from the computed output ``y``
    (``fn`` of the input), which is within the forward bound ``r |y|`` of the exact one (``r`` the dtype's
    default rtol, what the forward test holds the op to); the square and the sum round once more each (``u
    |y|**2``, ``u``). So ``1 -+ y**2`` is off by at most ``(2 r + 2 u) |y|**2 + u`` absolutely, relative to ``|1
    -+ y**2|``: where ``y**2`` nears ``+-1`` that is far more than a few roundings (complex64 tanh at 2.97 +
    58.2j: ``|1 - y**2| = 0.0105``, about ``1e-5``; complex64 tan at -89.3 - 14.8j, where tan is about -j and
    ``|1 + y**2|`` about 5e-13, a 1-ulp error of y moves it by 1e-7)."""
    def conditioning(sample, dtype):
        w = _wide_operand(sample, dtype)
        if w is None:
            return {}
        u, r = T.unit(dtype), T.default(dtype).rtol
        with np.errstate(all="ignore"):
            y = fn(w)
            rho = ((2 * r + 2 * u) * np.abs(y) ** 2 + u) / np.abs(1 + sign * y * y)
        return {0: np.nan_to_num(rho, nan=0.0, posinf=0.0)}
    return conditioning


def _square_difference_conditioning(sign, power):
    """asin, acos (``(1 - x**2)**-1/2``), atanh (``(1 - x**2)**-1``) and acosh (``(x**2 - 1)**-1/2``): torch's
    backward forms ``d = 1 - x*x`` (``x*x - 1``) in the working precision, the square and the subtraction rounded
    once each: ``d`` is off by at most ``c u |x|**2 + u |d|`` (``c`` 1 for a real square, sqrt 5 for a complex one,
    Higham sec. 3.6), relative to ``|d|``; the power ``-1/2`` (``-1``) halves (keeps) that relative error. Near
    ``|x| = 1`` that is far more than a few roundings (float32 acos at 0.9615: ``|d| = 0.0755``, 7e-6)."""
    def conditioning(sample, dtype):
        w = _wide_operand(sample, dtype)
        if w is None:
            return {}
        u = T.unit(dtype)
        c = math.sqrt(5) if D.is_complex(dtype) else 1.0
        with np.errstate(all="ignore"):
            d = sign * (1 - w * w)
            rho = power * (c * u * np.abs(w) ** 2 + u * np.abs(d)) / np.abs(d)
        return {0: np.nan_to_num(rho, nan=0.0, posinf=0.0)}
    return conditioning


def _sigmoid_conditioning(sample, dtype):
    """sigmoid's gradient ``conj(y (1 - y)) v`` starts from the computed output ``y``, within the forward bound
    ``r |y|`` of the exact one (``r`` the dtype's default rtol, what the forward test holds sigmoid to); ``1 - y``
    and the product round once each (``u |1 - y|``; ``sqrt 5 u`` for a complex product, Higham sec. 3.6). So
    ``y (1 - y)`` is off by at most ``r + r |y| / |1 - y| + (1 + sqrt 5) u`` relative to it: where ``y`` nears 1
    (a large real part) ``1 - y`` cancels, far more than a few roundings."""
    w = _wide_operand(sample, dtype)
    if w is None:
        return {}
    u, r = T.unit(dtype), T.default(dtype).rtol
    with np.errstate(all="ignore"):
        y = 1 / (1 + np.exp(-w))
        rho = r + r * np.abs(y) / np.abs(1 - y) + (1 + math.sqrt(5)) * u
    return {0: np.nan_to_num(rho, nan=0.0, posinf=0.0)}


def _exp2_conditioning(sample, dtype):
    """exp2: :func:`conformance.catalogue.pointwise_more.exp2_gradient_conditioning` (derived there)."""
    from conformance.catalogue import pointwise_more

    return pointwise_more.exp2_gradient_conditioning(sample, dtype)


def _ldexp_conditioning(sample, dtype):
    """ldexp: :func:`conformance.catalogue.pointwise_more.ldexp_gradient_conditioning` (derived there)."""
    from conformance.catalogue import pointwise_more

    return pointwise_more.ldexp_gradient_conditioning(sample, dtype)


def _logsumexp_conditioning(sample, dtype):
    """logsumexp's gradient ``v exp(x - y)`` (``y`` the computed result, for complex inputs with the conjugate)
    takes the exponential of a difference: the computed ``y`` carries the forward bound ``e_y`` (absolute, of
    ``reductions.logsumexp_tol``: ``atol + rtol |y|``) and the subtraction rounds once more (``u |x - y|``), so the
    exponent is off by ``d <= e_y + u |x - y|`` absolutely and the gradient element by the relative
    ``expm1(d)``: the condition of ``exp``, not a few roundings (complex64 at ``0.82 - 130.3j``: ``|y| = 130``
    leaves about ``130 u``)."""
    from conformance.catalogue import reductions
    from conformance.references import reductions as RR

    w = _wide_operand(sample, dtype)
    if w is None:
        return {}
    x = _operand(sample, 0)
    tol = reductions.logsumexp_tol(sample, dtype)
    try:
        axis = reductions._axis(x, reductions._dim(sample))
    except ValueError:
        return {}
    if tol is None:
        return {}
    u = T.unit(dtype)
    with np.errstate(all="ignore"):
        y = RR.logsumexp_ref(w, axis, True)
        atol = np.asarray(tol.atol, dtype=np.float64)
        if atol.ndim and not sample.kwargs.get("keepdim", False):  # the result's shape, reduced dims kept
            axes = tuple(range(x.ndim)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
            atol = np.expand_dims(atol, axes)
        d = atol + np.asarray(tol.rtol) * np.abs(y) + u * np.abs(w - y)
        rho = np.expm1(d)
    return {0: np.broadcast_to(np.nan_to_num(rho, nan=0.0, posinf=0.0), x.shape)}


def _logaddexp_conditioning(sample, dtype):
    """logaddexp: :func:`conformance.catalogue.pointwise_more.logaddexp_gradient_conditioning` (derived there)."""
    from conformance.catalogue import pointwise_more

    return pointwise_more.logaddexp_gradient_conditioning(sample, dtype)


def _softmax_output_rounding(sample, dtype, v):
    """softmax's gradient ``y (v - s)``, ``s = sum_j v_j y_j`` along ``dim``, starts from the computed output:
    each ``y_j`` within the forward bound ``r y_j`` (``r`` the output dtype's default rtol, what the forward test
    holds softmax to) moves the gradient element by ``r y_i |v_i - s| + y_i r (1 + r) sum_j |v_j| y_j``. Where
    ``v_i - s`` cancels, that is far more than a few roundings of the gradient, and it does not shrink with the
    input (softmax is shift-invariant: bfloat16 [308, 302] and [8, 2] give the same gradient, off by 51%).
    Returns ``{0: the absolute bound per input element}``."""
    from conformance.references import functional as F

    x = _operand(sample, 0)
    if not isinstance(x, np.ndarray) or x.size == 0 or x.dtype.kind not in "fV" or v is None:
        return {}
    dim = sample.kwargs.get("dim", sample.args[1] if len(sample.args) > 1 else None)
    out = sample.kwargs.get("dtype") or D.name_of(x.dtype)
    if dim is None or out in D.FLOAT8:
        return {}
    r = T.default(out).rtol
    with np.errstate(all="ignore"):
        w = x.astype(np.float64).reshape(x.shape or (1,))
        axis = F._axis(x, dim)
        y = F.softmax(w, axis)
        vv = np.asarray(v, dtype=np.float64).reshape(w.shape)
        s = np.sum(vv * y, axis=axis, keepdims=True)
        spread = np.sum(np.abs(vv) * y, axis=axis, keepdims=True)
        bound = r * y * (np.abs(vv - s) + (1 + r) * spread)
    return {0: np.nan_to_num(bound, nan=0.0, posinf=0.0).reshape(x.shape)}


def _pow_exponent_rounding(sample, dtype, v):
    """Real pow's base gradient ``v y x**(y - 1)``: torch forms the exponent ``e = y - 1`` in the working precision
    (a tensor op on the exponent, in its own dtype), and the power ``x**e`` rounds ``e`` to the result dtype (the
    pow kernel casts a Python-number or integer exponent to it; bfloat16 ``0.8203125 ** -273.`` is
    ``0.8203125 ** -272``). So ``e`` is ``y - 1`` rounded to the coarser ``c`` of the two dtypes: exact where
    ``y - 1`` is representable in ``c`` (an integer below ``2**p``, ``p`` the precision), else off by
    ``|de| <= u_c |y - 1|``, and then ``|x|**e`` is off by the relative ``expm1(|de| |log|x||)``: the condition
    of ``x**e`` in ``e``, ``|e log x|``, times one rounding, not a few roundings (bfloat16 ``y = -272``,
    ``x = 0.82``: ``e = -272`` for ``-273``, 18%). For a negative base (an integer ``y``) the rounded integer
    exponent may change parity and so the sign: ``1 + exp(|de| |log|x||)``. The bound depends on the cotangent
    where the base broadcasts (a sum over the output elements it reaches, whose terms may cancel): per base
    element, ``sum |v| |y| |x|**(y-1) rho``, summed to the base's shape. Returns ``{base position: bound}``."""
    x, y = _operand(sample, 0), _operand(sample, 1)
    pos = {id(a): i for i, a in enumerate(sample.arrays)}
    if not isinstance(x, np.ndarray) or id(x) not in pos or y is None or v is None:
        return {}
    from conformance.references import pointwise as RP

    if np.asarray(x).dtype.kind == "c" or np.asarray(y).dtype.kind == "c":
        return {}
    try:
        result = D.name_of(RP.torch_result_type(x, y))
    except TypeError:
        return {}
    if result not in ("float16", "bfloat16", "float32", "float64"):
        return {}
    coarse = result
    own = D.name_of(y.dtype) if isinstance(y, np.ndarray) else "float64"
    if own in ("float16", "bfloat16", "float32") and T.unit(own) > T.unit(coarse):
        coarse = own
    u = T.unit(coarse)
    with np.errstate(all="ignore"):
        xw = np.asarray(x).astype(np.float64)
        e = np.asarray(y).astype(np.float64) - 1
        exact = np.asarray(e).astype(D.NUMPY[coarse]).astype(np.float64) == e
        r = u * np.abs(e) * np.abs(np.log(np.abs(xw)))
        rho = np.where(exact, 0.0, np.where(xw < 0, 1 + np.exp(r), np.expm1(r)))
        vv = np.asarray(v, dtype=np.float64)
        term = np.where(vv != 0, np.abs(vv) * np.abs(e + 1) * np.abs(xw) ** e * rho, 0.0)
        term = np.nan_to_num(np.broadcast_to(term, np.broadcast_shapes(term.shape, xw.shape)), nan=0.0, posinf=0.0)
    return {pos[id(x)]: unbroadcast(term, x.shape)}


def _det_adjugate_rounding(sample, dtype, v):
    """det's gradient is ``v`` times the conjugated adjugate of ``A``, which torch forms from a factorization of
    ``A`` (the LU's solves, or an SVD where the determinant is 0): it is the adjugate of some ``A + dA``, ``||dA||_F
    <= eps``, eps the larger of the LU's bound with its solves (tolerance.lu_backward, Higham Thm 9.4) and the
    SVD's (tolerance.factorization). Each cofactor is a determinant of order ``n - 1`` of a submatrix of norm at
    most ``||A||_F``, which moves by at most ``(n - 1) eps (||A||_F + eps)^(n-2)`` (Ipsen and Rehman, as
    tolerance.determinant): that times ``|v|`` bounds each gradient element absolutely. It dominates where ``A``
    is ill-conditioned: a matrix of the 'singular' form (its last row a copy of the first), whose determinant is
    0 for every input, has the exact gradient 0, and torch's is the sum of two adjugate rows that cancel but for
    that rounding (twice the bound, for the copied row). Returns ``{0: the bound per input element}``."""
    from conformance.references import decompositions as RD

    a = _operand(sample, 0)
    if not isinstance(a, np.ndarray) or a.ndim < 2 or a.shape[-1] != a.shape[-2] or a.shape[-1] < 2 or v is None \
            or not D.is_inexact(D.name_of(a.dtype)):
        return {}
    form = sample.args[1] if len(sample.args) > 1 and isinstance(sample.args[1], str) else "plain"
    name = D.name_of(a.dtype)
    n = a.shape[-1]
    with np.errstate(all="ignore"):
        m = RD.shaped(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64), form)
        fro = np.sqrt(np.sum(np.abs(m.astype(np.clongdouble)) ** 2, axis=(-2, -1))).astype(np.float64)
        eps = np.maximum(T.lu_backward(name, n, RD.lu_magnitude(m)), T.factorization(name, n, n) * fro)
        copies = 2.0 if form == "singular" else 1.0
        bound = copies * np.abs(np.asarray(v, dtype=np.complex128)) * (n - 1) * eps * (fro + eps) ** (n - 2)
    return {0: np.nan_to_num(np.broadcast_to(bound[..., None, None], a.shape), nan=0.0, posinf=0.0)}


def _solve_output_rounding(sample, dtype, v):
    """linalg_solve: :func:`conformance.catalogue.decompositions.solve_gradient_rounding` (derived there)."""
    from conformance.catalogue import decompositions

    return decompositions.solve_gradient_rounding(sample, dtype, v)


def _inv_output_rounding(sample, dtype, v):
    """linalg_inv: :func:`conformance.catalogue.decompositions.inv_gradient_rounding` (derived there)."""
    from conformance.catalogue import decompositions

    return decompositions.inv_gradient_rounding(sample, dtype, v)


#: bounds of the error a gradient inherits, where that depends on the cotangent: from the rounded output its
#: backward formula starts from (softmax), or from an intermediate rounded in the working precision whose error
#: the formula amplifies (real pow's exponent ``y - 1``; det's adjugate; inv's computed inverse): ``(sample,
#: dtype, v) -> {input position: absolute bound per element}``
def _normalize_backward_rounding(sample, dtype, v):
    """normalize is ``y = x / n``, ``n = max(||x||_p, eps)`` along ``dim``; its gradient is ``v / n - S_i`` with
    ``S_i = (sum_j v_j x_j) sign(x_i) |x_i|**(p - 1) / n**(p + 1)`` (the norm's derivative, for a finite p >= 1),
    two terms of size ``|v| / n`` that cancel where ``x`` is one slice's only large element (``y = sign(x)``,
    derivative 0): each is computed in the input's dtype (the division's backward, then the norm's, each op
    rounded), so the rounding errors are relative to the terms, not to their difference. Per element:
    ``(2u + e_n) |v_i| / n + (gamma_k + 6u + (p + 1) e_n) |x_i|**(p - 1) S / n**(p + 1)`` with ``S = sum_j |v_j
    x_j|`` (``k`` its terms, summed in the accumulation type), ``e_n = gamma_(k+1) + 2 u_a + u`` the computed
    norm's relative error (a sum of powers, each and its root rounded, then rounded to the dtype), entering ``1/n``
    once and ``1/n**(p + 1)`` p + 1 times; ``u`` the unit roundoff of the input's dtype (bfloat16 [[-0.25],
    [0.0104], ...] with p = 2 along a dim of one element: the exact gradient 0, torch's -0.5; bfloat16 [[0.0176]]
    with p = 1: torch's -0.125; both within this bound). p = inf or p < 1: {} (their powers are bounded by the
    norm records)."""
    from conformance.catalogue import functional

    x = _operand(sample, 0)
    if v is None or not isinstance(x, np.ndarray) or x.size == 0 or x.dtype.kind not in "fVc":
        return {}
    parts = functional._norm_parts(sample)
    if parts is None or not (1.0 <= parts[1] < math.inf):
        return {}
    x, p, axes, eps, _ = parts
    name = D.name_of(x.dtype)
    if not D.is_inexact(name) or name in D.FLOAT8:
        return {}
    u, ua = T.unit(D.real_of(name)), T.unit(T.accumulation(name))
    axes = axes if x.ndim else None
    with np.errstate(all="ignore"):
        a = np.abs(x.astype(np.complex128 if np.iscomplexobj(x) else np.float64))
        k = int(a.size if axes is None else np.prod([a.shape[i] for i in axes]))
        big = np.max(a, axis=axes, keepdims=True, initial=0.0)
        scale = np.where((big > 0) & np.isfinite(big), big, 1.0)  # the p-th powers taken of a / scale
        n = np.maximum(scale * np.sum((a / scale) ** p, axis=axes, keepdims=True) ** (1.0 / p), eps)
        vv = np.abs(np.asarray(v)).astype(np.float64).reshape(a.shape)
        big_s = np.sum(vv * a, axis=axes, keepdims=True)
        e_n = T.gamma(k + 1, ua) + 2 * ua + u
        power = a ** (p - 1) / n ** (p - 1) if p != 1.0 else np.ones_like(a)  # |x_i|**(p-1) / n**(p-1), <= 1
        bound = (2 * u + e_n) * vv / n + (T.gamma(k, ua) + 6 * u + (p + 1) * e_n) * power * big_s / n ** 2
    return {0: np.nan_to_num(bound, nan=0.0, posinf=0.0).reshape(x.shape)}


def _variance_backward_rounding(std: bool):
    def bound(sample, dtype, v):
        """var's gradient ``(2 / (n - c)) v (x_i - m)`` along the reduced dims (``n`` elements, correction ``c``,
        ``m`` their mean) and std's, that divided by ``2 y``, are evaluated in the input's dtype from a computed
        mean (accumulated in the accumulation type, ``u_a``, and rounded to the dtype, ``u``): ``m`` is off by
        ``e_m <= u |m| + (1 + u) gamma_a(n + 1) S / n`` (``S = sum |x_j|`` over the slice; the division rounds
        once more), and the deviation ``x_i - m``, rounded once more, by ``e_m (1 + u) + u |x_i - m|``:
        absolutely, against a deviation that cancels where the spread is small beside the values (float16
        ``[-74.94, -75.75]``: ``u |m| = 0.037`` against deviations of 0.41, 9 %; torch's 1.083 and -0.928 where
        the exact gradient is +-1.005). std divides by its computed result, within the forward bound ``E``
        (``reductions.var_tol``) of the exact ``y``: relatively ``E / (y - E)`` more, where ``E < y`` (elsewhere
        nothing is added: a failure there is triaged, not hidden). Returns ``{0: the absolute bound per input
        element}``: ``|2 v / (n - c)| (e_d + rho |x_i - m|)``, divided by ``2 y`` for std."""
        from conformance.catalogue import reductions

        x = _operand(sample, 0)
        if v is None or not isinstance(x, np.ndarray) or x.size == 0 or x.dtype.kind not in "fVc":
            return {}
        name = D.name_of(x.dtype)
        if not D.is_inexact(name) or name in D.FLOAT8:
            return {}
        try:
            axis = reductions._axis(x, reductions._dim(sample))
        except ValueError:
            return {}
        c = sample.kwargs.get("correction", 1)
        axes = tuple(range(x.ndim)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
        n = int(np.prod([x.shape[a] for a in axes])) if x.ndim else 1
        if n - c <= 0:
            return {}
        u, ua = T.unit(name), T.unit(T.accumulation(name))
        with np.errstate(all="ignore"):
            w = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
            m = np.mean(w, axis=axes, keepdims=True)
            e_m = u * np.abs(m) + (1 + u) * T.gamma(n + 1, ua) * np.mean(np.abs(w), axis=axes, keepdims=True)
            d = np.abs(w - m)
            e_d = e_m * (1 + u) + u * d
            vv = np.abs(np.asarray(v, dtype=np.complex128 if np.iscomplexobj(v) else np.float64))
            if not sample.kwargs.get("keepdim", False):
                vv = np.expand_dims(vv.reshape(np.shape(np.squeeze(m, axis=axes))), axes)
            bound = 2 * vv / (n - c) * e_d
            if std:
                tol = reductions.var_tol(std=True)(sample, dtype)
                if tol is None:
                    return {}
                y = np.sqrt(np.sum(d * d, axis=axes, keepdims=True) / (n - c))
                big_e = np.asarray(tol.atol, dtype=np.float64)
                if big_e.ndim and not sample.kwargs.get("keepdim", False):
                    big_e = np.expand_dims(big_e, axes)
                big_e = big_e + np.asarray(tol.rtol) * y
                rho = np.where(big_e < y, big_e / (y - big_e), 0.0)
                bound = (bound + 2 * vv / (n - c) * rho * d) / (2 * y)
        return {0: np.broadcast_to(np.nan_to_num(bound, nan=0.0, posinf=0.0), x.shape)}
    return bound


OUTPUT_ROUNDING = {"softmax": _softmax_output_rounding, "pow": _pow_exponent_rounding,
                   "linalg_det": _det_adjugate_rounding, "linalg_inv": _inv_output_rounding,
                   "linalg_solve": _solve_output_rounding,
                   "normalize": _normalize_backward_rounding, "var": _variance_backward_rounding(std=False),
                   "std": _variance_backward_rounding(std=True)}


CONDITIONING = {"pow": _pow_conditioning, "logsumexp": _logsumexp_conditioning, "logaddexp": _logaddexp_conditioning,
                "quantile": _quantile_conditioning,
                "nanquantile": _quantile_conditioning, "tanh": _output_square_conditioning(np.tanh, -1),
                "tan": _output_square_conditioning(np.tan, 1), "exp2": _exp2_conditioning,
                "ldexp": _ldexp_conditioning, "asin": _square_difference_conditioning(1, 0.5),
                "acos": _square_difference_conditioning(1, 0.5), "atanh": _square_difference_conditioning(1, 1.0),
                "acosh": _square_difference_conditioning(-1, 0.5), "sigmoid": _sigmoid_conditioning}
