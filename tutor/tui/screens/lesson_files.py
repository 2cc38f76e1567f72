"""The files side of a lesson screen: drafts as the learner types, the workspace file read
back when another editor or process saves it (and checked), a deleted file written again,
ctrl+e (the learner's own editor), and reset to the starter code."""

from __future__ import annotations

from textual import on
from textual.widgets import TextArea

from tutor.tui.messages import WorkspaceChanged
from tutor.tui.screens.dialogs import ConfirmScreen
from tutor.tui.screens.lesson_base import LessonBase
from tutor.tui.widgets.exercise import ExercisePane
from tutor.tui.widgets.predict import PredictPane
from tutor.tui.widgets.quiz import QuizPane
from tutor.workspace import WorkspaceError


class LessonFiles(LessonBase):
    """Keeps the editor and the item's workspace file the same, both ways."""

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        pane, item = self.pane(), self.item
        if item is None or event.text_area.id not in ("editor", "prediction"):
            return
        if pane is not None and event.text_area in pane.query(TextArea):
            self.drafts.edited(item, event.text_area.text)

    def on_unmount(self) -> None:
        self.drafts.flush()

    @on(WorkspaceChanged)
    def _files_changed(self, event: WorkspaceChanged) -> None:
        item = self.item
        if item is not None and self.workspace.name(item) in event.names:
            self.sync_from_file("saved in another editor")

    def sync_from_file(self, why: str) -> None:
        """Read the item's file if someone else changed it; an exercise is then checked."""
        item, pane = self.item, self.pane()
        if item is None or pane is None:
            return
        try:
            text = self.drafts.reload(item)
        except WorkspaceError as exc:
            self._file_problem(str(exc))
            return
        if text is None:
            if self.workspace.missing(item):  # an editor's save may be half done: look again
                self.set_timer(0.6, self._restore_if_missing)
            return
        if isinstance(pane, ExercisePane):
            pane.editor.set_code(text)
            self.drafts.forget_pending()
            name = self.workspace.name(item)
            self._check_now(f"{name} {why}: checked (a save counts as a check, like ctrl+s)")
        elif isinstance(pane, PredictPane):
            pane.prediction.load_text(text)
            self.drafts.forget_pending()
            self.notify("Your prediction was read from its file; ctrl+s checks it.", timeout=4)
        elif isinstance(pane, QuizPane) and text.isdigit():
            pane.action_pick(int(text))

    def _restore_if_missing(self) -> None:
        item, pane = self.item, self.pane()
        if item is None or pane is None:
            return
        text = self._current_text()
        if text is not None and self.drafts.restore(item, text):
            self.notify(
                f"{self.workspace.name(item)} was deleted or renamed: written again from your "
                "code (a renamed copy stays as it is).",
                title="Workspace file",
                timeout=8,
            )

    def _current_text(self) -> str | None:
        pane = self.pane()
        if isinstance(pane, ExercisePane):
            return pane.editor.text
        if isinstance(pane, PredictPane):
            return pane.prediction.text
        item = self.item
        return self.game.draft(item) if item is not None else None

    def action_reset(self) -> None:
        pane = self.exercise_pane()
        if pane is None:
            return
        if pane.editor.text == pane.ex.starter:
            self.notify("Your code is the starter code already.", timeout=3)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Reset your code to the starter code?\n\nctrl+z in the editor brings yours back.",
                yes="Reset",
                no="Keep mine",
            ),
            self._reset,
        )

    def _reset(self, sure: bool | None) -> None:
        pane = self.exercise_pane()
        if sure and pane is not None:
            pane.editor.set_code(pane.ex.starter)
            self.drafts.save(pane.ex, pane.ex.starter)
            pane.editor.focus()

    def action_edit_external(self) -> None:
        """ctrl+e: the item's file in the learner's own editor; checked when it comes back."""
        item, text = self.item, self._current_text()
        if item is None or text is None or item.kind == "quiz":
            return
        self.drafts.flush()
        self.drafts.save(item, text)
        if self.reading:  # the verdict shows with the work
            self.action_toggle_lesson()
        path = self.workspace.path(item)
        problem = self.editor_launcher.problem()
        if problem:
            self.notify(problem, title="No editor", severity="error", timeout=10)
            return
        if self.editor_launcher.suspend_and_edit(self.app, path):
            self.sync_from_file("saved in your editor")
        else:  # no terminal to hand over (a GUI editor, a test): wait for it in a worker
            self._edit_in_background(str(path))

    def _edit_in_background(self, path: str) -> None:
        self.run_worker(
            lambda: self.editor_launcher.run(path),
            thread=True,
            exit_on_error=False,
            group="editor",
            name="editor",
        )
