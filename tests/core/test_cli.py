"""The ``tutor`` command in-process: grade / lint / list, exit codes and report formats.

Each ``tutor grade`` or ``tutor lint`` starts its own sandbox pool (seconds). One test does
that end to end; the others hand the command the session's warm pool (``borrowed_pool``),
recording what the command asked the pool for.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import ClassVar

import pytest

from tutor.cli.main import main
from tutor.sandbox import Job, RunResult, SandboxPool

LESSONS = Path(__file__).resolve().parent / "lessons"
FENCE = "```"

RIGHT = {
    "weighted-sum.py": (
        "import torch\nw = torch.ones(3, requires_grad=True)\ny = (w * x).sum()\ny.backward()\n"
    ),
    "leaf-in-place.py": "import torch\nw = torch.tensor([1.0], requires_grad=True)\nw.add_(1)\n",
    "scale-noise.py": "y = noise + noise + noise\n",
    "when-graph.txt": "2\n",
    "leaf-flags.txt": "True  False\n",
}


def submission(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


class BorrowedPool:
    """Stands in for ``SandboxPool`` in the factory: runs on the shared warm pool."""

    made: ClassVar[list[BorrowedPool]] = []
    shared: ClassVar[SandboxPool]

    def __init__(self, size: int = 1, **kwargs) -> None:
        self.size, self.kwargs = size, kwargs
        self.runs = 0
        self.closed = False
        BorrowedPool.made.append(self)

    def run(self, job: Job) -> RunResult:
        assert not self.closed
        self.runs += 1
        return self.shared.run(job)

    def torch_version(self) -> str:
        return self.shared.torch_version()

    def start_background(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> BorrowedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture
def borrowed_pool(pool: SandboxPool, monkeypatch: pytest.MonkeyPatch) -> type[BorrowedPool]:
    BorrowedPool.made = []
    BorrowedPool.shared = pool
    monkeypatch.setattr("tutor.grading.factory.SandboxPool", BorrowedPool)
    return BorrowedPool


# -- tutor grade --------------------------------------------------------------------------


def test_grade_json_fail_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = {**RIGHT, "weighted-sum.py": RIGHT["weighted-sum.py"].replace("(w * x)", "(w + x)")}
    del answers["leaf-flags.txt"]
    folder = submission(tmp_path / "alice", answers)
    code = main(
        ["grade", str(folder), "--lessons", str(LESSONS), "--format", "json", "--jobs", "1"]
    )
    out = capsys.readouterr().out
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1 and data["status"] == "fail"
    assert (data["score"], data["max_score"]) == (20, 35)
    by_id = {e["id"]: e for e in data["exercises"]}
    assert {i: e["status"] for i, e in by_id.items()} == {
        "weighted-sum": "fail",
        "leaf-in-place": "pass",
        "scale-noise": "pass",
        "when-graph": "pass",
        "leaf-flags": "missing",
    }
    failed = [c for c in by_id["weighted-sum"]["checks"] if c["status"] == "fail"]
    assert {c["expr"] for c in failed} == {"w.grad", "y"}
    assert all(set(c) == {"expr", "message", "seed", "status", "expected", "got"} for c in failed)
    assert by_id["weighted-sum"]["lesson"] == "grading-basics"
    assert (tmp_path / "ref-cache").is_dir()  # TUTOR_CACHE_DIR, not the user's cache


def test_grade_junit_to_a_file_with_only_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    folder = submission(tmp_path / "bob", {"when-graph.txt": "2", "leaf-flags.txt": "True False"})
    report = tmp_path / "out" / "report.xml"
    report.parent.mkdir()
    args = ["grade", str(folder), "--lessons", str(LESSONS), "--jobs", "1"]
    args += ["--format", "junit", "--output", str(report), "--only", "when-graph"]
    args += ["--only", "leaf-flags"]
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""  # the report went to the file
    assert "score 10/10" in captured.err  # and a summary for the person at the terminal
    root = ET.parse(report).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"when-graph", "leaf-flags"}
    assert all(c.find("failure") is None and c.find("error") is None for c in cases.values())
    # one pool, closed at the end, kept away from the lesson files and the reference cache
    (made,) = borrowed_pool.made
    assert made.closed and made.runs >= 1
    assert str(LESSONS) in made.kwargs["secrets"]
    assert str((tmp_path / "ref-cache").resolve()) in made.kwargs["secrets"]


def test_grade_broken_lesson_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    shutil.copy(LESSONS / "01-grading-basics.md", lessons)
    broken = "---\nid: broken\ntitle: Broken\n---\n\n" + (
        f'{FENCE}toml exercise\nid = "oops"\npointz = 3\n{FENCE}\n'
    )
    (lessons / "02-broken.md").write_text(broken)
    folder = submission(tmp_path / "carol", {"when-graph.txt": "2"})
    args = ["grade", str(folder), "--lessons", str(lessons), "--only", "when-graph"]
    code = main([*args, "--format", "json", "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 2
    where = f"{lessons / '02-broken.md'}:{line_of(broken, 'pointz')}:"
    assert where in captured.err
    data = json.loads(captured.out)
    assert [e["status"] for e in data["exercises"]] == ["pass"]  # the rest is still graded
    assert any(where in e for e in data["lesson_errors"])


def test_grade_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["grade", str(tmp_path / "no-such-folder"), "--lessons", str(LESSONS)])
    assert code == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "sub").mkdir()
    code = main(["grade", str(tmp_path / "sub"), "--lessons", str(LESSONS), "--extra-seeds", "-1"])
    assert code == 2
    with pytest.raises(SystemExit) as info:
        main(["grade", str(tmp_path / "sub"), "--format", "yaml"])
    assert info.value.code == 2


# -- tutor list ---------------------------------------------------------------------------


def test_list_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    assert main(["list", "--lessons", str(LESSONS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == []
    (lesson,) = data["lessons"]
    assert lesson["id"] == "grading-basics"
    assert lesson["requires"] == []
    assert [(i["id"], i["kind"], i["points"]) for i in lesson["items"]] == [
        ("weighted-sum", "exercise", 10),
        ("leaf-in-place", "exercise", 5),
        ("scale-noise", "exercise", 10),
        ("when-graph", "quiz", 5),
        ("leaf-flags", "predict", 5),
    ]
    assert "solution" not in json.dumps(data)

    # the same folder through TUTOR_LESSONS, plus a broken one: exit 2, error with file:line
    broken = tmp_path / "more"
    broken.mkdir()
    (broken / "01-bad.md").write_text("---\nid: bad\ntitle: Bad\nauthor: me\n---\n")
    monkeypatch.setenv("TUTOR_LESSONS", f"{LESSONS}:{broken}")
    assert main(["list", "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert [le["id"] for le in data["lessons"]] == ["grading-basics"]
    assert data["errors"] == [f"{broken / '01-bad.md'}:4: " + data["errors"][0].split(": ", 1)[1]]


# -- tutor lint ---------------------------------------------------------------------------

BAD_LESSON = f"""---
id: lint-me
title: Lint me
---

## Exercise: a broken solution

Compute y.

{FENCE}toml exercise
id = "broken-solution"
hints = ["a hint"]
{FENCE}

{FENCE}python starter
y = ...
{FENCE}

{FENCE}python solution
y = 2
y = y / 0
{FENCE}

{FENCE}python check
y   # the value
{FENCE}

## Exercise: a starter that already passes

Set y to 2.

{FENCE}toml exercise
id = "free-points"
hints = ["a hint"]
{FENCE}

{FENCE}python starter
y = 2
{FENCE}

{FENCE}python solution
y = 1 + 1
{FENCE}

{FENCE}python check
y   # the value
{FENCE}
"""

UNPARSABLE = f"""---
id: unparsable
title: Unparsable
---

{FENCE}toml exercise
id = "bad-syntax"
{FENCE}

{FENCE}python solution
y = (1 +
{FENCE}

{FENCE}python check
y
{FENCE}
"""


def test_lint_reports_problems_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    folder = tmp_path / "authoring"
    folder.mkdir()
    (folder / "01-lint-me.md").write_text(BAD_LESSON)
    (folder / "02-unparsable.md").write_text(UNPARSABLE)
    code = main(["lint", str(folder), "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1
    first, second = folder / "01-lint-me.md", folder / "02-unparsable.md"
    solution_line = line_of(BAD_LESSON, f"{FENCE}python solution") + 1
    assert f"{first}:{solution_line}: error: broken-solution:" in out
    assert "ZeroDivisionError" in out
    header_line = line_of(BAD_LESSON, 'id = "free-points"') - 1
    assert f"{first}:{header_line}: error: free-points: the starter already passes" in out
    assert f"{second}:{line_of(UNPARSABLE, 'y = (1 +')}:" in out
    assert "syntax error" in out


def test_lint_good_lessons_exit_0(
    capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    code = main(["lint", str(LESSONS), "--jobs", "1", "--strict"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "5 items: 0 error(s), 0 warning(s)" in out


def test_version_names_the_distribution(capsys: pytest.CaptureFixture[str]) -> None:
    """``tutor`` on the package index is another project: ours is autograd-tutor, and the
    command, the metadata and ``--version`` agree."""
    from importlib import metadata

    from tutor import DISTRIBUTION, __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"autograd-tutor {__version__}"
    dist = metadata.distribution(DISTRIBUTION)
    assert dist.version == __version__
    scripts = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
    assert scripts == {"tutor": "tutor.cli.main:main", "autograd-tutor": "tutor.cli.main:main"}
    assert "Intended Audience :: Education" in dist.metadata.get_all("Classifier")
    assert "autograd" in dist.metadata["Keywords"]


def test_global_options_reach_the_command(tmp_path: Path, capsys, monkeypatch) -> None:
    """``tutor --lessons DIR list`` (the option before the command) is not reset by it."""
    code = main(["list", "--lessons", str(LESSONS)])
    after = capsys.readouterr().out
    assert main(["--lessons", str(LESSONS), "list"]) == code
    assert capsys.readouterr().out == after and "weighted-sum" in after
