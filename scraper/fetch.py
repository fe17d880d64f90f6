"""One HTTP client for the whole crawler: polite, bounded, on-site only.

`Fetcher(settings)` is an async context manager; `await fetcher.get(url, kind=...)`
never raises for anything the network or the server does: it returns a `FetchResult`
whose `error` says, in one line, what went wrong. Only bugs raise.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.body import ACCEPT_ENCODING, BodyError, TruncatedBody, read_body
from scraper.challenge import SNIFF_BYTES, challenge_reason, may_be_challenge
from scraper.config import CrawlSettings
from scraper.gate import ChallengeGate
from scraper.politeness import RateLimiter, RobotsPolicy, parse_retry_after
from scraper.retry import TRANSIENT_STATUSES, TransientError, retrying

if TYPE_CHECKING:  # warcio is imported only for a run that writes a WARC
    from scraper.warc_write import RunWarcWriter

KINDS = ("page", "listing", "sitemap", "robots", "attachment")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
ROBOTS_LIMIT = 512 * 1024  # RFC 9309: parse at least 500 KiB
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("text/xml", "application/xml", "text/plain", "application/x-gzip")


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int  # 0: no HTTP answer (network failure, refused before sending)
    headers: dict[str, str]
    body: bytes
    error: str | None = None
    attempts: int = 1
    kind: str = "page"
    blocked: str | None = None  # a bot-protection interstitial: why (scraper/challenge.py)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class SiteUnreachable(Exception):
    """The configured site cannot be crawled at all tonight (exit 2)."""


class Blocked(Exception):
    """The site's bot protection lets this run through nowhere (exit 5)."""


@dataclass
class FetchStats:
    requests: int = 0
    bytes: int = 0
    retries: int = 0
    blocked: int = 0  # answers that were challenges we could not get past
    challenges: int = 0  # every challenge met, passed or not
    by_browser: int = 0  # requests made through the browser itself
    by_kind: dict[str, int] = field(default_factory=dict)


def make_client(settings: CrawlSettings) -> httpx.AsyncClient:
    """The client factory: identifying User-Agent, timeouts, a bounded pool, no redirects."""
    n = max(1, settings.concurrency)
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout, pool=None),
        limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
        follow_redirects=False,  # followed by hand so each hop is checked on-site
        trust_env=False,
    )


def describe_error(exc: BaseException) -> str:
    """A short human reason for a network failure."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return "name resolution failed"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    if "Name or service not known" in text or "name resolution" in text.lower():
        return "name resolution failed"
    if "nodename nor servname" in text or "No address associated" in text:
        return "name resolution failed"
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return text.splitlines()[0] if text else type(exc).__name__


class Fetcher:
    """Polite GETs against one site: rate, concurrency, robots.txt, retries."""

    def __init__(self, settings: CrawlSettings, *, backoff_base: float = 1.0) -> None:
        self.settings = settings
        self.base_url = settings.site.base_url.rstrip("/")
        self._origin = urlsplit(self.base_url)
        self._backoff_base = backoff_base
        self._limiter = RateLimiter(settings.rate)
        self._in_flight = asyncio.Semaphore(max(1, settings.concurrency))
        self._robots: RobotsPolicy | None = None
        self._robots_error: str | None = None
        self._robots_blocked: str | None = None
        self._robots_lock = asyncio.Lock()
        self._client: httpx.AsyncClient | None = None
        self._gate: ChallengeGate | None = None
        self._primed: dict[str, FetchResult] = {}
        self.stats = FetchStats()
        self.warc: RunWarcWriter | None = None  # refresh --warc-dir

    async def __aenter__(self) -> Fetcher:
        self._client = make_client(self.settings)
        self._gate = ChallengeGate(self, self.settings)
        try:
            self._gate.load_cookies()
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self._gate is not None:
            await self._gate.close()
            self._gate = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def blocked_reason(self) -> str | None:
        """Set once the run has given up on getting past the bot protection."""
        return self._gate.gave_up if self._gate is not None else None

    # -- public -------------------------------------------------------------------

    def is_on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.hostname != self._origin.hostname:
            return False
        if parts.scheme == self._origin.scheme:
            return parts.port == self._origin.port
        # an upgrade to https on the same host is the one scheme change we accept
        return parts.scheme == "https" and parts.port in (None, 443)

    async def preflight(self) -> RobotsPolicy:
        """Raise SiteUnreachable unless the host resolves and robots.txt can be read."""
        host = self._origin.hostname or ""
        try:
            await asyncio.get_running_loop().getaddrinfo(host, self._origin.port or 443)
        except socket.gaierror as exc:
            raise SiteUnreachable(f"cannot reach {self.base_url} (name resolution failed)") from exc
        policy = await self.robots()
        if self._robots_blocked:
            raise Blocked(self._robots_blocked)
        if policy.status == 0:
            raise SiteUnreachable(f"cannot reach {self.base_url} ({self._robots_error})")
        if policy.unreachable:
            raise SiteUnreachable(
                f"{self.base_url}/robots.txt answered HTTP {policy.status}; "
                "the site counts as closed to crawlers until it answers (RFC 9309)"
            )
        return policy

    async def robots(self) -> RobotsPolicy:
        async with self._robots_lock:
            if self._robots is None:
                self._robots = await self._load_robots()
                delay = self._robots.crawl_delay()
                if delay and self.settings.rate > 0:
                    self._limiter.slow_down(min(delay, 60.0))
            return self._robots

    async def get(
        self,
        url: str,
        *,
        kind: str = "page",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        if kind not in KINDS:
            raise ValueError(f"unknown fetch kind {kind!r}")
        if not self.is_on_site(url):
            return self._failed(url, kind, f"off-site URL refused: {url}")
        if kind != "robots":
            policy = await self.robots()
            if policy.unreachable:
                return self._failed(url, kind, "robots.txt unreachable; not fetching")
            if not policy.allows(url):
                return self._failed(url, kind, "disallowed by robots.txt")
        primed = self._primed.pop(url, None)
        if primed is not None and primed.kind == kind and not (etag or last_modified):
            return primed
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        assert self._gate is not None, "use `async with Fetcher(settings)`"
        result = await self._gate.get(url, kind, headers)
        if (
            self.warc is not None
            and result.error is None
            and not result.blocked
            and result.status not in (0, 304)
        ):
            self.warc.write_response(result.final_url, result.status, result.headers, result.body)
        return result

    async def probe(self, url: str, kind: str = "listing") -> FetchResult:
        """Fetch `url` now (before any file is touched) and keep the answer for the
        run's own first request of it; raise Blocked if the bot protection stops it."""
        result = await self.get(url, kind=kind)
        if result.blocked:
            raise Blocked(result.error or "blocked by bot protection")
        self._primed[url] = result
        return result

    # -- internals ----------------------------------------------------------------

    async def _load_robots(self) -> RobotsPolicy:
        result = await self.get(f"{self.base_url}/robots.txt", kind="robots")
        ua = self.settings.user_agent
        if result.blocked:  # a challenge is no robots.txt: not "unavailable, allow all"
            self._robots_blocked = result.error
            return RobotsPolicy(ua, 0)
        if result.ok:
            return RobotsPolicy(ua, 200, result.body.decode("utf-8", "replace"))
        if result.status == 0:
            self._robots_error = result.error
            return RobotsPolicy(ua, 0)
        if 300 <= result.status < 400:  # a redirect we would not follow: unavailable
            return RobotsPolicy(ua, 404)
        return RobotsPolicy(ua, result.status)

    def _failed(self, url: str, kind: str, error: str, status: int = 0) -> FetchResult:
        return FetchResult(url, url, status, {}, b"", error=error, kind=kind)

    async def _get_with_retries(self, url: str, kind: str, headers: dict) -> FetchResult:
        attempts = 0
        try:
            async for attempt in retrying(
                self.settings.max_attempts, self.settings.max_retry_delay, self._backoff_base
            ):
                with attempt:
                    attempts += 1
                    if attempts > 1:
                        self.stats.retries += 1
                    result = await self._attempt(url, kind, headers)
                    return _with_attempts(result, attempts)
        except TransientError as exc:
            return FetchResult(
                url,
                url,
                exc.status,
                {},
                b"",
                kind=kind,
                attempts=attempts,
                error=f"{exc} (gave up after {attempts} attempts)",
            )
        raise AssertionError("unreachable: tenacity either returns or reraises")

    async def _attempt(self, url: str, kind: str, headers: dict) -> FetchResult:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            await self._limiter.wait()
            async with self._in_flight:
                outcome = await self._one_request(url, current, kind, headers)
            if isinstance(outcome, FetchResult):
                return outcome
            current = outcome  # the next on-site hop of a redirect
        return self._failed(url, kind, f"more than {MAX_REDIRECTS} redirects", status=310)

    async def _one_request(self, url: str, current: str, kind: str, headers: dict):
        assert self._client is not None, "use `async with Fetcher(settings)`"
        self.stats.requests += 1
        self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
        deadline = self.settings.connect_timeout + 4 * self.settings.read_timeout
        try:
            async with asyncio.timeout(deadline):
                async with self._client.stream("GET", current, headers=headers) as resp:
                    try:
                        return await self._read(url, current, kind, resp)
                    finally:
                        self.stats.bytes += resp.num_bytes_downloaded
        except TimeoutError as exc:
            raise TransientError(f"no complete answer within {deadline:g}s") from exc
        except TruncatedBody as exc:
            raise TransientError(str(exc)) from exc
        except httpx.TransportError as exc:
            raise TransientError(describe_error(exc)) from exc

    async def _read(self, url: str, current: str, kind: str, resp: httpx.Response):
        status = resp.status_code
        headers = {k.lower(): v for k, v in resp.headers.items()}
        if status != 200 and may_be_challenge(status, headers):
            # before the retry rules: a challenge 503 repeated at once is a tight loop
            body = await _sniff(resp)
            reason = challenge_reason(status, headers, body)
            if reason:
                return challenged(url, current, status, headers, kind, reason)
        if status in REDIRECTS and "location" in headers:
            target = urljoin(current, headers["location"])
            if not self.is_on_site(target):
                return FetchResult(
                    url,
                    target,
                    status,
                    headers,
                    b"",
                    kind=kind,
                    error=f"redirect off-site to {target} refused",
                )
            return target
        if status in TRANSIENT_STATUSES:
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after:  # the whole crawler slows down, not just this request
                self._limiter.pause(min(retry_after, self.settings.max_retry_delay))
            raise TransientError(f"HTTP {status}", status, retry_after)
        if status != 200:
            error = None if status in (304, 404, 410) else f"HTTP {status}"
            return FetchResult(url, current, status, headers, b"", error=error, kind=kind)
        refused = _wrong_type(kind, headers.get("content-type", ""))
        if refused:
            return FetchResult(url, current, status, headers, b"", error=refused, kind=kind)
        try:
            body, _ = await read_body(resp, self._limit(kind))
        except BodyError as exc:
            return FetchResult(url, current, status, headers, b"", error=str(exc), kind=kind)
        reason = challenge_reason(status, headers, body) if kind != "attachment" else None
        if reason:
            return challenged(url, current, status, headers, kind, reason)
        if kind in ("page", "listing") and not headers.get("content-type"):
            if not _looks_like_html(body):
                return FetchResult(
                    url,
                    current,
                    status,
                    headers,
                    b"",
                    kind=kind,
                    error="not HTML (no Content-Type, body is not markup)",
                )
        return FetchResult(url, current, status, headers, body, kind=kind)

    def _limit(self, kind: str) -> int:
        if kind == "robots":
            return ROBOTS_LIMIT
        if kind == "attachment":
            return self.settings.max_attachment_bytes
        return self.settings.max_page_bytes


def challenged(
    url: str, current: str, status: int, headers: dict, kind: str, reason: str
) -> FetchResult:
    """A challenge answer: no body kept (it is never stored or parsed)."""
    error = f"blocked by the site's bot protection ({reason})"
    return FetchResult(url, current, status, headers, b"", error=error, kind=kind, blocked=reason)


async def _sniff(resp: httpx.Response) -> bytes:
    """The start of an error answer's body, enough to recognise a challenge."""
    try:
        body, _ = await read_body(resp, 4 * SNIFF_BYTES)
    except (BodyError, TruncatedBody):
        return b""
    return body


def _with_attempts(result: FetchResult, attempts: int) -> FetchResult:
    from dataclasses import replace

    return replace(result, attempts=attempts)


def _wrong_type(kind: str, content_type: str) -> str | None:
    media = content_type.split(";")[0].strip().lower()
    if not media:
        return None  # sniffed after reading
    if kind in ("page", "listing") and media not in HTML_TYPES:
        return f"not HTML (Content-Type {media})"
    if kind == "sitemap" and media not in XML_TYPES and not media.endswith("+xml"):
        return f"not XML (Content-Type {media})"
    return None


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))
