"""`parse_response(html, url) -> Response`: one published FOI response page, parsed.

Pure and deterministic: no network, files or database. Never raises: a page we
cannot make sense of gives a record with warnings (the raw page is kept elsewhere,
so a later parser version can do better with `foilog reparse`).

Steps: decode -> one lexbor parse -> page fields from the head (title, dates) ->
content root -> chrome removed (structure, then known text) -> text lines -> the
page-level fields here, the semantic fields from `parsers.questions`,
`parsers.exemptions` and `parsers.outcome`.

Field notes:
- `body_text` is the content's text lines joined with "\n" (chrome removed, empty
  lines dropped, `<ol>` items numbered, table rows as "a | b"), without the h1 title
  line and the "Published: ..." line: exactly the lines the semantic parsers read.
- `title`: the h1 (in the content root, else anywhere), else `<title>` without the
  site suffix. `published`: `<meta>` publication dates, else a "Published:" line,
  else the first `<time datetime>` in the content, else a date the response prints at
  its top ("Date: 29/07/25", "Version Date: ..."; see `parsers.body_dates`, which also
  gives `received`). `month`: from the URL only. `reference`/`reference_source`: see
  `parsers.reference`.
- `links`/`attachments`: see `parsers.links` (mailto kept, javascript: dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from parsers import content, semantic
from parsers.answer_groups import collect_answers
from parsers.body_dates import printed_dates
from parsers.chrome import HIDDEN_CLASSES, HIDDEN_SELECTOR, drop_chrome_lines, strip_chrome_text
from parsers.chrome_match import ascii_lower
from parsers.dates import (
    is_updated_line,
    month_from_url,
    parse_date,
    published_from_line,
    published_label_and_date,
)
from parsers.decoding import decode_html_utf8
from parsers.html_text import clean_line, text_lines
from parsers.links import base_for, collect_links, outside_attachments
from parsers.nesting import MAX_DEPTH, limit_nesting
from parsers.page_query import PageNodes, query_page
from parsers.record import Response
from parsers.reference import page_reference
from parsers.sites import SITES, force_from_url, language_from_url
from parsers.tables import RowCollector, read_tables

# When the content root holds less than this share of the page's text, check the body.
_ROOT_MIN_SHARE = 0.25
# `<meta>`s that give the publication date, by preference: (attribute, value), as the
# CSS `meta[attribute="value" i]` (ASCII case ignored).
_PUBLISHED_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datepublished"),
    ("name", "dcterms.issued"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "date"),
    ("name", "publish-date"),
    ("name", "publication_date"),
)
_SNIFF_CHARS = 4096
_TITLE_SEPARATORS = (" | ", " \u2013 ", " \u2014 ", " - ", " :: ")
_SITE_WORDS = frozenset(("police", "constabulary", "service", "gov.uk", "met"))


# Bugs we report in the record rather than raise: the raw page is kept, and a later
# parser version can be re-run over it (`foilog reparse`).
_INTERNAL_ERRORS = (
    SelectolaxError,
    ValueError,
    TypeError,
    AttributeError,
    LookupError,
    ArithmeticError,
    RuntimeError,
    MemoryError,
)


def parse_response(html: str | bytes, url: str) -> Response:
    """Parse one response page. Never raises; problems become `warnings`."""
    url = url if isinstance(url, str) else str(url)
    try:
        return _parse(html, url)
    except _INTERNAL_ERRORS as exc:
        # Last resort, reported not hidden: the record says the parser failed and why.
        return _empty(url, (f"internal parser error: {type(exc).__name__}: {exc}"[:300],))


def _semantic_fields(lines: list[str]) -> semantic.Analysis:
    """The semantic parsers' fields; if they fail, empty ones and a warning, page fields kept."""
    try:
        return semantic.analyse(lines)
    except _INTERNAL_ERRORS as exc:
        return semantic.failed(f"internal semantic parser error: {type(exc).__name__}: {exc}"[:300])


def _parse(html: str | bytes, url: str) -> Response:
    text, warnings, utf8 = _as_text(html)
    warnings = list(warnings)
    if not text.strip():
        return _empty(url, tuple(warnings) + ("empty page",))
    if _not_html(text[:_SNIFF_CHARS]):
        # A document, random bytes or error text served in place of the page: no
        # questions read out of it; the record says why.
        return _empty(url, tuple(warnings) + ("not an HTML page",))
    text, flattened = limit_nesting(text)
    if flattened:
        warnings.append(f"tags nested deeper than {MAX_DEPTH} flattened")
        utf8 = None
    # lexbor reads UTF-8: the bytes `_as_text` encoded save selectolax a second encoding.
    tree = LexborHTMLParser(text if utf8 is None else utf8)
    # One walk of the page finds what the steps below look up in the whole page.
    page = query_page(tree)
    base = base_for(tree, url, page.base)
    # read now: the junk removal below takes every <meta> out of the head
    metas = _head_metas(tree)
    meta_published, head_title = _meta_published(tree, metas), _head_title(tree)
    site_name = _og_site_name(tree, metas)
    found = _read_content(tree, warnings, head_title, site_name, page)
    title = found.h1 or _strip_site_suffix(head_title)
    if not title:
        warnings.append("no title found")
    lines, line_published = _drop_title_and_dates(found.lines, title if found.h1 else None)
    force = force_from_url(url)
    reference = page_reference(lines, title, url, force, _force_prefix(url))
    if reference is None:
        warnings.append("no reference found")
    if not lines:
        warnings.append("no text content found")
    printed = printed_dates(lines)
    found_meaning = _semantic_fields(lines)
    warnings.extend(found_meaning.warnings)
    links, attachments = _links(tree, found.root, base, page.foi_media)
    tables = read_tables(found.root, lines, found.rows)
    return Response(
        url=url,
        reference=reference.value if reference else None,
        title=title,
        month=month_from_url(url),
        published=meta_published or line_published or found.time_published or printed.response,
        request_text=found_meaning.request_text,
        questions=found_meaning.questions,
        exemptions=found_meaning.exemptions,
        outcome=found_meaning.outcome,
        ncnd=found_meaning.ncnd,
        body_text="\n".join(lines),
        links=links,
        attachments=attachments,
        answers=collect_answers(found_meaning.questions, tables),
        tables=tables,
        force=force,
        language=language_from_url(url),
        reference_source=reference.source if reference else None,
        received=printed.received,
        warnings=tuple(dict.fromkeys(warnings)),
    )


@dataclass
class _Content:
    root: object
    lines: list[str]
    h1: str | None
    time_published: str | None
    # The data tables' rows from the walk that made `lines`; None when the tree
    # changed after that walk (then the tables are read from the tree again).
    rows: RowCollector | None


def _read_content(
    tree,
    warnings: list[str],
    head_title: str | None,
    site_name: str | None,
    page: PageNodes,
) -> _Content:
    """The content root and its clean text lines (falling back to the body).

    `page`: `query_page(tree)`, taken while the tree was as now.
    """
    content.remove_junk(tree, page.junk)
    root, fallback = content.choose_root(tree, page.roots)
    if fallback:
        warnings.append("no content root found; used body")
    time_published = _time_published(root)
    content.remove_chrome(tree, root, scope=root)
    # After the chrome removal: an h1 in a cookie banner inside `main` is not the title.
    h1 = _h1_title(tree, root, head_title, site_name)
    if fallback and root is not None:
        content.remove_link_lists(root)
    rows: RowCollector | None = RowCollector()
    lines = _clean_lines(text_lines(root, rows)) if root is not None else []
    body = tree.body
    root_chars = _chars(lines, h1)
    if (
        not fallback
        and body is not None
        and content.root_looks_short(root_chars, root, body, _ROOT_MIN_SHARE)
    ):
        # An empty `main`, or one holding only the title: read the whole body instead.
        content.remove_chrome(tree, root, scope=body)
        content.remove_link_lists(body, keep=root)
        body_rows = RowCollector()
        body_lines = _clean_lines(text_lines(body, body_rows))
        body_chars = _chars(body_lines, h1)
        if body_chars > 2 * root_chars or (root_chars == 0 and body_chars > 0):
            lines, root, rows = body_lines, body, body_rows
            warnings.append("content root had little text; used body")
        else:
            rows = None  # the body's chrome removal may have changed the root
    return _Content(root=root, lines=lines, h1=h1, time_published=time_published, rows=rows)


def _links(tree, root, base: str, foi_media) -> tuple[tuple, tuple]:
    links, attachments = collect_links(root, base)
    more_links, more_attachments = outside_attachments(tree.body, root, base, links, foi_media)
    links, attachments = links + more_links, attachments + more_attachments
    # A link whose whole text is chrome ("Leave this site") sat in a chrome line.
    links = tuple(link for link in links if not link.text or strip_chrome_text(link.text))
    attachments = tuple(a for a in attachments if strip_chrome_text(a.title))
    return links, attachments


def _as_text(html) -> tuple[str, tuple[str, ...], bytes | None]:
    """(text, warnings, the text's UTF-8 bytes when this made them, else None)."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        return decode_html_utf8(html)
    if html is None:
        return "", (), None
    if not isinstance(html, str):
        return str(html), ("input was not str or bytes",), None
    try:
        utf8 = html.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a bad upstream decode
        replaced = html.encode("utf-8", "replace").decode("utf-8")
        return replaced, ("undecodable characters replaced",), None
    return html, (), utf8


_TAG = re.compile(r"<[A-Za-z!?/]")
# Control characters other than tab, newline, carriage return and form feed; and U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_CONTROL_CHARS = tuple(chr(code) for code in range(32) if _CONTROL.match(chr(code))) + ("\ufffd",)
_BINARY_STARTS = ("%PDF", "PK\x03\x04", "\x89PNG", "GIF8", "\x1f\x8b", "\xd0\xcf\x11\xe0")


def _not_html(head: str) -> bool:
    """No tag at all, a known binary format, or bytes that are mostly not text."""
    if head.lstrip().startswith(_BINARY_STARTS) or not _TAG.search(head):
        return True
    # Mostly none: a C substring scan per control character settles that faster than
    # a regex (or a Python loop) over every character; only then are they counted.
    if not any(char in head for char in _CONTROL_CHARS):
        return False
    return len(_CONTROL.findall(head)) > len(head) // 20


def _empty(url: str, warnings: tuple[str, ...]) -> Response:
    return Response(
        url=url,
        reference=None,
        title=None,
        month=month_from_url(url),
        published=None,
        request_text="",
        questions=(),
        exemptions=(),
        outcome="unknown",
        ncnd=False,
        body_text="",
        force=force_from_url(url),
        language=language_from_url(url),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _clean_lines(raw: list[str]) -> list[str]:
    return drop_chrome_lines(raw)


def _chars(lines: list[str], title: str | None = None) -> int:
    """Characters of text, not counting the title line (a `main` holding only the h1 is empty)."""
    chars = sum(map(len, lines))
    return chars - lines.count(title) * len(title) if title is not None else chars


def _drop_title_and_dates(lines: list[str], h1: str | None) -> tuple[list[str], str | None]:
    """Lines without the h1 title line(s), "Published: ..." and "Last updated: ..." lines; and the date."""
    published = None
    out = []
    skip = _title_lines(lines, h1)
    for i, line in enumerate(lines):
        if i in skip:
            continue
        date = published_from_line(line) if len(line) < 100 else None
        if date is None and len(line) < 30 and i + 1 < len(lines):
            date = published_label_and_date(line, lines[i + 1])
            if date is not None:
                skip.add(i + 1)
        if date:
            published = published or date
            continue
        if len(line) < 80 and is_updated_line(line):
            continue
        out.append(line)
    return out, published


def _title_lines(lines: list[str], h1: str | None) -> set[int]:
    """Indexes of the h1's line near the top (or of the lines a `<br>` split it into)."""
    if h1 is None:
        return set()
    for start in range(min(5, len(lines))):
        joined = ""
        for end in range(start, min(start + 4, len(lines))):
            joined = f"{joined} {lines[end]}" if joined else lines[end]
            if joined == h1:
                return set(range(start, end + 1))
            if len(joined) >= len(h1):
                break
    return set()


def _head(tree):
    """Where metas and the title live: the head (a small walk), else the whole document."""
    return tree.head or tree.root


def _head_metas(tree) -> dict[tuple[str, str], dict] | None:
    """The head's `<meta>`s (their attributes), by (attribute, ASCII-lowered value) of
    their `property`, `name` and `itemprop`: the first meta for each, as a CSS query
    `meta[attribute="value" i]` finds it. None without a head or document."""
    scope = _head(tree)
    if scope is None:
        return None
    # One query and each meta's attributes read once, not a CSS query per kind of meta.
    first: dict[tuple[str, str], dict] = {}
    for meta in scope.css("meta"):
        attrs = meta.attributes
        for attribute in _META_KEYS:
            value = attrs.get(attribute)
            if value:  # (an empty value equals no looked-for value)
                first.setdefault((attribute, ascii_lower(value)), attrs)
    return first


_META_KEYS = ("property", "name", "itemprop")


def _meta_published(tree, metas: dict | None = None) -> str | None:
    metas = _head_metas(tree) if metas is None else metas
    if metas is None:
        return None
    for key in _PUBLISHED_META:
        attrs = metas.get(key)
        if attrs is not None:
            # Only the first such meta counts, as `css_first` gave it.
            found = parse_date(attrs.get("content") or "")
            if found:
                return found
    return None


def _time_published(root) -> str | None:
    if root is None:
        return None
    node = root.css_first("time[datetime]")
    return parse_date(node.attributes.get("datetime") or "") if node is not None else None


def _head_title(tree) -> str | None:
    head = _head(tree)
    node = head.css_first("title") if head is not None else None
    return clean_line(node.text(deep=True)) if node is not None else None


def _h1_title(tree, root, head_title: str | None, site_name: str | None) -> str | None:
    """The root's h1, else the page's; never one that is just the site's name (a logo)."""
    title = head_title if _head_untouched(tree, root) else _head_title(tree)
    site_names = _site_names(title, site_name)
    for node in _h1_candidates(tree, root):
        text = strip_chrome_text(clean_line(_visible_text(node)))
        if text and text.lower() not in site_names:
            return text
    return None


def _head_untouched(tree, root) -> bool:
    """Whether the `<title>` `_parse` read before the junk and chrome removals is still
    the one `_head_title` reads: they remove nothing from the head unless the content
    root holds it (a root on `<html>` or `<head>`, or no `<head>` at all)."""
    return tree.head is not None and root is not None and root.tag not in ("html", "head")


def _h1_candidates(tree, root):
    """The root's h1s, then the page's: the page is queried only if none of the root's is
    the title (a whole-tree query on every page otherwise)."""
    if root is not None:
        yield from root.css("h1")
    yield from tree.css("h1")


_INVISIBLE = ",".join(["." + name for name in sorted(HIDDEN_CLASSES)] + [HIDDEN_SELECTOR])


def _visible_text(node) -> str:
    """Text without screen-reader-only parts ("<span class=visually-hidden>Page title:</span>")."""
    # The h1's own text lines, joined: a `<br>` in a heading is a space, not nothing.
    text = " ".join(text_lines(node))
    if next(node.iter(), None) is None:
        return text  # no child elements, so nothing inside is hidden (and no query)
    for hidden in node.css(_INVISIBLE):
        if hidden.mem_id != node.mem_id:
            text = text.replace(clean_line(hidden.text(deep=True)), " ", 1)
    return text


def _og_site_name(tree, metas: dict | None = None) -> str | None:
    """The site's name as the page declares it (`<meta property="og:site_name">`)."""
    metas = _head_metas(tree) if metas is None else metas
    og = metas.get(("property", "og:site_name")) if metas is not None else None
    return clean_line(og.get("content") or "") if og is not None else None


def _site_names(title: str | None, site_name: str | None) -> set[str]:
    names = {"metropolitan police", "metropolitan police service", "the met"}
    if site_name:
        names.add(site_name.lower())
    stripped = _strip_site_suffix(title)
    if title and stripped and stripped != title:
        names.add(title[len(stripped) :].strip(" |-\u2013\u2014:").lower())
    return names


def _strip_site_suffix(title: str | None) -> str | None:
    if not title:
        return None
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if head.strip() and (sep == " | " or _SITE_WORDS & set(tail.lower().split())):
                return head.strip()
    return title


def _force_prefix(url: str) -> str | None:
    """The site's reference prefix ("01" for the MPS) when the URL is one of its pages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    for site in SITES.values():
        if site.reference_prefix and (
            site.is_detail_path(parts.path) or urlsplit(site.base_url).netloc == parts.netloc
        ):
            return site.reference_prefix
    return None
