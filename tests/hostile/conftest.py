"""The hostile suite's markers and its share of ``pytest -n``.

``spawn`` selects the (slow) spawn-backend subset, e.g. ``pytest -m spawn tests/hostile`` in
a CI job of its own, or ``-m "not spawn"``.

Most hostile modules grade a whole class once (a module fixture) and then look at it from
many tests. xdist's default ``load`` distribution would hand those tests to both workers and
each would grade the class again; so under ``-n`` the hostile modules are kept whole on one
worker (``test_attacks.py`` once per mode, plain and ``--isolate``), while every other test,
in this suite (the TUI sessions) or in any other, is still scheduled one by one.
"""

from __future__ import annotations

import re
import sys

import pytest

SHARED = ("test_attacks.py", "test_integrity.py", "test_single.py", "test_spawn.py")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "spawn: runs the core attacks on the spawn backend (TUTOR_SANDBOX=spawn)"
    )


def pytest_collection_modifyitems(config, items) -> None:
    """The attacks, their oracles and their placeholders are written against Linux's boundary
    (the fork server, Landlock and seccomp, /proc, bubblewrap). On macOS and Windows the spawn
    backend has only the audit hook and the OS's memory cap, as the README's platform table
    says: there the core sandbox tests run (on the spawn backend), not this suite."""
    if sys.platform.startswith("linux"):
        return
    skip = pytest.mark.skip(reason="the hostile suite attacks the Linux boundary")
    for item in items:
        if "hostile" in item.nodeid.replace("\\", "/").split("/"):
            item.add_marker(skip)


def hostile_scope(nodeid: str) -> str:
    """The unit of work for xdist: a shared hostile module (per mode), else the test."""
    path, _, rest = nodeid.partition("::")
    if "hostile/" not in path.replace("\\", "/") or not path.endswith(SHARED):
        return nodeid
    mode = re.match(r"[^\[]*\[(plain|isolate)[-\]]", rest)
    return f"{path}::{mode[1]}" if mode else path


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist", "no") != "load":
        return None  # an explicit --dist: the caller's choice
    from xdist.scheduler import LoadScopeScheduling

    class HostileScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return hostile_scope(nodeid)

    return HostileScheduling(config, log)
