"""Write synthetic pages (`bench.synth`) as a mirror the real fixture server serves.

Same layout as `fixtures/site/`: pages at `<path>/index.html`; the real mirror's other
files copied (attachments, other forces, publication scheme, robots.txt, `_chrome/`);
new month/year hubs and sitemap.xml (by the mirror builder's own functions),
`_meta/headers.json` and `manifest.json` for the synthetic pages.

    python -m bench.synth_site --n 10000 --out bench/work/site-10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from bench.synth import (
    DEFAULT_SEED,
    DEFAULT_SITE_ROOT,
    GENERATOR_VERSION,
    REPO,
    _headers,
    iter_pages,
    load_manifest,
    load_sources,
)

# Hub pages list the real responses; the synthetic mirror gets its own.
HUB_FILE_RE = re.compile(
    r"foi-ai/metropolitan-police/(?:disclosure-\d{4}|d)/(?:[a-z]+-*\d{4}/)?index\.html"
)
GENERATED_FILES = {"manifest.json", "sitemap.xml", "_meta/headers.json", "_meta/built.json"}


def write_mirror(
    dest: Path, n: int, seed: int = DEFAULT_SEED, site_root: Path = DEFAULT_SITE_ROOT
) -> dict:
    """Write an n-page mirror the fixture server can serve with `root=dest`.

    Everything of the real mirror that is not a response page, a hub, the sitemap or
    the manifest (attachments, other forces, publication scheme, robots.txt, _chrome/)
    is copied as it is; hubs, sitemap, headers and manifest are made for the new pages.
    """
    site_root, dest = Path(site_root), Path(dest)
    manifest = load_manifest(site_root)
    sources = load_sources(site_root)
    if dest.exists():
        shutil.rmtree(dest)
    copied = _copy_other_files(site_root, dest, manifest)
    headers = {
        path: h
        for path, h in _headers(site_root).items()
        if path not in {e["url_path"] for e in manifest["responses"]}
    }
    entries = []
    for page in iter_pages(sources, n, seed):
        file = dest / page.url_path.strip("/") / "index.html"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(page.body)
        entries.append(page.manifest_entry())
        headers[page.url_path] = {"last_modified": _http_date(page.listed)}
        if page.content_type:
            headers[page.url_path]["content_type"] = page.content_type
    files = {rel: b"" for rel in copied} | {e["path"]: b"" for e in entries}
    _write_hubs_and_sitemap(dest, entries, manifest, files)
    out = {key: value for key, value in manifest.items() if key != "responses"}
    out.update(
        {
            "count": len(entries),
            "responses": entries,
            "synthetic": {
                "seed": seed,
                "generator_version": GENERATOR_VERSION,
                "sources": len(sources),
            },
        }
    )
    (dest / "_meta").mkdir(parents=True, exist_ok=True)
    (dest / "_meta" / "headers.json").write_text(
        json.dumps(headers, indent=1, sort_keys=True) + "\n"
    )
    (dest / "manifest.json").write_text(
        json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return out


def ensure_mirror(
    dest: Path, n: int, seed: int = DEFAULT_SEED, site_root: Path = DEFAULT_SITE_ROOT
) -> dict:
    """Reuse `dest` when it was written from the same mirror, seed, n and generator."""
    dest = Path(dest)
    stamp = _source_stamp(Path(site_root), n, seed)
    stamp_file = dest / "_meta" / "synth-stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return load_manifest(dest)
    manifest = write_mirror(dest, n, seed, site_root)
    stamp_file.write_text(stamp)
    return manifest


def _http_date(day: str) -> str:
    when = datetime.fromisoformat(day).replace(hour=9, minute=30, tzinfo=UTC)
    return format_datetime(when, usegmt=True)


def _copy_other_files(site_root: Path, dest: Path, manifest: dict) -> list[str]:
    skip = {
        e.get("path") or e["url_path"].strip("/") + "/index.html" for e in manifest["responses"]
    }
    skip |= GENERATED_FILES
    copied = []
    for file in sorted(site_root.rglob("*")):
        rel = file.relative_to(site_root).as_posix()
        if not file.is_file() or rel in skip or HUB_FILE_RE.fullmatch(rel):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
        copied.append(rel)
    dest.mkdir(parents=True, exist_ok=True)
    return copied


def _write_hubs_and_sitemap(dest: Path, entries: list[dict], manifest: dict, files: dict) -> None:
    """Month/year hubs and sitemap.xml for the synthetic pages, by the mirror's own builder."""
    sys.path.insert(0, str(REPO / "fixtures"))
    try:
        from mirror_extras import hub_pages, sitemap_xml
    finally:
        sys.path.remove(str(REPO / "fixtures"))
    hubs = hub_pages(entries)
    for rel, data in hubs.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    scheme = manifest.get("publication_scheme", [])
    (dest / "sitemap.xml").write_text(sitemap_xml(entries, scheme, files | hubs), encoding="utf-8")


def _source_stamp(site_root: Path, n: int, seed: int) -> str:
    """Changes with the mirror's manifest, the generator's code, n and the seed."""
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{n}:{seed}:{site_root.resolve()}".encode())
    for file in (site_root / "manifest.json", Path(__file__), REPO / "bench" / "synth.py"):
        digest.update(file.read_bytes() if file.exists() else b"-")
    return digest.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description="write a synthetic mirror for the benchmarks")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--site-root", type=Path, default=DEFAULT_SITE_ROOT)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    started = time.perf_counter()
    manifest = write_mirror(args.out, args.n, args.seed, args.site_root)
    print(
        f"{manifest['count']} pages from {manifest['synthetic']['sources']} sources "
        f"in {time.perf_counter() - started:.1f}s -> {args.out}"
    )


if __name__ == "__main__":
    main()
