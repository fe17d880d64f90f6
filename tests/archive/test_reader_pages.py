"""History, archived copies, permalinks, citations and /changes.atom, after a real edit
and a real removal on the mirror (two refreshes)."""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from plugins.app import build_datasette
from tests.archive.reader import EDIT_AFTER, EDIT_BEFORE, EDITED_REFERENCE, build_reader_archive

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def reader(mirror_root, tmp_path_factory):
    return build_reader_archive(mirror_root, tmp_path_factory.mktemp("reader"))


@pytest.fixture
async def ds(reader):
    datasette = build_datasette(reader.db_path, pages_path=reader.pages_path)
    await datasette.invoke_startup()
    return datasette


def page_of(rid: str) -> str:
    return "/response/" + quote(rid, safe="/")


async def test_a_reference_opens_its_response(ds, reader):
    for path in (f"/ref/{EDITED_REFERENCE}", f"/response/{EDITED_REFERENCE}"):
        response = await ds.client.get(path)
        assert response.status_code == 302, path
        assert response.headers["location"].endswith(page_of(reader.edited_id))
    missing = await ds.client.get("/ref/01.FOI.99.000000")
    assert missing.status_code == 404
    assert "No response with reference" in missing.text


async def test_the_edited_page_lists_its_versions_and_shows_the_diff(ds, reader):
    page = (await ds.client.get(page_of(reader.edited_id))).text
    history = page[page.index('id="history"') :]
    assert history.count("archived copy (version") == 2
    assert "First archived" in history
    assert re.search(r"<ins>[^<]*and training[^<]*</ins>", history)
    assert "words added" in history
    full = (await ds.client.get(page_of(reader.edited_id) + "/history")).text
    assert 'id="version-2"' in full and "<ins>" in full


async def test_a_removed_line_is_shown_deleted():
    from db.history import text_diff

    hunks = text_diff("one two three\nkeep\n", "one three\nkeep\nnew line\n")
    kinds = {(s.kind, s.text.strip()) for hunk in hunks for s in hunk}
    assert ("del", "two") in kinds and ("ins", "new line") in kinds


async def test_archived_copy_is_the_raw_page_sandboxed_with_a_banner(ds, reader):
    base = page_of(reader.edited_id) + "/archived"
    latest = await ds.client.get(base)
    assert latest.status_code == 200
    csp = latest.headers["content-security-policy"]
    assert csp.startswith("sandbox") and "default-src 'none'" in csp
    assert "Archived copy" in latest.text and "version 2" in latest.text
    assert EDIT_AFTER.decode() in latest.text
    first = await ds.client.get(base + "?version=1")
    assert EDIT_BEFORE.decode() in first.text and EDIT_AFTER.decode() not in first.text
    assert (await ds.client.get(base + "?version=9")).status_code == 404
    assert (await ds.client.get(base + "?version=abc")).status_code == 400


async def test_a_removed_page_offers_its_archived_copy(ds, reader):
    page = (await ds.client.get(page_of(reader.removed_id))).text
    assert "Removed from the force's website" in page
    assert f'href="{page_of(reader.removed_id)}/archived"' in page
    copy = await ds.client.get(page_of(reader.removed_id) + "/archived")
    assert copy.status_code == 200 and "has since removed it" in copy.text
    assert copy.headers["content-security-policy"].startswith("sandbox")


async def test_cite_this_names_everything_a_reader_needs(ds, reader):
    page = (await ds.client.get(page_of(reader.edited_id))).text
    cite = re.search(r'<p class="citation">(.*?)</p>', page, re.S).group(1)
    for part in (
        "Metropolitan Police Service",
        "Live video streaming",
        EDITED_REFERENCE,
        "August 2024",
        reader.edited_url,
        "http://localhost" + page_of(reader.edited_id),
        "Retrieved 20",
    ):
        assert part in cite, part


async def test_changes_feed_lists_the_edit_and_the_removal(ds, reader):
    response = await ds.client.get("/changes.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert any(t.startswith("Changed: " + EDITED_REFERENCE) for t in titles), titles
    assert any(t.startswith("Removed from the force's website") for t in titles), titles
    for entry in entries:
        links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert "/response/" in links["alternate"]
        assert links["related"].startswith("http://127.0.0.1")
        assert entry.findtext(f"{ATOM}author/{ATOM}name")


async def test_without_a_raw_store_the_page_says_so_and_still_works(reader, tmp_path):
    import sqlite3

    source, copy = sqlite3.connect(reader.db_path), sqlite3.connect(tmp_path / "foi.db")
    source.backup(copy)  # no pages.db next to this one
    source.close(), copy.close()
    ds = build_datasette(tmp_path / "foi.db")
    page = await ds.client.get(page_of(reader.edited_id))
    assert page.status_code == 200 and "Changed on the force" in page.text
    copy = await ds.client.get(page_of(reader.edited_id) + "/archived")
    assert copy.status_code == 404


async def test_search_says_when_attachments_match_too(ds):
    data = (await ds.client.get("/search.json?q=Quillfeather")).json()
    assert data["attachments_matching"] == 1  # one mirror spreadsheet has the word
    page = (await ds.client.get("/search?q=Quillfeather")).text
    assert "1 attached file" in page and "search inside attachments" in page


async def test_archived_copies_are_found_in_each_forces_own_raw_store(reader, tmp_path):
    # A refresh of several forces keeps a raw store per force (pages-<force>.db): the
    # reader pages must find a page in its force's store when there is no pages.db.
    import shutil
    import sqlite3

    source, copy = sqlite3.connect(reader.db_path), sqlite3.connect(tmp_path / "foi.db")
    source.backup(copy)
    source.close(), copy.close()
    shutil.copy(reader.pages_path, tmp_path / "pages-metropolitan-police.db")
    ds = build_datasette(tmp_path / "foi.db")
    latest = await ds.client.get(page_of(reader.edited_id) + "/archived")
    assert latest.status_code == 200 and EDIT_AFTER.decode() in latest.text
    page = await ds.client.get(page_of(reader.edited_id))
    assert "Archived copy" in page.text
