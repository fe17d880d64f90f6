"""The import's process pool: results in input order, a spinning page stopped alone."""

from __future__ import annotations

import time

from scraper.parse_pool import ParseTimeout
from scraper.parse_stream import ParseStream


def slow_square(seconds: float, n: int) -> int:
    time.sleep(seconds)
    return n * n


def test_results_come_back_in_order_and_a_spinning_item_times_out_alone():
    items = [(0.0, 1), (0.2, 2), (30.0, 3), (0.0, 4), (0.0, 5)]
    with ParseStream(jobs=2, timeout=3.0, function=slow_square) as stream:
        started = time.monotonic()
        got = list(stream.parse(items, lambda item: item if item[1] != 5 else None))
        elapsed = time.monotonic() - started
    assert [item for item, _ in got] == items
    results = [result for _, result in got]
    assert results[:2] == [1, 4] and results[3] == 16 and results[4] is None
    assert isinstance(results[2], ParseTimeout)
    assert elapsed < 20  # the pool was replaced, not waited out
