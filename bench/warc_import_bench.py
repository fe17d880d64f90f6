"""WARC import speed: `foilog import-warc` of N synthetic response pages into an empty
archive, end to end (warcio reading, parsing in the process pool, raw store, archive).

    python -m bench.warc_import_bench --pages 3000 --jobs 2

The WARC holds each page at its live URL plus one image per page (skipped), like a
browser capture. Prints pages imported per second of wall-clock time, and CPU time
per page: in total (the command and its parser processes) and for parsing alone, so the
writer's share (total - parsing) and an idle-machine bound can be read even when the
machine is busy: pages/s <= min(1 / writer, cores / total).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.synth import DEFAULT_SITE_ROOT, LIVE, iter_pages, load_sources


def parse_cpu_per_page(n_pages: int) -> float:
    from parsers import parse_response

    pages = [
        (p.body, LIVE + p.url_path) for p in iter_pages(load_sources(DEFAULT_SITE_ROOT), n_pages)
    ]
    started = time.process_time()
    for body, url in pages:
        parse_response(body, url)
    return (time.process_time() - started) / len(pages)


def write_warc(path: Path, n_pages: int) -> int:
    sources = load_sources(DEFAULT_SITE_ROOT)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for page in iter_pages(sources, n_pages):
            for url, body, kind in (
                (LIVE + page.url_path, page.body, "text/html; charset=utf-8"),
                (LIVE + "/static/logo.png", b"\x89PNG" + b"\0" * 2000, "image/png"),
            ):
                http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url, "response", payload=BytesIO(body), length=len(body), http_headers=http
                )
                writer.write_record(record)
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warc = work / "bench.warc.gz"
        size = write_warc(warc, args.pages)
        foilog = str(Path(sys.executable).parent / "foilog")
        command = [foilog, "import-warc", str(warc), "--db", str(work / "foi.db")]
        command += ["--pages-db", str(work / "pages.db"), "--jobs", str(args.jobs)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(result.stdout.strip() or result.stderr.strip())
        print(
            f"{args.pages} pages ({size / 1e6:.1f} MB WARC) with --jobs {args.jobs}: "
            f"{elapsed:.1f} s, {args.pages / elapsed:.0f} pages/s (load average "
            f"{os.getloadavg()[0]:.1f})"
        )
        parse = parse_cpu_per_page(min(args.pages, 500))
        total = cpu / args.pages
        print(
            f"CPU per page: {total * 1000:.2f} ms in all, {parse * 1000:.2f} ms of it parsing;"
            f" idle-machine bound on {os.cpu_count()} cores: "
            f"{min(1 / max(total - parse, 1e-9), (os.cpu_count() or 1) / total):.0f} pages/s"
        )


if __name__ == "__main__":
    main()
