"""A lesson: its text on one side, the current item on the other (runs: lesson_runs.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Header, Static, TextArea

from tutor.lesson.model import Exercise, Item, Lesson, Quiz
from tutor.tui import format as fmt
from tutor.tui.game import SOLUTION_AFTER_FAILS
from tutor.tui.graph_target import default_graph_target
from tutor.tui.screens.dialogs import ConfirmScreen, SolutionScreen
from tutor.tui.screens.lesson_runs import LessonRuns
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.footer import KeysFooter
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.item_bar import ItemBar
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.prose import ProseView
from tutor.tui.widgets.quiz import QuizPane
from tutor.tui.widgets.results import TextPanel
from tutor.tui.widgets.run_status import RunStatus

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp

DRAFT_DELAY = 0.5  # seconds of quiet typing before a draft is saved


class LessonScreen(LessonRuns):
    """One lesson. The item pane is rebuilt for each item; drafts save as you type."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]

    # Short descriptions so that every key fits the footer at 80 columns (two rows there);
    # the tooltips are the longer help (footer hover, command palette).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Cancel the run in flight", priority=True),
        Binding("escape", "back", "Map", tooltip="Leave the REPL or zoom, else back to the map"),
        Binding("ctrl+r", "run", "Run", tooltip="Run your code and show what it prints"),
        Binding("ctrl+s,ctrl+enter", "check", "Check", tooltip="Check your answer"),
        Binding("f1", "hint", "Hint", tooltip="Reveal the next hint (costs a little XP)"),
        Binding("ctrl+n", "next_item", "Next", tooltip="Next item"),
        Binding("ctrl+b", "prev_item", "Prev", tooltip="Previous item"),
        Binding("f2", "to_work", "Work", tooltip="From the lesson text to your work"),
        Binding("f2", "to_lesson", "Lesson", tooltip="To the lesson text"),
        Binding("f3", "panel('repl')", "REPL", tooltip="A console on your last run"),
        Binding("f4", "panel('graph')", "Graph", tooltip="The autograd graph of a tensor"),
        Binding("f5", "panel('loss')", "Loss", tooltip="The loss plot of a training run"),
        Binding("f8", "solution", "Solution", tooltip="Reveal the reference solution (no XP)"),
        Binding("f9", "zoom", "Zoom", tooltip="Zoom the panels to the whole screen, or back"),
    ]

    app: TutorApp

    def __init__(self, lesson: Lesson, item_id: str | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        self._item_id = item_id
        self.index = 0
        self.last_code: str | None = None  # the code of the last run or check (REPL namespace)
        self.replay: list[str] = []  # REPL lines that worked, replayed after the code
        self._draft_timer = None
        self._pending: tuple[Item, str] | None = None  # an edit not saved yet

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="∂")
        with Horizontal(id="lesson-body"):
            yield ProseView(self.lesson.prose or f"# {self.lesson.title}", id="prose")
            with Vertical(id="work"):
                yield ItemBar(id="item-bar")
                yield Vertical(id="item-slot")
        yield RunStatus(id="run-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.sub_title = self._standing()
        if not self.lesson.items:
            self.query_one("#work").display = False
            return
        if self.app.game.lesson_state(self.lesson) == "open":
            self.add_class("-reading")  # a new lesson starts with its text (narrow terminals)
        self.index = self._start_index(self._item_id)
        self.call_after_refresh(self._show_item, self.index)

    def _start_index(self, item_id: str | None) -> int:
        items = self.lesson.items
        if item_id is not None:
            for n, item in enumerate(items):
                if item.id == item_id:
                    return n
        states = self.app.game.states()
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
        if not self.reading:
            self._focus_work()
        if self.has_class("-wide"):
            self.call_after_refresh(self._scroll_prose_to_item)
        game.set_position(self.lesson, item)
        self.refresh_bindings()  # Prev, Run, Solution... depend on the item

    @property
    def reading(self) -> bool:
        """Whether the lesson text is shown instead of the work (narrow terminals)."""
        return self.has_class("-reading") and self.has_class("-narrow")

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
        owner = event.text_area.parent
        item = getattr(owner, "ex", None) or getattr(owner, "pred", None)
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
        if action == "to_work":
            return self.reading
        if action == "to_lesson":
            return not self.reading
        if action == "prev_item":
            return self.index > 0
        if action == "solution":  # shown once it can be revealed (the checks then say f8)
            item = self.item
            return isinstance(item, Exercise) and self.app.game.can_reveal_solution(item)
        if action in ("run", "panel", "zoom"):
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
        self._show_in(
            "output",
            Text("✘ Cancelled. The sandbox restarts in the background.", style="bold yellow"),
        )
        self.notify("Run cancelled.", severity="warning")

    def action_back(self) -> None:
        """Leave a panel's input for the editor; from anywhere else, back to the map."""
        if self.maximized is not None:
            self.minimize()
            return
        focused, pane = self.focused, self.pane()
        in_panel_input = focused is not None and focused.id in ("repl-input", "graph-expr")
        if isinstance(pane, ExercisePane) and in_panel_input:
            pane.editor.focus()
            return
        self._flush_draft()
        self.app.pop_screen()

    def action_zoom(self) -> None:
        """Give the panels (checks, REPL, graph...) the whole screen, or give it back."""
        pane = self.pane()
        if self.maximized is not None:
            self.minimize()
        elif isinstance(pane, ExercisePane):
            self.maximize(pane.query_one("#panels"), container=False)

    def action_to_work(self) -> None:
        self.action_toggle_lesson()

    def action_to_lesson(self) -> None:
        self.action_toggle_lesson()

    def action_toggle_lesson(self) -> None:
        if self.has_class("-narrow"):
            self.set_class(not self.reading, "-reading")
        else:  # both are shown: move between them
            self.set_class(
                self.focused is not None and "prose" not in _ids(self.focused), "-reading"
            )
        if self.has_class("-reading"):
            self.query_one("#prose").focus()
            self.call_after_refresh(self._scroll_prose_to_item)
        else:
            self._focus_work()
        self.refresh_bindings()

    def _scroll_prose_to_item(self) -> None:
        """Show the current item's section of the lesson text."""
        item = self.item
        if item is not None and item.title:
            self.query_one(ProseView).scroll_to_heading(item.title)

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
        self.notify(f"Hint {reveal.index + 1}{cost}", title="Hint", timeout=3)
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


def _ids(widget: Widget) -> set[str]:
    """The ids of a widget and its ancestors."""
    return {node.id for node in widget.ancestors_with_self if node.id}
