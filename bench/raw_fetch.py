"""The crawl baseline: bare httpx GETs of a list of URLs at a fixed concurrency.

No retries, no storage, no parsing: what any scraper has to spend just to get the
bytes over loopback. Run as a child process so it pays the same start-up as
`foilog refresh`.

    python -m bench.raw_fetch --urls urls.txt --concurrency 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import httpx


async def fetch_all(urls: list[str], concurrency: int) -> dict:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    totals = {"ok": 0, "failed": 0, "bytes": 0}

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            url = queue.get_nowait()
            response = await client.get(url)
            totals["bytes"] += len(response.content)
            totals["ok" if response.status_code == 200 else "failed"] += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return totals


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", type=Path, required=True)
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args()
    urls = args.urls.read_text().split()
    started = time.perf_counter()
    totals = asyncio.run(fetch_all(urls, args.concurrency))
    totals["duration_s"] = round(time.perf_counter() - started, 3)
    print(json.dumps(totals))


if __name__ == "__main__":
    main()
