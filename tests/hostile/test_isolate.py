"""--isolate: what the audit hook cannot stop (native code), bubblewrap does."""

from __future__ import annotations

import shutil

import pytest

from tutor.sandbox import Job, SandboxServer
from tutor.sandbox.isolate import IsolationUnavailable, bwrap_wrapper

NATIVE_READ = """
import ctypes
libc = ctypes.CDLL(None)
libc.open.restype = ctypes.c_int
fd = libc.open({path!r}.encode(), 0)
buf = ctypes.create_string_buffer(64)
n = libc.read(fd, buf, 64) if fd >= 0 else -1
print("read", n, buf.raw[:n] if n > 0 else b"")
"""


@pytest.fixture
def secret(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-secret.md").write_text("SOLUTION: y = 42\n")
    return folder


def run_native_read(server: SandboxServer, path: str) -> str:
    result = server.run(Job(code=NATIVE_READ.format(path=path), timeout=10))
    assert result.status == "ok", (result.status, result.reason, result.error)
    return result.output


def test_native_code_gets_past_the_audit_hook_without_isolation(secret):
    """The documented limit: why --isolate exists."""
    server = SandboxServer(secrets=[str(secret)])
    try:
        assert "SOLUTION" in run_native_read(server, str(secret / "01-secret.md"))
    finally:
        server.close()


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_isolated_server_cannot_see_lesson_files_even_natively(secret):
    server = SandboxServer(secrets=[str(secret)], wrapper=bwrap_wrapper([str(secret)]))
    try:
        output = run_native_read(server, str(secret / "01-secret.md"))
        assert "SOLUTION" not in output
        assert "read -1" in output
        # and ordinary runs still work inside the boundary
        ok = server.run(Job(code="import torch\nprint(torch.ones(2).sum().item())", timeout=10))
        assert ok.status == "ok" and ok.output.strip() == "2.0"
    finally:
        server.close()


def test_isolate_without_bwrap_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IsolationUnavailable, match="bubblewrap"):
        bwrap_wrapper([])


@pytest.mark.xfail(
    strict=True,
    reason="known limit: code in the same process can write a complete, well-formed result "
    "frame (every check's value) to the inherited result pipe with os.write; a True for a "
    "bool check is easy to forge. Needs a result channel the learner's code cannot reach.",
)
def test_a_forged_complete_result_frame_is_refused():
    import json
    import struct

    server = SandboxServer()
    try:
        forged = json.dumps({"status": "ok", "values": [{"t": "bool", "v": True}]}).encode()
        frame = struct.pack(">I", len(forged)) + forged
        code = (
            "import os\n"
            "for fd in range(3, 64):\n"
            "    try:\n"
            f"        os.write(fd, {frame!r})\n"
            "    except OSError:\n"
            "        pass\n"
            "os._exit(0)\n"
        )
        result = server.run(Job(code=code, checks=["1 == 2"], timeout=10))
        assert result.status != "ok" or result.values != [{"t": "bool", "v": True}]
    finally:
        server.close()
