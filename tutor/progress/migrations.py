"""The progress database's schema, as the steps that build and upgrade it.

``PRAGMA user_version`` is the schema version. Each step is keyed by the version it produces
and runs in one transaction with the version bump (``database.py``), so a file is never left
half-migrated. Append new steps; never edit old ones.
"""

from __future__ import annotations

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
