"""The zygote: a warm process that only forks run children, so none inherits another's job.

The server forks the zygote right after warm-up, before it reads any job. From then on the
zygote's memory holds no learner's code, no reference solution and no result: a child forked
from it starts with nothing but the warm interpreter, and gets its own job over its own pipe.
Forking here also keeps the server's loop free (a fork of a ~300 MB process takes ~6 ms).

Zygote <-> server messages travel on a SOCK_SEQPACKET pair: the server writes ``b"F"`` (fork
a spare); the zygote answers ``{"spare": pid, "workdir": path}`` with the spare's job pipe,
result pipe and pidfd attached (SCM_RIGHTS), and ``{"exit": pid, "status": wait status}`` when
a child ends (the zygote is its parent, so only it can reap it).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import tempfile
from collections.abc import Callable

ChildMain = Callable[[int, int, str], None]  # (job fd, result fd, workdir) -> never returns


def start(
    base: str, child_main: ChildMain, keep: tuple[int, ...] = ()
) -> tuple[socket.socket, int]:
    """Fork the zygote; returns the server's end of the socket pair and the zygote's pid."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:  # the zygote: never returns
        try:
            ours.close()
            _main(theirs, base, child_main, keep)
        finally:
            os._exit(70)
    theirs.close()
    return ours, pid


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies, so nothing outlives the server."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:
        os._exit(0)


def close_fds_except(keep: set[int]) -> None:
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _main(sock: socket.socket, base: str, child_main: ChildMain, keep: tuple[int, ...]) -> None:
    die_with_parent()
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # the server's protocol stream must never be reachable from here
    os.close(null)
    close_fds_except({0, 1, 2, sock.fileno(), *keep})
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fds = {sock.fileno(), wake_r}

    def fork_child() -> None:
        workdir = tempfile.mkdtemp(dir=base)
        job_r, job_w = os.pipe()
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                for fd in (job_w, result_r, wake_r, wake_w, sock.fileno()):
                    os.close(fd)
                child_main(job_r, result_w, workdir)
            finally:
                os._exit(70)
        os.close(job_r)
        os.close(result_w)
        passed = [job_w, result_r]
        with contextlib.suppress(OSError, AttributeError):
            passed.append(os.pidfd_open(pid))
        try:
            message = json.dumps({"spare": pid, "workdir": workdir}).encode()
            socket.send_fds(sock, [message], passed)
        finally:
            for fd in passed:
                os.close(fd)

    while True:
        try:
            ready, _, _ = select.select(list(fds), [], [])
        except InterruptedError:
            ready = []
        if wake_r in ready:
            with contextlib.suppress(BlockingIOError, InterruptedError):
                os.read(wake_r, 4096)
        if sock.fileno() in ready:
            try:
                request = sock.recv(256)
            except OSError:
                request = b""
            if not request:
                os._exit(0)  # the server is gone
            for _ in range(request.count(b"F")):
                try:
                    fork_child()
                except OSError as exc:
                    with contextlib.suppress(OSError):
                        sock.send(json.dumps({"error": f"cannot start a run: {exc}"}).encode())
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            with contextlib.suppress(OSError):
                sock.send(json.dumps({"exit": pid, "status": status}).encode())
