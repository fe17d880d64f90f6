"""`foilog refresh` across forces against the real fixture server: each force on its own
host prefix, one force down without stopping the others, per-force figures and exit."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import httpx
import pytest

from db.files import force_pages_path
from foilog.fixture_site import serve_mirror
from parsers.sites import SITES
from scraper.forces_run import plan_jobs, refresh_forces, select_forces
from tests.scraper.conftest import settings_for
from tests.scraper.test_cli import foilog

LISTER = "/foi-ai/af/accessing-information/published-items/?dt=Disclosure+log"
MIRRORED = (
    "metropolitan-police",
    "south-wales-police",
    "dyfed-powys-police",
    "gwent-police",
    "cleveland-police",
    "north-yorkshire-police",
    "warwickshire-police",
    "northamptonshire-police",
    "essex-police",
    "devon--cornwall-police",
)


def forces_in(db_path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("SELECT force, count(*) FROM responses GROUP BY force"))


def test_each_force_has_its_own_site_on_the_mirror(mirror, manifest):
    gwent = httpx.get(mirror.url("/www.gwent.police.uk" + LISTER)).text
    assert "/www.gwent.police.uk/foi-ai/gwent-police/" in gwent and "cleveland" not in gwent
    assert "/cy-GB/" not in gwent  # the lister lists the English pages
    sitemap = httpx.get(mirror.url("/www.gwent.police.uk/sitemap.xml")).text
    assert f"{mirror.base_url}/www.gwent.police.uk/cy-GB/foi-ai/heddlu-gwent/" in sitemap
    robots = httpx.get(mirror.url("/www.gwent.police.uk/robots.txt")).text
    assert f"Sitemap: {mirror.base_url}/www.gwent.police.uk/sitemap.xml" in robots
    # the MPS site is the mirror's root, and also under its own host
    root = httpx.get(mirror.url(LISTER)).text
    assert root == httpx.get(mirror.url("/www.met.police.uk" + LISTER)).text
    welsh = httpx.get(
        mirror.url(
            "/www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/"
            "mehefin/rural-crime-team-vehicles-5312025/"
        )
    )
    assert welsh.status_code == 200 and "Allanfa Gyflym" in welsh.text
    assert 'lang="cy' in welsh.text and "We use some essential cookies" not in welsh.text
    counts = {k: len(v["responses"]) for k, v in manifest["forces"].items()}
    assert set(counts) == set(MIRRORED) - {"metropolitan-police"}
    assert min(counts.values()) >= 3


def test_a_forces_round_robin_answers_are_on_its_own_site(mirror, manifest):
    """The round-robin answers kept at the mirror's root are listed and served under
    their force's host, so a crawl of that force finds them."""
    drone = "/foi-ai/gwent-police/disclosure2/2025/202529011---drone-fleet/"
    assert drone in {e["url_path"] for e in manifest["other_forces"]}
    gwent = httpx.get(mirror.url("/www.gwent.police.uk" + LISTER)).text
    assert "/www.gwent.police.uk" + drone in gwent
    page = httpx.get(mirror.url("/www.gwent.police.uk" + drone))
    assert page.status_code == 200 and "drone" in page.text.lower()
    assert 'href="/foi-ai/' not in page.text  # root-relative links stay under the host
    cleveland = httpx.get(mirror.url("/www.cleveland.police.uk" + LISTER)).text
    assert drone not in cleveland
    assert httpx.get(mirror.url("/www.cleveland.police.uk" + drone)).status_code == 404


def test_jobs_share_a_host_budget_only_when_they_share_a_host(tmp_path):
    settings = settings_for("http://127.0.0.1:9", tmp_path)
    live = plan_jobs(settings, select_forces(["mps", "gwent-police", "heddlu-dyfed-powys"]), None)
    assert [[j.force for j in group] for group in live] == [
        ["metropolitan-police"],
        ["gwent-police"],
        ["dyfed-powys-police"],
    ]
    assert live[1][0].settings.site.base_url == "https://www.gwent.police.uk"
    assert live[1][0].settings.pages_path == tmp_path / "pages-gwent-police.db"
    mirrored = plan_jobs(settings, select_forces(["mps", "gwent-police"]), "http://127.0.0.1:9")
    assert len(mirrored) == 1  # one mirror host: its forces take turns
    assert mirrored[0][1].settings.site.base_url == "http://127.0.0.1:9/www.gwent.police.uk"
    assert force_pages_path(tmp_path / "pages.db", "x") == tmp_path / "pages-x.db"


def test_one_force_down_does_not_stop_the_others(mirror_root, tmp_path):
    faults = "rate=1,kinds=503,prefix=/www.gwent.police.uk/"
    with serve_mirror(root=mirror_root, faults=faults) as site:
        settings = settings_for(site.base_url, tmp_path, max_attempts=2)
        sites = select_forces(["gwent-police", "cleveland-police", "dyfed-powys-police"])
        summary = asyncio.run(
            refresh_forces(settings, sites, mirror_url=site.base_url, backoff_base=0.01)
        )
    figures = summary["forces"]
    assert figures["gwent-police"]["exit_code"] == 2 and "503" in figures["gwent-police"]["error"]
    # 4 pages of its own and its 2 round-robin answers
    assert figures["cleveland-police"]["new"] == 6 and figures["cleveland-police"]["exit_code"] == 0
    assert figures["dyfed-powys-police"]["new"] >= 12
    assert summary["exit_code"] == 2  # the worst force's
    assert (
        summary["new"] == figures["cleveland-police"]["new"] + figures["dyfed-powys-police"]["new"]
    )
    archived = forces_in(tmp_path / "foi.db")
    assert archived["cleveland-police"] == 6 and "gwent-police" not in archived
    with sqlite3.connect(tmp_path / "foi.db") as conn:
        runs = conn.execute(
            "SELECT json_extract(details, '$.force'), exit_code, new FROM crawl_runs ORDER BY id"
        ).fetchall()
    assert sorted(runs) == sorted(
        [
            ("gwent-police", 2, 0),
            ("cleveland-police", 0, 6),
            ("dyfed-powys-police", 0, figures["dyfed-powys-police"]["new"]),
        ]
    )


def test_refresh_command_crawls_the_chosen_forces_into_one_archive(mirror, tmp_path):
    args = ["--site", mirror.base_url, "--db", tmp_path / "foi.db", "--pages-db"]
    args += [tmp_path / "pages.db", "--rate", "0", "--json"]
    chosen = ["--force", "cleveland-police", "--force", "essex-police", "--force", "mps"]
    proc = foilog("refresh", *args, *chosen)
    summary = json.loads(proc.stdout)
    assert set(summary["forces"]) == {"cleveland-police", "essex-police", "metropolitan-police"}
    assert (
        proc.returncode
        == summary["exit_code"]
        == max(f["exit_code"] for f in summary["forces"].values())
    )
    archived = forces_in(tmp_path / "foi.db")
    assert archived["cleveland-police"] == 6 and archived["essex-police"] == 4
    assert archived["metropolitan-police"] >= 55 and None not in archived
    assert (tmp_path / "pages-essex-police.db").exists()
    # reparse reads every force's raw store
    again = foilog("reparse", "--db", tmp_path / "foi.db", "--pages-db", tmp_path / "pages.db")
    assert again.returncode == 0, again.stderr
    assert (
        again.stdout.startswith(f"reparsed {summary['new']} pages") and "0 skipped" in again.stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--force", "atlantis-police"], "unknown force 'atlantis-police'"),
        (["--force", "mps", "--site", "https://www.gwent.police.uk"], "own host"),
    ],
)
def test_bad_force_options_exit_2_with_one_line(tmp_path, args, message):
    proc = foilog("refresh", "--db", tmp_path / "foi.db", *args)
    assert proc.returncode == 2 and message in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_check_live_checks_each_force(mirror):
    forces = ["--force", "warwickshire-police", "--force", "dyfed-powys-police"]
    proc = foilog("check-live", "--site", mirror.base_url, "--rate", "0", *forces)
    assert "warwickshire-police (Warwickshire Police):" in proc.stdout
    assert "dyfed-powys-police (Dyfed-Powys Police):" in proc.stdout
    assert proc.stdout.count("ok: lister lists") == 2


def test_forces_on_different_hosts_run_at_the_same_time(mirror_root, tmp_path):
    """Two hosts (two names for loopback, one server and one request log): with a
    politeness budget per host, the second force does not wait for the first."""
    with serve_mirror(root=mirror_root) as site:
        port = site.base_url.rsplit(":", 1)[1]
        gwent = SITES["gwent-police"].rebased(f"http://127.0.0.1:{port}/www.gwent.police.uk")
        cleveland = SITES["cleveland-police"].rebased(
            f"http://localhost:{port}/www.cleveland.police.uk"
        )
        settings = settings_for(site.base_url, tmp_path, rate=5, concurrency=1)
        summary = asyncio.run(refresh_forces(settings, [gwent, cleveland]))
        log = [target for _, target, _ in site.request_log]
    assert summary["exit_code"] == max(f["exit_code"] for f in summary["forces"].values())
    gwent_at = [i for i, t in enumerate(log) if t.startswith("/www.gwent.police.uk/")]
    cleveland_at = [i for i, t in enumerate(log) if t.startswith("/www.cleveland.police.uk/")]
    assert len(gwent_at) >= 6 and len(cleveland_at) >= 6
    assert cleveland_at[0] < gwent_at[-1] and gwent_at[0] < cleveland_at[-1]  # interleaved
