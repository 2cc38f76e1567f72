"""Read a submission folder (contract section 5): ``<id>.py`` or ``<id>.txt`` per item.

A submission comes from a learner, so nothing in it is trusted (contract 1.1: "a submission
file is read only if it is a regular file inside the submission folder, no symlinks"):

* the folder is opened with ``O_DIRECTORY | O_NOFOLLOW``: a learner folder that is itself a
  symbolic link (to another learner's folder, to ``/``) is refused, not followed;
* each answer is looked at with ``lstat`` relative to that folder's descriptor and opened
  with ``O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC`` (``dir_fd``), and the
  open file's ``fstat`` must be the regular file that ``lstat`` saw: a symlink (to
  ``/etc/passwd``, to ``/dev/zero``), a FIFO (which would block), a device, a socket or a
  folder is refused, also when it is swapped in between the two looks;
* a regular file with more than one hard link is refused too: it may be the same file as one
  outside the folder;
* at most :data:`MAX_BYTES` + 1 bytes are read, whatever ``st_size`` says (a file that grows
  while read is cut there and refused as too large; one that shrinks is read as it is);
* a problem message names only the answer's own file name and never quotes its content.

Where the platform lacks ``O_NOFOLLOW`` or ``dir_fd`` (Windows), the same checks are made with
``os.lstat`` + ``stat.S_ISREG`` on the path (a reparse point counts as a link) and, after
opening, ``fstat`` must show the same file: a swap between the two looks is caught where the
platform reports file ids, and otherwise narrows to that short window.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tutor.grading.clean import name_label
from tutor.lesson.model import Item

MAX_BYTES = 1024 * 1024  # a learner's answer file above this is refused unread

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_USE_FDS = (
    bool(_NOFOLLOW)
    and bool(_DIRECTORY)
    and os.open in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
)
_FILE_FLAGS = (
    os.O_RDONLY
    | _NOFOLLOW
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


@dataclass(frozen=True)
class Answer:
    text: str | None  # None: no usable answer (see problem), or missing
    problem: str = ""  # why the file could not be used
    path: Path | None = None

    @property
    def missing(self) -> bool:
        return self.text is None and not self.problem


class FolderProblem(Exception):
    """The submission folder itself cannot be read; the message is for a person."""


def answer_name(item: Item) -> str:
    return f"{item.id}.py" if item.kind == "exercise" else f"{item.id}.txt"


def answer_path(folder: Path, item: Item) -> Path:
    return folder / answer_name(item)


def _is_link(st: os.stat_result) -> bool:
    attrs = getattr(st, "st_file_attributes", 0)
    return stat.S_ISLNK(st.st_mode) or bool(attrs & _REPARSE_POINT)


def folder_problem(folder: Path) -> str:
    """Why ``folder`` cannot be graded as a submission ("" when it can)."""
    try:
        _close(_open_folder(folder))
    except FolderProblem as exc:
        return str(exc)
    return ""


def _open_folder(folder: Path) -> int | None:
    """A descriptor of the folder (``None`` where the platform has no ``dir_fd``)."""
    label = name_label(folder.name or str(folder))
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        raise FolderProblem(f"submission folder {label} does not exist") from None
    except OSError as exc:
        raise FolderProblem(f"cannot read submission folder {label}: {_why(exc)}") from None
    if _is_link(st):
        raise FolderProblem(
            f"submission folder {label} is a symbolic link: not followed, not graded"
        )
    if not stat.S_ISDIR(st.st_mode):
        raise FolderProblem(f"submission folder {label} is not a folder")
    if not _USE_FDS:
        return None
    try:
        fd = os.open(folder, _DIR_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise FolderProblem(
                f"submission folder {label} was replaced while being read: not graded"
            ) from None
        raise FolderProblem(f"cannot read submission folder {label}: {_why(exc)}") from None
    try:
        now = os.fstat(fd)
    except OSError as exc:
        _close(fd)
        raise FolderProblem(f"cannot read submission folder {label}: {_why(exc)}") from None
    if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        _close(fd)
        raise FolderProblem(f"submission folder {label} was replaced while being read")
    return fd


def _close(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _why(exc: OSError) -> str:
    """An OSError in words, without the paths it carries."""
    return exc.strerror or type(exc).__name__


def read_answer(folder: Path, item: Item) -> Answer:
    """The learner's answer for ``item`` (see the module doc for what is refused)."""
    name = answer_name(item)
    path = folder / name
    if not name or "/" in name or "\\" in name or "\x00" in name or name in (".", ".."):
        return Answer(None, f"{name_label(name)} is not a valid answer file name", path)
    try:
        dir_fd = _open_folder(folder)
    except FolderProblem as exc:
        return Answer(None, str(exc), path)
    try:
        return _read(dir_fd, folder, name, path)
    finally:
        _close(dir_fd)


def _read(dir_fd: int | None, folder: Path, name: str, path: Path) -> Answer:
    where: dict = {"dir_fd": dir_fd} if dir_fd is not None else {}
    target: str | Path = name if dir_fd is not None else path
    try:
        before = os.stat(target, follow_symlinks=False, **where)
    except FileNotFoundError:
        return Answer(None)
    except OSError as exc:
        return Answer(None, f"cannot read {name}: {_why(exc)}", path)
    kind = _not_regular(before)
    if kind:
        return Answer(None, f"{name} is {kind}, not a regular file: not read", path)
    try:
        fd = os.open(target, _FILE_FLAGS, **where)
    except FileNotFoundError:
        return Answer(None, f"{name} was removed while being read", path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Answer(None, f"{name} is a symbolic link, not a regular file: not read", path)
        return Answer(None, f"cannot read {name}: {_why(exc)}", path)
    try:
        st = os.fstat(fd)
        kind = _not_regular(st)
        if kind:
            return Answer(None, f"{name} is {kind}, not a regular file: not read", path)
        if _other_file(before, st):
            return Answer(None, f"{name} was replaced while being read: not read", path)
        if st.st_nlink > 1:
            return Answer(
                None,
                f"{name} has other hard links (it may be a file outside the folder): "
                "copy it as a plain file",
                path,
            )
        if st.st_size > MAX_BYTES:
            return Answer(None, _too_big(name, st.st_size), path)
        data = _read_at_most(fd, MAX_BYTES + 1)
    except OSError as exc:
        return Answer(None, f"cannot read {name}: {_why(exc)}", path)
    finally:
        _close(fd)
    if len(data) > MAX_BYTES:
        return Answer(None, _too_big(name, None), path)
    return _decode(name, data, path)


def _not_regular(st: os.stat_result) -> str:
    """What the file is when it is not a plain regular file, else ""."""
    mode = st.st_mode
    if _is_link(st):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _other_file(before: os.stat_result, now: os.stat_result) -> bool:
    if not (before.st_ino and now.st_ino):  # a platform without file ids
        return False
    return (before.st_dev, before.st_ino) != (now.st_dev, now.st_ino)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, left = [], limit
    while left > 0:
        try:
            chunk = os.read(fd, min(left, 256 * 1024))
        except BlockingIOError:  # a regular file never blocks; anything else is not read
            break
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_big(name: str, size: int | None) -> str:
    what = f"is {size / 1e6:.1f} MB" if size is not None else "is over 1 MiB"
    return f"{name} {what}; answers are limited to 1 MiB"


def _decode(name: str, data: bytes, path: Path) -> Answer:
    if b"\x00" in data:
        return Answer(None, f"{name} looks like a binary file, not text", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Answer(None, f"{name} is not UTF-8 text (line {line}): save it as UTF-8", path)
    return Answer(text.replace("\r\n", "\n"), "", path)
