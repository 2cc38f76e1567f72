"""Store round trips, reset, position, export rows, default location, threads."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from progress_helpers import at, ex, lesson, predict, quiz

import tutor.progress.store as store_mod
from tutor import paths
from tutor.progress import (
    DB_NAME,
    SCHEMA_VERSION,
    ItemState,
    Position,
    ProgressStore,
    default_db_path,
)


def test_fresh_store_is_set_up(store, db_path):
    assert db_path.exists()
    assert store.warning is None
    assert store.schema_version == SCHEMA_VERSION
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_empty_state(store):
    assert store.item_state("nope") == ItemState("nope")
    assert store.draft("nope") is None
    assert store.position() is None
    totals = store.totals(at(1))
    assert (totals.xp, totals.streak, totals.items_passed, totals.level.name) == (0, 0, 0, "Leaf")
    assert store.export_rows() == []


def test_drafts_round_trip_and_survive_reopen(db_path):
    with ProgressStore(db_path) as s:
        s.save_draft("a", "l1", "w = 1\n")
        s.save_draft("a", "l1", "w = 2\n")  # latest wins
        s.save_draft("q", "l1", "2")
        s.save_draft("u", "l1", "ünïcode ✓\n\ttabs\n")
        assert s.draft("a") == "w = 2\n"
    with ProgressStore(db_path) as s:
        assert s.draft("a") == "w = 2\n"
        assert s.draft("q") == "2"
        assert s.draft("u") == "ünïcode ✓\n\ttabs\n"
        assert s.drafts() == {"a": "w = 2\n", "q": "2", "u": "ünïcode ✓\n\ttabs\n"}


def test_item_state_round_trip(db_path):
    item = ex("a", "l1", points=10, hints=("h1", "h2"))
    with ProgressStore(db_path) as s:
        s.record_attempt(item, False, at(1))
        s.reveal_hint(item)
        s.record_attempt(item, True, at(2, hour=9))
    with ProgressStore(db_path) as s:
        state = s.item_state("a")
    assert state == ItemState(
        item_id="a",
        lesson_id="l1",
        status="passed",
        attempts=2,
        failed_checks=1,
        hints_revealed=1,
        solution_revealed=False,
        first_try=False,
        first_passed_at=at(2, hour=9),
        xp=8,
    )


def test_position(db_path):
    with ProgressStore(db_path) as s:
        s.set_position("l1", "a")
        s.set_position("l2")
        assert s.position() == Position("l2", None)
        s.set_position("l2", "b")
    with ProgressStore(db_path) as s:
        assert s.position() == ("l2", "b")


def test_lesson_progress(store):
    l1 = lesson("l1", [ex("a", "l1", 10), quiz("b", "l1", 5), predict("c", "l1", 5)])
    store.record_attempt(l1.items[0], True, at(1))
    store.record_attempt(l1.items[1], False, at(1))
    store.reveal_hint(ex("c", "l1", hints=("h",)))
    progress = store.lesson_progress(l1)
    assert (progress.items_total, progress.items_passed, progress.items_attempted) == (3, 1, 1)
    assert (progress.xp, progress.max_points, progress.hints_revealed) == (15, 20, 1)
    assert progress.fraction == pytest.approx(1 / 3)


def _fill_two_lessons(s: ProgressStore):
    l1 = lesson("l1", [ex("a", "l1"), quiz("b", "l1")])
    l2 = lesson("l2", [ex("c", "l2")])
    for item in (*l1.items, *l2.items):
        s.save_draft(item.id, item.lesson_id, f"draft {item.id}")
        s.record_attempt(item, True, at(1), course=[l1, l2])
    return l1, l2


def test_reset_one_lesson(store):
    l1, _ = _fill_two_lessons(store)
    store.set_position("l1", "b")
    xp_l2 = store.item_state("c").xp
    achievements = store.unlocked_achievements()
    store.reset("l1")
    assert store.item_state("a") == ItemState("a")
    assert store.draft("a") is None and store.draft("b") is None
    assert store.draft("c") == "draft c" and store.item_state("c").passed
    assert store.totals(at(1)).xp == xp_l2
    assert store.position() is None  # it pointed into the reset lesson
    assert store.unlocked_achievements() == achievements  # earned is earned
    assert store.active_days() == {at(1).date()}
    # the lesson can be earned again
    assert store.record_attempt(l1.items[0], True, at(2)).xp == 15


def test_reset_one_lesson_keeps_position_elsewhere(store):
    _fill_two_lessons(store)
    store.set_position("l2", "c")
    store.reset("l1")
    assert store.position() == ("l2", "c")


def test_reset_all(store):
    _fill_two_lessons(store)
    store.set_position("l2", "c")
    store.reset()
    assert store.all_states() == {}
    assert store.drafts() == {}
    assert store.position() is None
    assert store.unlocked_achievements() == {}
    totals = store.totals(at(1))
    assert (totals.xp, totals.days_active, totals.achievements) == (0, 0, 0)


def test_export_rows(store):
    store.record_attempt(ex("a", "l1"), True, at(1))
    store.save_draft("a", "l1", "code")
    store.save_draft("z", "l0", "only a draft")
    store.record_attempt(quiz("b", "l1"), False, at(1))
    rows = store.export_rows()
    assert [(r["lesson_id"], r["item_id"]) for r in rows] == [("l0", "z"), ("l1", "a"), ("l1", "b")]
    by_id = {r["item_id"]: r for r in rows}
    assert by_id["a"]["status"] == "passed" and by_id["a"]["xp"] == 15
    assert by_id["a"]["draft"] == "code"
    assert by_id["a"]["first_passed_at"] == at(1).isoformat()
    assert by_id["z"]["status"] == "not-started" and by_id["z"]["draft"] == "only a draft"
    assert by_id["b"]["draft"] is None and by_id["b"]["failed_checks"] == 1
    import json

    json.dumps(rows)  # JSON-able


def test_default_path_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "mine"))
    assert default_db_path() == tmp_path / "mine" / DB_NAME
    with ProgressStore() as s:
        assert s.path == tmp_path / "mine" / DB_NAME
    assert (tmp_path / "mine" / DB_NAME).exists()


def test_default_path_uses_platformdirs(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_DATA_DIR", raising=False)
    seen = []

    def fake_user_data_dir(appname):
        seen.append(appname)
        return str(tmp_path / "platform")

    monkeypatch.setattr(paths.platformdirs, "user_data_dir", fake_user_data_dir)
    assert default_db_path() == tmp_path / "platform" / DB_NAME
    assert seen == ["tutor"]


def test_record_attempt_is_atomic(store, monkeypatch):
    """A failure after the item row was written leaves no trace of the attempt."""
    item = ex("a", "l1")
    store.record_attempt(item, False, at(1))

    def boom(*args, **kwargs):
        raise RuntimeError("crash while judging achievements")

    monkeypatch.setattr(store_mod.rules, "new_achievements", boom)
    with pytest.raises(RuntimeError):
        store.record_attempt(item, True, at(2))
    state = store.item_state("a")
    assert (state.status, state.attempts, state.xp) == ("attempted", 1, 0)
    assert store.totals(at(2)).xp == 0
    assert store.active_days() == {at(1).date()}
    assert not store._conn.in_transaction


def test_threads_share_one_store(store):
    item = ex("shared", "l1")
    errors = []

    def work():
        try:
            for _ in range(50):
                store.record_attempt(item, False, at(1))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.item_state("shared").attempts == 200


def test_aware_datetimes_are_kept(store):
    from datetime import datetime, timedelta, timezone

    tz = timezone(timedelta(hours=-8))
    moment = datetime(2025, 3, 1, 23, 30, tzinfo=tz)  # already March 2nd in UTC
    store.record_attempt(ex("a", "l1"), True, moment)
    assert store.item_state("a").first_passed_at == moment
    assert store.active_days() == {moment.date()}  # the learner's own calendar day
