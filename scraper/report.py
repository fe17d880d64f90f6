"""Exit codes, the canary, and the summary of a refresh (one line, or one JSON object)."""

from __future__ import annotations

import json

EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some pages failed: kept and retried next run
EXIT_UNREACHABLE = 2  # site unreachable, or bad configuration / unwritable database
EXIT_SHAPE_CHANGED = 3  # the lister yields nothing, or the reference canary tripped
EXIT_LOCKED = 4  # another refresh holds the lock on this archive
EXIT_BLOCKED = 5  # the site's bot protection (a challenge) stopped the run

EXIT_CODES_HELP = """\b
Exit codes:
  0  all well
  1  some pages failed (their raw bytes are kept; retried next run)
  2  site unreachable or bad configuration (nothing changed)
  3  the site changed shape: the lister yields no items, or fewer than
     90% of the pages parsed this run yield a reference (the canary)
  4  another refresh holds the lock on this archive
  5  blocked by the site's bot protection (a challenge page): nothing
     blocked was stored or marked removed; try --browser or --cookies FILE"""

CANARY_MIN_YIELD = 0.9
# Below this many parsed pages one odd page is not a trend, unless none has a reference.
CANARY_MIN_PAGES = 10

SUMMARY_KEYS = (
    "new",
    "changed",
    "removed",
    "unchanged",
    "failed",
    "requests",
    "bytes",
    "duration_s",
    "parse_yield",
    "blocked",
)

BLOCKED_ADVICE = (
    "run it with --browser (a headless Chromium passes the challenge), or export the "
    "cookies of a browser session on the site and pass --cookies FILE"
)
BROWSER_BLOCKED_ADVICE = (
    "even the browser could not pass it: try again later, or pass --cookies FILE from a "
    "browser session that got through (docs/operations.md, first night on the live site)"
)


def blocked_message(reason: str, *, browser: bool) -> str:
    """The one line an operator reads on a blocked night: what happened, what to do."""
    advice = BROWSER_BLOCKED_ADVICE if browser else BLOCKED_ADVICE
    return f"{reason}; nothing blocked was archived or marked removed; {advice}"


def parse_yield(parsed: int, with_reference: int) -> float | None:
    return round(with_reference / parsed, 4) if parsed else None


def canary_message(parsed: int, with_reference: int) -> str | None:
    """The loud message when too few parsed pages yield a reference, else None."""
    if not parsed:
        return None
    ratio = with_reference / parsed
    if ratio >= CANARY_MIN_YIELD:
        return None
    if parsed < CANARY_MIN_PAGES and with_reference > 0:
        return None
    return (
        f"SITE CHANGED SHAPE: only {with_reference} of {parsed} pages parsed this run "
        f"({ratio:.0%}) yield a reference (canary: {CANARY_MIN_YIELD:.0%}); "
        "check the parser against a live page (foilog check-live)"
    )


def exit_code_for(summary: dict) -> int:
    if summary.get("blocked"):
        return EXIT_BLOCKED
    if summary.get("shape_changed"):
        return EXIT_SHAPE_CHANGED
    if summary.get("failed"):
        return EXIT_SOME_FAILED
    return EXIT_OK


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def summary_line(summary: dict) -> str:
    y = summary.get("parse_yield")
    yield_text = "n/a (nothing parsed)" if y is None else f"{y:.0%}"
    return (
        f"refresh {summary.get('site', '')}: {summary['new']} new, {summary['changed']} "
        f"changed, {summary['removed']} removed, {summary['unchanged']} unchanged, "
        f"{summary['failed']} failed"
        + (f", {summary['blocked']} blocked" if summary.get("blocked") else "")
        + f"; {summary['requests']} requests "
        f"({summary.get('lister_requests', 0)} lister), {_size(summary['bytes'])}, "
        f"{summary['duration_s']:.1f}s; parse yield {yield_text}; "
        f"exit {summary.get('exit_code', 0)}"
    )


def summary_json(summary: dict) -> str:
    return json.dumps(summary, sort_keys=False, ensure_ascii=False, default=str)
