"""Write a grading report as text (people), JSON (the contract) or JUnit XML (CI systems)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from tutor.grading.results import cut_output
from tutor.grading.session import Report

FORMATS = ("text", "json", "junit")
MARK = {
    "pass": "PASS",
    "fail": "FAIL",
    "error": "ERROR",
    "timeout": "TIMEOUT",
    "missing": "MISSING",
}


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2) + "\n"
    if fmt == "junit":
        return to_junit(report)
    return to_text(report)


def to_text(report: Report) -> str:
    lines = []
    for err in report.lesson_errors:
        lines.append(f"lesson error: {err}")
    if report.problem:
        lines.append(f"error: {report.problem}")
    width = max([len(r.id) for r in report.items] + [8])
    for r in report.items:
        mark = MARK.get(r.status, r.status.upper())
        score = f"{r.score:>3}/{r.max_score:<3}"
        lines.append(
            f"{mark:<8} {r.id:<{width}} {score} {r.message if not r.passed else ''}".rstrip()
        )
    counts: dict[str, int] = {}
    for r in report.items:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{n} {s}" for s, n in sorted(counts.items())]
    lines.append(
        f"score {report.score}/{report.max_score}: "
        + (", ".join(parts) if parts else "nothing graded")
        + f" in {report.duration_s:.1f}s"
    )
    return "\n".join(lines) + "\n"


def to_junit(report: Report) -> str:
    suites = ET.Element("testsuites", name="tutor")
    by_lesson: dict[str, list] = {}
    for r in report.items:
        by_lesson.setdefault(r.lesson, []).append(r)
    for lesson, results in by_lesson.items():
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=lesson,
            tests=str(len(results)),
            failures=str(sum(r.status in ("fail", "missing") for r in results)),
            errors=str(sum(r.status in ("error", "timeout") for r in results)),
            time=f"{sum(r.duration_s for r in results):.3f}",
        )
        for r in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"tutor.{lesson}",
                name=r.id,
                time=f"{r.duration_s:.3f}",
            )
            ET.SubElement(case, "properties").extend(
                [
                    ET.Element("property", name="score", value=str(r.score)),
                    ET.Element("property", name="max_score", value=str(r.max_score)),
                    ET.Element("property", name="kind", value=r.kind),
                ]
            )
            detail = "\n".join(c.explain for c in r.checks if c.status == "fail") or r.traceback
            if r.status in ("fail", "missing"):
                ET.SubElement(case, "failure", message=r.message, type=r.status).text = (
                    detail or r.message
                )
            elif r.status in ("error", "timeout"):
                ET.SubElement(case, "error", message=r.message, type=r.status).text = (
                    detail or r.message
                )
            if r.output:
                ET.SubElement(case, "system-out").text = cut_output(r.output)
    for err in report.lesson_errors:
        suite = ET.SubElement(
            suites, "testsuite", name="lessons", tests="1", failures="0", errors="1"
        )
        case = ET.SubElement(suite, "testcase", classname="tutor.lessons", name=str(err.path.name))
        ET.SubElement(case, "error", message=str(err), type="lesson-error")
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
