"""Bot-protection interstitials: the ONE place that says what a challenge looks like.

A challenge ("Just a moment...", Cloudflare's managed/JS challenge) is never a page
of the site: it is never parsed, never stored as a version of a page, never taken as
a removal and never retried in a tight loop. The crawler asks `challenge_reason()`
about every answer it reads; a non-None reason makes the answer "blocked".

The rules below are data. Each says which answers it applies to and what it looks
for; the first that matches names the reason. Sources: ../docs/operations.md
("first night on the live site") and the platform notes: 403 (sometimes 503) with
`Server: cloudflare`, `cf-mitigated: challenge`, `<title>Just a moment...</title>`,
scripts with `_cf_chl_opt` or `/cdn-cgi/challenge-platform/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Statuses a challenge is served with. A 200 is checked too, but only against the
# strongest markers (a real page never carries the challenge's own script).
CHALLENGE_STATUSES = frozenset({403, 429, 503})
# How much of a body is enough to recognise one (they are a few KB).
SNIFF_BYTES = 64 * 1024

_TITLE = re.compile(rb"<title>\s*(just a moment|attention required)[^<]*</title>", re.IGNORECASE)
_SCRIPT_MARKERS = (b"_cf_chl_opt", b"/cdn-cgi/challenge-platform/", b"cf-chl-", b"cf_chl_")


@dataclass(frozen=True)
class Rule:
    name: str
    statuses: frozenset[int] | None  # None: any status
    header: tuple[str, str] | None = None  # (name, value substring), lower case
    title: bool = False
    script: bool = False
    server_cloudflare: bool = False

    def matches(self, status: int, headers: dict[str, str], body: bytes) -> bool:
        if self.statuses is not None and status not in self.statuses:
            return False
        if self.header is not None:
            name, value = self.header
            if value not in headers.get(name, "").lower():
                return False
        if self.server_cloudflare and "cloudflare" not in headers.get("server", "").lower():
            return False
        head = body[:SNIFF_BYTES]
        if self.title and not _TITLE.search(head):
            return False
        if self.script and not any(marker in head for marker in _SCRIPT_MARKERS):
            return False
        return True


RULES: tuple[Rule, ...] = (
    Rule("cf-mitigated: challenge header", None, header=("cf-mitigated", "challenge")),
    Rule("Cloudflare challenge page", CHALLENGE_STATUSES, server_cloudflare=True, title=True),
    Rule("Cloudflare challenge script", CHALLENGE_STATUSES, server_cloudflare=True, script=True),
    Rule("challenge page (title and script)", CHALLENGE_STATUSES, title=True, script=True),
    Rule("challenge page served as 200", frozenset({200}), title=True, script=True),
)


def challenge_reason(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Why this answer is a bot-protection interstitial, or None if it is not one.

    `headers` with lower-case names. Example:

        challenge_reason(403, {"cf-mitigated": "challenge"}, b"...")
        -> "cf-mitigated: challenge header"
    """
    headers = {k.lower(): v for k, v in headers.items()}
    for rule in RULES:
        if rule.matches(status, headers, body):
            return rule.name
    return None


def may_be_challenge(status: int, headers: dict[str, str]) -> bool:
    """Worth reading the body of a non-200 answer to look for markers."""
    return status in CHALLENGE_STATUSES or "cf-mitigated" in headers


def is_challenge(status: int, headers: dict[str, str], body: bytes) -> bool:
    """True when this answer is a bot-protection interstitial (captures from web archives too)."""
    return challenge_reason(status, headers, body) is not None
