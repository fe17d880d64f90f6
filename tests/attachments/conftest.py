"""Helpers for the attachment tests: the fixture generator, loaded as a module."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MIRROR_FILES = REPO / "fixtures" / "site" / "SysSiteAssets" / "foi-media" / "metropolitan-police"


def _load_maker():
    spec = importlib.util.spec_from_file_location(
        "make_attachments", REPO / "fixtures" / "make_attachments.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def maker():
    return _load_maker()


@pytest.fixture(scope="session")
def mirror_file():
    def read(relative: str) -> bytes:
        return (MIRROR_FILES / relative).read_bytes()

    return read
