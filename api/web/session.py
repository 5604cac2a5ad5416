"""Who is at the browser: signed session cookies, CSRF tokens, slower answers after
failed logins.

* The session cookie is signed by Starlette's ``SessionMiddleware`` (itsdangerous),
  HttpOnly, SameSite=Lax, eight hours; it holds the user's name and a CSRF token.
* Every form carries the CSRF token; a POST without the right one gets 403.
* After a failed login, attempts for that name or address are refused for
  ``login_delay`` seconds, doubled with each further failure (at most 30 s); at most two
  password checks (argon2, 64 MiB each) run at once.
* Each user has a session key in the users file; logging out (or re-adding the user)
  makes a new one, so every cookie issued before is void.
* Without authentication (``--no-auth``, only on 127.0.0.1) everybody is the local
  coordinator: the single-user laptop mode of ``make run``.

>>> now = [0.0]
>>> t = LoginThrottle(base=1.0, clock=lambda: now[0])
>>> t.wait("k.meier", "10.0.0.1")
0.0
>>> t.failed("k.meier", "10.0.0.1"); t.failed("k.meier", "10.0.0.2")
>>> t.wait("k.meier", "10.0.0.3"), t.wait("x", "10.0.0.2"), t.wait("x", "10.0.0.9")
(2.0, 1.0, 0.0)
>>> now[0] = 2.5; t.wait("k.meier", "10.0.0.3")
0.0
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

from api.usecases.roles import ForbiddenError, Principal, Role
from api.web.settings import ApiSettings
from api.web.users import UserEntry, UserFile
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
    """Failed logins per name and per address. After a failure, further attempts for that
    name or address are refused (without checking a password) until the wait is over;
    the wait doubles with each failure, at most 30 s. Parallel guesses gain nothing."""

    def __init__(self, base: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.base = base
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def _keys(self, name: str, address: str) -> tuple[str, str]:
        return "n:" + name.strip().casefold(), "a:" + address

    def delay(self, name: str, address: str) -> float:
        """How long the next failure for this name or address would make them wait."""
        with self._lock:
            worst = max(self._failures.get(k, 0) for k in self._keys(name, address))
        return 0.0 if worst == 0 else min(self.base * 2 ** (worst - 1), _MAX_DELAY)

    def wait(self, name: str, address: str) -> float:
        """Seconds until an attempt for this name or address is heard again (0: now)."""
        now = self._clock()
        with self._lock:
            return max(0.0, *(self._until.get(k, 0.0) - now for k in self._keys(name, address)))

    def failed(self, name: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(name, address):
                self._failures[key] = self._failures.get(key, 0) + 1
                pause = min(self.base * 2 ** (self._failures[key] - 1), _MAX_DELAY)
                self._until[key] = now + pause
            if len(self._failures) > 100_000:  # a flood of names must not fill the memory
                self._failures.clear()
                self._until.clear()

    def succeeded(self, name: str, address: str) -> None:
        """A right password clears the name's count (the address keeps its own: one
        account must not open the way to guessing others)."""
        key = self._keys(name, address)[0]
        with self._lock:
            self._failures.pop(key, None)
            self._until.pop(key, None)


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
    key = request.session.get("key")
    if entry is None or not isinstance(key, str) or not hmac.compare_digest(
            key.encode(), entry.session_key.encode()):
        return None
    return entry.principal()


def log_in(request: Request, entry: UserEntry) -> None:
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["user"] = entry.name
    request.session["key"] = entry.session_key
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
