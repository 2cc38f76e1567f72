"""Every test runs with tutor's folders in its own tmp folder: nothing a test does may touch
the learner's real progress, workspace or reference cache (``tutor/paths.py`` reads these)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_real_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TUTOR_WORKSPACE", str(tmp_path / "workspace"))
