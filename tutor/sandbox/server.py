"""The warm sandbox server: its own process that imports torch once and forks a child per run.

Run as ``python -m tutor.sandbox.server``. It reads length-prefixed JSON requests on stdin and
answers on the stdout it had at start (its own prints go to stderr). Before any torch op it
sets one thread (forking after the OpenMP pool has run can deadlock the child), then warms up
(a backward, optimizer construction, which imports ``torch._dynamo``), so a forked child pays
none of that. A spare child is forked ahead of each request and waits for its job on a pipe.
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
from dataclasses import dataclass
from typing import Any

SECRETS_ENV = "TUTOR_SANDBOX_SECRETS"  # paths the child may not read, joined with os.pathsep


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


class Server:
    def __init__(self, proto_in, proto_out, secrets: list[str]) -> None:
        self.proto_in = proto_in
        self.proto_out = proto_out
        self.secrets = secrets
        self.base = tempfile.mkdtemp(prefix="tutor-sandbox-")
        self.spare: Spare | None = None

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
        from tutor.sandbox import child
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
        with os.fdopen(job_r, "rb") as stream:
            from tutor.sandbox.protocol import read_frame

            job = Job(**read_frame(stream))
        for key in list(os.environ):
            if key.startswith("TUTOR_") or key == "PYTHONPATH":
                del os.environ[key]
        os.environ.update({"HOME": workdir, "TMPDIR": workdir})
        child.apply_limits(job)
        result = child.run_job(job, workdir, self.secrets)
        write_frame_fd(result_w, result.to_json())
        os.close(result_w)
        os._exit(0)

    def run(self, job: dict[str, Any]) -> tuple[dict[str, Any], Spare | None]:
        """Run a job in the spare child; the second item is a child still to be reaped."""
        from tutor.sandbox.protocol import HEADER, MAX_FRAME, write_frame_fd

        spare = self.spare or self.fork_spare()
        self.spare = None
        started = time.monotonic()
        timeout = float(job.get("timeout", 10.0))
        deadline = started + timeout
        with contextlib.suppress(OSError):  # a child that died early is reported from its status
            write_frame_fd(spare.job_w, job)
        os.close(spare.job_w)
        buf = bytearray()
        want: int | None = None
        timed_out = False
        too_big = False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([spare.result_r], [], [], left)
            if not ready:
                continue
            chunk = os.read(spare.result_r, 1 << 20)
            if not chunk:
                break
            buf += chunk
            if want is None and len(buf) >= HEADER.size:
                (want,) = HEADER.unpack(bytes(buf[: HEADER.size]))
                if want > MAX_FRAME:
                    too_big = True
                    break
            if want is not None and len(buf) >= HEADER.size + want:
                break
        if timed_out or too_big:
            _kill(spare.pid)
        wall = round(time.monotonic() - started, 6)
        complete = want is not None and len(buf) == HEADER.size + want
        if complete and not (timed_out or too_big):
            try:
                result = json.loads(bytes(buf[HEADER.size :]))
            except ValueError:
                result = _failure("violation", "the run sent back a damaged result", wall)
            result["wall_s"] = wall
            return result, spare  # reaped after the reply is sent
        status = self.finish(spare)
        if timed_out:
            return _failure(
                "timeout", f"still running after {timeout:g} s (the time limit)", wall
            ), None
        if too_big:
            return _failure(
                "violation", "the run sent back a result over the size limit", wall
            ), None
        return _failure(*_describe_death(status, len(buf) > 0), wall), None

    @staticmethod
    def finish(spare: Spare) -> int | None:
        """Reap a finished child and remove its folder; returns its wait status."""
        status = _reap(spare.pid)
        os.close(spare.result_r)
        shutil.rmtree(spare.workdir, ignore_errors=True)
        return status

    # -- loop ------------------------------------------------------------------------------

    def serve(self) -> None:
        from tutor.sandbox.protocol import read_frame, write_frame

        self.spare = self.fork_spare()
        while True:
            try:
                request = read_frame(self.proto_in)
            except EOFError:
                break
            op = request.get("op")
            if op == "run":
                reply, unreaped = self.run(request["job"])
                write_frame(self.proto_out, {"id": request.get("id"), "result": reply})
                if unreaped is not None:
                    self.finish(unreaped)
                self.spare = self.fork_spare()
            elif op == "ping":
                write_frame(self.proto_out, {"id": request.get("id"), "pong": True})
            elif op == "quit":
                break
        self.close()

    def close(self) -> None:
        if self.spare:
            _kill(self.spare.pid)
            _reap(self.spare.pid)
            self.spare = None
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
    return "crashed", "the sandboxed process vanished" + (" mid-answer" if partial else "")


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
