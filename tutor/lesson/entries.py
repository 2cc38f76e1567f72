"""The grammar of ``forbid``/``require`` entries (LESSON_FORMAT 2a): what the parser accepts
and how the rules read an entry. Lives with the lesson model; ``grading.rules`` applies it."""

from __future__ import annotations

import keyword

ALIASES = {
    "np": "numpy",
    "F": "torch.nn.functional",
    "nn": "torch.nn",
    "optim": "torch.optim",
}
ENTRY_EXAMPLES = '"torch.autograd.grad" (a dotted name), "backward" (a bare name) or ".data"'


def _is_name(part: str) -> bool:
    return part.isidentifier() and not keyword.iskeyword(part)


def entry_problem(entry: object) -> str | None:
    """Why ``entry`` is not a valid forbid/require entry, or None when it is."""
    if not isinstance(entry, str):
        return f"{entry!r} is not a string"
    body = entry[1:] if entry.startswith(".") else entry
    if entry.startswith(".") and not _is_name(body):
        return f"{entry!r} is not an attribute name"
    if not entry.startswith(".") and not all(_is_name(p) for p in entry.split(".")):
        return f"{entry!r} is not a dotted name"
    return None


def normalise_entry(entry: str) -> str:
    """``np.polyfit`` -> ``numpy.polyfit``; ``F.relu`` -> ``torch.nn.functional.relu``.

    Bare entries and ``.attr`` entries are returned as written."""
    if entry.startswith("."):
        return entry
    head, dot, rest = entry.partition(".")
    return ALIASES.get(head, head) + dot + rest if dot else entry
