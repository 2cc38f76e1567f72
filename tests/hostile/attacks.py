"""The hostile-code attacks of the issue, shared by the `tutor grade` suite (test_attacks.py)
and the TUI suite (test_tui_attacks.py): one exercise, and each attack's code and verdict."""

from __future__ import annotations

from pathlib import Path

LESSON = """---
id: hostile
title: Hostile
---

## Exercise: double it

```toml exercise
id = "double"
timeout = 10
seeds = [0, 1]
```

```python setup
import torch
x = torch.randn(3)
```

```python solution
y = x * 2
```

```python check
y  # twice x
torch.allclose(y, x * 2)  # allclose holds
```
"""
RIGHT = "y = x * 2\n"
OUTSIDE = "OUTSIDE_DIR"  # replaced by a folder outside the sandbox, watched for new files
LESSON_FILE = "LESSON_FILE"  # replaced by the lesson file's path (a secret for the sandbox)

ATTACKS: dict[str, tuple[str, str]] = {
    # name: (code, expected status)
    "control": (RIGHT, "pass"),
    "busy-loop": ("while True:\n    pass\n", "timeout"),
    "sleep": ("import time\ntime.sleep(100)\n", "timeout"),
    "input": ("input()\n" + RIGHT, "error"),
    "memory-bomb": (
        "import torch\nxs = []\nwhile True:\n    xs.append(torch.ones(2**27))\n",
        "error",
    ),
    "segfault": ("import ctypes\nctypes.string_at(0)\n", "error"),
    "sys-exit": (RIGHT + "import sys\nsys.exit(0)\n", "error"),
    "os-exit": (RIGHT + "import os\nos._exit(0)\n", "error"),
    "raise-systemexit": (RIGHT + "raise SystemExit\n", "error"),
    "keyboard-interrupt": (RIGHT + "raise KeyboardInterrupt\n", "error"),
    "recursion": ("def f():\n    return f()\nf()\n", "error"),
    "flood": ("for i in range(200_000):\n    print('spam', i)\n" + RIGHT, "pass"),
    "write-outside": (RIGHT + f"open({OUTSIDE!r} + '/pwned.txt', 'w').write('x')\n", "error"),
    "torch-save-outside": (
        RIGHT + f"import torch\ntorch.save(y, {OUTSIDE!r} + '/y.pt')\n",
        "error",
    ),
    "os-system": (RIGHT + f"import os\nos.system('touch ' + {OUTSIDE!r} + '/sys')\n", "error"),
    "subprocess": (RIGHT + "import subprocess\nsubprocess.run(['true'])\n", "error"),
    "fork": (RIGHT + "import os\nos.fork()\n", "error"),
    "multiprocessing": (
        RIGHT + "import multiprocessing as mp\nmp.Process(target=print).start()\n",
        "error",
    ),
    "network": (RIGHT + "import socket\nsocket.create_connection(('127.0.0.1', 9))\n", "error"),
    "read-parent-cmdline": (
        RIGHT + "import os\nopen(f'/proc/{os.getppid()}/cmdline').read()\n",
        "error",
    ),
    "read-lessons-env": (
        RIGHT + "import os, glob\nprint(os.environ.get('TUTOR_LESSONS'))\n"
        f"print(open({LESSON_FILE}).read())\n",
        "error",
    ),
    "kill-parent": (RIGHT + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n", "error"),
    "patch-allclose": (RIGHT + "import torch\ntorch.allclose = lambda *a, **k: True\n", "error"),
    "patch-tensor": ("import torch\ntorch.Tensor.__eq__ = lambda a, b: True\ny = x * 3\n", "error"),
    "patch-builtins": (RIGHT + "import builtins\nbuiltins.isinstance = lambda *a: True\n", "error"),
    "patch-sys-modules": (RIGHT + "import sys\nsys.modules['torch'] = None\n", "error"),
    "replace-function-apply": (
        RIGHT + "import torch\ntorch.autograd.Function.apply = classmethod(lambda c, *a: None)\n",
        "error",
    ),
    "forge-by-print": (
        'print(\'{"status": "pass", "score": 10}\')\n'
        'print(\'\\x00\\x00\\x00\\x10{"status":"ok"}\')\ny = x * 3\n',
        "fail",
    ),
}


def attack_code(name: str, outside: Path, lesson_file: Path) -> str:
    """The attack's code, aimed at a real folder outside the sandbox and the real lesson file."""
    code = ATTACKS[name][0]
    return code.replace(repr(OUTSIDE), repr(str(outside))).replace(
        LESSON_FILE, repr(str(lesson_file))
    )
