"""Where parse time goes: CPU time per stage of `parse_response` over synthetic pages.

    python -m bench.parse_stages [--n 1000] [--full-length]

`--full-length`: the bench's full-length set (`bench.parse_bench.full_length_set`: the
mirror's whole real pages repeated and n synthetic ones of 5,000-15,000 characters),
on which `parse_full_length_pages_per_s` is measured; without it, short synthetic pages.

Wraps the parser's stage functions (those that exist; names are looked up, so a
renamed stage is reported as missing, not an error) with timers, subtracting nested
stages, and compares the total with the lexbor floor. A diagnostic for a missed parse
target, not a benchmark figure.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import time
from collections import Counter

from bench.parse_bench import full_length_set
from bench.synth import iter_pages, load_sources

STAGES = (
    ("parsers.response", "LexborHTMLParser", "lexbor parse (C)"),
    ("parsers.response", "_as_text", "decode"),
    ("parsers.response", "limit_nesting", "nesting guard"),
    ("parsers.response", "query_page", "page-wide query"),
    ("parsers.response", "_head_metas", "head: meta index"),
    ("parsers.response", "base_for", "base URL"),
    ("parsers.response", "_meta_published", "head: published meta"),
    ("parsers.response", "_head_title", "head: title"),
    ("parsers.content", "remove_junk", "remove script/style"),
    ("parsers.content", "choose_root", "choose content root"),
    ("parsers.content", "remove_chrome", "remove chrome nodes"),
    ("parsers.response", "_time_published", "time published"),
    ("parsers.response", "_h1_title", "h1 title"),
    ("parsers.response", "text_lines", "DOM -> text lines (Python walk)"),
    ("parsers.content", "root_looks_short", "root size guard"),
    ("parsers.response", "_clean_lines", "drop chrome lines"),
    ("parsers.response", "_drop_title_and_dates", "drop title/date lines"),
    ("parsers.response", "page_reference", "reference"),
    ("parsers.response", "printed_dates", "printed dates"),
    ("parsers.semantic", "split_parts", "parts of the reply"),
    ("parsers.semantic", "analyse", "semantic: the rest (reply text, request)"),
    ("parsers.semantic", "parse_questions", "questions + answers"),
    ("parsers.semantic", "find_exemptions", "exemptions"),
    ("parsers.semantic", "decide_outcome", "outcome"),
    ("parsers.response", "_links", "links + attachments"),
    ("parsers.response", "outside_attachments", "attachments outside root"),
    ("parsers.response", "read_tables", "tables"),
    ("parsers.response", "collect_answers", "answers per question"),
    ("parsers.response", "Response", "record"),
)


def measure(n: int, full_length: bool = False) -> tuple[float, Counter, list[str], int]:
    """(CPU seconds in all, seconds per stage label, stages not found, pages parsed).

    The stage functions are wrapped only while the pages are parsed, then put back.
    """
    from parsers import parse_response

    if full_length:
        pages = full_length_set(load_sources(), n)
    else:
        pages = [
            (p.html, "https://www.met.police.uk" + p.url_path)
            for p in iter_pages(load_sources(), n)
        ]
    spent: Counter = Counter()
    depth_stack: list[float] = []
    missing = []
    originals = []
    try:
        for module_name, attr, label in STAGES:
            module = importlib.import_module(module_name)
            original = getattr(module, attr, None)
            if original is None:
                missing.append(f"{module_name}.{attr}")
                continue
            originals.append((module, attr, original))
            setattr(module, attr, _timed(original, label, spent, depth_stack))
        started = time.process_time()
        for html, url in pages:
            parse_response(html, url)
        return time.process_time() - started, spent, missing, len(pages)
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)


def _timed(fn, label: str, spent: Counter, stack: list[float]):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        stack.append(0.0)
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = time.process_time() - started
            nested = stack.pop()
            spent[label] += elapsed - nested
            if stack:
                stack[-1] += elapsed

    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--full-length", action="store_true", help="the bench's full-length pages")
    args = ap.parse_args()
    total, spent, missing, args.n = measure(args.n, args.full_length)
    print(
        f"{args.n} pages, {total:.2f} CPU s, {1e3 * total / args.n:.3f} ms/page "
        f"({args.n / total:.0f} pages/s)"
    )
    print("| stage | ms/page | share |\n|---|---:|---:|")
    for label, seconds in spent.most_common():
        print(f"| {label} | {1e3 * seconds / args.n:.3f} | {100 * seconds / total:.0f}% |")
    rest = total - sum(spent.values())
    print(
        f"| (between stages, in parse_response itself) | {1e3 * rest / args.n:.3f} | {100 * rest / total:.0f}% |"
    )
    if missing:
        print("stages not found: " + ", ".join(missing))


if __name__ == "__main__":
    main()
