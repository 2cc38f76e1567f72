"""The body of one sandboxed run, in a child forked from the zygote (or a spawned worker).

seed -> setup -> code -> reseed -> checks (-> REPL lines, graph), with limits set first and
every value turned into plain data before it leaves the process.

Where untrusted code runs matters as much as what it may do. Setup and code run in a thread
of their own, started from a trampoline whose frame holds nothing of tutor's: the frames that
code can reach by walking ``f_back`` end there, so the run's records, the audit hook's switch
and the result pipe's writer stay out of reach (``sys._current_frames`` and the collector's
object lists are refused while it runs). Each check is evaluated the same way in a fresh
thread, after the main thread has cleared what code could leave behind: threads still
running, trace and profile functions, collector callbacks, timers, patched builtins.
Tensor subclasses are not compared, and torch functions are disabled while a check runs.
"""

from __future__ import annotations

import _thread
import ast
import builtins
import contextlib
import dis
import gc
import io
import os
import random
import signal
import sys
import sysconfig
import tempfile
import threading
import time
import traceback
import types
from typing import Any

import numpy as np
import torch

from tutor.sandbox import guard, values
from tutor.sandbox.protocol import (
    CHECK_FILE,
    CODE_FILE,
    PROGRESS,
    RESULT,
    SETUP_FILE,
    ErrorInfo,
    Job,
    RunResult,
    read_frame,
    write_child_frame,
)

# bound at import, before any learner code: replacing guard's names later changes nothing here
_restore_builtins = guard.restore_builtins
_tamper_changes = guard.TamperSnapshot.changes
_MEMORY_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")
_RAISE_OPS = {dis.opmap["RAISE_VARARGS"], dis.opmap.get("RERAISE", -1)}
_LIBRARY_DIRS = tuple(
    {os.path.realpath(p) for p in (sysconfig.get_paths()[k] for k in ("stdlib", "purelib",
                                                                       "platlib"))}
    | {os.path.dirname(os.path.dirname(os.path.realpath(__file__)))}  # tutor's own package
)  # fmt: skip
_thread_count = _thread._count
_gc_callbacks = gc.callbacks
_disable_torch_function = torch._C.DisableTorchFunction
_ModuleType = types.ModuleType
_SAVED_MODULES: dict[str, Any] = {}  # sys.modules as it was when the server warmed up
_TRAMPOLINES: dict[str, Any] = {}  # tiny functions whose globals hold nothing of tutor's
THREAD_GRACE = 0.5  # s a thread the code started may take to end before the run is refused


class CappedBuffer(io.RawIOBase):
    """The bytes under ``sys.stdout``: keeps the first ``cap``, counts the rest."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.data = bytearray()
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        room = self.cap - len(self.data)
        if room > 0:
            self.data += data[:room]
        self.dropped += max(0, len(data) - max(room, 0))
        return len(data)

    def isatty(self) -> bool:
        return False

    def text(self, start: int = 0) -> str:
        return bytes(self.data[start:]).decode("utf-8", "replace")


def capped_stream(cap: int) -> tuple[io.TextIOWrapper, CappedBuffer]:
    """A real text stream (``.buffer``, ``.encoding``, ``.reconfigure``) over a capped sink,
    so code written for a terminal (``io.TextIOWrapper(sys.stdout.buffer, ...)``) runs."""
    raw = CappedBuffer(cap)
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)
    return stream, raw


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

    Soft and hard are set equal, so the code cannot raise a soft limit up to the hard one."""

    try:
        import resource
    except ImportError:  # Windows: the spawn pool's Job Object limits memory instead
        return

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
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if _library_file(code.co_filename):
        return False
    try:
        return code.co_code[tb.tb_lasti] in _RAISE_OPS
    except IndexError:
        return False


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


def _is_memory_error(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and any(m in str(exc) for m in _MEMORY_MARKERS)
    )


def matches(kind: type, name: str | None) -> bool:
    """Is ``kind`` exactly the exception type ``name`` (``RuntimeError``, or dotted)?"""
    if not name:
        return False
    if "." in name:
        return f"{kind.__module__}.{kind.__qualname__}" == name or (
            kind.__module__ == "builtins" and kind.__qualname__ == name.rsplit(".", 1)[-1]
        )
    return kind.__name__ == name


def tamper_targets() -> dict[str, Any]:
    import torch.nn.functional as F

    from tutor.sandbox import trace

    return {
        "builtins": builtins,
        "torch": torch,
        "torch.Tensor": torch.Tensor,
        "torch.TensorBase": torch._C.TensorBase,
        "torch.nn.Module": torch.nn.Module,
        "torch.nn.functional": F,
        "torch.autograd": torch.autograd,
        "torch.autograd.Function": torch.autograd.Function,
        "torch.optim.Optimizer": torch.optim.Optimizer,
        "numpy": np,
        "torch._C": (
            torch._C,
            ("PyTorchFileWriter", "PyTorchFileReader", "_dispatch_library", "DisableTorchFunction"),
        ),
        "torch._C.PyTorchFileWriter": torch._C.PyTorchFileWriter,
        "torch._C.PyTorchFileReader": torch._C.PyTorchFileReader,
        "torch.UntypedStorage": torch.UntypedStorage,
        "torch.TypedStorage": torch.TypedStorage,
        "torch.library": torch.library,
        "tutor.sandbox.guard": guard,
        "tutor.sandbox.guard.TamperSnapshot": guard.TamperSnapshot,
        "tutor.sandbox.values": values,
        "tutor.sandbox.trace": trace,
        "tutor.sandbox.trace.TraceView": trace.TraceView,
        "tutor.sandbox.trace.Recorder": trace.Recorder,
        "tutor.sandbox.child": sys.modules[__name__],
    }


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


_BASELINE: dict[str, guard.TamperSnapshot] = {}  # mutated, never rebound: part of the snapshot

_TRAMPOLINE_SOURCE = """
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


def _make_trampolines() -> None:
    """Compile the trampolines with globals of their own (``__name__`` under ``tutor.`` so
    the audit hook keeps their defaults and code from being replaced)."""
    scope: dict[str, Any] = {"__builtins__": builtins, "__name__": "tutor.sandbox.trampoline"}
    exec(compile(_TRAMPOLINE_SOURCE, "<tutor>", "exec", dont_inherit=True), scope)
    _TRAMPOLINES.update(
        run_code=scope["run_code"], evaluate=scope["evaluate"], statement=scope["statement"]
    )


def warm_up() -> None:
    """In the server, once, before the zygote is forked: bind everything runs rely on."""
    import dis as _dis  # noqa: F401
    import inspect  # noqa: F401
    import linecache  # noqa: F401
    import math  # noqa: F401
    import statistics  # noqa: F401

    from tutor.sandbox import trace  # noqa: F401

    guard.audit_native_file_access()
    guard.audit_operator_libraries()
    guard.open_memory()
    guard.mark_builtins_clean()
    baseline_snapshot()
    _make_trampolines()
    _SAVED_MODULES.update(sys.modules)


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


# -- the child process --------------------------------------------------------------------


def child_main(job_r: int, result_w: int, workdir: str, plan: Any, secrets: list[str]) -> None:
    """A forked spare: confine itself, wait for its job, run it, answer, exit."""
    from tutor.sandbox import confine, zygote

    zygote.die_with_parent()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    confine.close_fds(plan, {0, 1, 2, job_r, result_w})
    guard.open_memory()  # this process's own memory file (read-only), for the tamper check
    prewarm()
    baseline = data_baseline_bytes()  # /proc reads happen before Landlock closes /proc
    keep = {0, 1, 2, job_r, result_w, *guard.memory_fds()}
    try:
        notices = confine.apply_landlock(plan, workdir, keep)
    except Exception:
        os._exit(71)  # never run a job half-confined; the server reports the death
    with os.fdopen(job_r, "rb") as stream:
        job = Job(**read_frame(stream))
    received = time.time()
    serve_job(job, workdir, secrets, result_w, baseline, received, notices, plan)


def serve_job(
    job: Job,
    workdir: str,
    secrets: list[str],
    result_w: int,
    baseline: int | None,
    received: float,
    notices: list[str],
    plan: Any,
) -> None:
    """Limits, then the seccomp filter, then the run; the answer goes to ``result_w``."""
    from tutor.sandbox import confine

    for key in list(os.environ):
        if key.startswith("TUTOR_") or key == "PYTHONPATH":
            del os.environ[key]
    os.environ.update({"HOME": workdir, "TMPDIR": workdir, "USER": "learner"})
    os.environ.setdefault("LOGNAME", "learner")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # _thread.interrupt_main() does nothing
    apply_limits(job, baseline)
    try:
        notices = notices + confine.apply_seccomp(plan)
    except Exception:
        os._exit(71)
    lock = threading.Lock()

    def emit(kind: int, message: dict[str, Any]) -> None:
        with lock:
            write_child_frame(result_w, kind, message)

    result = run_job(job, workdir, secrets, emit=emit)
    data = result.to_json()
    data["timing"] = {"received": received, "done": time.time()}
    emit(RESULT, data)
    os.close(result_w)
    os._exit(0)


# -- one run ------------------------------------------------------------------------------


def _in_thread(target: Any, *args: Any) -> None:
    thread = threading.Thread(target=target, args=args, name="run", daemon=True)
    thread.start()
    thread.join()


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


def _check_names(checks: list[str]) -> set[str]:
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
            if type(obj) is _ModuleType and _SAVED_MODULES.get(obj.__name__) is obj:
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


def _describe(obj: Any) -> str:
    if type(obj) in (torch.Tensor, torch.nn.Parameter):
        kind = "a leaf tensor" if obj.is_leaf else "a tensor"
        dims = ", ".join(str(d) for d in obj.shape) + ("," if obj.dim() == 1 else "")
        grad = " that requires grad" if obj.requires_grad else ""
        return f"{kind}{grad} of shape ({dims})"
    if obj is None:
        return "None"
    name = type.__dict__["__name__"].__get__(type(obj))
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


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
    shadowed = []
    for name, spec in job.real_names.items():
        mine = ns.get(name, guard._MISSING)
        if spec == "builtin":
            real = guard._SAVED_BUILTINS.get(name, guard._MISSING)
            check_ns.pop(name, None)
        elif spec.startswith("module:"):
            real = _SAVED_MODULES.get(spec[7:], guard._MISSING)
            if real is guard._MISSING:
                continue
            check_ns[name] = real
        elif spec == "setup" and name in setup_objects:
            real = setup_objects[name]
            check_ns[name] = real
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


class _Outcome:
    """What ending the code said about itself, worked out in the code's own thread (reading an
    exception's message can run the code's own ``__str__``: never in the main thread)."""

    def __init__(self, job: Job, files: dict[str, str]) -> None:
        self.job, self.files = job, files

    def __call__(self, exc: BaseException, where: str) -> dict[str, Any]:
        info = _error(exc, where, self.files[where])
        refused = _kernel_refusal(exc, self.files["code"])
        violation = isinstance(exc, guard.SandboxViolation) or bool(refused)
        return {
            "error": info,
            "memory": _is_memory_error(exc),
            "violation": violation,
            "violation_text": refused or (_exact_str(exc) if violation else ""),
            "kernel": bool(refused),
            "expected": where == "code" and matches(type(exc), self.job.raises),
        }


def _kernel_refusal(exc: BaseException, code_file: str) -> str:
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
    return f"the sandbox does not allow that ({_exact_str(exc)})"


def _exact_str(value: Any) -> str:
    """A plain ``str`` copy (a subclass could lie about its length or slices)."""
    try:
        text = str(value)
    except Exception:
        return ""
    return "".join([text]) if isinstance(text, str) else ""


def run_job(
    job: Job, workdir: str, secret_paths: list[str], hook: bool = True, emit: Any = None
) -> RunResult:
    """Run one job in this process and describe what happened (never raises)."""
    out, out_raw = capped_stream(job.output_cap)
    err, err_raw = capped_stream(max(1024, job.output_cap // 4))
    sys.stdout, sys.stderr = out, err
    os.chdir(workdir)
    tempfile.tempdir = workdir
    snapshot = baseline_snapshot()
    flags: list[str] = []
    notes: list[str] = []
    set_stage = guard.install_audit_hook(workdir, secret_paths, flags) if hook else None
    stage = set_stage or (lambda name: None)
    recursion_limit = sys.getrecursionlimit()
    result = RunResult(status="ok")
    files = {
        "code": _source_file(workdir, job.code_name, job.code),
        "setup": _source_file(workdir, SETUP_FILE, job.setup) if job.setup else SETUP_FILE,
    }
    ns: dict[str, Any] = {
        "__name__": "__main__", "__builtins__": builtins, "__file__": files["code"],
    }  # fmt: skip
    tracer = None
    if job.trace:
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
        result.error = _error(exc, where, files[where])
        result.status = "raised"
    threads_before = _thread_count()
    if code is not None:
        setup_done, go, stop_watching = threading.Event(), threading.Event(), threading.Event()
        watcher: threading.Thread | None = None
        stage("learner")
        runner = threading.Thread(
            target=_TRAMPOLINES["run_code"],
            args=(
                setup_code, code, ns, box, setup_done, go, tracer.mode if tracer else None,
                _flush_streams, _Outcome(job, files), torch._C._len_torch_function_stack,
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
        if entry[0] in ("setup", "code") and result.error is None and type(entry[2]) is dict:
            told = entry[2]
            result.error = told["error"]
            if result.status == "ok":
                result.raised_expected = told["expected"] and not result.error.own_raise
                if told["memory"]:
                    result.status = "memory"
                    result.reason = f"ran out of memory (the limit is {job.memory_mb} MiB)"
                elif told["violation"]:
                    result.status = "violation"
                    result.reason = told["violation_text"]
                    if told.get("kernel"):
                        flags.append("kernel-refused")
                else:
                    result.status = "raised"
        elif entry[0] == "mode":
            trace_intact = trace_intact and entry[1] is True
    if tracer is not None:
        trace_intact = trace_intact and tracer.hooks_intact()
        tracer.remove_global_hooks()
        if job.raises and result.status == "ok":  # a torch error the code caught, as shown
            short = job.raises.rsplit(".", 1)[-1]
            result.raised_expected = any(kind == short for kind, _, _ in tracer.rec.errors)
    if result.status in ("ok", "raised"):
        tampered = replaced + _tamper_changes(snapshot)  # before checks: self-undoing patches too
        if tracer is not None and not trace_intact and code is not None:
            tampered.append("tutor's trace of the run")
        seed_everything(job.seed)
        trace_view = None
        if tracer is not None:
            from tutor.sandbox import trace

            trace_view = trace.TraceView(tracer.rec, ns)
        safe_ns = {k: v for k, v in list(ns.items()) if type(k) is str}
        names = _check_names(job.checks) if job.describe_names else set()
        if job.describe_names:
            result.names = describe_names(names, safe_ns, setup_objects)
        check_ns = check_namespace(job, safe_ns, setup_objects, trace_view, flags, notes)
        box.append(check_ns)
        if result.status == "ok" or result.raised_expected:
            result.values = [_eval_check(expr, check_ns, stage) for expr in job.checks]
            if _has_subclass(result.values):
                flags.append("tensor-subclass")
        if job.graph_of:
            result.graph = _graph(job.graph_of, check_ns, stage)
        result.repl = [_repl_line(line, check_ns, out, out_raw, err, err_raw, stage)
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
    sys.stdout, sys.stderr = out, err
    _flush_streams()
    result.output = out_raw.text()
    result.output_truncated = out_raw.dropped > 0
    result.stderr = err_raw.text()
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


def _flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _has_subclass(encoded: list[dict[str, Any]]) -> bool:
    stack = list(encoded)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == values.SUBCLASS:
                return True
            stack.extend(v for v in item.get("items", ()) if isinstance(v, dict))
            stack.extend(p[1] for p in item.get("items", ()) if isinstance(p, list))
    return False


def _eval_check(expr: str, ns: dict[str, Any], stage: Any) -> dict[str, Any]:
    try:
        code = compile(expr, CHECK_FILE, "eval", dont_inherit=True)
    except SyntaxError as exc:
        return {"t": "raised", "type": "SyntaxError", "msg": str(exc)[:500]}
    box: list[Any] = []
    stage("learner")  # a check may call the code's own functions
    try:
        _in_thread(
            _TRAMPOLINES["evaluate"], code, ns, box, values.encode, _disable_torch_function, None
        )
    finally:
        stage("tutor")
        gc.disable()
    if len(box) != 1:
        return {"t": "raised", "type": "SandboxViolation", "msg": "the check was interfered with"}
    entry = box[0]
    if entry[0] == "value" and type(entry[1]) is dict:
        return entry[1]
    if entry[0] == "raised":
        return {"t": "raised", "type": str(entry[1]), "msg": str(entry[2])}
    return {"t": "raised", "type": "SandboxViolation", "msg": "the check was interfered with"}


def _graph(expr: str, ns: dict[str, Any], stage: Any) -> dict[str, Any] | None:
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
        _in_thread(_TRAMPOLINES["evaluate"], code, ns, box, describe, _nothing, None)
    finally:
        stage("tutor")
        gc.disable()
    if len(box) != 1:
        return {"error": "the graph could not be read"}
    if box[0][0] == "raised":
        return {"error": f"{box[0][1]}: {box[0][2]}"}
    return box[0][1] if type(box[0][1]) is dict or box[0][1] is None else None


def _repl_line(
    line: str,
    ns: dict[str, Any],
    out: io.TextIOWrapper,
    out_raw: CappedBuffer,
    err: io.TextIOWrapper,
    err_raw: CappedBuffer,
    stage: Any,
) -> dict[str, Any]:
    sys.stdout, sys.stderr = out, err
    start, err_start = len(out_raw.data), len(err_raw.data)
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
                _in_thread(_TRAMPOLINES["statement"], code, ns, box)
        else:
            _in_thread(_TRAMPOLINES["evaluate"], code, ns, box, values.short_repr, _nothing, None)
    finally:
        stage("tutor")
        gc.disable()
        _restore_builtins()
        sys.stdout, sys.stderr = out, err
        _flush_streams()
    if box:
        kind = box[0][0]
        if kind == "value" and box[0][1] != "None":
            entry["value"] = box[0][1]
        elif kind == "raised" and len(box[0]) == 3:
            entry["error"] = f"{box[0][1]}: {box[0][2]}"[:2000]
        elif kind in ("raised", "raised-syntax"):
            exc = box[0][1]
            entry["error"] = f"{type(exc).__name__}: {exc}"[:2000]
    entry["output"] = out_raw.text(start) + err_raw.text(err_start)
    return entry


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _nothing() -> _Nothing:
    return _Nothing()
