"""``lotse indicators --years``: one trend table per area, indicators down, years across."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.table import Table

from api.cli import texts
from api.cli.common import out
from lotsen.years import YearRow, provenance
from visualisation.trend import trend_rows

__all__ = ["print_years"]


def print_years(rows: Sequence[YearRow], as_json: bool = False) -> None:
    """The yearly indicators as JSON or as German trend tables."""
    if as_json:
        print(json.dumps([{"year": r.year, "stichtag": r.day.isoformat(),
                           "laut_verlauf": r.recorded, **r.indicators.to_dict()}
                          for r in rows], ensure_ascii=False, indent=2))
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
        for label, cells, arrow in trend_rows(series):
            table.add_row(label, *cells, arrow)
        out.print(table)
    out.print(texts.YEARS_NOTE)
    if rows:
        out.print(provenance(rows))
