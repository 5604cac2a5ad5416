"""Indicators over the years: the chain as it stood at the end of each year.

Every year's indicators are those of its Stichtag, 31 December (or the as-of date, when
that is earlier in the year): services and agreements count by their status and validity
dates on that day, transitions from their „besteht seit“ day (``valid_from``), social data
of that year (or the newest before it) give the children,
cooperation assessments up to that day count. Years after the as-of date show what is
planned (services and agreements with later start dates), not what will be.

>>> from seeds import load_seed
>>> parse_years("2024..2026"), parse_years("2025")
([2024, 2025, 2026], [2025])
>>> import datetime as dt
>>> rows = yearly(load_seed("unna"), [2010, 2012], "municipality",
...               as_of=dt.date(2026, 11, 22))
>>> [(r.year, r.indicators.transitions_binding, r.indicators.transitions_total) for r in rows]
[(2010, 3, 6), (2012, 7, 9)]

(KinderZUKUNFT NRW starts on 1 March 2011, the § 3 KKG network on 1 May 2012.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.errors import LotsenError
from graph.network import Network
from lotsen.indicators import Indicators, quarter_indicators, rollup
from lotsen.settings import AnalysisSettings
from lotsen.wirkung import network_on

__all__ = ["YearRow", "YearsError", "parse_years", "stichtag", "trend_arrow", "yearly"]

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:(?:\.\.|–|-|bis)\s*(\d{4}))?\s*$")
MAX_YEARS = 30


class YearsError(LotsenError, ValueError):
    """Years that cannot be read (HTTP 422: the input is wrong, not the server)."""

    status = 422


@dataclass(frozen=True)
class YearRow:
    """The indicators of one area in one year."""

    year: int
    day: dt.date
    indicators: Indicators


def parse_years(text: str) -> list[int]:
    """``2024..2026`` (also ``2024-2026``, ``2024 bis 2026``) or one year; a YearsError
    (a ValueError) with a German message otherwise."""
    m = _RANGE.match(text)
    if not m:
        raise YearsError(f"Jahre '{text}' verstehe ich nicht; erwartet wird z. B. 2024..2026 "
                         "oder 2025.")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise YearsError(f"Jahre '{text}': das letzte Jahr liegt vor dem ersten.")
    if last - first + 1 > MAX_YEARS:
        raise YearsError(f"Jahre '{text}': höchstens {MAX_YEARS} Jahre auf einmal.")
    return list(range(first, last + 1))


def stichtag(year: int, as_of: dt.date) -> dt.date:
    """31 December of ``year``, or ``as_of`` when it lies in that year."""
    return as_of if as_of.year == year else dt.date(year, 12, 31)


def yearly(net: Network, years: Sequence[int], level: str = "quarter",
           quarters: Iterable[str] | None = None, as_of: dt.date | None = None,
           settings: AnalysisSettings | None = None) -> list[YearRow]:
    """Indicators per year and area (quarters, or rolled up to ``level``), year by year."""
    today = as_of or dt.date.today()
    wanted = [net.find_quarter(q).id for q in quarters] if quarters else [
        q.id for q in net.quarters]
    rows: list[YearRow] = []
    for year in years:
        day = stichtag(year, today)
        chain = network_on(net, day)  # without the links that began later („besteht seit“)
        if level == "quarter":
            found = [quarter_indicators(chain, q, day, settings) for q in wanted]
        else:
            found = rollup(chain, level, day, settings, wanted)
        rows += [YearRow(year, day, ind) for ind in found]
    return rows


def trend_arrow(values: Sequence[float | None]) -> str:
    """↑, ↓ or → from the first to the last known value (– without two values).

    >>> trend_arrow([0.5, None, 0.75]), trend_arrow([0.5, 0.5]), trend_arrow([None, 1.0])
    ('↑', '→', '–')
    """
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return "–"
    if abs(known[-1] - known[0]) < 1e-9:
        return "→"
    return "↑" if known[-1] > known[0] else "↓"
