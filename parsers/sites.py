"""Site definitions: everything that differs between forces on the same platform.

Another police force on the same website platform is a new entry in `forces.toml`
(next to this module), not new code. Plain data only, so both the crawler and the
pure parsers can read it; the file is read once, at import.
"""

from __future__ import annotations

import pkgutil
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlsplit

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class SlugReference:
    """A reference the force puts in the item slug: `pattern` (searched), `format`."""

    pattern: str
    format: str


@dataclass(frozen=True)
class SiteDefinition:
    key: str  # the platform's English force slug ("metropolitan-police")
    name: str
    base_url: str
    # The site-wide lister of published items, and the query that keeps it to the
    # disclosure log (other document types, such as the publication scheme, share it).
    lister_path: str
    lister_params: tuple[tuple[str, str], ...]
    # Full-match regexes for a response page's path, relative to the site root, with
    # named groups year / month / mm / slug (see forces.toml).
    detail_patterns: tuple[str, ...]
    attachment_path_prefix: str
    sitemap_path: str = "/sitemap.xml"
    reference_prefix: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())
    aliases: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()  # every live host spelling, the first is base_url's
    welsh_slug: str | None = None
    welsh_sections: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ("en",)
    reference_patterns: tuple[str, ...] = ()
    reference_in_slug: tuple[SlugReference, ...] = ()
    evidence: str = "pages"

    @property
    def force(self) -> str:
        return self.key

    @property
    def detail_path_re(self) -> str:
        """All detail patterns as one regex (named groups dropped)."""
        return "|".join(f"(?:{_NAMED_GROUP.sub('(?:', p)})" for p in self.detail_patterns)

    @cached_property
    def _compiled(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.detail_patterns)

    @property
    def base_path(self) -> str:
        """The path part of base_url ("" on a live host; "/<host>" on a host-prefixed mirror)."""
        return urlsplit(self.base_url).path.rstrip("/")

    def detail_match(self, path: str) -> re.Match | None:
        """The first detail pattern that matches `path`: site-relative, under base_url's
        path, or under `/<one of its hosts>/` (a multi-host mirror's layout)."""
        for base in (self.base_path, *(f"/{host}" for host in self.hosts)):
            if base and path.startswith(base + "/"):
                path = path[len(base) :]
                break
        for pattern in self._compiled:
            found = pattern.fullmatch(path)
            if found:
                return found
        return None

    def is_detail_path(self, path: str) -> bool:
        return self.detail_match(path) is not None

    def is_attachment_path(self, path: str) -> bool:
        base = self.base_path
        if base and path.startswith(base + "/"):
            path = path[len(base) :]
        return path.startswith(self.attachment_path_prefix)

    def rebased(self, base_url: str) -> SiteDefinition:
        return replace(self, base_url=base_url.rstrip("/"))


def _root(slug: str, welsh_slug: str | None) -> str:
    if welsh_slug:
        return f"(?:/cy-GB)?/foi-ai/(?:{re.escape(slug)}|{re.escape(welsh_slug)})"
    return f"/foi-ai/{re.escape(slug)}"


def _definition(slug: str, entry: dict, platform: dict) -> SiteDefinition:
    def get(key: str, default=None):
        return entry.get(key, platform.get(key, default))

    host = entry["host"]
    welsh = entry.get("welsh_slug")
    root = _root(slug, welsh)
    return SiteDefinition(
        key=slug,
        name=entry["name"],
        base_url=f"https://{host}",
        lister_path=get("lister_path"),
        lister_params=tuple(tuple(p) for p in get("lister_params", [])),
        detail_patterns=tuple(p.replace("{root}", root) for p in get("detail_patterns", [])),
        attachment_path_prefix=entry.get("attachment_prefix", f"/SysSiteAssets/foi-media/{slug}/"),
        sitemap_path=get("sitemap_path", "/sitemap.xml"),
        reference_prefix=entry.get("reference_prefix"),
        aliases=tuple(entry.get("aliases", ())),
        hosts=(host, *entry.get("hosts", ())),
        welsh_slug=welsh,
        welsh_sections=tuple(entry.get("welsh_sections", {}).items()),
        languages=tuple(entry.get("languages", ["en"])),
        reference_patterns=tuple(entry.get("reference_patterns", ())),
        reference_in_slug=tuple(SlugReference(**r) for r in entry.get("reference_in_slug", ())),
        evidence=entry.get("evidence", "pages"),
    )


def load_forces(text: str) -> dict[str, SiteDefinition]:
    """Every force in a forces file's text, by English slug, in the file's order."""
    data = tomllib.loads(text)
    platform = data.get("platform", {})
    return {slug: _definition(slug, entry, platform) for slug, entry in data["forces"].items()}


# Package data, read once (pkgutil finds it in a wheel as well as in the source tree).
SITES: dict[str, SiteDefinition] = load_forces(
    (pkgutil.get_data(__name__, "forces.toml") or b"").decode("utf-8")
)
MPS = SITES["metropolitan-police"]
NORTH_YORKSHIRE = SITES["north-yorkshire-police"]
# Welsh force slugs mapped to the platform's English slug.
WELSH_FORCE_SLUGS = {s.welsh_slug: s.key for s in SITES.values() if s.welsh_slug}
_ALIASES = {alias: s.key for s in SITES.values() for alias in s.aliases}
_BY_HOST = {host: s for s in SITES.values() for host in s.hosts}


def force_key(name: str) -> str | None:
    """The English slug for a force slug, Welsh slug or alias ("mps"), else None."""
    name = name.strip().lower()
    if name in SITES:
        return name
    return _ALIASES.get(name) or WELSH_FORCE_SLUGS.get(name)


def site_for(key_or_url: str) -> SiteDefinition:
    """The definition for a force key ("mps", "gwent-police") or for a base URL.

    A live host gives its force. An unknown base URL (a local mirror on loopback, a
    proxy) gets the MPS definition with that base URL: same paths, different host.
    """
    key = force_key(key_or_url) if "://" not in key_or_url else None
    if key:
        return SITES[key]
    base = key_or_url.rstrip("/")
    parts = urlsplit(base)
    site = _BY_HOST.get((parts.hostname or "").lower())
    if site is not None and not parts.path:
        return site.rebased(base) if base != site.base_url else site
    return MPS.rebased(base)


def site_for_url(url: str) -> SiteDefinition | None:
    """The force whose response-page pattern a page URL matches (any host), else None."""
    path = _platform_path(urlsplit(url).path)
    force = force_from_url(url)
    site = SITES.get(force) if force else None
    if site is not None and path is not None and site.is_detail_path(path):
        return site
    return None


# The force segment follows /foi-ai/ (Welsh pages: /cy-GB/foi-ai/heddlu-dyfed-powys/...).
# Anything before it is a mirror's host prefix (see scraper/forces_run.py).
_FORCE_SEGMENT = re.compile(r"(?:^|/)(?:cy-GB/)?foi-ai/([^/?#]+)/", re.IGNORECASE)
_PLATFORM_PATH = re.compile(r"/(?:cy-GB/)?foi-ai/", re.IGNORECASE)


def _platform_path(path: str) -> str | None:
    """The path from /foi-ai/ (or /cy-GB/foi-ai/) on: a mirror's host prefix removed."""
    found = _PLATFORM_PATH.search(path)
    return path[found.start() :] if found else None


def language_from_url(url: str) -> str:
    """ "cy" for the platform's Welsh pages (`/cy-GB/...`), else "en"."""
    path = _platform_path(urlsplit(url).path) or urlsplit(url).path
    return "cy" if path.lower().startswith("/cy-gb/") else "en"


def force_from_url(url: str) -> str | None:
    """The platform's English force slug from `/foi-ai/<force>/...`, or None."""
    found = _FORCE_SEGMENT.search(urlsplit(url).path)
    if found is None or found.group(1).lower() == "af":
        return None
    slug = found.group(1).lower()
    return WELSH_FORCE_SLUGS.get(slug, slug)


def url_parts(url: str) -> dict[str, str | None]:
    """The named groups (year, month, mm, slug) of the force pattern a page URL matches."""
    path = _platform_path(urlsplit(url).path)
    force = force_from_url(url)
    site = SITES.get(force) if force else None
    found = site.detail_match(path) if site is not None and path else None
    return found.groupdict() if found else {}


def english_path(url: str) -> str | None:
    """The path of a page's English twin, for pairing language versions.

    `/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/x/` ->
    `/foi-ai/dyfed-powys-police/disclosure-2025/april/x/`: the Welsh force slug, the
    force's Welsh section names (forces.toml `welsh_sections`) and Welsh month names
    become English. English pages come back as they are. None off the platform.
    """
    from parsers.dates import english_month_segment

    path = _platform_path(urlsplit(url).path)
    if path is None:
        return None
    if not path.lower().startswith("/cy-gb/"):
        return path
    segments = path.split("/")[2:]  # drop "" and "cy-GB"
    force = force_key(segments[1]) if len(segments) > 1 else None
    site = SITES.get(force) if force else None
    if site is None:
        return "/" + "/".join(segments)
    segments[1] = site.key
    sections = dict(site.welsh_sections)
    last = max(i for i, seg in enumerate(segments) if seg)  # the item slug stays as it is
    for i in range(2, last):
        segments[i] = _english_segment(segments[i].lower(), sections, english_month_segment)
    return "/" + "/".join(segments)


def _english_segment(segment: str, sections: dict[str, str], month) -> str:
    """One Welsh path segment in English: a section name ("datgeliadau-2025"), a month."""
    for welsh, english in sections.items():
        rest = segment[len(welsh) :]
        if segment.startswith(welsh) and (not rest or rest[0] == "-" or rest.isdigit()):
            return english + rest
    return month(segment)
