"""Exporting the learner's drafts as a submission folder (LESSON_FORMAT.md section 5)."""

from __future__ import annotations

import pytest
from progress_helpers import ex, lesson, predict, quiz

from tutor.lesson.load import Course
from tutor.progress import export_submission, submission_name


def test_export_submission_folder(store, tmp_path):
    items = [ex("build-graph", "l1"), quiz("dynamic-graph", "l1"), predict("predict-leaves", "l2")]
    items.append(ex("untouched", "l2"))
    store.save_draft("build-graph", "l1", "import torch\nw = torch.ones(1)\n")
    store.save_draft("dynamic-graph", "l1", "2")
    store.save_draft("predict-leaves", "l2", "True False\n")
    store.save_draft("not-in-course", "l9", "ignored")
    out = tmp_path / "sub" / "mission"

    written = export_submission(store, items, out)

    assert written == [
        out / "build-graph.py",
        out / "dynamic-graph.txt",
        out / "predict-leaves.txt",
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "build-graph.py",
        "dynamic-graph.txt",
        "predict-leaves.txt",
    ]
    assert (out / "build-graph.py").read_text() == "import torch\nw = torch.ones(1)\n"
    assert (out / "dynamic-graph.txt").read_text() == "2"
    assert (out / "predict-leaves.txt").read_text() == "True False\n"


def test_export_overwrites_and_accepts_lessons_or_a_course(store, tmp_path):
    l1 = lesson("l1", [ex("a", "l1"), quiz("b", "l1")])
    (tmp_path / "a.py").write_text("old")
    store.save_draft("a", "l1", "new")
    assert export_submission(store, [l1], tmp_path) == [tmp_path / "a.py"]
    assert (tmp_path / "a.py").read_text() == "new"

    store.save_draft("b", "l1", "1")
    written = export_submission(store, Course(lessons=[l1]), tmp_path)
    assert written == [tmp_path / "a.py", tmp_path / "b.txt"]
    assert not list(tmp_path.glob(".*.tmp"))  # no temp files left behind


def test_submission_name_rejects_unsafe_ids():
    assert submission_name(ex("ok-1", "l")) == "ok-1.py"
    with pytest.raises(ValueError):
        submission_name(ex("../evil", "l"))
    with pytest.raises(ValueError):
        submission_name(quiz("a/b", "l"))
