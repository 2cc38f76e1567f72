"""Fixtures for the TUI tests: small lessons, a tmp progress store, one shared sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_helpers import LESSONS, fixed_clock

from tutor.tui.app import TutorApp


@pytest.fixture(autouse=True)
def _no_real_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the learner's real data or cache folders."""
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))


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
    """Build a TutorApp on the test lessons, the tmp store and the shared engine."""

    def make(folders: list[Path] | None = None, **kwargs) -> TutorApp:
        kwargs.setdefault("store_path", store_path)
        kwargs.setdefault("engine", engine)
        return TutorApp(folders or [LESSONS], clock=fixed_clock, cursor_blink=False, **kwargs)

    return make
