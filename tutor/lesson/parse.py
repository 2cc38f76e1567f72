"""Parse one lesson file (YAML front matter + CommonMark with TOML exercise headers).

Every problem raises :class:`LessonError` naming the file and the line, so an author can jump
straight to it. markdown-it-py finds the fences (so fences inside lists or quotes behave as
any CommonMark viewer shows them); tomllib and PyYAML read the headers.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from tutor.lesson.errors import LessonError
from tutor.lesson.model import Check, Exercise, Item, Lesson, Predict, Quiz

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADER_KINDS = ("exercise", "quiz", "predict")
ROLES = {
    "exercise": ("setup", "starter", "solution", "check"),
    "predict": ("show",),
    "quiz": (),
}
ALL_ROLES = {"setup", "starter", "solution", "check", "show"}
FRONT_KEYS = {"id", "title", "requires"}

_md = MarkdownIt("commonmark")


@dataclass
class _Fence:
    lang: str
    role: str | None
    content: str
    start: int  # 1-based line of the opening fence
    end: int  # 1-based line after the closing fence (exclusive, body-relative offset added)


@dataclass
class _Header:
    kind: str
    fence: _Fence
    blocks: dict[str, _Fence] = field(default_factory=dict)
    heading: str = ""
    prompt: str = ""


def parse_lesson_file(path: Path | str) -> Lesson:
    """Read and parse one lesson file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LessonError(path, 0, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LessonError(path, line, "the file is not UTF-8: save it as UTF-8") from None
    return parse_lesson(text, path)


def parse_lesson(text: str, path: Path | str = "<lesson>") -> Lesson:
    """Parse lesson text; ``path`` is used in error messages and kept on the model."""
    path = Path(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = _split_front_matter(text, path)
    lesson_id, title, requires = _front_matter_fields(meta, text, path)
    id_line, requires_line = _key_line(meta, "id", 2), _key_line(meta, "requires", 2)
    fences, headings = _scan(body, body_line)
    headers = _attach(fences, path)
    lines = body.split("\n")
    _fill_prompts(headers, headings, lines, body_line)
    items = tuple(_build_item(h, lesson_id, path) for h in headers)
    seen: dict[str, int] = {}
    for item in items:
        if item.id in seen:
            raise LessonError(
                path, item.line, f"duplicate id {item.id!r} (first used at line {seen[item.id]})"
            )
        seen[item.id] = item.line
    prose = _prose(lines, fences, body_line)
    return Lesson(
        id=lesson_id,
        title=title,
        path=path,
        body=body,
        prose=prose,
        requires=requires,
        items=items,
        id_line=id_line,
        requires_line=requires_line,
    )


# -- front matter -------------------------------------------------------------------------


def _split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise LessonError(
            path,
            1,
            "missing front matter: start the file with '---', 'id: ...', 'title: ...', '---'",
        )
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            meta = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            return meta, body, i + 2  # body starts on file line i + 2
    raise LessonError(path, 1, "front matter is not closed: add a '---' line after it")


def _key_line(source: str, key: str, first_line: int) -> int:
    """File line where ``key`` is set in a YAML/TOML block whose first line is ``first_line``."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[:=]")
    for offset, line in enumerate(source.split("\n")):
        if pattern.match(line):
            return first_line + offset
    return first_line


def _front_matter_fields(meta: str, text: str, path: Path) -> tuple[str, str, tuple[str, ...]]:
    try:
        data = yaml.safe_load(meta) if meta.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise LessonError(path, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise LessonError(path, 2, "front matter must be 'key: value' lines (id, title, requires)")
    for key in data:
        if key not in FRONT_KEYS:
            raise LessonError(
                path,
                _key_line(meta, str(key), 2),
                f"unknown front matter key {key!r}: expected one of id, title, requires",
            )
    lesson_id = data.get("id")
    if lesson_id is None:
        raise LessonError(path, 2, "front matter needs 'id: some-lesson-id'")
    if not isinstance(lesson_id, str) or not ID_RE.match(lesson_id):
        raise LessonError(
            path,
            _key_line(meta, "id", 2),
            f"lesson id {lesson_id!r} must be lowercase letters, digits and '-'",
        )
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        line = _key_line(meta, "title", 2) if "title" in data else 2
        raise LessonError(path, line, "front matter needs 'title: Some title' (a string)")
    requires = data.get("requires", []) or []
    if isinstance(requires, str):
        requires = [requires]
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise LessonError(
            path, _key_line(meta, "requires", 2), "'requires' must be a list of lesson ids"
        )
    return lesson_id, title.strip(), tuple(requires)


# -- markdown scan ------------------------------------------------------------------------


def _scan(body: str, body_line: int) -> tuple[list[_Fence], list[tuple[int, int, str]]]:
    """Fences and headings of the body, with 1-based file lines."""
    fences: list[_Fence] = []
    headings: list[tuple[int, int, str]] = []  # (start line, end line exclusive, text)
    tokens = _md.parse(body)
    for i, tok in enumerate(tokens):
        if tok.type == "fence" and tok.map:
            words = tok.info.split()
            lang = words[0].lower() if words else ""
            role = words[1].lower() if len(words) > 1 else None
            fences.append(
                _Fence(lang, role, tok.content, body_line + tok.map[0], body_line + tok.map[1])
            )
        elif tok.type == "heading_open" and tok.map:
            inline = tokens[i + 1].content if i + 1 < len(tokens) else ""
            headings.append((body_line + tok.map[0], body_line + tok.map[1], inline.strip()))
    return fences, headings


def _attach(fences: list[_Fence], path: Path) -> list[_Header]:
    headers: list[_Header] = []
    for fence in fences:
        if fence.lang == "toml" and fence.role is not None:
            if fence.role not in HEADER_KINDS:
                raise LessonError(
                    path,
                    fence.start,
                    f"unknown block 'toml {fence.role}': expected toml exercise, quiz or predict",
                )
            headers.append(_Header(fence.role, fence))
            continue
        if fence.lang != "python" or fence.role is None:
            continue  # an ordinary example fence
        if fence.role not in ALL_ROLES:
            raise LessonError(
                path,
                fence.start,
                f"unknown role 'python {fence.role}': expected one of "
                "setup, starter, solution, check (exercise) or show (predict)",
            )
        if not headers:
            raise LessonError(
                path,
                fence.start,
                f"'python {fence.role}' block comes before any 'toml exercise' or 'toml predict' "
                "block: put the header block first",
            )
        owner = headers[-1]
        if fence.role not in ROLES[owner.kind]:
            raise LessonError(
                path,
                fence.start,
                f"a 'python {fence.role}' block does not belong to a 'toml {owner.kind}' "
                f"(started at line {owner.fence.start})",
            )
        if fence.role in owner.blocks:
            raise LessonError(
                path,
                fence.start,
                f"second 'python {fence.role}' block for the {owner.kind} at line "
                f"{owner.fence.start}: merge them into one",
            )
        owner.blocks[fence.role] = fence
    return headers


def _fill_prompts(
    headers: list[_Header], headings: list[tuple[int, int, str]], lines: list[str], body_line: int
) -> None:
    previous_end = body_line
    for header in headers:
        start, title = previous_end, ""
        for h_start, h_end, h_text in headings:
            if h_start < header.fence.start and h_end >= start:
                start, title = h_end, h_text
        chunk = lines[start - body_line : header.fence.start - body_line]
        header.heading = title
        header.prompt = "\n".join(chunk).strip()
        previous_end = max([header.fence.end, *(b.end for b in header.blocks.values())])


def _prose(lines: list[str], fences: list[_Fence], body_line: int) -> str:
    """The body without the blocks a learner must not see as prose (headers, solutions, ...)."""
    hidden = [
        f
        for f in fences
        if (f.lang == "toml" and f.role in HEADER_KINDS)
        or (f.lang == "python" and f.role in {"setup", "starter", "solution", "check"})
    ]
    keep = [True] * len(lines)
    for f in hidden:
        for n in range(f.start - body_line, min(f.end - body_line, len(lines))):
            keep[n] = False
    out = "\n".join(line for line, k in zip(lines, keep, strict=True) if k)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"


# -- headers ------------------------------------------------------------------------------


def _toml(header: _Header, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(header.fence.content)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = header.fence.start + int(m.group(1)) if m else header.fence.start
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) if m else msg
        raise LessonError(
            path, line, f"'toml {header.kind}' block is not valid TOML: {reason}"
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
                    f"unknown key {key!r} in 'toml {self.header.kind}': expected one of "
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
            raise self.fail(key, "must be a list of strings")
        return tuple(value)


def _build_item(header: _Header, lesson_id: str, path: Path) -> Item:
    keys = _Keys(_toml(header, path), header, path)
    common = {"lesson_id": lesson_id, "path": path, "line": header.fence.start}
    if header.kind == "exercise":
        return _exercise(header, keys, common, path)
    if header.kind == "quiz":
        return _quiz(header, keys, common)
    return _predict(header, keys, common, path)


def _exercise(header: _Header, keys: _Keys, common: dict, path: Path) -> Exercise:
    keys.check_known({"id", "points", "hints", "seeds", "timeout", "rtol", "atol", "raises"})
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
    checks = _checks(header.blocks["check"], path)
    if not checks:
        raise LessonError(
            path, header.blocks["check"].start, f"exercise {ex_id!r} has an empty check block"
        )
    return Exercise(
        id=ex_id,
        prompt=header.prompt,
        title=header.heading,
        solution=header.blocks["solution"].content,
        solution_line=header.blocks["solution"].start + 1,
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
        **common,
    )


def _quiz(header: _Header, keys: _Keys, common: dict) -> Quiz:
    keys.check_known({"id", "question", "choices", "answer", "points", "explain", "hints"})
    quiz_id = keys.id()
    question = keys.text("question")
    if not question:
        raise LessonError(common["path"], header.fence.start, f"quiz {quiz_id!r} needs a question")
    choices = keys.strings("choices")
    if len(choices) < 2:
        raise keys.fail("choices", "needs at least two choices")
    answer = keys.int("answer", 0, low=1)
    if answer > len(choices):
        raise keys.fail(
            "answer", f"is {answer} but there are only {len(choices)} choices (1-based)"
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
    keys.check_known({"id", "points", "hints", "timeout", "explain"})
    pred_id = keys.id()
    if "show" not in header.blocks:
        raise LessonError(
            path, header.fence.start, f"predict {pred_id!r} has no 'python show' block after it"
        )
    _must_compile(header.blocks["show"], "show", path)
    return Predict(
        id=pred_id,
        show=header.blocks["show"].content,
        points=keys.int("points", 5),
        hints=keys.strings("hints"),
        timeout=keys.number("timeout", 10.0, positive=True),
        explain=keys.text("explain", "") or "",
        prompt=header.prompt,
        title=header.heading,
        **common,
    )


def _must_compile(block: _Fence, role: str, path: Path) -> None:
    if role == "starter":
        return  # a starter may be deliberately unfinished (``w = ...`` or a bug to fix)
    try:
        compile(block.content, f"<{role}>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = block.start + (exc.lineno or 1)
        raise LessonError(
            path, line, f"'python {role}' block has a syntax error: {exc.msg}"
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
            ast.parse(expr, mode="eval")
        except SyntaxError as exc:
            raise LessonError(
                path,
                line,
                f"check line is not one Python expression ({exc.msg}): {expr!r}. "
                "Write one expression per line, e.g. 'w.grad  # the gradient of y'",
            ) from None
        checks.append(Check(expr=expr, message=message, line=line))
    return tuple(checks)
