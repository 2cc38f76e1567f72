"""``tutor lint``: what an author runs before shipping a lesson (like rustlings' dev check).

An exercise proves it grades the skill (contract 2a/2b): the reference solution obeys its own
rules and passes its checks on every seed (its listed seeds plus hidden lint seeds, graded
through the very path learners are graded by, so nondeterminism shows up too); the starter
does NOT pass; every ``wrong`` block (a shortcut or misconception) fails and every ``accept``
block (a right answer in another style) passes, each reported with its file line. Every
predict block runs and prints something.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tutor.grading.grader import Grader, ReferenceFailed, extra_seeds, uses_trace
from tutor.lesson.load import Course
from tutor.lesson.model import Exercise, Item, Predict

LINT_SALT = "tutor-lint"  # fixed: lint's hidden seeds are the same on every run
LINT_EXTRA_SEEDS = 1


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


def lint_grader(grader: Grader, extra: int = LINT_EXTRA_SEEDS) -> Grader:
    """The same grader with lint's hidden seeds (a fixed salt, so lint is repeatable)."""
    return replace_grader(grader, extra_seed_count=extra, seed_salt=LINT_SALT)


def replace_grader(grader: Grader, **changes) -> Grader:
    return Grader(
        grader.runner,
        grader.cache,
        changes.get("memory_mb", grader.memory_mb),
        changes.get("extra_seed_count", grader.extra_seed_count),
        changes.get("seed_salt", grader.seed_salt),
        ref_runner=grader.ref_runner,
        flags=grader.flags,
    )


def lint_exercise(ex: Exercise, grader: Grader) -> Iterator[LintProblem]:
    def problem(message: str, line: int | None = None, warning: bool = False) -> LintProblem:
        return LintProblem(str(ex.path), line or ex.line, ex.id, message, warning)

    if ex.has_rules:
        from tutor.grading.rules import check_rules

        for breach in check_rules(ex.solution, ex.forbid, ex.require, setup=ex.setup):
            line = ex.solution_line + breach.line - 1 if breach.line else ex.solution_line
            yield problem(f"the solution breaks its own rules: {breach.describe()}", line)
    verdict = grader.grade_exercise(ex, ex.solution)
    if verdict.status != "pass":
        yield problem(
            f"the solution does not pass its own checks: {verdict.message}", ex.solution_line
        )
        return  # nothing else can be judged against a broken reference
    starter = grader.grade_exercise(ex, ex.starter)
    if starter.status == "pass":
        yield problem("the starter already passes: a learner would get points for nothing")
    for block in ex.wrong:
        got = grader.grade_exercise(ex, block.code)
        label = f"'wrong' block ({block.label})" if block.label else "'wrong' block"
        if got.status == "pass":
            yield problem(
                f"{label} passes: the checks do not catch this shortcut or misconception; "
                "add a check, a forbid rule or a trace check that it fails",
                block.line,
            )
        elif got.status == "error" and _broken(got.message):
            yield problem(
                f"{label} fails only because it is broken ({got.message}): it proves nothing "
                "about the checks",
                block.line,
                warning=True,
            )
    for block in ex.accept:
        got = grader.grade_exercise(ex, block.code)
        if got.status != "pass":
            label = f"'accept' block ({block.label})" if block.label else "'accept' block"
            yield problem(
                f"{label} does not pass: {got.message} (a right answer in another style "
                "must pass: loosen the check that rejects it)",
                block.line,
            )
    if not ex.hints:
        yield problem('no hints: add hints = ["a nudge", "the concept", "the API"]', warning=True)
    for check in ex.checks:
        if not check.message:
            yield problem(f"check {check.expr!r} has no '# message' for the learner", check.line,
                          True)  # fmt: skip
    if guessable(ex, grader):
        yield problem(
            "every check has the same value on every seed, so a hard-coded answer passes even "
            "hidden seeds: make the setup draw its numbers from the seed, or check how the "
            "code got there (trace)",
            warning=True,
        )


def _broken(message: str) -> bool:
    return any(f"raised {kind}" in message for kind in ("SyntaxError", "NameError"))


def guessable(ex: Exercise, grader: Grader) -> bool:
    """Could a hard-coded answer pass: every check the same value on every seed (lint's
    hidden ones too), and nothing that asks how the code got there (an expected raise from
    torch, a ``trace`` check, a ``require`` rule)?"""
    if ex.raises or ex.require or uses_trace(ex):
        return False
    seeds = list(dict.fromkeys([*ex.seeds, *extra_seeds(ex.id, 2, LINT_SALT)]))
    try:
        values = [grader.reference(ex, seed).values for seed in seeds]
    except ReferenceFailed:
        return False
    return all(v == values[0] for v in values[1:])


def lint_predict(pred: Predict, grader: Grader) -> Iterator[LintProblem]:
    def problem(message: str, warning: bool = False) -> LintProblem:
        return LintProblem(str(pred.path), pred.line, pred.id, message, warning)

    verdict = grader.grade_predict(pred, "")
    if verdict.status == "error":
        yield problem(verdict.message)
    elif not verdict.output.strip():
        yield problem("the shown code prints nothing, so there is nothing to predict")
    elif stderr := grader.show(pred)["stderr"].strip():
        first = stderr.splitlines()[0][:120]
        yield problem(
            f"the shown code also writes to stderr ({first!r}): learners see it but "
            "predict only stdout; avoid the warning",
            warning=True,
        )


def lint_item(item: Item, grader: Grader) -> Iterator[LintProblem]:
    """Problems with one item (errors first, then warnings)."""
    if isinstance(item, Exercise):
        yield from lint_exercise(item, grader)
    elif isinstance(item, Predict):
        yield from lint_predict(item, grader)


def lint_course(course: Course, grader: Grader) -> Iterator[LintProblem]:
    for err in course.errors:
        yield LintProblem(str(err.path), err.line, "-", err.message)
    for item in course.items():
        yield from lint_item(item, grader)
