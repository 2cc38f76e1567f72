"""Keys at 80x24: every action of the lesson screen is in its footer, on screen, and the help
key works while the code editor has focus (where ``?`` types a ``?``)."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import TextArea
from tui_helpers import LESSONS, make_app, open_store

from tutor.lesson.load import load_course
from tutor.tui.app import TutorApp
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.footer import flow

EXERCISE = """
## Exercise: {title}

```toml exercise
id = "{id}"
hints = ["a hint"]
```

```python solution
import torch

x = torch.tensor(2.0, requires_grad=True)
```

```python check
x.requires_grad  # x records what is done with it
```
"""

LESSON = (
    "---\nid: two\ntitle: Two exercises\n---\n\n# Two exercises\n\nSome text.\n"
    + EXERCISE.format(title="first", id="first")
    + EXERCISE.format(title="second", id="second")
)

# Shown only in some states: escape's other meanings (cancel while a run is in flight,
# unzoom, back to the editor from a panel) instead of Map; of f2's two directions only the
# one that applies (here the work is shown: f2 goes to the text); giving up (predictions).
CONTEXTUAL = {"cancel", "to_work", "unzoom", "to_editor", "give_up"}


def make(folder: Path, store_path: Path) -> TutorApp:
    """The app on a fake engine: these tests run nothing in the sandbox."""
    return make_app([folder], store_path=store_path)


def footer_keys(app) -> list:
    return list(app.screen.query("FooterKey"))


async def settled_footer(pilot) -> list:
    """The footer's keys once it is laid out (it recomposes, after a refresh, whenever the
    keys that apply change)."""
    for _ in range(40):
        await pilot.pause(0.05)
        keys = footer_keys(pilot.app)
        if keys and all(key.region.width for key in keys):
            return keys
    return footer_keys(pilot.app)


async def test_every_lesson_action_is_in_the_footer_at_80x24(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-two.md").write_text(LESSON)
    store_path = tmp_path / "store" / "progress.db"
    course = load_course([folder])
    with open_store(store_path) as store:  # 3 failed checks: the solution can be revealed
        for _ in range(3):
            store.record_attempt(course.item("second"), False, course=course)
    app = make(folder, store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("two", "second")  # the second item: Prev applies too
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and not screen.reading
        assert isinstance(app.focused, TextArea) and app.focused.id == "editor"

        keys = await settled_footer(pilot)
        in_footer = {key.action for key in keys}
        active = {
            b.action for _, b, _, _ in screen.active_bindings.values() if b.show and b.description
        }
        assert active <= in_footer
        described = {b.action for b in LessonScreen.BINDINGS if b.description and b.show}
        assert described - CONTEXTUAL <= in_footer
        assert {"help", "quit"} <= in_footer
        # two lines at most at 80 columns (the palette key gives way first: ctrl+p still works)
        assert app.screen.query_one("KeysFooter").region.height <= 2

        # every key is on screen, none covers another (the palette key docks on the right)
        width, height = app.size
        regions = [key.region for key in keys]
        for key, region in zip(keys, regions, strict=True):
            assert region.width and Region(0, 0, width, height).contains_region(region), key
        for n, region in enumerate(regions):
            assert not any(region.overlaps(other) for other in regions[n + 1 :])
        quit_key = next(key for key in keys if key.action == "quit")
        assert quit_key.description == "Quit" and quit_key.region.right <= width
        help_key = next(key for key in keys if key.action == "help")
        assert help_key.key == "f10"  # ? would type into the editor

        await pilot.press("question_mark")  # a ? in the code, not the help
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and "?" in app.focused.text
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


async def test_prev_and_solution_only_when_they_apply(tmp_path: Path) -> None:
    app = make(LESSONS, tmp_path / "progress.db")
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("basics", "square")  # the first item, no failed check yet
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        actions = {key.action for key in footer_keys(app)}
        assert "prev_item" not in actions and "solution" not in actions
        assert {"run", "check", "panel('repl')", "zoom", "help", "quit"} <= actions
        await pilot.press("ctrl+n")  # the quiz: Prev, and no exercise keys
        await pilot.pause()
        actions = {key.action for key in footer_keys(app)}
        assert "prev_item" in actions and "run" not in actions and "panel('repl')" not in actions


async def test_question_mark_opens_help_outside_the_editor(tmp_path: Path) -> None:
    app = make(LESSONS, tmp_path / "progress.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        help_key = next(key for key in footer_keys(app) if key.action == "help")
        assert help_key.key == "question_mark"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


def test_footer_flow() -> None:
    assert flow([7, 8, 9], 80) == [[0, 1, 2]]  # one line when they fit
    assert flow([7] * 12, 69) == [list(range(8)), [8, 9, 10, 11]]  # 8 keys of 7 + 7 gutters
    assert flow([30, 5, 30], 40) == [[0, 1], [2]]  # each line packed: 30 + 1 + 5
    assert flow([30] * 6, 10) == [[0], [1], [2, 3, 4, 5]]  # at most 3 lines, the rest cut


SHOWN = "".join(f"print({n})\n" for n in range(12))  # twelve lines: the pane is full
LONG_PREDICT = f"""---
id: long
title: A long prediction
---

# A long prediction

## Predict: many lines

```toml predict
id = "many-lines"
hints = ["Each line prints its own number."]
```

```python show
{SHOWN}```
"""


async def test_a_hint_revealed_under_a_long_prediction_is_scrolled_into_view(
    tmp_path: Path,
) -> None:
    """At 80x24 the code and the answer box fill the pane: f1's hint, written under them,
    is scrolled into view instead of being left below the bottom edge."""
    from tutor.tui.widgets.predict import PredictPane

    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-long.md").write_text(LONG_PREDICT)
    app = make(folder, tmp_path / "progress.db")
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("long", "many-lines")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen.query_one(PredictPane)
        hints = pane.query_one("#hints-text")
        await pilot.press("f1")
        await pilot.pause()
        await pilot.pause()
        assert "Each line prints its own number" in str(hints.render())
        assert pane.scroll_offset.y > 0  # it had to scroll to show it
        shown = pane.region
        assert shown.contains_region(hints.region), (shown, hints.region)
        assert app.focused is pane.prediction  # the focus stays in the answer box


async def test_the_map_names_a_locked_lessons_requirement_by_its_number(tmp_path: Path) -> None:
    """The learner never sees lesson ids: "finish lesson 1 first", not "finish basics"."""
    from tutor.tui.screens.map import MapScreen

    app = make(LESSONS, tmp_path / "progress.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        detail = app.screen.query_one("#lesson-detail")
        await pilot.press("down")  # lesson 2, locked until lesson 1 is done
        await pilot.pause()
        text = str(detail.render())
        assert "Locked: finish lesson 1 first." in text, text
        assert "basics" not in text
