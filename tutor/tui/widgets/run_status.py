"""A one-line spinner while the sandbox works: what runs, for how long, and how to stop it."""

from __future__ import annotations

import time

from textual.widgets import Static

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class RunStatus(Static):
    """Hidden when idle; ``start(label)`` shows a spinner until ``stop()``."""

    def on_mount(self) -> None:
        self.display = False
        self._label = ""
        self._started = 0.0
        self._frame = 0
        self._timer = self.set_interval(0.1, self._tick, pause=True)

    def start(self, label: str) -> None:
        self._label = label
        self._started = time.monotonic()
        self.display = True
        self._tick()
        self._timer.resume()

    def relabel(self, label: str) -> None:
        self._label = label

    def stop(self) -> None:
        self._timer.pause()
        self.display = False

    @property
    def busy(self) -> bool:
        return bool(self.display)

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(FRAMES)
        took = time.monotonic() - self._started
        self.update(f"{FRAMES[self._frame]} {self._label}  {took:.1f} s   (esc cancels)")
