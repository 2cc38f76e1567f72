"""A lesson: its text on one side, the current item on the other, runs in workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Markdown, Static, TextArea
from textual.worker import get_current_worker

from tutor.lesson.model import Exercise, Item, Lesson, Predict, Quiz
from tutor.tui import format as fmt
from tutor.tui.engine import LOSSES_LINE, Outcome, parse_losses
from tutor.tui.game import SOLUTION_AFTER_FAILS
from tutor.tui.graph_target import default_graph_target
from tutor.tui.screens.dialogs import ConfirmScreen, SolutionScreen
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

DRAFT_DELAY = 0.5  # seconds of quiet typing before a draft is saved


class LessonScreen(Screen):
    """One lesson. The item pane is rebuilt for each item; drafts save as you type."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel run", priority=True),
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+s,ctrl+enter", "check", "Check"),
        Binding("f1", "hint", "Hint"),
        Binding("ctrl+n", "next_item", "Next"),
        Binding("ctrl+b", "prev_item", "Prev", show=False),
        Binding("f2", "toggle_lesson", "Lesson/Work"),
        Binding("f3", "panel('repl')", "REPL"),
        Binding("f4", "panel('graph')", "Graph"),
        Binding("f5", "panel('loss')", "Loss", show=False),
        Binding("f6", "solution", "Solution", show=False),
        Binding("escape", "back", "Map"),
    ]

    app: TutorApp

    def __init__(self, lesson: Lesson, item_id: str | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = self._start_index(item_id)
        self.last_code: str | None = None  # the code of the last run or check (REPL namespace)
        self.replay: list[str] = []  # REPL lines that worked, replayed after the code
        self._draft_timer = None
        self._pending: tuple[Item, str] | None = None  # an edit not saved yet

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="∂")
        with Horizontal(id="lesson-body"):
            with VerticalScroll(id="prose"):
                yield Markdown(self.lesson.prose or f"# {self.lesson.title}", id="prose-md")
            with Vertical(id="work"):
                yield ItemBar(id="item-bar")
                yield Vertical(id="item-slot")
        yield RunStatus(id="run-status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.sub_title = self._standing()
        if not self.lesson.items:
            self.query_one("#work").display = False
            return
        if self.app.game.lesson_state(self.lesson) == "open":
            self.add_class("-reading")  # a new lesson starts with its text (narrow terminals)
        self.call_after_refresh(self._show_item, self.index)

    def _start_index(self, item_id: str | None) -> int:
        items = self.lesson.items
        if item_id is not None:
            for n, item in enumerate(items):
                if item.id == item_id:
                    return n
        states = self.app.game.states() if self.is_attached else {}
        for n, item in enumerate(items):
            if not (states.get(item.id) and states[item.id].passed):
                return n
        return 0

    @property
    def item(self) -> Item | None:
        return self.lesson.items[self.index] if self.lesson.items else None

    def pane(self) -> Widget | None:
        slot = self.query_one("#item-slot")
        return slot.children[0] if slot.children else None

    async def _show_item(self, index: int) -> None:
        self._flush_draft()
        self.index = index
        item = self.lesson.items[index]
        game = self.app.game
        draft = game.draft(item)
        blink = self.app.cursor_blink
        if isinstance(item, Exercise):
            pane: Widget = ExercisePane(item, draft if draft is not None else item.starter, blink)
        elif isinstance(item, Quiz):
            pane = QuizPane(item, draft)
        else:
            pane = PredictPane(item, draft, blink)
        slot = self.query_one("#item-slot")
        await slot.remove_children()
        await slot.mount(pane)
        self.last_code, self.replay = None, []
        self._refresh_bar()
        self._show_hints(game.revealed_hints(item))
        if isinstance(pane, ExercisePane):
            pane.query_one(GraphView).set_expr(default_graph_target(item))
        if not self.has_class("-reading"):
            self._focus_work()
        game.set_position(self.lesson, item)

    def _focus_work(self) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            pane.editor.focus()
        elif isinstance(pane, PredictPane):
            pane.prediction.focus()
        elif isinstance(pane, QuizPane):
            pane.query_one("#choices").focus()

    def _refresh_bar(self) -> None:
        self.query_one(ItemBar).show(self.lesson.items, self.index, self.app.game.states())
        self.sub_title = self._standing()

    def _standing(self) -> str:
        totals = self.app.game.totals()
        return f"{fmt.level_line(totals.level)} · {totals.xp} XP · streak {totals.streak}"

    # -- drafts ------------------------------------------------------------------------------

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        item = self.item
        if item is None or event.text_area.id not in ("editor", "prediction"):
            return
        self._pending = (item, event.text_area.text)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft)

    def _flush_draft(self) -> None:
        """Save the latest edit now (kept in memory, so it works while widgets unmount)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        pending, self._pending = self._pending, None
        if pending is not None:
            item, text = pending
            self.app.game.save_draft(item, text)

    def on_unmount(self) -> None:
        self._flush_draft()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        busy = self.query_one(RunStatus).busy if self.is_mounted else False
        kind = self.item.kind if self.item else None
        if action == "cancel":
            return busy
        if action == "back":
            return not busy
        if action in ("run", "panel", "solution"):
            return kind == "exercise"
        if action == "check":
            return kind in ("exercise", "predict")
        return True

    def action_cancel(self) -> None:
        status = self.query_one(RunStatus)
        if not status.busy:
            return
        self.workers.cancel_group(self, "sandbox")
        self.app.cancel_runs()
        status.stop()
        self.refresh_bindings()
        self._show_in("output", Text("✘ Cancelled. The sandbox restarts in the background.", style="bold yellow"))
        self.notify("Run cancelled.", severity="warning")

    def action_back(self) -> None:
        self._flush_draft()
        self.app.pop_screen()

    def action_toggle_lesson(self) -> None:
        self.toggle_class("-reading")
        if self.has_class("-reading"):
            self.query_one("#prose").focus()
        else:
            self._focus_work()

    def action_panel(self, panel: str) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            self.remove_class("-reading")
            pane.show_panel(panel)
            target = {"repl": "#repl-input", "graph": "#graph-expr"}.get(panel)
            if target:
                pane.query_one(target).focus()

    async def action_next_item(self) -> None:
        if self.index + 1 < len(self.lesson.items):
            await self._show_item(self.index + 1)
        else:
            self._flush_draft()
            self.app.next_lesson_after(self.lesson)

    async def action_prev_item(self) -> None:
        if self.index > 0:
            await self._show_item(self.index - 1)

    def action_hint(self) -> None:
        item = self.item
        if item is None:
            return
        if not item.hints:
            self.notify("This item has no hints.", severity="warning")
            return
        reveal = self.app.game.reveal_hint(item)
        if reveal is None:
            self.notify("No more hints: that was the last one.", severity="warning")
            return
        cost = f" (-{reveal.cost} XP when you pass)" if reveal.cost else ""
        self.notify(f"Hint {reveal.index + 1}{cost}", title="Hint")
        self._show_hints(self.app.game.revealed_hints(item))
        self._refresh_bar()
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            pane.show_panel("hints")

    def _show_hints(self, hints: list[str]) -> None:
        item = self.item
        if item is None:
            return
        text = Text()
        for n, hint in enumerate(hints, 1):
            text.append(f"Hint {n}: ", style="bold")
            text.append(f"{hint}\n")
        left = len(item.hints) - len(hints)
        if left:
            text.append(f"f1 reveals the next hint ({left} left).", style="dim")
        elif not item.hints:
            text.append("This item has no hints.", style="dim")
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            pane.query_one("#hints-view", TextPanel).show(text)
        elif pane is not None:
            pane.query_one("#hints-text", Static).update(text if hints else "")

    def action_solution(self) -> None:
        item = self.item
        if not isinstance(item, Exercise):
            return
        game = self.app.game
        if not game.can_reveal_solution(item):
            fails = game.item_state(item).failed_checks
            self.notify(
                f"The solution opens after {SOLUTION_AFTER_FAILS} failed checks "
                f"(you have {fails}). Try a hint (f1) first.",
                severity="warning",
            )
            return
        state = game.item_state(item)
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
        self.app.game.reveal_solution(item)
        self._refresh_bar()
        self.app.push_screen(SolutionScreen(item.solution), self._use_solution)

    def _use_solution(self, use: bool | None) -> None:
        pane = self.pane()
        if use and isinstance(pane, ExercisePane):
            pane.editor.text = pane.ex.solution
            pane.editor.focus()

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
            self._run_worker(pane.ex, pane.editor.text, graph_of)

    def action_check(self) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane) and self._busy("Checking your code"):
            graph_of = pane.query_one(GraphView).expr or None
            self._check_worker(pane.ex, pane.editor.text, graph_of)
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

    def _deliver(self, callback, *args) -> None:
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(callback, *args)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _run_worker(self, ex: Exercise, code: str, graph_of: str | None) -> None:
        result = self._engine().run(ex, code, repl=[LOSSES_LINE], graph_of=graph_of)
        losses = parse_losses(result.repl[-1] if result.repl else None)
        self._deliver(self._after_run, Outcome("run", code, result, losses), graph_of)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _check_worker(self, ex: Exercise, code: str, graph_of: str | None) -> None:
        result = self._engine().check(ex, code, graph_of=graph_of)
        if get_current_worker().is_cancelled:
            return
        attempt = self.app.game.record_attempt(ex, result.passed) if counts(result) else None
        losses = parse_losses(result.repl[-1] if result.repl else None)
        self._deliver(self._after_check, Outcome("check", code, result, losses), graph_of, attempt)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _predict_worker(self, pred: Predict, text: str) -> None:
        result = self._engine().predict(pred, text)
        if get_current_worker().is_cancelled:
            return
        attempt = self.app.game.record_attempt(pred, result.passed) if counts(result) else None
        self._deliver(self._after_predict, result, attempt)

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _repl_worker(self, ex: Exercise, code: str, lines: list[str]) -> None:
        result = self._engine().run(ex, code, repl=lines)
        self._deliver(self._after_repl, result, lines[-1])

    @work(thread=True, exit_on_error=False, exclusive=True, group="sandbox")
    def _graph_worker(self, ex: Exercise, code: str, expr: str) -> None:
        result = self._engine().run(ex, code, graph_of=expr)
        self._deliver(self._after_graph, result, expr)

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
            text.append("\nYour code ran out of time: look for a loop that never ends.", style="yellow")
        fails = attempt.state.failed_checks if attempt else 0
        if item is not None and item.hints and attempt and attempt.state.hints_revealed < len(item.hints):
            text.append("\nf1 reveals a hint.", style="dim")
        if isinstance(item, Exercise) and fails >= SOLUTION_AFTER_FAILS:
            text.append("\nf6 reveals the solution (this exercise then gives no XP).", style="dim")
        return text

    def _celebrate(self, result: ItemResult, attempt: AttemptResult | None) -> None:
        self._refresh_bar()
        if attempt is None:
            return
        if attempt.newly_passed:
            self.notify(fmt.award_text(attempt).plain or "Passed!", title="✔ Passed!")
            self.query_one(ItemBar).add_class("celebrate")
            self.set_timer(1.5, lambda: self.query_one(ItemBar).remove_class("celebrate"))
        elif result.passed:
            self.notify("Passed again (XP is earned once per item).", title="✔ Passed")
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
        if attempt.newly_passed:
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
                pane.query_one(GraphView).show_graph(expr, {"error": result.reason or result.status})
                return
            pane.query_one(GraphView).show_graph(expr, result.graph)


def counts(result: ItemResult) -> bool:
    """Whether a check counts as an attempt: not when the sandbox or the lesson broke."""
    if result.status != "error":
        return True
    msg = result.message
    return not (msg.startswith("the reference solution") or "sandbox server" in msg or
                "did not run" in msg and "shown code" in msg)
