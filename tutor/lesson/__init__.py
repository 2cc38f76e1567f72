"""Lesson files -> immutable model. Imports neither torch nor the TUI."""

from tutor.lesson.errors import LessonError
from tutor.lesson.load import Course, builtin_lessons_dir, load_course
from tutor.lesson.model import Check, Exercise, Item, Lesson, Predict, Quiz
from tutor.lesson.parse import parse_lesson, parse_lesson_file

__all__ = [
    "Check",
    "Course",
    "Exercise",
    "Item",
    "Lesson",
    "LessonError",
    "Predict",
    "Quiz",
    "builtin_lessons_dir",
    "load_course",
    "parse_lesson",
    "parse_lesson_file",
]
