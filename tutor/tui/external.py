"""The learner's own editor: ``$VISUAL``, else ``$EDITOR``, else the platform's default
(``notepad`` on Windows, ``vi`` elsewhere). A terminal editor gets the terminal (the app is
suspended until it quits); where the app cannot be suspended, the editor runs beside it and
the workspace watcher picks up its saves."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def editor_command(env: Mapping[str, str] | None = None, platform: str | None = None) -> list[str]:
    """The command (with its arguments, e.g. ``code --wait``) that edits a file."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    windows = platform.startswith("win")
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                return shlex.split(value, posix=not windows)
            except ValueError:  # an unbalanced quote: take it as one program name
                return [value]
    return ["notepad"] if windows else ["vi"]


class EditorLauncher:
    """Opens a file in the learner's editor (``command`` overrides the environment)."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = list(command) if command else None

    @property
    def command(self) -> list[str]:
        return self._command or editor_command()

    def problem(self) -> str:
        """Why the editor cannot be started, or ''."""
        program = self.command[0]
        if shutil.which(program) is None and not Path(program).is_file():
            return (
                f"No editor called {program!r} was found. Set $EDITOR (or $VISUAL) to the "
                "command of your editor, e.g. export EDITOR=nano, and restart tutor."
            )
        return ""

    def suspend_and_edit(self, app: Any, path: Path) -> bool:
        """Hand the terminal to the editor until it quits; False (nothing run) when this app
        cannot be suspended."""
        from textual.app import SuspendNotSupported

        try:
            with app.suspend():
                subprocess.call([*self.command, str(path)])
        except SuspendNotSupported:
            return False
        except RuntimeError:  # no driver: not running in a terminal
            return False
        except OSError as exc:
            app.notify(f"{self.command[0]}: {exc.strerror or exc}", severity="error")
        return True

    def run(self, path: str) -> int:
        """Run the editor without the terminal and wait for it (a thread worker calls this)."""
        return subprocess.call(
            [*self.command, path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
