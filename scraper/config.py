"""What the crawler is told: one frozen object, passed down from the command line.

The crawler never reads the environment or imports the CLI's settings module
(`foilog/settings.py` builds a `CrawlSettings` from options and `FOILOG_*` variables).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parsers.sites import SiteDefinition

DEFAULT_DB = Path("data/foi.db")
DEFAULT_PAGES_DB = Path("data/pages.db")
CONTACT_URL = "https://github.com/foilog/foilog"


@dataclass(frozen=True)
class CrawlSettings:
    site: SiteDefinition
    db_path: Path = DEFAULT_DB
    pages_path: Path = DEFAULT_PAGES_DB
    user_agent: str = f"foilog/0.1 (+{CONTACT_URL}; FOI disclosure-log archive)"
    rate: float = 1.0  # requests per second, across all workers
    concurrency: int = 2
    max_page_bytes: int = 20 * 1024 * 1024
    max_attachment_bytes: int = 50 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_attempts: int = 5
    max_retry_delay: float = 120.0  # total seconds of backoff one request may spend
    full: bool = False
    recent_days: int = 90  # pages first seen this recently are revisited nightly
    revisit_slice: int = 30  # 1/N of older pages revisited each night
    # bot protection (scraper/challenge.py): pass interstitials with a headless
    # Chromium, and/or start with the operator's own browser cookies
    browser: bool = False
    chromium_path: str | None = None  # None: auto-detect (scraper/browser.py)
    cookies_path: Path | None = None  # a Netscape cookies.txt
    warc_dir: Path | None = None  # refresh --warc-dir: each run's answers as one WARC file
    challenge_timeout: float = 20.0  # seconds the browser waits for a challenge to pass
