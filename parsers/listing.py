"""Lister pages and sitemaps -> the response pages they point to.

Generic on purpose (the lister's markup is unknown and will change): an item is any
link whose absolute URL is on the site's host and whose path `site.is_detail_path()`
accepts (first occurrence kept, `main` first). Its title is the link text (the card's
heading when the link is a whole card or says only "Read more"); its date and document
type are read from the nearest container that holds only that item (an `li`,
`article`, `tr`, or a `div` with few links): `<time datetime>`, else a "Published"
date, else a short date field, else any date outside the title. The next page is
`rel=next`, a "Next"/"›"/"»" link, or the link to page current + 1 (`?page=N` or
`/page/N/`). Sitemaps: `parse_sitemap` for `<urlset>`, `sitemap_children` for an index.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from parsers.dates import parse_date
from parsers.decoding import decode_html
from parsers.html_text import clean_line
from parsers.links import base_for, resolve
from parsers.nesting import limit_nesting
from parsers.record import ListingItem, ListingPage
from parsers.sites import SiteDefinition

DOC_TYPES = ("Disclosure log", "Publication scheme", "FOI request", "Policy", "Procedure")
_CONTAINER_TAGS = frozenset(("li", "article", "tr", "div", "section", "dd"))
_MAX_CONTAINER_UP = 6
_MAX_CONTAINER_CHARS = 2000
# "Updated 5 June 2024 | Published 3 May 2024": the published date is the item's.
_PUBLISHED_NEAR = re.compile(r"published\W{0,3}(.{0,40})", re.I)
_CARD_BLOCKS = "h1, h2, h3, h4, h5, h6, p, div, time, dl"
# Link texts that are not titles: the title is then the item's heading.
_GENERIC_LINK_TEXT = frozenset(
    (
        "read more",
        "more",
        "view",
        "view details",
        "find out more",
        "continue reading",
        "details",
        "open",
        "see more",
        "read full response",
        "\u2192",
        "\u00bb",
    )
)
_NEXT_WORDS = frozenset(
    ("next", "next page", "next results", "›", "»", "next ›", "next »", "next >", ">", ">>", "→")
)
_LOC = re.compile(r"<(?:\w+:)?loc>\s*([^<]{1,4096}?)\s*</(?:\w+:)?loc>", re.I)
_LASTMOD = re.compile(r"<(?:\w+:)?lastmod>\s*([^<]{1,64}?)\s*</(?:\w+:)?lastmod>", re.I)


def parse_listing(html: str | bytes, url: str, site: SiteDefinition) -> ListingPage:
    """The detail-page items and the next page of one lister (or month hub) page."""
    text = (
        decode_html(html)[0] if isinstance(html, (bytes, bytearray, memoryview)) else (html or "")
    )
    if not text.strip():
        return ListingPage(url=url, items=(), warnings=("empty page",))
    text, _ = limit_nesting(text)  # quadratic tree building otherwise (see parsers.nesting)
    tree = LexborHTMLParser(text)
    base = base_for(tree, url)
    items = _items(tree, base, site)
    warnings = ("no items found",) if not items else ()
    if items and not any(item.date for item in items):
        # The crawler uses listed dates to decide what changed: their loss is a shape change.
        warnings += ("no item dates found",)
    return ListingPage(
        url=url, items=tuple(items), next_url=_next_url(tree, base, url), warnings=warnings
    )


def parse_sitemap(xml: str | bytes, url: str, site: SiteDefinition) -> list[ListingItem]:
    """Detail-page entries of a sitemap (`<url><loc>` with optional `<lastmod>`)."""
    text = (
        xml.decode("utf-8", errors="replace")
        if isinstance(xml, (bytes, bytearray))
        else (xml or "")
    )
    items: dict[str, ListingItem] = {}
    for block in text.split("</url>"):
        loc = _LOC.search(block)
        if loc is None:
            continue
        found = _detail_url(html_lib.unescape(loc.group(1)), url, site)
        if found and found not in items:
            lastmod = _LASTMOD.search(block)
            items[found] = ListingItem(
                url=found, date=parse_date(lastmod.group(1)) if lastmod else None
            )
    return list(items.values())


def sitemap_children(xml: str | bytes, url: str) -> list[str]:
    """The child sitemap URLs of a sitemap index (`<sitemapindex><sitemap><loc>`), absolute."""
    text = (
        xml.decode("utf-8", errors="replace")
        if isinstance(xml, (bytes, bytearray))
        else (xml or "")
    )
    children: dict[str, None] = {}
    for block in text.split("</sitemap>")[:-1]:
        start = block.rfind("<sitemap")
        loc = _LOC.search(block, start if start >= 0 else 0)
        found = resolve(html_lib.unescape(loc.group(1)), url) if loc else None
        if found and found.startswith("http"):
            children[found] = None
    return list(children)


def _items(tree, base: str, site: SiteDefinition) -> list[ListingItem]:
    body = tree.body or tree.root
    if body is None:
        return []
    main = tree.css_first('main, [role="main" i]')
    anchors = (main.css("a[href]") if main is not None else []) + body.css("a[href]")
    found: dict[str, ListingItem] = {}
    for anchor in anchors:
        item_url = _detail_url(anchor.attributes.get("href") or "", base, site)
        if item_url is None:
            continue
        title = _anchor_title(anchor)
        if item_url in found:
            if found[item_url].title is None and title:
                found[item_url] = ListingItem(
                    item_url, title, found[item_url].date, found[item_url].doc_type
                )
            continue
        container = _container(anchor, base, site)
        if container is None and anchor.css_first(_CARD_BLOCKS) is not None:
            container = anchor  # the whole card is the link
        if container is not None and (title is None or title.lower() in _GENERIC_LINK_TEXT):
            heading = container.css_first("h1, h2, h3, h4, h5, h6, strong")
            title = clean_line(heading.text(deep=True)) if heading is not None else title
        date, doc_type = _container_facts(container, title)
        found[item_url] = ListingItem(
            url=item_url, title=title or None, date=date, doc_type=doc_type
        )
    return list(found.values())


def _anchor_title(anchor) -> str | None:
    """The link's title: its heading when the whole card is the link, else its text."""
    heading = anchor.css_first("h1, h2, h3, h4, h5, h6")
    node = heading if heading is not None and heading.mem_id != anchor.mem_id else anchor
    return (
        clean_line(node.text(deep=True)) or clean_line(anchor.attributes.get("title") or "") or None
    )


def _detail_url(href: str, base: str, site: SiteDefinition) -> str | None:
    url = resolve(href, base)
    if url is None:
        return None
    parts = urlsplit(url)
    if _host(parts.netloc) != _host(urlsplit(site.base_url).netloc) or not site.is_detail_path(
        parts.path
    ):
        return None
    # Percent-encoded dot segments ("may-2025/%2e%2e/", "..%2f..%2fetc") pass the path
    # pattern but name another page once decoded: not a response page.
    decoded = unquote(parts.path)
    if (
        "\\" in decoded
        or "\x00" in decoded
        or not site.is_detail_path(decoded)
        or any(segment in (".", "..") for segment in decoded.split("/"))
    ):
        return None
    return urlunsplit(parts._replace(fragment=""))


def _host(netloc: str) -> str:
    host = netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _container_facts(container, title: str | None) -> tuple[str | None, str | None]:
    if container is None:
        return None, None
    time = container.css_first("time[datetime]")
    date = parse_date(time.attributes.get("datetime") or "") if time is not None else None
    text = clean_line(container.text(deep=True, separator=" "))
    if title:
        text = text.replace(title, " ")
    published = _PUBLISHED_NEAR.search(text)
    date = (
        date
        or (parse_date(published.group(1)) if published else None)
        or _date_field(container, title)
    )
    date = date or parse_date(text)
    lowered = text.lower()
    doc_type = next((label for label in DOC_TYPES if label.lower() in lowered), None)
    return date, doc_type


def _date_field(container, title: str | None) -> str | None:
    """A date that is a field of its own (a short element), not one inside a summary."""
    for node in container.css(_DATE_FIELDS):
        text = clean_line(node.text(deep=True))
        if len(text) <= _DATE_FIELD_CHARS and (not title or title not in text):
            found = parse_date(text)
            if found:
                return found
    return None


_DATE_FIELDS = "time, span, small, p, dd, td, li, div, em, strong"
_DATE_FIELD_CHARS = 60


def _container(anchor, base: str, site: SiteDefinition):
    """The nearest ancestor that holds this item and no other."""
    node = anchor.parent
    for _ in range(_MAX_CONTAINER_UP):
        if node is None or node.tag in ("body", "html", "main", "ul", "ol", "table", "tbody"):
            return None
        if node.tag in _CONTAINER_TAGS:
            links = {
                _detail_url(a.attributes.get("href") or "", base, site) for a in node.css("a[href]")
            }
            links.discard(None)
            if len(links) > 1:
                return None
            short = len(node.text(deep=True)) <= _MAX_CONTAINER_CHARS
            if short and (node.tag != "div" or len(node.css("a[href]")) <= 4):
                return node
        node = node.parent
    return None


def _next_url(tree, base: str, page_url: str) -> str | None:
    for selector in ('link[rel~="next" i][href]', 'a[rel~="next" i][href]'):
        node = tree.css_first(selector)
        if node is not None:
            found = resolve(node.attributes.get("href") or "", base)
            if found and found != page_url:
                return found
    anchors = tree.css("a[href]")
    for anchor in anchors:
        label = clean_line(anchor.text(deep=True)).lower()
        aria = clean_line(
            anchor.attributes.get("aria-label") or anchor.attributes.get("title") or ""
        ).lower()
        if (
            label in _NEXT_WORDS
            or aria in _NEXT_WORDS
            or aria.startswith("next")
            or label.startswith("next ")
        ):
            found = resolve(anchor.attributes.get("href") or "", base)
            if found and found != page_url:
                return found
    return _page_number_link(anchors, base, page_url)


def _page_number_link(anchors: list, base: str, page_url: str) -> str | None:
    """The link to page current+1 of the same lister (`?page=N` or `/page/N/`)."""
    current = _page_of(page_url) or 1
    lister = _lister_path(page_url)
    for anchor in anchors:
        found = resolve(anchor.attributes.get("href") or "", base)
        if found and _page_of(found) == current + 1 and _lister_path(found) == lister:
            return found
    return None


_PATH_PAGE = re.compile(r"/page/(\d{1,6})/?$")


def _page_of(url: str) -> int | None:
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in ("page", "p", "pg") and value.isdigit():
            return int(value)
    match = _PATH_PAGE.search(parts.path)
    return int(match.group(1)) if match else None


def _lister_path(url: str) -> str:
    return _PATH_PAGE.sub("/", urlsplit(url).path).rstrip("/")
