"""The course map's list: each lesson with its state and points, broken files included."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.lesson.errors import LessonError
from tutor.tui.game import LessonRow

MARKS = {
    "done": ("✔", "green", "done"),
    "in-progress": ("◐", "yellow", "in progress"),
    "open": ("○", "cyan", "open"),
    "locked": ("■", "dim", "locked"),
}


def row_text(row: LessonRow, title_width: int = 40) -> Text:
    """`` ✔  1. Title ........  done         5/5  40/40 pts`` on one line."""
    mark, style, word = MARKS[row.state]
    title = row.lesson.title
    if len(title) > title_width:
        title = title[: title_width - 1] + "…"
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f" {mark} ", style=style)
    out.append(f"{row.number:>2}. ")
    out.append(title.ljust(title_width), style="dim" if row.state == "locked" else "bold")
    out.append(f"  {word:<11}", style=style)
    total = len(row.lesson.items)
    out.append(f" {row.passed}/{total} items  {row.earned:>3}/{row.available} pts", style="dim")
    return out


def error_text(error: LessonError) -> Text:
    out = Text()
    out.append(" ⚠  ", style="bold red")
    out.append(error.path.name or str(error.path), style="bold red")
    where = f" line {error.line}" if error.line else ""
    out.append(f"{where}: {error.message}", style="red")
    return out


class LessonList(OptionList):
    """Lessons in course order; option ids are ``lesson:<id>`` or ``error:<n>``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", tooltip="Open the highlighted lesson")
    ]

    def show(self, rows: list[LessonRow], errors: list[LessonError], width: int = 80) -> None:
        highlighted = self.highlighted
        self.clear_options()
        longest = max((len(r.lesson.title) for r in rows), default=10)
        title_width = max(12, min(longest, width - 54))
        options = [Option(row_text(r, title_width), id=f"lesson:{r.lesson.id}") for r in rows]
        options += [Option(error_text(e), id=f"error:{n}") for n, e in enumerate(errors)]
        self.add_options(options)
        if options:
            self.highlighted = min(highlighted or 0, len(options) - 1)
