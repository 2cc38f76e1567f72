"""Time `tutor grade` on a folder of N small exercises from the built-in course.

Prints wall time for a cold run (server start + references computed) and a warm-cache run
(references read from the disk cache). Usage: python benchmarks/grade_folder.py [N]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tutor.lesson.load import load_course
from tutor.lesson.model import Exercise


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    exercises = [i for i in load_course().items() if isinstance(i, Exercise)][:count]
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp, "submission")
        sub.mkdir()
        for ex in exercises:
            (sub / f"{ex.id}.py").write_text(ex.solution)
        env = {**os.environ, "TUTOR_CACHE_DIR": str(Path(tmp, "cache"))}
        only = [arg for ex in exercises for arg in ("--only", ex.id)]
        print(f"{len(exercises)} exercises, {sum(len(e.seeds) for e in exercises)} seeds")
        for label in ("cold cache", "warm cache"):
            for jobs in (1, 2):
                started = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "tutor", "grade", str(sub), "--jobs", str(jobs), *only],
                    env=env,
                    capture_output=True,
                    text=True,
                    stdin=subprocess.DEVNULL,
                )
                wall = time.perf_counter() - started
                last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
                print(f"{label:<11} jobs={jobs}  {wall:6.2f} s   {last}")


if __name__ == "__main__":
    main()
