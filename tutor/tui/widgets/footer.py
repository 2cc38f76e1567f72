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

    def compose(self):
        """Textual's keys, in the order the screen lists its bindings (then the app's), not in
        the order the focused widget happens to know them."""
        widgets = list(super().compose())
        screen = [getattr(b, "action", "") for b in getattr(self.screen, "BINDINGS", [])]
        app = [getattr(b, "action", "") for b in getattr(self.app, "BINDINGS", [])]

        def rank(widget: Widget) -> int:
            """The focused widget's own keys first, then the screen's, then the app's."""
            action = getattr(widget, "action", None)
            if action is None or widget.has_class("-command-palette"):
                return 10_000
            if action in screen:
                return 1 + screen.index(action)
            if action in app:
                return 1_000 + app.index(action)
            return 0

        yield from sorted(widgets, key=rank)

    async def recompose(self) -> None:
        await super().recompose()
        self._wrap()

    def on_resize(self) -> None:
        self._wrap()
        self._lift_toasts()

    def _lift_toasts(self) -> None:
        """Toasts sit on top of the footer, never over its keys (it may take 3 rows)."""
        from textual.widgets._toast import ToastRack  # Textual's toast container

        if not self.is_attached or self.screen is None:
            return
        for rack in self.screen.query_children(ToastRack):
            rack.styles.margin = (0, 0, max(1, self.size.height), 0)

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
