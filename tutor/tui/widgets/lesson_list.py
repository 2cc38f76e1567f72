"""The course map's list: each lesson with its state and points, broken files included.

Rows fit the terminal: a title too long for its column wraps onto a second line (never cut),
and in a narrow terminal the state is said by the mark alone (the legend is on the list's
border).
"""

from __future__ import annotations

import textwrap
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
LEGEND = "  ".join(f"{mark} {word}" for mark, _, word in MARKS.values())
MARK_W, NUM_W, WORD_W = 4, 4, 13  # " ✔  ", "12. ", "  in progress"


def stats(row: LessonRow) -> str:
    return f"{row.passed}/{len(row.lesson.items)} items  {row.earned}/{row.available} pts"


def layout(rows: list[LessonRow], width: int) -> tuple[int, bool]:
    """(title column width, whether the state word fits) for rows ``width`` cells wide."""
    longest = max((len(r.lesson.title) for r in rows), default=10)
    stat_w = max((len(stats(r)) for r in rows), default=20) + 2
    fixed = MARK_W + NUM_W + stat_w
    if fixed + WORD_W + longest <= width:
        return longest, True
    return max(12, min(longest, width - fixed)), False


def row_text(row: LessonRow, title_width: int = 40, word: bool = True, stat_width: int = 0) -> Text:
    """`` ✔  1. Title  done  5/5 items  40/40 pts``; a long title wraps under itself."""
    mark, style, state = MARKS[row.state]
    lines = textwrap.wrap(row.lesson.title, title_width) or [""]
    out = Text()
    out.append(f" {mark}  ", style=style)
    out.append(f"{row.number:>2}. ")
    title_style = "dim" if row.state == "locked" else "bold"
    out.append(lines[0].ljust(title_width), style=title_style)
    if word:
        out.append(f"  {state:<11}", style=style)
    out.append(f"  {stats(row):>{stat_width}}", style="dim")
    for more in lines[1:]:
        out.append("\n" + " " * (MARK_W + NUM_W))
        out.append(more, style=title_style)
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

    def show(
        self,
        rows: list[LessonRow],
        errors: list[LessonError],
        width: int = 80,
        current: str | None = None,
    ) -> None:
        """Fill the list; highlight lesson ``current`` (else keep the highlighted row)."""
        highlighted = self.highlighted
        self.clear_options()
        title_width, word = layout(rows, width - 8)  # margins, border, padding, scrollbar
        stat_width = max((len(stats(r)) for r in rows), default=0)
        options = [
            Option(row_text(r, title_width, word, stat_width), id=f"lesson:{r.lesson.id}")
            for r in rows
        ]
        options += [Option(error_text(e), id=f"error:{n}") for n, e in enumerate(errors)]
        self.add_options(options)
        self.border_title = "Lessons"
        self.border_subtitle = "" if word else LEGEND
        if not options:
            return
        ids = [o.id for o in options]
        if current is not None and f"lesson:{current}" in ids:
            self.highlighted = ids.index(f"lesson:{current}")
        else:
            self.highlighted = min(highlighted or 0, len(options) - 1)
