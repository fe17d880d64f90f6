"""`--cookies FILE`: a Netscape cookies.txt exported from the operator's own browser.

The format every "export cookies" browser extension and curl/wget write: one cookie a
line, `domain<TAB>include_subdomains<TAB>path<TAB>secure<TAB>expiry<TAB>name<TAB>value`,
`#` comments (`#HttpOnly_` prefixed lines are kept). Parsed by the standard library's
`http.cookiejar.MozillaCookieJar`.
"""

from __future__ import annotations

import http.cookiejar
from pathlib import Path


class CookiesFileError(Exception):
    """The cookies file cannot be used (bad configuration: exit 2)."""


def load_cookies(path: str | Path) -> list[http.cookiejar.Cookie]:
    """Every cookie in the file (expired and session cookies too: the operator chose them)."""
    path = Path(path)
    if not path.is_file():
        raise CookiesFileError(f"--cookies {path}: no such file")
    jar = http.cookiejar.MozillaCookieJar()
    try:
        jar.load(str(path), ignore_discard=True, ignore_expires=True)
    except (http.cookiejar.LoadError, UnicodeDecodeError) as exc:
        raise CookiesFileError(
            f"--cookies {path} is not a Netscape cookies.txt ({str(exc).splitlines()[0]})"
        ) from None
    except OSError as exc:
        raise CookiesFileError(f"--cookies {path}: {exc.strerror or exc}") from None
    cookies = list(jar)
    if not cookies:
        raise CookiesFileError(f"--cookies {path} holds no cookies")
    return cookies


def for_playwright(cookies: list[http.cookiejar.Cookie]) -> list[dict]:
    """The same cookies in the shape `BrowserContext.add_cookies` takes."""
    return [
        {
            "name": c.name,
            "value": c.value or "",
            "domain": c.domain,
            "path": c.path or "/",
            "secure": bool(c.secure),
            **({"expires": float(c.expires)} if c.expires else {}),
        }
        for c in cookies
    ]
