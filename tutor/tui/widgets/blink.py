"""The app's cursor-blink setting, for widgets that make their own inputs."""

from __future__ import annotations


def app_blinks(app: object) -> bool:
    """Off in tests (``cursor_blink=False``), so a snapshot is the same every time."""
    return bool(getattr(app, "cursor_blink", True))
