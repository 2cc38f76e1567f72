"""Checks, the REPL and the graph view, evaluated after the run: the namespace they see
(the learner's values, but the real builtins, modules and setup helpers wherever the
reference's run resolved a name to one), each expression in a thread of its own with torch
functions disabled, and every value encoded as plain data before it leaves that thread."""

from __future__ import annotations

import _thread
import ast
import builtins
import gc
import io
import sys
import types
from typing import Any

import torch

from tutor.sandbox import guard, values
from tutor.sandbox.errors import exact_str
from tutor.sandbox.protocol import CHECK_FILE, Job
from tutor.sandbox.streams import CappedBuffer, captured, captured_size
from tutor.sandbox.trampoline import TRAMPOLINES, in_thread

_restore_builtins = guard.restore_builtins
_thread_count = _thread._count
_disable_torch_function = torch._C.DisableTorchFunction
_ModuleType = types.ModuleType
SAVED_MODULES: Any = {}  # sys.modules when the server warmed up (read-only after warm_up)


def check_names(checks: list[str]) -> set[str]:
    names: set[str] = set()
    for expr in checks:
        try:
            tree = ast.parse(expr, mode="eval")
        except SyntaxError:
            continue
        names.update(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
    return names


def _is_helper(obj: Any) -> bool:
    """A function or class (by its real type: ``isinstance`` could ask the object itself)."""
    return issubclass(type(obj), types.FunctionType | type)


def describe_names(
    names: set[str], ns: dict[str, Any], setup_objects: dict[str, Any]
) -> dict[str, str]:
    """How each name a check uses resolved after the run (the reference's answer decides
    what the learner's checks see): a builtin, a module, a setup helper, setup data, or a
    value of the code's own."""
    saved = guard._SAVED_BUILTINS
    out: dict[str, str] = {}
    for name in sorted(names):
        if name == "trace":
            continue
        if name in ns:
            obj = ns[name]
            if type(obj) is _ModuleType and SAVED_MODULES.get(obj.__name__) is obj:
                out[name] = "module:" + obj.__name__
            elif name in setup_objects and setup_objects[name] is obj:
                out[name] = "setup" if _is_helper(obj) else "setup-value"
            elif name in saved and saved[name] is obj:
                out[name] = "builtin"
            else:
                out[name] = "value"
        elif name in saved:
            out[name] = "builtin"
    return out


def untouched_setup(
    names: set[str], ns: dict[str, Any], setup_objects: dict[str, Any]
) -> dict[str, str]:
    """The setup's other names that the reference's code left as they were: inside setup
    helpers they mean what setup made, whatever the learner's code rebinds."""
    return {
        name: "setup-data"
        for name, obj in setup_objects.items()
        if name not in names and name[:2] != "__" and ns.get(name, guard._MISSING) is obj
    }


_SHAPE = torch._C.TensorBase.shape.__get__  # data descriptors: an instance cannot override
_IS_LEAF = torch._C.TensorBase.is_leaf.__get__
_REQUIRES_GRAD = torch._C.TensorBase.requires_grad.__get__
_TYPE_NAME = type.__dict__["__name__"].__get__


def _describe(obj: Any) -> str:
    """``a leaf tensor of shape (4,)``, ``a list``: read through the types' own descriptors,
    since this runs in tutor's thread and the object (and its attributes) are the code's."""
    if type(obj) in (torch.Tensor, torch.nn.Parameter):
        kind = "a leaf tensor" if _IS_LEAF(obj) else "a tensor"
        shape = tuple(_SHAPE(obj))
        dims = ", ".join(str(int(d)) for d in shape) + ("," if len(shape) == 1 else "")
        grad = " that requires grad" if _REQUIRES_GRAD(obj) else ""
        return f"{kind}{grad} of shape ({dims})"
    if obj is None:
        return "None"
    name = _TYPE_NAME(type(obj))
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _isolated(
    helper: Any, ns: dict[str, Any], setup_objects: dict[str, Any], setup_names: set[str]
) -> Any:
    """A setup function that looks its globals up as setup left them: the learner's own
    values (their model, their ``train``) but Python's builtins, the setup's modules and the
    setup's helpers, and the setup's data that the reference left alone (``setup_names``),
    whatever the learner's code rebound (a helper calling ``abs`` must not call the
    learner's ``abs``)."""
    if type(helper) is not types.FunctionType:
        return helper
    scope = {k: v for k, v in ns.items() if k not in guard._SAVED_BUILTINS}
    for key, value in setup_objects.items():
        if type(value) is _ModuleType or _is_helper(value) or key in setup_names:
            scope[key] = value
    scope["__builtins__"] = builtins
    for key, value in list(scope.items()):  # helpers calling helpers see the same world
        if type(value) is types.FunctionType and setup_objects.get(key) is value:
            scope[key] = _rebound(value, scope)
    return _rebound(helper, scope)


def _rebound(fn: types.FunctionType, scope: dict[str, Any]) -> types.FunctionType:
    clone = types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)
    clone.__kwdefaults__ = fn.__kwdefaults__
    return clone


def check_namespace(
    job: Job,
    ns: dict[str, Any],
    setup_objects: dict[str, Any],
    trace_view: Any,
    flags: list[str],
    notes: list[str],
) -> dict[str, Any]:
    """The namespace checks are evaluated in: the code's own values, but the real builtins,
    modules and setup helpers wherever the reference's run resolved a name to one of those."""
    check_ns = dict(ns)
    check_ns["__builtins__"] = builtins
    setup_names = {n for n, spec in job.real_names.items() if spec in ("setup-value", "setup-data")}
    shadowed = []
    for name, spec in job.real_names.items():
        mine = ns.get(name, guard._MISSING)
        if spec == "builtin":
            real = guard._SAVED_BUILTINS.get(name, guard._MISSING)
            check_ns.pop(name, None)
        elif spec.startswith("module:"):
            real = SAVED_MODULES.get(spec[7:], guard._MISSING)
            if real is guard._MISSING:
                continue
            check_ns[name] = real
        elif spec == "setup" and name in setup_objects:
            real = setup_objects[name]  # (what the learner's binding is compared with)
            check_ns[name] = _isolated(real, ns, setup_objects, setup_names)
        elif spec == "setup-value" and name in setup_objects:
            old = setup_objects[name]
            if mine is not old and mine is not guard._MISSING:
                notes.append(
                    f"your code replaced `{name}` from the setup (it was {_describe(old)}, "
                    f"now {_describe(mine)})"
                )
            continue
        else:
            continue
        if mine is not guard._MISSING and mine is not real:
            shadowed.append(name)
    if shadowed:
        flags.append("shadowed-name")
        listed = ", ".join(f"`{n}`" for n in shadowed[:5])
        notes.append(
            f"your code rebinds {listed}; the checks use Python's and torch's own "
            f"{'one' if len(shadowed) == 1 else 'ones'}, so rename yours"
        )
    if job.trace:
        check_ns["trace"] = trace_view
    return check_ns


def has_subclass(encoded: list[dict[str, Any]]) -> bool:
    stack = list(encoded)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == values.SUBCLASS:
                return True
            stack.extend(v for v in item.get("items", ()) if isinstance(v, dict))
            stack.extend(p[1] for p in item.get("items", ()) if isinstance(p, list))
    return False


def eval_check(expr: str, ns: dict[str, Any], stage: Any, threads: int = 0) -> dict[str, Any]:
    """One check's value, from a thread of its own (``threads``: how many were running
    before; more after it means the check left one behind)."""
    try:
        code = compile(expr, CHECK_FILE, "eval", dont_inherit=True)
    except SyntaxError as exc:
        return {"t": "raised", "type": "SyntaxError", "msg": str(exc)[:500]}
    box: list[Any] = []
    stage("learner")  # a check may call the code's own functions
    try:
        in_thread(
            TRAMPOLINES["evaluate"], code, ns, box, values.encode, _disable_torch_function, None
        )
    finally:
        stage("tutor")
        gc.disable()
    interfered = {"t": "raised", "type": "SandboxViolation", "msg": "the check was interfered with"}
    if _thread_count() > threads:  # a thread the check started could still change its answer
        return {**interfered, "msg": "the check started threads that are still running"}
    if len(box) != 1 or type(box[0]) is not tuple or not box[0]:
        return interfered
    entry = box[0]
    if entry[0] == "value" and len(entry) == 2 and type(entry[1]) is dict:
        return entry[1]
    if entry[0] == "raised" and len(entry) == 3:
        return {"t": "raised", "type": exact_str(entry[1]), "msg": exact_str(entry[2])}
    return interfered


def graph(expr: str, ns: dict[str, Any], stage: Any) -> dict[str, Any] | None:
    """The autograd graph behind ``expr`` (walked in a thread of its own, like a check)."""
    box: list[Any] = []
    try:
        code = compile(expr, CHECK_FILE, "eval", dont_inherit=True)
    except SyntaxError as exc:
        return {"error": f"SyntaxError: {exc}"}

    def describe(value: Any) -> Any:
        names = {id(v): k for k, v in ns.items() if isinstance(v, torch.Tensor) and k[:1] != "_"}
        return values.describe_graph(value, names)

    stage("learner")
    try:
        in_thread(TRAMPOLINES["evaluate"], code, ns, box, describe, _nothing, None)
    finally:
        stage("tutor")
        gc.disable()
    if len(box) != 1:
        return {"error": "the graph could not be read"}
    if box[0][0] == "raised":
        return {"error": f"{box[0][1]}: {box[0][2]}"}
    return box[0][1] if type(box[0][1]) is dict or box[0][1] is None else None


def repl_line(
    line: str,
    ns: dict[str, Any],
    out: io.TextIOWrapper,
    out_raw: CappedBuffer,
    err: io.TextIOWrapper,
    err_raw: CappedBuffer,
    stage: Any,
) -> dict[str, Any]:
    sys.stdout, sys.stderr = out, err
    start, err_start = captured_size(out_raw), captured_size(err_raw)
    entry: dict[str, Any] = {"input": line, "value": None, "error": None}
    box: list[Any] = []
    stage("learner")
    try:
        try:
            code = compile(line, "<repl>", "eval", dont_inherit=True)
        except SyntaxError:
            try:
                code = compile(line, "<repl>", "exec", dont_inherit=True)
            except SyntaxError as exc:
                box.append(("raised-syntax", exc))
            else:
                in_thread(TRAMPOLINES["statement"], code, ns, box)
        else:
            in_thread(TRAMPOLINES["evaluate"], code, ns, box, values.short_repr, _nothing, None)
    finally:
        stage("tutor")
        gc.disable()
        _restore_builtins()
        sys.stdout, sys.stderr = out, err  # ours write through: nothing to flush here
    if box:
        kind = box[0][0]
        if kind == "value" and box[0][1] != "None":
            entry["value"] = box[0][1]
        elif kind == "raised" and len(box[0]) == 3:
            entry["error"] = f"{box[0][1]}: {box[0][2]}"[:2000]
        elif kind in ("raised", "raised-syntax"):
            exc = box[0][1]
            entry["error"] = f"{type(exc).__name__}: {exc}"[:2000]
    entry["output"] = captured(out_raw, start) + captured(err_raw, err_start)
    return entry


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _nothing() -> _Nothing:
    return _Nothing()
