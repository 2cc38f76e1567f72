"""Command palette: search lessons and items by name, continue where you left off."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tutor.tui.format import item_title
from tutor.tui.game import GameHost
from tutor.tui.messages import OpenLesson

KIND = {"exercise": "exercise", "quiz": "quiz", "predict": "prediction"}


class CourseCommands(Provider):
    """``Open lesson: ...``, ``Go to exercise: ...`` and ``Continue where I left off``."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = self.app
        game = cast(GameHost, app).game
        out: list[tuple[str, str, Callable[[], None]]] = [
            ("Continue where I left off", "open the lesson and item you were on", _continue(app))
        ]
        for row in game.rows():
            lesson = row.lesson
            out.append(
                (
                    f"Open lesson: {lesson.title}",
                    f"{row.state}, {row.earned}/{row.available} points",
                    _opener(app, lesson.id, None),
                )
            )
            for item in lesson.items:
                name = item_title(item.title) if item.title else item.id
                out.append(
                    (
                        f"Go to {KIND[item.kind]}: {name}",
                        f"in {lesson.title} ({item.points} pts)",
                        _opener(app, lesson.id, item.id),
                    )
                )
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands()[:1]:
            yield DiscoveryHit(name, callback, help=help_text)
        for name, help_text, callback in self._commands()[1:]:
            if name.startswith("Open lesson"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _opener(app: App, lesson_id: str, item_id: str | None) -> Callable[[], None]:
    return lambda: app.post_message(OpenLesson(lesson_id, item_id))


def _continue(app: App) -> Callable[[], None]:
    def go() -> None:
        game = cast(GameHost, app).game
        target = game.continue_target()
        if target is None:
            app.notify("Nothing to continue.", severity="warning")
        elif not game.started(target[0]):
            app.post_message(OpenLesson(target[0].id))
        else:
            lesson, item = target
            app.post_message(OpenLesson(lesson.id, item.id if item else None))

    return go
