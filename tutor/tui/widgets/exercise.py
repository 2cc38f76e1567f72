"""An exercise: prompt, read-only setup, the code editor, and the panels under it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Collapsible, Static, TabbedContent, TabPane, TextArea

from tutor.lesson.model import Exercise
from tutor.tui.format import python
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.loss import LossView
from tutor.tui.widgets.prose import MarkdownText
from tutor.tui.widgets.repl import Repl
from tutor.tui.widgets.results import TextPanel

PANELS = ("checks", "output", "repl", "graph", "loss", "hints")


class ExercisePane(Vertical):
    """The working side of a lesson for one :class:`Exercise`."""

    def __init__(self, ex: Exercise, code: str, blink: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ex = ex
        self._code = code
        self._blink = blink

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="prompt", classes="prompt"):
            yield MarkdownText(self.ex.prompt or self.ex.title)
        if self.ex.setup.strip():
            lines = len(self.ex.setup.strip().splitlines())
            with Collapsible(
                title=f"Setup: runs before your code, read-only ({lines} lines)",
                id="setup",
            ):
                yield Static(python(self.ex.setup, line_numbers=True), id="setup-code")
        editor = TextArea.code_editor(self._code, language="python", id="editor")
        editor.cursor_blink = self._blink
        yield editor
        with TabbedContent(id="panels"):
            with TabPane("Checks ^s", id="checks"):
                yield TextPanel("ctrl+s checks your code against the exercise.", id="checks-view")
            with TabPane("Output ^r", id="output"):
                yield TextPanel("ctrl+r runs your code and shows what it prints.", id="output-view")
            with TabPane("REPL f3", id="repl"):
                yield Repl(id="repl-view")
            with TabPane("Graph f4", id="graph"):
                yield GraphView(id="graph-view")
            with TabPane("Loss f5", id="loss"):
                yield LossView(id="loss-view")
            with TabPane("Hints f1", id="hints"):
                yield TextPanel("f1 reveals a hint.", id="hints-view")

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    def show_panel(self, panel: str) -> None:
        self.query_one(TabbedContent).active = panel

    @property
    def panel(self) -> str:
        return self.query_one(TabbedContent).active
