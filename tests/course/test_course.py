"""The built-in course: loads whole, unlocks in order, matches the README table, lints green."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.cli.main import main
from tutor.lesson.load import builtin_lessons_dir, load_course

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def course():
    return load_course([builtin_lessons_dir()])


def test_course_loads_without_errors(course) -> None:
    assert course.errors == []
    assert len(course.lessons) >= 12
    assert len(course.items()) >= 60
    kinds = {i.kind for i in course.items()}
    assert kinds == {"exercise", "quiz", "predict"}


def test_every_lesson_can_be_unlocked(course) -> None:
    ids = {lesson.id for lesson in course.lessons}
    done: set[str] = set()
    for _ in course.lessons:  # repeatedly finish whatever is unlocked
        done |= {le.id for le in course.lessons if set(le.requires) <= done}
    assert done == ids, f"never unlocked: {ids - done}"
    assert not course.lessons[0].requires  # a new learner can start at once


def test_exercises_have_hints_and_check_messages(course) -> None:
    for item in course.items():
        if item.kind == "exercise":
            assert 2 <= len(item.hints) <= 3, item.id
            assert all(c.message for c in item.checks), item.id


def readme_course_rows() -> list[list[str]]:
    """The cells of the README's course table, one list per row."""
    text = README.read_text()
    table = text[text.index("| # | lesson") : text.index("Each lesson `requires`")]
    rows = [line for line in table.splitlines() if re.match(r"\| \d+ \|", line)]
    return [[cell.strip() for cell in row.strip().strip("|").split(" | ")] for row in rows]


def test_readme_course_table_is_numbered_like_the_game(course) -> None:
    """One row per lesson, numbered 1..N in the order the game's map numbers them, each with
    the lesson's title, file and graded items in the game's order (so the README's "lesson 6"
    is the game's lesson 6)."""
    rows = readme_course_rows()
    assert [int(r[0]) for r in rows] == list(range(1, len(course.lessons) + 1))
    for row, lesson in zip(rows, course.lessons, strict=True):
        number, title, _topic, file_cell, items_cell = row
        assert title == lesson.title, f"row {number}"
        assert file_cell == f"`{lesson.path.name}`", f"row {number}"
        named = re.findall(r"(exercise|quiz|predict) `([a-z0-9-]+)`", items_cell)
        assert named == [(i.kind, i.id) for i in lesson.items], f"row {number}"


def test_lint_passes_on_the_built_in_course(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["lint", "--strict"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
