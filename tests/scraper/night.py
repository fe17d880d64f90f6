"""Helpers for the first-night tests: the CLI as cron runs it, and archive snapshots."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

FOILOG = str(Path(sys.executable).parent / "foilog")


def run_foilog(*args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("FOILOG_")}
    return subprocess.run(
        [FOILOG, *map(str, args)],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        timeout=timeout,
    )


def refresh(site, tmp_path: Path, *extra, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_foilog(
        "refresh",
        "--site",
        site.base_url,
        "--db",
        tmp_path / "foi.db",
        "--pages-db",
        tmp_path / "pages.db",
        "--rate",
        "0",
        "--concurrency",
        "4",
        "--json",
        *extra,
        env=env,
    )


def summary(proc: subprocess.CompletedProcess) -> dict:
    assert proc.stdout.count("\n") == 1, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def snapshot(db_path: Path) -> dict:
    """Everything a reader of the archive could see, as comparable data."""
    conn = sqlite3.connect(db_path)
    try:
        out = {}
        for table in ("responses", "questions", "response_events", "crawl_runs"):
            out[table] = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        return out
    finally:
        conn.close()


def events(db_path: Path, url: str) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT event FROM response_events WHERE url = ? ORDER BY at, id", (url,)
        ).fetchall()
        return [r[0] for r in rows]
    finally:
        conn.close()


def removed_count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT COUNT(*) FROM responses WHERE removed_at IS NOT NULL"
        ).fetchone()[0]
    finally:
        conn.close()
