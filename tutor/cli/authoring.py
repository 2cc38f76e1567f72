"""Commands for lesson authors: ``tutor lint`` and ``tutor list``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from tutor.cli.common import ExitCode, add_lessons, jobs, load


def add_parsers(sub) -> None:
    lint = sub.add_parser("lint", help="check lesson files: parse, run every solution and starter")
    lint.add_argument(
        "dirs",
        nargs="*",
        metavar="DIR",
        help="lesson folders or files (default: the built-in course)",
    )
    lint.add_argument("--jobs", type=jobs, default=min(2, os.cpu_count() or 1), metavar="N")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")

    lst = sub.add_parser("list", help="list lessons and their items with ids and points")
    add_lessons(lst)
    lst.add_argument("--format", choices=("text", "json"), default="text")


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


def run_lint(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from tutor.grading.factory import open_grader
    from tutor.grading.lint import LintProblem, lint_item

    folders, course = load(args.dirs or None)
    problems: list[LintProblem] = [
        LintProblem(str(e.path), e.line, "-", e.message) for e in course.errors
    ]
    for p in problems:
        print(p, flush=True)
    grader, pool = open_grader(folders, jobs=args.jobs, use_cache=False)
    items = course.items()
    with pool, ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for found in ex.map(lambda i: list(lint_item(i, grader)), items):
            for p in found:
                print(p, flush=True)
            problems.extend(found)
    errors = [p for p in problems if not p.warning or args.strict]
    warnings = len(problems) - len(errors)
    print(
        f"{len(course.lessons)} lessons, {len(items)} items: "
        f"{len(errors)} error(s), {warnings} warning(s)"
    )
    return ExitCode.FAIL if errors else ExitCode.OK
