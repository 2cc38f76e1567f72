"""Grade a whole submission folder against a course, items in parallel over a sandbox pool."""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.grading.clean import clean_float, clean_text, name_label
from tutor.grading.grader import Grader
from tutor.grading.results import MESSAGE_LIMIT, ItemResult
from tutor.grading.submission import answer_name, folder_problem, read_answer
from tutor.lesson.errors import LessonError
from tutor.lesson.load import Course
from tutor.lesson.model import Item

RESULT_VERSION = 1


@dataclass
class Report:
    items: list[ItemResult] = field(default_factory=list)
    lesson_errors: list[LessonError] = field(default_factory=list)
    duration_s: float = 0.0
    problem: str = ""  # why nothing could be graded

    @property
    def score(self) -> int:
        return sum(r.score for r in self.items)

    @property
    def max_score(self) -> int:
        return sum(r.max_score for r in self.items)

    @property
    def status(self) -> str:
        """``error`` when nothing could be graded; else whether every graded item passed
        (an item the lesson broke, ``lesson_error``, is not graded: it counts neither way)."""
        graded = [r for r in self.items if r.lesson_error is not True]
        if self.problem or not graded:
            return "error"
        return "pass" if all(r.passed for r in graded) else "fail"

    def exit_code(self) -> int:
        """0 all passed, 1 any did not, 2 lesson errors or nothing to grade (the contract)."""
        if self.status == "error" or self.lesson_errors:
            return 2
        return 0 if self.status == "pass" else 1

    def to_json(self) -> dict[str, Any]:
        """The contract's result JSON, every value cleaned (see ``ItemResult.cleaned``)."""
        items = [r.to_json() for r in self.items]
        data: dict[str, Any] = {
            "version": RESULT_VERSION,
            "status": self.status,
            "score": sum(i["score"] for i in items),
            "max_score": sum(i["max_score"] for i in items),
            "exercises": items,
            "duration_s": round(max(0.0, clean_float(self.duration_s)), 3),
        }
        if self.lesson_errors:
            data["lesson_errors"] = [clean_text(str(e), MESSAGE_LIMIT) for e in self.lesson_errors]
        if self.problem:
            data["message"] = clean_text(self.problem, MESSAGE_LIMIT)
        return data


def select_items(course: Course, only: Iterable[str] | None) -> list[Item]:
    """All items, or those whose id or lesson id is in ``only``."""
    wanted = set(only or ())
    items = course.items()
    if not wanted:
        return items
    return [i for i in items if i.id in wanted or i.lesson_id in wanted]


def grade_answer(item: Item, folder: Path, grader: Grader) -> ItemResult:
    """Grade one item of a submission folder: missing and unreadable files included.

    Whatever the grader raises on this item (a malformed value from a hostile run...) is
    this item's ``error`` (marked internal), never the end of the report. The result is
    ``ItemResult.cleaned()``: capped and safe for every report, and small in memory.
    """
    answer = read_answer(folder, item)
    if answer.missing:
        result = ItemResult(item.id, item.lesson_id, item.kind, "missing", 0, item.points)
        result.message = f"no {name_label(folder.name)}/{answer_name(item)}"
        return result
    if answer.text is None:
        result = ItemResult(item.id, item.lesson_id, item.kind, "error", 0, item.points)
        result.message = answer.problem
        return result
    try:
        # cleaned at once: a class's report never holds a hostile run's 60 MB strings
        return grader.grade(item, answer.text).cleaned()
    except Exception as exc:  # the grader must not die on one item: see the docstring
        result = ItemResult(item.id, item.lesson_id, item.kind, "error", 0, item.points)
        result.internal = True
        result.message = f"the grader failed on this item ({type(exc).__name__}): not your code"
        with contextlib.suppress(Exception):
            result.traceback = "".join(traceback.format_exception(exc, limit=-8))
        return result


def refused(items: list[Item], problem: str) -> list[ItemResult]:
    """Every item as an error when the whole submission folder was refused."""
    return [
        ItemResult(i.id, i.lesson_id, i.kind, "error", 0, i.points, message=problem) for i in items
    ]


def grade_folder(
    course: Course,
    folder: Path,
    grader: Grader,
    only: Iterable[str] | None = None,
    jobs: int = 1,
    on_result: Callable[[ItemResult], None] | None = None,
) -> Report:
    started = time.perf_counter()
    report = Report(lesson_errors=list(course.errors))
    items = select_items(course, only)
    problem = folder_problem(folder)
    if problem:  # a symlink to another learner's folder or to /, say: refused, not followed
        report.problem = problem
        report.items = refused(items, problem)
        return report
    if not items:
        report.problem = "nothing to grade: no lesson loaded" + (" matches --only" if only else "")
        return report

    def one(item: Item) -> ItemResult:
        result = grade_answer(item, folder, grader)
        if on_result:
            on_result(result)
        return result

    if jobs <= 1:
        report.items = [one(item) for item in items]
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            report.items = list(pool.map(one, items))
    report.lesson_errors += reference_errors(items, report.items)
    report.duration_s = time.perf_counter() - started
    return report


def reference_errors(items: list[Item], results: Iterable[ItemResult]) -> list[LessonError]:
    """One ``LessonError`` per item whose reference failed (a lesson error, named with the
    lesson file and line), in the order of ``items``."""
    failed = {r.id: r for r in results if r.lesson_error is True}
    out = []
    for item in items:
        r = failed.get(item.id)
        if r is not None:
            out.append(
                LessonError(
                    item.path,
                    r.lesson_line or item.line,
                    f"{r.lesson_problem}: fix the lesson (no learner is scored on this item "
                    "until it is fixed)",
                )
            )
    return out
