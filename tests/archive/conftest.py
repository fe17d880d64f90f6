from __future__ import annotations

import pytest

from plugins.app import build_datasette
from tests.archive.build import build_archive


@pytest.fixture(scope="session")
def archive_build(tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "foi.db"
    return path, build_archive(path)


@pytest.fixture(scope="session")
def archive_path(archive_build):
    return archive_build[0]


@pytest.fixture
async def ds(archive_path):
    datasette = build_datasette(archive_path)
    await datasette.invoke_startup()
    return datasette
