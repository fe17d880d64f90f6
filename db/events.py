"""The archive's event log: what happened to each response, night by night.

`response_events(response_id, url, event, at, run_id)`, event one of `new`, `changed`,
`removed`, `restored`. Each event is written by the function that makes the change it
records (db/load.py), inside the same transaction, so the log never says something
happened that the archive does not show, nor misses something it does.

A re-parse of stored pages (`seen=False`) writes no event: the site did not change.
"""

from __future__ import annotations

import sqlite_utils

EVENTS = ("new", "changed", "removed", "restored")


def record_event(
    db: sqlite_utils.Database,
    response_id: str,
    url: str,
    event: str,
    at: str,
    run_id: int | None = None,
) -> None:
    """Append one event; call it inside the transaction that makes the change."""
    if event not in EVENTS:
        raise ValueError(f"unknown response event {event!r}")
    db.conn.execute(
        "INSERT INTO response_events (response_id, url, event, at, run_id) VALUES (?, ?, ?, ?, ?)",
        (response_id, url, event, at, run_id),
    )


def events_for(db: sqlite_utils.Database, response_id: str) -> list[dict]:
    """A response's events, oldest first."""
    cursor = db.conn.execute(
        "SELECT event, at, url, run_id FROM response_events WHERE response_id = ? ORDER BY at, id",
        (response_id,),
    )
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor]
