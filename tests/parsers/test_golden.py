"""Golden files: every mirror page parses to the `index.expected.json` beside it.

Regenerate on purpose only: `pytest tests/parsers/test_golden.py --update-golden`,
then review the diff. The URL given to the parser is the page's address on the live
site, so links and months come out as they would in production.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_response

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"
LIVE = "https://www.met.police.uk"
PAGES = sorted(
    p
    for p in SITE.rglob("index.html")
    if not any(part.startswith("_") for part in p.relative_to(SITE).parts)
)


def page_url(path: Path) -> str:
    rel = path.parent.relative_to(SITE).as_posix()
    host, _, rest = rel.partition("/")
    if host.endswith(".police.uk"):  # another force's site: fixtures/site/<its host>/
        return f"https://{host}/{rest}/"
    return f"{LIVE}/{rel}/" if rel != "." else f"{LIVE}/"


@pytest.mark.skipif(not PAGES, reason="mirror not built")
@pytest.mark.parametrize(
    "path", PAGES, ids=[p.parent.relative_to(SITE).as_posix()[-60:] for p in PAGES]
)
def test_golden(path: Path, update_golden: bool) -> None:
    record = parse_response(path.read_bytes(), page_url(path)).to_dict()
    golden = path.with_name("index.expected.json")
    if update_golden:
        golden.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not golden.exists():
        pytest.fail(
            f"no golden file {golden.relative_to(SITE)}: run pytest --update-golden and review it"
        )
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for key in expected:
        assert record.get(key) == expected[key], key
    assert set(record) == set(expected)


def test_every_response_in_the_manifest_is_covered() -> None:
    manifest = json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))
    paths = {p.relative_to(SITE).as_posix() for p in PAGES}
    assert {entry["path"] for entry in manifest["responses"]} <= paths
