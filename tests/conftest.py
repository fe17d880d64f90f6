"""Shared pytest options. Fixtures live next to the tests that use them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from foilog.fixture_site import DEFAULT_ROOT, serve_mirror


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden JSON files from the current parser (review the diff!)",
    )
    parser.addoption(
        "--runsoak",
        action="store_true",
        default=False,
        help="run the long soak tests (make soak)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: long reliability run, only with --runsoak")


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    if config.getoption("--runsoak"):
        return
    skip = pytest.mark.skip(reason="soak test: run with make soak")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def mirror_root(tmp_path_factory) -> Path:
    """A snapshot of fixtures/site: the mirror may be rebuilt while the suite runs."""
    root = tmp_path_factory.mktemp("mirror") / "site"
    shutil.copytree(DEFAULT_ROOT, root)
    return root


@pytest.fixture
def mirror(mirror_root):
    """The real fixture server over that snapshot, on a free loopback port."""
    with serve_mirror(root=mirror_root) as site:
        yield site
