"""Rules on the learner's code (LESSON_FORMAT 2a), judged on its syntax tree, never its text.

``check_rules(code, forbid, require)`` returns the :class:`Breach` es of one submission;
``placeholder_lines(code)`` the lines that still hold a bare ``...``. Only ``ast`` and the
standard library: the grading core runs without torch or numpy.

How a reference is resolved
---------------------------
The code is read by a small abstract interpreter. Every expression gets a set of *paths*:

* ``torch.autograd.grad``: a thing reached from an import (``import x``, ``import x.y``,
  ``import x as a``, ``from x import y [as z]``, ``from x import *``, ``__import__("x")``,
  ``importlib.import_module("x")``, ``sys.modules["x"]``), then through attribute chains,
  ``getattr(obj, "name")``, ``vars(m)["name"]`` / ``m.__dict__["name"]``, re-binding
  (``g = torch.autograd.grad``), containers (``[m][0]``, ``for f in (m,)``), function
  arguments and return values, class and object attributes (``C.apply = staticmethod(g)``),
  ``functools.partial``, ``staticmethod``... Builtins are paths too (``exec``, ``getattr``).
* a learner's own function, class or container (``<...>``): it shadows what the name held
  before, from that point on; a name a learner never binds is looked up as the setup left it
  (``check_rules(..., setup=...)``), else as a common alias (``np``, ``F``, ``nn``,
  ``optim``), else as the module of that name, and after ``from x import *`` also as ``x.name``.
* ``?.name``: an unknown object's attribute ``name`` (``y.backward``), kept so that
  ``f = y.backward; f()`` is still a call of ``backward``.

Names are flow-sensitive (``if``/``else`` join, loops run to a fixed point); a function
body sees the names it uses as they were when it was defined *or bound later* in the
enclosing scope (it may be called later). Over-approximation is the rule: a reference that
*may* reach a forbidden thing is a breach.

What an entry matches
---------------------
* ``torch.autograd.grad`` (dotted): any reference that resolves to that path or below it, on
  dotted boundaries (``torch.linalg`` forbids ``torch.linalg.lstsq``; ``torch.autograd.grad``
  does not match ``torch.autograd.gradcheck``). Importing it is a reference. ``np``, ``F``,
  ``nn`` and ``optim`` at the start of an entry mean numpy, torch.nn.functional, torch.nn and
  torch.optim.
* ``backward`` (bare): a call of any function or method of that name (``y.backward()``,
  ``torch.autograd.backward(y)``, ``bw(y)`` after ``from torch.autograd import backward as
  bw``, ``f = y.backward; f()``, ``getattr(y, "backward")()``), also when handed to something
  that calls it (``map``, ``filter``, ``functools.reduce``, ``itertools.starmap``, ``key=`` of
  ``sorted``/``min``/``max``, ``threading.Thread(target=...)``, ``operator.methodcaller``, or
  a parameter of the learner's own function that the function calls). A mere mention
  (``print(y.backward)``) is not a call. A learner's own function of that name counts: the
  rule is about the name. A bare entry that names a module (``numpy``, ``torch``, ``np``)
  also matches importing it and anything under it (``forbid = ["torch"]`` keeps torch out of
  a NumPy-by-hand exercise).
* ``.data`` (attribute): any attribute access of that name, read, write or delete
  (``w.data``, ``w.data = ...``, ``getattr(w, "data")``, ``setattr``, ``delattr``,
  ``operator.attrgetter("data")``, ``object.__getattribute__(w, "data")``).

Code the rules cannot see through (only when the exercise forbids something)
---------------------------------------------------------------------------
A breach of kind ``dynamic``, because whatever it reaches is invisible to a syntax tree:

* code built at run time: ``exec``, ``eval``, ``compile``, ``runpy.*``, ``code.interact`` /
  ``code.Interactive*``, ``types.FunctionType`` / ``CodeType``, ``pdb.run``,
  ``cProfile.run`` / ``profile.run``, ``timeit`` given code as text, TorchScript source
  (``torch.jit.CompilationUnit``), ``torch.utils.cpp_extension.load_inline``;
* objects rebuilt from bytes (a pickle can name and call any function): ``pickle``,
  ``marshal``, ``shelve``, ``dill``, ``cloudpickle``, ``joblib.load``, ``torch.load(...,
  weights_only=False)``, ``numpy.load(..., allow_pickle=True)``;
* a name looked up at run time: ``getattr``, ``__getattribute__``, ``operator.attrgetter`` /
  ``methodcaller``, ``__import__``, ``importlib.import_module``, a subscript or ``get`` of
  ``globals()`` / ``locals()`` / ``vars()`` / ``x.__dict__`` / ``sys.modules`` /
  ``__builtins__``, with a name that is not a constant string (constants, ``"a" + "b"``,
  f-strings of constants and names bound only to constant strings are fine);
  ``inspect.getmembers``; such a namespace's ``values()`` / ``items()`` / ``copy()``, or the
  namespace handed to a call the analysis does not model (``ChainMap(vars(m))``);
* any of the above handed on instead of called (``map(getattr, ...)``, ``run = exec``);
* writing through ``globals()`` / ``locals()`` / ``vars()`` / ``x.__dict__`` (subscript store,
  ``update``, ``setdefault``, ``pop``, ``__setitem__``, ``del``);
* Python's internals: ``__globals__``, ``__builtins__`` (as an attribute), ``__code__``,
  ``__closure__``, ``__defaults__``, ``__kwdefaults__``, ``__self__``, ``__subclasses__``,
  ``f_globals``, ``f_locals``, ``f_builtins``.

A plain ``getattr(x, "const")`` is never flagged, nor ``torch.compile``, ``re.compile`` or
``model.eval()`` (only the builtins are). Code that does not parse has no breaches (the
sandbox run reports the SyntaxError with its line).

Out of reach of a syntax tree (the run-time trace must catch these)
-------------------------------------------------------------------
* code kept as data and run by something the analysis does not know: a helper module the
  code writes to a file and then imports, a C extension, another process (the sandbox
  refuses processes);
* another function with the same effect: ``torch.func.grad``,
  ``torch.autograd.functional.vjp``, calling ``y.grad_fn(...)`` by hand,
  ``torch.ops.aten.linalg_lstsq`` / ``torch._C._linalg.linalg_lstsq`` for
  ``torch.linalg.lstsq``, ``np.polynomial.polynomial.polyfit`` for ``np.polyfit``: forbid
  those too (or a parent: ``torch.func``, ``torch.ops``, ``torch._C``), or check the trace;
* a method of a value whose type only the run knows: the dotted entry
  ``torch.Tensor.backward`` does not see ``y.backward()`` (the bare entry ``backward`` does);
  ``A.pinverse() @ b`` is no ``torch.linalg`` reference;
* values that pass through library code the analysis does not model (its results are
  unknown): e.g. a module object kept by a third-party container and handed back.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tutor.lesson.entries import ALIASES, normalise_entry
from tutor.lesson.source import parse_python

BreachKind = Literal["forbid", "require", "dynamic"]


def _entry_kind(entry: str) -> Literal["dotted", "bare", "attr"]:
    if entry.startswith("."):
        return "attr"
    return "dotted" if "." in entry else "bare"


# -- breaches -----------------------------------------------------------------------------

DYNAMIC_REASONS = {
    "code": "builds code at run time",
    "bytes": "rebuilds objects from bytes",
    "lookup": "looks a name up at run time",
    "write": "writes names at run time",
    "internals": "reaches into Python's internals",
}


@dataclass(frozen=True)
class Breach:
    """One way the code breaks a rule; ``describe()`` words it for the learner."""

    kind: BreachKind
    entry: (
        str  # the rule as written ("np.polyfit", "backward", ".data"); for dynamic: the construct
    )
    line: int | None  # 1-based line in the learner's code; None for a missing ``require``
    found: str  # what the code used, as written ("g", "np.polyfit", "w.data")
    action: str = (
        ""  # "calls", "uses", "imports", "sets", "deletes"; for dynamic: DYNAMIC_REASONS key
    )
    target: str = ""  # what was reached, in the entry's own spelling ("torch.linalg.lstsq")

    def describe(self) -> str:
        """``line 4: your code calls torch.autograd.grad (as g): not allowed here``."""
        if self.kind == "require":
            return f"your code never {_require_words(self.entry)}: required here"
        where = f"line {self.line}: " if self.line is not None else ""
        if self.kind == "dynamic":
            reason = DYNAMIC_REASONS.get(self.action, "builds code at run time")
            return (
                f"{where}your code {reason} ({self.found}): tutor cannot check what it "
                "calls; write it out"
            )
        if self.target:  # a dotted entry, or a module named by a bare entry
            what = self.target
        elif _entry_kind(self.entry) == "attr":
            return f"{where}your code {self.action or 'uses'} {self.entry} (in {self.found}): " + (
                "not allowed here"
            )
        elif _last(self.found) == self.entry:
            what = f"{self.found}()"
        else:
            what = f"{self.entry}()"
        alias = "" if self.found in (what, what.removesuffix("()")) else f" (as {self.found})"
        return f"{where}your code {self.action or 'uses'} {what}{alias}: not allowed here"

    def __str__(self) -> str:
        return self.describe()


def _require_words(entry: str) -> str:
    kind = _entry_kind(entry)
    if kind == "bare":
        return f"calls {entry}()"
    return f"uses {entry}"


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


# -- public API ---------------------------------------------------------------------------


def check_rules(
    code: str, forbid: Sequence[str], require: Sequence[str], *, setup: str = ""
) -> list[Breach]:
    """Breaches of ``forbid``/``require`` in ``code``, sorted by line (missing requires last).

    ``setup`` is the exercise's setup code, which runs before the learner's code in the same
    namespace: it is read for the names it binds (``import numpy as np``) but never judged.
    """
    if not forbid and not require:
        return []
    try:
        tree = parse_python(code)
    except (SyntaxError, ValueError):
        return []
    setup_tree = None
    if setup.strip():
        try:
            setup_tree = parse_python(setup)
        except (SyntaxError, ValueError):
            setup_tree = None
    analysis = _Analysis(forbid, require)
    analysis.walrus = ":=" in code or ":=" in setup
    analysis.run(setup_tree, tree)
    found = sorted(analysis.hits.values(), key=lambda b: (b.line or 0, b.kind, b.entry))
    missing = [
        Breach("require", entry, None, "")
        for entry in dict.fromkeys(require)
        if entry not in analysis.satisfied
    ]
    return found + missing


def placeholder_lines(code: str) -> list[int]:
    """Lines where ``code`` still has a bare ``...`` placeholder (sorted, no repeats).

    Counted: ``...`` used as a value (``w = ...``, a lone ``...`` statement, ``f(...)``,
    ``return ...``), and ``...`` as the whole body of a ``def``: a function that does nothing
    is an unfinished starter (``def loss(w): ...``). Not counted: ``...`` inside a subscript
    (``x[..., 0]``, ``tuple[int, ...]``), in an annotation, as the body of a ``class`` (an
    empty class is fine: ``class Stop(Exception): ...``), or as the body of an
    ``@abstractmethod``/``@overload`` stub. Code that does not parse: ``[]``.
    """
    try:
        tree = parse_python(code)
    except (SyntaxError, ValueError):
        return []
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            skip.update(id(n) for n in ast.walk(node.slice))
        elif isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            skip.update(id(n) for n in ast.walk(node.annotation))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.returns is not None:
                skip.update(id(n) for n in ast.walk(node.returns))
            if any(
                _decorator_name(d) in ("abstractmethod", "overload") for d in node.decorator_list
            ):
                skip.update(id(n) for n in ast.walk(node))
        elif isinstance(node, ast.ClassDef):
            body = _without_docstring(node.body)
            if len(body) == 1 and _is_ellipsis_stmt(body[0]):
                skip.add(id(body[0].value))  # type: ignore[attr-defined]
    return sorted(
        {
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and n.value is Ellipsis and id(n) not in skip
        }
    )


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body


def _is_ellipsis_stmt(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and stmt.value.value is Ellipsis
    )


# -- the abstract interpreter -------------------------------------------------------------

Paths = frozenset[str]
EMPTY: Paths = frozenset()
NS = "<ns>"  # globals() / locals() / vars() without an argument
STR = "=s:"  # a constant string value
MAX_DEPTH = 12  # longer attribute chains are treated as unknown objects
MAX_PASSES = 6  # passes until the call/return/attribute tables stop growing
MAX_LOOP = 3  # passes over a loop body until its names stop changing

CODE_CALLS = {
    "exec", "eval", "compile", "runpy.run_path", "runpy.run_module", "runpy._run_code",
    "code.interact", "code.InteractiveInterpreter", "code.InteractiveConsole",
    "types.FunctionType", "types.CodeType", "types.LambdaType", "pdb.run", "pdb.runeval",
    "cProfile.run", "cProfile.runctx", "profile.run", "profile.runctx",
    "torch.jit.CompilationUnit", "torch.utils.cpp_extension.load_inline",
}  # fmt: skip
CODE_IF_TEXT = {  # code given as text (a callable is fine): positions and keywords
    "timeit.timeit": ((0, 1), ("stmt", "setup")),
    "timeit.repeat": ((0, 1), ("stmt", "setup")),
    "timeit.Timer": ((0, 1), ("stmt", "setup")),
}
BYTES_CALLS = {
    "pickle.loads", "pickle.load", "pickle.Unpickler", "_pickle.loads", "_pickle.load",
    "_pickle.Unpickler", "marshal.loads", "marshal.load", "shelve.open", "dill.loads",
    "dill.load", "cloudpickle.loads", "cloudpickle.load", "joblib.load",
}  # fmt: skip
UNPICKLING_LOADS = {  # loaders that unpickle when a keyword says so: (keyword, safe constant)
    "torch.load": ("weights_only", True),
    "torch.serialization.load": ("weights_only", True),
    "numpy.load": ("allow_pickle", False),
}
LOOKUP_CALLS = {"inspect.getmembers", "inspect.getmembers_static"}
INTERNALS = {
    "__globals__", "__builtins__", "__code__", "__closure__", "__subclasses__",
    "__defaults__", "__kwdefaults__", "__self__", "f_globals", "f_locals", "f_builtins",
}  # fmt: skip
PASS_THROUGH = {  # calls whose result may be (one of) their argument(s) or its items
    "staticmethod", "classmethod", "property", "functools.partial", "functools.partialmethod",
    "functools.lru_cache", "functools.cache", "functools.wraps", "functools.reduce",
    "iter", "next", "list", "tuple", "set", "frozenset", "sorted", "reversed", "dict",
    "enumerate", "zip", "filter", "min", "max", "copy.copy", "copy.deepcopy",
    "operator.itemgetter", "operator.getitem", "types.MethodType", "types.SimpleNamespace",
    "weakref.proxy",
}  # fmt: skip
CALLERS = {  # callables that call (some of) their arguments: (positions, keywords)
    "map": ((0,), ()),
    "filter": ((0,), ()),
    "functools.reduce": ((0,), ()),
    "itertools.starmap": ((0,), ()),
    "sorted": ((), ("key",)),
    "min": ((), ("key",)),
    "max": ((), ("key",)),
    "threading.Thread": ((), ("target",)),
    "operator.call": ((0,), ()),
}
NAME_ARG = {  # callables taking a name to look up: position of the name
    "getattr": 1, "delattr": 1, "setattr": 1, "__import__": 0, "importlib.import_module": 0,
    "importlib.__import__": 0, "operator.methodcaller": 0,
}  # fmt: skip
MAPPING_GETTERS = {"get", "__getitem__", "pop", "setdefault"}
MAPPING_READERS = {"values", "items", "copy", "__iter__"}  # every name's value at once
STORE_METHODS = {"append", "appendleft", "add", "insert", "extend", "update", "setdefault"}
ITEM_METHODS = {"get", "pop", "popleft", "popitem", "setdefault", "copy", "values", "items",
                "__getitem__"}  # fmt: skip
MAPPING_WRITERS = {"update", "setdefault", "__setitem__", "__delitem__", "pop", "popitem", "clear"}


PASSED_AROUND = {  # a reference to one of these that is not a direct call hides what it does
    "getattr", "__import__", "importlib.import_module", "importlib.__import__",
    "operator.attrgetter", "operator.methodcaller",
} | CODE_CALLS | BYTES_CALLS | LOOKUP_CALLS  # fmt: skip


SPECIAL = (
    CODE_CALLS | BYTES_CALLS | LOOKUP_CALLS | set(CODE_IF_TEXT) | set(UNPICKLING_LOADS)
    | set(CALLERS) | PASS_THROUGH | set(NAME_ARG)
    | {"weakref.ref", "vars", "globals", "locals", "operator.attrgetter"}
)  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _canonical(path: str) -> str:
    """One spelling per object: builtins, ``sys.modules``, ``__dict__``, ``__init__``."""
    if path == "__builtins__":
        return "builtins"
    if ".__dict__." in path:
        path = path.replace(".__dict__.", ".")
    if ".__init__." in path:
        path = path.replace(".__init__.", ".")
    for prefix in ("builtins.", "__builtins__.", "sys.modules."):
        if path.startswith(prefix):
            path = path[len(prefix) :]
    return path


def _is_path(p: str) -> bool:
    """A thing reached from an import or a builtin (not a learner's object or a string)."""
    return p[:1] not in ("?", "<", "=")


def _is_mapping_base(p: str) -> bool:
    """A namespace whose subscripts are names: globals(), vars(m), m.__dict__, sys.modules."""
    return p == NS or p.endswith(".__dict__") or p in ("sys.modules", "builtins")


def _strings(vals: Paths) -> list[str] | None:
    """The constant strings ``vals`` may be, or None when any of it is not a constant."""
    if not vals or any(not v.startswith(STR) for v in vals):
        return None
    return [v[len(STR) :] for v in vals]


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every parsed node
        return "?"
    return text if len(text) <= 60 else text[:57] + "..."


class _Scope:
    """Names of one scope. ``live`` scopes (class bodies, comprehensions) run inline and see
    their parent as it is now; function scopes see it as of their definition and after."""

    def __init__(self, kind: str, key: str, parent: _Scope | None = None) -> None:
        self.kind = kind  # "module", "function", "class", "comp"
        self.key = key
        self.parent = parent
        self.env: dict[str, Paths] = {}
        self.log: dict[str, list[tuple[int, Paths]]] = {}
        self.idx = 0  # index of the top-level statement being run (for "bound later")
        self.locals: set[str] = set()
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.snap: dict[str, Paths] = {}  # parent's names when this function was defined
        self.def_idx = 0
        self.stars: list[str] = []  # modules star-imported (module scope)
        self.cls = ""  # for a class body: its key


@dataclass
class _Deferred:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    key: str
    parent: _Scope
    snap: dict[str, Paths]
    def_idx: int
    judging: bool
    self_value: Paths  # the first parameter of a method


class _Analysis:
    def __init__(self, forbid: Sequence[str], require: Sequence[str]) -> None:
        self.forbid = tuple(dict.fromkeys(forbid))
        self.require = tuple(dict.fromkeys(require))
        self.dynamic_on = bool(self.forbid)
        # (entry, rule kind, match kind, normalised): what to look for
        rules: list[tuple[str, str, str, str]] = []
        for kind, entries in (("forbid", self.forbid), ("require", self.require)):
            for entry in entries:
                ek = _entry_kind(entry)
                if ek == "attr":
                    rules.append((entry, kind, "attr", entry[1:]))
                elif ek == "dotted":
                    rules.append((entry, kind, "dotted", normalise_entry(entry)))
                else:
                    rules.append((entry, kind, "call", entry))
                    rules.append((entry, kind, "module", ALIASES.get(entry, entry)))
        self.dotted = [r for r in rules if r[2] in ("dotted", "module")]
        self.calls = [r for r in rules if r[2] == "call"]
        self.attrs_rules = [r for r in rules if r[2] == "attr"]
        # tables that grow across passes
        self.attrs: dict[str, Paths] = {}  # "<path>.name" / "?.name" / "<path>[]" -> values
        self.returns: dict[str, Paths] = {}
        self.params: dict[tuple[str, str], Paths] = {}
        self.global_writes: dict[str, Paths] = {}
        self.outer_writes: dict[tuple[str, str], Paths] = {}
        self.fn_info: dict[str, ast.arguments] = {}
        self.fn_names: dict[str, str] = {}
        self.bases: dict[str, Paths] = {}
        self.classes: set[str] = set()
        self.scans: dict[int, tuple[set[str], set[str], set[str]]] = {}
        self.walrus = True  # set by check_rules: does the source contain ":="?
        self.changed = False
        self.seen: set[tuple[int, object]] = set()  # table entries read in this pass
        # results of the last pass
        self.hits: dict[tuple[str, str, int], Breach] = {}
        self.satisfied: set[str] = set()
        self.judging = True
        self.src = "c"
        self.queue: list[_Deferred] = []
        self.fn_key = ""  # the function being run ("" at module level)

    # -- driving ---------------------------------------------------------------------------

    def run(self, setup: ast.Module | None, code: ast.Module) -> None:
        for _ in range(MAX_PASSES):
            self.changed = False
            self.hits, self.satisfied, self.seen = {}, set(), set()
            module = _Scope("module", "<module>")
            if setup is not None:
                self.judging, self.src = False, "s"
                self.block(setup.body, module, top=True)
            self.judging, self.src = True, "c"
            self.block(code.body, module, top=True)
            while self.queue:
                self.function(self.queue.pop(0))
            if not self.changed:
                break

    def add(self, table: dict, key, vals: Iterable[str]) -> None:
        old = table.get(key, EMPTY)
        new = old | frozenset(vals)
        if new != old:
            table[key] = new
            if (id(table), key) in self.seen:  # read earlier in this pass: run another
                self.changed = True

    def look(self, table: dict, key) -> Paths:
        self.seen.add((id(table), key))
        return table.get(key, EMPTY)

    # -- recording -------------------------------------------------------------------------

    def hit(self, kind: BreachKind, entry: str, node: ast.AST | int, found: str | ast.AST,
            action: str, target: str = "") -> None:  # fmt: skip
        if not self.judging:
            return
        if kind == "require":
            if action != "imports":  # importing a thing is not using it
                self.satisfied.add(entry)
            return
        line = node if isinstance(node, int) else getattr(node, "lineno", 0)
        key = (kind, entry, line)
        old = self.hits.get(key)
        found = found if isinstance(found, str) else _text(found)
        if old is None or len(found) > len(old.found):
            self.hits[key] = Breach(kind, entry, line, found, action, target)

    def dynamic(
        self, node: ast.AST, construct: str, reason: str, found: str | ast.AST = ""
    ) -> None:
        if self.dynamic_on:
            self.hit("dynamic", construct, node, found or construct, reason)

    def refs(
        self, node: ast.AST, vals: Iterable[str], action: str, found: str | ast.AST = ""
    ) -> None:
        """Dotted (and module-named bare) entries reached by ``vals`` at ``node``."""
        if not self.judging or not self.dotted:
            return
        for p in vals:
            if not _is_path(p):
                continue
            for entry, kind, how, norm in self.dotted:
                if how == "module" and p == norm and action != "imports":
                    continue  # a bare entry is a module only when imported or gone into
                if p == norm or p.startswith(norm + "."):
                    shown = entry + p[len(norm) :] if how == "dotted" else p
                    self.hit(kind, entry, node, found or node, action, shown)  # type: ignore[arg-type]

    def attr_use(self, node: ast.AST, name: str, action: str, found: str | ast.AST = "") -> None:
        for entry, kind, _how, attr in self.attrs_rules:
            if attr == name:
                self.hit(kind, entry, node, found or node, action)  # type: ignore[arg-type]

    def called(self, node: ast.AST, names: Iterable[str], found: str | ast.AST) -> None:
        if not self.calls or not self.judging:
            return
        names = set(names)
        for entry, kind, _how, name in self.calls:
            if name in names:
                self.hit(kind, entry, node, found, "calls")  # type: ignore[arg-type]

    def call_names(self, func: ast.AST | None, vals: Paths) -> set[str]:
        """The names a call of ``func`` (whose values are ``vals``) may be calling."""
        names: set[str] = set()
        while isinstance(func, ast.Attribute) and func.attr == "__call__":
            func = func.value
        if isinstance(func, ast.Name):
            names.add(func.id)
        elif isinstance(func, ast.Attribute):
            names.add(func.attr)
        for p in vals:
            if p.startswith("?."):
                names.add(p[2:])
            elif p.startswith("<"):
                if p in self.fn_names:
                    names.add(self.fn_names[p])
            elif _is_path(p):
                last = _last(p)
                names.add(_last(p.removesuffix(".__call__")) if last == "__call__" else last)
        return names

    # -- names -----------------------------------------------------------------------------

    def lookup(self, scope: _Scope, name: str) -> Paths:
        s = scope
        while s.kind in ("class", "comp"):
            if name in s.env:
                return s.env[name]
            assert s.parent is not None
            s = s.parent
        if s.kind == "module":
            vals = s.env[name] if name in s.env else self.unbound(s, name)
            return vals | self.look(self.global_writes, name)
        if name in s.globals:
            return self.everything(self.module_of(s), name)
        if name in s.locals:
            return s.env.get(name, EMPTY) | self.look(self.outer_writes, (s.key, name))
        return self.free(s, name)

    def free(self, s: _Scope, name: str) -> Paths:
        """``name`` as the function scope ``s`` sees it in its enclosing scopes."""
        parent = s.parent
        assert parent is not None
        bound = name in s.snap
        vals = set(s.snap.get(name, EMPTY))
        for idx, v in parent.log.get(name, ()):
            if idx >= s.def_idx:
                vals |= v
                bound = True
        if parent.kind == "module":
            written = self.look(self.global_writes, name)
            if written or name in self.global_writes:
                vals |= written
                bound = True
            return frozenset(vals) if bound else self.unbound(parent, name)
        if name in parent.globals:
            return self.everything(self.module_of(parent), name)
        if name in parent.locals:
            return frozenset(vals) | self.look(self.outer_writes, (parent.key, name))
        return self.free(parent, name)

    def module_of(self, s: _Scope) -> _Scope:
        while s.parent is not None:
            s = s.parent
        return s

    def everything(self, module: _Scope, name: str) -> Paths:
        vals = set(self.look(self.global_writes, name))
        for _idx, v in module.log.get(name, ()):
            vals |= v
        return frozenset(vals) if vals or name in module.log else self.unbound(module, name)

    def unbound(self, module: _Scope, name: str) -> Paths:
        """A name nobody bound: the setup's, a common alias, a module, or a star import's."""
        vals = {_canonical(ALIASES.get(name, name))}
        vals.update(f"{m}.{name}" for m in module.stars)
        return frozenset(vals)

    def bind(self, scope: _Scope, name: str, vals: Paths) -> None:
        s = scope
        if s.kind == "comp":  # a walrus in a comprehension binds in the enclosing scope
            while s.kind == "comp" and s.parent is not None:
                s = s.parent
        if s.kind == "function" and name in s.globals:
            self.add(self.global_writes, name, vals)
            return
        if s.kind == "function" and name in s.nonlocals:
            outer = s.parent
            while outer is not None and outer.kind == "function" and name not in outer.locals:
                outer = outer.parent
            if outer is not None and outer.kind == "function":
                self.add(self.outer_writes, (outer.key, name), vals)
            return
        s.env[name] = vals
        s.log.setdefault(name, []).append((s.idx, vals))
        if s.kind == "class":
            self.add(self.attrs, f"{s.cls}.{name}", vals)

    def bind_comp(self, scope: _Scope, name: str, vals: Paths) -> None:
        scope.env[name] = vals

    # -- values ----------------------------------------------------------------------------

    def attribute(self, base: Paths, name: str) -> Paths:
        out: set[str] = set()
        if not base:
            out.add("?." + name)
            out |= self.look(self.attrs, "?." + name)
        for p in base:
            if _is_mapping_base(p) and name in MAPPING_GETTERS | MAPPING_WRITERS | MAPPING_READERS:
                out.add(f"=ns:{name}:{p}")  # a method of globals(), m.__dict__, sys.modules
                continue
            if p.startswith(("?", "=")) or p == NS:
                out.add("?." + name)
                out |= self.look(self.attrs, "?." + name)
            elif p.startswith("<"):
                out.add("?." + name)
                out |= self.look(self.attrs, "?." + name)
                out |= self.learner_attribute(p, name)
            else:
                q = f"{p}.{name}"
                if q.count(".") >= MAX_DEPTH:
                    out.add("?." + name)
                    continue
                out.add(_canonical(q) if name != "__dict__" else q)
                out |= self.look(self.attrs, q)
        return frozenset(out)

    def learner_attribute(self, p: str, name: str, depth: int = 0) -> set[str]:
        """Attribute ``name`` of the learner's class or object ``p``: set in its body or on it,
        inherited, given by its ``__getattr__``, or returned by a property of that name."""
        out = set(self.look(self.attrs, f"{p}.{name}"))
        for hook in ("__getattr__", "__getattribute__"):
            for fn in self.look(self.attrs, f"{p}.{hook}"):
                out |= self.look(self.returns, fn)
        for b in self.look(self.bases, p):
            if _is_path(b):
                out.add(_canonical(f"{b}.{name}"))
            elif b.startswith("<") and depth < 8:
                out |= self.learner_attribute(b, name, depth + 1)
        for q in list(out):
            if q in self.fn_info:  # a property (for a method: its result, harmlessly)
                out |= self.look(self.returns, q)
        return out

    def items(self, vals: Paths) -> Paths:
        """What indexing or iterating over ``vals`` may give."""
        out: set[str] = set()
        for p in vals:
            if p.startswith("<"):
                out |= self.look(self.attrs, p + "[]")
        out |= self.look(self.attrs, "?[]")
        return frozenset(out)

    def container(self, node: ast.AST, elements: Iterable[str]) -> Paths:
        key = f"<{self.src}{getattr(node, 'lineno', 0)}.{getattr(node, 'col_offset', 0)}>"
        self.add(self.attrs, key + "[]", elements)
        return frozenset({key})

    def expr(self, node: ast.expr | None, scope: _Scope, role: str = "uses") -> Paths:
        if node is None:
            return EMPTY
        method = _E.get(type(node))
        if method is not None:
            return method(self, node, scope, role)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, scope)
        return EMPTY

    def e_Name(self, node: ast.Name, scope: _Scope, role: str) -> Paths:
        if not isinstance(node.ctx, ast.Load):
            return EMPTY
        vals = self.lookup(scope, node.id)
        self.refs(node, vals, role)
        if role != "calls":
            self.passed_around(node, vals)
        return vals

    def passed_around(self, node: ast.AST, vals: Paths) -> None:
        """``map(getattr, ...)``, ``run = exec``: a dynamic builtin handed on, not called."""
        if self.dynamic_on:
            for p in vals:
                if p in PASSED_AROUND:
                    self.dynamic(node, p, "code" if p in CODE_CALLS else "lookup", node)

    def e_Attribute(self, node: ast.Attribute, scope: _Scope, role: str) -> Paths:
        return self.attr_node(node, self.expr(node.value, scope), role)

    def attr_node(self, node: ast.Attribute, base: Paths, role: str) -> Paths:
        vals = self.attribute(base, node.attr)
        if node.attr in INTERNALS:
            self.dynamic(node, node.attr, "internals", node)
        if isinstance(node.ctx, ast.Load):
            self.attr_use(node, node.attr, "uses")
            self.refs(node, vals, role)
            if role != "calls":
                self.passed_around(node, vals)
        return vals

    def e_Constant(self, node: ast.Constant, scope: _Scope, role: str) -> Paths:
        if isinstance(node.value, str) and len(node.value) <= 200:
            return frozenset({STR + node.value})
        return EMPTY

    def e_JoinedStr(self, node: ast.JoinedStr, scope: _Scope, role: str) -> Paths:
        parts: list[list[str]] = []
        for value in node.values:
            got = self.expr(value, scope) if not isinstance(value, ast.Constant) else EMPTY
            if isinstance(value, ast.Constant):
                parts.append([str(value.value)])
            else:
                parts.append(_strings(got) or [])
                if not parts[-1]:
                    parts = []
                    break
        return self._concat(parts) if parts else EMPTY

    def e_FormattedValue(self, node: ast.FormattedValue, scope: _Scope, role: str) -> Paths:
        vals = self.expr(node.value, scope)
        self.expr(node.format_spec, scope)
        return vals if node.conversion in (-1, ord("s")) and node.format_spec is None else EMPTY

    def _concat(self, parts: list[list[str]]) -> Paths:
        out = [""]
        for options in parts:
            out = [a + b for a in out for b in options][:32]
        return frozenset(STR + s for s in out)

    def e_BinOp(self, node: ast.BinOp, scope: _Scope, role: str) -> Paths:
        left, right = self.expr(node.left, scope), self.expr(node.right, scope)
        if isinstance(node.op, ast.Add):
            a, b = _strings(left), _strings(right)
            if a is not None and b is not None:
                return self._concat([a, b])
        return EMPTY

    def e_BoolOp(self, node: ast.BoolOp, scope: _Scope, role: str) -> Paths:
        return frozenset().union(*(self.expr(v, scope) for v in node.values))

    def e_IfExp(self, node: ast.IfExp, scope: _Scope, role: str) -> Paths:
        self.expr(node.test, scope)
        return self.expr(node.body, scope, role) | self.expr(node.orelse, scope, role)

    def e_NamedExpr(self, node: ast.NamedExpr, scope: _Scope, role: str) -> Paths:
        vals = self.expr(node.value, scope, role)
        self.bind(scope, node.target.id, vals)
        return vals

    def e_Starred(self, node: ast.Starred, scope: _Scope, role: str) -> Paths:
        vals = self.expr(node.value, scope)
        return vals | self.items(vals)

    def e_List(self, node: ast.List | ast.Tuple | ast.Set, scope: _Scope, role: str) -> Paths:
        if not isinstance(getattr(node, "ctx", ast.Load()), ast.Load):
            return EMPTY
        elements: set[str] = set()
        for elt in node.elts:
            vals = self.expr(elt, scope, role)
            elements |= self.items(vals) if isinstance(elt, ast.Starred) else vals
        return self.container(node, elements)

    e_Tuple = e_List
    e_Set = e_List

    def e_Dict(self, node: ast.Dict, scope: _Scope, role: str) -> Paths:
        elements: set[str] = set()
        spread: set[str] = set()
        for k, v in zip(node.keys, node.values, strict=True):
            self.expr(k, scope)
            vals = self.expr(v, scope, role)
            elements |= vals if k is not None else self.items(vals)
            if k is None:  # {**vars(m)} is still m's namespace
                spread |= {p for p in vals if _is_mapping_base(p)}
        return self.container(node, elements) | spread

    def e_Subscript(self, node: ast.Subscript, scope: _Scope, role: str) -> Paths:
        base = self.expr(node.value, scope)
        key = self.expr(node.slice, scope)
        if not isinstance(node.ctx, ast.Load):
            return EMPTY
        return self.subscript(node, base, key, scope, role)

    def subscript(self, node: ast.AST, base: Paths, key: Paths, scope: _Scope, role: str) -> Paths:
        out = set(self.items(base))
        mapping = [p for p in base if _is_mapping_base(p)]
        if mapping:
            names = _strings(key)
            if names is None:
                self.dynamic(node, "subscript", "lookup", node)
            else:
                for p in mapping:
                    for name in names:
                        if p == NS:
                            got = self.lookup(scope, name) if name.isidentifier() else EMPTY
                        else:
                            got = self.attribute(frozenset({p}), name)
                        out |= got
        vals = frozenset(out)
        if mapping:
            self.refs(node, vals, role)
        return vals

    def e_Lambda(self, node: ast.Lambda, scope: _Scope, role: str) -> Paths:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            self.expr(default, scope)
        key = f"<{self.src}L{node.lineno}.{node.col_offset}>"
        self.defer(node, key, scope, EMPTY)
        return frozenset({key})

    def e_Yield(
        self, node: ast.Yield | ast.YieldFrom | ast.Await, scope: _Scope, role: str
    ) -> Paths:
        vals = self.expr(node.value, scope)
        if self.fn_key and not isinstance(node, ast.Await):
            gen = f"{self.fn_key}()"
            self.add(self.returns, self.fn_key, {gen})
            self.add(self.attrs, gen + "[]", vals | self.items(vals))
            return EMPTY
        return vals

    e_YieldFrom = e_Yield
    e_Await = e_Yield

    def comprehension(self, node: ast.AST, scope: _Scope) -> tuple[_Scope, Paths]:
        comp = _Scope("comp", "<comp>", scope)
        gens: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        for n, gen in enumerate(gens):
            source = self.expr(gen.iter, scope if n == 0 else comp)
            self.assign(gen.target, self.items(source), comp, comp_scope=True)
            for cond in gen.ifs:
                self.expr(cond, comp)
        return comp, EMPTY

    def e_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp, scope: _Scope,
                   role: str) -> Paths:  # fmt: skip
        comp, _ = self.comprehension(node, scope)
        return self.container(node, self.expr(node.elt, comp))

    e_SetComp = e_ListComp
    e_GeneratorExp = e_ListComp

    def e_DictComp(self, node: ast.DictComp, scope: _Scope, role: str) -> Paths:
        comp, _ = self.comprehension(node, scope)
        self.expr(node.key, comp)
        return self.container(node, self.expr(node.value, comp))

    # -- calls -----------------------------------------------------------------------------

    def e_Call(self, node: ast.Call, scope: _Scope, role: str) -> Paths:
        func = node.func
        if isinstance(func, ast.Attribute):
            base = self.expr(func.value, scope)
            fvals = self.attr_node(func, base, "calls")
        else:
            base, fvals = EMPTY, self.expr(func, scope, "calls")
        args = [self.expr(a, scope) for a in node.args]
        kwargs = {k.arg: self.expr(k.value, scope) for k in node.keywords if k.arg is not None}
        spread = [self.expr(k.value, scope) for k in node.keywords if k.arg is None]
        if self.calls:
            self.called(node, self.call_names(func, fvals), func)
        out: set[str] = set()
        for p in {_canonical(p) for p in fvals if _is_path(p)}:
            if p in SPECIAL or p.endswith(("__getattribute__", "__getattr__")):
                out |= self.special(node, p, base, args, kwargs, scope, role)
        for p in fvals:
            if p.startswith("<"):
                out |= self.call_learner(node, p, args, kwargs, spread)
            elif p.startswith("=ns:"):  # globals().get("g"), vars(m).items(), ...
                method, owner = p[4:].split(":", 1)
                if method in MAPPING_WRITERS:
                    self.dynamic(node, method, "write", node.func)
                elif method in MAPPING_READERS:
                    self.dynamic(node, method, "lookup", node.func)
                if method in MAPPING_GETTERS and args:
                    out |= self.subscript(node, frozenset({owner}), args[0], scope, role)
            elif p.startswith("=wr:"):  # weakref.ref(m)() is m
                out.add(p[4:])
            elif p.startswith("=ag:"):  # operator.attrgetter("a.b")(obj)
                for chain in p[4:].split("|"):
                    vals = args[0] if args else EMPTY
                    for part in chain.split("."):
                        vals = self.attribute(vals, part)
                    self.refs(node, vals, "uses")
                    out |= vals
        if (
            self.dynamic_on
            and any(
                _is_mapping_base(p) for vals in [*args, *kwargs.values(), *spread] for p in vals
            )
            and not all(
                p.startswith(("<", "=")) or _canonical(p) in PASS_THROUGH | {"vars"} for p in fvals
            )
        ):
            self.dynamic(node, "namespace", "lookup", node)  # ChainMap(vars(m))["g"]
        if isinstance(func, ast.Attribute):
            if func.attr == "__get__":  # f.__get__(obj) is f bound to obj
                out |= base
            if any(_is_mapping_base(p) for p in base):
                pass  # handled above through the =ns: markers
            elif func.attr in STORE_METHODS and args:  # fns.append(f): f is now an item
                stored = frozenset().union(*args)
                if func.attr in ("extend", "update"):
                    stored |= self.items(stored)
                for q in base or frozenset({"?"}):
                    self.add(self.attrs, q + "[]" if q.startswith("<") else "?[]", stored)
            if func.attr in ITEM_METHODS:  # fns.pop(), d.get("k"), d.values()
                out |= self.items(base)
        return frozenset(out)

    def special(self, node: ast.Call, p: str, base: Paths, args: list[Paths], kwargs: dict,
                scope: _Scope, role: str) -> Paths:  # fmt: skip
        """What calling the builtin or library function ``p`` gives (and what it breaks)."""
        out: set[str] = set()
        if p in CODE_CALLS:
            self.dynamic(node, p, "code", node.func)
        elif p in BYTES_CALLS:
            self.dynamic(node, p, "bytes", node.func)
        elif p in LOOKUP_CALLS:
            self.dynamic(node, p, "lookup", node.func)
        elif p in CODE_IF_TEXT:
            positions, keywords = CODE_IF_TEXT[p]
            given = [args[i] for i in positions if i < len(args)]
            given += [kwargs[k] for k in keywords if k in kwargs]
            if any(not vals or not all(q.startswith("<") for q in vals) for vals in given):
                self.dynamic(node, p, "code", node.func)
        elif p in UNPICKLING_LOADS:
            keyword, safe = UNPICKLING_LOADS[p]
            for kw in node.keywords:
                if kw.arg == keyword and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is safe
                ):
                    self.dynamic(node, p, "bytes", node.func)
        if p == "weakref.ref" and args:
            out |= {"=wr:" + q for q in args[0] if not q.startswith("=")}
        if p in CALLERS:
            positions, keywords = CALLERS[p]
            handed = [args[i] for i in positions if i < len(args)]
            handed += [kwargs[k] for k in keywords if k in kwargs]
            for vals in handed:
                self.called(node, self.call_names(None, vals), node)
                for q in vals:
                    if q.startswith("<"):
                        self.call_learner(node, q, [self.items(v) for v in args[1:]], {}, [])
        if p in PASS_THROUGH:
            for vals in args:
                out |= vals | self.items(vals)
        if p == "vars" and args:  # vars(m)["name"] is m.name
            out |= {f"{q}.__dict__" if _is_path(q) else q for q in args[0]}
        if p in ("globals", "locals") or (p == "vars" and not args):
            out.add(NS)
        if p in NAME_ARG:
            out |= self.named_call(node, p, args, kwargs, scope, role)
        elif p.endswith(("__getattribute__", "__getattr__")) and args:
            # x.__getattribute__("n") or object.__getattribute__(x, "n")
            obj = base if len(args) == 1 else args[0]
            names = _strings(args[-1])
            if names is None:
                self.dynamic(node, _last(p), "lookup", node)
            else:
                for name in names:
                    self.attr_use(node, name, "uses", node)
                    vals = self.attribute(obj, name)
                    self.refs(node, vals, role, node)
                    out |= vals
        elif p == "operator.attrgetter":
            names = [_strings(a) for a in args]
            if not args or any(n is None for n in names):
                self.dynamic(node, p, "lookup", node)
            else:
                chains = [c for n in names for c in n or ()]
                for chain in chains:
                    for part in chain.split("."):
                        self.attr_use(node, part, "uses", node)
                out.add("=ag:" + "|".join(chains))
        return frozenset(out)

    def named_call(self, node: ast.Call, p: str, args: list[Paths], kwargs: dict, scope: _Scope,
                   role: str) -> Paths:  # fmt: skip
        pos = NAME_ARG[p]
        kw = {"getattr": "name", "__import__": "name", "importlib.import_module": "name"}
        name_vals = args[pos] if pos < len(args) else kwargs.get(kw.get(p, ""))
        if name_vals is None:
            return EMPTY
        names = _strings(name_vals)
        found = node
        if names is None:
            if p not in ("setattr",):
                self.dynamic(node, p, "lookup", found)
            return EMPTY
        out: set[str] = set()
        if p in ("getattr", "delattr", "setattr"):
            obj = args[0] if args else EMPTY
            action = {"getattr": "uses", "delattr": "deletes", "setattr": "sets"}[p]
            for name in names:
                self.attr_use(node, name, action, found)
                if p == "getattr":
                    vals = self.attribute(obj, name)
                    self.refs(node, vals, role, found)
                    out |= vals
                elif p == "setattr" and len(args) > 2:
                    for q in obj:
                        if not q.startswith(("?", "=")):
                            self.add(self.attrs, f"{q}.{name}", args[2])
                    self.add(self.attrs, "?." + name, args[2])
            if p == "getattr" and len(args) > 2:
                out |= args[2]
        elif p == "operator.methodcaller":
            for name in names:
                self.attr_use(node, name, "uses", found)
                self.called(node, {name}, found)
        else:  # __import__, importlib.import_module, importlib.__import__
            fromlist = args[3] if len(args) > 3 else kwargs.get("fromlist", EMPTY)
            for name in names:
                if not name or name.startswith("."):
                    continue
                module = _canonical(name)
                self.refs(node, {module}, "imports", found)
                for item in _strings(self.items(fromlist)) or ():  # like "from m import a"
                    self.refs(node, {_canonical(f"{module}.{item}")}, "imports", found)
                if p == "importlib.import_module" or fromlist:
                    out.add(module)
                else:
                    out.add(module.split(".")[0])
        return frozenset(out)

    def call_learner(self, node: ast.Call, key: str, args: list[Paths], kwargs: dict,
                     spread: list[Paths]) -> Paths:  # fmt: skip
        """Record the arguments of a call of the learner's function (or class) ``key``."""
        info = self.fn_info.get(key)
        if info is None:
            if key in self.classes:  # an instance resolves like its class: calling either
                out = {key}  # runs __init__ or __call__ (over-approximated as both)
                for hook in ("__init__", "__call__"):
                    for fn in self.learner_attribute(key, hook):
                        if fn in self.fn_info:
                            out |= self.call_learner(node, fn, [frozenset({key}), *args], kwargs,
                                                     spread)  # fmt: skip
                return frozenset(out)
            return EMPTY
        positional = [a.arg for a in [*info.posonlyargs, *info.args]]
        extra = frozenset().union(*spread) if spread else EMPTY
        extra |= self.items(extra)
        method = isinstance(node.func, ast.Attribute)
        for shift in (0, 1) if method else (0,):
            for i, vals in enumerate(args):
                j = i + shift
                if isinstance(node.args[i] if i < len(node.args) else None, ast.Starred):
                    for name in positional[j:]:
                        self.add(self.params, (key, name), vals | self.items(vals))
                    if info.vararg:
                        self.add(self.attrs, f"{key}*[]", vals | self.items(vals))
                    continue
                if j < len(positional):
                    self.add(self.params, (key, positional[j]), vals)
                elif info.vararg:
                    self.add(self.attrs, f"{key}*[]", vals)
        for name, vals in kwargs.items():
            self.add(self.params, (key, name), vals)
            if info.kwarg:
                self.add(self.attrs, f"{key}**[]", vals)
        if extra:
            for a in [*positional, *(a.arg for a in info.kwonlyargs)]:
                self.add(self.params, (key, a), extra)
        return self.look(self.returns, key)

    # -- statements ------------------------------------------------------------------------

    def block(self, body: list[ast.stmt], scope: _Scope, top: bool = False) -> None:
        for stmt in body:
            if top:
                scope.idx += 1
            self.stmt(stmt, scope)

    def stmt(self, node: ast.stmt, scope: _Scope) -> None:
        method = _S.get(type(node))
        if method is not None:
            method(self, node, scope)
            return
        for child in ast.iter_child_nodes(node):  # Raise, Assert, Delete, Return, ...
            if isinstance(child, ast.expr):
                self.expr(child, scope)

    def s_Expr(self, node: ast.Expr, scope: _Scope) -> None:
        self.expr(node.value, scope)

    def s_Return(self, node: ast.Return, scope: _Scope) -> None:
        vals = self.expr(node.value, scope)
        if self.fn_key:
            self.add(self.returns, self.fn_key, vals)

    def s_Assign(self, node: ast.Assign, scope: _Scope) -> None:
        vals = self.expr(node.value, scope)
        for target in node.targets:
            self.assign(target, vals, scope)

    def s_AugAssign(self, node: ast.AugAssign, scope: _Scope) -> None:
        vals = self.expr(node.value, scope)
        target = node.target
        if isinstance(target, ast.Name):
            self.bind(scope, target.id, self.lookup(scope, target.id) | vals)
        else:
            if isinstance(target, ast.Attribute):
                self.attr_use(target, target.attr, "sets")
            self.assign(target, vals, scope)

    def s_AnnAssign(self, node: ast.AnnAssign, scope: _Scope) -> None:
        self.expr(node.annotation, scope)
        if node.value is not None:
            self.assign(node.target, self.expr(node.value, scope), scope)

    def s_Delete(self, node: ast.Delete, scope: _Scope) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                self.expr(target.value, scope)
                self.attr_use(target, target.attr, "deletes")
            elif isinstance(target, ast.Subscript):
                base = self.expr(target.value, scope)
                self.expr(target.slice, scope)
                if any(_is_mapping_base(p) for p in base):
                    self.dynamic(target, "del", "write", target)
            elif isinstance(target, ast.Name):
                self.bind(scope, target.id, EMPTY)

    def assign(
        self, target: ast.expr, vals: Paths, scope: _Scope, comp_scope: bool = False
    ) -> None:
        if isinstance(target, ast.Name):
            if comp_scope:
                self.bind_comp(scope, target.id, vals)
            else:
                self.bind(scope, target.id, vals)
        elif isinstance(target, ast.Attribute):
            base = self.expr(target.value, scope)
            self.attr_use(target, target.attr, "sets")
            if target.attr in INTERNALS:
                self.dynamic(target, target.attr, "internals", target)
            self.refs(target, self.attribute(base, target.attr), "sets")
            for p in base:
                if not p.startswith(("?", "=")):
                    self.add(self.attrs, f"{p}.{target.attr}", vals)
            self.add(self.attrs, "?." + target.attr, vals)
        elif isinstance(target, ast.Subscript):
            base = self.expr(target.value, scope)
            self.expr(target.slice, scope)
            if any(_is_mapping_base(p) for p in base):
                self.dynamic(target, "subscript", "write", target)
            for p in base or frozenset({"?"}):
                key = p + "[]" if p.startswith("<") else "?[]"
                self.add(self.attrs, key, vals)
        elif isinstance(target, ast.Tuple | ast.List):
            # items of a container, or the thing itself when an iterator gave it (zip, enumerate)
            parts = self.items(vals) | {p for p in vals if _is_path(p) or p.startswith(STR)}
            for elt in target.elts:
                if isinstance(elt, ast.Starred):
                    self.assign(elt.value, self.container(elt, parts), scope, comp_scope)
                else:
                    self.assign(elt, parts, scope, comp_scope)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, vals, scope, comp_scope)

    def s_Import(self, node: ast.Import, scope: _Scope) -> None:
        for alias in node.names:
            module = _canonical(alias.name)
            self.refs(node, {module}, "imports", alias.asname or alias.name)
            if alias.asname:
                self.bind(scope, alias.asname, frozenset({module}))
            else:
                top = alias.name.split(".")[0]
                self.bind(scope, top, frozenset({_canonical(top)}))

    def s_ImportFrom(self, node: ast.ImportFrom, scope: _Scope) -> None:
        if node.level or not node.module:
            for alias in node.names:
                if alias.name != "*":
                    self.bind(scope, alias.asname or alias.name, EMPTY)
            return
        module = _canonical(node.module)
        for alias in node.names:
            if alias.name == "*":
                self.refs(node, {module}, "imports", f"from {node.module} import *")
                star_scope = self.module_of(scope)
                if module not in star_scope.stars:
                    star_scope.stars.append(module)
                for name, vals in list(star_scope.env.items()):  # may rebind any name
                    star_scope.env[name] = vals | {f"{module}.{name}"}
                continue
            path = _canonical(f"{module}.{alias.name}")
            self.refs(node, {path}, "imports", alias.asname or path)
            self.bind(scope, alias.asname or alias.name, frozenset({path}))

    def s_If(self, node: ast.If, scope: _Scope) -> None:
        self.expr(node.test, scope)
        self.branches(scope, [node.body, node.orelse])

    def branches(self, scope: _Scope, bodies: list[list[ast.stmt]], keep: bool = True) -> None:
        """Run each body from the current names and join them (``keep``: also no body ran)."""
        start = dict(scope.env)
        ends = [start] if keep else []
        for body in bodies:
            scope.env = dict(start)
            self.block(body, scope)
            ends.append(scope.env)
        scope.env = _join(ends)

    def loop(self, scope: _Scope, run) -> None:
        for _ in range(MAX_LOOP):
            before = dict(scope.env)
            run()
            scope.env = _join([before, scope.env])
            if scope.env == before:
                break

    def s_For(self, node: ast.For | ast.AsyncFor, scope: _Scope) -> None:
        elements = self.items(self.expr(node.iter, scope))

        def run() -> None:
            self.assign(node.target, elements, scope)
            self.block(node.body, scope)

        self.loop(scope, run)
        self.block(node.orelse, scope)

    s_AsyncFor = s_For

    def s_While(self, node: ast.While, scope: _Scope) -> None:
        def run() -> None:
            self.expr(node.test, scope)
            self.block(node.body, scope)

        self.loop(scope, run)
        self.block(node.orelse, scope)

    def s_With(self, node: ast.With | ast.AsyncWith, scope: _Scope) -> None:
        for item in node.items:
            vals = self.expr(item.context_expr, scope)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, vals, scope)
        self.block(node.body, scope)

    s_AsyncWith = s_With

    def s_Try(self, node: ast.Try, scope: _Scope) -> None:
        start = dict(scope.env)
        self.block(node.body, scope)
        after_body = scope.env
        ends = []
        for handler in node.handlers:
            scope.env = _join([start, after_body])
            self.expr(handler.type, scope)
            if handler.name:
                self.bind(scope, handler.name, EMPTY)
            self.block(handler.body, scope)
            ends.append(scope.env)
        scope.env = dict(after_body)
        self.block(node.orelse, scope)
        ends.append(scope.env)
        scope.env = _join([start, *ends])
        self.block(node.finalbody, scope)

    s_TryStar = s_Try

    def s_Match(self, node: ast.Match, scope: _Scope) -> None:
        subject = self.expr(node.subject, scope)
        start = dict(scope.env)
        ends = [start]
        for case in node.cases:
            scope.env = dict(start)
            for sub in ast.walk(case.pattern):
                if isinstance(sub, ast.MatchValue):
                    self.expr(sub.value, scope)
                elif isinstance(sub, ast.MatchClass):
                    self.expr(sub.cls, scope)
                for name in (getattr(sub, "name", None), getattr(sub, "rest", None)):
                    if isinstance(name, str):
                        self.bind(scope, name, subject | self.items(subject))
            self.expr(case.guard, scope)
            self.block(case.body, scope)
            ends.append(scope.env)
        scope.env = _join(ends)

    def s_Global(self, node: ast.Global, scope: _Scope) -> None:
        pass  # collected when the function scope is made

    s_Nonlocal = s_Global

    def s_ClassDef(self, node: ast.ClassDef, scope: _Scope) -> None:
        for deco in node.decorator_list:
            self.expr(deco, scope)
        key = f"<{self.src}C{node.lineno}.{node.col_offset}>"
        bases: set[str] = set()
        for base in node.bases:
            bases |= self.expr(base, scope)
        for kw in node.keywords:
            self.expr(kw.value, scope)
        self.add(self.bases, key, bases)
        self.classes.add(key)
        body = _Scope("class", key, scope)
        body.cls = key
        self.block(node.body, body)
        self.bind(scope, node.name, frozenset({key}))

    def s_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope) -> None:
        static = False
        for deco in node.decorator_list:
            vals = self.expr(deco, scope)
            static = static or "staticmethod" in vals
        args = node.args
        for default in [*args.defaults, *args.kw_defaults]:
            self.expr(default, scope)
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if a is not None and a.annotation is not None:
                self.expr(a.annotation, scope)
        self.expr(node.returns, scope)
        key = f"<{self.src}F{node.lineno}.{node.col_offset}>"
        self.fn_names[key] = node.name
        self_value = frozenset({scope.cls}) if scope.kind == "class" and not static else EMPTY
        self.defer(node, key, scope, self_value)
        self.bind(scope, node.name, frozenset({key}))

    s_AsyncFunctionDef = s_FunctionDef

    def defer(self, node, key: str, scope: _Scope, self_value: Paths) -> None:
        self.fn_info[key] = node.args
        parent = scope
        while parent.kind in ("class", "comp") and parent.parent is not None:
            parent = parent.parent
        # defaults are values the parameters may take
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        for a, d in zip(positional[len(positional) - len(args.defaults) :], args.defaults,
                        strict=True):  # fmt: skip
            self.add(self.params, (key, a.arg), self.peek(d, scope))
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if d is not None:
                self.add(self.params, (key, a.arg), self.peek(d, scope))
        self.queue.append(
            _Deferred(node, key, parent, dict(parent.env), parent.idx, self.judging, self_value)
        )

    def peek(self, node: ast.expr, scope: _Scope) -> Paths:
        """The values of an expression already run (no second report)."""
        judging, self.judging = self.judging, False
        try:
            return self.expr(node, scope)
        finally:
            self.judging = judging

    def function(self, job: _Deferred) -> None:
        node = job.node
        scope = _Scope("function", job.key, job.parent)
        scope.snap, scope.def_idx = job.snap, job.def_idx
        body = node.body if isinstance(node.body, list) else [ast.Return(value=node.body)]
        scanned = self.scans.get(id(node))
        if scanned is None:
            scanned = self.scans[id(node)] = _scan_function(node, self.walrus)
        declared_global, declared_nonlocal, bound = scanned
        scope.globals, scope.nonlocals = declared_global, declared_nonlocal
        scope.locals = bound - declared_global - declared_nonlocal
        args = node.args
        ordered = [*args.posonlyargs, *args.args]
        for n, a in enumerate(ordered):
            vals = self.look(self.params, (job.key, a.arg))
            if n == 0 and job.self_value:
                vals = vals | job.self_value
            scope.env[a.arg] = vals
        for a in args.kwonlyargs:
            scope.env[a.arg] = self.look(self.params, (job.key, a.arg))
        if args.vararg:
            scope.env[args.vararg.arg] = frozenset({f"{job.key}*"})
        if args.kwarg:
            scope.env[args.kwarg.arg] = frozenset({f"{job.key}**"})
        judging, fn_key = self.judging, self.fn_key
        self.judging, self.fn_key = job.judging, job.key
        try:
            if isinstance(node, ast.Lambda):
                self.add(self.returns, job.key, self.expr(node.body, scope))
            else:
                self.block(body, scope, top=True)
        finally:
            self.judging, self.fn_key = judging, fn_key


_E = {
    getattr(ast, name[2:]): fn
    for name, fn in vars(_Analysis).items()
    if name.startswith("e_") and hasattr(ast, name[2:])
}
_S = {
    getattr(ast, name[2:]): fn
    for name, fn in vars(_Analysis).items()
    if name.startswith("s_") and hasattr(ast, name[2:])
}


def _join(envs: list[dict[str, Paths]]) -> dict[str, Paths]:
    out = dict(envs[0])
    for env in envs[1:]:
        for name, vals in env.items():
            old = out.get(name)
            if old is not vals:
                out[name] = vals if old is None else old | vals
    return out


def _scan_function(node: ast.AST, walrus: bool) -> tuple[set[str], set[str], set[str]]:
    """(global names, nonlocal names, names bound) in one function's own scope.

    Without a walrus in the code, names are bound only by statements: read those alone."""
    if not walrus:
        return _scan_statements(node)
    declared_global: set[str] = set()
    declared_nonlocal: set[str] = set()
    bound: set[str] = set()
    args = node.args  # type: ignore[attr-defined]
    for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if a is not None:
            bound.add(a.arg)
    body = node.body if isinstance(node.body, list) else [node.body]  # type: ignore[attr-defined]
    stack: list[ast.AST] = list(body)
    while stack:
        sub = stack.pop()
        if isinstance(sub, ast.Global):
            declared_global.update(sub.names)
        elif isinstance(sub, ast.Nonlocal):
            declared_nonlocal.update(sub.names)
        elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
            bound.add(sub.id)
        elif isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(sub.name)
            stack.extend(getattr(sub, "decorator_list", []))
            if not isinstance(sub, ast.ClassDef):
                stack.extend([*sub.args.defaults, *sub.args.kw_defaults])
            else:
                stack.extend(sub.bases)
            continue  # its body is its own scope
        elif isinstance(sub, ast.Lambda):
            stack.extend([*sub.args.defaults, *sub.args.kw_defaults])
            continue
        elif isinstance(sub, ast.Import | ast.ImportFrom):
            for alias in sub.names:
                if alias.name != "*":
                    bound.add(alias.asname or alias.name.split(".")[0])
        elif (isinstance(sub, ast.ExceptHandler) and sub.name) or (
            isinstance(sub, ast.MatchAs | ast.MatchStar) and sub.name
        ):
            bound.add(sub.name)
        elif isinstance(sub, ast.MatchMapping) and sub.rest:
            bound.add(sub.rest)
        elif isinstance(sub, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            # only a walrus inside binds here; the loop names are the comprehension's own
            for inner in ast.walk(sub):
                if isinstance(inner, ast.NamedExpr):
                    bound.add(inner.target.id)
            stack.extend(g.iter for g in sub.generators)
            continue
        stack.extend(c for c in ast.iter_child_nodes(sub) if c is not None)
    return declared_global, declared_nonlocal, bound


def _scan_statements(node: ast.AST) -> tuple[set[str], set[str], set[str]]:
    declared_global: set[str] = set()
    declared_nonlocal: set[str] = set()
    bound: set[str] = set()
    args = node.args  # type: ignore[attr-defined]
    for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if a is not None:
            bound.add(a.arg)

    def targets(target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            bound.add(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for elt in target.elts:
                targets(elt)
        elif isinstance(target, ast.Starred):
            targets(target.value)

    def statements(body: list[ast.stmt]) -> None:
        for st in body:
            if isinstance(st, ast.Assign):
                for target in st.targets:
                    targets(target)
            elif isinstance(st, ast.AugAssign | ast.AnnAssign):
                targets(st.target)
            elif isinstance(st, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.add(st.name)
            elif isinstance(st, ast.Import | ast.ImportFrom):
                for alias in st.names:
                    if alias.name != "*":
                        bound.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(st, ast.Global):
                declared_global.update(st.names)
            elif isinstance(st, ast.Nonlocal):
                declared_nonlocal.update(st.names)
            elif isinstance(st, ast.Delete):
                for target in st.targets:
                    targets(target)
            elif isinstance(st, ast.For | ast.AsyncFor):
                targets(st.target)
            elif isinstance(st, ast.With | ast.AsyncWith):
                for item in st.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
            elif isinstance(st, ast.Try | ast.TryStar):
                for handler in st.handlers:
                    if handler.name:
                        bound.add(handler.name)
                    statements(handler.body)
            elif isinstance(st, ast.Match):
                for case in st.cases:
                    for sub in ast.walk(case.pattern):
                        name = getattr(sub, "name", None) or getattr(sub, "rest", None)
                        if isinstance(name, str):
                            bound.add(name)
                    statements(case.body)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(st, field, None)
                if isinstance(inner, list) and not isinstance(
                    st, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ):
                    statements(inner)

    body = node.body  # type: ignore[attr-defined]
    if isinstance(body, list):
        statements(body)
    return declared_global, declared_nonlocal, bound
