"""Fixtures for the TUI tests: one shared sandbox, a tmp progress store, the app factory
(tutor's folders are tmp folders for every test: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_helpers import LESSONS
from tui_helpers import make_app as build_app


@pytest.fixture(scope="session")
def engine() -> Iterator:
    """One warm sandbox for the whole session (starting one takes seconds)."""
    from tutor.tui.engine import SandboxEngine

    eng = SandboxEngine.open([LESSONS], use_cache=False)
    eng.start()
    yield eng
    eng.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "progress.db"


@pytest.fixture
def make_app(store_path: Path, engine):
    """Build a TutorApp on the test lessons, the tmp store and the shared real engine."""

    def make(folders: list[Path] | None = None, **kwargs):
        kwargs.setdefault("store_path", store_path)
        kwargs.setdefault("engine", engine)
        return build_app(folders, **kwargs)

    return make
