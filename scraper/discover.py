"""Finding response pages: the published-items lister first, sitemap.xml second.

The lister is walked newest first; incrementally it stops after the first page whose
disclosure-log items are all already known. Every URL found is written to the crawl
state before it is fetched, so a refresh killed mid-discovery never forgets one.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from db.pages import PageStore
from parsers import parse_listing, parse_sitemap
from parsers.listing import sitemap_children
from parsers.record import ListingItem
from parsers.sites import SiteDefinition
from scraper.fetch import Fetcher, FetchResult, SiteUnreachable

log = logging.getLogger(__name__)

INCOMPLETE_WALK = "lister_walk_incomplete_since"
MAX_LISTER_PAGES = 5000
MAX_CHILD_SITEMAPS = 200  # a loop guard far above the site's size (~thousands of items)


class SiteChangedShape(Exception):
    """The site no longer looks like the one we parse (exit 3)."""


@dataclass
class Discovery:
    new_urls: list[str] = field(default_factory=list)
    sitemap_urls: list[str] = field(default_factory=list)
    # known pages whose sitemap <lastmod> is newer than our last fetch: revisit tonight
    sitemap_changed: list[str] = field(default_factory=list)
    lister_requests: int = 0
    lister_items: int = 0
    warnings: list[str] = field(default_factory=list)


def lister_url(site: SiteDefinition) -> str:
    query = urlencode(site.lister_params)
    return f"{site.base_url.rstrip('/')}{site.lister_path}" + (f"?{query}" if query else "")


def canonical_page_url(url: str) -> str:
    """One spelling per page: no fragment, lower-case host, a trailing slash.

    The lister links some pages without the trailing slash and the site answers those
    with a 301 to the slash form; the sitemap uses the slash form. Without this one
    page would be fetched and archived twice.
    """
    parts = urlsplit(url.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def is_disclosure_item(item: ListingItem, site: SiteDefinition) -> bool:
    """A detail page on the site whose document type (when shown) is the disclosure log."""
    parts = urlsplit(item.url)
    if parts.netloc != urlsplit(site.base_url).netloc or not site.is_detail_path(parts.path):
        return False
    wanted = dict(site.lister_params).get("dt", "Disclosure log").lower()
    return item.doc_type is None or item.doc_type.strip().lower() == wanted


async def discover_listing(
    fetcher: Fetcher,
    store: PageStore,
    site: SiteDefinition,
    *,
    full: bool,
    now: str,
    into: Discovery,
) -> None:
    """Walk the lister; put URLs not yet known into `into.new_urls` (and the store).

    A walk that was cut short (a failed page, a kill) leaves a flag behind, and the
    next walk goes to the end instead of stopping at the first known page: otherwise
    the items beyond the break would never be listed again.
    """
    full = full or store.get_flag(INCOMPLETE_WALK) is not None
    store.set_flag(INCOMPLETE_WALK, now)
    url: str | None = lister_url(site)
    walked: set[str] = set()
    listed_in_walk: set[str] = set()
    while url and url not in walked and len(walked) < MAX_LISTER_PAGES:
        walked.add(url)
        result = await fetcher.get(url, kind="listing")
        into.lister_requests += 1
        if not result.ok:
            _lister_failed(result, first=len(walked) == 1, into=into)
            return
        store.store(url, 200, result.headers, result.body, now, kind="listing")
        page = _parse_listing_page(result, site)
        items = [i for i in page.items if is_disclosure_item(i, site)]
        into.lister_items += len(items)
        listed = dict.fromkeys(canonical_page_url(i.url) for i in items)
        if listed and listed_in_walk.issuperset(listed):
            # A lister whose "next" page repeats items already walked would otherwise
            # be followed to MAX_LISTER_PAGES (hours at 1 request/s), even with --full.
            log.warning("lister page %s repeats earlier items; walk stopped", url)
            break
        listed_in_walk.update(listed)
        known = store.known_among(listed, "page")  # this page's items only, not the store
        fresh = [u for u in listed if u not in known]
        store.note_discovered(fresh, "page", now)
        into.new_urls.extend(fresh)
        if items and not fresh and not full:
            break  # a full page of items we already have: the rest is older
        url = page.next_url
    store.set_flag(INCOMPLETE_WALK, None)
    if into.lister_items == 0:
        raise SiteChangedShape(f"the lister {lister_url(site)} yielded no disclosure-log items")


def _parse_listing_page(result: FetchResult, site: SiteDefinition):
    try:
        return parse_listing(result.body, result.final_url, site)
    # The parser's own errors are named; any error on the lister means its markup moved.
    except Exception as exc:  # noqa: BLE001
        raise SiteChangedShape(
            f"the lister page {result.url} could not be parsed ({type(exc).__name__}: {exc})"
        ) from exc


def _lister_failed(result: FetchResult, *, first: bool, into: Discovery) -> None:
    if not first:
        into.warnings.append(f"lister page {result.url} failed: {result.error}")
        return
    if result.status == 0 or result.status >= 500:
        raise SiteUnreachable(f"cannot read the lister {result.url} ({result.error})")
    raise SiteChangedShape(
        f"the lister {result.url} answered HTTP {result.status}"
        + (f" ({result.error})" if result.error else "")
    )


async def discover_sitemap(
    fetcher: Fetcher, store: PageStore, site: SiteDefinition, *, now: str, into: Discovery
) -> None:
    """Detail URLs that only the sitemap knows. Cheap: conditional GETs, usually 304.

    A sitemap index is followed one level down (child sitemaps on the site only).
    """
    url = f"{site.base_url.rstrip('/')}{site.sitemap_path}"
    children = await _read_sitemap(fetcher, store, site, url, now=now, into=into)
    for child in children[:MAX_CHILD_SITEMAPS]:
        if fetcher.is_on_site(child):
            await _read_sitemap(fetcher, store, site, child, now=now, into=into)


async def _read_sitemap(
    fetcher: Fetcher, store: PageStore, site: SiteDefinition, url: str, *, now: str, into: Discovery
) -> list[str]:
    """Read one sitemap; note its new detail URLs; return its child sitemaps, if an index."""
    previous = store.known(url)
    result = await fetcher.get(
        url,
        kind="sitemap",
        etag=previous.etag if previous else None,
        last_modified=previous.last_modified if previous else None,
    )
    if result.status == 304:
        stored = store.latest(url)  # unchanged: its children may still have news
        return sitemap_children(_gunzip(stored.body), url) if stored else []
    if result.status in (404, 410):
        return []
    if not result.ok:
        into.warnings.append(f"sitemap {url} failed: {result.error}")
        return []
    try:
        xml = _gunzip(result.body)
        items = parse_sitemap(xml, result.final_url, site)
        children = sitemap_children(xml, result.final_url)
    # A broken sitemap is a second source going quiet, not a reason to stop the run.
    except Exception as exc:  # noqa: BLE001
        into.warnings.append(f"sitemap {url} could not be read ({type(exc).__name__}: {exc})")
        return []
    listed = {canonical_page_url(i.url): i.date for i in items if is_disclosure_item(i, site)}
    known = store.known_among(listed, "page")
    fresh = [u for u in listed if u not in known and u not in into.sitemap_urls]
    into.sitemap_changed.extend(
        u
        for u, lastmod in listed.items()
        if u in known and _newer(lastmod, known[u].last_fetched_at)
    )
    with store.transaction():
        # stored together with what it taught us, so a kill cannot lose the new URLs
        store.store(url, 200, result.headers, result.body, now, kind="sitemap")
        store.note_discovered(fresh, "page", now)
    into.sitemap_urls.extend(fresh)
    return children


def _newer(lastmod: str | None, fetched_at: str | None) -> bool:
    """A sitemap date on or after the day we last fetched the page (ISO dates compare as text)."""
    if not lastmod or not fetched_at or not lastmod[:4].isdigit():
        return False
    return lastmod[:10] >= fetched_at[:10]  # same day: a conditional GET settles it


def _gunzip(body: bytes, limit: int = 50 * 1024 * 1024) -> bytes:
    """`sitemap.xml.gz` arrives gzipped without Content-Encoding; bounded like a page."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = decoder.decompress(body, limit + 1)
    if len(out) > limit or decoder.unconsumed_tail:
        raise ValueError(f"gzipped sitemap decodes to more than {limit} bytes")
    return out
