"""Every attack of the hostile-code issue, graded through `tutor grade` in one batch run.

Each learner folder is one attack on the same exercise. One CLI run grades them all (so the
grader must survive each in turn); then each verdict, the absence of stray files, and the
integrity of the exit status and JSON are checked. A control learner with a right answer
graded in the same run proves the grader still works after everything else.
The attack table is shared with the TUI suite (attacks.py, test_tui_attacks.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from attacks import ATTACKS, LESSON, attack_code

from tutor.cli.main import main


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[int, dict, dict[str, dict], Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    outside = tmp / "outside"
    outside.mkdir()
    lessons = tmp / "lessons"
    lessons.mkdir()
    lesson_file = lessons / "01-hostile.md"
    lesson_file.write_text(LESSON)
    root = tmp / "class"
    for name in ATTACKS:
        (root / name).mkdir(parents=True)
        (root / name / "double.py").write_text(attack_code(name, outside, lesson_file))
    summary_path, results = tmp / "summary.json", tmp / "results"
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(tmp / "cache")
    try:
        code = main(
            ["grade", "--batch", str(root), "--lessons", str(lessons), "--format", "json",
             "--output", str(summary_path), "--results-dir", str(results), "--jobs", "2",
             "--memory", "512"]
        )  # fmt: skip
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old
    summary = json.loads(summary_path.read_text())
    per_learner = {p.stem: json.loads(p.read_text()) for p in results.glob("*.json")}
    return code, summary, per_learner, outside


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attack_gets_its_verdict(graded, attack: str) -> None:
    _, _, per_learner, _ = graded
    item = per_learner[attack]["exercises"][0]
    assert item["status"] == ATTACKS[attack][1], (attack, item["message"])
    assert item["message"].strip()  # a plain reason for a person
    assert len(item["output"].encode()) <= 4096


def test_nothing_appeared_outside_the_sandbox(graded) -> None:
    _, _, _, outside = graded
    assert list(outside.iterdir()) == []


def test_exit_status_and_json_are_intact(graded) -> None:
    code, summary, per_learner, _ = graded
    assert code == 1  # some learners did not pass; the grader itself did not fail
    assert summary["kind"] == "batch" and summary["version"] == 1
    assert {s["learner"] for s in summary["learners"]} == set(ATTACKS)
    for name, result in per_learner.items():
        assert result["version"] == 1 and result["status"] in ("pass", "fail")
        assert result["exercises"][0]["id"] == "double", name


def test_the_lesson_text_never_reaches_a_result(graded) -> None:
    _, _, per_learner, _ = graded
    text = json.dumps(per_learner["read-lessons-env"])
    assert "y = x * 2" not in text and "allclose holds" not in text
