"""Fuzzing the lesson parser: any text either loads or raises LessonError naming file:line."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.lesson import Exercise, LessonError, parse_lesson
from tutor.lesson.load import load_course

HERE = Path(__file__).resolve().parent
SEED_LESSON = (HERE.parent / "core" / "lessons" / "01-grading-basics.md").read_text()
PIECES = [
    "---\n", "id: x\n", "title: T\n", "requires: [a]\n", "```toml exercise\n",
    "```toml quiz\n", "```toml predict\n", "```python solution\n", "```python check\n",
    "```python show\n", "```python setup\n", "```python starter\n", "```\n", "id = \"e\"\n",
    "seeds = [0, 1]\n", "answer = 2\n", "choices = [\"a\", \"b\"]\n", "question = \"q\"\n",
    "w.grad  # msg\n", "x = (\n", "# Heading\n", "~~~python check\n", "    ```\n", "> ```\n",
    "points = -1\n", "timeout = 0\n", "raises = \"1x\"\n", "\ufeff", "\r\n", "\x00", "ä\n",
    # version 1.1: rules and counterexamples
    "```python wrong\n", "```python accept\n", "# a shortcut\n", "#\n", "w.grad = 5\n",
    "forbid = [\"torch.autograd.grad\", \".data\"]\n", "require = [\"backward\"]\n",
    "rules_message = \"why\"\n", "forbid = [\"a..b\"]\n", "require = [\"np.polyfit\"]\n",
    "forbid = [\"numpy.polyfit\"]\n", "forbidd = []\n", "```python wrnog\n",
]  # fmt: skip

settings.register_profile("tutor", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("tutor")


def parses_or_names_a_line(text: str) -> None:
    try:
        lesson = parse_lesson(text, "fuzz.md")
    except LessonError as exc:
        assert exc.path == Path("fuzz.md")
        assert exc.line >= 0
        assert str(exc).startswith("fuzz.md:")
        assert exc.message.strip()
    else:
        assert lesson.id and lesson.title
        for item in lesson.items:
            assert item.line > 0
            if isinstance(item, Exercise):
                for block in (*item.wrong, *item.accept):
                    assert block.line > item.line
                assert all(block.label for block in item.wrong)
                assert not (item.rules_message and not item.has_rules)


@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    parses_or_names_a_line(text)


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_lesson_shaped_fragments(pieces: list[str]) -> None:
    parses_or_names_a_line("".join(pieces))


@given(st.data())
def test_mutations_of_a_good_lesson(data: st.DataObject) -> None:
    text = SEED_LESSON
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            end = data.draw(st.integers(at, min(len(text), at + 40)))
            text = text[:at] + text[end:]
        elif action == "insert":
            text = text[:at] + data.draw(st.sampled_from(PIECES)) + text[at:]
        else:
            end = data.draw(st.integers(at, min(len(text), at + 80)))
            text = text[:end] + text[at:end] + text[end:]
    parses_or_names_a_line(text)


@given(st.binary(max_size=300))
def test_bytes_on_disk_never_stop_the_other_lessons(tmp_path_factory, raw: bytes) -> None:
    folder = tmp_path_factory.mktemp("course")
    (folder / "01-good.md").write_text(SEED_LESSON)
    (folder / "02-fuzz.md").write_bytes(raw)
    course = load_course([folder])
    assert [lesson.path.name for lesson in course.lessons][:1] == ["01-good.md"]
    for err in course.errors:
        assert err.path.name == "02-fuzz.md"


ENTRY_CHARS = st.sampled_from(list("abcz_.() 1-Fnp*"))
RULED = """---
id: ruled
title: Ruled
---

```toml exercise
id = "ex"
forbid = {forbid}
require = {require}
```

```python solution
x = 1
```

```python check
x
```

```python wrong
# {label}
{code}
```
"""


@given(
    st.lists(st.text(ENTRY_CHARS, max_size=12), max_size=4),
    st.lists(st.text(ENTRY_CHARS, max_size=12), max_size=3),
    st.text(max_size=30),
    st.text(max_size=60),
)
def test_rule_entries_and_counterexamples(
    forbid: list[str], require: list[str], label: str, code: str
) -> None:
    text = RULED.format(
        forbid=json.dumps(forbid), require=json.dumps(require), label=label, code=code
    )
    try:
        lesson = parse_lesson(text, "fuzz.md")
    except LessonError as exc:
        assert str(exc).startswith("fuzz.md:")
        lines = text.split("\n")
        if "forbid" in exc.message or "require" in exc.message or "entry" in exc.message:
            assert lines[exc.line - 1].startswith(("forbid", "require")), exc
    else:
        [ex] = lesson.items
        assert ex.forbid == tuple(forbid) and ex.require == tuple(require)
        assert len(ex.wrong) == 1 and ex.wrong[0].label
