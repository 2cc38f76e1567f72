"""Landlock through ctypes: ABI probing, access rights by ABI, and one ruleset per child.

Landlock is allow-only: a *handled* access right is denied everywhere except beneath the
files and folders a rule names. The child handles every file right its ABI knows, TCP bind
and connect (ABI >= 4, no rule: no TCP at all) and scopes signals and abstract unix sockets
to itself (ABI >= 6). Rules attach to what an fd points at when the rule is added, so the
fds are opened in the zygote (O_PATH, cheap, inherited), and the ruleset itself is built in
each child: a ruleset fd reused across children would accumulate their rules.
"""

from __future__ import annotations

import ctypes
import errno
import os

from tutor.sandbox.kernel import _libc

CREATE_RULESET = 444  # the same number on every architecture
ADD_RULE = 445
RESTRICT_SELF = 446
CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1
RESTRICT_SELF_LOG_SAME_EXEC_OFF = 1 << 0  # ABI 7

KNOWN_ABI = 7  # the newest ABI whose rights this module names

# file access rights and the ABI that introduced each
EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1

_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # rights a file rule takes

READ_ONLY = READ_FILE | READ_DIR
# the run folder: everything but EXECUTE and device nodes
READ_WRITE_DIR = READ_FILE | READ_DIR | WRITE_FILE | TRUNCATE | REFER | REMOVE_DIR | REMOVE_FILE
READ_WRITE_DIR |= MAKE_DIR | MAKE_REG | MAKE_SOCK | MAKE_FIFO | MAKE_SYM
READ_WRITE_FILE = READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV  # /dev/null


def handled_fs(abi: int) -> int:
    """Every file access right ABI ``abi`` knows."""
    rights = 0
    for since, mask in _FS_BY_ABI.items():
        if abi >= since:
            rights = mask
    return rights


def handled_net(abi: int) -> int:
    return NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0


def scoped(abi: int) -> int:
    return SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0


def missing(abi: int) -> list[str]:
    """What the kernel's ABI leaves unconfined, one phrase each (empty at ABI >= 6)."""
    gaps = []
    if abi < 3:
        gaps.append("truncate() of read-only files (needs ABI 3)")
    if abi < 4:
        gaps.append("TCP bind/connect (needs ABI 4; seccomp still refuses socket())")
    if abi < 6:
        gaps.append("signal and abstract-socket scoping (needs ABI 6; seccomp still limits kill)")
    return gaps


def abi_version() -> tuple[int, str]:
    """The kernel's Landlock ABI (0 if none) and, when 0, why."""
    try:
        return _libc.syscall(CREATE_RULESET, None, 0, CREATE_RULESET_VERSION), ""
    except OSError as exc:
        if exc.errno == errno.ENOSYS:
            return 0, "not built into this kernel"
        if exc.errno == errno.EOPNOTSUPP:
            return 0, "built in but disabled at boot (add landlock to lsm=)"
        return 0, f"probe failed: {os.strerror(exc.errno or 0)}"


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class Ruleset:
    """One ruleset being built; :meth:`restrict_self` enforces it on the calling thread."""

    def __init__(self, abi: int) -> None:
        self.abi = min(abi, KNOWN_ABI)
        self.fs = handled_fs(self.abi)
        attr = _RulesetAttr(self.fs, handled_net(self.abi), scoped(self.abi))
        size = 8 if self.abi < 4 else 16 if self.abi < 6 else 24
        self.fd = _libc.syscall(CREATE_RULESET, ctypes.byref(attr), size, 0)

    def allow(self, fd: int, rights: int, is_dir: bool) -> None:
        """Allow ``rights`` (cut to what the ABI handles) beneath what ``fd`` points at."""
        rights &= self.fs
        if not is_dir:
            rights &= FILE_ONLY
        if not rights:
            return
        attr = _PathBeneathAttr(rights, fd)
        _libc.syscall(ADD_RULE, self.fd, RULE_PATH_BENEATH, ctypes.byref(attr), 0)

    def restrict_self(self, log_denials: bool = False) -> None:
        flags = 0 if log_denials or self.abi < 7 else RESTRICT_SELF_LOG_SAME_EXEC_OFF
        _libc.syscall(RESTRICT_SELF, self.fd, flags)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
