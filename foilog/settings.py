"""Explicit configuration: one frozen object, built from CLI option > env var > default.

Nothing is read at import time; `Settings.from_env()` is called by the CLI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from parsers.sites import SiteDefinition, site_for

DEFAULT_SITE = "https://www.met.police.uk"
DEFAULT_DB = Path("data/foi.db")
DEFAULT_PAGES_DB = Path("data/pages.db")
CONTACT_URL = "https://github.com/foilog/foilog"


@dataclass(frozen=True)
class Settings:
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
    warc_dir: Path | None = None  # refresh --warc-dir: each run's answers as one WARC file

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Defaults, overridden by FOILOG_* env vars, overridden by non-None kwargs."""
        env = os.environ
        values: dict = {
            "site": site_for(env.get("FOILOG_SITE", DEFAULT_SITE)),
            "db_path": Path(env.get("FOILOG_DB", DEFAULT_DB)),
            "pages_path": Path(env.get("FOILOG_PAGES_DB", DEFAULT_PAGES_DB)),
        }
        if "FOILOG_USER_AGENT" in env:
            values["user_agent"] = env["FOILOG_USER_AGENT"]
        if "FOILOG_RATE" in env:
            values["rate"] = float(env["FOILOG_RATE"])
        if "FOILOG_CONCURRENCY" in env:
            values["concurrency"] = int(env["FOILOG_CONCURRENCY"])
        settings = cls(**values)
        given = {k: v for k, v in overrides.items() if v is not None}
        if isinstance(given.get("site"), str):
            given["site"] = site_for(given["site"])
        for key in ("db_path", "pages_path", "warc_dir"):
            if key in given:
                given[key] = Path(given[key])
        return replace(settings, **given)
