"""A real headless Chromium for the nights the site puts a challenge in front of us.

Driven by Playwright with the system's Chromium (never a downloaded one): the
path comes from the settings (`FOILOG_CHROMIUM`) or is found on the machine.
`Browser.solve(url)` opens the URL, lets the interstitial's script run until the real
page shows, and returns the cookies and User-Agent that passed it, for the crawler's
httpx client to reuse. `Browser.fetch(url)` gets one URL through the browser itself,
for when challenges keep coming back. The caller (scraper/fetch.py) applies the rate
limit, the concurrency bound and robots.txt to every call; inside, images, styles,
fonts and media are never requested.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scraper.challenge import challenge_reason

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
SKIPPED_RESOURCES = frozenset({"image", "stylesheet", "font", "media"})
SOLVE_TIMEOUT_S = 20.0
# A challenge that answers its own reload with another challenge this many times is not
# going to pass: stop, rather than let the page reload the site in a loop.
MAX_CHALLENGE_ANSWERS = 4
NAVIGATION_TIMEOUT_MS = 45_000


class BrowserUnavailable(Exception):
    """No Chromium, or Playwright cannot start it (bad configuration: exit 2)."""


@dataclass(frozen=True)
class BrowserPass:
    cookies: list[dict]  # Playwright's cookie dicts: name, value, domain, path, ...
    user_agent: str


@dataclass(frozen=True)
class BrowserAnswer:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes


def find_chromium(configured: str | None = None) -> str:
    """The Chromium to drive: the configured path, else the first one on PATH."""
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise BrowserUnavailable(f"FOILOG_CHROMIUM={configured} is not an executable file")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium"):
        if os.path.isfile(path):
            return path
    raise BrowserUnavailable(
        "--browser needs Chromium: install it (e.g. apt-get install chromium) "
        "or set FOILOG_CHROMIUM to its path"
    )


class Browser:
    """One headless Chromium for a run; started on first use, closed with the run."""

    def __init__(
        self,
        chromium_path: str | None,
        cookies: Sequence[dict] = (),
        solve_timeout: float = SOLVE_TIMEOUT_S,
    ) -> None:
        self._configured = chromium_path
        self._solve_timeout = solve_timeout
        self._initial_cookies = list(cookies)
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._start_lock = asyncio.Lock()
        self.user_agent: str | None = None

    async def close(self) -> None:
        for closer in (self._context, self._browser):
            if closer is not None:
                try:
                    await closer.close()
                except Exception:  # noqa: BLE001  (already gone: nothing to release)
                    pass
        if self._playwright is not None:
            await self._playwright.stop()
        self._context = self._browser = self._playwright = None

    async def _started(self):
        async with self._start_lock:
            if self._context is None:
                await self._start()
            return self._context

    async def _start(self) -> None:
        executable = find_chromium(self._configured)
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise BrowserUnavailable("--browser needs the playwright package") from exc
        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=executable, headless=True, args=list(LAUNCH_ARGS)
            )
        except Exception as exc:  # noqa: BLE001  (Playwright's errors name the cause)
            await self.close()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserUnavailable(f"cannot start Chromium {executable}: {first}") from None
        # Headless Chromium names itself "HeadlessChrome"; present as the browser it is.
        probe = await self._browser.new_page()
        agent = await probe.evaluate("navigator.userAgent")
        await probe.close()
        self.user_agent = agent.replace("HeadlessChrome", "Chrome")
        self._context = await self._browser.new_context(user_agent=self.user_agent)
        if self._initial_cookies:
            await self._context.add_cookies(self._initial_cookies)

    async def _page(self):
        context = await self._started()
        page = await context.new_page()

        async def skip_decoration(route) -> None:
            if route.request.resource_type in SKIPPED_RESOURCES:
                await route.abort()
            else:
                await route.continue_()

        await page.route("**/*", skip_decoration)
        return page

    async def solve(self, url: str) -> BrowserPass | None:
        """Open `url` and wait for its challenge to pass; None if it does not in time."""
        try:
            async with asyncio.timeout(self._deadline()):
                return await self._solve(url)
        except TimeoutError:
            return None

    def _deadline(self) -> float:
        """No browser call outlives this, whatever the page does (reloads for ever...)."""
        return NAVIGATION_TIMEOUT_MS / 1000 + self._solve_timeout + 15

    async def _solve(self, url: str) -> BrowserPass | None:
        page = await self._page()
        answers = _track_navigations(page)
        try:
            try:
                await page.goto(url, wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
            except Exception:  # noqa: BLE001  (the challenge's reload can abort the first load)
                pass
            if not await _wait_past_challenge(page, answers, self._solve_timeout):
                return None
            cookies = await page.context.cookies()
            return BrowserPass(cookies, self.user_agent or "")
        finally:
            await _close(page)

    async def fetch(self, url: str) -> BrowserAnswer:
        """One URL through the browser; the last main-frame document answer is returned."""
        try:
            async with asyncio.timeout(self._deadline()):
                return await self._fetch(url)
        except TimeoutError:
            raise BrowserFetchError(f"no answer within {self._deadline():g}s") from None

    async def _fetch(self, url: str) -> BrowserAnswer:
        page = await self._page()
        answers = _track_navigations(page)
        try:
            try:
                await page.goto(url, wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
            except Exception as exc:  # noqa: BLE001
                if not answers:
                    raise BrowserFetchError(_first_line(exc)) from None
            await _wait_past_challenge(page, answers, self._solve_timeout)
            last = answers[-1]
            try:
                body = await asyncio.wait_for(last.body(), 10)
            except Exception:  # noqa: BLE001  (a redirect or a reload took the body away)
                body = (await page.content()).encode("utf-8")
            headers = {k.lower(): v for k, v in (await last.all_headers()).items()}
            return BrowserAnswer(url, page.url, last.status, headers, body)
        finally:
            await _close(page)

    async def fetch_file(self, url: str) -> BrowserAnswer:
        """A file (PDF, spreadsheet): the browser's cookies and User-Agent, no rendering."""
        context = await self._started()
        response = await context.request.get(url, max_redirects=0, fail_on_status_code=False)
        try:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return BrowserAnswer(url, response.url, response.status, headers, await response.body())
        finally:
            await response.dispose()


class BrowserFetchError(Exception):
    """The browser got no answer for a URL (network failure, timeout)."""


def _track_navigations(page) -> list:
    """The page's main-frame document answers, in order (redirects and reloads too)."""
    answers: list = []

    def note(response) -> None:
        if response.frame == page.main_frame and response.request.is_navigation_request():
            answers.append(response)

    page.on("response", note)
    return answers


async def _wait_past_challenge(page, answers: list, timeout: float = SOLVE_TIMEOUT_S) -> bool:
    """True once the latest document answer is not an interstitial (judged by the same
    rules as every other answer, scraper/challenge.py); False after `timeout`.

    The answer, not the rendered page: between the challenge and its reload the page
    is briefly an empty document, which is no proof of anything."""
    deadline = time.monotonic() + timeout
    while True:
        if answers and await _passes(answers[-1]):
            try:
                await page.wait_for_load_state("load", timeout=5_000)
            except Exception:  # noqa: BLE001  (a slow sub-resource: the document is here)
                pass
            return True
        if time.monotonic() >= deadline or len(answers) >= MAX_CHALLENGE_ANSWERS:
            return False
        await asyncio.sleep(0.25)


async def _passes(answer) -> bool:
    if 300 <= answer.status < 400:
        return False  # a redirect: its target's answer decides
    try:
        headers = await asyncio.wait_for(answer.all_headers(), 5)
        body = await asyncio.wait_for(answer.body(), 5)
    except Exception:  # noqa: BLE001  (not finished, or replaced by a reload)
        return False
    return challenge_reason(answer.status, headers, body) is None


async def _close(page) -> None:
    try:
        await asyncio.wait_for(page.close(), 10)
    except Exception:  # noqa: BLE001  (closed with the context at the end of the run anyway)
        pass


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
