"""The game rules: XP, levels, streaks, achievements and lesson unlocking.

Pure functions and frozen dataclasses only; no database, no clock (callers pass ``today``).
The numbers a learner should know up front are module constants (see ``XP_RULES_TEXT``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:  # the lesson model is only needed for type hints: no import cost at runtime
    from tutor.lesson.model import Item, Lesson

Status = Literal["not-started", "attempted", "passed"]
LessonState = Literal["locked", "open", "in-progress", "done"]

# --- XP ---------------------------------------------------------------------------------------

FIRST_TRY_BONUS_PERCENT = 50
"""Bonus on top of an item's points when it passes on the first attempt with no hint."""

HINT_COST_PERCENT = 20
"""Each revealed hint costs this share of the item's points (at least 1 XP)."""

XP_RULES_TEXT = (
    "Passing an item earns its points, once. "
    f"Pass on your first try without hints: +{FIRST_TRY_BONUS_PERCENT}%. "
    f"Each hint you reveal costs {HINT_COST_PERCENT}% of the item's points (at least 1 XP). "
    "Revealing the solution before you pass: no XP for that item."
)


def hint_cost(points: int) -> int:
    """XP one revealed hint takes off an item worth ``points``."""
    if points <= 0:
        return 0
    return max(1, points * HINT_COST_PERCENT // 100)


def first_try_bonus(points: int) -> int:
    """The first-try bonus for an item worth ``points``."""
    return max(0, points * FIRST_TRY_BONUS_PERCENT // 100)


def is_first_try(attempts: int, hints_revealed: int, solution_revealed: bool) -> bool:
    """Whether a pass on attempt number ``attempts`` (1-based) counts as a first try."""
    return attempts == 1 and hints_revealed == 0 and not solution_revealed


@dataclass(frozen=True)
class XpAward:
    """The XP for passing an item, and how it was worked out."""

    base: int
    bonus: int = 0
    hint_penalty: int = 0
    forfeited: bool = False  # the solution was revealed before passing

    @property
    def total(self) -> int:
        if self.forfeited:
            return 0
        return max(0, self.base + self.bonus - self.hint_penalty)


def xp_for_pass(
    points: int, *, attempts: int, hints_revealed: int, solution_revealed: bool
) -> XpAward:
    """XP for the first pass of an item; ``attempts`` counts the passing attempt too."""
    if solution_revealed:
        return XpAward(base=points, forfeited=True)
    bonus = first_try_bonus(points) if is_first_try(attempts, hints_revealed, False) else 0
    return XpAward(base=points, bonus=bonus, hint_penalty=hints_revealed * hint_cost(points))


# --- Levels -------------------------------------------------------------------------------------

LEVELS: tuple[tuple[int, str], ...] = (
    (0, "Leaf"),
    (25, "Node"),
    (60, "Graph builder"),
    (110, "Gradient tracker"),
    (180, "Chain ruler"),
    (270, "Backprop apprentice"),
    (380, "Hook handler"),
    (520, "Jacobian juggler"),
    (700, "Autograd master"),
)
"""(XP at which the level starts, its name), from level 1 up."""


class Level(NamedTuple):
    """A level: ``number`` (1-based), ``name``, XP earned inside it, and XP it spans in all."""

    number: int
    name: str
    xp_into: int
    xp_needed: int  # next threshold minus this one; 0 at the top level

    @property
    def is_max(self) -> bool:
        return self.xp_needed == 0

    @property
    def to_next(self) -> int:
        """XP still missing for the next level (0 at the top)."""
        return max(0, self.xp_needed - self.xp_into)


def level_for(xp: int) -> Level:
    """The level a learner with ``xp`` total XP is at."""
    xp = max(0, xp)
    index = 0
    for i, (threshold, _name) in enumerate(LEVELS):
        if xp >= threshold:
            index = i
    start, name = LEVELS[index]
    needed = LEVELS[index + 1][0] - start if index + 1 < len(LEVELS) else 0
    return Level(index + 1, name, xp - start, needed)


# --- Streaks ------------------------------------------------------------------------------------


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive active days ending today, or yesterday (today is not over yet); else 0."""
    active = {_as_date(d) for d in days}
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def best_streak(days: Iterable[date]) -> int:
    """The longest run of consecutive active days ever."""
    active = {_as_date(d) for d in days}
    best = 0
    for day in active:
        if day - timedelta(days=1) in active:
            continue  # not the start of a run
        length = 1
        while day + timedelta(days=length) in active:
            length += 1
        best = max(best, length)
    return best


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


# --- Item state and lessons ---------------------------------------------------------------------


@dataclass(frozen=True)
class ItemState:
    """What the learner has done with one item (a lesson exercise, quiz or prediction)."""

    item_id: str
    lesson_id: str = ""
    status: Status = "not-started"
    attempts: int = 0
    failed_checks: int = 0  # attempts that did not pass
    hints_revealed: int = 0
    solution_revealed: bool = False
    first_try: bool = False  # passed on the first attempt with no hint
    first_passed_at: datetime | None = None
    xp: int = 0

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def lesson_done(lesson: Lesson, states: Mapping[str, ItemState]) -> bool:
    """A lesson is done when every one of its items has passed (an empty lesson is done)."""
    return all(_passed(states, item.id) for item in lesson.items)


def lesson_state(
    lesson: Lesson,
    store: Any,
    course: Iterable[Lesson] | Any = (),
) -> LessonState:
    """``locked`` / ``open`` / ``in-progress`` / ``done`` for ``lesson``.

    ``store`` is a ``ProgressStore`` (anything with ``all_states()``) or a mapping of item id
    to ``ItemState``; ``course`` gives the lessons that ``lesson.requires`` names. A lesson is
    locked until each required lesson is done; a required id that is not in ``course`` does not
    lock (the course loader reports it as an error). Done wins over locked: finished work stays
    finished even if a prerequisite is reset later.
    """
    states = _states_of(store)
    if lesson_done(lesson, states):
        return "done"
    by_id = {other.id: other for other in course_lessons(course)}
    for req in lesson.requires:
        required = by_id.get(req)
        if required is not None and not lesson_done(required, states):
            return "locked"
    if any(_status(states, item.id) != "not-started" for item in lesson.items):
        return "in-progress"
    return "open"


def _states_of(store: Any) -> Mapping[str, ItemState]:
    if isinstance(store, Mapping):
        return store
    return store.all_states()


def course_lessons(course: Any) -> tuple[Lesson, ...]:
    """Accept a sequence of lessons or a ``Course`` (anything with ``.lessons``)."""
    return tuple(getattr(course, "lessons", course) or ())


def _status(states: Mapping[str, ItemState], item_id: str) -> Status:
    state = states.get(item_id)
    return state.status if state else "not-started"


def _passed(states: Mapping[str, ItemState], item_id: str) -> bool:
    return _status(states, item_id) == "passed"


# --- Achievements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AchievementContext:
    """Everything an achievement condition may look at, right after one attempt was stored."""

    item: Item
    passed: bool  # this attempt passed
    newly_passed: bool  # ... and it was the item's first pass
    today: date
    states: Mapping[str, ItemState]  # every stored item state, this attempt included
    days: frozenset[date]  # active days, today included
    lessons: tuple[Lesson, ...] = ()  # the loaded course; empty if the caller gave none

    @property
    def lesson(self) -> Lesson | None:
        """The lesson of ``item``, if the course was given."""
        return next((le for le in self.lessons if le.id == self.item.lesson_id), None)

    def state(self, item_id: str) -> ItemState:
        return self.states.get(item_id) or ItemState(item_id)


Condition = Callable[[AchievementContext], bool]


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    condition: Condition = field(compare=False, repr=False)


def _first_exercise(ctx: AchievementContext) -> bool:
    return ctx.passed and ctx.item.kind == "exercise"


def _lesson_finished(ctx: AchievementContext, each: Callable[[ItemState], bool]) -> bool:
    lesson = ctx.lesson
    if lesson is None or not lesson.items or not lesson_done(lesson, ctx.states):
        return False
    return all(each(ctx.state(item.id)) for item in lesson.items)


def _no_hints_lesson(ctx: AchievementContext) -> bool:
    return _lesson_finished(ctx, lambda s: s.hints_revealed == 0 and not s.solution_revealed)


def _perfect_lesson(ctx: AchievementContext) -> bool:
    return _lesson_finished(ctx, lambda s: s.first_try)


def _course_complete(ctx: AchievementContext) -> bool:
    items = [item for lesson in ctx.lessons for item in lesson.items]
    return bool(items) and all(ctx.state(item.id).passed for item in items)


def streak_condition(days: int) -> Condition:
    """A condition: the learner has been active ``days`` days in a row, ending today."""
    return lambda ctx: streak(ctx.days, ctx.today) >= days


def topic_condition(pattern: str, kinds: Collection[str] = ("exercise",)) -> Condition:
    """A condition: an item of one of ``kinds`` passed whose id, lesson id or lesson title
    matches the regular expression ``pattern`` (case-insensitive)."""
    regex = re.compile(pattern, re.IGNORECASE)

    def condition(ctx: AchievementContext) -> bool:
        if not ctx.passed or ctx.item.kind not in kinds:
            return False
        lesson = ctx.lesson
        words = [ctx.item.id, ctx.item.lesson_id, lesson.title if lesson else ""]
        return any(regex.search(w) for w in words)

    return condition


def failures_condition(failures: int) -> Condition:
    """A condition: an item passed after at least ``failures`` failed attempts."""
    return lambda ctx: ctx.newly_passed and ctx.state(ctx.item.id).failed_checks >= failures


ACHIEVEMENTS: tuple[Achievement, ...] = (
    # the id stays "first-backward" (stored in progress files); the name says what it is for
    Achievement("first-backward", "First exercise", "Pass your first exercise.", _first_exercise),
    Achievement(
        "no-hints-lesson",
        "No hints needed",
        "Finish a lesson without revealing a hint or a solution.",
        _no_hints_lesson,
    ),
    Achievement(
        "perfect-lesson",
        "Perfect lesson",
        "Finish a lesson with every item passed on the first try.",
        _perfect_lesson,
    ),
    Achievement(
        "inplace-fixer",
        "In-place fixer",
        "Pass an exercise about in-place operations.",
        topic_condition(r"in-?place"),
    ),
    Achievement(
        "persistent",
        "Persistent",
        "Pass an item after three or more failed attempts.",
        failures_condition(3),
    ),
    Achievement("streak-3", "On a roll", "Practise three days in a row.", streak_condition(3)),
    Achievement(
        "course-complete", "Autograd graduate", "Pass every item of the course.", _course_complete
    ),
)
"""Every achievement, in display order. Add one by appending (ids are stored: never reuse)."""

ACHIEVEMENTS_BY_ID: dict[str, Achievement] = {a.id: a for a in ACHIEVEMENTS}


def new_achievements(
    ctx: AchievementContext,
    unlocked: Collection[str],
    achievements: Iterable[Achievement] = ACHIEVEMENTS,
) -> list[Achievement]:
    """The achievements whose condition holds in ``ctx`` and that are not yet ``unlocked``."""
    return [a for a in achievements if a.id not in unlocked and a.condition(ctx)]


# --- Results handed to the UI -------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    """What one ``record_attempt`` earned."""

    item_id: str
    passed: bool
    newly_passed: bool  # first pass of this item: the only attempt that can earn XP
    xp: int  # XP earned by this attempt
    award: XpAward | None  # the XP breakdown, on the first pass only
    total_xp: int
    level_before: Level
    level_after: Level
    achievements: tuple[Achievement, ...]  # unlocked by this attempt
    state: ItemState  # the item's state after the attempt

    @property
    def leveled_up(self) -> bool:
        return self.level_after.number > self.level_before.number


@dataclass(frozen=True)
class HintReveal:
    """A hint just revealed: its 0-based index, text, XP cost and how many hints remain."""

    index: int
    text: str
    cost: int  # 0 when the item already passed or its solution was revealed
    remaining: int


@dataclass(frozen=True)
class LessonProgress:
    lesson_id: str
    items_total: int
    items_passed: int
    items_attempted: int  # started but not passed
    xp: int
    max_points: int
    hints_revealed: int

    @property
    def fraction(self) -> float:
        """Share of items passed, 0.0-1.0 (1.0 for a lesson without items)."""
        return self.items_passed / self.items_total if self.items_total else 1.0


@dataclass(frozen=True)
class Totals:
    xp: int
    level: Level
    streak: int
    best_streak: int
    days_active: int
    items_passed: int
    achievements: int


class Position(NamedTuple):
    """Where the learner left off."""

    lesson_id: str
    item_id: str | None
