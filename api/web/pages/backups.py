"""Sicherungen: the backups of the store in the browser – which there are, what each holds,
and bringing one back (coordination only; a confirmation page first, so that it works
without JavaScript and nobody restores by a slip of the mouse).

A restore is one change in the history (``restored_from``), and the state before it is
kept as a backup too (:func:`graph.backup.restore_backup`): nothing is lost either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.web.access import Role
from api.web.pages.common import flash, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.backup import BackupInfo, list_backups
from graph.errors import LotsenError, NotFoundError

__all__ = ["router"]

router = APIRouter()


def _store_file(request: Request) -> Path | None:
    """The store's file, or None for a store without backups (Neo4j, in memory)."""
    store: StoreState = request.app.state.store
    path = getattr(store.repo, "path", None)
    return path if isinstance(path, Path) else None


def _row(b: BackupInfo) -> dict[str, Any]:
    size = b.size / 1024
    return {"file": b.path.name, "created": f"{b.created:%d.%m.%Y um %H:%M} Uhr",
            "reason": b.reason, "name": b.name or "–",
            "change": "–" if b.revision is None else f"Nr. {b.revision}",
            "size": (f"{size:.0f} KB" if size < 1024 else f"{size / 1024:.1f} MB")
            .replace(".", ",")}


def _find(request: Request, name: str) -> BackupInfo:
    """The backup called ``name`` (only those in the list: no paths from outside)."""
    store = _store_file(request)
    found = list_backups(store) if store is not None else []
    for b in found:
        if b.path.name == name:
            return b
    raise NotFoundError("Sicherung", name, [b.path.name for b in found])


@router.get("/sicherungen", include_in_schema=False)
async def backups(request: Request) -> Response:
    who = person(request)
    store = _store_file(request)
    rows = [_row(b) for b in reversed(list_backups(store))] if store is not None else []
    return page(request, "backups.html", who, "Sicherungen", nav="austausch",
                rows=rows, has_backups=store is not None,
                can_restore=who.role is Role.COORDINATOR, current=snapshot(request).version)


@router.get("/sicherungen/{name}", include_in_schema=False)
async def confirm(request: Request, name: str) -> Response:
    who = person(request)
    who.require_coordinator("Eine Sicherung zurückholen")
    backup = _find(request, name)
    snap = snapshot(request)
    return page(request, "backup_confirm.html", who, "Sicherung zurückholen",
                nav="austausch", backup=_row(backup), current=snap.version,
                current_name=snap.network.name)


@router.post("/sicherungen/zurueckholen", include_in_schema=False)
async def restore(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    who.require_coordinator("Eine Sicherung zurückholen")
    backup = _find(request, str(form.get("datei", "")))
    store: StoreState = request.app.state.store
    try:
        seen = int(str(form.get("stand", "")))
    except ValueError:
        seen = -1
    try:
        entry = await run_in_threadpool(store.restore, backup.path, who.name, seen)
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse("/sicherungen", status_code=303)
    flash(request, "ok", f"Die Sicherung vom {_row(backup)['created']} ist zurückgeholt "
                         f"(Änderung Nr. {entry.seq} im Verlauf). Der Stand davor liegt als "
                         "Sicherung „vor Wiederherstellung“ bereit.")
    return RedirectResponse("/sicherungen", status_code=303)
