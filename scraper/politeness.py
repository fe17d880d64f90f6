"""Being a good guest: a shared request rate, robots.txt, and Retry-After."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.robotparser
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


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


def _rule_path(url: str) -> str:
    # The same normalisation the stdlib applies before matching its rule paths.
    parts = urllib.parse.urlparse(urllib.parse.unquote(url))
    path = urllib.parse.urlunparse(("", "", parts.path, parts.params, parts.query, ""))
    return urllib.parse.quote(path) or "/"


class RobotsPolicy:
    """robots.txt as RFC 9309 reads it.

    200: the rules apply. 4xx ("unavailable"): everything allowed. 5xx or no answer
    ("unreachable"): everything disallowed until a later run can read it.
    """

    def __init__(self, user_agent: str, status: int, text: str = "") -> None:
        self.user_agent = user_agent
        self.status = status
        self._parser = urllib.robotparser.RobotFileParser()
        if status == 200:
            self._parser.parse(text.splitlines())
        elif 400 <= status < 500:
            self._parser.allow_all = True
        else:
            self._parser.disallow_all = True

    @property
    def unreachable(self) -> bool:
        return self.status != 200 and not 400 <= self.status < 500

    def allows(self, url: str) -> bool:
        """RFC 9309: the longest matching rule wins, Allow on a tie.

        The stdlib's `can_fetch` takes the first matching rule instead, so an early
        `Allow: /foi-ai/` would open a later `Disallow: /foi-ai/.../private/`.
        """
        parser = self._parser
        if parser.disallow_all:
            return False
        if parser.allow_all:
            return True
        entry = next(
            (e for e in parser.entries if e.applies_to(self.user_agent)), parser.default_entry
        )
        if entry is None:
            return True
        path = _rule_path(url)
        best = None
        for rule in entry.rulelines:
            if not rule.applies_to(path):
                continue
            if (
                best is None
                or len(rule.path) > len(best.path)
                or (len(rule.path) == len(best.path) and rule.allowance)
            ):
                best = rule
        return True if best is None else best.allowance

    def crawl_delay(self) -> float | None:
        delay = self._parser.crawl_delay(self.user_agent) if self.status == 200 else None
        return float(delay) if delay is not None else None
