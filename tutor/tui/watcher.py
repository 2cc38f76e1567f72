"""Watch the workspace folder (``watchfiles``) and report which item files changed.

Runs in a thread worker for the app's lifetime. Saves come in bursts (an editor writes a
temporary file, renames it, touches it again), so changes are gathered for a short quiet time
before they are reported. The folder deleted or replaced under it is made again and watched
anew. What changed is only reported here; telling tutor's own writes from another editor's
is the workspace's job (it remembers what it wrote).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

DEBOUNCE_MS = 250
ITEM_SUFFIXES = (".py", ".txt")


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = folder.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _item_file(_change: object, path: str) -> bool:
    name = os.path.basename(path)
    return name.endswith(ITEM_SUFFIXES) and not name.startswith(".")


def watch_folder(
    folder: Path,
    stop: threading.Event,
    changed: Callable[[frozenset[str]], None],
    debounce_ms: int = DEBOUNCE_MS,
) -> None:
    """Call ``changed(names)`` with the names of item files that changed in ``folder`` until
    ``stop`` is set. Never raises: a problem (the folder gone) is waited out and retried."""
    from watchfiles import watch

    while not stop.is_set():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            identity = _identity(folder)
            for changes in watch(
                folder,
                watch_filter=_item_file,
                debounce=debounce_ms,
                step=50,
                stop_event=stop,
                rust_timeout=1000,
                yield_on_timeout=True,
                raise_interrupt=False,
                recursive=False,
            ):
                names = frozenset(os.path.basename(p) for _, p in changes)
                if names:
                    changed(names)
                if _identity(folder) != identity:
                    break  # the folder was deleted or replaced: watch the new one
        except Exception:  # a watcher must not die: wait, and watch again
            stop.wait(1.0)
