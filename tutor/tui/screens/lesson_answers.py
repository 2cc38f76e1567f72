"""The answering side of a lesson screen: run, check, predict, pick, ask the REPL or the
graph, take a hint or the solution; and what each result says (the panes show it)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.worker import Worker, WorkerState

from tutor.lesson.model import Exercise, Predict, Quiz
from tutor.tui import format as fmt
from tutor.tui import verdicts
from tutor.tui.game import SOLUTION_AFTER_FAILS
from tutor.tui.graph_target import target_from_names
from tutor.tui.messages import CourseCompleted
from tutor.tui.screens.dialogs import ConfirmScreen, SolutionScreen
from tutor.tui.screens.lesson_base import LessonBase
from tutor.tui.screens.lesson_runs import (
    SANDBOX,
    CheckFinished,
    GraphFinished,
    LossProgress,
    PredictFinished,
    ReplFinished,
    RunFinished,
    SandboxStarting,
)
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.item_bar import ItemBar
from tutor.tui.widgets.loss import LossView
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.quiz import QuizPane
from tutor.tui.widgets.repl import Repl
from tutor.tui.widgets.run_status import RunStatus


class LessonAnswers(LessonBase):
    """Sends answers to the sandbox (``lesson_runs``) and shows what comes back."""

    def action_cancel(self) -> None:
        status = self.query_one(RunStatus)
        if not status.busy:
            return
        self.workers.cancel_group(self, SANDBOX)
        self.sandbox.cancel()
        self._recheck = None
        self._idle()
        self._show_in(
            "output",
            Text("✘ Cancelled. The sandbox restarts in the background.", style="bold yellow"),
        )
        pane = self.exercise_pane()
        if pane is not None:
            pane.query_one(LossView).show_curve(None, "the run was cancelled")

    def action_hint(self) -> None:
        item = self.item
        if item is None:
            return
        self._see_work()
        if not item.hints:
            self.notify("This item has no hints.", timeout=3)
            return
        reveal = self.game.reveal_hint(item)
        if reveal is None:
            self.notify("No more hints: that was the last one.", timeout=3)
            return
        self._show_hints()
        self._refresh_bar()
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            pane.show_panel("hints")
        elif isinstance(pane, QuizPane | PredictPane):  # the hint is under the answer: show it
            hints = pane.query_one("#hints-text")
            self.call_after_refresh(hints.scroll_visible, animate=False)
        if reveal.cost:
            self.notify(f"Hint {reveal.index + 1}: -{reveal.cost} XP when you pass.", timeout=3)

    def action_solution(self) -> None:
        item = self.item
        if not isinstance(item, Exercise):
            return
        if not self.game.can_reveal_solution(item):
            fails = self.game.item_state(item).failed_checks
            self.notify(
                f"The solution opens after {SOLUTION_AFTER_FAILS} failed checks "
                f"(you have {fails}). Try a hint (f1) first.",
                severity="warning",
            )
            return
        state = self.game.item_state(item)
        if state.passed or state.solution_revealed:
            self._reveal_solution(True)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Reveal the reference solution?\n\nThis exercise will then give no XP.",
                yes="Reveal",
                no="Keep trying",
            ),
            self._reveal_solution,
        )

    def _reveal_solution(self, sure: bool | None) -> None:
        item = self.item
        if not sure or not isinstance(item, Exercise):
            return
        self.game.reveal_solution(item)
        self._refresh_bar()
        self.app.push_screen(SolutionScreen(item.solution), self._use_solution)

    def _use_solution(self, use: bool | None) -> None:
        pane = self.exercise_pane()
        if use and pane is not None:
            pane.editor.set_code(pane.ex.solution)
            pane.editor.focus()

    def action_give_up(self) -> None:
        item = self.item
        if not isinstance(item, Predict) or not self.game.can_reveal_solution(item):
            return
        self.app.push_screen(
            ConfirmScreen(
                "Give up and see what the code prints?\n\nThis prediction will then give no XP.",
                yes="Show it",
                no="Keep trying",
            ),
            self._give_up,
        )

    def _give_up(self, sure: bool | None) -> None:
        item = self.item
        if sure and isinstance(item, Predict) and self._busy("Running the shown code"):
            self.game.reveal_solution(item)
            self._refresh_bar()
            self.reveal_prediction(item)

    # -- sending -------------------------------------------------------------------------

    def _see_work(self) -> None:
        """From the lesson text (a narrow terminal) to the work, where the result shows."""
        if self.reading:
            self.action_toggle_lesson()

    def action_run(self) -> None:
        pane = self.exercise_pane()
        self._see_work()
        if pane is not None and self._busy("Running your code"):
            pane.query_one(LossView).start_live()
            self.run_code(pane.ex, pane.editor.text, pane.query_one(GraphView).expr or None)

    def action_check(self) -> None:
        pane = self.pane()
        self._see_work()
        if isinstance(pane, ExercisePane):
            self._check_now()
        elif isinstance(pane, PredictPane) and self._busy("Running the shown code"):
            self.drafts.flush()
            self.check_prediction(pane.pred, pane.prediction.text)

    def _check_now(self, trigger: str = "") -> None:
        """Check the exercise; if a run is in flight, as soon as it ends (a save meanwhile)."""
        pane = self.exercise_pane()
        if pane is None:
            return
        if self.query_one(RunStatus).busy:
            if trigger:
                self._recheck = trigger
            else:
                self._busy("")  # says "still running"
            return
        self._busy("Checking your code")
        pane.query_one(LossView).start_live()
        graph_of = pane.query_one(GraphView).expr or None
        self.check_code(pane.ex, pane.editor.text, graph_of, trigger)

    def _idle(self) -> None:
        super()._idle()
        trigger, self._recheck = self._recheck, None
        if trigger:
            self.call_after_refresh(self._check_now, trigger)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == SANDBOX and event.state == WorkerState.ERROR:
            self._idle()
            exc = event.worker.error
            self.notify(f"{type(exc).__name__}: {exc}", title="Could not run", severity="error")
        elif event.worker.group == "editor" and event.state == WorkerState.SUCCESS:
            self.sync_from_file("saved in your editor")
        elif event.worker.group == "editor" and event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), title="Your editor", severity="error")

    @on(SandboxStarting)
    def _starting(self) -> None:
        self.query_one(RunStatus).relabel(
            "Starting the sandbox (it imports torch once, a few seconds)"
        )

    @on(LossProgress)
    def _loss_progress(self, event: LossProgress) -> None:
        pane = self.exercise_pane()
        if pane is not None and self.query_one(RunStatus).busy:
            pane.query_one(LossView).extend_live(event.start, event.values)

    # -- what came back --------------------------------------------------------------------

    @on(RunFinished)
    def _after_run(self, event: RunFinished) -> None:
        self._idle()
        result = event.outcome.result
        self.last_code, self.replay = event.outcome.code, []
        self._show_in("output", fmt.run_summary(result, event.outcome.code))
        self._show_extras(event.outcome.result, event.extras, event.graph_of)

    def _show_extras(self, result, extras, graph_of: str | None) -> None:
        """Loss plot, graph and REPL names of a run or check that just ended."""
        pane = self.exercise_pane()
        if pane is None:
            return
        status = getattr(result, "status", "ok")
        reason = getattr(result, "reason", "") or status
        stopped = (
            "" if status in ("ok", "raised", "pass", "fail") else f"the run stopped ({reason})"
        )
        pane.query_one(LossView).show_curve(extras.losses, stopped)
        graph = pane.query_one(GraphView)
        if graph_of and result.graph is not None:
            graph.show_graph(graph_of, result.graph)
        if extras.names:
            pane.query_one(Repl).show_names(extras.names)
            better = target_from_names(extras.names, graph.expr)
            if better and better != graph.expr and graph.auto:
                graph.set_expr(better)
                if pane.panel == "graph":
                    self.call_after_refresh(self._ask_graph, better)
            elif graph_of and result.graph is None and graph.auto and better is None:
                graph.show_graph(graph_of, None)

    @on(CheckFinished)
    def _after_check(self, event: CheckFinished) -> None:
        self._idle()
        result = event.outcome.result
        self.last_code, self.replay = event.outcome.code, []
        item = self.item
        state = event.attempt.state if event.attempt else None
        done = self.game.lesson_done(self.lesson)
        verdict = verdicts.check_verdict(
            item, result, event.outcome.code, state, event.attempt, done, event.trigger
        )
        self._show_in("checks", verdict)
        pane = self.exercise_pane()
        if pane is not None:
            if result.line:
                pane.editor.cursor_location = (result.line - 1, 0)
            pane.query_one(LossView).show_targets(result)
        self._show_extras(result, event.extras, event.graph_of)
        self._celebrate(event.attempt)

    def _celebrate(self, attempt) -> None:
        """The strip flashes on a first pass; the whole course done shows its screen."""
        self._refresh_bar()
        if attempt is None or not attempt.newly_passed:
            return
        bar = self.query_one(ItemBar)
        bar.add_class("celebrate")
        self.set_timer(1.5, lambda: bar.remove_class("celebrate"))
        if self.game.course_complete():
            self.post_message(CourseCompleted())

    @on(PredictFinished)
    def _after_predict(self, event: PredictFinished) -> None:
        self._idle()
        pane, item = self.pane(), self.item
        if not isinstance(pane, PredictPane) or not isinstance(item, Predict):
            return
        if event.reveal:
            pane.show_result(verdicts.revealed_output(item, event.result.output))
            return
        state = event.attempt.state if event.attempt else self.game.item_state(item)
        done = self.game.lesson_done(self.lesson)
        pane.show_result(verdicts.predict_verdict(item, event.result, state, event.attempt, done))
        self._celebrate(event.attempt)

    @on(QuizPane.Picked)
    def _quiz_picked(self, event: QuizPane.Picked) -> None:
        from tutor.grading.grader import grade_quiz

        pane, item = self.pane(), self.item
        if not isinstance(pane, QuizPane) or not isinstance(item, Quiz):
            return
        before = self.game.item_state(item)
        last = (self.game.draft(item) or "").strip()
        result = grade_quiz(item, str(event.choice))
        self.drafts.save(item, str(event.choice))
        repeated = not result.passed and last == str(event.choice) and before.attempts > 0
        attempt = None if repeated else self.game.record_attempt(item, result.passed)
        state = attempt.state if attempt else before
        if (
            not result.passed
            and not state.solution_revealed
            and state.failed_checks >= verdicts.quiz_tries(item)
        ):
            self.game.reveal_solution(item)  # the last try: the answer and why, for no XP
            state = self.game.item_state(item)
        done = self.game.lesson_done(self.lesson)
        pane.show_result(
            verdicts.quiz_verdict(item, event.choice, result, state, attempt, done, repeated)
        )
        self._celebrate(attempt)

    # -- the REPL and the graph --------------------------------------------------------------

    def _namespace_code(self, pane: ExercisePane) -> str:
        return self.last_code if self.last_code is not None else pane.editor.text

    @on(Repl.Line)
    def _repl_line(self, event: Repl.Line) -> None:
        pane = self.exercise_pane()
        if pane is None:
            return
        if self.last_code is None:
            pane.query_one(Repl).note("(no run yet: running the code in the editor first)")
        if self._busy("Evaluating"):
            self.eval_repl(pane.ex, self._namespace_code(pane), [*self.replay, event.line])

    @on(ReplFinished)
    def _after_repl(self, event: ReplFinished) -> None:
        self._idle()
        pane = self.exercise_pane()
        if pane is None:
            return
        repl, result = pane.query_one(Repl), event.result
        if self.last_code is None:
            self.last_code = pane.editor.text
        entry = result.repl[-1] if result.repl else None
        if entry is None:
            why = result.reason or result.status
            repl.note(f"{event.line}: the code did not run ({why}).", "red")
            return
        if result.status == "raised" and result.error is not None and not self.replay:
            repl.note(f"(your code stopped early: {result.error.one_line()})", "yellow")
        repl.show_entry(entry)
        if not entry.get("error"):
            self.replay.append(event.line)
            repl.learned(event.line)

    @on(GraphView.Asked)
    def _graph_asked(self, event: GraphView.Asked) -> None:
        self._ask_graph(event.expr)

    def _ask_graph(self, expr: str) -> None:
        pane = self.exercise_pane()
        if pane is not None and self._busy(f"Drawing the graph of {expr}"):
            self.draw_graph(pane.ex, self._namespace_code(pane), expr)

    @on(GraphFinished)
    def _after_graph(self, event: GraphFinished) -> None:
        self._idle()
        pane = self.exercise_pane()
        if pane is None:
            return
        result, view = event.result, pane.query_one(GraphView)
        if result.status not in ("ok", "raised"):
            view.show_graph(event.expr, {"error": result.reason or result.status})
        else:
            view.show_graph(event.expr, result.graph)
