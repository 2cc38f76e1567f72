"""Fixtures for the progress tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tutor is used from the checkout, not installed
    sys.path.insert(0, str(ROOT))

from tutor.progress import ProgressStore  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "progress.db"


@pytest.fixture
def store(db_path: Path):
    s = ProgressStore(db_path)
    yield s
    s.close()
