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
)  # fmt: skip


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
        "tutor.sandbox.streams.CappedBuffer": sys.modules["tutor.sandbox.streams"].CappedBuffer,
    }


_BASELINE: dict[str, guard.TamperSnapshot] = {}  # mutated, never rebound: part of the snapshot


def baseline_snapshot() -> guard.TamperSnapshot:
    """Taken once in the warm server before forking, so each child only compares."""
    if "snapshot" not in _BASELINE:
        _BASELINE["snapshot"] = guard.TamperSnapshot(tamper_targets())
    return _BASELINE["snapshot"]
