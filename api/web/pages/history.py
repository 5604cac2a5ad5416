"""Verlauf: the audit trail as sentences, filtered by quarter and date ("Änderungen
seit …")."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.roles import ForbiddenError, Role
from api.usecases.undo import deleted, undo_change, undoable
from api.web.pages.common import flash, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.errors import LotsenError
from graph.network import KIND_NAMES
from visualisation.audit_text import (
    LOCAL_TIME,
    actor_name,
    entry_name,
    entry_quarters,
    sentence,
    when,
)
from visualisation.forms import SECTION_PATHS

__all__ = ["router"]

router = APIRouter()
PAGE_SIZE = 100


def _day(text: str) -> dt.date | None:
    """A date written TT.MM.JJJJ (as everywhere in the Werkstatt) or JJJJ-MM-TT."""
    text = text.strip()
    if not text:
        return None
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if german:
        return dt.date(int(german.group(3)), int(german.group(2)), int(german.group(1)))
    return dt.date.fromisoformat(text)


@router.get("/verlauf", include_in_schema=False)
async def history(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    params = request.query_params
    filters = {k: params.get(k, "") for k in ("quartier", "seit", "bis")}
    error = ""
    try:
        since, until = _day(filters["seit"]), _day(filters["bis"])
    except ValueError:
        since = until = None
        error = ("Dieses Datum gibt es nicht: bitte TT.MM.JJJJ schreiben, z. B. 24.11.2026 "
                 "(Feld „Änderungen seit“ oder „bis“).")
    quarter = filters["quartier"] if filters["quartier"] in net.quarter_index else ""
    try:
        offset = max(0, int(params.get("ab", "0")))
    except ValueError:
        offset = 0
    hits = []
    for e in reversed(snap.journal.entries):
        day = e.at.astimezone(LOCAL_TIME).date()
        if (since and day < since) or (until and day > until):
            continue
        if quarter and e.action != "import" and quarter not in entry_quarters(e, net):
            continue
        hits.append(e)
    shown = hits[offset:offset + PAGE_SIZE]
    entries = []
    for e in shown:
        link = None
        if e.action != "delete" and e.section in SECTION_PATHS and e.action != "import":
            link = f"/bearbeiten/{SECTION_PATHS[e.section]}/{e.entity_id}"
        entries.append({"text": sentence(e, net), "link": link,
                        "kind": KIND_NAMES.get(e.section, e.section), "id": e.entity_id,
                        "seq": e.seq,
                        "undo": who.role is not Role.READER and undoable(snap.journal, e)})
    where = f" in {net.quarter_index[quarter].name}" if quarter else ""
    span = ""
    if since:
        span += f" seit {since:%d.%m.%Y}"
    if until:
        span += f" bis {until:%d.%m.%Y}"
    summary = (f"{len(hits)} Änderung{'en' if len(hits) != 1 else ''}{where}{span}"
               + (f", die neuesten {len(shown)} hier" if len(hits) > len(shown) else "") + ".")
    more = None
    if offset + PAGE_SIZE < len(hits):
        more = "/verlauf?" + urlencode({**filters, "ab": offset + PAGE_SIZE})
    return page(request, "history.html", who, "Verlauf", nav="verlauf", filters=filters,
                quarters=sorted(((q.id, q.name) for q in net.quarters),
                                key=lambda x: x[1].casefold()),
                entries=entries, summary=summary, more=more, error=error)


DELETED = "/verlauf/geloescht"


@router.get(DELETED, include_in_schema=False)
async def deleted_list(request: Request) -> Response:
    """„Gelöscht“: every entry whose last change was its deletion, each restorable
    („Wiederherstellen“ undoes the deletion, with the same check as „Rückgängig
    machen“)."""
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    rows = [{"kind": KIND_NAMES.get(e.section, e.section), "name": entry_name(e, net),
             "when": when(e.at), "who": actor_name(e.actor), "seq": e.seq,
             "restore": undoable(snap.journal, e)} for e in deleted(snap.journal, net)]
    return page(request, "deleted.html", who, "Gelöscht", nav="verlauf", rows=rows,
                can_restore=who.role is not Role.READER)


@router.post("/verlauf/rueckgaengig", include_in_schema=False)
async def undo(request: Request) -> Response:
    """„Rückgängig machen“: a new change brings the entry back as it was before."""
    who = person(request)
    form = await posted_form(request)
    store: StoreState = request.app.state.store
    back = DELETED if form.get("weiter") == DELETED else "/verlauf"
    try:
        seq = int(str(form.get("nr", "")))
    except ValueError:
        seq = 0
    try:
        entry = await run_in_threadpool(undo_change, store, who, seq)
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    net = store.load()
    if entry.action == "create" and back == DELETED:
        flash(request, "ok", f"{KIND_NAMES.get(entry.section, entry.section)} "
                             f"{entry_name(entry, net)} ist wiederhergestellt (Änderung Nr. "
                             f"{entry.seq} im Verlauf).")
    else:
        flash(request, "ok", f"Änderung Nr. {seq} ist rückgängig gemacht (neue Änderung Nr. "
                             f"{entry.seq}): {sentence(entry, net)}")
    return RedirectResponse(back, status_code=303)
