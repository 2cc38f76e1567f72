"""The grader trusts nothing it is sent (issue 13, item 4): submission folders and run output.

No sandbox here: hostile run output is built as ``ItemResult``s directly, or returned by a
stand-in grader, and hostile submission folders are made on disk. The same attacks through
the real sandbox and the ``tutor`` command are in ``test_cli.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.grading import submission
from tutor.grading.batch import (
    BatchSummary,
    LearnerSummary,
    ResultFiles,
    grade_batch,
    learner_folders,
    merge_summaries,
)
from tutor.grading.clean import (
    CUT,
    NOT_TEXT,
    TRUNCATED,
    as_text,
    clean_data,
    clean_text,
    csv_cell,
    file_stem,
    name_label,
    xml_safe,
)
from tutor.grading.formats import render, write_file, write_stream
from tutor.grading.results import MAX_CHECKS, CheckResult, ItemResult
from tutor.grading.session import Report, grade_folder
from tutor.grading.submission import MAX_BYTES, folder_problem, read_answer
from tutor.lesson.load import load_course

C0 = "".join(chr(c) for c in range(0x20))
CONTROLS = C0 + "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0))
XML_ILLEGAL = [*(chr(c) for c in range(0x20) if c not in (9, 10, 13)), "\ufffe", "\uffff"]


class LyingStr(str):
    """A str whose every method lies: what a learner's object may hand to a writer."""

    calls = 0

    def __len__(self) -> int:
        LyingStr.calls += 1
        return 1

    def __str__(self) -> str:
        LyingStr.calls += 1
        return "short"

    def __getitem__(self, key):  # type: ignore[override]
        LyingStr.calls += 1
        return "short"

    def encode(self, *a, **k):  # type: ignore[override]
        LyingStr.calls += 1
        return b"short"

    def translate(self, *a, **k):  # type: ignore[override]
        LyingStr.calls += 1
        return "short"


def legal_xml(text: str) -> bool:
    return not any(ch in text for ch in XML_ILLEGAL) and not any(
        0xD800 <= ord(ch) <= 0xDFFF for ch in text
    )


def utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- clean_text -----------------------------------------------------------------------------


def test_clean_text_caps_a_60_mb_string_by_bytes_quickly() -> None:
    huge = "é" * 30_000_000  # 60 MB of UTF-8
    started = time.perf_counter()
    out = clean_text(huge, 4096)
    assert time.perf_counter() - started < 0.5
    assert len(out.encode()) <= 4096 and out.endswith(CUT)
    assert out.startswith("éé")


def test_clean_text_never_calls_a_str_subclass() -> None:
    LyingStr.calls = 0
    value = LyingStr("x" * 1000)
    assert clean_text(value, 100) == NOT_TEXT
    assert as_text(value) == NOT_TEXT
    assert LyingStr.calls == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "True"),
        (12, "12"),
        (1.5, "1.5"),
        (float("nan"), "nan"),
        (10**10000, "<a very large int>"),
        (b"bytes", NOT_TEXT),
        (["a"], NOT_TEXT),
        (object(), NOT_TEXT),
    ],
    ids=["none", "bool", "int", "float", "nan", "huge-int", "bytes", "list", "object"],
)
def test_clean_text_coerces_anything_to_a_real_str(value: object, text: str) -> None:
    out = clean_text(value, 100)
    assert type(out) is str and out == text


def test_clean_text_replaces_surrogates_and_drops_controls() -> None:
    text = "a\ud800b\udfffc" + CONTROLS + "d\ufffe\uffffe\n\tf"
    out = clean_text(text, 1000)
    assert out == "a\ufffdb\ufffdc\t\nd\ufffd\ufffde\n\tf"  # only \t and \n are kept
    assert utf8_ok(out) and legal_xml(out)


def test_clean_text_cuts_on_a_character_boundary() -> None:
    out = clean_text("😀" * 100, 50)
    data = out.encode()
    assert len(data) <= 50 and out.endswith(CUT)
    assert out[: -len(CUT)] == "😀" * ((50 - len(CUT)) // 4)
    assert clean_text("a" * 20, 20) == "a" * 20  # exactly at the limit: not cut
    assert clean_text("a" * 21, 20) == "a" * 11 + CUT


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=0, max_value=300))
def test_clean_text_always_gives_small_safe_idempotent_text(text: str, limit: int) -> None:
    out = clean_text(text, limit)
    assert type(out) is str
    assert len(out.encode("utf-8")) <= max(limit, len(CUT))
    assert legal_xml(out)
    assert not any(ch in out for ch in CONTROLS if ch not in "\n\t")
    assert clean_text(out, limit) == out


# -- clean_data -----------------------------------------------------------------------------


def test_clean_data_bounds_depth_count_and_cycles() -> None:
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    out = clean_data(deep)
    depth = 0
    while isinstance(out, list) and out:
        out, depth = out[0], depth + 1
    assert out == TRUNCATED and depth <= 17

    loop: list = []
    loop.append(loop)
    assert json.dumps(clean_data(loop))  # no RecursionError, finite

    many = clean_data(list(range(1_000_000)))
    assert len(many) <= 1001 and many[-1] == TRUNCATED

    odd = clean_data({"k\x00": LyingStr("x"), 1: float("inf"), "s": "\ud800" * 10_000, "o": {1, 2}})
    assert odd == {"k": NOT_TEXT, "1": "inf", "s": odd["s"], "o": NOT_TEXT}
    assert len(odd["s"].encode()) <= 2048
    json.dumps(odd, allow_nan=False)


# -- names ----------------------------------------------------------------------------------


HOSTILE_NAMES = [
    "ann",
    "Ann",
    "../../x",
    "..",
    ".hidden",
    "a/b",
    "a\\b",
    "a\\\\b",
    '=HYPERLINK("http://evil","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\x1b[2J\x1b]0;pwned\x07",
    "new\nline",
    "tab\there",
    "nul\x00l",
    "\u202egnp.exe",
    "bad\udcffbytes",
    "lone\ud800",
    "José",
    "日本語",
    "x" * 255,
    "é" * 127,
    "con",
    "NUL.txt",
    "lpt1",
    "",
]


def test_name_labels_are_printable_one_line_and_injective() -> None:
    labels = [name_label(n) for n in HOSTILE_NAMES]
    assert len(set(labels)) == len(HOSTILE_NAMES)
    for label in labels:
        assert label.isprintable() or label == ""
        assert utf8_ok(label) and legal_xml(label)
    assert name_label("bad\udcffbytes") == "bad\\xffbytes"
    assert name_label("\x1b[2J") == "\\x1b[2J"
    assert name_label("a\\b") == "a\\\\b"


def test_file_stems_are_safe_unique_and_stay_in_the_folder(tmp_path: Path) -> None:
    stems = [file_stem(n) for n in HOSTILE_NAMES]
    assert len(set(stems)) == len(HOSTILE_NAMES)
    for stem in stems:
        assert stem and not stem.startswith(".")
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in stem)
        assert len(stem.encode()) + len(".json") <= 255
        assert stem.split(".")[0].lower() not in ("con", "nul", "lpt1")
    assert file_stem("ann") == "ann" and file_stem("bob-2.v1") == "bob-2.v1"  # plain stays
    files = ResultFiles(tmp_path / "results")
    paths = [files.path_for(n) for n in [*HOSTILE_NAMES, "ANN"]]
    assert len({p.name.casefold() for p in paths}) == len(paths)  # case-blind file systems too
    for path in paths:
        assert path.parent == tmp_path / "results"
        write_file(path, "{}\n")
    assert len(list((tmp_path / "results").iterdir())) == len(paths)


def test_result_file_replaces_a_planted_symlink_without_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    results = tmp_path / "results"
    results.mkdir()
    (results / "ann.json").symlink_to(victim)
    write_file(results / "ann.json", "{}\n")
    assert victim.read_text() == "keep me"
    assert not (results / "ann.json").is_symlink()
    assert [p.name for p in results.iterdir()] == ["ann.json"]  # no temporary file left


@pytest.mark.parametrize("name", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_cells_never_start_a_formula(name: str) -> None:
    assert csv_cell(name) == "'" + name
    assert csv_cell("ann") == "ann" and csv_cell(5) == 5


def test_xml_safe_removes_everything_xml_1_0_forbids() -> None:
    out = xml_safe("a" + "".join(XML_ILLEGAL) + "\ud800\t\n\rb")
    assert out == "a\ufffd\t\n\rb"


# -- reports from hostile ItemResults ---------------------------------------------------------


def hostile_item(item_id: str = "double", big: int = 60_000_000) -> ItemResult:
    nasty = "\x00\x1b[2J\x07" + "\ud800\udfff" + C0 + "\ufffe\uffff" + "é€😀" + "]]>&<'\""
    huge = nasty + "x" * big
    deep: list = []
    for _ in range(50_000):
        deep = [deep]
    check = CheckResult(
        expr="y",
        message="twice x",
        seed=0,
        status="fail",
        expected=LyingStr("x" * 1000),  # type: ignore[arg-type]
        got=huge,
        explain=huge,
    )
    return ItemResult(
        id=item_id,
        lesson="batch-lesson",
        kind="exercise",
        status="fail",
        score=0,
        max_score=10,
        duration_s=float("nan"),
        message=huge,
        output=huge,
        checks=[check, CheckResult("z", nasty, 2**70, "pass", nasty, nasty)],  # type: ignore[arg-type]
        line=LyingStr("12"),  # type: ignore[arg-type]
        traceback=huge,
        repl=[{"input": "y", "output": huge, "deep": deep}],
        graph={"tensor": deep},
        flags=[nasty, LyingStr("f"), *["x"] * 1000],  # type: ignore[list-item]
    )


def assert_valid_reports(report: Report, max_json: int = 64_000) -> dict:
    """Every format of ``report``: complete, parseable, bounded; returns the parsed JSON."""
    text_json = render(report, "json")
    assert text_json.isascii() and len(text_json) < max_json
    data = json.loads(text_json, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    for item in data["exercises"]:
        for key in ("message", "output"):
            assert legal_xml(item[key]) and utf8_ok(item[key])
        assert len(item["message"].encode()) <= 1024
        assert len(item["output"].encode()) <= 4096
        for check in item["checks"]:
            assert len(check["got"].encode()) <= 2048 and utf8_ok(check["expected"])
    junit = render(report, "junit")
    assert junit.isascii() and len(junit) < 2 * max_json
    root = ET.fromstring(junit.encode())
    assert root.tag == "testsuites"
    text = render(report, "text")
    assert text.rstrip("\n").split("\n")[-1].startswith("score ")
    assert not any(ch in text for ch in CONTROLS if ch != "\n")
    text.encode("utf-8")  # no surrogates
    for encoding in ("ascii", "latin-1"):
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
        write_stream(stream, text)
        assert raw.getvalue().decode(encoding).startswith(text.split(" ")[0])
    return data


def test_every_format_survives_a_hostile_item() -> None:
    LyingStr.calls = 0
    report = Report(items=[hostile_item(), hostile_item("other")], duration_s=float("inf"))
    data = assert_valid_reports(report)
    item = data["exercises"][0]
    assert item["message"].endswith(CUT) and item["output"].endswith(CUT)
    assert "line" not in item  # a line that is not an int is dropped
    assert item["checks"][0]["expected"] == NOT_TEXT
    assert item["checks"][1]["seed"] == 0  # not a 64-bit int
    assert len(item["flags"]) == 32 and item["flags"][1] == NOT_TEXT
    assert data["duration_s"] == 0.0 and item["duration_s"] == 0.0
    assert LyingStr.calls == 0
    cleaned = report.items[0].cleaned()  # REPL entries and graphs are bounded too
    assert json.dumps(cleaned.repl) and json.dumps(cleaned.graph)


def test_a_million_checks_keep_the_failed_ones_and_say_how_many_were_left_out() -> None:
    ok = CheckResult("y", "", 0, "pass", "1", "1")
    bad = CheckResult("z", "", 0, "fail", "1", "2", explain="z: expected 1, got 2")
    item = ItemResult("many", "l", "exercise", "fail", 0, 10, message="z differs")
    item.checks = [ok] * 999_999 + [bad]
    started = time.perf_counter()
    data = assert_valid_reports(Report(items=[item]), max_json=200_000)
    assert time.perf_counter() - started < 10
    (entry,) = data["exercises"]
    assert len(entry["checks"]) == MAX_CHECKS
    assert entry["checks"][-1]["expr"] == "z"  # the failed one is kept
    assert entry["checks_omitted"] == 1_000_000 - MAX_CHECKS
    junit = ET.fromstring(render(Report(items=[item]), "junit"))
    failure = junit.find(".//failure")
    assert failure is not None and "999800 more checks not shown" in (failure.text or "")


def test_unknown_statuses_and_lesson_errors_stay_valid() -> None:
    item = ItemResult("x", "l", "exercise", "exploded", 5, 5)  # type: ignore[arg-type]
    err = SimpleNamespace(path=Path("bad\x00\ud800.md"))
    report = Report(items=[item], problem="no\x00 \ud800", lesson_errors=[err])  # type: ignore[list-item]
    data = assert_valid_reports(report)
    assert data["exercises"][0]["status"] == "error"
    assert data["message"] == "no \ufffd"


# -- submission files -------------------------------------------------------------------------


EX = SimpleNamespace(id="double", kind="exercise")
QUIZ = SimpleNamespace(id="pick", kind="quiz")


def no_leak(answer: submission.Answer, *secrets: str) -> None:
    assert answer.text is None and answer.problem
    for secret in secrets:
        assert secret not in answer.problem
    assert "/" not in answer.problem  # names only the file, never a path


def learner(tmp_path: Path, name: str = "ann") -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    return folder


def test_good_answers_are_read_as_before(tmp_path: Path) -> None:
    folder = learner(tmp_path)
    (folder / "double.py").write_bytes(b"\xef\xbb\xbfy = 2\r\nprint(1)\r\n")
    (folder / "pick.txt").write_text("2")
    assert read_answer(folder, EX).text == "y = 2\nprint(1)\n"
    assert read_answer(folder, QUIZ).text == "2"
    assert read_answer(folder, SimpleNamespace(id="gone", kind="quiz")).missing


def test_bad_text_keeps_its_messages(tmp_path: Path) -> None:
    folder = learner(tmp_path)
    (folder / "double.py").write_bytes(b"y = 1\nsecret = '\xff'\n")
    answer = read_answer(folder, EX)
    assert answer.problem == "double.py is not UTF-8 text (line 2): save it as UTF-8"
    (folder / "double.py").write_bytes(b"y\x00secret")
    assert read_answer(folder, EX).problem == "double.py looks like a binary file, not text"
    no_leak(read_answer(folder, EX), "secret")
    (folder / "double.py").write_bytes(b"#" * (MAX_BYTES + 1))
    assert read_answer(folder, EX).problem == "double.py is 1.0 MB; answers are limited to 1 MiB"
    (folder / "double.py").write_bytes(b"#" * MAX_BYTES)
    assert read_answer(folder, EX).text is not None  # exactly the limit is fine


def test_symlinked_answers_are_refused_not_followed(tmp_path: Path) -> None:
    other = learner(tmp_path, "bob")
    (other / "double.py").write_text("y = 'bob secret'\n")
    folder = learner(tmp_path)
    (folder / "double.py").symlink_to("/etc/passwd")
    (folder / "pick.txt").symlink_to(other / "double.py")
    answer = read_answer(folder, EX)
    assert answer.problem == "double.py is a symbolic link, not a regular file: not read"
    no_leak(answer, "root:", "passwd")
    no_leak(read_answer(folder, QUIZ), "bob")
    (folder / "double.py").unlink()
    (folder / "double.py").symlink_to("/dev/zero")
    no_leak(read_answer(folder, EX), "zero")
    (folder / "double.py").unlink()
    (folder / "double.py").symlink_to("double.py")  # a loop
    no_leak(read_answer(folder, EX))
    (folder / "double.py").unlink()
    (folder / "double.py").symlink_to(tmp_path / "nowhere")  # dangling: refused, not missing
    no_leak(read_answer(folder, EX))


def run_with_timeout(fn, seconds: float = 5.0):
    box: list = []
    worker = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"still blocked after {seconds}s"
    return box[0]


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    folder = learner(tmp_path)
    os.mkfifo(folder / "double.py")  # nobody ever writes to it
    answer = run_with_timeout(lambda: read_answer(folder, EX))
    assert answer.problem == "double.py is a named pipe, not a regular file: not read"
    (folder / "pick.txt").mkdir()  # a folder named like an answer
    assert read_answer(folder, QUIZ).problem == "pick.txt is a folder, not a regular file: not read"
    sock_item = SimpleNamespace(id="sock", kind="quiz")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(folder / "sock.txt"))
        answer = run_with_timeout(lambda: read_answer(folder, sock_item))
        assert answer.problem == "sock.txt is a socket, not a regular file: not read"
    finally:
        server.close()


def test_a_2_gb_sparse_file_is_refused_unread(tmp_path: Path) -> None:
    folder = learner(tmp_path)
    with open(folder / "double.py", "wb") as fh:
        fh.truncate(2 * 1024**3)
    started = time.perf_counter()
    answer = read_answer(folder, EX)
    assert time.perf_counter() - started < 1
    assert answer.problem == "double.py is 2147.5 MB; answers are limited to 1 MiB"


def test_a_size_that_lies_does_not_make_it_read_more(tmp_path: Path, monkeypatch) -> None:
    folder = learner(tmp_path)
    (folder / "double.py").write_bytes(b"#" * (3 * MAX_BYTES))
    real_fstat = os.fstat
    reads: list[int] = []
    real_read = os.read

    def small_fstat(fd):
        st = real_fstat(fd)
        return os.stat_result((*st[:6], 10, *st[7:10]))  # st_size says 10 bytes

    def counting_read(fd, n):
        data = real_read(fd, n)
        reads.append(len(data))
        return data

    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    answer = read_answer(folder, EX)
    assert answer.problem == "double.py is over 1 MiB; answers are limited to 1 MiB"
    assert sum(reads) == MAX_BYTES + 1


def test_hard_links_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("secret = 1\n")
    folder = learner(tmp_path)
    os.link(outside, folder / "double.py")
    answer = read_answer(folder, EX)
    assert "has other hard links" in answer.problem
    no_leak(answer, "secret")


@pytest.mark.parametrize("swap", ["symlink", "fifo", "other-file"])
def test_an_answer_swapped_between_looking_and_opening_is_refused(
    tmp_path: Path, monkeypatch, swap: str
) -> None:
    folder = learner(tmp_path)
    target = folder / "double.py"
    target.write_text("y = 2\n")
    real_open = os.open

    def swapping_open(path, flags, *args, **kwargs):
        if path == "double.py" and not getattr(swapping_open, "done", False):
            swapping_open.done = True  # type: ignore[attr-defined]
            if swap != "other-file":
                target.unlink()
            if swap == "symlink":
                target.symlink_to("/etc/passwd")
            elif swap == "fifo":
                os.mkfifo(target)
            else:  # a new file renamed over it (a new inode while the old one is alive)
                target.write_text("y = 2\n")
                (folder / "new.py").write_text("y = 3\n")
                os.replace(folder / "new.py", target)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", swapping_open)
    answer = run_with_timeout(lambda: read_answer(folder, EX))
    no_leak(answer, "root:")
    expected = {
        "symlink": "double.py is a symbolic link, not a regular file: not read",
        "fifo": "double.py is a named pipe, not a regular file: not read",
        "other-file": "double.py was replaced while being read: not read",
    }[swap]
    assert answer.problem == expected


def test_a_symlinked_learner_folder_is_refused(tmp_path: Path) -> None:
    bob = learner(tmp_path, "bob")
    (bob / "double.py").write_text("y = 'bob'\n")
    (tmp_path / "eve").symlink_to(bob)
    (tmp_path / "root").symlink_to("/")
    for name in ("eve", "root"):
        problem = folder_problem(tmp_path / name)
        assert problem == f"submission folder {name} is a symbolic link: not followed, not graded"
        no_leak(read_answer(tmp_path / name, EX), "bob")
    assert folder_problem(bob) == ""
    assert "does not exist" in folder_problem(tmp_path / "nobody")


def test_a_learner_folder_swapped_for_a_symlink_is_refused(tmp_path: Path, monkeypatch) -> None:
    bob = learner(tmp_path, "bob")
    (bob / "double.py").write_text("y = 'bob'\n")
    folder = learner(tmp_path)
    real_open = os.open

    def swapping_open(path, flags, *args, **kwargs):
        if Path(path) == folder and folder.is_dir() and not folder.is_symlink():
            folder.rmdir()
            folder.symlink_to(bob)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", swapping_open)
    answer = read_answer(folder, EX)
    assert answer.problem == "submission folder ann was replaced while being read: not graded"


class FakeGrader:
    """Stands in for the sandbox: every answer 'runs' and comes back hostile."""

    def __init__(self, big: int = 1_000_000, explode: str = "") -> None:
        self.big, self.explode, self.seen = big, explode, []

    def grade(self, item, answer: str) -> ItemResult:
        self.seen.append((item.id, answer))
        if self.explode and self.explode in answer:
            raise KeyError("name\x00\ud800")  # what a malformed value did to compare.show
        return hostile_item(item.id, self.big)


BATCH_LESSON = """---
id: batch-lesson
title: Batch lesson
---

## Exercise: double

```toml exercise
id = "double"
```

```python solution
y = 2
```

```python check
y  # twice x
```

```toml quiz
id = "pick"
question = "Which?"
choices = ["a", "b"]
answer = 2
```
"""


@pytest.fixture
def items(tmp_path: Path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-batch.md").write_text(BATCH_LESSON)
    return load_course([lessons]).items()


def test_grade_folder_refuses_a_symlinked_submission_and_grades_nothing(tmp_path, items) -> None:
    bob = learner(tmp_path, "bob")
    (bob / "double.py").write_text("y = 2\n")
    (tmp_path / "eve").symlink_to(bob)
    course = load_course([tmp_path / "lessons"])
    grader = FakeGrader()
    report = grade_folder(course, tmp_path / "eve", grader)  # type: ignore[arg-type]
    assert grader.seen == []
    assert report.status == "error" and report.exit_code() == 2
    assert [r.status for r in report.items] == ["error", "error"]
    assert "symbolic link" in report.problem
    assert_valid_reports(report)


def test_a_grader_crash_on_one_item_is_that_items_error(tmp_path, items) -> None:
    folder = learner(tmp_path / "class")
    (folder / "double.py").write_text("# explode\n")
    (folder / "pick.txt").write_text("2")
    course = load_course([tmp_path / "lessons"])
    report = grade_folder(course, folder, FakeGrader(explode="explode"))  # type: ignore[arg-type]
    by_id = {r.id: r for r in report.items}
    assert by_id["double"].status == "error" and by_id["double"].internal
    assert by_id["double"].message.startswith("the grader failed on this item (KeyError)")
    assert by_id["pick"].status == "fail"  # the hostile stand-in, still graded
    assert_valid_reports(report)


def hostile_class(root: Path) -> dict[str, bytes]:
    """A class folder whose learner names attack every writer; returns name -> raw name."""
    root.mkdir(parents=True)
    names = [
        b"ann",
        b"Ann",
        b'=HYPERLINK("evil","x")',
        b"+cmd",
        b"-1+2",
        b"@SUM(A1)",
        b"\x1b[2J\x07bell",
        b"new\nline",
        b"bad\xffbytes",
        b"\xe2\x80\xaegnp.exe",
        b"x" * 255,
        b"con",
    ]
    for raw in names:
        folder = os.path.join(os.fsencode(root), raw)
        os.mkdir(folder)
        with open(os.path.join(folder, b"double.py"), "wb") as fh:
            fh.write(b"y = 2\n")
        with open(os.path.join(folder, b"pick.txt"), "wb") as fh:
            fh.write(b"2")
    (root / "README.md").write_text("not a learner")
    (root / ".git").mkdir()
    (root / "results").mkdir()  # a previous run's results, with "--batch ." (the default)
    os.symlink(os.path.join(os.fsencode(root), b"ann"), os.path.join(os.fsencode(root), b"zed"))
    os.symlink(b"/", os.path.join(os.fsencode(root), b"slash"))
    os.symlink(b"/etc/passwd", os.path.join(os.fsencode(root), b"passwd"))  # a file: not a learner
    return {os.fsdecode(n): n for n in [*names, b"zed", b"slash"]}


def test_a_hostile_class_gives_complete_valid_summaries_and_files(tmp_path, items) -> None:
    root = tmp_path / "class"
    names = hostile_class(root)
    folders = learner_folders(root)
    assert sorted(p.name for p in folders) == sorted([*names, "results"])
    results = root / "results"  # the results folder inside the class: never a learner
    grader = FakeGrader(big=100_000)
    summary = grade_batch(items, folders, grader, jobs=2, results_dir=results)  # type: ignore[arg-type]
    by_label = {s.learner: s for s in summary.learners}
    assert "results" not in by_label and len(by_label) == len(names)
    for name in ("zed", "slash"):
        assert by_label[name].status == "error"
        assert by_label[name].message == (
            f"submission folder {name} is a symbolic link: not followed, not graded"
        )
        assert by_label[name].items == {"double": "error", "pick": "error"}
    assert len(grader.seen) == 2 * (len(names) - 2)  # the symlinks were never read
    assert by_label["bad\\xffbytes"].status == "fail"
    assert by_label["\\x1b[2J\\x07bell"].status == "fail"
    # one result file per learner, all inside results/, all valid JSON
    files = sorted(results.iterdir())
    assert len(files) == len(by_label)
    for s in summary.learners:
        path = Path(s.result)
        assert path.parent == results and path.exists()
        data = json.loads(path.read_text(encoding="ascii"))
        assert {e["id"] for e in data["exercises"]} == {"double", "pick"}
    assert not any(p.name.startswith(".") for p in files)

    for fmt in ("json", "junit", "text", "csv"):
        out = summary.render(fmt)
        out.encode("utf-8")
        assert not any(ch in out for ch in CONTROLS if ch not in "\n\r")
        if fmt == "json":
            assert out.isascii()
            back = json.loads(out)
            assert {e["learner"] for e in back["learners"]} == set(by_label)
        elif fmt == "junit":
            assert out.isascii()
            suites = ET.fromstring(out)
            assert {s.get("name") for s in suites} == set(by_label)
        elif fmt == "csv":
            rows = list(csv.reader(io.StringIO(out)))
            assert len(rows) == len(by_label) + 1
            for row in rows[1:]:
                assert not row[0].startswith(("=", "+", "-", "@"))
            assert '\'=HYPERLINK("evil","x")' in [r[0] for r in rows]
        else:
            lines = out.rstrip("\n").split("\n")
            assert len(lines) == len(by_label) + 1
    # the summary merges back with the same names
    path = tmp_path / "summary.json"
    path.write_text(summary.render("json"))
    merged = merge_summaries([path])
    assert [s.learner for s in merged.learners] == [s.learner for s in summary.learners]


def test_merge_rejects_malformed_summaries_with_a_message(tmp_path: Path) -> None:
    from tutor.grading.batch import BatchError

    good = BatchSummary(learners=[LearnerSummary("ann", "pass", 1, 1, {"x": "pass"}, {"x": 1})])
    for bad in (
        {"kind": "batch", "learners": [{"learner": "ann"}]},
        {"kind": "batch", "learners": [{"learner": "ann", "score": "1", "max_score": 1}]},
        {"kind": "batch", "learners": "ann"},
        {"kind": "batch", "learners": [[]]},
    ):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(bad))
        with pytest.raises(BatchError, match="well-formed"):
            merge_summaries([path])
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BatchError, match="nested too deep"):
        merge_summaries([path])
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(BatchError, match="cannot read"):
        merge_summaries([path])
    tampered = good.to_json()
    tampered["learners"][0]["learner"] = "a\x1b[2Jnn"
    tampered["learners"][0]["status"] = "<script>"
    tampered["learners"][0]["items"] = {"x\x00": "\ud800"}
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(tampered))
    merged = merge_summaries([path])
    assert merged.learners[0].learner == "a[2Jnn"
    assert merged.to_json()["learners"][0]["status"] == "error"
    ET.fromstring(merged.to_junit())


def test_results_dir_problems_are_warnings_not_crashes(tmp_path, items) -> None:
    folder = learner(tmp_path / "class")
    (folder / "pick.txt").write_text("2")
    blocker = tmp_path / "results"
    blocker.write_text("a file where the folder should be")
    summary = grade_batch(items, [folder], FakeGrader(), results_dir=blocker)  # type: ignore[arg-type]
    assert [s.learner for s in summary.learners] == ["ann"]
    assert summary.learners[0].result == ""
    assert summary.warnings and "cannot create" in summary.warnings[0]
    assert "warning: no result file" in summary.render("text")


def test_write_stream_never_raises_on_narrow_encodings() -> None:
    text = "é € 😀 \ufffd ok\n"
    for encoding in ("ascii", "latin-1", "cp1252"):
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding)
        write_stream(stream, text)
        assert raw.getvalue().decode(encoding).endswith("ok\n")
    plain = io.StringIO()
    write_stream(plain, text)
    assert plain.getvalue() == text


def test_stat_fallback_without_dir_fd_refuses_the_same(tmp_path: Path, monkeypatch) -> None:
    """The Windows-style path (no O_NOFOLLOW / dir_fd): lstat + S_ISREG + fstat checks."""
    monkeypatch.setattr(submission, "_USE_FDS", False)
    monkeypatch.setattr(submission, "_FILE_FLAGS", submission._FILE_FLAGS & ~os.O_NOFOLLOW)
    folder = learner(tmp_path)
    (folder / "pick.txt").write_text("2")
    (folder / "double.py").symlink_to("/etc/passwd")
    assert read_answer(folder, QUIZ).text == "2"
    no_leak(read_answer(folder, EX), "root:")
    (folder / "double.py").unlink()
    os.mkfifo(folder / "double.py")
    assert "named pipe" in run_with_timeout(lambda: read_answer(folder, EX)).problem
    (tmp_path / "eve").symlink_to(folder)
    assert "symbolic link" in folder_problem(tmp_path / "eve")
    assert stat.S_ISDIR(os.lstat(folder).st_mode)


def test_a_device_node_in_the_folder_is_refused_unopened(tmp_path: Path, monkeypatch) -> None:
    folder = learner(tmp_path)
    try:
        os.mknod(folder / "double.py", stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero
    except (PermissionError, OSError):
        pytest.skip("making a device node needs root")
    opened: list = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    answer = read_answer(folder, EX)
    assert answer.problem == "double.py is a device, not a regular file: not read"
    assert "double.py" not in opened  # refused on lstat: never opened


def test_a_message_cannot_forge_lines_of_the_text_report() -> None:
    item = ItemResult("x", "l", "exercise", "fail", 0, 10)
    item.message = "wrong\nPASS     other      10/10\r\nscore 10/10: 1 pass"
    text = render(Report(items=[item]), "text")
    assert text.count("\n") == 2  # the item's row and the score line, nothing else
    assert text.split("\n")[0].startswith("FAIL")


def test_shards_take_names_that_are_not_utf8() -> None:
    from tutor.grading.batch import in_shard

    names = ["bad\udcffbytes", "lone\ud800", "ok"]
    for name in names:
        assert sum(in_shard(name, (k, 3)) for k in (1, 2, 3)) == 1


def test_graded_items_are_cleaned_as_they_come_back(tmp_path, items) -> None:
    """A report never holds a hostile run's huge strings, only their capped form."""
    folder = learner(tmp_path / "class")
    (folder / "double.py").write_text("y = 2\n")
    course = load_course([tmp_path / "lessons"])
    seen: list[ItemResult] = []
    grader = FakeGrader(big=5_000_000)
    report = grade_folder(course, folder, grader, on_result=seen.append)  # type: ignore[arg-type]
    (result,) = [r for r in report.items if r.id == "double"]
    assert result is seen[0]
    for text in (result.message, result.output, result.traceback, result.checks[0].got):
        assert len(text.encode()) <= 4096
