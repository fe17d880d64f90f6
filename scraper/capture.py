"""`foilog capture URL...`: turn live pages the parser gets wrong into regression tests.

Each URL is fetched through the crawler's own client (robots.txt, rate limit, retries,
`--browser` / `--cookies` when the site challenges) and saved into the mirror tree at
its path (`<into>/<path>/index.html`) with the golden record beside it
(`index.expected.json`, written by the current parser). Fix the parser, review the
golden diff (`pytest tests/parsers --update-golden`), and the failing page is a test.
Nothing is written to the archive or the raw store.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from parsers import parse_response
from scraper.config import CrawlSettings
from scraper.fetch import Blocked, Fetcher


@dataclass(frozen=True)
class Captured:
    url: str
    path: Path | None
    error: str | None = None
    reference: str | None = None
    questions: int = 0


def mirror_path(into: Path, url: str) -> Path:
    """Where a page lives in the mirror tree; refuses paths that would leave it."""
    path = unquote(urlsplit(url).path)
    normal = posixpath.normpath("/" + path.lstrip("/"))
    if "\0" in path or any(seg == ".." for seg in path.split("/")) or normal == "/":
        raise ValueError(f"{url}: no page path to save it under")
    return into / normal.strip("/") / "index.html"


async def capture(
    settings: CrawlSettings, urls: list[str], into: Path, golden_base: str | None = None
) -> list[Captured]:
    """Fetch and save each URL; `golden_base` is the base URL the goldens are parsed
    at (the golden test parses mirror pages at the live site's address)."""
    results = []
    async with Fetcher(settings) as fetcher:
        await fetcher.preflight()
        for url in urls:
            if not fetcher.is_on_site(url):
                results.append(
                    Captured(url, None, f"not on the configured site {settings.site.base_url}")
                )
                continue
            result = await fetcher.get(url, kind="page")
            if result.blocked:
                raise Blocked(result.error or "blocked by bot protection")
            if not result.ok:
                results.append(Captured(url, None, result.error or f"HTTP {result.status}"))
                continue
            results.append(_save(into, url, result.body, golden_base))
    return results


def _save(into: Path, url: str, body: bytes, golden_base: str | None) -> Captured:
    try:
        target = mirror_path(into, url)
    except ValueError as exc:
        return Captured(url, None, str(exc))
    parts = urlsplit(url)
    golden_url = (golden_base.rstrip("/") + parts.path) if golden_base else url
    record = parse_response(body, golden_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    golden = json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n"
    target.with_name("index.expected.json").write_text(golden, encoding="utf-8")
    return Captured(url, target, None, record.reference, len(record.questions))
