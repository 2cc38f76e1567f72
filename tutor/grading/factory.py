"""Build a grader wired to a sandbox pool, with the lesson folders kept out of the sandbox."""

from __future__ import annotations

from pathlib import Path

from tutor.grading.cache import ReferenceCache
from tutor.grading.grader import Grader
from tutor.lesson.load import builtin_lessons_dir
from tutor.sandbox.client import SandboxPool


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
    wrapper: list[str] | None = None,
) -> tuple[Grader, SandboxPool]:
    cache = ReferenceCache(enabled=use_cache)
    pool = SandboxPool(jobs, secrets=secret_paths(lesson_dirs, cache), wrapper=wrapper)
    grader = Grader(pool, cache, memory_mb, extra_seed_count, seed_salt)
    return grader, pool
