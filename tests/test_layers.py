"""The layers, enforced: parsers <- db <- scraper <- cli (foilog/) and plugins.

Every `import` in the five packages is read from the AST, including the imports
inside functions (a lazy import is still a dependency). Two checks:

- the code keeps to the contract (no lower layer imports an upper one);
- docs/ARCHITECTURE.md's dependency table names exactly the packages each one imports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("parsers", "db", "scraper", "foilog", "plugins")

# Who may import whom (first-party only; the third-party libraries are in the doc).
CONTRACT = {
    "parsers": set(),
    "db": {"parsers"},
    "scraper": {"parsers", "db"},
    "plugins": {"parsers", "db", "scraper"},
    "foilog": {"parsers", "db", "scraper", "plugins"},
}

# Known violations, each with where: the test fails when one is gone (so the entry
# is removed) as much as when a new one appears.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


def imports_of(package: str) -> dict[str, set[str]]:
    """{first-party package imported: {module files that import it}} for one package."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue  # relative imports stay inside the package
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(REPO)))
    return found


def documented_imports() -> dict[str, set[str]]:
    """The first-party names in the 'may import' column of the architecture table."""
    text = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3:
            continue
        row = re.fullmatch(r"`(\w+)/`", cells[0])
        if row and row.group(1) in PACKAGES:
            named = {n.split(".")[0] for n in re.findall(r"`([\w.]+)(?:\.\*)?`", cells[-1])}
            table[row.group(1)] = (named & set(PACKAGES)) - {row.group(1)}
    return table


@pytest.mark.parametrize("package", PACKAGES)
def test_each_layer_imports_only_the_layers_below(package):
    actual = imports_of(package)
    leaks = {
        f"{package} -> {target}: {', '.join(sorted(files))}"
        for target, files in actual.items()
        if target not in CONTRACT[package] and (package, target) not in KNOWN_VIOLATIONS
    }
    assert leaks == set()


@pytest.mark.parametrize("pair", sorted(KNOWN_VIOLATIONS))
def test_known_violations_are_still_real(pair):
    package, target = pair
    assert target in imports_of(package), (
        f"{package} no longer imports {target}: remove it from KNOWN_VIOLATIONS"
    )


def test_no_lower_layer_imports_the_cli_or_the_plugins():
    for package in ("parsers", "db", "scraper"):
        for target in ("foilog", "plugins"):
            if (package, target) in KNOWN_VIOLATIONS:
                continue
            assert target not in imports_of(package), f"{package} imports {target}"


def test_the_architecture_doc_names_what_each_package_imports():
    documented = documented_imports()
    assert set(documented) == set(PACKAGES), "a package is missing from the table"
    for package in PACKAGES:
        actual = set(imports_of(package)) - {
            target for (source, target) in KNOWN_VIOLATIONS if source == package
        }
        assert documented[package] == actual, (
            f"docs/ARCHITECTURE.md says {package}/ imports {sorted(documented[package])}, "
            f"the code imports {sorted(actual)}"
        )
        assert documented[package] <= CONTRACT[package]


def test_the_scraper_runs_no_sql_of_its_own():
    """All archive SQL lives in db/: no SQL keywords in scraper/ string literals."""
    keywords = ("SELECT ", "UPDATE ", "INSERT ", "DELETE FROM")
    found = []
    for path in sorted((REPO / "scraper").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(k in node.value for k in keywords):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []
