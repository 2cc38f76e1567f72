"""Fixtures for the grading-core tests: one warm sandbox pool per test session.

Starting a sandbox server imports torch (seconds); each run after that forks a child
(milliseconds). So the pool is session-scoped and started in the background as soon as the
first test asks for it. Every test gets its own reference-cache folder and no
``TUTOR_LESSONS`` from the environment, so nothing here reads or writes the user's files.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tutor.sandbox import Job, RunResult, SandboxPool
from tutor.sandbox.backend import open_sandbox

HERE = Path(__file__).resolve().parent
LESSONS = HERE / "lessons"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "ref-cache"))
    monkeypatch.delenv("TUTOR_LESSONS", raising=False)


@pytest.fixture(scope="session")
def secret_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder the shared pool must refuse to read (stands in for the lesson files)."""
    folder = tmp_path_factory.mktemp("secret")
    (folder / "solution.txt").write_text("the answer is 42\n")
    return folder


BACKENDS = ["fork", "spawn"] if sys.platform.startswith("linux") else ["spawn"]


@pytest.fixture(scope="session", params=BACKENDS)
def pool(request: pytest.FixtureRequest, secret_dir: Path) -> Iterator[SandboxPool]:
    """The shared warm sandbox, once per backend: every test that uses it runs against the
    fork server and against the spawn pool (what Windows and macOS get), so the portable path
    is tested on every run. Tests that kill a server use their own pool."""
    shared = open_sandbox(1, secrets=[str(secret_dir), str(LESSONS)], backend=request.param)
    shared.start_background()
    yield shared
    shared.close()


@pytest.fixture
def write_lesson(tmp_path: Path) -> Callable[..., Path]:
    """Write dedented lesson text to ``tmp_path/<folder>/<name>`` and return the path."""

    def write(text: str, name: str = "01-lesson.md", folder: str = "lessons") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


class BorrowedPool:
    """Stands in for ``SandboxPool`` in the factory: runs on the shared warm pool."""

    made: ClassVar[list[BorrowedPool]] = []
    shared: ClassVar[SandboxPool]

    def __init__(self, size: int = 1, **kwargs) -> None:
        self.size, self.kwargs = size, kwargs
        self.runs = 0
        self.closed = False
        BorrowedPool.made.append(self)

    def run(self, job: Job) -> RunResult:
        assert not self.closed
        self.runs += 1
        return self.shared.run(job)

    def torch_version(self) -> str:
        return self.shared.torch_version()

    def start_background(self) -> None:
        pass

    @property
    def ready(self) -> bool:
        return True

    def kill(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> BorrowedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture
def borrowed_pool(pool: SandboxPool, monkeypatch: pytest.MonkeyPatch) -> type[BorrowedPool]:
    BorrowedPool.made = []
    BorrowedPool.shared = pool
    monkeypatch.setattr(
        "tutor.grading.factory.open_sandbox", lambda size, **kw: BorrowedPool(size, **kw)
    )
    return BorrowedPool
