"""A spawned sandbox worker (the ``spawn`` backend): one process, one run.

Run as ``python -m tutor.sandbox.worker``. It imports torch and warms up like the fork
server, reads its ``init`` frame (the run folder, the paths it may not read), confines itself
as far as the platform allows (Landlock before the job on Linux; limits and the seccomp
filter once the job is known), says READY, waits for its one job, runs it exactly as a
forked child would (``child.serve_job``) and exits. Frames go out on its stdout in the
child -> server format (``>IB`` + JSON), read by :mod:`tutor.sandbox.spawn`.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    out_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints must never reach the result stream
    sys.stdout = sys.stderr
    stdin = os.fdopen(os.dup(0), "rb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)

    from tutor.sandbox import child, confine, server
    from tutor.sandbox.protocol import CHILD_HEADER, READY, read_frame

    def say(kind: int, data: dict) -> None:
        body = json.dumps(data).encode()
        os.write(out_fd, CHILD_HEADER.pack(len(body), kind) + body)

    try:
        info = server._warm_up()
    except Exception as exc:
        say(READY, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        raise SystemExit(1) from None
    try:
        init = read_frame(stdin)
    except (EOFError, ValueError):
        return
    secrets = [str(p) for p in init.get("secrets", []) if p]
    workdir = str(init["workdir"])
    try:
        plan = confine.plan(secrets, init.get("confine", "auto"))
    except confine.ConfinementUnavailable as exc:
        say(READY, {"ready": False, "error": f"kernel confinement is not available: {exc}"})
        raise SystemExit(1) from None
    child.prewarm()
    baseline = child.data_baseline_bytes() or None
    keep = {0, 1, 2, out_fd, stdin.fileno()}
    confine.close_fds(plan, keep)
    from tutor.sandbox import guard

    guard.open_memory()
    try:
        notices = confine.apply_landlock(plan, workdir, keep | set(guard.memory_fds()))
    except Exception as exc:
        say(READY, {"ready": False, "error": f"confining the worker failed: {exc}"})
        raise SystemExit(1) from None
    info.update(ready=True, pid=os.getpid(), backend="spawn", layers=plan.layers,
                missing=plan.missing)  # fmt: skip
    say(READY, info)
    try:
        job = child.Job(**read_frame(stdin))
    except (EOFError, ValueError):
        return
    child.serve_job(job, workdir, secrets, out_fd, baseline, time.time(), notices, plan)


if __name__ == "__main__":
    main()
