"""Runs and their frontier: the part of the crawl state that makes a refresh resumable.

Lives in the raw page store's file (a mixin of `db.pages.PageStore`), so storing a raw
page and moving its frontier item to `stored` are one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FRONTIER_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    full INTEGER NOT NULL DEFAULT 0,
    night INTEGER NOT NULL,
    discovery_done INTEGER NOT NULL DEFAULT 0,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS crawl_state (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS frontier (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,              -- listing | sitemap | lastmod | revisit | retry | attachments | removed | control
    state TEXT NOT NULL DEFAULT 'pending',  -- pending -> stored -> done | failed
    outcome TEXT,                      -- new | changed | unchanged | removed | failed | gone | still_removed | blocked
    has_reference INTEGER,             -- 1/0 when a body was parsed this run
    error TEXT,
    PRIMARY KEY (run_id, url)
);
"""

PENDING, STORED, DONE, FAILED = "pending", "stored", "done", "failed"


@dataclass(frozen=True)
class FrontierItem:
    url: str
    kind: str
    reason: str
    state: str


@dataclass(frozen=True)
class Run:
    id: int
    started_at: str
    night: int
    full: bool
    discovery_done: bool
    resumed: bool


class RunsAndFrontier:
    """Needs `self.conn` (sqlite3, autocommit) and `self.transaction()` from PageStore."""

    def get_flag(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM crawl_state WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None

    def set_flag(self, key: str, value: str | None) -> None:
        with self.transaction(durable=False):
            if value is None:
                self.conn.execute("DELETE FROM crawl_state WHERE key=?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO crawl_state (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    (key, value),
                )

    # -- runs and frontier ----------------------------------------------------------

    def start_or_resume_run(self, now: str, night: int, full: bool) -> Run:
        """The unfinished run if a previous one was killed, else a new one."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT * FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is not None:
                if full and not row["full"]:
                    self.conn.execute(
                        "UPDATE runs SET full=1, discovery_done=0 WHERE id=?", (row["id"],)
                    )
                return Run(
                    row["id"],
                    row["started_at"],
                    row["night"],
                    bool(row["full"]) or full,
                    bool(row["discovery_done"]) and not (full and not row["full"]),
                    resumed=True,
                )
            cur = self.conn.execute(
                "INSERT INTO runs (started_at, night, full) VALUES (?,?,?)",
                (now, night, int(full)),
            )
            return Run(cur.lastrowid, now, night, full, False, resumed=False)

    def mark_discovery_done(self, run_id: int) -> None:
        with self.transaction(durable=False):
            self.conn.execute("UPDATE runs SET discovery_done=1 WHERE id=?", (run_id,))

    def finish_run(self, run_id: int, finished_at: str, summary_json: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at=?, summary=? WHERE id=?",
                (finished_at, summary_json, run_id),
            )

    def add_to_frontier(self, run_id: int, items: Iterable[tuple[str, str, str]]) -> int:
        """Add (url, kind, reason) items not already in this run's frontier."""
        added = 0
        with self.transaction(durable=False):
            for url, kind, reason in items:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO frontier (run_id, url, kind, reason) VALUES (?,?,?,?)",
                    (run_id, url, kind, reason),
                )
                added += cur.rowcount
        return added

    def open_items(self, run_id: int) -> list[FrontierItem]:
        """Items still to do (pending, or stored but not yet loaded), in insertion order."""
        rows = self.conn.execute(
            "SELECT url, kind, reason, state FROM frontier WHERE run_id=? AND state IN (?,?)"
            " ORDER BY rowid",
            (run_id, PENDING, STORED),
        )
        return [FrontierItem(r["url"], r["kind"], r["reason"], r["state"]) for r in rows]

    def set_state(
        self,
        run_id: int,
        url: str,
        state: str,
        *,
        outcome: str | None = None,
        error: str | None = None,
        has_reference: bool | None = None,
    ) -> None:
        with self.transaction(durable=False):
            self.conn.execute(
                "UPDATE frontier SET state=?, outcome=COALESCE(?, outcome), error=?,"
                " has_reference=COALESCE(?, has_reference) WHERE run_id=? AND url=?",
                (
                    state,
                    outcome,
                    error,
                    None if has_reference is None else int(has_reference),
                    run_id,
                    url,
                ),
            )

    def run_outcomes(self, run_id: int) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT outcome, COUNT(*) AS n FROM frontier WHERE run_id=? AND outcome IS NOT NULL"
            " GROUP BY outcome",
            (run_id,),
        )
        return {r["outcome"]: r["n"] for r in rows}

    def run_urls_with_outcome(self, run_id: int, outcome: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT url FROM frontier WHERE run_id=? AND outcome=? ORDER BY rowid",
            (run_id, outcome),
        )
        return [r["url"] for r in rows]

    def run_urls(self, run_id: int) -> set[str]:
        rows = self.conn.execute("SELECT url FROM frontier WHERE run_id=?", (run_id,))
        return {r["url"] for r in rows}

    def run_reference_yield(self, run_id: int) -> tuple[int, int]:
        """(pages parsed this run, of which with a reference)."""
        row = self.conn.execute(
            "SELECT COUNT(has_reference) AS parsed, COALESCE(SUM(has_reference), 0) AS refs"
            " FROM frontier WHERE run_id=?",
            (run_id,),
        ).fetchone()
        return row["parsed"], row["refs"]

    def run_failures(self, run_id: int) -> list[dict]:
        rows = self.conn.execute(
            "SELECT url, error FROM frontier WHERE run_id=? AND state=? ORDER BY rowid",
            (run_id, FAILED),
        )
        return [{"url": r["url"], "error": r["error"]} for r in rows]
