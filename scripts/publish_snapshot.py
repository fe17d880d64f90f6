"""Publish a read-only, consistent snapshot of the archive for many readers.

    python scripts/publish_snapshot.py data/foi.db public/

After the nightly refresh (which writes the one archive file, data/foi.db):

1. `VACUUM INTO` from a read-only connection writes a consistent, compact copy of the
   archive as it was at one instant (the refresh may even still be writing: readers of
   the copy never see half a night);
2. `datasette inspect` records its table counts and hash next to it
   (`inspect-data.json`), so Datasette serves it as immutable without counting 500,000
   rows on each table page;
3. the release directory `public/releases/<UTC stamp>/` is complete before the
   `public/current` symlink is switched to it in one rename, so a server (or a CDN
   origin) reading `public/current/` sees the old snapshot or the new one, never a mix.

Serve it with `datasette public/current/ --metadata metadata.yml` (configuration-directory
mode: the files listed in inspect-data.json are opened immutable) behind any HTTP cache;
see docs/publishing.md. Old releases are kept (`--keep`, default 2) for readers mid-way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path


def publish(archive: Path, public: Path, keep: int = 2, name: str = "foi") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    releases = public / "releases"
    release = releases / stamp
    partial = releases / f".{stamp}.partial"
    partial.mkdir(parents=True)
    snapshot = partial / f"{name}.db"
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        conn.execute("VACUUM INTO ?", (str(snapshot),))
    finally:
        conn.close()
    inspect = subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(snapshot)],
        check=True,
        capture_output=True,
        text=True,
        cwd=partial,
    )
    data = json.loads(inspect.stdout)
    (partial / "inspect-data.json").write_text(json.dumps(data, indent=1) + "\n")
    partial.rename(release)
    link = public / "current"
    tmp_link = public / f".current-{stamp}"
    tmp_link.symlink_to(Path("releases") / stamp)
    os.replace(tmp_link, link)  # atomic: readers see the old release or the new one
    for old in sorted(p for p in releases.iterdir() if not p.name.startswith("."))[:-keep]:
        shutil.rmtree(old)
    return release


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive", type=Path)
    ap.add_argument("public", type=Path)
    ap.add_argument("--keep", type=int, default=2, help="releases kept [default: 2]")
    args = ap.parse_args()
    print(publish(args.archive, args.public, max(1, args.keep)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
