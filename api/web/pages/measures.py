"""Maßnahmen in the Werkstatt: decide one on a finding (prefilled from it), follow it up
(status, due date, note), and the list of all of them – per area and responsible
provider, overdue first, with „Befund behoben“ when its findings are gone. The use
cases are :mod:`api.usecases.measures`, the same as ``lotse measures`` and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.measures import decide_measure, update_measure
from api.usecases.roles import ForbiddenError, Role
from api.web.pages.common import (
    as_of,
    flash,
    kept,
    page,
    parse_date,
    person,
    posted_form,
    snapshot,
)
from api.web.state import StoreState
from graph.errors import LotsenError
from graph.model import MeasureStatus
from graph.network import Network
from lotsen.check import check
from lotsen.measures import MEASURE_STATUS_LABELS, MeasureState, measure_states
from lotsen.meetings import area_choices, area_quarters

__all__ = ["router"]

router = APIRouter()


def _back(quarter: str, fallback: str = "/massnahmen") -> str:
    return f"/quartiere/{quote(quarter, safe='')}#befunde" if quarter and \
        quarter.replace("-", "").replace("_", "").isalnum() else fallback


@router.post("/massnahmen/beschliessen", include_in_schema=False)
async def decide(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    key = str(form.get("befund", "")).strip()
    back = _back(str(form.get("quartier", "")))
    store: StoreState = request.app.state.store
    try:
        due = parse_date(str(form.get("faellig", "")))
        title = str(form.get("titel", "")).strip()
        responsible = str(form.get("traeger", "")).strip()
        if not title or not responsible:
            raise LotsenError("Bitte angeben, was getan wird (Feld „Was wird getan?“) und "
                              "welcher Träger verantwortlich ist.")
        m, _ = await run_in_threadpool(lambda: decide_measure(
            store, who, title, responsible, as_of(request), findings=[key] if key else [],
            due=due, note=str(form.get("notiz", "")).strip() or None))
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    net = store.load()
    flash(request, "ok", f"Maßnahme beschlossen: „{m.title}“ – verantwortlich "
                         f"{net.provider_index[m.responsible].name}"
                         + (f", fällig am {m.due:%d.%m.%Y}" if m.due else "") + ".")
    return RedirectResponse(back, status_code=303)


@router.post("/massnahmen/{measure_id}/nachhalten", include_in_schema=False)
async def follow_up(request: Request, measure_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    back = str(form.get("zurueck", "")) or "/massnahmen"
    if not back.startswith("/") or back.startswith("//"):
        back = "/massnahmen"
    store: StoreState = request.app.state.store
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = -1
    changes: dict[str, Any] = {}
    try:
        if "status" in form:
            changes["status"] = str(form.get("status", ""))
        if "faellig" in form:
            changes["due"] = parse_date(str(form.get("faellig", "")))
        if "notiz" in form:
            changes["note"] = str(form.get("notiz", "")).strip() or None
        m, _ = await run_in_threadpool(lambda: update_measure(
            store, who, measure_id, as_of(request), expected_version=version, **changes))
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    flash(request, "ok", f"Maßnahme „{m.title}“: {MEASURE_STATUS_LABELS[m.status.value]}"
                         + (f", fällig am {m.due:%d.%m.%Y}" if m.due else "") + ".")
    return RedirectResponse(back, status_code=303)


def _quarters_of(net: Network, state: MeasureState) -> set[str]:
    from lotsen.findings import parse_key

    found: set[str] = set()
    for key in state.measure.findings:
        try:
            _, ids = parse_key(key)
        except ValueError:
            continue
        for i in ids:
            if i in net.quarter_index:
                found.add(i)
            for index in (net.service_index, net.transition_index):
                entity = index.get(i)
                if entity is None:
                    continue
                if hasattr(entity, "quarters"):
                    found |= set(entity.quarters)
                else:
                    for x in (entity.source, entity.target):
                        if x in net.service_index:
                            found |= set(net.service_index[x].quarters)
    if found:
        return found
    # no finding named: the area of the Sitzung that decided it, else where the
    # responsible provider works
    meeting = next((x for x in net.meetings if x.id == state.measure.meeting), None)
    if meeting is not None:
        try:
            return set(area_quarters(net, meeting.area))
        except LotsenError:
            pass
    return {q for s in net.services if s.provider == state.measure.responsible
            for q in s.quarters}


def measure_rows(net: Network, day: dt.date, area: str = "", provider: str = ""
                 ) -> list[dict[str, Any]]:
    """The measures on ``day`` as rows of the list (of an area – a quarter, district,
    commune or the Kreis – and of a responsible provider): overdue first, then open, in
    Arbeit, and last the finished ones; each by its due date."""
    wanted = set(area_quarters(net, area)) if area else set()
    states = measure_states(net, check(net, day), day)
    order = {MeasureStatus.OPEN: 1, MeasureStatus.IN_PROGRESS: 1, MeasureStatus.DONE: 2,
             MeasureStatus.DROPPED: 3}
    rows = []
    for s in states:
        m = s.measure
        quarters = _quarters_of(net, s)
        if area and not quarters & wanted:
            continue
        if provider and m.responsible != provider:
            continue
        rows.append({
            "id": m.id, "title": m.title, "note": m.note or "",
            "responsible": net.provider_index[m.responsible].name
            if m.responsible in net.provider_index else m.responsible,
            "due": f"{m.due:%d.%m.%Y}" if m.due else "", "status": m.status.value,
            "status_label": s.status_label, "overdue": s.overdue, "resolved": s.resolved,
            "quarters": ", ".join(sorted(net.quarter_index[q].name for q in quarters
                                         if q in net.quarter_index)) or "–",
            "sort": (0 if s.overdue else order[m.status], m.due or dt.date.max, m.title)})
    rows.sort(key=lambda r: r["sort"])
    return rows


@router.get("/massnahmen", include_in_schema=False)
async def measures_page(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    day = as_of(request)
    areas = area_choices(net)
    quarter = request.query_params.get("gebiet", "") or request.query_params.get("quartier", "")
    quarter = quarter if quarter in dict(areas) else ""
    provider = request.query_params.get("traeger", "")
    provider = provider if provider in net.provider_index else ""
    answers = kept(snap, "werkstatt-massnahmen", keep=50)
    if (day, quarter, provider) not in answers:
        answers[(day, quarter, provider)] = await run_in_threadpool(
            measure_rows, net, day, quarter, provider)
    rows = answers[(day, quarter, provider)]
    for row in rows:
        row["version"] = snap.journal.version("measures", row["id"])
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return page(request, "measures.html", who, "Maßnahmen", nav="massnahmen", as_of=day,
                rows=rows, can_change=who.role is not Role.READER,
                statuses=list(MEASURE_STATUS_LABELS.items()), back=here,
                filters={"gebiet": quarter, "traeger": provider}, areas=areas,
                providers=sorted({(m.responsible, net.provider_index[m.responsible].name)
                                  for m in net.measures if m.responsible in net.provider_index},
                                 key=lambda x: x[1].casefold()),
                overdue=sum(1 for r in rows if r["overdue"]))
