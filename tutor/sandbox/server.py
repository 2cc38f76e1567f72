"""The warm sandbox server: its own process that imports torch once and forks a child per run.

Run as ``python -m tutor.sandbox.server``. It reads length-prefixed JSON requests on stdin and
answers on the stdout it had at start (its own prints go to stderr). Before any torch op it
sets one thread (forking after the OpenMP pool has run can deadlock the child), then warms up
(a backward, optimizer construction, which imports ``torch._dynamo``), so a forked child pays
none of that. Spare children are forked ahead of requests and wait for their job on a pipe.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from tutor.sandbox.protocol import SECRETS_ENV

MAX_PROGRESS_FRAMES = 2000  # per run; more are dropped (they are display only)
SPARES = 2  # children kept forked and pre-warmed, so a run rarely waits for a fork
IDLE_PAUSE = 0.02  # s without requests before topping spares up (a fork blocks this loop)


def _warm_up() -> dict[str, Any]:
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    w = torch.tensor([1.0], requires_grad=True)
    ((w + 2) * (w + 1)).sum().backward()
    model = torch.nn.Linear(2, 1)
    for opt_cls in (torch.optim.SGD, torch.optim.Adam):
        opt = opt_cls(model.parameters(), lr=0.1)
        model(torch.ones(3, 2)).pow(2).mean().backward()
        opt.step()
        opt.zero_grad()
    torch.nn.functional.binary_cross_entropy(torch.sigmoid(torch.zeros(2)), torch.ones(2))
    torch.nn.functional.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1]))
    from torch.utils.data import DataLoader, TensorDataset

    list(DataLoader(TensorDataset(torch.zeros(4, 1)), batch_size=2, shuffle=True))
    torch.autograd.grad((w * w).sum(), w, create_graph=True)
    repr(torch.zeros(3))
    import io

    buffer = io.BytesIO()
    torch.save({"w": torch.ones(1), "model": model.state_dict()}, buffer)
    buffer.seek(0)
    torch.load(buffer)
    tempfile.gettempdir()
    from tutor.sandbox import child, guard  # binds the encoder before any learner code

    guard.audit_native_file_access()
    guard.open_memory()
    guard.mark_builtins_clean()
    child.baseline_snapshot()
    import gc

    gc.collect()
    gc.freeze()  # keep the collector away from inherited objects: fewer copy-on-write faults

    return {"torch": torch.__version__}


@dataclass
class Spare:
    pid: int
    job_w: int  # server writes the job here
    result_r: int  # server reads the result here
    workdir: str


@dataclass
class Run:
    """A job handed to a child, waiting for its answer."""

    req_id: Any
    spare: Spare
    started: float
    deadline: float
    timeout: float
    buf: bytearray = field(default_factory=bytearray)
    started_at: float = field(default_factory=time.time)
    progress_frames: int = 0

    @property
    def wall(self) -> float:
        return round(time.monotonic() - self.started, 6)


def _frames(inbox: bytearray) -> list[dict[str, Any]]:
    """Complete frames at the front of ``inbox`` (removed from it)."""
    from tutor.sandbox.protocol import HEADER

    out = []
    while len(inbox) >= HEADER.size:
        (size,) = HEADER.unpack(bytes(inbox[: HEADER.size]))
        if len(inbox) < HEADER.size + size:
            break
        out.append(json.loads(bytes(inbox[HEADER.size : HEADER.size + size])))
        del inbox[: HEADER.size + size]
    return out


class Server:
    def __init__(self, proto_in, proto_out, secrets: list[str]) -> None:
        self.proto_in = proto_in
        self.proto_out = proto_out
        self.secrets = secrets
        self.base = tempfile.mkdtemp(prefix="tutor-sandbox-")
        self.spares: list[Spare] = []  # forked, pre-warmed, waiting for a job
        self.zombies: list[tuple[Spare, float]] = []

    # -- children --------------------------------------------------------------------------

    def fork_spare(self) -> Spare:
        workdir = tempfile.mkdtemp(dir=self.base)
        job_r, job_w = os.pipe()
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never returns
            try:
                os.close(job_w)
                os.close(result_r)
                self._child_main(job_r, result_w, workdir)
            finally:
                os._exit(70)
        os.close(job_r)
        os.close(result_w)
        return Spare(pid, job_w, result_r, workdir)

    def _child_main(self, job_r: int, result_w: int, workdir: str) -> None:
        from tutor.sandbox import child, guard
        from tutor.sandbox.protocol import Job, write_frame_fd

        _die_with_parent()
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        keep = {0, 1, 2, job_r, result_w}
        try:
            fds = [int(n) for n in os.listdir("/proc/self/fd")]
        except OSError:
            fds = list(range(3, 256))
        for fd in fds:
            if fd not in keep:
                with contextlib.suppress(OSError):
                    os.close(fd)
        guard.open_memory()  # this process's own memory file, for the tamper check
        child.prewarm()
        baseline = child.data_baseline_bytes()
        with os.fdopen(job_r, "rb") as stream:
            from tutor.sandbox.protocol import read_frame

            job = Job(**read_frame(stream))
        received = time.time()
        for key in list(os.environ):
            if key.startswith("TUTOR_") or key == "PYTHONPATH":
                del os.environ[key]
        os.environ.update({"HOME": workdir, "TMPDIR": workdir})
        child.apply_limits(job, baseline)
        import threading

        lock = threading.Lock()

        def emit(message: dict[str, Any]) -> None:
            with lock:
                write_frame_fd(result_w, message)

        result = child.run_job(job, workdir, self.secrets, emit=emit)
        data = result.to_json()
        data["timing"] = {"received": received, "done": time.time()}
        emit(data)
        os.close(result_w)
        os._exit(0)

    # -- runs ------------------------------------------------------------------------------

    def dispatch(self, req_id: Any, job: dict[str, Any]) -> Run:
        """Hand a job to a spare child (forking one if none is ready).

        If that was the last spare, the next is forked now: the fork (a few ms copying page
        tables) then overlaps this run on the other core instead of delaying the next request.
        """
        from tutor.sandbox.protocol import write_frame_fd

        spare = self.spares.pop(0) if self.spares else self.fork_spare()
        timeout = float(job.get("timeout", 10.0))
        started = time.monotonic()
        with contextlib.suppress(OSError):  # a child that died early is reported from its status
            write_frame_fd(spare.job_w, job)
        os.close(spare.job_w)
        run = Run(req_id, spare, started, started + timeout, timeout)
        if not self.spares:  # none left for the next request: fork while this one runs
            self.spares.append(self.fork_spare())
        return run

    def collect(self, run: Run) -> dict[str, Any] | None:
        """Read what the child sent: forward progress frames, return the final result (or the
        reason there is none) once it is complete or the child is gone."""
        from tutor.sandbox.protocol import HEADER, MAX_FRAME

        chunk = os.read(run.spare.result_r, 1 << 20)
        if not chunk:
            status = self.finish(run.spare)
            return _failure(*_describe_death(status, len(run.buf) > 0), run.wall)
        run.buf += chunk
        while len(run.buf) >= HEADER.size:
            (size,) = HEADER.unpack(bytes(run.buf[: HEADER.size]))
            if size > MAX_FRAME:
                return self._refuse(run, "the run sent back a result over the size limit")
            if len(run.buf) < HEADER.size + size:
                return None
            try:
                frame = json.loads(bytes(run.buf[HEADER.size : HEADER.size + size]))
            except ValueError:
                return self._refuse(run, "the run sent back a damaged result")
            del run.buf[: HEADER.size + size]
            if not isinstance(frame, dict):
                return self._refuse(run, "the run sent back a damaged result")
            if "progress" in frame and "status" not in frame:
                run.progress_frames += 1
                if run.progress_frames <= MAX_PROGRESS_FRAMES:
                    self.reply({"id": run.req_id, "progress": frame["progress"]})
                continue
            if run.buf:
                return self._refuse(run, "the run sent back more than its result")
            frame["wall_s"] = run.wall
            frame.setdefault("timing", {})["dispatched"] = run.started_at
            self.zombies.append((run.spare, time.monotonic() + 2.0))  # reaped after replying
            return frame
        return None

    def _refuse(self, run: Run, reason: str) -> dict[str, Any]:
        _kill(run.spare.pid)
        self.finish(run.spare)
        return _failure("violation", reason, run.wall)

    def expire(self, run: Run) -> dict[str, Any]:
        _kill(run.spare.pid)
        self.finish(run.spare)
        return _failure(
            "timeout", f"still running after {run.timeout:g} s (the time limit)", run.wall
        )

    @staticmethod
    def finish(spare: Spare) -> int | None:
        """Reap a child and remove its folder; returns its wait status."""
        status = _reap(spare.pid)
        with contextlib.suppress(OSError):
            os.close(spare.result_r)
        shutil.rmtree(spare.workdir, ignore_errors=True)
        return status

    def reap_zombies(self) -> None:
        """Children that answered: reap the ones that exited, kill the ones that linger."""
        waiting = []
        for spare, deadline in self.zombies:
            try:
                done, _ = os.waitpid(spare.pid, os.WNOHANG)
            except ChildProcessError:
                done = spare.pid
            if done or time.monotonic() > deadline:
                if not done:
                    _kill(spare.pid)
                self.finish(spare)
            else:
                waiting.append((spare, deadline))
        self.zombies = waiting

    # -- loop ------------------------------------------------------------------------------

    def reply(self, message: dict[str, Any]) -> None:
        from tutor.sandbox.protocol import write_frame

        with contextlib.suppress(OSError, ValueError):  # the client is gone: nobody to tell
            write_frame(self.proto_out, message)

    def serve(self) -> None:
        """Answer requests; runs go on concurrently, each reply tagged with its request id."""
        in_fd = self.proto_in.fileno()
        inbox = bytearray()
        running: dict[int, Run] = {}  # result fd -> run
        reading = True
        self.spares.append(self.fork_spare())
        busy_until = 0.0  # the last request or reply, plus a pause in which more may come
        while reading or running:
            now = time.monotonic()
            waits = [r.deadline - now for r in running.values()]
            if self.zombies:
                waits.append(0.005)
            if len(self.spares) < SPARES and reading and not running:
                waits.append(busy_until - now)  # idle: make a spare (below) before sleeping
            timeout = max(0.0, min(waits)) if waits else None
            watched = ([in_fd] if reading else []) + list(running)
            ready, _, _ = select.select(watched, [], [], timeout)
            for fd in ready:
                if fd == in_fd:
                    chunk = os.read(in_fd, 1 << 20)
                    if not chunk:
                        reading = False
                        for run in running.values():
                            _kill(run.spare.pid)  # nobody will read the answer
                        continue
                    inbox += chunk
                    for request in _frames(inbox):
                        op = request.get("op")
                        if op == "run":
                            run = self.dispatch(request.get("id"), request["job"])
                            running[run.spare.result_r] = run
                        elif op == "ping":
                            self.reply({"id": request.get("id"), "pong": True})
                        elif op == "quit":
                            reading = False
                    continue
                run = running[fd]
                reply = self.collect(run)
                if reply is not None:
                    del running[fd]
                    self.reply({"id": run.req_id, "result": reply})
            now = time.monotonic()
            if ready:
                busy_until = now + IDLE_PAUSE
            for fd, run in list(running.items()):
                if now >= run.deadline:
                    del running[fd]
                    self.reply({"id": run.req_id, "result": self.expire(run)})
            self.reap_zombies()
            if len(self.spares) < SPARES and reading and not running and now >= busy_until:
                self.spares.append(self.fork_spare())  # topped up while idle
        self.close()

    def close(self) -> None:
        for spare, _ in self.zombies:
            _kill(spare.pid)
            self.finish(spare)
        self.zombies = []
        for spare in self.spares:
            _kill(spare.pid)
            _reap(spare.pid)
        self.spares = []
        shutil.rmtree(self.base, ignore_errors=True)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this child if the server dies, so no run outlives it."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:
        os._exit(0)


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            target()


def _reap(pid: int, grace: float = 2.0) -> int | None:
    """Wait for the child; kill it if it lingers after answering."""
    end = time.monotonic() + grace
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return status
        if time.monotonic() > end:
            _kill(pid)
            try:
                return os.waitpid(pid, 0)[1]
            except ChildProcessError:
                return None
        time.sleep(0.0005)


def _describe_death(status: int | None, partial: bool) -> tuple[str, str]:
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig == signal.SIGXCPU:
            return "timeout", "used up its CPU time limit"
        if sig == signal.SIGKILL:
            return "memory", "was killed (most likely it used too much memory)"
        return "crashed", f"crashed with {name} (the process died; e.g. bad native memory access)"
    if status is not None and os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
        return (
            "crashed",
            f"ended the process itself (exit status {code}, e.g. os._exit) before finishing",
        )
    return "crashed", "stopped unexpectedly (the sandboxed process vanished" + (
        " mid-answer)" if partial else ")"
    )


def _failure(status: str, reason: str, wall: float) -> dict[str, Any]:
    return {"status": status, "reason": reason, "duration_s": wall, "wall_s": wall}


def main() -> None:
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints (torch warnings) must never reach the protocol stream
    sys.stdout = sys.stderr
    proto_in = os.fdopen(os.dup(0), "rb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c in the terminal is the app's, not ours
    from tutor.sandbox.protocol import write_frame

    secrets = [p for p in os.environ.get(SECRETS_ENV, "").split(os.pathsep) if p]
    try:
        info = _warm_up()
    except Exception as exc:
        write_frame(proto_out, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        raise SystemExit(1) from None
    write_frame(proto_out, {"ready": True, "pid": os.getpid(), **info})
    server = Server(proto_in, proto_out, secrets)
    try:
        server.serve()
    finally:
        server.close()


if __name__ == "__main__":
    main()
