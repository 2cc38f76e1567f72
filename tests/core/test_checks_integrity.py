"""What code leaves behind cannot rewrite the checks (issue 13, item 3), and checks see the
real names (contract 3, version 1.1).

Every attack here is real code run through the shared warm sandbox. "Cannot pass" means the
check value comes back as the honest one (so the grader's comparison decides), or the run is
refused with a reason and a flag; either way a wrong answer never reads as right.
"""

from __future__ import annotations

import pytest

from tutor.sandbox import Job, RunResult, SandboxPool

HONEST = {"t": "bool", "v": False}  # the value of the check "x == 2" when x is 1


def run(pool: SandboxPool, code: str, **kw) -> RunResult:
    kw.setdefault("checks", ["x == 2"])
    return pool.run(Job(code="x = 1\n" + code, **kw))


def assert_not_forged(result: RunResult) -> None:
    """The honest value, or no values at all (refused, or the code killed its own run: a
    timer's default SIGALRM ends the process before anything is checked)."""
    if result.status == "ok":
        assert result.values == [HONEST], result.values
    else:
        assert result.status in ("violation", "crashed"), (result.status, result.reason)
        assert result.values == []


# each hook flips x only while a check is being evaluated (before that, changing x is just
# the code doing its job)
IN_CHECK = (
    "import sys, threading\n"
    "def flip(*args):\n"
    "    f = sys._getframe()\n"
    "    while f is not None:\n"
    "        if f.f_code.co_filename == '<check>':\n"
    "            globals()['x'] = 2\n"
    "        f = f.f_back\n"
    "    return flip\n"
)
LEFT_BEHIND = {
    "setprofile": IN_CHECK + "sys.setprofile(flip)\n",
    "settrace": IN_CHECK + "sys.settrace(flip)\n",
    "threading-settrace": IN_CHECK + "threading.settrace(flip)\n",
    "threading-setprofile": IN_CHECK + "threading.setprofile(flip)\n",
    "gc-callback": IN_CHECK + "import gc\ngc.callbacks.append(flip)\ngc.enable()\n",
    "timer": (
        IN_CHECK + "import signal\n"
        "try:\n    signal.signal(signal.SIGALRM, flip)\n"
        "except ValueError:\n    pass\n"
        "signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)\n"
    ),
    "thread-flips-values": (
        "import threading, time\n"
        "def flip():\n    while True:\n        globals()['x'] = 2\n        time.sleep(0.0001)\n"
        "threading.Thread(target=flip, daemon=True).start()\n"
    ),
    "interrupt-main": "import _thread\n_thread.interrupt_main()\n",
    "recursion-limit": "import sys\nsys.setrecursionlimit(30)\n",
}


@pytest.mark.parametrize("attack", list(LEFT_BEHIND))
def test_what_the_code_leaves_behind_does_not_act_during_checks(
    pool: SandboxPool, attack: str
) -> None:
    result = run(pool, LEFT_BEHIND[attack])
    assert_not_forged(result)
    if attack == "thread-flips-values":
        assert result.status == "violation" and "threads" in result.flags
        assert "threads running" in result.reason


SUBVERT = {
    "tensor-subclass": (
        "import torch\n"
        "class Liar(torch.Tensor):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    @classmethod\n"
        "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
        "        return torch.tensor(True)\n"
        "w = torch.ones(2).as_subclass(Liar)\n"
    ),
    "torch-function-mode": (
        "import torch\nfrom torch.overrides import TorchFunctionMode\n"
        "class Yes(TorchFunctionMode):\n"
        "    def __torch_function__(self, func, types, args=(), kwargs=None):\n"
        "        return torch.tensor(True)\n"
        "Yes().__enter__()\nw = torch.ones(2)\n"
    ),
    "torch-library-override": (
        "import torch\nlib = torch.library.Library('aten', 'IMPL')\n"
        "lib.impl('allclose', lambda *a, **k: True, 'CPU')\nw = torch.ones(2)\n"
    ),
}


@pytest.mark.parametrize("attack", list(SUBVERT))
def test_tensor_subclasses_modes_and_operator_overrides_cannot_lie(
    pool: SandboxPool, attack: str
) -> None:
    result = pool.run(Job(code=SUBVERT[attack], checks=["torch.allclose(w, torch.zeros(2))", "w"]))
    if result.status == "ok":  # the honest answer, or a check that raised: never True
        assert result.values[0] != {"t": "bool", "v": True}, (attack, result.values)
    else:
        assert result.status in ("violation", "raised"), (attack, result.reason)
    if attack == "torch-library-override":
        assert result.status == "violation" and "operator-override" in result.flags
    if attack == "tensor-subclass":
        assert "tensor-subclass" in result.flags


REACH = {
    "frames-of-other-threads": "import sys\nsys._current_frames()\n",
    "gc-objects": "import gc\ngc.get_objects()\n",
    "gc-referrers": "import gc\ngc.get_referrers(x)\n",
    "code-object": (
        "import tutor.sandbox.values as v\n"
        "def fake(value, depth=0):\n    return {'t': 'bool', 'v': True}\n"
        "v.encode.__code__ = fake.__code__\n"
    ),
    "defaults-of-trusted": (
        "import tutor.sandbox.guard as g\ng.TamperSnapshot.changes.__defaults__ = (None,) * 6\n"
    ),
    "proc-self-mem": "open('/proc/self/mem', 'rb')\n",
    "ctypes": "import ctypes\nctypes.string_at(id(x), 8)\n",
    "ctypes-library": "import ctypes\nctypes.CDLL(None).getpid()\n",
}


@pytest.mark.parametrize("attack", list(REACH))
def test_reaching_into_tutor_is_refused_while_the_code_runs(pool: SandboxPool, attack: str) -> None:
    result = run(pool, REACH[attack])
    assert result.status == "violation", (attack, result.status, result.reason)
    assert result.flags, attack


def test_walking_up_the_frames_finds_nothing_of_tutors(pool: SandboxPool) -> None:
    code = (
        "import sys\nf = sys._getframe()\nseen = []\n"
        "while f is not None:\n"
        "    seen.append((f.f_code.co_filename, sorted(f.f_locals)[:20]))\n"
        "    f = f.f_back\n"
    )
    result = run(pool, code, checks=["seen"])
    assert result.status == "ok", (result.reason, result.error)
    text = str(result.values)
    for secret in ("result", "flags", "set_stage", "emit", "snapshot", "job"):
        assert f"'{secret}'" not in text, (secret, text[:2000])
    assert "child.py" not in text and "server.py" not in text


def test_a_learners_own_operator_namespace_is_fine(pool: SandboxPool) -> None:
    code = (
        "import torch\n"
        "@torch.library.custom_op('mylib::twice', mutates_args=())\n"
        "def twice(t: torch.Tensor) -> torch.Tensor:\n    return t * 2\n"
        "v = twice(torch.ones(2)).sum().item()\n"
    )
    result = pool.run(Job(code=code, checks=["v"], timeout=30))
    assert result.status == "ok", (result.reason, result.error)
    assert result.values == [{"t": "float", "v": 4.0, "repr": "4.0"}]


def test_a_raise_of_the_codes_own_never_satisfies_raises(pool: SandboxPool) -> None:
    result = pool.run(Job(code="raise RuntimeError('x')", raises="RuntimeError", checks=["1"]))
    assert result.status == "raised" and result.raised_expected is False
    assert result.error is not None and result.error.own_raise


# -- real names ---------------------------------------------------------------------------


def test_the_reference_says_how_each_check_name_resolved(pool: SandboxPool) -> None:
    setup = "import torch\ndef helper(v):\n    return v * 2\ndata = torch.ones(2)\n"
    code = "import numpy as np\nimport torch.nn.functional as F\ny = helper(data)\nmine = 3\n"
    result = pool.run(
        Job(
            code=code,
            setup=setup,
            checks=["abs(mine)", "np.allclose(y, 2)", "F.relu(y)", "helper(data)", "torch", "mine"],
            describe_names=True,
        )
    )
    assert result.status == "ok", result.reason
    assert result.names == {
        "abs": "builtin",
        "np": "module:numpy",
        "F": "module:torch.nn.functional",
        "helper": "setup",
        "data": "setup-value",
        "torch": "module:torch",
        "y": "value",
        "mine": "value",
    }


SHADOWS = {
    "abs": ("abs = lambda v: 0\nd = -5\n", "abs(d) == 5"),
    "sorted": ("sorted = lambda v: [1, 2, 3]\nd = [3, 1, 2]\n", "sorted(d) == [1, 2, 3]"),
    "bool": ("bool = lambda v: True\nd = 0\n", "bool(d)"),
    "np": (
        "class np:\n    allclose = staticmethod(lambda *a: True)\nd = 1.0\n",
        "np.allclose(d, 2.0)",
    ),
    "torch": (
        "class torch:\n    allclose = staticmethod(lambda *a, **k: True)\n"
        "    ones = staticmethod(lambda *a: 0)\nd = 1.0\n",
        "torch.allclose(torch.ones(1) * d, torch.ones(1) * 2)",
    ),
}


@pytest.mark.parametrize("name", list(SHADOWS))
def test_a_shadowed_builtin_or_module_changes_no_check(pool: SandboxPool, name: str) -> None:
    code, check = SHADOWS[name]
    honest = {"abs": True, "sorted": True, "bool": False, "np": False, "torch": False}[name]
    real = {name: "builtin"} if name in ("abs", "sorted", "bool") else {}
    real.update({"np": "module:numpy", "torch": "module:torch"})
    result = pool.run(
        Job(code="import numpy as np\nimport torch\n" + code, checks=[check], real_names=real)
    )
    assert result.status == "ok", result.reason
    assert result.values == [{"t": "bool", "v": honest}]
    assert "shadowed-name" in result.flags
    assert any(f"`{name}`" in note for note in result.notes), result.notes


def test_a_replaced_setup_value_is_named_in_a_note(pool: SandboxPool) -> None:
    result = pool.run(
        Job(
            code="w = [1, 2, 3, 4]\n",
            setup="import torch\nw = torch.zeros(4, requires_grad=True)\n",
            checks=["w"],
            real_names={"w": "setup-value"},
        )
    )
    assert result.notes == [
        "your code replaced `w` from the setup (it was a leaf tensor that requires grad of "
        "shape (4,), now a list)"
    ]


# -- real code runs as in plain Python (issue 13, item 5) ---------------------------------

REAL_CODE = {
    "set_default_dtype": (
        "import torch\ntorch.set_default_dtype(torch.float64)\nv = torch.ones(2).dtype",
        "str(v)",
        "'torch.float64'",
    ),
    "set_default_tensor_type": (
        "import torch, warnings\nwarnings.simplefilter('ignore')\n"
        "torch.set_default_tensor_type(torch.DoubleTensor)\nv = torch.ones(1).dtype",
        "str(v)",
        "'torch.float64'",
    ),
    "__file__": ("import os\nv = os.path.basename(__file__)", "v.endswith('.py')", "True"),
    "inspect.getsource": (
        "import inspect\ndef f(a):\n    return a + 1\nv = inspect.getsource(f)",
        "v.splitlines()[0]",
        "'def f(a):'",
    ),
    "jit.script": (
        "import torch\n@torch.jit.script\ndef f(a: torch.Tensor) -> torch.Tensor:\n"
        "    return a * 2\nv = f(torch.ones(1)).item()",
        "v",
        "2.0",
    ),
    "stdout.buffer": (
        "import io, sys\nsys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8')\n"
        "print('héllo')\nsys.stdout.flush()\nv = 1",
        "v",
        "1",
    ),
    "stdout.reconfigure": (
        "import sys\nsys.stdout.reconfigure(encoding='utf-8')\nv = sys.stdout.encoding",
        "v",
        "'utf-8'",
    ),
}


@pytest.mark.parametrize("case", list(REAL_CODE))
def test_real_code_runs_as_in_plain_python(pool: SandboxPool, case: str) -> None:
    code, check, expected = REAL_CODE[case]
    result = pool.run(Job(code=code, checks=[check], timeout=30))
    assert result.status == "ok", (case, result.reason, result.error)
    value = result.values[0]
    assert repr(value.get("v")) == expected or str(value.get("v")) == expected, (case, value)
    if case == "stdout.buffer":
        assert "héllo" in result.output


def test_a_dataloader_with_workers_says_use_num_workers_0(pool: SandboxPool) -> None:
    code = (
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        "for batch in DataLoader(TensorDataset(torch.ones(8, 1)), batch_size=2, num_workers=2):\n"
        "    pass\n"
    )
    result = pool.run(Job(code=code, timeout=30))
    assert result.status == "violation"
    assert "num_workers=0" in result.reason


# -- the run's own records, reached through the frames the code CAN see -----------------

FIND_TRAMPOLINE = (
    "import sys\n"
    "f = sys._getframe()\n"
    "while f is not None and f.f_code.co_name != 'run_code':\n"
    "    f = f.f_back\n"
    "tramp = f.f_locals\n"
    "box, describe = tramp['box'], tramp['describe']\n"
)
FORGED_ENDINGS = {
    "a forged ending entry": (
        "fake = RuntimeError('one of the variables needed for gradient computation')\n"
        "box.append(('code', fake, describe(fake, 'code')))\n"
    ),
    "an ending through a second trampoline": (
        "code = compile('raise RuntimeError(\"x\")', 'torch/fake.py', 'exec')\n"
        "tramp['run_code'] if 'run_code' in tramp else None\n"
        "run = f.f_globals['run_code']\n"
        "run(None, code, {}, box, tramp['setup_done'], tramp['go'], None, tramp['flush'],\n"
        "    describe, tramp['_len'], tramp['_at'])\n"
    ),
}


@pytest.mark.parametrize("how", list(FORGED_ENDINGS))
def test_a_forged_ending_never_satisfies_raises(pool: SandboxPool, how: str) -> None:
    code = "import torch\nw = 3\n" + FIND_TRAMPOLINE + FORGED_ENDINGS[how]
    result = pool.run(Job(code=code, raises="RuntimeError", checks=["w"]))
    assert result.raised_expected is False, (how, result.status, result.reason, result.error)
    assert result.status in ("ok", "violation"), (how, result.status, result.reason)


def test_the_trampoline_holds_nothing_that_decides_a_verdict(pool: SandboxPool) -> None:
    code = FIND_TRAMPOLINE + "kept = sorted(vars(describe))\nx = 1\n"
    result = pool.run(Job(code=code, checks=["kept"], raises=None))
    assert result.status == "ok", (result.reason, result.error)
    assert result.values[0]["t"] == "list"
    assert [v["v"] for v in result.values[0]["items"]] == ["files"]


def test_a_setup_helper_sees_pythons_builtins_not_the_codes(pool: SandboxPool) -> None:
    setup = (
        "import torch\n"
        "def close(a, b):\n    return abs(float(a) - float(b)) < 1e-6\n"
        "def check(v):\n    return close(v, 2.0) and round(1.4) == 1\n"
    )
    code = "abs = lambda v: 0\nround = lambda v: 1\nanswer = 5.0\n"
    result = pool.run(
        Job(code=code, setup=setup, checks=["check(answer)"], real_names={"check": "setup"})
    )
    assert result.status == "ok", (result.reason, result.error)
    assert result.values == [{"t": "bool", "v": False}]  # 5 is not 2, whatever abs says


def test_a_setup_helpers_defaults_cannot_be_swapped(pool: SandboxPool) -> None:
    setup = "def expected(v, want=2.0):\n    return v == want\n"
    code = "expected.__defaults__ = (5.0,)\nanswer = 5.0\n"
    result = pool.run(Job(code=code, setup=setup, checks=["expected(answer)"]))
    assert result.status == "violation" and "code-object" in result.flags


def test_a_setup_helper_sees_the_setups_data_the_reference_left_alone(pool: SandboxPool) -> None:
    setup = "OPS = ['add', 'mul']\ndef n_ops():\n    return len(OPS)\n"
    code = "OPS = []\nmine = 1\n"
    reference = pool.run(Job(code="mine = 1\n", setup=setup, checks=["n_ops()"],
                             describe_names=True))  # fmt: skip
    assert reference.names["OPS"] == "setup-data" and reference.names["n_ops"] == "setup"
    from tutor.grading.grader import real_names

    result = pool.run(Job(code=code, setup=setup, checks=["n_ops()"],
                          real_names=real_names(reference)))  # fmt: skip
    assert result.values == [{"t": "int", "v": 2}]
