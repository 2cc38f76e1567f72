"""Command line: tutor, tutor grade, tutor lint, tutor list."""
