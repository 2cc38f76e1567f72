"""`tutor progress` and `tutor export`: the learner's view of the store from the shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli.main import main
from tutor.lesson.load import load_course
from tutor.progress import ProgressStore

LESSON = """---
id: cli-lesson
title: CLI lesson
---

## Exercise

```toml exercise
id = "cli-ex"
```

```python solution
y = 1
```

```python check
y
```

```toml quiz
id = "cli-quiz"
question = "Which?"
choices = ["a", "b"]
answer = 2
```
"""


@pytest.fixture
def setup(tmp_path, monkeypatch):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-cli.md").write_text(LESSON)
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    course = load_course([lessons])
    return lessons, course


def test_progress_shows_xp_and_lesson_state(setup, capsys):
    lessons, course = setup
    with ProgressStore() as store:
        store.record_attempt(course.item("cli-ex"), passed=True, course=course)
    assert main(["progress", "--lessons", str(lessons)]) == 0
    out = capsys.readouterr().out
    assert "1 item(s) passed" in out
    assert "cli-lesson" in out and "1/2 items" in out


def test_reset_without_yes_and_without_a_terminal_refuses(setup, capsys, monkeypatch):
    lessons, course = setup
    with ProgressStore() as store:
        store.record_attempt(course.item("cli-ex"), passed=True, course=course)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["progress", "--lessons", str(lessons), "--reset"]) == 2
    assert "--yes" in capsys.readouterr().err
    with ProgressStore() as store:
        assert store.totals().items_passed == 1  # nothing was cleared


def test_reset_asks_and_respects_no(setup, monkeypatch, capsys):
    lessons, course = setup
    with ProgressStore() as store:
        store.record_attempt(course.item("cli-ex"), passed=True, course=course)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["progress", "--lessons", str(lessons), "--reset", "cli-lesson"]) == 0
    with ProgressStore() as store:
        assert store.totals().items_passed == 1
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["progress", "--lessons", str(lessons), "--reset", "cli-lesson"]) == 0
    with ProgressStore() as store:
        assert store.totals().items_passed == 0


def test_reset_of_unknown_lesson_is_a_usage_error(setup, capsys):
    lessons, _ = setup
    assert main(["progress", "--lessons", str(lessons), "--reset", "nope", "--yes"]) == 2
    assert "no lesson 'nope'" in capsys.readouterr().err


def test_export_writes_a_submission_folder(setup, tmp_path, capsys):
    lessons, _ = setup
    with ProgressStore() as store:
        store.save_draft("cli-ex", "cli-lesson", "y = 1\n")
        store.save_draft("cli-quiz", "cli-lesson", "2")
    out_dir = tmp_path / "sub"
    assert main(["export", str(out_dir), "--lessons", str(lessons)]) == 0
    assert (out_dir / "cli-ex.py").read_text() == "y = 1\n"
    assert Path(out_dir / "cli-quiz.txt").read_text().strip() == "2"
