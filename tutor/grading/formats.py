"""Write a grading report as text (people), JSON (the contract) or JUnit XML (CI systems).

Every writer reads items through ``ItemResult.cleaned()`` (see ``results.py``), so whatever a
learner's run printed or raised, each writer gives a complete, valid document:

* JSON: ASCII only (``ensure_ascii``), no NaN or infinity, no lone surrogates;
* JUnit: XML 1.0 that any parser reads: characters illegal in XML are removed from text and
  attributes, and everything past ASCII is written as a character reference, so the
  document is ASCII (hence valid UTF-8, as its declaration says);
* text: one line per item; written with :func:`write_stream`, which never raises
  ``UnicodeEncodeError`` on an ASCII or Latin-1 terminal (it falls back to ``\\u`` escapes).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, TextIO

from tutor.grading.clean import clean_float, clean_line, clean_text, xml_safe
from tutor.grading.results import MESSAGE_LIMIT, ItemResult
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


def to_junit(report: Report) -> str:
    suites = xml_element(None, "testsuites", name="tutor")
    by_lesson: dict[str, list[ItemResult]] = {}
    for r in (item.cleaned() for item in report.items):
        by_lesson.setdefault(r.lesson, []).append(r)
    for lesson, results in by_lesson.items():
        suite = xml_element(
            suites,
            "testsuite",
            name=lesson,
            tests=str(len(results)),
            failures=str(sum(r.status in ("fail", "missing") for r in results)),
            errors=str(sum(r.status in ("error", "timeout") for r in results)),
            time=f"{sum(r.duration_s for r in results):.3f}",
        )
        for r in results:
            case = xml_element(
                suite,
                "testcase",
                classname=f"tutor.{lesson}",
                name=r.id,
                time=f"{r.duration_s:.3f}",
            )
            props = xml_element(case, "properties")
            xml_element(props, "property", name="score", value=str(r.score))
            xml_element(props, "property", name="max_score", value=str(r.max_score))
            xml_element(props, "property", name="kind", value=r.kind)
            if r.flags:
                xml_element(props, "property", name="flags", value=" ".join(r.flags))
            detail = _detail(r)
            if r.status in ("fail", "missing"):
                xml_element(case, "failure", detail, message=r.message, type=r.status)
            elif r.status in ("error", "timeout"):
                xml_element(case, "error", detail, message=r.message, type=r.status)
            if r.output:
                xml_element(case, "system-out", r.output)
    for err in report.lesson_errors:
        suite = xml_element(
            suites, "testsuite", name="lessons", tests="1", failures="0", errors="1"
        )
        name = getattr(getattr(err, "path", None), "name", "lesson")
        case = xml_element(suite, "testcase", classname="tutor.lessons", name=clean_text(name, 256))
        xml_element(case, "error", message=clean_text(str(err), MESSAGE_LIMIT), type="lesson-error")
    if report.problem:
        suite = xml_element(
            suites, "testsuite", name="submission", tests="1", failures="0", errors="1"
        )
        case = xml_element(suite, "testcase", classname="tutor.submission", name="folder")
        xml_element(case, "error", message=clean_text(report.problem, MESSAGE_LIMIT), type="error")
    return xml_document(suites)


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
