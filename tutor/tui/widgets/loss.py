"""The loss of a training exercise, step by step, and the final values beside the targets."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Sparkline, Static

from tutor.tui.format import check_lines, unique_checks

EMPTY = (
    "No losses yet. In a training exercise, append each step's loss to a list named "
    "`losses` (losses.append(loss.item())): after a run it is plotted here."
)


class LossView(VerticalScroll):
    """A sparkline of ``losses`` from the last run, and the checked values after a check."""

    def compose(self) -> ComposeResult:
        yield Static(EMPTY, id="loss-note")
        spark = Sparkline([], id="loss-spark")
        spark.display = False  # shown once there are losses (set here: no query on mount)
        yield spark
        yield Static("", id="loss-targets")

    def start_live(self) -> None:
        """A run is starting: the plot fills as the sandbox streams ``losses``."""
        self._live: list[float] = []

    def extend_live(self, start: int, values: list[float]) -> None:
        """New values of ``losses`` while the code runs (``start`` is the first one's index)."""
        live = getattr(self, "_live", [])
        self._live = live[:start] + values
        points = self._live[-200:]
        spark = self.query_one(Sparkline)
        spark.data = points
        spark.display = True
        out = Text()
        out.append(f"training... {len(self._live)} steps so far: ", style="bold")
        out.append(f"last loss {self._live[-1]:.4g}" if self._live else "")
        self.query_one("#loss-note", Static).update(out)

    def show_losses(self, losses: list[float] | None) -> None:
        spark = self.query_one(Sparkline)
        note = self.query_one("#loss-note", Static)
        if not losses:
            spark.display = False
            note.update(EMPTY)
            return
        spark.data = losses
        spark.display = True
        out = Text()
        out.append(f"loss over {len(losses)} points: ", style="bold")
        out.append(f"first {losses[0]:.4g}  last {losses[-1]:.4g}  min {min(losses):.4g}")
        note.update(out)

    def show_targets(self, result) -> None:
        """After a check: each checked value (e.g. trained weights) beside its target."""
        out = Text("Your final values vs the targets:\n", style="bold")
        out.append_text(_targets(result))
        self.query_one("#loss-targets", Static).update(out)


def _targets(result) -> Text:
    out = Text()
    for check in unique_checks(result):
        ok = check.status == "pass"
        out.append("✔ " if ok else "✘ ", style="green" if ok else "red")
        out.append(f"{check.expr}\n", style="bold")
        out.append(f"    yours  {check.got}\n")
        out.append(f"    target {check.expected}\n", style="dim")
    return out if result.checks else check_lines(result)
