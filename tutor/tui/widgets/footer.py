"""The footer: every key of the screen, compact, on a second line when one is not enough."""

from __future__ import annotations

from math import ceil

from textual.widget import Widget
from textual.widgets import Footer

MAX_ROWS = 3  # past that, a too narrow terminal cuts the last keys rather than the screen


def columns_for(widths: list[int], room: int, gutter: int = 1) -> int:
    """Columns for a row-major grid of cells ``widths`` wide to fit ``room``: all on one row
    if they fit, else as few rows as fit (a column is as wide as its widest cell)."""
    n = len(widths)
    for rows in range(1, min(n, MAX_ROWS) + 1):
        cols = ceil(n / rows)
        if sum(max(widths[c::cols]) for c in range(cols)) + gutter * (cols - 1) <= room:
            return cols
    return ceil(n / MAX_ROWS)


class KeysFooter(Footer):
    """Textual's footer in its compact style, laid out as a grid that wraps onto more rows
    when the terminal is too narrow for every key on one (the palette key stays docked on
    the right of the first row). So at 80 columns every action of a lesson is shown."""

    DEFAULT_CSS = """
    KeysFooter {
        layout: grid;
        grid-columns: auto;
        grid-rows: 1;
        grid-gutter: 0 1;
        height: auto;
        &.-compact FooterKey {
            margin: 0;  /* the grid's gutter spaces the keys */
        }
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    async def recompose(self) -> None:
        await super().recompose()
        self._wrap()

    def on_resize(self) -> None:
        self._wrap()

    def _wrap(self) -> None:
        if not self.is_attached:  # recomposed as its screen went away
            return
        keys: list[Widget] = []
        room = self.size.width
        for key in self.query_children("FooterKey"):  # Textual's key widget (not exported)
            if key.has_class("-command-palette"):  # docked on the right, outside the grid
                room -= _width(key)
            else:
                keys.append(key)
        if keys and room > 0:
            self.styles.grid_size_columns = columns_for([_width(k) for k in keys], room)


def _width(key: Widget) -> int:
    """Cells a key takes: its label, padding and border."""
    return key.render().cell_len + key.styles.gutter.width
