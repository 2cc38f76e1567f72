"""The strip above the work area: which item, its points and hint cost, every item's mark."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.lesson.model import Item
from tutor.progress import ItemState, hint_cost

KIND_NAMES = {"exercise": "Exercise", "quiz": "Quiz", "predict": "Predict"}


class ItemBar(Static):
    """``Exercise 2/5 · title · 10 pts`` and a row of marks, the current item bracketed."""

    def show(self, items: tuple[Item, ...], index: int, states: dict[str, ItemState]) -> None:
        item = items[index]
        state = states.get(item.id) or ItemState(item.id)
        out = Text()
        for n, other in enumerate(items):
            st = states.get(other.id)
            mark, style = ("✔", "green") if st and st.passed else (
                ("●", "yellow") if st and st.attempts else ("○", "dim")
            )
            label = f"{n + 1}{mark}"
            if n == index:
                out.append(f"[{label}]", style=f"bold reverse {style}".strip())
            else:
                out.append(f" {label} ", style=style)
        out.append("  ")
        out.append(f"{KIND_NAMES[item.kind]} {index + 1}/{len(items)}: ", style="bold")
        out.append(item.title or item.id)
        out.append(f"  {item.points} pts", style="cyan")
        if item.hints:
            cost = hint_cost(item.points)
            left = len(item.hints) - state.hints_revealed
            out.append(f"  f1 hint ({left} left, -{cost} XP each)", style="dim")
        if state.passed:
            out.append(f"  ✔ passed, {state.xp} XP", style="green")
        elif state.attempts:
            out.append(f"  {state.attempts} tries", style="yellow")
        self.update(out)
