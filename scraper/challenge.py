"""Bot-protection interstitials: a page that stands in for the one asked for.

The platform sits behind Cloudflare (/work/shared/platform.md): a plain HTTP client
gets 403 (sometimes 503 or even 200) with `cf-mitigated: challenge` and a "Just a
moment..." page whose scripts load from `/cdn-cgi/challenge-platform/`. Such a page is
never archived as the response it replaced. One rule list, used for fetched pages and
for captures imported from web archives.
"""

from __future__ import annotations

from collections.abc import Mapping

# Markers seen in the first few KB of a challenge page (title, script names).
_BODY_MARKERS = (
    b"<title>just a moment...</title>",
    b"<title>attention required! | cloudflare</title>",
    b"/cdn-cgi/challenge-platform/",
    b"_cf_chl_opt",
    b"cf-browser-verification",
)
_HEAD_BYTES = 16 * 1024


def is_challenge(status: int, headers: Mapping[str, str], body: bytes) -> bool:
    """True when this answer is a bot-protection challenge, not the page itself."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if lowered.get("cf-mitigated", "").strip().lower() == "challenge":
        return True
    head = body[:_HEAD_BYTES].lower()
    return any(marker in head for marker in _BODY_MARKERS)
