"""The warm sandbox server (Linux): one process imports torch once, a zygote forks every run.

Run as ``python -m tutor.sandbox.server``. It reads length-prefixed JSON requests on stdin and
answers on the stdout it had at start (its own prints go to stderr). Before any torch op it
sets one thread (forking after the OpenMP pool has run can deadlock a child), then warms up
(a backward, optimizer construction, which imports ``torch._dynamo``). Its first request is
``init`` (the paths runs may not read, whether kernel confinement is required): secrets travel
over this pipe, never through the environment, which every child could read back.

Then it forks the zygote (see ``zygote.py``) and never forks again itself: children come from
a process that never held a job. The server only routes: a job to a waiting spare's pipe, the
child's frames back to the client as the bytes they were (it never parses them, so no run can
crash it with a hostile frame), and a death, a time-out or a refusal as its own verdict.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from tutor.sandbox import confine, zygote
from tutor.sandbox.protocol import (
    CHILD_HEADER,
    FAILURE,
    MAX_FRAME,
    PONG,
    PROGRESS,
    READY,
    RESULT,
    read_frame,
    result_payload,
    write_reply,
)

MAX_PROGRESS_FRAMES = 2000  # per run; more are dropped (they are display only)
SPARES = 2  # children kept forked and pre-warmed, so a run rarely waits for a fork
LINGER = 2.0  # s a child may take to exit after its answer before it is killed
DEATH_WAIT = 1.0  # s to wait for the zygote's word on how a child died
THREAD_LIMIT = 256  # threads a run may have at once (the machine's pids are shared by all)
CENSUS_EVERY = 0.1  # s between counts of the running children's threads


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
    # torch.func registers kernels of its own the first time it transforms: do it here, so a
    # learner's jacrev is not taken for replacing torch's operators (refused in runs)
    for transform in (torch.func.jacrev, torch.func.jacfwd, torch.func.hessian):
        transform(lambda t: t.sin().sum())(torch.ones(2))
    torch.func.vmap(torch.sin)(torch.ones(2, 2))
    torch.func.grad(lambda t: t.sin().sum())(torch.ones(2))
    # torch.compile's first call patches nn.Module.__init__ and the optimizers (dynamo's own
    # bookkeeping): do it now, so a learner's compile is not taken for tampering
    torch._dynamo.eval_frame.TorchPatcher.patch()
    torch._dynamo.mutation_guard.install_generation_tagging_init()
    repr(torch.zeros(3))
    import io

    buffer = io.BytesIO()
    torch.save({"w": torch.ones(1), "model": model.state_dict()}, buffer)
    buffer.seek(0)
    torch.load(buffer)
    tempfile.gettempdir()
    from tutor.sandbox import child

    child.warm_up()
    return {"torch": torch.__version__}


def _freeze() -> None:
    """Keep the collector away from inherited objects: fewer copy-on-write faults per child."""
    import gc

    gc.collect()
    gc.freeze()


@dataclass
class Spare:
    pid: int
    job_w: int  # the server writes the job here
    result_r: int  # and reads the child's frames here
    pidfd: int | None
    workdir: str


@dataclass
class Run:
    """A job handed to a child, waiting for its answer."""

    req_id: int
    spare: Spare
    started: float
    deadline: float
    timeout: float
    memory_mb: int
    buf: bytearray = field(default_factory=bytearray)
    started_at: float = field(default_factory=time.time)
    progress_frames: int = 0
    answer: bytes | None = None  # the child's result frame, sent once its pipe closes

    @property
    def wall(self) -> float:
        return round(time.monotonic() - self.started, 6)


class Server:
    def __init__(
        self, proto_in, out_fd: int, zsock: socket.socket, base: str, zygote_pid: int = 0
    ) -> None:
        self.zygote_pid = zygote_pid
        self.proto_in = proto_in
        self.out_fd = out_fd
        self.zsock = zsock
        self.base = base
        self.spares: collections.deque[Spare] = collections.deque()
        self.requested = 0  # spares asked of the zygote, not yet here
        self.queue: collections.deque[tuple[int, dict[str, Any]]] = collections.deque()
        self.running: dict[int, Run] = {}  # result fd -> run
        self.dying: dict[int, tuple[Run, float, str]] = {}  # pid -> run whose child died
        self.lingering: dict[int, tuple[Spare, float]] = {}  # pid -> answered, not yet gone
        self.exits: dict[int, int] = {}  # pid -> wait status (reported before we asked)
        self.data_base = _vm_data(os.getpid())  # what a fresh child starts with
        self.next_census = 0.0  # when to count the running children's threads next

    # -- the zygote ------------------------------------------------------------------------

    def top_up(self) -> None:
        want = SPARES + len(self.queue) - len(self.spares) - self.requested
        if want > 0:
            with contextlib.suppress(OSError):
                self.zsock.send(b"F" * want)
                self.requested += want

    def from_zygote(self) -> bool:
        """Take the zygote's messages; False when it is gone (nothing can run any more)."""
        try:
            message, fds, _, _ = socket.recv_fds(self.zsock, 4096, 3)
        except OSError:
            return False
        if not message:
            return False
        try:
            data = json.loads(message)
        except ValueError:
            data = {}
        if "spare" in data and len(fds) >= 2:
            self.requested = max(0, self.requested - 1)
            pidfd = fds[2] if len(fds) > 2 else None
            self.spares.append(Spare(data["spare"], fds[0], fds[1], pidfd, data["workdir"]))
            self.dispatch_queued()
        elif "exit" in data:
            for fd in fds:
                os.close(fd)
            self.child_exited(int(data["exit"]), int(data["status"]))
        else:
            for fd in fds:
                os.close(fd)
            self.requested = max(0, self.requested - 1)
        return True

    def child_exited(self, pid: int, status: int) -> None:
        if pid in self.dying:
            run, _, _ = self.dying.pop(pid)
            self.fail(run, *_describe_death(status, bool(run.buf)))
            self.cleanup(run.spare)
        elif pid in self.lingering:
            self.cleanup(self.lingering.pop(pid)[0])
        else:
            for spare in list(self.spares):  # a spare that died before its job
                if spare.pid == pid:
                    self.spares.remove(spare)
                    self.cleanup(spare)
                    return
            self.exits[pid] = status

    # -- runs ------------------------------------------------------------------------------

    def dispatch_queued(self) -> None:
        while self.queue and self.spares:
            req_id, job = self.queue.popleft()
            self.dispatch(req_id, job, self.spares.popleft())

    def dispatch(self, req_id: int, job: dict[str, Any], spare: Spare) -> None:
        from tutor.sandbox.protocol import HEADER

        timeout = float(job.get("timeout", 10.0))
        started = time.monotonic()
        data = json.dumps(job).encode()
        with contextlib.suppress(OSError):  # a child that died early is reported from its status
            _write_all(spare.job_w, HEADER.pack(len(data)) + data)
        _close(spare, "job_w")
        run = Run(req_id, spare, started, started + timeout, timeout, int(job.get("memory_mb", 0)))
        self.running[spare.result_r] = run

    def collect(self, run: Run) -> bool:
        """Read what the child sent; True once the run is over (answered or refused)."""
        try:
            chunk = os.read(run.spare.result_r, 1 << 20)
        except OSError:
            chunk = b""
        if not chunk:
            if run.answer is not None:
                self.answer(run)
            else:
                self.died(run)
            return True
        if run.answer is not None:
            self.refuse(run, "the run sent back more than its result")
            return True
        run.buf += chunk
        while len(run.buf) >= CHILD_HEADER.size:
            size, kind = CHILD_HEADER.unpack(bytes(run.buf[: CHILD_HEADER.size]))
            if size > MAX_FRAME:
                self.refuse(run, "the run sent back a result over the size limit")
                return True
            end = CHILD_HEADER.size + size
            if len(run.buf) < end:
                return False
            body = bytes(run.buf[CHILD_HEADER.size : end])
            del run.buf[:end]
            if kind == PROGRESS:
                run.progress_frames += 1
                if run.progress_frames <= MAX_PROGRESS_FRAMES:
                    self.reply(PROGRESS, run.req_id, body)
                continue
            if kind != RESULT or run.buf:
                self.refuse(run, "the run sent back a damaged result")
                return True
            run.answer = body  # answered once the child closes its end (anything more: refused)
            return False
        return False

    def answer(self, run: Run) -> None:
        meta = {"wall_s": run.wall, "timing": {"dispatched": run.started_at}}
        self.reply(RESULT, run.req_id, result_payload(meta, run.answer or b""))
        self.retire(run.spare)

    def died(self, run: Run) -> None:
        """The child's pipe closed without an answer: say how it died once the zygote knows."""
        _close(run.spare, "result_r")
        status = self.exits.pop(run.spare.pid, None)
        if status is not None:
            self.fail(run, *_describe_death(status, bool(run.buf)))
            self.cleanup(run.spare)
        else:
            self.dying[run.spare.pid] = (run, time.monotonic() + DEATH_WAIT, "")

    def refuse(self, run: Run, reason: str) -> None:
        _kill(run.spare)
        self.fail(run, "violation", reason)
        self.retire(run.spare)

    def expire(self, run: Run) -> None:
        used = _vm_data(run.spare.pid)
        _kill(run.spare)
        if run.memory_mb and used and used - self.data_base > 0.8 * run.memory_mb * 2**20:
            self.fail(
                run,
                "memory",
                f"was still filling memory at the time limit ({run.timeout:g} s): it used "
                f"{(used - self.data_base) / 2**20:.0f} of its {run.memory_mb} MiB",
            )
        else:
            self.fail(run, "timeout", f"still running after {run.timeout:g} s (the time limit)")
        self.retire(run.spare)

    def fail(self, run: Run, status: str, reason: str) -> None:
        data = {"status": status, "reason": reason, "duration_s": run.wall, "wall_s": run.wall}
        self.reply(FAILURE, run.req_id, json.dumps(data).encode())

    def retire(self, spare: Spare) -> None:
        """The run is over: its child should exit now; the zygote's word cleans it up."""
        _close(spare, "result_r")
        if spare.pid in self.exits:
            self.exits.pop(spare.pid)
            self.cleanup(spare)
        else:
            self.lingering[spare.pid] = (spare, time.monotonic() + LINGER)

    def cleanup(self, spare: Spare) -> None:
        for name in ("pidfd", "result_r", "job_w"):
            _close(spare, name)
        shutil.rmtree(spare.workdir, ignore_errors=True)

    # -- loop ------------------------------------------------------------------------------

    def reply(self, kind: int, req_id: int, payload: bytes) -> None:
        with contextlib.suppress(OSError):  # the client is gone: nobody to tell
            write_reply(self.out_fd, kind, req_id, payload)

    def requests(self, inbox: bytearray) -> bool:
        """Handle complete requests in ``inbox``; False when the client said quit."""
        from tutor.sandbox.protocol import HEADER

        while len(inbox) >= HEADER.size:
            (size,) = HEADER.unpack(bytes(inbox[: HEADER.size]))
            if len(inbox) < HEADER.size + size:
                break
            request = json.loads(bytes(inbox[HEADER.size : HEADER.size + size]))
            del inbox[: HEADER.size + size]
            op = request.get("op")
            if op == "run":
                self.queue.append((int(request.get("id", 0)), request["job"]))
                self.dispatch_queued()
            elif op == "ping":
                self.reply(PONG, int(request.get("id", 0)), b"{}")
            elif op == "quit":
                return False
        return True

    def serve(self) -> None:
        """Answer requests; runs go on concurrently, each reply tagged with its request id."""
        in_fd = self.proto_in.fileno()
        inbox = bytearray()
        reading = True
        while reading or self.running or self.queue:
            self.top_up()
            now = time.monotonic()
            waits = [r.deadline - now for r in self.running.values()]
            if self.running:
                waits.append(self.next_census - now)
            waits += [d - now for _, d, _ in self.dying.values()]
            waits += [d - now for _, d in self.lingering.values()]
            timeout = max(0.0, min(waits)) if waits else None
            watched = [self.zsock.fileno(), *self.running]
            if reading:
                watched.append(in_fd)
            ready, _, _ = select.select(watched, [], [], timeout)
            for fd in ready:
                if fd == in_fd:
                    chunk = os.read(in_fd, 1 << 20)
                    if not chunk:
                        reading = False
                        self.queue.clear()
                        for run in self.running.values():
                            _kill(run.spare)  # nobody will read the answer
                        continue
                    inbox += chunk
                    reading = self.requests(inbox)
                elif fd == self.zsock.fileno():
                    if not self.from_zygote():
                        return  # without the zygote no run can start: the client restarts us
                elif fd in self.running and self.collect(self.running[fd]):
                    del self.running[fd]
            now = time.monotonic()
            for fd, run in list(self.running.items()):
                if now >= run.deadline:
                    del self.running[fd]
                    self.expire(run)
            if self.running and now >= self.next_census:
                self.next_census = now + CENSUS_EVERY
                for fd, run in list(self.running.items()):
                    if _threads(run.spare.pid) > THREAD_LIMIT:  # a thread bomb: pids are shared
                        del self.running[fd]
                        _kill(run.spare)
                        self.fail(run, "violation", f"started more than {THREAD_LIMIT} threads")
                        self.retire(run.spare)
            for pid, (run, deadline, _) in list(self.dying.items()):
                if now >= deadline:
                    del self.dying[pid]
                    self.fail(run, *_describe_death(None, bool(run.buf)))
                    self.cleanup(run.spare)
            for pid, (spare, deadline) in list(self.lingering.items()):
                if now >= deadline:
                    _kill(spare)
                    self.lingering[pid] = (spare, now + LINGER)

    def close(self) -> None:
        """Kill every child this server knows of (waiting, running, answered, dying) and the
        zygote, so no run outlives it."""
        children = list(self.spares) + [r.spare for r in self.running.values()]
        children += [spare for spare, _ in self.lingering.values()]
        children += [run.spare for run, _, _ in self.dying.values()]
        for spare in children:
            _kill(spare)
        if self.zygote_pid:
            with contextlib.suppress(OSError):
                os.kill(self.zygote_pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.zsock.close()
        shutil.rmtree(self.base, ignore_errors=True)


def _close(spare: Spare, name: str) -> None:
    """Close one of a spare's fds exactly once (a second close could hit a reused number)."""
    fd = getattr(spare, name)
    if fd is not None and fd >= 0:
        setattr(spare, name, -1)
        with contextlib.suppress(OSError):
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _vm_data(pid: int) -> int:
    """Bytes of data segment in use by a process (what RLIMIT_DATA counts), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _threads(pid: int) -> int:
    """How many threads a process has (0 if it is gone or unreadable)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _kill(spare: Spare) -> None:
    """SIGKILL a child through its pidfd (no pid-reuse race), else by pid."""
    if spare.pidfd is None:  # no pidfds on this kernel
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(spare.pid, signal.SIGKILL)
    elif spare.pidfd >= 0:  # -1: closed, the child is already gone
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(spare.pidfd, signal.SIGKILL)


def _describe_death(status: int | None, partial: bool) -> tuple[str, str]:
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig == signal.SIGXCPU:
            return "timeout", "used up its CPU time limit"
        if sig == signal.SIGKILL:
            return "memory", "was killed (most likely it used too much memory)"
        if sig == signal.SIGSYS:
            return "violation", "made a system call the sandbox does not allow"
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


def main() -> None:
    out_fd = os.dup(1)
    os.set_inheritable(out_fd, False)
    os.dup2(2, 1)  # stray prints (torch warnings) must never reach the protocol stream
    sys.stdout = sys.stderr
    proto_in = os.fdopen(os.dup(0), "rb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c in the terminal is the app's, not ours

    def not_ready(why: str) -> None:
        write_reply(out_fd, READY, 0, json.dumps({"ready": False, "error": why}).encode())
        raise SystemExit(1)

    try:
        info = _warm_up()
    except Exception as exc:
        not_ready(f"{type(exc).__name__}: {exc}")
    try:
        init = read_frame(proto_in)
    except (EOFError, ValueError):
        return
    secrets = [str(p) for p in init.get("secrets", []) if p]
    try:
        plan = confine.plan(secrets, init.get("confine", "auto"))
    except confine.ConfinementUnavailable as exc:
        not_ready(f"kernel confinement was required but is not available: {exc}")
    from tutor.sandbox import child

    base = tempfile.mkdtemp(prefix="tutor-sandbox-")

    def child_main(job_r: int, result_w: int, workdir: str) -> None:
        child.child_main(job_r, result_w, workdir, plan, secrets)

    _freeze()
    zsock, zpid = zygote.start(base, child_main, plan.keep_fds)
    info.update(
        ready=True, pid=os.getpid(), zygote=zpid, backend="fork", layers=plan.layers,
        missing=plan.missing,
    )  # fmt: skip
    write_reply(out_fd, READY, 0, json.dumps(info).encode())
    server = Server(proto_in, out_fd, zsock, base, zpid)
    try:
        server.serve()
    finally:
        server.close()


if __name__ == "__main__":
    main()
