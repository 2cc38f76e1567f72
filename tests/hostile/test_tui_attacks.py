"""Every attack of the hostile-code issue, through the TUI's run path (the running app).

Each attack is typed into the exercise's editor of a live :class:`TutorApp` driven by
Textual's pilot, run (ctrl+r) and checked (ctrl+s) on the real sandbox (one warm server per
test module, injected like the app's own engine). For each one the test reads what the
learner sees and what the app stored:

* the output and checks panels show a failing verdict with a plain reason;
* the exercise is not marked passed, no XP is added, and an item passed before is intact;
* no file appeared outside the sandbox's own folder and the lesson folder is unchanged;
* the app is still alive, and the right answer typed next passes in the same app (the
  sandbox restarted when the attack killed it).

Attacks run in a few chains, one app session each (starting an app and opening a lesson is
the slow part), and the attacked lesson's progress is reset between attacks, so each attack
meets a learner who has not passed the exercise yet. Attacks that only burn time run on a copy
of the exercise with a short time limit. A probe shows the UI process never runs the code.

The attack table is shared with the `tutor grade` suite (attacks.py).
"""

from __future__ import annotations

import asyncio
import builtins
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from attacks import ATTACKS, LESSON, RIGHT, attack_code
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

QUICK_TIMEOUT = 2  # seconds: the time limit of the exercise the slow attacks run on
MEMORY_MB = 512  # the sandbox's memory limit in these tests
IDLE_TIMEOUT = 60.0  # seconds a run plus redraw may take on a busy machine

# The shared lesson (exercise "double", 10 s) plus the same exercise with a short time limit.
QUICK = LESSON.split("## Exercise: double it", 1)[1].replace('id = "double"', 'id = "double-quick"')
TUI_LESSON = (
    LESSON
    + "\n## Exercise: double it, quickly"
    + QUICK.replace("timeout = 10", f"timeout = {QUICK_TIMEOUT}")
)
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
LESSON_MARKERS = ("allclose holds", "title: Hostile", "toml exercise")  # lesson-only text


@dataclass(frozen=True)
class Expect:
    """What the learner must be shown for one attack."""

    status: str  # the check's verdict: the shared table's expected status
    reason: str  # a plain reason, shown by the run (ctrl+r) and by the check (ctrl+s)
    exercise: str = "double"
    counts: bool = True  # whether the check counts as an attempt (a lost run does not)


SANDBOX = "the sandbox does not allow"
TAMPER = "tutor cannot trust checks after torch or builtins are replaced"
REASONS: dict[str, str] = {
    "busy-loop": f"still running after {QUICK_TIMEOUT:g} s (the time limit)",
    "sleep": f"still running after {QUICK_TIMEOUT:g} s (the time limit)",
    "input": "EOFError",
    "memory-bomb": f"ran out of memory (the limit is {MEMORY_MB} MiB)",
    "segfault": "crashed with SIGSEGV",
    "sys-exit": "the code called exit(0); remove it",
    "os-exit": "ended the process itself",
    "raise-systemexit": "the code called exit(None); remove it",
    "keyboard-interrupt": "KeyboardInterrupt raised by the code",
    "recursion": "RecursionError: maximum recursion depth exceeded",
    "flood": "(output cut)",  # a right answer that prints 200k lines: it passes, output capped
    "write-outside": f"{SANDBOX} writing to",
    "torch-save-outside": f"{SANDBOX} writing to",
    "os-system": f"{SANDBOX} starting other processes",
    "subprocess": f"{SANDBOX} starting other processes",
    "fork": f"{SANDBOX} starting other processes",
    "multiprocessing": f"{SANDBOX} starting other processes",
    "network": f"{SANDBOX} network access",
    "read-parent-cmdline": f"{SANDBOX} looking at other processes",
    "read-lessons-env": f"{SANDBOX} reading lesson files",
    "kill-parent": f"{SANDBOX} signalling other processes",
    "patch-allclose": f"the code changed torch.allclose: {TAMPER}",
    "patch-tensor": f"the code changed torch.Tensor.__eq__: {TAMPER}",
    "patch-builtins": f"the code changed builtins.isinstance: {TAMPER}",
    "patch-sys-modules": f"the code changed sys.modules['torch']: {TAMPER}",
    "replace-function-apply": f"the code changed torch.autograd.Function.apply: {TAMPER}",
    "forge-by-print": '{"status": "pass", "score": 10}',  # only ever shown as printed text
}
SLOW = {"busy-loop", "sleep"}
EXPECT = {
    name: Expect(status, REASONS[name], "double-quick" if name in SLOW else "double")
    for name, (_, status) in ATTACKS.items()
    if name != "control"  # every attack is followed by the right answer anyway
}
# Beyond the shared table: native code, which the audit hook cannot see, kills the sandbox
# server itself. The run is lost (not counted against the learner); the server restarts.
KILL_SERVER = "kill-server-natively"
KILL_SERVER_CODE = (
    RIGHT + "import ctypes, os, signal\nctypes.CDLL(None).kill(os.getppid(), signal.SIGKILL)\n"
)
EXPECT[KILL_SERVER] = Expect("error", "the sandbox server stopped during the run", counts=False)
WORDS = {"pass": "✔ PASSED", "fail": "✘ NOT YET", "error": "✘ ERROR", "timeout": "✘ TIMED OUT"}

CHAINS = {  # one app session each
    "crash": ["segfault", "os-exit", "memory-bomb", KILL_SERVER],
    "slow": ["flood", "busy-loop", "sleep"],  # the last two on the quick exercise
    "exit": ["sys-exit", "raise-systemexit", "keyboard-interrupt", "recursion", "input"],
    "files": ["write-outside", "torch-save-outside", "os-system"],
    "processes": ["subprocess", "fork", "multiprocessing", "network"],
    "secrets": ["read-parent-cmdline", "read-lessons-env", "kill-parent"],
    "tamper": [
        "patch-allclose",
        "patch-tensor",
        "patch-builtins",
        "patch-sys-modules",
        "replace-function-apply",
        "forge-by-print",
    ],
}

# A probe that would leave a file in the app's own folder if the app ran it in-process.
PROBE = (
    "import os\nopen('canary.txt', 'w').write('ran here')\n"
    "print('pid', os.getpid(), 'ppid', os.getppid(), 'cwd', os.getcwd())\n" + RIGHT
)
_REAL_ISINSTANCE = builtins.isinstance


# -- fixtures ------------------------------------------------------------------------------


@dataclass
class World:
    lessons: Path
    lesson_file: Path
    outside: Path  # attacks aim here; it must stay empty
    snapshot: dict[str, bytes]  # the lesson folder as it was
    engine: object


def folder_contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The lessons, the watched folder and one warm sandbox for the module."""
    from tutor.grading.factory import open_grader
    from tutor.tui.engine import SandboxEngine

    tmp = tmp_path_factory.mktemp("tui-hostile")
    lessons, outside = tmp / "lessons", tmp / "outside"
    lessons.mkdir()
    outside.mkdir()
    (lessons / "00-warm.md").write_text(WARM_LESSON)
    lesson_file = lessons / "01-hostile.md"
    lesson_file.write_text(TUI_LESSON)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TUTOR_DATA_DIR", str(tmp / "data"))
        mp.setenv("TUTOR_CACHE_DIR", str(tmp / "cache"))
        mp.setenv("TUTOR_LESSONS", str(lessons))  # what the read-lessons-env attack looks for
        # SandboxEngine.open as the app calls it, but with a lower memory limit (the app's is
        # 2 GiB, which a memory bomb can take many seconds to fill on a slow machine)
        grader, pool = open_grader([lessons], jobs=1, memory_mb=MEMORY_MB)
        engine = SandboxEngine(grader, pool)
        engine.start()
        try:
            yield World(lessons, lesson_file, outside, folder_contents(lessons), engine)
        finally:
            engine.close()


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


async def one_attack(pilot, world: World, ui_cwd: Path, attack: str) -> None:
    """Run, check, then answer right: what the learner sees and what the app stores."""
    app, expect = pilot.app, EXPECT[attack]
    code = (
        KILL_SERVER_CODE
        if attack == KILL_SERVER
        else attack_code(attack, world.outside, world.lesson_file)
    )
    await open_exercise(pilot, expect.exercise)
    store = app.store
    store.reset("hostile")  # a learner who has not passed the exercise yet
    warm, xp_before = store.item_state("warm-up"), store.totals().xp
    assert warm.passed and xp_before == warm.xp > 0, attack
    server = world.engine.pool.server
    restarts = server.restarts

    # ctrl+r: a plain run says what broke, in plain words (killing the server once is enough)
    if attack != KILL_SERVER:
        shown = await submit(pilot, code, "ctrl+r")
        assert_alive(app)
        assert expect.reason in shown, (attack, shown)
        first = verdict(shown)
        if expect.status in ("pass", "fail"):  # the code itself runs to its end
            assert first.startswith("✔ ran in"), (attack, shown)
        elif expect.status == "timeout":
            assert first.startswith("✘ TIMED OUT"), (attack, shown)
        else:
            assert first.startswith("✘"), (attack, shown)
        assert store.item_state(expect.exercise).attempts == 0, attack  # a run is no attempt
        assert_nothing_escaped(world, ui_cwd)

    # ctrl+s: the verdict, and the store records no pass and no XP
    shown = await submit(pilot, code, "ctrl+s")
    assert_alive(app)
    assert verdict(shown).startswith(WORDS[expect.status]), (attack, shown)
    if expect.status == "fail":
        assert "2 of 2 checks differ" in shown and "✘ y  # twice x" in shown, (attack, shown)
        assert expect.reason in printed(shown), (attack, shown)
    else:
        assert expect.reason in shown, (attack, shown)
    state = store.item_state(expect.exercise)
    assert state.attempts == (1 if expect.counts else 0), attack
    if expect.status == "pass":  # the flood: a right answer with a lot of output
        assert state.passed and state.xp > 0 and f"+{state.xp} XP" in shown, (attack, shown)
        assert "spam 199999" not in shown and len(shown) < 10_000, attack
    else:
        assert "PASSED" not in shown and "XP" not in shown, (attack, shown)
        assert not state.passed and state.xp == 0, attack
    assert store.totals().xp == xp_before + state.xp, attack
    assert store.item_state("warm-up") == warm, attack
    assert_nothing_escaped(world, ui_cwd)
    if attack == KILL_SERVER:
        assert not world.engine.ready  # it really was killed...
    if attack == "read-lessons-env":  # neither the lesson file nor TUTOR_LESSONS got through
        assert printed(shown) == "None", shown
        assert not any(marker in shown for marker in LESSON_MARKERS), shown

    # the right answer, next, passes in the same app
    shown = await submit(pilot, RIGHT, "ctrl+s", timeout=150)
    assert_alive(app)
    assert verdict(shown) == "✔ PASSED  all 2 checks match", (attack, shown)
    if attack == KILL_SERVER:
        assert server.restarts == restarts + 1  # ...and was started again for this check
    after = store.item_state(expect.exercise)
    assert after.passed and after.attempts == state.attempts + 1, attack
    assert store.totals().xp == xp_before + after.xp, attack
    if expect.status != "pass":
        assert after.xp > 0 and f"+{after.xp} XP" in shown, (attack, shown)
    assert store.item_state("warm-up") == warm, attack


@pytest.mark.parametrize("chain", list(CHAINS))
async def test_attacks_through_the_app(chain: str, world: World, store_path: Path, ui_cwd: Path):
    app = make_app(world, store_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for attack in CHAINS[chain]:
            await one_attack(pilot, world, ui_cwd, attack)
        assert_alive(app)
    with ProgressStore(store_path) as store:  # what the app left on disk
        warm = store.item_state("warm-up")
        assert warm.passed and store.totals().xp == warm.xp + sum(
            store.item_state(ex).xp for ex in ("double", "double-quick")
        )
    assert_nothing_escaped(world, ui_cwd)


def test_every_attack_is_in_a_chain() -> None:
    chained = [attack for chain in CHAINS.values() for attack in chain]
    assert sorted(chained) == sorted(EXPECT) == sorted([*(set(ATTACKS) - {"control"}), KILL_SERVER])


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
    assert f"SandboxViolation: {SANDBOX} reading lesson" in repl, repl
    assert not any(marker in repl for marker in LESSON_MARKERS), repl
    for text in (ran, checked):
        found = re.search(r"pid (\d+) ppid (\d+) cwd (\S+)", printed(text))
        assert found, text
        pid, ppid, cwd = int(found[1]), int(found[2]), Path(found[3])
        assert os.getpid() not in (pid, ppid)  # the sandbox's server stands in between
        assert cwd != ui_cwd and ui_cwd not in cwd.parents
        deadline = time.monotonic() + 10
        while cwd.exists() and time.monotonic() < deadline:  # removed once the run is reaped
            await asyncio.sleep(0.05)
        assert not cwd.exists()
    assert not (ui_cwd / "canary.txt").exists()
    assert_nothing_escaped(world, ui_cwd)
