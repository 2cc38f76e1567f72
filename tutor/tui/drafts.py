"""What the learner types, kept twice: as the draft in the progress store and as the item's
file in the workspace (the file any editor opens, and ``tutor grade WORKSPACE`` grades).

* Opening an item reads its file (the file wins: another editor may have changed it while
  tutor was closed); a missing file is written from the draft, or the starter code.
* Typing saves both after a short quiet time (:meth:`Drafts.edited`), and at once when the
  item is left (:meth:`Drafts.flush`).
* A file changed by someone else is read back by :meth:`Drafts.reload`; a file deleted or
  renamed under tutor is written again from the draft (:meth:`Drafts.restore`): code is never
  lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message_pump import MessagePump
from textual.timer import Timer

from tutor.lesson.model import Exercise, Item
from tutor.tui.game import Game
from tutor.workspace import Workspace, WorkspaceError

DRAFT_DELAY = 0.5  # seconds of quiet typing before a draft is saved


@dataclass
class Loaded:
    """An item's text as opened, and what the learner should be told about it."""

    text: str
    note: str = ""  # e.g. "recreated <file> from your saved code"
    error: str = ""  # the file could not be read or written


def _file_text(item: Item, text: str) -> str:
    """A quiz's file holds its choice number on a line of its own."""
    return text.strip() + "\n" if item.kind == "quiz" and text.strip() else text


def starter_of(item: Item) -> str:
    return item.starter if isinstance(item, Exercise) else ""


class Drafts:
    """Drafts and workspace files of one screen's items; timers run on ``owner``."""

    def __init__(
        self,
        owner: MessagePump,
        game: Game,
        workspace: Workspace,
        report: Callable[[str], None],
        delay: float = DRAFT_DELAY,
    ) -> None:
        self.owner = owner
        self.game = game
        self.workspace = workspace
        self.report = report  # told when a file cannot be written (the draft is still saved)
        self.delay = delay
        self._timer: Timer | None = None
        self._pending: tuple[Item, str] | None = None
        self._reported: set[str] = set()  # files whose write failure was said already

    # -- opening -------------------------------------------------------------------------

    def load(self, item: Item) -> Loaded:
        """The item's current text: its file, else the draft, else the starter (a quiz's:
        the choice number, or '')."""
        draft = self.game.draft(item)
        try:
            text = self.workspace.read(item)
        except WorkspaceError as exc:
            return Loaded(draft if draft is not None else starter_of(item), error=str(exc))
        if text is not None:
            if item.kind == "quiz":
                text = text.strip()
            if text != draft and (item.kind != "quiz" or text):
                self.game.save_draft(item, text)
            return Loaded(text)
        code = draft if draft is not None else starter_of(item)
        if item.kind != "exercise" and draft is None:
            return Loaded(code)  # answers get a file once there is an answer
        try:
            self._write(item, code)
        except WorkspaceError as exc:
            return Loaded(code, error=str(exc))
        if draft is not None:
            name = self.workspace.name(item)
            return Loaded(code, note=f"{name} was missing: written again from your saved code.")
        return Loaded(code)

    # -- saving --------------------------------------------------------------------------

    def edited(self, item: Item, text: str) -> None:
        """The learner typed: save after a short quiet time."""
        self._pending = (item, text)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.owner.set_timer(self.delay, self.flush)

    def flush(self) -> None:
        """Save the latest edit now (kept in memory, so it works while widgets unmount)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        pending, self._pending = self._pending, None
        if pending is not None:
            self.save(*pending)

    def save(self, item: Item, text: str) -> None:
        """Save now: the draft and the file (a file that cannot be written is reported;
        the draft still keeps the code)."""
        self.game.save_draft(item, text)
        if self.workspace.known(item) == _file_text(item, text) and not self.workspace.missing(
            item
        ):
            return
        try:
            self._write(item, text)
        except WorkspaceError as exc:
            if item.id not in self._reported:  # once, not at every pause in the typing
                self._reported.add(item.id)
                self.report(f"{exc}. Your code is still saved in tutor's progress file.")
        else:
            self._reported.discard(item.id)

    def forget_pending(self) -> None:
        """Drop an edit not saved yet (its text was replaced from the file)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = None

    def _write(self, item: Item, text: str) -> None:
        self.workspace.write(item, _file_text(item, text))

    # -- someone else's changes ------------------------------------------------------------

    def reload(self, item: Item) -> str | None:
        """The item's file if it changed since tutor last wrote or read it (the draft is
        updated to it), else None. Raises :class:`WorkspaceError` if it cannot be read."""
        text = self.workspace.changed(item)
        if text is None:
            return None
        if item.kind == "quiz":
            text = text.strip()
        self.forget_pending()
        self.game.save_draft(item, text)
        return text

    def restore(self, item: Item, text: str) -> bool:
        """Write the file again if it is gone (deleted or renamed); True when it did."""
        if not self.workspace.missing(item):
            return False
        if item.kind != "exercise" and not text:
            return False
        try:
            self._write(item, text)
        except WorkspaceError as exc:
            self.report(str(exc))
            return False
        return True
