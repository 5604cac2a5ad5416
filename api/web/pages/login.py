"""Anmelden and Abmelden: name and password against the users file (argon2), a
slower answer after each failed attempt, a fresh session after login."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.web.pages.common import flash, page, posted_form
from api.web.session import LoginThrottle, Users, log_in, log_out, web_principal
from api.web.settings import ApiSettings
from api.web.users import verify_login

__all__ = ["router", "safe_next"]

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only paths of this site (no '//host', no 'https://…'): no open redirect.

    >>> safe_next("/quartiere/q1"), safe_next("//boese.example"), safe_next("https://x")
    ('/quartiere/q1', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/anmelden", include_in_schema=False)
async def login_form(request: Request) -> Response:
    settings: ApiSettings = request.app.state.settings
    if not settings.auth or web_principal(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("weiter")), status_code=303)
    return page(request, "login.html", None, "Anmelden", next_url=safe_next(
        request.query_params.get("weiter")), login_name="", error="")


@router.post("/anmelden", include_in_schema=False)
async def login(request: Request) -> Response:
    form = await posted_form(request)
    name = str(form.get("name", "")).strip()[:100]
    password = str(form.get("passwort", ""))[:1000]
    target = safe_next(str(form.get("weiter", "/")))
    throttle: LoginThrottle = request.app.state.throttle
    address = request.client.host if request.client else "?"
    wait = throttle.delay(name, address)
    if wait:
        await asyncio.sleep(wait)
    users: Users = request.app.state.users
    entry = await run_in_threadpool(verify_login, users.current(), name, password)
    if entry is None:
        throttle.failed(name, address)
        return page(request, "login.html", None, "Anmelden", status=401, next_url=target,
                    login_name=name, error="Benutzername oder Passwort stimmen nicht. Nach jedem "
                    "Fehlversuch dauert die nächste Anmeldung etwas länger.")
    throttle.succeeded(name, address)
    log_in(request, entry.name)
    flash(request, "ok", f"Angemeldet als {entry.name}.")
    return RedirectResponse(target, status_code=303)


@router.post("/abmelden", include_in_schema=False)
async def logout(request: Request) -> Response:
    await posted_form(request)
    log_out(request)
    flash(request, "ok", "Abgemeldet.")
    return RedirectResponse("/anmelden", status_code=303)
