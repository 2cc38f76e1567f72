"""The learner's records in the progress file: drafts, attempts and XP, hints, solutions,
position, reset and export rows. The file's health (opening, migrating, locking, errors) is
``database.py``'s job; the game's rules (XP, levels, achievements) are ``rules.py``'s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tutor.progress import rules
from tutor.progress.database import (
    DB_NAME,
    ENV_VAR,
    Database,
    ProgressError,
    default_data_dir,
    default_db_path,
)
from tutor.progress.migrations import MIGRATIONS, SCHEMA_VERSION
from tutor.progress.rules import (
    AchievementContext,
    AttemptResult,
    HintReveal,
    ItemState,
    LessonProgress,
    LessonState,
    Position,
    Totals,
)

if TYPE_CHECKING:
    from tutor.lesson.model import Item, Lesson

__all__ = [
    "DB_NAME",
    "ENV_VAR",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ProgressError",
    "ProgressStore",
    "default_data_dir",
    "default_db_path",
]


class ProgressStore(Database):
    """The learner's progress: every method is one read or one write transaction."""

    # --- drafts -------------------------------------------------------------------------------

    def save_draft(
        self, item_id: str, lesson_id: str, text: str, now: datetime | None = None
    ) -> None:
        """Keep the learner's latest code (exercise), choice number (quiz) or text (predict)."""
        with self._transaction() as conn:
            conn.execute(
                """INSERT INTO draft (item_id, lesson_id, text, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (item_id) DO UPDATE SET lesson_id = excluded.lesson_id,
                   text = excluded.text, updated_at = excluded.updated_at""",
                (item_id, lesson_id, text, _stamp(now)),
            )

    def draft(self, item_id: str) -> str | None:
        """The saved draft of an item, or None."""
        with self._reading() as conn:
            row = conn.execute("SELECT text FROM draft WHERE item_id = ?", (item_id,)).fetchone()
        return row[0] if row else None

    def drafts(self) -> dict[str, str]:
        """Every saved draft by item id."""
        with self._reading() as conn:
            return dict(conn.execute("SELECT item_id, text FROM draft").fetchall())

    # --- attempts, hints, solutions ------------------------------------------------------------

    def record_attempt(
        self,
        item: Item,
        passed: bool,
        now: datetime | None = None,
        *,
        course: Iterable[Lesson] | Any = (),
    ) -> AttemptResult:
        """Store one graded attempt and apply the rules: XP on the first pass only,
        achievements, level. ``course`` (the loaded lessons, or a ``Course``) lets lesson- and
        course-wide achievements be judged; without it they are not."""
        moment = _now(now)
        lessons = rules.course_lessons(course)
        with self._transaction() as conn:
            total_before = _total_xp(conn)
            old = _state(conn, item.id) or ItemState(item.id, item.lesson_id)
            attempts = old.attempts + 1
            newly_passed = passed and not old.passed
            award = None
            if newly_passed:
                award = rules.xp_for_pass(
                    item.points,
                    attempts=attempts,
                    hints_revealed=old.hints_revealed,
                    solution_revealed=old.solution_revealed,
                )
                first_try = rules.is_first_try(attempts, old.hints_revealed, old.solution_revealed)
                new = replace(
                    old,
                    status="passed",
                    first_try=first_try,
                    first_passed_at=moment,
                    xp=award.total,
                )
                conn.execute(
                    "INSERT INTO xp_event (at, item_id, lesson_id, xp, reason) "
                    "VALUES (?, ?, ?, ?, 'pass')",
                    (_stamp(moment), item.id, item.lesson_id, award.total),
                )
            else:
                new = old if old.passed else replace(old, status="attempted")
            new = replace(
                new,
                lesson_id=item.lesson_id,
                attempts=attempts,
                failed_checks=old.failed_checks + (0 if passed else 1),
            )
            _write_state(conn, new, moment)
            conn.execute(
                "INSERT OR IGNORE INTO active_day (day) VALUES (?)", (moment.date().isoformat(),)
            )
            unlocked = {row[0] for row in conn.execute("SELECT id FROM achievement")}
            ctx = AchievementContext(
                item=item,
                passed=passed,
                newly_passed=newly_passed,
                today=moment.date(),
                states=_all_states(conn),
                days=frozenset(_active_days(conn)),
                lessons=lessons,
            )
            earned = rules.new_achievements(ctx, unlocked)
            conn.executemany(
                "INSERT INTO achievement (id, unlocked_at) VALUES (?, ?)",
                [(a.id, _stamp(moment)) for a in earned],
            )
            total_after = _total_xp(conn)
        return AttemptResult(
            item_id=item.id,
            passed=passed,
            newly_passed=newly_passed,
            xp=award.total if award else 0,
            award=award,
            total_xp=total_after,
            level_before=rules.level_for(total_before),
            level_after=rules.level_for(total_after),
            achievements=tuple(earned),
            state=new,
        )

    def reveal_hint(self, item: Item, now: datetime | None = None) -> HintReveal | None:
        """Reveal the item's next hint; None when every hint is already shown.

        The cost (``rules.hint_cost``) is taken off the item's XP when it passes; it is 0 when
        the item already passed or its solution was revealed."""
        with self._transaction() as conn:
            old = _state(conn, item.id) or ItemState(item.id, item.lesson_id)
            index = old.hints_revealed
            if index >= len(item.hints):
                return None
            new = replace(old, lesson_id=item.lesson_id, hints_revealed=index + 1)
            _write_state(conn, new, _now(now))
        free = old.passed or old.solution_revealed
        return HintReveal(
            index=index,
            text=item.hints[index],
            cost=0 if free else rules.hint_cost(item.points),
            remaining=len(item.hints) - index - 1,
        )

    def revealed_hints(self, item: Item) -> list[str]:
        """The hints of ``item`` the learner has revealed so far."""
        return list(item.hints[: self.item_state(item.id).hints_revealed])

    def reveal_solution(self, item: Item, now: datetime | None = None) -> bool:
        """Mark the solution as seen. True when this forfeits the item's XP (not passed yet,
        not revealed before)."""
        with self._transaction() as conn:
            old = _state(conn, item.id) or ItemState(item.id, item.lesson_id)
            new = replace(old, lesson_id=item.lesson_id, solution_revealed=True)
            _write_state(conn, new, _now(now))
        return not old.passed and not old.solution_revealed

    # --- reading state ---------------------------------------------------------------------------

    def item_state(self, item_id: str) -> ItemState:
        """The stored state of an item (``not-started`` with zeros if never touched)."""
        with self._reading() as conn:
            return _state(conn, item_id) or ItemState(item_id)

    def all_states(self) -> dict[str, ItemState]:
        """Every stored item state by item id."""
        with self._reading() as conn:
            return _all_states(conn)

    def lesson_progress(self, lesson: Lesson) -> LessonProgress:
        """Counts and XP for one lesson's items."""
        states = self.all_states()
        mine = [states.get(item.id) or ItemState(item.id) for item in lesson.items]
        return LessonProgress(
            lesson_id=lesson.id,
            items_total=len(lesson.items),
            items_passed=sum(s.passed for s in mine),
            items_attempted=sum(s.status == "attempted" for s in mine),
            xp=sum(s.xp for s in mine),
            max_points=sum(item.points for item in lesson.items),
            hints_revealed=sum(s.hints_revealed for s in mine),
        )

    def lesson_state(self, lesson: Lesson, course: Iterable[Lesson] | Any = ()) -> LessonState:
        """``rules.lesson_state`` against this store."""
        return rules.lesson_state(lesson, self, course)

    def totals(self, now: datetime | None = None) -> Totals:
        """Total XP, level, streak (as of ``now``), active days, items passed, achievements."""
        today = _now(now).date()
        with self._reading() as conn:
            xp = _total_xp(conn)
            days = _active_days(conn)
            passed = conn.execute(
                "SELECT COUNT(*) FROM item_state WHERE status = 'passed'"
            ).fetchone()[0]
            achievements = conn.execute("SELECT COUNT(*) FROM achievement").fetchone()[0]
        return Totals(
            xp=xp,
            level=rules.level_for(xp),
            streak=rules.streak(days, today),
            best_streak=rules.best_streak(days),
            days_active=len(days),
            items_passed=passed,
            achievements=achievements,
        )

    def active_days(self) -> set[date]:
        with self._reading() as conn:
            return _active_days(conn)

    def unlocked_achievements(self) -> dict[str, datetime]:
        """Achievement id -> when it was unlocked (look names up in ``ACHIEVEMENTS_BY_ID``)."""
        with self._reading() as conn:
            rows = conn.execute("SELECT id, unlocked_at FROM achievement ORDER BY unlocked_at")
            return {row[0]: datetime.fromisoformat(row[1]) for row in rows}

    # --- position -------------------------------------------------------------------------------

    def set_position(
        self, lesson_id: str, item_id: str | None = None, now: datetime | None = None
    ) -> None:
        """Remember where the learner is, for "continue where I left off"."""
        with self._transaction() as conn:
            conn.execute(
                """INSERT INTO position (id, lesson_id, item_id, updated_at) VALUES (1, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET lesson_id = excluded.lesson_id,
                   item_id = excluded.item_id, updated_at = excluded.updated_at""",
                (lesson_id, item_id, _stamp(now)),
            )

    def position(self) -> Position | None:
        with self._reading() as conn:
            row = conn.execute("SELECT lesson_id, item_id FROM position WHERE id = 1").fetchone()
        return Position(row[0], row[1]) if row else None

    # --- reset and export ------------------------------------------------------------------------

    def reset(self, lesson_id: str | None = None) -> None:
        """Forget everything (``lesson_id`` None), or one lesson's items, drafts and XP.

        A one-lesson reset keeps achievements and active days (they were earned) and clears
        the position only if it points into that lesson."""
        with self._transaction() as conn:
            if lesson_id is None:
                for table in ("item_state", "draft", "xp_event", "active_day", "achievement"):
                    conn.execute(f"DELETE FROM {table}")
                conn.execute("DELETE FROM position")
            else:
                for table in ("item_state", "draft", "xp_event", "position"):
                    conn.execute(f"DELETE FROM {table} WHERE lesson_id = ?", (lesson_id,))

    def export_rows(self) -> list[dict[str, Any]]:
        """One JSON-able row per item with a state or a draft, sorted by lesson and item."""
        with self._reading() as conn:
            states = _all_states(conn)
            drafts = {
                row[0]: (row[1], row[2])
                for row in conn.execute("SELECT item_id, lesson_id, text FROM draft")
            }
        rows = []
        for item_id in set(states) | set(drafts):
            lesson_id, text = drafts.get(item_id, ("", None))
            state = states.get(item_id) or ItemState(item_id, lesson_id)
            rows.append(
                {
                    "item_id": item_id,
                    "lesson_id": state.lesson_id,
                    "status": state.status,
                    "attempts": state.attempts,
                    "failed_checks": state.failed_checks,
                    "hints_revealed": state.hints_revealed,
                    "solution_revealed": state.solution_revealed,
                    "first_try": state.first_try,
                    "first_passed_at": (
                        state.first_passed_at.isoformat() if state.first_passed_at else None
                    ),
                    "xp": state.xp,
                    "draft": text,
                }
            )
        rows.sort(key=lambda r: (r["lesson_id"], r["item_id"]))
        return rows


# --- helpers ------------------------------------------------------------------------------------

_STATE_COLUMNS = (
    "item_id, lesson_id, status, attempts, failed_checks, hints_revealed, "
    "solution_revealed, first_try, first_passed_at, xp"
)


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now().astimezone()


def _stamp(now: datetime | None) -> str:
    return _now(now).isoformat(timespec="seconds")


def _row_to_state(row: tuple) -> ItemState:
    return ItemState(
        item_id=row[0],
        lesson_id=row[1],
        status=row[2],
        attempts=row[3],
        failed_checks=row[4],
        hints_revealed=row[5],
        solution_revealed=bool(row[6]),
        first_try=bool(row[7]),
        first_passed_at=datetime.fromisoformat(row[8]) if row[8] else None,
        xp=row[9],
    )


def _state(conn: sqlite3.Connection, item_id: str) -> ItemState | None:
    row = conn.execute(
        f"SELECT {_STATE_COLUMNS} FROM item_state WHERE item_id = ?", (item_id,)
    ).fetchone()
    return _row_to_state(row) if row else None


def _all_states(conn: sqlite3.Connection) -> dict[str, ItemState]:
    rows = conn.execute(f"SELECT {_STATE_COLUMNS} FROM item_state").fetchall()
    return {row[0]: _row_to_state(row) for row in rows}


def _write_state(conn: sqlite3.Connection, s: ItemState, now: datetime) -> None:
    conn.execute(
        f"""INSERT OR REPLACE INTO item_state ({_STATE_COLUMNS}, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            s.item_id,
            s.lesson_id,
            s.status,
            s.attempts,
            s.failed_checks,
            s.hints_revealed,
            int(s.solution_revealed),
            int(s.first_try),
            s.first_passed_at.isoformat(timespec="seconds") if s.first_passed_at else None,
            s.xp,
            _stamp(now),
        ),
    )


def _total_xp(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(SUM(xp), 0) FROM xp_event").fetchone()[0]


def _active_days(conn: sqlite3.Connection) -> set[date]:
    return {date.fromisoformat(row[0]) for row in conn.execute("SELECT day FROM active_day")}
