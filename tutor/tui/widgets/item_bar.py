"""The strip above the work area: every item's mark (the current one bracketed), which item
this is, its points, hint cost and tries, and what the marks mean when there is room."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.lesson.model import Item
from tutor.progress import ItemState, hint_cost

KIND_NAMES = {"exercise": "Exercise", "quiz": "Quiz", "predict": "Predict"}
MARKS = {"passed": ("✔", "green"), "tried": ("◐", "yellow"), "new": ("○", "dim")}
LEGEND = "✔ passed  ◐ tried  ○ new"


def mark(state: ItemState | None) -> tuple[str, str]:
    if state and state.passed:
        return MARKS["passed"]
    if state and state.attempts:
        return MARKS["tried"]
    return MARKS["new"]


def legend() -> Text:
    out = Text()
    for n, (key, (sign, style)) in enumerate(MARKS.items()):
        if n:
            out.append("  ")
        out.append(sign, style=style)
        out.append(f" {key}", style="dim")
    return out


class ItemBar(Static):
    """`` 1✔ [2◐] 3○  Exercise 2/3 · 10 pts · 1 try · f1 hint -2 XP   ✔ passed ◐ tried ○ new``"""

    DEFAULT_CSS = "ItemBar { height: 1; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None
        self.tooltip = f"Items of this lesson: {LEGEND}. ctrl+n / ctrl+b: next / previous."

    def show(self, items: tuple[Item, ...], index: int, states: dict[str, ItemState]) -> None:
        self._shown = (items, index, states)
        self.update(self.line(items, index, states, self.size.width or 80))

    def on_resize(self) -> None:
        if self._shown is not None:
            self.update(self.line(*self._shown, self.size.width))

    @staticmethod
    def line(items, index: int, states: dict[str, ItemState], width: int) -> Text:
        item = items[index]
        state = states.get(item.id) or ItemState(item.id)
        out = Text(no_wrap=True, overflow="ellipsis")
        for n, other in enumerate(items):
            sign, style = mark(states.get(other.id))
            label = f"{n + 1}{sign}"
            if n == index:
                out.append(f"[{label}]", style=f"bold reverse {style}")
            else:
                out.append(f" {label} ", style=style)
        out.append(f"  {KIND_NAMES[item.kind]} {index + 1}/{len(items)}", style="bold")
        out.append(f" · {item.points} pts", style="cyan")
        if state.passed:
            out.append(f" · ✔ {state.xp} XP", style="green")
        elif state.attempts:
            tries = "try" if state.attempts == 1 else "tries"
            out.append(f" · {state.attempts} {tries}", style="yellow")
        left = len(item.hints) - state.hints_revealed
        if left and (state.passed or state.solution_revealed):
            out.append(" · f1 hint: free now", style="dim")
        elif left:
            out.append(f" · f1 hint -{hint_cost(item.points)} XP", style="dim")
        key = legend()
        if out.cell_len + 3 + key.cell_len <= width:
            out.append(" " * (width - out.cell_len - key.cell_len))
            out.append_text(key)
        return out
