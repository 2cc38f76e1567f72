"""Commands for the learner: ``tutor`` / ``tutor play`` (the game), ``tutor progress`` and
``tutor export``. The game and these commands see the same workspace files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.cli.common import ExitCode, add_lessons, add_workspace, load, open_store


def add_parsers(sub) -> None:
    play = sub.add_parser("play", help="play the course in the terminal (the default)")
    add_lessons(play)
    add_workspace(play)

    prog = sub.add_parser("progress", help="show your progress, or reset it")
    add_lessons(prog)
    add_workspace(prog)
    prog.add_argument(
        "--reset",
        nargs="?",
        const="*",
        metavar="LESSON",
        help="clear all progress, or one lesson's (its workspace files too)",
    )
    prog.add_argument("--yes", action="store_true", help="do not ask before --reset")

    export = sub.add_parser(
        "export", help="write your current code and answers as a submission folder"
    )
    export.add_argument("folder", metavar="DIR", type=Path)
    add_lessons(export)
    add_workspace(export)


def _workspace(args: argparse.Namespace):
    from tutor.paths import workspace_dir
    from tutor.workspace import Workspace

    return Workspace(workspace_dir(getattr(args, "workspace", None)))


def run_play(args: argparse.Namespace) -> int:
    try:
        from tutor.tui.app import run_app
    except ImportError:
        from tutor.cli.authoring import run_list

        return run_list(argparse.Namespace(lessons=args.lessons, format="text"))
    return run_app(lessons=args.lessons, workspace=args.workspace)


def run_progress(args: argparse.Namespace) -> int:
    from tutor.workspace import WorkspaceError

    _, course = load(args.lessons)
    workspace = _workspace(args)
    store = open_store()
    with store:
        if args.reset:
            which = "all your progress" if args.reset == "*" else f"your progress in {args.reset!r}"
            if args.reset != "*" and course.lesson(args.reset) is None:
                print(f"error: no lesson {args.reset!r}; see 'tutor list'", file=sys.stderr)
                return ExitCode.USAGE
            if not args.yes:
                if not sys.stdin.isatty():
                    print(
                        "error: --reset asks first; add --yes to reset without asking",
                        file=sys.stderr,
                    )
                    return ExitCode.USAGE
                answer = input(
                    f"Clear {which} (code, workspace files, XP, hints)? "
                    "This cannot be undone. [y/N] "
                )
                if answer.strip().lower() not in ("y", "yes"):
                    print("nothing cleared")
                    return ExitCode.OK
            store.reset(None if args.reset == "*" else args.reset)
            lessons = course.lessons if args.reset == "*" else [course.lesson(args.reset)]
            try:
                removed = workspace.remove(i for le in lessons if le for i in le.items)
            except WorkspaceError as exc:
                print(f"cleared {which}, but: {exc}", file=sys.stderr)
                return ExitCode.USAGE
            files = f" and {len(removed)} file(s) in {workspace.display()}" if removed else ""
            print(f"cleared {which}{files}")
            return ExitCode.OK
        totals = store.totals()
        level = totals.level
        print(
            f"level {level.number} {level.name}: {totals.xp} XP, streak {totals.streak} day(s), "
            f"{totals.items_passed} item(s) passed, {totals.achievements} achievement(s)"
        )
        for number, lesson in enumerate(course.lessons, 1):
            prog = store.lesson_progress(lesson)
            state = store.lesson_state(lesson, course)
            print(
                f"  {number:>2}. {state:<12} {lesson.id:<32} "
                f"{prog.items_passed}/{prog.items_total} items  {prog.xp} XP"
            )
        print(f"progress file: {store.path}")
        print(f"workspace: {workspace.folder} (grade it with 'tutor grade {workspace.folder}')")
    return ExitCode.OK


def run_export(args: argparse.Namespace) -> int:
    from tutor.progress import export_submission

    _, course = load(args.lessons)
    workspace = _workspace(args)
    store = open_store()
    with store:
        try:
            written = export_submission(store, course, args.folder, workspace=workspace)
        except (OSError, ValueError) as exc:
            print(f"error: cannot export to {args.folder}: {exc}", file=sys.stderr)
            return ExitCode.USAGE
    print(
        f"wrote {len(written)} file(s) to {args.folder}; "
        f"grade them with 'tutor grade {args.folder}'"
    )
    return ExitCode.OK
