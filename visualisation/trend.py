"""The yearly indicators of one area as German table rows and a chart (report, CLI,
Werkstatt)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lotsen.indicators import Indicators
from lotsen.years import YearRow, trend_arrow

__all__ = ["TREND_ROWS", "trend_chart", "trend_rows", "trend_svg"]

TREND_ROWS: tuple[tuple[str, Callable[[Indicators], float | None], bool], ...] = (
    ("Lebensphasen abgedeckt", lambda i: i.stage_coverage, True),
    ("Übergänge verbindlich", lambda i: i.binding_share, True),
    ("Kontinuität", lambda i: i.continuity, True),
    ("Bildungsperlen", lambda i: i.pearls, False),
    ("Vereinbarungen laufen aus", lambda i: i.expiring_agreements, False),
    ("Verlust beim Übergang", lambda i: i.loss_rate, True),
    ("Befunde", lambda i: sum(i.findings.values()), False),
)
"""(German name, value, is a share) of each row."""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def trend_rows(series: Sequence[YearRow]) -> list[tuple[str, list[str], str]]:
    """(name, one cell per year, trend arrow) for the years of one area.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> from lotsen.years import yearly
    >>> rows = trend_rows(yearly(load_seed("unna"), [2010, 2012], "municipality",
    ...                          as_of=dt.date(2026, 11, 22)))
    >>> rows[1]
    ('Übergänge verbindlich', ['50%', '78%'], '↑')
    """
    out: list[tuple[str, list[str], str]] = []
    for label, value, share in TREND_ROWS:
        values = [value(r.indicators) for r in series]
        cells = [_pct(v) if share else ("–" if v is None else str(v)) for v in values]
        out.append((label, cells, trend_arrow([None if v is None else float(v)
                                                for v in values])))
    return out


def trend_chart(series: Sequence[YearRow], fmt: str = "svg") -> bytes:
    """A line chart of the shares (coverage, binding, continuity) over the years, in
    percent; years without a value leave a gap."""
    from matplotlib.figure import Figure  # only when a chart is drawn (lotse starts fast)

    from visualisation.static import save_figure

    fig = Figure(figsize=(7.0, 2.8))
    ax = fig.add_subplot()
    years = [r.year for r in series]
    styles = ("-o", "-s", "-^")
    for (label, value, _share), style in zip(
            [row for row in TREND_ROWS if row[2]][:3], styles, strict=True):
        values = [value(r.indicators) for r in series]
        ax.plot(years, [float("nan") if v is None else 100 * v for v in values], style,
                label=label, linewidth=2)
    ax.set_ylim(0, 105)
    ax.set_ylabel("Prozent")
    ax.set_xticks(years, [str(y) for y in years])
    ax.grid(axis="y", color="#DDDDDD")
    ax.legend(loc="lower left", fontsize=9, frameon=False)
    fig.tight_layout()
    return save_figure(fig, fmt)


def trend_svg(series: Sequence[YearRow]) -> str:
    """:func:`trend_chart` as SVG markup to put into a page: without the XML prolog, and
    without a fixed size, so that it takes the width of its box."""
    text = trend_chart(series).decode("utf-8")
    text = text[text.index("<svg"):]
    return re.sub(r'\swidth="[^"]*pt"\s+height="[^"]*pt"', "", text, count=1)
