"""The footer: every key of the screen, compact, flowing onto a second line when one is not
enough (each line packed with as many keys as fit, so 16 keys take two lines at 80 columns)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Footer

MAX_ROWS = 3  # past that, a too narrow terminal cuts the last keys rather than the screen
GUTTER = 1  # cells between two keys
PALETTE_ROOM = 12  # the palette key, docked on the right of the first line ("▏^p palette")


def flow(widths: list[int], room: int, gutter: int = GUTTER) -> list[list[int]]:
    """The keys (their indexes) of each line when keys ``widths`` wide flow into lines of
    ``room`` cells: as many as fit on each line, in order; at most ``MAX_ROWS`` lines (the
    last one takes the rest)."""
    lines: list[list[int]] = [[]]
    used = 0
    for n, width in enumerate(widths):
        need = width if not lines[-1] else used + gutter + width
        if lines[-1] and need > room and len(lines) < MAX_ROWS:
            lines.append([n])
            used = width
        else:
            lines[-1].append(n)
            used = need
    return lines


def key_width(key: Widget) -> int:
    """Cells a compact footer key takes: ``^r Run``."""
    display = getattr(key, "key_display", "")
    description = getattr(key, "description", "")
    return cell_len(display) + (1 + cell_len(description) if description else 0)


class KeysFooter(Footer):
    """Textual's footer in its compact style, its keys in the order the screen lists its
    bindings, flowing onto more lines when the terminal is too narrow for all of them on
    one (the palette key stays docked on the right). So at 80 columns every action of a
    lesson is shown, on two lines."""

    DEFAULT_CSS = """
    KeysFooter {
        layout: vertical;
        height: auto;
        .keys-line {
            height: 1;
            width: 1fr;
        }
        .keys-line FooterKey {
            margin-right: 1;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._laid_out_for = 0  # the width the keys were flowed for

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        screen = [getattr(b, "action", "") for b in getattr(self.screen, "BINDINGS", [])]
        app = [getattr(b, "action", "") for b in getattr(self.app, "BINDINGS", [])]

        def rank(widget: Widget) -> int:
            """The focused widget's own keys first, then the screen's, then the app's."""
            action = getattr(widget, "action", None)
            if action is None:
                return 10_000
            if action in screen:
                return 1 + screen.index(action)
            if action in app:
                return 1_000 + app.index(action)
            return 0

        palette = [w for w in widgets if w.has_class("-command-palette")]
        keys = sorted((w for w in widgets if w not in palette), key=rank)
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        widths = [key_width(k) for k in keys]
        lines = flow(widths, width - (PALETTE_ROOM if palette else 0))
        if palette and len(lines) > 2 and len(flow(widths, width)) < len(lines):
            palette = []  # a line for the keys of the screen: ctrl+p is in the help
            lines = flow(widths, width)
        yield from palette
        for line in lines:
            yield Horizontal(*(keys[n] for n in line), classes="keys-line")

    def on_resize(self) -> None:
        if self.size.width and self.size.width != self._laid_out_for:
            self.refresh(recompose=True)
        self._lift_toasts()

    def _lift_toasts(self) -> None:
        """Toasts sit on top of the footer, never over its keys (it may take 3 rows)."""
        from textual.widgets._toast import ToastRack  # Textual's toast container

        if not self.is_attached or self.screen is None:
            return
        for rack in self.screen.query_children(ToastRack):
            rack.styles.margin = (0, 0, max(1, self.size.height), 0)
