"""Attacks that need more than one answer file: the reference cache forged by someone with
file access, a forged result frame without hidden seeds (the documented residual), a run
that tries to outlive the grader, and the sandbox server fed hostile frames directly.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path

import pytest
from attacks import FORGE, LESSON, RIGHT, orphans

from tutor.cli.main import main

WRONG = "y = x * 3\n"


def write_lessons(tmp: Path) -> Path:
    lessons = tmp / "lessons"
    lessons.mkdir()
    (lessons / "01-hostile.md").write_text(LESSON)
    return lessons


def grade_one(tmp: Path, lessons: Path, cache: Path, code: str, *extra: str,
              exercise: str = "double") -> dict:  # fmt: skip
    folder = tmp / f"learner-{time.monotonic_ns()}"
    folder.mkdir()
    (folder / f"{exercise}.py").write_text(code)
    out = tmp / f"{folder.name}.json"
    old = os.environ.get("TUTOR_CACHE_DIR")
    os.environ["TUTOR_CACHE_DIR"] = str(cache)
    try:
        status = main(["grade", str(folder), "--lessons", str(lessons), "--only", exercise,
                       "--format", "json", "--output", str(out), *extra])  # fmt: skip
    finally:
        if old is None:
            os.environ.pop("TUTOR_CACHE_DIR", None)
        else:
            os.environ["TUTOR_CACHE_DIR"] = old
    report = json.loads(out.read_text())
    assert status == (0 if report["status"] == "pass" else 1)
    (item,) = [i for i in report["exercises"] if i["id"] == exercise]
    return item


# -- one warm pair of sandboxes (learner, reference) for the grader-level tests ----------------


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    """The lesson, and the sandboxes ``tutor grade`` would open for it (started once)."""
    from tutor.grading.factory import open_grader
    from tutor.lesson.load import load_course

    tmp = tmp_path_factory.mktemp("integrity")
    lessons = write_lessons(tmp)
    _, pool = open_grader([lessons], jobs=1, memory_mb=512)
    try:
        yield lessons, load_course([lessons]), pool
    finally:
        pool.close()


def grader_for(pool, cache: Path, extra_seeds: int):
    """A grader as ``tutor grade`` builds it, over the shared sandboxes, reading ``cache``
    from disk afresh (a new process would)."""
    from tutor.grading.cache import ReferenceCache
    from tutor.grading.grader import Grader

    return Grader(pool.learner, ReferenceCache(cache), 512, extra_seeds, "salt-1",
                  ref_runner=pool.reference)  # fmt: skip


# -- the reference cache, forged on disk ------------------------------------------------------


def test_a_forged_cache_entry_is_rejected(rig, tmp_path: Path) -> None:
    """Someone who can write the cache folder (not read the key) rewrites the entries so
    that the wrong answer's values become the expected ones, signs them with a key of their
    own, swaps in another exercise's (validly signed) entry: the grader rejects each one and
    recomputes; the wrong answer still fails and the right one still passes."""
    import hashlib
    import hmac

    from tutor.grading.cache import KEY_FILE, ReferenceCache

    _, course, pool = rig
    cache = tmp_path / "cache"
    double, absval = course.item("double"), course.item("absval")
    assert grader_for(pool, cache, 0).grade(double, RIGHT["double"]).status == "pass"
    (double_name,) = [p.name for p in cache.glob("ex-*.json")]
    assert grader_for(pool, cache, 0).grade(absval, RIGHT["absval"]).status == "pass"
    entries = {p.name: json.loads(p.read_text()) for p in cache.glob("ex-*.json")}
    (absval_name,) = set(entries) - {double_name}
    for name, entry in entries.items():
        data = entry["data"]
        for value in data["values"]:
            if value.get("t") == "tensor":
                value["data"] = [3 * v / 2 for v in value["data"]]  # what x * 3 gives
                value.pop("repr", None)
            elif value.get("t") == "bool":
                value["v"] = not value["v"]
        body = json.dumps(data, sort_keys=True, allow_nan=True).encode()
        entry["mac"] = hmac.new(b"forger", name[:-5].encode() + b"\n" + body,
                                hashlib.sha256).hexdigest()  # fmt: skip
        (cache / name).write_text(json.dumps(entry))
    grader = grader_for(pool, cache, 0)
    assert grader.grade(double, WRONG).status == "fail"
    assert grader.grade(double, RIGHT["double"]).status == "pass"
    assert grader.cache.rejected >= 1
    # an entry signed with the real key, but for another exercise, under this one's name
    grader_for(pool, cache, 0).grade(absval, RIGHT["absval"])  # re-signed with the real key
    assert ReferenceCache(cache).get(absval_name[:-5]) is not None
    (cache / double_name).write_bytes((cache / absval_name).read_bytes())
    swapped = grader_for(pool, cache, 0)
    assert swapped.grade(double, WRONG).status == "fail"
    assert swapped.cache.rejected >= 1
    assert (cache / KEY_FILE).stat().st_mode & 0o077 == 0  # the key is the owner's alone
    assert ReferenceCache(cache).get(absval_name[:-5]) is not None


# -- a forged result frame ----------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="known residual: the run's code can write a well-formed result frame to its own "
    "result pipe and end the process (os._exit) before tutor's answer is sent; without hidden "
    "seeds a frame forged for the visible seed passes. Needs a result channel the code cannot "
    "reach (another process); hidden seeds (the default) make it fail, see below",
)
def test_a_forged_frame_without_hidden_seeds(rig, tmp_path: Path) -> None:
    _, course, pool = rig
    result = grader_for(pool, tmp_path / "c", 0).grade(course.item("double"),
                                                      FORGE + "os._exit(0)\n")  # fmt: skip
    assert result.status != "pass", result.message


def test_a_forged_frame_fails_on_hidden_seeds(rig, tmp_path: Path) -> None:
    _, course, pool = rig
    result = grader_for(pool, tmp_path / "c", 2).grade(course.item("double"),
                                                      FORGE + "os._exit(0)\n")  # fmt: skip
    assert result.status == "fail", result.message
    assert "seed" in result.message


def test_a_forged_frame_needs_os_exit(rig, tmp_path: Path) -> None:
    """Without ending the process, tutor's own answer follows the forged one: refused."""
    _, course, pool = rig
    result = grader_for(pool, tmp_path / "c", 0).grade(course.item("double"),
                                                      FORGE + "y = x * 3\n")  # fmt: skip
    assert result.status == "error", result.message
    assert "more than its result" in result.message or "damaged" in result.message


# -- outliving the grader -----------------------------------------------------------------------

ORPHAN = """
import json, os, struct, time
from tutor.sandbox import values
os.setsid()                      # out of the server's process group (its killpg)
os.setgid({uid})
os.setuid({uid})                 # a change of credentials clears PR_SET_PDEATHSIG
body = json.dumps({{'status': 'ok', 'values': [values.encode(x * 3), values.encode(False)]}})
for fd in range(3, 64):
    try:
        if os.fstat(fd).st_mode & 0o170000 == 0o010000:
            os.write(fd, struct.pack('>IB', len(body), 1) + body.encode())
            os.close(fd)         # answered: the server waits 2 s before it kills a lingerer
    except OSError:
        pass
time.sleep(600)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="changing credentials needs root (as in CI)")
def test_no_run_outlives_the_grader(tmp_path: Path) -> None:
    """A run that answers, leaves the process group and drops its parent-death signal must
    still be gone once ``tutor grade`` has returned."""
    uid = 40000 + os.getpid() % 20000
    lessons, cache = write_lessons(tmp_path), tmp_path / "cache"
    item = grade_one(tmp_path, lessons, cache, ORPHAN.format(uid=uid), "--extra-seeds", "0")
    assert item["status"] != "pass", item
    deadline = time.monotonic() + 5
    left = orphans(uid)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = orphans(uid)
    for pid in left:  # clean up before failing
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert left == [], f"a sandboxed run outlived `tutor grade`: pids {left} (uid {uid})"


# -- where the kernel lacks Landlock and seccomp ---------------------------------------------

CACHE_BY_DIRFD = """
import os, json, torch
y = x * 3
parent = os.open({parent!r}, os.O_RDONLY | os.O_DIRECTORY)   # not a secret: allowed
try:
    d = os.open({name!r}, os.O_RDONLY | os.O_DIRECTORY, dir_fd=parent)  # relative: unseen
    seed = torch.initial_seed()
    for entry in os.listdir(d):
        if f'-s{{seed}}-' in entry:   # the reference of this very seed, hidden or not
            f = os.open(entry, os.O_RDONLY, dir_fd=d)
            value = json.loads(os.read(f, 1 << 20))['data']['values'][0]
            y = torch.tensor(value['data'], dtype=torch.float32)
            print('copied the reference values of seed', seed)
except OSError as e:
    print('refused', type(e).__name__)
"""


@pytest.mark.parametrize("isolate", [False, True], ids=["hook-only", "isolate"])
def test_without_kernel_layers_the_cache_stays_out_of_reach(tmp_path: Path, isolate: bool):
    """The fallback the design promises for kernels without Landlock and seccomp (simulated
    with TUTOR_CONFINE=off): the audit hook alone, or bubblewrap, must still keep the
    reference cache unreadable. A relative ``os.open(name, dir_fd=...)`` is judged by the
    hook against the run folder, not the folder the fd points at; and bubblewrap only hides
    secret folders that exist when the server starts (the cache is made later, on the first
    reference). With the cache the code copies the expected values of its own seed."""
    import shutil

    if isolate and shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    lessons = write_lessons(tmp_path)
    cache = tmp_path / "fresh-cache"  # does not exist yet, as on a new CI machine
    code = CACHE_BY_DIRFD.format(parent=str(tmp_path), name=cache.name)
    extra = ["--isolate"] if isolate else []
    old = os.environ.get("TUTOR_CONFINE")
    os.environ["TUTOR_CONFINE"] = "off"
    try:
        item = grade_one(tmp_path, lessons, cache, code, *extra)
    finally:
        if old is None:
            os.environ.pop("TUTOR_CONFINE", None)
        else:
            os.environ["TUTOR_CONFINE"] = old
    assert "copied" not in item["output"], item["output"]
    assert item["status"] != "pass", item


# -- the grader's own cost of a hostile answer ------------------------------------------------


def _peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def test_a_container_heavy_frame_costs_the_grader_little(rig, tmp_path: Path) -> None:
    """9 MB of ``[],`` in a result frame is well within the 24 MB cap, but ``json.loads`` in
    the grader makes ~3 million lists of it (hundreds of MB and many seconds of CPU with the
    GIL held; at the cap, ~1 GB and ~40 s on this machine): one learner's answer costs the
    grader of the whole class that, once per run."""
    from attacks import ATTACKS

    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset this process's peak RSS
    except OSError:
        pytest.skip("cannot reset the peak RSS here")
    _, course, pool = rig
    grader = grader_for(pool, tmp_path / "c", 0)
    grader.grade(course.item("double"), RIGHT["double"])  # the reference, cached first
    Path("/proc/self/clear_refs").write_text("5")
    before = _peak_rss_kb()
    started = time.monotonic()
    result = grader.grade(course.item("double"), ATTACKS["container-frame"].code)
    spent = time.monotonic() - started
    grown_mb = (_peak_rss_kb() - before) / 1024
    assert result.status == "error", result.message
    assert grown_mb < 100 and spent < 3, f"the grader grew {grown_mb:.0f} MB in {spent:.1f} s"
