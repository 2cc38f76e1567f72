"""The top line: where the learner is on the left, their standing on the right, both fitted
to the terminal (the standing shortens before the title is cut)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.progress import Totals


def standing(totals: Totals, width: int) -> str:
    """``Level 2 · Gradient tracker · 120 XP · streak 3`` or shorter, to fit ``width``."""
    level = totals.level
    for text in (
        f"Level {level.number} · {level.name} · {totals.xp} XP · streak {totals.streak}",
        f"Lv {level.number} · {totals.xp} XP · streak {totals.streak}",
        f"Lv {level.number} · {totals.xp} XP",
    ):
        if len(text) <= width:
            return text
    return f"{totals.xp} XP"


class TitleBar(Static):
    """``∂ 3. The graph is built as the code runs ······· Lv 1 · 20 XP · streak 1``"""

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, title: str = "tutor", totals: Totals | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self.totals = totals

    def show(self, title: str | None = None, totals: Totals | None = None) -> None:
        if title is not None:
            self.title_text = title
        if totals is not None:
            self.totals = totals
        self.update(self.line(self.size.width - 2 if self.size.width else 78))

    def on_resize(self) -> None:
        self.update(self.line(self.size.width - 2))

    def on_mount(self) -> None:
        self.update(self.line(self.size.width - 2 if self.size.width else 78))

    def line(self, width: int) -> Text:
        left = Text("∂ ", style="bold")
        left.append(self.title_text, style="bold")
        right = ""
        if self.totals is not None:
            right = standing(self.totals, max(12, width - left.cell_len - 3))
        room = width - len(right) - (3 if right else 0)
        if left.cell_len > room:
            left.truncate(max(1, room), overflow="ellipsis")
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append_text(left)
        if right:
            out.append(" " * max(1, width - left.cell_len - len(right)))
            out.append(right, style="dim")
        return out
