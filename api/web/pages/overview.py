"""Übersicht: Kreis → municipalities → (districts) → quarters with a traffic light, the key
indicators (rolled up per municipality and Kreis) and the agreements that expire soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.memory import return_free_memory
from api.web.pages.common import as_of, kept, may_change, page, person, snapshot
from api.web.state import Snapshot
from graph.formats.tables import LABELS
from graph.model import AgreementKind
from lotsen.acceptance import Triage
from lotsen.ampel import traffic_light
from lotsen.findings import Finding
from lotsen.indicators import Indicators, quarter_indicators
from lotsen.open_findings import quarter_triage as open_triage
from visualisation.forms import FORMS, SECTION_PATHS

__all__ = ["MASTER_SECTIONS", "quarter_findings", "quarter_triage", "router"]

router = APIRouter()
HORIZON_DAYS = 180
MASTER_SECTIONS = ("municipalities", "districts", "quarters")
"""The master data (Stammdaten) of the hierarchy: created by the coordination."""


def quarter_triage(snap: Snapshot, quarter: str, day: dt.date) -> Triage:
    """The findings of one quarter on a day, split into open ones and those checked and
    kept on purpose („geprüft, bewusst so“), computed once per stored state: the list
    every surface shows (:func:`lotsen.open_findings.quarter_triage`)."""
    answers = kept(snap, "werkstatt-befunde")
    key = (quarter, day)
    if key not in answers:
        answers[key] = open_triage(snap.network, quarter, day)
    result: Triage = answers[key]
    return result


def quarter_findings(snap: Snapshot, quarter: str, day: dt.date) -> list[Finding]:
    """The open findings of one quarter (accepted ones left out), by severity."""
    return quarter_triage(snap, quarter, day).open


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _figures(ind: Indicators) -> dict[str, str]:
    return {"coverage": _pct(ind.stage_coverage), "binding": _pct(ind.binding_share),
            "continuity": _pct(ind.continuity)}


def _sum(quarters: list[str], parts: dict[str, Indicators], day: dt.date) -> Indicators:
    """The roll-up of some quarters from their indicators (counts added, see
    :meth:`Indicators.add`), without computing them again."""
    total = Indicators("area", "", "", day)
    for q in quarters:
        total.add(parts[q])
    return total


@router.get("/", include_in_schema=False)
def overview(request: Request) -> Response:
    """The overview of every quarter: seconds for a Land network, so in the thread pool
    (not on the event loop); what it made and dropped is handed back to the system."""
    try:
        return _overview(request)
    finally:
        return_free_memory()


def _overview(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net, day = snap.network, as_of(request)
    rows: dict[str, dict[str, Any]] = {}
    totals: dict[str, Indicators] = {}
    for q in net.quarters:
        found = quarter_findings(snap, q.id, day)
        ind = totals[q.id] = quarter_indicators(net, q.id, day)
        light = traffic_light(found)
        rows[q.id] = {"id": q.id, "name": q.name, "light": light.colour,
                      "light_label": light.label, "light_reason": light.reason,
                      "critical": light.critical, "high": light.high, "total": len(found),
                      **_figures(ind)}
    counties: dict[str, dict[str, Any]] = {}
    for m in net.municipalities:
        groups = [("", [q.id for q in net.quarters
                        if q.municipality == m.id and q.district is None])]
        groups += [(d.name, [q.id for q in net.quarters if q.district == d.id])
                   for d in net.districts if d.municipality == m.id]
        districts = [{"name": name, "quarters": [rows[q] for q in ids]}
                     for name, ids in groups if ids or name]
        here = [q for _, ids in groups for q in ids]
        county = m.county or ""
        group = counties.setdefault(county, {"name": county, "municipalities": [],
                                             "quarters": [], "area": f"kreis:{county}"})
        group["municipalities"].append({"name": m.name, "districts": districts,
                                        "area": f"kommune:{m.id}",
                                        "edit": f"/bearbeiten/kommunen/{m.id}"
                                        if may_change(who, net, "municipalities", m) else None,
                                        **_figures(_sum(here, totals, day))})
        group["quarters"] += here
    for group in counties.values():
        group.update(_figures(_sum(group["quarters"], totals, day)))
    municipalities = [m for group in counties.values() for m in group["municipalities"]]
    horizon = day + dt.timedelta(days=HORIZON_DAYS)
    expiring = []
    for a in sorted((a for a in net.agreements if a.valid_until is not None
                     and day <= a.valid_until <= horizon), key=lambda a: a.valid_until or day):
        assert a.valid_until is not None
        expiring.append({
            "name": a.name, "kind": LABELS[AgreementKind].get(a.kind.value, a.kind.value),
            "until": f"{a.valid_until:%d.%m.%Y}",
            "parties": ", ".join(net.provider_index[p].name if p in net.provider_index else p
                                 for p in a.parties),
            "edit": f"/bearbeiten/vereinbarungen/{a.id}"
            if may_change(who, net, "agreements", a) else None})
    links = [(s, f"/bearbeiten/{SECTION_PATHS[s]}/neu", f"{FORMS[s].title} anlegen")
             for s in SECTION_PATHS if may_change(who, net, s, None)]
    new_links = [(href, label) for s, href, label in links if s not in MASTER_SECTIONS]
    master_links = [(href, label) for s, href, label in links if s in MASTER_SECTIONS]
    return page(request, "overview.html", who, "Übersicht", nav="uebersicht", as_of=day,
                network_name=net.name, municipalities=municipalities, expiring=expiring,
                counties=[c for c in counties.values() if c["name"]],
                horizon_days=HORIZON_DAYS, can_edit_any=any(e["edit"] for e in expiring),
                new_links=new_links, master_links=master_links)
