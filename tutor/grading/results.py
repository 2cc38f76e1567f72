"""Verdicts: what grading says about one item, in the shape of the contract's result JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ItemStatus = Literal["pass", "fail", "error", "timeout", "missing"]
OUTPUT_LIMIT = 4096  # bytes of printed output kept in a result (the contract's 4 KiB)


def cut_output(text: str, limit: int = OUTPUT_LIMIT) -> str:
    data = text.encode("utf-8", "replace")
    if len(data) <= limit:
        return text
    return data[: limit - 20].decode("utf-8", "ignore") + "\n... (output cut)"


@dataclass
class CheckResult:
    expr: str
    message: str
    seed: int
    status: Literal["pass", "fail"]
    expected: str
    got: str
    explain: str = ""  # one line: "w.grad: expected tensor([5.]), got tensor([10.]) (...)"

    def to_json(self) -> dict[str, Any]:
        return {
            "expr": self.expr,
            "message": self.message,
            "seed": self.seed,
            "status": self.status,
            "expected": self.expected,
            "got": self.got,
        }


@dataclass
class ItemResult:
    id: str
    lesson: str
    kind: str
    status: ItemStatus
    score: int
    max_score: int
    duration_s: float = 0.0
    message: str = ""
    output: str = ""
    checks: list[CheckResult] = field(default_factory=list)
    line: int | None = None  # line of the learner's code an error points at
    traceback: str = ""
    repl: list[dict[str, Any]] = field(default_factory=list)
    graph: dict[str, Any] | None = None
    internal: bool = False  # the lesson or the sandbox broke, not the learner's code
    flags: list[str] = field(default_factory=list)  # refused or noticed, for an instructor

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "lesson": self.lesson,
            "kind": self.kind,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "duration_s": round(self.duration_s, 4),
            "message": self.message,
            "output": cut_output(self.output),
            "checks": [c.to_json() for c in self.checks],
        }
        if self.line is not None:
            data["line"] = self.line
        if self.internal:
            data["internal"] = True
        if self.flags:
            data["flags"] = list(self.flags)
        return data
