"""The "course complete" screen: what the learner earned, all of it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.progress import ACHIEVEMENTS, Totals
from tutor.tui.format import level_line

BANNER = "★ ★ ★   COURSE COMPLETE   ★ ★ ★"


class CompleteScreen(ModalScreen[None]):
    """Shown when the last item of the course passes (and from the map afterwards)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, totals: Totals, points: int, max_points: int) -> None:
        super().__init__()
        self.totals, self.points, self.max_points = totals, points, max_points

    def compose(self) -> ComposeResult:
        t = self.totals
        text = Text(justify="center")
        text.append(BANNER + "\n\n", style="bold yellow")
        text.append("You passed every item of the course.\n\n", style="bold")
        text.append(f"{t.xp} XP  ·  {level_line(t.level)}\n")
        text.append(f"{self.points}/{self.max_points} points earned  ·  ")
        text.append(f"{t.achievements}/{len(ACHIEVEMENTS)} achievements  ·  ")
        text.append(f"best streak {t.best_streak} days\n\n")
        text.append("You can now read any autograd graph. Go build something.", style="italic")
        with Vertical(classes="dialog wide", id="complete"):
            yield Static(text)
            with Center():
                yield Button("Back to the map (enter)", id="close", variant="success")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
