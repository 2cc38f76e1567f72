"""Grading how, not only what (issue 10): rules on the code, trace checks, checks on fresh
data, real names, exact raises and the messages a learner reads, through the real grader.

One lesson written the way the course writes exercises; submissions in the styles learners
(and cheaters) write them. Expected values come from the reference run, never from here.
"""

from __future__ import annotations

import textwrap

import pytest

from tutor.grading.cache import ReferenceCache
from tutor.grading.grader import Grader
from tutor.grading.lint import lint_item
from tutor.lesson import Course, load_course
from tutor.sandbox import SandboxPool

LESSON = """---
id: how
title: Grading how
---

## Exercise: chain rule

```toml exercise
# skill: let backward() fill the leaves' gradients
id = "chain"
seeds = [0, 1]
forbid = ["torch.autograd.grad"]
require = ["backward"]
rules_message = "Let backward() do the calculus here."
hints = ["backward()"]
```

```python setup
import torch
w = torch.randn(3, requires_grad=True)
x = torch.randn(3, requires_grad=True)
```

```python starter
y = ...
```

```python solution
y = ((w + x) * (w + 1)).sum()
y.backward()
```

```python check
w.grad  # dy/dw
trace.grad_source(w)  # w.grad came from autograd
abs(w.grad.sum().item()) >= 0  # a builtin in a check
```

```python wrong
# typed in: the gradient worked out by hand and assigned
y = ((w + x) * (w + 1)).sum()
w.grad = (2 * w + x + 1).detach()
x.grad = (w + 1).detach()
```

```python wrong
# misconception: backward twice doubles the gradients
y = ((w + x) * (w + 1)).sum()
y.backward(retain_graph=True)
y.backward()
```

```python accept
# torch.add / torch.mul instead of operators
torch.mul(torch.add(w, x), torch.add(w, 1)).sum().backward()
```

## Exercise: train on fresh data

```toml exercise
# skill: a training loop that works on any data, not one trajectory
id = "fresh-train"
seeds = [0, 1]
atol = 0.05
hints = ["An optimizer, a loss, a loop."]
```

```python setup
import torch

def fresh_data(n=64):
    x = torch.randn(n, 1)
    return x, 3 * x - 1
```

```python solution
def train(model, X, y, epochs):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(epochs):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(X), y).backward()
        opt.step()
    return model
```

```python check
train(torch.nn.Linear(1, 1), *fresh_data(), 200).weight  # trained on data your code never saw
```

## Exercise: the second backward

```toml exercise
# skill: the error of a second backward through freed saved tensors
id = "second"
raises = "RuntimeError"
seeds = [0, 1]
hints = ["Saved tensors are freed after backward."]
```

```python setup
import torch
w = torch.randn(2, requires_grad=True)
```

```python solution
y = (w * w).sum()
y.backward()
y.backward()
```

```python check
w.grad  # the first backward's gradient
```
"""

RIGHT = {
    "chain": "y = ((w + x) * (w + 1)).sum()\ny.backward()\n",
    "fresh-train": (
        "def train(model, X, y, epochs):\n"
        "    opt = torch.optim.Adam(model.parameters(), lr=0.05)\n"
        "    loss_fn = torch.nn.MSELoss()\n"
        "    for _ in range(epochs * 3):\n"
        "        loss = loss_fn(model(X), y)\n"
        "        opt.zero_grad()\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return model\n"
    ),
    "second": "y = (w * w).sum()\ny.backward()\ny.backward()\n",
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    folder = tmp_path_factory.mktemp("how")
    (folder / "01-how.md").write_text(LESSON)
    loaded = load_course([folder])
    assert loaded.errors == []
    return loaded


@pytest.fixture(scope="module")
def grader(pool: SandboxPool) -> Grader:
    return Grader(pool, ReferenceCache(enabled=False), extra_seed_count=1, seed_salt="how")


def grade(course: Course, grader: Grader, item_id: str, code: str):
    item = course.item(item_id)
    assert item is not None
    return grader.grade(item, textwrap.dedent(code))


@pytest.mark.parametrize("item_id", list(RIGHT))
def test_right_answers_in_other_styles_pass(course, grader, item_id: str) -> None:
    result = grade(course, grader, item_id, RIGHT[item_id])
    assert result.status == "pass", result.message


def test_the_lesson_proves_itself_under_lint(course, grader) -> None:
    for item in course.items():
        assert [str(p) for p in lint_item(item, grader)] == [], item.id


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (
            "from torch.autograd import grad as g\ny = ((w + x) * (w + 1)).sum()\n"
            "w.grad, x.grad = g(y, [w, x])\n",
            "line 1: your code imports torch.autograd.grad (as g): not allowed here. "
            "Let backward() do the calculus here.",
        ),
        (
            "import torch.autograd as ag\ny = ((w + x) * (w + 1)).sum()\n"
            "w.grad, x.grad = ag.grad(y, [w, x])\n",
            "torch.autograd.grad",
        ),
        ("y = ((w + x) * (w + 1)).sum()\n", "your code never calls backward(): required here"),
    ],
)
def test_a_rule_breach_fails_with_its_line_and_reason(course, grader, code: str, words) -> None:
    result = grade(course, grader, "chain", code)
    assert result.status == "fail"
    assert words in result.message
    assert "rules" in result.flags


def test_typed_in_gradients_fail_on_the_trace(course, grader) -> None:
    code = (
        "y = ((w + x) * (w + 1)).sum()\ny.backward()\n"
        "w.grad = (2 * w + x + 1).detach()\n"  # the right values, assigned
    )
    result = grade(course, grader, "chain", code)
    assert result.status == "fail"
    assert "trace.grad_source(w)" in result.message and "'assigned'" in result.message


def test_a_forgotten_backward_is_said_plainly(course, grader) -> None:
    result = grade(course, grader, "chain", "y = ((w + x) * (w + 1)).sum()\ny.backward\n")
    assert result.status == "fail"  # require: a mere mention is no call
    forgot = grade(
        course, grader, "second", "y = (w * w).sum()\nraise RuntimeError('two backwards')\n"
    )
    assert forgot.status == "fail"
    assert "raised RuntimeError itself" in forgot.message


def test_the_starters_placeholder_is_named_first(course, grader) -> None:
    result = grade(course, grader, "chain", "y = ...\ny.backward()\n")
    assert result.status in ("fail", "error")
    assert result.message.startswith("your code still has `...` at line 1")


def test_a_shadowed_builtin_is_a_note_not_a_cryptic_failure(course, grader) -> None:
    code = RIGHT["chain"] + "abs = lambda v: -1\n"
    result = grade(course, grader, "chain", code)
    assert result.status == "pass", result.message  # the check used Python's abs
    assert "shadowed-name" in result.flags


def test_a_shadowed_setup_helper_does_not_change_the_fresh_data(course, grader) -> None:
    code = RIGHT["fresh-train"] + (
        "def fresh_data(n=64):\n    x = torch.zeros(n, 1)\n    return x, x\n"
    )
    result = grade(course, grader, "fresh-train", code)
    assert result.status == "pass", result.message
    assert "shadowed-name" in result.flags


def test_fresh_data_grades_the_training_not_one_trajectory(course, grader) -> None:
    never_learns = (
        "def train(model, X, y, epochs):\n"
        "    with torch.no_grad():\n"
        "        model.weight.fill_(3.0)\n"
        "        model.bias.fill_(-1.0)\n"
        "    return model\n"
    )  # hard-codes the answer for THIS recipe: passes, as it should (the recipe is the task)
    assert grade(course, grader, "fresh-train", never_learns).status == "pass"
    one_step = RIGHT["fresh-train"].replace("range(epochs * 3)", "range(1)")
    assert one_step != RIGHT["fresh-train"]
    result = grade(course, grader, "fresh-train", one_step)
    assert result.status == "fail"
    assert "trained on data your code never saw" in result.message


def test_a_replaced_setup_value_leads_the_message(course, grader) -> None:
    result = grade(course, grader, "chain", "w = [1.0, 2.0, 3.0]\nx.sum().backward()\n")
    assert result.status in ("fail", "error")
    if result.status == "fail":
        assert result.message.startswith("your code replaced `w` from the setup"), result.message


def test_catching_the_error_as_the_lesson_shows_passes(course, grader) -> None:
    code = (
        "y = (w * w).sum()\ny.backward()\n"
        "try:\n    y.backward()\nexcept RuntimeError as err:\n    print('second backward:', err)\n"
    )
    result = grade(course, grader, "second", code)
    assert result.status == "pass", result.message


def test_hidden_seeds_are_graded_too(course, grader) -> None:
    result = grade(course, grader, "chain", RIGHT["chain"])
    assert result.message.endswith("on 3 seeds")
