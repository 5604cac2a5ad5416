"""What every endpoint shares: the caller, the store snapshot, the as-of date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError

from api.usecases.roles import Principal, Role, UnauthorizedError
from api.web.access import TokenEntry, TokenFile
from api.web.errors import InvalidParameterError
from api.web.settings import ApiSettings
from api.web.state import Snapshot, StoreState
from api.web.token_use import TokenUse
from api.web.yamlfile import WatchedFile
from graph.model import Date

__all__ = [
    "AsOf",
    "Ask",
    "Caller",
    "Question",
    "Tokens",
    "as_of_param",
    "caller",
    "snapshot",
    "state",
]

bearer = HTTPBearer(auto_error=False, scheme_name="Token",
                    description="API-Token als 'Authorization: Bearer …' (Rollen: reader, "
                                "editor, coordinator; anlegen mit 'lotse token add').")


class Tokens(WatchedFile[TokenFile]):
    """The token file, re-read when it changes (new tokens work without a restart); it
    also records the day each token was last used (:mod:`api.web.token_use`)."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path, TokenFile.read, TokenFile())
        self.use = TokenUse(path)

    def valid(self, token: str) -> TokenEntry | None:
        """The entry of a known, unexpired token (its use is recorded), else None."""
        entry = self.current().find(token)
        if entry is None or entry.expired():
            return None
        self.use.mark(entry.sha256)
        return entry


async def state(request: Request) -> StoreState:
    result: StoreState = request.app.state.store
    return result


async def snapshot(request: Request) -> Snapshot:
    store: StoreState = request.app.state.store
    return store.snapshot()


async def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
           ) -> Principal:
    settings: ApiSettings = request.app.state.settings
    if not settings.auth:
        return Principal("lokal", Role.COORDINATOR)
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("Anmeldung fehlt: bitte ein API-Token als 'Authorization: "
                                "Bearer …' mitsenden.")
    tokens: Tokens = request.app.state.tokens
    entry = tokens.current().find(credentials.credentials)
    if entry is None:
        raise UnauthorizedError("Dieses API-Token ist unbekannt oder wurde zurückgezogen.")
    if entry.expired():
        raise UnauthorizedError(f"Dieses API-Token ('{entry.name}') ist am "
                                f"{entry.expires:%d.%m.%Y} abgelaufen; bitte bei der "
                                "Koordination ein neues erbitten (lotse token add).")
    tokens.use.mark(entry.sha256)
    return Principal(entry.name, entry.role, frozenset(entry.quarters))


_DATE: TypeAdapter[dt.date] = TypeAdapter(Date)
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The years a Stichtag may lie in: the analysis adds years and days to it."""
AS_OF_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
"""What ``as_of`` looks like in the OpenAPI document (a date of 1900–2200; the server also
reads the German 22.11.2026)."""
_AS_OF_SCHEMA = {"pattern": AS_OF_PATTERN, "format": "date"}


async def as_of_param(as_of: Annotated[str | None, Query(
        description="Stichtag (JJJJ-MM-TT oder TT.MM.JJJJ, Jahre 1900–2200); Standard: heute",
        examples=["2026-11-22"], json_schema_extra=_AS_OF_SCHEMA)] = None) -> dt.date:
    if as_of is None:
        return dt.date.today()
    try:
        day: dt.date = _DATE.validate_python(as_of)
    except ValidationError:
        raise InvalidParameterError("as_of", f"'{as_of[:40]}' ist kein gültiges Datum "
                                             "(JJJJ-MM-TT oder TT.MM.JJJJ).") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidParameterError("as_of", f"Der Stichtag {day:%d.%m.%Y} liegt außerhalb "
                                             f"der Jahre {FIRST_YEAR}–{LAST_YEAR}.")
    return day


Caller = Annotated[Principal, Depends(caller)]
AsOf = Annotated[dt.date, Depends(as_of_param)]
Snap = Annotated[Snapshot, Depends(snapshot)]
State = Annotated[StoreState, Depends(state)]


class Question:
    """Caller, snapshot and as-of date of a read-only question, solved as ONE dependency
    (every dependency costs time on the hot paths)."""

    __slots__ = ("as_of", "snap", "who")

    def __init__(self, who: Principal, snap: Snapshot, as_of: dt.date) -> None:
        self.who, self.snap, self.as_of = who, snap, as_of


async def question(request: Request,
                   credentials: Annotated[HTTPAuthorizationCredentials | None,
                                          Depends(bearer)],
                   as_of: Annotated[str | None, Query(
                       description="Stichtag (JJJJ-MM-TT oder TT.MM.JJJJ, Jahre 1900–2200); "
                                   "Standard: heute",
                       examples=["2026-11-22"], json_schema_extra=_AS_OF_SCHEMA)
                   ] = None) -> Question:
    who = await caller(request, credentials)
    store: StoreState = request.app.state.store
    return Question(who, store.snapshot(), await as_of_param(as_of))


Ask = Annotated[Question, Depends(question)]
