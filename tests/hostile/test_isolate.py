"""--isolate: the learner sandbox under bubblewrap, on top of the kernel layers.

The whole attack table also runs under ``--isolate`` (test_attacks.py, test_single.py);
here: what the isolated server reports, that native code (below the audit hook) finds the
lesson files neither readable nor there, and the clear error without bubblewrap.
"""

from __future__ import annotations

import shutil

import pytest

from tutor.sandbox import Job, SandboxServer
from tutor.sandbox.isolate import IsolationUnavailable, bwrap_wrapper

# torch's C++ reader is not audited (guard.audit_native_file_access says so): only the kernel
# layers and bubblewrap stand between it and a lesson file
NATIVE_READ = """
import torch
try:
    data = torch._C._VariableFunctions.from_file({path!r}, size=16, dtype=torch.uint8)
    print("read", bytes(data.tolist()))
except Exception as exc:
    print("refused", type(exc).__name__)
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


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_isolated_server_hides_lesson_files_from_native_code(secret):
    server = SandboxServer(secrets=[str(secret)], wrapper=bwrap_wrapper([str(secret)]))
    try:
        output = run_native_read(server, str(secret / "01-secret.md"))
        assert "SOLUTION" not in output and "refused" in output, output
        layers = server.describe()["layers"]
        assert "bubblewrap (--isolate)" in layers
        assert any(layer.startswith("landlock") for layer in layers), layers
        assert "seccomp" in layers, layers
        ok = server.run(Job(code="import torch\nprint(torch.ones(2).sum().item())", timeout=10))
        assert ok.status == "ok" and ok.output.strip() == "2.0"
    finally:
        server.close()


def test_isolate_without_bwrap_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IsolationUnavailable, match="bubblewrap"):
        bwrap_wrapper([])
