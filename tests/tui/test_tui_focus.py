"""Focus you can predict, keyboard only, at 80x24: every path between the lesson text, the
editor, the task and the panels; escape one thing per press; zoom that fills the screen; an
editor that indents; reset to the starter; the task folded so the editor shows 10 lines.
A fake engine: nothing here runs in the sandbox."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tabs
from tui_helpers import make_app, screen_text

from tutor.tui.screens.dialogs import ConfirmScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.map import MapScreen
from tutor.tui.widgets.code_editor import CodeEditor, code_part, next_indent

SIZE = (80, 24)
STARTER = "import torch\n\nx = ...\n"


async def open_exercise(pilot) -> LessonScreen:
    """Open lesson 1 (it starts on its text at 80x24) and go to the work with f2."""
    app = pilot.app
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    assert screen.reading and app.focused.id == "prose"  # a new lesson opens at its text
    await pilot.press("f2")
    await pilot.pause()
    assert app.focused is screen.query_one(CodeEditor)
    return screen


def focused_id(app) -> str | None:
    return app.focused.id if app.focused is not None else None


async def test_every_focus_path_in_a_lesson(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        # keys that act never move the focus
        for key in ("ctrl+r", "f1", "f7", "f7"):
            await pilot.press(key)
            await pilot.pause()
            assert app.focused is editor, key
        # f6: editor <-> the open panel, and back
        await pilot.press("f6")
        assert focused_id(app) == "hints-view"  # f1 opened the hints panel
        await pilot.press("f6")
        assert app.focused is editor
        # f3 / f4 / f5 go into their panel; escape comes back to the editor
        for key, target in (("f3", "repl-input"), ("f4", "graph-expr"), ("f5", "loss-side")):
            await pilot.press(key)
            await pilot.pause()
            assert focused_id(app) == target, key
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is editor, key
        # tab moves between parts outside the editor; shift+tab back
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("shift+tab")
        assert focused_id(app) == "repl-log"
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Tabs)
        await pilot.press("tab")
        assert focused_id(app) == "repl-log"
        await pilot.press("escape")
        assert app.focused is editor
        # f2: to the lesson text and back to where the work was
        await pilot.press("f2")
        await pilot.pause()
        assert focused_id(app) == "prose" and screen.reading
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused is editor and not screen.reading
        # escape in the editor: the map, in one press
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)


async def test_escape_says_what_it_will_do(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot)

        def escape_label() -> str:
            keys = [k for k in app.screen.query("FooterKey") if k.key == "escape"]
            assert len(keys) == 1
            return keys[0].description

        assert escape_label() == "Map"
        await pilot.press("f3")
        await pilot.pause()
        assert escape_label() == "Editor"
        await pilot.press("f9")
        await pilot.pause()
        assert escape_label() == "Unzoom"


async def test_tab_indents_and_shift_tab_dedents_in_the_editor(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        editor.text = ""
        await pilot.press("tab", *"x = 1")
        assert editor.text == "    x = 1" and app.focused is editor
        await pilot.press("shift+tab")
        assert editor.text == "x = 1" and app.focused is editor
        editor.text = "a = 1\nb = 2\n"
        editor.select_all()
        await pilot.press("tab")  # several lines selected: each is indented
        assert editor.text == "    a = 1\n    b = 2\n"
        await pilot.press("shift+tab")
        assert editor.text == "a = 1\nb = 2\n"


async def test_enter_indents_like_a_python_editor(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        editor.text = ""
        for line in ("for step in range(3):", "loss = step", "if loss:  # a comment", "pass"):
            await pilot.press(*line, "enter")
        await pilot.press(*"done = True")
        assert editor.text == (
            "for step in range(3):\n"
            "    loss = step\n"
            "    if loss:  # a comment\n"
            "        pass\n"
            "    done = True"
        )
        await pilot.press("enter", "backspace", *"print(done)")
        assert editor.text.endswith("    done = True\nprint(done)")  # backspace: one level
        await pilot.press("ctrl+z")
        assert "print(done)" not in editor.text  # every edit can be undone


def test_indent_rules() -> None:
    assert next_indent("for x in y:") == "    "
    assert next_indent("    return x") == ""
    assert next_indent("        raise ValueError('a:')") == "    "
    assert next_indent("    s = 'not a block:'") == "    "
    assert next_indent("    if a:  # b:") == "        "
    assert code_part("x = '#' # c") == "x = '#'"


async def test_reset_to_the_starter_asks_first_and_can_be_undone(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        assert editor.text == STARTER
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)  # the starter already: nothing to ask
        await pilot.press(*"# mine", "enter")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep mine
        await pilot.pause()
        assert editor.text.startswith("# mine")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert editor.text == STARTER and app.focused is editor
        assert app.workspace.path(screen.item).read_text() == STARTER  # the file too
        await pilot.press("ctrl+z")
        assert editor.text.startswith("# mine")


async def test_zoom_fills_the_screen_and_keeps_the_focus(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        await pilot.press("f9")  # the editor, zoomed
        await pilot.pause()
        footer = screen.query_one("KeysFooter").region.height
        assert footer == 2
        assert screen.maximized is editor and app.focused is editor
        assert editor.region.height == SIZE[1] - footer
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None and app.focused is editor
        await pilot.press("f4", "f9")  # the graph panel, zoomed: the whole screen
        await pilot.pause()
        panels = screen.query_one("#panels")
        assert screen.maximized is panels and focused_id(app) == "graph-expr"
        assert panels.region.height == SIZE[1] - footer
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None and focused_id(app) == "graph-expr"
        await pilot.press(*"w")  # typing after the zoom goes where the focus is shown
        assert screen.query_one("#graph-expr").value.endswith("w")
        await pilot.press("escape")
        assert app.focused is editor


async def test_a_check_from_the_zoomed_editor_shows_its_verdict(tmp_path: Path) -> None:
    """ctrl+s (or a save in another editor) while the editor is zoomed: the verdict goes to
    the checks panel, which the zoom hides. The zoom gives way so the verdict is seen; the
    focus stays in the editor."""
    from tui_helpers import wait_idle

    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        await pilot.press("f9")
        await pilot.pause()
        assert screen.maximized is editor
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        await pilot.pause()
        assert screen.maximized is None and app.focused is editor
        checks = screen.query_one("#checks-view")
        assert checks.region.height > 0 and "NOT YET" in screen_text(app)
        await pilot.press("f4", "f9")  # a zoomed panel is not the editor: it stays zoomed
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert screen.maximized is screen.query_one("#panels")


async def test_a_folded_task_leaves_ten_editor_lines_at_80x24(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        editor = screen.query_one(CodeEditor)
        await pilot.press("f7")
        await pilot.pause()
        assert screen.query_one("#task").region.height == 1
        assert editor.content_region.height >= 10
        assert "▸ Task: the gradient of x squared" in screen_text(app)
        await pilot.press("ctrl+n", "ctrl+b")  # the choice is kept from item to item
        await pilot.pause()
        assert screen.query_one("#task").region.height == 1
        await pilot.press("f7")
        await pilot.pause()
        assert screen.query_one("#task").region.height > 1


async def test_quiz_and_prediction_focus(tmp_path: Path) -> None:
    app = make_app(store_path=tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("basics", "leaf-quiz")
        await pilot.pause()
        await pilot.pause()
        assert focused_id(app) == "choices"
        await pilot.press("down", "ctrl+n")
        await pilot.pause()
        assert focused_id(app) == "prediction"
        await pilot.press(*"True False")
        assert app.screen.query_one("#prediction").text == "True False"
        await pilot.press("escape")  # from a prediction box: the map
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
