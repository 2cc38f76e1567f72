"""Helpers for the TUI tests: the one app factory, the test lessons, a fixed clock, waiting
for runs, reading panels, a fake engine."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path

from rich.console import Console

from tutor.progress import ProgressStore
from tutor.sandbox.protocol import RunResult
from tutor.tui.widgets.run_status import RunStatus

LESSONS = Path(__file__).parent / "lessons"
FIXED_NOW = datetime(2025, 3, 10, 12, 0, 0).astimezone()


def fixed_clock() -> datetime:
    return FIXED_NOW


def make_app(folders: list[Path] | None = None, *, store_path: Path, **kwargs):
    """The app as every TUI test builds it: the test lessons, a tmp store, a fixed clock, no
    cursor blink, no workspace watcher (``watch=True`` turns it on), a fake engine unless one
    is given. The workspace is ``$TUTOR_WORKSPACE`` (a tmp folder: tests/conftest.py)."""
    from tutor.tui.app import TutorApp

    kwargs.setdefault("engine", FakeEngine())
    kwargs.setdefault("clock", fixed_clock)
    kwargs.setdefault("cursor_blink", False)
    kwargs.setdefault("watch", False)
    return TutorApp(folders or [LESSONS], store_path=store_path, **kwargs)


def panel_text(app, panel: str) -> str:
    """What an exercise panel (checks, output, hints) shows, as plain text."""
    from tutor.tui.widgets.exercise import ExercisePane

    return app.screen.query_one(ExercisePane).query_one(f"#{panel}-view").plain()


def plain(renderable, width: int = 200) -> str:
    """A Rich renderable (a verdict) as plain text."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def screen_text(app) -> str:
    """The current screen as plain text (what a learner would read)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


async def wait_idle(pilot, timeout: float = 30.0) -> None:
    """Wait until no sandbox run is in flight and the UI has caught up."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    await pilot.pause()
    while loop.time() < deadline:
        statuses = app.screen.query(RunStatus)
        busy = any(s.busy for s in statuses)
        workers = [w for w in app.workers if w.group == "sandbox" and not w.is_finished]
        if not busy and not workers:
            await pilot.pause()
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the sandbox run did not finish in time")


def open_store(path: Path) -> ProgressStore:
    return ProgressStore(path)


class FakeEngine:
    """A sandbox stand-in for pure-UI snapshot tests: always ready, never runs anything."""

    ready = True

    def start(self) -> None:
        pass

    def run(self, ex, code, repl=None, graph_of=None, on_loss=None) -> RunResult:
        return RunResult(status="ok", output="")

    def check(self, ex, code, graph_of=None, on_loss=None):
        from tutor.grading.results import ItemResult

        return ItemResult(ex.id, ex.lesson_id, "exercise", "fail", 0, ex.points)

    def predict(self, pred, text):
        from tutor.grading.results import ItemResult

        return ItemResult(pred.id, pred.lesson_id, "predict", "fail", 0, pred.points)

    def cancel(self) -> None:
        pass

    def close(self) -> None:
        pass
