"""Class-scale grading: --batch over learner folders, stable shards, merged summaries."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tutor.cli.main import main
from tutor.grading.batch import (
    BatchError,
    grade_batch,
    in_shard,
    learner_folders,
    merge_summaries,
    parse_shard,
)
from tutor.grading.cache import ReferenceCache
from tutor.grading.grader import Grader
from tutor.lesson.load import load_course

LESSON = """---
id: batch-lesson
title: Batch lesson
---

## Exercise: double

```toml exercise
id = "double"
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
```

```toml quiz
id = "pick"
question = "Which?"
choices = ["a", "b"]
answer = 2
```
"""

ANSWERS = {
    "ann": {"double.py": "y = x + x\n", "pick.txt": "2"},  # right, another style
    "ben": {"double.py": "y = x * 3\n", "pick.txt": "2"},  # wrong values
    "cat": {"pick.txt": "1"},  # missing exercise, wrong quiz
    "dan": {"double.py": "y = x * 2\n", "pick.txt": "2"},
}


@pytest.fixture
def klass(tmp_path: Path) -> tuple[Path, Path]:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-batch.md").write_text(LESSON)
    root = tmp_path / "class"
    for learner, files in ANSWERS.items():
        (root / learner).mkdir(parents=True)
        for name, text in files.items():
            (root / learner / name).write_text(text)
    (root / ".git").mkdir()  # hidden folders are not learners
    return lessons, root


def test_shards_partition_the_class_stably() -> None:
    names = [f"learner-{i}" for i in range(200)]
    parts = [[n for n in names if in_shard(n, (k, 4))] for k in range(1, 5)]
    # every learner in exactly one shard
    assert sorted(n for part in parts for n in part) == sorted(names)
    assert all(20 < len(p) < 80 for p in parts)  # roughly even
    assert parts == [[n for n in names if in_shard(n, (k, 4))] for k in range(1, 5)]


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x", "1/0", "1-2"])
def test_bad_shards_are_usage_errors(bad: str) -> None:
    with pytest.raises(BatchError):
        parse_shard(bad)


def test_batch_grades_each_learner_and_writes_their_results(pool, klass, tmp_path) -> None:
    lessons, root = klass
    course = load_course([lessons])
    grader = Grader(pool, ReferenceCache(tmp_path / "cache"))
    seen = []
    summary = grade_batch(
        course.items(),
        learner_folders(root),
        grader,
        jobs=2,
        results_dir=tmp_path / "results",
        on_learner=lambda s, done, total: seen.append((s.learner, done, total)),
    )
    by_name = {s.learner: s for s in summary.learners}
    assert sorted(by_name) == ["ann", "ben", "cat", "dan"]
    assert by_name["ann"].status == "pass" and by_name["dan"].status == "pass"
    assert by_name["ben"].items == {"double": "fail", "pick": "pass"}
    assert by_name["cat"].items == {"double": "missing", "pick": "fail"}
    assert [d for _, d, _ in seen] == [1, 2, 3, 4]
    ben = json.loads((tmp_path / "results" / "ben.json").read_text())
    assert ben["status"] == "fail" and ben["score"] == 5
    assert {e["id"]: e["status"] for e in ben["exercises"]} == {"double": "fail", "pick": "pass"}
    rows = list(csv.DictReader(io.StringIO(summary.to_csv())))
    assert {r["learner"]: r["double"] for r in rows} == {
        "ann": "10",
        "ben": "0",
        "cat": "0",
        "dan": "10",
    }
    assert summary.exit_code() == 1


def test_cli_shards_merge_back_into_the_whole_class(klass, tmp_path, capsys) -> None:
    lessons, root = klass
    outputs = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}.json"
        code = main(
            ["grade", "--batch", str(root), "--lessons", str(lessons), "--shard", f"{k}/2",
             "--format", "json", "--output", str(out), "--results-dir", str(tmp_path / "r"),
             "--jobs", "1"]
        )  # fmt: skip
        assert code in (0, 1)
        outputs.append(out)
    merged = merge_summaries(outputs)
    assert sorted(s.learner for s in merged.learners) == ["ann", "ben", "cat", "dan"]
    assert merged.shards == ["1/2", "2/2"]
    assert main(["grade", "merge", *map(str, outputs), "--format", "csv"]) == 1
    assert capsys.readouterr().out.startswith("learner,status,score,max_score")
    # the same shard twice is refused, not double counted
    assert main(["grade", "merge", str(outputs[0]), str(outputs[0])]) == 2


def test_batch_and_a_submission_dir_are_exclusive(klass, capsys) -> None:
    _, root = klass
    assert main(["grade", str(root / "ann"), "--batch", str(root)]) == 2
    assert main(["grade"]) == 2
    assert main(["grade", str(root / "ann"), "--format", "csv"]) == 2
    assert "go with --batch" in capsys.readouterr().err
