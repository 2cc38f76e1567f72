"""Grade one item: run the learner's code and the (cached) reference, compare, explain.

The grader holds no torch: it builds sandbox jobs and compares the plain data they return.
Reference solutions run on a sandbox of their own (``ref_runner``), never on the one learner
code runs on, and their results are cached by the grader alone. Before any run, the code is
judged on its syntax tree (``forbid`` / ``require``, contract 2a); after the reference ran,
the learner's checks see the real builtins, modules and setup helpers wherever the
reference's run resolved a name to one (contract 3).
"""

from __future__ import annotations

import ast
import hashlib
import time
from collections.abc import Callable
from typing import Protocol

from tutor.grading.cache import ReferenceCache
from tutor.grading.clean import cut_words
from tutor.grading.compare import Tolerance, compare, explain, show
from tutor.grading.results import CheckResult, ItemResult
from tutor.lesson.model import Exercise, Item, Predict, Quiz
from tutor.sandbox.protocol import ErrorInfo, Job, RunResult

SOLUTION_FILE = "<solution>"
SHOW_FILE = "<show>"


class Runner(Protocol):
    def run(self, job: Job) -> RunResult: ...

    def torch_version(self) -> str: ...


REAL_NAME_KINDS = ("builtin", "setup", "setup-value", "setup-data")  # and "module:<name>"


class ReferenceFailed(Exception):
    """The lesson's own solution (or a predict's shown code) did not run: a lesson error,
    not the learner's. ``result`` is the failed run and ``seed`` its seed, when there was a
    run; ``why`` says what happened in one sentence, without the item's name."""

    def __init__(
        self, message: str, why: str = "", result: RunResult | None = None, seed: int = 0
    ) -> None:
        super().__init__(message)
        self.why = why or message
        self.why_here = self.why  # the same, without lines inside the code (see file_line)
        self.result = result
        self.seed = seed

    def file_line(self, item: Item) -> int:
        """The lesson-file line the failure points at: the line of the solution, setup or
        shown code that raised, else the first line of that code."""
        err = self.result.error if self.result is not None else None
        if isinstance(item, Predict):
            first = item.show_line or item.line
            return first + (err.line - 1 if err and err.line and err.where == "code" else 0)
        if not isinstance(item, Exercise):
            return item.line
        if err is not None and err.line:
            if err.where == "setup" and item.setup_line:
                return item.setup_line + err.line - 1
            if err.where == "code":
                return item.solution_line + err.line - 1
        return item.solution_line or item.line


def extra_seeds(item_id: str, count: int, salt: str) -> list[int]:
    """Seeds the learner never saw, stable for a given salt (anti-hardcoding in CI)."""
    out = []
    for k in range(count):
        digest = hashlib.sha256(f"{salt}:{item_id}:{k}".encode()).digest()
        out.append(1000 + int.from_bytes(digest[:4], "big") % 1_000_000)
    return out


def fold_space(text: str) -> str:
    return " ".join(text.split())


def uses_trace(ex: Exercise) -> bool:
    """Does a check read ``trace`` (or can a caught error satisfy ``raises``)? Tracing costs a
    little on every torch call, so runs whose checks never ask go without it."""
    if ex.raises:
        return True
    from tutor.lesson.source import parse_python

    for check in ex.checks:
        try:
            tree = parse_python(check.expr, mode="eval")
        except SyntaxError:
            continue
        if any(isinstance(n, ast.Name) and n.id == "trace" for n in ast.walk(tree)):
            return True
    return False


def real_names(ref: RunResult) -> dict[str, str]:
    """The names the learner's checks must resolve as the reference's did."""
    return {
        name: kind
        for name, kind in ref.names.items()
        if kind in REAL_NAME_KINDS or kind.startswith("module:")
    }


class Grader:
    def __init__(
        self,
        runner: Runner,
        cache: ReferenceCache | None = None,
        memory_mb: int = 2048,
        extra_seed_count: int = 0,
        seed_salt: str = "",
        ref_runner: Runner | None = None,
        flags: tuple[str, ...] = (),
    ) -> None:
        self.runner = runner
        self.ref_runner = ref_runner if ref_runner is not None else runner
        self.flags = tuple(flags)  # added to every item (e.g. a missing isolation layer)
        self._env_flags: list[str] | None = None
        self.cache = cache if cache is not None else ReferenceCache(enabled=False)
        self.memory_mb = memory_mb
        self.extra_seed_count = extra_seed_count
        self.seed_salt = seed_salt
        self._failed: dict[str, ReferenceFailed] = {}

    # -- shared ----------------------------------------------------------------------------

    def environment_flags(self) -> list[str]:
        """What the learner sandbox could not enforce on this machine, said in every item's
        ``flags`` (an instructor grading without the kernel layer should know)."""
        if self._env_flags is None:
            describe = getattr(self.runner, "describe", None)
            missing = []
            if callable(describe):
                try:
                    missing = list(describe().get("missing", []))
                except Exception:
                    missing = []
            self._env_flags = ["no-kernel-confinement"] if missing else []
        return list(self._env_flags)

    def seeds_for(self, ex: Exercise) -> list[int]:
        return list(ex.seeds) + extra_seeds(ex.id, self.extra_seed_count, self.seed_salt)

    def job(self, ex: Exercise, code: str, seed: int, code_name: str, **extra) -> Job:
        return Job(
            code=code,
            setup=ex.setup,
            checks=[c.expr for c in ex.checks],
            seed=seed,
            timeout=ex.timeout,
            memory_mb=self.memory_mb,
            raises=ex.raises,
            code_name=code_name,
            trace=uses_trace(ex),
            **extra,
        )

    def reference(self, ex: Exercise, seed: int) -> RunResult:
        """The solution's result for a seed, run once (on the reference sandbox) and cached."""
        key = ReferenceCache.key("ex", ex.fingerprint(), seed, self.ref_runner.torch_version())
        with self.cache.key_lock(key):
            if key in self._failed:  # a broken reference runs once per grader, not per learner
                raise self._failed[key]
            cached = _cached_run(self.cache.get(key), len(ex.checks))
            if cached is not None:
                return cached
            job = self.job(ex, ex.solution, seed, SOLUTION_FILE, describe_names=True)
            result = self.ref_runner.run(job)
            if not _finished(result, ex):
                why = _reference_problem(result, ex, seed)
                failed = ReferenceFailed(
                    f"the reference solution of {ex.id!r} {why}", why, result, seed
                )
                failed.why_here = _reference_problem(result, ex, seed, lines=False)
                if result.status not in ("internal", "crashed"):
                    self._failed[key] = failed  # a sandbox hiccup may be retried
                raise failed
            self.cache.put(key, result.to_json())
            return result

    def show_output(self, pred: Predict) -> str:
        """What the predict's code prints to stdout (the answer), run once and cached."""
        return self.show(pred)["output"]

    def show(self, pred: Predict) -> dict[str, str]:
        """The predict's code run once (cached): its ``output`` (stdout) and ``stderr``."""
        key = ReferenceCache.key("show", pred.fingerprint(), 0, self.runner.torch_version())
        with self.cache.key_lock(key):
            cached = self.cache.get(key)
            if isinstance(cached, dict) and isinstance(cached.get("output"), str):
                return {"output": cached["output"], "stderr": str(cached.get("stderr", ""))}
            result = self.ref_runner.run(
                Job(
                    code=pred.show,
                    timeout=pred.timeout,
                    memory_mb=self.memory_mb,
                    code_name=SHOW_FILE,
                )
            )
            if result.status != "ok":
                why = f"did not run: {error_line(result.error) if result.error else result.reason}"
                failed = ReferenceFailed(f"the shown code of {pred.id!r} {why}", why, result)
                here = error_line(result.error, False) if result.error else result.reason
                failed.why_here = f"did not run: {here}"
                raise failed
            shown = {"output": result.output, "stderr": result.stderr}
            self.cache.put(key, shown)
            return shown

    # -- items -----------------------------------------------------------------------------

    def grade(self, item: Item, answer: str) -> ItemResult:
        if isinstance(item, Exercise):
            return self.grade_exercise(item, answer)
        if isinstance(item, Quiz):
            return grade_quiz(item, answer)
        return self.grade_predict(item, answer)

    def grade_exercise(
        self,
        ex: Exercise,
        code: str,
        repl: list[str] | None = None,
        graph_of: str | None = None,
        watch: str | None = None,
        on_progress: Callable[[dict], None] | None = None,
    ) -> ItemResult:
        """Grade on every seed; the first seed's run also answers ``repl``/``graph_of`` and
        streams the ``watch`` list to ``on_progress`` (a live loss plot)."""
        started = time.perf_counter()
        result = ItemResult(ex.id, ex.lesson_id, "exercise", "pass", 0, ex.points)
        result.flags = list(self.flags) + self.environment_flags()
        if self._breaks_rules(ex, code, result):
            result.duration_s = time.perf_counter() - started
            return result
        seeds = self.seeds_for(ex)
        for n, seed in enumerate(seeds):
            try:
                ref = self.reference(ex, seed)
            except ReferenceFailed as exc:
                lesson_error(result, ex, exc)
                break
            names = real_names(ref)
            if n == 0:
                extra = {"repl": repl or [], "graph_of": graph_of, "watch": watch}
                job = self.job(ex, code, seed, "<your code>", real_names=names, **extra)
                run = self.runner.run(job, on_progress) if on_progress else self.runner.run(job)
            else:
                run = self.runner.run(self.job(ex, code, seed, "<your code>", real_names=names))
            result.output = run.output + run.stderr
            result.flags = sorted(set(result.flags) | set(run.flags))
            if n == 0:
                result.repl, result.graph = run.repl, run.graph
            where = f" (seed {seed})" if len(seeds) > 1 else ""
            if not self._judge_run(ex, run, ref, seed, where, result):
                result.message = _lead_with_placeholder(code, result.message)
                break
        result.duration_s = time.perf_counter() - started
        result.score = ex.points if result.status == "pass" else 0
        if result.status == "pass":
            n_seeds = f" on {len(seeds)} seeds" if len(seeds) > 1 else ""
            result.message = f"all {len(ex.checks)} checks hold{n_seeds}"
        return result

    def _judge_run(
        self,
        ex: Exercise,
        run: RunResult,
        ref: RunResult,
        seed: int,
        where: str,
        result: ItemResult,
    ) -> bool:
        """Fill ``result`` from one seed's run; False once the item cannot pass."""
        if run.error is not None:
            result.line, result.traceback = run.error.line, run.error.traceback
        if run.status == "timeout":
            result.status = "timeout"
            result.message = f"your code {run.reason}{where}: look for a loop that never ends"
            return False
        if run.status in ("memory", "crashed", "violation", "internal"):
            result.status = "error"
            result.internal = run.status == "internal"
            # memory and crash reasons read on from "your code"; the others are sentences
            prefix = "your code " if run.status in ("memory", "crashed") else ""
            result.message = f"{prefix}{run.reason}{where}"
            return False
        if run.status == "raised" and not run.raised_expected:
            assert run.error is not None
            result.status = "error"
            if run.error.where == "setup":
                result.message = f"the exercise setup failed{where}: {error_line(run.error)}"
            elif ex.raises and run.error.own_raise and run.error.type == ex.raises.split(".")[-1]:
                result.status = "fail"
                result.message = (
                    f"your code raised {run.error.type} itself (a raise statement at line "
                    f"{run.error.line}){where}: the exercise wants the error torch raises"
                )
            else:
                result.message = f"your code raised {error_line(run.error)}{where}"
            return False
        if ex.raises and run.status == "ok" and not run.raised_expected:
            result.status = "fail"
            result.message = f"expected your code to raise {ex.raises}, but it finished{where}"
            return False
        if len(run.values) != len(ex.checks) or len(ref.values) != len(ex.checks):
            result.status = "error"
            result.message = (
                f"the run reported {len(run.values)} check values for {len(ex.checks)} checks"
                f"{where}: the code interfered with the grader"
            )
            return False
        tol = Tolerance(ex.rtol, ex.atol)
        failed = []
        for check, exp, got in zip(ex.checks, ref.values, run.values, strict=True):
            verdict = compare(exp, got, tol)
            line = "" if verdict.equal else explain(check.expr, exp, got, verdict, check.message)
            result.checks.append(
                CheckResult(
                    expr=check.expr,
                    message=check.message,
                    seed=seed,
                    status="pass" if verdict.equal else "fail",
                    expected=show(exp),
                    got=show(got),
                    explain=line,
                )
            )
            if not verdict.equal:
                failed.append((check, line))
        if failed:
            check, line = failed[0]
            more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
            result.status = "fail"
            result.message = f"{line}{where}{more}"
            if run.notes:  # the likely cause first: a shadowed name, a replaced setup value
                result.message = f"{run.notes[0]}; {result.message}"
            return False
        return True

    def _breaks_rules(self, ex: Exercise, code: str, result: ItemResult) -> bool:
        """Judge the code on its syntax tree (contract 2a); fill ``result`` on a breach."""
        if not ex.has_rules:
            return False
        from tutor.grading.rules import check_rules

        breaches = check_rules(code, ex.forbid, ex.require, setup=ex.setup)
        if not breaches:
            return False
        first = breaches[0]
        result.status = "fail"
        result.line = first.line
        result.message = first.describe() + (f". {ex.rules_message}" if ex.rules_message else "")
        if len(breaches) > 1:
            result.message += f" (+{len(breaches) - 1} more)"
        result.flags = sorted(set(result.flags) | {"rules"})
        return True

    def grade_predict(self, pred: Predict, answer: str) -> ItemResult:
        started = time.perf_counter()
        result = ItemResult(pred.id, pred.lesson_id, "predict", "fail", 0, pred.points)
        try:
            actual = self.show_output(pred)
        except ReferenceFailed as exc:
            lesson_error(result, pred, exc)
            return result
        result.output = actual
        if fold_space(answer) == fold_space(actual):
            result.status, result.score, result.message = "pass", pred.points, "right prediction"
        elif not answer.strip():
            result.message = "no prediction given"
        else:
            result.message = (
                f"the code prints {cut_words(fold_space(actual), 200)!r}, "
                f"not {cut_words(fold_space(answer), 200)!r}"
            )
        result.duration_s = time.perf_counter() - started
        return result


def grade_quiz(quiz: Quiz, answer: str) -> ItemResult:
    result = ItemResult(quiz.id, quiz.lesson_id, "quiz", "fail", 0, quiz.points)
    text = answer.strip()
    try:
        choice = int(text)
    except ValueError:
        result.message = (
            f"the answer must be a choice number from 1 to {len(quiz.choices)}, got {text[:40]!r}"
        )
        return result
    if not 1 <= choice <= len(quiz.choices):
        result.message = f"choice {choice} does not exist: pick 1 to {len(quiz.choices)}"
    elif choice == quiz.answer:
        result.status, result.score, result.message = "pass", quiz.points, "right answer"
    else:
        result.message = f"choice {choice} is not the right one"
    return result


def _cached_run(data: dict | None, checks: int) -> RunResult | None:
    """A cached reference result, or None when missing or not of the expected shape."""
    if not isinstance(data, dict) or data.get("status") not in ("ok", "raised"):
        return None
    values = data.get("values")
    if not isinstance(values, list) or len(values) != checks:
        return None
    if not all(isinstance(v, dict) and isinstance(v.get("t"), str) for v in values):
        return None
    try:
        return RunResult.from_json(data)
    except (TypeError, ValueError):
        return None


def _finished(result: RunResult, ex: Exercise) -> bool:
    if ex.raises:
        return result.status in ("raised", "ok") and result.raised_expected
    return result.status == "ok"


def _lead_with_placeholder(code: str, message: str) -> str:
    """A learner who left the starter's ``...`` in place is told that first."""
    try:
        from tutor.grading.rules import placeholder_lines
    except ImportError:
        return message
    lines = placeholder_lines(code)
    if not lines:
        return message
    where = f"line {lines[0]}" + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")
    return f"your code still has `...` at {where}: replace it with your answer; {message}"


def _reference_problem(result: RunResult, ex: Exercise, seed: int, lines: bool = True) -> str:
    """What went wrong, reading on from "the reference solution of 'x' ..."; ``lines=False``
    leaves out the line inside the code (a lesson error names the file line instead)."""
    if ex.raises and result.status == "ok":
        why = f"finished, but it was expected to raise {ex.raises} (raises = {ex.raises!r})"
    elif result.error is not None and result.error.where == "setup":
        why = f"failed in the setup: {error_line(result.error, lines)}"
    elif result.error is not None:
        why = f"raised {error_line(result.error, lines)}"
    else:
        why = f"did not finish: {result.reason or result.status}"
    return f"{why} (seed {seed})"


def error_line(err: ErrorInfo, lines: bool = True) -> str:
    """``IndexError at line 2: list index out of range``: the first line of the message,
    cut at a word boundary (never mid-word)."""
    at = f" at line {err.line}" if err.line and lines else ""
    msg = cut_words(" ".join(err.message.strip().split("\n")[0].split()), 300)
    return f"{err.type}{at}: {msg}" if msg else f"{err.type}{at}"


def lesson_error(result: ItemResult, item: Item, exc: ReferenceFailed) -> None:
    """Make ``result`` say the item was not graded because the lesson is broken: no score,
    no points counted against the learner (``max_score`` 0), ``lesson_error`` set, and the
    lesson-file line for the report's ``lesson_errors``."""
    result.status, result.score, result.max_score = "error", 0, 0
    result.internal = result.lesson_error = True
    result.lesson_line = exc.file_line(item)
    what = "reference solution" if isinstance(item, Exercise) else "shown code"
    result.lesson_problem = f"{item.kind} {item.id!r}: its {what} {exc.why_here}"
    result.message = (
        f"not graded: the lesson's {what} {exc.why}. This is a lesson error, not yours: "
        f"the item's {item.points} points are left out of the total"
    )
    result.checks = []
