"""„Wirkung nach einem Jahr“ in German words: the comparison table and the lines under it,
shared by ``lotse wirkung``, the quarter report and the Werkstatt.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.wirkung import effect
>>> net = load_seed("brunnenstrasse")
>>> net = net.with_sections(transitions=[
...     t.model_copy(update={"valid_from": dt.date(2025, 6, 1)})
...     if t.id == "willkommensbesuch-kinderstube" else t for t in net.transitions])
>>> e = effect(net, "willkommensbesuch-kinderstube", as_of=dt.date(2026, 11, 22))
>>> heading(e)
'Neuer Übergang Willkommensbesuch → Dortmunder Kinderstube Brunnenstraße, besteht seit 01.06.2025'
>>> effect_rows(e)[1]
('Vermittelt (Familien)', '0', '102')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.network import Network
from lotsen.settings import AnalysisSettings
from lotsen.wirkung import Effect, Period, effects_in

__all__ = ["effect_items", "effect_lines", "effect_rows", "heading", "period_label"]


def heading(e: Effect) -> str:
    """„Maßnahme … (Stichtag …)“ or „Neuer Übergang … besteht seit …“."""
    if e.kind == "measure":
        return f"Maßnahme „{e.title}“, wirksam seit {e.start:%d.%m.%Y}"
    return f"Neuer Übergang {e.title}, besteht seit {e.start:%d.%m.%Y}"


def period_label(p: Period) -> str:
    """„01.06.2024–31.05.2025“ (with „bisher“ when the year is not over)."""
    text = f"{p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}"
    return text if p.complete else f"{text} (bisher)"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def effect_rows(e: Effect) -> list[tuple[str, str, str]]:
    """(what, the year before, the year after) as German cells."""
    b, a = e.before, e.after
    return [
        ("Zeitraum", period_label(b), period_label(a)),
        ("Vermittelt (Familien)", str(b.referred), str(a.referred)),
        ("Angekommen (Familien)", str(b.arrived), str(a.arrived)),
        ("Verlust bei Übergaben", _pct(b.loss_rate), _pct(a.loss_rate)),
        ("Offene Befunde am Stichtag", f"{len(b.findings)} am {b.day:%d.%m.%Y}",
         f"{len(a.findings)} am {a.day:%d.%m.%Y}"),
    ]


def effect_lines(e: Effect) -> list[str]:
    """What changed, in sentences: the measure's own findings, then gone and new ones."""
    lines = []
    for key, before, after in e.named_state():
        state = ("vorher da, jetzt behoben" if before and not after else
                 "vorher da, noch offen" if before else
                 "vorher nicht da, jetzt offen" if after else "weder vorher noch jetzt da")
        lines.append(f"Befund der Maßnahme {key}: {state}.")
    gone, new = e.resolved, e.appeared
    lines.append("Behoben: " + ("; ".join(f"{f.title} ({f.stable_key})" for f in gone)
                                if gone else "nichts") + ".")
    lines.append("Neu: " + ("; ".join(f"{f.title} ({f.stable_key})" for f in new)
                            if new else "nichts") + ".")
    if not (e.before.flows or e.after.flows):
        lines.append("Keine Vermittlungszahlen in den beiden Jahren: für einen Vergleich "
                     "Vermittlungszahlen eintragen.")
    if not e.after.complete:
        lines.append("Das Jahr danach ist noch nicht um: verglichen wird bis zum Stichtag.")
    return lines


def effect_items(net: Network, quarter: str, as_of: dt.date,
                 settings: AnalysisSettings | None = None) -> list[dict[str, Any]]:
    """Every measure and new link of a quarter as heading, rows and lines (for pages)."""
    return [{"id": e.id, "kind": e.kind, "heading": heading(e), "rows": effect_rows(e),
             "lines": effect_lines(e)} for e in effects_in(net, quarter, as_of, settings)]
