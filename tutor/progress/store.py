"""The learner's progress, in one SQLite file that survives kills, crashes and two tutors at once.

* WAL journal, ``synchronous=FULL``: a committed write is on disk; a SIGKILL at any moment
  leaves the old or the new state.
* Every write is one ``BEGIN IMMEDIATE`` transaction: read-modify-write cycles (attempt counts,
  XP once per item) cannot interleave between processes, and a busy file is waited for
  (``timeout``) instead of failing.
* ``PRAGMA user_version`` is the schema version; ``MIGRATIONS`` upgrades old files in place.
  A damaged file, or one from a newer tutor, is renamed to ``progress.db.broken-<time>`` (never
  deleted), a fresh one is made, and ``ProgressStore.warning`` says so.
* A write that cannot be done (read-only folder, disk full, ...) raises ``ProgressError`` with
  what to do; the transaction is rolled back, so what was on disk stays.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from tutor.progress import rules
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

ENV_VAR = "TUTOR_DATA_DIR"
DB_NAME = "progress.db"

# Migration steps keyed by the version they produce; each runs in one transaction with the
# version bump, so a file is never left half-migrated. Append new steps; never edit old ones.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE item_state (
            item_id TEXT PRIMARY KEY,
            lesson_id TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'not-started'
                CHECK (status IN ('not-started', 'attempted', 'passed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            hints_revealed INTEGER NOT NULL DEFAULT 0,
            solution_revealed INTEGER NOT NULL DEFAULT 0,
            first_try INTEGER NOT NULL DEFAULT 0,
            first_passed_at TEXT,
            xp INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX item_state_lesson ON item_state (lesson_id)",
        """CREATE TABLE draft (
            item_id TEXT PRIMARY KEY,
            lesson_id TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX draft_lesson ON draft (lesson_id)",
        """CREATE TABLE xp_event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            item_id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            xp INTEGER NOT NULL,
            reason TEXT NOT NULL
        )""",
        "CREATE INDEX xp_event_lesson ON xp_event (lesson_id)",
        "CREATE TABLE active_day (day TEXT PRIMARY KEY)",
        """CREATE TABLE position (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            lesson_id TEXT NOT NULL,
            item_id TEXT,
            updated_at TEXT NOT NULL
        )""",
    ),
    2: (
        "ALTER TABLE item_state ADD COLUMN failed_checks INTEGER NOT NULL DEFAULT 0",
        # Best estimate for old rows: every attempt but the passing one failed.
        "UPDATE item_state SET failed_checks = MAX(attempts - (status = 'passed'), 0)",
        "CREATE TABLE achievement (id TEXT PRIMARY KEY, unlocked_at TEXT NOT NULL)",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)

_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class ProgressError(Exception):
    """Progress could not be read or saved; the message says why and what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def default_data_dir() -> Path:
    """``TUTOR_DATA_DIR`` if set, else the platform's user data folder for tutor."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("tutor"))


def default_db_path() -> Path:
    return default_data_dir() / DB_NAME


class ProgressStore:
    """The learner's progress. ``path`` is the database file (default: ``default_db_path()``).

    Safe to share between threads (one lock) and between processes (SQLite locking).
    ``warning`` is a sentence for the learner when the old file had to be set aside, else None.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = 10.0):
        self.path = Path(path) if path is not None else default_db_path()
        self.timeout = timeout
        self.warning: str | None = None
        self.backup_path: Path | None = None
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressError(
                f"tutor cannot create the folder for its progress file, {self.path.parent} "
                f"({exc.strerror or exc}). Make it writable, or set {ENV_VAR} to a folder "
                "you can write to.",
                self.path,
            ) from exc
        if self.path.exists() and not self.path.is_file():
            raise ProgressError(
                f"tutor's progress file {self.path} is not a file (a folder?), so it cannot be "
                f"opened. Move it away, or set {ENV_VAR} to another folder.",
                self.path,
            )
        self._conn = self._open()

    # --- opening, checking, migrating ------------------------------------------------------

    def _connect(self, read_only: bool = False) -> sqlite3.Connection:
        target = f"{self.path.resolve().as_uri()}?mode=ro" if read_only else str(self.path)
        try:
            conn = sqlite3.connect(
                target,
                timeout=self.timeout,
                isolation_level=None,
                check_same_thread=False,
                uri=read_only,
            )
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return conn

    def _open(self) -> sqlite3.Connection:
        problem = self._inspect()
        if problem is not None:
            backup = self._move_aside()
            self.backup_path = backup
            if problem == "newer":
                self.warning = (
                    "Your progress file was written by a newer version of tutor, so this "
                    f"version started a fresh one; the old file is kept at {backup}."
                )
            else:
                self.warning = (
                    "Your progress file was damaged, so tutor started a fresh one; "
                    f"the old file is kept at {backup}."
                )
        conn = self._connect()
        try:
            self._configure(conn)
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _inspect(self) -> str | None:
        """``"damaged"``, ``"newer"``, or None when the file is fine or absent.

        Looks read-only first: closing a read-write connection to a damaged file makes SQLite
        delete its ``-wal`` file, which may hold the last transactions."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        try:
            return self._inspect_with(read_only=True)
        except ProgressError as exc:
            name = getattr(exc.__cause__, "sqlite_errorname", "")
            if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise
        return self._inspect_with(read_only=False)  # e.g. the WAL needs a recovery it can't do

    def _inspect_with(self, read_only: bool) -> str | None:
        conn = self._connect(read_only)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                return "damaged"
            raise self._error(exc) from exc
        finally:
            conn.close()
        if check != [("ok",)]:
            return "damaged"
        if version > SCHEMA_VERSION:
            return "newer"
        return None

    def _move_aside(self) -> Path:
        """Rename the file (and its WAL files) to ``<name>.broken-<time>``; return the new path."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
            n += 1
        try:
            # The WAL first: a stale WAL next to a fresh database could be replayed into it.
            for suffix in ("-wal", "-shm"):
                side = Path(f"{self.path}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{backup}{suffix}"))
            os.replace(self.path, backup)
        except FileNotFoundError:
            pass  # another tutor process moved it first
        except OSError as exc:
            raise ProgressError(
                f"Your progress file {self.path} is damaged or from a newer tutor, and tutor "
                f"cannot move it aside ({exc.strerror or exc}). Move or rename it yourself, "
                f"or set {ENV_VAR} to another folder.",
                self.path,
            ) from exc
        return backup

    def _configure(self, conn: sqlite3.Connection) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL").fetchone()
                break
            except sqlite3.OperationalError as exc:
                name = exc.sqlite_errorname
                if name.startswith("SQLITE_READONLY"):
                    break  # reading still works; writes will raise ProgressError
                busy = name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
                if busy and time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                raise self._error(exc) from exc
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return  # the usual case: no write lock needed (and a read-only file still opens)
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from exc
        with self._transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process?
            if version > SCHEMA_VERSION:
                raise ProgressError(
                    f"Your progress file {self.path} was just upgraded by a newer version of "
                    "tutor. Update tutor, or close the newer one and move the file aside.",
                    self.path,
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- transactions and errors -------------------------------------------------------------

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it commits, or none of it."""
        conn = conn or self._conn
        with self._lock:
            try:
                with conn:  # commits on success, rolls back on any exception
                    conn.execute("BEGIN IMMEDIATE")
                    yield conn
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.rollback()
                raise self._error(exc) from exc

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    def _error(self, exc: sqlite3.Error) -> ProgressError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        where = f"tutor could not save or read your progress in {self.path}"
        kept = "What was saved before is still there."
        if name.startswith("SQLITE_READONLY"):
            detail = (
                f"the file or its folder is read-only. Make them writable, or set {ENV_VAR} to "
                f"a folder you can write to. {kept}"
            )
        elif name.startswith("SQLITE_FULL"):
            detail = f"the disk is full. Free some space and try again. {kept}"
        elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            detail = (
                f"another tutor process kept the file busy for over {self.timeout:g} s. "
                "Close other tutor windows and try again."
            )
        elif name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
            detail = (
                f"the file cannot be opened. Check that it is a file you may write, or set "
                f"{ENV_VAR} to another folder."
            )
        elif name.startswith("SQLITE_IOERR"):
            detail = f"the disk reported an error. Check the disk and try again. {kept}"
        elif isinstance(exc, sqlite3.DatabaseError) and _is_corruption(exc):
            detail = "the file is damaged. Restart tutor: it will set the file aside."
        else:
            detail = "an unexpected database error."
        return ProgressError(f"{where}: {detail} ({exc})", self.path)

    # --- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

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


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _CORRUPT_CODES


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
