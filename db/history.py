"""A response's history for readers: its stored versions, what changed, and the events.

Reads the raw page store (`data/pages.db`) read-only, so `foilog serve` can show every
version we fetched while the nightly refresh writes. Each version is parsed again with
the current parser and compared with the one before: the summary says what a reader
would notice (title, request, answers, exemptions, outcome, words added and removed), and
`text_diff` gives the changed passages word by word. Events (new, changed, removed,
restored) come from the archive's `response_events` table.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from parsers import parse_response


@dataclass(frozen=True)
class Version:
    number: int
    fetched_at: str  # when this content was first fetched
    last_fetched_at: str  # the last time the site served it
    sha256: str
    size: int
    content_type: str | None


@dataclass(frozen=True)
class Event:
    event: str  # new, changed, removed, restored
    at: str
    run_id: int | None


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "del" or "ins"
    text: str


@dataclass(frozen=True)
class VersionChange:
    """One version compared with the one before it."""

    version: Version
    summary: str
    hunks: tuple[tuple[Segment, ...], ...]  # changed passages, each with a little context


@dataclass(frozen=True)
class HistoryItem:
    at: str
    kind: str  # "version", "removed", "restored", "new", "changed"
    text: str
    version: int | None = None


class RawPages:
    """Read-only access to the raw page store's versions (a connection per call: thread-safe)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def versions(self, url: str) -> list[Version]:
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT version, first_fetched_at, fetched_at, sha256, size, content_type "
                "FROM pages WHERE url = ? ORDER BY version",
                (url,),
            ).fetchall()
        finally:
            conn.close()
        return [Version(*tuple(r)) for r in rows]

    def body(self, url: str, version: int | None = None) -> tuple[Version, bytes] | None:
        """A stored version (the latest when `version` is None) and its body."""
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT version, first_fetched_at, fetched_at, sha256, size, content_type, "
                "compression, body FROM pages WHERE url = ? AND (? IS NULL OR version = ?) "
                "ORDER BY version DESC LIMIT 1",
                (url, version, version),
            ).fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        body = zlib.decompress(row["body"]) if row["compression"] == "zlib" else row["body"]
        return Version(*tuple(row)[:6]), body


def events(conn: sqlite3.Connection, response_id: str) -> list[Event]:
    rows = conn.execute(
        "SELECT event, at, run_id FROM response_events WHERE response_id = ? ORDER BY at, id",
        (response_id,),
    )
    return [Event(*r) for r in rows]


def changes(store: RawPages, url: str) -> list[VersionChange]:
    """Every version after the first, compared with the one before it (oldest first)."""
    versions = store.versions(url)
    out: list[VersionChange] = []
    for before, after in zip(versions, versions[1:]):
        old, new = _record(store, url, before), _record(store, url, after)
        out.append(VersionChange(after, summarise(old, new), text_diff(old.text, new.text)))
    return out


def timeline(versions: list[Version], changes_: list[VersionChange], events_: list[Event]):
    """Versions and events in one list, newest first."""
    summaries = {c.version.number: c.summary for c in changes_}
    items = [
        HistoryItem(
            v.fetched_at,
            "version",
            "First archived" if v.number == 1 else summaries.get(v.number, "Changed"),
            v.number,
        )
        for v in versions
    ]
    # With stored versions, new/changed events are the versions themselves.
    shown = {"removed", "restored"} if versions else {"new", "changed", "removed", "restored"}
    words = {
        "new": "First archived",
        "changed": "Changed on the force's website",
        "removed": "Removed from the force's website",
        "restored": "Back on the force's website",
    }
    items += [HistoryItem(e.at, e.event, words[e.event]) for e in events_ if e.event in shown]
    return sorted(items, key=lambda i: (i.at, i.version or 0), reverse=True)


@dataclass(frozen=True)
class _Parsed:
    title: str
    request: str
    answers: tuple[tuple[str, str], ...]
    sections: tuple[int, ...]
    outcome: str
    text: str


def _record(store: RawPages, url: str, version: Version) -> _Parsed:
    return _parse_version(str(store.path), url, version.number, version.sha256)


@lru_cache(maxsize=256)
def _parse_version(path: str, url: str, number: int, sha256: str) -> _Parsed:
    found = RawPages(path).body(url, number)
    body = found[1] if found else b""
    record = parse_response(body, url)
    return _Parsed(
        title=record.title or "",
        request=record.request_text or "",
        answers=tuple((q.text, q.answer or "") for q in record.questions),
        sections=tuple(sorted({e.section for e in record.exemptions})),
        outcome=record.outcome or "",
        text=record.body_text or "",
    )


def summarise(old: _Parsed, new: _Parsed) -> str:
    """What a reader would notice, in words: 'Title changed; 12 words added, 3 removed'."""
    notes = []
    if old.title != new.title:
        notes.append("title changed")
    if old.request != new.request:
        notes.append("request changed")
    if len(old.answers) != len(new.answers):
        notes.append(f"questions {len(old.answers)} → {len(new.answers)}")
    elif old.answers != new.answers:
        notes.append("questions or answers changed")
    if old.sections != new.sections:
        notes.append("exemptions changed")
    if old.outcome != new.outcome:
        notes.append(f"outcome {old.outcome or 'unknown'} → {new.outcome or 'unknown'}")
    added, removed = _word_counts(old.text, new.text)
    if added or removed:
        notes.append(f"{added} words added, {removed} removed")
    if not notes:
        return "Page changed, text the same (only the site's markup changed)"
    return "; ".join(notes).capitalize()


_WORDS = re.compile(r"\s+|[^\s]+")


def _word_counts(old: str, new: str) -> tuple[int, int]:
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            removed += i2 - i1
        if op in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def text_diff(old: str, new: str, context: int = 1) -> tuple[tuple[Segment, ...], ...]:
    """Changed passages: lines compared first, then words inside the lines that changed."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        segments: list[Segment] = []
        for op, i1, i2, j1, j2 in group:
            before, after = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
            if op == "equal":
                segments.append(Segment("same", before + "\n"))
            elif op == "delete":
                segments.append(Segment("del", before + "\n"))
            elif op == "insert":
                segments.append(Segment("ins", after + "\n"))
            else:
                segments += _word_diff(before, after)
                segments.append(Segment("same", "\n"))
        hunks.append(tuple(_merge(segments)))
    return tuple(hunks)


def _word_diff(old: str, new: str) -> list[Segment]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("ins", "".join(b[j1:j2])))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if merged and merged[-1].kind == seg.kind:
            merged[-1] = Segment(seg.kind, merged[-1].text + seg.text)
        else:
            merged.append(seg)
    return merged


@dataclass(frozen=True)
class ChangeItem:
    event_id: int
    response_id: str
    event: str
    at: str
    url: str
    reference: str | None
    title: str | None
    force: str | None


def recent_changes(conn: sqlite3.Connection, limit: int = 50) -> list[ChangeItem]:
    """The latest changes, removals and restorations, newest first."""
    rows = conn.execute(
        "SELECT e.id, e.response_id, e.event, e.at, e.url, r.reference, r.title, r.force "
        "FROM response_events e LEFT JOIN responses r ON r.id = e.response_id "
        "WHERE e.event IN ('changed', 'removed', 'restored') "
        "ORDER BY e.at DESC, e.id DESC LIMIT ?",
        (limit,),
    )
    return [ChangeItem(*row) for row in rows]
