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


def test_readme_course_table_names_exactly_the_course_items(course) -> None:
    text = README.read_text()
    table = text[text.index("| # | topic") : text.index("Each lesson `requires`")]
    rows = [line for line in table.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 22
    named = set()
    for row in rows:
        items_cell = row.rstrip(" |").rsplit("|", 1)[-1]
        named |= set(re.findall(r"`([a-z0-9-]+)`", items_cell))
    ids = {i.id for i in course.items()}
    assert named - ids == set(), "the README names items that do not exist"
    assert ids - named == set(), "course items missing from the README table"


def test_lint_passes_on_the_built_in_course(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["lint", "--strict"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
