"""The ``tutor`` command: the game by default, plus grade / lint / list / new for authors and CI.

Each command lives in the module of its audience (``grade.py``, ``authoring.py``,
``learner.py``), registers its own options (``add_*``) and runs (``run*``); this module only
builds the parser and dispatches. Imports are deferred to each command, so ``tutor grade``
never loads the TUI and ``tutor`` paints before anything heavy is imported.

``--lessons DIR`` may come before the command (``tutor --lessons DIR list``) or after it;
both are honoured (joined), and ``tutor grade merge``, which loads no lessons, refuses it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tutor import DISTRIBUTION, __version__
from tutor.cli import authoring, grade, learner
from tutor.cli.common import ExitCode, add_workspace, error

EXIT_OK, EXIT_FAIL, EXIT_USAGE = ExitCode.OK, ExitCode.FAIL, ExitCode.USAGE

__all__ = ["ExitCode", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Learn how PyTorch gradients flow, one graded exercise at a time.",
        epilog="Run 'tutor' with no command to play. Lesson authors: 'tutor new', 'tutor lint' "
        "and docs/lesson-format.md.",
    )
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {__version__}")
    parser.add_argument(
        "--lessons",
        action="append",
        dest="top_lessons",
        metavar="DIR",
        help="a lesson folder (repeatable), for the game and every command; default: "
        "$TUTOR_LESSONS or the built-in course",
    )
    add_workspace(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    learner.add_parsers(sub)
    grade.add_parser(sub)
    authoring.add_lint(sub)
    authoring.add_new(sub)
    learner.add_progress(sub)
    learner.add_export(sub)
    learner.add_doctor(sub)
    authoring.add_list(sub)
    return parser


COMMANDS = {
    "play": learner.run_play,
    "grade": grade.run,
    "lint": authoring.run_lint,
    "new": authoring.run_new,
    "list": authoring.run_list,
    "progress": learner.run_progress,
    "export": learner.run_export,
    "doctor": learner.run_doctor,
}


def _command_index(argv: list[str]) -> tuple[int, bool]:
    """Where the command word is, skipping the top-level options before it, and whether a
    top-level ``--lessons`` came first."""
    n, lessons = 0, False
    while n < len(argv):
        arg = argv[n]
        if arg == "--lessons":
            lessons, n = True, n + 2
        elif arg.startswith("--lessons="):
            lessons, n = True, n + 1
        elif arg.startswith("-"):
            n += 1
        else:
            break
    return n, lessons


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    at, top_lessons = _command_index(argv)
    if argv[at : at + 2] == ["grade", "merge"]:
        if top_lessons:
            return error(grade.LESSONS_DO_NOT_APPLY)
        return _guard(lambda: grade.run_merge(argv[at + 2 :]))
    args = build_parser().parse_args(argv)
    joined = [*(args.top_lessons or []), *(getattr(args, "lessons", None) or [])]
    args.lessons = joined or None
    args.workspace = getattr(args, "workspace", None) or args.top_workspace
    command = args.command or "play"
    return _guard(lambda: COMMANDS[command](args))


def _guard(run) -> int:
    try:
        return int(run())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except learner.ProgressProblem as exc:
        return error(str(exc))
