"""Which tensor the graph view draws first: one that requires grad, found anywhere in the code
(inside loops, ``with`` blocks and functions too), preferring the usual output names.

Before a run only the code is known, so :func:`default_graph_target` reads the exercise's
reference solution: names bound to lists, numbers or text (``losses = []``, ``n = len(x)``,
``v = loss.item()``) are skipped. After a run, :func:`target_from_names` picks from what the
code really left (the engine's namespace summary): a tensor with a ``grad_fn``, else a leaf
that requires grad.
"""

from __future__ import annotations

import ast

from tutor.lesson.model import Exercise

PREFERRED = ("loss", "y", "z", "out", "output", "L", "l", "pred", "y_pred", "f", "c")
NOT_TENSORS = (ast.List, ast.ListComp, ast.Dict, ast.DictComp, ast.Set, ast.SetComp, ast.JoinedStr)
SCALAR_CALLS = {"len", "range", "int", "float", "str", "list", "dict", "tuple", "set", "print"}
SCALAR_METHODS = {"item", "tolist", "numpy", "append", "keys", "items", "values", "size"}
GRAPH_KINDS = ("grad_fn", "leaf")


def _targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for elt in node.elts for n in _targets(elt)]
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return []


def _not_a_tensor(value: ast.AST | None) -> bool:
    if value is None:
        return False
    if isinstance(value, NOT_TENSORS):
        return True
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Call):
        fn = value.func
        if isinstance(fn, ast.Name) and fn.id in SCALAR_CALLS:
            return True
        if isinstance(fn, ast.Attribute) and fn.attr in SCALAR_METHODS:
            return True
    return False


def assigned_names(code: str) -> list[str]:
    """Names the code binds to what may be a tensor, at any depth, in source order (each
    once, where it is last bound)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    bound: dict[str, tuple[int, int]] = {}
    not_tensor: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        value: ast.AST | None = None
        if isinstance(node, ast.Assign):
            names = [n for t in node.targets for n in _targets(t)]
            value = node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            names, value = _targets(node.target), node.value
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            names = _targets(node.target)
            value = node.iter if isinstance(node.iter, ast.Call) else None
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            names = _targets(node.optional_vars)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            fn = node.value.func  # losses.append(...): losses is a list
            if isinstance(fn, ast.Attribute) and fn.attr in ("append", "extend"):
                not_tensor.update(_targets(fn.value))
        for name in names:
            if _not_a_tensor(value) and not isinstance(node, ast.AugAssign):
                not_tensor.add(name)
            where = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
            bound[name] = max(bound.get(name, where), where)
    ordered = sorted(bound, key=lambda n: bound[n])
    return [n for n in ordered if n not in not_tensor and not n.startswith("_")]


def default_graph_target(ex: Exercise) -> str:
    """A name the solution binds to a tensor, preferring the usual output names."""
    names = assigned_names(ex.solution)
    for name in PREFERRED:
        if name in names:
            return name
    return names[-1] if names else "y"


def target_from_names(names: dict[str, str], current: str = "") -> str | None:
    """After a run: ``current`` if it is a tensor in the graph, else the best name that is
    (``names``: the run's name -> kind), else None when the run left no such tensor."""
    graphed = [n for n, kind in names.items() if kind in GRAPH_KINDS]
    if current in graphed:
        return current
    with_fn = [n for n in graphed if names[n] == "grad_fn"]
    for pool in (with_fn, graphed):
        for name in PREFERRED:
            if name in pool:
                return name
        if pool:
            return pool[-1]
    return None
