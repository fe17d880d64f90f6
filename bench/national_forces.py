"""The forces of the national archive: who publishes, how much, and in which style.

- `force_slugs`, `force_weights`: the platform's forces and their publication volumes;
- `force_templates`: each force's own pages in the mirror (real and written), parsed at
  their live URLs, so its clones keep its reference notation, URL layout and wording;
- `clone_reference`, `clone_path`: a clone's reference and URL in that style.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from bench.synth import DEFAULT_SITE_ROOT, MONTHS, load_manifest, new_reference

# The platform's forces (English slugs as in their /foi-ai/<slug>/ paths), from
# ../shared/platform.md: the 36 parsers/forces.toml has rules for and those it does not
# have yet. The order sets each force's volume (force_weights), so it is kept as is;
# tests/test_bench_national.py checks every force the parsers know is here.
PLATFORM_FORCES = (
    "metropolitan-police",
    "south-wales-police",
    "dyfed-powys-police",
    "gwent-police",
    "cleveland-police",
    "north-yorkshire-police",
    "warwickshire-police",
    "northamptonshire-police",
    "essex-police",
    "west-mercia-police",
    "wiltshire-police",
    "dorset-police",
    "devon--cornwall-police",
    "cheshire-constabulary",
    "city-of-london-police",
    "derbyshire-constabulary",
    "gloucestershire-constabulary",
    "greater-manchester-police",
    "hampshire-constabulary",
    "kent-police",
    "leicestershire-police",
    "lincolnshire-police",
    "merseyside-police",
    "staffordshire-police",
    "surrey-police",
    "sussex-police",
    "thames-valley-police",
    "cumbria-constabulary",
    "hertfordshire-constabulary",
    "nottinghamshire-police",
    "north-wales-police",
    "humberside-police",
    "durham-constabulary",
    "suffolk-constabulary",
    "northumbria-police",
    "cambridgeshire-constabulary",
    "bedfordshire-police",
    "lancashire-constabulary",
    "british-transport-police",
    "west-midlands-police",
    "avon-and-somerset-police",
    "norfolk-constabulary",
)


def force_slugs() -> list[str]:
    return list(PLATFORM_FORCES)


def force_weights(forces: list[str]) -> list[float]:
    # Publication volume falls off with size: the MPS publishes several times what a
    # small county force does (Zipf-like, exponent 0.7).
    return [1.0 / (rank + 1) ** 0.7 for rank in range(len(forces))]


# A force with its own pages in the mirror gets up to this share of its clones from them
# (its reference notation, URL layout and wording), the rest from the shared templates;
# less where it has few pages, so no page is copied more often than a shared template
# (a few pages copied thousands of times would crowd search and round robins).
OWN_SHARE = 0.6


def force_page_files(site_root: Path = DEFAULT_SITE_ROOT) -> list[tuple[str, str, Path]]:
    """(force, live URL, file) of every English page of another force in the mirror:
    the real and written pages of each force's own style (fixtures/site/manifest.json)."""
    site_root = Path(site_root)
    manifest = load_manifest(site_root)
    found = []
    for force, info in sorted(manifest.get("forces", {}).items()):
        for entry in info.get("responses", []):
            file = site_root / entry["served_path"].strip("/") / "index.html"
            if entry.get("language", "en") == "en" and file.exists():
                found.append((force, f"https://{info['host']}{entry['url_path']}", file))
    for entry in manifest.get("other_forces", []):
        file = site_root / entry["path"]
        m = re.match(r"/foi-ai/([^/]+)/", entry["url_path"])  # English pages only
        if m and file.exists():
            host = getattr(site(m[1]), "base_url", None) or guessed_host(m[1])
            found.append((m[1], host + entry["url_path"], file))
    return found


def force_templates(site_root: Path = DEFAULT_SITE_ROOT) -> dict[str, list]:
    """{force: [Response]} from `force_page_files`, by the real parser, with a reference."""
    from parsers import parse_response

    out: dict[str, list] = {}
    for force, url, file in force_page_files(site_root):
        record = parse_response(file.read_bytes(), url)
        if record.reference and record.body_text and record.language == "en":
            out.setdefault(force, []).append(replace(record, force=force))
    return out


def site(force: str):
    from parsers.sites import SITES

    return SITES.get(force)


def guessed_host(force: str) -> str:
    name = force.replace("--", "-").replace("-police", "").replace("-constabulary", "")
    return f"https://www.{name}.police.uk"


YEAR_RE = re.compile(r"(?:19|20)\d\d")


def clone_reference(record, force: str, i: int, year: int, rng: random.Random) -> str:
    """A new reference in the notation of the template's force (its last number made
    unique), the MPS's own notation, or a common "NNNN/YY" for a force not sampled."""
    if record.force == force and record.force != "metropolitan-police" and record.reference:
        # the serial: the longest number that is not a year ("235/2024", "2022/25222")
        runs = [m for m in re.finditer(r"\d+", record.reference) if not YEAR_RE.fullmatch(m[0])]
        if runs:
            serial = max(runs, key=lambda m: len(m[0]))
            new = str(i + 1).zfill(len(serial[0]))
            return record.reference[: serial.start()] + new + record.reference[serial.end() :]
    if force == "metropolitan-police":
        return new_reference(record.reference or "01.FOI.24.000000", i, year)
    return f"{rng.randrange(100, 9999)}/{year % 100:02d}-{i}"


def clone_path(record, force: str, year: int, month: str, slug: str) -> str:
    """The template's own URL layout when it is this force's page, else the platform's."""
    if record.force == force and force != "metropolitan-police":
        path = urlsplit(record.url).path.rstrip("/")
        prefix = re.sub(r"\b20\d\d\b", str(year), path.rsplit("/", 1)[0])
        prefix = re.sub("|".join(MONTHS), month, prefix)
        return f"{prefix}/{slug}/"
    return f"/foi-ai/{force}/disclosure-{year}/{month}-{year}/{slug}/"
