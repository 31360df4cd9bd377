"""Strategies for ``torch.nn.functional``: softmax, log_softmax, one_hot, relu, gelu, silu, normalize, linear.

Drawn for the representative dtype of each kind and retargeted to every dtype of it. Shapes come from the size
classes of :mod:`conformance.strategies.shapes` (the ops reduce or vectorize along ``dim`` or the last dim,
which the pooled shapes make long); ``dim`` arguments include negative ones, tuples (normalize) and 0-d inputs
(dim 0 or -1). Argument forms: ``dim`` positional or keyword, softmax's ``dtype=`` (a dtype name; the catalogue's
callable passes the torch dtype), one_hot's ``num_classes`` positional, keyword or left out, normalize's ``p``,
``dim`` and ``eps`` as keywords, positional or left out (``p`` an int or a float), linear's bias positional,
keyword or left out.
"""
from __future__ import annotations

import math

from hypothesis import strategies as st

from conformance.strategies.cases import ArraySpec, Case
from conformance.strategies.shapes import seeds, shapes


def _dim(ndim):
    n = max(ndim, 1)
    return st.integers(-n, n - 1)


def along_dim(name: str, positional: bool = True, **kwargs):
    """One array (0-d to 4-d, size-0 dims included) and a ``dim`` (negative ones included), as a keyword or (when
    ``positional``) sometimes as the second positional argument, plus ``kwargs`` (strategies of keyword values)."""
    def build(shape, dim, as_arg, extra, seed):
        spec = ArraySpec(shape, name)
        if as_arg and positional:
            return Case((spec, dim), tuple(extra), seed)
        return Case((spec,), (("dim", dim),) + tuple(extra), seed)
    return shapes().flatmap(lambda shp: st.builds(
        build, st.just(shp), _dim(len(shp)), st.booleans(),
        st.tuples(*[st.tuples(st.just(k), v) for k, v in kwargs.items()]), seeds))


def elementwise(dtype: str, **kwargs):
    """One array of any pooled shape, plus ``kwargs`` (strategies of keyword values; a value of None leaves the
    keyword out)."""
    def build(shape, extra, seed):
        return Case((ArraySpec(shape, dtype),), tuple((k, v) for k, v in extra if v is not None), seed)
    return st.builds(build, shapes(), st.tuples(*[st.tuples(st.just(k), v) for k, v in kwargs.items()]), seeds)


def softmax_case(dtype: str):
    """softmax / log_softmax: ``dim`` positional or keyword; ``dtype=`` left out mostly, else float32 or float64
    (the input is cast to it first)."""
    return along_dim(dtype, dtype=st.sampled_from((None, None, None, "float32", "float64"))).map(_drop_none)


def _drop_none(case: Case) -> Case:
    return Case(case.args, tuple((k, v) for k, v in case.kwargs if v is not None), case.seed)


def normalize_case(dtype: str):
    """``normalize(x, p, dim, eps)``: p in 1, 2, 3, inf (2 also as the int 2); dim an int or a tuple of distinct
    dims; eps 1e-12 (the default) or 0.5 (so that it matters for more than zero vectors); the arguments as
    keywords, positional, or left out (the defaults p=2, dim=1, eps=1e-12)."""
    def dims_for(ndim):
        n = max(ndim, 1)
        single = st.integers(-n, n - 1)
        if ndim < 2:
            return single
        return st.one_of(single, single, st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                                  unique=True).map(lambda ds: tuple(d - ndim if d % 2 else d
                                                                                    for d in ds)))

    def build(shape, dim, p, eps, form, seed):
        spec = ArraySpec(shape, dtype)
        if form == "positional":
            return Case((spec, p, dim, eps), (), seed)
        if form == "defaults" and len(shape) >= 2:
            return Case((spec,), (), seed)
        return Case((spec,), (("p", p), ("dim", dim), ("eps", eps)), seed)
    return shapes().flatmap(lambda shp: st.builds(
        build, st.just(shp), dims_for(len(shp)), st.sampled_from((2.0, 1.0, 3.0, math.inf, 2)),
        st.sampled_from((1e-12, 0.5)), st.sampled_from(("keywords", "keywords", "positional", "defaults")), seeds))


def one_hot_case(dtype: str):
    """``one_hot(idx, num_classes)``: class values in [0, k) (sometimes one below 0 or one at k), num_classes -1,
    k, k + 2, or k - 1 (too small: raises), positional, as a keyword or left out (-1); shapes 0-d to 3-d (size-0
    dims included)."""
    def build(shape, k, low, high, classes, form, seed):
        spec = ArraySpec(shape, dtype, domain=("int", low, k + high))
        n = {"infer": -1, "exact": k, "more": k + 2, "fewer": max(k - 1, 0)}[classes]
        if form == "default" and n == -1:
            return Case((spec,), (), seed)
        if form == "keyword":
            return Case((spec,), (("num_classes", n),), seed)
        return Case((spec, n), (), seed)
    return st.builds(build, shapes(max_dims=3), st.integers(0, 5), st.sampled_from((0, 0, 0, -1)),
                     st.sampled_from((0, 0, 0, 1)), st.sampled_from(("infer", "exact", "more", "fewer")),
                     st.sampled_from(("positional", "keyword", "default")), seeds)


def linear_case(dtype: str):
    """``linear(x, weight, bias)``: x (*, in) with 0 to 2 batch dims, weight (out, in) or (in,), bias None, (out,)
    or 0-d, positional, as the keyword ``bias=`` or left out; ``in`` from the size classes (the contracted dim),
    kept short where the batch and ``out`` are not; sometimes x's last dim disagrees with weight's (raises)."""
    @st.composite
    def build(draw):
        batch = draw(st.lists(st.integers(0, 3), max_size=2))
        n_in = draw(st.sampled_from((3, 1, 0, 2, 5, 16, 17, 33, 100, 257, 1031)))
        n_out = draw(st.integers(0, 4))
        w_shape = (n_in,) if draw(st.integers(0, 4)) == 0 else (n_out, n_in)
        x_in = n_in if draw(st.integers(0, 7)) else n_in + 1
        args = [ArraySpec(tuple(batch) + (x_in,), dtype), ArraySpec(w_shape, dtype)]
        kwargs = ()
        bias = draw(st.sampled_from(("none", "vector", "vector", "scalar", "keyword")))
        if bias in ("vector", "keyword"):
            spec = ArraySpec(w_shape[:-1], dtype)
            if bias == "keyword":
                kwargs = (("bias", spec),)
            else:
                args.append(spec)
        elif bias == "scalar":
            args.append(ArraySpec((), dtype))
        return Case(tuple(args), kwargs, draw(seeds))
    return build()
