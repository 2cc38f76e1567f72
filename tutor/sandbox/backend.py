"""One interface, a backend per platform: the grader, the TUI and batch grading never know
which one runs their jobs.

- ``fork`` (Linux): a warm server whose zygote forks a confined child per run (fast: a run
  costs a fork, ~10 ms).
- ``spawn`` (Windows, macOS, or forced with ``TUTOR_SANDBOX=spawn``): worker processes
  started ahead of time, each importing torch once and used for exactly one run, then
  replaced in the background. A check at a learner's pace finds a warm worker waiting;
  grading a class is much slower (each run costs a fresh interpreter), so it belongs on Linux.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, Protocol

from tutor.sandbox.protocol import Job, RunResult

BACKEND_ENV = "TUTOR_SANDBOX"  # fork | spawn (default: fork where the platform has it)


class Sandbox(Protocol):
    """What runs jobs: ``SandboxPool`` (fork) and ``SpawnPool`` (spawn) both are one."""

    @property
    def ready(self) -> bool: ...

    def run(self, job: Job, on_progress: Callable[[dict], None] | None = None) -> RunResult: ...

    def start_background(self) -> None: ...

    def torch_version(self) -> str: ...

    def describe(self) -> dict[str, Any]: ...

    def kill(self) -> None: ...

    def close(self) -> None: ...


def backend_name(explicit: str | None = None) -> str:
    """``fork`` on Linux unless ``TUTOR_SANDBOX=spawn``; ``spawn`` everywhere else (macOS:
    forking a process that loaded torch's threads and Accelerate is not safe there)."""
    name = (explicit or os.environ.get(BACKEND_ENV) or "").strip().lower()
    if name in ("fork", "spawn"):
        if name == "fork" and not sys.platform.startswith("linux"):
            return "spawn"
        return name
    return "fork" if sys.platform.startswith("linux") else "spawn"


def open_sandbox(
    size: int = 1,
    secrets: list[str] | None = None,
    wrapper: list[str] | None = None,
    backend: str | None = None,
    warm: int | None = None,
) -> Any:
    """A sandbox for ``size`` concurrent runs on this platform's backend (not yet started).

    ``warm``: spawn workers kept waiting (default ``size + 2``: a check's seeds back to back;
    each is a whole interpreter, so a sandbox used rarely, like the reference one, keeps 1)."""
    if backend_name(backend) == "spawn":
        from tutor.sandbox.spawn import SpawnPool

        return SpawnPool(size, secrets=secrets, wrapper=wrapper, warm=warm)
    from tutor.sandbox.client import SandboxPool

    return SandboxPool(size, secrets=secrets, wrapper=wrapper)
