"""The ``tutor`` command: the game by default, plus grade / lint / list for authors and CI.

Each command's options and code live in its own module (``grade.py``, ``authoring.py``,
``learner.py``); this one builds the parser and dispatches. Imports are deferred to each
command, so ``tutor grade`` never loads the TUI and ``tutor`` paints before anything heavy is
imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tutor import DISTRIBUTION, __version__
from tutor.cli import authoring, grade, learner
from tutor.cli.common import CommandError, ExitCode, add_lessons, add_workspace

__all__ = ["ExitCode", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Learn how PyTorch gradients flow, one graded exercise at a time.",
        epilog="Run 'tutor' with no command to play.",
    )
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {__version__}")
    add_lessons(parser, top=True)
    add_workspace(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    learner.add_parsers(sub)  # play, progress, export
    grade.add_parser(sub)
    authoring.add_parsers(sub)  # lint, list
    return parser


COMMANDS = {
    "play": learner.run_play,
    "progress": learner.run_progress,
    "export": learner.run_export,
    "grade": grade.run,
    "lint": authoring.run_lint,
    "list": authoring.run_list,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["grade", "merge"]:
        return grade.merge(argv[2:])
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command or "play"](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
