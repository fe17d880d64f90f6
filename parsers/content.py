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
from parsers.chrome_match import ChromeCandidates, find_chrome

ROOT_SELECTORS = (
    'main, [role="main" i]',
    "article",
    "#content, #main-content, #maincontent, #main, #primary, .main-content",
)
_ARTICLE_TAGS = frozenset(("main", "article"))


def remove_junk(tree, found=None) -> None:
    """Scripts, styles, form controls: never content, whatever the layout.

    `found`: the elements `chrome.JUNK_SELECTOR` matches, if the caller queried them
    since the tree last changed (`parsers.page_query`).
    """
    if found is None:
        found = tree.css(chrome.JUNK_SELECTOR)
    for node in found:
        if node.tag not in ("html", "body", "head"):
            _detach(node)


def choose_root(tree, first=None):
    """(root node, is_fallback): the best content root candidate, else the body.

    `first`: the elements `ROOT_SELECTORS[0]` matched, if the caller queried them
    earlier (`parsers.page_query`); those removed since are skipped.
    """
    for selector in ROOT_SELECTORS:
        best, best_len = None, 0
        if first is None:
            nodes = tree.css(selector)
        else:
            html = tree.root
            html_id = html.mem_id if html is not None else None
            nodes = [node for node in first if is_under(node, html_id)]
            first = None  # the other selectors are queried now
        for node in nodes:
            size = len(node.text(deep=True).strip())
            if size > best_len:
                best, best_len = node, size
        if best is not None:
            return best, False
    return tree.body or tree.root, True


def remove_chrome(tree, root, scope=None) -> None:
    """Remove chrome regions under `scope` (default: the body), sparing `root` and its ancestors.

    Only the subtree that will be read needs cleaning: with a real content root that
    is the root itself, which keeps this pass cheap.
    """
    keep = _ancestor_ids(root)
    body = tree.body or tree.root
    scope = scope if scope is not None else body
    if body is None or scope is None:
        return
    found = find_chrome(scope)
    if found is None:
        groups = _ChromeQueries(scope)
    else:
        groups = _ChromeFound(found, scope)
    # The body's text, before any removal, sizes the guarded regions: read (a C walk
    # of the whole body) only when there are any.
    total = 1
    if found is None or found.guarded:
        total = len(body.text(deep=True)) or 1
    for node in groups.landmarks():
        if not _removable(node, keep):
            continue
        if node.tag in ("header", "footer") and _inside_article(node) and not _site_region(node):
            continue
        groups.detach(node)
    for node in groups.guarded():
        if _removable(node, keep) and len(node.text(deep=True)) <= chrome.NAMED_MAX_SHARE * total:
            groups.detach(node)
    for node in groups.hidden():
        if _removable(node, keep) and not _collapsed_content(node):
            groups.detach(node)
    for node in groups.navish():
        if _removable(node, keep) and _link_share(node) >= chrome.NAVISH_LINK_SHARE:
            groups.detach(node)


class _ChromeQueries:
    """Each group by its CSS selectors, queried when its turn comes (after the earlier
    groups' removals)."""

    def __init__(self, scope) -> None:
        self.scope = scope

    def landmarks(self):
        return self.scope.css(_LANDMARKS)

    def guarded(self):
        return self.scope.css(_GUARDED)

    def hidden(self):
        return self.scope.css(chrome.HIDDEN_SELECTOR)

    def navish(self):
        return self.scope.css(chrome.NAVISH_SELECTOR)

    def detach(self, node) -> None:
        _detach(node)


class _ChromeFound:
    """The groups as `find_chrome` found them before any removal: an element inside one
    removed since is skipped, as a query made after the removal would not list it."""

    def __init__(self, found: ChromeCandidates, scope) -> None:
        self.found = found
        self.scope_id = scope.mem_id
        self.removed: set[int] = set()

    def landmarks(self):
        return self._live(self.found.landmarks)

    def guarded(self):
        return self._live(self.found.guarded)

    def hidden(self):
        return self._live(self.found.hidden)

    def navish(self):
        return self._live(self.found.navish)

    def detach(self, node) -> None:
        _detach(node)
        self.removed.add(node.mem_id)

    def _live(self, nodes):
        for node in nodes:
            if not self.removed or self._attached(node):
                yield node

    def _attached(self, node) -> bool:
        while node is not None:
            node_id = node.mem_id
            if node_id in self.removed:
                return False
            if node_id == self.scope_id:
                return True
            node = node.parent
        return False


def _link_share(node) -> float:
    text = len(node.text(deep=True).strip())
    if not text:
        return 1.0
    return sum(len(a.text(deep=True).strip()) for a in node.css("a[href]")) / text


def _collapsed_content(node) -> bool:
    """A hidden panel of response text (a closed accordion), not hidden chrome."""
    if (node.attributes.get("hidden") or "").strip().lower() == "until-found":
        return True
    return (
        len(node.text(deep=True).strip()) >= chrome.HIDDEN_CONTENT_MIN_CHARS
        and node.css_first(chrome.HIDDEN_CONTENT_BLOCKS) is not None
    )


_LANDMARKS = chrome.LANDMARK_SELECTOR + "," + chrome.PAGE_HEADER_FOOTER
_GUARDED = ",".join(
    (
        chrome.GUARDED_SELECTOR,
        ",".join("." + name for name in sorted(chrome.HIDDEN_CLASSES)),
        chrome.NAMED_SELECTOR,
    )
)


def remove_link_lists(scope, keep=None) -> None:
    """Menus without landmarks (old table layouts): cells and divs that are nearly all links.

    Used only when the page has no content root, where nothing else marks the menu.
    A block holding the h1 or a released document is never a menu; nor is `keep`
    (the chosen root) or any block around it.
    """
    kept = _ancestor_ids(keep) if keep is not None else set()
    for node in scope.css("td, th, div"):
        if node.mem_id in kept:
            continue
        links = node.css("a[href]")
        if len(links) < _MENU_MIN_LINKS or node.css_first("h1") is not None:
            continue
        text = len(node.text(deep=True).strip())
        if (
            text
            and _link_share(node) >= _MENU_LINK_SHARE
            and not any(_is_document(a.attributes.get("href") or "") for a in links)
        ):
            _detach(node)


_MENU_MIN_LINKS = 4
_MENU_LINK_SHARE = 0.8
_DOCUMENT_HINTS = (".pdf", ".xls", ".csv", ".doc", ".odt", ".ods", ".zip", "syssiteassets")


def _is_document(href: str) -> bool:
    lowered = href.lower()
    return any(hint in lowered for hint in _DOCUMENT_HINTS)


def _site_region(node) -> bool:
    """A header/footer that is the site's own (menus, link lists), even inside `main`."""
    return (
        node.css_first('nav, [role="navigation" i], form') is not None
        or len(node.css("a[href]")) > 5
    )


def _removable(node, keep: set[int]) -> bool:
    return node.mem_id not in keep and node.tag not in ("html", "body", "head")


def _detach(node) -> None:
    # Unlink only: a later match inside this subtree stays valid memory (a deep
    # decompose would free nodes that `css()` results still point to).
    node.decompose(recursive=False)


def root_looks_short(root_chars: int, root, body, share: float) -> bool:
    """Whether the root holds less than `share` of the body's non-chrome text.

    Cheap test first (whole body text); only if that fails are the landmark regions
    outside the root (menus, footers) subtracted, so a short response on a page
    with a mega-menu does not send us re-reading the whole body.
    """
    if root_chars >= _SURELY_CONTENT_CHARS:
        return False
    body_chars = text_length(body)
    if root_chars >= share * body_chars:
        return False
    keep = _ancestor_ids(root)
    counted: set[int] = set()
    chrome_chars = 0
    for node in body.css(_LANDMARKS):
        if node.mem_id in keep or _has_ancestor_in(node, counted):
            continue
        counted.add(node.mem_id)
        chrome_chars += len(node.text(deep=True))
    return root_chars < share * (body_chars - chrome_chars)


# A root with this much clean text is the content, whatever else the page holds.
_SURELY_CONTENT_CHARS = 3000


def _has_ancestor_in(node, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None and ids:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def text_length(node) -> int:
    return len(node.text(deep=True).strip()) if node is not None else 0


def is_under(node, ancestor_id: int | None) -> bool:
    """Whether the element with `mem_id` `ancestor_id` is `node` or holds it, in the
    tree as it is now (a removal unlinks the subtree from its parent)."""
    return node.mem_id == ancestor_id or _has_ancestor_in(node, {ancestor_id})


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
