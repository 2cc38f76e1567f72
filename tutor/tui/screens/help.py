"""The help screen: every key, the XP rules, and how the sandbox and REPL work."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tutor.progress import XP_RULES_TEXT
from tutor.tui.game import SOLUTION_AFTER_FAILS
from tutor.tui.widgets.footer import KeysFooter

HELP = f"""\
# How to play

Read a lesson, then solve its items: **exercises** (write torch code), **quizzes** (pick a
choice) and **predictions** (type what some code prints). Your code runs in a separate
sandbox process, seeded, so every run gives the same numbers.

## Keys in a lesson

| key | what it does |
| --- | --- |
| `ctrl+r` | run your code and show what it prints |
| `ctrl+s` / `ctrl+enter` | check it: every check with a mark, expected vs got |
| `escape` | cancel a run in flight; else leave the editor or the REPL, then back to the map |
| `f1` | reveal the next hint (costs a little XP, see below) |
| `f2` | switch between the lesson text and your work (narrow terminals) |
| `f3` `f4` `f5` | the REPL, the autograd graph, the loss plot |
| `f9` | zoom the panels to the whole screen (again, or `escape`, to go back) |
| `f8` | reveal the solution, after {SOLUTION_AFTER_FAILS} failed checks (no XP then) |
| `ctrl+n` / `ctrl+b` | next / previous item |
| `1`-`9` | answer a quiz |
| `tab` | move between the editor and the panels |

The footer shows the keys that apply right now (on two lines in a narrow terminal).

## Everywhere

| key | what it does |
| --- | --- |
| `ctrl+p` | command palette: search lessons, items and every action |
| `?` / `f10` | this help (in the code editor `?` types a `?`: use `f10`) |
| `ctrl+q` | quit (your code and progress are saved as you go) |

## XP, levels and streaks

{XP_RULES_TEXT}

Levels have names, from *Leaf* to *Autograd master*. Practise on consecutive days to keep
your streak. Achievements are listed on the map (`a`).

## The REPL and the graph

The REPL tab is a console in the namespace of your **last run or check**: type `w.grad`,
`a.is_leaf` or `y.grad_fn.next_functions`. It replays your code each time (a few ms on the
warm sandbox), so lines you typed before still count. The Graph tab draws the `grad_fn`
graph of any tensor; the Loss tab plots a list named `losses` after a run.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and rules; any of escape, ``?``, ``f10`` or ``q`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f10,q", "close", "Close help")
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)
        yield KeysFooter()

    def action_close(self) -> None:
        self.dismiss(None)
