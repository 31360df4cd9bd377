"""Standalone reproduction snippets: torch + NumPy only, no import of this project.

A snippet rebuilds the failing inputs literally (values, dtype, memory layout, device), calls torch the way the
test did, computes the NumPy reference the way the test did, and ends in the check that failed, so that running
it shows the difference (it raises) for as long as the difference exists.
"""
from __future__ import annotations

import ast
import functools
import inspect
import re
import math
import textwrap
import types

import numpy as np

from conformance import dtypes
from conformance import tolerance as T
from conformance.strategies import layouts


def literal(v) -> str:
    """Python source for a scalar (nan/inf spelled so the snippet runs)."""
    if isinstance(v, (bool, np.bool_)):
        return repr(bool(v))
    if isinstance(v, (int, np.integer)):
        return repr(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "np.nan"
        if math.isinf(f):
            return "np.inf" if f > 0 else "-np.inf"
        return repr(f)
    if isinstance(v, (complex, np.complexfloating)):
        c = complex(v)
        return f"complex({literal(c.real)}, {literal(c.imag)})"
    return repr(v)


def array_literal(a: np.ndarray) -> str:
    name = dtypes.name_of(a.dtype)
    values = a.astype(np.float32) if dtypes.is_ml(name) else a
    flat = ", ".join(literal(v) for v in values.reshape(-1).tolist())
    src = f"np.array([{flat}], dtype={dtypes.numpy_literal_dtype(name)})"
    src += f".reshape({tuple(a.shape)})" if a.ndim != 1 else ""
    if dtypes.is_ml(name):
        src += f"  # {name} values, held in float32"
    return src


def _emitted_name(fn, seen: dict) -> str:
    """The name ``fn`` has in the snippet: its own, or, where another function of that name is already in it
    (the torch-side call and the reference both define ``shaped``), its name suffixed with its module's."""
    name = fn.__name__
    for candidate in (name, f"{name}_{fn.__module__.rsplit('.', 1)[-1]}"):
        if seen.setdefault(candidate, fn) is fn:
            return candidate
    i = 2
    while seen.setdefault(f"{name}_{i}", fn) is not fn:
        i += 1
    return f"{name}_{i}"


def _literal_constant(name: str, value) -> bool:
    """A module-level constant a pasted helper reads (``_BY_TORCH = {...}``) that its repr writes back."""
    if not name.isupper() and not name.lstrip("_").isupper():
        return False
    if not isinstance(value, (bool, int, float, str, tuple, frozenset, dict)):
        return False
    try:
        return ast.literal_eval(repr(value)) == value
    except (ValueError, SyntaxError):
        return False


def _code_names(code) -> list[str]:
    """The global names a function's code reads, its nested code (comprehensions, generator expressions, inner
    functions) included, in order of first use."""
    found = dict.fromkeys(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found.update(dict.fromkeys(_code_names(const)))
    return list(found)


def _closure(fn) -> list[tuple[str, object]]:
    """(free variable, value) of a closure (a function a factory returned), empty cells left out."""
    out = []
    for var, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            out.append((var, cell.cell_contents))
        except ValueError:
            continue
    return out


def _function_source(fn, seen: dict, names: dict) -> list[str]:
    """Source of a function and of the module-level helper functions it calls (recursively), each under the
    name :func:`_emitted_name` gives it, the calls rewritten to match. ``names``: id(function) -> emitted name."""
    if id(fn) in names:
        return []
    own = names[id(fn)] = _emitted_name(fn, seen)
    out: list[str] = []
    renames = {fn.__name__: own} if own != fn.__name__ else {}
    attrs = {}  # "R.measure_qr" -> emitted name: a function of another module of the project, called through it
    for var, value in _closure(fn):  # a function made by a factory: what its free variables hold
        if isinstance(value, types.FunctionType) and value.__module__.startswith("conformance"):
            out += _function_source(value, seen, names)
            renames[var] = names[id(value)]
        elif isinstance(value, np.ufunc) or (callable(value) and
                                             (getattr(value, "__module__", "") or "").startswith("numpy")):
            renames[var] = f"np.{value.__name__}"
        elif _literal_constant(var.upper(), value):
            renames[var] = repr(value)
    for name in _code_names(fn.__code__):
        helper = fn.__globals__.get(name)
        wrapped = getattr(helper, "__wrapped__", None)  # a memoized helper (functools.lru_cache): its own source
        if isinstance(wrapped, types.FunctionType) and wrapped.__module__ == fn.__module__ and \
                not isinstance(helper, types.FunctionType):
            if "import functools" not in seen:
                seen["import functools"] = functools
                out.insert(0, "import functools")
            helper = wrapped
        if isinstance(helper, types.FunctionType) and helper.__module__ == fn.__module__:
            out += _function_source(helper, seen, names)
            if names[id(helper)] != name:
                renames[name] = names[id(helper)]
        elif isinstance(helper, type) and getattr(helper, "REPRO_SOURCE", None) and id(helper) not in names:
            names[id(helper)] = name  # a class of the project a helper builds: its stand-in for snippets
            out.append(textwrap.dedent(helper.REPRO_SOURCE).strip())
        elif _literal_constant(name, helper) and seen.setdefault(name, helper) is helper and id(helper) not in names:
            names[id(helper)] = name
            out.append(f"{name} = {helper!r}")
        elif isinstance(helper, types.ModuleType) and not helper.__name__.startswith(("conformance", "numpy",
                                                                                      "torch")):
            line = f"import {helper.__name__}" + (f" as {name}" if name != helper.__name__ else "")
            if line not in seen:
                seen[line] = helper
                out.insert(0, line)  # a standard-library module the helper uses (warnings, math)
        elif isinstance(helper, types.ModuleType) and helper.__name__.startswith("conformance."):
            for attr in fn.__code__.co_names:
                target = getattr(helper, attr, None)
                if isinstance(target, types.FunctionType) and target.__module__ == helper.__name__:
                    out += _function_source(target, seen, names)
                    attrs[f"{name}.{attr}"] = names[id(target)]
    src = textwrap.dedent(inspect.getsource(fn)).rstrip()
    for old, new in attrs.items():
        src = re.sub(rf"(?<![.\w]){re.escape(old)}\b", new, src)
    for old, new in renames.items():
        src = re.sub(rf"(?<![.\w]){re.escape(old)}\b", new, src)
    out.append(src)
    return out


def new_names() -> dict:
    """The naming state of one snippet, shared by every :func:`callable_source` call that builds it."""
    return {"seen": {}, "ids": {}}


def callable_source(fn, state: dict) -> tuple[str, list[str]]:
    """(expression naming ``fn``, definitions the snippet needs); ``state`` from :func:`new_names`."""
    if isinstance(fn, str):
        return fn, []
    mod = getattr(fn, "__module__", "") or ""
    if isinstance(fn, np.ufunc) or mod.startswith("numpy"):
        return f"np.{fn.__name__}", []
    if mod.startswith("torch"):
        return f"{mod}.{fn.__name__}", []
    defs = _function_source(fn, state["seen"], state["ids"])
    return state["ids"][id(fn)], defs


def render(obj, names: dict[int, str]) -> str:
    """Source for an argument structure, with arrays/tensors replaced by their variable names."""
    if id(obj) in names:
        return names[id(obj)]
    if isinstance(obj, tuple):
        inner = ", ".join(render(o, names) for o in obj)
        return f"({inner},)" if len(obj) == 1 else f"({inner})"
    if isinstance(obj, list):
        return "[" + ", ".join(render(o, names) for o in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{k!r}: {render(v, names)}" for k, v in obj.items()) + "}"
    if isinstance(obj, (np.dtype, type)) and obj is not type:
        return f"np.{np.dtype(obj).name}"
    return literal(obj)


def call(fn_src: str, args, kwargs, names) -> str:
    parts = [render(a, names) for a in args] + [f"{k}={render(v, names)}" for k, v in kwargs.items()]
    return f"{fn_src}({', '.join(parts)})"


_AS_NUMPY = ("a = actual.detach().cpu().resolve_conj().float().numpy() if actual.dtype in _VIA_FLOAT32 "
             "else actual.detach().cpu().resolve_conj().to(torch.complex64).numpy() if actual.dtype == "
             "torch.complex32 else actual.detach().cpu().resolve_conj().numpy()")


def _mask_literal(mask, shape) -> str:
    m = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
    if not m.any():
        return f"np.zeros({tuple(shape)}, dtype=bool)"
    if m.all():
        return f"np.ones({tuple(shape)}, dtype=bool)"
    flat = ", ".join("1" if v else "0" for v in m.reshape(-1).tolist())
    return f"np.array([{flat}], dtype=bool).reshape({tuple(shape)})"


def _atol_literal(atol, shape) -> str:
    a = np.asarray(atol, dtype=np.float64)
    if a.ndim == 0 or np.all(a == a.reshape(-1)[0]):
        return literal(float(a.reshape(-1)[0])) if a.size else "0.0"
    full = np.broadcast_to(a, shape)
    return f"np.array([{', '.join(literal(v) for v in full.reshape(-1).tolist())}]).reshape({tuple(shape)})"


def bound_check_lines(diff, shape) -> list[str]:
    """The check that failed, with exactly its bound: the comparison's own ``bad_elements`` and the tolerance of
    every element (rtol, atol, the elements where a non-finite value or any value is accepted, and where the sign
    of zero is compared)."""
    from conformance import compare

    tol = diff.tol
    src = textwrap.dedent(inspect.getsource(compare.bad_elements)).rstrip()
    return [src, "", _AS_NUMPY,
            f"rtol = {tol.rtol!r}",
            f"atol = {_atol_literal(tol.atol, shape)}  # {tol.why}",
            f"nonfinite = {_mask_literal(tol.mask('nonfinite', shape), shape)}",
            f"free = {_mask_literal(tol.mask('free', shape), shape)}",
            f"signed_zero = {_mask_literal(diff.signed_zero, shape)}",
            "wide = np.complex128 if np.iscomplexobj(a) or np.iscomplexobj(expected) else np.float64",
            "bad = bad_elements(a.astype(wide), expected.astype(wide), rtol, atol, signed_zero, nonfinite, free)",
            "assert not bad.any(), f'{int(bad.sum())} elements out of bounds, first at {np.argwhere(bad)[0]}'"]


def _cast_to_loop(name: str, loop: str) -> str:
    """An integer operand cast to a ufunc's loop dtype ``loop`` (as NumPy casts it), then widened; a format NumPy
    has no dtype for is rounded by torch's conversion."""
    wide = "np.complex128" if dtypes.is_complex(loop) else "np.float64"
    if dtypes.is_ml(loop):
        return f"torch.from_numpy({name}.astype(np.float64)).to(torch.{loop}).double().numpy()"
    return f"{name}.astype({dtypes.numpy_literal_dtype(loop)}).astype({wide})"


def snippet(*, title: str, sample, device: str, torch_fn, ref, upcast: bool, expected_dtype: str | None,
            problem, method: str | None = None, tensor_result: bool = True, model=None, condition=None,
            model_native: bool = False, cast_operands: bool = False) -> str:
    """The reproduction for one sample. ``problem`` is a :class:`~conformance.compare.Difference` or a
    string naming an exception disagreement (``"torch-raised"`` / ``"numpy-raised"``). ``model`` and
    ``condition``: a known divergence's model of torch, used on the elements of ``condition`` (a mask), called on
    the inputs as they are when ``model_native`` (a model of torch's own precision), upcast like ``ref`` otherwise."""
    seen = new_names()
    defs: list[str] = []
    lines = [f"# {title}", "import numpy as np", "import torch", "", f"device = {device!r}",
             "_VIA_FLOAT32 = (torch.bfloat16,) + tuple(getattr(torch, n) for n in dir(torch) if "
             "n.startswith('float8_'))"]
    np_names: dict[int, str] = {}
    t_names: dict[int, str] = {}
    for i, (a, lay) in enumerate(zip(sample.arrays, sample.layouts)):
        lines.append(f"x{i} = {array_literal(a)}")
        lines += layouts.source(f"t{i}", f"x{i}", a, lay)
        np_names[id(a)] = f"x{i}"
        t_names[id(a)] = f"t{i}"
    if method:
        first, rest = sample.args[0], sample.args[1:]
        tcall = call(f"{render(first, t_names)}.{method}", rest, sample.kwargs, t_names)
    else:
        fsrc, fdefs = callable_source(torch_fn, seen)
        defs += fdefs
        tcall = call(fsrc, sample.args, sample.kwargs, t_names)
    rsrc, rdefs = callable_source(ref, seen)
    defs += rdefs
    up = {}
    for i, a in enumerate(sample.arrays):
        name = dtypes.name_of(a.dtype)
        if upcast and dtypes.is_inexact(name):
            up[id(a)] = f"x{i}.astype(np.{'complex128' if dtypes.is_complex(name) else 'float64'})"
        elif upcast and cast_operands and expected_dtype and dtypes.is_inexact(expected_dtype) and \
                a.dtype.kind in "biu":
            up[id(a)] = _cast_to_loop(f"x{i}", expected_dtype)
        else:
            up[id(a)] = np_names[id(a)]
    ref_args = sample.args
    if upcast and cast_operands and expected_dtype and dtypes.is_inexact(expected_dtype) and \
            any(dtypes.is_inexact(dtypes.name_of(a.dtype)) for a in sample.arrays):
        from conformance import oracle

        # a Python number as the ufunc takes it: converted to its loop dtype first (NEP 50), a number again
        loop = np.dtype(dtypes.NUMPY[expected_dtype])
        ref_args = tuple(oracle.weak_to_loop(v, loop) for v in sample.args)
        if any(r != v and not (r != r and v != v) for r, v in zip(ref_args, sample.args)
               if not isinstance(v, np.ndarray)):
            lines.append(f"# NumPy's ufunc converts a Python number to {expected_dtype} first (NEP 50): the "
                         "reference below takes it so")
    def laid(names, fn):
        """``names`` for a torch model that reads strides: an expanded array as the zero-stride view it is given
        (``Sample.native_inputs``)."""
        if not getattr(fn, "reads_strides", False):
            return names
        out = dict(names)
        for a, lay in zip(sample.arrays, sample.layouts):
            axis = layouts.expand_axis(a.shape)
            if lay == "expanded" and axis is not None:
                out[id(a)] = f"np.broadcast_to(np.take({np_names[id(a)]}, [0], axis={axis}), {np_names[id(a)]}.shape)"
        return out

    rcall = call(rsrc, ref_args, sample.kwargs, laid(up, ref))
    if model is not None:
        msrc, mdefs = callable_source(model, seen)
        defs += mdefs
        mcall = call(msrc, sample.args, sample.kwargs, laid(np_names if model_native else up, model))
    if defs:
        lines += [""] + [d + "\n" for d in defs]
    if problem == "numpy-raised":
        lines += ["", "try:", f"    {rcall}", "except Exception as exc:",
                  "    print('NumPy raises:', type(exc).__name__, exc)", f"actual = {tcall}",
                  "raise AssertionError(f'torch returned {actual!r} where NumPy raised')"]
        return "\n".join(lines) + "\n"
    if problem == "torch-raised":
        lines += ["", f"print('NumPy returns:', {rcall})", f"actual = {tcall}  # raises"]
        return "\n".join(lines) + "\n"
    path = "".join(f"[{i}]" for i in problem.path)
    lines += ["", f"actual = {tcall}{path}", f"expected = np.asarray({rcall}{path})"]
    if model is not None and condition is not None:
        shape = np.shape(condition)
        lines += ["# where the known divergence applies, torch's documented behaviour instead of NumPy's",
                  f"condition = {_mask_literal(condition, shape)}",
                  f"expected = np.where(condition, np.asarray({mcall}{path}), expected)"]
    if expected_dtype and dtypes.is_ml(expected_dtype):
        lines.append(f"expected = torch.from_numpy(expected.astype(np.float64)).to(torch.{expected_dtype}).float()"
                     f".numpy()  # round to {expected_dtype}")
    elif expected_dtype:
        lines.append(f"expected = expected.astype({dtypes.numpy_literal_dtype(expected_dtype)})")
    lines += ["print('torch:', actual)", "print('numpy:', expected)"]
    kind = problem.kind
    if kind == "shape":
        lines.append("assert tuple(actual.shape) == expected.shape, (tuple(actual.shape), expected.shape)")
    elif kind == "dtype":
        lines.append(f"assert actual.dtype == torch.{expected_dtype}, actual.dtype")
    elif kind in ("type", "length"):
        lines.append("assert type(actual) is type(expected.item()), (type(actual), expected)")
    elif not tensor_result:
        lines.append("assert actual == expected.item(), (actual, expected)")
    elif problem.tol is None or problem.tol is T.EXACT or (problem.tol.rtol == 0 and not np.any(problem.tol.atol)
                                                             and problem.tol.free is None):
        lines += [_AS_NUMPY, "np.testing.assert_array_equal(a, expected)"]
    else:
        lines += [""] + bound_check_lines(problem, problem.shape)
    return "\n".join(lines) + "\n"


_SAME_BITS = ("def same_bits(a, b):\n"
              "    a, b = a.detach().cpu().resolve_conj(), b.detach().cpu().resolve_conj()\n"
              "    return (a.dtype == b.dtype and a.shape == b.shape and\n"
              "            torch.equal(a.contiguous().reshape(-1).view(torch.uint8),\n"
              "                        b.contiguous().reshape(-1).view(torch.uint8)))\n")


def variant_snippet(*, title: str, sample, device: str, torch_fn, method: str, inplace: bool,
                    within=None) -> str:
    """The reproduction of a method or in-place variant that differs from the function: both on the same
    inputs, compared bit for bit (``within``: the op's bound, for an in-place result whose memory layout may
    select another kernel path; a :class:`~conformance.tolerance.Tolerance`)."""
    lines = [f"# {title}", "import numpy as np", "import torch", "", f"device = {device!r}"]
    names: dict[int, str] = {}
    for i, (a, lay) in enumerate(zip(sample.arrays, sample.layouts)):
        lines.append(f"x{i} = {array_literal(a)}")
        lines += layouts.source(f"t{i}", f"x{i}", a, lay)
        names[id(a)] = f"t{i}"
    fsrc, defs = callable_source(torch_fn, new_names())
    first, rest = sample.args[0], sample.args[1:]
    lines += [""] + [d + "\n" for d in defs] + [_SAME_BITS]
    lines.append(f"want = {call(fsrc, sample.args, sample.kwargs, names)}")
    if inplace:
        lines.append(f"want = want.to({render(first, names)}.dtype)  # what the input receives")
    lines.append(f"got = {call(f'{render(first, names)}.{method}', rest, sample.kwargs, names)}")
    lines += ["print('function:', want)", f"print('{method}:', got)"]
    if within is not None and (within.rtol or np.any(within.atol)):
        lines.append(f"torch.testing.assert_close(got, want, rtol={within.rtol!r}, atol={float(np.max(within.atol))!r},"
                     " equal_nan=True)")
    else:
        lines.append(f"assert same_bits(got, want), 'the {method} variant differs from the function'")
    return "\n".join(lines) + "\n"
