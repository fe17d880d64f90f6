"""Remake tests/round_robins/labelled_pairs.json (the labelled set behind THRESHOLD).

    .venv/bin/python tests/round_robins/make_labelled.py /work/shared/real-samples

Texts: the request part of each real sample opening (chrome and the force's reference
line dropped, cut where the force's answer starts) and of each mirror round robin page.
Labels, read and checked by hand:
- same: a sample and its template variant as another force received it (the force's
  name, years, dates and figures changed, numbering restyled, intro line dropped,
  sometimes cut shorter, as forces quote requests); the members of one mirror round robin.
- different: every pair of two different real samples (read: no two are the same
  request; the Welsh pages' English twins are not in the sample); `hard` marks the pairs
  on one topic (drones, fleet, facial recognition, misconduct, tasers...), and the mirror's
  same-topic negatives against their round robin.
"""

from __future__ import annotations

import json
import random
import re
import sys
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CUT = re.compile(
    r"\n(?:I have today decided|RESPONSE\b|Response\b|Decision\b|Our response|Extent and "
    r"Result|Having (?:considered|completed)|We can confirm|I can confirm|Full Disclosure|"
    r"Partial Disclosure|Thank you for your request|Ymateb|YMATEB)",
)
DROP = re.compile(
    r"^(?:.*reference(?: no)?:.*|I note you seek access.*|Request:?|REQUEST|Original FOI "
    r"request.*|PUB \d+|\d+|Dear FOI team,?|Leave this site)$",
    re.I | re.M,
)
TOPICS = (
    "drone fleet vehicle facial taser misconduct shoplift dog vetting protest speeding "
    "forensic video mental hate fraud gang firearm stop search religion"
).split()
FORCES = [
    "Dyfed-Powys Police",
    "Cleveland Police",
    "Gwent Police",
    "Warwickshire Police",
    "North Yorkshire Police",
    "Essex Police",
    "Northamptonshire Police",
    "the MPS",
    "Devon and Cornwall Police",
    "your force",
    "South Wales Police",
    "Kent Police",
]
SELF = re.compile(
    r"\b(?:the Metropolitan Police(?: Service)?|Metropolitan Police(?: Service)?|the Met(?=\W)"
    r"|the MPS|MPS|(?:[A-Z][\w-]+ )*[A-Z][\w-]+ Police(?! Police)|your (?:police )?force|the force)\b"
)


# Same topic, often the same opening or one shared question, but a different request:
# the pairs that decide the threshold. (base text key, a request written against it)
HARD = {
    "mirror:taser-a-mps": [
        "Q1. How much money in GBP did the force spend on purchasing body worn video cameras "
        "and the relevant accessories in the financial year 2023 – 2024?\nQ2. How much money "
        "in GBP did the force spend on purchasing body worn video cameras and the relevant "
        "accessories in the financial year 2022 – 2023?\nPlease break this down by the amount "
        "spent on cameras, the amount spent on docking stations, and software licences.",
        "1. How many times did your officers draw or fire a taser in the financial year "
        "2023 – 2024?\n2. How many tasers does the force own?\n3. How many officers are "
        "trained to carry a taser?",
    ],
    "mirror:drones-b-mps": [
        "1. How many drones (unmanned aerial systems) does the force currently own or lease?\n"
        "2. How many officers are trained drone pilots?\n3. How much was spent on drone pilot "
        "training in 2024?\n4. Has any police drone crashed or been lost since 2022? If so, "
        "please give the date and the cost of the loss.",
        "Please provide a copy of your force's policy on the use of drones at protests and "
        "public events, and the data protection impact assessment for drone flights over "
        "private homes and gardens.",
    ],
    "warwickshire-police/foi-disclosure-2024/july-2024/foi-611-2024--july-2024--fleet/": [
        "Q1. Annual cost for the last three years to maintain the force’s fleet of vehicles "
        "(including servicing, replacement tyres, wear and tear, etc)\nQ2. How many electric "
        "or hybrid vehicles are in the fleet?\nQ3. How many charging points has the force "
        "installed at police stations?\nQ4. What is the force's target date for a zero-emission "
        "fleet?",
    ],
    "dyfed-powys-police/disclosure-2025/april/facial-recognition-technology-4122025/": [
        "1 Has Dyfed-Powys Police deployed live facial recognition?\nPlease provide the "
        "equality impact assessment and the data protection impact assessment for each "
        "deployment, and the name of the company that supplied the cameras.",
    ],
    "dyfed-powys-police/disclosure-2024/april/shoplifting-incidents-7524/": [
        "1) The number of shoplifting incidents reported to your police force in 2023.\n2) The "
        "number of people arrested for shoplifting in 2023, and how many were charged.\n3) The "
        "ten shops in your area with the most reported shoplifting incidents.",
    ],
    "dyfed-powys-police/disclosure-2026/january/police-staff-misconduct-12372025/": [
        "1) The number of police officers dismissed for gross misconduct in each of the past "
        "five calendar years.\n2) The number of misconduct hearings held in public and in "
        "private.\n3) The number of officers who resigned while under investigation.",
    ],
}


def request_part(text: str) -> str:
    start = max(text.find("let us know what you think."), text.find("beth yw eich barn"))
    body = text[text.index("\n", start) + 1 :] if start >= 0 else text
    found = CUT.search("\n" + body)
    if found and found.start() > 80:
        body = body[: found.start() - 1]
    return "\n".join(line for line in body.splitlines() if not DROP.match(line.strip())).strip()


def variant(text: str, rng: random.Random) -> str:
    """The same request as another force received it."""
    force = rng.choice(FORCES)
    text = SELF.sub(force, text)
    text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m.group(1)) + rng.choice((1, 2))), text)
    text = re.sub(
        r"\b(\d{1,2}) (?=(?:January|February|March|April|May|June|July|August|"
        r"September|October|November|December))",
        lambda m: f"{rng.randint(1, 28)} ",
        text,
    )
    if rng.random() < 0.5:
        text = re.sub(r"(?m)^(\d+)[.)] ?", r"Q\1. ", text)
    lines = text.splitlines()
    if len(lines) > 3 and rng.random() < 0.4:
        lines = lines[1:]  # the intro line left out
    if len(lines) > 4 and rng.random() < 0.3:
        lines = lines[: max(3, int(len(lines) * 0.85))]  # quoted up to a point
    return "\n".join(lines)


def html_text(fragment: str) -> str:
    fragment = re.sub(r"<br\s*/?>|</p>|</div>|</li>", "\n", fragment)
    text = re.sub(r"<[^>]+>", "", fragment)
    text = text.replace("&amp;", "&").replace("&nbsp;", " ")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def main(samples_dir: Path) -> None:
    rng = random.Random(16)
    texts: dict[str, str] = {}
    for name in ("mps_openings.jsonl", "other_forces_openings.jsonl"):
        for line in (samples_dir / name).read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            texts[page["url"].split("/foi-ai/")[1]] = request_part(page["text"])
    samples = [k for k, t in texts.items() if len(t) >= 120]
    pairs = []
    for a, b in combinations(samples, 2):
        hard = any(t in a and t in b for t in TOPICS)
        pairs.append({"a": a, "b": b, "same": False, "kind": "hard" if hard else "sample"})
    for key in samples:
        copy = variant(texts[key], rng)
        texts["variant:" + key] = copy
        pairs.append({"a": key, "b": "variant:" + key, "same": True, "kind": "variant"})
    groups: dict[str, list[str]] = {}
    for path in sorted((ROOT / "fixtures/content/round_robins").glob("*.html")):
        body = path.read_text(encoding="utf-8").split("-->", 1)[1]
        text = request_part("\n" + html_text(body))
        if "-cy" in path.stem:
            continue  # a translation, not another force's answer
        texts["mirror:" + path.stem] = text
        groups.setdefault(
            path.stem.split("-")[0] + ("-neg" if "negative" in path.stem else ""), []
        ).append("mirror:" + path.stem)
    for name, members in groups.items():
        if name.endswith("-neg"):
            continue
        pairs += [
            {"a": a, "b": b, "same": True, "kind": "mirror"} for a, b in combinations(members, 2)
        ]
        for negative in groups.get(name + "-neg", []):
            pairs += [{"a": m, "b": negative, "same": False, "kind": "hard"} for m in members]
    for base, negatives in HARD.items():
        for i, text in enumerate(negatives):
            key = f"hard:{base}:{i}"
            texts[key] = text
            pairs.append({"a": base, "b": key, "same": False, "kind": "hard"})
    # The real North Yorkshire taser request is the mirror's taser round robin (modelled
    # on it); the MPS taser-use request is on the same topic but asks something else.
    nyp = "north-yorkshire-police/foi-disclosure-2021-22/november-2024/foi-taser-costs-161-202425/"
    mps = "metropolitan-police/disclosure-2023/june-2023/taser-used-officers-2020-21-2022-23/"
    for member in groups.get("taser", []):
        pairs.append({"a": nyp, "b": member, "same": True, "kind": "mirror"})
        pairs.append({"a": mps, "b": member, "same": False, "kind": "hard"})
    out = {"texts": texts, "pairs": pairs}
    (HERE / "labelled_pairs.json").write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n")
    same = sum(p["same"] for p in pairs)
    print(
        f"{len(pairs)} pairs: {same} same, {len(pairs) - same} different "
        f"({sum(p['kind'] == 'hard' for p in pairs)} hard)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/real-samples"))
