"""Turn core results into rich text for the learner: verdicts, checks, tracebacks, XP."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

if TYPE_CHECKING:
    from rich.syntax import Syntax

    from tutor.grading.results import CheckResult, ItemResult
    from tutor.progress import AttemptResult, Level
    from tutor.sandbox.protocol import RunResult

PASS, FAIL = "✔", "✘"
STATUS_WORDS = {
    "pass": ("PASSED", "bold green"),
    "fail": ("NOT YET", "bold yellow"),
    "error": ("ERROR", "bold red"),
    "timeout": ("TIMED OUT", "bold red"),
    "missing": ("MISSING", "bold red"),
}


def python(code: str, line_numbers: bool = False) -> Syntax:
    """Python source highlighted with pygments, on the terminal's own background."""
    from rich.syntax import Syntax  # pygments: imported on first use, not before first paint

    return Syntax(
        code.rstrip("\n"),
        "python",
        theme="monokai",
        background_color="default",
        line_numbers=line_numbers,
        word_wrap=True,
    )


def value_text(text: str) -> Text:
    """A repr highlighted as Python (tensors, tuples, numbers) by pygments."""
    if not text:
        return Text("")
    out = python(text).highlight(text)
    out.rstrip()
    return out


def code_line(code: str, line: int | None) -> str:
    """Line ``line`` (1-based) of ``code``, stripped, or ''."""
    lines = code.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return ""
    return lines[line - 1].strip()


def error_where(code: str, line: int | None, traceback: str) -> Text:
    """The first failing line of the learner's code, in the editor's numbering."""
    out = Text()
    if line:
        out.append(f"  → line {line}: ", style="bold")
        out.append_text(value_text(code_line(code, line)) if code_line(code, line) else Text(""))
        out.append("\n")
    last = [ln for ln in traceback.strip().splitlines() if ln.strip()]
    if last:
        out.append(f"    {last[-1].strip()}\n", style="red")
    return out


def verdict(result: ItemResult, code: str) -> Group:
    """The whole verdict of a check: title, message, each check, the error line."""
    word, style = STATUS_WORDS.get(result.status, (result.status.upper(), "bold"))
    mark = PASS if result.passed else FAIL
    head = Text()
    head.append(f"{mark} {word}", style=style)
    checks = unique_checks(result)
    failed = [c for c in checks if c.status != "pass"]
    if result.status == "fail" and failed:
        head.append(f"  {len(failed)} of {len(checks)} checks differ")
        seed = failed[0].seed
        if len({c.seed for c in result.checks}) > 1 or seed:
            head.append(f" (seed {seed})", style="dim")
    elif result.message and not result.passed:
        message = result.message
        if result.traceback and ": " in message:
            message = message.split(": ")[0]  # the exception line follows, in full
        head.append(f"  {message}")
    elif checks:
        head.append(f"  all {len(checks)} checks match")
    parts: list[RenderableType] = [head]
    if result.line or result.traceback:
        parts.append(error_where(code, result.line, result.traceback))
    if result.checks:
        parts.append(check_lines(result))
    if clean_output(result.output).strip():
        parts.append(Text("printed:", style="dim"))
        parts.append(Text(_cut(clean_output(result.output)), style="dim"))
    return Group(*parts)


def unique_checks(result: ItemResult) -> list[CheckResult]:
    """One result per check expression (the first failing seed wins), failing ones first."""
    by_expr: dict[str, CheckResult] = {}
    for check in result.checks:
        old = by_expr.get(check.expr)
        if old is None or (old.status == "pass" and check.status != "pass"):
            by_expr[check.expr] = check
    checks = list(by_expr.values())
    return [c for c in checks if c.status != "pass"] + [c for c in checks if c.status == "pass"]


def check_lines(result: ItemResult) -> Text:
    out = Text()
    for check in unique_checks(result):
        ok = check.status == "pass"
        out.append(f"{PASS if ok else FAIL} ", style="green" if ok else "red")
        out.append(check.expr, style="bold" if not ok else "")
        if check.message:
            out.append(f"  # {check.message}", style="dim")
        out.append("\n")
        if not ok:
            out.append("    expected ", style="dim")
            out.append_text(value_text(check.expected))
            out.append("\n    got      ", style="dim")
            out.append_text(value_text(check.got))
            out.append("\n")
            why = _why(check.expr, check.expected, check.got, check.explain)
            if why:
                out.append(f"    why      {why}\n", style="yellow")
    return out


def _why(expr: str, expected: str, got: str, explain: str) -> str:
    """The reason part of a check's explanation (after "expr: expected X, got Y")."""
    lead = f"{expr}: expected {expected}, got {got}"
    rest = explain[len(lead) :].strip() if explain.startswith(lead) else ""
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    return rest


def run_summary(result: RunResult, code: str) -> Group:
    """What a plain run (ctrl+r) did: its output and, if it broke, where."""
    parts: list[RenderableType] = []
    if result.status == "ok":
        parts.append(Text(f"{PASS} ran in {result.duration_s:.2f} s", style="green"))
    elif result.status == "raised" and result.error is not None:
        at = f" at line {result.error.line}" if result.error.line else ""
        parts.append(Text(f"{FAIL} your code raised {result.error.type}{at}", style="bold red"))
        parts.append(error_where(code, result.error.line, result.error.traceback))
    elif result.status == "timeout":
        parts.append(Text(f"{FAIL} TIMED OUT ({result.reason})", style="bold red"))
        parts.append(Text("  Your code did not finish in time: look for a loop that never ends."))
    else:
        parts.append(Text(f"{FAIL} {result.reason or result.status}", style="bold red"))
    if clean_output(result.output).strip():
        parts.append(Text("printed:", style="dim"))
        parts.append(Text(_cut(clean_output(result.output))))
    elif result.status == "ok":
        parts.append(Text("(nothing printed: use print(), or ask the REPL tab)", style="dim"))
    return Group(*parts)


_OWN_WARNING = re.compile(r"^.*tutor[/\\]sandbox[/\\]\w+\.py:\d+: \w*Warning: ")


def clean_output(text: str) -> str:
    """The learner's output without warnings raised by tutor's own sandbox code (and the
    source line Python prints under each)."""
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if _OWN_WARNING.match(line):
            skip = True
            continue
        if skip and line.startswith("  "):
            skip = False
            continue
        skip = False
        out.append(line)
    return "".join(out)


def item_title(title: str) -> str:
    """A heading without its ``Exercise:`` / ``Quiz:`` / ``Predict:`` prefix."""
    return re.sub(r"^(exercise|quiz|predict|prediction)\s*:\s*", "", title, flags=re.I) or title


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}zes" if word.endswith("z") else f"{n} {word}s"


def _cut(text: str, limit: int = 4000) -> str:
    return text if len(text) <= limit else text[:limit] + "\n... (output cut)"


def award_text(attempt: AttemptResult) -> Text:
    """The celebration line for a first pass: XP and how it was worked out."""
    out = Text()
    award = attempt.award
    if award is None:
        return out
    if award.forfeited:
        out.append("Passed. No XP: the solution was revealed first.", style="bold")
        return out
    out.append(f"★ +{award.total} XP ★", style="bold green")
    bits = [f"{award.base} points"]
    if award.bonus:
        bits.append(f"+{award.bonus} first-try bonus")
    if award.hint_penalty:
        bits.append(f"-{award.hint_penalty} for hints")
    out.append(f"  ({', '.join(bits)})")
    return out


def level_line(level: Level) -> str:
    if level.is_max:
        return f"Level {level.number} · {level.name} (top level)"
    return f"Level {level.number} · {level.name}"


def bar(done: int, total: int, width: int = 20) -> str:
    """A text progress bar: ``██████░░░░``."""
    if total <= 0:
        return "█" * width
    filled = max(0, min(width, round(width * done / total)))
    return "█" * filled + "░" * (width - filled)


def repl_entry(entry: dict[str, Any]) -> Text:
    """One console exchange: ``>>> line``, what it printed, its value or error."""
    out = Text()
    out.append(">>> ", style="bold cyan")
    out.append_text(value_text(entry.get("input", "")))
    out.append("\n")
    if clean_output(entry.get("output") or ""):
        out.append(_cut(clean_output(entry["output"]), 2000).rstrip("\n") + "\n")
    if entry.get("error"):
        out.append(str(entry["error"]) + "\n", style="red")
    elif entry.get("value") is not None:
        out.append_text(value_text(str(entry["value"])))
    out.rstrip()
    return out


def leaf_label(info: dict[str, Any]) -> Text:
    """A tensor's facts as the graph view shows them."""
    out = Text()
    shape = "×".join(str(n) for n in info.get("shape", [])) or "scalar"
    out.append(f"shape {shape}", style="cyan")
    out.append(f"  requires_grad={info.get('requires_grad')}")
    out.append(f"  is_leaf={info.get('is_leaf')}")
    grad = info.get("grad")
    out.append("  grad=")
    out.append_text(value_text(grad) if grad is not None else Text("None", style="dim"))
    return out
