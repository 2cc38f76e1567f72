"""Snapshots of the main screens at 80x24 and 120x40 (a fake engine, a fresh tmp store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import LESSONS, FakeEngine, fixed_clock

from tutor.tui.app import TutorApp

SIZES = [(80, 24), (120, 40)]


def make(tmp_path: Path) -> TutorApp:
    return TutorApp(
        [LESSONS],
        store_path=tmp_path / "snap" / "progress.db",
        engine=FakeEngine(),
        clock=fixed_clock,
        cursor_blink=False,
    )


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_map(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make(tmp_path), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_lesson(snap_compare, tmp_path: Path, size) -> None:
    async def open_lesson(pilot) -> None:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        if pilot.app.screen.has_class("-narrow"):
            await pilot.press("f2")  # from the lesson text to the work
        await _settle(pilot)

    assert snap_compare(make(tmp_path), terminal_size=size, run_before=open_lesson)


def test_lesson_text_80x24(snap_compare, tmp_path: Path) -> None:
    async def open_lesson(pilot) -> None:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(make(tmp_path), terminal_size=(80, 24), run_before=open_lesson)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help(snap_compare, tmp_path: Path, size) -> None:
    async def open_help(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(make(tmp_path), terminal_size=size, run_before=open_help)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("item", ["leaf-quiz", "leaf-predict"])
def test_quiz_and_predict(snap_compare, tmp_path: Path, item: str, size) -> None:
    async def open_item(pilot) -> None:
        await _settle(pilot)
        pilot.app.open_lesson("basics", item)
        await _settle(pilot)
        if pilot.app.screen.reading:
            await pilot.press("f2")  # from the lesson text to the work
        await _settle(pilot)

    assert snap_compare(make(tmp_path), terminal_size=size, run_before=open_item)
