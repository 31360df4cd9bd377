"""Gradients against NumPy: the vector-Jacobian products torch computes, for every differentiable catalogue op.

* :func:`test_gradient` — generic, no per-op code: every catalogue entry with ``grad=True`` (dtypes:
  :func:`gradient_dtypes`: float64 for all, complex128 where the entry takes complex inputs and does more than
  move elements, float32 for the core set; under the nightly profile float32 and complex128 for all, and more
  directions per sample), on inputs in
  every memory layout (each array's layout drawn from contiguous, transposed, step-sliced, offset and expanded),
  broadcasting included where the entry's strategy broadcasts. torch's VJP with a random cotangent is checked
  against central finite differences of the entry's NumPy reference in float64 (the rule, its step and its
  tolerance: :mod:`conformance.gradients`). Samples are the entry's own, ``ordinary`` fill only; a sample whose
  differentiable inputs are all empty is replaced by another one. The test records its coverage (samples
  checked, output elements compared, known divergences met) as the ``gradient_coverage`` property, and fails if
  it checked no sample.
* ``test_closed_form_*`` — the core set (sqrt, exp, log, sigmoid, tanh, pow, sum, mean, amax / max with ties,
  softmax, log_softmax, gather, index_select, scatter and scatter_add with duplicate indices, cat, stack, chunk,
  split, view / reshape / transpose / permute / expand, matmul, einsum) against closed-form NumPy gradients
  (:mod:`conformance.references.gradients`), element by element, broadcasting shown explicitly (pow, matmul,
  expand: the gradient of a broadcast input is summed back to its shape). These call torch directly, so they do
  not depend on catalogue entry names.
* the edges NumPy defines and torch documents (``abs`` and ``sqrt`` at 0, ties of ``max``), and every known
  gradient divergence (``catalogue/gradients.py``), pinned by tests that fail when torch changes.

Tolerance of the closed-form tests (:func:`closed_form_tolerance`): element by element, the roundings of the
backward formula in the dtype under test relative to the gradient, ``gamma_a(N + 16) M`` for the sum of its terms
(``M`` the same gradient computed on absolute values: what rounding can act on; ``N`` the output's size), and the
two roundings to the dtype; the sign of a zero gradient is not compared.
"""
from __future__ import annotations

import cmath
import dataclasses
import functools
import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from conformance import catalogue, compare, dtypes, gradients, profiles, seeding, support
from conformance import tolerance as T
from conformance.catalogue import gradients as known
from conformance.check import Mismatch, describe_inputs
from conformance.references import gradients as R
from conformance.strategies import LAYOUTS, ArraySpec, Case
from conformance.strategies import indexing as I, joining as J, views as V

pytestmark = pytest.mark.autograd

FLOATS = ("float32", "float64")


# ---- the generic test ------------------------------------------------------------------------------------

def _profile() -> str:
    try:
        return settings.get_current_profile_name()
    except Exception:  # noqa: BLE001 - older Hypothesis
        return "dev"


#: the dtypes torch differentiates: every floating and complex dtype but the float8 formats (autograd has no
#: float8 kernels); an op without a kernel for one of them is reported unsupported there
GRADIENT_DTYPES = tuple(d for d in dtypes.FLOATING + dtypes.COMPLEX if d not in dtypes.FLOAT8)


def gradient_dtypes(op) -> tuple:
    return GRADIENT_DTYPES


@functools.lru_cache(maxsize=None)
def _layouts(n: int, choices=LAYOUTS):
    """A layout for each of ``n`` arrays (the strategy is built once per ``n``: building one per example costs)."""
    return st.lists(st.sampled_from(choices), min_size=n, max_size=n)


def _worth_checking(op, case) -> bool:
    """At least one differentiable input with an element (a sample whose differentiable inputs are all empty
    has nothing to differentiate)."""
    specs = case.specs
    chosen = op.grad_args if op.grad_args is not None else range(len(specs))
    return any(dtypes.is_inexact(specs[i].dtype) and math.prod(specs[i].shape) > 0
               for i in chosen if i < len(specs))


@pytest.mark.ops(lambda op: op.grad, dtypes=gradient_dtypes)
def test_gradient(op, device, dtype, request, conformance_counts):
    """torch's VJP equals the finite-difference derivative of the NumPy reference (see the module docstring)."""
    support.skip_if_known_unsupported(op, device, dtype)
    stats = gradients.Stats()

    @settings(max_examples=profiles.examples(_profile(), kind="gradient"),
              suppress_health_check=list(settings().suppress_health_check) + [HealthCheck.filter_too_much])
    @given(data=st.data())
    def run(data):
        case = data.draw(op.cell_strategy(dtype), label="case")
        if not _worth_checking(op, case):
            reject()
        chosen = data.draw(_layouts(len(case.specs)), label="layouts")
        before = (stats.checked, len(stats.hits))
        gradients.check(op, case.with_layouts(chosen).sample("ordinary", 0), device, dtype, stats)
        if (stats.checked, len(stats.hits)) == before:
            # nothing checked (the reference raises there, no derivative is defined...): not an example, so that
            # Hypothesis draws another and the cell's examples are checked ones
            reject()
        conformance_counts.add(1, (), drawn=(case, chosen))

    if _profile() in ("ci", "selfcheck"):  # this cell's own seed (conformance.seeding)
        run._hypothesis_internal_use_seed = seeding.seed_of(seeding.test_id(request.node))
    run()
    conformance_counts.checked = stats.checked
    conformance_counts.hits |= stats.hits
    conformance_counts.partial |= stats.partial
    request.node.user_properties.append(("gradient_coverage", stats.summary()))
    gradients.require_checked(op, device, dtype, stats)


# ---- closed-form checks: the machinery -------------------------------------------------------------------

def _wide(a):
    if dtypes.is_complex(dtypes.name_of(a.dtype)):
        return a.astype(np.complex128)
    if dtypes.is_floating(dtypes.name_of(a.dtype)):
        return a.astype(np.float64)
    return a.copy()


def _flat(obj):
    if isinstance(obj, (tuple, list)):
        return [y for o in obj for y in _flat(o)]
    return [obj]


@dataclasses.dataclass
class Closed:
    """A closed-form check: ``torch_fn(*args, **kwargs)`` on the sample's tensors; ``vjp(args, kwargs, vs)`` on
    its float64 NumPy arrays returns the gradients of the differentiable arrays (``diff``: positions in the
    sample's arrays), ``bound(args, kwargs, vs)`` the magnitudes rounding acts on (default: ``vjp`` on absolute
    values, right for the sums of products that linear and multilinear ops are)."""
    name: str
    torch_fn: object
    vjp: object
    bound: object = None
    diff: tuple = (0,)


def run_closed(data, device, dtype, case: Case, check: Closed, layouts=LAYOUTS, record=None):
    chosen = data.draw(_layouts(len(case.specs), tuple(layouts)), label="layouts")
    sample = case.with_layouts(chosen).sample("ordinary", 0)
    args, kwargs, tensors = sample.torch_inputs(device)
    leaves = [tensors[i].requires_grad_(True) for i in check.diff]
    outs = [o for o in _flat(check.torch_fn(*args, **kwargs)) if isinstance(o, torch.Tensor) and o.is_floating_point()]
    rng = np.random.default_rng([case.seed, 7])
    vs_t = [dtypes.to_torch(rng.standard_normal(o.shape).astype(dtypes.NUMPY[dtypes.name_of(o.dtype)]), device)
            for o in outs]
    used = [(o, v) for o, v in zip(outs, vs_t) if o.requires_grad]
    got = torch.autograd.grad([o for o, _ in used], leaves, [v for _, v in used], allow_unused=True) \
        if used else [None] * len(leaves)
    np_args, np_kwargs = sample.numpy_inputs(_wide)
    vs = [dtypes.to_numpy(v).astype(np.float64) for v in vs_t]
    with np.errstate(all="ignore"):
        want = check.vjp(np_args, np_kwargs, vs)
        if check.bound is not None:
            mags = check.bound(np_args, np_kwargs, vs)
        else:
            abs_args, abs_kwargs = sample.numpy_inputs(lambda a: np.abs(_wide(a)) if a.dtype.kind in "fc" else a.copy())
            mags = check.vjp(abs_args, abs_kwargs, [np.abs(v) for v in vs])
    terms = max([int(o.numel()) for o in outs] or [1])
    for k, (i, leaf, g, w, m) in enumerate(zip(check.diff, leaves, got, want, mags)):
        g = torch.zeros_like(leaf) if g is None else g
        expected = np.asarray(w).astype(dtypes.NUMPY[dtype])
        tol = closed_form_tolerance(dtype, np.abs(np.asarray(m)), terms)
        diff = compare.compare(g, expected, tol=tol, signed_zero=False)
        if diff is not None:
            raise Mismatch(f"{check.name} [{device}, {dtype}] gradient of x{i} differs from the closed-form NumPy "
                           f"gradient (conformance.references.gradients): {diff.summary}",
                           "\n".join(diff.details + [f"torch: {dtypes.to_numpy(g)!r}", f"numpy: {expected!r}"]),
                           describe_inputs(sample))
    return sample


def closed_form_tolerance(dtype: str, magnitude, terms: int) -> T.Tolerance:
    """The bound of a closed-form comparison: the backward formula's roundings in ``dtype`` relative to the
    gradient, a sum of up to ``terms`` contributions (an element of a broadcast input's gradient sums at most as many
    as the output has) in the accumulation type relative to the magnitudes rounding acts on (``magnitude``: the same
    gradient computed on absolute values), plus the two roundings to ``dtype`` and the smallest normal number
    (a gradient below it underflows)."""
    ua = T.unit(T.accumulation(dtype))
    rtol = float(T.gamma(T.BACKWARD_DEPTH, T.unit(dtype))) + T.rounded_twice(dtype)
    atol = T.gamma(terms + T.BACKWARD_DEPTH, ua) * np.asarray(magnitude, dtype=np.float64) + T.tiny(dtype)
    return T.Tolerance(rtol, atol, why="closed-form gradient")


def _case(build):
    return I.case(build)


# ---- closed form: pointwise ------------------------------------------------------------------------------

def _unary(rng, dtype, domain):
    return (ArraySpec(I.shape(rng), dtype, domain=domain),)


def _pointwise(name, vjp, bound=None):
    return Closed(name, lambda x: getattr(torch, name)(x), lambda a, k, vs: [vjp(a[0], vs[0])],
                  bound and (lambda a, k, vs: [bound(a[0], vs[0])]))


POINTWISE = {
    "sqrt": (("float", 0.05, 5.0), _pointwise("sqrt", R.sqrt_vjp)),
    "exp": (("float", -10.0, 10.0), _pointwise("exp", R.exp_vjp)),
    "log": (("float", 0.05, 5.0), _pointwise("log", R.log_vjp)),
    # the backward of sigmoid and tanh is computed from the rounded output: 1 - y*y loses the digits of y when
    # |y| is near 1, so the bound is the size of the terms |v| (1 + y*y), not of the result
    "sigmoid": (("float", -10.0, 10.0), _pointwise(
        "sigmoid", R.sigmoid_vjp, lambda x, v: np.abs(v) * (1.0 + 1.0 / (1.0 + np.exp(-x))))),
    "tanh": (("float", -10.0, 10.0), _pointwise("tanh", R.tanh_vjp, lambda x, v: np.abs(v) * (1.0 + np.tanh(x) ** 2))),
}


@pytest.mark.dtypes(*FLOATS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in POINTWISE])
@given(data=st.data())
def test_closed_form_pointwise(name, device, dtype, data):
    """sqrt, exp, log, sigmoid, tanh: elementwise derivative times the cotangent (inputs inside the domain)."""
    domain, check = POINTWISE[name]
    case = data.draw(_case(lambda rng: _unary(rng, dtype, domain)), label="case")
    run_closed(data, device, dtype, case, check)


def _pow_args(rng, dtype):
    a, b = I.broadcastable(rng, 2)
    return ArraySpec(tuple(a), dtype, domain=("float", 0.2, 3.0)), ArraySpec(tuple(b), dtype, domain=("float", -2.0, 2.0))


def _pow_bound(a, k, vs):
    x, y = a
    v = vs[0]
    return (R.unbroadcast(np.abs(v * y * np.power(x, y - 1.0)), x.shape),
            R.unbroadcast(np.abs(v * np.power(x, y) * np.log(x)), y.shape))


POW = Closed("pow", lambda x, y: torch.pow(x, y), lambda a, k, vs: R.pow_vjp(a[0], a[1], vs[0]), _pow_bound, (0, 1))


@pytest.mark.op("pow")
@pytest.mark.dtypes(*FLOATS)
@given(data=st.data())
def test_closed_form_pow(device, dtype, data):
    """pow(x, y) with broadcasting shapes: both gradients, each summed back to its own input's shape."""
    run_closed(data, device, dtype, data.draw(_case(lambda rng: _pow_args(rng, dtype)), label="case"), POW)


# ---- closed form: reductions -----------------------------------------------------------------------------

def _reduce_args(rng, dtype, ties=False, dims_tuple=True):
    shp = I.shape(rng, zero=0.0 if ties else 0.08)  # amax of an empty slice raises
    x = ArraySpec(shp, dtype, domain=("int", -2, 3) if ties and rng.random() < 0.6 else None)
    nd = len(shp)
    r = rng.random()
    if r < 0.2 or nd == 0:
        return (x,), {"keepdim": rng.random() < 0.5, "dim": None} if rng.random() < 0.5 else {}
    if r < 0.6 or not dims_tuple:
        return (x,), {"dim": I.dim(rng, nd), "keepdim": rng.random() < 0.5}
    k = rng.randint(1, nd)
    dims = tuple(d - nd if rng.random() < 0.5 else d for d in rng.sample(range(nd), k))
    return (x,), {"dim": dims, "keepdim": rng.random() < 0.5}


def _torch_reduce(name):
    def fn(x, dim=None, keepdim=False):
        f = getattr(torch, name)
        if dim is None and not keepdim:
            return f(x)
        if dim is None:
            return f(x, dim=None, keepdim=True)
        return f(x, dim, keepdim=keepdim)
    return fn


REDUCTIONS = {
    "sum": Closed("sum", _torch_reduce("sum"), lambda a, k, vs: [R.sum_vjp(a[0], vs[0], k.get("dim"), k.get("keepdim", False))]),
    "mean": Closed("mean", _torch_reduce("mean"), lambda a, k, vs: [R.mean_vjp(a[0], vs[0], k.get("dim"), k.get("keepdim", False))]),
}


@pytest.mark.dtypes(*FLOATS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in REDUCTIONS])
@given(data=st.data())
def test_closed_form_sum_mean(name, device, dtype, data):
    """sum and mean over no dim, one dim (negative ones included) or several, with and without keepdim: the
    cotangent broadcast back over the reduced dims (divided by their size for mean)."""
    case = data.draw(_case(lambda rng: _reduce_args(rng, dtype)), label="case")
    run_closed(data, device, dtype, case, REDUCTIONS[name])


AMAX = Closed("amax", lambda x, dim=None, keepdim=False: torch.amax(x, dim=() if dim is None else dim, keepdim=keepdim),
              lambda a, k, vs: [R.amax_vjp(a[0], vs[0], k.get("dim"), k.get("keepdim", False))])
MAX_ALL = Closed("max", lambda x: torch.max(x), lambda a, k, vs: [R.amax_vjp(a[0], vs[0])])
MAX_DIM = Closed("max_dim", lambda x, dim, keepdim=False: torch.max(x, dim, keepdim=keepdim),
                 lambda a, k, vs: [R.max_dim_vjp(a[0], vs[0], k["dim"], k.get("keepdim", False))])


@pytest.mark.op("amax")
@pytest.mark.dtypes(*FLOATS)
@given(data=st.data())
def test_closed_form_amax_ties(device, dtype, data, record_property):
    """amax over dims, on tie-heavy values (integers -2..2 most of the time, and the expanded layout): the
    cotangent divided evenly among tied maxima (documented: divergence grad-amax-ties)."""
    case = data.draw(_case(lambda rng: _reduce_args(rng, dtype, ties=True)), label="case")
    run_closed(data, device, dtype, case, AMAX)
    record_property("divergences_hit", ["grad-amax-ties"])


@pytest.mark.op("max")
@pytest.mark.dtypes(*FLOATS)
@given(data=st.data())
def test_closed_form_max_ties(device, dtype, data, record_property):
    """max() over everything divides the cotangent evenly among tied maxima; max(dim) gives it all to the
    returned index, the first maximal element (documented: divergences grad-amax-ties, grad-max-dim-ties)."""
    whole = data.draw(st.booleans(), label="whole")
    if whole:
        case = data.draw(_case(lambda rng: ((ArraySpec(I.shape(rng, zero=0.0), dtype, domain=("int", -2, 3)),), {})),
                         label="case")
        run_closed(data, device, dtype, case, MAX_ALL)
    else:
        case = data.draw(_case(lambda rng: _max_dim_args(rng, dtype)), label="case")
        run_closed(data, device, dtype, case, MAX_DIM)
    record_property("divergences_hit", ["grad-amax-ties", "grad-max-dim-ties"])


def _max_dim_args(rng, dtype):
    shp = I.shape(rng, zero=0.0)
    x = ArraySpec(shp, dtype, domain=("int", -2, 3) if rng.random() < 0.7 else None)
    return (x,), {"dim": I.dim(rng, len(shp)), "keepdim": rng.random() < 0.5}


def _softmax_args(rng, dtype):
    shp = I.shape(rng, 1)
    return (ArraySpec(shp, dtype), I.dim(rng, len(shp))), {}


def _softmax_parts(x, dim):
    """softmax of ``x`` and the factor by which its float rounding grows: exp of a rounded difference x - max
    carries a relative error of |x - max| ulps, so the bound is scaled by 1 + |x - max|."""
    shifted = x - np.max(x, axis=dim, keepdims=True, initial=-np.inf)
    e = np.exp(shifted)
    return e / e.sum(axis=dim, keepdims=True), 1.0 + np.abs(shifted)


def _softmax_bound(a, k, vs):
    y, grow = _softmax_parts(a[0], a[1])
    return [y * grow * (np.abs(vs[0]) + np.sum(np.abs(vs[0]) * y, axis=a[1], keepdims=True))]


def _log_softmax_bound(a, k, vs):
    y, grow = _softmax_parts(a[0], a[1])
    return [np.abs(vs[0]) + y * grow * np.sum(np.abs(vs[0]), axis=a[1], keepdims=True)]


SOFTMAX = {
    "softmax": Closed("softmax", lambda x, dim: torch.softmax(x, dim), lambda a, k, vs: [R.softmax_vjp(a[0], vs[0], a[1])],
                      _softmax_bound),
    "log_softmax": Closed("log_softmax", lambda x, dim: torch.log_softmax(x, dim),
                          lambda a, k, vs: [R.log_softmax_vjp(a[0], vs[0], a[1])], _log_softmax_bound),
}


@pytest.mark.dtypes(*FLOATS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in SOFTMAX])
@given(data=st.data())
def test_closed_form_softmax(name, device, dtype, data):
    """softmax: y * (v - sum(v * y)); log_softmax: v - softmax * sum(v), along dim."""
    case = data.draw(_case(lambda rng: _softmax_args(rng, dtype)), label="case")
    run_closed(data, device, dtype, case, SOFTMAX[name])


# ---- closed form: indexing -------------------------------------------------------------------------------

def _gather_args(rng, dtype):
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    k = d % len(shp)
    ishape = [rng.randint(0, s) for s in shp]
    ishape[k] = rng.randint(0, 6) if shp[k] > 0 else 0
    if shp[k] == 0 and math.prod(ishape) > 0:
        ishape[k] = 0
    return ArraySpec(shp, dtype), d, I.index_array(rng, tuple(ishape), shp[k], I.index_dtype(rng, long_only=True))


def _scatter_args(rng, dtype):
    x, d, idx = _gather_args(rng, dtype)
    return x, d, idx, ArraySpec(idx.shape, dtype)


def _index_select_args(rng, dtype):
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    k = d % len(shp)
    n = rng.randint(0, 6) if shp[k] > 0 else 0
    return ArraySpec(shp, dtype), d, I.index_array(rng, (n,), shp[k], I.index_dtype(rng))


INDEXING = {
    "gather": (_gather_args, Closed("gather", lambda x, d, i: torch.gather(x, d, i),
                                    lambda a, k, vs: [R.gather_vjp(a[0], a[1], a[2], vs[0])])),
    "index_select": (_index_select_args, Closed("index_select", lambda x, d, i: torch.index_select(x, d, i),
                                                lambda a, k, vs: [R.index_select_vjp(a[0], a[1], a[2], vs[0])])),
    "scatter_add": (_scatter_args, Closed("scatter_add", lambda x, d, i, s: torch.scatter_add(x, d, i, s),
                                          lambda a, k, vs: R.scatter_add_vjp(a[0], a[1], a[2], a[3], vs[0]),
                                          diff=(0, 2))),
    "scatter": (_scatter_args, Closed("scatter", lambda x, d, i, s: torch.scatter(x, d, i, s),
                                      lambda a, k, vs: R.scatter_vjp(a[0], a[1], a[2], a[3], vs[0]), diff=(0, 2))),
}


@pytest.mark.dtypes(*FLOATS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in INDEXING])
@given(data=st.data())
def test_closed_form_indexing(name, device, dtype, data, record_property):
    """gather, index_select, scatter_add and scatter with repeated indices (narrow index ranges repeat them):
    a position read twice receives both cotangents; a src element of scatter_add receives the cotangent of the
    position it was added to. For scatter with duplicates torch documents that every duplicate receives it,
    though one was written (divergence grad-scatter-duplicate-indices): the closed form states that choice."""
    build, check = INDEXING[name]
    case = data.draw(_case(lambda rng: build(rng, dtype)), label="case")
    sample = run_closed(data, device, dtype, case, check)
    if name == "scatter" and _has_duplicates(sample.arrays[1], case.args[1]):
        record_property("divergences_hit", ["grad-scatter-duplicate-indices"])


def _has_duplicates(index, dim) -> bool:
    if index.ndim == 0 or index.size == 0:
        return False
    moved = np.moveaxis(index, dim % index.ndim, -1).reshape(-1, index.shape[dim % index.ndim])
    return any(len(set(row.tolist())) < len(row) for row in moved)


# ---- closed form: joining --------------------------------------------------------------------------------

def _cat_args(rng, dtype):
    shp = list(I.shape(rng, 1))
    d = I.dim(rng, len(shp))
    parts = []
    for _ in range(rng.randint(1, 4)):
        s = list(shp)
        s[d % len(shp)] = rng.choice((0, 1, 2, 3))
        parts.append(ArraySpec(tuple(s), dtype))
    return (parts, d), {}


def _cat_vjp(a, k, vs):
    return R.cat_vjp([p.shape for p in a[0]], a[1], vs[0])


def _stack_args(rng, dtype):
    shp = I.shape(rng)
    return ([ArraySpec(shp, dtype) for _ in range(rng.randint(1, 4))], I.dim(rng, len(shp) + 1)), {}


def _split_args(rng, dtype, chunk):
    shp = I.shape(rng, 1)
    d = I.dim(rng, len(shp))
    n = shp[d % len(shp)]
    if chunk:
        how = rng.randint(1, 6)
    else:
        how = J.split_sizes(rng, n) if rng.random() < 0.5 else rng.randint(1, max(n, 1) + 1)
    return (ArraySpec(shp, dtype), how, d), {}


JOINING = {
    "cat": (_cat_args, Closed("cat", lambda ts, d: torch.cat(ts, d), _cat_vjp, diff=None)),
    "stack": (_stack_args, Closed("stack", lambda ts, d: torch.stack(ts, d),
                                  lambda a, k, vs: R.stack_vjp(len(a[0]), a[1], vs[0]), diff=None)),
    "chunk": (lambda rng, dt: _split_args(rng, dt, True),
              Closed("chunk", lambda x, n, d: torch.chunk(x, n, d), lambda a, k, vs: [R.split_vjp(vs, a[2])])),
    "split": (lambda rng, dt: _split_args(rng, dt, False),
              Closed("split", lambda x, n, d: torch.split(x, n, d), lambda a, k, vs: [R.split_vjp(vs, a[2])])),
}


@pytest.mark.dtypes(*FLOATS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in JOINING])
@given(data=st.data())
def test_closed_form_joining(name, device, dtype, data):
    """cat (inputs empty along dim included) and stack: the cotangent cut back into the inputs' pieces; chunk
    and split: the pieces' cotangents joined back along dim."""
    build, check = JOINING[name]
    case = data.draw(_case(lambda rng: build(rng, dtype)), label="case")
    if check.diff is None:
        check = dataclasses.replace(check, diff=tuple(range(len(case.specs))))
    run_closed(data, device, dtype, case, check)


# ---- closed form: views ----------------------------------------------------------------------------------

def _reshape_args(rng, dtype):
    shp = I.shape(rng)
    return (ArraySpec(shp, dtype), V.reshape_target(rng, shp)), {}


def _view_args(rng, dtype):
    shp = I.shape(rng)
    return (ArraySpec(shp, dtype), V.split_target(rng, shp)), {}


def _transpose_args(rng, dtype):
    shp = I.shape(rng, 1)
    n = len(shp)
    return (ArraySpec(shp, dtype), I.dim(rng, n), I.dim(rng, n)), {}


def _permute_args(rng, dtype):
    shp = I.shape(rng)
    perm = list(range(len(shp)))
    rng.shuffle(perm)
    return (ArraySpec(shp, dtype), tuple(p - len(shp) if rng.random() < 0.3 else p for p in perm)), {}


def _expand_args(rng, dtype):
    shp = I.shape(rng)
    target = [rng.randint(0, 4) if s == 1 and rng.random() < 0.7 else s for s in shp]
    lead = [rng.randint(0, 3) for _ in range(rng.randint(0, 2))]
    return (ArraySpec(shp, dtype), tuple(lead + target)), {}


VIEWS = {
    "reshape": (_reshape_args, Closed("reshape", lambda x, s: torch.reshape(x, s), lambda a, k, vs: [R.reshape_vjp(a[0], vs[0])])),
    "view": (_view_args, Closed("view", lambda x, s: x.view(s), lambda a, k, vs: [R.reshape_vjp(a[0], vs[0])])),
    "transpose": (_transpose_args, Closed("transpose", lambda x, a, b: torch.transpose(x, a, b),
                                          lambda a, k, vs: [R.transpose_vjp(a[0], a[1], a[2], vs[0])])),
    "permute": (_permute_args, Closed("permute", lambda x, p: torch.permute(x, p),
                                      lambda a, k, vs: [R.permute_vjp(a[0], a[1], vs[0])])),
    "expand": (_expand_args, Closed("expand", lambda x, s: x.expand(s), lambda a, k, vs: [R.expand_vjp(a[0], vs[0])])),
}


@pytest.mark.dtypes(*FLOATS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.op(n)) for n in VIEWS])
@given(data=st.data())
def test_closed_form_views(name, device, dtype, data):
    """reshape / view (the cotangent reshaped back), transpose and permute (transposed back), expand (summed
    over the broadcast dims, leading ones included)."""
    build, check = VIEWS[name]
    case = data.draw(_case(lambda rng: build(rng, dtype)), label="case")
    # a view of a split target exists for any strides; other layouts are exercised by reshape
    run_closed(data, device, dtype, case, check)


# ---- closed form: linear algebra -------------------------------------------------------------------------

def _matmul_args(rng, dtype):
    m, n, p = rng.randint(0, 4), rng.randint(0, 4), rng.randint(0, 4)
    a = [m, n] if rng.random() < 0.85 else [n]
    b = [n, p] if rng.random() < 0.85 else [n]
    if len(a) == 2 and len(b) == 2 or rng.random() < 0.5:
        batch = [rng.choice((1, 2, 3)) for _ in range(rng.randint(0, 2))]
        ba = [s if rng.random() < 0.6 else 1 for s in batch]
        bb = [s if rng.random() < 0.6 else 1 for s in batch]
        a = ba[rng.randint(0, len(ba)):] + a if len(a) == 2 else a
        b = bb[rng.randint(0, len(bb)):] + b if len(b) == 2 else b
    return (ArraySpec(tuple(a), dtype), ArraySpec(tuple(b), dtype)), {}


MATMUL = Closed("matmul", lambda a, b: torch.matmul(a, b), lambda a, k, vs: R.matmul_vjp(a[0], a[1], vs[0]),
                diff=(0, 1))


@pytest.mark.op("matmul")
@pytest.mark.dtypes(*FLOATS)
@given(data=st.data())
def test_closed_form_matmul(device, dtype, data):
    """matmul with 1-D operands (promoted and squeezed back) and broadcast batch dims: v @ B^T and A^T @ v,
    summed over the batch dims an operand was broadcast along."""
    run_closed(data, device, dtype, data.draw(_case(lambda rng: _matmul_args(rng, dtype)), label="case"), MATMUL)


EQUATIONS = ("ij,jk->ik", "bij,bjk->bik", "i,i->", "i,j->ij", "ij->ji", "ij->", "ij->j", "ijk,k->ij",
             "ij,ij->ij", "ab,bc,cd->ad", "i,ij->j")


def _einsum_args(rng, dtype):
    eq = rng.choice(EQUATIONS)
    sizes = {c: rng.randint(0, 4) if rng.random() < 0.1 else rng.randint(1, 4) for c in "abcdijk"}
    ins = eq.split("->")[0].split(",")
    return (eq, [ArraySpec(tuple(sizes[c] for c in s), dtype) for s in ins]), {}


EINSUM = Closed("einsum", lambda eq, ops: torch.einsum(eq, *ops), lambda a, k, vs: R.einsum_vjp(a[0], a[1], vs[0]),
                diff=None)


@pytest.mark.op("einsum")
@pytest.mark.dtypes(*FLOATS)
@given(data=st.data())
def test_closed_form_einsum(device, dtype, data):
    """einsum: each operand's gradient is the einsum of the cotangent with the other operands, broadcast over the
    subscripts summed away (contractions, outer products, transposes, reductions, chains of three)."""
    case = data.draw(_case(lambda rng: _einsum_args(rng, dtype)), label="case")
    run_closed(data, device, dtype, case, dataclasses.replace(EINSUM, diff=tuple(range(len(case.specs)))))


@pytest.mark.op("einsum")
@pytest.mark.dtypes(*FLOATS)
@given(data=st.data())
def test_closed_form_einsum_trace(device, dtype, data):
    """einsum('ii->') (a repeated subscript: the trace): the cotangent on the diagonal, zero elsewhere."""
    case = data.draw(_case(lambda rng: ((ArraySpec((rng.randint(0, 4),) * 2, dtype),), {})), label="case")
    run_closed(data, device, dtype, case, Closed("einsum", lambda x: torch.einsum("ii->", x),
                                                 lambda a, k, vs: [R.trace_vjp(a[0], vs[0])]))


# ---- edges NumPy defines, and the documented choices of torch there --------------------------------------

def _one_sided(f, x, i, h=2.0 ** -20):
    """(left, right) slopes of ``f`` at ``x`` along element ``i``, in float64."""
    e = np.zeros_like(x)
    e.flat[i] = h
    with np.errstate(all="ignore"):
        return float(np.sum(f(x) - f(x - e))) / h, float(np.sum(f(x + e) - f(x))) / h


@pytest.mark.op("abs")
@pytest.mark.divergence("grad-abs-at-zero")
@pytest.mark.dtypes(*FLOATS)
def test_abs_gradient_at_zero(device, dtype):
    """abs'(0) = 0 in torch (the sub-gradient of minimum norm), for +0.0 and -0.0; NumPy's abs has no derivative
    there (its one-sided slopes are -1 and +1). Away from 0: sign(x)."""
    x = torch.tensor([0.0, -0.0, 1.5, -2.0], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    (g,) = torch.autograd.grad(torch.abs(x), x, torch.ones_like(x))
    assert dtypes.to_numpy(g).tolist() == [0.0, 0.0, 1.0, -1.0], f"torch's abs gradient: {g}"
    left, right = _one_sided(np.abs, np.zeros(1), 0)
    assert (left, right) == (-1.0, 1.0), "NumPy's abs now has equal one-sided slopes at 0?"


@pytest.mark.op("sqrt")
@pytest.mark.divergence("grad-sqrt-at-zero")
@pytest.mark.dtypes(*FLOATS)
def test_sqrt_gradient_at_zero(device, dtype):
    """sqrt'(0) = +inf in torch (1 / (2 sqrt(x)) extended by continuity), times the cotangent: -inf for a negative
    one, NaN for a zero one (0 * inf); at -0.0 it is -inf (sqrt(-0.0) is -0.0, and 1 / (2 * -0.0) = -inf). NumPy:
    the right slope grows without bound, the left is undefined (NaN)."""
    x = torch.tensor([0.0, 0.0, 0.0, -0.0], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    v = torch.tensor([1.0, -2.0, 0.0, 1.0], dtype=dtypes.TORCH[dtype], device=device)
    (g,) = torch.autograd.grad(torch.sqrt(x), x, v)
    got = dtypes.to_numpy(g)
    assert got[0] == np.inf and got[1] == -np.inf and np.isnan(got[2]) and got[3] == -np.inf, \
        f"torch's sqrt gradient at 0 with cotangents {v.tolist()}: {got}"
    left, right = _one_sided(np.sqrt, np.zeros(1), 0, h=2.0 ** -40)
    assert np.isnan(left) and right == 2.0 ** 20, (left, right)  # h ** -1/2: no bound as h shrinks


@pytest.mark.op("amax")
@pytest.mark.divergence("grad-amax-ties")
@pytest.mark.dtypes(*FLOATS)
def test_amax_ties_split_evenly(device, dtype):
    """amax, amin and max()/min() without dim divide the cotangent evenly among tied extrema; NumPy's amax has no
    derivative at a tie (its directional derivative, the largest slope among the tied elements, is not linear)."""
    data = [[3.0, 1.0, 3.0, 3.0], [2.0, 2.0, -1.0, 0.0]]
    x = torch.tensor(data, dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    (g,) = torch.autograd.grad(torch.amax(x, 1), x, torch.tensor([3.0, 1.0], dtype=x.dtype, device=device))
    assert dtypes.to_numpy(g).tolist() == [[1.0, 0.0, 1.0, 1.0], [0.5, 0.5, 0.0, 0.0]], f"amax: {g}"
    (g,) = torch.autograd.grad(torch.amin(-x, 1).sum(), x)
    assert np.allclose(dtypes.to_numpy(g), [[-1 / 3, 0, -1 / 3, -1 / 3], [-0.5, -0.5, 0, 0]]), f"amin: {g}"
    (g,) = torch.autograd.grad(torch.max(x), x)
    assert np.allclose(dtypes.to_numpy(g), [[1 / 3, 0, 1 / 3, 1 / 3], [0, 0, 0, 0]]), f"max(): {g}"
    # NumPy: at a tie the one-sided derivative along e0 + e2 is not the sum of those along e0 and e2
    xn = np.array(data)

    def f(y):
        return np.amax(y, axis=1)
    e0, e2 = np.zeros_like(xn), np.zeros_like(xn)
    e0[0, 0], e2[0, 2] = 1.0, 1.0
    h = 2.0 ** -20
    d0, d2, d02 = ((f(xn + h * e)[0] - f(xn)[0]) / h for e in (e0, e2, e0 + e2))
    assert d02 != d0 + d2, "NumPy's amax is now linear at a tie?"


@pytest.mark.op("max_dim")
@pytest.mark.divergence("grad-max-dim-ties")
@pytest.mark.dtypes(*FLOATS)
def test_max_dim_ties_route_to_index(device, dtype):
    """max(dim) / min(dim) at ties: the returned index is the first extremum (as documented) and the whole
    cotangent goes to it."""
    x = torch.tensor([[3.0, 1.0, 3.0, 3.0], [2.0, 2.0, -1.0, 0.0]], dtype=dtypes.TORCH[dtype], device=device,
                     requires_grad=True)
    values, index = torch.max(x, 1)
    assert index.tolist() == [0, 0], f"max(dim) indices at ties: {index.tolist()}"
    (g,) = torch.autograd.grad(values, x, torch.tensor([3.0, 1.0], dtype=x.dtype, device=device))
    assert dtypes.to_numpy(g).tolist() == [[3.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]], f"max(dim): {g}"
    values, index = torch.min(-x, 1)
    (g,) = torch.autograd.grad(values.sum(), x)
    assert index.tolist() == [0, 0] and dtypes.to_numpy(g).tolist() == [[-1.0, 0, 0, 0], [-1.0, 0, 0, 0]], \
        f"min(dim): {index.tolist()}, {g}"


# ---- known gradient divergences, pinned ------------------------------------------------------------------

def _fd(f, x, t, h=2.0 ** -17):
    """The central difference of ``f`` (NumPy, float64) at ``x`` along ``t``."""
    return (np.asarray(f(x + h * t), dtype=np.float64) - np.asarray(f(x - h * t), dtype=np.float64)) / (2 * h)


@pytest.mark.parametrize("name", [pytest.param(o, marks=[pytest.mark.op(o), pytest.mark.divergence(f"grad-{o}-empty-dim")])
                                  for o in ("var", "std")])
@pytest.mark.dtypes(*FLOATS)
def test_var_std_empty_dim_gradient(name, device, dtype):
    """var/std with dim=() reduce over every element, but their gradient is that of a one-element reduction:
    infinite with correction=1, N times too large with correction=0 (a torch bug; see the catalogue)."""
    xn = np.array([1.0, 2.0, 4.0, -0.5])
    op = name
    fn = getattr(torch, op)
    ref = {"var": np.var, "std": np.std}[op]
    for correction in (1, 0):
        x = dtypes.to_torch(xn.astype(dtypes.NUMPY[dtype]), device).requires_grad_(True)
        (g_all,) = torch.autograd.grad(fn(x, correction=correction), x)
        (g_empty,) = torch.autograd.grad(fn(x, dim=(), correction=correction), x)
        numpy_grad = np.array([_fd(lambda y: ref(y, ddof=correction), xn, e) for e in np.eye(4)])
        assert np.allclose(dtypes.to_numpy(g_all), numpy_grad, rtol=1e-4), "the full reduction's gradient itself"
        got = dtypes.to_numpy(g_empty)
        if correction == 1:
            assert np.isinf(got).all(), f"{op}(x, dim=()) gradient is now {got}: update grad-{op}-empty-dim"
        else:
            want = numpy_grad * len(xn)
            assert np.allclose(got, want, rtol=1e-4), \
                f"{op}(x, dim=(), correction=0) gradient is now {got} (NumPy {numpy_grad}): update grad-{op}-empty-dim"


@pytest.mark.parametrize("name", [pytest.param(o, marks=[pytest.mark.op(o), pytest.mark.divergence(f"grad-{o}-src-not-index-shaped")])
                                  for o in ("scatter", "scatter_add", "scatter_reduce")])
@pytest.mark.dtypes(*FLOATS)
def test_scatter_src_larger_than_index(name, device, dtype):
    """scatter / scatter_add / scatter_reduce accept a src larger than index, but their backward raises; the
    derivative exists (zero for the src elements outside index's shape)."""
    x = torch.zeros(3, dtype=dtypes.TORCH[dtype], device=device)
    index = torch.tensor([2, 0], device=device)
    src = torch.tensor([1.0, 2.0, 3.0], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    call = {"scatter": lambda: torch.scatter(x, 0, index, src),
            "scatter_add": lambda: torch.scatter_add(x, 0, index, src),
            "scatter_reduce": lambda: torch.scatter_reduce(x, 0, index, src, "sum")}[name]
    out = call()
    with pytest.raises(RuntimeError):
        torch.autograd.grad(out, src, torch.ones_like(out))
    # NumPy: out = x with out[index] = src[:2]; its derivative along src is [e2 <- src0, e0 <- src1, none]
    def f(s):
        y = np.zeros(3)
        y[[2, 0]] = s[:2]
        return y
    jac = np.array([_fd(f, np.array([1.0, 2.0, 3.0]), e) for e in np.eye(3)])
    assert np.allclose(jac, [[0, 0, 1], [1, 0, 0], [0, 0, 0]])


@pytest.mark.op("scatter_reduce")
@pytest.mark.divergence("grad-scatter_reduce-silent-src-not-index-shaped")
@pytest.mark.dtypes(*FLOATS)
def test_scatter_reduce_src_larger_than_index_silent(device, dtype):
    """scatter_reduce(..., 'prod' | 'amax' | 'amin') with src wider than index along a dim where index has size 1:
    backward succeeds and gives unused src elements a gradient (prod: the product divided by the element; amax:
    an element equal to the maximum shares it); their derivative is zero."""
    x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.25, -2.0]], dtype=dtypes.TORCH[dtype], device=device)
    index = torch.tensor([[2], [0]], device=device)
    grads = {}
    for reduce, values in (("prod", [[1.0, 5.0], [2.0, 7.0]]), ("amax", [[4.0, 4.0], [5.0, 1.0]])):
        src = torch.tensor(values, dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
        out = torch.scatter_reduce(x, 1, index, src, reduce, include_self=False)
        (grads[reduce],) = torch.autograd.grad(out, src, torch.ones_like(out))
    prod, amax = dtypes.to_numpy(grads["prod"]), dtypes.to_numpy(grads["amax"])
    assert prod[0, 1] != 0 and prod[1, 1] != 0, f"scatter_reduce prod's gradient of unused src elements: {prod}"
    assert amax[0, 1] != 0, f"scatter_reduce amax's gradient of an unused src element equal to the max: {amax}"

    def f(s):  # the reference: each row's written position gets its single src element (include_self=False)
        y = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -2.0]])
        y[0, 2], y[1, 0] = s[0, 0], s[1, 0]
        return y
    unused = [_fd(lambda s: f(s).sum(), np.array([[1.0, 5.0], [2.0, 7.0]]), e)
              for e in (np.array([[0, 1.0], [0, 0]]), np.array([[0, 0], [0, 1.0]]))]
    assert unused == [0.0, 0.0]


@pytest.mark.op("pow")
@pytest.mark.divergence("grad-pow-low-precision-exponent")
@pytest.mark.dtypes(*FLOATS)
def test_pow_low_precision_exponent_gradient(device, dtype):
    """pow(x, e) with a tensor e of less precision than x: the gradient of x uses e - 1 rounded to e's dtype."""
    x = torch.tensor([174.0, 3.5], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    cases = [(torch.bfloat16, -1.0078125), (torch.float16, -1.0009765625)]
    if dtype == "float64":
        cases.append((torch.float32, -1.0 - 2.0 ** -23))  # e - 1 = -2 - 2**-23 rounds to -2 in float32
    for e_dtype, e_value in cases:
        e = torch.tensor(e_value, dtype=e_dtype, device=device)
        (g,) = torch.autograd.grad(torch.pow(x, e), x, torch.ones_like(x))
        xn = np.array([174.0, 3.5])
        numpy_grad = _fd(lambda y: np.power(y, e_value), xn, np.ones(2))  # derivative (diagonal)
        assert np.allclose(numpy_grad, e_value * xn ** (e_value - 1), rtol=1e-8)
        rel = np.abs(dtypes.to_numpy(g) - numpy_grad) / np.abs(numpy_grad)
        # the error x ** (rounding of e - 1): ln(174) times the rounding, far above the dtype's own rounding
        assert rel[0] > 100 * float(np.finfo(dtypes.NUMPY[dtype]).eps), \
            f"pow's gradient with a {e_dtype} exponent is now accurate ({rel}): update the catalogue"
        (g_wide,) = torch.autograd.grad(torch.pow(x, e.to(x.dtype)), x, torch.ones_like(x))
        assert np.allclose(dtypes.to_numpy(g_wide), numpy_grad, rtol=1e-5)


@pytest.mark.op("pow")
@pytest.mark.divergence("grad-pow-bool-exponent")
@pytest.mark.divergence("pow-gradient-bool-exponent")
@pytest.mark.dtypes(*FLOATS)
def test_pow_bool_exponent_backward_raises(device, dtype):
    """pow(x, bool tensor) works forward, raises in backward; NumPy: x ** True == x, derivative 1."""
    x = torch.tensor([1.5, -2.0], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    out = torch.pow(x, torch.tensor([True, False], device=device))
    assert dtypes.to_numpy(out).tolist() == [1.5, 1.0]
    with pytest.raises(RuntimeError, match="bool"):
        torch.autograd.grad(out, x, torch.ones_like(out))
    (g,) = torch.autograd.grad(torch.pow(x, True), x, torch.ones_like(x))  # a Python bool works
    assert dtypes.to_numpy(g).tolist() == [1.0, 1.0]
    assert np.allclose(_fd(lambda y: np.power(y, np.array([True, False])), np.array([1.5, -2.0]), np.ones(2)), [1, 0])


@pytest.mark.op("index_add")
@pytest.mark.divergence("grad-index_add-complex-alpha")
def test_index_add_complex_alpha_gradient(device):
    """index_add(x, dim, index, source, alpha=a) with a complex a: the source gradient is a * v, where torch's
    convention (followed by add) and the finite difference of the reference give conj(a) * v."""
    alpha = 1.5 - 0.5j
    src = torch.tensor([2 - 1j, 0.5j], dtype=torch.complex128, device=device, requires_grad=True)
    v = torch.tensor([1 + 2j, -1j, 3.0], dtype=torch.complex128, device=device)
    out = torch.index_add(torch.zeros(3, dtype=torch.complex128, device=device), 0,
                          torch.tensor([2, 0], device=device), src, alpha=alpha)
    (g,) = torch.autograd.grad(out, src, v)
    vn = np.array([1 + 2j, -1j, 3.0])
    assert np.allclose(dtypes.to_numpy(g), alpha * vn[[2, 0]]), f"index_add's source gradient is now {g}"
    (g_add,) = torch.autograd.grad(torch.add(torch.zeros(2, dtype=torch.complex128, device=device), src, alpha=alpha),
                                   src, v[[2, 0]])
    assert np.allclose(dtypes.to_numpy(g_add), np.conj(alpha) * vn[[2, 0]])

    def loss(s):  # Re <v, f(s)>, f = index_add of the reference
        y = np.zeros(3, dtype=complex)
        np.add.at(y, [2, 0], alpha * s)
        return np.real(np.vdot(vn, y))
    s0 = np.array([2 - 1j, 0.5j])
    t = np.array([1j, 0.0])  # a direction that moves the imaginary part of source[0]
    numpy_ip = _fd(loss, s0, t)  # d/ds Re <v, f(s0 + s t)>: must equal Re <g, t> in torch's convention
    torch_ip = float(np.real(np.vdot(dtypes.to_numpy(g), t)))
    assert np.isclose(numpy_ip, float(np.real(np.vdot(np.conj(alpha) * vn[[2, 0]], t)))), numpy_ip
    assert not np.isclose(torch_ip, numpy_ip), (torch_ip, numpy_ip)


@pytest.mark.op("scatter_reduce")
@pytest.mark.divergence("grad-scatter_reduce-complex")
def test_scatter_reduce_complex_autograd_not_implemented(device):
    """scatter_reduce on complex inputs that require grad raises in forward; the reference (reduce='sum') is
    linear, so its derivative exists."""
    x = torch.zeros(3, dtype=torch.complex128, device=device)
    index = torch.tensor([2, 0, 2], device=device)
    src = torch.tensor([1 + 1j, 2 - 1j, 3j], dtype=torch.complex128, device=device)
    assert torch.scatter_reduce(x, 0, index, src, "sum").tolist() == [2 - 1j, 0, 1 + 4j]
    with pytest.raises(RuntimeError, match="complex"):
        torch.scatter_reduce(x, 0, index, src.clone().requires_grad_(True), "sum")

    def f(s):
        y = np.zeros(3, dtype=complex)
        np.add.at(y, [2, 0, 2], s)
        return y
    assert np.allclose(_fd(f, np.array([1 + 1j, 2 - 1j, 3j]), np.array([1.0, 0, 0])), [0, 0, 1])


@pytest.mark.op("scatter")
@pytest.mark.divergence("grad-scatter-duplicate-indices")
@pytest.mark.dtypes(*FLOATS)
def test_scatter_duplicate_indices_gradient(device, dtype):
    """scatter with a repeated index: every duplicate src element receives the cotangent of the position, though
    only one was written; NumPy's reference (the last write wins) gives the others zero derivative."""
    x = torch.zeros(3, dtype=dtypes.TORCH[dtype], device=device)
    index = torch.tensor([1, 1, 0], device=device)
    src = torch.tensor([5.0, 7.0, 9.0], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    out = torch.scatter(x, 0, index, src)
    (g,) = torch.autograd.grad(out, src, torch.tensor([1.0, 2.0, 3.0], dtype=src.dtype, device=device))
    assert dtypes.to_numpy(g).tolist() == [2.0, 2.0, 1.0], f"scatter's src gradient with duplicates: {g}"
    written = int(np.flatnonzero(dtypes.to_numpy(src.detach()) == dtypes.to_numpy(out.detach())[1])[0])

    def f(s):
        y = np.zeros(3)
        y[[1, 1, 0]] = s  # NumPy writes in order: the last duplicate wins
        return y
    jac = np.array([_fd(f, np.array([5.0, 7.0, 9.0]), e) @ np.array([1.0, 2.0, 3.0]) for e in np.eye(3)])
    assert jac.tolist() == [0.0, 2.0, 1.0], jac
    assert written in (0, 1)


# ---- the catalogue's divergences are pinned here -----------------------------------------------------------

def test_every_gradient_divergence_is_pinned():
    """Every gradient record (catalogue/gradients.py, and those on op entries) is pinned by a bespoke test of the
    suite marked with its id, so none goes stale."""
    import importlib
    import inspect
    import pkgutil

    import conformance.suite as suite

    pinned = set()
    for info in pkgutil.iter_modules(suite.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"conformance.suite.{info.name}")
        for _, fn in inspect.getmembers(module, inspect.isfunction):
            for mark in getattr(fn, "pytestmark", []):
                if mark.name == "divergence":
                    pinned.add(mark.args[0])
                if mark.name == "parametrize":
                    for p in mark.args[1]:
                        for m in getattr(p, "marks", ()):
                            if m.name == "divergence":
                                pinned.add(m.args[0])
    records = list(known.DIVERGENCES) + [d for e in catalogue.entries() for d in e.divergences if d.about == "gradient"]
    missing = [d.id for d in records if d.id not in pinned and d.example is None]
    assert not missing, f"gradient divergences without a pinning test: {missing}"
    assert all(catalogue.divergence(d.id) is d for d in known.DIVERGENCES)


@pytest.mark.op("mul")
@pytest.mark.divergence("mul-gradient-float8-result")
@pytest.mark.dtypes("float32")
def test_mul_gradient_of_a_float8_result_raises(device, dtype):
    """A zero-dim float8 tensor times a float8 vector (the forward computes, in float8): backward raises
    NotImplementedError (the gradient multiplies a float8 tensor by a one-element one, a form without a kernel);
    two float8 vectors of the same shape, just outside the record, differentiate."""
    for shape, must_raise in (((), True), ((3,), False)):
        a = torch.ones(shape, dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
        b = torch.full((3,), 2.0, dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
        out = torch.mul(a.to(torch.float8_e4m3fn), b.to(torch.float8_e4m3fn))
        try:
            torch.autograd.grad(out.float().sum(), [a, b])
        except NotImplementedError:
            assert must_raise, f"backward of a float8 product of shapes {shape} and (3,) raised"
            continue
        assert not must_raise, "backward of a float8 product with a zero-dim operand no longer raises"


@pytest.mark.op("silu")
@pytest.mark.divergence("silu-complex-no-gradient")
@pytest.mark.dtypes("complex64")
def test_silu_complex_has_no_gradient(device, dtype):
    """silu computes on a complex tensor, but backward through it raises RuntimeError (no complex derivative in
    torch's derivatives.yaml); a real input, just outside the record, differentiates."""
    z = torch.tensor([0.5 + 0.25j, -1.0 + 0.0j], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    assert torch.nn.functional.silu(z.detach()).isfinite().all()
    with pytest.raises(RuntimeError):
        torch.nn.functional.silu(z)
    x = torch.tensor([0.5, -1.0], device=device, requires_grad=True)
    (g,) = torch.autograd.grad(torch.nn.functional.silu(x).sum(), x)
    assert torch.isfinite(g).all()


@pytest.mark.parametrize("name", [pytest.param(o, marks=[pytest.mark.op(o),
                                                         pytest.mark.divergence(f"grad-{o}-square-overflows")])
                                  for o in ("asinh", "acosh")])
@pytest.mark.dtypes("float16", "bfloat16", "float32")
def test_inverse_hyperbolic_gradient_where_the_square_overflows(name, device, dtype):
    """asinh / acosh: the gradient is 0 where x**2 overflows the dtype (the backward formula squares x), although
    the derivative 1 / sqrt(x**2 +- 1) is about 1 / |x|; just below, where the square is finite, it is right."""
    big = float(dtypes.finfo(dtype).max)
    below = float(np.asarray(np.sqrt(big) * (1 - 2.0 ** -7)).astype(dtypes.NUMPY[dtype]).astype(np.float64))
    above = float(np.asarray(np.sqrt(big) * (1 + 2.0 ** -6)).astype(dtypes.NUMPY[dtype]).astype(np.float64))
    xn = np.array([below, above])
    sample_div = [d for d in known.DIVERGENCES if d.id == f"grad-{name}-square-overflows"][0]
    mask = sample_div.applies(_Arrays([xn.astype(dtypes.NUMPY[dtype])]), dtype)
    assert mask.tolist() == [False, True], f"the record's condition on {xn}: {mask}"
    x = dtypes.to_torch(xn.astype(dtypes.NUMPY[dtype]), device).requires_grad_(True)
    (g,) = torch.autograd.grad(getattr(torch, name)(x), x, torch.ones_like(x))
    got = dtypes.to_numpy(g).astype(np.float64)
    ref = {"asinh": np.arcsinh, "acosh": np.arccosh}[name]
    numpy_grad = _fd(ref, xn, np.ones(2) * xn) / xn  # relative step: the derivative along x, divided by x
    exact = 1 / np.sqrt(xn ** 2 + (1.0 if name == "asinh" else -1.0))  # about 1 / |x|, far from 0
    assert np.allclose(numpy_grad, exact, rtol=1e-6), (numpy_grad, exact)
    assert got[1] == 0.0, f"torch.{name}'s gradient at {above} ({dtype}) is now {got[1]}: update the catalogue"
    assert abs(got[0] - numpy_grad[0]) <= 4 * float(dtypes.finfo(dtype).eps) * numpy_grad[0], \
        f"torch.{name}'s gradient just below the overflow, at {below}: {got[0]}, NumPy {numpy_grad[0]}"


@pytest.mark.op("sigmoid")
@pytest.mark.divergence("grad-sigmoid-complex-exp-overflows")
@pytest.mark.dtypes("complex64", "complex128")
def test_sigmoid_complex_gradient_where_exp_overflows(device, dtype):
    """Complex sigmoid: NaN gradient where both parts of exp(-z) overflow (the forward is NaN there and the
    backward starts from it); just outside the record's condition (exp(-z) finite) torch's gradient is finite and
    agrees with the derivative s (1 - s) of NumPy's sigmoid."""
    edge = float(np.log(dtypes.finfo(dtype).max))
    zn = np.array([complex(-edge - 4.0, 7.64), complex(-edge - 0.06, 1.0)])
    record = [d for d in known.DIVERGENCES if d.id == "grad-sigmoid-complex-exp-overflows"][0]
    mask = record.applies(_Arrays([zn.astype(dtypes.NUMPY[dtype])]), dtype)
    assert mask.tolist() == [True, False], f"the record's condition on {zn}: {mask}"
    z = dtypes.to_torch(zn.astype(dtypes.NUMPY[dtype]), device).requires_grad_(True)
    (g,) = torch.autograd.grad(torch.sigmoid(z), z, torch.ones_like(z))
    got = dtypes.to_numpy(g).astype(np.complex128)
    assert np.isnan(got[0]), f"complex sigmoid's gradient at {zn[0]} is now {got[0]}: update the catalogue"
    with np.errstate(all="ignore"):
        s = 1 / (1 + np.exp(-zn.astype(np.complex128)))
    want = np.conj(s * (1 - s))  # torch's convention: conj(f'(z)) times the cotangent 1
    assert np.isfinite(got[1]) and abs(got[1] - want[1]) <= float(dtypes.finfo(dtype).tiny) + \
        8 * float(dtypes.finfo(dtype).eps) * abs(want[1]), (got[1], want[1])


@pytest.mark.op("pow")
@pytest.mark.dtypes("complex64")
def test_pow_complex_gradient_conditioning(device, dtype):
    """Complex pow's gradient is computed from exp(w), w = y log x, in the working precision: its error grows
    with |w| (about 200 u at |w| = 190), which the gradient check's bound takes from catalogue/gradients.py
    CONDITIONING. That bound covers torch there, and is needed (the error is above a few roundings)."""
    from conformance.catalogue.gradients import CONDITIONING

    xn = np.array([-0.5356694 - 0.12853466j], dtype=np.complex64)
    yn = np.array([-65.38286 - 0.4454133j], dtype=np.complex64)
    x, y = (dtypes.to_torch(a, device).requires_grad_(True) for a in (xn, yn))
    gx, gy = (dtypes.to_numpy(a).astype(np.complex128) for a in
              torch.autograd.grad(torch.pow(x, y), (x, y), torch.ones(1, dtype=torch.complex64, device=device)))
    xw, yw = xn.astype(np.clongdouble), yn.astype(np.clongdouble)
    want_x = np.conj(yw * np.power(xw, yw - 1)).astype(np.complex128)
    want_y = np.conj(np.power(xw, yw) * np.log(xw)).astype(np.complex128)
    rho = CONDITIONING["pow"](_Arrays([xn, yn], args=(xn, yn)), dtype)
    err_x, err_y = abs(gx[0] - want_x[0]) / abs(want_x[0]), abs(gy[0] - want_y[0]) / abs(want_y[0])
    u = T.unit(dtype)
    assert err_x <= rho[0][0] and err_y <= rho[1][0], (err_x, err_y, rho)
    assert max(err_x, err_y) > T.BACKWARD_DEPTH * u, "complex pow's gradient is now accurate to a few roundings"


@dataclasses.dataclass
class _Arrays:
    """The parts of a sample a record's condition reads: its arrays, and its positional arguments."""
    arrays: list
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        self.args = self.args or tuple(self.arrays)


@pytest.mark.op("vector_norm")
@pytest.mark.divergence("vector_norm-inf-dtype-gradient-nan")
@pytest.mark.dtypes("complex64")
def test_vector_norm_inf_gradient_with_a_wider_dtype_is_nan(device, dtype):
    """ord=inf with dtype=complex128 on a complex64 0-d input: backward looks for the elements where |x| equals the
    norm, |x| in complex64 and the norm in complex128; none matches and the gradient is NaN. Without dtype=, or
    flattened (1-D, dim=None), it is x/|x|."""
    def grad(x, **kwargs):
        x = x.clone().requires_grad_(True)
        torch.linalg.vector_norm(x, ord=float("inf"), **kwargs).backward()
        return x.grad

    x = torch.tensor(0.1 + 0.2j, dtype=dtypes.TORCH[dtype], device=device)
    assert torch.isnan(grad(x, dtype=torch.complex128)).all(), "the recorded NaN gradient is gone"
    want = (x / x.abs()).cpu()
    assert torch.allclose(grad(x).cpu(), want, rtol=1e-6)
    flat = grad(torch.full((3,), 0.1 + 0.2j, dtype=dtypes.TORCH[dtype], device=device), dtype=torch.complex128)
    assert torch.isfinite(flat).all(), f"the flattened path is recorded as right: {flat}"


@pytest.mark.op("vector_norm")
@pytest.mark.divergence("vector_norm-half-gradient-overflow")
@pytest.mark.dtypes("float16")
def test_vector_norm_half_gradient_overflows_for_p_below_one(device, dtype):
    """ord=-1 on float16: backward computes |x|^(p-1) * grad in float16, which overflows to inf at x = 0.0045 (the
    exact gradient, 4 |x|^-2 ||x||^2, is about 3.9); in float32, just outside the record, it is finite."""
    data = [0.0045, 1.0, 2.0]
    x = torch.tensor(data, dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
    torch.linalg.vector_norm(x, ord=-1).backward(torch.tensor(4.0, dtype=x.dtype, device=device))
    assert torch.isinf(x.grad[0]) and torch.isfinite(x.grad[1:]).all(), f"float16 gradient: {x.grad}"
    y = torch.tensor(data, dtype=torch.float32, device=device, requires_grad=True)
    torch.linalg.vector_norm(y, ord=-1).backward(torch.tensor(4.0, device=device))
    a = np.abs(np.array(data, dtype=np.float64))
    exact = 4 * a ** -2 * np.sum(a ** -1) ** -2
    assert np.allclose(y.grad.cpu().numpy(), exact, rtol=1e-4), (y.grad, exact)


@pytest.mark.op("nanquantile")
@pytest.mark.dtypes("float32")
def test_quantile_gradient_weight_conditioning(device, dtype):
    """nanquantile's linear interpolation weight g = frac(q (n - 1)) is computed in the input's dtype: for q = 0.9
    over 1032 elements (position 927.9) torch's gradient weights are 0.89996 / 0.10004, off by 3.7e-5 absolutely,
    far above a few roundings; the bound of catalogue/gradients.py CONDITIONING covers each of the two elements,
    and is needed."""
    from conformance.catalogue.gradients import CONDITIONING

    xn = np.random.default_rng(0).standard_normal(1032).astype(np.float32)
    x = dtypes.to_torch(xn, device).requires_grad_(True)
    (g,) = torch.autograd.grad(torch.nanquantile(x, 0.9), x)
    got = dtypes.to_numpy(g).astype(np.float64)
    order = np.argsort(xn, kind="stable")
    lo, hi = order[927], order[928]
    want = np.zeros(xn.shape)
    want[lo], want[hi] = 1 - (0.9 * 1031 - 927), 0.9 * 1031 - 927
    rho = CONDITIONING["nanquantile"](_Arrays([xn], args=(xn, 0.9)), dtype)[0]
    err = np.abs(got - want)
    assert np.all(err[[lo, hi]] <= rho[[lo, hi]] * np.abs(got[[lo, hi]])), (err[[lo, hi]], rho[[lo, hi]])
    assert np.all(got[np.setdiff1d(np.arange(xn.size), [lo, hi])] == 0)
    assert float(np.max(err[[lo, hi]] / want[[lo, hi]])) > T.gradient_rtol(dtype, 1), \
        "nanquantile's gradient weights are now accurate to a few roundings"


def _norm_grad(fn, data, dtype, device, cotangent=None, **kwargs):
    x = torch.tensor(data, dtype=dtype, device=device, requires_grad=True)
    out = fn(x, **kwargs)
    out.backward(torch.ones_like(out) if cotangent is None else torch.tensor(cotangent, dtype=dtype,
                                                                            device=device))
    return x.grad.cpu().double().numpy()


def _exact_norm_grad(data, p):
    a = np.abs(np.array(data, dtype=np.float64))
    return np.sign(data) * a ** (p - 1) / np.sum(a ** p) ** ((p - 1) / p)


@pytest.mark.op("vector_norm")
@pytest.mark.divergence("vector_norm-gradient-powers-in-input-dtype")
@pytest.mark.dtypes("float16")
def test_vector_norm_gradient_forms_its_powers_in_float16(device, dtype):
    """ord=4 on float16 [30, 40]: backward divides by norm**3 = 43.7**3, which overflows float16, and the gradient
    is 0 where the exact one is [0.3433, 0.8137]; float32, just outside the record's range, gives it."""
    data = [30.0, 40.0]
    got = _norm_grad(torch.linalg.vector_norm, data, dtypes.TORCH[dtype], device, ord=4)
    assert np.all(got == 0), f"the recorded zero gradient is gone: {got}"
    wide = _norm_grad(torch.linalg.vector_norm, data, torch.float32, device, ord=4)
    assert np.allclose(wide, _exact_norm_grad(data, 4), rtol=1e-5), wide


@pytest.mark.op("norm")
@pytest.mark.divergence("norm-gradient-powers-in-input-dtype")
@pytest.mark.dtypes("float16")
def test_norm_gradient_forms_its_powers_in_float16(device, dtype):
    """torch.norm with p=3 on float16 [300, 1, 2]: x * |x| = 90000 overflows float16 and so does norm**2: the
    gradient is [nan, 0, 0] where the exact one is [1, 1.1e-5, 4.4e-5]; float32 gives it."""
    data = [300.0, 1.0, 2.0]
    got = _norm_grad(torch.norm, data, dtypes.TORCH[dtype], device, p=3)
    assert np.isnan(got[0]) and np.all(got[1:] == 0), f"the recorded gradient is gone: {got}"
    wide = _norm_grad(torch.norm, data, torch.float32, device, p=3)
    assert np.allclose(wide, _exact_norm_grad(data, 3), rtol=1e-5), wide


@pytest.mark.op("normalize")
@pytest.mark.divergence("normalize-gradient-powers-in-input-dtype")
@pytest.mark.dtypes("float16")
def test_normalize_gradient_forms_its_powers_in_float16(device, dtype):
    """normalize with p=3 on float16 [100, 200] (cotangent [0.5, -1]): the norm's cotangent divided by
    norm**2 = 43267 is about 8e-8, subnormal in float16, and the gradient is off by 6% (0.0029984 for 0.0032050);
    float32 is accurate."""
    data, v = [100.0, 200.0], [0.5, -1.0]

    def grad(dt):
        return _norm_grad(torch.nn.functional.normalize, data, dt, device, cotangent=v, p=3.0, dim=0)

    x, w = np.array(data), np.array(v)
    r = np.sum(np.abs(x) ** 3) ** (1 / 3)
    exact = w / r - np.dot(w, x) / r ** 2 * _exact_norm_grad(data, 3)  # v / r - (v . x) / r^2 dr/dx
    got = grad(dtypes.TORCH[dtype])
    assert abs(got[0] / exact[0] - 1) > 0.03, f"float16's gradient is now accurate: {got} for {exact}"
    assert np.allclose(grad(torch.float32), exact, rtol=1e-4)


@pytest.mark.op("atan2")
@pytest.mark.divergence("atan2-gradient-denominator-in-result-dtype")
@pytest.mark.dtypes("float16")
def test_atan2_gradient_forms_its_denominator_in_float16(device, dtype):
    """float16 (181, 181): 181 * 181 * 2 overflows float16, the reciprocal is 0 and so are both gradients, where
    the derivative is +-1/362; (180, 180), just outside the record's condition (64800 is finite), is accurate."""
    from conformance.catalogue import by_name

    record = next(d for d in by_name("atan2").divergences if d.id == "atan2-gradient-denominator-in-result-dtype")

    def grads(v):
        a, b = (torch.tensor([v], dtype=dtypes.TORCH[dtype], device=device, requires_grad=True) for _ in range(2))
        torch.atan2(a, b).backward(torch.ones(1, dtype=a.dtype, device=device))
        return float(a.grad), float(b.grad)

    def met(v):
        x = np.array([v], dtype=dtypes.NUMPY[dtype])
        return record.applies(_Arrays([x, x.copy()], args=(x, x.copy())), dtype)

    assert grads(181.0) == (0.0, 0.0) and met(181.0), f"the recorded zero gradient is gone: {grads(181.0)}"
    near = grads(180.0)
    assert abs(near[0] - 1 / 360) < 1e-5 and abs(near[1] + 1 / 360) < 1e-5 and met(180.0) is False, near


@pytest.mark.op("sinc")
@pytest.mark.divergence("sinc-gradient-numerator-overflows")
@pytest.mark.dtypes("complex128")
def test_sinc_gradient_overflows_its_numerator(device, dtype):
    """complex128 -225j: pi x cos(pi x) overflows and the gradient is NaN, where the derivative is about 1e304;
    at -224j, just outside the record's condition, it is finite and within 1e-12 of cos(pi x)/x - sinc(x)/x."""
    from conformance.catalogue import by_name

    record = next(d for d in by_name("sinc").divergences if d.id == "sinc-gradient-numerator-overflows")

    def grad(z):
        t = torch.tensor([z], dtype=torch.complex128, device=device, requires_grad=True)
        (g,) = torch.autograd.grad(torch.sinc(t), t, torch.ones(1, dtype=torch.complex128, device=device))
        return complex(g.cpu()[0])

    def met(z):
        x = np.array([z], dtype=np.complex128)
        return bool(np.any(record.applies(_Arrays([x]), dtype)))

    got = grad(-225j)
    assert cmath.isnan(got.real) and met(-225j), f"the recorded NaN gradient is gone: {got}"
    z = -224j
    exact = (np.cos(np.pi * z) / z - np.sinc(z) / z).conjugate()
    near = grad(z)
    assert abs(near - exact) <= 1e-12 * abs(exact) and not met(z), (near, exact)
