"""Sicherungen: the backups of the store in the browser – which there are, what each holds,
and bringing one back (coordination only; a confirmation page first, so that it works
without JavaScript and nobody restores by a slip of the mouse).

A restore is one change in the history (``restored_from``), and the state before it is
kept as a backup too (:func:`graph.backup.restore_backup`): nothing is lost either way."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.backups import backups_of, find_backup, new_backup, restore, store_file
from api.usecases.roles import Role
from api.web.pages.common import flash, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.backup import BackupInfo
from graph.errors import LotsenError
from visualisation.audit_text import when

__all__ = ["router"]

router = APIRouter()


def _row(b: BackupInfo) -> dict[str, Any]:
    size = b.size / 1024
    return {"file": b.path.name, "created": when(b.created),
            "reason": b.reason, "name": b.name or "–",
            "change": "–" if b.revision is None else f"Nr. {b.revision}",
            "size": (f"{size:.0f} KB" if size < 1024 else f"{size / 1024:.1f} MB")
            .replace(".", ",")}


@router.get("/sicherungen", include_in_schema=False)
async def backups(request: Request) -> Response:
    who = person(request)
    state: StoreState = request.app.state.store
    store = store_file(state)
    rows = [_row(b) for b in reversed(backups_of(state))]
    return page(request, "backups.html", who, "Sicherungen", nav="austausch",
                rows=rows, has_backups=store is not None,
                can_restore=who.role is Role.COORDINATOR, current=snapshot(request).version)


@router.get("/sicherungen/{name}", include_in_schema=False)
async def confirm(request: Request, name: str) -> Response:
    who = person(request)
    who.require_coordinator("Eine Sicherung zurückholen")
    backup = find_backup(request.app.state.store, name)
    snap = snapshot(request)
    return page(request, "backup_confirm.html", who, "Sicherung zurückholen",
                nav="austausch", backup=_row(backup), current=snap.version,
                current_name=snap.network.name)


@router.post("/sicherungen/zurueckholen", include_in_schema=False)
async def restore_one(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    who.require_coordinator("Eine Sicherung zurückholen")
    store: StoreState = request.app.state.store
    backup = find_backup(store, str(form.get("datei", "")))
    try:
        seen = int(str(form.get("stand", "")))
    except ValueError:
        seen = -1
    try:
        entry = await run_in_threadpool(restore, store, who, backup.path.name, seen)
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse("/sicherungen", status_code=303)
    flash(request, "ok", f"Die Sicherung vom {_row(backup)['created']} ist zurückgeholt "
                         f"(Änderung Nr. {entry.seq} im Verlauf). Der Stand davor liegt als "
                         "Sicherung „vor Wiederherstellung“ bereit.")
    return RedirectResponse("/sicherungen", status_code=303)


@router.post("/sicherungen/anlegen", include_in_schema=False)
async def make_one(request: Request) -> Response:
    """„Jetzt sichern“: a backup of the stored state, beside the automatic ones."""
    who = person(request)
    await posted_form(request)
    store: StoreState = request.app.state.store
    try:
        path = await run_in_threadpool(new_backup, store, who)
    except LotsenError as exc:
        if exc.status == 403:
            raise
        flash(request, "fehler", str(exc))
        return RedirectResponse("/sicherungen", status_code=303)
    found = next((b for b in backups_of(store) if b.path == path), None)
    flash(request, "ok", "Gesichert" + (f": Stand vom {_row(found)['created']}." if found
                                        else "."))
    return RedirectResponse("/sicherungen", status_code=303)
