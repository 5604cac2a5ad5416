"""Indicators over the years: the chain as it stood at the end of each year.

Every year's indicators are those of its Stichtag, 31 December (or the as-of date, when
that is earlier in the year): services and agreements count by their status and validity
dates on that day, transitions from their „besteht seit“ day (``valid_from``), social data
of that year (or the newest before it) give the children,
cooperation assessments up to that day count. Years after the as-of date show what is
planned (services and agreements with later start dates), not what will be.

With the store's journal, each past year starts from the chain *as it was recorded* at the
end of its Stichtag (German time): the changes made after it are undone
(:func:`graph.journal.network_at`), so an agreement entered in 2026 without dates does not
count for 2025. Before the journal's beginning (a store starts with an import) the
current chain with its validity dates stands in; the row says which (``recorded``).

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
from zoneinfo import ZoneInfo

from graph.errors import LotsenError
from graph.journal import Journal, baseline, networks_at
from graph.network import Network
from lotsen.indicators import Indicators, quarter_indicators, rollup
from lotsen.settings import AnalysisSettings
from lotsen.wirkung import network_on

__all__ = ["YearRow", "YearsError", "day_end", "parse_years", "provenance", "stichtag",
           "trend_arrow", "yearly"]

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
    recorded: bool = False  # the chain as the journal recorded it at the end of ``day``


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


_BERLIN = ZoneInfo("Europe/Berlin")


def day_end(day: dt.date) -> dt.datetime:
    """The moment a German day ends (midnight in Berlin), for the journal's UTC times."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=_BERLIN)


def yearly(net: Network, years: Sequence[int], level: str = "quarter",
           quarters: Iterable[str] | None = None, as_of: dt.date | None = None,
           settings: AnalysisSettings | None = None,
           journal: Journal | None = None) -> list[YearRow]:
    """Indicators per year and area (quarters, or rolled up to ``level``), year by year;
    with ``journal``, past years from the chain as recorded then (see above)."""
    today = as_of or dt.date.today()
    wanted = [net.find_quarter(q).id for q in quarters] if quarters else [
        q.id for q in net.quarters]
    rows: list[YearRow] = []
    recorded_at: dict[int, Network] = {}  # undone changes -> that state (one per state)
    # before the store's first load nothing was recorded: those years come from the
    # validity dates alone, though the first load is the baseline of later changes
    first = baseline(journal) if journal is not None else None
    days = [stichtag(year, today) for year in years]
    # the journal walked back once for all years (12,000 changes: once, not per year)
    states = networks_at(net, journal, [day_end(d) for d in days]) \
        if journal is not None and journal.entries else []
    for i, year in enumerate(years):
        day = days[i]
        base, recorded = net, False
        if journal is not None and journal.entries:
            past, undone, recorded = states[i]
            if first is not None and day_end(day) < first:
                recorded = False
            elif recorded and all(q in past.quarter_index for q in wanted):
                # one network per recorded state, so its analysis index is built once
                base = recorded_at.setdefault(len(undone), past)
            else:  # before the journal begins, or a quarter recorded later: dates only
                recorded = False
        chain = network_on(base, day)  # without the links that began later („besteht seit“)
        if level == "quarter":
            found = [quarter_indicators(chain, q, day, settings) for q in wanted]
        else:
            found = rollup(chain, level, day, settings, wanted)
        rows += [YearRow(year, day, ind, recorded) for ind in found]
    return rows


def provenance(rows: Sequence[YearRow]) -> str:
    """One German sentence saying which years come from the journal and which from the
    validity dates alone (empty when there are no rows).

    >>> day = dt.date(2025, 12, 31)
    >>> ind = Indicators("quarter", "q", "Q", day)
    >>> print(provenance([YearRow(2024, day, ind), YearRow(2025, day, ind, True)]))
    ... # doctest: +NORMALIZE_WHITESPACE
    Stand laut Verlauf (spätere Änderungen zurückgenommen): 2025.
    Vor Beginn des Verlaufs, aus den Laufzeiten des heutigen Stands: 2024.
    """
    recorded = sorted({r.year for r in rows if r.recorded})
    dated = sorted({r.year for r in rows if not r.recorded})
    parts = []
    if recorded:
        parts.append("Stand laut Verlauf (spätere Änderungen zurückgenommen): "
                     + ", ".join(map(str, recorded)) + ".")
    if dated:
        parts.append("Vor Beginn des Verlaufs, aus den Laufzeiten des heutigen Stands: "
                     + ", ".join(map(str, dated)) + ".")
    return " ".join(parts)


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
