"""What screens ask the app for. Screens post these; only :class:`~tutor.tui.app.TutorApp`
decides where the learner goes, so no screen imports the app (the arrows run one way)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tutor.lesson.model import Lesson


@dataclass
class OpenLesson(Message):
    """Open a lesson (at ``item_id``, else where the learner stopped in it)."""

    lesson_id: str
    item_id: str | None = None


@dataclass
class LessonFinished(Message):
    """The learner went on from the last item of ``lesson``: the next playable lesson, else
    back to the map."""

    lesson: Lesson


@dataclass
class CourseCompleted(Message):
    """Every item of the course passed: show what the learner earned."""


@dataclass
class WorkspaceChanged(Message, bubble=False):
    """Files in the workspace were changed by something other than tutor (another editor,
    another process): ``names`` are their file names. Posted to the app by the watcher, and
    handed down by the app to the lesson screens (so it does not bubble back up)."""

    names: frozenset[str]
