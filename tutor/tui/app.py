"""The tutor app: wires the course, the progress store, the workspace and the sandbox engine
to the screens, and decides where the learner goes.

Everything it depends on can be injected (tests pass a tmp store, a shared engine, a tmp
workspace, a fake editor). Screens get what they need in their constructors and ask for the
rest with messages (``messages.py``); none of them imports this module. The first paint needs
only the lesson files: the grader (numpy) is imported, the sandbox (torch, in its own
process) started and the workspace watched in workers right after it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tutor.lesson.load import Course, lesson_dirs, load_course
from tutor.paths import workspace_dir
from tutor.progress import ProgressError, ProgressStore
from tutor.tui.game import Clock, Game, LessonPrefs, local_now
from tutor.tui.messages import CourseCompleted, LessonFinished, OpenLesson, WorkspaceChanged
from tutor.tui.sandbox_handle import SandboxHandle
from tutor.tui.screens.map import MapScreen
from tutor.workspace import Workspace

if TYPE_CHECKING:
    from textual.command import Provider

    from tutor.tui.engine import Engine

CSS_PATH = Path(__file__).with_name("tutor.tcss")


def _course_commands() -> type[Provider]:
    """The palette's lesson search, imported when the palette first opens, not at start."""
    from tutor.tui.commands import CourseCommands

    return CourseCommands


class TutorApp(App[int]):
    """The game. ``engine`` may be injected; otherwise a sandbox engine is built and owned."""

    CSS_PATH = CSS_PATH
    TITLE = "tutor"
    COMMANDS = App.COMMANDS | {_course_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # ? types a ? in the code editor: f10 opens the help from there (and anywhere)
        Binding("question_mark,f10", "help", "Help", tooltip="Keys, XP rules, the REPL"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        folders: list[Path] | None = None,
        *,
        course: Course | None = None,
        store: ProgressStore | None = None,
        store_path: Path | None = None,
        engine: Engine | None = None,
        engine_factory: Callable[[], Engine] | None = None,
        workspace: Workspace | Path | str | None = None,
        editor: Sequence[str] | None = None,
        watch: bool = True,
        clock: Clock = local_now,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        from tutor.tui.external import EditorLauncher

        self.folders = folders if folders is not None else lesson_dirs(None)
        self.course = course if course is not None else load_course(self.folders)
        self._owns_store = store is None
        self.store = store if store is not None else ProgressStore(store_path)
        self.game = Game(self.course, self.store, clock)
        self.game.report = self._progress_error
        self.sandbox = SandboxHandle(self.folders, engine, engine_factory)
        if not isinstance(workspace, Workspace):
            workspace = Workspace(workspace_dir(workspace))
        self.workspace = workspace
        self.editor = EditorLauncher(editor)
        self.prefs = LessonPrefs()
        self.watch_workspace = watch
        self._stop_watching = threading.Event()
        self._watcher: threading.Thread | None = None
        self.cursor_blink = cursor_blink

    # -- life cycle ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The map is the first screen itself (no blank default screen to mount and leave)."""
        return MapScreen(self.game)

    def on_mount(self) -> None:
        if self.store.warning:
            self.notify(self.store.warning, severity="warning", timeout=15)
        self.call_after_refresh(self._warm_up)
        if self.watch_workspace:
            self.call_after_refresh(self._watch)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """After the first paint: import the grader and start the sandbox in the background."""
        self.sandbox.start()

    def _watch(self) -> None:
        """For the app's lifetime, in a thread of its own (not a Textual worker, so waiting
        for the workers to finish never waits for it): report files another editor or
        process changed."""
        from tutor.tui.watcher import watch_folder

        self._watcher = threading.Thread(
            target=watch_folder,
            args=(
                self.workspace.folder,
                self._stop_watching,
                lambda names: self.post_message(WorkspaceChanged(names)),
            ),
            name="tutor-workspace-watcher",
            daemon=True,
        )
        self._watcher.start()

    @on(WorkspaceChanged)
    def _workspace_changed(self, event: WorkspaceChanged) -> None:
        from tutor.tui.screens.lesson import LessonScreen

        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen):
                screen.post_message(WorkspaceChanged(event.names))

    def _progress_error(self, message: str) -> None:
        """Progress could not be saved: say so (thread-safe: ``notify`` posts a message)."""
        self.notify(message, title="Progress not saved", severity="error", timeout=15)

    async def action_quit(self) -> None:
        """Quit at once: a run in flight is stopped, not waited for (drafts save on unmount)."""
        busy = any(w.group == "sandbox" and not w.is_finished for w in self.workers)
        if busy:
            self.sandbox.stop_now()
        self.exit()

    def on_unmount(self) -> None:
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join(2.0)
        self.sandbox.close()
        if self._owns_store:
            self.store.close()

    # -- where the learner goes ------------------------------------------------------------------

    @on(OpenLesson)
    def _open_lesson(self, event: OpenLesson) -> None:
        self.open_lesson(event.lesson_id, event.item_id)

    def open_lesson(self, lesson_id: str, item_id: str | None = None) -> None:
        from tutor.tui.screens.lesson import LessonScreen

        lesson = self.course.lesson(lesson_id)
        if lesson is None:
            return
        if self.game.lesson_state(lesson) == "locked":
            missing = [r for r in lesson.requires if self._not_done(r)]
            self.notify(
                f"Locked: finish {', '.join(missing) or 'the lessons before it'} first.",
                severity="warning",
            )
            return
        while isinstance(self.screen, Screen) and not isinstance(self.screen, MapScreen):
            self.pop_screen()
        number = self.course.lessons.index(lesson) + 1
        self.push_screen(
            LessonScreen(
                self.game,
                self.sandbox,
                self.workspace,
                lesson,
                item_id,
                number=number,
                blink=self.cursor_blink,
                prefs=self.prefs,
                editor=self.editor,
            )
        )

    def _not_done(self, lesson_id: str) -> bool:
        lesson = self.course.lesson(lesson_id)
        return lesson is not None and self.game.lesson_state(lesson) != "done"

    @on(LessonFinished)
    def _lesson_finished(self, event: LessonFinished) -> None:
        """Go on from the last item of a lesson: the next playable lesson, else the map."""
        lessons = self.course.lessons
        lesson = event.lesson
        later = lessons[lessons.index(lesson) + 1 :] if lesson in lessons else []
        for other in later:
            if self.game.lesson_state(other) != "locked":
                self.open_lesson(other.id)
                return
        if not isinstance(self.screen, MapScreen):
            self.pop_screen()
        if self.game.course_complete():
            self.show_complete()

    @on(CourseCompleted)
    def show_complete(self) -> None:
        from tutor.tui.screens.complete import CompleteScreen

        rows = self.game.rows()
        earned = sum(r.earned for r in rows)
        available = sum(r.available for r in rows)
        self.push_screen(CompleteScreen(self.game.totals(), earned, available))

    def action_help(self) -> None:
        from tutor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- command palette -----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = set()
        for binding in [*screen.BINDINGS, *self.BINDINGS]:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen or binding.action in ("quit",):
                continue
            if screen.check_action(binding.action.split("(")[0], ()) is False:
                continue
            seen.add(binding.action)
            target = screen if binding in screen.BINDINGS else self
            key = binding.key.split(",")[0]
            yield SystemCommand(
                binding.description,
                f"{key}: {binding.tooltip or binding.description.lower()}",
                lambda a=binding.action, t=target: t.run_action(a),
            )


def run_app(lessons: list[str] | None, workspace: str | None = None) -> int:
    """Play the course (``tutor`` / ``tutor --lessons DIR --workspace DIR``); the exit code."""
    folders = lesson_dirs(lessons)
    try:
        store = ProgressStore()
    except ProgressError as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return 1
    app = TutorApp(folders, store=store, workspace=workspace)
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0
