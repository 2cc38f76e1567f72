"""Lesson files -> model (LESSON_FORMAT.md sections 1, 2 and 4), and loading a course.

Expected line numbers are found in the test text itself (``line_of``), never copied from the
parser, so a test fails when the parser points at the wrong line.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
import types
from dataclasses import asdict, replace
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
from tutor.lesson.model import Counterexample, item_summary

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


# -- version 1.1: rules (2a) and counterexamples (2b) --------------------------------------

RULES = lesson_text(
    """
    ---
    id: rules-lesson
    title: Rules and counterexamples
    ---

    # Rules

    ## Exercise: by hand

    Work the gradient out by hand.

    ```toml exercise
    id = "by-hand"
    forbid = ["torch.autograd.grad", "np.polyfit", ".data"]
    require = ["backward"]
    rules_message = "Work the gradients out by hand here."
    ```

    ```python solution
    import torch
    w = torch.tensor([1.], requires_grad=True)
    y = w * 5
    y.backward()
    ```

    ```python check
    w.grad  # the gradient
    ```

    ```python wrong
    # typed in: the gradients are assigned, backward never runs
    w.grad = torch.tensor([5.])
    ```

    ```python accept

    # torch.mul instead of an operator
    y = torch.mul(w, 5)
    y.backward()
    ```

    ```python wrong

    #   autograd.grad does the work
    SECRET_WRONG = torch.autograd.grad(w * 5, w)
    ```

    ```python accept
    SECRET_ACCEPT = (w * 5).backward()
    ```

    The next task follows without a heading.

    ```toml exercise
    id = "no-rules"
    ```

    ```python solution
    x = 1
    ```

    ```python check
    x
    ```
    """
)


@pytest.fixture(scope="module")
def ruled():
    return parse_lesson(RULES, "rules.md")


def test_rules_keys(ruled) -> None:
    ex = ruled.items[0]
    assert ex.forbid == ("torch.autograd.grad", "np.polyfit", ".data")
    assert ex.require == ("backward",)
    assert ex.rules_message == "Work the gradients out by hand here."
    assert ex.has_rules
    plain = ruled.items[1]
    assert (plain.forbid, plain.require, plain.rules_message) == ((), (), "")
    assert (plain.wrong, plain.accept) == ((), ())
    assert not plain.has_rules


def test_counterexamples_in_file_order_with_label_and_fence_line(ruled) -> None:
    ex = ruled.items[0]
    assert [(c.label, c.line) for c in ex.wrong] == [
        (
            "typed in: the gradients are assigned, backward never runs",
            line_of(RULES, "```python wrong", 1),
        ),
        ("autograd.grad does the work", line_of(RULES, "```python wrong", 2)),
    ]
    assert [(c.label, c.line) for c in ex.accept] == [
        ("torch.mul instead of an operator", line_of(RULES, "```python accept", 1)),
        ("", line_of(RULES, "```python accept", 2)),  # the comment is optional for accept
    ]
    assert ex.wrong[0].code == (
        "# typed in: the gradients are assigned, backward never runs\nw.grad = torch.tensor([5.])\n"
    )
    assert ex.accept[1].code == "SECRET_ACCEPT = (w * 5).backward()\n"
    assert isinstance(ex.wrong[0], Counterexample)
    with pytest.raises(AttributeError):
        ex.wrong[0].label = "x"  # type: ignore[misc]


def test_counterexamples_are_hidden_from_the_learner(ruled) -> None:
    for secret in (
        "SECRET_WRONG",
        "SECRET_ACCEPT",
        "typed in",
        "```python wrong",
        "```python accept",
    ):
        assert secret not in ruled.prose
    # the next exercise's prompt starts after the last counterexample
    assert ruled.items[1].prompt == "The next task follows without a heading."
    summary = item_summary(ruled.items[0])
    assert not {"solution", "wrong", "accept"} & set(summary)
    assert summary["forbid"] == ("torch.autograd.grad", "np.polyfit", ".data")
    assert "SECRET" not in json.dumps(summary)


def test_tutor_list_json_shows_no_solution_or_counterexample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "01-rules.md").write_text(RULES, encoding="utf-8")
    from tutor.cli.main import main

    assert main(["list", "--lessons", str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["lessons"][0]["items"][0]["id"] == "by-hand"
    for secret in ("SECRET", "typed in", "requires_grad=True", "w * 5"):
        assert secret not in out


def test_wrong_label_may_follow_blank_lines_and_hashes() -> None:
    text = HEAD + exercise() + f"{FENCE}python wrong\n\n\n##   the shortcut  \nx = 2\n{FENCE}\n"
    [ex] = parse_lesson(text).items
    assert ex.wrong[0].label == "the shortcut"


# -- exact lines of syntax errors in code blocks --------------------------------------------


def _syntax_error_line(text: str) -> int:
    with pytest.raises(LessonError) as info:
        parse_lesson(text, "x.md")
    assert "syntax error" in info.value.message, info.value.message
    return info.value.line


@pytest.mark.parametrize(
    ("role", "code", "bad"),
    [
        ("solution", "x = = 1\n", "x = = 1"),  # the first line of the block
        ("solution", "import torch\n\nx = 1\ny = (x +\nz = 3\n", "y = (x +"),
        ("setup", "a = 1\nif a:\nb = 2\n", "b = 2"),  # IndentationError on its own line
        ("wrong", "# a shortcut\nx = 1\n  y = 2\n", "  y = 2"),
        ("accept", "x = 1\nx = 'unclosed\n", "x = 'unclosed"),
    ],
)
def test_a_syntax_error_names_the_file_line_of_the_bad_line(role: str, code: str, bad: str) -> None:
    extra = f"{FENCE}python {role}\n{code}{FENCE}\n"
    solution = code if role == "solution" else "x = 1\n"
    text = HEAD + exercise(solution=solution) + ("" if role == "solution" else extra)
    assert _syntax_error_line(text) == line_of(text, bad)


def test_syntax_error_lines_in_a_show_block_and_nested_fences() -> None:
    show = HEAD + f'{FENCE}toml predict\nid = "p"\n{FENCE}\n\n'
    show += f"{FENCE}python show\nprint(1)\nprint(2\n{FENCE}\n"
    assert _syntax_error_line(show) == line_of(show, "print(2")
    # a fence inside a list item and a tilde fence: markdown-it's own line map
    nested = (
        HEAD + exercise() + "- a list item\n\n  ```python wrong\n  # shortcut\n  x = (\n  ```\n"
    )
    assert _syntax_error_line(nested) == line_of(nested, "  x = (")
    tilde = HEAD + exercise() + "~~~python accept\nok = 1\nbad = )\n~~~\n"
    assert _syntax_error_line(tilde) == line_of(tilde, "bad = )")


def test_code_line_is_fence_plus_one_plus_line_minus_one_and_stays_in_the_block() -> None:
    from tutor.lesson.items import _Fence, code_line

    block = _Fence("python", "solution", "a\nb\nc\n", start=10, end=14)
    assert [code_line(block, n) for n in (1, 2, 3)] == [11, 12, 13]
    assert code_line(block, None) == 11
    assert code_line(block, 0) == 11
    assert code_line(block, 9) == 13  # an error Python places past the end: the last line


# -- errors in the new keys and roles --------------------------------------------------------

NEW_BROKEN = {
    "bad dotted entry": (
        HEAD + exercise('id = "ex"\nforbid = ["torch..grad"]\n'),
        "forbid =",
        "not a dotted name",
    ),
    "call in an entry": (
        HEAD + exercise('id = "ex"\nrequire = ["backward()"]\n'),
        "require =",
        '"torch.autograd.grad" (a dotted name)',
    ),
    "bad attribute entry": (
        HEAD + exercise('id = "ex"\nforbid = [".data.x"]\n'),
        "forbid =",
        "not an attribute name",
    ),
    "keyword entry": (HEAD + exercise('id = "ex"\nforbid = ["import"]\n'), "forbid =", "e.g."),
    "forbid is a string": (
        HEAD + exercise('id = "ex"\nforbid = "torch.autograd.grad"\n'),
        "forbid =",
        "must be a list of strings",
    ),
    "forbid holds a number": (
        HEAD + exercise('id = "ex"\nforbid = [1]\n'),
        "forbid =",
        "not a string",
    ),
    "an entry in both lists": (
        HEAD + exercise('id = "ex"\nforbid = ["backward"]\npoints = 3\nrequire = ["backward"]\n'),
        "require =",
        "in both 'forbid' and 'require'",
    ),
    "both lists through an alias": (
        HEAD + exercise('id = "ex"\nrequire = ["numpy.polyfit"]\nforbid = ["np.polyfit"]\n'),
        "forbid =",
        "no code can obey both",
    ),
    "required under a forbidden module": (
        HEAD + exercise('id = "ex"\nforbid = ["torch.linalg"]\nrequire = ["torch.linalg.lstsq"]\n'),
        "require =",
        "forbidden as 'torch.linalg'",
    ),
    "rules_message without rules": (
        HEAD + exercise('id = "ex"\npoints = 2\nrules_message = "why"\n'),
        "rules_message =",
        "rules_message' has no forbid/require to explain",
    ),
    "rules_message is not a string": (
        HEAD + exercise('id = "ex"\nforbid = ["backward"]\nrules_message = 3\n'),
        "rules_message =",
        "must be a string",
    ),
    "wrong without a comment": (
        HEAD + exercise() + f"{FENCE}python wrong\nw.grad = 5\n{FENCE}\n",
        "```python wrong",
        "must begin with a '# comment' naming the shortcut or misconception it shows, e.g.",
    ),
    "wrong with an empty comment": (
        HEAD + exercise() + f"{FENCE}python wrong\n#\nw.grad = 5\n{FENCE}\n",
        "```python wrong",
        "must begin with a '# comment'",
    ),
    "empty wrong block": (
        HEAD + exercise() + f"{FENCE}python wrong\n{FENCE}\n",
        "```python wrong",
        "must begin with a '# comment'",
    ),
    "wrong under a predict": (
        HEAD
        + f'{FENCE}toml predict\nid = "p"\n{FENCE}\n\n{FENCE}python show\nprint(1)\n{FENCE}\n\n'
        + f"{FENCE}python wrong\n# x\nprint(2)\n{FENCE}\n",
        "```python wrong",
        "does not belong",
    ),
    "accept before any header": (
        HEAD + f"{FENCE}python accept\nx = 1\n{FENCE}\n\n" + exercise(),
        "```python accept",
        "before any",
    ),
    "a second solution is still an error": (
        HEAD + exercise() + f"{FENCE}python solution\nx = 2\n{FENCE}\n",
        ("```python solution", 2),
        "second 'python solution' block",
    ),
    "typo of forbid": (
        HEAD + exercise('id = "ex"\nforbidd = ["backward"]\n'),
        "forbidd =",
        "unknown key 'forbidd' in 'toml exercise' (did you mean 'forbid'?): expected one of",
    ),
    "typo of rules_message": (
        HEAD + exercise('id = "ex"\nforbid = ["backward"]\nrule_message = "m"\n'),
        "rule_message =",
        "(did you mean 'rules_message'?)",
    ),
    "typo in a quiz": (
        HEAD
        + f'{FENCE}toml quiz\nid = "q"\nquestion = "Q?"\nchoices = ["a", "b"]\n'
        + f"anwser = 2\n{FENCE}\n",
        "anwser = 2",
        "(did you mean 'answer'?)",
    ),
    "typo in a predict": (
        HEAD + f'{FENCE}toml predict\nid = "p"\nexplian = "x"\n{FENCE}\n',
        "explian =",
        "(did you mean 'explain'?)",
    ),
    "typo in the front matter": (
        "---\nid: a\ntitel: T\n---\n\ntext\n",
        "titel: T",
        "unknown front matter key 'titel' (did you mean 'title'?)",
    ),
    "typo of a role": (
        HEAD + exercise() + f"{FENCE}python wrnog\n# x\n{FENCE}\n",
        "```python wrnog",
        "unknown role 'python wrnog' (did you mean 'wrong'?)",
    ),
    "typo of a header kind": (
        HEAD + f'{FENCE}toml exercize\nid = "ex"\n{FENCE}\n',
        "```toml exercize",
        "unknown block 'toml exercize' (did you mean 'exercise'?)",
    ),
}


@pytest.mark.parametrize("case", NEW_BROKEN, ids=list(NEW_BROKEN))
def test_new_keys_and_roles_name_file_and_line(case: str, tmp_path: Path) -> None:
    text, where, fragment = NEW_BROKEN[case]
    needle, occurrence = where if isinstance(where, tuple) else (where, 1)
    expected_line = line_of(text, needle, occurrence)
    path = tmp_path / "01-broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LessonError) as info:
        parse_lesson_file(path)
    err = info.value
    assert (err.path, err.line) == (path, expected_line), str(err)
    assert fragment in err.message, err.message
    assert str(err).startswith(f"{path}:{expected_line}: ")


def test_no_did_you_mean_for_a_far_key() -> None:
    with pytest.raises(LessonError) as info:
        parse_lesson(HEAD + exercise('id = "ex"\nzzzzzz = 1\n'))
    assert "did you mean" not in info.value.message


# -- nothing changes for lessons written before version 1.1 ---------------------------------

REPO = Path(__file__).resolve().parents[2]
OLD_COMMIT = "7ced909"  # the parser (and the course) before rules and counterexamples


def _existing(tmp: Path) -> list[Path]:
    """Every lesson file as it was at OLD_COMMIT (the course has been rewritten since),
    written under ``tmp``; skips when git or that commit is not at hand."""
    try:
        names = subprocess.run(
            ["git", "-C", str(REPO), "ls-tree", "-r", "--name-only", OLD_COMMIT],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"git or commit {OLD_COMMIT} not available")
    out = []
    for name in names:
        if name.endswith(".md") and (name.startswith("lessons/") or "/lessons/" in name):
            text = subprocess.run(
                ["git", "-C", str(REPO), "show", f"{OLD_COMMIT}:{name}"],
                capture_output=True, check=True,
            ).stdout  # fmt: skip
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text)
            out.append(path)
    return sorted(out)


def _old_parser():
    """``parse_lesson_file`` as it was at OLD_COMMIT (against today's model, whose new fields
    all have defaults), or None when git or that commit is not at hand."""
    try:
        source = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{OLD_COMMIT}:tutor/lesson/parse.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("tutor_lesson_parse_old")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    try:
        exec(compile(source, "old_parse.py", "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    return module.parse_lesson_file


LOCATION_FIELDS = {"setup_line", "starter_line", "show_line"}  # added later, for lint's lines


def _without_locations(data):
    """A parsed lesson as data without the block lines the old parser did not record."""
    if isinstance(data, dict):
        return {k: _without_locations(v) for k, v in data.items() if k not in LOCATION_FIELDS}
    if isinstance(data, list | tuple):
        return type(data)(_without_locations(v) for v in data)
    return data


def test_every_existing_lesson_parses_exactly_as_before(tmp_path: Path) -> None:
    old_parse = _old_parser()
    if old_parse is None:
        pytest.skip(f"git or commit {OLD_COMMIT} not available")
    existing = _existing(tmp_path)
    assert len(existing) >= 10
    compared = 0
    for path in existing:
        try:
            before = old_parse(path)
        except LessonError:
            continue  # written for version 1.1: the old parser cannot read it
        after = parse_lesson_file(path)
        assert _without_locations(asdict(after)) == _without_locations(asdict(before)), path
        assert [_without_locations(item_summary(i)) for i in after.items] == [
            _without_locations(item_summary(i)) for i in before.items
        ]
        compared += 1
    assert compared >= 10


def _fingerprint_before_1_1(ex: Exercise) -> str:
    """Exercise.fingerprint() as it was at OLD_COMMIT, copied on purpose."""
    data = {
        "setup": ex.setup,
        "solution": ex.solution,
        "checks": [c.expr for c in ex.checks],
        "raises": ex.raises,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def test_fingerprints_of_existing_exercises_are_unchanged(tmp_path: Path) -> None:
    existing = _existing(tmp_path)
    exercises = [i for p in existing for i in parse_lesson_file(p).items if isinstance(i, Exercise)]
    assert len(exercises) > 30
    for ex in exercises:
        assert ex.fingerprint() == _fingerprint_before_1_1(ex), ex.id
    # computed with the code of OLD_COMMIT before any change; if you edit one of these two
    # exercises' setup, solution, checks or raises, its value changes and so must this one
    known = {
        ("tests/core/lessons/01-grading-basics.md", "weighted-sum"): (
            "ab38d14690697c085c4d85003575d0b1"
        ),
        ("lessons/04-backward-and-accumulation.md", "accumulate-grads"): (
            "ee1a58b10cd95a5c05f7e98cacc9ae41"
        ),
    }
    for (rel, item_id), value in known.items():
        [ex] = [i for i in parse_lesson_file(tmp_path / rel).items if i.id == item_id]
        assert ex.fingerprint() == value, (rel, item_id)


def test_fingerprint_ignores_rules_and_counterexamples(ruled) -> None:
    ex = ruled.items[0]
    bare = replace(ex, forbid=(), require=(), rules_message="", wrong=(), accept=())
    assert ex.fingerprint() == bare.fingerprint() == _fingerprint_before_1_1(ex)
    assert replace(ex, solution="x = 2\n").fingerprint() != ex.fingerprint()
