"""Two processes at once, SIGKILL mid-write, damaged / newer / older files, unwritable disks."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from progress_helpers import at, ex

import tutor.progress.database as database_mod
from tutor.progress import MIGRATIONS, SCHEMA_VERSION, ProgressError, ProgressStore

WORKER = Path(__file__).with_name("progress_worker.py")


def worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(path: Path) -> list[tuple]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("PRAGMA integrity_check").fetchall()
    finally:
        raw.close()


def backups(db_path: Path) -> list[Path]:
    found = db_path.parent.glob(f"{db_path.name}.broken-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


# --- several processes ------------------------------------------------------------------------


def test_two_processes_write_at_once(tmp_path):
    db = tmp_path / "progress.db"  # not there yet: both processes create and migrate it at once
    go = tmp_path / "go"
    count = 60
    procs = [worker(str(db), "race", name, str(count), str(go)) for name in ("p1", "p2")]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.ready-{n}").exists() for n in ("p1", "p2")):
        assert time.monotonic() < deadline, "workers did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert out.strip() == "done"
        assert "locked" not in err

    with ProgressStore(db) as s:
        shared = s.item_state("shared")
        assert shared.attempts == 2 * count  # no lost update
        assert shared.failed_checks == 2 * count
        expected = {f"{n}-{i}": f"{n} {i}" for n in ("p1", "p2") for i in range(count)}
        assert s.drafts() == expected
        for i in range(10):  # both passed race-i at about the same time: XP once
            state = s.item_state(f"race-{i}")
            assert (state.attempts, state.xp, state.passed) == (2, 15, True)
        assert s.totals(at(1)).xp == 10 * 15
        rows = s._conn.execute("SELECT item_id, COUNT(*) FROM xp_event GROUP BY item_id")
        assert all(n == 1 for _, n in rows)
    assert integrity(db) == [("ok",)]


def test_kill_mid_write_keeps_committed_state(tmp_path):
    db = tmp_path / "progress.db"
    rng = random.Random(20250301)
    committed: dict[str, int] = {}
    for round_ in range(4):
        name = f"r{round_}"
        proc = worker(str(db), "hammer", name)
        target = rng.randint(2, 12)
        last = -1
        assert proc.stdout is not None
        for line in proc.stdout:
            last = int(line)
            if last >= target:
                break
        assert last >= target, proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.03))  # then at an arbitrary point of a write
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        for line in proc.stdout.read().split():  # printed before the kill: committed too
            last = int(line)
        proc.stdout.close()
        proc.stderr.close()
        committed[name] = last
        assert Path(f"{db}-wal").exists()  # it died with an open WAL: recovery has work to do

        assert integrity(db) == [("ok",)]
        with ProgressStore(db) as s:
            assert s.warning is None
            drafts = s.drafts()
            states = s.all_states()
            for n, last_i in committed.items():
                for i in range(last_i + 1):
                    item_id = f"{n}-{i}"
                    assert drafts[item_id].startswith(f"{i}:")
                    assert len(drafts[item_id]) == len(f"{i}:") + 50_000
                    assert states[item_id].passed and states[item_id].xp == 15
            # whatever the kill interrupted is absent or whole, never half there
            assert all(len(text.split(":", 1)[1]) == 50_000 for text in drafts.values())
            assert s.totals(at(1)).xp == 15 * sum(1 for st in states.values() if st.passed)


# --- damaged, newer and older files -------------------------------------------------------------


def test_garbage_file_is_set_aside(db_path):
    db_path.parent.mkdir(parents=True)
    garbage = b"this is not a database\n" * 300
    db_path.write_bytes(garbage)
    Path(f"{db_path}-wal").write_bytes(b"a stale WAL of the damaged file")

    with ProgressStore(db_path) as s:
        assert s.warning is not None
        assert "damaged" in s.warning and str(s.backup_path) in s.warning
        assert backups(db_path) == [s.backup_path]
        assert s.backup_path.name.startswith("progress.db.broken-")
        assert s.backup_path.read_bytes() == garbage
        # its WAL went with it, so it cannot be replayed into the fresh file
        assert Path(f"{s.backup_path}-wal").read_bytes() == b"a stale WAL of the damaged file"
        assert s.schema_version == SCHEMA_VERSION
        s.save_draft("a", "l1", "fresh start")
    with ProgressStore(db_path) as s:
        assert s.warning is None
        assert s.draft("a") == "fresh start"
    assert len(backups(db_path)) == 1


def test_damaged_page_is_set_aside(db_path):
    with ProgressStore(db_path) as s:
        for i in range(40):
            s.save_draft(f"d{i}", "l1", f"{i}" * 3000)
    raw = sqlite3.connect(db_path)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.execute("PRAGMA journal_mode=DELETE")  # everything into the main file
    raw.close()
    data = bytearray(db_path.read_bytes())
    data[page_size:] = b"\xa5" * (len(data) - page_size)  # keep the header page, wreck the rest
    db_path.write_bytes(bytes(data))

    with ProgressStore(db_path) as s:
        assert s.warning is not None and "damaged" in s.warning
        assert s.backup_path.read_bytes() == bytes(data)
        assert s.drafts() == {}
    assert integrity(db_path) == [("ok",)]


def test_newer_schema_is_set_aside(db_path):
    with ProgressStore(db_path) as s:
        s.save_draft("a", "l1", "from the future")
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()

    with ProgressStore(db_path) as s:
        assert s.warning is not None
        assert "newer version" in s.warning and str(s.backup_path) in s.warning
        assert s.draft("a") is None
        assert s.schema_version == SCHEMA_VERSION
        backup = s.backup_path
    raw = sqlite3.connect(backup)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert raw.execute("SELECT text FROM draft").fetchall() == [("from the future",)]
    raw.close()


def test_empty_file_is_a_new_database(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.touch()  # e.g. killed right after creating it
    with ProgressStore(db_path) as s:
        assert s.warning is None
        assert s.schema_version == SCHEMA_VERSION
    assert backups(db_path) == []


# The version-1 schema as it was released; frozen here on purpose (do not edit to match).
V1_SCHEMA = """
CREATE TABLE item_state (
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
);
CREATE INDEX item_state_lesson ON item_state (lesson_id);
CREATE TABLE draft (item_id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL, text TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
CREATE INDEX draft_lesson ON draft (lesson_id);
CREATE TABLE xp_event (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
                       item_id TEXT NOT NULL, lesson_id TEXT NOT NULL, xp INTEGER NOT NULL,
                       reason TEXT NOT NULL);
CREATE INDEX xp_event_lesson ON xp_event (lesson_id);
CREATE TABLE active_day (day TEXT PRIMARY KEY);
CREATE TABLE position (id INTEGER PRIMARY KEY CHECK (id = 1), lesson_id TEXT NOT NULL,
                       item_id TEXT, updated_at TEXT NOT NULL);
INSERT INTO item_state VALUES ('a', 'l1', 'passed', 3, 1, 0, 0, '2025-03-01T12:00:00', 8,
                               '2025-03-01T12:00:00');
INSERT INTO item_state VALUES ('b', 'l1', 'attempted', 2, 0, 0, 0, NULL, 0,
                               '2025-03-01T12:00:00');
INSERT INTO draft VALUES ('b', 'l1', 'w = torch.ones(1)', '2025-03-01T12:00:00');
INSERT INTO xp_event (at, item_id, lesson_id, xp, reason)
    VALUES ('2025-03-01T12:00:00', 'a', 'l1', 8, 'pass');
INSERT INTO active_day VALUES ('2025-03-01');
INSERT INTO position VALUES (1, 'l1', 'b', '2025-03-01T12:00:00');
PRAGMA user_version = 1;
"""


def test_v1_database_is_migrated_in_place(db_path):
    assert SCHEMA_VERSION >= 2
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.executescript(V1_SCHEMA)
    raw.close()

    with ProgressStore(db_path) as s:
        assert s.warning is None
        assert s.schema_version == SCHEMA_VERSION
        a, b = s.item_state("a"), s.item_state("b")
        assert (a.status, a.attempts, a.hints_revealed, a.xp) == ("passed", 3, 1, 8)
        assert a.first_passed_at == at(1)
        assert a.failed_checks == 2  # backfilled: every attempt but the pass
        assert (b.status, b.attempts, b.failed_checks) == ("attempted", 2, 2)
        assert s.draft("b") == "w = torch.ones(1)"
        assert s.position() == ("l1", "b")
        assert s.totals(at(1)).xp == 8
        assert s.active_days() == {at(1).date()}
        # the new tables work
        result = s.record_attempt(ex("b", "l1"), True, at(2))
        assert result.xp == 10 and "first-backward" in {x.id for x in result.achievements}
        assert s.totals(at(2)).streak == 2
    assert backups(db_path) == []
    assert integrity(db_path) == [("ok",)]


def test_failed_migration_leaves_the_file_as_it_was(db_path, monkeypatch):
    with ProgressStore(db_path) as s:
        s.save_draft("a", "l1", "keep")
    broken_step = ("CREATE TABLE extra (x)", "THIS IS NOT SQL")
    monkeypatch.setattr(database_mod, "MIGRATIONS", {**MIGRATIONS, SCHEMA_VERSION + 1: broken_step})
    monkeypatch.setattr(database_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(ProgressError):
        ProgressStore(db_path)
    monkeypatch.undo()

    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "extra" not in tables  # the half-done step was rolled back
    raw.close()
    with ProgressStore(db_path) as s:
        assert s.draft("a") == "keep"
    assert backups(db_path) == []


# --- unwritable: read-only, not a file, busy, full --------------------------------------------


def _read_only_connect(self, read_only=False):
    return sqlite3.connect(
        f"file:{self.path}?mode=ro",
        uri=True,
        timeout=self.timeout,
        isolation_level=None,
        check_same_thread=False,
    )


def test_read_only_file_raises_progress_error_and_keeps_data(db_path, monkeypatch):
    """Running as root, chmod stops nothing: SQLite's own read-only mode stands in for it."""
    with ProgressStore(db_path) as s:
        s.save_draft("a", "l1", "saved")
        s.record_attempt(ex("a", "l1"), True, at(1))
    monkeypatch.setattr(ProgressStore, "_connect", _read_only_connect)

    with ProgressStore(db_path) as s:
        assert s.draft("a") == "saved"  # reading still works
        with pytest.raises(ProgressError, match="read-only") as info:
            s.save_draft("a", "l1", "would be lost?")
        assert "TUTOR_DATA_DIR" in str(info.value)
        assert info.value.path == db_path
        with pytest.raises(ProgressError, match="read-only"):
            s.record_attempt(ex("b", "l1"), True, at(2))
        with pytest.raises(ProgressError, match="read-only"):
            s.reset()
        assert s.draft("a") == "saved"
    monkeypatch.undo()

    with ProgressStore(db_path) as s:
        assert s.draft("a") == "saved"
        assert s.item_state("b").status == "not-started"
        assert s.totals(at(2)).xp == 15


NO_DAC = "-dac_override,-dac_read_search,-fowner"
READ_ONLY_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[2])
from tutor.progress import ProgressError, ProgressStore
report = {}
try:
    s = ProgressStore(sys.argv[1])
    report["read"] = s.draft("a")
    s.save_draft("a", "l1", "new")
    report["wrote"] = True
except ProgressError as exc:
    report["error"] = str(exc)
print(json.dumps(report))
"""


def _without_root_powers(tmp_path: Path) -> list[str]:
    """A command prefix under which file permissions apply (root: drop the capabilities
    that bypass them with setpriv); skip if that is not possible here."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", f"--bounding-set={NO_DAC}", f"--inh-caps={NO_DAC}"]
    probe = tmp_path / "probe"
    probe.write_text("")
    probe.chmod(0o444)
    try:
        done = subprocess.run([*prefix, "sh", "-c", f"echo x >> {probe}"], capture_output=True)
    except FileNotFoundError:
        pytest.skip("running as root and setpriv is missing: chmod cannot stop root")
    finally:
        probe.unlink()
    if done.returncode == 0:
        pytest.skip("running as root and setpriv cannot drop CAP_DAC_OVERRIDE here")
    return prefix


@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_for_real(tmp_path, what):
    """chmod for real (as root, in a child without the capabilities that ignore it)."""
    prefix = _without_root_powers(tmp_path)
    folder = tmp_path / "data"
    db = folder / "progress.db"
    with ProgressStore(db) as s:
        s.save_draft("a", "l1", "saved")
    db.chmod(0o444)
    if what == "folder":
        folder.chmod(0o555)
    try:
        root = str(Path(database_mod.__file__).resolve().parents[2])
        done = subprocess.run(
            [*prefix, sys.executable, "-c", READ_ONLY_CHILD, str(db), root],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "wrote" not in report
    assert "read-only" in report["error"] and "TUTOR_DATA_DIR" in report["error"]
    if what == "file":
        assert report["read"] == "saved"  # a writable folder: reading still works
    assert backups(db) == []  # read-only is not damage: nothing was moved aside
    with ProgressStore(db) as s:
        assert s.warning is None
        assert s.draft("a") == "saved"


def test_database_path_that_is_a_directory(tmp_path):
    path = tmp_path / "progress.db"
    path.mkdir()
    (path / "mine.txt").write_text("not tutor's")
    with pytest.raises(ProgressError, match="cannot be opened"):
        ProgressStore(path)
    assert (path / "mine.txt").read_text() == "not tutor's"  # nothing moved or wiped
    assert backups(path) == []


def test_data_dir_that_is_a_file(tmp_path, monkeypatch):
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("x")
    monkeypatch.setenv("TUTOR_DATA_DIR", str(not_a_dir))
    with pytest.raises(ProgressError, match="TUTOR_DATA_DIR"):
        ProgressStore()
    assert not_a_dir.read_text() == "x"


def test_disk_full_raises_progress_error_and_keeps_data(store, db_path):
    store.save_draft("a", "l1", "saved")
    store.record_attempt(ex("a", "l1"), True, at(1))
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full

    with pytest.raises(ProgressError, match="disk is full") as info:
        store.save_draft("a", "l1", "x" * 1_000_000)
    assert "Free some space" in str(info.value)
    with pytest.raises(ProgressError, match="disk is full"):
        store.record_attempt(ex("b" * 200_000, "l1"), True, at(2))
    # nothing half-written; the store still reads
    assert not store._conn.in_transaction
    assert store.draft("a") == "saved"
    assert store.totals(at(2)).xp == 15
    assert store.active_days() == {at(1).date()}  # the failed attempt's day was not kept

    store._conn.execute("PRAGMA max_page_count = 1000000")  # space freed: it works again
    store.save_draft("c", "l1", "after")
    store.close()
    assert integrity(db_path) == [("ok",)]
    with ProgressStore(db_path) as s:
        assert s.draft("a") == "saved" and s.draft("c") == "after"
        assert len(s.all_states()) == 1


def test_busy_for_too_long_raises_progress_error(store, db_path):
    store.save_draft("a", "l1", "saved")
    store.timeout = 0.2
    store._conn.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(ProgressError, match="busy"):
            store.save_draft("a", "l1", "new")
        assert time.monotonic() - started >= 0.15  # it waited before giving up
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.draft("a") == "saved"
    store.save_draft("a", "l1", "new")  # lock released: works again
    assert store.draft("a") == "new"
