"""Write a grading report as text (people), JSON (the contract) or JUnit XML (CI systems).

Every writer reads items through ``ItemResult.cleaned()`` (see ``results.py``), so whatever a
learner's run printed or raised, each writer gives a complete, valid document:

* JSON: ASCII only (``ensure_ascii``), no NaN or infinity, no lone surrogates;
* JUnit: XML 1.0 that any parser reads: characters illegal in XML are removed from text and
  attributes, and everything past ASCII (and tab) is written as a character reference, so
  the document is ASCII (hence valid UTF-8, as its declaration says);
* text: one line per item; written with :func:`write_stream`, which never raises
  ``UnicodeEncodeError`` on an ASCII or Latin-1 terminal (it falls back to ``\\u`` escapes).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tutor.grading.clean import clean_float, clean_int, clean_line, clean_text, xml_safe
from tutor.grading.results import MESSAGE_LIMIT, CheckResult, ItemResult
from tutor.grading.session import Report

FORMATS = ("text", "json", "junit")
MARK = {
    "pass": "PASS",
    "fail": "FAIL",
    "error": "ERROR",
    "timeout": "TIMEOUT",
    "missing": "MISSING",
}
DETAIL_LIMIT = 8192  # bytes of failure detail in a JUnit test case


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return dump_json(report.to_json())
    if fmt == "junit":
        return to_junit(report)
    return to_text(report)


def dump_json(data: Any) -> str:
    """JSON text that is ASCII and strict (no NaN): ``data`` must already be cleaned."""
    return json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


def xml_document(root: ET.Element) -> str:
    """An XML 1.0 document in ASCII: non-ASCII as character references."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    body = body.encode("ascii", "xmlcharrefreplace").decode("ascii")
    body = body.replace("\t", "&#9;")  # the same text, and no control character in the file
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def xml_element(parent: ET.Element | None, tag: str, text: Any = None, **attrs: Any) -> ET.Element:
    """An element whose attributes and text are made legal XML (``xml_safe``)."""
    clean = {k: xml_safe(v) for k, v in attrs.items()}
    node = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text is not None:
        node.text = xml_safe(text)
    return node


def to_text(report: Report) -> str:
    lines = []
    for err in report.lesson_errors:
        lines.append(f"lesson error: {clean_line(str(err), MESSAGE_LIMIT)}")
    if report.problem:
        lines.append(f"error: {clean_line(report.problem, MESSAGE_LIMIT)}")
    items = [r.cleaned() for r in report.items]
    width = min(max([len(r.id) for r in items] + [8]), 64)
    for r in items:
        mark = MARK.get(r.status, "ERROR")
        score = f"{r.score:>3}/{r.max_score:<3}"
        message = clean_line(r.message, MESSAGE_LIMIT) if not r.passed else ""
        lines.append(f"{mark:<8} {clean_line(r.id, 256):<{width}} {score} {message}".rstrip())
    counts: dict[str, int] = {}
    for r in items:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{n} {s}" for s, n in sorted(counts.items())]
    score = sum(r.score for r in items)
    max_score = sum(r.max_score for r in items)
    duration = items_duration(report)
    lines.append(
        f"score {score}/{max_score}: "
        + (", ".join(parts) if parts else "nothing graded")
        + f" in {duration:.1f}s"
    )
    return "\n".join(lines) + "\n"


def items_duration(report: Report) -> float:
    return max(0.0, clean_float(report.duration_s))


def _detail(r: ItemResult) -> str:
    failed = [c.explain for c in r.checks if c.status == "fail" and c.explain]
    if r.checks_omitted:
        failed.append(f"({r.checks_omitted} more checks not shown)")
    return clean_text("\n".join(failed) or r.traceback or r.message, DETAIL_LIMIT)


@dataclass
class JunitCase:
    """What a JUnit test case says about one item: the same for one learner's report and
    for a class (``--batch``), so both carry the same check details. Small by design (a
    class keeps one per item per learner): the failure detail is capped at
    :data:`DETAIL_LIMIT`, the output at the report's 4 KiB."""

    id: str
    kind: str
    status: str
    score: int
    max_score: int
    duration_s: float = 0.0
    message: str = ""
    detail: str = ""
    output: str = ""
    flags: tuple[str, ...] = ()
    lesson_error: bool = False

    @classmethod
    def from_result(cls, result: ItemResult) -> JunitCase:
        r = result.cleaned()
        return cls(
            id=r.id,
            kind=r.kind,
            status=r.status,
            score=r.score,
            max_score=r.max_score,
            duration_s=r.duration_s,
            message=r.message,
            detail=_detail(r),
            output=r.output,
            flags=tuple(r.flags),
            lesson_error=r.lesson_error,
        )

    @classmethod
    def from_json(cls, item: Any) -> JunitCase | None:
        """From an item of a result JSON file (untrusted: every field checked and cleaned);
        None when it is not an item. The detail is rebuilt from its failed checks."""
        if type(item) is not dict or type(item.get("id")) is not str:
            return None
        r = ItemResult(
            id=item["id"],
            lesson=clean_text(item.get("lesson"), 256),
            kind=clean_text(item.get("kind"), 256),
            status=item.get("status") if item.get("status") in MARK else "error",
            score=clean_int(item.get("score"), 0, 0, 2**31),
            max_score=clean_int(item.get("max_score"), 0, 0, 2**31),
            duration_s=clean_float(item.get("duration_s")),
            message=clean_text(item.get("message"), MESSAGE_LIMIT),
            output=clean_text(item.get("output"), 4096),
            flags=[f for f in item.get("flags", []) if type(f) is str][:32]
            if type(item.get("flags")) is list
            else [],
            checks_omitted=clean_int(item.get("checks_omitted"), 0, 0),
            lesson_error=item.get("lesson_error") is True,
        )
        for c in item.get("checks", []) if type(item.get("checks")) is list else []:
            if type(c) is dict and c.get("status") == "fail":
                expr = clean_text(c.get("expr"), 1024)
                msg = clean_text(c.get("message"), 1024)
                line = (
                    f"{expr}: expected {clean_text(c.get('expected'), 2048)}, "
                    f"got {clean_text(c.get('got'), 2048)}" + (f" ({msg})" if msg else "")
                )
                r.checks.append(CheckResult(expr, msg, 0, "fail", "", "", line))
        return cls.from_result(r)

    def write(self, suite: ET.Element, classname: str) -> ET.Element:
        case = xml_element(
            suite, "testcase", classname=classname, name=self.id, time=f"{self.duration_s:.3f}"
        )
        props = xml_element(case, "properties")
        xml_element(props, "property", name="score", value=str(self.score))
        xml_element(props, "property", name="max_score", value=str(self.max_score))
        xml_element(props, "property", name="kind", value=self.kind)
        if self.flags:
            xml_element(props, "property", name="flags", value=" ".join(self.flags))
        if self.lesson_error:
            xml_element(case, "error", self.detail, message=self.message, type="lesson-error")
        elif self.status in ("fail", "missing"):
            xml_element(case, "failure", self.detail, message=self.message, type=self.status)
        elif self.status in ("error", "timeout"):
            xml_element(case, "error", self.detail, message=self.message, type=self.status)
        if self.output:
            xml_element(case, "system-out", self.output)
        return case


def suite_counts(cases: list[JunitCase]) -> dict[str, str]:
    return {
        "tests": str(len(cases)),
        "failures": str(sum(c.status in ("fail", "missing") for c in cases)),
        "errors": str(sum(c.status in ("error", "timeout") for c in cases)),
        "time": f"{sum(c.duration_s for c in cases):.3f}",
    }


def to_junit(report: Report) -> str:
    suites = xml_element(None, "testsuites", name="tutor")
    by_lesson: dict[str, list[ItemResult]] = {}
    for r in (item.cleaned() for item in report.items):
        by_lesson.setdefault(r.lesson, []).append(r)
    for lesson, results in by_lesson.items():
        cases = [JunitCase.from_result(r) for r in results]
        suite = xml_element(suites, "testsuite", name=lesson, **suite_counts(cases))
        for case in cases:
            case.write(suite, f"tutor.{lesson}")
    lesson_errors_junit(suites, [str(e) for e in report.lesson_errors])
    if report.problem:
        suite = xml_element(
            suites, "testsuite", name="submission", tests="1", failures="0", errors="1"
        )
        case = xml_element(suite, "testcase", classname="tutor.submission", name="folder")
        xml_element(case, "error", message=clean_text(report.problem, MESSAGE_LIMIT), type="error")
    return xml_document(suites)


def lesson_errors_junit(suites: ET.Element, errors: list[str]) -> None:
    """One test case per lesson error (``path:line: message``), in a ``lessons`` suite."""
    if not errors:
        return
    suite = xml_element(
        suites, "testsuite", name="lessons", tests=str(len(errors)), failures="0",
        errors=str(len(errors)),
    )  # fmt: skip
    for err in errors:
        where = re.match(r"^(.*?):\d+:", err)
        path = where.group(1) if where else "lesson"
        name = clean_text(path.replace("\\", "/").rsplit("/", 1)[-1], 256)
        case = xml_element(suite, "testcase", classname="tutor.lessons", name=name)
        xml_element(case, "error", message=clean_text(err, MESSAGE_LIMIT), type="lesson-error")


# -- writing ---------------------------------------------------------------------------------


def write_stream(stream: TextIO, text: str) -> None:
    """Write ``text`` to a console stream whatever its encoding can show.

    Characters the stream's encoding lacks come out as ``\\xe9``/``\\u2603`` escapes (a text
    report on an ASCII terminal) instead of a ``UnicodeEncodeError`` and no report. (A text
    stream encodes all of ``text`` before writing any of it, so nothing is written twice.)
    """
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
        except (LookupError, UnicodeError):
            stream.write(text.encode("ascii", "backslashreplace").decode("ascii"))
    stream.flush()


def write_file(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` in a folder the grader owns, replacing it whole: a
    new file beside it, then a rename. A symlink planted at ``path`` is replaced, never
    followed, and a reader never sees half a file."""
    data = text.encode("utf-8", "backslashreplace")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    tmp = path.parent / f".tutor-{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
