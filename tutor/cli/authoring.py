"""Commands for lesson authors: ``tutor lint`` (and ``--watch``), ``tutor list``,
``tutor new``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

from tutor.cli.common import ExitCode, add_lessons, error, jobs, load

# -- tutor lint -----------------------------------------------------------------------------


def add_lint(sub) -> argparse.ArgumentParser:
    lint = sub.add_parser(
        "lint",
        help="check lesson files: parse, run every solution, starter, counterexample and predict",
        description="Check lesson folders or files as a learner's grader would see them. "
        "Each problem is 'file:line: error|warning: item: what to do'; exit 1 on any error.",
    )
    lint.add_argument(
        "dirs",
        nargs="*",
        metavar="DIR",
        help="lesson folders (or folders of them) or files (default: --lessons, "
        "$TUTOR_LESSONS or the built-in course)",
    )
    add_lessons(lint, "a lesson folder to lint, like DIR (repeatable)")
    lint.add_argument(
        "--jobs",
        type=jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="items linted at once (default: one per core)",
    )
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument(
        "--no-cache", action="store_true", help="recompute every reference (no reuse)"
    )
    lint.add_argument(
        "--watch",
        action="store_true",
        help="keep watching: re-lint a lesson file each time it is saved (Ctrl+C ends)",
    )
    return lint


def run_lint(args: argparse.Namespace) -> int:
    from tutor.grading.factory import open_grader
    from tutor.grading.lint import course_problems, lint_grader

    named = [*(args.dirs or []), *(args.lessons or [])] or None
    folders, course, only = lint_targets(named)
    # a predict is run in two processes and must print the same in both: with a fixed
    # PYTHONHASHSEED both would hash alike and hash('abc') would slip through
    os.environ.pop("PYTHONHASHSEED", None)
    grader, sandboxes = open_grader(folders, jobs=args.jobs, use_cache=not args.no_cache)
    grader = lint_grader(grader)
    sandboxes.start_background()
    with sandboxes:
        if args.watch:
            return _watch(args, named, grader)
        started = time.monotonic()
        problems = course_problems(course, only)
        for p in problems:
            print(p, flush=True)
        items = _items(course, only)
        problems += lint_items(items, grader, args.jobs, echo=True, strict=args.strict)
        print(_summary(course, items, only, problems, args.strict, started))
        return ExitCode.FAIL if _errors(problems, args.strict) else ExitCode.OK


def lint_targets(dirs: list[str] | None):
    """Folders to load and, when files were named, the only files to lint: a named file's
    ``requires`` still resolve against the other lessons of its folder."""
    from tutor.lesson.load import lesson_dirs, load_course

    named = [Path(d) for d in dirs or []]
    if not named or not any(p.is_file() for p in named):
        folders, course = load(dirs)
        return folders, course, None
    folders = list(dict.fromkeys(p.parent if p.is_file() else p for p in named))
    only = {p.resolve() for p in named if p.is_file()}
    only |= {f.resolve() for p in named if p.is_dir() for f in p.rglob("*.md")}
    return lesson_dirs([str(f) for f in folders]), load_course(folders), only


def as_strict(problems: list, strict: bool) -> list:
    """Under ``--strict`` a warning is an error, and says so."""
    from dataclasses import replace

    return [replace(p, warning=False) if strict and p.warning else p for p in problems]


def _items(course, only):
    return [i for i in course.items() if only is None or Path(i.path).resolve() in only]


def _errors(problems, strict: bool) -> list:
    return [p for p in problems if not p.warning or strict]


def _summary(course, items, only, problems, strict: bool, started: float) -> str:
    errors = _errors(problems, strict)
    warnings = len(problems) - len(errors)
    linted = {i.lesson_id for i in items} if only is not None else {le.id for le in course.lessons}
    return (
        f"{len(linted)} lessons, {len(items)} items: {len(errors)} error(s), "
        f"{warnings} warning(s) in {time.monotonic() - started:.0f}s"
    )


def lint_items(items, grader, jobs: int, echo: bool, strict: bool = False) -> list:
    """Lint items ``jobs`` at a time; with ``echo``, print each problem as it is found and
    show progress on stderr."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    found_all: list = []
    progress = _Progress(len(items), sys.stderr, quiet=not echo)
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(_lint_one, item, grader, progress, strict): item for item in items}
        for future in as_completed(futures):
            item, (found, seconds) = futures[future], future.result()
            progress.done(item.id, found, seconds)
            if echo:
                for p in found:
                    progress.clear()
                    print(p, flush=True)
            found_all.extend(found)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        progress.clear()
    return found_all


def _lint_one(item, grader, progress, strict: bool = False) -> tuple[list, float]:
    from tutor.grading.lint import lint_item

    progress.started(item.id)
    began = time.monotonic()
    found = as_strict(list(lint_item(item, grader)), strict)
    return found, time.monotonic() - began


def _watch(args: argparse.Namespace, named: list[str] | None, grader) -> int:
    """Lint once, then again each time a lesson file is saved: print only the problems that
    appeared (as usual) and those fixed, and one summary line. Ctrl+C ends it."""
    from tutor.grading.lint import course_problems

    try:
        import watchfiles
    except ImportError:
        return error("--watch needs the watchfiles package: pip install watchfiles")
    paths = [Path(p) for p in named] if named else None
    if paths is None:
        from tutor.lesson.load import lesson_dirs

        paths = lesson_dirs(None)
    roots = sorted({str(p.parent if p.is_file() else p) for p in paths if p.exists()})
    if not roots:
        return error("nothing to watch: " + ", ".join(str(p) for p in paths) + " do not exist")
    try:
        started = time.monotonic()
        _, course, only = lint_targets(named)
        items = _items(course, only)
        problems = course_problems(course, only)
        for p in problems:
            print(p, flush=True)
        problems += lint_items(items, grader, args.jobs, echo=True, strict=args.strict)
        print(_summary(course, items, only, problems, args.strict, started), flush=True)
        print(f"watching {', '.join(roots)} (Ctrl+C ends)", flush=True)
        by_file = _by_file(problems)
        for changes in watchfiles.watch(
            *roots,
            watch_filter=lambda _change, path: path.endswith(".md"),
            debounce=300,
            step=50,
            raise_interrupt=True,
        ):
            started = time.monotonic()
            changed = {Path(p).resolve() for _, p in changes}
            _, course, only = lint_targets(named)
            items = _items(course, only)
            now = _relint(course, only, items, changed, by_file, grader, args.jobs, args.strict)
            old_keys = {p.key() for p in problems}
            new_keys = {p.key() for p in now}
            for p in now:
                if p.key() not in old_keys:
                    print(p, flush=True)
            fixed = [p for p in problems if p.key() not in new_keys]
            for p in fixed:
                print(f"fixed: {p.path}:{p.line}: {p.item_id}: {p.message}", flush=True)
            names = ", ".join(sorted(Path(c).name for c in changed))
            new = len(new_keys - old_keys)
            print(
                f"{time.strftime('%H:%M:%S')} {names}: {new} new, {len(fixed)} fixed; "
                + _summary(course, items, only, now, args.strict, started),
                flush=True,
            )
            problems, by_file = now, _by_file(now)
    except KeyboardInterrupt:
        print("\nstopped watching", flush=True)
    return ExitCode.OK


def _relint(
    course, only, items, changed: set[Path], by_file: dict, grader, jobs: int, strict: bool
) -> list:
    """The problems after a save: the course's lesson errors afresh, the items of the changed
    files linted again, and the item problems of the other files as they were (an item that
    is gone takes its problems with it)."""
    from tutor.grading.lint import course_problems

    fresh = course_problems(course, only)
    redo = [i for i in items if Path(i.path).resolve() in changed]
    fresh += lint_items(redo, grader, jobs, echo=False, strict=strict)
    ids = {i.id for i in items}
    for path, problems in by_file.items():
        if path not in changed:
            fresh += [p for p in problems if p.item_id != "-" and p.item_id in ids]
    return fresh


def _by_file(problems) -> dict[Path, list]:
    out: dict[Path, list] = {}
    for p in problems:
        out.setdefault(Path(p.path).resolve(), []).append(p)
    return out


class _Progress:
    """Items linted of all, and the ones running: one redrawn line on a terminal, plain
    lines elsewhere (CI logs)."""

    def __init__(self, total: int, stream, quiet: bool = False) -> None:
        self.total, self.stream = total, stream
        self.count = 0
        self.running: list[str] = []
        self.quiet = quiet
        self.tty = stream.isatty() and not quiet
        self.lock = threading.Lock()
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
            elif not self.quiet:
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


# -- tutor list -----------------------------------------------------------------------------


def add_list(sub) -> argparse.ArgumentParser:
    lst = sub.add_parser("list", help="list lessons and their items with ids and points")
    add_lessons(lst)
    lst.add_argument("--format", choices=("text", "json"), default="text")
    return lst


def run_list(args: argparse.Namespace) -> int:
    from tutor.lesson.model import item_summary

    _, course = load(args.lessons)
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
        return ExitCode.USAGE if course.errors else ExitCode.OK
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
    return ExitCode.USAGE if course.errors else ExitCode.OK


# -- tutor new ------------------------------------------------------------------------------


def add_new(sub) -> argparse.ArgumentParser:
    new = sub.add_parser(
        "new",
        help="scaffold a lesson file, or add an exercise, quiz or predict to one",
        description="Write DIR/NN-LESSON_ID.md with an exercise, a quiz and a predict (or only "
        "the item named), every block commented; or, when the lesson exists, append the item "
        "named. The result passes 'tutor lint --strict' as written: edit it from there.",
    )
    new.add_argument("lesson_id", metavar="LESSON_ID")
    new.add_argument(
        "--dir",
        type=Path,
        metavar="DIR",
        help="the lesson folder (default: the one --lessons names, else the current folder)",
    )
    new.add_argument("--title", help="the lesson's title (new lessons only)")
    kind = new.add_mutually_exclusive_group()
    kind.add_argument("--exercise", metavar="ID", help="add an exercise with this id")
    kind.add_argument("--quiz", metavar="ID", help="add a quiz with this id")
    kind.add_argument("--predict", metavar="ID", help="add a predict with this id")
    return new


def run_new(args: argparse.Namespace) -> int:
    from tutor.lesson.scaffold import ScaffoldError, scaffold

    folder = args.dir
    if folder is None:
        lessons = args.lessons or []
        if len(lessons) > 1:
            return error("--lessons names several folders: say which one with --dir DIR")
        folder = Path(lessons[0]) if lessons else Path(".")
    kind, item_id = next(
        ((k, getattr(args, k)) for k in ("exercise", "quiz", "predict") if getattr(args, k)),
        (None, None),
    )
    try:
        path, what = scaffold(folder, args.lesson_id, kind, item_id, args.title)
    except ScaffoldError as exc:
        return error(str(exc))
    except OSError as exc:
        return error(f"cannot write in {folder}: {exc.strerror or exc}")
    print(what)
    print(f"next: edit it, then 'tutor lint {path} --strict' (or 'tutor lint --watch {folder}')")
    return ExitCode.OK
