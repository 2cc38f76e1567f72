"""Red team of lessons 14-17 (loss functions, nn.Module, nn.Sequential, custom Functions):
submissions written by someone who did not write the lessons, graded through the real grader
with two hidden seeds (a new salt each session), as ``tutor grade`` does.

``tests/course/redteam_c/<exercise-id>/`` holds one file per submission, its first line a
``# `` comment saying what it tries:

- ``cheat_*.py``: a shortcut (the exercise passed without the skill its ``# skill:`` line
  names) or a misconception. It must NOT pass.
- ``right_*.py``: a right answer in another style than the reference and the lesson's
  ``accept`` blocks. It MUST pass.
- ``gap_*.py``: a shortcut that still passes because of a gap in tutor's grader itself, not
  fixable in the lesson (its second line, ``# gap: ...``, says which). Marked
  ``xfail(strict=True)``: once tutor closes the gap, the test passes and the marker must go.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.lesson.load import builtin_lessons_dir, load_course

LESSONS = builtin_lessons_dir()
SUBMISSIONS = Path(__file__).with_name("redteam_c")
IN_SCOPE = {
    "loss-functions": ["mse-and-l1", "loss-in-the-loop", "bce-loss", "fix-cross-entropy"],
    "nn-module": ["manual-linear-module", "module-train", "make-train-step"],
    "sequential": ["build-sequential", "fix-layer-shapes", "train-two-layer"],
    "custom-function": ["multiply-add", "fix-cube-backward"],
}  # fmt: skip
EXERCISES = [item for items in IN_SCOPE.values() for item in items]
KINDS = ("cheat", "right", "gap")


def submissions() -> list[Path]:
    return sorted(SUBMISSIONS.glob("*/*.py"))


def kind_of(path: Path) -> str:
    return path.name.split("_", 1)[0]


def gap_reason(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[1].removeprefix("# gap:").strip() if len(lines) > 1 else ""


def params() -> list:
    out = []
    for path in submissions():
        marks = ()
        if kind_of(path) == "gap":
            marks = pytest.mark.xfail(
                strict=True, raises=AssertionError, reason=f"tutor gap: {gap_reason(path)}"
            )
        out.append(pytest.param(path, id=f"{path.parent.name}/{path.stem}", marks=marks))
    return out


def test_every_exercise_in_scope_is_attacked_and_answered() -> None:
    course = load_course([LESSONS])
    by_lesson = {lesson.id: [i.id for i in lesson.items if i.kind == "exercise"]
                 for lesson in course.lessons}  # fmt: skip
    for lesson_id, items in IN_SCOPE.items():
        assert by_lesson[lesson_id] == items, lesson_id
    for item in EXERCISES:
        files = list((SUBMISSIONS / item).glob("*.py"))
        tried = [f for f in files if kind_of(f) in ("cheat", "gap")]
        right = [f for f in files if kind_of(f) == "right"]
        assert len(tried) >= 5, item
        assert len(right) >= 3, item


def test_every_submission_says_what_it_is() -> None:
    assert {p.parent.name for p in submissions()} == set(EXERCISES)
    for path in submissions():
        assert kind_of(path) in KINDS, path
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 10, path
        if kind_of(path) == "gap":
            assert gap_reason(path), path


@pytest.fixture(scope="module")
def grade(tmp_path_factory) -> Iterator:
    from tutor.grading.factory import open_grader

    items = {i.id: i for i in load_course([LESSONS]).items()}
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("ref-cache"))
    salt = secrets.token_hex(4)  # new hidden seeds each session
    grader, sandboxes = open_grader([LESSONS], jobs=1, extra_seed_count=2, seed_salt=salt)
    try:
        with sandboxes:
            yield lambda item_id, code: grader.grade_exercise(items[item_id], code)
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old


@pytest.mark.parametrize("path", params())
def test_submission(grade, path: Path) -> None:
    verdict = grade(path.parent.name, path.read_text(encoding="utf-8"))
    if kind_of(path) == "right":
        assert verdict.status == "pass", (path.name, verdict.message)
    else:
        assert verdict.status != "pass", (path.name, verdict.message)
