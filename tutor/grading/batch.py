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
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.grading.grader import Grader
from tutor.grading.results import ItemResult
from tutor.grading.session import RESULT_VERSION, Report, grade_answer
from tutor.lesson.model import Item

SUMMARY_KIND = "batch"


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


def in_shard(name: str, shard: tuple[int, int]) -> bool:
    k, n = shard
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def learner_folders(root: Path, shard: tuple[int, int] = (1, 1)) -> list[Path]:
    if not root.is_dir():
        raise BatchError(f"batch folder {root} does not exist")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [p for p in folders if in_shard(p.name, shard)]


@dataclass
class LearnerSummary:
    learner: str
    status: str
    score: int
    max_score: int
    items: dict[str, str]  # item id -> status
    scores: dict[str, int]  # item id -> score
    result: str = ""  # path of the learner's own result JSON, when written

    def to_json(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "items": self.items,
            "scores": self.scores,
            "result": self.result,
        }

    @classmethod
    def from_report(cls, learner: str, report: Report, result: str = "") -> LearnerSummary:
        return cls(
            learner=learner,
            status=report.status,
            score=report.score,
            max_score=report.max_score,
            items={r.id: r.status for r in report.items},
            scores={r.id: r.score for r in report.items},
            result=result,
        )


@dataclass
class BatchSummary:
    learners: list[LearnerSummary] = field(default_factory=list)
    shards: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    lesson_errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.learners:
            return "error"
        return "pass" if all(s.status == "pass" for s in self.learners) else "fail"

    def exit_code(self) -> int:
        if self.status == "error" or self.lesson_errors:
            return 2
        return 0 if self.status == "pass" else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "version": RESULT_VERSION,
            "kind": SUMMARY_KIND,
            "status": self.status,
            "learners": [s.to_json() for s in self.learners],
            "passed": sum(s.status == "pass" for s in self.learners),
            "shards": self.shards,
            "duration_s": round(self.duration_s, 3),
            "lesson_errors": self.lesson_errors,
        }

    def item_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.learners:
            seen.update(dict.fromkeys(s.items))
        return list(seen)

    def to_csv(self) -> str:
        ids = self.item_ids()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["learner", "status", "score", "max_score", *ids])
        for s in self.learners:
            writer.writerow(
                [s.learner, s.status, s.score, s.max_score, *(s.scores.get(i, "") for i in ids)]
            )
        return out.getvalue()

    def to_junit(self) -> str:
        suites = ET.Element("testsuites", name="tutor-batch")
        for s in self.learners:
            suite = ET.SubElement(
                suites,
                "testsuite",
                name=s.learner,
                tests=str(len(s.items)),
                failures=str(sum(v in ("fail", "missing") for v in s.items.values())),
                errors=str(sum(v in ("error", "timeout") for v in s.items.values())),
            )
            for item_id, status in s.items.items():
                case = ET.SubElement(suite, "testcase", classname=s.learner, name=item_id)
                if status in ("fail", "missing"):
                    ET.SubElement(case, "failure", message=status, type=status)
                elif status in ("error", "timeout"):
                    ET.SubElement(case, "error", message=status, type=status)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"

    def render(self, fmt: str) -> str:
        if fmt == "csv":
            return self.to_csv()
        if fmt == "junit":
            return self.to_junit()
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2) + "\n"
        lines = [
            f"{s.status.upper():<6} {s.learner:<30} {s.score:>4}/{s.max_score}"
            for s in self.learners
        ]
        passed = sum(s.status == "pass" for s in self.learners)
        lines.append(
            f"{passed}/{len(self.learners)} learners passed everything in {self.duration_s:.1f}s"
        )
        return "\n".join(lines) + "\n"


def grade_batch(
    items: list[Item],
    folders: list[Path],
    grader: Grader,
    jobs: int = 1,
    results_dir: Path | None = None,
    on_learner: Callable[[LearnerSummary, int, int], None] | None = None,
) -> BatchSummary:
    """Grade every learner folder; each learner's result JSON goes to ``results_dir``."""
    started = time.perf_counter()
    summary = BatchSummary()
    if results_dir is not None:
        results_dir.mkdir(parents=True, exist_ok=True)
    tasks = [(folder, item) for folder in folders for item in items]
    per_learner: dict[Path, list[ItemResult]] = {folder: [] for folder in folders}
    done = 0

    def finish(folder: Path) -> None:
        nonlocal done
        report = Report(items=per_learner.pop(folder))
        path = ""
        if results_dir is not None:
            target = results_dir / f"{folder.name}.json"
            target.write_text(json.dumps(report.to_json(), indent=2) + "\n")
            path = str(target)
        learner = LearnerSummary.from_report(folder.name, report, path)
        summary.learners.append(learner)
        done += 1
        if on_learner:
            on_learner(learner, done, len(folders))

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
    """Join shard summaries; the same learner in two shards is an error, not a silent pick."""
    merged = BatchSummary()
    owner: dict[str, Path] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise BatchError(f"cannot read {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("kind") != SUMMARY_KIND:
            raise BatchError(f"{path} is not a 'tutor grade --batch --format json' summary")
        for entry in data.get("learners", []):
            name = entry["learner"]
            if name in owner:
                raise BatchError(f"learner {name!r} is in both {owner[name]} and {path}")
            owner[name] = path
            merged.learners.append(
                LearnerSummary(
                    learner=name,
                    status=entry["status"],
                    score=int(entry["score"]),
                    max_score=int(entry["max_score"]),
                    items=dict(entry.get("items", {})),
                    scores=dict(entry.get("scores", {})),
                    result=entry.get("result", ""),
                )
            )
        merged.shards.extend(data.get("shards", []))
        merged.duration_s = max(merged.duration_s, float(data.get("duration_s", 0.0)))
        merged.lesson_errors.extend(
            e for e in data.get("lesson_errors", []) if e not in merged.lesson_errors
        )
    merged.learners.sort(key=lambda s: s.learner)
    return merged
