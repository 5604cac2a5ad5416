"""``lotse indicators --years``: one trend table per area, indicators down, years across."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from rich.table import Table

from api import texts
from api.cli_common import out
from lotsen.indicators import Indicators
from lotsen.years import YearRow, trend_arrow

__all__ = ["print_years"]


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


_ROWS: tuple[tuple[str, Callable[[Indicators], float | None], bool], ...] = (
    ("Lebensphasen abgedeckt", lambda i: i.stage_coverage, True),
    ("Übergänge verbindlich", lambda i: i.binding_share, True),
    ("Kontinuität", lambda i: i.continuity, True),
    ("Bildungsperlen", lambda i: i.pearls, False),
    ("Vereinbarungen laufen aus", lambda i: i.expiring_agreements, False),
    ("Verlust beim Übergang", lambda i: i.loss_rate, True),
    ("Befunde", lambda i: sum(i.findings.values()), False),
)


def print_years(rows: Sequence[YearRow], as_json: bool = False) -> None:
    """The yearly indicators as JSON or as German trend tables."""
    if as_json:
        print(json.dumps([{"year": r.year, "stichtag": r.day.isoformat(),
                           **r.indicators.to_dict()} for r in rows], ensure_ascii=False,
                         indent=2))
        return
    areas: dict[tuple[str, str], list[YearRow]] = {}
    for r in rows:
        areas.setdefault((r.indicators.level, r.indicators.id), []).append(r)
    for series in areas.values():
        table = Table(title=texts.YEARS_TITLE.format(area=series[0].indicators.name),
                      title_justify="left")
        table.add_column("Kennzahl")
        for r in series:
            table.add_column(str(r.year), justify="right")
        table.add_column("Trend", justify="center")
        for label, value, share in _ROWS:
            values = [value(r.indicators) for r in series]
            cells = [_pct(v) if share else ("–" if v is None else str(v)) for v in values]
            table.add_row(label, *cells, trend_arrow([float(v) if v is not None else None
                                                      for v in values]))
        out.print(table)
    out.print(texts.YEARS_NOTE)
