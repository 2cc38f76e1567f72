"""The course and the learner's progress together: what the screens ask about the game."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from tutor.lesson.load import Course
from tutor.lesson.model import Item, Lesson
from tutor.progress import (
    ACHIEVEMENTS,
    AttemptResult,
    HintReveal,
    ItemState,
    ProgressError,
    ProgressStore,
    Totals,
)

Clock = Callable[[], datetime]
T = TypeVar("T")

SOLUTION_AFTER_FAILS = 3
"""Failed checks after which an exercise's reference solution may be revealed."""


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class LessonPrefs:
    """What the learner chose that lasts from item to item (and lesson to lesson)."""

    task_folded: bool = False


class GameHost(Protocol):
    """What objects Textual builds itself (the palette's providers) may ask the app for."""

    game: Game


@dataclass(frozen=True)
class LessonRow:
    """One line of the course map."""

    lesson: Lesson
    number: int
    state: str  # locked / open / in-progress / done
    earned: int  # points of the passed items
    available: int
    xp: int  # XP those items earned (bonuses and hint costs included)
    passed: int
    missing: tuple[str, ...]  # required lessons not done yet


class Game:
    """The course, the progress store and the clock, behind the questions screens ask."""

    def __init__(self, course: Course, store: ProgressStore, clock: Clock = local_now) -> None:
        self.course = course
        self.store = store
        self.clock = clock
        self.report: Callable[[str], None] = lambda message: None
        """Told when progress could not be saved (the store says why and what to do)."""

    def _write(self, default: T, fn: Callable[..., T], *args: Any) -> T:
        """Run one store write; a failed write is reported, never raised into the UI."""
        try:
            return fn(*args)
        except ProgressError as exc:
            self.report(str(exc))
            return default

    # -- the map ---------------------------------------------------------------------------

    def rows(self) -> list[LessonRow]:
        states = self.store.all_states()
        by_id = {le.id: le for le in self.course.lessons}
        rows = []
        for n, lesson in enumerate(self.course.lessons, 1):
            mine = [states.get(i.id) for i in lesson.items]
            passed_points = sum(
                i.points for i, st in zip(lesson.items, mine, strict=True) if st and st.passed
            )
            missing = tuple(
                req
                for req in lesson.requires
                if req in by_id and self._state(by_id[req], states) != "done"
            )
            rows.append(
                LessonRow(
                    lesson=lesson,
                    number=n,
                    state=self._state(lesson, states),
                    earned=passed_points,
                    xp=sum(s.xp for s in mine if s),
                    available=lesson.max_points,
                    passed=sum(1 for s in mine if s and s.passed),
                    missing=missing,
                )
            )
        return rows

    def _state(self, lesson: Lesson, states: dict[str, ItemState]) -> str:
        from tutor.progress import lesson_state

        return lesson_state(lesson, states, self.course)

    def lesson_state(self, lesson: Lesson) -> str:
        return self._state(lesson, self.store.all_states())

    def totals(self) -> Totals:
        return self.store.totals(self.clock())

    def unlocked(self) -> set[str]:
        return set(self.store.unlocked_achievements())

    def achievements(self) -> list[tuple[str, str, bool]]:
        """(name, description, unlocked) for every achievement, in display order."""
        got = self.unlocked()
        return [(a.name, a.description, a.id in got) for a in ACHIEVEMENTS]

    def course_complete(self) -> bool:
        items = self.course.items()
        states = self.store.all_states()
        return bool(items) and all(states.get(i.id, ItemState(i.id)).passed for i in items)

    def continue_target(self) -> tuple[Lesson, Item | None] | None:
        """Where to pick up: the saved position if it still exists, else the first open item."""
        pos = self.store.position()
        states = self.store.all_states()
        if pos is not None:
            lesson = self.course.lesson(pos.lesson_id)
            if lesson is not None and self.lesson_state(lesson) in ("open", "in-progress"):
                item = next((i for i in lesson.items if i.id == pos.item_id), None)
                if item is None or states.get(item.id, ItemState(item.id)).passed:
                    item = next(
                        (i for i in lesson.items if not states.get(i.id, ItemState(i.id)).passed),
                        item,
                    )
                return lesson, item
        for row in self.rows():
            if row.state in ("open", "in-progress"):
                item = next(
                    (i for i in row.lesson.items if not states.get(i.id, ItemState(i.id)).passed),
                    None,
                )
                return row.lesson, item
        return None

    # -- one item ----------------------------------------------------------------------------

    def item_state(self, item: Item) -> ItemState:
        return self.store.item_state(item.id)

    def states(self) -> dict[str, ItemState]:
        return self.store.all_states()

    def draft(self, item: Item) -> str | None:
        return self.store.draft(item.id)

    def save_draft(self, item: Item, text: str) -> None:
        self._write(None, self.store.save_draft, item.id, item.lesson_id, text, self.clock())

    def set_position(self, lesson: Lesson, item: Item | None) -> None:
        self._write(
            None, self.store.set_position, lesson.id, item.id if item else None, self.clock()
        )

    def record_attempt(self, item: Item, passed: bool) -> AttemptResult | None:
        """Store a graded attempt; None if it could not be saved (already reported)."""
        try:
            return self.store.record_attempt(item, passed, self.clock(), course=self.course)
        except ProgressError as exc:
            self.report(str(exc))
            return None

    def reveal_hint(self, item: Item) -> HintReveal | None:
        return self._write(None, self.store.reveal_hint, item, self.clock())

    def revealed_hints(self, item: Item) -> list[str]:
        return self.store.revealed_hints(item)

    def can_reveal_solution(self, item: Item) -> bool:
        """An exercise's solution after enough failed checks; a prediction's real output
        after one wrong prediction (giving up); never a quiz's (it explains itself after
        its last try)."""
        if item.kind == "quiz":
            return False
        state = self.item_state(item)
        needed = SOLUTION_AFTER_FAILS if item.kind == "exercise" else 1
        return state.passed or state.solution_revealed or state.failed_checks >= needed

    def lesson_done(self, lesson: Lesson) -> bool:
        states = self.states()
        return bool(lesson.items) and all(
            states.get(i.id, ItemState(i.id)).passed for i in lesson.items
        )

    def started(self, lesson: Lesson) -> bool:
        """Whether the learner has tried or passed anything in the lesson."""
        states = self.states()
        return any((st := states.get(i.id)) and st.attempts for i in lesson.items)

    def reveal_solution(self, item: Item) -> bool:
        return self._write(False, self.store.reveal_solution, item, self.clock())
