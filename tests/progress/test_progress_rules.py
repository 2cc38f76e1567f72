"""Game rules: XP, levels, streaks, achievements, lesson unlocking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from progress_helpers import at, ex, lesson, predict, quiz

from tutor.lesson.load import Course
from tutor.progress import (
    ACHIEVEMENTS,
    HINT_COST_PERCENT,
    LEVELS,
    XP_RULES_TEXT,
    ItemState,
    best_streak,
    first_try_bonus,
    hint_cost,
    lesson_state,
    level_for,
    streak,
    xp_for_pass,
)

# --- XP -----------------------------------------------------------------------------------------


def test_xp_rules_text_states_the_numbers():
    assert f"{HINT_COST_PERCENT}%" in XP_RULES_TEXT
    assert "+50%" in XP_RULES_TEXT


@pytest.mark.parametrize(("points", "cost"), [(0, 0), (3, 1), (5, 1), (10, 2), (15, 3), (20, 4)])
def test_hint_cost(points, cost):
    assert hint_cost(points) == cost


def test_xp_for_pass_pure():
    assert xp_for_pass(10, attempts=1, hints_revealed=0, solution_revealed=False).total == 15
    assert xp_for_pass(10, attempts=2, hints_revealed=0, solution_revealed=False).total == 10
    award = xp_for_pass(10, attempts=1, hints_revealed=1, solution_revealed=False)
    assert (award.bonus, award.hint_penalty, award.total) == (0, 2, 8)
    assert xp_for_pass(10, attempts=1, hints_revealed=0, solution_revealed=True).total == 0
    # hints can take it to zero, never below
    assert xp_for_pass(5, attempts=3, hints_revealed=9, solution_revealed=False).total == 0
    assert first_try_bonus(5) == 2


def test_first_try_bonus_via_store(store):
    item = ex("a", "l1", points=10)
    result = store.record_attempt(item, True, at(1))
    assert result.newly_passed and result.xp == 15
    assert result.award.bonus == 5
    assert store.item_state("a").first_try
    assert store.totals(at(1)).xp == 15


def test_no_bonus_after_a_failed_attempt(store):
    item = ex("a", "l1", points=10)
    first = store.record_attempt(item, False, at(1))
    assert first.xp == 0 and not first.newly_passed
    assert store.item_state("a").status == "attempted"
    result = store.record_attempt(item, True, at(1))
    assert result.xp == 10
    state = store.item_state("a")
    assert (state.attempts, state.failed_checks, state.first_try) == (2, 1, False)


def test_hint_cost_via_store(store):
    item = ex("a", "l1", points=10, hints=("h1", "h2", "h3"))
    h1 = store.reveal_hint(item)
    h2 = store.reveal_hint(item)
    assert (h1.index, h1.text, h1.cost, h1.remaining) == (0, "h1", 2, 2)
    assert (h2.index, h2.text, h2.remaining) == (1, "h2", 1)
    result = store.record_attempt(item, True, at(1))
    assert result.xp == 10 - 2 * 2  # no first-try bonus with hints, 2 XP per hint
    assert result.award.hint_penalty == 4
    # after passing, a hint is free and changes nothing
    h3 = store.reveal_hint(item)
    assert h3.cost == 0 and h3.remaining == 0
    assert store.reveal_hint(item) is None
    assert store.totals(at(1)).xp == 6
    assert store.revealed_hints(item) == ["h1", "h2", "h3"]


def test_solution_revealed_before_passing_gives_zero(store):
    item = ex("a", "l1", points=10)
    assert store.reveal_solution(item) is True
    assert store.reveal_solution(item) is False  # already revealed: nothing more to lose
    result = store.record_attempt(item, True, at(1))
    assert result.newly_passed and result.xp == 0 and result.award.forfeited
    assert store.item_state("a").passed
    assert store.totals(at(1)).xp == 0


def test_solution_revealed_after_passing_keeps_xp(store):
    item = ex("a", "l1", points=10)
    store.record_attempt(item, True, at(1))
    assert store.reveal_solution(item) is False
    assert store.totals(at(1)).xp == 15
    assert store.reveal_hint(ex("a", "l1", hints=("h",))).cost == 0


def test_xp_only_once_per_item(store):
    item = ex("a", "l1", points=10)
    assert store.record_attempt(item, True, at(1)).xp == 15
    again = store.record_attempt(item, True, at(2))
    assert again.xp == 0 and not again.newly_passed and again.award is None
    store.record_attempt(item, False, at(3))  # failing later does not un-pass
    state = store.item_state("a")
    assert state.passed and state.xp == 15 and state.attempts == 3
    assert store.totals(at(3)).xp == 15
    assert store.totals(at(3)).items_passed == 1


# --- Levels -------------------------------------------------------------------------------------


def test_level_for_thresholds():
    assert level_for(0) == (1, "Leaf", 0, 25)
    assert level_for(24) == (1, "Leaf", 24, 25)
    assert level_for(25) == (2, "Node", 0, 35)
    assert level_for(-5).number == 1
    top_xp, top_name = LEVELS[-1]
    top = level_for(top_xp + 1000)
    assert (top.number, top.name, top.is_max, top.xp_needed) == (len(LEVELS), top_name, True, 0)
    assert top_name == "Autograd master"
    assert level_for(30).to_next == 30


def test_levels_are_monotonic_and_consistent():
    previous = 0
    for xp in range(LEVELS[-1][0] + 50):
        level = level_for(xp)
        assert level.number >= previous
        previous = level.number
        assert LEVELS[level.number - 1][0] + level.xp_into == xp
        assert level.is_max or 0 <= level.xp_into < level.xp_needed


def test_level_up_is_reported(store):
    items = [ex(f"e{i}", "l1", points=10) for i in range(3)]
    first = store.record_attempt(items[0], True, at(1))  # 15 XP: still Leaf
    assert not first.leveled_up and first.level_after.name == "Leaf"
    second = store.record_attempt(items[1], True, at(1))  # 30 XP: Node
    assert second.leveled_up
    assert (second.level_before.number, second.level_after.number) == (1, 2)
    assert second.total_xp == 30
    assert store.totals(at(1)).level.name == "Node"


# --- Streaks ------------------------------------------------------------------------------------


def test_streak_counts_back_from_today_or_yesterday():
    d = date(2025, 3, 10)
    days = {d, d - timedelta(1), d - timedelta(2), d - timedelta(5)}
    assert streak(days, d) == 3
    assert streak(days, d + timedelta(1)) == 3  # today not over yet: yesterday's run holds
    assert streak(days, d + timedelta(2)) == 0  # a whole day missed
    assert streak(set(), d) == 0
    assert streak({d - timedelta(5)}, d - timedelta(5)) == 1
    assert best_streak(days) == 3
    assert best_streak(days | {d - timedelta(3), d - timedelta(4)}) == 6
    assert best_streak(set()) == 0


def test_streak_across_days_in_store(store):
    item = ex("a", "l1")
    for day in (1, 2, 3, 5, 6):
        store.record_attempt(item, False, at(day))
    store.record_attempt(item, False, at(6, hour=23))  # same day twice counts once
    assert store.totals(at(6)).streak == 2
    assert store.totals(at(7)).streak == 2
    assert store.totals(at(8)).streak == 0
    totals = store.totals(at(6))
    assert (totals.best_streak, totals.days_active) == (3, 5)
    assert store.active_days() == {at(d).date() for d in (1, 2, 3, 5, 6)}


# --- Achievements -------------------------------------------------------------------------------


def ids(result) -> set[str]:
    return {a.id for a in result.achievements}


def test_achievement_ids_are_unique_and_described():
    assert len({a.id for a in ACHIEVEMENTS}) == len(ACHIEVEMENTS)
    assert all(a.name and a.description for a in ACHIEVEMENTS)


def test_first_backward_needs_an_exercise(store):
    assert "first-backward" not in ids(store.record_attempt(quiz("q", "l1"), True, at(1)))
    assert "first-backward" not in ids(store.record_attempt(ex("e", "l1"), False, at(1)))
    assert "first-backward" in ids(store.record_attempt(ex("e", "l1"), True, at(1)))
    # unlocked once only
    assert "first-backward" not in ids(store.record_attempt(ex("f", "l1"), True, at(1)))
    assert "first-backward" in store.unlocked_achievements()


def test_no_hints_and_perfect_lesson(store):
    a, b = ex("a", "l1"), quiz("b", "l1")
    course = [lesson("l1", [a, b])]
    first = store.record_attempt(a, True, at(1), course=course)
    assert not ids(first) & {"no-hints-lesson", "perfect-lesson"}  # lesson not finished yet
    last = store.record_attempt(b, True, at(1), course=course)
    assert {"no-hints-lesson", "perfect-lesson"} <= ids(last)


def test_second_try_lesson_is_no_hints_but_not_perfect(store):
    a, b = ex("a", "l1"), quiz("b", "l1")
    course = [lesson("l1", [a, b])]
    store.record_attempt(a, True, at(1), course=course)
    store.record_attempt(b, False, at(1), course=course)
    last = store.record_attempt(b, True, at(1), course=course)
    assert "no-hints-lesson" in ids(last)
    assert "perfect-lesson" not in ids(last)


def test_a_hint_spoils_no_hints_lesson(store):
    a, b = ex("a", "l1", hints=("h",)), quiz("b", "l1")
    course = [lesson("l1", [a, b])]
    store.reveal_hint(a)
    store.record_attempt(a, True, at(1), course=course)
    last = store.record_attempt(b, True, at(1), course=course)
    assert not ids(last) & {"no-hints-lesson", "perfect-lesson"}


def test_revealed_solution_spoils_no_hints_lesson(store):
    a = ex("a", "l1")
    course = [lesson("l1", [a])]
    store.reveal_solution(a)
    assert "no-hints-lesson" not in ids(store.record_attempt(a, True, at(1), course=course))


def test_lesson_achievements_need_the_course(store):
    a = ex("a", "l1")
    result = store.record_attempt(a, True, at(1))  # no course given: the lesson is unknown
    assert not ids(result) & {"no-hints-lesson", "perfect-lesson", "course-complete"}


@pytest.mark.parametrize(
    ("item", "title", "expected"),
    [
        (ex("fix-inplace-relu", "hooks"), "", True),
        (ex("fix-it", "in-place-ops"), "", True),
        (ex("fix-it", "gotchas"), "In-place operations and version counters", True),
        (quiz("inplace-quiz", "in-place-ops"), "", False),  # exercises only
        (ex("fix-it", "gotchas"), "Gotchas", False),
    ],
)
def test_inplace_fixer(store, item, title, expected):
    course = [lesson(item.lesson_id, [item, ex("other", item.lesson_id)], title=title)]
    assert "inplace-fixer" not in ids(store.record_attempt(item, False, at(1), course=course))
    assert ("inplace-fixer" in ids(store.record_attempt(item, True, at(1), course=course))) is (
        expected
    )


def test_persistent(store):
    a, b = ex("a", "l1"), ex("b", "l1")
    for _ in range(2):
        store.record_attempt(a, False, at(1))
    assert "persistent" not in ids(store.record_attempt(a, True, at(1)))
    for _ in range(3):
        store.record_attempt(b, False, at(1))
    assert "persistent" in ids(store.record_attempt(b, True, at(1)))


def test_streak_3(store):
    item = ex("a", "l1")
    assert "streak-3" not in ids(store.record_attempt(item, False, at(1)))
    assert "streak-3" not in ids(store.record_attempt(item, False, at(2)))
    assert "streak-3" not in ids(store.record_attempt(item, False, at(4)))  # gap: run restarts
    assert "streak-3" not in ids(store.record_attempt(item, False, at(5)))
    assert "streak-3" in ids(store.record_attempt(item, False, at(6)))


def test_course_complete(store):
    l1 = lesson("l1", [ex("a", "l1"), quiz("b", "l1")])
    l2 = lesson("l2", [predict("c", "l2")], requires=("l1",))
    course = [l1, l2]
    store.record_attempt(l1.items[0], True, at(1), course=course)
    store.record_attempt(l2.items[0], True, at(1), course=course)
    assert "course-complete" not in store.unlocked_achievements()
    result = store.record_attempt(l1.items[1], True, at(1), course=course)
    assert "course-complete" in ids(result)


def test_achievements_persist_and_reset_all_clears_them(db_path):
    from tutor.progress import ProgressStore

    with ProgressStore(db_path) as s:
        s.record_attempt(ex("a", "l1"), True, at(1))
    with ProgressStore(db_path) as s:
        assert set(s.unlocked_achievements()) == {"first-backward"}
        assert s.totals(at(1)).achievements == 1
        s.reset()
        assert s.unlocked_achievements() == {}


# --- Lesson states ------------------------------------------------------------------------------


def test_lesson_states_with_requires(store):
    la = lesson("a", [ex("a1", "a"), quiz("a2", "a")])
    lb = lesson("b", [ex("b1", "b")], requires=("a",))
    lc = lesson("c", [ex("c1", "c")], requires=("a", "b"))
    course = [la, lb, lc]

    def states():
        return [lesson_state(x, store, course) for x in course]

    assert states() == ["open", "locked", "locked"]
    store.record_attempt(la.items[0], False, at(1))
    assert states() == ["in-progress", "locked", "locked"]
    store.record_attempt(la.items[0], True, at(1))
    assert states() == ["in-progress", "locked", "locked"]
    store.record_attempt(la.items[1], True, at(1))
    assert states() == ["done", "open", "locked"]
    store.record_attempt(lb.items[0], True, at(1))
    assert states() == ["done", "done", "open"]
    assert store.lesson_state(lc, course) == "open"
    # resetting a prerequisite locks what is not finished, but finished work stays done
    store.reset("a")
    assert states() == ["open", "done", "locked"]


def test_lesson_state_from_a_mapping_and_a_course_object():
    la = lesson("a", [ex("a1", "a")])
    lb = lesson("b", [ex("b1", "b")], requires=("a", "not-loaded"))

    course = Course(lessons=[la, lb])
    assert lesson_state(lb, {}, course) == "locked"
    passed = {"a1": ItemState("a1", "a", status="passed")}
    assert lesson_state(la, passed, course) == "done"
    # an unknown required id does not lock the lesson
    assert lesson_state(lb, passed, course) == "open"


def test_empty_lesson_is_done_and_unlocks():
    intro = lesson("intro", [])
    nxt = lesson("next", [ex("n1", "next")], requires=("intro",))
    assert lesson_state(intro, {}, [intro, nxt]) == "done"
    assert lesson_state(nxt, {}, [intro, nxt]) == "open"
