"""Being a good guest: a shared request rate, robots.txt, and Retry-After."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from protego import Protego


class RateLimiter:
    """Spaces request starts at least 1/rate seconds apart, across all workers.

    rate <= 0 means unlimited (loopback mirrors and tests).
    """

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    def slow_down(self, interval: float) -> None:
        """Never go faster than `interval` seconds apart (robots.txt Crawl-delay)."""
        self.interval = max(self.interval, interval)

    def pause(self, seconds: float) -> None:
        """The server asked us (Retry-After) to wait: no worker starts a request sooner."""
        self._next = max(self._next, time.monotonic() + seconds)

    async def wait(self) -> None:
        if self.interval <= 0 and self._next <= time.monotonic():
            return
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class RobotsPolicy:
    """robots.txt as RFC 9309 reads it, matched by Protego (the parser Scrapy uses):
    wildcards (`*`), end anchors (`$`), the longest matching rule wins, Allow on a tie,
    and a group for our user agent replaces the `*` group.

    200: the rules apply. 4xx ("unavailable"): everything allowed. 5xx or no answer
    ("unreachable"): everything disallowed until a later run can read it.
    """

    def __init__(self, user_agent: str, status: int, text: str = "") -> None:
        self.user_agent = user_agent
        self.status = status
        self._rules = Protego.parse(text) if status == 200 else None

    @property
    def unreachable(self) -> bool:
        return self.status != 200 and not 400 <= self.status < 500

    def allows(self, url: str) -> bool:
        if self._rules is None:
            return not self.unreachable
        return bool(self._rules.can_fetch(url, self.user_agent))

    def crawl_delay(self) -> float | None:
        delay = self._rules.crawl_delay(self.user_agent) if self._rules is not None else None
        return float(delay) if delay is not None else None
