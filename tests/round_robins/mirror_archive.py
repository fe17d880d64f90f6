"""An archive of every mirror page, MPS and other forces, at the forces' real addresses."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlite_utils

from db.load import Provenance, load_response
from db.schema import ensure_schema
from parsers import parse_response

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"
LOADED_AT = "2026-11-01T02:00:00+00:00"


def host_of(url_path: str) -> str:
    """The force's own host (as parsers/sites.py and platform.md have them)."""
    force = url_path.split("/foi-ai/")[1].split("/")[0]
    hosts = {
        "metropolitan-police": "www.met.police.uk",
        "south-wales-police": "www.south-wales.police.uk",
        "heddlu-de-cymru": "www.south-wales.police.uk",
        "north-yorkshire-police": "www.northyorkshire.police.uk",
        "northamptonshire-police": "www.northants.police.uk",
        "west-mercia-police": "www.westmercia.police.uk",
        "devon--cornwall-police": "www.devon-cornwall.police.uk",
    }
    return hosts.get(force, "www." + force.removesuffix("-police") + ".police.uk")


def mirror_items(folder: str | None = None) -> list[dict]:
    manifest = json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))
    items = manifest["responses"] + manifest["other_forces"]
    return [i for i in items if folder is None or i["file"].startswith(folder + "/")]


def load_item(db: sqlite_utils.Database, item: dict, now: str = LOADED_AT) -> str:
    """Parse one mirror page with the real parser and load it; returns its response id."""
    body = (SITE / item["path"]).read_bytes()
    url = f"https://{host_of(item['url_path'])}{item['url_path']}"
    response = parse_response(body, url)
    load_response(db, response, Provenance(url, now, hashlib.sha256(body).hexdigest()), now=now)
    return db.conn.execute("SELECT id FROM responses WHERE url = ?", (url,)).fetchone()[0]


def build(path: Path, items: list[dict]) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    for item in items:
        load_item(db, item)
    return db
