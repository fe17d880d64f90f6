"""import-warc on WARC files written by warcio: real mirror pages at their live URLs."""

from __future__ import annotations

import pytest

from tests.warc.conftest import (
    CHALLENGE,
    LIVE,
    PNG,
    Rec,
    dump,
    import_warc,
    revisit_of,
    rows,
    write_warc,
)

FLEET = "/foi-ai/metropolitan-police/disclosure-2024/october-2024/current-vehicle-fleet-list-2024/"
FLEET_CSV = (
    "/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/october_2024/"
    "vehicle-fleet-list.csv"
)
GONE = "/foi-ai/metropolitan-police/disclosure-2024/may-2024/a-page-that-was-removed/"


def _captures(pages) -> list[Rec]:
    """Eight real pages in 2023, with the noise a browser capture carries."""
    records = []
    for day, page in enumerate(pages[:8], start=1):
        records.append(Rec(LIVE + page["url_path"], page["body"], f"2023-05-{day:02d}T10:00:00Z"))
        records.append(Rec(LIVE + "/logo.png", PNG, headers=[("Content-Type", "image/png")]))
    records += [
        Rec("https://cdn.example.org/app.js", b"var x;", headers=[("Content-Type", "text/js")]),
        Rec(LIVE + GONE, b"<html>Not found</html>", status=404),
        Rec(LIVE + GONE, CHALLENGE, status=403, headers=[("cf-mitigated", "challenge")]),
        Rec(LIVE + pages[9]["url_path"], CHALLENGE, status=200),
        Rec(LIVE + pages[8]["url_path"], b"", kind="request"),
    ]
    return records


def test_real_pages_import_with_capture_dates_and_skips_counted(tmp_path, pages):
    warc = write_warc(tmp_path / "capture.warc.gz", _captures(pages))
    result = import_warc(tmp_path, warc)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert "imported 8 (8 new)" in line
    assert "9 not a page of a configured site" in line  # the logos and the script: 8 + 1
    assert "1 HTTP 404" in line and "2 bot-protection challenge" in line
    got = rows(
        tmp_path / "foi.db",
        "SELECT url, reference, fetched_at, first_seen, last_seen, source, captured_at "
        "FROM responses ORDER BY fetched_at",
    )
    assert len(got) == 8
    for day, (page, row) in enumerate(zip(pages[:8], got), start=1):
        when = f"2023-05-{day:02d}T10:00:00+00:00"
        assert row == (
            LIVE + page["url_path"],
            page["reference"],
            when,
            when,
            when,
            "web-archive",
            when,
        )
    stored = rows(tmp_path / "pages.db", "SELECT count(*), min(first_fetched_at) FROM pages")
    assert stored == [(8, "2023-05-01T10:00:00+00:00")]


def test_second_import_changes_nothing(tmp_path, pages):
    warc = write_warc(tmp_path / "capture.warc.gz", _captures(pages))
    assert import_warc(tmp_path, warc).returncode == 0
    before = dump(tmp_path / "foi.db"), dump(tmp_path / "pages.db")
    again = import_warc(tmp_path, warc, jobs=2)  # through the process pool this time
    assert again.returncode == 0, again.stderr
    assert "imported 0 (nothing)" in again.stdout and "8 already held" in again.stdout
    assert (dump(tmp_path / "foi.db"), dump(tmp_path / "pages.db")) == before


def test_uncompressed_warc_and_http_capture_of_https_site(tmp_path, pages):
    page = pages[0]
    http_url = "http://www.met.police.uk" + page["url_path"].rstrip("/")  # no slash either
    warc = write_warc(tmp_path / "old.warc", [Rec(http_url, page["body"])], gzip=False)
    result = import_warc(tmp_path, warc)
    assert result.returncode == 0, result.stderr
    assert rows(tmp_path / "foi.db", "SELECT url, reference FROM responses") == [
        (LIVE + page["url_path"], page["reference"])
    ]


def test_revisits_resolve_from_payloads_in_the_same_files(tmp_path, pages):
    first = Rec(LIVE + pages[0]["url_path"], pages[0]["body"], "2023-01-01T00:00:00Z")
    later = revisit_of(first, "2023-06-01T00:00:00Z")
    other = Rec(LIVE + pages[1]["url_path"], pages[1]["body"], "2023-02-01T00:00:00Z")
    early = revisit_of(other, "2023-03-01T00:00:00Z")
    unknown = revisit_of(
        Rec(LIVE + pages[2]["url_path"], b"<html>x</html>"), "2023-04-01T00:00:00Z"
    )
    # the revisit of `other` comes in a file before the one holding its payload
    a = write_warc(tmp_path / "a.warc.gz", [first, later, early, unknown])
    b = write_warc(tmp_path / "b.warc.gz", [other])
    result = import_warc(tmp_path, a, b)
    assert result.returncode == 0, result.stderr
    assert "1 revisit whose payload is not in these files" in result.stdout
    got = rows(
        tmp_path / "pages.db",
        "SELECT url, version, first_fetched_at, fetched_at FROM pages ORDER BY url",
    )
    # a revisit confirms the same bytes later: one version, served until the revisit
    assert sorted(got) == sorted(
        [
            (first.url, 1, "2023-01-01T00:00:00+00:00", "2023-06-01T00:00:00+00:00"),
            (other.url, 1, "2023-02-01T00:00:00+00:00", "2023-03-01T00:00:00+00:00"),
        ]
    )
    assert len(rows(tmp_path / "foi.db", "SELECT id FROM responses")) == 2


def test_older_capture_joins_history_in_date_order_without_changing_the_latest(tmp_path, pages):
    page = pages[0]
    url = LIVE + page["url_path"]
    older = page["body"].replace(b"</body>", b"<!-- token 1 --></body>")
    oldest = page["body"].replace(b"</body>", b"<!-- token 0 --></body>")
    assert (
        import_warc(
            tmp_path,
            write_warc(tmp_path / "new.warc.gz", [Rec(url, page["body"], "2024-03-01T00:00:00Z")]),
        ).returncode
        == 0
    )
    latest_before = rows(
        tmp_path / "foi.db", "SELECT content_sha256, fetched_at, record_sha256 FROM responses"
    )
    both = [Rec(url, older, "2023-06-01T00:00:00Z"), Rec(url, oldest, "2022-01-01T00:00:00Z")]
    result = import_warc(tmp_path, write_warc(tmp_path / "old.warc.gz", both))
    assert result.returncode == 0, result.stderr
    assert "imported 2 (2 older)" in result.stdout
    history = rows(
        tmp_path / "pages.db", "SELECT version, first_fetched_at FROM pages ORDER BY version"
    )
    assert history == [
        (1, "2022-01-01T00:00:00+00:00"),
        (2, "2023-06-01T00:00:00+00:00"),
        (3, "2024-03-01T00:00:00+00:00"),
    ]
    assert rows(tmp_path / "pages.db", "SELECT latest_version FROM urls") == [(3,)]
    after = rows(
        tmp_path / "foi.db", "SELECT content_sha256, fetched_at, record_sha256 FROM responses"
    )
    assert after == latest_before
    assert rows(tmp_path / "foi.db", "SELECT first_seen FROM responses") == [
        ("2022-01-01T00:00:00+00:00",)
    ]


def test_a_captured_attachment_is_extracted_for_the_page_listing_it(tmp_path, mirror_root, pages):
    page = next(p for p in pages if p["url_path"] == FLEET)
    csv = (mirror_root / FLEET_CSV.lstrip("/")).read_bytes()
    records = [
        Rec(LIVE + FLEET_CSV, csv, headers=[("Content-Type", "text/csv")]),  # before its page
        Rec(LIVE + FLEET, page["body"]),
    ]
    result = import_warc(tmp_path, write_warc(tmp_path / "fleet.warc.gz", records))
    assert result.returncode == 0, result.stderr
    assert "1 attachment files" in result.stdout
    ((text, sha),) = rows(
        tmp_path / "foi.db",
        "SELECT text, sha256 FROM attachments WHERE url = ?",
        (LIVE + FLEET_CSV,),
    )
    assert text and sha


@pytest.mark.parametrize("gzip", [True, False])
def test_truncated_file_keeps_records_before_the_damage(tmp_path, pages, gzip):
    records = [
        Rec(LIVE + p["url_path"], p["body"], f"2023-05-0{i + 1}T00:00:00Z")
        for i, p in enumerate(pages[:3])
    ]
    whole = write_warc(tmp_path / "whole.warc", records, gzip=gzip).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(whole[: len(whole) - 200])
    result = import_warc(tmp_path, cut)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: {cut}: ") and "truncated" in errors[0]
    assert "Traceback" not in result.stderr
    assert "imported 2 (2 new)" in result.stdout and "1 damaged files" in result.stdout
    assert len(rows(tmp_path / "foi.db", "SELECT id FROM responses")) == 2


def test_a_file_that_is_not_a_warc_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "notes.warc"
    bad.write_text("these are my notes\nnot a web archive\n")
    result = import_warc(tmp_path, bad)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {bad}: not a WARC file (Unknown archive format, first line: ['these', 'are', 'my', 'notes'])"
    ]
    # nothing to import: no archive or raw store left behind
    assert not (tmp_path / "foi.db").exists() and not (tmp_path / "pages.db").exists()


def test_files_that_are_not_warcs_each_get_a_line_and_create_nothing(tmp_path):
    empty, binary = tmp_path / "empty.warc", tmp_path / "x.warc.gz"
    empty.write_bytes(b"")
    binary.write_bytes(bytes(range(256)) * 8)
    result = import_warc(tmp_path, empty, binary)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert [e.split(": not a WARC file")[0] for e in errors] == [
        f"error: {empty}",
        f"error: {binary}",
    ]
    assert not (tmp_path / "foi.db").exists() and not (tmp_path / "pages.db").exists()


def test_a_missing_file_changes_nothing(tmp_path):
    result = import_warc(tmp_path, tmp_path / "nope.warc.gz")
    assert result.returncode == 2 and "no such file" in result.stderr
    assert not (tmp_path / "foi.db").exists()


def test_a_directory_is_named_for_what_it_is(tmp_path):
    folder = tmp_path / "captures"
    folder.mkdir()
    result = import_warc(tmp_path, folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip() == f"error: {folder}: a directory, not a WARC file; nothing imported"
    )
    assert not (tmp_path / "foi.db").exists()


def test_an_archive_that_is_not_sqlite_is_refused_before_the_lock(tmp_path):
    warc = write_warc(tmp_path / "one.warc.gz", [Rec(LIVE + FLEET, b"<html><p>x</p></html>")])
    bogus = tmp_path / "foi.db"
    bogus.write_bytes(b"%PDF-1.7\n" + b"\x00binary" * 500)
    result = import_warc(tmp_path, warc)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "is not a SQLite database" in result.stderr
    assert not (tmp_path / "foi.db.lock").exists() and not (tmp_path / "pages.db").exists()
