"""pytest plugin: ``pytest lessons/`` runs the ``tutor lint`` checks, one item per exercise.

Lesson files are collected only from folders (or files) named on the command line, or from
anywhere with ``--tutor-lessons``, so a project's own test suite never picks up fixture
lessons by accident. Items keep pytest's own machinery: ``-k``, ``--junitxml``, xdist.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tutor.lesson.errors import LessonError
from tutor.lesson.load import NUMBERED
from tutor.lesson.model import Exercise, Item, Predict
from tutor.lesson.parse import parse_lesson_file

_GRADER = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tutor")
    group.addoption(
        "--tutor-lessons",
        action="store_true",
        help="collect tutor lesson files (*.md) everywhere, not only from folders named as args",
    )


def _named_on_command_line(config: pytest.Config, path: Path) -> bool:
    if config.getoption("tutor_lessons"):
        return True
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return False
    root = Path(config.invocation_params.dir)
    for arg in config.args:
        target = (root / arg.split("::")[0]).resolve()
        if target == path.resolve() or target == path.resolve().parent:
            return True
    return False


def _is_lesson(path: Path) -> bool:
    if path.suffix != ".md":
        return False
    if NUMBERED.match(path.name):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(3) == b"---"
    except OSError:
        return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_lesson(file_path) and _named_on_command_line(parent.config, file_path):
        return LessonFile.from_parent(parent, path=file_path)
    return None


def _grader(config: pytest.Config, folder: Path):
    """One sandbox per pytest process (each xdist worker has its own), closed at the end."""
    if _GRADER not in config.stash:
        from tutor.grading.factory import open_grader

        grader, pool = open_grader([folder], jobs=1, use_cache=False)
        config.stash[_GRADER] = grader
        config.add_cleanup(pool.close)
    return config.stash[_GRADER]


class LessonFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            lesson = parse_lesson_file(self.path)
        except LessonError as exc:
            yield BrokenLesson.from_parent(self, name="parse", error=exc)
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
        errors = [p for p in lint_item(self.item, grader) if not p.warning]
        if errors:
            raise LintFailure("\n".join(str(p) for p in errors))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, LintFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.item.line - 1, 0), f"{self.item.kind} {self.item.id}"


class BrokenLesson(pytest.Item):
    def __init__(self, *, error: LessonError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise LintFailure(str(self.error))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.error.line - 1, 0), "lesson file"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tutor_lesson: an exercise or predict from a tutor lesson file"
    )
