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
        self.update(self.line(items, index, states, self.content_size.width or 78))

    def on_resize(self) -> None:
        if self._shown is not None:
            self.update(self.line(*self._shown, self.content_size.width))

    @staticmethod
    def line(items, index: int, states: dict[str, ItemState], width: int) -> Text:
        """The strip, as long as ``width`` allows: the longest wording that fits (the legend,
        then long words, give way first), never cut."""
        for short in range(4):  # 0: all words; 1: short hints; 2: tight marks; 3: short kinds
            out = ItemBar._strip(items, index, states, short)
            if out.cell_len <= width:
                break
        key = legend()
        if out.cell_len + 3 + key.cell_len <= width:
            out.append(" " * (width - out.cell_len - key.cell_len))
            out.append_text(key)
        return out

    @staticmethod
    def _strip(items, index: int, states: dict[str, ItemState], short: int) -> Text:
        item = items[index]
        state = states.get(item.id) or ItemState(item.id)
        out = Text(no_wrap=True, overflow="ellipsis")
        for n, other in enumerate(items):
            sign, style = mark(states.get(other.id))
            label = f"{n + 1}{sign}"
            if n == index:
                out.append(f"[{label}]", style=f"bold reverse {style}")
                if short >= 2:
                    out.append(" ")
            elif short >= 2:
                out.append(f"{label} ", style=style)
            else:
                out.append(f" {label} ", style=style)
        kind = KIND_NAMES[item.kind] if short < 3 else KIND_NAMES[item.kind][:2] + "."
        out.append(f" {kind} {index + 1}/{len(items)}" if short >= 2 else f"  {kind}", style="bold")
        if short < 2:
            out.append(f" {index + 1}/{len(items)}", style="bold")
        out.append(f" · {item.points} pts", style="cyan")
        if state.passed:
            out.append(f" · ✔ {state.xp} XP", style="green")
        elif state.attempts:
            tries = "try" if state.attempts == 1 else "tries"
            out.append(f" · {state.attempts} {tries}", style="yellow")
        left = len(item.hints) - state.hints_revealed
        if left and (state.passed or state.solution_revealed):
            out.append(" · f1 hint: free now" if not short else " · f1 free", style="dim")
        elif left:
            cost = hint_cost(item.points)
            out.append(f" · f1 hint -{cost} XP" if not short else f" · f1 -{cost}", style="dim")
        return out
