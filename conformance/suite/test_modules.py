"""nn.Module semantics: construction, containers, parameters and buffers, traversal, apply, state_dict,
``to(dtype)`` and train/eval.

Each test states the documented behaviour (https://pytorch.org/docs/stable/generated/torch.nn.Module.html,
``torch.nn.Sequential``, ``torch.nn.ModuleList``, ``torch.nn.ModuleDict``) against a pure-Python model of it:
Python lists and dicts for the containers, the structure of a generated network
(:class:`~conformance.strategies.networks.NetworkSpec`) for names, traversal orders and flags.
"""
from __future__ import annotations


import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import dtypes
from conformance.check import Mismatch
from conformance.strategies import seeds
from conformance.strategies.networks import DictChain, ListChain, networks
from conformance.suite.test_backward import raises, tensor, values

pytestmark = pytest.mark.modules


class Step(torch.nn.Module):
    """x -> 2 x + k: composing steps shows their order."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        return 2 * x + self.k

    def extra_repr(self):
        return f"k={self.k}"


def _compose(ks, x=0.0):
    for k in ks:
        x = 2 * x + k
    return x


def _ids(tensors):
    """Identities, for comparing lists of parameters as objects (== on tensors compares values)."""
    return [id(t) for t in tensors]


def _objects(model, spec):
    """The module object at every place of the spec's tree."""
    return {name: model.get_submodule(name) for name, _, _ in spec.paths()}


# ---- a custom module -------------------------------------------------------------------------------------------

@pytest.mark.op("Module")
def test_custom_module_needs_super_init(device):
    """Assigning a submodule, a Parameter or a buffer before Module.__init__() raises AttributeError with the
    documented message; with super().__init__() they are registered; a module without forward raises
    NotImplementedError when called; __call__ runs forward (and the hooks), forward alone skips the hooks."""
    class NoInitModule(torch.nn.Module):
        def __init__(self):
            self.layer = torch.nn.Linear(1, 1)

    class NoInitParam(torch.nn.Module):
        def __init__(self):
            self.w = torch.nn.Parameter(torch.ones(1))

    class NoInitBuffer(torch.nn.Module):
        def __init__(self):
            self.register_buffer("b", torch.ones(1))
    raises(AttributeError, "cannot assign module before Module.__init__() call", NoInitModule)
    raises(AttributeError, "cannot assign parameters before Module.__init__() call", NoInitParam)
    raises(AttributeError, "cannot assign buffer before Module.__init__() call", NoInitBuffer)

    class Good(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(1, 1)
            self.w = torch.nn.Parameter(torch.full((1,), 3.0))

        def forward(self, x):
            return self.layer(x) * self.w
    m = Good().to(device)
    if [n for n, _ in m.named_parameters()] != ["w", "layer.weight", "layer.bias"]:
        raise Mismatch(f"parameters of a custom module: {[n for n, _ in m.named_parameters()]}")
    calls = []
    m.register_forward_hook(lambda *a: calls.append("hook"))
    x = torch.ones(2, 1, device=device)
    if not torch.equal(m(x), m.forward(x)) or calls != ["hook"]:
        raise Mismatch(f"m(x) and m.forward(x) differ, or the hook ran {calls} (expected once, for m(x))")

    class NoForward(torch.nn.Module):
        pass
    raises(NotImplementedError, 'missing the required "forward" function', lambda: NoForward()(x))


# ---- containers ------------------------------------------------------------------------------------------------

@pytest.mark.op("Sequential")
@given(n=st.integers(0, 6), data=st.data())
def test_sequential(device, n, data):
    """Sequential: len, iteration and forward in order; indexing (negative too) returns the module itself and
    raises IndexError out of range; slicing returns a Sequential of the sliced modules; append adds at the end
    (and returns the Sequential); del renumbers."""
    ks = list(range(1, n + 1))
    mods = [Step(k) for k in ks]
    seq = torch.nn.Sequential(*mods).to(device)
    if len(seq) != n or list(seq) != mods or list(seq._modules) != [str(i) for i in range(n)]:
        raise Mismatch(f"Sequential of {n}: len {len(seq)}, names {list(seq._modules)}")
    x = torch.zeros(1, dtype=torch.float64, device=device)
    if seq(x).item() != _compose(ks):
        raise Mismatch(f"Sequential forward gave {seq(x).item()}, the composition in order {_compose(ks)}")
    i = data.draw(st.integers(-n - 2, n + 1), label="index")
    if -n <= i < n:
        if seq[i] is not mods[i]:
            raise Mismatch(f"seq[{i}] is not the module at that position")
    else:
        raises(IndexError, "out of range", lambda: seq[i])
    sl = data.draw(st.slices(max(n, 1)), label="slice")
    part = seq[sl]
    if type(part) is not torch.nn.Sequential or list(part) != mods[sl]:
        raise Mismatch(f"seq[{sl}] gave {type(part).__name__} {list(part) if hasattr(part, '__iter__') else part}, "
                       f"expected a Sequential of {mods[sl]}")
    if part(x).item() != _compose([m.k for m in mods[sl]]):
        raise Mismatch(f"seq[{sl}] does not compute the composition of its modules")
    extra = Step(100)
    if seq.append(extra) is not seq or seq[-1] is not extra or len(seq) != n + 1:
        raise Mismatch("append did not add the module at the end and return the Sequential")
    if n:
        j = data.draw(st.integers(0, n - 1), label="deleted")
        del seq[j]
        left = mods[:j] + mods[j + 1:] + [extra]
        if list(seq) != left or list(seq._modules) != [str(i) for i in range(n)]:
            raise Mismatch(f"after del seq[{j}]: {list(seq._modules)} / modules not in order")


#: ModuleList operations mirrored on a Python list
LIST_OPS = st.lists(st.tuples(st.sampled_from(["append", "extend", "insert", "pop", "setitem", "delitem"]),
                              st.integers(-8, 8), st.integers(0, 3)), max_size=8)


@pytest.mark.op("ModuleList")
@given(n=st.integers(0, 5), ops=LIST_OPS)
def test_module_list(device, n, ops):
    """ModuleList behaves as a Python list of modules (append, extend, insert, pop, item assignment and
    deletion, negative indices, slices give a ModuleList), its children are registered under "0".."n-1" so a
    module holding it sees their parameters, and a plain list attribute registers nothing."""
    counter = iter(range(1000))

    def fresh():
        return torch.nn.Linear(1, 1).to(device)
    ref = [fresh() for _ in range(n)]
    ml = torch.nn.ModuleList(ref)
    for op, i, k in ops:
        if op == "append":
            m = fresh()
            ml.append(m)
            ref.append(m)
        elif op == "extend":
            ms = [fresh() for _ in range(k)]
            ml.extend(ms)
            ref.extend(ms)
        elif op == "insert":
            m = fresh()
            if not 0 <= i <= len(ref):
                _insert_out_of_range(ml, len(ref), i, m)
                return  # the list is left as the recorded divergence says; nothing more to mirror
            ml.insert(i, m)
            ref.insert(i, m)
        elif not ref:
            continue
        else:
            i = i % len(ref) - (len(ref) if next(counter) % 2 else 0)  # negative indices too
            if op == "pop":
                if ml.pop(i) is not ref.pop(i):
                    raise Mismatch(f"ModuleList.pop({i}) returned another module")
            elif op == "setitem":
                m = fresh()
                ml[i] = m
                ref[i] = m
            else:
                del ml[i]
                del ref[i]
    if list(ml) != ref or len(ml) != len(ref) or list(ml._modules) != [str(i) for i in range(len(ref))]:
        raise Mismatch(f"after {ops}: ModuleList holds {len(ml)} modules named {list(ml._modules)}, the list "
                       f"{len(ref)}")
    for i in range(-len(ref), len(ref)):
        if ml[i] is not ref[i]:
            raise Mismatch(f"ModuleList[{i}] is not the list's element")
    if type(ml[1:]) is not torch.nn.ModuleList or list(ml[::-1]) != ref[::-1]:
        raise Mismatch("slicing a ModuleList does not give a ModuleList of the sliced modules")
    holder = ListChain([])
    holder.layers = ml
    holder.plain = [fresh()]
    want = [p for m in dict.fromkeys(ref) for p in m.parameters()]
    if _ids(holder.parameters()) != _ids(want):
        raise Mismatch("a module holding a ModuleList does not see exactly its modules' parameters (and not those "
                       "of a plain list)")


def _insert_out_of_range(ml, n, i, m):
    """ModuleList.insert outside 0..len behaves as divergence modulelist-insert-index-out-of-range records."""
    if i < 0:
        before = list(ml)
        try:
            ml.insert(i, m)
        except KeyError:
            # the entries were shifted up by one before the lookup of "-1" failed: the first module is held twice
            left = before[:1] + before if n else []
            if list(ml) != left:
                raise Mismatch(f"ModuleList.insert({i}) on {n} modules: after the KeyError it holds {list(ml)}, "
                               f"recorded: {left}")
            return
        raise Mismatch(f"divergence modulelist-insert-index-out-of-range no longer holds: ModuleList.insert({i}) "
                       f"on {n} modules did not raise KeyError")
    ml.insert(i, m)
    if len(ml) != n + 1 or str(i) not in ml._modules:
        raise Mismatch(f"divergence modulelist-insert-index-out-of-range no longer holds: insert({i}) on {n} "
                       f"modules gave names {list(ml._modules)}")
    raises(KeyError, str(n), lambda: ml[n])


@pytest.mark.op("ModuleList")
@pytest.mark.divergence("modulelist-insert-index-out-of-range")
def test_module_list_insert_out_of_range(device):
    """Pinned: ModuleList.insert does not take negative or past-the-end indices as a list does (torch 2.13)."""
    acts = [torch.nn.ReLU(), torch.nn.Tanh(), torch.nn.Sigmoid()]
    ml = torch.nn.ModuleList(acts)
    _insert_out_of_range(ml, 3, -1, torch.nn.GELU())
    if list(ml) != [acts[0], acts[0], acts[1], acts[2]]:
        raise Mismatch(f"after the failed insert(-1): {list(ml)}")
    _insert_out_of_range(torch.nn.ModuleList(acts[:2]), 2, 5, torch.nn.GELU())
    seq = torch.nn.Sequential(*acts)
    seq.insert(-1, torch.nn.GELU())
    if [type(m).__name__ for m in seq] != ["ReLU", "Tanh", "GELU", "Sigmoid"]:
        raise Mismatch("Sequential.insert(-1) no longer inserts before the last module")


DICT_OPS = st.lists(st.tuples(st.sampled_from(["set", "del", "pop", "update"]),
                              st.sampled_from(["fc", "out", "a", "b", "z", "act", "l1", "enc"]),
                              st.lists(st.sampled_from(["fc", "out", "a", "b", "z", "l2"]), max_size=3)),
                    max_size=10)


@pytest.mark.op("ModuleDict")
@given(ops=DICT_OPS)
def test_module_dict(device, ops):
    """ModuleDict behaves as an insertion-ordered dict of modules (assignment to an existing key keeps its
    place; del, pop, update with pairs), iteration, keys(), values(), items() follow insertion order, and a
    module holding it sees the parameters of its modules."""
    ref = {}
    md = torch.nn.ModuleDict()
    for op, key, more in ops:
        if op == "set":
            m = torch.nn.Linear(1, 1).to(device)
            md[key] = m
            ref[key] = m
        elif op == "update":
            pairs = [(k, torch.nn.Linear(1, 1).to(device)) for k in more]
            md.update(pairs)
            ref.update(pairs)
        elif key in ref:
            if op == "pop":
                if md.pop(key) is not ref.pop(key):
                    raise Mismatch(f"ModuleDict.pop({key!r}) returned another module")
            else:
                del md[key]
                del ref[key]
    keys = list(ref)
    if list(md) != keys or list(md.keys()) != keys or len(md) != len(keys):
        raise Mismatch(f"ModuleDict keys in order {list(md)} / keys() {list(md.keys())}, expected {keys}",
                       f"operations: {ops}")
    if list(md.values()) != list(ref.values()) or [k for k, _ in md.items()] != keys:
        raise Mismatch("ModuleDict values() / items() not in insertion order")
    if any(md[k] is not ref[k] or k not in md for k in keys) or "missing" in md:
        raise Mismatch("ModuleDict lookup or membership differs from the dict")
    holder = DictChain([])
    holder.layers = md
    if _ids(holder.parameters()) != _ids(p for m in ref.values() for p in m.parameters()):
        raise Mismatch("a module holding a ModuleDict does not see its modules' parameters, in order")


_ACT_REPR = {"relu": "ReLU()", "tanh": "Tanh()", "sigmoid": "Sigmoid()", "gelu": "GELU(approximate='none')"}


def _block(name, entries):
    """Module.__repr__: ``Name(`` then each ``(key): child`` indented by two spaces, then ``)``."""
    if not entries:
        return name + "()"
    lines = []
    for key, text in entries:
        lines.append(f"({key}): " + text.replace("\n", "\n  "))
    return name + "(\n  " + "\n  ".join(lines) + "\n)"


def _list_block(entries):
    """ModuleList.__repr__: runs of equal reprs compressed into ``(i-j): n x repr``."""
    runs = []
    for i, (_, text) in enumerate(entries):
        if runs and runs[-1][2] == text:
            runs[-1][1] = i
        else:
            runs.append([i, i, text])
    keyed = [(f"{a}-{b}" if a != b else f"{a}", (f"{b - a + 1} x " if a != b else "") + t) for a, b, t in runs]
    return _block("ModuleList", keyed)


def expected_repr(spec):
    def step(j):
        kind, what = spec.plan[j]
        if kind == "linear":
            i, o, b = spec.linears[what]
            return f"Linear(in_features={i}, out_features={o}, bias={b})"
        return _ACT_REPR[what]

    def chain(kind, lo, hi):
        if kind == "sequential":
            return _block("Sequential", [(str(j - lo), step(j)) for j in range(lo, hi)])
        if kind == "modulelist":
            return _block("ListChain", [("layers", _list_block([(str(j - lo), step(j)) for j in range(lo, hi)]))])
        return _block("DictChain", [("layers", _block("ModuleDict", [(spec.keys[j], step(j))
                                                                      for j in range(lo, hi)]))])
    if spec.container == "nested":
        return _block("Sequential", [(str(g), chain(kind, lo, hi)) for g, (kind, lo, hi) in enumerate(spec.groups)])
    return chain(spec.container, 0, len(spec.plan))


@pytest.mark.op("repr")
@given(spec=networks())
def test_container_repr(device, spec):
    """The repr of Sequential / ModuleList / ModuleDict and of modules holding them lists every child as
    ``(name): repr`` in registration order, nested blocks indented by two spaces, runs of equal entries of a
    ModuleList compressed."""
    model, _ = spec.build(torch.float64, device)
    want = expected_repr(spec)
    if repr(model) != want:
        raise Mismatch("container repr differs", f"torch:\n{model!r}\nexpected:\n{want}")


# ---- parameters, buffers and plain attributes ------------------------------------------------------------------

ATTRS = st.lists(st.tuples(st.sampled_from(["p", "q", "r", "s", "t", "u"]),
                           st.sampled_from(["parameter", "buffer", "nonpersistent", "tensor", "none_buffer"])),
                 max_size=6, unique_by=lambda a: a[0])


@pytest.mark.op("register_buffer")
@given(own=ATTRS, child=ATTRS, seed=seeds)
def test_parameters_buffers_and_plain_tensors(device, own, child, seed):
    """A Parameter attribute is a parameter; register_buffer makes a buffer (in buffers(), and in state_dict()
    unless persistent=False; a None buffer is in neither); a plain tensor attribute is none of these. Order:
    registration order, the module's own before its children's, state_dict parameters before buffers; names
    carry the child's prefix (and named_parameters / named_buffers a given prefix)."""
    rng = np.random.default_rng(seed)

    def build(attrs):
        m = torch.nn.Module()
        for name, kind in attrs:
            t = tensor(values(rng, (2,)), "float64", device)
            if kind == "parameter":
                setattr(m, name, torch.nn.Parameter(t))
            elif kind == "tensor":
                setattr(m, name, t)
            else:
                m.register_buffer(name, None if kind == "none_buffer" else t, persistent=kind != "nonpersistent")
        return m
    root = build(own)
    root.sub = build(child)

    def names(attrs, prefix, kinds):
        return [prefix + n for n, k in attrs if k in kinds]
    want_params = names(own, "", ("parameter",)) + names(child, "sub.", ("parameter",))
    want_buffers = names(own, "", ("buffer", "nonpersistent")) + names(child, "sub.", ("buffer", "nonpersistent"))
    want_sd = (names(own, "", ("parameter",)) + names(own, "", ("buffer",)) +
               names(child, "sub.", ("parameter",)) + names(child, "sub.", ("buffer",)))
    got_params = [n for n, _ in root.named_parameters()]
    got_buffers = [n for n, _ in root.named_buffers()]
    got_sd = list(root.state_dict())
    if got_params != want_params or len(list(root.parameters())) != len(want_params):
        raise Mismatch(f"named_parameters {got_params}, expected {want_params}", f"own {own}, child {child}")
    if got_buffers != want_buffers or len(list(root.buffers())) != len(want_buffers):
        raise Mismatch(f"named_buffers {got_buffers}, expected {want_buffers}", f"own {own}, child {child}")
    if got_sd != want_sd:
        raise Mismatch(f"state_dict keys {got_sd}, expected {want_sd}", f"own {own}, child {child}")
    if [n for n, _ in root.named_parameters(prefix="net")] != ["net." + n for n in want_params]:
        raise Mismatch("named_parameters(prefix='net') does not prefix the names")
    if [n for n, _ in root.named_buffers(prefix="net", recurse=False)] != names(own, "net.", ("buffer",
                                                                                               "nonpersistent")):
        raise Mismatch("named_buffers(prefix='net', recurse=False) is not the module's own buffers, prefixed")
    if [n for n, _ in root.named_parameters(recurse=False)] != names(own, "", ("parameter",)):
        raise Mismatch("named_parameters(recurse=False) is not the module's own parameters")


# ---- traversal -------------------------------------------------------------------------------------------------

@pytest.mark.op("named_modules")
@given(spec=networks(), prefix=st.sampled_from(["", "net"]))
def test_named_children_and_named_modules(device, spec, prefix):
    """named_children: the direct children only (a child held twice once); named_modules: the module and all
    its descendants in pre-order, a shared module once (remove_duplicate=False: at every place), names prefixed
    by ``prefix``; named_parameters likewise, a shared layer's parameters once unless remove_duplicate=False."""
    model, _ = spec.build(torch.float64, device)
    places = spec.paths()
    objs = _objects(model, spec)
    first = {}
    for name, _, _ in places:
        first.setdefault(id(objs[name]), name)
    dedup = [name for name, _, _ in places if first[id(objs[name])] == name]

    def pre(name):
        return ".".join(p for p in (prefix, name) if p)
    children = [n for n in dedup if n and "." not in n]
    got = [(n, m) for n, m in model.named_children()]
    if [n for n, _ in got] != children or any(m is not objs[n] for n, m in got):
        raise Mismatch(f"named_children gave {[n for n, _ in got]}, expected the direct children {children}")
    got = list(model.named_modules(prefix=prefix))
    if [n for n, _ in got] != [pre(n) for n in dedup] or any(m is not objs[n] for (_, m), n in zip(got, dedup)):
        raise Mismatch(f"named_modules(prefix={prefix!r}) gave {[n for n, _ in got]}, expected "
                       f"{[pre(n) for n in dedup]}")
    got = [n for n, _ in model.named_modules(prefix=prefix, remove_duplicate=False)]
    if got != [pre(n) for n, _, _ in places]:
        raise Mismatch(f"named_modules(remove_duplicate=False) gave {got}, expected every place "
                       f"{[pre(n) for n, _, _ in places]}")
    for remove in (True, False):
        want = [pre(f"{n}.{p}") for n, kind, i in places if kind == "linear" and (not remove or n in dedup)
                for p in (("weight", "bias") if spec.linears[i][2] else ("weight",))]
        got = [n for n, _ in model.named_parameters(prefix=prefix, remove_duplicate=remove)]
        if got != want:
            raise Mismatch(f"named_parameters(remove_duplicate={remove}) gave {got}, expected {want}")


@pytest.mark.op("apply")
@given(spec=networks())
def test_apply(device, spec):
    """apply(fn) calls fn on every submodule (as children() gives them: a module held twice by one parent
    once) and then on the module itself, children first, and returns the module; used to initialise weights
    and to add a method such as extra_repr."""
    model, linears = spec.build(torch.float64, device)
    objs = _objects(model, spec)
    places = [name for name, _, _ in spec.paths()]

    def post_order(name):
        out, seen = [], set()
        depth = name.count(".") + 1 if name else 0
        for child in places:
            if child.startswith(name + "." if name else "") and child and child != name \
                    and child.count(".") == depth and id(objs[child]) not in seen:
                seen.add(id(objs[child]))
                out += post_order(child)
        return out + [name]
    want = [id(objs[n]) for n in post_order("")]
    visited = []
    if model.apply(lambda m: visited.append(id(m))) is not model:
        raise Mismatch("apply did not return the module")
    if visited != want:
        names = {id(o): n for n, o in reversed(list(objs.items()))}
        raise Mismatch(f"apply visited {[names[v] for v in visited]}, expected {[names[w] for w in want]}")

    @torch.no_grad()
    def init(m):
        if isinstance(m, torch.nn.Linear):
            m.weight.fill_(0.5)
            if m.bias is not None:
                m.bias.zero_()
    model.apply(init)
    for i, lin in enumerate(linears):
        if not bool((lin.weight == 0.5).all()) or (lin.bias is not None and bool((lin.bias != 0).any())):
            raise Mismatch(f"apply(init) did not initialise linear {i}")
    model.apply(lambda m: setattr(m, "extra_repr", lambda name=type(m).__name__: f"tagged {name}"))
    text = repr(model)
    root = type(model).__name__
    if f"tagged {root}" not in text or (linears and "Linear(tagged Linear)" not in text):
        raise Mismatch(f"an extra_repr added with apply does not show in the repr of the root and its layers:\n{text}")


# ---- state_dict / load_state_dict ------------------------------------------------------------------------------

@pytest.mark.op("state_dict")
@given(spec=networks(), data=st.data())
def test_state_dict_round_trip(device, spec, data):
    """state_dict holds every parameter at every place (a shared layer under each name), as detached tensors
    sharing storage with the parameters; loading it into a differently initialised copy copies the values in
    place (same Parameter objects), reports no missing or unexpected keys, and the copy computes the same."""
    model, linears = spec.build(torch.float64, device)
    sd = model.state_dict()
    want = [f"{n}.{p}" for n, kind, i in spec.paths() if kind == "linear"
            for p in (("weight", "bias") if spec.linears[i][2] else ("weight",))]
    if list(sd) != want:
        raise Mismatch(f"state_dict keys {list(sd)}, expected {want}")
    params = dict(model.named_parameters(remove_duplicate=False))
    for k, v in sd.items():
        if v.requires_grad or v.data_ptr() != params[k].data_ptr() or not torch.equal(v, params[k]):
            raise Mismatch(f"state_dict[{k!r}] is not a detached alias of the parameter")
    other_spec = type(spec)(**{**spec.__dict__, "seed": (spec.seed + 1) % 2**32})
    other, other_linears = other_spec.build(torch.float64, device)
    before = _ids(other.parameters())
    result = other.load_state_dict(sd)
    if list(result.missing_keys) or list(result.unexpected_keys) or repr(result) != "<All keys matched successfully>":
        raise Mismatch(f"load_state_dict of a matching state dict returned {result!r}")
    if _ids(other.parameters()) != before:
        raise Mismatch("load_state_dict replaced Parameter objects instead of copying into them")
    for a, b in zip(linears, other_linears):
        if not torch.equal(a.weight, b.weight) or (a.bias is not None and not torch.equal(a.bias, b.bias)):
            raise Mismatch("load_state_dict did not copy the values")
    x, _ = spec.torch_input(torch.float64, device, requires_grad=False)
    if not torch.equal(model(x), other(x)):
        raise Mismatch("a model loaded from another's state_dict computes something else")


@pytest.mark.op("state_dict")
@given(spec=networks(), strict=st.booleans(), data=st.data(), seed=seeds)
def test_load_state_dict_missing_and_unexpected(device, spec, strict, data, seed):
    """load_state_dict with keys removed and keys added: strict=False loads what matches and returns
    (missing_keys, unexpected_keys): the removed keys and the extra ones; strict=True raises RuntimeError
    naming them."""
    model, _ = spec.build(torch.float64, device)
    sd = model.state_dict()
    keys = list(sd)
    removed = [k for k in keys if k in data.draw(st.sets(st.sampled_from(keys)) if keys else st.just(set()),
                                                  label="removed")]
    extra = data.draw(st.lists(st.sampled_from(["stale", "0.old", "layers.x.weight", "head.bias"]), unique=True,
                               max_size=3), label="extra")
    rng = np.random.default_rng(seed)
    new = {k: tensor(values(rng, tuple(v.shape)), "float64", device) for k, v in sd.items() if k not in removed}
    for k in extra:
        new[k] = torch.zeros(1)
    if strict and (removed or extra):
        head = "Missing key(s) in state_dict: " if removed else "Unexpected key(s) in state_dict: "
        try:
            model.load_state_dict(new, strict=True)
        except RuntimeError as exc:
            text = str(exc)
            if head not in text or any(f'"{k}"' not in text for k in removed + extra):
                raise Mismatch(f"strict load_state_dict error does not name the keys {removed} / {extra}",
                               text) from exc
            return
        raise Mismatch(f"load_state_dict(strict=True) with missing {removed} / unexpected {extra} did not raise")
    result = model.load_state_dict(new, strict=strict)
    # the documented result holds lists of the keys; their order is not specified (it follows the module tree)
    if sorted(result.missing_keys) != sorted(removed) or sorted(result.unexpected_keys) != sorted(extra):
        raise Mismatch(f"load_state_dict(strict={strict}) reported missing {result.missing_keys}, unexpected "
                       f"{result.unexpected_keys}; expected {removed} and {extra}")
    after = model.state_dict()
    for k, v in new.items():
        if k in after and not torch.equal(after[k], v):
            shared = [n for n in after if n != k and after[n].data_ptr() == after[k].data_ptr()]
            if not shared:  # a shared layer takes the value of its last place
                raise Mismatch(f"{k} was not loaded")


@pytest.mark.op("state_dict")
def test_load_state_dict_size_mismatch(device):
    """A tensor of another shape is reported as a size mismatch (RuntimeError, also with strict=False)."""
    m = torch.nn.Linear(2, 3).to(device)
    for strict in (True, False):
        raises(RuntimeError, "size mismatch for weight",
               lambda: m.load_state_dict({"weight": torch.zeros(3, 3), "bias": torch.zeros(3)}, strict=strict))


# ---- to(dtype), train / eval -----------------------------------------------------------------------------------

@pytest.mark.op("to")
@given(spec=networks(max_steps=3), target=st.sampled_from(["float16", "bfloat16", "float32", "float64"]),
       how=st.sampled_from(["to", "method"]))
def test_to_dtype(device, spec, target, how):
    """module.to(dtype) (and .half() / .bfloat16() / .float() / .double()) casts floating-point parameters and
    buffers, rounding their values as a cast does, keeps integer buffers as they are and the Parameter objects
    themselves, and returns the module."""
    model, linears = spec.build(torch.float64, device)
    model.register_buffer("steps", torch.arange(3, device=device))
    model.register_buffer("scale", torch.full((2,), 1.0 / 3.0, dtype=torch.float64, device=device))
    before = {n: (p, dtypes.to_numpy(p)) for n, p in model.named_parameters()}
    tdt = dtypes.TORCH[target]
    method = {"float16": "half", "bfloat16": "bfloat16", "float32": "float", "float64": "double"}[target]
    out = model.to(tdt) if how == "to" else getattr(model, method)()
    if out is not model:
        raise Mismatch("to(dtype) did not return the module")
    for n, p in model.named_parameters():
        obj, vals = before[n]
        if p is not obj or p.dtype != tdt or not np.array_equal(dtypes.to_numpy(p), vals.astype(dtypes.NUMPY[target])):
            raise Mismatch(f"parameter {n} after {how}({target}): {p.dtype}, same object: {p is obj}")
    if model.steps.dtype != torch.int64 or model.steps.tolist() != [0, 1, 2]:
        raise Mismatch(f"an integer buffer was cast by to({target}): {model.steps}")
    if model.scale.dtype != tdt:
        raise Mismatch(f"a float64 buffer has dtype {model.scale.dtype} after to({target})")


@pytest.mark.op("train")
@given(spec=networks(), data=st.data())
def test_train_eval_propagate(device, spec, data):
    """train(mode) / eval() set the training flag of the module and of all its descendants (and return the
    module); a later call on a submodule changes only that subtree; Dropout follows the flag."""
    model, _ = spec.build(torch.float64, device)
    objs = _objects(model, spec)
    places = [n for n, _, _ in spec.paths()]
    flags = {id(o): True for o in objs.values()}
    calls = data.draw(st.lists(st.tuples(st.sampled_from(places), st.sampled_from(["train", "eval", "train(False)"])),
                               min_size=1, max_size=4), label="calls")
    for where, how in calls:
        target = objs[where]
        out = target.eval() if how == "eval" else target.train(how == "train")
        if out is not target:
            raise Mismatch(f"{how} did not return the module")
        for name in places:
            if name == where or where == "" or name.startswith(where + "."):
                flags[id(objs[name])] = how == "train"
    for name in places:
        if objs[name].training != flags[id(objs[name])]:
            raise Mismatch(f"after {calls}: module {name!r} has training={objs[name].training}, expected "
                           f"{flags[id(objs[name])]}")
    drop = torch.nn.Sequential(torch.nn.Sequential(torch.nn.Dropout(0.5))).to(device)
    x = torch.ones(64, device=device)
    drop.eval()
    if not torch.equal(drop(x), x):
        raise Mismatch("Dropout in eval mode is not the identity")
    drop.train()
    y = drop(x)
    if not bool(((y == 0) | (y == 2)).all()) or torch.equal(y, x):
        raise Mismatch("Dropout(0.5) in train mode does not zero elements and scale the rest by 2")
