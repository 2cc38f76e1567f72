"""The issue's classes of attack through the TUI's run path (the running app).

Each attack is typed into the exercise's editor of a live :class:`TutorApp` driven by
Textual's pilot, run (ctrl+r) and checked (ctrl+s) on the real sandbox (one warm server per
test module, injected like the app's own engine). For each one the test reads what the
learner sees and what the app stored:

* the output and checks panels show a failing verdict with a plain reason;
* the exercise is not marked passed, no XP is added, and an item passed before is intact;
* no file appeared outside the sandbox's own folder and the lesson folder is unchanged;
* the app is still alive, and the right answer typed next passes in the same app (the
  sandbox restarted when the attack killed it).

Attacks run in four chains, one app session each (starting an app and opening a lesson is
the slow part): every class of the issue at least once, not the whole table (the grade suites
run all of it). The attacked lesson's progress is reset between attacks, so each attack meets
a learner who has not passed the exercise yet; a chain reports every attack that broke, not
only the first. The app grades like the game does: no hidden seeds. A probe shows the UI
process never runs the code. The learner sandbox is ``engine.pool.learner``; references run
on ``engine.pool.reference``.

The attack table is shared with the `tutor grade` suites (attacks.py).
"""

from __future__ import annotations

import asyncio
import builtins
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from attacks import ATTACKS, LESSON, LESSON_MARKERS, RIGHT, folder_contents, render
from textual.widgets import TextArea
from tui_helpers import make_app as build_app
from tui_helpers import wait_idle

from tutor.lesson.load import load_course
from tutor.progress import ProgressStore
from tutor.tui.app import TutorApp
from tutor.tui.game import local_now
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.run_status import RunStatus

MEMORY_MB = 512  # the sandbox's memory limit in these tests
IDLE_TIMEOUT = 60.0  # seconds a run plus redraw may take on a busy machine

# Another lesson, passed before the attacks: its progress must survive them.
WARM_LESSON = """---
id: warm
title: Warm up
---

## Quiz: warm up

```toml quiz
id = "warm-up"
question = "Which tensor holds the gradient of w?"
choices = ["w.grad", "w.data"]
answer = 1
points = 5
```
"""
WORDS = {"pass": "✔ PASSED", "fail": "✘ NOT YET", "error": "✘ ERROR", "timeout": "✘ TIMED OUT"}
ALL_CHECKS = {ex: f"✔ PASSED  all {n} check" for ex, n in
              {"double": 2, "quick": 1, "raises": 1, "traced": 3, "absval": 1, "absmethod": 1,
               "module": 1, "fell": 3, "fit": 2}.items()}  # fmt: skip

# Native code kills the learner server: the run is lost (not counted), the server restarts.
KILL_SERVER = "kill-server-natively"
KILL_SERVER_CODE = (
    RIGHT["double"]
    + "import os, signal\nos.pidfd_open(os.getppid())\nos.kill(os.getppid(), signal.SIGKILL)\n"
)

# One app session each (starting an app and opening a lesson is the slow part): each class
# of the issue at least once, the known holes among them (they fail here as everywhere).
CHAINS = {
    "escapes-reference": ["write-outside", "read-lesson", "proc-itself", "scan-memory",
                          "run-the-reference"],
    "others": ["pidfd-kill-family", "poison-cache", "deep-frame-100k", "progress-flood",
               "memory-bomb"],
    "checks": ["settrace-flip", "forged-frame-no-exit", "trace-pop-mode", "tamper-baseline",
               "subclass-liar"],
    "grader-real": ["nasty-output", "stdout-buffer", "dataloader-workers", "busy-loop",
                    "segfault"],
}  # fmt: skip
SESSIONS = list(CHAINS)
# The app streams the watched list back while the code runs (a live loss plot): a progress
# flood makes drawing it the bottleneck, and the run may reach its time limit. It costs the
# learner's own run only, and it never passes.
APP_STATUS = {"progress-flood": ("fail", "timeout")}
_REAL_ISINSTANCE = builtins.isinstance
# A probe that would leave a file in the app's own folder if the app ran it in-process.
PROBE = (
    "import os\nopen('canary.txt', 'w').write('ran here')\n"
    "print('pid', os.getpid(), 'ppid', os.getppid(), 'cwd', os.getcwd())\n" + RIGHT["double"]
)


# -- fixtures ------------------------------------------------------------------------------


@dataclass
class World:
    lessons: Path
    lesson_file: Path
    outside: Path  # attacks aim here; it must stay empty
    snapshot: dict[str, bytes]  # the lesson folder as it was
    engine: object
    cache: Path
    orphan_id: int = 0


def make_world(tmp: Path, isolate: bool = False) -> Iterator[World]:
    """The lessons, the watched folder and one warm sandbox (under bubblewrap: isolate)."""
    from tutor.grading.factory import open_grader
    from tutor.tui.engine import SandboxEngine

    lessons, outside = tmp / "lessons", tmp / "outside"
    lessons.mkdir()
    outside.mkdir()
    (lessons / "00-warm.md").write_text(WARM_LESSON)
    lesson_file = lessons / "01-hostile.md"
    lesson_file.write_text(LESSON)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TUTOR_DATA_DIR", str(tmp / "data"))
        mp.setenv("TUTOR_CACHE_DIR", str(tmp / "cache"))
        mp.setenv("TUTOR_LESSONS", str(lessons))  # what the read-lessons-env attack looks for
        # SandboxEngine.open as the app calls it, but with a lower memory limit (the app's is
        # 2 GiB, which a memory bomb can take many seconds to fill on a slow machine)
        grader, pool = open_grader([lessons], jobs=1, memory_mb=MEMORY_MB, isolate=isolate)
        engine = SandboxEngine(grader, pool)
        engine.start()
        try:
            yield World(lessons, lesson_file, outside, folder_contents(lessons), engine,
                        tmp / "cache")  # fmt: skip
        finally:
            engine.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from make_world(tmp_path_factory.mktemp("tui-hostile"))


@pytest.fixture(scope="module")
def isolated_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    yield from make_world(tmp_path_factory.mktemp("tui-isolated"), isolate=True)


@pytest.fixture
def ui_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's working folder: code run in the UI process would write here."""
    folder = tmp_path / "ui-cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def store_path(tmp_path: Path, world: World) -> Path:
    """A progress store where the learner already passed the warm-up quiz."""
    path = tmp_path / "store" / "progress.db"
    course = load_course([world.lessons])
    with ProgressStore(path) as store:
        store.record_attempt(course.item("warm-up"), True, course=course)
    return path


def make_app(world: World, store_path: Path) -> TutorApp:
    """The TUI tests' one app factory, on this module's sandbox and the real clock."""
    return build_app([world.lessons], store_path=store_path, engine=world.engine, clock=local_now)


# -- helpers -------------------------------------------------------------------------------


def panel_text(app: TutorApp, panel: str) -> str:
    return app.screen.query_one(ExercisePane).query_one(f"#{panel}-view").plain()


def verdict(text: str) -> str:
    """The verdict line of a panel (an award line may come before it)."""
    return next((ln for ln in text.splitlines() if ln[:1] in ("✔", "✘")), "")


def printed(text: str) -> str:
    """The part of a panel under its ``printed:`` line ('' when nothing was printed)."""
    return text.split("printed:\n", 1)[1].strip() if "printed:\n" in text else ""


async def open_exercise(pilot, exercise: str) -> None:
    app = pilot.app
    if isinstance(app.screen, LessonScreen) and app.screen.item.id == exercise:
        return
    app.open_lesson("hostile", exercise)
    await pilot.pause()
    await wait_idle(pilot, IDLE_TIMEOUT)
    assert isinstance(app.screen, LessonScreen) and app.screen.item.id == exercise


async def submit(pilot, code: str, key: str, timeout: float = 60.0) -> str:
    """Put ``code`` in the editor, press ``key`` (ctrl+r / ctrl+s), return the panel's text."""
    app = pilot.app
    app.screen.query_one("#editor", TextArea).text = code
    await pilot.press(key)
    await wait_idle(pilot, timeout)
    return panel_text(app, "output" if key == "ctrl+r" else "checks")


def assert_alive(app: TutorApp) -> None:
    """The app still runs, on the lesson, idle, and no worker blew up."""
    assert app.return_code is None and isinstance(app.screen, LessonScreen)
    assert not app.screen.query_one(RunStatus).busy
    failed = [n for n in app._notifications if n.title == "Could not run"]
    assert not failed, [n.message for n in failed]


def assert_nothing_escaped(world: World, ui_cwd: Path) -> None:
    assert sorted(world.outside.iterdir()) == []
    assert folder_contents(world.lessons) == world.snapshot
    assert sorted(ui_cwd.iterdir()) == []
    # nothing the attacks do to their own interpreter happened to this one
    assert builtins.isinstance is _REAL_ISINSTANCE
    assert "torch" not in sys.modules or sys.modules["torch"] is not None


# -- the attacks ---------------------------------------------------------------------------


async def one_attack(pilot, world: World, ui_cwd: Path, attack: str) -> list[str]:
    """Run, check, then answer right: what the learner sees and what the app stores.
    Returns what went wrong (so one session reports every broken attack of its chain)."""
    app = pilot.app
    if attack == KILL_SERVER:
        exercise, code, status = "double", KILL_SERVER_CODE, "error"
    else:
        spec = ATTACKS[attack]
        exercise, code, status = spec.exercise, render(attack, world), spec.status
    problems: list[str] = []
    await open_exercise(pilot, exercise)
    store = app.store
    store.reset("hostile")  # a learner who has not passed the exercise yet
    warm, xp_before = store.item_state("warm-up"), store.totals().xp
    assert warm.passed and xp_before == warm.xp > 0, attack

    # ctrl+r: a plain run (for the attacks on the boundary: a check adds nothing to those
    # that rewrite checks); the app survives it and nothing escapes
    classes = ATTACKS[attack].classes if attack in ATTACKS else ("others",)
    if {"escapes", "reference", "others"} & set(classes):
        shown = await submit(pilot, code, "ctrl+r")
        assert_alive(app)
        assert store.item_state(exercise).attempts == 0, attack  # a run is no attempt
        assert_nothing_escaped(world, ui_cwd)
        assert not any(marker in shown for marker in LESSON_MARKERS), (attack, shown)

    # ctrl+s: the verdict, and the store records no pass and no XP for a wrong answer
    shown = await submit(pilot, code, "ctrl+s")
    assert_alive(app)
    allowed = [WORDS[s] for s in APP_STATUS.get(attack, (status,))]
    if not verdict(shown).startswith(tuple(allowed)):
        problems.append(f"{attack}: expected {allowed[0]!r}, the app showed {verdict(shown)!r}")
    state = store.item_state(exercise)
    if status != "pass" and (state.passed or state.xp):
        problems.append(f"{attack}: a wrong answer was stored as passed ({state.xp} XP)")
    assert store.item_state("warm-up") == warm, attack
    assert_nothing_escaped(world, ui_cwd)
    assert not any(marker in shown for marker in LESSON_MARKERS), (attack, shown)

    # the right answer, next, passes in the same app
    store.reset("hostile")
    shown = await submit(pilot, RIGHT[exercise], "ctrl+s", timeout=150)
    assert_alive(app)
    assert verdict(shown).startswith(ALL_CHECKS[exercise]), (attack, shown)
    after = store.item_state(exercise)
    assert after.passed and after.xp > 0, attack
    assert store.item_state("warm-up") == warm, attack
    return problems


async def test_attacks_through_the_isolated_app(
    isolated_world: World, tmp_path: Path, ui_cwd: Path
) -> None:
    """The learner sandbox under bubblewrap (open_grader(isolate=True)), as ``--isolate``."""
    world = isolated_world
    path = tmp_path / "store" / "progress.db"
    with ProgressStore(path) as store:
        store.record_attempt(load_course([world.lessons]).item("warm-up"), True,
                             course=load_course([world.lessons]))  # fmt: skip
    app = make_app(world, path)
    problems: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for attack in ["write-outside", "listdir-fd", "scan-memory", "pidfd-kill-family"]:
            problems += await one_attack(pilot, world, ui_cwd, attack)
        assert_alive(app)
    assert_nothing_escaped(world, ui_cwd)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chain", SESSIONS)
async def test_attacks_through_the_app(chain: str, world: World, store_path: Path, ui_cwd: Path):
    app = make_app(world, store_path)
    problems: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for attack in CHAINS[chain]:
            problems += await one_attack(pilot, world, ui_cwd, attack)
        assert_alive(app)
    with ProgressStore(store_path) as store:  # what the app left on disk
        assert store.item_state("warm-up").passed
    assert_nothing_escaped(world, ui_cwd)
    assert not problems, "\n".join(problems)


async def test_native_kill_of_the_server_costs_one_run(world: World, store_path: Path,
                                                       ui_cwd: Path) -> None:  # fmt: skip
    """Refused at the kernel (pidfd_open) as at the hook (kill): the learner server lives
    (on the spawn backend the run's parent is the app itself, which lives too)."""
    app = make_app(world, store_path)
    async with app.run_test(size=(120, 40)) as pilot:
        server = getattr(world.engine.pool.learner, "server", None)  # None: the spawn pool
        restarts = server.restarts if server is not None else 0
        assert await one_attack(pilot, world, ui_cwd, KILL_SERVER) == []
        if server is not None:
            assert server.restarts == restarts  # it was never killed
        deadline = time.monotonic() + 60  # a spawn pool warms the next worker meanwhile
        while not world.engine.ready and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert world.engine.ready


def test_every_class_is_in_a_chain() -> None:
    chained = {attack for chain in CHAINS.values() for attack in chain}
    classes = {c for name in chained for c in ATTACKS[name].classes}
    assert {"escapes", "reference", "others", "checks", "grader", "real"} <= classes


async def test_the_app_never_runs_code_in_its_own_process(
    world: World, store_path: Path, ui_cwd: Path
):
    """A probe may write in its own folder: the file lands in the sandbox's folder (gone
    after the run), and the probe reports a process that is neither the app nor its child.
    The REPL runs in the sandbox too: it cannot read the lesson file either."""
    app = make_app(world, store_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_exercise(pilot, "double")
        ran = await submit(pilot, PROBE, "ctrl+r")
        assert verdict(ran).startswith("✔ ran in"), ran
        checked = await submit(pilot, PROBE, "ctrl+s")
        assert verdict(checked).startswith("✔ PASSED"), checked
        await pilot.press("f3")
        await pilot.pause()
        line = f"open({str(world.lesson_file)!r}).read()"
        app.screen.query_one("#repl-input").value = line
        await pilot.press("enter")
        await wait_idle(pilot, IDLE_TIMEOUT)
        repl = "".join(str(s.text) for s in app.screen.query_one("#repl-log").lines)
    assert "SandboxViolation" in repl or "PermissionError" in repl, repl
    assert not any(marker in repl for marker in LESSON_MARKERS), repl
    for text in (ran, checked):
        found = re.search(r"pid (\d+) ppid (\d+) cwd (\S+)", printed(text))
        assert found, text
        pid, ppid, cwd = int(found[1]), int(found[2]), Path(found[3])
        assert pid != os.getpid()
        if os.environ.get("TUTOR_SANDBOX") != "spawn":
            assert ppid != os.getpid()  # the fork server stands in between
        assert cwd != ui_cwd and ui_cwd not in cwd.parents
        deadline = time.monotonic() + 10
        while cwd.exists() and time.monotonic() < deadline:  # removed once the run is reaped
            await asyncio.sleep(0.05)
        assert not cwd.exists()
    assert not (ui_cwd / "canary.txt").exists()
    assert_nothing_escaped(world, ui_cwd)
