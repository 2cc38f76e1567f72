"""The sandbox side of a lesson screen: run, check, REPL and graph in workers, and verdicts.

:class:`LessonRuns` is the base of :class:`~tutor.tui.screens.lesson.LessonScreen`: the
engine is only called from thread workers, results come back with ``call_from_thread``,
and a cancelled worker's result is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from tutor.lesson.model import Exercise, Item, Lesson, Predict, Quiz
from tutor.tui import format as fmt
from tutor.tui.engine import LOSSES_LINE, Outcome, parse_losses
from tutor.tui.game import SOLUTION_AFTER_FAILS
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.item_bar import ItemBar
from tutor.tui.widgets.loss import LossView
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.quiz import QuizPane
from tutor.tui.widgets.repl import Repl
from tutor.tui.widgets.results import TextPanel
from tutor.tui.widgets.run_status import RunStatus

if TYPE_CHECKING:
    from tutor.grading.results import ItemResult
    from tutor.progress import AttemptResult
    from tutor.tui.app import TutorApp


class LessonRuns(Screen):
    """Workers and result handlers; the subclass provides the layout and navigation."""

    app: TutorApp
    lesson: Lesson
    last_code: str | None
    replay: list[str]

    # provided by LessonScreen
    @property
    def item(self) -> Item | None:
        raise NotImplementedError

    def pane(self) -> Widget | None:
        raise NotImplementedError

    def _refresh_bar(self) -> None:
        raise NotImplementedError

    def _flush_draft(self) -> None:
        raise NotImplementedError

    # -- running -----------------------------------------------------------------------------

    def _busy(self, label: str) -> bool:
        status = self.query_one(RunStatus)
        if status.busy:
            self.notify("Still running: wait, or press escape to cancel.", severity="warning")
            return False
        status.start(label)
        self.refresh_bindings()
        return True

    def _idle(self) -> None:
        self.query_one(RunStatus).stop()
        self.refresh_bindings()

    def _show_in(self, panel: str, renderable) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            pane.query_one(f"#{panel}-view", TextPanel).show(renderable)
            pane.show_panel(panel)

    def action_run(self) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane) and self._busy("Running your code"):
            graph_of = pane.query_one(GraphView).expr or None
            self._run_worker(pane.ex, pane.editor.text, graph_of, self._live_loss(pane))

    def action_check(self) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane) and self._busy("Checking your code"):
            graph_of = pane.query_one(GraphView).expr or None
            self._check_worker(pane.ex, pane.editor.text, graph_of, self._live_loss(pane))
        elif isinstance(pane, PredictPane) and self._busy("Running the shown code"):
            self._flush_draft()
            self._predict_worker(pane.pred, pane.prediction.text)

    def _engine(self):
        """The engine, from a worker thread; relabels the spinner while the sandbox warms."""
        engine = self.app.get_engine()
        if not engine.ready:
            self.app.call_from_thread(
                self.query_one(RunStatus).relabel,
                "Starting the sandbox (it imports torch once, a few seconds)",
            )
        return engine

    def _live_loss(self, pane: ExercisePane):
        """Made on the UI thread: a callback for the sandbox's reader thread that grows the
        loss plot while the code trains."""
        view = pane.query_one(LossView)
        view.start_live()
        return lambda start, values: self.app.call_from_thread(view.extend_live, start, values)

    def _deliver(self, callback, *args) -> None:
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(callback, *args)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _run_worker(self, ex: Exercise, code: str, graph_of: str | None, on_loss=None) -> None:
        try:
            result = self._engine().run(
                ex, code, repl=[LOSSES_LINE], graph_of=graph_of, on_loss=on_loss
            )
            losses = parse_losses(result.repl[-1] if result.repl else None)
            self._deliver(self._after_run, Outcome("run", code, result, losses), graph_of)
        except Exception as exc:  # a broken sandbox or store: say so, stop the spinner
            self._deliver(self._worker_failed, exc)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _check_worker(self, ex: Exercise, code: str, graph_of: str | None, on_loss=None) -> None:
        try:
            result = self._engine().check(ex, code, graph_of=graph_of, on_loss=on_loss)
            if get_current_worker().is_cancelled:
                return
            attempt = self.app.game.record_attempt(ex, result.passed) if counts(result) else None
            losses = parse_losses(result.repl[-1] if result.repl else None)
            self._deliver(
                self._after_check, Outcome("check", code, result, losses), graph_of, attempt
            )
        except Exception as exc:  # a broken sandbox or store: say so, stop the spinner
            self._deliver(self._worker_failed, exc)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _predict_worker(self, pred: Predict, text: str) -> None:
        try:
            result = self._engine().predict(pred, text)
            if get_current_worker().is_cancelled:
                return
            attempt = self.app.game.record_attempt(pred, result.passed) if counts(result) else None
            self._deliver(self._after_predict, result, attempt)
        except Exception as exc:  # a broken sandbox or store: say so, stop the spinner
            self._deliver(self._worker_failed, exc)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _repl_worker(self, ex: Exercise, code: str, lines: list[str]) -> None:
        try:
            result = self._engine().run(ex, code, repl=lines)
            self._deliver(self._after_repl, result, lines[-1])
        except Exception as exc:  # a broken sandbox or store: say so, stop the spinner
            self._deliver(self._worker_failed, exc)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _graph_worker(self, ex: Exercise, code: str, expr: str) -> None:
        try:
            result = self._engine().run(ex, code, graph_of=expr)
            self._deliver(self._after_graph, result, expr)
        except Exception as exc:  # a broken sandbox or store: say so, stop the spinner
            self._deliver(self._worker_failed, exc)

    def _worker_failed(self, exc: Exception) -> None:
        self._idle()
        self.notify(f"{type(exc).__name__}: {exc}", title="Could not run", severity="error")

    # -- results -----------------------------------------------------------------------------

    def _after_run(self, outcome: Outcome, graph_of: str | None) -> None:
        self._idle()
        result = outcome.result
        self.last_code, self.replay = outcome.code, []
        self._show_in("output", fmt.run_summary(result, outcome.code))
        self._show_extras(outcome, graph_of)
        if result.status == "timeout":
            self.notify("Your code ran out of time.", severity="error")

    def _show_extras(self, outcome: Outcome, graph_of: str | None) -> None:
        pane = self.pane()
        if not isinstance(pane, ExercisePane):
            return
        pane.query_one(LossView).show_losses(outcome.losses)
        if graph_of and outcome.result.graph is not None:
            pane.query_one(GraphView).show_graph(graph_of, outcome.result.graph)
        pane.query_one(Repl).note("── new run: the console now sees this code's variables ──")

    def _after_check(
        self, outcome: Outcome, graph_of: str | None, attempt: AttemptResult | None
    ) -> None:
        self._idle()
        result: ItemResult = outcome.result  # type: ignore[assignment]
        self.last_code, self.replay = outcome.code, []
        parts = []
        if attempt is not None and attempt.newly_passed:
            parts.append(fmt.award_text(attempt))
        parts.append(fmt.verdict(result, outcome.code))
        parts.append(self._next_step(result, attempt))
        self._show_in("checks", Group(*parts))
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            if result.line:
                pane.editor.cursor_location = (result.line - 1, 0)
            pane.query_one(LossView).show_targets(result)
        self._show_extras(outcome, graph_of)
        self._celebrate(result, attempt)

    def _next_step(self, result: ItemResult, attempt: AttemptResult | None) -> Text:
        item = self.item
        text = Text()
        if result.passed:
            text.append("\nctrl+n: next item", style="bold cyan")
            return text
        if result.status == "timeout":
            text.append(
                "\nYour code ran out of time: look for a loop that never ends.", style="yellow"
            )
        fails = attempt.state.failed_checks if attempt else 0
        if (
            item is not None
            and item.hints
            and attempt
            and attempt.state.hints_revealed < len(item.hints)
        ):
            text.append("\nf1 reveals a hint.", style="dim")
        if isinstance(item, Exercise) and fails >= SOLUTION_AFTER_FAILS:
            text.append("\nf8 reveals the solution (this exercise then gives no XP).", style="dim")
        return text

    def _celebrate(self, result: ItemResult, attempt: AttemptResult | None) -> None:
        self._refresh_bar()
        if attempt is None:
            return
        if attempt.newly_passed:
            self.notify(fmt.award_text(attempt).plain or "Passed!", title="✔ Passed!", timeout=3)
            self.query_one(ItemBar).add_class("celebrate")
            self.set_timer(1.5, lambda: self.query_one(ItemBar).remove_class("celebrate"))
        elif result.passed:
            self.notify("XP is earned once per item.", title="✔ Passed again", timeout=3)
        if attempt.leveled_up:
            lvl = attempt.level_after
            self.notify(f"Level {lvl.number}: {lvl.name}!", title="Level up!")
        for achievement in attempt.achievements:
            self.notify(achievement.description, title=f"★ Achievement: {achievement.name}")
        if attempt.newly_passed:
            game = self.app.game
            if game.course_complete():
                self.app.show_complete()
            elif all(game.item_state(i).passed for i in self.lesson.items):
                self.notify("Lesson complete! ctrl+n goes on.", title="★ Lesson complete")

    def _after_predict(self, result: ItemResult, attempt: AttemptResult | None) -> None:
        self._idle()
        pane = self.pane()
        if not isinstance(pane, PredictPane):
            return
        parts = []
        if attempt is not None and attempt.newly_passed:
            parts.append(fmt.award_text(attempt))
        word, style = fmt.STATUS_WORDS.get(result.status, (result.status, "bold"))
        parts.append(Text(f"{'✔' if result.passed else '✘'} {word}  {result.message}", style=style))
        if result.status != "error":
            parts.append(Text("The code really prints:", style="bold"))
            parts.append(Text(result.output.rstrip() or "(nothing)"))
        pred = pane.pred
        if pred.explain and result.passed:
            parts.append(Text(pred.explain, style="italic"))
        parts.append(self._next_step(result, attempt))
        pane.query_one("#predict-result", Static).update(Group(*parts))
        pane.scroll_end(animate=False)
        self._celebrate(result, attempt)

    @on(QuizPane.Picked)
    def _quiz_picked(self, event: QuizPane.Picked) -> None:
        from tutor.grading.grader import grade_quiz

        pane, item = self.pane(), self.item
        if not isinstance(pane, QuizPane) or not isinstance(item, Quiz):
            return
        result = grade_quiz(item, str(event.choice))
        self.app.game.save_draft(item, str(event.choice))
        attempt = self.app.game.record_attempt(item, result.passed)
        parts = []
        if attempt is not None and attempt.newly_passed:
            parts.append(fmt.award_text(attempt))
        word, style = fmt.STATUS_WORDS.get(result.status, (result.status, "bold"))
        parts.append(Text(f"{'✔' if result.passed else '✘'} {word}  {result.message}", style=style))
        if result.passed and item.explain:
            parts.append(Text(item.explain, style="italic"))
        parts.append(self._next_step(result, attempt))
        pane.query_one("#quiz-result", Static).update(Group(*parts))
        self._celebrate(result, attempt)

    # -- REPL and graph ----------------------------------------------------------------------

    def _namespace_code(self, pane: ExercisePane) -> str:
        return self.last_code if self.last_code is not None else pane.editor.text

    @on(Repl.Line)
    def _repl_line(self, event: Repl.Line) -> None:
        pane = self.pane()
        if not isinstance(pane, ExercisePane):
            return
        if self.last_code is None:
            pane.query_one(Repl).note("(no run yet: running the code in the editor first)")
        if self._busy("Evaluating"):
            self._repl_worker(pane.ex, self._namespace_code(pane), [*self.replay, event.line])

    def _after_repl(self, result, line: str) -> None:
        self._idle()
        pane = self.pane()
        if not isinstance(pane, ExercisePane):
            return
        repl = pane.query_one(Repl)
        if self.last_code is None:
            self.last_code = pane.editor.text
        entry = result.repl[-1] if result.repl else None
        if entry is None:
            repl.note(f"{line}: the code did not run ({result.reason or result.status}).", "red")
            return
        if result.status == "raised" and result.error is not None and not self.replay:
            repl.note(f"(your code stopped early: {result.error.one_line()})", "yellow")
        repl.show_entry(entry)
        if not entry.get("error"):
            self.replay.append(line)

    @on(GraphView.Asked)
    def _graph_asked(self, event: GraphView.Asked) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane) and self._busy(f"Drawing the graph of {event.expr}"):
            self._graph_worker(pane.ex, self._namespace_code(pane), event.expr)

    def _after_graph(self, result, expr: str) -> None:
        self._idle()
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            if result.status not in ("ok", "raised"):
                pane.query_one(GraphView).show_graph(
                    expr, {"error": result.reason or result.status}
                )
                return
            pane.query_one(GraphView).show_graph(expr, result.graph)


def counts(result: ItemResult) -> bool:
    """Whether a check counts as an attempt: not when the sandbox or the lesson broke."""
    return not result.internal
