"""What crosses the sandbox boundary: jobs in, results out, as length-prefixed JSON frames.

Plain data both ways (never pickles), so a hostile child can at worst send a wrong answer,
never code for the grader to run. The shapes here are the sandbox's whole interface: the grader
and the TUI build a :class:`Job` and read a :class:`RunResult`, whatever backend runs it.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO, Literal

HEADER = struct.Struct(">I")
MAX_FRAME = 64 * 1024 * 1024  # a result bigger than this is refused, not read

Status = Literal["ok", "raised", "timeout", "crashed", "memory", "violation", "internal"]

SECRETS_ENV = "TUTOR_SANDBOX_SECRETS"  # paths the child may not read, joined with os.pathsep

# file names the child compiles code under: tracebacks name lines in the learner's own code
CODE_FILE = "<your code>"
SETUP_FILE = "<setup>"
CHECK_FILE = "<check>"


@dataclass
class Job:
    """One sandboxed run: seed -> setup -> code -> reseed -> checks (-> repl lines, graph)."""

    code: str
    setup: str = ""
    checks: list[str] = field(default_factory=list)
    seed: int = 0
    timeout: float = 10.0
    memory_mb: int = 2048  # extra memory the run may allocate beyond the warm interpreter
    output_cap: int = 64 * 1024  # bytes of printed output kept
    raises: str | None = None  # exception type the code is expected to raise
    code_name: str = CODE_FILE
    repl: list[str] = field(default_factory=list)  # statements run after the code, REPL-style
    graph_of: str | None = None  # an expression whose autograd graph to describe
    watch: str | None = None  # a list in the namespace whose new items stream back as they come

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ErrorInfo:
    type: str
    message: str
    where: str  # "setup", "code", "check", "sandbox"
    line: int | None = None  # line in the learner's code (or setup) where it happened
    traceback: str = ""

    def one_line(self) -> str:
        at = f" at line {self.line}" if self.line else ""
        msg = self.message.strip().split("\n")[0][:300]
        return f"{self.type}{at}: {msg}" if msg else f"{self.type}{at}"


@dataclass
class RunResult:
    status: Status
    duration_s: float = 0.0
    output: str = ""  # what the code printed to stdout
    output_truncated: bool = False
    stderr: str = ""  # warnings and stderr prints, kept apart (a predict is about stdout)
    values: list[dict[str, Any]] = field(default_factory=list)  # one encoded value per check
    error: ErrorInfo | None = None
    raised_expected: bool = False  # the code raised the job's ``raises`` type
    repl: list[dict[str, Any]] = field(default_factory=list)
    graph: dict[str, Any] | None = None
    tampered: list[str] = field(default_factory=list)
    reason: str = ""  # one line for a person when status is not ok/raised

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        data = dict(data)
        err = data.pop("error", None)
        known = {f for f in cls.__dataclass_fields__}
        result = cls(**{k: v for k, v in data.items() if k in known})
        result.error = ErrorInfo(**err) if isinstance(err, dict) else None
        return result


def write_frame(stream: BinaryIO, obj: Any) -> None:
    data = json.dumps(obj, allow_nan=True).encode()
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    """Read one frame; ``EOFError`` when the other side is gone."""
    head = _read_exact(stream.read, HEADER.size)
    (size,) = HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ValueError(f"frame of {size} bytes is over the limit")
    return json.loads(_read_exact(stream.read, size))


def write_frame_fd(fd: int, obj: Any) -> None:
    data = json.dumps(obj, allow_nan=True).encode()
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(read, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = read(left)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
