"""NumPy forward and backward passes of small feed-forward networks: chains of Linear layers and activations.

A network is a *plan* and a list of *params*:

* ``plan`` — a sequence of steps, each ``("linear", i)`` (apply the ``i``-th Linear layer; the same ``i`` may
  come back later, a layer shared by two places of the chain) or ``("act", name)`` with ``name`` one of
  ``relu``, ``tanh``, ``sigmoid``, ``gelu`` (the exact, erf-based GELU);
* ``params`` — for each Linear layer ``i``, a pair ``(W, b)``: ``W`` of shape ``(out, in)``, ``b`` of shape
  ``(out,)`` or ``None`` (no bias). A Linear layer computes ``x @ W.T + b`` over the last dim of ``x``; the
  leading dims of ``x`` are batch dims (there may be none, or some of size 0).

:func:`network_forward` returns the output and what the backward pass needs; :func:`network_backward` takes an
upstream gradient ``g`` (the gradient of some scalar with respect to the output, i.e. the ``gradient=`` of
``backward``) and returns the gradient with respect to the input and, for each Linear layer, ``(dW, db)``
summed over every place the layer is used.

The derivative of ``relu`` at exactly 0 is taken as 0, the minimum-norm subgradient that the PyTorch autograd
notes document for functions that are not differentiable at a point.

:func:`network_error_bounds` gives, for a float32 (or any binary floating point) evaluation of the same network,
a bound on the absolute error of every output and gradient element, from the standard forward error analysis
of dot products (``|fl(x.y) - x.y| <= gamma_n |x|.|y|`` with ``gamma_n = n u / (1 - n u)``) propagated through
the layers, plus a few units of roundoff for each activation. Only ``numpy`` and ``math`` are used.
"""
from __future__ import annotations

import math

import numpy as np

ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu")

_erf = np.vectorize(math.erf, otypes=[np.float64])


def act_forward(name, h):
    """The activation ``name`` applied elementwise to the float64 array ``h``."""
    if name == "relu":
        return np.where(h > 0, h, 0.0)
    if name == "tanh":
        return np.tanh(h)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-h))
    if name == "gelu":
        return 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
    raise ValueError(f"unknown activation {name!r}")


def act_derivative(name, h):
    """The derivative of the activation ``name`` at ``h`` (relu: 0 at 0)."""
    if name == "relu":
        return (h > 0).astype(np.float64)
    if name == "tanh":
        return 1.0 - np.tanh(h) ** 2
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-h))
        return s * (1.0 - s)
    if name == "gelu":
        cdf = 0.5 * (1.0 + _erf(h / math.sqrt(2.0)))
        pdf = np.exp(-0.5 * h * h) / math.sqrt(2.0 * math.pi)
        return cdf + h * pdf
    raise ValueError(f"unknown activation {name!r}")


def linear_forward(x, W, b):
    y = x @ W.T
    return y + b if b is not None else y


def _rows(h):
    """The number of rows once the batch dims of ``h`` are flattened (``reshape(-1, n)`` fails for n = 0)."""
    return int(np.prod(h.shape[:-1], dtype=np.int64))


def network_forward(plan, params, x):
    """Returns ``(output, cache)``: ``cache`` holds the input of every step."""
    cache = []
    h = np.asarray(x, dtype=np.float64)
    for kind, what in plan:
        cache.append(h)
        if kind == "linear":
            W, b = params[what]
            h = linear_forward(h, W, b)
        else:
            h = act_forward(what, h)
    return h, cache


def network_backward(plan, params, cache, g):
    """Returns ``(grad_x, grads)`` with ``grads[i] = (dW, db)`` (``db`` None when layer ``i`` has no bias)."""
    grads = [[np.zeros_like(W), None if b is None else np.zeros_like(b)] for W, b in params]
    g = np.asarray(g, dtype=np.float64)
    for (kind, what), h in zip(reversed(plan), reversed(cache)):
        if kind == "linear":
            W, b = params[what]
            rows = _rows(h)
            g2 = g.reshape(rows, W.shape[0])
            h2 = h.reshape(rows, W.shape[1])
            grads[what][0] = grads[what][0] + g2.T @ h2
            if b is not None:
                grads[what][1] = grads[what][1] + g2.sum(axis=0)
            g = (g2 @ W).reshape(h.shape)
        elif what == "relu":
            g = np.where(h > 0, g, 0.0)
        else:
            g = g * act_derivative(what, h)
    return g, [tuple(p) for p in grads]


#: max |f'| and max |f''| of each activation (relu: f' jumps at 0, handled apart)
_LIPSCHITZ = {"relu": 1.0, "tanh": 1.0, "sigmoid": 0.25, "gelu": 1.13}
_SECOND = {"relu": 0.0, "tanh": 0.77, "sigmoid": 0.0963, "gelu": 0.8}
#: roundoff units allowed for one activation (and for one derivative) evaluated in the working precision
_ACT_UNITS = 4.0


def _gamma(n, u):
    return n * u / (1.0 - n * u)


def network_error_bounds(plan, params, x, g, u):
    """Bounds on the absolute error of a working-precision evaluation (unit roundoff ``u``) of the network on
    exactly representable ``params``, ``x`` and ``g``: returns ``(out_bound, grad_x_bound, grad_bounds)`` with
    the same structure as the results of :func:`network_forward` / :func:`network_backward`."""
    h = np.asarray(x, dtype=np.float64)
    e = np.zeros_like(h)
    values, errors = [], []
    for kind, what in plan:
        values.append(h)
        errors.append(e)
        if kind == "linear":
            W, b = params[what]
            aW = np.abs(W)
            n = W.shape[1] + (b is not None)
            mag = linear_forward(np.abs(h) + e, aW, None if b is None else np.abs(b))
            e = linear_forward(e, aW, None) + _gamma(n, u) * mag
            h = linear_forward(h, W, b)
        else:
            y = act_forward(what, h)
            if what == "relu":  # exact in any precision: 0 wherever the computed input cannot be positive
                e = np.where(h + e > 0, e, 0.0)
            else:
                e = _LIPSCHITZ[what] * e + _ACT_UNITS * u * (np.abs(y) + np.abs(h))
            h = y
    out_bound = e
    g = np.asarray(g, dtype=np.float64)
    eg = np.zeros_like(g)
    bounds = [[np.zeros_like(W), None if b is None else np.zeros_like(b)] for W, b in params]
    for (kind, what), h, e in zip(reversed(plan), reversed(values), reversed(errors)):
        if kind == "linear":
            W, b = params[what]
            aW = np.abs(W)
            rows = _rows(h)
            g2, eg2 = np.abs(g.reshape(rows, W.shape[0])), eg.reshape(rows, W.shape[0])
            h2, e2 = np.abs(h.reshape(rows, W.shape[1])), e.reshape(rows, W.shape[1])
            dW = eg2.T @ (h2 + e2) + g2.T @ e2 + _gamma(rows + 1, u) * ((g2 + eg2).T @ (h2 + e2))
            bounds[what][0] = bounds[what][0] + dW + u * np.abs(bounds[what][0] + dW)
            if b is not None:
                db = eg2.sum(axis=0) + _gamma(rows + 1, u) * (g2 + eg2).sum(axis=0)
                bounds[what][1] = bounds[what][1] + db + u * np.abs(bounds[what][1] + db)
            eg = (eg2 @ aW + _gamma(W.shape[0], u) * ((g2 + eg2) @ aW)).reshape(h.shape)
            g = (g.reshape(rows, W.shape[0]) @ W).reshape(h.shape)
        else:
            d = act_derivative(what, h)
            if what == "relu":  # a selection, exact, unless the computed input is on the other side of 0
                flip = (np.abs(h) <= e) & (e > 0)
                eg = np.where(flip, np.abs(g) + eg, np.where(h > 0, eg, 0.0))
            else:
                drift = (np.abs(g) + eg) * _SECOND[what] * e
                eg = eg * _LIPSCHITZ[what] + drift + _ACT_UNITS * u * (np.abs(g) + eg) * (np.abs(d) + 1.0)
            g = g * d
    return out_bound, eg, [tuple(p) for p in bounds]
