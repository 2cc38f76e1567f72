"""The learner's own editor: each item is a real file in the workspace, kept the same as the
built-in editor both ways; a file saved by another process while the app watches is checked
and the verdict shown; ctrl+e opens the learner's editor (a fake one here: a script that
edits the file); a deleted file is written again; quiz and prediction answers are files too;
``tutor grade`` and ``tutor export`` see exactly what the learner has. On the real sandbox."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from tui_helpers import LESSONS, open_store, panel_text, screen_text, wait_idle

from tutor.lesson.load import load_course
from tutor.tui.widgets.code_editor import CodeEditor

RIGHT = "import torch\n\nx = torch.tensor(3., requires_grad=True)\ny = x ** 2\ny.backward()\n"
WRONG = RIGHT.replace("x ** 2", "x ** 3")
FAKE_EDITOR = """\
import sys, time
path = sys.argv[1]
with open(path, "a", encoding="utf-8") as fh:  # a real editor saves what it was given, edited
    fh.write("# edited in my editor\\n")
text = open(path, encoding="utf-8").read()
with open(path, "w", encoding="utf-8", newline="\\r\\n") as fh:  # a Windows editor
    fh.write(text.replace("x = ...", "x = torch.tensor(3., requires_grad=True)\\ny = x ** 2\\n"
                          "y.backward()"))
"""


async def until(pilot, condition, timeout: float = 60.0, what: str = "") -> None:
    """Wait (pumping the app) until ``condition()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.1)
        if condition():
            await wait_idle(pilot)
            return
    raise AssertionError(f"timed out waiting for {what or condition}")


async def open_square(pilot) -> CodeEditor:
    app = pilot.app
    app.open_lesson("basics", "square")
    await pilot.pause()
    await wait_idle(pilot)
    return app.screen.query_one(CodeEditor)


async def test_the_file_is_the_code_both_ways(make_app, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    app = make_app(workspace=ws)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_square(pilot)
        path = ws / "square.py"
        assert path.read_text() == editor.text  # opening writes the starter
        assert "square.py" in screen_text(app)  # the file is named on screen
        editor.text = WRONG
        await until(pilot, lambda: path.read_text() == WRONG, 5, "the draft in the file")
    with open_store(app.store.path) as store:
        assert store.draft("square") == WRONG  # and in the progress store
    path.write_text(RIGHT.replace("\n", "\r\n"))  # edited while tutor was closed
    again = make_app(workspace=ws)
    async with again.run_test(size=(120, 40)) as pilot:
        editor = await open_square(pilot)
        assert editor.text == RIGHT  # the file wins, its CRLF read as LF
        editor.text = RIGHT + "# more\n"
        await until(pilot, lambda: b"# more\r\n" in path.read_bytes(), 5, "CRLF kept")


async def test_a_save_by_another_process_is_checked(make_app, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    app = make_app(workspace=ws, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_square(pilot)
        await pilot.pause(0.5)  # the watcher is up
        script = f"open({str(ws / 'square.py')!r}, 'w').write({RIGHT!r})"
        subprocess.run([sys.executable, "-c", script], check=True)
        await until(pilot, lambda: "PASSED" in panel_text(app, "checks"), what="the check")
        assert editor.text == RIGHT
        text = panel_text(app, "checks")
        assert "square.py saved in another editor: checked" in text and "+15 XP" in text
        assert "PASSED" in screen_text(app)  # on screen, at 80x24
        editor.text = RIGHT + "# mine\n"  # tutor's own writes are not checked again
        await pilot.pause(1.5)
    with open_store(app.store.path) as store:
        assert store.item_state("square").attempts == 1 and store.draft("square").endswith(
            "# mine\n"
        )


async def test_ctrl_e_opens_the_learners_editor_and_checks_on_return(
    make_app, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    fake = tmp_path / "fake_editor.py"
    fake.write_text(FAKE_EDITOR)
    app = make_app(workspace=ws, editor=[sys.executable, str(fake)])
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_square(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: "PASSED" in panel_text(app, "checks"), what="the check")
        assert "# edited in my editor" in editor.text and "\r" not in editor.text
        assert "saved in your editor: checked" in panel_text(app, "checks")
        assert app.focused is editor
        await pilot.press("ctrl+z")  # the editor's version is one undoable edit
        assert "# edited in my editor" not in editor.text


async def test_no_editor_is_said_not_raised(make_app, tmp_path: Path) -> None:
    app = make_app(workspace=tmp_path / "ws", editor=["no-such-editor-anywhere"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_square(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert any("$EDITOR" in str(n.message) for n in app._notifications)


async def test_a_deleted_file_is_written_again_from_the_code(make_app, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    app = make_app(workspace=ws, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_square(pilot)
        editor.text = WRONG
        await until(pilot, lambda: (ws / "square.py").read_text() == WRONG, 5, "the save")
        (ws / "square.py").rename(ws / "renamed.py")
        await until(pilot, lambda: (ws / "square.py").exists(), 10, "the file written again")
        assert (ws / "square.py").read_text() == WRONG and editor.text == WRONG
        assert (ws / "renamed.py").read_text() == WRONG  # the renamed copy is left alone


async def test_answers_are_files_and_grade_sees_what_the_learner_has(
    make_app, engine, tmp_path: Path
) -> None:
    from tutor.grading.session import grade_folder
    from tutor.progress import export_submission
    from tutor.workspace import Workspace

    ws = tmp_path / "ws"
    app = make_app(workspace=ws)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_square(pilot)
        editor.text = RIGHT
        await pilot.press("ctrl+n")  # the quiz
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("ctrl+n")  # the prediction
        await pilot.pause()
        await pilot.press(*"True False")
        await pilot.press("ctrl+b")  # leaving saves at once
        await pilot.pause()
    assert (ws / "square.py").read_text() == RIGHT
    assert (ws / "leaf-quiz.txt").read_text() == "2\n"
    assert (ws / "leaf-predict.txt").read_text() == "True False"
    course = load_course([LESSONS])
    report = grade_folder(course, ws, engine.grader)
    assert {r.id: r.status for r in report.items} == {
        "square": "pass",
        "leaf-quiz": "pass",
        "leaf-predict": "pass",
        "fit-w": "missing",
    }
    (ws / "square.py").write_text(WRONG)  # edited outside the game, tutor closed
    out = tmp_path / "export"
    with open_store(app.store.path) as store:
        export_submission(store, course, out, workspace=Workspace(ws))
    assert (out / "square.py").read_text() == WRONG  # export sees the file, not the old draft


async def test_an_unwritable_workspace_is_said_once_and_the_code_kept(tmp_path: Path) -> None:
    from tui_helpers import make_app as fake_app

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the workspace folder should be")
    app = fake_app(store_path=tmp_path / "p.db", workspace=blocked)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_square(pilot)
        for line in ("x = 1", "y = 2"):
            await pilot.press(*line, "enter")
            await pilot.pause(0.7)  # each pause saves the draft
        await pilot.press("ctrl+b")  # leaving saves at once
        messages = [str(n.message) for n in app._notifications]
        assert sum("cannot write" in m for m in messages) == 1, messages
        assert "x = 1\ny = 2" in editor.text
    with open_store(app.store.path) as store:
        assert "x = 1\ny = 2" in store.draft("square")
