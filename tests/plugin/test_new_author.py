"""Issue 15's "done when": a new author makes the ten classic mistakes and gets, for every one,
the file, the line and what to do, from ``tutor lint`` and from ``pytest`` alike.

One fixture lesson per mistake in ``mistakes/`` (``00-tensors.md`` is a clean lesson the
duplicate id and the misspelt ``requires`` refer to). Both tools load the folder as one
course and run the same checks in real sandboxes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli.main import main

MISTAKES = Path(__file__).resolve().parent / "mistakes"

# (file, a text on the line the problem must name, level, the advice it must give)
EXPECTED = [
    ("01-typo-key.md", "pionts = 5", "error",
     "unknown key 'pionts' in 'toml exercise' (did you mean 'points'?)"),
    ("02-bad-toml.md", 'hints = ["forgot', "error",
     "is not valid TOML: Unclosed array at the end of the block. Write one key = value per line"),
    ("03-two-statements.md", "y = y + 1; y", "error",
     "Write one expression per line, e.g. 'w.grad  # the gradient of y'; statements"),
    ("04-duplicate-id.md", "```toml exercise", "error",
     "id 'double-it' is already used at"),
    ("05-missing-requires.md", "requires: [tensor]", "error",
     "'requires' names 'tensor', which is no loaded lesson (did you mean 'tensors'?): fix the id"),
    ("06-raising-solution.md", "y = x[n]", "error",
     "the solution raised IndexError: index 3 is out of bounds for dimension 0 with size 3 "
     "(seed 0): fix the solution"),
    ("07-passing-starter.md", "```python starter", "error",
     "the starter already passes: a learner would get points for nothing; leave the answer "
     "out of it"),
    ("08-raising-check.md", "seen[1]", "warning",
     "check 'seen[1]' raises IndexError with the reference solution"),
    ("09-nondeterministic-predict.md", "id(w))", "error",
     "the shown code prints something different on each run"),
    ("10-missing-title.md", "id: missing-title", "error",
     "front matter needs 'title: Some title' (a string)"),
]  # fmt: skip
MORE_ADVICE = {
    "04-duplicate-id.md": "give this item another id",
    "08-raising-check.md": "fix the check, or, if the raise is the point, mark it: "
    "'seen[1]  # raises IndexError: the second value'",
    "09-nondeterministic-predict.md": "print only what the code decides (no id(), time",
}


def where(name: str, needle: str) -> str:
    lines = (MISTAKES / name).read_text().split("\n")
    line = next(n for n, text in enumerate(lines, 1) if needle in text)
    return f"{name}:{line}:"


def assert_every_mistake_named(out: str) -> None:
    for name, needle, level, advice in EXPECTED:
        heads = [li for li in out.split("\n") if f"{where(name, needle)} {level}: " in li]
        assert heads, f"{name}: no '{where(name, needle)} {level}:' in\n{out}"
        assert any(advice in head for head in heads), f"{name}: {advice!r} not in {heads}"
        if name in MORE_ADVICE:
            assert any(MORE_ADVICE[name] in head for head in heads), heads


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUTOR_LESSONS", raising=False)


def test_tutor_lint_names_every_mistake_with_file_line_and_advice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["lint", str(MISTAKES), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert_every_mistake_named(out)
    assert "double-it" not in out.replace("'double-it' is already used", "")  # 00 is clean
    assert "9 error(s), 1 warning(s)" in out
    assert "tutor lint" not in out


def test_pytest_names_every_mistake_with_file_line_and_advice(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(str(MISTAKES), "-p", "no:cacheprovider", "-rA")
    out = result.stdout.str()
    assert_every_mistake_named(out)
    # one failing item per broken file, the clean lesson and the warned one pass
    result.assert_outcomes(passed=2, failed=9, warnings=1)
    # the warnings summary names the lesson's line, not the plugin's
    assert f"{where('08-raising-check.md', 'seen[1]')} TutorLintWarning: " in out
    assert "pytest_plugin.py" not in out
    strict = pytester.runpytest_subprocess(
        str(MISTAKES), "-p", "no:cacheprovider", "--tutor-strict", "-k", "raising"
    )
    strict.assert_outcomes(failed=2)  # raising-check (its warning) and raising-solution
    assert f"{where('08-raising-check.md', 'seen[1]')} error: " in strict.stdout.str()
