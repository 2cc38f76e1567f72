"""Tiny functions that start untrusted code, compiled with globals of their own.

Setup, code, each check and each REPL line run in a thread whose first frames are these
trampolines: walking ``f_back`` from learner code ends here, in frames and globals that hold
nothing of tutor's (the main thread, which holds the run's records, is out of reach). Their
``__name__`` is under ``tutor.`` so the audit hook keeps their code and defaults from being
replaced.
"""

from __future__ import annotations

import builtins
import threading
from types import MappingProxyType
from typing import Any

SOURCE = """
def run_code(setup, code, ns, box, setup_done, go, mode, flush, describe, _len, _at):
    try:
        if setup is not None:
            exec(setup, ns)
    except BaseException as exc:
        box.append(("setup", exc, describe(exc, "setup")))
        setup_done.set()
        return
    setup_done.set()
    go.wait()
    if mode is not None:
        mode.__enter__()
    try:
        exec(code, ns)
    except BaseException as exc:
        box.append(("code", exc, describe(exc, "code")))
    finally:
        flush()
        if mode is not None:
            box.append(("mode", _len() >= 1 and _at(0) is mode))


def evaluate(code, ns, box, encode, disable, mode):
    try:
        with disable():
            value = eval(code, ns)
            box.append(("value", encode(value) if encode is not None else value))
    except BaseException as exc:
        try:
            message = str(exc)[:500]
        except BaseException:
            message = ""
        box.append(("raised", type(exc).__name__, message))


def statement(code, ns, box):
    try:
        exec(code, ns)
        box.append(("done",))
    except BaseException as exc:
        try:
            message = str(exc)[:2000]
        except BaseException:
            message = ""
        box.append(("raised", type(exc).__name__, message))
"""


def _compile() -> MappingProxyType:
    """The trampolines, in a read-only mapping whose dict nothing else holds (code could
    otherwise swap ``evaluate`` for a function that answers the checks itself)."""
    scope: dict[str, Any] = {"__builtins__": builtins, "__name__": "tutor.sandbox.trampoline"}
    exec(compile(SOURCE, "<tutor>", "exec", dont_inherit=True), scope)
    return MappingProxyType(
        {
            "run_code": scope["run_code"],
            "evaluate": scope["evaluate"],
            "statement": scope["statement"],
        }
    )


TRAMPOLINES = _compile()


def in_thread(target: Any, *args: Any) -> None:
    thread = threading.Thread(target=target, args=args, name="run", daemon=True)
    thread.start()
    thread.join()
