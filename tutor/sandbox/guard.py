"""In-child protections the OS limits cannot give: an audit hook and a tamper snapshot.

The audit hook (PEP 578) refuses, inside the sandboxed child, the events section 6 of the
contract forbids: starting processes, network use, writing outside the run's own folder,
reading lesson files or the reference cache, and signalling other processes. It cannot see
native code (a C extension writing a file), which is why the README does not call this a
container. The tamper snapshot records the identity of what check expressions rely on
(torch, ``torch.Tensor``, builtins, the value encoder) so the grader can refuse a run that
swapped any of them.
"""

from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Iterable
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_PROCESS_EVENTS = {
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "subprocess.Popen",
    "pty.spawn",
    "os.startfile",
}
_NET_EVENTS = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
}
_PATH_WRITE_EVENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.truncate": (0,),
    "os.utime": (0,),
    "os.rename": (0, 1),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "shutil.rmtree": (0,),
    "shutil.copyfile": (1,),
    "shutil.move": (1,),
}
_PATH_READ_EVENTS = {"os.listdir": 0, "os.scandir": 0, "glob.glob": 0, "os.chdir": 0}


_LAZY_CACHES = {"__slotnames__"}  # attributes Python itself adds on first use (copyreg)


class SandboxViolation(PermissionError):
    """Raised inside the child when learner code does something the sandbox forbids."""


def _real(path: Any) -> str | None:
    if isinstance(path, int):
        return None
    try:
        return os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def install_audit_hook(workdir: str, secret_paths: Iterable[str]) -> None:
    """Refuse forbidden events from now on in this process (cannot be undone)."""
    workdir = os.path.realpath(workdir)
    writable = (workdir, "/dev/null")
    secrets = tuple(os.path.realpath(p) for p in secret_paths if p)
    own_pid = os.getpid()
    proc_self = (f"/proc/{own_pid}", "/proc/self", "/proc/thread-self")

    def deny(what: str) -> None:
        raise SandboxViolation(f"the sandbox does not allow {what}")

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path = _real(args[0])
            if path is None:
                return
            mode = args[1] if len(args) > 1 else None
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
                flags & _WRITE_FLAGS
            )
            if writing and not _under(path, writable):
                deny(f"writing to {path} (write files in the current folder only)")
            if _under(path, secrets):
                deny("reading lesson files or reference results")
            if path.startswith("/proc/") and not _under(path, proc_self):
                deny("looking at other processes")
        elif event in _PROCESS_EVENTS:
            deny("starting other processes")
        elif event in _NET_EVENTS:
            deny("network access")
        elif event in ("os.kill", "os.killpg"):
            if event == "os.killpg" or args[0] not in (own_pid, 0):
                deny("signalling other processes")
        elif event in _PATH_WRITE_EVENTS:
            for i in _PATH_WRITE_EVENTS[event]:
                path = _real(args[i]) if i < len(args) else None
                if path is not None and not _under(path, writable):
                    deny(f"changing {path} (work in the current folder only)")
        elif event in _PATH_READ_EVENTS:
            path = _real(args[0]) if args else None
            if path and (_under(path, secrets) or path.startswith("/proc/")):
                deny("looking at that folder")
        elif event == "sys.addaudithook":
            deny("adding audit hooks")

    sys.addaudithook(hook)


def audit_native_file_access() -> None:
    """Make torch's C++ file access (``torch.save(path)``, ``torch.load(path)``,
    ``torch.from_file``) raise the ``open`` audit event Python's own ``open`` does, so the hook
    sees those paths too. Called once in the server, before any child is forked.

    The reader/writer classes get an audited ``__init__`` (so even ``type(writer)(path)`` is
    seen). ``torch._C.StorageBase.from_file`` and ``torch._C._VariableFunctions.from_file`` are
    immutable C attributes and stay unaudited: the README's --isolate covers native reads.
    """
    import torch

    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC

    def audited(native: Any, mode: str, flags: int, path_at: int = 0) -> Any:
        def open_native(*args: Any, **kwargs: Any) -> Any:
            target = args[path_at] if len(args) > path_at else kwargs.get("filename")
            if isinstance(target, str | bytes | os.PathLike):
                sys.audit("open", target, mode, flags)
            return native(*args, **kwargs)

        return open_native

    for cls, mode, flags in (
        (torch._C.PyTorchFileWriter, "wb", write),
        (torch._C.PyTorchFileReader, "rb", os.O_RDONLY),
    ):
        cls.__init__ = audited(cls.__init__, mode, flags, path_at=1)  # args[0] is self
    torch.from_file = audited(torch.from_file, "rb", os.O_RDONLY)
    for storage in (torch.UntypedStorage, torch.TypedStorage):
        storage.from_file = staticmethod(audited(storage.from_file, "rb", os.O_RDONLY))


_BUILTINS = builtins.__dict__
_SAVED_BUILTINS = dict(_BUILTINS)
_MISSING = object()


def restore_builtins(
    _BUILTINS: dict = _BUILTINS,
    _SAVED_BUILTINS: dict = _SAVED_BUILTINS,
    _MISSING: object = _MISSING,
) -> list[str]:
    """Put every builtin back as it was at import; return the names the run had changed.

    Runs right after learner code, before anything of tutor's looks a builtin up: it uses
    only dict methods and operators, so a replaced ``len`` or ``sorted`` cannot fool it, and
    its data is bound as defaults, so rebinding this module's globals cannot either.
    """
    changed: list[str] = []
    for key, value in _SAVED_BUILTINS.items():
        if _BUILTINS.get(key, _MISSING) is not value:
            changed.append("builtins." + key)
    for key in _BUILTINS:
        if key not in _SAVED_BUILTINS:
            changed.append("builtins." + key)
    _BUILTINS.clear()
    _BUILTINS.update(_SAVED_BUILTINS)
    return changed


def _namespace(target: Any) -> dict[str, Any]:
    """The live attribute mapping of a target (a (object, names) pair watches just those)."""
    if isinstance(target, tuple):
        obj, names = target
        return {n: getattr(obj, n, None) for n in names}
    try:
        return vars(target)
    except TypeError:
        return {}


class TamperSnapshot:
    """The objects every trusted attribute pointed at, to compare by identity after a run.

    Keeping the objects (not their ids) lets the check walk the live ``__dict__`` without
    building new dicts, which matters in a forked child where each touched page is copied.
    """

    def __init__(self, targets: dict[str, Any]) -> None:
        self.targets = targets
        self.before = {name: dict(_namespace(obj)) for name, obj in targets.items()}
        self.modules = {n: sys.modules.get(n) for n in targets if n in sys.modules}

    def changes(
        self,
        _namespace: Any = _namespace,
        _lazy: frozenset = frozenset(_LAZY_CACHES),
        _missing: object = _MISSING,
        _modules: dict = sys.modules,
    ) -> list[str]:
        """What differs from the snapshot (helpers bound as defaults: rebinding them is moot)."""
        found = []
        for name, obj in self.targets.items():
            now = _namespace(obj)
            old = self.before[name]
            for key, value in old.items():
                if now.get(key, _missing) is not value:
                    found.append(f"{name}.{key}")
            if len(now) != len(old) and (isinstance(obj, type) or name == "builtins"):
                found.extend(f"{name}.{k}" for k in now.keys() - old.keys() if k not in _lazy)
        for name, module in self.modules.items():
            if _modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}]")
        return sorted(set(found))[:20]
