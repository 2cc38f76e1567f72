"""A lesson: its text on one side, the current item on the other.

Keys and focus (the help screen says the same):

* ``f2`` moves between the lesson text and the work; ``f6`` between the code editor and the
  panels under it; ``f3`` ``f4`` ``f5`` open the REPL, graph and loss panels and go into them;
  ``tab``/``shift+tab`` move focus everywhere except in the code editor, where they indent and
  dedent;
* ``escape`` does one thing at a time: cancel a run, leave the zoom, leave a panel for the
  editor, else back to the map;
* nothing else moves the focus, and whatever has it is drawn with a bright border.

The sandbox side (workers) is :mod:`lesson_runs`; what a result says is :mod:`verdicts`;
drafts and workspace files are :mod:`tutor.tui.drafts`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget

from tutor.lesson.model import Exercise, Predict, Quiz
from tutor.tui.graph_target import default_graph_target
from tutor.tui.messages import LessonFinished
from tutor.tui.screens.lesson_answers import LessonAnswers
from tutor.tui.screens.lesson_files import LessonFiles
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.footer import KeysFooter
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.item_bar import ItemBar
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.prose import ProseView
from tutor.tui.widgets.quiz import QuizPane
from tutor.tui.widgets.run_status import RunStatus
from tutor.tui.widgets.title_bar import TitleBar


class LessonScreen(LessonFiles, LessonAnswers):
    """One lesson. The item pane is rebuilt for each item; what is typed is saved as it is
    typed, to the progress store and the workspace file."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]
    ALLOW_IN_MAXIMIZED_VIEW = "Footer, RunStatus"

    # Short descriptions so that every key fits the footer at 80 columns; the tooltips are
    # the longer help (footer hover, command palette). Keys the code editor or an input box
    # would take for themselves (ctrl+e, f6, f7) are priority bindings.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Cancel the run in flight", priority=True),
        Binding("escape", "unzoom", "Unzoom", tooltip="Give the zoomed part its place back"),
        Binding("escape", "to_editor", "Editor", tooltip="From a panel or the task to the editor"),
        Binding("escape", "back", "Map", tooltip="Back to the course map"),
        Binding("ctrl+r", "run", "Run", tooltip="Run your code and show what it prints"),
        Binding("ctrl+s,ctrl+enter", "check", "Check", tooltip="Check your answer"),
        Binding(
            "ctrl+e", "edit_external", "Edit", tooltip="Open the file in $EDITOR", priority=True
        ),
        Binding("f1", "hint", "Hint", tooltip="Reveal the next hint (costs a little XP)"),
        Binding("ctrl+n", "next_item", "Next", tooltip="Next item"),
        Binding("ctrl+b", "prev_item", "Prev", tooltip="Previous item"),
        Binding("f2", "to_work", "Work", tooltip="From the lesson text to your work"),
        Binding("f2", "to_lesson", "Text", tooltip="To the lesson text"),
        Binding("f3", "panel('repl')", "REPL", tooltip="A console on your last run"),
        Binding("f4", "panel('graph')", "Graph", tooltip="The autograd graph of a tensor"),
        Binding("f5", "panel('loss')", "Loss", tooltip="The loss plot of a training run"),
        Binding("f6", "switch_focus", "Panel", tooltip="Editor <-> panels below", priority=True),
        Binding("f7", "fold_task", "Task", tooltip="Fold or show the task", priority=True),
        Binding("f8", "solution", "Solution", tooltip="Reveal the reference solution (no XP)"),
        Binding("f8", "give_up", "Answer", tooltip="Give up: show what the code prints (no XP)"),
        Binding("f9", "zoom", "Zoom", tooltip="Zoom the focused panel to the whole screen"),
        # rarely needed: in the help and the command palette, not in the footer
        Binding(
            "ctrl+t", "reset", "Reset", tooltip="Reset the code to the starter (asks)", show=False
        ),
    ]

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(self._title(), self.game.totals(), id="title-bar")
        with Horizontal(id="lesson-body"):
            yield ProseView(self.lesson.prose or f"# {self.lesson.title}", id="prose")
            with Vertical(id="work"):
                yield ItemBar(id="item-bar")
                yield Vertical(id="item-slot")
        yield RunStatus(id="run-status")
        yield KeysFooter()

    def _title(self) -> str:
        return f"{self.number}. {self.lesson.title}" if self.number else self.lesson.title

    def on_mount(self) -> None:
        # the width and height classes now, not at the first resize: the first frame is then
        # laid out as the learner will see it (no flash of a half-width lesson text)
        width, height = self.app.size
        for size, points in (
            (width, self.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS),
        ):
            for name in self._get_breakpoint_classes(size, points):
                self.add_class(name)
        if not self.lesson.items:
            self.query_one("#work").display = False
            return
        fresh = not self.game.started(self.lesson) and self._item_id is None
        self.index = self._start_index(self._item_id)
        self._fresh = fresh  # a new lesson starts with its text, at the top
        if fresh:
            self.add_class("-reading")
        self._show_parts()
        self.call_after_refresh(self._show_item, self.index)

    def _start_index(self, item_id: str | None) -> int:
        items = self.lesson.items
        for n, item in enumerate(items):
            if item.id == item_id:
                return n
        states = self.game.states()
        for n, item in enumerate(items):
            if not (states.get(item.id) and states[item.id].passed):
                return n
        return 0

    async def _show_item(self, index: int) -> None:
        self.drafts.flush()
        if self.maximized is not None:
            self.minimize()
        self.index = index
        item = self.lesson.items[index]
        loaded = self.drafts.load(item)
        if isinstance(item, Exercise):
            pane: Widget = ExercisePane(
                item,
                loaded.text,
                self.blink,
                file_label=self.workspace.display(item, 48),
                task_folded=self.prefs.task_folded,
            )
        elif isinstance(item, Quiz):
            pane = QuizPane(item, loaded.text)
        else:
            pane = PredictPane(item, loaded.text, self.blink)
        slot = self.query_one("#item-slot")
        await slot.remove_children()
        await slot.mount(pane)
        self.last_code, self.replay, self._recheck = None, [], None
        self._refresh_bar()
        self._show_hints()
        if isinstance(pane, ExercisePane):
            pane.query_one(GraphView).set_expr(default_graph_target(item))
        if loaded.error:
            self.notify(loaded.error, title="Workspace file", severity="error", timeout=8)
        elif loaded.note:
            self.notify(loaded.note, title="Workspace file", timeout=5)
        fresh = getattr(self, "_fresh", False)
        self._fresh = False
        self._show_parts()
        if fresh and self.has_class("-reading"):  # a new lesson: its text, from the top
            self.set_focus(self.query_one(ProseView))
        elif not self.reading:  # (f2 pressed while it opened goes to the work, as asked)
            self.remove_class("-reading")
            self._focus_work()
            if self.has_class("-wide") and not fresh:
                self.call_after_refresh(self._scroll_prose_to_item)
        self.game.set_position(self.lesson, item)
        self.refresh_bindings()  # Prev, Run, Solution... depend on the item

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        busy = self.query_one(RunStatus).busy if self.is_mounted else False
        item = self.item
        kind = item.kind if item else None
        if action == "cancel":
            return busy
        zoomed = self.is_mounted and self.maximized is not None
        if action == "unzoom":
            return not busy and zoomed
        if action == "to_editor":
            return not busy and not zoomed and self._in_panel()
        if action == "back":
            return not busy and not zoomed and not self._in_panel()
        if action == "to_work":
            return self.reading
        if action == "to_lesson":
            return not self.reading
        if action == "prev_item":
            return self.index > 0
        if action == "solution":  # shown once it can be revealed (the checks then say f8)
            return isinstance(item, Exercise) and self.game.can_reveal_solution(item)
        if action == "give_up":
            if not isinstance(item, Predict):
                return False
            state = self.game.item_state(item)
            return self.game.can_reveal_solution(item) and not (
                state.passed or state.solution_revealed
            )
        if action in ("run", "panel", "switch_focus", "fold_task", "reset"):
            in_text = self.reading and action in ("switch_focus", "fold_task")
            return kind == "exercise" and not in_text
        if action == "edit_external":
            return kind in ("exercise", "predict")
        if action == "check":
            return kind in ("exercise", "predict")
        if action == "hint":  # shown while the item has hints left to reveal
            return item is not None and len(item.hints) > self.game.item_state(item).hints_revealed
        if action == "zoom":
            return item is not None or self.reading
        return True

    def _in_panel(self) -> bool:
        """Whether the focus is in the exercise but not in its editor (a panel, the task)."""
        pane, focused = self.exercise_pane(), self.focused
        if pane is None or focused is None or pane not in focused.ancestors:
            return False
        editors = pane.query("#editor")  # none while the pane is being built or removed
        return bool(editors) and focused is not editors.first()

    def watch_maximized(self) -> None:
        self.refresh_bindings()  # escape's label: Unzoom, Editor or Map

    def action_unzoom(self) -> None:
        if self.maximized is not None:
            self.minimize()

    def action_to_editor(self) -> None:
        pane = self.exercise_pane()
        if pane is not None:
            pane.editor.focus()

    def action_back(self) -> None:
        """Back to the map (escape, when there is no zoom to leave and no panel)."""
        self.drafts.flush()
        self.dismiss()

    def action_to_work(self) -> None:
        self.action_toggle_lesson()

    def action_to_lesson(self) -> None:
        self.action_toggle_lesson()

    def action_panel(self, panel: str) -> None:
        """Show a panel and go into it (the REPL's input, the graph, the loss plot)."""
        pane = self.exercise_pane()
        if pane is None:
            return
        if self.reading:
            self.action_toggle_lesson()
        pane.show_panel(panel)
        target = pane.panel_widget(panel)
        graph = pane.query_one(GraphView)
        if panel == "graph" and graph.expr and graph.drawn != graph.expr and self.last_code:
            self._ask_graph(graph.expr)  # a run since the target changed: draw it now
        if panel == "graph" and pane.query_one("#graph-body").display:
            target = pane.query_one("#graph-tree")
        elif panel == "loss":
            target = pane.query_one("#loss-side")
        self.call_after_refresh(self.focus_soon, target)

    def action_switch_focus(self) -> None:
        """f6: from the editor (or the task) to the open panel, and back."""
        pane = self.exercise_pane()
        if pane is None:
            return
        panels = pane.query_one("#panels")
        focused = self.focused
        if focused is not None and panels in focused.ancestors_with_self:
            pane.editor.focus()
        else:
            self.focus_soon(pane.panel_widget())

    def action_fold_task(self) -> None:
        pane = self.exercise_pane()
        if pane is not None:
            self.prefs.task_folded = not pane.task.folded
            pane.task.folded = self.prefs.task_folded

    def action_zoom(self) -> None:
        """Give the focused part (editor, panels, task, lesson text, item) the whole
        screen, or give it back. Focus stays where it is."""
        if self.maximized is not None:
            self.minimize()
            return
        focused, pane = self.focused, self.pane()
        if focused is None:
            return
        chain = list(focused.ancestors_with_self)
        if isinstance(pane, ExercisePane):
            for part in (pane.query_one("#panels"), pane.editor, pane.task):
                if part in chain:
                    self.maximize(part, container=False)
                    return
        prose = self.query_one(ProseView)
        target = prose if prose in chain else pane
        if target is not None:
            self.maximize(target, container=False)

    async def action_next_item(self) -> None:
        if self.index + 1 < len(self.lesson.items):
            await self._show_item(self.index + 1)
        else:
            self.drafts.flush()
            self.post_message(LessonFinished(self.lesson))

    async def action_prev_item(self) -> None:
        if self.index > 0:
            await self._show_item(self.index - 1)
