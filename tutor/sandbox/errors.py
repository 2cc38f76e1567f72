"""How a run's ending is told: which line of the learner's code, whose ``raise`` it was, and
what a refusal the kernel made means in plain words."""

from __future__ import annotations

import dis
import os
import sysconfig
import traceback
from typing import Any

from tutor.sandbox import guard
from tutor.sandbox.protocol import ErrorInfo

_MEMORY_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")


_RAISE_OPS = {dis.opmap["RAISE_VARARGS"], dis.opmap.get("RERAISE", -1)}


_LIBRARY_DIRS = tuple(
    {os.path.realpath(p) for p in (sysconfig.get_paths()[k] for k in ("stdlib", "purelib",
                                                                       "platlib"))}
    | {os.path.dirname(os.path.dirname(os.path.realpath(__file__)))}  # tutor's own package
)  # fmt: skip


def _library_file(filename: str) -> bool:
    try:
        real = os.path.realpath(filename)
    except (TypeError, ValueError):
        return False
    return any(real.startswith(d + os.sep) for d in _LIBRARY_DIRS)


def own_raise(exc: BaseException) -> bool:
    """Was ``exc`` raised by a ``raise`` statement of the run's own code (not by torch or
    Python)? Decided from the innermost traceback entry: its instruction, and whose file."""
    tb = exc.__traceback__
    if tb is None:
        return True  # never raised at all: an object the code made itself
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if _library_file(code.co_filename):
        return False
    try:
        return code.co_code[tb.tb_lasti] in _RAISE_OPS
    except IndexError:
        return False


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
