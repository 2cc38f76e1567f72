"""Make untrusted text safe for a report: everything a learner's run sends back, and names.

The grader never trusts what comes out of a sandboxed run (printed output, exception
messages, tracebacks, the ``repr`` of a checked value, REPL entries), nor the names of the
folders a class hands in. Before any of it reaches a report writer it goes through here:

``clean_text(value, max_bytes)``
    * coerces to a real ``str``: an exact ``str`` as it is; an exact ``int``/``float``/
      ``bool`` as its decimal form; ``None`` as ``""``; anything else, including a ``str``
      subclass (whose ``__len__``, ``__str__`` or ``__getitem__`` may lie), as
      :data:`NOT_TEXT`. No method of the value itself is ever called;
    * replaces lone surrogates (U+D800..U+DFFF) and the non-characters U+FFFE/U+FFFF with
      U+FFFD, so the result encodes as UTF-8 and is legal in XML 1.0;
    * drops NUL and every other C0 control except ``\\n`` and ``\\t`` (so also ``\\r`` and
      ESC: no terminal escape sequences), DEL, and the C1 controls U+0080..U+009F;
    * caps the result at ``max_bytes`` bytes of UTF-8, marker included: a cut value ends
      with ``"... (cut)"`` and never splits a character. Only the first ``max_bytes + 1``
      characters are looked at, so a 60 MB string costs no more than a short one.

``clean_data(value)``
    the same for JSON-like data (REPL entries, graph descriptions): at most
    :data:`DATA_DEPTH` levels and :data:`DATA_ITEMS` values in all, strings through
    ``clean_text``; never recursion deeper than the depth limit, whatever the input.

``name_label(name)``
    a learner folder name as a printable, one-line label, injective (two different names
    never give the same label): non-printable characters are escaped (``\\x1b``, ``\\n``,
    ``\\u202e``), bytes that are not UTF-8 show as ``\\xff``, and ``\\`` is doubled.

``file_stem(name)``
    a learner folder name as a file name: only letters, digits, ``.``, ``_`` and ``-``, no
    leading dot, at most :data:`STEM_BYTES` bytes, not a Windows device name; a name that
    had to change gets a short hash of the original, so two learners never share a file.

``xml_safe(text)`` / ``csv_cell(text)``
    what XML 1.0 and spreadsheets need on top: characters illegal in XML removed; a cell
    that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    prefixed with ``'``.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

NOT_TEXT = "<not text>"  # what a value that is not a plain str/number becomes
CUT = "... (cut)"

DATA_DEPTH = 16  # nesting levels kept by clean_data
DATA_ITEMS = 1000  # values kept by clean_data, over the whole structure
DATA_STR = 2048  # bytes per string in clean_data
TRUNCATED = "<...>"  # stands for what clean_data left out

STEM_BYTES = 120  # a result file's name, before its hash and extension

_REPLACEMENT = 0xFFFD
_TABLE: dict[int, int | None] = {}
for _cp in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
    if _cp not in (0x09, 0x0A):
        _TABLE[_cp] = None
for _cp in [*range(0xD800, 0xE000), 0xFFFE, 0xFFFF]:
    _TABLE[_cp] = _REPLACEMENT
del _cp

_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WINDOWS_DEVICES = {
    "con", "prn", "aux", "nul", "conin$", "conout$",
    *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
}  # fmt: skip


def as_text(value: Any) -> str:
    """``value`` as an exact ``str`` without calling any of its methods (see module doc)."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "True" if value else "False"
    if kind is int:
        try:
            return int.__repr__(value)
        except ValueError:  # more digits than int_max_str_digits
            return "<a very large int>"
    if kind is float:
        return float.__repr__(value)
    return NOT_TEXT


def clean_text(value: Any, max_bytes: int, marker: str = CUT) -> str:
    """Untrusted ``value`` as a str safe in every report, at most ``max_bytes`` of UTF-8."""
    text = as_text(value)
    max_bytes = max(int(max_bytes), len(marker.encode()))
    window = text[: max_bytes + 1]  # every character is at least one byte
    cut = len(text) > len(window)
    window = window.translate(_TABLE)
    data = window.encode("utf-8")  # no surrogates are left: cannot fail
    if not cut and len(data) <= max_bytes:
        return window
    keep = max_bytes - len(marker.encode())
    return data[:keep].decode("utf-8", "ignore") + marker


def cut_words(text: str, limit: int, marker: str = " ...") -> str:
    """``text`` (already safe) shortened to at most ``limit`` characters at a word boundary,
    ending with ``marker`` when cut: a message a person reads is never cut mid-word."""
    if len(text) <= limit:
        return text
    room = max(1, limit - len(marker))
    head = text[: room + 1]
    space = head.rfind(" ")
    head = head[:space] if space > room // 2 else head[:room]
    return head.rstrip(" ,;:") + marker


def clean_line(value: Any, max_bytes: int) -> str:
    """``clean_text`` on one line: newlines and tabs become spaces (a text report's row)."""
    return " ".join(clean_text(value, max_bytes).split())


def clean_int(value: Any, default: int = 0, low: int = -(2**63), high: int = 2**63 - 1) -> int:
    """An exact int within [low, high], else ``default`` (bool counts as int)."""
    if type(value) in (int, bool) and low <= value <= high:
        return int(value)
    return default


def clean_float(value: Any, default: float = 0.0) -> float:
    """A finite float (JSON has no NaN or infinity), else ``default``."""
    if type(value) in (int, bool):
        value = float(value) if abs(value) < 2**1000 else default
    if type(value) is float and math.isfinite(value):
        return value
    return default


def clean_data(
    value: Any,
    max_depth: int = DATA_DEPTH,
    max_items: int = DATA_ITEMS,
    max_str: int = DATA_STR,
) -> Any:
    """JSON-like untrusted data, bounded in depth, count and string size (see module doc).

    dict keys become cleaned strings; lists and tuples become lists; other types become
    :data:`NOT_TEXT`; whatever is past a limit becomes :data:`TRUNCATED`.
    """
    budget = [max_items]

    def walk(node: Any, depth: int) -> Any:
        if budget[0] <= 0:
            return TRUNCATED
        budget[0] -= 1
        kind = type(node)
        if node is None or kind is bool:
            return node
        if kind is int:
            return node if -(2**63) <= node < 2**63 else as_text(node)
        if kind is float:
            return node if math.isfinite(node) else float.__repr__(node)
        if kind is str:
            return clean_text(node, max_str)
        if kind not in (list, tuple, dict):
            return NOT_TEXT
        if depth >= max_depth:
            return TRUNCATED
        if kind is dict:
            out: dict[str, Any] = {}
            for key, item in dict.items(node):
                if budget[0] <= 0:
                    out[TRUNCATED] = TRUNCATED
                    break
                name = clean_text(key, 256) if type(key) is str else as_text(key)
                out[name] = walk(item, depth + 1)
            return out
        items = list.__iter__(node) if kind is list else tuple.__iter__(node)
        result = []
        for item in items:
            if budget[0] <= 0:
                result.append(TRUNCATED)
                break
            result.append(walk(item, depth + 1))
        return result

    return walk(value, 0)


def name_label(name: Any, max_chars: int = 2048) -> str:
    """A folder name as a printable, injective, one-line label (see module doc)."""
    text = as_text(name)
    parts = []
    for ch in text[:max_chars]:
        code = ord(ch)
        if ch == "\\":
            parts.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            parts.append(ch)
        elif code < 0x80:
            parts.append(f"\\x{code:02x}")
        elif code < 0x10000:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    if len(text) > max_chars:
        parts.append(CUT)
    return "".join(parts)


def file_stem(name: Any) -> str:
    """A learner folder name as a safe, portable file name stem (see module doc)."""
    text = as_text(name)
    safe = "".join(c if (c.isalnum() and c.isascii()) or c in "._-" else "_" for c in text)
    if safe.startswith("."):
        safe = "_" + safe[1:]
    if safe.split(".")[0].lower() in _WINDOWS_DEVICES:  # "nul.txt" is a device on Windows
        safe = "_" + safe
    plain = safe == text and bool(safe) and len(safe) <= STEM_BYTES
    if plain:
        return safe
    return f"{safe[:STEM_BYTES] or 'learner'}-{name_digest(text)}"


def name_digest(name: Any) -> str:
    """12 hex digits that tell names apart (a sha256 of the name's exact code points)."""
    return hashlib.sha256(as_text(name).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def xml_safe(value: Any) -> str:
    """Text legal in XML 1.0: lone surrogates -> U+FFFD, other illegal characters removed."""
    text = _SURROGATE.sub("\ufffd", as_text(value))
    return _XML_ILLEGAL.sub("", text)


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs: formula-like text gets a leading '."""
    if type(value) in (int, float, bool):
        return value
    text = as_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
