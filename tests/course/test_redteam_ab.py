"""Red team of lessons 01-10 and 18 (issue #11, "Done when", second bullet).

Every file under ``tests/course/redteam_ab/<exercise-id>/`` is one submission, written by
someone who did not write the lesson, and graded through the real grader with two hidden
seeds (a new salt each session), the way ``tutor grade`` grades in CI:

- ``cheat-*.py``: a shortcut (the exercise passed without its skill, or a common
  misconception). It must NOT pass.
- ``ok-*.py``: a right answer in another style than the reference and the lesson's
  ``accept`` blocks. It MUST pass.
- ``gap-*.py``: a shortcut that still passes because of a gap in tutor's grading itself
  (its second line, ``# gap: ...``, says which). Marked ``xfail(strict=True)``: once tutor
  closes the gap (and the lesson uses it), the test passes and the marker must go.

The first line of each file says what it tries. Gaps of tutor's own, reproduced on minimal
lessons so that they do not depend on the course, are at the end of this file.
"""

from __future__ import annotations

import os
import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.lesson.load import builtin_lessons_dir, load_course

LESSONS = builtin_lessons_dir()
SUBMISSIONS = Path(__file__).with_name("redteam_ab")
IN_SCOPE = {
    "tensors": ["first-tensor", "fix-view-transpose", "numpy-round-trip"],
    "computational-graph": ["build-graph", "graph-any-values"],
    "dynamic-graphs": ["loop-graph", "freeze-part"],
    "backward-and-accumulation": ["trigger-second-backward", "fix-backward-twice",
                                  "accumulate-grads"],
    "gradient-and-higher-order": ["autograd-grad-inputs", "second-derivative"],
    "vector-jacobian": ["weighted-backward", "vjp-against-jacobian", "jacobian-by-rows"],
    "in-place-and-leaves": ["fix-inplace-leaf", "detach-copy"],
    "version-counter": ["trigger-version-error", "fix-version-error"],
    "broadcasting-and-dtypes": ["broadcast-sum-to", "fix-double-leaf"],
    "hooks-and-graph": ["walk-to-leaves", "hook-clip-hidden", "record-linear-layers"],
    "gradient-checking": ["central-differences", "gradcheck-verdicts"],
}  # fmt: skip
EXERCISES = [item for items in IN_SCOPE.values() for item in items]
KINDS = ("cheat", "ok", "gap")


def submissions() -> list[Path]:
    return sorted(SUBMISSIONS.glob("*/*.py"))


def kind_of(path: Path) -> str:
    return path.name.split("-", 1)[0]


def gap_reason(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[1].removeprefix("# gap:").strip() if len(lines) > 1 else ""


def params() -> list:
    out = []
    for path in submissions():
        marks = ()
        if kind_of(path) == "gap":
            marks = pytest.mark.xfail(
                strict=True, raises=AssertionError, reason=f"tutor gap: {gap_reason(path)}"
            )
        out.append(pytest.param(path, id=f"{path.parent.name}/{path.stem}", marks=marks))
    return out


# -- the submissions themselves --------------------------------------------------------------


def test_every_exercise_in_scope_is_attacked_and_answered() -> None:
    course = load_course([LESSONS])
    by_lesson = {lesson.id: [i.id for i in lesson.items if i.kind == "exercise"]
                 for lesson in course.lessons}  # fmt: skip
    for lesson_id, items in IN_SCOPE.items():
        assert by_lesson[lesson_id] == items, lesson_id
    for item in EXERCISES:
        files = list((SUBMISSIONS / item).glob("*.py"))
        tried = [f for f in files if kind_of(f) in ("cheat", "gap")]
        right = [f for f in files if kind_of(f) == "ok"]
        assert len(tried) >= 8, item
        assert len(right) >= 3, item


def test_every_submission_says_what_it_is() -> None:
    assert {p.parent.name for p in submissions()} == set(EXERCISES)
    for path in submissions():
        assert kind_of(path) in KINDS, path
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 10, path
        if kind_of(path) == "gap":
            assert gap_reason(path), path


@pytest.fixture(scope="module")
def grade(tmp_path_factory) -> Iterator:
    from tutor.grading.factory import open_grader

    course = load_course([LESSONS])
    items = {i.id: i for i in course.items()}
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("ref-cache"))
    salt = secrets.token_hex(4)  # hidden seeds, new ones each session, as `tutor grade` does
    grader, sandboxes = open_grader([LESSONS], jobs=1, extra_seed_count=2, seed_salt=salt)
    sandboxes.start_background()
    try:
        with sandboxes:
            yield lambda item_id, code: grader.grade_exercise(items[item_id], code)
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old


@pytest.mark.parametrize("path", params())
def test_submission(grade, path: Path) -> None:
    verdict = grade(path.parent.name, path.read_text(encoding="utf-8"))
    if kind_of(path) == "ok":
        assert verdict.status == "pass", (path.name, verdict.message)
    else:
        assert verdict.status != "pass", (path.name, verdict.message)


# -- gaps in tutor's grading, on minimal lessons ---------------------------------------------

MINIMAL_LESSON = """---
id: redteam-minimal
title: Minimal lesson for the red team's reproducers
---

# Minimal

## Exercise: gradients by backward

```toml exercise
id = "rt-backward-fills-grad"
seeds = [0, 1, 2]
hints = ["backward", "backward"]
```

```python setup
import torch
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
```

```python solution
y = (w * x).sum()
y.backward()
```

```python check
w.grad  # dy/dw = x
trace.grad_source(w)  # w.grad was accumulated by backward, not assigned
```

## Exercise: a gradient kept in the middle

```toml exercise
id = "rt-retained-grad"
seeds = [0, 1, 2]
hints = ["retain_grad", "retain_grad"]
```

```python setup
import torch
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
```

```python solution
a = w * x
a.retain_grad()
y = (a ** 2).sum()
y.backward()
```

```python check
a.grad  # dy/da = 2a
trace.grad_source(a)  # a.grad was left by the backward pass, not assigned
```

## Exercise: one backward pass

```toml exercise
id = "rt-one-backward"
seeds = [0, 1, 2]
hints = ["backward", "backward"]
```

```python setup
import torch
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
```

```python solution
y = (w * x).sum()
y.backward()
```

```python check
w.grad  # dy/dw = x
trace.backward_calls  # one backward pass
```

## Exercise: exp by hand

```toml exercise
id = "rt-exp-by-hand"
seeds = [0, 1, 2]
atol = 1e-4
hints = ["a series", "a series"]
```

```python setup
import torch
x = torch.rand(4)
```

```python solution
e = sum(x ** k / float(torch.arange(1, k + 1).prod()) for k in range(12))
```

```python check
e  # exp(x)
trace.called("exp")  # exp written by hand: torch's exp was never called
```
"""

TUTOR_GAPS = {
    # w.grad assigned (the trace sees it), then a backward pass with a zero gradient adds 0
    # into it: the post-accumulate hook marks it "autograd"
    "assigned-then-zero-backward": (
        "rt-backward-fills-grad",
        """
        import torch
        w.grad = x.clone()
        y = (w * x).sum()
        y.backward(torch.tensor(0.0))
        """,
    ),
    # the same through ._grad, an assignment the trace does not see at all
    "private-grad-then-zero-backward": (
        "rt-backward-fills-grad",
        """
        import torch
        w._grad = x.clone()
        (w * x).sum().backward(torch.tensor(0.0))
        """,
    ),
    # assigned inside a backward hook, where the trace's TorchFunctionMode is not active:
    # the hook replaces the incoming gradient by zeros and writes the answer into .grad
    "assigned-inside-a-leaf-hook": (
        "rt-backward-fills-grad",
        """
        import torch
        def typed_in(g):
            w.grad = x.clone()
            return torch.zeros_like(g)
        w.register_hook(typed_in)
        (w * 0).sum().backward()
        """,
    ),
    # a non-leaf's .grad written by a hook, retain_grad() called afterwards for the flag
    "non-leaf-grad-written-by-a-hook": (
        "rt-retained-grad",
        """
        a = w * x
        def typed_in(g):
            a.grad = 2 * a.detach()
        a.register_hook(typed_in)
        ((a * 0) ** 2).sum().backward()
        a.retain_grad()
        """,
    ),
}


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="tutor gap: calls through torch.ops.aten are invisible to the trace (trace.called, "
    "trace.functions), although tutor/grading/rules.py tells authors to 'check the trace' for "
    "them; so are the legacy constructors torch.Tensor(...) / torch.FloatTensor(...), "
    "torch.from_numpy and torch.frombuffer",
)
def test_tutor_gap_trace_sees_aten_calls(grade_minimal) -> None:
    verdict = grade_minimal("rt-exp-by-hand", "import torch\ne = torch.ops.aten.exp(x)\n")
    assert verdict.status != "pass", verdict.message


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="tutor gap: a backward pass run through Variable._execution_engine.run_backward "
    "(what Tensor.backward and autograd.grad call inside) is not counted by "
    "trace.backward_calls: two passes pass for one",
)
def test_tutor_gap_trace_counts_engine_backward_passes(grade_minimal) -> None:
    code = (
        "import torch\n"
        "from torch.autograd.variable import Variable\n"
        "half = (w * x).sum() / 2\n"
        "half.backward(retain_graph=True)\n"
        "Variable._execution_engine.run_backward((half,), (torch.ones(()),), False, False, (),"
        " True, True)\n"
    )
    verdict = grade_minimal("rt-one-backward", code)
    assert verdict.status != "pass", verdict.message


@pytest.fixture(scope="module")
def grade_minimal(tmp_path_factory) -> Iterator:
    from tutor.grading.factory import open_grader

    folder = tmp_path_factory.mktemp("minimal-lesson")
    (folder / "01-minimal.md").write_text(MINIMAL_LESSON, encoding="utf-8")
    course = load_course([folder])
    assert course.errors == []
    items = {i.id: i for i in course.items()}
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("ref-cache-minimal"))
    grader, sandboxes = open_grader([folder], jobs=1, extra_seed_count=2, seed_salt="rt")
    sandboxes.start_background()
    try:
        with sandboxes:
            yield lambda item_id, code: grader.grade_exercise(items[item_id], textwrap.dedent(code))
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old


def test_minimal_lesson_reference_and_a_right_answer_pass(grade_minimal) -> None:
    assert grade_minimal("rt-backward-fills-grad", "(x * w).sum().backward()\n").status == "pass"
    right = "a = x * w\na.retain_grad()\n(a * a).sum().backward()\n"
    assert grade_minimal("rt-retained-grad", right).status == "pass"
    assert grade_minimal("rt-exp-by-hand", "import torch\ne = torch.exp(x)\n").status != "pass"


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="tutor gap: trace.grad_source reports 'autograd' for a gradient the code put in "
    ".grad by itself (assigned, through ._grad, or inside a backward hook) as soon as a later "
    "backward pass accumulates into it, even a pass that adds nothing",
)
@pytest.mark.parametrize("name", sorted(TUTOR_GAPS))
def test_tutor_gap_grad_source_sees_assigned_gradients(grade_minimal, name: str) -> None:
    item_id, code = TUTOR_GAPS[name]
    verdict = grade_minimal(item_id, code)
    assert verdict.status != "pass", (name, verdict.message)
