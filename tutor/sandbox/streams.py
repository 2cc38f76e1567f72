"""What a run prints: a real text stream over a capped sink (so code written for a terminal
runs), and a flush that never lets a broken stream stop the run."""

from __future__ import annotations

import contextlib
import io
import sys
from typing import Any


class CappedBuffer(io.RawIOBase):
    """The bytes under ``sys.stdout``: keeps the first ``cap``, counts the rest.

    The code can reach this object (``sys.stdout.buffer``) and set attributes on it, so
    tutor's main thread never calls its methods: it reads the slots through the class's own
    descriptors (:func:`captured`, :func:`dropped`) and checks their types."""

    __slots__ = ("cap", "data", "dropped")

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


_DATA, _DROPPED = CappedBuffer.data, CappedBuffer.dropped  # slot descriptors, bound now


def captured(raw: CappedBuffer, start: int = 0) -> str:
    """What was written to ``raw`` from byte ``start`` on, as text."""
    data = _DATA.__get__(raw)
    return bytes(data[start:]).decode("utf-8", "replace") if type(data) is bytearray else ""


def captured_size(raw: CappedBuffer) -> int:
    data = _DATA.__get__(raw)
    return len(data) if type(data) is bytearray else 0


def dropped(raw: CappedBuffer) -> bool:
    """Was anything cut (more printed than the cap)?"""
    count = _DROPPED.__get__(raw)
    return type(count) is int and count > 0


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
