"""An OS boundary around the sandbox server, for graders who run untrusted code: bubblewrap.

The audit hook cannot see native code; inside ``bwrap`` the lesson folders and the reference
cache are not there at all (empty tmpfs mounts over them), the file system is read-only but
for a private scratch folder (the server's ``TMPDIR``), there is no network and the server sees
only its own processes (a PID namespace). ``/tmp`` itself stays visible read-only: tutor's own
venv may live there.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile


class IsolationUnavailable(RuntimeError):
    pass


def bwrap_wrapper(hidden: list[str]) -> list[str]:
    """The command prefix that runs the server under bubblewrap, hiding ``hidden`` paths."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise IsolationUnavailable(
            "--isolate needs bubblewrap: install it (e.g. 'apt-get install bubblewrap') "
            "or run the grader inside a container"
        )
    scratch = tempfile.mkdtemp(prefix="tutor-isolated-")
    atexit.register(shutil.rmtree, scratch, True)
    cmd = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    cmd += ["--bind", scratch, scratch, "--setenv", "TMPDIR", scratch]
    # no --die-with-parent: PDEATHSIG follows the spawning *thread*, and servers are started
    # from short-lived threads; the server exits by itself when its stdin closes
    cmd += ["--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid"]
    for path in hidden:
        if not os.path.exists(path):
            # a secret folder made later (the reference cache on first use) would show through
            # the read-only bind of /: make it now, so an empty mount can cover it
            with contextlib.suppress(OSError):
                os.makedirs(path, exist_ok=True)
        if os.path.isdir(path):
            cmd += ["--tmpfs", path]
        elif os.path.exists(path):
            cmd += ["--ro-bind", "/dev/null", path]
    return cmd
