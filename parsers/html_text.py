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
    """Collapse whitespace (including NBSP) and drop invisible characters."""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.prefix: str | None = None
        self.in_cell = 0

    def add(self, text: str) -> None:
        self.buf.append(text)

    def newline(self) -> None:
        if self.in_cell:
            self.buf.append(" ")
            return
        self.end_line()

    def end_line(self) -> None:
        if not self.buf:
            return
        line = clean_line("".join(self.buf))
        self.buf = []
        if not line.strip("| "):  # an empty table row is " |  | "
            return
        if self.prefix is not None:
            if not _ALREADY_NUMBERED.match(line):
                line = self.prefix + line
            self.prefix = None
        self.lines.append(line)


def text_lines(root) -> list[str]:
    """The text lines of `root` (a selectolax node), reading order, empties dropped."""
    out = _LineBuilder()
    lists: list[list] = []  # [ordered, type, next number]
    tables: list[bool] = []  # True for a data table, False for a layout table
    cells: list[int] = []  # cells seen in the current row of each data table
    pre = 0
    # A stack of child iterators instead of recursion: iteration stays in selectolax's
    # C code, and 10,000 nested divs cost a list, not the Python stack.
    stack: list[tuple[str | None, object]] = [(None, root.iter(include_text=True))]
    while stack:
        parent_tag, children = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if parent_tag is not None:
                _leave(out, parent_tag, lists, tables, cells)
                if parent_tag == "pre":
                    pre -= 1
            continue
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if text:
                if pre:
                    _add_pre(out, text)
                else:
                    out.buf.append(text)
            continue
        if not tag or tag[0] in "-!" or tag in SKIP_TAGS:
            continue
        if tag == "br":
            out.newline()
            continue
        if tag in BLOCK_TAGS:
            out.newline()
            if tag == "li":
                _start_item(out, node, lists)
            elif tag in _LIST_TAGS:
                lists.append(_list_context(node, tag))
            elif tag == "table":
                tables.append(is_data_table(node))
                cells.append(0)
            elif tag == "tr":
                if cells:
                    cells[-1] = 0
            elif tag == "pre":
                pre += 1
        elif tag in _CELL_TAGS:
            if tables and tables[-1]:
                if cells[-1]:
                    out.buf.append(TABLE_CELL_SEPARATOR)
                cells[-1] += 1
                out.in_cell += 1
            else:
                out.newline()
        stack.append((tag, node.iter(include_text=True)))
    out.end_line()
    return out.lines


_LIST_TAGS = frozenset(("ol", "ul", "menu", "dir"))
_CELL_TAGS = frozenset(("td", "th"))


def _leave(out: _LineBuilder, tag: str, lists: list, tables: list, cells: list) -> None:
    if tag in _CELL_TAGS:
        if tables and tables[-1]:
            out.in_cell = max(0, out.in_cell - 1)
        else:
            out.newline()
        return
    if tag in BLOCK_TAGS:
        if tag in _LIST_TAGS and lists:
            lists.pop()
        elif tag == "table" and tables:
            tables.pop()
            cells.pop()
        out.newline()


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
        return all(len(cell.text()) < _LAYOUT_CELL_CHARS for cell in cells)
    return True
