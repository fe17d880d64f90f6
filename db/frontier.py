"""Runs and their frontier: the part of the crawl state that makes a refresh resumable.

Lives in the raw page store's file (a mixin of `db.pages.PageStore`), so storing a raw
page and moving its frontier item to `stored` are one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import sqlite_utils


def create_frontier_tables(db: sqlite_utils.Database) -> None:
    """The crawl-state tables, if missing (in the caller's transaction)."""
    db.table("runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "full": int,
            "night": int,
            "discovery_done": int,
            "summary": str,  # the run's JSON summary, once finished
        },
        pk="id",
        not_null={"started_at", "full", "night", "discovery_done"},
        defaults={"full": 0, "discovery_done": 0},
        if_not_exists=True,
    )
    db.table("crawl_state").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("frontier").create(
        {
            "run_id": int,
            "url": str,
            "kind": str,
            "reason": str,  # listing | sitemap | lastmod | revisit | retry | attachments | removed | control
            "state": str,  # pending -> stored -> done | failed
            "outcome": str,  # new | changed | unchanged | removed | failed | gone | still_removed | blocked
            "has_reference": int,  # 1/0 when a body was parsed this run
            "error": str,
        },
        pk=("run_id", "url"),
        foreign_keys=[("run_id", "runs", "id")],
        not_null={"run_id", "url", "kind", "reason", "state"},
        defaults={"state": "pending"},
        if_not_exists=True,
    )


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
    """Needs `self.conn` (sqlite3, autocommit), `self.db` (sqlite-utils over the same
    connection) and `self.transaction()` from PageStore."""

    conn: sqlite3.Connection
    db: sqlite_utils.Database
    transaction: Callable[..., AbstractContextManager]

    def get_flag(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM crawl_state WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None

    def set_flag(self, key: str, value: str | None) -> None:
        with self.transaction(durable=False):
            if value is None:
                self.conn.execute("DELETE FROM crawl_state WHERE key=?", (key,))
            else:
                self.db.table("crawl_state").upsert({"key": key, "value": value}, pk="key")

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
            runs = self.db.table("runs").insert({"started_at": now, "night": night, "full": full})
            assert isinstance(runs.last_pk, int)  # an INTEGER PRIMARY KEY
            return Run(runs.last_pk, now, night, full, False, resumed=False)

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
