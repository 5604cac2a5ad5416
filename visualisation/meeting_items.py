"""The lines of the slides' „Offene Maßnahmen“ and „Änderungen seit der letzten
Sitzung“ for one quarter (German sentences, no codes).

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> open_measures(net, "brunnenstrasse", dt.date(2026, 11, 22)) is None  # none recorded
True
"""

from __future__ import annotations

import datetime as dt

from graph.model import MeasureStatus
from graph.network import Network
from lotsen.changes import Changes
from lotsen.check import check
from lotsen.findings import Finding
from lotsen.measures import measure_states
from visualisation.change_text import finding_subject

__all__ = ["change_lines", "open_measures"]

_RUNNING = (MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS)


def open_measures(net: Network, quarter: str, day: dt.date) -> list[str] | None:
    """Open and running measures that concern the quarter (its findings or a provider with
    services there); None when the network records no measures at all (no slide)."""
    if not net.measures:
        return None
    found = check(net, day)
    here = {f.stable_key for f in found if quarter in f.quarters}
    providers = {s.provider for s in net.services_in(quarter)}
    lines = []
    for state in measure_states(net, found, day):
        m = state.measure
        if m.status not in _RUNNING:
            continue
        if not (set(m.findings) & here or m.responsible in providers):
            continue
        who = net.provider_index[m.responsible].name if m.responsible in net.provider_index \
            else m.responsible
        due = f", fällig {m.due:%d.%m.%Y}" if m.due else ""
        flags = " – ÜBERFÄLLIG" if state.overdue else ""
        flags += " – Befund behoben" if state.resolved else ""
        lines.append(f"{m.title} (verantwortlich: {who}{due}; {state.status_label}){flags}")
    return lines


def _finding_line(net: Network, f: Finding) -> str:
    subject = finding_subject(net, f)
    return f"{f.title} – {subject}" if subject else f.title


def change_lines(net: Network, quarter: str, changes: Changes) -> list[str]:
    """Findings resolved and new in the quarter, and its key figures before and after."""
    lines = [f"Behoben: {_finding_line(net, f)}" for f in changes.resolved
             if quarter in f.quarters]
    lines += [f"Neu: {_finding_line(net, f)}" for f in changes.new if quarter in f.quarters]
    for d in changes.indicators:
        if d.quarter == quarter:
            before = "–" if d.before is None else (f"{d.before:.0%}" if d.before <= 1
                                                    else f"{d.before:g}")
            after = "–" if d.after is None else (f"{d.after:.0%}" if d.after <= 1
                                                  else f"{d.after:g}")
            lines.append(f"{d.label}: {before} → {after}")
    if not changes.complete:
        lines.append("Hinweis: ein Import liegt dazwischen; der frühere Stand ist nur "
                     "teilweise bekannt.")
    return lines or [f"Seit {changes.since:%d.%m.%Y} hat sich in diesem Quartier nichts an "
                     "Befunden und Kennzahlen geändert."]
