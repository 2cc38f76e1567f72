"""The seccomp filter a sandboxed child installs on itself: a deny-list, built once.

**A deny-list, on purpose.** Everything not named below is allowed. An allow-list is stricter
(a syscall added to a future kernel is refused until someone allows it) but it breaks the
moment torch, glibc or a lazily imported library starts using a call the list forgot, and in
a learning tool that shows up as a learner's correct code failing. So the filter names what a
learner's snippet must never do, and Landlock (files, TCP, signal and socket scoping) does the
rest. Calls that are new to the kernel and not named here are not covered: review this list
with each kernel the tool supports (SANDBOX-FACTS pitfall 7). Two calls get an allow-list of
their arguments instead, because the kernel keeps adding dangerous commands to them: ``ioctl``
(a handful of terminal/file-descriptor queries; anything else gets ENOTTY, so a root child
cannot freeze or ``chattr`` a file system) and ``clone`` (threads only).

What it refuses, with EPERM unless said otherwise:

- new processes and programs: ``fork``, ``vfork``, ``clone`` unless it makes a thread
  (``CLONE_THREAD`` set, no namespace flag), ``execve``, ``execveat``, ``uselib``;
  ``clone3`` answers ENOSYS, so glibc falls back to ``clone``, whose flags the filter can see;
- other processes: ``ptrace``, ``process_vm_readv/writev``, ``pidfd_open``,
  ``pidfd_getfd``, ``pidfd_send_signal``, ``process_madvise``, ``process_mrelease``, ``kcmp``,
  ``get_robust_list``, ``migrate_pages``, ``move_pages``; ``kill``, ``tgkill``,
  ``rt_sigqueueinfo`` and ``rt_tgsigqueueinfo`` aimed at any pid but the child's own (its pid
  is patched into the program per child; pid 0 and negative pids, i.e. process groups, are
  refused too); ``tkill``; ``fcntl(F_SETOWN / F_SETOWN_EX / F_SETLEASE)`` (SIGIO to another
  process, leases that stall other writers); ``sched_setaffinity`` of another process;
- identity and sessions: ``setuid`` and friends, ``setgroups``, ``capset``, ``setsid``,
  ``setpgid``, ``prctl(PR_SET_PDEATHSIG)`` (a root child could otherwise drop its
  parent-death signal and outlive its server, or leave the group its server kills);
- limits and priority: ``setrlimit``, ``prlimit64`` with a new limit, ``setpriority``,
  ``sched_setscheduler/setparam/setattr``, ``ioprio_set``;
- namespaces and mounts: ``unshare``, ``setns``, ``mount``, ``umount2``, ``pivot_root``,
  ``chroot``, the new mount API (``open_tree``, ``move_mount``, ``fsopen``, ``fsconfig``,
  ``fsmount``, ``fspick``, ``mount_setattr``, ``open_tree_attr``), ``name_to_handle_at``,
  ``open_by_handle_at``;
- kernel facilities: ``bpf``, ``perf_event_open``, ``userfaultfd``, ``keyctl``, ``add_key``,
  ``request_key``, ``io_uring_*`` (its operations bypass this filter), ``kexec_*``,
  ``init_module``, ``finit_module``, ``delete_module``, ``personality``, ``modify_ldt``,
  ``iopl``, ``ioperm``, ``fanotify_init``, ``inotify_*`` (events name files in folders it
  cannot list);
- the machine, which a child running as root could otherwise change: ``reboot``, ``swapon``,
  ``swapoff``, ``syslog``, ``acct``, ``settimeofday``, ``clock_settime``, ``clock_adjtime``,
  ``adjtimex``, ``sethostname``, ``setdomainname``, ``quotactl``, ``quotactl_fd``,
  ``lookup_dcookie``, ``vhangup``;
- communication outside the file system: ``socket`` (every family; Landlock ABI 7 does not
  cover UDP or pathname unix sockets), ``socketpair`` unless ``AF_UNIX`` stream or seqpacket
  (a datagram pair can ``sendto`` any pathname socket), System V ``shm*``, ``msg*``,
  ``sem*``, POSIX ``mq_*``;
- memory that ``RLIMIT_DATA`` does not count (shmem, which a child could fill until the
  machine runs out): ``mmap`` with ``MAP_SHARED | MAP_ANONYMOUS``, ``memfd_create``
  (file-backed shared mappings, e.g. ``numpy.memmap`` of a file in the run folder, stay);
- file metadata, which Landlock ABI 7 does not cover: ``mknod``, ``mknodat``, the ``setxattr``
  and ``removexattr`` families and ``file_setattr`` (EPERM, which ``shutil.copy2`` tolerates);
  ``chmod``, ``chown`` and ``utime`` families answer 0 without doing anything, so
  ``shutil.copy2`` and ``os.chmod`` in the run folder "work".

The architecture is checked first: a syscall made in another mode (x86_64's 32-bit
``int 0x80``, arch ``i386``) kills the process; x32 calls (``nr | 0x40000000``) are refused.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
from dataclasses import dataclass

from tutor.sandbox.kernel import _libc, bpf
from tutor.sandbox.kernel.syscalls import AUDIT_ARCH, X32_SYSCALL_BIT, number

RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000

SECCOMP_SET_MODE_FILTER = 1
SECCOMP_GET_ACTION_AVAIL = 2
SECCOMP_FILTER_FLAG_TSYNC = 1

CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
)
AF_UNIX = 1
SOCK_STREAM = 1
SOCK_SEQPACKET = 5
F_SETOWN = 8
F_SETOWN_EX = 15
F_SETLEASE = 1024
MAP_SHARED = 0x01  # also set in MAP_SHARED_VALIDATE (0x03); MAP_PRIVATE is 0x02
MAP_ANONYMOUS = 0x20

# ioctl commands a child may use (the same numbers on x86_64 and aarch64); others: ENOTTY
ALLOWED_IOCTLS = (
    0x5401,  # TCGETS: isatty()
    0x802C542A,  # TCGETS2
    0x5413,  # TIOCGWINSZ: terminal size
    0x540F,  # TIOCGPGRP
    0x541B,  # FIONREAD
    0x5421,  # FIONBIO
    0x5450,  # FIONCLEX
    0x5451,  # FIOCLEX
    0x5460,  # FIOQSIZE
    0x80086601,  # FS_IOC_GETFLAGS
    0x80046601,  # FS_IOC32_GETFLAGS
)

REFUSED = (
    "fork", "vfork", "execve", "execveat", "uselib",
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_getfd",
    "pidfd_send_signal", "process_madvise", "process_mrelease", "kcmp", "get_robust_list",
    "migrate_pages", "move_pages", "tkill",
    "setrlimit", "setpriority", "sched_setscheduler", "sched_setparam", "sched_setattr",
    "ioprio_set",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid",
    "setfsgid", "setgroups", "capset", "setsid", "setpgid",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree",
    "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "open_tree_attr", "name_to_handle_at", "open_by_handle_at",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load",
    "kexec_file_load", "init_module", "finit_module", "delete_module", "personality",
    "modify_ldt", "iopl", "ioperm", "fanotify_init", "inotify_init", "inotify_init1",
    "inotify_add_watch",
    "reboot", "swapon", "swapoff", "syslog", "acct", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "quotactl", "quotactl_fd",
    "lookup_dcookie", "vhangup",
    "socket", "shmget", "shmat", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget",
    "semop", "semctl", "semtimedop", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr", "memfd_create",
    "mknod", "mknodat", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr",
    "fremovexattr", "setxattrat", "removexattrat", "file_setattr",
)  # fmt: skip
NO_OPS = (
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat",
)  # fmt: skip
NOT_IMPLEMENTED = ("clone3",)
PER_CHILD = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")  # own pid only

_CHUNK = 200  # simple entries per block: keeps every conditional jump under 256


@dataclass(frozen=True)
class Filter:
    """A filter assembled for one architecture, with the places that hold the child's pid."""

    arch: str
    program: bytes
    pid_slots: tuple[int, ...]  # byte offsets of the ``k`` fields compared with the pid

    def for_pid(self, pid: int) -> bytes:
        """The program with ``pid`` patched in (microseconds: no rebuilding)."""
        buf = bytearray(self.program)
        for offset in self.pid_slots:
            struct.pack_into("=I", buf, offset, pid & 0xFFFFFFFF)
        return bytes(buf)

    def __len__(self) -> int:
        return len(self.program) // bpf.INSN.size


def errno_ret(code: int) -> int:
    return RET_ERRNO | (code & 0xFFFF)


def build(arch: str) -> Filter:
    """Assemble the filter for ``arch`` ("x86_64" or "aarch64"); ~0.3 ms, so once per zygote."""
    if arch not in AUDIT_ARCH:
        raise ValueError(f"no syscall table for {arch}")
    p = bpf.Program()
    eperm = errno_ret(errno.EPERM)
    p.load(bpf.ARCH)
    p.jump_if(bpf.JEQ, AUDIT_ARCH[arch], true="arch_ok")
    p.ret(RET_KILL_PROCESS)
    p.label("arch_ok")
    p.load(bpf.NR)
    if arch == "x86_64":
        p.jump_if(bpf.JGE, X32_SYSCALL_BIT, false="native")
        p.ret(eperm)
        p.label("native")

    bodies = {
        "clone": _clone,
        "mmap": _mmap,
        "prlimit64": _prlimit64,
        "socketpair": _socketpair,
        "ioctl": _ioctl,
        "fcntl": _fcntl,
        "sched_setaffinity": _sched_setaffinity,
        "prctl": _prctl,
        **dict.fromkeys(PER_CHILD, _own_pid_only),
    }
    bodies = {name: body for name, body in bodies.items() if number(name, arch) is not None}
    for name in bodies:  # calls whose arguments decide: first, so they are found fast
        p.jump_if(bpf.JEQ, number(name, arch), false=f"not_{name}")
        p.goto(f"rule_{name}")
        p.label(f"not_{name}")

    actions = {"eperm": eperm, "noop": errno_ret(0), "enosys": errno_ret(errno.ENOSYS)}
    simple = [(name, "eperm") for name in REFUSED]
    simple += [(name, "noop") for name in NO_OPS]
    simple += [(name, "enosys") for name in NOT_IMPLEMENTED]
    simple = [(number(name, arch), action) for name, action in simple]
    simple = [(nr, action) for nr, action in simple if nr is not None]
    chunks = [simple[i : i + _CHUNK] for i in range(0, len(simple), _CHUNK)]
    for c, chunk in enumerate(chunks):
        for nr, action in chunk:
            p.jump_if(bpf.JEQ, nr, true=f"{action}_{c}")
        p.goto("allow" if c == len(chunks) - 1 else f"chunk_{c + 1}")
        for action in sorted({action for _, action in chunk}):
            p.label(f"{action}_{c}")
            p.ret(actions[action])
        if c < len(chunks) - 1:
            p.label(f"chunk_{c + 1}")
    p.label("allow")
    p.ret(RET_ALLOW)

    for name, body in bodies.items():
        p.label(f"rule_{name}")
        body(p, name, eperm)
    program = p.assemble()
    slots = tuple(i * bpf.INSN.size + 4 for i in p.marks.get("pid", []))
    return Filter(arch, program, slots)


def _clone(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(0))  # flags (the kernel reads the low 32 bits)
    p.jump_if(bpf.JSET, CLONE_THREAD, false=f"{name}_deny")
    p.jump_if(bpf.JSET, CLONE_NAMESPACES, true=f"{name}_deny")
    p.ret(RET_ALLOW)
    p.label(f"{name}_deny")
    p.ret(deny)


def _mmap(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(3))  # flags
    p.jump_if(bpf.JSET, MAP_ANONYMOUS, false=f"{name}_ok")
    p.jump_if(bpf.JSET, MAP_SHARED, true=f"{name}_deny")
    p.label(f"{name}_ok")
    p.ret(RET_ALLOW)
    p.label(f"{name}_deny")
    p.ret(deny)


def _own_pid_only(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(0))  # pid / tgid (an int: the kernel reads the low 32 bits)
    p.mark("pid")
    p.jump_if(bpf.JEQ, 0, false=f"{name}_deny")
    p.ret(RET_ALLOW)
    p.label(f"{name}_deny")
    p.ret(deny)


def _sched_setaffinity(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(0))
    p.jump_if(bpf.JEQ, 0, true=f"{name}_ok")  # 0: the calling thread
    p.mark("pid")
    p.jump_if(bpf.JEQ, 0, true=f"{name}_ok")
    p.ret(deny)
    p.label(f"{name}_ok")
    p.ret(RET_ALLOW)


def _prlimit64(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(2))  # new_limit must be NULL: reading limits is fine
    p.jump_if(bpf.JEQ, 0, false=f"{name}_deny")
    p.load(bpf.arg_hi(2))
    p.jump_if(bpf.JEQ, 0, false=f"{name}_deny")
    p.ret(RET_ALLOW)
    p.label(f"{name}_deny")
    p.ret(deny)


PR_SET_PDEATHSIG = 1


def _prctl(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(0))  # the option: clearing the parent-death signal would let a run
    p.jump_if(bpf.JEQ, PR_SET_PDEATHSIG, true=f"{name}_deny")  # outlive its server
    p.ret(RET_ALLOW)
    p.label(f"{name}_deny")
    p.ret(deny)


def _socketpair(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(0))
    p.jump_if(bpf.JEQ, AF_UNIX, false=f"{name}_deny")
    p.load(bpf.arg_lo(1))
    p.and_(0xF)  # the type without SOCK_NONBLOCK / SOCK_CLOEXEC
    p.jump_if(bpf.JEQ, SOCK_STREAM, true=f"{name}_ok")
    p.jump_if(bpf.JEQ, SOCK_SEQPACKET, true=f"{name}_ok")
    p.label(f"{name}_deny")
    p.ret(deny)
    p.label(f"{name}_ok")
    p.ret(RET_ALLOW)


def _ioctl(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(1))  # the command (an unsigned int)
    for cmd in ALLOWED_IOCTLS:
        p.jump_if(bpf.JEQ, cmd, true=f"{name}_ok")
    p.ret(errno_ret(errno.ENOTTY))
    p.label(f"{name}_ok")
    p.ret(RET_ALLOW)


def _fcntl(p: bpf.Program, name: str, deny: int) -> None:
    p.load(bpf.arg_lo(1))
    for cmd in (F_SETOWN, F_SETOWN_EX, F_SETLEASE):
        p.jump_if(bpf.JEQ, cmd, true=f"{name}_deny")
    p.ret(RET_ALLOW)
    p.label(f"{name}_deny")
    p.ret(deny)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def available(arch: str | None) -> tuple[bool, str]:
    """Whether this kernel takes seccomp filters here, and if not, why (one phrase)."""
    if arch is None:
        return False, "no syscall table for this architecture"
    try:
        _libc.prctl(_libc.PR_GET_SECCOMP)
    except OSError as exc:
        return False, f"not in this kernel ({os.strerror(exc.errno or 0)})"
    action = ctypes.c_uint32(RET_ERRNO)
    try:
        _libc.syscall(number("seccomp", arch), SECCOMP_GET_ACTION_AVAIL, 0, ctypes.byref(action))
    except OSError as exc:
        return False, f"filters not supported ({os.strerror(exc.errno or 0)})"
    return True, ""


def install(program: bytes, arch: str) -> None:
    """Load ``program`` for every thread of this process (``SECCOMP_FILTER_FLAG_TSYNC``).

    Needs ``PR_SET_NO_NEW_PRIVS`` first (or CAP_SYS_ADMIN). Raises OSError on failure."""
    buf = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // bpf.INSN.size, ctypes.addressof(buf))
    result = _libc.syscall(
        number("seccomp", arch),
        SECCOMP_SET_MODE_FILTER,
        SECCOMP_FILTER_FLAG_TSYNC,
        ctypes.byref(prog),
    )
    if result != 0:  # TSYNC: the id of a thread that could not be synchronised
        raise OSError(errno.EBUSY, f"thread {result} could not take the filter")
