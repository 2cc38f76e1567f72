"""The hostile suite's markers: ``spawn`` selects the (slow) spawn-backend subset, e.g.
``pytest -m spawn tests/hostile`` in a CI job of its own, or ``-m "not spawn"``."""

from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "spawn: runs the core attacks on the spawn backend (TUTOR_SANDBOX=spawn)"
    )
