"""The one rule list for bot-protection interstitials (scraper/challenge.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from foilog.fixture_challenge import CHALLENGE_HEADERS, challenge_page
from scraper.challenge import challenge_reason

JUST_A_MOMENT = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<script>window._cf_chl_opt={cvId:'3'};</script>"
    b'<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script>'
    b"</body></html>"
)
REAL_PAGE = next(
    p
    for p in (Path(__file__).resolve().parents[2] / "fixtures" / "site" / "foi-ai").rglob(
        "index.html"
    )
)


@pytest.mark.parametrize(
    "status, headers, body",
    [
        (403, {"cf-mitigated": "challenge"}, b""),
        (403, {"Server": "cloudflare"}, JUST_A_MOMENT),
        (503, {"server": "cloudflare"}, b"<html><title>Just a moment...</title></html>"),
        (503, {"server": "cloudflare"}, b"<script>var _cf_chl_opt = {}</script>"),
        (403, {}, JUST_A_MOMENT),  # served without the tell-tale headers
        (200, {}, JUST_A_MOMENT),  # a challenge answered 200
        (403, {k.lower(): v for k, v in CHALLENGE_HEADERS.items()}, challenge_page("js", "x")),
    ],
)
def test_challenges_are_recognised(status, headers, body):
    assert challenge_reason(status, headers, body) is not None


@pytest.mark.parametrize(
    "status, headers, body",
    [
        (403, {"server": "Microsoft-IIS/10.0"}, b"<html><title>Forbidden</title></html>"),
        (503, {"server": "cloudflare"}, b"<html><title>Service Unavailable</title></html>"),
        (404, {"server": "cloudflare"}, JUST_A_MOMENT[:60]),
        (200, {"server": "cloudflare"}, b"<html><title>Just a moment...</title></html>"),
    ],
)
def test_ordinary_answers_are_not_challenges(status, headers, body):
    assert challenge_reason(status, headers, body) is None


def test_a_real_response_page_is_not_a_challenge():
    assert challenge_reason(200, {"server": "cloudflare"}, REAL_PAGE.read_bytes()) is None


def test_the_mirror_challenge_looks_like_the_real_one(mirror):
    import httpx

    mirror.set_challenge("js")
    answer = httpx.get(mirror.url("/robots.txt"))
    assert answer.status_code == 403
    assert answer.headers.get_list("server") == ["cloudflare"]
    assert answer.headers["cf-mitigated"] == "challenge"
    assert "<title>Just a moment...</title>" in answer.text and "_cf_chl_opt" in answer.text
    assert challenge_reason(answer.status_code, dict(answer.headers), answer.content)
    mirror.set_challenge(None)
    assert httpx.get(mirror.url("/robots.txt")).status_code == 200
