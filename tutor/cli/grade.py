"""``tutor grade``: one submission folder, a class (``--batch``, ``--shard``), and
``tutor grade merge`` of shard summaries."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tutor.cli.common import ExitCode, add_lessons, emit, error, jobs, load


def add_parser(sub) -> argparse.ArgumentParser:
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
    return grade


def run(args: argparse.Namespace) -> int:
    from tutor.grading.factory import open_grader
    from tutor.grading.formats import render
    from tutor.grading.session import grade_folder

    if args.extra_seeds < 0:
        return error("--extra-seeds must be 0 or more")
    if (args.submission is None) == (args.batch is None):
        return error("give a SUBMISSION_DIR or --batch ROOT (one of the two)")
    if args.batch is None and (args.shard or args.format == "csv"):
        return error("--shard and --format csv go with --batch")
    if args.submission is not None and not args.submission.is_dir():
        return error(f"submission folder {args.submission} does not exist")
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
        return error(str(exc))
    pool.start_background()  # torch loads in the server while the lessons are parsed here
    _, course = load(args.lessons)
    if args.batch is not None:
        with pool:
            return _grade_batch(args, course, grader)
    with pool:
        report = grade_folder(course, args.submission, grader, only=args.only, jobs=args.jobs)
    text = render(report, args.format)
    if not emit(text, args.output):
        return ExitCode.USAGE
    # a person reads each lesson error once: in the text report, or else on stderr
    if args.output:  # the file holds the report; a person still sees the summary
        print(render(report, "text") if args.format != "text" else text, end="", file=sys.stderr)
    elif args.format != "text":
        for err in report.lesson_errors:
            print(f"lesson error: {err}", file=sys.stderr)
    return report.exit_code()


def _grade_batch(args: argparse.Namespace, course, grader) -> int:
    from tutor.grading.batch import (
        BatchError,
        BatchSummary,
        grade_batch,
        learner_folders,
        parse_shard,
    )
    from tutor.grading.session import select_items

    try:
        shard = parse_shard(args.shard) if args.shard else (1, 1)
        folders = learner_folders(args.batch, shard)
    except BatchError as exc:
        return error(str(exc))
    items = select_items(course, args.only)
    if items and not folders and shard[1] > 1 and learner_folders(args.batch):
        # a CI matrix with more shards than this one has learners: an empty part, not an error
        print(f"shard {args.shard} holds no learner of {args.batch}", file=sys.stderr)
        summary = BatchSummary(shards=[args.shard], empty_shard=True)
        summary.lesson_errors = [str(e) for e in course.errors]
        return summary.exit_code() if emit(summary.render(args.format), args.output) else 2
    if not items or not folders:
        what = "no learner folders" if not folders else "no items to grade"
        for err in course.errors:
            print(f"lesson error: {err}", file=sys.stderr)
        return error(f"{what} under {args.batch}")
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

    summary = grade_batch(
        items, folders, grader, args.jobs, args.results_dir, progress, junit=args.format == "junit"
    )
    summary.shards = [f"{shard[0]}/{shard[1]}"]
    summary.lesson_errors = [str(e) for e in course.errors] + summary.lesson_errors
    if not emit(summary.render(args.format), args.output):
        return ExitCode.USAGE
    if args.format != "text" or args.output:
        for err in summary.lesson_errors:
            print(f"lesson error: {err}", file=sys.stderr)
    print(f"results per learner in {args.results_dir}/", file=sys.stderr)
    return summary.exit_code()


def run_merge(argv: Sequence[str]) -> int:
    from tutor.grading.batch import BatchError, merge_summaries

    parser = argparse.ArgumentParser(
        prog="tutor grade merge",
        description="Join the JSON summaries of 'tutor grade --batch --shard K/N' runs.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="SUMMARY.json")
    parser.add_argument("--format", choices=("text", "json", "csv", "junit"), default="text")
    parser.add_argument("--output", type=Path, metavar="FILE")
    parser.add_argument("--lessons", action="append", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.lessons:
        return error(LESSONS_DO_NOT_APPLY)
    try:
        summary = merge_summaries(args.files)
    except BatchError as exc:
        return error(str(exc))
    if not emit(summary.render(args.format), args.output):
        return ExitCode.USAGE
    return summary.exit_code()


LESSONS_DO_NOT_APPLY = (
    "--lessons does not apply to 'tutor grade merge': it joins shard summaries, which "
    "already hold every grade; give --lessons to the 'tutor grade --batch' runs instead"
)
