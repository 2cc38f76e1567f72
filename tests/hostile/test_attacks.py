"""Every attack of the hostile-code issue, graded through `tutor grade` in one batch run.

Each learner folder is one attack on the same exercise. One CLI run grades them all (so the
grader must survive each in turn); then each verdict, the absence of stray files, and the
integrity of the exit status and JSON are checked. A control learner with a right answer
graded in the same run proves the grader still works after everything else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tutor.cli.main import main

LESSON = """---
id: hostile
title: Hostile
---

## Exercise: double it

```toml exercise
id = "double"
timeout = 10
seeds = [0, 1]
```

```python setup
import torch
x = torch.randn(3)
```

```python solution
y = x * 2
```

```python check
y  # twice x
torch.allclose(y, x * 2)  # allclose holds
```
"""
RIGHT = "y = x * 2\n"
OUTSIDE = "OUTSIDE_DIR"  # replaced by a folder outside the sandbox, watched for new files

ATTACKS: dict[str, tuple[str, str]] = {
    # name: (code, expected status)
    "control": (RIGHT, "pass"),
    "busy-loop": ("while True:\n    pass\n", "timeout"),
    "sleep": ("import time\ntime.sleep(100)\n", "timeout"),
    "input": ("input()\n" + RIGHT, "error"),
    "memory-bomb": (
        "import torch\nxs = []\nwhile True:\n    xs.append(torch.ones(2**27))\n",
        "error",
    ),
    "segfault": ("import ctypes\nctypes.string_at(0)\n", "error"),
    "sys-exit": (RIGHT + "import sys\nsys.exit(0)\n", "error"),
    "os-exit": (RIGHT + "import os\nos._exit(0)\n", "error"),
    "raise-systemexit": (RIGHT + "raise SystemExit\n", "error"),
    "keyboard-interrupt": (RIGHT + "raise KeyboardInterrupt\n", "error"),
    "recursion": ("def f():\n    return f()\nf()\n", "error"),
    "flood": ("for i in range(200_000):\n    print('spam', i)\n" + RIGHT, "pass"),
    "write-outside": (RIGHT + f"open({OUTSIDE!r} + '/pwned.txt', 'w').write('x')\n", "error"),
    "torch-save-outside": (
        RIGHT + f"import torch\ntorch.save(y, {OUTSIDE!r} + '/y.pt')\n",
        "error",
    ),
    "os-system": (RIGHT + f"import os\nos.system('touch ' + {OUTSIDE!r} + '/sys')\n", "error"),
    "subprocess": (RIGHT + "import subprocess\nsubprocess.run(['true'])\n", "error"),
    "fork": (RIGHT + "import os\nos.fork()\n", "error"),
    "multiprocessing": (
        RIGHT + "import multiprocessing as mp\nmp.Process(target=print).start()\n",
        "error",
    ),
    "network": (RIGHT + "import socket\nsocket.create_connection(('127.0.0.1', 9))\n", "error"),
    "read-parent-cmdline": (
        RIGHT + "import os\nopen(f'/proc/{os.getppid()}/cmdline').read()\n",
        "error",
    ),
    "read-lessons-env": (
        RIGHT + "import os, glob\nprint(os.environ.get('TUTOR_LESSONS'))\n"
        "print(open(LESSON_FILE).read())\n",
        "error",
    ),
    "kill-parent": (RIGHT + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n", "error"),
    "patch-allclose": (RIGHT + "import torch\ntorch.allclose = lambda *a, **k: True\n", "error"),
    "patch-tensor": ("import torch\ntorch.Tensor.__eq__ = lambda a, b: True\ny = x * 3\n", "error"),
    "patch-builtins": (RIGHT + "import builtins\nbuiltins.isinstance = lambda *a: True\n", "error"),
    "patch-sys-modules": (RIGHT + "import sys\nsys.modules['torch'] = None\n", "error"),
    "replace-function-apply": (
        RIGHT + "import torch\ntorch.autograd.Function.apply = classmethod(lambda c, *a: None)\n",
        "error",
    ),
    "forge-by-print": (
        'print(\'{"status": "pass", "score": 10}\')\n'
        'print(\'\\x00\\x00\\x00\\x10{"status":"ok"}\')\ny = x * 3\n',
        "fail",
    ),
}


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
    for name, (code, _) in ATTACKS.items():
        (root / name).mkdir(parents=True)
        code = code.replace(repr(OUTSIDE), repr(str(outside))).replace(
            "LESSON_FILE", repr(str(lesson_file))
        )
        (root / name / "double.py").write_text(code)
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
