"""Übersicht: Kreis → municipalities → (districts) → quarters with a traffic light, the key
indicators (rolled up per municipality and Kreis) and the agreements that expire soon."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.usecases.roles import Principal
from api.web.memory import return_free_memory
from api.web.pages.common import as_of, kept, may_change, page, person, snapshot
from api.web.state import Snapshot
from graph.errors import NotFoundError
from graph.formats.tables import LABELS
from graph.hierarchy import LEVEL_NAMES
from graph.model import AgreementKind, District, Municipality
from graph.network import Network
from lotsen.acceptance import Triage
from lotsen.ampel import traffic_light
from lotsen.findings import Finding
from lotsen.indicators import Indicators, quarter_indicators
from lotsen.open_findings import quarter_triage as open_triage
from visualisation.forms import FORMS, SECTION_PATHS

__all__ = ["FULL_QUARTERS", "MASTER_SECTIONS", "quarter_findings", "quarter_triage", "router"]

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


FULL_QUARTERS = 30
"""Up to this many quarters an area is shown quarter by quarter (every seed network); a
larger one (a Land of 1,000 quarters) is shown by its Kreise, Kommunen and Stadtbezirke
with their roll-ups and traffic lights, each a link to the same page for that area
(``/?gebiet=kommune:unna``): 230 KB of HTML and a second of work otherwise."""

_LIGHTS = ("gruen", "gelb", "rot")


@dataclass
class _Area:
    """A part of the hierarchy as the overview shows it: its address (``kreis:…``,
    ``kommune:…``, ``bezirk:…``; ``""`` for the whole network), the areas in it and the
    quarters directly in it (a Kommune's quarters without a Stadtbezirk)."""

    value: str
    level: str  # network, county, municipality, district
    name: str
    parent: str | None = None
    children: list[_Area] = field(default_factory=list)
    direct: list[str] = field(default_factory=list)
    quarters: list[str] = field(default_factory=list)
    municipality: Municipality | None = None


def _tree(net: Network) -> dict[str, _Area]:
    """Every area of the overview by its address, built once per network state."""
    cache = net.cache
    found: dict[str, _Area] | None = cache.get("werkstatt-uebersicht-gebiete")
    if found is not None:
        return found
    by_district: dict[str, list[str]] = {}
    by_municipality: dict[str, list[str]] = {}
    placed: set[str] = set()
    for q in net.quarters:
        if q.district is not None:
            by_district.setdefault(q.district, []).append(q.id)
        elif q.municipality is not None:
            by_municipality.setdefault(q.municipality, []).append(q.id)
    districts: dict[str, list[District]] = {}
    for d in net.districts:
        districts.setdefault(d.municipality, []).append(d)
    root = _Area("", "network", net.name)
    found = {"": root}
    for m in net.municipalities:
        area = _Area(f"kommune:{m.id}", "municipality", m.name, municipality=m,
                     direct=by_municipality.get(m.id, []))
        for d in districts.get(m.id, []):
            part = _Area(f"bezirk:{d.id}", "district", d.name, parent=area.value,
                         direct=by_district.get(d.id, []))
            part.quarters = list(part.direct)
            area.children.append(part)
            found[part.value] = part
        area.quarters = area.direct + [q for d in area.children for q in d.quarters]
        placed.update(area.quarters)
        found[area.value] = area
        if m.county:
            county = found.get(f"kreis:{m.county}")
            if county is None:
                county = found[f"kreis:{m.county}"] = _Area(f"kreis:{m.county}", "county",
                                                             m.county, parent="")
                root.children.append(county)
            area.parent = county.value
            county.children.append(area)
            county.quarters += area.quarters
        else:
            area.parent = ""
            root.children.append(area)
    root.direct = [q.id for q in net.quarters if q.id not in placed]  # not in the hierarchy
    root.quarters = [q for c in root.children for q in c.quarters] + root.direct
    cache["werkstatt-uebersicht-gebiete"] = found
    return found


class _Tally:
    """The rows and indicators of the quarters on one day, each made on first use, and
    the roll-ups of areas: kept per stored state and day."""

    def __init__(self, snap: Snapshot, day: dt.date) -> None:
        self.snap, self.day = snap, day
        self.rows: dict[str, dict[str, Any]] = {}
        self.totals: dict[str, Indicators] = {}
        self.areas: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def row(self, quarter: str) -> dict[str, Any]:
        row = self.rows.get(quarter)
        if row is None:
            net = self.snap.network
            found = quarter_findings(self.snap, quarter, self.day)
            ind = self.totals[quarter] = quarter_indicators(net, quarter, self.day)
            light = traffic_light(found)
            row = self.rows[quarter] = {
                "id": quarter, "name": net.quarter_index[quarter].name,
                "light": light.colour, "light_label": light.label,
                "light_reason": light.reason, "critical": light.critical,
                "high": light.high, "total": len(found), **_figures(ind)}
        return row

    def figures(self, key: str, quarters: list[str]) -> dict[str, Any]:
        """The roll-up of ``quarters`` (kept under ``key``): the indicators, the findings
        added up and the worst traffic light with the number of quarters per light."""
        made = self.areas.get(key)
        if made is None:
            rows = [self.row(q) for q in quarters]
            total = Indicators("area", "", "", self.day)
            for q in quarters:
                total.add(self.totals[q])
            lights = {light: sum(r["light"] == light for r in rows) for light in _LIGHTS}
            worst = max((r["light"] for r in rows), key=_LIGHTS.index, default="gruen")
            made = self.areas[key] = {
                **_figures(total), "count": len(rows), "light": worst,
                "light_label": "grün" if worst == "gruen" else worst,
                "red": lights["rot"], "yellow": lights["gelb"],
                "critical": sum(r["critical"] for r in rows),
                "high": sum(r["high"] for r in rows), "total": sum(r["total"] for r in rows)}
        return made


def _tally(snap: Snapshot, day: dt.date) -> _Tally:
    answers = kept(snap, "werkstatt-uebersicht", keep=20)
    with _TALLY_LOCK:
        tally: _Tally | None = answers.get(day)
        if tally is None:
            tally = answers[day] = _Tally(snap, day)
    return tally


_TALLY_LOCK = threading.Lock()


@router.get("/", include_in_schema=False)
def overview(request: Request) -> Response:
    """The overview of every quarter, or of every Kreis, Kommune and Stadtbezirk in a
    large network: the first request after a change reckons every quarter, so in the
    thread pool (not on the event loop); what it made and dropped is handed back to the
    system."""
    try:
        return _overview(request)
    finally:
        return_free_memory()


def _find(tree: dict[str, _Area], wanted: str) -> _Area:
    if wanted in tree:
        return tree[wanted]
    folded = wanted.strip().casefold()
    for value, area in tree.items():
        if value and folded in (value.casefold(), area.name.casefold()):
            return area
    raise NotFoundError("Gebiet", wanted, [a.name for v, a in tree.items() if v])


def _sections(who: Principal, net: Network, tally: _Tally, tree: dict[str, _Area],
              area: _Area) -> list[dict[str, Any]]:
    """The quarter by quarter view of ``area``: one section per Kommune, its quarters
    grouped by Stadtbezirk, with the roll-up of what is shown."""
    if area.level == "network":
        shown = [m for c in area.children for m in (c.children if c.level == "county"
                                                    else [c])]
    elif area.level == "county":
        shown = area.children
    else:
        shown = [area]
    sections = []
    for m in shown:
        groups = [("", m.direct)] if m.level == "municipality" else []
        groups += [(d.name, d.quarters) for d in m.children] \
            if m.level == "municipality" else [("", m.quarters)]  # one Stadtbezirk alone
        districts = [{"name": name, "quarters": [tally.row(q) for q in ids]}
                     for name, ids in groups if ids or name]
        owner = m.municipality if m.parent is None or m.level == "municipality" \
            else tree[m.parent].municipality
        sections.append({"name": m.name, "districts": districts, "area": m.value,
                         "edit": f"/bearbeiten/kommunen/{owner.id}"
                         if owner is not None and may_change(who, net, "municipalities",
                                                             owner) else None,
                         "edit_name": owner.name if owner is not None else m.name,
                         "level": m.level, **tally.figures(m.value, m.quarters)})
    return sections


def _rows(tally: _Tally, area: _Area) -> list[dict[str, Any]]:
    """The areas in ``area`` with their roll-ups, each a link to its own overview."""
    return [{"name": c.name, "href": "/?" + urlencode({"gebiet": c.value}),
             "kind": LEVEL_NAMES[c.level], **tally.figures(c.value, c.quarters)}
            for c in area.children if c.quarters]


def _overview(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net, day = snap.network, as_of(request)
    tree = _tree(net)
    wanted = request.query_params.get("gebiet", "")[:200]
    area = _find(tree, wanted)
    tally = _tally(snap, day)
    with tally.lock:
        values = _values(who, net, tally, tree, area, day)
    horizon = day + dt.timedelta(days=HORIZON_DAYS)
    expiring = []
    soon = sorted((a for a in net.agreements if a.valid_until is not None
                   and day <= a.valid_until <= horizon), key=lambda a: a.valid_until or day)
    for a in soon[:EXPIRING_SHOWN]:
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
    title = "Übersicht" if not area.value else f"Übersicht: {area.name}"
    return page(request, "overview.html", who, title, nav="uebersicht", as_of=day,
                network_name=net.name, expiring=expiring, expiring_total=len(soon),
                horizon_days=HORIZON_DAYS, can_edit_any=any(e["edit"] for e in expiring),
                new_links=new_links, master_links=master_links, **values)


EXPIRING_SHOWN = 30
"""The agreements that expire soon shown on the overview (the rest: the list of
agreements, „läuft aus“)."""


def _values(who: Principal, net: Network, tally: _Tally, tree: dict[str, _Area],
            area: _Area, day: dt.date) -> dict[str, Any]:
    trail: list[tuple[str, str]] = []
    up = area.parent
    while up is not None:
        above = tree[up]
        trail.insert(0, (above.name if above.value else "Übersicht",
                         "/?" + urlencode({"gebiet": above.value}) if above.value else "/"))
        up = above.parent
    shown = area
    while (len(shown.quarters) > FULL_QUARTERS and len(shown.children) == 1
           and not shown.direct):
        shown = shown.children[0]  # a network of one Kommune: its Stadtbezirke at once
    if len(shown.quarters) <= FULL_QUARTERS:
        sections = _sections(who, net, tally, tree, shown)
        counties = [{"name": c.name, "municipalities": [m.name for m in c.children],
                     "area": c.value, **tally.figures(c.value, c.quarters)}
                    for c in shown.children if c.level == "county"] \
            if shown.level == "network" else []
        return {"area": area, "trail": trail, "municipalities": sections,
                "counties": counties, "parts": [], "direct": [], "full": True}
    return {"area": area, "trail": trail, "municipalities": [], "counties": [],
            "full": False, "shown": shown, "parts": _rows(tally, shown),
            "part_kind": _PART_KIND.get(shown.level, "Gebiet"),
            "direct": [tally.row(q) for q in shown.direct],
            "summary": tally.figures(shown.value, shown.quarters),
            "full_quarters": FULL_QUARTERS}


_PART_KIND = {"network": "Kreise und Kommunen", "county": "Kommunen",
              "municipality": "Stadtbezirke"}
