"""Per-child cost of kernel confinement: apply_landlock + apply_seccomp in a forked child.

A warm parent imports torch (one thread, a backward, like the sandbox server), prepares
once (the readable paths' O_PATH fds, the seccomp program), then forks N children; each
closes unrelated fds, confines itself and reports how long each step took.

    python benchmarks/confine.py [--children 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"


def quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.3f} ms   p90 {p90:6.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=50)
    args = parser.parse_args()

    import tempfile

    import torch

    from tutor.sandbox import kernel

    torch.set_num_threads(1)
    w = torch.tensor([1.0], requires_grad=True)
    ((w + 2) * (w + 1)).sum().backward()
    support = kernel.support()
    print("\n".join(support.describe()))
    if not support.landlock_abi or not support.seccomp:
        print("(a missing layer is skipped: its figures are for the notice only)")

    t = time.perf_counter()
    readable = kernel.readable_paths([])
    t_paths = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    prepared = kernel.prepare(readable)
    t_prepare = (time.perf_counter() - t) * 1000
    print(
        f"parent, once: readable_paths {t_paths:.2f} ms, prepare {t_prepare:.2f} ms "
        f"({len(prepared.read_fds)} read rules, "
        f"{len(prepared.filter) if prepared.filter else 0} BPF instructions)"
    )

    rows: dict[str, list[float]] = {
        "fork": [],
        "landlock": [],
        "seccomp": [],
        "both": [],
        "cpu": [],
    }
    base = tempfile.mkdtemp(prefix="tutor-confine-bench-")
    for _ in range(args.children):
        workdir = tempfile.mkdtemp(dir=base)
        r, wfd = os.pipe()
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                t1 = time.perf_counter()
                kernel.close_other_fds(prepared, keep={wfd})
                t2, c2 = time.perf_counter(), time.process_time()
                kernel.apply_landlock(prepared, workdir)
                t3 = time.perf_counter()
                kernel.apply_seccomp(prepared)
                t4, c4 = time.perf_counter(), time.process_time()
                times = [t1 - t0, t3 - t2, t4 - t3, c4 - c2]
                os.write(wfd, json.dumps(times).encode())
            finally:
                os._exit(0)
        os.close(wfd)
        data = os.read(r, 4096)
        os.close(r)
        os.waitpid(pid, 0)
        fork_s, landlock_s, seccomp_s, cpu_s = json.loads(data)
        rows["cpu"].append(cpu_s * 1000)
        rows["fork"].append(fork_s * 1000)
        rows["landlock"].append(landlock_s * 1000)
        rows["seccomp"].append(seccomp_s * 1000)
        rows["both"].append((landlock_s + seccomp_s) * 1000)
        os.rmdir(workdir)
    os.rmdir(base)
    print(
        f"per child ({args.children} children, parent {_rss_mb():.0f} MB resident, "
        f"torch {torch.__version__}, load average {os.getloadavg()[0]:.1f}):"
    )
    labels = {
        "fork": "fork (to the child's first line)",
        "landlock": "apply_landlock",
        "seccomp": "apply_seccomp",
        "both": "landlock + seccomp",
        "cpu": "landlock + seccomp, CPU time",
    }
    for key, label in labels.items():
        print(f"  {label:34} {quantiles(rows[key])}")


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
