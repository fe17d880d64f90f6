"""Round robins load datasketch's MinHash alone (db/datasketch_minhash.py), not the whole
package, whose __init__ imports scipy (~50 MB more in every refresh): with the same
signatures as the package imported whole. Each check runs in a fresh interpreter, since
this one may have imported anything already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.round_robins.test_similarity import DYFED, MPS, OTHER

REPO = Path(__file__).resolve().parents[2]
TEXTS = [MPS, DYFED, OTHER, "Taser use by officers in 2024, by month and borough, please"]

SIGNATURES = """
import json, sys
{first}
from db.similarity import shingles, signature
sigs = [signature(shingles(t)).hex() for t in json.loads(sys.argv[1])]
print(json.dumps({{"sigs": sigs, "scipy": "scipy" in sys.modules,
                   "lsh": "datasketch.lsh" in sys.modules}}))
"""

# The round-robin step of a refresh on a fresh archive (migrations included), as
# scraper/refresh.py runs it, after loading real mirror pages.
REFRESH_STEP = """
import json, sys
from scraper.refresh import _group_round_robins
from tests.round_robins.mirror_archive import build, mirror_items
db = build(sys.argv[1], mirror_items())
_group_round_robins(db)
print(json.dumps({"round_robins": db["round_robins"].count, "scipy": "scipy" in sys.modules,
                  "lsh": "datasketch.lsh" in sys.modules}))
"""


def run(code: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_similarity_loads_minhash_without_scipy_and_signs_as_the_whole_package():
    alone = run(SIGNATURES.format(first=""), json.dumps(TEXTS))
    assert not alone["scipy"] and not alone["lsh"]
    whole = run(SIGNATURES.format(first="import datasketch"), json.dumps(TEXTS))
    assert whole["scipy"] and whole["lsh"]  # the package's own __init__ did run there
    assert alone["sigs"] == whole["sigs"] and len(set(alone["sigs"])) == 3  # MPS == DYFED


def test_the_rest_of_the_package_is_still_there_when_asked_for():
    found = run(
        "import json, sys, db.similarity\n"
        "from datasketch import MinHash, MinHashLSH\n"
        "import datasketch.minhash\n"
        "print(json.dumps({'same': MinHash is datasketch.minhash.MinHash,"
        " 'lsh': MinHashLSH.__name__}))"
    )
    assert found == {"same": True, "lsh": "MinHashLSH"}


def test_a_refresh_groups_round_robins_without_scipy(tmp_path):
    done = run(REFRESH_STEP, str(tmp_path / "foi.db"))
    assert done["round_robins"] >= 2  # it really grouped (the mirror's round robins)
    assert not done["scipy"] and not done["lsh"]
