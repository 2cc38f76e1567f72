"""What every command shares: exit codes, ``--lessons``, loading the course, the store."""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum


class ExitCode(IntEnum):
    """``tutor``'s exit codes, the same for every command."""

    OK = 0
    FAIL = 1  # something was graded and did not pass, or lint found errors
    USAGE = 2  # bad arguments, a broken lesson, an unwritable file
    INTERRUPTED = 130


class CommandError(Exception):
    """A problem already worded for the person at the terminal (printed, exit 2)."""


def _default(top: bool):
    """A sub-command's copy of a global option must not reset what was given before the
    command (``tutor --lessons DIR grade ...``): it only sets the value when given."""
    return None if top else argparse.SUPPRESS


def add_lessons(p: argparse.ArgumentParser, top: bool = False) -> None:
    p.add_argument(
        "--lessons",
        action="append",
        default=_default(top),
        metavar="DIR",
        help="a lesson folder (repeatable); default: $TUTOR_LESSONS or the built-in course",
    )


def add_workspace(p: argparse.ArgumentParser, top: bool = False) -> None:
    p.add_argument(
        "--workspace",
        default=_default(top),
        metavar="DIR",
        help="the folder of your exercise files (<id>.py, <id>.txt); "
        "default: $TUTOR_WORKSPACE or 'workspace' in tutor's data folder",
    )


def jobs(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def load(dirs: list[str] | None):
    """(folders, course) for ``--lessons`` (or the default folders)."""
    from tutor.lesson.load import lesson_dirs, load_course

    folders = lesson_dirs(dirs)
    return folders, load_course(folders)


def open_store():
    """The learner's progress store; a problem opening it becomes a :class:`CommandError`."""
    from tutor.progress import ProgressError, ProgressStore

    try:
        store = ProgressStore()
    except ProgressError as exc:
        raise CommandError(str(exc)) from None
    if store.warning:
        print(f"warning: {store.warning}", file=sys.stderr)
    return store
