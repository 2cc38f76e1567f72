"""Moving the focus safely: a widget just shown (a tab switched to, a part toggled) can take
the focus only after a refresh, and a hidden widget must never keep it."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget


def shown(widget: Widget) -> bool:
    """Whether a widget is on screen: attached, and neither it nor a container hidden."""
    return widget.is_attached and all(
        node.display for node in widget.ancestors_with_self if isinstance(node, Widget)
    )


def focus_when_shown(
    widget: Widget, otherwise: Callable[[], None] | None = None, tries: int = 3
) -> None:
    """Focus ``widget`` as soon as it is shown (retrying after refreshes); if it never is,
    call ``otherwise`` (so the focus is not left nowhere)."""
    if shown(widget) and widget.focusable:
        widget.screen.set_focus(widget)
    elif tries > 0 and widget.is_attached:
        widget.call_after_refresh(focus_when_shown, widget, otherwise, tries - 1)
    elif otherwise is not None:
        otherwise()
