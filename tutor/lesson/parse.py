"""Parse one lesson file (YAML front matter + CommonMark with TOML exercise headers).

Every problem raises :class:`LessonError` naming the file and the line, so an author can jump
straight to it. markdown-it-py finds the fences (so fences inside lists or quotes behave as
any CommonMark viewer shows them); tomllib and PyYAML read the headers.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from tutor.lesson.errors import LessonError
from tutor.lesson.items import (
    ALL_ROLES,
    HEADER_KINDS,
    HIDDEN_ROLES,
    ID_RE,
    MANY_ROLES,
    ROLES,
    _Fence,
    _Header,
    _key_line,
    build_item,
    did_you_mean,
    split_check_line,
)
from tutor.lesson.model import Lesson

__all__ = ["parse_lesson", "parse_lesson_file", "split_check_line"]

FRONT_KEYS = {"id", "title", "requires"}

_md = MarkdownIt("commonmark")


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
    fences, headings = _scan(body, body_line, path)
    headers = _attach(fences, path)
    lines = body.split("\n")
    _fill_prompts(headers, headings, lines, body_line)
    items = tuple(build_item(h, lesson_id, path) for h in headers)
    seen: dict[str, int] = {}
    for item in items:
        if item.id in seen:
            raise LessonError(
                path,
                item.line,
                f"duplicate id {item.id!r} (first used at line {seen[item.id]}): ids are unique "
                "across all loaded lessons, give this item another id",
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
                f"unknown front matter key {key!r}{did_you_mean(str(key), FRONT_KEYS)}: "
                "expected one of id, title, requires",
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


def _scan(body: str, body_line: int, path: Path) -> tuple[list[_Fence], list[tuple[int, int, str]]]:
    """Fences and headings of the body, with 1-based file lines."""
    fences: list[_Fence] = []
    headings: list[tuple[int, int, str]] = []  # (start line, end line exclusive, text)
    tokens = _md.parse(body)
    lines = body.split("\n")
    for i, tok in enumerate(tokens):
        if tok.type == "fence" and tok.map:
            words = tok.info.split()
            lang = words[0].lower() if words else ""
            role = words[1].lower() if len(words) > 1 else None
            start = body_line + tok.map[0]
            if not _closed(tok.markup, lines, tok.map):
                shown = f"{tok.markup}{tok.info.strip()}"
                raise LessonError(
                    path,
                    start,
                    f"the {shown!r} block opened here is never closed, so it swallows the rest "
                    f"of the file: add a {tok.markup!r} line after its last line",
                )
            fences.append(_Fence(lang, role, tok.content, start, body_line + tok.map[1]))
        elif tok.type == "heading_open" and tok.map:
            inline = tokens[i + 1].content if i + 1 < len(tokens) else ""
            headings.append((body_line + tok.map[0], body_line + tok.map[1], inline.strip()))
    return fences, headings


def _closed(markup: str, lines: list[str], span: list[int]) -> bool:
    """Does a fence spanning body lines ``span`` end with its closing fence line? (CommonMark
    runs an unclosed fence to the end of its container: the end of the file, mostly.)"""
    start, end = span
    if end - start < 2 or end > len(lines):
        return False
    last = re.sub(r"^[\s>]*", "", lines[end - 1]).rstrip()
    return len(last) >= len(markup) and set(last) == {markup[0]}


def _attach(fences: list[_Fence], path: Path) -> list[_Header]:
    headers: list[_Header] = []
    for fence in fences:
        _check_info_string(fence, path)
        if fence.lang == "toml" and fence.role is not None:
            if fence.role not in HEADER_KINDS:
                raise LessonError(
                    path,
                    fence.start,
                    f"unknown block 'toml {fence.role}'{did_you_mean(fence.role, HEADER_KINDS)}: "
                    "expected toml exercise, quiz or predict",
                )
            headers.append(_Header(fence.role, fence))
            continue
        if fence.lang != "python" or fence.role is None:
            continue  # an ordinary example fence
        if fence.role not in ALL_ROLES:
            raise LessonError(
                path,
                fence.start,
                f"unknown role 'python {fence.role}'{did_you_mean(fence.role, ALL_ROLES)}: "
                "expected one of setup, starter, solution, check, wrong, accept (exercise) "
                "or show (predict)",
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
        if fence.role in MANY_ROLES:
            owner.many.append(fence)
            continue
        if fence.role in owner.blocks:
            raise LessonError(
                path,
                fence.start,
                f"second 'python {fence.role}' block for the {owner.kind} at line "
                f"{owner.fence.start}: merge them into one",
            )
        owner.blocks[fence.role] = fence
    return headers


def _check_info_string(fence: _Fence, path: Path) -> None:
    """A fence that names a lesson role in the wrong language, or in a misspelt one
    (``py solution``, ``pyhton check``, ``python exercise``, ``toml check``), would silently
    become an example block or a wrong error: say what was meant instead."""
    if fence.role is None or (fence.lang not in _LANGS and not _near(fence.lang, _LANGS)):
        return  # an example in another language (```bash setup``` is the author's business)
    if fence.role in HEADER_KINDS:
        want = f"toml {fence.role}"
    elif fence.role in ALL_ROLES:
        want = f"python {fence.role}"
    else:
        return  # an unknown role: _attach says so, with its own "did you mean"
    if fence.lang == want.split()[0]:
        return
    if fence.lang in ("toml", "python"):
        what = "a header block is TOML" if want.startswith("toml") else "code blocks are Python"
    else:
        what = "the first word is the language, 'python' or 'toml'"
    raise LessonError(
        path,
        fence.start,
        f"block '{fence.lang} {fence.role}' is not a lesson block (did you mean '{want}'?): {what}",
    )


_LANGS = ("python", "toml", "py", "py3", "python3")


def _near(word: str, choices: tuple[str, ...]) -> bool:
    return bool(difflib.get_close_matches(word, choices, n=1, cutoff=0.7))


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
        previous_end = max([header.fence.end, *(b.end for b in header.owned())])


def _prose(lines: list[str], fences: list[_Fence], body_line: int) -> str:
    """The body without the blocks a learner must not see as prose (headers, solutions,
    counterexamples, ...)."""
    hidden = [
        f
        for f in fences
        if (f.lang == "toml" and f.role in HEADER_KINDS)
        or (f.lang == "python" and f.role in HIDDEN_ROLES)
    ]
    keep = [True] * len(lines)
    for f in hidden:
        for n in range(f.start - body_line, min(f.end - body_line, len(lines))):
            keep[n] = False
    out = "\n".join(line for line, k in zip(lines, keep, strict=True) if k)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"
