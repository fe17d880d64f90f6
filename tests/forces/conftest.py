from __future__ import annotations

import json

import pytest


@pytest.fixture
def manifest(mirror_root) -> dict:
    return json.loads((mirror_root / "manifest.json").read_text(encoding="utf-8"))
