"""The ``tutor`` command in-process: grade / lint / list, exit codes and report formats.

Each ``tutor grade`` or ``tutor lint`` starts its own sandbox pool (seconds). One test does
that end to end; the others hand the command the session's warm pool (``borrowed_pool``),
recording what the command asked the pool for.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tutor.cli.main import main

if TYPE_CHECKING:
    from conftest import BorrowedPool  # the fixture's type (tests/core/conftest.py)

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
    # two sandboxes (learners' code, reference solutions), both closed at the end and both
    # kept away from the lesson files and the reference cache
    learner, reference = borrowed_pool.made
    assert learner.closed and reference.closed
    assert reference.runs >= 1  # the predict's shown code is reference material
    for made in (learner, reference):
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
    raising_line = line_of(BAD_LESSON, "y = y / 0")  # the file line of the raise
    assert f"{first}:{raising_line}: error: broken-solution: the solution raised " in out
    assert f"    {first}:{raising_line}: y = y / 0" in out  # its traceback, in file lines
    assert "ZeroDivisionError" in out
    starter_line = next(
        n
        for n, line in enumerate(BAD_LESSON.split("\n"), 1)
        if line == f"{FENCE}python starter" and n > line_of(BAD_LESSON, "free-points")
    )
    assert f"{first}:{starter_line}: error: free-points: the starter already passes" in out
    assert "tutor lint" not in out  # lint never tells its reader to run lint
    assert f"{second}:{line_of(UNPARSABLE, 'y = (1 +')}:" in out
    assert "syntax error" in out


def test_lint_good_lessons_exit_0(
    capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    code = main(["lint", str(LESSONS), "--jobs", "1", "--strict"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "5 items: 0 error(s), 0 warning(s)" in out


# -- hostile submissions through the command (issue 13: a grader that trusts nothing) -------

HOSTILE_LESSON = f"""---
id: hostile-out
title: Hostile output
---

## Exercise: make y

{FENCE}toml exercise
id = "make-y"
{FENCE}

{FENCE}python solution
y = 2
{FENCE}

{FENCE}python check
y  # the value
{FENCE}

## Exercise: raise

{FENCE}toml exercise
id = "raiser"
{FENCE}

{FENCE}python solution
z = 1
{FENCE}

{FENCE}python check
z  # the value
{FENCE}

{FENCE}toml quiz
id = "pick"
question = "Which?"
choices = ["a", "b"]
answer = 2
{FENCE}
"""

HOSTILE_ANSWERS = {
    # a check value whose repr is a 60 MB str that says its len() is 1, and output that
    # holds a lone surrogate, NUL, terminal escapes and XML-illegal characters
    "make-y.py": (
        "class L(str):\n"
        "    def __len__(self):\n"
        "        return 1\n"
        "class O:\n"
        "    def __repr__(self):\n"
        "        return L('x' * 60_000_000)\n"
        "y = O()\n"
        "print('\\ud800 lone')\n"
        "print('\\x1b[2J\\x00' * 10, 'é€😀\\ufffe\\uffff\\x0b\\x0c')\n"
        "import sys\n"
        "sys.stderr.write('\\udcff\\x07 err\\n')\n"
    ),
    "raiser.py": (
        "print('\\x1b]0;pwned\\x07' * 3)\n"
        "raise ValueError('\\x00\\x1b]0;pwn\\x07' + '\\ud800' * 10 + ']]>' + 'A' * 100000)\n"
    ),
}
CONTROL_CHARS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]


def hostile_setup(tmp_path: Path) -> tuple[Path, Path]:
    """A lesson folder and a learner folder whose answers attack the reports; its pick.txt
    is a symlink to /etc/passwd."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-hostile.md").write_text(HOSTILE_LESSON, encoding="utf-8")
    folder = submission(tmp_path / "class" / "ann", {})
    for name, text in HOSTILE_ANSWERS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "pick.txt").symlink_to("/etc/passwd")
    return lessons, folder


def check_hostile_json(out: str) -> None:
    assert out.isascii() and len(out) < 64_000
    data = json.loads(out)
    by_id = {e["id"]: e for e in data["exercises"]}
    assert {i: e["status"] for i, e in by_id.items()} == {
        "make-y": "fail",
        "raiser": "error",
        "pick": "error",
    }
    assert by_id["pick"]["message"] == "pick.txt is a symbolic link, not a regular file: not read"
    assert "root:" not in out
    (check,) = by_id["make-y"]["checks"]
    # cut to 2 KiB here, or refused as a str subclass by the sandbox's encoder ("<O>")
    assert check["got"].endswith("... (cut)") or check["got"] == "<O>"
    assert len(check["got"].encode()) <= 2048
    assert " lone" in by_id["make-y"]["output"]  # the surrogate before it: U+FFFD or "?"
    for entry in by_id.values():
        text = entry["message"] + entry["output"]
        assert not any(c in text for c in CONTROL_CHARS)
        assert len(entry["message"].encode()) <= 1024
        text.encode("utf-8")  # no lone surrogates


def test_grade_hostile_output_gives_valid_reports_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    lessons, folder = hostile_setup(tmp_path)
    base = ["grade", str(folder), "--lessons", str(lessons), "--jobs", "1"]
    assert main([*base, "--format", "json"]) == 1
    check_hostile_json(capsys.readouterr().out)

    assert main([*base, "--format", "junit"]) == 1
    out = capsys.readouterr().out
    assert out.isascii() and "root:" not in out
    cases = {c.get("name"): c for c in ET.fromstring(out).iter("testcase")}
    assert set(cases) == {"make-y", "raiser", "pick"}
    assert cases["raiser"].find("error") is not None
    assert "]]>" in (cases["raiser"].find("error").get("message") or "")  # type: ignore[union-attr]

    assert main([*base, "--format", "text"]) == 1
    out = capsys.readouterr().out
    lines = out.rstrip("\n").split("\n")
    assert [line.split()[0] for line in lines[:3]] == ["FAIL", "ERROR", "ERROR"]
    assert lines[-1].startswith("score 0/25:")
    assert not any(c in out for c in CONTROL_CHARS)


def test_grade_refuses_a_symlinked_submission_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    lessons, folder = hostile_setup(tmp_path)
    (tmp_path / "eve").symlink_to(folder)
    code = main(["grade", str(tmp_path / "eve"), "--lessons", str(lessons), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2 and data["status"] == "error"
    assert data["message"] == "submission folder eve is a symbolic link: not followed, not graded"
    assert {e["status"] for e in data["exercises"]} == {"error"}
    assert borrowed_pool.made[0].runs == 0  # nothing of ann's was run


def test_grade_batch_hostile_class_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    lessons, ann = hostile_setup(tmp_path)
    root = ann.parent
    submission(root / '=HYPERLINK("x","y")', {"make-y.py": "y = 2\n", "pick.txt": "2"})
    submission(root / "esc\x1b[2J\x07", {"raiser.py": "z = 1\n"})
    (root / "eve").symlink_to(ann)  # another learner's folder
    (root / "slash").symlink_to("/")
    results = tmp_path / "results"
    base = ["grade", "--batch", str(root), "--lessons", str(lessons), "--jobs", "2"]
    base += ["--results-dir", str(results)]
    labels = {"ann", '=HYPERLINK("x","y")', "esc\\x1b[2J\\x07", "eve", "slash"}

    assert main([*base, "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err  # progress lines show the escaped name
    data = json.loads(captured.out)
    by_name = {s["learner"]: s for s in data["learners"]}
    assert set(by_name) == labels
    assert by_name["eve"]["status"] == by_name["slash"]["status"] == "error"
    assert "symbolic link" in by_name["eve"]["message"]
    assert by_name['=HYPERLINK("x","y")']["items"] == {
        "make-y": "pass",
        "raiser": "missing",
        "pick": "pass",
    }
    check_hostile_json((results / "ann.json").read_text())
    assert {p.parent for p in results.iterdir()} == {results}
    assert len(list(results.iterdir())) == len(labels)

    assert main([*base, "--format", "csv"]) == 1
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:4] == ["learner", "status", "score", "max_score"]
    cells = {r[0] for r in rows[1:]}
    assert '\'=HYPERLINK("x","y")' in cells and len(cells) == len(labels)

    assert main([*base, "--format", "junit"]) == 1
    suites = ET.fromstring(capsys.readouterr().out)
    assert {s.get("name") for s in suites} == labels

    assert main([*base, "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert not any(c in out for c in CONTROL_CHARS)
    assert out.rstrip("\n").split("\n")[-1].startswith("0/5 learners passed")


@pytest.mark.parametrize(
    ("env", "batch"),
    [
        ({"PYTHONIOENCODING": "ascii"}, False),
        ({"LANG": "C", "LC_ALL": "C"}, True),
    ],
    ids=["ascii-stdout", "C-locale-batch"],
)
def test_grade_text_on_a_narrow_terminal_prints_the_whole_report(
    tmp_path: Path, env: dict[str, str], batch: bool
) -> None:
    """A real ``tutor grade`` process (its own sandbox) whose stdout cannot encode the
    learner's text: escapes instead of a UnicodeEncodeError and an empty report."""
    lessons, folder = hostile_setup(tmp_path)
    submission(folder.parent / "josé", {"make-y.py": "y = 2\nprint('é')\n"})
    where = ["--batch", str(folder.parent), "--results-dir", str(tmp_path / "r")]
    args = where if batch else [str(folder)]
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    environ.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "tutor", "grade", *args, "--lessons", str(lessons), "--jobs", "1"],
        capture_output=True,
        env=environ,
        cwd=tmp_path,
        timeout=240,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    # an ASCII stdout gets only ASCII; the C locale is UTF-8 to Python (PEP 538/540)
    out = proc.stdout.decode("utf-8" if batch else "ascii")
    lines = out.rstrip("\n").split("\n")
    if batch:
        assert lines[-1].startswith("0/2 learners passed")
        assert any("josé" in line for line in lines)
        assert "graded jos" in err  # the progress lines were written too
    else:
        assert lines[-1].startswith("score 0/25:")
        assert lines[1].startswith("ERROR    raiser") and "pwn" in lines[1]
        assert "\x1b" not in out and "\x00" not in out


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
