"""The real fixture server on a synthetic mirror, in its own process.

The benchmarks run the server here, not in a thread of the benchmark process, so the
server never shares a GIL with the client being timed (the bare-httpx baseline runs in
the benchmark's own children too).

Protocol on stdin/stdout, one JSON line each way:
    started: {"base_url": "..."}
    "count\n"  -> {"requests": N, "paths": [...since the last count...]}
    EOF        -> the server stops and the process exits.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from foilog.fixture_handler import MirrorHandler
from foilog.fixture_site import serve_mirror


def request_path(entry: object) -> str:
    """The request path of one request_log entry, whatever shape the server records."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        for key in ("path", "url", "target", "raw_path"):
            if key in entry:
                return str(entry[key])
        return json.dumps(entry, default=str)
    for attr in ("path", "url", "target"):
        if hasattr(entry, attr):
            return str(getattr(entry, attr))
    if isinstance(entry, (tuple, list)):
        for item in entry:
            if isinstance(item, str) and item.startswith("/"):
                return item
    return str(entry)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument(
        "--nagle",
        action="store_true",
        help="leave Nagle's algorithm on, as the fixture server does by default",
    )
    args = ap.parse_args()
    if not args.nagle:
        # The handler writes headers and body in two sends on a keep-alive connection;
        # with Nagle on, the body waits for the client's delayed ACK (~40 ms on Linux),
        # capping any client at ~25 requests/s per connection. The benchmark must
        # measure the crawler, not that stall (reported to the fixture server's owner).
        MirrorHandler.disable_nagle_algorithm = True
    with serve_mirror(root=args.root, host="127.0.0.1", port=0, faults=None) as site:
        print(json.dumps({"base_url": site.base_url.rstrip("/")}), flush=True)
        seen = 0
        for line in sys.stdin:
            if line.strip() == "count":
                log = list(site.request_log)
                paths = [request_path(e) for e in log[seen:]]
                seen = len(log)
                print(json.dumps({"requests": len(paths), "paths": paths}), flush=True)


if __name__ == "__main__":
    main()
