"""``tutor lint`` catches what authors get wrong (issue 15), each at a file line, saying what
to do: checks that raise in the reference (and the ``# raises`` marker), predicts whose output
changes from one process to another, tracebacks in setup, solution, shown code and
counterexamples told in file lines, long messages cut at a word, and never "run tutor lint"
from inside lint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tutor.cli.main import main

if TYPE_CHECKING:
    from conftest import BorrowedPool

F = "```"


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    lines = path.read_text().split("\n")
    start = lines.index(after) if after is not None else 0
    return next(n for n, line in enumerate(lines, 1) if n > start and needle in line)


def lint(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["lint", *args, "--jobs", "1"])
    return code, capsys.readouterr().out


RAISING_CHECKS = """
---
id: raising-checks
title: Checks that raise
---

## Exercise: record a value

```toml exercise
id = "record"
hints = ["Append.", "A list grows with append.", "seen.append(x.sum())"]
```

```python setup
import torch
x = torch.randn(3)
seen = []
```

```python starter
...
```

```python solution
seen.append(x.sum())
```

```python check
seen[0]   # the sum of x
seen[1]   # the second value
seen[2]   # raises IndexError: only one value is recorded
```
""".replace("```", F)

MARKED_WRONGLY = """
---
id: marked-wrongly
title: A marker that is wrong
---

## Exercise: a list

```toml exercise
id = "marked"
hints = ["Make it.", "A list literal.", "seen = [x.sum()]"]
```

```python setup
import torch
x = torch.randn(3)
```

```python starter
seen = ...
```

```python solution
seen = [x.sum()]
```

```python check
seen[0]     # raises IndexError: nothing recorded
```
"""


def test_a_check_that_raises_in_the_reference_warns_unless_marked(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    path = write_lesson(RAISING_CHECKS)
    code, out = lint([str(path)], capsys)
    assert code == 0, out  # a warning only
    line = line_of(path, "seen[1]")
    assert f"{path}:{line}: warning: record: check 'seen[1]' raises IndexError" in out
    assert "so any answer that makes it raise IndexError too passes it: fix the check" in out
    assert "mark it: 'seen[1]  # raises IndexError: the second value'" in out
    assert "seen[2]" not in out  # marked: the raise is the point
    assert "1 error" not in out and "0 error(s), 1 warning(s)" in out
    code, out = lint([str(path), "--strict"], capsys)
    assert code == 1 and "1 error(s), 0 warning(s)" in out
    assert f"{path}:{line}: error: record: check 'seen[1]' raises IndexError" in out


def test_a_misspelt_raises_marker_is_named_as_one(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    text = RAISING_CHECKS.replace("# the second value", "# raise IndexError: only one value")
    path = write_lesson(text)
    code, out = lint([str(path)], capsys)
    assert code == 0, out  # a warning, as for an unmarked check
    line = line_of(path, "seen[1]")
    assert f"{path}:{line}: warning: record: check 'seen[1]' raises IndexError" in out
    assert "its message starts with 'raise', which is not the marker: spell it 'raises' " in out
    assert "('seen[1]  # raises IndexError: only one value')" in out
    assert "# raises IndexError: raise IndexError" not in out


def test_a_solution_that_breaks_its_own_rules_is_told_so_once(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    # not also "does not pass its own checks ... computes other values on a second run"
    text = RAISING_CHECKS.replace(
        'hints = ["Append.",', 'forbid = ["append"]\nhints = ["Append.",'
    ).replace("seen[2]   # raises IndexError: only one value is recorded\n", "")
    path = write_lesson(text)
    code, out = lint([str(path)], capsys)
    assert code == 1
    line = line_of(path, "seen.append(x.sum())", after=F + "python solution")
    assert f"{path}:{line}: error: record: the solution breaks its own rules: line {line}" in out
    assert "change the solution or the rule" in out
    assert "when graded as an answer" not in out and "second run" not in out
    assert "1 error(s)" in out


def test_a_marked_check_that_does_not_raise_is_an_error(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    path = write_lesson(MARKED_WRONGLY)
    code, out = lint([str(path)], capsys)
    assert code == 1
    line = line_of(path, "seen[0]")
    assert f"{path}:{line}: error: marked: check 'seen[0]' is marked 'raises IndexError'" in out
    assert "but with the reference solution it gives tensor(" in out
    assert "fix the check, or drop the marker" in out


def test_a_misspelt_type_in_the_raises_marker_gets_a_did_you_mean(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    path = write_lesson(RAISING_CHECKS.replace("raises IndexError:", "raises IndexErorr:"))
    code, out = lint([str(path)], capsys)
    assert code == 1
    line = line_of(path, "seen[2]")
    assert f"{path}:{line}: error: record: check 'seen[2]' is marked 'raises IndexErorr'" in out
    assert "it raised IndexError (seed 0): fix the type (did you mean 'raises IndexError'?)" in out


BROKEN_BLOCKS = """
---
id: broken-blocks
title: Blocks that raise
---

## Exercise: setup that raises

```toml exercise
id = "bad-setup"
hints = ["a", "b", "c"]
```

```python setup
import torch
x = torch.randn(3)
y0 = x[7]
```

```python solution
y = x
```

```python check
y  # x
```

## Exercise: blocks that raise

```toml exercise
id = "bad-blocks"
hints = ["a", "b", "c"]
```

```python setup
import torch
x = torch.randn(3)
```

```python starter
y = ...
```

```python solution
def double(t):
    return t * 2
y = double(x)
```

```python check
y  # twice x
```

```python wrong
# a typo: it never runs
y = x * 2
z = undefined_name
```

```python accept
# a helper of its own, broken
def twice(t):
    return t * two
y = twice(x)
```

## Predict: shown code that raises

```toml predict
id = "bad-show"
```

```python show
import torch
print("start")
print(torch.ones(2)[5])
```
"""


def test_tracebacks_in_setup_blocks_and_shown_code_give_file_lines(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    path = write_lesson(BROKEN_BLOCKS)
    code, out = lint([str(path)], capsys)
    assert code == 1
    setup = line_of(path, "y0 = x[7]")
    assert f"{path}:{setup}: error: bad-setup: the setup raised IndexError: " in out
    assert "fix the setup (it runs before every answer" in out
    assert f"    {path}:{setup}: y0 = x[7]" in out
    # a wrong block broken by a NameError: a warning at the line that raised
    wrong = line_of(path, "z = undefined_name")
    assert f"{path}:{wrong}: warning: bad-blocks: 'wrong' block (a typo: it never runs)" in out
    assert f"NameError at line {wrong}" in out
    # an accept block raising inside its own function: the frames, in file lines
    call, inner = line_of(path, "y = twice(x)"), line_of(path, "return t * two")
    assert f"{path}:{inner}: error: bad-blocks: 'accept' block (a helper of its own, broken)" in out
    assert f"    {path}:{call}: y = twice(x)" in out
    assert f"    {path}:{inner}: return t * two" in out
    assert "your code" not in out  # the learner's words are not the author's
    show = line_of(path, "print(torch.ones(2)[5])")
    assert f"{path}:{show}: error: bad-show: the shown code did not run: IndexError" in out
    assert "tutor lint" not in out


def test_a_long_error_is_cut_at_a_word(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    borrowed_pool: type[BorrowedPool],
) -> None:
    words = " ".join(f"word{n:03d}" for n in range(200))
    path = write_lesson(
        f"""
        ---
        id: long-error
        title: A long error
        ---

        {F}toml exercise
        id = "long-error"
        hints = ["a"]
        {F}

        {F}python solution
        raise ValueError("{words}")
        {F}

        {F}python check
        1  # one
        {F}
        """
    )
    code, out = lint([str(path)], capsys)
    assert code == 1
    line = next(li for li in out.split("\n") if "long-error: the solution raised ValueError" in li)
    shown = line.split("ValueError: ", 1)[1].split(" ...")[0]
    assert shown.split()[-1] in words.split()  # the last word shown is a whole word
    assert " ... (seed 0)" in line


NONDETERMINISTIC = f"""
---
id: unstable
title: Predicts nobody can predict
---

## Predict: where

{F}toml predict
id = "by-id"
{F}

{F}python show
import torch
w = torch.tensor([1.0], requires_grad=True)
print(w.is_leaf)
print(id(w))
{F}

## Predict: when

{F}toml predict
id = "by-time"
{F}

{F}python show
import time
print(time.time())
{F}

## Predict: who

{F}toml predict
id = "by-pid"
{F}

{F}python show
import os
print(os.getpid())
{F}

## Predict: hash

{F}toml predict
id = "by-hash"
{F}

{F}python show
print(hash("abc"))
{F}

## Predict: seeded randomness is fine

{F}toml predict
id = "seeded"
{F}

{F}python show
import random
import torch
print(torch.randn(2), random.random())
{F}
"""


def test_a_predict_is_run_in_two_processes_and_must_print_the_same(
    write_lesson: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real sandboxes (two servers: other memory layout, pid, hash seed), with a fixed
    PYTHONHASHSEED in the environment that must not hide ``hash('abc')``."""
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    path = write_lesson(NONDETERMINISTIC)
    code, out = lint([str(path)], capsys)
    assert code == 1
    for item, needle in [
        ("by-id", "print(id(w))"),
        ("by-time", "print(time.time())"),
        ("by-pid", "print(os.getpid())"),
        ("by-hash", 'print(hash("abc"))'),
    ]:
        line = line_of(path, needle)
        assert f"{path}:{line}: error: {item}: the shown code prints something different" in out
    assert "output line 2:" in out  # by-id: its first line (True) is stable
    assert "learners cannot predict it and two graders would expect different answers" in out
    assert "seeded" not in out
    assert "4 error(s)" in out
