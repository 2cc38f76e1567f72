"""Course v2, group B (autograd in depth): lessons 8, 9, 10 and 18 hold the quality bar.

Structural checks only (no sandbox): the lint test of ``test_course.py`` runs every solution,
starter, ``wrong`` and ``accept`` block on every seed.
"""

from __future__ import annotations

import re

import pytest

from tutor.lesson.load import builtin_lessons_dir, load_course
from tutor.lesson.model import Exercise, Predict, Quiz

GROUP_B = {
    "version-counter": ("08-version-counter.md", "in-place-and-leaves"),
    "broadcasting-and-dtypes": ("09-broadcasting-and-dtypes.md", "version-counter"),
    "hooks-and-graph": ("10-hooks-and-graph.md", "broadcasting-and-dtypes"),
    "gradient-checking": ("18-gradient-checking.md", "custom-function"),
}


@pytest.fixture(scope="module")
def course():
    return load_course([builtin_lessons_dir()])


@pytest.fixture(scope="module")
def lessons(course):
    return {lesson_id: course.lesson(lesson_id) for lesson_id in GROUP_B}


def exercises(lessons):
    return [i for lesson in lessons.values() for i in lesson.items if isinstance(i, Exercise)]


def test_group_b_lessons_sit_where_the_course_expects_them(course, lessons) -> None:
    assert course.errors == []
    for lesson_id, (name, required) in GROUP_B.items():
        lesson = lessons[lesson_id]
        assert lesson is not None, lesson_id
        assert lesson.path.name == name
        assert lesson.requires == (required,)


def test_each_lesson_has_four_to_six_graded_items_two_of_them_exercises(lessons) -> None:
    for lesson in lessons.values():
        kinds = [item.kind for item in lesson.items]
        assert 4 <= len(kinds) <= 6, lesson.id
        assert kinds.count("exercise") >= 2, lesson.id
        assert {"quiz", "predict"} & set(kinds), lesson.id


def test_item_ids_are_unique_across_the_course(course) -> None:
    ids = [item.id for item in course.items()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_every_exercise_names_its_skill_and_carries_counterexamples(lessons) -> None:
    for ex in exercises(lessons):
        lines = ex.path.read_text().splitlines()
        header = lines[ex.line : ex.line + 3]  # the line after the fence opens the header
        assert any(line.startswith("# skill: ") for line in header), ex.id
        assert len(ex.wrong) >= 2, ex.id
        assert len(ex.accept) >= 1, ex.id
        assert all(block.label for block in ex.wrong), ex.id  # first line names the shortcut
        assert 2 <= len(ex.hints) <= 3, ex.id
        assert all(check.message for check in ex.checks), ex.id


def test_every_exercise_is_seeded_and_grades_how(lessons) -> None:
    for ex in exercises(lessons):
        assert len(ex.seeds) >= 3, ex.id
        asks_how = (
            ex.raises
            or ex.require
            or ex.forbid
            or any("trace." in check.expr for check in ex.checks)
        )
        assert asks_how, ex.id


def test_the_raise_exercise_checks_which_error_torch_raised(lessons) -> None:
    trigger = next(i for i in exercises(lessons) if i.id == "trigger-version-error")
    assert trigger.raises == "RuntimeError"
    assert any("trace.errors" in c.expr and "inplace operation" in c.expr for c in trigger.checks)


def test_quizzes_explain_and_predictions_are_deterministic(lessons) -> None:
    for lesson in lessons.values():
        for item in lesson.items:
            if isinstance(item, Quiz):
                assert item.explain, item.id
                assert 1 <= item.answer <= len(item.choices), item.id
            if isinstance(item, Predict):
                assert item.explain, item.id
                assert not re.search(r"\b(id|hash|time|random)\s*\(", item.show), item.id
                assert "randn" not in item.show or "manual_seed" in item.show, item.id


def test_hooks_lesson_sends_the_learner_to_the_graph_view(lessons) -> None:
    assert "f4" in lessons["hooks-and-graph"].prose
