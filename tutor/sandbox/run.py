"""One sandboxed run, in this process: seed -> setup -> code -> reseed -> checks (-> REPL lines,
graph), every value turned into plain data before it leaves.

Where untrusted code runs matters as much as what it may do. Setup and code run in a thread
of their own, started from a trampoline whose frame holds nothing of tutor's: the frames that
code can reach by walking ``f_back`` end there, so the run's records, the audit hook's switch
and the result pipe's writer stay out of reach (``sys._current_frames`` and the collector's
object lists are refused while it runs). Each check is evaluated the same way in a fresh
thread, after the main thread has cleared what code could leave behind: threads still
running, trace and profile functions, collector callbacks, timers, patched builtins.
"""

from __future__ import annotations

import _thread
import builtins
import gc
import os
import random
import signal
import sys
import tempfile
import threading
import time
from typing import Any

import numpy as np
import torch

from tutor.sandbox import checks, guard, leftovers
from tutor.sandbox.errors import (
    describe_error,
    exact_str,
    is_memory_error,
    kernel_refusal,
    matches,
    own_raise,
)
from tutor.sandbox.protocol import CODE_FILE, PROGRESS, SETUP_FILE, ErrorInfo, Job, RunResult
from tutor.sandbox.streams import capped_stream, captured, dropped, flush_streams
from tutor.sandbox.tamper import WALKED, take_snapshot
from tutor.sandbox.trampoline import TRAMPOLINES

# bound at import, before any learner code: replacing guard's names later changes nothing here
_restore_builtins = guard.restore_builtins


_tamper_changes = guard.TamperSnapshot.changes


_thread_count = _thread._count


_gc_callbacks = gc.callbacks


THREAD_GRACE = 0.5  # s a thread the code started may take to end before the run is refused


_cpu_generator = torch._C.default_generator


def seed_everything(seed: int) -> None:
    # the CPU generator directly: torch.manual_seed goes through dynamo wrappers (~2 ms)
    _cpu_generator.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)


_float, _len, _list = float, len, list


WATCH_EVERY = 0.2  # seconds between looks at the watched list


WATCH_MAX = 100_000  # items streamed at most per run


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
            emit(PROGRESS, {"progress": {"watch": name, "start": sent, "values": out}})
            sent = end
        if done:
            return


def _threads_done(expected: int) -> bool:
    """Wait a moment for threads the code started; False if some are still running."""
    end = time.monotonic() + THREAD_GRACE
    while _thread_count() > expected:
        if time.monotonic() > end:
            return False
        time.sleep(0.005)
    return True


def _clear_leftovers(recursion_limit: int) -> None:
    """What code could leave behind to act while checks run, cleared in the main thread."""
    sys.settrace(None)
    sys.setprofile(None)
    threading.settrace(None)  # type: ignore[arg-type]
    threading.setprofile(None)  # type: ignore[arg-type]
    del _gc_callbacks[:]
    if hasattr(signal, "setitimer"):
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            signal.setitimer(timer, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # _thread.interrupt_main() does nothing
    sys.setrecursionlimit(recursion_limit)


class _Outcome:
    """Words for how the code ended, worked out in the code's own thread (reading an
    exception's message can run the code's own ``__str__``: never in the main thread).

    The code's frames can reach this object, so it holds nothing that decides a verdict:
    only the file names. Whether the ending counts as the expected raise is decided in the
    main thread, from the exception object itself (:func:`_real_ending`)."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = tuple(files.items())

    def __call__(self, exc: BaseException, where: str) -> dict[str, Any]:
        files = dict(self.files)
        refused = kernel_refusal(exc, files["code"])
        violation = isinstance(exc, guard.SandboxViolation) or bool(refused)
        return {
            "error": describe_error(exc, where, files[where]),
            "memory": is_memory_error(exc),
            "violation_text": refused or (exact_str(exc) if violation else ""),
            "kernel": bool(refused),
        }


def _real_ending(entry: Any, _run_code: Any, _thread_run: Any = threading.Thread.run) -> bool:
    """Did this exception really end the code? It must have left ``exec`` into the
    trampoline that started the thread (whose caller is ``Thread.run``): the code can add
    entries to the list the trampoline fills, but not make an exception that got there."""
    if type(entry) is not tuple or len(entry) != 3 or entry[0] not in ("setup", "code"):
        return False
    if not issubclass(type(entry[1]), BaseException) or type(entry[2]) is not dict:
        return False
    tb = entry[1].__traceback__
    if tb is None or tb.tb_frame.f_code is not _run_code.__code__:
        return False
    caller = tb.tb_frame.f_back
    return caller is not None and caller.f_code is _thread_run.__code__


def run_job(
    job: Job, workdir: str, secret_paths: list[str], hook: bool = True, emit: Any = None
) -> RunResult:
    """Run one job in this process and describe what happened (never raises)."""
    out, out_raw = capped_stream(job.output_cap)
    err, err_raw = capped_stream(max(1024, job.output_cap // 4))
    sys.stdout, sys.stderr = out, err
    os.chdir(workdir)
    tempfile.tempdir = workdir
    snapshot = take_snapshot()
    flags: list[str] = []
    notes: list[str] = []
    files = {
        "code": _source_file(workdir, job.code_name, job.code),
        "setup": _source_file(workdir, SETUP_FILE, job.setup) if job.setup else SETUP_FILE,
    }
    set_stage = (
        guard.install_audit_hook(workdir, secret_paths, flags, protected_files=[files["setup"]])
        if hook
        else None
    )
    stage = set_stage or (lambda name: None)
    recursion_limit = sys.getrecursionlimit()
    result = RunResult(status="ok")
    ns: dict[str, Any] = {
        "__name__": "__main__", "__builtins__": builtins, "__file__": files["code"],
    }  # fmt: skip
    tracer = None
    if job.trace or job.raises:  # an expected raise must be seen leaving a torch call
        from tutor.sandbox import trace

        tracer = trace.Tracer()
    started = time.perf_counter()
    seed_everything(job.seed)
    box: list[Any] = []  # kept to the end: dropping the code's objects here could run its __del__
    setup_objects: dict[str, Any] = {}
    code = setup_code = None
    try:
        setup_code = (
            compile(job.setup, files["setup"], "exec", dont_inherit=True) if job.setup else None
        )
        code = compile(job.code, files["code"], "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = "setup" if job.setup and setup_code is None else "code"
        result.error = describe_error(exc, where, files[where])
        result.status = "raised"
    threads_before = _thread_count()
    if code is not None:
        setup_done, go, stop_watching = threading.Event(), threading.Event(), threading.Event()
        watcher: threading.Thread | None = None
        stage("learner")
        runner = threading.Thread(
            target=TRAMPOLINES["run_code"],
            args=(
                setup_code, code, ns, box, setup_done, go, tracer.mode if tracer else None,
                flush_streams, _Outcome(files), torch._C._len_torch_function_stack,
                torch._C._get_function_stack_at,
            ),
            name="run",
            daemon=True,
        )  # fmt: skip
        runner.start()
        setup_done.wait()
        setup_objects = {k: v for k, v in list(ns.items()) if type(k) is str}
        if tracer is not None:
            tracer.install_global_hooks()
        if job.watch and emit is not None:
            watcher = threading.Thread(
                target=_watcher, args=(ns, job.watch, emit, stop_watching), daemon=True
            )
            watcher.start()
        go.set()
        runner.join()
        if watcher is not None:
            stop_watching.set()
            watcher.join(1.0)  # its last look sends what came after the previous one
        stage("tutor")
        gc.disable()  # a collection here could run the code's own __del__ in this thread
        if not _threads_done(threads_before):
            result.status = "violation"
            result.reason = "the code left threads running: join them before it ends"
            flags.append("threads")
    sys.stdout, sys.stderr = out, err
    replaced = _restore_builtins()  # first: everything below uses builtins
    _clear_leftovers(recursion_limit)
    trace_intact = True
    for entry in list(box):
        if result.error is None and _real_ending(entry, TRAMPOLINES["run_code"]):
            where, exc, told = entry
            result.error = told["error"] if type(told["error"]) is ErrorInfo else None
            if result.error is None:
                result.error = ErrorInfo(type="Error", message="", where=where)
            result.error.own_raise = own_raise(exc, tracer.rec.torch_raised if tracer else None)
            if result.status == "ok":
                kind = type(exc)
                expected = where == "code" and matches(kind, job.raises)
                result.raised_expected = expected and not result.error.own_raise
                if told.get("memory") is True:
                    result.status = "memory"
                    result.reason = f"ran out of memory (the limit is {job.memory_mb} MiB)"
                elif issubclass(kind, guard.SandboxViolation) or told.get("kernel") is True:
                    result.status = "violation"
                    result.reason = str(told.get("violation_text") or "refused by the sandbox")
                    if told.get("kernel") is True:
                        flags.append("kernel-refused")
                else:
                    result.status = "raised"
        elif type(entry) is tuple and len(entry) == 2 and entry[0] == "mode":
            trace_intact = trace_intact and entry[1] is True
    if tracer is not None:
        trace_intact = trace_intact and tracer.hooks_intact()
        tracer.remove_global_hooks()
        if job.raises and result.status == "ok":  # a torch error the code caught, as shown
            short = job.raises.rsplit(".", 1)[-1]
            result.raised_expected = any(kind == short for kind, _, _ in tracer.rec.errors)
    if result.status in ("ok", "raised"):
        tampered = replaced + _tamper_changes(snapshot)  # before checks: self-undoing patches too
        WALKED[:] = [snapshot.walked]  # (for tests: a clean run compares no namespace)
        if tracer is not None and not trace_intact and code is not None:
            tampered.append("tutor's trace of the run")
        leftovers.clear_global_hooks()  # a module or optimizer hook would run inside checks
        doubts = leftovers.untrusted({k: v for k, v in list(ns.items()) if type(k) is str},
                                     files["code"])  # fmt: skip
        seed_everything(job.seed)
        trace_view = None
        if tracer is not None:
            from tutor.sandbox import trace

            trace_view = trace.TraceView(tracer.rec, ns)
        safe_ns = {k: v for k, v in list(ns.items()) if type(k) is str}
        if job.describe_names:
            names = checks.check_names(job.checks)
            result.names = checks.describe_names(names, safe_ns, setup_objects)
            result.names.update(checks.untouched_setup(names, safe_ns, setup_objects))
        check_ns = checks.check_namespace(job, safe_ns, setup_objects, trace_view, flags, notes)
        box.append(check_ns)
        if doubts:
            result.status = "violation"
            result.reason = "the checks cannot believe what the code left: " + "; ".join(
                phrase for _, phrase in doubts
            )
            flags.extend(flag for flag, _ in doubts)
        elif result.status == "ok" or result.raised_expected:
            result.values = []
            for expr in job.checks:  # each check starts from the seed: one check's draws
                seed_everything(job.seed)  # (or the code's) never shift the next one's
                result.values.append(checks.eval_check(expr, check_ns, stage, threads_before))
            if checks.has_subclass(result.values):
                flags.append("tensor-subclass")
        if job.graph_of:
            result.graph = checks.graph(job.graph_of, check_ns, stage)
        result.repl = [checks.repl_line(line, check_ns, out, out_raw, err, err_raw, stage)
                       for line in job.repl]  # fmt: skip
        if not _threads_done(threads_before):
            result.status = "violation"
            result.reason = "a check left threads running"
            flags.append("threads")
        after = _restore_builtins() + _tamper_changes(snapshot)
        result.tampered = sorted(set(tampered) | set(after))
        if result.tampered:
            flags.append("tamper")
            result.status = "violation"
            result.reason = (
                "the code changed "
                + ", ".join(result.tampered[:3])
                + ": tutor cannot trust checks after torch, builtins or its own records"
                " are replaced"
            )
    result.duration_s = round(time.perf_counter() - started, 6)
    sys.stdout, sys.stderr = out, err  # write-through streams: nothing to flush (and no
    # method of theirs is called here: the code could have replaced one on the buffer)
    result.output = captured(out_raw)
    result.output_truncated = dropped(out_raw)
    result.stderr = captured(err_raw)
    result.flags = sorted(set(flags))
    result.notes = notes
    _KEEP.append(box)  # the code's objects live until the process ends (os._exit)
    return result


_KEEP: list[Any] = []


def _source_file(workdir: str, name: str, text: str) -> str:
    """Write code to a real file in the run folder, so ``inspect``, ``torch.jit.script`` and
    ``__file__`` work as in plain Python; tracebacks still name lines, not this path."""
    stem = {CODE_FILE: "your_code", SETUP_FILE: "setup"}.get(name) or (
        "".join(c if c.isalnum() else "_" for c in name).strip("_") or "code"
    )
    path = os.path.join(workdir, f"{stem}.py")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        return name
    return path
