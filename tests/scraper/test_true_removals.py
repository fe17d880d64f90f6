"""Removals that are true: a 404 night is not a removals night.

Real fixture server and the real CLI. A site-wide 404 (a broken deploy) marks
nothing removed; a night where the lister works but most pages 404 marks nothing
removed; one page gone from an otherwise healthy site is removed, and when it is
back the next ordinary refresh (not --full) restores it; the event log says so.
"""

from __future__ import annotations

import httpx

from tests.scraper.night import events, refresh, removed_count, run_foilog, snapshot, summary


def test_a_site_wide_404_marks_nothing_removed(manifest, mirror, tmp_path):
    assert refresh(mirror, tmp_path).returncode == 0
    mirror.set_outage(404)
    night = refresh(mirror, tmp_path, "--full")
    assert night.returncode == 3, night.stderr
    result = summary(night)
    assert result["removed"] == 0 and removed_count(tmp_path / "foi.db") == 0
    assert "Traceback" not in night.stderr
    mirror.set_outage(None)
    after = refresh(mirror, tmp_path, "--full")
    assert after.returncode == 0 and summary(after)["removed"] == 0


def test_most_pages_404_with_a_working_lister_marks_nothing_removed(manifest, mirror, tmp_path):
    assert refresh(mirror, tmp_path).returncode == 0
    before = snapshot(tmp_path / "foi.db")["responses"]
    paths = [r["url_path"] for r in manifest["responses"]]
    for path in paths[: len(paths) * 2 // 3]:
        mirror.remove(path)
    night = refresh(mirror, tmp_path, "--full")
    result = summary(night)
    assert result["removed"] == 0 and removed_count(tmp_path / "foi.db") == 0
    assert any("none marked removed" in w for w in result["warnings"])
    after = snapshot(tmp_path / "foi.db")["responses"]
    assert [r[:3] for r in after] == [r[:3] for r in before]
    assert all(events(tmp_path / "foi.db", mirror.url(p)) == ["new"] for p in paths)


def test_one_page_gone_is_removed_and_restored_when_back(manifest, mirror, tmp_path):
    db = tmp_path / "foi.db"
    assert refresh(mirror, tmp_path).returncode == 0
    path = manifest["responses"][3]["url_path"]
    body = httpx.get(mirror.url(path)).content
    mirror.remove(path, status=410)
    gone = refresh(mirror, tmp_path, "--full")
    assert gone.returncode == 0, gone.stderr
    assert summary(gone)["removed"] == 1 and removed_count(db) == 1
    still = refresh(mirror, tmp_path)
    assert summary(still)["removed"] == 0 and removed_count(db) == 1
    mirror.add_response(path, body, title="back again")
    back = refresh(mirror, tmp_path)  # an ordinary night: flagged pages are re-checked
    assert back.returncode == 0, back.stderr
    assert removed_count(db) == 0
    assert events(db, mirror.url(path)) == ["new", "removed", "restored"]


def test_fetch_of_one_gone_page_is_judged_against_control_pages(manifest, mirror, tmp_path):
    """One page checked alone proves nothing: a few archived pages are checked as
    controls, so the removal is neither missed nor taken from the 404 alone."""
    db = tmp_path / "foi.db"
    assert refresh(mirror, tmp_path).returncode == 0
    path = manifest["responses"][5]["url_path"]
    common = ["--site", mirror.base_url, "--db", db, "--pages-db", tmp_path / "pages.db"]
    mirror.set_outage(404)
    outage = run_foilog("fetch", mirror.url(path), *common)
    assert outage.returncode == 1 and "not marked removed" in outage.stderr
    assert outage.stderr.count("\n") == 1 and removed_count(db) == 0
    mirror.set_outage(None)
    mirror.remove(path)
    mark = len(mirror.request_log)
    gone = run_foilog("fetch", mirror.url(path), *common)
    assert gone.returncode == 0 and gone.stdout == f"removed: {mirror.url(path)}\n"
    pages = [t for _, t, _ in mirror.request_log[mark:] if t.startswith("/foi-ai/metropolitan")]
    assert len(pages) == 4  # the page and three controls
    assert events(db, mirror.url(path)) == ["new", "removed"]
