"""Issue 15 through the command: a failing reference is a lesson error (exit 2, not graded,
named), each lesson error reported once, batch JUnit with the check details of single
JUnit, the top-level ``--lessons`` honoured by every command, and ``tutor new``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tutor.cli.main import main
from tutor.lesson import parse_lesson_file

if TYPE_CHECKING:
    from conftest import BorrowedPool

F = "```"

BROKEN_REFERENCE = f"""---
id: broken-reference
title: A lesson whose reference fails
---

## Exercise: fine

{F}toml exercise
id = "fine"
{F}

{F}python solution
y = 2
{F}

{F}python check
y  # two
{F}

## Exercise: its solution raises

{F}toml exercise
id = "raises-in-reference"
points = 7
{F}

{F}python solution
y = 1
z = y / 0
{F}

{F}python check
y  # one
{F}
"""


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.fixture
def broken_reference(tmp_path: Path) -> tuple[Path, Path]:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-broken-reference.md").write_text(BROKEN_REFERENCE)
    learner = tmp_path / "class" / "ann"
    learner.mkdir(parents=True)
    (learner / "fine.py").write_text("y = 1 + 1\n")
    (learner / "raises-in-reference.py").write_text("y = 1\n")
    return lessons, learner


def test_a_failing_reference_is_a_lesson_error_not_the_learners_failure(
    broken_reference: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    lessons, ann = broken_reference
    args = ["grade", str(ann), "--lessons", str(lessons), "--jobs", "1", "--extra-seeds", "0"]
    code = main([*args, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2  # a lesson error, not "the learner failed" (1)
    data = json.loads(captured.out)
    by_id = {e["id"]: e for e in data["exercises"]}
    broken = by_id["raises-in-reference"]
    assert broken["status"] == "error" and broken["lesson_error"] is True
    assert broken["score"] == 0 and broken["max_score"] == 0  # it counts neither way
    assert "not graded" in broken["message"] and "lesson error, not yours" in broken["message"]
    assert by_id["fine"]["status"] == "pass"
    assert data["status"] == "pass" and data["score"] == data["max_score"] == 10
    path = lessons / "01-broken-reference.md"
    where = f"{path}:{line_of(BROKEN_REFERENCE, 'z = y / 0')}:"
    [error] = data["lesson_errors"]
    assert error.startswith(where)
    assert (
        "exercise 'raises-in-reference': its reference solution raised ZeroDivisionError" in error
    )
    assert "fix the lesson" in error
    assert captured.err.count("raises-in-reference': its reference") == 1  # said once

    code = main(args)  # text: the lesson error once, the item not scored
    captured = capsys.readouterr()
    assert code == 2
    text = captured.out + captured.err
    assert text.count("its reference solution raised ZeroDivisionError") == 1
    assert f"lesson error: {where}" in captured.out
    assert "score 10/10" in captured.out


def test_batch_a_failing_reference_is_one_lesson_error_for_the_class(
    broken_reference: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    lessons, ann = broken_reference
    bob = ann.parent / "bob"
    bob.mkdir()
    (bob / "fine.py").write_text("y = 3\n")
    code = main(
        ["grade", "--batch", str(ann.parent), "--lessons", str(lessons), "--jobs", "1",
         "--extra-seeds", "0", "--format", "json", "--results-dir", str(tmp_path / "res")]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    data = json.loads(captured.out)
    assert len(data["lesson_errors"]) == 1 and "raises-in-reference" in data["lesson_errors"][0]
    by_name = {s["learner"]: s for s in data["learners"]}
    assert by_name["ann"]["status"] == "pass" and by_name["ann"]["max_score"] == 10
    assert by_name["bob"]["status"] == "fail"  # bob's own mistake still counts
    assert captured.err.count("lesson error:") == 1
    # the reference ran once for the class, not once per learner
    assert sum(p.runs for p in borrowed_pool.made[1::2]) <= 2


BAD_TOML = f"""---
id: bad-toml
title: Bad TOML
---

{F}toml exercise
id = "bad"
hints = ["unclosed"
{F}
"""


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_a_lesson_error_is_reported_once(
    tmp_path: Path,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-fine.md").write_text(BROKEN_REFERENCE.split("## Exercise: its")[0])
    (lessons / "02-bad-toml.md").write_text(BAD_TOML)
    ann = tmp_path / "ann"
    ann.mkdir()
    (ann / "fine.py").write_text("y = 2\n")
    code = main(["grade", str(ann), "--lessons", str(lessons), "--format", fmt, "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 2
    person = captured.err if fmt != "text" else captured.out + captured.err
    assert person.count("is not valid TOML") == 1


def test_batch_junit_carries_the_check_details_of_single_junit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    lessons = Path(__file__).resolve().parent / "lessons"
    ann = tmp_path / "class" / "ann"
    ann.mkdir(parents=True)
    (ann / "weighted-sum.py").write_text(
        "import torch\nw = torch.ones(3, requires_grad=True)\ny = (w + x).sum()\ny.backward()\n"
    )
    (ann / "when-graph.txt").write_text("1\n")
    common = ["--lessons", str(lessons), "--jobs", "1", "--seed-salt", "s", "--format", "junit"]
    main(["grade", str(ann), *common])
    single = ET.fromstring(capsys.readouterr().out)
    main(["grade", "--batch", str(ann.parent), "--results-dir", str(tmp_path / "r"), *common])
    batch = ET.fromstring(capsys.readouterr().out)

    def cases(root: ET.Element) -> dict[str, ET.Element]:
        return {c.get("name"): c for c in root.iter("testcase") if c.get("name") != "ann"}

    one, many = cases(single), cases(batch)
    assert set(one) == set(many)
    failure = one["weighted-sum"].find("failure")
    assert failure is not None and "w.grad: expected" in (failure.text or "")
    for name, case in one.items():
        for tag in ("failure", "error"):
            a, b = case.find(tag), many[name].find(tag)
            assert (a is None) == (b is None), name
            if a is not None and b is not None:
                assert (a.get("message"), a.text) == (b.get("message"), b.text)
    # the merged summary of shards carries them too, read back from the result files
    main(
        ["grade", "--batch", str(ann.parent), "--results-dir", str(tmp_path / "r2"),
         "--lessons", str(lessons), "--jobs", "1", "--seed-salt", "s", "--format", "json",
         "--output", str(tmp_path / "summary.json")]
    )  # fmt: skip
    capsys.readouterr()
    main(["grade", "merge", str(tmp_path / "summary.json"), "--format", "junit"])
    merged = cases(ET.fromstring(capsys.readouterr().out))
    failure = merged["weighted-sum"].find("failure")
    assert failure is not None and "w.grad: expected" in (failure.text or "")


# -- the top-level --lessons -----------------------------------------------------------------

LESSON = f"""---
id: cli-top
title: Top-level lessons
---

{F}toml quiz
id = "cli-top-quiz"
question = "Which?"
choices = ["a", "b"]
answer = 2
{F}
"""


@pytest.fixture
def top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "01-top.md").write_text(LESSON)
    return folder


def test_top_level_lessons_are_honoured_by_list_export_progress_and_grade(
    top: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lessons", str(top), "list"]) == 0
    assert "cli-top-quiz" in capsys.readouterr().out
    assert main([f"--lessons={top}", "progress"]) == 0
    assert "cli-top" in capsys.readouterr().out
    out = tmp_path / "export"
    assert main(["--lessons", str(top), "export", str(out)]) == 0
    assert f"--lessons {top}" in capsys.readouterr().out  # how to grade it, with the same lessons
    (out / "cli-top-quiz.txt").write_text("2\n")
    assert main(["--lessons", str(top), "grade", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["exercises"][0]["id"] == "cli-top-quiz"
    # before and after the command, both folders count
    other = tmp_path / "other"
    other.mkdir()
    (other / "01-other.md").write_text(LESSON.replace("cli-top", "cli-other"))
    assert main(["--lessons", str(top), "list", "--lessons", str(other)]) == 0
    listed = capsys.readouterr().out
    assert "cli-top-quiz" in listed and "cli-other-quiz" in listed


def test_top_level_lessons_for_lint_and_new(
    top: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    assert main(["--lessons", str(top), "lint", "--jobs", "1"]) == 0
    assert "1 lessons, 1 items" in capsys.readouterr().out
    assert main(["--lessons", str(top), "new", "second", "--quiz", "second-quiz"]) == 0
    assert (top / "02-second.md").exists()
    capsys.readouterr()


def test_grade_merge_refuses_lessons_with_a_reason(
    top: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["--lessons", str(top), "grade", "merge", "s.json"],
        ["grade", "merge", "s.json", "--lessons", str(top)],
    ):
        assert main(argv) == 2
        assert "--lessons does not apply to 'tutor grade merge'" in capsys.readouterr().err


# -- tutor new -------------------------------------------------------------------------------


def test_new_scaffolds_a_lesson_that_lints_strict_and_adds_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    folder = tmp_path / "course"
    assert main(["new", "first-steps", "--dir", str(folder)]) == 0
    path = folder / "01-first-steps.md"
    assert f"wrote {path}" in capsys.readouterr().out
    text = path.read_text()
    for teaches in ("# skill:", "python wrong", "python accept", "toml quiz", "toml predict",
                    "a nudge, then the concept, then the API", "must NOT pass"):  # fmt: skip
        assert teaches in text
    lesson = parse_lesson_file(path)
    assert [i.kind for i in lesson.items] == ["exercise", "quiz", "predict"]
    hints = lesson.items[0].hints
    assert "Only a tensor you create yourself" in hints[0] and "requires_grad_()" in hints[2]
    # one more of each kind, into the same file
    for kind in ("exercise", "quiz", "predict"):
        assert main(["new", "first-steps", "--dir", str(folder), f"--{kind}", f"more-{kind}"]) == 0
    assert [i.id for i in parse_lesson_file(path).items][3:] == [
        "more-exercise",
        "more-quiz",
        "more-predict",
    ]
    # a second lesson gets the next number; taken ids and existing lessons are refused
    assert main(["new", "second", "--dir", str(folder), "--predict", "only-predict"]) == 0
    assert [i.kind for i in parse_lesson_file(folder / "02-second.md").items] == ["predict"]
    capsys.readouterr()
    assert main(["new", "first-steps", "--dir", str(folder)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "third", "--dir", str(folder), "--quiz", "more-quiz"]) == 2
    assert "'more-quiz' is already used at" in capsys.readouterr().err
    assert main(["new", "Bad Id", "--dir", str(folder)]) == 2
    capsys.readouterr()
    code = main(["lint", str(folder), "--strict", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2 lessons, 7 items: 0 error(s), 0 warning(s)" in out
