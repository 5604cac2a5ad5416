"""Who is at the browser: signed session cookies, CSRF tokens, slower answers after
failed logins.

* The session cookie is signed by Starlette's ``SessionMiddleware`` (itsdangerous),
  HttpOnly, SameSite=Lax, eight hours; it holds the user's name and a CSRF token.
* Every form carries the CSRF token; a POST without the right one gets 403.
* After a failed login, that name from that address is refused for ``login_delay``
  seconds, doubled with each further failure (at most 30 s); an address that failed for
  ten names waits too, and a global rate bounds the failed checks (:class:`LoginThrottle`):
  a stranger cannot lock out a user. At most two password checks (argon2, 64 MiB each) run
  at once.
* Each user has a session key in the users file; logging out (or re-adding the user)
  makes a new one, so every cookie issued before is void.
* Without authentication (``--no-auth``, only on 127.0.0.1) everybody is the local
  coordinator: the single-user laptop mode of ``make run``.

>>> now = [0.0]
>>> t = LoginThrottle(base=1.0, clock=lambda: now[0])
>>> t.wait("k.meier", "10.0.0.1")
0.0
>>> t.failed("k.meier", "10.0.0.1"); t.failed("k.meier", "10.0.0.1")
>>> t.wait("k.meier", "10.0.0.1"), t.wait("k.meier", "10.0.0.2"), t.wait("x", "10.0.0.1")
(2.0, 0.0, 0.0)
>>> now[0] = 2.5; t.wait("k.meier", "10.0.0.1")
0.0
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict
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
_FORGET = 15 * 60.0  # seconds without a failure after which a count is forgotten
ADDRESS_FREE = 10  # failures from one address (any names) before the address waits too
GLOBAL_RATE = 2.0  # failed password checks per second, on average, for the whole server
GLOBAL_BURST = 200


class Users(WatchedFile[UserFile]):
    """The users file, re-read when it changes (a new user can log in without a restart)."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path, UserFile.read, UserFile())


class _Entry:
    __slots__ = ("failures", "last", "until")

    def __init__(self) -> None:
        self.failures, self.last, self.until = 0, 0.0, 0.0


class _Counts:
    """Failures per key, ordered by the last failure; bounded: entries quiet for ``forget``
    seconds go first, then (in a flood) the least recently failed – never all at once."""

    def __init__(self, limit: int, forget: float) -> None:
        self.limit, self.forget = limit, forget
        self.entries: OrderedDict[str, _Entry] = OrderedDict()

    def get(self, key: str, now: float) -> _Entry | None:
        entry = self.entries.get(key)
        if entry is not None and now - entry.last > self.forget:
            del self.entries[key]
            return None
        return entry

    def failed(self, key: str, now: float) -> _Entry:
        entry = self.get(key, now) or _Entry()
        entry.failures += 1
        entry.last = now
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while self.entries:  # the oldest first: quiet ones, then beyond the limit
            oldest = next(iter(self.entries.values()))
            if now - oldest.last <= self.forget and len(self.entries) <= self.limit:
                break
            self.entries.popitem(last=False)
        return entry


class LoginThrottle:
    """Slower answers after failed logins, so that a stranger cannot lock out a user:

    * per **name and address**: after a failure that pair waits ``base`` seconds, doubled
      with each further failure (at most 30 s) – the real user at her own address is
      not slowed down by someone guessing her password elsewhere;
    * per **address**: one that failed for :data:`ADDRESS_FREE` names in a row waits
      too, doubling likewise (guessing many names from one place gains nothing) – one
      typo behind a proxy, where everyone shares an address, throttles nobody else;
    * **globally** at most :data:`GLOBAL_RATE` failed checks a second on average (bursts
      of :data:`GLOBAL_BURST`): a distributed guess waits a fraction of a second each;
    * a right password clears its pair and its address;
    * counts quiet for 15 minutes are forgotten, and at most ``max_entries`` pairs and
      addresses are kept (beyond: the least recently failed go first).

    While a wait runs the attempt is refused without checking the password: parallel
    guesses gain nothing.
    """

    def __init__(self, base: float, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = 50_000) -> None:
        self.base = base
        self._clock = clock
        self._pairs = _Counts(max_entries, _FORGET)
        self._addresses = _Counts(max_entries, _FORGET)
        self._tokens = float(GLOBAL_BURST)
        self._filled = clock()
        self._lock = threading.Lock()

    @staticmethod
    def _pair(name: str, address: str) -> str:
        return name.strip().casefold() + "\x00" + address

    def _pause(self, failures: int) -> float:
        return 0.0 if failures <= 0 else min(self.base * 2 ** (failures - 1), _MAX_DELAY)

    def _refill(self, now: float) -> None:
        self._tokens = min(float(GLOBAL_BURST),
                           self._tokens + (now - self._filled) * GLOBAL_RATE)
        self._filled = now

    def size(self) -> int:
        """Pairs and addresses remembered (bounded by twice ``max_entries``)."""
        with self._lock:
            return len(self._pairs.entries) + len(self._addresses.entries)

    def wait(self, name: str, address: str) -> float:
        """Seconds until an attempt for this name from this address is heard (0: now)."""
        now = self._clock()
        with self._lock:
            self._refill(now)
            waits = [0.0 if self._tokens >= 1 else (1 - self._tokens) / GLOBAL_RATE]
            for counts, key in ((self._pairs, self._pair(name, address)),
                                (self._addresses, address)):
                entry = counts.get(key, now)
                if entry is not None:
                    waits.append(entry.until - now)
            return max(0.0, *waits)

    def failed(self, name: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._refill(now)
            self._tokens = max(0.0, self._tokens - 1)
            pair = self._pairs.failed(self._pair(name, address), now)
            pair.until = now + self._pause(pair.failures)
            place = self._addresses.failed(address, now)
            place.until = now + self._pause(place.failures - ADDRESS_FREE + 1)

    def succeeded(self, name: str, address: str) -> None:
        """A right password clears its pair and its address (so that behind a proxy the
        typos of many people do not add up)."""
        with self._lock:
            self._pairs.entries.pop(self._pair(name, address), None)
            self._addresses.entries.pop(address, None)


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
