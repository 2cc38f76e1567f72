"""The strip above the work area: which item, its points and hint cost, every item's mark."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.lesson.model import Item
from tutor.progress import ItemState, hint_cost
from tutor.tui.format import item_title

KIND_NAMES = {"exercise": "Exercise", "quiz": "Quiz", "predict": "Predict"}


class ItemBar(Static):
    """``Exercise 2/5 · title · 10 pts`` and a row of marks, the current item bracketed."""

    def show(self, items: tuple[Item, ...], index: int, states: dict[str, ItemState]) -> None:
        item = items[index]
        state = states.get(item.id) or ItemState(item.id)
        out = Text(no_wrap=True, overflow="ellipsis")
        for n, other in enumerate(items):
            st = states.get(other.id)
            mark, style = (
                ("✔", "green")
                if st and st.passed
                else (("●", "yellow") if st and st.attempts else ("○", "dim"))
            )
            label = f"{n + 1}{mark}"
            if n == index:
                out.append(f"[{label}]", style=f"bold reverse {style}".strip())
            else:
                out.append(f" {label} ", style=style)
        out.append(f"  {KIND_NAMES[item.kind]} {index + 1}/{len(items)}", style="bold")
        out.append(f" · {item.points} pts", style="cyan")
        left = len(item.hints) - state.hints_revealed
        if left and (state.passed or state.solution_revealed):
            out.append(" · f1 hint: free now", style="dim")
        elif left:
            out.append(f" · f1 hint: -{hint_cost(item.points)} XP", style="dim")
        if state.passed:
            out.append(f" · ✔ {state.xp} XP", style="green")
        elif state.attempts:
            tries = "try" if state.attempts == 1 else "tries"
            out.append(f" · {state.attempts} {tries}", style="yellow")
        out.append(" · ")
        out.append(item_title(item.title) if item.title else item.id, style="bold")
        self.update(out)
