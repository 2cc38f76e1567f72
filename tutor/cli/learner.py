"""Commands for learners and their machines: ``tutor`` / ``tutor play``, ``tutor progress``,
``tutor export`` and ``tutor doctor``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutor import DISTRIBUTION, __version__
from tutor.cli.common import ExitCode, add_lessons, add_workspace, error, load


class ProgressProblem(Exception):
    """A progress-store problem, already worded for the learner."""


def add_parsers(sub) -> None:
    play = sub.add_parser("play", help="play the course in the terminal (the default)")
    add_lessons(play)
    add_workspace(play)


def add_progress(sub) -> None:
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


def add_export(sub) -> None:
    export = sub.add_parser(
        "export", help="write your current code and answers as a submission folder"
    )
    export.add_argument("folder", metavar="DIR", type=Path)
    add_lessons(export)
    add_workspace(export)


def add_doctor(sub) -> None:
    doctor = sub.add_parser(
        "doctor",
        help="what this machine gives the sandbox: backend, isolation layers, what is missing",
    )
    add_lessons(doctor, "lesson folders to keep out of the sandbox (as 'tutor grade' would)")


def open_store():
    from tutor.progress import ProgressError, ProgressStore

    try:
        store = ProgressStore()
    except ProgressError as exc:
        raise ProgressProblem(str(exc)) from None
    if store.warning:
        print(f"warning: {store.warning}", file=sys.stderr)
    return store


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
                return error(f"no lesson {args.reset!r}; see 'tutor list'")
            if not args.yes:
                if not sys.stdin.isatty():
                    return error("--reset asks first; add --yes to reset without asking")
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
        for err in course.errors:
            print(f"lesson error: {err}", file=sys.stderr)
        print(f"progress file: {store.path}")
        print(f"workspace: {workspace.folder} (grade it with 'tutor grade {workspace.folder}')")
    return ExitCode.OK


def run_export(args: argparse.Namespace) -> int:
    from tutor.progress import export_submission

    _, course = load(args.lessons)
    if not course.lessons:
        for err in course.errors:
            print(f"lesson error: {err}", file=sys.stderr)
        return error("no lesson loaded: nothing to export")
    workspace = _workspace(args)
    store = open_store()
    with store:
        try:
            written = export_submission(store, course, args.folder, workspace=workspace)
        except (OSError, ValueError) as exc:
            return error(f"cannot export to {args.folder}: {exc}")
    lessons = " ".join(f"--lessons {d}" for d in args.lessons or [])
    print(
        f"wrote {len(written)} file(s) to {args.folder}; "
        f"grade them with 'tutor grade {args.folder}{' ' + lessons if lessons else ''}'"
    )
    return ExitCode.OK


def run_doctor(args: argparse.Namespace) -> int:
    """Say exactly what the sandbox enforces here, and what it cannot."""
    import platform
    import shutil

    from tutor.lesson.load import lesson_dirs
    from tutor.paths import cache_dir
    from tutor.sandbox.backend import BACKEND_ENV, backend_name, open_sandbox

    print(f"{DISTRIBUTION} {__version__} on {platform.system()} {platform.release()} "
          f"({platform.machine()}), Python {platform.python_version()}")  # fmt: skip
    name = backend_name()
    forced = f" (forced by {BACKEND_ENV})" if os.environ.get(BACKEND_ENV) else ""
    print(f"sandbox backend: {name}{forced}")
    try:
        from tutor.sandbox import kernel

        for line in kernel.support().describe():
            print(f"  kernel: {line}")
    except ImportError:
        print("  kernel: confinement layer not available in this build")
    sandbox = open_sandbox(1, secrets=[str(p) for p in lesson_dirs(args.lessons)])
    try:
        described = sandbox.describe()
        print(f"  torch in the sandbox: {sandbox.torch_version()}")
    finally:
        sandbox.close()
    print("  in force: " + ", ".join(described["layers"]))
    for line in described["missing"]:
        print(f"  missing: {line}")
    bwrap = shutil.which("bwrap")
    print(f"  --isolate (bubblewrap): {'available at ' + bwrap if bwrap else 'not installed'}")
    print(f"reference cache: {cache_dir()}")
    print("lessons: " + ", ".join(str(p) for p in lesson_dirs(args.lessons)))
    return ExitCode.OK
