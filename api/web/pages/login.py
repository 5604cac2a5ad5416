"""Anmelden and Abmelden: name and password against the users file (argon2), a
slower answer after each failed attempt, a fresh session after login."""

from __future__ import annotations

import threading
from math import ceil

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.web.pages.common import flash, page, posted_form
from api.web.session import LoginThrottle, Users, log_in, log_out, web_principal
from api.web.settings import ApiSettings
from api.web.users import UserEntry, UserFile, verify_login

__all__ = ["router", "safe_next"]

router = APIRouter()
_CHECKS = threading.BoundedSemaphore(2)


def _checked(users: UserFile, name: str, password: str) -> UserEntry | None:
    """argon2 takes 64 MiB and a core per check: at most two at a time."""
    with _CHECKS:
        return verify_login(users, name, password)


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
    wait = throttle.wait(name, address)
    if wait > 0:  # refused without looking at the password: parallel guesses gain nothing
        return page(request, "login.html", None, "Anmelden", status=429, next_url=target,
                    login_name=name, error=f"Zu viele Fehlversuche. Bitte {ceil(wait)} "
                    "Sekunden warten und dann noch einmal anmelden.")
    users: Users = request.app.state.users
    entry = await run_in_threadpool(_checked, users.current(), name, password)
    if entry is None:
        throttle.failed(name, address)
        return page(request, "login.html", None, "Anmelden", status=401, next_url=target,
                    login_name=name, error="Benutzername oder Passwort stimmen nicht. Nach "
                    "jedem Fehlversuch muss man etwas länger warten, bis die nächste Anmeldung "
                    "geprüft wird.")
    throttle.succeeded(name, address)
    log_in(request, entry)
    flash(request, "ok", f"Angemeldet als {entry.name}.")
    return RedirectResponse(target, status_code=303)


@router.post("/abmelden", include_in_schema=False)
async def logout(request: Request) -> Response:
    await posted_form(request)
    who = web_principal(request)
    settings: ApiSettings = request.app.state.settings
    if who is not None and settings.auth and settings.users_file is not None:
        # a new session key: a copy of the cookie is void too (on every device)
        await run_in_threadpool(UserFile.end_sessions, settings.users_file, who.name)
    log_out(request)
    flash(request, "ok", "Abgemeldet.")
    return RedirectResponse("/anmelden", status_code=303)
