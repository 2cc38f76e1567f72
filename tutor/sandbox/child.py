"""A sandboxed child process: confine itself, wait for its one job, run it, answer, exit.

Forked from the zygote (Linux) or started as a spawned worker: both end in
:func:`serve_job`. What runs inside is :func:`tutor.sandbox.run.run_job`. Everything a run
relies on is bound once in the server by :func:`warm_up`, before any child exists.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from types import MappingProxyType
from typing import Any

import torch

from tutor.sandbox import checks, guard, run, values
from tutor.sandbox.protocol import RESULT, Job, read_frame, write_child_frame
from tutor.sandbox.run import seed_everything
from tutor.sandbox.tamper import baseline_snapshot

_tamper_changes = guard.TamperSnapshot.changes


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
    checks.SAVED_MODULES = MappingProxyType(dict(sys.modules))  # read-only, like builtins
    baseline_snapshot()  # last: it records all of the above as it now is


def prewarm() -> None:
    """Run in the idle spare child before its job arrives: take the copy-on-write page faults
    of the tamper check, seeding and value encoding now, off the learner's critical path."""
    _tamper_changes(baseline_snapshot())
    seed_everything(0)
    values.encode(torch.ones(2, requires_grad=True) * 2)
    values.encode([1.0, None, "x"])


def child_main(job_r: int, result_w: int, workdir: str, plan: Any, secrets: list[str]) -> None:
    """A forked spare: confine itself, wait for its job, run it, answer, exit."""
    from tutor.sandbox import confine, zygote

    cpu = {"forked": time.process_time()}
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
    cpu["prewarmed"] = time.process_time()
    keep = {0, 1, 2, job_r, result_w, *guard.memory_fds()}
    try:
        notices = confine.apply_landlock(plan, workdir, keep)
    except Exception:
        os._exit(71)  # never run a job half-confined; the server reports the death
    cpu["landlock"] = time.process_time()
    with os.fdopen(job_r, "rb") as stream:
        job = Job(**read_frame(stream))
    received = time.time()
    serve_job(job, workdir, secrets, result_w, baseline, received, notices, plan, cpu)


def serve_job(
    job: Job,
    workdir: str,
    secrets: list[str],
    result_w: int,
    baseline: int | None,
    received: float,
    notices: list[str],
    plan: Any,
    cpu: dict[str, float] | None = None,
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
    if cpu is not None:
        cpu["seccomp"] = time.process_time()
    lock = threading.Lock()

    def emit(kind: int, message: dict[str, Any]) -> None:
        with lock:
            write_child_frame(result_w, kind, message)

    result = run.run_job(job, workdir, secrets, emit=emit)
    data = result.to_json()
    cpu = {**(cpu or {}), "ran": time.process_time()}
    data["timing"] = {"received": received, "done": time.time(), "cpu": cpu}
    emit(RESULT, data)
    os.close(result_w)
    os._exit(0)
