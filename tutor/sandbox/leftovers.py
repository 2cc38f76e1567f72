"""What a run's code can leave behind for its checks, found or cleared in tutor's own thread.

Process-wide hooks the code registered (module forward hooks, optimizer step hooks) would run
inside every check that calls a model or an optimizer, so they are emptied. Values a check
would have to believe are looked at by their *types* only (this runs in tutor's thread, where
no method of the code's may run): tensor subclasses, tensors whose instance shadows one of
torch's methods, and the code's own subclasses of numbers, strings and containers that
override what a check compares with (``losses[-1] < losses[0]`` on a float that always says
yes).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import torch
from torch.nn.modules import module as _module_mod
from torch.optim import optimizer as _optim_mod

# the global hook tables (OrderedDicts), as torch created them (bound now: the code may
# rebind the names), and how to empty one without calling a method the code could replace
_HOOK_TABLES = {
    (mod, name): getattr(mod, name)
    for mod in (_module_mod, _optim_mod)
    for name in dir(mod)
    if name.startswith("_global_") and isinstance(getattr(mod, name), dict)
}
_CLEAR = {OrderedDict: OrderedDict.clear, dict: dict.clear}
_FULL_BACKWARD = getattr(_module_mod, "_global_is_full_backward_hook", None)


def clear_global_hooks() -> None:
    """Empty torch's process-wide hook tables (and put the original tables back in place)."""
    for (module, name), table in _HOOK_TABLES.items():
        _CLEAR[type(table)](table)
        setattr(module, name, table)
    if hasattr(_module_mod, "_global_is_full_backward_hook"):
        _module_mod._global_is_full_backward_hook = _FULL_BACKWARD


_VALUE_TYPES = (int, float, complex, str, bytes, list, tuple, dict, set, frozenset)
_COMPARED = frozenset({
    "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__bool__", "__abs__",
    "__sub__", "__rsub__", "__add__", "__radd__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__neg__", "__pos__", "__float__", "__int__", "__index__", "__round__",
    "__len__", "__getitem__", "__iter__", "__contains__", "__hash__", "__repr__", "__str__",
    "__format__", "__pow__", "__mod__", "__floordiv__",
})  # fmt: skip
_PLAIN_TENSORS = (torch.Tensor, torch.nn.Parameter)
_TENSOR_ATTRS = frozenset(dir(torch.Tensor))
_MRO = type.__dict__["__mro__"].__get__
_TYPE_DICT = type.__dict__["__dict__"].__get__
_TYPE_NAME = type.__dict__["__name__"].__get__
_GETATTRIBUTE = object.__getattribute__  # finds the type's own __dict__ descriptor
MAX_ITEMS = 20_000  # items of a container looked at


def untrusted(ns: dict[str, Any], code_file: str) -> list[tuple[str, str]]:
    """What in the namespace a check could not believe: (flag, phrase) pairs, at most 3."""
    found: list[tuple[str, str]] = []
    seen = 0
    for name, value in list(ns.items()):
        if type(name) is not str or name.startswith("__"):
            continue
        found += _look(value, f"`{name}`", code_file)
        if type(value) in (list, tuple):
            for i, item in enumerate(value[:MAX_ITEMS]):
                found += _look(item, f"`{name}[{i}]`", code_file)
            seen += len(value)
        elif type(value) is dict:
            for item in list(value.values())[:MAX_ITEMS]:
                found += _look(item, f"an item of `{name}`", code_file)
            seen += len(value)
        if len(found) >= 3 or seen > 10 * MAX_ITEMS:
            break
    return found[:3]


_PLAIN = frozenset({int, float, bool, complex, str, bytes, type(None)})


def _look(value: Any, where: str, code_file: str) -> list[tuple[str, str]]:
    kind = type(value)
    if kind in _PLAIN:
        return []
    if issubclass(kind, torch.Tensor):
        if kind not in _PLAIN_TENSORS:
            return [("tensor-subclass", f"{where} is a tensor subclass ({_TYPE_NAME(kind)})")]
        shadowed = _shadowed_methods(value)
        if shadowed:
            return [("shadowed-method", f"{where} has its own `{shadowed}` in place of torch's")]
        return []
    if kind in _VALUE_TYPES or not issubclass(kind, _VALUE_TYPES):
        return []
    for klass in _MRO(kind):
        if klass in _VALUE_TYPES or klass is object:
            break
        for attr, member in list(_TYPE_DICT(klass).items()):
            code = getattr(member, "__code__", None) if type(attr) is str else None
            if attr in _COMPARED and code is not None and code.co_filename == code_file:
                phrase = f"{where} is a {_TYPE_NAME(kind)} whose `{attr}` is the code's own"
                return [("lying-value", phrase)]
    return []


def _shadowed_methods(tensor: torch.Tensor) -> str:
    try:
        own = _GETATTRIBUTE(tensor, "__dict__")
    except (AttributeError, TypeError):
        return ""
    if type(own) is not dict:
        return ""
    for key in list(own):
        if type(key) is str and key in _TENSOR_ATTRS:
            return key
    return ""
