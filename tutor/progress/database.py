"""The progress file itself: open it, check it, set a damaged one aside, migrate, and run
each read or write under one lock with errors worded for the learner.

* WAL journal, ``synchronous=FULL``: a committed write is on disk; a SIGKILL at any moment
  leaves the old or the new state.
* Every write is one ``BEGIN IMMEDIATE`` transaction: read-modify-write cycles (attempt counts,
  XP once per item) cannot interleave between processes, and a busy file is waited for
  (``timeout``) instead of failing.
* ``PRAGMA user_version`` is the schema version; ``MIGRATIONS`` (``migrations.py``) upgrades
  old files in place. A damaged file, or one from a newer tutor, is renamed to
  ``progress.db.broken-<time>`` (never deleted), a fresh one is made, and ``warning`` says so.
* A write that cannot be done (read-only folder, disk full, ...) raises ``ProgressError`` with
  what to do; the transaction is rolled back, so what was on disk stays.

What is stored, and the game's rules on it, are ``store.py``'s job.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self

from tutor import paths
from tutor.progress.migrations import MIGRATIONS, SCHEMA_VERSION

ENV_VAR = paths.DATA_ENV
DB_NAME = paths.DB_NAME

_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class ProgressError(Exception):
    """Progress could not be read or saved; the message says why and what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def default_data_dir() -> Path:
    """``TUTOR_DATA_DIR`` if set, else the platform's user data folder for tutor."""
    return paths.data_dir()


def default_db_path() -> Path:
    return paths.db_path()


class Database:
    """One SQLite progress file, healthy and migrated. ``path`` is the database file
    (default: ``default_db_path()``).

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _CORRUPT_CODES
