"""docs/lesson-format.md stays honest (issue 15): every key, role and block kind the parser
accepts, every ``trace`` field and every result field is in it; every whole lesson in it
(a ````markdown lesson```` fence) parses and passes ``tutor lint --strict``; its TOML, JSON
and Python fragments parse; the README and the authoring guide link to it."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from markdown_it import MarkdownIt

from tutor.cli.main import main
from tutor.lesson import parse_lesson
from tutor.lesson.items import ALL_ROLES, EXERCISE_KEYS, HEADER_KINDS, PREDICT_KEYS, QUIZ_KEYS
from tutor.lesson.parse import FRONT_KEYS

if TYPE_CHECKING:
    from conftest import BorrowedPool

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "lesson-format.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCES = [t for t in MarkdownIt("commonmark").parse(TEXT) if t.type == "fence"]
LESSONS = [t.content for t in FENCES if t.info.split()[:2] == ["markdown", "lesson"]]


def documented(name: str) -> bool:
    return f"`{name}`" in TEXT


@pytest.mark.parametrize(
    ("where", "keys"),
    [
        ("front matter", FRONT_KEYS),
        ("toml exercise", EXERCISE_KEYS),
        ("toml quiz", QUIZ_KEYS),
        ("toml predict", PREDICT_KEYS),
    ],
)
def test_every_key_the_parser_accepts_is_documented(where: str, keys: set[str]) -> None:
    missing = sorted(k for k in keys if not documented(k))
    assert not missing, f"{where} keys missing from {DOC.name}: {missing}"


def test_every_block_role_and_kind_is_documented() -> None:
    for role in ALL_ROLES:
        assert documented(f"python {role}"), role
    for kind in HEADER_KINDS:
        assert documented(f"toml {kind}"), kind


def test_every_trace_field_is_documented() -> None:
    """The public names of ``TraceView`` (read from its source: the test imports no torch)."""
    source = (REPO / "tutor" / "sandbox" / "trace.py").read_text()
    view = next(
        n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == "TraceView"
    )
    names = [
        f.name for f in view.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")
    ]
    assert len(names) >= 10
    missing = [n for n in names if not re.search(rf"`{n}(\(|`)", TEXT)]
    assert not missing, f"trace fields missing from {DOC.name}: {missing}"


def test_every_result_field_is_documented() -> None:
    from tutor.grading.results import CheckResult, ItemResult
    from tutor.grading.session import Report

    item = ItemResult("a", "l", "exercise", "error", 0, 1, line=3, internal=True)
    item.flags, item.checks_omitted, item.lesson_error = ["network"], 1, True
    item.checks = [CheckResult("x", "m", 0, "fail", "1", "2")]
    data = Report(items=[item], lesson_errors=[ValueError("x")], problem="p").to_json()
    fields = set(data) | set(data["exercises"][0]) | set(data["exercises"][0]["checks"][0])
    missing = sorted(f for f in fields if not documented(f) and f'"{f}"' not in TEXT)
    assert not missing, f"result fields missing from {DOC.name}: {missing}"


def test_fragments_parse() -> None:
    for fence in FENCES:
        info = fence.info.split()
        if info == ["toml"]:
            tomllib.loads(fence.content)
        elif info == ["json"]:
            json.loads(fence.content)
        elif info == ["python"]:
            compile(fence.content, "<doc>", "exec")


def test_the_readme_and_the_guide_link_to_the_reference() -> None:
    assert "docs/lesson-format.md" in (REPO / "README.md").read_text()
    assert "(lesson-format.md" in (REPO / "docs" / "authoring.md").read_text()


def test_every_lesson_in_the_reference_parses_and_lints_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], borrowed_pool: type[BorrowedPool]
) -> None:
    assert len(LESSONS) >= 3
    kinds = set()
    for n, text in enumerate(LESSONS, 1):
        path = tmp_path / f"{n:02d}-example.md"
        path.write_text(text, encoding="utf-8")
        kinds |= {item.kind for item in parse_lesson(text, path).items}
    assert kinds == set(HEADER_KINDS)  # the reference shows each item kind whole
    code = main(["lint", str(tmp_path), "--strict", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(LESSONS)} lessons" in out and "0 error(s), 0 warning(s)" in out
