"""Red team of lessons 19-20 (issue #11): submissions written by someone who did not write
the lessons, graded through the real grader with two hidden seeds, as ``tutor grade`` does.

``tests/course/redteam_d/<exercise-id>/cheat_*.py`` is a shortcut or a misconception: it must
NOT pass. ``right_*.py`` is a right answer in another style than the lesson's: it MUST pass.
``gap_*.py`` is a shortcut that passes because of a limit of tutor's grader itself, not of the
lesson: it is marked xfail(strict=True) with the reason below, so fixing the gap shows up.

Lessons 20 (best-epoch) to 24 were added by a second red team (branch rd2).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.lesson.load import builtin_lessons_dir, load_course

LESSONS = builtin_lessons_dir()
SUBMISSIONS = Path(__file__).with_name("redteam_d")


GAPS: dict[str, str] = {}  # none left open: each gap found was closed in its lesson


def submissions() -> list[Path]:
    return sorted(SUBMISSIONS.glob("*/*.py"))


def test_each_attacked_exercise_has_cheats_and_right_answers() -> None:
    ids = {i.id for i in load_course([LESSONS]).items()}
    folders = {p.parent.name for p in submissions()}
    assert folders and folders <= ids
    for folder in folders:
        names = [p.name for p in (SUBMISSIONS / folder).glob("*.py")]
        assert sum(n.startswith("cheat_") for n in names) >= 5, folder
        assert sum(n.startswith("right_") for n in names) >= 3, folder
        assert all(n.startswith(("cheat_", "right_", "gap_")) for n in names), folder
        assert all(n[4:-3] in GAPS for n in names if n.startswith("gap_")), folder


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


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=f"{p.parent.name}/{p.stem}",
            marks=[pytest.mark.xfail(strict=True, reason=GAPS[p.stem[4:]])]
            if p.name.startswith("gap_")
            else [],
        )
        for p in submissions()
    ],
)
def test_submission(grade, path: Path) -> None:
    verdict = grade(path.parent.name, path.read_text(encoding="utf-8"))
    if path.name.startswith("right_"):
        assert verdict.status == "pass", (path.name, verdict.message)
    else:
        assert verdict.status != "pass", (path.name, verdict.message)
