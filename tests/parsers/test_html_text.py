"""HTML -> text lines, and the page-level helpers (decoding, dates, references, links)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers import parse_response
from parsers.chrome import strip_chrome_text
from parsers.dates import month_from_url, parse_date, published_from_line
from parsers.decoding import decode_html
from parsers.html_text import text_lines
from parsers.reference import find_reference


def lines(html: str) -> list[str]:
    return text_lines(LexborHTMLParser(html).body)


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>a <b>bold</b>, <i>it</i>al<a href=x>link</a>.</p>", ["a bold, itallink."]),
        ("<p>one<br>two<br/><br>three</p>", ["one", "two", "three"]),
        ("<p>&nbsp;</p><p>\u00a0 x\u00a0\u00a0y \u200b</p><p> </p>", ["x y"]),
        ("<div>a<div>b</div>c</div>", ["a", "b", "c"]),
        ("<p>smart \u201cquotes\u201d kept \u2019</p>", ["smart \u201cquotes\u201d kept \u2019"]),
        ("<ul><li>x</li><li>y <b>z</b></li></ul>", ["x", "y z"]),
        ("<ol><li>first</li><li>second</li></ol>", ["1. first", "2. second"]),
        ("<ol start=3><li>c</li><li value=7>g</li><li>h</li></ol>", ["3. c", "7. g", "8. h"]),
        (
            "<ol><li>q<ol type=a><li>sub</li><li>sub2</li></ol></li><li>r</li></ol>",
            ["1. q", "a. sub", "b. sub2", "2. r"],
        ),
        (
            "<ol type=i><li>x</li><li>y</li><li>z</li><li>w</li></ol>",
            ["i. x", "ii. y", "iii. z", "iv. w"],
        ),
        (
            "<ol><li>1. already</li><li>Q2 - also</li><li>2a) this</li></ol>",
            ["1. already", "Q2 - also", "2a) this"],
        ),
        ("<ol><li><p>para in li</p></li></ol>", ["1. para in li"]),
        ('<ol style="list-style-type: lower-alpha"><li>x</li><li>y</li></ol>', ["a. x", "b. y"]),
        ('<ol style="list-style: none"><li>x</li></ol>', ["x"]),
        (
            "<table><tr><th>Year</th><th>Count</th></tr><tr><td>2023</td><td>5</td></tr></table>",
            ["Year | Count", "2023 | 5"],
        ),
        ("<table><tr><td><p>a</p><p>b</p></td><td>c</td></tr></table>", ["a b | c"]),
        (
            "<table><tr><td>a</td><td>b</td></tr><tr><td>&nbsp;</td><td> </td><td></td></tr></table>",
            ["a | b"],
        ),
        (
            "<table><tr><td>only cell</td></tr><tr><td><p>layout</p><p>rows</p></td></tr></table>",
            ["only cell", "layout", "rows"],
        ),
        ("<pre>line 1\nline 2</pre>", ["line 1", "line 2"]),
        ("<p>x<script>var a='no';</script><style>.a{}</style>y</p>", ["xy"]),
        ("<h2>Heading</h2>text<hr>more", ["Heading", "text", "more"]),
    ],
)
def test_text_lines(html: str, expected: list[str]) -> None:
    assert lines(html) == expected


def test_whitespace_between_inline_elements_is_one_space() -> None:
    assert lines("<p>Section\n   <span>40(2)</span>\n<em>Personal</em></p>") == [
        "Section 40(2) Personal"
    ]


@pytest.mark.parametrize(
    "data, text, warning",
    [
        ("caf\u00e9 \u201cq\u201d".encode("utf-8"), "caf\u00e9 \u201cq\u201d", None),
        (
            "caf\u00e9 \u201cq\u201d".encode("cp1252"),
            "caf\u00e9 \u201cq\u201d",
            "decoded as windows-1252",
        ),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "caf\u00e9", None),
        (
            '<meta charset="windows-1252">caf\u00e9'.encode("cp1252"),
            '<meta charset="windows-1252">caf\u00e9',
            None,
        ),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\u2019'.encode(
                "cp1252"
            ),
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\u2019',
            None,
        ),
        (
            '<meta charset="windows-1252">caf\u00e9'.encode("utf-8"),
            '<meta charset="windows-1252">caf\u00e9',
            "declared cp1252 but bytes are UTF-8",
        ),
        (b"ok \xc3\xa9 then bad \xff", "ok \u00e9 then bad \ufffd", "undecodable bytes replaced"),
    ],
)
def test_decode_html(data: bytes, text: str, warning: str | None) -> None:
    decoded, warnings = decode_html(data)
    assert decoded == text
    assert (warning in warnings) if warning else warnings == ()


@pytest.mark.parametrize(
    "url, month",
    [
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/x/",
            "2024-08",
        ),
        ("https://www.met.police.uk/foi-ai/metropolitan-police/d/july-2022/x/", "2022-07"),
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2026/january---2026/x/",
            "2026-01",
        ),
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2023/sept-2023/x/",
            "2023-09",
        ),
        (
            "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2024/april/x-7524/",
            "2024-04",
        ),
        (
            "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2024/march/x/",
            "2024-03",
        ),
        ("https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2025/202528825---x/", None),
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/d/may-2022/protests-on-march-2022/",
            "2022-05",
        ),
        (
            "http://127.0.0.1:8765/foi-ai/metropolitan-police/disclosure-2024/MARCH-2024/x",
            "2024-03",
        ),
        ("file:///tmp/disclosure-2024/august-2024/x/index.html", None),
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/08-2024/x/",
            "2024-08",
        ),
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august2024/x/",
            "2024-08",
        ),
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/2024-08/x/",
            "2024-08",
        ),
        ("https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/13-2024/x/", None),
        ("not a url", None),
    ],
)
def test_month_from_url(url: str, month: str | None) -> None:
    assert month_from_url(url) == month


@pytest.mark.parametrize(
    "text, iso",
    [
        ("12 August 2024", "2024-08-12"),
        ("1st Sept 2023", "2023-09-01"),
        ("August 12, 2024", "2024-08-12"),
        ("12/08/2024", "2024-08-12"),
        ("2024-08-03T09:30:00Z", "2024-08-03"),
        ("31 February 2024", None),
        ("sometime in 2024", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_published_line_is_a_date_line_not_prose() -> None:
    assert published_from_line("Published: 12 August 2024") == "2024-08-12"
    assert published_from_line("Date published 3 May 2023") == "2023-05-03"
    assert (
        published_from_line("Published on 12 May 2024 the report said that many things happened")
        is None
    )
    assert (
        published_from_line("Published: 12 August 2024 | Last updated: 13 August 2024")
        == "2024-08-12"
    )
    assert published_from_line("Date published: 12/08/2024 | Reference: 01.FOI.24.000001") is None


def test_last_updated_line_is_not_body_text() -> None:
    html = "<main><h1>T</h1><p>Reference: 01.FOI.24.000006</p><p>Answer.</p><p>Page last updated: 13 August 2024</p></main>"
    assert parse_response(html, "https://x/").body_text == "Reference: 01.FOI.24.000006\nAnswer."
    html = "<main><p>Updated figures for 2024 are below.</p></main>"
    assert parse_response(html, "https://x/").body_text == "Updated figures for 2024 are below."


@pytest.mark.parametrize(
    "lines_, prefix, ref",
    [
        (
            ["Freedom of information request reference no: 01.FOI.24.036818"],
            "01",
            "01.FOI.24.036818",
        ),
        (["Our reference: 01/FOI/22/026147"], "01", "01.FOI.22.026147"),
        (["Reference: 1/FOI/22/023245"], "01", "01.FOI.22.023245"),
        (["FOI Reference: FOI/22/022656"], "01", "01.FOI.22.022656"),
        (["FOI Reference: FOI/22/022656"], None, "FOI/22/022656"),
        (["Reference no. 01.EIR.22.000019."], "01", "01.EIR.22.000019"),
        (["Reference: 2010080000104"], "01", "2010080000104"),
        (["FOI Reference: 75/24", "Request:"], None, "75/24"),
        (["Reference:", "01.FOI.23.000123"], "01", "01.FOI.23.000123"),
        (["Reference | 01.FOI.23.000124"], "01", "01.FOI.23.000124"),
        (
            [
                "I write about our notices under reference numbers 01/FOI/21/018884 and 01/FOI/21/019463."
            ],
            "01",
            None,
        ),
        (["Request:", "1. In your response 01/FOI/22/023740 you said..."], "01", None),
        (["With reference to your email of 3 May"], "01", None),
        (["Your reference: ABC/123", "Our reference: 01/FOI/22/026147"], "01", "01.FOI.22.026147"),
        (["ICO reference: IC-12345-X1Y2"], "01", None),
    ],
)
def test_find_reference(lines_: list[str], prefix: str | None, ref: str | None) -> None:
    assert find_reference(lines_, None, prefix) == ref


def test_reference_mentioned_deep_in_the_text_is_not_the_pages() -> None:
    body = "".join(f"<p>Line {i}.</p>" for i in range(20)) + "<p>Reference: 01/FOI/22/000001</p>"
    record = parse_response(f"<main><h1>T</h1>{body}</main>", "https://www.met.police.uk/x/")
    assert record.reference is None and "no reference found" in record.warnings


@pytest.mark.parametrize(
    "line, kept",
    [
        ("Quickly exit this site by pressing the Escape key Leave this site", ""),
        ("Leave this site", ""),
        ("Sorry, there was a technical problem. Please try again.", ""),
        ("Please try again.", ""),
        (
            "This site is a beta, which means it\u2019s a work in progress and we\u2019ll be adding more to it over the "
            "next few weeks.",
            "",
        ),
        (
            "Leave this site Freedom of information request reference no: 01.FOI.24.036818",
            "Freedom of information request reference no: 01.FOI.24.036818",
        ),
        ("If the link fails please try again.", "If the link fails please try again."),
        ("We\u2019d like to set additional cookies to understand how you use the site.", ""),
        ("For more information on how we use cookies, see our cookie policy.", ""),
        ("Your feedback helps us improve this site.", ""),
        ("Cookies on the Metropolitan Police website", ""),
        (
            "You\u2019ve accepted additional cookies. You can change your cookie settings at any time.",
            "",
        ),
        (
            "Cookies on the website were used by the suspect to track victims",
            "Cookies on the website were used by the suspect to track victims",
        ),
        ("We use cookies in our investigations? No.", "We use cookies in our investigations? No."),
        ("Yes", "Yes"),
    ],
)
def test_strip_chrome_text(line: str, kept: str) -> None:
    assert strip_chrome_text(line) == kept


def test_links_and_attachments() -> None:
    html = """<html><head><base href="https://www.met.police.uk/foi-ai/metropolitan-police/"></head><body>
    <nav><a href="/menu/">Menu link</a></nav>
    <main><h1>T</h1><p>Reference: 01.FOI.24.000002</p>
    <p><a href="disclosure-2024/august-2024/data.xlsx">The data</a> and
    <a href="/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/august_2024/File Name.PDF">PDF</a>
    <a href="/SysSiteAssets/foi-media/metropolitan-police/blob">blob</a>
    <a href="https://example.org/page">Elsewhere</a> <a href="https://example.org/page">dup</a>
    <a href="mailto:foi@example.org">Email us</a> <a href="javascript:void(0)">JS</a> <a href="#top">Top</a>
    <a href="tel:101">call</a> <a href="">empty</a>
    <a href="/img-link"><img src="chart.png" alt="Chart of stops"></a></p></main></body></html>"""
    record = parse_response(
        html, "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/p/"
    )
    urls = [link.url for link in record.links]
    assert urls == [
        "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/data.xlsx",
        "https://www.met.police.uk/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/august_2024/File%20Name.PDF",
        "https://www.met.police.uk/SysSiteAssets/foi-media/metropolitan-police/blob",
        "https://example.org/page",
        "mailto:foi@example.org",
        "https://www.met.police.uk/img-link",
    ]
    assert record.links[-1].text == "Chart of stops"
    assert record.links[3].text == "Elsewhere"
    assert [(a.title, a.type) for a in record.attachments] == [
        ("The data", "xlsx"),
        ("PDF", "pdf"),
        ("blob", "unknown"),
    ]


def test_title_from_head_when_no_h1() -> None:
    record = parse_response(
        "<title>Taser use - 2023 | Metropolitan Police</title><main><p>x</p></main>", "https://x/"
    )
    assert record.title == "Taser use - 2023"
    record = parse_response(
        "<title>Taser use - Metropolitan Police Service</title><p>x</p>", "https://x/"
    )
    assert record.title == "Taser use"
    record = parse_response("<title>Helmet cameras - Methods</title><p>x</p>", "https://x/")
    assert record.title == "Helmet cameras - Methods"


def test_published_from_meta_and_time() -> None:
    meta = '<meta property="article:published_time" content="2024-08-03T09:30:00Z"><main><p>x</p></main>'
    assert parse_response(meta, "https://x/").published == "2024-08-03"
    time = '<main><p>Updated <time datetime="2023-05-22">22 May</time></p></main>'
    assert parse_response(time, "https://x/").published == "2023-05-22"


@pytest.mark.parametrize(
    "item, expected",
    [
        ("1 - How many", "1 - How many"),
        ("2\u2022 Who", "2\u2022 Who"),
        ("3/ When", "3/ When"),
        ("No. of officers", "1. No. of officers"),
        ("5 officers were hurt", "1. 5 officers were hurt"),
        ("2023 figures", "1. 2023 figures"),
        ("I would like", "1. I would like"),
        ("(b) Which", "(b) Which"),
    ],
)
def test_ol_prefix_only_when_unnumbered(item: str, expected: str) -> None:
    assert lines(f"<ol><li>{item}</li></ol>") == [expected]


@pytest.mark.parametrize(
    "line, ref",
    [
        ("Request number: 000123/24", "000123/24"),
        ("FOI No. 2024/55", "2024/55"),
        ("Request notice 2024 was sent", None),
        ("Request: 1. How many", None),
        ("Ref: 2", None),
        ("Reference: Q1", None),
    ],
)
def test_reference_number_labels(line: str, ref: str | None) -> None:
    assert find_reference([line], None, None) == ref


def test_a_logo_h1_is_not_the_title() -> None:
    html = (
        '<title>Dogs seized | Thames Valley Police</title><header><h1><a href="/">Thames Valley Police</a></h1>'
        "</header><div><h2>Dogs seized</h2><p>Reference: 01.FOI.22.000003</p></div>"
    )
    assert parse_response(html, "https://x/").title == "Dogs seized"


def test_hidden_chrome_goes_but_collapsed_content_stays() -> None:
    panel = "<p>" + "The full answer to question two is long. " * 10 + "</p>"
    html = (
        f"<main><h1>T</h1><p>Reference: 01.FOI.24.000004</p><div hidden><p>Loading results</p></div>"
        f'<div class="accordion__panel" aria-hidden="true">{panel}</div>'
        f'<div hidden="until-found"><p>Short but findable.</p></div>'
        f'<span style="display:none">Opens in a new window</span></main>'
    )
    body = parse_response(html, "https://x/").body_text
    assert "Loading results" not in body and "Opens in a new window" not in body
    assert "The full answer to question two" in body and "Short but findable." in body


@pytest.mark.parametrize(
    "meta",
    [
        "<dl><dt>Published</dt><dd>12 August 2024</dd></dl>",
        "<p>Date published:<br>Monday 12 August 2024</p>",
        "<table><tr><th>Published date</th><td>12/08/2024</td></tr></table>",
    ],
)
def test_published_as_label_and_value(meta: str) -> None:
    record = parse_response(
        f"<main><h1>T</h1>{meta}<p>Reference: 01.FOI.24.000005</p><p>Body.</p></main>", "https://x/"
    )
    assert record.published == "2024-08-12"
    assert record.body_text == "Reference: 01.FOI.24.000005\nBody."


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n<</Type /Catalog>>", b"Service Unavailable", "plain text page"]
)
def test_not_html_is_flagged(data) -> None:
    assert "not an HTML page" in parse_response(data, "https://x/").warnings


def test_html_is_not_flagged() -> None:
    assert "not an HTML page" not in parse_response("<p>Hello</p>", "https://x/").warnings


def test_navigation_words_on_content_wrappers() -> None:
    html = (
        '<main><h1>T</h1><div class="accordion-menu"><p>Q1 - How many?</p><p>There were 12.</p></div>'
        '<div class="related-links"><h2>Related</h2><ul><li><a href="/a">Other response one</a></li>'
        '<li><a href="/b">Other response two</a></li></ul></div></main>'
    )
    assert parse_response(html, "https://x/").body_text == "Q1 - How many?\nThere were 12."


def test_title_without_screen_reader_text() -> None:
    html = '<main><h1><span class="visually-hidden">Page title: </span>Dogs <em>seized</em></h1><p>x</p></main>'
    assert parse_response(html, "https://x/").title == "Dogs seized"


def test_title_split_by_br() -> None:
    html = "<main><h1>Live video<br>streaming</h1><p>Reference: 01.FOI.24.000007</p><p>Body.</p></main>"
    record = parse_response(html, "https://x/")
    assert record.title == "Live video streaming"
    assert record.body_text == "Reference: 01.FOI.24.000007\nBody."


def test_a_failing_semantic_parser_keeps_the_page_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.semantic

    def broken(lines):
        raise IndexError("boom")

    monkeypatch.setattr(parsers.semantic, "analyse", broken)
    record = parse_response(
        "<main><h1>T</h1><p>Reference: 01.FOI.24.000008</p></main>", "https://x/"
    )
    assert record.reference == "01.FOI.24.000008" and record.title == "T"
    assert record.outcome == "unknown" and record.questions == ()
    assert any(w.startswith("internal semantic parser error: IndexError") for w in record.warnings)


def test_embedded_documents_are_attachments() -> None:
    html = (
        '<main><p>Reference: 01.FOI.24.000009</p><iframe src="/SysSiteAssets/a/policy.pdf" title="Policy">'
        '</iframe><object data="/docs/b.pdf"><a href="/docs/b.pdf">Download the PDF</a></object></main>'
    )
    record = parse_response(html, "https://www.met.police.uk/x/")
    assert [(a.title, a.type) for a in record.attachments] == [
        ("Download the PDF", "pdf"),
        ("Policy", "pdf"),
    ]
    assert record.body_text == "Reference: 01.FOI.24.000009"


def test_an_h1_inside_a_banner_is_not_the_title() -> None:
    html = (
        '<main><div class="cookie-banner"><h1>Cookies</h1><p>We use some essential cookies.</p></div>'
        "<h1>Dogs seized</h1><p>Reference: 01.FOI.24.000011</p>"
        + "<p>The response text.</p>" * 10
        + "</main>"
    )
    assert parse_response(html, "https://x/").title == "Dogs seized"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # random bytes
        b"1. How many officers?\n2. How many staff?\nService Unavailable",
        b"PK\x03\x04\x14\x00<w:document>1. question</w:document>",
        b"\x00\x01\x02<p>1. How many?</p>" + bytes(range(32)) * 40,
    ],
)
def test_bytes_that_are_not_a_page_give_no_questions(data) -> None:
    record = parse_response(data, "https://x/")
    assert "not an HTML page" in record.warnings
    assert record.questions == () and record.reference is None
