"""The app's handle on its sandbox engine: built on first use, cancelled, closed.

Screens get this handle in their constructor (they never ask the app for an engine). The
engine is built lazily because building it imports the grader (numpy); the app builds it in
a worker right after the first paint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.tui.engine import Engine


class SandboxHandle:
    """Holds one engine: injected (``engine``, not owned), made by ``factory``, or the real
    :class:`~tutor.tui.engine.SandboxEngine` for ``folders`` (both owned: closed here)."""

    def __init__(
        self,
        folders: Sequence[Path] = (),
        engine: Engine | None = None,
        factory: Callable[[], Engine] | None = None,
    ) -> None:
        self._folders = list(folders)
        self._engine = engine
        self._factory = factory
        self._owned = engine is None
        self._lock = threading.Lock()

    def get(self) -> Engine:
        """The engine, built on first use (blocks: call from a worker thread)."""
        with self._lock:
            if self._engine is None:
                if self._factory is not None:
                    self._engine = self._factory()
                else:
                    from tutor.tui.engine import SandboxEngine

                    self._engine = SandboxEngine.open(self._folders)
            return self._engine

    @property
    def built(self) -> bool:
        return self._engine is not None

    def start(self) -> None:
        """Build the engine and start its sandbox in the background (a worker calls this)."""
        self.get().start()

    def cancel(self) -> None:
        """Stop the run in flight, if any (the sandbox warms up again)."""
        if self._engine is not None:
            self._engine.cancel()

    def stop_now(self) -> None:
        """Quitting with a run in flight: stop it without waiting for the learner's loop."""
        if self._engine is None:
            return
        if self._owned:
            self._engine.close()
        else:
            self._engine.cancel()

    def close(self) -> None:
        if self._owned and self._engine is not None:
            self._engine.close()
