"""The one error type for broken lesson files: always says file, line and what to do."""

from __future__ import annotations

from pathlib import Path


class LessonError(Exception):
    """A problem in a lesson file, located at ``path:line``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")
