"""Verdicts: what grading says about one item, in the shape of the contract's result JSON.

Much of an item comes from the learner's run (its output, the exception, the checked values
shown as text), so none of it is trusted: :meth:`ItemResult.cleaned` is the one place where
an item becomes report data, and every writer (JSON, JUnit, text, the batch files) uses it.
Each text field goes through :func:`tutor.grading.clean.clean_text` with its own cap, in
bytes of UTF-8:

============================  ==========
field                         limit
============================  ==========
``message``                   1 KiB
``output``                    4 KiB (the contract's "cut to 4 KiB")
``traceback``                 4 KiB
check ``expected``, ``got``   2 KiB each
check ``explain``             2 KiB
``id``, ``lesson``, ``kind``  256 B
check ``expr``, ``message``   1 KiB
``flags``                     32 flags of 64 B
============================  ==========

and an item keeps at most :data:`MAX_CHECKS` checks in a report (failed checks first, in
their order, then passed ones), saying how many it left out in ``checks_omitted``.
Numbers are exact ints or finite floats, statuses one of the contract's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from tutor.grading.clean import clean_data, clean_float, clean_int, clean_text

ItemStatus = Literal["pass", "fail", "error", "timeout", "missing"]
ITEM_STATUSES = ("pass", "fail", "error", "timeout", "missing")

OUTPUT_LIMIT = 4096  # bytes of printed output kept in a result (the contract's 4 KiB)
MESSAGE_LIMIT = 1024
TRACEBACK_LIMIT = 4096
VALUE_LIMIT = 2048  # a check's expected / got
EXPLAIN_LIMIT = 2048
NAME_LIMIT = 256  # id, lesson, kind
EXPR_LIMIT = 1024  # a check's expression and message (lesson text)
MAX_CHECKS = 200  # checks per item in a report
MAX_FLAGS, FLAG_LIMIT = 32, 64
BLOCK_CUT = "\n... (cut)"  # the marker for multi-line fields


def cut_output(text: str, limit: int = OUTPUT_LIMIT) -> str:
    """Printed output as it goes in a report: cleaned, at most ``limit`` bytes."""
    return clean_text(text, limit, BLOCK_CUT)


@dataclass
class CheckResult:
    expr: str
    message: str
    seed: int
    status: Literal["pass", "fail"]
    expected: str
    got: str
    explain: str = ""  # one line: "w.grad: expected tensor([5.]), got tensor([10.]) (...)"

    def cleaned(self) -> CheckResult:
        """A copy fit for a report (limits in the module doc)."""
        return CheckResult(
            expr=clean_text(self.expr, EXPR_LIMIT),
            message=clean_text(self.message, EXPR_LIMIT),
            seed=clean_int(self.seed),
            status="pass" if _is_pass(self) else "fail",
            expected=clean_text(self.expected, VALUE_LIMIT),
            got=clean_text(self.got, VALUE_LIMIT),
            explain=clean_text(self.explain, EXPLAIN_LIMIT),
        )

    def to_json(self) -> dict[str, Any]:
        c = self.cleaned()
        return {
            "expr": c.expr,
            "message": c.message,
            "seed": c.seed,
            "status": c.status,
            "expected": c.expected,
            "got": c.got,
        }


def _is_pass(check: Any) -> bool:
    status = getattr(check, "status", None)
    return type(status) is str and status == "pass"


def pick_checks(checks: list[CheckResult], limit: int = MAX_CHECKS) -> list[CheckResult]:
    """At most ``limit`` checks: the failed ones first, then passed ones, in their order."""
    if type(checks) is not list:
        return []
    if len(checks) <= limit:
        return list(checks)
    failed = [n for n, c in enumerate(checks) if not _is_pass(c)]
    keep = set(failed[:limit])
    for n in range(len(checks)):
        if len(keep) >= limit:
            break
        keep.add(n)
    return [checks[n] for n in sorted(keep)]


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
    flags: list[str] = field(default_factory=list)  # what the sandbox refused or noticed
    checks_omitted: int = 0  # checks a report left out (see MAX_CHECKS)
    # not graded because the lesson is broken (its reference solution or shown code failed):
    # no points counted against the learner, and the report's ``lesson_errors`` names it
    lesson_error: bool = False
    lesson_line: int = 0  # the lesson-file line of that failure (for ``lesson_errors``)
    lesson_problem: str = ""  # what failed, for ``lesson_errors`` (trusted: the lesson's run)

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def cleaned(self) -> ItemResult:
        """A copy fit for a report: every field capped and cleaned (see the module doc)."""
        checks = self.checks if type(self.checks) is list else []
        kept = pick_checks(checks)
        flags = self.flags if type(self.flags) is list else []
        status = self.status if type(self.status) is str else "error"
        repl = self.repl if type(self.repl) is list else []
        return replace(
            self,
            id=clean_text(self.id, NAME_LIMIT),
            lesson=clean_text(self.lesson, NAME_LIMIT),
            kind=clean_text(self.kind, NAME_LIMIT),
            status=status if status in ITEM_STATUSES else "error",  # type: ignore[arg-type]
            score=clean_int(self.score, 0, 0, 2**31),
            max_score=clean_int(self.max_score, 0, 0, 2**31),
            duration_s=max(0.0, clean_float(self.duration_s)),
            message=clean_text(self.message, MESSAGE_LIMIT),
            output=clean_text(self.output, OUTPUT_LIMIT, BLOCK_CUT),
            checks=[c.cleaned() for c in kept if isinstance(c, CheckResult)],
            line=clean_int(self.line, None, 1, 10**9) if self.line is not None else None,  # type: ignore[arg-type]
            traceback=clean_text(self.traceback, TRACEBACK_LIMIT, BLOCK_CUT),
            repl=clean_data(repl[:MAX_CHECKS]),
            graph=clean_data(self.graph) if self.graph is not None else None,
            internal=self.internal is True,
            lesson_error=self.lesson_error is True,
            lesson_line=clean_int(self.lesson_line, 0, 0, 10**9),
            lesson_problem=clean_text(self.lesson_problem, MESSAGE_LIMIT),
            flags=[clean_text(f, FLAG_LIMIT) for f in flags[:MAX_FLAGS]],
            checks_omitted=clean_int(self.checks_omitted, 0, 0) + len(checks) - len(kept),
        )

    def to_json(self) -> dict[str, Any]:
        r = self.cleaned()
        data: dict[str, Any] = {
            "id": r.id,
            "lesson": r.lesson,
            "kind": r.kind,
            "status": r.status,
            "score": r.score,
            "max_score": r.max_score,
            "duration_s": round(r.duration_s, 4),
            "message": r.message,
            "output": r.output,
            "checks": [c.to_json() for c in r.checks],
        }
        if r.checks_omitted:
            data["checks_omitted"] = r.checks_omitted
        if r.line is not None:
            data["line"] = r.line
        if r.internal:
            data["internal"] = True
        if r.lesson_error:
            data["lesson_error"] = True
        if r.flags:
            data["flags"] = r.flags
        return data
