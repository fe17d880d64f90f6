"""The Freedom of Information Act 2000 provisions a response can rely on.

`CATALOGUE` maps a section number to its heading as the Act itself words it (so a page's
typo, "Personnel Information", is stored as "Personal information"), its kind and its
legislation.gov.uk address. The archive builds its `exemptions` table from it, keyed by
the same int that `Exemption.section` carries.

Kinds: "absolute" follows the Act's own list in s.2(3) (ss.21, 23, 32, 34, 40 and 41, 44;
s.36 is absolute only for information held by the Houses of Parliament, which never
applies to a police force, so it is "qualified" here, and s.40 is absolute for the
personal-data cases police rely on, s.40(1) and the first condition of s.40(2));
"qualified" exemptions are subject to the public interest test; "procedural" marks the
two refusals that are not exemptions at all: s.12 (cost limit) and s.14 (vexatious or
repeated requests).

Section 22A (research) has no int of its own. It is stored as section 22 with a
subsection that starts with "A" (`Section 22A(1)(a)` -> section 22, subsection
"A(1)(a)"), `lookup(22, "A...")` returns its own heading "Research", and
`provision(22, "A(1)(a)")` gives the label "22A" (`PROVISIONS` is keyed by that label). Filtering on
`section = 22` therefore finds both future-publication exemptions, which is what a
researcher asking "was this held back for publication?" wants.
"""

from __future__ import annotations

from dataclasses import dataclass

_URL = "https://www.legislation.gov.uk/ukpga/2000/36/section/{}"


@dataclass(frozen=True)
class FoiaSection:
    section: int
    name: str
    kind: str
    legislation_url: str
    note: str = ""


def _entry(key: str, name: str, kind: str, note: str = "") -> FoiaSection:
    return FoiaSection(int(key.rstrip("A")), name, kind, _URL.format(key), note)


CATALOGUE: dict[int, FoiaSection] = {
    entry.section: entry
    for entry in (
        _entry("12", "Exemption where cost of compliance exceeds appropriate limit", "procedural"),
        _entry("14", "Vexatious or repeated requests", "procedural"),
        _entry("21", "Information accessible to applicant by other means", "absolute"),
        _entry("22", "Information intended for future publication", "qualified"),
        _entry(
            "23",
            "Information supplied by, or relating to, bodies dealing with security matters",
            "absolute",
        ),
        _entry("24", "National security", "qualified"),
        _entry("26", "Defence", "qualified"),
        _entry("27", "International relations", "qualified"),
        _entry("28", "Relations within the United Kingdom", "qualified"),
        _entry("29", "The economy", "qualified"),
        _entry("30", "Investigations and proceedings conducted by public authorities", "qualified"),
        _entry("31", "Law enforcement", "qualified"),
        _entry("32", "Court records, etc.", "absolute"),
        _entry("33", "Audit functions", "qualified"),
        _entry("34", "Parliamentary privilege", "absolute"),
        _entry("35", "Formulation of government policy, etc.", "qualified"),
        _entry(
            "36",
            "Prejudice to effective conduct of public affairs",
            "qualified",
            "absolute only for information held by the House of Commons or House of Lords (s.2(3)(e))",
        ),
        _entry("37", "Communications with Her Majesty, etc. and honours", "qualified"),
        _entry("38", "Health and safety", "qualified"),
        _entry("39", "Environmental information", "qualified"),
        _entry(
            "40",
            "Personal information",
            "absolute",
            "absolute for s.40(1) and for s.40(2) under the first condition (s.2(3)(ea)); "
            "other conditions are qualified",
        ),
        _entry("41", "Information provided in confidence", "absolute"),
        _entry("42", "Legal professional privilege", "qualified"),
        _entry("43", "Commercial interests", "qualified"),
        _entry("44", "Prohibitions on disclosure", "absolute"),
    )
}

SECTION_22A = _entry("22A", "Research", "qualified", "stored as section 22, subsection 'A...'")

# The subsection of each exemption that excludes the duty to confirm or deny: relying on
# it is a "neither confirm nor deny" (NCND) response.
NCND_SUBSECTIONS: dict[int, tuple[str, ...]] = {
    22: ("2",),
    23: ("5",),
    24: ("2",),
    26: ("3",),
    27: ("4",),
    28: ("3",),
    29: ("2",),
    30: ("3",),
    31: ("3",),
    32: ("3",),
    33: ("3",),
    34: ("2",),
    35: ("3",),
    36: ("3",),
    37: ("2",),
    38: ("2",),
    39: ("2",),
    40: ("5", "5A", "5B"),
    41: ("2",),
    42: ("2",),
    43: ("3",),
    44: ("2",),
}


# The words pages use to name each exemption ("Section 40(2) – Personnel Information",
# "S31 Law Enforcement"): a section followed by its name is being relied on.
NAME_WORDS: dict[int, tuple[str, ...]] = {
    12: ("cost", "appropriate limit"),
    14: ("vexatious", "repeated"),
    21: ("accessible", "other means"),
    22: ("future publication", "research"),
    23: ("security bodies", "security matters"),
    24: ("national security",),
    26: ("defence",),
    27: ("international relations",),
    28: ("relations within",),
    29: ("economy",),
    30: ("investigation",),
    31: ("law enforcement",),
    32: ("court records",),
    33: ("audit",),
    34: ("parliamentary privilege",),
    35: ("government policy",),
    36: ("public affairs", "prejudice to effective"),
    37: ("her majesty", "honours", "royal"),
    38: ("health and safety", "health & safety"),
    39: ("environmental",),
    40: ("personal",),
    41: ("confidence",),
    42: ("legal professional privilege", "legal privilege"),
    43: ("commercial",),
    44: ("prohibition",),
}


# Every provision by its label, s.22A included: for an archive table that needs one row
# per provision ("22A" apart from "22"), and for `provision()` below.
PROVISIONS: dict[str, FoiaSection] = {
    **{str(k): v for k, v in CATALOGUE.items()},
    "22A": SECTION_22A,
}


def provision(section: int, subsection: str = "") -> str:
    """The provision's label: "31", or "22A" for section 22 with subsection "A..."."""
    return "22A" if section == 22 and subsection.startswith("A") else str(section)


def lookup(section: int, subsection: str = "") -> FoiaSection | None:
    """The catalogue entry for a provision, telling s.22A (subsection "A...") apart."""
    if section == 22 and subsection.startswith("A"):
        return SECTION_22A
    return CATALOGUE.get(section)


def is_ncnd_provision(section: int, subsection: str) -> bool:
    """True for the confirm-or-deny subsections, e.g. s.31(3), s.24(2), s.40(5B)."""
    if section == 22 and subsection.startswith("A"):
        first = _first_part(subsection[1:])
        return first == "2"
    first = _first_part(subsection)
    return first is not None and first.upper() in NCND_SUBSECTIONS.get(section, ())


def _first_part(subsection: str) -> str | None:
    if not subsection.startswith("("):
        return None
    end = subsection.find(")")
    return subsection[1:end] if end > 0 else None
