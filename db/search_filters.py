"""Search parameters as people send them (`?q=&year=&outcome=&section=&ncnd=&force=`).

`SearchFilters.from_args` accepts what can mean something and raises `BadSearch` with
the reason otherwise (the pages answer 400 with it); `to_args` writes them back for
links, without defaults; `describe` says them in words for titles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from parsers.record import OUTCOMES

MAX_PAGE = 100_000
SORTS = ("relevance", "newest")


class BadSearch(ValueError):
    """A search parameter that cannot mean anything (e.g. section=abc): say which, and why."""


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    year: int | None = None
    outcome: str | None = None
    section: int | None = None
    ncnd: bool | None = None
    force: str | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchFilters:
        """From query-string parameters; empty ones mean "any". Raises BadSearch."""

        def given(name: str) -> str | None:
            value = (args.get(name) or "").strip()
            return value or None

        year = _integer(given("year"), "year", 1990, 2100, "a year such as 2024")
        section = _integer(given("section"), "section", 1, 88, "a FOIA section number, 1 to 88")
        page = _integer(given("page"), "page", 1, MAX_PAGE, "a page number from 1") or 1
        outcome = given("outcome")
        if outcome is not None and outcome not in OUTCOMES:
            raise BadSearch(f"outcome must be one of {', '.join(OUTCOMES)}; got {outcome!r}")
        ncnd = given("ncnd")
        if ncnd is not None and ncnd not in ("0", "1"):
            raise BadSearch(f"ncnd must be 1 (neither confirm nor deny) or 0; got {ncnd!r}")
        sort = given("sort") or "relevance"
        if sort not in SORTS:
            raise BadSearch(f"sort must be relevance or newest; got {sort!r}")
        return cls(
            q=(args.get("q") or "").strip(),
            year=year,
            outcome=outcome,
            section=section,
            ncnd=None if ncnd is None else ncnd == "1",
            force=given("force"),
            sort=sort,
            page=page,
        )

    def to_args(self, **changes) -> dict[str, str]:
        """Query-string parameters for these filters (with changes), without the defaults."""
        f = replace(self, **changes)
        args = {
            "q": f.q,
            "year": f.year,
            "outcome": f.outcome,
            "section": f.section,
            "ncnd": None if f.ncnd is None else int(f.ncnd),
            "force": f.force,
            "sort": None if f.sort == "relevance" else f.sort,
            "page": None if f.page == 1 else f.page,
        }
        return {k: str(v) for k, v in args.items() if v not in (None, "")}

    def describe(self) -> str:
        """The search in words, for feed and page titles: 'taser, 2024, outcome refused'."""
        parts = [f"“{self.q}”"] if self.q else []
        if self.year:
            parts.append(str(self.year))
        if self.outcome:
            parts.append(f"outcome {self.outcome.replace('_', ' ')}")
        if self.section:
            parts.append(f"citing section {self.section}")
        if self.ncnd is not None:
            parts.append("neither confirm nor deny" if self.ncnd else "without NCND")
        if self.force:
            parts.append(self.force.replace("-", " "))
        return ", ".join(parts)


def _integer(value: str | None, name: str, low: int, high: int, what: str) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadSearch(f"{name} must be {what}; got {value!r}")
    return int(value)
