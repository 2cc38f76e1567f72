"""Kernel confinement of a run, as the sandbox's server and workers use it.

A thin seam over :mod:`tutor.sandbox.kernel` (Landlock and a seccomp filter): the process
children are forked from prepares once (the allow-list of readable paths carved around the
secrets, open path fds, the seccomp program) and each child applies it to itself,
single-threaded: Landlock before its job arrives, seccomp after its own limits are set (the
filter refuses raising them afterwards). Where the kernel lacks a feature the run goes on
with the layers that remain and says so (``layers`` / ``missing``); ``require`` turns a
missing layer into a refusal to start.
"""

from __future__ import annotations

import sys
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
    required: bool = False


def plan(secrets: list[str], mode: str = "auto") -> Plan:
    """Prepare kernel confinement in the process children will be forked from."""
    if mode == "off":
        return Plan(missing=["kernel confinement is off (TUTOR_CONFINE=off)"])
    if not sys.platform.startswith("linux"):
        out = Plan(missing=[f"no Landlock or seccomp on {sys.platform}: the audit hook and "
                            "limits are what this platform gets"])  # fmt: skip
    else:
        from tutor.sandbox import kernel

        support = kernel.support()
        prepared = kernel.prepare(kernel.readable_paths(secrets))
        layers, missing = [], []
        if support.landlock_abi:
            layers.append(f"landlock (ABI {support.landlock_abi})")
        else:
            missing.append(f"Landlock: {support.landlock_reason or 'not available'}")
        if support.seccomp:
            layers.append("seccomp")
        else:
            missing.append(f"seccomp: {support.seccomp_reason or 'not available'}")
        out = Plan(prepared, layers, missing, tuple(prepared.fds), mode == "require")
    if mode == "require" and out.missing:
        raise ConfinementUnavailable("; ".join(out.missing))
    return out


def _has(p: Plan, layer: str) -> bool:
    return any(name.startswith(layer) for name in p.layers)


def apply_landlock(p: Plan, workdir: str, keep: set[int] | None = None) -> list[str]:
    """Files (read-only allow-list, read-write run folder), TCP, signal and abstract-socket
    scoping. Call single-threaded with every fd but ``keep`` closed."""
    if not _has(p, "landlock"):
        return []
    from tutor.sandbox import kernel

    return list(
        kernel.apply_landlock(p.prepared, workdir, required=p.required, keep_fds=keep) or []
    )


def apply_seccomp(p: Plan) -> list[str]:
    """No new processes, no ptrace, no signals to others, no sockets, no raised limits."""
    if not _has(p, "seccomp"):
        return []
    from tutor.sandbox import kernel

    return list(kernel.apply_seccomp(p.prepared, required=p.required) or [])


def close_fds(p: Plan, keep: set[int]) -> None:
    """Close every fd but ``keep`` and the prepared ones (Landlock cannot restrict open fds)."""
    from tutor.sandbox import zygote

    zygote.close_fds_except(set(keep) | set(p.keep_fds))
