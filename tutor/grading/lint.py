"""``tutor lint``: what an author runs before shipping a lesson (like rustlings' dev check).

An exercise proves it grades the skill (contract 2a/2b): the reference solution obeys its own
rules and passes its checks on every seed (its listed seeds plus hidden lint seeds, graded
through the very path learners are graded by, so nondeterminism shows up too); no check
raises in the reference unless the author marked that raise as expected; the starter does
NOT pass; every ``wrong`` block (a shortcut or misconception) fails and every ``accept``
block (a right answer in another style) passes. Every predict's shown code runs twice, in
two separate processes, and must print the same both times.

Every problem names the lesson-file line to fix: a traceback in the solution, the setup, a
shown block or a counterexample is told in file lines, never in lines of the block. The
pytest plugin runs exactly these checks (:func:`course_problems` and :func:`lint_item`).
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tutor.grading.clean import cut_words
from tutor.grading.compare import show
from tutor.grading.grader import (
    SHOW_FILE,
    Grader,
    ReferenceFailed,
    error_line,
    extra_seeds,
    fold_space,
    uses_trace,
)
from tutor.lesson.load import Course
from tutor.lesson.model import Counterexample, Exercise, Item, Predict
from tutor.sandbox.protocol import ErrorInfo, Job, RunResult

LINT_SALT = "tutor-lint"  # fixed: lint's hidden seeds are the same on every run
LINT_EXTRA_SEEDS = 1
MESSAGE_WORDS = 240  # quoted values and error messages in a problem, cut at a word boundary


@dataclass(frozen=True)
class LintProblem:
    path: str
    line: int
    item_id: str
    message: str
    warning: bool = False
    detail: tuple[str, ...] = ()  # more lines (a traceback in file lines), indented

    def __str__(self) -> str:
        tag = "warning" if self.warning else "error"
        head = f"{self.path}:{self.line}: {tag}: {self.item_id}: {self.message}"
        return "\n".join([head, *(f"    {d}" for d in self.detail)])

    def key(self) -> tuple:
        """What identifies a problem across two lint runs (``--watch``)."""
        return (self.path, self.line, self.item_id, self.message, self.warning)


def lint_grader(grader: Grader, extra: int = LINT_EXTRA_SEEDS) -> Grader:
    """The same grader with lint's hidden seeds (a fixed salt, so lint is repeatable)."""
    return replace_grader(grader, extra_seed_count=extra, seed_salt=LINT_SALT)


def replace_grader(grader: Grader, **changes) -> Grader:
    return Grader(
        grader.runner,
        grader.cache,
        changes.get("memory_mb", grader.memory_mb),
        changes.get("extra_seed_count", grader.extra_seed_count),
        changes.get("seed_salt", grader.seed_salt),
        ref_runner=grader.ref_runner,
        flags=grader.flags,
    )


# -- file lines --------------------------------------------------------------------------


def traceback_lines(err: ErrorInfo | None, path: Path | str, first_line: int) -> tuple[str, ...]:
    """The frames of a run's traceback in the block's own code, as ``file:line: source``
    (``first_line`` is the file line of the block's first line of code)."""
    if err is None or not err.traceback:
        return ()
    out = []
    for frame in re.finditer(r"^  line (\d+): (.*)$", err.traceback, re.M):
        out.append(f"{path}:{first_line + int(frame.group(1)) - 1}: {frame.group(2).strip()}")
    return tuple(out)


def relocate(text: str, first_line: int) -> str:
    """``line N`` of a block's code (a grader message) as the file line, and "your code"
    (the learner's words) as "it"."""
    text = re.sub(r"\bline (\d+)\b", lambda m: f"line {first_line + int(m.group(1)) - 1}", text)
    return text.replace("your code", "it")


def _error_text(err: ErrorInfo) -> str:
    """``IndexError: list index out of range``, with no line (the problem names it)."""
    return error_line(err, lines=False)


# -- exercises ---------------------------------------------------------------------------


def lint_exercise(ex: Exercise, grader: Grader) -> Iterator[LintProblem]:
    def problem(
        message: str, line: int | None = None, warning: bool = False, detail: Iterable[str] = ()
    ) -> LintProblem:
        return LintProblem(str(ex.path), line or ex.line, ex.id, message, warning, tuple(detail))

    breaches = []
    if ex.has_rules:
        from tutor.grading.rules import check_rules

        breaches = check_rules(ex.solution, ex.forbid, ex.require, setup=ex.setup)
        for breach in breaches:
            line = ex.solution_line + breach.line - 1 if breach.line else ex.solution_line
            text = relocate(breach.describe(), ex.solution_line)
            yield problem(
                f"the solution breaks its own rules: {text}: change the solution or the rule",
                line,
            )
    refs: list[tuple[int, RunResult]] = []
    for seed in grader.seeds_for(ex):
        try:
            refs.append((seed, grader.reference(ex, seed)))
        except ReferenceFailed as exc:
            yield reference_problem(ex, exc)
            return  # nothing else can be judged against a broken reference
    verdict = grader.grade_exercise(ex, ex.solution)
    if verdict.status != "pass" and breaches:
        return  # said above: the solution breaks its own rules (not a second run's values)
    if verdict.status != "pass":
        again = (
            ": it computes other values on a second run of the same seed; draw random numbers "
            "in the setup or from torch/random/numpy (they are seeded), not from the clock or "
            "os.urandom"
            if verdict.status == "fail"
            else ""
        )
        yield problem(
            "the solution does not pass its own checks when graded as an answer: "
            f"{relocate(verdict.message, ex.solution_line)}{again}",
            ex.solution_line,
        )
        return
    yield from raising_checks(ex, refs)
    starter = grader.grade_exercise(ex, ex.starter)
    if starter.status == "pass":
        if ex.starter.strip():
            yield problem(
                "the starter already passes: a learner would get points for nothing; leave "
                "the answer out of it (w = ...) or give it a bug to fix",
                ex.starter_line,
            )
        else:
            yield problem(
                "an empty answer passes (there is no starter, and the checks only read what "
                "the setup made): check what the learner's code must make",
            )
    for block in ex.wrong:
        yield from _lint_wrong(ex, block, grader)
    for block in ex.accept:
        got = grader.grade_exercise(ex, block.code)
        if got.status != "pass":
            label = f"'accept' block ({block.label})" if block.label else "'accept' block"
            line = block.line + got.line if got.line else block.line
            yield problem(
                f"{label} does not pass: {relocate(got.message, block.line + 1)} (a right "
                "answer in another style must pass: loosen the check that rejects it, or fix "
                "the block)",
                line,
                detail=_block_traceback(ex, got, block),
            )
    if not ex.hints:
        yield problem(
            'no hints: add hints = ["a nudge", "the concept", "the API"] to the header',
            warning=True,
        )
    for check in ex.checks:
        if not check.message:
            yield problem(
                f"check {check.expr!r} has no '# message' for the learner: add one, "
                f"'{check.expr}  # what it shows, in the learner's words'",
                check.line,
                warning=True,
            )
    if guessable(ex, grader):
        yield problem(
            "every check has the same value on every seed, so a hard-coded answer passes even "
            "hidden seeds: make the setup draw its numbers from the seed, or check how the "
            "code got there (trace)",
            warning=True,
        )


def reference_problem(ex: Exercise, exc: ReferenceFailed) -> LintProblem:
    """The solution (or its setup) did not run: say where in the file, and what to do."""
    result = exc.result
    err = result.error if result is not None else None
    line = exc.file_line(ex)
    seed = f"seed {exc.seed}"
    detail: tuple[str, ...] = ()
    if ex.raises and result is not None and result.status == "ok":
        message = (
            f"the solution finishes ({seed}), but raises = {ex.raises!r} says it must raise "
            f"{ex.raises}: make the solution raise it, or drop 'raises'"
        )
    elif err is not None and err.where == "setup":
        message = (
            f"the setup raised {_error_text(err)} ({seed}): fix the setup (it runs before "
            "every answer, the solution's too)"
        )
        detail = traceback_lines(err, ex.path, ex.setup_line)
    elif err is not None and err.where == "code":
        expected = f" (raises = {ex.raises!r} expects exactly that type)" if ex.raises else ""
        message = (
            f"the solution raised {_error_text(err)} ({seed}){expected}: fix the solution; "
            "until then no learner can be graded on this exercise"
        )
        detail = traceback_lines(err, ex.path, ex.solution_line)
    elif err is not None:
        message = f"the solution's run failed: {_error_text(err)} ({seed})"
    else:
        reason = result.reason if result is not None and result.reason else exc.why_here
        more = (
            f": make it faster, or raise timeout (now {ex.timeout:g} s)"
            if result is not None and result.status == "timeout"
            else ""
        )
        message = f"the solution did not finish: {reason} ({seed}){more}"
    return LintProblem(str(ex.path), line, ex.id, message, False, detail)


def raising_checks(ex: Exercise, refs: list[tuple[int, RunResult]]) -> Iterator[LintProblem]:
    """A check whose expression raises in the reference run compares equal to any answer that
    makes it raise the same way (contract 3), so a right answer and a broken one may pass it
    alike. Unless the author marked it (``# raises IndexError: ...``), that is a warning; a
    marked check that does not raise that type is an error."""
    for n, check in enumerate(ex.checks):
        for seed, ref in refs:
            if n >= len(ref.values):
                break
            value = ref.values[n]
            raised = value.get("t") == "raised"
            kind = str(value.get("type", ""))
            if check.raises:
                want = check.raises.rsplit(".", 1)[-1]
                if raised and kind == want:
                    continue
                what = f"raised {kind}" if raised else f"gives {cut_words(show(value), 120)}"
                close = raised and difflib.get_close_matches(want, [kind], n=1, cutoff=0.8)
                fix = f"fix the type (did you mean 'raises {kind}'?)" if close else "fix the check"
                yield LintProblem(
                    str(ex.path),
                    check.line,
                    ex.id,
                    f"check {check.expr!r} is marked 'raises {check.raises}', but with the "
                    f"reference solution it {what} (seed {seed}): {fix}, or drop the marker",
                )
                break
            if raised and kind in ("NameError", "SyntaxError"):
                why = cut_words(" ".join(str(value.get("msg", "")).split()), MESSAGE_WORDS)
                yield LintProblem(
                    str(ex.path),
                    check.line,
                    ex.id,
                    f"check {check.expr!r} raises {kind} with the reference solution ({why}): "
                    "it names something neither the setup nor the solution defines; fix the "
                    "check (a typo?) or define the name",
                )
                break
            if raised:
                why = cut_words(" ".join(str(value.get("msg", "")).split()), MESSAGE_WORDS)
                message = check.message or "what it shows"
                typo = _misspelt_marker(check.message)
                if typo:  # '# raise IndexError: ...': the author meant the marker
                    word, message = typo
                    yield LintProblem(
                        str(ex.path),
                        check.line,
                        ex.id,
                        f"check {check.expr!r} raises {kind} with the reference solution (seed "
                        f"{seed}) and its message starts with {word!r}, which is not the "
                        f"marker: spell it 'raises' ('{check.expr}  # raises {kind}: "
                        f"{message}'), or fix the check if the raise is not the point",
                        warning=True,
                    )
                    break
                yield LintProblem(
                    str(ex.path),
                    check.line,
                    ex.id,
                    f"check {check.expr!r} raises {kind} with the reference solution (seed "
                    f"{seed}{': ' + why if why else ''}), so any answer that makes it raise "
                    f"{kind} too passes it: fix the check, or, if the raise is the point, "
                    f"mark it: '{check.expr}  # raises {kind}: {message}'",
                    warning=True,
                )
                break


MARKER_TYPO_RE = re.compile(r"^(\w+)\s+[A-Z_][\w.]*\s*(?::\s*(.*))?$", re.S)


def _misspelt_marker(message: str) -> tuple[str, str] | None:
    """``raise IndexError: ...`` (or ``Raises``, ``rasies``...): a check message that was
    meant as the ``raises`` marker. Its first word and the message after the marker."""
    found = MARKER_TYPO_RE.match(message)
    if not found or found.group(1) == "raises":
        return None
    word = found.group(1)
    if not difflib.get_close_matches(word.lower(), ["raises"], n=1, cutoff=0.7):
        return None
    return word, (found.group(2) or "").strip() or "what it shows"


def _lint_wrong(ex: Exercise, block: Counterexample, grader: Grader) -> Iterator[LintProblem]:
    got = grader.grade_exercise(ex, block.code)
    label = f"'wrong' block ({block.label})" if block.label else "'wrong' block"
    if got.status == "pass":
        yield LintProblem(
            str(ex.path),
            block.line,
            ex.id,
            f"{label} passes: the checks do not catch this shortcut or misconception; "
            "add a check, a forbid rule or a trace check that it fails",
        )
    elif got.status == "error" and _broken(got.message):
        line = block.line + got.line if got.line else block.line
        yield LintProblem(
            str(ex.path),
            line,
            ex.id,
            f"{label} fails only because it is broken ({relocate(got.message, block.line + 1)})"
            ": it proves nothing about the checks; make it run",
            warning=True,
            detail=_block_traceback(ex, got, block),
        )


def _block_traceback(ex: Exercise, got, block: Counterexample) -> tuple[str, ...]:
    """A graded block's traceback frames in file lines (its code starts after its fence)."""
    found = re.findall(r"^  line (\d+): (.*)$", got.traceback or "", re.M)
    return tuple(f"{ex.path}:{block.line + int(n)}: {src.strip()}" for n, src in found)


def _broken(message: str) -> bool:
    return any(f"raised {kind}" in message for kind in ("SyntaxError", "NameError"))


def guessable(ex: Exercise, grader: Grader) -> bool:
    """Could a hard-coded answer pass: every check the same value on every seed (lint's
    hidden ones too), and nothing that asks how the code got there (an expected raise from
    torch, a ``trace`` check, a ``require`` rule)?"""
    if ex.raises or ex.require or uses_trace(ex):
        return False
    seeds = list(dict.fromkeys([*ex.seeds, *extra_seeds(ex.id, 2, LINT_SALT)]))
    try:
        values = [grader.reference(ex, seed).values for seed in seeds]
    except ReferenceFailed:
        return False
    return all(v == values[0] for v in values[1:])


# -- predictions -------------------------------------------------------------------------

_UNSTABLE_CALLS = {"id", "hash", "time", "time_ns", "perf_counter", "monotonic", "getpid",
                   "now", "today", "urandom", "uuid1", "uuid4", "token_hex", "random"}  # fmt: skip


def unstable_line(code: str) -> int | None:
    """The first line (1-based) of ``code`` calling something whose value changes from run
    to run (``id``, ``hash``, ``time.time``, ``os.getpid``...), if any."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in _UNSTABLE_CALLS:
                lines.append(node.lineno)
    return min(lines) if lines else None


def lint_predict(pred: Predict, grader: Grader) -> Iterator[LintProblem]:
    def problem(message: str, line: int | None = None, warning: bool = False, detail=()):
        return LintProblem(str(pred.path), line or pred.line, pred.id, message, warning,
                           tuple(detail))  # fmt: skip

    first_line = pred.show_line or pred.line + 1
    try:
        shown = grader.show(pred)
    except ReferenceFailed as exc:
        err = exc.result.error if exc.result is not None else None
        what = _error_text(err) if err is not None else exc.why_here
        yield problem(
            f"the shown code did not run: {what}: fix it (learners predict what it prints)",
            exc.file_line(pred),
            detail=traceback_lines(err, pred.path, first_line),
        )
        return
    if not shown["output"].strip():
        yield problem(
            "the shown code prints nothing, so there is nothing to predict: print() the value "
            "the learner should predict",
            first_line,
        )
        return
    # a second run in another process (the learner sandbox: another server, another hash
    # seed and memory layout): what two graders would each cache as "the answer"
    again = grader.runner.run(
        Job(code=pred.show, timeout=pred.timeout, memory_mb=grader.memory_mb, code_name=SHOW_FILE)
    )
    if again.status != "ok":
        why = _error_text(again.error) if again.error else again.reason
        yield problem(
            f"the shown code ran once but failed when run again: {why}: it must print the "
            "same thing on every run",
            first_line,
        )
    elif fold_space(again.output) != fold_space(shown["output"]):
        one, two = shown["output"].splitlines(), again.output.splitlines()
        pairs = enumerate(zip(one, two, strict=False))
        n = next(
            (i for i, (a, b) in pairs if fold_space(a) != fold_space(b)), min(len(one), len(two))
        )
        a = cut_words(one[n].strip(), 80) if n < len(one) else "(nothing)"
        b = cut_words(two[n].strip(), 80) if n < len(two) else "(nothing)"
        suspect = unstable_line(pred.show)
        yield problem(
            f"the shown code prints something different on each run (output line {n + 1}: "
            f"{a!r} in one run, {b!r} in another): learners cannot predict it and two graders "
            "would expect different answers; print only what the code decides (no id(), "
            "time, os.getpid(), hash() of a str or bytes, os.urandom)",
            first_line + suspect - 1 if suspect else first_line,
        )
    stderr = shown["stderr"].strip()
    if stderr:
        first = cut_words(stderr.splitlines()[0].strip(), 120)
        yield problem(
            f"the shown code also writes to stderr ({first!r}): learners see it but "
            "predict only stdout; avoid the warning",
            first_line,
            warning=True,
        )


# -- the course --------------------------------------------------------------------------


def lint_item(item: Item, grader: Grader) -> Iterator[LintProblem]:
    """Problems with one item."""
    if isinstance(item, Exercise):
        yield from lint_exercise(item, grader)
    elif isinstance(item, Predict):
        yield from lint_predict(item, grader)


def course_problems(course: Course, only: set[Path] | None = None) -> list[LintProblem]:
    """The lesson errors of a course (parse errors, duplicate ids, ``requires`` naming no
    loaded lesson), each as an error at its file and line; ``only``: resolved paths of the
    files to report on."""
    return [
        LintProblem(str(e.path), e.line, "-", e.message)
        for e in course.errors
        if only is None or Path(e.path).resolve() in only
    ]


def lint_course(course: Course, grader: Grader) -> Iterator[LintProblem]:
    yield from course_problems(course)
    for item in course.items():
        yield from lint_item(item, grader)
