"""A prediction: the shown code, a box for what it will print, then the verdict."""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TextArea

from tutor.lesson.model import Predict
from tutor.tui.format import python
from tutor.tui.widgets.prose import MarkdownText


class PredictPane(VerticalScroll):
    """Type the predicted output in ``#prediction``; the screen checks it on ctrl+s."""

    ALLOW_MAXIMIZE = True  # f9 zooms it

    def __init__(self, pred: Predict, draft: str | None = None, blink: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.pred = pred
        self._draft = draft or ""
        self._blink = blink

    def compose(self) -> ComposeResult:
        if self.pred.prompt.strip():
            yield MarkdownText(self.pred.prompt, classes="prompt")
        yield Static("What does this code print?", classes="question")
        yield Static(python(self.pred.show, line_numbers=True), id="show-code")
        yield Static("Your prediction (ctrl+s checks it):", classes="dim-note")
        box = TextArea(self._draft, id="prediction", soft_wrap=True, show_line_numbers=False)
        box.cursor_blink = self._blink
        yield box
        yield Static("", id="predict-result", classes="result")
        yield Static("", id="hints-text", classes="hints")

    @property
    def prediction(self) -> TextArea:
        return self.query_one("#prediction", TextArea)

    def show_result(self, verdict: RenderableType) -> None:
        self.verdict = verdict
        self.query_one("#predict-result", Static).update(verdict)
        self.scroll_end(animate=False)

    def show_hints(self, hints: RenderableType | str) -> None:
        self.query_one("#hints-text", Static).update(hints)
