"""What answers say, on the real sandbox: a wrong prediction costs the attempt and does not
show the output (giving up shows it, for no XP); a wrong quiz answer says which tries are left
and explains after the last one; the REPL suggests what the run really has; the graph picks a
tensor from inside a loop; the loss plot shows a long run whole, on a log scale, and a NaN or
a crash as what it had."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import open_store, panel_text, plain, screen_text, wait_idle

from tutor.tui.screens.dialogs import ConfirmScreen
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.loss import LossView
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.repl import Repl

TRAINING = """---
id: training
title: Training for long
---

# Training for long

## Exercise: train

```toml exercise
id = "long-train"
points = 10
hints = ["a", "b"]
timeout = 20
```

```python starter
losses = []
```

```python solution
import torch
w = torch.tensor(0.0, requires_grad=True)
losses = []
for step in range(40000):
    loss = (w - 3) ** 2 + 1e-6
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
        w.grad.zero_()
```

```python check
w  # the trained weight
```
"""


async def test_a_wrong_prediction_hides_the_output_until_you_give_up(
    make_app, store_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("basics", "leaf-predict")
        await pilot.pause()
        await wait_idle(pilot)
        await pilot.press(*"False False", "ctrl+s")
        await wait_idle(pilot)
        result = plain(app.screen.query_one(PredictPane).verdict)
        assert "that is not what it prints" in result
        assert "True False" not in result and "really prints" not in result
        assert "f8 gives up" in result
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_idle(pilot)
        result = plain(app.screen.query_one(PredictPane).verdict)
        assert "The code prints:" in result and "True False" in result
        app.screen.query_one("#prediction").text = "True False"  # typed back in
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "PASSED" in plain(app.screen.query_one(PredictPane).verdict)
    with open_store(store_path) as store:
        state = store.item_state("leaf-predict")
        assert state.passed and state.solution_revealed and state.xp == 0 and state.attempts == 2


async def test_a_wrong_quiz_answer_explains_after_the_last_try(make_app, store_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("basics", "leaf-quiz")
        await pilot.pause()
        await wait_idle(pilot)
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "1. y: not this one." in text and "1 more try before the answer is shown" in text
        assert "x is created by you" not in text
        await pilot.press("1")  # the same wrong choice again: said, not counted
        await pilot.pause()
        assert "You already tried 1" in screen_text(app)
        await pilot.press("3")  # the last try
        await pilot.pause()
        text = screen_text(app)
        assert "The answer is 2: x" in text and "x is created by you" in text
        assert "no XP" in text
        await pilot.press("2")
        await pilot.pause()
        assert "right answer" in screen_text(app)
    with open_store(store_path) as store:
        state = store.item_state("leaf-quiz")
        assert state.passed and state.xp == 0 and state.attempts == 3


async def test_repl_suggests_the_names_the_run_has(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("basics", "square")
        await pilot.pause()
        await wait_idle(pilot)
        code = "import torch\nq = torch.ones(2, requires_grad=True)\n"
        app.screen.query_one("#editor").text = code
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        await pilot.press("f3")
        await pilot.pause()
        log = "\n".join(str(s.text) for s in app.screen.query_one("#repl-log").lines)
        assert "q (leaf tensor that requires grad)" in log and "Try: q.grad" in log
        assert "w.grad" not in log  # no example names the code does not have
        suggester = app.screen.query_one(Repl).query_one("#repl-input").suggester
        assert "q.grad" in suggester._suggestions
        await pilot.press("q", ".", "g", "right", "enter")  # → completes the suggestion
        await wait_idle(pilot)
        log = "\n".join(str(s.text) for s in app.screen.query_one("#repl-log").lines)
        assert ">>> q.grad" in log


async def test_the_graph_picks_a_tensor_made_in_a_loop(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-loop.md").write_text(
        TRAINING.replace("range(40000)", "range(3)").replace("long-train", "loop-train")
    )
    app = make_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("training")
        await pilot.pause()
        await wait_idle(pilot)
        graph = app.screen.query_one(GraphView)
        assert graph.expr == "loss"  # bound inside the loop; `losses` (a list) is skipped
        app.screen.query_one("#editor").text = (
            "import torch\nw = torch.ones(1, requires_grad=True)\nfor i in range(2):\n"
            "    out = (w * i).sum()\nlosses = [1.0]\n"
        )
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        assert graph.expr == "out"  # the run had no `loss`: a tensor it really made
        await pilot.press("f4")
        await wait_idle(pilot)
        assert "SumBackward0" in str(app.screen.query_one("#graph-tree").root.children[0].label)


async def test_a_long_run_is_plotted_whole_and_on_a_log_scale(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-long.md").write_text(TRAINING)
    app = make_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("training")
        await pilot.pause()
        await wait_idle(pilot)
        solution = app.course.item("long-train").solution
        app.screen.query_one("#editor").text = solution
        await pilot.press("ctrl+r")
        await wait_idle(pilot, 90)
        view = app.screen.query_one(LossView)
        assert view.total == 40000 and len(view.values) == 150
        assert view.steps[0] == 0 and view.steps[-1] == 39999
        note = str(view.query_one("#loss-note").render())
        assert "loss over 40,000 steps" in note and "(log scale)" in note
        await pilot.press("f5", "f9")
        await pilot.pause()
        plot = screen_text(app)
        assert "40000" in plot.replace(",", "") or "4.0e+04" in plot or "40k" in plot.lower()


async def test_a_nan_loss_and_a_crash_show_what_they_had(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-long.md").write_text(TRAINING.replace("timeout = 20", "timeout = 2"))
    app = make_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("training")
        await pilot.pause()
        await wait_idle(pilot)
        editor = app.screen.query_one("#editor")
        editor.text = "losses = [4.0, 2.0, float('nan'), float('inf'), 1.0]\n"
        await pilot.press("ctrl+r")
        await wait_idle(pilot)
        view = app.screen.query_one(LossView)
        assert view.values == [4.0, 2.0, None, None, 1.0]
        assert "NaN or infinite from step 3" in str(view.query_one("#loss-note").render())
        editor.text = (
            "import time\nlosses = []\nfor i in range(100000):\n"
            "    losses.append(1.0 / (i + 1))\n    time.sleep(0.001)\n"
        )
        await pilot.press("ctrl+r")
        await wait_idle(pilot, 60)
        assert "TIMED OUT" in panel_text(app, "output")
        note = str(view.query_one("#loss-note").render())
        assert "the run stopped" in note and "what it had" in note
        assert view.values and not view.live and all(v is not None for v in view.values)
