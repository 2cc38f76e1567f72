"""Read a submission folder (contract section 5): ``<id>.py`` or ``<id>.txt`` per item."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor.lesson.model import Item

MAX_BYTES = 1024 * 1024  # a learner's answer file above this is refused unread


@dataclass(frozen=True)
class Answer:
    text: str | None  # None: no usable answer (see problem), or missing
    problem: str = ""  # why the file could not be used
    path: Path | None = None

    @property
    def missing(self) -> bool:
        return self.text is None and not self.problem


def answer_path(folder: Path, item: Item) -> Path:
    return folder / (f"{item.id}.py" if item.kind == "exercise" else f"{item.id}.txt")


def read_answer(folder: Path, item: Item) -> Answer:
    path = answer_path(folder, item)
    if not path.exists():
        return Answer(None)
    if not path.is_file():
        return Answer(None, f"{path.name} is not a regular file", path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Answer(
                None, f"{path.name} is {size / 1e6:.1f} MB; answers are limited to 1 MiB", path
            )
        data = path.read_bytes()
    except OSError as exc:
        return Answer(None, f"cannot read {path.name}: {exc.strerror or exc}", path)
    if b"\x00" in data:
        return Answer(None, f"{path.name} looks like a binary file, not text", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Answer(None, f"{path.name} is not UTF-8 text (line {line}): save it as UTF-8", path)
    return Answer(text.replace("\r\n", "\n"), "", path)
