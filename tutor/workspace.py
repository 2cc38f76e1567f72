"""The learner's workspace: one real file per item, in the submission layout of LESSON_FORMAT
section 5 (``<exercise-id>.py``, ``<id>.txt`` for a quiz's choice or a prediction), so any
editor can open it and ``tutor grade WORKSPACE`` grades exactly what the learner has.

Files are read with any line ending (CRLF from Windows editors, a UTF-8 byte-order mark) and
handed out with ``\\n``; they are written back atomically in the style they had. The
workspace remembers the text it last wrote or read for each file, so a file watcher can tell
the app's own writes (nothing new) from a save in another editor (:meth:`Workspace.changed`).

Imports neither textual nor torch: the CLI uses it too.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.progress.export import submission_name

BOM = "\ufeff"


class WorkspaceError(Exception):
    """A workspace file cannot be read or written; the message says which and why."""


@dataclass(frozen=True)
class Style:
    """How a file was written by whoever saved it last: kept when tutor writes it back."""

    newline: str = "\n"
    bom: bool = False


def normalize(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading byte-order mark goes."""
    return text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")


def _style_of(raw: str) -> Style:
    crlf = raw.count("\r\n")
    return Style("\r\n" if crlf and crlf >= raw.count("\n") - crlf else "\n", raw.startswith(BOM))


class Workspace:
    """The folder of one learner's item files."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._known: dict[str, str] = {}
        self._styles: dict[str, Style] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Workspace({str(self.folder)!r})"

    # -- names ---------------------------------------------------------------------------

    def name(self, item: Any) -> str:
        return submission_name(item)

    def path(self, item: Any) -> Path:
        return self.folder / submission_name(item)

    def display(self, item: Any | None = None, width: int = 0) -> str:
        """The folder (or an item's file) as a person reads it: ``~`` for the home folder,
        the middle cut with ``…`` when longer than ``width`` (0: never cut)."""
        path = self.path(item) if item is not None else self.folder
        return shorten(tilde(path), width)

    # -- reading and writing -------------------------------------------------------------

    def read(self, item: Any) -> str | None:
        """The item's file as text with ``\\n`` line endings, or None when there is no file.

        Raises :class:`WorkspaceError` when it exists but cannot be read as UTF-8 text."""
        path = self.path(item)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise WorkspaceError(f"{tilde(path)} is a folder, not a file") from None
        except OSError as exc:
            raise WorkspaceError(f"cannot read {tilde(path)}: {exc.strerror or exc}") from None
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WorkspaceError(
                f"{tilde(path)} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from None
        text = normalize(raw)
        name = path.name
        with self._lock:
            self._styles[name] = _style_of(raw)
            self._known[name] = text
        return text

    def write(self, item: Any, text: str) -> Path:
        """Write the item's file atomically, in the line-ending style it had; remember the
        text so the watcher knows this write was tutor's own."""
        path = self.path(item)
        text = normalize(text)
        with self._lock:
            style = self._styles.get(path.name, Style())
            self._known[path.name] = text
        data = (BOM if style.bom else "") + text.replace("\n", style.newline)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
        except OSError as exc:
            raise WorkspaceError(f"cannot write {tilde(path)}: {exc.strerror or exc}") from None
        return path

    def known(self, item: Any) -> str | None:
        """The text tutor last wrote to or read from the item's file."""
        with self._lock:
            return self._known.get(self.path(item).name)

    def changed(self, item: Any) -> str | None:
        """The file's text if someone else changed it since tutor last wrote or read it,
        else None (also when it is missing; see :meth:`missing`)."""
        before = self.known(item)
        text = self.read(item)
        if text is None or text == before:
            return None
        return text

    def missing(self, item: Any) -> bool:
        return not self.path(item).exists()

    def ensure(self, item: Any, text: str) -> bool:
        """Write ``text`` if the item has no file; True when it wrote one."""
        if self.path(item).exists():
            return False
        self.write(item, text)
        return True

    def remove(self, items: Iterable[Any]) -> list[Path]:
        """Delete the files of ``items`` (a progress reset); return those that were there."""
        removed = []
        for item in items:
            path = self.path(item)
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                why = exc.strerror or exc
                raise WorkspaceError(f"cannot remove {tilde(path)}: {why}") from None
            removed.append(path)
            with self._lock:
                self._known.pop(path.name, None)
        return removed

    def item_names(self, paths: Iterable[str | os.PathLike[str]]) -> set[str]:
        """The file names, among ``paths``, that sit directly in this workspace."""
        names = set()
        folder = _resolved(self.folder)
        for p in paths:
            path = Path(p)
            if _resolved(path.parent) == folder:
                names.add(path.name)
        return names


def write_atomic(path: Path, data: str) -> None:
    """Write through a temporary file and a rename: a reader (or a crash) never sees half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tilde(path: Path) -> str:
    """``path`` with the home folder written ``~``."""
    try:
        home = Path.home()
        rel = path.relative_to(home)
    except (ValueError, RuntimeError):
        return str(path)
    return str(Path("~") / rel)


def shorten(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width`` characters (0 or less: not cut)."""
    if width <= 0 or len(text) <= width:
        return text
    if width <= 3:
        return text[-width:]
    head = (width - 1) // 3
    tail = width - 1 - head
    return text[:head] + "…" + text[-tail:]


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
