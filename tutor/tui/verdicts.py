"""What the learner reads after an answer, as Rich text: verdicts, what to do next, hints,
XP, level-ups and achievements. Pure functions of results; the panes show them.

Everything a celebration says is in the result itself (no toast repeats it over the screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from tutor.lesson.model import Exercise, Item, Predict, Quiz
from tutor.tui import format as fmt
from tutor.tui.game import SOLUTION_AFTER_FAILS

if TYPE_CHECKING:
    from tutor.grading.results import ItemResult
    from tutor.progress import AttemptResult, ItemState


def quiz_tries(quiz: Quiz) -> int:
    """Wrong answers a quiz takes before it shows the answer and why (all but one choice)."""
    return max(1, len(quiz.choices) - 1)


def celebration(attempt: AttemptResult | None, lesson_done: bool = False) -> list[Text]:
    """XP, a level-up, achievements, a finished lesson: lines for the verdict."""
    if attempt is None:
        return []
    lines = []
    if attempt.newly_passed:
        lines.append(fmt.award_text(attempt))
    if attempt.leveled_up:
        lvl = attempt.level_after
        lines.append(Text(f"▲ Level up! Level {lvl.number}: {lvl.name}", style="bold yellow"))
    for achievement in attempt.achievements:
        line = Text(f"★ Achievement: {achievement.name}", style="bold yellow")
        line.append(f"  {achievement.description}", style="yellow")
        lines.append(line)
    if attempt.newly_passed and lesson_done:
        lines.append(Text("★ Lesson complete! ctrl+n goes on to the next one.", style="bold cyan"))
    return lines


def next_step(item: Item | None, result: ItemResult, state: ItemState | None) -> Text:
    """What to do now: go on, take a hint, or (after enough tries) see the answer."""
    text = Text()
    if result.passed:
        text.append("\nctrl+n: next item", style="bold cyan")
        return text
    if result.status == "timeout":
        text.append("\nYour code ran out of time: look for a loop that never ends.", style="yellow")
    if item is not None and item.hints and state and state.hints_revealed < len(item.hints):
        text.append("\nf1 reveals a hint.", style="dim")
    fails = state.failed_checks if state else 0
    if isinstance(item, Exercise) and fails >= SOLUTION_AFTER_FAILS:
        text.append("\nf8 reveals the solution (this exercise then gives no XP).", style="dim")
    if isinstance(item, Predict) and fails >= 1 and not (state and state.solution_revealed):
        text.append(
            "\nf8 gives up: shows what the code prints (this prediction then gives no XP).",
            style="dim",
        )
    return text


def hints_text(item: Item, hints: list[str]) -> Text:
    text = Text()
    for n, hint in enumerate(hints, 1):
        text.append(f"Hint {n}: ", style="bold")
        text.append(f"{hint}\n")
    left = len(item.hints) - len(hints)
    if left:
        text.append(f"f1 reveals the next hint ({left} left).", style="dim")
    elif not item.hints:
        text.append("This item has no hints.", style="dim")
    return text


def head(result: ItemResult, message: str) -> Text:
    word, style = fmt.STATUS_WORDS.get(result.status, (result.status.upper(), "bold"))
    line = Text(f"{'✔' if result.passed else '✘'} {word}", style=style)
    if message:
        line.append(f"  {message}")
    return line


def quiz_verdict(
    quiz: Quiz,
    choice: int,
    result: ItemResult,
    state: ItemState | None,
    attempt: AttemptResult | None,
    lesson_done: bool = False,
    repeated: bool = False,
) -> Group:
    """A quiz answer: right (and why), or wrong (and how many tries are left, or, after the
    last one, the right answer and why)."""
    parts: list[RenderableType] = [*celebration(attempt, lesson_done)]
    picked = quiz.choices[choice - 1] if 1 <= choice <= len(quiz.choices) else str(choice)
    revealed = bool(state and state.solution_revealed)
    if result.passed:
        parts.append(head(result, "right answer"))
        if quiz.explain:
            parts.append(Text(quiz.explain, style="italic"))
    elif repeated:
        parts.append(Text(f"✘ You already tried {choice}: it is not the one.", style="yellow"))
    else:
        parts.append(head(result, f"{choice}. {picked}: not this one."))
    if not result.passed and revealed:
        right = quiz.choices[quiz.answer - 1]
        parts.append(Text(f"The answer is {quiz.answer}: {right}", style="bold"))
        if quiz.explain:
            parts.append(Text(quiz.explain, style="italic"))
        parts.append(Text("Pick it to go on (this quiz gives no XP now).", style="dim"))
    elif not result.passed:
        left = quiz_tries(quiz) - (state.failed_checks if state else 0)
        tries = "try" if left == 1 else "tries"
        parts.append(
            Text(
                f"{left} more {tries} before the answer is shown. Think again"
                + (", or f1 for a hint." if quiz.hints else "."),
                style="dim",
            )
        )
    if result.passed:
        parts.append(next_step(quiz, result, state))
    return Group(*parts)


def predict_verdict(
    pred: Predict,
    result: ItemResult,
    state: ItemState | None,
    attempt: AttemptResult | None,
    lesson_done: bool = False,
) -> Group:
    """A prediction: right (and the real output), or wrong (no output shown: it would be
    the answer; f8 gives up and shows it, for no XP)."""
    parts: list[RenderableType] = [*celebration(attempt, lesson_done)]
    if result.passed:
        parts.append(head(result, "right prediction"))
        parts.append(Text("The code really prints:", style="bold"))
        parts.append(Text(result.output.rstrip() or "(nothing)"))
        if pred.explain:
            parts.append(Text(pred.explain, style="italic"))
    elif result.status == "error":
        parts.append(head(result, result.message))
    elif "no prediction" in result.message:
        parts.append(head(result, "type what the code prints first"))
    else:
        parts.append(head(result, "that is not what it prints."))
        if state and state.solution_revealed:
            parts.append(revealed_output(pred, result.output))
    parts.append(next_step(pred, result, state))
    return Group(*parts)


def revealed_output(pred: Predict, output: str) -> Group:
    """After giving up on a prediction: what the code prints, and why."""
    parts: list[RenderableType] = [
        Text("The code prints:", style="bold"),
        Text(output.rstrip() or "(nothing)"),
    ]
    if pred.explain:
        parts.append(Text(pred.explain, style="italic"))
    parts.append(Text("Type it in and ctrl+s to go on (no XP now).", style="dim"))
    return Group(*parts)


def check_verdict(
    item: Item | None,
    result: ItemResult,
    code: str,
    state: ItemState | None,
    attempt: AttemptResult | None,
    lesson_done: bool = False,
    trigger: str = "",
) -> Group:
    """An exercise check: the celebration, every check, what to do next."""
    parts: list[RenderableType] = []
    if trigger:
        parts.append(Text(trigger, style="dim"))
    parts += celebration(attempt, lesson_done)
    parts.append(fmt.verdict(result, code))
    parts.append(next_step(item, result, state))
    return Group(*parts)
