"""The mirror's bot protection (`foilog fixture-site --challenge`): a Cloudflare-like
JavaScript challenge in front of every path.

A request without a valid clearance cookie gets what the live site's plain-HTTP
visitors report: HTTP 403, `Server: cloudflare`, `cf-mitigated: challenge`, a page
titled "Just a moment..." with a `_cf_chl_opt` script. In a browser the script sets
the clearance cookie and reloads, as the real one does after its checks. The cookie
is bound to the User-Agent that passed (as `cf_clearance` is), so a crawler must
reuse the browser's cookies AND its User-Agent.

Modes: "js" (passable by a browser), "navigate" (passable, but the clearance only
counts on a browser's own navigations, `Sec-Fetch-Mode: navigate`: the challenge comes
back for an HTTP client holding the browser's cookies, so a crawler must fetch through
the browser itself) and "unpassable" (the script sets a cookie the server never
accepts and reloads, for ever: a challenge even a browser cannot pass).
"""

from __future__ import annotations

import hashlib
from http.cookies import SimpleCookie

MODES = ("js", "navigate", "unpassable")
COOKIE = "cf_clearance"
_SECRET = b"foilog-mirror-challenge"


def clearance_token(user_agent: str) -> str:
    return hashlib.sha256(_SECRET + user_agent.encode("utf-8", "replace")).hexdigest()[:32]


def is_cleared(
    cookie_header: str | None, user_agent: str, mode: str = "js", fetch_mode: str | None = None
) -> bool:
    if mode == "navigate" and fetch_mode != "navigate":
        return False
    if not cookie_header:
        return False
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # noqa: BLE001  (a malformed Cookie header clears nothing)
        return False
    morsel = jar.get(COOKIE)
    return morsel is not None and morsel.value == clearance_token(user_agent)


def challenge_page(mode: str, user_agent: str) -> bytes:
    token = clearance_token(user_agent) if mode != "unpassable" else "rejected"
    return f"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body><div class="main-wrapper" role="main"><div class="main-content">
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies
to continue</span></div></noscript></div></div>
<script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: 'www.met.police.uk',
cType: 'managed',cRay: '8f3a1c2b4d5e6f70',cH: 'mirror'}};
var s=document.createElement('script');s.src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8f3a1c2b4d5e6f70';
setTimeout(function(){{document.cookie='{COOKIE}={token}; path=/; SameSite=Lax';
location.reload();}}, 300);}}());</script></body></html>""".encode()


CHALLENGE_HEADERS = {
    "Content-Type": "text/html; charset=UTF-8",
    "Server": "cloudflare",
    "cf-mitigated": "challenge",
    "Cache-Control": "private, max-age=0, no-store, no-cache, must-revalidate",
    "CF-RAY": "8f3a1c2b4d5e6f70-LHR",
}
