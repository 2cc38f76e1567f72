"""Confined-child probes for ``test_kernel.py``: run as a script, prints JSON results.

    python tests/core/kernel_probe.py '{"mode": "both", "probes": ["read_secret_open"]}'
    python tests/core/kernel_probe.py '{"runs": {"a": {"mode": "landlock"}, "b": {}}}'

The process imports torch and warms up like the sandbox server (one thread, a backward),
lays out a temp tree (a run folder, and a secret folder *inside* an allowed root), prepares
confinement once, then forks one child per probe: the child closes unrelated fds, lowers
its file-count limit, confines itself (``mode``: ``both``, ``landlock``, ``seccomp`` or
``none``), runs the probe and sends its result back over a pipe. A probe that kills its
child (or hangs) is reported by its wait status.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # libgomp is not fork-safe once its pool ran (pitfall 1)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from tutor.sandbox import kernel  # noqa: E402

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
ARCH = kernel.support().arch or "x86_64"
OPENAT2 = 437  # the same number on every architecture


def nr(name: str) -> int:
    from tutor.sandbox.kernel.syscalls import number

    n = number(name, ARCH)
    assert n is not None, name
    return n


def raw(number: int, *args: Any) -> int:
    """A raw syscall; raises OSError like Python's own wrappers."""
    ctypes.set_errno(0)
    res = libc.syscall(
        ctypes.c_long(number), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    )
    if res == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return res


class Ctx:
    """Paths and addresses the probes aim at (made by the parent before confining)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.root = os.path.join(base, "root")  # allowed, read-only, carved
        self.secret_dir = os.path.join(self.root, "secret")
        self.secret = os.path.join(self.secret_dir, "answer.txt")
        self.readable = os.path.join(self.root, "pkg", "mod.py")
        self.data = os.path.join(self.root, "data.txt")
        self.workdir = ""  # set per child
        self.ppid = os.getpid()
        for path, text in (
            (self.secret, "the answer is 42\n"),
            (self.readable, "X = 1\n"),
            (self.data, "data\n"),
            (os.path.join(self.root, "lazy_one.py"), "NAME = 'one'\n"),
            (os.path.join(self.root, "lazy_two.py"), "NAME = 'two'\n"),
        ):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
        # the carved root on sys.path, its listing cached by a lookup (as a zygote's would be)
        import importlib.util

        sys.path.append(self.root)
        importlib.util.find_spec("pkg")
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(8)
        self.tcp_port = self.tcp.getsockname()[1]
        self.abstract = f"\0tutor-kernel-probe-{os.getpid()}"
        self.abstract_sock = socket.socket(socket.AF_UNIX)
        self.abstract_sock.bind(self.abstract)
        self.abstract_sock.listen(8)
        self.dgram = os.path.join(base, "dgram.sock")
        self.dgram_sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.dgram_sock.bind(self.dgram)
        self.dgram_sock.setblocking(False)

    def close(self) -> None:
        for sock in (self.tcp, self.abstract_sock, self.dgram_sock):
            sock.close()

    def received_dgram(self) -> bool:
        try:
            return bool(self.dgram_sock.recv(100))
        except BlockingIOError:
            return False


def attempt(fn: Callable[[], Any]) -> dict[str, Any]:
    """``{"ok": True, "value": ...}`` or ``{"ok": False, "errno": name, "error": text}``."""
    try:
        value = fn()
    except OSError as exc:
        name = errno.errorcode.get(exc.errno or 0, str(exc.errno))
        return {"ok": False, "errno": name, "error": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:
        return {"ok": False, "errno": None, "error": f"{type(exc).__name__}: {exc}"}
    try:
        json.dumps(value)
    except TypeError:
        value = repr(value)
    return {"ok": True, "value": value}


PROBES: dict[str, Callable[[Ctx], Any]] = {}


def probe(fn: Callable[[Ctx], Any]) -> Callable[[Ctx], Any]:
    PROBES[fn.__name__] = fn
    return fn


def read(path: str) -> str:
    with open(path) as fh:
        return fh.read()


def write(path: str, text: str = "x") -> str:
    with open(path, "w") as fh:
        fh.write(text)
    return path


# -- reading secrets -------------------------------------------------------------------------


@probe
def read_secret_open(c: Ctx) -> Any:
    return attempt(lambda: read(c.secret))


@probe
def read_secret_dir_fd(c: Ctx) -> Any:
    def go() -> str:
        fd = os.open(c.root, os.O_PATH | os.O_DIRECTORY)  # opened after confinement
        f = os.open("secret/answer.txt", os.O_RDONLY, dir_fd=fd)
        return os.read(f, 100).decode()

    return attempt(go)


@probe
def list_carved_root(c: Ctx) -> Any:
    return attempt(lambda: os.listdir(c.root))


@probe
def list_secret(c: Ctx) -> Any:
    return attempt(lambda: os.listdir(c.secret_dir))


@probe
def read_secret_ctypes(c: Ctx) -> Any:
    def go() -> int:
        ctypes.set_errno(0)
        fd = libc.open(c.secret.encode(), os.O_RDONLY)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "libc open")
        return os.read(fd, 100).decode()

    return attempt(go)


@probe
def read_secret_proc_root(c: Ctx) -> Any:
    return attempt(lambda: read("/proc/self/root" + c.secret))


@probe
def read_secret_symlink(c: Ctx) -> Any:
    link = os.path.join(c.workdir, "link")
    made = attempt(lambda: os.symlink(c.secret, link))
    return {"made": made, "read": attempt(lambda: read(link))}


@probe
def hardlink_secret(c: Ctx) -> Any:
    return attempt(lambda: os.link(c.secret, os.path.join(c.workdir, "hard")))


@probe
def read_secret_openat2(c: Ctx) -> Any:
    class OpenHow(ctypes.Structure):
        _fields_ = [
            ("flags", ctypes.c_uint64),
            ("mode", ctypes.c_uint64),
            ("resolve", ctypes.c_uint64),
        ]

    how = OpenHow(os.O_RDONLY, 0, 0)
    return attempt(
        lambda: os.read(
            raw(OPENAT2, -100, c.secret.encode(), ctypes.byref(how), ctypes.sizeof(how)), 100
        ).decode()
    )


@probe
def read_secret_opath_reopen(c: Ctx) -> Any:
    """O_PATH on the secret works (Landlock does not check it) but yields no content."""

    def reopen() -> str:
        fd = os.open(c.secret, os.O_PATH)
        return read(f"/proc/self/fd/{fd}")

    def sendfile() -> int:
        fd = os.open(c.secret, os.O_PATH)
        _, w = os.pipe()
        return os.sendfile(w, fd, 0, 100)

    def splice() -> int:
        fd = os.open(c.secret, os.O_PATH)
        _, w = os.pipe()
        return os.splice(fd, w, 100)

    return {
        "opath": attempt(lambda: os.close(os.open(c.secret, os.O_PATH))),
        "read": attempt(lambda: os.read(os.open(c.secret, os.O_PATH), 10)),
        "reopen": attempt(reopen),
        "sendfile": attempt(sendfile),
        "splice": attempt(splice),
    }


@probe
def handle_secret(c: Ctx) -> Any:
    """name_to_handle_at + open_by_handle_at (root has CAP_DAC_READ_SEARCH)."""

    class Handle(ctypes.Structure):
        _fields_ = [
            ("bytes", ctypes.c_uint),
            ("type", ctypes.c_int),
            ("f_handle", ctypes.c_ubyte * 128),
        ]

    h = Handle(128, 0)
    mount_id = ctypes.c_int(0)
    named = attempt(
        lambda: raw(
            nr("name_to_handle_at"),
            -100,
            c.secret.encode(),
            ctypes.byref(h),
            ctypes.byref(mount_id),
            0,
        )
    )

    def reopen() -> str:  # the mount fd: the run folder, on the same file system
        mount_fd = os.open(c.workdir, os.O_RDONLY | os.O_DIRECTORY)
        fd = raw(nr("open_by_handle_at"), mount_fd, ctypes.byref(h), os.O_RDONLY)
        return os.read(fd, 100).decode()

    opened = attempt(reopen)
    return {"name": named, "open": opened}


@probe
def stat_secret(c: Ctx) -> Any:
    return attempt(lambda: os.stat(c.secret).st_size)


@probe
def secret_other_ways(c: Ctx) -> Any:
    """Reaching the secret by chdir, by moving it, by appending, by listing "/"."""

    def chdir_then_open() -> Any:
        os.chdir(c.secret_dir)  # chdir is not an access: allowed
        try:
            return read("answer.txt")
        finally:
            os.chdir(c.workdir)

    def chdir_then_list() -> Any:
        os.chdir(c.secret_dir)
        try:
            return os.listdir(".")
        finally:
            os.chdir(c.workdir)

    return {
        "chdir_open": attempt(chdir_then_open),
        "chdir_list": attempt(chdir_then_list),
        "append": attempt(lambda: open(c.secret, "a").close()),
        "truncate": attempt(lambda: os.truncate(c.secret, 0)),
        "rename_in": attempt(lambda: os.rename(c.secret, os.path.join(c.workdir, "moved"))),
        "unlink": attempt(lambda: os.unlink(c.secret)),
        "list_root": attempt(lambda: os.listdir("/")),
        "access": attempt(lambda: os.access(c.secret, os.R_OK)),  # a stat-like leak
        "getxattr": attempt(lambda: os.listxattr(c.secret)),  # metadata, no content
    }


@probe
def new_ruleset_cannot_loosen(c: Ctx) -> Any:
    """A second, permissive Landlock layer added by the child changes nothing."""

    class Attr(ctypes.Structure):
        _fields_ = [("fs", ctypes.c_uint64)]

    def go() -> str:
        fd = raw(444, ctypes.byref(Attr(1)), 8, 0)  # handles EXECUTE only
        raw(446, fd, 0)
        return read(c.secret)

    return attempt(go)


# -- reading what is allowed ---------------------------------------------------------------


@probe
def read_allowed(c: Ctx) -> Any:
    return {
        "file": attempt(lambda: read(c.readable)),
        "list_pkg": attempt(lambda: os.listdir(os.path.dirname(c.readable))),
        "torch": attempt(lambda: len(read(torch.__file__)) > 0),
        "urandom": attempt(lambda: len(os.urandom(8))),
        "cpu": attempt(lambda: os.listdir("/sys/devices/system/cpu") != []),
    }


@probe
def import_from_carved_root(c: Ctx) -> Any:
    """A module first imported confined, from a folder that was carved (not listable)."""
    import importlib

    def after_invalidate() -> Any:
        importlib.invalidate_caches()  # the finder must list the folder again: it cannot
        return importlib.import_module("lazy_two").NAME

    return {
        "cached_listing": attempt(lambda: importlib.import_module("lazy_one").NAME),
        "after_invalidate": attempt(after_invalidate),
    }


@probe
def read_proc_self(c: Ctx) -> Any:
    return {
        "environ": attempt(lambda: len(read("/proc/self/environ")) >= 0),
        "status": attempt(lambda: "Pid:" in read("/proc/self/status")),
    }


# -- writing -------------------------------------------------------------------------------


def write_and_remove(path: str) -> str:
    """Written, then removed (so an unconfined run leaves nothing behind)."""
    write(path)
    os.unlink(path)
    return path


@probe
def write_outside(c: Ctx) -> Any:
    tag = f"tutor-kernel-probe-{os.getpid()}"
    site = os.path.dirname(torch.__file__)
    return {
        "base": attempt(lambda: write_and_remove(os.path.join(c.base, tag))),
        "tmp": attempt(lambda: write_and_remove(os.path.join("/tmp", tag))),
        "dev_shm": attempt(lambda: write_and_remove(os.path.join("/dev/shm", tag))),
        "allowed_root": attempt(lambda: write_and_remove(os.path.join(c.root, "pkg", tag))),
        "site_packages": attempt(lambda: write_and_remove(os.path.join(site, tag))),
        "truncate_readable": attempt(lambda: os.truncate(c.data, 0)),
        "rename_out": attempt(
            lambda: os.rename(write(os.path.join(c.workdir, "r")), os.path.join(c.base, tag))
        ),
        "symlink_out": attempt(lambda: os.symlink(c.secret, os.path.join(c.base, tag))),
        "mkdir_out": attempt(lambda: os.mkdir(os.path.join(c.base, tag))),
    }


@probe
def write_workdir(c: Ctx) -> Any:
    def go() -> Any:
        path = write(os.path.join(c.workdir, "a.txt"), "hello")
        os.mkdir(os.path.join(c.workdir, "sub"))
        os.rename(path, os.path.join(c.workdir, "sub", "b.txt"))
        text = read(os.path.join(c.workdir, "sub", "b.txt"))
        os.truncate(os.path.join(c.workdir, "sub", "b.txt"), 2)
        os.unlink(os.path.join(c.workdir, "sub", "b.txt"))
        os.rmdir(os.path.join(c.workdir, "sub"))
        with open(os.devnull, "w") as fh:
            fh.write("ok")
        return text

    return attempt(go)


@probe
def copy2_workdir(c: Ctx) -> Any:
    def go() -> Any:
        src = write(os.path.join(c.workdir, "src.txt"), "copy me")
        dst = shutil.copy2(src, os.path.join(c.workdir, "dst.txt"))
        shutil.copytree(
            c.workdir, os.path.join(c.workdir, "tree"), ignore=shutil.ignore_patterns("tree")
        )
        return read(dst)

    return attempt(go)


@probe
def chmod_workdir(c: Ctx) -> Any:
    def go() -> Any:
        path = write(os.path.join(c.workdir, "m.txt"))
        before = os.stat(path).st_mode & 0o777
        os.chmod(path, 0o600 if before != 0o600 else 0o644)
        os.utime(path, (0, 0))
        return {
            "before": before,
            "after": os.stat(path).st_mode & 0o777,
            "mtime": os.stat(path).st_mtime,
        }

    return attempt(go)


@probe
def chmod_outside(c: Ctx) -> Any:
    return attempt(lambda: (os.chmod(c.data, 0o600), os.stat(c.data).st_mode & 0o777)[1])


@probe
def mkfifo_workdir(c: Ctx) -> Any:
    return attempt(lambda: os.mkfifo(os.path.join(c.workdir, "fifo")))


@probe
def write_sys_proc(c: Ctx) -> Any:
    """Opened for writing, never written: as root these would change the machine."""
    cpu = "/sys/devices/system/cpu"
    target = next(
        (
            os.path.join(cpu, d, "online")
            for d in sorted(os.listdir(cpu))
            if os.path.exists(os.path.join(cpu, d, "online"))
        ),
        None,
    )

    def opened(path: str | None) -> Any:
        if path is None:
            return "none"
        os.close(os.open(path, os.O_WRONLY))
        return path

    return {
        "sys_cpu": attempt(lambda: opened(target)),
        "proc_sys": attempt(lambda: opened("/proc/sys/kernel/hostname")),
    }


# -- /proc of the parent ----------------------------------------------------------------------


@probe
def proc_parent(c: Ctx) -> Any:
    return {
        "environ": attempt(lambda: read(f"/proc/{c.ppid}/environ")),
        "cmdline": attempt(lambda: read(f"/proc/{c.ppid}/cmdline")),
        "mem": attempt(lambda: os.open(f"/proc/{c.ppid}/mem", os.O_RDONLY)),
        "list_proc": attempt(lambda: os.listdir("/proc")),
    }


@probe
def open_fds(c: Ctx) -> Any:
    found = []
    for fd in range(0, 4096):
        try:
            os.fstat(fd)
        except OSError:
            continue
        found.append(fd)
    return found


# -- network -----------------------------------------------------------------------------------


@probe
def tcp_connect(c: Ctx) -> Any:
    def go() -> Any:
        s = socket.socket()
        s.settimeout(2)
        s.connect(("127.0.0.1", c.tcp_port))
        return "connected"

    return attempt(go)


@probe
def tcp_bind(c: Ctx) -> Any:
    def go() -> Any:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        return s.getsockname()[1]

    return attempt(go)


@probe
def udp_socket(c: Ctx) -> Any:
    def go() -> Any:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        return s.sendto(b"x", ("127.0.0.1", 9))

    return attempt(go)


@probe
def abstract_unix(c: Ctx) -> Any:
    def go() -> Any:
        s = socket.socket(socket.AF_UNIX)
        s.connect(c.abstract)
        return "connected"

    return attempt(go)


@probe
def socketpair_dgram_sendto(c: Ctx) -> Any:
    """A datagram socketpair could sendto any pathname socket; a stream pair cannot."""

    def dgram() -> Any:
        a, _ = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        return a.sendto(b"escaped", c.dgram)

    def stream() -> Any:
        a, b = socket.socketpair()
        a.sendall(b"hi")
        return b.recv(10).decode()

    def stream_sendto() -> Any:
        a, _ = socket.socketpair()
        return a.sendto(b"escaped", c.dgram)

    return {
        "dgram": attempt(dgram),
        "stream": attempt(stream),
        "stream_sendto": attempt(stream_sendto),
    }


# -- processes -----------------------------------------------------------------------------


@probe
def fork(c: Ctx) -> Any:
    def go() -> Any:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        return pid

    return attempt(go)


@probe
def subprocess_run(c: Ctx) -> Any:
    return attempt(lambda: subprocess.run(["/bin/true"], check=False).returncode)


@probe
def execv(c: Ctx) -> Any:
    return attempt(lambda: os.execv("/bin/true", ["true"]))


@probe
def posix_spawn(c: Ctx) -> Any:
    return attempt(lambda: os.waitpid(os.posix_spawn("/bin/true", ["true"], {}), 0)[1])


@probe
def exec_workdir_script(c: Ctx) -> Any:
    path = write(os.path.join(c.workdir, "run.sh"), "#!/bin/sh\nexit 0\n")
    os.chmod(path, 0o755)  # a no-op confined: the file stays 0644
    return attempt(lambda: os.execv(path, [path]))


@probe
def memfd_exec(c: Ctx) -> Any:
    def go() -> Any:
        fd = os.memfd_create("x", 0)
        os.write(fd, b"#!/bin/sh\nexit 0\n")
        os.execve(fd, ["x"], {})

    return attempt(go)


@probe
def clone3_raw(c: Ctx) -> Any:
    class Args(ctypes.Structure):
        _fields_ = [
            (n, ctypes.c_uint64)
            for n in (
                "flags",
                "pidfd",
                "child_tid",
                "parent_tid",
                "exit_signal",
                "stack",
                "stack_size",
                "tls",
                "set_tid",
                "set_tid_size",
                "cgroup",
            )
        ]

    def go() -> Any:
        args = Args(exit_signal=signal.SIGCHLD)
        pid = raw(435, ctypes.byref(args), ctypes.sizeof(args))
        if pid == 0:
            os._exit(0)
        return pid

    return attempt(go)


@probe
def clone_raw(c: Ctx) -> Any:
    def plain() -> Any:
        pid = raw(nr("clone"), signal.SIGCHLD, 0, 0, 0, 0)
        if pid == 0:
            os._exit(0)
        return pid

    # CLONE_THREAD without CLONE_SIGHAND: the kernel itself says EINVAL, the filter EPERM
    newnet_thread = 0x00010000 | 0x40000000
    return {
        "plain": attempt(plain),
        "thread_newnet": attempt(lambda: raw(nr("clone"), newnet_thread, 0, 0, 0, 0)),
        "thread_only": attempt(lambda: raw(nr("clone"), 0x00010000, 0, 0, 0, 0)),
    }


@probe
def int80(c: Ctx) -> Any:
    """x86_64 only: a 32-bit syscall (getpid via int 0x80) must kill the process."""
    if ARCH != "x86_64":
        return "skipped"
    import mmap

    code = bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3])  # mov eax, 20; int 0x80; ret
    prot = mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC
    buf = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, prot=prot)
    buf.write(code)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    fn = ctypes.CFUNCTYPE(ctypes.c_int)(addr)
    return attempt(fn)


@probe
def x32_call(c: Ctx) -> Any:
    if ARCH != "x86_64":
        return "skipped"
    return attempt(lambda: raw(0x40000000 | 39))  # x32 getpid


@probe
def threads(c: Ctx) -> Any:
    out: list[int] = []
    workers = [threading.Thread(target=lambda i=i: out.append(i * i)) for i in range(4)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return sorted(out)


@probe
def torch_threads(c: Ctx) -> Any:
    def go() -> Any:
        torch.set_num_threads(2)
        a = torch.randn(512, 512)
        b = a @ a.T
        for _ in range(3):
            b = (b @ a).tanh()
        return {"threads": torch.get_num_threads(), "finite": bool(torch.isfinite(b).all())}

    return attempt(go)


# -- signals -----------------------------------------------------------------------------------


@probe
def kill_parent(c: Ctx) -> Any:
    return {
        "kill": attempt(lambda: os.kill(c.ppid, 0)),
        "kill_group0": attempt(lambda: os.kill(0, 0)),
        "kill_all": attempt(lambda: os.kill(-1, 0)),
        "killpg": attempt(lambda: os.killpg(os.getpgid(c.ppid), 0)),
        "tgkill": attempt(lambda: raw(nr("tgkill"), c.ppid, c.ppid, 0)),
        "tkill": attempt(lambda: raw(nr("tkill"), c.ppid, 0)),
        "sigqueue": attempt(
            lambda: (
                signal.sigqueue(c.ppid, 0, 0)
                if hasattr(signal, "sigqueue")
                else raw(nr("rt_sigqueueinfo"), c.ppid, 0, 0)
            )
        ),
    }


@probe
def pidfd_parent(c: Ctx) -> Any:
    return {
        "pidfd_open": attempt(lambda: os.pidfd_open(c.ppid)),
        "pidfd_send_signal": attempt(lambda: signal.pidfd_send_signal(0, 0)),
        "pidfd_getfd": attempt(lambda: raw(nr("pidfd_getfd"), 0, 0, 0)),
    }


@probe
def fsetown_parent(c: Ctx) -> Any:
    import fcntl

    r, _ = os.pipe()
    return {
        "fcntl": attempt(lambda: fcntl.fcntl(r, fcntl.F_SETOWN, c.ppid)),
        "ioctl": attempt(lambda: fcntl.ioctl(r, 0x8901, ctypes.c_int(c.ppid))),
    }


@probe
def signal_self(c: Ctx) -> Any:
    got: list[int] = []
    signal.signal(signal.SIGUSR1, lambda sig, frame: got.append(sig))
    os.kill(os.getpid(), signal.SIGUSR1)
    signal.raise_signal(signal.SIGUSR1)
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
    return {"received": len(got), "alarm": attempt(lambda: signal.setitimer(signal.ITIMER_REAL, 0))}


# -- limits and other processes ------------------------------------------------------------------


@probe
def setrlimit_raise(c: Ctx) -> Any:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    raised = attempt(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard)))
    return {
        "raise": raised,
        "soft_before": soft,
        "soft_after": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "prlimit_read": attempt(lambda: resource.prlimit(0, resource.RLIMIT_NOFILE)[0]),
    }


@probe
def other_process_controls(c: Ctx) -> Any:
    """Each with the parent's current values: a no-op if it ever got through."""
    cpu = resource.prlimit(c.ppid, resource.RLIMIT_CPU)
    affinity = os.sched_getaffinity(c.ppid)
    prio = os.getpriority(os.PRIO_PROCESS, c.ppid)
    return {
        "prlimit": attempt(lambda: resource.prlimit(c.ppid, resource.RLIMIT_CPU, cpu)),
        "affinity_parent": attempt(lambda: os.sched_setaffinity(c.ppid, affinity)),
        "affinity_self": attempt(lambda: os.sched_setaffinity(0, os.sched_getaffinity(0))),
        "setpriority": attempt(lambda: os.setpriority(os.PRIO_PROCESS, c.ppid, prio)),
    }


@probe
def ptrace_parent(c: Ctx) -> Any:
    class Iovec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    iov = Iovec(None, 0)
    return {
        "peek": attempt(lambda: raw(nr("ptrace"), 2, c.ppid, 0, 0)),  # PTRACE_PEEKDATA
        "traceme": attempt(lambda: raw(nr("ptrace"), 0, 0, 0, 0)),
        "vm_readv": attempt(
            lambda: raw(
                nr("process_vm_readv"), c.ppid, ctypes.byref(iov), 1, ctypes.byref(iov), 1, 0
            )
        ),
    }


@probe
def unshare_user(c: Ctx) -> Any:
    return {
        "unshare": attempt(lambda: raw(nr("unshare"), 0x10000000)),
        "setns": attempt(lambda: raw(nr("setns"), 0, 0)),
    }


@probe
def machine_calls(c: Ctx) -> Any:
    """Bad arguments on purpose: the kernel would say EINVAL/ENOENT, the filter EPERM."""
    return {
        "reboot": attempt(lambda: raw(nr("reboot"), 0, 0, 0, 0)),
        "sethostname": attempt(lambda: raw(nr("sethostname"), b"x", 100000)),
        "mount": attempt(lambda: raw(nr("mount"), b"none", b"/nonexistent-tutor", b"tmpfs", 0, 0)),
        "chroot": attempt(lambda: raw(nr("chroot"), b"/nonexistent-tutor")),
        "personality": attempt(lambda: raw(nr("personality"), 0xFFFFFFFF)),
        "bpf": attempt(lambda: raw(nr("bpf"), 0xFFFF, 0, 0)),
        "perf_event_open": attempt(lambda: raw(nr("perf_event_open"), 0, 0, -1, -1, 0)),
        "userfaultfd": attempt(lambda: raw(nr("userfaultfd"), 0xFFFF)),
        "keyctl": attempt(lambda: raw(nr("keyctl"), 0xFFFF, 0, 0, 0, 0)),
        "io_uring_setup": attempt(lambda: raw(nr("io_uring_setup"), 0, 0)),
        "fsopen": attempt(lambda: raw(nr("fsopen"), b"nonexistent-fs", 0)),
        "init_module": attempt(lambda: raw(nr("finit_module"), -1, b"", 0)),
        "file_setattr": attempt(lambda: raw(nr("file_setattr"), -100, b"/", 0, 0, 0)),
        "inotify": attempt(lambda: raw(nr("inotify_init1"), 0)),
    }


@probe
def ipc_outside_files(c: Ctx) -> Any:
    def shm() -> Any:
        shmid = raw(nr("shmget"), 0, 4096, 0o600)  # IPC_PRIVATE
        raw(nr("shmctl"), shmid, 0, 0)  # IPC_RMID: never leave one behind
        return shmid

    return {
        "shmget": attempt(shm),
        "msgget": attempt(lambda: raw(nr("msgget"), 0x7475746F, 0)),  # no IPC_CREAT
        "semget": attempt(lambda: raw(nr("semget"), 0x7475746F, 1, 0)),
        "mq_open": attempt(lambda: raw(nr("mq_open"), b"tutor-nonexistent", os.O_RDONLY, 0, 0)),
    }


@probe
def fs_ioctls(c: Ctx) -> Any:
    import fcntl

    fd = os.open(c.data, os.O_RDONLY)
    flags = ctypes.c_long(0)
    return {
        "getflags": attempt(lambda: fcntl.ioctl(fd, 0x80086601, flags)),
        "setflags": attempt(lambda: fcntl.ioctl(fd, 0x40086602, flags)),
        "fithaw": attempt(lambda: fcntl.ioctl(fd, 0xC0045878, 0)),  # EINVAL if unfiltered
        "isatty": attempt(lambda: os.isatty(1)),
        "fionread": attempt(lambda: fcntl.ioctl(os.pipe()[0], 0x541B, b"\0" * 4)),
    }


@probe
def shared_memory(c: Ctx) -> Any:
    """Memory RLIMIT_DATA does not count: shared anonymous mappings and memfds."""
    import mmap

    def file_backed() -> Any:
        path = write(os.path.join(c.workdir, "arr.bin"), "x" * 8192)
        with open(path, "rb") as fh:
            shared = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)  # MAP_SHARED
        arr = np.memmap(os.path.join(c.workdir, "mm.npy"), dtype="float32", mode="w+", shape=(64,))
        arr[:] = 1.0
        arr.flush()
        return shared[:1].decode() + str(float(arr.sum()))

    return {
        "anonymous_shared": attempt(lambda: mmap.mmap(-1, 1 << 20).close()),
        "anonymous_private": attempt(
            lambda: mmap.mmap(-1, 1 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS).close()
        ),
        "memfd": attempt(lambda: os.memfd_create("x")),
        "file_backed": attempt(file_backed),
    }


# -- ordinary work ---------------------------------------------------------------------------


@probe
def torch_work(c: Ctx) -> Any:
    def go() -> Any:
        import importlib
        import inspect
        import sys as _sys

        lazy = "torch.nn.utils.prune"  # not imported by torch itself
        before = [m for m in (lazy, "wave", "sqlite3", "zoneinfo") if m in _sys.modules]
        w = torch.randn(3, requires_grad=True)
        loss = (w * w).sum()
        loss.backward()
        model = torch.nn.Linear(3, 1)
        opt = torch.optim.Adam(model.parameters(), lr=0.1)
        model(torch.ones(2, 3)).pow(2).mean().backward()
        opt.step()
        path = os.path.join(c.workdir, "m.pt")
        torch.save({"w": w.detach(), "model": model.state_dict()}, path)
        back = torch.load(path)
        prune = importlib.import_module(lazy)
        layer = prune.l1_unstructured(torch.nn.Linear(4, 2), "weight", amount=0.5)
        pruned = int((layer.weight == 0).sum())
        dist = importlib.import_module("torch.distributions")
        normal = dist.Normal(0.0, 1.0).log_prob(torch.tensor(0.0)).item()
        import json as _json
        import sqlite3
        import wave
        import zoneinfo

        with open(os.path.join(c.workdir, "learner_mod.py"), "w") as fh:
            fh.write("def f(x):\n    return x + 1\n")
        _sys.path.insert(0, c.workdir)
        mod = importlib.import_module("learner_mod")
        source = inspect.getsource(mod.f)
        inv = np.linalg.inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
        svd = np.linalg.svd(np.eye(3))[1].tolist()
        db = sqlite3.connect(":memory:").execute("select 1").fetchone()[0]
        return {
            "already_imported": before,
            "pruned": pruned,
            "wave": wave.__name__,
            "zone": str(zoneinfo.ZoneInfo("UTC")),
            "grad": w.grad.tolist() == (2 * w).tolist(),
            "loaded": sorted(back),
            "normal": round(normal, 4),
            "json": _json.dumps({"a": 1}),
            "source": source,
            "inv": inv.tolist(),
            "svd": svd,
            "sqlite": db,
            "tempdir_write": write(os.path.join(c.workdir, "t.txt")) is not None,
        }

    return attempt(go)


# -- the parent --------------------------------------------------------------------------------


def warm_up() -> None:
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    w = torch.tensor([1.0], requires_grad=True)
    ((w + 2) * (w + 1)).sum().backward()
    torch.optim.Adam([w], lr=0.1).step()


def run_child(
    name: str, ctx: Ctx, prepared: kernel.Prepared | None, mode: str, timeout: float
) -> dict[str, Any]:
    started = time.monotonic()
    workdir = tempfile.mkdtemp(dir=ctx.base, prefix="work-")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(r)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            kernel.close_other_fds(prepared, keep={w})
            _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard // 2), hard))
            ctx.workdir = workdir
            notices: list[str] = []
            if prepared is not None and mode in ("both", "landlock"):
                notices += kernel.apply_landlock(prepared, workdir, keep_fds={w})
            if prepared is not None and mode in ("both", "seccomp"):
                notices += kernel.apply_seccomp(prepared)
            result: Any = PROBES[name](ctx)
            out = {"result": result, "notices": notices}
        except BaseException as exc:  # report, never fall back into the parent's code
            out = {"crash": f"{type(exc).__name__}: {exc}"}
            code = 3
        try:
            data = json.dumps(out).encode()
            while data:
                data = data[os.write(w, data) :]
        finally:
            os._exit(code)
    os.close(w)
    buf = b""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([r], [], [], left)
        if not ready:
            continue
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        buf += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    entry: dict[str, Any] = json.loads(buf) if buf else {}
    if timed_out:
        entry["timeout"] = True
    if os.WIFSIGNALED(status):
        entry["signal"] = signal.Signals(os.WTERMSIG(status)).name
    else:
        entry["exit"] = os.WEXITSTATUS(status)
    if name == "socketpair_dgram_sendto":
        entry["dgram_received"] = ctx.received_dgram()
    shutil.rmtree(workdir, ignore_errors=True)
    entry["ms"] = round((time.monotonic() - started) * 1000, 1)
    return entry


def run_config(config: dict[str, Any]) -> dict[str, Any]:
    """One configuration: its own temp tree, prepared once, a child per probe."""
    mode = config.get("mode", "both")
    names = config.get("probes") or list(PROBES)
    base = tempfile.mkdtemp(prefix="tutor-kernel-probe-")
    prepared = None
    try:
        ctx = Ctx(base)
        readable = kernel.readable_paths([ctx.secret_dir], extra=[ctx.root])
        support = kernel.support()
        if "abi" in config:
            import dataclasses

            support = dataclasses.replace(support, landlock_abi=config["abi"])
        if mode != "none":
            proc_self = config.get("proc_self", False)
            prepared = kernel.prepare(readable, proc_self=proc_self, kernel=support)
        timeout = config.get("timeout", 60)
        results = {name: run_child(name, ctx, prepared, mode, timeout) for name in names}
        results["_meta"] = {"readable": readable, "base": base, "ppid": os.getpid(), "arch": ARCH}
        ctx.close()
    finally:
        if prepared is not None:
            prepared.close()
        shutil.rmtree(base, ignore_errors=True)
    return results


def main() -> None:
    """One configuration as the argument, or ``{"runs": {label: configuration, ...}}``."""
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    warm_up()
    if "runs" in config:
        results = {label: run_config(c) for label, c in config["runs"].items()}
    else:
        results = run_config(config)
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
