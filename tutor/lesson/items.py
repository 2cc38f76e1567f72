"""Item building: a header block and the fences it owns -> Exercise, Quiz or Predict.

This is the part of the parser that grows with each new item kind or key. Every problem is a
:class:`LessonError` at the line of the key or block at fault.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.lesson.entries import ENTRY_EXAMPLES, entry_problem, normalise_entry
from tutor.lesson.errors import LessonError
from tutor.lesson.model import Check, Counterexample, Exercise, Item, Predict, Quiz
from tutor.lesson.source import parse_python

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADER_KINDS = ("exercise", "quiz", "predict")
ROLES = {
    "exercise": ("setup", "starter", "solution", "check", "wrong", "accept"),
    "predict": ("show",),
    "quiz": (),
}
ALL_ROLES = {role for roles in ROLES.values() for role in roles}
MANY_ROLES = {"wrong", "accept"}  # any number per exercise; every other role at most once
HIDDEN_ROLES = {"setup", "starter", "solution", "check", "wrong", "accept"}  # not prose
EXERCISE_KEYS = {
    "id", "points", "hints", "seeds", "timeout", "rtol", "atol", "raises",
    "forbid", "require", "rules_message",
}  # fmt: skip
QUIZ_KEYS = {"id", "question", "choices", "answer", "points", "explain", "hints"}
PREDICT_KEYS = {"id", "points", "hints", "timeout", "explain"}
TOML_ADVICE = (
    'Write one key = value per line: strings in double quotes (id = "my-id"), '
    'lists in brackets (hints = ["a", "b"]), numbers bare (points = 10)'
)
# a check's message may start with ``raises SomeError:`` (or be just ``raises SomeError``):
# the author expects the reference run to raise that type there (see Check.raises)
CHECK_RAISES_RE = re.compile(r"^raises\s+([A-Za-z_][\w.]*)\s*(?::\s*(.*))?$", re.S)


@dataclass
class _Fence:
    lang: str
    role: str | None
    content: str
    start: int  # 1-based file line of the opening fence; the content starts on start + 1
    end: int  # 1-based file line after the closing fence (exclusive)


@dataclass
class _Header:
    kind: str
    fence: _Fence
    blocks: dict[str, _Fence] = field(default_factory=dict)  # roles used once
    many: list[_Fence] = field(default_factory=list)  # wrong/accept blocks, in file order
    heading: str = ""
    prompt: str = ""

    def owned(self) -> list[_Fence]:
        return [*self.blocks.values(), *self.many]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'points'?)`` when ``word`` is a likely typo of one choice, else ""."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _key_line(source: str, key: str, first_line: int) -> int:
    """File line where ``key`` is set in a YAML/TOML block whose first line is ``first_line``."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[:=]")
    for offset, line in enumerate(source.split("\n")):
        if pattern.match(line):
            return first_line + offset
    return first_line


def _toml(header: _Header, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(header.fence.content)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = header.fence.start + int(m.group(1)) if m else header.fence.start
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) if m else msg
        if m and reason == "Unclosed array":  # noticed on the next key's line: name the '['
            lines = header.fence.content.split("\n")[: int(m.group(1)) - 1]
            opened = [
                n for n, text in enumerate(lines, 1) if re.match(r"^\s*[\w\"'.-]+\s*=\s*\[", text)
            ]
            if opened:
                line = header.fence.start + opened[-1]
                reason = "Unclosed array: the '[' on this line has no ']'"
        if "(at end of document)" in msg:  # e.g. a list never closed: its last line
            lines = header.fence.content.rstrip().split("\n")
            line = header.fence.start + len(lines)
            reason = msg.replace(" (at end of document)", " at the end of the block")
        raise LessonError(
            path,
            line,
            f"'toml {header.kind}' block is not valid TOML: {reason}. {TOML_ADVICE}",
        ) from None


class _Keys:
    """Typed access to a header's keys, each error pointing at the key's own line."""

    def __init__(self, data: dict[str, Any], header: _Header, path: Path) -> None:
        self.data, self.header, self.path = data, header, path

    def line(self, key: str) -> int:
        return _key_line(self.header.fence.content, key, self.header.fence.start + 1)

    def fail(self, key: str, what: str) -> LessonError:
        return LessonError(self.path, self.line(key), f"'{key}' {what}")

    def check_known(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise LessonError(
                    self.path,
                    self.line(key),
                    f"unknown key {key!r} in 'toml {self.header.kind}'"
                    + did_you_mean(key, allowed)
                    + ": expected one of "
                    + ", ".join(sorted(allowed)),
                )

    def id(self) -> str:
        value = self.data.get("id")
        if value is None:
            raise LessonError(
                self.path,
                self.header.fence.start,
                f"'toml {self.header.kind}' needs an id = \"...\"",
            )
        if not isinstance(value, str) or not ID_RE.match(value):
            raise self.fail("id", f"must be lowercase letters, digits and '-', got {value!r}")
        return value

    def int(self, key: str, default: int, low: int = 0) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(key, f"must be a whole number >= {low}, got {value!r}")
        return value

    def number(self, key: str, default: float, positive: bool = False) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, got {value!r}")
        if value < 0 or (positive and value == 0):
            raise self.fail(key, f"must be {'above' if positive else 'at least'} 0, got {value!r}")
        return float(value)

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.data.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, f"must be a string, got {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            example = (
                ' (a nudge, then the concept, then the API), e.g. ["...", "...", "..."]'
                if key == "hints"
                else ', e.g. ["a", "b"]'
            )
            raise self.fail(key, "must be a list of strings" + example)
        return tuple(value)

    def rules(self) -> tuple[tuple[str, ...], tuple[str, ...], str]:
        """``forbid``, ``require`` and ``rules_message`` (LESSON_FORMAT 2a), validated."""
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("forbid", "require"):
            value = self.data.get(key, [])
            if not isinstance(value, list):
                raise self.fail(key, f"must be a list of strings, e.g. {key} = [{ENTRY_EXAMPLES}]")
            for entry in value:
                problem = entry_problem(entry)
                if problem is not None:
                    raise self.fail(
                        key, f'entry {problem}: write {ENTRY_EXAMPLES}, e.g. {key} = ["backward"]'
                    )
            lists[key] = tuple(value)
        forbid, require = lists["forbid"], lists["require"]
        later = max(("forbid", "require"), key=self.line)
        for wanted in require:
            norm = normalise_entry(wanted)
            for banned in forbid:
                under = normalise_entry(banned)
                if norm == under or (not under.startswith(".") and norm.startswith(under + ".")):
                    how = (
                        "in both 'forbid' and 'require'"
                        if wanted == banned
                        else (f"required as {wanted!r} but forbidden as {banned!r}")
                    )
                    raise self.fail(later, f"entry {wanted!r} is {how}: no code can obey both")
        message = self.text("rules_message", "") or ""
        if message and not (forbid or require):
            raise self.fail(
                "rules_message",
                'has no forbid/require to explain: add e.g. forbid = ["torch.autograd.grad"] '
                "or drop it",
            )
        return forbid, require, message


def build_item(header: _Header, lesson_id: str, path: Path) -> Item:
    keys = _Keys(_toml(header, path), header, path)
    common = {"lesson_id": lesson_id, "path": path, "line": header.fence.start}
    if header.kind == "exercise":
        return _exercise(header, keys, common, path)
    if header.kind == "quiz":
        return _quiz(header, keys, common)
    return _predict(header, keys, common, path)


def _exercise(header: _Header, keys: _Keys, common: dict, path: Path) -> Exercise:
    keys.check_known(EXERCISE_KEYS)
    ex_id = keys.id()
    seeds = keys.data.get("seeds", [0])
    if (
        not isinstance(seeds, list)
        or not seeds
        or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)
    ):
        raise keys.fail("seeds", "must be a non-empty list of whole numbers, e.g. [0, 1, 2]")
    raises = keys.text("raises")
    if raises is not None and not re.match(r"^[A-Za-z_][\w.]*$", raises):
        raise keys.fail(
            "raises", f'must name an exception type such as "RuntimeError", got {raises!r}'
        )
    forbid, require, rules_message = keys.rules()
    for role in ("solution", "check"):
        if role not in header.blocks:
            raise LessonError(
                path,
                header.fence.start,
                f"exercise {ex_id!r} has no 'python {role}' block: add one after its header",
            )
    for role, block in header.blocks.items():
        if role != "check":
            _must_compile(block, role, path)
    setup_block, starter_block = header.blocks.get("setup"), header.blocks.get("starter")
    counter: dict[str, list[Counterexample]] = {"wrong": [], "accept": []}
    for block in header.many:
        assert block.role in counter
        _must_compile(block, block.role, path)
        counter[block.role].append(_counterexample(block, path))
    checks = _checks(header.blocks["check"], path)
    if not checks:
        raise LessonError(
            path,
            header.blocks["check"].start,
            f"exercise {ex_id!r} has an empty check block: write one Python expression per "
            "line, e.g. 'w.grad  # the gradient of y with respect to w'",
        )
    return Exercise(
        id=ex_id,
        prompt=header.prompt,
        title=header.heading,
        solution=header.blocks["solution"].content,
        solution_line=header.blocks["solution"].start + 1,
        setup_line=setup_block.start + 1 if setup_block else 0,
        starter_line=starter_block.start if starter_block else 0,
        checks=checks,
        starter=header.blocks["starter"].content if "starter" in header.blocks else "",
        setup=header.blocks["setup"].content if "setup" in header.blocks else "",
        points=keys.int("points", 10),
        hints=keys.strings("hints"),
        seeds=tuple(seeds),
        timeout=keys.number("timeout", 10.0, positive=True),
        rtol=keys.number("rtol", 1e-5),
        atol=keys.number("atol", 1e-6),
        raises=raises,
        forbid=forbid,
        require=require,
        rules_message=rules_message,
        wrong=tuple(counter["wrong"]),
        accept=tuple(counter["accept"]),
        **common,
    )


def _counterexample(block: _Fence, path: Path) -> Counterexample:
    """A wrong/accept block; its label is its first line's ``# comment`` (required for wrong)."""
    lines = block.content.split("\n")
    first = next((n for n, text in enumerate(lines) if text.strip()), None)
    label = ""
    if first is not None and lines[first].lstrip().startswith("#"):
        label = lines[first].lstrip().lstrip("#").strip()
    if block.role == "wrong" and not label:
        raise LessonError(
            path,
            block.start,
            "a 'python wrong' block must begin with a '# comment' naming the shortcut or "
            "misconception it shows, e.g. '# gradients typed in: backward never runs'",
        )
    return Counterexample(code=block.content, label=label, line=block.start)


def _quiz(header: _Header, keys: _Keys, common: dict) -> Quiz:
    keys.check_known(QUIZ_KEYS)
    quiz_id = keys.id()
    question = keys.text("question")
    if not question:
        raise LessonError(
            common["path"],
            header.fence.start,
            f'quiz {quiz_id!r} needs a question: add question = "..." to its header',
        )
    choices = keys.strings("choices")
    if len(choices) < 2:
        raise keys.fail("choices", "needs at least two choices")
    if "answer" not in keys.data:
        raise LessonError(
            common["path"],
            header.fence.start,
            f"quiz {quiz_id!r} needs an answer: add answer = N, the number of the right "
            "choice counting from 1",
        )
    answer = keys.int("answer", 0, low=1)
    if answer > len(choices):
        raise keys.fail(
            "answer",
            f"is {answer} but there are only {len(choices)} choices (1-based): give the number "
            f"of the right choice, from 1 to {len(choices)}",
        )
    return Quiz(
        id=quiz_id,
        question=question,
        choices=choices,
        answer=answer,
        points=keys.int("points", 5),
        explain=keys.text("explain", "") or "",
        hints=keys.strings("hints"),
        prompt=header.prompt,
        title=header.heading,
        **common,
    )


def _predict(header: _Header, keys: _Keys, common: dict, path: Path) -> Predict:
    keys.check_known(PREDICT_KEYS)
    pred_id = keys.id()
    if "show" not in header.blocks:
        raise LessonError(
            path, header.fence.start, f"predict {pred_id!r} has no 'python show' block after it"
        )
    _must_compile(header.blocks["show"], "show", path)
    return Predict(
        id=pred_id,
        show=header.blocks["show"].content,
        show_line=header.blocks["show"].start + 1,
        points=keys.int("points", 5),
        hints=keys.strings("hints"),
        timeout=keys.number("timeout", 10.0, positive=True),
        explain=keys.text("explain", "") or "",
        prompt=header.prompt,
        title=header.heading,
        **common,
    )


def code_line(block: _Fence, lineno: int | None) -> int:
    """File line of line ``lineno`` (1-based) of a fence's code: the code starts right after
    the opening fence. A line Python reports past the code (an error found at its end) is
    pinned to the code's last line, so the error never points at the closing fence."""
    last = max(1, block.content.count("\n") if block.content.endswith("\n") else
               block.content.count("\n") + 1)  # fmt: skip
    return block.start + 1 + (min(max(lineno or 1, 1), last) - 1)


def _must_compile(block: _Fence, role: str, path: Path) -> None:
    if role == "starter":
        return  # a starter may be deliberately unfinished (``w = ...`` or a bug to fix)
    try:
        compile(block.content, f"<{role}>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise LessonError(
            path,
            code_line(block, exc.lineno),
            f"'python {role}' block has a syntax error: {exc.msg}",
        ) from None
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        raise LessonError(
            path, block.start, f"'python {role}' block cannot compile: {exc}"
        ) from None


def split_check_line(line: str) -> tuple[str, str]:
    """Split ``expr  # message`` at the comment, respecting '#' inside strings."""
    comment_col = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line).readline):
            if tok.type == tokenize.COMMENT:
                comment_col = tok.start[1]
                break
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    if comment_col is None:
        return line.strip(), ""
    return line[:comment_col].strip(), line[comment_col + 1 :].strip()


def _checks(block: _Fence, path: Path) -> tuple[Check, ...]:
    checks = []
    for offset, raw in enumerate(block.content.split("\n")):
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        line = block.start + 1 + offset
        expr, message = split_check_line(raw)
        try:
            parse_python(expr, mode="eval")
        except SyntaxError as exc:
            raise LessonError(
                path,
                line,
                f"check line is not one Python expression ({exc.msg}): {expr!r}. "
                "Write one expression per line, e.g. 'w.grad  # the gradient of y'; "
                "statements (assignments, calls to run first) belong in the solution or setup",
            ) from None
        raises = None
        marked = CHECK_RAISES_RE.match(message)
        if marked:
            raises, message = marked.group(1), (marked.group(2) or "").strip()
        checks.append(Check(expr=expr, message=message, line=line, raises=raises))
    return tuple(checks)
