"""Links and attachments of the response content.

Decisions (documented for users of the `links` table):
- URLs are absolute, resolved against `<base href>` or the page URL, spaces encoded.
- Kept schemes: http, https and mailto (a contact address in a response is content;
  foilog users search for them). Dropped: javascript:, data:, tel:, fragment-only
  links to the same page, and anything unparseable.
- De-duplicated by URL, first occurrence order; the text is the first non-empty one.
- An attachment is a link to a document (by extension) or to a path under the site's
  asset store (`/SysSiteAssets/`); its type is the lowercase extension, "unknown"
  when the path has none.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from parsers.content import is_under
from parsers.html_text import clean_line
from parsers.record import Attachment, Link

DOCUMENT_EXTENSIONS = frozenset(
    (
        "xlsx",
        "xls",
        "xlsm",
        "csv",
        "pdf",
        "docx",
        "doc",
        "odt",
        "ods",
        "odp",
        "zip",
        "pptx",
        "ppt",
        "rtf",
        "txt",
        "msg",
        "eml",
    )
)
ASSET_PATH_MARKERS = ("/syssiteassets/", "/globalassets/", "/contentassets/")
_KEPT_SCHEMES = ("http", "https", "mailto")
_MAX_URL = 4096
_LINKING = "a[href], iframe[src], embed[src], object[data]"
# Anchors into the platform's FOI media store (released files).
FOI_MEDIA_SELECTOR = 'a[href*="foi-media" i]'


def collect_links(node, base_url: str) -> tuple[tuple[Link, ...], tuple[Attachment, ...]]:
    """(links, attachments) of the anchors under `node`, in document order."""
    if node is None:
        return (), ()
    page = None  # the page's own URL without its fragment: needed only for links with one
    seen: dict[str, int] = {}
    links: list[Link] = []
    # One query for anchors and embedded documents (each query is a walk of the
    # subtree in C); anchors come first in the links, as they did from two queries.
    found = node.css(_LINKING)
    for anchor in found:
        if anchor.tag != "a":
            continue
        attrs = anchor.attributes
        url = resolve(attrs.get("href") or "", base_url)
        if url is None:
            continue
        if "#" in url:
            page = _strip_fragment(base_url) if page is None else page
            if _strip_fragment(url) == page:
                continue
        text = clean_line(anchor.text(deep=True)) or clean_line(
            attrs.get("aria-label") or attrs.get("title") or _image_alt(anchor)
        )
        if url in seen:
            index = seen[url]
            if not links[index].text and text:
                links[index] = Link(text=text, url=url)
            continue
        seen[url] = len(links)
        links.append(Link(text=text, url=url))
    for embedded in found:
        if embedded.tag == "a":
            continue
        attrs = embedded.attributes
        url = resolve(attrs.get("src") or attrs.get("data") or "", base_url)
        if url and url not in seen and attachment_type(url):
            seen[url] = len(links)
            links.append(
                Link(text=clean_line(attrs.get("title") or attrs.get("aria-label") or ""), url=url)
            )
    attachments = tuple(
        Attachment(title=link.text or _filename(link.url), url=link.url, type=kind)
        for link in links
        if (kind := attachment_type(link.url))
    )
    return tuple(links), attachments


def outside_attachments(
    body, root, base_url: str, known: tuple[Link, ...], found=None
) -> tuple[tuple[Link, ...], tuple[Attachment, ...]]:
    """Released files linked outside the content root (a "Downloads" side block).

    Only links into the platform's FOI media store count: elsewhere on a page a
    document link is as likely to be a site-wide policy PDF as part of this response.
    `found`: the page's `FOI_MEDIA_SELECTOR` anchors, if the caller queried them
    earlier (`parsers.page_query`); those no longer in the body are skipped.
    """
    if body is None or root is None or body.mem_id == root.mem_id:
        return (), ()
    seen = {link.url for link in known}
    links, attachments = [], []
    if found is None:
        anchors = body.css(FOI_MEDIA_SELECTOR)
    else:
        body_id = body.mem_id
        anchors = [anchor for anchor in found if is_under(anchor, body_id)]
    for anchor in anchors:
        url = resolve(anchor.attributes.get("href") or "", base_url)
        kind = attachment_type(url) if url else None
        if url is None or kind is None or url in seen:
            continue
        seen.add(url)
        text = clean_line(anchor.text(deep=True))
        links.append(Link(text=text, url=url))
        attachments.append(Attachment(title=text or _filename(url), url=url, type=kind))
    return tuple(links), tuple(attachments)


def _image_alt(anchor) -> str:
    image = anchor.css_first("img[alt]")
    return (image.attributes.get("alt") or "") if image is not None else ""


def resolve(href: str, base_url: str) -> str | None:
    """`href` made absolute against `base_url`, or None if it is not a kept link."""
    href = href.strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or len(href) > _MAX_URL:
        return None
    try:
        url = urljoin(base_url, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _KEPT_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return url.replace(" ", "%20")


def attachment_type(url: str) -> str | None:
    """The document type of a link ("xlsx", "pdf", ...), or None if not a document."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    path = parts.path.lower()
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext in DOCUMENT_EXTENSIONS:
        return ext
    if any(marker in path for marker in ASSET_PATH_MARKERS) and name:
        return ext if ext.isalnum() and len(ext) <= 5 else "unknown"
    return None


def base_for(tree, page_url: str, found=None) -> str:
    """The document's `<base href>` resolved against the page URL, else the page URL.

    `found`: the elements `base[href]` matches, if the caller queried them since the
    tree last changed (`parsers.page_query`).
    """
    if found is None:
        base = tree.css_first("base[href]")
    else:
        base = found[0] if found else None
    if base is None:
        return page_url
    resolved = resolve(base.attributes.get("href") or "", page_url)
    return resolved if resolved and not resolved.startswith("mailto:") else page_url


def _strip_fragment(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(parts._replace(fragment=""))


def _filename(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
