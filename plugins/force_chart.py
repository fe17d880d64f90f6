"""The home page's chart by force, with each force's name from parsers/forces.toml."""

from __future__ import annotations

from parsers.sites import SITES
from plugins.chart import ForceChart, build_force_chart


def force_chart(rows: list[tuple[str, str, int]]) -> ForceChart | None:
    return build_force_chart(rows, {key: site.name for key, site in SITES.items()})
