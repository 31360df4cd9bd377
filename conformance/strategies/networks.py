"""Hypothesis strategies for small networks: chains of ``Linear`` layers and activations held in a
``Sequential``, a ``ModuleList``, a ``ModuleDict`` or a ``Sequential`` of such containers (``nested``).

Hypothesis draws only the structure (a :class:`NetworkSpec`: widths 0..6, size-1 and size-0 included, bias or
not, activations, a Linear layer used again later in the chain, the ModuleDict keys, the batch dims) and a seed;
the parameter, input and upstream-gradient values come from the seed. :meth:`NetworkSpec.build` makes the torch
module, :meth:`NetworkSpec.numpy_params` the same parameters for :mod:`conformance.references.network`.
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import torch
from hypothesis import strategies as st

from conformance.strategies.shapes import seeds

CONTAINERS = ("sequential", "modulelist", "moduledict", "nested")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu")
MAX_WIDTH = 6
MAX_STEPS = 6
#: ModuleDict keys: drawn in an order of their own, so that insertion order differs from sorted order
KEYS = ("fc", "hidden", "out", "act", "proj", "a", "b", "z", "l1", "l2", "enc", "dec")


class ListChain(torch.nn.Module):
    """A chain held in a ``ModuleList``: applies its layers in list order."""

    def __init__(self, layers):
        super().__init__()
        self.layers = torch.nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class DictChain(torch.nn.Module):
    """A chain held in a ``ModuleDict``: applies its layers in the dict's (insertion) order."""

    def __init__(self, named_layers):
        super().__init__()
        self.layers = torch.nn.ModuleDict(named_layers)

    def forward(self, x):
        for key in self.layers:
            x = self.layers[key](x)
        return x


def _activation(name: str) -> torch.nn.Module:
    return {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
            "gelu": torch.nn.GELU}[name]()


@dataclasses.dataclass(frozen=True)
class NetworkSpec:
    """A network's structure: ``plan`` (steps ``("linear", i)`` / ``("act", name)``, see
    :mod:`conformance.references.network`), ``linears`` (``(in_features, out_features, bias)`` of each distinct
    Linear layer), ``container``, ``keys`` (a ModuleDict key per step), ``groups`` (for ``nested``: the
    container kind and step range of each inner container), ``batch`` (leading dims of the input), ``seed``."""
    container: str
    plan: tuple
    linears: tuple
    keys: tuple
    groups: tuple
    batch: tuple
    in_features: int
    seed: int

    @property
    def out_features(self) -> int:
        width = self.in_features
        for kind, what in self.plan:
            if kind == "linear":
                width = self.linears[what][1]
        return width

    @property
    def shared(self) -> bool:
        used = [i for kind, i in self.plan if kind == "linear"]
        return len(used) != len(set(used))

    def paths(self) -> list[tuple[str, str, int | None]]:
        """Every place of the module tree, in registration (pre-)order, shared layers at each of their places:
        ``(qualified name, kind, linear index or None)`` with kind ``root``, ``sequential``, ``listchain``,
        ``dictchain``, ``modulelist``, ``moduledict``, ``linear`` or ``act`` — the names torch gives them."""
        kinds = {"sequential": "sequential", "modulelist": "listchain", "moduledict": "dictchain"}
        out = []

        def chain(prefix, kind, lo, hi):
            if kind != "sequential":
                out.append((prefix + "layers", kind, None))
            for j in range(lo, hi):
                if kind == "sequential":
                    name = prefix + str(j - lo)
                elif kind == "modulelist":
                    name = f"{prefix}layers.{j - lo}"
                else:
                    name = f"{prefix}layers.{self.keys[j]}"
                step, what = self.plan[j]
                out.append((name, step, what if step == "linear" else None))

        if self.container == "nested":
            out.append(("", "root", None))
            for g, (kind, lo, hi) in enumerate(self.groups):
                out.append((str(g), kinds[kind], None))
                chain(f"{g}.", kind, lo, hi)
        else:
            out.append(("", "root", None))
            chain("", self.container, 0, len(self.plan))
        return out

    def calls(self) -> list[str]:
        """The qualified names of the modules a forward pass calls, in call (pre-)order: the root, inner
        containers of ``nested`` and every step; a ModuleList / ModuleDict itself is never called."""
        return [name for name, kind, _ in self.paths() if kind not in ("modulelist", "moduledict")]

    def _values(self):
        rng = np.random.default_rng(self.seed)
        params = []
        for n_in, n_out, bias in self.linears:
            W = rng.standard_normal((n_out, n_in)) / np.sqrt(max(n_in, 1))
            b = rng.standard_normal(n_out) * 0.5 if bias else None
            params.append((W, b))
        x = rng.standard_normal(self.batch + (self.in_features,))
        g = rng.standard_normal(self.batch + (self.out_features,))
        return params, x, g

    def numpy_values(self, dtype=np.float64):
        """``(params, x, g)`` as float64 arrays holding values exactly representable in ``dtype``: the
        parameters, the network input and an upstream gradient for the output."""
        params, x, g = self._values()
        r = lambda a: None if a is None else a.astype(dtype).astype(np.float64)  # noqa: E731
        return [(r(W), r(b)) for W, b in params], r(x), r(g)

    def build(self, dtype=torch.float64, device="cpu"):
        """``(model, linears)``: the torch module and its distinct Linear layers (index ``i`` of the plan),
        holding the values of :meth:`numpy_values` for ``dtype``."""
        np_dtype = np.float32 if dtype == torch.float32 else np.float64
        params, _, _ = self.numpy_values(np_dtype)
        linears = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Initializing zero-element tensors is a no-op" for width 0
            for (n_in, n_out, bias), (W, b) in zip(self.linears, params):
                lin = torch.nn.Linear(n_in, n_out, bias=bias, dtype=dtype)
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(W))
                    if bias:
                        lin.bias.copy_(torch.from_numpy(b))
                linears.append(lin)
        steps = [linears[what] if kind == "linear" else _activation(what) for kind, what in self.plan]
        if self.container == "nested":
            inner = [_container(kind, steps[a:b], self.keys[a:b]) for kind, a, b in self.groups]
            model = torch.nn.Sequential(*inner)
        else:
            model = _container(self.container, steps, self.keys)
        return model.to(device), linears

    def torch_input(self, dtype=torch.float64, device="cpu", requires_grad=True):
        np_dtype = np.float32 if dtype == torch.float32 else np.float64
        _, x, g = self.numpy_values(np_dtype)
        xt = torch.tensor(x, dtype=dtype, device=device, requires_grad=requires_grad)
        return xt, torch.tensor(g, dtype=dtype, device=device)


def _container(kind, steps, keys):
    if kind == "sequential":
        return torch.nn.Sequential(*steps)
    if kind == "modulelist":
        return ListChain(steps)
    return DictChain(list(zip(keys, steps)))


@st.composite
def networks(draw, containers=CONTAINERS, max_steps=MAX_STEPS, max_width=MAX_WIDTH, max_batch_dims=2,
             min_steps=1):
    """A :class:`NetworkSpec`."""
    container = draw(st.sampled_from(containers), label="container")
    in_features = width = draw(st.integers(0, max_width), label="in_features")
    n = draw(st.integers(min_steps, max_steps), label="steps")
    plan, linears = [], []
    for _ in range(n):
        reusable = [i for i, (a, b, _) in enumerate(linears) if a == b == width]
        kind = draw(st.sampled_from(("linear", "act", "shared") if reusable else ("linear", "act")))
        if kind == "linear":
            # a square layer half the time: the one kind a later step can reuse (a module held at several places)
            out = draw(st.one_of(st.just(width), st.integers(0, max_width)))
            linears.append((width, out, draw(st.booleans())))
            plan.append(("linear", len(linears) - 1))
            width = out
        elif kind == "shared":
            plan.append(("linear", draw(st.sampled_from(reusable))))
        else:
            plan.append(("act", draw(st.sampled_from(ACTIVATIONS))))
    keys = tuple(draw(st.permutations(KEYS), label="keys")[:n])
    groups = ()
    if container == "nested":
        cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=2), label="cuts")) if n > 1 else []
        bounds = [0, *cuts, n]
        kinds = draw(st.lists(st.sampled_from(CONTAINERS[:3]), min_size=len(bounds) - 1,
                              max_size=len(bounds) - 1), label="inner")
        groups = tuple((k, a, b) for k, a, b in zip(kinds, bounds, bounds[1:]))
    batch = tuple(draw(st.lists(st.integers(0, 4), max_size=max_batch_dims), label="batch"))
    return NetworkSpec(container, tuple(plan), tuple(linears), keys, groups, batch, in_features,
                       draw(seeds, label="seed"))
