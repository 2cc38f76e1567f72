"""Course v2, group A (lessons 01-07): the items exist where they belong, every exercise
names its skill and carries counterexamples, and submissions found while attacking the
exercises (shortcuts that are not already a ``wrong`` block of the lesson, right answers in
odd styles) keep failing or passing. ``tutor lint`` runs the lessons' own blocks."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.lesson.load import builtin_lessons_dir, load_course

LESSONS = builtin_lessons_dir()
GROUP_A = {
    "tensors": ["first-tensor", "quiz-view-storage", "fix-view-transpose", "predict-from-numpy",
                "numpy-round-trip"],
    "computational-graph": ["graph-two-concepts", "predict-next-functions", "predict-leaf-rule",
                            "build-graph", "quiz-leaf", "predict-grad-fn", "graph-any-values"],
    "dynamic-graphs": ["dynamic-graph", "static-vs-dynamic", "predict-branch-graph", "loop-graph",
                       "predict-requires-grad-flows", "freeze-part"],
    "backward-and-accumulation": ["predict-which-second-backward", "trigger-second-backward",
                                  "quiz-backward-twice-why", "fix-backward-twice",
                                  "predict-accumulate", "accumulate-grads", "quiz-why-zero"],
    "gradient-and-higher-order": ["predict-autograd-grad", "autograd-grad-inputs",
                                  "quiz-create-graph", "predict-second-derivative",
                                  "second-derivative"],
    "vector-jacobian": ["predict-nonscalar-backward", "quiz-gradient-meaning",
                        "quiz-jacobian-shape", "weighted-backward", "vjp-against-jacobian",
                        "jacobian-by-rows"],
    "in-place-and-leaves": ["predict-identity", "fix-inplace-leaf", "predict-which-leaf",
                            "quiz-detach-inplace", "detach-copy"],
}  # fmt: skip


@pytest.fixture(scope="module")
def course():
    return load_course([LESSONS])


def test_group_a_lessons_hold_their_items_in_order(course) -> None:
    by_id = {lesson.id: lesson for lesson in course.lessons}
    for lesson_id, items in GROUP_A.items():
        assert [i.id for i in by_id[lesson_id].items] == items, lesson_id


def test_every_group_a_exercise_names_its_skill_and_carries_counterexamples(course) -> None:
    ids = {i for items in GROUP_A.values() for i in items}
    exercises = [i for i in course.items() if i.kind == "exercise" and i.id in ids]
    assert len(exercises) == 17
    for ex in exercises:
        text = Path(ex.path).read_text(encoding="utf-8")
        header = re.search(
            r"```toml exercise\n(.*?)```", text[text.index(f'id = "{ex.id}"') - 400 :], re.S
        )
        assert header and re.search(r"^# skill: \S", header.group(1), re.M), ex.id
        assert len(ex.wrong) >= 2, ex.id
        assert len(ex.accept) >= 1, ex.id
        assert len(ex.seeds) >= 3, ex.id


@pytest.fixture(scope="module")
def grade(course, tmp_path_factory) -> Iterator:
    from tutor.grading.factory import open_grader

    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("ref-cache"))
    grader, sandboxes = open_grader([LESSONS], jobs=1)
    sandboxes.start_background()
    items = {i.id: i for i in course.items()}
    try:
        with sandboxes:
            yield lambda item_id, code: grader.grade_exercise(items[item_id], textwrap.dedent(code))
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old


BUILD = """
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
a = w + x
b = w + 1
y = a * b
"""

TRIGGER = """
import torch
w = torch.tensor(w0, requires_grad=True)
x = torch.tensor(x0, requires_grad=True)
y = w * x ** 2
y.backward()
first = w.grad.clone()
"""

SHORTCUTS = {
    # .grad overwritten through .data / .numpy() after a backward pass from something else:
    # trace.grad_source cannot see these writes, backward_roots does
    "grad-data-overwrite": (
        "build-graph",
        BUILD + "(w * 0 + x * 0).backward()\n"
        "w.grad.data = torch.tensor(2 * w0 + x0 + 1)\nx.grad.data = torch.tensor(w0 + 1)\n",
    ),
    "grad-numpy-overwrite": (
        "build-graph",
        BUILD + "(w * 0 + x * (w0 + 1)).backward()\nw.grad.numpy()[...] = 2 * w0 + x0 + 1\n",
    ),
    # the expected RuntimeError raised without a raise statement: own_raise cannot tell
    "error-thrown-into-a-generator": (
        "trigger-second-backward",
        TRIGGER + "(_ for _ in ()).throw(RuntimeError('Trying to backward through the graph "
        "a second time'))\n",
    ),
    "error-from-torch-check": (
        "trigger-second-backward",
        TRIGGER + "torch._check(False, lambda: 'Trying to backward through the graph a second "
        "time')\n",
    ),
    "backward-replaced-on-the-tensor": (
        "trigger-second-backward",
        TRIGGER + "def boom(*a, **k):\n"
        "    return (_ for _ in ()).throw(RuntimeError('backward through the graph a second "
        "time'))\ny.backward = boom\ny.backward()\n",
    ),
    # torch.func's jacrev through a private path
    "functorch-jacrev": (
        "jacobian-by-rows",
        "import torch\nfrom torch._functorch.eager_transforms import jacrev\n"
        "def jacobian_rows(f, x):\n    return jacrev(f)(x)\nJ = jacobian_rows(f, x0)\n",
    ),
    # a Jacobian by hand, autograd.grad called once for show
    "second-derivative-closed-form-with-a-decoy-call": (
        "second-derivative",
        "import torch\n"
        "def first_and_second(f, x0):\n"
        "    x = torch.tensor(x0, requires_grad=True)\n"
        "    torch.autograd.grad(f(x), x, create_graph=True)\n"
        "    torch.autograd.grad(f(x), x)\n"
        "    return 3 * x0 ** 2 + 2, 6 * x0\n"
        "dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)\n",
    ),
    # a new leaf, and the checks' helper (or the id the setup noted) rebound to agree
    "checks-helper-rebound": (
        "fix-inplace-leaf",
        "w = (w + delta).detach().requires_grad_()\nis_setup_w = lambda t: True\nw_id = id(w)\n",
    ),
    "checks-helper-defaults-patched": (
        "fix-inplace-leaf",
        "new = (w + delta).detach().requires_grad_()\nis_setup_w.__defaults__ = (new,)\nw = new\n",
    ),
    "frozen-copy-and-helper-rebound": (
        "freeze-part",
        "w1 = w1.detach()\nmade_by_setup = lambda t: True\nh = x * w1\ny = (h * w2).sum()\n"
        "y.backward()\n",
    ),
    # autograd for the first derivative, finite differences (float64) for the second
    "second-derivative-by-finite-differences-of-autograd": (
        "second-derivative",
        "import torch\n"
        "def d1(f, x0):\n"
        "    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)\n"
        "    return torch.autograd.grad(f(x), x)[0]\n"
        "def first_and_second(f, x0, h=1e-5):\n"
        "    return float(d1(f, x0)), float((d1(f, x0 + h) - d1(f, x0 - h)) / (2 * h))\n"
        "dy, d2y = first_and_second(lambda x: x ** 3 + 2 * x, x0)\n"
        "first_and_second(lambda x: x ** 3 + 2 * x, x0)\n",
    ),
    # detach_() then a new leaf of the right values: not the parameter the setup made
    "detach-copy-new-leaf-same-values": (
        "detach-copy",
        "snapshot = w.detach().clone()\nw = w.detach() - lr * w.grad\nw.requires_grad_()\n",
    ),
}

RIGHT_ANSWERS = {
    "legacy-constructor-and-unflatten": (
        "first-tensor",
        "import torch\nt = torch.LongTensor(numbers)\nf = t.type(torch.float32)\n"
        "grid = f.unflatten(0, (2, 3))\n",
    ),
    "columns-concatenated": (
        "fix-view-transpose",
        "flat = torch.cat([x[:, j] for j in range(x.shape[1])])\n",
    ),
    "mul-with-out": (
        "numpy-round-trip",
        "import torch\ndevice = 'cuda' if torch.cuda.is_available() else 'cpu'\n"
        "t = torch.from_numpy(arr)\ntorch.mul(t, 2, out=t)\nt32 = t.float()\n"
        "moved = t32.to(device)\nvalues = moved.tolist()\n",
    ),
    "float64-leaves-and-a-list-of-roots": (
        "build-graph",
        "import torch\nw = torch.full((), w0, requires_grad=True)\n"
        "x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)\n"
        "a = w + x\nb = w + 1\ny = a * b\ntorch.autograd.backward([y])\n",
    ),
    "recursion-instead-of-a-loop": (
        "loop-graph",
        "import torch\nx = torch.tensor(x0, requires_grad=True)\n"
        "def grow(y, steps):\n    return grow(y * x, steps + 1) if y < limit else (y, steps)\n"
        "y, steps = grow(x, 1)\ny.backward()\n",
    ),
    "second-pass-by-autograd-grad": (
        "trigger-second-backward",
        TRIGGER + "torch.autograd.grad(y, w)\n",
    ),
    "one-autograd-grad-per-output": (
        "jacobian-by-rows",
        "import torch\nfrom torch.autograd import grad\n"
        "def jacobian_rows(f, x):\n    x = x.detach().requires_grad_()\n    y = f(x)\n"
        "    return torch.stack([grad(y[i], x, retain_graph=True)[0] for i in range(len(y))])\n"
        "J = jacobian_rows(f, x0)\n",
    ),
    "snapshot-cloned-under-no-grad": (
        "detach-copy",
        "with torch.no_grad():\n    snapshot = w.clone()\n    w -= lr * w.grad\n",
    ),
    "no-grad-as-a-decorator": (
        "fix-inplace-leaf",
        "@torch.no_grad()\ndef shift(p, d):\n    p += d\nshift(w, delta)\n",
    ),
}


@pytest.mark.parametrize("name", sorted(SHORTCUTS))
def test_shortcut_fails(grade, name: str) -> None:
    item_id, code = SHORTCUTS[name]
    verdict = grade(item_id, code)
    assert verdict.status != "pass", (name, verdict.message)


@pytest.mark.parametrize("name", sorted(RIGHT_ANSWERS))
def test_right_answer_in_another_style_passes(grade, name: str) -> None:
    item_id, code = RIGHT_ANSWERS[name]
    verdict = grade(item_id, code)
    assert verdict.status == "pass", (name, verdict.message)
