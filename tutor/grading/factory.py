"""Build a grader wired to a sandbox pool, with the lesson folders kept out of the sandbox."""

from __future__ import annotations

from pathlib import Path

from tutor.grading.cache import ReferenceCache
from tutor.grading.grader import Grader
from tutor.lesson.load import builtin_lessons_dir
from tutor.sandbox.client import SandboxPool
from tutor.sandbox.isolate import bwrap_wrapper


def secret_paths(lesson_dirs: list[Path], cache: ReferenceCache) -> list[str]:
    """Paths learner code may not read: lesson files (solutions) and cached reference values."""
    paths = {builtin_lessons_dir(), cache.folder, *lesson_dirs}
    return sorted(str(Path(p).resolve()) for p in paths)


def open_grader(
    lesson_dirs: list[Path],
    jobs: int = 1,
    memory_mb: int = 2048,
    extra_seed_count: int = 0,
    seed_salt: str = "",
    use_cache: bool = True,
    isolate: bool = False,
) -> tuple[Grader, SandboxPool]:
    """A grader and its (not yet started) pool; ``isolate`` wraps the server in bubblewrap
    (raises ``IsolationUnavailable`` when it is not installed)."""
    cache = ReferenceCache(enabled=use_cache)
    secrets = secret_paths(lesson_dirs, cache)
    wrapper = bwrap_wrapper(secrets) if isolate else None
    pool = SandboxPool(jobs, secrets=secrets, wrapper=wrapper)
    grader = Grader(pool, cache, memory_mb, extra_seed_count, seed_salt)
    return grader, pool
