"""The Werkstatt: the chain in the browser, server-rendered (Jinja2), German, every form
working without JavaScript. One module per page area; the role check is the API's."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from api.web.pages import (
    accept,
    backups,
    browse,
    cooperation,
    edit,
    exchange,
    history,
    login,
    measures,
    meetings,
    navigator,
    overview,
    quarter,
    questions,
    social,
    wegweiser,
    wirkung,
    years,
)
from api.web.pages.common import LoginRequired, page
from api.web.session import web_principal
from graph.errors import LotsenError, NotFoundError
from visualisation.werkstatt import STATIC_FILES, static_text

__all__ = ["API_PREFIXES", "error_page", "install", "router"]

router = APIRouter()
for _module in (login, overview, quarter, social, edit, accept, measures, meetings, history,
                exchange, years, questions, navigator, wegweiser, wirkung, cooperation,
                backups, browse):
    router.include_router(_module.router)

API_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi", "/health")
_HEADINGS = {401: "Bitte anmelden", 403: "Das darf Ihre Rolle nicht",
             404: "Nicht gefunden", 409: "Konflikt", 413: "Zu groß",
             422: "Das lässt sich so nicht verwenden", 423: "Gerade gesperrt",
             500: "Ein Fehler im Server", 503: "Der Speicher ist nicht erreichbar"}


@router.get("/werkstatt/static/{name}", include_in_schema=False)
async def static(name: str) -> Response:
    if name not in STATIC_FILES:
        raise NotFoundError("Datei", name, list(STATIC_FILES))
    return Response(static_text(name), media_type=STATIC_FILES[name],
                    headers={"Cache-Control": "max-age=3600"})


def error_page(request: Request, status: int, message: str,
               exc: LotsenError | None = None) -> Response:
    """An error of a Werkstatt page as a page (the JSON API keeps its JSON shape)."""
    suggestions = exc.suggestions if isinstance(exc, NotFoundError) else []
    try:
        who = web_principal(request)
    except LotsenError:
        who = None
    return page(request, "error.html", who, _HEADINGS.get(status, "Fehler"), status=status,
                heading=_HEADINGS.get(status, "Fehler"), message=message,
                suggestions=suggestions[:5], back="/")


def install(app: FastAPI) -> None:
    """The Werkstatt on ``app``: its pages, its error pages, the way to the login."""
    app.include_router(router)
    app.state.error_page = error_page

    @app.exception_handler(LoginRequired)
    async def login_first(request: Request, exc: LoginRequired) -> Response:
        return exc.redirect()
