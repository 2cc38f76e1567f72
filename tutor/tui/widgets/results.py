"""A scrollable panel of rich text: verdicts, run output, hints."""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class TextPanel(VerticalScroll, can_focus=True):
    """Shows one renderable at a time, scrolled to the top."""

    def __init__(self, placeholder: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Static(self._placeholder, classes="panel-body placeholder")

    def show(self, renderable: RenderableType) -> None:
        body = self.query_one(Static)
        body.remove_class("placeholder")
        body.update(renderable)
        self.scroll_home(animate=False)
