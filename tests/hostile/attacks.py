"""The hostile suite's lesson and attacks, shared by every path that runs them: ``tutor grade``
on one submission, ``tutor grade --batch`` on a class, the TUI, ``--isolate`` and the spawn
backend (test_attacks.py, test_single.py, test_tui_attacks.py, test_spawn.py).

Each attack is the code a hostile learner puts in one answer file. Most of them use an oracle
that cannot be fooled by a polite refusal: **the code answers right only if the attack worked**
(it read a lesson file, found the reference solution in its memory, rewrote a check...) and
wrong otherwise. Its expected verdict is then ``fail`` (or ``error`` when the refusal reaches
the code uncaught), and a ``pass`` means the boundary broke, whatever the report says.

Placeholders (``@OUTSIDE@``, ``@LESSONS@``, ...) are replaced by the test's real paths and
pids (see :func:`render`); no attack hard-codes a path of this machine.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# Unique text that only the reference solutions contain (a comment in each). An attack looks
# for it with the text split in two, so that the attack's own code never holds it whole.
REF_MARKER = "REFSOL-" + "b7c1e0d4-only-in-the-lesson"
REF_HALVES = ("REFSOL-", "b7c1e0d4-only-in-the-lesson")
# text of the lesson file no report may show (check expressions and their comments are shown
# on purpose; the solution, the front matter and the TOML are not)
LESSON_MARKERS = (REF_MARKER, "title: Hostile", "toml exercise")

LESSON = f"""---
id: hostile
title: Hostile
---

## Exercise: double it

```toml exercise
id = "double"
timeout = 10
seeds = [0]
```

```python setup
import torch
x = torch.randn(3)
```

```python solution
y = x * 2  # {REF_MARKER}
```

```python check
y  # twice x
torch.allclose(y, x * 2)  # allclose holds
```

## Exercise: double it, quickly

```toml exercise
id = "quick"
timeout = 2
seeds = [0]
```

```python setup
import torch
x = torch.randn(3)
```

```python solution
y = x * 2  # {REF_MARKER}
```

```python check
y  # twice x
```

## Exercise: the error torch raises

```toml exercise
id = "raises"
timeout = 10
seeds = [0]
raises = "RuntimeError"
```

```python setup
import torch
w = torch.randn(2, requires_grad=True)
```

```python solution
y = (w * w).sum()  # {REF_MARKER}
y.backward()
y.backward()  # the graph was freed: torch raises RuntimeError
```

```python check
w.grad  # the first backward's gradient, 2 w
```

## Exercise: gradients by autograd

```toml exercise
id = "traced"
timeout = 10
seeds = [0]
```

```python setup
import torch
w = torch.randn(3, requires_grad=True)
```

```python solution
(w * w).sum().backward()  # {REF_MARKER}
```

```python check
w.grad  # 2 w
trace.backward_calls  # one backward call
trace.grad_source(w)  # autograd filled w.grad
```

## Exercise: absolute values, checked by allclose

```toml exercise
id = "absval"
timeout = 10
seeds = [0]
```

```python setup
import torch
x = torch.randn(4)
```

```python solution
y = x.abs()  # {REF_MARKER}
```

```python check
torch.allclose(y, x.abs())  # y holds |x|
```

## Exercise: absolute values, checked by a method

```toml exercise
id = "absmethod"
timeout = 10
seeds = [0]
```

```python setup
import torch
x = torch.randn(4)
```

```python solution
y = x.abs()  # {REF_MARKER}
```

```python check
y.allclose(x.abs())  # y holds |x|
```

## Exercise: a module of your own

```toml exercise
id = "module"
timeout = 10
seeds = [0]
```

```python setup
import torch
x = torch.randn(4)
```

```python solution
class Abs(torch.nn.Module):  # {REF_MARKER}
    def forward(self, t):
        return t.abs()


m = Abs()
```

```python check
torch.allclose(m(x), x.abs())  # m computes |x|
```

## Exercise: the loss fell

```toml exercise
id = "fell"
timeout = 10
seeds = [0]
```

```python setup
import torch
start = torch.rand(1).item() + 1.0
```

```python solution
losses = [start / (k + 1) for k in range(5)]  # {REF_MARKER}
```

```python check
len(losses)  # five losses
losses[-1] < losses[0]  # the loss fell
abs(losses[-1] - start / 5) < 1e-6  # the last loss is start / 5
```

## Exercise: the least-squares slope

```toml exercise
id = "fit"
timeout = 10
seeds = [0]
```

```python setup
import math
import torch
x = torch.rand(50, 1)
y = 1 + 2 * x + 0.01 * torch.randn(50, 1)
A = torch.cat([torch.ones_like(x), x], 1)
```

```python solution
b = torch.linalg.lstsq(A, y).solution[1]  # {REF_MARKER}
```

```python check
abs(float(b) - float(torch.linalg.lstsq(A, y).solution[1])) < 1e-4  # the least-squares slope
math.isclose(float(b), 2.0, abs_tol=0.2)  # b is near 2
```
"""
RIGHT = {
    "double": "y = x * 2\n",
    "quick": "y = x * 2\n",
    "raises": "y = (w * w).sum()\ny.backward()\ny.backward()\n",
    "traced": "(w * w).sum().backward()\n",
    "absval": "y = x.abs()\n",
    "absmethod": "y = x.abs()\n",
    "module": "import torch\n\n\nclass Abs(torch.nn.Module):\n"
    "    def forward(self, t):\n        return t.abs()\n\n\nm = Abs()\n",
    "fell": "losses = [start / (k + 1) for k in range(5)]\n",
    "fit": "b = torch.linalg.lstsq(A, y).solution[1]\n",
}
EXERCISES = tuple(RIGHT)


@dataclass(frozen=True)
class Attack:
    """One hostile answer: the code, the exercise it answers, what the grader must say."""

    exercise: str
    code: str
    status: str  # the item's status in the report: never "pass" for a wrong answer
    message: str = ""  # a regular expression the item's message must match (if given)
    output_has: str = ""  # text the item's printed output must contain (the oracle's word)
    flags: tuple[str, ...] = ()  # flags the item must carry
    classes: tuple[str, ...] = ()  # the classes it belongs to (for the record)
    hole: str = ""  # non-empty: a known hole, reported; the test fails until it is fixed
    residual: str = ""  # non-empty: cannot be closed in one process (strict xfail, why)
    # where it runs; "fallback" (no kernel layers, opt-in) only runs what cannot harm the
    # machine when nothing but the audit hook stands in the way
    paths: tuple[str, ...] = ("batch", "single", "tui", "isolate", "fallback")
    extra_files: dict[str, str] = field(default_factory=dict)  # more files in its folder


# -- pieces the attacks share ----------------------------------------------------------------

ORACLE = "print('LEAKED' if leaked else 'HELD', len(leaked))\n"
WRONG = {
    "double": "y = x * 3\n",
    "quick": "y = x * 3\n",
    "absval": "y = x.clone()\n",
    "absmethod": "y = x.clone()\n",
}


def oracle(exercise: str, probe: str) -> str:
    """``probe`` fills ``leaked``; the answer is right only if something leaked."""
    right, wrong = RIGHT[exercise], WRONG[exercise]
    body = "leaked = []\n" + probe + ORACLE
    return body + "if leaked:\n" + _indent(right) + "else:\n" + _indent(wrong)


def _indent(code: str) -> str:
    return "".join("    " + line + "\n" for line in code.splitlines())


# Search helpers pasted into attacks (the learner's code has no imports of ours). A needle is
# searched as two halves, the second compared right after the first: the whole needle never
# exists in the searching process (a constant "a" + "b" would be folded into one).
FIND_REF = f"""
def has_text(data, h0, h1):
    data = data.encode('utf-8', 'replace') if isinstance(data, str) else bytes(data)
    i = data.find(h0)
    while i >= 0:
        if data[i + len(h0): i + len(h0) + len(h1)] == h1:
            return True
        i = data.find(h0, i + 1)
    return False


def has_ref(data):
    return has_text(data, {REF_HALVES[0].encode()!r}, {REF_HALVES[1].encode()!r})
"""
SCAN_MEMORY = (
    FIND_REF
    + """
import os, sys
from tutor.sandbox import guard
mem = guard._MEMORY.get('fd')
own = 'OWN-MARK-' + str(os.getpid())   # a positive control: this run's own text
needles = [(b'REF', b'SOL-b7c1e0d4-only-in-the-lesson'), (b'PLANTED-', b'BY-ANOTHER-LEARNER'),
           (b'OWN-MARK-', str(os.getpid()).encode())]
found = set()
if mem is not None:
    # the heaps: small objects (pymalloc arenas), malloc's heap, large mmap'd blocks
    probes = [own, bytes(4096), bytes(300_000), [0] * 10]
    step = 1 << 20
    starts = set()
    for anchor in map(id, probes):
        base = anchor & ~(step - 1)
        starts.update(range(base - 64 * step, base + 64 * step, step))
    def chunks(addr):
        try:
            yield os.pread(mem, step + 64, addr)
        except OSError:  # a hole somewhere in this MiB: read what is mapped, page by page
            for page in range(addr, addr + step, 4096):
                try:
                    yield os.pread(mem, 4096 + 64, page)
                except OSError:
                    pass
    for addr in sorted(starts):
        for chunk in chunks(addr):
            for i, (h0, h1) in enumerate(needles):
                if has_text(chunk, h0, h1):
                    found.add(i)
print('scan', 'own-found' if 2 in found else 'own-missing', sorted(found))
if 0 in found or 1 in found:
    leaked.append('memory')
"""
)


def _scan() -> str:
    return SCAN_MEMORY


FORGE = """
import json, os, struct
from tutor.sandbox import values
import torch
torch.manual_seed(0)          # claim the values of the visible seed, whatever seed this is
x0 = torch.randn(3)
frame = {'status': 'ok', 'values': [values.encode(x0 * 2), values.encode(True)],
         'output': 'forged', 'duration_s': 0.01}
body = json.dumps(frame).encode()
for fd in range(3, 64):
    try:
        if os.fstat(fd).st_mode & 0o170000 == 0o010000:   # a pipe: the result pipe
            os.write(fd, struct.pack('>IB', len(body), 1) + body)
    except OSError:
        pass
"""

DEEP_FRAME = """
import os, struct
depth = {depth}
body = (b'[' * depth) + (b']' * depth)
for fd in range(3, 64):
    try:
        if os.fstat(fd).st_mode & 0o170000 == 0o010000:
            os.write(fd, struct.pack('>IB', len(body), {kind}) + body)
    except OSError:
        pass
os._exit(0)
"""

PROGRESS_FLOOD = """
import os, struct, json
small = json.dumps({'progress': {'watch': 'losses', 'start': 0, 'values': [1.0] * 100}}).encode()
big = json.dumps({'progress': {'watch': 'losses', 'start': 0, 'values': [0.5] * 150000}}).encode()
fd = [f for f in range(3, 64) if os.path.exists(f'/dev/fd/{f}') or True]
def pipe_fds():
    out = []
    for f in range(3, 64):
        try:
            if os.fstat(f).st_mode & 0o170000 == 0o010000:
                out.append(f)
        except OSError:
            pass
    return out
for f in pipe_fds():
    try:
        for _ in range(20000):
            os.write(f, struct.pack('>IB', len(small), 2) + small)
        for _ in range(20):
            os.write(f, struct.pack('>IB', len(big), 2) + big)
    except OSError:
        pass
"""

LIAR_SUBCLASS = """
import torch
from torch.utils._pytree import tree_map


class Liar(torch.Tensor):
    @staticmethod
    def __new__(cls, t):
        return torch.Tensor._make_wrapper_subclass(cls, t.shape, dtype=t.dtype)

    def __init__(self, t):
        self.t = t

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        if 'allclose' in str(func) or 'equal' in str(func):
            return True
        unwrap = lambda a: a.t if isinstance(a, Liar) else a
        return func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs or {}))


y = Liar(x.clone())
"""

LIAR_OBJECT = """
class Liar(float):
    def __lt__(self, other):
        return True

    def __sub__(self, other):
        return Liar(0.0)

    def __rsub__(self, other):
        return Liar(0.0)

    def __abs__(self):
        return Liar(0.0)


losses = [Liar(9.0)] * 5
"""

OPERATOR_OVERRIDE = """
import torch
wrapper = torch._C._dispatch_library          # the audited wrapper holds the original...
torch._C._dispatch_library = wrapper.__closure__[0].cell_contents
lib = torch.library.Library('aten', 'IMPL')   # ...so no audit event is raised
lib.impl('allclose', lambda *a, **k: True, 'CompositeExplicitAutograd')
torch._C._dispatch_library = wrapper          # and the tamper snapshot sees it unchanged
y = x.clone()
"""

TAMPER_BASELINE = """
import torch
from tutor.sandbox import child
from tutor.sandbox import tamper
snapshot = None
for module in (child, tamper):  # wherever tutor keeps it, as any module attribute
    for value in list(vars(module).values()):
        if isinstance(value, dict) and 'snapshot' in value:
            snapshot = value['snapshot']
        elif hasattr(value, 'before') and isinstance(getattr(value, 'before', None), dict):
            snapshot = value
if snapshot is None:
    raise LookupError('no snapshot to be found')
fake = lambda *a, **k: True
snapshot.before['torch']['allclose'] = fake   # the baseline now expects the fake...
torch.allclose = fake                          # ...so swapping it in is not seen
y = x.clone()
"""

HAND_GRADIENT = "with torch.no_grad():\n    w.grad = 2 * w.detach()\n"
TRACE_FORGED = (
    "import torch\n" + HAND_GRADIENT + "mode = torch._C._get_function_stack_at(0)\n"
    "mode.rec.backward_calls = 1\n"
    "mode.rec.grad_state[w] = ('autograd', id(w.grad), w.grad._version)\n"
)

NASTY = "\x00\x01\x07\x1b[31m\x0b\x0c\ud800\udfff\ufffe]]>&<'\"\u202e"

ATTACKS: dict[str, Attack] = {
    # -- 1. escapes -------------------------------------------------------------------------
    "write-outside": Attack(
        "double",
        RIGHT["double"] + "open('@OUTSIDE@/pwned.txt', 'w').write('x')\n",
        "error",
        r"does not allow writing",
        flags=("write-outside",),
        classes=("escapes",),
    ),
    "dirfd-write": Attack(
        "double",
        oracle(
            "double",
            "import os\nfor flags in (os.O_PATH | os.O_DIRECTORY, os.O_RDONLY | os.O_DIRECTORY):\n"
            "    try:\n        d = os.open('@OUTSIDE@', flags)\n"
            "        f = os.open('pwned-dirfd', os.O_WRONLY | os.O_CREAT, dir_fd=d)\n"
            "        os.write(f, b'x')\n        leaked.append(flags)\n"
            "    except OSError as e:\n        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("escapes",),
    ),
    "listdir-fd": Attack(
        "double",
        oracle(
            "double",
            "import os\n"
            "def secret(names):\n"
            "    return [n for n in names if n.endswith('.md') or n.startswith(('ex-', '.hmac'))]\n"
            "for path in ('@LESSONS@', '@CACHE@', '@LESSONS@/..', '@CACHE@/..'):\n"
            "    for flags in (os.O_RDONLY | os.O_DIRECTORY, os.O_PATH | os.O_DIRECTORY):\n"
            "        try:\n            d = os.open(path, flags)\n"
            "            leaked += secret(os.listdir(d))\n"
            "        except OSError as e:\n            print('refused', type(e).__name__)\n"
            "        for name in ('01-hostile.md', 'lessons/01-hostile.md'):\n"
            "            try:\n                d = os.open(path, os.O_PATH | os.O_DIRECTORY)\n"
            "                f = os.open(name, os.O_RDONLY, dir_fd=d)\n"
            "                leaked.append(os.read(f, 100))\n"
            "            except OSError as e:\n"
            "                print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("escapes",),
    ),
    "read-lesson": Attack(
        "double",
        oracle(
            "double",
            "import os, glob, shutil\n"
            "tries = [lambda: open('@LESSON_FILE@').read(),\n"
            "         lambda: open('/proc/self/root@LESSON_FILE@').read(),\n"
            "         lambda: os.read(os.open('@LESSON_FILE@', os.O_RDONLY), 100),\n"
            "         lambda: glob.glob('@LESSONS@/*'),\n"
            "         lambda: list(os.scandir('@LESSONS@')),\n"
            "         lambda: shutil.copy('@LESSON_FILE@', 'copy.md') and open('copy.md').read(),\n"
            "         lambda: os.link('@LESSON_FILE@', 'hard.md') or open('hard.md').read(),\n"
            "         lambda: os.symlink('@LESSON_FILE@', 'soft.md') or open('soft.md').read()]\n"
            "for t in tries:\n"
            "    try:\n        leaked.append(t())\n"
            "    except OSError as e:\n        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        flags=("read-secret",),
        classes=("escapes",),
    ),
    "proc-itself": Attack(
        "double",
        oracle(
            "double",
            "import os\n"
            "tries = [lambda: os.listdir('/proc'), lambda: list(os.scandir('/proc/')),\n"
            "         lambda: open('/proc/1/environ', 'rb').read(),\n"
            "         lambda: open(f'/proc/{os.getppid()}/environ', 'rb').read(),\n"
            "         lambda: open(f'/proc/{os.getppid()}/cmdline', 'rb').read(),\n"
            "         lambda: os.listdir(os.open('/proc', os.O_RDONLY | os.O_DIRECTORY)),\n"
            "         lambda: open('/proc/self/../1/status').read()]\n"
            "for t in tries:\n"
            "    try:\n        leaked.append(t())\n"
            "    except OSError as e:\n        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        flags=("other-process",),
        classes=("escapes",),
    ),
    "proc-by-dirfd": Attack(  # a relative path is judged by the hook against the cwd
        "double",
        oracle(
            "double",
            "import os\n"
            "server = os.getpgid(0)\n"
            "for base, name in (('/', f'proc/{server}/cmdline'), ('/', f'proc/{server}/mem'),\n"
            "                   ('/proc', f'{server}/environ'), ('/', 'proc/1/cmdline')):\n"
            "    try:\n"
            "        d = os.open(base, os.O_RDONLY | os.O_DIRECTORY)\n"
            "        f = os.open(name, os.O_RDONLY, dir_fd=d)\n"
            "        leaked.append(name)\n"
            "    except OSError as e:\n"
            "        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("escapes", "reference"),
    ),
    "self-environ": Attack(
        "double",
        oracle(
            "double",
            "import os\n"
            "secret = ['@LESSONS@', '@CACHE@', 'TUTOR_LESSONS', 'TUTOR_CACHE_DIR']\n"
            "for path in ('/proc/self/environ', '/proc/thread-self/environ'):\n"
            "    try:\n        data = open(path, 'rb').read().decode('utf-8', 'replace')\n"
            "        leaked += [s for s in secret if s in data]\n"
            "    except OSError as e:\n        print('refused', type(e).__name__)\n"
            "leaked += [k for k, v in os.environ.items() if any(s in k + v for s in secret)]\n",
        ),
        "fail",
        output_has="HELD",
        classes=("escapes",),
    ),
    "ctypes-read-lesson": Attack(
        "double",
        RIGHT["double"]
        + "import ctypes\nlibc = ctypes.CDLL(None)\nfd = libc.open(b'@LESSON_FILE@', 0)\n"
        "buf = ctypes.create_string_buffer(200)\nlibc.read(fd, buf, 200)\nprint(buf.raw)\n",
        "error",
        r"does not allow ctypes",
        flags=("ctypes",),
        classes=("escapes",),
    ),
    "torch-native-read": Attack(
        "double",
        oracle(
            "double",
            "import torch\n"
            "for read in (lambda: torch.from_file('@LESSON_FILE@', size=20, dtype=torch.uint8),\n"
            "             lambda: torch.load('@LESSON_FILE@'),\n"
            "             lambda: torch.UntypedStorage.from_file('@LESSON_FILE@', False, 20),\n"
            "             lambda: torch._C._VariableFunctions.from_file('@LESSON_FILE@',\n"
            "                                                           size=20)):\n"
            "    try:\n        leaked.append(bytes(read().tolist()))\n"
            "    except Exception as e:\n        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("escapes",),
    ),
    "torch-save-outside": Attack(
        "double",
        RIGHT["double"] + "import torch\ntorch.save(y, '@OUTSIDE@/y.pt')\n",
        "error",
        r"does not allow writing",
        classes=("escapes",),
    ),
    "processes": Attack(
        "double",
        oracle(
            "double",
            "import os, subprocess, multiprocessing, socket\n"
            "tries = [lambda: os.system('touch @OUTSIDE@/sys'),\n"
            "         lambda: subprocess.run(['touch', '@OUTSIDE@/sub']),\n"
            "         lambda: os.fork(),\n"
            "         lambda: os.posix_spawn('/bin/touch', ['touch', '@OUTSIDE@/spawn'], {}),\n"
            "         lambda: multiprocessing.Process(target=print).start(),\n"
            "         lambda: socket.create_connection(('127.0.0.1', 9), timeout=1),\n"
            "         lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x',\n"
            "                                                             ('127.0.0.1', 9)),\n"
            "         lambda: socket.socket(socket.AF_UNIX).connect('\\0tutor-abstract')]\n"
            "for t in tries:\n"
            "    try:\n        leaked.append(t())\n"
            "    except Exception as e:\n        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        flags=("process", "network"),
        classes=("escapes",),
    ),
    # -- 2. the reference in reach ------------------------------------------------------------
    "plant-marker": Attack(  # runs first: its text must never reach the next learner
        "double",
        "marker = 'PLANTED-BY-ANOTHER-LEARNER'\nsecret = [marker + str(i) for i in range(1000)]\n"
        "with open('planted.txt', 'w') as fh:\n    fh.write(marker * 1000)\ny = x * 3\n",
        "fail",
        classes=("reference",),
    ),
    "scan-memory": Attack(
        "double",
        oracle("double", _scan()),
        "fail",
        output_has="own-found",  # the scan works: it finds this run's own text...
        classes=("reference",),  # ...and neither the reference nor another learner's
    ),
    "walk-frames-and-gc": Attack(
        "double",
        oracle(
            "double",
            FIND_REF + "import sys, gc\n"
            "f = sys._getframe(0)\n"
            "while f is not None:\n"
            "    for scope in (f.f_locals, f.f_globals):\n"
            "        for v in list(scope.values()):\n"
            "            if has_ref(repr(v)[:100000]):\n"
            "                leaked.append(f.f_code.co_name)\n"
            "    f = f.f_back\n"
            "for get in (gc.get_objects, lambda: gc.get_referrers(sys),\n"
            "            lambda: sys._current_frames()):\n"
            "    try:\n"
            "        objs = get()\n"
            "        leaked += [1 for o in list(objs) if isinstance(o, str) and has_ref(o)]\n"
            "    except Exception as e:\n        print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        flags=("gc",),
        classes=("reference",),
    ),
    "inherited-fds": Attack(
        "double",
        oracle(
            "double",
            FIND_REF + "import os\n"
            "for fd in range(0, 256):\n"
            "    try:\n"
            "        data = os.pread(fd, 1 << 20, 0)\n"
            "    except OSError:\n"
            "        try:\n            data = os.read(fd, 1 << 16) if fd != 1 else b''\n"
            "        except OSError:\n            continue\n"
            "    if has_ref(data):\n        leaked.append(fd)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("reference",),
    ),
    "run-the-reference": Attack(
        "double",
        oracle(
            "double",
            "try:\n"
            "    from tutor.lesson.load import load_course\n"
            "    course = load_course(['@LESSONS@'])\n"
            "    ex = course.item('double')\n"
            "    exec(ex.solution, globals())\n"
            "    leaked.append(ex.solution)\n"
            "except Exception as e:\n    print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("reference",),
    ),
    # -- 3. one learner hurts others ------------------------------------------------------------
    "poison-cache": Attack(
        "double",
        oracle(
            "double",
            "import os, json\n"
            "entry = {'format': 2, 'mac': '0' * 64, 'data': {'status': 'ok', 'values': []}}\n"
            "for name in ('poison.json', '.hmac-key', 'ex-x-s0.json'):\n"
            "    try:\n"
            "        with open(os.path.join('@CACHE@', name), 'w') as fh:\n"
            "            json.dump(entry, fh)\n"
            "        leaked.append(name)\n"
            "    except OSError as e:\n        print('refused', type(e).__name__)\n"
            "try:\n    leaked.append(os.listdir('@CACHE@'))\n"
            "except OSError as e:\n    print('refused', type(e).__name__)\n",
        ),
        "fail",
        output_has="HELD",
        classes=("others",),
    ),
    "kill-parent": Attack(
        "double",
        RIGHT["double"] + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
        "error",
        r"does not allow signalling",
        flags=("signal",),
        classes=("others",),
    ),
    "pidfd-kill-family": Attack(  # the zygote, the server (its group leader), `tutor grade`
        "double",
        oracle(
            "double",
            "import os, signal\n"
            "targets = {os.getppid(), os.getpgid(0), os.getsid(0), @TEST_PID@}\n"
            "targets.discard(os.getpid())  # a spawn worker leads its own group\n"
            "for pid in targets:\n"
            "    try:\n"
            "        fd = os.pidfd_open(pid)\n"
            "        signal.pidfd_send_signal(fd, signal.SIGKILL)\n"
            "        leaked.append(pid)\n"
            "    except OSError:\n        pass\n"
            "    try:\n"
            "        os.kill(pid, signal.SIGKILL)\n"
            "        leaked.append(pid)\n"
            "    except OSError:\n        pass\n"
            "for sig in (signal.SIGKILL, signal.SIGSTOP):\n"
            "    try:\n        os.killpg(0, sig)\n        leaked.append('group')\n"
            "    except OSError:\n        pass\n",
        ),
        "fail",
        output_has="HELD",
        flags=("signal",),
        classes=("others",),
        paths=("batch", "single", "tui", "isolate"),  # never without the kernel layers
    ),
    "deep-frame-600": Attack(
        "double",
        DEEP_FRAME.format(depth=600, kind=1),
        "error",
        r"damaged result",
        classes=("others",),
    ),
    "deep-frame-100k": Attack(
        "double",
        DEEP_FRAME.format(depth=100_000, kind=1),
        "error",
        r"damaged result",
        classes=("others",),
    ),
    "deep-progress-100k": Attack(
        "double",
        DEEP_FRAME.format(depth=100_000, kind=2).replace("os._exit(0)", "y = x * 3"),
        "fail",
        classes=("others",),
    ),
    "thread-bomb": Attack(  # pids are shared by the machine (pid_max 32768 here)
        "double",
        oracle(
            "double",
            "import threading\n"
            "threading.stack_size(32768)\n"
            "gate, started = threading.Event(), []\n"
            "try:\n"
            "    for i in range(1500):\n"
            "        t = threading.Thread(target=gate.wait, daemon=True)\n"
            "        t.start()\n"
            "        started.append(t)\n"
            "except Exception as e:\n"
            "    print('refused', type(e).__name__)\n"
            "gate.set()\n"
            "for t in started:\n"
            "    t.join()\n"
            "print('threads', len(started))\n"
            "if len(started) > 1000:\n"
            "    leaked.append(len(started))\n",
        ),
        "error",
        r"started more than \d+ threads",
        classes=("others",),
    ),  # was a hole: nothing capped the threads (so the pids) a run could start
    "container-frame": Attack(  # 9 MB of "[],": ~3 million lists in the grader
        "double",
        "import os, struct\n"
        "body = b'{\"status\": \"ok\", \"values\": [' + b'[],' * 3_000_000 + b'[]]}'\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        if os.fstat(fd).st_mode & 0o170000 == 0o010000:\n"
        "            os.write(fd, struct.pack('>IB', len(body), 1) + body)\n"
        "    except OSError:\n        pass\n"
        "os._exit(0)\n",
        "error",
        classes=("others",),
    ),
    "progress-flood": Attack("double", PROGRESS_FLOOD + "y = x * 3\n", "fail", classes=("others",)),
    # -- 4. the checks rewritten from inside ----------------------------------------------------
    "forged-frame-exit": Attack(
        "double", FORGE + "os._exit(0)\n", "fail", classes=("checks",)
    ),  # with hidden seeds a frame forged for seed 0 fails the others
    "forged-frame-no-exit": Attack(
        "double",
        FORGE + "y = x * 3\n",
        "error",
        r"more than its result|damaged",
        classes=("checks",),
    ),
    "tamper-baseline": Attack(
        "absval",
        TAMPER_BASELINE,
        "error",
        r"changed torch\.allclose|no snapshot to be found",
        classes=("checks",),
    ),  # was a hole: the baseline was reachable through sys.modules and could be rewritten
    "patch-submodules": Attack(  # lessons 12, 13, 15, 22 check with torch.linalg.lstsq
        "fit",
        "import math, torch\nb = torch.zeros(1)  # no fit at all\n\n\n"
        "class Fake:\n    solution = torch.stack([b, b])\n\n\n"
        "torch.linalg.lstsq = lambda *a, **k: Fake()\n"
        "math.isclose = lambda *a, **k: True\n",
        "error",
        r"changed",
        flags=("tamper",),
        classes=("checks",),
        hole="the tamper snapshot watches torch, torch.Tensor, torch.nn.functional, numpy... "
        "but not torch.linalg, torch.nn, torch.special, math or any other module a check "
        "may call: patching torch.linalg.lstsq passes lesson 12's fix-training-loop (and the "
        "lstsq checks of lessons 13, 15, 22) without training, on every seed",
    ),
    "swap-code": Attack(
        "absval",
        "from tutor.sandbox import guard, child, values\n"
        "g = lambda *a, **k: []\n"
        "guard.TamperSnapshot.changes.__code__ = g.__code__\n"
        "import torch\ntorch.allclose = lambda *a, **k: True\ny = x.clone()\n",
        "error",
        r"replacing __code__",
        flags=("code-object",),
        classes=("checks",),
    ),
    "swap-defaults": Attack(
        "absval",
        "from tutor.sandbox import guard\n"
        "guard.restore_builtins.__defaults__ = (dict(), dict(), object(), [None], None)\n"
        "y = x.clone()\n",
        "error",
        r"replacing __defaults__",
        flags=("code-object",),
        classes=("checks",),
    ),
    "settrace-flip": Attack(
        "double",
        "import sys, threading\ny = x * 3\n"
        "def flip(frame, event, arg):\n"
        "    if frame.f_code.co_filename == '<check>':\n"
        "        y.copy_(x * 2)\n    return flip\n"
        "sys.settrace(flip)\nthreading.settrace(flip)\n"
        "sys.setprofile(flip)\nthreading.setprofile(flip)\n",
        "fail",
        classes=("checks",),
    ),
    "gc-callback-flip": Attack(
        "double",
        "import gc\ny = x * 3\narmed = []\n"
        "gc.callbacks.append(lambda phase, info: armed and y.copy_(x * 2))\n"
        "armed.append(1)  # from here on (the checks) each collection would fix y\n",
        "fail",
        classes=("checks",),
    ),
    "timer-flip": Attack(
        "double",
        "import signal\ny = x * 3\n"
        "for sig in (signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF):\n"
        "    try:  # a handler only works from the main thread, which the code never gets\n"
        "        signal.signal(sig, lambda *a: y.copy_(x * 2))\n"
        "    except ValueError as e:\n        print('refused', e)\n"
        "# left armed, each timer would kill the run (default action) while checks run\n"
        "signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)\n"
        "signal.setitimer(signal.ITIMER_VIRTUAL, 0.05, 0.05)\n"
        "signal.setitimer(signal.ITIMER_PROF, 0.05, 0.05)\n",
        "fail",
        classes=("checks",),
    ),
    "thread-flip": Attack(
        "double",
        "import threading, time\ny = x * 3\n"
        "def flip():\n    end = time.time() + 5\n"
        "    while time.time() < end:\n        y.copy_(x * 2)\n"
        "threading.Thread(target=flip, daemon=True).start()\n",
        "error",
        r"threads",
        flags=("threads",),
        classes=("checks",),
    ),
    "subclass-liar": Attack(
        "absval",
        LIAR_SUBCLASS,
        "error",
        r"cannot believe .*tensor subclass",
        flags=("tensor-subclass",),
        classes=("checks",),
    ),  # was a hole: refused now
    "instance-method-liar": Attack(
        "absmethod",
        "y = x.clone()\ny.allclose = lambda *a, **k: True\n",
        "error",
        r"cannot believe .*own `allclose`",
        flags=("shadowed-method",),
        classes=("checks",),
    ),  # was a hole: refused now
    "function-mode-liar": Attack(
        "absval",
        "import torch\n"
        "class Mode(torch.overrides.TorchFunctionMode):\n"
        "    def __torch_function__(self, func, types, args=(), kwargs=None):\n"
        "        if 'allclose' in getattr(func, '__name__', ''):\n            return True\n"
        "        return func(*args, **(kwargs or {}))\n"
        "Mode().__enter__()\ny = x.clone()\n",
        "fail",
        classes=("checks",),
    ),
    "library-override": Attack(
        "absval",
        "import torch\nlib = torch.library.Library('aten', 'IMPL')\n"
        "lib.impl('allclose', lambda *a, **k: True, 'CompositeImplicitAutograd')\n"
        "y = x.clone()\n",
        "error",
        r"replacing torch's own operators",
        flags=("operator-override",),
        classes=("checks",),
    ),
    "library-override-native": Attack(
        "absval",
        OPERATOR_OVERRIDE,
        "error",
        classes=("checks",),
        residual="the unaudited torch._C._dispatch_library is reachable through the audited "
        "wrapper's __closure__, so an aten:: kernel can be replaced without the audit event; "
        "a kernel replaced in the process cannot be told from torch's own (the checks would "
        "need a process the code never ran in)",
    ),
    "global-forward-hook": Attack(
        "module",
        "import torch\n"
        "torch.nn.modules.module.register_module_forward_hook(lambda m, i, o: i[0].abs())\n"
        "class Abs(torch.nn.Module):\n    def forward(self, t):\n        return t\n"
        "m = Abs()\n",
        "fail",
        classes=("checks",),
    ),  # was a hole: torch's global hooks are emptied before checks
    "object-liar": Attack(
        "fell",
        LIAR_OBJECT,
        "error",
        r"cannot believe .*`__lt__` is the code's own",
        flags=("lying-value",),
        classes=("checks",),
    ),  # was a hole: refused now
    "raise-by-hand": Attack(
        "raises",
        "(w * w).sum().backward()\nraise RuntimeError('by hand')\n",
        "fail",
        r"raised RuntimeError itself",
        classes=("checks",),
    ),
    "raise-as-library": Attack(
        "raises",
        "import torch\n(w * w).sum().backward()\n"
        "exec(compile('raise RuntimeError(\"by hand\")', torch.__file__, 'exec'))\n",
        "fail",
        classes=("checks",),
        hole="own_raise trusts the code object's file name: code compiled under torch's "
        "own file name passes as an error torch raised",
    ),
    "raise-by-throw": Attack(
        "raises",
        "(w * w).sum().backward()\n"
        "def g():\n    yield 1\nit = g()\nnext(it)\nit.throw(RuntimeError('by hand'))\n",
        "fail",
        classes=("checks",),
        hole="generator.throw() raises at the generator's yield, not at a raise instruction, "
        "so a hand-made error counts as torch's",
    ),
    "shadow-names": Attack(
        "absval",
        "import torch as real\n"
        "class T:\n    allclose = staticmethod(lambda *a, **k: True)\n"
        "torch = T()\nabs = lambda v: 0\nsorted = lambda v: []\nnp = T()\ny = x.clone()\n",
        "fail",
        flags=("shadowed-name",),
        classes=("checks",),
    ),
    "main-thread-describe": Attack(
        "absval",
        "import sys\ny = x.clone()\nx = x.clone()  # a setup value, replaced: tutor describes it\n"
        "def evil(*a, **k):\n"
        "    f = sys._getframe(1)  # tutor's main thread, stage 'tutor': nothing refused\n"
        "    while f is not None and f.f_code.co_name != 'run_job':\n"
        "        f = f.f_back\n"
        "    job = f.f_locals['job']\n"
        "    job.checks[:] = ['True'] * len(job.checks)   # the checks, rewritten\n"
        "    return 1\n"
        "x.dim = evil   # child._describe calls obj.dim() on the learner's tensor\n",
        "error",
        r"cannot believe .*own `dim`",
        flags=("shadowed-method",),
        classes=("checks",),
    ),  # was a hole: refused now
    "output-buffer-rewrites-result": Attack(
        "absval",
        "import sys, torch\ny = x.clone()\n"
        "torch.allclose = lambda *a, **k: True   # the tamper check sees this...\n"
        "def text(start=0):  # ...but run_job reads the output last, in its main thread\n"
        "    f = sys._getframe(1)\n"
        "    while f is not None and f.f_code.co_name != 'run_job':\n"
        "        f = f.f_back\n"
        "    result = f.f_locals['result']\n"
        "    result.status, result.reason, result.tampered = 'ok', '', []\n"
        "    f.f_locals['flags'].clear()\n"
        "    return ''\n"
        "sys.stdout.buffer.text = text   # child.CappedBuffer, reached as sys.stdout.buffer\n",
        "error",
        r"changed torch\.allclose",
        flags=("tamper",),
        classes=("checks",),
        hole="run_job() ends with out_raw.text(), an instance lookup on the CappedBuffer the "
        "code reaches as sys.stdout.buffer: the code's own text() runs last, in tutor's main "
        "thread, and clears the tamper verdict and every flag of the result",
    ),
    "trace-pop-mode": Attack(
        "traced",
        "import torch\n"
        + HAND_GRADIENT
        + "torch._C._pop_torch_function_stack()\n(w * 0).sum().backward()\n",
        "error",
        r"trace",
        flags=("tamper",),
        classes=("checks",),
    ),
    "trace-clear-hooks": Attack(
        "traced",
        "import torch\n"
        + HAND_GRADIENT
        + "from torch.nn.modules import module as mm\nfrom torch.optim import optimizer as om\n"
        "mm._global_forward_hooks.clear()\nmm._global_forward_pre_hooks.clear()\n"
        "om._global_optimizer_post_hooks.clear()\n",
        "error",
        r"trace",
        flags=("tamper",),
        classes=("checks",),
    ),
    "trace-hooks-eq": Attack(
        "traced",
        "import sys, torch\nfrom torch.optim import optimizer as om\n"
        + HAND_GRADIENT
        + "class Evil:\n"
        "    def __eq__(self, other):  # Tracer.hooks_intact() compares with ==, in main\n"
        "        f = sys._getframe(1)\n"
        "        while f is not None and f.f_code.co_name != 'run_job':\n"
        "            f = f.f_back\n"
        "        if f is not None:\n"
        "            f.f_locals['job'].checks[1:] = ['1', \"'autograd'\"]\n"
        "        return True\n"
        "    __hash__ = object.__hash__\n"
        "for key in list(om._global_optimizer_post_hooks):\n"
        "    om._global_optimizer_post_hooks[key] = Evil()\n",
        "error",
        r"trace",
        classes=("checks",),
        hole="Tracer.hooks_intact() compares the global hook dicts' entries with `==` in "
        "tutor's main thread: an entry the code replaced answers True from its own __eq__, "
        "running there in the 'tutor' stage, and rewrites the trace checks (gradient typed "
        "in by hand, trace says one backward by autograd)",
    ),
    "trace-edit-recorder": Attack(
        "traced",
        TRACE_FORGED,
        "fail",
        classes=("checks",),
        residual="the trace's mode must sit on torch's own mode stack to see the code's "
        "calls, so code in the same process reaches it (torch._C._get_function_stack_at(0)) "
        "and the recorder it writes to (an attribute or a closure cell, both readable): "
        "backward_calls and grad_source can be set by hand. Only a recorder outside the "
        "process could be trusted; hidden seeds do not help, trace values do not depend on "
        "the seed",
    ),
    "raw-memory": Attack(
        "double",
        "import numpy as np\n"
        "class Raw:\n    def __init__(self, addr, n):\n"
        "        self.__array_interface__ = {'data': (addr, False), 'shape': (n,),\n"
        "                                    'typestr': '|u1', 'version': 3}\n"
        "big = 12345678901234567\n"
        "view = np.asarray(Raw(id(big), 32))   # any address: read and write, no audit event\n"
        "view[24] ^= 1\n"
        "print('raw write', big)\ny = x * 3\n",
        "error",
        r"memory|ctypes",
        classes=("checks",),
        residual="numpy's __array_interface__ (and torch/numpy buffer constructors) turn "
        "any address into a writable array with no audit event: the ctypes refusal is an "
        "explanation, not a boundary, and every in-process record (tamper baseline, trace, "
        "audit-hook stage) can be rewritten. Needs the checks in another process",
    ),
    "raw-memory-tamper": Attack(
        "absval",
        "import numpy as np, torch\n"
        "class Raw:\n    def __init__(self, addr, n):\n"
        "        self.__array_interface__ = {'data': (addr, False), 'shape': (n,),\n"
        "                                    'typestr': '|u1', 'version': 3}\n"
        "tag = np.asarray(Raw(id(torch.__dict__) + 24, 8))   # the dict's PEP 509 version\n"
        "before = tag.copy()\n"
        "torch.allclose = lambda *a, **k: True\n"
        "tag[:] = before   # the version the tamper check trusts: 'unchanged, skip it'\n"
        "y = x.clone()\n",
        "error",
        r"changed torch\.allclose",
        classes=("checks",),
        residual="with raw memory (numpy's __array_interface__, no audit event) the code "
        "puts back the PEP 509 version of torch's dict after patching it, and the tamper "
        "check skips a namespace whose version did not move: no in-process record is safe "
        "from code that can write memory",
    ),
    # -- 5. the grader process itself -----------------------------------------------------------
    "huge-lying-message": Attack(
        "double",
        "class S(str):\n    def __len__(self):\n        return 1\n"
        "    def __getitem__(self, i):\n        return self\n"
        "msg = S('A' * 60_000_000)\nraise ValueError(msg)\n",
        "error",
        classes=("grader",),
    ),
    "nasty-output": Attack(
        "double",
        f"import sys\nnasty = {NASTY!r}\nprint(nasty)\nsys.stderr.write(nasty)\n"
        "sys.stdout.buffer.write(b'\\xff\\xfe\\x00bad utf-8\\n')\n"
        "raise ValueError(nasty * 3)\n",
        "error",
        classes=("grader",),
    ),
    # -- 6. real code that must run as in plain Python ------------------------------------------
    "default-dtype": Attack(
        "double",
        "import torch\ntorch.set_default_dtype(torch.float64)\n"
        "torch.set_default_tensor_type(torch.DoubleTensor)\n"
        "y = (x.double() * 2).float()\ntorch.set_default_dtype(torch.float32)\n",
        "pass",
        classes=("real",),
    ),
    "real-file-jit-inspect": Attack(
        "double",
        "import inspect, os, torch\nprint(os.path.basename(__file__))\n\n\n"
        "@torch.jit.script\ndef twice(t: torch.Tensor) -> torch.Tensor:\n    return t * 2\n\n\n"
        "def helper():\n    return 1\n\n\n"
        "print(inspect.getsource(helper).splitlines()[0])\ny = twice(x)\n",
        "pass",
        output_has="def helper():",
        classes=("real",),
    ),
    "stdout-buffer": Attack(
        "double",
        "import io, sys\n"
        "sys.stdout.buffer.write('bytes ok\\n'.encode())\n"
        "sys.stdout.reconfigure(line_buffering=True)\n"
        "print('encoding', sys.stdout.encoding)\n"
        "sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8')\n"
        "print('wrapped é')\nsys.stdout.flush()\n" + RIGHT["double"],
        "pass",
        output_has="wrapped é",
        classes=("real",),
    ),
    "torch-compile": Attack(  # SANDBOX-FACTS: torch.compile(backend="eager") works confined
        "double",
        "import torch\ntwice = torch.compile(lambda t: t * 2, backend='eager')\ny = twice(x)\n",
        "pass",
        classes=("real",),
        hole="torch.compile(backend='eager') imports torch._inductor.inductor_prims, which "
        "defines prims:: operators through torch.library: the operator-override refusal "
        "stops torch itself (status error, flags operator-override and write-outside)",
    ),
    "dataloader-workers": Attack(
        "double",
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        "for batch in DataLoader(TensorDataset(torch.zeros(4, 1)), num_workers=2):\n"
        "    pass\n" + RIGHT["double"],
        "error",
        r"num_workers=0",
        classes=("real",),
    ),
    "memory-bomb": Attack(
        "double",
        "import torch\nxs = []\nwhile True:\n    xs.append(torch.ones(2**25))\n",
        "error",
        r"memory",
        classes=("real",),
    ),
    # -- the old table: crashes and exits ---------------------------------------------------------
    "busy-loop": Attack("quick", "while True:\n    pass\n", "timeout", classes=("limits",)),
    "sleep": Attack("quick", "import time\ntime.sleep(100)\n", "timeout", classes=("limits",)),
    "segfault": Attack(
        "double", "import faulthandler\nfaulthandler._sigsegv()\n", "error", r"SIGSEGV"
    ),
    "os-exit": Attack("double", RIGHT["double"] + "import os\nos._exit(0)\n", "error"),
    "sys-exit": Attack(
        "double", RIGHT["double"] + "import sys\nsys.exit(0)\n", "error", r"exit\(0\)"
    ),
    "recursion": Attack("double", "def f():\n    return f()\nf()\n", "error", r"Recursion"),
    "input": Attack("double", "input()\n" + RIGHT["double"], "error", r"EOFError|input"),
    "flood": Attack(
        "double",
        "for i in range(200_000):\n    print('spam', i)\n" + RIGHT["double"],
        "pass",
        output_has="spam 0",
    ),
    "patch-tensor": Attack(
        "double",
        "import torch\ntorch.Tensor.__eq__ = lambda a, b: True\ny = x * 3\n",
        "error",
        r"changed torch\.Tensor\.__eq__",
        flags=("tamper",),
    ),
    "patch-builtins": Attack(
        "double",
        RIGHT["double"] + "import builtins\nbuiltins.isinstance = lambda *a: True\n",
        "error",
        r"changed builtins\.isinstance",
    ),
}


def placeholders(world) -> dict[str, str]:
    """The real paths and ids an attack aims at (``world`` has the attributes used)."""
    return {
        "@OUTSIDE@": str(world.outside),
        "@LESSONS@": str(world.lessons),
        "@LESSON_FILE@": str(world.lesson_file),
        "@CACHE@": str(world.cache),
        "@TEST_PID@": str(os.getpid()),
        "@ORPHAN_ID@": str(world.orphan_id),
    }


def render(name: str, world) -> str:
    code = ATTACKS[name].code
    for key, value in placeholders(world).items():
        code = code.replace(key, value)
    return code


def folder_contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    out = {}
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def orphans(uid: int) -> list[int]:
    """Processes running as ``uid`` (what the orphan attack turned into, if it survived)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path("/proc", entry, "status").read_text()
        except OSError:
            continue
        match = re.search(r"^Uid:\s+(\d+)", status, re.M)
        if match and int(match[1]) == uid:
            found.append(int(entry))
    return found


def no_lesson_text(text: str) -> bool:
    return not any(marker in text for marker in LESSON_MARKERS)


def strict_json(text: str) -> object:
    """Parse a report as JSON that any consumer can read: no NaN, no lone surrogates."""

    def refuse(value: str) -> None:
        raise ValueError(f"non-standard JSON constant {value}")

    data = json.loads(text, parse_constant=refuse)
    text.encode("utf-8")  # raises on a lone surrogate
    return data
