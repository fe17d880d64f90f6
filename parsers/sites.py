"""Site definitions: everything that differs between forces on the same platform.

Another police force on the same website platform is a new entry here, not new code.
Plain data only, so both the crawler and the pure parsers can read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteDefinition:
    key: str
    name: str
    base_url: str
    # The site-wide lister of published items, and the query that keeps it to the
    # disclosure log (other document types, such as the publication scheme, share it).
    lister_path: str
    lister_params: tuple[tuple[str, str], ...]
    # Path of a response page, relative to the site root.
    detail_path_re: str
    attachment_path_prefix: str
    sitemap_path: str = "/sitemap.xml"
    reference_prefix: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())

    def is_detail_path(self, path: str) -> bool:
        return re.fullmatch(self.detail_path_re, path) is not None

    def is_attachment_path(self, path: str) -> bool:
        return path.startswith(self.attachment_path_prefix)


MPS = SiteDefinition(
    key="mps",
    name="Metropolitan Police Service",
    base_url="https://www.met.police.uk",
    lister_path="/foi-ai/af/accessing-information/published-items/",
    lister_params=(("dt", "Disclosure log"),),
    # 2023 onwards: /disclosure-2024/august-2024/<slug>/ ; 2022 and earlier:
    # /d/july-2022/<slug>/ ; month segments have been seen as "january---2026".
    detail_path_re=r"/foi-ai/metropolitan-police/(?:disclosure-\d{4}|d)/[a-z]+-*\d{4}/[^/?#]+/?",
    attachment_path_prefix="/SysSiteAssets/foi-media/metropolitan-police/",
    reference_prefix="01",
)

NORTH_YORKSHIRE = SiteDefinition(
    key="north-yorkshire",
    name="North Yorkshire Police",
    base_url="https://www.northyorkshire.police.uk",
    lister_path="/foi-ai/af/accessing-information/published-items/",
    lister_params=(("dt", "Disclosure log"),),
    detail_path_re=r"/foi-ai/north-yorkshire-police/disclosure[^/]*/(?:[^/?#]+/){1,3}",
    attachment_path_prefix="/SysSiteAssets/foi-media/north-yorkshire-police/",
)

SITES = {s.key: s for s in (MPS, NORTH_YORKSHIRE)}


def site_for(key_or_url: str) -> SiteDefinition:
    """The definition for a site key ("mps") or for a base URL.

    An unknown base URL (a local mirror on loopback, a proxy) gets the MPS
    definition with that base URL: same paths, different host.
    """
    if key_or_url in SITES:
        return SITES[key_or_url]
    base = key_or_url.rstrip("/")
    for site in SITES.values():
        if site.base_url == base:
            return site
    from dataclasses import replace

    return replace(MPS, base_url=base)


# Welsh pages: /cy-GB/foi-ai/heddlu-dyfed-powys/... ; the force segment follows /foi-ai/.
_FORCE_SEGMENT = re.compile(r"^(?:/cy-GB)?/foi-ai/([^/?#]+)/", re.IGNORECASE)
# Welsh force slugs mapped to the platform's English slug.
WELSH_FORCE_SLUGS = {
    "heddlu-dyfed-powys": "dyfed-powys-police",
    "heddlu-de-cymru": "south-wales-police",
    "heddlu-gwent": "gwent-police",
    "heddlu-gogledd-cymru": "north-wales-police",
}


def language_from_url(url: str) -> str:
    """ "cy" for the platform's Welsh pages (`/cy-GB/...`), else "en"."""
    from urllib.parse import urlsplit

    return "cy" if urlsplit(url).path.lower().startswith("/cy-gb/") else "en"


def force_from_url(url: str) -> str | None:
    """The platform's English force slug from `/foi-ai/<force>/...`, or None."""
    from urllib.parse import urlsplit

    found = _FORCE_SEGMENT.match(urlsplit(url).path)
    if found is None or found.group(1).lower() == "af":
        return None
    slug = found.group(1).lower()
    return WELSH_FORCE_SLUGS.get(slug, slug)
