"""The core of the hostile suite on the spawn backend (``TUTOR_SANDBOX=spawn``: one fresh,
confined worker process per run, as on Windows and macOS), through ``tutor grade --batch``.

Kept small: every run costs a fresh interpreter. One attack per class of the issue, each
followed by a control learner with the right answer; selected with ``-m spawn``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from attacks import ATTACKS, LESSON, RIGHT, folder_contents, no_lesson_text, render, strict_json

from tutor.cli.main import main

pytestmark = pytest.mark.spawn

CORE = [
    "read-lesson",  # escapes
    "scan-memory",  # the reference in reach
    "pidfd-kill-family",  # one learner hurts others
    "forged-frame-no-exit",  # the checks rewritten from inside (no hidden seeds here)
    "nasty-output",  # the grader itself
    "dataloader-workers",  # real code
]


class World:
    def __init__(self, tmp: Path) -> None:
        self.lessons = tmp / "lessons"
        self.lesson_file = self.lessons / "01-hostile.md"
        self.outside = tmp / "outside"
        self.cache = tmp / "cache"
        self.orphan_id = 0
        self.lessons.mkdir()
        self.outside.mkdir()
        self.lesson_file.write_text(LESSON)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[World, int, dict[str, dict]]:
    tmp = tmp_path_factory.mktemp("spawn")
    world = World(tmp)
    root = tmp / "class"
    for i, name in enumerate(CORE):
        exercise = ATTACKS[name].exercise
        for folder, code in ((f"{i:02d}-{name}", render(name, world)),
                             (f"{i:02d}-{name}.ok", RIGHT[exercise])):  # fmt: skip
            (root / folder).mkdir(parents=True)
            (root / folder / f"{exercise}.py").write_text(code, errors="surrogatepass")
    before = folder_contents(world.lessons)
    summary = tmp / "summary.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TUTOR_SANDBOX", "spawn")
        mp.setenv("TUTOR_CACHE_DIR", str(world.cache))
        code = main(["grade", "--batch", str(root), "--lessons", str(world.lessons),
                     "--format", "json", "--output", str(summary), "--results-dir",
                     str(tmp / "results"), "--jobs", "2", "--memory", "512",
                     "--extra-seeds", "0"])  # fmt: skip
    assert folder_contents(world.lessons) == before
    data = strict_json(summary.read_text())
    results = {s["learner"]: strict_json(Path(s["result"]).read_text()) for s in data["learners"]}
    return world, code, results


def the_item(result: dict) -> dict:
    (item,) = [i for i in result["exercises"] if i["status"] != "missing"]
    return item


@pytest.mark.parametrize("name", CORE)
def test_attack_on_spawn(graded, name: str) -> None:
    _, _, results = graded
    i = CORE.index(name)
    item = the_item(results[f"{i:02d}-{name}"])
    spec = ATTACKS[name]
    assert item["status"] == spec.status, (name, item["message"], item["output"][-300:])
    if spec.output_has:
        assert spec.output_has in item["output"], (name, item["output"][-300:])
    control = the_item(results[f"{i:02d}-{name}.ok"])
    assert control["status"] == "pass", (name, control["message"])
    assert no_lesson_text(json.dumps(results[f"{i:02d}-{name}"], ensure_ascii=False))


def test_spawn_run_is_intact(graded) -> None:
    world, code, results = graded
    assert code == 1
    assert os.listdir(world.outside) == []
    assert all(r["version"] == 1 for r in results.values())
