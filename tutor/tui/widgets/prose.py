"""Lesson text rendered by Rich (fast, code fences highlighted), one block per section.

Textual's Markdown widget builds a widget per paragraph, which takes seconds for a long
lesson; a Static per heading section paints in milliseconds and still lets us scroll to a
section by its heading.
"""

from __future__ import annotations

import re

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def markdown(text: str) -> RichMarkdown:
    """Markdown as Rich renders it, with Python highlighting in code fences."""
    return RichMarkdown(text, code_theme="monokai", hyperlinks=False)


def split_sections(text: str) -> list[tuple[str, str]]:
    """(heading title, markdown) per section; the text before the first heading has title ''."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            sections.append((match.group(1), [line]))
        else:
            sections[-1][1].append(line)
    return [(title, "\n".join(lines)) for title, lines in sections if "".join(lines).strip()]


class ProseView(VerticalScroll, can_focus=True):
    """A scrollable lesson text; :meth:`scroll_to_heading` shows one section at the top."""

    ALLOW_MAXIMIZE = True  # f9 zooms it

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sections = split_sections(text)

    def compose(self) -> ComposeResult:
        for n, (_title, body) in enumerate(self.sections):
            yield Static(markdown(body), id=f"section-{n}", classes="prose-section")

    def scroll_to_heading(self, title: str) -> bool:
        for n, (heading, _body) in enumerate(self.sections):
            if heading.strip() == title.strip():
                self.query_one(f"#section-{n}").scroll_visible(top=True, animate=False)
                return True
        return False


class MarkdownText(Static):
    """A short piece of markdown (an item's prompt) rendered by Rich."""

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(markdown(text), **kwargs)
