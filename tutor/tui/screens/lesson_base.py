"""The state and the small helpers every part of a lesson screen shares: which item is
shown, its pane, the spinner, the item strip. The parts: :mod:`lesson` (layout, moving
around, focus), :mod:`lesson_files` (drafts, workspace files, your own editor),
:mod:`lesson_answers` (runs, checks, answers and what they say), :mod:`lesson_runs` (the
sandbox workers)."""

from __future__ import annotations

from rich.console import RenderableType
from textual.screen import Screen
from textual.widget import Widget

from tutor.lesson.model import Item, Lesson
from tutor.tui import verdicts
from tutor.tui.drafts import Drafts
from tutor.tui.external import EditorLauncher
from tutor.tui.focus import focus_when_shown, shown
from tutor.tui.game import Game, LessonPrefs
from tutor.tui.sandbox_handle import SandboxHandle
from tutor.tui.screens.lesson_runs import SandboxRuns
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.item_bar import ItemBar
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.prose import ProseView
from tutor.tui.widgets.quiz import QuizPane
from tutor.tui.widgets.results import TextPanel
from tutor.tui.widgets.run_status import RunStatus
from tutor.tui.widgets.title_bar import TitleBar
from tutor.workspace import Workspace


class LessonBase(SandboxRuns, Screen):
    """A lesson screen's state; see the module docstring for its parts."""

    def __init__(
        self,
        game: Game,
        sandbox: SandboxHandle,
        workspace: Workspace,
        lesson: Lesson,
        item_id: str | None = None,
        *,
        number: int = 0,
        blink: bool = True,
        prefs: LessonPrefs | None = None,
        editor: EditorLauncher | None = None,
    ) -> None:
        super().__init__()
        self.game = game
        self.sandbox = sandbox
        self.workspace = workspace
        self.lesson = lesson
        self.number = number
        self.blink = blink
        self.prefs = prefs or LessonPrefs()
        self.editor_launcher = editor or EditorLauncher()
        self.drafts = Drafts(self, game, workspace, self._file_problem)
        self._item_id = item_id
        self.index = 0
        self.last_code: str | None = None  # the code of the last run or check (REPL namespace)
        self.replay: list[str] = []  # REPL lines that worked, replayed after the code
        self._recheck: str | None = None  # a file-triggered check waiting for a run to end

    @property
    def item(self) -> Item | None:
        return self.lesson.items[self.index] if self.lesson.items else None

    def pane(self) -> Widget | None:
        slot = self.query_one("#item-slot")
        return slot.children[0] if slot.children else None

    def exercise_pane(self) -> ExercisePane | None:
        pane = self.pane()
        return pane if isinstance(pane, ExercisePane) else None

    @property
    def reading(self) -> bool:
        """Whether the lesson text is shown instead of the work (narrow terminals)."""
        return self.has_class("-reading") and self.has_class("-narrow")

    def _focus_work(self) -> None:
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            self.set_focus(pane.editor)
        elif isinstance(pane, PredictPane):
            self.set_focus(pane.prediction)
        elif isinstance(pane, QuizPane):
            self.set_focus(pane.query_one("#choices"))

    def _refresh_bar(self) -> None:
        if self.item is not None:
            self.query_one(ItemBar).show(self.lesson.items, self.index, self.game.states())
        self.query_one(TitleBar).show(totals=self.game.totals())

    def _show_hints(self) -> None:
        item, pane = self.item, self.pane()
        if item is None or pane is None:
            return
        hints = self.game.revealed_hints(item)
        text = verdicts.hints_text(item, hints)
        if isinstance(pane, ExercisePane):
            pane.query_one("#hints-view", TextPanel).show(text)
        elif isinstance(pane, QuizPane | PredictPane):
            pane.show_hints(text if hints else "")

    def _file_problem(self, message: str) -> None:
        self.notify(message, title="Workspace file", severity="error", timeout=10)

    # -- the spinner -----------------------------------------------------------------------

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

    def _show_in(self, panel: str, renderable: RenderableType) -> None:
        """Show a result (a verdict, a run's output) in its panel. A zoomed editor or task
        would hide it: the zoom gives way (the focus stays where it is)."""
        pane = self.exercise_pane()
        if pane is not None:
            pane.query_one(f"#{panel}-view", TextPanel).show(renderable)
            pane.show_panel(panel)
            panels = pane.query_one("#panels")
            if self.maximized is not None and self.maximized is not panels:
                self.minimize()

    # -- the lesson text and the work ------------------------------------------------

    def action_toggle_lesson(self) -> None:
        if self.maximized is not None:
            self.minimize()
        if self.has_class("-narrow"):
            self.set_class(not self.reading, "-reading")
        else:  # both are shown: move between them
            in_prose = self.focused is not None and self.query_one(ProseView) in (
                self.focused.ancestors_with_self
            )
            self.set_class(not in_prose, "-reading")
        self._show_parts()
        if self.has_class("-reading"):
            self.set_focus(self.query_one(ProseView))
            self.call_after_refresh(self._scroll_prose_to_item)
        else:
            self._focus_work()
        self.refresh_bindings()

    def focus_soon(self, widget: Widget) -> None:
        """Focus ``widget`` once it is shown, else the work: never nowhere."""
        focus_when_shown(widget, self._focus_work)

    def _keep_focus_visible(self) -> None:
        """After the parts shown changed (or a dialog closed): a hidden widget must not keep
        the focus, and something must have it."""
        focused = self.focused
        if focused is None or not shown(focused) or not focused.focusable:
            if self.reading:
                self.set_focus(self.query_one(ProseView))
            else:
                self._focus_work()

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._keep_focus_visible)

    def _show_parts(self) -> None:
        """A narrow terminal shows the lesson text or the work, not both. Set here, not in
        CSS, so that the focus can move to the part shown at once (before a repaint)."""
        narrow, reading = self.has_class("-narrow"), self.has_class("-reading")
        self.query_one(ProseView).display = not narrow or reading
        self.query_one("#work").display = bool(self.lesson.items) and (not narrow or not reading)
        self.call_after_refresh(self._keep_focus_visible)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_parts)  # after the width classes follow the size

    def _scroll_prose_to_item(self) -> None:
        """Show the current item's section of the lesson text."""
        item = self.item
        if item is not None and item.title:
            self.query_one(ProseView).scroll_to_heading(item.title)
