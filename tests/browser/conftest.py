"""A real browser against a real `foilog serve`: Chromium, a free port, axe-core."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from foilog.child_server import start_server
from scraper.browser import LAUNCH_ARGS

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = list(LAUNCH_ARGS)  # the crawler's own flags (scraper/browser.py)


class Served:
    """`foilog serve` as a child process on a port the OS chose; stop() is Ctrl-C."""

    def __init__(self, db_path: Path, *extra: str) -> None:
        foilog = Path(sys.executable).parent / "foilog"
        argv = [str(foilog), "serve", "--db", str(db_path), "--port", "0", *extra]
        self.child = start_server(argv)
        self.port = self.child.port
        self.base = self.child.base_url
        self.process = self.child.process

    def stop(self) -> None:
        self.child.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it stands."""
    if not AXE.exists():
        if shutil.which("node") is None:
            pytest.skip("accessibility check needs Node.js and npm (axe-core); node not found")
        pytest.fail("axe-core is not installed: run `make install` (npm ci in tests/browser)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
