"""Compare two encoded check values (LESSON_FORMAT.md section 3) without importing torch.

Each comparison answers "equal?" and, when not, a short reason in the learner's terms
("shape (3,) vs (3, 1)", "requires_grad differs", "expected a leaf").
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.grading.clean import cut_words


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 1e-5
    atol: float = 1e-6


@dataclass(frozen=True)
class Verdict:
    equal: bool
    reason: str = ""


SAME = Verdict(True)


def show(value: dict[str, Any]) -> str:
    """A value as the learner would see it printed."""
    t = value.get("t")
    if t == "none":
        return "None"
    if t in ("bool", "int"):
        return repr(value["v"])
    if t == "float":
        return value.get("repr") or repr(value["v"])
    if t == "str":
        return repr(value["v"])
    if t == "node":
        return f"<{value['name']}>"
    if t == "raised":
        msg = cut_words((value.get("msg") or "").split("\n")[0], 200)
        return f"raised {value['type']}" + (f": {msg}" if msg else "")
    if t == "module":
        return f"{value.get('type', 'Module')} with {len(value.get('state', []))} tensors"
    return str(value.get("repr", f"<{value.get('type', t)}>"))


def _float(v: Any) -> float:
    return float(v) if not isinstance(v, str) else float(v.replace("inf", "inf"))


def _close(a: float, b: float, tol: Tolerance) -> bool:
    if math.isnan(a) and math.isnan(b):
        return True
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol.atol + tol.rtol * abs(b)


def _array(value: dict[str, Any]) -> np.ndarray | None:
    kind = value.get("kind")
    dtype = {"float": np.float64, "int": np.int64, "bool": np.bool_}.get(kind or "")
    if dtype is None or value.get("too_large"):
        return None
    if "data" in value:
        return np.asarray(value["data"], dtype=dtype)
    if "b64" in value:
        return np.frombuffer(base64.b64decode(value["b64"]), dtype=dtype)
    return None


def _shape(value: dict[str, Any]) -> str:
    dims = value.get("shape", [])
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _compare_arrays(exp: dict, got: dict, tol: Tolerance) -> Verdict:
    if exp.get("shape") != got.get("shape"):
        return Verdict(False, f"shape {_shape(got)} vs {_shape(exp)} expected")
    if exp.get("dtype") != got.get("dtype"):
        return Verdict(False, f"dtype {got.get('dtype')} vs {exp.get('dtype')} expected")
    a, b = _array(exp), _array(got)
    if a is None or b is None:
        if exp.get("too_large") or got.get("too_large"):
            return Verdict(False, "too large to compare; check a summary such as .sum() instead")
        return Verdict(exp.get("repr") == got.get("repr"), "values differ")
    if a.shape != b.shape:
        return Verdict(False, "values differ in size")
    if a.dtype == np.bool_ or a.dtype == np.int64:
        bad = a != b
    else:
        both_nan = np.isnan(a) & np.isnan(b)
        with np.errstate(invalid="ignore"):
            bad = ~(np.isclose(b, a, rtol=tol.rtol, atol=tol.atol) | both_nan)
    if not bad.any():
        return SAME
    idx = int(np.argmax(bad))
    if a.dtype == np.float64:
        diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
        diff = diff[~np.isnan(diff)]
        worst = (
            f"largest difference {float(diff.max()):.4g}"
            if diff.size
            else "NaN where a number was expected"
        )
        return Verdict(False, f"values differ ({int(bad.sum())} of {a.size}; {worst})")
    return Verdict(
        False, f"values differ ({int(bad.sum())} of {a.size}, first at flat index {idx})"
    )


def _compare_tensors(exp: dict, got: dict, tol: Tolerance) -> Verdict:
    if exp.get("requires_grad") != got.get("requires_grad"):
        want = "requires_grad=True" if exp.get("requires_grad") else "requires_grad=False"
        return Verdict(False, f"requires_grad differs: expected a tensor with {want}")
    return _compare_arrays(exp, got, tol)


def compare(exp: dict[str, Any], got: dict[str, Any], tol: Tolerance = Tolerance()) -> Verdict:
    """Is the learner's value ``got`` equal to the reference value ``exp``?"""
    te, tg = exp.get("t"), got.get("t")
    if te == "raised" or tg == "raised":
        if te == tg:
            same = exp.get("type") == got.get("type")
            return (
                SAME
                if same
                else Verdict(False, f"raised {got.get('type')}, expected {exp.get('type')}")
            )
        if tg == "raised":
            return Verdict(False, f"evaluating it raised {got.get('type')}")
        return Verdict(False, f"expected it to raise {exp.get('type')}")
    if {te, tg} == {"list", "tuple"}:  # the contract's row: same length, each item equal
        tg = te
    if te != tg:
        # 5 and 5.0 are different types: say so rather than "5 != 5.0"
        return Verdict(False, f"got {_a(_kind_name(got))}, expected {_a(_kind_name(exp))}")
    if te == "none":
        return SAME
    if te in ("bool", "int", "str"):
        return SAME if exp["v"] == got["v"] else Verdict(False, "")
    if te == "float":
        ok = _close(_float(got["v"]), _float(exp["v"]), tol)
        return SAME if ok else Verdict(False, "")
    if te == "node":
        return SAME if exp["name"] == got["name"] else Verdict(False, "a different operation")
    if te == "tensor":
        return _compare_tensors(exp, got, tol)
    if te == "ndarray":
        return _compare_arrays(exp, got, tol)
    if te == "module":
        return _compare_keyed(exp.get("state", []), got.get("state", []), tol, "state_dict key")
    if te in ("list", "tuple"):
        ei, gi = exp.get("items", []), got.get("items", [])
        if exp.get("len", len(ei)) != got.get("len", len(gi)):
            return Verdict(
                False, f"length {got.get('len', len(gi))} vs {exp.get('len', len(ei))} expected"
            )
        for n, (e, g) in enumerate(zip(ei, gi, strict=True)):
            v = compare(e, g, tol)
            if not v.equal:
                return Verdict(False, f"item {n}: {v.reason or show(g) + ' vs ' + show(e)}")
        return SAME
    if te == "dict":
        return _compare_keyed(exp.get("items", []), got.get("items", []), tol, "key")
    same = exp.get("type") == got.get("type") and exp.get("repr") == got.get("repr")
    return SAME if same else Verdict(False, "")


def _compare_keyed(exp_items: list, got_items: list, tol: Tolerance, noun: str) -> Verdict:
    e, g = dict((k, v) for k, v in exp_items), dict((k, v) for k, v in got_items)
    missing, extra = [k for k in e if k not in g], [k for k in g if k not in e]
    if missing:
        return Verdict(False, f"missing {noun} {missing[0]}")
    if extra:
        return Verdict(False, f"unexpected {noun} {extra[0]}")
    for key, ev in e.items():
        v = compare(ev, g[key], tol)
        if not v.equal:
            return Verdict(False, f"{key}: {v.reason or show(g[key]) + ' vs ' + show(ev)}")
    return SAME


def _a(kind: str) -> str:
    """``a tensor``, ``an int``, ``None``."""
    if kind == "None":
        return kind
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


def _kind_name(value: dict[str, Any]) -> str:
    return {
        "none": "None",
        "tensor": "tensor",
        "ndarray": "numpy array",
        "node": "grad_fn node",
        "module": "module",
    }.get(value.get("t", ""), value.get("type") or value.get("t", "value"))


LONG_EXPR = 40  # a check longer than this is named by its message, not shown whole
_GRAD = re.compile(r"([A-Za-z_][\w.]*?\.grad)\b")


def explain(
    expr: str, exp: dict[str, Any], got: dict[str, Any], verdict: Verdict, message: str = ""
) -> str:
    """One line for the learner: ``w.grad: expected tensor([5.]), got tensor([10.])``.

    The most common slip is said first, in the learner's words (``w.grad is None: did your
    code call backward()?``); a long check expression is named by its message instead."""
    about = f" [{message}]" if message else ""
    missing = _missing_grad(expr, exp, got)
    if missing:
        return (
            f"{missing} is None: did your code call backward() (and, for a tensor made by an "
            f"operation, retain_grad() before it)?{about}"
        )
    name = message if (message and len(expr) > LONG_EXPR) else expr
    line = f"{name}: expected {_short(show(exp))}, got {_short(show(got))}"
    hint = _domain_hint(expr, exp, got)
    extra = "; ".join(x for x in (verdict.reason, hint) if x)
    line = f"{line} ({extra})" if extra else line
    return line + (about if name == expr else "")


def _short(text: str, limit: int = 160) -> str:
    """A value as one short line (a whole tensor or list stays in the check's details)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 5] + " ...]"


def _missing_grad(expr: str, exp: dict[str, Any], got: dict[str, Any]) -> str:
    """``w.grad`` when the check failed because that gradient is None (and should not be)."""
    if exp.get("t") in ("none", "raised"):
        return ""
    if got.get("t") == "none" and expr.strip().endswith(".grad"):
        return expr.strip()
    nonetype = "'NoneType' object has no attribute" in str(got.get("msg", ""))
    if got.get("t") == "raised" and got.get("type") == "AttributeError" and nonetype:
        found = _GRAD.search(expr)
        return found.group(1) if found else ""
    return ""


def _domain_hint(expr: str, exp: dict[str, Any], got: dict[str, Any]) -> str:
    tail = expr.rsplit(".", 1)[-1].strip()
    if tail == "is_leaf" and exp.get("t") == got.get("t") == "bool":
        return (
            "expected a leaf" if exp["v"] else "expected not a leaf (a tensor made by an operation)"
        )
    if tail == "grad" and got.get("t") == "none" and exp.get("t") == "tensor":
        return "no gradient yet: was backward() called on something that depends on it?"
    if tail == "grad_fn" and got.get("t") == "none" and exp.get("t") == "node":
        return "expected a tensor made by an operation, got a leaf"
    return ""
