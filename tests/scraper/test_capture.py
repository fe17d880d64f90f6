"""`foilog capture URL...`: live pages saved into a mirror tree with their goldens."""

from __future__ import annotations

import json

from parsers import parse_response
from tests.scraper.night import run_foilog


def test_capture_saves_each_page_and_its_golden(manifest, mirror, tmp_path):
    entries = manifest["responses"][:2]
    urls = [mirror.url(e["url_path"]) for e in entries]
    missing = mirror.url("/foi-ai/metropolitan-police/disclosure-2025/may-2025/no-such-page/")
    proc = run_foilog(
        "capture", *urls, missing, "--site", mirror.base_url, "--into", tmp_path, "--rate", "0"
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == [f"failed: {missing}: HTTP 404"]
    assert len(proc.stdout.splitlines()) == 2
    for entry in entries:
        page = tmp_path / entry["url_path"].strip("/") / "index.html"
        golden = json.loads(page.with_name("index.expected.json").read_text(encoding="utf-8"))
        live = "https://www.met.police.uk" + entry["url_path"]
        assert golden == parse_response(page.read_bytes(), live).to_dict()
        assert golden["reference"] == entry["reference"]
    assert not (tmp_path / "foi.db").exists()


def test_capture_behind_a_challenge_exits_5_and_saves_nothing(manifest, mirror, tmp_path):
    mirror.set_challenge("js")
    url = mirror.url(manifest["responses"][0]["url_path"])
    proc = run_foilog("capture", url, "--site", mirror.base_url, "--into", tmp_path)
    assert proc.returncode == 5 and proc.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
