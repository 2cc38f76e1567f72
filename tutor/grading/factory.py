"""Build a grader wired to two sandboxes: one for learners' code, one for reference solutions.

References never run where learner code runs (contract 6, version 1.1): they get a sandbox
of their own, started when the first reference is not in the cache. Lesson folders, the
reference cache and the progress folder are kept out of both.
"""

from __future__ import annotations

from pathlib import Path

from tutor import paths as tutor_paths
from tutor.grading.cache import ReferenceCache
from tutor.grading.grader import Grader
from tutor.lesson.load import builtin_lessons_dir
from tutor.sandbox.backend import Sandbox, open_sandbox
from tutor.sandbox.isolate import bwrap_wrapper


def secret_paths(lesson_dirs: list[Path], cache: ReferenceCache) -> list[str]:
    """Paths learner code may not read: lesson files (solutions), cached reference values,
    and tutor's own data (progress)."""
    data = tutor_paths.data_dir()  # TUTOR_DATA_DIR when set: where the progress really is
    paths = {builtin_lessons_dir(), cache.folder, data, *lesson_dirs}
    return sorted(str(Path(p).expanduser().resolve()) for p in paths)


class Sandboxes:
    """The learner sandbox and the reference sandbox of one grader, closed together."""

    def __init__(self, learner: Sandbox, reference: Sandbox) -> None:
        self.learner = learner
        self.reference = reference

    @property
    def servers(self) -> list:
        return [*getattr(self.learner, "servers", []), *getattr(self.reference, "servers", [])]

    @property
    def ready(self) -> bool:
        return bool(self.learner.ready)

    def run(self, job, on_progress=None):
        """A run on the learner sandbox (the TUI's ``run``, which checks nothing)."""
        return self.learner.run(job, on_progress)

    def start_background(self, reference: bool = True) -> None:
        self.learner.start_background()
        if reference:
            self.reference.start_background()

    def kill(self) -> None:
        """Cancel what runs on the learner sandbox (the reference one keeps its cache work)."""
        self.learner.kill()

    def close(self) -> None:
        self.learner.close()
        self.reference.close()

    def __enter__(self) -> Sandboxes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_grader(
    lesson_dirs: list[Path],
    jobs: int = 1,
    memory_mb: int = 2048,
    extra_seed_count: int = 0,
    seed_salt: str = "",
    use_cache: bool = True,
    isolate: bool = False,
) -> tuple[Grader, Sandboxes]:
    """A grader and its (not yet started) sandboxes; ``isolate`` wraps the learner sandbox in
    bubblewrap (raises ``IsolationUnavailable`` when it is not installed)."""
    cache = ReferenceCache(enabled=use_cache)
    secrets = secret_paths(lesson_dirs, cache)
    wrapper = bwrap_wrapper(secrets) if isolate else None
    learner = open_sandbox(jobs, secrets=secrets, wrapper=wrapper)
    reference = open_sandbox(max(1, min(jobs, 2)), secrets=secrets, warm=1)
    flags = ("isolated",) if isolate else ()
    grader = Grader(
        learner,
        cache,
        memory_mb,
        extra_seed_count,
        seed_salt,
        ref_runner=reference,
        flags=flags,
    )
    return grader, Sandboxes(learner, reference)
