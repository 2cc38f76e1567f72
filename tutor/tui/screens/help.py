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
| `ctrl+e` | open the exercise's file in your own editor (`$VISUAL`, `$EDITOR`, else `vi`) |
| `escape` | one thing per press: cancel a run, leave the zoom, leave a panel, back to the map |
| `f1` | reveal the next hint (costs a little XP, see below) |
| `f2` | between the lesson text and your work |
| `f3` `f4` `f5` | the REPL, the autograd graph, the loss plot (and go into it) |
| `f6` | between the code editor and the panels under it |
| `f7` | fold the task to one line (more room for your code), or show it |
| `f8` | the solution (after {SOLUTION_AFTER_FAILS} failed checks), or what a prediction prints |
| `f9` | zoom whatever has the focus to the whole screen (again, or `escape`: back) |
| `ctrl+t` | reset your code to the starter code (asks first; `ctrl+z` brings yours back) |
| `ctrl+n` / `ctrl+b` | next / previous item (in tmux, `ctrl+b` is tmux's: press it twice) |
| `1`-`9` | answer a quiz |

**Focus.** What has the keyboard is drawn brightly: a heavy border on the code editor, a
bar on the left of a panel, the text or the list. `tab` and `shift+tab` move between parts,
except in the code editor, where they indent and dedent (`enter` keeps the indentation and
adds a level after a `:`); leave the editor with `f6`, `f2` or `escape`. No other key moves
the focus.

**Item marks** (the strip above your work): ✔ passed, ◐ tried (not passed yet), ○ new.
**Map marks**: ✔ done, ◐ in progress, ○ open, ■ locked.

The footer shows the keys that apply right now (on two lines in a narrow terminal).

## Your own editor and the workspace

Every exercise is a real file in your workspace folder (its path is on the editor's border;
`tutor --workspace DIR` picks another folder). Edit it here, with `ctrl+e`, or in any editor
at all: when the file is saved, tutor reads it and checks it (a save with changes counts as
a check, like `ctrl+s`). Your quiz and prediction answers are kept there too, as `<id>.txt`:
`tutor grade WORKSPACE` grades exactly what you have. A file deleted or renamed while tutor
runs is written again from your code.

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

The REPL tab is a console in the namespace of your **last run or check**: it lists the
names your code left and completes them (`→` at the end of the line), e.g. `w.grad`,
`a.is_leaf` or `y.grad_fn.next_functions`. It replays your code each time (a few ms on the
warm sandbox), so lines you typed before still count. The Graph tab draws the `grad_fn`
graph of any tensor (`↑`/`↓` pick a node, its details show beside or under the tree); the
Loss tab plots a list named `losses` while your code trains, the whole run, on a log scale
when the loss falls by decades, and after a check your final values beside their targets.
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
