"""Who is at the browser: signed session cookies, CSRF tokens, slower answers after
failed logins.

* The session cookie is signed by Starlette's ``SessionMiddleware`` (itsdangerous),
  HttpOnly, SameSite=Lax, eight hours; it holds the user's name and a CSRF token.
* Every form carries the CSRF token; a POST without the right one gets 403.
* After a failed login the answer waits ``login_delay`` seconds, doubled with each
  further failure for that name or address (at most 30 s); a success clears it.
* Without authentication (``--no-auth``, only on 127.0.0.1) everybody is the local
  coordinator: the single-user laptop mode of ``make run``.

>>> t = LoginThrottle(base=1.0)
>>> t.delay("k.meier", "10.0.0.1")
0.0
>>> t.failed("k.meier", "10.0.0.1"); t.failed("k.meier", "10.0.0.2")
>>> t.delay("k.meier", "10.0.0.3"), t.delay("x", "10.0.0.2")
(2.0, 1.0)
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

from api.web.access import ForbiddenError, Principal, Role
from api.web.settings import ApiSettings
from api.web.users import UserFile
from api.web.yamlfile import WatchedFile

__all__ = ["LOCAL", "LoginThrottle", "Users", "check_csrf", "csrf_token", "install_sessions",
           "log_in", "log_out", "web_principal"]

LOCAL = Principal("lokal", Role.COORDINATOR)
SESSION_HOURS = 8
_MAX_DELAY = 30.0


class Users(WatchedFile[UserFile]):
    """The users file, re-read when it changes (a new user can log in without a restart)."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path, UserFile.read, UserFile())


class LoginThrottle:
    """Failed logins per name and per address; the longer of both decides the delay."""

    def __init__(self, base: float) -> None:
        self.base = base
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def delay(self, name: str, address: str) -> float:
        with self._lock:
            worst = max(self._failures.get("n:" + name.casefold(), 0),
                        self._failures.get("a:" + address, 0))
        return 0.0 if worst == 0 else min(self.base * 2 ** (worst - 1), _MAX_DELAY)

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            for key in ("n:" + name.casefold(), "a:" + address):
                self._failures[key] = self._failures.get(key, 0) + 1
            if len(self._failures) > 100_000:  # a flood of names must not fill the memory
                self._failures.clear()

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop("n:" + name.casefold(), None)
            self._failures.pop("a:" + address, None)


def _secret(settings: ApiSettings) -> str:
    """The signing key: from the settings, else a file beside the users file (made once,
    readable only by the server's user), else a new one for this process."""
    if settings.session_secret:
        return settings.session_secret
    if settings.users_file is None:
        return secrets.token_urlsafe(32)
    path = settings.users_file.with_name(settings.users_file.name + ".schluessel")
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()


def install_sessions(app: FastAPI, settings: ApiSettings) -> None:
    app.state.users = Users(settings.users_file)
    app.state.throttle = LoginThrottle(settings.login_delay)
    app.add_middleware(SessionMiddleware, secret_key=_secret(settings),
                       session_cookie="lotse_sitzung", max_age=SESSION_HOURS * 3600,
                       same_site="lax", https_only=settings.secure_cookies)


def web_principal(request: Request) -> Principal | None:
    """The person at the browser (None: not logged in). The users file is read on every
    request, so a removed user or a changed role counts at once."""
    settings: ApiSettings = request.app.state.settings
    if not settings.auth:
        return LOCAL
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    users: Users = request.app.state.users
    entry = users.current().find(name)
    return entry.principal() if entry is not None else None


def log_in(request: Request, name: str) -> None:
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["user"] = name
    request.session["csrf"] = secrets.token_urlsafe(24)


def log_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, form: Any) -> None:
    """403 unless the form carries this session's CSRF token."""
    sent = form.get("csrf") if form is not None else None
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(expected, str) \
            or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ForbiddenError("Das Formular ist abgelaufen oder kam nicht aus der Werkstatt "
                             "(Sicherheitsprüfung). Bitte die Seite neu laden und noch einmal "
                             "senden.")
