"""The learner's standing in one line or two: level, XP bar, streak, achievements."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.progress import ACHIEVEMENTS, Totals
from tutor.tui.format import bar, level_line


class PlayerBar(Static):
    """Level and name, an XP bar to the next level, the daily streak, achievements."""

    def show(self, totals: Totals) -> None:
        level = totals.level
        out = Text()
        out.append(level_line(level), style="bold")
        out.append("  ")
        if level.is_max:
            out.append(bar(1, 1, 16), style="green")
            out.append(f" {totals.xp} XP")
        else:
            out.append(bar(level.xp_into, level.xp_needed, 16), style="green")
            out.append(f" {totals.xp} XP, {level.to_next} to the next level")
        out.append("\n")
        days = "day" if totals.streak == 1 else "days"
        flame = "▲ " if totals.streak else ""
        out.append(f"{flame}streak {totals.streak} {days}", style="yellow" if totals.streak else "")
        out.append(f"  ·  {totals.items_passed} items passed")
        out.append(f"  ·  {totals.achievements}/{len(ACHIEVEMENTS)} achievements")
        self.update(out)
