"""The Fetcher against servers that misbehave on purpose (a tiny server in the test)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scraper.fetch import Fetcher, SiteUnreachable
from scraper.politeness import parse_retry_after
from tests.scraper.conftest import DETAIL, Reply, gzipped, html_page, settings_for

PAGE = DETAIL.format("a-page")
HTML = {"Content-Type": "text/html; charset=utf-8"}


async def fetch(hostile, tmp_path, path, **overrides):
    settings = settings_for(hostile.base_url, tmp_path, **overrides)
    async with Fetcher(settings, backoff_base=0.01) as fetcher:
        return await fetcher.get(hostile.base_url + path, kind="page")


async def test_gzip_page_is_decoded(hostile, tmp_path):
    body = html_page("compressed")
    hostile.routes[PAGE] = Reply(200, gzipped(body), {**HTML, "Content-Encoding": "gzip"})
    result = await fetch(hostile, tmp_path, PAGE)
    assert result.ok and result.body == body


async def test_redirect_off_site_is_refused(hostile, tmp_path):
    hostile.routes[PAGE] = Reply(302, b"", {"Location": "http://evil.example/steal"})
    result = await fetch(hostile, tmp_path, PAGE)
    assert not result.ok
    assert result.error == "redirect off-site to http://evil.example/steal refused"
    assert hostile.log.count(PAGE) == 1


async def test_redirect_on_site_is_followed(hostile, tmp_path):
    target = DETAIL.format("moved")
    hostile.routes[PAGE] = Reply(301, b"", {"Location": target})
    hostile.routes[target] = Reply(200, html_page("moved"), HTML)
    result = await fetch(hostile, tmp_path, PAGE)
    assert result.ok and result.final_url == hostile.base_url + target


async def test_announced_length_over_limit_aborts_before_reading(hostile, tmp_path):
    hostile.routes[PAGE] = Reply(200, b"<html>" + b"x" * 100, HTML, length=50 * 1024 * 1024)
    result = await fetch(hostile, tmp_path, PAGE, max_page_bytes=1024 * 1024)
    assert result.body == b"" and "exceeds the 1 MB limit" in result.error


async def test_streamed_body_over_limit_aborts(hostile, tmp_path):
    chunk = b"<p>" + b"y" * 64 * 1024 + b"</p>"
    hostile.routes[PAGE] = Reply(200, headers=HTML, chunks=[b"<html>"] + [chunk] * 40)
    result = await fetch(hostile, tmp_path, PAGE, max_page_bytes=1024 * 1024)
    assert result.body == b"" and "exceeds the 1 MB limit" in result.error


async def test_gzip_bomb_is_refused(hostile, tmp_path):
    bomb = gzipped(b"\0" * (40 * 1024 * 1024))  # ~40 KB on the wire, 40 MB decoded
    hostile.routes[PAGE] = Reply(200, bomb, {**HTML, "Content-Encoding": "gzip"})
    result = await fetch(hostile, tmp_path, PAGE)
    assert result.body == b"" and "decompression bomb" in result.error


async def test_non_html_at_a_page_url_is_a_failure(hostile, tmp_path):
    hostile.routes[PAGE] = Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})
    result = await fetch(hostile, tmp_path, PAGE)
    assert not result.ok and result.error == "not HTML (Content-Type application/pdf)"


async def test_robots_disallow_is_honoured(hostile, tmp_path):
    hostile.routes["/private/x/"] = Reply(200, html_page(), HTML)
    result = await fetch(hostile, tmp_path, "/private/x/")
    assert result.error == "disallowed by robots.txt"
    assert "/private/x/" not in hostile.log


async def test_robots_404_allows_everything(hostile, tmp_path):
    del hostile.routes["/robots.txt"]
    hostile.routes["/private/x/"] = Reply(200, html_page(), HTML)
    assert (await fetch(hostile, tmp_path, "/private/x/")).ok


async def test_robots_5xx_closes_the_site(hostile, tmp_path):
    hostile.routes["/robots.txt"] = Reply(500, b"oops", {"Content-Type": "text/plain"})
    settings = settings_for(hostile.base_url, tmp_path, max_attempts=2)
    async with Fetcher(settings, backoff_base=0.01) as fetcher:
        with pytest.raises(SiteUnreachable, match="robots.txt answered HTTP 500"):
            await fetcher.preflight()
        result = await fetcher.get(hostile.base_url + PAGE)
    assert result.error == "robots.txt unreachable; not fetching"
    assert PAGE not in hostile.log


async def test_retry_after_is_honoured_then_succeeds(hostile, tmp_path):
    calls = []

    def flaky(handler):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Reply(429, b"slow down", {"Retry-After": "1", **HTML})
        return Reply(200, html_page("finally"), HTML)

    hostile.routes[PAGE] = flaky
    result = await fetch(hostile, tmp_path, PAGE)
    assert result.ok and result.attempts == 2
    assert calls[1] - calls[0] >= 0.9


async def test_permanent_4xx_is_never_retried(hostile, tmp_path):
    hostile.routes[PAGE] = Reply(403, b"no", HTML)
    result = await fetch(hostile, tmp_path, PAGE)
    assert result.status == 403 and result.error == "HTTP 403"
    assert hostile.log.count(PAGE) == 1


async def test_persistent_503_gives_up_after_max_attempts(hostile, tmp_path):
    hostile.routes[PAGE] = Reply(503, b"down", HTML)
    result = await fetch(hostile, tmp_path, PAGE, max_attempts=3)
    assert result.status == 503 and "gave up after 3 attempts" in result.error
    assert hostile.log.count(PAGE) == 3


async def test_truncated_body_is_retried(hostile, tmp_path):
    calls = []

    def truncating(handler):
        calls.append(1)
        if len(calls) == 1:
            return Reply(200, b"<html>cut", HTML, length=1000)
        return Reply(200, html_page("whole"), HTML)

    hostile.routes[PAGE] = truncating
    result = await fetch(hostile, tmp_path, PAGE)
    assert result.ok and result.body == html_page("whole") and result.attempts == 2


async def test_off_site_url_is_refused_without_a_request(hostile, tmp_path):
    settings = settings_for(hostile.base_url, tmp_path)
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get("http://elsewhere.example" + PAGE)
    assert result.error.startswith("off-site URL refused") and hostile.log == []


async def test_conditional_request_gets_304(hostile, tmp_path):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, html_page(), {**HTML, "ETag": '"v1"'})

    hostile.routes[PAGE] = conditional
    settings = settings_for(hostile.base_url, tmp_path)
    async with Fetcher(settings) as fetcher:
        first = await fetcher.get(hostile.base_url + PAGE)
        second = await fetcher.get(hostile.base_url + PAGE, etag=first.etag)
    assert first.ok and second.not_modified and second.body == b""


async def test_rate_limit_spaces_requests(hostile, tmp_path):
    hostile.routes[PAGE] = Reply(200, html_page(), HTML)
    settings = settings_for(hostile.base_url, tmp_path, rate=10, concurrency=2)
    async with Fetcher(settings) as fetcher:
        started = time.monotonic()
        for _ in range(5):
            await fetcher.get(hostile.base_url + PAGE)
    # robots + 5 pages at 10/s: at least 5 gaps of 0.1s
    assert time.monotonic() - started >= 0.45


def test_retry_after_parses_seconds_and_http_dates():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(later, now=now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now=now) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


async def test_retry_after_pauses_every_worker(hostile, tmp_path):
    other = DETAIL.format("other")
    seen: dict[str, float] = {}

    def limited(handler):
        if "first" not in seen:
            seen["first"] = time.monotonic()
            return Reply(429, b"slow down", {"Retry-After": "1", **HTML})
        return Reply(200, html_page(), HTML)

    def later(handler):
        seen.setdefault("other", time.monotonic())
        return Reply(200, html_page(), HTML)

    hostile.routes[PAGE] = limited
    hostile.routes[other] = later
    settings = settings_for(hostile.base_url, tmp_path, concurrency=2)
    async with Fetcher(settings, backoff_base=0.01) as fetcher:
        await fetcher.robots()
        first = asyncio.create_task(fetcher.get(hostile.base_url + PAGE))
        while "first" not in seen:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.2)  # the 429 has reached the client by now
        await fetcher.get(hostile.base_url + other)
        assert (await first).ok
    assert seen["other"] - seen["first"] >= 0.9
