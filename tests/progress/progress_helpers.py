"""Small lessons built from the real lesson model, for the progress tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tutor.lesson.model import Check, Exercise, Lesson, Predict, Quiz


def ex(item_id: str, lesson_id: str, points: int = 10, hints: tuple[str, ...] = ()) -> Exercise:
    return Exercise(
        id=item_id,
        lesson_id=lesson_id,
        prompt="Do it.",
        title=item_id,
        solution="x = 1\n",
        checks=(Check("x", "x", 1),),
        points=points,
        hints=hints,
    )


def quiz(item_id: str, lesson_id: str, points: int = 5, hints: tuple[str, ...] = ()) -> Quiz:
    return Quiz(
        id=item_id,
        lesson_id=lesson_id,
        question="Which?",
        choices=("a", "b"),
        answer=2,
        points=points,
        hints=hints,
    )


def predict(item_id: str, lesson_id: str, points: int = 5) -> Predict:
    return Predict(id=item_id, lesson_id=lesson_id, show="print(1)", points=points)


def lesson(lesson_id: str, items, requires: tuple[str, ...] = (), title: str = "") -> Lesson:
    return Lesson(
        id=lesson_id,
        title=title or lesson_id,
        path=Path(f"{lesson_id}.md"),
        body="",
        requires=requires,
        items=tuple(items),
    )


def at(day: int, hour: int = 12) -> datetime:
    """A fixed moment in March 2025 (local, naive), so tests control the calendar."""
    return datetime(2025, 3, day, hour, 0, 0)
