"""``trace``: a record of what a run's code did, for checks that grade *how*, not only *what*.

Recorded with torch's own instruments, the same way for the learner and the reference, only
when some check asks (``Job.trace``):

- a ``TorchFunctionMode`` sees every torch function and tensor method the code calls itself
  (not those torch calls from inside its own functions): ``backward``, ``autograd.grad``,
  ``.grad = ...`` assignments, losses, and errors that leave a torch call, caught or not;
- ``register_post_accumulate_grad_hook`` on each leaf a backward reaches says which
  gradients autograd itself accumulated;
- the global optimizer step hook and module forward hook count steps and module calls.

Checks read it through :class:`TraceView` (``trace.backward_calls``, ``trace.grad_source(w)``,
...), whose answers are plain values compared like any other. The fields are documented for
authors in ``docs/lesson-format.md``. It is evidence, not proof: code in the same process
could reach the recorder, which is why the run fails if an instrument was removed, and why
hidden seeds back it up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
import weakref
from collections import Counter
from typing import Any

import torch
from torch.nn.modules import module as _module_mod
from torch.optim import optimizer as _optim_mod
from torch.overrides import TorchFunctionMode, resolve_name
from torch.utils.weak import WeakIdKeyDictionary

_Tensor = torch.Tensor
_Loss = torch.nn.modules.loss._Loss
_BACKWARD = torch.Tensor.backward
_AUTOGRAD_BACKWARD = torch.autograd.backward
_AUTOGRAD_GRAD = torch.autograd.grad
_GRAD_SET = torch.Tensor.grad.__set__
_NAMES = {
    _AUTOGRAD_BACKWARD: "torch.autograd.backward",
    _AUTOGRAD_GRAD: "torch.autograd.grad",
}
_FUNCTIONAL = "torch.nn.functional."
_LOSS_FUNCTIONS = {
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss",
    "kl_div", "huber_loss", "smooth_l1_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "triplet_margin_loss",
    "cosine_embedding_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss",
    "multi_margin_loss", "ctc_loss",
}  # fmt: skip
MAX_ERRORS = 50
MAX_ROOTS = 50
MAX_WALK = 20_000  # graph nodes walked per backward to find its leaves


def function_name(func: Any, _cache: dict = {}) -> str:  # noqa: B006 (a deliberate cache)
    """``torch.linalg.lstsq``, ``torch.Tensor.backward``, ``torch.nn.functional.mse_loss``."""
    try:
        return _cache[func]
    except (KeyError, TypeError):
        pass
    name = _NAMES.get(func) if _hashable(func) else None
    if name is None:
        try:
            name = resolve_name(func)
        except Exception:
            name = None
        if not name:
            name = getattr(func, "__qualname__", None) or getattr(func, "__name__", "?")
            module = getattr(func, "__module__", None)
            name = f"{module}.{name}" if module else str(name)
        name = name.replace("torch._C.TensorBase.", "torch.Tensor.").replace(
            "torch._tensor.Tensor.", "torch.Tensor."
        )
    if _hashable(func):
        _cache[func] = name
    return name


def _hashable(obj: Any) -> bool:
    try:
        hash(obj)
    except TypeError:
        return False
    return True


class Recorder:
    """What the code did. Filled by the mode and hooks; read by :class:`TraceView`."""

    def __init__(self) -> None:
        self.calls: Counter = Counter()  # torch function -> calls (names resolved at the end)
        self.backward_calls = 0
        self.roots: list[tuple[Any, str]] = []  # (weakref to the tensor, its grad_fn name)
        self.grad_calls = 0
        self.errors: list[tuple[str, str, str]] = []  # (type, message, function name)
        self.error_ids: set[int] = set()
        self.raised: list[BaseException] = []  # the exceptions themselves, for identity
        accumulated = self.accumulated
        # a closure for the hook on the code's own leaves (no ``__self__`` to follow)
        self._accumulated_hook = lambda leaf: accumulated(leaf)
        self.grad_state: WeakIdKeyDictionary = WeakIdKeyDictionary()  # tensor -> state
        self.hooked: WeakIdKeyDictionary = WeakIdKeyDictionary()  # leaves with our hook
        self.steps: WeakIdKeyDictionary = WeakIdKeyDictionary()  # optimizer -> steps
        self.optimizer_steps = 0
        self.updates: WeakIdKeyDictionary = WeakIdKeyDictionary()  # parameter -> updates
        self.module_calls: WeakIdKeyDictionary = WeakIdKeyDictionary()  # module -> calls
        self.module_classes: Counter = Counter()
        self.loss_of: WeakIdKeyDictionary = WeakIdKeyDictionary()  # tensor -> loss name
        self.losses_used: list[str] = []
        self.in_loss = 0  # loss modules whose forward is running (their F.* call is theirs)

    # -- what the instruments call ---------------------------------------------------------

    def accumulated(self, leaf: torch.Tensor) -> None:
        grad = leaf.grad
        if grad is not None:  # a copy too: some writes (.data =, numpy views) leave no version
            self.grad_state[leaf] = ("autograd", id(grad), grad._version, grad.detach().clone())

    def before_backward(self, roots: list[Any], counted: bool = True) -> None:
        self.backward_calls += counted
        for root in roots:
            if counted and isinstance(root, _Tensor) and len(self.roots) < MAX_ROOTS:
                fn = root.grad_fn
                self.roots.append((weakref.ref(root), type(fn).__name__ if fn else "leaf"))
            self.hook_leaves(root)

    def hook_leaves(self, root: Any) -> None:
        """Put the accumulate hook on every leaf this backward will reach."""
        fn = getattr(root, "grad_fn", None) if isinstance(root, _Tensor) else None
        if fn is None:
            if isinstance(root, _Tensor) and root.requires_grad and root not in self.hooked:
                self._hook(root)
            return
        seen, stack = {id(fn)}, [fn]
        while stack and len(seen) < MAX_WALK:
            node = stack.pop()
            variable = getattr(node, "variable", None)
            if isinstance(variable, _Tensor) and variable not in self.hooked:
                self._hook(variable)
            for child, _ in getattr(node, "next_functions", ()):
                if child is not None and id(child) not in seen:
                    seen.add(id(child))
                    stack.append(child)

    def _hook(self, leaf: torch.Tensor) -> None:
        accumulated = self._accumulated_hook
        try:
            self.hooked[leaf] = leaf.register_post_accumulate_grad_hook(accumulated)
        except RuntimeError:
            self.hooked[leaf] = None  # not a leaf that requires grad after all

    def assigned(self, tensor: Any, value: Any) -> None:
        if isinstance(tensor, _Tensor):
            self.grad_state[tensor] = ("assigned",) if value is not None else ("cleared",)

    def error(self, exc: BaseException, func: Any) -> None:
        if id(exc) not in self.error_ids and len(self.errors) < MAX_ERRORS:
            self.error_ids.add(id(exc))
            self.raised.append(exc)  # kept alive: its id must not be reused by another
            self.errors.append((type(exc).__name__, str(exc)[:300], function_name(func)))

    def torch_raised(self, exc: BaseException) -> bool:
        """Did this very exception object leave a torch call the mode saw?"""
        return any(seen is exc for seen in self.raised)

    def stepped(self, optimizer: Any, *_: Any) -> None:
        self.optimizer_steps += 1
        self.steps[optimizer] = self.steps.get(optimizer, 0) + 1
        for group in getattr(optimizer, "param_groups", ()):
            for p in group.get("params", ()):
                if isinstance(p, _Tensor) and p.grad is not None:
                    self.updates[p] = self.updates.get(p, 0) + 1

    def entering(self, module: Any, _args: Any) -> None:
        if isinstance(module, _Loss):
            self.in_loss += 1

    def forwarded(self, module: Any, _args: Any, output: Any) -> None:
        if isinstance(module, _Loss):
            self.in_loss = max(0, self.in_loss - 1)
        self.module_calls[module] = self.module_calls.get(module, 0) + 1
        name = type(module).__name__
        self.module_classes[name] += 1
        if isinstance(module, _Loss) and isinstance(output, _Tensor):
            self.loss_of[output] = name
            if name not in self.losses_used:
                self.losses_used.append(name)

    def functional_loss(self, name: str, output: Any) -> None:
        if isinstance(output, _Tensor) and not self.in_loss:  # not a loss module's own insides
            self.loss_of[output] = name
            if name not in self.losses_used:
                self.losses_used.append(name)


def _mode_for(rec: Recorder) -> TorchFunctionMode:
    """The mode, with the recorder in a closure rather than an attribute (the mode sits on
    torch's mode stack, where code can look): one more step for code that would forge it."""

    class Mode(TorchFunctionMode):
        """Sees each torch call the code makes itself (torch disables it inside the call)."""

        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            mine = not _called_by_torch(func)  # torch's own helpers (jacobian...) call torch
            if mine:
                with contextlib.suppress(TypeError):
                    rec.calls[func] += 1
            if func is _BACKWARD:
                rec.before_backward([args[0]] if args else [], counted=mine)
            elif func is _AUTOGRAD_BACKWARD:
                tensors = args[0] if args else kwargs.get("tensors")
                roots = list(tensors) if isinstance(tensors, list | tuple) else [tensors]
                rec.before_backward(roots, counted=mine)
            elif func is _AUTOGRAD_GRAD:
                rec.grad_calls += mine
            elif func == _GRAD_SET:
                rec.assigned(args[0] if args else None, args[1] if len(args) > 1 else None)
            try:
                out = func(*args, **kwargs)
            except BaseException as exc:
                rec.error(exc, func)
                raise
            name = getattr(func, "__name__", "")
            functional = name.endswith("_loss") and _is_functional(func)
            if mine and (name in _LOSS_FUNCTIONS or functional):
                rec.functional_loss(name, out)
            return out

    return Mode()


_OVERRIDES_FILE = torch.overrides.__file__
_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep


def _called_by_torch(func: Any, _getframe: Any = sys._getframe) -> bool:
    """Is the code that called ``func`` torch's own (a Python helper such as
    ``torch.autograd.functional.jacobian``)? Skips ``handle_torch_function`` and ``func``'s
    own frame (a Python-level torch function dispatches from inside itself)."""
    own = getattr(func, "__code__", None)
    frame = _getframe(2)
    while frame is not None and (
        frame.f_code is own or frame.f_code.co_filename == _OVERRIDES_FILE
    ):
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename.startswith(_TORCH_DIR)


def _is_functional(func: Any) -> bool:
    return getattr(func, "__module__", "") == "torch.nn.functional"


class Tracer:
    """Starts and stops the instruments around one run's code."""

    def __init__(self) -> None:
        rec = self.rec = Recorder()
        self.mode = _mode_for(rec)
        self._handles: list[Any] = []

        # closures, not bound methods: a hook's ``__self__`` would hand the recorder out
        def stepped(optimizer: Any, *args: Any) -> None:
            rec.stepped(optimizer)

        def forwarded(module: Any, args: Any, output: Any) -> None:
            rec.forwarded(module, args, output)

        def entering(module: Any, args: Any) -> None:
            rec.entering(module, args)

        self._hooks = (stepped, forwarded, entering)

    def install_global_hooks(self) -> None:
        """The process-wide hooks (optimizer steps, module calls): call before the code."""
        stepped, forwarded, entering = self._hooks
        self._handles = [
            _optim_mod.register_optimizer_step_post_hook(stepped),
            _module_mod.register_module_forward_hook(forwarded, always_call=True),
            _module_mod.register_module_forward_pre_hook(entering),
        ]

    def hooks_intact(
        self,
        _opt_hooks: dict = _optim_mod._global_optimizer_post_hooks,
        _fwd_hooks: dict = _module_mod._global_forward_hooks,
        _pre_hooks: dict = _module_mod._global_forward_pre_hooks,
    ) -> bool:
        """Are the global hooks still registered, each as we put it there?"""
        if len(self._handles) != 3:
            return False
        opt, fwd, pre = self._handles
        stepped, forwarded, entering = self._hooks
        return (
            _holds(_opt_hooks, opt.id, stepped)
            and _holds(_fwd_hooks, fwd.id, forwarded)
            and _holds(_pre_hooks, pre.id, entering)
        )

    def remove_global_hooks(self) -> None:
        for handle in self._handles:
            handle.remove()


class TraceView:
    """What checks see as ``trace``. Every answer is plain data (ints, strs, lists, dicts)."""

    def __init__(self, rec: Recorder | None, ns: dict[str, Any]) -> None:
        self._rec = rec if rec is not None else Recorder()
        self._ns = ns
        self._names_cache: dict[int, str] | None = None

    @property
    def _names(self) -> dict[int, str]:
        """Variable names of tensors, looked up on first use: inside a check's own thread,
        since ``isinstance`` may ask an object of the code's for its ``__class__``."""
        if self._names_cache is None:
            self._names_cache = {
                id(v): k for k, v in self._ns.items() if isinstance(v, _Tensor)
            }  # fmt: skip
        return self._names_cache

    def __repr__(self) -> str:
        return (
            f"<trace: {self.backward_calls} backward, {self.grad_calls} autograd.grad, "
            f"{self.optimizer_steps} optimizer steps>"
        )

    @property
    def backward_calls(self) -> int:
        """``.backward()`` / ``torch.autograd.backward`` calls the code made (even failing)."""
        return self._rec.backward_calls

    @property
    def backward_roots(self) -> list[str]:
        """What backward ran from, first seen first: its variable's name, else its grad_fn
        (``<MulBackward0>``)."""
        out: list[str] = []
        for ref, fn_name in self._rec.roots:
            tensor = ref()
            label = self._names.get(id(tensor)) if tensor is not None else None
            label = label or f"<{fn_name}>"
            if label not in out:
                out.append(label)
        return out

    @property
    def grad_calls(self) -> int:
        """``torch.autograd.grad`` calls the code made."""
        return self._rec.grad_calls

    @property
    def optimizer_steps(self) -> int:
        """``step()`` calls of every torch optimizer, in all."""
        return self._rec.optimizer_steps

    def steps(self, optimizer: Any) -> int:
        """``step()`` calls of this optimizer."""
        return int(self._rec.steps.get(optimizer, 0)) if _weakable(optimizer) else 0

    def updates(self, param: Any) -> int:
        """Optimizer steps in which this parameter had a gradient (so was updated)."""
        return int(self._rec.updates.get(param, 0)) if isinstance(param, _Tensor) else 0

    def calls(self, module: Any) -> int:
        """Forward calls of this module (``model(x)``, not ``model.forward(x)``)."""
        return int(self._rec.module_calls.get(module, 0)) if _weakable(module) else 0

    @property
    def module_calls(self) -> dict[str, int]:
        """Forward calls by module class name, e.g. ``{"Linear": 200, "MSELoss": 100}``."""
        return dict(sorted(self._rec.module_classes.items()))

    @property
    def loss_modules(self) -> list[str]:
        """Loss modules (``MSELoss``) and functional losses (``mse_loss``) the code used."""
        return list(self._rec.losses_used)

    def loss_source(self, tensor: Any) -> str | None:
        """The loss module or function that produced this tensor, or None."""
        return self._rec.loss_of.get(tensor) if isinstance(tensor, _Tensor) else None

    def grad_source(self, tensor: Any) -> str | None:
        """How ``tensor.grad`` came about: ``"autograd"`` (accumulated by backward and not
        changed since), ``"assigned"`` (set by the code: ``w.grad = ...``), ``"changed"``
        (autograd's, then changed in place), or None when there is no gradient."""
        if not isinstance(tensor, _Tensor):
            return None
        if tensor.is_leaf or tensor.retains_grad:
            grad = tensor.grad
        else:  # reading .grad of a non-leaf warns; here it can only have been assigned
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                grad = tensor.grad
        if grad is None:
            return None
        state = self._rec.grad_state.get(tensor)
        if state is None:
            if not tensor.is_leaf and tensor.retains_grad:
                return "autograd"
            return "assigned"
        if state[0] == "autograd":
            same = state[1] == id(grad) and state[2] == grad._version
            same = same and _same_values(state[3], grad)
            return "autograd" if same else "changed"
        return "assigned"

    def called(self, name: str) -> bool:
        """Did the code call this torch function? ``"lstsq"`` matches ``torch.linalg.lstsq``."""
        return any(_matches(full, name) for full in self.functions)

    @property
    def functions(self) -> list[str]:
        """Every torch function and tensor method the code called itself, sorted."""
        return sorted({function_name(f) for f in self._rec.calls})

    @property
    def errors(self) -> list[str]:
        """Errors that left a torch call, caught by the code or not: ``"RuntimeError: ..."``."""
        return [f"{kind}: {message}" for kind, message, _ in self._rec.errors]


def _holds(hooks: dict, key: int, hook: Any) -> bool:
    """Is ``hook`` still registered under ``key``? Keys are compared as plain ints only: the
    code could have put in keys whose ``__eq__`` would run here, in tutor's thread."""
    return any(type(k) is int and k == key and v is hook for k, v in list(hooks.items()))


def _same_values(kept: torch.Tensor, grad: torch.Tensor) -> bool:
    try:
        grad = grad.detach()
        return kept.shape == grad.shape and bool(
            torch.equal(kept, grad) or torch.allclose(kept, grad, rtol=0, atol=0, equal_nan=True)
        )
    except RuntimeError:
        return False


def _matches(full: str, name: str) -> bool:
    return full == name or full.endswith("." + name)


def _weakable(obj: Any) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True
