"""Explicit configuration: one frozen object, built from CLI option > env var > default.

Nothing is read at import time; `Settings.from_env()` is called by the CLI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from parsers.sites import site_for
from scraper import config as scraper_config
from scraper.config import CrawlSettings

DEFAULT_SITE = "https://www.met.police.uk"
DEFAULT_DB = scraper_config.DEFAULT_DB
DEFAULT_PAGES_DB = scraper_config.DEFAULT_PAGES_DB
CONTACT_URL = scraper_config.CONTACT_URL


@dataclass(frozen=True)
class Settings(CrawlSettings):
    """The crawler's settings plus where they come from (CLI option > env > default)."""

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
        if env.get("FOILOG_CHROMIUM"):
            values["chromium_path"] = env["FOILOG_CHROMIUM"]
        if "FOILOG_CHALLENGE_TIMEOUT" in env:
            values["challenge_timeout"] = float(env["FOILOG_CHALLENGE_TIMEOUT"])
        settings = cls(**values)
        given = {k: v for k, v in overrides.items() if v is not None}
        if isinstance(given.get("site"), str):
            given["site"] = site_for(given["site"])
        for key in ("db_path", "pages_path", "cookies_path", "warc_dir"):
            if key in given:
                given[key] = Path(given[key])
        return replace(settings, **given)
