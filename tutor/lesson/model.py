"""The lesson model: plain frozen dataclasses, the only thing the rest of tutor reads.

Data flows one way: lesson file -> this model -> sandbox run -> values -> verdict -> view.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Kind = Literal["exercise", "quiz", "predict"]


@dataclass(frozen=True)
class Check:
    """One line of a ``python check`` block: an expression and what it is about."""

    expr: str
    message: str  # shown to the learner when the check fails (the marker below left out)
    line: int  # line in the lesson file
    # the exception type the author expects this check to raise in the reference run,
    # written ``# raises IndexError: message``; ``tutor lint`` warns about a check that raises
    # without it (a learner's code would pass it by raising too)
    raises: str | None = None


@dataclass(frozen=True)
class Counterexample:
    """A ``python wrong`` or ``python accept`` block: a submission the exercise must fail/pass.

    Authors' material, never shown to a learner (like the solution).
    """

    code: str
    label: str  # text of the block's first ``# comment`` line ("" for an accept without one)
    line: int  # file line of the block's opening fence; its code starts on ``line + 1``


@dataclass(frozen=True)
class Exercise:
    id: str
    lesson_id: str
    prompt: str  # markdown between the nearest heading above and the header block
    title: str  # that heading's text
    solution: str
    checks: tuple[Check, ...]
    starter: str = ""
    setup: str = ""
    points: int = 10
    hints: tuple[str, ...] = ()
    seeds: tuple[int, ...] = (0,)
    timeout: float = 10.0
    rtol: float = 1e-5
    atol: float = 1e-6
    raises: str | None = None
    path: Path = Path()
    line: int = 0  # line of the ``toml exercise`` fence
    solution_line: int = 0  # file line of the solution's first line of code
    setup_line: int = 0  # file line of the setup's first line of code (0: no setup block)
    starter_line: int = 0  # file line of the starter's opening fence (0: no starter block)
    # rules on the learner's code (LESSON_FORMAT 2a): entries as written in the header
    forbid: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    rules_message: str = ""
    # counterexamples (LESSON_FORMAT 2b), in file order
    wrong: tuple[Counterexample, ...] = ()
    accept: tuple[Counterexample, ...] = ()
    kind: Kind = field(default="exercise", init=False)

    @property
    def has_rules(self) -> bool:
        return bool(self.forbid or self.require)

    def fingerprint(self) -> str:
        """Hash of everything that decides the reference values (for the reference cache).

        Rules and counterexamples do not change what the reference computes, so they are not
        part of it: an exercise keeps its cached reference when an author adds them.
        """
        data = {
            "setup": self.setup,
            "solution": self.solution,
            "checks": [c.expr for c in self.checks],
            "raises": self.raises,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Quiz:
    id: str
    lesson_id: str
    question: str
    choices: tuple[str, ...]
    answer: int  # 1-based
    points: int = 5
    explain: str = ""
    hints: tuple[str, ...] = ()
    prompt: str = ""
    title: str = ""
    path: Path = Path()
    line: int = 0
    kind: Kind = field(default="quiz", init=False)


@dataclass(frozen=True)
class Predict:
    id: str
    lesson_id: str
    show: str  # the code whose printed output the learner predicts
    points: int = 5
    show_line: int = 0  # file line of the shown code's first line
    hints: tuple[str, ...] = ()
    timeout: float = 10.0
    explain: str = ""
    prompt: str = ""
    title: str = ""
    path: Path = Path()
    line: int = 0
    kind: Kind = field(default="predict", init=False)

    def fingerprint(self) -> str:
        return hashlib.sha256(self.show.encode()).hexdigest()[:32]


Item = Exercise | Quiz | Predict


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    path: Path
    body: str  # markdown after the front matter, exactly as written
    prose: str = ""  # the body without exercise headers and hidden blocks: what a learner reads
    requires: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    id_line: int = 2  # file lines of the front matter keys, for errors found across files
    requires_line: int = 2

    @property
    def order_key(self) -> str:
        return self.path.name

    @property
    def max_points(self) -> int:
        return sum(item.points for item in self.items)


HIDDEN_FIELDS = frozenset({"solution", "wrong", "accept"})
"""Item fields a learner must never see: the reference and the authors' counterexamples."""


def item_summary(item: Item) -> dict:
    """A JSON-able view of an item without its solution or counterexamples (for listings)."""
    data = {k: v for k, v in asdict(item).items() if k not in HIDDEN_FIELDS | {"path"}}
    data["path"] = str(item.path)
    return data
