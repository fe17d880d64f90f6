"""Golden files for the real samples of every force (tests/parsers/samples/<force>/).

Each page is a real opening wrapped by `tests.parsers.samples.build`; the record it
parses to is `<slug>.json` beside it. Regenerate on purpose only (`pytest
tests/parsers/test_sample_goldens.py --update-golden`) and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_response

HERE = Path(__file__).resolve().parent / "samples"
INDEX: dict[str, str] = json.loads((HERE / "index.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(INDEX), ids=lambda n: n[:60])
def test_sample_golden(name: str, update_golden: bool) -> None:
    page = HERE / name
    record = parse_response(page.read_bytes(), INDEX[name]).to_dict()
    golden = page.with_suffix(".json")
    if update_golden:
        golden.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}: run pytest --update-golden and review it")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for key in expected:
        assert record.get(key) == expected[key], key
    assert set(record) == set(expected)


def test_every_force_has_samples() -> None:
    forces = {name.split("/")[0] for name in INDEX}
    assert len(forces) >= 10 and "metropolitan-police" in forces
