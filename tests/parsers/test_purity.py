"""`parsers/` is pure: no network, database, file or process I/O (checked on the AST)."""

from __future__ import annotations

import ast
from pathlib import Path

import parsers

FORBIDDEN_MODULES = (
    "httpx",
    "requests",
    "urllib.request",
    "http.client",
    "socket",
    "sqlite3",
    "sqlite_utils",
    "scraper",
    "db",
    "subprocess",
    "shutil",
    "asyncio",
    "aiohttp",
    "tenacity",
)
FORBIDDEN_CALLS = {"open", "exec", "eval", "__import__"}
FORBIDDEN_ATTRS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "listdir",
    "scandir",
    "remove",
    "unlink",
    "makedirs",
    "mkdir",
    "system",
    "popen",
    "walk",
}
PACKAGE = Path(parsers.__file__).parent


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_parsers_import_no_io_modules() -> None:
    offenders = []
    for path in _sources():
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if any(
                name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES
            ) or name in ("os", "pathlib"):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_parsers_call_no_file_io() -> None:
    offenders = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                    offenders.append(f"{path.name}:{node.lineno} {func.id}()")
                if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_ATTRS:
                    offenders.append(f"{path.name}:{node.lineno} .{func.attr}()")
    assert offenders == []


def test_the_check_sees_the_package() -> None:
    names = {p.name for p in _sources()}
    assert {"response.py", "html_text.py", "listing.py", "record.py"} <= names
