"""The pytest plugin: `pytest LESSON_DIR` collects one item per exercise/predict and lints it."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

import pytest

GOOD = """
---
id: plugin-lesson
title: Plugin lesson
---

## Exercise: double it

```toml exercise
id = "double"
hints = ["multiply"]
seeds = [0, 1]
```

```python setup
import torch
x = torch.randn(3)
```

```python starter
y = ...
```

```python solution
y = x * 2
```

```python check
y  # twice x
```

## Exercise: a solution that does not pass

```toml exercise
id = "broken-solution"
hints = ["none"]
```

```python solution
y = 1 / 0
```

```python check
y  # anything
```

```toml predict
id = "guess"
```

```python show
print(1 + 1)
```
"""


@pytest.fixture
def lesson_dir(pytester: pytest.Pytester, tmp_path):
    folder = pytester.mkdir("course")
    (folder / "01-plugin.md").write_text(textwrap.dedent(GOOD).lstrip())
    (folder / "02-broken.md").write_text("---\nid: Bad Id\ntitle: x\n---\n")
    (folder / "README.md").write_text("# not a lesson\n")
    pytester._monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def test_lesson_folder_gives_one_item_per_exercise_and_predict(pytester, lesson_dir):
    result = pytester.runpytest_subprocess(str(lesson_dir), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    out = result.stdout.str()
    assert "broken-solution" in out and "ZeroDivisionError" in out
    assert "02-broken.md:2" in out  # a broken file is one failing item naming file:line
    assert "README" not in out


def test_k_selects_and_junitxml_names_items(pytester, lesson_dir, tmp_path):
    report = tmp_path / "junit.xml"
    result = pytester.runpytest_subprocess(
        str(lesson_dir), "-k", "double", f"--junitxml={report}", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, deselected=3)
    names = [case.get("name") for case in ET.parse(report).iter("testcase")]
    assert names == ["double"]


def test_lessons_are_not_collected_from_folders_not_named(pytester, lesson_dir):
    """Running a parent folder (like a project's tests/) must not pick up fixture lessons."""
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    assert "double" not in result.stdout.str()
    forced = pytester.runpytest_subprocess(
        "--collect-only", "-q", "--tutor-lessons", "-p", "no:cacheprovider"
    )
    assert "double" in forced.stdout.str()


# -- exactly lint's checks (issue 15) ----------------------------------------------------------

PART = """---
id: {id}
title: Part
{requires}---

```toml quiz
id = "{item}"
question = "Which?"
choices = ["a", "b"]
answer = 1
```

```toml predict
id = "{item}-predict"
```

```python show
print("{id}")
```
"""


def part(folder, lesson_id: str, item: str, requires: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = PART.format(
        id=lesson_id, item=item, requires=f"requires: [{requires}]\n" * bool(requires)
    )
    (folder / f"01-{lesson_id}.md").write_text(text)


def test_a_folder_of_lesson_folders_is_collected_as_one_course(pytester, tmp_path) -> None:
    pytester._monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    course = pytester.mkdir("course")
    part(course / "part-1", "first", "first-quiz")
    part(course / "part-2", "second", "second-quiz", requires="first")  # across folders
    result = pytester.runpytest_subprocess(str(course), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_duplicate_ids_and_missing_requires_fail_under_pytest(pytester, tmp_path) -> None:
    pytester._monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    course = pytester.mkdir("course")
    part(course / "part-1", "first", "shared")
    part(course / "part-2", "second", "shared")  # an item id used twice, across folders
    part(course / "part-3", "third", "third-quiz", requires="frist")
    result = pytester.runpytest_subprocess(str(course), "-p", "no:cacheprovider")
    out = result.stdout.str()
    result.assert_outcomes(passed=2, failed=2)
    assert "01-second.md:6: error: -: id 'shared' is already used at" in out
    assert "01-third.md:4: error: -: 'requires' names 'frist', which is no loaded lesson " in out
    assert "(did you mean 'first'?)" in out


def test_lessons_under_a_folder_of_python_tests_are_collected_only_when_named(pytester) -> None:
    tests = pytester.mkdir("tests")
    (tests / "conftest.py").write_text("")
    part(tests / "lessons", "fixture", "fixture-quiz")
    parent = pytester.runpytest_subprocess(str(tests), "--collect-only", "-q")
    assert "fixture-quiz-predict" not in parent.stdout.str()
    named = pytester.runpytest_subprocess(str(tests / "lessons"), "--collect-only", "-q")
    assert "fixture-quiz-predict" in named.stdout.str()
