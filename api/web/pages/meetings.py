"""Sitzungen in the Werkstatt: prepare a meeting (the agenda is proposed from its area),
hold it (the Besprechung steps through the agenda with the map, the owner of each
transition and forms to decide a Maßnahme or „geprüft, bewusst so“ on the spot, keyboard
only) and follow it up (the Protokoll as a page and as an A4 PDF, the slides and the
report for the meeting). The use cases are :mod:`api.usecases.meetings`,
:mod:`api.usecases.measures` and :mod:`api.usecases.acceptances`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from api.usecases.acceptances import accept_finding
from api.usecases.measures import decide_measure, proposal, update_measure
from api.usecases.meetings import (
    add_decision,
    change_meeting,
    meeting_of,
    prepare_meeting,
    propose_again,
)
from api.usecases.roles import ForbiddenError, Principal, Role, may_accept
from api.web.pages.common import (
    flash,
    kept,
    page,
    parse_date,
    person,
    posted_form,
    snapshot,
)
from api.web.state import Snapshot, StoreState
from graph.edit import find
from graph.errors import LotsenError
from graph.journal import Journal
from graph.meeting import AgendaItem, AgendaKind, Meeting
from graph.network import Network
from lotsen.findings import Finding
from lotsen.labels import finding_subject
from lotsen.measures import MEASURE_STATUS_LABELS
from lotsen.meetings import (
    SinceLast,
    area_choices,
    area_name,
    area_quarters,
    meeting_findings,
    previous_meeting,
    since_last,
)
from lotsen.ownership import owner_of
from lotsen.priority import families_phrase

__all__ = ["router"]

router = APIRouter()


def _base(meeting_id: str) -> str:
    return f"/sitzungen/{quote(meeting_id, safe='')}"


def _may_prepare(who: Principal) -> bool:
    return who.role is not Role.READER


@router.get("/sitzungen", include_in_schema=False)
async def meetings_page(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    today = dt.date.today()
    rows = [{"id": m.id, "body": m.body, "area": area_name(net, m.area),
             "date": f"{m.date:%d.%m.%Y}", "upcoming": m.date >= today,
             "points": len(m.agenda),
             "decided": sum(1 for x in net.measures if x.meeting == m.id)
             + sum(1 for a in net.accepted_findings if a.meeting == m.id) + len(m.decisions)}
            for m in sorted(net.meetings, key=lambda m: (m.date, m.id), reverse=True)]
    return page(request, "sitzungen.html", who, "Sitzungen", nav="sitzungen", rows=rows,
                can_prepare=_may_prepare(who))


@router.get("/sitzungen/neu", include_in_schema=False)
async def new_meeting(request: Request) -> Response:
    who = person(request)
    net = snapshot(request).network
    wanted = request.query_params.get("gebiet", "")
    return page(request, "sitzung_neu.html", who, "Sitzung vorbereiten", nav="sitzungen",
                areas=area_choices(net), values={"gebiet": wanted, "datum": "",
                                                 "gremium": ""}, errors={})


@router.post("/sitzungen/neu", include_in_schema=False)
async def create_meeting(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    store: StoreState = request.app.state.store
    net = store.load()
    values = {k: str(form.get(k, "")).strip() for k in ("gremium", "gebiet", "datum")}
    errors: dict[str, str] = {}
    day: dt.date | None = None
    if not values["gremium"]:
        errors["gremium"] = "Bitte das Gremium nennen, z. B. „Steuerungsgruppe Bönen“."
    if not values["gebiet"]:
        errors["gebiet"] = "Bitte das Gebiet wählen, für das die Sitzung berät."
    try:
        day = parse_date(values["datum"])
        if day is None:
            errors["datum"] = "Bitte das Datum der Sitzung angeben (TT.MM.JJJJ)."
    except LotsenError as exc:
        errors["datum"] = str(exc)
    if not errors:
        assert day is not None
        try:
            meeting, _ = await run_in_threadpool(
                prepare_meeting, store, who, values["gremium"], values["gebiet"], day)
        except ForbiddenError:
            raise
        except LotsenError as exc:
            errors["gebiet"] = str(exc)
        else:
            flash(request, "ok", f"Sitzung vorbereitet: {meeting.body} am "
                                 f"{meeting.date:%d.%m.%Y}. Die Tagesordnung ist "
                                 "vorgeschlagen – Punkte lassen sich streichen und ergänzen.")
            return RedirectResponse(_base(meeting.id), status_code=303)
    return page(request, "sitzung_neu.html", who, "Sitzung vorbereiten", nav="sitzungen",
                status=422, areas=area_choices(net), values=values, errors=errors)


def _since(snap: Snapshot, meeting: Meeting) -> SinceLast:
    answers = kept(snap, "werkstatt-seit-sitzung", keep=50)
    if meeting.id not in answers:
        answers[meeting.id] = since_last(snap.network, snap.journal, meeting)
    result: SinceLast = answers[meeting.id]
    return result


def _link(net: Network, meeting: Meeting, i: int, item: AgendaItem) -> str:
    if item.kind is AgendaKind.MEASURE:
        return "/massnahmen"
    if item.kind is AgendaKind.AGREEMENT and item.ref:
        return f"/bearbeiten/vereinbarungen/{quote(item.ref, safe='')}"
    return f"{_base(meeting.id)}/besprechung?punkt={i}"


def _meeting_context(snap: Snapshot, meeting: Meeting, who: Principal) -> dict[str, Any]:
    net = snap.network
    since = _since(snap, meeting)
    previous = previous_meeting(net, meeting)
    quarters = area_quarters(net, meeting.area)
    providers = sorted({s.provider for s in net.services if set(s.quarters) & set(quarters)}
                       | set(meeting.attending))
    names = {p.id: p.name for p in net.providers}
    from visualisation.meeting_documents import decided

    return {
        "meeting": meeting, "base": _base(meeting.id), "area": area_name(net, meeting.area),
        "date": f"{meeting.date:%d.%m.%Y}",
        "version": snap.journal.version("meetings", meeting.id),
        "previous": previous, "previous_url": _base(previous.id) if previous else None,
        "since": since,
        "since_new": [(f.title, finding_subject(net, f)) for f in since.changes.new],
        "since_resolved": [(f.title, finding_subject(net, f)) for f in since.changes.resolved],
        "since_entities": len(since.changes.entities),
        "indicators": [(d.quarter_name, d.label, _figure(d.before, d.indicator),
                        _figure(d.after, d.indicator)) for d in since.changes.indicators],
        "agenda": [{"i": i, "kind": a.kind.label, "title": a.title, "note": a.note or "",
                    "link": _link(net, meeting, i, a)}
                   for i, a in enumerate(meeting.agenda, start=1)],
        "providers": [(p, names.get(p, p), p in meeting.attending) for p in providers],
        "attending": [names.get(p, p) for p in meeting.attending] + list(meeting.roles),
        "roles": "\n".join(meeting.roles), "decided": decided(net, meeting),
        "can_change": _may_prepare(who),
    }


def _figure(value: float | None, indicator: str) -> str:
    if value is None:
        return "–"
    if indicator in ("pearls", "expiring_agreements"):
        return str(int(value))
    return f"{value:.0%}".replace("%", " %")


@router.get("/sitzungen/{meeting_id}", include_in_schema=False)
async def meeting_page(request: Request, meeting_id: str) -> Response:
    who = person(request)
    snap = snapshot(request)
    meeting = meeting_of(snap_store(request), meeting_id)
    context = await run_in_threadpool(_meeting_context, snap, meeting, who)
    return page(request, "sitzung.html", who, f"Sitzung: {meeting.body}", nav="sitzungen",
                as_of=meeting.date, **context)


def snap_store(request: Request) -> StoreState:
    store: StoreState = request.app.state.store
    return store


async def _change(request: Request, meeting_id: str, work: Any, done: str,
                  back: str | None = None) -> Response:
    """Run a change of the meeting; say ``done`` or what went wrong, and go ``back``."""
    target = back or _base(meeting_id)
    try:
        await run_in_threadpool(work)
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(target, status_code=303)
    flash(request, "ok", done)
    return RedirectResponse(target, status_code=303)


def _version(form: Any) -> int | None:
    try:
        return int(str(form.get("version", "")))
    except ValueError:
        return None


@router.post("/sitzungen/{meeting_id}/teilnehmende", include_in_schema=False)
async def attending(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    roles = [line.strip() for line in str(form.get("rollen", "")).splitlines() if line.strip()]
    return await _change(request, meeting_id, lambda: change_meeting(
        store, who, meeting_id, expected_version=_version(form),
        attending=form.getlist("traeger"), roles=roles,
        note=str(form.get("notiz", "")).strip() or None),
        "Teilnehmende und Notiz gespeichert.")


@router.post("/sitzungen/{meeting_id}/tagesordnung", include_in_schema=False)
async def agenda(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    old = meeting_of(store, meeting_id)
    keep = set(form.getlist("behalten"))
    items = [a.model_copy(update={"note": str(form.get(f"notiz-{i}", a.note or "")).strip()
                                  or None})
             for i, a in enumerate(old.agenda, start=1) if str(i) in keep]
    extra = str(form.get("neuer_punkt", "")).strip()
    if extra:
        items.append(AgendaItem(kind=AgendaKind.OTHER, title=extra[:300]))
    return await _change(request, meeting_id, lambda: change_meeting(
        store, who, meeting_id, expected_version=_version(form), agenda=items),
        "Tagesordnung gespeichert.")


@router.post("/sitzungen/{meeting_id}/neu-vorschlagen", include_in_schema=False)
async def again(request: Request, meeting_id: str) -> Response:
    who = person(request)
    await posted_form(request)
    store = snap_store(request)
    return await _change(request, meeting_id, lambda: propose_again(store, who, meeting_id),
                         "Die Tagesordnung ist neu vorgeschlagen (vom heutigen Stand aus).")


@router.post("/sitzungen/{meeting_id}/beschluss", include_in_schema=False)
async def decision(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    text = str(form.get("beschluss", "")).strip()
    back = str(form.get("zurueck", "")) or None
    if back is not None and (not back.startswith("/sitzungen/") or "//" in back):
        back = None
    if not text:
        flash(request, "fehler", "Bitte den Beschluss in Worten eintragen (Feld „Beschluss“).")
        return RedirectResponse(back or _base(meeting_id), status_code=303)
    return await _change(request, meeting_id, lambda: add_decision(
        store, who, meeting_id, text), "Beschluss festgehalten.", back)


# -- the Besprechung: the agenda point by point -----------------------------------------


def _finding_of(net: Network, meeting: Meeting, key: str | None) -> Finding | None:
    if not key:
        return None
    return next((f for f in meeting_findings(net, meeting, meeting.date)
                 if f.stable_key == key), None)


def _owners(net: Network, f: Finding, day: dt.date) -> list[dict[str, str]]:
    out = []
    for i in f.ids:
        if i in net.transition_index:
            row = owner_of(net, i, day)
            out.append({"label": f"{row.source_name} → {row.target_name}",
                        "owner": row.owner_name or "niemand",
                        "agreements": ", ".join(row.agreement_names) or "keine",
                        "status": row.status,
                        "until": f"{row.valid_until:%d.%m.%Y}" if row.valid_until else "–"})
    return out


def _point(snap: Snapshot, meeting: Meeting, n: int, who: Principal) -> dict[str, Any]:
    net = snap.network
    item = meeting.agenda[n - 1]
    point: dict[str, Any] = {"kind": item.kind.value, "kind_label": item.kind.label,
                             "title": item.title, "note": item.note or "", "ref": item.ref}
    if item.kind is AgendaKind.FINDING:
        f = _finding_of(net, meeting, item.ref)
        accepted = next((a for a in net.accepted_findings if a.key == item.ref), None)
        point["gone"] = f is None
        point["accepted"] = accepted.reason if accepted is not None else None
        if f is not None:
            p = proposal(net, f)
            quarter = f.quarters[0] if f.quarters else item.quarter
            point.update(
                severity=f.severity.name.lower(), severity_label=f.severity.label,
                message=f.message, next_step=f.next_step,
                families=families_phrase(f),
                owners=_owners(net, f, meeting.date), quarter=quarter,
                map=f"/quartiere/{quote(quarter, safe='')}/karte?besprechung=1&stichtag="
                    f"{meeting.date.isoformat()}" if quarter else None,
                may_decide=may_accept(who, f), measure_title=p.title,
                measure_responsible=p.responsible)
    elif item.kind is AgendaKind.MEASURE:
        m = next((x for x in net.measures if x.id == item.ref), None)
        if m is not None:
            point["measure"] = {
                "id": m.id, "status": m.status.value,
                "status_label": MEASURE_STATUS_LABELS[m.status.value],
                "responsible": net.provider_index[m.responsible].name
                if m.responsible in net.provider_index else m.responsible,
                "due": f"{m.due:%d.%m.%Y}" if m.due else "ohne Termin",
                "version": snap.journal.version("measures", m.id)}
    elif item.kind is AgendaKind.SINCE:
        since = _since(snap, meeting)
        point["since_new"] = [(f.title, finding_subject(net, f)) for f in since.changes.new]
        point["since_resolved"] = [(f.title, finding_subject(net, f))
                                   for f in since.changes.resolved]
        point["since_done"] = [m.title for m in since.done]
        point["since_overdue"] = [m.title for m in since.overdue]
    return point


@router.get("/sitzungen/{meeting_id}/besprechung", include_in_schema=False)
async def hold(request: Request, meeting_id: str) -> Response:
    who = person(request)
    snap = snapshot(request)
    meeting = meeting_of(snap_store(request), meeting_id)
    count = len(meeting.agenda)
    try:
        n = max(1, min(int(request.query_params.get("punkt", "1")), max(count, 1)))
    except ValueError:
        n = 1
    base = f"{_base(meeting.id)}/besprechung?punkt="
    point = await run_in_threadpool(_point, snap, meeting, n, who) if count else None
    names = sorted(((p.id, p.name) for p in snap.network.providers),
                   key=lambda x: x[1].casefold())
    quarters = set(area_quarters(snap.network, meeting.area))
    local = [x for x in names if any(s.provider == x[0] and set(s.quarters) & quarters
                                     for s in snap.network.services)]
    return page(request, "sitzung_besprechung.html", who, f"Besprechung: {meeting.body}",
                as_of=meeting.date, body_class="besprechung-seite", bare=True,
                meeting=meeting, base=_base(meeting.id), area=area_name(snap.network,
                                                                       meeting.area),
                n=n, count=count, point=point, providers=local or names,
                statuses=list(MEASURE_STATUS_LABELS.items()), here=f"{base}{n}",
                prev=f"{base}{n - 1}" if n > 1 else None,
                next=f"{base}{n + 1}" if n < count else None,
                can_change=_may_prepare(who))


@router.post("/sitzungen/{meeting_id}/massnahme", include_in_schema=False)
async def decide_here(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    meeting = meeting_of(store, meeting_id)
    n = str(form.get("punkt", "1"))
    back = f"{_base(meeting_id)}/besprechung?punkt={quote(n, safe='')}"
    title = str(form.get("titel", "")).strip()
    responsible = str(form.get("traeger", "")).strip()
    key = str(form.get("befund", "")).strip()
    try:
        due = parse_date(str(form.get("faellig", "")))
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    if not title or not responsible:
        flash(request, "fehler", "Bitte angeben, was getan wird und welcher Träger "
                                 "verantwortlich ist.")
        return RedirectResponse(back, status_code=303)
    return await _change(request, meeting_id, lambda: decide_measure(
        store, who, title, responsible, meeting.date, findings=[key] if key else [],
        due=due, meeting=meeting_id),
        f"Maßnahme beschlossen: „{title}“" + (f", fällig am {due:%d.%m.%Y}" if due else "")
        + ".", back)


@router.post("/sitzungen/{meeting_id}/geprueft", include_in_schema=False)
async def accept_here(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    meeting = meeting_of(store, meeting_id)
    n = str(form.get("punkt", "1"))
    back = f"{_base(meeting_id)}/besprechung?punkt={quote(n, safe='')}"
    reason = str(form.get("grund", "")).strip()
    return await _change(request, meeting_id, lambda: accept_finding(
        store, who, str(form.get("befund", "")), reason, meeting.date, meeting=meeting_id),
        "Als „geprüft, bewusst so“ festgehalten.", back)


@router.post("/sitzungen/{meeting_id}/punkt-notiz", include_in_schema=False)
async def point_note(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    old = meeting_of(store, meeting_id)
    try:
        n = int(str(form.get("punkt", "")))
    except ValueError:
        n = 0
    back = f"{_base(meeting_id)}/besprechung?punkt={n}"
    if not 1 <= n <= len(old.agenda):
        flash(request, "fehler", "Diesen Tagesordnungspunkt gibt es nicht mehr.")
        return RedirectResponse(back, status_code=303)
    note = str(form.get("notiz", "")).strip() or None
    items = [a.model_copy(update={"note": note}) if i == n else a
             for i, a in enumerate(old.agenda, start=1)]
    return await _change(request, meeting_id, lambda: change_meeting(
        store, who, meeting_id, agenda=items), "Notiz zum Punkt gespeichert.", back)


@router.post("/sitzungen/{meeting_id}/massnahme-stand", include_in_schema=False)
async def measure_state(request: Request, meeting_id: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store = snap_store(request)
    n = str(form.get("punkt", "1"))
    back = f"{_base(meeting_id)}/besprechung?punkt={quote(n, safe='')}"
    meeting = meeting_of(store, meeting_id)
    return await _change(request, meeting_id, lambda: update_measure(
        store, who, str(form.get("massnahme", "")), meeting.date,
        status=str(form.get("status", "")), expected_version=_version(form)),
        "Stand der Maßnahme gespeichert.", back)


# -- after the meeting: the Protokoll and the documents ------------------------------------


@router.get("/sitzungen/{meeting_id}/protokoll", include_in_schema=False)
async def minutes_page(request: Request, meeting_id: str) -> Response:
    from visualisation.meeting_documents import minutes_html

    who = person(request)
    snap = snapshot(request)
    meeting = meeting_of(snap_store(request), meeting_id)
    html = await run_in_threadpool(minutes_html, snap.network, snap.journal, meeting,
                                   _since(snap, meeting), False)
    return page(request, "sitzung_protokoll.html", who, f"Protokoll: {meeting.body}",
                nav="sitzungen", as_of=meeting.date, meeting=meeting, base=_base(meeting.id),
                minutes=Markup(html))


async def _document(request: Request, meeting_id: str, name: str,
                    make: Callable[[Network, Journal, Meeting], bytes]) -> Response:
    """One of the Sitzung's PDFs, from the state the page was shown from."""
    person(request)
    snap = snapshot(request)
    meeting = find(snap.network, "meetings", meeting_id)
    assert isinstance(meeting, Meeting)
    data = await run_in_threadpool(make, snap.network, snap.journal, meeting)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}-{meeting.id}.pdf"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@router.get("/sitzungen/{meeting_id}/protokoll.pdf", include_in_schema=False)
async def minutes_pdf_download(request: Request, meeting_id: str) -> Response:
    from visualisation.meeting_documents import minutes_pdf

    return await _document(request, meeting_id, "protokoll", minutes_pdf)


@router.get("/sitzungen/{meeting_id}/folien.pdf", include_in_schema=False)
async def slides_download(request: Request, meeting_id: str) -> Response:
    from visualisation.meeting_documents import meeting_slides

    return await _document(request, meeting_id, "folien", meeting_slides)


@router.get("/sitzungen/{meeting_id}/bericht.pdf", include_in_schema=False)
async def report_download(request: Request, meeting_id: str) -> Response:
    from visualisation.meeting_documents import meeting_report_pdf

    return await _document(request, meeting_id, "bericht", meeting_report_pdf)
