"""Fuzzing the lesson parser: any text either loads or raises LessonError naming file:line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.lesson import LessonError, parse_lesson
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
