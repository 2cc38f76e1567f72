"""The built-in code editor: Textual's TextArea with the indentation a Python learner expects.

* ``enter`` keeps the line's indentation, adds a level after a line ending in ``:``, and drops
  one after ``return``, ``pass``, ``break``, ``continue`` or ``raise``;
* ``tab`` indents (every selected line, when several are selected), ``shift+tab`` dedents;
* ``backspace`` in the indentation goes back to the previous indent stop;
* ``escape`` is not the editor's: the screen's binding gets it (one press goes to the map).

Every change goes through the editor's history, so ``ctrl+z`` undoes it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

DEDENT_AFTER = ("return", "pass", "break", "continue", "raise")


def code_part(line: str) -> str:
    """``line`` without its comment (a ``#`` outside string quotes), right-stripped."""
    quote = ""
    escaped = False
    for n, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\" and quote:
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return line[:n].rstrip()
    return line.rstrip()


def next_indent(before_cursor: str, unit: int = 4) -> str:
    """The indentation of the line after a line that reads ``before_cursor``."""
    stripped = before_cursor.lstrip(" \t")
    indent = before_cursor[: len(before_cursor) - len(stripped)]
    code = code_part(stripped)
    width = len(indent.expandtabs(unit))
    if code.endswith(":"):
        width += unit
    elif code.split(maxsplit=1)[:1] and code.split(maxsplit=1)[0] in DEDENT_AFTER:
        width = max(0, width - unit)
    return " " * width


class CodeEditor(TextArea):
    """A Python code editor that indents for you (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+tab", "dedent", "Dedent", show=False),
    ]

    def __init__(self, text: str = "", *, blink: bool = True, **kwargs) -> None:
        kwargs.setdefault("language", "python")
        kwargs.setdefault("theme", "monokai")
        kwargs.setdefault("soft_wrap", False)
        kwargs.setdefault("tab_behavior", "indent")
        kwargs.setdefault("show_line_numbers", True)
        super().__init__(text, **kwargs)
        self.cursor_blink = blink

    # -- keys ----------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            await super()._on_key(event)
            return
        if event.key == "escape":
            event.prevent_default()  # not TextArea's "focus the next widget": the event goes
            return  # on up, to the screen's escape binding (one press back to the map)
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.newline()
            return
        if event.key == "tab" and self._selected_rows() is not None:
            event.stop()
            event.prevent_default()
            self.action_indent()
            return
        await super()._on_key(event)

    def newline(self) -> None:
        """Break the line at the cursor, indented for what comes next."""
        start, end = self.selection
        row, col = min(start, end)
        before = self.document[row][:col]
        self._replace_via_keyboard("\n" + next_indent(before, self.indent_width), start, end)

    def action_delete_left(self) -> None:
        """Backspace: in the indentation, back to the previous indent stop."""
        start, end = self.selection
        row, col = end
        before = self.document[row][:col]
        if start == end and col > 0 and not before.strip(" "):
            unit = self.indent_width
            step = col % unit or unit
            self._delete_via_keyboard((row, col - step), (row, col))
            return
        super().action_delete_left()

    def _selected_rows(self) -> tuple[int, int] | None:
        """The first and last rows of a selection over several lines, else None."""
        start, end = self.selection
        if start[0] == end[0]:
            return None
        first, last = sorted((start, end))
        if last[1] == 0 and last[0] > first[0]:  # a selection ending at a line start
            return first[0], last[0] - 1
        return first[0], last[0]

    def action_indent(self) -> None:
        """Indent the selected lines one level (tab with several lines selected)."""
        rows = self._selected_rows()
        if rows is None:
            row, col = self.cursor_location
            self._replace_via_keyboard(" " * self.indent_width, (row, col), (row, col))
            return
        self._reindent(rows, lambda line: " " * self.indent_width + line if line else line)

    def action_dedent(self) -> None:
        """Dedent the cursor's line, or every selected line, one level (shift+tab)."""
        rows = self._selected_rows()
        if rows is None:
            row = self.cursor_location[0]
            rows = (row, row)
        self._reindent(rows, self._dedented)

    def _dedented(self, line: str) -> str:
        if line.startswith("\t"):
            return line[1:]
        spaces = len(line) - len(line.lstrip(" "))
        return line[min(spaces, self.indent_width) :]

    def _reindent(self, rows: tuple[int, int], change) -> None:
        if self.read_only:
            return
        first, last = rows
        old = [self.document[r] for r in range(first, last + 1)]
        new = [change(line) for line in old]
        if new == old:
            return
        (srow, scol), (erow, ecol) = self.selection
        shift = {r: len(n) - len(o) for r, (o, n) in enumerate(zip(old, new, strict=True), first)}
        end = (last, len(old[-1]))
        self.replace("\n".join(new), (first, 0), end, maintain_selection_offset=False)

        def moved(row: int, col: int) -> tuple[int, int]:
            if col == 0:
                return row, 0
            return row, max(0, col + shift.get(row, 0))

        self.selection = Selection(moved(srow, scol), moved(erow, ecol))

    # -- whole-text changes that keep the history (undo restores what was there) ----------

    def set_code(self, text: str) -> None:
        """Replace the whole text as one undoable edit (a reset, a file saved elsewhere)."""
        if text == self.text:
            return
        cursor = self.cursor_location
        self.replace(text, (0, 0), self.document.end, maintain_selection_offset=False)
        row = min(cursor[0], self.document.line_count - 1)
        self.cursor_location = (row, min(cursor[1], len(self.document[row])))
