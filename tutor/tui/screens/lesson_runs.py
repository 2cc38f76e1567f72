"""The sandbox side of a lesson screen: run, check, predict, REPL and graph in thread workers.

The engine is only called from these workers. Each posts one message with what it got
(``RunFinished``, ``CheckFinished``, ...), which the screen shows; a cancelled worker's result
is dropped, and a worker that fails is handled once, in the screen's ``Worker.StateChanged``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from tutor.lesson.model import Exercise, Predict
from tutor.tui.engine import EXTRA_LINES, Extras, Outcome, parse_extras
from tutor.tui.game import Game
from tutor.tui.sandbox_handle import SandboxHandle

if TYPE_CHECKING:
    from tutor.grading.results import ItemResult
    from tutor.progress import AttemptResult
    from tutor.sandbox.protocol import RunResult

SANDBOX = "sandbox"  # the worker group: one run at a time


@dataclass
class RunFinished(Message):
    outcome: Outcome
    graph_of: str | None
    extras: Extras


@dataclass
class CheckFinished(Message):
    outcome: Outcome
    graph_of: str | None
    extras: Extras
    attempt: AttemptResult | None
    trigger: str = ""  # why the check ran, when not ctrl+s (e.g. a save in another editor)


@dataclass
class PredictFinished(Message):
    result: ItemResult
    attempt: AttemptResult | None
    reveal: bool = False  # the learner gave up: show the output, nothing was graded


@dataclass
class ReplFinished(Message):
    result: RunResult
    line: str


@dataclass
class GraphFinished(Message):
    result: RunResult
    expr: str


@dataclass
class SandboxStarting(Message):
    """The first run waits for the sandbox to start (it imports torch once)."""


@dataclass
class LossProgress(Message):
    start: int
    values: list[float]


def counts(result: ItemResult) -> bool:
    """Whether a check counts as an attempt: not when the sandbox or the lesson broke."""
    return not result.internal


class SandboxRuns:
    """Workers for a screen (mixed into it) that has ``game`` and ``sandbox``."""

    game: Game
    sandbox: SandboxHandle
    post_message: Any  # the screen's

    def _engine(self):
        engine = self.sandbox.get()
        if not engine.ready:
            self.post_message(SandboxStarting())
        return engine

    def _live(self) -> Any:
        """A callback for the sandbox's reader thread: new ``losses`` values as they come."""
        return lambda start, values: self.post_message(LossProgress(start, values))

    @staticmethod
    def _cancelled() -> bool:
        return get_current_worker().is_cancelled

    @work(thread=True, exit_on_error=False, exclusive=True, group=SANDBOX)
    def run_code(self, ex: Exercise, code: str, graph_of: str | None) -> None:
        result = self._engine().run(
            ex, code, repl=list(EXTRA_LINES), graph_of=graph_of, on_loss=self._live()
        )
        if not self._cancelled():
            extras = parse_extras(result.repl)
            self.post_message(RunFinished(Outcome("run", code, result), graph_of, extras))

    @work(thread=True, exit_on_error=False, exclusive=True, group=SANDBOX)
    def check_code(self, ex: Exercise, code: str, graph_of: str | None, trigger: str = "") -> None:
        result = self._engine().check(ex, code, graph_of=graph_of, on_loss=self._live())
        if self._cancelled():
            return
        attempt = self.game.record_attempt(ex, result.passed) if counts(result) else None
        extras = parse_extras(result.repl)
        outcome = Outcome("check", code, result)
        self.post_message(CheckFinished(outcome, graph_of, extras, attempt, trigger))

    @work(thread=True, exit_on_error=False, exclusive=True, group=SANDBOX)
    def check_prediction(self, pred: Predict, text: str) -> None:
        result = self._engine().predict(pred, text)
        if self._cancelled():
            return
        attempt = self.game.record_attempt(pred, result.passed) if counts(result) else None
        self.post_message(PredictFinished(result, attempt))

    @work(thread=True, exit_on_error=False, exclusive=True, group=SANDBOX)
    def reveal_prediction(self, pred: Predict) -> None:
        """The learner gave up: run the shown code for its output (nothing is graded)."""
        result = self._engine().predict(pred, "")
        if not self._cancelled():
            self.post_message(PredictFinished(result, None, reveal=True))

    @work(thread=True, exit_on_error=False, exclusive=True, group=SANDBOX)
    def eval_repl(self, ex: Exercise, code: str, lines: list[str]) -> None:
        result = self._engine().run(ex, code, repl=lines)
        if not self._cancelled():
            self.post_message(ReplFinished(result, lines[-1]))

    @work(thread=True, exit_on_error=False, exclusive=True, group=SANDBOX)
    def draw_graph(self, ex: Exercise, code: str, expr: str) -> None:
        result = self._engine().run(ex, code, graph_of=expr)
        if not self._cancelled():
            self.post_message(GraphFinished(result, expr))
