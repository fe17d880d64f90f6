"""The layers as documented: scraper/, db/ and parsers/ never import the CLI or plugins."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOWER = ("scraper", "db", "parsers")
UPPER = ("foilog", "plugins")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", LOWER)
def test_lower_layers_never_import_the_cli_or_plugins(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(UPPER))
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_scraper_runs_no_sql_of_its_own():
    """All archive SQL lives in db/: no SQL keywords in scraper/ string literals."""
    keywords = ("SELECT ", "UPDATE ", "INSERT ", "DELETE FROM")
    found = []
    for path in sorted((ROOT / "scraper").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(k in node.value for k in keywords):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
