"""The tamper check's dict versions (guard.open_memory / dict_version), in this process."""

from __future__ import annotations

import os
import sys

import pytest

from tutor.sandbox import guard

pytestmark = pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 14),
    reason="PEP 509 dict versions move on every change only in CPython up to 3.13",
)


@pytest.fixture
def memory():
    assert guard.open_memory()
    yield
    os.close(guard._MEMORY["fd"])
    guard._MEMORY.clear()


def test_a_dict_version_moves_on_every_change_and_only_then(memory) -> None:
    d = {"a": 1}
    seen = [guard.dict_version(d)]
    assert guard.dict_version(d) == seen[0]
    for change in (lambda: d.update(a=2), lambda: d.setdefault("b", 3), lambda: d.pop("a")):
        change()
        seen.append(guard.dict_version(d))
    assert None not in seen
    assert len(set(seen)) == len(seen)


def test_versions_are_not_shared_between_dicts(memory) -> None:
    a, b = {}, {}
    a["x"] = 1
    b["x"] = 1
    assert guard.dict_version(a) != guard.dict_version(b)


def test_a_class_attribute_change_moves_the_class_dict(memory) -> None:
    class Target:
        def method(self) -> int:
            return 1

    snapshot = guard.TamperSnapshot({"Target": Target})
    assert snapshot.changes() == [] and snapshot.walked == 0
    Target.method = lambda self: 2
    assert snapshot.changes() == ["Target.method"]
    assert snapshot.walked == 1


def test_a_replaced_memory_file_is_not_believed(memory, tmp_path) -> None:
    fake = tmp_path / "fake"
    fake.write_bytes(b"\0" * 64)
    fd = os.open(fake, os.O_RDONLY)
    try:
        os.dup2(fd, guard._MEMORY["fd"])
        assert guard.dict_version({}) is None
    finally:
        os.close(fd)


def test_without_a_memory_file_every_namespace_is_walked() -> None:
    guard._MEMORY.clear()
    module = type(sys)("fake_module")
    module.helper = len
    snapshot = guard.TamperSnapshot({"fake_module": module})
    assert snapshot.changes() == [] and snapshot.walked == 1
    module.helper = abs
    assert snapshot.changes() == ["fake_module.helper"]
