"""pytest plugin: ``pytest lessons/`` runs exactly the ``tutor lint`` checks.

One pytest item per exercise and predict (``tutor.grading.lint.lint_item``), and one failing
item per lesson error of a file (``lint.course_problems``: a parse error, a duplicate id, a
``requires`` naming no loaded lesson), found by loading the named folders together as one
course, the way ``tutor lint DIR...`` does. Lint's warnings are pytest warnings, or failures
with ``--tutor-strict`` (``tutor lint --strict``).

Lesson files are collected only from folders (or files) named on the command line, or from
anywhere with ``--tutor-lessons``, so a project's own test suite never picks up fixture
lessons by accident. A named folder's subfolders are searched too (a course kept in one
folder per part), except under a folder of Python tests (one holding a ``conftest.py`` or
``test_*.py``): name such a lesson folder itself. Items keep pytest's own machinery: ``-k``,
``--junitxml``, xdist.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tutor.lesson.errors import LessonError
from tutor.lesson.load import NUMBERED, Course
from tutor.lesson.model import Exercise, Item, Predict

_GRADER = pytest.StashKey[Any]()
_COURSES = pytest.StashKey[dict]()


class TutorLintWarning(UserWarning):
    """A ``tutor lint`` warning about a lesson (``--tutor-strict`` makes it a failure)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tutor")
    group.addoption(
        "--tutor-lessons",
        action="store_true",
        help="collect tutor lesson files (*.md) everywhere, not only from folders named as args",
    )
    group.addoption(
        "--tutor-strict",
        action="store_true",
        help="tutor lint warnings fail the item (as 'tutor lint --strict')",
    )


def _named(config: pytest.Config) -> list[Path]:
    """Resolved paths named on the command line (folders and files)."""
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return []
    root = Path(config.invocation_params.dir)
    return [(root / arg.split("::")[0]).resolve() for arg in config.args]


def _python_tests(folder: Path) -> bool:
    try:
        return (folder / "conftest.py").exists() or any(folder.glob("test_*.py"))
    except OSError:
        return False


def _named_on_command_line(config: pytest.Config, path: Path) -> bool:
    if config.getoption("tutor_lessons"):
        return True
    path = path.resolve()
    for target in _named(config):
        if target == path or target == path.parent:
            return True
        if target in path.parents:
            between = [d for d in path.parents if d == target or target in d.parents]
            hidden = any(d.name.startswith((".", "_")) for d in between if d != target)
            if not hidden and not any(_python_tests(d) for d in between):
                return True
    return False


def _is_lesson(path: Path) -> bool:
    if path.suffix != ".md":
        return False
    if NUMBERED.match(path.name):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4).lstrip(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_lesson(file_path) and _named_on_command_line(parent.config, file_path):
        return LessonFile.from_parent(parent, path=file_path)
    return None


def _roots(config: pytest.Config, path: Path) -> tuple[Path, ...]:
    """The folders loaded as one course for ``path``: every folder named on the command line
    (a named file counts as its folder) when one of them holds ``path``, else its folder."""
    path = path.resolve()
    named = [p.parent if p.is_file() else p for p in _named(config)]
    roots = tuple(dict.fromkeys(p for p in named if p.is_dir()))
    if any(r == path.parent or r in path.parents for r in roots):
        return roots
    return (path.parent,)


def _course(config: pytest.Config, path: Path) -> Course:
    from tutor.lesson.load import load_course

    courses = config.stash.setdefault(_COURSES, {})
    roots = _roots(config, path)
    if roots not in courses:
        courses[roots] = load_course(list(roots))
    return courses[roots]


def _grader(config: pytest.Config, folder: Path):
    """One sandbox pair per pytest process (each xdist worker has its own), closed at the
    end, with lint's hidden seed, so every item is judged exactly as ``tutor lint`` does."""
    if _GRADER not in config.stash:
        from tutor.grading.factory import open_grader
        from tutor.grading.lint import lint_grader

        # a predict runs in two processes and must print the same in both (lint.py): a
        # fixed PYTHONHASHSEED would make both hash alike
        saved = os.environ.pop("PYTHONHASHSEED", None)
        if saved is not None:
            config.add_cleanup(lambda: os.environ.__setitem__("PYTHONHASHSEED", saved))
        folders = list(dict.fromkeys([*_roots(config, folder / "x.md"), folder]))
        grader, pool = open_grader(folders, jobs=1, use_cache=False)
        config.stash[_GRADER] = lint_grader(grader)
        config.add_cleanup(pool.close)
    return config.stash[_GRADER]


class LessonFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from tutor.grading.lint import course_problems

        here = self.path.resolve()
        course = _course(self.config, self.path)
        for n, problem in enumerate(course_problems(course, {here})):
            error = LessonError(problem.path, problem.line, problem.message)
            name = "lesson" if n == 0 else f"lesson-{n + 1}"
            yield BrokenLesson.from_parent(self, name=name, error=error)
        lesson = next((le for le in course.lessons if le.path.resolve() == here), None)
        if lesson is None:
            return
        for item in lesson.items:
            if isinstance(item, Exercise | Predict):
                yield LessonItem.from_parent(self, name=item.id, item=item)


class LintFailure(Exception):
    """The lint problems of one item, shown as pytest's failure text."""


class LessonItem(pytest.Item):
    def __init__(self, *, item: Item, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.add_marker(pytest.mark.tutor_lesson)

    def runtest(self) -> None:
        from tutor.grading.lint import lint_item

        grader = _grader(self.config, self.path.parent)
        strict = self.config.getoption("tutor_strict")
        problems = list(lint_item(self.item, grader))
        if strict:  # as 'tutor lint --strict': a warning is an error, and says so
            problems = [replace(p, warning=False) for p in problems]
        errors = [p for p in problems if not p.warning]
        for p in problems:
            if p.warning:  # located at the lesson's line, not at this plugin's
                warnings.warn_explicit(TutorLintWarning(str(p)), None, str(p.path), p.line)
        if errors:
            raise LintFailure("\n".join(str(p) for p in errors))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, LintFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.item.line - 1, 0), f"{self.item.kind} {self.item.id}"


class BrokenLesson(pytest.Item):
    """A lesson error of this file, as ``tutor lint`` prints it."""

    def __init__(self, *, error: LessonError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise LintFailure(f"{self.error.path}:{self.error.line}: error: -: {self.error.message}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.error.line - 1, 0), "lesson file"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tutor_lesson: an exercise or predict from a tutor lesson file"
    )
