"""``tutor grade``: grade a submission folder or a class (``--batch``), join shard summaries
(``tutor grade merge``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tutor.cli.common import ExitCode, add_lessons, jobs, load


def add_parser(sub) -> None:
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
    add_lessons(grade)
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
        "--extra-seeds", type=int, default=0, metavar="K", help="add K seeds the learner never saw"
    )
    grade.add_argument(
        "--seed-salt", default="", metavar="S", help="salt that picks the extra seeds"
    )
    grade.add_argument(
        "--jobs",
        type=jobs,
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


def run(args: argparse.Namespace) -> int:
    from tutor.grading.factory import open_grader
    from tutor.grading.formats import render
    from tutor.grading.session import grade_folder

    if args.extra_seeds < 0:
        print("error: --extra-seeds must be 0 or more", file=sys.stderr)
        return ExitCode.USAGE
    if (args.submission is None) == (args.batch is None):
        print("error: give a SUBMISSION_DIR or --batch ROOT (one of the two)", file=sys.stderr)
        return ExitCode.USAGE
    if args.batch is None and (args.shard or args.format == "csv"):
        print("error: --shard and --format csv go with --batch", file=sys.stderr)
        return ExitCode.USAGE
    if args.submission is not None and not args.submission.is_dir():
        print(f"error: submission folder {args.submission} does not exist", file=sys.stderr)
        return ExitCode.USAGE
    from tutor.lesson.load import lesson_dirs
    from tutor.sandbox.isolate import IsolationUnavailable

    try:
        grader, pool = open_grader(
            lesson_dirs(args.lessons),
            jobs=args.jobs,
            memory_mb=args.memory,
            extra_seed_count=args.extra_seeds,
            seed_salt=args.seed_salt,
            use_cache=not args.no_cache,
            isolate=args.isolate,
        )
    except IsolationUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    pool.start_background()  # torch loads in the server while the lessons are parsed here
    _, course = load(args.lessons)
    for err in course.errors:
        print(f"lesson error: {err}", file=sys.stderr)
    if args.batch is not None:
        with pool:
            return _grade_batch(args, course, grader)
    with pool:
        report = grade_folder(course, args.submission, grader, only=args.only, jobs=args.jobs)
    text = render(report, args.format)
    if not _emit(text, args.output):
        return ExitCode.USAGE
    if args.output:  # the file holds the report; a person still sees the summary
        print(render(report, "text") if args.format != "text" else text, end="", file=sys.stderr)
    return report.exit_code()


def _emit(text: str, output: Path | None) -> bool:
    """Write a report to --output or stdout; False (after saying why) if the file failed."""
    if output is None:
        sys.stdout.write(text)
        return True
    try:
        output.write_text(text)
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
        return ExitCode.USAGE
    items = select_items(course, args.only)
    if not items or not folders:
        what = "no learner folders" if not folders else "no items to grade"
        print(f"error: {what} under {args.batch}", file=sys.stderr)
        return ExitCode.USAGE
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
        return ExitCode.USAGE
    print(f"results per learner in {args.results_dir}/", file=sys.stderr)
    return summary.exit_code()


def merge(argv: Sequence[str]) -> int:
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
        return ExitCode.USAGE
    if not _emit(summary.render(args.format), args.output):
        return ExitCode.USAGE
    return summary.exit_code()
