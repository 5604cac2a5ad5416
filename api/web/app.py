"""The app factory: ``create_app(settings)`` gives the FastAPI app of one store.

>>> from api.web.settings import ApiSettings
>>> app = create_app(ApiSettings(store="/tmp/lotse-doctest.json", auth=False))
>>> app.title
'lotsensystem – Web-API der Präventionskette'
"""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi_offline import FastAPIOffline

from api.stores import open_store
from api.web import actions, meeting_actions, merge, questions, resources
from api.web.deps import Tokens
from api.web.errors import install_error_handlers
from api.web.fast import OwnerFastPath
from api.web.guard import RequestGuard
from api.web.limits import BodyLimit
from api.web.openapi_rules import install_openapi
from api.web.pages import install as install_werkstatt
from api.web.pages.common import MAX_UPLOAD
from api.web.query_check import no_unknown_query
from api.web.session import install_sessions
from api.web.settings import ApiSettings
from api.web.state import StoreState
from api.web.warmup import lifespan
from graph.repository import Repository

__all__ = ["LOCAL_HOSTS", "allowed_hosts", "create_app"]

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


def allowed_hosts(settings: ApiSettings) -> list[str]:
    """The names a request may give as its Host without login: this machine's and the
    configured host's (not a wildcard address such as 0.0.0.0).

    >>> allowed_hosts(ApiSettings(store="x.json", auth=False, host="laptop.local"))[-1]
    'laptop.local'
    """
    host = settings.host.strip("[]")
    extra = [] if host in ("", "0.0.0.0", "::") or host in LOCAL_HOSTS else [host]
    return [*LOCAL_HOSTS, *extra]

DESCRIPTION = """
Die Präventionskette einer Kommune über HTTP: Quartiere, Träger, Angebote, Übergänge,
Vereinbarungen und Vermittlungszahlen lesen und ändern – und die Fragen der Koordination
stellen: Wo ist die Kette gebrochen? Wer ist für diesen Übergang verantwortlich? Was kommt
für diese Familie als Nächstes?

**Anmeldung:** `Authorization: Bearer <Token>`. Rollen: `reader` (liest alles),
`editor` benannter Quartiere (ändert Angebote, Übergänge und Vereinbarungen seiner
Quartiere), `coordinator` (alles). Tokens legt `lotse token add` an.

**Keine verlorenen Änderungen:** Jeder Eintrag hat eine Version (ETag). Wer ändert oder
löscht, sendet `If-Match` mit der gelesenen Version; ist sie veraltet, antwortet der
Server mit 409 und ändert nichts.

**Nachvollziehbar:** Jede Änderung steht im Protokoll (wer, wann, vorher, nachher):
`/api/v1/{art}/{kennung}/history` und `/api/v1/audit`.

**Fehler** haben immer dieselbe Form: `code`, `message` (Deutsch, mit dem, was zu tun
ist) und `details` (Feld und Meldung).
"""

TAGS = [
    {"name": "Fragen", "description": "Befunde, Kennzahlen, Verantwortung, Lotse"},
    {"name": "Darstellung", "description": "Kettenkarte, Matrix, Quartiersbericht"},
    {"name": "Netzwerk", "description": "Das ganze Netzwerk ex- und importieren"},
    {"name": "Protokoll", "description": "Wer hat was wann geändert"},
]


def create_app(settings: ApiSettings | None = None, repo: Repository | None = None) -> FastAPI:
    """The API for ``settings`` (from the environment when not given).

    ``repo`` overrides the store named in the settings (tests use the in-memory fake).
    """
    settings = settings or ApiSettings()
    app = FastAPIOffline(
        title="lotsensystem – Web-API der Präventionskette", version="1.0.0",
        description=DESCRIPTION, openapi_tags=TAGS,
        swagger_ui_parameters={"docExpansion": "none", "defaultModelsExpandDepth": 0},
        # FastAPI's built-in OpenTelemetry costs time on every request and exports nowhere
        # here; a municipality that runs a collector can turn it on again
        telemetry={"tracing": False, "metrics": False, "logs": False,
                   "operation_spans": False},
        lifespan=lifespan)  # imports and the stored state ready before the first request
    app.state.settings = settings
    app.state.store = StoreState(repo or open_store(settings.store))
    app.state.tokens = Tokens(settings.tokens_file)
    install_error_handlers(app)

    @app.get("/health", tags=["Netzwerk"], summary="Läuft der Dienst?",
             response_model=dict[str, str])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    # routes are matched in order: the frequent questions first, then the resources
    # ("who owns this transition?" is answered even before routing: api/web/fast.py)
    strict = [Depends(no_unknown_query)]  # a misspelt parameter is an error, not ignored
    app.include_router(questions.router, dependencies=strict)
    app.include_router(resources.router, dependencies=strict)
    app.include_router(merge.router, dependencies=strict)  # POST /api/v1/network/merge
    app.include_router(actions.router, dependencies=strict)  # accept, measures, backups, undo
    app.include_router(meeting_actions.router, dependencies=strict)  # prepare, since
    # the Werkstatt: the same network, roles and store, as pages for people
    install_werkstatt(app)
    install_openapi(app)

    install_sessions(app, settings)
    app.add_middleware(BodyLimit, limit=MAX_UPLOAD + 1024 * 1024)
    app.add_middleware(OwnerFastPath, state=app.state)
    app.add_middleware(RequestGuard)  # before the fast path: two logins are refused there too
    if settings.cors_origins:  # outside all but the host check: it covers the fast path
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "If-Match"],
                           expose_headers=["ETag", "Location"])
    if not settings.auth:  # added last: outermost
        # without login only this machine may call: a web page elsewhere must not reach
        # the laptop's Werkstatt through a renamed host (DNS rebinding). Checked in front
        # of everything else, the fast "who owns?" answer too (issue 32.4)
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings))
    if not settings.auth:
        logging.getLogger("lotse.api").warning(
            "Web-API ohne Anmeldung: alle Anfragen gelten als Koordination. Nur für die "
            "eigene Maschine (127.0.0.1) gedacht.")
    return app
