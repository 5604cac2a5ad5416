"""„Geprüft, bewusst so“: a finding accepted in the browser (with a reason and an
optional date until which it stays hidden), written through the store's journal like
every change. The coordination accepts anywhere; an editor in her own quarters."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from api.web.access import ForbiddenError, Principal, Role
from api.web.pages.common import as_of, flash, person, posted_form, snapshot
from api.web.state import StoreState
from graph.errors import LotsenError
from graph.journal import Edit
from graph.network import Network
from lotsen.acceptance import acceptance
from lotsen.check import check
from lotsen.findings import Finding

__all__ = ["may_accept", "router"]

router = APIRouter()


def may_accept(who: Principal, f: Finding) -> bool:
    if who.role is Role.COORDINATOR:
        return True
    return who.role is Role.EDITOR and bool(f.quarters) and set(f.quarters) <= who.quarters


def _parse_until(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    parts = text.split(".")
    try:
        if len(parts) == 3:
            year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
            return dt.date(year, int(parts[1]), int(parts[0]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LotsenError(f"Das Datum „{text}“ gibt es nicht: bitte TT.MM.JJJJ, z. B. "
                          "30.06.2027.") from None


@router.post("/befunde/akzeptieren", include_in_schema=False)
async def accept(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    key = str(form.get("befund", ""))
    quarter = str(form.get("quartier", ""))
    reason = str(form.get("grund", "")).strip()
    back = f"/quartiere/{quarter}#befunde" if quarter.replace("-", "").isalnum() else "/"
    day = as_of(request)
    net = snapshot(request).network
    found = check(net, day)
    try:
        until = _parse_until(str(form.get("bis", "")))
        if not reason:
            raise LotsenError("Bitte einen Grund angeben, warum der Befund so bleiben darf "
                              "(Feld „Grund“); er steht danach bei dem Befund.")
        entity = acceptance(net, key, reason, who.name, day, until, findings=found)
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    finding = next((f for f in found if f.stable_key == key), None)

    def authorize(current: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        if finding is None or not may_accept(who, finding):
            raise ForbiddenError(f"'{who.name}' darf diesen Befund nicht als geprüft "
                                 "markieren: er betrifft ein Quartier, für das die Rolle "
                                 "nicht zuständig ist.")

    store: StoreState = request.app.state.store
    await run_in_threadpool(store.apply, Edit("accepted_findings", entity.key, entity,
                                              who.name, authorize=authorize))
    shown = f" bis {until:%d.%m.%Y}" if until else ""
    title = finding.title if finding else key
    flash(request, "ok", f"Als „geprüft, bewusst so“ markiert{shown}: {title}. Der Befund ist "
                         "ausgeblendet und steht unten unter „Geprüft, bewusst so“.")
    return RedirectResponse(back, status_code=303)
