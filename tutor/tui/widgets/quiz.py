"""A quiz: the question, numbered choices picked with keys, the verdict and explanation."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.lesson.model import Quiz
from tutor.tui.widgets.prose import MarkdownText


class QuizPane(VerticalScroll):
    """Posts :class:`QuizPane.Picked` when a choice is picked (its number key, or enter)."""

    ALLOW_MAXIMIZE = True  # f9 zooms it

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)
    ]

    class Picked(Message):
        def __init__(self, choice: int) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, quiz: Quiz, draft: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.quiz = quiz
        self._draft = draft

    def compose(self) -> ComposeResult:
        yield Static(self.quiz.question, classes="question")
        yield OptionList(
            *[Option(f"{n}. {c}", id=str(n)) for n, c in enumerate(self.quiz.choices, 1)],
            id="choices",
        )
        yield Static(
            f"Press 1-{len(self.quiz.choices)} (or enter on a choice) to answer.",
            classes="dim-note",
        )
        yield Static("", id="quiz-result", classes="result")
        yield Static("", id="hints-text", classes="hints")
        if self.quiz.prompt.strip():
            yield Static("From the lesson:", classes="dim-note context-title")
            yield MarkdownText(self.quiz.prompt, classes="prompt")

    def on_mount(self) -> None:
        found = self.query(OptionList)
        if not found:  # the app is quitting while this pane mounts
            return
        choices = found.first()
        if self._draft and self._draft.strip().isdigit():
            choices.highlighted = max(0, min(len(self.quiz.choices), int(self._draft)) - 1)
        else:
            choices.highlighted = 0

    def action_pick(self, choice: int) -> None:
        if 1 <= choice <= len(self.quiz.choices):
            self.query_one(OptionList).highlighted = choice - 1
            self.post_message(self.Picked(choice))

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index + 1))

    def show_result(self, verdict: RenderableType) -> None:
        self.verdict = verdict
        self.query_one("#quiz-result", Static).update(verdict)
        self.query_one("#quiz-result").scroll_visible(animate=False)

    def show_hints(self, hints: RenderableType | str) -> None:
        self.query_one("#hints-text", Static).update(hints)
