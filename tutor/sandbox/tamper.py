"""What checks rely on, recorded once in the server: the tamper snapshot every run compares
against (torch, builtins, numpy, tutor's own sandbox modules), so a run that swapped any of
them is refused before its checks are believed."""

from __future__ import annotations

import builtins
import sys
from typing import Any

import numpy as np
import torch

from tutor.sandbox import guard, values

OWN_MODULES = (
    "tutor.sandbox.child", "tutor.sandbox.run", "tutor.sandbox.checks", "tutor.sandbox.errors",
    "tutor.sandbox.trampoline", "tutor.sandbox.streams", "tutor.sandbox.tamper",
    "tutor.sandbox.leftovers",
)  # fmt: skip


_MORE_MODULES = (
    "torch.linalg", "torch.nn", "torch.nn.init", "torch.nn.modules.module", "torch.optim",
    "torch.optim.optimizer", "torch.func", "torch.autograd.functional", "torch.autograd.graph",
    "torch.utils.data", "math", "random", "numpy.linalg", "numpy.random",
)  # fmt: skip


_CLASSES = (
    "torch.nn.Linear", "torch.nn.Sequential", "torch.nn.ReLU", "torch.nn.Sigmoid",
    "torch.nn.Tanh", "torch.nn.Dropout", "torch.nn.MSELoss", "torch.nn.L1Loss",
    "torch.nn.BCELoss", "torch.nn.BCEWithLogitsLoss", "torch.nn.CrossEntropyLoss",
    "torch.nn.NLLLoss", "torch.nn.Parameter", "torch.optim.SGD", "torch.optim.Adam",
    "torch.utils.data.DataLoader", "torch.utils.data.Dataset", "torch.utils.data.TensorDataset",
)  # fmt: skip


def _classes() -> dict[str, Any]:
    """The classes checks most often build or call (layers, losses, optimizers, data): a
    check must get torch's, not one the code patched. Each target costs a read of its dict's
    version per run, so the list is kept to what lessons use."""
    out: dict[str, Any] = {}
    for dotted in _CLASSES:
        module, _, name = dotted.rpartition(".")
        value = getattr(sys.modules.get(module), name, None)
        if isinstance(value, type):
            out[dotted] = value
    return out


def tamper_targets() -> dict[str, Any]:
    import torch.nn.functional as F

    from tutor.sandbox import trace

    return {
        "builtins": builtins,
        "torch": torch,
        "torch.Tensor": torch.Tensor,
        "torch.TensorBase": torch._C.TensorBase,
        "torch.nn.Module": torch.nn.Module,
        "torch.nn.functional": F,
        "torch.autograd": torch.autograd,
        "torch.autograd.Function": torch.autograd.Function,
        "torch.optim.Optimizer": torch.optim.Optimizer,
        "numpy": np,
        "torch._C": (
            torch._C,
            ("PyTorchFileWriter", "PyTorchFileReader", "_dispatch_library", "DisableTorchFunction"),
        ),
        "torch._C.PyTorchFileWriter": torch._C.PyTorchFileWriter,
        "torch._C.PyTorchFileReader": torch._C.PyTorchFileReader,
        "torch.UntypedStorage": torch.UntypedStorage,
        "torch.TypedStorage": torch.TypedStorage,
        "torch.library": torch.library,
        "tutor.sandbox.guard": guard,
        "tutor.sandbox.guard.TamperSnapshot": guard.TamperSnapshot,
        "tutor.sandbox.values": values,
        "tutor.sandbox.trace": trace,
        "tutor.sandbox.trace.TraceView": trace.TraceView,
        "tutor.sandbox.trace.Recorder": trace.Recorder,
        **{name: sys.modules[name] for name in OWN_MODULES if name in sys.modules},
        **{name: sys.modules[name] for name in _MORE_MODULES if name in sys.modules},
        **_classes(),
        "tutor.sandbox.streams.CappedBuffer": sys.modules["tutor.sandbox.streams"].CappedBuffer,
    }


_BASELINE: dict[str, guard.TamperSnapshot] = {}  # mutated, never rebound: part of the snapshot


def baseline_snapshot() -> guard.TamperSnapshot:
    """Taken once in the warm server before forking, so each child only compares."""
    if "snapshot" not in _BASELINE:
        _BASELINE["snapshot"] = guard.TamperSnapshot(tamper_targets())
    return _BASELINE["snapshot"]


WALKED: list[int] = []  # namespaces the last check walked value by value (read by tests)


def take_snapshot() -> guard.TamperSnapshot:
    """The snapshot for this process's one run, taken out of the module (code can reach a
    module's globals, but not a local of the run) and sealed with this process's memory file."""
    snapshot = baseline_snapshot()
    _BASELINE.clear()
    snapshot.seal(guard.memory_state())
    return snapshot
