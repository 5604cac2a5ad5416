"""Sitzungen: what a meeting of a Steuerungsgruppe is about – its area's quarters, the
meeting before it, "seit der letzten Sitzung" (findings new and resolved, entries
changed, key figures before and after, measures done and overdue) and the agenda it
proposes: the most important open findings, the measures due, the agreements running
out, and the changes since the last meeting.

The changes are rebuilt from the journal (:func:`graph.journal.network_at`); a store's
first load is the baseline, so from the first meeting on there is an answer ("seit dem
ersten Laden").

>>> import datetime as dt
>>> from graph.journal import Journal
>>> from graph.meeting import Meeting
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> m = Meeting(id="sg-1", body="Steuerungsgruppe Nord", area="brunnenstrasse",
...             date="2026-11-22")
>>> agenda = propose_agenda(net, Journal(), m)
>>> [item.kind.value for item in agenda][:3]
['since', 'finding', 'finding']
>>> area_quarters(net, "brunnenstrasse")
['brunnenstrasse']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.errors import NotFoundError
from graph.hierarchy import LEVEL_NAMES, LEVELS, area_of, quarters_in
from graph.journal import AuditEntry, Journal, baseline, network_at
from graph.meeting import AgendaItem, AgendaKind, Meeting
from graph.model import Measure, MeasureStatus
from graph.network import Network
from graph.vocabulary import count
from lotsen.changes import Changes, compare
from lotsen.findings import Finding, parse_key
from lotsen.labels import finding_subject
from lotsen.measures import measure_states
from lotsen.open_findings import findings_triage
from lotsen.priority import prioritise
from lotsen.settings import AnalysisSettings

__all__ = ["AREA_LEVELS", "SinceLast", "area_choices", "area_name", "area_quarters",
           "measures_of", "meeting_findings", "previous_meeting", "propose_agenda",
           "since_last"]

TOP = 5
"""How many of "Die wichtigsten Baustellen" a new agenda lists."""
DUE_DAYS = 60
"""Measures due within this many days after the meeting come onto the agenda."""
AREA_LEVELS = ("quarter", "district", "municipality", "county", "state")


def area_quarters(net: Network, area: str) -> list[str]:
    """The quarters of a meeting's area (NotFoundError naming the areas there are)."""
    return quarters_in(net, area)


def area_name(net: Network, area: str) -> str:
    """The area as people name it: „Quartier Brunnenstraße“, „Kreis Unna“ …"""
    try:
        quarters = quarters_in(net, area)
    except NotFoundError:
        return area
    for level in LEVELS:
        a = area_of(net, quarters[0], level)
        if a is not None and a.level == level and area.casefold() in (
                a.id.casefold(), a.name.casefold()):
            return a.name if level in ("county", "state") else f"{LEVEL_NAMES[level]} {a.name}"
    return area


def area_choices(net: Network) -> list[tuple[str, str]]:
    """Every area a meeting may cover, as (value, German label), largest first (made
    once per network state: every list page offers them)."""
    made: list[tuple[str, str]] | None = net.cache.get("meetings-area-choices")
    if made is not None:
        return list(made)
    seen: dict[str, str] = {}
    for level in reversed(AREA_LEVELS):
        for q in net.quarters:
            a = area_of(net, q.id, level)
            if a is None or a.level != level or a.id in seen:
                continue
            label = a.name if level in ("county", "state") else \
                f"{LEVEL_NAMES[level]} {a.name}"
            seen[a.id] = label
    net.cache["meetings-area-choices"] = list(seen.items())
    return list(seen.items())


def previous_meeting(net: Network, meeting: Meeting) -> Meeting | None:
    """The meeting before ``meeting``: of the same body, else of the same area."""
    earlier = [m for m in net.meetings if m.id != meeting.id and m.date < meeting.date]
    same_body = [m for m in earlier if m.body.casefold() == meeting.body.casefold()]
    same_area = [m for m in earlier if m.area.casefold() == meeting.area.casefold()]
    found = same_body or same_area
    return max(found, key=lambda m: (m.date, m.id)) if found else None


def meeting_findings(net: Network, meeting: Meeting, day: dt.date,
                     settings: AnalysisSettings | None = None) -> list[Finding]:
    """The open findings of the meeting's area on ``day`` (accepted ones left out), the
    most important first: the lists of the quarters' pages (:mod:`lotsen.open_findings`)
    together."""
    quarters = area_quarters(net, meeting.area)
    return prioritise(findings_triage(net, day, settings, quarters).open)


def _measure_quarters(net: Network, m: Measure) -> set[str]:
    found: set[str] = set()
    for key in m.findings:
        try:
            _, ids = parse_key(key)
        except ValueError:
            continue
        for i in ids:
            if i in net.quarter_index:
                found.add(i)
            s = net.service_index.get(i)
            if s is not None:
                found |= set(s.quarters)
            t = net.transition_index.get(i)
            if t is not None:
                for x in (t.source, t.target):
                    if x in net.service_index:
                        found |= set(net.service_index[x].quarters)
    if not found:  # a measure on no finding: where its responsible provider offers
        found = {q for s in net.services if s.provider == m.responsible for q in s.quarters}
    return found


def measures_of(net: Network, quarters: Sequence[str]) -> list[Measure]:
    """The measures that concern the quarters (by their findings, or else by where the
    responsible provider offers)."""
    wanted = set(quarters)
    return [m for m in net.measures if _measure_quarters(net, m) & wanted]


@dataclass
class SinceLast:
    """What changed in the area since the last meeting (or since the first load)."""

    since: dt.date
    changes: Changes
    first: bool = False  # no meeting before: since the store's first load
    done: list[Measure] = field(default_factory=list)  # measures finished meanwhile
    overdue: list[Measure] = field(default_factory=list)  # running and past due now

    @property
    def label(self) -> str:
        when = f"{self.since:%d.%m.%Y}"
        return (f"Seit dem ersten Laden am {when}" if self.first
                else f"Seit der letzten Sitzung am {when}")


def _entry_quarters(net: Network, e: AuditEntry) -> set[str]:
    """The quarters one journal entry concerns, in ``net`` or in what it recorded."""
    found: set[str] = set()
    for data in (e.before, e.after):
        if not data:
            continue
        if e.section == "quarters":
            found.add(e.entity_id)
        found |= set(data.get("quarters") or [])
        for ref in ("source", "target"):
            s = net.service_index.get(str(data.get(ref, "")))
            if s is not None:
                found |= set(s.quarters)
        t = net.transition_index.get(str(data.get("transition", "")))
        if t is not None:
            for x in (t.source, t.target):
                if x in net.service_index:
                    found |= set(net.service_index[x].quarters)
    if e.section == "agreements":
        for t in net.transitions:
            if e.entity_id in t.agreements:
                for x in (t.source, t.target):
                    if x in net.service_index:
                        found |= set(net.service_index[x].quarters)
    if e.section == "measures":
        m = next((m for m in net.measures if m.id == e.entity_id), None)
        if m is not None:
            found |= _measure_quarters(net, m)
    return found


def since_last(net: Network, journal: Journal, meeting: Meeting,
               settings: AnalysisSettings | None = None) -> SinceLast:
    """The changes in the meeting's area from the meeting before it (or the store's
    first load) up to the meeting's day."""
    quarters = area_quarters(net, meeting.area)
    previous = previous_meeting(net, meeting)
    start = baseline(journal)
    first = previous is None
    if previous is not None:
        since = previous.date
    elif start is not None:
        since = start.date()
    else:
        since = meeting.date
    moment = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    if first and start is not None:
        moment = start + dt.timedelta(microseconds=1)  # just after the first load
    old, undone, complete = network_at(net, journal, moment)
    changes = compare(old, net, since, meeting.date, entries=undone, settings=settings,
                      complete=complete, quarters=quarters)
    wanted = set(quarters)
    relevant = {(e.section, e.entity_id) for e in undone if _entry_quarters(net, e) & wanted
                or _entry_quarters(old, e) & wanted}
    changes.entities = [c for c in changes.entities if (c.section, c.key) in relevant]
    mine = measures_of(net, quarters)
    was = {m.id: m for m in old.measures}
    done = [m for m in mine if m.status is MeasureStatus.DONE
            and (m.id not in was or was[m.id].status is not MeasureStatus.DONE)]
    states = {s.measure.id: s for s in measure_states(net, [], meeting.date)}
    overdue = [m for m in mine if m.id in states and states[m.id].overdue]
    return SinceLast(since, changes, first, done, overdue)


def propose_agenda(net: Network, journal: Journal, meeting: Meeting,
                   settings: AnalysisSettings | None = None) -> list[AgendaItem]:
    """The agenda a new meeting starts with (the coordinator may drop or add points):
    what changed since the last meeting, "Die wichtigsten Baustellen" of its area, the
    measures due, the agreements running out or expired."""
    settings = settings or AnalysisSettings()
    day = meeting.date
    quarters = area_quarters(net, meeting.area)
    items: list[AgendaItem] = []
    since = since_last(net, journal, meeting, settings)
    c = since.changes
    items.append(AgendaItem(
        kind=AgendaKind.SINCE, title=f"{since.label}: {count(len(c.new), 'Befund', 'Befunde')} "
        f"neu, {len(c.resolved)} behoben, "
        f"{count(len(c.entities), 'Eintrag', 'Einträge')} geändert"))
    for f in meeting_findings(net, meeting, day, settings)[:TOP]:
        subject = finding_subject(net, f)
        items.append(AgendaItem(kind=AgendaKind.FINDING,
                                title=(f"{f.title}: {subject}" if subject else f.title)[:300],
                                ref=f.stable_key, quarter=f.quarters[0] if f.quarters
                                else None))
    horizon = day + dt.timedelta(days=DUE_DAYS)
    for m in measures_of(net, quarters):
        if m.status in (MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS) and m.due is not None \
                and m.due <= horizon:
            when = "überfällig seit" if m.due < day else "fällig am"
            items.append(AgendaItem(kind=AgendaKind.MEASURE,
                                    title=f"Maßnahme „{m.title}“, {when} {m.due:%d.%m.%Y}"[:300],
                                    ref=m.id))
    running_out = day + dt.timedelta(days=settings.expiry_horizon_days)
    wanted = set(quarters)
    for a in net.agreements:
        if a.valid_until is None or a.valid_until > running_out:
            continue
        places = set(a.quarters) | {q for t in net.transitions if a.id in t.agreements
                                    for x in (t.source, t.target)
                                    if x in net.service_index
                                    for q in net.service_index[x].quarters}
        if places & wanted:
            state = "abgelaufen am" if a.valid_until < day else "läuft aus am"
            items.append(AgendaItem(kind=AgendaKind.AGREEMENT,
                                    title=f"Vereinbarung „{a.name}“ {state} "
                                    f"{a.valid_until:%d.%m.%Y}"[:300], ref=a.id))
    return items
