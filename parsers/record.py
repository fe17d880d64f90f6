"""The one record type that crosses from parsing to storage.

Everything here is plain data: frozen dataclasses of str/int/bool/None/tuples, so a
record can be hashed, compared in tests and turned into JSON with `to_dict()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Bump whenever a change to parsers/ can change any field of a parsed record:
# `foilog reparse` and the archive's provenance columns rely on it.
PARSER_VERSION = "4"

OUTCOMES = (
    "full",
    "partial",
    "refused",
    "not_held",
    "ncnd",
    "cost_limit",
    "vexatious",
    "invalid",
    "unknown",
)


@dataclass(frozen=True)
class Question:
    number: str
    text: str
    answer: str | None = None
    # `Answer.position` of the answer this question shares with the others it was
    # answered with (one answer to "Q5 - Q5d"); None when the reply does not answer it.
    answer_id: int | None = None


@dataclass(frozen=True)
class Table:
    """A data table on the page, as rows of cell texts (see `parsers.tables`).

    `line` is the index of its first row in `body_text.split("\n")` (each row is one
    body line, cells joined with " | "); `header_rows` leading rows are headings
    (`<thead>` or all `<th>`).
    """

    position: int
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 0
    line: int = 0


@dataclass(frozen=True)
class Answer:
    """One answer as the force wrote it, once, with the questions it answers.

    `tables` are the `Table.position`s of the tables inside its text.
    """

    position: int
    question_numbers: tuple[str, ...]
    text: str
    tables: tuple[int, ...] = ()


@dataclass(frozen=True)
class Exemption:
    section: int
    subsection: str
    citation: str
    name: str
    ncnd: bool = False


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str
    type: str


@dataclass(frozen=True)
class Response:
    url: str
    reference: str | None
    title: str | None
    month: str | None
    published: str | None
    request_text: str
    questions: tuple[Question, ...]
    exemptions: tuple[Exemption, ...]
    outcome: str
    ncnd: bool
    body_text: str
    links: tuple[Link, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    answers: tuple[Answer, ...] = ()
    tables: tuple[Table, ...] = ()
    # The platform's English force slug ("metropolitan-police"), None when the URL is
    # not under /foi-ai/<force>/; `language` is "cy" for Welsh (/cy-GB/) pages.
    force: str | None = None
    language: str = "en"
    # Where `reference` was read: "text" (the page's reference line) or "url" (the
    # force's URL slug, see parsers.reference_formats); None when there is none.
    reference_source: str | None = None
    # The date the request was received, when the response prints it ("received on
    # 24th October 2023"): ISO "YYYY-MM-DD", else None.
    received: str | None = None
    warnings: tuple[str, ...] = ()
    parser_version: str = field(default=PARSER_VERSION)

    def to_dict(self) -> dict:
        """JSON-ready dict: tuples become lists, key order fixed by the dataclass."""
        return asdict(self, dict_factory=_listify)


@dataclass(frozen=True)
class ListingItem:
    """One entry of the published-items lister (or a month hub, or a sitemap)."""

    url: str
    title: str | None = None
    date: str | None = None
    doc_type: str | None = None


@dataclass(frozen=True)
class ListingPage:
    url: str
    items: tuple[ListingItem, ...]
    next_url: str | None = None
    warnings: tuple[str, ...] = ()


def _listify(pairs: list[tuple[str, object]]) -> dict:
    return {k: _as_list(v) for k, v in pairs}


def _as_list(value: object) -> object:
    """Tuples, nested ones too (a table's rows of cells), as lists: what JSON gives back."""
    return [_as_list(v) for v in value] if isinstance(value, tuple) else value
