"""Grade a whole submission folder against a course, items in parallel over a sandbox pool."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.grading.grader import Grader
from tutor.grading.results import ItemResult
from tutor.grading.submission import answer_path, read_answer
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
        if self.problem or not self.items:
            return "error"
        return "pass" if all(r.passed for r in self.items) else "fail"

    def exit_code(self) -> int:
        """0 all passed, 1 any did not, 2 lesson errors or nothing to grade (the contract)."""
        if self.status == "error" or self.lesson_errors:
            return 2
        return 0 if self.status == "pass" else 1

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": RESULT_VERSION,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "exercises": [r.to_json() for r in self.items],
            "duration_s": round(self.duration_s, 3),
        }
        if self.lesson_errors:
            data["lesson_errors"] = [str(e) for e in self.lesson_errors]
        if self.problem:
            data["message"] = self.problem
        return data


def select_items(course: Course, only: Iterable[str] | None) -> list[Item]:
    """All items, or those whose id or lesson id is in ``only``."""
    wanted = set(only or ())
    items = course.items()
    if not wanted:
        return items
    return [i for i in items if i.id in wanted or i.lesson_id in wanted]


def grade_answer(item: Item, folder: Path, grader: Grader) -> ItemResult:
    """Grade one item of a submission folder: missing and unreadable files included."""
    answer = read_answer(folder, item)
    if answer.missing:
        result = ItemResult(item.id, item.lesson_id, item.kind, "missing", 0, item.points)
        result.message = f"no {folder.name}/{answer_path(folder, item).name}"
        return result
    if answer.text is None:
        result = ItemResult(item.id, item.lesson_id, item.kind, "error", 0, item.points)
        result.message = answer.problem
        return result
    return grader.grade(item, answer.text)


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
    if not folder.is_dir():
        report.problem = f"submission folder {folder} does not exist"
        return report
    items = select_items(course, only)
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
    report.duration_s = time.perf_counter() - started
    return report
