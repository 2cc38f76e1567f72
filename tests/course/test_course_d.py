"""Group D of the course (lessons 19-24), played by two learners.

``ODD`` answers every exercise of lessons 19-24 right, in styles the lessons' ``accept`` blocks
do not show (a BatchSampler, torch.distributions, a loss returned as a tensor,
requires_grad_(False) instead of no_grad, torch.save to a buffer, einsum, a Value with
__slots__, ...), and ``ANSWERS`` every quiz and prediction, so the outputs the lessons state
are the outputs their code prints: every item must pass. ``SLY`` holds shortcuts that the
``wrong`` blocks do not already cover (the watcher of model calls silenced, autograd reached
through importlib, torch through sys.modules, a loss that ignores the data, ...): each must
fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.cli.main import main
from tutor.lesson.load import builtin_lessons_dir

pytestmark = pytest.mark.slow

GROUP_D = [
    "mini-batches",
    "evaluation",
    "logistic-regression",
    "linear-limits",
    "backprop-by-hand",
    "tiny-autograd",
]

ANSWERS = {  # quizzes (the choice) and predictions (the printed text)
    "predict-batches": "3 [4, 4, 2]",
    "quiz-steps-per-epoch": "2",
    "quiz-why-shuffle": "2",
    "predict-eval-vs-no-grad": "False False True False",
    "quiz-eval-without-no-grad": "2",
    "quiz-state-dict-copy": "2",
    "quiz-why-logistic-classifies": "2",
    "quiz-mean-value": "2",
    "quiz-bias": "2",
    "predict-line-on-parabola": "0.2222",
    "quiz-why-mse-stays-high": "2",
    "quiz-noise-floor": "3",
    "quiz-matmul-grad": "2",
    "predict-relu-backward": "tensor([ 0., 20., 30.,  0.])",
    "predict-assign-not-accumulate": "3.0",
    "quiz-why-topological": "2",
}


ODD = {  # exercise id -> a right answer in an unusual style
    "backprop-grads": """\
import torch
def gradients(x, y, w1, w2):
    h = torch.einsum("nd,dh->nh", x, w1)
    a = h.clamp(min=0)
    e = torch.einsum("nh,ho->no", a, w2) - y
    g = 2 * e
    gw2 = torch.einsum("nh,no->ho", a, g)
    gh = torch.einsum("no,ho->nh", g, w2) * (h > 0)
    gw1 = torch.einsum("nd,nh->dh", x, gh)
    return (e * e).sum(), gw1, gw2
""",
    "best-epoch": """\
import io
best_loss, buffer = float("inf"), None
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    v = validation_loss(model)
    if v < best_loss:
        best_loss = v
        buffer = io.BytesIO()
        torch.save(model.state_dict(), buffer)
buffer.seek(0)
model.load_state_dict(torch.load(buffer))
""",
    "engine-add-mul": """\
class Value:
    __slots__ = ("data", "grad", "_prev", "_back")
    def __init__(self, data, _prev=()):
        self.data = data
        self.grad = 0
        self._prev = _prev
        self._back = None
    def _wrap(self, o):
        return o if isinstance(o, Value) else Value(o)
    def __add__(self, o):
        o = self._wrap(o)
        out = Value(self.data + o.data, (self, o))
        out._back = lambda: (
            setattr(self, "grad", self.grad + out.grad),
            setattr(o, "grad", o.grad + out.grad),
        )
        return out
    def __radd__(self, o):
        return self._wrap(o) + self
    def __mul__(self, o):
        o = self._wrap(o)
        out = Value(self.data * o.data, (self, o))
        out._back = lambda: (
            setattr(self, "grad", self.grad + o.data * out.grad),
            setattr(o, "grad", o.grad + self.data * out.grad),
        )
        return out
    def __rmul__(self, o):
        return self._wrap(o) * self
    def backward(self):
        topo, seen = [], set()
        def go(v):
            if id(v) in seen:
                return
            seen.add(id(v))
            for p in v._prev:
                go(p)
            topo.append(v)
        go(self)
        for v in topo:
            v.grad = 0
        self.grad = 1
        for v in reversed(topo):
            if v._back:
                v._back()
""",
    "engine-more-ops": """\
import math


class Value:
    # every operation with its own rule; nothing derived from the others

    def __init__(self, data, parents=()):
        self.data, self.grad, self.parents, self.rule = float(data), 0.0, parents, None

    @staticmethod
    def lift(v):
        return v if isinstance(v, Value) else Value(v)

    def _make(self, data, parents, local):
        out = Value(data, parents)
        out.rule = local
        return out

    def __add__(self, o):
        o = Value.lift(o)
        return self._make(self.data + o.data, (self, o), (1.0, 1.0))

    def __radd__(self, o):
        return Value.lift(o) + self

    def __sub__(self, o):
        o = Value.lift(o)
        return self._make(self.data - o.data, (self, o), (1.0, -1.0))

    def __rsub__(self, o):
        return Value.lift(o) - self

    def __neg__(self):
        return self._make(-self.data, (self,), (-1.0,))

    def __mul__(self, o):
        o = Value.lift(o)
        return self._make(self.data * o.data, (self, o), (o.data, self.data))

    def __rmul__(self, o):
        return Value.lift(o) * self

    def __truediv__(self, o):
        o = Value.lift(o)
        return self._make(self.data / o.data, (self, o), (1 / o.data, -self.data / o.data ** 2))

    def __rtruediv__(self, o):
        return Value.lift(o) / self

    def __pow__(self, p):
        return self._make(self.data ** p, (self,), (p * self.data ** (p - 1),))

    def tanh(self):
        t = math.tanh(self.data)
        return self._make(t, (self,), (1 - t * t,))

    def relu(self):
        return self._make(max(0.0, self.data), (self,), (float(self.data > 0),))

    def backward(self):
        order, state = [], {}
        stack = [self]
        while stack:
            v = stack[-1]
            if state.get(id(v)) is None:
                state[id(v)] = 1
                stack.extend(p for p in v.parents if id(p) not in state)
            else:
                stack.pop()
                if state[id(v)] == 1:
                    state[id(v)] = 2
                    order.append(v)
        self.grad = 1.0
        for v in reversed(order):
            for p, d in zip(v.parents, v.rule or ()):
                p.grad += d * v.grad
""",
    "fit-parabola-linear": """\
import torch
from torch import nn
loss_fn = nn.MSELoss()
def run(model, inp, opt):
    out = []
    for _ in range(500):
        l = loss_fn(model(inp), y)
        opt.zero_grad(); l.backward(); opt.step(); out.append(l.item())
    return out
line_losses = run(line, x, torch.optim.SGD(line.parameters(), lr=0.1, momentum=0.0))
feats = torch.column_stack([x[:, 0], x[:, 0] ** 2])
quad_losses = run(quad, feats, torch.optim.Adam(quad.parameters(), lr=0.1))
with torch.no_grad():
    line_mse = loss_fn(line(x), y)
    quad_mse = loss_fn(quad(feats), y)
""",
    "make-clusters": """\
import torch
from torch.distributions import Normal

x0 = Normal(torch.tensor([mean_value + bias] * 2), 1.0).sample((sample_nums,))
x1 = Normal(torch.tensor([bias - mean_value] * 2), 1.0).sample((sample_nums,))
train_x = torch.cat([x0, x1])
train_y = torch.zeros(2 * sample_nums)
train_y[sample_nums:] = 1
""",
    "make-loader": """\
from torch.utils.data import DataLoader, TensorDataset, BatchSampler, RandomSampler
dataset = TensorDataset(X, y)
batches = BatchSampler(RandomSampler(dataset), bs, drop_last=False)
loader = DataLoader(dataset, batch_sampler=batches)
""",
    "minibatch-train": """\
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

def train_epoch(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad(set_to_none=False)
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return torch.stack(losses).mean()

loader = DataLoader(TensorDataset(X, y), 16, shuffle=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epoch_losses = [float(train_epoch(model, loader, nn.MSELoss(), optimizer)) for _ in range(20)]
""",
    "noise-floor": """\
import torch.nn.functional as F
fit(model, x, y, steps=3000)
train_mse = F.mse_loss(model(x), y).item()
new_mse = F.mse_loss(model(x_new), y_new).item()
floor = ((y_new - 2 * x_new - 1) ** 2).mean().item()
""",
    "train-by-hand": """\
losses = []
lr = learning_rate
for step in range(200):
    h = x @ w1
    mask = (h > 0).to(h.dtype)
    a = h * mask
    err = a @ w2 - y
    losses.append((err ** 2).sum().item())
    g = 2 * err
    gw2 = a.T @ g
    gw1 = x.T @ ((g @ w2.T) * mask)
    w2 = w2 - lr * gw2
    w1 = w1 - lr * gw1
""",
    "train-logistic": """\
import torch
from torch import nn
model = nn.Sequential(linear, nn.Sigmoid())
opt = torch.optim.SGD([linear.weight, linear.bias], lr=1e-2, momentum=0.9, nesterov=False)
losses = []
it = 0
while True:
    probs = model(train_x)[:, 0]
    loss = nn.BCELoss(reduction="mean")(probs, train_y)
    opt.zero_grad(set_to_none=False)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    it += 1
    acc = (probs.round() == train_y).float().mean()
    if acc >= 0.99 or it == 1000:
        break
""",
    "validation-loop": """\
# odd but right: train(False), requires_grad_(False) instead of no_grad, F.mse_loss, batches
import torch.nn.functional as F
val_losses = []
for epoch in range(n_epochs):
    model.train(True)
    perm = torch.randperm(80)
    for i in range(0, 80, 40):
        idx = perm[i:i + 40]
        optimizer.zero_grad()
        F.mse_loss(model(x_train[idx]), y_train[idx]).backward()
        optimizer.step()
    model.train(False)
    model.requires_grad_(False)
    val_losses.append(F.mse_loss(model(x_val), y_val).item())
    model.requires_grad_(True)
""",
}

SLY = {  # (exercise id, the shortcut) -> its code
    ("backprop-grads", "autograd.grad under inference_mode(False)"): """\
import torch
def gradients(x, y, w1, w2):
    w1 = torch.nn.Parameter(w1.clone())
    w2 = torch.nn.Parameter(w2.clone())
    with torch.inference_mode(False):
        loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
    g = torch.autograd.grad
    return loss, *g(loss, (w1, w2))
""",
    ("backprop-grads", "vjp reached through importlib"): """\
import torch
import importlib
def gradients(x, y, w1, w2):
    F = importlib.import_module("torch.autograd.functional")
    f = lambda a, b: (x.mm(a).clamp(min=0).mm(b) - y).pow(2).sum()
    with torch.enable_grad():
        _, (g1, g2) = F.vjp(f, (w1, w2))
    return f(w1, w2), g1, g2
""",
    ("best-epoch", "the start kept instead of the best"): """\
import copy
snapshot = copy.deepcopy(model.state_dict())
best_loss = float("inf")
for epoch in range(n_epochs):
    train_one_epoch(model, optimizer)
    best_loss = min(best_loss, validation_loss(model))
model.load_state_dict(snapshot)
""",
    ("engine-add-mul", "torch reached through sys.modules"): """\
import sys
class Value:
    def __init__(self, data, t=None):
        T = sys.modules["tor" + "ch"]
        self.t = t if t is not None else T.tensor(float(data), dtype=T.float64, requires_grad=True)
        self.t.retain_grad(); self.data = self.t.item()
    @property
    def grad(self):
        return 0.0 if self.t.grad is None else self.t.grad.item()
    def __add__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(0, self.t + o.t)
    def __mul__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(0, self.t * o.t)
    __radd__ = __add__
    __rmul__ = __mul__
    def backward(self):
        self.t.backward()
""",
    ("make-loader", "a loader that replays one fixed order"): """\
from torch.utils.data import DataLoader, TensorDataset

class Fixed(DataLoader):
    def __iter__(self):
        return iter(self.batches)

dataset = TensorDataset(X, y)
loader = Fixed(dataset, batch_size=bs, shuffle=True)
loader.batches = list(DataLoader(dataset, batch_size=bs, shuffle=True))
""",
    ("noise-floor", "the floor nudged from the fitted error"): """\
fit(model, x, y)
train_mse = nn.functional.mse_loss(model(x), y).item()
new_mse = nn.functional.mse_loss(model(x_new), y_new).item()
floor = new_mse * 0.999
""",
    ("train-by-hand", "hand gradients handed to torch.optim"): """\
import torch
w1 = torch.nn.Parameter(w1)
w2 = torch.nn.Parameter(w2)
opt = torch.optim.SGD([w1, w2], lr=learning_rate)
losses = []
for t in range(200):
    h = x.mm(w1.detach())
    g = 2 * (h.clamp(min=0).mm(w2.detach()) - y)
    losses.append(float((g / 2).pow(2).sum()))
    w2.grad = h.clamp(min=0).t().mm(g)
    w1.grad = x.t().mm(g.mm(w2.detach().t()) * (h > 0))
    opt.step()
""",
    ("train-logistic", "a loss that ignores the data"): """\
import torch
optimizer = torch.optim.SGD(linear.parameters(), lr=0.01, momentum=0.9)
losses = []
for i in range(50):
    loss = (linear.weight ** 2).sum() * 0 + linear.bias.sum() * 0
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
with torch.no_grad():
    m0, m1 = train_x[:100].mean(0), train_x[100:].mean(0)
    linear.weight.copy_((m1 - m0).view(1, 2))
    linear.bias.copy_(-(m1 - m0) @ (m0 + m1) / 2)
""",
    ("validation-loop", "watcher silenced through getattr"): """\
# cheat: silence the watcher, then train on everything
val_losses = []
hooks = getattr(model, "_forward_" + "hooks")
for epoch in range(n_epochs):
    model.train()
    loss = nn.functional.mse_loss(model(torch.cat([x_train, x_val])), torch.cat([y_train, y_val]))
    optimizer.zero_grad(); loss.backward(); optimizer.step()
    model.eval()
    with torch.no_grad():
        val_losses.append(nn.functional.mse_loss(model(x_val), y_val).item())
""",
}


def grade(folder: Path) -> dict[str, dict]:
    """Grade a submission folder against the course, with one hidden seed of a fixed salt
    (the items it has no file for are "missing")."""
    output = folder / "result.json"
    args = ["grade", str(folder), "--lessons", str(builtin_lessons_dir()), "--format", "json"]
    main([*args, "--output", str(output), "--extra-seeds", "1", "--seed-salt", "course-d"])
    return {e["id"]: e for e in json.loads(output.read_text())["exercises"]}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_odd_but_right_answers_pass(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(cache))
    for item, code in ODD.items():
        (tmp_path / f"{item}.py").write_text(code)
    for item, answer in ANSWERS.items():
        (tmp_path / f"{item}.txt").write_text(answer)
    results = {k: e for k, e in grade(tmp_path).items() if e["lesson"] in GROUP_D}
    assert set(results) == set(ODD) | set(ANSWERS), "every item of lessons 19-24 is answered"
    failed = {k: (e["status"], e["message"]) for k, e in results.items() if e["status"] != "pass"}
    assert failed == {}


def test_shortcuts_fail(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(cache))
    rounds: list[dict[str, tuple[str, str]]] = []  # one folder holds one file per exercise
    for (item, shortcut), code in sorted(SLY.items()):
        free = next((r for r in rounds if item not in r), None)
        if free is None:
            rounds.append(free := {})
        free[item] = (shortcut, code)
    passed = {}
    for n, files in enumerate(rounds):
        folder = tmp_path / f"round-{n}"
        folder.mkdir()
        for item, (_, code) in files.items():
            (folder / f"{item}.py").write_text(code)
        results = grade(folder)
        for item, (shortcut, _) in files.items():
            if results[item]["status"] not in ("fail", "error"):
                passed[(item, shortcut)] = results[item]["message"]
    assert passed == {}, "shortcuts that passed"
