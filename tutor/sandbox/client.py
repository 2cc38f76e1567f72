"""Talk to a warm fork server from the grader or the TUI (which never import torch).

:class:`SandboxServer` owns one server process: started on first need (or ahead of it with
:meth:`start_background`), restarted if it dies, and never allowed to hang a caller: every
reply has a deadline past the job's own time limit. A run whose server died under it is
retried once on a fresh server, so one run's crash never becomes another's verdict.
:class:`SandboxPool` hands out several parallel runs of one server to grading threads.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, BinaryIO

from tutor.sandbox.protocol import (
    FAILURE,
    PROGRESS,
    READY,
    RESULT,
    Damaged,
    Job,
    RunResult,
    decode_untrusted,
    from_untrusted,
    read_reply,
    split_result_payload,
    write_frame,
)

START_TIMEOUT = 120.0  # importing torch on a busy machine can be slow
REPLY_GRACE = 30.0  # extra seconds the server may take past a job's own limit
_KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "VIRTUAL_ENV", "PYTHONHASHSEED")
CONFINE_ENV = "TUTOR_CONFINE"  # auto (default) | require | off


class SandboxError(RuntimeError):
    """The sandbox server could not be started or reached."""


def package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def server_env() -> dict[str, str]:
    """A server's whole environment: no secrets (they travel over its pipe), one thread."""
    env = {k: os.environ[k] for k in _KEEP_ENV if k in os.environ}
    env["PYTHONPATH"] = package_root()
    env["OMP_NUM_THREADS"] = "1"
    env["MKL_NUM_THREADS"] = "1"
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def confine_mode(explicit: str | None = None) -> str:
    mode = (explicit or os.environ.get(CONFINE_ENV) or "auto").strip().lower()
    return mode if mode in ("auto", "require", "off") else "auto"


def decode_result(payload: bytes) -> RunResult:
    """A ``RESULT`` reply: the server's timing, then the child's bytes, which are untrusted."""
    try:
        meta, raw = split_result_payload(payload)
        result = from_untrusted(decode_untrusted(raw))
    except (Damaged, ValueError, TypeError, KeyError) as exc:
        return RunResult(status="violation", reason=f"the run sent back a damaged result ({exc})")
    if isinstance(meta, dict) and isinstance(meta.get("wall_s"), int | float):
        result.duration_s = result.duration_s or float(meta["wall_s"])
    return result


class SandboxServer:
    """One warm server process; thread-safe, and runs from several threads go on at once."""

    backend = "fork"

    def __init__(
        self,
        secrets: list[str] | None = None,
        wrapper: list[str] | None = None,
        python: str = sys.executable,
        confine: str | None = None,
    ) -> None:
        self.secrets = [str(p) for p in (secrets or [])]
        self.wrapper = wrapper or []  # e.g. a bubblewrap command line (--isolate)
        self.python = python
        self.confine = confine_mode(confine)
        self.proc: subprocess.Popen | None = None
        self.info: dict = {}
        self._lock = threading.Lock()  # process life cycle and writes to its stdin
        self._pending: dict[int, Future] = {}
        self._progress: dict[int, Callable[[dict], None]] = {}
        self._spawning: subprocess.Popen | None = None
        self._ids = itertools.count(1)
        self._starting: threading.Thread | None = None
        self._killed = 0  # bumped by kill(): runs it ends are not retried
        self.start_error: str | None = None
        self.restarts = 0

    # -- life cycle ------------------------------------------------------------------------

    def _spawn(self) -> None:
        cmd = [*self.wrapper, self.python, "-m", "tutor.sandbox.server"]
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=server_env(),
                cwd="/",
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the sandbox server: {exc}") from None
        self._spawning = proc  # close() may kill it while torch is still importing
        try:
            assert proc.stdin is not None
            write_frame(
                proc.stdin, {"op": "init", "secrets": self.secrets, "confine": self.confine}
            )
            reply = _read_ready(proc, START_TIMEOUT)
        except (OSError, ValueError):
            reply = None
        finally:
            self._spawning = None
        if reply is None or not reply.get("ready"):
            _terminate(proc)
            why = (reply or {}).get("error") or "it exited or did not answer in time"
            raise SandboxError(f"the sandbox server did not start: {why}")
        self.proc, self.info = proc, reply
        self._pending = {}  # each process has its own waiters: a dying one fails only those
        threading.Thread(target=self._read_replies, args=(proc, self._pending), daemon=True).start()

    def _read_replies(self, proc: subprocess.Popen, pending: dict[int, Future]) -> None:
        """Route each reply to the caller waiting for its id; on EOF, fail every waiter."""
        stream: BinaryIO = proc.stdout  # type: ignore[assignment]
        while True:
            try:
                kind, req_id, payload = read_reply(stream)
            except (EOFError, OSError, ValueError):
                break
            if kind == PROGRESS:
                callback = self._progress.get(req_id)
                if callback is not None:
                    with contextlib.suppress(Exception):  # a display problem never stops a run
                        data = decode_untrusted(payload)
                        if isinstance(data, dict) and isinstance(data.get("progress"), dict):
                            callback(data["progress"])
                continue
            if kind not in (RESULT, FAILURE):
                continue
            future = pending.pop(req_id, None)
            if future is not None and not future.done():
                future.set_result((kind, payload))
        _terminate(proc)
        with self._lock:
            waiting = list(pending.values())
            pending.clear()
        for future in waiting:
            if not future.done():
                future.set_result(None)

    def start(self) -> None:
        """Start the server now (blocking) unless it runs already."""
        with self._lock:
            self._ensure()

    def start_background(self) -> None:
        """Warm the server up in a thread, so the first run does not wait for torch."""

        def target() -> None:
            try:
                self.start()
            except SandboxError as exc:
                self.start_error = str(exc)

        if self._starting is None or not self._starting.is_alive():
            self._starting = threading.Thread(target=target, name="sandbox-start", daemon=True)
            self._starting.start()

    @property
    def ready(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _ensure(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        if self.proc is not None:
            self.restarts += 1
            _terminate(self.proc)
            self.proc = None
        self._spawn()

    def torch_version(self) -> str:
        """The sandbox's torch version (starts the server if needed): part of cache keys."""
        if not self.info:
            try:
                self.start()
            except SandboxError:
                return "unknown"
        return str(self.info.get("torch", "unknown"))

    def describe(self) -> dict[str, Any]:
        """Backend and isolation layers in force (starts the server if needed)."""
        with contextlib.suppress(SandboxError):
            self.start()
        layers = ["audit hook", "rlimits", *self.info.get("layers", [])]
        if self.wrapper:
            layers.append("bubblewrap (--isolate)")
        return {"backend": self.backend, "layers": layers, "missing": self.info.get("missing", [])}

    def close(self) -> None:
        """Stop the server; one still starting is killed at once (quitting never waits)."""
        starting = self._spawning
        if starting is not None:
            _terminate(starting)
        with self._lock:
            proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError, ValueError):
                assert proc.stdin is not None
                write_frame(proc.stdin, {"op": "quit"})
                proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            _terminate(proc)

    def kill(self) -> None:
        """Kill the server at once (cancels every run in flight); it restarts on next use."""
        self._killed += 1
        proc = self.proc
        if proc is not None:
            _terminate(proc)

    # -- runs ------------------------------------------------------------------------------

    def run(self, job: Job, on_progress: Callable[[dict], None] | None = None) -> RunResult:
        """Run one job; a dead or stuck server becomes an ``internal`` result, never a hang.

        If the server dies during the run (not killed on purpose), the job runs once more on
        a fresh server: a crash caused by another run must not decide this one.
        ``on_progress`` gets each batch of new items of ``job.watch`` while the job runs
        (``{"watch", "start", "values"}``), called from the reply-reader thread."""
        killed = self._killed
        result = self._run_once(job, on_progress)
        if result is None and self._killed == killed:
            result = self._run_once(job, on_progress)
        if result is None:
            return RunResult(
                status="internal",
                reason="the sandbox server stopped during the run (it restarts next run)",
            )
        return result

    def _run_once(self, job: Job, on_progress: Callable[[dict], None] | None) -> RunResult | None:
        future: Future = Future()
        with self._lock:
            try:
                self._ensure()
            except SandboxError as exc:
                return RunResult(status="internal", reason=str(exc))
            proc = self.proc
            assert proc is not None and proc.stdin is not None
            req_id = next(self._ids) & 0xFFFFFFFF
            pending = self._pending
            pending[req_id] = future
            if on_progress is not None:
                self._progress[req_id] = on_progress
            try:
                write_frame(proc.stdin, {"op": "run", "id": req_id, "job": job.to_json()})
            except (OSError, ValueError):
                pending.pop(req_id, None)
                _terminate(proc)
                return None
        try:
            reply = future.result(timeout=job.timeout + REPLY_GRACE)
        except FutureTimeout:
            pending.pop(req_id, None)
            _terminate(proc)  # a server that misses its own deadline is stuck: start afresh
            reply = None
        finally:
            self._progress.pop(req_id, None)
        if reply is None:
            return None
        kind, payload = reply
        if kind == RESULT:
            return decode_result(payload)
        try:
            return from_untrusted(decode_untrusted(payload))
        except Damaged:
            return RunResult(status="internal", reason="the sandbox server sent a damaged reply")


def _read_ready(proc: subprocess.Popen, seconds: float) -> dict | None:
    """Read the server's READY frame, or None if it dies or misses the deadline."""
    stream: BinaryIO = proc.stdout  # type: ignore[assignment]
    box: list = []

    def reader() -> None:
        try:
            kind, _, payload = read_reply(stream)
            box.append(decode_untrusted(payload) if kind == READY else None)
        except (EOFError, OSError, ValueError):
            box.append(None)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        _terminate(proc)
        thread.join(5)
        return None
    reply = box[0] if box else None
    return reply if isinstance(reply, dict) else None


class SandboxPool:
    """Up to ``size`` runs at once, all children of ONE warm server (one torch import)."""

    def __init__(self, size: int = 1, **server_kwargs) -> None:
        self.size = max(1, size)
        self.servers = [SandboxServer(**server_kwargs)]
        self._slots = threading.Semaphore(self.size)

    @property
    def server(self) -> SandboxServer:
        return self.servers[0]

    @property
    def ready(self) -> bool:
        return all(s.ready for s in self.servers)

    def start_background(self) -> None:
        self.server.start_background()

    def run(self, job: Job, on_progress: Callable[[dict], None] | None = None) -> RunResult:
        with self._slots:
            return self.server.run(job, on_progress)

    def torch_version(self) -> str:
        return self.server.torch_version()

    def describe(self) -> dict[str, Any]:
        return self.server.describe()

    def kill(self) -> None:
        for server in self.servers:
            server.kill()

    def close(self) -> None:
        for server in self.servers:
            server.close()

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _terminate(proc: subprocess.Popen) -> None:
    """Kill a server and everything it started (its zygote and children share its group)."""
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError, ValueError):
            if stream:
                stream.close()
