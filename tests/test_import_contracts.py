"""The import layers written in pyproject.toml ([tool.importlinter]) hold: every import
statement of every module (at any depth: imports inside functions and under TYPE_CHECKING
count) is checked against each "forbidden" contract."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "contracts"
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, relative imports made absolute."""
    package = module_name(path).rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


MODULES = sorted((ROOT / "tutor").rglob("*.py"))


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c["name"] for c in CONTRACTS])
def test_forbidden_imports(contract: dict) -> None:
    assert contract["type"] == "forbidden"
    broken = []
    for path in MODULES:
        name = module_name(path)
        if not any(under(name, src) for src in contract["source_modules"]):
            continue
        for line, target in imports(path):
            if any(under(target, bad) for bad in contract["forbidden_modules"]):
                broken.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not broken, "\n".join(broken)


def test_the_contracts_see_the_modules_they_name() -> None:
    names = {module_name(p) for p in MODULES}
    for contract in CONTRACTS:
        for src in contract["source_modules"]:
            assert any(under(n, src) for n in names), src
