"""Reference results, computed once per (exercise, seed, torch version) and kept on disk.

Grading a class runs each reference solution once, not once per learner. Files are written
atomically (temp file + rename); a damaged file is ignored and recomputed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import platformdirs

from tutor import __version__

CACHE_ENV = "TUTOR_CACHE_DIR"


def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path(platformdirs.user_cache_dir("tutor")) / "references"


class ReferenceCache:
    def __init__(self, folder: Path | None = None, enabled: bool = True) -> None:
        self.folder = folder or default_cache_dir()
        self.enabled = enabled
        self._memory: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}

    def key_lock(self, key: str) -> threading.Lock:
        """One lock per key, so parallel graders compute a reference only once."""
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    @staticmethod
    def key(kind: str, fingerprint: str, seed: int, torch_version: str) -> str:
        return f"{kind}-{fingerprint}-s{seed}-t{torch_version}-v{__version__}".replace("/", "_")

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        if not self.enabled:
            return None
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        with self._lock:
            self._memory[key] = data
        return data

    def put(self, key: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._memory[key] = data
        if not self.enabled:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh, allow_nan=True)
            os.replace(tmp, self.folder / f"{key}.json")
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)  # a read-only or full disk only costs the disk copy
