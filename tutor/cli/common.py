"""What every command shares: exit codes, the ``--lessons`` option, loading a course, writing
a report."""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """The contract's exit codes (section 5), for every command."""

    OK = 0
    FAIL = 1  # something graded or linted did not pass
    USAGE = 2  # a usage error, or a lesson error
    INTERRUPTED = 130


class UsageError(Exception):
    """A command line that cannot be run as given, worded for the person who typed it."""


def add_lessons(p: argparse.ArgumentParser, help_text: str | None = None) -> None:
    p.add_argument(
        "--lessons",
        action="append",
        metavar="DIR",
        help=help_text
        or "a lesson folder, or a folder of lesson folders (repeatable); default: "
        "$TUTOR_LESSONS or the built-in course",
    )


def add_workspace(p: argparse.ArgumentParser, top: bool = False) -> None:
    """``--workspace``: before the command it sets the default, after it it wins."""
    p.add_argument(
        "--workspace",
        dest="top_workspace" if top else "workspace",
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
    from tutor.lesson.load import lesson_dirs, load_course

    folders = lesson_dirs(dirs)
    return folders, load_course(folders)


def emit(text: str, output: Path | None) -> bool:
    """Write a report to --output or stdout; False (after saying why) if the file failed."""
    from tutor.grading.formats import write_stream

    if output is None:  # an ASCII or Latin-1 terminal gets escapes, not UnicodeEncodeError
        write_stream(sys.stdout, text)
        return True
    try:
        output.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return ExitCode.USAGE
