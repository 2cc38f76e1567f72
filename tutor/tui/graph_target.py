"""Which tensor the graph view draws first: ``loss`` or ``y`` if the exercise has one."""

from __future__ import annotations

import re

from tutor.lesson.model import Exercise

PREFERRED = ("loss", "y", "z", "out", "L")
_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*=[^=]", re.MULTILINE)


def default_graph_target(ex: Exercise) -> str:
    """A name the solution assigns, preferring the usual output names."""
    names = _ASSIGN.findall(ex.solution)
    for name in PREFERRED:
        if name in names:
            return name
    return names[-1] if names else "y"
