"""The console under the editor: type an expression, see it evaluated in the last run."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, RichLog

from tutor.tui.format import repl_entry

HELLO = (
    "A Python console in the namespace of your last run (ctrl+r) or check (ctrl+s).\n"
    "Try: w.grad   a.is_leaf   y.grad_fn.next_functions   (up/down: history)"
)


class ReplInput(Input):
    """An input line with shell-like history on up and down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Older", show=False),
        Binding("down", "history(1)", "Newer", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._pos = 0

    def remember(self, line: str) -> None:
        if line and (not self.history or self.history[-1] != line):
            self.history.append(line)
        self._pos = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._pos = max(0, min(len(self.history), self._pos + step))
        self.value = self.history[self._pos] if self._pos < len(self.history) else ""
        self.cursor_position = len(self.value)


class Repl(Vertical):
    """Log of exchanges above an input line; posts :class:`Repl.Line` for the screen to run."""

    class Line(Message):
        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    def compose(self) -> ComposeResult:
        # set up here, not in on_mount: a query there fails if the app quits mid-mount
        log = RichLog(id="repl-log", wrap=True, markup=False, highlight=False)
        log.write(Text(HELLO, style="dim"))  # RichLog keeps writes until it has a size
        yield log
        yield ReplInput(placeholder=">>> type an expression, enter runs it", id="repl-input")

    @on(Input.Submitted, "#repl-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        box = self.query_one(ReplInput)
        box.remember(line)
        box.value = ""
        if line:
            self.post_message(self.Line(line))

    def show_entry(self, entry: dict) -> None:
        self.query_one(RichLog).write(repl_entry(entry))

    def note(self, text: str, style: str = "dim") -> None:
        self.query_one(RichLog).write(Text(text, style=style))
