"""A refreshed archive out as WARC (export-warc and refresh --warc-dir) and back in;
wget's WARC of the running mirror in."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.warc.conftest import BIN, dump, foilog, import_warc, rows

# What a reader sees of a response, and where it rests: equal after a round trip.
COLUMNS = (
    "id, url, reference, title, month, published, outcome, ncnd, request_text, body_text, "
    "question_count, attachment_count, record_sha256, content_sha256, fetched_at, first_seen, "
    "force, language"
)


def _refresh(site, tmp_path, *extra):
    result = foilog(
        "refresh",
        "--site",
        site.base_url,
        "--db",
        tmp_path / "foi.db",
        "--pages-db",
        tmp_path / "pages.db",
        "--rate",
        "0",
        "--concurrency",
        "4",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return result


def _records(path):
    with open(path, "rb") as fh:
        return [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Date"),
                r.rec_headers.get_header("WARC-Payload-Digest"),
                r.rec_headers.get_header("WARC-Block-Digest"),
                r.http_headers.get_statuscode() if r.http_headers else None,
            )
            for r in ArchiveIterator(fh)
        ]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory, mirror_root):
    """One refresh of the mirror, with an edit in between two runs (two versions)."""
    from foilog.fixture_site import serve_mirror

    tmp_path = tmp_path_factory.mktemp("refreshed")
    with serve_mirror(root=mirror_root) as site:
        _refresh(site, tmp_path, "--warc-dir", tmp_path / "run-warcs")
        path = (
            "/foi-ai/metropolitan-police/disclosure-2024/march-2024/stop-and-search-borough-2023/"
        )
        body = (mirror_root / path.lstrip("/") / "index.html").read_bytes()
        site.edit(path, body.replace(b"</h1>", b" (corrected)</h1>", 1))
        _refresh(site, tmp_path, "--full")
        yield site.base_url, tmp_path


def test_export_has_one_response_record_per_stored_version_and_passes_warcio_check(
    refreshed, tmp_path
):
    base, archive = refreshed
    out = tmp_path / "export.warc.gz"
    result = foilog("export-warc", out, "--pages-db", archive / "pages.db")
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [str(BIN / "warcio"), "check", "-v", str(out)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    records = _records(out)
    assert records[0][0] == "warcinfo"
    versions = rows(
        archive / "pages.db", "SELECT url, fetched_at, status FROM pages ORDER BY url, version"
    )
    assert len(records) - 1 == len(versions) and len(versions) > 100
    for (rec_type, uri, date, payload, block, status), (url, fetched_at, code) in zip(
        records[1:], versions
    ):
        assert (rec_type, uri, status) == ("response", url, str(code))
        assert date == fetched_at.replace("+00:00", "Z")
        assert payload.startswith("sha1:") and block.startswith("sha1:")
    assert len({r[1] for r in records[1:]}) == len(records) - 2  # the edited page twice


def test_export_then_import_into_an_empty_archive_gives_the_same_responses(refreshed, tmp_path):
    base, archive = refreshed
    out = tmp_path / "export.warc.gz"
    assert foilog("export-warc", out, "--pages-db", archive / "pages.db").returncode == 0
    rebuilt = tmp_path / "rebuilt"
    result = import_warc(rebuilt, out, site=base, jobs=2)
    assert result.returncode == 0, result.stderr
    sql = f"SELECT {COLUMNS} FROM responses ORDER BY id"
    assert rows(rebuilt / "foi.db", sql) == rows(archive / "foi.db", sql)
    # every version of every page and file, with its dates (listers are not imported)
    versions = (
        "SELECT url, version, sha256, first_fetched_at, fetched_at FROM pages "
        "WHERE kind IN ('page', 'attachment') ORDER BY 1, 2"
    )
    assert rows(rebuilt / "pages.db", versions) == rows(archive / "pages.db", versions)
    # attachment files came along and were extracted again
    assert rows(
        rebuilt / "foi.db", "SELECT count(*) FROM attachments WHERE text IS NOT NULL"
    ) == rows(archive / "foi.db", "SELECT count(*) FROM attachments WHERE text IS NOT NULL")
    before = dump(rebuilt / "foi.db"), dump(rebuilt / "pages.db")
    assert import_warc(rebuilt, out, site=base).returncode == 0
    assert (dump(rebuilt / "foi.db"), dump(rebuilt / "pages.db")) == before


def test_since_keeps_only_versions_served_since(refreshed, tmp_path):
    _, archive = refreshed
    out = tmp_path / "none.warc.gz"
    result = foilog("export-warc", out, "--pages-db", archive / "pages.db", "--since", "2999-01-01")
    assert result.returncode == 0 and "exported 0 versions" in result.stdout
    assert [r[0] for r in _records(out)] == ["warcinfo"]
    bad = foilog("export-warc", out, "--pages-db", archive / "pages.db", "--since", "last week")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_refresh_warc_dir_writes_one_checked_file_per_run_that_imports_back(refreshed, tmp_path):
    base, archive = refreshed
    (run_file,) = (archive / "run-warcs").iterdir()
    assert run_file.name.endswith(".warc.gz")
    check = subprocess.run([str(BIN / "warcio"), "check", str(run_file)], capture_output=True)
    assert check.returncode == 0
    uris = {uri for kind, uri, *_ in _records(run_file) if kind == "response"}
    # every answer of the run: listers, pages and files alike
    assert any("/published-items/" in u for u in uris)
    assert any("/SysSiteAssets/" in u for u in uris)
    result = import_warc(tmp_path, run_file, site=base)
    assert result.returncode == 0, result.stderr
    first_run = rows(archive / "foi.db", "SELECT count(*) FROM responses")
    assert rows(tmp_path / "foi.db", "SELECT count(*) FROM responses") == first_run


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_wget_warc_of_the_mirror_imports_with_every_reference_right(mirror, manifest, tmp_path):
    months = "/foi-ai/metropolitan-police/disclosure-2024/march-2024/"
    missing = "/foi-ai/metropolitan-police/disclosure-2024/march-2024/no-such-response/"
    work = tmp_path / "wget"
    work.mkdir()
    subprocess.run(
        [
            "wget", "--warc-file=mirror", "--recursive", "--level=1", "--page-requisites",
            "--no-verbose", "-e", "robots=off", "--delete-after",
            mirror.url(months), mirror.url(missing),
        ],
        cwd=work, capture_output=True, timeout=120,
    )  # fmt: skip
    warc = work / "mirror.warc.gz"
    result = import_warc(tmp_path, warc, site=mirror.base_url, jobs=2)
    assert result.returncode == 0, result.stderr
    assert "1 HTTP 404" in result.stdout
    expected = {
        mirror.url(r["url_path"]): r["reference"]
        for r in manifest["responses"]
        if r["url_path"].startswith(months)
    }
    got = dict(rows(tmp_path / "foi.db", "SELECT url, reference FROM responses"))
    assert got == expected and len(got) >= 5
    before = dump(tmp_path / "foi.db")
    again = import_warc(tmp_path, warc, site=mirror.base_url)
    assert again.returncode == 0 and "imported 0 (nothing)" in again.stdout
    assert dump(tmp_path / "foi.db") == before
