"""The built wheel works on its own: installed into a fresh venv, run from another
directory, `foilog serve` answers the home page and a search.

The dependencies come from this test run's own site-packages (a .pth line), so the
test needs no network; the checkout is never on the fresh venv's path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from foilog.child_server import start_server
from tests.archive.build import build_archive

REPO = Path(__file__).resolve().parents[1]
# What the build reads; copied so the build writes nothing into the checkout.
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "metadata.yml"]
PACKAGES = ["scraper", "parsers", "db", "foilog", "plugins"]

pytestmark = pytest.mark.slow


def _run(argv: list, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, timeout=300, **kwargs
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        shutil.copy2(REPO / name, source / name)
    for package in PACKAGES:
        shutil.copytree(
            REPO / package,
            source / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "metadata.yml"),
        )
    out = tmp_path_factory.mktemp("dist")
    # -v shows the build backend's own output, where setuptools prints its warnings
    proc = _run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", out, source])
    log = proc.stdout + proc.stderr
    for warning in ("SetuptoolsDeprecationWarning", "SetuptoolsWarning", "_Warning:", "is absent"):
        assert warning not in log, log[log.find(warning) - 500 : log.find(warning) + 1500]
    (built,) = out.glob("foilog-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", wheel])
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    # the dependencies: this interpreter's site-packages, after the venv's own
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "_foilog_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    return home


def _env() -> dict:
    return {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("FOILOG_")
    }


def test_the_wheel_carries_metadata_templates_and_static_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "plugins/metadata.yml" in names
    assert {"plugins/templates/foilog_home.html", "plugins/static/foilog.css"} <= names
    assert not any(name.startswith(("tests/", "fixtures/", "bench/")) for name in names)
    metadata = zipfile.ZipFile(wheel).read("plugins/metadata.yml")
    assert metadata == (REPO / "metadata.yml").read_bytes()


def test_the_installed_wheel_serves_an_archive_from_another_directory(fresh_venv, tmp_path):
    where = _run(
        [fresh_venv / "bin" / "python", "-c", "import plugins.app; print(plugins.app.__file__)"],
        cwd=tmp_path,
        env=_env(),
    ).stdout.strip()
    assert where.startswith(str(fresh_venv)), where  # the wheel's copy, not the checkout

    archive = tmp_path / "archives" / "foi.db"
    archive.parent.mkdir()
    build_archive(archive)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    argv = [fresh_venv / "bin" / "foilog", "serve", "--db", archive, "--port", "0"]
    with start_server([str(a) for a in argv], cwd=elsewhere, env=_env()) as server:
        home = httpx.get(server.base_url + "/", timeout=30)
        assert home.status_code == 200, server.stderr_text()
        assert "searchable archive" in home.text
        search = httpx.get(server.base_url + "/foi/search", params={"q": "facial"}, timeout=30)
        assert search.status_code == 200, server.stderr_text()
        assert "<mark>" in search.text or "&lt;mark&gt;" in search.text or "facial" in search.text
        assert httpx.get(server.base_url + "/-/foilog/foilog.css", timeout=30).status_code == 200
        assert server.stop() == 0
    assert "Traceback" not in server.stderr_text()
