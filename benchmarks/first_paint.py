"""Time to first paint of ``tutor``: from process start until the course map is on screen.

Runs the real command in a pseudo-terminal (120x40, a fresh progress folder), reads what it
draws until the map's level line shows, then quits it with ctrl+q. Also times the parts:
importing the app module, and the sandbox warm-up that happens after the paint.

    python benchmarks/first_paint.py [--runs N] [--lessons DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = b"Level "  # the player bar on the course map


def paint_once(lessons: str | None, size: tuple[int, int] = (120, 40)) -> float:
    """Seconds from spawning ``tutor`` in a pty until the map's marker is drawn."""
    cols, rows = size
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "TUTOR_DATA_DIR": data,
            "TERM": "xterm-256color",
            "COLUMNS": str(cols),
            "LINES": str(rows),
        }
        args = [sys.executable, "-m", "tutor"] + (["--lessons", lessons] if lessons else [])
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        started = time.perf_counter()
        proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, close_fds=True
        )
        os.close(slave)
        seen = b""
        painted = None
        deadline = started + 30
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            if MARKER in seen:
                painted = time.perf_counter() - started
                break
        os.write(master, b"\x11")  # ctrl+q
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
        if painted is None:
            raise RuntimeError(f"the map did not paint in 30 s; output: {seen[-400:]!r}")
        return painted


def import_time() -> float:
    code = (
        "import time, sys; t = time.perf_counter(); import tutor.tui.app; "
        "print(time.perf_counter() - t); assert 'torch' not in sys.modules"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip())


def warm_up_time(lessons: str | None) -> float:
    """Seconds for the sandbox server to be ready (it imports torch, in its own process)."""
    sys.path.insert(0, str(ROOT))
    from tutor.lesson.load import lesson_dirs
    from tutor.tui.engine import SandboxEngine

    started = time.perf_counter()
    engine = SandboxEngine.open(lesson_dirs([lessons] if lessons else None), use_cache=False)
    engine.start()
    while not engine.ready and time.perf_counter() - started < 120:
        time.sleep(0.02)
    took = time.perf_counter() - started
    engine.close()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lessons", default=None, help="lesson folder (default: built-in)")
    args = parser.parse_args()
    paint_once(args.lessons)  # warm the OS file cache once, not counted
    paints = [paint_once(args.lessons) for _ in range(args.runs)]
    imports = [import_time() for _ in range(3)]
    print(f"time to first paint (tutor in a 120x40 pty, {args.runs} runs):")
    print(
        f"  median {statistics.median(paints) * 1000:.0f} ms   "
        f"min {min(paints) * 1000:.0f} ms   max {max(paints) * 1000:.0f} ms"
    )
    print(f"import tutor.tui.app (no torch): median {statistics.median(imports) * 1000:.0f} ms")
    print(f"sandbox ready after (torch, own process): {warm_up_time(args.lessons):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
