"""The hot question, answered in front of FastAPI: "who owns this transition?".

Dispatch, parameter and dependency resolution of FastAPI and Starlette cost several times
the question itself (about 30 µs on a city network, docs/benchmarks.md). The pure ASGI
middleware below therefore answers ``GET /api/v1/transitions/{id}/owner`` itself – but
only the ordinary case: a known token, a valid or no ``as_of`` and a transition that
exists. Everything else (no or unknown token, a wrong date, an unknown id, any error)
goes the documented way through FastAPI, which gives the error in the one JSON shape.
The answer is the same JSON, built by the same function (tests compare both routes).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

from api.web.deps import Tokens
from api.web.settings import ApiSettings
from api.web.state import Snapshot, StoreState
from lotsen.ownership import owner_of

__all__ = ["OwnerFastPath", "owner_body"]

_PREFIX, _SUFFIX = "/api/v1/transitions/", "/owner"
_JSON = (b"content-type", b"application/json")
_KEEP = 50_000  # answers kept per snapshot (some 600 bytes each: at most ~30 MB)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _owner_dict(row: Any) -> dict[str, Any]:
    """The JSON object of one :class:`lotsen.ownership.ResponsibilityRow`."""
    data = dict(vars(row))  # flat and frozen: no need for asdict's deep copies
    data["valid_until"] = row.valid_until.isoformat() if row.valid_until else None
    data["agreements"], data["agreement_names"] = list(row.agreements), list(
        row.agreement_names)
    return data


def owner_body(snap: Snapshot, transition: str, day: dt.date) -> bytes:
    """The encoded answer, kept per snapshot: it depends only on the stored state, the
    transition and the date (raises NotFoundError for an unknown transition)."""
    return snap.json_answer("owner", (transition, day), lambda: _owner_dict(
        owner_of(snap.network, transition, day)), _KEEP)


class OwnerFastPath:
    """ASGI middleware: the ordinary "who owns?" answer before routing (see above).

    ``state`` is the app's state (settings, tokens, store), read on every request.
    """

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app, self.state = app, state

    def _owner_answer(self, scope: Scope) -> bytes | None:
        """The body of the ordinary answer, or None to let FastAPI answer."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path: str = scope["path"]
        if not (path.startswith(_PREFIX) and path.endswith(_SUFFIX)):
            return None
        transition = path[len(_PREFIX):-len(_SUFFIX)]
        if not transition or "/" in transition:
            return None
        authorization = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
        settings: ApiSettings = self.state.settings
        if settings.auth:
            scheme, _, token = (authorization or b"").decode("latin-1").partition(" ")
            tokens: Tokens = self.state.tokens
            if scheme.lower() != "bearer" or tokens.valid(token) is None:
                return None
        day = dt.date.today()
        seen = False
        for key, value in parse_qsl(scope["query_string"].decode("latin-1"),
                                    keep_blank_values=True):
            if key != "as_of" or not _ISO_DAY.fullmatch(value) or seen:
                return None  # other spellings (22.11.2026), twice, errors: the documented way
            seen = True
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return None
            if not 1900 <= day.year <= 2200:
                return None  # FastAPI answers 422
        store: StoreState = self.state.store
        snap = store.snapshot()
        if transition not in snap.network.transition_index:
            return None
        return owner_body(snap, transition, day)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = self._owner_answer(scope)
        except Exception:  # FastAPI answers instead, with its error handling
            body = None
        if body is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [_JSON, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
