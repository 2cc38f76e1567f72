"""The loss of a training exercise as a real plot (plotext), and the checked values (the
trained parameters) beside their targets.

* the whole run, downsampled (never only its last values), steps on the x axis;
* a log scale when the loss spans two decades or more;
* live while the code trains (the sandbox streams the first 10,000 values; past that the
  counter says so and the whole curve comes when the run ends);
* NaN or infinite losses are gaps with a note, never a wall; a run that crashed or ran out of
  time keeps what it had streamed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tutor.tui.engine import LossCurve
from tutor.tui.format import check_lines, unique_checks

EMPTY = (
    "No losses yet. In a training exercise, append each step's loss to a list named "
    "`losses` (losses.append(loss.item())): it is plotted here while the code runs."
)
NO_TARGETS = "After a check (ctrl+s): your final values beside their targets."
LIVE_MAX = 10_000  # what the sandbox streams at most per run (sandbox/child.py WATCH_MAX)
PLOT_POINTS = 400  # points drawn at most: more than a terminal has columns
LOG_SPAN = 100.0  # max/min ratio from which the y axis is logarithmic


def downsample(steps: Sequence[int], values: Sequence[float | None], keep: int = PLOT_POINTS):
    """At most ``keep`` evenly spaced (step, value) pairs, the first and last always kept."""
    n = len(values)
    if n <= keep:
        return list(steps), list(values)
    picks = [i * (n - 1) // (keep - 1) for i in range(keep)]
    return [steps[i] for i in picks], [values[i] for i in picks]


def wants_log(values: Sequence[float | None]) -> bool:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if len(finite) < 2 or min(finite) <= 0:
        return False
    return max(finite) / min(finite) >= LOG_SPAN


def segments(steps: Sequence[int], values: Sequence[float | None]):
    """Runs of finite points (a NaN or infinity breaks the line instead of drawing a wall)."""
    run_x: list[int] = []
    run_y: list[float] = []
    for x, y in zip(steps, values, strict=True):
        if y is None or not math.isfinite(y):
            if run_x:
                yield run_x, run_y
            run_x, run_y = [], []
            continue
        run_x.append(x)
        run_y.append(y)
    if run_x:
        yield run_x, run_y


def step_ticks(last: int, most: int = 6) -> list[int]:
    """Round step numbers for the x axis from 1 to ``last`` (at most ``most`` of them)."""
    if last <= 1:
        return [1]
    size = 10 ** max(0, math.floor(math.log10(max(1, last / most))))
    for mult in (1, 2, 5, 10):
        step = size * mult
        if last // step < most:
            break
    return [1] + [t for t in range(step, last + 1, step) if t - 1 >= step / 3]


def first_bad(steps: Sequence[int], values: Sequence[float | None]) -> int | None:
    for x, y in zip(steps, values, strict=True):
        if y is None or not math.isfinite(y):
            return x
    return None


class LossView(Vertical):
    """A note, the plot, and (after a check) the final values beside their targets."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.steps: list[int] = []
        self.values: list[float | None] = []
        self.total = 0  # steps the run had (may be more than the points kept)
        self.live = False

    def compose(self) -> ComposeResult:
        yield Static(EMPTY, id="loss-note")
        with Horizontal(id="loss-body"):
            plot = PlotextPlot(id="loss-plot")
            plot.display = False  # shown once there are losses
            yield plot
            with VerticalScroll(id="loss-side", can_focus=True):
                yield Static(NO_TARGETS, id="loss-targets", classes="dim-note")

    # -- live ----------------------------------------------------------------------------

    def start_live(self) -> None:
        """A run is starting: the plot fills as the sandbox streams ``losses``."""
        self.live = True
        self._live: list[float | None] = []

    def extend_live(self, start: int, values: list[float]) -> None:
        """New values of ``losses`` while the code runs (``start``: the first one's index)."""
        live = getattr(self, "_live", [])
        clean = [v if v is not None and math.isfinite(v) else None for v in values]
        self._live = live[:start] + clean
        self.total = len(self._live)
        self._set(list(range(len(self._live))), self._live)
        self.live = True
        out = Text()
        if self.total >= LIVE_MAX:
            out.append(f"training... over {LIVE_MAX:,} steps so far", style="bold")
            out.append(" (the live view stops there; the whole curve comes at the end)")
        else:
            out.append(f"training... {self.total:,} steps so far", style="bold")
        last = next((v for v in reversed(self._live) if v is not None), None)
        if last is not None:
            out.append(f"   last loss {last:.4g}")
        self.query_one("#loss-note", Static).update(out)

    # -- after a run ----------------------------------------------------------------------

    def show_curve(self, curve: LossCurve | None, stopped: str = "") -> None:
        """The run's whole ``losses`` (from the run itself), or, when the run stopped before
        it could say (``stopped``: why), what was streamed while it ran."""
        self.live = False
        live = getattr(self, "_live", [])
        note = self.query_one("#loss-note", Static)
        if curve is not None:
            self.total = curve.n
            self._set(curve.steps, curve.values)
            note.update(self._summary(stopped))
        elif stopped and live:
            self.total = len(live)
            self._set(list(range(len(live))), live)
            note.update(self._summary(stopped))
        else:
            self.total = 0
            self._set([], [])
            note.update(Text(stopped, style="yellow") if stopped and live else EMPTY)

    def _summary(self, stopped: str = "") -> Text:
        values = [v for v in self.values if v is not None]
        out = Text()
        if stopped:
            out.append(f"{stopped}: what it had, {self.total:,} steps. ", style="bold yellow")
        else:
            out.append(f"loss over {self.total:,} steps", style="bold")
        if values:
            first = next(v for v in self.values if v is not None)
            out.append(f"  first {first:.4g}  last {values[-1]:.4g}  min {min(values):.4g}")
        if wants_log(self.values):
            out.append("  (log scale)", style="dim")
        bad = first_bad(self.steps, self.values)
        if bad is not None:
            out.append(f"\nThe loss is NaN or infinite from step {bad + 1}", style="red")
            out.append(" (a learning rate too big?)", style="dim")
        return out

    def _set(self, steps: list[int], values: list[float | None]) -> None:
        self.steps, self.values = steps, values
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_figure()  # data, ticks and all (the size and theme are set at each render)
        xs, ys = downsample(steps, values)
        log = wants_log(ys)
        drawn = False
        for run_x, run_y in segments(xs, ys):
            shown = [math.log10(y) for y in run_y] if log else run_y
            plt.plot([x + 1 for x in run_x], shown, marker="braille", color="cyan")
            drawn = True
        # A log scale drawn by hand (log10 of the values, ticks at each decade): plotext's own
        # takes the log of its data in place, so a second repaint fails on negative logs.
        if log and drawn:
            finite = [y for y in ys if y is not None and y > 0]
            low, high = math.floor(math.log10(min(finite))), math.ceil(math.log10(max(finite)))
            step = max(1, math.ceil((high - low) / 6))
            decades = list(range(low, high + 1, step))
            plt.yticks(decades, [f"{10.0**k:g}" for k in decades])
        if drawn:
            ticks = step_ticks(max(xs) + 1)
            plt.xticks(ticks, [f"{t:,}" for t in ticks])
        plt.xlabel("step")
        plt.title("")
        plot.display = drawn
        plot.refresh()

    # -- after a check --------------------------------------------------------------------

    def show_targets(self, result) -> None:
        """After a check: each checked value (e.g. trained weights) beside its target."""
        out = Text("Your final values vs the targets:\n", style="bold")
        out.append_text(_targets(result))
        targets = self.query_one("#loss-targets", Static)
        targets.remove_class("dim-note")
        targets.update(out)


def _targets(result) -> Text:
    out = Text()
    for check in unique_checks(result):
        ok = check.status == "pass"
        out.append("✔ " if ok else "✘ ", style="green" if ok else "red")
        out.append(f"{check.expr}\n", style="bold")
        out.append(f"    yours  {check.got}\n")
        out.append(f"    target {check.expected}\n", style="dim")
    return out if result.checks else check_lines(result)
