"""Getting past bot protection for one `Fetcher`, or giving up loudly and early.

Without `--browser` a challenge is answered "blocked" (never parsed, stored or taken as
a removal). With it, the first challenge launches a headless Chromium
(scraper/browser.py) that passes it; its cookies and User-Agent then go into the
httpx client and the request is made once more. If challenges come back even so, the
rest of the run fetches through the browser itself. Every browser request waits its
turn in the same rate limiter and concurrency bound, after the same robots.txt check.

After `GIVE_UP_AFTER` challenges in a row that could not be passed the gate gives up:
the rest of the run's requests are answered "blocked" without being sent, so a
blocked night costs the site a handful of requests, not one per known page.
"""

from __future__ import annotations

import asyncio
import logging

from scraper.browser import Browser, BrowserFetchError
from scraper.cookies import for_playwright, load_cookies

log = logging.getLogger("foilog.challenge")

GIVE_UP_AFTER = 3
HTML_KINDS = ("page", "listing", "robots", "sitemap")


class ChallengeGate:
    def __init__(self, fetcher, settings) -> None:
        self.fetcher = fetcher
        self.settings = settings
        self.browser: Browser | None = None
        self.via_browser = False  # a pass did not stick: fetch through the browser
        self.gave_up: str | None = None
        self._cookies: list = []
        self._lock = asyncio.Lock()
        self._passes = 0
        self._streak = 0

    def load_cookies(self) -> None:
        """`--cookies FILE` into the client (and, later, the browser)."""
        if self.settings.cookies_path is None:
            return
        self._cookies = load_cookies(self.settings.cookies_path)
        jar = self.fetcher._client.cookies
        for cookie in self._cookies:
            jar.set(cookie.name, cookie.value or "", domain=cookie.domain, path=cookie.path)

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
            self.browser = None

    async def get(self, url: str, kind: str, headers: dict):
        if self.gave_up:
            return _not_sent(url, kind, self.gave_up)
        if self.via_browser:
            result = await self._through_browser(url, kind)
        else:
            result = await self.fetcher._get_with_retries(url, kind, headers)
            if result.blocked:
                result = await self._past(url, kind, headers, result)
        self._account(result)
        return result

    # -- internals ----------------------------------------------------------------

    def _account(self, result) -> None:
        stats = self.fetcher.stats
        if result.blocked:
            stats.blocked += 1
            self._streak += 1
            if self._streak >= GIVE_UP_AFTER and not self.gave_up:
                self.gave_up = result.error
                log.debug(
                    "%s: giving up for this run after %d in a row", result.error, GIVE_UP_AFTER
                )
        elif result.status:
            self._streak = 0

    async def _past(self, url: str, kind: str, headers: dict, result):
        self.fetcher.stats.challenges += 1
        if not self.settings.browser:
            return result
        generation = self._passes
        async with self._lock:
            if self.gave_up:
                return result
            if self._passes == generation and not await self._solve(url):
                log.debug("the browser could not pass the challenge at %s", url)
                self._streak = GIVE_UP_AFTER - 1  # the next block gives up
                return result
        retry = await self.fetcher._get_with_retries(url, kind, headers)
        if not retry.blocked:
            return retry
        if not self.via_browser:
            log.info("challenges keep coming back: fetching through the browser")
        self.via_browser = True
        return await self._through_browser(url, kind)

    def _browser(self) -> Browser:
        if self.browser is None:
            self.browser = Browser(
                self.settings.chromium_path,
                for_playwright(self._cookies),
                solve_timeout=self.settings.challenge_timeout,
            )
        return self.browser

    async def _solve(self, url: str) -> bool:
        fetcher = self.fetcher
        await fetcher._limiter.wait()
        async with fetcher._in_flight:
            fetcher.stats.requests += 1
            fetcher.stats.by_browser += 1
            passed = await self._browser().solve(url)
        if passed is None:
            return False
        jar = fetcher._client.cookies
        for cookie in passed.cookies:
            jar.set(cookie["name"], cookie["value"], domain=cookie["domain"], path=cookie["path"])
        fetcher._client.headers["User-Agent"] = passed.user_agent
        self._passes += 1
        log.info("passed the site's challenge with the browser at %s", url)
        return True

    async def _through_browser(self, url: str, kind: str):
        from scraper.challenge import challenge_reason
        from scraper.fetch import FetchResult, _wrong_type, challenged

        fetcher = self.fetcher
        browser = self._browser()
        await fetcher._limiter.wait()
        async with fetcher._in_flight:
            fetcher.stats.requests += 1
            fetcher.stats.by_browser += 1
            fetcher.stats.by_kind[kind] = fetcher.stats.by_kind.get(kind, 0) + 1
            try:
                if kind in HTML_KINDS:
                    answer = await browser.fetch(url)
                else:
                    answer = await browser.fetch_file(url)
            except BrowserFetchError as exc:
                return FetchResult(url, url, 0, {}, b"", error=f"browser: {exc}", kind=kind)
        fetcher.stats.bytes += len(answer.body)
        status, headers, body = answer.status, answer.headers, answer.body
        error: str | None
        if not fetcher.is_on_site(answer.final_url):
            error = f"redirect off-site to {answer.final_url} refused"
            return FetchResult(url, answer.final_url, status, headers, b"", error=error, kind=kind)
        # a file answering 200 is the file (whatever bytes it holds); anything else may
        # be the interstitial
        check = kind != "attachment" or status != 200
        reason = challenge_reason(status, headers, body) if check else None
        if reason:
            return challenged(url, answer.final_url, status, headers, kind, reason)
        if status != 200:
            error = None if status in (404, 410) else f"HTTP {status}"
            return FetchResult(url, answer.final_url, status, headers, b"", error=error, kind=kind)
        error = _wrong_type(kind, headers.get("content-type", ""))
        if error is None and len(body) > fetcher._limit(kind):
            error = f"body exceeds the {fetcher._limit(kind)} byte limit"
        if error:
            return FetchResult(url, answer.final_url, status, headers, b"", error=error, kind=kind)
        return FetchResult(url, answer.final_url, status, headers, body, kind=kind)


def _not_sent(url: str, kind: str, reason: str):
    from scraper.fetch import FetchResult

    error = f"{reason}; not fetched"
    return FetchResult(url, url, 0, {}, b"", error=error, kind=kind, blocked="gave up")
