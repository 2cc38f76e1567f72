"""``trace``: what the code did, recorded in the sandbox the same way for every run.

Each test runs real code through the shared warm sandbox with ``trace=True`` and reads the
record through check expressions, exactly as a lesson's checks would.
"""

from __future__ import annotations

import pytest

from tutor.sandbox import Job, RunResult, SandboxPool


def traced(pool: SandboxPool, code: str, checks: list[str], **kw) -> list:
    result: RunResult = pool.run(Job(code=code, checks=checks, trace=True, **kw))
    assert result.status in ("ok", "raised"), (result.status, result.reason, result.error)
    out = []
    for value in result.values:
        if value["t"] in ("int", "bool", "str"):
            out.append(value["v"])
        elif value["t"] == "none":
            out.append(None)
        elif value["t"] in ("list", "tuple"):
            out.append([v.get("v") for v in value["items"]])
        elif value["t"] == "raised":
            raise AssertionError(f"a trace check raised {value}")
        else:
            out.append(value)
    return out


BACKWARD = """
import torch
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = (w + x) * (w + 1)
y.backward()
"""


def test_backward_calls_and_roots(pool: SandboxPool) -> None:
    calls, roots, grads = traced(
        pool, BACKWARD, ["trace.backward_calls", "trace.backward_roots", "trace.grad_calls"]
    )
    assert (calls, roots, grads) == (1, ["y"], 0)
    calls, roots = traced(
        pool,
        BACKWARD + "z = (w * 3).sum()\ntorch.autograd.backward([z])\n",
        ["trace.backward_calls", "trace.backward_roots"],
    )
    assert (calls, roots) == (2, ["y", "z"])


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (BACKWARD, "autograd"),
        # typed in: no backward at all
        (
            "import torch\nw = torch.tensor([1.], requires_grad=True)\nw.grad = torch.tensor([5.])",
            "assigned",
        ),
        # backward, then overwritten by hand
        (BACKWARD + "w.grad = torch.tensor([5.])\n", "assigned"),
        # backward, then changed in place
        (BACKWARD + "w.grad.mul_(2)\n", "changed"),
        # zeroed by the optimizer's way (set to None): no gradient
        (BACKWARD + "w.grad = None\n", None),
        # zeroed in place, then a fresh backward: autograd's again
        (BACKWARD + "w.grad.zero_()\ny2 = (w * 5).sum()\ny2.backward()\n", "autograd"),
        # writes that leave no version behind are still seen (the values moved)
        (BACKWARD + "w.grad.data = torch.tensor([7.])\n", "changed"),
        (BACKWARD + "w.grad.numpy()[...] = 7.0\n", "changed"),
        (BACKWARD + "w.grad.data.add_(1)\n", "changed"),
    ],
)
def test_grad_source_tells_autograd_from_assignment(
    pool: SandboxPool, code: str, expected: str | None
) -> None:
    (source,) = traced(pool, code, ["trace.grad_source(w)"])
    assert source == expected


def test_grad_source_of_a_non_leaf(pool: SandboxPool) -> None:
    code = (
        "import torch\nw = torch.tensor(1., requires_grad=True)\na = w * 2\na.retain_grad()\n"
        "b = w * 3\ny = a * b\ny.backward()\n"
    )
    kept, dropped = traced(pool, code, ["trace.grad_source(a)", "trace.grad_source(b)"])
    assert (kept, dropped) == ("autograd", None)
    forged = "import torch\nw = torch.tensor(1., requires_grad=True)\na = w * 2\n"
    forged += "a.grad = torch.tensor(2.)\n"
    assert traced(pool, forged, ["trace.grad_source(a)"]) == ["assigned"]


TRAIN = """
import torch
torch.manual_seed(0)
x = torch.randn(20, 1)
y = 2 * x + 1
model = torch.nn.Linear(1, 1)
frozen = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD(list(model.parameters()) + [frozen], lr=0.1)
loss_fn = torch.nn.MSELoss()
for _ in range(5):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
"""


def test_optimizer_steps_updates_and_module_calls(pool: SandboxPool) -> None:
    steps, mine, updated, frozen, calls, by_class, losses, source = traced(
        pool,
        TRAIN,
        [
            "trace.optimizer_steps",
            "trace.steps(opt)",
            "trace.updates(model.weight)",
            "trace.updates(frozen)",
            "trace.calls(model)",
            "trace.module_calls",
            "trace.loss_modules",
            "trace.loss_source(loss)",
        ],
    )
    assert (steps, mine, updated, frozen, calls) == (5, 5, 5, 0, 5)
    assert {k: v["v"] for k, v in by_class["items"]} == {"'Linear'": 5, "'MSELoss'": 5}
    assert losses == ["MSELoss"]
    assert source == "MSELoss"


def test_a_fake_optimizer_takes_no_steps(pool: SandboxPool) -> None:
    fake = "type('Fake', (), {'step': lambda s: None, 'zero_grad': lambda s: None})()"
    code = TRAIN.replace("opt = torch.optim.SGD(list(model.parameters()) + [frozen], lr=0.1)",
                         f"opt = {fake}")  # fmt: skip
    assert code != TRAIN
    assert traced(pool, code, ["trace.optimizer_steps"]) == [0]


def test_an_optimizer_that_never_steps(pool: SandboxPool) -> None:
    code = TRAIN.replace("    opt.step()\n", "")
    assert traced(pool, code, ["trace.optimizer_steps", "trace.backward_calls"]) == [0, 5]


def test_functional_losses_and_called_functions(pool: SandboxPool) -> None:
    code = (
        "import torch\nimport torch.nn.functional as F\n"
        "p = torch.randn(4, requires_grad=True)\nt = torch.randn(4)\n"
        "loss = F.mse_loss(p, t)\nsol = torch.linalg.lstsq(torch.ones(3, 2), torch.ones(3, 1))\n"
    )
    source, lstsq, full, grad = traced(
        pool,
        code,
        [
            "trace.loss_source(loss)",
            "trace.called('lstsq')",
            "trace.called('torch.linalg.lstsq')",
            "trace.called('torch.autograd.grad')",
        ],
    )
    assert (source, lstsq, full, grad) == ("mse_loss", True, True, False)


def test_a_loss_that_ignores_its_inputs_is_not_a_loss_module(pool: SandboxPool) -> None:
    code = TRAIN.replace("loss_fn = torch.nn.MSELoss()", "loss_fn = lambda a, b: (a * 0).sum()")
    losses, source = traced(pool, code, ["trace.loss_modules", "trace.loss_source(loss)"])
    assert (losses, source) == ([], None)


def test_autograd_grad_calls(pool: SandboxPool) -> None:
    code = (
        "import torch\nx = torch.tensor(3., requires_grad=True)\ny = x ** 2\n"
        "(g,) = torch.autograd.grad(y, x, create_graph=True)\n(h,) = torch.autograd.grad(g, x)\n"
    )
    assert traced(pool, code, ["trace.grad_calls", "trace.backward_calls"]) == [2, 0]


def test_errors_that_left_torch_calls_caught_or_not(pool: SandboxPool) -> None:
    code = BACKWARD + "try:\n    y.backward()\nexcept RuntimeError:\n    pass\n"
    (errors,) = traced(pool, code, ["trace.errors"])
    assert len(errors) == 1 and errors[0].startswith("RuntimeError: Trying to backward")


def test_removing_the_trace_is_a_violation(pool: SandboxPool) -> None:
    for code in (
        "import torch\ntorch._C._pop_torch_function_stack()\n",
        "import torch.optim.optimizer as o\no._global_optimizer_post_hooks.clear()\n",
        "import torch.nn.modules.module as m\nm._global_forward_hooks.clear()\n",
    ):
        result = pool.run(Job(code=code, checks=["trace.backward_calls"], trace=True))
        assert result.status == "violation", (code, result.status, result.reason)
        assert "trace" in result.reason


def test_trace_is_not_there_unless_asked_and_cannot_be_shadowed(pool: SandboxPool) -> None:
    plain = pool.run(Job(code="x = 1", checks=["trace"]))
    assert plain.values[0]["t"] == "raised" and plain.values[0]["type"] == "NameError"
    shadow = "trace = type('T', (), {'backward_calls': 1})()\n"
    assert traced(pool, shadow, ["trace.backward_calls"]) == [0]


def test_torchs_own_helpers_are_not_the_codes_calls(pool: SandboxPool) -> None:
    code = (
        "import torch\nx = torch.ones(3, requires_grad=True)\n"
        "J = torch.autograd.functional.jacobian(lambda t: t * 2, x)\n"
    )
    grads, backwards = traced(pool, code, ["trace.grad_calls", "trace.backward_calls"])
    assert (grads, backwards) == (0, 0)  # jacobian's own autograd.grad calls are torch's
