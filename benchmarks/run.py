"""tutor's speed and size, as figures a person reads (not a test): python benchmarks/run.py

Prints, for a tiny autograd snippet and a 1000-step training snippet:
  - per-run latency: a fresh python process per run (what naive graders do), the warm sandbox
    server (a forked child per run), and exec in-process (no isolation: the physical floor);
  - a tiny exercise graded end to end (learner run + cached reference + compare), p50 and p90,
    back to back and at a learner's pace (a spare child is then always waiting);
  - a synthetic class (LEARNERS x 10 exercises) graded with 1 and 2 jobs, runs per second;
  - resident memory of the server and of one child;
  - the cost of tracing (checks that ask how) on the training snippet;
  - the cost of kernel confinement per graded run (layers off vs on);
  - the spawn backend's figures beside the fork server's (skip with --no-spawn);
  - the TUI's time to first paint, if benchmarks/first_paint.py is present.
Options: --quick (fewer repetitions), --learners N (default 100), --no-spawn.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from tutor.grading.batch import grade_batch, learner_folders
from tutor.grading.cache import ReferenceCache
from tutor.grading.grader import Grader
from tutor.lesson.load import load_course
from tutor.sandbox import Job, SandboxPool

TINY = textwrap.dedent(
    """
    import torch
    w = torch.tensor([1.], requires_grad=True)
    x = torch.tensor([2.], requires_grad=True)
    y = (w + x) * (w + 1)
    y.backward()
    """
)
TRAIN = textwrap.dedent(
    """
    import torch
    torch.manual_seed(0)
    x = torch.randn(200, 1)
    y = 2 * x + 1 + 0.1 * torch.randn(200, 1)
    model = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.MSELoss()
    for _ in range(1000):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    """
)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def fresh_process(snippet: str, reps: int) -> list[float]:
    code = f"import torch\ntorch.set_num_threads(1)\nexec({snippet!r})"
    out = []
    for _ in range(reps):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stdin=subprocess.DEVNULL)
        out.append(time.perf_counter() - started)
    return out


def in_process(snippet: str, reps: int) -> list[float]:
    """The floor, measured in a child that has torch loaded (never in this process)."""
    code = textwrap.dedent(
        f"""
        import time, torch
        torch.set_num_threads(1)
        src = compile({snippet!r}, "<s>", "exec")
        exec(src, {{}})
        for _ in range({reps}):
            t = time.perf_counter(); exec(src, {{}}); print(time.perf_counter() - t)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return [float(v) for v in out.stdout.split()]


def warm_server(pool: SandboxPool, snippet: str, reps: int, trace: bool = False) -> list[float]:
    out = []
    for _ in range(reps):
        started = time.perf_counter()
        result = pool.run(Job(code=snippet, checks=["1"], timeout=60, trace=trace))
        out.append(time.perf_counter() - started)
        assert result.status == "ok", (result.status, result.reason)
    return out


CLASS_LESSON = """---
id: bench
title: Benchmark lesson
---
"""
EXERCISE = """
## Exercise {n}

```toml exercise
id = "bench-{n}"
seeds = [0]
```

```python setup
import torch
k = {n} + 1
```

```python solution
import torch
w = torch.tensor([float(k)], requires_grad=True)
y = (w * w).sum()
y.backward()
```

```python check
w.grad  # 2k
w.is_leaf  # a leaf
y.grad_fn  # the last operation
```
"""


def synthetic_class(folder: Path, learners: int) -> tuple[Path, Path]:
    lessons = folder / "lessons"
    lessons.mkdir()
    text = CLASS_LESSON + "".join(EXERCISE.format(n=n) for n in range(10))
    (lessons / "01-bench.md").write_text(text)
    root = folder / "class"
    for i in range(learners):
        sub = root / f"learner-{i:03d}"
        sub.mkdir(parents=True)
        for n in range(10):
            right = (i + n) % 4 != 0
            body = "w = torch.tensor([float(k)], requires_grad=True)\ny = (w * w).sum()\n"
            if not right:
                body = "w = torch.tensor([float(k)], requires_grad=True)\ny = (w * w * w).sum()\n"
            (sub / f"bench-{n}.py").write_text("import torch\n" + body + "y.backward()\n")
    return lessons, root


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def graded_latency(grader: Grader, ex, code: str, reps: int, pause: float) -> list[float]:
    samples = []
    for _ in range(reps):
        time.sleep(pause)
        started = time.perf_counter()
        result = grader.grade(ex, code)
        samples.append(time.perf_counter() - started)
        assert result.status in ("pass", "fail"), result.message
    return samples


def p(samples: list[float], q: float) -> float:
    """A quantile in ms (q=0.5 the median, 0.9 the 90th percentile)."""
    if len(samples) < 2:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=100)[int(q * 100) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--no-spawn", action="store_true", help="skip the spawn backend")
    args = parser.parse_args()
    reps = 5 if args.quick else 20
    cold_reps = 2 if args.quick else 4
    os.environ["TUTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="tutor-bench-cache-")

    def row(label: str, value: str) -> None:
        print(f"{label:<62} {value}", flush=True)

    print(f"tutor benchmarks ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})\n")
    with SandboxPool(2) as pool:
        started = time.perf_counter()
        pool.server.start()
        row("warm server start (import torch + warm-up + zygote)",
            f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        row("isolation layers in force", ", ".join(pool.describe()["layers"]))
        figures = {}
        best: dict[str, float] = {}
        for name, snippet, n in (("tiny", TINY, reps), ("training", TRAIN, max(5, reps // 2))):
            cold = median_ms(fresh_process(snippet, cold_reps))
            warm_runs, floor_runs = warm_server(pool, snippet, n), in_process(snippet, n)
            warm, floor = median_ms(warm_runs), median_ms(floor_runs)
            figures[name] = (cold, warm, floor)
            best[name] = min(warm_runs) / min(floor_runs)
            row(f"{name}: fresh python process per run (median)", f"{cold:9.1f} ms")
            row(f"{name}: warm server, forked child (median)", f"{warm:9.1f} ms")
            row(f"{name}: exec in-process, no isolation (median)", f"{floor:9.1f} ms")
        cold, warm, floor = figures["tiny"]
        row("tiny: fresh process / warm server", f"{cold / warm:9.0f} x")
        cold, warm, floor = figures["training"]
        row("training: warm server vs in-process (medians)", f"{(warm / floor - 1) * 100:+9.0f} %")
        fastest = (best["training"] - 1) * 100
        row("training: warm server vs in-process (fastest runs)", f"{fastest:+9.0f} %")
        traced = median_ms(warm_server(pool, TRAIN, max(5, reps // 2), trace=True))
        row("training with trace (checks ask how) vs without (medians)",
            f"{(traced / warm - 1) * 100:+9.0f} %  ({traced:.1f} vs {warm:.1f} ms)")  # fmt: skip

        with tempfile.TemporaryDirectory() as tmp:
            lessons, root = synthetic_class(Path(tmp), args.learners)
            course = load_course([lessons])
            grader = Grader(pool, ReferenceCache(Path(tmp) / "cache"))
            ex = course.items()[0]
            code = (root / "learner-001" / f"{ex.id}.py").read_text()
            grader.grade(ex, code)  # reference now cached
            for pause, pace in ((0.0, "back to back"), (0.3, "learner's pace, 0.3 s apart")):
                samples = graded_latency(grader, ex, code, reps * 2, pause)
                row(f"tiny exercise graded, {pace}: p50", f"{p(samples, 0.5):9.1f} ms")
                row(f"tiny exercise graded, {pace}: p90", f"{p(samples, 0.9):9.1f} ms")
            folders = learner_folders(root)
            runs = len(folders) * len(course.items())
            rates = {}
            for jobs in (1, 2):
                started = time.perf_counter()
                summary = grade_batch(course.items(), folders, grader, jobs=jobs)
                wall = time.perf_counter() - started
                passed = sum(s.status == "pass" for s in summary.learners)
                rates[jobs] = runs / wall
                row(
                    f"class of {len(folders)} x 10 exercises, jobs={jobs}",
                    f"{runs / wall:9.1f} runs/s  ({wall:.1f} s, {passed} all-pass learners)",
                )
            row("class: jobs=2 / jobs=1", f"{rates[2] / rates[1]:9.2f} x")
            fresh_rate = 1 / (figures["tiny"][0] / 1000)
            row("fresh-process baseline", f"{fresh_rate:9.2f} runs/s")
        proc = pool.server.proc
        if proc is not None:
            row("server resident memory", f"{rss_kb(proc.pid) / 1024:9.0f} MiB")
        probe = pool.run(Job(code="import resource\nprint(resource.getrusage(0).ru_maxrss)",
                             timeout=10))  # fmt: skip
        if probe.output.strip().isdigit():
            row("child peak resident memory (mostly shared with the zygote)",
                f"{int(probe.output) / 1024:9.0f} MiB")  # fmt: skip

    confine_figures(reps)
    if not args.no_spawn:
        spawn_figures(reps, args.learners)
    first_paint = Path(__file__).with_name("first_paint.py")
    if first_paint.exists():
        print("\nTUI first paint:", flush=True)
        subprocess.run([sys.executable, str(first_paint)], check=False)


def confine_figures(reps: int) -> None:
    """What kernel confinement costs a graded run: the same exercise, layers on and off."""
    print("\nkernel confinement (Landlock + seccomp) per run:", flush=True)
    results = {}
    for mode in ("off", "auto"):
        with tempfile.TemporaryDirectory() as tmp, SandboxPool(1, confine=mode) as pool:
            pool.server.start()
            lessons, root = synthetic_class(Path(tmp), 2)
            course = load_course([lessons])
            grader = Grader(pool, ReferenceCache(Path(tmp) / "cache"))
            ex = course.items()[0]
            code = (root / "learner-001" / f"{ex.id}.py").read_text()
            grader.grade(ex, code)
            samples = graded_latency(grader, ex, code, reps * 2, 0.3)
            results[mode] = p(samples, 0.5)
            layers = ", ".join(pool.describe()["layers"])
            print(f"  {'confinement ' + mode:<60} p50 {results[mode]:7.1f} ms  ({layers})",
                  flush=True)  # fmt: skip
    cost = results["auto"] - results["off"]
    print(f"  {'cost of the kernel layers, graded p50':<60} {cost:+7.1f} ms", flush=True)


def spawn_figures(reps: int, learners: int) -> None:
    """The spawn backend (Windows, macOS, TUTOR_SANDBOX=spawn) beside the fork server's."""
    from tutor.sandbox.spawn import SpawnPool

    print("\nspawn backend (one warm worker per run):", flush=True)
    with tempfile.TemporaryDirectory() as tmp, SpawnPool(1) as pool:
        started = time.perf_counter()
        pool.start()
        print(f"  {'first worker warm':<60} {time.perf_counter() - started:7.2f} s", flush=True)
        lessons, root = synthetic_class(Path(tmp), max(2, learners // 10))
        course = load_course([lessons])
        grader = Grader(pool, ReferenceCache(Path(tmp) / "cache"))
        ex = course.items()[0]
        code = (root / "learner-001" / f"{ex.id}.py").read_text()
        grader.grade(ex, code)
        # a learner's pace: long enough for the replacement worker to warm up
        samples = graded_latency(grader, ex, code, max(3, reps // 4), 6.0)
        print(f"  {'tiny exercise graded, learner pace (6 s apart): p50':<60} "
              f"{p(samples, 0.5):7.1f} ms", flush=True)  # fmt: skip
        folders = learner_folders(root)[:3]
        runs = len(folders) * len(course.items())
        started = time.perf_counter()
        grade_batch(course.items(), folders, grader, jobs=1)
        wall = time.perf_counter() - started
        print(f"  {f'class of {len(folders)} x 10 exercises, jobs=1':<60} {runs / wall:7.2f} runs/s"
              "  (grade classes on Linux, on the fork server)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
