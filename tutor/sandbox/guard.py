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
from types import MappingProxyType
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_DIR_FLAGS = getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_PATH", 0)
_is_dir = os.path.isdir
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
    "socket.__new__",
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
    return any(path == r or path.startswith(r.rstrip("/\\") + os.sep) for r in roots)


# events refused only while learner code runs: tutor's own code after the run needs them
_LEARNER_ONLY = {
    "sys._current_frames": ("frames", "looking at other threads' frames"),
    "gc.get_objects": ("gc", "walking the garbage collector's objects"),
    "gc.get_referrers": ("gc", "walking the garbage collector's objects"),
    "gc.get_referents": ("gc", "walking the garbage collector's objects"),
}
_TRUSTED_MODULES = ("tutor", "torch", "numpy", "builtins", "threading", "functools")


def _trusted_function(obj: Any) -> bool:
    module = getattr(obj, "__module__", None)
    return isinstance(module, str) and module.split(".")[0] in _TRUSTED_MODULES


def install_audit_hook(
    workdir: str,
    secret_paths: Iterable[str],
    flags: list[str] | None = None,
    protected_files: Iterable[str] = (),
) -> Any:
    """Refuse forbidden events from now on in this process (a hook cannot be removed).

    Returns ``set_stage(name)``: ``"learner"`` while untrusted code runs (frames of other
    threads, the collector's object lists, code objects of trusted functions and ctypes are
    refused too), ``"tutor"`` while tutor's own code reads the results. Keep it in a local
    of a frame learner code cannot reach. Each refusal is also recorded in ``flags`` (short
    words for an instructor), which the code cannot clear: only the hook holds the list.
    """
    workdir = os.path.realpath(workdir)
    writable = (workdir, os.devnull)
    secrets = tuple(os.path.realpath(p) for p in secret_paths if p)
    own_pid = os.getpid()
    proc_self = (f"/proc/{own_pid}", "/proc/self", "/proc/thread-self")
    proc_mem = tuple(p + "/mem" for p in proc_self)
    stage = ["tutor"]
    seen = flags if flags is not None else []
    setup_files = frozenset(protected_files)  # the setup's helpers: checks call them

    def deny(flag: str, what: str) -> None:
        if flag not in seen:
            seen.append(flag)
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
                deny("write-outside", f"writing to {path} (write files in the current folder only)")
            if _under(path, secrets):
                deny("read-secret", "reading lesson files or reference results")
            if path == "/proc" or (path.startswith("/proc/") and not _under(path, proc_self)):
                deny("other-process", "looking at other processes")
            if stage[0] == "learner" and _under(path, proc_mem):
                deny("process-memory", "reading or writing this process's memory file")
            if (
                stage[0] == "learner"
                and not _under(path, writable)
                and (flags & _DIR_FLAGS or _is_dir(path))
            ):  # a folder's fd would let os.open(name, dir_fd=...) go where no path is seen
                deny("write-outside", f"opening the folder {path} (work in the current folder)")
        elif event in _PROCESS_EVENTS:
            deny("process", "starting other processes" + _process_hint())
        elif event in _NET_EVENTS:
            deny("network", "network access")
        elif event in ("os.kill", "os.killpg"):
            if event == "os.killpg" or args[0] not in (own_pid, 0):
                deny("signal", "signalling other processes")
        elif event in _PATH_WRITE_EVENTS:
            for i in _PATH_WRITE_EVENTS[event]:
                path = _real(args[i]) if i < len(args) else None
                if path is not None and not _under(path, writable):
                    deny("write-outside", f"changing {path} (work in the current folder only)")
        elif event in _PATH_READ_EVENTS:
            path = _real(args[0]) if args else None
            if path and (_under(path, secrets) or path == "/proc" or path.startswith("/proc/")):
                deny("read-secret", "looking at that folder")
        elif event == "sys.addaudithook":
            deny("audit-hook", "adding audit hooks")
        elif stage[0] != "learner":
            return
        elif event in _LEARNER_ONLY:
            deny(*_LEARNER_ONLY[event])
        elif event == "object.__setattr__" and len(args) > 1:
            name = args[1]
            if name == "__code__" or (
                name in ("__defaults__", "__kwdefaults__")
                and (_trusted_function(args[0]) or _defined_in(args[0], setup_files))
            ):
                deny("code-object", f"replacing {name} of a function")
        elif event.startswith("ctypes."):
            deny("ctypes", "ctypes (native memory and library access)")
        elif event == "tutor.operator_library" and args[1:2] and args[1] in _CORE_NAMESPACES:
            deny("operator-override", f"replacing torch's own operators ({args[1]}::...)")

    def set_stage(name: str) -> None:
        stage[0] = name

    sys.addaudithook(hook)
    return set_stage


def _defined_in(fn: Any, files: frozenset[str]) -> bool:
    code = getattr(fn, "__code__", None)
    return code is not None and getattr(code, "co_filename", None) in files


def _process_hint() -> str:
    """A DataLoader with worker processes is the usual way real code meets this refusal."""
    try:
        frame = sys._getframe(3)
    except ValueError:
        return ""
    for _ in range(40):
        if frame is None:
            break
        if "torch/utils/data" in frame.f_code.co_filename.replace("\\", "/"):
            return ": DataLoader(num_workers=...) starts worker processes; use num_workers=0"
        frame = frame.f_back
    return ""


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


# the operators eager code (and every check) dispatches through; torch.compile defines
# prims:: operators of its own on first use, which no check calls
_CORE_NAMESPACES = frozenset({"aten", "quantized", "_quantized"})


def audit_operator_libraries() -> None:
    """Make ``torch.library.Library`` (which can replace the kernel of any torch operator,
    ``allclose`` included, process-wide) raise an audit event the hook can refuse while
    learner code runs, for torch's own operator namespaces. A learner's own namespace
    (``torch.library.custom_op("mylib::f")``) stays allowed. Called once in the server."""
    import torch

    native = torch._C._dispatch_library

    def dispatch_library(kind: Any, ns: Any, *args: Any, **kwargs: Any) -> Any:
        sys.audit("tutor.operator_library", kind, ns)
        return native(kind, ns, *args, **kwargs)

    torch._C._dispatch_library = dispatch_library


_BUILTINS = builtins.__dict__
# read-only: the dict behind it is reachable only through the proxy (code could otherwise
# put a fake ``len`` in the very copy that restores the real one)
_SAVED_BUILTINS = MappingProxyType(dict(_BUILTINS))
_MISSING = object()
_pread, _fstat, _getpid, _from_bytes = os.pread, os.fstat, os.getpid, int.from_bytes
_MEMORY: dict[str, Any] = {}  # this process's /proc/self/mem: fd, identity, pid
_VERSION_OFFSET = 24  # PyDictObject: refcount, type, ma_used, then ma_version_tag


def open_memory(_memory: dict = _MEMORY) -> bool:
    """Let :func:`dict_version` read this process's dict versions; True if it can.

    PEP 509 (CPython up to 3.13) bumps a dict's version on every change, so an equal version
    proves a dict unchanged without touching its values: in a forked child each touched value
    is a copy-on-write page fault, and comparing thousands of them cost milliseconds per run.
    The version is read through ``/proc/self/mem``, never through objects learner code could
    replace. A forked child must call this again (the file is per process); where the field
    does not behave (other Pythons, 3.14's reuse of it) this returns False and every check
    compares values.
    """
    _memory.clear()
    if sys.implementation.name != "cpython" or not (3, 8) <= sys.version_info < (3, 14):
        return False
    try:
        fd = os.open("/proc/self/mem", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    info = os.fstat(fd)
    _memory.update(fd=fd, id=(info.st_dev, info.st_ino), pid=os.getpid())
    probe: dict[str, int] = {"k": 1}
    first, again = dict_version(probe), dict_version(probe)
    probe["k"] = 2
    changed = dict_version(probe)
    if first is None or first != again or changed in (None, first):
        os.close(fd)
        _memory.clear()
        return False
    return True


def memory_state(_memory: dict = _MEMORY) -> MappingProxyType | None:
    """A read-only copy of what :func:`open_memory` opened, for a snapshot to keep privately
    (the module's own record is reachable by the code, and could be pointed elsewhere)."""
    return MappingProxyType(dict(_memory)) if _memory else None


def memory_fds(_memory: dict = _MEMORY) -> list[int]:
    """The fd :func:`open_memory` holds (a confined child must keep it open)."""
    return [_memory["fd"]] if "fd" in _memory else []


def dict_version(
    d: dict,
    _memory: Any = _MEMORY,
    _pread: Any = _pread,
    _fstat: Any = _fstat,
    _getpid: Any = _getpid,
    _from_bytes: Any = _from_bytes,
    _id: Any = id,
    _offset: int = _VERSION_OFFSET,
) -> int | None:
    """The dict's PEP 509 version, or None when it cannot be read trustworthily here."""
    try:
        fd = _memory["fd"]
        info = _fstat(fd)
        if (info.st_dev, info.st_ino) != _memory["id"] or _getpid() != _memory["pid"]:
            return None  # a replaced or inherited file: do not trust what it says
        return _from_bytes(_pread(fd, 8, _id(d) + _offset), "little")
    except Exception:
        return None


_BUILTINS_VERSION: list[int | None] = [None]


def mark_builtins_clean() -> None:
    """Record that builtins are as saved now, so :func:`restore_builtins` can skip them
    while their version stays the same. Call after :func:`open_memory`."""
    restore_builtins()
    _BUILTINS_VERSION[0] = dict_version(_BUILTINS)


def restore_builtins(
    _BUILTINS: dict = _BUILTINS,
    _SAVED_BUILTINS: dict = _SAVED_BUILTINS,
    _MISSING: object = _MISSING,
    _clean: list = _BUILTINS_VERSION,
    _version: Any = dict_version,
) -> list[str]:
    """Put every builtin back as it was at import; return the names the run had changed.

    Runs right after learner code, before anything of tutor's looks a builtin up: it uses
    only dict methods and operators, so a replaced ``len`` or ``sorted`` cannot fool it, and
    its data is bound as defaults, so rebinding this module's globals cannot either.
    """
    if _clean[0] is not None and _version(_BUILTINS) == _clean[0]:
        return []  # not one change since they were known clean
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


def _backing_dict(target: Any) -> dict | None:
    """The real dict behind a target's attributes (a class's lives behind a mappingproxy)."""
    obj = target[0] if isinstance(target, tuple) else target
    try:
        mapping = vars(obj)
    except TypeError:
        return None
    if isinstance(mapping, dict):
        return mapping
    import gc

    inner = [r for r in gc.get_referents(mapping) if type(r) is dict]
    return inner[0] if len(inner) == 1 else None


# attributes torch itself rebinds when real code changes a setting (set_default_dtype swaps
# torch.Storage; warnings keep a registry): not what checks rely on, so not tampering
_MUTABLE = {("torch", "Storage"), ("torch", "__warningregistry__")}
_ModuleType = type(sys)


def _legit_change(target: str, key: str, new: Any, _modules: dict = sys.modules) -> bool:
    if (target, key) in _MUTABLE or key == "__warningregistry__":
        return True
    # a submodule imported lazily (torch.onnx, numpy.random): the real module of that name
    if type(new) is _ModuleType:
        dotted = f"{target}.{key}"
        return getattr(new, "__name__", None) == dotted and _modules.get(dotted) is new
    return False


class TamperSnapshot:
    """The objects every trusted attribute pointed at, to compare by identity after a run.

    Keeping the objects (not their ids) lets the check walk the live ``__dict__`` without
    building new dicts; and a namespace whose dict version (PEP 509) has not moved is skipped
    without walking at all. Both matter in a forked child, where each touched page is copied.
    """

    def __init__(self, targets: dict[str, Any]) -> None:
        self.targets = targets
        self.before = {name: dict(_namespace(obj)) for name, obj in targets.items()}
        self.modules = {n: sys.modules.get(n) for n in targets if n in sys.modules}
        self.dicts = {name: _backing_dict(obj) for name, obj in targets.items()}
        self.versions = {
            name: dict_version(d) if d is not None else None for name, d in self.dicts.items()
        }
        self.walked = 0  # namespaces compared value by value in the last check (for tests)
        self.memory: Any = None  # this process's memory file, sealed in by the run

    def seal(self, memory: Any) -> None:
        """Keep this process's memory-file record privately (see :func:`memory_state`)."""
        self.memory = memory

    def changes(
        self,
        _namespace: Any = _namespace,
        _lazy: frozenset = frozenset(_LAZY_CACHES),
        _missing: object = _MISSING,
        _modules: dict = sys.modules,
        _version: Any = dict_version,
        _legit_change: Any = _legit_change,
        _pread: Any = _pread,
        _from_bytes: Any = _from_bytes,
        _id: Any = id,
        _offset: int = _VERSION_OFFSET,
    ) -> list[str]:
        """What differs from the snapshot (helpers bound as defaults: rebinding them is moot)."""
        found = []
        walked = 0
        memory = self.memory if self.memory is not None else _MEMORY
        trusted = _version(self.versions, memory) is not None  # the memory file is ours
        fd = memory.get("fd") if trusted else None
        for name, obj in self.targets.items():
            known = self.versions[name]
            backing = self.dicts[name]
            if known is not None and backing is not None and fd is not None:
                try:  # one read per namespace (the file was checked once, above)
                    now = _from_bytes(_pread(fd, 8, _id(backing) + _offset), "little")
                except Exception:
                    now = None
                if now == known:
                    continue  # unchanged since the snapshot: no need to touch its values
            walked += 1
            now = _namespace(obj)
            old = self.before[name]
            for key, value in old.items():
                new = now.get(key, _missing)
                if new is not value and not _legit_change(name, key, new):
                    found.append(f"{name}.{key}")
            if len(now) != len(old) and (isinstance(obj, type) or name == "builtins"):
                found.extend(f"{name}.{k}" for k in now.keys() - old.keys() if k not in _lazy)
        for name, module in self.modules.items():
            if _modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}]")
        self.walked = walked
        return sorted(set(found))[:20]
