"""The benchmarks' synthetic mirror: deterministic, unique, parseable, servable.

The benchmarks themselves (`make bench`) are not tests; this checks only that what they
measure is what they claim: pages built from the real mirror that parse to the
references, titles and months the generator intended, served by the real server.
"""

from __future__ import annotations

import json

import httpx
import pytest

from bench.synth import DEFAULT_SITE_ROOT, iter_pages, load_manifest, load_sources, reference_forms
from bench.synth_site import write_mirror
from foilog.fixture_site import serve_mirror
from parsers import parse_response
from parsers.sites import MPS

N = 60


@pytest.fixture(scope="module")
def sources():
    return load_sources(DEFAULT_SITE_ROOT)


def test_every_real_response_with_a_reference_is_a_source(sources):
    listed = [e for e in load_manifest(DEFAULT_SITE_ROOT)["responses"] if e.get("reference")]
    assert len(sources) == len(listed)
    # The cut found each page's response body, not a whole page with its chrome.
    for s in sources:
        assert any(form in s.content for form in reference_forms(s.reference)), s.url_path
        assert "cookie" not in s.content.lower()[:300], s.url_path


def test_same_seed_same_bytes_other_seed_other_pages(sources):
    first = [p.body for p in iter_pages(sources, N, seed=7)]
    again = [p.body for p in iter_pages(sources, N, seed=7)]
    other = [p.body for p in iter_pages(sources, N, seed=8)]
    assert first == again
    assert sum(a != b for a, b in zip(first, other)) == N


def test_a_smaller_mirror_is_a_prefix_of_a_larger_one(sources):
    small = [(p.url_path, p.body) for p in iter_pages(sources, 20)]
    large = [(p.url_path, p.body) for p in iter_pages(sources, 50)]
    assert large[:20] == small


def test_pages_are_unique_and_on_detail_paths(sources):
    pages = list(iter_pages(sources, 400))
    assert len({p.reference for p in pages}) == 400
    assert len({p.url_path for p in pages}) == 400
    assert len({p.html for p in pages}) == 400
    assert all(MPS.is_detail_path(p.url_path) for p in pages)
    # Recombined, not copied: chrome and body come from different real pages.
    assert (
        sum(p.source.split("body=")[1].split()[0] != p.source.split("chrome=")[1] for p in pages)
        > 300
    )


def test_pages_parse_to_the_intended_reference_title_and_month(sources):
    misses = []
    for page in iter_pages(sources, N):
        record = parse_response(page.body, "https://www.met.police.uk" + page.url_path)
        got = (record.reference, record.title, record.month)
        if got != (page.reference, page.title, page.month):
            misses.append((page.index, got, (page.reference, page.title, page.month)))
    assert misses == []


def test_the_real_server_serves_a_written_mirror(tmp_path, sources):
    manifest = write_mirror(tmp_path / "site", 25)
    written = json.loads((tmp_path / "site" / "manifest.json").read_text())
    assert written == manifest and manifest["count"] == 25
    with serve_mirror(root=tmp_path / "site", host="127.0.0.1", port=0, faults=None) as site:
        with httpx.Client(base_url=site.base_url) as client:
            for entry in manifest["responses"][:5]:
                response = client.get(entry["url_path"])
                assert response.status_code == 200
                assert response.content == (tmp_path / "site" / entry["path"]).read_bytes()
            lister = client.get(manifest["lister_path"], params={"dt": "Disclosure log"})
            sitemap = client.get("/sitemap.xml").text
    newest = max(manifest["responses"], key=lambda e: (e["listed"], e["url_path"]))
    assert newest["url_path"] in lister.text
    assert all(e["url_path"] in sitemap for e in manifest["responses"])
    assert not any(e["url_path"] in sitemap for e in load_manifest(DEFAULT_SITE_ROOT)["responses"])
