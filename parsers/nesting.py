"""Flatten absurdly deep tag nesting before lexbor sees it.

HTML tree building is quadratic in nesting depth for block elements (every new
`<div>`, `<ul>`, `<blockquote>` checks the stack of open elements): measured 0.02 s at
5,000 nested `<div>`s, 0.6-1.4 s at 20,000 and several seconds for 20,000 `<ul><li>`,
in pages of only 100-250 KB. Real pages nest a few dozen deep. So opening tags past
`MAX_DEPTH` open containers are dropped (with their closing tags): the text is kept,
only the useless structure goes, and the record says so in a warning.

Linear: one regex pass over the tags, and only for pages with more than
`SCAN_ABOVE_TAGS` tags (a `str.count` first): below that even the worst nesting
costs lexbor a few hundredths of a second, and typical pages skip the scan.
"""

from __future__ import annotations

import re

MAX_DEPTH = 1000
SCAN_ABOVE_TAGS = 5000

_RAW_TEXT = frozenset(
    ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
)
# Void and self-closing-by-context tags never deepen the tree.
_FLAT = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rp",
        "html",
        "head",
        "body",
    )
)


# Only tags that can deepen the tree are matched at all (flat ones such as the
# thousands of `<td>`s of a big table are skipped inside the regex engine).
_TAG_OR_COMMENT = re.compile(
    r"<!--|<(/?)(?!(?:" + "|".join(sorted(_FLAT, key=len, reverse=True)) + r")[\s/>])"
    r"([A-Za-z][A-Za-z0-9]{0,15})(?=[\s/>])[^>]*>",
    re.I,
)
# Tags that carry meaning for the parser (content root, chrome landmarks, tables,
# headings, links): kept past the limit while they themselves nest sanely, so a
# page wrapped in thousands of divs still has its `main`, `nav` and `footer`.
_MEANINGFUL = frozenset(
    (
        "main",
        "article",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "dialog",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "ol",
        "ul",
        "pre",
        "template",
        "noscript",
    )
)
_MEANINGFUL_MAX_DEPTH = 100


def limit_nesting(text: str, max_depth: int = MAX_DEPTH) -> tuple[str, bool]:
    """(text with nesting past `max_depth` removed, whether anything was removed)."""
    if text.count("<") <= max(max_depth, SCAN_ABOVE_TAGS):
        return text, False
    depth = {False: 0, True: 0}  # open generic / meaningful containers
    limit = {False: max_depth, True: _MEANINGFUL_MAX_DEPTH}
    dropped: dict[str, int] = {}
    pieces: list[str] = []
    kept_from = 0
    lowered = None
    pos = 0
    while True:
        match = _TAG_OR_COMMENT.search(text, pos)
        if match is None:
            break
        pos = match.end()
        if match.group(0) == "<!--":
            # Comments, scripts and styles are skipped whole: tags inside them are not tags.
            end = text.find("-->", pos)
            pos = len(text) if end < 0 else end + 3
            continue
        closing, name = match.group(1), match.group(2).lower()
        if name in _RAW_TEXT and not closing:
            lowered = lowered if lowered is not None else text.lower()
            end = lowered.find("</" + name, pos)
            pos = len(text) if end < 0 else end
            continue
        if name in _FLAT:
            continue
        kind = name in _MEANINGFUL
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                pieces.append(text[kept_from : match.start()])
                kept_from = match.end()
            elif depth[kind]:
                depth[kind] -= 1
            continue
        if match.group(0).endswith("/>"):
            continue
        if depth[kind] >= limit[kind]:
            dropped[name] = dropped.get(name, 0) + 1
            pieces.append(text[kept_from : match.start()])
            kept_from = match.end()
        else:
            depth[kind] += 1
    if not pieces:
        return text, False
    pieces.append(text[kept_from:])
    return "".join(pieces), True
