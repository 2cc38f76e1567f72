"""The console under the editor: type an expression, see it evaluated in the last run.

It suggests (and completes, with → at the end of the line) the names the last run really
left, never example names the code does not have.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, RichLog

from tutor.tui.format import repl_entry
from tutor.tui.widgets.blink import app_blinks

HELLO = (
    "A Python console in the namespace of your last run (ctrl+r) or check (ctrl+s): "
    "type an expression, enter runs it; up/down: history; → completes a name."
)
TENSOR_ATTRS = ("grad", "grad_fn", "is_leaf", "requires_grad", "shape")
KIND_WORDS = {
    "grad_fn": "tensor made by an operation",
    "leaf": "leaf tensor that requires grad",
    "tensor": "tensor",
    "nn": "module",
}


def suggestions(names: dict[str, str]) -> list[str]:
    """Completions for a run's names: each name, and the autograd attributes of tensors."""
    out: list[str] = []
    for name, kind in names.items():
        if kind == "module":
            continue
        out.append(name)
        if kind in ("grad_fn", "leaf", "tensor"):
            out.extend(f"{name}.{attr}" for attr in TENSOR_ATTRS)
        if kind == "grad_fn":
            out.append(f"{name}.grad_fn.next_functions")
    return out


def names_note(names: dict[str, str]) -> Text:
    """``Your run has: x (leaf tensor ...), y (...). Try: x.grad  y.grad_fn``."""
    shown = [(n, k) for n, k in names.items() if k != "module"]
    out = Text(style="dim")
    if not shown:
        out.append("Your run left no names to look at.")
        return out
    out.append("Your run has: ")
    out.append(
        ", ".join(f"{n} ({KIND_WORDS.get(k, k)})" for n, k in shown[:8])
        + (f", and {len(shown) - 8} more" if len(shown) > 8 else "")
    )
    tries = [f"{n}.grad" for n, k in shown if k == "leaf"][:2]
    tries += [f"{n}.grad_fn" for n, k in shown if k == "grad_fn"][:2]
    if tries:
        out.append(". Try: " + "   ".join(tries))
    return out


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

    def on_mount(self) -> None:
        self.cursor_blink = app_blinks(self.app)

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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.names: dict[str, str] = {}
        self._typed: list[str] = []  # names the learner bound in the console itself

    def compose(self) -> ComposeResult:
        # set up here, not in on_mount: a query there fails if the app quits mid-mount
        log = RichLog(id="repl-log", wrap=True, markup=False, highlight=False, min_width=20)
        log.can_focus = True
        log.write(Text(HELLO, style="dim"))  # RichLog keeps writes until it has a size
        yield log
        yield ReplInput(placeholder=">>> an expression; enter runs it", id="repl-input")

    @on(Input.Submitted, "#repl-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        box = self.query_one(ReplInput)
        box.remember(line)
        box.value = ""
        if line:
            self.post_message(self.Line(line))

    def show_names(self, names: dict[str, str]) -> None:
        """A new run: say which names it has and suggest them as the learner types."""
        self.names = dict(names)
        self._typed = []
        self._suggest()
        self.note("── new run: the console now sees this code's variables ──")
        self.query_one(RichLog).write(names_note(names))

    def learned(self, line: str) -> None:
        """A console line worked: a name it bound is suggested too."""
        head = line.split("=", 1)[0].strip() if "=" in line and "==" not in line else ""
        if head.isidentifier() and head not in self._typed:
            self._typed.append(head)
            self._suggest()

    def _suggest(self) -> None:
        words = suggestions(self.names) + self._typed
        self.query_one(ReplInput).suggester = SuggestFromList(words, case_sensitive=True)

    def show_entry(self, entry: dict) -> None:
        self.query_one(RichLog).write(repl_entry(entry))

    def note(self, text: str, style: str = "dim") -> None:
        self.query_one(RichLog).write(Text(text, style=style))
