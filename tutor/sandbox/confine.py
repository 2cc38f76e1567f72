"""Kernel confinement of a run, as the sandbox's server and workers use it.

A thin seam over the Landlock/seccomp layer: the fork server prepares once (allow-list, open
path fds, the seccomp program) and each child applies it to itself, single-threaded, before
its job arrives (Landlock) and after its own limits are set (seccomp). Where the kernel lacks
a feature the run goes on with the layers that remain, and says so (``layers``/``notices``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MODES = ("auto", "off", "require")


class ConfinementUnavailable(RuntimeError):
    """``require`` was asked for and the kernel cannot give it."""


@dataclass
class Plan:
    """What a child will apply: prepared kernel state plus what is in force and what is not."""

    prepared: Any = None
    layers: list[str] = field(default_factory=list)  # e.g. ["landlock", "seccomp"]
    missing: list[str] = field(default_factory=list)  # one line each, for a person
    keep_fds: tuple[int, ...] = ()


def plan(secrets: list[str], mode: str = "auto") -> Plan:
    """Prepare kernel confinement in the process children will be forked from."""
    if mode == "off":
        return Plan(missing=["kernel confinement is off (--no-kernel or TUTOR_CONFINE=off)"])
    try:
        from tutor.sandbox import kernel
    except ImportError:
        kernel = None  # type: ignore[assignment]
    if kernel is None:
        out = Plan(missing=["kernel confinement is not built into this tutor"])
    else:
        out = kernel_plan(kernel, secrets)
    if mode == "require" and out.missing:
        raise ConfinementUnavailable("; ".join(out.missing))
    return out


def kernel_plan(kernel: Any, secrets: list[str]) -> Plan:
    support = kernel.support()
    prepared = kernel.prepare(kernel.readable_paths(secrets))
    layers, missing = [], []
    if support.landlock_abi:
        layers.append("landlock")
    else:
        missing.append(support.landlock_why or "Landlock is not available in this kernel")
    if support.seccomp:
        layers.append("seccomp")
    else:
        missing.append(support.seccomp_why or "seccomp filters are not available")
    return Plan(prepared, layers, missing, tuple(getattr(prepared, "fds", ()) or ()))


def apply_landlock(p: Plan, workdir: str) -> list[str]:
    if "landlock" not in p.layers:
        return []
    from tutor.sandbox import kernel

    return list(kernel.apply_landlock(p.prepared, workdir) or [])


def apply_seccomp(p: Plan) -> list[str]:
    if "seccomp" not in p.layers:
        return []
    from tutor.sandbox import kernel

    return list(kernel.apply_seccomp(p.prepared) or [])
