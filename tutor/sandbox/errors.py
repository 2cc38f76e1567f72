"""How a run's ending is told: which line of the learner's code, whose ``raise`` it was, and
what a refusal the kernel made means in plain words."""

from __future__ import annotations

import dis
import os
import traceback
from typing import Any

from tutor.sandbox import guard
from tutor.sandbox.protocol import ErrorInfo

_MEMORY_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")


# instructions that raise from inside Python itself (an operation, a call into C, a lookup):
# an exception whose innermost traceback entry stopped at one of these came from Python or
# from native code, never from a ``raise``, a generator's ``throw`` or a frame's start
_NATIVE_OPS = {
    dis.opmap[name]
    for name in (
        "CALL", "PRECALL", "CALL_FUNCTION_EX", "BINARY_OP", "BINARY_SUBSCR", "STORE_SUBSCR",
        "DELETE_SUBSCR", "LOAD_ATTR", "STORE_ATTR", "DELETE_ATTR", "LOAD_METHOD", "COMPARE_OP",
        "CONTAINS_OP", "FOR_ITER", "GET_ITER", "UNPACK_SEQUENCE", "UNPACK_EX", "IMPORT_NAME",
        "IMPORT_FROM", "IMPORT_STAR", "LOAD_NAME", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_FAST",
        "LOAD_CLASSDEREF", "DELETE_NAME", "DELETE_FAST", "DELETE_GLOBAL", "UNARY_NEGATIVE",
        "UNARY_POSITIVE", "UNARY_INVERT", "UNARY_NOT", "FORMAT_VALUE", "LIST_EXTEND",
        "SET_UPDATE", "DICT_UPDATE", "DICT_MERGE", "LIST_TO_TUPLE", "BUILD_STRING",
        "BEFORE_WITH", "GET_AWAITABLE", "STORE_NAME", "STORE_GLOBAL",
    )
    if name in dis.opmap
}  # fmt: skip


def own_raise(exc: BaseException, torch_raised: Any = None) -> bool:
    """Was ``exc`` raised by the run's own code rather than by torch or Python itself?

    It is torch's when it left a torch call the trace saw (``torch_raised(exc)``); torch's or
    Python's when the innermost traceback entry stopped at an operation that raises natively
    (a call into C, an index, an attribute). Anything else
    is the code's own: a ``raise`` statement, a generator's ``throw``, a ``raise`` it arranged
    in another module (a mock's ``side_effect``), or an exception that was never raised."""
    if torch_raised is not None and torch_raised(exc):
        return False
    tb = exc.__traceback__
    if tb is None:
        return True  # never raised at all: an object the code made itself
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    try:
        return tb.tb_lasti < 0 or code.co_code[tb.tb_lasti] not in _NATIVE_OPS
    except IndexError:
        return True


def describe_error(exc: BaseException, where: str, filename: str) -> ErrorInfo:
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename == filename]
    if own:
        line = own[-1].lineno
    shown = "".join(f"  line {f.lineno}: {(f.line or '').strip()}\n" for f in own[-5:])
    if isinstance(exc, SyntaxError) and line:
        shown = f"  line {line}: {(exc.text or '').strip()}\n"
    try:
        message = str(exc) if not isinstance(exc, SyntaxError) else (exc.msg or str(exc))
    except Exception:
        message = "(the error's message could not be read)"
    if isinstance(exc, SystemExit):
        message = (
            f"the code called exit({exc.code!r}); remove it, the grader needs the code to finish"
        )
    elif isinstance(exc, KeyboardInterrupt):
        message = "KeyboardInterrupt raised by the code"
    elif isinstance(exc, EOFError) and not message:
        message = "input() has no keyboard in the sandbox: set the value in the code"
    kind = type(exc).__name__
    text = f"Traceback ({where}):\n{shown}{kind}: {message}" if shown else f"{kind}: {message}"
    return ErrorInfo(
        type=kind,
        message=message[:2000],
        where=where,
        line=line,
        traceback=text[:4000],
        own_raise=own_raise(exc),
    )


def is_memory_error(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and any(m in str(exc) for m in _MEMORY_MARKERS)
    )


_type_name = type.__dict__["__name__"].__get__  # a metaclass cannot lie through these
_type_qualname = type.__dict__["__qualname__"].__get__
_type_module = type.__dict__["__module__"].__get__


def matches(kind: type, name: str | None) -> bool:
    """Is ``kind`` exactly the exception type ``name`` (``RuntimeError``, or dotted)?"""
    if not name or not isinstance(kind, type):
        return False
    module, qualname = _type_module(kind), _type_qualname(kind)
    if "." in name:
        return f"{module}.{qualname}" == name or (
            module == "builtins" and qualname == name.rsplit(".", 1)[-1]
        )
    return _type_name(kind) == name


def exact_str(value: Any) -> str:
    """A plain ``str`` copy (a subclass could lie about its length or slices)."""
    try:
        text = str(value)
    except Exception:
        return ""
    return "".join([text]) if isinstance(text, str) else ""


def kernel_refusal(exc: BaseException, code_file: str) -> str:
    """Explain a permission error the kernel layer caused (Landlock or seccomp said no
    before the audit hook saw anything): the hook explains, the kernel enforces."""
    if not isinstance(exc, PermissionError) or isinstance(exc, guard.SandboxViolation):
        return ""
    files = [f.filename.replace("\\", "/") for f in traceback.extract_tb(exc.__traceback__)]
    if any("torch/utils/data" in f or "multiprocessing" in f for f in files):
        return (
            "the sandbox does not allow starting other processes: DataLoader(num_workers=...) "
            "starts worker processes; use num_workers=0"
        )
    if any(f.endswith("socket.py") for f in files):
        return "the sandbox does not allow network access"
    target = getattr(exc, "filename", None)
    where = os.path.dirname(code_file)
    if isinstance(target, str) and target:
        path = os.path.realpath(os.path.join(where, target))
        if not path.startswith(where + os.sep):
            return f"the sandbox does not allow touching {path} (work in the current folder only)"
    return f"the sandbox does not allow that ({exact_str(exc)})"
