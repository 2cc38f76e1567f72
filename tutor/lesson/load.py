"""Load a course: every lesson file of some folders, broken files reported beside the rest."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tutor.lesson.errors import LessonError
from tutor.lesson.items import did_you_mean
from tutor.lesson.model import Item, Lesson
from tutor.lesson.parse import parse_lesson_file

NUMBERED = re.compile(r"^\d+-.+\.md$")
ENV_VAR = "TUTOR_LESSONS"


def builtin_lessons_dir() -> Path:
    """The built-in course: ``tutor/_course`` in the wheel, or ``lessons/`` in a checkout."""
    shipped = Path(str(resources.files("tutor"))) / "_course"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "lessons"


def lesson_dirs(explicit: list[str] | None = None) -> list[Path]:
    """``--lessons`` folders if given, else ``TUTOR_LESSONS``, else the built-in course."""
    if explicit:
        return [Path(p) for p in explicit]
    env = os.environ.get(ENV_VAR, "")
    if env.strip():
        return [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return [builtin_lessons_dir()]


def lesson_files(folder: Path) -> list[Path]:
    """Numbered ``NN-slug.md`` files always; other ``.md`` files only with front matter."""
    if folder.is_file():
        return [folder]
    files = []
    for path in sorted(folder.glob("*.md")):
        if NUMBERED.match(path.name):
            files.append(path)
            continue
        try:
            with path.open("rb") as fh:
                if fh.read(4).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                    files.append(path)
        except OSError:
            continue
    return files


@dataclass
class Course:
    lessons: list[Lesson] = field(default_factory=list)
    errors: list[LessonError] = field(default_factory=list)

    def items(self) -> list[Item]:
        return [item for lesson in self.lessons for item in lesson.items]

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items() if i.id == item_id), None)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def lesson_of(self, item_id: str) -> Lesson | None:
        return next((le for le in self.lessons if any(i.id == item_id for i in le.items)), None)


def load_course(dirs: list[Path] | list[str] | None = None) -> Course:
    """Parse every lesson; a broken file is recorded in ``errors`` and the others still load."""
    folders = course_folders([Path(d) for d in dirs] if dirs else lesson_dirs())
    course = Course()
    lesson_ids: dict[str, Path] = {}
    item_ids: dict[str, tuple[Path, int]] = {}
    broken: dict[str, Path] = {}  # lesson id -> a file that claims it but did not load
    for folder in folders:
        if not folder.exists():
            course.errors.append(LessonError(folder, 0, "no such lesson folder"))
            continue
        for path in lesson_files(folder):
            try:
                lesson = parse_lesson_file(path)
                _check_unique(lesson, lesson_ids, item_ids)
            except LessonError as exc:
                course.errors.append(exc)
                claimed = _claimed_id(path)
                if claimed:
                    broken.setdefault(claimed, path)
                continue
            lesson_ids[lesson.id] = path
            for item in lesson.items:
                item_ids[item.id] = (path, item.line)
            course.lessons.append(lesson)
    known = set(lesson_ids)
    for lesson in course.lessons:
        for req in lesson.requires:
            if req not in known and req in broken:
                course.errors.append(
                    LessonError(
                        lesson.path,
                        lesson.requires_line,
                        f"'requires' names {req!r}, whose file {broken[req]} did not load: "
                        "fix the error reported for that file first",
                    )
                )
            elif req not in known:
                course.errors.append(
                    LessonError(
                        lesson.path,
                        lesson.requires_line,
                        f"'requires' names {req!r}, which is no loaded lesson"
                        + did_you_mean(req, known)
                        + ": fix the id, or load the folder that has it too "
                        "(a lesson folder can sit beside this one under a shared parent)",
                    )
                )
    return course


_ID_LINE = re.compile(r"""^id:\s*["']?([a-z0-9][a-z0-9-]*)["']?\s*(#.*)?$""")


def _claimed_id(path: Path) -> str | None:
    """The lesson id a file that did not load claims in its front matter, if it can be read,
    so a lesson that requires it is not told the id is wrong."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for line in lines[1:]:
        if line.strip() in ("---", "..."):
            break
        match = _ID_LINE.match(line.strip())
        if match:
            return match.group(1)
    return None


SKIP_DIRS = {"node_modules", "venv", "site-packages", "__pycache__"}


def course_folders(folders: list[Path]) -> list[Path]:
    """Each folder, then the folders under it that hold lesson files (a course kept in one
    folder per part: ``course/part-1``, ``course/part-2``), depth first in name order.
    Hidden folders, ``_``-folders and virtual environments are never searched."""
    out: list[Path] = []
    for folder in folders:
        out.append(folder)
        if folder.is_dir():
            out.extend(_subfolders(folder, depth=4))
    return list(dict.fromkeys(out))


def _subfolders(folder: Path, depth: int) -> list[Path]:
    if depth == 0:
        return []
    found: list[Path] = []
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return []
    for child in children:
        if child.name.startswith((".", "_")) or child.name in SKIP_DIRS:
            continue
        if (child / "pyvenv.cfg").exists():
            continue
        if lesson_files(child):
            found.append(child)
        found.extend(_subfolders(child, depth - 1))
    return found


def _check_unique(
    lesson: Lesson, lesson_ids: dict[str, Path], item_ids: dict[str, tuple[Path, int]]
) -> None:
    if lesson.id in lesson_ids:
        raise LessonError(
            lesson.path,
            lesson.id_line,
            f"lesson id {lesson.id!r} is already used by {lesson_ids[lesson.id]}: "
            "lesson ids are unique across all loaded lessons, give this lesson another id",
        )
    for item in lesson.items:
        if item.id in item_ids:
            other, line = item_ids[item.id]
            raise LessonError(
                lesson.path,
                item.line,
                f"id {item.id!r} is already used at {other}:{line}: ids are unique across all "
                "loaded lessons (a learner's submission file is named by it), give this item "
                "another id",
            )
