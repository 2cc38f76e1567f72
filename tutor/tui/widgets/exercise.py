"""An exercise: the task (folds to one line), the code editor on the workspace file, and the
panels under it (checks, output, REPL, graph, loss, hints)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static, TabbedContent, TabPane

from tutor.lesson.model import Exercise
from tutor.tui.focus import focus_when_shown
from tutor.tui.format import item_title, python
from tutor.tui.widgets.code_editor import CodeEditor
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.loss import LossView
from tutor.tui.widgets.prose import MarkdownText
from tutor.tui.widgets.repl import Repl
from tutor.tui.widgets.results import TextPanel

PANELS = ("checks", "output", "repl", "graph", "loss", "hints")


class TaskBox(VerticalScroll, can_focus=True):
    """The exercise's task and its read-only setup; ``folded`` shows only a one-line summary
    (more room for the editor on a small screen)."""

    ALLOW_MAXIMIZE = True  # f9 zooms it

    folded: reactive[bool] = reactive(False)

    def __init__(self, ex: Exercise, folded: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ex = ex
        self.set_reactive(TaskBox.folded, folded)

    def compose(self) -> ComposeResult:
        yield Static(self._summary(), id="task-line")
        yield MarkdownText(self.ex.prompt or self.ex.title, id="task-text")
        if self.ex.setup.strip():
            lines = len(self.ex.setup.strip().splitlines())
            yield Static(
                f"Setup: runs before your code ({lines} lines, read-only):",
                id="setup-title",
                classes="dim-note",
            )
            yield Static(python(self.ex.setup, line_numbers=True), id="setup-code")

    def on_mount(self) -> None:
        self._watch_folded(self.folded)

    def _summary(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append("▸ " if self.folded else "▾ ", style="bold")
        out.append("Task: ", style="bold")
        out.append(item_title(self.ex.title) if self.ex.title else self.ex.id)
        if self.folded and self.ex.setup.strip():
            out.append("  + setup", style="dim")
        out.append("   f7 " + ("shows it" if self.folded else "folds it"), style="dim")
        return out

    def _watch_folded(self, folded: bool) -> None:
        self.set_class(folded, "-folded")
        for child in self.query("#task-text, #setup-title, #setup-code"):
            child.display = not folded
        found = self.query("#task-line")
        if found:
            found.first(Static).update(self._summary())
        self.scroll_home(animate=False)


class ExercisePane(Vertical):
    """The working side of a lesson for one :class:`Exercise`."""

    def __init__(
        self,
        ex: Exercise,
        code: str,
        blink: bool = True,
        *,
        file_label: str = "",
        task_folded: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.ex = ex
        self._code = code
        self._blink = blink
        self.file_label = file_label
        self._task_folded = task_folded

    def compose(self) -> ComposeResult:
        yield TaskBox(self.ex, self._task_folded, id="task")
        editor = CodeEditor(self._code, blink=self._blink, id="editor")
        editor.border_title = self.file_label or "your code"
        editor.border_subtitle = "ctrl+e: your own editor"
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
    def editor(self) -> CodeEditor:
        return self.query_one("#editor", CodeEditor)

    @property
    def task(self) -> TaskBox:
        return self.query_one(TaskBox)

    def show_panel(self, panel: str) -> None:
        """Switch to a panel; if the focus was in the panels, it follows to this one (it is
        not lost with the panel that is hidden)."""
        tabs = self.query_one(TabbedContent)
        focused = self.screen.focused
        follow = focused is not None and tabs in focused.ancestors and tabs.active != panel
        tabs.active = panel
        if follow:
            focus_when_shown(self.panel_widget(panel), self.editor.focus)

    @property
    def panel(self) -> str:
        return self.query_one(TabbedContent).active

    def panel_widget(self, panel: str | None = None):
        """The widget inside a panel that takes the keyboard (the active one by default)."""
        name = panel or self.panel
        targets = {"repl": "#repl-input", "graph": "#graph-expr", "loss": "#loss-side"}
        target = targets.get(name, f"#{name}-view")
        return self.query_one(target)
