"""The national synthetic archive: 500,000 responses over 40+ forces, full-length pages.

Built like `bench.archive_build` (the real parser on a few hundred synthetic pages, their
records cloned), written with `db.bulk_load` (the rows `db.load.load_response` writes,
batched; clones and their rows made on every core, one writer), but:

- every clone belongs to one of the platform's forces (its URL under
  `/foi-ai/<force>/...`, `force` set), the forces weighted as their publication volumes
  differ (a few large forces, a long tail), a force with pages in the mirror in its own
  style (bench/national_forces.py);
- its body is full length in the live site's mix: the template's text extended with
  paragraphs of other templates until it reaches a length drawn from 2,000-15,000
  characters (most 5,000-12,000), as the real pages' text runs;
- years 2019-2026, the outcomes and exemptions of the template kept.

Cached at bench/work/national-<n>/foi.db (stamp in foi.db.stamp beside it) by a content
hash of the schema as created, this generator and builder, the bulk loader and the
mirror pages used, so a second `make bench` reuses it (`national_stamp`).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import resource
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from bench.archive_build import _swapper, archive_stamp, parsed_templates
from bench.national_forces import (
    OWN_SHARE,
    clone_path,
    clone_reference,
    force_page_files,
    force_slugs,
    force_templates,
    force_weights,
    guessed_host,
    site,
)
from bench.synth import (
    DEFAULT_SEED,
    MONTHS,
    SourcePage,
)

REPO = Path(__file__).resolve().parent.parent
YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2024, 2025, 2025, 2026)


def body_length(rng: random.Random) -> int:
    """Characters of text: the live pages' spread, most between 5,000 and 12,000."""
    roll = rng.random()
    if roll < 0.1:
        return rng.randint(2_000, 5_000)
    if roll < 0.85:
        return rng.randint(5_000, 12_000)
    return rng.randint(12_000, 15_000)


_STATE: dict = {}
CHUNK = 500


def _prepare_generator(templates: list, seed: int) -> None:
    """What every clone is made from; set before the pool forks, so workers inherit it."""
    forces = force_slugs()
    weights = force_weights(forces)
    own = force_templates()
    per_template = sum(weights) / max(1, len(templates))  # a shared template's share
    _STATE.update(
        templates=templates,
        own=own,
        own_share={
            f: min(OWN_SHARE, len(pages) * per_template / weights[forces.index(f)])
            for f, pages in own.items()
            if f in forces
        },
        hosts={f: getattr(site(f), "base_url", None) for f in forces},
        seed=seed,
        forces=forces,
        weights=weights,
        paragraphs=[p for r, _ in templates for p in r.body_text.split("\n") if len(p) > 80],
        vocabulary=sorted(
            {w for _, page in templates for w in re.findall(r"[a-z]{5,}", page.title.lower())}
        ),
    )


FETCHED_AT = "2026-01-01T00:00:00+00:00"


def iter_national(
    templates: list, n: int, seed: int = DEFAULT_SEED, workers: int | None = None
) -> Iterator[list]:
    """Chunks of n responses over the forces, in order, as `db.bulk_load.Prepared` rows.

    Made in forked child processes (the other cores: the clone and its rows) while the
    caller writes; at most two chunks per worker are in flight, so a slow writer never
    piles clones up in memory (500,000 full-length clones would take several GB).
    """
    import multiprocessing

    _prepare_generator(templates, seed)
    # One worker per core: a clone and its rows cost the worker ~2x what writing them
    # costs this process, which mostly waits on them.
    workers = workers or os.cpu_count() or 2
    chunks = [(start, min(n, start + CHUNK)) for start in range(0, n, CHUNK)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque = deque()
        for bounds in chunks:
            pending.append(pool.apply_async(_prepared_chunk, (bounds,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _prepared_chunk(bounds: tuple[int, int]) -> list:
    from db.bulk_load import prepare
    from db.load import Provenance

    return [
        prepare(record, Provenance(record.url, FETCHED_AT, sha), now=FETCHED_AT)
        for record, sha in _clone_chunk(bounds)
    ]


def _clone_chunk(bounds: tuple[int, int]) -> list[tuple]:
    state = _STATE
    out = []
    for i in range(*bounds):
        rng = random.Random(f"{state['seed']}:national:{i}")
        record, _ = state["templates"][i % len(state["templates"])]
        forces = state["forces"]
        # Every force has at least one response; then by publication volume.
        force = forces[i] if i < len(forces) else rng.choices(forces, state["weights"])[0]
        own = state["own"].get(force)
        if own and rng.random() < state["own_share"].get(force, 0):
            record = own[i % len(own)]
        host = state["hosts"].get(force) or guessed_host(force)
        out.append(
            _national_clone(record, i, rng, force, host, state["vocabulary"], state["paragraphs"])
        )
    return out


def _national_clone(record, i, rng, force, host, vocabulary, paragraphs) -> tuple:
    year, month_no = rng.choice(YEARS), rng.randrange(12)
    month = MONTHS[month_no]
    own = sorted(set(re.findall(r"[a-z]{5,}", (record.title or "").lower())) & set(vocabulary))
    swaps = {w: rng.choice(vocabulary) for w in rng.sample(own, min(len(own), 2))} if own else {}
    swap = _swapper(swaps)
    title = swap(record.title or "")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] + f"-{i}"
    url = host + clone_path(record, force, year, month, slug)
    body = swap(record.body_text)
    target = body_length(rng)
    extra, length = [], len(body)
    while length < target and paragraphs:
        extra.append(rng.choice(paragraphs))
        length += len(extra[-1]) + 1
    if extra:
        body = body + "\n" + "\n".join(extra)
    clone = replace(
        record,
        url=url,
        force=force,
        reference=clone_reference(record, force, i, year, rng),
        title=title,
        month=f"{year:04d}-{month_no + 1:02d}",
        published=f"{year:04d}-{month_no + 1:02d}-{rng.randrange(1, 29):02d}",
        request_text=swap(record.request_text),
        body_text=body,
        questions=tuple(
            replace(q, text=swap(q.text), answer=swap(q.answer) if q.answer else q.answer)
            for q in record.questions
        ),
    )
    return clone, hashlib.sha256(f"{url}{body}".encode()).hexdigest()


def build_national(
    path: Path, sources: list[SourcePage], n: int, k: int = 600, seed: int = DEFAULT_SEED, log=print
) -> dict:
    """A fresh national archive of n responses at `path`; returns timings.

    Clones and their rows are made on the other cores (`iter_national`, with
    `db.bulk_load.prepare`: the rows `load_response` writes) and written by this
    process, one executemany per table a chunk (`load_prepared`). FTS is filled once at the end by 'rebuild' (the same index the
    insert triggers would make, in one sorted pass instead of 500,000 small merges),
    then the triggers are put back. Build-time pragmas: no journal and no fsync (the
    file is deleted and rebuilt if the build dies: the stamp is written after), a
    1 GB page cache for the key indexes' random inserts; WAL again at the end.
    """
    from db.bulk_fts import defer_fts_if_empty, restore_deferred_fts
    from db.bulk_load import load_prepared
    from db.schema import ensure_schema

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    templates = parsed_templates(sources, min(k, n), seed)
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    # FTS filled once after the load, by the mechanism import-warc uses (db/bulk_fts.py)
    deferred = defer_fts_if_empty(db)
    conn = db.conn
    conn.execute("PRAGMA journal_mode = DELETE")  # leave WAL: the build is one writer
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    timings = _phase("templates", started, cpu)
    loaded, load_started, load_cpu = 0, time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    for chunk in iter_national(templates, n, seed):
        load_prepared(db, chunk)  # every clone is new: a repeated key would fail
        loaded += len(chunk)
        if loaded % (CHUNK * 50) == 0:
            conn.execute("COMMIT")
            rate = loaded / (time.perf_counter() - load_started)
            log(f"    national: {loaded}/{n} loaded ({rate:.0f}/s)")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    timings |= _phase("load", load_started, load_cpu)
    step, step_cpu = time.perf_counter(), time.process_time()
    _quiet_merges(db)
    if deferred:
        restore_deferred_fts(db)
    timings |= _phase("fts_rebuild", step, step_cpu)
    log(f"    national: FTS rebuilt in {timings['fts_rebuild_s']:.0f} s")
    step, step_cpu = time.perf_counter(), time.process_time()
    _after_load(db)
    timings |= _phase("optimize_analyze", step, step_cpu)
    conn.execute("PRAGMA journal_mode = WAL")
    counts = conn.execute("SELECT count(*), count(DISTINCT force) FROM responses").fetchone()
    conn.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "build_cpu_s": round(time.process_time() - cpu, 1),
        "build_children_cpu_s": round(children.ru_utime + children.ru_stime, 1),
        **timings,
        "responses": counts[0],
        "forces": counts[1],
        "db_mb": round(path.stat().st_size / 1e6, 1),
    }


def _phase(name: str, wall: float, cpu: float) -> dict:
    """Wall and CPU seconds (this process) of one step of the build."""
    return {
        f"{name}_s": round(time.perf_counter() - wall, 1),
        f"{name}_cpu_s": round(time.process_time() - cpu, 1),
    }


def _quiet_merges(db: sqlite_utils.Database) -> None:
    """No merges while the indexes are rebuilt ('automerge' 0, 'crisismerge' high).

    `_after_load`'s 'optimize' merges every segment once anyway (50,000 responses: 17.8
    -> 14.4 CPU s for rebuild + optimize); it removes the settings again.
    """
    with db.conn:
        for fts in _fts_tables(db):
            db.conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', 0)")
            db.conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('crisismerge', 2000)")


def _fts_tables(db: sqlite_utils.Database) -> list[str]:
    return [
        name
        for (name,) in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_fts' "
            "ESCAPE '\\'"
        )
    ]


def _after_load(db: sqlite_utils.Database) -> None:
    """What the nightly job does after a large load: merge FTS segments, analyse."""
    for name in _fts_tables(db):
        db.conn.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
        # the defaults again, as an archive made by the nightly job has them
        db.conn.execute(f"DELETE FROM {name}_config WHERE k IN ('automerge', 'crisismerge')")
    db.conn.execute("ANALYZE")
    db.conn.commit()


def national_stamp(n: int, seed: int, sources: list[SourcePage]) -> str:
    """The cache key: the schema as SQLite creates it, this generator and builder (and
    the bulk loader it writes with), and the mirror pages the templates are made from.

    Not the parser or `db/load.py`: they change the rows a little, not what the
    benchmarks measure, and a rebuild takes minutes (delete the archive to force one).
    """
    pages = hashlib.sha256(repr(sources).encode())
    for force, url, file in force_page_files():
        pages.update(f"{force}\0{url}\0".encode() + file.read_bytes())
    return archive_stamp(
        n, seed, files=("bench/national.py", "bench/national_forces.py"), extra=pages.hexdigest()
    )


def ensure_national(
    path: Path, sources: list[SourcePage], n: int, seed: int = DEFAULT_SEED, log=print
) -> dict:
    """Reuse a national archive built from identical code and inputs, else build it.

    The archive lives at `path` (bench/work/national-<n>/foi.db in `make bench`), its
    stamp beside it (`foi.db.stamp`); a build deletes the old archive first and writes
    the stamp only once it has finished, so a build that dies is redone.
    """
    stamp_file = Path(f"{path}.stamp")
    stamp = national_stamp(n, seed, sources)
    if Path(path).exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return {"reused": True}
    stamp_file.unlink(missing_ok=True)
    info = build_national(path, sources, n, seed=seed, log=log)
    stamp_file.write_text(stamp)
    return info
