"""Grading: compare the learner's values with the reference's, explain, report.

No torch and no TUI here. Import the modules themselves (``tutor.grading.grader``, ...):
this package file stays empty so that importing one light module never pulls in numpy.
"""
