"""The ``spawn`` backend: warm worker processes, each used for exactly one run.

Where ``fork`` is missing (Windows) or unsafe with torch loaded (macOS), a pool keeps workers
started ahead of time (each imports torch once, warms up and waits for its job), hands each
exactly one job, and starts its replacement in the background. Runs never share a process,
as with the fork server; a check at a learner's pace finds a worker waiting (tens of ms),
while a class graded back to back pays a fresh interpreter per run.

Limits per platform: wall time everywhere (the pool kills a late worker); memory and CPU
with rlimits where ``resource`` exists (the worker sets them itself), and on Windows a Job
Object from ``pywin32`` when it is installed; the audit hook everywhere; Landlock and seccomp
where the kernel has them (Linux, when the backend is forced).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any, BinaryIO

from tutor.sandbox.client import (
    REPLY_GRACE,
    START_TIMEOUT,
    SandboxError,
    confine_mode,
    server_env,
)
from tutor.sandbox.protocol import (
    CHILD_HEADER,
    MAX_FRAME,
    PROGRESS,
    READY,
    RESULT,
    Damaged,
    Job,
    RunResult,
    decode_untrusted,
    from_untrusted,
    write_frame,
)

POSIX = os.name == "posix"


class Worker:
    """One warm worker process and its run folder."""

    def __init__(self, proc: subprocess.Popen, workdir: str, job_object: Any = None) -> None:
        self.proc = proc
        self.workdir = workdir
        self.job_object = job_object  # Windows: keeps the memory limit alive
        self.info: dict[str, Any] = {}

    def read_frame(self) -> tuple[int, bytes]:
        stream: BinaryIO = self.proc.stdout  # type: ignore[assignment]
        head = _read_exact(stream, CHILD_HEADER.size)
        size, kind = CHILD_HEADER.unpack(head)
        if size > MAX_FRAME:
            raise Damaged("a frame over the size limit")
        return kind, _read_exact(stream, size)

    def kill(self) -> None:
        if self.proc.poll() is None:
            if POSIX:
                with contextlib.suppress(OSError):
                    os.killpg(self.proc.pid, 9)
            with contextlib.suppress(OSError):
                self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                if stream:
                    stream.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("worker closed its output")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _windows_job_object(proc: subprocess.Popen, memory_mb: int) -> Any:
    """A Job Object that caps the worker's memory (pywin32's ``win32job``), or None."""
    try:
        import win32api  # type: ignore[import-not-found]
        import win32con  # type: ignore[import-not-found]
        import win32job  # type: ignore[import-not-found]
    except ImportError:
        return None
    job = win32job.CreateJobObject(None, "")
    info = win32job.QueryInformationJobObject(job, win32job.JobObjectExtendedLimitInformation)
    info["ProcessMemoryLimit"] = (memory_mb + 1024) * 1024 * 1024  # + the warm interpreter
    info["BasicLimitInformation"]["LimitFlags"] |= (
        win32job.JOB_OBJECT_LIMIT_PROCESS_MEMORY | win32job.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    )
    win32job.SetInformationJobObject(job, win32job.JobObjectExtendedLimitInformation, info)
    handle = win32api.OpenProcess(win32con.PROCESS_ALL_ACCESS, False, proc.pid)
    win32job.AssignProcessToJobObject(job, handle)
    return job


class SpawnPool:
    """Up to ``size`` runs at once, each in a worker of its own, ``size + 2`` kept warm."""

    backend = "spawn"

    def __init__(
        self,
        size: int = 1,
        secrets: list[str] | None = None,
        wrapper: list[str] | None = None,
        python: str = sys.executable,
        confine: str | None = None,
        memory_mb: int = 2048,
        warm: int | None = None,
    ) -> None:
        self.size = max(1, size)
        self.secrets = [str(p) for p in (secrets or [])]
        self.wrapper = wrapper or []
        self.python = python
        self.confine = confine_mode(confine)
        self.memory_mb = memory_mb
        # a check runs one job per seed, back to back: keep that many waiting (3 seeds + 1)
        self.warm_target = warm if warm is not None else self.size + 2
        self._slots = threading.Semaphore(self.size)
        self._lock = threading.Condition()
        self._warm: list[Worker] = []
        self._starting = 0
        self._running: set[Worker] = set()
        self._closed = False
        self._killed = 0
        self.info: dict[str, Any] = {}
        self.start_error: str | None = None
        self.started = 0  # workers started in all (for tests and benchmarks)

    # -- workers ---------------------------------------------------------------------------

    def _spawn_one(self) -> None:
        """Start one worker and wait for its READY (runs in a background thread)."""
        workdir = tempfile.mkdtemp(prefix="tutor-run-")
        worker = None
        try:
            kwargs: dict[str, Any] = {}
            if POSIX:
                kwargs["start_new_session"] = True
            else:
                kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            proc = subprocess.Popen(
                [*self.wrapper, self.python, "-m", "tutor.sandbox.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=server_env(),
                cwd=workdir,
                close_fds=True,
                **kwargs,
            )
            worker = Worker(proc, workdir, None if POSIX else _windows_job_object(proc, 4096))
            assert proc.stdin is not None
            write_frame(
                proc.stdin,
                {
                    "op": "init",
                    "secrets": self.secrets,
                    "confine": self.confine,
                    "workdir": workdir,
                },
            )
            kind, payload = _with_deadline(worker, START_TIMEOUT)
            info = decode_untrusted(payload) if kind == READY else None
            if not isinstance(info, dict) or not info.get("ready"):
                why = (info or {}).get("error") if isinstance(info, dict) else None
                raise SandboxError(f"a sandbox worker did not start: {why or 'no answer'}")
            worker.info = info
        except (OSError, EOFError, Damaged, SandboxError, ValueError) as exc:
            if worker is not None:
                worker.kill()
            else:
                shutil.rmtree(workdir, ignore_errors=True)
            with self._lock:
                self._starting -= 1
                self.start_error = str(exc)
                self._lock.notify_all()
            return
        with self._lock:
            self._starting -= 1
            self.started += 1
            self.info = worker.info
            self.start_error = None
            if self._closed:
                worker.kill()
            else:
                self._warm.append(worker)
            self._lock.notify_all()

    def _top_up(self) -> None:
        with self._lock:
            missing = self.warm_target - len(self._warm) - self._starting
            if self._closed or missing <= 0:
                return
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._spawn_one, name="sandbox-worker", daemon=True).start()

    def _take(self, deadline: float) -> Worker | None:
        self._top_up()
        with self._lock:
            while not self._warm:
                if self._closed or time.monotonic() > deadline:
                    return None
                if not self._starting:
                    self._lock.release()
                    try:
                        self._top_up()
                    finally:
                        self._lock.acquire()
                self._lock.wait(0.2)
            worker = self._warm.pop(0)
            self._running.add(worker)
        self._top_up()  # its replacement starts while this one runs
        return worker

    # -- the Sandbox interface -------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return bool(self._warm)

    def start_background(self) -> None:
        self._top_up()

    def start(self) -> None:
        """Block until a worker is warm (or starting one failed)."""
        self._top_up()
        end = time.monotonic() + START_TIMEOUT
        with self._lock:
            while not self._warm and time.monotonic() < end:
                if self.start_error and not self._starting:
                    raise SandboxError(self.start_error)
                self._lock.wait(0.2)

    def torch_version(self) -> str:
        if not self.info:
            with contextlib.suppress(SandboxError):
                self.start()
        return str(self.info.get("torch", "unknown"))

    def describe(self) -> dict[str, Any]:
        with contextlib.suppress(SandboxError):
            self.start()
        layers = ["audit hook", *self.info.get("layers", [])]
        missing = list(self.info.get("missing", []))
        if POSIX:
            layers.append("rlimits")
        elif _has_pywin32():
            layers.append("Job Object memory limit")
        else:
            missing.append("no memory limit: install pywin32 for a Job Object")
        return {"backend": self.backend, "layers": layers, "missing": missing}

    def run(self, job: Job, on_progress: Callable[[dict], None] | None = None) -> RunResult:
        with self._slots:
            killed = self._killed
            result = self._run_once(job, on_progress)
            if result is None and self._killed == killed and not self._closed:
                result = self._run_once(job, on_progress)  # the worker died on its own: retry
            if result is None:
                return RunResult(status="internal", reason="the sandbox worker stopped")
            return result

    def _run_once(self, job: Job, on_progress: Callable[[dict], None] | None) -> RunResult | None:
        worker = self._take(time.monotonic() + START_TIMEOUT)
        if worker is None:
            why = self.start_error or "no sandbox worker could be started"
            return RunResult(status="internal", reason=why)
        started = time.monotonic()
        box: list[Any] = []
        try:
            assert worker.proc.stdin is not None
            write_frame(worker.proc.stdin, {**job.to_json()})
        except (OSError, ValueError):
            self._retire(worker)
            return None

        def read() -> None:
            try:
                while True:
                    kind, payload = worker.read_frame()
                    if kind == PROGRESS and on_progress is not None:
                        with contextlib.suppress(Exception):
                            data = decode_untrusted(payload)
                            if isinstance(data, dict) and isinstance(data.get("progress"), dict):
                                on_progress(data["progress"])
                    elif kind == RESULT:
                        # the answer counts once the worker's output ends: a frame the code
                        # forged first would be followed by the real one
                        stream: BinaryIO = worker.proc.stdout  # type: ignore[assignment]
                        if stream.read(1):
                            box.append(Damaged("the run sent back more than its result"))
                        else:
                            box.append(payload)
                        return
                    elif kind != PROGRESS:
                        box.append(Damaged("a frame of an unknown kind"))
                        return
            except Damaged as exc:
                box.append(exc)
            except (EOFError, OSError, ValueError):
                return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(job.timeout + 1.0)
        wall = round(time.monotonic() - started, 6)
        if reader.is_alive():
            worker.kill()
            reader.join(REPLY_GRACE)
            self._retire(worker)
            return RunResult(
                status="timeout",
                reason=f"still running after {job.timeout:g} s (the time limit)",
                duration_s=wall,
            )
        if not box:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.proc.wait(timeout=2)
            code = worker.proc.returncode
            self._retire(worker)
            if code is None or self._killed or self._closed:
                return None if code is None else RunResult(status="internal", reason="cancelled")
            return _death(code, wall)
        self._retire(worker)
        if isinstance(box[0], Damaged):
            return RunResult(
                status="violation",
                reason=f"the run sent back a result over the size limit or damaged ({box[0]})",
                duration_s=wall,
            )
        try:
            result = from_untrusted(decode_untrusted(box[0]))
        except Damaged as exc:
            return RunResult(
                status="violation", reason=f"the run sent back a damaged result ({exc})"
            )
        result.duration_s = result.duration_s or wall
        return result

    def _retire(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._running.discard(worker)

    def kill(self) -> None:
        """Cancel every run in flight (their workers die; warm ones stay)."""
        self._killed += 1
        with self._lock:
            running = list(self._running)
        for worker in running:
            worker.kill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = self._warm + list(self._running)
            self._warm = []
        for worker in workers:
            worker.kill()

    def __enter__(self) -> SpawnPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def servers(self) -> list:
        return []


def _with_deadline(worker: Worker, seconds: float) -> tuple[int, bytes]:
    box: list[Any] = []

    def reader() -> None:
        try:
            box.append(worker.read_frame())
        except (EOFError, OSError, ValueError, Damaged) as exc:
            box.append(exc)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive() or not box or isinstance(box[0], BaseException):
        raise SandboxError(
            "the worker did not answer in time"
            if thread.is_alive()
            else f"the worker stopped while starting ({box[0] if box else 'no answer'})"
        )
    return box[0]


def _death(returncode: int, wall: float) -> RunResult:
    if returncode < 0:
        sig = -returncode
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == 9:
            return RunResult(status="memory", reason="was killed (most likely it used too much "
                             "memory)", duration_s=wall)  # fmt: skip
        if sig == 24:  # SIGXCPU
            return RunResult(status="timeout", reason="used up its CPU time limit", duration_s=wall)
        if sig == 31:  # SIGSYS
            return RunResult(status="violation", reason="made a system call the sandbox does "
                             "not allow", duration_s=wall)  # fmt: skip
        return RunResult(status="crashed", reason=f"crashed with {name} (the process "
                         "died; e.g. bad native memory access)", duration_s=wall)  # fmt: skip
    return RunResult(
        status="crashed",
        reason=f"ended the process itself (exit status {returncode}, e.g. os._exit) before "
        "finishing",
        duration_s=wall,
    )


def _has_pywin32() -> bool:
    try:
        import win32job  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True
