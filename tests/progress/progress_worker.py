"""A separate process that writes to a progress store (run by the durability tests).

usage: progress_worker.py DB_PATH MODE NAME [COUNT] [GO_FILE]

MODE ``race``: touch GO_FILE.ready-NAME, wait for GO_FILE, open the store, then COUNT failed
attempts on the shared item, a draft of its own per step, and a pass on each of the race items
``race-0..9`` (XP must be earned once).
MODE ``hammer``: write forever (a 50 KB draft, a pass, the position), printing ``i`` once
step i is committed; meant to be SIGKILLed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from progress_helpers import at, ex  # noqa: E402

from tutor.progress import ProgressStore  # noqa: E402


def race(db: str, name: str, count: int, go: Path) -> None:
    Path(f"{go}.ready-{name}").touch()
    while not go.exists():
        time.sleep(0.001)
    store = ProgressStore(db, timeout=60)
    shared = ex("shared", "l1")
    for i in range(count):
        store.record_attempt(shared, False, at(1))
        store.save_draft(f"{name}-{i}", "l2", f"{name} {i}")
        if i < 10:
            store.record_attempt(ex(f"race-{i}", "l3"), True, at(1))
    store.close()
    print("done", flush=True)


def hammer(db: str, name: str) -> None:
    store = ProgressStore(db)
    i = 0
    while True:
        item = ex(f"{name}-{i}", "l1", points=10)
        store.save_draft(item.id, item.lesson_id, f"{i}:" + "x" * 50_000)  # many pages
        store.record_attempt(item, True, at(1))
        store.set_position("l1", item.id)
        print(i, flush=True)
        i += 1


if __name__ == "__main__":
    db, mode, name = sys.argv[1:4]
    if mode == "race":
        race(db, name, int(sys.argv[4]), Path(sys.argv[5]))
    else:
        hammer(db, name)
