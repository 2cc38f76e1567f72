"""What a run prints: a real text stream over a capped sink (so code written for a terminal
runs), and a flush that never lets a broken stream stop the run."""

from __future__ import annotations

import contextlib
import io
import sys
from typing import Any


class CappedBuffer(io.RawIOBase):
    """The bytes under ``sys.stdout``: keeps the first ``cap``, counts the rest."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.data = bytearray()
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        room = self.cap - len(self.data)
        if room > 0:
            self.data += data[:room]
        self.dropped += max(0, len(data) - max(room, 0))
        return len(data)

    def isatty(self) -> bool:
        return False

    def text(self, start: int = 0) -> str:
        return bytes(self.data[start:]).decode("utf-8", "replace")


def capped_stream(cap: int) -> tuple[io.TextIOWrapper, CappedBuffer]:
    """A real text stream (``.buffer``, ``.encoding``, ``.reconfigure``) over a capped sink,
    so code written for a terminal (``io.TextIOWrapper(sys.stdout.buffer, ...)``) runs."""
    raw = CappedBuffer(cap)
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)
    return stream, raw


def flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
