"""The app's one door to the sandbox: run, check, replay for the REPL, cancel.

:class:`SandboxEngine` wraps the core's grader and pool; tests may inject anything with the
same methods (:class:`Engine`). Every method blocks: call them from thread workers only.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tutor.sandbox.protocol import Job, RunResult

if TYPE_CHECKING:
    from tutor.grading.factory import Sandboxes
    from tutor.grading.grader import Grader
    from tutor.grading.results import ItemResult
    from tutor.lesson.model import Exercise, Predict

EXTRAS_DEF = """\
def _tutor_extras(what, keep=150, room=1900):
    import math
    import torch as _torch

    if what == "losses":
        seq = globals().get("losses")
        if type(seq) is not list or not seq:
            return []
        n = len(seq)
        picks = range(n) if n <= keep else [i * (n - 1) // (keep - 1) for i in range(keep)]
        out = [n, keep]
        for i in picks:
            try:
                v = float(seq[i])
            except Exception:
                v = math.nan
            out.append(float("%.4g" % v) if math.isfinite(v) else None)
        return out
    out, size = [], 0
    for name, value in list(globals().items()):
        if name.startswith("_"):
            continue
        if isinstance(value, _torch.Tensor):
            kind = "grad_fn" if value.grad_fn is not None else (
                "leaf" if value.requires_grad else "tensor")
        elif type(value).__name__ == "module":
            kind = "module"
        elif isinstance(value, _torch.nn.Module):
            kind = "nn"
        else:
            kind = type(value).__name__
        size += len(name) + len(kind) + 8
        if size > room:
            break
        out.append((name, kind))
    return out
"""
EXTRA_LINES = (EXTRAS_DEF, "_tutor_extras('losses')", "_tutor_extras('names')")
"""Hidden REPL lines added to every run and check (after the code, so they change nothing
graded): the ``losses`` list of a training exercise, downsampled to at most 150 evenly spaced
steps (``[n, keep, value...]``; None for a non-finite value), and the names the code left
with their kinds (``grad_fn``, ``leaf``, ``tensor``, ``module``, ``nn`` or a type name), for
the REPL's suggestions and the graph's default target. Each repr fits the sandbox's limit."""


@dataclass
class LossCurve:
    """A run's ``losses``: ``values[i]`` is the loss at step ``steps[i]`` (0-based) of ``n``;
    None where the loss was NaN or infinite."""

    n: int
    steps: list[int]
    values: list[float | None]


@dataclass
class Extras:
    """What the hidden lines found after a run or check."""

    losses: LossCurve | None = None
    names: dict[str, str] = field(default_factory=dict)


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
            repl=list(EXTRA_LINES),
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


def parse_extras(entries: list[dict] | None) -> Extras:
    """The :data:`EXTRA_LINES` results at the end of a run's REPL entries (any missing or
    broken part is left empty: the code may have crashed before them)."""
    extras = Extras()
    tail = list(entries or [])[-2:]
    if len(tail) != 2:
        return extras
    losses, names = (_literal(e) for e in tail)
    if isinstance(losses, list) and len(losses) >= 3:
        extras.losses = _curve(losses)
    if isinstance(names, list):
        extras.names = {
            str(p[0]): str(p[1]) for p in names if isinstance(p, (list, tuple)) and len(p) == 2
        }
    return extras


def _literal(entry: dict | None):
    if not isinstance(entry, dict) or entry.get("error") or not entry.get("value"):
        return None
    try:
        return ast.literal_eval(entry["value"])
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _curve(data: list) -> LossCurve | None:
    try:
        n, keep = int(data[0]), int(data[1])
        values = [None if v is None else float(v) for v in data[2:]]
    except (TypeError, ValueError):
        return None
    if n <= 0 or not values:
        return None
    if n <= keep:
        steps = list(range(len(values)))
    else:
        steps = [i * (n - 1) // (keep - 1) for i in range(len(values))]
    return LossCurve(n, steps, values)
