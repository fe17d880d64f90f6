"""Shared by the spreadsheet, CSV and DOCX extractors: cells to strings, a grid of
rows to a `Sheet` with a header, and the text that goes into full-text search."""

from __future__ import annotations

import datetime as dt
import math

from parsers.extract import Sheet

HEADER_SCAN_ROWS = 20  # released spreadsheets put a title block of a few rows first
MAX_LABEL = 60  # longer than any column name seen; notes sheets have sentences


def cell_text(value: object) -> str:
    """One cell as the text a person reading the sheet would see."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def build_sheet(
    name: str,
    grid: list[tuple[int, list[str]]],
    *,
    max_rows: int,
    merged_fill: set[tuple[int, int]] = frozenset(),
) -> Sheet:
    """A `Sheet` from (source row number, cells) pairs, empty rows already dropped.

    The header is the first row (among the first few) that has at least two distinct
    values, at least half as many filled cells as the widest row and only short labels
    (a sentence is a note, not a column name); rows above it are the title block
    (`preamble`). With no such row, columns are named column_1, column_2... `merged_fill` lists (row, col) cells that only hold a
    copy of a merged cell's value: they count as blank when looking for the header, so
    a title merged across the top is not taken for it.
    """
    grid = [(n, _trim(cells)) for n, cells in grid]
    grid = [(n, cells) for n, cells in grid if cells]
    if not grid:
        return Sheet(name=name, header=(), rows=())
    width = max(len(cells) for _, cells in grid)
    header_at = _find_header(grid, width, merged_fill)
    if header_at is None:  # a notes sheet, or data with no header row
        preamble, header_row, header, body = (), 0, _header_names([], width), grid
    else:
        preamble = tuple(_join_distinct(cells) for _, cells in grid[:header_at])
        header_row, header_cells = grid[header_at]
        header = _header_names(header_cells, width)
        body = grid[header_at + 1 :]
    truncated = len(body) > max_rows
    body = body[:max_rows]
    rows = tuple(tuple(cells + [""] * (width - len(cells))) for _, cells in body)
    return Sheet(
        name=name,
        header=header,
        rows=rows,
        header_row=header_row,
        row_numbers=tuple(n for n, _ in body),
        preamble=preamble,
        truncated=truncated,
    )


def sheet_text(sheet: Sheet, *, titled: bool = True) -> str:
    """Tab-separated text of a sheet, for search and previews."""
    lines = [f"[{sheet.name}]"] if titled else []
    lines += list(sheet.preamble)
    if sheet.header:
        lines.append("\t".join(sheet.header))
    lines += ["\t".join(c for c in row).rstrip("\t") for row in sheet.rows]
    return "\n".join(lines)


class TextBudget:
    """Collects text up to `max_chars`, remembering whether anything was cut."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    @property
    def full(self) -> bool:
        return self.size >= self.max_chars

    def add(self, text: str) -> None:
        if not text:
            return
        room = self.max_chars - self.size
        if len(text) > room:
            text = text[: max(room, 0)]
            self.truncated = True
        if text:
            self.parts.append(text)
            self.size += len(text) + 2

    def text(self) -> str:
        return "\n\n".join(self.parts)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return list(cells[:end])


def _find_header(grid, width: int, merged_fill) -> int | None:
    for i, (n, cells) in enumerate(grid[:HEADER_SCAN_ROWS]):
        own = [c for j, c in enumerate(cells) if c and (n, j) not in merged_fill]
        if (
            len(set(own)) >= min(2, width)
            and len(own) * 2 >= width
            and max(map(len, own)) <= MAX_LABEL
        ):
            return i
    return None


def _header_names(cells: list[str], width: int) -> tuple[str, ...]:
    """Unique, non-empty column names: blanks become column_N, repeats get _2, _3."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for j in range(width):
        base = cells[j] if j < len(cells) and cells[j] else f"column_{j + 1}"
        count = seen.get(base, 0) + 1
        seen[base] = count
        names.append(base if count == 1 else f"{base}_{count}")
    return tuple(names)


def _join_distinct(cells: list[str]) -> str:
    out: list[str] = []
    for c in cells:
        if c and c not in out:
            out.append(c)
    return " ".join(out)
