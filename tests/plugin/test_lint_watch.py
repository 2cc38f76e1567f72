"""``tutor lint --watch DIR`` (issue 15): lints once, then again on every save, printing only
the problems that appeared and those fixed, and one summary line; Ctrl+C ends it cleanly."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

F = "```"

EXERCISE = f"""---
id: watched
title: Watched
---

## Exercise: the last item

{F}toml exercise
id = "last-item"
hints = ["Index it.", "Python counts from 0.", "x[-1]"]
{F}

{F}python setup
import torch
x = torch.randn(3)
{F}

{F}python starter
y = ...
{F}

{F}python solution
y = x[3]
{F}

{F}python check
y  # the last item of x
{F}
"""

QUIZ = f"""---
id: other
title: Other
---

{F}toml quiz
id = "other-quiz"
question = "Which?"
choices = ["a", "b"]
answer = 1
{F}
"""


class Lines:
    """A process's stdout, line by line, with a deadline per wait."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.queue.put(line.rstrip("\n"))

    def until(self, needle: str, timeout: float = 240) -> list[str]:
        deadline = time.monotonic() + timeout
        got = []
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.5)
            except queue.Empty:
                continue
            got.append(line)
            self.seen.append(line)
            if needle in line:
                return got
        raise AssertionError(f"no {needle!r} within {timeout}s; saw:\n" + "\n".join(self.seen))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_watch_relints_on_save_shows_what_changed_and_ends_on_ctrl_c(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-watched.md").write_text(EXERCISE)
    (folder / "02-other.md").write_text(QUIZ)
    env = {**os.environ, "TUTOR_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TUTOR_LESSONS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor", "lint", "--watch", str(folder), "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = Lines(proc)
        first = lines.until("watching")
        assert any(
            "01-watched.md:" in li and "the solution raised IndexError" in li for li in first
        )
        assert any("2 lessons, 2 items: 1 error(s)" in li for li in first)

        # fix the solution: the problem is reported fixed, nothing else is printed again
        time.sleep(1)
        (folder / "01-watched.md").write_text(EXERCISE.replace("y = x[3]", "y = x[-1]"))
        fixed = lines.until("01-watched.md: ")
        assert fixed[-1].endswith("0 error(s), 0 warning(s) in " + fixed[-1].rsplit(" in ", 1)[1])
        assert ": 0 new, 1 fixed; 2 lessons, 2 items: 0 error(s)" in fixed[-1]
        assert any(li.startswith("fixed: ") and "IndexError" in li for li in fixed)

        # break the other file: only the new problem, then the summary
        (folder / "02-other.md").write_text(QUIZ.replace("answer = 1", "answer = 7"))
        broken = lines.until("02-other.md: ")
        assert [li for li in broken if "error:" in li] == [
            f"{folder / '02-other.md'}:10: error: -: 'answer' is 7 but there are only 2 choices "
            "(1-based): give the number of the right choice, from 1 to 2"
        ]
        assert ": 1 new, 0 fixed; " in broken[-1]

        proc.send_signal(signal.SIGINT)
        # stdout belongs to the reader thread: the last line comes through it, not communicate
        lines.until("stopped watching", timeout=60)
        proc.wait(timeout=60)
        assert proc.stderr is not None
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Traceback" not in err
