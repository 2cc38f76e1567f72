"""Lessons 11-17 (regression, optimizers, losses, modules, custom functions): submissions the
lesson files' own wrong/accept blocks do not cover, graded like a class in one batch.

Each case is a learner folder holding one submission; ``expect`` says whether it must pass
(a right answer in an odd style) or fail (a shortcut that skips the skill). The lessons'
``python wrong`` / ``python accept`` blocks are run by ``tutor lint`` (test_course.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.cli.main import main
from tutor.lesson.load import builtin_lessons_dir

LESSON_IDS = [
    "numpy-regression", "autograd-regression", "optimizers", "loss-functions", "nn-module",
    "sequential", "custom-function",
]  # fmt: skip

SUBMISSIONS = r"""
#### numpy-split fail every fifth row for validation (not random)
def split(x, y):
    mask = np.ones(len(x), bool)
    mask[::5] = False
    return x[mask], y[mask], x[::5], y[::5]

x_train, y_train, x_val, y_val = split(x, y)

#### numpy-split fail the first 20 rows for validation
def split(x, y):
    return x[20:], y[20:], x[:20], y[:20]

x_train, y_train, x_val, y_val = split(x, y)

#### numpy-split fail the rows shuffled once, the same way for every call
FIXED = np.random.permutation(100)

def split(x, y):
    return x[FIXED[:80]], y[FIXED[:80]], x[FIXED[80:]], y[FIXED[80:]]

x_train, y_train, x_val, y_val = split(x, y)

#### numpy-split pass indices from torch.randperm
import torch

def split(x, y):
    idx = torch.randperm(len(x)).numpy()
    cut = int(0.8 * len(x))
    return x[idx[:cut]], y[idx[:cut]], x[idx[cut:]], y[idx[cut:]]

x_train, y_train, x_val, y_val = split(x, y)

#### numpy-gradients fail np.polynomial instead of the formulas
from numpy.polynomial import polynomial as P
loss = float(((y_train - (a + b * x_train)) ** 2).mean())
a_grad = b_grad = float(P.polyfit(x_train[:, 0], y_train[:, 0], 1)[0])

#### numpy-train pass np.mean, tuple update, the gradient signs folded
losses = []
for _ in range(n_epochs):
    e = y_train - a - b * x_train
    losses.append(np.mean(e * e))
    a, b = a + lr * 2 * e.mean(), b + lr * 2 * (x_train * e).mean()

#### numpy-train fail gradient descent run for 5 epochs only, list padded
losses = []
for epoch in range(5):
    error = y_train - (a + b * x_train)
    losses.append((error ** 2).mean())
    a, b = a + lr * 2 * error.mean(), b + lr * 2 * (x_train * error).mean()
losses += [losses[-1]] * (n_epochs - 5)

#### autograd-step pass copy_ under no_grad, grad.data.zero_()
loss = ((y_train - (a + b * x_train)) ** 2).mean()
loss.backward()
with torch.no_grad():
    a.copy_(a - lr * a.grad)
    b.copy_(b - lr * b.grad)
a.grad.data.zero_()
b.grad.data.zero_()

#### autograd-step fail torch.func.grad instead of backward
import torch.func
loss = ((y_train - (a + b * x_train)) ** 2).mean()
mse = lambda p, q: ((y_train - (p + q * x_train)) ** 2).mean()
ga, gb = torch.func.grad(mse, argnums=(0, 1))(a.detach(), b.detach())
with torch.no_grad():
    a -= lr * ga
    b -= lr * gb
loss.backward()
a.grad = None
b.grad = None

#### fix-training-loop pass a no_grad-decorated update function
@torch.no_grad()
def update(p):
    p -= lr * p.grad
    p.grad = None

losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.item())
    loss.backward()
    update(a)
    update(b)

#### fix-training-loop pass detached loss tensors kept, .data assigned
losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.detach())
    loss.backward()
    a.data = a.data - lr * a.grad
    b.data = b.data - lr * b.grad
    a.grad.zero_()
    b.grad.zero_()

#### fix-training-loop fail torch.linalg.lstsq copied into the leaves
losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.item())
    loss.backward()
    a.grad = None
    b.grad = None
sol = torch.linalg.lstsq(torch.cat([torch.ones_like(x_train), x_train], 1), y_train).solution
with torch.no_grad():
    a.copy_(sol[0])
    b.copy_(sol[1])

#### sgd-train pass two parameter groups, lr given positionally
optimizer = torch.optim.SGD([{"params": [a]}, {"params": [b]}], lr)
losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.detach())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()

#### sgd-train fail SGD with momentum (another algorithm than asked)
optimizer = torch.optim.SGD([a, b], lr=lr, momentum=0.5)
losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.item())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()

#### sgd-train fail manual updates, trace counters forged through the function mode stack
from torch.overrides import _get_current_function_mode_stack
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        a -= lr * a.grad
        b -= lr * b.grad
    a.grad = None
    b.grad = None
rec = [m for m in _get_current_function_mode_stack() if hasattr(m, "rec")][0].rec
rec.optimizer_steps += n_epochs
rec.steps[optimizer] = n_epochs
rec.updates[a] = n_epochs
rec.updates[b] = n_epochs
if False:
    optimizer.step()

#### sgd-train fail manual updates, trace counters forged through the global optimizer hooks
import torch.optim.optimizer as oo
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    loss = ((y_train - (a + b * x_train)) ** 2).mean()
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        a -= lr * a.grad
        b -= lr * b.grad
    a.grad = None
    b.grad = None
rec = list(oo._global_optimizer_post_hooks.values())[0].__self__
rec.optimizer_steps += n_epochs
rec.steps[optimizer] = n_epochs
rec.updates[a] = n_epochs
rec.updates[b] = n_epochs
if False:
    optimizer.step()

#### momentum-trajectory pass a (1,)-shaped p and a summed loss
p = torch.tensor([p0]).requires_grad_()
optimizer = torch.optim.SGD([p], lr=0.1, momentum=0.9)
trajectory = []
for i in range(5):
    optimizer.zero_grad()
    (p ** 2).sum().backward()
    optimizer.step()
    trajectory.append(p.item())

#### adam-fit pass train returns detached tensors, zero_grad(set_to_none=False) first
def train(a, b, x, y, optimizer, n_epochs):
    out = []
    for _ in range(n_epochs):
        optimizer.zero_grad(set_to_none=False)
        loss = torch.nn.functional.mse_loss(a + b * x, y)
        loss.backward()
        optimizer.step()
        out.append(loss.detach())
    return out

optimizer = torch.optim.Adam([a, b], lr=0.1)
losses = train(a, b, x_train, y_train, optimizer, 300)

#### adam-fit fail train hard-codes plain SGD steps whatever optimizer it gets
def train(a, b, x, y, optimizer, n_epochs):
    sgd = torch.optim.SGD([a, b], lr=optimizer.param_groups[0]["lr"])
    losses = []
    for epoch in range(n_epochs):
        loss = ((y - (a + b * x)) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        sgd.step()
        sgd.zero_grad()
        optimizer.step()
    return losses

optimizer = torch.optim.Adam([a, b], lr=0.1)
losses = train(a, b, x_train, y_train, optimizer, 300)

#### mse-and-l1 pass pow and torch.mean, keyword arguments
mse = nn.MSELoss(reduction="mean")(pred, target)
l1 = nn.L1Loss()(input=pred, target=target)
mse_by_hand = torch.mean(torch.pow(pred - target, 2))

#### mse-and-l1 fail by hand through another library loss (l1_loss of the squares)
import torch.nn.functional as F
mse = nn.MSELoss()(pred, target)
l1 = nn.L1Loss()(pred, target)
mse_by_hand = F.l1_loss((pred - target) ** 2, torch.zeros_like(target))

#### mse-and-l1 fail by hand as a clone of the library's value
mse = nn.MSELoss()(pred, target)
l1 = nn.L1Loss()(pred, target)
mse_by_hand = mse.clone()

#### mse-and-l1 fail by hand: a leaf carrying the value plus a zero term for a graph
mse = nn.MSELoss()(pred, target)
l1 = nn.L1Loss()(pred, target)
mse_by_hand = mse.detach() + 0 * pred.sum()

#### loss-in-the-loop pass y_train rebound to (80, 1) once
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
y_train = y_train.reshape(80, 1)
losses = []
for epoch in range(n_epochs):
    loss = loss_fn(a + b * x_train, y_train)
    losses.append(loss.item())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()

#### loss-in-the-loop fail the loss by hand, loss_fn called every epoch only for show
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([a, b], lr=lr)
losses = []
for epoch in range(n_epochs):
    shown = loss_fn((a + b * x_train).view(-1), y_train)
    loss = ((y_train - (a + b * x_train).view(-1)) ** 2).mean()
    losses.append(loss.item())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()

#### bce-loss pass expit, F.binary_cross_entropy, a where-formula with log1p
import torch.nn.functional as F
probs = torch.special.expit(scores)
bce = F.binary_cross_entropy(probs, labels)
bce_by_hand = -torch.where(labels > 0.5, probs.log(), torch.log1p(-probs)).mean()

#### bce-loss fail by hand through BCEWithLogitsLoss
probs = torch.sigmoid(scores)
bce = nn.BCELoss()(probs, labels)
bce_by_hand = nn.BCEWithLogitsLoss()(scores, labels) + 0.0

#### fix-cross-entropy pass .to(torch.long)
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(logits, labels_f.to(torch.long))

#### manual-linear-module pass Parameter from torch.nn.parameter, torch.add/mul, an init argument
import torch
from torch.nn.parameter import Parameter

class ManualLinearRegression(torch.nn.Module):
    def __init__(self, init=0.1):
        super().__init__()
        self.a = Parameter(torch.full((1,), init))
        self.b = Parameter(torch.full((1,), init))

    def forward(self, x):
        return torch.add(self.a, torch.mul(self.b, x))

model = ManualLinearRegression()

#### manual-linear-module fail 0-dimensional parameters (the prompt asks for shape (1,))
import torch
from torch import nn

class ManualLinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(()))
        self.b = nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x

model = ManualLinearRegression()

#### module-train pass loss arguments swapped, explicit parameter list, eval() after
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD([model.a, model.b], lr=lr)
for epoch in range(n_epochs):
    model.train()
    loss = loss_fn(y_train, model(x_train))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()

#### module-train fail model.forward(x) instead of model(x)
model = ManualLinearRegression()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
for epoch in range(n_epochs):
    loss = loss_fn(model.forward(x_train), y_train)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()

#### make-train-step pass functools.partial instead of a closure
import functools

def _step(model, loss_fn, optimizer, x, y):
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()

def make_train_step(model, loss_fn, optimizer):
    return functools.partial(_step, model, loss_fn, optimizer)

train_step = make_train_step(model, loss_fn, optimizer)

#### make-train-step fail the step does not put the model in training mode
def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()
    return train_step

train_step = make_train_step(model, loss_fn, optimizer)

#### build-sequential pass an unpacked list, ReLU(inplace=True)
layers = [nn.Linear(1000, 100), nn.ReLU(inplace=True), nn.Linear(100, 10)]
model = nn.Sequential(*layers)

#### train-two-layer pass the setup's step in a for loop, eval() after
model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
step = make_train_step(model, loss_fn, optimizer)
losses = []
for i in range(50):
    losses.append(step(x, y))
model.eval()

#### multiply-add pass forward without ctx plus setup_context (torch 2 style)
import torch

class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(w, x, b):
        return w * x + b

    @staticmethod
    def setup_context(ctx, inputs, output):
        w, x, b = inputs
        ctx.save_for_backward(w, x)

    @staticmethod
    def backward(ctx, g):
        w, x = ctx.saved_tensors
        return g * x, g * w, g

#### multiply-add fail backward through torch.func.vjp
import torch

class MultiplyAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, x, b):
        ctx.save_for_backward(w, x, b)
        return w * x + b

    @staticmethod
    def backward(ctx, g):
        w, x, b = ctx.saved_tensors
        _, vjp = torch.func.vjp(lambda p, q, r: p * q + r, w, x, b)
        return vjp(g)

#### fix-cube-backward pass the output saved too, mul/pow chain
import torch

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x ** 3
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        return grad_output.mul(x.pow(2)).mul(3)

y = Cube.apply(x).sum()
y.backward()

#### fix-cube-backward fail a library derivative through torch.ops
import torch

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return torch.ops.aten.pow_backward(grad_output, x, 3)

y = Cube.apply(x).sum()
y.backward()
"""


def _cases(text: str) -> list[tuple[str, str, str, str]]:
    """(exercise id, "pass" | "fail", what it is, code) from '#### id expect what' blocks."""
    out = []
    for part in text.split("#### ")[1:]:
        head, _, code = part.partition("\n")
        item, expect, what = head.split(" ", 2)
        assert expect in ("pass", "fail"), head
        out.append((item, expect, what, code))
    return out


CASES = _cases(SUBMISSIONS)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, str]:
    """Grade every case as one learner of a class (one warm sandbox), with hidden seeds."""
    root = tmp_path_factory.mktemp("class")
    for n, (item, _, _, code) in enumerate(CASES):
        folder = root / f"case-{n:02d}"
        folder.mkdir()
        (folder / f"{item}.py").write_text(code.lstrip("\n"))
    out = root.parent / "summary.json"
    only = [arg for lesson in LESSON_IDS for arg in ("--only", lesson)]
    code = main(
        ["grade", "--batch", str(root), "--lessons", str(builtin_lessons_dir()), *only,
         "--format", "json", "--output", str(out), "--results-dir", str(root.parent / "r"),
         "--extra-seeds", "1", "--seed-salt", "course-c", "--jobs", "2"]
    )  # fmt: skip
    assert code in (0, 1)
    results = {}
    for n, (item, _, _, _) in enumerate(CASES):
        report = json.loads((root.parent / "r" / f"case-{n:02d}.json").read_text())
        mine = [e for e in report["exercises"] if e["id"] == item]
        results[f"case-{n:02d}"] = f"{mine[0]['status']}: {mine[0]['message']}" if mine else "?"
    return results


@pytest.mark.parametrize(
    ("n", "case"), list(enumerate(CASES)), ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)]
)
def test_case(verdicts: dict[str, str], n: int, case: tuple[str, str, str, str]) -> None:
    item, expect, what, _ = case
    verdict = verdicts[f"case-{n:02d}"]
    passed = verdict.startswith("pass:")
    assert passed == (expect == "pass"), f"{item} ({what}): {verdict}"


def test_cases_name_real_exercises() -> None:
    from tutor.lesson.load import load_course

    course = load_course([builtin_lessons_dir()])
    ids = {i.id for i in course.items() if i.kind == "exercise"}
    assert {c[0] for c in CASES} <= ids
    assert Path(builtin_lessons_dir()).is_dir()
