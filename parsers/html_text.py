"""A parsed HTML subtree -> text lines, in reading order, the way a reader sees them.

One linear, iterative walk (no recursion: pages with 10,000 nested divs exist in the
wild and in our fuzz tests). Rules:
- block elements and `<br>` end a line; inline elements join without breaks;
- whitespace collapsed, non-breaking and zero-width characters normalised, empty
  lines (`<p>&nbsp;</p>`) dropped;
- each `li` is a line; `<ol>` items get a "1. " / "a. " / "i. " prefix (honouring
  `type`, `start` and `value`) unless their text already starts with a number or
  letter label, because the question parser needs the numbering a browser draws;
- a data table row is one line, cells joined with " | "; a layout table (one cell
  per row, or a huge cell) is walked as ordinary blocks;
- `pre` keeps its line breaks.
"""

from __future__ import annotations

import re

BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
        "legend",
        "option",
        "html",
        "search",
        "frameset",
        "noframes",
        "listing",
        "plaintext",
        "xmp",
    )
)
SKIP_TAGS = frozenset(
    (
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "textarea",
        "button",
        "input",
        "img",
        "video",
        "audio",
        "picture",
        "source",
        "track",
        "map",
        "area",
        "link",
        "meta",
    )
)
# Zero-width and formatting characters browsers do not show; soft hyphen too.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]+")
_ALREADY_NUMBERED = re.compile(
    r"(?:\(?\d{1,3}(?:\.\d{1,2})*[a-z]?\s?[.):/\-\u2013\u2022]|(?!no\.)\(?[a-z]{1,2}[.)]\s|\(?[ivx]{1,5}[.)]\s"
    r"|q\s?\d|question\s*\d)",
    re.I,
)
# Between the cells of a data table's row on its line (`parsers.tables` reads it back).
TABLE_CELL_SEPARATOR = " | "
_LAYOUT_CELL_CHARS = 3000
_LAYOUT_INSIDE_CELL = "td h1, td h2, td h3, td table, th table, td form, td nav, td main"
_BLOCKS_IN_CELL = "p, div, ul, ol, h4, h5, h6, blockquote"
_FEW_ROWS = 5
_MAX_BLOCKS_IN_CELL = 3
_MAX_CELLS_CHECKED = 400


def clean_line(text: str) -> str:
    """Collapse whitespace (including NBSP) and drop invisible characters.

    The same as `" ".join(text.split())` after dropping `_INVISIBLE`, done with C string
    scans instead of a word list and a regex: it runs on every line of every page, and
    response lines run to thousands of characters. It rests on two facts (checked in
    tests/parsers/test_dom_speed_equivalence.py): every whitespace character but " " and
    every invisible character is unprintable (`str.isprintable`).
    """
    if not text.isprintable():
        for space in _COMMON_SPACES:
            if space in text:
                text = text.replace(space, " ")
        if not text.isprintable():  # rarer whitespace, or invisible characters
            if not text.isascii():
                text = _INVISIBLE.sub("", text)
            return " ".join(text.split())
    # Only printable characters and plain spaces are left.
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


# Whitespace that HTML source and editors put in text: replaced one for one above.
_COMMON_SPACES = ("\n", "\t", "\r", "\xa0")


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []  # emptied in place: the walk keeps a reference
        self.prefix: str | None = None
        self.in_cell = 0

    def add(self, text: str) -> None:
        self.buf.append(text)

    def newline(self) -> None:
        if self.in_cell:
            self.buf.append(" ")
        elif self.buf:
            self.end_line()

    def end_line(self) -> None:
        if not self.buf:
            return
        line = clean_line("".join(self.buf))
        self.buf.clear()
        self.add_line(line)

    def add_line(self, line: str) -> None:
        """Add a cleaned line (numbered if its list item wants it), unless it is empty."""
        if not line.strip("| "):  # an empty table row is " |  | "
            return
        if self.prefix is not None:
            if not _ALREADY_NUMBERED.match(line):
                line = self.prefix + line
            self.prefix = None
        self.lines.append(line)


# What the walk does at an element, by tag; any other element is inline (its text
# joins the line). One dict lookup per element instead of a chain of set tests.
_BLOCK, _ITEM, _LIST, _TABLE, _ROW, _PRE, _CELL, _BREAK, _SKIP = range(1, 10)
_LIST_TAGS = frozenset(("ol", "ul", "menu", "dir"))
_CELL_TAGS = frozenset(("td", "th"))
_KINDS = {
    **{tag: _BLOCK for tag in BLOCK_TAGS},
    **{tag: _LIST for tag in _LIST_TAGS},
    **{tag: _CELL for tag in _CELL_TAGS},
    "li": _ITEM,
    "table": _TABLE,
    "tr": _ROW,
    "pre": _PRE,
    "br": _BREAK,
    **{tag: _SKIP for tag in SKIP_TAGS},
}


def text_lines(root, rows=None) -> list[str]:
    """The text lines of `root` (a selectolax node), reading order, empties dropped.

    `rows`, if given (a `parsers.tables.RowCollector`), is told each data table's rows
    and cells as the walk passes them, so the tables need no second walk.
    """
    walk = _Walk(rows)
    out = walk.out
    buf = out.buf
    lines = out.lines
    tables = walk.tables
    pre = 0  # walk.pre, kept in a local: it changes only where the walk enters or leaves
    if rows is not None and root.tag == "table":
        rows.complete = False  # the root's own rows are not walked as a table's
    # A stack of child iterators instead of recursion: iteration stays in selectolax's
    # C code, and 10,000 nested divs cost a list, not the Python stack. Siblings are
    # read in a plain `for` loop; the element being read is (parent_tag, parent_kind,
    # children), and entering a child pushes it (one push and one pop per element).
    # Text, inline elements and plain blocks (nearly every node) are handled here; the
    # rest in `_Walk`.
    stack: list[tuple[str | None, int, object]] = []
    parent_tag: str | None = None
    parent_kind = 0
    children = root.iter(include_text=True)
    while True:
        for node in children:
            # A text node's text, else None (an element, a comment, an empty text node):
            # text nodes are most of the nodes, so they are told apart without the tag.
            text = node.text_content
            if text is not None:
                if pre:
                    if text:
                        _add_pre(out, text)
                elif text and (buf or not text.isspace()):
                    # (Whitespace opening a line is dropped by `clean_line` anyway.)
                    buf.append(text)
                continue
            tag = node.tag
            kind = _KINDS.get(tag)
            if kind is None:
                if not tag or tag[0] in "-!":  # a comment, doctype or the like
                    continue
                kind = 0  # an inline element
            elif kind == _BLOCK or kind == _BREAK:
                if out.in_cell:
                    buf.append(" ")
                elif buf:
                    out.end_line()
                if kind == _BREAK:
                    continue
            elif kind == _SKIP:
                walk.skip(node)
                continue
            elif kind == _CELL and tables and tables[-1]:
                # A data table's cell (hundreds on a table page): joins the row's line.
                cells = walk.cells
                if cells[-1]:
                    buf.append(TABLE_CELL_SEPARATOR)
                cells[-1] += 1
                out.in_cell += 1
                if rows is not None:
                    rows.start_cell(node, tag, len(buf))
            else:
                walk.enter(node, tag, kind, parent_tag)
                pre = walk.pre
            stack.append((parent_tag, parent_kind, children))
            parent_tag, parent_kind, children = tag, kind, node.iter(include_text=True)
            break
        else:  # the parent's children are done: it ends
            if parent_kind == _BLOCK or parent_kind == _ITEM:
                if out.in_cell:
                    buf.append(" ")
                elif buf:
                    # `out.end_line()`, inlined: a block's end is where most lines end.
                    line = clean_line("".join(buf))
                    buf.clear()
                    if out.prefix is not None or not line or line[0] in "| ":
                        out.add_line(line)
                    else:
                        lines.append(line)
            elif parent_kind == _CELL and tables and tables[-1]:
                if rows is not None:
                    rows.end_cell(buf)
                if out.in_cell:
                    out.in_cell -= 1
            elif parent_kind:
                walk.leave(parent_kind)
                pre = walk.pre
            if not stack:
                break
            parent_tag, parent_kind, children = stack.pop()
    out.end_line()
    return out.lines


class _Walk:
    """The walk's state for lists, tables and `pre` (the elements that need more than
    a line break)."""

    def __init__(self, rows) -> None:
        self.out = _LineBuilder()
        self.rows = rows
        self.lists: list[list] = []  # [ordered, type, next number]
        self.tables: list[bool] = []  # True for a data table, False for a layout table
        self.cells: list[int] = []  # cells seen in the current row of each data table
        self.pre = 0

    def skip(self, node) -> None:
        if self.rows is not None and _may_hide_table(node):
            self.rows.complete = False

    def enter(self, node, tag: str, kind: int, parent_tag: str | None) -> None:
        out, rows, tables, cells = self.out, self.rows, self.tables, self.cells
        # (A data table's cells are handled in `text_lines`: a layout cell is a block.)
        out.newline()
        if kind == _ITEM:
            _start_item(out, node, self.lists)
            if rows is not None and out.in_cell:
                rows.cell_has_list_item()
        elif kind == _LIST:
            self.lists.append(_list_context(node, tag))
        elif kind == _TABLE:
            tables.append(is_data_table(node))
            cells.append(0)
            if rows is not None and tables[-1]:
                rows.start_table()
        elif kind == _ROW:
            if cells:
                cells[-1] = 0
            if rows is not None and tables and tables[-1]:
                rows.start_row(parent_tag == "thead")
        elif kind == _PRE:
            self.pre += 1

    def leave(self, kind: int) -> None:
        out, tables = self.out, self.tables
        if self.rows is not None and tables and tables[-1]:
            _leave_data_table_part(kind, self.rows)
        if kind == _LIST and self.lists:
            self.lists.pop()
        elif kind == _TABLE and tables:
            tables.pop()
            self.cells.pop()
        elif kind == _PRE:
            self.pre -= 1
        out.newline()


def _leave_data_table_part(kind: int, rows) -> None:
    """Tell `rows` that a data table's row or the table itself ended."""
    if kind == _ROW:
        rows.end_row()
    elif kind == _TABLE:
        rows.end_table()


# Elements whose content the walk skips that can hold a table: a table there is
# not walked, so the tables must be looked up in the tree instead.
_VOID_TAGS = frozenset(("img", "input", "source", "track", "area", "link", "meta", "embed"))


def _may_hide_table(node) -> bool:
    return node.tag not in _VOID_TAGS and node.css_first("table") is not None


def _add_pre(out: _LineBuilder, text: str) -> None:
    parts = text.split("\n")
    for i, part in enumerate(parts):
        if i:
            out.newline()
        out.add(part)


def _list_context(node, tag: str) -> list:
    if tag != "ol":
        return [False, "", 0]
    attrs = node.attributes
    start = _int_or(attrs.get("start"), 1)
    kind = (attrs.get("type") or "1").strip()[:1]
    style = _LIST_STYLE.search(attrs.get("style") or "")
    if style:
        # Word and rich-text editors set the numbering style in CSS, not `type`.
        kind = _STYLE_KINDS.get(style.group(1).lower(), kind)
        if kind == "none":
            return [False, "", 0]
    return [True, kind, start]


_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([a-z-]+)", re.I)
_STYLE_KINDS = {
    "lower-alpha": "a",
    "lower-latin": "a",
    "upper-alpha": "A",
    "upper-latin": "A",
    "lower-roman": "i",
    "upper-roman": "I",
    "decimal": "1",
    "none": "none",
}


def _start_item(out: _LineBuilder, node, lists: list) -> None:
    if not lists or not lists[-1][0]:
        out.prefix = None
        return
    ctx = lists[-1]
    value = node.attributes.get("value")
    if value is not None:
        ctx[2] = _int_or(value, ctx[2])
    out.prefix = _label(ctx[2], ctx[1]) + ". "
    ctx[2] += 1


def _label(n: int, kind: str) -> str:
    if kind in ("a", "A") and 1 <= n <= 702:
        letters = ""
        while n:
            n, r = divmod(n - 1, 26)
            letters = chr(97 + r) + letters
        return letters.upper() if kind == "A" else letters
    if kind in ("i", "I") and 1 <= n < 4000:
        roman = _roman(n)
        return roman.upper() if kind == "I" else roman
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _int_or(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def is_data_table(table) -> bool:
    """A table of data (rows of several cells) rather than one used for page layout.

    Layout tables (old CMS templates: a menu cell beside a content cell) have one cell
    per row, or headings, forms or tables inside cells, or a few cells full of blocks.
    """
    rows = table.css("tr")
    cells = table.css("td, th")
    if not rows or len(cells) <= len(rows):
        return False
    # (lexbor matches the query node itself too: a table inside a cell is not its own child)
    if any(node.mem_id != table.mem_id for node in table.css(_LAYOUT_INSIDE_CELL)):
        return False
    if len(rows) <= _FEW_ROWS and any(
        len(cell.css(_BLOCKS_IN_CELL)) > _MAX_BLOCKS_IN_CELL for cell in cells
    ):
        return False
    if len(cells) <= _MAX_CELLS_CHECKED:
        # No cell holds more text than the whole table: one C call settles most tables.
        if len(table.text()) < _LAYOUT_CELL_CHARS:
            return True
        return all(len(cell.text()) < _LAYOUT_CELL_CHARS for cell in cells)
    return True
