"""„Geprüft, bewusst so“: a finding accepted in the browser (with a reason and an
optional date until which it stays hidden), or the mark lifted again – the use cases of
:mod:`api.usecases.acceptances`. The coordination accepts anywhere; an editor in her own
quarters."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.acceptances import accept_finding, lift_acceptance
from api.usecases.roles import ForbiddenError
from api.web.pages.common import as_of, flash, parse_date, person, posted_form
from api.web.state import StoreState
from graph.errors import LotsenError

__all__ = ["router"]

router = APIRouter()


@router.post("/befunde/akzeptieren", include_in_schema=False)
async def accept(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    key = str(form.get("befund", ""))
    quarter = str(form.get("quartier", ""))
    reason = str(form.get("grund", "")).strip()
    back = f"/quartiere/{quarter}#befunde" if quarter.replace("-", "").isalnum() else "/"
    store: StoreState = request.app.state.store
    try:
        until = parse_date(str(form.get("bis", "")))
        done = await run_in_threadpool(accept_finding, store, who, key, reason,
                                       as_of(request), until)
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    shown = f" bis {until:%d.%m.%Y}" if until else ""
    flash(request, "ok", f"Als „geprüft, bewusst so“ markiert{shown}: {done.finding.title}. "
                         "Der Befund ist ausgeblendet und steht unten unter „Geprüft, bewusst "
                         "so“.")
    return RedirectResponse(back, status_code=303)


@router.post("/befunde/markierung-aufheben", include_in_schema=False)
async def lift(request: Request) -> Response:
    """„Markierung aufheben“: the accepted finding counts as open again."""
    who = person(request)
    form = await posted_form(request)
    key = str(form.get("befund", ""))
    quarter = str(form.get("quartier", ""))
    back = f"/quartiere/{quarter}#befunde" if quarter.replace("-", "").isalnum() else "/"
    store: StoreState = request.app.state.store
    try:
        await run_in_threadpool(lift_acceptance, store, who, key, as_of(request))
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse(back, status_code=303)
    flash(request, "ok", "Markierung aufgehoben: der Befund zählt wieder als offen.")
    return RedirectResponse(back, status_code=303)
