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

SHARED = ("test_attacks.py", "test_integrity.py", "test_single.py", "test_spawn.py")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "spawn: runs the core attacks on the spawn backend (TUTOR_SANDBOX=spawn)"
    )


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
