"""A scrollable panel of rich text: verdicts, run output, hints."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class TextPanel(VerticalScroll, can_focus=True):
    """Shows one renderable at a time, scrolled to the top."""

    def __init__(self, placeholder: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._placeholder = placeholder
        self.shown: RenderableType = placeholder

    def plain(self, width: int = 200) -> str:
        """What the panel shows, as plain text."""
        console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
        console.print(self.shown)
        return console.export_text()

    def compose(self) -> ComposeResult:
        yield Static(self._placeholder, classes="panel-body placeholder")

    def show(self, renderable: RenderableType) -> None:
        body = self.query_one(Static)
        body.remove_class("placeholder")
        body.update(renderable)
        self.shown = renderable
        self.scroll_home(animate=False)
