"""The home screen: the course map, the learner's standing, and "continue"."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from tutor.tui.format import item_title, plural
from tutor.tui.game import LessonRow
from tutor.tui.widgets.footer import KeysFooter
from tutor.tui.widgets.lesson_list import LessonList
from tutor.tui.widgets.player import PlayerBar

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp


class MapScreen(Screen):
    """Lessons in order with their state and points; enter opens, ``c`` continues."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("c", "continue", "Continue"),
        Binding("a", "achievements", "Achievements"),
    ]

    app: TutorApp

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[LessonRow] = []
        self._width = 0  # the terminal width the list was laid out for

    def compose(self) -> ComposeResult:
        yield Header(icon="∂")
        with Vertical(id="map-body"):
            yield PlayerBar(id="player")
            yield Static("", id="continue")
            yield LessonList(id="lessons")
            yield Static("", id="lesson-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tutor"
        self.sub_title = "PyTorch autograd, by doing"

    def on_screen_resume(self) -> None:
        """Fill the map: when it is first shown (before the first paint) and on coming back."""
        self.refresh_map()

    def on_resize(self) -> None:
        if self.app.size.width != self._width:  # the list's title column follows the width
            self.refresh_map()

    def refresh_map(self) -> None:
        game = self.app.game
        self.query_one(PlayerBar).show(game.totals())
        self._rows = rows = game.rows()
        self._width = self.app.size.width
        self.query_one(LessonList).show(rows, game.course.errors, self._width)
        target = game.continue_target()
        note = Text()
        if game.course_complete():
            note.append("★ Course complete! ", style="bold yellow")
            note.append("Every item passed. Revisit any lesson, or press c to see your results.")
        elif target is None:
            note.append("No lesson to play: check the errors below.", style="red")
        else:
            lesson, item = target
            note.append("▶ press c to continue: ", style="bold")
            note.append(lesson.title, style="bold cyan")
            if item is not None:
                note.append(f": {item_title(item.title) if item.title else item.id}")
        self.query_one("#continue", Static).update(note)
        self._describe(self.query_one(LessonList).highlighted)

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
        lesson = self.app.game.course.lesson(option_id.removeprefix("lesson:"))
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
            text.append(f"\nLocked: finish {', '.join(row.missing)} first.", style="yellow")
        elif lesson.requires:
            text.append(f"  (after: {', '.join(lesson.requires)})", style="dim")
        detail.update(text)

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

            error = self.app.game.course.errors[int(option_id.removeprefix("error:"))]
            self.app.push_screen(LessonErrorScreen(error))
            return
        self.app.open_lesson(option_id.removeprefix("lesson:"))

    def action_continue(self) -> None:
        if self.app.game.course_complete():
            self.app.show_complete()
            return
        target = self.app.game.continue_target()
        if target is None:
            self.notify(
                "Nothing to continue: every lesson is locked or broken.", severity="warning"
            )
            return
        lesson, item = target
        self.app.open_lesson(lesson.id, item.id if item else None)

    def action_achievements(self) -> None:
        from tutor.tui.screens.dialogs import AchievementsScreen  # not needed to paint the map

        self.app.push_screen(AchievementsScreen(self.app.game.achievements()))
