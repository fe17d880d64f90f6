"""Data tables on a response page, kept as rows of cells.

`parsers.html_text` writes each row of a data table as one text line, cells joined with
" | " (the line parsers read answers from those lines). Here the same tables are read
from the page a second time as rows and cells, with their heading rows (`<thead>`, or
rows of `<th>` only), and each is anchored to the body line where its first row is: a
table is kept only when its rows are exactly the body's lines there, so the record never
holds a table the text does not (one inside removed chrome, say).

`row_line(cells)` is that one rule for turning a row into its line; the response page
uses it to find a table's rows in an answer's text.
"""

from __future__ import annotations

from parsers.html_text import TABLE_CELL_SEPARATOR, clean_line, is_data_table, text_lines
from parsers.record import Table


def row_line(cells: tuple[str, ...] | list[str]) -> str:
    """The body line a row of cells is written as ("a | b | c")."""
    return clean_line(TABLE_CELL_SEPARATOR.join(cells))


def read_tables(root, lines: list[str], walked: RowCollector | None = None) -> tuple[Table, ...]:
    """The data tables under `root` (a selectolax node), in page order, anchored in `lines`.

    `walked`: the rows the walk that made `lines` collected (see `RowCollector`); when
    it saw every table of `root`, they are used instead of reading each table again.
    """
    if root is None:
        return ()
    if walked is not None and walked.complete:
        candidates = iter(walked.tables)
    else:
        candidates = (_rows(node) for node in root.css("table") if is_data_table(node))
    found: list[Table] = []
    start = 0
    for rows, header_rows in candidates:
        if not rows:
            continue
        at = _locate(rows, lines, start)
        if at is None:
            continue
        found.append(Table(len(found) + 1, rows, header_rows, at))
        start = at + len(rows)
    return tuple(found)


class RowCollector:
    """The data tables' rows, collected by `html_text.text_lines` as it walks the page.

    Gives what `_rows` would read from each table, in page order: a cell's text is what
    the walk buffered for it, cleaned, except where `text_lines(cell)` would differ
    (numbered list items, lines of only "|"), which are read as `_rows` reads them.
    `complete` is False when the walk may have passed a table by (one inside skipped
    markup), and then the tables are read from the tree.
    """

    def __init__(self) -> None:
        self.tables: list[tuple[tuple[tuple[str, ...], ...], int]] = []
        self.complete = True
        self._rows: list[tuple[str, ...]] = []
        self._header_rows = 0
        self._headings_over = False
        self._texts: list[str] = []
        self._row_in_thead = False
        self._all_th = True
        self._cell = None
        self._cell_start = 0
        self._cell_has_item = False

    def start_table(self) -> None:
        self._rows, self._header_rows, self._headings_over = [], 0, False

    def start_row(self, in_thead: bool) -> None:
        self._texts, self._row_in_thead, self._all_th = [], in_thead, True

    def start_cell(self, node, tag: str, buffered: int) -> None:
        self._cell, self._cell_start, self._cell_has_item = node, buffered, False
        self._all_th = self._all_th and tag == "th"

    def cell_has_list_item(self) -> None:
        self._cell_has_item = True

    def end_cell(self, buf: list[str]) -> None:
        # The cell's text is what the walk buffered since it started (its breaks are
        # spaces: a row is one line).
        raw = "".join(buf[self._cell_start :])
        if self._cell_has_item or "|" in raw:
            text = clean_line(" ".join(text_lines(self._cell)))
        else:
            text = clean_line(raw)
        self._texts.append(text)

    def end_row(self) -> None:
        texts = tuple(self._texts)
        self._texts = []
        if not any(texts):
            return  # the text has no line for an empty row either
        if (self._row_in_thead or self._all_th) and not self._headings_over:
            self._header_rows += 1
        else:
            self._headings_over = True
        self._rows.append(texts)

    def end_table(self) -> None:
        self.tables.append((tuple(self._rows), self._header_rows))


def _rows(table) -> tuple[tuple[tuple[str, ...], ...], int]:
    """(rows of cell texts, how many leading rows are headings); empty rows dropped."""
    rows: list[tuple[str, ...]] = []
    header_rows = 0
    headings_over = False
    for tr in table.css("tr"):
        cells = tr.css("td, th")
        texts = tuple(clean_line(" ".join(text_lines(cell))) for cell in cells)
        if not any(texts):
            continue  # the text has no line for an empty row either
        heading = _is_heading(tr, cells)
        if heading and not headings_over:
            header_rows += 1
        else:
            headings_over = True
        rows.append(texts)
    return tuple(rows), header_rows


def _is_heading(tr, cells) -> bool:
    parent = tr.parent
    if parent is not None and parent.tag == "thead":
        return True
    return all(cell.tag == "th" for cell in cells)


def _locate(rows: tuple[tuple[str, ...], ...], lines: list[str], start: int) -> int | None:
    """Index of the first of len(rows) consecutive lines, from `start`, that are the rows."""
    wanted = [row_line(row) for row in rows]
    first = wanted[0]
    for i in range(start, len(lines) - len(wanted) + 1):
        if lines[i] == first and lines[i : i + len(wanted)] == wanted:
            return i
    return None
