"""Talk to warm sandbox servers from the grader or the TUI (which never import torch).

:class:`SandboxServer` owns one server process: started on first need (or ahead of it with
:meth:`start_background`), restarted if it dies, and never allowed to hang a caller: every
reply has a deadline past the job's own time limit. :class:`SandboxPool` hands out several
servers to parallel grading threads.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tutor.sandbox.protocol import Job, RunResult, read_frame, write_frame
from tutor.sandbox.server import SECRETS_ENV

START_TIMEOUT = 120.0  # importing torch on a busy machine can be slow
REPLY_GRACE = 30.0  # extra seconds the server may take past a job's own limit
_KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "VIRTUAL_ENV", "PYTHONHASHSEED")


class SandboxError(RuntimeError):
    """The sandbox server could not be started or reached."""


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


class SandboxServer:
    """One warm server process; thread-safe (runs are serialised)."""

    def __init__(
        self,
        secrets: list[str] | None = None,
        wrapper: list[str] | None = None,
        python: str = sys.executable,
    ) -> None:
        self.secrets = [str(p) for p in (secrets or [])]
        self.wrapper = wrapper or []  # e.g. a bubblewrap command line (--isolate)
        self.python = python
        self.proc: subprocess.Popen | None = None
        self.info: dict = {}
        self._lock = threading.Lock()
        self._starting: threading.Thread | None = None
        self._start_error: str | None = None
        self.restarts = 0

    # -- life cycle ------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: os.environ[k] for k in _KEEP_ENV if k in os.environ}
        env["PYTHONPATH"] = _package_root()
        env[SECRETS_ENV] = os.pathsep.join(self.secrets)
        env["OMP_NUM_THREADS"] = "1"
        env["MKL_NUM_THREADS"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def _spawn(self) -> None:
        cmd = [*self.wrapper, self.python, "-m", "tutor.sandbox.server"]
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self._env(),
                cwd="/",
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the sandbox server: {exc}") from None
        assert proc.stdout is not None
        reply = self._read_with_deadline(proc, START_TIMEOUT)
        if reply is None or not reply.get("ready"):
            _terminate(proc)
            why = (reply or {}).get("error") or "it exited or did not answer in time"
            raise SandboxError(f"the sandbox server did not start: {why}")
        self.proc, self.info = proc, reply

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
                self._start_error = str(exc)

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

    def close(self) -> None:
        with self._lock:
            if self.proc is not None:
                try:
                    assert self.proc.stdin is not None
                    write_frame(self.proc.stdin, {"op": "quit"})
                    self.proc.wait(timeout=5)
                except (OSError, ValueError, subprocess.TimeoutExpired):
                    pass
                _terminate(self.proc)
                self.proc = None

    def kill(self) -> None:
        """Kill the server at once (used to cancel a run in flight); it restarts on next use."""
        proc = self.proc
        if proc is not None:
            _terminate(proc)

    # -- runs ------------------------------------------------------------------------------

    def run(self, job: Job) -> RunResult:
        """Run one job; a dead or stuck server becomes an ``internal`` result, never a hang."""
        with self._lock:
            try:
                self._ensure()
            except SandboxError as exc:
                return RunResult(status="internal", reason=str(exc))
            proc = self.proc
            assert proc is not None and proc.stdin is not None
            try:
                write_frame(proc.stdin, {"op": "run", "job": job.to_json()})
            except (OSError, ValueError):
                _terminate(proc)
                return RunResult(status="internal", reason="the sandbox server stopped; retry")
            reply = self._read_with_deadline(proc, job.timeout + REPLY_GRACE)
            if reply is None or "result" not in reply:
                _terminate(proc)
                return RunResult(
                    status="internal",
                    reason="the sandbox server stopped during the run (it restarts next run)",
                )
            return RunResult.from_json(reply["result"])

    @staticmethod
    def _read_with_deadline(proc: subprocess.Popen, seconds: float) -> dict | None:
        """Read one frame from the server, or None if it dies or misses the deadline."""
        stream: BinaryIO = proc.stdout  # type: ignore[assignment]
        box: list = []

        def reader() -> None:
            try:
                box.append(read_frame(stream))
            except (EOFError, OSError, ValueError):
                box.append(None)

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        thread.join(seconds)
        if thread.is_alive():
            _terminate(proc)
            thread.join(5)
            return None
        return box[0] if box else None


class SandboxPool:
    """``size`` servers for parallel grading; each thread borrows one for a run."""

    def __init__(self, size: int = 1, **server_kwargs) -> None:
        self.servers = [SandboxServer(**server_kwargs) for _ in range(max(1, size))]
        self._free: queue.Queue[SandboxServer] = queue.Queue()
        for server in self.servers:
            self._free.put(server)

    def start_background(self) -> None:
        for server in self.servers:
            server.start_background()

    @contextlib.contextmanager
    def borrow(self) -> Iterator[SandboxServer]:
        server = self._free.get()
        try:
            yield server
        finally:
            self._free.put(server)

    def run(self, job: Job) -> RunResult:
        with self.borrow() as server:
            return server.run(job)

    def torch_version(self) -> str:
        return self.servers[0].torch_version()

    def close(self) -> None:
        for server in self.servers:
            server.close()

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError, ValueError):
            if stream:
                stream.close()
