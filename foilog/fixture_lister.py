"""The published-items lister of the fixture mirror, rendered per request.

`/foi-ai/af/accessing-information/published-items/?dt=Disclosure+log&q=...&page=2`:
newest first, 20 a page, `dt=` keeps one document type, `q=` matches every word of
the title. Markup comes from `fixtures/site/_chrome/` (copied there from
`fixtures/chrome/` by the builder).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

PER_PAGE = 20


@dataclass(frozen=True)
class ListerItem:
    url_path: str
    title: str
    listed: str  # YYYY-MM-DD
    doc_type: str  # "Disclosure log" | "Publication scheme"


@dataclass(frozen=True)
class ListerQuery:
    page: int = 1
    dt: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: dict[str, list[str]]) -> ListerQuery:
        raw = (params.get("page") or ["1"])[0]
        page = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        return cls(
            page=page,
            dt=(params.get("dt") or [""])[0].strip(),
            q=(params.get("q") or [""])[0].strip(),
        )

    def href(self, page: int) -> str:
        params = [(k, v) for k, v in (("dt", self.dt), ("q", self.q)) if v]
        return "?" + urlencode(params + [("page", str(page))])


def select(items: list[ListerItem], query: ListerQuery) -> list[ListerItem]:
    words = query.q.lower().split()
    return [
        i
        for i in items
        if (not query.dt or i.doc_type.lower() == query.dt.lower())
        and all(w in i.title.lower() for w in words)
    ]


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), m.group(0)), template)


def _variant(url_path: str) -> int:
    return hashlib.sha256(url_path.encode()).digest()[0]


def item_html(item: ListerItem, template: str) -> str:
    day = date.fromisoformat(item.listed)
    human = f"{day.day} {day:%B %Y}"
    v = _variant(item.url_path)
    # Seen on CMS listers: some items carry a machine date, some only the words.
    if v % 2:
        date_html = f'<span class="search-result__date">Published: <time datetime="{item.listed}">{human}</time></span>'
    else:
        date_html = f'<p class="search-result__date">Published: {human}</p>'
    # A few links lack the trailing slash (the server answers those with a 301).
    href = item.url_path.rstrip("/") if v % 13 == 5 else item.url_path
    return _fill(
        template,
        {
            "href": html.escape(href),
            "title": html.escape(item.title),
            "doc_type": html.escape(item.doc_type),
            "date_html": date_html,
        },
    )


def pagination_html(query: ListerQuery, pages: int, path: str, template: str) -> str:
    if pages <= 1:
        return ""
    links = []
    if query.page > 1:
        links.append(
            f'    <li class="pagination__prev"><a href="{html.escape(path + query.href(query.page - 1))}" rel="prev">Previous</a></li>'
        )
    for n in range(1, pages + 1):
        if n == query.page:
            links.append(
                f'    <li class="pagination__item pagination__item--current"><span aria-current="page">{n}</span></li>'
            )
        else:
            links.append(
                f'    <li class="pagination__item"><a href="{html.escape(query.href(n))}">{n}</a></li>'
            )
    if query.page < pages:
        links.append(
            f'    <li class="pagination__next"><a href="{html.escape(path + query.href(query.page + 1))}" rel="next">Next</a></li>'
        )
    return _fill(template, {"links": "\n".join(links)})


def render_lister(
    items: list[ListerItem], query: ListerQuery, path: str, templates: dict[str, str]
) -> str:
    """The full lister page for one query, from the shell and item templates."""
    matches = select(items, query)
    pages = max(1, math.ceil(len(matches) / PER_PAGE))
    start = (query.page - 1) * PER_PAGE
    shown = matches[start : start + PER_PAGE]
    if shown:
        body = (
            '<ul class="search-results">\n'
            + "\n".join(item_html(i, templates["lister_item.html"]) for i in shown)
            + "\n</ul>"
        )
    else:
        body = '<p class="search-results__empty">No results found. Try different keywords or filters.</p>'
    values = {
        "q": html.escape(query.q),
        "items": body,
        "dt_disclosure_selected": " selected" if query.dt.lower() == "disclosure log" else "",
        "dt_scheme_selected": " selected" if query.dt.lower() == "publication scheme" else "",
        "first": str(start + 1 if shown else 0),
        "last": str(start + len(shown)),
        "total": str(len(matches)),
        "pagination": pagination_html(query, pages, path, templates["pagination.html"]),
    }
    inner = _fill(templates["lister.html"], values)
    return templates["lister_shell.html"].replace("<!--LISTER-->", inner)
