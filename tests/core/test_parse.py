"""Lesson files -> model (LESSON_FORMAT.md sections 1, 2 and 4), and loading a course.

Expected line numbers are found in the test text itself (``line_of``), never copied from the
parser, so a test fails when the parser points at the wrong line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.lesson import (
    Exercise,
    LessonError,
    Predict,
    Quiz,
    builtin_lessons_dir,
    load_course,
    parse_lesson,
    parse_lesson_file,
)
from tutor.lesson.load import lesson_dirs

FENCE = "```"


def lesson_text(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for n, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return n
    raise AssertionError(f"{needle!r} not in the text")


GOOD = lesson_text(
    """
    ---
    id: sample-lesson
    title: A sample lesson
    requires: [tensors]
    ---

    # A sample lesson

    Some introduction that a learner reads.

    ```python
    print("an ordinary example")
    ```

    ```
    a plain fence without a language
    ```

    ## Exercise: build y

    Make a leaf `w` and call backward.
    Second line of the prompt.

    ```toml exercise
    id = "build-y"
    points = 7
    hints = ["first nudge", "second nudge"]
    seeds = [0, 1, 2]
    timeout = 3.5
    rtol = 0.001
    atol = 0.01
    ```

    ```python setup
    import torch
    x = torch.tensor([2.])
    ```

    ```python starter
    import torch
    w = ...
    ```

    ```python solution
    import torch
    w = torch.tensor([1.], requires_grad=True)
    y = w * x
    y.backward()
    ```

    ```python check
    w.grad            # the gradient of y with respect to w
    "a # b" + str(w.is_leaf)  # a hash inside a string is not a comment

    y.grad_fn
    # a comment line is not a check
    ```

    ## Exercise: in place on a leaf

    Change a leaf in place.

    ```toml exercise
    id = "in-place"
    raises = "RuntimeError"
    ```

    ```python solution
    import torch
    w = torch.tensor([1.], requires_grad=True)
    w.add_(1)
    ```

    ```python check
    w
    ```

    ## Quiz time

    Pick one.

    ```toml quiz
    id = "pick"
    question = "Which one?"
    choices = ["first", "second", "third"]
    answer = 3
    explain = "because"
    ```

    ## Predict it

    What does this print?

    ```toml predict
    id = "guess"
    points = 4
    ```

    ```python show
    print(1 + 1)
    ```

    Closing words.
    """
)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("good") / "01-sample.md"
    path.write_text(GOOD, encoding="utf-8")
    return parse_lesson_file(path)


def test_front_matter(good) -> None:
    assert good.id == "sample-lesson"
    assert good.title == "A sample lesson"
    assert good.requires == ("tensors",)
    assert good.path.name == "01-sample.md"
    assert [i.kind for i in good.items] == ["exercise", "exercise", "quiz", "predict"]
    assert [i.lesson_id for i in good.items] == ["sample-lesson"] * 4
    assert good.max_points == 7 + 10 + 5 + 4


def test_exercise_with_every_field(good) -> None:
    ex = good.items[0]
    assert isinstance(ex, Exercise)
    assert ex.id == "build-y"
    assert ex.points == 7
    assert ex.hints == ("first nudge", "second nudge")
    assert ex.seeds == (0, 1, 2)
    assert ex.timeout == 3.5
    assert ex.rtol == 0.001
    assert ex.atol == 0.01
    assert ex.raises is None
    assert ex.setup == "import torch\nx = torch.tensor([2.])\n"
    assert ex.starter == "import torch\nw = ...\n"
    assert ex.solution == (
        "import torch\nw = torch.tensor([1.], requires_grad=True)\ny = w * x\ny.backward()\n"
    )
    assert ex.line == line_of(GOOD, "```toml exercise")
    assert ex.solution_line == line_of(GOOD, "```python solution") + 1
    assert ex.path == good.path


def test_exercise_prompt_and_title(good) -> None:
    ex = good.items[0]
    assert ex.title == "Exercise: build y"
    assert ex.prompt == "Make a leaf `w` and call backward.\nSecond line of the prompt."
    second = good.items[1]
    assert second.title == "Exercise: in place on a leaf"
    assert second.prompt == "Change a leaf in place."


def test_check_lines_split_at_the_comment_not_inside_strings(good) -> None:
    checks = good.items[0].checks
    assert [c.expr for c in checks] == ["w.grad", '"a # b" + str(w.is_leaf)', "y.grad_fn"]
    assert [c.message for c in checks] == [
        "the gradient of y with respect to w",
        "a hash inside a string is not a comment",
        "",
    ]
    assert [c.line for c in checks] == [
        line_of(GOOD, "w.grad            #"),
        line_of(GOOD, '"a # b"'),
        line_of(GOOD, "y.grad_fn"),
    ]


def test_exercise_defaults(good) -> None:
    ex = good.items[1]
    assert isinstance(ex, Exercise)
    assert ex.raises == "RuntimeError"
    assert ex.points == 10
    assert ex.seeds == (0,)
    assert ex.timeout == 10
    assert ex.rtol == 1e-5
    assert ex.atol == 1e-6
    assert ex.hints == ()
    assert ex.starter == ""
    assert ex.setup == ""


def test_quiz(good) -> None:
    quiz = good.items[2]
    assert isinstance(quiz, Quiz)
    assert quiz.id == "pick"
    assert quiz.question == "Which one?"
    assert quiz.choices == ("first", "second", "third")
    assert quiz.answer == 3
    assert quiz.points == 5
    assert quiz.explain == "because"
    assert quiz.title == "Quiz time"
    assert quiz.prompt == "Pick one."


def test_predict(good) -> None:
    pred = good.items[3]
    assert isinstance(pred, Predict)
    assert pred.id == "guess"
    assert pred.points == 4
    assert pred.show == "print(1 + 1)\n"
    assert pred.title == "Predict it"
    assert pred.prompt == "What does this print?"
    assert pred.line == line_of(GOOD, "```toml predict")


def test_prose_hides_answers_but_keeps_examples_and_show(good) -> None:
    prose = good.prose
    # kept: text, ordinary fences, the code of a predict
    for kept in (
        "Some introduction that a learner reads.",
        'print("an ordinary example")',
        "a plain fence without a language",
        "Make a leaf `w` and call backward.",
        "```python show",
        "print(1 + 1)",
        "Closing words.",
    ):
        assert kept in prose
    # hidden: headers, solution, check, setup and starter blocks
    for hidden in (
        "```toml",
        'id = "build-y"',
        'question = "Which one?"',
        "requires_grad=True)\ny = w * x",
        "w.add_(1)",
        "the gradient of y with respect to w",
        "```python solution",
        "```python check",
        "```python setup",
        "x = torch.tensor([2.])",
        "w = ...",
    ):
        assert hidden not in prose
    assert "id: sample-lesson" not in prose  # front matter is not prose either


def test_crlf_and_bom_parse_like_plain_text() -> None:
    messy = "\ufeff" + GOOD.replace("\n", "\r\n")
    lesson = parse_lesson(messy)
    assert [i.id for i in lesson.items] == ["build-y", "in-place", "pick", "guess"]
    assert lesson.items[0].solution_line == line_of(GOOD, "```python solution") + 1


# -- broken files -------------------------------------------------------------------------

HEAD = "---\nid: broken\ntitle: Broken\n---\n\n"


def exercise(header: str = 'id = "ex"\n', *, solution: str = "x = 1\n", check: str = "x\n") -> str:
    text = f"## Task\n\nDo it.\n\n{FENCE}toml exercise\n{header}{FENCE}\n\n"
    if solution is not None:
        text += f"{FENCE}python solution\n{solution}{FENCE}\n\n"
    if check is not None:
        text += f"{FENCE}python check\n{check}{FENCE}\n\n"
    return text


BROKEN = {
    "missing front matter": ("# Just a title\n\ntext\n", "# Just a title", "missing front matter"),
    "unclosed front matter": ("---\nid: a\ntitle: T\n\n# body\n", "---", "not closed"),
    "bad yaml": ("---\nid: a\ntitle: a: b\n---\n\ntext\n", "title: a: b", "not valid YAML"),
    "unknown front key": (
        "---\nid: a\ntitle: T\nauthor: me\n---\n\ntext\n",
        "author: me",
        "unknown front matter key",
    ),
    "bad lesson id": ("---\ntitle: T\nid: Bad_Id\n---\n\ntext\n", "id: Bad_Id", "lesson id"),
    "unknown role": (
        HEAD + exercise() + f"{FENCE}python foo\nx = 2\n{FENCE}\n",
        "```python foo",
        "unknown role 'python foo'",
    ),
    "unknown toml block kind": (
        HEAD + f'{FENCE}toml exercize\nid = "ex"\n{FENCE}\n',
        "```toml exercize",
        "unknown block 'toml exercize'",
    ),
    "unknown key in exercise": (
        HEAD + exercise('id = "ex"\npoints = 3\npointz = 4\n'),
        "pointz = 4",
        "unknown key 'pointz'",
    ),
    "bad toml": (
        HEAD + exercise('id = "ex"\nhints = ["a"]\npoints = \n'),
        "points = ",
        "not valid TOML",
    ),
    "bad exercise id": (HEAD + exercise('points = 3\nid = "Ex_1"\n'), 'id = "Ex_1"', "'id'"),
    "empty seeds": (HEAD + exercise('id = "ex"\nseeds = []\n'), "seeds = []", "'seeds'"),
    "zero timeout": (HEAD + exercise('id = "ex"\ntimeout = 0\n'), "timeout = 0", "'timeout'"),
    "raises is not a type name": (
        HEAD + exercise('id = "ex"\nraises = "not a type"\n'),
        "raises =",
        "'raises'",
    ),
    "duplicate id in a file": (
        HEAD + exercise() + exercise('id = "ex"\n'),
        ("```toml exercise", 2),
        "duplicate id 'ex'",
    ),
    "missing solution": (HEAD + exercise(solution=None), "```toml exercise", "python solution"),
    "missing check": (HEAD + exercise(check=None), "```toml exercise", "python check"),
    "check is a statement": (
        HEAD + exercise(check="x  # fine\nx = 2  # not an expression\n"),
        "x = 2",
        "not one Python expression",
    ),
    "check is two expressions": (
        HEAD + exercise(check="x\nx x\n"),
        "x x",
        "not one Python expression",
    ),
    "role block before any header": (
        HEAD + f"{FENCE}python solution\nx = 1\n{FENCE}\n\n" + exercise(),
        "```python solution",
        "before any",
    ),
    "show under an exercise": (
        HEAD + exercise() + f"{FENCE}python show\nprint(1)\n{FENCE}\n",
        "```python show",
        "does not belong",
    ),
    "quiz answer out of range": (
        HEAD
        + f'{FENCE}toml quiz\nid = "q"\nquestion = "Q?"\nchoices = ["a", "b", "c"]\n'
        + f"answer = 4\npoints = 5\n{FENCE}\n",
        "answer = 4",
        "only 3 choices",
    ),
    "solution syntax error": (
        HEAD + exercise(solution="import torch\nx = 1\ny = (x +\nz = 3\n"),
        "y = (x +",
        "syntax error",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_lesson_names_file_and_line(case: str, tmp_path: Path) -> None:
    text, where, fragment = BROKEN[case]
    needle, occurrence = where if isinstance(where, tuple) else (where, 1)
    expected_line = line_of(text, needle, occurrence)
    path = tmp_path / "01-broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LessonError) as info:
        parse_lesson_file(path)
    err = info.value
    assert err.path == path
    assert err.line == expected_line, str(err)
    assert fragment in err.message
    assert str(err).startswith(f"{path}:{expected_line}: ")


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "01-latin1.md"
    text = "---\nid: latin\ntitle: Latin\n---\n\ncaf\u00e9 au lait\n"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(LessonError) as info:
        parse_lesson_file(path)
    assert info.value.line == line_of(text, "caf")
    assert "UTF-8" in info.value.message


def test_show_without_predict_block_is_an_error() -> None:
    text = HEAD + f'{FENCE}toml predict\nid = "p"\n{FENCE}\n\nNo code follows.\n'
    with pytest.raises(LessonError) as info:
        parse_lesson(text)
    assert info.value.line == line_of(text, "```toml predict")


# -- a course: several files ---------------------------------------------------------------


def simple(lesson_id: str, item_id: str, requires: str = "") -> str:
    req = f"requires: [{requires}]\n" if requires else ""
    return f"---\nid: {lesson_id}\ntitle: {lesson_id.title()}\n{req}---\n\n" + exercise(
        f'id = "{item_id}"\n'
    )


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "01-first.md").write_text(simple("first", "ex-one"))
    (tmp_path / "02-broken.md").write_text(HEAD + exercise(check="x = 1\n"))
    (tmp_path / "03-third.md").write_text(simple("third", "ex-three"))
    course = load_course([tmp_path])
    assert [le.id for le in course.lessons] == ["first", "third"]
    assert [i.id for i in course.items()] == ["ex-one", "ex-three"]
    assert len(course.errors) == 1
    assert course.errors[0].path == tmp_path / "02-broken.md"
    assert course.errors[0].line > 0


def test_duplicate_item_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "01-a.md").write_text(simple("lesson-a", "same-id"))
    second = simple("lesson-b", "same-id")
    (tmp_path / "02-b.md").write_text(second)
    course = load_course([tmp_path])
    assert [le.id for le in course.lessons] == ["lesson-a"]
    assert len(course.errors) == 1
    err = course.errors[0]
    assert err.path == tmp_path / "02-b.md"
    assert err.line == line_of(second, "```toml exercise")
    assert "same-id" in err.message and "01-a.md" in err.message


def test_duplicate_lesson_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "01-a.md").write_text(simple("same", "ex-a"))
    (tmp_path / "02-b.md").write_text(simple("same", "ex-b"))
    course = load_course([tmp_path])
    assert [le.id for le in course.lessons] == ["same"]
    assert [i.id for i in course.items()] == ["ex-a"]
    assert len(course.errors) == 1 and course.errors[0].path == tmp_path / "02-b.md"
    assert "same" in course.errors[0].message


def test_unknown_requires_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "01-a.md").write_text(simple("lesson-a", "ex-a"))
    (tmp_path / "02-b.md").write_text(simple("lesson-b", "ex-b", requires="lesson-a, nowhere"))
    course = load_course([tmp_path])
    assert len(course.errors) == 1
    err = course.errors[0]
    assert err.path == tmp_path / "02-b.md"
    assert "'nowhere'" in err.message
    assert "lesson-a" not in err.message  # the known one is fine


def test_unknown_requires_points_at_the_requires_line(tmp_path: Path) -> None:
    text = simple("lesson-b", "ex-b", requires="nowhere")
    (tmp_path / "01-b.md").write_text(text)
    course = load_course([tmp_path])
    assert [e.line for e in course.errors] == [line_of(text, "requires:")]


def test_duplicate_lesson_id_points_at_the_id_line(tmp_path: Path) -> None:
    (tmp_path / "01-a.md").write_text(simple("same", "ex-a"))
    text = "---\ntitle: Same again\nid: same\n---\n\n" + exercise('id = "ex-b"\n')
    (tmp_path / "02-b.md").write_text(text)
    course = load_course([tmp_path])
    assert [e.line for e in course.errors] == [line_of(text, "id: same")]


def test_which_files_are_lessons(tmp_path: Path) -> None:
    # numbered files are always lessons, even broken ones
    (tmp_path / "01-numbered.md").write_text(simple("numbered", "ex-n"))
    (tmp_path / "02-no-front-matter.md").write_text("# Oops\n\nforgot the front matter\n")
    # other .md files only when they open with front matter
    (tmp_path / "extra.md").write_text(simple("extra", "ex-extra"))
    (tmp_path / "README.md").write_text("# About these lessons\n\nNot a lesson.\n")
    (tmp_path / "notes.txt").write_text(simple("not-md", "ex-txt"))
    course = load_course([tmp_path])
    assert sorted(le.id for le in course.lessons) == ["extra", "numbered"]
    assert [e.path.name for e in course.errors] == ["02-no-front-matter.md"]


def test_missing_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    course = load_course([tmp_path / "nope"])
    assert course.lessons == []
    assert len(course.errors) == 1 and course.errors[0].path == tmp_path / "nope"


def test_tutor_lessons_env_and_explicit_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = (tmp_path / n for n in "abc")
    for folder, name in ((a, "in-a"), (b, "in-b"), (c, "in-c")):
        folder.mkdir()
        (folder / "01-x.md").write_text(simple(name, f"ex-{name}"))

    monkeypatch.setenv("TUTOR_LESSONS", f"{a}:{b}")
    assert lesson_dirs() == [a, b]
    assert sorted(le.id for le in load_course().lessons) == ["in-a", "in-b"]
    # explicit folders win over the variable (and the built-in course is not mixed in)
    assert lesson_dirs([str(c)]) == [c]
    assert [le.id for le in load_course([c]).lessons] == ["in-c"]

    monkeypatch.delenv("TUTOR_LESSONS")
    assert lesson_dirs() == [builtin_lessons_dir()]
