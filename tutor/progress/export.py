"""Write the learner's current answers as a submission folder that ``tutor grade`` accepts."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.progress.store import ProgressStore

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def submission_name(item: Any) -> str:
    """``<id>.py`` for an exercise, ``<id>.txt`` for a quiz (choice number) or a prediction."""
    if not _SAFE_ID.match(item.id) or ".." in item.id:
        raise ValueError(f"item id {item.id!r} cannot be used as a file name")
    return f"{item.id}.py" if item.kind == "exercise" else f"{item.id}.txt"


def export_submission(
    store: ProgressStore,
    course_items: Iterable[Any],
    folder: str | os.PathLike[str],
    workspace: Any = None,
) -> list[Path]:
    """Write each item's current answer into ``folder`` (created if needed); return the files
    written, in course order. The answer is the item's file in ``workspace`` (a
    :class:`tutor.workspace.Workspace`: what the learner's own editor saved) when it has one,
    else the draft saved by the game. Items with neither are skipped (``tutor grade`` reports
    them as ``missing``). ``course_items`` may be items, lessons, or a ``Course``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    drafts = store.drafts()
    written = []
    for item in _flatten(course_items):
        text = _from_workspace(workspace, item)
        if text is None:
            text = drafts.get(item.id)
        if text is None:
            continue
        path = out / submission_name(item)
        _write_atomic(path, text)
        written.append(path)
    return written


def _from_workspace(workspace: Any, item: Any) -> str | None:
    from tutor.workspace import WorkspaceError  # tutor.workspace imports this module

    if workspace is None:
        return None
    try:
        return workspace.read(item)
    except (WorkspaceError, ValueError):  # unreadable: the saved draft stands in for it
        return None


def _flatten(course_items: Any) -> list[Any]:
    if callable(getattr(course_items, "items", None)) and hasattr(course_items, "lessons"):
        course_items = course_items.items()  # a Course
    items = []
    for entry in course_items:
        if hasattr(entry, "kind"):
            items.append(entry)
        else:  # a Lesson
            items.extend(entry.items)
    return items


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
