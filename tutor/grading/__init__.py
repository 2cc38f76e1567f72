"""Grading: compare the learner's values with the reference's, explain, report. No torch, no TUI."""

from tutor.grading.compare import Tolerance, compare
from tutor.grading.factory import open_grader
from tutor.grading.grader import Grader
from tutor.grading.results import CheckResult, ItemResult
from tutor.grading.session import Report, grade_folder

__all__ = [
    "CheckResult",
    "Grader",
    "ItemResult",
    "Report",
    "Tolerance",
    "compare",
    "grade_folder",
    "open_grader",
]
