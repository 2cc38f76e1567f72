"""Reference results, computed once per (exercise, seed, torch version) and kept on disk.

Grading a class runs each reference solution once, not once per learner. Only the grader
writes entries (from reference runs, never from a learner's), and each carries an HMAC made
with a key that lives beside the cache, where no sandboxed run can read or write: an entry
that was changed, swapped for another exercise's or written by anyone else fails the check
and is recomputed. Files are written atomically (temp file + rename).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from pathlib import Path
from typing import Any

from tutor import __version__, paths

CACHE_ENV = paths.CACHE_ENV
KEY_FILE = ".hmac-key"
FORMAT = 2
RUN_SEMANTICS = 2  # bumped when a run computes check values differently (2: reseed per check)


def default_cache_dir() -> Path:
    """``TUTOR_CACHE_DIR``, else ``references`` in the user cache folder (``tutor.paths``)."""
    return paths.cache_dir()


class ReferenceCache:
    def __init__(self, folder: Path | None = None, enabled: bool = True) -> None:
        self.folder = folder or default_cache_dir()
        self.enabled = enabled
        self._memory: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._secret: bytes | None = None
        self.rejected = 0  # entries on disk that failed their check (for tests and doctors)

    def key_lock(self, key: str) -> threading.Lock:
        """One lock per key, so parallel graders compute a reference only once."""
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    @staticmethod
    def key(kind: str, fingerprint: str, seed: int, torch_version: str) -> str:
        semantics = f"v{__version__}r{RUN_SEMANTICS}"
        return f"{kind}-{fingerprint}-s{seed}-t{torch_version}-{semantics}".replace("/", "_")

    # -- the signing key -------------------------------------------------------------------

    def _key(self) -> bytes | None:
        """The HMAC key: made once (0600, beside the entries), read by graders only."""
        if self._secret is not None:
            return self._secret
        path = self.folder / KEY_FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError:
            return None
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        try:
            info = path.stat()
            text = path.read_text().strip()
        except OSError:
            return None
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None  # someone else's, or readable by others: sign nothing with it
        if len(text) < 32:
            return None
        self._secret = text.encode()
        return self._secret

    def _mac(self, key: str, data: dict[str, Any]) -> str | None:
        secret = self._key()
        if secret is None:
            return None
        body = json.dumps(data, sort_keys=True, allow_nan=True).encode()
        return hmac.new(secret, key.encode() + b"\n" + body, hashlib.sha256).hexdigest()

    # -- entries ---------------------------------------------------------------------------

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        if not self.enabled:
            return None
        path = self.folder / f"{key}.json"
        try:
            entry = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            return None
        data = entry.get("data") if isinstance(entry, dict) else None
        mac = entry.get("mac") if isinstance(entry, dict) else None
        expected = self._mac(key, data) if isinstance(data, dict) else None
        if (
            not isinstance(mac, str)
            or expected is None
            or entry.get("format") != FORMAT
            or not hmac.compare_digest(mac, expected)
        ):
            self.rejected += 1
            return None
        with self._lock:
            self._memory[key] = data
        return data

    def put(self, key: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._memory[key] = data
        if not self.enabled:
            return
        mac = self._mac(key, data)
        if mac is None:
            return  # no key (read-only or full disk): keep the entry in memory only
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w") as fh:
                json.dump({"format": FORMAT, "mac": mac, "data": data}, fh, allow_nan=True)
            os.replace(tmp, self.folder / f"{key}.json")
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)  # a read-only or full disk only costs the disk copy
