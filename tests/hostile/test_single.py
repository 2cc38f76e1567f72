"""Attacks through ``tutor grade SUBMISSION_DIR`` (one learner), in every report format.

A submission answers each exercise of the hostile lesson with a different attack, so one CLI
run tries several at once; the same folder is graded with ``--format json``, ``junit`` and
``text`` (and ``--isolate``), and each report must be complete and well-formed whatever the
code printed, raised or sent back. The grader's own file handling is attacked too: answer
files that are symbolic links (to ``/etc/passwd``, to another learner's answer), hard links,
FIFOs and a submission folder that is itself a link.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from attacks import ATTACKS, LESSON, RIGHT, folder_contents, no_lesson_text, render, strict_json

from tutor.cli.main import main

# exercise -> attack: one submission that attacks every exercise at once
MIXED = {
    "double": "pidfd-kill-family",
    "quick": "busy-loop",
    "raises": "raise-as-library",
    "traced": "trace-pop-mode",
    "absval": "subclass-liar",
    "absmethod": "instance-method-liar",
    "module": "global-forward-hook",
    "fell": "object-liar",
    "fit": "patch-submodules",
}
# the grader's report writers against hostile text: printed, raised, and in a traceback
NASTY = {"double": "nasty-output", "quick": "huge-lying-message"}


@dataclass
class World:
    tmp: Path
    lessons: Path
    lesson_file: Path
    outside: Path
    cache: Path
    orphan_id: int = 0


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    tmp = tmp_path_factory.mktemp("single")
    w = World(tmp, tmp / "lessons", tmp / "lessons" / "01-hostile.md", tmp / "outside",
              tmp / "cache")  # fmt: skip
    w.lessons.mkdir()
    w.outside.mkdir()
    w.lesson_file.write_text(LESSON)
    return w


def submission(world: World, name: str, answers: dict[str, str]) -> Path:
    folder = world.tmp / name
    folder.mkdir()
    for exercise, attack in answers.items():
        code = RIGHT[exercise] if attack == "control" else render(attack, world)
        (folder / f"{exercise}.py").write_text(code, encoding="utf-8", errors="surrogatepass")
    return folder


def grade(world: World, folder: Path, fmt: str, *extra: str) -> tuple[int, str]:
    out = world.tmp / f"{folder.name}-{fmt}-{len(extra)}.out"
    argv = ["grade", str(folder), "--lessons", str(world.lessons), "--format", fmt,
            "--output", str(out), "--memory", "512", *extra]  # fmt: skip
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(world.cache)
    try:
        code = main(argv)
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old
    return code, out.read_text(encoding="utf-8")


def items(report: dict) -> dict[str, dict]:
    return {i["id"]: i for i in report["exercises"]}


def expect_item(item: dict, attack: str) -> None:
    spec = ATTACKS[attack]
    shown = (attack, item["status"], item["message"], item["output"][-400:])
    assert item["status"] == spec.status, shown
    if spec.message:
        assert re.search(spec.message, item["message"]), shown


@pytest.mark.parametrize("isolate", [False, True], ids=["plain", "isolate"])
def test_one_submission_attacks_every_exercise(world: World, isolate: bool) -> None:
    if isolate and shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    lessons_before = folder_contents(world.lessons)
    folder = submission(world, f"mixed-{isolate}", MIXED)
    code, text = grade(world, folder, "json", *(["--isolate"] if isolate else []))
    report = strict_json(text)
    assert code == 1 and report["version"] == 1 and report["status"] == "fail"
    got = items(report)
    assert set(got) == set(MIXED)
    failures = []
    for exercise, attack in MIXED.items():
        try:
            expect_item(got[exercise], attack)
        except AssertionError as exc:  # report every hole of the run, not only the first
            failures.append(str(exc))
    assert no_lesson_text(text)
    assert os.listdir(world.outside) == []
    assert folder_contents(world.lessons) == lessons_before
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("fmt", ["json", "junit", "text"])
def test_reports_survive_hostile_text(world: World, fmt: str) -> None:
    """Control characters, lone surrogates, a 60 MB message with a lying len(): every
    format writes a complete report, exit status 1, nothing crashes."""
    folder = submission(world, f"nasty-{fmt}", NASTY)
    code, text = grade(world, folder, fmt)
    assert code == 1
    text.encode("utf-8")  # no lone surrogate reached the file
    assert len(text.encode()) < 256 * 1024, len(text)
    if fmt == "json":
        got = items(strict_json(text))
        for exercise, attack in NASTY.items():
            expect_item(got[exercise], attack)
    elif fmt == "junit":
        tree = ET.fromstring(text)
        cases = {c.get("name"): c for c in tree.iter("testcase")}
        assert {"double", "quick"} <= set(cases)
        for name in ("double", "quick"):
            assert cases[name].find("failure") is not None or cases[name].find("error") is not None
    else:
        assert "double" in text and "quick" in text
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), repr(text[:300])


def test_answer_files_that_are_not_plain_files(world: World, tmp_path: Path) -> None:
    """Links and special files are refused unread: nothing of their target reaches the
    report, and the right answer beside them is graded as usual."""
    other = world.tmp / "other-learner"
    other.mkdir()
    (other / "double.py").write_text(RIGHT["double"] + "# OTHER-LEARNER-TEXT\n")
    folder = world.tmp / "links"
    folder.mkdir()
    (folder / "double.py").symlink_to("/etc/passwd")
    (folder / "absval.py").symlink_to(other / "double.py")
    os.link(other / "double.py", folder / "absmethod.py")
    os.mkfifo(folder / "fell.py")
    (folder / "raises.py").symlink_to("/dev/zero")
    (folder / "traced.py").mkdir()
    (folder / "quick.py").write_text(RIGHT["quick"])
    code, text = grade(world, folder, "json", "--extra-seeds", "0")
    report = strict_json(text)
    got = items(report)
    assert code == 1
    assert got["quick"]["status"] == "pass", got["quick"]
    for exercise in ("double", "absval", "absmethod", "fell", "raises", "traced"):
        assert got[exercise]["status"] in ("error", "missing"), got[exercise]
        assert got[exercise]["status"] != "pass"
    assert "root:" not in text and "OTHER-LEARNER-TEXT" not in text
    assert "/etc/passwd" not in text


def test_a_submission_folder_that_is_a_link(world: World) -> None:
    target = world.tmp / "real-learner"
    target.mkdir()
    (target / "double.py").write_text(RIGHT["double"] + "# OTHER-LEARNER-TEXT\n")
    link = world.tmp / "linked-learner"
    link.symlink_to(target)
    code, text = grade(world, link, "json", "--extra-seeds", "0")
    assert code in (1, 2)
    assert "OTHER-LEARNER-TEXT" not in text
    if text.strip():
        data = json.loads(text)
        assert all(i["status"] != "pass" for i in data.get("exercises", []))


# -- the real course ----------------------------------------------------------------------------

NO_TRAINING = """
import torch
losses = [float(1000 - k) for k in range(n_epochs)]   # no training at all


class Fake:
    def __init__(self, solution):
        self.solution = solution


torch.linalg.lstsq = lambda A, B, *args, **kw: Fake(torch.stack([a.detach(), b.detach()]))
"""


UNTRAINED_MODEL = """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))  # never trained
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
losses = [1.0] * 99 + [0.001]


class Zero(nn.Module):  # the checks call the learner's own loss function
    def forward(self, a, b):
        return torch.zeros(())


loss_fn = Zero()
"""
COURSE = {
    # lesson 12: every check compares with torch.linalg.lstsq, which the code replaced
    "fix-training-loop": NO_TRAINING,
    # lesson 16: the checks trust the learner's own loss_fn and losses (check authoring)
    "train-two-layer": UNTRAINED_MODEL,
}


@pytest.mark.parametrize("exercise", list(COURSE))
def test_the_course_is_not_passed_without_training(world: World, exercise: str) -> None:
    """Real exercises of the built-in course (15 points each), answered with no training."""
    from tutor.lesson.load import builtin_lessons_dir

    folder = world.tmp / f"course-{exercise}"
    folder.mkdir()
    (folder / f"{exercise}.py").write_text(COURSE[exercise])
    out = world.tmp / f"course-{exercise}.json"
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(world.cache)
    try:
        code = main(["grade", str(folder), "--lessons", str(builtin_lessons_dir()), "--only",
                     exercise, "--format", "json", "--output", str(out)])  # fmt: skip
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old
    (item,) = strict_json(out.read_text())["exercises"]
    assert code == 1 and item["status"] != "pass", item["message"]
