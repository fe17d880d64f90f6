"""Which answers make one round robin: the rule shared by the whole-archive build
(db/round_robin_build.py, in memory) and the page-by-page update (db/round_robins.py, in
SQL). No database here.

A round robin is one request sent to many forces at one time, so a group holds at most
one answer per force (and language: a Welsh page next to its force's English twin is a
translation, dropped when the round robin is written) and its answers were published
within `SPAN_DAYS` of each other. Without that, an archive of thousands of near-identical
template requests (the same annual question from many requesters, campaign letters)
would chain into one giant "round robin" across years and answers of one force.

Finding candidates is capped the same way: from each LSH band bucket a page looks at
the `CAP` answers nearest in date on each side (the build, which places pages in date
order, at the `CAP` latest before it). A real round robin's copies are near each other
in date and need to meet only one member of their group, so a crowded bucket of
template text costs `CAP` comparisons per band, not thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from db.similarity import MARGIN, THRESHOLD

SPAN_DAYS = 365  # first to last publication of one round robin's answers
CAP = 32  # answers looked at per band bucket (and side)


@dataclass(frozen=True)
class Answer:
    """A response as the rule sees it."""

    rowid: int
    force: str | None
    language: str
    day: int  # date.toordinal() of its publication (see answer_day)
    id: str = ""

    @property
    def who(self) -> str:
        # A response without a force stands for itself.
        return f"{self.force or self.id}|{self.language}"


@dataclass
class Group:
    """A group's answerers and date range: all the rule needs to know of it."""

    who: set[str] = field(default_factory=set)
    lo: int = 0
    hi: int = 0

    @classmethod
    def of(cls, answers: Iterable[Answer]) -> Group:
        answers = list(answers)
        return cls(
            {a.who for a in answers}, min(a.day for a in answers), max(a.day for a in answers)
        )

    def fits(self, other: Group) -> bool:
        """Can the two be one round robin: no force answers twice, one time frame."""
        return self.who.isdisjoint(other.who) and (
            max(self.hi, other.hi) - min(self.lo, other.lo) <= SPAN_DAYS
        )

    def absorb(self, other: Group) -> None:
        self.who |= other.who
        self.lo, self.hi = min(self.lo, other.lo), max(self.hi, other.hi)


def answer_day(published: str | None, month: str | None, first_seen: str | None) -> int:
    """The day an answer was published: its date, else its month, else when we saw it."""
    for text, cut in ((published, 10), (month, 7), (first_seen, 10)):
        value = (text or "")[:cut]
        try:
            return date.fromisoformat(value if cut == 10 else value + "-01").toordinal()
        except ValueError:
            continue
    return 0


def translations(a: Answer, b: Answer) -> bool:
    return a.force is not None and a.force == b.force and a.language != b.language


def choose(
    doc: Answer,
    candidates: Iterable[tuple[Answer, float, int]],
    group: Callable[[int], Group],
    same: Callable[[Answer, float], bool],
) -> list[int]:
    """The groups doc joins (their keys), most similar first.

    `candidates` are (answer, estimated similarity, key of its group), best first (one
    key per group, as the caller names them; `group(key)` describes it); `same` decides whether
    the request really is doc's. A group is joined when one of its answers is the same
    request and it fits with doc and the groups joined so far: doc can bring two groups
    together, but never breaks the rule.
    """
    mine = Group({doc.who}, doc.day, doc.day)
    decided: set[int] = set()  # joined, or ruled out for good (groups only grow)
    joined: list[int] = []
    for answer, estimate, key in candidates:
        if key in decided or answer.rowid == doc.rowid or translations(doc, answer):
            continue
        theirs = group(key)
        if not mine.fits(theirs):
            decided.add(key)
            continue
        if same(answer, estimate):
            mine.absorb(theirs)
            decided.add(key)
            joined.append(key)
    return joined


def decisive(groups: Sequence[int], est: Sequence[float]) -> list[bool]:
    """Which candidates (best first) `choose` can need: a group whose best candidate is
    surely the same request is settled by that one (joined, or ruled out by the rule),
    so its others are dropped; in a near-copy crowd that is most of them. (Plain
    Python: a few dozen candidates cost less than numpy's calls on them.)"""
    seen: set[int] = set()
    settled: set[int] = set()
    needed = []
    for group, estimate in zip(groups, est):
        if group in seen:
            needed.append(group not in settled)
            continue
        seen.add(group)
        needed.append(True)
        if estimate >= THRESHOLD + MARGIN:
            settled.add(group)
    return needed
