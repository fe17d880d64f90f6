"""Build a large synthetic archive quickly, through the real schema and the real loader.

Parsing 100,000 pages would take minutes, and what the search benchmark measures is the
query, not the crawl. So: parse a few thousand synthetic pages with the real parser,
then clone those records (new URL, reference, month, slug, and topic words swapped in
title, request, body and questions, as the page generator does) up to N, and load them
with `db.bulk_load.load_responses` in batches of 2,000 (the rows `load_response` writes,
one executemany per table a batch). FTS is filled by the schema's own triggers, exactly
as in production.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from bench.synth import DEFAULT_SEED, MONTHS, YEARS, SourcePage, iter_pages, new_reference

BATCH = 2000
REPO = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=8192)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    # Cached here: re's own cache (512) is too small for one pattern per template and
    # word pair.
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.I)


def parsed_templates(sources: list[SourcePage], k: int, seed: int = DEFAULT_SEED) -> list:
    """The first k synthetic pages and their records from the real parser (which never raises)."""
    from parsers import parse_response

    return [
        (parse_response(page.body, "https://www.met.police.uk" + page.url_path), page)
        for page in iter_pages(sources, k, seed)
    ]


def iter_records(templates: list, n: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[object, str]]:
    """(Response, content sha256) for n distinct responses, the templates first."""
    vocabulary = sorted(
        {w for _, page in templates for w in re.findall(r"[a-z]{5,}", page.title.lower())}
    )
    for i in range(n):
        record, page = templates[i % len(templates)]
        if i < len(templates):
            yield record, hashlib.sha256(page.html.encode()).hexdigest()
            continue
        yield _clone(record, i, random.Random(f"{seed}:clone:{i}"), vocabulary)


def _clone(record, i: int, rng: random.Random, vocabulary: list[str]) -> tuple[object, str]:
    year, month_no = rng.choice(YEARS), rng.randrange(12)
    month = MONTHS[month_no]
    own = sorted(set(re.findall(r"[a-z]{5,}", (record.title or "").lower())) & set(vocabulary))
    swaps = {w: rng.choice(vocabulary) for w in rng.sample(own, min(len(own), 2))} if own else {}
    swap = _swapper(swaps)
    title = swap(record.title or "")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] + f"-{i}"
    if year >= 2023:
        path = f"/foi-ai/metropolitan-police/disclosure-{year}/{month}-{year}/{slug}/"
    else:
        path = f"/foi-ai/metropolitan-police/d/{month}-{year}/{slug}/"
    clone = replace(
        record,
        url="https://www.met.police.uk" + path,
        reference=new_reference(record.reference or "01.FOI.24.000000", i, year),
        title=title,
        month=f"{year:04d}-{month_no + 1:02d}",
        published=f"{year:04d}-{month_no + 1:02d}-{rng.randrange(1, 29):02d}",
        request_text=swap(record.request_text),
        body_text=swap(record.body_text),
        questions=tuple(
            replace(q, text=swap(q.text), answer=swap(q.answer) if q.answer else q.answer)
            for q in record.questions
        ),
    )
    return clone, hashlib.sha256(f"{clone.url}{clone.body_text}".encode()).hexdigest()


def _swapper(swaps: dict[str, str]):
    if not swaps:
        return lambda text: text
    pattern = _words_pattern(tuple(swaps))
    return lambda text: pattern.sub(lambda m: swaps.get(m.group(0).lower(), m.group(0)), text)


def build_archive(
    path: Path,
    sources: list[SourcePage],
    n: int,
    k: int = 1000,
    seed: int = DEFAULT_SEED,
    log=print,
) -> dict:
    """A fresh archive of n responses at `path`; returns timings."""
    from db.bulk_load import load_responses
    from db.load import Provenance
    from db.schema import ensure_schema

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    templates = parsed_templates(sources, min(k, n), seed)
    parsed_s = time.perf_counter() - started
    if not templates:
        raise RuntimeError("no synthetic page parsed: cannot build the archive")
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    # Build-time only: the archive is thrown away if the benchmark dies mid-build.
    db.conn.execute("PRAGMA synchronous = OFF")
    fetched_at = "2025-01-01T00:00:00+00:00"
    loaded = 0
    batch_started = time.perf_counter()
    batch: list = []
    for record, sha in iter_records(templates, n, seed):
        batch.append((record, Provenance(record.url, fetched_at, sha)))
        if len(batch) == BATCH:
            loaded += len(load_responses(db, batch, now=fetched_at))
            batch = []
            if loaded % (BATCH * 10) == 0:
                rate = loaded / (time.perf_counter() - batch_started)
                log(f"    archive: {loaded}/{n} loaded ({rate:.0f}/s)")
    load_responses(db, batch, now=fetched_at)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count = db.conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    db.conn.close()
    return {
        "templates": len(templates),
        "parse_s": round(parsed_s, 1),
        "load_s": round(time.perf_counter() - batch_started, 1),
        "responses": count,
        "db_mb": round(path.stat().st_size / 1e6, 1),
    }


def archive_stamp(n: int, seed: int, files: tuple[str, ...] = (), extra: str = "") -> str:
    """Changes with the schema as created, the mirror, the generator and this builder
    (and `files`, the builder that calls it when it is another one, and `extra`: a
    digest of other inputs it names).

    The schema is compared as SQLite creates it (not db/schema.py's text), so an edit
    that does not change tables, indexes, FTS or triggers does not force a rebuild of
    several minutes. Not the parser, the loader's code or the mirror's pages: they
    change the rows a little, not what a search costs (delete bench/work/archive-* to
    rebuild by hand).
    """
    from db.schema import ensure_schema

    db = sqlite_utils.Database(memory=True)
    ensure_schema(db)
    schema_sql = "\n".join(
        sql
        for (sql,) in db.conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        )
    )
    digest = hashlib.sha256(f"{n}:{seed}:{extra}\n{schema_sql}".encode())
    for rel in (*files, "bench/archive_build.py", "bench/synth.py", "db/bulk_load.py"):
        file = REPO / rel
        digest.update(file.read_bytes() if file.exists() else b"-")
    return digest.hexdigest()[:16]


def ensure_archive(
    path: Path, sources: list[SourcePage], n: int, seed: int = DEFAULT_SEED, log=print
) -> dict:
    """Reuse an archive built from identical code and inputs, else build it."""
    stamp_file = Path(f"{path}.stamp")
    stamp = archive_stamp(n, seed)
    if Path(path).exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return {"reused": True}
    info = build_archive(path, sources, n, seed=seed, log=log)
    stamp_file.write_text(stamp)
    return info
