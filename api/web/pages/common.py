"""What every Werkstatt page shares: who is logged in, the page frame, messages after a
redirect, the as-of date, and whether the person may change a thing (the same role check
as the JSON API: :func:`api.web.access.check_write`)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.usecases.roles import Principal, Role, may_change
from api.web.session import check_csrf, csrf_token, web_principal
from api.web.settings import ApiSettings
from api.web.state import Snapshot, StoreState
from graph.errors import LotsenError
from graph.model import Quarter
from graph.network import Network
from visualisation.pages import render_template

__all__ = [
    "MAX_UPLOAD",
    "ROLE_LABELS",
    "LoginRequired",
    "as_of",
    "flash",
    "kept",
    "may_change",
    "page",
    "parse_date",
    "person",
    "posted_form",
    "quarter_view",
    "snapshot",
]

ROLE_LABELS = {Role.READER: "liest mit", Role.EDITOR: "Quartiersredaktion",
               Role.COORDINATOR: "Koordination"}
_FLASH_KEEP = 4
_FLASH_TEXT = 300
_FLASH_BYTES = 2000  # as JSON with \\u escapes, as the cookie holds it
PAGE_HEADERS = {
    "Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff",
    # our own script and style files only; the map in its frame comes from this site
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' "
                               "'unsafe-inline'; script-src 'self'; frame-src 'self'; "
                               "frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
}


def snapshot(request: Request) -> Snapshot:
    store: StoreState = request.app.state.store
    return store.snapshot()


class LoginRequired(Exception):
    """Nobody is logged in: the page answers with the login page (and comes back)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target

    def redirect(self) -> Response:
        return RedirectResponse(f"/anmelden?weiter={quote(self.target)}", status_code=303)


def person(request: Request) -> Principal:
    """The person at the browser; without one, :class:`LoginRequired` leads to the login."""
    who = web_principal(request)
    if who is None:
        raise LoginRequired(request.url.path + (f"?{request.url.query}"
                                                if request.url.query else ""))
    return who


MAX_UPLOAD = 20 * 1024 * 1024


async def posted_form(request: Request) -> Any:
    """The posted form, after the CSRF check (403 without the session's token). Uploaded
    files are read (at most ``MAX_UPLOAD`` + 1 bytes each) into ``request.state.uploads``
    as (file name, content) and their temporary files closed at once."""
    form = await request.form(max_files=2, max_fields=5000)
    uploads: dict[str, tuple[str, bytes]] = {}
    try:
        check_csrf(request, form)
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                uploads[name] = (value.filename or "", await value.read(MAX_UPLOAD + 1))
    finally:
        await form.close()
    request.state.uploads = uploads
    return form


def flash(request: Request, kind: str, text: str) -> None:
    """A message for the next page (after a redirect): kind ok, info or fehler. The
    session cookie carries them: the newest few, together at most ``_FLASH_BYTES`` as
    JSON (a browser drops a cookie over 4 KB – and with it the login)."""
    kept = list(request.session.get("flash", []))[-(_FLASH_KEEP - 1):]
    kept.append([kind, text[:_FLASH_TEXT]])
    while len(kept) > 1 and len(json.dumps(kept)) > _FLASH_BYTES:
        kept.pop(0)
    request.session["flash"] = kept


def _as_of(request: Request) -> dt.date:
    text = request.query_params.get("stichtag")
    if text:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return dt.date.today()
        if 1900 <= day.year <= 2200:  # the analysis adds years to dates
            return day
    return dt.date.today()


def kept(snap: Snapshot, name: str, keep: int = 200) -> dict[Any, Any]:
    """A bounded store of answers for one stored state (a flood of dates or quarters
    cannot fill the memory)."""
    answers: dict[Any, Any] = snap.cache.setdefault(name, {})
    if len(answers) >= keep:
        answers.clear()
    return answers


def page(request: Request, template: str, who: Principal | None, title: str,
         status: int = 200, **values: Any) -> HTMLResponse:
    settings: ApiSettings = request.app.state.settings
    flashes = request.session.pop("flash", []) if "flash" in request.session else []
    html = render_template(
        f"werkstatt/{template}", title=title, who=who, csrf=csrf_token(request),
        laptop=not settings.auth, role_label=ROLE_LABELS.get(who.role, "") if who else "",
        flashes=flashes, as_of_text=f"{values.pop('as_of', _as_of(request)):%d.%m.%Y}",
        **values)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def parse_date(text: str) -> dt.date | None:
    """A date a person typed in a form (TT.MM.JJJJ, also TT.MM.JJ or JJJJ-MM-TT); None
    when empty; LotsenError saying how to write it otherwise."""
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


def as_of(request: Request) -> dt.date:
    return _as_of(request)


def quarter_view(request: Request, quarter: str
                 ) -> tuple[Principal, Snapshot, Network, dt.date, Quarter]:
    """What every quarter page starts from: who asks, the state, its network, the as-of
    date and the quarter (id or name; unknown: NotFoundError with suggestions)."""
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    return who, snap, net, as_of(request), net.find_quarter(quarter)
