"""The network at hand (issue 27): the search on every page (``/suche``), the lists of
providers, services, transitions, agreements and sites (``/traeger`` …) to filter, sort
and page through, and the page of each entry (``/traeger/{id}`` …) with everything it is
connected to and a button to edit it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.roles import may_change
from api.web.pages.common import as_of, kept, page, person, snapshot
from api.web.pages.overview import quarter_findings
from api.web.state import Snapshot
from graph.errors import LotsenError
from graph.network import Network
from lotsen.meetings import area_choices, area_quarters
from lotsen.search import SearchIndex
from visualisation.browse import LIST_PATHS, VALIDITY, list_table
from visualisation.entry_page import EntryPage, entry_page
from visualisation.forms import SECTION_PATHS

__all__ = ["router", "search_index"]

router = APIRouter()
_SECTIONS = {path: section for section, path in LIST_PATHS.items()}
_FILTERS = ("q", "gebiet", "phase", "feld", "status", "gueltigkeit", "sortierung", "seite")
_LOCK = threading.Lock()
_STATUS = {
    "services": [("planned", "geplant"), ("active", "aktiv"), ("paused", "pausiert"),
                 ("ended", "beendet")],
    "transitions": [("ohne-verantwortung", "ohne Verantwortliche"),
                    ("warm_handoff", "warme Übergabe"), ("referral", "Vermittlung"),
                    ("information", "nur Information")],
}


def search_index(request: Request, net: Network) -> SearchIndex:
    """The search index of ``net``, derived from the one of the state before (only the
    entries that changed are indexed again)."""
    with _LOCK:
        held: SearchIndex | None = getattr(request.app.state, "search_index", None)
        if held is None or held.net is not net:
            held = SearchIndex(net, held)
            request.app.state.search_index = held
        return held


@router.get("/suche", include_in_schema=False)
async def search_page(request: Request) -> Response:
    who = person(request)
    net = snapshot(request).network
    query = request.query_params.get("q", "")[:200]
    index = await run_in_threadpool(search_index, request, net)
    result = index.search(query, limit=200)
    hits = [h for h in result.hits]
    if len(hits) == 1 and request.query_params.get("direkt") == "1":
        from visualisation.browse import entry_url

        return RedirectResponse(entry_url(hits[0].section, hits[0].id), status_code=303)
    return page(request, "suche.html", who, f"Suche: {query}" if query else "Suche",
                query=query, result=result, groups=result.groups())


def _filters(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "")[:200] for k in _FILTERS}


def _list(snap: Snapshot, request: Request, section: str, filters: dict[str, str]) -> Any:
    net = snap.network
    area = None
    if filters["gebiet"]:
        try:
            area = set(area_quarters(net, filters["gebiet"]))
        except LotsenError:
            filters["gebiet"] = ""
    matches = None
    if filters["q"].strip():
        result = search_index(request, net).search(filters["q"], limit=10**9)
        matches = {h.id for h in result.hits if h.section == section}
    return list_table(net, section, as_of(request), filters, area, matches)


async def list_page(request: Request) -> Response:
    art = request.url.path.strip("/")
    section = _SECTIONS[art]
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    filters = _filters(request)
    answers = kept(snap, f"werkstatt-liste-{section}", keep=50)
    key = (as_of(request), tuple(sorted(filters.items())))
    if key not in answers:
        answers[key] = await run_in_threadpool(_list, snap, request, section, filters)
    table = answers[key]
    base = {k: v for k, v in table.filters.items() if v and k not in ("sortierung", "seite")}

    def url(**change: Any) -> str:
        values = {**base, **{k: str(v) for k, v in change.items() if v}}
        return f"/{art}" + (f"?{urlencode(values)}" if values else "")

    sorting = [(key, label, url(sortierung=("-" + key) if table.sort == key else key),
                "ascending" if table.sort == key else "descending"
                if table.sort == "-" + key else None) for key, label in table.columns]
    stages = [(s.id, s.name) for s in net.catalogue.life_stages]
    fields = [(f.id, f.name) for f in net.catalogue.fields]
    can_add = section in SECTION_PATHS and may_change(who, net, section, None)
    return page(request, "liste.html", who, table.title, nav="netzwerk", table=table, art=art,
                sorting=sorting, areas=area_choices(net),
                stages=stages if section in ("providers", "services", "transitions") else [],
                fields=fields if section in ("providers", "services") else [],
                statuses=_STATUS.get(section, []),
                validities=list(VALIDITY.items()) if section == "agreements" else [],
                prev=url(sortierung=table.sort, seite=table.page - 1) if table.page > 1
                else None,
                next=url(sortierung=table.sort, seite=table.page + 1)
                if table.page < table.pages else None,
                add=f"/bearbeiten/{SECTION_PATHS[section]}/neu" if can_add else None,
                lists=[(p, _TITLE[s]) for s, p in LIST_PATHS.items()])


_TITLE = {"providers": "Träger", "services": "Angebote", "transitions": "Übergänge",
          "agreements": "Vereinbarungen", "sites": "Standorte"}


async def entry(request: Request, key: str) -> Response:
    art = request.url.path.strip("/").split("/")[0]
    section = _SECTIONS[art]
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    day = as_of(request)
    if section == "sites":
        net.get(section, key)  # unknown: NotFoundError with suggestions
        return RedirectResponse(f"/bearbeiten/{SECTION_PATHS[section]}/{key}", status_code=303)
    entity = net.get(section, key)
    answers = kept(snap, "werkstatt-eintrag", keep=200)
    view = answers.get((section, entity.id, day))
    if view is None:
        view = answers[(section, entity.id, day)] = await run_in_threadpool(
            _entry_view, snap, section, entity.id, day)
    edit = f"/bearbeiten/{SECTION_PATHS[section]}/{entity.id}" \
        if may_change(who, net, section, entity) else None
    extra = []
    if section == "transitions":
        extra.append((f"/bearbeiten/uebergaenge/{entity.id}/kooperation",
                      "Kooperation einschätzen"))
    return page(request, "eintrag.html", who, view.title, nav="netzwerk", view=view,
                edit=edit, extra=extra, list_url=f"/{art}", list_title=_TITLE[section])


def _entry_view(snap: Snapshot, section: str, key: str, day: dt.date) -> EntryPage:
    """The page of one entry with the open findings of its quarters that concern it."""
    net = snap.network
    view = entry_page(net, section, key, day, [])
    findings = [f for q in view.quarters if q in net.quarter_index
                for f in quarter_findings(snap, q, day)]
    unique = list({f.stable_key: f for f in findings}.values())
    return entry_page(net, section, key, day, unique)


for _path in LIST_PATHS.values():
    router.add_api_route(f"/{_path}", list_page, methods=["GET"], include_in_schema=False)
    router.add_api_route(f"/{_path}/{{key}}", entry, methods=["GET"], include_in_schema=False)
