"""Parse errors an author meets, each with its file line and what to do (issue 15): unclosed
fences, info-string typos, "did you mean" for every key and role, the ``# raises`` marker,
block lines kept for lint, folders of lesson folders, ``requires`` and duplicate advice."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.grading.clean import cut_words
from tutor.lesson import LessonError, load_course, parse_lesson
from tutor.lesson.items import ALL_ROLES, EXERCISE_KEYS, HEADER_KINDS, PREDICT_KEYS, QUIZ_KEYS
from tutor.lesson.parse import FRONT_KEYS

F = "```"
HEAD = "---\nid: lesson\ntitle: A lesson\n---\n\n"


def lesson(body: str) -> str:
    return HEAD + textwrap.dedent(body).lstrip("\n")


def error_of(text: str) -> LessonError:
    with pytest.raises(LessonError) as info:
        parse_lesson(text, "x.md")
    return info.value


EXERCISE = f"""
{F}toml exercise
id = "ex"
{F}

{F}python solution
y = 1
{F}

{F}python check
y  # one
{F}
"""


# -- unclosed fences ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["python solution", "python", "toml exercise", "text"])
def test_an_unclosed_fence_at_the_end_of_the_file_is_an_error_at_its_line(role: str) -> None:
    text = lesson(EXERCISE + f"\n## More\n\n{F}{role}\nx = 1\n")
    err = error_of(text)
    lines = text.split("\n")
    assert err.line == len(lines) - lines[::-1].index(f"{F}{role}")  # the last one
    assert "never closed" in err.message
    assert f"add a '{F}' line after its last line" in err.message


def test_closed_fences_in_lists_quotes_and_tildes_are_fine() -> None:
    text = lesson(
        f"""
        - an item

          {F}python
          x = 1
          {F}

        > {F}python
        > y = 2
        > {F}

        ~~~~
        z
        ~~~~~
        """
    )
    assert parse_lesson(text, "x.md").id == "lesson"


def test_a_longer_fence_closes_only_with_as_many_backticks() -> None:
    text = lesson(f"````markdown\n{F}python\nx\n{F}\n")
    err = error_of(text)
    assert "'````markdown' block opened here is never closed" in err.message


# -- info strings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("info", "meant"),
    [
        ("py solution", "python solution"),
        ("pyhton check", "python check"),
        ("Python3 setup", "python setup"),
        ("python exercise", "toml exercise"),
        ("python quiz", "toml quiz"),
        ("toml check", "python check"),
        ("tml predict", "toml predict"),
    ],
)
def test_a_role_in_the_wrong_or_a_misspelt_language_says_what_was_meant(
    info: str, meant: str
) -> None:
    text = lesson(EXERCISE + f"\n{F}{info}\nx = 1\n{F}\n")
    err = error_of(text)
    assert err.line == text.split("\n").index(f"{F}{info}") + 1
    assert f"(did you mean '{meant}'?)" in err.message


def test_other_languages_with_a_second_word_stay_examples() -> None:
    text = lesson(
        EXERCISE + f"\n{F}bash setup\npip install torch\n{F}\n\n{F}text output\nhi\n{F}\n"
    )
    assert parse_lesson(text, "x.md").items[0].id == "ex"


# -- did you mean, for everything an author names ----------------------------------------


def _typo(word: str) -> str:
    """A likely slip: the first two neighbouring letters that differ swapped (a letter
    doubled for short words)."""
    if len(word) < 4:
        return word + word[-1]
    n = next(i for i in range(1, len(word) - 1) if word[i] != word[i + 1])
    return word[:n] + word[n + 1] + word[n] + word[n + 2 :]


HEADERS = {
    "exercise": (EXERCISE_KEYS, 'id = "ex"\n', f"\n{F}python solution\ny = 1\n{F}\n\n"
                 f"{F}python check\ny\n{F}\n"),
    "quiz": (QUIZ_KEYS, 'id = "q"\nquestion = "?"\nchoices = ["a", "b"]\nanswer = 1\n', ""),
    "predict": (PREDICT_KEYS, 'id = "p"\n', f"\n{F}python show\nprint(1)\n{F}\n"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "key"),
    [(kind, key) for kind, (keys, _, _) in HEADERS.items() for key in sorted(keys) if key != "id"],
)
def test_every_header_key_misspelt_gets_a_did_you_mean(kind: str, key: str) -> None:
    _, base, blocks = HEADERS[kind]
    wrong = _typo(key)
    text = lesson(f"{F}toml {kind}\n{base}{wrong} = 1\n{F}\n{blocks}")
    err = error_of(text)
    assert f"did you mean '{key}'?" in err.message, err.message
    assert err.line == text.split("\n").index(f"{wrong} = 1") + 1


@pytest.mark.parametrize("key", sorted(FRONT_KEYS))
def test_every_front_matter_key_misspelt_gets_a_did_you_mean(key: str) -> None:
    err = error_of(f"---\nid: l\ntitle: T\n{_typo(key)}: x\n---\n")
    assert f"did you mean '{key}'?" in err.message
    assert err.line == 4


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_block_role_misspelt_gets_a_did_you_mean(role: str) -> None:
    err = error_of(lesson(EXERCISE + f"\n{F}python {_typo(role)}\nx = 1\n{F}\n"))
    assert f"did you mean '{role}'?" in err.message


@pytest.mark.parametrize("kind", HEADER_KINDS)
def test_every_header_kind_misspelt_gets_a_did_you_mean(kind: str) -> None:
    err = error_of(lesson(f'{F}toml {_typo(kind)}\nid = "x"\n{F}\n'))
    assert f"did you mean '{kind}'?" in err.message


# -- what to do, for the messages an author meets first ------------------------------------


SOLVED = f"{F}python solution\ny = 1\n{F}\n\n"
ONE_EX = f'{F}toml exercise\nid = "e"\n{F}\n\n'
QUIZ_HEAD = f'{F}toml quiz\nid = "q"\n'


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        (f'{F}toml exercise\nid = "e"\nhints = ["a"\n{F}\n', "Write one key = value per line"),
        (
            ONE_EX + SOLVED + f"{F}python check\ny.backward(); y\n{F}\n",
            "statements (assignments, calls to run first) belong in the solution or setup",
        ),
        (
            ONE_EX + SOLVED + f"{F}python check\n# nothing\n{F}\n",
            "write one Python expression per line",
        ),
        (
            QUIZ_HEAD + f'question = "?"\nchoices = ["a", "b"]\n{F}\n',
            "add answer = N, the number of the right choice counting from 1",
        ),
        (QUIZ_HEAD + f'choices = ["a", "b"]\nanswer = 1\n{F}\n', 'add question = "..."'),
        (
            QUIZ_HEAD + f'question = "?"\nchoices = ["a", "b"]\nanswer = 3\n{F}\n',
            "is 3 but there are only 2 choices (1-based): give the number of the right choice, "
            "from 1 to 2",
        ),
        (
            f'{F}toml exercise\nid = "e"\nhints = "one"\n{F}\n\n'
            + SOLVED
            + f"{F}python check\ny\n{F}\n",
            "a nudge, then the concept, then the API",
        ),
        (EXERCISE + EXERCISE, "give this item another id"),
    ],
)
def test_parse_errors_say_what_to_do(text: str, advice: str) -> None:
    assert advice in error_of(lesson(text)).message


@pytest.mark.parametrize(
    ("header", "opened"),
    [
        ('id = "e"\nseeds = [0, 1, 2\nhints = ["a"]\n', "seeds = [0, 1, 2"),
        ('id = "e"\nhints = [\n  "a",\n  "b"\npoints = 3\n', "hints = ["),
    ],
)
def test_an_unclosed_list_is_reported_where_it_opens(header: str, opened: str) -> None:
    # TOML notices it on the next key's line; the author must fix the line with the '['
    text = lesson(f"{F}toml exercise\n{header}{F}\n")
    err = error_of(text)
    assert text.split("\n")[err.line - 1] == opened
    assert "Unclosed array: the '[' on this line has no ']'. Write one key = value" in err.message


def test_requires_and_duplicates_across_files_say_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "01-tensors.md").write_text("---\nid: tensors\ntitle: T\n---\n" + EXERCISE)
    (tmp_path / "02-next.md").write_text("---\nid: next\ntitle: N\nrequires: [tensor]\n---\n")
    (tmp_path / "03-again.md").write_text("---\nid: again\ntitle: A\n---\n" + EXERCISE)
    course = load_course([tmp_path])
    by_file = {Path(e.path).name: e for e in course.errors}
    req = by_file["02-next.md"]
    assert req.line == 4
    assert "(did you mean 'tensors'?): fix the id, or load the folder that has it" in req.message
    dup = by_file["03-again.md"]
    assert dup.line == 6 and "give this item another id" in dup.message


def test_requiring_a_lesson_whose_file_did_not_load_points_at_that_file(tmp_path: Path) -> None:
    # a broken lesson is reported at its own line; the lesson after it is not told to fix an
    # id that is right
    (tmp_path / "01-tensors.md").write_text(
        "---\nid: tensors\ntitle: T\n---\n" + EXERCISE.replace("id = ", "idd = ")
    )
    (tmp_path / "02-next.md").write_text("---\nid: next\ntitle: N\nrequires: [tensors]\n---\n")
    course = load_course([tmp_path])
    by_file = {Path(e.path).name: e for e in course.errors}
    assert "unknown key 'idd'" in by_file["01-tensors.md"].message
    req = by_file["02-next.md"]
    assert req.line == 4 and "which is no loaded lesson" not in req.message
    assert f"'tensors', whose file {tmp_path / '01-tensors.md'} did not load" in req.message
    assert "fix the error reported for that file first" in req.message


# -- the raises marker on a check -----------------------------------------------------------


def test_a_check_message_may_mark_an_expected_raise() -> None:
    text = lesson(
        f"""
        {F}toml exercise
        id = "ex"
        {F}

        {F}python solution
        seen = [1]
        {F}

        {F}python check
        seen[1]     # raises IndexError: only one value was recorded
        seen[2]     # raises IndexError
        seen[0]     # raises an error when empty (an ordinary message)
        seen        # raises: not a marker either
        {F}
        """
    )
    checks = parse_lesson(text, "x.md").items[0].checks
    assert [(c.raises, c.message) for c in checks] == [
        ("IndexError", "only one value was recorded"),
        ("IndexError", ""),
        (None, "raises an error when empty (an ordinary message)"),
        (None, "raises: not a marker either"),
    ]


def test_block_lines_are_kept_for_lint() -> None:
    text = lesson(
        f"""
        {F}toml exercise
        id = "ex"
        {F}

        {F}python setup
        import torch
        {F}

        {F}python starter
        y = ...
        {F}

        {F}python solution
        y = 1
        {F}

        {F}python check
        y  # one
        {F}

        {F}toml predict
        id = "p"
        {F}

        {F}python show
        print(1)
        {F}
        """
    )
    ex, pred = parse_lesson(text, "x.md").items
    lines = text.split("\n")
    assert ex.setup_line == lines.index("import torch") + 1
    assert ex.starter_line == lines.index(f"{F}python starter") + 1
    assert ex.solution_line == lines.index("y = 1") + 1
    assert pred.show_line == lines.index("print(1)") + 1


# -- folders of lesson folders ----------------------------------------------------------------


def test_a_folder_of_lesson_folders_loads_as_one_course(tmp_path: Path) -> None:
    course_dir = tmp_path / "course"
    for n, part in enumerate(["part-1", "part-2"], 1):
        folder = course_dir / part
        folder.mkdir(parents=True)
        (folder / f"0{n}-{part}.md").write_text(f"---\nid: {part}\ntitle: {part}\n---\n")
    (course_dir / ".hidden").mkdir()
    (course_dir / ".hidden" / "01-x.md").write_text("---\nid: hidden\ntitle: H\n---\n")
    (course_dir / "venv").mkdir()
    (course_dir / "venv" / "pyvenv.cfg").write_text("")
    (course_dir / "venv" / "01-y.md").write_text("---\nid: venv-lesson\ntitle: V\n---\n")
    course = load_course([course_dir])
    assert [le.id for le in course.lessons] == ["part-1", "part-2"]
    assert not course.errors


def test_cut_words_never_cuts_inside_a_word() -> None:
    text = "the quick brown fox jumps over the lazy dog " * 10
    cut = cut_words(text, 50)
    assert len(cut) <= 50 and cut.endswith(" ...")
    assert text.startswith(cut[: -len(" ...")] + " ")
    assert cut_words("short", 50) == "short"
    assert cut_words("x" * 100, 20) == "x" * 16 + " ..."  # one long word: cut it, say so
