"""The ``tutor`` command: the game by default, plus grade / lint / list for authors and CI.

Imports are deferred to each command, so ``tutor grade`` never loads the TUI and ``tutor``
paints before anything heavy is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tutor import __version__

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _add_lessons(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lessons",
        action="append",
        metavar="DIR",
        help="a lesson folder (repeatable); default: $TUTOR_LESSONS or the built-in course",
    )


def _jobs(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Learn how PyTorch gradients flow, one graded exercise at a time.",
        epilog="Run 'tutor' with no command to play.",
    )
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    _add_lessons(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the course in the terminal (the default)")
    _add_lessons(play)

    grade = sub.add_parser(
        "grade",
        help="grade a submission folder (exit 0 all passed, 1 some did not, 2 usage/lesson error)",
        description="Grade SUBMISSION_DIR: <id>.py per exercise, <id>.txt per quiz or prediction.",
        epilog="A class: 'tutor grade --batch ROOT [--shard K/N] --format json --output s.json'; "
        "join shard summaries with 'tutor grade merge s1.json s2.json ...'.",
    )
    grade.add_argument("submission", metavar="SUBMISSION_DIR", type=Path, nargs="?")
    grade.add_argument(
        "--batch",
        type=Path,
        metavar="ROOT",
        help="grade a class: every folder under ROOT is one learner's submission",
    )
    grade.add_argument(
        "--shard", metavar="K/N", help="with --batch: grade only a stable K-th of N parts"
    )
    grade.add_argument(
        "--results-dir",
        type=Path,
        metavar="DIR",
        default=Path("tutor-results"),
        help="with --batch: where each learner's result JSON goes (default: tutor-results)",
    )
    _add_lessons(grade)
    grade.add_argument(
        "--only",
        action="append",
        metavar="ID",
        help="grade only this item or lesson id (repeatable)",
    )
    grade.add_argument(
        "--format",
        choices=("text", "json", "junit", "csv"),
        default="text",
        help="csv: --batch only",
    )
    grade.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report here instead of stdout"
    )
    grade.add_argument(
        "--extra-seeds",
        type=int,
        default=2,
        metavar="K",
        help="add K hidden seeds the learner never saw, new ones each run (default 2; "
        "0 turns them off)",
    )
    grade.add_argument(
        "--seed-salt",
        default=None,
        metavar="S",
        help="pick the hidden seeds with this salt instead of a new one each run (repeatable)",
    )
    grade.add_argument(
        "--jobs",
        type=_jobs,
        default=min(2, os.cpu_count() or 1),
        metavar="N",
        help="parallel sandboxes",
    )
    grade.add_argument(
        "--memory", type=int, default=2048, metavar="MB", help="memory limit per run (MiB)"
    )
    grade.add_argument(
        "--isolate",
        action="store_true",
        help="run learners' code inside bubblewrap (no network, lesson files not mounted)",
    )
    grade.add_argument(
        "--no-cache", action="store_true", help="do not keep reference results on disk"
    )

    lint = sub.add_parser("lint", help="check lesson files: parse, run every solution and starter")
    lint.add_argument(
        "dirs",
        nargs="*",
        metavar="DIR",
        help="lesson folders or files (default: the built-in course)",
    )
    lint.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="items linted at once (default: one per core)",
    )
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument(
        "--no-cache", action="store_true", help="recompute every reference (no reuse)"
    )

    prog = sub.add_parser("progress", help="show your progress, or reset it")
    _add_lessons(prog)
    prog.add_argument(
        "--reset",
        nargs="?",
        const="*",
        metavar="LESSON",
        help="clear all progress, or one lesson's",
    )
    prog.add_argument("--yes", action="store_true", help="do not ask before --reset")

    export = sub.add_parser(
        "export", help="write your current code and answers as a submission folder"
    )
    export.add_argument("folder", metavar="DIR", type=Path)
    _add_lessons(export)

    sub.add_parser(
        "doctor",
        help="what this machine gives the sandbox: backend, isolation layers, what is missing",
    )

    lst = sub.add_parser("list", help="list lessons and their items with ids and points")
    _add_lessons(lst)
    lst.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["grade", "merge"]:
        return cmd_merge(argv[2:])
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "play"
    try:
        if command == "grade":
            return cmd_grade(args)
        if command == "lint":
            return cmd_lint(args)
        if command == "list":
            return cmd_list(args)
        if command == "progress":
            return cmd_progress(args)
        if command == "export":
            return cmd_export(args)
        if command == "doctor":
            return cmd_doctor(args)
        return cmd_play(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except _ProgressError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


class _ProgressError(Exception):
    """A progress-store problem, already worded for the learner."""


def _open_store():
    from tutor.progress import ProgressError, ProgressStore

    try:
        store = ProgressStore()
    except ProgressError as exc:
        raise _ProgressError(str(exc)) from None
    if store.warning:
        print(f"warning: {store.warning}", file=sys.stderr)
    return store


def _load(dirs: list[str] | None):
    from tutor.lesson.load import lesson_dirs, load_course

    folders = lesson_dirs(dirs)
    return folders, load_course(folders)


def cmd_play(args: argparse.Namespace) -> int:
    try:
        from tutor.tui.app import run_app
    except ImportError:
        return cmd_list(argparse.Namespace(lessons=args.lessons, format="text"))
    return run_app(lessons=args.lessons)


def cmd_list(args: argparse.Namespace) -> int:
    from tutor.lesson.model import item_summary

    _, course = _load(args.lessons)
    if args.format == "json":
        data = {
            "lessons": [
                {
                    "id": le.id,
                    "title": le.title,
                    "path": str(le.path),
                    "requires": list(le.requires),
                    "items": [
                        {
                            k: v
                            for k, v in item_summary(i).items()
                            if k in ("id", "kind", "points", "title")
                        }
                        for i in le.items
                    ],
                }
                for le in course.lessons
            ],
            "errors": [str(e) for e in course.errors],
        }
        print(json.dumps(data, indent=2))
        return EXIT_USAGE if course.errors else EXIT_OK
    total = 0
    for lesson in course.lessons:
        req = f"  (after {', '.join(lesson.requires)})" if lesson.requires else ""
        print(f"{lesson.id}: {lesson.title}  [{lesson.max_points} pts]{req}")
        for item in lesson.items:
            print(f"  {item.kind:<8} {item.id:<32} {item.points:>3} pts")
        total += lesson.max_points
    for err in course.errors:
        print(f"error: {err}", file=sys.stderr)
    print(f"{len(course.lessons)} lessons, {len(course.items())} items, {total} points")
    return EXIT_USAGE if course.errors else EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    from tutor.grading.factory import open_grader
    from tutor.grading.formats import render
    from tutor.grading.session import grade_folder

    if args.extra_seeds < 0:
        print("error: --extra-seeds must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    if (args.submission is None) == (args.batch is None):
        print("error: give a SUBMISSION_DIR or --batch ROOT (one of the two)", file=sys.stderr)
        return EXIT_USAGE
    if args.batch is None and (args.shard or args.format == "csv"):
        print("error: --shard and --format csv go with --batch", file=sys.stderr)
        return EXIT_USAGE
    if args.submission is not None and not args.submission.is_dir():
        print(f"error: submission folder {args.submission} does not exist", file=sys.stderr)
        return EXIT_USAGE
    import secrets

    from tutor.lesson.load import lesson_dirs
    from tutor.sandbox.isolate import IsolationUnavailable

    salt = args.seed_salt if args.seed_salt is not None else secrets.token_hex(8)
    try:
        grader, pool = open_grader(
            lesson_dirs(args.lessons),
            jobs=args.jobs,
            memory_mb=args.memory,
            extra_seed_count=args.extra_seeds,
            seed_salt=salt,
            use_cache=not args.no_cache,
            isolate=args.isolate,
        )
    except IsolationUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    pool.start_background()  # torch loads in the server while the lessons are parsed here
    _, course = _load(args.lessons)
    for err in course.errors:
        print(f"lesson error: {err}", file=sys.stderr)
    if args.batch is not None:
        with pool:
            return _grade_batch(args, course, grader)
    with pool:
        report = grade_folder(course, args.submission, grader, only=args.only, jobs=args.jobs)
    text = render(report, args.format)
    if not _emit(text, args.output):
        return EXIT_USAGE
    if args.output:  # the file holds the report; a person still sees the summary
        print(render(report, "text") if args.format != "text" else text, end="", file=sys.stderr)
    return report.exit_code()


def _emit(text: str, output: Path | None) -> bool:
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


def _grade_batch(args: argparse.Namespace, course, grader) -> int:
    from tutor.grading.batch import BatchError, grade_batch, learner_folders, parse_shard
    from tutor.grading.session import select_items

    try:
        shard = parse_shard(args.shard) if args.shard else (1, 1)
        folders = learner_folders(args.batch, shard)
    except BatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    items = select_items(course, args.only)
    if not items or not folders:
        what = "no learner folders" if not folders else "no items to grade"
        print(f"error: {what} under {args.batch}", file=sys.stderr)
        return EXIT_USAGE
    tty = sys.stderr.isatty()

    def progress(learner, done: int, total: int) -> None:
        if tty:
            filled = int(30 * done / total)
            bar = "#" * filled + "." * (30 - filled)
            end = "\n" if done == total else ""
            print(f"\r[{bar}] {done}/{total} learners", end=end, file=sys.stderr, flush=True)
        else:
            print(
                f"graded {learner.learner}: {learner.status} {learner.score}/{learner.max_score}"
                f" ({done}/{total})",
                file=sys.stderr,
                flush=True,
            )

    summary = grade_batch(items, folders, grader, args.jobs, args.results_dir, progress)
    summary.shards = [f"{shard[0]}/{shard[1]}"]
    summary.lesson_errors = [str(e) for e in course.errors]
    if not _emit(summary.render(args.format), args.output):
        return EXIT_USAGE
    print(f"results per learner in {args.results_dir}/", file=sys.stderr)
    return summary.exit_code()


def cmd_merge(argv: Sequence[str]) -> int:
    from tutor.grading.batch import BatchError, merge_summaries

    parser = argparse.ArgumentParser(
        prog="tutor grade merge",
        description="Join the JSON summaries of 'tutor grade --batch --shard K/N' runs.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="SUMMARY.json")
    parser.add_argument("--format", choices=("text", "json", "csv", "junit"), default="text")
    parser.add_argument("--output", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    try:
        summary = merge_summaries(args.files)
    except BatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not _emit(summary.render(args.format), args.output):
        return EXIT_USAGE
    return summary.exit_code()


def cmd_lint(args: argparse.Namespace) -> int:
    import time
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from tutor.grading.factory import open_grader
    from tutor.grading.lint import LintProblem, lint_grader

    folders, course, only = _lint_targets(args.dirs or None)
    problems: list[LintProblem] = [
        LintProblem(str(e.path), e.line, "-", e.message)
        for e in course.errors
        if only is None or Path(e.path).resolve() in only
    ]
    for p in problems:
        print(p, flush=True)
    grader, sandboxes = open_grader(folders, jobs=args.jobs, use_cache=not args.no_cache)
    grader = lint_grader(grader)
    sandboxes.start_background()
    items = [
        i for i in course.items() if only is None or Path(i.path).resolve() in only
    ]  # fmt: skip
    progress = _Progress(len(items), sys.stderr)
    with sandboxes, ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {}
        for item in items:
            futures[pool.submit(_lint_one, item, grader, progress)] = item
        for future in as_completed(futures):
            item, found, seconds = futures[future], *future.result()
            progress.done(item.id, found, seconds)
            for p in found:
                progress.clear()
                print(p, flush=True)
            problems.extend(found)
    progress.clear()
    errors = [p for p in problems if not p.warning or args.strict]
    warnings = len(problems) - len(errors)
    linted = {i.lesson_id for i in items} if only is not None else {le.id for le in course.lessons}
    print(
        f"{len(linted)} lessons, {len(items)} items: "
        f"{len(errors)} error(s), {warnings} warning(s) in {time.monotonic() - progress.start:.0f}s"
    )
    return EXIT_FAIL if errors else EXIT_OK


def _lint_targets(dirs: list[str] | None):
    """Folders to load and, when files were named, the only files to lint: a named file's
    ``requires`` still resolve against the other lessons of its folder."""
    from tutor.lesson.load import lesson_dirs, load_course

    named = [Path(d) for d in dirs or []]
    if not named or not any(p.is_file() for p in named):
        folders, course = _load(dirs)
        return folders, course, None
    folders = list(dict.fromkeys(p.parent if p.is_file() else p for p in named))
    only = {p.resolve() for p in named if p.is_file()}
    only |= {f.resolve() for p in named if p.is_dir() for f in p.glob("*.md")}
    return lesson_dirs([str(f) for f in folders]), load_course(folders), only


def _lint_one(item, grader, progress) -> tuple[list, float]:
    import time

    from tutor.grading.lint import lint_item

    progress.started(item.id)
    began = time.monotonic()
    found = list(lint_item(item, grader))
    return found, time.monotonic() - began


class _Progress:
    """Items linted of all, and the ones running: one redrawn line on a terminal, plain
    lines elsewhere (CI logs)."""

    def __init__(self, total: int, stream) -> None:
        import threading
        import time

        self.total, self.stream = total, stream
        self.count = 0
        self.running: list[str] = []
        self.tty = stream.isatty()
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.drawn = False

    def started(self, item_id: str) -> None:
        with self.lock:
            self.running.append(item_id)
            self._draw()

    def done(self, item_id: str, found: list, seconds: float) -> None:
        with self.lock:
            self.count += 1
            if item_id in self.running:
                self.running.remove(item_id)
            if self.tty:
                self._draw()
            else:
                verdict = "ok" if not found else f"{len(found)} problem(s)"
                print(
                    f"lint {self.count}/{self.total} {item_id}: {verdict} ({seconds:.1f}s)",
                    file=self.stream,
                    flush=True,
                )

    def _draw(self) -> None:
        if not self.tty:
            return
        now = ", ".join(self.running[-2:])
        line = f"[{self.count}/{self.total}] linting {now}"[:78]
        print(f"\r{line:<78}", end="", file=self.stream, flush=True)
        self.drawn = True

    def clear(self) -> None:
        if self.tty and self.drawn:
            print("\r" + " " * 78 + "\r", end="", file=self.stream, flush=True)
            self.drawn = False


def cmd_progress(args: argparse.Namespace) -> int:
    _, course = _load(args.lessons)
    store = _open_store()
    with store:
        if args.reset:
            which = "all your progress" if args.reset == "*" else f"your progress in {args.reset!r}"
            if args.reset != "*" and course.lesson(args.reset) is None:
                print(f"error: no lesson {args.reset!r}; see 'tutor list'", file=sys.stderr)
                return EXIT_USAGE
            if not args.yes:
                if not sys.stdin.isatty():
                    print(
                        "error: --reset asks first; add --yes to reset without asking",
                        file=sys.stderr,
                    )
                    return EXIT_USAGE
                answer = input(f"Clear {which} (code, XP, hints)? This cannot be undone. [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    print("nothing cleared")
                    return EXIT_OK
            store.reset(None if args.reset == "*" else args.reset)
            print(f"cleared {which}")
            return EXIT_OK
        totals = store.totals()
        level = totals.level
        print(
            f"level {level.number} {level.name}: {totals.xp} XP, streak {totals.streak} day(s), "
            f"{totals.items_passed} item(s) passed, {totals.achievements} achievement(s)"
        )
        for lesson in course.lessons:
            prog = store.lesson_progress(lesson)
            state = store.lesson_state(lesson, course)
            print(
                f"  {state:<12} {lesson.id:<32} {prog.items_passed}/{prog.items_total} items  "
                f"{prog.xp} XP"
            )
        print(f"progress file: {store.path}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from tutor.progress import export_submission

    _, course = _load(args.lessons)
    store = _open_store()
    with store:
        try:
            written = export_submission(store, course, args.folder)
        except (OSError, ValueError) as exc:
            print(f"error: cannot export to {args.folder}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    print(
        f"wrote {len(written)} file(s) to {args.folder}; "
        f"grade them with 'tutor grade {args.folder}'"
    )
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    """Say exactly what the sandbox enforces here, and what it cannot."""
    import platform
    import shutil

    from tutor.grading.cache import default_cache_dir
    from tutor.lesson.load import lesson_dirs
    from tutor.sandbox.backend import BACKEND_ENV, backend_name, open_sandbox

    print(f"tutor {__version__} on {platform.system()} {platform.release()} "
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
    print(f"reference cache: {default_cache_dir()}")
    print("lessons: " + ", ".join(str(p) for p in lesson_dirs(args.lessons)))
    return EXIT_OK
