"""The workspace: one file per item in the submission layout, any line ending in, the same
line ending out, tutor's own writes told apart from another editor's; paths and the editor
command; progress and export seeing the same code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor import paths
from tutor.lesson.model import Exercise, Predict, Quiz
from tutor.tui.external import EditorLauncher, editor_command
from tutor.workspace import Workspace, WorkspaceError, normalize, shorten, tilde


def exercise(item_id: str = "build-graph") -> Exercise:
    return Exercise(
        id=item_id, lesson_id="l1", prompt="", title="Exercise: x", solution="y = 1\n", checks=()
    )


def quiz(item_id: str = "q1") -> Quiz:
    return Quiz(id=item_id, lesson_id="l1", question="?", choices=("a", "b"), answer=1)


def predict(item_id: str = "p1") -> Predict:
    return Predict(id=item_id, lesson_id="l1", show="print(1)\n")


def test_files_follow_the_submission_layout(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    assert ws.path(exercise()) == tmp_path / "ws" / "build-graph.py"
    assert ws.path(quiz()).name == "q1.txt" and ws.path(predict()).name == "p1.txt"
    assert ws.read(exercise()) is None and ws.missing(exercise())
    ws.write(exercise(), "import torch\n")  # the folder is made on the first write
    assert (tmp_path / "ws" / "build-graph.py").read_text() == "import torch\n"


def test_crlf_and_bom_are_read_as_lf_and_written_back_as_they_were(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    path = ws.path(exercise())
    path.write_bytes(b"\xef\xbb\xbfx = 1\r\ny = 2\r\n")  # Notepad's UTF-8 with a BOM
    assert ws.read(exercise()) == "x = 1\ny = 2\n"
    ws.write(exercise(), "x = 1\ny = 3\n")
    assert path.read_bytes() == b"\xef\xbb\xbfx = 1\r\ny = 3\r\n"
    assert normalize("a\rb\r\nc") == "a\nb\nc"


def test_own_writes_are_not_changes_but_another_editors_are(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    item = exercise()
    ws.write(item, "x = 1\n")
    assert ws.changed(item) is None  # tutor's own write
    ws.path(item).write_text("x = 2\r\n")  # another editor, Windows line endings
    assert ws.changed(item) == "x = 2\n"
    assert ws.changed(item) is None  # read once: known now
    ws.path(item).write_text("x = 2\n")  # only the line endings changed: nothing new
    assert ws.changed(item) is None


def test_unreadable_files_are_errors_that_name_the_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.path(exercise()).write_bytes(b"x = '\xff'\n")
    with pytest.raises(WorkspaceError, match="not UTF-8"):
        ws.read(exercise())
    ws.path(quiz()).mkdir()
    with pytest.raises(WorkspaceError, match="is a folder"):
        ws.read(quiz())


def test_remove_and_ensure(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert ws.ensure(exercise(), "a") and not ws.ensure(exercise(), "b")
    assert ws.read(exercise()) == "a"
    assert ws.remove([exercise(), quiz()]) == [ws.path(exercise())]
    assert ws.missing(exercise())


def test_item_ids_that_are_not_file_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Workspace(tmp_path).path(exercise("../escape"))


def test_display_shortens_in_the_middle(tmp_path: Path) -> None:
    assert shorten("abcdefghij", 7) == "ab…ghij" and shorten("abc", 7) == "abc"
    assert tilde(Path.home() / "x" / "y.py") == os.path.join("~", "x", "y.py")
    long = Workspace(tmp_path / ("d" * 80)).display(exercise(), 40)
    assert len(long) == 40 and long.endswith("build-graph.py")


def test_paths_read_every_variable_the_same_way(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TUTOR_DATA_DIR", f"  {tmp_path}/data  ")
    monkeypatch.delenv("TUTOR_WORKSPACE", raising=False)
    assert paths.data_dir() == tmp_path / "data"
    assert paths.workspace_dir() == tmp_path / "data" / "workspace"
    monkeypatch.setenv("TUTOR_WORKSPACE", "~/my-ws")
    assert paths.workspace_dir() == Path.home() / "my-ws"
    assert paths.workspace_dir(tmp_path / "explicit") == tmp_path / "explicit"
    monkeypatch.setenv("TUTOR_CACHE_DIR", "")
    assert paths.cache_dir().name == "references"  # empty means unset
    monkeypatch.setenv("TUTOR_LESSONS", f"{tmp_path}/a{os.pathsep}{os.pathsep} {tmp_path}/b")
    assert paths.lesson_dirs_from_env() == [tmp_path / "a", tmp_path / "b"]


def test_the_editor_command(tmp_path: Path) -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({}, platform="linux") == ["vi"]
    assert editor_command({}, platform="win32") == ["notepad"]
    assert editor_command({"EDITOR": '"C:\\Program Files\\ed.exe" -w'}, "win32")[1] == "-w"
    missing = EditorLauncher(["no-such-editor-anywhere"]).problem()
    assert "no-such-editor-anywhere" in missing and "$EDITOR" in missing
    assert EditorLauncher(["sh"]).problem() == ""
