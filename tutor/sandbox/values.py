"""Turn the values check expressions produce into plain JSON data (runs inside the sandbox).

The grader compares these dicts without importing torch. Functions used here are bound at
import time (before any learner code runs), so patching ``torch.Tensor.tolist`` or friends in
learner code does not change how values are reported.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
import torch

INLINE_MAX = 1000  # elements sent as a JSON list; above that, raw bytes in base64
BYTES_MAX = 8 * 1024 * 1024  # bigger arrays are summarised, not sent
REPR_MAX = 2000
ITEMS_MAX = 10_000
DEPTH_MAX = 20

_Tensor = torch.Tensor
_Module = torch.nn.Module
_Node = torch.autograd.graph.Node
_detach = torch.Tensor.detach
_to_dense = torch.Tensor.to_dense
_view_as_real = torch.view_as_real
_contiguous = torch.Tensor.contiguous
_numpy = torch.Tensor.numpy
_to = torch.Tensor.to
_state_dict = torch.nn.Module.state_dict
_isinstance = isinstance
_repr = repr
_type = type
_tensor_repr = torch.Tensor.__repr__
_PLAIN_TENSORS = (torch.Tensor, torch.nn.Parameter)
SUBCLASS = "tensor subclass"  # the type name a refused tensor subclass is encoded with


def short_repr(value: Any) -> str:
    try:
        text = _tensor_repr(value) if _isinstance(value, _Tensor) else _repr(value)
    except Exception as exc:  # a hostile or broken __repr__
        text = f"<{_type(value).__name__} (repr failed: {_type(exc).__name__})>"
    if _type(text) is not str:  # a str subclass may lie about its length or slices
        text = f"<{_type(value).__name__}>"
    return text if len(text) <= REPR_MAX else text[: REPR_MAX - 3] + "..."


def _array_data(arr: np.ndarray) -> dict[str, Any]:
    """Values of a numeric array as float64/int64/bool data, inline or base64."""
    if arr.dtype.kind == "b":
        flat = arr.astype(np.bool_).reshape(-1)
        kind = "bool"
    elif arr.dtype.kind in "iu":
        flat = arr.astype(np.int64).reshape(-1)
        kind = "int"
    elif arr.dtype.kind in "fc":
        if arr.dtype.kind == "c":
            arr = np.stack([arr.real, arr.imag], axis=-1)
        flat = arr.astype(np.float64).reshape(-1)
        kind = "float"
    else:
        return {"kind": "other"}
    if flat.size <= INLINE_MAX:
        return {"kind": kind, "data": flat.tolist()}
    raw = np.ascontiguousarray(flat).tobytes()
    if len(raw) > BYTES_MAX:
        return {"kind": kind, "too_large": True, "size": int(flat.size)}
    return {"kind": kind, "b64": base64.b64encode(raw).decode()}


def encode_tensor(value: torch.Tensor) -> dict[str, Any]:
    grad_fn = value.grad_fn
    out: dict[str, Any] = {
        "t": "tensor",
        "shape": list(value.shape),
        "dtype": str(value.dtype).removeprefix("torch."),
        "requires_grad": bool(value.requires_grad),
        "is_leaf": bool(value.is_leaf),
        "grad_fn": _type(grad_fn).__name__ if grad_fn is not None else None,
        "repr": short_repr(value),
    }
    try:
        t = _detach(value)
        if t.layout != torch.strided:
            t = _to_dense(t)
        if t.is_complex():
            t = _view_as_real(t)
        if t.dtype in (torch.bfloat16, torch.float16) or t.dtype.is_floating_point:
            t = _to(t, torch.float64)
        elif t.dtype != torch.bool:
            t = _to(t, torch.int64)
        out.update(_array_data(_numpy(_contiguous(t.cpu()))))
    except Exception as exc:
        out.update({"kind": "other", "error": f"{_type(exc).__name__}: {exc}"})
    return out


def encode(value: Any, depth: int = 0) -> dict[str, Any]:
    """Encode one value following the comparison table of LESSON_FORMAT.md section 3."""
    if depth > DEPTH_MAX:
        return {"t": "other", "type": _type(value).__name__, "repr": "<nested too deep>"}
    if value is None:
        return {"t": "none"}
    if _isinstance(value, bool | np.bool_):
        return {"t": "bool", "v": bool(value)}
    if _isinstance(value, int | np.integer) and not _isinstance(value, bool):
        return {"t": "int", "v": int(value)}
    if _isinstance(value, float | np.floating):
        v = float(value)
        return {"t": "float", "v": v if math.isfinite(v) else repr(v), "repr": repr(v)}
    if _type(value) is str:
        return {"t": "str", "v": value[:100_000]}
    if _isinstance(value, _Tensor):
        if _type(value) not in _PLAIN_TENSORS:
            # a subclass can answer __eq__, __repr__ or torch functions as it likes
            name = _type(value).__name__
            return {"t": "other", "type": SUBCLASS, "repr": f"<{name}: a tensor subclass>"}
        return encode_tensor(value)
    if _isinstance(value, np.ndarray):
        out = {
            "t": "ndarray",
            "shape": list(value.shape),
            "dtype": str(value.dtype),
            "repr": short_repr(value),
        }
        out.update(_array_data(value))
        return out
    if _isinstance(value, _Node):
        return {"t": "node", "name": _type(value).__name__}
    if _isinstance(value, _Module):
        try:
            state = _state_dict(value)
            items = [[k, encode(v, depth + 1)] for k, v in list(state.items())[:ITEMS_MAX]]
        except Exception as exc:
            items = [["<error>", {"t": "other", "type": _type(exc).__name__, "repr": str(exc)}]]
        return {"t": "module", "type": _type(value).__name__, "state": items}
    if _type(value) in (list, tuple) or _isinstance(value, torch.Size):
        kind = "list" if _type(value) is list else "tuple"
        items = [encode(v, depth + 1) for v in list(value)[:ITEMS_MAX]]
        return {"t": kind, "items": items, "len": len(value), "repr": short_repr(value)}
    if _type(value) is dict:
        items = [[short_repr(k), encode(v, depth + 1)] for k, v in list(value.items())[:ITEMS_MAX]]
        return {"t": "dict", "items": items, "len": len(value), "repr": short_repr(value)}
    return {"t": "other", "type": _type(value).__name__, "repr": short_repr(value)}


def describe_graph(
    value: Any, names: dict[int, str] | None = None, max_nodes: int = 200
) -> dict[str, Any] | None:
    """The autograd graph behind a tensor, walked through ``grad_fn.next_functions``.

    ``names`` maps ``id(tensor)`` to the variable that holds it, so leaves read ``w``, ``x``.
    """
    names = names or {}
    if not _isinstance(value, _Tensor):
        return None
    seen: dict[int, dict[str, Any]] = {}

    def leaf_info(var: torch.Tensor) -> dict[str, Any]:
        # .grad of a non-leaf warns (and is None) unless retain_grad() was called
        grad = var.grad if var.is_leaf or var.retains_grad else None
        return {
            "name": names.get(id(var)),
            "shape": list(var.shape),
            "requires_grad": bool(var.requires_grad),
            "is_leaf": bool(var.is_leaf),
            "grad": short_repr(grad) if grad is not None else None,
            "value": short_repr(_detach(var)),
        }

    def walk(fn: Any) -> dict[str, Any]:
        if fn is None:
            return {"name": "None"}
        key = id(fn)
        if key in seen:
            ref: dict[str, Any] = {"name": _type(fn).__name__, "ref": True}
            if "leaf" in seen[key]:  # a leaf reached again (w in (w + x) * (w + 1)): name it
                ref["leaf"] = seen[key]["leaf"]
            return ref
        node: dict[str, Any] = {"name": _type(fn).__name__, "children": []}
        seen[key] = node
        if len(seen) > max_nodes:
            node["truncated"] = True
            return node
        var = getattr(fn, "variable", None)
        if _isinstance(var, _Tensor):
            node["leaf"] = leaf_info(var)
        for child, _ in getattr(fn, "next_functions", ()):
            if child is not None:
                node["children"].append(walk(child))
        return node

    root: dict[str, Any] = {"tensor": leaf_info(value)}
    root["grad_fn"] = walk(value.grad_fn) if value.grad_fn is not None else None
    return root
