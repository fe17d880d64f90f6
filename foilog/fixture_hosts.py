"""The mirror's other hosts: each force's site under `/<live host>/` on one server.

A mirror of several forces cannot use their host names on loopback, so it lays them
out the way a web archive does: `http://<mirror>/www.gwent.police.uk/foi-ai/...` is
`https://www.gwent.police.uk/foi-ai/...`. Under such a prefix the force's lister
(its own items only), robots.txt and sitemap.xml (absolute URLs pointing back at the
prefix) are served, and root-relative links in its pages are rewritten to stay under
it. `/www.met.police.uk/...` is the MPS site at the mirror's root.
"""

from __future__ import annotations

from dataclasses import dataclass

from foilog.fixture_lister import ListerItem

ROOT_HOST = "www.met.police.uk"


@dataclass(frozen=True)
class HostPath:
    host: str | None  # None: the mirror's root site
    rest: str  # the path on that host


def split_host(path: str, hosts: dict) -> HostPath:
    """`/www.gwent.police.uk/foi-ai/x/` -> (www.gwent.police.uk, /foi-ai/x/)."""
    first, sep, rest = path[1:].partition("/")
    if first == ROOT_HOST:
        return HostPath(None, "/" + rest if sep else "/")
    if first in hosts:
        return HostPath(first, "/" + rest if sep else "/")
    return HostPath(None, path)


def host_items(manifest: dict) -> dict[str, list[ListerItem]]:
    """host -> its lister items (English pages; served paths carry the prefix).

    Besides each force's own pages, its round-robin answers (`other_forces`: kept at the
    mirror's root, where the round-robin tests read them) are listed under its prefix,
    so a crawl of the force finds them as it would on the live site.
    """
    hosts: dict[str, list[ListerItem]] = {}
    for force in manifest.get("forces", {}).values():
        hosts[force["host"]] = [
            ListerItem(r["served_path"], r["title"], r["listed"], "Disclosure log")
            for r in force["responses"]
            if r["language"] == "en"
        ]
    for host, entries in root_pages_by_host(manifest).items():
        hosts[host] += [
            ListerItem(f"/{host}{e['url_path']}", e["title"], e["listed"], "Disclosure log")
            for e in entries
        ]
    return hosts


def root_pages_by_host(manifest: dict) -> dict[str, list[dict]]:
    """host -> the `other_forces` pages of its force (English ones: `/foi-ai/<slug>/...`)."""
    forces = manifest.get("forces", {})
    found: dict[str, list[dict]] = {}
    for entry in manifest.get("other_forces", []):
        parts = entry["url_path"].split("/")
        if len(parts) > 2 and parts[1] == "foi-ai" and parts[2] in forces:
            found.setdefault(forces[parts[2]]["host"], []).append(entry)
    return found


def rewrite_links(body: bytes, host: str) -> bytes:
    """Root-relative links in a page of `host` stay under its prefix."""
    prefix = f"/{host}/".encode()
    return body.replace(b'href="/', b'href="' + prefix).replace(
        b'href="' + prefix + b"/", b'href="//'
    )


def absolute_to_prefix(body: bytes, host: str, base_url: str) -> bytes:
    """robots.txt / sitemap.xml: the live host's absolute URLs -> the mirror's prefix."""
    return body.replace(f"https://{host}".encode(), f"{base_url}/{host}".encode())
