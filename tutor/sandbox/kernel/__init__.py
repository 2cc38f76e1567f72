"""Kernel confinement of a sandboxed child: Landlock rules and a seccomp filter, via ctypes.

Importable anywhere (no torch, no third-party module); where the kernel (or the platform)
lacks a feature every function says so in a notice instead of failing, unless the caller
asked for that feature to be *required*.

Two phases, because a fork server prepares once and each child applies cheaply::

    # in the zygote (the process children are forked from), once:
    prepared = prepare(readable_paths(secrets))
    # in each freshly forked child, single-threaded, before any learner code:
    close_other_fds(prepared, keep={result_w, job_r})  # 1. only 0, 1, 2 and pipes stay open
    set_rlimits(...)                                    # 2. before seccomp: it refuses them
    notices = apply_landlock(prepared, workdir, keep_fds={result_w, job_r})  # 3. files, TCP...
    notices += apply_seccomp(prepared)                  # 4. processes, ptrace, ... (last)

:func:`confine` does 3 and 4. A spawned (not forked) worker does the same in its own
process: ``prepare`` then ``confine``, after importing torch (it reads ``/proc/self/maps``
at import) and before starting any thread. See ``docs/kernel-confinement.md`` for what each
layer stops, the costs and the known limits.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from tutor.sandbox.kernel import _libc, landlock, seccomp
from tutor.sandbox.kernel.paths import carve, python_roots, readable_paths, system_paths

__all__ = [
    "ConfinementError",
    "KernelSupport",
    "Prepared",
    "apply_landlock",
    "apply_seccomp",
    "carve",
    "close_other_fds",
    "confine",
    "prepare",
    "python_roots",
    "readable_paths",
    "shared_writable_mappings",
    "stray_fds",
    "support",
    "system_paths",
]


class ConfinementError(RuntimeError):
    """A layer the caller required could not be applied, or applying one failed midway.

    A child that gets this must not run learner code: exit instead."""


@dataclass(frozen=True)
class KernelSupport:
    """What this kernel offers (see :func:`support`)."""

    landlock_abi: int = 0  # 0: no Landlock
    landlock_reason: str = ""  # why it is 0
    seccomp: bool = False  # filter mode usable with our tables
    seccomp_reason: str = ""
    arch: str | None = None  # "x86_64" / "aarch64", None if our tables lack it
    no_new_privs: bool = False

    def describe(self) -> list[str]:
        """One line per layer, for ``tutor doctor``."""
        if self.landlock_abi:
            abi = self.landlock_abi
            used = min(abi, landlock.KNOWN_ABI)
            parts = ["files"]
            if landlock.handled_net(used):
                parts.append("TCP")
            if landlock.scoped(used):
                parts.append("signal and abstract-socket scoping")
            line = f"Landlock ABI {abi}: " + ", ".join(parts)
            if abi > used:
                line += f" (tutor uses ABI {used})"
            gaps = landlock.missing(used)
            if gaps:
                line += "; not covered: " + "; ".join(gaps)
        else:
            line = f"Landlock: unavailable ({self.landlock_reason or 'unknown reason'})"
        lines = [line]
        if self.seccomp:
            lines.append(f"seccomp: on ({self.arch})")
        else:
            lines.append(f"seccomp: unavailable ({self.seccomp_reason or 'unknown reason'})")
        lines.append(
            "no_new_privs: available" if self.no_new_privs else "no_new_privs: unavailable"
        )
        return lines


@lru_cache(maxsize=1)
def support() -> KernelSupport:
    """Probe the kernel once (cached; a few syscalls, no side effects)."""
    if not sys.platform.startswith("linux"):
        reason = f"not Linux ({sys.platform})"
        return KernelSupport(0, reason, False, reason, None, False)
    try:
        _libc.libc()
    except OSError as exc:
        reason = f"no C library to call ({exc})"
        return KernelSupport(0, reason, False, reason, None, False)
    arch = _libc.machine()
    abi, why = landlock.abi_version()
    ok, why_not = seccomp.available(arch)
    try:
        _libc.prctl(_libc.PR_GET_NO_NEW_PRIVS)
        nnp = True
    except OSError:
        nnp = False
    return KernelSupport(abi, why, ok, why_not, arch, nnp)


@dataclass
class Prepared:
    """What the zygote readies once for all its children: O_PATH fds of the readable paths
    (kept open, inherited by each fork) and the assembled seccomp program."""

    support: KernelSupport
    paths: list[str]
    read_fds: list[tuple[int, bool]]  # (fd, is a folder)
    devnull_fd: int
    filter: seccomp.Filter | None
    proc_self: bool = False
    notes: list[str] = field(default_factory=list)  # paths that vanished while preparing
    hazards: list[str] = field(default_factory=list)  # see shared_writable_mappings()

    @property
    def fds(self) -> frozenset[int]:
        """Every fd a child must keep open until :func:`apply_landlock`."""
        fds = {fd for fd, _ in self.read_fds}
        if self.devnull_fd >= 0:
            fds.add(self.devnull_fd)
        return frozenset(fds)

    def close(self) -> None:
        """Close the fds (in the zygote when it stops; a child's apply closes its copies)."""
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.read_fds = []
        self.devnull_fd = -1


def prepare(
    readable: list[str], *, proc_self: bool = False, kernel: KernelSupport | None = None
) -> Prepared:
    """Ready confinement in the zygote: open ``readable`` (from :func:`readable_paths`) as
    O_PATH fds, and assemble the seccomp program for this architecture (~0.3 ms).

    ``proc_self``: children may also read their own ``/proc/self`` (the rule is added in each
    child, where ``/proc/self`` is the child). ``kernel`` overrides :func:`support` (tests use
    it to simulate an older or missing feature)."""
    kernel = kernel or support()
    fds: list[tuple[int, bool]] = []
    notes = []
    devnull = -1
    if kernel.landlock_abi:
        flags = os.O_PATH | os.O_CLOEXEC
        for path in readable:
            try:
                fd = os.open(path, flags)
            except OSError as exc:
                notes.append(f"{path}: {exc.strerror}")
                continue
            fds.append((fd, stat.S_ISDIR(os.fstat(fd).st_mode)))
        devnull = os.open(os.devnull, flags)
    program = seccomp.build(kernel.arch) if kernel.seccomp and kernel.arch else None
    hazards = [f"writable shared mapping {m}" for m in shared_writable_mappings()]
    return Prepared(kernel, list(readable), fds, devnull, program, proc_self, notes, hazards)


def shared_writable_mappings() -> list[str]:
    """This process's writable ``MAP_SHARED`` mappings (file or "anonymous").

    A forked child inherits them and can write the parent's memory through them, which no
    Landlock or seccomp rule stops: the zygote should hold none (``multiprocessing`` locks
    and ``mmap.mmap(-1, n)`` make one). :func:`prepare` lists them in ``Prepared.hazards``."""
    found = []
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                fields = line.split(maxsplit=5)
                if len(fields) >= 5 and fields[1][1] == "w" and fields[1][3] == "s":
                    found.append(fields[5].strip() if len(fields) > 5 else "anonymous")
    except OSError:
        pass
    return found


def close_other_fds(prepared: Prepared | None, keep: Iterable[int] = ()) -> None:
    """Close every fd but 0, 1, 2, ``keep`` and the prepared ones (Landlock cannot restrict
    fds that are already open: a child must not inherit the zygote's files or pipes)."""
    keep_all = sorted({0, 1, 2, *keep, *(prepared.fds if prepared else ())})
    low = 0
    for fd in keep_all:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, _max_fd())


def _max_fd() -> int:
    try:
        import resource

        limits = resource.getrlimit(resource.RLIMIT_NOFILE)  # an fd may sit above the soft one
        finite = [n for n in limits if n != resource.RLIM_INFINITY]
        return min(1 << 20, max(finite)) if finite else 1 << 20
    except (ImportError, OSError, ValueError):
        return 1 << 16


def _unavailable(what: str, reason: str, required: bool) -> list[str]:
    message = f"{what}: unavailable ({reason})"
    if required:
        raise ConfinementError(message + ", and it is required")
    return [message + "; not enforced by the kernel"]


def stray_fds(prepared: Prepared | None, keep: Iterable[int] = ()) -> dict[int, str]:
    """Open fds other than 0, 1, 2, ``keep`` and the prepared ones, with what each points
    at (``pipe:[...]``, ``socket:[...]``, a path). Landlock cannot take back what an fd that
    is already open allows: a child must have none of these when it confines itself."""
    allowed = {0, 1, 2, *keep, *(prepared.fds if prepared else ())}
    try:
        listed = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return {}
    stray = {}
    for fd in listed:
        if fd in allowed:
            continue
        try:
            os.fstat(fd)  # the listing's own fd is closed by now
            stray[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
    return stray


def apply_landlock(
    prepared: Prepared,
    workdir: str,
    *,
    required: bool = False,
    keep_fds: Iterable[int] | None = None,
    writable: tuple[str, ...] = (),
    log_denials: bool = False,
) -> list[str]:
    """Confine this process's files and network with Landlock; returns notices.

    Read-only: the prepared paths; read-write (make and remove too): ``workdir``,
    ``writable`` and ``/dev/null``; no TCP bind/connect; signals and abstract unix sockets
    scoped to this process. Rights the kernel's ABI lacks are dropped with a notice. Call in
    a single-threaded child, after closing unrelated fds (``keep_fds``: check that only
    those, 0, 1 and 2 are open; ~0.05 ms); sets ``PR_SET_NO_NEW_PRIVS``; closes the prepared
    fds after. Raises :class:`ConfinementError` if it fails, or if Landlock is unavailable
    and ``required``."""
    kernel = prepared.support
    if not kernel.landlock_abi:
        return _unavailable("Landlock", kernel.landlock_reason or "no Landlock", required)
    if keep_fds is not None:
        stray = stray_fds(prepared, keep_fds)
        if stray:
            listed = ", ".join(f"{fd} ({what})" for fd, what in sorted(stray.items()))
            raise ConfinementError(f"fds still open: {listed}; close them before confining")
    threads = _libc.thread_count()
    if threads is not None and threads > 1:
        raise ConfinementError(
            f"Landlock applies to one thread and this process has {threads}: "
            "apply it in a freshly forked, single-threaded child"
        )
    ruleset = None
    try:
        _libc.set_no_new_privs()
        ruleset = landlock.Ruleset(kernel.landlock_abi)
        for fd, is_dir in prepared.read_fds:
            ruleset.allow(fd, landlock.READ_ONLY, is_dir)
        ruleset.allow(prepared.devnull_fd, landlock.READ_WRITE_FILE, False)
        for path in (workdir, *writable):
            fd = os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                ruleset.allow(fd, landlock.READ_WRITE_DIR, True)
            finally:
                os.close(fd)
        if prepared.proc_self:
            fd = os.open("/proc/self", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                ruleset.allow(fd, landlock.READ_ONLY, True)
            finally:
                os.close(fd)
        ruleset.restrict_self(log_denials)
    except OSError as exc:
        raise ConfinementError(f"Landlock could not be applied: {exc}") from exc
    finally:
        if ruleset is not None:
            ruleset.close()
    prepared.close()
    notices = []
    if prepared.notes:
        notices.append(f"Landlock: not readable: {'; '.join(prepared.notes)}")
    for gap in landlock.missing(ruleset.abi):
        notices.append(f"Landlock ABI {ruleset.abi}: not covered: {gap}")
    return notices


def apply_seccomp(prepared: Prepared, *, required: bool = False) -> list[str]:
    """Install the seccomp filter (its pid checks patched with this process's pid) on every
    thread of this process; returns notices. Call last: after the child's own rlimits (the
    filter refuses ``setrlimit``) and after Landlock. Raises :class:`ConfinementError` if it
    fails, or if seccomp is unavailable and ``required``."""
    kernel = prepared.support
    if prepared.filter is None:
        return _unavailable("seccomp", kernel.seccomp_reason or "no filter support", required)
    try:
        _libc.set_no_new_privs()
        seccomp.install(prepared.filter.for_pid(os.getpid()), prepared.filter.arch)
    except OSError as exc:
        raise ConfinementError(f"seccomp could not be applied: {exc}") from exc
    return []


def confine(
    prepared: Prepared,
    workdir: str,
    *,
    required: bool = False,
    keep_fds: Iterable[int] | None = None,
) -> list[str]:
    """:func:`apply_landlock` then :func:`apply_seccomp`; their notices together."""
    notices = apply_landlock(prepared, workdir, required=required, keep_fds=keep_fds)
    return notices + apply_seccomp(prepared, required=required)
