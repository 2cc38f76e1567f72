"""``tutor lint``: what an author runs before shipping a lesson (like rustlings' dev check).

Every reference solution must pass its own checks on every seed (graded through the very path
learners are graded by, so nondeterminism shows up too), every starter must NOT pass, and
every predict block must run and print something.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tutor.grading.grader import Grader
from tutor.lesson.load import Course
from tutor.lesson.model import Exercise, Item, Predict


@dataclass(frozen=True)
class LintProblem:
    path: str
    line: int
    item_id: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        tag = "warning" if self.warning else "error"
        return f"{self.path}:{self.line}: {tag}: {self.item_id}: {self.message}"


def lint_item(item: Item, grader: Grader) -> Iterator[LintProblem]:
    """Problems with one item (errors first, then warnings)."""

    def problem(message: str, line: int | None = None, warning: bool = False) -> LintProblem:
        return LintProblem(str(item.path), line or item.line, item.id, message, warning)

    if isinstance(item, Exercise):
        verdict = grader.grade_exercise(item, item.solution)
        if verdict.status != "pass":
            yield problem(
                f"the solution does not pass its own checks: {verdict.message}", item.solution_line
            )
        starter = grader.grade_exercise(item, item.starter)
        if starter.status == "pass":
            yield problem("the starter already passes: a learner would get points for nothing")
        if not item.hints:
            yield problem('no hints: add hints = ["a nudge", "nearly the answer"]', warning=True)
        for check in item.checks:
            if not check.message:
                yield problem(
                    f"check {check.expr!r} has no '# message' for the learner", check.line, True
                )
    elif isinstance(item, Predict):
        verdict = grader.grade_predict(item, "")
        if verdict.status == "error":
            yield problem(verdict.message)
        elif not verdict.output.strip():
            yield problem("the shown code prints nothing, so there is nothing to predict")
        elif stderr := grader.show(item)["stderr"].strip():
            first = stderr.splitlines()[0][:120]
            yield problem(
                f"the shown code also writes to stderr ({first!r}): learners see it but "
                "predict only stdout; avoid the warning",
                warning=True,
            )


def lint_course(course: Course, grader: Grader) -> Iterator[LintProblem]:
    for err in course.errors:
        yield LintProblem(str(err.path), err.line, "-", err.message)
    for item in course.items():
        yield from lint_item(item, grader)
