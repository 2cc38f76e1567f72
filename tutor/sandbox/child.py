"""The body of one sandboxed run, executed in a child forked from the warm server.

seed -> setup -> code -> reseed -> checks (-> REPL lines, graph), with limits set first and
every value turned into plain data before it leaves the process.
"""

from __future__ import annotations

import builtins
import io
import os
import random
import resource
import sys
import tempfile
import threading
import time
import traceback
from typing import Any

import numpy as np
import torch

from tutor.sandbox import guard, values
from tutor.sandbox.protocol import CHECK_FILE, SETUP_FILE, ErrorInfo, Job, RunResult

# bound at import, before any learner code: replacing guard's names later changes nothing here
_restore_builtins = guard.restore_builtins
_tamper_changes = guard.TamperSnapshot.changes
_MEMORY_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")


class CappedWriter(io.TextIOBase):
    """A stdout that keeps the first ``cap`` characters and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            text = str(text)
        room = self.cap - self.size
        if room > 0:
            keep = text[:room]
            self.parts.append(keep)
            self.size += len(keep)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)

    def isatty(self) -> bool:
        return False


def data_baseline_bytes() -> int:
    """Data segment already in use (what RLIMIT_DATA counts), read from /proc."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def apply_limits(job: Job, baseline: int | None = None) -> None:
    """OS limits for this process: memory (RLIMIT_DATA), file size, CPU backstop, no core.

    ``baseline`` is the data segment already in use (read ahead of time by an idle spare)."""

    def setlimit(which: int, value: int) -> None:
        try:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    if baseline is None:
        baseline = data_baseline_bytes()
    setlimit(resource.RLIMIT_DATA, baseline + job.memory_mb * 1024 * 1024)
    setlimit(resource.RLIMIT_FSIZE, 64 * 1024 * 1024)
    setlimit(resource.RLIMIT_CORE, 0)
    setlimit(resource.RLIMIT_CPU, int(job.timeout) + 5)


_cpu_generator = torch._C.default_generator


def seed_everything(seed: int) -> None:
    # the CPU generator directly: torch.manual_seed goes through dynamo wrappers (~2 ms)
    _cpu_generator.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)


def _error(exc: BaseException, where: str, filename: str) -> ErrorInfo:
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
    message = str(exc) if not isinstance(exc, SyntaxError) else (exc.msg or str(exc))
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
        type=kind, message=message[:2000], where=where, line=line, traceback=text[:4000]
    )


def _is_memory_error(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and any(m in str(exc) for m in _MEMORY_MARKERS)
    )


def _matches(exc: BaseException, name: str | None) -> bool:
    if not name:
        return False
    short = name.rsplit(".", 1)[-1]
    return any(cls.__name__ == short for cls in type(exc).__mro__)


def tamper_targets() -> dict[str, Any]:
    import torch.nn.functional as F

    return {
        "builtins": builtins,
        "torch": torch,
        "torch.Tensor": torch.Tensor,
        "torch.TensorBase": torch._C.TensorBase,
        "torch.nn.Module": torch.nn.Module,
        "torch.nn.functional": F,
        "torch.autograd": torch.autograd,
        "torch.autograd.Function": torch.autograd.Function,
        "numpy": np,
        "torch._C": (torch._C, ("PyTorchFileWriter", "PyTorchFileReader")),
        "torch._C.PyTorchFileWriter": torch._C.PyTorchFileWriter,
        "torch._C.PyTorchFileReader": torch._C.PyTorchFileReader,
        "torch.UntypedStorage": torch.UntypedStorage,
        "torch.TypedStorage": torch.TypedStorage,
        "tutor.sandbox.guard": guard,
        "tutor.sandbox.guard.TamperSnapshot": guard.TamperSnapshot,
        "tutor.sandbox.values": values,
        "tutor.sandbox.child": sys.modules[__name__],
    }


_float, _len, _list, _sleep = float, len, list, time.sleep
WATCH_EVERY = 0.2  # seconds between looks at the watched list
WATCH_MAX = 10_000  # items streamed at most per run


def _watcher(ns: dict[str, Any], name: str, emit: Any, stop: threading.Event) -> None:
    """Stream the new items of ``ns[name]`` (a list of numbers or scalar tensors) as floats.

    Display only (a live loss plot): a learner forging these frames changes no verdict.
    """
    sent = 0
    while sent < WATCH_MAX:
        done = stop.wait(WATCH_EVERY)
        seq = ns.get(name)
        if type(seq) is _list and _len(seq) > sent:
            end = min(_len(seq), WATCH_MAX)
            out = []
            for v in seq[sent:end]:
                try:
                    out.append(_float(v))
                except Exception:
                    out.append(_float("nan"))
            emit({"progress": {"watch": name, "start": sent, "values": out}})
            sent = end
        if done:
            return


_BASELINE: dict[str, guard.TamperSnapshot] = {}  # mutated, never rebound: part of the snapshot


def baseline_snapshot() -> guard.TamperSnapshot:
    """Taken once in the warm server before forking, so each child only compares."""
    if "snapshot" not in _BASELINE:
        _BASELINE["snapshot"] = guard.TamperSnapshot(tamper_targets())
    return _BASELINE["snapshot"]


def prewarm() -> None:
    """Run in the idle spare child before its job arrives: take the copy-on-write page faults
    of the tamper check, seeding and value encoding now, off the learner's critical path."""
    _tamper_changes(baseline_snapshot())
    seed_everything(0)
    values.encode(torch.ones(2, requires_grad=True) * 2)
    values.encode([1.0, None, "x"])


def run_job(
    job: Job, workdir: str, secret_paths: list[str], hook: bool = True, emit: Any = None
) -> RunResult:
    """Run one job in this process and describe what happened (never raises)."""
    out = CappedWriter(job.output_cap)
    err = CappedWriter(max(1024, job.output_cap // 4))
    sys.stdout, sys.stderr = out, err
    os.chdir(workdir)
    tempfile.tempdir = workdir
    snapshot = baseline_snapshot()
    if hook:
        guard.install_audit_hook(workdir, secret_paths)
    result = RunResult(status="ok")
    ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    stop_watching = threading.Event()
    watcher: threading.Thread | None = None
    started = time.perf_counter()
    seed_everything(job.seed)
    stage, filename = "setup", SETUP_FILE
    try:
        if job.setup:
            exec(compile(job.setup, SETUP_FILE, "exec", dont_inherit=True), ns)
        stage, filename = "code", job.code_name
        if job.watch and emit is not None:
            watcher = threading.Thread(
                target=_watcher, args=(ns, job.watch, emit, stop_watching), daemon=True
            )
            watcher.start()
        exec(compile(job.code, job.code_name, "exec", dont_inherit=True), ns)
    except BaseException as exc:  # the learner's code may raise anything, even SystemExit
        result.error = _error(exc, stage, filename)
        result.raised_expected = stage == "code" and _matches(exc, job.raises)
        if _is_memory_error(exc):
            result.status = "memory"
            result.reason = f"ran out of memory (the limit is {job.memory_mb} MiB)"
        elif isinstance(exc, guard.SandboxViolation):
            result.status = "violation"
            result.reason = str(exc)
        else:
            result.status = "raised"
        del exc
    if watcher is not None:
        stop_watching.set()
        watcher.join(1.0)  # its last look sends what came after the previous one
    replaced = _restore_builtins()  # first: everything below uses builtins
    if result.status in ("ok", "raised"):
        tampered = replaced + _tamper_changes(snapshot)  # before checks: self-undoing patches too
        seed_everything(job.seed)
        check_ns = ns if "torch" in ns else {**ns, "torch": torch}
        if result.status == "ok" or result.raised_expected:
            result.values = [_eval_check(expr, check_ns) for expr in job.checks]
        if job.graph_of:
            result.graph = _graph(job.graph_of, check_ns)
        result.repl = [_repl_line(line, check_ns, out, err) for line in job.repl]
        after = _restore_builtins() + _tamper_changes(snapshot)
        result.tampered = sorted(set(tampered) | set(after))
        if result.tampered:
            result.status = "violation"
            result.reason = (
                "the code changed "
                + ", ".join(result.tampered[:3])
                + ": tutor cannot trust checks after torch or builtins are replaced"
            )
    result.duration_s = round(time.perf_counter() - started, 6)
    result.output = out.getvalue()
    result.output_truncated = out.dropped > 0
    result.stderr = err.getvalue()
    return result


def _eval_check(expr: str, ns: dict[str, Any]) -> dict[str, Any]:
    try:
        value = eval(compile(expr, CHECK_FILE, "eval", dont_inherit=True), ns)
        return values.encode(value)
    except BaseException as exc:
        return {"t": "raised", "type": type(exc).__name__, "msg": str(exc)[:500]}


def _graph(expr: str, ns: dict[str, Any]) -> dict[str, Any] | None:
    try:
        target = eval(compile(expr, CHECK_FILE, "eval", dont_inherit=True), ns)
    except BaseException as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    names = {
        id(v): k for k, v in ns.items() if isinstance(v, torch.Tensor) and not k.startswith("_")
    }
    return values.describe_graph(target, names)


def _repl_line(
    line: str, ns: dict[str, Any], out: CappedWriter, err: CappedWriter
) -> dict[str, Any]:
    start, err_start = out.size, err.size
    entry: dict[str, Any] = {"input": line, "value": None, "error": None}
    try:
        try:
            code = compile(line, "<repl>", "eval", dont_inherit=True)
        except SyntaxError:
            exec(compile(line, "<repl>", "exec", dont_inherit=True), ns)
        else:
            value = eval(code, ns)
            if value is not None:
                entry["value"] = values.short_repr(value)
    except BaseException as exc:
        entry["error"] = f"{type(exc).__name__}: {exc}"[:2000]
    entry["output"] = out.getvalue()[start:] + err.getvalue()[err_start:]
    return entry
