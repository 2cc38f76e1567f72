"""What a sandboxed child may read: Python, its packages and system libraries, minus secrets.

Landlock is allow-only, so a secret (a lesson folder, the reference cache, the progress
database's folder) lying under an allowed folder cannot be denied by a rule of its own: the
folder is *carved* instead, replaced by its entries minus the one leading to the secret,
recursively. A carved folder itself can no longer be listed (its entries still can be);
Python's import system copes because the zygote's finders cached those listings before the
fork (see the package docs).
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from types import ModuleType

SYSTEM_DIRS = ("/usr/lib", "/lib", "/lib64", "/usr/lib64", "/usr/local/lib")
SYSTEM_FILES = (
    "/etc/ld.so.cache",  # ctypes.CDLL / dlopen of a lazily loaded library
    "/etc/localtime",  # time.localtime in a child whose libc had not read it yet
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
    "/proc/cpuinfo",
    "/sys/devices/system/cpu",  # CPU count and caches (torch, OpenMP)
    "/sys/devices/system/node",  # NUMA nodes (OpenMP, mbind)
)
SITE_NAMES = ("site-packages", "dist-packages")


def within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or beneath it (both already resolved)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def python_roots(
    path: Iterable[str] | None = None, modules: Mapping[str, ModuleType] | None = None
) -> list[str]:
    """Folders and files that hold this interpreter's code: the standard library (with
    ``lib-dynload``), every site-packages folder, and the own folder of each imported
    top-level package that lives elsewhere (an editable install's source package, never its
    parent: a repository's other folders, e.g. ``lessons/``, stay out)."""
    path = sys.path if path is None else path
    modules = sys.modules if modules is None else modules
    roots: set[str] = set()
    base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
    found = [sysconfig.get_path("stdlib", vars=base), sysconfig.get_path("platstdlib", vars=base)]
    found += [sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]
    roots.update(os.path.realpath(p) for p in found if p)
    site_dirs = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    if site.ENABLE_USER_SITE and hasattr(site, "getusersitepackages"):
        site_dirs.append(site.getusersitepackages())
    for entry in [*site_dirs, *path]:
        real = os.path.realpath(entry or os.getcwd())
        if entry in site_dirs or os.path.basename(real) in SITE_NAMES or os.path.isfile(real):
            roots.add(real)  # a zip on sys.path is a file: allowed whole
    roots = {r for r in roots if os.path.exists(r)}
    for name, module in list(modules.items()):
        if "." in name or name in ("__main__", "__mp_main__"):
            continue  # the main script's folder is not a package's
        try:
            places = list(getattr(module, "__path__", None) or [])  # packages (also namespace)
            if not places:
                file = getattr(module, "__file__", None)
                places = [file] if isinstance(file, str) else []
        except Exception:  # a module whose __getattr__ raises (e.g. torch.classes)
            continue
        for place in places:
            if not isinstance(place, str) or not os.path.exists(place):
                continue
            real = os.path.realpath(place)
            if not any(within(real, r) for r in roots):
                roots.add(real)
    return sorted(roots)


def system_paths() -> list[str]:
    """Shared libraries and the few system files a child reads (those that exist)."""
    return [p for p in (*SYSTEM_DIRS, *SYSTEM_FILES) if os.path.exists(p)]


def carve(roots: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """``roots`` with every secret cut out: a root inside a secret is dropped; a root
    holding a secret is replaced by its entries minus the secret, recursively. Symlinks are
    resolved first; symlinked entries of a carved folder are left out (Landlock checks where
    a link leads, so leaving them out changes nothing). The result is sorted, with nothing
    listed that is beneath another entry."""
    hidden = sorted({os.path.realpath(s) for s in secrets if s})
    kept: set[str] = set()

    def visit(path: str) -> None:
        if any(within(path, s) for s in hidden):
            return
        inside = [s for s in hidden if within(s, path)]
        if not inside or not os.path.isdir(path):
            kept.add(path)
            return
        try:
            entries = list(os.scandir(path))
        except OSError:
            return  # cannot be listed, so cannot be carved: leave it out (the safe side)
        for entry in entries:
            if not entry.is_symlink():
                visit(os.path.join(path, entry.name))

    for root in roots:
        real = os.path.realpath(root)
        if os.path.exists(real):
            visit(real)
    out: list[str] = []
    for path in sorted(kept):
        if not any(within(path, k) for k in out):
            out.append(path)
    return out


def builtin_course() -> str | None:
    """The course a wheel ships inside the package (``tutor/_course``), if there is one."""
    import tutor

    folder = os.path.join(os.path.dirname(os.path.abspath(tutor.__file__)), "_course")
    return folder if os.path.isdir(folder) else None


def readable_paths(
    secrets: Iterable[str], extra: Iterable[str] = (), roots: Iterable[str] | None = None
) -> list[str]:
    """The read-only allow-list for a child: :func:`python_roots` (or ``roots``),
    :func:`system_paths` and ``extra``, carved around ``secrets`` and, always, the built-in
    course that a wheel install ships inside the package."""
    base = list(roots) if roots is not None else [*python_roots(), *system_paths()]
    course = builtin_course()
    return carve([*base, *extra], [*secrets, *([course] if course else [])])
