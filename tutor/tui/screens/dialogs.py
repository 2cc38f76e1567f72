"""Small modal screens: confirm, show a solution, show a lesson's error, achievements."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.lesson.errors import LessonError
from tutor.tui.format import python


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; ``y``/``n`` answer it too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        for button in self.query("#no"):
            button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class SolutionScreen(ModalScreen[bool]):
    """The reference solution; dismissed with True to copy it into the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "use", "Put it in the editor"),
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Reference solution", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(python(self.code, line_numbers=True))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Put it in the editor (u)", id="use", variant="warning")
                yield Button("Close (esc)", id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "use")

    def action_use(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


class LessonErrorScreen(ModalScreen[None]):
    """Why a lesson file did not load, with its path and line."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, error: LessonError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("This lesson file has an error and cannot be played.\n\n", style="bold")
        text.append(f"{self.error.path}", style="bold")
        if self.error.line:
            text.append(f", line {self.error.line}")
        text.append(f"\n\n{self.error.message}\n\n", style="red")
        text.append("Fix the file and restart tutor; `tutor lint` checks it.", style="dim")
        with Vertical(classes="dialog wide"):
            with VerticalScroll(classes="dialog-body"):
                yield Static(text)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (esc)", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class AchievementsScreen(ModalScreen[None]):
    """Every achievement, unlocked or not."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q,a", "close", "Close")]

    def __init__(self, rows: list[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text()
        for name, description, got in self.rows:
            text.append("★ " if got else "☆ ", style="yellow" if got else "dim")
            text.append(name, style="bold" if got else "dim")
            text.append(f"  {description}\n", style="" if got else "dim")
        with Vertical(classes="dialog wide"):
            yield Static("Achievements", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(text)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (esc)", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
