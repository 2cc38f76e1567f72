"""Pilot tests of each flow, on the real grader and sandbox (one warm pool per session)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual.widgets import OptionList, TextArea, Tree
from tui_helpers import LESSONS, open_store, panel_text, screen_text, wait_idle

from tutor.lesson.load import load_course
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.map import MapScreen
from tutor.tui.widgets.loss import LossView

RIGHT = "import torch\n\nx = torch.tensor(3., requires_grad=True)\ny = x ** 2\ny.backward()\n"
WRONG = "import torch\n\nx = torch.tensor(3., requires_grad=True)\ny = x ** 3\ny.backward()\n"


def checks_text(app) -> str:
    return panel_text(app, "checks")


def editor(app) -> TextArea:
    return app.screen.query_one("#editor", TextArea)


async def open_first_lesson(pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LessonScreen)
    await wait_idle(pilot)


async def test_map_paints_with_lessons_and_their_states(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        text = screen_text(app)
        assert "Gradients of a square" in text and "open" in text
        assert "A tiny training loop" in text and "locked" in text
        assert "Level 1" in text and "press c to continue" in text
        await open_first_lesson(pilot)


NO_TORCH_SCRIPT = """
import asyncio, sys
from pathlib import Path
from tutor.tui.app import TutorApp
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.map import MapScreen

async def main():
    app = TutorApp([Path(sys.argv[1])], store_path=Path(sys.argv[2]), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        painted = "torch" in sys.modules
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        print("torch at paint:", painted, "torch in lesson:", "torch" in sys.modules)

asyncio.run(main())
"""


def test_the_ui_process_never_imports_torch(tmp_path: Path) -> None:
    """In a fresh interpreter (pytest's own process may hold torch from other tests)."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", NO_TORCH_SCRIPT, str(LESSONS), str(tmp_path / "p.db")],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "torch at paint: False torch in lesson: False" in out.stdout


async def test_wrong_then_right_answer(make_app, store_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = WRONG
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        text = checks_text(app)
        assert "NOT YET" in text
        assert (
            "✘ x.grad" in text and "expected tensor(6.)" in text and "got      tensor(27.)" in text
        )
        assert "✔ x.is_leaf" in text
        editor(app).text = RIGHT
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        text = checks_text(app)
        assert "PASSED" in text and "+10 XP" in text  # no first-try bonus on the second try
    with open_store(store_path) as store:
        state = store.item_state("square")
        assert state.passed and state.attempts == 2 and state.xp == 10


async def test_error_line_is_mapped_to_the_editor(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = "import torch\nx = 1\ny = x / 0\n"
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        text = checks_text(app)
        assert "ERROR" in text and "ZeroDivisionError" in text
        assert "line 3: y = x / 0" in text
        assert editor(app).cursor_location == (2, 0)


async def test_typing_with_the_keyboard_and_running(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        await pilot.press("f2")  # a new lesson opens on its text: f2 goes to the work
        editor(app).text = ""
        for line in ("import torch", "print(torch.ones(2) * 3)"):
            await pilot.press(*line)
            await pilot.press("enter")
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        assert "tensor([3., 3.])" in panel_text(app, "output")


async def test_hint_costs_are_said_and_recorded(make_app, store_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        assert "f1 hint -2 XP" in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert "Hint 1: x needs requires_grad=True." in panel_text(app, "hints")
        await pilot.press("f1", "f1")
        await pilot.pause()
        assert "Hint 2" in panel_text(app, "hints")
        editor(app).text = RIGHT
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "-4 for hints" in checks_text(app)
    with open_store(store_path) as store:
        assert store.item_state("square").hints_revealed == 2
        assert store.item_state("square").xp == 6


async def test_repl_sees_the_last_run(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = RIGHT
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        await pilot.press("f3")
        await pilot.pause()
        for line in ("x.grad", "z = x * 10", "z.is_leaf", "y.grad_fn"):
            await pilot.press(*line, "enter")
            await wait_idle(pilot)
        log = "\n".join(str(s.text) for s in app.screen.query_one("#repl-log").lines)
        assert ">>> x.grad" in log and "tensor(6.)" in log
        assert ">>> z.is_leaf" in log and "False" in log  # the earlier line was replayed
        assert "PowBackward0" in log
        await pilot.press("up", "up")
        assert app.screen.query_one("#repl-input").value == "z.is_leaf"


async def test_graph_of_the_last_run(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = RIGHT
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        await pilot.press("f4")
        tree = app.screen.query_one("#graph-tree", Tree)
        labels = []

        def walk(node) -> None:
            labels.append(str(node.label))
            for child in node.children:
                walk(child)

        walk(tree.root)
        joined = "\n".join(labels)
        assert "PowBackward0" in joined and "x  scalar leaf" in joined
        assert app.focused is tree  # f4 goes into the graph
        await pilot.press("down", "down")  # to the leaf: its details, wrapped beside the tree
        await pilot.pause()
        details = str(app.screen.query_one("#graph-details").render())
        assert "requires_grad=True" in details and "grad=tensor(6.)" in details


async def test_graph_names_a_leaf_used_twice(make_app) -> None:
    """x reaches y along two paths: its node is drawn in full once, and where the walk meets
    it again it is still x (not a bare "AccumulateGrad" described as an operation)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_lesson(pilot)
        await pilot.press("f2")  # from the lesson text to the work (80 columns: one or the other)
        await pilot.pause()
        editor(app).text = (
            "import torch\n\nx = torch.tensor(3., requires_grad=True)\n"
            "y = (x + 1) * (x * 2)\ny.backward()\n"
        )
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        await pilot.press("f4")
        await pilot.pause()
        tree = app.screen.query_one("#graph-tree", Tree)
        nodes = []

        def walk(node) -> None:
            nodes.append(node)
            for child in node.children:
                walk(child)

        walk(tree.root)
        labels = [str(node.label) for node in nodes]
        assert sum(label.startswith("x  scalar leaf") for label in labels) == 2, labels
        assert "x  scalar leaf  (drawn above)" in labels
        assert not any(label.startswith("AccumulateGrad") for label in labels), labels
        shared = nodes[labels.index("x  scalar leaf  (drawn above)")]
        tree.move_cursor(shared)
        await pilot.pause()
        details = str(app.screen.query_one("#graph-details").render())
        assert details.startswith("x (AccumulateGrad") and "grad=tensor(14.)" in details  # 4x + 2
        assert "the operation that made this tensor" not in details
        assert "used more than once" in details


def finish_basics(store_path: Path) -> None:
    """Pass every item of lesson 1, so lesson 2 (the training one) is open."""
    with open_store(store_path) as store:
        for item in load_course([LESSONS]).lesson("basics").items:
            store.record_attempt(item, True)


async def test_loss_plot_for_a_training_exercise(make_app, store_path: Path) -> None:
    finish_basics(store_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("training")
        await pilot.pause()
        await wait_idle(pilot)
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        view = app.screen.query_one(LossView)
        assert view.query_one("#loss-plot").display and view.total == 20
        assert len(view.values) == 20 and view.values[0] == 9.0 and view.steps[-1] == 19
        assert "loss over 20 steps" in str(view.query_one("#loss-note").render())
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        targets = str(app.screen.query_one("#loss-targets").render())
        assert "yours" in targets and "target" in targets


async def test_loss_plot_fills_while_the_code_is_still_training(make_app, store_path: Path) -> None:
    finish_basics(store_path)
    slow = (
        "import time\nlosses = []\nfor step in range(20):\n    loss = (w - 3) ** 2\n"
        "    losses.append(loss.item())\n    loss.backward()\n    with torch.no_grad():\n"
        "        w -= 0.1 * w.grad\n        w.grad.zero_()\n    time.sleep(0.15)\n"
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("training")
        await pilot.pause()
        await wait_idle(pilot)
        editor(app).text = slow
        await pilot.press("ctrl+r")
        view = app.screen.query_one(LossView)
        seen_while_running = 0
        for _ in range(100):  # up to 10 s
            await asyncio.sleep(0.1)
            running = any(w.group == "sandbox" and not w.is_finished for w in app.workers)
            if running and view.live and view.values:
                seen_while_running = len(view.values)
                note = str(view.query_one("#loss-note").render())
                break
        assert 0 < seen_while_running < 20  # part of the curve, before the run ended
        assert "training..." in note and "steps so far" in note
        await wait_idle(pilot)
        assert len(view.values) == 20 and view.values[0] == 9.0 and not view.live


async def test_reveal_solution_after_three_fails(make_app, store_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        await pilot.press("f8")  # too early: only a notice
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        editor(app).text = WRONG
        for _ in range(3):
            await pilot.press("ctrl+s")
            await wait_idle(pilot)
        assert "f8 reveals the solution" in checks_text(app)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert "requires_grad=True" in editor(app).text
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "No XP: the solution was revealed first" in checks_text(app)
    with open_store(store_path) as store:
        state = store.item_state("square")
        assert state.passed and state.solution_revealed and state.xp == 0


async def test_quiz_and_prediction(make_app, store_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "1. y: not this one." in text and "1 more try before the answer is shown" in text
        await pilot.press("2")
        await pilot.pause()
        assert "x is created by you" in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"True False")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        text = screen_text(app)
        assert "The code really prints" in text and "PASSED" in text
    with open_store(store_path) as store:
        assert store.item_state("leaf-quiz").attempts == 2
        assert store.item_state("leaf-predict").passed


async def test_quit_and_come_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = WRONG
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        editor(app).text = "# my unfinished work\n" + WRONG
        await pilot.pause()
        await pilot.press("ctrl+q")  # quit at once: the draft must still be saved
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(again)
        assert "in progress" in text and "continue: 1. Gradients of a square" in text
        await pilot.press("c")
        await pilot.pause()
        await wait_idle(pilot)
        assert editor(again).text.startswith("# my unfinished work")
        assert "1 try" in screen_text(again)


def lessons_with_timeout(tmp_path: Path, seconds: int) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    text = (LESSONS / "01-basics.md").read_text().replace("timeout = 5", f"timeout = {seconds}")
    (folder / "01-basics.md").write_text(text)
    return folder


async def test_timeout_says_so(make_app, tmp_path: Path) -> None:
    app = make_app([lessons_with_timeout(tmp_path, 1)])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = "while True:\n    pass\n"
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        assert "TIMED OUT" in panel_text(app, "output")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "TIMED OUT" in checks_text(app) and "loop that never ends" in checks_text(app)


async def test_escape_cancels_a_run(make_app, tmp_path: Path) -> None:
    app = make_app([lessons_with_timeout(tmp_path, 20)])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = "while True:\n    pass\n"
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)
        assert app.screen.query_one("#run-status").display
        await pilot.press("escape")
        await wait_idle(pilot, timeout=8)
        assert "Cancelled" in panel_text(app, "output")
        assert isinstance(app.screen, LessonScreen)  # escape cancelled, it did not leave
        editor(app).text = RIGHT
        await pilot.press("ctrl+s")  # the sandbox comes back for the next run
        await wait_idle(pilot)
        assert "PASSED" in checks_text(app)


async def test_broken_lesson_shows_its_error(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-basics.md").write_text((LESSONS / "01-basics.md").read_text())
    (folder / "02-broken.md").write_text(
        '---\nid: broken\ntitle: Broken\n---\n\n```toml exercise\nid = "b"\npoints = "ten"\n```\n'
    )
    app = make_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "02-broken.md" in text and "points" in text
        app.screen.query_one(OptionList).highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert "cannot be played" in screen_text(app)


async def test_help_and_palette(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"gradients of")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await wait_idle(pilot)
        assert isinstance(app.screen, LessonScreen)


async def test_narrow_terminal_switches_lesson_and_work(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_lesson(pilot)
        screen = app.screen
        assert screen.has_class("-narrow") and screen.has_class("-reading")
        assert screen.query_one("#prose").display and "Gradients of a square" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert not screen.has_class("-reading")
        assert app.focused is editor(app)


async def test_course_complete_screen(make_app, store_path: Path) -> None:
    course = load_course([LESSONS])
    with open_store(store_path) as store:
        for item in course.items():
            if item.id != "leaf-quiz":
                store.record_attempt(item, True, course=course)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("basics", "leaf-quiz")
        await pilot.pause()
        await wait_idle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert "COURSE COMPLETE" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        assert "Course complete" in screen_text(app)


async def test_palette_lists_screen_actions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        editor(app).text = RIGHT
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"check")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert "PASSED" in checks_text(app)


async def test_achievements_from_the_map(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert "First exercise" in screen_text(app)


async def test_escape_and_zoom(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_lesson(pilot)
        await pilot.press("f2", "f3")  # to the work, then the REPL input
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "repl-input"
        await pilot.press("escape")  # leaves the REPL for the editor, not the lesson
        await pilot.pause()
        assert app.focused is editor(app)
        await pilot.press("f9")
        await pilot.pause()
        assert app.screen.maximized is not None
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None and isinstance(app.screen, LessonScreen)


async def test_a_lesson_opens_at_its_first_unfinished_item(make_app, store_path: Path) -> None:
    course = load_course([LESSONS])
    with open_store(store_path) as store:
        store.record_attempt(course.item("square"), True)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("basics")
        await pilot.pause()
        await wait_idle(pilot)
        assert "Quiz 2/3" in screen_text(app)


async def test_a_failed_save_is_said_not_raised(make_app, monkeypatch) -> None:
    from tutor.progress import ProgressError

    app = make_app()

    def broken(*args, **kwargs):
        raise ProgressError("tutor could not save your progress: the disk is full.")

    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_lesson(pilot)
        monkeypatch.setattr(app.store, "record_attempt", broken)
        monkeypatch.setattr(app.store, "save_draft", broken)
        editor(app).text = RIGHT
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "PASSED" in checks_text(app)  # the verdict still shows
        assert any("disk is full" in str(n.message) for n in app._notifications)
