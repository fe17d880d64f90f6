"""Test pages: response text wrapped in chrome markup written here, not the mirror's.

Each layout is a different guess at how a CMS might mark up the same page, so the
parser is tested against markup it was not written for.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

SEEDS = Path("/work/shared/seeds")
SAMPLES = Path("/work/shared/real-samples")

# Chrome sentences as the seeds show them (ground truth, copied from the seed files).
QUICK_EXIT = "Quickly exit this site by pressing the Escape key"
LEAVE = "Leave this site"
COOKIE_1 = (
    "We use some essential cookies to make our website work. We\u2019d like to set additional cookies "
    "so we can remember your preferences and understand how you use our site."
)
COOKIE_2 = (
    "You can manage your preferences and cookie settings at any time by clicking on \u201cCustomise "
    "Cookies\u201d below. For more information on how we use cookies, please see our Cookies notice."
)
SAVED = (
    "Your cookie preferences have been saved. You can update your cookie settings at any time on the "
    "cookies page."
)
ERROR = "Sorry, there was a technical problem. Please try again."
BETA = (
    "This site is a beta, which means it's a work in progress and we'll be adding more to it over the "
    "next few weeks. Your feedback helps us make things better, so please let us know what you think."
)
# Substrings that must never appear in any parsed field.
CHROME_MARKERS = (
    "Quickly exit",
    "Leave this site",
    "essential cookies",
    "cookie preferences",
    "Customise Cookies",
    "technical problem",
    "This site is a beta",
    "let us know what you think",
    "Skip to main content",
    "Was this page helpful",
    "Accept all cookies",
    "Reject additional cookies",
    "Share this page",
    "Site footer text",
    "Main menu item",
    # Welsh pages' chrome (/cy-GB/).
    "Allanfa Gyflym",
    "cwcis hanfodol",
    "dewisiadau cwcis",
    "problem dechnegol",
    "fersiwn 'beta'",
    "beth yw eich barn",
    # A one-off site-wide notice (see SITE_NOTICE).
    "address finder",
)
CHROME_LINE_PREFIXES = (
    "Quickly exit",
    "Leave this site",
    "We use some essential cookies",
    "You can manage your preferences",
    "Your cookie preferences",
    "Sorry, there was a technical",
    "This site is a beta",
    "Allanfa Gyflym",
    "Rydym yn defnyddio rhai cwcis",
    "Gallwch reoli eich dewisiadau",
    "Mae eich dewisiadau cwcis",
    "Mae\u2019n ddrwg gennym",
    "Diolch am roi cynnig",
)
# A one-off site-wide notice after the beta banner, as pages carry now and then: no
# fixed chrome list names it.
SITE_NOTICE = (
    "Our address finder is temporarily unavailable while we fix a fault. "
    "We apologise for any inconvenience."
)

SEED_URLS = {
    "000": "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/live-video-streaming-via-cellular-technology/",
    "001": "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2023/november-2023/facial-recognition-technology-protests/",
    "002": "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2023/august-2023/facial-recognition-analytics-over-coronation-weekend/",
}


def seed_lines(number: str) -> tuple[list[str], list[str]]:
    """(chrome lines, content lines) of seed `number` ("000"...)."""
    path = next(SEEDS.glob(f"{number}_*.txt"))
    return split_chrome([line.strip() for line in path.read_text(encoding="utf-8").splitlines()])


def split_chrome(lines: list[str]) -> tuple[list[str], list[str]]:
    """Leading chrome lines (a simple rule of the test's own) and the rest, empties dropped."""
    lines = [line for line in lines if line]
    i = 0
    while i < len(lines) and lines[i].startswith(CHROME_LINE_PREFIXES):
        i += 1
    return lines[:i], lines[i:]


def samples() -> list[dict]:
    out = []
    for name in ("mps_openings.jsonl", "other_forces_openings.jsonl"):
        for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{esc(line)}</p>\n" for line in lines)


_NUMBERED = re.compile(r"(\d{1,2})\. (.+)")
_LETTERED = re.compile(r"([a-z])\. (.+)")


def lists(lines: list[str]) -> str:
    """Numbered lines as `<ol>` items (numbers dropped, as a CMS stores them), letters nested."""
    out: list[str] = []
    state = None  # None | "ol" | "sub"
    for line in lines:
        num, let = _NUMBERED.fullmatch(line), _LETTERED.fullmatch(line)
        if num and state is None:
            out.append(f'<ol start="{num.group(1)}"><li>{esc(num.group(2))}')
            state = "ol"
        elif num:
            if state == "sub":
                out.append("</li></ol>")
            out.append(f'</li><li value="{num.group(1)}">{esc(num.group(2))}')
            state = "ol"
        elif let and state in ("ol", "sub"):
            if state == "ol":
                out.append('<ol type="a">')
            else:
                out.append("</li>")
            out.append(f'<li value="{ord(let.group(1)) - 96}">{esc(let.group(2))}')
            state = "sub"
        else:
            if state == "sub":
                out.append("</li></ol>")
            if state:
                out.append("</li></ol>\n")
            state = None
            out.append(f"<p>{esc(line)}</p>\n")
    if state == "sub":
        out.append("</li></ol>")
    if state:
        out.append("</li></ol>")
    return "".join(out)


def _head(title: str) -> str:
    return (
        f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)} | '
        'Metropolitan Police</title><script>window.dataLayer=[{"page":"Quickly exit"}]</script>'
        '<style>.x{content:"Leave this site"}</style></head>'
    )


_COOKIE_REGION = (
    f'<section class="ccc-banner" aria-label="Cookie banner"><p>{esc(COOKIE_1)}</p><p>{esc(COOKIE_2)}</p>'
    "<button>Accept all cookies</button><button>Reject additional cookies</button></section>"
    f'<div hidden><p>{esc(SAVED)}</p></div><div style="display: none"><p>{esc(SAVED)}</p></div>'
    f'<div aria-live="polite" style="DISPLAY:NONE">{esc(ERROR)}</div>'
)
_SITE_HEADER = (
    f'<a class="skip" href="#c">Skip to main content</a><div class="exit-bar"><p>{esc(QUICK_EXIT)} '
    f'<a href="https://www.bbc.co.uk/weather">{esc(LEAVE)}</a></p></div>'
    '<header><nav><ul><li><a href="/">Main menu item</a></li><li><a href="/foi-ai/">Main menu item</a></li></ul></nav></header>'
    f'<div class="phase"><p>{esc(BETA)}</p></div>'
)
_SITE_FOOTER = (
    '<div class="rating"><form action="/feedback"><p>Was this page helpful?</p><button>Yes</button></form></div>'
    '<aside><a href="https://twitter.com/share">Share this page</a></aside>'
    '<footer><p>Site footer text</p><a href="/accessibility.pdf">Accessibility</a></footer></body></html>'
)


def wrap(layout: str, title: str, content_html: str, chrome_lines: list[str] | None = None) -> str:
    """A full page in one of the test layouts around `content_html`."""
    h1 = f"<h1>{esc(title)}</h1>"
    published = '<p class="meta">Published: 12 August 2024</p>'
    if layout == "main":
        body = f'{_COOKIE_REGION}{_SITE_HEADER}<main id="c">{h1}{published}{content_html}</main>'
    elif layout == "div_content":
        body = f'{_SITE_HEADER}<div id="wrapper"><div class="col">{h1}{content_html}</div></div>{_COOKIE_REGION}'
    elif layout == "banner_in_main":
        flat = "".join(
            f'<div class="notice"><p>{esc(line)}</p></div>' for line in (chrome_lines or [])
        )
        body = f"<main>{flat}<article>{h1}{content_html}</article></main>"
    elif layout == "br":
        body = (
            f'<div class="page">{h1}<p>'
            + "<br>\n".join(esc(x) for x in (chrome_lines or []))
            + ("<br>" if chrome_lines else "")
            + content_html
            + "</p></div>"
        )
    elif layout == "h1_outside_main":
        body = f'{_SITE_HEADER}<div class="title-band">{h1}</div><main></main><main role="main">{content_html}</main>'
    elif layout == "empty_main":
        body = f'{_SITE_HEADER}<main><h1>{esc(title)}</h1></main><div class="body-copy">{content_html}</div>'
    else:
        raise ValueError(layout)
    return _head(title) + f'<body class="cookie-consent-pending">{body}{_SITE_FOOTER}'


def br_lines(lines: list[str]) -> str:
    return "<br>\n".join(esc(line) for line in lines)


LAYOUTS = ("main", "div_content", "banner_in_main", "br", "h1_outside_main", "empty_main")


def page(
    layout: str,
    title: str,
    content_lines: list[str],
    chrome_lines: list[str],
    use_lists: bool = False,
) -> str:
    if layout == "br":
        return wrap("br", title, br_lines(content_lines), chrome_lines)
    inner = lists(content_lines) if use_lists else paragraphs(content_lines)
    return wrap(layout, title, inner, chrome_lines)
