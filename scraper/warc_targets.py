"""Which captured URLs belong to the archive: response pages and attachments of a
configured site, whatever the scheme the web archive captured them under.

A web archive holds everything a browser or crawler touched: images, scripts, other
hosts. Only a site's response pages (`SiteDefinition.is_detail_path`) and its
attachments (`is_attachment_path`) are imported; each is re-spelled on the site's own
base URL, so `http://www.met.police.uk/...` captured in 2019 and the live
`https://www.met.police.uk/...` are one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from parsers.sites import SITES, SiteDefinition
from scraper.discover import canonical_page_url

PAGE = "page"
ATTACHMENT = "attachment"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    url: str  # on the site's base URL; pages in the crawler's one spelling
    kind: str  # PAGE | ATTACHMENT


class SiteTargets:
    """Every force in parsers/sites.py, plus the configured --site (a mirror, a proxy)."""

    def __init__(self, configured: SiteDefinition | None = None) -> None:
        sites = list(SITES.values()) + ([configured] if configured else [])
        self._by_host: dict[tuple[str, int | None], SiteDefinition] = {}
        for site in sites:
            self._by_host.setdefault(_host(site.base_url), site)

    def target(self, url: str) -> Target | None:
        try:
            parts = urlsplit(url.strip())
            site = self._by_host.get(_host(url))
        except ValueError:  # a malformed URL in someone's WARC (bad port, bad IPv6)
            return None
        if site is None or parts.scheme.lower() not in _DEFAULT_PORTS:
            return None
        base = urlsplit(site.base_url)
        rebased = urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        if site.is_detail_path(parts.path):
            return Target(canonical_page_url(rebased), PAGE)
        if site.is_attachment_path(parts.path):
            return Target(rebased, ATTACHMENT)
        return None


def _host(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    port = parts.port
    if port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        port = None
    return (parts.hostname or "").lower(), port
