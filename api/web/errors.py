"""One JSON shape for every error: ``code``, German ``message``, ``details`` naming the
field. Our errors carry their HTTP status; anything unexpected becomes a 500 with a
German message and no traceback (the traceback goes to the server log only)."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from graph.errors import InvalidNetworkError, LotsenError, NotFoundError
from graph.formats.pydantic_problems import german_message

__all__ = ["ErrorBody", "ErrorDetail", "InvalidParameterError", "PreconditionRequiredError",
           "install_error_handlers"]

log = logging.getLogger("lotse.api")

_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
          405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 409: "CONFLICT",
          413: "TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE", 422: "VALIDATION",
          423: "LOCKED", 428: "PRECONDITION_REQUIRED", 500: "INTERNAL", 503: "UNAVAILABLE"}
_HTTP_MESSAGES = {400: "Der Inhalt der Anfrage ist kein gültiges JSON (UTF-8).",
                  404: "Diese Adresse gibt es nicht. Die Übersicht steht unter /docs.",
                  405: "Diese Methode ist hier nicht erlaubt.",
                  406: "Dieses Antwortformat gibt es hier nicht.",
                  415: "Bitte JSON senden (Content-Type: application/json)."}


class ErrorDetail(BaseModel):
    field: str = Field(description="Betroffenes Feld (Pfad wie 'body.name' oder 'quarters.0')")
    message: str
    entity: str | None = Field(default=None, description="Betroffener Eintrag, falls bekannt")


class ErrorBody(BaseModel):
    code: str = Field(description="Stabiler Fehlercode, z. B. NOT_FOUND, CONFLICT, VALIDATION",
                      examples=["CONFLICT"])
    message: str = Field(description="Was falsch ist und was zu tun ist (Deutsch)")
    details: list[ErrorDetail] = Field(default_factory=list)


class PreconditionRequiredError(LotsenError):
    status = 428


class InvalidParameterError(LotsenError):
    """A query parameter or header that cannot be used (422, the detail names it)."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"Parameter '{field}': {message}")
        self.field = field
        self.detail = message


class SafeJSONResponse(JSONResponse):
    """JSON that always encodes: a lone surrogate from the request ('\\ud800'), quoted in
    a message, becomes '?' instead of failing the answer (a 500)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                          separators=(",", ":")).encode("utf-8", "replace")


def error_response(status: int, message: str, details: list[ErrorDetail] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=_CODES.get(status, "ERROR"), message=message, details=details or [])
    return SafeJSONResponse(body.model_dump(), status_code=status, headers=headers)


def _is_json(kind: str) -> bool:
    media = kind.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed(request: Request) -> str:
    """The methods of every route at this path (one route each in FastAPI: the first
    one's methods alone would be a wrong ``Allow``)."""
    methods = set()
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            methods.add(method)
    return ", ".join(sorted(methods))


def _details(exc: LotsenError) -> list[ErrorDetail]:
    if isinstance(exc, InvalidNetworkError):
        return [ErrorDetail(field=p.field or "", message=p.message,
                            entity=f"{p.kind} '{p.entity_id}'" if p.entity_id else p.kind)
                for p in exc.problems]
    if isinstance(exc, InvalidParameterError):
        return [ErrorDetail(field=exc.field, message=exc.detail)]
    if isinstance(exc, NotFoundError):
        return [ErrorDetail(field="id", message=f"Meinten Sie '{s}'?", entity=s)
                for s in exc.suggestions]
    return []


def _page(request: Request) -> Any:
    """The Werkstatt's error page renderer when the request is for a page, not the API."""
    render = getattr(request.app.state, "error_page", None)
    if render is None or request.url.path.startswith(
            ("/api/", "/docs", "/redoc", "/openapi", "/health")):
        return None
    return render


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LotsenError)
    async def ours(request: Request, exc: LotsenError) -> Response:
        render = _page(request)
        if render is not None:
            return render(request, exc.status, str(exc), exc)  # type: ignore[no-any-return]
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, str(exc), _details(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = []
        kind = request.headers.get("content-type")
        if kind is not None and not _is_json(kind) and request.method in ("POST", "PUT"):
            return error_response(415, "Bitte JSON senden (Content-Type: application/json); "
                                       f"diese Anfrage hat '{kind[:60]}'.")
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            return error_response(400, "Der Inhalt der Anfrage ist kein gültiges JSON (UTF-8); "
                                       "bitte den Text prüfen (Klammern, Kommas, "
                                       "Anführungszeichen).")
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ())]
            try:
                message = german_message(err)
            except Exception:
                message = str(err.get("msg", "ungültig"))
            details.append(ErrorDetail(field=".".join(loc), message=message))
        fields = ", ".join(d.field for d in details[:5])
        return error_response(422, f"Die Anfrage ist ungültig ({fields}).", details)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in \
            _HTTP_MESSAGES else _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError | MemoryError):
            # the body's JSON breaks the parser: "[" × 100,000, or too much to hold
            message = ("Der Inhalt der Anfrage ist zu tief verschachtelt; so sieht kein "
                       "Netzwerk-Dokument aus." if isinstance(exc.__cause__, RecursionError)
                       else "Der Inhalt der Anfrage ist zu groß, um ihn zu lesen.")
            return error_response(400 if isinstance(exc.__cause__, RecursionError) else 413,
                                  message)
        render = _page(request)
        if render is not None:
            if exc.status_code == 404:
                message = "Diese Seite gibt es nicht. Die Übersicht steht unter /."
            elif exc.status_code == 400:
                message = ("Das Formular kam unvollständig oder zu groß an. Bitte die Seite neu "
                           "laden und noch einmal senden.")
            page: Response = render(request, exc.status_code, message)
            if exc.status_code == 405:
                page.headers["Allow"] = _allowed(request)
            return page
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed(request) or headers.get("Allow", "")
        return error_response(exc.status_code, message, headers=headers or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("Unerwarteter Fehler bei %s %s", request.method, request.url.path)
        render = _page(request)
        if render is not None:
            what = ("Die Änderung wurde nicht übernommen" if request.method == "POST"
                    else "Die Seite konnte nicht angezeigt werden")
            return render(request, 500, f"Ein unerwarteter Fehler im Server. {what}; bitte "  # type: ignore[no-any-return]
                          f"der Koordination melden ({type(exc).__name__}).")
        return error_response(500, "Ein unerwarteter Fehler im Server. Die Änderung wurde nicht "
                                   "übernommen; bitte der Koordination melden "
                                   f"({type(exc).__name__}).")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses of an endpoint."""
    texts = {400: "Ungültige Anfrage", 401: "Kein oder unbekanntes Token",
             403: "Die Rolle erlaubt das nicht", 404: "Unbekannte Kennung",
             409: "Veraltete Version oder Kennung vergeben",
             422: "Ungültige Daten (die Details nennen das Feld)",
             423: "Speicher gesperrt", 428: "If-Match fehlt", 503: "Speicher nicht erreichbar"}
    return {s: {"model": ErrorBody, "description": texts.get(s, "Fehler")} for s in statuses}
