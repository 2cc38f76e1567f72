"""What crosses the sandbox boundary: jobs in, results out, as length-prefixed frames.

Plain data both ways (never pickles), so a hostile run can at worst send a wrong answer, never
code for the grader to run. The shapes here are the sandbox's whole interface: the grader and
the TUI build a :class:`Job` and read a :class:`RunResult`, whatever backend runs it.

Three hops, three framings:

- client -> server: ``>I`` length + JSON (trusted: the client wrote it);
- child -> server: ``>IB`` length, kind + JSON bytes the server never parses (untrusted);
- server -> client: ``>IBI`` length, kind, request id + payload. A child's bytes are forwarded
  as they came and only the client decodes them, with :func:`decode_untrusted`, which bounds
  size and nesting and checks every field's type, so no run can crash the server or grader.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO, Literal

HEADER = struct.Struct(">I")  # client -> server
CHILD_HEADER = struct.Struct(">IB")  # child -> server
REPLY_HEADER = struct.Struct(">IBI")  # server -> client
MAX_FRAME = 24 * 1024 * 1024  # a result bigger than this is refused, not read
MAX_DEPTH = 64  # nesting a decoded result may have (values nest at most ~25 deep)
MAX_CONTAINERS = 200_000  # lists and objects in one result (an honest one has a few thousand)

# frame kinds (child -> server and server -> client)
READY, RESULT, PROGRESS, FAILURE, PONG = 0, 1, 2, 3, 4

Status = Literal["ok", "raised", "timeout", "crashed", "memory", "violation", "internal"]
STATUSES = ("ok", "raised", "timeout", "crashed", "memory", "violation", "internal")

# file names the child compiles code under: tracebacks name lines in the learner's own code
CODE_FILE = "<your code>"
SETUP_FILE = "<setup>"
CHECK_FILE = "<check>"

# caps on what a child's result may carry into the grader (bytes of UTF-8 unless noted)
TEXT_CAP = 4000  # messages, tracebacks, reprs
OUTPUT_CAP = 256 * 1024  # printed output (the child keeps 64 KiB; this is the hard ceiling)
LIST_CAP = 10_000  # items in any list (values, repl lines, flags)


@dataclass
class Job:
    """One sandboxed run: seed -> setup -> code -> reseed -> checks (-> repl lines, graph)."""

    code: str
    setup: str = ""
    checks: list[str] = field(default_factory=list)
    seed: int = 0
    timeout: float = 10.0
    memory_mb: int = 2048  # extra memory the run may allocate beyond the warm interpreter
    output_cap: int = 64 * 1024  # bytes of printed output kept
    raises: str | None = None  # exception type the code is expected to raise (exactly)
    code_name: str = CODE_FILE
    repl: list[str] = field(default_factory=list)  # statements run after the code, REPL-style
    graph_of: str | None = None  # an expression whose autograd graph to describe
    watch: str | None = None  # a list in the namespace whose new items stream back as they come
    trace: bool = False  # record what the code did (``trace`` in checks); costs a little
    # names in checks that must mean the real builtin / module / setup helper (contract 3):
    # {name: "builtin" | "module:<dotted name>" | "setup"}; filled from the reference's run
    real_names: dict[str, str] = field(default_factory=dict)
    describe_names: bool = False  # report how each check name resolved (reference runs)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ErrorInfo:
    type: str
    message: str
    where: str  # "setup", "code", "check", "sandbox"
    line: int | None = None  # line in the learner's code (or setup) where it happened
    traceback: str = ""
    own_raise: bool = False  # raised by a ``raise`` statement in the run's own code

    def one_line(self) -> str:
        at = f" at line {self.line}" if self.line else ""
        msg = self.message.strip().split("\n")[0][:300]
        return f"{self.type}{at}: {msg}" if msg else f"{self.type}{at}"


@dataclass
class RunResult:
    status: Status
    duration_s: float = 0.0
    output: str = ""  # what the code printed to stdout
    output_truncated: bool = False
    stderr: str = ""  # warnings and stderr prints, kept apart (a predict is about stdout)
    values: list[dict[str, Any]] = field(default_factory=list)  # one encoded value per check
    error: ErrorInfo | None = None
    raised_expected: bool = False  # the code raised exactly the job's ``raises`` type
    repl: list[dict[str, Any]] = field(default_factory=list)
    graph: dict[str, Any] | None = None
    tampered: list[str] = field(default_factory=list)
    reason: str = ""  # one line for a person when status is not ok/raised
    flags: list[str] = field(default_factory=list)  # refused or noticed, for an instructor
    names: dict[str, str] = field(default_factory=dict)  # how check names resolved (reference)
    notes: list[str] = field(default_factory=list)  # plain notes for the learner

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        """Build from trusted data (the grader's own cache, a server's failure report)."""
        return from_untrusted(data)


# -- decoding what a run sent -------------------------------------------------------------


class Damaged(ValueError):
    """A run sent back something that is not a well-formed result."""


def decode_untrusted(raw: bytes) -> Any:
    """JSON from a run: size and nesting bounded; ``Damaged`` instead of any other error."""
    if len(raw) > MAX_FRAME:
        raise Damaged("result over the size limit")
    if raw.count(b"[") + raw.count(b"{") > MAX_CONTAINERS:  # each costs the grader ~50 bytes
        raise Damaged("too many lists in the result")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError, MemoryError):
        raise Damaged("not valid JSON") from None
    if _depth(data) > MAX_DEPTH:
        raise Damaged("nested too deep")
    return data


def _depth(value: Any) -> int:
    """Nesting depth, without recursion (a hostile frame may nest thousands deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def clean_str(value: Any, cap: int = TEXT_CAP) -> str:
    """A real ``str`` of at most ``cap`` UTF-8 bytes, lone surrogates replaced."""
    if not isinstance(value, str):
        return ""
    data = value.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid, then U+FFFD
    if len(data) > cap:
        data = data[: max(0, cap - 12)] + b" ... (cut)"
    return data.decode("utf-8", "replace")


def _str_list(value: Any, cap: int = TEXT_CAP) -> list[str]:
    if not isinstance(value, list):
        return []
    return [clean_str(v, cap) for v in value[:LIST_CAP] if isinstance(v, str)]


_SCALAR_FIELDS = {  # field -> allowed types, per encoded kind (see ``values.encode``)
    "v": (bool, int, float, str),
    "repr": (str,),
    "type": (str,),
    "name": (str,),
    "msg": (str,),
    "dtype": (str,),
    "kind": (str,),
    "grad_fn": (str, type(None)),
    "requires_grad": (bool,),
    "is_leaf": (bool,),
    "too_large": (bool,),
    "size": (int,),
    "len": (int,),
    "error": (str,),
    "b64": (str,),
}
_KINDS = {"none", "bool", "int", "float", "str", "node", "raised", "tensor", "ndarray",
          "module", "list", "tuple", "dict", "other"}  # fmt: skip
_DAMAGED = {"t": "other", "type": "damaged", "repr": "<a damaged value>"}


def clean_value(value: Any, depth: int = 0) -> dict[str, Any]:
    """An encoded check value (see ``values.encode``) with every field of the right type, so
    comparing it can never raise; anything malformed becomes an ``other`` that equals nothing
    but another damaged value."""
    if not isinstance(value, dict) or value.get("t") not in _KINDS or depth > 30:
        return dict(_DAMAGED)
    kind = value["t"]
    out: dict[str, Any] = {"t": kind}
    for key, types in _SCALAR_FIELDS.items():
        item = value.get(key)
        if key in value and isinstance(item, types):
            if isinstance(item, str):
                cap = 12 * 1024 * 1024 if key == "b64" else (400_000 if key == "v" else TEXT_CAP)
                item = clean_str(item, cap)
            out[key] = item
    shape = value.get("shape")
    if isinstance(shape, list) and all(type(d) is int for d in shape[:64]) and len(shape) <= 64:
        out["shape"] = shape
    data = value.get("data")
    if isinstance(data, list) and all(type(x) in (bool, int, float) for x in data):
        out["data"] = data
    if kind in ("list", "tuple"):
        items = value.get("items")
        items = items[:LIST_CAP] if isinstance(items, list) else []
        out["items"] = [clean_value(v, depth + 1) for v in items]
        out.setdefault("len", len(out["items"]))
    elif kind in ("dict", "module"):
        key = "items" if kind == "dict" else "state"
        pairs = value.get(key)
        pairs = pairs[:LIST_CAP] if isinstance(pairs, list) else []
        out[key] = [
            [clean_str(p[0], 400), clean_value(p[1], depth + 1)]
            for p in pairs
            if isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)
        ]
    required = {
        "bool": ("v", bool), "int": ("v", int), "str": ("v", str), "node": ("name", str),
        "raised": ("type", str),
    }.get(kind)  # fmt: skip
    if required and type(out.get(required[0])) is not required[1]:
        return dict(_DAMAGED)
    if kind == "float":
        v = out.get("v")
        if not (type(v) in (int, float) or v in ("inf", "-inf", "nan")):
            return dict(_DAMAGED)
    if kind in ("tensor", "ndarray") and "shape" not in out:
        return dict(_DAMAGED)
    return out


def _repl_entry(entry: Any) -> dict[str, Any]:
    entry = entry if isinstance(entry, dict) else {}
    return {
        "input": clean_str(entry.get("input"), 2000),
        "value": clean_str(entry["value"]) if isinstance(entry.get("value"), str) else None,
        "error": clean_str(entry["error"]) if isinstance(entry.get("error"), str) else None,
        "output": clean_str(entry.get("output"), 16 * 1024),
    }


def _graph(value: Any) -> dict[str, Any] | None:
    """A graph description is display only: keep it if it is plain bounded data."""
    if not isinstance(value, dict):
        return None
    try:
        if len(json.dumps(value)) > 2 * 1024 * 1024:
            return {"error": "the graph is too large to show"}
    except (TypeError, ValueError, RecursionError):
        return None
    return value


def from_untrusted(data: Any) -> RunResult:
    """A :class:`RunResult` from decoded data, each field checked and capped."""
    if not isinstance(data, dict):
        raise Damaged("not a result")
    status = data.get("status")
    if status not in STATUSES:
        raise Damaged("no valid status")
    err = data.get("error")
    error = None
    if isinstance(err, dict):
        line = err.get("line")
        error = ErrorInfo(
            type=clean_str(err.get("type"), 200) or "Error",
            message=clean_str(err.get("message"), 2000),
            where=clean_str(err.get("where"), 20) or "code",
            line=line if isinstance(line, int) and not isinstance(line, bool) else None,
            traceback=clean_str(err.get("traceback")),
            own_raise=err.get("own_raise") is True,
        )
    values = data.get("values")
    names = data.get("names")
    duration = data.get("duration_s")
    return RunResult(
        status=status,
        duration_s=float(duration) if isinstance(duration, int | float) else 0.0,
        output=clean_str(data.get("output"), OUTPUT_CAP),
        output_truncated=data.get("output_truncated") is True,
        stderr=clean_str(data.get("stderr"), OUTPUT_CAP // 4),
        values=[clean_value(v) for v in values[:LIST_CAP]] if isinstance(values, list) else [],
        error=error,
        raised_expected=data.get("raised_expected") is True,
        repl=[_repl_entry(e) for e in data["repl"][:200]]
        if isinstance(data.get("repl"), list)
        else [],
        graph=_graph(data.get("graph")),
        tampered=_str_list(data.get("tampered"), 200)[:20],
        reason=clean_str(data.get("reason"), 1000),
        flags=sorted(set(_str_list(data.get("flags"), 60)))[:40],
        names={
            clean_str(k, 100): clean_str(v, 200)
            for k, v in list(names.items())[:200]
            if isinstance(k, str) and isinstance(v, str)
        }
        if isinstance(names, dict)
        else {},
        notes=_str_list(data.get("notes"), 400)[:10],
    )


# -- framing ------------------------------------------------------------------------------


def write_frame(stream: BinaryIO, obj: Any) -> None:
    data = json.dumps(obj, allow_nan=True).encode()
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    """Read one client -> server frame; ``EOFError`` when the other side is gone."""
    head = _read_exact(stream.read, HEADER.size)
    (size,) = HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ValueError(f"frame of {size} bytes is over the limit")
    return json.loads(_read_exact(stream.read, size))


def write_child_frame(fd: int, kind: int, obj: Any) -> None:
    """A child's message to its server (``RESULT`` or ``PROGRESS``)."""
    data = json.dumps(obj, allow_nan=True).encode("utf-8", "replace")
    _write_all(fd, CHILD_HEADER.pack(len(data), kind) + data)


def write_reply(fd: int, kind: int, req_id: int, payload: bytes) -> None:
    _write_all(fd, REPLY_HEADER.pack(len(payload), kind, req_id & 0xFFFFFFFF) + payload)


def read_reply(stream: BinaryIO) -> tuple[int, int, bytes]:
    """One server -> client frame: (kind, request id, payload); ``EOFError`` at the end."""
    head = _read_exact(stream.read, REPLY_HEADER.size)
    size, kind, req_id = REPLY_HEADER.unpack(head)
    if size > MAX_FRAME + 4096:
        raise ValueError(f"reply of {size} bytes is over the limit")
    return kind, req_id, _read_exact(stream.read, size)


def result_payload(meta: dict[str, Any], child_bytes: bytes) -> bytes:
    """A ``RESULT`` reply: the server's own JSON (trusted) then the child's bytes (not)."""
    head = json.dumps(meta).encode()
    return HEADER.pack(len(head)) + head + child_bytes


def split_result_payload(payload: bytes) -> tuple[dict[str, Any], bytes]:
    (size,) = HEADER.unpack(payload[: HEADER.size])
    meta = json.loads(payload[HEADER.size : HEADER.size + size])
    return meta, payload[HEADER.size + size :]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(read, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = read(left)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
