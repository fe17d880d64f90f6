"""Placeholder: replaced by the parser's owner."""
from parsers.record import ListingPage
from parsers.sites import SiteDefinition


def parse_listing(html: str | bytes, url: str, site: SiteDefinition) -> ListingPage:
    raise NotImplementedError


def parse_sitemap(xml: str | bytes, url: str, site: SiteDefinition) -> list:
    raise NotImplementedError
