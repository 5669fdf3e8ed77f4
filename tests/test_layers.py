"""The layers import one way: data <- services <- handlers / scheduling <- composition root."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "handlers", "scheduling", "data")


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, absolute and dotted."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(package)
        for name in sorted(imports_of(path))
        if any(name == f or name.startswith(f"{f}.") for f in forbidden)
    ]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("data", ("bot", "handlers", "scheduling", "telegram")),
        ("bot/core", ("bot.services", "handlers", "scheduling", "bot.app", "bot.sandbox")),
        ("bot/services", ("handlers", "scheduling", "telegram", "bot.app", "bot.sandbox")),
        ("handlers", ("scheduling", "bot.app", "bot.sandbox", "bot.demo")),
        ("scheduling", ("handlers", "bot.app", "bot.sandbox", "bot.demo")),
        ("scheduling/routing", ("bot", "handlers", "data", "telegram", "scheduling.jobs")),
    ],
)
def test_a_layer_never_imports_one_above_it(package: str, forbidden: tuple[str, ...]) -> None:
    """Data flows one way; a module that reaches up is named with what it imports."""
    assert offenders(package, forbidden) == []


def test_nothing_outside_the_store_touches_a_connection() -> None:
    """Only data/ sees the database connection: the rest asks it for reads and transactions."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("bot", "handlers", "scheduling")
        for path in modules(package)
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if "db.conn" in line or "import aiosqlite" in line
    ]
    assert found == []


def test_only_the_composition_root_knows_every_layer() -> None:
    """Handlers are registered in one place: bot/app.py (and the CLI that starts it)."""
    importers = {
        str(path.relative_to(ROOT))
        for package in PRODUCT
        for path in modules(package)
        if any(name.startswith("handlers") for name in imports_of(path))
        and not str(path.relative_to(ROOT)).startswith("handlers/")
    }
    assert importers <= {"bot/app.py"}
