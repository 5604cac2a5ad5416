"""What a saved change did to the findings and the key figures, in one German paragraph.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.check import check
>>> net = load_seed("dortmund")
>>> t = net.transition_index["willkommensbesuch-kinderstube"]
>>> after = net.with_sections(transitions=[
...     x.model_copy(update={"agreements": ["kkg3-fruehe-hilfen"]}) if x is t else x
...     for x in net.transitions])
>>> day = dt.date(2026, 11, 25)
>>> text = findings_change_text(net, after, ["brunnenstrasse"], day)
>>> text.startswith("Behoben: Übergang ohne Vereinbarung – Willkommensbesuch → Dortmunder")
True
>>> "Übergänge verbindlich 79 % → 84 %" in text
True
"""

from __future__ import annotations

import datetime as dt

from graph.network import Network
from lotsen.changes import findings_change
from lotsen.check import check
from lotsen.findings import Finding
from lotsen.indicators import quarter_indicators
from lotsen.labels import finding_subject

__all__ = ["finding_subject", "findings_change", "findings_change_text"]

_SHOWN = 6


def _listed(net: Network, items: list[Finding]) -> str:
    seen: dict[tuple[str, str], set[str]] = {}
    for f in items:
        quarters = {net.quarter_index[q].name for q in f.quarters if q in net.quarter_index}
        seen.setdefault((f.title, finding_subject(net, f)), set()).update(quarters)
    parts = []
    for (title, subject), quarters in list(seen.items())[:_SHOWN]:
        where = f" ({', '.join(sorted(quarters))})" if len(quarters) > 1 else ""
        parts.append(f"{title} – {subject}{where}" if subject else f"{title}{where}")
    more = len(seen) - _SHOWN
    return "; ".join(parts) + (f"; und {more} weitere" if more > 0 else "")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}".replace("%", " %")


def _figures(before: Network, after: Network, quarter: str, day: dt.date) -> str:
    if quarter not in before.quarter_index or quarter not in after.quarter_index:
        return ""  # a quarter just created (or deleted) has no figures to compare
    a, b = quarter_indicators(before, quarter, day), quarter_indicators(after, quarter, day)
    pairs = (("Lebensphasen abgedeckt", a.stage_coverage, b.stage_coverage),
             ("Übergänge verbindlich", a.binding_share, b.binding_share),
             ("Kontinuität", a.continuity, b.continuity))
    changed = [f"{name} {_pct(x)} → {_pct(y)}" for name, x, y in pairs if _pct(x) != _pct(y)]
    if not changed:
        return ""
    name = after.quarter_index[quarter].name if quarter in after.quarter_index else quarter
    return f" Kennzahlen {name}: {', '.join(changed)}."


def findings_change_text(before: Network, after: Network, quarters: list[str],
                         day: dt.date,
                         delta: tuple[list[Finding], list[Finding]] | None = None) -> str:
    """The findings that a change resolved and the ones it brought (``delta``: already
    worked out, as (resolved, new)), and how the key figures of the first quarter moved."""
    if not quarters:
        return "Die Änderung betrifft kein Quartier; die Befunde sind unverändert."
    resolved, new = delta if delta is not None else findings_change(
        check(before, day, quarters=quarters), check(after, day, quarters=quarters))
    parts = []
    if resolved:
        parts.append(f"Behoben: {_listed(before, resolved)}.")
    if new:
        parts.append(f"Neu: {_listed(after, new)}.")
    text = " ".join(parts) if parts else "Die Befunde sind unverändert."
    return text + _figures(before, after, quarters[0], day)
