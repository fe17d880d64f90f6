"""Find the response content in a parsed page and strip the chrome around and inside it.

The real site's markup is unknown and changes, so nothing here names our mirror's
classes: the content root is the page's `main` (or `[role=main]`, or `article`, or a
conventional `#content`), else the body; chrome goes by landmark, role, hidden state
and the class/id words in `parsers.chrome`. Guards keep a mistaken match from eating
the page: the root and its ancestors are never removed, and a "chrome-looking" region
holding a large share of the page's text is kept.
"""
from __future__ import annotations

from parsers import chrome

ROOT_SELECTORS = (
    'main, [role="main" i]',
    "article",
    "#content, #main-content, #maincontent, #main, #primary, .main-content",
)
_ARTICLE_TAGS = frozenset(("main", "article"))


def remove_junk(tree) -> None:
    """Scripts, styles, form controls: never content, whatever the layout."""
    for node in tree.css(chrome.JUNK_SELECTOR):
        if node.tag not in ("html", "body", "head"):
            _detach(node)


def choose_root(tree):
    """(root node, is_fallback): the best content root candidate, else the body."""
    for selector in ROOT_SELECTORS:
        best, best_len = None, 0
        for node in tree.css(selector):
            size = len(node.text(deep=True).strip())
            if size > best_len:
                best, best_len = node, size
        if best is not None:
            return best, False
    return tree.body or tree.root, True


def remove_chrome(tree, root) -> None:
    """Remove chrome regions from the whole tree, sparing `root` and its ancestors."""
    keep = _ancestor_ids(root)
    body = tree.body or tree.root
    if body is None:
        return
    total = len(body.text(deep=True)) or 1
    for node in tree.css(chrome.LANDMARK_SELECTOR):
        if _removable(node, keep):
            _detach(node)
    for node in tree.css(chrome.PAGE_HEADER_FOOTER):
        if _removable(node, keep) and not _inside_article(node):
            _detach(node)
    hidden_classes = ",".join("." + name for name in sorted(chrome.HIDDEN_CLASSES))
    for selector in (chrome.GUARDED_SELECTOR, hidden_classes, chrome.NAMED_SELECTOR):
        for node in tree.css(selector):
            if not _removable(node, keep):
                continue
            if len(node.text(deep=True)) <= chrome.NAMED_MAX_SHARE * total:
                _detach(node)


def _removable(node, keep: set[int]) -> bool:
    return node.mem_id not in keep and node.tag not in ("html", "body", "head")


def _detach(node) -> None:
    # Unlink only: a later match inside this subtree stays valid memory (a deep
    # decompose would free nodes that `css()` results still point to).
    node.decompose(recursive=False)


def text_length(node) -> int:
    return len(node.text(deep=True).strip()) if node is not None else 0


def _ancestor_ids(node) -> set[int]:
    ids = set()
    while node is not None:
        ids.add(node.mem_id)
        node = node.parent
    return ids


def _inside_article(node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in _ARTICLE_TAGS:
            return True
        role = parent.attributes.get("role") if parent.tag not in ("html", "body") else None
        if role and role.strip().lower() == "main":
            return True
        parent = parent.parent
    return False
