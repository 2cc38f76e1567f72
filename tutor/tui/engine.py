"""The app's one door to the sandbox: run, check, replay for the REPL, cancel.

:class:`SandboxEngine` wraps the core's grader and pool; tests may inject anything with the
same methods (:class:`Engine`). Every method blocks: call them from thread workers only.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tutor.sandbox.protocol import Job, RunResult

if TYPE_CHECKING:
    from tutor.grading.factory import Sandboxes
    from tutor.grading.grader import Grader
    from tutor.grading.results import ItemResult
    from tutor.lesson.model import Exercise, Predict

LOSSES_LINE = (
    "(lambda L: [float('%.5g' % float(v)) for v in "
    "(L[:: len(L) // 100] + L[-1:] if len(L) > 100 else L)])"
    "(list(globals().get('losses') or ()))"
)
"""A hidden REPL line added to runs: the ``losses`` list of a training exercise (at most ~100
points, so its repr fits the sandbox's repr limit), or ``[]``."""


WATCHED = "losses"  # the list a training exercise appends its losses to
LossCallback = Callable[[int, list[float]], None] | None
"""Gets (index of the first new value, new values) while the code runs."""


def _progress(on_loss: LossCallback) -> Callable[[dict], None] | None:
    if on_loss is None:
        return None
    return lambda p: on_loss(int(p.get("start", 0)), [float(v) for v in p.get("values", [])])


class Engine(Protocol):
    """What the UI needs from a sandbox."""

    @property
    def ready(self) -> bool: ...

    def start(self) -> None: ...

    def run(
        self,
        ex: Exercise,
        code: str,
        repl: list[str] | None = None,
        graph_of: str | None = None,
        on_loss: LossCallback = None,
    ) -> RunResult: ...

    def check(
        self, ex: Exercise, code: str, graph_of: str | None = None, on_loss: LossCallback = None
    ) -> ItemResult: ...

    def predict(self, pred: Predict, text: str) -> ItemResult: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class Outcome:
    """A run or check as the screen shows it: the core's result plus the hidden extras."""

    kind: str  # "run" or "check"
    code: str
    result: RunResult | ItemResult
    losses: list[float] | None = None
    cancelled: bool = False


class SandboxEngine:
    """The real engine: the grading core's :class:`Grader` on warm sandboxes (learner and
    reference)."""

    def __init__(self, grader: Grader, pool: Sandboxes) -> None:
        self.grader = grader
        self.pool = pool
        self._cancelled = threading.Event()

    @classmethod
    def open(cls, lesson_dirs: list[Path], use_cache: bool = True) -> SandboxEngine:
        """Build the grader and pool for these lesson folders (imports numpy, never torch)."""
        from tutor.grading.factory import open_grader

        grader, pool = open_grader(lesson_dirs, jobs=1, use_cache=use_cache)
        return cls(grader, pool)

    @property
    def ready(self) -> bool:
        return bool(self.pool.ready)

    def start(self) -> None:
        self.pool.start_background()

    def run(
        self,
        ex: Exercise,
        code: str,
        repl: list[str] | None = None,
        graph_of: str | None = None,
        on_loss: LossCallback = None,
    ) -> RunResult:
        """Run setup + code (no checks) with the exercise's first seed, then REPL lines;
        ``on_loss`` gets the ``losses`` list's new values while the code runs."""
        self._cancelled.clear()
        job = Job(
            code=code,
            setup=ex.setup,
            seed=ex.seeds[0] if ex.seeds else 0,
            timeout=ex.timeout,
            memory_mb=self.grader.memory_mb,
            repl=list(repl or []),
            graph_of=graph_of,
            watch=WATCHED if on_loss else None,
        )
        return self.pool.run(job, _progress(on_loss))

    def check(
        self, ex: Exercise, code: str, graph_of: str | None = None, on_loss: LossCallback = None
    ) -> ItemResult:
        self._cancelled.clear()
        return self.grader.grade_exercise(
            ex,
            code,
            repl=[LOSSES_LINE],
            graph_of=graph_of,
            watch=WATCHED if on_loss else None,
            on_progress=_progress(on_loss),
        )

    def predict(self, pred: Predict, text: str) -> ItemResult:
        self._cancelled.clear()
        return self.grader.grade_predict(pred, text)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop the run in flight by killing the server; it warms up again in the background."""
        self._cancelled.set()
        self.pool.kill()
        self.pool.start_background()

    def close(self) -> None:
        """Stop the servers now, even mid-run (quitting must not wait for a learner's loop)."""
        self.pool.kill()
        self.pool.close()


def parse_losses(entry: dict | None) -> list[float] | None:
    """The float list a :data:`LOSSES_LINE` entry printed, or None when there is none."""
    if not entry or entry.get("error") or not entry.get("value"):
        return None
    try:
        value = ast.literal_eval(entry["value"])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, list) or not value:
        return None
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError):
        return None
