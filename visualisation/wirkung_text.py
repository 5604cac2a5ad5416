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
from urllib.parse import quote

from graph.network import Network
from lotsen.findings import Finding
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


def effect_lines(e: Effect, net: Network | None = None) -> list[str]:
    """What changed, in sentences: the measure's own findings, then gone and new ones.
    With ``net`` (pages for people) each finding is named by its title and what it is
    about; without (``lotse wirkung``) by its title and key, for ``lotse accept``."""
    from visualisation.change_text import finding_subject

    def named(f: Finding) -> str:
        if net is None:
            return f"{f.title} ({f.stable_key})"
        subject = finding_subject(net, f)
        return f"{f.title} – {subject}" if subject else f.title

    by_key = {f.stable_key: f for f in (*e.before.findings, *e.after.findings)}
    lines = []
    for key, before, after in e.named_state():
        state = ("vorher da, jetzt behoben" if before and not after else
                 "vorher da, noch offen" if before else
                 "vorher nicht da, jetzt offen" if after else "weder vorher noch jetzt da")
        what = key if net is None or key not in by_key else f"„{named(by_key[key])}“"
        lines.append(f"Befund der Maßnahme {what}: {state}.")
    gone, new = e.resolved, e.appeared
    lines.append("Behoben: " + ("; ".join(named(f) for f in gone) if gone else "nichts")
                 + ".")
    lines.append("Neu: " + ("; ".join(named(f) for f in new) if new else "nichts") + ".")
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
             "lines": effect_lines(e, net), "link": _link(e.kind, e.id, quarter)}
            for e in effects_in(net, quarter, as_of, settings)]


def _link(kind: str, key: str, quarter: str) -> tuple[str, str]:
    """Where a Werkstatt reader follows a measure or a new link up (address, words)."""
    if kind == "measure":
        return (f"/massnahmen?gebiet={quote(quarter, safe='')}#massnahme-{quote(key, safe='')}",
                "Zur Maßnahme")
    return f"/bearbeiten/uebergaenge/{quote(key, safe='')}", "Zum Übergang"
