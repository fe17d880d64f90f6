"""Where parse time goes: CPU time per stage of `parse_response` over synthetic pages.

    python -m bench.parse_stages [--n 1000]

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

from bench.synth import iter_pages, load_sources

STAGES = (
    ("parsers.response", "LexborHTMLParser", "lexbor parse (C)"),
    ("parsers.response", "_as_text", "decode"),
    ("parsers.response", "base_for", "base URL"),
    ("parsers.response", "_meta_published", "head: published meta"),
    ("parsers.response", "_head_title", "head: title"),
    ("parsers.content", "remove_junk", "remove script/style"),
    ("parsers.content", "choose_root", "choose content root"),
    ("parsers.content", "remove_chrome", "remove chrome nodes"),
    ("parsers.response", "text_lines", "DOM -> text lines (Python walk)"),
    ("parsers.response", "_clean_lines", "drop chrome lines"),
    ("parsers.response", "_drop_title_and_dates", "drop title/date lines"),
    ("parsers.response", "find_reference", "reference"),
    ("parsers.semantic", "parse_questions", "questions + answers"),
    ("parsers.semantic", "find_exemptions", "exemptions"),
    ("parsers.semantic", "decide_outcome", "outcome"),
    ("parsers.response", "collect_links", "links + attachments"),
    ("parsers.response", "outside_attachments", "attachments outside root"),
    ("parsers.response", "Response", "record"),
)


def measure(n: int) -> tuple[float, Counter, list[str]]:
    from parsers import parse_response

    spent: Counter = Counter()
    depth_stack: list[float] = []
    missing = []
    for module_name, attr, label in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, attr, None)
        if original is None:
            missing.append(f"{module_name}.{attr}")
            continue
        setattr(module, attr, _timed(original, label, spent, depth_stack))
    pages = [
        (p.html, "https://www.met.police.uk" + p.url_path) for p in iter_pages(load_sources(), n)
    ]
    started = time.process_time()
    for html, url in pages:
        parse_response(html, url)
    return time.process_time() - started, spent, missing


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
    args = ap.parse_args()
    total, spent, missing = measure(args.n)
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
