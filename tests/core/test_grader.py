"""Grading items and submission folders against tests/core/lessons (written from the contract).

Submissions are written in styles other than the reference solution, the way learners write
them. Expected values are never copied into the tests: they come from the sandbox itself
(``setup_value``), so a test fails only when grading itself is wrong.
"""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tutor.grading.cache import ReferenceCache
from tutor.grading.formats import render
from tutor.grading.grader import Grader, extra_seeds, grade_quiz
from tutor.grading.lint import lint_item
from tutor.grading.session import grade_folder
from tutor.lesson import Course, Exercise, Predict, Quiz, load_course
from tutor.sandbox import Job, RunResult, SandboxPool

LESSONS = Path(__file__).resolve().parent / "lessons"

RIGHT = {
    "weighted-sum": (
        "import torch\n\nw = torch.ones(3, requires_grad=True)\ny = (w * x).sum()\ny.backward()\n"
    ),
    "leaf-in-place": "import torch\nw = torch.tensor([1.0], requires_grad=True)\nw += 1\n",
    "scale-noise": "y = 3 * noise\n",
    "when-graph": "2\n",
    "leaf-flags": "True False\n",
}


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course([LESSONS])
    assert loaded.errors == []
    return loaded


@pytest.fixture(scope="module")
def grader(pool: SandboxPool) -> Grader:
    """Module-wide, with an in-memory reference cache only."""
    return Grader(pool, ReferenceCache(enabled=False))


def item(course: Course, item_id: str):
    found = course.item(item_id)
    assert found is not None
    return found


def setup_value(pool: SandboxPool, ex: Exercise, expr: str, seed: int):
    """What ``expr`` is right after the exercise's setup ran for ``seed`` (in the sandbox)."""
    result = pool.run(Job(code="", setup=ex.setup, checks=[f"{expr}.tolist()", expr], seed=seed))
    assert result.status == "ok", result.reason
    return result.values[0]["items"], result.values[1]["repr"]


def floats(values: list[dict]) -> list[float]:
    return [v["v"] for v in values]


def write_submission(folder: Path, answers: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for item_id, answer in answers.items():
        suffix = ".txt" if item_id in ("when-graph", "leaf-flags") else ".py"
        path = folder / f"{item_id}{suffix}"
        if isinstance(answer, bytes):
            path.write_bytes(answer)
        else:
            path.write_text(answer)
    return folder


# -- the fixture lesson itself ------------------------------------------------------------


def test_fixture_lesson_is_what_the_contract_describes(course: Course) -> None:
    kinds = {i.id: i.kind for i in course.items()}
    assert kinds == {
        "weighted-sum": "exercise",
        "leaf-in-place": "exercise",
        "scale-noise": "exercise",
        "when-graph": "quiz",
        "leaf-flags": "predict",
    }
    assert item(course, "weighted-sum").seeds == (0, 1, 2)
    assert item(course, "scale-noise").seeds == (0,)


def test_fixture_lesson_is_lint_clean(course: Course, grader: Grader) -> None:
    problems = [p for i in course.items() for p in lint_item(i, grader)]
    assert problems == []


# -- exercises ----------------------------------------------------------------------------


def test_right_answer_in_another_style_passes(course: Course, grader: Grader) -> None:
    ex = item(course, "weighted-sum")
    result = grader.grade(ex, RIGHT["weighted-sum"])
    assert result.status == "pass", result.message
    assert result.score == result.max_score == 10
    assert len(result.checks) == len(ex.checks) * len(ex.seeds)
    assert {c.seed for c in result.checks} == {0, 1, 2}
    assert all(c.status == "pass" for c in result.checks)


def test_wrong_values_fail_naming_expression_expected_and_got(
    course: Course, grader: Grader, pool: SandboxPool
) -> None:
    ex = item(course, "weighted-sum")
    code = RIGHT["weighted-sum"].replace("(w * x)", "(w * x * 2)")
    result = grader.grade(ex, code)
    assert result.status == "fail"
    assert result.score == 0
    _, x_repr = setup_value(pool, ex, "x", 0)
    assert result.message.startswith(f"w.grad: expected {x_repr}, got tensor(")
    assert "[the gradient of y with respect to w]" in result.message
    assert "(seed 0)" in result.message
    failed = [c for c in result.checks if c.status == "fail"]
    assert {c.expr for c in failed} == {"w.grad", "y"}
    grad = next(c for c in failed if c.expr == "w.grad")
    assert grad.expected == x_repr and grad.got != x_repr
    assert grad.message == "the gradient of y with respect to w"
    assert grad.explain.startswith(f"w.grad: expected {x_repr}, got {grad.got}")


def test_wrong_is_leaf(course: Course, grader: Grader) -> None:
    ex = item(course, "weighted-sum")
    code = RIGHT["weighted-sum"].replace(
        "torch.ones(3, requires_grad=True)", "torch.ones(3, requires_grad=True) * 1"
    )
    result = grader.grade(ex, code)
    assert result.status == "fail"
    leaf = next(c for c in result.checks if c.expr == "w.is_leaf")
    assert leaf.status == "fail"
    assert (leaf.expected, leaf.got) == ("True", "False")
    assert "expected a leaf" in leaf.explain
    grad = next(c for c in result.checks if c.expr == "w.grad")
    assert grad.status == "fail" and grad.got == "None"


def hard_coded(values: list[float]) -> str:
    return (
        "import torch\n"
        "w = torch.ones(3, requires_grad=True)\n"
        f"y = (w * torch.tensor({values!r})).sum()\n"
        "y.backward()\n"
    )


def test_hard_coded_answer_fails_on_the_next_seed(
    course: Course, grader: Grader, pool: SandboxPool
) -> None:
    ex = item(course, "weighted-sum")
    seed0, _ = setup_value(pool, ex, "x", 0)
    result = grader.grade(ex, hard_coded(floats(seed0)))
    assert result.status == "fail"
    assert "(seed 1)" in result.message
    assert all(c.status == "pass" for c in result.checks if c.seed == 0)
    assert any(c.status == "fail" for c in result.checks if c.seed == 1)


def test_code_that_raises_is_an_error_at_its_line(course: Course, grader: Grader) -> None:
    ex = item(course, "weighted-sum")
    code = "import torch\nw = torch.ones(3, requires_grad=True)\ny = (w * x).sum()\ny.backward(z)\n"
    result = grader.grade(ex, code)
    assert result.status == "error"
    assert result.score == 0
    assert result.line == 4
    assert result.message.startswith("your code raised NameError at line 4")
    assert "line 4" in result.traceback


def test_timeout(course: Course, grader: Grader) -> None:
    ex = item(course, "scale-noise")
    result = grader.grade(ex, "y = noise * 3\nwhile True:\n    pass\n")
    assert result.status == "timeout"
    assert "2 s" in result.message
    assert result.duration_s < ex.timeout + 10


def test_sandbox_violation_is_an_error(course: Course, grader: Grader) -> None:
    ex = item(course, "scale-noise")
    result = grader.grade(ex, "import os\nos.system('true')\ny = noise * 3\n")
    assert result.status == "error"
    assert result.message.startswith("the sandbox does not allow starting other processes")


def test_error_messages_read_as_sentences(course: Course, grader: Grader) -> None:
    ex = item(course, "scale-noise")
    tampered = grader.grade(ex, "import torch\ntorch.allclose = abs\ny = noise * 3\n")
    assert tampered.message.startswith("the code changed torch.allclose")
    crashed = grader.grade(ex, "import os\nos._exit(3)\n")
    assert crashed.message.startswith("your code ended the process itself")


def test_expected_exception(course: Course, grader: Grader) -> None:
    ex = item(course, "leaf-in-place")
    assert grader.grade(ex, RIGHT["leaf-in-place"]).status == "pass"

    finished = grader.grade(ex, "import torch\nw = torch.tensor([1.0], requires_grad=True)\n")
    assert finished.status == "fail"
    assert "expected your code to raise RuntimeError" in finished.message

    other = grader.grade(
        ex, "import torch\nw = torch.tensor([1.0], requires_grad=True)\nint('x')\n"
    )
    assert other.status == "error"
    assert "ValueError" in other.message

    # raised the right type, but left w different from the reference
    changed = grader.grade(
        ex, "import torch\nw = torch.tensor([2.0], requires_grad=True)\nw.add_(1)\n"
    )
    assert changed.status == "fail"
    assert changed.message.startswith("w: expected tensor([1.], requires_grad=True)")


def test_emptying_the_checks_does_not_pass(course: Course, grader: Grader) -> None:
    ex = item(course, "weighted-sum")
    code = "import sys\nsys._getframe(1).f_locals['job'].checks.clear()\n"
    result = grader.grade(ex, code)
    assert result.status != "pass"


def test_a_forged_result_frame_does_not_pass(course: Course, grader: Grader) -> None:
    ex = item(course, "weighted-sum")
    forged = json.dumps({"status": "ok", "values": []}).encode()
    frame = struct.pack(">I", len(forged)) + forged
    code = (
        "import os\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        f"        os.write(fd, {frame!r})\n"
        "        break\n"
        "    except OSError:\n"
        "        pass\n"
    )
    result = grader.grade(ex, code)
    assert result.status != "pass"


# -- quizzes and predictions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "status", "fragment"),
    [
        ("2", "pass", "right answer"),
        (" 2 \n", "pass", "right answer"),
        ("1", "fail", "not the right one"),
        ("7", "fail", "pick 1 to 3"),
        ("0", "fail", "pick 1 to 3"),
        ("two", "fail", "choice number from 1 to 3"),
        ("", "fail", "choice number"),
    ],
)
def test_quiz(course: Course, answer: str, status: str, fragment: str) -> None:
    quiz = item(course, "when-graph")
    assert isinstance(quiz, Quiz)
    result = grade_quiz(quiz, answer)
    assert result.status == status
    assert result.score == (quiz.points if status == "pass" else 0)
    assert fragment in result.message


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("True False\n", "pass"),
        ("  True\n\tFalse  \n\n", "pass"),  # runs of white space are folded
        ("True True\n", "fail"),
        ("TrueFalse", "fail"),
        ("true false", "fail"),
        ("", "fail"),
    ],
)
def test_predict(course: Course, grader: Grader, answer: str, status: str) -> None:
    pred = item(course, "leaf-flags")
    assert isinstance(pred, Predict)
    result = grader.grade(pred, answer)
    assert result.status == status, result.message
    assert result.score == (pred.points if status == "pass" else 0)
    assert result.output == "True False\n"


# -- extra seeds --------------------------------------------------------------------------


def test_extra_seeds_are_stable_per_salt() -> None:
    a = extra_seeds("scale-noise", 3, "class-2026")
    assert len(a) == 3 and len(set(a)) == 3
    assert a == extra_seeds("scale-noise", 3, "class-2026")
    assert a != extra_seeds("scale-noise", 3, "another-salt")
    assert a != extra_seeds("weighted-sum", 3, "class-2026")
    assert extra_seeds("scale-noise", 2, "class-2026") == a[:2]
    assert extra_seeds("scale-noise", 0, "class-2026") == []


def test_extra_seeds_catch_a_hard_coded_answer(
    course: Course, pool: SandboxPool, grader: Grader
) -> None:
    ex = item(course, "scale-noise")
    noise, _ = setup_value(pool, ex, "noise", 0)
    code = f"import torch\ny = torch.tensor({floats(noise)!r}) * 3\n"
    assert grader.grade(ex, code).status == "pass"  # the only listed seed is 0

    strict = Grader(pool, ReferenceCache(enabled=False), extra_seed_count=2, seed_salt="s1")
    assert strict.seeds_for(ex) == [0, *extra_seeds(ex.id, 2, "s1")]
    result = strict.grade(ex, code)
    assert result.status == "fail"
    assert f"(seed {extra_seeds(ex.id, 2, 's1')[0]})" in result.message
    assert strict.grade(ex, RIGHT["scale-noise"]).status == "pass"


# -- the reference cache ------------------------------------------------------------------


class CountingRunner:
    """The shared pool, counting how often a reference solution or shown code is run."""

    def __init__(self, pool: SandboxPool) -> None:
        self.pool = pool
        self.reference_runs = 0

    def run(self, job: Job) -> RunResult:
        if job.code_name in ("<solution>", "<show>"):
            self.reference_runs += 1
        return self.pool.run(job)

    def torch_version(self) -> str:
        return self.pool.torch_version()


def test_reference_runs_once_and_survives_on_disk(
    course: Course, pool: SandboxPool, tmp_path: Path
) -> None:
    ex, pred = item(course, "weighted-sum"), item(course, "leaf-flags")
    folder = tmp_path / "refs"
    runner = CountingRunner(pool)
    grader = Grader(runner, ReferenceCache(folder=folder))
    assert grader.grade(ex, RIGHT["weighted-sum"]).status == "pass"
    assert grader.grade(pred, "True False").status == "pass"
    assert runner.reference_runs == len(ex.seeds) + 1
    assert grader.grade(ex, "w = 1").status == "fail"
    assert grader.grade(pred, "no").status == "fail"
    assert runner.reference_runs == len(ex.seeds) + 1
    files = sorted(folder.glob("*.json"))
    assert len(files) == len(ex.seeds) + 1
    for path in files:
        json.loads(path.read_text())  # plain JSON on disk

    again = CountingRunner(pool)
    fresh = Grader(again, ReferenceCache(folder=folder))
    assert fresh.grade(ex, RIGHT["weighted-sum"]).status == "pass"
    assert fresh.grade(pred, "True False").status == "pass"
    assert again.reference_runs == 0


def test_a_corrupt_cache_file_is_ignored(course: Course, pool: SandboxPool, tmp_path: Path) -> None:
    ex = item(course, "weighted-sum")
    folder = tmp_path / "refs"
    Grader(pool, ReferenceCache(folder=folder)).grade(ex, RIGHT["weighted-sum"])
    files = sorted(folder.glob("*.json"))
    assert files
    for path in files:
        path.write_bytes(b"\x00not json{")
    runner = CountingRunner(pool)
    result = Grader(runner, ReferenceCache(folder=folder)).grade(ex, RIGHT["weighted-sum"])
    assert result.status == "pass", result.message
    assert runner.reference_runs == len(ex.seeds)
    for path in files:
        json.loads(path.read_text())  # rewritten


@pytest.mark.parametrize("damage", ["{}", '{"values": 5}'])
def test_a_cache_file_with_the_wrong_shape_is_ignored(
    course: Course, pool: SandboxPool, tmp_path: Path, damage: str
) -> None:
    ex = item(course, "scale-noise")
    folder = tmp_path / "refs"
    Grader(pool, ReferenceCache(folder=folder)).grade(ex, RIGHT["scale-noise"])
    for path in folder.glob("*.json"):
        path.write_text(damage)
    result = Grader(pool, ReferenceCache(folder=folder)).grade(ex, RIGHT["scale-noise"])
    assert result.status == "pass"


# -- submission folders and the report ----------------------------------------------------

CONTRACT_TOP = {"version": int, "status": str, "score": int, "max_score": int, "exercises": list}
CONTRACT_ITEM = {
    "id": str,
    "lesson": str,
    "kind": str,
    "status": str,
    "score": int,
    "max_score": int,
    "duration_s": float,
    "message": str,
    "output": str,
    "checks": list,
}
CONTRACT_CHECK = {
    "expr": str,
    "message": str,
    "seed": int,
    "status": str,
    "expected": str,
    "got": str,
}


def assert_contract_json(data: dict) -> None:
    for key, kind in CONTRACT_TOP.items():
        assert isinstance(data[key], kind), key
    assert data["version"] == 1
    assert data["status"] in ("pass", "fail", "error")
    assert data["score"] == sum(e["score"] for e in data["exercises"])
    assert data["max_score"] == sum(e["max_score"] for e in data["exercises"])
    for entry in data["exercises"]:
        for key, kind in CONTRACT_ITEM.items():
            if kind is float:
                assert isinstance(entry[key], int | float) and not isinstance(entry[key], bool)
            else:
                assert isinstance(entry[key], kind), (entry["id"], key)
        assert entry["kind"] in ("exercise", "quiz", "predict")
        assert entry["status"] in ("pass", "fail", "error", "timeout", "missing")
        assert 0 <= entry["score"] <= entry["max_score"]
        assert len(entry["output"].encode()) <= 4096
        assert "\n" not in entry["message"]
        for check in entry["checks"]:
            assert set(check) == set(CONTRACT_CHECK)
            for key, kind in CONTRACT_CHECK.items():
                assert isinstance(check[key], kind), key
            assert check["status"] in ("pass", "fail")


def test_report_json_follows_the_contract(course: Course, grader: Grader, tmp_path: Path) -> None:
    folder = write_submission(
        tmp_path / "alice",
        {
            "weighted-sum": RIGHT["weighted-sum"].replace("(w * x)", "(w * x * 2)"),
            "leaf-in-place": "import torch\nfor i in range(3000):\n    print('#' * 10)\n"
            "w = torch.tensor([1.0], requires_grad=True)\nw.add_(1)\n",
            "scale-noise": "while True:\n    pass\n",
            "leaf-flags": "True False",
        },
    )
    report = grade_folder(course, folder, grader)
    data = json.loads(render(report, "json"))
    assert_contract_json(data)
    statuses = {e["id"]: e["status"] for e in data["exercises"]}
    assert statuses == {
        "weighted-sum": "fail",
        "leaf-in-place": "pass",
        "scale-noise": "timeout",
        "when-graph": "missing",
        "leaf-flags": "pass",
    }
    assert [e["id"] for e in data["exercises"]] == [i.id for i in course.items()]
    assert data["status"] == "fail"
    assert (data["score"], data["max_score"]) == (10, 35)
    printed = next(e for e in data["exercises"] if e["id"] == "leaf-in-place")
    assert printed["output"].startswith("#" * 10 + "\n")
    assert len(printed["output"].encode()) <= 4096 < 3000 * 11
    failed = next(e for e in data["exercises"] if e["id"] == "weighted-sum")
    assert {c["expr"] for c in failed["checks"] if c["status"] == "fail"} == {"w.grad", "y"}
    assert report.exit_code() == 1

    suites = ET.fromstring(render(report, "junit"))
    cases = {c.get("name"): c for c in suites.iter("testcase")}
    assert set(cases) == set(statuses)
    assert cases["weighted-sum"].find("failure") is not None
    assert cases["when-graph"].find("failure") is not None
    assert cases["scale-noise"].find("error") is not None
    assert cases["leaf-flags"].find("failure") is None and cases["leaf-flags"].find("error") is None

    text = render(report, "text")
    assert "score 10/35" in text
    assert "when-graph" in text and "MISSING" in text


def test_everything_right_exits_0(course: Course, grader: Grader, tmp_path: Path) -> None:
    report = grade_folder(course, write_submission(tmp_path / "bob", RIGHT), grader, jobs=2)
    assert [r.status for r in report.items] == ["pass"] * 5, [r.message for r in report.items]
    assert report.status == "pass"
    assert report.score == report.max_score == 35
    assert report.exit_code() == 0
    assert_contract_json(report.to_json())


def test_missing_answers_are_not_passed(course: Course, grader: Grader, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    report = grade_folder(course, folder, grader)
    assert {r.status for r in report.items} == {"missing"}
    assert report.status == "fail"
    assert report.exit_code() == 1
    quiz = next(r for r in report.items if r.id == "when-graph")
    assert "when-graph.txt" in quiz.message
    ex = next(r for r in report.items if r.id == "weighted-sum")
    assert "weighted-sum.py" in ex.message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("y = 'caf\u00e9'\n".encode("latin-1"), "not UTF-8"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "binary"),
        (b"y = noise * 3\n" + b"# padding\n" * 110_000, "1 MiB"),
    ],
    ids=["latin-1", "binary", "too-big"],
)
def test_unreadable_answer_files(
    course: Course, grader: Grader, tmp_path: Path, content: bytes, fragment: str
) -> None:
    folder = write_submission(tmp_path / "carol", {"scale-noise": content})
    report = grade_folder(course, folder, grader, only=["scale-noise"])
    (result,) = report.items
    assert result.status == "error"
    assert fragment in result.message and "scale-noise.py" in result.message
    assert report.exit_code() == 1


def test_answer_file_with_bom_and_crlf_is_fine(
    course: Course, grader: Grader, tmp_path: Path
) -> None:
    answer = "\ufeffimport torch\r\ny = noise * 3\r\n".encode()
    folder = write_submission(tmp_path / "dave", {"scale-noise": answer})
    (result,) = grade_folder(course, folder, grader, only=["scale-noise"]).items
    assert result.status == "pass", result.message


def test_only_selects_items_or_lessons(course: Course, grader: Grader, tmp_path: Path) -> None:
    folder = write_submission(tmp_path / "erin", {"when-graph": "2"})
    report = grade_folder(course, folder, grader, only=["when-graph"])
    assert [r.id for r in report.items] == ["when-graph"]
    assert report.exit_code() == 0
    everything = grade_folder(course, folder, grader, only=["grading-basics"], jobs=2)
    assert len(everything.items) == len(course.items())


def test_nothing_to_grade_or_no_folder_exits_2(
    course: Course, grader: Grader, tmp_path: Path
) -> None:
    gone = grade_folder(course, tmp_path / "nope", grader)
    assert gone.status == "error" and gone.exit_code() == 2
    assert "does not exist" in gone.to_json()["message"]
    (tmp_path / "sub").mkdir()
    none = grade_folder(course, tmp_path / "sub", grader, only=["no-such-item"])
    assert none.status == "error" and none.exit_code() == 2
    assert none.to_json()["exercises"] == []


def test_lesson_errors_exit_2_even_when_the_rest_passes(
    course: Course, grader: Grader, tmp_path: Path
) -> None:
    broken = tmp_path / "lessons"
    broken.mkdir()
    (broken / "01-grading-basics.md").write_text((LESSONS / "01-grading-basics.md").read_text())
    (broken / "02-broken.md").write_text("---\nid: broken\ntitle: Broken\nauthor: me\n---\n")
    mixed = load_course([broken])
    assert len(mixed.errors) == 1
    folder = write_submission(tmp_path / "frank", {"when-graph": "2"})
    report = grade_folder(mixed, folder, grader, only=["when-graph"])
    assert report.items[0].status == "pass"
    assert report.exit_code() == 2
    data = report.to_json()
    assert any("02-broken.md:4" in e for e in data["lesson_errors"])
