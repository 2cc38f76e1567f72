"""Where tutor keeps things: one place for every folder and the variables that move them.

=====================  ==================================  =================================
variable               what                                default (platformdirs, app "tutor")
=====================  ==================================  =================================
``TUTOR_DATA_DIR``     progress database folder            user data dir
``TUTOR_WORKSPACE``    the learner's exercise files        user data dir / ``workspace``
``TUTOR_CACHE_DIR``    reference results                   user cache dir / ``references``
``TUTOR_LESSONS``      lesson folders, joined with ``:``   the built-in course
=====================  ==================================  =================================

Every variable is read the same way: surrounding spaces stripped, ``~`` expanded, empty means
unset. The folder name stays ``tutor`` whatever the distribution is called, so renaming the
package on the index never moves a learner's progress.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "tutor"

DATA_ENV = "TUTOR_DATA_DIR"
WORKSPACE_ENV = "TUTOR_WORKSPACE"
CACHE_ENV = "TUTOR_CACHE_DIR"
LESSONS_ENV = "TUTOR_LESSONS"

DB_NAME = "progress.db"
WORKSPACE_NAME = "workspace"


def env_path(name: str) -> Path | None:
    """The folder a variable names (stripped, ``~`` expanded), or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def env_paths(name: str) -> list[Path]:
    """The folders of a path-list variable (``os.pathsep`` between them), empty parts skipped."""
    value = os.environ.get(name, "")
    return [Path(p.strip()).expanduser() for p in value.split(os.pathsep) if p.strip()]


def data_dir() -> Path:
    """``TUTOR_DATA_DIR``, else the platform's user data folder for tutor."""
    return env_path(DATA_ENV) or Path(platformdirs.user_data_dir(APP_NAME))


def db_path() -> Path:
    """The progress database."""
    return data_dir() / DB_NAME


def workspace_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--workspace DIR`` if given, else ``TUTOR_WORKSPACE``, else ``workspace`` in the data
    folder (so ``TUTOR_DATA_DIR`` moves it too)."""
    if explicit is not None and str(explicit).strip():
        return Path(str(explicit).strip()).expanduser()
    return env_path(WORKSPACE_ENV) or data_dir() / WORKSPACE_NAME


def cache_dir() -> Path:
    """``TUTOR_CACHE_DIR``, else ``references`` in the platform's user cache folder."""
    return env_path(CACHE_ENV) or Path(platformdirs.user_cache_dir(APP_NAME)) / "references"


def lesson_dirs_from_env() -> list[Path]:
    """The folders ``TUTOR_LESSONS`` names (empty when unset)."""
    return env_paths(LESSONS_ENV)
