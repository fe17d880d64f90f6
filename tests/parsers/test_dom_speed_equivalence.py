"""The DOM side's speed shortcuts give exactly what the plain ways gave.

- `clean_line` collapses whitespace with string scans, relying on two Unicode facts
  checked here, and equals the word-list way on generated strings;
- `_not_html` counts control characters with a regex, as the character loop did;
- the tables' rows collected during the text walk equal the rows read from each table
  again (`parsers.tables._rows`), on every page of the mirror and the samples;
- the chrome groups found in one pass are the elements the CSS selector groups match;
- the publication `<meta>` and `og:site_name` read in one pass are the ones the CSS
  queries found;
- `chrome.drop_chrome_lines` and `strip_chrome_text`, which skip the normal form of
  clean and long lines, give what the plain way gave;
- the page's junk, `<base href>`, first root candidates and FOI media anchors read from
  one query (`parsers.page_query`) are what the four queries found;
- the goldens (tests/parsers/test_golden.py) pin the parser's whole output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from parsers import chrome, content
from parsers.chrome_match import ChromeCandidates, find_chrome
from parsers.dates import parse_date
from parsers.html_text import _INVISIBLE, clean_line, text_lines
from parsers.links import FOI_MEDIA_SELECTOR
from parsers.page_query import query_page
from parsers.response import _PUBLISHED_META, _meta_published, _not_html, _og_site_name
from parsers.tables import RowCollector, read_tables

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "fixtures" / "site").rglob("*.html")) + sorted(
    (ROOT / "tests" / "parsers" / "samples").rglob("*.html")
)


def test_whitespace_and_invisible_characters_are_unprintable() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace() and char != " ":
            assert not char.isprintable(), hex(code)
    assert not any(char.isprintable() for char in _INVISIBLE.pattern.strip("[]+"))


def _plain_clean_line(text: str) -> str:
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


_PIECES = st.sampled_from(
    [" ", "  ", "\n", "\t", "\r", "\xa0", "\u2009", "\u3000", "\x85", "\x1c", "\x0b", "\x0c"]
    + ["\u2028", "\u200b", "\u00ad", "\ufeff", "\u200e", "a", "B", "\u00e9", "|", "x y", "\u2019"]
)


@settings(max_examples=2000, database=None, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=3), max_size=14).map("".join))
def test_clean_line_is_the_plain_way(text: str) -> None:
    assert clean_line(text) == _plain_clean_line(text)


@settings(max_examples=500, database=None, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x10000), max_size=300))
def test_not_html_counts_controls_as_before(text: str) -> None:
    head = "<p>" + text
    controls = sum(1 for c in head if c < " " and c not in "\t\n\r\f") + head.count("\ufffd")
    assert _not_html(head) == (controls > len(head) // 20)


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_walked_table_rows_are_the_tables_rows(path: Path) -> None:
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", "replace"))
    content.remove_junk(tree)
    root, _ = content.choose_root(tree)
    content.remove_chrome(tree, root, scope=root)
    walked = RowCollector()
    lines = text_lines(root, walked)
    assert read_tables(root, lines, walked) == read_tables(root, lines)


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1<br>|<br>2</td><td>x</td></tr></table>",
        "<table><tr><td><ol><li>one</li><li>two</li></ol></td><td>x</td></tr></table>",
        "<table><thead><tr><td>h</td><td>i</td></tr></thead><tr><td> </td><td></td></tr>"
        "<tr><td>a\u200bb</td><td><pre>p\nq</pre></td></tr></table>",
        "<ol><li><table><tr><td>a</td><td>b</td></tr></table></li></ol>",
        "<object><table><tr><td>a</td><td>b</td></tr></table></object>"
        "<table><tr><td>a</td><td>b</td></tr></table>",
    ],
)
def test_walked_rows_on_awkward_cells(html: str) -> None:
    body = LexborHTMLParser(html).body
    walked = RowCollector()
    lines = text_lines(body, walked)
    assert read_tables(body, lines, walked) == read_tables(body, lines)


def _query_groups(scope) -> list[list[int]]:
    from parsers.content import _GUARDED, _LANDMARKS

    selectors = (_LANDMARKS, _GUARDED, chrome.HIDDEN_SELECTOR, chrome.NAVISH_SELECTOR)
    # (lexbor lists an element once per selector of the group it matches)
    return [list(dict.fromkeys(node.mem_id for node in scope.css(s))) for s in selectors]


def _found_groups(found: ChromeCandidates) -> list[list[int]]:
    groups = (found.landmarks, found.guarded, found.hidden, found.navish)
    return [[node.mem_id for node in group] for group in groups]


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_chrome_groups_are_the_selectors_matches(path: Path) -> None:
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", "replace"))
    content.remove_junk(tree)
    found = find_chrome(tree.body)
    assert found is not None
    assert _found_groups(found) == _query_groups(tree.body)


@pytest.mark.parametrize(
    "html",
    [
        '<div class="x\tsr-only y">a</div><div class="sr-only\xa0x">b</div><nav>n</nav>',
        '<div ROLE="Navigation">a</div><div role=" navigation">b</div><div aria-modal=TRUE>c</div>',
        '<div class="Cookie-Banner">a</div><div id="FEEDBACK">b</div><p aria-label="Share it">c</p>',
        '<div id="coo\u212aie">k</div><div class="cookie\u212a">k</div><div style="DISPLAY: None">d</div>',
        '<div hidden>h</div><div aria-hidden="True">h</div><div class="main-menu">m</div>',
        '<div id="ccc">c</div><div class="cc-window">c</div><form>f</form><dialog>d</dialog>',
        '<math><nav>m</nav></math><div class="">e</div><div id>e</div><div class>e</div>',
    ],
)
@pytest.mark.parametrize("doctype", ["<!doctype html>", ""])
def test_chrome_groups_on_awkward_markup(html: str, doctype: str) -> None:
    body = LexborHTMLParser(doctype + html).body
    found = find_chrome(body)
    assert found is not None
    assert _found_groups(found) == _query_groups(body)


@pytest.mark.parametrize("doctype", ["<!doctype html>", ""])
def test_chrome_groups_give_way_to_the_selectors_when_case_decides(doctype: str) -> None:
    body = LexborHTMLParser(doctype + '<div class="SR-ONLY">a</div><p id="CCC">b</p>').body
    assert find_chrome(body) is None


def _meta_published_by_css(tree) -> str | None:
    scope = tree.head or tree.root
    for attribute, value in _PUBLISHED_META:
        node = scope.css_first(f'meta[{attribute}="{value}" i]')
        if node is not None:
            found = parse_date(node.attributes.get("content") or "")
            if found:
                return found
    return None


@pytest.mark.parametrize(
    "html",
    [
        '<meta name="DATE" content="bad"><meta name=date content="2024-01-02">'
        '<meta itemprop=datePublished content="2023-05-06">'
        '<meta property="ARTICLE:published_time" content="">',
        '<meta name="dc.date" content="2021-03-04"><meta name="DC.date.issued" content="x">'
        '<meta name="d\u212a" content="2020-01-01"><meta name="date">',
        '<meta name="publication_date" content="5 May 2022"><meta name="date" content="2019-02-03">',
        '<meta property="og:site_name"><meta property="OG:Site_Name" content="A"><meta property='
        '"og:site_name" content="B"><meta name="og:site_name" content="C"><meta property="">',
        '<meta itemprop="og:site_name" content="D"><meta property="og:site_name" content="">'
        '<meta property="og:site_name" content=" E ">',
    ],
)
def test_meta_published_is_the_css_way(html: str) -> None:
    tree = LexborHTMLParser("<html><head>" + html + "</head><body>x</body></html>")
    assert _meta_published(tree) == _meta_published_by_css(tree)
    assert _og_site_name(tree) == _og_site_name_by_css(tree)


def _og_site_name_by_css(tree) -> str | None:
    og = (tree.head or tree.root).css_first('meta[property="og:site_name" i]')
    return clean_line(og.attributes.get("content") or "") if og is not None else None


@pytest.mark.parametrize("path", PAGES[::3], ids=[p.name for p in PAGES[::3]])
def test_meta_published_is_the_css_way_on_pages(path: Path) -> None:
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", "replace"))
    assert _meta_published(tree) == _meta_published_by_css(tree)
    assert _og_site_name(tree) == _og_site_name_by_css(tree)


_PAGE_QUERY_MARKUP = (
    '<head><base href="/a/"><base href="/b/"><script>x</script><meta name=x></head>'
    "<body><base><p>t<button>b</button><base href=/c/></p><svg><base href=/s/></svg></body>",
    "<body><base target=_blank><BASE HREF='/up/'><input><style>s</style><p>t</p></body>",
    '<main role=MAIN><a href="/FOI-Media/x.pdf" role=main>a</a></main><div role=" main">d</div>'
    "<noscript><main>n</main></noscript><button><main>b</main></button><svg><main>s</main></svg>",
    '<html role=main><nav><a href="/foi-media/n.pdf">n</a></nav><a href=/foi-mediax>x</a>'
    '<a href="/foi\u2011media/no">no</a><a hreF="/x/foi-MEDIA">y</a><area href=/foi-media/>',
    "<script role=main></script><select><main>in select</main><a href=/foi-media/s>s</a></select>",
    "<p>no base, no junk, no root</p>",
)


def _ids(nodes) -> list[int]:
    return [node.mem_id for node in nodes]


def _outer(nodes) -> list[str]:
    return [node.html for node in nodes]


def _page_groups_by_queries(text: str) -> tuple:
    """The root candidates, the root and the media anchors as the queries give them, each
    when the parser made it (elements of two parses compared by their markup)."""
    tree = LexborHTMLParser(text)
    content.remove_junk(tree)
    roots = list(dict.fromkeys(_outer(tree.css(content.ROOT_SELECTORS[0]))))
    root, _ = content.choose_root(tree)
    content.remove_chrome(tree, root, scope=root)
    media = _outer(tree.body.css(FOI_MEDIA_SELECTOR)) if tree.body is not None else []
    return roots, _outer([root]) if root else None, media, tree.html


def _page_groups_by_one_query(text: str) -> tuple:
    tree = LexborHTMLParser(text)
    page = query_page(tree)
    content.remove_junk(tree, page.junk)
    html_id = tree.root.mem_id if tree.root is not None else None
    roots = list(dict.fromkeys(_outer(n for n in page.roots if content.is_under(n, html_id))))
    root, _ = content.choose_root(tree, page.roots)
    content.remove_chrome(tree, root, scope=root)
    body = tree.body
    media = _outer(n for n in page.foi_media if content.is_under(n, body.mem_id)) if body else []
    return roots, _outer([root]) if root else None, media, tree.html


@pytest.mark.parametrize("html", PAGES + list(_PAGE_QUERY_MARKUP), ids=str)
def test_one_page_query_is_the_four(html) -> None:
    text = html.read_bytes().decode("utf-8", "replace") if isinstance(html, Path) else html
    tree = LexborHTMLParser(text)
    page = query_page(tree)
    # Before any removal the groups are the queries' matches, element for element.
    assert _ids(page.junk) == _ids(tree.css(chrome.JUNK_SELECTOR))
    assert _ids(page.base) == _ids(tree.css("base[href]"))
    assert _ids(page.foi_media) == _ids(tree.css(FOI_MEDIA_SELECTOR))
    junk = set(_ids(page.junk))
    # (lexbor lists an element once per selector it matches: `<main role=main>` twice)
    roots = dict.fromkeys(_ids(tree.css(content.ROOT_SELECTORS[0])))
    assert _ids(page.roots) == [mem_id for mem_id in roots if mem_id not in junk]
    # After the removals, the parser's steps read the same tree either way.
    assert _page_groups_by_one_query(text) == _page_groups_by_queries(text)


_TAGS = st.sampled_from(
    ["p", "base", "script", "svg", "button", "main", "a", "nav", "noscript", "select", "div"]
)
_ATTRS = st.sampled_from(
    ["", " href=/x/", " HREF='/Foi-Media/y.pdf'", " href", " role=Main", " role=main-x"]
)


@settings(max_examples=300, database=None, deadline=None)
@given(st.lists(st.tuples(_TAGS, _ATTRS, st.booleans()), max_size=12))
def test_one_page_query_on_generated_markup(parts) -> None:
    html = "".join(f"<{t}{a}>x" + (f"</{t}>" if close else "") for t, a, close in parts)
    test_one_page_query_is_the_four(html)


def _plain_drop_chrome_lines(lines: list[str]) -> list[str]:
    """`chrome.drop_chrome_lines` the plain way: every line through `strip_chrome_text`."""
    out: list[str] = []
    in_widget, after_banner = False, True
    for line in lines:
        norm = chrome.normalise_for_match(line)
        if in_widget and len(line) < 40 and norm in chrome._WIDGET_FOLLOWERS:
            continue
        in_widget = False
        if after_banner and chrome._is_site_notice(line):
            continue
        if line[:4].lower() == "home" and len(line) <= 300 and chrome._BREADCRUMB_TEXT.match(norm):
            continue
        kept = chrome.strip_chrome_text(line) if chrome._may_hold_chrome(line) else line
        if kept:
            out.append(kept)
            after_banner = kept != line and chrome._is_site_notice(kept)
            if after_banner:
                out.pop()
        else:
            in_widget, after_banner = norm in chrome._WIDGET_LEADS, True
    return out


def _plain_strip_chrome_text(line: str) -> str:
    """`chrome.strip_chrome_text` the plain way: every line's normal form made and read."""
    if not chrome._may_hold_chrome(line):
        return line if line and not line.isspace() else ""
    norm = chrome.fold_quotes(" ".join(line.split())).lower()
    if norm in chrome._WHOLE_LINES:
        return ""
    if len(norm) <= chrome._CHROME_PATTERN_MAX_LEN and chrome._CHROME_PATTERNS.match(norm):
        return ""
    return chrome.cut_sentences(line, norm)


_CHROME_PIECES = st.sampled_from(
    [" ", "  ", "\xa0", "\n", "We", "we", "page", "site.", "\u03a3", "\u0130", "\u212a", "K"]
    + ["\u2019", "\u201c", "Share", "Home > ", "x", "Yes", "No", "Was this page helpful?"]
    + [s.upper() for s in chrome._SENTENCES[::4]]
    + list(chrome._SENTENCES[1::4])
    + ["Skip to main content", "Accept all cookies", "Leave this site", "Cookies notice"]
)
_LONG_FILLER = st.sampled_from(["", "a" * 400, "words " * 90, "\u03a3 " * 220])


@settings(max_examples=3000, database=None, deadline=None)
@given(st.lists(_CHROME_PIECES | st.text(max_size=4), max_size=10), _LONG_FILLER, st.booleans())
def test_strip_chrome_text_is_the_plain_way(pieces, filler, filler_first) -> None:
    parts = [filler, *pieces] if filler_first else [*pieces, filler]
    spaced = " ".join(parts)
    for line in ("".join(pieces), "".join(parts), spaced, clean_line(spaced)):
        assert chrome.strip_chrome_text(line) == _plain_strip_chrome_text(line), repr(line)


@settings(max_examples=1000, database=None, deadline=None)
@given(st.lists(st.lists(_CHROME_PIECES, max_size=6).map("".join), max_size=8), _LONG_FILLER)
def test_drop_chrome_lines_is_the_plain_way(lines, filler) -> None:
    lines = (
        lines
        + [f"{filler} {line}" for line in lines[:2]]
        + [f"{line} {filler}" for line in lines[-2:]]
    )
    for sample in (lines, [clean_line(line) for line in lines]):
        assert chrome.drop_chrome_lines(sample) == _plain_drop_chrome_lines(sample)


@settings(max_examples=2000, database=None, deadline=None)
@given(st.lists(_PIECES | _CHROME_PIECES | st.text(max_size=3), max_size=14).map("".join))
def test_clean_means_split_and_joined(text: str) -> None:
    if chrome._is_clean(text):
        assert " ".join(text.split()) == text
    if text.isprintable():  # (clean_line's lines are, nearly always: the fast case)
        assert chrome._is_clean(clean_line(text))


@pytest.mark.parametrize("path", PAGES[::3], ids=[p.name for p in PAGES[::3]])
def test_drop_chrome_lines_is_the_plain_way_on_pages(path: Path) -> None:
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", "replace"))
    lines = text_lines(tree.body) if tree.body is not None else []
    assert chrome.drop_chrome_lines(lines) == _plain_drop_chrome_lines(lines)
