"""People who use the Werkstatt in the browser: names, roles, quarters, argon2 hashes.

The same roles as the API tokens (:mod:`api.web.access`): ``reader``, ``editor`` of
named quarters, ``coordinator``. The users file holds only argon2 hashes, never a
password::

    users:
      - name: k.meier
        role: editor
        quarters: [brunnenstrasse]
        argon2: $argon2id$v=19$m=65536,t=3,p=4$…

>>> entry = new_user("k.meier", "editor", "richtig-langes-passwort", ["q1"])
>>> entry.verify("richtig-langes-passwort"), entry.verify("falsch")
(True, False)
>>> entry.principal().quarters
frozenset({'q1'})
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, Field

from api.usecases.roles import Principal, Role
from api.web.yamlfile import read_model, update_model, write_model
from graph.errors import LotsenError

__all__ = ["MIN_PASSWORD", "UserEntry", "UserFile", "check_password_rules", "new_user",
           "verify_login"]

MIN_PASSWORD = 10
_HEADER = "Benutzer der Werkstatt: nur argon2-Hashes, nie die Passwörter selbst."


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults


def check_password_rules(password: str) -> None:
    """Raise a German error when the password is too weak to protect a city's chain."""
    if len(password) < MIN_PASSWORD:
        raise LotsenError(f"Das Passwort ist zu kurz: mindestens {MIN_PASSWORD} Zeichen "
                          "(ein Satz aus mehreren Wörtern ist leicht zu merken).")


class UserEntry(BaseModel):
    name: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9ÄÖÜäöüß._-]+$")
    role: Role
    quarters: list[str] = Field(default_factory=list)
    argon2: str = Field(pattern=r"^\$argon2")
    session_key: str = Field(default_factory=lambda: secrets.token_urlsafe(16),
                             description="Neu bei jeder Abmeldung: frühere Cookies gelten nicht")

    def verify(self, password: str) -> bool:
        try:
            return bool(_hasher().verify(self.argon2, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def principal(self) -> Principal:
        return Principal(self.name, self.role, frozenset(self.quarters))


class UserFile(BaseModel):
    users: list[UserEntry] = Field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> UserFile:
        return read_model(cls, path, "Die Benutzerdatei")

    def write(self, path: Path) -> None:
        write_model(self, path, _HEADER)

    @classmethod
    def update(cls, path: Path, change: Callable[[UserFile], UserFile]) -> UserFile:
        """Read, change and write the file under its lock (no other server or ``lotse
        user`` writes in between); written atomically."""
        return update_model(cls, path, "Die Benutzerdatei", _HEADER, change)

    def find(self, name: str) -> UserEntry | None:
        return next((u for u in self.users if u.name.casefold() == name.casefold()), None)

    @classmethod
    def end_sessions(cls, path: Path, name: str) -> None:
        """Void every session of ``name`` (a new session key, written atomically under
        the file's lock: no concurrent logout or removal is lost)."""
        def renew(users: UserFile) -> UserFile:
            return UserFile(users=[
                u.model_copy(update={"session_key": secrets.token_urlsafe(16)})
                if u.name.casefold() == name.casefold() else u for u in users.users])

        cls.update(path, renew)


_DUMMY: list[str] = []


def verify_login(users: UserFile, name: str, password: str) -> UserEntry | None:
    """The user when name and password match; an unknown name costs as much time as a
    wrong password (no way to probe for names)."""
    entry = users.find(name.strip())
    if entry is None:
        if not _DUMMY:
            _DUMMY.append(_hasher().hash("kein-benutzer"))
        with suppress(VerificationError):
            _hasher().verify(_DUMMY[0], password)
        return None
    return entry if entry.verify(password) else None


def new_user(name: str, role: str, password: str, quarters: Iterable[str] = ()) -> UserEntry:
    """A users-file entry with the password hashed (argon2id)."""
    check_password_rules(password)
    return UserEntry(name=name, role=Role(role), quarters=list(quarters),
                     argon2=_hasher().hash(password))
