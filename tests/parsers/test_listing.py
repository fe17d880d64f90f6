"""Lister and sitemap parsing, on markup of our own and on the running mirror."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.request import urlopen

import pytest

from foilog.child_server import start_server
from parsers import parse_listing, parse_sitemap
from parsers.sites import MPS, NORTH_YORKSHIRE, site_for

BASE = "https://www.met.police.uk"
LISTER = BASE + "/foi-ai/af/accessing-information/published-items/?dt=Disclosure+log"
D1 = "/foi-ai/metropolitan-police/disclosure-2024/august-2024/live-video-streaming/"
D2 = "/foi-ai/metropolitan-police/d/july-2022/dogs-seized/"
D3 = "/foi-ai/metropolitan-police/disclosure-2026/january---2026/new-thing"

TABLE_LISTER = f"""<html><body><nav><a href="/">Home</a><a href="{D1}">Latest</a></nav>
<main><table><tr><th>Title</th><th>Date</th></tr>
<tr><td><a href="{D1}">Live video streaming</a></td><td>03/08/2024</td><td>Disclosure log</td></tr>
<tr><td><a href="{BASE}{D2}">Dogs seized</a></td><td>9 July 2022</td><td>Disclosure log</td></tr>
<tr><td><a href="{D3}#x">New thing on 18 December 2020 gathering</a></td><td>Publication scheme</td></tr>
<tr><td><a href="https://elsewhere.example{D1}">Other host</a></td></tr>
<tr><td><a href="/foi-ai/metropolitan-police/disclosure-2024/august-2024/">Month hub</a></td></tr>
</table>
<ul class="pager"><li><a href="?dt=Disclosure+log&amp;page=1">1</a></li><li><a href="?dt=Disclosure+log&amp;page=2">2</a></li></ul>
</main></body></html>"""


def test_items_from_a_table_lister() -> None:
    page = parse_listing(TABLE_LISTER, LISTER, MPS)
    assert [i.url for i in page.items] == [BASE + D1, BASE + D2, BASE + D3]
    first, second, third = page.items
    assert (first.title, first.date, first.doc_type) == (
        "Live video streaming",
        "2024-08-03",
        "Disclosure log",
    )
    assert (second.date, second.doc_type) == ("2022-07-09", "Disclosure log")
    # The date in a title is not the item's date.
    assert (third.date, third.doc_type) == (None, "Publication scheme")
    assert (
        page.next_url
        == BASE + "/foi-ai/af/accessing-information/published-items/?dt=Disclosure+log&page=2"
    )
    assert page.warnings == ()


@pytest.mark.parametrize(
    "pager, expected",
    [
        ('<link rel="next" href="/l/?page=3">', BASE + "/l/?page=3"),
        ('<a rel="next" href="/l/?page=4">more</a>', BASE + "/l/?page=4"),
        (
            '<a href="/l/?page=5" aria-label="Next page"><span>\u203a</span></a>',
            BASE + "/l/?page=5",
        ),
        ('<a href="/l/?page=6">\u00bb</a>', BASE + "/l/?page=6"),
        (
            '<a href="/l/?page=1">1</a><a href="/l/?page=2">2</a><a href="/l/?page=3">3</a>',
            BASE + "/l/?page=3",
        ),
        ('<a href="/l/?page=1">1</a>', None),
        ('<a href="/l/page/2/">2</a><a href="/l/page/3/">3</a>', BASE + "/l/page/3/"),
        ('<a href="/other/?page=3">3</a>', None),
    ],
)
def test_next_url(pager: str, expected: str | None) -> None:
    page = parse_listing(
        f"<html><head></head><body><main>{pager}</main></body></html>", BASE + "/l/?page=2", MPS
    )
    assert page.next_url == expected
    assert page.warnings == ("no items found",)


def test_div_items_with_time_elements() -> None:
    items = "".join(
        f'<div class="card"><h3><a href="{path}">T{i}</a></h3><span>Disclosure log</span>'
        f'<time datetime="2024-0{i + 1}-01">x</time></div>'
        for i, path in enumerate((D1, D2))
    )
    page = parse_listing(f"<div class=results>{items}</div>", LISTER, MPS)
    assert [(i.title, i.date) for i in page.items] == [("T0", "2024-01-01"), ("T1", "2024-02-01")]


def test_other_site_definition() -> None:
    path = "/foi-ai/north-yorkshire-police/disclosure-log/2024/x-request/"
    page = parse_listing(
        f'<a href="{path}">X</a><a href="{D1}">mps</a>',
        NORTH_YORKSHIRE.base_url + "/l/",
        NORTH_YORKSHIRE,
    )
    assert [i.url for i in page.items] == [NORTH_YORKSHIRE.base_url + path]
    assert page.warnings == ("no item dates found",)


def test_sitemap() -> None:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>{BASE}{D1}</loc><lastmod>2024-08-03T10:00:00+00:00</lastmod></url>
    <url><loc> {BASE}{D2} </loc></url>
    <url><loc>{BASE}/foi-ai/metropolitan-police/</loc></url>
    <url><loc>https://elsewhere.example{D1}</loc></url>
    <url><loc>{BASE}{D1}</loc></url></urlset>"""
    items = parse_sitemap(xml.encode(), BASE + "/sitemap.xml", MPS)
    assert [(i.url, i.date) for i in items] == [(BASE + D1, "2024-08-03"), (BASE + D2, None)]


@pytest.mark.parametrize(
    "data", [b"", "<html>", b"\xff\xfe\x00", "<a href='javascript:x'>Next</a>"]
)
def test_garbage_listing(data) -> None:
    page = parse_listing(data, LISTER, MPS)
    assert page.items == () and page.warnings
    assert (
        parse_sitemap(
            data if isinstance(data, bytes) else data.encode(), BASE + "/sitemap.xml", MPS
        )
        == []
    )


@pytest.fixture(scope="module")
def mirror():
    root = Path(__file__).resolve().parents[2] / "fixtures" / "site"
    if not (root / "manifest.json").exists():
        pytest.skip("mirror not built")
    foilog = str(Path(sys.executable).with_name("foilog"))
    with start_server([foilog, "fixture-site", "--port", "0", "--quiet"]) as server:
        yield server.base_url


def test_walk_the_mirror_lister(mirror: str) -> None:
    """Following next_url from page 1 reaches every disclosure-log response in the manifest."""
    import json

    site = site_for(mirror)
    manifest = json.loads(
        (Path(__file__).resolve().parents[2] / "fixtures/site/manifest.json").read_text()
    )
    url, seen, pages = mirror + site.lister_path + "?dt=Disclosure+log", {}, 0
    while url and pages < 50:
        page = parse_listing(urlopen(url, timeout=10).read(), url, site)
        assert page.items, url
        for item in page.items:
            assert item.title and item.date
            seen[item.url.rstrip("/")] = item
        url, pages = page.next_url, pages + 1
    assert pages >= 2
    wanted = {
        mirror + e["url_path"].rstrip("/")
        for e in manifest["responses"]
        if "metropolitan-police" in e["url_path"]
    }
    assert wanted <= set(seen)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "<a href='",
        D1,
        D2,
        "'>",
        "</a>",
        "<li>",
        "</li>",
        "<tr><td>",
        "Next",
        "\u203a",
        "?page=2",
        "<link rel=next href='",
        "3 May 2024",
        "<time datetime='2024-02-30'>",
        "<loc>",
        "</loc>",
        "<url>",
        "</url>",
        "<lastmod>",
        "&amp;",
        "\x00",
    ]
)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=50).map("".join))
def test_listing_never_raises(data: str) -> None:
    page = parse_listing(data, LISTER, MPS)
    assert all(MPS.is_detail_path(item.url.split("met.police.uk", 1)[1]) for item in page.items)
    assert parse_listing(data, LISTER, MPS) == page
    parse_sitemap(data, BASE + "/sitemap.xml", MPS)


def test_generic_link_text_takes_the_heading() -> None:
    html = (
        f'<ul><li><h3>Dogs seized</h3><p>Published: 9 July 2022</p><a href="{D2}">Read more</a></li>'
        f'<li><a href="{D1}"><img src="x.png"></a><h3><a href="{D1}">Live video</a></h3></li></ul>'
    )
    items = parse_listing(html, LISTER, MPS).items
    assert [(i.title, i.date) for i in items] == [
        ("Dogs seized", "2022-07-09"),
        ("Live video", None),
    ]


def test_sitemap_index_children() -> None:
    from parsers.listing import sitemap_children

    xml = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://www.met.police.uk/sitemap-1.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
    <sitemap><loc>/sitemap-2.xml?a=1&amp;b=2</loc></sitemap></sitemapindex>"""
    assert sitemap_children(xml, BASE + "/sitemap.xml") == [
        BASE + "/sitemap-1.xml",
        BASE + "/sitemap-2.xml?a=1&b=2",
    ]
    assert sitemap_children("<urlset><url><loc>x</loc></url></urlset>", BASE) == []
    assert parse_sitemap(xml, BASE + "/sitemap.xml", MPS) == []


def test_whole_card_is_the_link() -> None:
    html = (
        f'<div class="grid"><a class="card" href="{D1}"><h3>Live video streaming</h3>'
        f'<p>Disclosure log</p><p>3 August 2024</p></a><a class="card" href="{D2}"><h3>Dogs</h3>'
        f"<p>9 July 2022</p></a></div>"
    )
    items = parse_listing(html, LISTER, MPS).items
    assert [(i.title, i.date, i.doc_type) for i in items] == [
        ("Live video streaming", "2024-08-03", "Disclosure log"),
        ("Dogs", "2022-07-09", None),
    ]


def test_published_date_preferred_over_updated() -> None:
    html = f'<ul><li><a href="{D1}">Live</a> <span>Updated 5 June 2024</span> <span>Published: 3 May 2024</span></li></ul>'
    assert parse_listing(html, LISTER, MPS).items[0].date == "2024-05-03"


def test_date_field_beats_a_date_in_the_summary() -> None:
    html = (
        f'<ul><li><a href="{D1}">Stops</a><p>Stop and search figures between 1 January 2021 and 31 March'
        f' 2022 for each borough.</p><span class="date">4 May 2022</span></li></ul>'
    )
    assert parse_listing(html, LISTER, MPS).items[0].date == "2022-05-04"


@pytest.mark.parametrize(
    "path",
    [
        "/foi-ai/metropolitan-police/disclosure-2025/may-2025/%2e%2e/",
        "/foi-ai/metropolitan-police/disclosure-2025/may-2025/..%2f..%2f..%2fetc%2fpasswd/",
        "/foi-ai/metropolitan-police/disclosure-2025/may-2025/a%5cb/",
        "/foi-ai/metropolitan-police/disclosure-2025/may-2025/a%00b/",
    ],
)
def test_encoded_dot_segments_are_not_items(path: str) -> None:
    good = "/foi-ai/metropolitan-police/disclosure-2025/may-2025/fine/"
    page = parse_listing(f'<a href="{path}">bad</a><a href="{good}">good</a>', LISTER, MPS)
    assert [i.url for i in page.items] == [BASE + good]
    sitemap = f"<urlset><url><loc>{BASE}{path}</loc></url></urlset>"
    assert parse_sitemap(sitemap, BASE + "/sitemap.xml", MPS) == []
