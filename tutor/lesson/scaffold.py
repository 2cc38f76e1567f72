"""``tutor new``: a lesson file, or one more item in one, that lints clean as written and
whose placeholders and comments teach the format (docs/lesson-format.md has the whole of it).

Every template here is checked by the tests: parsed, and linted with ``--strict``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tutor.lesson.errors import LessonError
from tutor.lesson.items import ID_RE
from tutor.lesson.load import NUMBERED, load_course
from tutor.lesson.parse import parse_lesson, parse_lesson_file

KINDS = ("exercise", "quiz", "predict")

FRONT = """\
---
id: @LESSON@
title: @TITLE@
# requires: [some-earlier-lesson]   # lesson ids a learner finishes first (optional)
---

# @TITLE@

Prose for the learner: plain markdown. A fence with only a language is an example the
learner can run in the game:

```python
import torch
w = torch.tensor([3.0], requires_grad=True)
print(w.is_leaf, (w * 2).grad_fn)
```

Graded items follow. Each starts at a `toml` header block (`exercise`, `quiz` or `predict`)
and owns the blocks after it. Item ids are unique across every loaded lesson. The whole
format: docs/lesson-format.md.
"""

EXERCISE = """\

## Exercise: a gradient of your own

The setup gives you a tensor `x`. Make a leaf `w` with the values of `x` that requires
gradients, compute `y = (w * w).sum()` and call `y.backward()`.

```toml exercise
# skill: let backward() fill the gradient of a leaf you made (one line for you, not shown)
# the prompt is the markdown between the heading above and this block: say what to build,
# with the names the checks read
id = "@ID@"
points = 10                 # default 10
seeds = [0, 1, 2]           # each seed is a full run: the setup draws new numbers from it
hints = [                   # revealed one at a time: a nudge, then the concept, then the API
  "Only a tensor you create yourself, with gradients on, is a leaf that gets .grad.",
  "backward() fills .grad of every leaf y depends on: here dy/dw = 2w.",
  "x.clone().requires_grad_() or torch.tensor(x.tolist(), requires_grad=True)",
]
forbid = [".data"]          # optional rules, judged on the learner's syntax tree
require = ["backward"]
rules_message = "Let autograd do the calculus: call backward() on y."
```

```python setup
# runs first, for the learner's code and the solution alike, after seeding torch, random
# and numpy; the learner sees it read-only
import torch
x = torch.randn(3)
```

```python starter
# what the learner's editor starts with; it must NOT pass as it is
w = ...
```

```python solution
w = x.clone().requires_grad_()
y = (w * w).sum()
y.backward()
```

```python check
# one Python expression per line, compared with the solution's value on every seed;
# the text after '#' is shown to the learner when that check fails
w.grad                 # the gradient of y with respect to w: 2 * w
w.is_leaf              # w is a tensor you made yourself
trace.backward_calls   # backward() ran once
```

```python wrong
# typed in: the gradient worked out by hand and assigned, backward() never runs
w = x.clone().requires_grad_()
w.grad = 2 * x
```

```python wrong
# misconception: calling backward() twice "to be sure" (gradients add up: they double)
w = x.clone().requires_grad_()
y = (w * w).sum()
y.backward(retain_graph=True)
y.backward()
```

```python accept
# another right answer: torch functions instead of operators, a leaf made another way
w = torch.tensor(x.tolist(), requires_grad=True)
torch.sum(torch.pow(w, 2)).backward()
```
"""

QUIZ = """\

## Quiz: where gradients land

```toml quiz
id = "@ID@"
question = "After y.backward(), which tensors have a .grad?"
choices = [
  "Every tensor in the graph",
  "The leaves that require gradients",
  "Only y",
]
answer = 2                  # 1-based: the number of the right choice
points = 5                  # default 5
explain = "Gradients accumulate in the leaves that require them; other tensors keep none."
hints = ["Which tensors did you create yourself?"]
```
"""

PREDICT = """\

## Predict: is it a leaf?

What does this print? (The learner types the output; runs of white space do not count.)

```toml predict
id = "@ID@"
points = 5                  # default 5
explain = "w was made by you: a leaf. y was made by an operation: it has a grad_fn."
hints = ["A tensor made by an operation remembers it in grad_fn."]
```

```python show
# must print the same on every run: no id(), time, os.getpid() or hash() of a str
import torch
w = torch.tensor([2.0], requires_grad=True)
y = w * 3
print(w.is_leaf, y.is_leaf, y.requires_grad)
```
"""

TEMPLATES = {"exercise": EXERCISE, "quiz": QUIZ, "predict": PREDICT}


class ScaffoldError(ValueError):
    """Why ``tutor new`` wrote nothing, worded for the author."""


def lesson_text(lesson_id: str, title: str, items: list[tuple[str, str]]) -> str:
    """A new lesson file: front matter, prose, and ``items`` as (kind, id)."""
    text = FRONT.replace("@LESSON@", lesson_id).replace("@TITLE@", title)
    return text + "".join(TEMPLATES[kind].replace("@ID@", item_id) for kind, item_id in items)


def default_items(lesson_id: str) -> list[tuple[str, str]]:
    return [
        ("exercise", f"{lesson_id}-gradient"),
        ("quiz", f"{lesson_id}-quiz"),
        ("predict", f"{lesson_id}-predict"),
    ]


def find_lesson(folder: Path, lesson_id: str) -> Path | None:
    """The lesson file in ``folder`` whose front matter has this id."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.md")):
        try:
            head = path.read_text(encoding="utf-8")[:4000]
        except (OSError, UnicodeDecodeError):
            continue
        if re.search(rf"(?m)^id:\s*['\"]?{re.escape(lesson_id)}['\"]?\s*(#.*)?$", head):
            return path
    return None


def next_path(folder: Path, lesson_id: str) -> Path:
    """``NN-lesson-id.md`` with NN one past the highest number in the folder."""
    numbers = [
        int(p.name.split("-", 1)[0])
        for p in folder.glob("*.md")
        if NUMBERED.match(p.name) and p.name.split("-", 1)[0].isdigit()
    ]
    n = max(numbers, default=0) + 1
    return folder / f"{n:02d}-{lesson_id}.md"


def scaffold(
    folder: Path, lesson_id: str, kind: str | None = None, item_id: str | None = None,
    title: str | None = None,
) -> tuple[Path, str]:  # fmt: skip
    """Write a new lesson (all three item kinds, or just ``kind``) or add one item to the
    lesson ``lesson_id`` of ``folder``. Returns the file and what was done. The result is
    parsed before anything is written; ids must be free in the whole folder."""
    if not ID_RE.match(lesson_id):
        raise ScaffoldError(f"lesson id {lesson_id!r} must be lowercase letters, digits and '-'")
    if item_id is not None and not ID_RE.match(item_id):
        raise ScaffoldError(f"item id {item_id!r} must be lowercase letters, digits and '-'")
    existing = find_lesson(folder, lesson_id)
    if existing is None:
        items = [(kind, item_id)] if kind and item_id else default_items(lesson_id)
        taken = _ids_in(folder)
        _check_free([i for _, i in items] + [lesson_id], taken)
        path = next_path(folder, lesson_id)
        text = lesson_text(lesson_id, title or _title(lesson_id), items)
        parse_lesson(text, path)  # a template bug must never reach the author's folder
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:
            fh.write(text)
        what = ", ".join(f"{k} {i!r}" for k, i in items)
        return path, f"wrote {path}: lesson {lesson_id!r} with {what}"
    if not (kind and item_id):
        raise ScaffoldError(
            f"lesson {lesson_id!r} already exists ({existing}): add an item to it with "
            "--exercise ID, --quiz ID or --predict ID"
        )
    try:
        parse_lesson_file(existing)
    except LessonError as exc:
        raise ScaffoldError(f"{exc}: fix the lesson before adding to it") from None
    _check_free([item_id], _ids_in(folder))
    old = existing.read_text(encoding="utf-8")
    text = old.rstrip("\n") + "\n" + TEMPLATES[kind].replace("@ID@", item_id)
    parse_lesson(text, existing)
    existing.write_text(text, encoding="utf-8")
    line = old.rstrip("\n").count("\n") + 3
    return existing, f"added {kind} {item_id!r} to {existing} at line {line}"


def _title(lesson_id: str) -> str:
    return lesson_id.replace("-", " ").capitalize()


def _ids_in(folder: Path) -> dict[str, str]:
    """Every lesson and item id already used in the folder (id -> where)."""
    if not folder.is_dir():
        return {}
    course = load_course([folder])
    taken = {le.id: str(le.path) for le in course.lessons}
    taken.update({i.id: f"{i.path}:{i.line}" for i in course.items()})
    return taken


def _check_free(ids: list[str], taken: dict[str, str]) -> None:
    for one in ids:
        if one in taken:
            raise ScaffoldError(
                f"id {one!r} is already used at {taken[one]}: ids are unique across all "
                "loaded lessons, pick another"
            )
