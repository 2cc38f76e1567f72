"""Snapshots of the screens at 80x24 and 120x40 (a fake engine, a fresh tmp store): the map,
a lesson's work and text, the help, a quiz and a prediction, a wrong quiz answer, the task
folded (10 editor lines at 80x24), focus in a panel, the graph and the loss plot zoomed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from tui_helpers import FakeEngine, make_app, wait_idle

from tutor.sandbox.protocol import RunResult
from tutor.tui.engine import EXTRA_LINES

SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]


class PlotEngine(FakeEngine):
    """A fake run that trained for 1000 steps and left a graph to draw."""

    def run(self, ex, code, repl=None, graph_of=None, on_loss=None) -> RunResult:
        steps = [i * 999 // 149 for i in range(150)]
        values = [round(9 * math.exp(-i / 80) + 0.001, 4) for i in steps]
        losses = repr([1000, 150, *values])
        names = repr([("w", "leaf"), ("loss", "grad_fn"), ("losses", "list")])
        leaf = {
            "name": "w",
            "shape": [1],
            "requires_grad": True,
            "is_leaf": True,
            "grad": "tensor([-0.0121])",
            "value": "tensor([2.9939], requires_grad=True)",
        }
        graph = {
            "tensor": {**leaf, "name": None, "is_leaf": False, "grad": None, "value": "0.0010"},
            "grad_fn": {
                "name": "PowBackward0",
                "children": [
                    {
                        "name": "SubBackward0",
                        "children": [{"name": "AccumulateGrad", "children": [], "leaf": leaf}],
                    }
                ],
            },
        }
        entries = [{"input": line, "value": None, "error": None} for line in EXTRA_LINES]
        entries[1]["value"], entries[2]["value"] = losses, names
        return RunResult(status="ok", output="", repl=entries if repl else [], graph=graph)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workspace is ~/workspace on screen, whoever and wherever the tests run."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TUTOR_WORKSPACE", str(tmp_path / "workspace"))


def app_for(tmp_path: Path, engine=None):
    return make_app(store_path=tmp_path / "snap" / "progress.db", engine=engine or FakeEngine())


def work(*keys: str, item: str | None = None, lesson: str = "basics"):
    """A run_before: open a lesson (or one item), go to the work, press ``keys``."""

    async def run_before(pilot) -> None:
        await wait_idle(pilot)
        if item is None:
            await pilot.press("enter")
        else:
            pilot.app.open_lesson(lesson, item)
        await wait_idle(pilot)
        if pilot.app.screen.reading:
            await pilot.press("f2")  # from the lesson text to the work
        for key in keys:
            await pilot.press(key)
            await wait_idle(pilot)
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_map(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=wait_idle)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_lesson(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=work())


def test_lesson_text_80x24(snap_compare, tmp_path: Path) -> None:
    async def open_lesson(pilot) -> None:
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=open_lesson)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_help(snap_compare, tmp_path: Path, size) -> None:
    async def open_help(pilot) -> None:
        await wait_idle(pilot)
        await pilot.press("question_mark")
        await wait_idle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=open_help)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("item", ["leaf-quiz", "leaf-predict"])
def test_quiz_and_predict(snap_compare, tmp_path: Path, item: str, size) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=work(item=item))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_quiz_wrong_answer(snap_compare, tmp_path: Path, size) -> None:
    run_before = work("1", item="leaf-quiz")
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_task_folded(snap_compare, tmp_path: Path, size) -> None:
    """f7: the task on one line, the editor (focused: a heavy border) gets the room."""
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=work("f7"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_focus_in_the_repl(snap_compare, tmp_path: Path, size) -> None:
    """After a run, f3: the REPL input has the focus (a bright bar), the names are listed,
    escape reads "Editor"."""
    run_before = work("ctrl+r", "f3", "l", item="square")
    assert snap_compare(app_for(tmp_path, PlotEngine()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_graph_zoomed(snap_compare, tmp_path: Path, size) -> None:
    """f4 then f9: the graph panel takes the whole screen; the leaf's details wrap."""
    run_before = work("ctrl+r", "f4", "f9", "end", item="square")
    assert snap_compare(app_for(tmp_path, PlotEngine()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_loss_plot_zoomed(snap_compare, tmp_path: Path, size) -> None:
    """f5 then f9: the whole run (1000 steps), log scale, steps on the x axis."""
    run_before = work("ctrl+r", "f5", "f9", item="square")
    assert snap_compare(app_for(tmp_path, PlotEngine()), terminal_size=size, run_before=run_before)
