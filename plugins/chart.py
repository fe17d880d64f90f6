"""Responses per month by outcome, as stacked bars drawn server-side in SVG.

No JavaScript and no CDN (the archive is often browsed offline): this module turns
(month, outcome, count) rows into rectangles with coordinates; the template draws them
with a `<title>` tooltip each, so the numbers are readable without a mouse too.
"""

from __future__ import annotations

from dataclasses import dataclass

# Outcome order (bottom of the stack first) and colours, colour-blind friendly (Okabe-Ito).
OUTCOME_COLOURS = {
    "full": "#009E73",
    "partial": "#56B4E9",
    "refused": "#D55E00",
    "ncnd": "#CC79A7",
    "not_held": "#E69F00",
    "cost_limit": "#0072B2",
    "vexatious": "#000000",
    "invalid": "#999999",
    "unknown": "#dddddd",
}
OTHER_COLOUR = "#bbbbbb"

WIDTH, HEIGHT = 900, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 36


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    legend: tuple[tuple[str, str, int], ...]  # (outcome, colour, total)
    months: int
    total: int
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def build_chart(rows: list[tuple[str, str, int]]) -> Chart | None:
    """rows: (month 'YYYY-MM', outcome, responses). None when there is nothing to draw."""
    counts: dict[str, dict[str, int]] = {}
    for month, outcome, n in rows:
        if month:
            counts.setdefault(month, {})[outcome or "unknown"] = n
    if not counts:
        return None
    months = _month_range(min(counts), max(counts))
    peak = max(sum(c.values()) for c in counts.values())
    scale_top = _nice_ceiling(peak)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(months)
    gap = min(2.0, slot * 0.2)
    bars = []
    for i, month in enumerate(months):
        y = HEIGHT - BOTTOM
        for outcome, n in _ordered(counts.get(month, {})):
            h = plot_h * n / scale_top
            y -= h
            colour = OUTCOME_COLOURS.get(outcome, OTHER_COLOUR)
            bars.append(
                Bar(LEFT + i * slot + gap / 2, y, slot - gap, h, colour, f"{month} {outcome}: {n}")
            )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=tuple(bars),
        y_ticks=tuple(
            Tick(HEIGHT - BOTTOM - plot_h * v / scale_top, str(v)) for v in _tick_values(scale_top)
        ),
        x_ticks=_x_ticks(months, slot),
        legend=_legend(counts),
        months=len(months),
        total=sum(sum(c.values()) for c in counts.values()),
    )


def _ordered(by_outcome: dict[str, int]) -> list[tuple[str, int]]:
    known = [(o, by_outcome[o]) for o in OUTCOME_COLOURS if by_outcome.get(o)]
    other = sorted((o, n) for o, n in by_outcome.items() if o not in OUTCOME_COLOURS and n)
    return known + other


def _legend(counts: dict[str, dict[str, int]]) -> tuple[tuple[str, str, int], ...]:
    totals: dict[str, int] = {}
    for by_outcome in counts.values():
        for outcome, n in by_outcome.items():
            totals[outcome] = totals.get(outcome, 0) + n
    return tuple((o, OUTCOME_COLOURS.get(o, OTHER_COLOUR), n) for o, n in _ordered(totals))


def _month_range(first: str, last: str) -> list[str]:
    """Every month from first to last, so empty months show as gaps, not vanish."""
    try:
        year, month = int(first[:4]), int(first[5:7])
        end = (int(last[:4]), int(last[5:7]))
    except ValueError:
        return sorted({first, last})
    months = []
    while (year, month) <= end and len(months) < 1200:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _nice_ceiling(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 4:
            return max(step * ((value + step - 1) // step), step)
    return value


def _tick_values(top: int) -> list[int]:
    step = max(1, top // 4)
    return list(range(0, top + 1, step))


def _x_ticks(months: list[str], slot: float) -> tuple[Tick, ...]:
    # Label every January (or every month when there are few), never more than ~12.
    every = max(1, len(months) // 12)
    ticks = []
    for i, month in enumerate(months):
        is_january = month.endswith("-01")
        if (len(months) <= 12 and i % every == 0) or (len(months) > 12 and is_january):
            ticks.append(Tick(LEFT + (i + 0.5) * slot, month if len(months) <= 24 else month[:4]))
    if not ticks:
        ticks.append(Tick(LEFT + 0.5 * slot, months[0]))
    return tuple(ticks)


# -- responses per force ---------------------------------------------------------------

FORCE_ROW, FORCE_LABEL_W, FORCE_WIDTH = 22, 210, 900


@dataclass(frozen=True)
class ForceRow:
    force: str
    label: str
    y: float
    total: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class ForceChart:
    width: int
    height: int
    rows: tuple[ForceRow, ...]
    legend: tuple[tuple[str, str, int], ...]
    total: int
    label_width: int = FORCE_LABEL_W


def build_force_chart(
    rows: list[tuple[str, str, int]], names: dict[str, str] | None = None
) -> ForceChart | None:
    """rows: (force slug, outcome, responses) -> one stacked horizontal bar per force,
    biggest first. None when no response has a force."""
    counts: dict[str, dict[str, int]] = {}
    for force, outcome, n in rows:
        if force:
            by_outcome = counts.setdefault(force, {})
            by_outcome[outcome or "unknown"] = by_outcome.get(outcome or "unknown", 0) + n
    if not counts:
        return None
    names = names or {}
    order = sorted(counts, key=lambda f: (-sum(counts[f].values()), f))
    peak = max(sum(c.values()) for c in counts.values())
    plot_w = FORCE_WIDTH - FORCE_LABEL_W - 60
    drawn = []
    for i, force in enumerate(order):
        y, x = TOP + i * FORCE_ROW, float(FORCE_LABEL_W)
        bars = []
        for outcome, n in _ordered(counts[force]):
            w = plot_w * n / peak
            colour = OUTCOME_COLOURS.get(outcome, OTHER_COLOUR)
            label = f"{names.get(force, force)} {outcome}: {n}"
            bars.append(Bar(x, y, w, FORCE_ROW - 6, colour, label))
            x += w
        drawn.append(
            ForceRow(force, names.get(force, force), y, sum(counts[force].values()), tuple(bars))
        )
    return ForceChart(
        width=FORCE_WIDTH,
        height=TOP * 2 + FORCE_ROW * len(order),
        rows=tuple(drawn),
        legend=_legend(counts),
        total=sum(sum(c.values()) for c in counts.values()),
    )
