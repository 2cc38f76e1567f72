"""Grade a whole class: every folder under ROOT is one learner's submission.

All (learner, item) pairs go through one thread pool over one warm sandbox, so references run
once for the class and both cores stay busy. ``--shard K/N`` keeps a stable 1/N of the
learners (by a hash of the folder name), so a CI matrix can fan a class out over runners and
``tutor grade merge`` joins their summaries.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.grading.clean import (
    clean_float,
    clean_int,
    clean_line,
    clean_text,
    csv_cell,
    file_stem,
    name_digest,
    name_label,
)
from tutor.grading.formats import (
    JunitCase,
    dump_json,
    lesson_errors_junit,
    suite_counts,
    write_file,
    xml_document,
    xml_element,
)
from tutor.grading.grader import Grader
from tutor.grading.results import ITEM_STATUSES, MESSAGE_LIMIT, NAME_LIMIT, ItemResult
from tutor.grading.session import RESULT_VERSION, Report, grade_answer, reference_errors
from tutor.grading.session import refused as refused_items
from tutor.grading.submission import folder_problem
from tutor.lesson.model import Item

SUMMARY_KIND = "batch"
STATUSES = ("pass", "fail", "error")
LEARNER_LIMIT = 2048  # bytes of a learner's label (a folder name is at most 255 bytes)


class BatchError(ValueError):
    """A problem with the batch request itself (bad shard, unreadable summary...)."""


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> (2, 5); K counts from 1."""
    try:
        k, n = (int(p) for p in text.split("/"))
    except ValueError:
        raise BatchError(f"--shard takes K/N such as 1/4, got {text!r}") from None
    if n < 1 or not 1 <= k <= n:
        raise BatchError(f"--shard {text}: K must be between 1 and N")
    return k, n


def learner_folders(root: Path, shard: tuple[int, int] = (1, 1)) -> list[Path]:
    """The learner folders under ``root``, sorted: each folder not starting with ``.``.

    A symbolic link that points at a folder (to another learner, to ``/``) is listed too, so
    that the report says it was refused (``grade_batch`` never follows it); other entries
    (files, dangling links) are not learners.
    """
    if not root.is_dir():
        raise BatchError(f"batch folder {root} does not exist")
    found = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False) or (
                        entry.is_symlink() and entry.is_dir(follow_symlinks=True)
                    ):
                        found.append(Path(root, entry.name))
                except OSError:
                    continue
    except OSError as exc:
        raise BatchError(f"cannot list batch folder {root}: {exc.strerror or exc}") from None
    found.sort(key=lambda p: p.name.encode("utf-8", "surrogatepass"))
    return [p for p in found if in_shard(p.name, shard)]


def in_shard(name: str, shard: tuple[int, int]) -> bool:
    k, n = shard
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


@dataclass
class LearnerSummary:
    learner: str  # the folder's name as a printable label (clean.name_label)
    status: str
    score: int
    max_score: int
    items: dict[str, str]  # item id -> status
    scores: dict[str, int]  # item id -> score
    result: str = ""  # path of the learner's own result JSON, when written
    message: str = ""  # why the learner's folder was not graded, if it was not
    # JUnit details per item (kept only when a JUnit summary is asked for; never in JSON)
    cases: list[JunitCase] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {
            "learner": clean_text(self.learner, LEARNER_LIMIT),
            "status": self.status
            if type(self.status) is str and self.status in STATUSES
            else "error",
            "score": clean_int(self.score, 0, 0, 2**31),
            "max_score": clean_int(self.max_score, 0, 0, 2**31),
            "items": {clean_text(k, NAME_LIMIT): _status(v) for k, v in self.items.items()},
            "scores": {
                clean_text(k, NAME_LIMIT): clean_int(v, 0, 0, 2**31) for k, v in self.scores.items()
            },
            "result": clean_text(self.result, 4096),
        }
        if self.message:
            data["message"] = clean_text(self.message, MESSAGE_LIMIT)
        return data

    @classmethod
    def from_report(
        cls, learner: str, report: Report, result: str = "", cases: bool = False
    ) -> LearnerSummary:
        items = [r.cleaned() for r in report.items]
        return cls(
            learner=learner,
            status=report.status,
            score=sum(r.score for r in items),
            max_score=sum(r.max_score for r in items),
            items={r.id: r.status for r in items},
            scores={r.id: r.score for r in items},
            result=result,
            message=clean_text(report.problem, MESSAGE_LIMIT),
            cases=[JunitCase.from_result(r) for r in items] if cases else None,
        )

    def junit_cases(self, base: Path | None = None) -> list[JunitCase]:
        """The JUnit cases of this learner: kept from grading, else read back from the
        learner's result file (``tutor grade merge``: the file named in the summary, looked
        for as written and beside the summary ``base``), else status-only cases."""
        if self.cases is not None:
            return self.cases
        from_file = _cases_from_file(self.result, base)
        if from_file is not None and set(c.id for c in from_file) >= set(self.items):
            return [c for c in from_file if c.id in self.items]
        message = self.message
        return [
            JunitCase(
                id=item_id, kind="", status=status, score=self.scores.get(item_id, 0),
                max_score=0, message=message or status, detail=message or status,
            )
            for item_id, status in self.items.items()
        ]  # fmt: skip


@dataclass
class BatchSummary:
    learners: list[LearnerSummary] = field(default_factory=list)
    shards: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    lesson_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a result file not written
    base: Path | None = None  # where merged summaries were read (result files resolve there)
    empty_shard: bool = False  # a shard that holds no learner of a class that has some

    @property
    def status(self) -> str:
        if not self.learners:
            return "pass" if self.empty_shard else "error"
        return "pass" if all(s.status == "pass" for s in self.learners) else "fail"

    def exit_code(self) -> int:
        if self.status == "error" or self.lesson_errors:
            return 2
        return 0 if self.status == "pass" else 1

    def to_json(self) -> dict[str, Any]:
        data = {
            "version": RESULT_VERSION,
            "kind": SUMMARY_KIND,
            "status": self.status,
            "learners": [s.to_json() for s in self.learners],
            "passed": sum(s.status == "pass" for s in self.learners),
            "shards": [clean_text(s, 64) for s in self.shards],
            "duration_s": round(max(0.0, clean_float(self.duration_s)), 3),
            "lesson_errors": [clean_text(e, MESSAGE_LIMIT) for e in self.lesson_errors],
        }
        if self.warnings:
            data["warnings"] = [clean_text(w, MESSAGE_LIMIT) for w in self.warnings]
        return data

    def item_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.learners:
            seen.update(dict.fromkeys(s.items))
        return list(seen)

    def to_csv(self) -> str:
        """One row per learner; every text cell guarded against formulas (clean.csv_cell)."""
        rows = [s.to_json() for s in self.learners]
        ids = list(dict.fromkeys(i for row in rows for i in row["items"]))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([csv_cell(c) for c in ["learner", "status", "score", "max_score", *ids]])
        for row in rows:
            writer.writerow(
                [
                    csv_cell(clean_line(row["learner"], LEARNER_LIMIT)),
                    csv_cell(row["status"]),
                    row["score"],
                    row["max_score"],
                    *(row["scores"].get(i, "") for i in ids),
                ]
            )
        return out.getvalue()

    def to_junit(self) -> str:
        """One test suite per learner, one test case per item, with the same check details
        as a single learner's JUnit report (``formats.JunitCase``)."""
        suites = xml_element(None, "testsuites", name="tutor-batch")
        for learner in self.learners:
            name = clean_text(learner.learner, LEARNER_LIMIT)
            cases = learner.junit_cases(self.base)
            suite = xml_element(suites, "testsuite", name=name, **suite_counts(cases))
            for case in cases:
                case.write(suite, name)
        lesson_errors_junit(suites, self.lesson_errors)
        return xml_document(suites)

    def render(self, fmt: str) -> str:
        if fmt == "csv":
            return self.to_csv()
        if fmt == "junit":
            return self.to_junit()
        if fmt == "json":
            return dump_json(self.to_json())
        data = self.to_json()
        lines = [f"lesson error: {clean_line(e, MESSAGE_LIMIT)}" for e in data["lesson_errors"]]
        for s in data["learners"]:
            learner = clean_line(s["learner"], LEARNER_LIMIT)
            line = f"{s['status'].upper():<6} {learner:<30} {s['score']:>4}/{s['max_score']}"
            if s.get("message"):
                line += f"  {clean_line(s['message'], MESSAGE_LIMIT)}"
            lines.append(line)
        lines += [f"warning: {clean_line(w, MESSAGE_LIMIT)}" for w in data.get("warnings", [])]
        lines.append(
            f"{data['passed']}/{len(self.learners)} learners passed everything "
            f"in {data['duration_s']:.1f}s"
        )
        return "\n".join(lines) + "\n"


class ResultFiles:
    """Where each learner's result JSON goes: one safe, unique file per learner, inside
    ``results_dir`` whatever the folder's name (clean.file_stem); written whole (temp file
    then rename) so a planted symlink is replaced, not followed."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.problem = ""
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.problem = f"cannot create {folder}: {exc.strerror or exc}"
                self.folder = None

    def path_for(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        stem = file_stem(name)
        if stem.casefold() in self.used:  # "Ann" and "ann" on a case-blind file system
            stem = f"{stem}-{name_digest(name)}"
        n = 1
        base = stem
        while stem.casefold() in self.used:
            n += 1
            stem = f"{base}-{n}"
        self.used.add(stem.casefold())
        return self.folder / f"{stem}.json"

    def same_as(self, folder: Path) -> bool:
        """``folder`` is the results folder itself (``--batch .`` with the default)."""
        if self.folder is None:
            return False
        try:
            return os.path.samefile(folder, self.folder)
        except OSError:
            return False


def grade_batch(
    items: list[Item],
    folders: list[Path],
    grader: Grader,
    jobs: int = 1,
    results_dir: Path | None = None,
    on_learner: Callable[[LearnerSummary, int, int], None] | None = None,
    junit: bool = False,
) -> BatchSummary:
    """Grade every learner folder; each learner's result JSON goes to ``results_dir``.

    A learner folder that cannot be graded as a submission (a symbolic link, gone) gives
    that learner an ``error`` on every item with the reason, and the others go on.
    """
    started = time.perf_counter()
    summary = BatchSummary()
    files = ResultFiles(results_dir)
    if files.problem:
        summary.warnings.append(f"no result file per learner: {files.problem}")
    folders = [f for f in folders if not files.same_as(f)]
    refused: dict[Path, str] = {}
    for folder in folders:
        problem = folder_problem(folder)
        if problem:
            refused[folder] = problem
    tasks = [(folder, item) for folder in folders if folder not in refused for item in items]
    per_learner: dict[Path, list[ItemResult]] = {folder: [] for folder in folders}
    done = 0

    def finish(folder: Path) -> None:
        nonlocal done
        report = Report(items=per_learner.pop(folder), problem=refused.get(folder, ""))
        report.lesson_errors = reference_errors(items, report.items)
        for err in report.lesson_errors:
            if str(err) not in summary.lesson_errors:
                summary.lesson_errors.append(str(err))
        learner = name_label(folder.name)
        path = ""
        target = files.path_for(folder.name)
        if target is not None:
            try:
                write_file(target, dump_json(report.to_json()))
                path = str(target)
            except OSError as exc:
                summary.warnings.append(
                    f"cannot write the result of {learner}: {exc.strerror or exc}"
                )
        summary.learners.append(LearnerSummary.from_report(learner, report, path, junit))
        done += 1
        if on_learner:
            on_learner(summary.learners[-1], done, len(folders))

    for folder, problem in refused.items():
        per_learner[folder] = refused_items(items, problem)
        finish(folder)
    if not items:
        for folder in list(per_learner):
            finish(folder)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda task: grade_answer(task[1], task[0], grader), tasks)
        for (folder, _), result in zip(tasks, results, strict=True):
            per_learner[folder].append(result)
            if len(per_learner[folder]) == len(items):
                finish(folder)
    summary.learners.sort(key=lambda s: s.learner)
    summary.duration_s = time.perf_counter() - started
    return summary


def merge_summaries(paths: list[Path]) -> BatchSummary:
    """Join shard summaries; the same learner in two shards is an error, not a silent pick.

    A summary is read as untrusted data: a malformed one is a ``BatchError`` naming the file,
    and every text in it is cleaned again when the merged summary is written.
    """
    merged = BatchSummary()
    owner: dict[str, Path] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BatchError(f"cannot read {path}: {exc}") from None
        except RecursionError:
            raise BatchError(f"cannot read {path}: nested too deep") from None
        if not isinstance(data, dict) or data.get("kind") != SUMMARY_KIND:
            raise BatchError(f"{path} is not a 'tutor grade --batch --format json' summary")
        try:
            learners = [_learner_entry(e) for e in _list(data.get("learners", []))]
            shards = [clean_text(s, 64) for s in _list(data.get("shards", []))]
            duration = clean_float(data.get("duration_s", 0.0))
            errors = [clean_text(e, MESSAGE_LIMIT) for e in _list(data.get("lesson_errors", []))]
            warnings = [clean_text(w, MESSAGE_LIMIT) for w in _list(data.get("warnings", []))]
        except (TypeError, ValueError, KeyError) as exc:
            raise BatchError(f"{path} is not a well-formed summary: {exc}") from None
        for learner in learners:
            name = learner.learner
            if name in owner:
                raise BatchError(f"learner {name!r} is in both {owner[name]} and {path}")
            owner[name] = path
            merged.learners.append(learner)
        merged.shards.extend(shards)
        merged.duration_s = max(merged.duration_s, duration)
        merged.lesson_errors.extend(e for e in errors if e not in merged.lesson_errors)
        merged.warnings.extend(warnings)
    merged.learners.sort(key=lambda s: s.learner)
    merged.base = paths[0].parent if paths else None
    return merged


def _cases_from_file(result: str, base: Path | None) -> list[JunitCase] | None:
    """JUnit cases from a learner's result JSON (``tutor grade merge``): the path as the
    summary wrote it, else the same relative path beside the summary, else None."""
    if not result:
        return None
    candidates = [Path(result)]
    if base is not None and not Path(result).is_absolute():
        candidates += [base / result, base / Path(result).name]
    for path in candidates:
        try:
            if not path.is_file() or path.stat().st_size > 64 * 1024 * 1024:
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        items = data.get("exercises") if type(data) is dict else None
        if type(items) is list:
            cases = [JunitCase.from_json(i) for i in items]
            return [c for c in cases if c is not None]
    return None


def _list(value: Any) -> list:
    if type(value) is not list:
        raise TypeError("a list was expected")
    return value


def _dict(value: Any) -> dict:
    if type(value) is not dict:
        raise TypeError("an object was expected")
    return value


def _learner_entry(entry: Any) -> LearnerSummary:
    entry = _dict(entry)
    name = entry["learner"]
    if type(name) is not str or not name:
        raise ValueError("a learner without a name")
    if type(entry["score"]) is not int or type(entry["max_score"]) is not int:
        raise ValueError(f"learner {clean_line(name, 200)!r} has a score that is not a number")
    return LearnerSummary(
        learner=clean_line(name, LEARNER_LIMIT),
        status=entry["status"] if entry.get("status") in STATUSES else "error",
        score=clean_int(entry["score"], 0, 0, 2**31),
        max_score=clean_int(entry["max_score"], 0, 0, 2**31),
        items={
            clean_text(k, NAME_LIMIT): _status(v) for k, v in _dict(entry.get("items", {})).items()
        },
        scores={
            clean_text(k, NAME_LIMIT): clean_int(v, 0, 0, 2**31)
            for k, v in _dict(entry.get("scores", {})).items()
        },
        result=clean_text(entry.get("result", ""), 4096),
        message=clean_text(entry.get("message", ""), MESSAGE_LIMIT),
    )


def _status(value: Any) -> str:
    return value if type(value) is str and value in ITEM_STATUSES else "error"
