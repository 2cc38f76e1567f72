"""What the sandbox hides from learner code follows the folders tutor really uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.grading.cache import ReferenceCache, default_cache_dir
from tutor.grading.factory import secret_paths


def test_moved_progress_and_cache_folders_are_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "progress-here"))
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache-here"))
    lessons = tmp_path / "my-lessons"
    hidden = secret_paths([lessons], ReferenceCache(default_cache_dir()))
    for folder in ("progress-here", "cache-here", "my-lessons"):
        assert str((tmp_path / folder).resolve()) in hidden, folder
