"""The home screen: the course map, the learner's standing, and "continue"."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static

from tutor.tui.format import item_title, plural
from tutor.tui.game import Game, LessonRow
from tutor.tui.messages import CourseCompleted, OpenLesson
from tutor.tui.widgets.footer import KeysFooter
from tutor.tui.widgets.lesson_list import LessonList
from tutor.tui.widgets.player import PlayerBar
from tutor.tui.widgets.title_bar import TitleBar


class MapScreen(Screen):
    """Lessons in order with their state and points; enter opens, ``c`` continues."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("c", "continue", "Continue"),
        Binding("a", "achievements", "Achievements"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self._rows: list[LessonRow] = []
        self._width = 0  # the terminal width the list was laid out for

    def compose(self) -> ComposeResult:
        yield TitleBar("tutor · PyTorch autograd, by doing", id="title-bar")
        with Vertical(id="map-body"):
            yield PlayerBar(id="player")
            yield Static("", id="continue")
            yield LessonList(id="lessons")
            yield Static("", id="lesson-detail")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        """Fill the map when it is first shown (before the first paint) and on coming back,
        the cursor on the lesson to continue (the one the learner is in)."""
        self.refresh_map(to_current=True)

    def on_resize(self) -> None:
        if self.app.size.width != self._width:  # the list's title column follows the width
            self.refresh_map()

    def refresh_map(self, to_current: bool = False) -> None:
        game = self.game
        totals = game.totals()
        self.query_one(PlayerBar).show(totals)
        self._rows = rows = game.rows()
        self._width = self.app.size.width
        target = game.continue_target()
        current = target[0].id if to_current and target is not None else None
        lessons = self.query_one(LessonList)
        lessons.show(rows, game.course.errors, self._width, current)
        note = Text()
        if game.course_complete():
            note.append("★ Course complete! ", style="bold yellow")
            note.append("Every item passed. Revisit any lesson, or press c to see your results.")
        elif target is None:
            note.append("No lesson to play: check the errors below.", style="red")
        else:
            lesson, item = target
            number = game.course.lessons.index(lesson) + 1
            note.append("▶ press c to continue: ", style="bold")
            note.append(f"{number}. {lesson.title}", style="bold cyan")
            if item is not None and game.started(lesson):
                note.append(f", {item_title(item.title) if item.title else item.id}")
        self.query_one("#continue", Static).update(note)
        self._describe(lessons.highlighted)

    @on(OptionList.OptionHighlighted, "#lessons")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option_index)

    def _describe(self, index: int | None) -> None:
        detail = self.query_one("#lesson-detail", Static)
        lessons = self.query_one(LessonList)
        if index is None or index >= lessons.option_count:
            detail.update("")
            return
        option_id = lessons.get_option_at_index(index).id or ""
        if option_id.startswith("error:"):
            detail.update(Text("enter shows this lesson's error", style="dim"))
            return
        lesson = self.game.course.lesson(option_id.removeprefix("lesson:"))
        if lesson is None:
            return
        kinds = [i.kind for i in lesson.items]
        text = Text()
        text.append(f"{lesson.title}: ", style="bold")
        text.append(
            f"{plural(kinds.count('exercise'), 'exercise')}, "
            f"{plural(kinds.count('quiz'), 'quiz')}, "
            f"{plural(kinds.count('predict'), 'prediction')}, {lesson.max_points} points"
        )
        row = next((r for r in self._rows if r.lesson.id == lesson.id), None)
        if row is not None and row.state == "locked":
            text.append(f"\nLocked: finish {self._named(row.missing)} first.", style="yellow")
        elif lesson.requires:
            text.append(f"  (after {self._named(lesson.requires)})", style="dim")
        detail.update(text)

    def _named(self, lesson_ids) -> str:
        """Lessons as the map numbers them ("lesson 3"), not by their ids, which the learner
        never sees; an id that is not in the course stays as it is."""
        numbers = {row.lesson.id: row.number for row in self._rows}
        named = [f"lesson {numbers[i]}" if i in numbers else i for i in lesson_ids]
        return " and ".join(named) if len(named) <= 2 else ", ".join(named)

    @on(OptionList.OptionSelected, "#lessons")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id or "")

    def action_open(self) -> None:
        lessons = self.query_one(LessonList)
        if lessons.highlighted is not None:
            self._open(lessons.get_option_at_index(lessons.highlighted).id or "")

    def _open(self, option_id: str) -> None:
        if option_id.startswith("error:"):
            from tutor.tui.screens.dialogs import LessonErrorScreen  # not needed to paint the map

            error = self.game.course.errors[int(option_id.removeprefix("error:"))]
            self.app.push_screen(LessonErrorScreen(error))
            return
        self.post_message(OpenLesson(option_id.removeprefix("lesson:")))

    def action_continue(self) -> None:
        if self.game.course_complete():
            self.post_message(CourseCompleted())
            return
        target = self.game.continue_target()
        if target is None:
            self.notify(
                "Nothing to continue: every lesson is locked or broken.", severity="warning"
            )
            return
        lesson, item = target
        if not self.game.started(lesson):  # a new lesson opens at its start: the teaching
            self.post_message(OpenLesson(lesson.id))
        else:
            self.post_message(OpenLesson(lesson.id, item.id if item else None))

    def action_achievements(self) -> None:
        from tutor.tui.screens.dialogs import AchievementsScreen  # not needed to paint the map

        self.app.push_screen(AchievementsScreen(self.game.achievements()))
